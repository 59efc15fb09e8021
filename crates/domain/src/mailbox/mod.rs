//! The public mailbox (公开信箱/网民留言), the phone ledger (来电台账) and
//! the ledger of public-opinion commitments (舆情承诺台账).
//!
//! The seed (巫山府办发〔2021〕48号) asks that every online message be
//! reviewed, handled and answered ("件件有落实、事事有回音"), that
//! representative ones be published with 留言摘要, 受理日期, 答复日期, 答复部门
//! and 答复内容, that calls to each unit's public phone be answered on the
//! spot or within 5 working days, and that promises made when responding to
//! public opinion (承诺调查处理) be followed until fulfilled. The national
//! inspection of government websites vetoes a site with any consultation
//! message unanswered for more than three months.
//!
//! # What it is for
//!
//! The rules: categories and their reply periods (咨询 5, 建议 and 投诉 10,
//! 求助 5 working days, configurable per site; one extension of at most 15),
//! the workflow of a message ([`Status`], [`Action`], [`apply`]) with honest
//! final outcomes ([`Outcome`]: 已解决, 已答复未解决 with a reason, 已转办 with
//! the body it went to — never a bare "not ours" —, 不予受理 with a reason),
//! the reopening window, the three-month veto, query codes, the public
//! summary of a published message (personal data masked by
//! [`crate::privacy`]), the Open311 GeoReport v2 vocabulary ([`open311`]), the
//! routing classifier ([`classify`]), and the phone and commitment ledgers'
//! categories and states. Due dates and the remind/escalate rule are the
//! shared ones of [`crate::dispatch`].
//!
//! # What it is not for
//!
//! Storage, notification, rate limiting and captchas (the `store` and `app`
//! crates); nothing here does I/O.

pub mod classify;
pub mod open311;

use crate::calendar::Calendar;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The most working days one extension may add.
pub const MAX_EXTENSION_DAYS: u32 = 15;
/// Days after the writer is told of the reply during which they may reopen it.
pub const REOPEN_WINDOW_DAYS: i64 = 15;
/// Unanswered for more than this many months vetoes the site at inspection.
pub const VETO_MONTHS: u32 = 3;
/// A call not answered on the spot is due in this many working days.
pub const CALL_REPLY_DAYS: u32 = 5;

/// What a message is (留言类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Consultation,
    Suggestion,
    Complaint,
    Help,
    Other,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Consultation,
        Category::Suggestion,
        Category::Complaint,
        Category::Help,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Consultation => "consultation",
            Category::Suggestion => "suggestion",
            Category::Complaint => "complaint",
            Category::Help => "help",
            Category::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Category::Consultation => "咨询",
            Category::Suggestion => "建议",
            Category::Complaint => "投诉",
            Category::Help => "求助",
            Category::Other => "其他",
        }
    }

    /// The default reply period in working days.
    pub fn default_reply_days(self) -> u32 {
        match self {
            Category::Suggestion | Category::Complaint => 10,
            _ => 5,
        }
    }

    /// The inspection's veto counts consultation messages; the platform
    /// holds every category to it.
    pub fn is_consultation(self) -> bool {
        self == Category::Consultation
    }
}

/// Where a message is in its handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 待审看: submitted, not yet reviewed.
    Submitted,
    /// 待分办: accepted, not yet routed to a unit.
    Accepted,
    /// 办理中: with a unit.
    Assigned,
    /// 延期办理: with a unit after its one extension.
    Extended,
    /// 待审核: the unit replied; the office checks the reply.
    Reviewing,
    /// 已答复: the writer was told; they may rate it and reopen it within
    /// [`REOPEN_WINDOW_DAYS`].
    Answered,
    /// 不予受理: rejected at review.
    Rejected,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Submitted,
        Status::Accepted,
        Status::Assigned,
        Status::Extended,
        Status::Reviewing,
        Status::Answered,
        Status::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Accepted => "accepted",
            Status::Assigned => "assigned",
            Status::Extended => "extended",
            Status::Reviewing => "reviewing",
            Status::Answered => "answered",
            Status::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Submitted => "待审看",
            Status::Accepted => "待分办",
            Status::Assigned => "办理中",
            Status::Extended => "延期办理",
            Status::Reviewing => "答复待审核",
            Status::Answered => "已答复",
            Status::Rejected => "不予受理",
        }
    }

    /// Not yet answered to the writer (the veto counts these).
    pub fn is_unanswered(self) -> bool {
        matches!(
            self,
            Status::Submitted | Status::Accepted | Status::Assigned | Status::Extended | Status::Reviewing
        )
    }

    /// With a unit, so a reply is due from it.
    pub fn with_unit(self) -> bool {
        matches!(self, Status::Assigned | Status::Extended)
    }
}

