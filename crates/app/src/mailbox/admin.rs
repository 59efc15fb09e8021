//! Admin pages of the mailbox: the ledger with counts and the
//! oldest-unanswered view (the three-month veto made impossible to miss),
//! a message with the actions its state allows, the phone ledger with the
//! office's checks of each unit's public number, and the commitments.

use super::{handles, is_office, may_view};
use crate::auth::{Session, Staff};
use crate::catalogue::portal::default_site;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Outcome as ActionOutcome, Page, admin_page, redirect_done, redirect_error, render, with_outcome};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::Response;
use gongkai_domain::mailbox::{
    Action, CALL_REPLY_DAYS, Category, OpinionCategory, Outcome, RejectReason, Status, VetoRisk, commitment_overdue, veto_cutoff, veto_risk,
};
use gongkai_store::accounts::{Site, Unit};
use gongkai_store::mailbox::{MessageFilter, MessageRow};
use serde::Deserialize;
use std::collections::HashMap;

pub struct Line {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub category: &'static str,
    pub status: &'static str,
    pub unit: String,
    pub received_on: String,
    pub due_on: String,
    pub overdue: bool,
    pub risk: &'static str,
}

#[derive(Template)]
#[template(path = "admin/mailbox.html")]
struct LedgerT {
    page: Page,
    lines: Vec<Line>,
    counts: Vec<(&'static str, &'static str, i64)>,
    vetoed: i64,
    cutoff: String,
    oldest: bool,
    status_filter: String,
    text: String,
    total: i64,
    page_no: u64,
    pages: u64,
}

#[derive(Deserialize, Default)]
pub struct LedgerQuery {
    view: Option<String>,
    status: Option<String>,
    q: Option<String>,
    page: Option<u64>,
    done: Option<String>,
    error: Option<String>,
}

fn line(m: &MessageRow, names: &HashMap<i64, String>, today: chrono::NaiveDate) -> Line {
    let status = Status::parse(&m.status).unwrap_or(Status::Submitted);
    let received = super::day(&m.received_on).unwrap_or(today);
    Line {
        id: m.id,
        code: m.query_code.clone(),
        title: crate::qa::shorten(&m.title, 40),
        category: Category::parse(&m.category).map_or("其他", |c| c.label_zh()),
        status: status.label_zh(),
        unit: m.unit_id.and_then(|u| names.get(&u).cloned()).unwrap_or_default(),
        received_on: m.received_on.clone(),
        due_on: m.due_on.clone().filter(|_| status.is_unanswered()).unwrap_or_default(),
        overdue: status.is_unanswered() && m.due_on.as_deref().and_then(super::day).is_some_and(|d| d < today),
        risk: if status.is_unanswered() {
            match veto_risk(received, today) {
                VetoRisk::Vetoed => "超过3个月未答复",
                VetoRisk::Near => "已超过2个月",
                VetoRisk::None => "",
            }
        } else {
            ""
        },
    }
}

/// `GET /admin/mailbox`: the ledger; `?view=oldest` lists the unanswered
/// messages oldest first.
pub async fn ledger(State(state): State<AppState>, Staff(session, ctx): Staff, Query(q): Query<LedgerQuery>) -> AppResult<Response> {
    if !may_view(&session) {
        return Err(AppError::forbidden());
    }
    const PER: u64 = 50;
    let site = default_site(&state).await?;
    let units = state.store.list_units().await?;
    let unit_ids = crate::foi::admin::visible_units(&session, &site, &units);
    let today = state.clock.now().date_naive();
    let oldest = q.view.as_deref() == Some("oldest");
    let status_filter = q.status.clone().filter(|s| Status::parse(s).is_some()).unwrap_or_default();
    let text: String = q.q.clone().unwrap_or_default().trim().chars().take(100).collect();
    let page_no = q.page.unwrap_or(1).clamp(1, 10_000);
    let filter = MessageFilter {
        status: (!status_filter.is_empty()).then(|| status_filter.clone()),
        unanswered: oldest,
        unit_ids: unit_ids.clone(),
        text: (!text.is_empty()).then(|| text.clone()),
        oldest_first: oldest,
        published_only: false,
        received_before: None,
    };
    let (rows, total) = state.store.mailbox_page(site.id, &filter, PER, (page_no - 1) * PER).await?;
    let names: HashMap<i64, String> = units.iter().map(|u| (u.id, u.name.clone())).collect();
    let raw = state.store.mailbox_counts(site.id, unit_ids.as_deref()).await?;
    let counts = Status::ALL
        .iter()
        .map(|s| (s.as_str(), s.label_zh(), raw.iter().find(|r| r.0 == s.as_str()).map_or(0, |r| r.1)))
        .collect();
    let cutoff = veto_cutoff(today);
    let vetoed = state.store.mailbox_count(site.id, &veto_filter(unit_ids.clone(), cutoff)).await?;
    let page = with_outcome(admin_page(&state, &session, &ctx, "公开信箱").await?, q.done, q.error);
    render(&LedgerT {
        page,
        lines: rows.iter().map(|m| line(m, &names, today)).collect(),
        counts,
        vetoed,
        cutoff: cutoff.to_string(),
        oldest,
        status_filter,
        text,
        total,
        page_no,
        pages: (total as u64).div_ceil(PER).max(1),
    })
}

