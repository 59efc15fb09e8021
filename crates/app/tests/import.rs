//! `gongkai import documents`: generated files with deliberately bad lines,
//! re-import, resuming after an interruption, attachments.

mod common;

use common::TestApp;
use gongkai_app::catalogue::import::{ImportOptions, import_documents};
use gongkai_app::corpus::{GenOptions, generate};
use gongkai_store::audit::AuditFilter;
use gongkai_store::catalogue::DocumentFilter;
use std::path::{Path, PathBuf};

fn write_generated(dir: &Path, name: &str, count: u64, bad_every: Option<u64>) -> PathBuf {
    let path = dir.join(name);
    let f = std::fs::File::create(&path).unwrap();
    generate(GenOptions::default(), count, bad_every, f).unwrap();
    path
}

fn opts(file: &Path, batch: usize) -> ImportOptions {
    ImportOptions {
        batch,
        ..ImportOptions::new(file)
    }
}

async fn published_count(app: &TestApp) -> i64 {
    app.state
        .store
        .count_documents(&DocumentFilter {
            states: Some(vec!["published".into()]),
            ..Default::default()
        })
        .await
        .unwrap()
}

async fn all_count(app: &TestApp) -> i64 {
    app.state.store.count_documents(&DocumentFilter::default()).await.unwrap()
}

async fn import_audits(app: &TestApp) -> i64 {
    app.state
        .store
        .audit_count(&AuditFilter {
            action: Some("document.import".into()),
            ..Default::default()
        })
        .await
        .unwrap()
}

async fn doc_id(app: &TestApp, external_id: &str) -> i64 {
    let site = app.state.store.site_by_code("wsx").await.unwrap().unwrap();
    let mut tx = app.state.store.begin().await.unwrap();
    let d = tx.document_by_external_id(site.id, external_id).await.unwrap();
    d.unwrap_or_else(|| panic!("{external_id} not imported")).id
}

fn error_lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn imports_good_lines_reports_bad_ones_and_reimport_updates() {
    let app = TestApp::spawn().await;
    let file = write_generated(app.dir.path(), "docs.jsonl", 300, Some(50));
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 306);
    let before_published = published_count(&app).await;
    let before_all = all_count(&app).await;

    let s = import_documents(&app.state, &opts(&file, 100)).await.unwrap();
    assert!(s.finished);
    assert_eq!(s.counts.imported, 300);
    assert_eq!(s.counts.rejected, 6);
    assert_eq!(s.counts.updated, 0);
    assert_eq!(s.lines_this_run, 306);
    assert_eq!(published_count(&app).await - before_published, 300);
    assert_eq!(import_audits(&app).await, 300);
    assert!(
        !file.with_extension("jsonl.import-state").exists(),
        "a finished import removes its checkpoint"
    );

    // Each bad line is reported with its number, code and Chinese reason.
    let errors = error_lines(&s.errors_file);
    assert_eq!(errors.len(), 6);
    let lines: Vec<u64> = errors.iter().map(|e| e["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, vec![50, 100, 150, 200, 250, 300]);
    let codes: Vec<&str> = errors.iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        vec![
            "malformed_json",
            "invalid_title",
            "invalid_written_on",
            "unknown_column",
            "invalid_doc_no",
            "malformed_json"
        ]
    );
    assert!(errors[1]["reason"].as_str().unwrap().contains("标题"), "{}", errors[1]);
    assert!(errors[2]["reason"].as_str().unwrap().contains("成文日期"), "{}", errors[2]);
    assert!(errors[3]["reason"].as_str().unwrap().contains("no-such-column"), "{}", errors[3]);
    assert!(errors[4]["reason"].as_str().unwrap().contains("文号"), "{}", errors[4]);
    assert_eq!(errors[1]["id"], "bad-0000100");

    // Published, with its date, 文号 and version, visible on the portal.
    let id = doc_id(&app, "gen-0000001").await;
    let d = app.state.store.get_document(id).await.unwrap();
    assert_eq!(d.state, "published");
    assert_eq!(d.version, 1);
    assert_eq!(d.external_id.as_deref(), Some("gen-0000001"));
    let line: serde_json::Value = serde_json::from_str(std::fs::read_to_string(&file).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(d.published_on.as_deref(), line["published_on"].as_str());
    assert_eq!(d.title, line["title"].as_str().unwrap());
    assert!(d.index_no.starts_with(&format!(
        "{}/{}-",
        line["unit"].as_str().unwrap(),
        &line["published_on"].as_str().unwrap()[..4]
    )));
    assert_eq!(app.state.store.versions(id).await.unwrap().len(), 1);
    let events = app.state.store.events(id).await.unwrap();
    assert_eq!(events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), vec!["import"]);
    let page = app.client().get(&format!("/documents/{id}")).await;
    assert_eq!(page.status, 200);
    let title_html = d.title.replace('"', "&quot;");
    assert!(
        page.body.contains(&title_html) || page.body.contains(&d.title),
        "title not on the page"
    );

    // Importing the same file again changes nothing and duplicates nothing.
    let s = import_documents(&app.state, &opts(&file, 100)).await.unwrap();
    assert_eq!(
        (s.counts.imported, s.counts.updated, s.counts.unchanged, s.counts.rejected),
        (0, 0, 300, 6)
    );
    assert_eq!(all_count(&app).await - before_all, 300);
    assert_eq!(
        error_lines(&s.errors_file).len(),
        6,
        "the errors file is rewritten, not appended to"
    );

    // A changed line updates the document as a new version.
    let text = std::fs::read_to_string(&file).unwrap();
    let mut first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    first["title"] = "巫山县财政局关于做好2021年预算绩效管理工作的通知（修订）".into();
    let changed = app.dir.path().join("changed.jsonl");
    std::fs::write(&changed, format!("{first}\n")).unwrap();
    let s = import_documents(&app.state, &opts(&changed, 100)).await.unwrap();
    assert_eq!((s.counts.imported, s.counts.updated), (0, 1));
    let d = app.state.store.get_document(id).await.unwrap();
    assert_eq!(d.version, 2);
    assert_eq!(d.title, "巫山县财政局关于做好2021年预算绩效管理工作的通知（修订）");
    assert_eq!(d.state, "published");
    assert_eq!(app.state.store.versions(id).await.unwrap().len(), 2);
    assert_eq!(all_count(&app).await - before_all, 300);
    assert_eq!(import_audits(&app).await, 301);
    assert!(app.state.store.verify_audit().await.unwrap().is_ok());
}

