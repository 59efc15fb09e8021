//! The review workflow (三审三校) of a catalogue item, as a pure transition
//! function.
//!
//! ```text
//!            Submit                Approve (not final)
//!   Draft ───────────► InReview{1} ───────────► InReview{2} … InReview{n}
//!     ▲                    │  Reject{comment}, Withdraw             │
//!     └────────────────────┘◄───────────────────────────────────────┤
//!     ▲                                     Approve (final) ────────┼──► Published
//!     │ Withdraw                            Schedule{at} (final) ───┘        │
//!     ├──────────── Scheduled ◄── Schedule{at} (reschedule)                 │
//!     │                 └── Publish (time reached / publish now) ──► Published
//!     │ Withdraw                                                             │
//!     └──────────── Unpublished ◄────────── Unpublish{reason} ───────────────┘
//! ```
//!
//! Guards: a site has 1–3 stages (their names come from the site settings,
//! e.g. 初审/复审/终审); the author never approves, schedules or publishes
//! their own item; a rejection needs a comment; submission and every step
//! that leads to publication are refused while the privacy guard or the
//! attachment checks have unresolved findings, or the item lacks required
//! links (a policy interpretation without a policy document). The time of a
//! schedule is kept by the caller; the publishing job sends `Publish` when it
//! is due (the domain has no clock).

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{CatalogueError, date_zh};

/// Most review stages a site may have (三审).
pub const MAX_REVIEW_STAGES: u8 = 3;

/// Where an item is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DocState {
    /// Being written; only its author and editors see it.
    Draft,
    /// Waiting for review stage `stage` (1-based; 1 = 初审).
    InReview { stage: u8 },
    /// Approved at the final stage, to be published at a set time.
    Scheduled,
    /// Public.
    Published,
    /// Taken down after publication (see [`UnpublishReason`]).
    Unpublished,
}

impl DocState {
    /// Stable code: `draft`, `in_review`, `scheduled`, `published`, `unpublished`.
    pub fn as_str(self) -> &'static str {
        match self {
            DocState::Draft => "draft",
            DocState::InReview { .. } => "in_review",
            DocState::Scheduled => "scheduled",
            DocState::Published => "published",
            DocState::Unpublished => "unpublished",
        }
    }

    /// The label shown on pages, naming the pending stage from the site's
    /// stage names (e.g. `待复审`); stage names may be empty, then stages are
    /// called 第N审.
    pub fn label_zh<S: AsRef<str>>(self, stage_names: &[S]) -> String {
        match self {
            DocState::Draft => "草稿".to_owned(),
            DocState::InReview { stage } => format!("待{}", stage_name(stage_names, stage)),
            DocState::Scheduled => "待定时发布".to_owned(),
            DocState::Published => "已发布".to_owned(),
            DocState::Unpublished => "已撤下".to_owned(),
        }
    }
}

impl fmt::Display for DocState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocState::InReview { stage } => write!(f, "in review at stage {stage}"),
            other => f.write_str(other.as_str()),
        }
    }
}

/// The name of review stage `stage` (1-based) from the site's list, or
/// `第N审` when the list has no such entry.
pub fn stage_name<S: AsRef<str>>(stage_names: &[S], stage: u8) -> String {
    usize::from(stage)
        .checked_sub(1)
        .and_then(|i| stage_names.get(i))
        .map(|s| s.as_ref().trim())
        .filter(|s| !s.is_empty())
        .map_or_else(|| format!("第{stage}审"), str::to_owned)
}

/// Why a published item was taken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnpublishReason {
    /// Published by mistake (wrong file, leaked personal data): the page
    /// answers 410 Gone and shows only a short notice.
    PublishedInError,
    /// Withdrawn by the issuer: the page stays (200) with a notice above it.
    Withdrawn,
}