#[derive(Template)]
#[template(path = "admin/mailbox_message.html")]
struct MessageT {
    page: Page,
    m: MessageRow,
    category: &'static str,
    status: &'static str,
    outcome: &'static str,
    unit: String,
    suggested: Option<(i64, String, String)>,
    addressee: String,
    office: bool,
    may_reply: bool,
    units: Vec<(i64, String)>,
    reasons: Vec<(&'static str, &'static str)>,
    outcomes: Vec<(&'static str, &'static str)>,
    history: Vec<(String, String, String, String)>,
    risk: &'static str,
    masked_preview: String,
}

impl MessageT {
    fn is(&self, s: &str) -> bool {
        self.m.status == s
    }
}

/// `GET /admin/mailbox/{id}`.
pub async fn message(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    Query(f): Query<ActionOutcome>,
) -> AppResult<Response> {
    let m = state.store.mailbox_message(id).await?;
    let site = crate::tasks::site_of(&state, m.site_id).await?;
    let units = state.store.list_units().await?;
    let office = is_office(&session, &site, &units);
    let unit = m.unit_id.and_then(|u| units.iter().find(|x| x.id == u));
    let may_reply = office || unit.is_some_and(|u| handles(&session, u));
    let sees =
        office || crate::foi::admin::visible_units(&session, &site, &units).is_some_and(|v| m.unit_id.is_some_and(|u| v.contains(&u)));
    if !sees {
        return Err(AppError::forbidden());
    }
    let names: HashMap<i64, String> = units.iter().map(|u| (u.id, u.name.clone())).collect();
    let today = state.clock.now().date_naive();
    let events = state.store.mailbox_events(id).await?;
    let phones = crate::catalogue::public_phones(&state).await?;
    let status = Status::parse(&m.status).unwrap_or(Status::Submitted);
    let risk = if status.is_unanswered() {
        match veto_risk(super::day(&m.received_on).unwrap_or(today), today) {
            VetoRisk::Vetoed => "该留言超过3个月未答复，将导致网站检查单项否决，请立即督办",
            VetoRisk::Near => "该留言已超过2个月未答复，请尽快办理",
            VetoRisk::None => "",
        }
    } else {
        ""
    };
    let page = with_outcome(admin_page(&state, &session, &ctx, "留言办理").await?, f.done, f.error);
    render(&MessageT {
        page,
        category: Category::parse(&m.category).map_or("其他", |c| c.label_zh()),
        status: status.label_zh(),
        outcome: m.outcome.as_deref().and_then(Outcome::parse).map_or("", |o| o.label_zh()),
        unit: unit.map(|u| u.name.clone()).unwrap_or_default(),
        suggested: m.suggested_unit_id.and_then(|u| {
            names
                .get(&u)
                .map(|n| (u, n.clone(), format!("{:.0}%", m.suggested_score.unwrap_or(0.0) * 100.0)))
        }),
        addressee: m
            .addressee_unit_id
            .and_then(|u| names.get(&u).cloned())
            .unwrap_or_else(|| "不确定".into()),
        office,
        may_reply,
        units: units
            .iter()
            .filter(|u| u.id != site.owner_unit_id && u.active)
            .map(|u| (u.id, u.name.clone()))
            .collect(),
        reasons: RejectReason::ALL.iter().map(|r| (r.as_str(), r.label_zh())).collect(),
        outcomes: [Outcome::Resolved, Outcome::AnsweredUnresolved, Outcome::Transferred]
            .iter()
            .map(|o| (o.as_str(), o.label_zh()))
            .collect(),
        history: events
            .iter()
            .map(|e| {
                (
                    e.occurred_on.clone(),
                    e.kind.clone(),
                    e.note.clone().unwrap_or_default(),
                    e.unit_id.and_then(|u| names.get(&u).cloned()).unwrap_or_default(),
                )
            })
            .collect(),
        risk,
        masked_preview: gongkai_domain::mailbox::mask_for_publication(&m.content, &phones),
        m,
    })
}

