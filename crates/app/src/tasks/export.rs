//! The completion report of a task list (the seed asks for it by 12月31日):
//! every row with its units and how far its entries got, the lagging units
//! and the assessment table, as an Excel workbook (`rust_xlsxwriter`), a
//! Word document (`docx-rs`) and the HTML body of a catalogue draft.

use super::{PlanData, RowState, average_progress, facts_of, names_of, row_state, weights_of};
use docx_rs::{AlignmentType, Docx, Paragraph, Run, RunFonts, Table, TableCell, TableRow};
use gongkai_domain::tasks::{Score, assess, cn_numeral, lagging_units};

/// One row of the report.
pub struct ReportRow {
    pub place: String,
    pub text: String,
    pub lead: String,
    pub responsible: String,
    pub entries: usize,
    pub closed: usize,
    pub progress: i64,
    pub state: RowState,
    pub due_on: String,
}

/// The report's figures.
pub struct Report {
    pub title: String,
    pub as_of: String,
    pub rows: Vec<ReportRow>,
    pub entries: usize,
    pub closed: usize,
    pub overdue: usize,
    pub scores: Vec<(String, Score)>,
    pub lagging: Vec<(String, usize, usize)>,
}

impl Report {
    pub fn from_data(d: &PlanData) -> Report {
        let by_row = d.entries_by_row();
        let rows = d
            .rows
            .iter()
            .map(|r| {
                let es = by_row.get(&r.id).cloned().unwrap_or_default();
                ReportRow {
                    place: format!("{}（{}）", cn_numeral(r.part_ordinal as u32), cn_numeral(r.item_ordinal as u32)),
                    text: r.text.clone(),
                    lead: names_of(&r.lead_names).join("、"),
                    responsible: names_of(&r.responsible_names).join("、"),
                    entries: es.len(),
                    closed: es.iter().filter(|e| e.status == "closed").count(),
                    progress: average_progress(&es),
                    state: row_state(&es, d.today),
                    due_on: r.due_on.clone().unwrap_or_default(),
                }
            })
            .collect();
        let facts = d.facts();
        let scores = assess(&facts, weights_of(&d.plan), d.today)
            .into_iter()
            .map(|s| (d.unit_name(s.unit_id).to_owned(), s))
            .collect();
        let lagging = lagging_units(&facts, d.today)
            .into_iter()
            .map(|l| (d.unit_name(l.unit_id).to_owned(), l.overdue, l.stalled))
            .collect();
        Report {
            title: format!("{}完成情况报告", d.plan.title),
            as_of: d.today.format("%Y年%-m月%-d日").to_string(),
            rows,
            entries: facts.len(),
            closed: d.entries.iter().filter(|e| e.status == "closed").count(),
            overdue: d.entries.iter().filter(|e| facts_of(e).overdue(d.today)).count(),
            scores,
            lagging,
        }
    }

    fn summary(&self) -> String {
        format!(
            "截至{}，清单共{}项任务，细化为{}个条目，已销号{}个，逾期未完成{}个。",
            self.as_of,
            self.rows.len(),
            self.entries,
            self.closed,
            self.overdue
        )
    }
}

pub fn workbook(r: &Report) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let s = wb.add_worksheet();
    s.set_name("任务完成情况")?;
    s.write_string_with_format(0, 0, &r.title, &bold)?;
    s.write_string(1, 0, r.summary())?;
    let head = [
        "序号",
        "部分（事项）",
        "贯彻举措",
        "牵头单位",
        "责任单位",
        "完成时限",
        "条目数",
        "已销号",
        "平均进度(%)",
        "状态",
    ];
    for (i, h) in head.iter().enumerate() {
        s.write_string_with_format(3, i as u16, *h, &bold)?;
    }
    for (i, row) in r.rows.iter().enumerate() {
        let n = i as u32 + 4;
        s.write_number(n, 0, (i + 1) as f64)?;
        s.write_string(n, 1, &row.place)?;
        s.write_string_with_format(n, 2, &row.text, &wrap)?;
        s.write_string_with_format(n, 3, &row.lead, &wrap)?;
        s.write_string_with_format(n, 4, &row.responsible, &wrap)?;
        s.write_string(n, 5, &row.due_on)?;
        s.write_number(n, 6, row.entries as f64)?;
        s.write_number(n, 7, row.closed as f64)?;
        s.write_number(n, 8, row.progress as f64)?;
        s.write_string(n, 9, row.state.label_zh())?;
    }
    s.set_column_width(2, 60)?;
    s.set_column_width(3, 18)?;
    s.set_column_width(4, 24)?;
    let a = wb.add_worksheet();
    a.set_name("考核评估")?;
    for (i, h) in ["单位", "条目数", "已销号", "按期完成", "有佐证", "逾期", "得分", "等次"]
        .iter()
        .enumerate()
    {
        a.write_string_with_format(0, i as u16, *h, &bold)?;
    }
    for (i, (name, sc)) in r.scores.iter().enumerate() {
        let n = i as u32 + 1;
        a.write_string(n, 0, name)?;
        a.write_number(n, 1, sc.entries as f64)?;
        a.write_number(n, 2, sc.closed as f64)?;
        a.write_number(n, 3, sc.on_time as f64)?;
        a.write_number(n, 4, sc.with_evidence as f64)?;
        a.write_number(n, 5, sc.overdue as f64)?;
        a.write_number(n, 6, sc.score)?;
        a.write_string(n, 7, sc.grade)?;
    }
    a.set_column_width(0, 24)?;
    wb.save_to_buffer()
}

