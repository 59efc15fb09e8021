//! The policy Q&A library end to end on the demo site: 一网答 answers at
//! once, suggests or abstains; an unanswered question becomes a ticket due
//! in 5 working days, is replied to through the outbox and turned into a new
//! entry; a repealed linked policy stops its entries from answering; the
//! hotline API; deadlines; import and export.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::{DEMO_PASSWORD, TestApp, token};

fn post_json(path: &str, auth: Option<&str>, body: serde_json::Value) -> Request<Body> {
    let mut b = Request::post(path).header("content-type", "application/json");
    if let Some(a) = auth {
        b = b.header("authorization", a);
    }
    b.body(Body::from(body.to_string())).unwrap()
}

async fn site_id(app: &TestApp) -> i64 {
    app.state.store.site_by_code("wsx").await.unwrap().unwrap().id
}

async fn entry_id(app: &TestApp, question: &str) -> i64 {
    let f = gongkai_store::qa::QaEntryFilter {
        text: Some(question.into()),
        ..Default::default()
    };
    app.state.store.qa_entries_page(site_id(app).await, &f, 1, 0).await.unwrap().0[0].id
}

#[tokio::test]
async fn the_ask_page_answers_at_once_when_sure_and_logs_the_consultation() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let r = c.get("/qa").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("政策咨询（一网答）") && r.body.contains("/static/qa.js"));
    let q = urlencoding::encode("我想向政府申请公开一份文件，要怎么提交？");
    let r = c.get(&format!("/qa?q={q}")).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("答复：如何申请政府信息公开？"), "{}", r.body);
    assert!(r.body.contains("依申请公开"));
    assert!(r.body.contains("有帮助"));
    let id = entry_id(&app, "如何申请政府信息公开").await;
    assert_eq!(
        app.state.store.qa_entry(id).await.unwrap().hits,
        1,
        "the immediate answer is counted"
    );
    let (rows, _) = app
        .state
        .store
        .consultations_page(site_id(&app).await, &Default::default(), 10, 0)
        .await
        .unwrap();
    assert_eq!(
        (rows[0].state.as_str(), rows[0].channel.as_str(), rows[0].matched_entry_id),
        ("answered", "web", Some(id))
    );

    // Feedback counts.
    let r = c.post(&format!("/qa/entries/{id}/feedback"), &[("helpful", "0")]).await;
    assert_eq!(r.status, 303);
    assert_eq!(app.state.store.qa_entry(id).await.unwrap().unhelpful, 1);
    let r = c.post(&format!("/qa/entries/{id}/feedback"), &[("helpful", "maybe")]).await;
    assert_eq!(r.status, 400);
    // Live suggestions while typing.
    let j = c.get(&format!("/qa/suggest?q={}", urlencoding::encode("公积金提取"))).await.json();
    assert_eq!(j[0]["question"], "住房公积金怎么提取？");
    // 搜问一体: the portal search shows the entry above document hits.
    let r = c.get(&format!("/search?q={}", urlencoding::encode("住房公积金提取"))).await;
    assert!(r.body.contains("政策问答") && r.body.contains("住房公积金怎么提取？"), "{}", r.body);
}

