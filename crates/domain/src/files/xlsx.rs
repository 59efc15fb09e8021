//! Excel workbooks (SpreadsheetML, ECMA-376 Part 1 §18): hidden sheets,
//! hidden rows and columns that hold values, comments, unlisted worksheet
//! parts and embedded files; and the text of every cell.

use super::package::{Package, XmlEvent, attr, walk, xml_bool};
use super::{FileError, HiddenFinding, HiddenKind, Inspection, describe_numbers_zh};
use std::collections::{BTreeSet, HashSet};

/// The last column Excel supports (XFD).
const MAX_COLUMN: u32 = 16_384;
/// The last row Excel supports.
const MAX_ROW: u32 = 1_048_576;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SheetState {
    Visible,
    Hidden,
    VeryHidden,
}

struct SheetEntry {
    name: String,
    state: SheetState,
    relationship: Option<String>,
}

pub(super) fn inspect(package: &mut Package<'_>) -> Result<Inspection, FileError> {
    const WORKBOOK: &str = "xl/workbook.xml";
    let workbook = package.require_xml(WORKBOOK)?;
    let sheets = parse_workbook(WORKBOOK, &workbook)?;
    let relationships = package.relationships(WORKBOOK)?;

    let shared_strings_part = relationships
        .iter()
        .find(|r| r.is("sharedStrings"))
        .map(|r| r.target.clone())
        .unwrap_or_else(|| "xl/sharedStrings.xml".to_string());
    let shared = match package.read_xml(&shared_strings_part)? {
        Some(xml) => parse_shared_strings(&shared_strings_part, &xml)?,
        None => Vec::new(),
    };
    let mut used = vec![false; shared.len()];

    let mut findings = Vec::new();
    // Blocks of text joined by newlines: each sheet (name, then rows), comments, unused strings.
    let mut text = TextBlocks::default();
    let mut seen_parts: HashSet<String> = HashSet::new();
    let mut comment_text = String::new();

    for sheet in &sheets {
        let location = format!("工作表“{}”", sheet.name);
        match sheet.state {
            SheetState::Visible => {}
            SheetState::Hidden => findings.push(HiddenFinding::new(HiddenKind::HiddenSheet, &location, "")),
            SheetState::VeryHidden => findings.push(HiddenFinding::new(
                HiddenKind::HiddenSheet,
                &location,
                "深度隐藏（veryHidden），在 Excel 的“取消隐藏”列表中也看不到",
            )),
        }

        let target = sheet
            .relationship
            .as_ref()
            .and_then(|id| relationships.iter().find(|r| &r.id == id))
            .map(|r| r.target.clone())
            .ok_or_else(|| FileError::Corrupt(format!("{WORKBOOK}: sheet {:?} has no relationship to a part", sheet.name)))?;
        let xml = package
            .read_xml(&target)?
            .ok_or_else(|| FileError::Corrupt(format!("sheet part {target} is missing")))?;
        seen_parts.insert(target.to_lowercase());
        let scan = scan_worksheet(&target, &xml, &shared, &mut used)?;
        text.push(format!("{}\n{}", sheet.name, scan.text));
        if !scan.hidden_rows.is_empty() {
            let rows = |a: u32, b: u32| if a == b { format!("第{a}行") } else { format!("第{a}至{b}行") };
            findings.push(HiddenFinding::new(
                HiddenKind::HiddenRows,
                &location,
                describe_numbers_zh(&scan.hidden_rows, rows, "行"),
            ));
        }
        if !scan.hidden_columns.is_empty() {
            let columns = |a: u32, b: u32| {
                if a == b {
                    format!("{}列", column_letters(a))
                } else {
                    format!("{}至{}列", column_letters(a), column_letters(b))
                }
            };
            findings.push(HiddenFinding::new(
                HiddenKind::HiddenColumns,
                &location,
                describe_numbers_zh(&scan.hidden_columns, columns, "列"),
            ));
        }

        let mut legacy = 0usize;
        let mut threaded = 0usize;
        for relationship in package.relationships(&target)? {
            let threaded_kind = relationship.is("threadedComment");
            if !(threaded_kind || relationship.is("comments")) || !seen_parts.insert(relationship.target.to_lowercase()) {
                continue;
            }
            if let Some(xml) = package.read_xml(&relationship.target)? {
                let (count, words) = scan_comments(&relationship.target, &xml)?;
                *(if threaded_kind { &mut threaded } else { &mut legacy }) += count;
                comment_text.push_str(&words);
            }
        }
        // Excel keeps a legacy note for each thread, so the larger count is the number of comments.
        let comments = legacy.max(threaded);
        if comments > 0 {
            findings.push(HiddenFinding::new(HiddenKind::Comments, &location, format!("共{comments}条")));
        }
    }

    // Parts the sheet list does not reach still travel with the file.
    let names: Vec<String> = package.names().to_vec();
    for name in &names {
        let lower = name.to_lowercase();
        if seen_parts.contains(&lower) || !lower.ends_with(".xml") {
            continue;
        }
        if lower.starts_with("xl/worksheets/") && !lower.contains("/_rels/") {
            let Some(xml) = package.read_xml(name)? else { continue };
            let scan = scan_worksheet(name, &xml, &shared, &mut used)?;
            if scan.has_values {
                findings.push(HiddenFinding::new(
                    HiddenKind::HiddenSheet,
                    format!("工作表部件“{name}”"),
                    "不在工作簿的工作表列表中，Excel 不显示它，但文件中仍有它的数据",
                ));
                text.push(scan.text);
            }
        } else if is_comments_part(&lower) {
            let Some(xml) = package.read_xml(name)? else { continue };
            let (count, words) = scan_comments(name, &xml)?;
            if count > 0 {
                findings.push(HiddenFinding::new(
                    HiddenKind::Comments,
                    format!("批注部件“{name}”"),
                    format!("共{count}条"),
                ));
                comment_text.push_str(&words);
            }
        }
    }

    let embedded: Vec<&str> = names
        .iter()
        .filter(|n| n.to_lowercase().starts_with("xl/embeddings/") && !n.ends_with('/'))
        .map(String::as_str)
        .collect();
    if !embedded.is_empty() {
        findings.push(HiddenFinding::new(
            HiddenKind::EmbeddedObjects,
            "工作簿",
            super::docx::describe_embedded(&embedded),
        ));
    }

    text.push(comment_text);
    // Shared strings no cell uses are still in the file.
    for (string, _) in shared.iter().zip(&used).filter(|(s, used)| !**used && !s.trim().is_empty()) {
        text.push(string.clone());
    }
    Ok(Inspection {
        findings,
        text: Some(text.0.join("\n")),
        properties: None,
    })
}

