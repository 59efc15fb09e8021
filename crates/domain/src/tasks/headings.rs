//! Part headings (`一、…`), item headings (`（一）…`) and the Chinese numerals
//! they are numbered with.

/// A parsed heading: its ordinal and its title without the numbering and
/// without the closing full stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Heading {
    pub ordinal: u32,
    pub title: String,
}

/// The value of a Chinese numeral from 一 to 九十九 (also 两 and 〇/零 as
/// digits); `None` for anything else.
pub(crate) fn cn_value(s: &str) -> Option<u32> {
    use crate::numerals::cn_digit as digit;
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [d] if *d == '十' => Some(10),
        [d] => digit(*d).filter(|v| *v > 0),
        ['十', e] => digit(*e).filter(|v| *v > 0).map(|e| 10 + e),
        [d, '十'] => digit(*d).filter(|v| *v > 1).map(|d| d * 10),
        [d, '十', e] => {
            let d = digit(*d).filter(|v| *v > 1)?;
            let e = digit(*e).filter(|v| *v > 0)?;
            Some(d * 10 + e)
        }
        _ => None,
    }
}

/// The Chinese numeral of `n` (1–99); other values are printed in Arabic
/// digits.
pub fn cn_numeral(n: u32) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n as usize].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", DIGITS[(n % 10) as usize]),
        20..=99 if n.is_multiple_of(10) => format!("{}十", DIGITS[(n / 10) as usize]),
        20..=99 => format!("{}十{}", DIGITS[(n / 10) as usize], DIGITS[(n % 10) as usize]),
        _ => n.to_string(),
    }
}

fn is_cn_numeral_char(c: char) -> bool {
    "〇零一二两三四五六七八九十".contains(c)
}

fn title_of(rest: &str) -> String {
    rest.trim().trim_end_matches(['。', '．', '.', '；', ';']).trim_end().to_owned()
}

/// `一、紧扣…` → ordinal 1, title `紧扣…`.
pub(super) fn parse_part(text: &str) -> Option<Heading> {
    let text = text.trim();
    let end = text.find(|c: char| !is_cn_numeral_char(c))?;
    let rest = text[end..].strip_prefix('、')?;
    let ordinal = cn_value(&text[..end])?;
    Some(Heading {
        ordinal,
        title: title_of(rest),
    })
}

/// `（一）做好…。` or `(一)做好…` → ordinal 1, title `做好…`.
pub(super) fn parse_item(text: &str) -> Option<Heading> {
    let text = text.trim();
    let inner = text.strip_prefix('（').or_else(|| text.strip_prefix('('))?;
    let close = inner.find(['）', ')'])?;
    let ordinal = cn_value(inner[..close].trim())?;
    let rest = inner[close..].trim_start_matches(['）', ')']);
    Some(Heading {
        ordinal,
        title: title_of(rest),
    })
}

/// The form two titles are compared in: no whitespace, no closing
/// punctuation, half-width parentheses made full-width.
pub(super) fn title_key(title: &str) -> String {
    title
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect::<String>()
        .trim_end_matches(['。', '．', '.', '；', ';'])
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_round_trip() {
        for n in 1..=99 {
            assert_eq!(cn_value(&cn_numeral(n)), Some(n), "{n}");
        }
        assert_eq!(cn_value("两"), Some(2));
        assert_eq!(cn_value("一十"), None);
        assert_eq!(cn_value(""), None);
        assert_eq!(cn_value("十十"), None);
    }

    #[test]
    fn headings() {
        let h = parse_part("一、紧扣“十四五”开好局起好步深化政务公开").unwrap();
        assert_eq!((h.ordinal, h.title.as_str()), (1, "紧扣“十四五”开好局起好步深化政务公开"));
        let h = parse_item("（十二）做好财政信息公开。").unwrap();
        assert_eq!((h.ordinal, h.title.as_str()), (12, "做好财政信息公开"));
        let h = parse_item("(三) 加强配套制度建设").unwrap();
        assert_eq!((h.ordinal, h.title.as_str()), (3, "加强配套制度建设"));
        assert_eq!(parse_part("（一）做好"), None);
        assert_eq!(parse_item("一、紧扣"), None);
        assert_eq!(parse_part("县政府办公室"), None);
    }
}
