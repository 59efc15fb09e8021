//! The public mailbox (公开信箱): messages with their workflow columns and
//! event history, the phone ledger (来电台账) with the office's checks that
//! each unit's public number answers, and the public-opinion commitments
//! (舆情承诺台账) with their follow-ups.
//!
//! Message rows hold the writer's contact data (name, phone, e-mail):
//! callers must not log them. What the public sees is computed by the app
//! from these rows with the privacy scanner, never stored twice.

use crate::db::{Result, Store, StoreError, Tx, now_ts};
use crate::schema::*;
use sea_query::{Cond, Expr, ExprTrait, Order, Query, SelectStatement};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub site_id: i64,
    pub query_code: String,
    pub channel: String,
    pub category: String,
    pub addressee_unit_id: Option<i64>,
    pub title: String,
    pub content: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub wants_private: bool,
    pub status: String,
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
    pub unit_id: Option<i64>,
    pub suggested_unit_id: Option<i64>,
    pub suggested_score: Option<f64>,
    pub received_on: String,
    pub due_on: Option<String>,
    pub extended: bool,
    pub extension_days: i64,
    pub reply_text: Option<String>,
    pub reply_unit_id: Option<i64>,
    pub replied_on: Option<String>,
    pub notified_on: Option<String>,
    pub rating: Option<i64>,
    pub rating_note: Option<String>,
    pub reopened: i64,
    pub reminded_at: Option<String>,
    pub escalated_at: Option<String>,
    pub published: bool,
    pub client_hash: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const MESSAGE_COLUMNS: [MailboxMessages; 35] = [
    MailboxMessages::Id,
    MailboxMessages::SiteId,
    MailboxMessages::QueryCode,
    MailboxMessages::Channel,
    MailboxMessages::Category,
    MailboxMessages::AddresseeUnitId,
    MailboxMessages::Title,
    MailboxMessages::Content,
    MailboxMessages::ContactName,
    MailboxMessages::ContactPhone,
    MailboxMessages::ContactEmail,
    MailboxMessages::WantsPrivate,
    MailboxMessages::Status,
    MailboxMessages::Outcome,
    MailboxMessages::OutcomeNote,
    MailboxMessages::UnitId,
    MailboxMessages::SuggestedUnitId,
    MailboxMessages::SuggestedScore,
    MailboxMessages::ReceivedOn,
    MailboxMessages::DueOn,
    MailboxMessages::Extended,
    MailboxMessages::ExtensionDays,
    MailboxMessages::ReplyText,
    MailboxMessages::ReplyUnitId,
    MailboxMessages::RepliedOn,
    MailboxMessages::NotifiedOn,
    MailboxMessages::Rating,
    MailboxMessages::RatingNote,
    MailboxMessages::Reopened,
    MailboxMessages::RemindedAt,
    MailboxMessages::EscalatedAt,
    MailboxMessages::Published,
    MailboxMessages::ClientHash,
    MailboxMessages::CreatedAt,
    MailboxMessages::UpdatedAt,
];

fn message_select() -> SelectStatement {
    Query::select().columns(MESSAGE_COLUMNS).from(MailboxMessages::Table).to_owned()
}

/// A new message as submitted.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub site_id: i64,
    pub query_code: String,
    pub channel: String,
    pub category: String,
    pub addressee_unit_id: Option<i64>,
    pub title: String,
    pub content: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub wants_private: bool,
    pub received_on: String,
    pub suggested_unit_id: Option<i64>,
    pub suggested_score: Option<f64>,
    pub client_hash: Option<String>,
}

/// The workflow columns an action writes.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageState {
    pub status: String,
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
    pub unit_id: Option<i64>,
    pub due_on: Option<String>,
    pub extended: bool,
    pub extension_days: i64,
    pub reply_text: Option<String>,
    pub reply_unit_id: Option<i64>,
    pub replied_on: Option<String>,
    pub notified_on: Option<String>,
    pub reopened: i64,
}

