//! The application statistics of the annual report: table 三 收到和处理政府信息公开申请情况
//! and table 四 政府信息公开行政复议、行政诉讼情况 of the 2021 format
//! (国办公开办函〔2021〕30号, rules.md §3), plus handling indicators.
//!
//! Rules:
//! - Columns (VERIFIED, 30号 table 三): 自然人, then the five 法人或其他组织
//!   sub-columns in [`ApplicantType::ALL`] order, then 总计. The 总计 column is
//!   never stored: it is the sum of the six ([`Counts::total`]; DERIVED).
//! - Which applications a year's table counts (DERIVED; the 30号 counting
//!   guidance was not readable, rules.md §3):
//!   - 一、本年新收: received in the year;
//!   - 二、上年结转: received before 1 January of the year and not concluded
//!     before that day;
//!   - 三（一）–（六）and （七）总计: those of 一 and 二 concluded by 31 December,
//!     each in the row of its [`Outcome`];
//!   - 四、结转下年度继续办理: those of 一 and 二 not concluded by 31 December.
//!
//!   So by construction, per column, 一 + 二 = 三（七）+ 四 (VERIFIED: the
//!   table's own cell text "第一项加第二项之和，等于第三项加第四项之和"), and this
//!   year's 四 equals next year's 二 (DERIVED). A conclusion dated before its
//!   receipt is a data error; it counts as concluded in the year of receipt,
//!   so the table still balances.
//! - Table 四 (VERIFIED layout, same in the 2019 and 2021 formats): three
//!   blocks 行政复议 / 未经复议直接起诉 / 复议后起诉, each 结果维持, 结果纠正,
//!   其他结果, 尚未审结, 总计; 总计 is the sum of the four (DERIVED). Which cases
//!   a year's table 四 counts (e.g. a review filed last year and decided this
//!   year) is UNVERIFIED: the caller chooses and passes them in.
//! - [`Handling`]: on-time rate and average working days. These are not rows
//!   of the 30号 format; they are the office's own indicators (DERIVED).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{ApplicantType, Outcome};

/// One application as the statistics see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFacts {
    /// The report column the applicant is counted in.
    pub applicant: ApplicantType,
    /// The receipt date (第三十一条; after a 补正 still the first receipt).
    pub received: NaiveDate,
    /// The conclusion date and outcome; `None` while the case is open.
    pub concluded: Option<(NaiveDate, Outcome)>,
    /// Working days from receipt to conclusion (None if open).
    pub working_days: Option<u32>,
    /// Whether the case was concluded within its due date (None if open or
    /// unknown).
    pub on_time: Option<bool>,
}

impl CaseFacts {
    /// The facts of a case from its dates: working days from receipt to
    /// conclusion on `cal`, and on time when concluded by the due date.
    /// A case closed by itself (逾期不补正, 逾期未缴费) was never answered:
    /// it counts in its outcome row but not in the timing figures.
    pub fn from_dates(
        cal: &crate::calendar::Calendar,
        applicant: ApplicantType,
        received: NaiveDate,
        concluded: Option<(NaiveDate, Outcome)>,
        due: Option<NaiveDate>,
        auto_closed: bool,
    ) -> CaseFacts {
        let answered = concluded.filter(|_| !auto_closed).map(|(d, _)| d);
        CaseFacts {
            applicant,
            received,
            concluded,
            working_days: answered.map(|d| cal.working_days_between(received, d)),
            on_time: answered.and_then(|d| due.map(|due| d <= due)),
        }
    }
}

/// Counts per applicant column, in [`ApplicantType::ALL`] order (the 总计
/// column is [`Counts::total`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Counts(pub [u64; 6]);

/// The index of a type's column (its position in [`ApplicantType::ALL`]).
fn column(t: ApplicantType) -> usize {
    match t {
        ApplicantType::NaturalPerson => 0,
        ApplicantType::Commercial => 1,
        ApplicantType::Research => 2,
        ApplicantType::PublicWelfare => 3,
        ApplicantType::LegalService => 4,
        ApplicantType::OtherOrg => 5,
    }
}

