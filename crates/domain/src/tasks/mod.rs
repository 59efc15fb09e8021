//! The county's task responsibility list (任务清单): parsed from its text form
//! into parts, items and task rows with their units and time limits.
//!
//! # What it is for
//!
//! The importer behind `gongkai tasks import`. Each year the county office
//! breaks the city's 政务公开工作要点 down into a table of tasks with a lead
//! unit (牵头单位) and responsible units (责任单位); the seed document
//! 巫山府办发〔2021〕48号 is such a notice. Its point 四 asks every lead unit to
//! "制定条目式、可操作性、可量化的细化清单，建立工作台账": [`parse_plan`] turns the
//! published text into exactly those items — one [`TaskRow`] per row, split
//! into numbered [`Measure`]s, each with the [`Deadline`]s written into it —
//! so the work ledger starts from the official list instead of being typed
//! in again. What the parser is unsure of becomes a [`Warning`] for the
//! person importing to confirm; it never guesses silently.
//!
//! # The text form
//!
//! - Everything before the header cells 工作任务 / 贯彻举措 / 牵头单位 /
//!   责任单位 is the notice; [`Plan::title`] is the table's own title lines
//!   above the header, else the document named in the notice's title
//!   (`关于印发…的通知`), else [`DEFAULT_TITLE`].
//! - Every table cell starts with a TAB; a line without one continues the
//!   cell above; an empty cell (a merged cell, or one left blank) is a line
//!   that is just a tab. A row has five cells: part heading (`一、…`), item
//!   heading (`（一）…`, half-width parentheses accepted), 贯彻举措, 牵头单位,
//!   责任单位. The trailer after the last row (抄送 …) is not part of the table.
//! - Page breaks repeat the part (and often the item) heading. A heading
//!   with the ordinal and title of a part or item already seen is that same
//!   part or item. A heading with the title of the current one but another
//!   ordinal is also taken as the repeat, with a [`Warning`] (the seed's
//!   `（三）狠抓任务落实` after `（二）狠抓任务落实`, whose measures go on from 3). Any
//!   other heading is a new part or item; if its ordinal does not follow
//!   the previous one (skipped, repeated or going back) it is kept as printed
//!   and a [`Warning`] asks for confirmation.
//! - **Merged cells.** An empty 牵头单位 cell is a cell merged with the row
//!   above in the same item: the row takes that row's lead units
//!   ([`TaskRow::lead_inherited`]), and if its 责任单位 cell is empty too,
//!   that row's responsible units as well ([`TaskRow::responsible_inherited`]).
//!   An empty 责任单位 cell next to a printed 牵头单位 means the lead unit
//!   does the task alone: no responsible units, nothing inherited. This is
//!   what the seed's layout shows: the merged cells are the lead column of
//!   the 舆情 rows in 二（三） (县委网信办 printed once, then blank, and printed
//!   again after the page break), while blank responsible cells only ever
//!   sit next to a printed lead — in 一（二） the first row of the item has
//!   one, so there is nothing it could be merged with; in 一（一）
//!   `公开我县法定国土空间规划…` (lead 县规划自然资源局) inheriting
//!   县政府有关部门 from `公开我县国民经济和社会发展…` would hand the
//!   planning bureau's own plans to other departments; and in 一（四） it
//!   would make 县卫生健康委 responsible for its own lead task.
//! - Measures, unit names and time limits: see [`split_measures`],
//!   [`parse_units`] and [`find_deadlines`].
//!
//! # What it is not for
//!
//! - Storing plans, assigning tasks to accounts or sending reminders (the
//!   `store` and `app` crates). The rules of the work itself — 细化清单
//!   entries, 销号, the overdue and stalled checks behind the 通报, the
//!   year-end assessment and the diff of a revised list — are in `work`
//!   (re-exported here) and are pure too.
//! - Reading files: callers pass the text (`&str`); nothing here does I/O. A
//!   table read from a .docx or .xlsx by the app becomes this text form with
//!   [`text_from_table`] (a merged cell is an empty cell, as in the text).
//! - Counting working days: a [`Deadline::Relative`] in
//!   [`RelUnit::WorkingDays`] is resolved against an event date with
//!   [`crate::calendar`] by the caller.

