//! The policy consultation Q&A library (政策咨询问答库) and its consultation
//! ledger (登记台账).
//!
//! Rule implemented: the county's 政务公开 responsibility list, item
//! “加强政策咨询服务” 5: the 12345 hotline (一号答), office phones, the website
//! (一网答) and the service-hall window (一站式) first search the library and
//! answer at once when a match is found; otherwise the question is registered,
//! handed to the policy-making unit, and the consultant gets a reply **within
//! 5 working days**; questions and replies are then folded back into the
//! library. Item 1 of the same section names the responsible officer
//! (政策解读专员) of each entry.
//!
//! What this module is for: the normalisation every question goes through
//! (`normalize`), the synonym table (`synonyms`), entry and consultation
//! states and their rules (`entry`, `consult`), the report arithmetic
//! (`stats`), and the decision between
//! answering, suggesting and abstaining (`outcome`).
//!
//! What it is not for: retrieval and scoring (`gongkai_search::qa`), storage
//! (`gongkai_store::qa`).

pub mod consult;
pub mod entry;
pub mod normalize;
pub mod outcome;
pub mod stats;
pub mod synonyms;

pub use consult::{Channel, ConsultState, ReplyVia};
pub use entry::{EntryError, EntryState, NewEntryText};
pub use normalize::normalize;
pub use outcome::{Outcome, Thresholds};
pub use synonyms::SynonymTable;
