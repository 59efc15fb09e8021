//! A hint for repeat applications (重复申请, 第三十六条第（六）项): how alike two
//! application texts are. A person decides; this only suggests.

use std::collections::HashSet;

/// Similarity at or above which [`is_probable_repeat`] suggests 重复申请.
pub const REPEAT_THRESHOLD: f64 = 0.8;

/// Letters and digits only, full-width ASCII folded to half-width, lower case.
fn normalise(s: &str) -> Vec<char> {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn bigrams(chars: &[char]) -> HashSet<(char, char)> {
    match chars {
        [] => HashSet::new(),
        // A single character compares as itself.
        [c] => HashSet::from([(*c, '\0')]),
        _ => chars.windows(2).map(|w| (w[0], w[1])).collect(),
    }
}

/// Jaccard similarity of the character bigram sets of the two texts after
/// normalisation (punctuation, symbols and whitespace dropped, full-width
/// letters and digits folded, lower-cased). 1.0 for texts that normalise
/// identically, 0.0 when either has no letters or digits at all.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (bigrams(&normalise(a)), bigrams(&normalise(b)));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.intersection(&b).count();
    let union = a.len() + b.len() - common;
    common as f64 / union as f64
}

/// Whether `b` is probably a repeat of `a` ([`similarity`] ≥ 0.8).
pub fn is_probable_repeat(a: &str, b: &str) -> bool {
    similarity(a, b) >= REPEAT_THRESHOLD
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_and_width_are_ignored() {
        assert_eq!(similarity("申请公开2021年财政预算。", "申请公开 ２０２１年财政预算"), 1.0);
        assert_eq!(similarity("ABC", "abc"), 1.0);
    }

    #[test]
    fn different_and_empty_texts() {
        assert_eq!(similarity("", "申请"), 0.0);
        assert_eq!(similarity("，。", "，。"), 0.0);
        assert_eq!(similarity("甲", "甲"), 1.0);
        assert_eq!(similarity("甲乙", "丙丁"), 0.0);
        // 6 bigrams each, 4 shared: 4 / (6 + 6 - 4).
        assert!((similarity("请公开道路规划", "请公开道路计划") - 4.0 / 8.0).abs() < 1e-12);
    }

    #[test]
    fn repeat_threshold() {
        let a = "请公开本县2021年度城乡道路建设规划及其批复文件";
        assert!(is_probable_repeat(a, "请公开本县2021年度城乡道路建设规划及其批复文件。"));
        assert!(!is_probable_repeat(a, "请公开本县2022年度学校建设资金使用情况"));
    }
}
