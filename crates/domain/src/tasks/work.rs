//! The work on an imported list: the itemised entries (细化清单) a unit
//! makes of its rows, their progress, 销号 by the lead unit, the overdue and
//! stalled checks behind the office's 通报, and the year-end assessment
//! (考核评估).
//!
//! The seed's point 四 asks lead units to "制定条目式、可操作性、可量化的细化清单，
//! 建立工作台账" and the office to "定期调度、跟踪问效", "对工作推进缓慢的单位进行通报",
//! and to report completion by 12月31日. These are the rules for that; the
//! app records the events and the store keeps the ledger.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Days without a progress report after which an open entry is stalled.
pub const STALLED_AFTER_DAYS: i64 = 30;

/// Where an entry of a 细化清单 stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// Created, nothing reported yet.
    Open,
    /// Progress reported.
    InProgress,
    /// Reported complete; waiting for the lead unit's confirmation.
    Submitted,
    /// Confirmed complete by the lead unit: 销号.
    Closed,
    /// Sent back by the lead unit with a comment (退回整改).
    Returned,
}

impl EntryStatus {
    pub const ALL: [EntryStatus; 5] = [
        EntryStatus::Open,
        EntryStatus::InProgress,
        EntryStatus::Submitted,
        EntryStatus::Closed,
        EntryStatus::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryStatus::Open => "open",
            EntryStatus::InProgress => "in_progress",
            EntryStatus::Submitted => "submitted",
            EntryStatus::Closed => "closed",
            EntryStatus::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        EntryStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            EntryStatus::Open => "未开始",
            EntryStatus::InProgress => "推进中",
            EntryStatus::Submitted => "待销号",
            EntryStatus::Closed => "已销号",
            EntryStatus::Returned => "已退回",
        }
    }

    /// Still work for the responsible unit (not waiting, not closed).
    pub fn is_active(self) -> bool {
        matches!(self, EntryStatus::Open | EntryStatus::InProgress | EntryStatus::Returned)
    }
}

/// What "done" means for an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// A number of times or things (`每年至少开展1次`, `不少于4次`).
    Count,
    /// A published document (a plan, a report, an interpretation).
    Document,
    /// Done or not.
    YesNo,
}

impl TargetKind {
    pub const ALL: [TargetKind; 3] = [TargetKind::Count, TargetKind::Document, TargetKind::YesNo];

    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Count => "count",
            TargetKind::Document => "document",
            TargetKind::YesNo => "yes_no",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        TargetKind::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            TargetKind::Count => "数量",
            TargetKind::Document => "公开文件",
            TargetKind::YesNo => "是否完成",
        }
    }
}

/// A measurable target: a kind and, for [`TargetKind::Count`], the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub kind: TargetKind,
    pub count: Option<u32>,
}

impl Target {
    /// Checks a target from form fields: a count target needs a count of
    /// 1–10,000; the others take none.
    pub fn parse(kind: &str, count: Option<&str>) -> Result<Target, &'static str> {
        let kind = TargetKind::parse(kind.trim()).ok_or("请选择目标类型（数量、公开文件或是否完成）")?;
        let count = count.map(str::trim).filter(|s| !s.is_empty());
        match kind {
            TargetKind::Count => {
                let n: u32 = count.ok_or("数量目标需要填写目标数量")?.parse().map_err(|_| "目标数量应为整数")?;
                if !(1..=10_000).contains(&n) {
                    return Err("目标数量应在1至10000之间");
                }
                Ok(Target { kind, count: Some(n) })
            }
            _ => Ok(Target { kind, count: None }),
        }
    }

    /// The progress a report implies: for a count target the achieved count
    /// decides (capped at 100 %); otherwise the reported percentage.
    pub fn progress(&self, reported: u8, achieved: Option<u32>) -> u8 {
        match (self.kind, self.count, achieved) {
            (TargetKind::Count, Some(n), Some(a)) if n > 0 => ((u64::from(a) * 100 / u64::from(n)).min(100)) as u8,
            _ => reported.min(100),
        }
    }

    /// The target in words: `4次`, `公开文件`, `完成`.
    pub fn label_zh(&self) -> String {
        match (self.kind, self.count) {
            (TargetKind::Count, Some(n)) => format!("不少于{n}次（件）"),
            (TargetKind::Document, _) => "公开相关文件".to_owned(),
            _ => "完成".to_owned(),
        }
    }
}

