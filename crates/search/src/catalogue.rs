//! The catalogue's full-text index: published policy documents and
//! interpretations, searched by title, 文号, body and attachment text.
//!
//! What it is for: turning a citizen's query into a ranked page of document
//! ids with highlighted snippets, filtered by site, unit, column, year,
//! validity and kind, sorted by relevance or date. An exact 文号 (normalised
//! by `gongkai_domain::catalogue::DocNo`) is a term of its own and wins.
//!
//! What it is not for: holding documents. The database is the source of truth;
//! this index stores nothing but the id (titles and bodies for display are
//! read from the database, snippets are cut from that text), so it stays
//! small and can always be rebuilt. Which documents are public is decided by
//! the caller (the app indexes exactly the published ones).
//!
//! Queries are built from the tokenizer's own segments, never through
//! tantivy's query parser: a word jieba splits (信息公开 → 信息 + 公开) must
//! find documents with the parts apart, and ranks those with the whole word
//! higher. Every word must match; when that finds nothing the query is
//! relaxed to most of the words.
//!
//! One `text` field holds the title, 文号, issuer, body and attachment text of
//! a document (the title and 文号 twice, so their words weigh more), so each
//! word is one posting list and a query of several words one intersection of
//! them; a `title` field of its own adds rank to hits naming the words in
//! their titles and marks them there.

use crate::tokenizer::{self, GovTokenizer};
use chrono::{Datelike, NaiveDate};
use std::path::Path;
use std::sync::Mutex;
use tantivy::collector::TopDocs;
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument, Term, doc};

/// Bumped whenever the schema or the tokenizer changes in a way that needs a
/// rebuild; an index of another version is discarded on open.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("the search index is locked by another process (a running server?)")]
    Locked,
    #[error("search index: {0}")]
    Other(String),
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// A published document as the index sees it.
#[derive(Debug, Clone, Default)]
pub struct IndexDoc {
    pub id: i64,
    pub site_id: i64,
    pub unit_id: i64,
    pub column_id: i64,
    /// `document`, or `interpretation-text|image|video`.
    pub kind: String,
    /// `in_force`, `expired`, `repealed`, `amended`.
    pub validity: String,
    pub published_on: Option<NaiveDate>,
    pub title: String,
    /// Normalised 文号, if any.
    pub doc_no: Option<String>,
    pub issuer: String,
    /// Plain text of the body (and transcript).
    pub body: String,
    /// Plain text of the attachments.
    pub attachments: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub site_id: i64,
    pub text: String,
    /// Any of these units (empty: all).
    pub unit_ids: Vec<i64>,
    /// Any of these columns (empty: all).
    pub column_ids: Vec<i64>,
    pub year: Option<i32>,
    pub validity: Option<String>,
    pub kind: Option<String>,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub score: f32,
}

/// How a query text was understood: the words every hit must contain, the
/// compound words that raise a hit's rank, and an exact 文号.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct QueryPlan {
    pub required: Vec<String>,
    pub optional: Vec<String>,
    pub doc_no: Option<String>,
}

impl QueryPlan {
    pub fn is_empty(&self) -> bool {
        self.required.is_empty() && self.optional.is_empty() && self.doc_no.is_none()
    }

    pub fn words(&self) -> impl Iterator<Item = &String> {
        self.required.iter().chain(&self.optional)
    }
}

pub struct SearchResults {
    pub total: usize,
    /// True when `total` was estimated from a sample (see [`Total`]).
    pub total_estimated: bool,
    pub hits: Vec<Hit>,
    pub plan: QueryPlan,
    /// True when not every word could be matched and the query was relaxed.
    pub relaxed: bool,
    highlighter: Option<Highlighter>,
}

impl std::fmt::Debug for SearchResults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchResults")
            .field("total", &self.total)
            .field("total_estimated", &self.total_estimated)
            .field("hits", &self.hits)
            .field("plan", &self.plan)
            .field("relaxed", &self.relaxed)
            .finish()
    }
}

struct Highlighter {
    title: SnippetGenerator,
    body: SnippetGenerator,
}

/// A highlighted fragment: HTML-escaped text with the matched words in `<mark>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    pub html: String,
    pub matched: bool,
}