impl Counts {
    /// The 总计 column: the sum of the six applicant columns (DERIVED).
    pub fn total(&self) -> u64 {
        self.0.iter().fold(0u64, |acc, n| acc.saturating_add(*n))
    }

    /// Counts one more application of type `t`.
    pub fn add(&mut self, t: ApplicantType) {
        let cell = &mut self.0[column(t)];
        *cell = cell.saturating_add(1);
    }

    /// The count in `t`'s column.
    pub fn get(&self, t: ApplicantType) -> u64 {
        self.0[column(t)]
    }

    /// The 自然人 column.
    pub fn natural_person(&self) -> u64 {
        self.0[0]
    }

    /// The five 法人或其他组织 columns together.
    pub fn organisations(&self) -> u64 {
        self.0[1..].iter().fold(0u64, |acc, n| acc.saturating_add(*n))
    }

    /// The seven numbers of a rendered row: the six columns, then 总计.
    pub fn cells(&self) -> [u64; 7] {
        let [a, b, c, d, e, f] = self.0;
        [a, b, c, d, e, f, self.total()]
    }
}

/// The seven column headings of table 三's data columns, in order.
pub const TABLE3_COLUMNS_ZH: [&str; 7] = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"];

/// How a case enters one year's table 三, or `None` if it does not.
struct Place {
    new: bool,
    concluded_in_year: Option<Outcome>,
}

/// The DERIVED counting rule of the module doc, by calendar year.
fn place(year: i32, c: &CaseFacts) -> Option<Place> {
    let received = c.received.year();
    let new = match received.cmp(&year) {
        std::cmp::Ordering::Greater => return None,
        std::cmp::Ordering::Equal => true,
        // Carried over unless concluded before 1 January of `year`.
        std::cmp::Ordering::Less => {
            if c.concluded.is_some_and(|(on, _)| on.year() < year) {
                return None;
            }
            false
        }
    };
    let concluded_in_year = c.concluded.filter(|(on, _)| on.year() <= year).map(|(_, o)| o);
    Some(Place { new, concluded_in_year })
}

/// Table 三 收到和处理政府信息公开申请情况 of one year (国办公开办函〔2021〕30号).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table3 {
    pub year: i32,
    /// 一、本年新收政府信息公开申请数量.
    pub new: Counts,
    /// 二、上年结转政府信息公开申请数量.
    pub carried_over: Counts,
    /// 三、本年度办理结果（一）–（六）, one entry per row in [`Outcome::ALL`] order.
    pub outcomes: [Counts; 21],
    /// 三（七）总计.
    pub concluded: Counts,
    /// 四、结转下年度继续办理.
    pub carried_forward: Counts,
}

/// Number of data rows of table 三 (一, 二, the 21 outcome rows, （七）, 四).
pub const TABLE3_ROWS: usize = 25;

const ROW_NEW: &str = "一、本年新收政府信息公开申请数量";
const ROW_CARRIED_OVER: &str = "二、上年结转政府信息公开申请数量";
const ROW_CONCLUDED: &str = "（七）总计";
const ROW_CARRIED_FORWARD: &str = "四、结转下年度继续办理";

impl Table3 {
    /// An all-zero table for `year`.
    pub fn empty(year: i32) -> Table3 {
        Table3 {
            year,
            new: Counts::default(),
            carried_over: Counts::default(),
            outcomes: [Counts::default(); 21],
            concluded: Counts::default(),
            carried_forward: Counts::default(),
        }
    }