/// What kind of evidence a progress report carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Evidence {
    /// A published catalogue document is linked.
    pub document: bool,
    /// A file is attached.
    pub file: bool,
    /// A note of at least a few words.
    pub note: bool,
}

impl Evidence {
    pub fn any(self) -> bool {
        self.document || self.file || self.note
    }
}

/// Why an action on an entry is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkError {
    #[error("the entry is closed")]
    Closed,
    #[error("the entry is waiting for the lead unit")]
    Waiting,
    #[error("completion needs 100 % progress")]
    Incomplete,
    #[error("completion needs evidence")]
    NoEvidence,
    #[error("a document target needs a linked published document")]
    NoDocument,
    #[error("only a submitted entry can be confirmed or returned")]
    NotSubmitted,
    #[error("a return needs a comment")]
    NoComment,
}

impl WorkError {
    pub fn message_zh(&self) -> &'static str {
        match self {
            WorkError::Closed => "该条目已销号，不能再报送进展",
            WorkError::Waiting => "该条目已报送完成，正等待牵头单位确认销号",
            WorkError::Incomplete => "进度达到100%后才能申请销号",
            WorkError::NoEvidence => "申请销号需要佐证材料（关联已公开文件、上传附件或填写说明）",
            WorkError::NoDocument => "该条目的目标是公开文件，申请销号需关联一篇已发布的公开文件",
            WorkError::NotSubmitted => "只有已申请销号的条目才能确认销号或退回",
            WorkError::NoComment => "退回时请填写退回意见",
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            WorkError::Closed => "tasks.closed",
            WorkError::Waiting => "tasks.waiting",
            WorkError::Incomplete => "tasks.incomplete",
            WorkError::NoEvidence => "tasks.no_evidence",
            WorkError::NoDocument => "tasks.no_document",
            WorkError::NotSubmitted => "tasks.not_submitted",
            WorkError::NoComment => "tasks.no_comment",
        }
    }
}

/// The status after a progress report; `submit` asks for 销号 at the same
/// time. `evidence` is everything the entry has, this report included.
pub fn after_report(
    status: EntryStatus,
    target: &Target,
    progress: u8,
    evidence: Evidence,
    submit: bool,
) -> Result<EntryStatus, WorkError> {
    match status {
        EntryStatus::Closed => return Err(WorkError::Closed),
        EntryStatus::Submitted => return Err(WorkError::Waiting),
        _ => {}
    }
    if !submit {
        return Ok(EntryStatus::InProgress);
    }
    if progress < 100 {
        return Err(WorkError::Incomplete);
    }
    if target.kind == TargetKind::Document && !evidence.document {
        return Err(WorkError::NoDocument);
    }
    if !evidence.any() {
        return Err(WorkError::NoEvidence);
    }
    Ok(EntryStatus::Submitted)
}

/// The lead unit's decision on a submitted entry: confirm (销号) or return
/// with a comment.
pub fn after_review(status: EntryStatus, confirm: bool, comment: &str) -> Result<EntryStatus, WorkError> {
    if status != EntryStatus::Submitted {
        return Err(WorkError::NotSubmitted);
    }
    if confirm {
        Ok(EntryStatus::Closed)
    } else if comment.trim().chars().count() < 2 {
        Err(WorkError::NoComment)
    } else {
        Ok(EntryStatus::Returned)
    }
}

