//! Disclosure on application (依申请公开): intake, the statutory clock,
//! decisions and letters, fees, reviews and statistics.
//!
//! What it is for: turning the pure rules of `gongkai_domain::foi`
//! (条例第二十九条–第四十五条, 国办函〔2020〕109号) into cases people work
//! on. A case is its event history; every write appends events, folds
//! them with [`compute`] (which refuses an event the regulation does not
//! allow at that point, with the reason in Chinese) and caches the derived
//! status and due date on the case row. A calendar change recomputes every
//! open case ([`recompute_all`]).
//!
//! Letters: issuing a letter is the event it announces (补正告知 →
//! correction requested; 延期告知 → extension; 征求意见 → consultation sent;
//! 答复告知书 → concluded with its outcome); a fee notice counts from its
//! delivery.
//!
//! Who sees what: the applicant's personal data is shown only to those who
//! may handle the case (办理人 of the case's unit or of the site's office,
//! 政务公开办, which receives online applications and sees every case) and
//! never to the portal or the logs; the public status page shows dates and
//! the outcome only.
//!
//! What it is not for: the annual report's other tables (the reports
//! domain) or sending e-mail (the outbox holds notices).

pub mod admin;
pub mod api;
pub mod bench;
pub mod demo;
pub mod docx;
pub mod portal;

use crate::auth::Session;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use gongkai_domain::accounts::{Action, Scope, UnitPath};
use gongkai_domain::audit::NewEntry;
use gongkai_domain::calendar::Calendar;
use gongkai_domain::foi::{
    Application, CaseStatus, Channel, ClockEvent, ClockState, FeeMethod, LetterContext, LetterKind, Outcome, ReceiptEvents,
    auto_close_date, compute, compute_quiet, estimate, receipt_date, reference_number, status_of,
};
use gongkai_store::Tx;
use gongkai_store::accounts::Site;
use gongkai_store::foi::{FoiCaseRow, FoiClockColumns, FoiEventRow, FoiLetterRow, NewFoiCase};

/// Working days before the due date at which handlers are reminded.
pub const REMIND_DAYS: u32 = 3;

pub fn day(s: &str) -> Option<NaiveDate> {
    s.get(..10).and_then(|d| d.parse().ok())
}

pub fn opt_day(s: &Option<String>) -> Option<NaiveDate> {
    s.as_deref().and_then(day)
}

/// The site's 政府信息公开工作机构 (the office that receives applications and
/// oversees every case): the supervising office of the site settings, or the
/// site's owning unit.
pub use crate::qa::office_of;

/// The clock events in a case's history (other entries are skipped).
pub fn clock_events(channel: &str, events: &[FoiEventRow]) -> AppResult<Vec<ClockEvent>> {
    let channel = Channel::parse(channel).ok_or_else(|| anyhow::anyhow!("case has an unknown channel"))?;
    let mut out = Vec::new();
    for e in events {
        let on = day(&e.occurred_on).ok_or_else(|| anyhow::anyhow!("event {} has a bad date", e.id))?;
        if let Some(ev) = ClockEvent::from_parts(&e.kind, on, e.days.and_then(|d| u32::try_from(d).ok()), channel) {
            out.push(ev);
        }
    }
    // Events count in date order; one entered late for an earlier day takes
    // its place (same-day events keep the order they were entered in).
    out.sort_by_key(ClockEvent::on);
    Ok(out)
}

/// The clock of a case as of `today`; `None` until its receipt is confirmed.
pub fn clock_of(cal: &Calendar, channel: &str, events: &[FoiEventRow], today: NaiveDate) -> AppResult<Option<ClockState>> {
    let evs = clock_events(channel, events)?;
    if evs.is_empty() {
        return Ok(None);
    }
    compute(cal, &evs, today)
        .map(Some)
        .map_err(|e| AppError::conflict(format!("办理记录不一致：{}", e.message_zh())))
}

