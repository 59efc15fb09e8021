//! The task responsibility list end to end: importing the seed (巫山府办发
//! 〔2021〕48号) through the upload page with its preview, idempotent
//! re-import and the diff of a revised list; the same table from Word and
//! Excel; a unit's 细化清单 with progress, evidence and 销号 by the lead
//! unit (returned once); permissions; the 通报, the assessment and the
//! completion report; and the JSON API.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::{Client, DEMO_PASSWORD, TestApp, multipart, token};

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds/000_fffd36a955ce654e.txt");

/// A small list in the published text form: 政府办 leads, 财政局 and the
/// townships are responsible; the second row's lead cell is merged.
const SMALL: &str = "巫山县人民政府办公室\n关于印发测试任务清单的通知\n巫山府办发〔2021〕7号\n\n测试任务清单\n\n\t工作任务\n\t贯彻举措\n\t牵头单位\n\t责任单位\n\
\t一、深化政务公开\n\t（一）做好财政信息公开。\n\t1．公开2021年县级部门预算，2021年6月底前完成。\n2．公开政府债务信息。\n\t县政府办公室\n\t县财政局\n\
\t\n\t\n\t各乡镇（街道）按要求公开惠民惠农财政补贴资金发放情况。\n\t\n\t各乡镇（街道）\n\
\t二、强化保障\n\t（一）狠抓任务落实。\n\t《任务清单》完成情况于2021年12月31日前报县政府办公室。\n\t县政府办公室\n\t\n";

async fn login<'a>(app: &'a TestApp, user: &str) -> Client<'a> {
    let c = app.client();
    assert_eq!(c.login(user, DEMO_PASSWORD).await.status, 303, "login {user}");
    c
}