#[derive(Deserialize, Default)]
pub struct ActionForm {
    action: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    outcome: String,
}

fn parse_action(f: &ActionForm) -> Result<Action, &'static str> {
    let unit = || f.unit_id.trim().parse::<i64>().map_err(|_| "请选择办理单位");
    Ok(match f.action.as_str() {
        "accept" => Action::Accept {
            unit: f.unit_id.trim().parse::<i64>().ok(),
        },
        "reject" => Action::Reject {
            reason: RejectReason::parse(&f.reason).ok_or("请选择不予受理的理由")?,
            note: f.note.chars().take(500).collect(),
        },
        "route" => Action::Route { unit: unit()? },
        "extend" => Action::Extend {
            days: f.days.trim().parse().map_err(|_| "延期时长应为1至15个工作日")?,
            reason: f.reason.chars().take(500).collect(),
        },
        "reply" => Action::Reply {
            text: f.text.chars().take(5000).collect(),
            outcome: Outcome::parse(&f.outcome).ok_or("请选择办理结果")?,
            note: f.note.chars().take(500).collect(),
        },
        "approve" => Action::Approve,
        "send_back" => Action::SendBack {
            comment: f.note.chars().take(500).collect(),
        },
        _ => return Err("未知的操作"),
    })
}

/// `POST /admin/mailbox/{id}/action`.
pub async fn act(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> AppResult<Response> {
    let m = state.store.mailbox_message(id).await?;
    let back = format!("/admin/mailbox/{id}");
    let action = match parse_action(&f) {
        Ok(a) => a,
        Err(msg) => return Ok(redirect_error(&back, msg)),
    };
    if let Action::Route { unit } | Action::Accept { unit: Some(unit) } = &action
        && state.store.get_unit(*unit).await.is_err()
    {
        return Ok(redirect_error(&back, "所选办理单位不存在"));
    }
    let site = super::require(&state, &session, &m, &action).await?;
    Ok(match super::act(&state, &session.user.username, &site, &m, action).await? {
        Ok(()) => redirect_done(&back, "已办理"),
        Err(e) => redirect_error(&back, e.message_zh()),
    })
}

#[derive(Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    publish: String,
}

/// `POST /admin/mailbox/{id}/publish`.
pub async fn publish(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<PublishForm>,
) -> AppResult<Response> {
    let m = state.store.mailbox_message(id).await?;
    let back = format!("/admin/mailbox/{id}");
    let on = f.publish == "1";
    Ok(match super::set_published(&state, &session, &m, on).await? {
        Ok(()) => redirect_done(
            &back,
            if on {
                "已在“留言答复选登”中公开（个人信息已隐去）"
            } else {
                "已撤下"
            },
        ),
        Err(e) => redirect_error(&back, e),
    })
}

// ------------------------------------------------------------------ phone ledger

pub struct CallLine {
    pub id: i64,
    pub unit: String,
    pub called_at: String,
    pub question: String,
    pub on_spot: bool,
    pub answer: String,
    pub due_on: String,
    pub closed_on: String,
    pub overdue: bool,
    pub may_close: bool,
}

#[derive(Template)]
#[template(path = "admin/mailbox_calls.html")]
struct CallsT {
    page: Page,
    calls: Vec<CallLine>,
    my_units: Vec<(i64, String)>,
    office: bool,
    phones: Vec<(i64, String, String, String, String)>,
    now: String,
}