/// The case columns a clock implies. `outcome` is the outcome recorded
/// when the case was concluded by a reply (kept as it is).
pub fn columns_of(clock: Option<&ClockState>, outcome: Option<&str>) -> FoiClockColumns {
    let Some(c) = clock else {
        return FoiClockColumns {
            received_on: None,
            status: CaseStatus::Unconfirmed.as_str().into(),
            due_on: None,
            overdue: false,
            provisional: false,
            outcome: None,
            concluded_on: None,
            auto_closed: false,
        };
    };
    let (outcome, concluded_on, auto_closed) = match (c.concluded, c.auto_close) {
        (Some(d), _) => (outcome.map(str::to_owned), Some(d.to_string()), false),
        (None, Some(o)) => (Some(o.code().to_owned()), auto_close_date(c).map(|d| d.to_string()), true),
        (None, None) => (None, None, false),
    };
    FoiClockColumns {
        received_on: Some(c.received.to_string()),
        status: status_of(c).as_str().into(),
        due_on: c.due.map(|d| d.to_string()),
        overdue: c.overdue,
        provisional: c.provisional,
        outcome,
        concluded_on,
        auto_closed,
    }
}

/// Recomputes one case inside `tx` and writes its columns if they changed.
pub async fn refresh(tx: &mut Tx, cal: &Calendar, case_id: i64, today: NaiveDate) -> AppResult<(FoiCaseRow, Option<ClockState>)> {
    let case = tx.foi_case(case_id).await?;
    let events = tx.foi_events(case_id).await?;
    let compact = ClockEvent::encode_list(&clock_events(&case.channel, &events)?);
    if compact != case.clock_events {
        tx.set_foi_clock_events(case_id, &compact).await?;
    }
    let clock = clock_of(cal, &case.channel, &events, today)?;
    let cols = columns_of(clock.as_ref(), case.outcome.as_deref());
    if cols != case.clock_columns() {
        tx.set_foi_clock(case_id, &cols).await?;
    }
    Ok((tx.foi_case(case_id).await?, clock))
}

/// May the caller see the applicant's data and work on the case?
pub fn may_handle(session: &Session, unit_path: &UnitPath, office_path: Option<&UnitPath>) -> bool {
    session.can(Action::HandleCases, Scope::Unit(unit_path))
        || office_path.is_some_and(|p| session.can(Action::HandleCases, Scope::Unit(p)))
}

/// The case, the caller's right to handle it, and the site.
pub async fn load_case(state: &AppState, session: &Session, id: i64) -> AppResult<(FoiCaseRow, bool, Site)> {
    let case = state.store.foi_case(id).await?;
    let site = state
        .store
        .list_sites()
        .await?
        .into_iter()
        .find(|s| s.id == case.site_id)
        .ok_or_else(AppError::not_found)?;
    let unit = state.store.get_unit(case.unit_id).await?;
    let office = state.store.get_unit(office_of(&site)).await.ok();
    let handle = may_handle(session, &unit.unit_path(), office.as_ref().map(|o| o.unit_path()).as_ref());
    Ok((case, handle, site))
}

/// A new application: the checked form and how it came in.
pub struct Intake {
    pub application: Application,
    pub channel: Channel,
    /// The dates of 第三十一条; `None` for an online submission the office
    /// has still to confirm.
    pub receipt: Option<ReceiptEvents>,
    pub unit_id: Option<i64>,
    pub id_file: Option<(String, Vec<u8>)>,
    pub parent_id: Option<i64>,
}

fn random_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..6).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// Checks an identity document upload (an image or a PDF).
pub fn check_id_file(name: &str, bytes: &[u8]) -> Result<(), String> {
    let (kind, _) = gongkai_domain::files::check(name, bytes).map_err(|e| e.message_zh())?;
    if !(kind.is_image() || kind == gongkai_domain::files::FileKind::Pdf) {
        return Err("身份证明请上传 JPG、PNG 图片或 PDF 文件".into());
    }
    Ok(())
}

