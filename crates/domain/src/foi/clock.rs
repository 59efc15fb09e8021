//! The statutory clock of an application, as a pure fold over its events.
//!
//! Rules (DERIVED model of rules.md §1, "How to count the days"):
//! - Reply due (第三十三条): the 20th working day after the receipt date (the
//!   day after receipt is the first that can count).
//! - 补正 (第三十条): the notice is due within 7 working days of receipt; the
//!   agency sets the correction period (here in working days after the
//!   notice). While a correction is outstanding the reply clock does not run;
//!   it **restarts** from the day the corrected application is received. If
//!   the period passes without one, the case closes as
//!   [`Outcome::OtherNoCorrection`].
//! - Consultations (第三十二条 third party, 第三十四条 other agencies; both have
//!   15 working days to answer) **suspend** the clock: a consultation sent on
//!   `s` and answered on `a` adds the working days in `(s, a]`. An answer
//!   after the 15 days counts only up to the answer deadline (the third party
//!   "逾期未提出意见", the agency "视为同意公开"). Overlapping consultations
//!   count their union once. A consultation sent after the reply was already
//!   due does not extend it.
//! - Extension (第三十三条): once, 1–20 working days, decided within the reply
//!   period.
//! - Fee (国办函〔2020〕109号): payment within 20 working days from the day after
//!   the fee notice is received; unpaid after that, the case closes as
//!   [`Outcome::OtherUnpaidFee`]. Whether the reply clock pauses while a fee
//!   is outstanding is UNVERIFIED (rules.md §2); here it does not.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Channel, FoiError, Outcome};
use crate::calendar::Calendar;

/// Working days to reply (第三十三条).
pub const REPLY_DAYS: u32 = 20;
/// Longest extension, in working days (第三十三条).
pub const MAX_EXTENSION_DAYS: u32 = 20;
/// Working days to notify the applicant of a needed correction (第三十条).
pub const CORRECTION_NOTICE_DAYS: u32 = 7;
/// Working days a third party has to answer (第三十二条).
pub const THIRD_PARTY_ANSWER_DAYS: u32 = 15;
/// Working days a consulted agency has to answer (第三十四条).
pub const AGENCY_ANSWER_DAYS: u32 = 15;
/// Working days to pay a fee after the notice (国办函〔2020〕109号).
pub const FEE_PAYMENT_DAYS: u32 = 20;

/// One thing that happened to an application, with its date. Events must be
/// given in date order (same-day events in the order they happened).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClockEvent {
    /// The application was received (date from [`receipt_date`](super::receipt_date)).
    Received { on: NaiveDate, channel: Channel },
    /// The applicant was told to correct the application within
    /// `period_days` working days (第三十条).
    CorrectionRequested { on: NaiveDate, period_days: u32 },
    /// The corrected application was received: the reply clock restarts.
    CorrectionReceived { on: NaiveDate },
    /// A written request for a third party's opinion was sent (第三十二条).
    ThirdPartySent { on: NaiveDate },
    /// The third party answered. Leave it out while no answer has come: after
    /// 15 working days the pause ends by itself.
    ThirdPartyAnswered { on: NaiveDate },
    /// Another agency was consulted (第三十四条).
    AgencyConsultSent { on: NaiveDate },
    /// The consulted agency answered.
    AgencyConsultAnswered { on: NaiveDate },
    /// The reply period was extended by `days` working days (1–20, once),
    /// approved by the head of the disclosure office (第三十三条).
    Extended { on: NaiveDate, days: u32 },
    /// The applicant received the fee notice.
    FeeNoticeDelivered { on: NaiveDate },
    /// The applicant paid the fee.
    FeePaid { on: NaiveDate },
    /// The agency replied (or otherwise closed the case).
    Concluded { on: NaiveDate },
}

