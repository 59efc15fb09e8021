//! The public 一网答 pages: ask a question and get the answer at once, a
//! choice of close questions, or a form that registers it for the
//! responsible unit; an entry's page with its policies and feedback; a
//! ticket's status page; the published replies.

use super::{ConsultInput, Matched, log_answered, run_match, ticket_of};
use crate::auth::RequestCtx;
use crate::catalogue::portal::default_site;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Page, portal_page, render};
use askama::Template;
use axum::Json;
use axum::extract::{Form, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::qa::{Channel, ConsultState, Outcome, ReplyVia};
use gongkai_store::qa::{ConsultationRow, QaEntryRow};
use serde::Deserialize;

pub struct LinkLine {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub flagged: Option<String>,
}

async fn links(state: &AppState, entry_id: i64) -> AppResult<Vec<LinkLine>> {
    let today = state.clock.now().date_naive();
    Ok(state
        .store
        .qa_links_of(entry_id)
        .await?
        .into_iter()
        .filter(|d| d.state == "published")
        .map(|d| {
            let v = crate::catalogue::current_validity(&d, today);
            LinkLine {
                id: d.id,
                kind: if d.kind == "interpretation" {
                    "政策解读"
                } else {
                    "政策文件"
                },
                flagged: gongkai_domain::catalogue::needs_banner(v).then(|| v.label_zh().to_string()),
                title: d.title,
            }
        })
        .collect())
}

#[derive(Deserialize, Default)]
pub struct AskQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "portal/qa.html")]
struct QaT {
    page: Page,
    q: String,
    asked: bool,
    outcome: &'static str,
    answer: Option<QaEntryRow>,
    answer_links: Vec<LinkLine>,
    others: Vec<super::MatchView>,
    form: RegisterForm,
    error: Option<String>,
    reply_days: u32,
}

/// The registration form's fields (kept on errors so nothing typed is lost).
#[derive(Deserialize, Default, Clone)]
pub struct RegisterForm {
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_phone: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub reply_via: String,
    #[serde(default)]
    pub publish_consent: Option<String>,
}

/// `GET /qa`: the ask box, and with `q` the library's answer.
pub async fn ask(State(state): State<AppState>, ctx: RequestCtx, Query(q): Query<AskQuery>) -> AppResult<Response> {
    let site = default_site(&state).await?;
    let page = portal_page(&state, &ctx, "政策咨询（一网答）").await?;
    let question: String = q.q.trim().chars().take(500).collect();
    let mut t = QaT {
        page,
        q: question.clone(),
        asked: !question.is_empty(),
        outcome: "",
        answer: None,
        answer_links: Vec::new(),
        others: Vec::new(),
        form: RegisterForm {
            question: question.clone(),
            reply_via: "none".into(),
            ..Default::default()
        },
        error: None,
        reply_days: site.settings.qa_reply_days,
    };
    if !question.is_empty() {
        let m: Matched = run_match(&state, site.id, &question, Channel::Web, 5).await?;
        t.outcome = m.outcome.as_str();
        match m.outcome {
            Outcome::Answer => {
                let top = m.entries[0].clone();
                log_answered(&state, site.id, Channel::Web, &question, top.id, m.matches[0].score, None).await?;
                t.answer_links = links(&state, top.id).await?;
                t.answer = Some(top);
                t.others = m
                    .matches
                    .into_iter()
                    .skip(1)
                    .filter(|v| v.score >= super::THRESHOLDS.suggest)
                    .collect();
            }
            Outcome::Suggest => {
                t.others = m.matches.into_iter().filter(|v| v.score >= super::THRESHOLDS.suggest).collect();
            }
            Outcome::Abstain => {}
        }
    }
    let mut res = render(&t)?;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().expect("static header"));
    Ok(res)
}

#[derive(Template)]
#[template(path = "portal/qa_ticket.html")]
struct TicketT {
    page: Page,
    c: ConsultationRow,
    ticket: String,
    state_label: &'static str,
    reply_via: &'static str,
    just_created: bool,
    link: String,
}

/// `POST /qa/ask`: registers the question for the responsible unit.
pub async fn register(State(state): State<AppState>, ctx: RequestCtx, Form(f): Form<RegisterForm>) -> AppResult<Response> {
    let site = default_site(&state).await?;
    let input = ConsultInput {
        question: f.question.clone(),
        contact_name: Some(f.contact_name.clone()),
        contact_phone: Some(f.contact_phone.clone()),
        contact_email: Some(f.contact_email.clone()),
        reply_via: Some(ReplyVia::parse(&f.reply_via).unwrap_or(ReplyVia::None)),
        publish_consent: f.publish_consent.is_some(),
        unit_id: None,
        external_ref: None,
    };
    let input = match input.validate() {
        Ok(i) => i,
        Err(e) => {
            let page = portal_page(&state, &ctx, "政策咨询（一网答）").await?;
            let mut res = render(&QaT {
                page,
                q: f.question.clone(),
                asked: true,
                outcome: "abstain",
                answer: None,
                answer_links: Vec::new(),
                others: Vec::new(),
                form: f,
                error: Some(e.message),
                reply_days: site.settings.qa_reply_days,
            })?;
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(res);
        }
    };
    let m = run_match(&state, site.id, &input.question, Channel::Web, 3).await?;
    let c = super::register(&state, &site, Channel::Web, &input, Some(&m), None).await?;
    let link = format!("/qa/tickets/{}?key={}", c.id, c.access_key);
    let page = portal_page(&state, &ctx, "咨询已登记").await?;
    let mut res = render(&TicketT {
        ticket: ticket_of(&c),
        state_label: ConsultState::Open.label_zh(),
        reply_via: ReplyVia::parse(&c.reply_via).unwrap_or(ReplyVia::None).label_zh(),
        page,
        c,
        just_created: true,
        link,
    })?;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().expect("static header"));
    Ok(res)
}

