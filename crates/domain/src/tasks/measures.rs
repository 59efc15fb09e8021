//! Splitting a 贯彻举措 cell into its numbered measures.

use serde::{Deserialize, Serialize};

use super::deadlines::{Deadline, find_deadlines};

/// One measure of a task row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    /// The number as printed, normalised: `"1"` for `1．`/`1.`/`1、`, `"(1)"`
    /// for `（1）`/`(1)`, `"①"`. `None` for a cell without numbers and for a
    /// lead-in paragraph (see [`split_measures`]).
    pub number: Option<String>,
    /// The measure without its number; paragraphs joined with `\n`.
    pub text: String,
    /// The time limits in [`Measure::text`].
    pub deadlines: Vec<Deadline>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Arabic,
    Paren,
    Circled,
}

struct Numbered<'a> {
    label: String,
    style: Style,
    value: u32,
    rest: &'a str,
}

/// `1．` `1.` `1、` `（1）` `(1)` `①` at the start of a line.
fn leading_number(line: &str) -> Option<Numbered<'_>> {
    if let Some(c) = line.chars().next()
        && ('①'..='⑳').contains(&c)
    {
        let value = c as u32 - '①' as u32 + 1;
        return Some(Numbered {
            label: c.to_string(),
            style: Style::Circled,
            value,
            rest: &line[c.len_utf8()..],
        });
    }
    if let Some(inner) = line.strip_prefix('（').or_else(|| line.strip_prefix('(')) {
        let digits = inner.find(|c: char| !c.is_ascii_digit()).unwrap_or(inner.len());
        if (1..=2).contains(&digits) {
            let value: u32 = inner[..digits].parse().ok()?;
            let after = &inner[digits..];
            let rest = after.strip_prefix('）').or_else(|| after.strip_prefix(')'))?;
            return Some(Numbered {
                label: format!("({value})"),
                style: Style::Paren,
                value,
                rest,
            });
        }
        return None;
    }
    let digits = line.find(|c: char| !c.is_ascii_digit()).unwrap_or(line.len());
    if !(1..=2).contains(&digits) {
        return None;
    }
    let value: u32 = line[..digits].parse().ok()?;
    let after = &line[digits..];
    let rest = match after.strip_prefix('.') {
        // `2.5万` is a number, not a list item (but `2．12345热线` is one).
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => return None,
        Some(rest) => rest,
        None => after.strip_prefix('．').or_else(|| after.strip_prefix('、'))?,
    };
    Some(Numbered {
        label: value.to_string(),
        style: Style::Arabic,
        value,
        rest,
    })
}

struct Segment {
    number: Option<(String, Style, u32)>,
    lines: Vec<String>,
}

/// Splits the lines of a 贯彻举措 cell into measures.
///
/// - A line starting with a number (`1．` `2.` `（1）` `(1)` `①`) starts a
///   measure; nested numbering (`1．政府网站。` then `（1）…`) gives one measure
///   per number, in order.
/// - A line without a number continues the measure above it
///   (`3．政府公报。` / `完善政府公报数据库…`).
/// - Except a lead-in: unnumbered paragraphs followed by a numbering that
///   restarts at 1 in the same style stand as their own measure without a
///   number (in the seed, `加强政策咨询服务，…` between measures 7 and a new 1).
/// - Text before the first number, or a cell without numbers, is one
///   unnumbered measure.
pub fn split_measures(lines: &[String], default_year: i32) -> Vec<Measure> {
    let mut segments: Vec<Segment> = Vec::new();
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        match leading_number(line) {
            Some(n) => segments.push(Segment {
                number: Some((n.label, n.style, n.value)),
                lines: vec![n.rest.trim().to_owned()],
            }),
            None => match segments.last_mut() {
                Some(last) => last.lines.push(line.to_owned()),
                None => segments.push(Segment {
                    number: None,
                    lines: vec![line.to_owned()],
                }),
            },
        }
    }
    let mut i = 0;
    while i + 1 < segments.len() {
        let restart = match (&segments[i].number, &segments[i + 1].number) {
            (Some((_, style, _)), Some((_, next_style, 1))) => style == next_style,
            _ => false,
        };
        if restart && segments[i].lines.len() > 1 {
            let lead_in = segments[i].lines.split_off(1);
            segments.insert(
                i + 1,
                Segment {
                    number: None,
                    lines: lead_in,
                },
            );
            i += 1;
        }
        i += 1;
    }
    segments
        .into_iter()
        .map(|s| {
            let text = s.lines.join("\n");
            let deadlines = find_deadlines(&text, default_year);
            Measure {
                number: s.number.map(|(label, _, _)| label),
                text,
                deadlines,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(str::to_owned).collect()
    }

    #[test]
    fn numbers() {
        let n = |s| leading_number(s).map(|n| n.label);
        assert_eq!(n("1．公开"), Some("1".into()));
        assert_eq!(n("12.公开"), Some("12".into()));
        assert_eq!(n("（3）严格"), Some("(3)".into()));
        assert_eq!(n("(3)严格"), Some("(3)".into()));
        assert_eq!(n("②统一"), Some("②".into()));
        assert_eq!(n("12345政务服务"), None);
        assert_eq!(n("2.5万元"), None);
        assert_eq!(n("2．12345政务服务"), Some("2".into()));
        assert_eq!(n("2．12345政务服务"), Some("2".into()));
        assert_eq!(n("2021年"), None);
        assert_eq!(n("（此件公开发布）"), None);
    }

    #[test]
    fn lead_in_before_restart() {
        let m = split_measures(&lines("1．甲。\n2．乙。\n加强政策咨询服务。\n1．丙。\n2．丁。"), 2021);
        let got: Vec<_> = m.iter().map(|m| (m.number.as_deref(), m.text.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (Some("1"), "甲。"),
                (Some("2"), "乙。"),
                (None, "加强政策咨询服务。"),
                (Some("1"), "丙。"),
                (Some("2"), "丁。")
            ]
        );
    }

    #[test]
    fn continuation_and_nesting() {
        let m = split_measures(
            &lines("1．政府网站。\n（1）甲。\n（2）乙。\n2．政府公报。\n完善数据库。\n3．专区。"),
            2021,
        );
        let got: Vec<_> = m.iter().map(|m| (m.number.as_deref(), m.text.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (Some("1"), "政府网站。"),
                (Some("(1)"), "甲。"),
                (Some("(2)"), "乙。"),
                (Some("2"), "政府公报。\n完善数据库。"),
                (Some("3"), "专区。")
            ]
        );
    }
}
