//! The audit log for machine clients (scoped like the admin page).

use crate::auth::ApiUser;
use crate::error::{ApiResultExt, AppError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Query, State};
use gongkai_domain::accounts::{Action, Scope};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct EntriesQuery {
    actor: Option<String>,
    /// A full action (`user.create`) or a prefix (`user`).
    action: Option<String>,
    object_type: Option<String>,
    object_id: Option<String>,
    unit: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    from: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    to: Option<String>,
    /// 1..=500, default 100.
    limit: Option<u64>,
    offset: Option<u64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EntryDto {
    seq: i64,
    at: String,
    actor: String,
    unit_id: Option<i64>,
    action: String,
    object_type: String,
    object_id: String,
    #[schema(value_type = Object)]
    detail: serde_json::Value,
    prev_hash: String,
    hash: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EntriesDto {
    total: i64,
    entries: Vec<EntryDto>,
}

/// Audit entries in the caller's scope, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(EntriesQuery), security(("bearer" = [])),
    responses((status = 200, body = EntriesDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn entries(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
    Query(q): Query<EntriesQuery>,
) -> Result<Json<EntriesDto>, AppError> {
    if !s.can_somewhere(Action::ViewAudit) {
        return Err(AppError::forbidden().json());
    }
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(AppError::invalid("limit", "`limit` must be in 1..=500").json());
    }
    let units = state.store.list_units().await.api()?;
    let page_q = crate::audit::pages::AuditQuery::from_api(q.actor, q.action, q.object_type, q.object_id, q.unit, q.from, q.to);
    let filter = crate::audit::pages::scoped_filter(&s, &units, &page_q)
        .map_err(|_| AppError::invalid("from", "dates must be YYYY-MM-DD").json())?;
    let total = state.store.audit_count(&filter).await.api()?;
    let entries = state
        .store
        .audit_entries(&filter, limit, q.offset.unwrap_or(0))
        .await
        .api()?
        .into_iter()
        .map(|e| EntryDto {
            detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null),
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            unit_id: e.unit_id,
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            prev_hash: e.prev_hash,
            hash: e.hash,
        })
        .collect();
    Ok(Json(EntriesDto { total, entries }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VerifyDto {
    intact: bool,
    /// Entries verified (when intact).
    entries: Option<u64>,
    /// The first broken entry (when not intact).
    first_broken: Option<i64>,
    message: String,
}

/// Verifies the whole hash chain (system administrators).
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit", security(("bearer" = [])),
    responses((status = 200, body = VerifyDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn verify(State(state): State<AppState>, ApiUser(s): ApiUser) -> Result<Json<VerifyDto>, AppError> {
    if !s.can(Action::ViewAudit, Scope::Global) {
        return Err(AppError::forbidden().json());
    }
    Ok(Json(match state.store.verify_audit().await.api()? {
        Ok(n) => VerifyDto {
            intact: true,
            entries: Some(n),
            first_broken: None,
            message: format!("{n} entries verified"),
        },
        Err(e) => VerifyDto {
            intact: false,
            entries: None,
            first_broken: Some(e.seq()),
            message: e.to_string(),
        },
    }))
}
