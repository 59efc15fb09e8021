//! `gongkai qa import FILE` and `gongkai qa export FILE`: the library as
//! JSONL (one entry per line) or as an xlsx workbook (one entry per row).
//!
//! A line needs `question` and `answer` and may carry `id` (kept as the
//! entry's external id: importing the same id again updates that entry),
//! `similar` (a list), `unit` (a unit's name or code; an unknown name is kept
//! as the answering unit's name), `officer`, `hotline_script`, `valid_until`
//! and `links` (document ids); other fields (e.g. the shared corpus's
//! `category`, `keywords`, `updated`) are ignored. Bad lines are reported
//! with their line number and reason and do not stop the import.

use crate::state::AppState;
use gongkai_domain::audit::NewEntry;
use gongkai_domain::qa::NewEntryText;
use gongkai_store::accounts::Unit;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub file: PathBuf,
    pub site: Option<String>,
    /// Import as drafts instead of published entries.
    pub draft: bool,
    pub progress: bool,
    pub actor: String,
}

#[derive(Debug, Default)]
pub struct ImportSummary {
    pub imported: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// (line or row number, reason)
    pub rejected: Vec<(u64, String)>,
}

#[derive(Debug, Deserialize, Default)]
struct Line {
    id: Option<serde_json::Value>,
    question: Option<String>,
    answer: Option<String>,
    #[serde(default)]
    similar: Vec<String>,
    unit: Option<String>,
    officer: Option<String>,
    hotline_script: Option<String>,
    valid_until: Option<String>,
    #[serde(default)]
    links: Vec<i64>,
}

fn external_id(v: &Option<serde_json::Value>) -> Result<Option<String>, String> {
    match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() && s.len() <= 128 => Ok(Some(s.trim().to_string())),
        Some(serde_json::Value::Number(n)) => Ok(Some(n.to_string())),
        _ => Err("id 应为不超过128个字符的字符串或数字".into()),
    }
}

/// Reads the records of a JSONL or xlsx file: (line/row number, record or error).
fn read_records(path: &Path) -> anyhow::Result<Vec<(u64, Result<Line, String>)>> {
    let is_xlsx = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_xlsx {
        return read_xlsx(path);
    }
    let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let n = i as u64 + 1;
            (n, serde_json::from_str::<Line>(l).map_err(|e| format!("不是有效的 JSON 对象：{e}")))
        })
        .collect())
}

/// Column headers understood in a workbook (English or Chinese).
fn column_key(h: &str) -> Option<&'static str> {
    Some(match h.trim() {
        "id" | "编号" | "外部编号" => "id",
        "question" | "标准问题" | "问题" => "question",
        "answer" | "答复" | "答复内容" | "答案" => "answer",
        "similar" | "相似问法" | "扩展问" => "similar",
        "unit" | "答复单位" | "单位" => "unit",
        "officer" | "政策解读专员" => "officer",
        "hotline_script" | "热线口径" | "热线答复口径" => "hotline_script",
        "valid_until" | "有效期至" => "valid_until",
        "links" | "关联文件" => "links",
        _ => return None,
    })
}

fn read_xlsx(path: &Path) -> anyhow::Result<Vec<(u64, Result<Line, String>)>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(path).map_err(|e| anyhow::anyhow!("cannot open workbook {}: {e}", path.display()))?;
    let sheet = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("the workbook has no sheet"))?;
    let range = wb
        .worksheet_range(&sheet)
        .map_err(|e| anyhow::anyhow!("cannot read sheet {sheet}: {e}"))?;
    let mut rows = range.rows();
    let header: Vec<Option<&'static str>> = rows
        .next()
        .map(|r| r.iter().map(|c| column_key(&c.to_string())).collect())
        .unwrap_or_default();
    if !header.contains(&Some("question")) || !header.contains(&Some("answer")) {
        anyhow::bail!("the first row must name the columns; question/标准问题 and answer/答复 are required");
    }
    let mut out = Vec::new();
    for (i, row) in rows.enumerate() {
        let n = i as u64 + 2;
        let mut line = Line::default();
        let mut empty = true;
        for (c, cell) in row.iter().enumerate() {
            let v = cell.to_string();
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            empty = false;
            match header.get(c).copied().flatten() {
                Some("id") => line.id = Some(serde_json::Value::String(v.to_string())),
                Some("question") => line.question = Some(v.to_string()),
                Some("answer") => line.answer = Some(v.to_string()),
                Some("similar") => {
                    line.similar = v
                        .split(['\n', '|', '｜'])
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                }
                Some("unit") => line.unit = Some(v.to_string()),
                Some("officer") => line.officer = Some(v.to_string()),
                Some("hotline_script") => line.hotline_script = Some(v.to_string()),
                Some("valid_until") => line.valid_until = Some(v.get(..10).unwrap_or(v).to_string()),
                Some("links") => {
                    let parsed: Result<Vec<i64>, _> = v
                        .split([',', '，', ' '])
                        .filter(|s| !s.is_empty())
                        .map(|s| s.parse::<i64>())
                        .collect();
                    match parsed {
                        Ok(l) => line.links = l,
                        Err(_) => {
                            out.push((n, Err("关联文件应为逗号分隔的信息编号".to_string())));
                            empty = true;
                            break;
                        }
                    }
                }
                _ => {}
            }
        }
        if !empty {
            out.push((n, Ok(line)));
        }
    }
    Ok(out)
}

