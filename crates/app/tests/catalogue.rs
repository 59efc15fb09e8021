//! The disclosure catalogue end to end: the demo content, the review
//! workflow with the privacy guard, attachments, validity, unpublishing,
//! feeds and the API.

mod common;

use common::{DEMO_PASSWORD, TestApp};

async fn column_id(app: &TestApp, slug: &str) -> i64 {
    let site = app.state.store.site_by_code("wsx").await.unwrap().unwrap();
    app.state.store.column_by_slug(site.id, slug).await.unwrap().unwrap().id
}

async fn doc_by_title(app: &TestApp, needle: &str) -> gongkai_store::catalogue::DocumentRow {
    let f = gongkai_store::catalogue::DocumentFilter {
        title_contains: Some(needle.into()),
        ..Default::default()
    };
    app.state
        .store
        .list_documents(&f, 10, 0)
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no document titled {needle}"))
}

#[tokio::test]
async fn the_demo_catalogue_shows_the_founding_document_and_its_metadata() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let seed = doc_by_title(&app, "2021年政务公开工作要点任务分工巫山县责任清单").await;
    let r = c.get(&format!("/documents/{}", seed.id)).await;
    assert_eq!(r.status, 200);
    for needle in [
        "巫山府办发〔2021〕48号",
        "巫山县人民政府办公室",
        "<th scope=\"row\">成文日期</th><td>2021-06-01</td>",
        "<th scope=\"row\">发布日期</th><td>2021-06-01</td>",
        "索引号",
        "wsx-zfb/",
        "现行有效",
    ] {
        assert!(r.body.contains(needle), "missing {needle}");
    }
    let r = c.get("/columns/other-documents").await;
    assert!(r.body.contains(&format!("/documents/{}", seed.id)));
    let r = c.get("/catalogue").await;
    for name in [
        "政府信息公开指南",
        "行政规范性文件",
        "预决算",
        "文字解读",
        "图片解读",
        "视频解读",
        "法治政府建设年度报告",
        "政府信息公开年报",
        "公共企事业单位信息",
        "政府公报",
        "依申请公开",
    ] {
        assert!(r.body.contains(name), "catalogue lacks {name}");
    }
    let r = c.get("/columns/contact").await;
    assert!(
        r.body.contains("县财政局") && r.body.contains("023-57600004"),
        "联系我们 lists the units' public phones"
    );
}

