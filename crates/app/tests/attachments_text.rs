//! Attachment text: extracted at upload, stored with the attachment, and read
//! by the privacy guard, so personal data in a PDF or Word file blocks
//! publication exactly like personal data in the body.

mod common;

use common::{Client, DEMO_PASSWORD, TestApp};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../search/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A draft of the finance bureau (县财政局), made by its demo editor.
async fn draft(app: &TestApp, editor: &Client<'_>, title: &str) -> i64 {
    let finance = app.unit_id("县财政局").await.to_string();
    let site = app.state.store.site_by_code("wsx").await.unwrap().unwrap();
    let column = app
        .state
        .store
        .column_by_slug(site.id, "budgets")
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let r = editor
        .post(
            "/admin/documents",
            &[
                ("unit_id", &finance),
                ("column_id", &column),
                ("title", title),
                ("body", "<p>见附件。</p>"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    r.location().rsplit('/').next().unwrap().parse().unwrap()
}

async fn upload(editor: &Client<'_>, id: i64, name: &str, bytes: Vec<u8>) -> common::Resp {
    let csrf = editor.csrf().await;
    let boundary = "gkboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let request = axum::http::Request::post(format!("/admin/documents/{id}/attachments?csrf={csrf}"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(axum::body::Body::from(body))
        .unwrap();
    editor.send(request).await
}

async fn submit(editor: &Client<'_>, id: i64) -> common::Resp {
    editor.post(&format!("/admin/documents/{id}/action"), &[("action", "submit")]).await
}

#[tokio::test]
async fn a_private_phone_in_a_pdf_blocks_submission_until_marked_lawful() {
    let app = TestApp::spawn().await;
    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;
    let id = draft(&app, &editor, "关于印发政务公开工作要点的通知").await;

    let r = upload(&editor, id, "通知.pdf", fixture("notice.pdf")).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let attachment = app.state.store.attachments(id).await.unwrap().remove(0);
    assert_eq!(attachment.findings, "[]", "the PDF itself is clean");
    let texts = app.state.store.attachment_texts(id).await.unwrap();
    assert_eq!(texts.len(), 1);
    assert_eq!((texts[0].0, texts[0].1.as_str()), (attachment.id, "通知.pdf"));
    assert!(texts[0].2.contains("巫山县人民政府办公室关于印发"), "{}", texts[0].2);

    let doc = app.state.store.get_document(id).await.unwrap();
    let report = gongkai_app::catalogue::privacy_report(&app.state, &doc).await.unwrap();
    let source = format!("attachment:{}", attachment.id);
    let phone = report
        .iter()
        .find(|i| i.source == source && i.kind == "mobile")
        .unwrap_or_else(|| panic!("no phone finding in {report:?}"));
    assert_eq!(phone.masked, "138****5678");

    let r = submit(&editor, id).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("个人信息"), "{}", r.body);
    assert_eq!(app.state.store.get_document(id).await.unwrap().state, "draft");
    // The finding is listed on the document's admin page, under the attachment.
    let page = editor.get(&format!("/admin/documents/{id}")).await;
    assert!(
        page.body.contains(&format!("附件 {}", attachment.id)) && page.body.contains("138****5678"),
        "{}",
        page.body
    );

    // A reviewer decides the number may be published (e.g. a mandated contact); then it passes.
    let reviewer = app.client();
    reviewer.login("czj_reviewer", DEMO_PASSWORD).await;
    for item in report.iter().filter(|i| i.source == source) {
        let r = reviewer
            .post(
                &format!("/admin/documents/{id}/privacy/lawful"),
                &[("key", &item.key), ("basis", "mandatory_disclosure")],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let r = submit(&editor, id).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

#[tokio::test]
async fn word_files_are_scanned_and_a_clean_one_does_not_block() {
    let app = TestApp::spawn().await;
    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;

    // The Word original of the same notice carries the same phone number.
    let id = draft(&app, &editor, "通知（Word 原件）").await;
    assert_eq!(upload(&editor, id, "通知.docx", fixture("notice.docx")).await.status, 303);
    let doc = app.state.store.get_document(id).await.unwrap();
    let report = gongkai_app::catalogue::privacy_report(&app.state, &doc).await.unwrap();
    assert!(
        report
            .iter()
            .any(|i| i.source.starts_with("attachment:") && i.text == "13812345678"),
        "{report:?}"
    );
    assert_eq!(submit(&editor, id).await.status, 400);

    // A Word file without personal data: its text is stored and nothing blocks.
    let id = draft(&app, &editor, "政务公开工作要点").await;
    assert_eq!(upload(&editor, id, "要点.docx", fixture("clean.docx")).await.status, 303);
    let texts = app.state.store.attachment_texts(id).await.unwrap();
    assert!(texts[0].2.starts_with("巫山县2021年政务公开工作要点\n"), "{texts:?}");
    // Its PDF rendition too.
    assert_eq!(upload(&editor, id, "要点.pdf", fixture("clean.pdf")).await.status, 303);
    assert_eq!(app.state.store.attachment_texts(id).await.unwrap().len(), 2);
    let doc = app.state.store.get_document(id).await.unwrap();
    assert!(gongkai_app::catalogue::privacy_report(&app.state, &doc).await.unwrap().is_empty());
    let r = submit(&editor, id).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

#[tokio::test]
async fn an_id_number_in_an_old_xls_roster_blocks_too() {
    let app = TestApp::spawn().await;
    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;
    let id = draft(&app, &editor, "临时救助资金发放名单").await;
    assert_eq!(upload(&editor, id, "名单.xls", fixture("roster.xls")).await.status, 303);
    let doc = app.state.store.get_document(id).await.unwrap();
    let report = gongkai_app::catalogue::privacy_report(&app.state, &doc).await.unwrap();
    assert!(
        report.iter().any(|i| i.kind == "id_number" && i.text == "500237198001011237"),
        "{report:?}"
    );
}

#[tokio::test]
async fn a_pdf_whose_text_cannot_be_read_waits_for_a_reviewer() {
    let app = TestApp::spawn().await;
    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;
    let id = draft(&app, &editor, "无法读取文字的附件").await;
    // Well-formed enough for the upload checks, but its page uses a font that
    // does not exist, which makes the PDF text extractor give up.
    let pdf = broken_font_pdf();
    assert_eq!(upload(&editor, id, "附件.pdf", pdf).await.status, 303);
    let attachment = app.state.store.attachments(id).await.unwrap().remove(0);
    assert!(attachment.findings.contains("uninspectable"), "{}", attachment.findings);
    assert!(app.state.store.attachment_texts(id).await.unwrap().is_empty());
    let r = submit(&editor, id).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("附件"), "{}", r.body);
    // A reviewer who has checked the file by hand acknowledges it.
    let reviewer = app.client();
    reviewer.login("czj_reviewer", DEMO_PASSWORD).await;
    let r = reviewer
        .post(&format!("/admin/documents/{id}/attachments/{}/acknowledge", attachment.id), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(submit(&editor, id).await.status, 303);
}

fn broken_font_pdf() -> Vec<u8> {
    let content = "BT /F2 12 Tf 72 720 Td (Hello) Tj ET";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{object}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    out.extend(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).bytes());
    out
}