/// Registers an application; returns the new case.
pub async fn create_case(state: &AppState, site: &Site, intake: Intake, actor: &str) -> AppResult<FoiCaseRow> {
    let today = state.clock.now().date_naive();
    let cal = state.calendar().await?;
    let received = match &intake.receipt {
        Some(r) => {
            let d = receipt_date(intake.channel, r).map_err(|e| AppError::invalid("received", e.message_zh()))?;
            if d > today {
                return Err(AppError::invalid("received", "收到申请之日不能晚于今天"));
            }
            Some(d)
        }
        None => None,
    };
    let unit_id = match intake.unit_id {
        Some(u) => {
            state
                .store
                .get_unit(u)
                .await
                .map_err(|_| AppError::invalid("unit_id", "办理单位不存在"))?;
            u
        }
        None => office_of(site),
    };
    let id_file = match intake.id_file {
        Some((name, bytes)) if !bytes.is_empty() => {
            check_id_file(&name, &bytes).map_err(|m| AppError::invalid("id_file", m))?;
            let hash = crate::catalogue::files::store_bytes(state, &bytes).await?;
            Some((hash, name.chars().take(100).collect::<String>()))
        }
        _ => None,
    };
    let a = intake.application;
    let random = random_code();
    let mut tx = state.store.begin().await?;
    let id = tx
        .insert_foi_case(&NewFoiCase {
            site_id: site.id,
            unit_id,
            ref_no: format!("pending-{random}-{}", crate::auth::random_token()),
            channel: intake.channel.as_str().into(),
            applicant_type: a.applicant_type.as_str().into(),
            applicant_name: a.name,
            org_code: a.org_code,
            contact_person: a.contact_person,
            id_type: a.id_type,
            id_number: a.id_number,
            id_file_hash: id_file.as_ref().map(|f| f.0.clone()),
            id_file_name: id_file.map(|f| f.1),
            phone: a.phone,
            email: a.email,
            address: a.address,
            postcode: a.postcode,
            description: a.description,
            doc_number: a.doc_number,
            form_wanted: a.form.as_str().into(),
            delivery: a.delivery.as_str().into(),
            submitted_on: today.to_string(),
            status: CaseStatus::Unconfirmed.as_str().into(),
            parent_id: intake.parent_id,
            created_by: actor.into(),
        })
        .await?;
    let ref_no = reference_number(received.unwrap_or(today), id, &random);
    tx.set_foi_ref_no(id, &ref_no).await?;
    match received {
        Some(d) => {
            tx.add_foi_event(id, "received", &d.to_string(), None, Some(intake.channel.rule_zh()), actor)
                .await?;
        }
        None => {
            tx.add_foi_event(id, "submitted", &today.to_string(), None, Some("申请人在线提交，待双方确认"), actor)
                .await?;
        }
    }
    let (case, _) = refresh(&mut tx, &cal, id, today).await?;
    tx.audit(
        NewEntry::new(actor, "foi.create", "foi_case", id)
            .unit(Some(unit_id))
            .detail(serde_json::json!({
                "ref_no": case.ref_no,
                "channel": case.channel,
                "applicant_type": case.applicant_type,
                "received_on": case.received_on,
            })),
    )
    .await?;
    tx.commit().await?;
    state.content_changed();
    Ok(case)
}

/// The event kinds staff may register directly (letters register theirs).
pub const DIRECT_EVENTS: [&str; 11] = [
    "received",
    "correction_requested",
    "correction_received",
    "third_party_sent",
    "third_party_answered",
    "agency_consult_sent",
    "agency_consult_answered",
    "extended",
    "fee_notice_delivered",
    "fee_paid",
    "note",
];