/// `GET /admin/mailbox/calls`: the phone ledger and, for the office, the
/// checks of each unit's public number.
pub async fn calls(State(state): State<AppState>, Staff(session, ctx): Staff, Query(f): Query<ActionOutcome>) -> AppResult<Response> {
    if !may_view(&session) {
        return Err(AppError::forbidden());
    }
    let site = default_site(&state).await?;
    let units = crate::tasks::site_units(&state, &site).await?;
    let office = is_office(&session, &site, &units);
    let unit_ids = crate::foi::admin::visible_units(&session, &site, &units);
    let names: HashMap<i64, String> = units.iter().map(|u| (u.id, u.name.clone())).collect();
    let today = state.clock.now().date_naive();
    let calls = state
        .store
        .phone_calls(site.id, unit_ids.as_deref(), 200)
        .await?
        .into_iter()
        .map(|c| CallLine {
            id: c.id,
            unit: names.get(&c.unit_id).cloned().unwrap_or_default(),
            called_at: c.called_at.replace('T', " "),
            question: c.question.clone(),
            on_spot: c.answered_on_spot,
            answer: c.answer.clone().unwrap_or_default(),
            due_on: c.due_on.clone().unwrap_or_default(),
            closed_on: c.closed_on.clone().unwrap_or_default(),
            overdue: c.closed_on.is_none() && c.due_on.as_deref().and_then(super::day).is_some_and(|d| d < today),
            may_close: c.closed_on.is_none() && (office || units.iter().find(|u| u.id == c.unit_id).is_some_and(|u| handles(&session, u))),
        })
        .collect();
    let checks = state.store.phone_checks(site.id, 500).await?;
    let phones = units
        .iter()
        .filter(|u| u.phone.as_deref().is_some_and(|p| !p.is_empty()))
        .map(|u| {
            let last = checks.iter().find(|c| c.unit_id == u.id);
            (
                u.id,
                u.name.clone(),
                u.phone.clone().unwrap_or_default(),
                last.map(|c| c.checked_on.clone()).unwrap_or_default(),
                last.map(|c| {
                    format!(
                        "{}{}",
                        if c.answered { "接通" } else { "未接通" },
                        c.note.as_ref().map(|n| format!("（{n}）")).unwrap_or_default()
                    )
                })
                .unwrap_or_else(|| "未检查".into()),
            )
        })
        .collect();
    let page = with_outcome(admin_page(&state, &session, &ctx, "来电台账").await?, f.done, f.error);
    render(&CallsT {
        page,
        calls,
        my_units: units
            .iter()
            .filter(|u| office || handles(&session, u))
            .map(|u| (u.id, u.name.clone()))
            .collect(),
        office,
        phones,
        now: state
            .clock
            .now()
            .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap_or(chrono::FixedOffset::east_opt(0).expect("zero offset")))
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
    })
}

#[derive(Deserialize)]
pub struct CallForm {
    unit_id: i64,
    called_at: String,
    question: String,
    #[serde(default)]
    on_spot: String,
    #[serde(default)]
    answer: String,
}

/// `POST /admin/mailbox/calls`: registers a call; one not answered on the
/// spot is due in 5 working days.
pub async fn add_call(State(state): State<AppState>, Staff(session, _): Staff, Form(f): Form<CallForm>) -> AppResult<Response> {
    let back = "/admin/mailbox/calls";
    let (site, unit) = match acting_for(&state, &session, f.unit_id, back).await? {
        Ok(found) => found,
        Err(back) => return Ok(back),
    };
    let called = chrono::NaiveDateTime::parse_from_str(f.called_at.trim(), "%Y-%m-%dT%H:%M");
    let Ok(called) = called else {
        return Ok(redirect_error(back, "来电时间格式不正确"));
    };
    let question = f.question.trim();
    if question.chars().count() < 4 || question.chars().count() > 2000 {
        return Ok(redirect_error(back, "请填写来电反映的问题（4至2000字）"));
    }
    let on_spot = f.on_spot == "1";
    let answer = f.answer.trim();
    if on_spot && answer.chars().count() < 2 {
        return Ok(redirect_error(back, "当场答复的，请填写答复内容"));
    }
    let cal = state.calendar().await?;
    let due = (!on_spot).then(|| gongkai_domain::dispatch::due_date(&cal, called.date(), CALL_REPLY_DAYS).to_string());
    let at = called.format("%Y-%m-%dT%H:%M").to_string();
    let mut tx = state.store.begin().await?;
    let id = tx
        .insert_phone_call(
            site.id,
            unit.id,
            &at,
            question,
            on_spot,
            (!answer.is_empty()).then_some(answer),
            due.as_deref(),
            &session.user.username,
        )
        .await?;
    tx.audit(
        gongkai_domain::audit::NewEntry::new(session.user.username.clone(), "call.register", "phone_call", id)
            .unit(Some(unit.id))
            .detail(serde_json::json!({ "on_spot": on_spot, "due_on": due })),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_done(
        back,
        if on_spot {
            "已登记（当场答复）"
        } else {
            "已登记，请于5个工作日内答复"
        },
    ))
}