fn snippet_html(s: &tantivy::snippet::Snippet) -> Snippet {
    let fragment = s.fragment();
    let mut html = String::with_capacity(fragment.len() + 32);
    let mut at = 0;
    for r in s.highlighted() {
        // Overlapping segments (search mode) can give overlapping or
        // inverted ranges: mark only well-formed ones.
        if !well_formed(fragment, r.start, r.end, at) {
            continue;
        }
        html.push_str(&escape(&fragment[at..r.start]));
        html.push_str("<mark>");
        html.push_str(&escape(&fragment[r.start..r.end]));
        html.push_str("</mark>");
        at = r.end;
    }
    html.push_str(&escape(&fragment[at..]));
    Snippet {
        matched: html.contains("<mark>"),
        html,
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

impl SearchResults {
    /// The title with the query's words marked.
    pub fn highlight_title(&self, title: &str) -> String {
        // Highlighting is decoration: whatever happens in it, the hit shows.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.highlight_title_inner(title))).unwrap_or_else(|_| escape(title))
    }

    fn highlight_title_inner(&self, title: &str) -> String {
        match &self.highlighter {
            Some(h) => {
                let s = h.title.snippet(title);
                if s.highlighted().is_empty() {
                    escape(title)
                } else {
                    full_marked(title, s.highlighted(), s.fragment())
                }
            }
            None => escape(title),
        }
    }

    /// The best fragment of `text` (plain text), with the query's words
    /// marked; the text's beginning when no word occurs in it.
    pub fn snippet(&self, text: &str) -> Snippet {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.snippet_inner(text))).unwrap_or_else(|_| Snippet {
            html: escape(&head(text, 120)),
            matched: false,
        })
    }

    fn snippet_inner(&self, text: &str) -> Snippet {
        let Some(h) = &self.highlighter else {
            return Snippet {
                html: escape(&head(text, 120)),
                matched: false,
            };
        };
        let s = h.body.snippet(text);
        let marked = if s.highlighted().is_empty() {
            None
        } else {
            Some(snippet_html(&s)).filter(|m| m.matched)
        };
        marked.unwrap_or_else(|| Snippet {
            html: escape(&head(text, 120)),
            matched: false,
        })
    }
}

/// Marks every highlighted range of a whole (short) text such as a title:
/// the snippet generator may have cut the fragment, so ranges are relocated.
fn full_marked(text: &str, ranges: &[std::ops::Range<usize>], fragment: &str) -> String {
    let base = text.find(fragment).unwrap_or(0);
    let mut html = String::new();
    let mut at = 0;
    for r in ranges {
        let (Some(s), Some(e)) = (base.checked_add(r.start), base.checked_add(r.end)) else {
            continue;
        };
        if !well_formed(text, s, e, at) {
            continue;
        }
        html.push_str(&escape(&text[at..s]));
        html.push_str("<mark>");
        html.push_str(&escape(&text[s..e]));
        html.push_str("</mark>");
        at = e;
    }
    html.push_str(&escape(&text[at..]));
    html
}

/// A highlight `start..end` that can be cut from `text` after position `at`.
fn well_formed(text: &str, start: usize, end: usize, at: usize) -> bool {
    at <= start && start < end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
}

fn head(text: &str, chars: usize) -> String {
    let t: String = text.chars().take(chars).collect();
    if text.chars().nth(chars).is_some() { format!("{t}…") } else { t }
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    site: Field,
    unit: Field,
    column: Field,
    kind: Field,
    validity: Field,
    year: Field,
    date: Field,
    title: Field,
    doc_no_exact: Field,
    text: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Positions are not needed (no phrase queries): frequencies only keeps
    // the index small.
    let text_options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer::NAME)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        id: b.add_u64_field("id", INDEXED | FAST),
        site: b.add_u64_field("site", INDEXED),
        unit: b.add_u64_field("unit", INDEXED),
        column: b.add_u64_field("column", INDEXED),
        kind: b.add_text_field("kind", STRING),
        validity: b.add_text_field("validity", STRING),
        year: b.add_i64_field("year", INDEXED),
        date: b.add_i64_field("date", FAST),
        title: b.add_text_field("title", text_options.clone()),
        doc_no_exact: b.add_text_field("doc_no_exact", STRING),
        text: b.add_text_field("text", text_options),
    };
    (b.build(), fields)
}

fn days(d: NaiveDate) -> i64 {
    d.signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch"))
        .num_days()
}

/// Normalises a query or stored 文号 for exact matching.
pub fn normalize_doc_no(s: &str) -> Option<String> {
    gongkai_domain::catalogue::DocNo::parse(s.trim()).ok().map(|d| d.normalized())
}

