//! The public pages of the mailbox: the form (with the captcha and live
//! suggestions of what is answered already), the follow-up page opened by
//! the query code (status, the reply, rating and reopening — nothing of
//! the writer's contact data), the published replies with the five fields
//! of the seed, the statistics, and the published commitments.

use super::guard::{Peer, Refusal, client_key};
use super::{PublicMessage, SubmitForm, public_view, rate, submit};
use crate::auth::RequestCtx;
use crate::catalogue::portal::default_site;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Page, portal_page, render};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use gongkai_domain::mailbox::{Action, Category, OpinionCategory, Status, is_query_code, may_reopen, rating_label};
use gongkai_store::mailbox::MessageFilter;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "portal/mailbox.html")]
struct FormT {
    page: Page,
    form: SubmitForm,
    errors: Vec<(&'static str, String)>,
    categories: Vec<(&'static str, &'static str, u32)>,
    units: Vec<(i64, String)>,
    question: String,
    token: String,
}

impl FormT {
    fn error_for(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.0 == field)
            .map(|e| e.1.as_str())
            .collect::<Vec<_>>()
            .join("；")
    }
}

async fn form_page(state: &AppState, ctx: &RequestCtx, form: SubmitForm, errors: Vec<(&'static str, String)>) -> AppResult<Response> {
    let site = default_site(state).await?;
    let page = portal_page(state, ctx, "公开信箱").await?;
    let units = crate::tasks::site_units(state, &site)
        .await?
        .into_iter()
        .filter(|u| u.id != site.owner_unit_id)
        .map(|u| (u.id, u.name))
        .collect();
    let c = state.mailbox.guard.challenge();
    let mut res = render(&FormT {
        page,
        form: SubmitForm {
            captcha: String::new(),
            captcha_token: String::new(),
            ..form
        },
        categories: Category::ALL
            .iter()
            .map(|c| (c.as_str(), c.label_zh(), super::reply_days(&site, *c)))
            .collect(),
        units,
        question: c.question,
        token: c.token,
        errors: errors.clone(),
    })?;
    if !errors.is_empty() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /mailbox`.
pub async fn form(State(state): State<AppState>, ctx: RequestCtx) -> AppResult<Response> {
    let f = SubmitForm {
        category: "consultation".into(),
        ..Default::default()
    };
    form_page(&state, &ctx, f, vec![]).await
}

/// `POST /mailbox`: the flood guard first (rate limit, honeypot, captcha),
/// then the form; a refused form comes back with everything typed kept.
pub async fn post(
    State(state): State<AppState>,
    ctx: RequestCtx,
    peer: Peer,
    headers: HeaderMap,
    Form(f): Form<SubmitForm>,
) -> AppResult<Response> {
    let client = client_key(&headers, peer.0);
    if let Err(r) = state.mailbox.guard.admit(&client) {
        let mut res = form_page(&state, &ctx, f, vec![("captcha", r.message_zh().into())]).await?;
        *res.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
        return Ok(res);
    }
    if !f.website.is_empty() {
        return form_page(&state, &ctx, f, vec![("captcha", Refusal::Honeypot.message_zh().into())]).await;
    }
    if let Err(r) = state.mailbox.guard.check(&f.captcha_token, &f.captcha) {
        return form_page(&state, &ctx, f, vec![("captcha", r.message_zh().into())]).await;
    }
    let site = default_site(&state).await?;
    let units = crate::tasks::site_units(&state, &site).await?;
    let s = match f.check(&units) {
        Ok(s) => s,
        Err(errors) => return form_page(&state, &ctx, f, errors).await,
    };
    let hash = blake3::hash(client.as_bytes()).to_hex()[..16].to_owned();
    let (_, code) = submit(&state, &site, &s, "web", Some(hash)).await?;
    Ok(Redirect::to(&format!("/mailbox/track?code={code}&new=1")).into_response())
}

#[derive(Deserialize, Default)]
pub struct SimilarQuery {
    #[serde(default)]
    q: String,
}

/// `GET /mailbox/similar?q=`: what is answered already — published replies,
/// Q&A entries and documents — for the form's live suggestions (JSON).
pub async fn similar(State(state): State<AppState>, Query(q): Query<SimilarQuery>) -> AppResult<axum::Json<serde_json::Value>> {
    let text: String = q.q.trim().chars().take(200).collect();
    if text.chars().count() < 4 {
        return Ok(axum::Json(serde_json::json!({ "replies": [], "answers": [], "documents": [] })));
    }
    let site = default_site(&state).await?;
    let key: String = text.chars().take(12).collect();
    let (replies, _) = state
        .store
        .mailbox_page(
            site.id,
            &MessageFilter {
                published_only: true,
                text: Some(key),
                ..Default::default()
            },
            3,
            0,
        )
        .await?;
    let phones = crate::catalogue::public_phones(&state).await?;
    let replies: Vec<_> = replies
        .iter()
        .map(|m| serde_json::json!({ "href": format!("/mailbox/replies/{}", m.id), "title": gongkai_domain::mailbox::summary(&m.title, &m.content, &phones) }))
        .collect();
    let answers: Vec<_> = match crate::qa::run_match(&state, site.id, &text, gongkai_domain::qa::consult::Channel::Mailbox, 3).await {
        Ok(m) => m
            .matches
            .iter()
            .take(3)
            .map(|x| serde_json::json!({ "href": format!("/qa/entries/{}", x.id), "title": x.question }))
            .collect(),
        Err(_) => vec![],
    };
    let svc = state.search.clone();
    let req = gongkai_search::catalogue::SearchRequest {
        site_id: site.id,
        text: text.clone(),
        unit_ids: vec![],
        column_ids: vec![],
        year: None,
        validity: None,
        kind: None,
        sort: Default::default(),
        offset: 0,
        limit: 3,
    };
    let hits = tokio::task::spawn_blocking(move || svc.index.search(&req))
        .await
        .map_err(|e| anyhow::anyhow!(e))?
        .map(|r| r.hits)
        .unwrap_or_default();
    let mut documents = Vec::new();
    for h in hits {
        if let Ok(d) = state.store.get_document(h.id).await
            && d.state == "published"
        {
            documents.push(serde_json::json!({ "href": format!("/documents/{}", d.id), "title": d.title }));
        }
    }
    Ok(axum::Json(
        serde_json::json!({ "replies": replies, "answers": answers, "documents": documents }),
    ))
}

/// `GET /static/mailbox.js`: live suggestions while typing (the form works without it).
pub async fn script() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../../static/mailbox.js"),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "portal/mailbox_track.html")]
struct TrackT {
    page: Page,
    code: String,
    asked: bool,
    just_created: bool,
    m: Option<Tracked>,
    error: Option<String>,
    done: Option<String>,
    ratings: Vec<(u8, &'static str)>,
}

pub struct Tracked {
    pub code: String,
    pub title: String,
    pub category: &'static str,
    pub status: &'static str,
    pub received_on: String,
    pub due_on: String,
    pub unit: String,
    pub reply: String,
    pub replied_on: String,
    pub outcome: &'static str,
    pub outcome_note: String,
    pub rating: Option<&'static str>,
    pub may_rate: bool,
    pub may_reopen: bool,
    pub history: Vec<(String, &'static str)>,
}

#[derive(Deserialize, Default)]
pub struct TrackQuery {
    #[serde(default)]
    code: String,
    new: Option<String>,
    error: Option<String>,
    done: Option<String>,
}

fn event_label(kind: &str) -> &'static str {
    match kind {
        "submitted" => "提交留言",
        "accepted" => "审看通过",
        "rejected" => "不予受理",
        "routed" => "转交办理单位",
        "extended" => "延期办理",
        "replied" => "办理单位答复",
        "sent_back" => "答复退回修改",
        "approved" => "答复告知",
        "reopened" => "申请重新办理",
        "rated" => "评价",
        _ => "办理",
    }
}

/// The writer's view of a message by its query code.
pub async fn tracked(state: &AppState, code: &str) -> AppResult<Option<Tracked>> {
    if !is_query_code(code) {
        return Ok(None);
    }
    let Some(m) = state.store.mailbox_by_code(code).await? else {
        return Ok(None);
    };
    let today = state.clock.now().date_naive();
    let status = Status::parse(&m.status).unwrap_or(Status::Submitted);
    let unit = match m.reply_unit_id.or(m.unit_id) {
        Some(u) => state.store.get_unit(u).await.map(|u| u.name).unwrap_or_default(),
        None => String::new(),
    };
    let told = matches!(status, Status::Answered | Status::Rejected);
    let events = state.store.mailbox_events(m.id).await?;
    Ok(Some(Tracked {
        code: m.query_code.clone(),
        title: m.title.clone(),
        category: Category::parse(&m.category).map_or("其他", |c| c.label_zh()),
        status: status.label_zh(),
        received_on: m.received_on.clone(),
        due_on: m.due_on.clone().filter(|_| status.is_unanswered()).unwrap_or_default(),
        unit,
        reply: if told {
            m.reply_text.clone().unwrap_or_default()
        } else {
            String::new()
        },
        replied_on: m.notified_on.clone().unwrap_or_default(),
        outcome: if told {
            m.outcome
                .as_deref()
                .and_then(gongkai_domain::mailbox::Outcome::parse)
                .map_or("", |o| o.label_zh())
        } else {
            ""
        },
        outcome_note: if told {
            m.outcome_note.clone().unwrap_or_default()
        } else {
            String::new()
        },
        rating: m.rating.map(|r| rating_label(r as u8)),
        may_rate: status == Status::Answered && m.rating.is_none(),
        may_reopen: status == Status::Answered && may_reopen(m.notified_on.as_deref().and_then(super::day), today),
        history: events
            .iter()
            .filter(|e| e.kind != "sent_back")
            .map(|e| (e.occurred_on.clone(), event_label(&e.kind)))
            .collect(),
    }))
}

/// `GET /mailbox/track?code=`.
pub async fn track(State(state): State<AppState>, ctx: RequestCtx, Query(q): Query<TrackQuery>) -> AppResult<Response> {
    let code = q.code.trim().to_ascii_uppercase();
    let m = tracked(&state, &code).await?;
    let page = portal_page(&state, &ctx, "留言查询").await?;
    render(&TrackT {
        page,
        asked: !code.is_empty(),
        just_created: q.new.is_some() && m.is_some(),
        code,
        m,
        error: q.error,
        done: q.done,
        ratings: (1..=5).rev().map(|r| (r, rating_label(r))).collect(),
    })
}

#[derive(Deserialize)]
pub struct RateForm {
    code: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    note: String,
}

fn back(code: &str, key: &str, msg: &str) -> Response {
    Redirect::to(&format!(
        "/mailbox/track?code={}&{key}={}",
        urlencoding::encode(code),
        urlencoding::encode(msg)
    ))
    .into_response()
}

/// `POST /mailbox/track/rate`.
pub async fn rate_post(State(state): State<AppState>, Form(f): Form<RateForm>) -> AppResult<Response> {
    let code = f.code.trim().to_ascii_uppercase();
    let m = match is_query_code(&code) {
        true => state.store.mailbox_by_code(&code).await?,
        false => None,
    }
    .ok_or_else(AppError::not_found)?;
    let rating = f.rating.trim().parse::<u8>().unwrap_or(0);
    Ok(match rate(&state, &m, rating, &f.note).await? {
        Ok(()) => back(&code, "done", "感谢您的评价"),
        Err(e) => back(&code, "error", e),
    })
}

#[derive(Deserialize)]
pub struct ReopenForm {
    code: String,
    #[serde(default)]
    reason: String,
}

/// `POST /mailbox/track/reopen`: within 15 days of the reply, the writer
/// asks for the message to be handled again.
pub async fn reopen_post(State(state): State<AppState>, Form(f): Form<ReopenForm>) -> AppResult<Response> {
    let code = f.code.trim().to_ascii_uppercase();
    let m = match is_query_code(&code) {
        true => state.store.mailbox_by_code(&code).await?,
        false => None,
    }
    .ok_or_else(AppError::not_found)?;
    let site = crate::tasks::site_of(&state, m.site_id).await?;
    let reason: String = f.reason.trim().chars().take(2000).collect();
    Ok(
        match super::act(&state, "public:writer", &site, &m, Action::Reopen { reason }).await? {
            Ok(()) => back(&code, "done", "已申请重新办理，办理单位将重新答复"),
            Err(e) => back(&code, "error", e.message_zh()),
        },
    )
}

#[derive(Template)]
#[template(path = "portal/mailbox_replies.html")]
struct RepliesT {
    page: Page,
    items: Vec<PublicMessage>,
    total: i64,
    page_no: u64,
    pages: u64,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<u64>,
}

async fn unit_names(state: &AppState) -> AppResult<HashMap<i64, String>> {
    Ok(state.store.list_units().await?.into_iter().map(|u| (u.id, u.name)).collect())
}

/// `GET /mailbox/replies`: the published messages, newest first.
pub async fn replies(State(state): State<AppState>, ctx: RequestCtx, Query(q): Query<PageQuery>) -> AppResult<Response> {
    const PER: u64 = 20;
    let site = default_site(&state).await?;
    let page_no = q.page.unwrap_or(1).clamp(1, 10_000);
    let (rows, total) = state
        .store
        .mailbox_page(
            site.id,
            &MessageFilter {
                published_only: true,
                ..Default::default()
            },
            PER,
            (page_no - 1) * PER,
        )
        .await?;
    let names = unit_names(&state).await?;
    let phones = crate::catalogue::public_phones(&state).await?;
    let page = portal_page(&state, &ctx, "留言答复选登").await?;
    render(&RepliesT {
        page,
        items: rows.iter().map(|m| public_view(m, &names, &phones)).collect(),
        total,
        page_no,
        pages: (total as u64).div_ceil(PER).max(1),
    })
}

#[derive(Template)]
#[template(path = "portal/mailbox_reply.html")]
struct ReplyT {
    page: Page,
    m: PublicMessage,
}

/// `GET /mailbox/replies/{id}`.
pub async fn reply(State(state): State<AppState>, ctx: RequestCtx, Path(id): Path<i64>) -> AppResult<Response> {
    let m = state.store.mailbox_message(id).await?;
    if !m.published {
        return Err(AppError::not_found());
    }
    let names = unit_names(&state).await?;
    let phones = crate::catalogue::public_phones(&state).await?;
    let page = portal_page(&state, &ctx, "留言答复").await?;
    render(&ReplyT {
        page,
        m: public_view(&m, &names, &phones),
    })
}

#[derive(Template)]
#[template(path = "portal/mailbox_stats.html")]
struct StatsT {
    page: Page,
    year: i32,
    total: super::StatLine,
    units: Vec<super::StatLine>,
    months: Vec<super::StatLine>,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<String>,
}

/// `GET /mailbox/stats?year=`.
pub async fn stats(State(state): State<AppState>, ctx: RequestCtx, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let site = default_site(&state).await?;
    let year = q
        .year
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| state.clock.now().date_naive().year());
    let (total, units, months) = super::stats(&state, &site, year).await?;
    let page = portal_page(&state, &ctx, "公开信箱统计").await?;
    render(&StatsT {
        page,
        year,
        total,
        units,
        months,
    })
}

/// A published commitment: unit, category, event, promise, promised on,
/// due on, state and result (masked).
type CommitmentLine = (String, &'static str, String, String, String, String, String, String);

#[derive(Template)]
#[template(path = "portal/commitments.html")]
struct CommitmentsT {
    page: Page,
    items: Vec<CommitmentLine>,
}

/// `GET /mailbox/commitments`: the published commitments and their results.
pub async fn commitments(State(state): State<AppState>, ctx: RequestCtx) -> AppResult<Response> {
    let site = default_site(&state).await?;
    let names = unit_names(&state).await?;
    let phones = crate::catalogue::public_phones(&state).await?;
    let mask = |s: &str| gongkai_domain::mailbox::mask_for_publication(s, &phones);
    let items = state
        .store
        .commitments(site.id, true)
        .await?
        .into_iter()
        .map(|c| {
            (
                names.get(&c.unit_id).cloned().unwrap_or_default(),
                OpinionCategory::parse(&c.category).map_or("", |k| k.label_zh()),
                mask(&c.event),
                mask(&c.promise),
                c.promised_on,
                c.due_on,
                if c.status == "fulfilled" {
                    "已兑现".to_owned()
                } else {
                    "跟进中".to_owned()
                },
                mask(c.result.as_deref().unwrap_or_default()),
            )
        })
        .collect();
    let page = portal_page(&state, &ctx, "舆情回应承诺").await?;
    render(&CommitmentsT { page, items })
}
