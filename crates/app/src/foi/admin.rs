//! Admin pages of disclosure on application: the case list with the
//! dashboard counts (open, waiting, overdue), registration of applications
//! received in person, by post or by fax, the case page (applicant, the
//! clock and how its due date was reached, history, letters, fee, reviews
//! and lawsuits) and the statistics (table 三 and 四 of the annual report,
//! on-time rate and average working days), exportable as xlsx.

use super::{Intake, clock_of, create_case, day, letter_context, load_case, office_of, opt_day, record_event};
use crate::auth::{Session, Staff};
use crate::catalogue::portal::default_site;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Page, admin_page, render};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use gongkai_domain::accounts::{Action, Scope};
use gongkai_domain::audit::NewEntry;
use gongkai_domain::calendar::Calendar;
use gongkai_domain::foi::{
    ApplicantType, ApplicationForm, CaseFacts, CaseStatus, Channel, ClockEvent, ClockState, Delivery, FeeMethod, FieldError, FormWanted,
    Handling, LetterKind, Outcome, ReceiptEvents, ReviewKind, ReviewResult, TABLE3_COLUMNS_ZH, TABLE4_COLUMNS_ZH, Table3, Table4, draft,
};
use gongkai_store::accounts::{Site, Unit};
use gongkai_store::foi::{FoiCaseFilter, FoiCaseRow, FoiEventRow, FoiLetterRow, FoiReviewRow};
use serde::Deserialize;
use std::collections::HashMap;

const PAGE: u64 = 50;

fn case_user(session: &Session) -> bool {
    session.can_somewhere(Action::HandleCases) || session.can_somewhere(Action::ViewDashboards)
}

/// The units whose cases the caller may list (`None`: every unit, for the
/// office and system administrators).
pub fn visible_units(session: &Session, site: &Site, units: &[Unit]) -> Option<Vec<i64>> {
    if session.is_system_admin() {
        return None;
    }
    let office = units.iter().find(|u| u.id == office_of(site));
    if office.is_some_and(|o| {
        session.can(Action::HandleCases, Scope::Unit(&o.unit_path())) || session.can(Action::ViewDashboards, Scope::Unit(&o.unit_path()))
    }) {
        return None;
    }
    Some(
        units
            .iter()
            .filter(|u| {
                session.can(Action::HandleCases, Scope::Unit(&u.unit_path()))
                    || session.can(Action::ViewDashboards, Scope::Unit(&u.unit_path()))
            })
            .map(|u| u.id)
            .collect(),
    )
}

pub struct CaseLine {
    pub id: i64,
    pub ref_no: String,
    pub applicant: String,
    pub description: String,
    pub unit: String,
    pub status: &'static str,
    pub received_on: String,
    pub due_on: String,
    pub overdue: bool,
    pub outcome: String,
}

#[derive(Template)]
#[template(path = "admin/foi_cases.html")]
struct CasesT {
    page: Page,
    lines: Vec<CaseLine>,
    counts: Vec<(String, &'static str, i64, i64)>,
    overdue_total: i64,
    total: i64,
    page_no: u64,
    pages: u64,
    status_filter: String,
    overdue_filter: bool,
    text: String,
    year: String,
    statuses: Vec<(&'static str, &'static str)>,
    query_base: String,
    can_register: bool,
}

#[derive(Deserialize, Default)]
pub struct CasesQuery {
    status: Option<String>,
    overdue: Option<String>,
    q: Option<String>,
    year: Option<String>,
    page: Option<u64>,
    done: Option<String>,
}

/// `GET /admin/foi`: the cases and the dashboard counts.
pub async fn cases(State(state): State<AppState>, Staff(session, ctx): Staff, Query(q): Query<CasesQuery>) -> AppResult<Response> {
    if !case_user(&session) {
        return Err(AppError::forbidden());
    }
    let site = default_site(&state).await?;
    let today = state.clock.now().date_naive().to_string();
    let units = state.store.list_units().await?;
    let unit_ids = visible_units(&session, &site, &units);
    let status_filter = q.status.clone().filter(|s| CaseStatus::parse(s).is_some()).unwrap_or_default();
    let overdue_filter = q.overdue.as_deref() == Some("1");
    let text: String = q.q.clone().unwrap_or_default().trim().chars().take(100).collect();
    let year = q.year.clone().unwrap_or_default().trim().to_owned();
    let filter = FoiCaseFilter {
        status: (!status_filter.is_empty()).then(|| status_filter.clone()),
        open: false,
        overdue: overdue_filter,
        unit_ids: unit_ids.clone(),
        year: year.parse().ok().filter(|y| (2000..2100).contains(y)),
        text: (!text.is_empty()).then(|| text.to_ascii_uppercase_if_ref()),
    };
    let page_no = q.page.unwrap_or(1).clamp(1, 10_000);
    let (rows, total) = state
        .store
        .foi_cases_page(site.id, &filter, &today, PAGE, (page_no - 1) * PAGE)
        .await?;
    let names: HashMap<i64, (String, gongkai_domain::accounts::UnitPath)> =
        units.iter().map(|u| (u.id, (u.name.clone(), u.unit_path()))).collect();
    let office_path = names.get(&office_of(&site)).map(|n| n.1.clone());
    let lines = rows
        .into_iter()
        .map(|c| {
            let handle = names
                .get(&c.unit_id)
                .is_some_and(|(_, p)| super::may_handle(&session, p, office_path.as_ref()));
            CaseLine {
                id: c.id,
                applicant: if handle {
                    c.applicant_name.clone()
                } else {
                    "（仅办理人可见）".into()
                },
                description: crate::qa::shorten(&c.description, 40),
                unit: names.get(&c.unit_id).map(|n| n.0.clone()).unwrap_or_default(),
                status: CaseStatus::parse(&c.status).map_or("", |s| s.label_zh()),
                received_on: c.received_on.clone().unwrap_or_else(|| format!("{}（提交）", c.submitted_on)),
                due_on: c.due_on.clone().filter(|_| c.status != "concluded").unwrap_or_default(),
                overdue: c.status != "concluded" && c.due_on.as_deref().is_some_and(|d| d < today.as_str()),
                outcome: c
                    .outcome
                    .as_deref()
                    .and_then(Outcome::from_code)
                    .map(|o| o.full_label_zh())
                    .unwrap_or_default(),
                ref_no: c.ref_no,
            }
        })
        .collect();
    let raw = state.store.foi_counts(site.id, unit_ids.as_deref(), &today).await?;
    let counts: Vec<(String, &'static str, i64, i64)> = CaseStatus::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| {
            let (n, late) = raw.iter().find(|r| r.0 == s.as_str()).map_or((0, 0), |r| (r.1, r.2));
            (s.as_str().to_owned(), s.label_zh(), n, late)
        })
        .collect();
    let overdue_total = counts.iter().map(|c| c.3).sum();
    let mut page = admin_page(&state, &session, &ctx, "依申请公开").await?;
    if let Some(d) = q.done {
        page = page.flash("ok", d);
    }
    let query_base = format!(
        "/admin/foi?status={status_filter}&overdue={}&year={}&q={}",
        if overdue_filter { "1" } else { "" },
        urlencoding::encode(&year),
        urlencoding::encode(&text)
    );
    render(&CasesT {
        page,
        lines,
        counts,
        overdue_total,
        total,
        page_no,
        pages: (total as u64).div_ceil(PAGE).max(1),
        status_filter,
        overdue_filter,
        text,
        year,
        statuses: CaseStatus::ALL.iter().map(|s| (s.as_str(), s.label_zh())).collect(),
        query_base,
        can_register: session.can_somewhere(Action::HandleCases),
    })
}