/// Text blocks without trailing newlines; empty blocks are dropped.
#[derive(Default)]
struct TextBlocks(Vec<String>);

impl TextBlocks {
    fn push(&mut self, block: String) {
        let block = block.trim_end();
        if !block.is_empty() {
            self.0.push(block.to_string());
        }
    }
}

fn is_comments_part(lower: &str) -> bool {
    let Some(file) = lower.strip_prefix("xl/") else { return false };
    (file.starts_with("comments") && !file.contains('/')) || (file.starts_with("threadedcomments/") && !file.contains("/_rels/"))
}

fn parse_workbook(part: &str, xml: &str) -> Result<Vec<SheetEntry>, FileError> {
    let mut sheets = Vec::new();
    let mut in_sheets = false;
    walk(part, xml, |event| {
        match event {
            XmlEvent::Open { name: "sheets", .. } => in_sheets = true,
            XmlEvent::Close { name: "sheets" } => in_sheets = false,
            _ => {}
        }
        if let XmlEvent::Open { name: "sheet", element } = event
            && in_sheets
        {
            let name = attr(element, "name")?.ok_or_else(|| FileError::Corrupt(format!("{part}: a sheet has no name")))?;
            let state = match attr(element, "state")?.as_deref() {
                Some("hidden") => SheetState::Hidden,
                Some("veryHidden") => SheetState::VeryHidden,
                _ => SheetState::Visible,
            };
            sheets.push(SheetEntry {
                name,
                state,
                relationship: attr(element, "id")?,
            });
        }
        Ok(())
    })?;
    Ok(sheets)
}

/// The shared string table: each `<si>` is the text of its `<t>` elements,
/// without phonetic runs (`<rPh>`).
fn parse_shared_strings(part: &str, xml: &str) -> Result<Vec<String>, FileError> {
    let mut strings = Vec::new();
    let mut current: Option<String> = None;
    let mut phonetic = 0usize;
    let mut in_t = false;
    walk(part, xml, |event| {
        match event {
            XmlEvent::Open { name: "si", .. } => current = Some(String::new()),
            XmlEvent::Close { name: "si" } => strings.push(current.take().unwrap_or_default()),
            XmlEvent::Open { name: "rPh", .. } => phonetic += 1,
            XmlEvent::Close { name: "rPh" } => phonetic = phonetic.saturating_sub(1),
            XmlEvent::Open { name: "t", .. } => in_t = current.is_some() && phonetic == 0,
            XmlEvent::Close { name: "t" } => in_t = false,
            XmlEvent::Text(s) if in_t => current.get_or_insert_with(String::new).push_str(s),
            _ => {}
        }
        Ok(())
    })?;
    Ok(strings)
}

