//! The store test suite. It runs on SQLite by default and, in CI, again on
//! PostgreSQL (`GONGKAI_TEST_DATABASE_URL=postgres://…`): both backends must
//! give the same answers.

mod common;

use common::test_store;
use gongkai_domain::accounts::{Role, SiteSettings, UnitCode, UnitKind, UnitName, Username};
use gongkai_domain::audit::{ChainError, NewEntry};
use gongkai_store::accounts::NewUnit;
use gongkai_store::audit::AuditFilter;
use gongkai_store::schema::AuditLog;
use gongkai_store::{Store, StoreError};
use sea_query::{Expr, ExprTrait, Query};

fn unit(parent: Option<i64>, name: &str, code: &str, kind: UnitKind) -> NewUnit {
    NewUnit {
        parent_id: parent,
        name: UnitName::parse(name).unwrap(),
        code: UnitCode::parse(code).unwrap(),
        kind,
        phone: Some("023-57600000".into()),
        sort_order: 0,
    }
}

async fn county(store: &Store) -> (i64, i64, i64) {
    let mut tx = store.begin().await.unwrap();
    let root = tx
        .create_unit(&unit(None, "巫山县人民政府", "wsx", UnitKind::Government))
        .await
        .unwrap();
    let finance = tx
        .create_unit(&unit(Some(root.id), "县财政局", "czj", UnitKind::Department))
        .await
        .unwrap();
    let edu = tx
        .create_unit(&unit(Some(root.id), "县教委", "jw", UnitKind::Department))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (root.id, finance.id, edu.id)
}

#[tokio::test]
async fn migrations_are_idempotent_and_versioned() {
    let db = test_store().await;
    assert_eq!(db.store.migrate().await.unwrap(), Vec::<i64>::new(), "second run applies nothing");
    assert_eq!(db.store.schema_version().await.unwrap(), gongkai_store::schema::latest_version());
    db.store.ping().await.unwrap();
}