trait RefUpper {
    fn to_ascii_uppercase_if_ref(&self) -> String;
}

impl RefUpper for String {
    /// Reference numbers are matched exactly; typed in lower case they are
    /// still found.
    fn to_ascii_uppercase_if_ref(&self) -> String {
        if self.to_ascii_uppercase().starts_with("YSQ") {
            self.to_ascii_uppercase()
        } else {
            self.clone()
        }
    }
}

/// The registration form: the application plus channel, dates and unit.
#[derive(Deserialize, Default, Clone)]
pub struct RegisterForm {
    #[serde(flatten)]
    pub app: ApplicationForm,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub received: String,
    #[serde(default)]
    pub unit_id: String,
}

#[derive(Template)]
#[template(path = "admin/foi_new.html")]
struct NewT {
    page: Page,
    f: RegisterForm,
    errors: Vec<FieldError>,
    types: Vec<(&'static str, String)>,
    forms: Vec<(&'static str, &'static str)>,
    deliveries: Vec<(&'static str, &'static str)>,
    channels: Vec<(&'static str, &'static str, &'static str)>,
    units: Vec<(i64, String)>,
}

impl NewT {
    fn error_for(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("；")
    }
}

async fn handler_units(state: &AppState, session: &Session) -> AppResult<Vec<(i64, String)>> {
    Ok(state
        .store
        .list_units()
        .await?
        .into_iter()
        .filter(|u| u.active && session.can(Action::HandleCases, Scope::Unit(&u.unit_path())))
        .map(|u| (u.id, u.name))
        .collect())
}

async fn new_page(state: &AppState, staff: &Staff, f: RegisterForm, errors: Vec<FieldError>) -> AppResult<Response> {
    let Staff(session, ctx) = staff;
    let page = admin_page(state, session, ctx, "登记依申请公开申请").await?;
    render(&NewT {
        page,
        f,
        errors,
        types: ApplicantType::ALL.iter().map(|t| (t.as_str(), t.form_label_zh())).collect(),
        forms: FormWanted::ALL.iter().map(|f| (f.as_str(), f.label_zh())).collect(),
        deliveries: Delivery::ALL.iter().map(|d| (d.as_str(), d.label_zh())).collect(),
        channels: Channel::ALL.iter().map(|c| (c.as_str(), c.label_zh(), c.rule_zh())).collect(),
        units: handler_units(state, session).await?,
    })
}

/// `GET /admin/foi/new`.
pub async fn new_form(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    if !staff.0.can_somewhere(Action::HandleCases) {
        return Err(AppError::forbidden());
    }
    let site = default_site(&state).await?;
    let f = RegisterForm {
        app: ApplicationForm {
            applicant_type: "natural_person".into(),
            form: "paper".into(),
            delivery: "pickup".into(),
            ..Default::default()
        },
        channel: "in_person".into(),
        received: state.clock.now().date_naive().to_string(),
        unit_id: office_of(&site).to_string(),
    };
    new_page(&state, &staff, f, Vec::new()).await
}

/// `POST /admin/foi`: registers an application received in person, by
/// post, by fax or confirmed online.
pub async fn register(State(state): State<AppState>, staff: Staff, Form(f): Form<RegisterForm>) -> AppResult<Response> {
    let session = staff.0.clone();
    if !session.can_somewhere(Action::HandleCases) {
        return Err(AppError::forbidden());
    }
    let mut errors = Vec::new();
    let channel = Channel::parse(&f.channel);
    if channel.is_none() {
        errors.push(FieldError {
            field: "channel",
            message: "请选择申请方式".into(),
        });
    }
    let received = day(f.received.trim());
    if received.is_none() {
        errors.push(FieldError {
            field: "received",
            message: "请填写收到申请之日（格式 2021-09-24）".into(),
        });
    }
    let unit_id: Option<i64> = f.unit_id.trim().parse().ok();
    let unit = match unit_id {
        Some(u) => state.store.get_unit(u).await.ok(),
        None => None,
    };
    match &unit {
        Some(u) if session.can(Action::HandleCases, Scope::Unit(&u.unit_path())) => {}
        Some(_) => errors.push(FieldError {
            field: "unit_id",
            message: "您不能为该单位登记申请".into(),
        }),
        None => errors.push(FieldError {
            field: "unit_id",
            message: "请选择办理单位".into(),
        }),
    }
    let app = match f.app.parse() {
        Ok(a) if errors.is_empty() => a,
        Ok(_) => return new_page(&state, &staff, f, errors).await,
        Err(e) => {
            errors.extend(e);
            return new_page(&state, &staff, f, errors).await;
        }
    };
    let (Some(channel), Some(received)) = (channel, received) else {
        return new_page(&state, &staff, f, errors).await;
    };
    let r = ReceiptEvents::for_channel(channel, received);
    let site = default_site(&state).await?;
    let intake = Intake {
        application: app,
        channel,
        receipt: Some(r),
        unit_id,
        id_file: None,
        parent_id: None,
    };
    match create_case(&state, &site, intake, &session.user.username).await {
        Ok(case) => Ok(Redirect::to(&format!("/admin/foi/{}?done={}", case.id, urlencoding::encode("已登记。"))).into_response()),
        Err(e) if e.status.is_client_error() => {
            errors.push(FieldError {
                field: "received",
                message: e.message.clone(),
            });
            new_page(&state, &staff, f, errors).await
        }
        Err(e) => Err(e),
    }
}

pub struct EventLine {
    pub id: i64,
    pub on: String,
    pub label: String,
    pub days: Option<i64>,
    pub note: String,
    pub actor: String,
    pub deletable: bool,
}

pub struct LetterLine {
    pub l: FoiLetterRow,
    pub kind_label: &'static str,
}

pub struct ReviewLine {
    pub r: FoiReviewRow,
    pub kind: &'static str,
    pub result: &'static str,
}

#[derive(Template)]
#[template(path = "admin/foi_case.html")]
pub struct CaseT {
    pub page: Page,
    pub c: FoiCaseRow,
    pub may_handle: bool,
    pub unit: String,
    pub channel: &'static str,
    pub applicant_type: String,
    pub form_wanted: &'static str,
    pub delivery: &'static str,
    pub status: &'static str,
    pub clock: Option<ClockState>,
    pub outcome: String,
    pub events: Vec<EventLine>,
    pub letters: Vec<LetterLine>,
    pub reviews: Vec<ReviewLine>,
    pub repeats: Vec<(i64, String, f64)>,
    pub units: Vec<(i64, String)>,
    pub event_kinds: Vec<(&'static str, &'static str)>,
    pub letter_kinds: Vec<(String, String)>,
    pub review_kinds: Vec<(&'static str, &'static str)>,
    pub review_results: Vec<(&'static str, &'static str)>,
    pub fee_label: String,
    pub today: String,
    pub open: bool,
}

/// Builds the case page (also used by the benchmark).
#[allow(clippy::too_many_arguments)]
pub fn case_template(
    page: Page,
    c: FoiCaseRow,
    may_handle: bool,
    unit: String,
    clock: Option<ClockState>,
    events: &[FoiEventRow],
    letters: Vec<FoiLetterRow>,
    reviews: Vec<FoiReviewRow>,
    repeats: Vec<(i64, String, f64)>,
    units: Vec<(i64, String)>,
    today: NaiveDate,
) -> CaseT {
    let last_clock = events
        .iter()
        .rev()
        .find(|e| ClockEvent::label_zh(&e.kind).is_some() && e.kind != "received")
        .map(|e| e.id);
    let events = events
        .iter()
        .map(|e| EventLine {
            id: e.id,
            on: e.occurred_on.clone(),
            label: ClockEvent::label_zh(&e.kind)
                .map(str::to_owned)
                .unwrap_or_else(|| history_label(&e.kind).to_owned()),
            days: e.days,
            note: e.note.clone().unwrap_or_default(),
            actor: e.actor.clone(),
            deletable: Some(e.id) == last_clock || e.kind == "note",
        })
        .collect();
    let fee_label = match (c.fee_method.as_deref().and_then(FeeMethod::parse), c.fee_quantity, c.fee_yuan) {
        (Some(m), Some(n), Some(y)) => format!("{}，{n}{}，¥{y}", m.label_zh(), m.unit_zh()),
        _ => String::new(),
    };
    CaseT {
        page,
        may_handle,
        unit,
        channel: Channel::parse(&c.channel).map_or("", |c| c.label_zh()),
        applicant_type: ApplicantType::parse(&c.applicant_type)
            .map(|t| t.form_label_zh())
            .unwrap_or_default(),
        form_wanted: FormWanted::parse(&c.form_wanted).map_or("", |f| f.label_zh()),
        delivery: Delivery::parse(&c.delivery).map_or("", |d| d.label_zh()),
        status: CaseStatus::parse(&c.status).map_or("", |s| s.label_zh()),
        outcome: c
            .outcome
            .as_deref()
            .and_then(Outcome::from_code)
            .map(|o| o.full_label_zh())
            .unwrap_or_default(),
        open: c.status != "concluded",
        clock,
        events,
        letters: letters
            .into_iter()
            .map(|l| LetterLine {
                kind_label: LetterKind::parse(&l.kind).map_or("", |k| k.label_zh()),
                l,
            })
            .collect(),
        reviews: reviews
            .into_iter()
            .map(|r| ReviewLine {
                kind: ReviewKind::parse(&r.kind).map_or("", |k| k.label_zh()),
                result: ReviewResult::parse(&r.result).map_or("", |k| k.label_zh()),
                r,
            })
            .collect(),
        repeats,
        units,
        event_kinds: super::DIRECT_EVENTS
            .iter()
            .map(|k| (*k, ClockEvent::label_zh(k).unwrap_or("备注")))
            .collect(),
        letter_kinds: super::letter_kinds(),
        review_kinds: ReviewKind::ALL.iter().map(|k| (k.as_str(), k.label_zh())).collect(),
        review_results: ReviewResult::ALL.iter().map(|k| (k.as_str(), k.label_zh())).collect(),
        fee_label,
        today: today.to_string(),
        c,
    }
}

fn history_label(kind: &str) -> &'static str {
    match kind {
        "submitted" => "在线提交",
        "note" => "备注",
        "fee_set" => "确定信息处理费",
        "letter_issued" => "出具文书",
        "letter_delivered" => "文书送达",
        "assigned" => "转交办理单位",
        _ => "办理记录",
    }
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
    error: Option<String>,
}

/// `GET /admin/foi/{id}`.
pub async fn case(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    if !case_user(&session) {
        return Err(AppError::forbidden());
    }
    let (c, may_handle, site) = load_case(&state, &session, id).await?;
    let units = state.store.list_units().await?;
    let visible = visible_units(&session, &site, &units);
    if !may_handle && visible.as_ref().is_some_and(|v| !v.contains(&c.unit_id)) {
        return Err(AppError::forbidden());
    }
    let today = state.clock.now().date_naive();
    let cal = state.calendar().await?;
    let events = state.store.foi_events(id).await?;
    let clock = clock_of(&cal, &c.channel, &events, today)?;
    let letters = state.store.foi_letters(id).await?;
    let reviews = state.store.foi_reviews(id).await?;
    let repeats = if may_handle {
        super::probable_repeats(&state, &c).await?
    } else {
        Vec::new()
    };
    let unit = units.iter().find(|u| u.id == c.unit_id).map(|u| u.name.clone()).unwrap_or_default();
    let mut page = admin_page(&state, &session, &ctx, &format!("申请 {}", c.ref_no)).await?;
    if let Some(d) = q.done {
        page = page.flash("ok", d);
    } else if let Some(e) = q.error {
        page = page.flash("error", e);
    }
    if may_handle {
        let mut tx = state.store.begin().await?;
        tx.audit(NewEntry::new(session.user.username.clone(), "foi.view", "foi_case", id).unit(Some(c.unit_id)))
            .await?;
        tx.commit().await?;
    }
    let unit_list = units.into_iter().filter(|u| u.active).map(|u| (u.id, u.name)).collect();
    render(&case_template(
        page, c, may_handle, unit, clock, &events, letters, reviews, repeats, unit_list, today,
    ))
}

fn back(id: i64, r: AppResult<()>, ok: &str) -> AppResult<Response> {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/admin/foi/{id}?done={}", urlencoding::encode(ok))).into_response()),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::FORBIDDEN => {
            Ok(Redirect::to(&format!("/admin/foi/{id}?error={}", urlencoding::encode(&e.message))).into_response())
        }
        Err(e) => Err(e),
    }
}

