//! The `gongkai` binary as an operator uses it.

use std::io::{Read, Write};
use std::process::{Command, Output, Stdio};

fn gongkai(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("GONGKAI_DATABASE_URL")
        .env("GONGKAI_LOG", "warn")
        .output()
        .expect("run gongkai")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn workdays_deadline_prints_the_due_date() {
    let dir = tempfile::tempdir().unwrap();
    let o = gongkai(dir.path(), &["workdays", "deadline", "--from", "2021-09-24", "--days", "20"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "2021-10-27");
    let o = gongkai(dir.path(), &["workdays", "deadline", "--from", "2021-09-24", "--days", "400"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--days"), "{}", stderr(&o));
    let o = gongkai(dir.path(), &["workdays", "check", "2021-10-09"]);
    assert_eq!(stdout(&o).trim(), "2021-10-09 working day (调休上班（国庆节）)");
    assert!(!dir.path().join("gongkai.db").exists(), "the calculator needs no database");
}

#[test]
fn units_users_tokens_and_the_audit_chain() {
    let dir = tempfile::tempdir().unwrap();
    let o = gongkai(dir.path(), &["migrate"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim(),
        format!("schema version {} (sqlite)", gongkai_store::schema::latest_version())
    );
    assert!(
        gongkai(
            dir.path(),
            &["unit", "add", "--name", "巫山县人民政府", "--code", "wsx", "--kind", "government"]
        )
        .status
        .success()
    );
    let o = gongkai(
        dir.path(),
        &[
            "unit",
            "add",
            "--name",
            "县财政局",
            "--code",
            "czj",
            "--parent",
            "巫山县人民政府",
            "--phone",
            "023-57600004",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = gongkai(
        dir.path(),
        &["unit", "add", "--name", "县财政局", "--code", "czj2", "--parent", "wsx"],
    );
    assert!(!o.status.success(), "same name under the same parent");
    assert!(stderr(&o).contains("exists"), "{}", stderr(&o));
    let o = gongkai(dir.path(), &["unit", "list"]);
    assert!(stdout(&o).contains("  县财政局  [czj] 023-57600004"), "{}", stdout(&o));

    let o = gongkai(
        dir.path(),
        &["user", "add", "--username", "zhangsan", "--role", "editor", "--unit", "县财政局"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("initial password (must be changed at first login): "), "{out}");
    let o = gongkai(
        dir.path(),
        &["user", "add", "--username", "x", "--role", "editor", "--unit", "县财政局"],
    );
    assert!(stderr(&o).contains("3 to 32"), "{}", stderr(&o));
    let o = gongkai(
        dir.path(),
        &["user", "add", "--username", "lisi", "--role", "boss", "--unit", "县财政局"],
    );
    assert!(stderr(&o).contains("unknown role"), "{}", stderr(&o));
    let o = gongkai(
        dir.path(),
        &["user", "add", "--username", "lisi", "--role", "editor", "--unit", "县不存在局"],
    );
    assert!(stderr(&o).contains("no unit named"), "{}", stderr(&o));

    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data")
        .arg(dir.path())
        .args([
            "user",
            "add",
            "--username",
            "ops",
            "--role",
            "system_admin",
            "--unit",
            "wsx",
            "--password-stdin",
        ])
        .env_remove("GONGKAI_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"weak\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(!o.status.success());
    assert!(stderr(&o).contains("at least 8"), "{}", stderr(&o));

    let o = gongkai(dir.path(), &["token", "create", "--user", "zhangsan", "--label", "12345热线"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let token = stdout(&o).trim().to_string();
    assert!(token.starts_with("gk_") && token.len() == 67, "{token}");
    assert!(stdout(&gongkai(dir.path(), &["token", "list", "--user", "zhangsan"])).contains("12345热线"));
    assert!(gongkai(dir.path(), &["token", "revoke", "1"]).status.success());
    assert!(!gongkai(dir.path(), &["token", "revoke", "1"]).status.success(), "already revoked");

    let o = gongkai(dir.path(), &["audit", "verify"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("intact: 5 entries"), "{}", stdout(&o));

    // Tamper with entry 2 behind the platform's back.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = gongkai_store::Store::connect(&format!("sqlite://{}", dir.path().join("gongkai.db").display()))
            .await
            .unwrap();
        use gongkai_store::schema::AuditLog;
        use sea_query::{Expr, ExprTrait, Query};
        store
            .execute(
                &Query::update()
                    .table(AuditLog::Table)
                    .value(AuditLog::Actor, "mallory")
                    .and_where(Expr::col(AuditLog::Seq).eq(2))
                    .to_owned(),
            )
            .await
            .unwrap();
        store.close().await;
    });
    let o = gongkai(dir.path(), &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("BROKEN at entry 2"), "{}", stderr(&o));
}

#[test]
fn calendar_import_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("2027.json");
    std::fs::write(
        &file,
        r#"{"year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}"#,
    )
    .unwrap();
    let o = gongkai(dir.path(), &["workdays", "import", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("imported 2027: 1 days off"));
    let o = gongkai(dir.path(), &["workdays", "deadline", "--from", "2026-12-31", "--days", "1"]);
    assert_eq!(stdout(&o).trim(), "2027-01-04");
    std::fs::write(
        &file,
        r#"{"year":2027,"days":[{"name":"元旦","date":"2027-13-01","isOffDay":true}]}"#,
    )
    .unwrap();
    let o = gongkai(dir.path(), &["workdays", "import", file.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("2027-13-01"), "{}", stderr(&o));
}

#[test]
fn backup_while_serving_and_restore_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(gongkai(&data, &["demo"]).status.success());
    std::fs::create_dir_all(data.join("files/ab")).unwrap();
    std::fs::write(data.join("files/ab/abcdef"), b"attachment bytes").unwrap();
    // Back up while a server holds the database open.
    let server = Server::start(&data);
    let backup = dir.path().join("backup");
    let o = gongkai(&data, &["backup", backup.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(backup.join("gongkai.db").exists() && backup.join("manifest.json").exists());
    assert_eq!(server.get("/healthz").0, 200, "still serving");
    drop(server);
    assert!(
        !gongkai(&data, &["backup", backup.to_str().unwrap()]).status.success(),
        "never overwrites a backup"
    );

    let restored = dir.path().join("restored");
    let o = gongkai(&restored, &["restore", backup.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(restored.join("files/ab/abcdef")).unwrap(), b"attachment bytes");
    let o = gongkai(&restored, &["unit", "list"]);
    assert!(stdout(&o).contains("县财政局"));
    let o = gongkai(&restored, &["audit", "verify"]);
    assert!(o.status.success(), "the audit chain survives the round trip: {}", stderr(&o));
    assert!(
        !gongkai(&restored, &["restore", backup.to_str().unwrap()]).status.success(),
        "needs --force over an existing database"
    );

    // A damaged backup is refused before anything is touched.
    std::fs::write(backup.join("files/ab/abcdef"), b"tampered").unwrap();
    let o = gongkai(&restored, &["restore", "--force", backup.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("does not match"), "{}", stderr(&o));
}

struct Server {
    child: std::process::Child,
    port: u16,
}

impl Server {
    fn start(data: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .arg("--data")
            .arg(data)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env_remove("GONGKAI_DATABASE_URL")
            .env("GONGKAI_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let mut buf = Vec::new();
        let mut byte = [0u8; 1];
        while !String::from_utf8_lossy(&buf).contains('\n') {
            if out.read(&mut byte).unwrap() == 0 {
                panic!("server exited: {}", String::from_utf8_lossy(&buf));
            }
            buf.push(byte[0]);
        }
        let line = String::from_utf8_lossy(&buf).into_owned();
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line}"));
        Server { child, port }
    }

    fn get(&self, path: &str) -> (u16, String) {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
        let mut resp = String::new();
        s.read_to_string(&mut resp).unwrap();
        let status = resp.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        (status, resp)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_answers_health_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    let (status, body) = server.get("/healthz");
    assert_eq!(status, 200);
    assert!(body.contains(r#""database":"sqlite""#), "{body}");
    let term = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status:?}");
            break;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "did not stop after SIGTERM");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn task_lists_import_idempotently_show_a_revision_diff_and_export_a_report() {
    let dir = tempfile::tempdir().unwrap();
    assert!(gongkai(dir.path(), &["demo"]).status.success());
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds/000_fffd36a955ce654e.txt");
    if std::path::Path::new(seed).exists() {
        let o = gongkai(dir.path(), &["tasks", "import", seed, "--year", "2021", "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(
            (v["parts"].as_u64(), v["tasks"].as_u64(), v["applied"].as_bool()),
            (Some(5), Some(45), Some(true))
        );
        assert!(v["deadlines"].as_array().unwrap().iter().any(|d| d["date"] == "2021-06-30"));
        assert!(v["groups"].as_array().unwrap().iter().any(|g| g == "各乡镇（街道）"));
    } else {
        println!("skip the seed part: {seed} not found");
    }
    let list = "测试任务清单\n\t工作任务\n\t贯彻举措\n\t牵头单位\n\t责任单位\n\t一、深化公开\n\t（一）做好公开。\n\t公开部门预算，2021年6月底前完成。\n\t县财政局\n\t各乡镇（街道）\n\t\n\t\n\t公开政府债务。\n\t县财政局\n\t\n";
    let file = dir.path().join("list.txt");
    std::fs::write(&file, list).unwrap();
    let f = file.to_str().unwrap();
    let o = gongkai(dir.path(), &["tasks", "import", f]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("imported as plan"), "{}", stdout(&o));
    let plan: String = stdout(&o).lines().last().unwrap().rsplit(' ').next().unwrap().to_owned();
    let o = gongkai(dir.path(), &["tasks", "import", f]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("nothing to do"), "{}", stdout(&o));
    std::fs::write(&file, list.replace("公开政府债务。", "公开政府债务限额和余额。")).unwrap();
    let o = gongkai(dir.path(), &["tasks", "import", f]);
    assert_eq!(o.status.code(), Some(4), "{}", stdout(&o));
    assert!(stdout(&o).contains("~ (text)") && stdout(&o).contains("--yes"), "{}", stdout(&o));
    let o = gongkai(dir.path(), &["tasks", "import", f, "--yes"]);
    assert!(o.status.success() && stdout(&o).contains("updated"), "{}", stdout(&o));
    std::fs::write(&file, "不是任务清单").unwrap();
    let o = gongkai(dir.path(), &["tasks", "import", f]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("未找到任务清单的表头"), "{}", stderr(&o));
    let out = dir.path().join("report.xlsx");
    let o = gongkai(dir.path(), &["tasks", "report", &plan, out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK"));
}