    /// Table 三 of `year` from every case the agency has (cases of other
    /// years are skipped by the counting rule of the module doc).
    pub fn compute<'a>(year: i32, cases: impl IntoIterator<Item = &'a CaseFacts>) -> Table3 {
        let mut t = Table3::empty(year);
        for c in cases {
            let Some(p) = place(year, c) else { continue };
            if p.new {
                t.new.add(c.applicant);
            } else {
                t.carried_over.add(c.applicant);
            }
            match p.concluded_in_year {
                Some(o) => {
                    let row = Outcome::ALL.iter().position(|x| *x == o).expect("every outcome is in Outcome::ALL");
                    t.outcomes[row].add(c.applicant);
                    t.concluded.add(c.applicant);
                }
                None => t.carried_forward.add(c.applicant),
            }
        }
        t
    }

    /// The row of one outcome.
    pub fn outcome(&self, o: Outcome) -> Counts {
        let row = Outcome::ALL.iter().position(|x| *x == o).expect("every outcome is in Outcome::ALL");
        self.outcomes[row]
    }

    /// Consistency violations, in Chinese, one per rule and column; empty
    /// when the table is consistent. Checked for each of the six applicant
    /// columns (总计 is their sum, so it cannot disagree on its own):
    /// - 一 + 二 = 三（七）+ 四 (VERIFIED: the table's cell text);
    /// - 三（七）= （一）+（二）+ Σ（三）1–8 + Σ（四）1–3 + Σ（五）1–5 + Σ（六）1–3 (DERIVED).
    pub fn check(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (i, t) in ApplicantType::ALL.into_iter().enumerate() {
            let col = t.label_zh();
            let (a, b) = (u128::from(self.new.0[i]), u128::from(self.carried_over.0[i]));
            let (c, d) = (u128::from(self.concluded.0[i]), u128::from(self.carried_forward.0[i]));
            if a + b != c + d {
                out.push(format!(
                    "{col}列：一、本年新收（{a}）加二、上年结转（{b}）之和为{}，不等于三、本年度办理结果（七）总计（{c}）加四、结转下年度继续办理（{d}）之和{}。",
                    a + b,
                    c + d
                ));
            }
            let sum: u128 = self.outcomes.iter().map(|r| u128::from(r.0[i])).sum();
            if sum != c {
                out.push(format!(
                    "{col}列：三、本年度办理结果（七）总计为{c}，但（一）至（六）各项之和为{sum}。"
                ));
            }
        }
        out
    }

    /// Warnings where this year's 二、上年结转 differs from `previous` year's
    /// 四、结转下年度继续办理 (DERIVED; rules.md §3 says published reports
    /// sometimes differ, so this is a warning, not an error). Empty when they
    /// agree or `previous` is not the year before.
    pub fn carry_over_warnings(&self, previous: &Table3) -> Vec<String> {
        if previous.year.checked_add(1) != Some(self.year) {
            return Vec::new();
        }
        ApplicantType::ALL
            .into_iter()
            .filter(|t| self.carried_over.get(*t) != previous.carried_forward.get(*t))
            .map(|t| {
                format!(
                    "{}列：{}年二、上年结转为{}，与{}年四、结转下年度继续办理的{}不一致。",
                    t.label_zh(),
                    self.year,
                    self.carried_over.get(t),
                    previous.year,
                    previous.carried_forward.get(t)
                )
            })
            .collect()
    }

    /// The 25 data rows in report order, each with its label as in the
    /// report (e.g. "一、本年新收政府信息公开申请数量", "（三）不予公开 1.属于国家秘密"),
    /// ready to render as a 7-column table with [`Counts::cells`]. The
    /// header row "三、本年度办理结果" carries no numbers and is not a row here.
    pub fn rows(&self) -> Vec<(String, Counts)> {
        let mut rows = Vec::with_capacity(TABLE3_ROWS);
        rows.push((ROW_NEW.to_owned(), self.new));
        rows.push((ROW_CARRIED_OVER.to_owned(), self.carried_over));
        for (o, counts) in Outcome::ALL.into_iter().zip(self.outcomes) {
            rows.push((outcome_row_label(o), counts));
        }
        rows.push((ROW_CONCLUDED.to_owned(), self.concluded));
        rows.push((ROW_CARRIED_FORWARD.to_owned(), self.carried_forward));
        rows
    }
}

/// An outcome's row label in table 三 (VERIFIED wording, rules.md §3).
fn outcome_row_label(o: Outcome) -> String {
    let g = o.group();
    match o.item() {
        Some(n) => format!("{}{} {n}.{}", g.number_zh(), g.label_zh(), o.label_zh()),
        None if o == Outcome::PartiallyDisclosed => format!("{}{}（区分处理的，只计这一情形，不计其他情形）", g.number_zh(), g.label_zh()),
        None => format!("{}{}", g.number_zh(), g.label_zh()),
    }
}