impl ClockEvent {
    /// The event's date.
    pub fn on(&self) -> NaiveDate {
        match *self {
            ClockEvent::Received { on, .. }
            | ClockEvent::CorrectionRequested { on, .. }
            | ClockEvent::CorrectionReceived { on }
            | ClockEvent::ThirdPartySent { on }
            | ClockEvent::ThirdPartyAnswered { on }
            | ClockEvent::AgencyConsultSent { on }
            | ClockEvent::AgencyConsultAnswered { on }
            | ClockEvent::Extended { on, .. }
            | ClockEvent::FeeNoticeDelivered { on }
            | ClockEvent::FeePaid { on }
            | ClockEvent::Concluded { on } => on,
        }
    }

    /// Builds an event from its stored parts: the [`name`](ClockEvent::name),
    /// the date and, for a correction request or an extension, the number of
    /// working days. `None` for names that are not clock events (notes,
    /// letters, assignments also sit in a case's history).
    pub fn from_parts(name: &str, on: NaiveDate, days: Option<u32>, channel: Channel) -> Option<ClockEvent> {
        Some(match name {
            "received" => ClockEvent::Received { on, channel },
            "correction_requested" => ClockEvent::CorrectionRequested { on, period_days: days? },
            "correction_received" => ClockEvent::CorrectionReceived { on },
            "third_party_sent" => ClockEvent::ThirdPartySent { on },
            "third_party_answered" => ClockEvent::ThirdPartyAnswered { on },
            "agency_consult_sent" => ClockEvent::AgencyConsultSent { on },
            "agency_consult_answered" => ClockEvent::AgencyConsultAnswered { on },
            "extended" => ClockEvent::Extended { on, days: days? },
            "fee_notice_delivered" => ClockEvent::FeeNoticeDelivered { on },
            "fee_paid" => ClockEvent::FeePaid { on },
            "concluded" => ClockEvent::Concluded { on },
            _ => return None,
        })
    }

    /// A compact text form of a case's clock events, in order:
    /// `received@2021-09-24;correction_requested@2021-09-27+10;…`. The store
    /// keeps it beside the case so a recomputation of every open case reads
    /// one row per case.
    pub fn encode_list(events: &[ClockEvent]) -> String {
        let mut out = String::with_capacity(events.len() * 24);
        for (i, e) in events.iter().enumerate() {
            if i > 0 {
                out.push(';');
            }
            out.push_str(e.name());
            out.push('@');
            out.push_str(&e.on().format("%Y-%m-%d").to_string());
            if let Some(d) = e.days() {
                out.push('+');
                out.push_str(&d.to_string());
            }
        }
        out
    }

    /// Reads [`encode_list`](ClockEvent::encode_list)'s form back; `None` if
    /// any part is malformed.
    pub fn decode_list(s: &str, channel: Channel) -> Option<Vec<ClockEvent>> {
        if s.is_empty() {
            return Some(Vec::new());
        }
        s.split(';')
            .map(|part| {
                let (name, rest) = part.split_once('@')?;
                let (date, days) = match rest.split_once('+') {
                    Some((d, n)) => (d, Some(n.parse().ok()?)),
                    None => (rest, None),
                };
                ClockEvent::from_parts(name, NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?, days, channel)
            })
            .collect()
    }

    /// The working days an event carries (correction period, extension).
    pub fn days(&self) -> Option<u32> {
        match *self {
            ClockEvent::CorrectionRequested { period_days, .. } => Some(period_days),
            ClockEvent::Extended { days, .. } => Some(days),
            _ => None,
        }
    }