/// How a row of the list stands, from its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowState {
    /// No entries yet: not broken down into a 细化清单.
    NotRefined,
    Working,
    /// At least one entry is overdue.
    Overdue,
    /// Every entry 销号.
    Closed,
}

impl RowState {
    pub fn label_zh(self) -> &'static str {
        match self {
            RowState::NotRefined => "未细化",
            RowState::Working => "推进中",
            RowState::Overdue => "有逾期",
            RowState::Closed => "已销号",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RowState::NotRefined => "not_refined",
            RowState::Working => "working",
            RowState::Overdue => "overdue",
            RowState::Closed => "closed",
        }
    }
}

/// A row's state: not refined without entries, closed when every entry is
/// 销号, overdue when any entry is, else working.
pub fn row_state(entries: &[EntryFacts], today: NaiveDate) -> RowState {
    if entries.is_empty() {
        RowState::NotRefined
    } else if entries.iter().all(|e| e.status == EntryStatus::Closed) {
        RowState::Closed
    } else if entries.iter().any(|e| e.overdue(today)) {
        RowState::Overdue
    } else {
        RowState::Working
    }
}

/// The facts of one entry that the checks and the assessment need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryFacts {
    pub status: EntryStatus,
    pub due_on: NaiveDate,
    pub created_on: NaiveDate,
    /// The day of the last progress report.
    pub last_report_on: Option<NaiveDate>,
    /// The day it was submitted for 销号 (the completion date, if confirmed).
    pub submitted_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub has_evidence: bool,
}

impl EntryFacts {
    /// Past its due date and not done: not closed and not submitted on time.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        match self.status {
            EntryStatus::Closed => false,
            EntryStatus::Submitted => self.submitted_on.is_some_and(|d| d > self.due_on) && today > self.due_on,
            _ => today > self.due_on,
        }
    }

    /// Active, and no progress report for [`STALLED_AFTER_DAYS`] days (since
    /// creation when there is none).
    pub fn stalled(&self, today: NaiveDate) -> bool {
        self.status.is_active() && (today - self.last_report_on.unwrap_or(self.created_on)).num_days() > STALLED_AFTER_DAYS
    }

    /// Closed, and submitted for 销号 by its due date.
    pub fn on_time(&self) -> bool {
        self.status == EntryStatus::Closed && self.submitted_on.or(self.closed_on).is_some_and(|d| d <= self.due_on)
    }

    /// The month (`YYYY-MM`) an overdue entry fell due, for the chart of
    /// overdue entries by month.
    pub fn due_month(&self) -> String {
        self.due_on.format("%Y-%m").to_string()
    }
}

/// One unit's line in the 通报 of lagging units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lagging {
    pub unit_id: i64,
    pub entries: usize,
    pub overdue: usize,
    pub stalled: usize,
}

/// The units with overdue or stalled entries, most overdue first (then most
/// stalled, then unit id for a stable order).
pub fn lagging_units(entries: &[(i64, EntryFacts)], today: NaiveDate) -> Vec<Lagging> {
    let mut by_unit: std::collections::BTreeMap<i64, Lagging> = std::collections::BTreeMap::new();
    for (unit, e) in entries {
        let l = by_unit.entry(*unit).or_insert(Lagging {
            unit_id: *unit,
            entries: 0,
            overdue: 0,
            stalled: 0,
        });
        l.entries += 1;
        l.overdue += usize::from(e.overdue(today));
        l.stalled += usize::from(e.stalled(today));
    }
    let mut out: Vec<Lagging> = by_unit.into_values().filter(|l| l.overdue + l.stalled > 0).collect();
    out.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then(b.stalled.cmp(&a.stalled))
            .then(a.unit_id.cmp(&b.unit_id))
    });
    out
}

/// The weights of the year-end assessment, in points out of 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weights {
    /// Share of entries closed (销号).
    pub completion: u32,
    /// Share of entries closed by their due date.
    pub timeliness: u32,
    /// Share of entries with evidence.
    pub evidence: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            completion: 50,
            timeliness: 30,
            evidence: 20,
        }
    }
}

