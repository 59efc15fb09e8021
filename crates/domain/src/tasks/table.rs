//! The text form of the table: the header, the cells (tab-prefixed lines),
//! and the title lines of the notice in front of it.

use std::sync::LazyLock;

use regex::Regex;

use super::{Warning, WarningKind};

/// Cells per row: part heading, item heading, measures, lead units,
/// responsible units (the header's 工作任务 spans the first two).
pub(super) const COLUMNS: usize = 5;

/// One cell: the line its tab is on and its non-empty lines.
#[derive(Debug, Clone, Default)]
pub(super) struct Cell {
    pub line: usize,
    pub lines: Vec<String>,
}

impl Cell {
    pub fn joined(&self) -> String {
        self.lines.concat()
    }
}

/// The cells of one row, in column order (fewer than [`COLUMNS`] only for a
/// truncated last row).
#[derive(Debug, Clone)]
pub(super) struct RawRow {
    pub line: usize,
    pub cells: Vec<Cell>,
}

impl RawRow {
    pub fn cell(&self, i: usize) -> Option<&Cell> {
        self.cells.get(i)
    }
}

/// Where the header is: the index of its first line and of the line after it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Header {
    pub start: usize,
    pub body: usize,
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Finds the header: the cells 工作任务 / 贯彻举措 / 牵头单位 / 责任单位 on
/// consecutive non-blank lines (spaces inside a cell ignored), or all four on
/// one line.
pub(super) fn find_header(lines: &[&str]) -> Option<Header> {
    const REST: [&str; 3] = ["贯彻举措", "牵头单位", "责任单位"];
    for (i, line) in lines.iter().enumerate() {
        let first = squeeze(line);
        if first.contains("工作任务") && REST.iter().all(|w| first.contains(w)) {
            return Some(Header { start: i, body: i + 1 });
        }
        if first != "工作任务" {
            continue;
        }
        let mut want = REST.iter();
        let mut next = want.next();
        let mut j = i + 1;
        while let (Some(expected), Some(line)) = (next, lines.get(j)) {
            j += 1;
            let cell = squeeze(line);
            if cell.is_empty() {
                continue;
            }
            if cell != *expected {
                break;
            }
            next = want.next();
        }
        if next.is_none() {
            return Some(Header { start: i, body: j });
        }
    }
    None
}

/// The rows after the header.
///
/// Each tab starts a cell; text before a line's first tab continues the cell
/// above. A row is complete after [`COLUMNS`] cells, and the next tab starts
/// the next row. Text after a complete row with no tab anywhere after it is
/// the document's trailer (抄送 …) and ends the table.
pub(super) fn read_rows(lines: &[&str], body: usize, warnings: &mut Vec<Warning>) -> Vec<RawRow> {
    let last_tab = lines.iter().rposition(|l| l.contains('\t'));
    let mut rows = Vec::new();
    let mut cells: Vec<Cell> = Vec::new();
    for (idx, line) in lines.iter().enumerate().skip(body) {
        let lineno = idx + 1;
        let mut segments = line.split('\t');
        let lead = segments.next().unwrap_or("").trim();
        if !lead.is_empty() {
            if cells.len() == COLUMNS && last_tab.is_none_or(|t| t < idx) {
                break;
            }
            match cells.last_mut() {
                Some(cell) => cell.lines.push(lead.to_owned()),
                None => warnings.push(Warning::new(
                    lineno,
                    WarningKind::StrayText,
                    format!("表头之后、第一个单元格之前的文字已忽略：“{}”", excerpt(lead)),
                )),
            }
        }
        for segment in segments {
            if cells.len() == COLUMNS {
                rows.push(RawRow {
                    line: cells[0].line,
                    cells: std::mem::take(&mut cells),
                });
            }
            let segment = segment.trim();
            let lines = if segment.is_empty() { Vec::new() } else { vec![segment.to_owned()] };
            cells.push(Cell { line: lineno, lines });
        }
    }
    if !cells.is_empty() {
        if cells.len() < COLUMNS {
            warnings.push(Warning::new(
                cells[0].line,
                WarningKind::IncompleteRow,
                format!("最后一行只有{}个单元格（应为{}个），缺少的单元格按空白处理", cells.len(), COLUMNS),
            ));
        }
        rows.push(RawRow {
            line: cells[0].line,
            cells,
        });
    }
    rows
}

/// At most 20 characters of `s`, for messages.
pub(super) fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(20).collect();
    if s.chars().nth(20).is_some() {
        out.push('…');
    }
    out
}

static DOC_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{Han}A-Za-z]{1,20}[〔\[［]\d{4}[〕\]］]\d{1,5}号$").expect("valid doc number pattern"));
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{4}年\d{1,2}月\d{1,2}日").expect("valid date line pattern"));

/// The notice's 文号 (`巫山府办发〔2021〕48号`), if a line is just that.
pub(super) fn doc_number(notice: &[&str]) -> Option<String> {
    notice.iter().map(|l| squeeze(l)).find(|l| DOC_NUMBER.is_match(l))
}

/// The notice's title: the lines from one starting with `关于` to the one
/// ending with `通知` (at most 5 lines).
pub(super) fn notice_title(notice: &[&str]) -> Option<String> {
    let start = notice.iter().position(|l| l.trim().starts_with("关于"))?;
    let mut title = String::new();
    for line in notice[start..].iter().map(|l| l.trim()).filter(|l| !l.is_empty()).take(5) {
        title.push_str(line);
        if line.ends_with("通知") {
            return Some(title);
        }
    }
    None
}

/// The table's own title: the short lines right above the header
/// (`贯彻落实…任务分工` / `巫山县任务清单`), at most 3, none ending in
/// punctuation, being a date or part of the notice's own title (`关于…通知`);
/// it must name a list (清单, 分工, 任务, …).
pub(super) fn table_title(notice: &[&str]) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for line in notice.iter().rev().map(|l| l.trim()) {
        if line.is_empty() {
            continue;
        }
        let titleish = line.chars().count() <= 40
            && !line.ends_with(['。', '：', ':', '；', ';', '）', ')', '，', ','])
            && !DATE_LINE.is_match(line)
            && !line.starts_with("关于")
            && !line.ends_with("通知")
            && !line.contains('\t');
        if parts.len() == 3 || !titleish {
            break;
        }
        parts.push(line);
    }
    parts.reverse();
    let title = parts.concat();
    ["清单", "分工", "任务", "台账", "方案", "计划", "要点"]
        .iter()
        .any(|w| title.contains(w))
        .then_some(title)
}

/// `关于印发X的通知` → `X` (without 《》).
pub(super) fn title_from_notice(notice_title: &str) -> Option<String> {
    let inner = notice_title
        .strip_prefix("关于印发")
        .or_else(|| notice_title.strip_prefix("关于"))?;
    let inner = inner.strip_suffix("的通知").or_else(|| inner.strip_suffix("通知"))?;
    let inner = inner.trim_start_matches('《').trim_end_matches('》').trim();
    (!inner.is_empty()).then(|| inner.to_owned())
}