    /// The Chinese label of an event name, for histories and forms.
    pub fn label_zh(name: &str) -> Option<&'static str> {
        Some(match name {
            "received" => "收到申请",
            "correction_requested" => "告知补正",
            "correction_received" => "收到补正申请",
            "third_party_sent" => "征求第三方意见",
            "third_party_answered" => "第三方答复意见",
            "agency_consult_sent" => "征求其他机关意见",
            "agency_consult_answered" => "其他机关答复意见",
            "extended" => "延期答复",
            "fee_notice_delivered" => "收费通知送达",
            "fee_paid" => "申请人缴费",
            "concluded" => "办结",
            _ => return None,
        })
    }

    /// The English name used in errors (the serde tag).
    pub fn name(&self) -> &'static str {
        match self {
            ClockEvent::Received { .. } => "received",
            ClockEvent::CorrectionRequested { .. } => "correction_requested",
            ClockEvent::CorrectionReceived { .. } => "correction_received",
            ClockEvent::ThirdPartySent { .. } => "third_party_sent",
            ClockEvent::ThirdPartyAnswered { .. } => "third_party_answered",
            ClockEvent::AgencyConsultSent { .. } => "agency_consult_sent",
            ClockEvent::AgencyConsultAnswered { .. } => "agency_consult_answered",
            ClockEvent::Extended { .. } => "extended",
            ClockEvent::FeeNoticeDelivered { .. } => "fee_notice_delivered",
            ClockEvent::FeePaid { .. } => "fee_paid",
            ClockEvent::Concluded { .. } => "concluded",
        }
    }
}

/// One step of the explanation shown to staff and applicants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainLine {
    /// The date of the event the step is about, if any.
    pub on: Option<NaiveDate>,
    /// The step, in Chinese, e.g. "2021-09-24 收到申请（当面提交）".
    pub text: String,
}

impl std::fmt::Display for ExplainLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// The clock of an application as of `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockState {
    /// The first receipt date.
    pub received: NaiveDate,
    pub channel: Channel,
    /// The day the 20 working days run from: the receipt, or the receipt of
    /// the corrected application; `None` while a correction is outstanding.
    pub clock_start: Option<NaiveDate>,
    /// The reply due date: `clock_start` + 20 + paused + extension working
    /// days. `None` while a correction is outstanding. While a consultation is
    /// open it counts the pause up to `today`, so it moves day by day.
    pub due: Option<NaiveDate>,
    /// `clock_start` + 20 working days, without pauses or extension.
    pub base_due: Option<NaiveDate>,
    /// Working days the clock was suspended by consultations.
    pub paused_days: u32,
    /// Working days of the extension (0 if none).
    pub extension_days: u32,
    /// Last day to notify a needed correction: 7 working days after the first
    /// receipt (第三十条).
    pub correction_notice_due: NaiveDate,
    /// Whether the correction notice went out after `correction_notice_due`.
    pub correction_notice_late: bool,
    /// Last day for the corrected application, if a correction was requested.
    pub correction_deadline: Option<NaiveDate>,
    /// Last day to pay, for the latest fee notice.
    pub fee_payment_deadline: Option<NaiveDate>,
    /// Answer deadline of the latest third-party consultation (15 working days).
    pub third_party_answer_due: Option<NaiveDate>,
    /// Answer deadline of the latest agency consultation (15 working days).
    pub agency_answer_due: Option<NaiveDate>,
    /// Whether a consultation is open and suspending the clock.
    pub paused: bool,
    /// Open case waiting for the applicant's corrected application.
    pub awaiting_correction: bool,
    /// Open case with a fee notice delivered and not yet paid.
    pub awaiting_fee: bool,
    /// The date the case was concluded.
    pub concluded: Option<NaiveDate>,
    /// The outcome the case has reached by itself: no correction in time, or
    /// fee unpaid in time. `None` once concluded.
    pub auto_close: Option<Outcome>,
    /// Open case: `today` is after `due`. Concluded case: it was concluded
    /// after `due`. Never set for auto-closed cases.
    pub overdue: bool,
    /// Open, running case: working days in `(today, due]` (0 on the due day),
    /// or minus the working days in `(due, today]` once overdue. `None` when
    /// concluded, auto-closed or waiting for a correction.
    pub days_left: Option<i64>,
    /// Some date was computed in a year the calendar has no holiday
    /// arrangement for: it may move when that year's notice is imported.
    pub provisional: bool,
    /// Each step, in Chinese.
    pub explanation: Vec<ExplainLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ConsultKind {
    ThirdParty,
    Agency,
}