#[tokio::test]
async fn an_interrupted_import_resumes_after_the_last_committed_batch() {
    let app = TestApp::spawn().await;
    let file = write_generated(app.dir.path(), "docs.jsonl", 250, None);
    let before = all_count(&app).await;

    let first = import_documents(
        &app.state,
        &ImportOptions {
            stop_after_batches: Some(1),
            ..opts(&file, 100)
        },
    )
    .await
    .unwrap();
    assert!(!first.finished);
    assert_eq!(first.counts.imported, 100);
    assert_eq!(all_count(&app).await - before, 100);
    let checkpoint: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ImportOptions::new(&file).checkpoint_path()).unwrap()).unwrap();
    assert_eq!(checkpoint["line"], 100);

    let second = import_documents(&app.state, &opts(&file, 100)).await.unwrap();
    assert!(second.finished);
    assert_eq!(second.resumed_after_line, 100);
    assert_eq!(second.lines_this_run, 150);
    assert_eq!(second.written_this_run, 150);
    assert_eq!(second.counts.imported, 250, "counts include the first run");
    assert_eq!(second.counts.unchanged, 0, "nothing of the first batch was read again");
    assert_eq!(all_count(&app).await - before, 250);
    assert_eq!(import_audits(&app).await, 250);
    assert!(!ImportOptions::new(&file).checkpoint_path().exists());

    // --restart reads everything again (all unchanged now).
    let third = import_documents(
        &app.state,
        &ImportOptions {
            stop_after_batches: Some(1),
            ..opts(&file, 100)
        },
    )
    .await
    .unwrap();
    assert_eq!(third.counts.unchanged, 100);
    let fourth = import_documents(
        &app.state,
        &ImportOptions {
            restart: true,
            ..opts(&file, 100)
        },
    )
    .await
    .unwrap();
    assert_eq!(fourth.resumed_after_line, 0);
    assert_eq!(fourth.counts.unchanged, 250);
}

/// An 8×8 PNG.
fn png() -> Vec<u8> {
    vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00,
        0x00, 0x08, 0x08, 0x02, 0x00, 0x00, 0x00, 0x4B, 0x6D, 0x29, 0xDC, 0x00, 0x00, 0x00, 0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63,
        0x58, 0x22, 0x2C, 0x8D, 0x15, 0x31, 0x0C, 0x2D, 0x09, 0x00, 0xA6, 0x34, 0x34, 0x81, 0x97, 0x65, 0x7C, 0xC0, 0x00, 0x00, 0x00, 0x00,
        0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
}

