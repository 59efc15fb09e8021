//! Portal search (站内搜索): one search box for the whole portal over the
//! published catalogue, with Q&A answers above document hits (搜问一体) once
//! an answer source is registered, and the log of searches that found nothing.
//!
//! The index (`gongkai_search::catalogue`) lives in the data folder of each
//! app node and follows the database: [`sync`] reads the documents whose
//! `updated_at` is past the index's watermark and adds, replaces or removes
//! them (only `published` documents are searchable). Every state-changing
//! request pokes the indexer, so a published change is searchable well within
//! a second; changes made on other nodes arrive with the next poll.
//! [`rebuild`] (`gongkai reindex`, or the admin page) recreates the index from
//! the database, which stays the source of truth.

pub mod admin;
pub mod api;
pub mod bench;
pub mod portal;

use crate::error::AppResult;
use crate::state::AppState;
use chrono::{Duration as ChronoDuration, NaiveDate};
use gongkai_search::catalogue::{CatalogueIndex, IndexDoc, SearchError};
use gongkai_store::catalogue::DocumentRow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How far behind the watermark each sync looks again: a transaction that
/// stamped `updated_at` before another committed may commit after it.
const OVERLAP_SECONDS: i64 = 10;
/// Documents read from the database per page.
const PAGE: u64 = 500;
/// The indexer's poll interval when nothing pokes it (changes on other nodes).
const POLL: Duration = Duration::from_millis(500);
/// Indexing buffer of the serving node's writer.
const SERVE_HEAP: usize = 48_000_000;
/// Indexing buffer for a rebuild or bulk import.
pub const BULK_HEAP: usize = 256_000_000;

/// An answer from the policy Q&A library shown above document hits.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Answer {
    pub question: String,
    /// Plain-text answer (shortened for the result list).
    pub answer: String,
    pub url: String,
    pub score: f32,
}

/// Where 搜问一体 answers come from: the Q&A library registers itself here.
pub trait AnswerSource: Send + Sync {
    /// Up to `limit` answers for `query`, best first.
    fn answers<'a>(&'a self, state: &'a AppState, site_id: i64, query: &'a str, limit: usize) -> BoxedAnswers<'a>;
}

/// The future an [`AnswerSource`] returns.
pub type BoxedAnswers<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Vec<Answer>> + Send + 'a>>;

/// The search side of one app node: the index, the indexer's bookkeeping and
/// the registered answer source.
pub struct SearchService {
    pub index: CatalogueIndex,
    /// Ids indexed in the overlap window, with the `updated_at` indexed.
    seen: Mutex<HashMap<i64, String>>,
    poke: tokio::sync::Notify,
    sync_lock: tokio::sync::Mutex<()>,
    answers: std::sync::RwLock<Option<Arc<dyn AnswerSource>>>,
}

impl SearchService {
    pub fn open(data_dir: &Path) -> Result<SearchService, SearchError> {
        Ok(Self::with_index(CatalogueIndex::open(&data_dir.join("search").join("catalogue"))?))
    }

    pub fn with_index(index: CatalogueIndex) -> SearchService {
        SearchService {
            index,
            seen: Mutex::new(HashMap::new()),
            poke: tokio::sync::Notify::new(),
            sync_lock: tokio::sync::Mutex::new(()),
            answers: std::sync::RwLock::new(None),
        }
    }

    /// Asks the indexer to look for changes now.
    pub fn poke(&self) {
        self.poke.notify_one();
    }

    pub fn set_answer_source(&self, source: Arc<dyn AnswerSource>) {
        if let Ok(mut a) = self.answers.write() {
            *a = Some(source);
        }
    }

    pub fn answer_source(&self) -> Option<Arc<dyn AnswerSource>> {
        self.answers.read().ok().and_then(|a| a.clone())
    }
}