/// The kind of challenge counted in table 四.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewKind {
    /// 行政复议.
    Reconsideration,
    /// 行政诉讼：未经复议直接起诉.
    LitigationDirect,
    /// 行政诉讼：复议后起诉.
    LitigationAfterReview,
}

impl ReviewKind {
    /// The three blocks in report order.
    pub const ALL: [ReviewKind; 3] = [
        ReviewKind::Reconsideration,
        ReviewKind::LitigationDirect,
        ReviewKind::LitigationAfterReview,
    ];

    /// Stable snake_case code (equal to the serde form).
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewKind::Reconsideration => "reconsideration",
            ReviewKind::LitigationDirect => "litigation_direct",
            ReviewKind::LitigationAfterReview => "litigation_after_review",
        }
    }

    /// The kind with this code or Chinese label.
    pub fn parse(s: &str) -> Option<ReviewKind> {
        let s = s.trim();
        ReviewKind::ALL.into_iter().find(|k| k.as_str() == s || k.label_zh() == s)
    }

    /// The block heading in table 四.
    pub fn label_zh(self) -> &'static str {
        match self {
            ReviewKind::Reconsideration => "行政复议",
            ReviewKind::LitigationDirect => "未经复议直接起诉",
            ReviewKind::LitigationAfterReview => "复议后起诉",
        }
    }
}

/// The result column of table 四.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewResult {
    /// 结果维持.
    Upheld,
    /// 结果纠正.
    Corrected,
    /// 其他结果.
    Other,
    /// 尚未审结.
    Pending,
}

impl ReviewResult {
    /// The four result columns in report order (总计 follows them).
    pub const ALL: [ReviewResult; 4] = [
        ReviewResult::Upheld,
        ReviewResult::Corrected,
        ReviewResult::Other,
        ReviewResult::Pending,
    ];

    /// Stable snake_case code (equal to the serde form).
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewResult::Upheld => "upheld",
            ReviewResult::Corrected => "corrected",
            ReviewResult::Other => "other",
            ReviewResult::Pending => "pending",
        }
    }

    /// The result with this code or Chinese label.
    pub fn parse(s: &str) -> Option<ReviewResult> {
        let s = s.trim();
        ReviewResult::ALL.into_iter().find(|r| r.as_str() == s || r.label_zh() == s)
    }

    /// The column heading in table 四.
    pub fn label_zh(self) -> &'static str {
        match self {
            ReviewResult::Upheld => "结果维持",
            ReviewResult::Corrected => "结果纠正",
            ReviewResult::Other => "其他结果",
            ReviewResult::Pending => "尚未审结",
        }
    }

    fn index(self) -> usize {
        match self {
            ReviewResult::Upheld => 0,
            ReviewResult::Corrected => 1,
            ReviewResult::Other => 2,
            ReviewResult::Pending => 3,
        }
    }
}

/// The five column headings of each table 四 block.
pub const TABLE4_COLUMNS_ZH: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

/// Table 四 政府信息公开行政复议、行政诉讼情况 (国办公开办函〔2021〕30号). Each
/// block is 结果维持, 结果纠正, 其他结果, 尚未审结, 总计.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table4 {
    /// 行政复议.
    pub reconsideration: [u64; 5],
    /// 行政诉讼：未经复议直接起诉.
    pub direct: [u64; 5],
    /// 行政诉讼：复议后起诉.
    pub after_review: [u64; 5],
}

impl Table4 {
    /// Counts each challenge once in its block and result column, and its
    /// block's 总计. The caller decides which challenges belong to the year
    /// (UNVERIFIED counting rule, see the module doc).
    pub fn compute(items: impl IntoIterator<Item = (ReviewKind, ReviewResult)>) -> Table4 {
        let mut t = Table4::default();
        for (kind, result) in items {
            let block = t.block_mut(kind);
            block[result.index()] = block[result.index()].saturating_add(1);
            block[4] = block[4].saturating_add(1);
        }
        t
    }

    /// One block's five cells.
    pub fn block(&self, kind: ReviewKind) -> [u64; 5] {
        match kind {
            ReviewKind::Reconsideration => self.reconsideration,
            ReviewKind::LitigationDirect => self.direct,
            ReviewKind::LitigationAfterReview => self.after_review,
        }
    }