fn run(text: &str, size: usize, bold: bool) -> Run {
    let r = Run::new()
        .add_text(text)
        .size(size)
        .fonts(RunFonts::new().east_asia("仿宋_GB2312").ascii("仿宋_GB2312").hi_ansi("仿宋_GB2312"));
    if bold { r.bold() } else { r }
}

fn cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(run(text, 21, false)))
}

fn head_cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(run(text, 21, true)))
}

pub fn document(r: &Report) -> Result<Vec<u8>, docx_rs::DocxError> {
    let mut d = Docx::new()
        .add_paragraph(Paragraph::new().add_run(run(&r.title, 36, true)).align(AlignmentType::Center))
        .add_paragraph(Paragraph::new().add_run(run(&r.summary(), 28, false)));
    let mut rows = vec![TableRow::new(
        ["序号", "贯彻举措", "牵头单位", "责任单位", "已销号/条目", "状态"]
            .iter()
            .map(|h| head_cell(h))
            .collect(),
    )];
    for (i, row) in r.rows.iter().enumerate() {
        rows.push(TableRow::new(vec![
            cell(&(i + 1).to_string()),
            cell(&row.text),
            cell(&row.lead),
            cell(&row.responsible),
            cell(&format!("{}/{}", row.closed, row.entries)),
            cell(row.state.label_zh()),
        ]));
    }
    d = d.add_table(Table::new(rows));
    if !r.lagging.is_empty() {
        d = d.add_paragraph(Paragraph::new().add_run(run("推进滞后单位", 28, true)));
        for (name, overdue, stalled) in &r.lagging {
            d = d.add_paragraph(Paragraph::new().add_run(run(
                &format!("{name}：逾期{overdue}项，30日以上未报送进展{stalled}项。"),
                28,
                false,
            )));
        }
    }
    d = d.add_paragraph(Paragraph::new().add_run(run("考核评估", 28, true)));
    let mut a = vec![TableRow::new(
        ["单位", "条目数", "已销号", "按期完成", "有佐证", "得分", "等次"]
            .iter()
            .map(|h| head_cell(h))
            .collect(),
    )];
    for (name, s) in &r.scores {
        a.push(TableRow::new(vec![
            cell(name),
            cell(&s.entries.to_string()),
            cell(&s.closed.to_string()),
            cell(&s.on_time.to_string()),
            cell(&s.with_evidence.to_string()),
            cell(&format!("{:.1}", s.score)),
            cell(s.grade),
        ]));
    }
    d = d.add_table(Table::new(a));
    let mut out = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut out)?;
    Ok(out.into_inner())
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The report as the HTML body of a catalogue document.
pub fn html(r: &Report) -> String {
    let mut s = format!(
        "<p>{}</p><table><thead><tr><th>序号</th><th>贯彻举措</th><th>牵头单位</th><th>责任单位</th><th>完成情况</th></tr></thead><tbody>",
        esc(&r.summary())
    );
    for (i, row) in r.rows.iter().enumerate() {
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}（{}/{}）</td></tr>",
            i + 1,
            esc(&row.text).replace('\n', "<br>"),
            esc(&row.lead),
            esc(&row.responsible),
            row.state.label_zh(),
            row.closed,
            row.entries
        ));
    }
    s.push_str("</tbody></table>");
    s
}

/// A 通报 (its stored JSON body) as the HTML body of a catalogue document.
pub fn notice_html(title: &str, body: &serde_json::Value) -> String {
    let mut s = format!(
        "<p>{}</p><p>经调度，以下单位存在任务逾期未完成或30日以上未报送进展的情况，现予通报，请相关单位抓紧整改落实：</p><ol>",
        esc(title)
    );
    for u in body["units"].as_array().into_iter().flatten() {
        s.push_str(&format!(
            "<li>{}：逾期{}项，30日以上未报送进展{}项。</li>",
            esc(u["unit"].as_str().unwrap_or_default()),
            u["overdue"].as_u64().unwrap_or(0),
            u["stalled"].as_u64().unwrap_or(0)
        ));
    }
    s.push_str("</ol>");
    s
}