/// The index's errors at the app boundary: a locked index (another process
/// writes it) is a conflict the operator can act on; the rest are internal.
pub fn search_error(e: SearchError) -> crate::error::AppError {
    match e {
        SearchError::Locked => {
            crate::error::AppError::conflict("搜索索引正被另一个进程（运行中的服务器）使用 / the search index is locked by another process")
        }
        e => anyhow::Error::from(e).into(),
    }
}

fn ts_minus(ts: &str, seconds: i64) -> String {
    match gongkai_store::parse_ts(ts) {
        Ok(t) => gongkai_store::ts(t - ChronoDuration::seconds(seconds)),
        Err(_) => String::new(),
    }
}

/// What the index holds of a document, or `None` when it must not be
/// searchable.
pub fn index_doc(d: &DocumentRow, attachments: String) -> Option<IndexDoc> {
    if d.state != "published" {
        return None;
    }
    let mut body = body_text(&d.body);
    if let Some(t) = d.transcript.as_deref().filter(|t| !t.is_empty()) {
        body.push('\n');
        body.push_str(t);
    }
    Some(IndexDoc {
        id: d.id,
        site_id: d.site_id,
        unit_id: d.unit_id,
        column_id: d.column_id,
        kind: match d.interpretation_kind.as_deref() {
            Some(k) if d.kind == crate::catalogue::KIND_INTERPRETATION => format!("interpretation-{k}"),
            _ => d.kind.clone(),
        },
        validity: d.validity.clone(),
        published_on: d
            .published_on
            .as_deref()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()),
        title: d.title.clone(),
        doc_no: d.doc_no.clone(),
        issuer: d.issuer.clone(),
        body,
        attachments,
    })
}

/// Plain text of a stored body for the index and snippets. Bodies are
/// sanitised (well-formed) when saved, so a single pass that drops tags,
/// breaks lines at block elements and decodes entities is enough — and many
/// times cheaper than re-parsing the HTML, which matters for a rebuild of a
/// million documents.
pub fn body_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, &rest[..lt]);
        let tail = &rest[lt..];
        let mut quote: Option<char> = None;
        let mut end = tail.len();
        for (i, c) in tail.char_indices().skip(1) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (None, '"' | '\'') => quote = Some(c),
                (None, '>') => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let tag = &tail[1..end.min(tail.len())];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "p" | "br" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "ul" | "ol" | "blockquote" | "section"
        ) && !out.ends_with('\n')
            && !out.is_empty()
        {
            out.push('\n');
        } else if matches!(name.as_str(), "td" | "th") && !out.ends_with([' ', '\n']) {
            out.push(' ');
        }
        rest = tail.get(end + 1..).unwrap_or("");
    }
    push_decoded(&mut out, rest);
    out.truncate(out.trim_end().len());
    out
}

fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let semi = tail.find(';').filter(|&i| i <= 10);
        let decoded = semi.and_then(|i| {
            let ent = &tail[1..i];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                _ => ent
                    .strip_prefix("#x")
                    .or_else(|| ent.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, i))
        });
        match decoded {
            Some((c, i)) => {
                out.push(c);
                rest = &tail[i + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
}

async fn attachment_texts(state: &AppState, docs: &[DocumentRow]) -> AppResult<HashMap<i64, String>> {
    let ids: Vec<i64> = docs.iter().filter(|d| d.state == "published").map(|d| d.id).collect();
    let mut out: HashMap<i64, String> = HashMap::new();
    for chunk in ids.chunks(400) {
        for t in state.store.attachment_texts_of(chunk).await? {
            if let Some(text) = t.text {
                let e = out.entry(t.document_id).or_default();
                if !e.is_empty() {
                    e.push('\n');
                }
                e.push_str(&text);
            }
        }
    }
    Ok(out)
}

/// Brings the index up to date with the database; returns how many
/// documents were added, replaced or removed. Builds the index from scratch
/// when it has never been built.
pub async fn sync(state: &AppState) -> AppResult<usize> {
    sync_with(state, SERVE_HEAP).await
}

/// [`sync`] with an indexing buffer of `heap` bytes (used when the writer is
/// first opened: [`BULK_HEAP`] after a bulk import).
pub async fn sync_with(state: &AppState, heap: usize) -> AppResult<usize> {
    let service = state.search.clone();
    let _guard = service.sync_lock.lock().await;
    let Some(watermark) = service.index.watermark() else {
        drop(_guard);
        return rebuild(state).await;
    };
    let mut cursor = (ts_minus(&watermark, OVERLAP_SECONDS), 0i64);
    let mut newest = watermark.clone();
    let mut changed = 0usize;
    let mut uncommitted = 0usize;
    loop {
        let rows = state.store.documents_changed_after(&cursor.0, cursor.1, PAGE).await?;
        let Some(last) = rows.last() else { break };
        cursor = (last.updated_at.clone(), last.id);
        let fresh: Vec<DocumentRow> = {
            let seen = service.seen.lock().unwrap_or_else(|p| p.into_inner());
            rows.into_iter().filter(|d| seen.get(&d.id) != Some(&d.updated_at)).collect()
        };
        if fresh.is_empty() {
            continue;
        }
        let texts = attachment_texts(state, &fresh).await?;
        let svc = service.clone();
        let n = tokio::task::spawn_blocking(move || -> Result<(usize, Vec<(i64, String)>), SearchError> {
            svc.index.with_writer(heap, |batch| {
                let mut marks = Vec::with_capacity(fresh.len());
                for d in &fresh {
                    match index_doc(d, texts.get(&d.id).cloned().unwrap_or_default()) {
                        Some(doc) => batch.upsert(&doc)?,
                        None => batch.delete(d.id),
                    }
                    marks.push((d.id, d.updated_at.clone()));
                }
                Ok((fresh.len(), marks))
            })
        })
        .await
        .map_err(|e| anyhow::anyhow!(e))?
        .map_err(search_error)?;
        changed += n.0;
        uncommitted += n.0;
        {
            let mut seen = service.seen.lock().unwrap_or_else(|p| p.into_inner());
            for (id, at) in n.1 {
                if at > newest {
                    newest = at.clone();
                }
                seen.insert(id, at);
            }
            if seen.len() > 20_000 {
                // Only the overlap window matters; a bulk change must not keep
                // a million entries.
                let floor = ts_minus(&newest, OVERLAP_SECONDS);
                seen.retain(|_, at| *at >= floor);
            }
        }
        // A long catch-up (a bulk import) commits as it goes, so that
        // searches see it grow and editors' changes are not held back.
        if uncommitted >= 50_000 {
            commit(&service, heap, &newest).await?;
            uncommitted = 0;
        }
    }
    if uncommitted > 0 {
        commit(&service, heap, &newest).await?;
    }
    if changed > 0 {
        let floor = ts_minus(&newest, OVERLAP_SECONDS);
        service.seen.lock().unwrap_or_else(|p| p.into_inner()).retain(|_, at| *at >= floor);
        tracing::debug!(changed, watermark = %newest, "search index updated");
    }
    Ok(changed)
}

async fn commit(service: &Arc<SearchService>, heap: usize, watermark: &str) -> AppResult<()> {
    let svc = service.clone();
    let wm = watermark.to_string();
    let done = tokio::task::spawn_blocking(move || -> Result<(), SearchError> {
        svc.index.with_writer(heap, |b| b.commit(Some(&wm)))?;
        svc.index.reload()
    })
    .await
    .map_err(|e| anyhow::anyhow!(e))?;
    if done.is_err() {
        // What was marked indexed was not committed: look at it again.
        service.seen.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
    done.map_err(search_error)
}

/// Recreates the index from the database; returns the number of documents
/// indexed.
pub async fn rebuild(state: &AppState) -> AppResult<usize> {
    rebuild_with(state, |_| {}).await
}

/// [`rebuild`], reporting progress (documents indexed so far).
pub async fn rebuild_with(state: &AppState, progress: impl Fn(usize)) -> AppResult<usize> {
    let service = state.search.clone();
    let _guard = service.sync_lock.lock().await;
    // Changes stamped after this are picked up by the next sync.
    let start = state.store.documents_last_change().await?.unwrap_or_default();
    {
        let svc = service.clone();
        tokio::task::spawn_blocking(move || svc.index.with_writer(BULK_HEAP, |b| b.delete_all()))
            .await
            .map_err(|e| anyhow::anyhow!(e))?
            .map_err(search_error)?;
    }
    let mut total = 0usize;
    // The next page is read while this one is indexed.
    let fetch = |after: i64| {
        let store = state.store.clone();
        tokio::spawn(async move { store.published_documents_after(after, 1000).await })
    };
    let mut next = fetch(0);
    loop {
        let rows = next.await.map_err(|e| anyhow::anyhow!(e))??;
        let Some(last) = rows.last() else { break };
        next = fetch(last.id);
        let texts = attachment_texts(state, &rows).await?;
        let svc = service.clone();
        total += tokio::task::spawn_blocking(move || {
            svc.index.with_writer(BULK_HEAP, |b| {
                let mut n = 0;
                for d in &rows {
                    if let Some(doc) = index_doc(d, texts.get(&d.id).cloned().unwrap_or_default()) {
                        b.add(&doc)?;
                        n += 1;
                    }
                }
                Ok(n)
            })
        })
        .await
        .map_err(|e| anyhow::anyhow!(e))?
        .map_err(search_error)?;
        progress(total);
    }
    let svc = service.clone();
    let wm = if start.is_empty() {
        gongkai_store::now_ts()
    } else {
        ts_minus(&start, 0)
    };
    tokio::task::spawn_blocking(move || -> Result<(), SearchError> {
        svc.index.with_writer(BULK_HEAP, |b| b.commit(Some(&wm)))?;
        // Release the big indexing buffer; the serving writer reopens small.
        svc.index.close_writer()?;
        svc.index.reload()
    })
    .await
    .map_err(|e| anyhow::anyhow!(e))?
    .map_err(search_error)?;
    service.seen.lock().unwrap_or_else(|p| p.into_inner()).clear();
    tracing::info!(documents = total, "search index rebuilt");
    Ok(total)
}

/// The indexer of a serving node: syncs when poked and every half second.
pub async fn run_indexer(state: AppState) {
    loop {
        if let Err(e) = sync(&state).await {
            tracing::warn!(error = %e, "search indexing failed; retrying");
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        tokio::select! {
            _ = state.search.poke.notified() => {
                // Let the poking request's transaction finish.
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}

/// Keeps personal data out of the misses log: a query with anything the
/// privacy scanner finds (ID numbers, phones, e-mail, …), or with a run of
/// seven or more digits (a mistyped ID or phone number), is not kept.
pub fn loggable_query(q: &str) -> Option<String> {
    let q: String = q.split_whitespace().collect::<Vec<_>>().join(" ");
    let q: String = q.chars().take(100).collect();
    if q.is_empty() {
        return None;
    }
    let folded = gongkai_search::tokenizer::fold(&q);
    let mut run = 0;
    for c in folded.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        if run >= 7 {
            return None;
        }
    }
    let findings = gongkai_domain::privacy::scan(&q, &Default::default());
    if findings.is_empty() { Some(q) } else { None }
}

#[cfg(test)]
mod tests {
    use super::body_text;

    #[test]
    fn body_text_drops_tags_breaks_blocks_and_decodes_entities() {
        let html = "<p>第一段 &amp; <b>加粗</b></p><p>第二段&nbsp;&#x4e00;&#20108;<br>换行</p><table><tr><td>甲</td><td>乙</td></tr></table><p title=\"a>b\">属性</p>&bogus; &";
        assert_eq!(body_text(html), "第一段 & 加粗\n第二段 一二\n换行\n甲 乙 \n属性\n&bogus; &");
        assert_eq!(body_text("纯文本"), "纯文本");
        assert_eq!(body_text("<p>未闭合"), "未闭合");
    }
}
