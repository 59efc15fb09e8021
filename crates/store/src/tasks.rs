//! The task responsibility list (任务清单): imported plans, their rows with
//! the units named for them, the itemised entries (细化清单) units make of
//! the rows, the progress events that are each row's timeline, and the
//! 通报 notices of lagging units.
//!
//! A row keeps the names printed in its unit cells (`lead_names`,
//! `responsible_names`, JSON lists) for display and for the diff of a
//! revised import; `task_row_units` holds what they resolve to in the unit
//! registry (a collective name such as 各乡镇（街道） resolves to every
//! township and street), plus the departments the office names for a
//! 县政府有关部门 cell. Status, progress and evidence of an entry are a
//! cache of its events, written by the app with the domain's rules.

use crate::db::{Result, Store, StoreError, Tx, now_ts};
use crate::schema::*;
use sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TaskPlanRow {
    pub id: i64,
    pub site_id: i64,
    pub year: i64,
    pub title: String,
    pub doc_number: Option<String>,
    pub notice_title: Option<String>,
    pub source_name: String,
    pub source_hash: String,
    /// The import warnings, a JSON list of `{line, kind, message}`.
    pub warnings: String,
    /// The assessment weights (JSON), `None` for the defaults.
    pub weights: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TaskRowRow {
    pub id: i64,
    pub plan_id: i64,
    pub seq: i64,
    pub part_ordinal: i64,
    pub part_title: String,
    pub item_ordinal: i64,
    pub item_title: String,
    pub line: i64,
    pub text: String,
    /// The measures with their time limits, JSON (`Vec<Measure>`).
    pub measures: String,
    /// The printed lead unit names (groups by their label), JSON list.
    pub lead_names: String,
    pub responsible_names: String,
    pub lead_inherited: bool,
    pub responsible_inherited: bool,
    pub due_on: Option<String>,
    pub withdrawn: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A row's content as imported.
#[derive(Debug, Clone)]
pub struct NewTaskRow {
    pub seq: i64,
    pub part_ordinal: i64,
    pub part_title: String,
    pub item_ordinal: i64,
    pub item_title: String,
    pub line: i64,
    pub text: String,
    pub measures: String,
    pub lead_names: String,
    pub responsible_names: String,
    pub lead_inherited: bool,
    pub responsible_inherited: bool,
    pub due_on: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TaskRowUnitRow {
    pub id: i64,
    pub row_id: i64,
    pub unit_id: i64,
    /// `lead` or `responsible`.
    pub role: String,
    /// `named` (printed in the cell), a group code (`all_townships`, …) or
    /// `assigned` (named by the office for a 县政府有关部门 cell).
    pub via: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TaskEntryRow {
    pub id: i64,
    pub plan_id: i64,
    pub row_id: i64,
    pub unit_id: i64,
    pub measure_no: Option<i64>,
    pub title: String,
    pub owner: String,
    pub due_on: Option<String>,
    pub target_kind: String,
    pub target_count: Option<i64>,
    pub achieved: Option<i64>,
    pub progress: i64,
    pub status: String,
    pub has_evidence: bool,
    pub last_report_on: Option<String>,
    pub submitted_on: Option<String>,
    pub closed_on: Option<String>,
    /// When the reminder before the due date, and the escalation after it, went out.
    pub reminded_at: Option<String>,
    pub escalated_at: Option<String>,
    pub created_on: String,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

/// The columns of an entry the overdue, stalled and assessment checks need.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TaskEntryFactsRow {
    pub row_id: i64,
    pub unit_id: i64,
    pub status: String,
    pub due_on: Option<String>,
    pub created_on: String,
    pub last_report_on: Option<String>,
    pub submitted_on: Option<String>,
    pub closed_on: Option<String>,
    pub has_evidence: bool,
}

#[derive(Debug, Clone)]
pub struct NewTaskEntry {
    pub plan_id: i64,
    pub row_id: i64,
    pub unit_id: i64,
    pub measure_no: Option<i64>,
    pub title: String,
    pub owner: String,
    pub due_on: String,
    pub target_kind: String,
    pub target_count: Option<i64>,
    pub created_on: String,
    pub created_by: String,
}

/// The columns of an entry that events change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskEntryState {
    pub progress: i64,
    pub achieved: Option<i64>,
    pub status: String,
    pub has_evidence: bool,
    pub last_report_on: Option<String>,
    pub submitted_on: Option<String>,
    pub closed_on: Option<String>,
}

impl TaskEntryRow {
    pub fn state(&self) -> TaskEntryState {
        TaskEntryState {
            progress: self.progress,
            achieved: self.achieved,
            status: self.status.clone(),
            has_evidence: self.has_evidence,
            last_report_on: self.last_report_on.clone(),
            submitted_on: self.submitted_on.clone(),
            closed_on: self.closed_on.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TaskEventRow {
    pub id: i64,
    pub plan_id: i64,
    pub row_id: i64,
    pub entry_id: Option<i64>,
    pub unit_id: Option<i64>,
    /// `imported`, `updated`, `withdrawn`, `assigned`, `entry_created`,
    /// `report`, `submitted`, `closed`, `returned`, `entry_deleted`.
    pub kind: String,
    pub progress: Option<i64>,
    pub achieved: Option<i64>,
    pub note: Option<String>,
    pub document_id: Option<i64>,
    pub file_hash: Option<String>,
    pub file_name: Option<String>,
    pub occurred_on: String,
    pub actor: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Default)]
pub struct NewTaskEvent {
    pub plan_id: i64,
    pub row_id: i64,
    pub entry_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub kind: String,
    pub progress: Option<i64>,
    pub achieved: Option<i64>,
    pub note: Option<String>,
    pub document_id: Option<i64>,
    pub file_hash: Option<String>,
    pub file_name: Option<String>,
    pub occurred_on: String,
    pub actor: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TaskNoticeRow {
    pub id: i64,
    pub plan_id: i64,
    pub as_of: String,
    pub title: String,
    /// The lagging units at `as_of`, JSON.
    pub body: String,
    pub document_id: Option<i64>,
    pub created_by: String,
    pub created_at: String,
}

fn plan_select() -> SelectStatement {
    Query::select()
        .columns([
            TaskPlans::Id,
            TaskPlans::SiteId,
            TaskPlans::Year,
            TaskPlans::Title,
            TaskPlans::DocNumber,
            TaskPlans::NoticeTitle,
            TaskPlans::SourceName,
            TaskPlans::SourceHash,
            TaskPlans::Warnings,
            TaskPlans::Weights,
            TaskPlans::CreatedBy,
            TaskPlans::CreatedAt,
            TaskPlans::UpdatedAt,
        ])
        .from(TaskPlans::Table)
        .to_owned()
}

fn row_select() -> SelectStatement {
    Query::select()
        .columns([
            TaskRows::Id,
            TaskRows::PlanId,
            TaskRows::Seq,
            TaskRows::PartOrdinal,
            TaskRows::PartTitle,
            TaskRows::ItemOrdinal,
            TaskRows::ItemTitle,
            TaskRows::Line,
            TaskRows::Text,
            TaskRows::Measures,
            TaskRows::LeadNames,
            TaskRows::ResponsibleNames,
            TaskRows::LeadInherited,
            TaskRows::ResponsibleInherited,
            TaskRows::DueOn,
            TaskRows::Withdrawn,
            TaskRows::CreatedAt,
            TaskRows::UpdatedAt,
        ])
        .from(TaskRows::Table)
        .to_owned()
}

fn row_unit_select() -> SelectStatement {
    Query::select()
        .columns([
            (TaskRowUnits::Table, TaskRowUnits::Id),
            (TaskRowUnits::Table, TaskRowUnits::RowId),
            (TaskRowUnits::Table, TaskRowUnits::UnitId),
            (TaskRowUnits::Table, TaskRowUnits::Role),
            (TaskRowUnits::Table, TaskRowUnits::Via),
        ])
        .from(TaskRowUnits::Table)
        .to_owned()
}

const ENTRY_COLUMNS: [TaskEntries; 23] = [
    TaskEntries::Id,
    TaskEntries::PlanId,
    TaskEntries::RowId,
    TaskEntries::UnitId,
    TaskEntries::MeasureNo,
    TaskEntries::Title,
    TaskEntries::Owner,
    TaskEntries::DueOn,
    TaskEntries::TargetKind,
    TaskEntries::TargetCount,
    TaskEntries::Achieved,
    TaskEntries::Progress,
    TaskEntries::Status,
    TaskEntries::HasEvidence,
    TaskEntries::LastReportOn,
    TaskEntries::SubmittedOn,
    TaskEntries::ClosedOn,
    TaskEntries::RemindedAt,
    TaskEntries::EscalatedAt,
    TaskEntries::CreatedOn,
    TaskEntries::CreatedBy,
    TaskEntries::CreatedAt,
    TaskEntries::UpdatedAt,
];

fn entry_select() -> SelectStatement {
    Query::select().columns(ENTRY_COLUMNS).from(TaskEntries::Table).to_owned()
}

fn event_select() -> SelectStatement {
    Query::select()
        .columns([
            TaskEvents::Id,
            TaskEvents::PlanId,
            TaskEvents::RowId,
            TaskEvents::EntryId,
            TaskEvents::UnitId,
            TaskEvents::Kind,
            TaskEvents::Progress,
            TaskEvents::Achieved,
            TaskEvents::Note,
            TaskEvents::DocumentId,
            TaskEvents::FileHash,
            TaskEvents::FileName,
            TaskEvents::OccurredOn,
            TaskEvents::Actor,
            TaskEvents::CreatedAt,
        ])
        .from(TaskEvents::Table)
        .to_owned()
}

fn notice_select() -> SelectStatement {
    Query::select()
        .columns([
            TaskNotices::Id,
            TaskNotices::PlanId,
            TaskNotices::AsOf,
            TaskNotices::Title,
            TaskNotices::Body,
            TaskNotices::DocumentId,
            TaskNotices::CreatedBy,
            TaskNotices::CreatedAt,
        ])
        .from(TaskNotices::Table)
        .to_owned()
}

impl Store {
    /// The plans of a site, newest year first.
    pub async fn task_plans(&self, site_id: i64) -> Result<Vec<TaskPlanRow>> {
        self.fetch_all(
            &plan_select()
                .and_where(Expr::col(TaskPlans::SiteId).eq(site_id))
                .order_by(TaskPlans::Year, Order::Desc)
                .order_by(TaskPlans::Id, Order::Desc)
                .to_owned(),
        )
        .await
    }

    pub async fn task_plan(&self, id: i64) -> Result<TaskPlanRow> {
        self.fetch_optional(&plan_select().and_where(Expr::col(TaskPlans::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The plan a re-import of the same list updates.
    pub async fn task_plan_by_title(&self, site_id: i64, year: i64, title: &str) -> Result<Option<TaskPlanRow>> {
        self.fetch_optional(
            &plan_select()
                .and_where(Expr::col(TaskPlans::SiteId).eq(site_id))
                .and_where(Expr::col(TaskPlans::Year).eq(year))
                .and_where(Expr::col(TaskPlans::Title).eq(title))
                .to_owned(),
        )
        .await
    }

    /// The rows of a plan in table order; withdrawn rows (removed by a
    /// revised import) only when asked for.
    pub async fn task_rows(&self, plan_id: i64, with_withdrawn: bool) -> Result<Vec<TaskRowRow>> {
        let mut q = row_select().and_where(Expr::col(TaskRows::PlanId).eq(plan_id)).to_owned();
        if !with_withdrawn {
            q.and_where(Expr::col(TaskRows::Withdrawn).eq(false));
        }
        self.fetch_all(&q.order_by(TaskRows::Seq, Order::Asc).order_by(TaskRows::Id, Order::Asc).to_owned())
            .await
    }

    pub async fn task_row(&self, id: i64) -> Result<TaskRowRow> {
        self.fetch_optional(&row_select().and_where(Expr::col(TaskRows::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Every unit of every row of a plan.
    pub async fn task_plan_units(&self, plan_id: i64) -> Result<Vec<TaskRowUnitRow>> {
        self.fetch_all(
            &row_unit_select()
                .inner_join(
                    TaskRows::Table,
                    Expr::col((TaskRows::Table, TaskRows::Id)).equals((TaskRowUnits::Table, TaskRowUnits::RowId)),
                )
                .and_where(Expr::col((TaskRows::Table, TaskRows::PlanId)).eq(plan_id))
                .order_by((TaskRowUnits::Table, TaskRowUnits::Id), Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// The ids of a plan's rows (withdrawn rows left out).
    pub async fn task_row_ids(&self, plan_id: i64) -> Result<Vec<i64>> {
        #[derive(sqlx::FromRow)]
        struct Id {
            id: i64,
        }
        let rows: Vec<Id> = self
            .fetch_all(
                &Query::select()
                    .column(TaskRows::Id)
                    .from(TaskRows::Table)
                    .and_where(Expr::col(TaskRows::PlanId).eq(plan_id))
                    .and_where(Expr::col(TaskRows::Withdrawn).eq(false))
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    /// The units expected to work on a plan: every responsible unit, and
    /// the lead units of rows that name no responsible unit. Without
    /// reading every (row, unit) pair: a 县政府各部门 cell alone is a
    /// hundred of them.
    pub async fn task_plan_workers(&self, plan_id: i64) -> Result<Vec<i64>> {
        #[derive(sqlx::FromRow)]
        struct Pair {
            row_id: i64,
            unit_id: i64,
        }
        #[derive(sqlx::FromRow)]
        struct One {
            v: i64,
        }
        let base = |role: &str| {
            Query::select()
                .from(TaskRowUnits::Table)
                .inner_join(
                    TaskRows::Table,
                    Expr::col((TaskRows::Table, TaskRows::Id)).equals((TaskRowUnits::Table, TaskRowUnits::RowId)),
                )
                .and_where(Expr::col((TaskRows::Table, TaskRows::PlanId)).eq(plan_id))
                .and_where(Expr::col((TaskRows::Table, TaskRows::Withdrawn)).eq(false))
                .and_where(Expr::col((TaskRowUnits::Table, TaskRowUnits::Role)).eq(role))
                .distinct()
                .to_owned()
        };
        let responsible: Vec<One> = self
            .fetch_all(
                &base("responsible")
                    .expr_as(Expr::col((TaskRowUnits::Table, TaskRowUnits::UnitId)), "v")
                    .to_owned(),
            )
            .await?;
        let with_responsible: Vec<One> = self
            .fetch_all(
                &base("responsible")
                    .expr_as(Expr::col((TaskRowUnits::Table, TaskRowUnits::RowId)), "v")
                    .to_owned(),
            )
            .await?;
        let leads: Vec<Pair> = self
            .fetch_all(
                &base("lead")
                    .column((TaskRowUnits::Table, TaskRowUnits::RowId))
                    .column((TaskRowUnits::Table, TaskRowUnits::UnitId))
                    .to_owned(),
            )
            .await?;
        let covered: std::collections::HashSet<i64> = with_responsible.into_iter().map(|r| r.v).collect();
        let mut out: Vec<i64> = responsible.into_iter().map(|r| r.v).collect();
        out.extend(leads.into_iter().filter(|p| !covered.contains(&p.row_id)).map(|p| p.unit_id));
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    pub async fn task_row_units(&self, row_id: i64) -> Result<Vec<TaskRowUnitRow>> {
        self.fetch_all(
            &row_unit_select()
                .and_where(Expr::col(TaskRowUnits::RowId).eq(row_id))
                .order_by(TaskRowUnits::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// The entries of a plan (of one row, when given), in creation order.
    pub async fn task_entries(&self, plan_id: i64, row_id: Option<i64>) -> Result<Vec<TaskEntryRow>> {
        let mut q = entry_select().and_where(Expr::col(TaskEntries::PlanId).eq(plan_id)).to_owned();
        if let Some(r) = row_id {
            q.and_where(Expr::col(TaskEntries::RowId).eq(r));
        }
        self.fetch_all(&q.order_by(TaskEntries::Id, Order::Asc).to_owned()).await
    }

    /// The few columns of a plan's entries that the overview counts with.
    pub async fn task_entry_facts(&self, plan_id: i64) -> Result<Vec<TaskEntryFactsRow>> {
        self.fetch_all(
            &Query::select()
                .columns([
                    TaskEntries::RowId,
                    TaskEntries::UnitId,
                    TaskEntries::Status,
                    TaskEntries::DueOn,
                    TaskEntries::CreatedOn,
                    TaskEntries::LastReportOn,
                    TaskEntries::SubmittedOn,
                    TaskEntries::ClosedOn,
                    TaskEntries::HasEvidence,
                ])
                .from(TaskEntries::Table)
                .and_where(Expr::col(TaskEntries::PlanId).eq(plan_id))
                .to_owned(),
        )
        .await
    }

    pub async fn task_entry(&self, id: i64) -> Result<TaskEntryRow> {
        self.fetch_optional(&entry_select().and_where(Expr::col(TaskEntries::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The open entries (not 销号) of every plan of every site: the
    /// reminder job's input.
    pub async fn task_open_entries(&self) -> Result<Vec<TaskEntryRow>> {
        self.fetch_all(
            &entry_select()
                .and_where(Expr::col(TaskEntries::Status).ne("closed"))
                .order_by(TaskEntries::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// A row's timeline (its entries' events included), oldest first.
    pub async fn task_row_events(&self, row_id: i64) -> Result<Vec<TaskEventRow>> {
        self.fetch_all(
            &event_select()
                .and_where(Expr::col(TaskEvents::RowId).eq(row_id))
                .order_by(TaskEvents::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    pub async fn task_entry_events(&self, entry_id: i64) -> Result<Vec<TaskEventRow>> {
        self.fetch_all(
            &event_select()
                .and_where(Expr::col(TaskEvents::EntryId).eq(entry_id))
                .order_by(TaskEvents::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    pub async fn task_event(&self, id: i64) -> Result<TaskEventRow> {
        self.fetch_optional(&event_select().and_where(Expr::col(TaskEvents::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The catalogue documents linked as evidence anywhere in a plan, with
    /// the entry they evidence.
    pub async fn task_plan_evidence(&self, plan_id: i64) -> Result<Vec<TaskEventRow>> {
        self.fetch_all(
            &event_select()
                .and_where(Expr::col(TaskEvents::PlanId).eq(plan_id))
                .and_where(
                    Expr::col(TaskEvents::DocumentId)
                        .is_not_null()
                        .or(Expr::col(TaskEvents::FileHash).is_not_null()),
                )
                .order_by(TaskEvents::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    pub async fn task_notices(&self, plan_id: i64) -> Result<Vec<TaskNoticeRow>> {
        self.fetch_all(
            &notice_select()
                .and_where(Expr::col(TaskNotices::PlanId).eq(plan_id))
                .order_by(TaskNotices::Id, Order::Desc)
                .to_owned(),
        )
        .await
    }

    pub async fn task_notice(&self, id: i64) -> Result<TaskNoticeRow> {
        self.fetch_optional(&notice_select().and_where(Expr::col(TaskNotices::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }
}

impl Tx {
    /// Creates a plan; returns its id.
    #[allow(clippy::too_many_arguments)]
    pub async fn insert_task_plan(
        &mut self,
        site_id: i64,
        year: i64,
        title: &str,
        doc_number: Option<&str>,
        notice_title: Option<&str>,
        source_name: &str,
        source_hash: &str,
        warnings: &str,
        by: &str,
    ) -> Result<i64> {
        let now = now_ts();
        self.fetch_scalar(
            &Query::insert()
                .into_table(TaskPlans::Table)
                .columns([
                    TaskPlans::SiteId,
                    TaskPlans::Year,
                    TaskPlans::Title,
                    TaskPlans::DocNumber,
                    TaskPlans::NoticeTitle,
                    TaskPlans::SourceName,
                    TaskPlans::SourceHash,
                    TaskPlans::Warnings,
                    TaskPlans::CreatedBy,
                    TaskPlans::CreatedAt,
                    TaskPlans::UpdatedAt,
                ])
                .values_panic([
                    site_id.into(),
                    year.into(),
                    title.into(),
                    doc_number.map(str::to_owned).into(),
                    notice_title.map(str::to_owned).into(),
                    source_name.into(),
                    source_hash.into(),
                    warnings.into(),
                    by.into(),
                    now.clone().into(),
                    now.into(),
                ])
                .returning_col(TaskPlans::Id)
                .to_owned(),
        )
        .await
    }

    /// Records a re-import: the source and its warnings.
    pub async fn update_task_plan_source(&mut self, id: i64, source_name: &str, source_hash: &str, warnings: &str) -> Result<()> {
        self.execute(
            &Query::update()
                .table(TaskPlans::Table)
                .values([
                    (TaskPlans::SourceName, source_name.into()),
                    (TaskPlans::SourceHash, source_hash.into()),
                    (TaskPlans::Warnings, warnings.into()),
                    (TaskPlans::UpdatedAt, now_ts().into()),
                ])
                .and_where(Expr::col(TaskPlans::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    pub async fn set_task_plan_weights(&mut self, id: i64, weights: &str) -> Result<()> {
        self.execute(
            &Query::update()
                .table(TaskPlans::Table)
                .values([(TaskPlans::Weights, weights.into()), (TaskPlans::UpdatedAt, now_ts().into())])
                .and_where(Expr::col(TaskPlans::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    pub async fn insert_task_row(&mut self, plan_id: i64, r: &NewTaskRow) -> Result<i64> {
        let now = now_ts();
        self.fetch_scalar(
            &Query::insert()
                .into_table(TaskRows::Table)
                .columns([
                    TaskRows::PlanId,
                    TaskRows::Seq,
                    TaskRows::PartOrdinal,
                    TaskRows::PartTitle,
                    TaskRows::ItemOrdinal,
                    TaskRows::ItemTitle,
                    TaskRows::Line,
                    TaskRows::Text,
                    TaskRows::Measures,
                    TaskRows::LeadNames,
                    TaskRows::ResponsibleNames,
                    TaskRows::LeadInherited,
                    TaskRows::ResponsibleInherited,
                    TaskRows::DueOn,
                    TaskRows::CreatedAt,
                    TaskRows::UpdatedAt,
                ])
                .values_panic([
                    plan_id.into(),
                    r.seq.into(),
                    r.part_ordinal.into(),
                    r.part_title.clone().into(),
                    r.item_ordinal.into(),
                    r.item_title.clone().into(),
                    r.line.into(),
                    r.text.clone().into(),
                    r.measures.clone().into(),
                    r.lead_names.clone().into(),
                    r.responsible_names.clone().into(),
                    r.lead_inherited.into(),
                    r.responsible_inherited.into(),
                    r.due_on.clone().into(),
                    now.clone().into(),
                    now.into(),
                ])
                .returning_col(TaskRows::Id)
                .to_owned(),
        )
        .await
    }

    /// Rewrites a row from a revised import (entries and history stay).
    pub async fn update_task_row(&mut self, id: i64, r: &NewTaskRow) -> Result<()> {
        self.execute(
            &Query::update()
                .table(TaskRows::Table)
                .values([
                    (TaskRows::Seq, r.seq.into()),
                    (TaskRows::PartOrdinal, r.part_ordinal.into()),
                    (TaskRows::PartTitle, r.part_title.clone().into()),
                    (TaskRows::ItemOrdinal, r.item_ordinal.into()),
                    (TaskRows::ItemTitle, r.item_title.clone().into()),
                    (TaskRows::Line, r.line.into()),
                    (TaskRows::Text, r.text.clone().into()),
                    (TaskRows::Measures, r.measures.clone().into()),
                    (TaskRows::LeadNames, r.lead_names.clone().into()),
                    (TaskRows::ResponsibleNames, r.responsible_names.clone().into()),
                    (TaskRows::LeadInherited, r.lead_inherited.into()),
                    (TaskRows::ResponsibleInherited, r.responsible_inherited.into()),
                    (TaskRows::DueOn, r.due_on.clone().into()),
                    (TaskRows::Withdrawn, false.into()),
                    (TaskRows::UpdatedAt, now_ts().into()),
                ])
                .and_where(Expr::col(TaskRows::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    /// Marks a row removed by a revised import; its entries and history stay.
    pub async fn withdraw_task_row(&mut self, id: i64) -> Result<()> {
        self.execute(
            &Query::update()
                .table(TaskRows::Table)
                .values([(TaskRows::Withdrawn, true.into()), (TaskRows::UpdatedAt, now_ts().into())])
                .and_where(Expr::col(TaskRows::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    /// Replaces a row's units that come from its cells (`named` and group
    /// codes); units the office assigned stay.
    pub async fn set_task_row_units(&mut self, row_id: i64, units: &[(i64, &str, &str)]) -> Result<()> {
        self.execute(
            &Query::delete()
                .from_table(TaskRowUnits::Table)
                .and_where(Expr::col(TaskRowUnits::RowId).eq(row_id))
                .and_where(Expr::col(TaskRowUnits::Via).ne("assigned"))
                .to_owned(),
        )
        .await?;
        let assigned: Vec<(i64, String)> = self
            .fetch_all::<TaskRowUnitRow, _>(&row_unit_select().and_where(Expr::col(TaskRowUnits::RowId).eq(row_id)).to_owned())
            .await?
            .into_iter()
            .map(|u| (u.unit_id, u.role))
            .collect();
        let mut seen: Vec<(i64, &str)> = Vec::new();
        let mut q = Query::insert()
            .into_table(TaskRowUnits::Table)
            .columns([TaskRowUnits::RowId, TaskRowUnits::UnitId, TaskRowUnits::Role, TaskRowUnits::Via])
            .to_owned();
        for (unit_id, role, via) in units {
            if seen.contains(&(*unit_id, role)) || assigned.iter().any(|a| a.0 == *unit_id && a.1 == *role) {
                continue;
            }
            seen.push((*unit_id, role));
            q.values_panic([row_id.into(), (*unit_id).into(), (*role).into(), (*via).into()]);
        }
        if !seen.is_empty() {
            self.execute(&q).await?;
        }
        Ok(())
    }

    /// Adds a unit the office names for the row; false if it is there already.
    pub async fn assign_task_row_unit(&mut self, row_id: i64, unit_id: i64, role: &str) -> Result<bool> {
        let exists: Option<TaskRowUnitRow> = self
            .fetch_optional(
                &row_unit_select()
                    .and_where(Expr::col(TaskRowUnits::RowId).eq(row_id))
                    .and_where(Expr::col(TaskRowUnits::UnitId).eq(unit_id))
                    .and_where(Expr::col(TaskRowUnits::Role).eq(role))
                    .to_owned(),
            )
            .await?;
        if exists.is_some() {
            return Ok(false);
        }
        self.execute(
            &Query::insert()
                .into_table(TaskRowUnits::Table)
                .columns([TaskRowUnits::RowId, TaskRowUnits::UnitId, TaskRowUnits::Role, TaskRowUnits::Via])
                .values_panic([row_id.into(), unit_id.into(), role.into(), "assigned".into()])
                .to_owned(),
        )
        .await?;
        Ok(true)
    }

    /// Removes a unit the office assigned; false if there was none.
    pub async fn unassign_task_row_unit(&mut self, row_id: i64, unit_id: i64, role: &str) -> Result<bool> {
        let n = self
            .execute(
                &Query::delete()
                    .from_table(TaskRowUnits::Table)
                    .and_where(Expr::col(TaskRowUnits::RowId).eq(row_id))
                    .and_where(Expr::col(TaskRowUnits::UnitId).eq(unit_id))
                    .and_where(Expr::col(TaskRowUnits::Role).eq(role))
                    .and_where(Expr::col(TaskRowUnits::Via).eq("assigned"))
                    .to_owned(),
            )
            .await?;
        Ok(n > 0)
    }

    pub async fn insert_task_entry(&mut self, e: &NewTaskEntry) -> Result<i64> {
        let now = now_ts();
        self.fetch_scalar(
            &Query::insert()
                .into_table(TaskEntries::Table)
                .columns([
                    TaskEntries::PlanId,
                    TaskEntries::RowId,
                    TaskEntries::UnitId,
                    TaskEntries::MeasureNo,
                    TaskEntries::Title,
                    TaskEntries::Owner,
                    TaskEntries::DueOn,
                    TaskEntries::TargetKind,
                    TaskEntries::TargetCount,
                    TaskEntries::Status,
                    TaskEntries::CreatedOn,
                    TaskEntries::CreatedBy,
                    TaskEntries::CreatedAt,
                    TaskEntries::UpdatedAt,
                ])
                .values_panic([
                    e.plan_id.into(),
                    e.row_id.into(),
                    e.unit_id.into(),
                    e.measure_no.into(),
                    e.title.clone().into(),
                    e.owner.clone().into(),
                    e.due_on.clone().into(),
                    e.target_kind.clone().into(),
                    e.target_count.into(),
                    "open".into(),
                    e.created_on.clone().into(),
                    e.created_by.clone().into(),
                    now.clone().into(),
                    now.into(),
                ])
                .returning_col(TaskEntries::Id)
                .to_owned(),
        )
        .await
    }

    pub async fn task_entry(&mut self, id: i64) -> Result<TaskEntryRow> {
        self.fetch_optional(&entry_select().and_where(Expr::col(TaskEntries::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Writes the columns events change.
    pub async fn set_task_entry_state(&mut self, id: i64, s: &TaskEntryState) -> Result<()> {
        self.execute(
            &Query::update()
                .table(TaskEntries::Table)
                .values([
                    (TaskEntries::Progress, s.progress.into()),
                    (TaskEntries::Achieved, s.achieved.into()),
                    (TaskEntries::Status, s.status.clone().into()),
                    (TaskEntries::HasEvidence, s.has_evidence.into()),
                    (TaskEntries::LastReportOn, s.last_report_on.clone().into()),
                    (TaskEntries::SubmittedOn, s.submitted_on.clone().into()),
                    (TaskEntries::ClosedOn, s.closed_on.clone().into()),
                    (TaskEntries::UpdatedAt, now_ts().into()),
                ])
                .and_where(Expr::col(TaskEntries::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    /// Marks the reminder (`remind`) or the escalation of an entry as sent.
    pub async fn mark_task_entry(&mut self, id: i64, remind: bool) -> Result<()> {
        let col = if remind {
            TaskEntries::RemindedAt
        } else {
            TaskEntries::EscalatedAt
        };
        self.execute(
            &Query::update()
                .table(TaskEntries::Table)
                .values([(col, now_ts().into())])
                .and_where(Expr::col(TaskEntries::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    /// Deletes an entry and its events (only entries nothing was reported on).
    pub async fn delete_task_entry(&mut self, id: i64) -> Result<bool> {
        self.execute(
            &Query::delete()
                .from_table(TaskEvents::Table)
                .and_where(Expr::col(TaskEvents::EntryId).eq(id))
                .to_owned(),
        )
        .await?;
        let n = self
            .execute(
                &Query::delete()
                    .from_table(TaskEntries::Table)
                    .and_where(Expr::col(TaskEntries::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn add_task_event(&mut self, e: &NewTaskEvent) -> Result<i64> {
        self.fetch_scalar(
            &Query::insert()
                .into_table(TaskEvents::Table)
                .columns([
                    TaskEvents::PlanId,
                    TaskEvents::RowId,
                    TaskEvents::EntryId,
                    TaskEvents::UnitId,
                    TaskEvents::Kind,
                    TaskEvents::Progress,
                    TaskEvents::Achieved,
                    TaskEvents::Note,
                    TaskEvents::DocumentId,
                    TaskEvents::FileHash,
                    TaskEvents::FileName,
                    TaskEvents::OccurredOn,
                    TaskEvents::Actor,
                    TaskEvents::CreatedAt,
                ])
                .values_panic([
                    e.plan_id.into(),
                    e.row_id.into(),
                    e.entry_id.into(),
                    e.unit_id.into(),
                    e.kind.clone().into(),
                    e.progress.into(),
                    e.achieved.into(),
                    e.note.clone().into(),
                    e.document_id.into(),
                    e.file_hash.clone().into(),
                    e.file_name.clone().into(),
                    e.occurred_on.clone().into(),
                    e.actor.clone().into(),
                    now_ts().into(),
                ])
                .returning_col(TaskEvents::Id)
                .to_owned(),
        )
        .await
    }

    pub async fn insert_task_notice(&mut self, plan_id: i64, as_of: &str, title: &str, body: &str, by: &str) -> Result<i64> {
        self.fetch_scalar(
            &Query::insert()
                .into_table(TaskNotices::Table)
                .columns([
                    TaskNotices::PlanId,
                    TaskNotices::AsOf,
                    TaskNotices::Title,
                    TaskNotices::Body,
                    TaskNotices::CreatedBy,
                    TaskNotices::CreatedAt,
                ])
                .values_panic([plan_id.into(), as_of.into(), title.into(), body.into(), by.into(), now_ts().into()])
                .returning_col(TaskNotices::Id)
                .to_owned(),
        )
        .await
    }

    pub async fn set_task_notice_document(&mut self, id: i64, document_id: i64) -> Result<()> {
        self.execute(
            &Query::update()
                .table(TaskNotices::Table)
                .values([(TaskNotices::DocumentId, document_id.into())])
                .and_where(Expr::col(TaskNotices::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
