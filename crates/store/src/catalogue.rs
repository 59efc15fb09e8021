//! The disclosure catalogue's tables: columns, documents (policy documents
//! and interpretations share one table, told apart by `kind`), their
//! versions, links, review events, attachments and privacy decisions.
//!
//! Dates are `YYYY-MM-DD` text; the rules (文号, validity, review states,
//! privacy findings) are in `gongkai_domain::catalogue` and
//! `gongkai_domain::privacy`; this module only persists.

use crate::db::{Result, Store, StoreError, Tx, now_ts};
use crate::schema::*;
use sea_query::{Expr, ExprTrait, Func, Order, Query, SelectStatement};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ColumnRow {
    pub id: i64,
    pub site_id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub sort_order: i64,
    pub hidden: bool,
    pub update_interval_days: Option<i64>,
    pub page_body: Option<String>,
    pub link_url: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone)]
pub struct NewColumn {
    pub site_id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub sort_order: i64,
    pub update_interval_days: Option<i64>,
    pub page_body: Option<String>,
    pub link_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DocumentRow {
    pub id: i64,
    pub site_id: i64,
    pub unit_id: i64,
    pub column_id: i64,
    /// `document` or `interpretation`.
    pub kind: String,
    pub interpretation_kind: Option<String>,
    pub title: String,
    pub index_no: String,
    pub index_year: i64,
    pub index_serial: i64,
    pub issuer: String,
    pub doc_no: Option<String>,
    pub doc_no_year: Option<i64>,
    pub written_on: Option<String>,
    pub published_on: Option<String>,
    pub topic: String,
    pub genre: String,
    pub validity: String,
    pub effective_on: Option<String>,
    pub expires_on: Option<String>,
    pub validity_changed_on: Option<String>,
    pub validity_reason: Option<String>,
    pub replaced_by: Option<i64>,
    pub body: String,
    pub transcript: Option<String>,
    pub state: String,
    pub review_stage: Option<i64>,
    pub scheduled_at: Option<String>,
    pub unpublish_reason: Option<String>,
    pub unpublish_note: Option<String>,
    pub needs_review: bool,
    pub author_id: i64,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    /// The key a bulk import gave the document, if it came that way.
    pub external_id: Option<String>,
}

/// The editable fields of a document or interpretation.
#[derive(Debug, Clone, Default)]
pub struct DocumentFields {
    pub column_id: i64,
    pub interpretation_kind: Option<String>,
    pub title: String,
    pub issuer: String,
    pub doc_no: Option<String>,
    pub doc_no_year: Option<i64>,
    pub written_on: Option<String>,
    pub topic: String,
    pub genre: String,
    pub validity: String,
    pub effective_on: Option<String>,
    pub expires_on: Option<String>,
    pub body: String,
    pub transcript: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewDocument {
    pub site_id: i64,
    pub unit_id: i64,
    pub kind: String,
    pub index_no: String,
    pub index_year: i64,
    pub index_serial: i64,
    pub author_id: i64,
    pub fields: DocumentFields,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub document_id: i64,
    pub version: i64,
    pub title: String,
    pub body: String,
    pub meta: String,
    pub actor: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub document_id: i64,
    pub action: String,
    pub stage: Option<i64>,
    pub actor: String,
    pub actor_id: Option<i64>,
    pub comment: Option<String>,
    pub at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: i64,
    pub document_id: i64,
    pub filename: String,
    pub content_hash: String,
    pub file_kind: String,
    pub size: i64,
    /// JSON array of hidden-content findings.
    pub findings: String,
    pub acknowledged: bool,
    pub sort_order: i64,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PrivacyDecisionRow {
    pub id: i64,
    pub document_id: i64,
    pub kind: String,
    pub text_hash: String,
    pub reason: String,
    pub decided_by: String,
    pub decided_at: String,
}

/// Filters of the admin list and the API. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    pub site_id: Option<i64>,
    pub column_ids: Option<Vec<i64>>,
    pub unit_ids: Option<Vec<i64>>,
    pub states: Option<Vec<String>>,
    pub kind: Option<String>,
    pub validity: Option<String>,
    pub title_contains: Option<String>,
    pub needs_review: Option<bool>,
    pub year: Option<i64>,
}

const DOCUMENT_COLUMNS: [Documents; 36] = [
    Documents::Id,
    Documents::SiteId,
    Documents::UnitId,
    Documents::ColumnId,
    Documents::Kind,
    Documents::InterpretationKind,
    Documents::Title,
    Documents::IndexNo,
    Documents::IndexYear,
    Documents::IndexSerial,
    Documents::Issuer,
    Documents::DocNo,
    Documents::DocNoYear,
    Documents::WrittenOn,
    Documents::PublishedOn,
    Documents::Topic,
    Documents::Genre,
    Documents::Validity,
    Documents::EffectiveOn,
    Documents::ExpiresOn,
    Documents::ValidityChangedOn,
    Documents::ValidityReason,
    Documents::ReplacedBy,
    Documents::Body,
    Documents::Transcript,
    Documents::State,
    Documents::ReviewStage,
    Documents::ScheduledAt,
    Documents::UnpublishReason,
    Documents::UnpublishNote,
    Documents::NeedsReview,
    Documents::AuthorId,
    Documents::Version,
    Documents::CreatedAt,
    Documents::UpdatedAt,
    Documents::ExternalId,
];

pub(crate) fn doc_select() -> SelectStatement {
    Query::select().columns(DOCUMENT_COLUMNS).from(Documents::Table).to_owned()
}

fn column_select() -> SelectStatement {
    Query::select()
        .columns([
            Columns::Id,
            Columns::SiteId,
            Columns::ParentId,
            Columns::Slug,
            Columns::Name,
            Columns::Kind,
            Columns::SortOrder,
            Columns::Hidden,
            Columns::UpdateIntervalDays,
            Columns::PageBody,
            Columns::LinkUrl,
            Columns::CreatedAt,
        ])
        .from(Columns::Table)
        .to_owned()
}

fn apply_filter(q: &mut SelectStatement, f: &DocumentFilter) {
    if let Some(s) = f.site_id {
        q.and_where(Expr::col((Documents::Table, Documents::SiteId)).eq(s));
    }
    if let Some(ids) = &f.column_ids {
        q.and_where(Expr::col((Documents::Table, Documents::ColumnId)).is_in(ids.clone()));
    }
    if let Some(ids) = &f.unit_ids {
        q.and_where(Expr::col((Documents::Table, Documents::UnitId)).is_in(ids.clone()));
    }
    if let Some(states) = &f.states {
        q.and_where(Expr::col((Documents::Table, Documents::State)).is_in(states.clone()));
    }
    if let Some(k) = &f.kind {
        q.and_where(Expr::col((Documents::Table, Documents::Kind)).eq(k.clone()));
    }
    if let Some(v) = &f.validity {
        q.and_where(Expr::col((Documents::Table, Documents::Validity)).eq(v.clone()));
    }
    if let Some(t) = f.title_contains.as_ref().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        q.and_where(Expr::col((Documents::Table, Documents::Title)).like(crate::db::like_contains(t)));
    }
    if let Some(n) = f.needs_review {
        q.and_where(Expr::col((Documents::Table, Documents::NeedsReview)).eq(n));
    }
    if let Some(y) = f.year {
        q.and_where(Expr::col((Documents::Table, Documents::IndexYear)).eq(y));
    }
}

impl Store {
    pub async fn columns_of_site(&self, site_id: i64) -> Result<Vec<ColumnRow>> {
        self.fetch_all(
            &column_select()
                .and_where(Expr::col(Columns::SiteId).eq(site_id))
                .order_by(Columns::SortOrder, Order::Asc)
                .order_by(Columns::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    pub async fn get_column(&self, id: i64) -> Result<ColumnRow> {
        self.fetch_one(&column_select().and_where(Expr::col(Columns::Id).eq(id)).to_owned())
            .await
    }

    pub async fn column_by_slug(&self, site_id: i64, slug: &str) -> Result<Option<ColumnRow>> {
        self.fetch_optional(
            &column_select()
                .and_where(Expr::col(Columns::SiteId).eq(site_id))
                .and_where(Expr::col(Columns::Slug).eq(slug))
                .to_owned(),
        )
        .await
    }

    pub async fn get_document(&self, id: i64) -> Result<DocumentRow> {
        self.fetch_one(&doc_select().and_where(Expr::col(Documents::Id).eq(id)).to_owned())
            .await
    }

    /// Documents matching `f`, newest first (by publication date, then id).
    ///
    /// The page's ids are chosen first from the indexes alone, then only those
    /// rows are read: sorting whole rows (bodies included) of a column with
    /// hundreds of thousands of documents would read them all.
    pub async fn list_documents(&self, f: &DocumentFilter, limit: u64, offset: u64) -> Result<Vec<DocumentRow>> {
        #[derive(sqlx::FromRow)]
        struct IdRow {
            id: i64,
        }
        let mut q = Query::select()
            .column((Documents::Table, Documents::Id))
            .from(Documents::Table)
            .to_owned();
        // Documents without a publication date (drafts) come first. Published
        // and unpublished documents always have one (publishing and importing
        // set it), so a list of those alone orders by date and id only, which
        // the `documents_column_published` index serves without a sort.
        let dated_only = f
            .states
            .as_ref()
            .is_some_and(|s| !s.is_empty() && s.iter().all(|s| s == "published" || s == "unpublished"));
        if !dated_only {
            q.order_by_expr(Expr::col(Documents::PublishedOn).is_null(), Order::Desc);
        }
        q.order_by(Documents::PublishedOn, Order::Desc)
            .order_by(Documents::Id, Order::Desc)
            .limit(limit)
            .offset(offset);
        apply_filter(&mut q, f);
        let ids: Vec<i64> = self.fetch_all::<IdRow, _>(&q).await?.into_iter().map(|r| r.id).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<DocumentRow> = self
            .fetch_all(&doc_select().and_where(Expr::col(Documents::Id).is_in(ids.clone())).to_owned())
            .await?;
        let mut by_id: std::collections::HashMap<i64, DocumentRow> = rows.into_iter().map(|d| (d.id, d)).collect();
        Ok(ids.into_iter().filter_map(|id| by_id.remove(&id)).collect())
    }

    pub async fn count_documents(&self, f: &DocumentFilter) -> Result<i64> {
        let mut q = Query::select()
            .expr(Expr::col(Documents::Id).count())
            .from(Documents::Table)
            .to_owned();
        apply_filter(&mut q, f);
        self.fetch_scalar(&q).await
    }

    /// The latest publication date per column (for staleness checks and the home page).
    pub async fn last_published_per_column(&self, site_id: i64) -> Result<Vec<(i64, Option<String>)>> {
        #[derive(sqlx::FromRow)]
        struct LastRow {
            column_id: i64,
            last: Option<String>,
        }
        let rows: Vec<LastRow> = self
            .fetch_all(
                &Query::select()
                    .column(Documents::ColumnId)
                    .expr_as(Func::max(Expr::col(Documents::PublishedOn)), "last")
                    .from(Documents::Table)
                    .and_where(Expr::col(Documents::SiteId).eq(site_id))
                    .and_where(Expr::col(Documents::State).eq("published"))
                    .group_by_col(Documents::ColumnId)
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().map(|r| (r.column_id, r.last)).collect())
    }

    pub async fn versions(&self, document_id: i64) -> Result<Vec<VersionRow>> {
        self.fetch_all(
            &Query::select()
                .columns([
                    DocumentVersions::Id,
                    DocumentVersions::DocumentId,
                    DocumentVersions::Version,
                    DocumentVersions::Title,
                    DocumentVersions::Body,
                    DocumentVersions::Meta,
                    DocumentVersions::Actor,
                    DocumentVersions::CreatedAt,
                ])
                .from(DocumentVersions::Table)
                .and_where(Expr::col(DocumentVersions::DocumentId).eq(document_id))
                .order_by(DocumentVersions::Version, Order::Desc)
                .to_owned(),
        )
        .await
    }

    /// Published interpretations (or, for an interpretation, its policy
    /// documents) linked to `id`, in either direction.
    pub async fn linked_documents(&self, id: i64, interpretations_of_document: bool) -> Result<Vec<DocumentRow>> {
        let (from_col, to_col) = if interpretations_of_document {
            (DocumentLinks::DocumentId, DocumentLinks::InterpretationId)
        } else {
            (DocumentLinks::InterpretationId, DocumentLinks::DocumentId)
        };
        let sub = Query::select()
            .column(to_col)
            .from(DocumentLinks::Table)
            .and_where(Expr::col(from_col).eq(id))
            .to_owned();
        self.fetch_all(
            &doc_select()
                .and_where(Expr::col(Documents::Id).in_subquery(sub))
                .order_by(Documents::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    pub async fn events(&self, document_id: i64) -> Result<Vec<EventRow>> {
        self.fetch_all(
            &Query::select()
                .columns([
                    DocumentEvents::Id,
                    DocumentEvents::DocumentId,
                    DocumentEvents::Action,
                    DocumentEvents::Stage,
                    DocumentEvents::Actor,
                    DocumentEvents::ActorId,
                    DocumentEvents::Comment,
                    DocumentEvents::At,
                ])
                .from(DocumentEvents::Table)
                .and_where(Expr::col(DocumentEvents::DocumentId).eq(document_id))
                .order_by(DocumentEvents::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    pub async fn attachments(&self, document_id: i64) -> Result<Vec<AttachmentRow>> {
        self.fetch_all(
            &attachment_select()
                .and_where(Expr::col(Attachments::DocumentId).eq(document_id))
                .order_by(Attachments::SortOrder, Order::Asc)
                .order_by(Attachments::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    pub async fn get_attachment(&self, id: i64) -> Result<AttachmentRow> {
        self.fetch_one(&attachment_select().and_where(Expr::col(Attachments::Id).eq(id)).to_owned())
            .await
    }

    pub async fn privacy_decisions(&self, document_id: i64) -> Result<Vec<PrivacyDecisionRow>> {
        self.fetch_all(
            &Query::select()
                .columns([
                    PrivacyDecisions::Id,
                    PrivacyDecisions::DocumentId,
                    PrivacyDecisions::Kind,
                    PrivacyDecisions::TextHash,
                    PrivacyDecisions::Reason,
                    PrivacyDecisions::DecidedBy,
                    PrivacyDecisions::DecidedAt,
                ])
                .from(PrivacyDecisions::Table)
                .and_where(Expr::col(PrivacyDecisions::DocumentId).eq(document_id))
                .to_owned(),
        )
        .await
    }

    /// Scheduled documents whose time has come.
    pub async fn due_scheduled(&self, now: &str) -> Result<Vec<DocumentRow>> {
        self.fetch_all(
            &doc_select()
                .and_where(Expr::col(Documents::State).eq("scheduled"))
                .and_where(Expr::col(Documents::ScheduledAt).lte(now))
                .to_owned(),
        )
        .await
    }

    /// Published documents in force whose expiry date is before `today`.
    pub async fn expired_in_force(&self, today: &str) -> Result<Vec<DocumentRow>> {
        self.fetch_all(
            &doc_select()
                .and_where(Expr::col(Documents::Validity).eq("in_force"))
                .and_where(Expr::col(Documents::ExpiresOn).is_not_null())
                .and_where(Expr::col(Documents::ExpiresOn).lt(today))
                .to_owned(),
        )
        .await
    }

    /// `(attachment id, file name, extracted text)` of a document's attachments
    /// whose text was extracted at upload (`attachments.text` not NULL), in
    /// display order.
    pub async fn attachment_texts(&self, document_id: i64) -> Result<Vec<(i64, String, String)>> {
        self.fetch_all(
            &Query::select()
                .columns([Attachments::Id, Attachments::Filename, Attachments::Text])
                .from(Attachments::Table)
                .and_where(Expr::col(Attachments::DocumentId).eq(document_id))
                .and_where(Expr::col(Attachments::Text).is_not_null())
                .order_by(Attachments::SortOrder, Order::Asc)
                .order_by(Attachments::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }
}

fn attachment_select() -> SelectStatement {
    Query::select()
        .columns([
            Attachments::Id,
            Attachments::DocumentId,
            Attachments::Filename,
            Attachments::ContentHash,
            Attachments::FileKind,
            Attachments::Size,
            Attachments::Findings,
            Attachments::Acknowledged,
            Attachments::SortOrder,
            Attachments::CreatedAt,
        ])
        .from(Attachments::Table)
        .to_owned()
}

impl Tx {
    pub async fn create_column(&mut self, c: &NewColumn) -> Result<i64> {
        self.fetch_scalar(
            &Query::insert()
                .into_table(Columns::Table)
                .columns([
                    Columns::SiteId,
                    Columns::ParentId,
                    Columns::Slug,
                    Columns::Name,
                    Columns::Kind,
                    Columns::SortOrder,
                    Columns::Hidden,
                    Columns::UpdateIntervalDays,
                    Columns::PageBody,
                    Columns::LinkUrl,
                    Columns::CreatedAt,
                ])
                .values_panic([
                    c.site_id.into(),
                    c.parent_id.into(),
                    c.slug.clone().into(),
                    c.name.clone().into(),
                    c.kind.clone().into(),
                    c.sort_order.into(),
                    false.into(),
                    c.update_interval_days.into(),
                    c.page_body.clone().into(),
                    c.link_url.clone().into(),
                    now_ts().into(),
                ])
                .returning_col(Columns::Id)
                .to_owned(),
        )
        .await
    }

    pub async fn update_column(
        &mut self,
        id: i64,
        name: &str,
        sort_order: i64,
        hidden: bool,
        interval: Option<i64>,
        page_body: Option<String>,
    ) -> Result<()> {
        let n = self
            .execute(
                &Query::update()
                    .table(Columns::Table)
                    .value(Columns::Name, name)
                    .value(Columns::SortOrder, sort_order)
                    .value(Columns::Hidden, hidden)
                    .value(Columns::UpdateIntervalDays, interval)
                    .value(Columns::PageBody, page_body)
                    .and_where(Expr::col(Columns::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    /// The next free 索引号 serial for a unit and year.
    pub async fn next_index_serial(&mut self, unit_id: i64, year: i64) -> Result<i64> {
        let max: Option<i64> = self
            .fetch_scalar(
                &Query::select()
                    .expr(Func::max(Expr::col(Documents::IndexSerial)))
                    .from(Documents::Table)
                    .and_where(Expr::col(Documents::UnitId).eq(unit_id))
                    .and_where(Expr::col(Documents::IndexYear).eq(year))
                    .to_owned(),
            )
            .await?;
        Ok(max.unwrap_or(0) + 1)
    }

    pub async fn insert_document(&mut self, d: &NewDocument) -> Result<i64> {
        let now = now_ts();
        let f = &d.fields;
        self.fetch_scalar(
            &Query::insert()
                .into_table(Documents::Table)
                .columns([
                    Documents::SiteId,
                    Documents::UnitId,
                    Documents::ColumnId,
                    Documents::Kind,
                    Documents::InterpretationKind,
                    Documents::Title,
                    Documents::IndexNo,
                    Documents::IndexYear,
                    Documents::IndexSerial,
                    Documents::Issuer,
                    Documents::DocNo,
                    Documents::DocNoYear,
                    Documents::WrittenOn,
                    Documents::Topic,
                    Documents::Genre,
                    Documents::Validity,
                    Documents::EffectiveOn,
                    Documents::ExpiresOn,
                    Documents::Body,
                    Documents::Transcript,
                    Documents::State,
                    Documents::NeedsReview,
                    Documents::AuthorId,
                    Documents::Version,
                    Documents::CreatedAt,
                    Documents::UpdatedAt,
                ])
                .values_panic([
                    d.site_id.into(),
                    d.unit_id.into(),
                    f.column_id.into(),
                    d.kind.clone().into(),
                    f.interpretation_kind.clone().into(),
                    f.title.clone().into(),
                    d.index_no.clone().into(),
                    d.index_year.into(),
                    d.index_serial.into(),
                    f.issuer.clone().into(),
                    f.doc_no.clone().into(),
                    f.doc_no_year.into(),
                    f.written_on.clone().into(),
                    f.topic.clone().into(),
                    f.genre.clone().into(),
                    f.validity.clone().into(),
                    f.effective_on.clone().into(),
                    f.expires_on.clone().into(),
                    f.body.clone().into(),
                    f.transcript.clone().into(),
                    "draft".into(),
                    false.into(),
                    d.author_id.into(),
                    1i64.into(),
                    now.clone().into(),
                    now.into(),
                ])
                .returning_col(Documents::Id)
                .to_owned(),
        )
        .await
    }

    /// Saves edited fields as the next version.
    pub async fn update_document(&mut self, id: i64, f: &DocumentFields) -> Result<i64> {
        let current: DocumentRow = self
            .fetch_one(&doc_select().and_where(Expr::col(Documents::Id).eq(id)).to_owned())
            .await?;
        let version = current.version + 1;
        self.execute(
            &Query::update()
                .table(Documents::Table)
                .value(Documents::ColumnId, f.column_id)
                .value(Documents::InterpretationKind, f.interpretation_kind.clone())
                .value(Documents::Title, f.title.clone())
                .value(Documents::Issuer, f.issuer.clone())
                .value(Documents::DocNo, f.doc_no.clone())
                .value(Documents::DocNoYear, f.doc_no_year)
                .value(Documents::WrittenOn, f.written_on.clone())
                .value(Documents::Topic, f.topic.clone())
                .value(Documents::Genre, f.genre.clone())
                .value(Documents::Validity, f.validity.clone())
                .value(Documents::EffectiveOn, f.effective_on.clone())
                .value(Documents::ExpiresOn, f.expires_on.clone())
                .value(Documents::Body, f.body.clone())
                .value(Documents::Transcript, f.transcript.clone())
                .value(Documents::Version, version)
                .value(Documents::UpdatedAt, now_ts())
                .and_where(Expr::col(Documents::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(version)
    }

    pub async fn set_body(&mut self, id: i64, body: &str) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Documents::Table)
                .value(Documents::Body, body)
                .value(Documents::UpdatedAt, now_ts())
                .and_where(Expr::col(Documents::Id).eq(id))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    /// Moves a document to a review/publication state.
    pub async fn set_state(
        &mut self,
        id: i64,
        state: &str,
        stage: Option<i64>,
        scheduled_at: Option<String>,
        published_on: Option<String>,
    ) -> Result<()> {
        let mut q = Query::update()
            .table(Documents::Table)
            .value(Documents::State, state)
            .value(Documents::ReviewStage, stage)
            .value(Documents::ScheduledAt, scheduled_at)
            .value(Documents::UpdatedAt, now_ts())
            .and_where(Expr::col(Documents::Id).eq(id))
            .to_owned();
        if let Some(p) = published_on {
            q.value(Documents::PublishedOn, p);
        }
        let n = self.execute(&q).await?;
        if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    pub async fn set_unpublished(&mut self, id: i64, reason: &str, note: &str) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Documents::Table)
                .value(Documents::State, "unpublished")
                .value(Documents::UnpublishReason, reason)
                .value(Documents::UnpublishNote, note)
                .value(Documents::UpdatedAt, now_ts())
                .and_where(Expr::col(Documents::Id).eq(id))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    pub async fn set_validity(
        &mut self,
        id: i64,
        validity: &str,
        changed_on: &str,
        reason: Option<&str>,
        replaced_by: Option<i64>,
    ) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Documents::Table)
                .value(Documents::Validity, validity)
                .value(Documents::ValidityChangedOn, changed_on)
                .value(Documents::ValidityReason, reason.map(str::to_string))
                .value(Documents::ReplacedBy, replaced_by)
                .value(Documents::UpdatedAt, now_ts())
                .and_where(Expr::col(Documents::Id).eq(id))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    /// Marks a document changed for followers of `updated_at` (the search
    /// indexer) without changing anything else.
    pub async fn touch_document(&mut self, id: i64) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Documents::Table)
                .value(Documents::UpdatedAt, now_ts())
                .and_where(Expr::col(Documents::Id).eq(id))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    pub async fn set_needs_review(&mut self, ids: &[i64], needs: bool) -> Result<u64> {
        if ids.is_empty() {
            return Ok(0);
        }
        self.execute(
            &Query::update()
                .table(Documents::Table)
                .value(Documents::NeedsReview, needs)
                .value(Documents::UpdatedAt, now_ts())
                .and_where(Expr::col(Documents::Id).is_in(ids.to_vec()))
                .to_owned(),
        )
        .await
    }

    pub async fn add_version(
        &mut self,
        document_id: i64,
        version: i64,
        title: &str,
        body: &str,
        meta: &serde_json::Value,
        actor: &str,
    ) -> Result<()> {
        self.execute(
            &Query::insert()
                .into_table(DocumentVersions::Table)
                .columns([
                    DocumentVersions::DocumentId,
                    DocumentVersions::Version,
                    DocumentVersions::Title,
                    DocumentVersions::Body,
                    DocumentVersions::Meta,
                    DocumentVersions::Actor,
                    DocumentVersions::CreatedAt,
                ])
                .values_panic([
                    document_id.into(),
                    version.into(),
                    title.into(),
                    body.into(),
                    meta.to_string().into(),
                    actor.into(),
                    now_ts().into(),
                ])
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    /// Replaces the policy documents an interpretation is linked to.
    pub async fn set_links(&mut self, interpretation_id: i64, document_ids: &[i64]) -> Result<()> {
        self.touch_document(interpretation_id).await?;
        self.execute(
            &Query::delete()
                .from_table(DocumentLinks::Table)
                .and_where(Expr::col(DocumentLinks::InterpretationId).eq(interpretation_id))
                .to_owned(),
        )
        .await?;
        for d in document_ids {
            self.execute(
                &Query::insert()
                    .into_table(DocumentLinks::Table)
                    .columns([DocumentLinks::InterpretationId, DocumentLinks::DocumentId])
                    .values_panic([interpretation_id.into(), (*d).into()])
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    /// Ids of interpretations linked to any of `document_ids`.
    pub async fn interpretations_linked_to(&mut self, document_id: i64) -> Result<Vec<i64>> {
        #[derive(sqlx::FromRow)]
        struct LastRow {
            interpretation_id: i64,
        }
        let rows: Vec<LastRow> = self
            .fetch_all(
                &Query::select()
                    .column(DocumentLinks::InterpretationId)
                    .from(DocumentLinks::Table)
                    .and_where(Expr::col(DocumentLinks::DocumentId).eq(document_id))
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.interpretation_id).collect())
    }

    pub async fn add_event(
        &mut self,
        document_id: i64,
        action: &str,
        stage: Option<i64>,
        actor: &str,
        actor_id: Option<i64>,
        comment: Option<&str>,
    ) -> Result<()> {
        self.execute(
            &Query::insert()
                .into_table(DocumentEvents::Table)
                .columns([
                    DocumentEvents::DocumentId,
                    DocumentEvents::Action,
                    DocumentEvents::Stage,
                    DocumentEvents::Actor,
                    DocumentEvents::ActorId,
                    DocumentEvents::Comment,
                    DocumentEvents::At,
                ])
                .values_panic([
                    document_id.into(),
                    action.into(),
                    stage.into(),
                    actor.into(),
                    actor_id.into(),
                    comment.map(str::to_string).into(),
                    now_ts().into(),
                ])
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn add_attachment(
        &mut self,
        document_id: i64,
        filename: &str,
        hash: &str,
        kind: &str,
        size: i64,
        findings: &str,
        sort_order: i64,
        text: Option<&str>,
    ) -> Result<i64> {
        self.touch_document(document_id).await?;
        self.fetch_scalar(
            &Query::insert()
                .into_table(Attachments::Table)
                .columns([
                    Attachments::DocumentId,
                    Attachments::Filename,
                    Attachments::ContentHash,
                    Attachments::FileKind,
                    Attachments::Size,
                    Attachments::Findings,
                    Attachments::Acknowledged,
                    Attachments::SortOrder,
                    Attachments::CreatedAt,
                    Attachments::Text,
                ])
                .values_panic([
                    document_id.into(),
                    filename.into(),
                    hash.into(),
                    kind.into(),
                    size.into(),
                    findings.into(),
                    false.into(),
                    sort_order.into(),
                    now_ts().into(),
                    text.map(str::to_string).into(),
                ])
                .returning_col(Attachments::Id)
                .to_owned(),
        )
        .await
    }

    pub async fn remove_attachment(&mut self, id: i64) -> Result<()> {
        #[derive(sqlx::FromRow)]
        struct Owner {
            document_id: i64,
        }
        let owner: Option<Owner> = self
            .fetch_optional(
                &Query::select()
                    .column(Attachments::DocumentId)
                    .from(Attachments::Table)
                    .and_where(Expr::col(Attachments::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        let Some(owner) = owner else {
            return Err(StoreError::NotFound);
        };
        self.touch_document(owner.document_id).await?;
        let n = self
            .execute(
                &Query::delete()
                    .from_table(Attachments::Table)
                    .and_where(Expr::col(Attachments::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    pub async fn acknowledge_attachment(&mut self, id: i64) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Attachments::Table)
                .value(Attachments::Acknowledged, true)
                .and_where(Expr::col(Attachments::Id).eq(id))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    pub async fn add_privacy_decision(&mut self, document_id: i64, kind: &str, text_hash: &str, reason: &str, by: &str) -> Result<()> {
        self.execute(
            &Query::insert()
                .into_table(PrivacyDecisions::Table)
                .columns([
                    PrivacyDecisions::DocumentId,
                    PrivacyDecisions::Kind,
                    PrivacyDecisions::TextHash,
                    PrivacyDecisions::Reason,
                    PrivacyDecisions::DecidedBy,
                    PrivacyDecisions::DecidedAt,
                ])
                .values_panic([
                    document_id.into(),
                    kind.into(),
                    text_hash.into(),
                    reason.into(),
                    by.into(),
                    now_ts().into(),
                ])
                .on_conflict(
                    sea_query::OnConflict::columns([PrivacyDecisions::DocumentId, PrivacyDecisions::TextHash])
                        .update_columns([PrivacyDecisions::Reason, PrivacyDecisions::DecidedBy, PrivacyDecisions::DecidedAt])
                        .to_owned(),
                )
                .to_owned(),
        )
        .await
        .map(|_| ())
    }
}

// Bulk import (`gongkai import documents`): documents that were published
// elsewhere come in already published, keyed by their external id.

/// What the importer needs to know about a document that is already there.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportedRef {
    pub id: i64,
    pub unit_id: i64,
    pub kind: String,
    pub version: i64,
    pub title: String,
    pub body: String,
    pub column_id: i64,
    pub interpretation_kind: Option<String>,
    pub issuer: String,
    pub doc_no: Option<String>,
    pub written_on: Option<String>,
    pub published_on: Option<String>,
    pub topic: String,
    pub genre: String,
    pub validity: String,
    pub effective_on: Option<String>,
    pub expires_on: Option<String>,
    pub validity_changed_on: Option<String>,
    pub validity_reason: Option<String>,
    pub transcript: Option<String>,
    pub state: String,
    pub external_id: Option<String>,
}

/// The published state an import gives a document.
#[derive(Debug, Clone, Default)]
pub struct ImportedState {
    pub external_id: String,
    pub published_on: String,
    pub validity_changed_on: Option<String>,
    pub validity_reason: Option<String>,
}

fn imported_ref_select() -> SelectStatement {
    Query::select()
        .columns([
            Documents::Id,
            Documents::UnitId,
            Documents::Kind,
            Documents::Version,
            Documents::Title,
            Documents::Body,
            Documents::ColumnId,
            Documents::InterpretationKind,
            Documents::Issuer,
            Documents::DocNo,
            Documents::WrittenOn,
            Documents::PublishedOn,
            Documents::Topic,
            Documents::Genre,
            Documents::Validity,
            Documents::EffectiveOn,
            Documents::ExpiresOn,
            Documents::ValidityChangedOn,
            Documents::ValidityReason,
            Documents::Transcript,
            Documents::State,
            Documents::ExternalId,
        ])
        .from(Documents::Table)
        .to_owned()
}

/// A version row written in bulk.
#[derive(Debug, Clone)]
pub struct NewVersion {
    pub document_id: i64,
    pub version: i64,
    pub title: String,
    pub body: String,
    pub meta: String,
    pub actor: String,
}

/// Rows per multi-row INSERT (well under SQLite's bound-parameter limit).
const BULK_ROWS: usize = 100;

impl Tx {
    /// The documents a bulk import gave any of `external_ids` on `site_id`.
    pub async fn documents_by_external_ids(&mut self, site_id: i64, external_ids: &[String]) -> Result<Vec<ImportedRef>> {
        let mut out = Vec::new();
        for chunk in external_ids.chunks(500) {
            out.extend(
                self.fetch_all::<ImportedRef, _>(
                    &imported_ref_select()
                        .and_where(Expr::col(Documents::SiteId).eq(site_id))
                        .and_where(Expr::col(Documents::ExternalId).is_in(chunk.to_vec()))
                        .to_owned(),
                )
                .await?,
            );
        }
        Ok(out)
    }

    /// Inserts version rows, many per statement.
    pub async fn add_versions(&mut self, rows: &[NewVersion]) -> Result<()> {
        let now = now_ts();
        for chunk in rows.chunks(BULK_ROWS) {
            let mut q = Query::insert()
                .into_table(DocumentVersions::Table)
                .columns([
                    DocumentVersions::DocumentId,
                    DocumentVersions::Version,
                    DocumentVersions::Title,
                    DocumentVersions::Body,
                    DocumentVersions::Meta,
                    DocumentVersions::Actor,
                    DocumentVersions::CreatedAt,
                ])
                .to_owned();
            for r in chunk {
                q.values_panic([
                    r.document_id.into(),
                    r.version.into(),
                    r.title.clone().into(),
                    r.body.clone().into(),
                    r.meta.clone().into(),
                    r.actor.clone().into(),
                    now.clone().into(),
                ]);
            }
            self.execute(&q).await?;
        }
        Ok(())
    }

    /// Records the same review event (no stage, no comment) for many documents.
    pub async fn add_events_bulk(&mut self, document_ids: &[i64], action: &str, actor: &str, actor_id: Option<i64>) -> Result<()> {
        let now = now_ts();
        for chunk in document_ids.chunks(BULK_ROWS) {
            let mut q = Query::insert()
                .into_table(DocumentEvents::Table)
                .columns([
                    DocumentEvents::DocumentId,
                    DocumentEvents::Action,
                    DocumentEvents::Stage,
                    DocumentEvents::Actor,
                    DocumentEvents::ActorId,
                    DocumentEvents::Comment,
                    DocumentEvents::At,
                ])
                .to_owned();
            for id in chunk {
                q.values_panic([
                    (*id).into(),
                    action.into(),
                    None::<i64>.into(),
                    actor.into(),
                    actor_id.into(),
                    None::<String>.into(),
                    now.clone().into(),
                ]);
            }
            self.execute(&q).await?;
        }
        Ok(())
    }

    /// The document a bulk import gave `external_id` on `site_id`, if any.
    pub async fn document_by_external_id(&mut self, site_id: i64, external_id: &str) -> Result<Option<ImportedRef>> {
        self.fetch_optional(
            &imported_ref_select()
                .and_where(Expr::col(Documents::SiteId).eq(site_id))
                .and_where(Expr::col(Documents::ExternalId).eq(external_id))
                .to_owned(),
        )
        .await
    }

    /// Inserts a document that is published from the start (version 1).
    pub async fn insert_imported_document(&mut self, d: &NewDocument, s: &ImportedState) -> Result<i64> {
        let now = now_ts();
        let f = &d.fields;
        self.fetch_scalar(
            &Query::insert()
                .into_table(Documents::Table)
                .columns([
                    Documents::SiteId,
                    Documents::UnitId,
                    Documents::ColumnId,
                    Documents::Kind,
                    Documents::InterpretationKind,
                    Documents::Title,
                    Documents::IndexNo,
                    Documents::IndexYear,
                    Documents::IndexSerial,
                    Documents::Issuer,
                    Documents::DocNo,
                    Documents::DocNoYear,
                    Documents::WrittenOn,
                    Documents::PublishedOn,
                    Documents::Topic,
                    Documents::Genre,
                    Documents::Validity,
                    Documents::EffectiveOn,
                    Documents::ExpiresOn,
                    Documents::ValidityChangedOn,
                    Documents::ValidityReason,
                    Documents::Body,
                    Documents::Transcript,
                    Documents::State,
                    Documents::NeedsReview,
                    Documents::AuthorId,
                    Documents::Version,
                    Documents::CreatedAt,
                    Documents::UpdatedAt,
                    Documents::ExternalId,
                ])
                .values_panic([
                    d.site_id.into(),
                    d.unit_id.into(),
                    f.column_id.into(),
                    d.kind.clone().into(),
                    f.interpretation_kind.clone().into(),
                    f.title.clone().into(),
                    d.index_no.clone().into(),
                    d.index_year.into(),
                    d.index_serial.into(),
                    f.issuer.clone().into(),
                    f.doc_no.clone().into(),
                    f.doc_no_year.into(),
                    f.written_on.clone().into(),
                    s.published_on.clone().into(),
                    f.topic.clone().into(),
                    f.genre.clone().into(),
                    f.validity.clone().into(),
                    f.effective_on.clone().into(),
                    f.expires_on.clone().into(),
                    s.validity_changed_on.clone().into(),
                    s.validity_reason.clone().into(),
                    f.body.clone().into(),
                    f.transcript.clone().into(),
                    "published".into(),
                    false.into(),
                    d.author_id.into(),
                    1i64.into(),
                    now.clone().into(),
                    now.into(),
                    s.external_id.clone().into(),
                ])
                .returning_col(Documents::Id)
                .to_owned(),
        )
        .await
    }

    /// Overwrites an imported document's fields as version `version` and
    /// (re)publishes it with the import's publication date.
    pub async fn update_imported_document(&mut self, id: i64, version: i64, f: &DocumentFields, s: &ImportedState) -> Result<()> {
        let n = self
            .execute(
                &Query::update()
                    .table(Documents::Table)
                    .value(Documents::ColumnId, f.column_id)
                    .value(Documents::InterpretationKind, f.interpretation_kind.clone())
                    .value(Documents::Title, f.title.clone())
                    .value(Documents::Issuer, f.issuer.clone())
                    .value(Documents::DocNo, f.doc_no.clone())
                    .value(Documents::DocNoYear, f.doc_no_year)
                    .value(Documents::WrittenOn, f.written_on.clone())
                    .value(Documents::PublishedOn, s.published_on.clone())
                    .value(Documents::Topic, f.topic.clone())
                    .value(Documents::Genre, f.genre.clone())
                    .value(Documents::Validity, f.validity.clone())
                    .value(Documents::EffectiveOn, f.effective_on.clone())
                    .value(Documents::ExpiresOn, f.expires_on.clone())
                    .value(Documents::ValidityChangedOn, s.validity_changed_on.clone())
                    .value(Documents::ValidityReason, s.validity_reason.clone())
                    .value(Documents::Body, f.body.clone())
                    .value(Documents::Transcript, f.transcript.clone())
                    .value(Documents::State, "published")
                    .value(Documents::ReviewStage, None::<i64>)
                    .value(Documents::ScheduledAt, None::<String>)
                    .value(Documents::Version, version)
                    .value(Documents::UpdatedAt, now_ts())
                    .and_where(Expr::col(Documents::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    /// Content hashes and names of a document's attachments, in order.
    pub async fn attachment_hashes(&mut self, document_id: i64) -> Result<Vec<(String, String)>> {
        #[derive(sqlx::FromRow)]
        struct HashRow {
            filename: String,
            content_hash: String,
        }
        let rows: Vec<HashRow> = self
            .fetch_all(
                &Query::select()
                    .columns([Attachments::Filename, Attachments::ContentHash])
                    .from(Attachments::Table)
                    .and_where(Expr::col(Attachments::DocumentId).eq(document_id))
                    .order_by(Attachments::SortOrder, Order::Asc)
                    .order_by(Attachments::Id, Order::Asc)
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().map(|r| (r.filename, r.content_hash)).collect())
    }

    /// Removes all attachments of a document (an import replaces them).
    pub async fn remove_attachments_of(&mut self, document_id: i64) -> Result<u64> {
        self.execute(
            &Query::delete()
                .from_table(Attachments::Table)
                .and_where(Expr::col(Attachments::DocumentId).eq(document_id))
                .to_owned(),
        )
        .await
    }
}