/// Reads a query text: its words (see the module doc) and an exact 文号.
pub fn plan_query(text: &str) -> QueryPlan {
    let text: String = text.chars().take(200).collect();
    let segs = tokenizer::segment(&text);
    let mut plan = QueryPlan {
        doc_no: normalize_doc_no(&text),
        ..Default::default()
    };
    for (i, s) in segs.iter().enumerate() {
        // Character positions covered by the segments strictly inside this one.
        let inner: Vec<&tokenizer::Segment> = segs
            .iter()
            .enumerate()
            .filter(|(j, o)| {
                *j != i
                    && o.char_start >= s.char_start
                    && o.char_end <= s.char_end
                    && (o.char_end - o.char_start) < (s.char_end - s.char_start)
            })
            .map(|(_, o)| o)
            .collect();
        let covered = (s.char_start..s.char_end).all(|c| inner.iter().any(|o| o.char_start <= c && c < o.char_end));
        let list = if covered && !inner.is_empty() {
            &mut plan.optional
        } else {
            &mut plan.required
        };
        if !list.contains(&s.word) {
            list.push(s.word.clone());
        }
    }
    plan.optional.retain(|w| !plan.required.contains(w));
    plan
}

pub struct CatalogueIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    writer: Mutex<Option<IndexWriter>>,
    count_sample: u64,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Payload {
    version: u32,
    watermark: Option<String>,
}

