//! The synonym table: groups of words that mean the same to a citizen and to
//! an official (社保 = 社会保险, 医保 = 医疗保险, 公积金 = 住房公积金). Every
//! word of a group is rewritten to the group's first word before matching, so
//! a question and an entry meet whichever word each used.
//!
//! The table is edited per site as plain text, one group per line, words
//! separated by spaces, commas or 、; `#` starts a comment.

use std::collections::HashMap;

/// A parsed synonym table.
#[derive(Debug, Clone, Default)]
pub struct SynonymTable {
    canonical: HashMap<String, String>,
    groups: Vec<Vec<String>>,
}

/// A line of the table that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynonymLineError {
    pub line: usize,
    pub message: String,
}

impl SynonymTable {
    /// Parses the table; lines with fewer than two words, or words already in
    /// an earlier group, are reported and skipped.
    pub fn parse(text: &str) -> (SynonymTable, Vec<SynonymLineError>) {
        let mut table = SynonymTable::default();
        let mut errors = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("");
            let words: Vec<String> = line
                .split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | '=' | '；' | ';'))
                .map(|w| super::normalize(w).replace(' ', ""))
                .filter(|w| !w.is_empty())
                .collect();
            if words.is_empty() {
                continue;
            }
            if words.len() < 2 {
                errors.push(SynonymLineError {
                    line: i + 1,
                    message: format!("第 {} 行只有一个词，同义词组至少需要两个词", i + 1),
                });
                continue;
            }
            if let Some(dup) = words.iter().find(|w| table.canonical.contains_key(*w)) {
                errors.push(SynonymLineError {
                    line: i + 1,
                    message: format!("第 {} 行的“{dup}”已出现在前面的同义词组中", i + 1),
                });
                continue;
            }
            let mut group: Vec<String> = Vec::new();
            for w in words {
                if !group.contains(&w) {
                    group.push(w);
                }
            }
            for w in &group {
                table.canonical.insert(w.clone(), group[0].clone());
            }
            table.groups.push(group);
        }
        (table, errors)
    }

    /// The group's first word for `word`, or `None` when it is in no group.
    pub fn canonical(&self, word: &str) -> Option<&str> {
        self.canonical.get(word).map(String::as_str)
    }

    /// Every word of every group (for the segmenter's dictionary).
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.groups.iter().flatten().map(String::as_str)
    }

    pub fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The table as text, one group per line.
    pub fn to_text(&self) -> String {
        self.groups.iter().map(|g| g.join(" ")).collect::<Vec<_>>().join("\n")
    }
}

/// The table a new site starts with: everyday words and their official forms
/// as they appear in policy consultations.
pub const DEFAULT_SYNONYMS: &str = include_str!("default_synonyms.txt");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_map_to_their_first_word() {
        let (t, errors) = SynonymTable::parse("社保 社会保险\n医保，医疗保险、医疗保障\n# comment\n\n公积金 住房公积金");
        assert!(errors.is_empty());
        assert_eq!(t.canonical("社会保险"), Some("社保"));
        assert_eq!(t.canonical("医疗保障"), Some("医保"));
        assert_eq!(t.canonical("住房公积金"), Some("公积金"));
        assert_eq!(t.canonical("养老"), None);
        assert_eq!(t.groups().len(), 3);
    }

    #[test]
    fn bad_lines_are_reported_not_fatal() {
        let (t, errors) = SynonymTable::parse("社保\n社保 社会保险\n社会保险 劳保");
        assert_eq!(t.groups().len(), 1);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].line, 1);
        assert!(errors[1].message.contains("社会保险"));
    }

    #[test]
    fn traditional_and_width_are_normalised() {
        let (t, _) = SynonymTable::parse("醫保 醫療保險");
        assert_eq!(t.canonical("医疗保险"), Some("医保"));
    }

    #[test]
    fn default_table_parses_cleanly() {
        let (t, errors) = SynonymTable::parse(DEFAULT_SYNONYMS);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(t.groups().len() >= 30);
    }
}