/// Appends a clock event (or a note) after checking that the regulation
/// allows it at this point; concluding needs an outcome.
#[allow(clippy::too_many_arguments)]
pub async fn record_event(
    state: &AppState,
    actor: &str,
    case: &FoiCaseRow,
    kind: &str,
    on: NaiveDate,
    days: Option<u32>,
    note: Option<&str>,
    outcome: Option<Outcome>,
) -> AppResult<()> {
    let today = state.clock.now().date_naive();
    if on > today {
        return Err(AppError::invalid("on", "不能登记今天以后的日期"));
    }
    if note.is_some_and(|n| n.chars().count() > 500) {
        return Err(AppError::invalid("note", "说明不能超过500个字"));
    }
    let cal = state.calendar().await?;
    let mut tx = state.store.begin().await?;
    let events = tx.foi_events(case.id).await?;
    let channel = Channel::parse(&case.channel).ok_or_else(AppError::internal)?;
    if kind != "note" {
        let ev = ClockEvent::from_parts(kind, on, days, channel).ok_or_else(|| AppError::invalid("kind", "办理环节不正确"))?;
        if matches!(ev, ClockEvent::Concluded { .. }) && outcome.is_none() {
            return Err(AppError::invalid("outcome", "办结须选择办理结果"));
        }
        let mut evs = clock_events(&case.channel, &events)?;
        if let ClockEvent::Received { .. } = ev {
            if !evs.is_empty() {
                return Err(AppError::conflict(format!(
                    "该申请已于 {} 确认收到",
                    case.received_on.clone().unwrap_or_default()
                )));
            }
            if day(&case.submitted_on).is_some_and(|s| on < s) {
                return Err(AppError::invalid(
                    "on",
                    format!("确认收到的日期不能早于申请提交日期 {}", case.submitted_on),
                ));
            }
        }
        evs.push(ev);
        evs.sort_by_key(ClockEvent::on);
        if let Err(e) = compute(&cal, &evs, today) {
            return Err(AppError::invalid("kind", e.message_zh()));
        }
    }
    tx.add_foi_event(case.id, kind, &on.to_string(), days.map(i64::from), note, actor)
        .await?;
    if let Some(o) = outcome {
        let mut cols = tx.foi_case(case.id).await?.clock_columns();
        cols.outcome = Some(o.code().into());
        tx.set_foi_clock(case.id, &cols).await?;
    }
    let (after, _) = refresh(&mut tx, &cal, case.id, today).await?;
    tx.audit(
        NewEntry::new(actor, format!("foi.{kind}"), "foi_case", case.id)
            .unit(Some(case.unit_id))
            .detail(serde_json::json!({
                "ref_no": case.ref_no,
                "on": on.to_string(),
                "days": days,
                "outcome": outcome.map(|o| o.code()),
                "status": after.status,
                "due_on": after.due_on,
            })),
    )
    .await?;
    tx.commit().await?;
    state.content_changed();
    Ok(())
}

/// Removes a mistaken event; the rest must still form a valid history.
pub async fn delete_event(state: &AppState, actor: &str, case: &FoiCaseRow, event_id: i64) -> AppResult<()> {
    let today = state.clock.now().date_naive();
    let cal = state.calendar().await?;
    let mut tx = state.store.begin().await?;
    let events = tx.foi_events(case.id).await?;
    let target = events.iter().find(|e| e.id == event_id).ok_or_else(AppError::not_found)?;
    if matches!(target.kind.as_str(), "received" | "submitted") {
        return Err(AppError::conflict("收到申请的记录不能删除"));
    }
    let rest: Vec<FoiEventRow> = events.iter().filter(|e| e.id != event_id).cloned().collect();
    let evs = clock_events(&case.channel, &rest)?;
    if !evs.is_empty()
        && let Err(e) = compute(&cal, &evs, today)
    {
        return Err(AppError::conflict(format!("删除后办理记录不一致：{}", e.message_zh())));
    }
    tx.delete_foi_event(case.id, event_id).await?;
    if target.kind == "concluded" {
        let mut cols = tx.foi_case(case.id).await?.clock_columns();
        cols.outcome = None;
        tx.set_foi_clock(case.id, &cols).await?;
    }
    refresh(&mut tx, &cal, case.id, today).await?;
    tx.audit(
        NewEntry::new(actor, "foi.event_delete", "foi_case", case.id)
            .unit(Some(case.unit_id))
            .detail(serde_json::json!({ "kind": target.kind, "on": target.occurred_on, "days": target.days })),
    )
    .await?;
    tx.commit().await?;
    state.content_changed();
    Ok(())
}

/// What a recomputation found.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Recomputed {
    pub checked: usize,
    pub changed: usize,
    pub failed: usize,
}

