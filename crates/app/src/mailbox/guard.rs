//! Flood protection of the public message form, without third-party
//! services: a rate limit per client (`governor`, keyed by the client's
//! address) and a captcha of our own.
//!
//! The captcha is a small sum written in Chinese numerals (“七加五等于多少？”),
//! readable by screen readers (GB/T 37668 asks for a text alternative to
//! any image captcha, so the text is the captcha). Its token carries the
//! issue time and a keyed BLAKE3 MAC of the answer, so any node holding the
//! key can check it without shared state; a token is good for one message
//! and for 20 minutes, and a form sent back faster than a person can type
//! (2 seconds) or with the hidden honeypot field filled is refused. The
//! key is made at first start in the data folder (`captcha.key`); nodes of
//! one deployment share it through `GONGKAI_CAPTCHA_KEY` (64 hex digits).
//! Used tokens are remembered per node: a token replayed on another node
//! of a cluster passes once more at most, which the rate limit bounds.
//!
//! What it is not for: authenticated API clients (they have tokens), or
//! telling people from machines with certainty — it raises the cost of a
//! scripted flood, and the rate limit caps what gets through.

use governor::{Quota, RateLimiter, clock::DefaultClock, state::keyed::DashMapStateStore};
use rand::Rng;
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long a captcha may be answered.
pub const CAPTCHA_TTL_SECS: u64 = 20 * 60;
/// A form sent back sooner than this after it was shown is a script.
pub const MIN_FILL_SECS: u64 = 2;

pub struct Guard {
    key: [u8; 32],
    limiter: RateLimiter<String, DashMapStateStore<String>, DefaultClock>,
    used: Mutex<HashMap<String, u64>>,
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

fn cn(n: u32) -> String {
    match n {
        0..=9 => DIGITS[n as usize].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", DIGITS[(n - 10) as usize]),
        _ => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            if n.is_multiple_of(10) { "" } else { DIGITS[(n % 10) as usize] }
        ),
    }
}

/// A captcha to show: the question and the token to send back with the answer.
#[derive(Debug, Clone)]
pub struct Challenge {
    pub question: String,
    pub token: String,
}

/// Why a submission is refused before it is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TooMany,
    Captcha,
    Expired,
    TooFast,
    Honeypot,
}

impl Refusal {
    pub fn message_zh(self) -> &'static str {
        match self {
            Refusal::TooMany => "提交过于频繁，请稍后再试",
            Refusal::Captcha => "验证问题回答不正确，请重新作答",
            Refusal::Expired => "验证问题已过期或已使用，请重新作答",
            Refusal::TooFast => "提交过快，请确认内容后再提交",
            Refusal::Honeypot => "提交未通过校验",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Refusal::TooMany => "rate_limited",
            Refusal::Captcha => "captcha_wrong",
            Refusal::Expired => "captcha_expired",
            Refusal::TooFast => "too_fast",
            Refusal::Honeypot => "rejected",
        }
    }
}

impl Guard {
    /// `per_hour` messages per client and hour, at most `burst` at once.
    pub fn new(key: [u8; 32], per_hour: u32, burst: u32) -> Guard {
        let per_hour = NonZeroU32::new(per_hour.max(1)).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(Duration::from_secs(3600) / per_hour.get())
            .unwrap_or_else(|| Quota::per_hour(per_hour))
            .allow_burst(burst);
        Guard {
            key,
            limiter: RateLimiter::dashmap(quota),
            used: Mutex::new(HashMap::new()),
        }
    }

    /// The key from `GONGKAI_CAPTCHA_KEY`, else from `captcha.key` in the
    /// data folder (made on first use).
    pub fn load_key(data_dir: &std::path::Path) -> anyhow::Result<[u8; 32]> {
        let parse = |s: &str| -> Option<[u8; 32]> { hex::decode(s.trim()).ok()?.try_into().ok() };
        if let Ok(v) = std::env::var("GONGKAI_CAPTCHA_KEY") {
            return parse(&v).ok_or_else(|| anyhow::anyhow!("GONGKAI_CAPTCHA_KEY must be 64 hex digits"));
        }
        let path = data_dir.join("captcha.key");
        if let Ok(s) = std::fs::read_to_string(&path)
            && let Some(k) = parse(&s)
        {
            return Ok(k);
        }
        let key: [u8; 32] = rand::rng().random();
        std::fs::create_dir_all(data_dir)?;
        std::fs::write(&path, hex::encode(key))?;
        Ok(key)
    }

    fn mac(&self, issued: u64, answer: u32, nonce: &str) -> String {
        let h = blake3::keyed_hash(&self.key, format!("{issued}:{answer}:{nonce}").as_bytes());
        h.to_hex()[..20].to_owned()
    }

    /// A new captcha.
    pub fn challenge(&self) -> Challenge {
        let mut rng = rand::rng();
        let (a, b) = (rng.random_range(2..20u32), rng.random_range(1..10u32));
        let (question, answer) = if rng.random_bool(0.5) || a <= b {
            (format!("{}加{}等于多少？", cn(a), cn(b)), a + b)
        } else {
            (format!("{}减{}等于多少？", cn(a), cn(b)), a - b)
        };
        let issued = now_secs();
        let nonce: String = (0..8).map(|_| char::from(b'a' + rng.random_range(0..26u8))).collect();
        Challenge {
            question: format!("{question}（请填写阿拉伯数字）"),
            token: format!("{issued}.{nonce}.{}", self.mac(issued, answer, &nonce)),
        }
    }

