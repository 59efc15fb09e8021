//! Disclosure on application (依申请公开): the statutory clock, the outcomes
//! and the information processing fee.
//!
//! What it is for: the arithmetic and bookkeeping that 《中华人民共和国政府信息公开条例》
//! (2019 revision, 国务院令第711号) prescribes for an application, so that
//! `store` and `app` only persist events and display results:
//! - [`ApplicationForm`], [`CaseStatus`]: the application form of 第二十九条,
//!   checked into an [`Application`], and the status a case shows.
//! - [`receipt_date`]: the date an application counts as received, by channel
//!   (条例第三十一条).
//! - [`compute`]: a pure fold over a case's [`ClockEvent`]s giving the reply
//!   due date and every side deadline, with a step-by-step Chinese
//!   explanation. 补正 restarts the 20 working days from the corrected
//!   application's receipt (第三十条); consulting a third party (第三十二条)
//!   or another agency (第三十四条) suspends the clock, since "征求第三方和其他机关
//!   意见所需时间不计算在前款规定的期限内"; one extension of at most 20 working days
//!   is allowed (第三十三条).
//! - [`Outcome`]: the 21 outcome rows of table 三 of the 2021 national
//!   annual-report format (国办公开办函〔2021〕30号), with their legal basis.
//! - [`ApplicantType`]: the applicant columns of that table.
//! - [`per_item_fee`], [`per_page_fee`], [`estimate`]: the information
//!   processing fee of 《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）,
//!   charged per item (按件) or per page (按量), never both for one application.
//! - [`similarity`], [`is_probable_repeat`]: a hint for 重复申请 (第三十六条第（六）项).
//! - [`Table3`], [`Table4`], [`Handling`]: tables 三 and 四 of the annual report
//!   (国办公开办函〔2021〕30号) counted from cases, with their consistency checks.
//! - [`draft`]: plain-text drafts of a case's letters (答复告知书, 补正、延期、收费
//!   告知/通知书, 征求意见书) citing the articles they rest on.
//!
//! The deadline model is DERIVED (see `/work/shared/docs/rules.md` §1 "How to
//! count the days"): the day after receipt is the first day that can count,
//! and only working days of [`Calendar`](crate::calendar::Calendar) count.
//!
//! What it is not for: I/O, storing cases, or deciding an outcome (a person
//! does that; this module only checks the clock and names the rows).

mod applicant;
mod case;
mod clock;
mod error;
mod fee;
mod letters;
mod outcome;
mod receipt;
mod repeat;
mod stats;

pub use applicant::ApplicantType;
pub use case::{
    Application, ApplicationForm, CaseStatus, Delivery, FieldError, FormWanted, auto_close_date, is_reference_number, messages_for,
    reference_number, status_of,
};
pub use clock::{
    AGENCY_ANSWER_DAYS, CORRECTION_NOTICE_DAYS, ClockEvent, ClockState, ExplainLine, FEE_PAYMENT_DAYS, MAX_EXTENSION_DAYS, REPLY_DAYS,
    THIRD_PARTY_ANSWER_DAYS, compute, compute_quiet,
};
pub use error::FoiError;
pub use fee::{FeeBand, FeeEstimate, FeeMethod, estimate, per_item_fee, per_page_fee};
pub use letters::{LetterContext, LetterDraft, LetterKind, cited_basis_zh, draft};
pub use outcome::{Outcome, OutcomeGroup};
pub use receipt::{Channel, ReceiptEvents, receipt_date};
pub use repeat::{REPEAT_THRESHOLD, is_probable_repeat, similarity};
pub use stats::{CaseFacts, Counts, Handling, ReviewKind, ReviewResult, TABLE3_COLUMNS_ZH, TABLE3_ROWS, TABLE4_COLUMNS_ZH, Table3, Table4};