impl CatalogueIndex {
    /// Opens the index in `dir`, creating it (or recreating it when its schema
    /// version differs, which leaves it empty with no watermark, asking for a
    /// rebuild).
    pub fn open(dir: &Path) -> Result<CatalogueIndex> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let existing = tantivy::directory::MmapDirectory::open(dir).map_err(|e| SearchError::Other(e.to_string()))?;
        let index = if Index::exists(&existing).unwrap_or(false) {
            let index = Index::open_in_dir(dir)?;
            // An index never committed to has no payload: it is simply empty.
            let ok = index.schema() == schema && Self::read_payload(&index).is_none_or(|p| p.version == SCHEMA_VERSION);
            if ok {
                index
            } else {
                tracing::warn!(dir = %dir.display(), "search index of another version: recreating");
                drop(index);
                std::fs::remove_dir_all(dir)?;
                std::fs::create_dir_all(dir)?;
                Index::create_in_dir(dir, schema)?
            }
        } else {
            Index::create_in_dir(dir, schema)?
        };
        Self::with_index(index, fields)
    }

    /// An index in memory (tests, benchmarks).
    pub fn in_ram() -> Result<CatalogueIndex> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<CatalogueIndex> {
        index.tokenizers().register(tokenizer::NAME, GovTokenizer::default());
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(CatalogueIndex {
            index,
            reader,
            fields,
            writer: Mutex::new(None),
            count_sample: COUNT_SAMPLE_DOCS,
        })
    }

    fn read_payload(index: &Index) -> Option<Payload> {
        let metas = index.load_metas().ok()?;
        serde_json::from_str(metas.payload.as_deref()?).ok()
    }

    /// The `updated_at` of the newest change the index holds; `None` for an
    /// index that has never been built.
    pub fn watermark(&self) -> Option<String> {
        Self::read_payload(&self.index).and_then(|p| p.watermark)
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Bytes on disk of the index files (0 in memory).
    pub fn size_on_disk(&self) -> u64 {
        self.reader.searcher().space_usage().map(|u| u.total().get_bytes()).unwrap_or(0)
    }

    /// Runs `f` with the index writer, opening it on first use (`heap` bytes
    /// for the indexing buffer; tantivy needs at least 15 MB per thread).
    pub fn with_writer<T>(&self, heap: usize, f: impl FnOnce(&mut Batch<'_>) -> Result<T>) -> Result<T> {
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(2);
            let writer = self
                .index
                .writer_with_num_threads(threads, heap.max(15_000_000 * threads))
                .map_err(|e| match e {
                    tantivy::TantivyError::LockFailure(..) => SearchError::Locked,
                    e => SearchError::Tantivy(e),
                })?;
            *guard = Some(writer);
        }
        let writer = guard.as_mut().expect("writer opened above");
        let mut batch = Batch {
            writer,
            fields: self.fields,
        };
        f(&mut batch)
    }

    /// Releases the writer (and its lock), e.g. before another process may
    /// write.
    pub fn close_writer(&self) -> Result<()> {
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(w) = guard.take() {
            w.wait_merging_threads()?;
        }
        Ok(())
    }

    /// Sets how many documents are counted exactly before a total is
    /// extrapolated (tests use small numbers).
    pub fn set_count_sample(&mut self, docs: u64) {
        self.count_sample = docs.max(1);
    }

    /// Makes committed changes visible to searches in this process.
    pub fn reload(&self) -> Result<()> {
        Ok(self.reader.reload()?)
    }

    /// Runs a search (see the module doc).
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let plan = plan_query(&req.text);
        let searcher = self.reader.searcher();
        let limit = req.limit.clamp(1, 100);
        let (filters, narrowed) = self.filters(&searcher, req)?;
        if plan.is_empty() {
            if !narrowed {
                return Ok(SearchResults {
                    total: 0,
                    total_estimated: false,
                    hits: Vec::new(),
                    plan,
                    relaxed: false,
                    highlighter: None,
                });
            }
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(AllQuery))];
            clauses.extend(filters.into_iter().map(|f| (Occur::Must, f)));
            let q = BooleanQuery::new(clauses);
            let (total, hits) = self.collect(&searcher, &q, Sort::Date, req.offset, limit)?;
            return Ok(SearchResults {
                total: total.count,
                total_estimated: total.estimated,
                hits,
                plan,
                relaxed: false,
                highlighter: None,
            });
        }
        let text_query = self.text_query(&searcher, &plan, false);
        let q = self.with_filters(text_query, &filters);
        let (mut total, mut hits) = self.collect(&searcher, &q, req.sort, req.offset, limit)?;
        let mut relaxed = false;
        if total.count == 0 && plan.required.len() > 1 {
            let q = self.with_filters(self.text_query(&searcher, &plan, true), &filters);
            (total, hits) = self.collect(&searcher, &q, req.sort, req.offset, limit)?;
            relaxed = true;
        }
        let words = self.highlight_query(&plan);
        let highlighter = Highlighter {
            title: SnippetGenerator::create(&searcher, &*words, self.fields.title)?,
            body: {
                let mut g = SnippetGenerator::create(&searcher, &*words, self.fields.text)?;
                g.set_max_num_chars(240);
                g
            },
        };
        Ok(SearchResults {
            total: total.count,
            total_estimated: total.estimated,
            hits,
            plan,
            relaxed,
            highlighter: Some(highlighter),
        })
    }

    /// The filter clauses of a request, and whether any beyond the site.
    fn filters(&self, searcher: &Searcher, req: &SearchRequest) -> Result<(Vec<Box<dyn Query>>, bool)> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        // A clause every document passes only slows a search down (a
        // one-word query becomes an intersection and loses block-max WAND):
        // skip the site clause when every document, deleted ones included,
        // belongs to the site.
        let site = Term::from_field_u64(f.site, req.site_id.max(0) as u64);
        let all: u64 = searcher.segment_readers().iter().map(|r| u64::from(r.max_doc())).sum();
        if searcher.doc_freq(&site)? != all {
            out.push(term_u64(f.site, req.site_id));
        }
        let base = out.len();
        if !req.unit_ids.is_empty() {
            out.push(any_of(req.unit_ids.iter().map(|u| term_u64(f.unit, *u)).collect()));
        }
        if !req.column_ids.is_empty() {
            out.push(any_of(req.column_ids.iter().map(|c| term_u64(f.column, *c)).collect()));
        }
        if let Some(y) = req.year {
            out.push(Box::new(TermQuery::new(
                Term::from_field_i64(f.year, i64::from(y)),
                IndexRecordOption::Basic,
            )));
        }
        if let Some(v) = req.validity.as_deref().filter(|v| !v.is_empty()) {
            out.push(Box::new(TermQuery::new(
                Term::from_field_text(f.validity, v),
                IndexRecordOption::Basic,
            )));
        }
        if let Some(k) = req.kind.as_deref().filter(|k| !k.is_empty()) {
            if k == "interpretation" {
                out.push(any_of(
                    ["interpretation-text", "interpretation-image", "interpretation-video"]
                        .iter()
                        .map(|k| Box::new(TermQuery::new(Term::from_field_text(f.kind, k), IndexRecordOption::Basic)) as Box<dyn Query>)
                        .collect(),
                ));
            } else {
                out.push(Box::new(TermQuery::new(Term::from_field_text(f.kind, k), IndexRecordOption::Basic)));
            }
        }
        let narrowed = out.len() > base;
        Ok((out, narrowed))
    }

    fn with_filters(&self, q: Box<dyn Query>, filters: &[Box<dyn Query>]) -> Box<dyn Query> {
        if filters.is_empty() {
            return q;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, q)];
        clauses.extend(
            filters
                .iter()
                .map(|f| (Occur::Must, Box::new(ConstScoreQuery::new(f.box_clone(), 0.0)) as Box<dyn Query>)),
        );
        Box::new(BooleanQuery::new(clauses))
    }

    fn term(&self, field: Field, word: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs))
    }

    /// The words of the plan in titles, as optional clauses that raise the
    /// rank of a hit naming them in its title (words no title holds are
    /// left out: nothing to merge).
    fn title_clauses(&self, searcher: &Searcher, plan: &QueryPlan) -> Vec<(Occur, Box<dyn Query>)> {
        plan.words()
            .filter(|w| {
                searcher
                    .doc_freq(&Term::from_field_text(self.fields.title, w))
                    .map_or(true, |n| n > 0)
            })
            .map(|w| {
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(self.term(self.fields.title, w), TITLE_BOOST)) as Box<dyn Query>,
                )
            })
            .collect()
    }

    /// The query for a plan. Each word is one posting list of the `text`
    /// field (title, 文号, issuer, body and attachments together), so a
    /// query of several words is an intersection of plain term lists; the
    /// same words in titles are optional clauses that rank.
    fn text_query(&self, searcher: &Searcher, plan: &QueryPlan, relaxed: bool) -> Box<dyn Query> {
        let text = self.fields.text;
        let n = plan.required.len();
        let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for w in &plan.required {
            words.push((if relaxed { Occur::Should } else { Occur::Must }, self.term(text, w)));
        }
        for w in &plan.optional {
            words.push((Occur::Should, Box::new(BoostQuery::new(self.term(text, w), 0.5))));
        }
        let titles = self.title_clauses(searcher, plan);
        let words_query: Box<dyn Query> = if words.is_empty() {
            Box::new(tantivy::query::EmptyQuery)
        } else if relaxed && n > 1 {
            // Most of the words: all but one of up to three, two thirds beyond.
            let min = if n <= 3 { n - 1 } else { (n * 2).div_ceil(3) };
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Must, Box::new(BooleanQuery::with_minimum_required_clauses(words, min)))];
            clauses.extend(titles);
            Box::new(BooleanQuery::new(clauses))
        } else if n <= 1 && plan.optional.is_empty() {
            // One word: a bare disjunction of its text and title lists (every
            // title word is in the text too), which block-max WAND prunes.
            words.iter_mut().for_each(|(o, _)| *o = Occur::Should);
            words.extend(titles);
            Box::new(BooleanQuery::new(words))
        } else {
            words.extend(titles);
            Box::new(BooleanQuery::new(words))
        };
        match &plan.doc_no {
            Some(no) => {
                let exact = TermQuery::new(Term::from_field_text(self.fields.doc_no_exact, no), IndexRecordOption::Basic);
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, Box::new(BoostQuery::new(Box::new(exact), 1000.0))),
                    (Occur::Should, words_query),
                ]))
            }
            None => words_query,
        }
    }

    /// Every word in titles and text, for the snippet generators.
    fn highlight_query(&self, plan: &QueryPlan) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(
            plan.words()
                .flat_map(|w| [self.term(self.fields.title, w), self.term(self.fields.text, w)])
                .map(|q| (Occur::Should, q))
                .collect(),
        ))
    }

    fn collect(&self, searcher: &Searcher, q: &dyn Query, sort: Sort, offset: usize, limit: usize) -> Result<(Total, Vec<Hit>)> {
        let top = TopDocs::with_limit(limit).and_offset(offset);
        let docs = match sort {
            Sort::Relevance => searcher.search(q, &top.order_by_score())?,
            Sort::Date => searcher
                .search(q, &top.order_by_fast_field::<i64>("date", Order::Desc))?
                .into_iter()
                .map(|(d, a)| (d.unwrap_or(0) as f32, a))
                .collect(),
        };
        let hits = self.ids(searcher, docs)?;
        let mut total = count(searcher, q, self.count_sample)?;
        // An estimate is never below what the page shows.
        total.count = total.count.max(offset + hits.len());
        Ok((total, hits))
    }

    fn ids(&self, searcher: &Searcher, docs: Vec<(f32, DocAddress)>) -> Result<Vec<Hit>> {
        let mut hits = Vec::with_capacity(docs.len());
        for (score, addr) in docs {
            let reader = searcher.segment_reader(addr.segment_ord);
            let col = reader.fast_fields().u64("id")?;
            if let Some(id) = col.first(addr.doc_id) {
                hits.push(Hit { id: id as i64, score });
            }
        }
        Ok(hits)
    }
}

