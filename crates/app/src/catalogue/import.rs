//! Bulk import of documents that were published elsewhere
//! (`gongkai import documents FILE.jsonl`).
//!
//! # Format
//!
//! One JSON object per line (JSONL, UTF-8):
//!
//! ```json
//! {"id": "external key, unique per site", "site": "wsx", "unit": "wsx-czj",
//!  "column": "normative-documents", "kind": "document", "title": "…",
//!  "doc_no": "巫山财发〔2021〕7号", "issuer": "巫山县财政局",
//!  "written_on": "2021-04-20", "published_on": "2021-04-25",
//!  "topic": "finance_audit", "genre": "measures", "validity": "in_force",
//!  "effective_on": "2021-05-01", "expires_on": "2026-04-30",
//!  "body": "<p>…</p>", "attachments": ["files/附件1.pdf"]}
//! ```
//!
//! - `id` (required): the document's key in the old system, unique per site.
//!   Importing a line whose `(site, id)` exists updates that document (a new
//!   version) instead of adding one; an identical line changes nothing.
//! - `site`: site code; default the `--site` flag, else the first site.
//! - `unit`: unit code (as in `gongkai unit list`) or exact unit name.
//! - `column`: column slug (e.g. `normative-documents`, `other-documents`,
//!   `notices`, `interpretations-text`; see the default column tree).
//! - `kind`: `document` or `interpretation`; default what the column holds.
//!   Interpretations need `links`: external ids of the policy documents they
//!   interpret (imported earlier in the file or before).
//! - `title`, `doc_no`, `issuer` (default the unit's name), `written_on`,
//!   `published_on` (default `written_on`; one of them is required), `topic`
//!   and `genre` (code or Chinese label), `validity` (`in_force`, `expired`,
//!   `repealed`, `amended` or 现行有效/失效/废止/已修改), `effective_on`,
//!   `expires_on`, `validity_changed_on` and `validity_reason` (for the
//!   banner of a no-longer-valid document), `body` (HTML or plain text,
//!   sanitised), `transcript` (video interpretations).
//! - `attachments`: paths relative to the JSONL file's folder.
//! - `labels`: free-form, ignored (the generator's ground truth).
//!
//! Any other key is refused (so that a misspelt key is not silently lost).
//!
//! # Rules
//!
//! Every line is checked with the editor form's rules
//! ([`super::parse_input`]: title, 文号, dates, topic, genre, validity, body),
//! the privacy scanner (a line with personal data is refused, like a draft
//! the guard holds) and, for attachments, the upload checks
//! (`gongkai_domain::files::check`; hidden content, or a file whose text
//! cannot be read for the privacy check, refuses the line; the extracted
//! text is stored for search). Good lines are published directly with their `published_on` date, with a
//! version row, a review event `import` and one audit entry
//! (`document.import` / `interpretation.import`) each, in one transaction per
//! batch. Bad lines go to the errors file (line number, English code, Chinese
//! reason) and never stop the batch.
//!
//! The import is resumable: after each batch a checkpoint next to the input
//! (`FILE.jsonl.import-state`) records the byte offset, line number and
//! counts; the next run continues from there unless `--restart`. A finished
//! import removes its checkpoint.

use super::{KIND_DOCUMENT, KIND_INTERPRETATION, column_kind, parse_input};
use crate::state::AppState;
use gongkai_domain::audit::NewEntry;
use gongkai_domain::catalogue::{IndexNo, check_interpretation_links};
use gongkai_domain::privacy::ScanOptions;
use gongkai_store::accounts::Unit;
use gongkai_store::catalogue::{ColumnRow, DocumentFields, ImportedRef, ImportedState, NewDocument, NewVersion};
use std::collections::HashMap;
use std::io::{BufRead, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Longest external id accepted, in characters.
pub const EXTERNAL_ID_MAX_CHARS: usize = 200;

fn nullable<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    use serde::Deserialize;
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// One line of the import file (see the module documentation).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportLine {
    pub id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub site: String,
    #[serde(default, deserialize_with = "nullable")]
    pub unit: String,
    #[serde(default, deserialize_with = "nullable")]
    pub column: String,
    #[serde(default, deserialize_with = "nullable")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub title: String,
    #[serde(default, deserialize_with = "nullable")]
    pub doc_no: String,
    #[serde(default, deserialize_with = "nullable")]
    pub issuer: String,
    #[serde(default, deserialize_with = "nullable")]
    pub written_on: String,
    #[serde(default, deserialize_with = "nullable")]
    pub published_on: String,
    #[serde(default, deserialize_with = "nullable")]
    pub topic: String,
    #[serde(default, deserialize_with = "nullable")]
    pub genre: String,
    #[serde(default, deserialize_with = "nullable")]
    pub validity: String,
    #[serde(default, deserialize_with = "nullable")]
    pub effective_on: String,
    #[serde(default, deserialize_with = "nullable")]
    pub expires_on: String,
    #[serde(default, deserialize_with = "nullable")]
    pub validity_changed_on: String,
    #[serde(default, deserialize_with = "nullable")]
    pub validity_reason: String,
    #[serde(default, deserialize_with = "nullable")]
    pub body: String,
    #[serde(default, deserialize_with = "nullable")]
    pub transcript: String,
    #[serde(default)]
    pub links: Vec<String>,
    #[serde(default)]
    pub attachments: Vec<String>,
    #[serde(default)]
    pub labels: Option<serde::de::IgnoredAny>,
}

