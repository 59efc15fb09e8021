//! The public mailbox end to end on the demo site: a message submitted
//! through the form with its captcha, reviewed, routed, answered, checked,
//! rated, reopened and published with personal data masked; rejection and
//! extension rules; the flood guard; the oldest-unanswered view; the phone
//! and commitment ledgers; Open311; the API; and the deadline job.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::{Client, DEMO_PASSWORD, TestApp};

fn cn_value(s: &str) -> u32 {
    let d = |c: char| "零一二三四五六七八九".chars().position(|x| x == c).map(|p| p as u32);
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        ['十'] => 10,
        ['十', b] => 10 + d(*b).unwrap(),
        [a, '十'] => d(*a).unwrap() * 10,
        [a, '十', b] => d(*a).unwrap() * 10 + d(*b).unwrap(),
        [a] => d(*a).unwrap(),
        _ => panic!("numeral {s}"),
    }
}

/// Solves the captcha on a form page as a person would.
fn solve(html: &str) -> (String, String) {
    let q = html.split("验证问题：").nth(1).unwrap().split("等于多少").next().unwrap();
    let (a, b, plus) = match q.split_once('加') {
        Some((a, b)) => (a, b, true),
        None => {
            let (a, b) = q.split_once('减').unwrap();
            (a, b, false)
        }
    };
    let v = if plus {
        cn_value(a) + cn_value(b)
    } else {
        cn_value(a) - cn_value(b)
    };
    let token = html
        .split("name=\"captcha_token\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    (token, v.to_string())
}

async fn post_form(c: &Client<'_>, path: &str, fields: &[(&str, &str)], client: &str) -> common::Resp {
    let csrf = c.csrf().await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(all).finish();
    c.send(
        Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", client)
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

const CONTENT: &str = "我叫李四，电话13912345678，身份证号11010519491231002X。我家门口的路灯坏了一个多月，晚上出行很不安全，请尽快维修。";

/// Submits through the form; returns the query code.
async fn submit(c: &Client<'_>, client: &str, public: bool) -> String {
    let page = c.get("/mailbox").await;
    assert_eq!(page.status, 200);
    // The person waits more than two seconds before sending, as people do;
    // the test moves the token's issue time back instead of sleeping.
    let (token, answer) = solve(&page.body);
    assert!(!token.is_empty() && !answer.is_empty());
    let (token, answer) = backdate(c.app, &token, &answer);
    let mut fields = vec![
        ("category", "complaint"),
        ("addressee", ""),
        ("title", "小区门口路灯长期不亮"),
        ("content", CONTENT),
        ("name", "李四"),
        ("phone", "13912345678"),
        ("captcha_token", token.as_str()),
        ("captcha", answer.as_str()),
    ];
    if public {
        fields.push(("public", "1"));
    }
    let r = post_form(c, "/mailbox", &fields, client).await;
    assert_eq!(r.status, 303, "{}", r.body);
    r.location().split("code=").nth(1).unwrap().split('&').next().unwrap().to_owned()
}

/// A just-issued token fails the two-second check; the guard's key makes a
/// fresh token with an earlier issue time for the same sum.
fn backdate(app: &TestApp, _token: &str, _answer: &str) -> (String, String) {
    let issued = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - 10;
    app.state.mailbox.guard.solved(issued)
}

async fn login<'a>(app: &'a TestApp, user: &str) -> Client<'a> {
    let c = app.client();
    assert_eq!(c.login(user, DEMO_PASSWORD).await.status, 303, "login {user}");
    c
}

async fn act(c: &Client<'_>, id: i64, fields: &[(&str, &str)]) -> String {
    let r = c.post(&format!("/admin/mailbox/{id}/action"), fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    urlencoding::decode(&r.location()).unwrap().into_owned()
}

#[tokio::test]
async fn a_message_goes_from_the_form_to_a_published_masked_reply() {
    let app = TestApp::spawn().await;
    let public = app.client();
    // A wrong answer: the form comes back with what was typed.
    let page = public.get("/mailbox").await;
    let (token, right) = solve(&page.body);
    let (old_token, old_answer) = backdate(&app, "", "");
    let wrong = (old_answer.parse::<u32>().unwrap() + 1).to_string();
    let r = post_form(
        &public,
        "/mailbox",
        &[
            ("category", "complaint"),
            ("title", "小区门口路灯长期不亮"),
            ("content", CONTENT),
            ("name", "李四"),
            ("phone", "13912345678"),
            ("captcha_token", &old_token),
            ("captcha", &wrong),
        ],
        "192.0.2.1",
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("验证问题回答不正确") && r.body.contains("小区门口路灯长期不亮"));
    // The real answer, sent at once, is too fast for a person.
    let r = post_form(
        &public,
        "/mailbox",
        &[
            ("category", "complaint"),
            ("title", "小区门口路灯长期不亮"),
            ("content", CONTENT),
            ("name", "李四"),
            ("phone", "13912345678"),
            ("captcha_token", &token),
            ("captcha", &right),
        ],
        "192.0.2.1",
    )
    .await;
    assert!(r.body.contains("提交过快"), "{}", r.status);

    let code = submit(&public, "192.0.2.1", true).await;
    let track = public.get(&format!("/mailbox/track?code={code}&new=1")).await;
    assert!(track.body.contains("待审看") && track.body.contains(&code));
    assert!(!track.body.contains("13912345678"), "the follow-up page shows no contact data");
    let m = app.state.store.mailbox_by_code(&code).await.unwrap().unwrap();
    assert!(m.suggested_unit_id.is_some(), "a routing suggestion from the start lexicon");

    // The office reviews and routes to itself (its handler replies).
    let office = login(&app, "zfb_handler").await;
    let page = office.get(&format!("/admin/mailbox/{}", m.id)).await;
    assert!(page.body.contains("系统建议"));
    let zfb = app.unit_id("县政府办公室").await.to_string();
    assert!(
        act(&office, m.id, &[("action", "accept"), ("unit_id", &zfb)])
            .await
            .contains("已办理")
    );
    let m = app.state.store.mailbox_message(m.id).await.unwrap();
    assert_eq!(
        (m.status.as_str(), m.unit_id.map(|u| u.to_string())),
        ("assigned", Some(zfb.clone()))
    );
    assert!(m.due_on.is_some(), "投诉: due in 10 working days");

    // An editor of another bureau may not answer it.
    let editor = login(&app, "czj_editor").await;
    let r = editor
        .post(
            &format!("/admin/mailbox/{}/action", m.id),
            &[("action", "reply"), ("text", "已修复路灯，感谢您的监督。"), ("outcome", "resolved")],
        )
        .await;
    assert_eq!(r.status, 403);
    // A transfer names the body responsible; one extension of at most 15 days.
    let loc = act(
        &office,
        m.id,
        &[
            ("action", "reply"),
            ("text", "该事项不属于本单位职责，已转有关单位办理。"),
            ("outcome", "transferred"),
            ("note", ""),
        ],
    )
    .await;
    assert!(loc.contains("须写明负责办理的单位"), "{loc}");
    let loc = act(&office, m.id, &[("action", "extend"), ("days", "16"), ("reason", "需要现场核查")]).await;
    assert!(loc.contains("1至15个工作日"), "{loc}");
    assert!(
        act(
            &office,
            m.id,
            &[("action", "extend"), ("days", "5"), ("reason", "需要现场核查并协调供电部门")]
        )
        .await
        .contains("已办理")
    );
    let loc = act(&office, m.id, &[("action", "extend"), ("days", "5"), ("reason", "再延期一次")]).await;
    assert!(loc.contains("只能延期一次"), "{loc}");
    assert!(
        act(
            &office,
            m.id,
            &[
                ("action", "reply"),
                (
                    "text",
                    "您好！经核实，该路灯因线路老化损坏，已于本周更换线路并恢复照明，感谢您的监督。"
                ),
                ("outcome", "resolved")
            ]
        )
        .await
        .contains("已办理")
    );
    // The office checks: sent back once, then approved.
    assert!(
        act(&office, m.id, &[("action", "send_back"), ("note", "请写明恢复日期")])
            .await
            .contains("已办理")
    );
    assert_eq!(app.state.store.mailbox_message(m.id).await.unwrap().status, "extended");
    assert!(
        act(
            &office,
            m.id,
            &[
                ("action", "reply"),
                (
                    "text",
                    "您好！经核实，该路灯因线路老化损坏，已于12月1日更换线路并恢复照明，感谢您的监督。"
                ),
                ("outcome", "resolved")
            ]
        )
        .await
        .contains("已办理")
    );
    assert!(act(&office, m.id, &[("action", "approve")]).await.contains("已办理"));
    let m = app.state.store.mailbox_message(m.id).await.unwrap();
    assert_eq!((m.status.as_str(), m.outcome.as_deref()), ("answered", Some("resolved")));

    // The writer reads the reply, rates it, and reopens within 15 days.
    let track = public.get(&format!("/mailbox/track?code={code}")).await;
    assert!(track.body.contains("12月1日更换线路") && track.body.contains("已解决"));
    let r = post_form(
        &public,
        "/mailbox/track/rate",
        &[("code", &code), ("rating", "4"), ("note", "处理及时")],
        "192.0.2.1",
    )
    .await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("感谢您的评价"));
    let r = post_form(
        &public,
        "/mailbox/track/reopen",
        &[("code", &code), ("reason", "路灯又不亮了，问题没有解决")],
        "192.0.2.1",
    )
    .await;
    assert!(
        urlencoding::decode(&r.location()).unwrap().contains("已申请重新办理"),
        "{}",
        r.location()
    );
    let m = app.state.store.mailbox_message(m.id).await.unwrap();
    assert_eq!((m.status.as_str(), m.reopened, m.rating), ("assigned", 1, Some(4)));
    assert!(
        act(
            &office,
            m.id,
            &[
                ("action", "reply"),
                ("text", "您好！已安排维修人员更换灯具并每周巡查，现已恢复正常照明。"),
                ("outcome", "resolved")
            ]
        )
        .await
        .contains("已办理")
    );
    assert!(act(&office, m.id, &[("action", "approve")]).await.contains("已办理"));

    // Published with the five fields, personal data masked, under the unit's name.
    let r = office.post(&format!("/admin/mailbox/{}/publish", m.id), &[("publish", "1")]).await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("已在“留言答复选登”中公开"));
    let list = public.get("/mailbox/replies").await;
    assert!(list.body.contains("小区门口路灯长期不亮") && list.body.contains("县政府办公室"));
    let one = public.get(&format!("/mailbox/replies/{}", m.id)).await;
    for f in ["留言摘要", "受理日期", "答复日期", "答复部门", "答复内容"] {
        assert!(one.body.contains(f), "published page lacks {f}");
    }
    assert!(
        !one.body.contains("13912345678") && !one.body.contains("11010519491231002X"),
        "masked"
    );
    assert!(one.body.contains("恢复正常照明"));
    assert!(
        !one.body.contains("zfb_handler") && !one.body.contains("政府办办理人"),
        "under the unit's name, not a person's"
    );
    // The writer was told by SMS each time, through the outbox.
    let audit = app.state.store.audit_entries(&Default::default(), 200, 0).await.unwrap();
    for a in [
        "mailbox.submit",
        "mailbox.accepted",
        "mailbox.extended",
        "mailbox.replied",
        "mailbox.approved",
        "mailbox.reopened",
        "mailbox.publish",
        "mailbox.rate",
    ] {
        assert!(audit.iter().any(|e| e.action == a), "audit lacks {a}");
    }
    assert!(
        audit.iter().all(|e| !e.detail.to_string().contains("13912345678")),
        "no contact data in the audit log"
    );

    // Open311 reads the published message with a standard JSON parser.
    let services: serde_json::Value = serde_json::from_str(&public.get("/open311/v2/services.json").await.body).unwrap();
    assert_eq!(services.as_array().unwrap().len(), 5);
    let requests: serde_json::Value = serde_json::from_str(&public.get("/open311/v2/requests.json").await.body).unwrap();
    let ours = requests
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["service_request_id"] == format!("LY-{}", m.id))
        .unwrap();
    assert_eq!(
        (ours["status"].as_str(), ours["agency_responsible"].as_str()),
        (Some("closed"), Some("县政府办公室"))
    );
    assert!(!ours["description"].as_str().unwrap().contains("13912345678"));
    let one: serde_json::Value = serde_json::from_str(&public.get(&format!("/open311/v2/requests/LY-{}.json", m.id)).await.body).unwrap();
    assert_eq!(one.as_array().unwrap().len(), 1);
    let unpublished = app
        .state
        .store
        .mailbox_page(m.site_id, &Default::default(), 100, 0)
        .await
        .unwrap()
        .0;
    let private = unpublished.iter().find(|x| !x.published).unwrap();
    let r = public.get(&format!("/open311/v2/requests/LY-{}.json", private.id)).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"]["code"], "not_found");
    let r = public.get("/open311/v2/requests.json?start_date=yesterday").await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn a_scripted_flood_is_stopped_and_legitimate_writers_get_through() {
    let app = TestApp::spawn().await;
    let flood = app.client();
    let mut accepted = 0;
    let mut limited = 0;
    for _ in 0..12 {
        let issued = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            - 10;
        let (token, answer) = app.state.mailbox.guard.solved(issued);
        let r = post_form(
            &flood,
            "/mailbox",
            &[
                ("category", "other"),
                ("title", "广告推广信息"),
                ("content", "低价推广，联系我们获取更多优惠信息。"),
                ("name", "某某"),
                ("phone", "13800000000"),
                ("captcha_token", &token),
                ("captcha", &answer),
            ],
            "203.0.113.9",
        )
        .await;
        match r.status.as_u16() {
            303 => accepted += 1,
            429 => limited += 1,
            s => panic!("unexpected {s}"),
        }
    }
    assert_eq!((accepted, limited), (5, 7), "the burst of five, then refused");
    // A bot that fills the hidden field, or cannot answer, gets nothing in.
    let issued = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - 10;
    let (token, answer) = app.state.mailbox.guard.solved(issued);
    let r = post_form(
        &flood,
        "/mailbox",
        &[
            ("category", "other"),
            ("title", "广告推广信息"),
            ("content", "低价推广，联系我们获取更多优惠信息。"),
            ("name", "某某"),
            ("phone", "13800000000"),
            ("captcha_token", &token),
            ("captcha", &answer),
            ("website", "http://spam"),
        ],
        "203.0.113.10",
    )
    .await;
    assert!(r.body.contains("提交未通过校验"));
    // A replayed token is refused.
    let r = post_form(
        &flood,
        "/mailbox",
        &[
            ("category", "other"),
            ("title", "广告推广信息"),
            ("content", "低价推广，联系我们获取更多优惠信息。"),
            ("name", "某某"),
            ("phone", "13800000000"),
            ("captcha_token", &token),
            ("captcha", &answer),
        ],
        "203.0.113.11",
    )
    .await;
    assert_eq!(r.status, 303, "the honeypot refusal did not use the token");
    let r = post_form(
        &flood,
        "/mailbox",
        &[
            ("category", "other"),
            ("title", "广告推广信息"),
            ("content", "低价推广，联系我们获取更多优惠信息。"),
            ("name", "某某"),
            ("phone", "13800000000"),
            ("captcha_token", &token),
            ("captcha", &answer),
        ],
        "203.0.113.12",
    )
    .await;
    assert!(r.body.contains("已过期或已使用"));
    // Meanwhile a person elsewhere is not affected.
    let person = app.client();
    let code = submit(&person, "198.51.100.20", false).await;
    assert!(app.state.store.mailbox_by_code(&code).await.unwrap().is_some());

    // The office rejects the spam with a reason the writer is told.
    let office = login(&app, "zfb_handler").await;
    let site = app.state.store.site_by_code("wsx").await.unwrap().unwrap();
    let (spam, _) = app
        .state
        .store
        .mailbox_page(
            site.id,
            &gongkai_store::mailbox::MessageFilter {
                text: Some("广告推广".into()),
                ..Default::default()
            },
            1,
            0,
        )
        .await
        .unwrap();
    assert!(
        act(&office, spam[0].id, &[("action", "reject"), ("reason", "spam"), ("note", "")])
            .await
            .contains("已办理")
    );
    let track = app.client().get(&format!("/mailbox/track?code={}", spam[0].query_code)).await;
    assert!(track.body.contains("不予受理") && track.body.contains("广告"));
    // A rejected message cannot be published.
    let r = office
        .post(&format!("/admin/mailbox/{}/publish", spam[0].id), &[("publish", "1")])
        .await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("error="));
}