/// How a message ended, as the writer and the public are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 已解决.
    Resolved,
    /// 已答复未解决, with the reason.
    AnsweredUnresolved,
    /// 已转办, with the body responsible.
    Transferred,
    /// 不予受理, with the reason.
    NotAccepted,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Resolved,
        Outcome::AnsweredUnresolved,
        Outcome::Transferred,
        Outcome::NotAccepted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Resolved => "resolved",
            Outcome::AnsweredUnresolved => "answered_unresolved",
            Outcome::Transferred => "transferred",
            Outcome::NotAccepted => "not_accepted",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Outcome::Resolved => "已解决",
            Outcome::AnsweredUnresolved => "已答复未解决",
            Outcome::Transferred => "已转办",
            Outcome::NotAccepted => "不予受理",
        }
    }
}

/// Why a message was rejected at review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// 广告、垃圾信息.
    Spam,
    /// 含有辱骂、攻击性内容.
    Abusive,
    /// 重复留言.
    Duplicate,
    /// 内容不清，无法办理.
    Unclear,
    /// 属于诉讼、仲裁、信访等法定途径办理的事项.
    OtherChannel,
}

impl RejectReason {
    pub const ALL: [RejectReason; 5] = [
        RejectReason::Spam,
        RejectReason::Abusive,
        RejectReason::Duplicate,
        RejectReason::Unclear,
        RejectReason::OtherChannel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RejectReason::Spam => "spam",
            RejectReason::Abusive => "abusive",
            RejectReason::Duplicate => "duplicate",
            RejectReason::Unclear => "unclear",
            RejectReason::OtherChannel => "other_channel",
        }
    }

    pub fn parse(s: &str) -> Option<RejectReason> {
        RejectReason::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The sentence sent to the writer.
    pub fn label_zh(self) -> &'static str {
        match self {
            RejectReason::Spam => "留言为广告或与政务无关的信息",
            RejectReason::Abusive => "留言含有辱骂、攻击他人或其他违反法律法规的内容",
            RejectReason::Duplicate => "留言与您此前提交的留言内容重复，将在原留言中一并答复",
            RejectReason::Unclear => "留言内容不清，无法确定诉求，欢迎补充后重新提交",
            RejectReason::OtherChannel => "所反映事项属于诉讼、仲裁、行政复议或信访等法定途径办理的事项，请通过相应途径提出",
        }
    }
}

/// What someone does to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The office accepts it, routing it at once when a unit is given.
    Accept { unit: Option<i64> },
    /// The office rejects it with a reason (sent to the writer).
    Reject { reason: RejectReason, note: String },
    /// The office routes (or re-routes) it to a unit.
    Route { unit: i64 },
    /// The unit asks for its one extension, with a reason.
    Extend { days: u32, reason: String },
    /// The unit replies: resolved, answered but not resolved (with the
    /// reason), or transferred (with the body responsible).
    Reply { text: String, outcome: Outcome, note: String },
    /// The office approves the reply: the writer is told.
    Approve,
    /// The office sends the reply back to the unit with a comment.
    SendBack { comment: String },
    /// The writer reopens an answered message within the window.
    Reopen { reason: String },
}

/// Why an action is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailboxError {
    #[error("the action does not apply in this state")]
    WrongState,
    #[error("already extended once")]
    AlreadyExtended,
    #[error("an extension is 1 to 15 working days")]
    ExtensionDays,
    #[error("a reason is required")]
    NoReason,
    #[error("a transfer names the body responsible")]
    NoBody,
    #[error("a reply needs text")]
    NoReply,
    #[error("the reopening window has passed")]
    WindowPassed,
    #[error("not accepted at review; a reply cannot say so")]
    NotAcceptedReply,
}