/// The unit a register form names, on the default site, when the staff
/// member may act for it (the office, or the unit's own handlers); `Err` is
/// the redirect back with the message.
async fn acting_for(state: &AppState, session: &Session, unit_id: i64, back: &str) -> AppResult<Result<(Site, Unit), Response>> {
    let site = default_site(state).await?;
    let units = crate::tasks::site_units(state, &site).await?;
    let Some(unit) = units.iter().find(|u| u.id == unit_id).cloned() else {
        return Ok(Err(redirect_error(back, "所选单位不存在")));
    };
    if !(is_office(session, &site, &units) || handles(session, &unit)) {
        return Err(AppError::forbidden());
    }
    Ok(Ok((site, unit)))
}

/// Refuses a staff member who may not act on a call or commitment of
/// `unit_id`; says whether they act as the office.
async fn record_access(state: &AppState, session: &Session, site_id: i64, unit_id: i64) -> AppResult<bool> {
    let site = crate::tasks::site_of(state, site_id).await?;
    let units = state.store.list_units().await?;
    let office = is_office(session, &site, &units);
    let unit = units.iter().find(|u| u.id == unit_id).ok_or_else(AppError::not_found)?;
    if !(office || handles(session, unit)) {
        return Err(AppError::forbidden());
    }
    Ok(office)
}

#[derive(Deserialize)]
pub struct AnswerForm {
    answer: String,
}

/// `POST /admin/mailbox/calls/{id}/close`.
pub async fn close_call(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<AnswerForm>,
) -> AppResult<Response> {
    let back = "/admin/mailbox/calls";
    let c = state.store.phone_call(id).await?;
    record_access(&state, &session, c.site_id, c.unit_id).await?;
    let answer = f.answer.trim();
    if answer.chars().count() < 2 {
        return Ok(redirect_error(back, "请填写答复内容"));
    }
    let today = state.clock.now().date_naive().to_string();
    let mut tx = state.store.begin().await?;
    if !tx.close_phone_call(id, answer, &today).await? {
        return Ok(redirect_error(back, "该来电已答复"));
    }
    tx.audit(gongkai_domain::audit::NewEntry::new(session.user.username.clone(), "call.answer", "phone_call", id).unit(Some(c.unit_id)))
        .await?;
    tx.commit().await?;
    Ok(redirect_done(back, "已记录答复"))
}

#[derive(Deserialize)]
pub struct CheckForm {
    unit_id: i64,
    #[serde(default)]
    answered: String,
    #[serde(default)]
    note: String,
}

/// `POST /admin/mailbox/checks`: the office records a test call to a unit's
/// public number.
pub async fn add_check(State(state): State<AppState>, Staff(session, _): Staff, Form(f): Form<CheckForm>) -> AppResult<Response> {
    let back = "/admin/mailbox/calls";
    let site = default_site(&state).await?;
    let units = crate::tasks::site_units(&state, &site).await?;
    if !is_office(&session, &site, &units) {
        return Err(AppError::forbidden());
    }
    let Some(unit) = units.iter().find(|u| u.id == f.unit_id) else {
        return Ok(redirect_error(back, "所选单位不存在"));
    };
    let phone = unit.phone.clone().unwrap_or_default();
    if phone.is_empty() {
        return Ok(redirect_error(back, "该单位没有公布对外联系电话"));
    }
    let today = state.clock.now().date_naive().to_string();
    let note: String = f.note.trim().chars().take(200).collect();
    let answered = f.answered == "1";
    let mut tx = state.store.begin().await?;
    let id = tx
        .insert_phone_check(
            site.id,
            unit.id,
            &phone,
            &today,
            answered,
            (!note.is_empty()).then_some(note.as_str()),
            &session.user.username,
        )
        .await?;
    tx.audit(
        gongkai_domain::audit::NewEntry::new(session.user.username.clone(), "call.check", "phone_check", id)
            .unit(Some(unit.id))
            .detail(serde_json::json!({ "answered": answered })),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_done(back, "已记录检查结果"))
}