#[tokio::test]
async fn repealed_documents_keep_their_page_with_a_banner_and_queue_interpretations() {
    let app = TestApp::spawn().await;
    let old = doc_by_title(&app, "管理办法（试行）》的通知").await;
    assert_eq!(old.validity, "repealed");
    let r = app.client().get(&format!("/documents/{}", old.id)).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("本文件已于2021年5月1日废止"), "{}", r.body);
    assert!(r.body.contains("查看替代文件"));
    let stale = doc_by_title(&app, "（试行）》解读").await;
    assert!(stale.needs_review, "the interpretation of a repealed document is queued for review");
    // Repealing again through the page queues linked interpretations.
    let new = doc_by_title(&app, "管理办法》的通知").await;
    let c = app.client();
    c.login("czj_reviewer", DEMO_PASSWORD).await;
    let r = c
        .post(
            &format!("/admin/documents/{}/validity", new.id),
            &[
                ("validity", "amended"),
                ("on", "2022-01-01"),
                ("reason", "第一条修改"),
                ("replaced_by", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let interp = doc_by_title(&app, "一图读懂").await;
    assert!(app.state.store.get_document(interp.id).await.unwrap().needs_review);
    let r = c
        .post(
            &format!("/admin/documents/{}/validity", new.id),
            &[("validity", "repealed"), ("on", "2022-01-01"), ("reason", ""), ("replaced_by", "")],
        )
        .await;
    assert_eq!(r.status, 400, "a reason is required");
}

#[tokio::test]
async fn interpretations_of_three_kinds_link_to_their_documents() {
    let app = TestApp::spawn().await;
    let c = app.client();
    for (slug, kind) in [
        ("interpretations-text", "文字解读"),
        ("interpretations-image", "图片解读"),
        ("interpretations-video", "视频解读"),
    ] {
        let id = column_id(&app, slug).await;
        let f = gongkai_store::catalogue::DocumentFilter {
            column_ids: Some(vec![id]),
            states: Some(vec!["published".into()]),
            ..Default::default()
        };
        let docs = app.state.store.list_documents(&f, 10, 0).await.unwrap();
        assert!(!docs.is_empty(), "{slug}");
        let r = c.get(&format!("/documents/{}", docs[0].id)).await;
        assert!(r.body.contains(kind) && r.body.contains("解读的政策文件"), "{slug}");
    }
    let policy = doc_by_title(&app, "管理办法》的通知").await;
    let r = c.get(&format!("/documents/{}", policy.id)).await;
    assert!(
        r.body.contains("政策解读") && r.body.contains("一图读懂"),
        "the document lists its interpretations"
    );
    let image = doc_by_title(&app, "一图读懂").await;
    let r = c.get(&format!("/documents/{}", image.id)).await;
    assert!(r.body.contains("<img src=\"/files/"));
}

#[tokio::test]
async fn a_draft_goes_through_three_review_stages_and_nobody_approves_their_own() {
    let app = TestApp::spawn().await;
    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;
    let finance = app.unit_id("县财政局").await.to_string();
    let column = column_id(&app, "normative-documents").await.to_string();
    let r = editor
        .post(
            "/admin/documents",
            &[
                ("unit_id", &finance),
                ("column_id", &column),
                ("title", "巫山县财政局关于做好2022年预算编制工作的通知"),
                ("doc_no", "巫山财发(2021)30号"),
                ("written_on", "2021-09-01"),
                (
                    "body",
                    "<p>各单位：请按要求编制预算。</p><script>alert(1)</script><p onclick=\"x()\">附表</p>",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();
    let d = app.state.store.get_document(id).await.unwrap();
    assert_eq!(d.doc_no.as_deref(), Some("巫山财发〔2021〕30号"), "文号 normalised");
    assert!(!d.body.contains("script") && !d.body.contains("onclick"), "sanitised: {}", d.body);
    assert_eq!(
        app.client().get(&format!("/documents/{id}")).await.status,
        404,
        "drafts are not public"
    );

    let path = format!("/admin/documents/{id}/action");
    async fn act(c: &common::Client<'_>, path: &str, action: &str, comment: &str) -> common::Resp {
        c.post(path, &[("action", action), ("comment", comment)]).await
    }
    assert_eq!(act(&editor, &path, "submit", "").await.status, 303);
    // The author holds no reviewer role; an admin author still may not approve.
    let reviewer = app.client();
    reviewer.login("czj_reviewer", DEMO_PASSWORD).await;
    let r = act(&reviewer, &path, "reject", "").await;
    assert!(r.body.contains("退回") && r.status == 400, "rejection needs a comment");
    assert_eq!(act(&reviewer, &path, "approve", "").await.status, 303);
    assert_eq!(app.state.store.get_document(id).await.unwrap().review_stage, Some(2));
    assert_eq!(act(&reviewer, &path, "reject", "请补充附表").await.status, 303);
    assert_eq!(app.state.store.get_document(id).await.unwrap().state, "draft");
    assert_eq!(act(&editor, &path, "submit", "").await.status, 303);
    for _ in 0..3 {
        assert_eq!(act(&reviewer, &path, "approve", "").await.status, 303);
    }
    let d = app.state.store.get_document(id).await.unwrap();
    assert_eq!(d.state, "published");
    assert_eq!(app.client().get(&format!("/documents/{id}")).await.status, 200);
    let events: Vec<String> = app.state.store.events(id).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(
        events,
        ["create", "submit", "approve", "reject", "submit", "approve", "approve", "approve"]
    );
    let audited = app
        .state
        .store
        .audit_count(&gongkai_store::audit::AuditFilter {
            object_type: Some("document".into()),
            object_id: Some(id.to_string()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audited, 8, "every transition is audited");

    // An author who is also a reviewer cannot approve their own draft.
    let admin = app.client();
    admin.login("admin", DEMO_PASSWORD).await;
    let r = admin
        .post(
            "/admin/documents",
            &[
                ("unit_id", &finance),
                ("column_id", &column),
                ("title", "自审测试文件"),
                ("body", "<p>正文</p>"),
            ],
        )
        .await;
    let own: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();
    admin.post(&format!("/admin/documents/{own}/action"), &[("action", "submit")]).await;
    let r = admin
        .post(&format!("/admin/documents/{own}/action"), &[("action", "approve")])
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("本人起草"), "{}", r.body);
}

#[tokio::test]
async fn the_final_reviewer_can_schedule_publication() {
    let app = TestApp::spawn().await;
    let d = doc_by_title(&app, "2021年县级部门预算公开说明").await;
    let reviewer = app.client();
    reviewer.login("czj_reviewer", DEMO_PASSWORD).await;
    let path = format!("/admin/documents/{}/action", d.id);
    assert_eq!(reviewer.post(&path, &[("action", "approve")]).await.status, 303, "复审 → 终审");
    let page = reviewer.get(&format!("/admin/documents/{}", d.id)).await;
    assert!(page.body.contains("定时发布时间"), "offered at the final stage");
    let r = reviewer.post(&path, &[("action", "schedule"), ("at", "2020-01-01T09:00")]).await;
    assert!(r.body.contains("应晚于当前时间"));
    let soon = (chrono::Utc::now() + chrono::Duration::hours(1)).with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap());
    let r = reviewer
        .post(&path, &[("action", "schedule"), ("at", &soon.format("%Y-%m-%dT%H:%M").to_string())])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(app.state.store.get_document(d.id).await.unwrap().state, "scheduled");
    assert_eq!(gongkai_app::catalogue::run_due_jobs(&app.state).await.unwrap().0, 0, "not yet");
    app.state.clock.advance(chrono::Duration::hours(2));
    assert_eq!(gongkai_app::catalogue::run_due_jobs(&app.state).await.unwrap().0, 1);
    assert_eq!(app.client().get(&format!("/documents/{}", d.id)).await.status, 200);
}

#[tokio::test]
async fn the_privacy_guard_blocks_a_valid_id_number_until_masked() {
    let app = TestApp::spawn().await;
    let draft = doc_by_title(&app, "耕地地力保护补贴发放名册").await;
    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;
    let page = editor.get(&format!("/admin/documents/{}", draft.id)).await;
    assert!(
        page.body.contains("身份证号码") && page.body.contains("110105********002X"),
        "{}",
        page.body
    );
    let r = editor
        .post(&format!("/admin/documents/{}/action", draft.id), &[("action", "submit")])
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("个人信息"), "{}", r.body);
    assert_eq!(app.state.store.get_document(draft.id).await.unwrap().state, "draft");
    // Mask each finding with one click.
    loop {
        let report = gongkai_app::catalogue::privacy_report(&app.state, &app.state.store.get_document(draft.id).await.unwrap())
            .await
            .unwrap();
        let Some(item) = report.iter().find(|i| i.lawful_reason.is_none()) else {
            break;
        };
        let r = editor
            .post(&format!("/admin/documents/{}/privacy/mask", draft.id), &[("key", &item.key)])
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let d = app.state.store.get_document(draft.id).await.unwrap();
    assert!(
        d.body.contains("110105********002X") && !d.body.contains("11010519491231002X"),
        "{}",
        d.body
    );
    assert!(d.body.contains("张*"), "the labelled name is masked: {}", d.body);
    assert_eq!(d.version, 3, "each masking is a new version");
    let r = editor
        .post(&format!("/admin/documents/{}/action", draft.id), &[("action", "submit")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = editor.get(&format!("/admin/documents/{}/diff?from=1&to=3", draft.id)).await;
    assert!(r.body.contains("<mark>"), "the diff highlights the masked characters");
}

#[tokio::test]
async fn a_reviewer_may_mark_a_finding_lawful() {
    let app = TestApp::spawn().await;
    let draft = doc_by_title(&app, "耕地地力保护补贴发放名册").await;
    let report = gongkai_app::catalogue::privacy_report(&app.state, &draft).await.unwrap();
    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;
    let r = editor
        .post(
            &format!("/admin/documents/{}/privacy/lawful", draft.id),
            &[("key", &report[0].key), ("basis", "punishment_notice")],
        )
        .await;
    assert_eq!(r.status, 403, "editors mask; reviewers decide lawfulness");
    let reviewer = app.client();
    reviewer.login("czj_reviewer", DEMO_PASSWORD).await;
    for item in &report {
        let r = reviewer
            .post(
                &format!("/admin/documents/{}/privacy/lawful", draft.id),
                &[("key", &item.key), ("basis", "mandatory_disclosure")],
            )
            .await;
        assert_eq!(r.status, 303);
    }
    let r = editor
        .post(&format!("/admin/documents/{}/action", draft.id), &[("action", "submit")])
        .await;
    assert_eq!(r.status, 303, "all findings decided");
    let n = app
        .state
        .store
        .audit_count(&gongkai_store::audit::AuditFilter {
            action: Some("privacy.lawful".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(n as usize, report.len());
}

#[tokio::test]
async fn editors_are_confined_to_their_units() {
    let app = TestApp::spawn().await;
    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;
    let education = app.unit_id("县教委").await.to_string();
    let column = column_id(&app, "normative-documents").await.to_string();
    let r = editor
        .post(
            "/admin/documents",
            &[
                ("unit_id", &education),
                ("column_id", &column),
                ("title", "越权文件"),
                ("body", "<p>正文</p>"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    let seed = doc_by_title(&app, "巫山县责任清单的通知").await;
    assert_eq!(
        editor.get(&format!("/admin/documents/{}", seed.id)).await.status,
        403,
        "another unit's document"
    );
    let handler = app.client();
    handler.login("zfb_handler", DEMO_PASSWORD).await;
    assert_eq!(handler.get("/admin/documents").await.status, 403);
}

#[tokio::test]
async fn bad_input_gets_chinese_errors_and_loses_nothing() {
    let app = TestApp::spawn().await;
    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;
    let finance = app.unit_id("县财政局").await.to_string();
    let column = column_id(&app, "normative-documents").await.to_string();
    let r = editor
        .post(
            "/admin/documents",
            &[
                ("unit_id", &finance),
                ("column_id", &column),
                ("title", "测试"),
                ("doc_no", "巫山财发2021年30号"),
                ("body", "<p>x</p>"),
            ],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("文号"), "{}", r.body);
    let r = editor
        .post(
            "/admin/documents",
            &[
                ("unit_id", &finance),
                ("column_id", &column),
                ("title", "测试"),
                ("written_on", "2021-02-30"),
                ("body", "<p>x</p>"),
            ],
        )
        .await;
    assert!(r.body.contains("成文日期格式不正确"));
    let interp_col = column_id(&app, "interpretations-text").await.to_string();
    let r = editor
        .post(
            "/admin/documents",
            &[
                ("unit_id", &finance),
                ("column_id", &interp_col),
                ("title", "无关联解读"),
                ("body", "<p>x</p>"),
                ("interpretation", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("政策文件"), "an interpretation needs a linked document: {}", r.body);
}

#[tokio::test]
async fn attachments_are_checked_and_hidden_sheets_block_publication() {
    let app = TestApp::spawn().await;
    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;
    let finance = app.unit_id("县财政局").await.to_string();
    let column = column_id(&app, "budgets").await.to_string();
    let r = editor
        .post(
            "/admin/documents",
            &[
                ("unit_id", &finance),
                ("column_id", &column),
                ("title", "2021年部门预算表"),
                ("body", "<p>见附件。</p>"),
            ],
        )
        .await;
    let id: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();
    let csrf = editor.csrf().await;
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let boundary = "gkboundary";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes();
        body.extend(bytes);
        body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
        axum::http::Request::post(format!("/admin/documents/{id}/attachments?csrf={csrf}"))
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    // A PDF renamed to .xlsx is refused.
    let r = editor.send(upload("预算.xlsx", b"%PDF-1.4\n%%EOF\n".to_vec())).await;
    assert_eq!(r.status, 400);
    assert!(app.state.store.attachments(id).await.unwrap().is_empty());
    // A workbook with a hidden sheet is stored but blocks submission.
    let r = editor.send(upload("预算.xlsx", xlsx_with_hidden_sheet())).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let atts = app.state.store.attachments(id).await.unwrap();
    assert_eq!(atts.len(), 1);
    assert!(atts[0].findings.contains("hidden_sheet"), "{}", atts[0].findings);
    let r = editor.post(&format!("/admin/documents/{id}/action"), &[("action", "submit")]).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("附件"), "{}", r.body);
    // Remove it; a clean PDF is fine.
    editor
        .post(&format!("/admin/documents/{id}/attachments/{}/delete", atts[0].id), &[])
        .await;
    let r = editor
        .send(upload(
            "预算.pdf",
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../search/tests/data/clean.pdf")).unwrap(),
        ))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        editor
            .post(&format!("/admin/documents/{id}/action"), &[("action", "submit")])
            .await
            .status,
        303
    );
}

fn xlsx_with_hidden_sheet() -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default();
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="预算" sheetId="1" r:id="rId1"/><sheet name="内部测算" sheetId="2" state="hidden" r:id="rId2"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>"#,
        ),
        (
            "xl/worksheets/sheet1.xml",
            r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>"#,
        ),
        (
            "xl/worksheets/sheet2.xml",
            r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>"#,
        ),
    ];
    for (name, body) in parts {
        z.start_file(name, opts).unwrap();
        z.write_all(body.as_bytes()).unwrap();
    }
    z.finish().unwrap();
    buf.into_inner()
}

#[tokio::test]
async fn unpublishing_in_error_is_gone_and_withdrawal_keeps_a_notice() {
    let app = TestApp::spawn().await;
    let reviewer = app.client();
    reviewer.login("czj_reviewer", DEMO_PASSWORD).await;
    let a = doc_by_title(&app, "一图读懂").await;
    let b = doc_by_title(&app, "视频解读").await;
    // Anonymous views are cached; the cache must not outlive the change.
    for _ in 0..2 {
        assert_eq!(app.client().get(&format!("/documents/{}", a.id)).await.status, 200);
    }
    assert_eq!(
        reviewer
            .post(&format!("/admin/documents/{}/action", a.id), &[("action", "unpublish_error")])
            .await
            .status,
        303
    );
    assert_eq!(
        reviewer
            .post(&format!("/admin/documents/{}/action", b.id), &[("action", "unpublish_withdrawn")])
            .await
            .status,
        303
    );
    let c = app.client();
    let r = c.get(&format!("/documents/{}", a.id)).await;
    assert_eq!(r.status, 410);
    assert!(r.body.contains("内容已撤销"));
    assert_eq!(c.get(&format!("/api/v1/documents/{}", a.id)).await.status, 410);
    let r = c.get(&format!("/documents/{}", b.id)).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("撤下"), "{}", r.body);
}

#[tokio::test]
async fn expired_documents_change_status_by_themselves() {
    let app = TestApp::spawn().await;
    let doc = doc_by_title(&app, "管理办法》的通知").await;
    let mut tx = app.state.store.begin().await.unwrap();
    let mut f = gongkai_store::catalogue::DocumentFields {
        column_id: doc.column_id,
        title: doc.title.clone(),
        issuer: doc.issuer.clone(),
        topic: doc.topic.clone(),
        genre: doc.genre.clone(),
        validity: "in_force".into(),
        body: doc.body.clone(),
        ..Default::default()
    };
    f.expires_on = Some("2021-12-31".into());
    tx.update_document(doc.id, &f).await.unwrap();
    tx.commit().await.unwrap();
    let r = app.client().get(&format!("/documents/{}", doc.id)).await;
    assert!(
        r.body.contains("本文件已于2022年1月1日失效"),
        "shown as expired from the day after expiry: {}",
        r.body
    );
    let (_, expired) = gongkai_app::catalogue::run_due_jobs(&app.state).await.unwrap();
    assert_eq!(expired, 1);
    let d = app.state.store.get_document(doc.id).await.unwrap();
    assert_eq!(
        (d.validity.as_str(), d.validity_changed_on.as_deref()),
        ("expired", Some("2022-01-01"))
    );
    assert_eq!(gongkai_app::catalogue::run_due_jobs(&app.state).await.unwrap().1, 0, "once");
}

#[tokio::test]
async fn feeds_sitemap_and_the_json_api() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let r = c.get("/columns/normative-documents/feed.xml").await;
    assert_eq!(r.status, 200);
    assert!(r.headers["content-type"].to_str().unwrap().starts_with("application/atom+xml"));
    assert_eq!(r.body.matches("<entry>").count(), 2);
    let r = c.get("/sitemap.xml").await;
    assert!(r.body.contains("/documents/1</loc>") && r.body.contains("/columns/normative-documents</loc>"));
    let j = c.get("/api/v1/documents?column=normative-documents").await.json();
    assert_eq!(j["total"], 2);
    assert!(j["items"].as_array().unwrap().iter().any(|d| d["validity"] == "repealed"));
    let r = c.get("/api/v1/documents?validity=bogus").await;
    assert_eq!((r.status.as_u16(), r.json()["error"]["field"].as_str()), (400, Some("validity")));
    let j = c.get("/api/v1/columns").await.json();
    assert!(j.as_array().unwrap().len() >= 20);

    // Staff create and move a document through the API with a token.
    let editor = app.state.store.user_by_username("czj_editor").await.unwrap().unwrap();
    let reviewer = app.state.store.user_by_username("czj_reviewer").await.unwrap().unwrap();
    let et = format!(
        "Bearer {}",
        gongkai_app::accounts::create_token(&app.state.store, "t", editor.id, "e")
            .await
            .unwrap()
    );
    let rt = format!(
        "Bearer {}",
        gongkai_app::accounts::create_token(&app.state.store, "t", reviewer.id, "r")
            .await
            .unwrap()
    );
    let finance = app.unit_id("县财政局").await;
    let column = column_id(&app, "other-documents").await;
    let body = serde_json::json!({"unit_id": finance, "column_id": column, "title": "接口创建的文件", "doc_no": "巫山财发[2021]31号", "body": "<p>正文</p>"});
    let post = |path: String, auth: &str, body: serde_json::Value| {
        axum::http::Request::post(path)
            .header("authorization", auth)
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.to_string()))
            .unwrap()
    };
    let r = c.send(post("/api/v1/documents".into(), &et, body)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let r = c
        .send(post(
            format!("/api/v1/documents/{id}/transitions"),
            &et,
            serde_json::json!({"action": "approve"}),
        ))
        .await;
    assert_eq!(r.status, 403, "editors do not approve");
    let r = c
        .send(post(
            format!("/api/v1/documents/{id}/transitions"),
            &et,
            serde_json::json!({"action": "submit"}),
        ))
        .await;
    assert_eq!(r.json()["state"], "in_review");
    for _ in 0..3 {
        c.send(post(
            format!("/api/v1/documents/{id}/transitions"),
            &rt,
            serde_json::json!({"action": "approve"}),
        ))
        .await;
    }
    let j = c.get(&format!("/api/v1/documents/{id}")).await.json();
    assert_eq!(
        (j["state"].as_str(), j["doc_no"].as_str()),
        (Some("published"), Some("巫山财发〔2021〕31号"))
    );
    let r = c
        .send(post(
            "/api/v1/documents".into(),
            &et,
            serde_json::json!({"unit_id": finance, "column_id": column, "title": "", "body": "<p>x</p>"}),
        ))
        .await;
    assert_eq!((r.status.as_u16(), r.json()["error"]["field"].as_str()), (400, Some("title")));
}