impl MailboxError {
    pub fn message_zh(&self) -> &'static str {
        match self {
            MailboxError::WrongState => "留言当前的状态不能进行该操作",
            MailboxError::AlreadyExtended => "每件留言只能延期一次",
            MailboxError::ExtensionDays => "延期时长应为1至15个工作日",
            MailboxError::NoReason => "请填写理由",
            MailboxError::NoBody => "转办时须写明负责办理的单位或机构，不能只答复“不属于本单位职责”",
            MailboxError::NoReply => "请填写答复内容（不少于10个字）",
            MailboxError::WindowPassed => "答复告知已超过15日，不能再申请重新办理",
            MailboxError::NotAcceptedReply => "“不予受理”只能在审看时选择",
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            MailboxError::WrongState => "mailbox.wrong_state",
            MailboxError::AlreadyExtended => "mailbox.already_extended",
            MailboxError::ExtensionDays => "mailbox.extension_days",
            MailboxError::NoReason => "mailbox.no_reason",
            MailboxError::NoBody => "mailbox.no_body",
            MailboxError::NoReply => "mailbox.no_reply",
            MailboxError::WindowPassed => "mailbox.window_passed",
            MailboxError::NotAcceptedReply => "mailbox.not_accepted_reply",
        }
    }
}

/// The facts of a message the workflow reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub status: Status,
    /// Extended once already (an extension survives a send-back).
    pub extended: bool,
    /// The day the writer was told of the reply.
    pub notified_on: Option<NaiveDate>,
}

/// What an action changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub status: Status,
    pub outcome: Option<Outcome>,
    /// The unit it is with now, when the action sets one.
    pub unit: Option<i64>,
    /// Extra working days added to the due date.
    pub extend_by: Option<u32>,
    /// The due date restarts from today (routing a reopened message).
    pub restart_clock: bool,
}

fn needs(text: &str, min: usize) -> bool {
    text.trim().chars().count() >= min
}

/// The workflow. `today` is the day of the action.
pub fn apply(f: &Facts, action: &Action, today: NaiveDate) -> Result<Change, MailboxError> {
    use Status::*;
    let change = |status| Change {
        status,
        outcome: None,
        unit: None,
        extend_by: None,
        restart_clock: false,
    };
    match action {
        Action::Accept { unit } => match f.status {
            Submitted => Ok(Change {
                unit: *unit,
                ..change(if unit.is_some() { Assigned } else { Accepted })
            }),
            _ => Err(MailboxError::WrongState),
        },
        Action::Reject { .. } => match f.status {
            Submitted | Accepted => Ok(Change {
                outcome: Some(Outcome::NotAccepted),
                ..change(Rejected)
            }),
            _ => Err(MailboxError::WrongState),
        },
        Action::Route { unit } => match f.status {
            Accepted | Assigned | Extended => Ok(Change {
                unit: Some(*unit),
                ..change(if f.status == Extended { Extended } else { Assigned })
            }),
            _ => Err(MailboxError::WrongState),
        },
        Action::Extend { days, reason } => {
            if !f.status.with_unit() {
                return Err(MailboxError::WrongState);
            }
            if f.extended {
                return Err(MailboxError::AlreadyExtended);
            }
            if !(1..=MAX_EXTENSION_DAYS).contains(days) {
                return Err(MailboxError::ExtensionDays);
            }
            if !needs(reason, 4) {
                return Err(MailboxError::NoReason);
            }
            Ok(Change {
                extend_by: Some(*days),
                ..change(Extended)
            })
        }
        Action::Reply { text, outcome, note } => {
            if !f.status.with_unit() {
                return Err(MailboxError::WrongState);
            }
            if !needs(text, 10) {
                return Err(MailboxError::NoReply);
            }
            match outcome {
                Outcome::NotAccepted => return Err(MailboxError::NotAcceptedReply),
                Outcome::Transferred if !needs(note, 2) => return Err(MailboxError::NoBody),
                Outcome::AnsweredUnresolved if !needs(note, 4) => return Err(MailboxError::NoReason),
                _ => {}
            }
            Ok(Change {
                outcome: Some(*outcome),
                ..change(Reviewing)
            })
        }
        Action::Approve => match f.status {
            Reviewing => Ok(change(Answered)),
            _ => Err(MailboxError::WrongState),
        },
        Action::SendBack { comment } => {
            if f.status != Reviewing {
                return Err(MailboxError::WrongState);
            }
            if !needs(comment, 2) {
                return Err(MailboxError::NoReason);
            }
            Ok(change(if f.extended { Extended } else { Assigned }))
        }
        Action::Reopen { reason } => {
            if f.status != Answered {
                return Err(MailboxError::WrongState);
            }
            if !may_reopen(f.notified_on, today) {
                return Err(MailboxError::WindowPassed);
            }
            if !needs(reason, 4) {
                return Err(MailboxError::NoReason);
            }
            Ok(Change {
                restart_clock: true,
                ..change(Assigned)
            })
        }
    }
}

