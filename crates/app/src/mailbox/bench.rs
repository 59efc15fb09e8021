//! `gongkai bench mailbox`: the figures of the mailbox issue.
//!
//! 1. The routing classifier on the held-out part of the shared labelled
//!    messages against always choosing the most common category, and its
//!    learning curve (`classifier_bench`).
//! 2. Submission load: the server on loopback (a fresh SQLite database with
//!    the demo county), `--clients` connections each posting the public form
//!    with keep-alive — the full path: rate limit, captcha check, form
//!    checks, the routing suggestion, the insert with its event and audit
//!    entry, the redirect to the query page — for `--seconds`. Each virtual
//!    writer stays within the per-client limit (the load comes from many
//!    addresses, as a busy day does). Afterwards every accepted message is
//!    looked up by its query code. Then a scripted flood from one address:
//!    how many the limit lets through.

use crate::config::Config;
use crate::error::AppResult;
use crate::state::AppState;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct Options {
    pub corpus: std::path::PathBuf,
    pub clients: usize,
    pub seconds: u64,
}

/// One HTTP/1.1 exchange on a kept-alive connection: (status, headers, body).
async fn exchange(stream: &mut TcpStream, request: &[u8]) -> std::io::Result<(u16, String, Vec<u8>)> {
    stream.write_all(request).await?;
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed"));
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
    let status: u16 = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let len: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    while buf.len() < header_end + len {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok((status, head, buf[header_end..].to_vec()))
}

fn header<'a>(head: &'a str, name: &str) -> Vec<&'a str> {
    head.lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then_some(v.trim())
        })
        .collect()
}

struct Client {
    stream: TcpStream,
    cookie: String,
    csrf: String,
}

async fn connect(addr: std::net::SocketAddr) -> std::io::Result<Client> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (_, head, body) = exchange(&mut stream, b"GET /mailbox HTTP/1.1\r\nhost: bench\r\n\r\n").await?;
    let cookie = header(&head, "set-cookie")
        .into_iter()
        .find(|c| c.starts_with("gk_csrf="))
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_owned();
    let body = String::from_utf8_lossy(&body);
    let csrf = body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_owned();
    Ok(Client { stream, cookie, csrf })
}

fn form_request(c: &(String, String), token: &str, answer: &str, client_ip: &str, n: u64) -> Vec<u8> {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("csrf", &c.1)
        .append_pair("category", "consultation")
        .append_pair("title", &format!("关于小区路灯维修的咨询{n}"))
        .append_pair(
            "content",
            "我们小区门口的路灯坏了一个多月，晚上出行不安全，请问该向哪个部门反映，多久能修好？",
        )
        .append_pair("name", "压力测试")
        .append_pair("phone", "13800000000")
        .append_pair("captcha_token", token)
        .append_pair("captcha", answer)
        .finish();
    format!(
        "POST /mailbox HTTP/1.1\r\nhost: bench\r\ncookie: {}\r\nx-forwarded-for: {client_ip}\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\r\n{body}",
        c.0,
        body.len()
    )
    .into_bytes()
}

