//! Requests through the whole application: health, the working-day API and
//! page, the API conventions, login, lockout, CSRF, sessions, forced password
//! change, the audit log and 适老化 preferences.

mod common;

use common::{DEMO_PASSWORD, TestApp};
use gongkai_domain::audit::NewEntry;

#[tokio::test]
async fn healthz_reports_the_database_and_503_when_it_is_gone() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let r = c.get("/healthz").await;
    assert_eq!(r.status, 200);
    let j = r.json();
    assert_eq!(j["status"], "ok");
    assert_eq!(j["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(j["database"], app.state.store.backend().as_str());
    app.state.store.close().await;
    let r = c.get("/healthz").await;
    assert_eq!(r.status, 503);
    assert_eq!(r.json()["status"], "unavailable");
}

#[tokio::test]
async fn deadline_api_explains_the_2021_national_day_example() {
    let app = TestApp::spawn().await;
    let r = app.client().get("/api/v1/workdays/deadline?from=2021-09-24&days=20").await;
    assert_eq!(r.status, 200);
    let j = r.json();
    assert_eq!(j["due"], "2021-10-27");
    let counted: Vec<&str> = j["counted"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(counted.len(), 20);
    assert_eq!(counted[0], "2021-09-26", "the Sunday make-up day is day 1");
    assert!(counted.contains(&"2021-10-09"));
    let skipped = j["skipped"].as_array().unwrap();
    assert!(skipped.iter().any(|s| s["date"] == "2021-10-01" && s["reason"] == "国庆节"));
    assert!(skipped.iter().any(|s| s["date"] == "2021-09-25" && s["reason"] == "周末"));
    assert_eq!(j["provisional"], false);
    insta::assert_json_snapshot!("deadline_2021_09_24_plus_20", j);
}

#[tokio::test]
async fn deadline_api_rejects_bad_input_with_the_error_envelope() {
    let app = TestApp::spawn().await;
    let c = app.client();
    for (q, field) in [
        ("from=2021-02-30&days=20", "from"),
        ("from=2021/09/24&days=20", "from"),
        ("from=2021-09-24&days=367", "days"),
        ("from=2021-09-24&days=-1", "days"),
        ("from=2021-09-24&days=abc", "days"),
        ("days=20", "from"),
        ("from=2021-09-24", "days"),
    ] {
        let r = c.get(&format!("/api/v1/workdays/deadline?{q}")).await;
        assert_eq!(r.status, 400, "{q}");
        let j = r.json();
        assert_eq!(j["error"]["code"], "invalid_parameter", "{q}");
        assert_eq!(j["error"]["field"], field, "{q}");
        assert!(j["error"]["message"].as_str().unwrap().len() > 10);
    }
    let r = c.get("/api/v1/workdays/deadline?from=2021-09-24&days=0").await;
    assert_eq!(r.json()["due"], "2021-09-24");
    let r = c.get("/api/v1/workdays/deadline?from=2021-09-24&days=366").await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn day_api_names_holidays_and_make_up_days() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let j = c.get("/api/v1/workdays/2021-10-09").await.json();
    assert_eq!(
        (j["working"].as_bool(), j["reason"].as_str()),
        (Some(true), Some("调休上班（国庆节）"))
    );
    let j = c.get("/api/v1/workdays/2021-10-01").await.json();
    assert_eq!((j["working"].as_bool(), j["reason"].as_str()), (Some(false), Some("国庆节")));
    let j = c.get("/api/v1/workdays/2021-10-16").await.json();
    assert_eq!((j["working"].as_bool(), j["reason"].as_str()), (Some(false), Some("周末")));
    let r = c.get("/api/v1/workdays/20211016").await;
    assert_eq!((r.status.as_u16(), r.json()["error"]["field"].as_str()), (400, Some("date")));
}

#[tokio::test]
async fn the_calculator_page_shows_how_the_date_was_reached() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let r = c.get("/workdays?from=2021-09-24&days=20").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<strong>2021-10-27</strong>"), "{}", r.body);
    assert!(r.body.contains("调休上班（国庆节）"));
    assert!(r.body.contains("第20个工作日"));
    let r = c.get("/workdays?from=2021-09-99&days=20").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("起算日期“2021-09-99”格式不正确"));
}