async fn handled(state: &AppState, session: &Session, id: i64) -> AppResult<FoiCaseRow> {
    let (c, may_handle, _) = load_case(state, session, id).await?;
    if !may_handle {
        return Err(AppError::forbidden());
    }
    Ok(c)
}

#[derive(Deserialize)]
pub struct EventForm {
    kind: String,
    on: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    note: String,
}

/// `POST /admin/foi/{id}/events`.
pub async fn add_event(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<EventForm>,
) -> AppResult<Response> {
    let c = handled(&state, &session, id).await?;
    let r = async {
        if !super::DIRECT_EVENTS.contains(&f.kind.as_str()) {
            return Err(AppError::invalid("kind", "请选择办理环节"));
        }
        let on = day(f.on.trim()).ok_or_else(|| AppError::invalid("on", "日期格式应为 2021-09-24"))?;
        let days = match f.days.trim() {
            "" => None,
            d => Some(d.parse::<u32>().map_err(|_| AppError::invalid("days", "工作日数应为正整数"))?),
        };
        if matches!(f.kind.as_str(), "correction_requested" | "extended") && days.is_none() {
            return Err(AppError::invalid("days", "告知补正、延期须填写工作日数"));
        }
        if f.kind == "note" && f.note.trim().is_empty() {
            return Err(AppError::invalid("note", "请填写备注内容"));
        }
        let note = Some(f.note.trim()).filter(|n| !n.is_empty());
        record_event(&state, &session.user.username, &c, &f.kind, on, days, note, None).await
    }
    .await;
    back(id, r, "已登记办理环节。")
}