impl Weights {
    /// Checks weights from form fields: whole numbers adding up to 100.
    pub fn parse(completion: &str, timeliness: &str, evidence: &str) -> Result<Weights, &'static str> {
        let n = |s: &str| s.trim().parse::<u32>().map_err(|_| "权重应为0至100的整数");
        let w = Weights {
            completion: n(completion)?,
            timeliness: n(timeliness)?,
            evidence: n(evidence)?,
        };
        if w.completion + w.timeliness + w.evidence != 100 {
            return Err("完成率、及时率、佐证材料三项权重之和应为100");
        }
        Ok(w)
    }
}

/// One unit's assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub unit_id: i64,
    pub entries: usize,
    pub closed: usize,
    pub on_time: usize,
    pub with_evidence: usize,
    pub overdue: usize,
    /// 0–100, one decimal.
    pub score: f64,
    pub grade: &'static str,
}

/// The grade for a score: 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, else 不合格.
pub fn grade(score: f64) -> &'static str {
    if score >= 90.0 {
        "优秀"
    } else if score >= 80.0 {
        "良好"
    } else if score >= 60.0 {
        "合格"
    } else {
        "不合格"
    }
}

/// Scores every unit with entries: each weight times the unit's share of
/// entries closed, closed on time, and with evidence. Highest score first.
pub fn assess(entries: &[(i64, EntryFacts)], weights: Weights, today: NaiveDate) -> Vec<Score> {
    let mut by_unit: std::collections::BTreeMap<i64, Score> = std::collections::BTreeMap::new();
    for (unit, e) in entries {
        let s = by_unit.entry(*unit).or_insert(Score {
            unit_id: *unit,
            entries: 0,
            closed: 0,
            on_time: 0,
            with_evidence: 0,
            overdue: 0,
            score: 0.0,
            grade: "",
        });
        s.entries += 1;
        s.closed += usize::from(e.status == EntryStatus::Closed);
        s.on_time += usize::from(e.on_time());
        s.with_evidence += usize::from(e.has_evidence);
        s.overdue += usize::from(e.overdue(today));
    }
    let mut out: Vec<Score> = by_unit
        .into_values()
        .map(|mut s| {
            let n = s.entries as f64;
            let raw = f64::from(weights.completion) * s.closed as f64 / n
                + f64::from(weights.timeliness) * s.on_time as f64 / n
                + f64::from(weights.evidence) * s.with_evidence as f64 / n;
            s.score = (raw * 10.0).round() / 10.0;
            s.grade = grade(s.score);
            s
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.unit_id.cmp(&b.unit_id)));
    out
}

/// A task row as the diff of two imports compares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowSig {
    pub part: u32,
    pub item: u32,
    pub text: String,
    pub lead: Vec<String>,
    pub responsible: Vec<String>,
}

impl RowSig {
    /// The text without whitespace: the identity of a row across imports.
    pub fn key(&self) -> String {
        self.text.chars().filter(|c| !c.is_whitespace()).collect()
    }
}

/// The rows of a parsed plan, in order.
pub fn row_sigs(plan: &super::Plan) -> Vec<RowSig> {
    let mut out = Vec::new();
    for part in &plan.parts {
        for item in &part.items {
            for t in &item.tasks {
                out.push(RowSig {
                    part: part.ordinal,
                    item: item.ordinal,
                    text: t.text.clone(),
                    lead: t.lead_units.iter().map(|u| u.name_zh().to_owned()).collect(),
                    responsible: t.responsible_units.iter().map(|u| u.name_zh().to_owned()).collect(),
                });
            }
        }
    }
    out
}

