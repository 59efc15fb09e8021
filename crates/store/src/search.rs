//! What the search index reads from the database: the documents changed
//! since a watermark (the index follows `documents.updated_at`), the
//! published documents page by page for a rebuild, attachment texts, and the
//! log of portal searches that found nothing.
//!
//! Not for: anything about ranking or tokens (`gongkai-search`).

use crate::catalogue::{DocumentRow, doc_select};
use crate::db::{Result, Store, Tx, now_ts};
use crate::schema::*;
use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SearchMissRow {
    pub id: i64,
    pub site_id: i64,
    pub query: String,
    pub count: i64,
    pub first_at: String,
    pub last_at: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentText {
    pub document_id: i64,
    pub text: Option<String>,
}

impl Store {
    /// Documents with `(updated_at, id)` after the cursor, oldest change first.
    pub async fn documents_changed_after(&self, updated_at: &str, id: i64, limit: u64) -> Result<Vec<DocumentRow>> {
        self.fetch_all(
            &doc_select()
                .cond_where(
                    Cond::any()
                        .add(Expr::col(Documents::UpdatedAt).gt(updated_at))
                        .add(Expr::col(Documents::UpdatedAt).eq(updated_at).and(Expr::col(Documents::Id).gt(id))),
                )
                .order_by(Documents::UpdatedAt, Order::Asc)
                .order_by(Documents::Id, Order::Asc)
                .limit(limit)
                .to_owned(),
        )
        .await
    }

    /// These documents (any state), in no particular order.
    pub async fn documents_by_ids(&self, ids: &[i64]) -> Result<Vec<DocumentRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.fetch_all(&doc_select().and_where(Expr::col(Documents::Id).is_in(ids.to_vec())).to_owned())
            .await
    }

    /// The newest change time of any document.
    pub async fn documents_last_change(&self) -> Result<Option<String>> {
        self.fetch_scalar(
            &Query::select()
                .expr(Expr::col(Documents::UpdatedAt).max())
                .from(Documents::Table)
                .to_owned(),
        )
        .await
    }

    /// Published documents with id above `after`, by id.
    pub async fn published_documents_after(&self, after: i64, limit: u64) -> Result<Vec<DocumentRow>> {
        self.fetch_all(
            &doc_select()
                .and_where(Expr::col(Documents::State).eq("published"))
                .and_where(Expr::col(Documents::Id).gt(after))
                .order_by(Documents::Id, Order::Asc)
                .limit(limit)
                .to_owned(),
        )
        .await
    }

    /// Extracted attachment texts of these documents, in attachment order.
    pub async fn attachment_texts_of(&self, document_ids: &[i64]) -> Result<Vec<AttachmentText>> {
        if document_ids.is_empty() {
            return Ok(Vec::new());
        }
        self.fetch_all(
            &Query::select()
                .columns([Attachments::DocumentId, Attachments::Text])
                .from(Attachments::Table)
                .and_where(Expr::col(Attachments::DocumentId).is_in(document_ids.to_vec()))
                .and_where(Expr::col(Attachments::Text).is_not_null())
                .order_by(Attachments::DocumentId, Order::Asc)
                .order_by(Attachments::SortOrder, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// The most frequent searches that found nothing.
    pub async fn search_misses(&self, site_id: i64, limit: u64) -> Result<Vec<SearchMissRow>> {
        self.fetch_all(
            &Query::select()
                .columns([
                    SearchMisses::Id,
                    SearchMisses::SiteId,
                    SearchMisses::Query,
                    SearchMisses::Count,
                    SearchMisses::FirstAt,
                    SearchMisses::LastAt,
                ])
                .from(SearchMisses::Table)
                .and_where(Expr::col(SearchMisses::SiteId).eq(site_id))
                .order_by(SearchMisses::Count, Order::Desc)
                .order_by(SearchMisses::LastAt, Order::Desc)
                .limit(limit)
                .to_owned(),
        )
        .await
    }

    /// Counts one search that found nothing (the caller has removed personal
    /// data from `query`).
    pub async fn record_search_miss(&self, site_id: i64, query: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.record_search_miss(site_id, query).await?;
        tx.commit().await
    }
}

impl Tx {
    pub async fn record_search_miss(&mut self, site_id: i64, query: &str) -> Result<()> {
        let now = now_ts();
        let updated = self
            .execute(
                &Query::update()
                    .table(SearchMisses::Table)
                    .value(SearchMisses::Count, Expr::col(SearchMisses::Count).add(1))
                    .value(SearchMisses::LastAt, now.clone())
                    .and_where(Expr::col(SearchMisses::SiteId).eq(site_id))
                    .and_where(Expr::col(SearchMisses::Query).eq(query))
                    .to_owned(),
            )
            .await?;
        if updated == 0 {
            self.execute(
                &Query::insert()
                    .into_table(SearchMisses::Table)
                    .columns([
                        SearchMisses::SiteId,
                        SearchMisses::Query,
                        SearchMisses::Count,
                        SearchMisses::FirstAt,
                        SearchMisses::LastAt,
                    ])
                    .values_panic([site_id.into(), query.into(), 1i64.into(), now.clone().into(), now.into()])
                    .on_conflict(
                        sea_query::OnConflict::columns([SearchMisses::SiteId, SearchMisses::Query])
                            .value(SearchMisses::Count, Expr::col((SearchMisses::Table, SearchMisses::Count)).add(1))
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    /// Forgets a logged miss (an editor has dealt with it).
    pub async fn delete_search_miss(&mut self, site_id: i64, id: i64) -> Result<u64> {
        self.execute(
            &Query::delete()
                .from_table(SearchMisses::Table)
                .and_where(Expr::col(SearchMisses::SiteId).eq(site_id))
                .and_where(Expr::col(SearchMisses::Id).eq(id))
                .to_owned(),
        )
        .await
    }
}