mod deadlines;
mod headings;
mod measures;
mod table;
mod units;
mod work;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub use deadlines::{Deadline, Period, RelUnit, find_deadlines};
pub use measures::{Measure, split_measures};
pub use units::{CollectiveGroup, UnitRef, parse_units};
pub use work::{
    EntryFacts, EntryStatus, Evidence, Lagging, PlanDiff, RowSig, RowState, STALLED_AFTER_DAYS, Score, Target, TargetKind, Weights,
    WorkError, after_report, after_review, assess, diff_rows, grade, lagging_units, row_due, row_sigs, row_state, suggested_target,
};

pub use headings::cn_numeral;
use headings::{Heading, parse_item, parse_part, title_key};
use table::{RawRow, excerpt};

/// The title used when the document has none that can be read.
pub const DEFAULT_TITLE: &str = "任务清单";

/// A parsed task list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The list's title, e.g. `贯彻落实市政府办公厅2021年政务公开工作要点任务分工巫山县任务清单`.
    pub title: String,
    /// The notice's 文号, e.g. `巫山府办发〔2021〕48号`.
    pub doc_number: Option<String>,
    /// The notice's title (`关于印发…的通知`).
    pub notice_title: Option<String>,
    pub parts: Vec<Part>,
    /// What the person importing must confirm, in line order.
    pub warnings: Vec<Warning>,
}

/// A part of the list: `一、紧扣“十四五”开好局起好步深化政务公开`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// 一 = 1; 0 for rows before any part heading.
    pub ordinal: u32,
    /// The title without `一、`.
    pub title: String,
    /// The 1-based line of the first heading.
    pub line: usize,
    pub items: Vec<Item>,
}

/// An item of a part: `（一）做好各类规划主动公开。`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// （一） = 1; 0 for rows before any item heading of their part.
    pub ordinal: u32,
    /// The title without `（一）` and the closing `。`.
    pub title: String,
    /// The 1-based line of the first heading.
    pub line: usize,
    pub tasks: Vec<TaskRow>,
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRow {
    /// The 1-based line of the row's first cell.
    pub line: usize,
    /// The whole 贯彻举措 cell, lines joined with `\n`.
    pub text: String,
    pub measures: Vec<Measure>,
    pub lead_units: Vec<UnitRef>,
    pub responsible_units: Vec<UnitRef>,
    /// The 牵头单位 cell was empty and the units come from the row above.
    pub lead_inherited: bool,
    /// The 责任单位 cell was empty and the units come from the row above.
    pub responsible_inherited: bool,
    /// The deadlines of all measures, in order.
    pub deadlines: Vec<Deadline>,
}

/// What kind of thing a [`Warning`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// A heading's ordinal does not follow the previous one.
    OrdinalOutOfSequence,
    /// A heading repeats the current one's title with another ordinal.
    RepeatedHeadingOrdinal,
    /// A page-break repeat went back to an earlier part or item.
    BackToEarlierHeading,
    /// Rows before any part or item heading.
    MissingHeading,
    /// A heading cell whose text is not a heading.
    UnrecognisedHeading,
    /// A row with no lead unit and no row above to inherit from.
    EmptyLead,
    /// A row with units but no 贯彻举措.
    EmptyMeasures,
    /// The last row has fewer than five cells.
    IncompleteRow,
    /// Text in the table that belongs to no cell.
    StrayText,
}

/// Something the importer should confirm, with the line it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// 1-based line in the imported text.
    pub line: usize,
    pub kind: WarningKind,
    /// The message shown to users.
    pub message: String,
}

impl Warning {
    fn new(line: usize, kind: WarningKind, message: String) -> Self {
        Warning {
            line,
            kind,
            message: format!("第{line}行：{message}"),
        }
    }
}

