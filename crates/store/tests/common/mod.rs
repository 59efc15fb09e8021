//! A fresh, migrated store for each test: a SQLite file in a temporary folder
//! by default, or — when `GONGKAI_TEST_DATABASE_URL` names a PostgreSQL
//! database — a schema of its own in that database, so tests run in parallel
//! without seeing each other's rows.

use gongkai_store::Store;

pub struct TestDb {
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
}

pub async fn test_store() -> TestDb {
    match std::env::var("GONGKAI_TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            let schema = format!("t_{}", uuid_like());
            {
                let admin = Store::connect_with(&url, 1).await.expect("connect to the PostgreSQL test database");
                admin.create_schema_for_tests(&schema).await.expect("create test schema");
                admin.close().await;
            }
            let sep = if url.contains('?') { '&' } else { '?' };
            let scoped = format!("{url}{sep}options=-c%20search_path%3D{schema}");
            let store = Store::connect_with(&scoped, 4).await.expect("connect with search_path");
            store.migrate().await.expect("migrate");
            TestDb { store, _dir: None }
        }
        _ => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("test.db").display());
            let store = Store::connect_with(&url, 4).await.expect("open sqlite");
            store.migrate().await.expect("migrate");
            TestDb { store, _dir: Some(dir) }
        }
    }
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000_000,
        N.fetch_add(1, Ordering::Relaxed)
    )
}
