//! Admin pages of the policy Q&A library: the entry list and editor
//! (editors draft, reviewers publish, retire and clear review flags), the
//! synonym table, the agent screen for the hotline, phones and window, the
//! consultation ledger with replies and conversion into entries, and the
//! reports (volumes, answered-at-once rate, on-time rate, the library's gaps).

use super::{ConsultInput, MatchView, entry_fields, parse_day, run_match, ticket_of};
use crate::auth::{Session, Staff};
use crate::catalogue::portal::default_site;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Page, admin_page, render};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::accounts::{Action, Scope};
use gongkai_domain::audit::NewEntry;
use gongkai_domain::qa::stats::{Tally, percent};
use gongkai_domain::qa::{Channel, ConsultState, EntryState, NewEntryText, ReplyVia, SynonymTable};
use gongkai_store::accounts::Unit;
use gongkai_store::qa::{ConsultationFilter, ConsultationRow, GapRow, QaEntryFilter, QaEntryRow};
use serde::Deserialize;
use std::collections::HashMap;

const PAGE: u64 = 50;

fn may(session: &Session, action: Action, unit: Option<&Unit>) -> bool {
    match unit {
        Some(u) => session.can(action, Scope::Unit(&u.unit_path())),
        None => session.can(action, Scope::Global) || session.is_system_admin(),
    }
}

fn unit_of(units: &[Unit], id: Option<i64>) -> Option<&Unit> {
    id.and_then(|id| units.iter().find(|u| u.id == id))
}

fn library_user(session: &Session) -> bool {
    session.can_somewhere(Action::EditContent) || session.can_somewhere(Action::ReviewContent)
}

fn case_user(session: &Session) -> bool {
    session.can_somewhere(Action::HandleCases) || session.can_somewhere(Action::ViewDashboards)
}

pub struct EntryLine {
    pub id: i64,
    pub question: String,
    pub unit: String,
    pub state: &'static str,
    pub needs_review: bool,
    pub hits: i64,
    pub helpful: i64,
    pub unhelpful: i64,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "admin/qa_entries.html")]
struct EntriesT {
    page: Page,
    lines: Vec<EntryLine>,
    total: i64,
    page_no: u64,
    pages: u64,
    state_filter: String,
    review_filter: bool,
    text: String,
    can_create: bool,
    query_base: String,
}

#[derive(Deserialize, Default)]
pub struct EntriesQuery {
    state: Option<String>,
    review: Option<String>,
    q: Option<String>,
    page: Option<u64>,
}

