//! Starting, running and stopping an app node.

use crate::config::Config;
use crate::state::AppState;
use gongkai_store::Store;
use std::time::Duration;

/// Connects to the database (creating the data folder for SQLite) and applies
/// migrations.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| anyhow::anyhow!("cannot create data folder {}: {e}", config.data_dir.display()))?;
    std::fs::create_dir_all(config.files_dir())?;
    let store = Store::connect(&config.database_url)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open database {}: {e}", config.database_url_redacted()))?;
    let applied = store.migrate().await?;
    if !applied.is_empty() {
        tracing::info!(?applied, "database migrated");
    }
    Ok(store)
}

pub async fn serve(config: Config, demo: bool) -> anyhow::Result<()> {
    let store = open_store(&config).await?;
    let state = AppState::new(store.clone(), config.clone()).await?;
    if demo {
        let report = crate::demo::seed(&state).await?;
        println!("{report}");
        if let Some(line) = crate::qa::demo::import_shared(&state).await? {
            println!("{line}");
        }
    }
    let app = crate::routes::router(state.clone());
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.addr))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, database = config.backend_name(), "gongkai serving");
    println!(
        "gongkai {} 已启动 / listening: http://{addr}  (数据库 database: {})",
        env!("CARGO_PKG_VERSION"),
        config.backend_name()
    );

    let jobs = tokio::spawn(background_jobs(state.clone()));
    let indexer = tokio::spawn(crate::search::run_indexer(state.clone()));
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    jobs.abort();
    indexer.abort();
    if let Err(e) = state.search.index.close_writer() {
        tracing::warn!(error = %e, "closing the search index writer failed");
    }
    store.close().await;
    tracing::info!("gongkai stopped");
    Ok(())
}

/// Periodic housekeeping: scheduled publication, validity expiry and
/// consultation deadlines every minute; application clocks and reminders
/// and expired sessions every ten.
async fn background_jobs(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    let mut n: u64 = 0;
    loop {
        tick.tick().await;
        n += 1;
        match crate::catalogue::run_due_jobs(&state).await {
            Ok((p, e)) if p + e > 0 => tracing::info!(published = p, expired = e, "catalogue jobs"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "catalogue jobs failed"),
        }
        match crate::qa::run_deadlines(&state).await {
            Ok((r, e)) if r + e > 0 => tracing::info!(reminded = r, escalated = e, "consultation deadlines"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "consultation deadline job failed"),
        }
        match crate::mailbox::run_deadlines(&state).await {
            Ok((r, e)) if r + e > 0 => tracing::info!(reminded = r, escalated = e, "mailbox and call deadlines"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "mailbox deadline job failed"),
        }
        match crate::tasks::run_deadlines(&state).await {
            Ok((r, e)) if r + e > 0 => tracing::info!(reminded = r, escalated = e, "task entry deadlines"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "task deadline job failed"),
        }
        if n % 10 != 1 {
            continue;
        }
        match crate::foi::run_deadlines(&state).await {
            Ok((r, m)) if r.changed + m > 0 => tracing::info!(changed = r.changed, reminded = m, "application deadlines"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "application deadline job failed"),
        }
        let now = state.clock.now();
        let idle = now - chrono::Duration::minutes(state.config.idle_timeout_minutes);
        let old = now - chrono::Duration::hours(gongkai_domain::accounts::SESSION_MAX_HOURS);
        match state.store.purge_sessions(idle, old).await {
            Ok(n) if n > 0 => tracing::info!(purged = n, "expired sessions removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "session purge failed"),
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM; axum then stops accepting connections and
/// lets in-flight requests finish.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown requested; draining in-flight requests");
}
