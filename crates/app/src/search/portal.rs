//! `GET /search`: the portal's search page.

use super::Answer;
use crate::auth::RequestCtx;
use crate::catalogue::portal::{default_site, subtree_ids};
use crate::catalogue::{current_validity, parse_date};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Page, portal_page, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use gongkai_domain::catalogue::{Validity, needs_banner};
use gongkai_search::catalogue::{SearchRequest, SearchResults, Sort};
use serde::Deserialize;
use std::collections::HashMap;

pub const PAGE_SIZE: usize = 10;

/// The search form's parameters (all optional; bad values are ignored as
/// if absent, and said so on the page).
#[derive(Debug, Default, Deserialize, Clone)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub column: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub validity: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub page: String,
}

/// A search, read from the parameters, with the site's choices for the form.
pub struct Resolved {
    pub request: SearchRequest,
    pub page_no: usize,
    pub units: Vec<(i64, String)>,
    pub columns: Vec<(String, String)>,
    pub years: Vec<i32>,
}

pub async fn resolve(state: &AppState, p: &SearchParams, page_size: usize) -> AppResult<Resolved> {
    let site = default_site(state).await?;
    let columns = state.store.columns_of_site(site.id).await?;
    let units = state.store.list_units().await?;
    let column_ids = columns
        .iter()
        .find(|c| c.slug == p.column && !c.hidden)
        .map(|c| subtree_ids(&columns, c.id))
        .unwrap_or_default();
    let unit_ids: Vec<i64> = match p.unit.parse::<i64>() {
        Ok(id) => match units.iter().find(|u| u.id == id) {
            // A unit with its sub-units.
            Some(u) => units.iter().filter(|o| o.path.starts_with(&u.path)).map(|o| o.id).collect(),
            None => vec![-1],
        },
        Err(_) => vec![],
    };
    let this_year = state
        .clock
        .now()
        .date_naive()
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap_or(2026);
    let year = p.year.parse::<i32>().ok().filter(|y| (1949..=this_year + 1).contains(y));
    let validity = Validity::ALL
        .iter()
        .find(|v| v.as_str() == p.validity)
        .map(|v| v.as_str().to_string());
    let kind = match p.kind.as_str() {
        "document" | "interpretation" | "interpretation-text" | "interpretation-image" | "interpretation-video" => Some(p.kind.clone()),
        _ => None,
    };
    let page_no = p.page.parse::<usize>().unwrap_or(1).clamp(1, 100);
    let request = SearchRequest {
        site_id: site.id,
        text: p.q.trim().chars().take(100).collect(),
        unit_ids,
        column_ids,
        year,
        validity,
        kind,
        sort: if p.sort == "date" { Sort::Date } else { Sort::Relevance },
        offset: (page_no - 1) * page_size,
        limit: page_size,
    };
    let mut unit_list: Vec<(i64, String)> = units.iter().filter(|u| u.active).map(|u| (u.id, u.name.clone())).collect();
    unit_list.sort_by(|a, b| a.1.cmp(&b.1));
    let column_list = crate::catalogue::portal::tree(&columns, None)
        .into_iter()
        .map(|n| (n.slug, format!("{}{}", "　".repeat(n.depth), n.name)))
        .collect();
    Ok(Resolved {
        request,
        page_no,
        units: unit_list,
        columns: column_list,
        years: (2000..=this_year).rev().collect(),
    })
}

/// One hit as shown: what the database says now, marked up with the query.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct HitView {
    pub id: i64,
    pub url: String,
    pub title: String,
    /// The title with matched words in `<mark>` (HTML, escaped).
    pub title_html: String,
    /// The best matching fragment of the body (or attachments), HTML.
    pub snippet_html: String,
    pub doc_no: Option<String>,
    pub issuer: String,
    pub published_on: Option<String>,
    /// 现行有效, 失效, 废止, 已修改.
    pub validity: String,
    pub flagged: bool,
    /// 政策文件 or 政策解读.
    pub kind: String,
    pub score: f32,
}