/// May the writer still reopen a message they were told of on `notified`?
pub fn may_reopen(notified: Option<NaiveDate>, today: NaiveDate) -> bool {
    notified.is_some_and(|n| today >= n && (today - n).num_days() <= REOPEN_WINDOW_DAYS)
}

/// The due date of a reply: `days` working days after `from`, plus an
/// extension's days.
pub fn due(cal: &Calendar, from: NaiveDate, days: u32, extension: u32) -> NaiveDate {
    crate::dispatch::due_date(cal, from, days + extension)
}

/// Messages received before this day and still unanswered are past the
/// inspection's three-month veto.
pub fn veto_cutoff(today: NaiveDate) -> NaiveDate {
    today.checked_sub_months(Months::new(VETO_MONTHS)).unwrap_or(today)
}

/// How close an unanswered message received on `received` is to the veto.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum VetoRisk {
    /// Under two months.
    None,
    /// Two months or more: answer it now.
    Near,
    /// More than three months: the site fails the inspection.
    Vetoed,
}

pub fn veto_risk(received: NaiveDate, today: NaiveDate) -> VetoRisk {
    if received < veto_cutoff(today) {
        VetoRisk::Vetoed
    } else if received < today.checked_sub_months(Months::new(2)).unwrap_or(today) {
        VetoRisk::Near
    } else {
        VetoRisk::None
    }
}

/// A rating by the writer: 1 (不满意) to 5 (非常满意).
pub fn rating_label(r: u8) -> &'static str {
    match r {
        5 => "非常满意",
        4 => "满意",
        3 => "基本满意",
        2 => "不太满意",
        _ => "不满意",
    }
}

/// Is a query code well formed (`LY` + date + `-` + six letters/digits)?
pub fn is_query_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 17
        && s.starts_with("LY")
        && b[2..10].iter().all(u8::is_ascii_digit)
        && b[10] == b'-'
        && b[11..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// A query code from a date and six random characters of the caller's.
pub fn query_code(day: NaiveDate, random6: &str) -> String {
    format!("LY{}-{random6}", day.format("%Y%m%d"))
}

/// The text published for a message: personal data masked (ID numbers,
/// phones except the offices' public ones, bank cards, e-mail, plates,
/// names after 我叫/本人 and the like).
pub fn mask_for_publication(text: &str, public_phones: &[String]) -> String {
    let opts = crate::privacy::ScanOptions {
        public_phones: public_phones.to_vec(),
    };
    let findings = crate::privacy::scan(text, &opts);
    crate::privacy::mask_all(text, &findings)
}

/// The 留言摘要: the masked title, or the start of the masked content when
/// the title is too short to say anything.
pub fn summary(title: &str, content: &str, public_phones: &[String]) -> String {
    let t = mask_for_publication(title.trim(), public_phones);
    if t.chars().count() >= 6 {
        return t;
    }
    let c = mask_for_publication(content.trim(), public_phones);
    let mut s: String = c.chars().take(60).collect();
    if c.chars().count() > 60 {
        s.push('…');
    }
    s
}

/// The public-opinion categories of the seed's commitment ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpinionCategory {
    EpidemicMedical,
    RealEstateFinance,
    WageArrears,
    Environment,
    FoodDrug,
    Education,
    ElderlyHardship,
    WorkSafety,
}