/// Uploads a list for preview; returns the preview page.
async fn preview(c: &Client<'_>, name: &str, bytes: Vec<u8>, year: &str) -> common::Resp {
    let csrf = c.csrf().await;
    let (ct, body) = multipart(&[("year", year)], Some(("file", name, bytes)));
    c.send(
        Request::post(format!("/admin/tasks/import?csrf={csrf}"))
            .header("content-type", ct)
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

fn hidden(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let at = html.find(&key).unwrap_or_else(|| panic!("no hidden {name}")) + key.len();
    html[at..].split('"').next().unwrap().to_owned()
}

/// Confirms a preview; returns the plan id.
async fn confirm(c: &Client<'_>, page: &str) -> i64 {
    let r = c
        .post(
            "/admin/tasks/import/confirm",
            &[
                ("hash", &hidden(page, "hash")),
                ("name", &hidden(page, "name")),
                ("year", &hidden(page, "year")),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    r.location()
        .trim_start_matches("/admin/tasks/plans/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Posts a progress report (multipart); returns the decoded redirect target.
async fn report(c: &Client<'_>, entry: i64, fields: &[(&str, &str)], file: Option<(&str, &str, Vec<u8>)>) -> String {
    let csrf = c.csrf().await;
    let (ct, body) = multipart(fields, file);
    let r = c
        .send(
            Request::post(format!("/admin/tasks/entries/{entry}/report?csrf={csrf}"))
                .header("content-type", ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    urlencoding::decode(&r.location()).unwrap().into_owned()
}

async fn post_json(c: &Client<'_>, path: String, body: serde_json::Value, auth: &str) -> common::Resp {
    c.send(
        Request::post(path)
            .header("content-type", "application/json")
            .header("authorization", auth)
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

async fn small_plan(app: &TestApp) -> i64 {
    let office = login(app, "zfb_handler").await;
    let page = preview(&office, "small.txt", SMALL.as_bytes().to_vec(), "2021").await;
    assert_eq!(page.status, 200, "{}", page.body);
    confirm(&office, &page.body).await
}

#[tokio::test]
async fn the_seed_imports_with_a_preview_and_reimports_idempotently_and_a_revision_shows_its_diff() {
    let Ok(seed) = std::fs::read_to_string(SEED) else {
        println!("skip: seed document {SEED} not found");
        return;
    };
    let app = TestApp::spawn().await;
    let office = login(&app, "zfb_handler").await;
    let page = preview(&office, "48号.txt", seed.clone().into_bytes(), "2021").await;
    assert_eq!(page.status, 200, "{}", page.body);
    for text in [
        "部分 <strong>5</strong>",
        "任务 <strong>45</strong>",
        "巫山府办发〔2021〕48号",
        "2021-06-30",
        "狠抓任务落实",
    ] {
        assert!(page.body.contains(text), "preview lacks {text}");
    }
    // Nothing is written by the preview.
    let site = app.state.store.site_by_code("wsx").await.unwrap().unwrap();
    let before = app.state.store.task_plans(site.id).await.unwrap().len();
    let id = confirm(&office, &page.body).await;
    assert_eq!(app.state.store.task_plans(site.id).await.unwrap().len(), before + 1);
    let rows = app.state.store.task_rows(id, false).await.unwrap();
    assert_eq!(rows.len(), 45);
    let parts: std::collections::BTreeSet<i64> = rows.iter().map(|r| r.part_ordinal).collect();
    assert_eq!(parts.len(), 5, "no duplicate parts from page breaks");
    // Units resolve: a row for 各乡镇（街道） reaches every township and street.
    let units = app.state.store.task_plan_units(id).await.unwrap();
    let townships = app.state.store.units_named("巫峡镇").await.unwrap()[0].id;
    let street = app.state.store.units_named("高唐街道").await.unwrap()[0].id;
    assert!(units.iter().any(|u| u.unit_id == townships && u.via == "all_townships"));
    assert!(units.iter().any(|u| u.unit_id == street && u.via == "all_townships"));
    // The merged lead cells of the 舆情 rows inherit 县委网信办 (created, as the registry lacked it).
    let cac = app.state.store.units_named("县委网信办").await.unwrap();
    assert_eq!(cac.len(), 1, "a unit the registry lacked is created once");
    let inherited: Vec<_> = rows.iter().filter(|r| r.lead_inherited).collect();
    assert!(!inherited.is_empty());
    assert!(
        inherited
            .iter()
            .all(|r| r.lead_names.contains("县委网信办") || !r.lead_names.is_empty())
    );
    // Dated deadlines.
    assert!(rows.iter().any(|r| r.due_on.as_deref() == Some("2021-06-30")));
    assert!(rows.iter().any(|r| r.due_on.as_deref() == Some("2021-05-31")));
    let plan_page = office.get(&format!("/admin/tasks/plans/{id}")).await;
    assert_eq!(plan_page.status, 200);
    assert!(plan_page.body.contains("未细化") && plan_page.body.contains("县规划自然资源局"));

    // The same file again: nothing to do, no second plan, no new units.
    let again = preview(&office, "48号.txt", seed.clone().into_bytes(), "2021").await;
    assert!(again.body.contains("完全相同"), "{}", again.body);
    assert!(!again.body.contains("确认更新清单"));

    // A revised list: one row reworded, one row gone.
    let revised = seed
        .replace("公开我县“十四五”", "全文公开我县“十四五”")
        .replacen("\t县委网信办\n", "\t县委宣传部\n", 1);
    let diff = preview(&office, "48号修订.txt", revised.into_bytes(), "2021").await;
    assert!(diff.body.contains("与已导入清单的差异"));
    assert!(
        diff.body.contains("修改：举措") || diff.body.contains("修改：牵头单位"),
        "{}",
        diff.body
    );
    let same_id = confirm(&office, &diff.body).await;
    assert_eq!(same_id, id, "a revision updates the same plan");
    let events = app.state.store.task_row_events(rows[0].id).await.unwrap();
    assert!(events.iter().any(|e| e.kind == "imported"));
    let audit = app.state.store.audit_entries(&Default::default(), 50, 0).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "tasks.import"));
    assert!(audit.iter().any(|e| e.action == "tasks.reimport"));
}

#[tokio::test]
async fn word_and_excel_tables_import_like_the_text() {
    let app = TestApp::spawn().await;
    let office = login(&app, "zfb_handler").await;
    use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow, VMergeType};
    let cell = |t: &str| TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(t)));
    let rows = vec![
        TableRow::new(vec![
            cell("工作任务").grid_span(2),
            cell("贯彻举措"),
            cell("牵头单位"),
            cell("责任单位"),
        ]),
        TableRow::new(vec![
            cell("一、深化政务公开"),
            cell("（一）做好财政信息公开。"),
            cell("公开2021年县级部门预算，2021年6月底前完成。"),
            cell("县政府办公室").vertical_merge(VMergeType::Restart),
            cell("县财政局"),
        ]),
        TableRow::new(vec![
            cell(""),
            cell(""),
            cell("公开政府债务信息。"),
            TableCell::new().vertical_merge(VMergeType::Continue),
            cell("县财政局"),
        ]),
    ];
    let mut buf = std::io::Cursor::new(Vec::new());
    Docx::new()
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text("巫山府办发〔2021〕8号")))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text("Word任务清单")))
        .add_table(Table::new(rows))
        .build()
        .pack(&mut buf)
        .unwrap();
    let page = preview(&office, "清单.docx", buf.into_inner(), "2021").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("任务 <strong>2</strong>"), "{}", page.body);
    let id = confirm(&office, &page.body).await;
    let rows = app.state.store.task_rows(id, false).await.unwrap();
    assert!(rows[1].lead_inherited, "the merged lead cell is inherited");
    assert_eq!(rows[0].due_on.as_deref(), Some("2021-06-30"));

    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["工作任务", "", "贯彻举措", "牵头单位", "责任单位"].iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    ws.write_string(0, 0, "Excel任务清单").unwrap();
    ws.write_string(2, 0, "一、强化保障").unwrap();
    ws.write_string(2, 1, "（一）狠抓任务落实。").unwrap();
    ws.write_string(2, 2, "每年至少开展1次政务公开培训。").unwrap();
    ws.merge_range(2, 3, 3, 3, "县政府办公室", &rust_xlsxwriter::Format::new()).unwrap();
    ws.write_string(3, 2, "于2021年5月31日前完成专栏建设。").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let page = preview(&office, "清单.xlsx", bytes, "2021").await;
    assert!(page.body.contains("任务 <strong>2</strong>"), "{}", page.body);
    let id = confirm(&office, &page.body).await;
    let rows = app.state.store.task_rows(id, false).await.unwrap();
    assert_eq!(rows[1].due_on.as_deref(), Some("2021-05-31"));
    assert!(rows[1].lead_names.contains("县政府办公室"));

    // Not a task list, and not a supported file: clear errors, nothing written.
    let r = preview(&office, "note.txt", "随便写的一段话".as_bytes().to_vec(), "2021").await;
    assert_eq!(r.status, 303);
    assert!(urlencoding::decode(&r.location()).unwrap().contains("未找到任务清单的表头"));
    let r = preview(&office, "x.pdf", b"%PDF-1.4 nothing".to_vec(), "2021").await;
    assert_eq!(r.status, 303);
    assert!(urlencoding::decode(&r.location()).unwrap().contains("error="));
    let r = preview(&office, "small.txt", SMALL.as_bytes().to_vec(), "1999").await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("年度应为"));
}

