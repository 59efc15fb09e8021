//! Portal search end to end on the demo site: 文号 first, split words apart,
//! edits searchable within a second through the background indexer,
//! filters, the JSON API, the misses log without personal data, rebuilds,
//! and 搜问一体 answers from a registered source.

mod common;

use common::{DEMO_PASSWORD, TestApp};
use gongkai_app::search::{Answer, AnswerSource, BoxedAnswers};
use gongkai_app::state::AppState;
use std::sync::Arc;
use std::time::{Duration, Instant};

async fn synced() -> TestApp {
    let app = TestApp::spawn().await;
    gongkai_app::search::sync(&app.state).await.unwrap();
    app
}

async fn column_id(app: &TestApp, slug: &str) -> i64 {
    let site = app.state.store.site_by_code("wsx").await.unwrap().unwrap();
    app.state.store.column_by_slug(site.id, slug).await.unwrap().unwrap().id
}

/// Drafts and publishes a document through the admin pages as the demo's
/// finance-bureau editor and reviewer.
async fn publish(app: &TestApp, title: &str, body: &str) -> i64 {
    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;
    let finance = app.unit_id("县财政局").await.to_string();
    let column = column_id(app, "normative-documents").await.to_string();
    let r = editor
        .post(
            "/admin/documents",
            &[
                ("unit_id", &finance),
                ("column_id", &column),
                ("title", title),
                ("written_on", "2021-09-01"),
                ("body", body),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();
    let path = format!("/admin/documents/{id}/action");
    assert_eq!(editor.post(&path, &[("action", "submit")]).await.status, 303);
    let reviewer = app.client();
    reviewer.login("czj_reviewer", DEMO_PASSWORD).await;
    for _ in 0..3 {
        assert_eq!(reviewer.post(&path, &[("action", "approve")]).await.status, 303);
    }
    assert_eq!(app.state.store.get_document(id).await.unwrap().state, "published");
    id
}

fn hit_ids(json: &serde_json::Value) -> Vec<i64> {
    json["hits"].as_array().unwrap().iter().map(|h| h["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn the_seed_document_is_found_first_by_its_doc_no() {
    let app = synced().await;
    let seed = app
        .state
        .store
        .list_documents(&Default::default(), 100, 0)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.doc_no.as_deref() == Some("巫山府办发〔2021〕48号"))
        .unwrap();
    let r = app
        .client()
        .get("/api/v1/search?q=%E5%B7%AB%E5%B1%B1%E5%BA%9C%E5%8A%9E%E5%8F%91%E3%80%942021%E3%80%9548%E5%8F%B7")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let j = r.json();
    assert_eq!(hit_ids(&j).first(), Some(&seed.id), "{j}");
    assert_eq!(j["doc_no"], "巫山府办发〔2021〕48号");
    // The page shows it with the 文号 and a link.
    let page = app
        .client()
        .get(&format!("/search?q={}", urlencoding::encode("巫山府办发[2021]48号")))
        .await;
    assert_eq!(page.status, 200);
    let first = page.body.find("/documents/").unwrap();
    assert!(
        page.body[first..].starts_with(&format!("/documents/{}\"", seed.id)),
        "first hit is the seed"
    );
    assert!(page.body.contains("巫山府办发〔2021〕48号"));
}

#[tokio::test]
async fn split_words_match_apart_and_an_edit_is_searchable_within_a_second() {
    let app = synced().await;
    let apart = publish(
        &app,
        "巫山县统计信息报送办法",
        "<p>各单位按月报送统计信息，报表依法向社会公开。</p>",
    )
    .await;
    // The background indexer, as `serve` runs it.
    let indexer = tokio::spawn(gongkai_app::search::run_indexer(app.state.clone()));
    let deadline = Instant::now() + Duration::from_secs(1);
    let found = loop {
        let j = app
            .client()
            .get(&format!("/api/v1/search?q={}", urlencoding::encode("信息公开")))
            .await
            .json();
        if hit_ids(&j).contains(&apart) {
            break true;
        }
        if Instant::now() > deadline {
            break false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(found, "a document with 信息 and 公开 apart is found within a second of publication");

    // An edit: a new version through the review workflow, then searched.
    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;
    let before = Instant::now();
    let mut tx = app.state.store.begin().await.unwrap();
    tx.set_body(apart, "<p>本办法关于高标准农田建设统计的规定。</p>").await.unwrap();
    tx.commit().await.unwrap();
    app.state.content_changed();
    let visible = loop {
        let j = app
            .client()
            .get(&format!("/api/v1/search?q={}", urlencoding::encode("高标准农田")))
            .await
            .json();
        if hit_ids(&j).contains(&apart) {
            break true;
        }
        if before.elapsed() > Duration::from_secs(1) {
            break false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(visible, "an edit is searchable within a second");
    let j = app
        .client()
        .get(&format!("/api/v1/search?q={}", urlencoding::encode("报表")))
        .await
        .json();
    assert!(!hit_ids(&j).contains(&apart), "the old text is gone from the index");
    indexer.abort();
}

#[tokio::test]
async fn unpublished_documents_leave_the_index() {
    let app = synced().await;
    let id = publish(&app, "巫山县河长制工作方案", "<p>全面推行河长制。</p>").await;
    gongkai_app::search::sync(&app.state).await.unwrap();
    let q = format!("/api/v1/search?q={}", urlencoding::encode("河长制"));
    assert!(hit_ids(&app.client().get(&q).await.json()).contains(&id));
    let mut tx = app.state.store.begin().await.unwrap();
    tx.set_unpublished(id, "withdrawn", "测试撤下").await.unwrap();
    tx.commit().await.unwrap();
    gongkai_app::search::sync(&app.state).await.unwrap();
    assert!(!hit_ids(&app.client().get(&q).await.json()).contains(&id));
}

#[tokio::test]
async fn filters_sorting_and_bad_api_parameters() {
    let app = synced().await;
    let a = publish(&app, "巫山县财政局乡村振兴资金管理办法", "<p>乡村振兴衔接资金。</p>").await;
    gongkai_app::search::sync(&app.state).await.unwrap();
    let q = urlencoding::encode("乡村振兴");
    let finance = app.unit_id("县财政局").await;
    let j = app
        .client()
        .get(&format!(
            "/api/v1/search?q={q}&unit={finance}&kind=document&validity=in_force&sort=date"
        ))
        .await
        .json();
    assert!(hit_ids(&j).contains(&a), "{j}");
    let office = app.unit_id("县政府办公室").await;
    let j = app.client().get(&format!("/api/v1/search?q={q}&unit={office}")).await.json();
    assert!(!hit_ids(&j).contains(&a), "unit filter excludes other units: {j}");
    let j = app.client().get(&format!("/api/v1/search?q={q}&kind=interpretation")).await.json();
    assert!(!hit_ids(&j).contains(&a));
    for bad in [
        "sort=random",
        "validity=valid",
        "page=0",
        "per_page=500",
        "column=nope",
        "unit=999999",
        "year=1800",
    ] {
        let r = app.client().get(&format!("/api/v1/search?q={q}&{bad}")).await;
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
        assert_eq!(r.json()["error"]["code"], "invalid_parameter", "{bad}");
    }
    // The page ignores bad filters instead of failing.
    let r = app.client().get(&format!("/search?q={q}&sort=random&year=abc&page=-3")).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains(&format!("/documents/{a}")));
}

#[tokio::test]
async fn searches_that_find_nothing_are_listed_for_editors_without_personal_data() {
    let app = synced().await;
    let nothing = urlencoding::encode("火星移民补贴");
    for _ in 0..2 {
        let r = app.client().get(&format!("/search?q={nothing}")).await;
        assert_eq!(r.status, 200);
        assert!(r.body.contains("没有找到相关信息"));
    }
    let personal = urlencoding::encode("张三 13812345678 低保");
    let _ = app.client().get(&format!("/search?q={personal}&unit=1")).await;
    let _ = app
        .client()
        .get(&format!("/search?q={}", urlencoding::encode("110101199003074578")))
        .await;
    let site = app.state.store.site_by_code("wsx").await.unwrap().unwrap();
    let misses = app.state.store.search_misses(site.id, 10).await.unwrap();
    assert_eq!(misses.len(), 1, "{misses:?}");
    assert_eq!(misses[0].query, "火星移民补贴");
    assert_eq!(misses[0].count, 2);

    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;
    let page = editor.get("/admin/search").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("火星移民补贴"));
    assert!(!page.body.contains("13812345678"));
    assert!(!page.body.contains("重建索引"), "editors may not rebuild");
    let r = editor.post(&format!("/admin/search/misses/{}/delete", misses[0].id), &[]).await;
    assert_eq!(r.status, 303);
    assert!(app.state.store.search_misses(site.id, 10).await.unwrap().is_empty());
    // The public may not see the list.
    assert_ne!(app.client().get("/admin/search").await.status, 200);
}

#[tokio::test]
async fn a_rebuild_from_the_database_restores_the_same_results_and_is_audited() {
    let app = synced().await;
    let q = format!("/api/v1/search?q={}", urlencoding::encode("政务公开"));
    let before = hit_ids(&app.client().get(&q).await.json());
    assert!(!before.is_empty());
    let admin = app.client();
    admin.login("admin", DEMO_PASSWORD).await;
    let r = admin.post("/admin/search/rebuild", &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("索引已重建"), "{}", r.body);
    let mut after = hit_ids(&app.client().get(&q).await.json());
    let mut b = before.clone();
    b.sort();
    after.sort();
    assert_eq!(b, after);
    let audit = app.state.store.audit_entries(&Default::default(), 20, 0).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "search.rebuild"));
}

struct Fixed;

impl AnswerSource for Fixed {
    fn answers<'a>(&'a self, _: &'a AppState, _: i64, query: &'a str, _: usize) -> BoxedAnswers<'a> {
        Box::pin(async move {
            if query.contains("公积金") {
                vec![Answer {
                    question: "如何提取住房公积金？".into(),
                    answer: "携带身份证到公积金中心办理。".into(),
                    url: "/qa/1".into(),
                    score: 0.9,
                }]
            } else {
                vec![]
            }
        })
    }
}

#[tokio::test]
async fn answers_from_the_qa_library_show_above_documents() {
    let app = synced().await;
    app.state.search.set_answer_source(Arc::new(Fixed));
    let r = app.client().get(&format!("/search?q={}", urlencoding::encode("公积金提取"))).await;
    assert_eq!(r.status, 200);
    let answer = r.body.find("如何提取住房公积金").expect("answer shown");
    let results = r.body.find("搜索结果").unwrap();
    assert!(answer < results, "answers come first");
    let j = app
        .client()
        .get(&format!("/api/v1/search?q={}", urlencoding::encode("公积金")))
        .await
        .json();
    assert_eq!(j["answers"][0]["url"], "/qa/1");
    let j = app
        .client()
        .get(&format!("/api/v1/search?q={}", urlencoding::encode("河道")))
        .await
        .json();
    assert!(j["answers"].as_array().unwrap().is_empty());
}