#[tokio::test]
async fn attachments_interpretations_and_refusals() {
    let app = TestApp::spawn().await;
    let dir = app.dir.path().join("export");
    std::fs::create_dir_all(dir.join("files")).unwrap();
    std::fs::write(dir.join("files/示意图.png"), png()).unwrap();
    std::fs::write(dir.join("files/假图片.png"), b"not a picture at all").unwrap();
    let lines = [
        serde_json::json!({"id": "old-1", "unit": "县财政局", "column": "normative-documents", "title": "巫山县财政资金管理办法",
            "doc_no": "巫山财发[2020]3号", "written_on": "2020-03-01", "published_on": "2020-03-05", "topic": "财政、金融、审计",
            "validity": "废止", "validity_changed_on": "2021-01-01", "validity_reason": "已被新办法替代",
            "body": "第一条　为规范财政资金管理，制定本办法。", "attachments": ["files/示意图.png"]}),
        serde_json::json!({"id": "old-2", "unit": "wsx-czj", "column": "interpretations-text", "kind": "interpretation",
            "title": "《巫山县财政资金管理办法》解读", "published_on": "2020-03-06", "body": "<p>解读正文。</p>", "links": ["old-1"]}),
        serde_json::json!({"id": "old-3", "unit": "wsx-czj", "column": "other-documents", "title": "关于某事的通知",
            "published_on": "2020-03-06", "body": "正文", "attachments": ["../secret.png"]}),
        serde_json::json!({"id": "old-4", "unit": "wsx-czj", "column": "other-documents", "title": "关于某事的通知",
            "published_on": "2020-03-06", "body": "正文", "attachments": ["files/假图片.png"]}),
        serde_json::json!({"id": "old-5", "unit": "wsx-czj", "column": "other-documents", "title": "补贴发放名册",
            "published_on": "2020-03-06", "body": "姓名：张三，身份证号码：11010519491231002X"}),
        serde_json::json!({"id": "old-6", "unit": "县不存在局", "column": "other-documents", "title": "关于某事的通知",
            "published_on": "2020-03-06", "body": "正文"}),
        serde_json::json!({"id": "old-7", "unit": "wsx-czj", "column": "interpretations-text", "title": "无关联的解读",
            "published_on": "2020-03-06", "body": "正文", "links": ["no-such-doc"]}),
        serde_json::json!({"id": "old-8", "unit": "wsx-czj", "column": "other-documents", "title": "关于某事的通知",
            "published_on": "2020-03-06", "body": "正文", "author": "someone"}),
    ];
    let file = dir.join("old.jsonl");
    std::fs::write(&file, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    let s = import_documents(&app.state, &opts(&file, 500)).await.unwrap();
    assert_eq!(
        (s.counts.imported, s.counts.rejected),
        (2, 6),
        "{:?}",
        std::fs::read_to_string(&s.errors_file)
    );
    let errors = error_lines(&s.errors_file);
    let by_line: Vec<(u64, &str)> = errors
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        by_line,
        vec![
            (3, "attachment_path"),
            (4, "attachment_magic_mismatch"),
            (5, "personal_data"),
            (6, "unknown_unit"),
            (7, "unknown_link"),
            (8, "unknown_field"),
        ]
    );
    // The personal data itself never reaches the errors file.
    let raw = std::fs::read_to_string(&s.errors_file).unwrap();
    assert!(!raw.contains("11010519491231002X") && raw.contains("110105********002X"), "{raw}");

    let doc = doc_id(&app, "old-1").await;
    let d = app.state.store.get_document(doc).await.unwrap();
    assert_eq!(d.doc_no.as_deref(), Some("巫山财发〔2020〕3号"));
    assert_eq!(d.validity, "repealed");
    assert_eq!(d.validity_changed_on.as_deref(), Some("2021-01-01"));
    assert_eq!(d.topic, "finance_audit");
    assert_eq!(d.issuer, "县财政局", "the issuer defaults to the unit's name");
    let att = app.state.store.attachments(doc).await.unwrap();
    assert_eq!(att.len(), 1);
    assert_eq!(att[0].filename, "示意图.png");
    assert_eq!(att[0].file_kind, "png");
    let page = app.client().get(&format!("/documents/{doc}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("示意图.png"));
    assert!(page.body.contains("废止"));
    let stored = gongkai_app::catalogue::files::file_path(&app.state, &att[0].content_hash).unwrap();
    assert_eq!(std::fs::read(stored).unwrap(), png(), "the file store holds the attachment");

    let interp = doc_id(&app, "old-2").await;
    let linked = app.state.store.linked_documents(interp, false).await.unwrap();
    assert_eq!(linked.iter().map(|d| d.id).collect::<Vec<_>>(), vec![doc]);
    assert_eq!(
        app.state
            .store
            .audit_count(&AuditFilter {
                action: Some("interpretation.import".into()),
                ..Default::default()
            })
            .await
            .unwrap(),
        1
    );
}
