//! What the shared deadline rule (`gongkai_domain::dispatch`) writes when it
//! fires for a dispatched item — a mailbox message, a phone call, a task
//! entry: the notice in the unit's outbox and the audit entry, in the
//! caller's transaction (which marks its own item as reminded or escalated).
//!
//! Not for: deciding whether to remind or escalate (the domain rule), or
//! sending (the outbox's sender).

use crate::error::AppResult;
use chrono::NaiveDate;
use gongkai_domain::audit::NewEntry;
use gongkai_store::Tx;

/// One reminder (to the handling unit) or escalation (to the office).
pub struct Notice<'a> {
    /// Prefix of the audit action: `{action}.remind` / `{action}.escalate`.
    pub action: &'a str,
    /// The item's kind and id, for the outbox and the audit log.
    pub entity: &'a str,
    pub id: i64,
    pub unit_id: Option<i64>,
    pub remind: bool,
    /// The unit notified.
    pub to: i64,
    pub due: NaiveDate,
    pub subject: String,
    pub body: String,
}

impl Notice<'_> {
    pub async fn write(&self, tx: &mut Tx) -> AppResult<()> {
        tx.enqueue_outbox(
            "notice",
            &format!("unit:{}", self.to),
            &self.subject,
            &self.body,
            self.entity,
            self.id,
        )
        .await?;
        let step = if self.remind { "remind" } else { "escalate" };
        tx.audit(
            NewEntry::new("system", format!("{}.{step}", self.action), self.entity, self.id)
                .unit(self.unit_id)
                .detail(serde_json::json!({ "due_on": self.due.to_string(), "to_unit": self.to })),
        )
        .await?;
        Ok(())
    }
}

/// Reminders and escalations sent by one run of a deadline job.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub reminded: usize,
    pub escalated: usize,
}

impl Tally {
    pub fn count(&mut self, remind: bool) {
        if remind {
            self.reminded += 1;
        } else {
            self.escalated += 1;
        }
    }

    pub fn pair(self) -> (usize, usize) {
        (self.reminded, self.escalated)
    }
}