#[tokio::test]
async fn openapi_documents_every_api_route() {
    let app = TestApp::spawn().await;
    let j = app.client().get("/api/v1/openapi.json").await.json();
    assert!(j["openapi"].as_str().unwrap().starts_with("3."));
    let mut paths: Vec<String> = j["paths"].as_object().unwrap().keys().cloned().collect();
    paths.sort();
    insta::assert_json_snapshot!("openapi_paths", paths);
    // Every documented path answers (not 404) — the spec and the router are one list.
    let c = app.client();
    let demo_ref = app.state.store.foi_case(1).await.unwrap().ref_no;
    let demo_code = app.state.store.mailbox_message(1).await.unwrap().query_code;
    for p in &paths {
        let concrete = p
            .replace("{date}", "2021-10-01")
            .replace("{id}", "1")
            .replace("{ref_no}", &demo_ref)
            .replace("{code}", &demo_code);
        let r = c.get(&concrete).await;
        assert_ne!(r.status, 404, "{p} is documented but not routed");
    }
    assert!(j["components"]["schemas"]["ErrorBody"].is_object());
}

#[tokio::test]
async fn unknown_paths_get_json_under_api_and_chinese_pages_elsewhere() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let r = c.get("/api/v1/nope").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"]["code"], "not_found");
    let r = c.get("/no-such-page").await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("页面不存在"));
    let admin = app.state.store.user_by_username("admin").await.unwrap().unwrap();
    let token = gongkai_app::accounts::create_token(&app.state.store, "test", admin.id, "t")
        .await
        .unwrap();
    let auth = format!("Bearer {token}");
    let r = c.get_with("/api/v1/audit?limit=abc", &[("authorization", &auth)]).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["error"]["code"],
        "bad_request",
        "framework rejections use the envelope too"
    );
    let r = c
        .send(
            axum::http::Request::post("/api/v1/units")
                .header("authorization", &auth)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 405);
    assert_eq!(r.json()["error"]["code"], "method_not_allowed");
    let r = c.post_raw("/admin/units", &[("name", "x")]).await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("<h1>无权访问</h1>"), "HTML pages stay Chinese pages");
}

