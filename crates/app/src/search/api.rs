//! `GET /api/v1/search`: the portal search as JSON (public).

use super::Answer;
use super::portal::{HitView, SearchParams, answers, hit_views, resolve, run};
use crate::error::{ApiResultExt, AppError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SearchQuery {
    /// Words, a 文号, or both (up to 100 characters).
    q: Option<String>,
    /// Unit id (includes its sub-units).
    unit: Option<i64>,
    /// Column slug (includes its sub-columns).
    column: Option<String>,
    /// Year of publication.
    year: Option<i32>,
    /// in_force, expired, repealed, amended.
    validity: Option<String>,
    /// document, interpretation, interpretation-text|image|video.
    kind: Option<String>,
    /// relevance (default) or date (newest first).
    sort: Option<String>,
    /// 1-based page.
    page: Option<usize>,
    /// Hits per page, 1–50 (default 10).
    per_page: Option<usize>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SearchResponse {
    total: usize,
    /// True when `total` is an estimate (very large result sets).
    total_estimated: bool,
    page: usize,
    /// True when no document had every word and most words were required instead.
    relaxed: bool,
    /// The words every hit contains, as segmented.
    terms: Vec<String>,
    /// The 文号 recognised in the query, normalised.
    doc_no: Option<String>,
    /// Policy Q&A answers (搜问一体), first page only.
    answers: Vec<Answer>,
    hits: Vec<HitView>,
}

/// Searches the published catalogue (title, 文号, body, attachments).
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchQuery), responses((status = 200, body = SearchResponse), (status = 400, body = ErrorBody)))]
pub async fn search(State(state): State<AppState>, Query(q): Query<SearchQuery>) -> Result<Json<SearchResponse>, AppError> {
    let text = q.q.clone().unwrap_or_default();
    if text.chars().count() > 100 {
        return Err(AppError::invalid("q", "q must be at most 100 characters").json());
    }
    if let Some(v) = q.validity.as_deref()
        && !["in_force", "expired", "repealed", "amended"].contains(&v)
    {
        return Err(AppError::invalid("validity", "validity must be in_force, expired, repealed or amended").json());
    }
    if let Some(k) = q.kind.as_deref()
        && ![
            "document",
            "interpretation",
            "interpretation-text",
            "interpretation-image",
            "interpretation-video",
        ]
        .contains(&k)
    {
        return Err(AppError::invalid("kind", "kind must be document, interpretation or interpretation-text|image|video").json());
    }
    if let Some(s) = q.sort.as_deref()
        && s != "relevance"
        && s != "date"
    {
        return Err(AppError::invalid("sort", "sort must be relevance or date").json());
    }
    let page = q.page.unwrap_or(1);
    if !(1..=100).contains(&page) {
        return Err(AppError::invalid("page", "page must be between 1 and 100").json());
    }
    let per_page = q.per_page.unwrap_or(10);
    if !(1..=50).contains(&per_page) {
        return Err(AppError::invalid("per_page", "per_page must be between 1 and 50").json());
    }
    let params = SearchParams {
        q: text.clone(),
        unit: q.unit.map(|u| u.to_string()).unwrap_or_default(),
        column: q.column.clone().unwrap_or_default(),
        year: q.year.map(|y| y.to_string()).unwrap_or_default(),
        validity: q.validity.clone().unwrap_or_default(),
        kind: q.kind.clone().unwrap_or_default(),
        sort: q.sort.clone().unwrap_or_default(),
        page: page.to_string(),
    };
    let resolved = resolve(&state, &params, per_page).await.api()?;
    if q.column.is_some() && resolved.request.column_ids.is_empty() {
        return Err(AppError::invalid("column", "no such column").json());
    }
    if q.unit.is_some() && resolved.request.unit_ids == [-1] {
        return Err(AppError::invalid("unit", "no such unit").json());
    }
    if q.year.is_some() && resolved.request.year.is_none() {
        return Err(AppError::invalid("year", "year out of range").json());
    }
    let req = resolved.request;
    let results = run(&state, &req).await.api()?;
    let hits = hit_views(&state, &results).await.api()?;
    let answers = if page == 1 {
        answers(&state, req.site_id, &req.text).await
    } else {
        vec![]
    };
    Ok(Json(SearchResponse {
        total: results.total,
        total_estimated: results.total_estimated,
        page,
        relaxed: results.relaxed,
        terms: results.plan.required.clone(),
        doc_no: results.plan.doc_no.clone(),
        answers,
        hits,
    }))
}
