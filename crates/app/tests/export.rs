//! Static publishing with tamper evidence: `export-site` writes the public
//! portal of the demo county as static files with a SHA-256 manifest, and
//! `verify-site` reports every changed, added and missing file.

mod common;

use common::TestApp;
use gongkai_app::catalogue::export::{ExportOptions, Finding, MANIFEST, Manifest, export_site, verify_site};
use gongkai_store::catalogue::DocumentFilter;
use std::path::Path;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

/// Attaches a small PDF to the first published document; returns (document id, URL path of the file).
async fn attach_pdf(app: &TestApp) -> (i64, i64) {
    let doc = published(app).await[0];
    let hash = gongkai_app::catalogue::files::store_bytes(&app.state, PDF).await.unwrap();
    let mut tx = app.state.store.begin().await.unwrap();
    let id = tx
        .add_attachment(doc, "巫山县2021年预算.pdf", &hash, "pdf", PDF.len() as i64, "[]", 0, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (doc, id)
}

/// Publishes 25 news items so that the news column has a second page.
async fn fill_news(app: &TestApp) {
    let site = app.state.store.site_by_code("wsx").await.unwrap().unwrap();
    let column = app.state.store.column_by_slug(site.id, "news").await.unwrap().unwrap().id;
    let unit = app.state.store.unit_by_code("wsx").await.unwrap().unwrap().id;
    let author = app.state.store.user_by_username("admin").await.unwrap().unwrap().id;
    let mut tx = app.state.store.begin().await.unwrap();
    for i in 0..25 {
        let id = tx
            .insert_document(&gongkai_store::catalogue::NewDocument {
                site_id: site.id,
                unit_id: unit,
                kind: "document".into(),
                index_no: format!("wsx/2021-{:05}", 9000 + i),
                index_year: 2021,
                index_serial: 9000 + i,
                author_id: author,
                fields: gongkai_store::catalogue::DocumentFields {
                    column_id: column,
                    title: format!("工作动态第{i}期"),
                    issuer: "巫山县人民政府".into(),
                    topic: "general".into(),
                    genre: "notice".into(),
                    validity: "in_force".into(),
                    body: format!("<p>第{i}期。</p>"),
                    ..Default::default()
                },
            })
            .await
            .unwrap();
        tx.set_state(id, "published", None, None, Some(format!("2021-08-{:02}", i + 1)))
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

async fn published(app: &TestApp) -> Vec<i64> {
    let f = DocumentFilter {
        states: Some(vec!["published".into()]),
        ..Default::default()
    };
    app.state
        .store
        .list_documents(&f, 1000, 0)
        .await
        .unwrap()
        .iter()
        .map(|d| d.id)
        .collect()
}

fn files_under(root: &Path) -> Vec<String> {
    gongkai_app::catalogue::export::list_files(root)
        .unwrap()
        .into_iter()
        .map(|(rel, _, _)| rel)
        .collect()
}

/// Every same-site `href`/`src` in the exported HTML, as (page, link).
fn internal_links(root: &Path) -> Vec<(String, String)> {
    let attr = regex::Regex::new(r#"\s(?:href|src)="([^"]*)""#).unwrap();
    let mut out = vec![];
    for rel in files_under(root).into_iter().filter(|r| r.ends_with(".html")) {
        let html = std::fs::read_to_string(root.join(&rel)).unwrap();
        for c in attr.captures_iter(&html) {
            let v = c[1].replace("&amp;", "&");
            if v.starts_with('#') || v.contains("://") || v.starts_with("mailto:") || v.starts_with("tel:") {
                continue;
            }
            out.push((rel.clone(), v));
        }
    }
    out
}

/// The exported file a static web server would answer `link` with.
fn file_for(root: &Path, link: &str) -> std::path::PathBuf {
    assert!(link.starts_with('/'), "links are absolute paths: {link}");
    let path = link.split(['#', '?']).next().unwrap();
    let decoded = urlencoding::decode(path).unwrap().into_owned();
    let p = root.join(decoded.trim_start_matches('/'));
    if decoded.ends_with('/') || p.is_dir() {
        p.join("index.html")
    } else {
        p
    }
}

#[tokio::test]
async fn the_export_holds_the_public_portal_and_verify_catches_tampering() {
    let app = TestApp::spawn().await;
    let (doc_with_file, attachment) = attach_pdf(&app).await;
    fill_news(&app).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let s = export_site(&app.state, &out, &ExportOptions::default()).await.unwrap();
    assert_eq!(s.site, "wsx");
    // Every linked page is served (the 依申请公开 column links to the form).
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert_eq!(s.redirects, 1, "/a11y redirects home");

    // The portal's pages, every published document, the stylesheet, feeds and the file.
    let files = files_under(&out);
    for f in [
        "index.html",
        "catalogue/index.html",
        "workdays/index.html",
        "static/site.css",
        "sitemap.xml",
    ] {
        assert!(files.contains(&f.to_string()), "{f} missing from {files:?}");
    }
    let docs = published(&app).await;
    assert!(docs.len() >= 28, "{docs:?}");
    for id in &docs {
        assert!(files.contains(&format!("documents/{id}/index.html")), "document {id} not exported");
    }
    assert!(
        files.iter().any(|f| f.starts_with("columns/") && f.ends_with("/feed.xml")),
        "{files:?}"
    );
    let pdf = format!("files/{attachment}/巫山县2021年预算.pdf");
    assert_eq!(std::fs::read(out.join(&pdf)).unwrap(), PDF);
    let css = std::fs::read_to_string(out.join("static/site.css")).unwrap();
    assert!(css.len() > 1000 && !css.contains("<html"), "the real stylesheet");
    let page = std::fs::read_to_string(out.join(format!("documents/{doc_with_file}/index.html"))).unwrap();
    assert!(page.contains("索引号") && page.contains("巫山县2021年预算.pdf"), "{page}");
    assert!(
        page.contains(r#"href="/static/site.css""#),
        "stylesheet link without the cache-buster"
    );

    // Nothing of the staff side.
    for f in &files {
        for p in ["admin", "login", "logout", "api", "a11y", "healthz"] {
            assert!(!f.starts_with(p), "{f} must not be exported");
        }
    }
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!home.contains("/a11y?"), "适老化 switches need the live site: {home}");
    assert!(home.contains("大字号"), "their labels stay");

    // Every internal link of every page resolves to an exported file.
    let links = internal_links(&out);
    assert!(links.len() > 50, "{}", links.len());
    for (page, link) in &links {
        assert!(!link.contains("?page="), "{page}: {link}");
        assert!(file_for(&out, link).is_file(), "{page} links to {link}, which is not exported");
    }
    assert!(links.iter().any(|(_, l)| l == &format!("/documents/{doc_with_file}/")));
    // Paging: page 2 is a folder of its own, and the two pages link to each other.
    assert!(files.contains(&"columns/news/page-2/index.html".to_string()), "{files:?}");
    assert!(!files.iter().any(|f| f.contains("page-3") || f.contains("page-1/")));
    assert!(links.contains(&("columns/news/index.html".to_string(), "/columns/news/page-2/".to_string())));
    assert!(links.contains(&("columns/news/page-2/index.html".to_string(), "/columns/news/".to_string())));
    assert!(links.iter().any(|(_, l)| l.starts_with(&format!("/files/{attachment}/"))));

    // The manifest lists exactly what was written, sorted, with the real hashes.
    let manifest = Manifest::parse(&std::fs::read(out.join(MANIFEST)).unwrap()).unwrap();
    assert_eq!(manifest.site, "wsx");
    assert!(chrono::DateTime::parse_from_rfc3339(&manifest.generated_at).is_ok());
    assert_eq!(manifest.files.keys().cloned().collect::<Vec<_>>(), files);
    assert_eq!(manifest.files[&pdf].size, PDF.len() as u64);
    assert_eq!(s.files, files.len());
    let pin = s.manifest_sha256.clone();
    let sha_line = std::fs::read_to_string(out.join("manifest.json.sha256")).unwrap();
    assert_eq!(sha_line, format!("{pin}  manifest.json\n"));

    // Clean right after export, also against the pinned hash.
    let v = verify_site(&out, Some(&pin)).unwrap();
    assert!(v.is_clean(), "{:?}", v.findings);
    assert_eq!(v.files_checked, files.len());

    // One flipped byte in a document page.
    let target = format!("documents/{doc_with_file}/index.html");
    let mut bytes = std::fs::read(out.join(&target)).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 0x01;
    std::fs::write(out.join(&target), &bytes).unwrap();
    let v = verify_site(&out, Some(&pin)).unwrap();
    assert_eq!(v.findings, vec![Finding::Changed(target.clone())]);
    assert!(!v.is_clean());
    assert_eq!(v.findings[0].to_string(), format!("已篡改 changed  {target}"));

    // A deleted and an added file.
    std::fs::remove_file(out.join("static/site.css")).unwrap();
    std::fs::write(out.join("documents/notice.html"), "<p>假通知</p>").unwrap();
    let v = verify_site(&out, None).unwrap();
    let mut expected = vec![
        ("documents/notice.html".to_string(), Finding::Added("documents/notice.html".into())),
        (target.clone(), Finding::Changed(target.clone())),
        ("static/site.css".to_string(), Finding::Missing("static/site.css".into())),
    ];
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        v.findings,
        expected.into_iter().map(|e| e.1).collect::<Vec<_>>(),
        "one line each, in path order"
    );

    // A manifest rewritten to match: its own hash file and the pinned hash disagree.
    let mut forged = manifest.clone();
    forged.files.remove("static/site.css");
    std::fs::write(out.join(MANIFEST), forged.to_bytes()).unwrap();
    let v = verify_site(&out, Some(&pin)).unwrap();
    let manifest_findings: Vec<&Finding> = v.findings.iter().filter(|f| matches!(f, Finding::Manifest { .. })).collect();
    assert_eq!(manifest_findings.len(), 2, "{:?}", v.findings);
    assert!(!v.findings.contains(&Finding::Missing("static/site.css".into())));
    // A bad pin or an unreadable folder is a usage error, not a verdict.
    assert!(verify_site(&out, Some("abc")).is_err());
    assert!(verify_site(&tmp.path().join("nowhere"), None).is_err());
    std::fs::write(out.join(MANIFEST), "{not json").unwrap();
    assert!(verify_site(&out, None).is_err());

    // A non-empty folder is refused unless --force, which replaces the earlier export.
    let err = export_site(&app.state, &out, &ExportOptions::default()).await.unwrap_err();
    assert!(err.to_string().contains("not empty"), "{err}");
    std::fs::write(out.join(MANIFEST), manifest.to_bytes()).unwrap();
    let again = export_site(
        &app.state,
        &out,
        &ExportOptions {
            force: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let leftover: Vec<&String> = again.warnings.iter().collect();
    assert_eq!(leftover.len(), 1, "{:?}", again.warnings);
    assert!(leftover[0].contains("1 files") && leftover[0].contains("not part of this export"));
    let v = verify_site(&out, None).unwrap();
    assert_eq!(v.findings, vec![Finding::Added("documents/notice.html".into())]);
}

#[tokio::test]
async fn with_a_base_url_dynamic_links_point_at_the_live_site() {
    let app = TestApp::spawn().await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let opts = ExportOptions {
        base_url: Some("https://gk.wuxi.gov.cn".into()),
        ..Default::default()
    };
    let s = export_site(&app.state, &out, &opts).await.unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert_eq!(s.dropped_links, 0, "nothing is dropped when the live site can take the link");
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains(r#"href="https://gk.wuxi.gov.cn/a11y?set="#), "{home}");
    let workdays = std::fs::read_to_string(out.join("workdays/index.html")).unwrap();
    assert!(
        workdays.contains(r#"action="https://gk.wuxi.gov.cn/workdays""#),
        "the calculator runs on the live site"
    );
    assert!(workdays.contains(r#"href="https://gk.wuxi.gov.cn/api/v1/openapi.json""#));
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://gk.wuxi.gov.cn/documents/"), "{sitemap}");
    for (page, link) in internal_links(&out) {
        assert!(file_for(&out, &link).is_file(), "{page} links to {link}, which is not exported");
    }
    // Only the site the portal serves can be exported; a path prefix is refused.
    for bad in [
        ExportOptions {
            site: Some("nosuch".into()),
            ..Default::default()
        },
        ExportOptions {
            base_url: Some("https://gk.wuxi.gov.cn/gk/".into()),
            ..Default::default()
        },
    ] {
        assert!(export_site(&app.state, &tmp.path().join("other"), &bad).await.is_err());
    }
    assert!(!tmp.path().join("other").exists(), "nothing is written when the options are wrong");
}

#[test]
fn the_cli_exports_and_verifies_with_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = dir.path().join("site");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .arg("--data")
            .arg(&data)
            .args(args)
            .env_remove("GONGKAI_DATABASE_URL")
            .env("GONGKAI_LOG", "warn")
            .output()
            .expect("run gongkai")
    };
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    assert!(run(&["demo"]).status.success());
    let o = run(&["export-site", out.to_str().unwrap(), "--site", "wsx"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    assert!(stdout.contains("exported site wsx") && stdout.contains(" files, "), "{stdout}");
    let pin = stdout
        .lines()
        .find_map(|l| l.strip_prefix("manifest sha256 "))
        .expect("the manifest hash is printed")
        .to_string();

    let o = run(&["verify-site", out.to_str().unwrap(), "--manifest-sha256", &pin]);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(text(&o.stdout).contains("校验通过 clean"));

    let page = out.join("documents/1/index.html");
    let mut bytes = std::fs::read(&page).unwrap();
    bytes[100] ^= 0x20;
    std::fs::write(&page, bytes).unwrap();
    let o = run(&["verify-site", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stdout).contains("已篡改 changed  documents/1/index.html"),
        "{}",
        text(&o.stdout)
    );

    let o = run(&["verify-site", dir.path().join("nowhere").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["export-site", out.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("--force"), "{}", text(&o.stderr));
}