/// `POST /admin/foi/{id}/events/{eid}/delete`.
pub async fn delete_event(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path((id, eid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let c = handled(&state, &session, id).await?;
    let r = super::delete_event(&state, &session.user.username, &c, eid).await;
    back(id, r, "已删除该办理记录。")
}

#[derive(Deserialize)]
pub struct AssignForm {
    unit_id: i64,
}

/// `POST /admin/foi/{id}/assign`: hands the case to another unit.
pub async fn assign(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<AssignForm>,
) -> AppResult<Response> {
    let c = handled(&state, &session, id).await?;
    let r = async {
        if c.status == "concluded" {
            return Err(AppError::conflict("已办结的申请不能再转交"));
        }
        let unit = state
            .store
            .get_unit(f.unit_id)
            .await
            .map_err(|_| AppError::invalid("unit_id", "办理单位不存在"))?;
        let mut tx = state.store.begin().await?;
        tx.set_foi_unit(id, unit.id).await?;
        tx.add_foi_event(
            id,
            "assigned",
            &state.clock.now().date_naive().to_string(),
            None,
            Some(&format!("转交{}办理", unit.name)),
            &session.user.username,
        )
        .await?;
        tx.audit(
            NewEntry::new(session.user.username.clone(), "foi.assign", "foi_case", id)
                .unit(Some(unit.id))
                .detail(serde_json::json!({ "from": c.unit_id, "to": unit.id })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    back(id, r, "已转交。")
}

#[derive(Deserialize)]
pub struct SplitForm {
    items: String,
}

/// `POST /admin/foi/{id}/split`: one case per item (一事一申请).
pub async fn split(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<SplitForm>,
) -> AppResult<Response> {
    let c = handled(&state, &session, id).await?;
    let items: Vec<String> = f.items.lines().map(str::to_owned).collect();
    let r = super::split_case(&state, &session.user.username, &c, &items).await;
    match r {
        Ok(created) => {
            let refs: Vec<String> = created.into_iter().map(|c| c.ref_no).collect();
            back(id, Ok(()), &format!("已拆分，另立申请 {}。", refs.join("、")))
        }
        Err(e) => back(id, Err(e), ""),
    }
}

#[derive(Deserialize)]
pub struct FeeForm {
    method: String,
    #[serde(default)]
    pages: String,
}

/// `POST /admin/foi/{id}/fee`.
pub async fn fee(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<FeeForm>,
) -> AppResult<Response> {
    let c = handled(&state, &session, id).await?;
    let r = async {
        let method = FeeMethod::parse(&f.method).ok_or_else(|| AppError::invalid("method", "请选择计费方式"))?;
        let pages = match f.pages.trim() {
            "" => None,
            p => Some(p.parse::<u32>().map_err(|_| AppError::invalid("pages", "页数应为正整数"))?),
        };
        super::set_fee(&state, &session.user.username, &c, method, pages).await.map(|_| ())
    }
    .await;
    back(id, r, "已确定信息处理费，可起草收费通知书。")
}

#[derive(Deserialize, Default)]
pub struct DraftForm {
    kind: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    correction_what: String,
    #[serde(default)]
    third_party: String,
    #[serde(default)]
    other_agency: String,
    #[serde(default)]
    published_at: String,
}

fn opt_text(s: &str, max: usize) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.chars().take(max).collect())
}

/// `POST /admin/foi/{id}/letters`: drafts a letter from its template.
pub async fn draft_letter(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<DraftForm>,
) -> AppResult<Response> {
    let c = handled(&state, &session, id).await?;
    let r: AppResult<i64> = async {
        let kind = LetterKind::parse(&f.kind).ok_or_else(|| AppError::invalid("kind", "请选择文书类型"))?;
        if c.status == "concluded" {
            return Err(AppError::conflict("已办结的申请不能再起草文书"));
        }
        if c.received_on.is_none() {
            return Err(AppError::conflict("请先确认收到申请"));
        }
        let days = match f.days.trim() {
            "" => None,
            d => Some(d.parse::<u32>().map_err(|_| AppError::invalid("days", "工作日数应为正整数"))?),
        };
        let today = state.clock.now().date_naive();
        let cal = state.calendar().await?;
        let events = state.store.foi_events(id).await?;
        let clock = clock_of(&cal, &c.channel, &events, today)?;
        let mut ctx = letter_context(&state, &c, clock.as_ref(), today).await?;
        match kind {
            LetterKind::CorrectionNotice => {
                let d = days.ok_or_else(|| AppError::invalid("days", "补正告知须填写补正期限（工作日）"))?;
                ctx.correction_days = Some(d);
                ctx.correction_deadline = Some(cal.add_working_days(today, d));
                ctx.correction_what = opt_text(&f.correction_what, 500);
            }
            LetterKind::ExtensionNotice => {
                let d = days.ok_or_else(|| AppError::invalid("days", "延期告知须填写延长的工作日数"))?;
                if d == 0 || d > gongkai_domain::foi::MAX_EXTENSION_DAYS {
                    return Err(AppError::invalid("days", "延长的期限为1至20个工作日（条例第三十三条）"));
                }
                ctx.extension_days = Some(d);
                ctx.new_due = clock.as_ref().and_then(|k| k.due).map(|due| cal.add_working_days(due, d));
            }
            LetterKind::FeeNotice => {
                if ctx.fee.is_none() {
                    return Err(AppError::conflict("请先确定收费方式和金额"));
                }
            }
            LetterKind::ThirdPartyConsultation => {
                ctx.third_party = opt_text(&f.third_party, 100);
                ctx.answer_due = Some(cal.add_working_days(today, gongkai_domain::foi::THIRD_PARTY_ANSWER_DAYS));
            }
            LetterKind::AgencyConsultation => {
                ctx.third_party = opt_text(&f.third_party, 100);
                ctx.answer_due = Some(cal.add_working_days(today, gongkai_domain::foi::AGENCY_ANSWER_DAYS));
            }
            LetterKind::Reply(_) => {
                ctx.other_agency = opt_text(&f.other_agency, 100);
                ctx.published_at = opt_text(&f.published_at, 200);
            }
        }
        let d = draft(kind, &ctx);
        let mut body = vec![d.salutation.clone()];
        body.extend(d.paragraphs.iter().cloned());
        let mut tx = state.store.begin().await?;
        let lid = tx
            .insert_foi_letter(
                id,
                &kind.code(),
                &d.title,
                &d.number,
                &body.join("\n\n"),
                days.map(i64::from),
                &session.user.username,
            )
            .await?;
        tx.audit(
            NewEntry::new(session.user.username.clone(), "foi.letter_draft", "foi_letter", lid)
                .unit(Some(c.unit_id))
                .detail(serde_json::json!({ "case": id, "kind": kind.code() })),
        )
        .await?;
        tx.commit().await?;
        Ok(lid)
    }
    .await;
    match r {
        Ok(lid) => Ok(Redirect::to(&format!("/admin/foi/{id}/letters/{lid}")).into_response()),
        Err(e) => back(id, Err(e), ""),
    }
}

#[derive(Template)]
#[template(path = "admin/foi_letter.html")]
struct LetterT {
    page: Page,
    c: FoiCaseRow,
    l: FoiLetterRow,
    kind_label: &'static str,
    today: String,
    error: Option<String>,
}

async fn letter_of(state: &AppState, session: &Session, id: i64, lid: i64) -> AppResult<(FoiCaseRow, FoiLetterRow)> {
    let c = handled(state, session, id).await?;
    let l = state.store.foi_letter(lid).await?;
    if l.case_id != id {
        return Err(AppError::not_found());
    }
    Ok((c, l))
}

/// `GET /admin/foi/{id}/letters/{lid}`: the letter, editable while a draft.
pub async fn letter(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path((id, lid)): Path<(i64, i64)>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let (c, l) = letter_of(&state, &session, id, lid).await?;
    let mut page = admin_page(&state, &session, &ctx, &l.title).await?;
    if let Some(d) = q.done {
        page = page.flash("ok", d);
    }
    render(&LetterT {
        page,
        kind_label: LetterKind::parse(&l.kind).map_or("", |k| k.label_zh()),
        today: state.clock.now().date_naive().to_string(),
        error: q.error,
        c,
        l,
    })
}

#[derive(Deserialize)]
pub struct LetterForm {
    title: String,
    body: String,
}

/// `POST /admin/foi/{id}/letters/{lid}`: saves a draft.
pub async fn save_letter(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path((id, lid)): Path<(i64, i64)>,
    Form(f): Form<LetterForm>,
) -> AppResult<Response> {
    let (c, l) = letter_of(&state, &session, id, lid).await?;
    let to = |r: Result<&str, String>| match r {
        Ok(done) => Redirect::to(&format!("/admin/foi/{id}/letters/{lid}?done={}", urlencoding::encode(done))).into_response(),
        Err(e) => Redirect::to(&format!("/admin/foi/{id}/letters/{lid}?error={}", urlencoding::encode(&e))).into_response(),
    };
    if l.issued_on.is_some() {
        return Ok(to(Err("已出具的文书不能修改".into())));
    }
    let title = f.title.trim();
    let body = f.body.replace("\r\n", "\n");
    if title.is_empty() || title.chars().count() > 100 {
        return Ok(to(Err("标题不能为空，且不超过100个字".into())));
    }
    if body.trim().is_empty() || body.chars().count() > 20_000 {
        return Ok(to(Err("正文不能为空，且不超过20000个字".into())));
    }
    let mut tx = state.store.begin().await?;
    tx.update_foi_letter(lid, title, body.trim()).await?;
    tx.audit(
        NewEntry::new(session.user.username.clone(), "foi.letter_edit", "foi_letter", lid)
            .unit(Some(c.unit_id))
            .detail(serde_json::json!({ "case": id })),
    )
    .await?;
    tx.commit().await?;
    Ok(to(Ok("已保存。")))
}

#[derive(Deserialize)]
pub struct DateForm {
    on: String,
    #[serde(default)]
    method: String,
}

/// `POST /admin/foi/{id}/letters/{lid}/issue`.
pub async fn issue_letter(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path((id, lid)): Path<(i64, i64)>,
    Form(f): Form<DateForm>,
) -> AppResult<Response> {
    let (c, l) = letter_of(&state, &session, id, lid).await?;
    let r = async {
        let on = day(f.on.trim()).ok_or_else(|| AppError::invalid("on", "日期格式应为 2021-09-24"))?;
        super::issue_letter(&state, &session.user.username, &c, &l, on).await
    }
    .await;
    back(id, r, "文书已出具，已登记相应办理环节。")
}

/// `POST /admin/foi/{id}/letters/{lid}/deliver`.
pub async fn deliver_letter(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path((id, lid)): Path<(i64, i64)>,
    Form(f): Form<DateForm>,
) -> AppResult<Response> {
    let (c, l) = letter_of(&state, &session, id, lid).await?;
    let r = async {
        let on = day(f.on.trim()).ok_or_else(|| AppError::invalid("on", "日期格式应为 2021-09-24"))?;
        super::deliver_letter(&state, &session.user.username, &c, &l, on, &f.method).await
    }
    .await;
    back(id, r, "已登记送达。")
}

/// `POST /admin/foi/{id}/letters/{lid}/delete`: deletes a draft.
pub async fn delete_letter(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path((id, lid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (c, l) = letter_of(&state, &session, id, lid).await?;
    let r = async {
        let mut tx = state.store.begin().await?;
        if !tx.delete_foi_letter(lid).await? {
            return Err(AppError::conflict("已出具的文书不能删除"));
        }
        tx.audit(
            NewEntry::new(session.user.username.clone(), "foi.letter_delete", "foi_letter", lid)
                .unit(Some(c.unit_id))
                .detail(serde_json::json!({ "case": id, "kind": l.kind })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    back(id, r, "已删除草稿。")
}

/// The letter's paragraphs as stored (salutation first).
pub fn letter_paragraphs(l: &FoiLetterRow) -> Vec<&str> {
    l.body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect()
}

/// `GET /admin/foi/{id}/letters/{lid}/docx`.
pub async fn letter_docx(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path((id, lid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (c, l) = letter_of(&state, &session, id, lid).await?;
    let unit = state.store.get_unit(c.unit_id).await?;
    let date = opt_day(&l.issued_on).unwrap_or_else(|| state.clock.now().date_naive());
    let date_zh = gongkai_domain::catalogue::date_zh(date);
    let paras = letter_paragraphs(&l);
    let (salutation, rest) = paras.split_first().map_or(("", &[][..]), |(s, r)| (*s, r));
    let bytes = super::docx::render(&super::docx::LetterDoc {
        title: &l.title,
        number: &l.number,
        salutation,
        paragraphs: rest.to_vec(),
        signature: &unit.name,
        date_zh: &date_zh,
    })
    .map_err(|e| anyhow::anyhow!("docx: {e}"))?;
    let name = format!("{}-{}.docx", c.ref_no, l.title);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"letter.docx\"; filename*=UTF-8''{}",
                    urlencoding::encode(&name)
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /admin/foi/{id}/id-file`: the applicant's identity document.
pub async fn id_file(State(state): State<AppState>, Staff(session, _): Staff, Path(id): Path<i64>) -> AppResult<Response> {
    let c = handled(&state, &session, id).await?;
    let hash = c.id_file_hash.clone().ok_or_else(AppError::not_found)?;
    let path = crate::catalogue::files::file_path(&state, &hash).ok_or_else(AppError::not_found)?;
    let bytes = tokio::fs::read(&path).await.map_err(|_| AppError::not_found())?;
    let kind = gongkai_domain::files::sniff(&bytes);
    let mut tx = state.store.begin().await?;
    tx.audit(NewEntry::new(session.user.username.clone(), "foi.id_file_view", "foi_case", id).unit(Some(c.unit_id)))
        .await?;
    tx.commit().await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                kind.map_or("application/octet-stream", |k| k.mime()).to_owned(),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"id.{}\"", kind.map_or("bin", |k| k.extension())),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct ReviewForm {
    kind: String,
    body: String,
    filed_on: String,
    #[serde(default)]
    note: String,
}

/// `POST /admin/foi/{id}/reviews`: records a 行政复议 or 行政诉讼.
pub async fn add_review(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<ReviewForm>,
) -> AppResult<Response> {
    let c = handled(&state, &session, id).await?;
    let r = async {
        let kind = ReviewKind::parse(&f.kind).ok_or_else(|| AppError::invalid("kind", "请选择类型"))?;
        let body = opt_text(&f.body, 100).ok_or_else(|| AppError::invalid("body", "请填写复议机关或法院"))?;
        let filed = day(f.filed_on.trim()).ok_or_else(|| AppError::invalid("filed_on", "日期格式应为 2021-09-24"))?;
        let mut tx = state.store.begin().await?;
        let rid = tx
            .insert_foi_review(
                id,
                kind.as_str(),
                &body,
                &filed.to_string(),
                opt_text(&f.note, 500).as_deref(),
                &session.user.username,
            )
            .await?;
        tx.audit(
            NewEntry::new(session.user.username.clone(), "foi.review_create", "foi_review", rid)
                .unit(Some(c.unit_id))
                .detail(serde_json::json!({ "case": id, "kind": kind.as_str(), "filed_on": filed.to_string() })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    back(id, r, "已登记。")
}

#[derive(Deserialize)]
pub struct DecideForm {
    result: String,
    #[serde(default)]
    decided_on: String,
    #[serde(default)]
    note: String,
}

/// `POST /admin/foi/{id}/reviews/{rid}`: records the result.
pub async fn decide_review(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path((id, rid)): Path<(i64, i64)>,
    Form(f): Form<DecideForm>,
) -> AppResult<Response> {
    let c = handled(&state, &session, id).await?;
    let r = async {
        let result = ReviewResult::parse(&f.result).ok_or_else(|| AppError::invalid("result", "请选择结果"))?;
        let decided = match f.decided_on.trim() {
            "" => None,
            d => Some(day(d).ok_or_else(|| AppError::invalid("decided_on", "日期格式应为 2021-09-24"))?),
        };
        if result != ReviewResult::Pending && decided.is_none() {
            return Err(AppError::invalid("decided_on", "请填写审结日期"));
        }
        let mut tx = state.store.begin().await?;
        if !tx
            .decide_foi_review(
                id,
                rid,
                result.as_str(),
                decided.map(|d| d.to_string()).as_deref(),
                opt_text(&f.note, 500).as_deref(),
            )
            .await?
        {
            return Err(AppError::not_found());
        }
        tx.audit(
            NewEntry::new(session.user.username.clone(), "foi.review_decide", "foi_review", rid)
                .unit(Some(c.unit_id))
                .detail(serde_json::json!({ "case": id, "result": result.as_str() })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    back(id, r, "已登记结果。")
}

/// The statistics of a year for the whole site or one unit.
pub struct Stats {
    pub year: i32,
    pub table3: Table3,
    pub table4: Table4,
    pub handling: Handling,
    pub by_unit: Vec<(String, Handling, u64)>,
    pub problems: Vec<String>,
}

/// Computes the statistics from the cases (no personal data is read).
pub async fn stats(state: &AppState, cal: &Calendar, site: &Site, year: i32, unit: Option<i64>) -> AppResult<Stats> {
    let rows = state.store.foi_stat_rows(site.id, year).await?;
    let units: HashMap<i64, String> = state.store.list_units().await?.into_iter().map(|u| (u.id, u.name)).collect();
    let mut facts: Vec<(i64, CaseFacts)> = Vec::new();
    for r in rows.iter().filter(|r| unit.is_none_or(|u| r.unit_id == u)) {
        let (Some(applicant), Some(received)) = (ApplicantType::parse(&r.applicant_type), day(&r.received_on)) else {
            continue;
        };
        let concluded = opt_day(&r.concluded_on).zip(r.outcome.as_deref().and_then(Outcome::from_code));
        facts.push((
            r.unit_id,
            CaseFacts::from_dates(cal, applicant, received, concluded, opt_day(&r.due_on), r.auto_closed),
        ));
    }
    let table3 = Table3::compute(year, facts.iter().map(|f| &f.1));
    let handling = Handling::compute(year, facts.iter().map(|f| &f.1));
    let mut unit_ids: Vec<i64> = facts.iter().map(|f| f.0).collect();
    unit_ids.sort_unstable();
    unit_ids.dedup();
    let by_unit = unit_ids
        .into_iter()
        .map(|u| {
            let mine: Vec<&CaseFacts> = facts.iter().filter(|f| f.0 == u).map(|f| &f.1).collect();
            let t = Table3::compute(year, mine.iter().copied());
            (
                units.get(&u).cloned().unwrap_or_default(),
                Handling::compute(year, mine),
                t.new.total(),
            )
        })
        .collect();
    let reviews = state.store.foi_review_stats(site.id, year).await?;
    let table4 = Table4::compute(
        reviews
            .iter()
            .filter(|r| unit.is_none_or(|u| r.unit_id == u))
            .filter_map(|r| Some((ReviewKind::parse(&r.kind)?, ReviewResult::parse(&r.result)?))),
    );
    let mut problems = table3.check();
    problems.extend(table4.check());
    Ok(Stats {
        year,
        table3,
        table4,
        handling,
        by_unit,
        problems,
    })
}

#[derive(Template)]
#[template(path = "admin/foi_stats.html")]
struct StatsT {
    page: Page,
    s: Stats,
    rows: Vec<(String, [u64; 7])>,
    columns: [&'static str; 7],
    t4_columns: [&'static str; 5],
    t4: [u64; 15],
    units: Vec<(i64, String)>,
    unit: Option<i64>,
}

impl StatsT {
    fn pct(&self, v: &Option<f64>) -> String {
        v.map_or("—".into(), |v| format!("{v:.1}%"))
    }

    fn avg(&self, v: &Option<f64>) -> String {
        v.map_or("—".into(), |v| format!("{v:.1}"))
    }
}

#[derive(Deserialize, Default)]
pub struct StatsQuery {
    year: Option<i32>,
    unit: Option<String>,
}

fn stats_scope(session: &Session, q: &StatsQuery, today: NaiveDate) -> AppResult<(i32, Option<i64>)> {
    if !case_user(session) {
        return Err(AppError::forbidden());
    }
    let year = q
        .year
        .filter(|y| (2000..2100).contains(y))
        .unwrap_or_else(|| chrono::Datelike::year(&today));
    Ok((year, q.unit.as_deref().and_then(|u| u.parse().ok())))
}

async fn check_unit_scope(state: &AppState, session: &Session, site: &Site, unit: Option<i64>) -> AppResult<()> {
    let units = state.store.list_units().await?;
    match (visible_units(session, site, &units), unit) {
        (None, _) => Ok(()),
        (Some(v), Some(u)) if v.contains(&u) => Ok(()),
        _ => Err(AppError::forbidden()),
    }
}

/// `GET /admin/foi/stats`.
pub async fn stats_page(State(state): State<AppState>, Staff(session, ctx): Staff, Query(q): Query<StatsQuery>) -> AppResult<Response> {
    let today = state.clock.now().date_naive();
    let (year, mut unit) = stats_scope(&session, &q, today)?;
    let site = default_site(&state).await?;
    let all_units = state.store.list_units().await?;
    let visible = visible_units(&session, &site, &all_units);
    if unit.is_none()
        && let Some(v) = &visible
    {
        unit = v.first().copied();
    }
    check_unit_scope(&state, &session, &site, unit).await?;
    let cal = state.calendar().await?;
    let s = stats(&state, &cal, &site, year, unit).await?;
    let page = admin_page(&state, &session, &ctx, &format!("{year}年依申请公开统计")).await?;
    render(&StatsT {
        rows: s.table3.rows().into_iter().map(|(l, c)| (l, c.cells())).collect(),
        columns: TABLE3_COLUMNS_ZH,
        t4_columns: TABLE4_COLUMNS_ZH,
        t4: s.table4.cells(),
        units: all_units
            .into_iter()
            .filter(|u| visible.as_ref().is_none_or(|v| v.contains(&u.id)))
            .map(|u| (u.id, u.name))
            .collect(),
        unit,
        page,
        s,
    })
}

/// `GET /admin/foi/stats.xlsx`.
pub async fn stats_xlsx(State(state): State<AppState>, Staff(session, _): Staff, Query(q): Query<StatsQuery>) -> AppResult<Response> {
    let today = state.clock.now().date_naive();
    let (year, unit) = stats_scope(&session, &q, today)?;
    let site = default_site(&state).await?;
    check_unit_scope(&state, &session, &site, unit).await?;
    let cal = state.calendar().await?;
    let s = stats(&state, &cal, &site, year, unit).await?;
    let bytes = stats_workbook(&s).map_err(|e| anyhow::anyhow!("xlsx: {e}"))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"foi-{year}.xlsx\"")),
        ],
        bytes,
    )
        .into_response())
}

/// The statistics as a workbook: table 三, table 四, and handling per unit.
pub fn stats_workbook(s: &Stats) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let t3 = wb.add_worksheet();
    t3.set_name("三、收到和处理政府信息公开申请情况")?;
    t3.write_string_with_format(0, 0, format!("{}年 收到和处理政府信息公开申请情况", s.year), &bold)?;
    t3.write_string_with_format(1, 0, "项目", &bold)?;
    for (i, c) in TABLE3_COLUMNS_ZH.iter().enumerate() {
        t3.write_string_with_format(1, i as u16 + 1, *c, &bold)?;
    }
    for (r, (label, counts)) in s.table3.rows().into_iter().enumerate() {
        let row = r as u32 + 2;
        t3.write_string(row, 0, label)?;
        for (i, v) in counts.cells().iter().enumerate() {
            t3.write_number(row, i as u16 + 1, *v as f64)?;
        }
    }
    t3.set_column_width(0, 60)?;
    let t4 = wb.add_worksheet();
    t4.set_name("四、行政复议、行政诉讼情况")?;
    let blocks = [
        ("行政复议", ReviewKind::Reconsideration),
        ("行政诉讼·未经复议直接起诉", ReviewKind::LitigationDirect),
        ("行政诉讼·复议后起诉", ReviewKind::LitigationAfterReview),
    ];
    t4.write_string_with_format(0, 0, "类别", &bold)?;
    for (i, c) in TABLE4_COLUMNS_ZH.iter().enumerate() {
        t4.write_string_with_format(0, i as u16 + 1, *c, &bold)?;
    }
    for (r, (label, kind)) in blocks.iter().enumerate() {
        t4.write_string(r as u32 + 1, 0, *label)?;
        for (i, v) in s.table4.block(*kind).iter().enumerate() {
            t4.write_number(r as u32 + 1, i as u16 + 1, *v as f64)?;
        }
    }
    t4.set_column_width(0, 30)?;
    let h = wb.add_worksheet();
    h.set_name("办理情况")?;
    for (i, c) in ["单位", "本年新收", "办结", "按期办结", "按期办结率(%)", "平均办理工作日"]
        .iter()
        .enumerate()
    {
        h.write_string_with_format(0, i as u16, *c, &bold)?;
    }
    let mut lines: Vec<(String, &Handling, u64)> = vec![("合计".into(), &s.handling, s.table3.new.total())];
    lines.extend(s.by_unit.iter().map(|(n, h, new)| (n.clone(), h, *new)));
    for (r, (name, hd, new)) in lines.iter().enumerate() {
        let row = r as u32 + 1;
        h.write_string(row, 0, name)?;
        h.write_number(row, 1, *new as f64)?;
        h.write_number(row, 2, hd.concluded as f64)?;
        h.write_number(row, 3, hd.on_time as f64)?;
        if let Some(v) = hd.on_time_rate {
            h.write_number(row, 4, (v * 10.0).round() / 10.0)?;
        }
        if let Some(v) = hd.average_working_days {
            h.write_number(row, 5, (v * 10.0).round() / 10.0)?;
        }
    }
    h.set_column_width(0, 30)?;
    wb.save_to_buffer()
}

/// `POST /admin/foi/recompute`: recomputes every open case now.
pub async fn recompute(State(state): State<AppState>, Staff(session, _): Staff) -> AppResult<Response> {
    if !session.is_system_admin() && !session.can_somewhere(Action::ManageCalendar) {
        return Err(AppError::forbidden());
    }
    let cal = state.reload_calendar().await?;
    let r = super::recompute_all(&state.store, &cal, state.clock.now().date_naive(), &session.user.username).await?;
    state.content_changed();
    Ok(Redirect::to(&format!(
        "/admin/foi?done={}",
        urlencoding::encode(&format!("已重新计算 {} 件在办申请的期限，{} 件有变化。", r.checked, r.changed))
    ))
    .into_response())
}