/// Why a text could not be imported at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// No header row (工作任务 / 贯彻举措 / 牵头单位 / 责任单位).
    #[error("no table header (工作任务, 贯彻举措, 牵头单位, 责任单位) found")]
    HeaderNotFound,
    /// The header is there but no row with a measure or a unit follows.
    #[error("the table has no task rows")]
    NoTasks,
}

impl ImportError {
    /// The message shown to users.
    pub fn message_zh(&self) -> &'static str {
        match self {
            ImportError::HeaderNotFound => "未找到任务清单的表头（工作任务、贯彻举措、牵头单位、责任单位），请确认导入的是任务清单全文",
            ImportError::NoTasks => "任务清单表头之后没有任何任务",
        }
    }

    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::HeaderNotFound => "tasks.header_not_found",
            ImportError::NoTasks => "tasks.no_tasks",
        }
    }
}

impl Plan {
    /// Every task row, in order.
    pub fn tasks(&self) -> impl Iterator<Item = &TaskRow> {
        self.parts.iter().flat_map(|p| &p.items).flat_map(|i| &i.tasks)
    }

    /// The number of items over all parts.
    pub fn item_count(&self) -> usize {
        self.parts.iter().map(|p| p.items.len()).sum()
    }

    /// The number of task rows.
    pub fn task_count(&self) -> usize {
        self.tasks().count()
    }

    /// The number of measures over all task rows.
    pub fn measure_count(&self) -> usize {
        self.tasks().map(|t| t.measures.len()).sum()
    }

    /// The distinct named units (lead and responsible), in order of first
    /// appearance.
    pub fn unit_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for unit in self.tasks().flat_map(|t| t.lead_units.iter().chain(&t.responsible_units)) {
            if let UnitRef::Unit(name) = unit
                && !out.contains(&name.as_str())
            {
                out.push(name);
            }
        }
        out
    }

    /// The distinct collective groups, in order of first appearance.
    pub fn groups(&self) -> Vec<CollectiveGroup> {
        let mut out = Vec::new();
        for unit in self.tasks().flat_map(|t| t.lead_units.iter().chain(&t.responsible_units)) {
            if let UnitRef::Group(group) = unit
                && !out.contains(group)
            {
                out.push(*group);
            }
        }
        out
    }

    /// Looks a task up by the start of its 贯彻举措 text (after any number).
    pub fn find_task(&self, starts_with: &str) -> Option<&TaskRow> {
        self.tasks()
            .find(|t| t.text.starts_with(starts_with) || t.measures.first().is_some_and(|m| m.text.starts_with(starts_with)))
    }
}

/// Parses the text form of a task list. Dates without a year are in
/// `default_year`. Never panics; anything doubtful becomes a [`Warning`].
pub fn parse_plan(text: &str, default_year: i32) -> Result<Plan, ImportError> {
    let lines: Vec<&str> = text.lines().collect();
    let header = table::find_header(&lines).ok_or(ImportError::HeaderNotFound)?;
    let notice = &lines[..header.start];
    let doc_number = table::doc_number(notice);
    let notice_title = table::notice_title(notice);
    let title = table::table_title(notice)
        .or_else(|| notice_title.as_deref().and_then(table::title_from_notice))
        .unwrap_or_else(|| DEFAULT_TITLE.to_owned());

    let mut builder = Builder {
        default_year,
        parts: Vec::new(),
        part: None,
        item: None,
        warnings: Vec::new(),
    };
    let rows = table::read_rows(&lines, header.body, &mut builder.warnings);
    for row in &rows {
        builder.row(row);
    }
    let Builder { parts, mut warnings, .. } = builder;
    warnings.sort_by_key(|w| w.line);
    let plan = Plan {
        title,
        doc_number,
        notice_title,
        parts,
        warnings,
    };
    if plan.task_count() == 0 {
        return Err(ImportError::NoTasks);
    }
    Ok(plan)
}

struct Builder {
    default_year: i32,
    parts: Vec<Part>,
    part: Option<usize>,
    item: Option<usize>,
    warnings: Vec<Warning>,
}

