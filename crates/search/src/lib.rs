//! Full-text search for gongkai: tantivy indexes with jieba segmentation.
//!
//! What it is for: indexing what the app hands it and answering queries with
//! ids, scores and highlighted snippets, fast (see BENCHMARKS.md).
//! What it is not for: deciding what is public, or keeping anything the
//! database does not have: every index here can be rebuilt from the database
//! (`gongkai reindex`), and the app keeps it current by following the
//! database's change timestamps.
//!
//! Modules follow the domains: [`catalogue`] indexes policy documents and
//! interpretations; [`qa`] matches citizens' questions against the policy Q&A
//! library (in memory); [`tokenizer`] is the shared Chinese segmentation.

pub mod catalogue;
pub mod extract;
pub mod qa;
pub mod tokenizer;