/// Why a line was refused: a stable English code, the field when one is at
/// fault, and the Chinese reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LineError {
    pub code: String,
    pub field: Option<String>,
    pub reason: String,
}

impl LineError {
    fn new(code: impl Into<String>, field: Option<&str>, reason: impl Into<String>) -> LineError {
        LineError {
            code: code.into(),
            field: field.map(str::to_string),
            reason: reason.into(),
        }
    }

    fn field(field: &str, reason: impl Into<String>) -> LineError {
        LineError::new(format!("invalid_{field}"), Some(field), reason)
    }
}

/// Parses one line's JSON.
pub fn parse_line(line: &str) -> Result<ImportLine, LineError> {
    let parsed: ImportLine = serde_json::from_str(line).map_err(|e| {
        let msg = e.to_string();
        if e.is_syntax() || e.is_eof() {
            LineError::new("malformed_json", None, format!("不是合法的 JSON（第{}列附近）", e.column()))
        } else if let Some(rest) = msg.strip_prefix("unknown field `") {
            let name = rest.split('`').next().unwrap_or("");
            LineError::new("unknown_field", Some(name), format!("未知字段“{name}”"))
        } else if let Some(rest) = msg.strip_prefix("missing field `") {
            let name = rest.split('`').next().unwrap_or("");
            LineError::new("missing_field", Some(name), format!("缺少必填字段“{name}”"))
        } else {
            LineError::new("invalid_value", None, format!("字段类型不正确：{msg}"))
        }
    })?;
    let id = parsed.id.trim();
    if id.is_empty() {
        return Err(LineError::new("missing_id", Some("id"), "缺少外部编号（id）"));
    }
    if id.chars().count() > EXTERNAL_ID_MAX_CHARS || id.chars().any(char::is_control) {
        return Err(LineError::new(
            "invalid_id",
            Some("id"),
            format!("外部编号（id）不超过{EXTERNAL_ID_MAX_CHARS}个字符，且不能含控制字符"),
        ));
    }
    Ok(parsed)
}

/// The fields of a line checked with the editor form's rules against a
/// column, plus what the import adds (publication date, validity banner).
#[derive(Debug, Clone)]
pub struct Checked {
    pub kind: &'static str,
    pub fields: DocumentFields,
    pub state: ImportedState,
}

/// Checks a line's fields against `column` (the domain rules of the editor
/// form, via [`parse_input`]) and the privacy scanner.
pub fn check_against(line: &ImportLine, column: &ColumnRow, default_issuer: &str, scan: &ScanOptions) -> Result<Checked, LineError> {
    let input = super::DocumentInput {
        column_id: column.id,
        title: line.title.clone(),
        issuer: line.issuer.clone(),
        doc_no: line.doc_no.clone(),
        written_on: line.written_on.clone(),
        topic: line.topic.clone(),
        genre: line.genre.clone(),
        validity: line.validity.clone(),
        effective_on: line.effective_on.clone(),
        expires_on: line.expires_on.clone(),
        body: line.body.clone(),
        transcript: line.transcript.clone(),
        links: vec![],
    };
    let (fields, interp) = parse_input(&input, column, default_issuer).map_err(|(f, m)| LineError::field(f, m))?;
    let kind = if interp.is_some() { KIND_INTERPRETATION } else { KIND_DOCUMENT };
    match line.kind.trim() {
        "" => {}
        k if k == kind => {}
        "document" | "interpretation" | "政策文件" | "政策解读" => {
            return Err(LineError::new(
                "kind_column_mismatch",
                Some("kind"),
                format!(
                    "栏目“{}”不能发布{}",
                    column.name,
                    if interp.is_some() { "政策文件" } else { "政策解读" }
                ),
            ));
        }
        k => {
            return Err(LineError::new(
                "invalid_kind",
                Some("kind"),
                format!("类型“{k}”不正确，应为 document 或 interpretation"),
            ));
        }
    }
    if interp.is_some() {
        check_interpretation_links(line.links.len()).map_err(|e| LineError::new("missing_links", Some("links"), e.message_zh()))?;
    }
    let date = |field: &'static str, label: &str, s: &str| -> Result<Option<String>, LineError> {
        match s.trim() {
            "" => Ok(None),
            v => super::parse_date(v)
                .map(|d| Some(d.to_string()))
                .ok_or_else(|| LineError::field(field, format!("{label}格式不正确，应为 YYYY-MM-DD"))),
        }
    };
    let published_on = match date("published_on", "发布日期", &line.published_on)? {
        Some(d) => d,
        None => fields.written_on.clone().ok_or_else(|| {
            LineError::new(
                "missing_published_on",
                Some("published_on"),
                "缺少发布日期（published_on），也没有成文日期可代替",
            )
        })?,
    };
    let validity = gongkai_domain::catalogue::Validity::parse(&fields.validity).unwrap_or(gongkai_domain::catalogue::Validity::InForce);
    let in_force = validity == gongkai_domain::catalogue::Validity::InForce;
    let changed_on = date("validity_changed_on", "有效性变更日期", &line.validity_changed_on)?;
    let validity_changed_on = if in_force {
        None
    } else {
        changed_on.or_else(|| {
            (validity == gongkai_domain::catalogue::Validity::Expired)
                .then(|| fields.expires_on.as_deref().and_then(super::parse_date))
                .flatten()
                .map(|d| gongkai_domain::catalogue::first_day_expired(d).to_string())
        })
    };
    let reason = line.validity_reason.trim();
    if reason.chars().count() > 200 {
        return Err(LineError::field("validity_reason", "有效性变更原因不超过200个字符"));
    }
    let validity_reason = (!in_force && !reason.is_empty()).then(|| reason.to_string());
    let mut findings = gongkai_domain::privacy::scan_html(&fields.body, scan);
    if let Some(t) = &fields.transcript {
        findings.extend(gongkai_domain::privacy::scan(t, scan));
    }
    if !findings.is_empty() {
        return Err(privacy_error("body", &findings));
    }
    Ok(Checked {
        kind,
        fields,
        state: ImportedState {
            external_id: line.id.trim().to_string(),
            published_on,
            validity_changed_on,
            validity_reason,
        },
    })
}