#[tokio::test]
async fn the_oldest_unanswered_view_ledgers_api_and_deadlines() {
    let app = TestApp::spawn().await;
    let office = login(&app, "zfb_handler").await;
    // The demo has a message unanswered for more than three months.
    let ledger = office.get("/admin/mailbox").await;
    assert!(ledger.body.contains("超过3个月"), "the veto banner");
    let oldest = office.get("/admin/mailbox?view=oldest").await;
    let first = oldest.body.find("退役军人优待证").unwrap();
    let later = oldest.body.find("公租房申请条件").unwrap();
    assert!(first < later, "oldest first");
    assert!(office.get("/admin").await.body.contains("超过3个月未答复"));
    // Every demo state is present.
    let site = app.state.store.site_by_code("wsx").await.unwrap().unwrap();
    let counts = app.state.store.mailbox_counts(site.id, None).await.unwrap();
    for s in ["submitted", "accepted", "assigned", "extended", "reviewing", "answered", "rejected"] {
        assert!(counts.iter().any(|c| c.0 == s && c.1 > 0), "demo lacks {s}");
    }

    // The deadline job escalates overdue messages to the office (once).
    let (_, escalated) = gongkai_app::mailbox::run_deadlines(&app.state).await.unwrap();
    assert!(escalated >= 2, "{escalated}");
    let (_, again) = gongkai_app::mailbox::run_deadlines(&app.state).await.unwrap();
    assert_eq!(again, 0);

    // Phone ledger: a call not answered on the spot is due in 5 working days.
    let finance = app.unit_id("县财政局").await.to_string();
    let r = office
        .post(
            "/admin/mailbox/calls",
            &[
                ("unit_id", &finance),
                ("called_at", "2026-11-16T10:00"),
                ("question", "咨询惠民补贴发放时间"),
                ("answer", ""),
            ],
        )
        .await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("5个工作日内答复"));
    let calls = app.state.store.phone_calls(site.id, None, 50).await.unwrap();
    let call = calls.iter().find(|c| c.question == "咨询惠民补贴发放时间").unwrap();
    assert_eq!(call.due_on.as_deref(), Some("2026-11-23"));
    let r = office
        .post(
            &format!("/admin/mailbox/calls/{}/close", call.id),
            &[("answer", "已电话告知本月底前发放")],
        )
        .await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("已记录答复"));
    let r = office
        .post("/admin/mailbox/checks", &[("unit_id", &finance), ("answered", "1"), ("note", "")])
        .await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("已记录检查结果"));
    let page = office.get("/admin/mailbox/calls").await;
    assert!(page.body.contains("对外电话检查") && page.body.contains("接通"));

    // Commitments: registered, followed up, fulfilled and published.
    let edu = app.unit_id("县教委").await.to_string();
    let r = office
        .post(
            "/admin/mailbox/commitments",
            &[
                ("unit_id", &edu),
                ("category", "education"),
                ("event", "网民反映某校食堂卫生问题"),
                ("promise", "承诺调查处理并公布结果"),
                ("owner", "县教委分管负责人"),
                ("promised_on", "2026-11-20"),
                ("due_on", "2026-11-30"),
            ],
        )
        .await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("已登记承诺"));
    let k = app
        .state
        .store
        .commitments(site.id, false)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.event.contains("食堂"))
        .unwrap();
    let path = format!("/admin/mailbox/commitments/{}", k.id);
    office.post(&path, &[("op", "note"), ("note", "已约谈学校负责人")]).await;
    office
        .post(&path, &[("op", "fulfil"), ("note", "已完成整改，检查结果已通报")])
        .await;
    office.post(&path, &[("op", "publish"), ("note", "")]).await;
    let public = app.client().get("/mailbox/commitments").await;
    assert!(public.body.contains("某校食堂卫生问题") && public.body.contains("已兑现"));
    let editor = login(&app, "czj_editor").await;
    assert_eq!(editor.post(&path, &[("op", "publish")]).await.status, 403);

    // The API: another system registers a message; its status is public by code.
    let u = app.state.store.user_by_username("zfb_handler").await.unwrap().unwrap();
    let token = gongkai_app::accounts::create_token(&app.state.store, "test", u.id, "12345")
        .await
        .unwrap();
    let c = app.client();
    let r = c
        .send(
            Request::post("/api/v1/messages")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {token}"))
                .body(Body::from(serde_json::json!({"category":"help","title":"低保申请进度查询","content":"今年三月提交了低保申请，想了解审核进度。","name":"王五","phone":"13700000000"}).to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let code = r.json()["query_code"].as_str().unwrap().to_owned();
    let s = c.get(&format!("/api/v1/messages/{code}")).await;
    assert_eq!(s.json()["status"], "待审看");
    assert!(!s.body.contains("13700000000"));
    let r = c
        .send(
            Request::post("/api/v1/messages")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {token}"))
                .body(Body::from(
                    serde_json::json!({"category":"bogus","title":"x","content":"y","name":"","phone":"1"}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(c.get("/api/v1/messages/LY20260101-ZZZZZZ").await.status, 404);
    // Statistics.
    let stats = app.client().get("/mailbox/stats").await;
    assert!(stats.body.contains("按期答复率") && stats.body.contains("满意率"));
}
