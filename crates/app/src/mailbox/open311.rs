//! The read-only Open311 GeoReport v2 feed of published messages
//! (`gongkai_domain::mailbox::open311`): `services.json`, `requests.json`
//! (filters `service_code`, `status`, `start_date`, `end_date`, at most
//! 1,000 newest first) and `requests/{id}.json`. Only what the public
//! replies page shows, masked the same way.

use super::public_view;
use crate::catalogue::portal::default_site;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use gongkai_domain::mailbox::open311::{Request, Service, datetime, parse_request_id, request_id, services as all_services};
use gongkai_store::mailbox::{MessageFilter, MessageRow};
use serde::Deserialize;
use std::collections::HashMap;

/// `GET /open311/v2/services.json`.
pub async fn services() -> Json<Vec<Service>> {
    Json(all_services())
}

fn request_of(m: &MessageRow, names: &HashMap<i64, String>, phones: &[String]) -> Request {
    let p = public_view(m, names, phones);
    let status_notes = format!(
        "{}{}{}",
        p.outcome,
        if p.outcome_note.is_empty() { "" } else { "：" },
        p.outcome_note
    );
    Request {
        service_request_id: request_id(m.id),
        status: if m.status == "answered" { "closed" } else { "open" }.into(),
        status_notes: (!status_notes.is_empty()).then_some(status_notes),
        service_name: p.category.to_owned(),
        service_code: m.category.clone(),
        description: format!("{}\n{}", p.summary, p.content),
        agency_responsible: (!p.unit.is_empty()).then(|| p.unit.clone()),
        service_notice: (!p.reply.is_empty()).then(|| p.reply.clone()),
        requested_datetime: datetime(&m.received_on),
        updated_datetime: Some(datetime(&m.updated_at)),
        expected_datetime: m.due_on.as_deref().map(datetime),
    }
}

#[derive(Deserialize, Default)]
pub struct RequestsQuery {
    service_code: Option<String>,
    status: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
}

/// `GET /open311/v2/requests.json`.
pub async fn requests(State(state): State<AppState>, Query(q): Query<RequestsQuery>) -> AppResult<Json<Vec<Request>>> {
    let site = default_site(&state).await.map_err(AppError::json)?;
    let (rows, _) = state
        .store
        .mailbox_page(
            site.id,
            &MessageFilter {
                published_only: true,
                ..Default::default()
            },
            1000,
            0,
        )
        .await
        .map_err(|e| AppError::from(e).json())?;
    let names: HashMap<i64, String> = state
        .store
        .list_units()
        .await
        .map_err(|e| AppError::from(e).json())?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let phones = crate::catalogue::public_phones(&state).await.map_err(AppError::json)?;
    let date = |s: &Option<String>, field: &str| -> Result<Option<String>, AppError> {
        match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(v) => v
                .get(..10)
                .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
                .map(|d| Some(d.to_string()))
                .ok_or_else(|| AppError::invalid(field, format!("{field} must be an ISO 8601 date")).json()),
        }
    };
    let (start, end) = (date(&q.start_date, "start_date")?, date(&q.end_date, "end_date")?);
    Ok(Json(
        rows.iter()
            .filter(|m| q.service_code.as_deref().is_none_or(|c| m.category == c))
            .filter(|m| start.as_deref().is_none_or(|s| m.received_on.as_str() >= s))
            .filter(|m| end.as_deref().is_none_or(|e| m.received_on.as_str() <= e))
            .map(|m| request_of(m, &names, &phones))
            .filter(|r| q.status.as_deref().is_none_or(|s| r.status == s))
            .collect(),
    ))
}

/// `GET /open311/v2/requests/{id}.json` (an array of one, as the specification has it).
pub async fn request(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<Vec<Request>>> {
    let id = parse_request_id(id.trim_end_matches(".json")).ok_or_else(|| AppError::not_found().json())?;
    let m = state.store.mailbox_message(id).await.map_err(|e| AppError::from(e).json())?;
    if !m.published {
        return Err(AppError::not_found().json());
    }
    let names: HashMap<i64, String> = state
        .store
        .list_units()
        .await
        .map_err(|e| AppError::from(e).json())?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let phones = crate::catalogue::public_phones(&state).await.map_err(AppError::json)?;
    Ok(Json(vec![request_of(&m, &names, &phones)]))
}