fn privacy_error(source: &str, findings: &[gongkai_domain::privacy::Finding]) -> LineError {
    let list: Vec<String> = findings
        .iter()
        .take(3)
        .map(|f| format!("{}“{}”", f.kind.label_zh(), f.masked))
        .collect();
    LineError::new(
        "personal_data",
        Some(source),
        format!(
            "含个人信息：{}{}，请去标识化处理后再导入",
            list.join("、"),
            if findings.len() > 3 { "等" } else { "" }
        ),
    )
}

/// Checks a line without a database: the column is looked up in the default
/// column tree and the issuer defaults to nothing. For tests and tools.
pub fn check_fields(line: &ImportLine) -> Result<Checked, LineError> {
    let t = gongkai_domain::catalogue::default_columns()
        .into_iter()
        .find(|c| c.slug == line.column.trim())
        .ok_or_else(|| unknown_column(&line.column))?;
    let column = ColumnRow {
        id: 0,
        site_id: 0,
        parent_id: None,
        slug: t.slug.into(),
        name: t.name.into(),
        kind: t.kind.code().into(),
        sort_order: 0,
        hidden: false,
        update_interval_days: None,
        page_body: None,
        link_url: None,
        created_at: String::new(),
    };
    check_against(line, &column, "导入", &ScanOptions::default())
}

fn unknown_column(slug: &str) -> LineError {
    LineError::new("unknown_column", Some("column"), format!("栏目“{}”不存在", slug.trim()))
}

// ---------------------------------------------------------------------------
// Resolving sites, units and columns
// ---------------------------------------------------------------------------

/// Sites, units and columns, loaded once per run.
struct Resolver {
    default_site: Option<i64>,
    sites: HashMap<String, (i64, String)>,
    units_by_code: HashMap<String, Unit>,
    units_by_name: HashMap<String, Vec<Unit>>,
    root_paths: HashMap<i64, String>,
    columns: HashMap<(i64, String), ColumnRow>,
    scan: ScanOptions,
    base_dir: PathBuf,
}

/// A line ready to be written.
struct Prepared {
    site_id: i64,
    unit: Unit,
    checked: Checked,
    links: Vec<String>,
    files: Vec<PreparedFile>,
}

struct PreparedFile {
    name: String,
    bytes: Vec<u8>,
    hash: String,
    kind: String,
    findings: String,
    text: Option<String>,
}

impl Resolver {
    fn prepare(&self, line: &ImportLine) -> Result<Prepared, LineError> {
        let site_id = match line.site.trim() {
            "" => self
                .default_site
                .ok_or_else(|| LineError::new("unknown_site", Some("site"), "没有可导入的站点，请先创建站点"))?,
            code => {
                self.sites
                    .get(code)
                    .ok_or_else(|| LineError::new("unknown_site", Some("site"), format!("站点“{code}”不存在")))?
                    .0
            }
        };
        let u = line.unit.trim();
        let unit = match self.units_by_code.get(u) {
            Some(unit) => unit.clone(),
            None => match self.units_by_name.get(u).map(Vec::as_slice) {
                Some([one]) => one.clone(),
                Some([_, _, ..]) => {
                    return Err(LineError::new(
                        "ambiguous_unit",
                        Some("unit"),
                        format!("有多个名为“{u}”的单位，请改用单位代码"),
                    ));
                }
                _ if u.is_empty() => return Err(LineError::new("missing_unit", Some("unit"), "缺少单位（unit）")),
                _ => return Err(LineError::new("unknown_unit", Some("unit"), format!("单位“{u}”不存在"))),
            },
        };
        if !unit.active {
            return Err(LineError::new("inactive_unit", Some("unit"), format!("单位“{}”已停用", unit.name)));
        }
        if let Some(root) = self.root_paths.get(&site_id)
            && !unit.path.starts_with(root.as_str())
        {
            return Err(LineError::new(
                "unit_not_in_site",
                Some("unit"),
                format!("单位“{}”不属于该站点", unit.name),
            ));
        }
        let column = self
            .columns
            .get(&(site_id, line.column.trim().to_string()))
            .ok_or_else(|| unknown_column(&line.column))?;
        if !column_kind(column).holds_items() {
            return Err(LineError::field("column", format!("栏目“{}”不能发布文件", column.name)));
        }
        let checked = check_against(line, column, &unit.name, &self.scan)?;
        let mut files = Vec::with_capacity(line.attachments.len());
        for (i, rel) in line.attachments.iter().enumerate() {
            files.push(self.attachment(rel, i)?);
        }
        Ok(Prepared {
            site_id,
            unit,
            checked,
            links: line.links.iter().map(|l| l.trim().to_string()).collect(),
            files,
        })
    }