impl ConsultKind {
    fn label_zh(self) -> &'static str {
        match self {
            ConsultKind::ThirdParty => "征求第三方意见",
            ConsultKind::Agency => "征求其他机关意见",
        }
    }

    fn answer_days(self) -> u32 {
        match self {
            ConsultKind::ThirdParty => THIRD_PARTY_ANSWER_DAYS,
            ConsultKind::Agency => AGENCY_ANSWER_DAYS,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Pause {
    kind: ConsultKind,
    sent: NaiveDate,
    answer_due: NaiveDate,
    answered: Option<NaiveDate>,
    /// Sent within the reply period, so it suspends the clock.
    counted: bool,
}

impl Pause {
    /// Last day of the pause: the answer (or `as_of` while open), capped at
    /// the answer deadline.
    fn end(&self, as_of: NaiveDate) -> NaiveDate {
        self.answered.unwrap_or(as_of).min(self.answer_due).max(self.sent)
    }
}

#[derive(Debug, Clone, Copy)]
struct Correction {
    requested: NaiveDate,
    deadline: NaiveDate,
    received: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy)]
struct FeeNotice {
    deadline: NaiveDate,
    paid: Option<NaiveDate>,
}

struct Fold<'a> {
    cal: &'a Calendar,
    received: NaiveDate,
    clock_start: Option<NaiveDate>,
    correction: Option<Correction>,
    pauses: Vec<Pause>,
    extension: Option<(NaiveDate, u32)>,
    fee: Option<FeeNotice>,
    concluded: Option<NaiveDate>,
    /// The first processing step (consultation, extension, fee), after which
    /// a correction may no longer be requested.
    processed: Option<&'static str>,
    /// Whether to write the explanation (bulk recomputation does not).
    explain: bool,
    lines: Vec<ExplainLine>,
}

fn skipped_summary(cal: &Calendar, start: NaiveDate, n: u32) -> String {
    let mut groups: Vec<(String, usize)> = Vec::new();
    for s in cal.deadline(start, n).skipped {
        match groups.iter_mut().find(|g| g.0 == s.reason) {
            Some(g) => g.1 += 1,
            None => groups.push((s.reason, 1)),
        }
    }
    if groups.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = groups.iter().map(|(r, n)| format!("{r} {n}天")).collect();
    format!("（跳过：{}）", parts.join("、"))
}