/// Loads the hits' documents and cuts their snippets. Hits whose document is
/// no longer published (the index lags by a moment) are dropped.
pub async fn hit_views(state: &AppState, results: &SearchResults) -> AppResult<Vec<HitView>> {
    let ids: Vec<i64> = results.hits.iter().map(|h| h.id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let docs = state.store.documents_by_ids(&ids).await?;
    let by_id: HashMap<i64, _> = docs.into_iter().filter(|d| d.state == "published").map(|d| (d.id, d)).collect();
    let today = state.clock.now().date_naive();
    let mut attachments: HashMap<i64, String> = HashMap::new();
    for t in state.store.attachment_texts_of(&ids).await? {
        if let Some(text) = t.text {
            attachments.entry(t.document_id).or_default().push_str(&text);
        }
    }
    let mut out = Vec::with_capacity(ids.len());
    for h in &results.hits {
        let Some(d) = by_id.get(&h.id) else { continue };
        let body = super::body_text(&d.body);
        let mut snippet = results.snippet(&body);
        if !snippet.matched
            && let Some(a) = attachments.get(&d.id)
        {
            let s = results.snippet(a);
            if s.matched {
                snippet = gongkai_search::catalogue::Snippet {
                    html: format!("附件：{}", s.html),
                    matched: true,
                };
            }
        }
        let v = current_validity(d, today);
        out.push(HitView {
            id: d.id,
            url: format!("/documents/{}", d.id),
            title: d.title.clone(),
            title_html: results.highlight_title(&d.title),
            snippet_html: snippet.html,
            doc_no: d.doc_no.clone(),
            issuer: d.issuer.clone(),
            published_on: d.published_on.clone().filter(|p| parse_date(p).is_some()),
            validity: v.label_zh().to_string(),
            flagged: needs_banner(v),
            kind: if d.kind == crate::catalogue::KIND_INTERPRETATION {
                "政策解读"
            } else {
                "政策文件"
            }
            .to_string(),
            score: h.score,
        });
    }
    Ok(out)
}

/// Runs a search, logging a query that found nothing on its first page.
pub async fn run(state: &AppState, request: &SearchRequest) -> AppResult<SearchResults> {
    let svc = state.search.clone();
    let req = request.clone();
    let results = tokio::task::spawn_blocking(move || svc.index.search(&req))
        .await
        .map_err(|e| anyhow::anyhow!(e))?
        .map_err(super::search_error)?;
    if results.total == 0
        && request.offset == 0
        && !results.plan.is_empty()
        && let Some(q) = super::loggable_query(&request.text)
    {
        state.store.record_search_miss(request.site_id, &q).await?;
    }
    Ok(results)
}

pub async fn answers(state: &AppState, site_id: i64, q: &str) -> Vec<Answer> {
    match state.search.answer_source() {
        Some(source) if !q.trim().is_empty() => source.answers(state, site_id, q, 3).await,
        _ => Vec::new(),
    }
}

#[derive(Template)]
#[template(path = "portal/search.html")]
struct SearchT {
    page: Page,
    p: SearchParams,
    searched: bool,
    total: usize,
    total_estimated: bool,
    page_no: usize,
    pages: usize,
    relaxed: bool,
    hits: Vec<HitView>,
    answers: Vec<Answer>,
    units: Vec<(i64, String)>,
    columns: Vec<(String, String)>,
    years: Vec<i32>,
    prev_href: Option<String>,
    next_href: Option<String>,
}

fn href(p: &SearchParams, page: usize) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("q", &p.q),
        ("unit", &p.unit),
        ("column", &p.column),
        ("year", &p.year),
        ("validity", &p.validity),
        ("kind", &p.kind),
        ("sort", &p.sort),
    ] {
        if !v.is_empty() {
            s.append_pair(k, v);
        }
    }
    if page > 1 {
        s.append_pair("page", &page.to_string());
    }
    format!("/search?{}", s.finish())
}

/// `GET /search?q=…&unit=&column=&year=&validity=&kind=&sort=relevance|date&page=`.
pub async fn search(State(state): State<AppState>, ctx: RequestCtx, Query(p): Query<SearchParams>) -> AppResult<Response> {
    let resolved = resolve(&state, &p, PAGE_SIZE).await?;
    let req = &resolved.request;
    let searched = !req.text.is_empty() || req.year.is_some() || !req.unit_ids.is_empty() || !req.column_ids.is_empty();
    let (results, answers) = if searched {
        let r = run(&state, req).await?;
        let a = if resolved.page_no == 1 {
            answers(&state, req.site_id, &req.text).await
        } else {
            vec![]
        };
        (Some(r), a)
    } else {
        (None, vec![])
    };
    let hits = match &results {
        Some(r) => hit_views(&state, r).await?,
        None => vec![],
    };
    let total = results.as_ref().map_or(0, |r| r.total);
    let pages = total.div_ceil(PAGE_SIZE).clamp(1, 100);
    let title = if req.text.is_empty() {
        "站内搜索".to_string()
    } else {
        format!("搜索：{}", req.text)
    };
    let page = portal_page(&state, &ctx, &title).await?;
    let page_no = resolved.page_no;
    if searched && page_no > pages && total > 0 {
        return Err(AppError::not_found());
    }
    render(&SearchT {
        page,
        searched,
        total,
        total_estimated: results.as_ref().is_some_and(|r| r.total_estimated),
        page_no,
        pages,
        relaxed: results.as_ref().is_some_and(|r| r.relaxed),
        hits,
        answers,
        units: resolved.units,
        columns: resolved.columns,
        years: resolved.years,
        prev_href: (page_no > 1).then(|| href(&p, page_no - 1)),
        next_href: (page_no < pages).then(|| href(&p, page_no + 1)),
        p,
    })
}