    fn attachment(&self, rel: &str, i: usize) -> Result<PreparedFile, LineError> {
        let field = format!("attachments[{i}]");
        let path = Path::new(rel.trim());
        let safe = !rel.trim().is_empty()
            && path.is_relative()
            && path
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_) | std::path::Component::CurDir));
        if !safe {
            return Err(LineError::new(
                "attachment_path",
                Some(&field),
                format!("附件路径“{rel}”应为相对于导入文件所在文件夹的路径，且不能含“..”"),
            ));
        }
        let full = self.base_dir.join(path);
        let bytes =
            std::fs::read(&full).map_err(|_| LineError::new("attachment_missing", Some(&field), format!("附件“{rel}”不存在或无法读取")))?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or(rel).to_string();
        let (kind, inspection) = gongkai_domain::files::check(&name, &bytes).map_err(|e| {
            LineError::new(
                format!("attachment_{}", e.code()),
                Some(&field),
                format!("附件“{name}”：{}", e.message_zh()),
            )
        })?;
        // Unlike an upload, nobody reviews an imported line before it is
        // published, so any finding (uninspectable old formats included)
        // refuses it.
        if let Some(f) = inspection.findings.first() {
            return Err(LineError::new(
                "attachment_hidden_content",
                Some(&field),
                format!("附件“{name}”：{}（{}），须修改文件后再导入", f.kind.label_zh(), f.location),
            ));
        }
        let text = match gongkai_search::extract::extract_text(kind, &bytes) {
            Ok(text) => text,
            Err(e) => {
                return Err(LineError::new(
                    format!("attachment_{}", e.code()),
                    Some(&field),
                    format!("附件“{name}”：{}", e.message_zh()),
                ));
            }
        };
        if let Some(t) = text.as_ref().or(inspection.text.as_ref()) {
            let found = gongkai_domain::privacy::scan(t, &self.scan);
            if !found.is_empty() {
                return Err(privacy_error(&field, &found));
            }
        }
        Ok(PreparedFile {
            hash: gongkai_domain::files::content_address(&bytes),
            findings: serde_json::to_string(&inspection.findings).unwrap_or_else(|_| "[]".into()),
            kind: kind.as_str().to_string(),
            text,
            name,
            bytes,
        })
    }
}

async fn load_resolver(state: &AppState, site: Option<&str>, base_dir: PathBuf) -> anyhow::Result<Resolver> {
    let store = &state.store;
    let sites = store.list_sites().await?;
    let units = store.list_units().await?;
    let default_site = match site {
        Some(code) => Some(
            sites
                .iter()
                .find(|s| s.code == code)
                .ok_or_else(|| anyhow::anyhow!("no site `{code}`"))?
                .id,
        ),
        None => sites.iter().map(|s| s.id).min(),
    };
    let mut columns = HashMap::new();
    let mut root_paths = HashMap::new();
    for s in &sites {
        for c in store.columns_of_site(s.id).await? {
            columns.insert((s.id, c.slug.clone()), c);
        }
        if let Some(root) = units.iter().find(|u| u.id == s.owner_unit_id) {
            root_paths.insert(s.id, root.path.clone());
        }
    }
    let mut units_by_name: HashMap<String, Vec<Unit>> = HashMap::new();
    for u in &units {
        units_by_name.entry(u.name.clone()).or_default().push(u.clone());
    }
    Ok(Resolver {
        default_site,
        sites: sites.iter().map(|s| (s.code.clone(), (s.id, s.name.clone()))).collect(),
        units_by_code: units.iter().map(|u| (u.code.clone(), u.clone())).collect(),
        units_by_name,
        root_paths,
        columns,
        scan: ScanOptions {
            public_phones: super::public_phones(state).await.map_err(|e| anyhow::anyhow!(e.message))?,
        },
        base_dir,
    })
}

// ---------------------------------------------------------------------------
// The run: reading, batching, writing, checkpoints
// ---------------------------------------------------------------------------

/// How to run an import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub file: PathBuf,
    /// Site code for lines without `site`.
    pub site: Option<String>,
    /// Lines per transaction.
    pub batch: usize,
    /// Where refused lines are written; default `FILE.errors.jsonl`.
    pub errors: Option<PathBuf>,
    /// Ignore (and delete) an existing checkpoint.
    pub restart: bool,
    /// The user recorded as the documents' author; default the first system administrator.
    pub author: Option<String>,
    /// The audit log's actor.
    pub actor: String,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Stop (as if interrupted) after this many batches of this run.
    pub stop_after_batches: Option<u64>,
    /// Set from outside (Ctrl-C) to stop after the current batch.
    pub stop: Option<Arc<AtomicBool>>,
}

