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
    site_frame: Arc<RwLock<Option<CachedFrame>>>,
    /// Rendered public pages for anonymous visitors (see [`AppState::cached_page`]).
    pages: Arc<std::sync::Mutex<std::collections::HashMap<String, CachedPage>>>,
    /// Bumped by every state-changing request on this node; cached pages of
    /// an older generation are not served.
    generation: Arc<std::sync::atomic::AtomicU64>,
    /// The search index of this node and its indexer.
    pub search: Arc<crate::search::SearchService>,
    /// The policy Q&A matchers of this node.
    pub qa: Arc<crate::qa::QaService>,
    /// The mailbox's flood guard and routing classifiers of this node.
    pub mailbox: Arc<crate::mailbox::MailboxService>,
}

type CachedPage = (Instant, u64, Arc<str>);

/// How long a rendered public page may be served from memory. Changes made on
/// this node drop the cache at once; other nodes' changes show within this.
const PAGE_TTL: Duration = Duration::from_secs(5);
const PAGE_CACHE_MAX: usize = 4096;

type CachedFrame = (Instant, Arc<SiteFrame>);

/// What every page shows of the site: name, owning unit, footer settings.
#[derive(Debug, Clone)]
pub struct SiteFrame {
    pub name: String,
    pub unit: String,
    pub settings: gongkai_domain::accounts::SiteSettings,
}

/// How long a node trusts its cached site frame (another node may have
/// edited the site settings; this node drops its cache at once).
const SITE_FRAME_TTL: Duration = Duration::from_secs(10);

/// How long a node trusts its cached calendar before re-reading imported
/// years (other nodes may have imported one).
const CALENDAR_TTL: Duration = Duration::from_secs(30);

impl AppState {
    pub async fn new(store: Store, config: Config) -> anyhow::Result<Self> {
        let cal = store.calendar().await?;
        let search = Arc::new(crate::search::SearchService::open(&config.data_dir)?);
        // 搜问一体: the portal search shows Q&A answers above document hits.
        search.set_answer_source(Arc::new(crate::qa::QaAnswers));
        Ok(AppState {
            search,
            qa: Default::default(),
            mailbox: Arc::new(crate::mailbox::MailboxService::new(&config.data_dir)?),
            store,
            config: Arc::new(config),
            clock: Clock::default(),
            calendar: Arc::new(RwLock::new((Instant::now(), Arc::new(cal)))),
            site_frame: Arc::new(RwLock::new(None)),
            pages: Default::default(),
            generation: Default::default(),
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

impl AppState {
    /// The default site's frame, cached for a few seconds.
    pub async fn site_frame(&self) -> Result<Arc<SiteFrame>, gongkai_store::StoreError> {
        if let Some((at, f)) = self.site_frame.read().await.as_ref()
            && at.elapsed() < SITE_FRAME_TTL
        {
            return Ok(f.clone());
        }
        let frame = match self.store.list_sites().await?.into_iter().next() {
            Some(site) => {
                let unit = self.store.get_unit(site.owner_unit_id).await.map(|u| u.name).unwrap_or_default();
                SiteFrame {
                    name: site.name,
                    unit,
                    settings: site.settings,
                }
            }
            None => SiteFrame {
                name: "政务公开平台".to_string(),
                unit: String::new(),
                settings: Default::default(),
            },
        };
        let frame = Arc::new(frame);
        *self.site_frame.write().await = Some((Instant::now(), frame.clone()));
        Ok(frame)
    }

    /// A rendered page for `key`, if fresh.
    pub fn cached_page(&self, key: &str) -> Option<Arc<str>> {
        let generation = self.generation.load(Ordering::Relaxed);
        let pages = self.pages.lock().ok()?;
        pages
            .get(key)
            .filter(|(at, g, _)| *g == generation && at.elapsed() < PAGE_TTL)
            .map(|(_, _, html)| html.clone())
    }

    pub fn store_page(&self, key: String, html: Arc<str>) {
        let generation = self.generation.load(Ordering::Relaxed);
        if let Ok(mut pages) = self.pages.lock() {
            if pages.len() >= PAGE_CACHE_MAX {
                pages.retain(|_, (at, g, _)| *g == generation && at.elapsed() < PAGE_TTL);
                if pages.len() >= PAGE_CACHE_MAX {
                    pages.clear();
                }
            }
            pages.insert(key, (Instant::now(), generation, html));
        }
    }

    /// Marks every cached page stale (called for each state-changing request).
    pub fn content_changed(&self) {
        self.generation.fetch_add(1, Ordering::Relaxed);
        self.search.poke();
        self.qa.invalidate();
    }

    /// Forgets the cached site frame (after the site settings change).
    pub async fn forget_site_frame(&self) {
        *self.site_frame.write().await = None;
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