fn find_unit<'a>(units: &'a [Unit], name: &str) -> Option<&'a Unit> {
    units.iter().find(|u| u.name == name || u.code == name)
}

/// The site with this code, or the first site.
async fn site_or_first(state: &AppState, code: Option<&str>) -> anyhow::Result<gongkai_store::accounts::Site> {
    Ok(match code {
        Some(code) => state
            .store
            .site_by_code(code)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no site with code {code}"))?,
        None => state
            .store
            .list_sites()
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| anyhow::anyhow!("no site yet: run `gongkai demo` or create one first"))?,
    })
}

/// Imports (or updates) entries from `opts.file`.
pub async fn import(state: &AppState, opts: &ImportOptions) -> anyhow::Result<ImportSummary> {
    let site = site_or_first(state, opts.site.as_deref()).await?;
    let units = state.store.list_units().await?;
    let records = read_records(&opts.file)?;
    let bar = if opts.progress {
        let b = indicatif::ProgressBar::new(records.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} [{elapsed_precise}] [{wide_bar}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut summary = ImportSummary::default();
    let state_name = if opts.draft { "draft" } else { "published" };
    for chunk in records.chunks(500) {
        let mut tx = state.store.begin().await?;
        let mut created = Vec::new();
        let mut changed = Vec::new();
        for (n, rec) in chunk {
            let line = match rec {
                Ok(l) => l,
                Err(e) => {
                    summary.rejected.push((*n, e.clone()));
                    continue;
                }
            };
            let ext = match external_id(&line.id) {
                Ok(x) => x,
                Err(e) => {
                    summary.rejected.push((*n, e));
                    continue;
                }
            };
            let (Some(q), Some(a)) = (&line.question, &line.answer) else {
                summary.rejected.push((*n, "缺少 question 或 answer".into()));
                continue;
            };
            let text = match NewEntryText::parse(q, a, &line.similar) {
                Ok(t) => t,
                Err(e) => {
                    summary.rejected.push((*n, e.to_string()));
                    continue;
                }
            };
            if let Some(d) = &line.valid_until
                && chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err()
            {
                summary.rejected.push((*n, "valid_until 应为 YYYY-MM-DD".into()));
                continue;
            }
            let unit_name = line.unit.clone().unwrap_or_default();
            let unit = find_unit(&units, unit_name.trim());
            let fields = super::entry_fields(
                &text.question,
                &text.answer,
                line.hotline_script.clone().filter(|s| !s.trim().is_empty()),
                unit.map(|u| u.id),
                unit.map(|u| u.name.clone()).unwrap_or(unit_name.trim().to_string()),
                line.officer.clone().filter(|s| !s.trim().is_empty()),
                line.valid_until.clone(),
            );
            let existing = match &ext {
                Some(x) => tx.qa_entry_by_external_id(site.id, x).await?,
                None => None,
            };
            match existing {
                Some(e) => {
                    let old_similar: Vec<String> = state.store.qa_similar_of(&[e.id]).await?.into_iter().map(|s| s.question).collect();
                    let same = e.question == fields.question
                        && e.answer_text == fields.answer_text
                        && e.unit_name == fields.unit_name
                        && e.officer == fields.officer
                        && e.hotline_script == fields.hotline_script
                        && e.valid_until == fields.valid_until
                        && old_similar == text.similar;
                    if same && line.links.is_empty() {
                        summary.unchanged += 1;
                        continue;
                    }
                    tx.update_qa_entry(e.id, &fields).await?;
                    tx.set_qa_similar(e.id, &text.similar).await?;
                    if !line.links.is_empty() {
                        tx.set_qa_links(e.id, &line.links)
                            .await
                            .map_err(|_| anyhow::anyhow!("line {n}: unknown document in links"))?;
                    }
                    changed.push(e.id);
                    summary.updated += 1;
                }
                None => {
                    let id = tx
                        .insert_qa_entry(site.id, ext.as_deref(), &fields, state_name, "import", &opts.actor)
                        .await?;
                    tx.set_qa_similar(id, &text.similar).await?;
                    if !line.links.is_empty() {
                        tx.set_qa_links(id, &line.links)
                            .await
                            .map_err(|_| anyhow::anyhow!("line {n}: unknown document in links"))?;
                    }
                    created.push(id);
                    summary.imported += 1;
                }
            }
        }
        if !created.is_empty() || !changed.is_empty() {
            tx.audit(
                NewEntry::new(opts.actor.clone(), "qa.import", "site", site.id).detail(serde_json::json!({
                    "file": opts.file.file_name().map(|f| f.to_string_lossy().to_string()),
                    "state": state_name,
                    "created": created,
                    "updated": changed,
                })),
            )
            .await?;
        }
        tx.commit().await?;
        bar.inc(chunk.len() as u64);
        bar.set_message(format!(
            "{} 新增 / {} 更新 / {} 拒绝",
            summary.imported,
            summary.updated,
            summary.rejected.len()
        ));
    }
    bar.finish_and_clear();
    state.qa.invalidate();
    Ok(summary)
}

/// Writes every entry of the site to a JSONL file or an xlsx workbook.
pub async fn export(state: &AppState, site: Option<&str>, out: &Path) -> anyhow::Result<u64> {
    let site = site_or_first(state, site).await?;
    let mut lines: Vec<serde_json::Value> = Vec::new();
    let mut after = 0;
    loop {
        let rows = state.store.qa_entries_after(site.id, after, 1000).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let similar = state.store.qa_similar_of(&ids).await?;
        let link_ids = state.store.qa_link_ids(&ids).await?;
        for r in rows {
            let links: Vec<i64> = link_ids.iter().filter(|l| l.0 == r.id).map(|l| l.1).collect();
            lines.push(serde_json::json!({
                "id": r.external_id.clone().unwrap_or_else(|| format!("gk-{}", r.id)),
                "question": r.question,
                "similar": similar.iter().filter(|s| s.entry_id == r.id).map(|s| s.question.clone()).collect::<Vec<_>>(),
                "answer": r.answer_text,
                "answer_html": r.answer,
                "unit": r.unit_name,
                "officer": r.officer,
                "hotline_script": r.hotline_script,
                "valid_until": r.valid_until,
                "links": links,
                "state": r.state,
                "needs_review": r.needs_review,
                "hits": r.hits,
                "updated": r.updated_at.get(..10),
            }));
        }
    }
    let is_xlsx = out
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_xlsx {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let cols = [
            "id",
            "question",
            "similar",
            "answer",
            "unit",
            "officer",
            "hotline_script",
            "valid_until",
            "links",
            "state",
        ];
        for (c, h) in cols.iter().enumerate() {
            ws.write_string(0, c as u16, *h)?;
        }
        for (r, l) in lines.iter().enumerate() {
            for (c, h) in cols.iter().enumerate() {
                let v = match &l[*h] {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Array(a) => a
                        .iter()
                        .map(|x| x.as_str().map(str::to_string).unwrap_or_else(|| x.to_string()))
                        .collect::<Vec<_>>()
                        .join(if *h == "similar" { "\n" } else { "," }),
                    other => other.to_string(),
                };
                ws.write_string(r as u32 + 1, c as u16, &v)?;
            }
        }
        wb.save(out)?;
    } else {
        let mut text = String::new();
        for l in &lines {
            text.push_str(&serde_json::to_string(l)?);
            text.push('\n');
        }
        std::fs::write(out, text).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
    }
    Ok(lines.len() as u64)
}
