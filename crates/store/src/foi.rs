//! Disclosure on application (依申请公开): cases, their event history, the
//! letters issued and the reviews and lawsuits that followed.
//!
//! The clock is not stored as rules but as events (`foi_events`); the
//! derived columns of `foi_cases` (status, due date, overdue, outcome of an
//! auto-closed case) are a cache written by the app after folding the
//! events with `gongkai_domain::foi::compute`, so lists and dashboards can
//! filter on them and a calendar change can recompute them all.
//!
//! Case rows hold the applicant's personal data (name, identity number,
//! phone, address): callers must not log them.

use crate::db::{Result, Store, StoreError, Tx, now_ts};
use crate::schema::*;
use sea_query::{Cond, Expr, ExprTrait, Order, Query, SelectStatement};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FoiCaseRow {
    pub id: i64,
    pub site_id: i64,
    pub unit_id: i64,
    pub ref_no: String,
    pub channel: String,
    pub applicant_type: String,
    pub applicant_name: String,
    pub org_code: Option<String>,
    pub contact_person: Option<String>,
    pub id_type: String,
    pub id_number: String,
    pub id_file_hash: Option<String>,
    pub id_file_name: Option<String>,
    pub phone: String,
    pub email: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub description: String,
    pub doc_number: Option<String>,
    pub form_wanted: String,
    pub delivery: String,
    pub submitted_on: String,
    pub received_on: Option<String>,
    /// The clock events in compact form (`ClockEvent::encode_list`), kept in
    /// step with `foi_events` so a recomputation reads one row per case.
    pub clock_events: String,
    pub status: String,
    pub due_on: Option<String>,
    pub overdue: bool,
    pub provisional: bool,
    pub outcome: Option<String>,
    pub concluded_on: Option<String>,
    pub auto_closed: bool,
    pub fee_method: Option<String>,
    pub fee_quantity: Option<i64>,
    pub fee_yuan: Option<i64>,
    pub parent_id: Option<i64>,
    pub reminded_at: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

const CASE_COLUMNS: [FoiCases; 30] = [
    FoiCases::Id,
    FoiCases::SiteId,
    FoiCases::UnitId,
    FoiCases::RefNo,
    FoiCases::Channel,
    FoiCases::ApplicantType,
    FoiCases::ApplicantName,
    FoiCases::OrgCode,
    FoiCases::ContactPerson,
    FoiCases::IdType,
    FoiCases::IdNumber,
    FoiCases::IdFileHash,
    FoiCases::IdFileName,
    FoiCases::Phone,
    FoiCases::Email,
    FoiCases::Address,
    FoiCases::Postcode,
    FoiCases::Description,
    FoiCases::DocNumber,
    FoiCases::FormWanted,
    FoiCases::Delivery,
    FoiCases::SubmittedOn,
    FoiCases::FeeMethod,
    FoiCases::FeeQuantity,
    FoiCases::FeeYuan,
    FoiCases::ParentId,
    FoiCases::RemindedAt,
    FoiCases::CreatedBy,
    FoiCases::CreatedAt,
    FoiCases::UpdatedAt,
];

const CLOCK_COLUMNS: [FoiClocks; 9] = [
    FoiClocks::ReceivedOn,
    FoiClocks::ClockEvents,
    FoiClocks::Status,
    FoiClocks::DueOn,
    FoiClocks::Overdue,
    FoiClocks::Provisional,
    FoiClocks::Outcome,
    FoiClocks::ConcludedOn,
    FoiClocks::AutoClosed,
];

/// Cases joined with their clock rows.
fn case_select() -> SelectStatement {
    let mut q = Query::select();
    for c in CASE_COLUMNS {
        q.column((FoiCases::Table, c));
    }
    for c in CLOCK_COLUMNS {
        q.column((FoiClocks::Table, c));
    }
    q.from(FoiCases::Table).inner_join(FoiClocks::Table, joined()).to_owned()
}

fn joined() -> sea_query::Expr {
    Expr::col((FoiClocks::Table, FoiClocks::CaseId)).equals((FoiCases::Table, FoiCases::Id))
}

fn case_col(c: FoiCases) -> sea_query::Expr {
    Expr::col((FoiCases::Table, c))
}

fn clock_col(c: FoiClocks) -> sea_query::Expr {
    Expr::col((FoiClocks::Table, c))
}

/// A new case: the applicant's checked form and how it arrived.
#[derive(Debug, Clone)]
pub struct NewFoiCase {
    pub site_id: i64,
    pub unit_id: i64,
    /// A unique placeholder until the id is known; see [`Tx::set_foi_ref_no`].
    pub ref_no: String,
    pub channel: String,
    pub applicant_type: String,
    pub applicant_name: String,
    pub org_code: Option<String>,
    pub contact_person: Option<String>,
    pub id_type: String,
    pub id_number: String,
    pub id_file_hash: Option<String>,
    pub id_file_name: Option<String>,
    pub phone: String,
    pub email: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub description: String,
    pub doc_number: Option<String>,
    pub form_wanted: String,
    pub delivery: String,
    pub submitted_on: String,
    pub status: String,
    pub parent_id: Option<i64>,
    pub created_by: String,
}

/// The columns derived from a case's clock.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FoiClockColumns {
    pub received_on: Option<String>,
    pub status: String,
    pub due_on: Option<String>,
    pub overdue: bool,
    pub provisional: bool,
    pub outcome: Option<String>,
    pub concluded_on: Option<String>,
    pub auto_closed: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FoiEventRow {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub occurred_on: String,
    pub days: Option<i64>,
    pub note: Option<String>,
    pub actor: String,
    pub created_at: String,
}

fn event_select() -> SelectStatement {
    Query::select()
        .columns([
            FoiEvents::Id,
            FoiEvents::CaseId,
            FoiEvents::Kind,
            FoiEvents::OccurredOn,
            FoiEvents::Days,
            FoiEvents::Note,
            FoiEvents::Actor,
            FoiEvents::CreatedAt,
        ])
        .from(FoiEvents::Table)
        .to_owned()
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FoiLetterRow {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub title: String,
    pub number: String,
    /// Paragraphs separated by blank lines.
    pub body: String,
    /// Working days the letter sets (correction period, extension).
    pub days: Option<i64>,
    pub issued_on: Option<String>,
    pub issued_by: Option<String>,
    pub delivered_on: Option<String>,
    pub delivery_method: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

fn letter_select() -> SelectStatement {
    Query::select()
        .columns([
            FoiLetters::Id,
            FoiLetters::CaseId,
            FoiLetters::Kind,
            FoiLetters::Title,
            FoiLetters::Number,
            FoiLetters::Body,
            FoiLetters::Days,
            FoiLetters::IssuedOn,
            FoiLetters::IssuedBy,
            FoiLetters::DeliveredOn,
            FoiLetters::DeliveryMethod,
            FoiLetters::CreatedBy,
            FoiLetters::CreatedAt,
            FoiLetters::UpdatedAt,
        ])
        .from(FoiLetters::Table)
        .to_owned()
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FoiReviewRow {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    /// 复议机关 or 法院.
    pub body: String,
    pub filed_on: String,
    pub result: String,
    pub decided_on: Option<String>,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

fn review_select() -> SelectStatement {
    Query::select()
        .columns([
            FoiReviews::Id,
            FoiReviews::CaseId,
            FoiReviews::Kind,
            FoiReviews::Body,
            FoiReviews::FiledOn,
            FoiReviews::Result,
            FoiReviews::DecidedOn,
            FoiReviews::Note,
            FoiReviews::CreatedBy,
            FoiReviews::CreatedAt,
            FoiReviews::UpdatedAt,
        ])
        .from(FoiReviews::Table)
        .to_owned()
}

/// Which cases a list shows.
#[derive(Debug, Clone, Default)]
pub struct FoiCaseFilter {
    pub status: Option<String>,
    /// Only open cases (any status but concluded).
    pub open: bool,
    pub overdue: bool,
    /// Only cases of these units (`None`: every unit).
    pub unit_ids: Option<Vec<i64>>,
    /// Received (or, unconfirmed, submitted) in this year.
    pub year: Option<i32>,
    /// Reference number, or words of the description.
    pub text: Option<String>,
}

/// An open case's clock inputs, for recomputation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FoiClockInput {
    pub id: i64,
    pub channel: String,
    pub clock_events: String,
    pub received_on: Option<String>,
    pub status: String,
    pub due_on: Option<String>,
    pub overdue: bool,
    pub provisional: bool,
    pub outcome: Option<String>,
    pub concluded_on: Option<String>,
    pub auto_closed: bool,
}

impl FoiCaseRow {
    /// The columns derived from the clock, as stored.
    pub fn clock_columns(&self) -> FoiClockColumns {
        FoiClockColumns {
            received_on: self.received_on.clone(),
            status: self.status.clone(),
            due_on: self.due_on.clone(),
            overdue: self.overdue,
            provisional: self.provisional,
            outcome: self.outcome.clone(),
            concluded_on: self.concluded_on.clone(),
            auto_closed: self.auto_closed,
        }
    }
}

impl FoiClockInput {
    pub fn columns(&self) -> FoiClockColumns {
        FoiClockColumns {
            received_on: self.received_on.clone(),
            status: self.status.clone(),
            due_on: self.due_on.clone(),
            overdue: self.overdue,
            provisional: self.provisional,
            outcome: self.outcome.clone(),
            concluded_on: self.concluded_on.clone(),
            auto_closed: self.auto_closed,
        }
    }
}

/// What the statistics read of a case (no personal data).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FoiStatRow {
    pub id: i64,
    pub unit_id: i64,
    pub applicant_type: String,
    pub received_on: String,
    pub due_on: Option<String>,
    pub outcome: Option<String>,
    pub concluded_on: Option<String>,
    pub auto_closed: bool,
}

/// An earlier application of the same applicant (repeat detection, 按件 fees).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FoiPriorRow {
    pub id: i64,
    pub ref_no: String,
    pub description: String,
    pub received_on: Option<String>,
    pub submitted_on: String,
    pub outcome: Option<String>,
}

/// A review or lawsuit with its case's unit and year, for table 四.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FoiReviewStatRow {
    pub unit_id: i64,
    pub kind: String,
    pub result: String,
    pub filed_on: String,
}

impl Store {
    pub async fn foi_case(&self, id: i64) -> Result<FoiCaseRow> {
        self.fetch_optional(&case_select().and_where(case_col(FoiCases::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn foi_case_by_ref(&self, ref_no: &str) -> Result<Option<FoiCaseRow>> {
        self.fetch_optional(&case_select().and_where(case_col(FoiCases::RefNo).eq(ref_no)).to_owned())
            .await
    }

    fn foi_filter(site_id: i64, f: &FoiCaseFilter, today: &str) -> Cond {
        let mut c = Cond::all().add(case_col(FoiCases::SiteId).eq(site_id));
        if let Some(s) = &f.status {
            c = c.add(clock_col(FoiClocks::Status).eq(s.as_str()));
        }
        if f.open || f.overdue {
            c = c.add(clock_col(FoiClocks::Status).ne("concluded"));
        }
        if f.overdue {
            c = c.add(clock_col(FoiClocks::DueOn).lt(today));
        }
        if let Some(units) = &f.unit_ids {
            c = c.add(case_col(FoiCases::UnitId).is_in(units.clone()));
        }
        if let Some(y) = f.year {
            let (from, to) = (format!("{y}-01-01"), format!("{}-01-01", y + 1));
            c = c.add(
                Cond::any()
                    .add(
                        Cond::all()
                            .add(clock_col(FoiClocks::ReceivedOn).gte(from.as_str()))
                            .add(clock_col(FoiClocks::ReceivedOn).lt(to.as_str())),
                    )
                    .add(
                        Cond::all()
                            .add(clock_col(FoiClocks::ReceivedOn).is_null())
                            .add(case_col(FoiCases::SubmittedOn).gte(from.as_str()))
                            .add(case_col(FoiCases::SubmittedOn).lt(to.as_str())),
                    ),
            );
        }
        if let Some(t) = f.text.as_deref().filter(|t| !t.is_empty()) {
            let like = crate::db::like_contains(t);
            c = c.add(
                Cond::any()
                    .add(case_col(FoiCases::RefNo).eq(t))
                    .add(case_col(FoiCases::Description).like(like.clone()))
                    .add(case_col(FoiCases::DocNumber).like(like)),
            );
        }
        c
    }

    /// A page of cases (open ones by due date, then the newest), and the
    /// number matching. `today` decides what is overdue.
    pub async fn foi_cases_page(
        &self,
        site_id: i64,
        f: &FoiCaseFilter,
        today: &str,
        limit: u64,
        offset: u64,
    ) -> Result<(Vec<FoiCaseRow>, i64)> {
        let cond = Self::foi_filter(site_id, f, today);
        let mut q = case_select().cond_where(cond.clone()).to_owned();
        if f.open || f.overdue {
            q.order_by((FoiClocks::Table, FoiClocks::DueOn), Order::Asc);
        }
        let rows = self
            .fetch_all(
                &q.order_by((FoiCases::Table, FoiCases::Id), Order::Desc)
                    .limit(limit)
                    .offset(offset)
                    .to_owned(),
            )
            .await?;
        let total: i64 = self
            .fetch_scalar(
                &Query::select()
                    .expr(case_col(FoiCases::Id).count())
                    .from(FoiCases::Table)
                    .inner_join(FoiClocks::Table, joined())
                    .cond_where(cond)
                    .to_owned(),
            )
            .await?;
        Ok((rows, total))
    }

    /// Open cases by status, and how many of them are overdue, for the
    /// dashboard: `(status, count, overdue)`.
    pub async fn foi_counts(&self, site_id: i64, unit_ids: Option<&[i64]>, today: &str) -> Result<Vec<(String, i64, i64)>> {
        let mut cond = Cond::all()
            .add(case_col(FoiCases::SiteId).eq(site_id))
            .add(clock_col(FoiClocks::Status).ne("concluded"));
        if let Some(u) = unit_ids {
            cond = cond.add(case_col(FoiCases::UnitId).is_in(u.to_vec()));
        }
        let rows: Vec<(String, String)> = self
            .fetch_all(
                &Query::select()
                    .column((FoiClocks::Table, FoiClocks::Status))
                    .expr(clock_col(FoiClocks::DueOn).if_null(""))
                    .from(FoiCases::Table)
                    .inner_join(FoiClocks::Table, joined())
                    .cond_where(cond)
                    .to_owned(),
            )
            .await?;
        let mut out: Vec<(String, i64, i64)> = Vec::new();
        for (status, due) in rows {
            let late = i64::from(!due.is_empty() && due.as_str() < today);
            match out.iter_mut().find(|r| r.0 == status) {
                Some(r) => {
                    r.1 += 1;
                    r.2 += late;
                }
                None => out.push((status, 1, late)),
            }
        }
        Ok(out)
    }

    /// The case's whole history, oldest first.
    pub async fn foi_events(&self, case_id: i64) -> Result<Vec<FoiEventRow>> {
        self.fetch_all(
            &event_select()
                .and_where(Expr::col(FoiEvents::CaseId).eq(case_id))
                .order_by(FoiEvents::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    pub async fn foi_letters(&self, case_id: i64) -> Result<Vec<FoiLetterRow>> {
        self.fetch_all(
            &letter_select()
                .and_where(Expr::col(FoiLetters::CaseId).eq(case_id))
                .order_by(FoiLetters::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    pub async fn foi_letter(&self, id: i64) -> Result<FoiLetterRow> {
        self.fetch_optional(&letter_select().and_where(Expr::col(FoiLetters::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn foi_reviews(&self, case_id: i64) -> Result<Vec<FoiReviewRow>> {
        self.fetch_all(
            &review_select()
                .and_where(Expr::col(FoiReviews::CaseId).eq(case_id))
                .order_by(FoiReviews::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Every case that is not concluded, with its stored clock columns
    /// (all sites, or one), ordered by id: one narrow row per case.
    pub async fn foi_open_cases(&self, site_id: Option<i64>) -> Result<Vec<FoiClockInput>> {
        let mut q = Query::select()
            .expr_as(Expr::col(FoiClocks::CaseId), "id")
            .columns([
                FoiClocks::Channel,
                FoiClocks::ClockEvents,
                FoiClocks::ReceivedOn,
                FoiClocks::Status,
                FoiClocks::DueOn,
                FoiClocks::Overdue,
                FoiClocks::Provisional,
                FoiClocks::Outcome,
                FoiClocks::ConcludedOn,
                FoiClocks::AutoClosed,
            ])
            .from(FoiClocks::Table)
            .and_where(Expr::col(FoiClocks::Status).ne("concluded"))
            .order_by(FoiClocks::CaseId, Order::Asc)
            .to_owned();
        if let Some(s) = site_id {
            q.and_where(Expr::col(FoiClocks::SiteId).eq(s));
        }
        self.fetch_all(&q).await
    }

    /// Cases that count in `year`'s statistics: received by its end and not
    /// concluded before its start.
    pub async fn foi_stat_rows(&self, site_id: i64, year: i32) -> Result<Vec<FoiStatRow>> {
        let (start, next) = (format!("{year}-01-01"), format!("{}-01-01", year + 1));
        self.fetch_all(
            &Query::select()
                .column((FoiCases::Table, FoiCases::Id))
                .column((FoiCases::Table, FoiCases::UnitId))
                .column((FoiCases::Table, FoiCases::ApplicantType))
                .columns([
                    (FoiClocks::Table, FoiClocks::ReceivedOn),
                    (FoiClocks::Table, FoiClocks::DueOn),
                    (FoiClocks::Table, FoiClocks::Outcome),
                    (FoiClocks::Table, FoiClocks::ConcludedOn),
                    (FoiClocks::Table, FoiClocks::AutoClosed),
                ])
                .from(FoiCases::Table)
                .inner_join(FoiClocks::Table, joined())
                .and_where(case_col(FoiCases::SiteId).eq(site_id))
                .and_where(clock_col(FoiClocks::ReceivedOn).is_not_null())
                .and_where(clock_col(FoiClocks::ReceivedOn).lt(next.as_str()))
                .cond_where(
                    Cond::any()
                        .add(clock_col(FoiClocks::ConcludedOn).is_null())
                        .add(clock_col(FoiClocks::ConcludedOn).gte(start.as_str())),
                )
                .order_by((FoiCases::Table, FoiCases::Id), Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Reviews and lawsuits of the site's cases filed in `year` or still
    /// pending from earlier (table 四).
    pub async fn foi_review_stats(&self, site_id: i64, year: i32) -> Result<Vec<FoiReviewStatRow>> {
        let (start, next) = (format!("{year}-01-01"), format!("{}-01-01", year + 1));
        self.fetch_all(
            &Query::select()
                .column((FoiCases::Table, FoiCases::UnitId))
                .column((FoiReviews::Table, FoiReviews::Kind))
                .column((FoiReviews::Table, FoiReviews::Result))
                .column((FoiReviews::Table, FoiReviews::FiledOn))
                .from(FoiReviews::Table)
                .inner_join(
                    FoiCases::Table,
                    Expr::col((FoiCases::Table, FoiCases::Id)).equals((FoiReviews::Table, FoiReviews::CaseId)),
                )
                .and_where(Expr::col((FoiCases::Table, FoiCases::SiteId)).eq(site_id))
                .and_where(Expr::col((FoiReviews::Table, FoiReviews::FiledOn)).lt(next.as_str()))
                .cond_where(
                    Cond::any()
                        .add(Expr::col((FoiReviews::Table, FoiReviews::FiledOn)).gte(start.as_str()))
                        .add(Expr::col((FoiReviews::Table, FoiReviews::Result)).eq("pending")),
                )
                .to_owned(),
        )
        .await
    }

    /// Other applications by the holder of `id_number` on the site, newest
    /// first (at most `limit`).
    pub async fn foi_prior_cases(&self, site_id: i64, id_number: &str, except: i64, limit: u64) -> Result<Vec<FoiPriorRow>> {
        self.fetch_all(
            &Query::select()
                .column((FoiCases::Table, FoiCases::Id))
                .column((FoiCases::Table, FoiCases::RefNo))
                .column((FoiCases::Table, FoiCases::Description))
                .column((FoiClocks::Table, FoiClocks::ReceivedOn))
                .column((FoiCases::Table, FoiCases::SubmittedOn))
                .column((FoiClocks::Table, FoiClocks::Outcome))
                .from(FoiCases::Table)
                .inner_join(FoiClocks::Table, joined())
                .and_where(case_col(FoiCases::SiteId).eq(site_id))
                .and_where(case_col(FoiCases::IdNumber).eq(id_number))
                .and_where(case_col(FoiCases::Id).ne(except))
                .order_by((FoiCases::Table, FoiCases::Id), Order::Desc)
                .limit(limit)
                .to_owned(),
        )
        .await
    }

    /// How many applications the holder of `id_number` made in the natural
    /// month `month` (`YYYY-MM`) up to and including case `up_to` (按件 fees
    /// count per applicant per natural month).
    pub async fn foi_nth_in_month(&self, site_id: i64, id_number: &str, month: &str, up_to: i64) -> Result<i64> {
        let from = format!("{month}-01");
        let to = format!("{month}-32");
        self.fetch_scalar(
            &Query::select()
                .expr(case_col(FoiCases::Id).count())
                .from(FoiCases::Table)
                .inner_join(FoiClocks::Table, joined())
                .and_where(case_col(FoiCases::SiteId).eq(site_id))
                .and_where(case_col(FoiCases::IdNumber).eq(id_number))
                .and_where(case_col(FoiCases::Id).lte(up_to))
                .and_where(clock_col(FoiClocks::ReceivedOn).gte(from.as_str()))
                .and_where(clock_col(FoiClocks::ReceivedOn).lt(to.as_str()))
                .to_owned(),
        )
        .await
    }
}

impl Tx {
    pub async fn foi_case(&mut self, id: i64) -> Result<FoiCaseRow> {
        self.fetch_optional(&case_select().and_where(case_col(FoiCases::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn insert_foi_case(&mut self, c: &NewFoiCase) -> Result<i64> {
        let now = now_ts();
        let id: i64 = self
            .fetch_scalar(
                &Query::insert()
                    .into_table(FoiCases::Table)
                    .columns([
                        FoiCases::SiteId,
                        FoiCases::UnitId,
                        FoiCases::RefNo,
                        FoiCases::Channel,
                        FoiCases::ApplicantType,
                        FoiCases::ApplicantName,
                        FoiCases::OrgCode,
                        FoiCases::ContactPerson,
                        FoiCases::IdType,
                        FoiCases::IdNumber,
                        FoiCases::IdFileHash,
                        FoiCases::IdFileName,
                        FoiCases::Phone,
                        FoiCases::Email,
                        FoiCases::Address,
                        FoiCases::Postcode,
                        FoiCases::Description,
                        FoiCases::DocNumber,
                        FoiCases::FormWanted,
                        FoiCases::Delivery,
                        FoiCases::SubmittedOn,
                        FoiCases::ParentId,
                        FoiCases::CreatedBy,
                        FoiCases::CreatedAt,
                        FoiCases::UpdatedAt,
                    ])
                    .values_panic([
                        c.site_id.into(),
                        c.unit_id.into(),
                        c.ref_no.clone().into(),
                        c.channel.clone().into(),
                        c.applicant_type.clone().into(),
                        c.applicant_name.clone().into(),
                        c.org_code.clone().into(),
                        c.contact_person.clone().into(),
                        c.id_type.clone().into(),
                        c.id_number.clone().into(),
                        c.id_file_hash.clone().into(),
                        c.id_file_name.clone().into(),
                        c.phone.clone().into(),
                        c.email.clone().into(),
                        c.address.clone().into(),
                        c.postcode.clone().into(),
                        c.description.clone().into(),
                        c.doc_number.clone().into(),
                        c.form_wanted.clone().into(),
                        c.delivery.clone().into(),
                        c.submitted_on.clone().into(),
                        c.parent_id.into(),
                        c.created_by.clone().into(),
                        now.clone().into(),
                        now.into(),
                    ])
                    .returning_col(FoiCases::Id)
                    .to_owned(),
            )
            .await?;
        self.execute(
            &Query::insert()
                .into_table(FoiClocks::Table)
                .columns([FoiClocks::CaseId, FoiClocks::SiteId, FoiClocks::Channel, FoiClocks::Status])
                .values_panic([id.into(), c.site_id.into(), c.channel.clone().into(), c.status.clone().into()])
                .to_owned(),
        )
        .await?;
        Ok(id)
    }

    pub async fn set_foi_ref_no(&mut self, id: i64, ref_no: &str) -> Result<()> {
        self.execute(
            &Query::update()
                .table(FoiCases::Table)
                .value(FoiCases::RefNo, ref_no)
                .and_where(Expr::col(FoiCases::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    /// Appends an event to a case's history.
    pub async fn add_foi_event(
        &mut self,
        case_id: i64,
        kind: &str,
        on: &str,
        days: Option<i64>,
        note: Option<&str>,
        actor: &str,
    ) -> Result<i64> {
        self.fetch_scalar(
            &Query::insert()
                .into_table(FoiEvents::Table)
                .columns([
                    FoiEvents::CaseId,
                    FoiEvents::Kind,
                    FoiEvents::OccurredOn,
                    FoiEvents::Days,
                    FoiEvents::Note,
                    FoiEvents::Actor,
                    FoiEvents::CreatedAt,
                ])
                .values_panic([
                    case_id.into(),
                    kind.into(),
                    on.into(),
                    days.into(),
                    note.map(str::to_owned).into(),
                    actor.into(),
                    now_ts().into(),
                ])
                .returning_col(FoiEvents::Id)
                .to_owned(),
        )
        .await
    }

    pub async fn foi_events(&mut self, case_id: i64) -> Result<Vec<FoiEventRow>> {
        self.fetch_all(
            &event_select()
                .and_where(Expr::col(FoiEvents::CaseId).eq(case_id))
                .order_by(FoiEvents::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Removes one event (a correction of a mistaken entry).
    pub async fn delete_foi_event(&mut self, case_id: i64, event_id: i64) -> Result<bool> {
        let n = self
            .execute(
                &Query::delete()
                    .from_table(FoiEvents::Table)
                    .and_where(Expr::col(FoiEvents::Id).eq(event_id))
                    .and_where(Expr::col(FoiEvents::CaseId).eq(case_id))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    /// Writes the columns derived from the clock.
    pub async fn set_foi_clock(&mut self, case_id: i64, c: &FoiClockColumns) -> Result<()> {
        self.execute(
            &Query::update()
                .table(FoiClocks::Table)
                .values([
                    (FoiClocks::ReceivedOn, c.received_on.clone().into()),
                    (FoiClocks::Status, c.status.clone().into()),
                    (FoiClocks::DueOn, c.due_on.clone().into()),
                    (FoiClocks::Overdue, c.overdue.into()),
                    (FoiClocks::Provisional, c.provisional.into()),
                    (FoiClocks::Outcome, c.outcome.clone().into()),
                    (FoiClocks::ConcludedOn, c.concluded_on.clone().into()),
                    (FoiClocks::AutoClosed, c.auto_closed.into()),
                ])
                .and_where(Expr::col(FoiClocks::CaseId).eq(case_id))
                .to_owned(),
        )
        .await?;
        self.touch_foi_case(case_id).await
    }

    async fn touch_foi_case(&mut self, case_id: i64) -> Result<()> {
        self.execute(
            &Query::update()
                .table(FoiCases::Table)
                .value(FoiCases::UpdatedAt, now_ts())
                .and_where(Expr::col(FoiCases::Id).eq(case_id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    pub async fn set_foi_clock_events(&mut self, case_id: i64, events: &str) -> Result<()> {
        self.execute(
            &Query::update()
                .table(FoiClocks::Table)
                .value(FoiClocks::ClockEvents, events)
                .and_where(Expr::col(FoiClocks::CaseId).eq(case_id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    pub async fn set_foi_description(&mut self, case_id: i64, description: &str) -> Result<()> {
        self.execute(
            &Query::update()
                .table(FoiCases::Table)
                .values([(FoiCases::Description, description.into()), (FoiCases::UpdatedAt, now_ts().into())])
                .and_where(Expr::col(FoiCases::Id).eq(case_id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    /// Writes the clock columns of many cases, given `(id, before, after)`:
    /// cases with the same new values in the same changed columns (after a
    /// calendar change most differ only in a shared due date) are updated
    /// by one statement each, setting only those columns, in chunks of 1,000
    /// ids. Returns the statements run.
    pub async fn set_foi_clocks(&mut self, changes: &[(i64, FoiClockColumns, FoiClockColumns)]) -> Result<usize> {
        type Key<'a> = (&'a FoiClockColumns, [bool; 8]);
        let mut groups: std::collections::HashMap<Key<'_>, Vec<i64>> = std::collections::HashMap::new();
        for (id, old, new) in changes {
            let mask = [
                old.received_on != new.received_on,
                old.status != new.status,
                old.due_on != new.due_on,
                old.overdue != new.overdue,
                old.provisional != new.provisional,
                old.outcome != new.outcome,
                old.concluded_on != new.concluded_on,
                old.auto_closed != new.auto_closed,
            ];
            if mask.iter().any(|m| *m) {
                groups.entry((new, mask)).or_default().push(*id);
            }
        }
        let mut statements = 0;
        for ((c, mask), ids) in groups {
            let all: [(FoiClocks, sea_query::Expr); 8] = [
                (FoiClocks::ReceivedOn, c.received_on.clone().into()),
                (FoiClocks::Status, c.status.clone().into()),
                (FoiClocks::DueOn, c.due_on.clone().into()),
                (FoiClocks::Overdue, c.overdue.into()),
                (FoiClocks::Provisional, c.provisional.into()),
                (FoiClocks::Outcome, c.outcome.clone().into()),
                (FoiClocks::ConcludedOn, c.concluded_on.clone().into()),
                (FoiClocks::AutoClosed, c.auto_closed.into()),
            ];
            let values: Vec<(FoiClocks, sea_query::Expr)> = all.into_iter().zip(mask).filter(|(_, m)| *m).map(|(v, _)| v).collect();
            for chunk in ids.chunks(1000) {
                self.execute(
                    &Query::update()
                        .table(FoiClocks::Table)
                        .values(values.clone())
                        .and_where(Expr::col(FoiClocks::CaseId).is_in(chunk.to_vec()))
                        .to_owned(),
                )
                .await?;
                statements += 1;
            }
        }
        Ok(statements)
    }

    pub async fn set_foi_unit(&mut self, case_id: i64, unit_id: i64) -> Result<()> {
        self.execute(
            &Query::update()
                .table(FoiCases::Table)
                .values([(FoiCases::UnitId, unit_id.into()), (FoiCases::UpdatedAt, now_ts().into())])
                .and_where(Expr::col(FoiCases::Id).eq(case_id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    pub async fn set_foi_fee(&mut self, case_id: i64, method: &str, quantity: i64, yuan: i64) -> Result<()> {
        self.execute(
            &Query::update()
                .table(FoiCases::Table)
                .values([
                    (FoiCases::FeeMethod, method.into()),
                    (FoiCases::FeeQuantity, quantity.into()),
                    (FoiCases::FeeYuan, yuan.into()),
                    (FoiCases::UpdatedAt, now_ts().into()),
                ])
                .and_where(Expr::col(FoiCases::Id).eq(case_id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    pub async fn mark_foi_reminded(&mut self, case_id: i64) -> Result<()> {
        self.execute(
            &Query::update()
                .table(FoiCases::Table)
                .value(FoiCases::RemindedAt, now_ts())
                .and_where(Expr::col(FoiCases::Id).eq(case_id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn insert_foi_letter(
        &mut self,
        case_id: i64,
        kind: &str,
        title: &str,
        number: &str,
        body: &str,
        days: Option<i64>,
        by: &str,
    ) -> Result<i64> {
        let now = now_ts();
        self.fetch_scalar(
            &Query::insert()
                .into_table(FoiLetters::Table)
                .columns([
                    FoiLetters::CaseId,
                    FoiLetters::Kind,
                    FoiLetters::Title,
                    FoiLetters::Number,
                    FoiLetters::Body,
                    FoiLetters::Days,
                    FoiLetters::CreatedBy,
                    FoiLetters::CreatedAt,
                    FoiLetters::UpdatedAt,
                ])
                .values_panic([
                    case_id.into(),
                    kind.into(),
                    title.into(),
                    number.into(),
                    body.into(),
                    days.into(),
                    by.into(),
                    now.clone().into(),
                    now.into(),
                ])
                .returning_col(FoiLetters::Id)
                .to_owned(),
        )
        .await
    }

    pub async fn foi_letter(&mut self, id: i64) -> Result<FoiLetterRow> {
        self.fetch_optional(&letter_select().and_where(Expr::col(FoiLetters::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Edits a draft letter; an issued letter is never changed.
    pub async fn update_foi_letter(&mut self, id: i64, title: &str, body: &str) -> Result<bool> {
        let n = self
            .execute(
                &Query::update()
                    .table(FoiLetters::Table)
                    .values([
                        (FoiLetters::Title, title.into()),
                        (FoiLetters::Body, body.into()),
                        (FoiLetters::UpdatedAt, now_ts().into()),
                    ])
                    .and_where(Expr::col(FoiLetters::Id).eq(id))
                    .and_where(Expr::col(FoiLetters::IssuedOn).is_null())
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    /// Issues a draft letter (once).
    pub async fn issue_foi_letter(&mut self, id: i64, on: &str, by: &str) -> Result<bool> {
        let n = self
            .execute(
                &Query::update()
                    .table(FoiLetters::Table)
                    .values([
                        (FoiLetters::IssuedOn, on.into()),
                        (FoiLetters::IssuedBy, by.into()),
                        (FoiLetters::UpdatedAt, now_ts().into()),
                    ])
                    .and_where(Expr::col(FoiLetters::Id).eq(id))
                    .and_where(Expr::col(FoiLetters::IssuedOn).is_null())
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    /// Records how and when an issued letter reached the applicant.
    pub async fn deliver_foi_letter(&mut self, id: i64, on: &str, method: &str) -> Result<bool> {
        let n = self
            .execute(
                &Query::update()
                    .table(FoiLetters::Table)
                    .values([
                        (FoiLetters::DeliveredOn, on.into()),
                        (FoiLetters::DeliveryMethod, method.into()),
                        (FoiLetters::UpdatedAt, now_ts().into()),
                    ])
                    .and_where(Expr::col(FoiLetters::Id).eq(id))
                    .and_where(Expr::col(FoiLetters::IssuedOn).is_not_null())
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    /// Deletes a draft letter (issued letters stay).
    pub async fn delete_foi_letter(&mut self, id: i64) -> Result<bool> {
        let n = self
            .execute(
                &Query::delete()
                    .from_table(FoiLetters::Table)
                    .and_where(Expr::col(FoiLetters::Id).eq(id))
                    .and_where(Expr::col(FoiLetters::IssuedOn).is_null())
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn insert_foi_review(
        &mut self,
        case_id: i64,
        kind: &str,
        body: &str,
        filed_on: &str,
        note: Option<&str>,
        by: &str,
    ) -> Result<i64> {
        let now = now_ts();
        self.fetch_scalar(
            &Query::insert()
                .into_table(FoiReviews::Table)
                .columns([
                    FoiReviews::CaseId,
                    FoiReviews::Kind,
                    FoiReviews::Body,
                    FoiReviews::FiledOn,
                    FoiReviews::Result,
                    FoiReviews::Note,
                    FoiReviews::CreatedBy,
                    FoiReviews::CreatedAt,
                    FoiReviews::UpdatedAt,
                ])
                .values_panic([
                    case_id.into(),
                    kind.into(),
                    body.into(),
                    filed_on.into(),
                    "pending".into(),
                    note.map(str::to_owned).into(),
                    by.into(),
                    now.clone().into(),
                    now.into(),
                ])
                .returning_col(FoiReviews::Id)
                .to_owned(),
        )
        .await
    }

    /// Records the result of a review or lawsuit of case `case_id`.
    pub async fn decide_foi_review(
        &mut self,
        case_id: i64,
        id: i64,
        result: &str,
        decided_on: Option<&str>,
        note: Option<&str>,
    ) -> Result<bool> {
        let n = self
            .execute(
                &Query::update()
                    .table(FoiReviews::Table)
                    .values([
                        (FoiReviews::Result, result.into()),
                        (FoiReviews::DecidedOn, decided_on.map(str::to_owned).into()),
                        (FoiReviews::Note, note.map(str::to_owned).into()),
                        (FoiReviews::UpdatedAt, now_ts().into()),
                    ])
                    .and_where(Expr::col(FoiReviews::Id).eq(id))
                    .and_where(Expr::col(FoiReviews::CaseId).eq(case_id))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }
}