impl ImportOptions {
    pub fn new(file: impl Into<PathBuf>) -> ImportOptions {
        ImportOptions {
            file: file.into(),
            site: None,
            batch: 500,
            errors: None,
            restart: false,
            author: None,
            actor: "cli".into(),
            progress: false,
            stop_after_batches: None,
            stop: None,
        }
    }

    pub fn checkpoint_path(&self) -> PathBuf {
        suffixed(&self.file, ".import-state")
    }

    pub fn errors_path(&self) -> PathBuf {
        self.errors.clone().unwrap_or_else(|| suffixed(&self.file, ".errors.jsonl"))
    }
}

fn suffixed(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// What a run did (counts include earlier runs of a resumed import).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    pub imported: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
}

#[derive(Debug, Clone)]
pub struct ImportSummary {
    pub counts: Counts,
    /// Lines read in this run.
    pub lines_this_run: u64,
    /// Documents imported or updated in this run.
    pub written_this_run: u64,
    /// The line the run started after (0 for a fresh start).
    pub resumed_after_line: u64,
    /// Whether the whole file was processed (false when stopped early).
    pub finished: bool,
    pub elapsed: Duration,
    pub errors_file: PathBuf,
}

impl ImportSummary {
    pub fn docs_per_second(&self) -> f64 {
        let s = self.elapsed.as_secs_f64();
        if s > 0.0 { self.written_this_run as f64 / s } else { 0.0 }
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Checkpoint {
    /// Byte offset just after the last line of the last committed batch.
    offset: u64,
    /// Number of that line.
    line: u64,
    /// BLAKE3 of the file's first `min(offset, 1 MiB)` bytes: the same file?
    head_hash: String,
    /// Length of the errors file after that batch.
    errors_len: u64,
    counts: Counts,
}

const HEAD_BYTES: u64 = 1 << 20;

fn head_hash(file: &Path, upto: u64) -> std::io::Result<String> {
    let mut f = std::fs::File::open(file)?;
    let mut buf = Vec::new();
    (&mut f).take(upto.min(HEAD_BYTES)).read_to_end(&mut buf)?;
    Ok(blake3::hash(&buf).to_hex().to_string())
}

fn write_checkpoint(path: &Path, c: &Checkpoint) -> std::io::Result<()> {
    let tmp = suffixed(path, ".tmp");
    std::fs::write(&tmp, serde_json::to_vec_pretty(c)?)?;
    std::fs::rename(&tmp, path)
}

/// A line read and checked by the reader thread.
struct Item {
    line: u64,
    external_id: Option<String>,
    result: Result<Prepared, LineError>,
}

struct Batch {
    items: Vec<Item>,
    end_offset: u64,
    end_line: u64,
}

/// The reader: reads lines from `offset`, checks them and sends batches.
fn read_batches(
    file: PathBuf,
    offset: u64,
    first_line: u64,
    batch: usize,
    resolver: Arc<Resolver>,
    tx: tokio::sync::mpsc::Sender<std::io::Result<Batch>>,
) {
    let run = || -> std::io::Result<()> {
        let mut f = std::fs::File::open(&file)?;
        f.seek(std::io::SeekFrom::Start(offset))?;
        let mut r = std::io::BufReader::with_capacity(1 << 20, f);
        let mut pos = offset;
        let mut line_no = first_line;
        let mut buf = Vec::with_capacity(8192);
        let mut items = Vec::with_capacity(batch);
        loop {
            buf.clear();
            let n = r.read_until(b'\n', &mut buf)?;
            if n == 0 {
                break;
            }
            pos += n as u64;
            line_no += 1;
            let text = match std::str::from_utf8(&buf) {
                Ok(t) => Some(t.trim_start_matches('\u{feff}').trim()),
                Err(_) => None,
            };
            match text {
                Some("") => {}
                None => items.push(Item {
                    line: line_no,
                    external_id: None,
                    result: Err(LineError::new("invalid_utf8", None, "不是 UTF-8 编码的文本")),
                }),
                Some(t) => {
                    let parsed = parse_line(t);
                    let external_id = parsed.as_ref().ok().map(|l| l.id.trim().to_string());
                    items.push(Item {
                        line: line_no,
                        external_id,
                        result: parsed.and_then(|l| resolver.prepare(&l)),
                    });
                }
            }
            if items.len() >= batch {
                let b = Batch {
                    items: std::mem::replace(&mut items, Vec::with_capacity(batch)),
                    end_offset: pos,
                    end_line: line_no,
                };
                if tx.blocking_send(Ok(b)).is_err() {
                    return Ok(());
                }
            }
        }
        if !items.is_empty() || pos > offset {
            let _ = tx.blocking_send(Ok(Batch {
                items,
                end_offset: pos,
                end_line: line_no,
            }));
        }
        Ok(())
    };
    if let Err(e) = run() {
        let _ = tx.blocking_send(Err(e));
    }
}

/// The outcome of writing one prepared line.
enum Outcome {
    Imported,
    Updated,
    Unchanged,
    Refused(LineError),
}

struct Writer<'a> {
    state: &'a AppState,
    author_id: i64,
    author: String,
    actor: String,
    /// Next 索引号 serial per (unit, year), valid inside one transaction.
    serials: HashMap<(i64, i64), i64>,
    /// Imported documents of this batch's ids (prefetched, then kept current).
    known: HashMap<(i64, String), ImportedRef>,
    /// Rows written together at the end of the batch.
    versions: Vec<NewVersion>,
    events: Vec<i64>,
    audits: Vec<NewEntry>,
}

fn version_meta(f: &DocumentFields) -> serde_json::Value {
    super::version_meta(f)
}

fn same_as(e: &ImportedRef, f: &DocumentFields, s: &ImportedState) -> bool {
    e.state == "published"
        && e.column_id == f.column_id
        && e.interpretation_kind == f.interpretation_kind
        && e.title == f.title
        && e.body == f.body
        && e.issuer == f.issuer
        && e.doc_no == f.doc_no
        && e.written_on == f.written_on
        && e.published_on.as_deref() == Some(s.published_on.as_str())
        && e.topic == f.topic
        && e.genre == f.genre
        && e.validity == f.validity
        && e.effective_on == f.effective_on
        && e.expires_on == f.expires_on
        && e.validity_changed_on == s.validity_changed_on
        && e.validity_reason == s.validity_reason
        && e.transcript == f.transcript
}

fn imported_ref(id: i64, unit_id: i64, kind: &str, version: i64, f: &DocumentFields, s: &ImportedState) -> ImportedRef {
    ImportedRef {
        id,
        unit_id,
        kind: kind.to_string(),
        version,
        title: f.title.clone(),
        body: f.body.clone(),
        column_id: f.column_id,
        interpretation_kind: f.interpretation_kind.clone(),
        issuer: f.issuer.clone(),
        doc_no: f.doc_no.clone(),
        written_on: f.written_on.clone(),
        published_on: Some(s.published_on.clone()),
        topic: f.topic.clone(),
        genre: f.genre.clone(),
        validity: f.validity.clone(),
        effective_on: f.effective_on.clone(),
        expires_on: f.expires_on.clone(),
        validity_changed_on: s.validity_changed_on.clone(),
        validity_reason: s.validity_reason.clone(),
        transcript: f.transcript.clone(),
        state: "published".into(),
        external_id: Some(s.external_id.clone()),
    }
}

impl Writer<'_> {
    /// Starts a batch: loads the documents its lines already imported.
    async fn begin_batch(&mut self, tx: &mut gongkai_store::Tx, items: &[Item]) -> anyhow::Result<()> {
        self.serials.clear();
        self.known.clear();
        let mut by_site: HashMap<i64, Vec<String>> = HashMap::new();
        for item in items {
            if let Ok(p) = &item.result {
                by_site.entry(p.site_id).or_default().push(p.checked.state.external_id.clone());
            }
        }
        for (site_id, ids) in by_site {
            for d in tx.documents_by_external_ids(site_id, &ids).await? {
                if let Some(ext) = d.external_id.clone() {
                    self.known.insert((site_id, ext), d);
                }
            }
        }
        Ok(())
    }

