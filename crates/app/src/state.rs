//! Shared state of one app node.

use crate::config::Config;
use gongkai_domain::calendar::Calendar;
use gongkai_store::Store;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub clock: Clock,
    calendar: Arc<RwLock<(Instant, Arc<Calendar>)>>,
}

/// How long a node trusts its cached calendar before re-reading imported
/// years (other nodes may have imported one).
const CALENDAR_TTL: Duration = Duration::from_secs(30);

impl AppState {
    pub async fn new(store: Store, config: Config) -> anyhow::Result<Self> {
        let cal = store.calendar().await?;
        Ok(AppState {
            store,
            config: Arc::new(config),
            clock: Clock::default(),
            calendar: Arc::new(RwLock::new((Instant::now(), Arc::new(cal)))),
        })
    }

    /// The working-day calendar: official data plus imported years.
    pub async fn calendar(&self) -> Result<Arc<Calendar>, gongkai_store::StoreError> {
        {
            let guard = self.calendar.read().await;
            if guard.0.elapsed() < CALENDAR_TTL {
                return Ok(guard.1.clone());
            }
        }
        self.reload_calendar().await
    }

    /// Re-reads imported years now (after an import on this node).
    pub async fn reload_calendar(&self) -> Result<Arc<Calendar>, gongkai_store::StoreError> {
        let cal = Arc::new(self.store.calendar().await?);
        *self.calendar.write().await = (Instant::now(), cal.clone());
        Ok(cal)
    }
}

/// The time as the app sees it; tests move it forward to expire sessions or
/// lockouts without sleeping.
#[derive(Clone, Default)]
pub struct Clock {
    offset_secs: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now() + chrono::Duration::seconds(self.offset_secs.load(Ordering::Relaxed))
    }

    pub fn advance(&self, d: chrono::Duration) {
        self.offset_secs.fetch_add(d.num_seconds(), Ordering::Relaxed);
    }
}