#[tokio::test]
async fn a_unit_refines_reports_and_the_lead_unit_closes_after_one_return() {
    let app = TestApp::spawn().await;
    let plan = small_plan(&app).await;
    let rows = app.state.store.task_rows(plan, false).await.unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows[1].lead_inherited && rows[1].lead_names.contains("县政府办公室"));
    let finance = app.unit_id("县财政局").await;
    let edu = app.unit_id("县教委").await;
    let row = rows[0].id;

    // The finance bureau's editor breaks the row down.
    let editor = login(&app, "czj_editor").await;
    let f = finance.to_string();
    let r = editor
        .post(
            &format!("/admin/tasks/rows/{row}/entries"),
            &[
                ("unit_id", f.as_str()),
                ("title", "在门户网站公开2021年县级部门预算"),
                ("owner", "王科长"),
                ("due_on", "2021-06-30"),
                ("target_kind", "document"),
                ("measure_no", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.location().contains("done="), "{}", r.location());
    // Not for another unit, and bad input is refused with a message.
    let e = edu.to_string();
    let r = editor
        .post(
            &format!("/admin/tasks/rows/{row}/entries"),
            &[
                ("unit_id", e.as_str()),
                ("title", "越权条目"),
                ("owner", "某人"),
                ("due_on", "2021-06-30"),
                ("target_kind", "yes_no"),
            ],
        )
        .await;
    assert!(
        urlencoding::decode(&r.location()).unwrap().contains("不是本项任务"),
        "{}",
        r.location()
    );
    let r = editor
        .post(
            &format!("/admin/tasks/rows/{row}/entries"),
            &[
                ("unit_id", f.as_str()),
                ("title", "数量目标"),
                ("owner", "某人"),
                ("due_on", "2021-06-30"),
                ("target_kind", "count"),
            ],
        )
        .await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("目标数量"));
    let entries = app.state.store.task_entries(plan, Some(row)).await.unwrap();
    assert_eq!(entries.len(), 1);
    let entry = entries[0].id;

    let loc = report(&editor, entry, &[("progress", "50"), ("note", "已完成预算公开表格整理")], None).await;
    assert!(loc.contains("已报送进展"), "{loc}");
    assert_eq!(app.state.store.task_entry(entry).await.unwrap().status, "in_progress");
    // 销号 needs a published document for a document target.
    let loc = report(&editor, entry, &[("progress", "100"), ("submit", "1")], None).await;
    assert!(loc.contains("需关联一篇已发布的公开文件"), "{loc}");
    let loc = report(
        &editor,
        entry,
        &[("progress", "100"), ("document_id", "999999"), ("submit", "1")],
        None,
    )
    .await;
    assert!(loc.contains("不存在或尚未发布"), "{loc}");
    let site = app.state.store.site_by_code("wsx").await.unwrap().unwrap();
    let published = app
        .state
        .store
        .list_documents(
            &gongkai_store::catalogue::DocumentFilter {
                site_id: Some(site.id),
                states: Some(vec!["published".into()]),
                ..Default::default()
            },
            1,
            0,
        )
        .await
        .unwrap()[0]
        .id;
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let doc = published.to_string();
    let loc = report(
        &editor,
        entry,
        &[("progress", "100"), ("document_id", &doc), ("submit", "1")],
        Some(("file", "预算公开截图.pdf", pdf)),
    )
    .await;
    assert!(loc.contains("等待牵头单位确认销号"), "{loc}");
    let e = app.state.store.task_entry(entry).await.unwrap();
    assert_eq!((e.status.as_str(), e.progress, e.has_evidence), ("submitted", 100, true));
    // Waiting for the lead unit: no more reports.
    let loc = report(&editor, entry, &[("progress", "100")], None).await;
    assert!(loc.contains("等待牵头单位确认销号"), "{loc}");

    // The editor is not the lead unit; the office's handler is.
    let r = editor
        .post(&format!("/admin/tasks/entries/{entry}/review"), &[("decision", "close")])
        .await;
    assert_eq!(r.status, 403);
    let lead = login(&app, "zfb_handler").await;
    let mine = lead.get("/admin/tasks/mine").await;
    assert!(mine.body.contains("待我单位确认销号"), "{}", mine.body);
    let r = lead
        .post(
            &format!("/admin/tasks/entries/{entry}/review"),
            &[("decision", "return"), ("comment", "")],
        )
        .await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("退回时请填写退回意见"));
    let r = lead
        .post(
            &format!("/admin/tasks/entries/{entry}/review"),
            &[("decision", "return"), ("comment", "请补充公开链接")],
        )
        .await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("已退回"));
    assert_eq!(app.state.store.task_entry(entry).await.unwrap().status, "returned");
    // Resubmitted: the evidence already given counts.
    let loc = report(
        &editor,
        entry,
        &[("progress", "100"), ("note", "已补充链接"), ("submit", "1")],
        None,
    )
    .await;
    assert!(loc.contains("等待牵头单位确认销号"), "{loc}");
    let r = lead
        .post(
            &format!("/admin/tasks/entries/{entry}/review"),
            &[("decision", "close"), ("comment", "")],
        )
        .await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("已确认销号"));
    let e = app.state.store.task_entry(entry).await.unwrap();
    assert_eq!(e.status, "closed");
    assert!(e.closed_on.is_some());

    // The row's timeline tells the story; the evidence file downloads.
    let page = lead.get(&format!("/admin/tasks/rows/{row}")).await;
    for text in ["细化条目", "报送进展", "申请销号", "退回", "确认销号", "预算公开截图.pdf", "已销号"] {
        assert!(page.body.contains(text), "row page lacks {text}");
    }
    let events = app.state.store.task_entry_events(entry).await.unwrap();
    let file_event = events.iter().find(|e| e.file_hash.is_some()).unwrap().id;
    let (status, _, bytes) = lead.get_bytes(&format!("/admin/tasks/events/{file_event}/file")).await;
    assert_eq!(status, 200);
    assert!(bytes.starts_with(b"%PDF"));
    // Closed: no reports, and it cannot be deleted.
    let loc = report(&editor, entry, &[("progress", "100")], None).await;
    assert!(loc.contains("已销号"), "{loc}");
    let audit = app.state.store.audit_entries(&Default::default(), 100, 0).await.unwrap();
    for action in ["tasks.entry_create", "tasks.report", "tasks.submit", "tasks.return", "tasks.close"] {
        assert!(audit.iter().any(|a| a.action == action), "audit lacks {action}");
    }

    // Entries from measures: one per measure, skipping measures already covered.
    let r = editor
        .post(&format!("/admin/tasks/rows/{row}/from-measures"), &[("unit_id", f.as_str())])
        .await;
    assert!(
        urlencoding::decode(&r.location()).unwrap().contains("已按举措生成1个条目"),
        "{}",
        r.location()
    );
    // The leader reads but cannot report.
    let leader = login(&app, "leader").await;
    assert_eq!(leader.get(&format!("/admin/tasks/plans/{plan}")).await.status, 200);
    let r = leader
        .post(
            &format!("/admin/tasks/rows/{row}/entries"),
            &[
                ("unit_id", f.as_str()),
                ("title", "领导不能添加条目"),
                ("owner", "某人"),
                ("due_on", "2021-06-30"),
                ("target_kind", "yes_no"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    // The public sees nothing of it.
    let anon = app.client();
    assert_eq!(anon.get(&format!("/admin/tasks/plans/{plan}")).await.status, 303);
}

#[tokio::test]
async fn lagging_units_are_notified_scored_and_reported() {
    let app = TestApp::spawn().await;
    let site = app.state.store.site_by_code("wsx").await.unwrap().unwrap();
    // The demo plan has units at every stage.
    let plan = app.state.store.task_plans(site.id).await.unwrap()[0].id;
    let entries = app.state.store.task_entries(plan, None).await.unwrap();
    let statuses: std::collections::BTreeSet<&str> = entries.iter().map(|e| e.status.as_str()).collect();
    assert_eq!(statuses.len(), 5, "{statuses:?}");
    let office = login(&app, "zfb_handler").await;
    let lagging = office.get(&format!("/admin/tasks/plans/{plan}/lagging")).await;
    assert_eq!(lagging.status, 200);
    assert!(lagging.body.contains("推进滞后单位（按逾期条目数排序）"));
    assert!(lagging.body.contains("关于"), "the demo's 通报 is listed");
    let before = app.state.store.task_notices(plan).await.unwrap().len();
    let r = office.post(&format!("/admin/tasks/plans/{plan}/notices"), &[]).await;
    assert_eq!(r.status, 303);
    let notices = app.state.store.task_notices(plan).await.unwrap();
    assert_eq!(notices.len(), before + 1);
    let body: serde_json::Value = serde_json::from_str(&notices[0].body).unwrap();
    assert!(
        body["units"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["overdue"].as_u64().unwrap() + u["stalled"].as_u64().unwrap() > 0)
    );
    let n = office.get(&format!("/admin/tasks/notices/{}", notices[0].id)).await;
    assert!(n.body.contains("现予通报"));
    // Publishing needs the office's editing right: the handler has none, the administrator has.
    let r = office.post(&format!("/admin/tasks/notices/{}/publish", notices[0].id), &[]).await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("信息编辑权限"));
    let admin = login(&app, "admin").await;
    let r = admin.post(&format!("/admin/tasks/notices/{}/publish", notices[0].id), &[]).await;
    let doc: i64 = r
        .location()
        .trim_start_matches("/admin/documents/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let d = app.state.store.get_document(doc).await.unwrap();
    assert_eq!(d.state, "draft");
    assert!(d.title.starts_with("关于"));

    // Assessment: weights must add up to 100; scores follow them.
    let a = office.get(&format!("/admin/tasks/plans/{plan}/assessment")).await;
    assert!(a.body.contains("各单位考核评估") && (a.body.contains("不合格") || a.body.contains("优秀")));
    let r = office
        .post(
            &format!("/admin/tasks/plans/{plan}/weights"),
            &[("completion", "60"), ("timeliness", "30"), ("evidence", "30")],
        )
        .await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("之和应为100"));
    let r = office
        .post(
            &format!("/admin/tasks/plans/{plan}/weights"),
            &[("completion", "100"), ("timeliness", "0"), ("evidence", "0")],
        )
        .await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("已保存"));
    let scores = app_scores(&app, &office, plan).await;
    for s in scores.as_array().unwrap() {
        let expected = 100.0 * s["closed"].as_f64().unwrap() / s["entries"].as_f64().unwrap();
        assert!(
            (s["score"].as_f64().unwrap() - (expected * 10.0).round() / 10.0).abs() < 1e-9,
            "{s}"
        );
    }

    // The deadline job tells the office of overdue entries once, and leaves
    // closed entries and those waiting for 销号 alone.
    let (_, escalated) = gongkai_app::tasks::run_deadlines(&app.state).await.unwrap();
    let active_overdue = app
        .state
        .store
        .task_entries(plan, None)
        .await
        .unwrap()
        .iter()
        .filter(|e| matches!(e.status.as_str(), "open" | "in_progress" | "returned"))
        .filter(|e| gongkai_app::tasks::facts_of(e).overdue(app.state.clock.now().date_naive()))
        .count();
    assert_eq!(escalated, active_overdue);
    assert!(escalated >= 2);
    assert_eq!(gongkai_app::tasks::run_deadlines(&app.state).await.unwrap(), (0, 0));

    // The dashboard draws both charts and has the figures as tables.
    let dash = office.get(&format!("/admin/tasks/plans/{plan}/dashboard")).await;
    assert_eq!(dash.status, 200);
    assert_eq!(dash.body.matches("<svg").count(), 2);
    assert!(dash.body.contains("各单位销号完成情况"));

    // The completion report as Excel and Word.
    for (ext, part) in [("xlsx", "xl/worksheets/sheet1.xml"), ("docx", "word/document.xml")] {
        let (status, headers, bytes) = office.get_bytes(&format!("/admin/tasks/plans/{plan}/report.{ext}")).await;
        assert_eq!(status, 200);
        assert!(headers["content-disposition"].to_str().unwrap().contains(ext));
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(part).unwrap(), &mut xml).unwrap();
        assert!(xml.contains("已销号") || ext == "xlsx", "{ext}");
    }
    let r = admin.post(&format!("/admin/tasks/plans/{plan}/report/publish"), &[]).await;
    assert!(r.location().starts_with("/admin/documents/"), "{}", r.location());
}

