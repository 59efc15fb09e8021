//! The catalogue's JSON API: public reads of what the portal shows, and the
//! staff's create, update and review transitions.

use super::portal::{PAGE_SIZE, default_site, subtree_ids};
use super::{DocumentInput, PrivacyItem, current_validity};
use crate::auth::ApiUser;
use crate::error::{ApiResultExt, AppError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use gongkai_domain::catalogue::UnpublishReason;
use gongkai_store::catalogue::{DocumentFilter, DocumentRow};
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
pub struct ColumnDto {
    id: i64,
    parent_id: Option<i64>,
    slug: String,
    name: String,
    /// group, documents, interpretations:text|image|video, page, link, annual_reports.
    kind: String,
    update_interval_days: Option<i64>,
}

/// The visible columns of the disclosure catalogue.
#[utoipa::path(get, path = "/api/v1/columns", tag = "catalogue", responses((status = 200, body = Vec<ColumnDto>)))]
pub async fn columns(State(state): State<AppState>) -> Result<Json<Vec<ColumnDto>>, AppError> {
    let site = default_site(&state).await.api()?;
    Ok(Json(
        state
            .store
            .columns_of_site(site.id)
            .await
            .api()?
            .into_iter()
            .filter(|c| !c.hidden)
            .map(|c| ColumnDto {
                id: c.id,
                parent_id: c.parent_id,
                slug: c.slug,
                name: c.name,
                kind: c.kind,
                update_interval_days: c.update_interval_days,
            })
            .collect(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DocumentDto {
    id: i64,
    /// document or interpretation.
    kind: String,
    interpretation_kind: Option<String>,
    title: String,
    index_no: String,
    unit_id: i64,
    column_id: i64,
    issuer: String,
    doc_no: Option<String>,
    written_on: Option<String>,
    published_on: Option<String>,
    topic: String,
    genre: String,
    /// The validity today: in_force, expired, repealed, amended.
    validity: String,
    effective_on: Option<String>,
    expires_on: Option<String>,
    validity_changed_on: Option<String>,
    validity_reason: Option<String>,
    replaced_by: Option<i64>,
    /// draft, in_review, scheduled, published, unpublished.
    state: String,
    review_stage: Option<i64>,
    version: i64,
    /// Sanitised HTML (omitted in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    url: String,
}

fn dto(d: DocumentRow, today: chrono::NaiveDate, with_body: bool) -> DocumentDto {
    let validity = current_validity(&d, today).as_str().to_string();
    DocumentDto {
        url: format!("/documents/{}", d.id),
        id: d.id,
        kind: d.kind,
        interpretation_kind: d.interpretation_kind,
        title: d.title,
        index_no: d.index_no,
        unit_id: d.unit_id,
        column_id: d.column_id,
        issuer: d.issuer,
        doc_no: d.doc_no,
        written_on: d.written_on,
        published_on: d.published_on,
        topic: d.topic,
        genre: d.genre,
        validity,
        effective_on: d.effective_on,
        expires_on: d.expires_on,
        validity_changed_on: d.validity_changed_on,
        validity_reason: d.validity_reason,
        replaced_by: d.replaced_by,
        state: d.state,
        review_stage: d.review_stage,
        version: d.version,
        body: with_body.then_some(d.body),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Column slug (includes its sub-columns).
    column: Option<String>,
    unit: Option<i64>,
    /// The year of the 索引号.
    year: Option<i64>,
    /// in_force, expired, repealed, amended.
    validity: Option<String>,
    /// document or interpretation.
    kind: Option<String>,
    /// 1-based page of 20.
    page: Option<u64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DocumentList {
    total: i64,
    page: u64,
    items: Vec<DocumentDto>,
}

/// Published documents and interpretations, newest first.
#[utoipa::path(get, path = "/api/v1/documents", tag = "catalogue", params(ListQuery), responses((status = 200, body = DocumentList), (status = 400, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, Query(q): Query<ListQuery>) -> Result<Json<DocumentList>, AppError> {
    let site = default_site(&state).await.api()?;
    let mut f = DocumentFilter {
        site_id: Some(site.id),
        states: Some(vec!["published".into()]),
        unit_ids: q.unit.map(|u| vec![u]),
        year: q.year,
        ..Default::default()
    };
    if let Some(slug) = &q.column {
        let cols = state.store.columns_of_site(site.id).await.api()?;
        let c = cols
            .iter()
            .find(|c| &c.slug == slug)
            .ok_or_else(|| AppError::invalid("column", format!("no column `{slug}`")).json())?;
        f.column_ids = Some(subtree_ids(&cols, c.id));
    }
    if let Some(v) = &q.validity {
        gongkai_domain::catalogue::Validity::parse(v)
            .map_err(|_| AppError::invalid("validity", "validity must be in_force, expired, repealed or amended").json())?;
        f.validity = Some(v.clone());
    }
    if let Some(k) = &q.kind {
        if k != "document" && k != "interpretation" {
            return Err(AppError::invalid("kind", "kind must be document or interpretation").json());
        }
        f.kind = Some(k.clone());
    }
    let page = q.page.unwrap_or(1).max(1);
    let total = state.store.count_documents(&f).await.api()?;
    let today = state.clock.now().date_naive();
    let items = state
        .store
        .list_documents(&f, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        .await
        .api()?
        .into_iter()
        .map(|d| dto(d, today, false))
        .collect();
    Ok(Json(DocumentList { total, page, items }))
}

/// One document as the public sees it (staff with a token also see drafts of their units).
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "catalogue", params(("id" = i64, Path)),
    responses((status = 200, body = DocumentDto), (status = 404, body = ErrorBody), (status = 410, description = "Unpublished: published in error", body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, user: Option<ApiUser>, Path(id): Path<i64>) -> Result<Json<DocumentDto>, AppError> {
    let d = state.store.get_document(id).await.api()?;
    let staff = match &user {
        Some(ApiUser(s)) => {
            let unit = state.store.get_unit(d.unit_id).await.api()?;
            s.can(
                gongkai_domain::accounts::Action::EditContent,
                gongkai_domain::accounts::Scope::Unit(&unit.unit_path()),
            ) || s.can(
                gongkai_domain::accounts::Action::ReviewContent,
                gongkai_domain::accounts::Scope::Unit(&unit.unit_path()),
            )
        }
        None => false,
    };
    if !staff && d.state != "published" {
        if d.state == "unpublished" && super::unpublish_reason(&d) == Some(UnpublishReason::PublishedInError) {
            return Err(AppError::new(StatusCode::GONE, "gone", "the document was unpublished (published in error)").json());
        }
        if !(d.state == "unpublished" && super::unpublish_reason(&d) == Some(UnpublishReason::Withdrawn)) {
            return Err(AppError::not_found().json());
        }
    }
    Ok(Json(dto(d, state.clock.now().date_naive(), true)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CreateBody {
    /// The unit publishing it.
    unit_id: i64,
    #[serde(flatten)]
    input: DocumentInput,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    id: i64,
}

fn field_error((field, msg): super::FieldError) -> AppError {
    AppError::invalid(field, msg).json()
}

/// Creates a draft document or interpretation (the column decides which).
#[utoipa::path(post, path = "/api/v1/documents", tag = "catalogue", request_body = CreateBody, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
    Json(b): Json<CreateBody>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let site = default_site(&state).await.api()?;
    state
        .store
        .get_unit(b.unit_id)
        .await
        .map_err(|_| AppError::invalid("unit_id", "no such unit").json())?;
    match super::create_document(&state, &s, site.id, b.unit_id, &b.input).await.api()? {
        Ok(id) => Ok((StatusCode::CREATED, Json(Created { id }))),
        Err(e) => Err(field_error(e)),
    }
}

/// Saves a draft's fields as a new version.
#[utoipa::path(put, path = "/api/v1/documents/{id}", tag = "catalogue", params(("id" = i64, Path)), request_body = DocumentInput, security(("bearer" = [])),
    responses((status = 200, body = DocumentDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
    Path(id): Path<i64>,
    Json(input): Json<DocumentInput>,
) -> Result<Json<DocumentDto>, AppError> {
    let d = state.store.get_document(id).await.api()?;
    match super::update_document(&state, &s, &d, &input).await.api()? {
        Ok(_) => Ok(Json(dto(
            state.store.get_document(id).await.api()?,
            state.clock.now().date_naive(),
            true,
        ))),
        Err(e) => Err(field_error(e)),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TransitionBody {
    /// submit, approve, reject, schedule, publish, withdraw, unpublish_withdrawn, unpublish_error.
    action: String,
    /// Required for reject.
    #[serde(default)]
    comment: String,
    /// RFC 3339 time, for schedule.
    at: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TransitionResult {
    state: String,
    review_stage: Option<i64>,
}

/// Moves a document through review (三审三校) and publication.
#[utoipa::path(post, path = "/api/v1/documents/{id}/transitions", tag = "catalogue", params(("id" = i64, Path)), request_body = TransitionBody, security(("bearer" = [])),
    responses((status = 200, body = TransitionResult), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, description = "Refused by the workflow (self-approval, open privacy findings, …)", body = ErrorBody)))]
pub async fn transition(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<TransitionBody>,
) -> Result<Json<TransitionResult>, AppError> {
    let d = state.store.get_document(id).await.api()?;
    let action = super::admin::review_action(&b.action, &b.comment, b.at.as_deref()).map_err(|m| AppError::invalid("action", m).json())?;
    match super::apply_action(&state, &s, &d, action).await.api()? {
        Ok(_) => {
            let d = state.store.get_document(id).await.api()?;
            Ok(Json(TransitionResult {
                state: d.state,
                review_stage: d.review_stage,
            }))
        }
        Err(msg) => Err(AppError::new(StatusCode::CONFLICT, "transition_refused", msg).json()),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PrivacyReport {
    open: usize,
    findings: Vec<PrivacyItem>,
}

/// The privacy guard's findings (masked forms only) and how many are open.
#[utoipa::path(get, path = "/api/v1/documents/{id}/privacy", tag = "catalogue", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = PrivacyReport), (status = 403, body = ErrorBody)))]
pub async fn privacy(State(state): State<AppState>, ApiUser(s): ApiUser, Path(id): Path<i64>) -> Result<Json<PrivacyReport>, AppError> {
    let d = state.store.get_document(id).await.api()?;
    let unit = state.store.get_unit(d.unit_id).await.api()?;
    if !(s.can(
        gongkai_domain::accounts::Action::EditContent,
        gongkai_domain::accounts::Scope::Unit(&unit.unit_path()),
    ) || s.can(
        gongkai_domain::accounts::Action::ReviewContent,
        gongkai_domain::accounts::Scope::Unit(&unit.unit_path()),
    )) {
        return Err(AppError::forbidden().json());
    }
    let findings = super::privacy_report(&state, &d).await.api()?;
    let open = findings.iter().filter(|f| f.lawful_reason.is_none()).count();
    Ok(Json(PrivacyReport { open, findings }))
}
