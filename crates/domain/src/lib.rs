//! `gongkai-domain`: the pure types and rules of the platform.
//!
//! What it is for: values that are parsed once and then trusted (newtypes),
//! the state machines and arithmetic the regulations prescribe (working-day
//! deadlines, permissions, the audit chain), each in a module named after its
//! domain so a reader can follow one domain through `domain`, `store` and `app`.
//!
//! What it is not for: I/O of any kind. Nothing here opens a file, a socket or a
//! database; the official calendar is compiled in with `include_str!`.

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod catalogue;
pub mod dispatch;
pub mod files;
pub mod foi;
pub mod mailbox;
mod numerals;
pub mod privacy;
pub mod qa;
pub mod tasks;