impl Builder {
    fn warn(&mut self, line: usize, kind: WarningKind, message: String) {
        self.warnings.push(Warning::new(line, kind, message));
    }

    fn row(&mut self, row: &RawRow) {
        let text_of = |i: usize| row.cell(i).map(|c| c.joined()).unwrap_or_default();
        let line_of = |i: usize| row.cell(i).map_or(row.line, |c| c.line);
        let (part_text, item_text) = (text_of(0), text_of(1));

        let mut part_heading = parse_part(&part_text);
        let mut item_heading = parse_item(&item_text);
        // A heading one column off (a lost or an extra tab) is still a heading.
        if part_heading.is_none() && item_heading.is_none() {
            if let Some(h) = parse_item(&part_text) {
                item_heading = Some(h);
            } else if let Some(h) = parse_part(&item_text) {
                part_heading = Some(h);
            }
        }
        for (i, text) in [(0, &part_text), (1, &item_text)] {
            if !text.is_empty() && parse_part(text).is_none() && parse_item(text).is_none() {
                self.warn(
                    line_of(i),
                    WarningKind::UnrecognisedHeading,
                    format!("“{}”不是“一、”或“（一）”式的标题，已忽略", excerpt(text)),
                );
            }
        }
        if let Some(h) = part_heading {
            self.enter_part(h, line_of(0));
        }
        if let Some(h) = item_heading {
            self.enter_item(h, line_of(1));
        }

        let measure_lines: Vec<String> = row.cell(2).map(|c| c.lines.clone()).unwrap_or_default();
        let (lead_text, resp_text) = (text_of(3), text_of(4));
        if measure_lines.is_empty() && lead_text.is_empty() && resp_text.is_empty() {
            return;
        }
        let (part, item) = self.current_item(row.line);
        let default_year = self.default_year;
        let prev = self.parts[part].items[item].tasks.last();

        let lead_empty = parse_units(&lead_text).is_empty();
        let (lead_units, lead_inherited, lead_missing) = match (lead_empty, prev) {
            (false, _) => (parse_units(&lead_text), false, false),
            (true, Some(prev)) => (prev.lead_units.clone(), true, false),
            (true, None) => (Vec::new(), false, true),
        };
        let (responsible_units, responsible_inherited) = match (parse_units(&resp_text), prev) {
            (units, _) if !units.is_empty() => (units, false),
            (_, Some(prev)) if lead_empty => (prev.responsible_units.clone(), true),
            _ => (Vec::new(), false),
        };
        let measures = split_measures(&measure_lines, default_year);
        let deadlines = measures.iter().flat_map(|m| m.deadlines.iter().cloned()).collect();
        let task = TaskRow {
            line: row.line,
            text: measure_lines.join("\n"),
            measures,
            lead_units,
            responsible_units,
            lead_inherited,
            responsible_inherited,
            deadlines,
        };
        if lead_missing {
            self.warn(
                line_of(3),
                WarningKind::EmptyLead,
                "牵头单位为空，且同一事项中没有可沿用的上一行，请补充牵头单位".to_owned(),
            );
        }
        if task.measures.is_empty() {
            self.warn(
                line_of(2),
                WarningKind::EmptyMeasures,
                "该行有责任单位但贯彻举措为空，请确认".to_owned(),
            );
        }
        self.parts[part].items[item].tasks.push(task);
    }

    /// The current part and item, made up (with a warning) when the rows
    /// start without headings.
    fn current_item(&mut self, line: usize) -> (usize, usize) {
        let part = match self.part {
            Some(p) => p,
            None => {
                self.warn(
                    line,
                    WarningKind::MissingHeading,
                    "该行之前没有“一、”式的部分标题，已归入未命名部分".to_owned(),
                );
                self.parts.push(Part {
                    ordinal: 0,
                    title: String::new(),
                    line,
                    items: Vec::new(),
                });
                self.item = None;
                self.parts.len() - 1
            }
        };
        self.part = Some(part);
        let item = match self.item {
            Some(i) => i,
            None => {
                self.warn(
                    line,
                    WarningKind::MissingHeading,
                    "该行之前没有“（一）”式的事项标题，已归入未命名事项".to_owned(),
                );
                self.parts[part].items.push(Item {
                    ordinal: 0,
                    title: String::new(),
                    line,
                    tasks: Vec::new(),
                });
                self.parts[part].items.len() - 1
            }
        };
        self.item = Some(item);
        (part, item)
    }

