//! The policy Q&A library's tables: entries (standard question, answer,
//! owner), their similar questions and linked policy documents, the per-site
//! synonym table, the consultation ledger (登记台账) and the outbox that
//! carries replies to consultants.
//!
//! The rules (states, deadlines, normalisation) are in
//! `gongkai_domain::qa`; matching is in `gongkai_search::qa`. Consultation
//! rows hold contact details: callers must not log them.

use crate::catalogue::DocumentRow;
use crate::db::{Result, Store, StoreError, Tx, now_ts};
use crate::schema::*;
use sea_query::{Cond, Expr, ExprTrait, Order, Query, SelectStatement};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct QaEntryRow {
    pub id: i64,
    pub site_id: i64,
    pub external_id: Option<String>,
    pub question: String,
    /// Sanitised HTML.
    pub answer: String,
    /// The answer as plain text (matching, hotline screens, SMS).
    pub answer_text: String,
    pub hotline_script: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_name: String,
    pub officer: Option<String>,
    pub state: String,
    pub needs_review: bool,
    pub review_reason: Option<String>,
    pub valid_until: Option<String>,
    /// `manual`, `import` or `reply` (made from a consultation's reply).
    pub source: String,
    pub hits: i64,
    pub helpful: i64,
    pub unhelpful: i64,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

const ENTRY_COLUMNS: [QaEntries; 21] = [
    QaEntries::Id,
    QaEntries::SiteId,
    QaEntries::ExternalId,
    QaEntries::Question,
    QaEntries::Answer,
    QaEntries::AnswerText,
    QaEntries::HotlineScript,
    QaEntries::UnitId,
    QaEntries::UnitName,
    QaEntries::Officer,
    QaEntries::State,
    QaEntries::NeedsReview,
    QaEntries::ReviewReason,
    QaEntries::ValidUntil,
    QaEntries::Source,
    QaEntries::Hits,
    QaEntries::Helpful,
    QaEntries::Unhelpful,
    QaEntries::CreatedBy,
    QaEntries::CreatedAt,
    QaEntries::UpdatedAt,
];

fn entry_select() -> SelectStatement {
    Query::select().columns(ENTRY_COLUMNS).from(QaEntries::Table).to_owned()
}

/// The fields of an entry an editor or an import sets.
#[derive(Debug, Clone)]
pub struct QaEntryFields {
    pub question: String,
    pub answer: String,
    pub answer_text: String,
    pub hotline_script: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_name: String,
    pub officer: Option<String>,
    pub valid_until: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct QaSimilarRow {
    pub entry_id: i64,
    pub question: String,
}

/// What the matcher loads for one entry.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QaMatchRow {
    pub id: i64,
    pub question: String,
    pub answer_text: String,
    pub needs_review: bool,
    pub valid_until: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct QaEntryFilter {
    pub state: Option<String>,
    pub needs_review: Option<bool>,
    pub unit_id: Option<i64>,
    /// Substring of the standard question.
    pub text: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ConsultationRow {
    pub id: i64,
    pub site_id: i64,
    pub channel: String,
    pub question: String,
    pub question_norm: String,
    pub outcome: String,
    pub matched_entry_id: Option<i64>,
    pub confidence: Option<f64>,
    pub state: String,
    pub unit_id: Option<i64>,
    pub due_on: Option<String>,
    pub reminded_at: Option<String>,
    pub escalated_at: Option<String>,
    #[serde(skip)]
    pub contact_name: Option<String>,
    #[serde(skip)]
    pub contact_phone: Option<String>,
    #[serde(skip)]
    pub contact_email: Option<String>,
    pub reply_via: String,
    pub publish_consent: bool,
    pub reply: Option<String>,
    pub replied_by: Option<String>,
    pub replied_at: Option<String>,
    pub replied_on: Option<String>,
    pub published: bool,
    pub external_ref: Option<String>,
    #[serde(skip)]
    pub access_key: String,
    pub agent: Option<String>,
    pub entry_created_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

const CONSULTATION_COLUMNS: [Consultations; 29] = [
    Consultations::Id,
    Consultations::SiteId,
    Consultations::Channel,
    Consultations::Question,
    Consultations::QuestionNorm,
    Consultations::Outcome,
    Consultations::MatchedEntryId,
    Consultations::Confidence,
    Consultations::State,
    Consultations::UnitId,
    Consultations::DueOn,
    Consultations::RemindedAt,
    Consultations::EscalatedAt,
    Consultations::ContactName,
    Consultations::ContactPhone,
    Consultations::ContactEmail,
    Consultations::ReplyVia,
    Consultations::PublishConsent,
    Consultations::Reply,
    Consultations::RepliedBy,
    Consultations::RepliedAt,
    Consultations::RepliedOn,
    Consultations::Published,
    Consultations::ExternalRef,
    Consultations::AccessKey,
    Consultations::Agent,
    Consultations::EntryCreatedId,
    Consultations::CreatedAt,
    Consultations::UpdatedAt,
];

fn consultation_select() -> SelectStatement {
    Query::select().columns(CONSULTATION_COLUMNS).from(Consultations::Table).to_owned()
}

/// A consultation as it is logged.
#[derive(Debug, Clone)]
pub struct NewConsultation {
    pub site_id: i64,
    pub channel: String,
    pub question: String,
    pub question_norm: String,
    pub outcome: String,
    pub matched_entry_id: Option<i64>,
    pub confidence: Option<f64>,
    pub state: String,
    pub unit_id: Option<i64>,
    pub due_on: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub reply_via: String,
    pub publish_consent: bool,
    pub external_ref: Option<String>,
    pub access_key: String,
    pub agent: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ConsultationFilter {
    pub state: Option<String>,
    pub channel: Option<String>,
    pub unit_ids: Option<Vec<i64>>,
    /// Open tickets due before this date (overdue).
    pub due_before: Option<String>,
}

/// One consultation reduced to what the statistics need.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConsultationStatRow {
    pub channel: String,
    pub unit_id: Option<i64>,
    pub outcome: String,
    pub state: String,
    pub due_on: Option<String>,
    pub replied_on: Option<String>,
}

/// A question asked more than once that the library could not answer.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct GapRow {
    pub question_norm: String,
    pub question: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub channel: String,
    #[serde(skip)]
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub ref_kind: String,
    pub ref_id: i64,
    pub created_at: String,
    pub sent_at: Option<String>,
}

impl Store {
    pub async fn qa_entry(&self, id: i64) -> Result<QaEntryRow> {
        self.fetch_optional(&entry_select().and_where(Expr::col(QaEntries::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn qa_entries_by_ids(&self, ids: &[i64]) -> Result<Vec<QaEntryRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.fetch_all(&entry_select().and_where(Expr::col(QaEntries::Id).is_in(ids.to_vec())).to_owned())
            .await
    }

    fn entry_filter(site_id: i64, f: &QaEntryFilter) -> Cond {
        let mut c = Cond::all().add(Expr::col(QaEntries::SiteId).eq(site_id));
        if let Some(s) = &f.state {
            c = c.add(Expr::col(QaEntries::State).eq(s.as_str()));
        }
        if let Some(n) = f.needs_review {
            c = c.add(Expr::col(QaEntries::NeedsReview).eq(n));
        }
        if let Some(u) = f.unit_id {
            c = c.add(Expr::col(QaEntries::UnitId).eq(u));
        }
        if let Some(t) = f.text.as_deref().filter(|t| !t.is_empty()) {
            c = c.add(Expr::col(QaEntries::Question).like(crate::db::like_contains(t)));
        }
        c
    }

    /// A page of entries, newest change first, and the number matching.
    pub async fn qa_entries_page(&self, site_id: i64, f: &QaEntryFilter, limit: u64, offset: u64) -> Result<(Vec<QaEntryRow>, i64)> {
        let cond = Self::entry_filter(site_id, f);
        let rows = self
            .fetch_all(
                &entry_select()
                    .cond_where(cond.clone())
                    .order_by(QaEntries::UpdatedAt, Order::Desc)
                    .order_by(QaEntries::Id, Order::Desc)
                    .limit(limit)
                    .offset(offset)
                    .to_owned(),
            )
            .await?;
        let total: i64 = self
            .fetch_scalar(
                &Query::select()
                    .expr(Expr::col(QaEntries::Id).count())
                    .from(QaEntries::Table)
                    .cond_where(cond)
                    .to_owned(),
            )
            .await?;
        Ok((rows, total))
    }

    /// Every entry of the site, by id (export).
    pub async fn qa_entries_after(&self, site_id: i64, after: i64, limit: u64) -> Result<Vec<QaEntryRow>> {
        self.fetch_all(
            &entry_select()
                .and_where(Expr::col(QaEntries::SiteId).eq(site_id))
                .and_where(Expr::col(QaEntries::Id).gt(after))
                .order_by(QaEntries::Id, Order::Asc)
                .limit(limit)
                .to_owned(),
        )
        .await
    }

    pub async fn qa_similar_of(&self, entry_ids: &[i64]) -> Result<Vec<QaSimilarRow>> {
        if entry_ids.is_empty() {
            return Ok(Vec::new());
        }
        self.fetch_all(
            &Query::select()
                .columns([QaSimilar::EntryId, QaSimilar::Question])
                .from(QaSimilar::Table)
                .and_where(Expr::col(QaSimilar::EntryId).is_in(entry_ids.to_vec()))
                .order_by(QaSimilar::EntryId, Order::Asc)
                .order_by(QaSimilar::SortOrder, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// The published entries the matcher loads, by id, and all their similar questions.
    pub async fn qa_matchable(&self, site_id: i64) -> Result<(Vec<QaMatchRow>, Vec<QaSimilarRow>)> {
        let entries: Vec<QaMatchRow> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        QaEntries::Id,
                        QaEntries::Question,
                        QaEntries::AnswerText,
                        QaEntries::NeedsReview,
                        QaEntries::ValidUntil,
                    ])
                    .from(QaEntries::Table)
                    .and_where(Expr::col(QaEntries::SiteId).eq(site_id))
                    .and_where(Expr::col(QaEntries::State).eq("published"))
                    .order_by(QaEntries::Id, Order::Asc)
                    .to_owned(),
            )
            .await?;
        let similar: Vec<QaSimilarRow> = self
            .fetch_all(
                &Query::select()
                    .columns([(QaSimilar::Table, QaSimilar::EntryId), (QaSimilar::Table, QaSimilar::Question)])
                    .from(QaSimilar::Table)
                    .inner_join(
                        QaEntries::Table,
                        Expr::col((QaEntries::Table, QaEntries::Id)).equals((QaSimilar::Table, QaSimilar::EntryId)),
                    )
                    .and_where(Expr::col((QaEntries::Table, QaEntries::SiteId)).eq(site_id))
                    .and_where(Expr::col((QaEntries::Table, QaEntries::State)).eq("published"))
                    .order_by((QaSimilar::Table, QaSimilar::EntryId), Order::Asc)
                    .order_by((QaSimilar::Table, QaSimilar::SortOrder), Order::Asc)
                    .to_owned(),
            )
            .await?;
        Ok((entries, similar))
    }

    /// The library's version for the matcher: the newest change and the
    /// number of entries (deletions lower it) and the synonym table's time.
    pub async fn qa_version(&self, site_id: i64) -> Result<String> {
        #[derive(sqlx::FromRow)]
        struct V {
            last: Option<String>,
            n: i64,
        }
        let v: V = self
            .fetch_one(
                &Query::select()
                    .expr_as(Expr::col(QaEntries::UpdatedAt).max(), "last")
                    .expr_as(Expr::col(QaEntries::Id).count(), "n")
                    .from(QaEntries::Table)
                    .and_where(Expr::col(QaEntries::SiteId).eq(site_id))
                    .to_owned(),
            )
            .await?;
        let syn: Option<String> = self
            .fetch_optional::<(String,), _>(
                &Query::select()
                    .column(QaSynonyms::UpdatedAt)
                    .from(QaSynonyms::Table)
                    .and_where(Expr::col(QaSynonyms::SiteId).eq(site_id))
                    .to_owned(),
            )
            .await?
            .map(|r| r.0);
        Ok(format!("{}|{}|{}", v.last.unwrap_or_default(), v.n, syn.unwrap_or_default()))
    }

    /// Documents linked to an entry.
    pub async fn qa_links_of(&self, entry_id: i64) -> Result<Vec<DocumentRow>> {
        self.fetch_all(
            &crate::catalogue::doc_select()
                .and_where(
                    Expr::col(Documents::Id).in_subquery(
                        Query::select()
                            .column(QaLinks::DocumentId)
                            .from(QaLinks::Table)
                            .and_where(Expr::col(QaLinks::EntryId).eq(entry_id))
                            .to_owned(),
                    ),
                )
                .order_by(Documents::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// `(entry, document)` links of these entries.
    pub async fn qa_link_ids(&self, entry_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
        if entry_ids.is_empty() {
            return Ok(Vec::new());
        }
        self.fetch_all(
            &Query::select()
                .columns([QaLinks::EntryId, QaLinks::DocumentId])
                .from(QaLinks::Table)
                .and_where(Expr::col(QaLinks::EntryId).is_in(entry_ids.to_vec()))
                .order_by(QaLinks::EntryId, Order::Asc)
                .order_by(QaLinks::DocumentId, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// The site's synonym table, if it was ever saved.
    pub async fn qa_synonyms(&self, site_id: i64) -> Result<Option<String>> {
        Ok(self
            .fetch_optional::<(String,), _>(
                &Query::select()
                    .column(QaSynonyms::Body)
                    .from(QaSynonyms::Table)
                    .and_where(Expr::col(QaSynonyms::SiteId).eq(site_id))
                    .to_owned(),
            )
            .await?
            .map(|r| r.0))
    }

    pub async fn consultation(&self, id: i64) -> Result<ConsultationRow> {
        self.fetch_optional(&consultation_select().and_where(Expr::col(Consultations::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }

    fn consultation_filter(site_id: i64, f: &ConsultationFilter) -> Cond {
        let mut c = Cond::all().add(Expr::col(Consultations::SiteId).eq(site_id));
        if let Some(s) = &f.state {
            c = c.add(Expr::col(Consultations::State).eq(s.as_str()));
        }
        if let Some(ch) = &f.channel {
            c = c.add(Expr::col(Consultations::Channel).eq(ch.as_str()));
        }
        if let Some(units) = &f.unit_ids {
            c = c.add(Expr::col(Consultations::UnitId).is_in(units.clone()));
        }
        if let Some(d) = &f.due_before {
            c = c
                .add(Expr::col(Consultations::State).eq("open"))
                .add(Expr::col(Consultations::DueOn).lt(d.as_str()));
        }
        c
    }

    /// A page of consultations, newest first, and the number matching.
    pub async fn consultations_page(
        &self,
        site_id: i64,
        f: &ConsultationFilter,
        limit: u64,
        offset: u64,
    ) -> Result<(Vec<ConsultationRow>, i64)> {
        let cond = Self::consultation_filter(site_id, f);
        let rows = self
            .fetch_all(
                &consultation_select()
                    .cond_where(cond.clone())
                    .order_by(Consultations::Id, Order::Desc)
                    .limit(limit)
                    .offset(offset)
                    .to_owned(),
            )
            .await?;
        let total: i64 = self
            .fetch_scalar(
                &Query::select()
                    .expr(Expr::col(Consultations::Id).count())
                    .from(Consultations::Table)
                    .cond_where(cond)
                    .to_owned(),
            )
            .await?;
        Ok((rows, total))
    }

    /// Every open ticket of every site (the deadline job).
    pub async fn open_consultations(&self) -> Result<Vec<ConsultationRow>> {
        self.fetch_all(
            &consultation_select()
                .and_where(Expr::col(Consultations::State).eq("open"))
                .order_by(Consultations::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Replies the consultants agreed to publish, newest first.
    pub async fn published_replies(&self, site_id: i64, limit: u64) -> Result<Vec<ConsultationRow>> {
        self.fetch_all(
            &consultation_select()
                .and_where(Expr::col(Consultations::SiteId).eq(site_id))
                .and_where(Expr::col(Consultations::Published).eq(true))
                .order_by(Consultations::RepliedAt, Order::Desc)
                .limit(limit)
                .to_owned(),
        )
        .await
    }

    /// Consultations received in `[from, to)` (timestamps), for the statistics.
    pub async fn consultation_stats(&self, site_id: i64, from: &str, to: &str) -> Result<Vec<ConsultationStatRow>> {
        self.fetch_all(
            &Query::select()
                .columns([
                    Consultations::Channel,
                    Consultations::UnitId,
                    Consultations::Outcome,
                    Consultations::State,
                    Consultations::DueOn,
                    Consultations::RepliedOn,
                ])
                .from(Consultations::Table)
                .and_where(Expr::col(Consultations::SiteId).eq(site_id))
                .and_where(Expr::col(Consultations::CreatedAt).gte(from))
                .and_where(Expr::col(Consultations::CreatedAt).lt(to))
                .to_owned(),
        )
        .await
    }

    /// The most frequent questions in `[from, to)` that found no immediate
    /// answer and have not been turned into an entry: the library's gaps.
    pub async fn qa_gaps(&self, site_id: i64, from: &str, to: &str, limit: u64) -> Result<Vec<GapRow>> {
        self.fetch_all(
            &Query::select()
                .column(Consultations::QuestionNorm)
                .expr_as(Expr::col(Consultations::Question).max(), "question")
                .expr_as(Expr::col(Consultations::Id).count(), "count")
                .from(Consultations::Table)
                .and_where(Expr::col(Consultations::SiteId).eq(site_id))
                .and_where(Expr::col(Consultations::Outcome).ne("answer"))
                .and_where(Expr::col(Consultations::EntryCreatedId).is_null())
                .and_where(Expr::col(Consultations::CreatedAt).gte(from))
                .and_where(Expr::col(Consultations::CreatedAt).lt(to))
                .group_by_col(Consultations::QuestionNorm)
                .order_by_expr(Expr::col(Consultations::Id).count(), Order::Desc)
                .order_by(Consultations::QuestionNorm, Order::Asc)
                .limit(limit)
                .to_owned(),
        )
        .await
    }

    pub async fn outbox(&self, limit: u64) -> Result<Vec<OutboxRow>> {
        self.fetch_all(
            &Query::select()
                .columns([
                    Outbox::Id,
                    Outbox::Channel,
                    Outbox::Recipient,
                    Outbox::Subject,
                    Outbox::Body,
                    Outbox::RefKind,
                    Outbox::RefId,
                    Outbox::CreatedAt,
                    Outbox::SentAt,
                ])
                .from(Outbox::Table)
                .order_by(Outbox::Id, Order::Desc)
                .limit(limit)
                .to_owned(),
        )
        .await
    }
}

impl Tx {
    pub async fn qa_entry(&mut self, id: i64) -> Result<QaEntryRow> {
        self.fetch_optional(&entry_select().and_where(Expr::col(QaEntries::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn qa_entry_by_external_id(&mut self, site_id: i64, external_id: &str) -> Result<Option<QaEntryRow>> {
        self.fetch_optional(
            &entry_select()
                .and_where(Expr::col(QaEntries::SiteId).eq(site_id))
                .and_where(Expr::col(QaEntries::ExternalId).eq(external_id))
                .to_owned(),
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn insert_qa_entry(
        &mut self,
        site_id: i64,
        external_id: Option<&str>,
        f: &QaEntryFields,
        state: &str,
        source: &str,
        created_by: &str,
    ) -> Result<i64> {
        let now = now_ts();
        self.fetch_scalar(
            &Query::insert()
                .into_table(QaEntries::Table)
                .columns([
                    QaEntries::SiteId,
                    QaEntries::ExternalId,
                    QaEntries::Question,
                    QaEntries::Answer,
                    QaEntries::AnswerText,
                    QaEntries::HotlineScript,
                    QaEntries::UnitId,
                    QaEntries::UnitName,
                    QaEntries::Officer,
                    QaEntries::State,
                    QaEntries::ValidUntil,
                    QaEntries::Source,
                    QaEntries::CreatedBy,
                    QaEntries::CreatedAt,
                    QaEntries::UpdatedAt,
                ])
                .values_panic([
                    site_id.into(),
                    external_id.map(str::to_string).into(),
                    f.question.clone().into(),
                    f.answer.clone().into(),
                    f.answer_text.clone().into(),
                    f.hotline_script.clone().into(),
                    f.unit_id.into(),
                    f.unit_name.clone().into(),
                    f.officer.clone().into(),
                    state.into(),
                    f.valid_until.clone().into(),
                    source.into(),
                    created_by.into(),
                    now.clone().into(),
                    now.into(),
                ])
                .returning_col(QaEntries::Id)
                .to_owned(),
        )
        .await
    }

    pub async fn update_qa_entry(&mut self, id: i64, f: &QaEntryFields) -> Result<()> {
        let n = self
            .execute(
                &Query::update()
                    .table(QaEntries::Table)
                    .value(QaEntries::Question, f.question.clone())
                    .value(QaEntries::Answer, f.answer.clone())
                    .value(QaEntries::AnswerText, f.answer_text.clone())
                    .value(QaEntries::HotlineScript, f.hotline_script.clone())
                    .value(QaEntries::UnitId, f.unit_id)
                    .value(QaEntries::UnitName, f.unit_name.clone())
                    .value(QaEntries::Officer, f.officer.clone())
                    .value(QaEntries::ValidUntil, f.valid_until.clone())
                    .value(QaEntries::UpdatedAt, now_ts())
                    .and_where(Expr::col(QaEntries::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    /// Replaces the similar questions of an entry.
    pub async fn set_qa_similar(&mut self, entry_id: i64, questions: &[String]) -> Result<()> {
        self.execute(
            &Query::delete()
                .from_table(QaSimilar::Table)
                .and_where(Expr::col(QaSimilar::EntryId).eq(entry_id))
                .to_owned(),
        )
        .await?;
        if questions.is_empty() {
            return Ok(());
        }
        let mut insert = Query::insert()
            .into_table(QaSimilar::Table)
            .columns([QaSimilar::EntryId, QaSimilar::Question, QaSimilar::SortOrder])
            .to_owned();
        for (i, q) in questions.iter().enumerate() {
            insert.values_panic([entry_id.into(), q.clone().into(), (i as i64).into()]);
        }
        self.execute(&insert).await.map(|_| ())
    }

    /// Adds one similar question at the end.
    pub async fn add_qa_similar(&mut self, entry_id: i64, question: &str) -> Result<()> {
        let n: i64 = self
            .fetch_scalar(
                &Query::select()
                    .expr(Expr::col(QaSimilar::Id).count())
                    .from(QaSimilar::Table)
                    .and_where(Expr::col(QaSimilar::EntryId).eq(entry_id))
                    .to_owned(),
            )
            .await?;
        self.execute(
            &Query::insert()
                .into_table(QaSimilar::Table)
                .columns([QaSimilar::EntryId, QaSimilar::Question, QaSimilar::SortOrder])
                .values_panic([entry_id.into(), question.into(), n.into()])
                .to_owned(),
        )
        .await?;
        self.touch_qa_entry(entry_id).await
    }

    /// Replaces the linked documents of an entry.
    pub async fn set_qa_links(&mut self, entry_id: i64, document_ids: &[i64]) -> Result<()> {
        self.execute(
            &Query::delete()
                .from_table(QaLinks::Table)
                .and_where(Expr::col(QaLinks::EntryId).eq(entry_id))
                .to_owned(),
        )
        .await?;
        let mut ids = document_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(());
        }
        let mut insert = Query::insert()
            .into_table(QaLinks::Table)
            .columns([QaLinks::EntryId, QaLinks::DocumentId])
            .to_owned();
        for d in ids {
            insert.values_panic([entry_id.into(), d.into()]);
        }
        self.execute(&insert).await.map(|_| ())
    }

    pub async fn touch_qa_entry(&mut self, id: i64) -> Result<()> {
        self.execute(
            &Query::update()
                .table(QaEntries::Table)
                .value(QaEntries::UpdatedAt, now_ts())
                .and_where(Expr::col(QaEntries::Id).eq(id))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    pub async fn set_qa_state(&mut self, id: i64, state: &str) -> Result<()> {
        let n = self
            .execute(
                &Query::update()
                    .table(QaEntries::Table)
                    .value(QaEntries::State, state)
                    .value(QaEntries::UpdatedAt, now_ts())
                    .and_where(Expr::col(QaEntries::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    /// Sets or clears the review flag.
    pub async fn set_qa_review(&mut self, id: i64, needs: bool, reason: Option<&str>) -> Result<()> {
        self.execute(
            &Query::update()
                .table(QaEntries::Table)
                .value(QaEntries::NeedsReview, needs)
                .value(QaEntries::ReviewReason, reason.map(str::to_string))
                .value(QaEntries::UpdatedAt, now_ts())
                .and_where(Expr::col(QaEntries::Id).eq(id))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    /// Flags every entry linked to `document_id` for review; returns their ids.
    pub async fn flag_qa_linked_to(&mut self, document_id: i64, reason: &str) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = self
            .fetch_all(
                &Query::select()
                    .column(QaLinks::EntryId)
                    .from(QaLinks::Table)
                    .and_where(Expr::col(QaLinks::DocumentId).eq(document_id))
                    .order_by(QaLinks::EntryId, Order::Asc)
                    .to_owned(),
            )
            .await?;
        let ids: Vec<i64> = rows.into_iter().map(|r| r.0).collect();
        if !ids.is_empty() {
            self.execute(
                &Query::update()
                    .table(QaEntries::Table)
                    .value(QaEntries::NeedsReview, true)
                    .value(QaEntries::ReviewReason, reason)
                    .value(QaEntries::UpdatedAt, now_ts())
                    .and_where(Expr::col(QaEntries::Id).is_in(ids.clone()))
                    .to_owned(),
            )
            .await?;
        }
        Ok(ids)
    }

    pub async fn delete_qa_entry(&mut self, id: i64) -> Result<()> {
        let n = self
            .execute(
                &Query::delete()
                    .from_table(QaEntries::Table)
                    .and_where(Expr::col(QaEntries::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    /// Counts an immediate answer given with this entry (does not change
    /// `updated_at`: the matcher need not reload).
    pub async fn count_qa_hit(&mut self, id: i64) -> Result<()> {
        self.execute(
            &Query::update()
                .table(QaEntries::Table)
                .value(QaEntries::Hits, Expr::col(QaEntries::Hits).add(1))
                .and_where(Expr::col(QaEntries::Id).eq(id))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    pub async fn count_qa_feedback(&mut self, id: i64, helpful: bool) -> Result<u64> {
        let col = if helpful { QaEntries::Helpful } else { QaEntries::Unhelpful };
        self.execute(
            &Query::update()
                .table(QaEntries::Table)
                .value(col, Expr::col(col).add(1))
                .and_where(Expr::col(QaEntries::Id).eq(id))
                .to_owned(),
        )
        .await
    }

    pub async fn set_qa_synonyms(&mut self, site_id: i64, body: &str, by: &str) -> Result<()> {
        let now = now_ts();
        let n = self
            .execute(
                &Query::update()
                    .table(QaSynonyms::Table)
                    .value(QaSynonyms::Body, body)
                    .value(QaSynonyms::UpdatedBy, by)
                    .value(QaSynonyms::UpdatedAt, now.clone())
                    .and_where(Expr::col(QaSynonyms::SiteId).eq(site_id))
                    .to_owned(),
            )
            .await?;
        if n == 0 {
            self.execute(
                &Query::insert()
                    .into_table(QaSynonyms::Table)
                    .columns([QaSynonyms::SiteId, QaSynonyms::Body, QaSynonyms::UpdatedBy, QaSynonyms::UpdatedAt])
                    .values_panic([site_id.into(), body.into(), by.into(), now.into()])
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    pub async fn consultation(&mut self, id: i64) -> Result<ConsultationRow> {
        self.fetch_optional(&consultation_select().and_where(Expr::col(Consultations::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn insert_consultation(&mut self, c: &NewConsultation) -> Result<i64> {
        let now = now_ts();
        self.fetch_scalar(
            &Query::insert()
                .into_table(Consultations::Table)
                .columns([
                    Consultations::SiteId,
                    Consultations::Channel,
                    Consultations::Question,
                    Consultations::QuestionNorm,
                    Consultations::Outcome,
                    Consultations::MatchedEntryId,
                    Consultations::Confidence,
                    Consultations::State,
                    Consultations::UnitId,
                    Consultations::DueOn,
                    Consultations::ContactName,
                    Consultations::ContactPhone,
                    Consultations::ContactEmail,
                    Consultations::ReplyVia,
                    Consultations::PublishConsent,
                    Consultations::ExternalRef,
                    Consultations::AccessKey,
                    Consultations::Agent,
                    Consultations::CreatedAt,
                    Consultations::UpdatedAt,
                ])
                .values_panic([
                    c.site_id.into(),
                    c.channel.clone().into(),
                    c.question.clone().into(),
                    c.question_norm.clone().into(),
                    c.outcome.clone().into(),
                    c.matched_entry_id.into(),
                    c.confidence.into(),
                    c.state.clone().into(),
                    c.unit_id.into(),
                    c.due_on.clone().into(),
                    c.contact_name.clone().into(),
                    c.contact_phone.clone().into(),
                    c.contact_email.clone().into(),
                    c.reply_via.clone().into(),
                    c.publish_consent.into(),
                    c.external_ref.clone().into(),
                    c.access_key.clone().into(),
                    c.agent.clone().into(),
                    now.clone().into(),
                    now.into(),
                ])
                .returning_col(Consultations::Id)
                .to_owned(),
        )
        .await
    }

    /// Hands an open ticket to a (different) unit.
    pub async fn assign_consultation(&mut self, id: i64, unit_id: i64) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Consultations::Table)
                .value(Consultations::UnitId, unit_id)
                .value(Consultations::UpdatedAt, now_ts())
                .and_where(Expr::col(Consultations::Id).eq(id))
                .and_where(Expr::col(Consultations::State).eq("open"))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    /// Records the reply of an open ticket; returns false when it was not open.
    pub async fn reply_consultation(&mut self, id: i64, reply: &str, by: &str, on: &str, publish: bool) -> Result<bool> {
        let now = now_ts();
        let n = self
            .execute(
                &Query::update()
                    .table(Consultations::Table)
                    .value(Consultations::Reply, reply)
                    .value(Consultations::RepliedBy, by)
                    .value(Consultations::RepliedAt, now.clone())
                    .value(Consultations::RepliedOn, on)
                    .value(Consultations::State, "replied")
                    .value(Consultations::Published, publish)
                    .value(Consultations::UpdatedAt, now)
                    .and_where(Expr::col(Consultations::Id).eq(id))
                    .and_where(Expr::col(Consultations::State).eq("open"))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn mark_consultation(&mut self, id: i64, reminded: bool) -> Result<()> {
        let col = if reminded {
            Consultations::RemindedAt
        } else {
            Consultations::EscalatedAt
        };
        self.execute(
            &Query::update()
                .table(Consultations::Table)
                .value(col, now_ts())
                .and_where(Expr::col(Consultations::Id).eq(id))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    pub async fn set_consultation_entry(&mut self, id: i64, entry_id: i64) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Consultations::Table)
                .value(Consultations::EntryCreatedId, entry_id)
                .value(Consultations::UpdatedAt, now_ts())
                .and_where(Expr::col(Consultations::Id).eq(id))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    /// Queues a message for the consultant (the default sender: the outbox table).
    pub async fn enqueue_outbox(
        &mut self,
        channel: &str,
        recipient: &str,
        subject: &str,
        body: &str,
        ref_kind: &str,
        ref_id: i64,
    ) -> Result<i64> {
        self.fetch_scalar(
            &Query::insert()
                .into_table(Outbox::Table)
                .columns([
                    Outbox::Channel,
                    Outbox::Recipient,
                    Outbox::Subject,
                    Outbox::Body,
                    Outbox::RefKind,
                    Outbox::RefId,
                    Outbox::CreatedAt,
                ])
                .values_panic([
                    channel.into(),
                    recipient.into(),
                    subject.into(),
                    body.into(),
                    ref_kind.into(),
                    ref_id.into(),
                    now_ts().into(),
                ])
                .returning_col(Outbox::Id)
                .to_owned(),
        )
        .await
    }
}