/// `GET /admin/qa`: the library's entries.
pub async fn entries(State(state): State<AppState>, Staff(session, ctx): Staff, Query(q): Query<EntriesQuery>) -> AppResult<Response> {
    if !library_user(&session) {
        return Err(AppError::forbidden());
    }
    let site = default_site(&state).await?;
    let state_filter = q.state.clone().filter(|s| EntryState::parse(s).is_some()).unwrap_or_default();
    let review_filter = q.review.as_deref() == Some("1");
    let text = q.q.clone().unwrap_or_default().trim().chars().take(100).collect::<String>();
    let filter = QaEntryFilter {
        state: (!state_filter.is_empty()).then(|| state_filter.clone()),
        needs_review: review_filter.then_some(true),
        unit_id: None,
        text: (!text.is_empty()).then(|| text.clone()),
    };
    let page_no = q.page.unwrap_or(1).clamp(1, 10_000);
    let (rows, total) = state.store.qa_entries_page(site.id, &filter, PAGE, (page_no - 1) * PAGE).await?;
    let lines = rows
        .into_iter()
        .map(|r| EntryLine {
            id: r.id,
            state: EntryState::parse(&r.state).map_or("", |s| s.label_zh()),
            needs_review: r.needs_review,
            hits: r.hits,
            helpful: r.helpful,
            unhelpful: r.unhelpful,
            updated: r.updated_at.get(..16).unwrap_or("").replace('T', " "),
            unit: r.unit_name,
            question: r.question,
        })
        .collect();
    let page = admin_page(&state, &session, &ctx, "政策咨询问答库").await?;
    let query_base = format!(
        "/admin/qa?state={}&review={}&q={}",
        state_filter,
        if review_filter { "1" } else { "" },
        urlencoding::encode(&text)
    );
    render(&EntriesT {
        page,
        lines,
        total,
        page_no,
        pages: (total as u64).div_ceil(PAGE).max(1),
        state_filter,
        review_filter,
        text,
        can_create: session.can_somewhere(Action::EditContent),
        query_base,
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct EntryForm {
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub similar: String,
    #[serde(default)]
    pub answer: String,
    #[serde(default)]
    pub hotline_script: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub officer: String,
    #[serde(default)]
    pub valid_until: String,
    #[serde(default)]
    pub links: String,
}

#[derive(Template)]
#[template(path = "admin/qa_form.html")]
struct FormT {
    page: Page,
    id: Option<i64>,
    f: EntryForm,
    units: Vec<(i64, String)>,
    error: Option<String>,
    entry: Option<QaEntryRow>,
    linked: Vec<(i64, String, String)>,
    may_review: bool,
    state_label: &'static str,
}

async fn editable_units(state: &AppState, session: &Session) -> AppResult<Vec<Unit>> {
    Ok(state
        .store
        .list_units()
        .await?
        .into_iter()
        .filter(|u| session.can(Action::EditContent, Scope::Unit(&u.unit_path())))
        .collect())
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    staff: &Staff,
    id: Option<i64>,
    f: EntryForm,
    error: Option<String>,
    flash: Option<String>,
) -> AppResult<Response> {
    let Staff(session, ctx) = staff;
    let units = editable_units(state, session).await?;
    let all_units = state.store.list_units().await?;
    let entry = match id {
        Some(id) => Some(state.store.qa_entry(id).await?),
        None => None,
    };
    let linked = match id {
        Some(id) => state
            .store
            .qa_links_of(id)
            .await?
            .into_iter()
            .map(|d| {
                (
                    d.id,
                    d.title,
                    gongkai_domain::catalogue::Validity::parse(&d.validity)
                        .map_or("", |v| v.label_zh())
                        .to_string(),
                )
            })
            .collect(),
        None => Vec::new(),
    };
    let may_review = entry
        .as_ref()
        .is_some_and(|e| may(session, Action::ReviewContent, unit_of(&all_units, e.unit_id)));
    let state_label = entry
        .as_ref()
        .and_then(|e| EntryState::parse(&e.state))
        .map_or("新建", |s| s.label_zh());
    let mut page = admin_page(state, session, ctx, if id.is_some() { "编辑问答" } else { "新建问答" }).await?;
    if let Some(t) = flash {
        page = page.flash("ok", t);
    }
    let mut res = render(&FormT {
        page,
        id,
        f,
        units: units.into_iter().map(|u| (u.id, u.name)).collect(),
        error: error.clone(),
        entry,
        linked,
        may_review,
        state_label,
    })?;
    if error.is_some() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /admin/qa/new`.
pub async fn new_page(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    if !staff.0.can_somewhere(Action::EditContent) {
        return Err(AppError::forbidden());
    }
    form_page(&state, &staff, None, EntryForm::default(), None, None).await
}

/// A checked entry form.
struct Checked {
    text: NewEntryText,
    fields: gongkai_store::qa::QaEntryFields,
    links: Vec<i64>,
}

async fn check(state: &AppState, session: &Session, f: &EntryForm, site_id: i64) -> Result<Checked, String> {
    let similar: Vec<String> = f.similar.lines().map(str::to_string).collect();
    let text = NewEntryText::parse(&f.question, &f.answer, &similar).map_err(|e| e.to_string())?;
    let units = state.store.list_units().await.map_err(|_| "读取单位失败".to_string())?;
    let unit = match f.unit_id.trim() {
        "" => None,
        s => {
            let id: i64 = s.parse().map_err(|_| "请选择答复单位".to_string())?;
            Some(units.iter().find(|u| u.id == id).ok_or("答复单位不存在")?.clone())
        }
    };
    if !may(session, Action::EditContent, unit.as_ref()) {
        return Err("您无权编辑该单位的问答".into());
    }
    let valid_until = match f.valid_until.trim() {
        "" => None,
        s => Some(
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| "有效期格式应为 YYYY-MM-DD".to_string())?
                .to_string(),
        ),
    };
    let mut links = Vec::new();
    for part in f.links.split([',', '，', ' ', '、', '\n']).map(str::trim).filter(|s| !s.is_empty()) {
        let id: i64 = part.parse().map_err(|_| format!("关联文件编号“{part}”不是数字"))?;
        let docs = state.store.documents_by_ids(&[id]).await.map_err(|_| "读取文件失败".to_string())?;
        match docs.first() {
            Some(d) if d.site_id == site_id => links.push(id),
            _ => return Err(format!("关联文件 {id} 不存在")),
        }
    }
    let officer = Some(f.officer.trim().to_string()).filter(|s| !s.is_empty());
    if officer.as_ref().is_some_and(|o| o.chars().count() > 50) {
        return Err("政策解读专员不能超过50个字".into());
    }
    let script = Some(f.hotline_script.trim().to_string()).filter(|s| !s.is_empty());
    if script.as_ref().is_some_and(|o| o.chars().count() > 2000) {
        return Err("热线口径不能超过2000个字".into());
    }
    let fields = entry_fields(
        &text.question,
        &text.answer,
        script,
        unit.as_ref().map(|u| u.id),
        unit.as_ref().map(|u| u.name.clone()).unwrap_or_default(),
        officer,
        valid_until,
    );
    Ok(Checked { text, fields, links })
}

/// `POST /admin/qa`: creates a draft entry.
pub async fn create(State(state): State<AppState>, staff: Staff, Form(f): Form<EntryForm>) -> AppResult<Response> {
    if !staff.0.can_somewhere(Action::EditContent) {
        return Err(AppError::forbidden());
    }
    let site = default_site(&state).await?;
    let c = match check(&state, &staff.0, &f, site.id).await {
        Ok(c) => c,
        Err(e) => return form_page(&state, &staff, None, f, Some(e), None).await,
    };
    let actor = staff.0.user.username.clone();
    let mut tx = state.store.begin().await?;
    let id = tx.insert_qa_entry(site.id, None, &c.fields, "draft", "manual", &actor).await?;
    tx.set_qa_similar(id, &c.text.similar).await?;
    tx.set_qa_links(id, &c.links).await?;
    tx.audit(NewEntry::new(actor, "qa.entry.create", "qa_entry", id).unit(c.fields.unit_id))
        .await?;
    tx.commit().await?;
    state.qa.invalidate();
    Ok(Redirect::to(&format!("/admin/qa/{id}?saved=1")).into_response())
}

#[derive(Deserialize)]
pub struct ShowQuery {
    saved: Option<String>,
}

/// `GET /admin/qa/{id}`: the editor of one entry.
pub async fn edit_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    if !library_user(&staff.0) {
        return Err(AppError::forbidden());
    }
    let e = state.store.qa_entry(id).await?;
    let similar = state.store.qa_similar_of(&[id]).await?;
    let links = state.store.qa_links_of(id).await?;
    let f = EntryForm {
        question: e.question.clone(),
        similar: similar.into_iter().map(|s| s.question).collect::<Vec<_>>().join("\n"),
        answer: e.answer.clone(),
        hotline_script: e.hotline_script.clone().unwrap_or_default(),
        unit_id: e.unit_id.map(|u| u.to_string()).unwrap_or_default(),
        officer: e.officer.clone().unwrap_or_default(),
        valid_until: e.valid_until.clone().unwrap_or_default(),
        links: links.iter().map(|d| d.id.to_string()).collect::<Vec<_>>().join(", "),
    };
    form_page(&state, &staff, Some(id), f, None, q.saved.map(|_| "已保存。".to_string())).await
}

/// `POST /admin/qa/{id}`: saves an entry (a published entry stays published).
pub async fn update(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>, Form(f): Form<EntryForm>) -> AppResult<Response> {
    let e = state.store.qa_entry(id).await?;
    let units = state.store.list_units().await?;
    if !may(&staff.0, Action::EditContent, unit_of(&units, e.unit_id)) {
        return Err(AppError::forbidden());
    }
    let c = match check(&state, &staff.0, &f, e.site_id).await {
        Ok(c) => c,
        Err(err) => return form_page(&state, &staff, Some(id), f, Some(err), None).await,
    };
    let actor = staff.0.user.username.clone();
    let mut tx = state.store.begin().await?;
    tx.update_qa_entry(id, &c.fields).await?;
    tx.set_qa_similar(id, &c.text.similar).await?;
    tx.set_qa_links(id, &c.links).await?;
    tx.audit(
        NewEntry::new(actor, "qa.entry.update", "qa_entry", id)
            .unit(c.fields.unit_id)
            .detail(serde_json::json!({ "similar": c.text.similar.len(), "links": c.links })),
    )
    .await?;
    tx.commit().await?;
    state.qa.invalidate();
    Ok(Redirect::to(&format!("/admin/qa/{id}?saved=1")).into_response())
}

#[derive(Deserialize)]
pub struct ActForm {
    action: String,
}

/// `POST /admin/qa/{id}/action`: publish, retire, back to draft, reviewed, delete.
pub async fn act(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>, Form(f): Form<ActForm>) -> AppResult<Response> {
    let e = state.store.qa_entry(id).await?;
    let units = state.store.list_units().await?;
    let unit = unit_of(&units, e.unit_id);
    let actor = staff.0.user.username.clone();
    let needed = if f.action == "draft" {
        Action::EditContent
    } else {
        Action::ReviewContent
    };
    if !may(&staff.0, needed, unit) {
        return Err(AppError::forbidden());
    }
    let mut tx = state.store.begin().await?;
    let action = match f.action.as_str() {
        "publish" => {
            tx.set_qa_state(id, EntryState::Published.as_str()).await?;
            "qa.entry.publish"
        }
        "retire" => {
            tx.set_qa_state(id, EntryState::Retired.as_str()).await?;
            "qa.entry.retire"
        }
        "draft" => {
            tx.set_qa_state(id, EntryState::Draft.as_str()).await?;
            "qa.entry.draft"
        }
        "reviewed" => {
            tx.set_qa_review(id, false, None).await?;
            "qa.entry.reviewed"
        }
        "delete" => {
            tx.delete_qa_entry(id).await?;
            "qa.entry.delete"
        }
        _ => return Err(AppError::bad_request("未知操作")),
    };
    tx.audit(
        NewEntry::new(actor, action, "qa_entry", id)
            .unit(e.unit_id)
            .detail(serde_json::json!({ "question": e.question })),
    )
    .await?;
    tx.commit().await?;
    state.qa.invalidate();
    if f.action == "delete" {
        return Ok(Redirect::to("/admin/qa").into_response());
    }
    Ok(Redirect::to(&format!("/admin/qa/{id}?saved=1")).into_response())
}

#[derive(Template)]
#[template(path = "admin/qa_synonyms.html")]
struct SynonymsT {
    page: Page,
    body: String,
    groups: usize,
    errors: Vec<String>,
}

/// `GET /admin/qa/synonyms`.
pub async fn synonyms_page(State(state): State<AppState>, Staff(session, ctx): Staff) -> AppResult<Response> {
    if !library_user(&session) {
        return Err(AppError::forbidden());
    }
    let site = default_site(&state).await?;
    let body = state
        .store
        .qa_synonyms(site.id)
        .await?
        .unwrap_or_else(|| gongkai_domain::qa::synonyms::DEFAULT_SYNONYMS.to_string());
    let (t, errors) = SynonymTable::parse(&body);
    let page = admin_page(&state, &session, &ctx, "同义词表").await?;
    render(&SynonymsT {
        page,
        body,
        groups: t.groups().len(),
        errors: errors.into_iter().map(|e| e.message).collect(),
    })
}

#[derive(Deserialize)]
pub struct SynonymsForm {
    body: String,
}

/// `POST /admin/qa/synonyms`: saves the table (lines with errors are kept
/// in the text and reported, but not used).
pub async fn save_synonyms(State(state): State<AppState>, Staff(session, ctx): Staff, Form(f): Form<SynonymsForm>) -> AppResult<Response> {
    if !session.can_somewhere(Action::ReviewContent) && !session.is_system_admin() {
        return Err(AppError::forbidden());
    }
    let site = default_site(&state).await?;
    if f.body.chars().count() > 200_000 {
        return Err(AppError::bad_request("同义词表过长"));
    }
    let (t, errors) = SynonymTable::parse(&f.body);
    let mut tx = state.store.begin().await?;
    tx.set_qa_synonyms(site.id, &f.body, &session.user.username).await?;
    tx.audit(
        NewEntry::new(session.user.username.clone(), "qa.synonyms.update", "site", site.id)
            .detail(serde_json::json!({ "groups": t.groups().len(), "errors": errors.len() })),
    )
    .await?;
    tx.commit().await?;
    state.qa.invalidate();
    let mut page = admin_page(&state, &session, &ctx, "同义词表").await?;
    page = page.flash("ok", format!("已保存：{} 组同义词。", t.groups().len()));
    render(&SynonymsT {
        page,
        body: f.body,
        groups: t.groups().len(),
        errors: errors.into_iter().map(|e| e.message).collect(),
    })
}

#[derive(Template)]
#[template(path = "admin/qa_agent.html")]
struct AgentT {
    page: Page,
    q: String,
    channel: String,
    channels: Vec<(&'static str, &'static str)>,
    outcome: &'static str,
    matches: Vec<MatchView>,
    terms: Vec<String>,
    units: Vec<(i64, String)>,
    form: AgentRegister,
    error: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
pub struct AgentQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    channel: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct AgentRegister {
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub channel: String,
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
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub external_ref: String,
}

fn agent_channels() -> Vec<(&'static str, &'static str)> {
    [Channel::Hotline, Channel::Phone, Channel::Window, Channel::Mailbox, Channel::Web]
        .into_iter()
        .map(|c| (c.as_str(), c.label_zh()))
        .collect()
}

async fn agent_view(
    state: &AppState,
    staff: &Staff,
    q: AgentQuery,
    form: AgentRegister,
    error: Option<String>,
    flash: Option<String>,
) -> AppResult<Response> {
    let Staff(session, ctx) = staff;
    let site = default_site(state).await?;
    let channel = Channel::parse(&q.channel).unwrap_or(Channel::Hotline);
    let question: String = q.q.trim().chars().take(500).collect();
    let (outcome, matches, terms) = if question.is_empty() {
        ("", Vec::new(), Vec::new())
    } else {
        let m = run_match(state, site.id, &question, channel, 5).await?;
        (m.outcome.as_str(), m.matches, m.terms)
    };
    let units = state.store.list_units().await?.into_iter().map(|u| (u.id, u.name)).collect();
    let mut page = admin_page(state, session, ctx, "咨询受理").await?;
    if let Some(f) = flash {
        page = page.flash("ok", f);
    }
    let mut form = form;
    if form.question.is_empty() {
        form.question = question.clone();
    }
    let mut res = render(&AgentT {
        page,
        q: question,
        channel: channel.as_str().into(),
        channels: agent_channels(),
        outcome,
        matches,
        terms,
        units,
        form,
        error: error.clone(),
    })?;
    if error.is_some() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /admin/qa/agent`: the agent screen (12345 热线、对外联系电话、综合窗口).
pub async fn agent(State(state): State<AppState>, staff: Staff, Query(q): Query<AgentQuery>) -> AppResult<Response> {
    if !staff.0.can_somewhere(Action::HandleCases) {
        return Err(AppError::forbidden());
    }
    agent_view(&state, &staff, q, AgentRegister::default(), None, None).await
}

#[derive(Deserialize)]
pub struct AnsweredForm {
    question: String,
    channel: String,
    entry_id: i64,
    score: Option<f32>,
}

/// `POST /admin/qa/agent/answered`: logs a consultation answered at once.
pub async fn agent_answered(State(state): State<AppState>, staff: Staff, Form(f): Form<AnsweredForm>) -> AppResult<Response> {
    if !staff.0.can_somewhere(Action::HandleCases) {
        return Err(AppError::forbidden());
    }
    let site = default_site(&state).await?;
    let channel = Channel::parse(&f.channel).ok_or_else(|| AppError::bad_request("渠道参数有误"))?;
    let e = state
        .store
        .qa_entry(f.entry_id)
        .await
        .map_err(|_| AppError::bad_request("问答条目不存在"))?;
    if e.question.is_empty() || f.question.trim().is_empty() {
        return Err(AppError::bad_request("咨询问题不能为空"));
    }
    let id = super::log_answered(
        &state,
        site.id,
        channel,
        &f.question,
        e.id,
        f.score.unwrap_or(1.0),
        Some(&staff.0.user.username),
    )
    .await?;
    let c = state.store.consultation(id).await?;
    agent_view(
        &state,
        &staff,
        AgentQuery::default(),
        AgentRegister::default(),
        None,
        Some(format!("已记录当场答复（{}）。", ticket_of(&c))),
    )
    .await
}

/// `POST /admin/qa/agent/register`: registers the consultation as a ticket.
pub async fn agent_register(State(state): State<AppState>, staff: Staff, Form(f): Form<AgentRegister>) -> AppResult<Response> {
    if !staff.0.can_somewhere(Action::HandleCases) {
        return Err(AppError::forbidden());
    }
    let site = default_site(&state).await?;
    let channel = Channel::parse(&f.channel).unwrap_or(Channel::Hotline);
    let unit_id = match f.unit_id.trim() {
        "" => None,
        s => Some(s.parse::<i64>().map_err(|_| AppError::bad_request("承办单位参数有误"))?),
    };
    let input = ConsultInput {
        question: f.question.clone(),
        contact_name: Some(f.contact_name.clone()),
        contact_phone: Some(f.contact_phone.clone()),
        contact_email: Some(f.contact_email.clone()),
        reply_via: Some(ReplyVia::parse(&f.reply_via).unwrap_or(ReplyVia::Phone)),
        publish_consent: f.publish_consent.is_some(),
        unit_id,
        external_ref: Some(f.external_ref.clone()),
    };
    let q = AgentQuery {
        q: f.question.clone(),
        channel: channel.as_str().into(),
    };
    let input = match input.validate() {
        Ok(i) => i,
        Err(e) => return agent_view(&state, &staff, q, f, Some(e.message), None).await,
    };
    let m = run_match(&state, site.id, &input.question, channel, 3).await?;
    let c = super::register(&state, &site, channel, &input, Some(&m), Some(&staff.0.user.username)).await?;
    Ok(Redirect::to(&format!("/admin/qa/tickets/{}?created=1", c.id)).into_response())
}

pub struct TicketLine {
    pub id: i64,
    pub ticket: String,
    pub channel: &'static str,
    pub question: String,
    pub unit: String,
    pub state: &'static str,
    pub due_on: String,
    pub overdue: bool,
    pub escalated: bool,
    pub created: String,
}

#[derive(Template)]
#[template(path = "admin/qa_tickets.html")]
struct TicketsT {
    page: Page,
    lines: Vec<TicketLine>,
    total: i64,
    state_filter: String,
    overdue_filter: bool,
    page_no: u64,
    pages: u64,
    query_base: String,
}

#[derive(Deserialize, Default)]
pub struct TicketsQuery {
    state: Option<String>,
    overdue: Option<String>,
    page: Option<u64>,
}

/// Units whose tickets the user may see: everything for the office (a grant
/// on the site's owner unit) and system administrators, else their subtree.
fn ticket_units(session: &Session, site: &gongkai_store::accounts::Site, units: &[Unit]) -> Option<Vec<i64>> {
    let owner = unit_of(units, Some(site.owner_unit_id));
    let office = unit_of(units, Some(super::office_of(site)));
    if session.is_system_admin()
        || [owner, office]
            .into_iter()
            .any(|u| may(session, Action::HandleCases, u) || may(session, Action::ViewDashboards, u))
    {
        return None;
    }
    Some(
        units
            .iter()
            .filter(|u| may(session, Action::HandleCases, Some(u)) || may(session, Action::ViewDashboards, Some(u)))
            .map(|u| u.id)
            .collect(),
    )
}

/// Is an open ticket past its due date?
fn overdue(c: &ConsultationRow, today: chrono::NaiveDate) -> bool {
    c.state == ConsultState::Open.as_str() && parse_day(&c.due_on).is_some_and(|due| today > due)
}

/// `GET /admin/qa/tickets`: the consultation ledger.
pub async fn tickets(State(state): State<AppState>, Staff(session, ctx): Staff, Query(q): Query<TicketsQuery>) -> AppResult<Response> {
    if !case_user(&session) {
        return Err(AppError::forbidden());
    }
    let site = default_site(&state).await?;
    let today = state.clock.now().date_naive();
    let state_filter = q.state.clone().filter(|s| ConsultState::parse(s).is_some()).unwrap_or_default();
    let overdue_filter = q.overdue.as_deref() == Some("1");
    let all_units = state.store.list_units().await?;
    let filter = ConsultationFilter {
        state: (!state_filter.is_empty()).then(|| state_filter.clone()),
        channel: None,
        unit_ids: ticket_units(&session, &site, &all_units),
        due_before: overdue_filter.then(|| today.to_string()),
    };
    let page_no = q.page.unwrap_or(1).clamp(1, 10_000);
    let (rows, total) = state.store.consultations_page(site.id, &filter, PAGE, (page_no - 1) * PAGE).await?;
    let units: HashMap<i64, String> = all_units.into_iter().map(|u| (u.id, u.name)).collect();
    let lines = rows
        .iter()
        .map(|c| TicketLine {
            id: c.id,
            ticket: ticket_of(c),
            channel: Channel::parse(&c.channel).map_or("", |c| c.label_zh()),
            question: super::shorten(&c.question, 60),
            unit: c.unit_id.and_then(|u| units.get(&u).cloned()).unwrap_or_default(),
            state: ConsultState::parse(&c.state).map_or("", |s| s.label_zh()),
            due_on: c.due_on.clone().unwrap_or_default(),
            overdue: overdue(c, today),
            escalated: c.escalated_at.is_some(),
            created: c.created_at.get(..16).unwrap_or("").replace('T', " "),
        })
        .collect();
    let page = admin_page(&state, &session, &ctx, "咨询登记台账").await?;
    let query_base = format!(
        "/admin/qa/tickets?state={state_filter}&overdue={}",
        if overdue_filter { "1" } else { "" }
    );
    render(&TicketsT {
        page,
        lines,
        total,
        state_filter,
        overdue_filter,
        page_no,
        pages: (total as u64).div_ceil(PAGE).max(1),
        query_base,
    })
}

#[derive(Template)]
#[template(path = "admin/qa_ticket.html")]
struct TicketT {
    page: Page,
    c: ConsultationRow,
    ticket: String,
    channel: &'static str,
    state_label: &'static str,
    reply_via: &'static str,
    unit: String,
    matched: Option<QaEntryRow>,
    units: Vec<(i64, String)>,
    may_handle: bool,
    may_edit_library: bool,
    overdue: bool,
}

#[derive(Deserialize, Default)]
pub struct TicketQuery {
    created: Option<String>,
    done: Option<String>,
}

/// A ticket the user may see, whether they may handle it, and the units.
async fn load_ticket(state: &AppState, session: &Session, id: i64) -> AppResult<(ConsultationRow, bool, Vec<Unit>)> {
    let c = state.store.consultation(id).await?;
    let site = default_site(state).await?;
    if c.site_id != site.id {
        return Err(AppError::not_found());
    }
    let all = state.store.list_units().await?;
    if let Some(units) = ticket_units(session, &site, &all)
        && !c.unit_id.is_some_and(|u| units.contains(&u))
    {
        return Err(AppError::forbidden());
    }
    let owner = unit_of(&all, Some(site.owner_unit_id));
    let office = unit_of(&all, Some(super::office_of(&site)));
    let may_handle = may(session, Action::HandleCases, unit_of(&all, c.unit_id))
        || may(session, Action::HandleCases, owner)
        || may(session, Action::HandleCases, office)
        || session.is_system_admin();
    Ok((c, may_handle, all))
}

/// `GET /admin/qa/tickets/{id}`.
pub async fn ticket(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    Query(q): Query<TicketQuery>,
) -> AppResult<Response> {
    if !case_user(&session) {
        return Err(AppError::forbidden());
    }
    let (c, may_handle, units) = load_ticket(&state, &session, id).await?;
    let unit = unit_of(&units, c.unit_id).map(|u| u.name.clone()).unwrap_or_default();
    let matched = match c.matched_entry_id {
        Some(e) => state.store.qa_entry(e).await.ok(),
        None => None,
    };
    let today = state.clock.now().date_naive();
    let mut page = admin_page(&state, &session, &ctx, "咨询详情").await?;
    if q.created.is_some() {
        page = page.flash("ok", format!("已登记，编号 {}，已交办承办单位。", ticket_of(&c)));
    } else if let Some(d) = q.done {
        page = page.flash("ok", d);
    }
    render(&TicketT {
        page,
        ticket: ticket_of(&c),
        channel: Channel::parse(&c.channel).map_or("", |c| c.label_zh()),
        state_label: ConsultState::parse(&c.state).map_or("", |s| s.label_zh()),
        reply_via: ReplyVia::parse(&c.reply_via).unwrap_or(ReplyVia::None).label_zh(),
        overdue: overdue(&c, today),
        unit,
        matched,
        units: units.into_iter().map(|u| (u.id, u.name)).collect(),
        may_handle,
        may_edit_library: session.can_somewhere(Action::EditContent),
        c,
    })
}

#[derive(Deserialize)]
pub struct ReplyForm {
    reply: String,
    publish: Option<String>,
}

/// `POST /admin/qa/tickets/{id}/reply`.
pub async fn reply(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<ReplyForm>,
) -> AppResult<Response> {
    let (c, may_handle, _) = load_ticket(&state, &session, id).await?;
    if !may_handle {
        return Err(AppError::forbidden());
    }
    super::reply(&state, &session.user.username, &c, &f.reply, f.publish.is_some()).await?;
    Ok(Redirect::to(&format!(
        "/admin/qa/tickets/{id}?done={}",
        urlencoding::encode("已答复，答复已发送给咨询人。")
    ))
    .into_response())
}

#[derive(Deserialize)]
pub struct AssignForm {
    unit_id: i64,
}

/// `POST /admin/qa/tickets/{id}/assign`: hands the ticket to another unit.
pub async fn assign(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<AssignForm>,
) -> AppResult<Response> {
    let (c, may_handle, _) = load_ticket(&state, &session, id).await?;
    if !may_handle {
        return Err(AppError::forbidden());
    }
    if c.state != "open" {
        return Err(AppError::conflict("已答复的咨询不能再转办"));
    }
    state
        .store
        .get_unit(f.unit_id)
        .await
        .map_err(|_| AppError::bad_request("承办单位不存在"))?;
    let mut tx = state.store.begin().await?;
    tx.assign_consultation(id, f.unit_id).await?;
    tx.audit(
        NewEntry::new(session.user.username.clone(), "consultation.assign", "consultation", id)
            .unit(Some(f.unit_id))
            .detail(serde_json::json!({ "from": c.unit_id, "to": f.unit_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/qa/tickets/{id}?done={}", urlencoding::encode("已转办。"))).into_response())
}

#[derive(Deserialize)]
pub struct ToEntryForm {
    mode: String,
    question: Option<String>,
    answer: Option<String>,
    entry_id: Option<String>,
}

/// `POST /admin/qa/tickets/{id}/library`: one click from a reply to a new
/// entry (a draft for review) or to a similar question of an entry.
pub async fn to_library(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<ToEntryForm>,
) -> AppResult<Response> {
    if !session.can_somewhere(Action::EditContent) {
        return Err(AppError::forbidden());
    }
    let (c, ..) = load_ticket(&state, &session, id).await?;
    let actor = session.user.username.clone();
    match f.mode.as_str() {
        "entry" => {
            let q = f.question.unwrap_or_else(|| c.question.clone());
            let a = f.answer.or_else(|| c.reply.clone()).unwrap_or_default();
            let entry = super::reply_to_entry(&state, &actor, &c, &q, &a).await?;
            Ok(Redirect::to(&format!("/admin/qa/{entry}?saved=1")).into_response())
        }
        "similar" => {
            let entry: i64 = f
                .entry_id
                .as_deref()
                .map(str::trim)
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| AppError::bad_request("请填写问答条目编号"))?;
            super::question_to_similar(&state, &actor, &c, entry).await?;
            Ok(Redirect::to(&format!("/admin/qa/{entry}?saved=1")).into_response())
        }
        _ => Err(AppError::bad_request("未知操作")),
    }
}

pub struct CountLine {
    pub label: String,
    pub t: Tally,
}

impl CountLine {
    fn new(label: String) -> CountLine {
        CountLine {
            label,
            t: Tally::default(),
        }
    }

    pub fn at_once_rate(&self) -> String {
        percent(self.t.at_once_rate())
    }

    pub fn on_time_rate(&self) -> String {
        percent(self.t.on_time_rate())
    }
}

#[derive(Template)]
#[template(path = "admin/qa_reports.html")]
struct ReportsT {
    page: Page,
    from: String,
    to: String,
    all: CountLine,
    by_channel: Vec<CountLine>,
    by_unit: Vec<CountLine>,
    gaps: Vec<GapRow>,
}

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
}

/// `GET /admin/qa/reports`.
pub async fn reports(State(state): State<AppState>, Staff(session, ctx): Staff, Query(q): Query<ReportQuery>) -> AppResult<Response> {
    if !case_user(&session) && !library_user(&session) {
        return Err(AppError::forbidden());
    }
    let site = default_site(&state).await?;
    let today = state.clock.now().date_naive();
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|s| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
    };
    let from = parse(&q.from).unwrap_or_else(|| today.with_day0(0).unwrap_or(today) - chrono::Months::new(2));
    let to = parse(&q.to).unwrap_or(today);
    let (from_ts, to_ts) = (from.to_string(), (to + chrono::Days::new(1)).to_string());
    let rows = state.store.consultation_stats(site.id, &from_ts, &to_ts).await?;
    let units: HashMap<i64, String> = state.store.list_units().await?.into_iter().map(|u| (u.id, u.name)).collect();
    let mut all = CountLine::new("合计".into());
    let mut by_channel: Vec<CountLine> = Channel::ALL.iter().map(|c| CountLine::new(c.label_zh().into())).collect();
    let mut by_unit: HashMap<i64, CountLine> = HashMap::new();
    for r in &rows {
        let ci = Channel::ALL.iter().position(|c| c.as_str() == r.channel).unwrap_or(0);
        let st = ConsultState::parse(&r.state).unwrap_or(ConsultState::Replied);
        let (due, replied) = (parse_day(&r.due_on), parse_day(&r.replied_on));
        all.t.add(st, due, replied);
        by_channel[ci].t.add(st, due, replied);
        if st != ConsultState::Answered
            && let Some(u) = r.unit_id
        {
            by_unit
                .entry(u)
                .or_insert_with(|| CountLine::new(units.get(&u).cloned().unwrap_or_default()))
                .t
                .add(st, due, replied);
        }
    }
    let mut by_unit: Vec<CountLine> = by_unit.into_values().collect();
    by_unit.sort_by(|a, b| b.t.registered.cmp(&a.t.registered).then(a.label.cmp(&b.label)));
    let gaps = state.store.qa_gaps(site.id, &from_ts, &to_ts, 30).await?;
    let page = admin_page(&state, &session, &ctx, "咨询统计").await?;
    render(&ReportsT {
        page,
        from: from.to_string(),
        to: to.to_string(),
        all,
        by_channel,
        by_unit,
        gaps,
    })
}

use chrono::Datelike;