/// What changed between the stored rows of a plan and a new import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlanDiff {
    /// Indexes into the new rows.
    pub added: Vec<usize>,
    /// Indexes into the old rows.
    pub removed: Vec<usize>,
    /// (old, new, what changed: `"text"`, `"lead"`, `"responsible"`).
    pub changed: Vec<(usize, usize, Vec<&'static str>)>,
    /// (old, new) rows that are the same.
    pub unchanged: Vec<(usize, usize)>,
}

impl PlanDiff {
    /// Nothing to apply.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// The new row each old row becomes, if any.
    pub fn pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.unchanged.iter().copied().chain(self.changed.iter().map(|c| (c.0, c.1)))
    }
}

/// Compares two versions of a list. Rows are the same row when their text
/// (whitespace aside) is the same, wherever they moved; a row whose text
/// changed is paired, in order, with an unmatched row of the same part and
/// item; the rest are added or removed.
pub fn diff_rows(old: &[RowSig], new: &[RowSig]) -> PlanDiff {
    let mut diff = PlanDiff::default();
    let mut old_used = vec![false; old.len()];
    let mut new_used = vec![false; new.len()];
    let mut by_key: std::collections::HashMap<String, std::collections::VecDeque<usize>> = std::collections::HashMap::new();
    for (i, r) in old.iter().enumerate() {
        by_key.entry(r.key()).or_default().push_back(i);
    }
    for (j, r) in new.iter().enumerate() {
        if let Some(i) = by_key.get_mut(&r.key()).and_then(|q| q.pop_front()) {
            old_used[i] = true;
            new_used[j] = true;
            let mut what = Vec::new();
            if old[i].lead != r.lead {
                what.push("lead");
            }
            if old[i].responsible != r.responsible {
                what.push("responsible");
            }
            if what.is_empty() {
                diff.unchanged.push((i, j));
            } else {
                diff.changed.push((i, j, what));
            }
        }
    }
    for j in 0..new.len() {
        if new_used[j] {
            continue;
        }
        let slot = (0..old.len()).find(|&i| !old_used[i] && old[i].part == new[j].part && old[i].item == new[j].item);
        match slot {
            Some(i) => {
                old_used[i] = true;
                new_used[j] = true;
                let mut what = vec!["text"];
                if old[i].lead != new[j].lead {
                    what.push("lead");
                }
                if old[i].responsible != new[j].responsible {
                    what.push("responsible");
                }
                diff.changed.push((i, j, what));
            }
            None => diff.added.push(j),
        }
    }
    diff.removed = (0..old.len()).filter(|&i| !old_used[i]).collect();
    diff.changed.sort_by_key(|c| c.1);
    diff
}

/// The due date of a row for its entries: the earliest dated time limit of
/// its measures, else the end of the plan's year (the completion report is
/// due on 12-31).
pub fn row_due(deadlines: &[super::Deadline], year: i32) -> Option<NaiveDate> {
    deadlines
        .iter()
        .filter_map(|d| d.date())
        .min()
        .or_else(|| NaiveDate::from_ymd_opt(year, 12, 31))
}

