//! JSON API of the mailbox: messages registered by another system (a 12345
//! hotline platform forwarding what it received, with a token — no captcha,
//! but the same checks and workflow), and the public status of a message by
//! its query code (nothing of the writer's contact data).

use super::{Submission, submit};
use crate::auth::ApiUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use gongkai_domain::accounts::Action;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewMessageBody {
    /// `consultation`, `suggestion`, `complaint`, `help` or `other`.
    category: String,
    /// The unit addressed, if the writer chose one.
    addressee_unit_id: Option<i64>,
    title: String,
    content: String,
    name: String,
    phone: String,
    email: Option<String>,
    /// The writer agrees to publication (with personal data masked).
    #[serde(default)]
    public: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedDto {
    id: i64,
    /// The query code the writer follows the message with.
    query_code: String,
}

/// Registers a message received by another system (token with case-handling rights).
#[utoipa::path(post, path = "/api/v1/messages", tag = "mailbox", request_body = NewMessageBody,
    responses((status = 201, body = CreatedDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Json(b): Json<NewMessageBody>,
) -> Result<(axum::http::StatusCode, Json<CreatedDto>), AppError> {
    if !user.0.can_somewhere(Action::HandleCases) {
        return Err(AppError::forbidden().json());
    }
    let site = crate::catalogue::portal::default_site(&state).await.map_err(AppError::json)?;
    let units = crate::tasks::site_units(&state, &site).await.map_err(AppError::json)?;
    let form = super::SubmitForm {
        category: b.category,
        addressee: b.addressee_unit_id.map(|u| u.to_string()).unwrap_or_default(),
        title: b.title,
        content: b.content,
        name: b.name,
        phone: b.phone,
        email: b.email.unwrap_or_default(),
        public: if b.public { "1".into() } else { String::new() },
        ..Default::default()
    };
    let s: Submission = form.check(&units).map_err(|errors| {
        let (field, msg) = errors.into_iter().next().unwrap_or(("body", "invalid".into()));
        AppError::invalid(field, msg).json()
    })?;
    let (id, code) = submit(&state, &site, &s, "api", None).await.map_err(AppError::json)?;
    Ok((axum::http::StatusCode::CREATED, Json(CreatedDto { id, query_code: code })))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StatusDto {
    query_code: String,
    category: String,
    status: String,
    received_on: String,
    due_on: String,
    unit: String,
    outcome: String,
    reply: String,
    replied_on: String,
}

/// The public status of a message by its query code.
#[utoipa::path(get, path = "/api/v1/messages/{code}", tag = "mailbox",
    params(("code" = String, Path, description = "Query code, e.g. LY20261206-K7Q3MX")),
    responses((status = 200, body = StatusDto), (status = 404, body = ErrorBody)))]
pub async fn status(State(state): State<AppState>, Path(code): Path<String>) -> Result<Json<StatusDto>, AppError> {
    let t = super::portal::tracked(&state, code.trim())
        .await
        .map_err(AppError::json)?
        .ok_or_else(|| AppError::not_found().json())?;
    Ok(Json(StatusDto {
        query_code: t.code,
        category: t.category.into(),
        status: t.status.into(),
        received_on: t.received_on,
        due_on: t.due_on,
        unit: t.unit,
        outcome: t.outcome.into(),
        reply: t.reply,
        replied_on: t.replied_on,
    }))
}