    fn enter_part(&mut self, h: Heading, line: usize) {
        let key = title_key(&h.title);
        if let Some(i) = self.parts.iter().position(|p| p.ordinal == h.ordinal && title_key(&p.title) == key) {
            if self.part != Some(i) {
                if i + 1 != self.parts.len() {
                    self.warn(
                        line,
                        WarningKind::BackToEarlierHeading,
                        format!(
                            "重复出现前面的部分“{}、{}”，其后各行归入该部分，请确认",
                            cn_numeral(h.ordinal),
                            h.title
                        ),
                    );
                }
                self.part = Some(i);
                self.item = self.parts[i].items.len().checked_sub(1);
            }
            return;
        }
        if let Some(cur) = self.part.filter(|&p| title_key(&self.parts[p].title) == key) {
            let printed = self.parts[cur].ordinal;
            self.warn(
                line,
                WarningKind::RepeatedHeadingOrdinal,
                format!(
                    "部分“{}、{}”与上面的“{}、{}”同名但序号不同，按分页重复的表头并入“{}、”，请确认",
                    cn_numeral(h.ordinal),
                    h.title,
                    cn_numeral(printed),
                    self.parts[cur].title,
                    cn_numeral(printed)
                ),
            );
            return;
        }
        let expected = self.parts.last().map_or(1, |p| p.ordinal + 1);
        if h.ordinal != expected {
            self.warn(
                line,
                WarningKind::OrdinalOutOfSequence,
                format!(
                    "部分“{}、{}”的序号应为“{}”，已按原文保留，请确认",
                    cn_numeral(h.ordinal),
                    h.title,
                    cn_numeral(expected)
                ),
            );
        }
        self.parts.push(Part {
            ordinal: h.ordinal,
            title: h.title,
            line,
            items: Vec::new(),
        });
        self.part = Some(self.parts.len() - 1);
        self.item = None;
    }

    fn enter_item(&mut self, h: Heading, line: usize) {
        let part = match self.part {
            Some(p) => p,
            None => {
                self.warn(
                    line,
                    WarningKind::MissingHeading,
                    "事项标题之前没有“一、”式的部分标题，已归入未命名部分".to_owned(),
                );
                self.parts.push(Part {
                    ordinal: 0,
                    title: String::new(),
                    line,
                    items: Vec::new(),
                });
                self.part = Some(self.parts.len() - 1);
                self.parts.len() - 1
            }
        };
        let key = title_key(&h.title);
        let items = &self.parts[part].items;
        if let Some(i) = items.iter().position(|it| it.ordinal == h.ordinal && title_key(&it.title) == key) {
            if self.item != Some(i) && i + 1 != items.len() {
                self.warn(
                    line,
                    WarningKind::BackToEarlierHeading,
                    format!(
                        "重复出现前面的事项“（{}）{}”，其后各行归入该事项，请确认",
                        cn_numeral(h.ordinal),
                        h.title
                    ),
                );
            }
            self.item = Some(i);
            return;
        }
        if let Some(cur) = self.item.filter(|&i| title_key(&items[i].title) == key) {
            let printed = items[cur].ordinal;
            let msg = format!(
                "事项“（{}）{}”与上面的“（{}）{}”同名但序号不同，按分页重复的表头并入（{}），请确认",
                cn_numeral(h.ordinal),
                h.title,
                cn_numeral(printed),
                items[cur].title,
                cn_numeral(printed)
            );
            self.warn(line, WarningKind::RepeatedHeadingOrdinal, msg);
            return;
        }
        let expected = items.last().map_or(1, |it| it.ordinal + 1);
        if h.ordinal != expected {
            let msg = format!(
                "事项“（{}）{}”的序号应为“（{}）”，已按原文保留，请确认",
                cn_numeral(h.ordinal),
                h.title,
                cn_numeral(expected)
            );
            self.warn(line, WarningKind::OrdinalOutOfSequence, msg);
        }
        let items = &mut self.parts[part].items;
        items.push(Item {
            ordinal: h.ordinal,
            title: h.title,
            line,
            tasks: Vec::new(),
        });
        self.item = Some(items.len() - 1);
    }
}