/// Recomputes every open case's clock (after a calendar change, and daily
/// as days pass) and writes the columns that changed, in one transaction.
pub async fn recompute_all(store: &gongkai_store::Store, cal: &Calendar, today: NaiveDate, actor: &str) -> AppResult<Recomputed> {
    let cases = store.foi_open_cases(None).await?;
    // The fold is pure: split it over the cores.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let chunk = cases.len().div_ceil(threads).max(1);
    let parts: Vec<PartResult> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .chunks(chunk)
            .map(|part| scope.spawn(move || recompute_part(cal, part, today)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
    });
    let mut out = Recomputed {
        checked: cases.len(),
        ..Default::default()
    };
    let mut changes = Vec::new();
    for (failed, _, part) in parts {
        out.failed += failed;
        changes.extend(part);
    }
    out.changed = changes.len();
    if !changes.is_empty() {
        let mut tx = store.begin().await?;
        tx.set_foi_clocks(&changes).await?;
        let closed: Vec<i64> = changes.iter().filter(|(_, _, c)| c.auto_closed).map(|(id, _, _)| *id).collect();
        tx.audit(NewEntry::new(actor, "foi.recompute", "foi_case", 0).detail(serde_json::json!({
            "checked": out.checked,
            "changed": out.changed,
            "auto_closed_count": closed.len(),
            "auto_closed": &closed[..closed.len().min(1000)],
        })))
        .await?;
        tx.commit().await?;
    }
    Ok(out)
}

/// `(failed, checked, (id, before, after) of the changed cases)`.
type PartResult = (usize, usize, Vec<(i64, FoiClockColumns, FoiClockColumns)>);

/// Folds one slice of open cases.
fn recompute_part(cal: &Calendar, cases: &[gongkai_store::foi::FoiClockInput], today: NaiveDate) -> PartResult {
    let mut failed = 0;
    let mut changes = Vec::new();
    for c in cases {
        let channel = Channel::parse(&c.channel).unwrap_or(Channel::InPerson);
        let Some(evs) = ClockEvent::decode_list(&c.clock_events, channel) else {
            failed += 1;
            continue;
        };
        if evs.is_empty() {
            continue;
        }
        match compute_quiet(cal, &evs, today) {
            Ok(clock) => {
                let cols = columns_of(Some(&clock), c.outcome.as_deref());
                let before = c.columns();
                if cols != before {
                    changes.push((c.id, before, cols));
                }
            }
            Err(_) => failed += 1,
        }
    }
    (failed, cases.len(), changes)
}

/// The daily deadline work: recompute (overdue flags, auto-closing cases
/// whose correction or payment period passed) and remind the handling unit
/// of cases due within [`REMIND_DAYS`] working days.
pub async fn run_deadlines(state: &AppState) -> AppResult<(Recomputed, usize)> {
    let today = state.clock.now().date_naive();
    let cal = state.calendar().await?;
    let r = recompute_all(&state.store, &cal, today, "system").await?;
    let mut reminded = 0;
    for c in state.store.foi_open_cases(None).await? {
        let Some(due) = opt_day(&c.due_on) else { continue };
        if c.status != CaseStatus::Open.as_str() {
            continue;
        }
        let left = if today <= due { cal.working_days_between(today, due) } else { 0 };
        if left > REMIND_DAYS {
            continue;
        }
        let case = state.store.foi_case(c.id).await?;
        if case.reminded_at.is_some() {
            continue;
        }
        let mut tx = state.store.begin().await?;
        let subject = if today > due {
            format!("依申请公开 {} 已超过答复期限 {due}", case.ref_no)
        } else {
            format!("依申请公开 {} 将于 {due} 到期", case.ref_no)
        };
        tx.enqueue_outbox(
            "notice",
            &format!("unit:{}", case.unit_id),
            &subject,
            &format!("{subject}，请及时办理。"),
            "foi_case",
            case.id,
        )
        .await?;
        tx.mark_foi_reminded(case.id).await?;
        tx.audit(
            NewEntry::new("system", "foi.remind", "foi_case", case.id)
                .unit(Some(case.unit_id))
                .detail(serde_json::json!({ "due_on": due.to_string() })),
        )
        .await?;
        tx.commit().await?;
        reminded += 1;
    }
    if r.changed > 0 || reminded > 0 {
        state.content_changed();
    }
    Ok((r, reminded))
}

