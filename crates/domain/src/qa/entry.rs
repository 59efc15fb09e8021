//! A library entry's life: drafted, published (answers citizens), retired.
//! An entry whose linked policy lost force is flagged for review and is not
//! used for immediate answers until an editor has reviewed it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    Draft,
    Published,
    Retired,
}

impl EntryState {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryState::Draft => "draft",
            EntryState::Published => "published",
            EntryState::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Option<EntryState> {
        Some(match s {
            "draft" => EntryState::Draft,
            "published" => EntryState::Published,
            "retired" => EntryState::Retired,
            _ => return None,
        })
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            EntryState::Draft => "草稿",
            EntryState::Published => "已发布",
            EntryState::Retired => "已停用",
        }
    }
}

/// May the matcher answer with this entry at once (rather than only suggest
/// it)? Only a published entry that is not waiting for review after a linked
/// policy changed, and not past its own validity date.
pub fn auto_answerable(state: EntryState, needs_review: bool, valid_until: Option<chrono::NaiveDate>, today: chrono::NaiveDate) -> bool {
    state == EntryState::Published && !needs_review && valid_until.is_none_or(|d| d >= today)
}

/// Why an entry was flagged for review when a linked document changed.
pub fn review_reason(validity_label: &str, doc_title: &str) -> String {
    format!("关联政策《{doc_title}》已{validity_label}，请核实答复口径")
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("标准问题不能为空")]
    EmptyQuestion,
    #[error("问题不能超过 {max} 个字")]
    QuestionTooLong { max: usize },
    #[error("答复内容不能为空")]
    EmptyAnswer,
    #[error("答复内容不能超过 {max} 个字")]
    AnswerTooLong { max: usize },
}

impl EntryError {
    /// The field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            EntryError::EmptyQuestion | EntryError::QuestionTooLong { .. } => "question",
            EntryError::EmptyAnswer | EntryError::AnswerTooLong { .. } => "answer",
        }
    }
}

pub const QUESTION_MAX: usize = 300;
pub const ANSWER_MAX: usize = 50_000;

/// A question and answer that passed the checks: trimmed, non-empty, within
/// limits; similar questions de-duplicated and without the standard question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntryText {
    pub question: String,
    pub answer: String,
    pub similar: Vec<String>,
}

impl NewEntryText {
    pub fn parse(question: &str, answer: &str, similar: &[String]) -> Result<NewEntryText, EntryError> {
        let question = question.split_whitespace().collect::<Vec<_>>().join(" ");
        if question.is_empty() {
            return Err(EntryError::EmptyQuestion);
        }
        if question.chars().count() > QUESTION_MAX {
            return Err(EntryError::QuestionTooLong { max: QUESTION_MAX });
        }
        let answer = answer.trim().to_string();
        if answer.is_empty() {
            return Err(EntryError::EmptyAnswer);
        }
        if answer.chars().count() > ANSWER_MAX {
            return Err(EntryError::AnswerTooLong { max: ANSWER_MAX });
        }
        let key = |s: &str| super::normalize(s).replace(' ', "");
        let mut seen = vec![key(&question)];
        let mut out = Vec::new();
        for s in similar {
            let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            if s.is_empty() {
                continue;
            }
            if s.chars().count() > QUESTION_MAX {
                return Err(EntryError::QuestionTooLong { max: QUESTION_MAX });
            }
            let n = key(&s);
            if !seen.contains(&n) {
                seen.push(n);
                out.push(s);
            }
        }
        Ok(NewEntryText {
            question,
            answer,
            similar: out,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_trims_and_dedups() {
        let t = NewEntryText::parse(
            "  敬老卡  怎么办？ ",
            " 带身份证到区公所。 ",
            &["敬老卡怎么办?".into(), "老人卡哪里办".into(), "".into(), "老人卡哪里办".into()],
        )
        .unwrap();
        assert_eq!(t.question, "敬老卡 怎么办？");
        assert_eq!(t.answer, "带身份证到区公所。");
        assert_eq!(t.similar, vec!["老人卡哪里办".to_string()]);
    }

    #[test]
    fn parse_rejects_empty_and_long() {
        assert_eq!(NewEntryText::parse(" ", "a", &[]), Err(EntryError::EmptyQuestion));
        assert_eq!(NewEntryText::parse("问", "  ", &[]), Err(EntryError::EmptyAnswer));
        let long = "问".repeat(QUESTION_MAX + 1);
        assert_eq!(NewEntryText::parse(&long, "a", &[]).unwrap_err().field(), "question");
    }

    #[test]
    fn only_reviewed_published_entries_in_force_answer() {
        let today: chrono::NaiveDate = "2026-12-06".parse().unwrap();
        assert!(auto_answerable(EntryState::Published, false, None, today));
        assert!(auto_answerable(EntryState::Published, false, Some(today), today));
        assert!(!auto_answerable(EntryState::Published, false, today.pred_opt(), today));
        assert!(!auto_answerable(EntryState::Published, true, None, today));
        assert!(!auto_answerable(EntryState::Draft, false, None, today));
        assert!(!auto_answerable(EntryState::Retired, false, None, today));
    }
}