#[tokio::test]
async fn units_form_a_tree_with_paths() {
    let db = test_store().await;
    let (root, finance, _) = county(&db.store).await;
    let mut tx = db.store.begin().await.unwrap();
    let sub = tx
        .create_unit(&unit(Some(finance), "县财政局国库科", "czj-gk", UnitKind::Other))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(sub.path, format!("/{root}/{finance}/{}/", sub.id));
    assert_eq!(sub.parent_id, Some(finance));
    let all = db.store.list_units().await.unwrap();
    assert_eq!(all.len(), 4);
    assert!(all.iter().all(|u| u.active));
    let root_unit = db.store.get_unit(root).await.unwrap();
    assert!(root_unit.unit_path().contains(&sub.unit_path()));
    assert_eq!(db.store.units_named("县财政局").await.unwrap().len(), 1);
    assert_eq!(db.store.unit_by_code("czj").await.unwrap().unwrap().id, finance);
    assert!(db.store.unit_by_code("nope").await.unwrap().is_none());
    assert!(matches!(db.store.get_unit(9999).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn duplicate_codes_and_sibling_names_conflict() {
    let db = test_store().await;
    let (root, _, _) = county(&db.store).await;
    let mut tx = db.store.begin().await.unwrap();
    let e = tx
        .create_unit(&unit(Some(root), "另一个单位", "czj", UnitKind::Department))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{e:?}");
    drop(tx);
    let mut tx = db.store.begin().await.unwrap();
    let e = tx
        .create_unit(&unit(Some(root), "县财政局", "czj2", UnitKind::Department))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{e:?}");
    drop(tx);
    // Nothing half-written survived the rolled-back transactions.
    assert_eq!(db.store.list_units().await.unwrap().len(), 3);
}

#[tokio::test]
async fn unit_updates_persist() {
    let db = test_store().await;
    let (_, finance, _) = county(&db.store).await;
    let mut tx = db.store.begin().await.unwrap();
    tx.update_unit(
        finance,
        &UnitName::parse("县财政局（更名）").unwrap(),
        UnitKind::Other,
        None,
        5,
        false,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let u = db.store.get_unit(finance).await.unwrap();
    assert_eq!(
        (u.name.as_str(), u.kind(), u.phone.clone(), u.sort_order, u.active),
        ("县财政局（更名）", UnitKind::Other, None, 5, false)
    );
}

#[tokio::test]
async fn sites_keep_their_settings() {
    let db = test_store().await;
    let (root, _, _) = county(&db.store).await;
    let settings = SiteSettings {
        site_code: "5002370001".into(),
        icp: "渝ICP备1号".into(),
        ..SiteSettings::default()
    };
    let mut tx = db.store.begin().await.unwrap();
    let id = tx.create_site("wsx", "巫山县政府网", root, &settings).await.unwrap();
    tx.commit().await.unwrap();
    let site = db.store.site_by_code("wsx").await.unwrap().unwrap();
    assert_eq!(site.id, id);
    assert_eq!(site.settings, settings);
    assert_eq!(site.settings.review_stages, vec!["初审", "复审", "终审"]);
    let changed = SiteSettings {
        review_stages: vec!["初审".into()],
        ..settings
    };
    let mut tx = db.store.begin().await.unwrap();
    tx.update_site(id, "新名称", &changed).await.unwrap();
    tx.commit().await.unwrap();
    let sites = db.store.list_sites().await.unwrap();
    assert_eq!((sites[0].name.as_str(), sites[0].settings.review_stages.len()), ("新名称", 1));
}

#[tokio::test]
async fn users_grants_and_passwords() {
    let db = test_store().await;
    let (_, finance, edu) = county(&db.store).await;
    let name = Username::parse("Editor_CZJ").unwrap();
    let mut tx = db.store.begin().await.unwrap();
    let id = tx.create_user(&name, "张三", "$argon2id$fake", true).await.unwrap();
    let g1 = tx.add_grant(id, Role::Editor, finance).await.unwrap();
    tx.add_grant(id, Role::Reviewer, edu).await.unwrap();
    tx.commit().await.unwrap();

    let u = db.store.user_by_username("editor_czj").await.unwrap().unwrap();
    assert_eq!((u.id, u.must_change_password, u.disabled), (id, true, false));
    let grants = db.store.grants_of(id).await.unwrap();
    assert_eq!(grants.len(), 2);
    assert_eq!(grants[0].unit_name, "县财政局");
    let g = grants[0].to_grant().unwrap();
    assert_eq!(g.role, Role::Editor);
    assert!(g.unit_path.as_str().ends_with(&format!("/{finance}/")));

    let mut tx = db.store.begin().await.unwrap();
    assert!(matches!(
        tx.add_grant(id, Role::Editor, finance).await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx);
    let mut tx = db.store.begin().await.unwrap();
    assert!(matches!(
        tx.create_user(&name, "重名", "x", true).await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx);

    let mut tx = db.store.begin().await.unwrap();
    tx.remove_grant(g1).await.unwrap();
    tx.set_password(id, "$argon2id$new", false).await.unwrap();
    tx.set_user_disabled(id, true).await.unwrap();
    tx.commit().await.unwrap();
    let u = db.store.get_user(id).await.unwrap();
    assert_eq!(
        (u.password_hash.as_str(), u.must_change_password, u.disabled),
        ("$argon2id$new", false, true)
    );
    assert_eq!(db.store.grants_of(id).await.unwrap().len(), 1);
    assert_eq!(db.store.all_grants().await.unwrap().len(), 1);
}

#[tokio::test]
async fn sessions_expire_and_end_on_password_change() {
    let db = test_store().await;
    let (_, finance, _) = county(&db.store).await;
    let mut tx = db.store.begin().await.unwrap();
    let id = tx.create_user(&Username::parse("user1").unwrap(), "U", "h", false).await.unwrap();
    tx.add_grant(id, Role::Editor, finance).await.unwrap();
    tx.commit().await.unwrap();
    let t0 = chrono::Utc::now() - chrono::Duration::hours(1);
    db.store.create_session("hash-a", id, "csrf-a", t0).await.unwrap();
    db.store.create_session("hash-b", id, "csrf-b", chrono::Utc::now()).await.unwrap();
    let s = db.store.session("hash-a").await.unwrap().unwrap();
    assert_eq!((s.user_id, s.csrf_token.as_str()), (id, "csrf-a"));
    // Purge sessions idle for 30 minutes: only the old one goes.
    let n = db
        .store
        .purge_sessions(
            chrono::Utc::now() - chrono::Duration::minutes(30),
            chrono::Utc::now() - chrono::Duration::hours(12),
        )
        .await
        .unwrap();
    assert_eq!(n, 1);
    assert!(db.store.session("hash-a").await.unwrap().is_none());
    let later = chrono::Utc::now() + chrono::Duration::minutes(5);
    db.store.touch_session("hash-b", later).await.unwrap();
    assert_eq!(
        db.store.session("hash-b").await.unwrap().unwrap().last_seen_at,
        gongkai_store::ts(later)
    );
    let mut tx = db.store.begin().await.unwrap();
    tx.set_password(id, "h2", false).await.unwrap();
    tx.commit().await.unwrap();
    assert!(
        db.store.session("hash-b").await.unwrap().is_none(),
        "a password change ends sessions"
    );
}

#[tokio::test]
async fn failed_logins_are_counted_in_a_window() {
    let db = test_store().await;
    let now = chrono::Utc::now();
    for i in 0..6 {
        db.store
            .record_login_attempt("Alice", false, now - chrono::Duration::minutes(i * 5))
            .await
            .unwrap();
    }
    db.store.record_login_attempt("alice", true, now).await.unwrap();
    db.store.record_login_attempt("bob", false, now).await.unwrap();
    // Attempts at 0, 5, 10 minutes ago fall in a 15-minute window; 15 is the boundary (inclusive).
    assert_eq!(
        db.store
            .failed_logins_since("alice", now - chrono::Duration::minutes(15))
            .await
            .unwrap(),
        4
    );
    assert_eq!(
        db.store
            .failed_logins_since("ALICE", now - chrono::Duration::minutes(1))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        db.store
            .failed_logins_since("carol", now - chrono::Duration::minutes(15))
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn api_tokens_are_looked_up_by_hash_and_revoked() {
    let db = test_store().await;
    let mut tx = db.store.begin().await.unwrap();
    let id = tx
        .create_user(&Username::parse("hotline").unwrap(), "12345热线", "h", false)
        .await
        .unwrap();
    let tid = tx.create_token(id, "12345", "tokenhash").await.unwrap();
    tx.commit().await.unwrap();
    let t = db.store.token_by_hash("tokenhash").await.unwrap().unwrap();
    assert_eq!((t.id, t.user_id, t.revoked_at.is_none()), (tid, id, true));
    db.store.touch_token(tid).await.unwrap();
    assert!(db.store.get_token(tid).await.unwrap().last_used_at.is_some());
    let mut tx = db.store.begin().await.unwrap();
    tx.revoke_token(tid).await.unwrap();
    assert!(
        matches!(tx.revoke_token(tid).await, Err(StoreError::NotFound)),
        "revoking twice is NotFound"
    );
    tx.commit().await.unwrap();
    assert!(db.store.token_by_hash("tokenhash").await.unwrap().unwrap().revoked_at.is_some());
    assert_eq!(db.store.tokens_of(id).await.unwrap().len(), 1);
}

async fn append(store: &Store, n: usize) {
    for i in 0..n {
        store
            .audit(
                NewEntry::new("admin", if i % 2 == 0 { "user.create" } else { "login.success" }, "user", i)
                    .unit(Some(1 + (i as i64 % 2)))
                    .detail(serde_json::json!({"i": i})),
            )
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn audit_chain_appends_filters_and_verifies() {
    let db = test_store().await;
    assert_eq!(db.store.verify_audit().await.unwrap(), Ok(0));
    append(&db.store, 10).await;
    assert_eq!(db.store.verify_audit().await.unwrap(), Ok(10));
    let all = db.store.audit_entries(&AuditFilter::default(), 100, 0).await.unwrap();
    assert_eq!(all.len(), 10);
    assert_eq!(all[0].seq, 10, "newest first");
    assert_eq!(all[9].prev_hash, gongkai_domain::audit::GENESIS);
    let f = AuditFilter {
        action: Some("user".into()),
        ..Default::default()
    };
    assert_eq!(db.store.audit_count(&f).await.unwrap(), 5);
    let f = AuditFilter {
        action: Some("login.success".into()),
        unit_ids: Some(vec![2]),
        ..Default::default()
    };
    assert_eq!(db.store.audit_count(&f).await.unwrap(), 5);
    let f = AuditFilter {
        object_type: Some("user".into()),
        object_id: Some("3".into()),
        ..Default::default()
    };
    assert_eq!(db.store.audit_entries(&f, 10, 0).await.unwrap()[0].seq, 4);
    let today = chrono::Utc::now().date_naive();
    let f = AuditFilter {
        from: Some(today),
        to: Some(today),
        actor: Some("admin".into()),
        ..Default::default()
    };
    assert_eq!(db.store.audit_count(&f).await.unwrap(), 10);
    let f = AuditFilter {
        to: Some(today.pred_opt().unwrap()),
        ..Default::default()
    };
    assert_eq!(db.store.audit_count(&f).await.unwrap(), 0);
    assert_eq!(
        db.store.audit_entries(&AuditFilter::default(), 3, 3).await.unwrap()[0].seq,
        7,
        "paging"
    );
}

#[tokio::test]
async fn audit_tampering_is_detected_at_the_entry() {
    let db = test_store().await;
    append(&db.store, 6).await;
    // Edit entry 3's actor directly in the database.
    db.store
        .execute(
            &Query::update()
                .table(AuditLog::Table)
                .value(AuditLog::Actor, "mallory")
                .and_where(Expr::col(AuditLog::Seq).eq(3))
                .to_owned(),
        )
        .await
        .unwrap();
    let err = db.store.verify_audit().await.unwrap().unwrap_err();
    assert_eq!(err, ChainError::Altered { seq: 3 });
}

#[tokio::test]
async fn audit_deletion_and_truncation_are_detected() {
    let db = test_store().await;
    append(&db.store, 6).await;
    db.store
        .execute(
            &Query::delete()
                .from_table(AuditLog::Table)
                .and_where(Expr::col(AuditLog::Seq).eq(6))
                .to_owned(),
        )
        .await
        .unwrap();
    assert_eq!(
        db.store.verify_audit().await.unwrap().unwrap_err(),
        ChainError::Truncated { last: 5, head: 6 }
    );
    db.store
        .execute(
            &Query::delete()
                .from_table(AuditLog::Table)
                .and_where(Expr::col(AuditLog::Seq).eq(2))
                .to_owned(),
        )
        .await
        .unwrap();
    assert_eq!(
        db.store.verify_audit().await.unwrap().unwrap_err(),
        ChainError::Gap { seq: 3, expected: 2 }
    );
}

#[tokio::test]
async fn audit_entries_roll_back_with_their_change() {
    let db = test_store().await;
    let mut tx = db.store.begin().await.unwrap();
    tx.create_unit(&unit(None, "临时单位", "tmp", UnitKind::Other)).await.unwrap();
    tx.audit(NewEntry::new("admin", "unit.create", "unit", 1)).await.unwrap();
    drop(tx); // rolled back
    assert_eq!(db.store.audit_count(&AuditFilter::default()).await.unwrap(), 0);
    assert!(db.store.list_units().await.unwrap().is_empty());
    append(&db.store, 2).await;
    assert_eq!(
        db.store.verify_audit().await.unwrap(),
        Ok(2),
        "the chain continues from the committed head"
    );
}

#[tokio::test]
async fn concurrent_appends_keep_one_chain() {
    let db = test_store().await;
    let mut tasks = vec![];
    for t in 0..4 {
        let store = db.store.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..10 {
                store
                    .audit(NewEntry::new(format!("worker{t}"), "test.append", "n", i))
                    .await
                    .unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(db.store.verify_audit().await.unwrap(), Ok(40));
}

#[tokio::test]
async fn imported_calendar_years_override_the_official_data() {
    let db = test_store().await;
    let before = db.store.calendar().await.unwrap();
    let d = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    assert!(before.is_working_day(d), "2027-01-01 is a Friday with no arrangement shipped");
    let arr = gongkai_domain::calendar::parse_reference_year(
        r#"{"year":2027,"papers":["https://www.gov.cn/example"],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}"#,
    )
    .unwrap();
    let mut tx = db.store.begin().await.unwrap();
    tx.put_calendar_year(&arr, "admin").await.unwrap();
    tx.commit().await.unwrap();
    let after = db.store.calendar().await.unwrap();
    assert!(!after.is_working_day(d));
    assert_eq!(db.store.imported_years().await.unwrap().len(), 1);
    // Re-importing replaces, it does not duplicate.
    let mut tx = db.store.begin().await.unwrap();
    tx.put_calendar_year(&arr, "admin2").await.unwrap();
    tx.commit().await.unwrap();
    let years = db.store.imported_years().await.unwrap();
    assert_eq!((years.len(), years[0].imported_by.as_str()), (1, "admin2"));
    let mut tx = db.store.begin().await.unwrap();
    assert!(tx.delete_calendar_year(2027).await.unwrap());
    tx.commit().await.unwrap();
    assert!(db.store.calendar().await.unwrap().is_working_day(d));
}

fn qa_fields(q: &str, a: &str, unit: Option<i64>) -> gongkai_store::qa::QaEntryFields {
    gongkai_store::qa::QaEntryFields {
        question: q.into(),
        answer: format!("<p>{a}</p>"),
        answer_text: a.into(),
        hotline_script: None,
        unit_id: unit,
        unit_name: "县人力社保局".into(),
        officer: None,
        valid_until: None,
    }
}

#[tokio::test]
async fn qa_entries_similar_questions_and_versions() {
    let db = test_store().await;
    let (root, finance, _) = county(&db.store).await;
    let mut tx = db.store.begin().await.unwrap();
    let site = tx.create_site("wsx", "巫山县政府网", root, &SiteSettings::default()).await.unwrap();
    let a = tx
        .insert_qa_entry(
            site,
            Some("FAQ-1"),
            &qa_fields("社保怎么缴？", "到社保大厅缴纳。", Some(finance)),
            "published",
            "import",
            "admin",
        )
        .await
        .unwrap();
    let b = tx
        .insert_qa_entry(
            site,
            None,
            &qa_fields("公积金怎么取？", "带身份证到中心。", None),
            "draft",
            "manual",
            "admin",
        )
        .await
        .unwrap();
    tx.set_qa_similar(a, &["社会保险在哪交".into(), "社保断缴怎么办".into()])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // The same external id on the same site is refused.
    let mut tx = db.store.begin().await.unwrap();
    let dup = tx
        .insert_qa_entry(site, Some("FAQ-1"), &qa_fields("重复", "重复", None), "draft", "import", "admin")
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
    drop(tx);

    let version_before = db.store.qa_version(site).await.unwrap();
    let (rows, similar) = db.store.qa_matchable(site).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![a], "drafts are not matched");
    assert_eq!(
        similar.iter().map(|s| s.question.as_str()).collect::<Vec<_>>(),
        ["社会保险在哪交", "社保断缴怎么办"]
    );

    let mut tx = db.store.begin().await.unwrap();
    assert_eq!(tx.qa_entry_by_external_id(site, "FAQ-1").await.unwrap().map(|e| e.id), Some(a));
    tx.add_qa_similar(a, "社保 缴费 地点").await.unwrap();
    tx.set_qa_state(b, "published").await.unwrap();
    tx.count_qa_hit(a).await.unwrap();
    assert_eq!(tx.count_qa_feedback(a, true).await.unwrap(), 1);
    assert_eq!(tx.count_qa_feedback(9999, false).await.unwrap(), 0);
    tx.commit().await.unwrap();
    assert_ne!(db.store.qa_version(site).await.unwrap(), version_before, "changes move the version");
    let e = db.store.qa_entry(a).await.unwrap();
    assert_eq!((e.hits, e.helpful, e.unhelpful), (1, 1, 0));
    assert_eq!(db.store.qa_similar_of(&[a]).await.unwrap().len(), 3);
    let (rows, _) = db.store.qa_matchable(site).await.unwrap();
    assert_eq!(rows.len(), 2);

    let filter = gongkai_store::qa::QaEntryFilter {
        text: Some("公积金".into()),
        ..Default::default()
    };
    let (page, total) = db.store.qa_entries_page(site, &filter, 10, 0).await.unwrap();
    assert_eq!((total, page[0].id), (1, b));
    // LIKE wildcards in the text are literal.
    let filter = gongkai_store::qa::QaEntryFilter {
        text: Some("%".into()),
        ..Default::default()
    };
    assert_eq!(db.store.qa_entries_page(site, &filter, 10, 0).await.unwrap().1, 0);

    let mut tx = db.store.begin().await.unwrap();
    tx.set_qa_review(a, true, Some("关联政策已废止")).await.unwrap();
    tx.set_qa_synonyms(site, "社保 社会保险", "admin").await.unwrap();
    tx.set_qa_synonyms(site, "社保 社会保险\n医保 医疗保险", "admin").await.unwrap();
    tx.delete_qa_entry(b).await.unwrap();
    assert!(matches!(tx.delete_qa_entry(b).await, Err(StoreError::NotFound)));
    tx.commit().await.unwrap();
    assert!(db.store.qa_entry(a).await.unwrap().needs_review);
    assert_eq!(db.store.qa_synonyms(site).await.unwrap().unwrap().lines().count(), 2);
    assert!(db.store.qa_similar_of(&[b]).await.unwrap().is_empty());
}

#[tokio::test]
async fn consultations_are_ledgered_replied_once_and_counted() {
    let db = test_store().await;
    let (root, finance, edu) = county(&db.store).await;
    let mut tx = db.store.begin().await.unwrap();
    let site = tx.create_site("wsx", "巫山县政府网", root, &SiteSettings::default()).await.unwrap();
    tx.commit().await.unwrap();
    let new = |q: &str, state: &str, outcome: &str, unit: Option<i64>, due: Option<&str>| gongkai_store::qa::NewConsultation {
        site_id: site,
        channel: "hotline".into(),
        question: q.into(),
        question_norm: q.replace('？', ""),
        outcome: outcome.into(),
        matched_entry_id: None,
        confidence: Some(0.2),
        state: state.into(),
        unit_id: unit,
        due_on: due.map(str::to_string),
        contact_name: Some("张三".into()),
        contact_phone: Some("13800000000".into()),
        contact_email: None,
        reply_via: "sms".into(),
        publish_consent: true,
        external_ref: Some("12345-1".into()),
        access_key: "k".into(),
        agent: Some("agent".into()),
    };
    let mut tx = db.store.begin().await.unwrap();
    let t1 = tx
        .insert_consultation(&new("低保怎么申请？", "open", "abstain", Some(finance), Some("2026-11-23")))
        .await
        .unwrap();
    let t2 = tx
        .insert_consultation(&new("低保怎么申请？", "open", "suggest", Some(edu), Some("2026-12-30")))
        .await
        .unwrap();
    let t3 = tx
        .insert_consultation(&new("敬老卡怎么办？", "answered", "answer", None, None))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let overdue = gongkai_store::qa::ConsultationFilter {
        due_before: Some("2026-12-01".into()),
        ..Default::default()
    };
    let (rows, total) = db.store.consultations_page(site, &overdue, 10, 0).await.unwrap();
    assert_eq!((total, rows[0].id), (1, t1));
    let mine = gongkai_store::qa::ConsultationFilter {
        unit_ids: Some(vec![edu]),
        ..Default::default()
    };
    assert_eq!(db.store.consultations_page(site, &mine, 10, 0).await.unwrap().0[0].id, t2);
    assert_eq!(db.store.open_consultations().await.unwrap().len(), 2);

    let mut tx = db.store.begin().await.unwrap();
    assert!(
        tx.reply_consultation(t1, "请到民政局办理。", "clerk", "2026-11-20", true)
            .await
            .unwrap()
    );
    assert!(
        !tx.reply_consultation(t1, "第二次", "clerk", "2026-11-21", true).await.unwrap(),
        "a reply is given once"
    );
    tx.mark_consultation(t2, true).await.unwrap();
    tx.mark_consultation(t2, false).await.unwrap();
    let o = tx
        .enqueue_outbox("sms", "13800000000", "已答复", "请到民政局办理。", "consultation", t1)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let c1 = db.store.consultation(t1).await.unwrap();
    assert_eq!(
        (c1.state.as_str(), c1.reply.as_deref(), c1.published),
        ("replied", Some("请到民政局办理。"), true)
    );
    let c2 = db.store.consultation(t2).await.unwrap();
    assert!(c2.reminded_at.is_some() && c2.escalated_at.is_some());
    assert_eq!(db.store.outbox(10).await.unwrap()[0].id, o);
    assert_eq!(db.store.published_replies(site, 10).await.unwrap().len(), 1);

    let stats = db.store.consultation_stats(site, "2000-01-01", "2999-01-01").await.unwrap();
    assert_eq!(stats.len(), 3);
    assert_eq!(stats.iter().filter(|s| s.state == "answered").count(), 1);
    // Gaps: questions without an immediate answer, grouped, most frequent first.
    let gaps = db.store.qa_gaps(site, "2000-01-01", "2999-01-01", 10).await.unwrap();
    assert_eq!(gaps.len(), 1);
    assert_eq!((gaps[0].question_norm.as_str(), gaps[0].count), ("低保怎么申请", 2));
    // Once a question has been folded into the library it is no longer a gap.
    let mut tx = db.store.begin().await.unwrap();
    tx.set_consultation_entry(t1, 1).await.unwrap();
    tx.set_consultation_entry(t2, 1).await.unwrap();
    tx.commit().await.unwrap();
    assert!(db.store.qa_gaps(site, "2000-01-01", "2999-01-01", 10).await.unwrap().is_empty());
    assert_eq!(db.store.consultation(t3).await.unwrap().state, "answered");
}

fn foi_case(site: i64, unit: i64, n: u32, id_number: &str, received: &str) -> gongkai_store::foi::NewFoiCase {
    gongkai_store::foi::NewFoiCase {
        site_id: site,
        unit_id: unit,
        ref_no: format!("YSQ-TEST-{n}"),
        channel: "in_person".into(),
        applicant_type: if n.is_multiple_of(2) { "natural_person" } else { "commercial" }.into(),
        applicant_name: "申请人".into(),
        org_code: None,
        contact_person: None,
        id_type: "居民身份证".into(),
        id_number: id_number.into(),
        id_file_hash: None,
        id_file_name: None,
        phone: "13800000000".into(),
        email: None,
        address: None,
        postcode: None,
        description: format!("第{n}件申请：2021年预算公开表"),
        doc_number: Some("巫山府办发〔2021〕48号".into()),
        form_wanted: "paper".into(),
        delivery: "post".into(),
        submitted_on: received.into(),
        status: "unconfirmed".into(),
        parent_id: None,
        created_by: "test".into(),
    }
}

fn clock(
    received: &str,
    status: &str,
    due: Option<&str>,
    outcome: Option<&str>,
    concluded: Option<&str>,
) -> gongkai_store::foi::FoiClockColumns {
    gongkai_store::foi::FoiClockColumns {
        received_on: Some(received.into()),
        status: status.into(),
        due_on: due.map(Into::into),
        overdue: false,
        provisional: false,
        outcome: outcome.map(Into::into),
        concluded_on: concluded.map(Into::into),
        auto_closed: false,
    }
}

#[tokio::test]
async fn applications_events_letters_and_reviews() {
    use gongkai_store::foi::FoiCaseFilter;
    let db = test_store().await;
    let (root, finance, edu) = county(&db.store).await;
    let mut tx = db.store.begin().await.unwrap();
    let site = tx.create_site("wsx", "巫山县政府网", root, &SiteSettings::default()).await.unwrap();
    let a = tx.insert_foi_case(&foi_case(site, finance, 1, "A", "2021-09-24")).await.unwrap();
    let b = tx.insert_foi_case(&foi_case(site, finance, 2, "A", "2021-09-30")).await.unwrap();
    let c = tx.insert_foi_case(&foi_case(site, edu, 3, "B", "2020-12-20")).await.unwrap();
    let d = tx.insert_foi_case(&foi_case(site, edu, 4, "B", "2021-12-28")).await.unwrap();
    // Reference numbers are unique.
    tx.set_foi_ref_no(a, "YSQ20210924-0001-AAAAAA").await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.store.begin().await.unwrap();
    assert!(matches!(
        tx.set_foi_ref_no(b, "YSQ20210924-0001-AAAAAA").await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx);

    let mut tx = db.store.begin().await.unwrap();
    tx.add_foi_event(a, "received", "2021-09-24", None, None, "t").await.unwrap();
    tx.add_foi_event(a, "third_party_sent", "2021-09-28", None, Some("征求意见"), "t")
        .await
        .unwrap();
    let wrong = tx.add_foi_event(a, "extended", "2021-10-20", Some(20), None, "t").await.unwrap();
    tx.add_foi_event(b, "received", "2021-09-30", None, None, "t").await.unwrap();
    tx.add_foi_event(b, "note", "2021-10-01", None, Some("备注"), "t").await.unwrap();
    tx.add_foi_event(c, "received", "2020-12-20", None, None, "t").await.unwrap();
    tx.add_foi_event(c, "concluded", "2021-01-10", None, None, "t").await.unwrap();
    tx.add_foi_event(d, "received", "2021-12-28", None, None, "t").await.unwrap();
    assert!(tx.delete_foi_event(a, wrong).await.unwrap());
    assert!(
        !tx.delete_foi_event(b, wrong).await.unwrap(),
        "an event is deleted only from its own case"
    );
    tx.set_foi_clock(a, &clock("2021-09-24", "paused", Some("2021-10-27"), None, None))
        .await
        .unwrap();
    tx.set_foi_clock(b, &clock("2021-09-30", "open", Some("2021-11-05"), None, None))
        .await
        .unwrap();
    tx.set_foi_clock(
        c,
        &clock("2020-12-20", "concluded", Some("2021-01-20"), Some("disclosed"), Some("2021-01-10")),
    )
    .await
    .unwrap();
    tx.set_foi_clock(d, &clock("2021-12-28", "open", Some("2022-01-26"), None, None))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let events = db.store.foi_events(a).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        ["received", "third_party_sent"]
    );
    assert_eq!(events[1].note.as_deref(), Some("征求意见"));

    // Lists: status, overdue as of a day, units, year, text.
    let page = |f: FoiCaseFilter| {
        let store = db.store.clone();
        async move { store.foi_cases_page(site, &f, "2021-11-01", 50, 0).await.unwrap() }
    };
    assert_eq!(page(FoiCaseFilter::default()).await.1, 4);
    assert_eq!(
        page(FoiCaseFilter {
            status: Some("open".into()),
            ..Default::default()
        })
        .await
        .1,
        2
    );
    let (late, n) = page(FoiCaseFilter {
        overdue: true,
        ..Default::default()
    })
    .await;
    assert_eq!((n, late[0].id), (1, a));
    assert_eq!(
        page(FoiCaseFilter {
            unit_ids: Some(vec![edu]),
            ..Default::default()
        })
        .await
        .1,
        2
    );
    assert_eq!(
        page(FoiCaseFilter {
            year: Some(2020),
            ..Default::default()
        })
        .await
        .1,
        1
    );
    assert_eq!(
        page(FoiCaseFilter {
            text: Some("第2件".into()),
            ..Default::default()
        })
        .await
        .1,
        1
    );
    assert_eq!(
        page(FoiCaseFilter {
            text: Some("YSQ20210924-0001-AAAAAA".into()),
            ..Default::default()
        })
        .await
        .0[0]
            .id,
        a
    );
    let (open, _) = page(FoiCaseFilter {
        open: true,
        ..Default::default()
    })
    .await;
    assert_eq!(open.iter().map(|c| c.id).collect::<Vec<_>>(), [a, b, d], "open cases by due date");
    let counts = db.store.foi_counts(site, None, "2021-11-01").await.unwrap();
    assert!(
        counts.contains(&("open".into(), 2, 0)) && counts.contains(&("paused".into(), 1, 1)),
        "{counts:?}"
    );
    assert_eq!(db.store.foi_case_by_ref("YSQ20210924-0001-AAAAAA").await.unwrap().unwrap().id, a);

    // Recomputation reads open cases and their clock events only, in order.
    let open = db.store.foi_open_cases(Some(site)).await.unwrap();
    assert_eq!(open.iter().map(|c| c.id).collect::<Vec<_>>(), [a, b, d]);
    let mut tx = db.store.begin().await.unwrap();
    tx.set_foi_clock_events(a, "received@2021-09-24;third_party_sent@2021-09-28")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let open = db.store.foi_open_cases(Some(site)).await.unwrap();
    assert_eq!(open[0].clock_events, "received@2021-09-24;third_party_sent@2021-09-28");
    assert_eq!(open[1].clock_events, "");

    // Statistics of 2021: c was concluded in 2021 (carried over), a, b, d received.
    let stats = db.store.foi_stat_rows(site, 2021).await.unwrap();
    assert_eq!(stats.len(), 4);
    assert_eq!(db.store.foi_stat_rows(site, 2022).await.unwrap().len(), 3, "c ended in 2021");
    assert_eq!(db.store.foi_stat_rows(site, 2020).await.unwrap().len(), 1);
    // The same applicant's other applications, and the place in the month.
    let prior = db.store.foi_prior_cases(site, "A", b, 10).await.unwrap();
    assert_eq!(prior.iter().map(|p| p.id).collect::<Vec<_>>(), [a]);
    assert_eq!(db.store.foi_nth_in_month(site, "A", "2021-09", b).await.unwrap(), 2);
    assert_eq!(db.store.foi_nth_in_month(site, "A", "2021-09", a).await.unwrap(), 1);
    assert_eq!(db.store.foi_nth_in_month(site, "A", "2021-10", b).await.unwrap(), 0);

    // Letters: drafts change, issued letters do not; delivery needs issue.
    let mut tx = db.store.begin().await.unwrap();
    let l = tx
        .insert_foi_letter(
            a,
            "extension_notice",
            "延期答复告知书",
            "〔2021〕1号",
            "申请人：\n\n正文",
            Some(20),
            "t",
        )
        .await
        .unwrap();
    assert!(!tx.deliver_foi_letter(l, "2021-10-21", "邮寄").await.unwrap());
    assert!(tx.update_foi_letter(l, "延期答复告知书", "申请人：\n\n改后的正文").await.unwrap());
    assert!(tx.issue_foi_letter(l, "2021-10-20", "t").await.unwrap());
    assert!(!tx.issue_foi_letter(l, "2021-10-21", "t").await.unwrap(), "issued once");
    assert!(!tx.update_foi_letter(l, "x", "y").await.unwrap());
    assert!(!tx.delete_foi_letter(l).await.unwrap());
    assert!(tx.deliver_foi_letter(l, "2021-10-21", "邮寄").await.unwrap());
    let draft = tx
        .insert_foi_letter(a, "fee_notice", "收费通知书", "〔2021〕2号", "x", None, "t")
        .await
        .unwrap();
    assert!(tx.delete_foi_letter(draft).await.unwrap());
    // Reviews and lawsuits.
    let r = tx
        .insert_foi_review(c, "reconsideration", "巫山县人民政府", "2021-02-01", None, "t")
        .await
        .unwrap();
    tx.insert_foi_review(c, "litigation_direct", "巫山县人民法院", "2021-03-01", Some("直接起诉"), "t")
        .await
        .unwrap();
    assert!(tx.decide_foi_review(c, r, "upheld", Some("2021-03-20"), None).await.unwrap());
    assert!(
        !tx.decide_foi_review(a, r, "corrected", None, None).await.unwrap(),
        "only through its own case"
    );
    tx.set_foi_fee(b, "per_page", 250, 4700).await.unwrap();
    tx.mark_foi_reminded(b).await.unwrap();
    tx.set_foi_unit(b, edu).await.unwrap();
    tx.commit().await.unwrap();
    let letters = db.store.foi_letters(a).await.unwrap();
    assert_eq!(letters.len(), 1);
    let l = &letters[0];
    assert_eq!(
        (l.body.as_str(), l.days, l.issued_on.as_deref(), l.delivered_on.as_deref()),
        ("申请人：\n\n改后的正文", Some(20), Some("2021-10-20"), Some("2021-10-21"))
    );
    let reviews = db.store.foi_reviews(c).await.unwrap();
    assert_eq!(reviews.iter().map(|r| r.result.as_str()).collect::<Vec<_>>(), ["upheld", "pending"]);
    assert_eq!(db.store.foi_review_stats(site, 2021).await.unwrap().len(), 2);
    assert_eq!(
        db.store.foi_review_stats(site, 2022).await.unwrap().len(),
        1,
        "the pending lawsuit stays"
    );
    let b_row = db.store.foi_case(b).await.unwrap();
    assert_eq!((b_row.fee_yuan, b_row.fee_quantity, b_row.unit_id), (Some(4700), Some(250), edu));
    assert!(b_row.reminded_at.is_some());

    // Bulk recomputation writes one statement per distinct set of columns.
    let moved = clock("2021-09-30", "open", Some("2021-11-08"), None, None);
    let closed = clock(
        "2021-12-28",
        "concluded",
        Some("2022-01-26"),
        Some("other_unpaid_fee"),
        Some("2022-02-01"),
    );
    let mut tx = db.store.begin().await.unwrap();
    let (ra, rb, rd) = (
        db.store.foi_case(a).await.unwrap(),
        db.store.foi_case(b).await.unwrap(),
        db.store.foi_case(d).await.unwrap(),
    );
    let n = tx
        .set_foi_clocks(&[
            (a, ra.clock_columns(), moved.clone()),
            (b, rb.clock_columns(), moved.clone()),
            (d, rd.clock_columns(), closed.clone()),
        ])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(n, 3, "a changes status and due date, b only its due date, d its state");
    assert_eq!(db.store.foi_case(a).await.unwrap().due_on.as_deref(), Some("2021-11-08"));
    assert_eq!(db.store.foi_case(b).await.unwrap().due_on.as_deref(), Some("2021-11-08"));
    let d_row = db.store.foi_case(d).await.unwrap();
    assert_eq!(
        (d_row.status.as_str(), d_row.outcome.as_deref()),
        ("concluded", Some("other_unpaid_fee"))
    );
    assert_eq!(db.store.foi_open_cases(Some(site)).await.unwrap().len(), 2);
}

fn task_row(seq: i64, text: &str, due: Option<&str>) -> gongkai_store::tasks::NewTaskRow {
    gongkai_store::tasks::NewTaskRow {
        seq,
        part_ordinal: 1,
        part_title: "紧扣“十四五”开好局起好步深化政务公开".into(),
        item_ordinal: 1,
        item_title: "做好各类规划主动公开".into(),
        line: 10 + seq,
        text: text.into(),
        measures: "[]".into(),
        lead_names: r#"["县财政局"]"#.into(),
        responsible_names: r#"["各乡镇（街道）"]"#.into(),
        lead_inherited: false,
        responsible_inherited: seq > 1,
        due_on: due.map(str::to_owned),
    }
}

#[tokio::test]
async fn task_plans_rows_units_entries_events_and_notices() {
    use gongkai_store::tasks::{NewTaskEntry, NewTaskEvent, TaskEntryState};
    let db = test_store().await;
    let (root, finance, edu) = county(&db.store).await;
    let mut tx = db.store.begin().await.unwrap();
    let site = tx.create_site("wsx", "巫山县政府网", root, &SiteSettings::default()).await.unwrap();
    let plan = tx
        .insert_task_plan(
            site,
            2021,
            "任务清单",
            Some("巫山府办发〔2021〕48号"),
            None,
            "seed.txt",
            "h1",
            "[]",
            "t",
        )
        .await
        .unwrap();
    let r1 = tx
        .insert_task_row(plan, &task_row(1, "公开规划", Some("2021-06-30")))
        .await
        .unwrap();
    let r2 = tx.insert_task_row(plan, &task_row(2, "公开预算", None)).await.unwrap();
    tx.set_task_row_units(
        r1,
        &[
            (finance, "lead", "named"),
            (edu, "responsible", "all_departments"),
            (finance, "lead", "named"),
        ],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // The same title in the same year is one plan.
    let mut tx = db.store.begin().await.unwrap();
    assert!(matches!(
        tx.insert_task_plan(site, 2021, "任务清单", None, None, "x", "h2", "[]", "t").await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx);
    assert_eq!(
        db.store.task_plan_by_title(site, 2021, "任务清单").await.unwrap().map(|p| p.id),
        Some(plan)
    );
    assert!(db.store.task_plan_by_title(site, 2022, "任务清单").await.unwrap().is_none());

    // Assigned units survive a re-import's rewrite of the named ones.
    let mut tx = db.store.begin().await.unwrap();
    assert!(tx.assign_task_row_unit(r1, root, "responsible").await.unwrap());
    assert!(!tx.assign_task_row_unit(r1, root, "responsible").await.unwrap());
    tx.set_task_row_units(r1, &[(finance, "lead", "named")]).await.unwrap();
    tx.update_task_row(r2, &task_row(2, "公开预算和决算", Some("2021-12-31")))
        .await
        .unwrap();
    tx.withdraw_task_row(r1).await.unwrap();
    tx.update_task_plan_source(plan, "seed2.txt", "h2", r#"[{"line":1}]"#)
        .await
        .unwrap();
    tx.set_task_plan_weights(plan, r#"{"completion":60,"timeliness":20,"evidence":20}"#)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let units = db.store.task_row_units(r1).await.unwrap();
    assert_eq!(
        units
            .iter()
            .map(|u| (u.unit_id, u.role.as_str(), u.via.as_str()))
            .collect::<Vec<_>>(),
        vec![(root, "responsible", "assigned"), (finance, "lead", "named")]
    );
    assert_eq!(db.store.task_plan_units(plan).await.unwrap().len(), 2);
    assert_eq!(db.store.task_rows(plan, false).await.unwrap().len(), 1);
    let rows = db.store.task_rows(plan, true).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].withdrawn);
    assert_eq!(
        (rows[1].text.as_str(), rows[1].due_on.as_deref()),
        ("公开预算和决算", Some("2021-12-31"))
    );
    let p = db.store.task_plan(plan).await.unwrap();
    assert_eq!((p.source_hash.as_str(), p.weights.is_some()), ("h2", true));
    let mut tx = db.store.begin().await.unwrap();
    // r1 is withdrawn: its units no longer count; r2's lead works alone.
    tx.set_task_row_units(r2, &[(edu, "lead", "named")]).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(db.store.task_plan_workers(plan).await.unwrap(), vec![edu]);
    let mut tx = db.store.begin().await.unwrap();
    tx.set_task_row_units(
        r2,
        &[
            (edu, "lead", "named"),
            (finance, "responsible", "named"),
            (root, "responsible", "all_departments"),
        ],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut workers = db.store.task_plan_workers(plan).await.unwrap();
    workers.sort_unstable();
    let mut expected = vec![finance, root];
    expected.sort_unstable();
    assert_eq!(workers, expected, "the lead does not count when the row names responsible units");
    let mut tx = db.store.begin().await.unwrap();
    assert!(tx.unassign_task_row_unit(r1, root, "responsible").await.unwrap());
    assert!(
        !tx.unassign_task_row_unit(r1, finance, "lead").await.unwrap(),
        "named units are not unassigned"
    );

    // Entries, their state and events.
    let e = tx
        .insert_task_entry(&NewTaskEntry {
            plan_id: plan,
            row_id: r2,
            unit_id: edu,
            measure_no: Some(0),
            title: "公开2021年部门预算".into(),
            owner: "王科长".into(),
            due_on: "2021-06-30".into(),
            target_kind: "document".into(),
            target_count: None,
            created_on: "2021-05-01".into(),
            created_by: "t".into(),
        })
        .await
        .unwrap();
    let state = TaskEntryState {
        progress: 100,
        achieved: None,
        status: "submitted".into(),
        has_evidence: true,
        last_report_on: Some("2021-06-20".into()),
        submitted_on: Some("2021-06-20".into()),
        closed_on: None,
    };
    tx.set_task_entry_state(e, &state).await.unwrap();
    tx.add_task_event(&NewTaskEvent {
        plan_id: plan,
        row_id: r2,
        entry_id: Some(e),
        unit_id: Some(edu),
        kind: "report".into(),
        progress: Some(100),
        document_id: Some(42),
        occurred_on: "2021-06-20".into(),
        actor: "t".into(),
        ..NewTaskEvent::default()
    })
    .await
    .unwrap();
    tx.add_task_event(&NewTaskEvent {
        plan_id: plan,
        row_id: r2,
        kind: "updated".into(),
        occurred_on: "2021-06-21".into(),
        actor: "t".into(),
        ..NewTaskEvent::default()
    })
    .await
    .unwrap();
    let n = tx
        .insert_task_notice(plan, "2021-07-01", "通报", r#"[{"unit_id":1}]"#, "t")
        .await
        .unwrap();
    tx.set_task_notice_document(n, 7).await.unwrap();
    tx.commit().await.unwrap();
    let entry = db.store.task_entry(e).await.unwrap();
    assert_eq!(entry.state(), state);
    // The overview's narrow reads: live rows, the units expected to work, entry facts.
    assert_eq!(db.store.task_row_ids(plan).await.unwrap(), vec![r2]);
    let facts = db.store.task_entry_facts(plan).await.unwrap();
    assert_eq!(
        (facts.len(), facts[0].status.as_str(), facts[0].has_evidence),
        (1, "submitted", true)
    );
    assert_eq!(db.store.task_entries(plan, Some(r2)).await.unwrap().len(), 1);
    assert_eq!(db.store.task_entries(plan, Some(r1)).await.unwrap().len(), 0);
    assert_eq!(db.store.task_open_entries().await.unwrap().len(), 1);
    assert_eq!(db.store.task_row_events(r2).await.unwrap().len(), 2);
    assert_eq!(db.store.task_entry_events(e).await.unwrap().len(), 1);
    let ev = db.store.task_plan_evidence(plan).await.unwrap();
    assert_eq!(ev.iter().map(|x| x.document_id).collect::<Vec<_>>(), vec![Some(42)]);
    assert_eq!(db.store.task_notices(plan).await.unwrap()[0].document_id, Some(7));
    assert_eq!(db.store.task_notice(n).await.unwrap().as_of, "2021-07-01");
    let mut tx = db.store.begin().await.unwrap();
    assert!(tx.delete_task_entry(e).await.unwrap());
    tx.commit().await.unwrap();
    assert!(db.store.task_entry_events(e).await.unwrap().is_empty());
    assert!(matches!(db.store.task_entry(e).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn mailbox_messages_calls_checks_and_commitments() {
    use gongkai_store::mailbox::{MessageFilter, NewMessage};
    let db = test_store().await;
    let (root, finance, edu) = county(&db.store).await;
    let mut tx = db.store.begin().await.unwrap();
    let site = tx.create_site("wsx", "巫山县政府网", root, &SiteSettings::default()).await.unwrap();
    let msg = |code: &str, day: &str| NewMessage {
        site_id: site,
        query_code: code.into(),
        channel: "web".into(),
        category: "consultation".into(),
        addressee_unit_id: None,
        title: "小区路灯不亮".into(),
        content: "某小区路灯已坏一个月".into(),
        contact_name: "张三".into(),
        contact_phone: "13912345678".into(),
        contact_email: None,
        wants_private: false,
        received_on: day.into(),
        suggested_unit_id: Some(finance),
        suggested_score: Some(0.7),
        client_hash: Some("h".into()),
    };
    let a = tx.insert_mailbox_message(&msg("LY20260901-AAAAAA", "2026-09-01")).await.unwrap();
    let b = tx.insert_mailbox_message(&msg("LY20261101-BBBBBB", "2026-11-01")).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.store.begin().await.unwrap();
    assert!(matches!(
        tx.insert_mailbox_message(&msg("LY20260901-AAAAAA", "2026-09-01")).await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx);
    let mut tx = db.store.begin().await.unwrap();
    let mut s = tx.mailbox_message(b).await.unwrap().state();
    s.status = "answered".into();
    s.unit_id = Some(edu);
    s.outcome = Some("resolved".into());
    s.reply_text = Some("已修复".into());
    s.notified_on = Some("2026-11-05".into());
    tx.set_mailbox_state(b, &s, true).await.unwrap();
    tx.mark_mailbox(a, true).await.unwrap();
    tx.rate_mailbox(b, 5, Some("很好")).await.unwrap();
    tx.set_mailbox_published(b, true).await.unwrap();
    tx.add_mailbox_event(b, "replied", Some("已修复"), Some(edu), "t", "2026-11-04")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(db.store.mailbox_by_code("LY20261101-BBBBBB").await.unwrap().unwrap().id, b);
    let (oldest, n) = db
        .store
        .mailbox_page(
            site,
            &MessageFilter {
                unanswered: true,
                oldest_first: true,
                ..Default::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!((n, oldest[0].id, oldest[0].reminded_at.is_some()), (1, a, true));
    let (published, _) = db
        .store
        .mailbox_page(
            site,
            &MessageFilter {
                published_only: true,
                ..Default::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!((published.len(), published[0].rating, published[0].state()), (1, Some(5), s));
    assert_eq!(
        db.store.mailbox_training(site, 10).await.unwrap(),
        vec![("小区路灯不亮".to_string(), "某小区路灯已坏一个月".to_string(), edu)]
    );
    let counts = db.store.mailbox_counts(site, None).await.unwrap();
    assert_eq!(counts.iter().map(|c| c.1).sum::<i64>(), 2);
    assert_eq!(db.store.mailbox_year(site, 2026).await.unwrap().len(), 2);
    assert_eq!(db.store.mailbox_events(b).await.unwrap().len(), 1);

    let mut tx = db.store.begin().await.unwrap();
    let c1 = tx
        .insert_phone_call(
            site,
            finance,
            "2026-11-02T09:00",
            "补贴何时发放",
            true,
            Some("月底前发放"),
            None,
            "t",
        )
        .await
        .unwrap();
    let c2 = tx
        .insert_phone_call(site, finance, "2026-11-03T10:00", "申报流程", false, None, Some("2026-11-10"), "t")
        .await
        .unwrap();
    tx.insert_phone_check(site, finance, "023-57600004", "2026-11-04", true, None, "t")
        .await
        .unwrap();
    let k = tx
        .insert_commitment(
            site,
            edu,
            "education",
            "某校食堂舆情",
            "承诺调查处理并公布结果",
            "李局长",
            "2026-11-01",
            "2026-11-30",
            "t",
        )
        .await
        .unwrap();
    tx.add_commitment_update(k, "已成立调查组", "2026-11-05", "t").await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        db.store.phone_calls_open().await.unwrap().iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![c2]
    );
    assert_eq!(db.store.phone_call(c1).await.unwrap().closed_on.as_deref(), Some("2026-11-02"));
    let mut tx = db.store.begin().await.unwrap();
    assert!(tx.close_phone_call(c2, "已电话回复", "2026-11-06").await.unwrap());
    assert!(!tx.close_phone_call(c2, "again", "2026-11-07").await.unwrap());
    assert!(tx.fulfil_commitment(k, "调查结果已公布", "2026-11-20").await.unwrap());
    assert!(!tx.fulfil_commitment(k, "again", "2026-11-21").await.unwrap());
    tx.set_commitment_published(k, true).await.unwrap();
    tx.commit().await.unwrap();
    assert!(db.store.phone_calls_open().await.unwrap().is_empty());
    assert_eq!(db.store.phone_calls(site, Some(&[finance]), 10).await.unwrap().len(), 2);
    assert_eq!(db.store.phone_checks(site, 10).await.unwrap().len(), 1);
    assert_eq!(db.store.commitments(site, true).await.unwrap()[0].status, "fulfilled");
    assert_eq!(db.store.commitment_updates(k).await.unwrap().len(), 1);
}

#[tokio::test]
async fn column_lists_put_drafts_first_then_the_newest_and_page_through_published_ones() {
    use gongkai_store::catalogue::{DocumentFields, DocumentFilter, NewColumn, NewDocument};
    let db = test_store().await;
    let (root, finance, _) = county(&db.store).await;
    let mut tx = db.store.begin().await.unwrap();
    let site = tx.create_site("wsx", "巫山县政府网", root, &SiteSettings::default()).await.unwrap();
    let column = tx
        .create_column(&NewColumn {
            site_id: site,
            parent_id: None,
            slug: "notices".into(),
            name: "通知公告".into(),
            kind: "list".into(),
            sort_order: 0,
            update_interval_days: None,
            page_body: None,
            link_url: None,
        })
        .await
        .unwrap();
    // Eight documents: published on four dates (two per date), one unpublished,
    // one draft with no date.
    let mut ids = Vec::new();
    for n in 1..=8i64 {
        let id = tx
            .insert_document(&NewDocument {
                site_id: site,
                unit_id: finance,
                kind: "document".into(),
                index_no: format!("czj/2021-{n:05}"),
                index_year: 2021,
                index_serial: n,
                author_id: 0,
                fields: DocumentFields {
                    column_id: column,
                    title: format!("通知{n}"),
                    ..Default::default()
                },
            })
            .await
            .unwrap();
        if n != 8 {
            let day = format!("2021-03-{:02}", 1 + (n - 1) / 2);
            tx.set_state(id, "published", None, None, Some(day)).await.unwrap();
            if n == 3 {
                tx.set_unpublished(id, "withdrawn", "撤回").await.unwrap();
            }
        }
        ids.push(id);
    }
    tx.commit().await.unwrap();
    let public = DocumentFilter {
        column_ids: Some(vec![column]),
        states: Some(vec!["published".into(), "unpublished".into()]),
        ..Default::default()
    };
    let order = |rows: Vec<gongkai_store::catalogue::DocumentRow>| rows.iter().map(|d| d.id).collect::<Vec<_>>();
    // Newest date first, the later id first within a date.
    let want = vec![ids[6], ids[5], ids[4], ids[3], ids[2], ids[1], ids[0]];
    assert_eq!(order(db.store.list_documents(&public, 10, 0).await.unwrap()), want);
    assert_eq!(order(db.store.list_documents(&public, 3, 3).await.unwrap()), want[3..6].to_vec());
    assert_eq!(db.store.count_documents(&public).await.unwrap(), 7);
    // Every state: the draft without a date comes first.
    let all = DocumentFilter {
        column_ids: Some(vec![column]),
        ..Default::default()
    };
    let listed = order(db.store.list_documents(&all, 10, 0).await.unwrap());
    assert_eq!(listed[0], ids[7]);
    assert_eq!(listed[1..].to_vec(), want);
}