#[tokio::test]
async fn an_unanswered_question_becomes_a_ticket_replied_within_five_working_days_and_grows_the_library() {
    let app = TestApp::spawn().await;
    let citizen = app.client();
    let question = "县里对返乡创业的大学生有没有场地租金减免？";
    let r = citizen.get(&format!("/qa?q={}", urlencoding::encode(question))).await;
    assert!(r.body.contains("请登记咨询") || r.body.contains("以上都不是"), "{}", r.body);
    assert!(!r.body.contains("答复："), "no immediate answer for an unknown matter");
    // A bad e-mail keeps what was typed and says why.
    let r = citizen
        .post(
            "/qa/ask",
            &[("question", question), ("contact_email", "not-an-address"), ("reply_via", "email")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("电子邮箱格式不正确") && r.body.contains("返乡创业"));
    let r = citizen
        .post(
            "/qa/ask",
            &[
                ("question", question),
                ("contact_name", "李四"),
                ("contact_email", "lisi@example.com"),
                ("reply_via", "email"),
                ("publish_consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("咨询已登记"));
    let (rows, _) = app
        .state
        .store
        .consultations_page(site_id(&app).await, &Default::default(), 1, 0)
        .await
        .unwrap();
    let t = rows[0].clone();
    assert_eq!(t.state, "open");
    let today = app.state.clock.now().date_naive();
    let cal = app.state.calendar().await.unwrap();
    assert_eq!(t.due_on.as_deref(), Some(cal.add_working_days(today, 5).to_string().as_str()));
    assert_eq!(cal.working_days_between(today, t.due_on.as_deref().unwrap().parse().unwrap()), 5);
    // The consultant's link shows the state; a wrong key shows nothing.
    let link = format!("/qa/tickets/{}?key={}", t.id, t.access_key);
    assert!(r.body.contains(&link));
    assert!(citizen.get(&link).await.body.contains("待答复"));
    assert_eq!(citizen.get(&format!("/qa/tickets/{}?key=nope", t.id)).await.status, 404);
    // Personal data stays out of the audit log.
    let audit = app
        .state
        .store
        .audit_entries(&gongkai_store::audit::AuditFilter::default(), 50, 0)
        .await
        .unwrap();
    let reg = audit
        .iter()
        .find(|a| a.action == "consultation.register")
        .expect("registration audited");
    assert!(!reg.detail.contains("李四") && !reg.detail.contains("lisi@"), "{}", reg.detail);

    // The supervising office's case handler (政府办, the demo site's setting)
    // sees the ledger and replies; the reply goes to the outbox.
    let handler = app.client();
    handler.login("zfb_handler", DEMO_PASSWORD).await;
    let r = handler.get("/admin/qa/tickets").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("返乡创业"));
    let reply = "符合条件的返乡创业大学生入驻县创业孵化基地，可享受最长3年的场地租金减免。";
    let r = handler
        .post(&format!("/admin/qa/tickets/{}/reply", t.id), &[("reply", reply), ("publish", "1")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = handler
        .post(&format!("/admin/qa/tickets/{}/reply", t.id), &[("reply", "again")])
        .await;
    assert_eq!(r.status, 409, "a ticket is replied to once");
    let outbox = app.state.store.outbox(5).await.unwrap();
    assert_eq!(
        (outbox[0].channel.as_str(), outbox[0].recipient.as_str()),
        ("email", "lisi@example.com")
    );
    assert!(outbox[0].body.contains(reply));
    assert!(citizen.get(&link).await.body.contains(reply));
    let r = citizen.get("/qa/replies").await;
    assert!(r.body.contains(reply) && !r.body.contains("李四"));

    // One click turns the reply into an entry; published, it answers at once.
    let editor = app.client();
    editor.login("admin", DEMO_PASSWORD).await;
    let r = editor
        .post(&format!("/admin/qa/tickets/{}/library", t.id), &[("mode", "entry")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let new_id: i64 = r
        .location()
        .trim_start_matches("/admin/qa/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let e = app.state.store.qa_entry(new_id).await.unwrap();
    assert_eq!(
        (e.state.as_str(), e.source.as_str(), e.answer_text.as_str()),
        ("draft", "reply", reply)
    );
    let r = editor.post(&format!("/admin/qa/{new_id}/action"), &[("action", "publish")]).await;
    assert_eq!(r.status, 303);
    let r = citizen
        .get(&format!("/qa?q={}", urlencoding::encode("返乡创业大学生场地租金能减免吗")))
        .await;
    assert!(r.body.contains(reply), "the new entry answers: {}", r.body);
    // Reports count channels, immediate answers and on-time replies.
    let r = handler.get("/admin/qa/reports").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("即时答复率") && r.body.contains("按时答复率 100.0%"), "{}", r.body);
}

#[tokio::test]
async fn a_repealed_linked_policy_stops_its_entries_from_answering_until_reviewed() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let ask = "一卡通补贴是怎么发到手上的？";
    let body = serde_json::json!({ "question": ask });
    let j = c.send(post_json("/api/v1/qa/match", None, body.clone())).await.json();
    assert_eq!(j["outcome"], "answer", "{j}");
    let id = j["matches"][0]["id"].as_i64().unwrap();
    assert!(
        !j["matches"][0]["matched_terms"].as_array().unwrap().is_empty(),
        "the match says why"
    );

    // The finance bureau repeals the policy the entry cites.
    let docs = app
        .state
        .store
        .list_documents(&gongkai_store::catalogue::DocumentFilter::default(), 100, 0)
        .await
        .unwrap();
    let policy = docs.iter().find(|d| d.doc_no.as_deref() == Some("巫山财发〔2021〕7号")).unwrap();
    let reviewer = app.client();
    reviewer.login("czj_reviewer", DEMO_PASSWORD).await;
    let r = reviewer
        .post(
            &format!("/admin/documents/{}/validity", policy.id),
            &[
                ("validity", "repealed"),
                ("on", "2022-01-01"),
                ("reason", "已整合进新办法"),
                ("replaced_by", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let e = app.state.store.qa_entry(id).await.unwrap();
    assert!(e.needs_review && e.review_reason.unwrap().contains("废止"));
    let j = c.send(post_json("/api/v1/qa/match", None, body.clone())).await.json();
    assert_eq!(j["matches"][0]["id"].as_i64(), Some(id));
    assert_ne!(j["outcome"], "answer", "a flagged entry is only suggested: {j}");
    assert_eq!(j["matches"][0]["auto_answer"], false);

    // Reviewed, it answers again.
    let r = reviewer.post(&format!("/admin/qa/{id}/action"), &[("action", "reviewed")]).await;
    assert_eq!(r.status, 303);
    let j = c.send(post_json("/api/v1/qa/match", None, body)).await.json();
    assert_eq!(j["outcome"], "answer");
}

#[tokio::test]
async fn the_hotline_api_matches_with_a_token_and_creates_and_reads_tickets() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let hotline = serde_json::json!({ "question": "低保怎么申请", "channel": "hotline", "limit": 3 });
    let r = c.send(post_json("/api/v1/qa/match", None, hotline.clone())).await;
    assert_eq!((r.status.as_u16(), r.json()["error"]["code"].as_str()), (401, Some("unauthorized")));
    let auth = token(&app, "zfb_handler").await;
    let j = c.send(post_json("/api/v1/qa/match", Some(&auth), hotline)).await.json();
    assert_eq!(j["matches"][0]["question"], "最低生活保障的申请条件是什么？");
    assert!(
        j["matches"][0]["answer"].as_str().unwrap().starts_with("本县户籍"),
        "the hotline gets the short script"
    );
    for (body, field) in [
        (serde_json::json!({ "question": "" }), "question"),
        (serde_json::json!({ "question": "低保", "limit": 0 }), "limit"),
        (serde_json::json!({ "question": "低保", "channel": "fax" }), "channel"),
    ] {
        let r = c.send(post_json("/api/v1/qa/match", None, body)).await;
        assert_eq!((r.status.as_u16(), r.json()["error"]["field"].as_str()), (400, Some(field)));
    }
    let r = c.send(post_json("/api/v1/qa/match", None, serde_json::json!({ "q": 1 }))).await;
    assert_eq!(r.status, 422);

    let body = serde_json::json!({ "question": "残疾人两项补贴怎么领？", "contact_phone": "13912345678", "reply_via": "sms", "external_ref": "12345-2026-0001" });
    let r = c.send(post_json("/api/v1/consultations", None, body.clone())).await;
    assert_eq!(r.status, 401);
    let r = c.send(post_json("/api/v1/consultations", Some(&auth), body)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let j = r.json();
    assert_eq!((j["state"].as_str(), j["channel"].as_str()), (Some("open"), Some("hotline")));
    assert!(j["ticket"].as_str().unwrap().starts_with("ZX"));
    assert!(j.get("contact_phone").is_none(), "contact details are not echoed");
    let id = j["id"].as_i64().unwrap();
    let r = c
        .send(
            Request::get(format!("/api/v1/consultations/{id}"))
                .header("authorization", &auth)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.json()["external_ref"], "12345-2026-0001");
    let bad = serde_json::json!({ "question": "x", "reply_via": "sms" });
    let r = c.send(post_json("/api/v1/consultations", Some(&auth), bad)).await;
    assert_eq!(
        (r.status.as_u16(), r.json()["error"]["field"].as_str()),
        (400, Some("contact_phone"))
    );
    let r = c.get(&format!("/api/v1/consultations/{id}")).await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn open_tickets_are_reminded_then_escalated_once() {
    let app = TestApp::spawn().await;
    let auth = token(&app, "zfb_handler").await;
    let c = app.client();
    let body = serde_json::json!({ "question": "农村危房改造补助标准是多少？" });
    let j = c.send(post_json("/api/v1/consultations", Some(&auth), body)).await.json();
    let id = j["id"].as_i64().unwrap();
    assert_eq!(gongkai_app::qa::run_deadlines(&app.state).await.unwrap(), (0, 0));
    // Three calendar weeks later the ticket is overdue: one reminder (it was
    // never sent) would be pointless, so it is escalated once.
    app.state.clock.advance(chrono::Duration::days(21));
    assert_eq!(gongkai_app::qa::run_deadlines(&app.state).await.unwrap(), (0, 1));
    assert_eq!(gongkai_app::qa::run_deadlines(&app.state).await.unwrap(), (0, 0));
    let t = app.state.store.consultation(id).await.unwrap();
    assert!(t.escalated_at.is_some());
    let notice = &app.state.store.outbox(1).await.unwrap()[0];
    assert_eq!(notice.channel, "notice");
    assert!(notice.subject.contains("已超期"));
    // The escalation goes to the supervising office, whose handler sees it in the ledger.
    let office = app.unit_id("县政府办公室").await;
    assert_eq!(notice.recipient, format!("unit:{office}"));
    let handler = app.client();
    handler.login("zfb_handler", DEMO_PASSWORD).await;
    let r = handler.get("/admin/qa/tickets?overdue=1").await;
    assert!(r.body.contains("已督办") && r.body.contains("超期"), "{}", r.body);
}

#[tokio::test]
async fn reminders_go_out_two_working_days_before_the_due_date() {
    let app = TestApp::spawn().await;
    let auth = token(&app, "zfb_handler").await;
    let c = app.client();
    let j = c
        .send(post_json(
            "/api/v1/consultations",
            Some(&auth),
            serde_json::json!({ "question": "农村危房改造补助标准是多少？" }),
        ))
        .await
        .json();
    let due: chrono::NaiveDate = j["due_on"].as_str().unwrap().parse().unwrap();
    let cal = app.state.calendar().await.unwrap();
    // Move to the first day with at most two working days left.
    let mut day = app.state.clock.now().date_naive();
    while cal.working_days_between(day, due) > 2 {
        day = day.succ_opt().unwrap();
    }
    let offset = (day - app.state.clock.now().date_naive()).num_days();
    app.state.clock.advance(chrono::Duration::days(offset));
    assert_eq!(gongkai_app::qa::run_deadlines(&app.state).await.unwrap(), (1, 0));
    assert_eq!(gongkai_app::qa::run_deadlines(&app.state).await.unwrap(), (0, 0));
}

#[tokio::test]
async fn admin_pages_follow_roles_and_the_agent_logs_consultations() {
    let app = TestApp::spawn().await;
    let handler = app.client();
    handler.login("zfb_handler", DEMO_PASSWORD).await;
    let r = handler
        .get(&format!(
            "/admin/qa/agent?channel=hotline&q={}",
            urlencoding::encode("高龄津贴怎么领")
        ))
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("高龄老人有没有津贴？") && r.body.contains("按月发到社保卡"),
        "{}",
        r.body
    );
    let id = entry_id(&app, "高龄老人").await.to_string();
    let r = handler
        .post(
            "/admin/qa/agent/answered",
            &[("question", "高龄津贴怎么领"), ("channel", "hotline"), ("entry_id", &id)],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("已记录当场答复"));
    let r = handler
        .post(
            "/admin/qa/agent/register",
            &[("question", "电话咨询的问题"), ("channel", "phone"), ("reply_via", "phone")],
        )
        .await;
    assert_eq!(r.status, 422, "a phone reply needs a number");
    assert!(r.body.contains("联系电话"));
    assert_eq!(
        handler.get("/admin/qa/new").await.status,
        403,
        "case handlers do not edit the library"
    );

    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;
    assert_eq!(editor.get("/admin/qa").await.status, 200);
    assert_eq!(editor.get("/admin/qa/agent").await.status, 403);
    let finance = app.unit_id("县财政局").await.to_string();
    let r = editor
        .post(
            "/admin/qa",
            &[
                ("question", "财政补贴到账了怎么查询？"),
                ("similar", "补贴到没到账\n补贴到账查询"),
                ("answer", "<p>可在社保卡银行网点或手机银行查询。</p><script>alert(1)</script>"),
                ("unit_id", &finance),
                ("links", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id: i64 = r
        .location()
        .trim_start_matches("/admin/qa/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let e = app.state.store.qa_entry(id).await.unwrap();
    assert!(!e.answer.contains("<script"), "answers are sanitised");
    assert_eq!(e.state, "draft");
    assert_eq!(
        editor
            .post(&format!("/admin/qa/{id}/action"), &[("action", "publish")])
            .await
            .status,
        403,
        "editors do not publish"
    );
    let r = editor.post("/admin/qa", &[("question", ""), ("answer", "x")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("标准问题不能为空"));
    let r = editor
        .post("/admin/qa", &[("question", "问"), ("answer", "答"), ("links", "abc")])
        .await;
    assert_eq!(r.status, 422);
    let reviewer = app.client();
    reviewer.login("czj_reviewer", DEMO_PASSWORD).await;
    assert_eq!(
        reviewer
            .post(&format!("/admin/qa/{id}/action"), &[("action", "publish")])
            .await
            .status,
        303
    );
    let r = app.client().get(&format!("/qa/entries/{id}")).await;
    assert!(r.body.contains("财政补贴到账了怎么查询？"));
    // Synonyms are edited as text; the matcher uses them at once.
    let admin = app.client();
    admin.login("admin", DEMO_PASSWORD).await;
    let r = admin.post("/admin/qa/synonyms", &[("body", "到账 到帐 入账\n孤词")]).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("已保存：1 组同义词") && r.body.contains("只有一个词"));
    let anon = app.client();
    let j = anon
        .send(post_json(
            "/api/v1/qa/match",
            None,
            serde_json::json!({ "question": "补贴入账怎么查" }),
        ))
        .await
        .json();
    assert_eq!(j["matches"][0]["id"].as_i64(), Some(id), "{j}");
    assert!(j["terms"].as_array().unwrap().iter().any(|t| t == "到账"), "{j}");
}

#[tokio::test]
async fn import_updates_by_id_reports_bad_lines_and_exports_round_trip() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("faq.jsonl");
    std::fs::write(
        &file,
        [
            r#"{"id":"A-1","unit":"县民政局","question":"临时救助怎么申请？","answer":"向乡镇（街道）提出申请。","similar":["遇到急事困难能申请救助吗"],"category":["x"]}"#,
            r#"{"id":"A-2","unit":"某个外地单位","question":"丧葬补贴标准？","answer":"按规定标准发放。"}"#,
            r#"{"id":"A-3","question":"没有答案"}"#,
            "not json",
            r#"{"id":{"x":1},"question":"q","answer":"a"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let opts = gongkai_app::qa::import::ImportOptions {
        file: file.clone(),
        site: None,
        draft: false,
        progress: false,
        actor: "test".into(),
    };
    let s = gongkai_app::qa::import::import(&app.state, &opts).await.unwrap();
    assert_eq!((s.imported, s.updated, s.unchanged), (2, 0, 0));
    assert_eq!(s.rejected.iter().map(|r| r.0).collect::<Vec<_>>(), vec![3, 4, 5]);
    let site = site_id(&app).await;
    let mut tx = app.state.store.begin().await.unwrap();
    let a1 = tx.qa_entry_by_external_id(site, "A-1").await.unwrap().unwrap();
    let a2 = tx.qa_entry_by_external_id(site, "A-2").await.unwrap().unwrap();
    drop(tx);
    assert_eq!(a1.unit_id, Some(app.unit_id("县民政局").await));
    assert_eq!((a2.unit_id, a2.unit_name.as_str()), (None, "某个外地单位"));
    // Importing again changes nothing; a changed answer updates in place.
    let s = gongkai_app::qa::import::import(&app.state, &opts).await.unwrap();
    assert_eq!((s.imported, s.updated, s.unchanged), (0, 0, 2));
    std::fs::write(
        &file,
        r#"{"id":"A-1","question":"临时救助怎么申请？","answer":"向户籍所在地乡镇（街道）提出申请。","unit":"县民政局"}"#,
    )
    .unwrap();
    let s = gongkai_app::qa::import::import(&app.state, &opts).await.unwrap();
    assert_eq!((s.imported, s.updated), (0, 1));
    assert!(app.state.store.qa_entry(a1.id).await.unwrap().answer_text.contains("户籍所在地"));
    assert!(app.state.store.qa_similar_of(&[a1.id]).await.unwrap().is_empty());

    // Export as xlsx and import the workbook into a fresh library: same entries.
    let xlsx = dir.path().join("faq.xlsx");
    let n = gongkai_app::qa::import::export(&app.state, None, &xlsx).await.unwrap();
    assert!(n >= 14, "{n}");
    let jsonl = dir.path().join("out.jsonl");
    assert_eq!(gongkai_app::qa::import::export(&app.state, None, &jsonl).await.unwrap(), n);
    let other = TestApp::spawn().await;
    let s = gongkai_app::qa::import::import(
        &other.state,
        &gongkai_app::qa::import::ImportOptions {
            file: xlsx,
            ..opts.clone()
        },
    )
    .await
    .unwrap();
    assert!(s.rejected.is_empty(), "{:?}", s.rejected);
    assert_eq!(s.imported, n);
    let j = other
        .client()
        .send(post_json(
            "/api/v1/qa/match",
            None,
            serde_json::json!({ "question": "临时救助向哪里申请" }),
        ))
        .await
        .json();
    assert!(j["matches"][0]["answer"].as_str().unwrap().contains("户籍所在地"), "{j}");
}
