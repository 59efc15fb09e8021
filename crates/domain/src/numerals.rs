//! Chinese numeral digits, shared by the readers of numbered headings
//! (`tasks`) and of counted quantities in questions (`qa::normalize`).

/// The value of one Chinese digit (两 and 〇/零 included).
pub(crate) fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}