pub async fn run(opts: &Options) -> AppResult<()> {
    // 1. The classifier.
    match super::classifier_bench::run(&opts.corpus) {
        Ok(()) => {}
        Err(e) => println!("classifier: skipped ({e})"),
    }

    // 2. Load on loopback.
    let dir = tempfile::tempdir().map_err(|e| anyhow::anyhow!("temp dir: {e}"))?;
    let config = Config::in_dir(dir.path());
    let store = crate::server::open_store(&config).await?;
    let state = AppState::new(store, config).await?;
    crate::demo::seed(&state).await?;
    let router = crate::routes::router(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| anyhow::anyhow!("bind: {e}"))?;
    let addr = listener.local_addr().map_err(|e| anyhow::anyhow!("{e}"))?;
    let server =
        tokio::spawn(async move { axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await });
    let accepted = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let codes = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let latencies = Arc::new(std::sync::Mutex::new(Vec::<f64>::new()));
    let issued = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        .saturating_sub(10);
    let deadline = Instant::now() + Duration::from_secs(opts.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for k in 0..opts.clients {
        let state = state.clone();
        let (accepted, refused, codes, latencies) = (accepted.clone(), refused.clone(), codes.clone(), latencies.clone());
        tasks.push(tokio::spawn(async move {
            let mut c = connect(addr).await.map_err(|e| anyhow::anyhow!("connect: {e}"))?;
            let ids = (c.cookie.clone(), c.csrf.clone());
            let mut n = 0u64;
            while Instant::now() < deadline {
                n += 1;
                // Five messages per address: within the per-client limit.
                let ip = format!("10.{}.{}.{}", k % 250, (n / 5) / 250 % 250, (n / 5) % 250);
                let (token, answer) = state.mailbox.guard.solved(issued);
                let t = Instant::now();
                let (status, head, _) = exchange(&mut c.stream, &form_request(&ids, &token, &answer, &ip, n)).await?;
                latencies
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(t.elapsed().as_secs_f64() * 1000.0);
                if status == 303 {
                    let code = header(&head, "location")
                        .first()
                        .and_then(|l| l.split("code=").nth(1))
                        .map(|s| s.split('&').next().unwrap_or_default().to_owned())
                        .unwrap_or_default();
                    codes.lock().unwrap_or_else(|e| e.into_inner()).push(code);
                    accepted.fetch_add(1, Ordering::Relaxed);
                } else {
                    refused.fetch_add(1, Ordering::Relaxed);
                }
            }
            Ok::<_, anyhow::Error>(())
        }));
    }
    for t in tasks {
        t.await.map_err(|e| anyhow::anyhow!("{e}"))??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let ok = accepted.load(Ordering::Relaxed);
    let codes = codes.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let mut found = 0;
    for code in &codes {
        if state.store.mailbox_by_code(code).await?.is_some() {
            found += 1;
        }
    }
    let mut lat = latencies.lock().unwrap_or_else(|e| e.into_inner()).clone();
    lat.sort_by(f64::total_cmp);
    let p = |q: f64| {
        lat.get(((lat.len().saturating_sub(1)) as f64 * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    println!(
        "submission load: {} clients for {:.1} s on loopback (SQLite): {ok} accepted, {} refused → {:.0} messages/s  [target ≥ 500/s]",
        opts.clients,
        elapsed,
        refused.load(Ordering::Relaxed),
        ok as f64 / elapsed
    );
    println!(
        "  latency p50 {:.1} ms, p99 {:.1} ms; retrievable afterwards by query code: {found}/{} (no loss: {})",
        p(0.5),
        p(0.99),
        codes.len(),
        found == codes.len()
    );

    // 3. A scripted flood from one address, with valid captchas.
    let mut c = connect(addr).await.map_err(|e| anyhow::anyhow!("connect: {e}"))?;
    let ids = (c.cookie.clone(), c.csrf.clone());
    let (mut through, mut stopped) = (0, 0);
    for n in 0..200 {
        let (token, answer) = state.mailbox.guard.solved(issued);
        let (status, _, _) = exchange(&mut c.stream, &form_request(&ids, &token, &answer, "203.0.113.7", n))
            .await
            .map_err(|e| anyhow::anyhow!("flood: {e}"))?;
        if status == 303 {
            through += 1;
        } else if status == 429 {
            stopped += 1;
        }
    }
    // And without solving the captcha, from fresh addresses.
    let mut wrong = 0;
    for n in 0..50 {
        let (token, _) = state.mailbox.guard.solved(issued);
        let (status, _, _) = exchange(&mut c.stream, &form_request(&ids, &token, "99", &format!("198.51.100.{n}"), n))
            .await
            .map_err(|e| anyhow::anyhow!("flood: {e}"))?;
        wrong += u32::from(status == 422);
    }
    println!(
        "  flood of 200 from one address: {through} accepted, {stopped} refused with 429; 50 with a wrong captcha answer: {wrong} refused"
    );
    server.abort();
    state.store.close().await;
    Ok(())
}