impl UnpublishReason {
    pub fn as_str(self) -> &'static str {
        match self {
            UnpublishReason::PublishedInError => "published_in_error",
            UnpublishReason::Withdrawn => "withdrawn",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            UnpublishReason::PublishedInError => "误发撤下",
            UnpublishReason::Withdrawn => "撤回",
        }
    }

    /// The HTTP status of the item's public page once unpublished.
    pub fn http_status(self) -> u16 {
        match self {
            UnpublishReason::PublishedInError => 410,
            UnpublishReason::Withdrawn => 200,
        }
    }

    /// Whether the item's content stays visible under the notice.
    pub fn keeps_page(self) -> bool {
        self == UnpublishReason::Withdrawn
    }

    /// The notice shown on the page.
    pub fn notice_zh(self, on: NaiveDate) -> String {
        match self {
            UnpublishReason::PublishedInError => format!("该信息已于{}撤下。", date_zh(on)),
            UnpublishReason::Withdrawn => format!("该信息已于{}撤回，以下内容仅供查阅。", date_zh(on)),
        }
    }
}

/// A step of the workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ReviewAction {
    /// Author hands the draft to the first stage.
    Submit,
    /// Reviewer passes the current stage; at the final stage this publishes.
    Approve,
    /// Reviewer sends the item back to its author.
    Reject { comment: String },
    /// Final-stage reviewer approves for publication at `at` (or a
    /// scheduled item gets a new time).
    Schedule { at: DateTime<Utc> },
    /// A scheduled item goes public (its time came, or "publish now").
    Publish,
    /// A published item is taken down.
    Unpublish { reason: UnpublishReason },
    /// Back to draft: out of review, off the schedule, or reopening an
    /// unpublished item for editing.
    Withdraw,
}

impl ReviewAction {
    /// Stable name (the serde tag).
    pub fn name(&self) -> &'static str {
        match self {
            ReviewAction::Submit => "submit",
            ReviewAction::Approve => "approve",
            ReviewAction::Reject { .. } => "reject",
            ReviewAction::Schedule { .. } => "schedule",
            ReviewAction::Publish => "publish",
            ReviewAction::Unpublish { .. } => "unpublish",
            ReviewAction::Withdraw => "withdraw",
        }
    }

    pub fn label_zh(&self) -> &'static str {
        action_label_zh(self.name())
    }
}

/// The Chinese label of a review action by its `name()` (also for stored event names).
pub fn action_label_zh(name: &str) -> &'static str {
    match name {
        "submit" => "提交审核",
        "approve" => "审核通过",
        "reject" => "退回",
        "schedule" => "定时发布",
        "publish" => "发布",
        "unpublish" => "撤下",
        "withdraw" => "撤回为草稿",
        _ => "操作",
    }
}

/// What [`transition`] needs to know besides the state and the action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransitionCtx {
    /// The site's number of review stages, 1..=3.
    pub stages: u8,
    /// The actor wrote the item.
    pub actor_is_author: bool,
    /// The privacy guard has unresolved findings.
    pub privacy_blocked: bool,
    /// The attachment checks have unresolved findings.
    pub files_blocked: bool,
    /// The item has the links its kind requires (for interpretations: at
    /// least one policy document, [`super::check_interpretation_links`]).
    pub has_required_links: bool,
}

impl TransitionCtx {
    /// A context with `stages` stages, an actor who is not the author and
    /// nothing blocking.
    pub fn new(stages: u8) -> TransitionCtx {
        TransitionCtx {
            stages,
            actor_is_author: false,
            privacy_blocked: false,
            files_blocked: false,
            has_required_links: true,
        }
    }
}

/// Checks shared by submission and every step into publication.
fn ready_to_publish(ctx: &TransitionCtx) -> Result<(), CatalogueError> {
    if ctx.privacy_blocked {
        return Err(CatalogueError::PrivacyBlocked);
    }
    if ctx.files_blocked {
        return Err(CatalogueError::FilesBlocked);
    }
    if !ctx.has_required_links {
        return Err(CatalogueError::MissingRequiredLinks);
    }
    Ok(())
}

fn not_author(ctx: &TransitionCtx) -> Result<(), CatalogueError> {
    if ctx.actor_is_author {
        Err(CatalogueError::SelfApproval)
    } else {
        Ok(())
    }
}