/// The fee of a case: 按件 counts the applicant's applications in the
/// month of receipt up to this one; 按量 takes the page count.
pub async fn fee_for(state: &AppState, case: &FoiCaseRow, method: FeeMethod, pages: Option<u32>) -> AppResult<(u32, u64)> {
    let n = match method {
        FeeMethod::PerPage => pages
            .filter(|p| *p > 0)
            .ok_or_else(|| AppError::invalid("pages", "按量计收须填写页数"))?,
        FeeMethod::PerItem => {
            let month = case
                .received_on
                .as_deref()
                .and_then(|d| d.get(..7))
                .ok_or_else(|| AppError::conflict("申请尚未确认收到"))?;
            let n = state.store.foi_nth_in_month(case.site_id, &case.id_number, month, case.id).await?;
            u32::try_from(n).unwrap_or(u32::MAX).max(1)
        }
    };
    Ok((n, estimate(method, n).fee_yuan))
}

/// Records the fee decided for a case (one method per application).
pub async fn set_fee(state: &AppState, actor: &str, case: &FoiCaseRow, method: FeeMethod, pages: Option<u32>) -> AppResult<u64> {
    if case.status == CaseStatus::Concluded.as_str() {
        return Err(AppError::conflict("已办结的申请不能再收费"));
    }
    let (n, yuan) = fee_for(state, case, method, pages).await?;
    let mut tx = state.store.begin().await?;
    tx.set_foi_fee(case.id, method.as_str(), i64::from(n), yuan as i64).await?;
    tx.add_foi_event(
        case.id,
        "fee_set",
        &state.clock.now().date_naive().to_string(),
        Some(i64::from(n)),
        Some(&format!("{}，第{n}{}，¥{yuan}", method.label_zh(), method.unit_zh())),
        actor,
    )
    .await?;
    tx.audit(
        NewEntry::new(actor, "foi.fee", "foi_case", case.id)
            .unit(Some(case.unit_id))
            .detail(serde_json::json!({ "method": method.as_str(), "n": n, "fee_yuan": yuan })),
    )
    .await?;
    tx.commit().await?;
    Ok(yuan)
}

/// The letter context of a case.
pub async fn letter_context(state: &AppState, case: &FoiCaseRow, clock: Option<&ClockState>, on: NaiveDate) -> AppResult<LetterContext> {
    let unit = state.store.get_unit(case.unit_id).await?;
    let fee = match (case.fee_method.as_deref().and_then(FeeMethod::parse), case.fee_quantity) {
        (Some(m), Some(n)) => Some(estimate(m, u32::try_from(n).unwrap_or(0))),
        _ => None,
    };
    Ok(LetterContext {
        agency: unit.name,
        applicant: case.applicant_name.clone(),
        ref_no: case.ref_no.clone(),
        received: opt_day(&case.received_on).unwrap_or(on),
        description: case.description.clone(),
        date: on,
        form: gongkai_domain::foi::FormWanted::parse(&case.form_wanted).map(|f| f.label_zh().to_owned()),
        fee,
        answer_due: clock.and_then(|c| c.third_party_answer_due),
        ..Default::default()
    })
}

/// The letter kinds of the drafting form, with labels.
pub fn letter_kinds() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![
        LetterKind::CorrectionNotice,
        LetterKind::ExtensionNotice,
        LetterKind::FeeNotice,
        LetterKind::ThirdPartyConsultation,
        LetterKind::AgencyConsultation,
    ]
    .into_iter()
    .map(|k| (k.code(), k.label_zh().to_owned()))
    .collect();
    for o in Outcome::ALL {
        out.push((LetterKind::Reply(o).code(), format!("答复：{}", o.full_label_zh())));
    }
    out
}

/// The clock event a letter stands for when it is issued on `on`.
pub fn event_of_letter(kind: LetterKind, days: Option<u32>) -> Option<(&'static str, Option<u32>)> {
    match kind {
        LetterKind::Reply(_) => Some(("concluded", None)),
        LetterKind::CorrectionNotice => Some(("correction_requested", days)),
        LetterKind::ExtensionNotice => Some(("extended", days)),
        LetterKind::ThirdPartyConsultation => Some(("third_party_sent", None)),
        LetterKind::AgencyConsultation => Some(("agency_consult_sent", None)),
        LetterKind::FeeNotice => None,
    }
}