#[derive(Default)]
struct SheetScan {
    /// Hidden rows holding at least one value, ascending.
    hidden_rows: Vec<u32>,
    /// Hidden columns holding at least one value, ascending.
    hidden_columns: Vec<u32>,
    /// One line per row with text, cells separated by tabs.
    text: String,
    has_values: bool,
}

#[derive(Default)]
struct Cell {
    column: u32,
    cell_type: String,
    value: String,
    inline: String,
    has_value: bool,
}

#[derive(Default)]
struct Row {
    number: u32,
    hidden: bool,
    has_values: bool,
    cells: Vec<String>,
}

#[derive(Default)]
struct WorksheetScanner<'s> {
    shared: &'s [String],
    scan: SheetScan,
    hidden_column_ranges: Vec<(u32, u32)>,
    value_columns: BTreeSet<u32>,
    in_cols: bool,
    in_sheet_data: bool,
    last_row: u32,
    last_column: u32,
    row: Option<Row>,
    cell: Option<Cell>,
    in_v: bool,
    in_inline: bool,
    in_inline_t: bool,
    phonetic: usize,
}

fn scan_worksheet(part: &str, xml: &str, shared: &[String], used: &mut [bool]) -> Result<SheetScan, FileError> {
    let mut s = WorksheetScanner {
        shared,
        ..Default::default()
    };
    walk(part, xml, |event| {
        match event {
            XmlEvent::Open { name: "cols", .. } if !s.in_sheet_data => s.in_cols = true,
            XmlEvent::Close { name: "cols" } => s.in_cols = false,
            XmlEvent::Open { name: "col", element } if s.in_cols && is_true(element, "hidden")? => {
                let number =
                    |name: &str| -> Result<Option<u32>, FileError> { Ok(attr(element, name)?.and_then(|v| v.trim().parse().ok())) };
                if let (Some(min), Some(max)) = (number("min")?, number("max")?) {
                    s.hidden_column_ranges.push((min, max.min(MAX_COLUMN)));
                }
            }
            XmlEvent::Open { name: "sheetData", .. } => s.in_sheet_data = true,
            XmlEvent::Close { name: "sheetData" } => s.in_sheet_data = false,
            XmlEvent::Open { name: "row", element } if s.in_sheet_data => {
                let number = attr(element, "r")?
                    .and_then(|v| v.trim().parse::<u32>().ok())
                    .filter(|n| (1..=MAX_ROW).contains(n));
                let number = number.unwrap_or(s.last_row.saturating_add(1));
                let hidden = is_true(element, "hidden")?;
                s.last_row = number;
                s.last_column = 0;
                s.row = Some(Row {
                    number,
                    hidden,
                    ..Default::default()
                });
            }
            XmlEvent::Close { name: "row" } if s.in_sheet_data => {
                if let Some(row) = s.row.take() {
                    if row.hidden && row.has_values {
                        s.scan.hidden_rows.push(row.number);
                    }
                    if !row.cells.is_empty() {
                        s.scan.text.push_str(&row.cells.join("\t"));
                        s.scan.text.push('\n');
                    }
                }
            }
            XmlEvent::Open { name: "c", element } if s.row.is_some() => {
                let column = attr(element, "r")?
                    .and_then(|r| column_of(&r))
                    .unwrap_or(s.last_column.saturating_add(1));
                s.last_column = column;
                s.cell = Some(Cell {
                    column,
                    cell_type: attr(element, "t")?.unwrap_or_default(),
                    ..Default::default()
                });
            }
            XmlEvent::Close { name: "c" } => {
                if let (Some(cell), Some(row)) = (s.cell.take(), s.row.as_mut()) {
                    let text = match cell.cell_type.as_str() {
                        "s" => match cell.value.trim().parse::<usize>().ok().filter(|&i| i < s.shared.len()) {
                            Some(i) => {
                                used[i] = true;
                                s.shared[i].clone()
                            }
                            None => String::new(),
                        },
                        "inlineStr" => cell.inline,
                        "b" | "e" => String::new(),
                        _ => cell.value,
                    };
                    if cell.has_value {
                        row.has_values = true;
                        s.scan.has_values = true;
                        s.value_columns.insert(cell.column);
                    }
                    if !text.trim().is_empty() {
                        row.cells.push(text);
                    }
                }
            }
            XmlEvent::Open { name: "v", .. } if s.cell.is_some() => s.in_v = true,
            XmlEvent::Close { name: "v" } => s.in_v = false,
            XmlEvent::Open { name: "is", .. } if s.cell.is_some() => s.in_inline = true,
            XmlEvent::Close { name: "is" } => s.in_inline = false,
            XmlEvent::Open { name: "rPh", .. } => s.phonetic += 1,
            XmlEvent::Close { name: "rPh" } => s.phonetic = s.phonetic.saturating_sub(1),
            XmlEvent::Open { name: "t", .. } => s.in_inline_t = s.in_inline && s.phonetic == 0,
            XmlEvent::Close { name: "t" } => s.in_inline_t = false,
            XmlEvent::Text(text) => {
                if let Some(cell) = s.cell.as_mut() {
                    if s.in_v {
                        cell.value.push_str(text);
                        cell.has_value |= !text.trim().is_empty();
                    } else if s.in_inline_t {
                        cell.inline.push_str(text);
                        cell.has_value |= !text.trim().is_empty();
                    }
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    let ranges = std::mem::take(&mut s.hidden_column_ranges);
    s.scan.hidden_columns = s
        .value_columns
        .iter()
        .copied()
        .filter(|c| ranges.iter().any(|&(min, max)| (min..=max).contains(c)))
        .collect();
    Ok(s.scan)
}

/// Whether a boolean attribute is present and true (`hidden="0"` is not hidden).
fn is_true(element: &quick_xml::events::BytesStart<'_>, name: &str) -> Result<bool, FileError> {
    Ok(attr(element, name)?.as_deref().and_then(xml_bool) == Some(true))
}

/// The column number of a cell reference: `B3` → 2, `AA10` → 27.
fn column_of(reference: &str) -> Option<u32> {
    let letters: &str = &reference[..reference.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(reference.len())];
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let column = letters
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1));
    (column <= MAX_COLUMN).then_some(column)
}

/// `1` → `A`, `27` → `AA`.
fn column_letters(mut column: u32) -> String {
    let mut letters = Vec::new();
    while column > 0 {
        let remainder = (column - 1) % 26;
        letters.push(b'A' + remainder as u8);
        column = (column - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Counts notes (`<comment>`) or threaded comments (`<threadedComment>`) and collects their text.
fn scan_comments(part: &str, xml: &str) -> Result<(usize, String), FileError> {
    let mut count = 0usize;
    let mut text = String::new();
    let mut in_text = 0usize;
    let mut phonetic = 0usize;
    walk(part, xml, |event| {
        match event {
            XmlEvent::Open {
                name: "comment" | "threadedComment",
                ..
            } => count += 1,
            XmlEvent::Close {
                name: "comment" | "threadedComment",
            } => text.push('\n'),
            XmlEvent::Open { name: "text", .. } => in_text += 1,
            XmlEvent::Close { name: "text" } => in_text = in_text.saturating_sub(1),
            XmlEvent::Open { name: "rPh", .. } => phonetic += 1,
            XmlEvent::Close { name: "rPh" } => phonetic = phonetic.saturating_sub(1),
            XmlEvent::Text(s) if in_text > 0 && phonetic == 0 => text.push_str(s),
            _ => {}
        }
        Ok(())
    })?;
    Ok((count, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_references() {
        assert_eq!(column_of("A1"), Some(1));
        assert_eq!(column_of("b3"), Some(2));
        assert_eq!(column_of("AA10"), Some(27));
        assert_eq!(column_of("XFD1"), Some(16_384));
        assert_eq!(column_of("XFE1"), None);
        assert_eq!(column_of("123"), None);
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(16_384), "XFD");
    }

    #[test]
    fn shared_strings_skip_phonetic_runs() {
        let xml =
            r#"<sst><si><t>甲</t></si><si><r><t>A</t></r><r><t xml:space="preserve"> B</t></r><rPh><t>ふり</t></rPh></si><si/></sst>"#;
        assert_eq!(parse_shared_strings("s", xml).unwrap(), vec!["甲", "A B", ""]);
    }

    #[test]
    fn worksheet_scan_reports_only_hidden_rows_and_columns_with_values() {
        let xml = r#"<worksheet><cols><col min="2" max="3" hidden="1"/><col min="5" max="16384" hidden="true"/><col min="4" max="4" hidden="0"/></cols>
            <sheetData>
              <row r="1"><c r="A1" t="s"><v>0</v></c><c r="D1"><v>13800138000</v></c></row>
              <row r="2" hidden="1"><c r="A2" t="inlineStr"><is><t>机密</t></is></c><c r="C2"><v>7</v></c></row>
              <row r="3" hidden="1"/>
              <row r="4" hidden="0"><c r="A4" t="b"><v>1</v></c></row>
              <row hidden="1"><c><v>5</v></c></row>
            </sheetData></worksheet>"#;
        let shared = vec!["名称".to_string()];
        let mut used = vec![false];
        let scan = scan_worksheet("s", xml, &shared, &mut used).unwrap();
        assert_eq!(scan.hidden_rows, vec![2, 5]);
        assert_eq!(scan.hidden_columns, vec![3]);
        assert_eq!(scan.text, "名称\t13800138000\n机密\t7\n5\n");
        assert!(used[0]);
    }
}
