//! JSON API of the policy Q&A library: the matcher (public for the website
//! channel, token-authenticated for the hotline, phones, window and mailbox)
//! and the consultation tickets a 12345 hotline system creates and follows.

use super::{ConsultInput, MatchView, run_match, ticket_of};
use crate::auth::ApiUser;
use crate::catalogue::portal::default_site;
use crate::error::{ApiResultExt, AppError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use gongkai_domain::accounts::Action;
use gongkai_domain::qa::{Channel, ReplyVia};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MatchRequest {
    /// The citizen's question (1–500 characters).
    question: String,
    /// web (default, public), hotline, phone, window or mailbox (these need a token).
    channel: Option<String>,
    /// Number of matches, 1–20 (default 5).
    limit: Option<usize>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MatchResponse {
    /// answer: the first match answers the question; suggest: show the
    /// matches as candidates; abstain: hand the question to a person.
    outcome: String,
    /// The question's words after normalisation and synonyms.
    terms: Vec<String>,
    matches: Vec<MatchView>,
}

fn channel_of(s: Option<&str>, default: Channel) -> Result<Channel, AppError> {
    match s {
        None => Ok(default),
        Some(s) => {
            Channel::parse(s).ok_or_else(|| AppError::invalid("channel", "channel must be web, hotline, phone, window or mailbox").json())
        }
    }
}

fn may_handle(user: &ApiUser) -> Result<(), AppError> {
    if user.0.can_somewhere(Action::HandleCases) || user.0.can_somewhere(Action::EditContent) {
        Ok(())
    } else {
        Err(AppError::new(StatusCode::FORBIDDEN, "forbidden", "the caller may not handle consultations").json())
    }
}

/// Matches a question against the policy Q&A library.
#[utoipa::path(post, path = "/api/v1/qa/match", tag = "qa", request_body = MatchRequest,
    responses((status = 200, body = MatchResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)),
    security((), ("bearer" = [])))]
pub async fn match_question(
    State(state): State<AppState>,
    user: Option<ApiUser>,
    Json(req): Json<MatchRequest>,
) -> Result<Json<MatchResponse>, AppError> {
    let channel = channel_of(req.channel.as_deref(), Channel::Web)?;
    if channel != Channel::Web {
        match &user {
            Some(u) => may_handle(u)?,
            None => {
                return Err(AppError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "channels other than web need a bearer token",
                )
                .json());
            }
        }
    }
    let question = req.question.trim();
    if question.is_empty() {
        return Err(AppError::invalid("question", "question must not be empty").json());
    }
    if question.chars().count() > 500 {
        return Err(AppError::invalid("question", "question must be at most 500 characters").json());
    }
    let limit = req.limit.unwrap_or(5);
    if !(1..=20).contains(&limit) {
        return Err(AppError::invalid("limit", "limit must be between 1 and 20").json());
    }
    let site = default_site(&state).await.api()?;
    let m = run_match(&state, site.id, question, channel, limit).await.api()?;
    Ok(Json(MatchResponse {
        outcome: m.outcome.as_str().into(),
        terms: m.terms,
        matches: m.matches,
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ConsultationRequest {
    /// The consultant's question (1–1000 characters).
    question: String,
    /// hotline (default), phone, window, mailbox or web.
    channel: Option<String>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    contact_email: Option<String>,
    /// none (default), email, sms or phone.
    reply_via: Option<String>,
    /// The consultant agrees to the reply being published (without their name).
    #[serde(default)]
    publish_consent: bool,
    /// The responsible unit; by default the owner of the closest library entry, else the government office.
    unit_id: Option<i64>,
    /// The calling system's own reference (e.g. the 12345 work order number).
    external_ref: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ConsultationResponse {
    id: i64,
    /// The number given to the consultant, e.g. ZX20261207-000042.
    ticket: String,
    channel: String,
    question: String,
    /// answered (at once), open (waiting for the unit) or replied.
    state: String,
    unit_id: Option<i64>,
    /// The reply's due date (working days from registration).
    due_on: Option<String>,
    /// True once the ticket was escalated to the government office as overdue.
    escalated: bool,
    reply: Option<String>,
    replied_at: Option<String>,
    external_ref: Option<String>,
    created_at: String,
}

fn view(c: &gongkai_store::qa::ConsultationRow) -> ConsultationResponse {
    ConsultationResponse {
        id: c.id,
        ticket: ticket_of(c),
        channel: c.channel.clone(),
        question: c.question.clone(),
        state: c.state.clone(),
        unit_id: c.unit_id,
        due_on: c.due_on.clone(),
        escalated: c.escalated_at.is_some(),
        reply: c.reply.clone(),
        replied_at: c.replied_at.clone(),
        external_ref: c.external_ref.clone(),
        created_at: c.created_at.clone(),
    }
}

/// Registers a consultation as a ticket for the responsible unit.
#[utoipa::path(post, path = "/api/v1/consultations", tag = "qa", request_body = ConsultationRequest,
    responses((status = 201, body = ConsultationResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Json(req): Json<ConsultationRequest>,
) -> Result<(StatusCode, Json<ConsultationResponse>), AppError> {
    may_handle(&user)?;
    let channel = channel_of(req.channel.as_deref(), Channel::Hotline)?;
    let reply_via = match req.reply_via.as_deref() {
        None => ReplyVia::None,
        Some(v) => {
            ReplyVia::parse(v).ok_or_else(|| AppError::invalid("reply_via", "reply_via must be none, email, sms or phone").json())?
        }
    };
    let input = ConsultInput {
        question: req.question,
        contact_name: req.contact_name,
        contact_phone: req.contact_phone,
        contact_email: req.contact_email,
        reply_via: Some(reply_via),
        publish_consent: req.publish_consent,
        unit_id: req.unit_id,
        external_ref: req.external_ref,
    }
    .validate()
    .map_err(|e| AppError::invalid(e.field, e.message).json())?;
    let site = default_site(&state).await.api()?;
    let m = run_match(&state, site.id, &input.question, channel, 3).await.api()?;
    let c = super::register(&state, &site, channel, &input, Some(&m), Some(&user.0.user.username))
        .await
        .api()?;
    Ok((StatusCode::CREATED, Json(view(&c))))
}

/// A consultation's state and reply.
#[utoipa::path(get, path = "/api/v1/consultations/{id}", tag = "qa",
    params(("id" = i64, Path, description = "Consultation id")),
    responses((status = 200, body = ConsultationResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(State(state): State<AppState>, user: ApiUser, Path(id): Path<i64>) -> Result<Json<ConsultationResponse>, AppError> {
    if !(user.0.can_somewhere(Action::HandleCases)
        || user.0.can_somewhere(Action::ViewDashboards)
        || user.0.can_somewhere(Action::EditContent))
    {
        return Err(AppError::new(StatusCode::FORBIDDEN, "forbidden", "the caller may not read consultations").json());
    }
    let c = state.store.consultation(id).await.api()?;
    Ok(Json(view(&c)))
}