    /// Writes the rows collected during the batch.
    async fn end_batch(&mut self, tx: &mut gongkai_store::Tx) -> anyhow::Result<()> {
        tx.add_versions(&self.versions).await?;
        tx.add_events_bulk(&self.events, "import", &self.author, Some(self.author_id))
            .await?;
        tx.audit_many(std::mem::take(&mut self.audits)).await?;
        self.versions.clear();
        self.events.clear();
        Ok(())
    }

    async fn lookup(&mut self, tx: &mut gongkai_store::Tx, site_id: i64, external_id: &str) -> anyhow::Result<Option<ImportedRef>> {
        if let Some(d) = self.known.get(&(site_id, external_id.to_string())) {
            return Ok(Some(d.clone()));
        }
        Ok(tx.document_by_external_id(site_id, external_id).await?)
    }

    async fn write(&mut self, tx: &mut gongkai_store::Tx, p: &Prepared, line: u64) -> anyhow::Result<Outcome> {
        let c = &p.checked;
        let kind = c.kind;
        let mut link_ids = Vec::with_capacity(p.links.len());
        for l in &p.links {
            match self.lookup(tx, p.site_id, l).await? {
                Some(d) if d.kind == KIND_DOCUMENT => link_ids.push(d.id),
                _ => {
                    return Ok(Outcome::Refused(LineError::new(
                        "unknown_link",
                        Some("links"),
                        format!("关联的政策文件“{l}”不存在（须先导入）"),
                    )));
                }
            }
        }
        let existing = self.known.get(&(p.site_id, c.state.external_id.clone())).cloned();
        let (id, version, outcome) = match existing {
            Some(e) => {
                if e.kind != kind {
                    return Ok(Outcome::Refused(LineError::new(
                        "kind_changed",
                        Some("kind"),
                        "已导入的同编号内容类型不同（政策文件与政策解读不能互换）",
                    )));
                }
                if e.unit_id != p.unit.id {
                    return Ok(Outcome::Refused(LineError::new(
                        "unit_changed",
                        Some("unit"),
                        "已导入的同编号文件属于另一单位，不能通过导入改变单位",
                    )));
                }
                let hashes: Vec<(String, String)> = p.files.iter().map(|f| (f.name.clone(), f.hash.clone())).collect();
                if same_as(&e, &c.fields, &c.state) && tx.attachment_hashes(e.id).await? == hashes {
                    if kind == KIND_INTERPRETATION {
                        tx.set_links(e.id, &link_ids).await?;
                    }
                    return Ok(Outcome::Unchanged);
                }
                let version = e.version + 1;
                tx.update_imported_document(e.id, version, &c.fields, &c.state).await?;
                tx.remove_attachments_of(e.id).await?;
                (e.id, version, Outcome::Updated)
            }
            None => {
                let year = i64::from(c.state.published_on[..4].parse::<i32>().unwrap_or(2000));
                let serial = match self.serials.get(&(p.unit.id, year)) {
                    Some(s) => *s,
                    None => tx.next_index_serial(p.unit.id, year).await?,
                };
                let index_no = match gongkai_domain::accounts::UnitCode::parse(&p.unit.code)
                    .ok()
                    .and_then(|code| IndexNo::new(code, year as i32, serial as u32).ok())
                {
                    Some(i) => i,
                    None => {
                        return Ok(Outcome::Refused(LineError::new(
                            "index_no_exhausted",
                            None,
                            format!("单位“{}”{year}年的索引号已用尽", p.unit.name),
                        )));
                    }
                };
                self.serials.insert((p.unit.id, year), serial + 1);
                let id = tx
                    .insert_imported_document(
                        &NewDocument {
                            site_id: p.site_id,
                            unit_id: p.unit.id,
                            kind: kind.to_string(),
                            index_no: index_no.to_string(),
                            index_year: year,
                            index_serial: serial,
                            author_id: self.author_id,
                            fields: c.fields.clone(),
                        },
                        &c.state,
                    )
                    .await?;
                (id, 1, Outcome::Imported)
            }
        };
        if kind == KIND_INTERPRETATION {
            tx.set_links(id, &link_ids).await?;
        }
        self.versions.push(NewVersion {
            document_id: id,
            version,
            title: c.fields.title.clone(),
            body: c.fields.body.clone(),
            meta: version_meta(&c.fields).to_string(),
            actor: self.author.clone(),
        });
        for (i, f) in p.files.iter().enumerate() {
            tx.add_attachment(
                id,
                &f.name,
                &f.hash,
                &f.kind,
                f.bytes.len() as i64,
                &f.findings,
                i as i64,
                f.text.as_deref(),
            )
            .await?;
        }
        self.events.push(id);
        self.audits.push(
            NewEntry::new(self.actor.clone(), format!("{kind}.import"), kind, id)
                .unit(Some(p.unit.id))
                .detail(serde_json::json!({
                    "external_id": c.state.external_id,
                    "version": version,
                    "updated": matches!(outcome, Outcome::Updated),
                    "line": line,
                    "attachments": p.files.len(),
                })),
        );
        self.known.insert(
            (p.site_id, c.state.external_id.clone()),
            imported_ref(id, p.unit.id, kind, version, &c.fields, &c.state),
        );
        Ok(outcome)
    }
}