/// The next state, or why the action is refused (the state is then unchanged).
///
/// | from | action | to | guards |
/// |---|---|---|---|
/// | Draft | Submit | InReview{1} | ready |
/// | InReview{s} | Approve | InReview{s+1}, or Published when s ≥ stages | not author; ready when final |
/// | InReview{s} | Reject{comment} | Draft | comment not blank |
/// | InReview{s} | Schedule{at} | Scheduled | not author; s ≥ stages; ready |
/// | InReview{s}, Scheduled, Unpublished | Withdraw | Draft | — |
/// | Scheduled | Schedule{at} | Scheduled | not author; ready |
/// | Scheduled | Publish | Published | not author; ready |
/// | Published | Unpublish{reason} | Unpublished | — |
///
/// Every other pair is [`CatalogueError::InvalidTransition`]. "ready" means
/// no privacy or attachment findings and the required links present. A stage
/// beyond `stages` (the site dropped a stage while the item waited) counts as
/// the final stage; stage 0 is refused. The timing chosen at the final stage
/// is part of the review ("确保…公开时机得当"), so the author may not
/// reschedule or publish a scheduled item early either.
pub fn transition(state: DocState, action: &ReviewAction, ctx: &TransitionCtx) -> Result<DocState, CatalogueError> {
    if !(1..=MAX_REVIEW_STAGES).contains(&ctx.stages) {
        return Err(CatalogueError::InvalidStageCount { stages: ctx.stages });
    }
    let check_stage = |stage: u8| {
        if stage == 0 {
            Err(CatalogueError::InvalidStage { stage, stages: ctx.stages })
        } else {
            Ok(())
        }
    };
    match (state, action) {
        (DocState::Draft, ReviewAction::Submit) => {
            ready_to_publish(ctx)?;
            Ok(DocState::InReview { stage: 1 })
        }
        (DocState::InReview { stage }, ReviewAction::Approve) => {
            check_stage(stage)?;
            not_author(ctx)?;
            if stage >= ctx.stages {
                ready_to_publish(ctx)?;
                Ok(DocState::Published)
            } else {
                Ok(DocState::InReview { stage: stage + 1 })
            }
        }
        (DocState::InReview { stage }, ReviewAction::Reject { comment }) => {
            check_stage(stage)?;
            if comment.trim().is_empty() {
                return Err(CatalogueError::EmptyRejectComment);
            }
            Ok(DocState::Draft)
        }
        (DocState::InReview { stage }, ReviewAction::Schedule { .. }) => {
            check_stage(stage)?;
            not_author(ctx)?;
            if stage < ctx.stages {
                return Err(CatalogueError::NotFinalStage { stage, stages: ctx.stages });
            }
            ready_to_publish(ctx)?;
            Ok(DocState::Scheduled)
        }
        (DocState::Scheduled, ReviewAction::Schedule { .. }) => {
            not_author(ctx)?;
            ready_to_publish(ctx)?;
            Ok(DocState::Scheduled)
        }
        (DocState::Scheduled, ReviewAction::Publish) => {
            not_author(ctx)?;
            ready_to_publish(ctx)?;
            Ok(DocState::Published)
        }
        (DocState::Published, ReviewAction::Unpublish { .. }) => Ok(DocState::Unpublished),
        (DocState::InReview { .. } | DocState::Scheduled | DocState::Unpublished, ReviewAction::Withdraw) => Ok(DocState::Draft),
        (from, action) => Err(CatalogueError::InvalidTransition {
            from,
            action: action.name(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    use DocState::*;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2021, 6, 1, 9, 0, 0).unwrap()
    }

    fn actions() -> Vec<ReviewAction> {
        vec![
            ReviewAction::Submit,
            ReviewAction::Approve,
            ReviewAction::Reject {
                comment: "请核对文号".into(),
            },
            ReviewAction::Reject {
                comment: " \u{3000}".into(),
            },
            ReviewAction::Schedule { at: at() },
            ReviewAction::Publish,
            ReviewAction::Unpublish {
                reason: UnpublishReason::PublishedInError,
            },
            ReviewAction::Unpublish {
                reason: UnpublishReason::Withdrawn,
            },
            ReviewAction::Withdraw,
        ]
    }

    const STATES: [DocState; 7] = [
        Draft,
        InReview { stage: 1 },
        InReview { stage: 2 },
        InReview { stage: 3 },
        Scheduled,
        Published,
        Unpublished,
    ];

    /// Expected outcome with three stages, a reviewer who is not the author
    /// and nothing blocking: `Ok(state)` or the error code.
    fn expected_3_stages(state: DocState, action: &ReviewAction) -> Result<DocState, &'static str> {
        use ReviewAction as A;
        match (state, action) {
            (Draft, A::Submit) => Ok(InReview { stage: 1 }),
            (InReview { stage: 1 }, A::Approve) => Ok(InReview { stage: 2 }),
            (InReview { stage: 2 }, A::Approve) => Ok(InReview { stage: 3 }),
            (InReview { stage: 3 }, A::Approve) => Ok(Published),
            (InReview { .. }, A::Reject { comment }) if comment.trim().is_empty() => Err("empty_reject_comment"),
            (InReview { .. }, A::Reject { .. }) => Ok(Draft),
            (InReview { stage: 1 | 2 }, A::Schedule { .. }) => Err("not_final_stage"),
            (InReview { stage: 3 }, A::Schedule { .. }) => Ok(Scheduled),
            (InReview { .. } | Scheduled | Unpublished, A::Withdraw) => Ok(Draft),
            (Scheduled, A::Schedule { .. }) => Ok(Scheduled),
            (Scheduled, A::Publish) => Ok(Published),
            (Published, A::Unpublish { .. }) => Ok(Unpublished),
            _ => Err("invalid_transition"),
        }
    }

    #[test]
    fn full_table_three_stages() {
        let ctx = TransitionCtx::new(3);
        let mut ok = 0;
        for state in STATES {
            for action in actions() {
                let got = transition(state, &action, &ctx).map_err(|e| e.code());
                assert_eq!(got, expected_3_stages(state, &action), "{state:?} × {action:?}");
                ok += usize::from(got.is_ok());
            }
        }
        // 63 pairs, of which these succeed: Draft·Submit, 3×Approve, 3×Reject
        // (with comment), Schedule at stage 3, 5×Withdraw (3 stages,
        // Scheduled, Unpublished), Scheduled·Schedule, Scheduled·Publish,
        // 2×Unpublish.
        assert_eq!(ok, 1 + 3 + 3 + 1 + 5 + 1 + 1 + 2);
    }

    #[test]
    fn stage_count_changes_what_is_final() {
        let one = TransitionCtx::new(1);
        assert_eq!(transition(InReview { stage: 1 }, &ReviewAction::Approve, &one), Ok(Published));
        assert_eq!(
            transition(InReview { stage: 1 }, &ReviewAction::Schedule { at: at() }, &one),
            Ok(Scheduled)
        );
        let two = TransitionCtx::new(2);
        assert_eq!(
            transition(InReview { stage: 1 }, &ReviewAction::Approve, &two),
            Ok(InReview { stage: 2 })
        );
        assert_eq!(transition(InReview { stage: 2 }, &ReviewAction::Approve, &two), Ok(Published));
        // The site dropped to two stages while the item waited at stage 3.
        assert_eq!(transition(InReview { stage: 3 }, &ReviewAction::Approve, &two), Ok(Published));
        assert_eq!(
            transition(InReview { stage: 0 }, &ReviewAction::Approve, &two).unwrap_err().code(),
            "invalid_stage"
        );
        for stages in [0, 4, 255] {
            let ctx = TransitionCtx::new(stages);
            for state in STATES {
                for action in actions() {
                    assert_eq!(
                        transition(state, &action, &ctx),
                        Err(CatalogueError::InvalidStageCount { stages }),
                        "{stages} {state:?} {action:?}"
                    );
                }
            }
        }
    }

    /// Every state × action with each blocking flag: the guarded steps fail
    /// with that flag's error, every other outcome is as without the flag.
    #[test]
    fn full_table_with_each_guard() {
        let base = TransitionCtx::new(3);
        let variants: [(TransitionCtx, &str); 4] = [
            (
                TransitionCtx {
                    actor_is_author: true,
                    ..base
                },
                "self_approval",
            ),
            (
                TransitionCtx {
                    privacy_blocked: true,
                    ..base
                },
                "privacy_blocked",
            ),
            (
                TransitionCtx {
                    files_blocked: true,
                    ..base
                },
                "files_blocked",
            ),
            (
                TransitionCtx {
                    has_required_links: false,
                    ..base
                },
                "missing_required_links",
            ),
        ];
        for (ctx, code) in variants {
            for state in STATES {
                for action in actions() {
                    let got = transition(state, &action, &ctx).map_err(|e| e.code());
                    let plain = expected_3_stages(state, &action);
                    let guarded = if code == "self_approval" {
                        // Checked before the stage, so a non-final Schedule
                        // also reports the author first.
                        matches!(
                            (state, &action),
                            (InReview { .. }, ReviewAction::Approve)
                                | (InReview { .. } | Scheduled, ReviewAction::Schedule { .. })
                                | (Scheduled, ReviewAction::Publish)
                        )
                    } else {
                        // Readiness is checked on submission and on every step
                        // into Published or Scheduled.
                        matches!(action, ReviewAction::Submit) && plain.is_ok() || matches!(plain, Ok(Published | Scheduled))
                    };
                    let want = if guarded { Err(code) } else { plain };
                    assert_eq!(got, want, "{code}: {state:?} × {action:?}");
                }
            }
        }
    }

    #[test]
    fn guard_order() {
        let all = TransitionCtx {
            stages: 3,
            actor_is_author: true,
            privacy_blocked: true,
            files_blocked: true,
            has_required_links: false,
        };
        assert_eq!(
            transition(InReview { stage: 3 }, &ReviewAction::Approve, &all).unwrap_err(),
            CatalogueError::SelfApproval
        );
        assert_eq!(
            transition(Draft, &ReviewAction::Submit, &all).unwrap_err(),
            CatalogueError::PrivacyBlocked
        );
        let files = TransitionCtx {
            privacy_blocked: false,
            ..all
        };
        assert_eq!(
            transition(Draft, &ReviewAction::Submit, &files).unwrap_err(),
            CatalogueError::FilesBlocked
        );
        // Rejecting and withdrawing are never blocked: they make nothing public.
        assert_eq!(
            transition(InReview { stage: 2 }, &ReviewAction::Reject { comment: "改".into() }, &all),
            Ok(Draft)
        );
        assert_eq!(transition(Scheduled, &ReviewAction::Withdraw, &all), Ok(Draft));
    }

    #[test]
    fn labels() {
        let names = ["初审", "复审", "终审"];
        assert_eq!(InReview { stage: 2 }.label_zh(&names), "待复审");
        assert_eq!(InReview { stage: 2 }.label_zh::<&str>(&[]), "待第2审");
        assert_eq!(stage_name(&names, 4), "第4审");
        assert_eq!(stage_name(&names, 0), "第0审");
        assert_eq!(UnpublishReason::PublishedInError.http_status(), 410);
        assert_eq!(UnpublishReason::Withdrawn.http_status(), 200);
        let e = transition(Published, &ReviewAction::Approve, &TransitionCtx::new(3)).unwrap_err();
        assert_eq!(e.to_string(), "cannot approve a document that is published");
        assert_eq!(e.message_zh(), "当前状态为“已发布”，不能执行“审核通过”操作。");
    }

    #[test]
    fn serde_shapes() {
        assert_eq!(
            serde_json::to_string(&InReview { stage: 2 }).unwrap(),
            r#"{"state":"in_review","stage":2}"#
        );
        assert_eq!(serde_json::to_string(&Draft).unwrap(), r#"{"state":"draft"}"#);
        let a: ReviewAction = serde_json::from_str(r#"{"action":"unpublish","reason":"published_in_error"}"#).unwrap();
        assert_eq!(
            a,
            ReviewAction::Unpublish {
                reason: UnpublishReason::PublishedInError
            }
        );
    }
}
