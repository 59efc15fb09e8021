//! Appending to and reading the tamper-evident audit log.
//!
//! Appends happen inside the caller's transaction, after the state change
//! they record, so a change and its audit entry commit together or not at
//! all. The single-row `audit_head` table serialises appenders: the first
//! statement of an append updates that row, which takes a row lock on
//! PostgreSQL (several app nodes) and the write lock on SQLite. The chain
//! rules are in `gongkai_domain::audit`.

use crate::db::{Result, Store, StoreError, Tx};
use crate::schema::{AuditHead, AuditLog};
use gongkai_domain::audit::{ChainError, Entry, NewEntry, Verifier};
use sea_query::{Expr, ExprTrait, Order, Query};

#[derive(sqlx::FromRow)]
struct EntryRow {
    seq: i64,
    at: String,
    actor: String,
    unit_id: Option<i64>,
    action: String,
    object_type: String,
    object_id: String,
    detail: String,
    prev_hash: String,
    hash: String,
}

impl From<EntryRow> for Entry {
    fn from(r: EntryRow) -> Entry {
        Entry {
            seq: r.seq,
            at: r.at,
            actor: r.actor,
            unit_id: r.unit_id,
            action: r.action,
            object_type: r.object_type,
            object_id: r.object_id,
            detail: r.detail,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

#[derive(sqlx::FromRow)]
struct HeadRow {
    seq: i64,
    hash: String,
}

/// Filters of the audit page and API. Empty fields do not filter.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AuditFilter {
    pub actor: Option<String>,
    /// Restrict to entries of these units (a scope); `None` = all.
    pub unit_ids: Option<Vec<i64>>,
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// Inclusive, `YYYY-MM-DD` (UTC).
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

fn columns() -> [AuditLog; 10] {
    [
        AuditLog::Seq,
        AuditLog::At,
        AuditLog::Actor,
        AuditLog::UnitId,
        AuditLog::Action,
        AuditLog::ObjectType,
        AuditLog::ObjectId,
        AuditLog::Detail,
        AuditLog::PrevHash,
        AuditLog::Hash,
    ]
}

impl Tx {
    /// Appends an entry to the chain (inside this transaction).
    pub async fn audit(&mut self, entry: NewEntry) -> Result<Entry> {
        self.audit_many(vec![entry])
            .await?
            .pop()
            .ok_or_else(|| StoreError::Corrupt("audit append wrote nothing".into()))
    }

    /// Appends entries to the chain in order (inside this transaction): the
    /// head row is locked first (a no-op update, which serialises appenders
    /// across app nodes), the entries are chained in memory and written many
    /// per statement, and the head moves once. Bulk imports audit a whole
    /// batch this way.
    pub async fn audit_many(&mut self, entries: Vec<NewEntry>) -> Result<Vec<Entry>> {
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        self.execute(
            &Query::update()
                .table(AuditHead::Table)
                .value(AuditHead::Seq, Expr::col(AuditHead::Seq))
                .and_where(Expr::col(AuditHead::Id).eq(1))
                .to_owned(),
        )
        .await?;
        let head: HeadRow = self
            .fetch_optional(
                &Query::select()
                    .columns([AuditHead::Seq, AuditHead::Hash])
                    .from(AuditHead::Table)
                    .and_where(Expr::col(AuditHead::Id).eq(1))
                    .to_owned(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("audit_head row is missing".into()))?;
        let mut prev = (head.seq > 0).then_some((head.seq, head.hash));
        let mut chained = Vec::with_capacity(entries.len());
        for entry in entries {
            let e = entry.chain(prev.as_ref().map(|(s, h)| (*s, h.as_str())), chrono::Utc::now());
            prev = Some((e.seq, e.hash.clone()));
            chained.push(e);
        }
        for chunk in chained.chunks(100) {
            let mut q = Query::insert().into_table(AuditLog::Table).columns(columns()).to_owned();
            for e in chunk {
                q.values_panic([
                    e.seq.into(),
                    e.at.clone().into(),
                    e.actor.clone().into(),
                    e.unit_id.into(),
                    e.action.clone().into(),
                    e.object_type.clone().into(),
                    e.object_id.clone().into(),
                    e.detail.clone().into(),
                    e.prev_hash.clone().into(),
                    e.hash.clone().into(),
                ]);
            }
            self.execute(&q).await?;
        }
        if let Some((seq, hash)) = prev {
            self.execute(
                &Query::update()
                    .table(AuditHead::Table)
                    .value(AuditHead::Seq, seq)
                    .value(AuditHead::Hash, hash)
                    .and_where(Expr::col(AuditHead::Id).eq(1))
                    .to_owned(),
            )
            .await?;
        }
        Ok(chained)
    }
}

impl Store {
    /// Appends one entry in a transaction of its own (for events that change
    /// nothing else, such as a failed login).
    pub async fn audit(&self, entry: NewEntry) -> Result<Entry> {
        let mut tx = self.begin().await?;
        let e = tx.audit(entry).await?;
        tx.commit().await?;
        Ok(e)
    }

    /// Entries matching `filter`, newest first.
    pub async fn audit_entries(&self, filter: &AuditFilter, limit: u64, offset: u64) -> Result<Vec<Entry>> {
        let mut q = Query::select()
            .columns(columns())
            .from(AuditLog::Table)
            .order_by(AuditLog::Seq, Order::Desc)
            .limit(limit)
            .offset(offset)
            .to_owned();
        apply_filter(&mut q, filter);
        let rows: Vec<EntryRow> = self.fetch_all(&q).await?;
        Ok(rows.into_iter().map(Entry::from).collect())
    }

    pub async fn audit_count(&self, filter: &AuditFilter) -> Result<i64> {
        let mut q = Query::select()
            .expr(Expr::col(AuditLog::Seq).count())
            .from(AuditLog::Table)
            .to_owned();
        apply_filter(&mut q, filter);
        self.fetch_scalar(&q).await
    }

    /// Walks the whole chain in `seq` order, page by page, and checks it
    /// against the recorded head. Returns the number of entries verified.
    pub async fn verify_audit(&self) -> Result<Result<u64, ChainError>> {
        const PAGE: u64 = 2000;
        let mut verifier = Verifier::new();
        let mut after = 0i64;
        loop {
            let rows: Vec<EntryRow> = self
                .fetch_all(
                    &Query::select()
                        .columns(columns())
                        .from(AuditLog::Table)
                        .and_where(Expr::col(AuditLog::Seq).gt(after))
                        .order_by(AuditLog::Seq, Order::Asc)
                        .limit(PAGE)
                        .to_owned(),
                )
                .await?;
            let n = rows.len() as u64;
            for r in rows {
                let e = Entry::from(r);
                after = e.seq;
                if let Err(err) = verifier.push(&e) {
                    return Ok(Err(err));
                }
            }
            if n < PAGE {
                break;
            }
        }
        let head: Option<HeadRow> = self
            .fetch_optional(
                &Query::select()
                    .columns([AuditHead::Seq, AuditHead::Hash])
                    .from(AuditHead::Table)
                    .and_where(Expr::col(AuditHead::Id).eq(1))
                    .to_owned(),
            )
            .await?;
        let head = head.ok_or_else(|| StoreError::Corrupt("audit_head row is missing".into()))?;
        Ok(verifier.finish(Some((head.seq, head.hash.as_str()))))
    }
}

fn apply_filter(q: &mut sea_query::SelectStatement, f: &AuditFilter) {
    let nonempty = |s: &Option<String>| s.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    if let Some(a) = nonempty(&f.actor) {
        q.and_where(Expr::col(AuditLog::Actor).eq(a));
    }
    if let Some(ids) = &f.unit_ids {
        q.and_where(Expr::col(AuditLog::UnitId).is_in(ids.clone()));
    }
    if let Some(a) = nonempty(&f.action) {
        // `user` matches `user.create`, `user.disable`, …
        if a.contains('.') {
            q.and_where(Expr::col(AuditLog::Action).eq(a));
        } else {
            q.and_where(Expr::col(AuditLog::Action).like(format!("{a}.%")));
        }
    }
    if let Some(t) = nonempty(&f.object_type) {
        q.and_where(Expr::col(AuditLog::ObjectType).eq(t));
    }
    if let Some(id) = nonempty(&f.object_id) {
        q.and_where(Expr::col(AuditLog::ObjectId).eq(id));
    }
    if let Some(from) = f.from {
        q.and_where(Expr::col(AuditLog::At).gte(format!("{from}T00:00:00")));
    }
    if let Some(to) = f.to {
        q.and_where(Expr::col(AuditLog::At).lt(format!("{}T00:00:00", to.succ_opt().unwrap_or(to))));
    }
}