    /// Checks a captcha answer; a token passes once.
    pub fn check(&self, token: &str, answer: &str) -> Result<(), Refusal> {
        self.check_at(token, answer, now_secs())
    }

    fn check_at(&self, token: &str, answer: &str, now: u64) -> Result<(), Refusal> {
        let mut parts = token.splitn(3, '.');
        let (Some(issued), Some(nonce), Some(mac)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(Refusal::Expired);
        };
        let issued: u64 = issued.parse().map_err(|_| Refusal::Expired)?;
        if now > issued + CAPTCHA_TTL_SECS || issued > now + 60 {
            return Err(Refusal::Expired);
        }
        if now < issued + MIN_FILL_SECS {
            return Err(Refusal::TooFast);
        }
        let answer: u32 = answer.trim().parse().map_err(|_| Refusal::Captcha)?;
        if !crate::auth::constant_time_eq(&self.mac(issued, answer, nonce), mac) {
            return Err(Refusal::Captcha);
        }
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        used.retain(|_, t| *t + CAPTCHA_TTL_SECS >= now);
        if used.insert(token.to_owned(), issued).is_some() {
            return Err(Refusal::Expired);
        }
        Ok(())
    }

    /// Counts a submission against the client's quota.
    pub fn admit(&self, client: &str) -> Result<(), Refusal> {
        self.limiter.check_key(&client.to_owned()).map_err(|_| Refusal::TooMany)?;
        if self.limiter.len() > 100_000 {
            self.limiter.retain_recent();
        }
        Ok(())
    }

    /// A token that passes the captcha check, for the load benchmark and
    /// tests: only code holding the key can make one.
    pub fn solved(&self, issued: u64) -> (String, String) {
        let nonce = format!("bench{}", rand::rng().random_range(0..u32::MAX));
        let answer = 7;
        (format!("{issued}.{nonce}.{}", self.mac(issued, answer, &nonce)), answer.to_string())
    }
}

/// The client a request counts against: the first `X-Forwarded-For` hop
/// when the peer is a proxy on this host, else the peer's address.
pub fn client_key(headers: &axum::http::HeaderMap, peer: Option<std::net::SocketAddr>) -> String {
    let forwarded = headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    match peer {
        Some(p) if p.ip().is_loopback() => forwarded.unwrap_or_else(|| p.ip().to_string()),
        Some(p) => p.ip().to_string(),
        None => forwarded.unwrap_or_else(|| "local".into()),
    }
}

/// The peer address of a request, when the server runs with connection
/// info (in-process tests do not).
pub struct Peer(pub Option<std::net::SocketAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        assert_eq!(cn(7), "七");
        assert_eq!(cn(10), "十");
        assert_eq!(cn(13), "十三");
        assert_eq!(cn(20), "二十");
        assert_eq!(cn(28), "二十八");
    }

    #[test]
    fn a_captcha_passes_once_with_the_right_answer_in_time() {
        let g = Guard::new([7; 32], 60, 5);
        let c = g.challenge();
        let issued: u64 = c.token.split('.').next().unwrap().parse().unwrap();
        // Find the answer by trying: only the right one passes.
        let right = (0..40)
            .find(|a| g.mac(issued, *a, c.token.split('.').nth(1).unwrap()) == c.token.split('.').nth(2).unwrap())
            .unwrap();
        assert_eq!(g.check_at(&c.token, "99", issued + 5), Err(Refusal::Captcha));
        assert_eq!(g.check_at(&c.token, &right.to_string(), issued + 1), Err(Refusal::TooFast));
        assert_eq!(
            g.check_at(&c.token, &right.to_string(), issued + CAPTCHA_TTL_SECS + 1),
            Err(Refusal::Expired)
        );
        assert_eq!(g.check_at(&c.token, &right.to_string(), issued + 5), Ok(()));
        assert_eq!(
            g.check_at(&c.token, &right.to_string(), issued + 6),
            Err(Refusal::Expired),
            "one use"
        );
        assert_eq!(g.check_at("garbage", "1", issued), Err(Refusal::Expired));
        let other = Guard::new([8; 32], 60, 5);
        let (t, a) = g.solved(issued);
        assert_eq!(
            other.check_at(&t, &a, issued + 5),
            Err(Refusal::Captcha),
            "another key does not verify"
        );
        assert!(c.question.contains("等于多少"));
    }

    #[test]
    fn the_rate_limit_is_per_client() {
        let g = Guard::new([1; 32], 10, 3);
        for _ in 0..3 {
            assert_eq!(g.admit("1.2.3.4"), Ok(()));
        }
        assert_eq!(g.admit("1.2.3.4"), Err(Refusal::TooMany));
        assert_eq!(g.admit("5.6.7.8"), Ok(()));
    }

    #[test]
    fn the_client_is_the_peer_unless_a_local_proxy_forwards() {
        let mut h = axum::http::HeaderMap::new();
        h.insert("x-forwarded-for", "9.9.9.9, 10.0.0.1".parse().unwrap());
        assert_eq!(client_key(&h, Some("127.0.0.1:5000".parse().unwrap())), "9.9.9.9");
        assert_eq!(
            client_key(&h, Some("8.8.8.8:5000".parse().unwrap())),
            "8.8.8.8",
            "a remote peer cannot claim another address"
        );
        assert_eq!(client_key(&axum::http::HeaderMap::new(), None), "local");
    }
}