async fn app_scores(app: &TestApp, _c: &Client<'_>, plan: i64) -> serde_json::Value {
    let token = {
        let u = app.state.store.user_by_username("leader").await.unwrap().unwrap();
        gongkai_app::accounts::create_token(&app.state.store, "test", u.id, "t")
            .await
            .unwrap()
    };
    let c = app.client();
    let r = c
        .get_with(
            &format!("/api/v1/tasks/plans/{plan}/assessment"),
            &[("authorization", &format!("Bearer {token}"))],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["scores"].clone()
}

#[tokio::test]
async fn the_api_reads_plans_and_a_unit_reports_through_it() {
    let app = TestApp::spawn().await;
    let plan = small_plan(&app).await;
    let c = app.client();
    assert_eq!(c.get("/api/v1/tasks/plans").await.status, 401);
    let editor = token(&app, "czj_editor").await;
    let auth = [("authorization", editor.as_str())];
    let plans = c.get_with("/api/v1/tasks/plans", &auth).await;
    assert_eq!(plans.status, 200);
    assert!(plans.json().as_array().unwrap().iter().any(|p| p["id"] == plan));
    let p = c.get_with(&format!("/api/v1/tasks/plans/{plan}"), &auth).await.json();
    assert_eq!(p["rows"].as_array().unwrap().len(), 3);
    assert_eq!(p["rows"][0]["state"], "not_refined");
    assert_eq!(p["rows"][1]["lead_inherited"], true);
    let row = p["rows"][0]["id"].as_i64().unwrap();
    let finance = app.unit_id("县财政局").await;

    let r = post_json(&c,
        format!("/api/v1/tasks/rows/{row}/entries"),
        serde_json::json!({"unit_id": finance, "title": "公开政府债务限额和余额", "owner": "李主任", "due_on": "2021-09-30", "target_kind": "count", "target_count": 4}),
        &editor,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let entry = r.json()["id"].as_i64().unwrap();
    let r = post_json(
        &c,
        format!("/api/v1/tasks/rows/{row}/entries"),
        serde_json::json!({"unit_id": finance, "title": "x", "owner": "李主任", "due_on": "2021-09-30", "target_kind": "yes_no"}),
        &editor,
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["field"], "title");
    // Count target: the achieved count decides the progress.
    let r = post_json(
        &c,
        format!("/api/v1/tasks/entries/{entry}/reports"),
        serde_json::json!({"progress": 0, "achieved": 3, "note": "已公开三季度数据"}),
        &editor,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["progress"], 75);
    let r = post_json(
        &c,
        format!("/api/v1/tasks/entries/{entry}/reports"),
        serde_json::json!({"progress": 100, "submit": true}),
        &editor,
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = post_json(
        &c,
        format!("/api/v1/tasks/entries/{entry}/reports"),
        serde_json::json!({"progress": 0, "achieved": 4, "submit": true}),
        &editor,
    )
    .await;
    assert_eq!(r.json()["status"], "submitted", "{}", r.body);
    let r = post_json(
        &c,
        format!("/api/v1/tasks/entries/{entry}/review"),
        serde_json::json!({"decision": "close"}),
        &editor,
    )
    .await;
    assert_eq!(r.status, 403);
    let lead = token(&app, "zfb_handler").await;
    let r = post_json(
        &c,
        format!("/api/v1/tasks/entries/{entry}/review"),
        serde_json::json!({"decision": "maybe"}),
        &lead,
    )
    .await;
    assert_eq!(r.status, 400);
    let r = post_json(
        &c,
        format!("/api/v1/tasks/entries/{entry}/review"),
        serde_json::json!({"decision": "close"}),
        &lead,
    )
    .await;
    assert_eq!(r.json()["status"], "closed", "{}", r.body);
    let e = c.get_with(&format!("/api/v1/tasks/entries/{entry}"), &auth).await.json();
    let kinds: Vec<&str> = e["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["entry_created", "report", "report", "submitted", "closed"]);
    let d = c.get_with(&format!("/api/v1/tasks/plans/{plan}/dashboard"), &auth).await.json();
    assert_eq!(d["closed"], 1);
    assert!(
        d["units"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["name"] == "县财政局" && u["closed"] == 1)
    );
    let row_json = c.get_with(&format!("/api/v1/tasks/rows/{row}"), &auth).await.json();
    assert_eq!(row_json["entries"][0]["status"], "closed");
    let l = c.get_with(&format!("/api/v1/tasks/plans/{plan}/lagging"), &auth).await;
    assert_eq!(l.status, 200);
}