impl Fold<'_> {
    fn line(&mut self, on: Option<NaiveDate>, text: String) {
        if !self.explain {
            return;
        }
        self.lines.push(ExplainLine { on, text });
    }

    fn correction_pending(&self) -> bool {
        self.correction.is_some_and(|c| c.received.is_none())
    }

    /// Working days of the union of counted pauses as of `as_of`, leaving out
    /// pause `skip`.
    fn paused_days(&self, as_of: NaiveDate, skip: Option<usize>) -> u32 {
        let mut spans: Vec<(NaiveDate, NaiveDate)> = self
            .pauses
            .iter()
            .enumerate()
            .filter(|(i, p)| p.counted && Some(*i) != skip)
            .map(|(_, p)| (p.sent, p.end(as_of)))
            .filter(|(s, e)| e > s)
            .collect();
        spans.sort();
        let mut total = 0;
        let mut current: Option<(NaiveDate, NaiveDate)> = None;
        for (s, e) in spans {
            match current {
                Some((cs, ce)) if s <= ce => current = Some((cs, ce.max(e))),
                _ => {
                    if let Some((cs, ce)) = current {
                        total += self.cal.working_days_between(cs, ce);
                    }
                    current = Some((s, e));
                }
            }
        }
        if let Some((cs, ce)) = current {
            total += self.cal.working_days_between(cs, ce);
        }
        total
    }

    fn total_days(&self, as_of: NaiveDate) -> u32 {
        REPLY_DAYS + self.extension.map_or(0, |e| e.1) + self.paused_days(as_of, None)
    }

    fn due_as_of(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        if self.correction_pending() {
            return None;
        }
        self.clock_start
            .map(|start| self.cal.add_working_days(start, self.total_days(as_of)))
    }

    fn start_lines(&mut self, start: NaiveDate) {
        if !self.explain {
            return;
        }
        let next = start.succ_opt().unwrap_or(start);
        let first = self.cal.add_working_days(start, 1);
        let text = if first == next {
            format!("起算：次日（{next}）为第1个工作日")
        } else {
            format!("起算：次日起算，第1个工作日为 {first}")
        };
        self.line(None, text);
        let due = self.cal.add_working_days(start, REPLY_DAYS);
        let skipped = skipped_summary(self.cal, start, REPLY_DAYS);
        self.line(None, format!("答复期限：{REPLY_DAYS}个工作日 → {due}{skipped}"));
    }

    fn open_pause(&self, kind: ConsultKind) -> Option<usize> {
        self.pauses.iter().position(|p| p.kind == kind && p.answered.is_none())
    }

    fn send(&mut self, kind: ConsultKind, event: &ClockEvent) -> Result<(), FoiError> {
        let on = event.on();
        if self.correction_pending() {
            return Err(FoiError::CorrectionPending { event: event.name() });
        }
        if self.open_pause(kind).is_some() {
            return Err(FoiError::AlreadyOpen { event: event.name() });
        }
        self.processed.get_or_insert(event.name());
        let due = self.due_as_of(on);
        let counted = due.is_some_and(|d| on <= d);
        let answer_due = self.cal.add_working_days(on, kind.answer_days());
        self.pauses.push(Pause {
            kind,
            sent: on,
            answer_due,
            answered: None,
            counted,
        });
        let (who, article) = match kind {
            ConsultKind::ThirdParty => ("第三方", "第三十二条"),
            ConsultKind::Agency => ("被征求意见机关", "第三十四条"),
        };
        let mut text = format!(
            "{on} {}：{who}应于 {answer_due} 前提出意见（{article}，{}个工作日）",
            kind.label_zh(),
            kind.answer_days()
        );
        if !counted {
            text.push_str("；发出时答复期限已届满，征求意见时间不再顺延答复期限");
        }
        self.line(Some(on), text);
        Ok(())
    }

    /// Closes pause `i` on `on` and explains how it moved the due date.
    fn close(&mut self, i: usize, on: NaiveDate, why: &str) {
        let before = self.paused_days(on, Some(i));
        self.pauses[i].answered = Some(on);
        let p = self.pauses[i];
        let end = p.end(on);
        let own = self.cal.working_days_between(p.sent, end);
        let mut text = format!("{}：{} 至 {} ", p.kind.label_zh(), p.sent, end);
        if !p.counted {
            text.push_str("（不顺延答复期限）");
            text.push_str(why);
            self.line(Some(on), text);
            return;
        }
        let added = self.paused_days(on, None) - before;
        text.push_str(&format!("暂停 {own} 个工作日"));
        if added != own {
            text.push_str(&format!("（与其他征求意见重叠，实际顺延 {added} 个工作日）"));
        }
        if let Some(due) = self.due_as_of(on) {
            text.push_str(&format!(" → 期限顺延至 {due}"));
        }
        text.push_str(why);
        self.line(Some(on), text);
    }

    fn answer(&mut self, kind: ConsultKind, event: &ClockEvent) -> Result<(), FoiError> {
        let on = event.on();
        let i = self
            .open_pause(kind)
            .ok_or(FoiError::AnswerWithoutRequest { event: event.name() })?;
        let answer_due = self.pauses[i].answer_due;
        let why = if on > answer_due {
            format!("（{on} 才答复，已超过答复期限 {answer_due}，暂停只计至该日）")
        } else {
            String::new()
        };
        self.close(i, on, &why);
        Ok(())
    }

    fn apply(&mut self, event: &ClockEvent) -> Result<(), FoiError> {
        let on = event.on();
        match *event {
            ClockEvent::Received { .. } => return Err(FoiError::DuplicateReceipt { first: self.received, on }),
            ClockEvent::CorrectionRequested { period_days, .. } => {
                if let Some(c) = self.correction {
                    return Err(FoiError::SecondCorrection { first: c.requested });
                }
                if period_days == 0 {
                    return Err(FoiError::ZeroCorrectionPeriod);
                }
                if let Some(after) = self.processed {
                    return Err(FoiError::CorrectionAfterProcessing { after });
                }
                let deadline = self.cal.add_working_days(on, period_days);
                self.correction = Some(Correction {
                    requested: on,
                    deadline,
                    received: None,
                });
                self.clock_start = None;
                let notice_due = self.cal.add_working_days(self.received, CORRECTION_NOTICE_DAYS);
                let late = if on > notice_due {
                    format!("（超过补正告知期限 {notice_due}）")
                } else {
                    String::new()
                };
                self.line(
                    Some(on),
                    format!("{on} 一次性告知补正{late}，补正期限 {period_days} 个工作日 → {deadline}；答复期限自收到补正申请之日起计算（第三十条）"),
                );
            }
            ClockEvent::CorrectionReceived { .. } => {
                let Some(c) = self.correction.as_mut().filter(|c| c.received.is_none()) else {
                    return Err(FoiError::AnswerWithoutRequest { event: event.name() });
                };
                c.received = Some(on);
                let deadline = c.deadline;
                self.clock_start = Some(on);
                let late = if on > deadline {
                    format!("（已超过补正期限 {deadline}）")
                } else {
                    String::new()
                };
                self.line(Some(on), format!("{on} 收到补正后的申请{late}，答复期限自该日重新起算"));
                self.start_lines(on);
            }
            ClockEvent::ThirdPartySent { .. } => self.send(ConsultKind::ThirdParty, event)?,
            ClockEvent::ThirdPartyAnswered { .. } => self.answer(ConsultKind::ThirdParty, event)?,
            ClockEvent::AgencyConsultSent { .. } => self.send(ConsultKind::Agency, event)?,
            ClockEvent::AgencyConsultAnswered { .. } => self.answer(ConsultKind::Agency, event)?,
            ClockEvent::Extended { days, .. } => {
                if self.correction_pending() {
                    return Err(FoiError::CorrectionPending { event: event.name() });
                }
                if let Some((first, _)) = self.extension {
                    return Err(FoiError::SecondExtension { first });
                }
                if days == 0 || days > MAX_EXTENSION_DAYS {
                    return Err(FoiError::ExtensionOutOfRange { days });
                }
                if let Some(due) = self.due_as_of(on).filter(|due| on > *due) {
                    return Err(FoiError::ExtensionAfterDue { on, due });
                }
                self.processed.get_or_insert(event.name());
                self.extension = Some((on, days));
                let due = self.due_as_of(on).map(|d| format!(" → {d}")).unwrap_or_default();
                self.line(
                    Some(on),
                    format!("{on} 延期 {days} 个工作日（经负责人同意并告知申请人，第三十三条）{due}"),
                );
            }
            ClockEvent::FeeNoticeDelivered { .. } => {
                if self.correction_pending() {
                    return Err(FoiError::CorrectionPending { event: event.name() });
                }
                if self.fee.is_some_and(|f| f.paid.is_none()) {
                    return Err(FoiError::AlreadyOpen { event: event.name() });
                }
                self.processed.get_or_insert(event.name());
                let deadline = self.cal.add_working_days(on, FEE_PAYMENT_DAYS);
                self.fee = Some(FeeNotice { deadline, paid: None });
                self.line(
                    Some(on),
                    format!("{on} 收费通知送达，应自次日起{FEE_PAYMENT_DAYS}个工作日内缴费 → {deadline}（国办函〔2020〕109号）"),
                );
            }
            ClockEvent::FeePaid { .. } => {
                let Some(f) = self.fee.as_mut().filter(|f| f.paid.is_none()) else {
                    return Err(FoiError::AnswerWithoutRequest { event: event.name() });
                };
                f.paid = Some(on);
                let deadline = f.deadline;
                let late = if on > deadline {
                    format!("（已超过缴费期限 {deadline}）")
                } else {
                    String::new()
                };
                self.line(Some(on), format!("{on} 申请人缴纳信息处理费{late}"));
            }
            ClockEvent::Concluded { .. } => {
                let open: Vec<usize> = (0..self.pauses.len()).filter(|&i| self.pauses[i].answered.is_none()).collect();
                for i in open {
                    self.close(i, on, "（未收到意见，办结时结束）");
                }
                self.concluded = Some(on);
                let timing = match self.due_as_of(on) {
                    Some(due) if on > due => format!("，超过答复期限 {due} 共 {} 个工作日", self.cal.working_days_between(due, on)),
                    Some(due) => format!("，在答复期限 {due} 内"),
                    None => String::new(),
                };
                self.line(Some(on), format!("{on} 办结{timing}"));
            }
        }
        Ok(())
    }
}

