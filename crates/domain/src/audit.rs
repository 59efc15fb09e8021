//! The tamper-evident audit log: what an entry is and how the chain is hashed.
//!
//! What it is for: every state change that matters (logins, role changes,
//! publication, replies, decisions, deletions) becomes an [`Entry`] whose
//! hash covers its own fields and the hash of the entry before it, so that
//! editing, deleting or reordering any stored entry breaks the chain at that
//! entry. This serves the record-keeping duties of 《政府信息公开条例》
//! 第四十七条–第五十三条 (supervision and accountability) and the 三审三校
//! review trail the seed document requires.
//!
//! The hash is BLAKE3 over a canonical encoding: each field as an 8-byte
//! little-endian length followed by its UTF-8 bytes, in a fixed order, ending
//! with the previous entry's hash. Timestamps are kept as the exact text that
//! was hashed, so both database backends reproduce the same bytes.
//!
//! What it is not for: storage (the `store` crate appends under a lock) or
//! deciding *what* to audit (each domain does that). Details must not carry
//! personal data of citizens; they name objects by id.

use serde::{Deserialize, Serialize};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An audit entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: i64,
    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ`, exactly as hashed.
    pub at: String,
    /// Username, or `system` / `cli` for the platform itself.
    pub actor: String,
    pub unit_id: Option<i64>,
    /// Dotted verb, e.g. `user.create`, `login.failed`, `document.publish`.
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    /// A JSON object with sorted keys (serde_json's default map).
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The fields of an entry before it is chained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub actor: String,
    pub unit_id: Option<i64>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub detail: serde_json::Value,
}

impl NewEntry {
    pub fn new(actor: impl Into<String>, action: impl Into<String>, object_type: impl Into<String>, object_id: impl ToString) -> Self {
        NewEntry {
            actor: actor.into(),
            unit_id: None,
            action: action.into(),
            object_type: object_type.into(),
            object_id: object_id.to_string(),
            detail: serde_json::Value::Object(Default::default()),
        }
    }

    pub fn unit(mut self, unit_id: Option<i64>) -> Self {
        self.unit_id = unit_id;
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }

    /// Chains this entry after `prev` (seq and hash of the previous entry, or
    /// `None` for the first entry).
    pub fn chain(self, prev: Option<(i64, &str)>, at: chrono::DateTime<chrono::Utc>) -> Entry {
        let (seq, prev_hash) = match prev {
            Some((s, h)) => (s + 1, h.to_string()),
            None => (1, GENESIS.to_string()),
        };
        let mut e = Entry {
            seq,
            at: format_timestamp(at),
            actor: self.actor,
            unit_id: self.unit_id,
            action: self.action,
            object_type: self.object_type,
            object_id: self.object_id,
            detail: self.detail.to_string(),
            prev_hash,
            hash: String::new(),
        };
        e.hash = e.compute_hash();
        e
    }
}

/// The one timestamp format of the audit log (UTC, microseconds).
pub fn format_timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

impl Entry {
    /// BLAKE3 over the canonical encoding of every field but `hash`.
    pub fn compute_hash(&self) -> String {
        let mut h = blake3::Hasher::new();
        let unit = self.unit_id.map(|u| u.to_string()).unwrap_or_default();
        let seq = self.seq.to_string();
        for field in [
            seq.as_str(),
            &self.at,
            &self.actor,
            &unit,
            &self.action,
            &self.object_type,
            &self.object_id,
            &self.detail,
            &self.prev_hash,
        ] {
            h.update(&(field.len() as u64).to_le_bytes());
            h.update(field.as_bytes());
        }
        h.finalize().to_hex().to_string()
    }
}

/// Why a chain does not verify; `seq` names the first broken entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("entry {seq}: its hash does not match its contents (edited)")]
    Altered { seq: i64 },
    #[error("entry {seq}: expected sequence number {expected} (an entry was deleted or reordered)")]
    Gap { seq: i64, expected: i64 },
    #[error("entry {seq}: its previous-hash does not match entry {prev} (deleted, inserted or reordered)")]
    Unlinked { seq: i64, prev: i64 },
    #[error("the log ends at entry {last} but the chain head records entry {head} (entries removed from the end)")]
    Truncated { last: i64, head: i64 },
    #[error("entry {seq}: not covered by the chain head (appended or rewritten outside the log)")]
    HeadMismatch { seq: i64 },
}

impl ChainError {
    /// The first entry at which the chain is broken.
    pub fn seq(&self) -> i64 {
        match self {
            ChainError::Altered { seq }
            | ChainError::Gap { seq, .. }
            | ChainError::Unlinked { seq, .. }
            | ChainError::HeadMismatch { seq } => *seq,
            ChainError::Truncated { last, .. } => last + 1,
        }
    }
}

/// Incremental verifier: feed entries in `seq` order, then [`Verifier::finish`]
/// with the recorded chain head. Memory stays constant however long the log.
#[derive(Debug, Default)]
pub struct Verifier {
    last: Option<(i64, String)>,
    count: u64,
}

impl Verifier {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, e: &Entry) -> Result<(), ChainError> {
        let expected = self.last.as_ref().map_or(1, |(s, _)| s + 1);
        if e.seq != expected {
            return Err(ChainError::Gap { seq: e.seq, expected });
        }
        let prev_hash = self.last.as_ref().map_or(GENESIS, |(_, h)| h.as_str());
        if e.prev_hash != prev_hash {
            return Err(ChainError::Unlinked {
                seq: e.seq,
                prev: expected - 1,
            });
        }
        if e.compute_hash() != e.hash {
            return Err(ChainError::Altered { seq: e.seq });
        }
        self.last = Some((e.seq, e.hash.clone()));
        self.count += 1;
        Ok(())
    }

    /// Checks the end of the log against the head the store keeps beside it
    /// (seq and hash of the last appended entry), which catches entries cut
    /// from the end. Returns the number of entries verified.
    pub fn finish(self, head: Option<(i64, &str)>) -> Result<u64, ChainError> {
        let last_seq = self.last.as_ref().map_or(0, |(s, _)| *s);
        if let Some((head_seq, head_hash)) = head {
            if head_seq > last_seq {
                return Err(ChainError::Truncated {
                    last: last_seq,
                    head: head_seq,
                });
            }
            if last_seq > head_seq {
                return Err(ChainError::HeadMismatch { seq: head_seq + 1 });
            }
            if head_seq > 0 && self.last.as_ref().is_some_and(|(_, h)| h != head_hash) {
                return Err(ChainError::HeadMismatch { seq: head_seq });
            }
        }
        Ok(self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn chain(n: usize) -> Vec<Entry> {
        let mut out: Vec<Entry> = Vec::new();
        for i in 0..n {
            let at = chrono::Utc.with_ymd_and_hms(2021, 6, 1, 8, 0, i as u32).unwrap();
            let prev = out.last().map(|e| (e.seq, e.hash.as_str()));
            let e = NewEntry::new("admin", "user.create", "user", i)
                .unit(Some(3))
                .detail(serde_json::json!({"role": "editor", "b": 1}))
                .chain(prev, at);
            out.push(e);
        }
        out
    }

    fn verify(entries: &[Entry], head: Option<(i64, &str)>) -> Result<u64, ChainError> {
        let mut v = Verifier::new();
        for e in entries {
            v.push(e)?;
        }
        v.finish(head)
    }

    fn head(entries: &[Entry]) -> Option<(i64, &str)> {
        entries.last().map(|e| (e.seq, e.hash.as_str()))
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(&c, head(&c)), Ok(5));
        assert_eq!(c[0].prev_hash, GENESIS);
        assert_eq!(c[1].prev_hash, c[0].hash);
        assert_eq!(c[0].at, "2021-06-01T08:00:00.000000Z");
        assert_eq!(c[0].detail, r#"{"b":1,"role":"editor"}"#, "keys sorted");
    }

    #[test]
    fn edited_entry_is_named() {
        let mut c = chain(5);
        c[2].actor = "mallory".into();
        let h = head(&c).map(|(s, h)| (s, h.to_string()));
        let err = verify(&c, h.as_ref().map(|(s, h)| (*s, h.as_str()))).unwrap_err();
        assert_eq!(err, ChainError::Altered { seq: 3 });
        assert_eq!(err.seq(), 3);
    }

    #[test]
    fn edited_and_rehashed_entry_breaks_the_next_link() {
        let mut c = chain(5);
        c[2].detail = "{}".into();
        c[2].hash = c[2].compute_hash();
        assert_eq!(verify(&c, None).unwrap_err(), ChainError::Unlinked { seq: 4, prev: 3 });
    }

    #[test]
    fn deleted_entry_is_a_gap() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify(&c, None).unwrap_err(), ChainError::Gap { seq: 3, expected: 2 });
    }

    #[test]
    fn reordered_entries_are_detected() {
        let mut c = chain(5);
        c.swap(1, 2);
        assert_eq!(verify(&c, None).unwrap_err().seq(), 3);
    }

    #[test]
    fn truncated_tail_is_detected_by_the_head() {
        let c = chain(5);
        let h = (c[4].seq, c[4].hash.clone());
        assert_eq!(
            verify(&c[..3], Some((h.0, &h.1))).unwrap_err(),
            ChainError::Truncated { last: 3, head: 5 }
        );
    }

    #[test]
    fn field_boundaries_are_unambiguous() {
        let at = chrono::Utc.with_ymd_and_hms(2021, 6, 1, 8, 0, 0).unwrap();
        let a = NewEntry::new("ab", "c", "x", 1).chain(None, at);
        let b = NewEntry::new("a", "bc", "x", 1).chain(None, at);
        assert_ne!(a.hash, b.hash);
    }
}