    fn block_mut(&mut self, kind: ReviewKind) -> &mut [u64; 5] {
        match kind {
            ReviewKind::Reconsideration => &mut self.reconsideration,
            ReviewKind::LitigationDirect => &mut self.direct,
            ReviewKind::LitigationAfterReview => &mut self.after_review,
        }
    }

    /// The 15 numeric cells in the report's left-to-right order.
    pub fn cells(&self) -> [u64; 15] {
        let mut out = [0; 15];
        for (i, kind) in ReviewKind::ALL.into_iter().enumerate() {
            out[i * 5..i * 5 + 5].copy_from_slice(&self.block(kind));
        }
        out
    }

    /// Violations of "总计 = 维持 + 纠正 + 其他 + 尚未审结" per block (DERIVED),
    /// in Chinese; empty when consistent.
    pub fn check(&self) -> Vec<String> {
        ReviewKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let b = self.block(kind);
                let sum: u128 = b[..4].iter().map(|n| u128::from(*n)).sum();
                (sum != u128::from(b[4])).then(|| {
                    format!(
                        "{}：总计为{}，但结果维持、结果纠正、其他结果、尚未审结之和为{sum}。",
                        kind.label_zh(),
                        b[4]
                    )
                })
            })
            .collect()
    }
}

/// Handling indicators of the cases concluded in a year (the cases of
/// [`Table3`]'s 三（七）; DERIVED office indicators, not rows of the 30号 format).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Handling {
    /// Cases concluded in the year (= table 三（七）总计).
    pub concluded: u64,
    /// Of those, concluded within the due date.
    pub on_time: u64,
    /// Of those, the ones whose `on_time` is known: the rate's denominator.
    pub timed: u64,
    /// `on_time / timed × 100`; `None` when `timed` is 0.
    pub on_time_rate: Option<f64>,
    /// Mean of the known `working_days` of the concluded cases; `None` when
    /// none is known.
    pub average_working_days: Option<f64>,
}