#[derive(serde::Serialize)]
struct ErrorRecord<'a> {
    line: u64,
    id: Option<&'a str>,
    code: &'a str,
    field: Option<&'a str>,
    reason: &'a str,
}

/// Runs an import (see the module documentation).
pub async fn import_documents(state: &AppState, opts: &ImportOptions) -> anyhow::Result<ImportSummary> {
    let started = Instant::now();
    let file_len = std::fs::metadata(&opts.file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", opts.file.display()))?
        .len();
    let batch = opts.batch.clamp(1, 100_000);
    let checkpoint_path = opts.checkpoint_path();
    let errors_path = opts.errors_path();
    if opts.restart {
        let _ = std::fs::remove_file(&checkpoint_path);
    }
    let checkpoint: Option<Checkpoint> = match std::fs::read(&checkpoint_path) {
        Ok(bytes) => {
            let c: Checkpoint = serde_json::from_slice(&bytes)
                .map_err(|e| anyhow::anyhow!("checkpoint {} is unreadable ({e}); use --restart", checkpoint_path.display()))?;
            if c.offset > file_len || head_hash(&opts.file, c.offset)? != c.head_hash {
                anyhow::bail!(
                    "checkpoint {} belongs to another version of {}; use --restart to import from the beginning",
                    checkpoint_path.display(),
                    opts.file.display()
                );
            }
            Some(c)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => anyhow::bail!("cannot read {}: {e}", checkpoint_path.display()),
    };
    let (offset, first_line, mut counts, errors_len) = match &checkpoint {
        Some(c) => (c.offset, c.line, c.counts.clone(), c.errors_len),
        None => (0, 0, Counts::default(), 0),
    };
    // The errors file holds exactly the refused lines of committed batches.
    let mut errors_file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(false)
        .open(&errors_path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", errors_path.display()))?;
    errors_file.set_len(errors_len)?;
    errors_file.seek(std::io::SeekFrom::Start(errors_len))?;
    let mut errors_len = errors_len;

    let author = match &opts.author {
        Some(name) => state
            .store
            .user_by_username(name)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no user `{name}`"))?,
        None => {
            let grants = state.store.all_grants().await?;
            let id = grants
                .iter()
                .filter(|g| g.role == "system_admin")
                .map(|g| g.user_id)
                .min()
                .ok_or_else(|| anyhow::anyhow!("no system administrator to record as author; give --author USERNAME"))?;
            state
                .store
                .list_users()
                .await?
                .into_iter()
                .find(|u| u.id == id)
                .ok_or_else(|| anyhow::anyhow!("user {id} not found"))?
        }
    };
    let base_dir = opts
        .file
        .parent()
        .map(Path::to_path_buf)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    let resolver = Arc::new(load_resolver(state, opts.site.as_deref(), base_dir).await?);

    let bar = if opts.progress {
        let b = indicatif::ProgressBar::new(file_len);
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} [{elapsed_precise}] [{wide_bar}] {bytes}/{total_bytes} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        b.set_position(offset);
        b
    } else {
        indicatif::ProgressBar::hidden()
    };

    let (tx, mut rx) = tokio::sync::mpsc::channel::<std::io::Result<Batch>>(2);
    let reader = {
        let (file, resolver) = (opts.file.clone(), resolver.clone());
        std::thread::spawn(move || read_batches(file, offset, first_line, batch, resolver, tx))
    };
    let mut writer = Writer {
        state,
        author_id: author.id,
        author: author.username.clone(),
        actor: opts.actor.clone(),
        serials: HashMap::new(),
        known: HashMap::new(),
        versions: Vec::new(),
        events: Vec::new(),
        audits: Vec::new(),
    };
    let mut lines_this_run = 0u64;
    let mut written_this_run = 0u64;
    let mut batches = 0u64;
    let mut finished = true;
    let mut last_line = first_line;
    let mut err_buf: Vec<u8> = Vec::new();
    while let Some(b) = rx.recv().await {
        let b = b.map_err(|e| anyhow::anyhow!("reading {}: {e}", opts.file.display()))?;
        // Attachments first: content-addressed, so storing before the commit is harmless.
        for item in &b.items {
            if let Ok(p) = &item.result {
                for f in &p.files {
                    super::files::store_bytes(writer.state, &f.bytes)
                        .await
                        .map_err(|e| anyhow::anyhow!("storing an attachment: {}", e.message))?;
                }
            }
        }
        let mut delta = Counts::default();
        err_buf.clear();
        let mut dbtx = state.store.begin().await?;
        writer.begin_batch(&mut dbtx, &b.items).await?;
        for item in &b.items {
            let outcome = match &item.result {
                Ok(p) => writer.write(&mut dbtx, p, item.line).await?,
                Err(e) => Outcome::Refused(e.clone()),
            };
            match outcome {
                Outcome::Imported => delta.imported += 1,
                Outcome::Updated => delta.updated += 1,
                Outcome::Unchanged => delta.unchanged += 1,
                Outcome::Refused(e) => {
                    delta.rejected += 1;
                    serde_json::to_writer(
                        &mut err_buf,
                        &ErrorRecord {
                            line: item.line,
                            id: item.external_id.as_deref(),
                            code: &e.code,
                            field: e.field.as_deref(),
                            reason: &e.reason,
                        },
                    )?;
                    err_buf.push(b'\n');
                }
            }
        }
        writer.end_batch(&mut dbtx).await?;
        dbtx.commit().await?;
        errors_file.write_all(&err_buf)?;
        errors_file.flush()?;
        errors_len += err_buf.len() as u64;
        counts.imported += delta.imported;
        counts.updated += delta.updated;
        counts.unchanged += delta.unchanged;
        counts.rejected += delta.rejected;
        lines_this_run += b.end_line - last_line;
        last_line = b.end_line;
        written_this_run += delta.imported + delta.updated;
        write_checkpoint(
            &checkpoint_path,
            &Checkpoint {
                offset: b.end_offset,
                line: b.end_line,
                head_hash: head_hash(&opts.file, b.end_offset)?,
                errors_len,
                counts: counts.clone(),
            },
        )?;
        bar.set_position(b.end_offset);
        let secs = started.elapsed().as_secs_f64().max(1e-6);
        bar.set_message(format!(
            "导入 {} 更新 {} 拒绝 {} · {:.0} 条/秒",
            counts.imported,
            counts.updated,
            counts.rejected,
            written_this_run as f64 / secs
        ));
        batches += 1;
        let stop_requested = opts.stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed));
        if opts.stop_after_batches.is_some_and(|n| batches >= n) || stop_requested {
            finished = false;
            break;
        }
    }
    drop(rx);
    let _ = reader.join();
    bar.finish_and_clear();
    if finished {
        // A whole file was read only if the reader reached its end.
        let _ = std::fs::remove_file(&checkpoint_path);
    }
    if written_this_run > 0 {
        state.content_changed();
    }
    Ok(ImportSummary {
        counts,
        lines_this_run,
        written_this_run,
        resumed_after_line: first_line,
        finished,
        elapsed: started.elapsed(),
        errors_file: errors_path,
    })
}