#[tokio::test]
async fn login_success_session_and_logout() {
    let app = TestApp::spawn().await;
    let c = app.client();
    assert_eq!(c.get("/admin").await.location(), "/login?next=%2Fadmin");
    let r = c.login("admin", DEMO_PASSWORD).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/admin");
    let set_cookie: Vec<&str> = r.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap()).collect();
    let session = set_cookie.iter().find(|c| c.starts_with("gk_session=")).unwrap();
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
    assert!(!session.contains("Secure"), "plain HTTP: no Secure flag");
    let r = c.get("/admin").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("系统管理员"));
    let r = c.post("/logout", &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(c.get("/admin").await.status, 303);
    let n = app
        .state
        .store
        .audit_count(&gongkai_store::audit::AuditFilter {
            action: Some("login.success".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn cookies_are_secure_behind_https() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let r = c.get("/healthz").await;
    assert!(r.headers.get("set-cookie").is_none(), "no cookies for the health check");
    let r = c.get_with("/login", &[("x-forwarded-proto", "https")]).await;
    let csrf_cookie = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("gk_csrf="))
        .unwrap();
    assert!(csrf_cookie.contains("Secure"), "{csrf_cookie}");
}

#[tokio::test]
async fn wrong_passwords_lock_the_account_for_fifteen_minutes() {
    let app = TestApp::spawn().await;
    let c = app.client();
    for _ in 0..5 {
        let r = c.login("czj_editor", "Wrong#Pass1").await;
        assert_eq!(r.status, 401);
        assert!(r.body.contains("用户名或密码错误"));
    }
    let r = c.login("czj_editor", DEMO_PASSWORD).await;
    assert_eq!(r.status, 401, "locked even with the right password");
    assert!(r.body.contains("账户已被锁定"));
    app.state.clock.advance(chrono::Duration::minutes(16));
    let r = c.login("czj_editor", DEMO_PASSWORD).await;
    assert_eq!(r.status, 303, "the window has passed");
    let f = gongkai_store::audit::AuditFilter {
        action: Some("login".into()),
        actor: Some("czj_editor".into()),
        ..Default::default()
    };
    let actions: Vec<String> = app
        .state
        .store
        .audit_entries(&f, 50, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions.iter().filter(|a| *a == "login.failed").count(), 5);
    assert_eq!(actions.iter().filter(|a| *a == "login.locked").count(), 1);
    assert_eq!(actions[0], "login.success");
}

#[tokio::test]
async fn unknown_users_are_refused_without_recording_what_was_typed() {
    let app = TestApp::spawn().await;
    let r = app.client().login("Secret#Password9", "x").await;
    assert_eq!(r.status, 401);
    let e = &app.state.store.audit_entries(&Default::default(), 1, 0).await.unwrap()[0];
    assert_eq!((e.action.as_str(), e.actor.as_str()), ("login.failed", "anonymous"));
    assert!(!e.detail.contains("Secret"));
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let r = c.post_raw("/login", &[("username", "admin"), ("password", DEMO_PASSWORD)]).await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("页面已过期"));
    assert_eq!(c.login("admin", DEMO_PASSWORD).await.status, 303);
    let root = app.unit_id("巫山县人民政府").await;
    let root_s = root.to_string();
    let fields = [
        ("parent_id", root_s.as_str()),
        ("name", "县档案馆"),
        ("code", "wsx-dag"),
        ("kind", "other"),
        ("phone", ""),
    ];
    let r = c.post_raw("/admin/units", &fields).await;
    assert_eq!(r.status, 403, "no token");
    let mut forged = fields.to_vec();
    forged.push(("csrf", "0000000000000000000000000000000000000000000000000000000000000000"));
    assert_eq!(c.post_raw("/admin/units", &forged).await.status, 403, "wrong token");
    assert!(
        app.state.store.units_named("县档案馆").await.unwrap().is_empty(),
        "nothing was created"
    );
    let r = c.post("/admin/units", &fields).await;
    assert_eq!(r.status, 303);
    assert_eq!(app.state.store.units_named("县档案馆").await.unwrap().len(), 1);
    // JSON clients authenticated by cookie send the header instead.
    let token = c.csrf().await;
    let r = c
        .send(
            axum::http::Request::post("/logout")
                .header("x-csrf-token", token)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 303);
}

#[tokio::test]
async fn sessions_expire_after_thirty_idle_minutes() {
    let app = TestApp::spawn().await;
    let c = app.client();
    c.login("leader", DEMO_PASSWORD).await;
    app.state.clock.advance(chrono::Duration::minutes(20));
    assert_eq!(c.get("/admin").await.status, 200, "activity within the timeout");
    app.state.clock.advance(chrono::Duration::minutes(20));
    assert_eq!(c.get("/admin").await.status, 200, "the last request renewed the session");
    app.state.clock.advance(chrono::Duration::minutes(31));
    let r = c.get("/admin").await;
    assert_eq!(r.status, 303);
    assert!(r.location().contains("expired=1"), "{}", r.location());
    let r = c.get(&r.location()).await;
    assert!(r.body.contains("登录已超时"));
}

#[tokio::test]
async fn initial_passwords_must_be_changed_first() {
    let app = TestApp::spawn().await;
    let admin = app.client();
    admin.login("admin", DEMO_PASSWORD).await;
    let finance = app.unit_id("县财政局").await.to_string();
    let r = admin
        .post(
            "/admin/users",
            &[
                ("username", "li.si"),
                ("display_name", "李四"),
                ("role", "editor"),
                ("unit_id", &finance),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let start = r.body.find("<code>").unwrap() + 6;
    let initial = &r.body[start..r.body[start..].find("</code>").unwrap() + start];
    assert_eq!(initial.len(), 12);

    let c = app.client();
    let r = c.login("li.si", initial).await;
    assert_eq!(r.location(), "/admin/account/password");
    assert_eq!(
        c.get("/admin").await.location(),
        "/admin/account/password",
        "everything else redirects"
    );
    let r = c
        .post(
            "/admin/account/password",
            &[("current", initial), ("new", "short"), ("confirm", "short")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("密码长度不少于8位"));
    let r = c
        .post(
            "/admin/account/password",
            &[("current", initial), ("new", "li.si#Abc123"), ("confirm", "li.si#Abc123")],
        )
        .await;
    assert!(r.body.contains("密码不得包含用户名"));
    let r = c
        .post(
            "/admin/account/password",
            &[("current", initial), ("new", "Caizheng#2021"), ("confirm", "Caizheng#2021")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(c.get(&r.location()).await.body.contains("密码已修改"));
    assert_eq!(c.get("/admin").await.status, 303, "the change ended the session");
    assert_eq!(c.login("li.si", "Caizheng#2021").await.location(), "/admin");
    assert_eq!(c.get("/admin").await.status, 200);
}

#[tokio::test]
async fn api_tokens_authenticate_and_can_be_revoked() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let leader = app.state.store.user_by_username("leader").await.unwrap().unwrap();
    let token = gongkai_app::accounts::create_token(&app.state.store, "test", leader.id, "dashboard")
        .await
        .unwrap();
    let bearer = format!("Bearer {token}");
    let r = c.get_with("/api/v1/me", &[("authorization", &bearer)]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["username"], "leader");
    let r = c.get_with("/api/v1/audit?limit=5", &[("authorization", &bearer)]).await;
    assert_eq!(r.status, 200, "leaders read the audit log");
    assert!(r.json()["entries"].as_array().unwrap().len() <= 5);
    assert_eq!(c.get_with("/api/v1/audit/verify", &[("authorization", &bearer)]).await.status, 403);
    let r = c.get("/api/v1/me").await;
    assert_eq!((r.status.as_u16(), r.json()["error"]["code"].as_str()), (401, Some("unauthorized")));
    let r = c.get_with("/api/v1/me", &[("authorization", "Bearer gk_wrong")]).await;
    assert_eq!(
        (r.status.as_u16(), r.json()["error"]["code"].as_str()),
        (401, Some("invalid_token"))
    );
    let id = app.state.store.tokens_of(leader.id).await.unwrap()[0].id;
    gongkai_app::accounts::revoke_token(&app.state.store, "test", id).await.unwrap();
    assert_eq!(c.get_with("/api/v1/me", &[("authorization", &bearer)]).await.status, 401);
}

#[tokio::test]
async fn audit_api_verifies_the_chain_and_finds_tampering() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let admin = app.state.store.user_by_username("admin").await.unwrap().unwrap();
    let token = gongkai_app::accounts::create_token(&app.state.store, "test", admin.id, "ops")
        .await
        .unwrap();
    let auth = format!("Bearer {token}");
    let r = c.get_with("/api/v1/audit/verify", &[("authorization", &auth)]).await.json();
    assert_eq!(r["intact"], true);
    let total = r["entries"].as_u64().unwrap();
    assert!(total > 30, "the demo seed is audited: {total}");
    use gongkai_store::schema::AuditLog;
    use sea_query::{Expr, ExprTrait, Query};
    app.state
        .store
        .execute(
            &Query::update()
                .table(AuditLog::Table)
                .value(AuditLog::Detail, "{}")
                .and_where(Expr::col(AuditLog::Seq).eq(7))
                .to_owned(),
        )
        .await
        .unwrap();
    let r = c.get_with("/api/v1/audit/verify", &[("authorization", &auth)]).await.json();
    assert_eq!((r["intact"].as_bool(), r["first_broken"].as_i64()), (Some(false), Some(7)));
}

#[tokio::test]
async fn audit_page_filters_by_actor_action_unit_and_date() {
    let app = TestApp::spawn().await;
    let c = app.client();
    c.login("admin", DEMO_PASSWORD).await;
    let finance = app.unit_id("县财政局").await;
    app.state
        .store
        .audit(NewEntry::new("czj_editor", "bulletin.publish", "bulletin", 42).unit(Some(finance)))
        .await
        .unwrap();
    let r = c.get("/admin/audit?action=bulletin").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("bulletin #42") && r.body.contains("共 1 条"), "{}", r.body);
    let r = c
        .get(&format!("/admin/audit?unit={finance}&actor=czj_editor&object_type=bulletin"))
        .await;
    assert!(r.body.contains("共 1 条"));
    let today = chrono::Utc::now().date_naive();
    let r = c.get(&format!("/admin/audit?action=bulletin&from={today}&to={today}")).await;
    assert!(r.body.contains("共 1 条"));
    let r = c.get("/admin/audit?from=yesterday").await;
    assert!(r.body.contains("起始日期格式不正确"));
    let r = c.post("/admin/audit/verify", &[]).await;
    assert!(r.body.contains("审计日志完整"), "{}", r.body);
}

#[tokio::test]
async fn accessibility_preferences_work_without_javascript() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let home = c.get("/").await;
    assert!(home.body.contains("class=\"font-n\""));
    assert!(home.body.contains("跳到主要内容"));
    let r = c.get("/a11y?set=f2.hc.ws&back=%2Fworkdays").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/workdays");
    let r = c.get("/").await;
    assert!(
        r.body.contains("class=\"font-xl contrast-high spacing-wide\""),
        "{}",
        &r.body[..300]
    );
    let r = c.get("/a11y?set=f0&back=https%3A%2F%2Fevil.example").await;
    assert_eq!(r.location(), "/", "never redirects off-site");
}

#[tokio::test]
async fn the_portal_shows_the_site_identifiers_and_unit_phones() {
    let app = TestApp::spawn().await;
    let r = app.client().get("/").await;
    for needle in [
        "网站标识码：5002370001",
        "ICP备案号：",
        "公安机关备案号：",
        "主办单位：巫山县人民政府办公室",
        "联系电话：023-57600000",
        "县财政局",
        "023-57600004",
        "高唐街道",
        "<meta name=\"viewport\"",
    ] {
        assert!(r.body.contains(needle), "missing {needle}");
    }
    let j = app.client().get("/api/v1/units").await.json();
    assert_eq!(j.as_array().unwrap().len(), 28);
}

#[tokio::test]
async fn calendar_import_changes_deadlines_for_everyone() {
    let app = TestApp::spawn().await;
    let c = app.client();
    c.login("admin", DEMO_PASSWORD).await;
    let before = c.get("/api/v1/workdays/deadline?from=2026-12-30&days=2").await.json();
    assert_eq!(before["due"], "2027-01-01");
    assert_eq!(before["provisional"], true);
    let json =
        r#"{"year":2027,"papers":["https://www.gov.cn/zhengce/example"],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}"#;
    let r = c.post("/admin/calendar", &[("json", json)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let after = c.get("/api/v1/workdays/deadline?from=2026-12-30&days=2").await.json();
    assert_eq!(after["due"], "2027-01-04");
    assert_eq!(after["provisional"], false);
    let r = c.post("/admin/calendar", &[("json", "{not json")]).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("class=\"flash error\""));
}