/// How many documents a query matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Total {
    pub count: usize,
    /// Counted on a sample of the index's segments and scaled up (large
    /// indexes); exact otherwise.
    pub estimated: bool,
}

/// Documents counted exactly before the count is extrapolated: counting every
/// match of a common word in a million documents would cost more than
/// finding the best ten.
const COUNT_SAMPLE_DOCS: u64 = 50_000;

/// The weight of a query word found in a title, over its weight in the text.
const TITLE_BOOST: f32 = 2.0;

/// How many times a title and a 文号 are written into the text field.
const REPEAT: usize = 2;

fn count(searcher: &Searcher, q: &dyn Query, sample: u64) -> Result<Total> {
    let weight = q.weight(tantivy::query::EnableScoring::disabled_from_searcher(searcher))?;
    let all = searcher.num_docs();
    let mut readers: Vec<&tantivy::SegmentReader> = searcher.segment_readers().iter().collect();
    // Smallest segments first: the sample is reached with the least work.
    readers.sort_by_key(|r| r.num_docs());
    let (mut seen, mut matched) = (0u64, 0u64);
    for r in readers {
        matched += u64::from(weight.count(r)?);
        seen += u64::from(r.num_docs());
        if seen >= sample && seen < all {
            let estimate = (matched as f64 * all as f64 / seen as f64).round() as usize;
            return Ok(Total {
                count: estimate,
                estimated: true,
            });
        }
    }
    Ok(Total {
        count: matched as usize,
        estimated: false,
    })
}

