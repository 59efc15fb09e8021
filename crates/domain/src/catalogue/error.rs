//! The error of the catalogue rules other than number parsing (which has
//! [`super::DocNoError`] and [`super::IndexNoError`]).

use super::review::{DocState, action_label_zh};

/// Why a catalogue value or a review step was refused.
///
/// `Display` gives a precise English message for logs and the API;
/// [`CatalogueError::message_zh`] gives the message shown to users and
/// [`CatalogueError::code`] a stable machine-readable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    /// The title is empty after trimming.
    #[error("title is empty")]
    TitleEmpty,
    /// The title is longer than [`super::TITLE_MAX_CHARS`] characters.
    #[error("title is {len} characters long; at most {max} are allowed")]
    TitleTooLong { len: usize, max: usize },
    /// The title contains a control character (line break, tab, …).
    #[error("title contains a control character")]
    TitleControlChar,
    /// A column name is empty or longer than [`super::COLUMN_NAME_MAX_CHARS`].
    #[error("column name must be 1 to {max} characters long, got {len}")]
    ColumnNameLength { len: usize, max: usize },
    /// A column name contains a control character.
    #[error("column name contains a control character")]
    ColumnNameControlChar,
    /// A value is not one of a closed list (体裁, 主题分类, 有效性, 解读形式).
    #[error("unknown {what}: {value:?}")]
    UnknownValue { what: &'static str, value: String },
    /// A policy interpretation (or another item that needs links) has no
    /// linked policy document.
    #[error("an interpretation must be linked to at least one policy document before it is published")]
    MissingRequiredLinks,
    /// The site's number of review stages is outside 1..=3.
    #[error("a site has 1 to {max} review stages, got {stages}", max = super::MAX_REVIEW_STAGES)]
    InvalidStageCount { stages: u8 },
    /// The document claims a review stage that does not exist (stage 0).
    #[error("review stage {stage} does not exist (the site has {stages} stages)")]
    InvalidStage { stage: u8, stages: u8 },
    /// The action does not apply to the document's current state.
    #[error("cannot {action} a document that is {from}")]
    InvalidTransition { from: DocState, action: &'static str },
    /// The author tried to approve, schedule or publish their own document.
    #[error("the author of a document may not approve, schedule or publish it")]
    SelfApproval,
    /// A rejection without a (non-blank) comment.
    #[error("a rejection needs a comment")]
    EmptyRejectComment,
    /// The privacy guard has unresolved findings.
    #[error("the privacy check has unresolved findings")]
    PrivacyBlocked,
    /// The attachment checks have unresolved findings.
    #[error("the attachment checks have unresolved findings")]
    FilesBlocked,
    /// Scheduling was attempted before the final review stage.
    #[error("only the final review stage ({stages}) may approve for scheduled publication; the document is at stage {stage}")]
    NotFinalStage { stage: u8, stages: u8 },
}

impl CatalogueError {
    /// Stable machine-readable code (for the API envelope and tests).
    pub fn code(&self) -> &'static str {
        match self {
            CatalogueError::TitleEmpty => "title_empty",
            CatalogueError::TitleTooLong { .. } => "title_too_long",
            CatalogueError::TitleControlChar => "title_control_char",
            CatalogueError::ColumnNameLength { .. } => "column_name_length",
            CatalogueError::ColumnNameControlChar => "column_name_control_char",
            CatalogueError::UnknownValue { .. } => "unknown_value",
            CatalogueError::MissingRequiredLinks => "missing_required_links",
            CatalogueError::InvalidStageCount { .. } => "invalid_stage_count",
            CatalogueError::InvalidStage { .. } => "invalid_stage",
            CatalogueError::InvalidTransition { .. } => "invalid_transition",
            CatalogueError::SelfApproval => "self_approval",
            CatalogueError::EmptyRejectComment => "empty_reject_comment",
            CatalogueError::PrivacyBlocked => "privacy_blocked",
            CatalogueError::FilesBlocked => "files_blocked",
            CatalogueError::NotFinalStage { .. } => "not_final_stage",
        }
    }

    /// The message shown to users, in Simplified Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            CatalogueError::TitleEmpty => "标题不能为空。".to_owned(),
            CatalogueError::TitleTooLong { len, max } => format!("标题不能超过{max}个字符（当前{len}个）。"),
            CatalogueError::TitleControlChar => "标题不能包含换行符、制表符等控制字符。".to_owned(),
            CatalogueError::ColumnNameLength { max, .. } => format!("栏目名称长度应为1至{max}个字符。"),
            CatalogueError::ColumnNameControlChar => "栏目名称不能包含换行符、制表符等控制字符。".to_owned(),
            CatalogueError::UnknownValue { what, value } => format!("“{value}”不是有效的{}。", what_zh(what)),
            CatalogueError::MissingRequiredLinks => "政策解读须关联至少一件政策文件后才能提交或发布。".to_owned(),
            CatalogueError::InvalidStageCount { stages } => {
                format!("审核环节应为1至{}个，当前站点设置为{stages}个。", super::MAX_REVIEW_STAGES)
            }
            CatalogueError::InvalidStage { stage, stages } => format!("审核环节“第{stage}审”不存在（本站共{stages}个审核环节）。"),
            CatalogueError::InvalidTransition { from, action } => {
                format!(
                    "当前状态为“{}”，不能执行“{}”操作。",
                    from.label_zh::<&str>(&[]),
                    action_label_zh(action)
                )
            }
            CatalogueError::SelfApproval => "不能审核通过或发布本人起草的信息，请由其他审核人办理。".to_owned(),
            CatalogueError::EmptyRejectComment => "退回时须填写退回意见。".to_owned(),
            CatalogueError::PrivacyBlocked => "个人隐私检查发现的问题尚未处理，不能提交或发布。".to_owned(),
            CatalogueError::FilesBlocked => "附件检查发现的问题尚未处理，不能提交或发布。".to_owned(),
            CatalogueError::NotFinalStage { stage, stages } => {
                format!("只有最后一个审核环节（第{stages}审）才能设置定时发布，本信息当前处于第{stage}审。")
            }
        }
    }
}

fn what_zh(what: &str) -> &'static str {
    match what {
        "genre" => "体裁",
        "topic" => "主题分类",
        "validity" => "有效性",
        "interpretation kind" => "解读形式",
        "column kind" => "栏目类型",
        "unpublish reason" => "撤下原因",
        _ => "取值",
    }
}