impl MessageRow {
    pub fn state(&self) -> MessageState {
        MessageState {
            status: self.status.clone(),
            outcome: self.outcome.clone(),
            outcome_note: self.outcome_note.clone(),
            unit_id: self.unit_id,
            due_on: self.due_on.clone(),
            extended: self.extended,
            extension_days: self.extension_days,
            reply_text: self.reply_text.clone(),
            reply_unit_id: self.reply_unit_id,
            replied_on: self.replied_on.clone(),
            notified_on: self.notified_on.clone(),
            reopened: self.reopened,
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MessageEventRow {
    pub id: i64,
    pub message_id: i64,
    pub kind: String,
    pub note: Option<String>,
    pub unit_id: Option<i64>,
    pub actor: String,
    pub occurred_on: String,
    pub created_at: String,
}

/// Which messages a ledger lists.
#[derive(Debug, Clone, Default)]
pub struct MessageFilter {
    pub status: Option<String>,
    /// Only those not yet answered (待审看 to 答复待审核).
    pub unanswered: bool,
    /// Restrict to messages with these units (or, for 待审看/待分办, none).
    pub unit_ids: Option<Vec<i64>>,
    pub text: Option<String>,
    /// Oldest first (the oldest-unanswered view) instead of newest first.
    pub oldest_first: bool,
    pub published_only: bool,
    /// Only those received before this day (`YYYY-MM-DD`): the veto's count.
    pub received_before: Option<String>,
}

pub const UNANSWERED: [&str; 5] = ["submitted", "accepted", "assigned", "extended", "reviewing"];

fn filtered(site_id: i64, f: &MessageFilter) -> SelectStatement {
    let mut q = message_select()
        .and_where(Expr::col(MailboxMessages::SiteId).eq(site_id))
        .to_owned();
    if let Some(s) = &f.status {
        q.and_where(Expr::col(MailboxMessages::Status).eq(s.as_str()));
    }
    if f.unanswered {
        q.and_where(Expr::col(MailboxMessages::Status).is_in(UNANSWERED));
    }
    if let Some(units) = &f.unit_ids {
        q.and_where(Expr::col(MailboxMessages::UnitId).is_in(units.clone()));
    }
    if let Some(t) = &f.text {
        q.cond_where(
            Cond::any()
                .add(Expr::col(MailboxMessages::Title).like(crate::db::like_contains(t)))
                .add(Expr::col(MailboxMessages::Content).like(crate::db::like_contains(t)))
                .add(Expr::col(MailboxMessages::QueryCode).eq(t.as_str())),
        );
    }
    if f.published_only {
        q.and_where(Expr::col(MailboxMessages::Published).eq(true));
    }
    if let Some(d) = &f.received_before {
        q.and_where(Expr::col(MailboxMessages::ReceivedOn).lt(d.as_str()));
    }
    q
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CallRow {
    pub id: i64,
    pub site_id: i64,
    pub unit_id: i64,
    pub called_at: String,
    pub question: String,
    pub answered_on_spot: bool,
    pub answer: Option<String>,
    pub due_on: Option<String>,
    pub closed_on: Option<String>,
    pub reminded_at: Option<String>,
    pub escalated_at: Option<String>,
    pub created_by: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PhoneCheckRow {
    pub id: i64,
    pub site_id: i64,
    pub unit_id: i64,
    pub phone: String,
    pub checked_on: String,
    pub answered: bool,
    pub note: Option<String>,
    pub checked_by: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CommitmentRow {
    pub id: i64,
    pub site_id: i64,
    pub unit_id: i64,
    pub category: String,
    pub event: String,
    pub promise: String,
    pub owner: String,
    pub promised_on: String,
    pub due_on: String,
    pub status: String,
    pub result: Option<String>,
    pub fulfilled_on: Option<String>,
    pub published: bool,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CommitmentUpdateRow {
    pub id: i64,
    pub commitment_id: i64,
    pub note: String,
    pub occurred_on: String,
    pub actor: String,
    pub created_at: String,
}

fn call_select() -> SelectStatement {
    Query::select()
        .columns([
            PhoneCalls::Id,
            PhoneCalls::SiteId,
            PhoneCalls::UnitId,
            PhoneCalls::CalledAt,
            PhoneCalls::Question,
            PhoneCalls::AnsweredOnSpot,
            PhoneCalls::Answer,
            PhoneCalls::DueOn,
            PhoneCalls::ClosedOn,
            PhoneCalls::RemindedAt,
            PhoneCalls::EscalatedAt,
            PhoneCalls::CreatedBy,
            PhoneCalls::CreatedAt,
        ])
        .from(PhoneCalls::Table)
        .to_owned()
}

fn check_select() -> SelectStatement {
    Query::select()
        .columns([
            PhoneChecks::Id,
            PhoneChecks::SiteId,
            PhoneChecks::UnitId,
            PhoneChecks::Phone,
            PhoneChecks::CheckedOn,
            PhoneChecks::Answered,
            PhoneChecks::Note,
            PhoneChecks::CheckedBy,
            PhoneChecks::CreatedAt,
        ])
        .from(PhoneChecks::Table)
        .to_owned()
}

fn commitment_select() -> SelectStatement {
    Query::select()
        .columns([
            Commitments::Id,
            Commitments::SiteId,
            Commitments::UnitId,
            Commitments::Category,
            Commitments::Event,
            Commitments::Promise,
            Commitments::Owner,
            Commitments::PromisedOn,
            Commitments::DueOn,
            Commitments::Status,
            Commitments::Result,
            Commitments::FulfilledOn,
            Commitments::Published,
            Commitments::CreatedBy,
            Commitments::CreatedAt,
            Commitments::UpdatedAt,
        ])
        .from(Commitments::Table)
        .to_owned()
}

impl Store {
    pub async fn mailbox_message(&self, id: i64) -> Result<MessageRow> {
        self.fetch_optional(&message_select().and_where(Expr::col(MailboxMessages::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn mailbox_by_code(&self, code: &str) -> Result<Option<MessageRow>> {
        self.fetch_optional(
            &message_select()
                .and_where(Expr::col(MailboxMessages::QueryCode).eq(code))
                .to_owned(),
        )
        .await
    }

    /// A page of a site's messages and the number matching.
    pub async fn mailbox_page(&self, site_id: i64, f: &MessageFilter, limit: u64, offset: u64) -> Result<(Vec<MessageRow>, i64)> {
        let total = self.mailbox_count(site_id, f).await?;
        let order = if f.oldest_first { Order::Asc } else { Order::Desc };
        let rows = self
            .fetch_all(
                &filtered(site_id, f)
                    .order_by(MailboxMessages::ReceivedOn, order.clone())
                    .order_by(MailboxMessages::Id, order)
                    .limit(limit)
                    .offset(offset)
                    .to_owned(),
            )
            .await?;
        Ok((rows, total))
    }

    /// The number of a site's messages matching.
    pub async fn mailbox_count(&self, site_id: i64, f: &MessageFilter) -> Result<i64> {
        let mut count = filtered(site_id, f);
        count.clear_selects();
        count.expr(Expr::col(MailboxMessages::Id).count());
        self.fetch_scalar(&count).await
    }

    /// (status, count) of a site's messages (of some units).
    pub async fn mailbox_counts(&self, site_id: i64, unit_ids: Option<&[i64]>) -> Result<Vec<(String, i64)>> {
        #[derive(sqlx::FromRow)]
        struct C {
            status: String,
            n: i64,
        }
        let mut q = Query::select()
            .column(MailboxMessages::Status)
            .expr_as(Expr::col(MailboxMessages::Id).count(), "n")
            .from(MailboxMessages::Table)
            .and_where(Expr::col(MailboxMessages::SiteId).eq(site_id))
            .group_by_col(MailboxMessages::Status)
            .to_owned();
        if let Some(units) = unit_ids {
            q.and_where(Expr::col(MailboxMessages::UnitId).is_in(units.to_vec()));
        }
        let rows: Vec<C> = self.fetch_all(&q).await?;
        Ok(rows.into_iter().map(|c| (c.status, c.n)).collect())
    }

    /// Messages with a unit and a due date: the deadline job's input.
    pub async fn mailbox_open_with_unit(&self) -> Result<Vec<MessageRow>> {
        self.fetch_all(
            &message_select()
                .and_where(Expr::col(MailboxMessages::Status).is_in(["assigned", "extended"]))
                .order_by(MailboxMessages::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Routed messages of a site, newest first: what the routing classifier
    /// learns from (title, content, unit).
    pub async fn mailbox_training(&self, site_id: i64, limit: u64) -> Result<Vec<(String, String, i64)>> {
        #[derive(sqlx::FromRow)]
        struct T {
            title: String,
            content: String,
            unit_id: i64,
        }
        let rows: Vec<T> = self
            .fetch_all(
                &Query::select()
                    .columns([MailboxMessages::Title, MailboxMessages::Content, MailboxMessages::UnitId])
                    .from(MailboxMessages::Table)
                    .and_where(Expr::col(MailboxMessages::SiteId).eq(site_id))
                    .and_where(Expr::col(MailboxMessages::UnitId).is_not_null())
                    .and_where(Expr::col(MailboxMessages::Status).is_in(["assigned", "extended", "reviewing", "answered"]))
                    .order_by(MailboxMessages::Id, Order::Desc)
                    .limit(limit)
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().map(|t| (t.title, t.content, t.unit_id)).collect())
    }

    /// Every message of a site received in a year (statistics).
    pub async fn mailbox_year(&self, site_id: i64, year: i32) -> Result<Vec<MessageRow>> {
        self.fetch_all(
            &message_select()
                .and_where(Expr::col(MailboxMessages::SiteId).eq(site_id))
                .and_where(Expr::col(MailboxMessages::ReceivedOn).gte(format!("{year}-01-01")))
                .and_where(Expr::col(MailboxMessages::ReceivedOn).lte(format!("{year}-12-31")))
                .to_owned(),
        )
        .await
    }

    pub async fn mailbox_events(&self, message_id: i64) -> Result<Vec<MessageEventRow>> {
        self.fetch_all(
            &Query::select()
                .columns([
                    MailboxEvents::Id,
                    MailboxEvents::MessageId,
                    MailboxEvents::Kind,
                    MailboxEvents::Note,
                    MailboxEvents::UnitId,
                    MailboxEvents::Actor,
                    MailboxEvents::OccurredOn,
                    MailboxEvents::CreatedAt,
                ])
                .from(MailboxEvents::Table)
                .and_where(Expr::col(MailboxEvents::MessageId).eq(message_id))
                .order_by(MailboxEvents::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// A site's calls (of some units), newest first.
    pub async fn phone_calls(&self, site_id: i64, unit_ids: Option<&[i64]>, limit: u64) -> Result<Vec<CallRow>> {
        let mut q = call_select().and_where(Expr::col(PhoneCalls::SiteId).eq(site_id)).to_owned();
        if let Some(u) = unit_ids {
            q.and_where(Expr::col(PhoneCalls::UnitId).is_in(u.to_vec()));
        }
        self.fetch_all(
            &q.order_by(PhoneCalls::CalledAt, Order::Desc)
                .order_by(PhoneCalls::Id, Order::Desc)
                .limit(limit)
                .to_owned(),
        )
        .await
    }

    pub async fn phone_call(&self, id: i64) -> Result<CallRow> {
        self.fetch_optional(&call_select().and_where(Expr::col(PhoneCalls::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Calls waiting for an answer (the deadline job's input).
    pub async fn phone_calls_open(&self) -> Result<Vec<CallRow>> {
        self.fetch_all(
            &call_select()
                .and_where(Expr::col(PhoneCalls::AnsweredOnSpot).eq(false))
                .and_where(Expr::col(PhoneCalls::ClosedOn).is_null())
                .order_by(PhoneCalls::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    pub async fn phone_checks(&self, site_id: i64, limit: u64) -> Result<Vec<PhoneCheckRow>> {
        self.fetch_all(
            &check_select()
                .and_where(Expr::col(PhoneChecks::SiteId).eq(site_id))
                .order_by(PhoneChecks::CheckedOn, Order::Desc)
                .order_by(PhoneChecks::Id, Order::Desc)
                .limit(limit)
                .to_owned(),
        )
        .await
    }

    /// A site's commitments, open ones first by due date.
    pub async fn commitments(&self, site_id: i64, published_only: bool) -> Result<Vec<CommitmentRow>> {
        let mut q = commitment_select().and_where(Expr::col(Commitments::SiteId).eq(site_id)).to_owned();
        if published_only {
            q.and_where(Expr::col(Commitments::Published).eq(true));
        }
        self.fetch_all(
            &q.order_by(Commitments::Status, Order::Desc)
                .order_by(Commitments::DueOn, Order::Asc)
                .to_owned(),
        )
        .await
    }

    pub async fn commitment(&self, id: i64) -> Result<CommitmentRow> {
        self.fetch_optional(&commitment_select().and_where(Expr::col(Commitments::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn commitment_updates(&self, id: i64) -> Result<Vec<CommitmentUpdateRow>> {
        self.fetch_all(
            &Query::select()
                .columns([
                    CommitmentUpdates::Id,
                    CommitmentUpdates::CommitmentId,
                    CommitmentUpdates::Note,
                    CommitmentUpdates::OccurredOn,
                    CommitmentUpdates::Actor,
                    CommitmentUpdates::CreatedAt,
                ])
                .from(CommitmentUpdates::Table)
                .and_where(Expr::col(CommitmentUpdates::CommitmentId).eq(id))
                .order_by(CommitmentUpdates::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }
}

impl Tx {
    pub async fn insert_mailbox_message(&mut self, m: &NewMessage) -> Result<i64> {
        let now = now_ts();
        self.fetch_scalar(
            &Query::insert()
                .into_table(MailboxMessages::Table)
                .columns([
                    MailboxMessages::SiteId,
                    MailboxMessages::QueryCode,
                    MailboxMessages::Channel,
                    MailboxMessages::Category,
                    MailboxMessages::AddresseeUnitId,
                    MailboxMessages::Title,
                    MailboxMessages::Content,
                    MailboxMessages::ContactName,
                    MailboxMessages::ContactPhone,
                    MailboxMessages::ContactEmail,
                    MailboxMessages::WantsPrivate,
                    MailboxMessages::Status,
                    MailboxMessages::ReceivedOn,
                    MailboxMessages::SuggestedUnitId,
                    MailboxMessages::SuggestedScore,
                    MailboxMessages::ClientHash,
                    MailboxMessages::CreatedAt,
                    MailboxMessages::UpdatedAt,
                ])
                .values_panic([
                    m.site_id.into(),
                    m.query_code.clone().into(),
                    m.channel.clone().into(),
                    m.category.clone().into(),
                    m.addressee_unit_id.into(),
                    m.title.clone().into(),
                    m.content.clone().into(),
                    m.contact_name.clone().into(),
                    m.contact_phone.clone().into(),
                    m.contact_email.clone().into(),
                    m.wants_private.into(),
                    "submitted".into(),
                    m.received_on.clone().into(),
                    m.suggested_unit_id.into(),
                    m.suggested_score.into(),
                    m.client_hash.clone().into(),
                    now.clone().into(),
                    now.into(),
                ])
                .returning_col(MailboxMessages::Id)
                .to_owned(),
        )
        .await
    }

    pub async fn mailbox_message(&mut self, id: i64) -> Result<MessageRow> {
        self.fetch_optional(&message_select().and_where(Expr::col(MailboxMessages::Id).eq(id)).to_owned())
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Writes the workflow columns; clears the reminder and escalation
    /// marks when the due date changes.
    pub async fn set_mailbox_state(&mut self, id: i64, s: &MessageState, due_changed: bool) -> Result<()> {
        let mut q = Query::update()
            .table(MailboxMessages::Table)
            .values([
                (MailboxMessages::Status, s.status.clone().into()),
                (MailboxMessages::Outcome, s.outcome.clone().into()),
                (MailboxMessages::OutcomeNote, s.outcome_note.clone().into()),
                (MailboxMessages::UnitId, s.unit_id.into()),
                (MailboxMessages::DueOn, s.due_on.clone().into()),
                (MailboxMessages::Extended, s.extended.into()),
                (MailboxMessages::ExtensionDays, s.extension_days.into()),
                (MailboxMessages::ReplyText, s.reply_text.clone().into()),
                (MailboxMessages::ReplyUnitId, s.reply_unit_id.into()),
                (MailboxMessages::RepliedOn, s.replied_on.clone().into()),
                (MailboxMessages::NotifiedOn, s.notified_on.clone().into()),
                (MailboxMessages::Reopened, s.reopened.into()),
                (MailboxMessages::UpdatedAt, now_ts().into()),
            ])
            .and_where(Expr::col(MailboxMessages::Id).eq(id))
            .to_owned();
        if due_changed {
            q.value(MailboxMessages::RemindedAt, Option::<String>::None);
            q.value(MailboxMessages::EscalatedAt, Option::<String>::None);
        }
        self.execute(&q).await?;
        Ok(())
    }

    pub async fn rate_mailbox(&mut self, id: i64, rating: i64, note: Option<&str>) -> Result<()> {
        self.execute(
            &Query::update()
                .table(MailboxMessages::Table)
                .values([
                    (MailboxMessages::Rating, rating.into()),
                    (MailboxMessages::RatingNote, note.map(str::to_owned).into()),
                    (MailboxMessages::UpdatedAt, now_ts().into()),
                ])
                .and_where(Expr::col(MailboxMessages::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    pub async fn set_mailbox_published(&mut self, id: i64, published: bool) -> Result<()> {
        self.execute(
            &Query::update()
                .table(MailboxMessages::Table)
                .values([
                    (MailboxMessages::Published, published.into()),
                    (MailboxMessages::UpdatedAt, now_ts().into()),
                ])
                .and_where(Expr::col(MailboxMessages::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    /// Marks the reminder (`remind`) or the escalation as sent.
    pub async fn mark_mailbox(&mut self, id: i64, remind: bool) -> Result<()> {
        let col = if remind {
            MailboxMessages::RemindedAt
        } else {
            MailboxMessages::EscalatedAt
        };
        self.execute(
            &Query::update()
                .table(MailboxMessages::Table)
                .values([(col, now_ts().into())])
                .and_where(Expr::col(MailboxMessages::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    pub async fn add_mailbox_event(
        &mut self,
        message_id: i64,
        kind: &str,
        note: Option<&str>,
        unit_id: Option<i64>,
        actor: &str,
        on: &str,
    ) -> Result<i64> {
        self.fetch_scalar(
            &Query::insert()
                .into_table(MailboxEvents::Table)
                .columns([
                    MailboxEvents::MessageId,
                    MailboxEvents::Kind,
                    MailboxEvents::Note,
                    MailboxEvents::UnitId,
                    MailboxEvents::Actor,
                    MailboxEvents::OccurredOn,
                    MailboxEvents::CreatedAt,
                ])
                .values_panic([
                    message_id.into(),
                    kind.into(),
                    note.map(str::to_owned).into(),
                    unit_id.into(),
                    actor.into(),
                    on.into(),
                    now_ts().into(),
                ])
                .returning_col(MailboxEvents::Id)
                .to_owned(),
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn insert_phone_call(
        &mut self,
        site_id: i64,
        unit_id: i64,
        called_at: &str,
        question: &str,
        answered_on_spot: bool,
        answer: Option<&str>,
        due_on: Option<&str>,
        by: &str,
    ) -> Result<i64> {
        self.fetch_scalar(
            &Query::insert()
                .into_table(PhoneCalls::Table)
                .columns([
                    PhoneCalls::SiteId,
                    PhoneCalls::UnitId,
                    PhoneCalls::CalledAt,
                    PhoneCalls::Question,
                    PhoneCalls::AnsweredOnSpot,
                    PhoneCalls::Answer,
                    PhoneCalls::DueOn,
                    PhoneCalls::ClosedOn,
                    PhoneCalls::CreatedBy,
                    PhoneCalls::CreatedAt,
                ])
                .values_panic([
                    site_id.into(),
                    unit_id.into(),
                    called_at.into(),
                    question.into(),
                    answered_on_spot.into(),
                    answer.map(str::to_owned).into(),
                    due_on.map(str::to_owned).into(),
                    answered_on_spot.then(|| called_at.get(..10).unwrap_or(called_at).to_owned()).into(),
                    by.into(),
                    now_ts().into(),
                ])
                .returning_col(PhoneCalls::Id)
                .to_owned(),
        )
        .await
    }

    /// Records the answer to a call that was not answered on the spot.
    pub async fn close_phone_call(&mut self, id: i64, answer: &str, on: &str) -> Result<bool> {
        let n = self
            .execute(
                &Query::update()
                    .table(PhoneCalls::Table)
                    .values([(PhoneCalls::Answer, answer.into()), (PhoneCalls::ClosedOn, on.into())])
                    .and_where(Expr::col(PhoneCalls::Id).eq(id))
                    .and_where(Expr::col(PhoneCalls::ClosedOn).is_null())
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn mark_phone_call(&mut self, id: i64, remind: bool) -> Result<()> {
        let col = if remind { PhoneCalls::RemindedAt } else { PhoneCalls::EscalatedAt };
        self.execute(
            &Query::update()
                .table(PhoneCalls::Table)
                .values([(col, now_ts().into())])
                .and_where(Expr::col(PhoneCalls::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn insert_phone_check(
        &mut self,
        site_id: i64,
        unit_id: i64,
        phone: &str,
        checked_on: &str,
        answered: bool,
        note: Option<&str>,
        by: &str,
    ) -> Result<i64> {
        self.fetch_scalar(
            &Query::insert()
                .into_table(PhoneChecks::Table)
                .columns([
                    PhoneChecks::SiteId,
                    PhoneChecks::UnitId,
                    PhoneChecks::Phone,
                    PhoneChecks::CheckedOn,
                    PhoneChecks::Answered,
                    PhoneChecks::Note,
                    PhoneChecks::CheckedBy,
                    PhoneChecks::CreatedAt,
                ])
                .values_panic([
                    site_id.into(),
                    unit_id.into(),
                    phone.into(),
                    checked_on.into(),
                    answered.into(),
                    note.map(str::to_owned).into(),
                    by.into(),
                    now_ts().into(),
                ])
                .returning_col(PhoneChecks::Id)
                .to_owned(),
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn insert_commitment(
        &mut self,
        site_id: i64,
        unit_id: i64,
        category: &str,
        event: &str,
        promise: &str,
        owner: &str,
        promised_on: &str,
        due_on: &str,
        by: &str,
    ) -> Result<i64> {
        let now = now_ts();
        self.fetch_scalar(
            &Query::insert()
                .into_table(Commitments::Table)
                .columns([
                    Commitments::SiteId,
                    Commitments::UnitId,
                    Commitments::Category,
                    Commitments::Event,
                    Commitments::Promise,
                    Commitments::Owner,
                    Commitments::PromisedOn,
                    Commitments::DueOn,
                    Commitments::Status,
                    Commitments::CreatedBy,
                    Commitments::CreatedAt,
                    Commitments::UpdatedAt,
                ])
                .values_panic([
                    site_id.into(),
                    unit_id.into(),
                    category.into(),
                    event.into(),
                    promise.into(),
                    owner.into(),
                    promised_on.into(),
                    due_on.into(),
                    "open".into(),
                    by.into(),
                    now.clone().into(),
                    now.into(),
                ])
                .returning_col(Commitments::Id)
                .to_owned(),
        )
        .await
    }

    /// Records the fulfilment of a commitment with its result.
    pub async fn fulfil_commitment(&mut self, id: i64, result: &str, on: &str) -> Result<bool> {
        let n = self
            .execute(
                &Query::update()
                    .table(Commitments::Table)
                    .values([
                        (Commitments::Status, "fulfilled".into()),
                        (Commitments::Result, result.into()),
                        (Commitments::FulfilledOn, on.into()),
                        (Commitments::UpdatedAt, now_ts().into()),
                    ])
                    .and_where(Expr::col(Commitments::Id).eq(id))
                    .and_where(Expr::col(Commitments::Status).eq("open"))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn set_commitment_published(&mut self, id: i64, published: bool) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Commitments::Table)
                .values([
                    (Commitments::Published, published.into()),
                    (Commitments::UpdatedAt, now_ts().into()),
                ])
                .and_where(Expr::col(Commitments::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    pub async fn add_commitment_update(&mut self, id: i64, note: &str, on: &str, actor: &str) -> Result<i64> {
        self.fetch_scalar(
            &Query::insert()
                .into_table(CommitmentUpdates::Table)
                .columns([
                    CommitmentUpdates::CommitmentId,
                    CommitmentUpdates::Note,
                    CommitmentUpdates::OccurredOn,
                    CommitmentUpdates::Actor,
                    CommitmentUpdates::CreatedAt,
                ])
                .values_panic([id.into(), note.into(), on.into(), actor.into(), now_ts().into()])
                .returning_col(CommitmentUpdates::Id)
                .to_owned(),
        )
        .await
    }
}
