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