// ------------------------------------------------------------------ commitments

pub struct CommitmentLine {
    pub id: i64,
    pub unit: String,
    pub category: &'static str,
    pub event: String,
    pub promise: String,
    pub owner: String,
    pub promised_on: String,
    pub due_on: String,
    pub fulfilled: bool,
    pub result: String,
    pub overdue: bool,
    pub published: bool,
    pub updates: Vec<(String, String)>,
    pub may_edit: bool,
}

#[derive(Template)]
#[template(path = "admin/mailbox_commitments.html")]
struct CommitmentsT {
    page: Page,
    items: Vec<CommitmentLine>,
    my_units: Vec<(i64, String)>,
    categories: Vec<(&'static str, &'static str)>,
    office: bool,
    today: String,
}

/// `GET /admin/mailbox/commitments`.
pub async fn commitments(State(state): State<AppState>, Staff(session, ctx): Staff, Query(f): Query<ActionOutcome>) -> AppResult<Response> {
    if !may_view(&session) {
        return Err(AppError::forbidden());
    }
    let site = default_site(&state).await?;
    let units = crate::tasks::site_units(&state, &site).await?;
    let office = is_office(&session, &site, &units);
    let names: HashMap<i64, String> = units.iter().map(|u| (u.id, u.name.clone())).collect();
    let today = state.clock.now().date_naive();
    let mut items = Vec::new();
    for c in state.store.commitments(site.id, false).await? {
        let due = super::day(&c.due_on).unwrap_or(today);
        let may_edit = office || units.iter().find(|u| u.id == c.unit_id).is_some_and(|u| handles(&session, u));
        items.push(CommitmentLine {
            id: c.id,
            unit: names.get(&c.unit_id).cloned().unwrap_or_default(),
            category: OpinionCategory::parse(&c.category).map_or("", |k| k.label_zh()),
            event: c.event.clone(),
            promise: c.promise.clone(),
            owner: c.owner.clone(),
            promised_on: c.promised_on.clone(),
            due_on: c.due_on.clone(),
            fulfilled: c.status == "fulfilled",
            result: c.result.clone().unwrap_or_default(),
            overdue: commitment_overdue(due, c.fulfilled_on.as_deref().and_then(super::day), today),
            published: c.published,
            updates: state
                .store
                .commitment_updates(c.id)
                .await?
                .into_iter()
                .map(|u| (u.occurred_on, u.note))
                .collect(),
            may_edit,
        });
    }
    let page = with_outcome(admin_page(&state, &session, &ctx, "舆情承诺台账").await?, f.done, f.error);
    render(&CommitmentsT {
        page,
        items,
        my_units: units
            .iter()
            .filter(|u| office || handles(&session, u))
            .map(|u| (u.id, u.name.clone()))
            .collect(),
        categories: OpinionCategory::ALL.iter().map(|c| (c.as_str(), c.label_zh())).collect(),
        office,
        today: today.to_string(),
    })
}

#[derive(Deserialize)]
pub struct CommitmentForm {
    unit_id: i64,
    category: String,
    event: String,
    promise: String,
    owner: String,
    promised_on: String,
    due_on: String,
}