/// Folds a case's events into its clock as of `today`.
///
/// The first event must be [`ClockEvent::Received`]; events must be in date
/// order and none may precede the receipt. Refused: a second receipt, a
/// second correction notice, a correction after processing began, any step
/// but conclusion while a correction is outstanding, a second extension, an
/// extension of 0 or more than 20 working days or after the due date, an
/// answer or payment with no open request, a second open consultation of the
/// same kind, and anything after conclusion.
pub fn compute(cal: &Calendar, events: &[ClockEvent], today: NaiveDate) -> Result<ClockState, FoiError> {
    fold(cal, events, today, true)
}

/// [`compute`] without the explanation (its `explanation` is empty): the
/// same dates and flags, for recomputing many cases at once.
pub fn compute_quiet(cal: &Calendar, events: &[ClockEvent], today: NaiveDate) -> Result<ClockState, FoiError> {
    fold(cal, events, today, false)
}

fn fold(cal: &Calendar, events: &[ClockEvent], today: NaiveDate, explain: bool) -> Result<ClockState, FoiError> {
    let (first, rest) = events.split_first().ok_or(FoiError::NoEvents)?;
    let ClockEvent::Received { on: received, channel } = *first else {
        return Err(FoiError::NotReceivedYet { event: first.name() });
    };
    let mut fold = Fold {
        cal,
        received,
        clock_start: Some(received),
        correction: None,
        pauses: Vec::new(),
        extension: None,
        fee: None,
        concluded: None,
        processed: None,
        explain,
        lines: Vec::new(),
    };
    fold.line(Some(received), format!("{received} 收到申请（{}）", channel.label_zh()));
    fold.start_lines(received);

    let mut previous = received;
    for event in rest {
        let on = event.on();
        if on < received {
            return Err(FoiError::BeforeReceipt {
                event: event.name(),
                on,
                received,
            });
        }
        if on < previous {
            return Err(FoiError::OutOfOrder {
                event: event.name(),
                on,
                previous,
            });
        }
        if let Some(concluded) = fold.concluded {
            return Err(FoiError::AfterConclusion {
                event: event.name(),
                concluded,
            });
        }
        fold.apply(event)?;
        previous = on;
    }

    let as_of = fold.concluded.unwrap_or(today);
    let due = fold.due_as_of(as_of);
    let open = fold.concluded.is_none();

    // Consultations still open (only possible for an open case).
    let mut paused = false;
    for p in fold.pauses.clone().iter().filter(|p| p.answered.is_none()) {
        let end = p.end(as_of);
        let own = cal.working_days_between(p.sent, end);
        let due_text = due.map(|d| format!("，期限暂顺延至 {d}")).unwrap_or_default();
        let text = if !p.counted {
            format!("{}：{} 起（不顺延答复期限）", p.kind.label_zh(), p.sent)
        } else if as_of <= p.answer_due {
            paused = true;
            format!(
                "{}：{} 起暂停中，截至 {end} 已暂停 {own} 个工作日{due_text}",
                p.kind.label_zh(),
                p.sent
            )
        } else {
            let deemed = match p.kind {
                ConsultKind::ThirdParty => "第三方逾期未提出意见，由本机关依法决定是否公开",
                ConsultKind::Agency => "被征求意见机关逾期未提出意见，视为同意公开",
            };
            format!(
                "{}：{} 至 {end} 暂停 {own} 个工作日（{deemed}）{due_text}",
                p.kind.label_zh(),
                p.sent
            )
        };
        fold.line(None, text);
    }

    let mut auto_close = None;
    if open {
        if let Some(c) = fold.correction.filter(|c| c.received.is_none() && today > c.deadline) {
            auto_close = Some(Outcome::OtherNoCorrection);
            fold.line(
                None,
                format!(
                    "补正期限 {} 已过，申请人未补正，视为放弃申请，不再处理（第三十条） → {}",
                    c.deadline,
                    Outcome::OtherNoCorrection.full_label_zh()
                ),
            );
        } else if let Some(f) = fold.fee.filter(|f| f.paid.is_none() && today > f.deadline) {
            auto_close = Some(Outcome::OtherUnpaidFee);
            fold.line(
                None,
                format!(
                    "缴费期限 {} 已过，申请人未缴费，视为放弃申请，不再处理（国办函〔2020〕109号） → {}",
                    f.deadline,
                    Outcome::OtherUnpaidFee.full_label_zh()
                ),
            );
        }
    }

    let running = open && auto_close.is_none();
    let overdue = match (fold.concluded, due) {
        (Some(c), Some(d)) => c > d,
        (None, Some(d)) => running && today > d,
        _ => false,
    };
    let days_left = due.filter(|_| running).map(|d| {
        if today <= d {
            i64::from(cal.working_days_between(today, d))
        } else {
            -i64::from(cal.working_days_between(d, today))
        }
    });
    if running {
        match (due, days_left) {
            (Some(d), Some(n)) if n < 0 => fold.line(None, format!("截至 {today} 已超过答复期限 {d} 共 {} 个工作日", -n)),
            (Some(d), Some(n)) if paused => fold.line(
                None,
                format!("截至 {today} 征求意见中，答复期限暂停计算，恢复后剩余 {n} 个工作日（暂定 {d}）"),
            ),
            (Some(d), Some(n)) => fold.line(None, format!("截至 {today} 距答复期限 {d} 还有 {n} 个工作日")),
            _ if fold.correction_pending() => fold.line(None, "等待申请人补正，答复期限尚未起算".to_owned()),
            _ => {}
        }
    }

    let correction_notice_due = cal.add_working_days(received, CORRECTION_NOTICE_DAYS);
    let base_due = if fold.correction_pending() {
        None
    } else {
        fold.clock_start.map(|s| cal.add_working_days(s, REPLY_DAYS))
    };
    let third_party_answer_due = fold
        .pauses
        .iter()
        .rev()
        .find(|p| p.kind == ConsultKind::ThirdParty)
        .map(|p| p.answer_due);
    let agency_answer_due = fold
        .pauses
        .iter()
        .rev()
        .find(|p| p.kind == ConsultKind::Agency)
        .map(|p| p.answer_due);
    let correction_deadline = fold.correction.map(|c| c.deadline);
    let fee_payment_deadline = fold.fee.map(|f| f.deadline);
    let latest = [
        Some(correction_notice_due),
        due,
        correction_deadline,
        fee_payment_deadline,
        third_party_answer_due,
        agency_answer_due,
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(received);
    let provisional = (received.year()..=latest.year()).any(|y| !cal.covers(y));

    Ok(ClockState {
        received,
        channel,
        clock_start: if fold.correction_pending() { None } else { fold.clock_start },
        due,
        base_due,
        paused_days: if fold.correction_pending() {
            0
        } else {
            fold.paused_days(as_of, None)
        },
        extension_days: fold.extension.map_or(0, |e| e.1),
        correction_notice_due,
        correction_notice_late: fold.correction.is_some_and(|c| c.requested > correction_notice_due),
        correction_deadline,
        fee_payment_deadline,
        third_party_answer_due,
        agency_answer_due,
        paused: paused && open,
        awaiting_correction: open && fold.correction_pending(),
        awaiting_fee: open && fold.fee.is_some_and(|f| f.paid.is_none()),
        concluded: fold.concluded,
        auto_close,
        overdue,
        days_left,
        provisional,
        explanation: fold.lines,
    })
}
