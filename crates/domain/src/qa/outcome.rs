//! The matcher's decision. A calibrated confidence (the estimated probability
//! that the best candidate answers the question) is compared with two
//! thresholds: above `answer` and auto-answerable, the citizen gets the answer
//! at once; above `suggest`, the best candidates are shown; below, the
//! matcher abstains and the question goes to a person.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Answer,
    Suggest,
    Abstain,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Answer => "answer",
            Outcome::Suggest => "suggest",
            Outcome::Abstain => "abstain",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Some(match s {
            "answer" => Outcome::Answer,
            "suggest" => Outcome::Suggest,
            "abstain" => Outcome::Abstain,
            _ => return None,
        })
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Outcome::Answer => "直接答复",
            Outcome::Suggest => "推荐相近问题",
            Outcome::Abstain => "转人工",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    pub answer: f32,
    pub suggest: f32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { answer: 0.6, suggest: 0.3 }
    }
}

impl Thresholds {
    /// The decision for the best candidate's confidence.
    pub fn decide(&self, confidence: f32, auto_answerable: bool) -> Outcome {
        if confidence >= self.answer && auto_answerable {
            Outcome::Answer
        } else if confidence >= self.suggest {
            Outcome::Suggest
        } else {
            Outcome::Abstain
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decide_by_thresholds() {
        let t = Thresholds { answer: 0.7, suggest: 0.3 };
        assert_eq!(t.decide(0.9, true), Outcome::Answer);
        assert_eq!(t.decide(0.9, false), Outcome::Suggest);
        assert_eq!(t.decide(0.5, true), Outcome::Suggest);
        assert_eq!(t.decide(0.1, true), Outcome::Abstain);
    }
}