impl Handling {
    /// The indicators of the cases `year`'s table 三 counts as concluded.
    pub fn compute<'a>(year: i32, cases: impl IntoIterator<Item = &'a CaseFacts>) -> Handling {
        let (mut concluded, mut on_time, mut timed, mut measured, mut days) = (0u64, 0u64, 0u64, 0u64, 0u128);
        for c in cases {
            let Some(Place {
                concluded_in_year: Some(_),
                ..
            }) = place(year, c)
            else {
                continue;
            };
            concluded += 1;
            if let Some(ok) = c.on_time {
                timed += 1;
                on_time += u64::from(ok);
            }
            if let Some(n) = c.working_days {
                measured += 1;
                days += u128::from(n);
            }
        }
        Handling {
            concluded,
            on_time,
            timed,
            on_time_rate: (timed > 0).then(|| on_time as f64 * 100.0 / timed as f64),
            average_working_days: (measured > 0).then(|| days as f64 / measured as f64),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_from_dates_time_answered_cases_only() {
        let cal = crate::calendar::Calendar::official();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let late = CaseFacts::from_dates(
            cal,
            ApplicantType::NaturalPerson,
            d("2021-09-24"),
            Some((d("2021-10-28"), Outcome::Disclosed)),
            Some(d("2021-10-27")),
            false,
        );
        assert_eq!((late.working_days, late.on_time), (Some(21), Some(false)));
        let closed = CaseFacts::from_dates(
            cal,
            ApplicantType::Commercial,
            d("2021-09-24"),
            Some((d("2021-11-01"), Outcome::OtherUnpaidFee)),
            Some(d("2021-10-27")),
            true,
        );
        assert_eq!((closed.working_days, closed.on_time), (None, None));
        assert!(closed.concluded.is_some());
    }
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    fn case(t: ApplicantType, received: &str, concluded: Option<(&str, Outcome)>) -> CaseFacts {
        CaseFacts {
            applicant: t,
            received: d(received),
            concluded: concluded.map(|(on, o)| (d(on), o)),
            working_days: None,
            on_time: None,
        }
    }

    #[test]
    fn columns_follow_applicant_order() {
        for (i, t) in ApplicantType::ALL.into_iter().enumerate() {
            assert_eq!(column(t), i);
            assert_eq!(TABLE3_COLUMNS_ZH[i], t.label_zh());
        }
        let mut c = Counts::default();
        c.add(ApplicantType::NaturalPerson);
        c.add(ApplicantType::NaturalPerson);
        c.add(ApplicantType::LegalService);
        assert_eq!(c, Counts([2, 0, 0, 0, 1, 0]));
        assert_eq!((c.total(), c.natural_person(), c.organisations()), (3, 2, 1));
        assert_eq!(c.get(ApplicantType::LegalService), 1);
        assert_eq!(c.cells(), [2, 0, 0, 0, 1, 0, 3]);
        assert_eq!(serde_json::to_string(&c).unwrap(), "[2,0,0,0,1,0]");
    }

    #[test]
    fn a_year_with_new_and_carried_over_cases_balances() {
        use ApplicantType::*;
        let cases = [
            // Carried over from 2020, concluded in 2021.
            case(NaturalPerson, "2020-12-20", Some(("2021-01-15", Outcome::Disclosed))),
            // Carried over from 2020, still open.
            case(Commercial, "2020-12-28", None),
            // Concluded in 2020: not part of 2021 at all.
            case(NaturalPerson, "2020-11-02", Some(("2020-12-31", Outcome::Disclosed))),
            // New in 2021, concluded in 2021.
            case(NaturalPerson, "2021-03-01", Some(("2021-03-20", Outcome::WithheldStateSecret))),
            case(Research, "2021-06-01", Some(("2021-06-25", Outcome::UnavailableNotHeld))),
            // New in 2021, concluded in 2022: carried forward.
            case(NaturalPerson, "2021-12-20", Some(("2022-01-10", Outcome::Disclosed))),
            // Received in 2022: not counted.
            case(NaturalPerson, "2022-01-05", None),
        ];
        let t = Table3::compute(2021, &cases);
        assert_eq!(t.new, Counts([2, 0, 1, 0, 0, 0]));
        assert_eq!(t.carried_over, Counts([1, 1, 0, 0, 0, 0]));
        assert_eq!(t.concluded, Counts([2, 0, 1, 0, 0, 0]));
        assert_eq!(t.carried_forward, Counts([1, 1, 0, 0, 0, 0]));
        assert_eq!(t.outcome(Outcome::Disclosed), Counts([1, 0, 0, 0, 0, 0]));
        assert_eq!(t.outcome(Outcome::WithheldStateSecret), Counts([1, 0, 0, 0, 0, 0]));
        assert_eq!(t.outcome(Outcome::UnavailableNotHeld), Counts([0, 0, 1, 0, 0, 0]));
        assert_eq!(t.check(), Vec::<String>::new());

        // 2020-12-20 and 2020-12-28 are 2020's carry-forward and 2021's carry-over.
        let previous = Table3::compute(2020, &cases);
        assert_eq!(previous.carried_forward, t.carried_over);
        assert!(t.carry_over_warnings(&previous).is_empty());
        let next = Table3::compute(2022, &cases);
        assert_eq!(next.carried_over, Counts([1, 1, 0, 0, 0, 0]));
        assert_eq!(next.new, Counts([1, 0, 0, 0, 0, 0]));
    }

    #[test]
    fn concluded_next_year_is_carried_forward_and_last_year_is_not_carried_over() {
        let next = [case(
            ApplicantType::OtherOrg,
            "2021-12-30",
            Some(("2022-01-04", Outcome::Disclosed)),
        )];
        let t = Table3::compute(2021, &next);
        assert_eq!(t.new.total(), 1);
        assert_eq!(t.concluded.total(), 0);
        assert_eq!(t.carried_forward, Counts([0, 0, 0, 0, 0, 1]));

        let last = [case(
            ApplicantType::OtherOrg,
            "2020-12-01",
            Some(("2020-12-31", Outcome::Disclosed)),
        )];
        let t = Table3::compute(2021, &last);
        assert_eq!(t, Table3::empty(2021));

        // Concluded on 1 January: carried over, then concluded this year.
        let edge = [case(ApplicantType::OtherOrg, "2020-12-01", Some(("2021-01-01", Outcome::Other)))];
        let t = Table3::compute(2021, &edge);
        assert_eq!(t.carried_over.total(), 1);
        assert_eq!(t.outcome(Outcome::Other).total(), 1);
        assert_eq!(t.carried_forward.total(), 0);
    }

    /// The Shanghai 2019 总计 column: 859 + 18 = 805 + 72.
    fn shanghai_like() -> Table3 {
        let mut t = Table3::empty(2019);
        t.new.0[0] = 859;
        t.carried_over.0[0] = 18;
        t.outcomes[0].0[0] = 700;
        t.outcomes[1].0[0] = 5;
        t.outcomes[10].0[0] = 100;
        t.concluded.0[0] = 805;
        t.carried_forward.0[0] = 72;
        t
    }

    #[test]
    fn check_flags_a_broken_table() {
        let t = shanghai_like();
        assert_eq!(t.check(), Vec::<String>::new());

        let mut broken = t.clone();
        broken.carried_forward.0[0] = 71;
        assert_eq!(
            broken.check(),
            [
                "自然人列：一、本年新收（859）加二、上年结转（18）之和为877，不等于三、本年度办理结果（七）总计（805）加四、结转下年度继续办理（71）之和876。"
            ]
        );

        let mut broken = t.clone();
        broken.outcomes[10].0[0] = 99;
        assert_eq!(
            broken.check(),
            ["自然人列：三、本年度办理结果（七）总计为805，但（一）至（六）各项之和为804。"]
        );

        let mut broken = t;
        broken.new.0[3] = 1;
        broken.outcomes[20].0[3] = 2;
        let msgs = broken.check();
        assert_eq!(msgs.len(), 2);
        assert!(msgs.iter().all(|m| m.starts_with("社会公益组织列：")));
    }

    #[test]
    fn carry_over_mismatch_is_a_warning() {
        let mut prev = Table3::empty(2020);
        prev.carried_forward.0[1] = 3;
        let mut this = Table3::empty(2021);
        this.carried_over.0[1] = 2;
        assert_eq!(
            this.carry_over_warnings(&prev),
            ["商业企业列：2021年二、上年结转为2，与2020年四、结转下年度继续办理的3不一致。"]
        );
        prev.year = 2019;
        assert!(this.carry_over_warnings(&prev).is_empty());
    }

    #[test]
    fn rows_in_report_order() {
        let t = shanghai_like();
        let rows = t.rows();
        assert_eq!(rows.len(), TABLE3_ROWS);
        let labels: Vec<&str> = rows.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels[0], "一、本年新收政府信息公开申请数量");
        assert_eq!(labels[1], "二、上年结转政府信息公开申请数量");
        assert_eq!(labels[2], "（一）予以公开");
        assert_eq!(labels[3], "（二）部分公开（区分处理的，只计这一情形，不计其他情形）");
        assert_eq!(labels[4], "（三）不予公开 1.属于国家秘密");
        assert_eq!(labels[6], "（三）不予公开 3.危及“三安全一稳定”");
        assert_eq!(labels[12], "（四）无法提供 1.本机关不掌握相关政府信息");
        assert_eq!(labels[19], "（五）不予处理 5.要求行政机关确认或重新出具已获取信息");
        assert_eq!(labels[22], "（六）其他处理 3.其他");
        assert_eq!(labels[23], "（七）总计");
        assert_eq!(labels[24], "四、结转下年度继续办理");
        assert_eq!(rows[0].1.cells()[6], 859);
        assert_eq!(rows[23].1.cells()[6], 805);
        assert_eq!(rows[24].1.cells()[6], 72);
    }

    #[test]
    fn table4_counts_blocks_and_totals() {
        use ReviewKind::*;
        use ReviewResult::*;
        let t = Table4::compute([
            (Reconsideration, Upheld),
            (Reconsideration, Upheld),
            (Reconsideration, Corrected),
            (LitigationDirect, Pending),
            (LitigationAfterReview, Other),
        ]);
        assert_eq!(t.reconsideration, [2, 1, 0, 0, 3]);
        assert_eq!(t.direct, [0, 0, 0, 1, 1]);
        assert_eq!(t.after_review, [0, 0, 1, 0, 1]);
        assert_eq!(t.cells(), [2, 1, 0, 0, 3, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1]);
        assert!(t.check().is_empty());
        let mut broken = t;
        broken.direct[4] = 2;
        assert_eq!(
            broken.check(),
            ["未经复议直接起诉：总计为2，但结果维持、结果纠正、其他结果、尚未审结之和为1。"]
        );
    }

    #[test]
    fn review_codes_round_trip() {
        for k in ReviewKind::ALL {
            assert_eq!(ReviewKind::parse(k.as_str()), Some(k));
            assert_eq!(ReviewKind::parse(k.label_zh()), Some(k));
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.as_str()));
        }
        for r in ReviewResult::ALL {
            assert_eq!(ReviewResult::parse(r.as_str()), Some(r));
            assert_eq!(ReviewResult::parse(r.label_zh()), Some(r));
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{}\"", r.as_str()));
        }
        assert_eq!(ReviewKind::parse("appeal"), None);
        assert_eq!(ReviewResult::parse(""), None);
    }

    #[test]
    fn handling_indicators() {
        let mut cases = vec![
            case(ApplicantType::NaturalPerson, "2021-03-01", Some(("2021-03-20", Outcome::Disclosed))),
            case(ApplicantType::NaturalPerson, "2021-04-01", Some(("2021-05-20", Outcome::Disclosed))),
            case(ApplicantType::NaturalPerson, "2021-05-01", Some(("2021-05-10", Outcome::Disclosed))),
            // Open, and concluded in another year: not counted.
            case(ApplicantType::NaturalPerson, "2021-12-01", None),
            case(ApplicantType::NaturalPerson, "2020-03-01", Some(("2020-03-20", Outcome::Disclosed))),
        ];
        cases[0].working_days = Some(10);
        cases[0].on_time = Some(true);
        cases[1].working_days = Some(30);
        cases[1].on_time = Some(false);
        cases[2].on_time = None;
        cases[4].working_days = Some(5);
        cases[4].on_time = Some(true);
        let h = Handling::compute(2021, &cases);
        assert_eq!((h.concluded, h.on_time, h.timed), (3, 1, 2));
        assert_eq!(h.on_time_rate, Some(50.0));
        assert_eq!(h.average_working_days, Some(20.0));
        assert_eq!(h.concluded, Table3::compute(2021, &cases).concluded.total());

        let none = Handling::compute(2019, &cases);
        assert_eq!((none.concluded, none.on_time_rate, none.average_working_days), (0, None, None));
    }

    fn any_case() -> impl Strategy<Value = CaseFacts> {
        (
            0usize..6,
            0u64..(5 * 366),
            proptest::option::of((0u64..800, 0usize..21)),
            any::<bool>(),
        )
            .prop_map(|(t, r, c, ok)| {
                let base = d("2019-01-01");
                let received = base + chrono::Days::new(r);
                CaseFacts {
                    applicant: ApplicantType::ALL[t],
                    received,
                    concluded: c.map(|(after, o)| (received + chrono::Days::new(after), Outcome::ALL[o])),
                    working_days: c.map(|(after, _)| after as u32),
                    on_time: c.map(|_| ok),
                }
            })
    }

    proptest! {
        #[test]
        fn random_case_sets_always_balance(cases in proptest::collection::vec(any_case(), 0..60), year in 2019i32..=2024) {
            let t = Table3::compute(year, &cases);
            prop_assert!(t.check().is_empty(), "{:?}", t.check());
            for i in 0..6 {
                prop_assert_eq!(t.new.0[i] + t.carried_over.0[i], t.concluded.0[i] + t.carried_forward.0[i]);
            }
            let next = Table3::compute(year + 1, &cases);
            prop_assert_eq!(next.carried_over, t.carried_forward);
            prop_assert!(next.carry_over_warnings(&t).is_empty());
            let h = Handling::compute(year, &cases);
            prop_assert_eq!(h.concluded, t.concluded.total());
            prop_assert!(h.on_time <= h.timed && h.timed <= h.concluded);
        }
    }
}