/// The target a measure suggests: a recurring minimum is a count, a measure
/// about publishing a plan, report or interpretation is a document, the
/// rest are yes/no.
pub fn suggested_target(measure: &super::Measure) -> Target {
    for d in &measure.deadlines {
        if let super::Deadline::Recurring { at_least, .. } = d {
            return Target {
                kind: TargetKind::Count,
                count: Some((*at_least).max(1)),
            };
        }
    }
    let t = &measure.text;
    if t.contains("公开")
        && ["规划", "方案", "报告", "解读", "计划", "目录", "清单", "文件"]
            .iter()
            .any(|w| t.contains(w))
    {
        Target {
            kind: TargetKind::Document,
            count: None,
        }
    } else {
        Target {
            kind: TargetKind::YesNo,
            count: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn facts(status: EntryStatus, due: &str) -> EntryFacts {
        EntryFacts {
            status,
            due_on: d(due),
            created_on: d("2021-05-01"),
            last_report_on: None,
            submitted_on: None,
            closed_on: None,
            has_evidence: false,
        }
    }

    #[test]
    fn reports_move_an_entry_and_submission_needs_full_progress_and_evidence() {
        let yes = Target {
            kind: TargetKind::YesNo,
            count: None,
        };
        let note = Evidence {
            note: true,
            ..Evidence::default()
        };
        assert_eq!(after_report(EntryStatus::Open, &yes, 40, note, false), Ok(EntryStatus::InProgress));
        assert_eq!(after_report(EntryStatus::Open, &yes, 90, note, true), Err(WorkError::Incomplete));
        assert_eq!(
            after_report(EntryStatus::Open, &yes, 100, Evidence::default(), true),
            Err(WorkError::NoEvidence)
        );
        assert_eq!(
            after_report(EntryStatus::Returned, &yes, 100, note, true),
            Ok(EntryStatus::Submitted)
        );
        assert_eq!(after_report(EntryStatus::Closed, &yes, 100, note, false), Err(WorkError::Closed));
        assert_eq!(
            after_report(EntryStatus::Submitted, &yes, 100, note, false),
            Err(WorkError::Waiting)
        );
        let doc = Target {
            kind: TargetKind::Document,
            count: None,
        };
        assert_eq!(
            after_report(EntryStatus::InProgress, &doc, 100, note, true),
            Err(WorkError::NoDocument)
        );
        let linked = Evidence {
            document: true,
            ..Evidence::default()
        };
        assert_eq!(
            after_report(EntryStatus::InProgress, &doc, 100, linked, true),
            Ok(EntryStatus::Submitted)
        );
    }

    #[test]
    fn the_lead_unit_confirms_or_returns_with_a_comment() {
        assert_eq!(after_review(EntryStatus::Submitted, true, ""), Ok(EntryStatus::Closed));
        assert_eq!(after_review(EntryStatus::Submitted, false, " "), Err(WorkError::NoComment));
        assert_eq!(after_review(EntryStatus::Submitted, false, "佐证不足"), Ok(EntryStatus::Returned));
        assert_eq!(after_review(EntryStatus::InProgress, true, ""), Err(WorkError::NotSubmitted));
    }

    #[test]
    fn count_targets_take_progress_from_the_achieved_count() {
        let t = Target::parse("count", Some("4")).unwrap();
        assert_eq!(t.progress(10, Some(1)), 25);
        assert_eq!(t.progress(10, Some(9)), 100);
        assert_eq!(t.progress(10, None), 10);
        assert!(Target::parse("count", None).is_err());
        assert!(Target::parse("count", Some("0")).is_err());
        assert!(Target::parse("bogus", None).is_err());
        assert_eq!(Target::parse("yes_no", Some("3")).unwrap().count, None);
    }

    #[test]
    fn overdue_and_stalled() {
        let today = d("2021-07-15");
        let mut e = facts(EntryStatus::InProgress, "2021-06-30");
        assert!(e.overdue(today));
        assert!(!e.overdue(d("2021-06-30")), "the due date itself is still in time");
        assert!(e.stalled(today), "no report since 2021-05-01");
        e.last_report_on = Some(d("2021-07-01"));
        assert!(!e.stalled(today));
        e.status = EntryStatus::Submitted;
        e.submitted_on = Some(d("2021-06-29"));
        assert!(!e.overdue(today), "submitted in time, waiting for the lead unit");
        e.submitted_on = Some(d("2021-07-02"));
        assert!(e.overdue(today));
        e.status = EntryStatus::Closed;
        assert!(!e.overdue(today) && !e.stalled(d("2022-01-01")));
        assert!(!e.on_time());
        e.submitted_on = Some(d("2021-06-30"));
        assert!(e.on_time());
    }

    #[test]
    fn a_row_stands_as_its_entries_do() {
        let today = d("2021-07-15");
        let closed = facts(EntryStatus::Closed, "2021-06-30");
        let late = facts(EntryStatus::InProgress, "2021-06-30");
        let running = facts(EntryStatus::InProgress, "2021-12-31");
        assert_eq!(row_state(&[], today), RowState::NotRefined);
        assert_eq!(row_state(&[closed, closed], today), RowState::Closed);
        assert_eq!(row_state(&[closed, late, running], today), RowState::Overdue);
        assert_eq!(row_state(&[closed, running], today), RowState::Working);
    }

    #[test]
    fn lagging_units_are_ordered_by_overdue_entries() {
        let today = d("2021-07-15");
        let mut fresh = facts(EntryStatus::InProgress, "2021-12-31");
        fresh.last_report_on = Some(d("2021-07-10"));
        let entries = vec![
            (1, facts(EntryStatus::InProgress, "2021-06-30")),
            (2, facts(EntryStatus::InProgress, "2021-06-30")),
            (2, facts(EntryStatus::Open, "2021-05-31")),
            (3, fresh),
            (4, facts(EntryStatus::Open, "2021-12-31")),
        ];
        let l = lagging_units(&entries, today);
        assert_eq!(l.iter().map(|x| x.unit_id).collect::<Vec<_>>(), vec![2, 1, 4]);
        assert_eq!((l[0].overdue, l[0].stalled), (2, 2));
        assert_eq!((l[2].overdue, l[2].stalled), (0, 1));
    }

    #[test]
    fn assessment_weighs_completion_timeliness_and_evidence() {
        let today = d("2022-01-05");
        let mut on_time = facts(EntryStatus::Closed, "2021-06-30");
        on_time.submitted_on = Some(d("2021-06-20"));
        on_time.has_evidence = true;
        let mut late = on_time;
        late.submitted_on = Some(d("2021-07-20"));
        let open = facts(EntryStatus::InProgress, "2021-12-31");
        let entries = vec![(1, on_time), (1, late), (2, on_time), (3, open)];
        let s = assess(&entries, Weights::default(), today);
        assert_eq!(s.iter().map(|x| x.unit_id).collect::<Vec<_>>(), vec![2, 1, 3]);
        assert_eq!(s[0].score, 100.0);
        assert_eq!(s[0].grade, "优秀");
        // 50·1 + 30·½ + 20·1 = 85
        assert_eq!(s[1].score, 85.0);
        assert_eq!(s[1].grade, "良好");
        assert_eq!((s[2].score, s[2].grade, s[2].overdue), (0.0, "不合格", 1));
        assert!(Weights::parse("50", "30", "30").is_err());
        assert_eq!(Weights::parse("60", "20", "20").unwrap().completion, 60);
    }

    fn sig(part: u32, item: u32, text: &str, lead: &str) -> RowSig {
        RowSig {
            part,
            item,
            text: text.into(),
            lead: vec![lead.into()],
            responsible: vec![],
        }
    }

    #[test]
    fn the_diff_matches_rows_by_text_then_by_place() {
        let old = vec![
            sig(1, 1, "公开规划", "县发展改革委"),
            sig(1, 1, "公开预算", "县财政局"),
            sig(1, 2, "做好解读", "县司法局"),
        ];
        let same = diff_rows(&old, &old);
        assert!(same.is_empty());
        assert_eq!(same.unchanged.len(), 3);
        let new = vec![
            sig(1, 2, "做好解读", "县司法局"),
            sig(1, 1, "公开 规划", "县规划自然资源局"),
            sig(1, 1, "公开预算和决算", "县财政局"),
            sig(2, 1, "新增任务", "县政府办公室"),
        ];
        let d = diff_rows(&old, &new);
        assert_eq!(d.unchanged, vec![(2, 0)]);
        assert_eq!(d.changed, vec![(0, 1, vec!["lead"]), (1, 2, vec!["text"])]);
        assert_eq!(d.added, vec![3]);
        assert!(d.removed.is_empty());
        let d = diff_rows(&old, &new[..1]);
        assert_eq!(d.removed, vec![0, 1]);
    }
}
