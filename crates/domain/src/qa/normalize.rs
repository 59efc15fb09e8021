//! Question normalisation: what makes 「敬老卡怎麼辦？」 and "敬老卡怎么办" the
//! same question before any matching starts.
//!
//! Steps, in order: full-width ASCII to half-width and upper to lower case;
//! Traditional to Simplified characters (`zhconv`, character tables only, so
//! regional vocabulary such as 网路 stays); punctuation and symbols become a
//! single space; Chinese numerals that count something (六十五岁, 两百元,
//! 三个月) become Arabic digits, so that they meet the digits users type.

/// Normalises a question or a query for matching.
pub fn normalize(text: &str) -> String {
    let mut half = String::with_capacity(text.len());
    let mut has_non_ascii = false;
    for c in text.chars() {
        let c = match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        has_non_ascii |= !c.is_ascii();
        half.extend(c.to_lowercase());
    }
    let simplified = if has_non_ascii { to_simplified(&half) } else { half };
    let mut spaced = String::with_capacity(simplified.len());
    let mut last_space = true;
    for c in simplified.chars() {
        if c.is_alphanumeric() || is_cjk(c) {
            spaced.push(c);
            last_space = false;
        } else if !last_space {
            spaced.push(' ');
            last_space = true;
        }
    }
    let trimmed = spaced.trim_end();
    numerals_to_digits(trimmed)
}

/// Traditional → Simplified, character by character, leaving characters
/// that already are Simplified alone. (The Traditional tables also map some
/// Simplified characters, e.g. 么 → 幺, which must not happen to text that is
/// Simplified already; a character that has a Traditional form of its own is
/// Simplified and is kept.)
fn to_simplified(text: &str) -> String {
    use zhconv::{Variant, zhconv};
    let hans = zhconv(text, Variant::ZhHans);
    let hant = zhconv(text, Variant::ZhHant);
    let (orig, hans, hant): (Vec<char>, Vec<char>, Vec<char>) = (text.chars().collect(), hans.chars().collect(), hant.chars().collect());
    if hans.len() != orig.len() || hant.len() != orig.len() {
        // A phrase rule changed the length: convert only where the
        // Simplified form is unambiguous, character by character.
        return orig
            .iter()
            .map(|&c| {
                let s = c.to_string();
                if zhconv(&s, Variant::ZhHant) != s {
                    c
                } else {
                    zhconv(&s, Variant::ZhHans).chars().next().unwrap_or(c)
                }
            })
            .collect();
    }
    orig.iter()
        .zip(hans.iter().zip(hant.iter()))
        .map(|(&o, (&s, &t))| if t != o { o } else { s })
        .collect()
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

fn digit(c: char) -> Option<u64> {
    crate::numerals::cn_digit(c).map(u64::from)
}

fn unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        '万' => 10_000,
        _ => return None,
    })
}

/// Measure words after which a run of Chinese numerals is a quantity.
const MEASURES: &[char] = &[
    '岁', '元', '块', '天', '日', '个', '年', '月', '周', '次', '人', '户', '张', '件', '份', '位', '名', '号', '层', '间', '台', '辆',
    '项', '套', '期', '类', '级', '倍',
];

/// Value of a numeral run such as 六十五, 两百, 一万二千, 三; `None` if the
/// run is not a well-formed number.
fn numeral_value(run: &[char]) -> Option<u64> {
    let mut total = 0u64;
    let mut section = 0u64;
    let mut pending: Option<u64> = None;
    for &c in run {
        if let Some(d) = digit(c) {
            if pending.is_some() && d != 0 {
                // Digit strings such as 一二三 are not counted numbers.
                return None;
            }
            pending = Some(d);
        } else if let Some(u) = unit(c) {
            let d = pending.take().unwrap_or(if u == 10 { 1 } else { 0 });
            if u == 10_000 {
                total += (section + d) * u;
                section = 0;
            } else {
                if d == 0 && u != 10 {
                    return None;
                }
                section += d * u;
            }
        }
    }
    Some(total + section + pending.unwrap_or(0))
}

fn numerals_to_digits(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let is_num = |c: char| digit(c).is_some() || unit(c).is_some();
        if is_num(chars[i]) {
            let start = i;
            while i < chars.len() && is_num(chars[i]) {
                i += 1;
            }
            let run = &chars[start..i];
            let next = chars.get(i).copied();
            let counted = next.is_some_and(|n| MEASURES.contains(&n)) && !(run.len() == 1 && run[0] == '万');
            let value = if counted { numeral_value(run) } else { None };
            match value {
                Some(v) => out.push_str(&v.to_string()),
                None => out.extend(run.iter()),
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_case_and_punctuation() {
        assert_eq!(normalize("ＡＢＣ１２３？"), "abc123");
        assert_eq!(normalize("敬老卡，怎么办？？"), "敬老卡 怎么办");
        assert_eq!(normalize("  社保  (个人) "), "社保 个人");
    }

    #[test]
    fn traditional_becomes_simplified() {
        assert_eq!(normalize("敬老卡怎麼辦理？"), "敬老卡怎么办理");
        assert_eq!(normalize("申請補助的資格"), "申请补助的资格");
        // Regional vocabulary is not rewritten.
        assert_eq!(normalize("網路申請"), "网路申请");
        // Simplified text stays as it is (the Traditional tables would turn 么 into 幺).
        assert_eq!(normalize("怎么办理，什么时候"), "怎么办理 什么时候");
        assert_eq!(normalize("敬老卡怎么辦"), "敬老卡怎么办");
    }

    #[test]
    fn counted_numerals_become_digits() {
        assert_eq!(normalize("年满六十五岁的老人"), "年满65岁的老人");
        assert_eq!(normalize("补助两百元"), "补助200元");
        assert_eq!(normalize("三个月内"), "3个月内");
        assert_eq!(normalize("一万二千元"), "12000元");
        assert_eq!(normalize("十岁"), "10岁");
        // Numerals that do not count anything stay as they are.
        assert_eq!(normalize("统一办理"), "统一办理");
        assert_eq!(normalize("一般情况"), "一般情况");
        assert_eq!(normalize("十分方便"), "十分方便");
    }
}