impl OpinionCategory {
    pub const ALL: [OpinionCategory; 8] = [
        OpinionCategory::EpidemicMedical,
        OpinionCategory::RealEstateFinance,
        OpinionCategory::WageArrears,
        OpinionCategory::Environment,
        OpinionCategory::FoodDrug,
        OpinionCategory::Education,
        OpinionCategory::ElderlyHardship,
        OpinionCategory::WorkSafety,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OpinionCategory::EpidemicMedical => "epidemic_medical",
            OpinionCategory::RealEstateFinance => "real_estate_finance",
            OpinionCategory::WageArrears => "wage_arrears",
            OpinionCategory::Environment => "environment",
            OpinionCategory::FoodDrug => "food_drug",
            OpinionCategory::Education => "education",
            OpinionCategory::ElderlyHardship => "elderly_hardship",
            OpinionCategory::WorkSafety => "work_safety",
        }
    }

    pub fn parse(s: &str) -> Option<OpinionCategory> {
        OpinionCategory::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            OpinionCategory::EpidemicMedical => "疫情防控与医疗",
            OpinionCategory::RealEstateFinance => "房地产金融",
            OpinionCategory::WageArrears => "工资拖欠",
            OpinionCategory::Environment => "环境污染和生态破坏",
            OpinionCategory::FoodDrug => "食品药品安全",
            OpinionCategory::Education => "教育",
            OpinionCategory::ElderlyHardship => "养老与困难群众",
            OpinionCategory::WorkSafety => "安全生产",
        }
    }
}