/// `POST /admin/mailbox/commitments`.
pub async fn add_commitment(State(state): State<AppState>, Staff(session, _): Staff, Form(f): Form<CommitmentForm>) -> AppResult<Response> {
    let back = "/admin/mailbox/commitments";
    let (site, unit) = match acting_for(&state, &session, f.unit_id, back).await? {
        Ok(found) => found,
        Err(back) => return Ok(back),
    };
    let Some(category) = OpinionCategory::parse(&f.category) else {
        return Ok(redirect_error(back, "请选择舆情类别"));
    };
    let (event, promise, owner) = (f.event.trim(), f.promise.trim(), f.owner.trim());
    if event.chars().count() < 4 || promise.chars().count() < 4 || owner.is_empty() {
        return Ok(redirect_error(back, "请填写舆情事件、承诺内容和责任人"));
    }
    let (Some(promised), Some(due)) = (super::day(f.promised_on.trim()), super::day(f.due_on.trim())) else {
        return Ok(redirect_error(back, "承诺日期和兑现期限应为有效日期"));
    };
    if due < promised {
        return Ok(redirect_error(back, "兑现期限不能早于承诺日期"));
    }
    let mut tx = state.store.begin().await?;
    let id = tx
        .insert_commitment(
            site.id,
            unit.id,
            category.as_str(),
            event,
            promise,
            owner,
            &promised.to_string(),
            &due.to_string(),
            &session.user.username,
        )
        .await?;
    tx.audit(
        gongkai_domain::audit::NewEntry::new(session.user.username.clone(), "commitment.create", "commitment", id)
            .unit(Some(unit.id))
            .detail(serde_json::json!({ "category": category.as_str(), "due_on": due.to_string() })),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_done(back, "已登记承诺"))
}

#[derive(Deserialize)]
pub struct CommitmentUpdateForm {
    #[serde(default)]
    op: String,
    #[serde(default)]
    note: String,
}

/// `POST /admin/mailbox/commitments/{id}`: a follow-up note (`op=note`),
/// the fulfilment with its result (`op=fulfil`), or publication
/// (`op=publish` / `op=unpublish`, office only).
pub async fn update_commitment(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<CommitmentUpdateForm>,
) -> AppResult<Response> {
    let back = "/admin/mailbox/commitments";
    let c = state.store.commitment(id).await?;
    let office = record_access(&state, &session, c.site_id, c.unit_id).await?;
    let note: String = f.note.trim().chars().take(2000).collect();
    let today = state.clock.now().date_naive().to_string();
    let mut tx = state.store.begin().await?;
    let (action, msg) = match f.op.as_str() {
        "note" if note.chars().count() >= 2 => {
            tx.add_commitment_update(id, &note, &today, &session.user.username).await?;
            ("commitment.follow_up", "已记录跟进情况")
        }
        "fulfil" if note.chars().count() >= 4 => {
            if !tx.fulfil_commitment(id, &note, &today).await? {
                return Ok(redirect_error(back, "该承诺已兑现"));
            }
            tx.add_commitment_update(id, &format!("兑现：{note}"), &today, &session.user.username)
                .await?;
            ("commitment.fulfil", "已记录兑现结果")
        }
        "publish" | "unpublish" if office => {
            tx.set_commitment_published(id, f.op == "publish").await?;
            ("commitment.publish", if f.op == "publish" { "已公开" } else { "已撤下" })
        }
        "publish" | "unpublish" => return Err(AppError::forbidden()),
        _ => return Ok(redirect_error(back, "请填写跟进情况或兑现结果")),
    };
    tx.audit(
        gongkai_domain::audit::NewEntry::new(session.user.username.clone(), action, "commitment", id)
            .unit(Some(c.unit_id))
            .detail(serde_json::json!({ "op": f.op })),
    )
    .await?;
    tx.commit().await?;
    state.content_changed();
    Ok(redirect_done(back, msg))
}

/// The number of unanswered messages past the veto, for the admin dashboard.
pub async fn vetoed_count(state: &AppState, session: &Session) -> AppResult<i64> {
    let site = default_site(state).await?;
    let units = state.store.list_units().await?;
    let unit_ids = crate::foi::admin::visible_units(session, &site, &units);
    let cutoff = veto_cutoff(state.clock.now().date_naive());
    Ok(state.store.mailbox_count(site.id, &veto_filter(unit_ids, cutoff)).await?)
}

/// Unanswered messages received before the veto's cut-off.
fn veto_filter(unit_ids: Option<Vec<i64>>, cutoff: chrono::NaiveDate) -> MessageFilter {
    MessageFilter {
        unanswered: true,
        unit_ids,
        received_before: Some(cutoff.to_string()),
        ..Default::default()
    }
}