fn term_u64(field: Field, v: i64) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_u64(field, v.max(0) as u64),
        IndexRecordOption::Basic,
    ))
}

fn any_of(qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(qs.into_iter().map(|q| (Occur::Should, q)).collect()))
}

/// Changes to the index, committed together.
pub struct Batch<'a> {
    writer: &'a mut IndexWriter,
    fields: Fields,
}

impl Batch<'_> {
    /// Adds or replaces a document.
    pub fn upsert(&mut self, d: &IndexDoc) -> Result<()> {
        self.delete(d.id);
        self.add(d)
    }

    /// Adds a document known not to be in the index (a rebuild).
    pub fn add(&mut self, d: &IndexDoc) -> Result<()> {
        let f = &self.fields;
        let mut doc: TantivyDocument = doc!(
            f.id => d.id.max(0) as u64,
            f.site => d.site_id.max(0) as u64,
            f.unit => d.unit_id.max(0) as u64,
            f.column => d.column_id.max(0) as u64,
            f.kind => d.kind.as_str(),
            f.validity => d.validity.as_str(),
            f.title => d.title.as_str(),
        );
        // The text field holds everything a word may be found in; the title
        // and 文号 are repeated so that their words weigh more there too.
        for _ in 0..REPEAT {
            doc.add_text(f.text, &d.title);
        }
        if let Some(p) = d.published_on {
            doc.add_i64(f.year, i64::from(p.year()));
            doc.add_i64(f.date, days(p));
        }
        if let Some(no) = &d.doc_no {
            for _ in 0..REPEAT {
                doc.add_text(f.text, no);
            }
            if let Some(n) = normalize_doc_no(no) {
                doc.add_text(f.doc_no_exact, n);
            }
        }
        if !d.issuer.is_empty() {
            doc.add_text(f.text, &d.issuer);
        }
        doc.add_text(f.text, &d.body);
        if !d.attachments.is_empty() {
            doc.add_text(f.text, &d.attachments);
        }
        self.writer.add_document(doc)?;
        Ok(())
    }

    pub fn delete(&mut self, id: i64) {
        self.writer.delete_term(Term::from_field_u64(self.fields.id, id.max(0) as u64));
    }

    pub fn delete_all(&mut self) -> Result<()> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Commits everything added or deleted so far, recording the watermark.
    pub fn commit(&mut self, watermark: Option<&str>) -> Result<()> {
        let payload = serde_json::to_string(&Payload {
            version: SCHEMA_VERSION,
            watermark: watermark.map(str::to_string),
        })
        .map_err(|e| SearchError::Other(e.to_string()))?;
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        Ok(())
    }

    /// Abandons uncommitted changes.
    pub fn rollback(&mut self) -> Result<()> {
        self.writer.rollback()?;
        Ok(())
    }
}