/// A commitment's state: followed up until fulfilled.
pub fn commitment_overdue(due: NaiveDate, fulfilled_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    match fulfilled_on {
        Some(d) => d > due,
        None => today > due,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn facts(status: Status) -> Facts {
        Facts {
            status,
            extended: false,
            notified_on: None,
        }
    }

    #[test]
    fn the_happy_path_and_its_refusals() {
        let t = d("2026-11-02");
        let c = apply(&facts(Status::Submitted), &Action::Accept { unit: Some(7) }, t).unwrap();
        assert_eq!((c.status, c.unit), (Status::Assigned, Some(7)));
        assert_eq!(
            apply(&facts(Status::Submitted), &Action::Accept { unit: None }, t).unwrap().status,
            Status::Accepted
        );
        let reply = Action::Reply {
            text: "经核实，该路段路灯已于11月5日修复。".into(),
            outcome: Outcome::Resolved,
            note: String::new(),
        };
        assert_eq!(apply(&facts(Status::Submitted), &reply, t), Err(MailboxError::WrongState));
        let c = apply(&facts(Status::Assigned), &reply, t).unwrap();
        assert_eq!((c.status, c.outcome), (Status::Reviewing, Some(Outcome::Resolved)));
        assert_eq!(
            apply(&facts(Status::Reviewing), &Action::Approve, t).unwrap().status,
            Status::Answered
        );
        let back = Action::SendBack {
            comment: "答复过于简单".into(),
        };
        assert_eq!(apply(&facts(Status::Reviewing), &back, t).unwrap().status, Status::Assigned);
        let mut ext = facts(Status::Reviewing);
        ext.extended = true;
        assert_eq!(
            apply(&ext, &back, t).unwrap().status,
            Status::Extended,
            "an extension survives a send-back"
        );
        let r = apply(
            &facts(Status::Submitted),
            &Action::Reject {
                reason: RejectReason::Spam,
                note: String::new(),
            },
            t,
        )
        .unwrap();
        assert_eq!((r.status, r.outcome), (Status::Rejected, Some(Outcome::NotAccepted)));
    }

    #[test]
    fn a_transfer_names_the_body_and_unresolved_says_why() {
        let t = d("2026-11-02");
        let reply = |outcome, note: &str| Action::Reply {
            text: "您反映的问题不属于县级事权，已转请有关单位办理。".into(),
            outcome,
            note: note.into(),
        };
        let f = facts(Status::Assigned);
        assert_eq!(apply(&f, &reply(Outcome::Transferred, ""), t), Err(MailboxError::NoBody));
        assert!(apply(&f, &reply(Outcome::Transferred, "市住房城乡建委"), t).is_ok());
        assert_eq!(apply(&f, &reply(Outcome::AnsweredUnresolved, ""), t), Err(MailboxError::NoReason));
        assert_eq!(apply(&f, &reply(Outcome::NotAccepted, "x"), t), Err(MailboxError::NotAcceptedReply));
        let short = Action::Reply {
            text: "已阅".into(),
            outcome: Outcome::Resolved,
            note: String::new(),
        };
        assert_eq!(apply(&f, &short, t), Err(MailboxError::NoReply));
    }

    #[test]
    fn one_extension_of_at_most_15_days() {
        let t = d("2026-11-02");
        let ext = |days| Action::Extend {
            days,
            reason: "需现场核查并协调多个部门".into(),
        };
        let c = apply(&facts(Status::Assigned), &ext(10), t).unwrap();
        assert_eq!((c.status, c.extend_by), (Status::Extended, Some(10)));
        assert_eq!(apply(&facts(Status::Assigned), &ext(16), t), Err(MailboxError::ExtensionDays));
        assert_eq!(apply(&facts(Status::Assigned), &ext(0), t), Err(MailboxError::ExtensionDays));
        let mut f = facts(Status::Assigned);
        f.extended = true;
        assert_eq!(apply(&f, &ext(5), t), Err(MailboxError::AlreadyExtended));
        let cal = Calendar::official();
        // Monday 2026-11-16 + 10 working days, extended by 5.
        assert_eq!(due(cal, d("2026-11-16"), 10, 0), d("2026-11-30"));
        assert_eq!(due(cal, d("2026-11-16"), 10, 5), d("2026-12-07"));
    }

    #[test]
    fn reopening_within_15_days_only() {
        let mut f = facts(Status::Answered);
        f.notified_on = Some(d("2026-11-02"));
        let reopen = Action::Reopen {
            reason: "问题仍未解决，路灯依旧不亮".into(),
        };
        let c = apply(&f, &reopen, d("2026-11-17")).unwrap();
        assert_eq!((c.status, c.restart_clock), (Status::Assigned, true));
        assert_eq!(apply(&f, &reopen, d("2026-11-18")), Err(MailboxError::WindowPassed));
        assert_eq!(
            apply(&facts(Status::Assigned), &reopen, d("2026-11-03")),
            Err(MailboxError::WrongState)
        );
    }

    #[test]
    fn the_three_month_veto() {
        let today = d("2026-12-06");
        assert_eq!(veto_cutoff(today), d("2026-09-06"));
        assert_eq!(veto_risk(d("2026-09-05"), today), VetoRisk::Vetoed);
        assert_eq!(veto_risk(d("2026-09-06"), today), VetoRisk::Near);
        assert_eq!(veto_risk(d("2026-10-05"), today), VetoRisk::Near);
        assert_eq!(veto_risk(d("2026-10-06"), today), VetoRisk::None);
        assert!(Status::Reviewing.is_unanswered() && !Status::Answered.is_unanswered() && !Status::Rejected.is_unanswered());
    }

    #[test]
    fn query_codes_and_masked_summaries() {
        let code = query_code(d("2026-12-06"), "K7Q3MX");
        assert_eq!(code, "LY20261206-K7Q3MX");
        assert!(is_query_code(&code));
        assert!(!is_query_code("LY20261206-k7q3mx") && !is_query_code("YSQ20261206-0001"));
        let text = "我叫张三，电话13912345678，身份证11010519491231002X，小区路灯坏了";
        let masked = mask_for_publication(text, &[]);
        assert!(
            !masked.contains("13912345678") && !masked.contains("11010519491231002X"),
            "{masked}"
        );
        assert!(masked.contains("小区路灯坏了"));
        assert!(summary("路灯", text, &[]).chars().count() <= 61);
        assert_eq!(summary("关于某小区路灯长期不亮的问题", text, &[]), "关于某小区路灯长期不亮的问题");
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
        }
        assert_eq!(Category::Complaint.default_reply_days(), 10);
        assert_eq!(Category::Help.default_reply_days(), 5);
        assert!(commitment_overdue(d("2026-11-30"), None, d("2026-12-01")));
        assert!(!commitment_overdue(d("2026-11-30"), Some(d("2026-11-29")), d("2026-12-06")));
    }
}