/// Issues a draft letter on `on`: records the event it stands for (after
/// checking the regulation allows it), then marks the letter issued.
pub async fn issue_letter(state: &AppState, actor: &str, case: &FoiCaseRow, letter: &FoiLetterRow, on: NaiveDate) -> AppResult<()> {
    if letter.issued_on.is_some() {
        return Err(AppError::conflict("该文书已出具，不能重复出具"));
    }
    let kind = LetterKind::parse(&letter.kind).ok_or_else(AppError::internal)?;
    if matches!(kind, LetterKind::FeeNotice) && case.fee_yuan.is_none() {
        return Err(AppError::conflict("请先确定收费方式和金额"));
    }
    let days = letter.days.and_then(|d| u32::try_from(d).ok());
    if let Some((event, days)) = event_of_letter(kind, days) {
        let outcome = match kind {
            LetterKind::Reply(o) => Some(o),
            _ => None,
        };
        record_event(
            state,
            actor,
            case,
            event,
            on,
            days,
            Some(&format!("出具《{}》", letter.title)),
            outcome,
        )
        .await?;
    }
    let mut tx = state.store.begin().await?;
    if !tx.issue_foi_letter(letter.id, &on.to_string(), actor).await? {
        return Err(AppError::conflict("该文书已出具，不能重复出具"));
    }
    if event_of_letter(kind, days).is_none() {
        tx.add_foi_event(
            case.id,
            "letter_issued",
            &on.to_string(),
            None,
            Some(&format!("出具《{}》", letter.title)),
            actor,
        )
        .await?;
    }
    tx.audit(
        NewEntry::new(actor, "foi.letter_issue", "foi_letter", letter.id)
            .unit(Some(case.unit_id))
            .detail(serde_json::json!({ "case": case.id, "kind": letter.kind, "on": on.to_string() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records delivery of an issued letter; a fee notice's delivery starts the
/// 20 working days to pay.
pub async fn deliver_letter(
    state: &AppState,
    actor: &str,
    case: &FoiCaseRow,
    letter: &FoiLetterRow,
    on: NaiveDate,
    method: &str,
) -> AppResult<()> {
    let Some(issued) = opt_day(&letter.issued_on) else {
        return Err(AppError::conflict("文书尚未出具，不能登记送达"));
    };
    if on < issued {
        return Err(AppError::invalid("on", "送达日期不能早于出具日期"));
    }
    if letter.delivered_on.is_some() {
        return Err(AppError::conflict("该文书已登记送达"));
    }
    let method = method.trim();
    if method.is_empty() || method.chars().count() > 50 {
        return Err(AppError::invalid("method", "请填写送达方式（不超过50个字）"));
    }
    let kind = LetterKind::parse(&letter.kind).ok_or_else(AppError::internal)?;
    let note = format!("《{}》{}送达", letter.title, method);
    if matches!(kind, LetterKind::FeeNotice) {
        record_event(state, actor, case, "fee_notice_delivered", on, None, Some(&note), None).await?;
    }
    let mut tx = state.store.begin().await?;
    tx.deliver_foi_letter(letter.id, &on.to_string(), method).await?;
    if !matches!(kind, LetterKind::FeeNotice) {
        tx.add_foi_event(case.id, "letter_delivered", &on.to_string(), None, Some(&note), actor)
            .await?;
    }
    tx.audit(
        NewEntry::new(actor, "foi.letter_deliver", "foi_letter", letter.id)
            .unit(Some(case.unit_id))
            .detail(serde_json::json!({ "case": case.id, "on": on.to_string(), "method": method })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Splits a multi-item application into one case per item (一事一申请):
/// the case keeps the first item, every further item becomes a new case of
/// the same applicant with the same receipt, so each is answered, counted
/// and charged on its own. The original wording stays in the history.
pub async fn split_case(state: &AppState, actor: &str, case: &FoiCaseRow, items: &[String]) -> AppResult<Vec<FoiCaseRow>> {
    if case.status == CaseStatus::Concluded.as_str() {
        return Err(AppError::conflict("已办结的申请不能再拆分"));
    }
    let Some(received) = case.received_on.clone() else {
        return Err(AppError::conflict("请先确认收到申请，再拆分"));
    };
    let items: Vec<&str> = items.iter().map(|i| i.trim()).filter(|i| !i.is_empty()).collect();
    if !(2..=20).contains(&items.len()) {
        return Err(AppError::invalid("items", "请逐行填写拆分后的各项申请内容（2至20项）"));
    }
    if let Some(bad) = items.iter().find(|i| i.chars().count() < 4 || i.chars().count() > 2000) {
        return Err(AppError::invalid("items", format!("“{bad}”：每项内容应为4至2000个字")));
    }
    let today = state.clock.now().date_naive();
    let cal = state.calendar().await?;
    let mut tx = state.store.begin().await?;
    let events = tx.foi_events(case.id).await?;
    let receipt_note = events.iter().find(|e| e.kind == "received").and_then(|e| e.note.clone());
    let mut created = Vec::new();
    for item in &items[1..] {
        let random = random_code();
        let id = tx
            .insert_foi_case(&NewFoiCase {
                site_id: case.site_id,
                unit_id: case.unit_id,
                ref_no: format!("pending-{random}-{}", crate::auth::random_token()),
                channel: case.channel.clone(),
                applicant_type: case.applicant_type.clone(),
                applicant_name: case.applicant_name.clone(),
                org_code: case.org_code.clone(),
                contact_person: case.contact_person.clone(),
                id_type: case.id_type.clone(),
                id_number: case.id_number.clone(),
                id_file_hash: case.id_file_hash.clone(),
                id_file_name: case.id_file_name.clone(),
                phone: case.phone.clone(),
                email: case.email.clone(),
                address: case.address.clone(),
                postcode: case.postcode.clone(),
                description: (*item).to_owned(),
                doc_number: None,
                form_wanted: case.form_wanted.clone(),
                delivery: case.delivery.clone(),
                submitted_on: case.submitted_on.clone(),
                status: CaseStatus::Unconfirmed.as_str().into(),
                parent_id: Some(case.id),
                created_by: actor.into(),
            })
            .await?;
        let day = opt_day(&Some(received.clone())).unwrap_or(today);
        tx.set_foi_ref_no(id, &reference_number(day, id, &random)).await?;
        tx.add_foi_event(id, "received", &received, None, receipt_note.as_deref(), actor)
            .await?;
        tx.add_foi_event(
            id,
            "note",
            &today.to_string(),
            None,
            Some(&format!("由申请 {} 拆分（一事一申请）", case.ref_no)),
            actor,
        )
        .await?;
        let (row, _) = refresh(&mut tx, &cal, id, today).await?;
        created.push(row);
    }
    tx.set_foi_description(case.id, items[0]).await?;
    let refs: Vec<&str> = created.iter().map(|c| c.ref_no.as_str()).collect();
    tx.add_foi_event(
        case.id,
        "note",
        &today.to_string(),
        None,
        Some(&format!(
            "拆分为 {} 项（一事一申请），另立 {}；原申请内容：{}",
            items.len(),
            refs.join("、"),
            case.description
        )),
        actor,
    )
    .await?;
    tx.audit(
        NewEntry::new(actor, "foi.split", "foi_case", case.id)
            .unit(Some(case.unit_id))
            .detail(serde_json::json!({ "ref_no": case.ref_no, "new": refs })),
    )
    .await?;
    tx.commit().await?;
    state.content_changed();
    Ok(created)
}

/// Earlier applications of the same applicant that look like this one
/// (a hint for 重复申请, 第三十六条第（六）项).
pub async fn probable_repeats(state: &AppState, case: &FoiCaseRow) -> AppResult<Vec<(i64, String, f64)>> {
    let prior = state.store.foi_prior_cases(case.site_id, &case.id_number, case.id, 50).await?;
    Ok(prior
        .into_iter()
        .filter(|p| p.id < case.id)
        .filter_map(|p| {
            let s = gongkai_domain::foi::similarity(&case.description, &p.description);
            gongkai_domain::foi::is_probable_repeat(&case.description, &p.description).then_some((p.id, p.ref_no, s))
        })
        .collect())
}