#[derive(Deserialize)]
pub struct KeyQuery {
    key: Option<String>,
}

/// `GET /qa/tickets/{id}?key=…`: the consultant's view of the ticket.
pub async fn ticket(State(state): State<AppState>, ctx: RequestCtx, Path(id): Path<i64>, Query(k): Query<KeyQuery>) -> AppResult<Response> {
    let c = state.store.consultation(id).await.map_err(|_| AppError::not_found())?;
    let key = k.key.unwrap_or_default();
    if !crate::auth::constant_time_eq(&key, &c.access_key) {
        return Err(AppError::not_found());
    }
    let page = portal_page(&state, &ctx, "咨询办理情况").await?;
    let link = format!("/qa/tickets/{}?key={}", c.id, c.access_key);
    let mut res = render(&TicketT {
        ticket: ticket_of(&c),
        state_label: ConsultState::parse(&c.state).map_or("", |s| s.label_zh()),
        reply_via: ReplyVia::parse(&c.reply_via).unwrap_or(ReplyVia::None).label_zh(),
        page,
        c,
        just_created: false,
        link,
    })?;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().expect("static header"));
    res.headers_mut()
        .insert(header::REFERRER_POLICY, "no-referrer".parse().expect("static header"));
    Ok(res)
}

#[derive(Template)]
#[template(path = "portal/qa_entry.html")]
struct EntryT {
    page: Page,
    e: QaEntryRow,
    links: Vec<LinkLine>,
    thanks: bool,
}

#[derive(Deserialize)]
pub struct EntryQuery {
    thanks: Option<String>,
}

/// `GET /qa/entries/{id}`: a published entry.
pub async fn entry(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<EntryQuery>,
) -> AppResult<Response> {
    let e = state.store.qa_entry(id).await.map_err(|_| AppError::not_found())?;
    if e.state != "published" {
        return Err(AppError::not_found());
    }
    let page = portal_page(&state, &ctx, &e.question).await?;
    let links = links(&state, id).await?;
    render(&EntryT {
        page,
        e,
        links,
        thanks: q.thanks.is_some(),
    })
}

#[derive(Deserialize)]
pub struct FeedbackForm {
    helpful: String,
}

/// `POST /qa/entries/{id}/feedback`: 有帮助 / 没帮助.
pub async fn feedback(State(state): State<AppState>, Path(id): Path<i64>, Form(f): Form<FeedbackForm>) -> AppResult<Response> {
    let helpful = match f.helpful.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::bad_request("评价参数有误")),
    };
    let mut tx = state.store.begin().await?;
    if tx.count_qa_feedback(id, helpful).await? == 0 {
        return Err(AppError::not_found());
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/qa/entries/{id}?thanks=1#feedback")).into_response())
}

#[derive(serde::Serialize)]
struct Suggestion {
    question: String,
    url: String,
    score: f32,
}

/// `GET /qa/suggest?q=…`: live suggestions while typing (JSON).
pub async fn suggest(State(state): State<AppState>, Query(q): Query<AskQuery>) -> AppResult<Response> {
    let text: String = q.q.trim().chars().take(200).collect();
    if text.chars().count() < 2 {
        return Ok(Json(Vec::<Suggestion>::new()).into_response());
    }
    let site = default_site(&state).await.map_err(AppError::json)?;
    let m = run_match(&state, site.id, &text, Channel::Web, 5).await.map_err(AppError::json)?;
    let out: Vec<Suggestion> = m
        .matches
        .into_iter()
        .filter(|v| v.score >= 0.15)
        .map(|v| Suggestion {
            question: v.question,
            url: v.url,
            score: v.score,
        })
        .collect();
    Ok(Json(out).into_response())
}

#[derive(Template)]
#[template(path = "portal/qa_replies.html")]
struct RepliesT {
    page: Page,
    replies: Vec<ConsultationRow>,
}

/// `GET /qa/replies`: replies the consultants agreed to publish.
pub async fn replies(State(state): State<AppState>, ctx: RequestCtx) -> AppResult<Response> {
    let site = default_site(&state).await?;
    let page = portal_page(&state, &ctx, "咨询答复公开").await?;
    let mut replies = state.store.published_replies(site.id, 50).await?;
    // Published questions never show what identifies the consultant.
    for r in &mut replies {
        r.question = gongkai_domain::privacy::mask_all(&r.question, &gongkai_domain::privacy::scan(&r.question, &Default::default()));
    }
    render(&RepliesT { page, replies })
}

/// `GET /static/qa.js`: live suggestions for the ask box (the page works without it).
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/qa.js"),
    )
        .into_response()
}