/// The first 30 characters of `s` on one line.
fn first_30(s: &str) -> String {
    s.chars().map(|c| if c == '\n' { ' ' } else { c }).take(30).collect()
}

/// The text form of a table read from a Word or Excel file: the paragraphs
/// before it, then every cell as a tab-prefixed line, its further lines as
/// continuation lines. A row is padded to five cells; a merged (empty) cell
/// is a lone tab, as in the text form.
pub fn text_from_table(preamble: &[String], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for p in preamble {
        out.push_str(p.trim());
        out.push('\n');
    }
    for row in rows {
        let cells: Vec<&str> = row.iter().map(|c| c.trim()).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let is_header = cells.iter().any(|c| c.replace(char::is_whitespace, "") == "工作任务");
        let width = if is_header { cells.len() } else { cells.len().max(table::COLUMNS) };
        for i in 0..width {
            let cell = cells.get(i).copied().unwrap_or("");
            // The header's 工作任务 spans two columns: its empty second half is not a cell.
            if is_header && cell.is_empty() {
                continue;
            }
            let mut lines = cell.lines().map(str::trim).filter(|l| !l.is_empty());
            out.push('\t');
            if let Some(first) = lines.next() {
                out.push_str(first);
            }
            out.push('\n');
            for l in lines {
                out.push_str(l);
                out.push('\n');
            }
        }
    }
    out
}

/// A summary for the import preview:
/// `{"title", "parts", "items", "tasks", "measures", "units": [named units],
/// "groups": [group labels], "deadlines": [{"task", "date", "text"}],
/// "relative_deadlines": [{"task", "amount", "unit", "text"}],
/// "recurring": [{"task", "per", "at_least", "of_which", "text"}],
/// "warnings": [{"line", "kind", "message"}]}`. `task` is the first 30
/// characters of the measure the time limit is in.
pub fn summary_json(plan: &Plan) -> Value {
    let mut dated = Vec::new();
    let mut relative = Vec::new();
    let mut recurring = Vec::new();
    for measure in plan.tasks().flat_map(|t| &t.measures) {
        let task = first_30(&measure.text);
        for d in &measure.deadlines {
            match d {
                Deadline::Absolute { date, text } => {
                    dated.push(json!({"task": task, "date": date.format("%Y-%m-%d").to_string(), "text": text}))
                }
                Deadline::Relative { amount, unit, text } => {
                    relative.push(json!({"task": task, "amount": amount, "unit": unit.label_zh(), "text": text}))
                }
                Deadline::Recurring {
                    per,
                    at_least,
                    of_which,
                    text,
                } => recurring.push(json!({
                    "task": task,
                    "per": per.label_zh(),
                    "at_least": at_least,
                    "of_which": of_which.as_ref().map(|(label, n)| json!({"label": label, "at_least": n})),
                    "text": text,
                })),
            }
        }
    }
    json!({
        "title": plan.title,
        "parts": plan.parts.len(),
        "items": plan.item_count(),
        "tasks": plan.task_count(),
        "measures": plan.measure_count(),
        "units": plan.unit_names(),
        "groups": plan.groups().iter().map(|g| g.label_zh()).collect::<Vec<_>>(),
        "deadlines": dated,
        "relative_deadlines": relative,
        "recurring": recurring,
        "warnings": plan.warnings.iter().map(|w| json!({"line": w.line, "kind": w.kind, "message": w.message})).collect::<Vec<_>>(),
    })
}
