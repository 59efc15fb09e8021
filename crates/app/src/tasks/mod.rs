//! The task responsibility list (任务清单) at work: importing the county's
//! list (巫山府办发〔2021〕48号 is one) into a plan whose rows are resolved to
//! units, the 细化清单 entries units make of their rows, progress reports
//! with evidence, 销号 by the lead unit, the 通报 of lagging units, the
//! year-end assessment and the completion report.
//!
//! The rules are in `gongkai_domain::tasks` (parsing, the work's states,
//! overdue and stalled checks, scoring, the diff of a revised list); the
//! ledger is in `gongkai_store::tasks`. This module puts them together,
//! checks who may do what, and audits every change.
//!
//! Who does what: the office that supervises 政务公开 (the site's
//! `qa_office_unit_id`, usually 县政府办公室) imports plans, names the
//! departments of a 县政府有关部门 cell, issues 通报 and sets the assessment
//! weights; a unit's case handlers and editors make and report its entries;
//! the lead unit of a row (or the office) confirms 销号 or returns an entry.

pub mod admin;
pub mod api;
pub mod bench;
pub mod demo;
pub mod export;
pub mod files;
pub mod generate;
pub mod svg;

use crate::auth::Session;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use gongkai_domain::accounts::{Action, Scope, UnitCode, UnitKind, UnitName, UnitPath};
use gongkai_domain::audit::NewEntry;
use gongkai_domain::tasks::{
    CollectiveGroup, EntryFacts, EntryStatus, Evidence, ImportError, Measure, Plan, PlanDiff, RowSig, RowState, Target, TargetKind,
    UnitRef, Weights, WorkError, after_report, after_review, cn_numeral, diff_rows, parse_plan, row_due, row_sigs, summary_json,
};
use gongkai_store::accounts::{NewUnit, Site, Unit};
use gongkai_store::tasks::{NewTaskEntry, NewTaskEvent, NewTaskRow, TaskEntryRow, TaskEntryState, TaskPlanRow, TaskRowRow, TaskRowUnitRow};
use serde_json::Value;
use std::collections::HashMap;

pub use crate::foi::day;

/// The office unit of a site (政务公开 office).
pub use crate::qa::office_of;

/// May the caller act for the office (import, 通报, weights, 销号 anywhere)?
pub use crate::qa::is_office;

/// May the caller work for this unit (make and report its entries)? Its
/// case handlers and editors may.
pub fn works_for(session: &Session, path: &UnitPath) -> bool {
    session.can(Action::HandleCases, Scope::Unit(path)) || session.can(Action::EditContent, Scope::Unit(path))
}

/// May the caller see task lists at all?
pub fn may_view(session: &Session) -> bool {
    session.can_somewhere(Action::HandleCases)
        || session.can_somewhere(Action::ViewDashboards)
        || session.can_somewhere(Action::EditContent)
}

/// The site a plan belongs to.
pub async fn site_of(state: &AppState, site_id: i64) -> AppResult<Site> {
    state
        .store
        .list_sites()
        .await?
        .into_iter()
        .find(|s| s.id == site_id)
        .ok_or_else(AppError::not_found)
}

// ------------------------------------------------------------------ import

/// Whether an import writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apply {
    /// Only parse and compare.
    Preview,
    /// Write a new plan; leave an existing one that differs untouched
    /// (the caller shows the diff and asks).
    IfNew,
    /// Write, applying the diff to an existing plan.
    Confirmed,
}

/// A row of the diff, in words.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DiffLine {
    /// `added`, `removed` or `changed`.
    pub kind: &'static str,
    /// `一（二）`: where the row is.
    pub place: String,
    pub text: String,
    /// For changed rows: the old text when it changed, and what changed.
    pub old_text: Option<String>,
    pub what: Vec<&'static str>,
}

/// What an import found and did.
#[derive(Debug)]
pub struct ImportReport {
    pub plan: Plan,
    pub summary: Value,
    /// The plan of the same site, year and title, before the import.
    pub existing: Option<i64>,
    pub diff: Vec<DiffLine>,
    /// The stored plan is identical to the file: nothing to do.
    pub unchanged: bool,
    /// The plan written (None when nothing was written).
    pub applied: Option<i64>,
    /// Unit names not in the registry (created when applied).
    pub new_units: Vec<String>,
}

fn place(part: i64, item: i64) -> String {
    format!("{}（{}）", cn_numeral(part as u32), cn_numeral(item as u32))
}

fn stored_sig(r: &TaskRowRow) -> RowSig {
    RowSig {
        part: r.part_ordinal as u32,
        item: r.item_ordinal as u32,
        text: r.text.clone(),
        lead: serde_json::from_str(&r.lead_names).unwrap_or_default(),
        responsible: serde_json::from_str(&r.responsible_names).unwrap_or_default(),
    }
}

fn describe(diff: &PlanDiff, old: &[TaskRowRow], new: &[RowSig]) -> Vec<DiffLine> {
    let mut out = Vec::new();
    for &j in &diff.added {
        out.push(DiffLine {
            kind: "added",
            place: place(new[j].part.into(), new[j].item.into()),
            text: new[j].text.clone(),
            old_text: None,
            what: vec![],
        });
    }
    for (i, j, what) in &diff.changed {
        out.push(DiffLine {
            kind: "changed",
            place: place(new[*j].part.into(), new[*j].item.into()),
            text: new[*j].text.clone(),
            old_text: what.contains(&"text").then(|| old[*i].text.clone()),
            what: what.clone(),
        });
    }
    for &i in &diff.removed {
        out.push(DiffLine {
            kind: "removed",
            place: place(old[i].part_ordinal, old[i].item_ordinal),
            text: old[i].text.clone(),
            old_text: None,
            what: vec![],
        });
    }
    out
}

/// The stored form of the plan's rows, in table order.
fn new_rows(plan: &Plan, year: i32) -> Vec<(NewTaskRow, Vec<UnitRef>, Vec<UnitRef>)> {
    let mut out = Vec::new();
    let mut seq = 0;
    for part in &plan.parts {
        for item in &part.items {
            for t in &item.tasks {
                seq += 1;
                let names = |us: &[UnitRef]| serde_json::to_string(&us.iter().map(|u| u.name_zh()).collect::<Vec<_>>()).unwrap_or_default();
                out.push((
                    NewTaskRow {
                        seq,
                        part_ordinal: part.ordinal.into(),
                        part_title: part.title.clone(),
                        item_ordinal: item.ordinal.into(),
                        item_title: item.title.clone(),
                        line: t.line as i64,
                        text: t.text.clone(),
                        measures: serde_json::to_string(&t.measures).unwrap_or_else(|_| "[]".into()),
                        lead_names: names(&t.lead_units),
                        responsible_names: names(&t.responsible_units),
                        lead_inherited: t.lead_inherited,
                        responsible_inherited: t.responsible_inherited,
                        due_on: row_due(&t.deadlines, year).map(|d| d.to_string()),
                    },
                    t.lead_units.clone(),
                    t.responsible_units.clone(),
                ));
            }
        }
    }
    out
}

/// The units of the site: the owner unit and everything below it.
pub async fn site_units(state: &AppState, site: &Site) -> AppResult<Vec<Unit>> {
    let all = state.store.list_units().await?;
    let root = all.iter().find(|u| u.id == site.owner_unit_id).map(|u| u.unit_path());
    Ok(all
        .into_iter()
        .filter(|u| root.as_ref().is_none_or(|r| r.contains(&u.unit_path())) && u.active)
        .collect())
}

fn kind_for_name(name: &str) -> UnitKind {
    if name.ends_with("街道") || name.ends_with("街道办事处") {
        UnitKind::Street
    } else if name.ends_with('镇') || name.ends_with('乡') {
        UnitKind::Township
    } else {
        UnitKind::Department
    }
}

/// Parses a list and, as `apply` says, writes it: a new plan, or the diff
/// applied to the plan of the same site, year and title (rows kept with
/// their entries when their text is unchanged or edited, withdrawn when
/// gone). Unit names not in the registry are created under the site's
/// owner unit and listed.
pub async fn import_plan(
    state: &AppState,
    actor: &str,
    site: &Site,
    year: i32,
    source_name: &str,
    text: &str,
    apply: Apply,
) -> AppResult<Result<ImportReport, ImportError>> {
    let plan = match parse_plan(text, year) {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    let summary = summary_json(&plan);
    let units = site_units(state, site).await?;
    let by_name: HashMap<&str, &Unit> = units.iter().map(|u| (u.name.as_str(), u)).collect();
    let new_units: Vec<String> = plan
        .unit_names()
        .into_iter()
        .filter(|n| !by_name.contains_key(n))
        .map(str::to_owned)
        .collect();
    let existing = state.store.task_plan_by_title(site.id, year.into(), &plan.title).await?;
    let sigs = row_sigs(&plan);
    let (diff, old_rows) = match &existing {
        Some(p) => {
            let old = state.store.task_rows(p.id, false).await?;
            let old_sigs: Vec<RowSig> = old.iter().map(stored_sig).collect();
            (Some(diff_rows(&old_sigs, &sigs)), old)
        }
        None => (None, Vec::new()),
    };
    let diff_lines = diff.as_ref().map(|d| describe(d, &old_rows, &sigs)).unwrap_or_default();
    let unchanged = diff.as_ref().is_some_and(|d| d.is_empty());
    let mut report = ImportReport {
        plan,
        summary,
        existing: existing.as_ref().map(|p| p.id),
        diff: diff_lines,
        unchanged,
        applied: None,
        new_units,
    };
    let write = match apply {
        Apply::Preview => false,
        Apply::IfNew => existing.is_none(),
        Apply::Confirmed => !unchanged,
    };
    if !write {
        return Ok(Ok(report));
    }
    let today = state.clock.now().date_naive().to_string();
    let hash = blake3::hash(text.as_bytes()).to_hex().to_string();
    let warnings = serde_json::to_string(&report.summary["warnings"]).unwrap_or_else(|_| "[]".into());
    let rows = new_rows(&report.plan, year);
    let mut tx = state.store.begin().await?;
    // Units named in the list but not in the registry.
    let mut ids: HashMap<String, i64> = units.iter().map(|u| (u.name.clone(), u.id)).collect();
    for name in &report.new_units {
        let Ok(unit_name) = UnitName::parse(name) else { continue };
        let code = format!("t-{}", &blake3::hash(name.as_bytes()).to_hex()[..10]);
        let Ok(code) = UnitCode::parse(&code) else { continue };
        let u = tx
            .create_unit(&NewUnit {
                parent_id: Some(site.owner_unit_id),
                name: unit_name,
                code,
                kind: kind_for_name(name),
                phone: None,
                sort_order: 1000,
            })
            .await?;
        tx.audit(
            NewEntry::new(actor, "unit.create", "unit", u.id)
                .unit(Some(u.id))
                .detail(serde_json::json!({ "name": name, "via": "tasks.import" })),
        )
        .await?;
        ids.insert(name.clone(), u.id);
    }
    let kinds: Vec<(i64, UnitKind)> = units.iter().map(|u| (u.id, u.kind())).collect();
    let resolve = |refs: &[UnitRef], role: &'static str| -> Vec<(i64, &'static str, &'static str)> {
        let mut out = Vec::new();
        for r in refs {
            match r {
                UnitRef::Unit(name) => {
                    if let Some(id) = ids.get(name) {
                        out.push((*id, role, "named"));
                    }
                }
                UnitRef::Group(g) => {
                    for (id, kind) in &kinds {
                        if g.covers(*kind) {
                            out.push((*id, role, g.code()));
                        }
                    }
                }
            }
        }
        out
    };
    let plan_id = match &existing {
        Some(p) => {
            tx.update_task_plan_source(p.id, source_name, &hash, &warnings).await?;
            p.id
        }
        None => {
            tx.insert_task_plan(
                site.id,
                year.into(),
                &report.plan.title,
                report.plan.doc_number.as_deref(),
                report.plan.notice_title.as_deref(),
                source_name,
                &hash,
                &warnings,
                actor,
            )
            .await?
        }
    };
    let event = |row_id: i64, kind: &str, note: Option<String>| NewTaskEvent {
        plan_id,
        row_id,
        kind: kind.into(),
        note,
        occurred_on: today.clone(),
        actor: actor.into(),
        ..NewTaskEvent::default()
    };
    let mut target_of_new: Vec<Option<i64>> = vec![None; rows.len()];
    if let Some(d) = &diff {
        for (i, j) in d.pairs() {
            target_of_new[j] = Some(old_rows[i].id);
        }
        for &i in &d.removed {
            tx.withdraw_task_row(old_rows[i].id).await?;
            tx.add_task_event(&event(old_rows[i].id, "withdrawn", Some("修订后的清单中已无此项".into())))
                .await?;
        }
    }
    let changed: HashMap<usize, &Vec<&'static str>> = diff
        .as_ref()
        .map(|d| d.changed.iter().map(|c| (c.1, &c.2)).collect())
        .unwrap_or_default();
    for (j, (row, lead, resp)) in rows.iter().enumerate() {
        let mut units = resolve(lead, "lead");
        units.extend(resolve(resp, "responsible"));
        let id = match target_of_new[j] {
            Some(id) => {
                tx.update_task_row(id, row).await?;
                if let Some(what) = changed.get(&j) {
                    let words: Vec<&str> = what
                        .iter()
                        .map(|w| match *w {
                            "text" => "贯彻举措",
                            "lead" => "牵头单位",
                            _ => "责任单位",
                        })
                        .collect();
                    tx.add_task_event(&event(id, "updated", Some(format!("修订导入：{}有变化", words.join("、")))))
                        .await?;
                }
                id
            }
            None => {
                let id = tx.insert_task_row(plan_id, row).await?;
                tx.add_task_event(&event(id, "imported", Some(format!("自“{source_name}”第{}行导入", row.line))))
                    .await?;
                id
            }
        };
        tx.set_task_row_units(id, &units).await?;
    }
    tx.audit(
        NewEntry::new(
            actor,
            if existing.is_some() { "tasks.reimport" } else { "tasks.import" },
            "task_plan",
            plan_id,
        )
        .unit(Some(site.owner_unit_id))
        .detail(serde_json::json!({
            "year": year,
            "source": source_name,
            "sha256_or_blake3": hash,
            "tasks": report.plan.task_count(),
            "added": diff.as_ref().map_or(report.plan.task_count(), |d| d.added.len()),
            "changed": diff.as_ref().map_or(0, |d| d.changed.len()),
            "removed": diff.as_ref().map_or(0, |d| d.removed.len()),
            "new_units": report.new_units,
        })),
    )
    .await?;
    tx.commit().await?;
    report.applied = Some(plan_id);
    Ok(Ok(report))
}

// ------------------------------------------------------------------ views

/// A row's units by role, as ids.
#[derive(Debug, Clone, Default)]
pub struct RowUnits {
    pub lead: Vec<i64>,
    pub responsible: Vec<i64>,
    /// Units the office assigned (for 县政府有关部门).
    pub assigned: Vec<i64>,
}

impl RowUnits {
    /// The units expected to make entries: the responsible units, or the
    /// lead units when the row names none.
    pub fn workers(&self) -> Vec<i64> {
        if self.responsible.is_empty() {
            self.lead.clone()
        } else {
            self.responsible.clone()
        }
    }
}

pub fn group_row_units(units: &[TaskRowUnitRow]) -> HashMap<i64, RowUnits> {
    let mut out: HashMap<i64, RowUnits> = HashMap::new();
    for u in units {
        let r = out.entry(u.row_id).or_default();
        let list = if u.role == "lead" { &mut r.lead } else { &mut r.responsible };
        if !list.contains(&u.unit_id) {
            list.push(u.unit_id);
        }
        if u.via == "assigned" {
            r.assigned.push(u.unit_id);
        }
    }
    out
}

/// The facts the domain's checks need, from a stored entry.
pub fn facts_of(e: &TaskEntryRow) -> EntryFacts {
    facts(
        &e.status,
        e.due_on.as_deref(),
        &e.created_on,
        e.last_report_on.as_deref(),
        e.submitted_on.as_deref(),
        e.closed_on.as_deref(),
        e.has_evidence,
    )
}

/// The same from the narrow row the overview reads.
pub fn facts_of_narrow(e: &gongkai_store::tasks::TaskEntryFactsRow) -> EntryFacts {
    facts(
        &e.status,
        e.due_on.as_deref(),
        &e.created_on,
        e.last_report_on.as_deref(),
        e.submitted_on.as_deref(),
        e.closed_on.as_deref(),
        e.has_evidence,
    )
}

fn facts(
    status: &str,
    due_on: Option<&str>,
    created_on: &str,
    last_report_on: Option<&str>,
    submitted_on: Option<&str>,
    closed_on: Option<&str>,
    has_evidence: bool,
) -> EntryFacts {
    let created = day(created_on).unwrap_or_default();
    EntryFacts {
        status: EntryStatus::parse(status).unwrap_or(EntryStatus::Open),
        due_on: due_on.and_then(day).unwrap_or(created),
        created_on: created,
        last_report_on: last_report_on.and_then(day),
        submitted_on: submitted_on.and_then(day),
        closed_on: closed_on.and_then(day),
        has_evidence,
    }
}

pub fn measures_of(r: &TaskRowRow) -> Vec<Measure> {
    serde_json::from_str(&r.measures).unwrap_or_default()
}

pub fn names_of(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

pub fn weights_of(p: &TaskPlanRow) -> Weights {
    p.weights.as_deref().and_then(|w| serde_json::from_str(w).ok()).unwrap_or_default()
}

/// How a row stands, from its stored entries (`gongkai_domain::tasks::row_state`).
pub fn row_state(entries: &[&TaskEntryRow], today: NaiveDate) -> RowState {
    let facts: Vec<EntryFacts> = entries.iter().map(|e| facts_of(e)).collect();
    gongkai_domain::tasks::row_state(&facts, today)
}

/// The average progress of entries, 0 when there are none.
pub fn average_progress(entries: &[&TaskEntryRow]) -> i64 {
    if entries.is_empty() {
        0
    } else {
        entries.iter().map(|e| e.progress).sum::<i64>() / entries.len() as i64
    }
}

/// Everything the plan pages and the API read, loaded once.
pub struct PlanData {
    pub plan: TaskPlanRow,
    pub site: Site,
    pub rows: Vec<TaskRowRow>,
    pub row_units: HashMap<i64, RowUnits>,
    pub entries: Vec<TaskEntryRow>,
    pub units: HashMap<i64, Unit>,
    pub today: NaiveDate,
}

impl PlanData {
    pub async fn load(state: &AppState, plan_id: i64) -> AppResult<PlanData> {
        let plan = state.store.task_plan(plan_id).await?;
        let (site, rows, units_of_rows, entries, units) = tokio::try_join!(
            site_of(state, plan.site_id),
            async { Ok::<_, AppError>(state.store.task_rows(plan_id, false).await?) },
            async { Ok::<_, AppError>(state.store.task_plan_units(plan_id).await?) },
            async { Ok::<_, AppError>(state.store.task_entries(plan_id, None).await?) },
            async { Ok::<_, AppError>(state.store.list_units().await?) },
        )?;
        Ok(PlanData {
            plan,
            site,
            rows,
            row_units: group_row_units(&units_of_rows),
            entries,
            units: units.into_iter().map(|u| (u.id, u)).collect(),
            today: state.clock.now().date_naive(),
        })
    }

    pub fn unit_name(&self, id: i64) -> &str {
        self.units.get(&id).map_or("（已删除单位）", |u| u.name.as_str())
    }

    pub fn entries_by_row(&self) -> HashMap<i64, Vec<&TaskEntryRow>> {
        let mut out: HashMap<i64, Vec<&TaskEntryRow>> = HashMap::new();
        for e in &self.entries {
            out.entry(e.row_id).or_default().push(e);
        }
        out
    }

    /// (unit, facts) of every entry of a row still in the plan.
    pub fn facts(&self) -> Vec<(i64, EntryFacts)> {
        let live: std::collections::HashSet<i64> = self.rows.iter().map(|r| r.id).collect();
        self.entries
            .iter()
            .filter(|e| live.contains(&e.row_id))
            .map(|e| (e.unit_id, facts_of(e)))
            .collect()
    }
}

// -------------------------------------------------------------------- work

/// The form of a new entry.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct EntryInput {
    pub unit_id: i64,
    pub title: String,
    pub owner: String,
    pub due_on: String,
    pub target_kind: String,
    #[serde(default)]
    pub target_count: Option<String>,
    #[serde(default)]
    pub measure_no: Option<String>,
}

/// A field error: (field, Chinese message).
pub type FieldError = (&'static str, String);

/// Checks that the caller may work for `unit_id` on this row: it must be
/// one of the row's units (or assigned), and the caller one of its staff
/// or the office.
pub async fn require_worker(state: &AppState, session: &Session, row: &TaskRowRow, unit_id: i64) -> AppResult<(Unit, Site)> {
    let plan = state.store.task_plan(row.plan_id).await?;
    let site = site_of(state, plan.site_id).await?;
    let units = state.store.list_units().await?;
    let unit = units.iter().find(|u| u.id == unit_id).cloned().ok_or_else(AppError::not_found)?;
    let row_units = state.store.task_row_units(row.id).await?;
    if !row_units.iter().any(|u| u.unit_id == unit_id) {
        return Err(AppError::invalid("unit_id", "该单位不是本项任务的牵头或责任单位"));
    }
    if !(works_for(session, &unit.unit_path()) || is_office(session, &site, &units)) {
        return Err(AppError::forbidden());
    }
    Ok((unit, site))
}

/// Adds an entry to a unit's 细化清单.
pub async fn create_entry(state: &AppState, session: &Session, row: &TaskRowRow, input: &EntryInput) -> AppResult<Result<i64, FieldError>> {
    if row.withdrawn {
        return Ok(Err(("row", "该任务已从清单中撤销，不能再细化".into())));
    }
    let (unit, _) = require_worker(state, session, row, input.unit_id).await?;
    let title = input.title.trim();
    if title.chars().count() < 4 || title.chars().count() > 500 {
        return Ok(Err(("title", "条目内容应为4至500个字".into())));
    }
    let owner = input.owner.trim();
    if owner.is_empty() || owner.chars().count() > 50 {
        return Ok(Err(("owner", "请填写责任人（50字以内）".into())));
    }
    let Some(due) = day(input.due_on.trim()) else {
        return Ok(Err(("due_on", "完成时限应为有效日期（年-月-日）".into())));
    };
    let target = match Target::parse(&input.target_kind, input.target_count.as_deref()) {
        Ok(t) => t,
        Err(m) => return Ok(Err(("target_kind", m.into()))),
    };
    let measures = measures_of(row);
    let measure_no = match input.measure_no.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match s.parse::<usize>() {
            Ok(i) if i < measures.len() => Some(i as i64),
            _ => return Ok(Err(("measure_no", "所选举措不存在".into()))),
        },
    };
    let today = state.clock.now().date_naive().to_string();
    let mut tx = state.store.begin().await?;
    let id = tx
        .insert_task_entry(&NewTaskEntry {
            plan_id: row.plan_id,
            row_id: row.id,
            unit_id: unit.id,
            measure_no,
            title: title.into(),
            owner: owner.into(),
            due_on: due.to_string(),
            target_kind: target.kind.as_str().into(),
            target_count: target.count.map(i64::from),
            created_on: today.clone(),
            created_by: session.user.username.clone(),
        })
        .await?;
    tx.add_task_event(&NewTaskEvent {
        plan_id: row.plan_id,
        row_id: row.id,
        entry_id: Some(id),
        unit_id: Some(unit.id),
        kind: "entry_created".into(),
        note: Some(format!("{title}（责任人：{owner}，时限：{due}，目标：{}）", target.label_zh())),
        occurred_on: today,
        actor: session.user.username.clone(),
        ..NewTaskEvent::default()
    })
    .await?;
    tx.audit(
        NewEntry::new(session.user.username.clone(), "tasks.entry_create", "task_entry", id)
            .unit(Some(unit.id))
            .detail(serde_json::json!({ "row": row.id, "due_on": due.to_string(), "target": target.kind.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Makes one entry per measure of the row for the unit (measures it has
/// entries for already are skipped); due dates from the measure's dated
/// time limit, else the row's; targets as the measure suggests. Returns how
/// many were made.
pub async fn entries_from_measures(state: &AppState, session: &Session, row: &TaskRowRow, unit_id: i64) -> AppResult<usize> {
    let (unit, _) = require_worker(state, session, row, unit_id).await?;
    let plan = state.store.task_plan(row.plan_id).await?;
    let existing = state.store.task_entries(row.plan_id, Some(row.id)).await?;
    let measures = measures_of(row);
    let mut made = 0;
    for (i, m) in measures.iter().enumerate() {
        if existing.iter().any(|e| e.unit_id == unit.id && e.measure_no == Some(i as i64)) {
            continue;
        }
        let target = gongkai_domain::tasks::suggested_target(m);
        let due = row_due(&m.deadlines, plan.year as i32)
            .or_else(|| row.due_on.as_deref().and_then(day))
            .unwrap_or_default();
        let title: String = m.text.chars().take(500).collect();
        let title = if title.chars().count() < 4 {
            format!("落实：{title}")
        } else {
            title
        };
        let input = EntryInput {
            unit_id: unit.id,
            title,
            owner: format!("{}（待指定）", unit.name),
            due_on: due.to_string(),
            target_kind: target.kind.as_str().into(),
            target_count: target.count.map(|c| c.to_string()),
            measure_no: Some(i.to_string()),
        };
        if create_entry(state, session, row, &input).await?.is_ok() {
            made += 1;
        }
    }
    Ok(made)
}

/// A progress report.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    pub progress: u8,
    pub achieved: Option<u32>,
    pub note: String,
    pub document_id: Option<i64>,
    pub file: Option<(String, Vec<u8>)>,
    /// Ask the lead unit for 销号 with this report.
    pub submit: bool,
}

/// Records a progress report (and, when asked, the request for 销号).
pub async fn report(state: &AppState, session: &Session, entry: &TaskEntryRow, input: ReportInput) -> AppResult<Result<(), String>> {
    let row = state.store.task_row(entry.row_id).await?;
    let (unit, site) = require_worker(state, session, &row, entry.unit_id).await?;
    let status = EntryStatus::parse(&entry.status).unwrap_or(EntryStatus::Open);
    let target = Target {
        kind: TargetKind::parse(&entry.target_kind).unwrap_or(TargetKind::YesNo),
        count: entry.target_count.and_then(|c| u32::try_from(c).ok()),
    };
    if input.progress > 100 {
        return Ok(Err("进度应为0至100之间的整数".into()));
    }
    if let Some(doc_id) = input.document_id {
        match state.store.get_document(doc_id).await {
            Ok(d) if d.site_id == site.id && d.state == "published" => {}
            _ => return Ok(Err(format!("关联的公开文件（编号 {doc_id}）不存在或尚未发布"))),
        }
    }
    let note = input.note.trim().to_owned();
    if note.chars().count() > 2000 {
        return Ok(Err("情况说明不超过2000字".into()));
    }
    if let Some((name, bytes)) = &input.file
        && let Err(e) = gongkai_domain::files::check(name, bytes)
    {
        return Ok(Err(e.message_zh().to_string()));
    }
    // A count target's progress follows the count achieved so far.
    let achieved = input.achieved.or(entry.achieved.and_then(|a| u32::try_from(a).ok()));
    let progress = target.progress(input.progress, achieved);
    let prior = state.store.task_entry_events(entry.id).await?;
    let evidence = Evidence {
        document: input.document_id.is_some() || prior.iter().any(|e| e.document_id.is_some()),
        file: input.file.is_some() || prior.iter().any(|e| e.file_hash.is_some()),
        note: note.chars().count() >= 4
            || prior
                .iter()
                .any(|e| e.kind == "report" && e.note.as_deref().is_some_and(|n| n.chars().count() >= 4)),
    };
    let next = match after_report(status, &target, progress, evidence, input.submit) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e.message_zh().into())),
    };
    let file = match &input.file {
        Some((name, bytes)) => Some((crate::catalogue::files::store_bytes(state, bytes).await?, name.clone())),
        None => None,
    };
    let today = state.clock.now().date_naive().to_string();
    let actor = session.user.username.clone();
    let mut tx = state.store.begin().await?;
    tx.add_task_event(&NewTaskEvent {
        plan_id: entry.plan_id,
        row_id: entry.row_id,
        entry_id: Some(entry.id),
        unit_id: Some(unit.id),
        kind: "report".into(),
        progress: Some(progress.into()),
        achieved: input.achieved.map(i64::from),
        note: (!note.is_empty()).then_some(note),
        document_id: input.document_id,
        file_hash: file.as_ref().map(|f| f.0.clone()),
        file_name: file.as_ref().map(|f| f.1.clone()),
        occurred_on: today.clone(),
        actor: actor.clone(),
    })
    .await?;
    if next == EntryStatus::Submitted {
        tx.add_task_event(&NewTaskEvent {
            plan_id: entry.plan_id,
            row_id: entry.row_id,
            entry_id: Some(entry.id),
            unit_id: Some(unit.id),
            kind: "submitted".into(),
            occurred_on: today.clone(),
            actor: actor.clone(),
            ..NewTaskEvent::default()
        })
        .await?;
    }
    tx.set_task_entry_state(
        entry.id,
        &TaskEntryState {
            progress: progress.into(),
            achieved: input.achieved.map(i64::from).or(entry.achieved),
            status: next.as_str().into(),
            has_evidence: evidence.any(),
            last_report_on: Some(today.clone()),
            submitted_on: (next == EntryStatus::Submitted).then(|| today.clone()),
            closed_on: None,
        },
    )
    .await?;
    tx.audit(
        NewEntry::new(
            actor,
            if input.submit { "tasks.submit" } else { "tasks.report" },
            "task_entry",
            entry.id,
        )
        .unit(Some(unit.id))
        .detail(serde_json::json!({ "progress": progress, "document": input.document_id, "file": file.as_ref().map(|f| &f.0) })),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// May the caller decide 销号 for this row: a lead unit's case handler, or
/// the office.
pub async fn may_review(state: &AppState, session: &Session, row: &TaskRowRow) -> AppResult<bool> {
    let plan = state.store.task_plan(row.plan_id).await?;
    let site = site_of(state, plan.site_id).await?;
    let units = state.store.list_units().await?;
    if is_office(session, &site, &units) {
        return Ok(true);
    }
    let leads = state.store.task_row_units(row.id).await?;
    Ok(leads.iter().filter(|u| u.role == "lead").any(|l| {
        units
            .iter()
            .find(|u| u.id == l.unit_id)
            .is_some_and(|u| session.can(Action::HandleCases, Scope::Unit(&u.unit_path())))
    }))
}

/// The lead unit confirms 销号 or returns the entry with a comment.
pub async fn review(
    state: &AppState,
    session: &Session,
    entry: &TaskEntryRow,
    confirm: bool,
    comment: &str,
) -> AppResult<Result<(), String>> {
    let row = state.store.task_row(entry.row_id).await?;
    if !may_review(state, session, &row).await? {
        return Err(AppError::forbidden());
    }
    let status = EntryStatus::parse(&entry.status).unwrap_or(EntryStatus::Open);
    let next = match after_review(status, confirm, comment) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e.message_zh().into())),
    };
    let today = state.clock.now().date_naive().to_string();
    let actor = session.user.username.clone();
    let comment = comment.trim().to_owned();
    let mut state_cols = entry.state();
    state_cols.status = next.as_str().into();
    if next == EntryStatus::Closed {
        state_cols.closed_on = Some(today.clone());
    }
    let mut tx = state.store.begin().await?;
    tx.add_task_event(&NewTaskEvent {
        plan_id: entry.plan_id,
        row_id: entry.row_id,
        entry_id: Some(entry.id),
        unit_id: Some(entry.unit_id),
        kind: if confirm { "closed" } else { "returned" }.into(),
        note: (!comment.is_empty()).then_some(comment),
        occurred_on: today,
        actor: actor.clone(),
        ..NewTaskEvent::default()
    })
    .await?;
    tx.set_task_entry_state(entry.id, &state_cols).await?;
    tx.audit(
        NewEntry::new(actor, if confirm { "tasks.close" } else { "tasks.return" }, "task_entry", entry.id)
            .unit(Some(entry.unit_id))
            .detail(serde_json::json!({ "row": entry.row_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Deletes an entry nothing has been reported on.
pub async fn delete_entry(state: &AppState, session: &Session, entry: &TaskEntryRow) -> AppResult<Result<(), String>> {
    let row = state.store.task_row(entry.row_id).await?;
    require_worker(state, session, &row, entry.unit_id).await?;
    if entry.status != "open" {
        return Ok(Err("已报送进展的条目不能删除".into()));
    }
    let today = state.clock.now().date_naive().to_string();
    let mut tx = state.store.begin().await?;
    tx.delete_task_entry(entry.id).await?;
    tx.add_task_event(&NewTaskEvent {
        plan_id: entry.plan_id,
        row_id: entry.row_id,
        unit_id: Some(entry.unit_id),
        kind: "entry_deleted".into(),
        note: Some(entry.title.clone()),
        occurred_on: today,
        actor: session.user.username.clone(),
        ..NewTaskEvent::default()
    })
    .await?;
    tx.audit(
        NewEntry::new(session.user.username.clone(), "tasks.entry_delete", "task_entry", entry.id)
            .unit(Some(entry.unit_id))
            .detail(serde_json::json!({ "row": entry.row_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// The office names (or removes) a department for a row.
pub async fn assign_unit(state: &AppState, session: &Session, row: &TaskRowRow, unit_id: i64, add: bool) -> AppResult<Result<(), String>> {
    let plan = state.store.task_plan(row.plan_id).await?;
    let site = site_of(state, plan.site_id).await?;
    let units = site_units(state, &site).await?;
    if !is_office(session, &site, &units) {
        return Err(AppError::forbidden());
    }
    let Some(unit) = units.iter().find(|u| u.id == unit_id) else {
        return Ok(Err("所选单位不存在".into()));
    };
    let mut tx = state.store.begin().await?;
    let changed = if add {
        tx.assign_task_row_unit(row.id, unit_id, "responsible").await?
    } else {
        tx.unassign_task_row_unit(row.id, unit_id, "responsible").await?
    };
    if !changed {
        return Ok(Err(if add {
            "该单位已是本项任务的责任单位"
        } else {
            "只能移除由政府办指定的单位"
        }
        .into()));
    }
    tx.add_task_event(&NewTaskEvent {
        plan_id: row.plan_id,
        row_id: row.id,
        unit_id: Some(unit_id),
        kind: if add { "assigned" } else { "unassigned" }.into(),
        note: Some(unit.name.clone()),
        occurred_on: state.clock.now().date_naive().to_string(),
        actor: session.user.username.clone(),
        ..NewTaskEvent::default()
    })
    .await?;
    tx.audit(
        NewEntry::new(
            session.user.username.clone(),
            if add { "tasks.assign" } else { "tasks.unassign" },
            "task_row",
            row.id,
        )
        .unit(Some(unit_id)),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Sets a plan's assessment weights (office only).
pub async fn set_weights(state: &AppState, session: &Session, plan: &TaskPlanRow, w: Weights) -> AppResult<()> {
    let site = site_of(state, plan.site_id).await?;
    let units = state.store.list_units().await?;
    if !is_office(session, &site, &units) {
        return Err(AppError::forbidden());
    }
    let json = serde_json::to_string(&w).map_err(|e| anyhow::anyhow!(e))?;
    let mut tx = state.store.begin().await?;
    tx.set_task_plan_weights(plan.id, &json).await?;
    tx.audit(
        NewEntry::new(session.user.username.clone(), "tasks.weights", "task_plan", plan.id)
            .unit(Some(site.owner_unit_id))
            .detail(serde_json::to_value(w).unwrap_or_default()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The 通报 of lagging units at a date: its title and body (JSON).
pub fn notice_body(data: &PlanData) -> (String, Value) {
    let facts = data.facts();
    let lagging = gongkai_domain::tasks::lagging_units(&facts, data.today);
    let by_unit_overdue: HashMap<i64, Vec<&TaskEntryRow>> =
        data.entries
            .iter()
            .filter(|e| facts_of(e).overdue(data.today))
            .fold(HashMap::new(), |mut m, e| {
                m.entry(e.unit_id).or_default().push(e);
                m
            });
    let units: Vec<Value> = lagging
        .iter()
        .map(|l| {
            serde_json::json!({
                "unit_id": l.unit_id,
                "unit": data.unit_name(l.unit_id),
                "entries": l.entries,
                "overdue": l.overdue,
                "stalled": l.stalled,
                "overdue_items": by_unit_overdue.get(&l.unit_id).map(|es| es.iter().map(|e| serde_json::json!({
                    "entry_id": e.id, "title": e.title, "due_on": e.due_on, "progress": e.progress,
                })).collect::<Vec<_>>()).unwrap_or_default(),
            })
        })
        .collect();
    let title = format!(
        "关于{}推进滞后单位的通报（截至{}）",
        data.plan.title,
        data.today.format("%Y年%-m月%-d日")
    );
    (title, serde_json::json!({ "as_of": data.today.to_string(), "units": units }))
}

/// Issues a 通报: stores the list of lagging units as of today.
pub async fn issue_notice(state: &AppState, session: &Session, plan_id: i64) -> AppResult<Result<i64, String>> {
    let data = PlanData::load(state, plan_id).await?;
    let units: Vec<Unit> = data.units.values().cloned().collect();
    if !is_office(session, &data.site, &units) {
        return Err(AppError::forbidden());
    }
    let (title, body) = notice_body(&data);
    if body["units"].as_array().is_none_or(|a| a.is_empty()) {
        return Ok(Err("目前没有逾期或停滞的单位，无需通报".into()));
    }
    let mut tx = state.store.begin().await?;
    let id = tx
        .insert_task_notice(plan_id, &data.today.to_string(), &title, &body.to_string(), &session.user.username)
        .await?;
    tx.audit(
        NewEntry::new(session.user.username.clone(), "tasks.notice", "task_notice", id)
            .unit(Some(data.site.owner_unit_id))
            .detail(serde_json::json!({ "plan": plan_id, "units": body["units"].as_array().map_or(0, |a| a.len()) })),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Publishes a text to the catalogue as a draft of the office in the given
/// column: it then goes through the column's review stages like any other
/// document. Returns the draft's id.
pub async fn draft_to_catalogue(
    state: &AppState,
    session: &Session,
    site: &Site,
    column_slug: &str,
    title: &str,
    body_html: &str,
) -> AppResult<Result<i64, String>> {
    let Some(column) = state.store.column_by_slug(site.id, column_slug).await? else {
        return Ok(Err("站点没有相应的栏目，请先在“栏目”中创建".into()));
    };
    let office = state.store.get_unit(office_of(site)).await?;
    if !session.can(Action::EditContent, Scope::Unit(&office.unit_path())) {
        return Ok(Err(format!("发布到公开目录需要{}的信息编辑权限", office.name)));
    }
    let input = crate::catalogue::DocumentInput {
        column_id: column.id,
        title: title.to_owned(),
        issuer: office.name.clone(),
        doc_no: String::new(),
        written_on: state.clock.now().date_naive().to_string(),
        topic: String::new(),
        genre: String::new(),
        validity: String::new(),
        effective_on: String::new(),
        expires_on: String::new(),
        body: body_html.to_owned(),
        transcript: String::new(),
        links: vec![],
    };
    match crate::catalogue::create_document(state, session, site.id, office.id, &input).await? {
        Ok(id) => Ok(Ok(id)),
        Err((_, m)) => Ok(Err(m)),
    }
}

/// Errors of the work rules as API errors.
pub fn work_error(e: WorkError) -> AppError {
    AppError::new(axum::http::StatusCode::CONFLICT, e.code(), e.message_zh())
}

/// The label of a group code stored as `via`.
pub fn via_label(via: &str) -> &'static str {
    match via {
        "named" => "",
        "assigned" => "政府办指定",
        code => CollectiveGroup::from_code(code).map_or("", |g| g.label_zh()),
    }
}

/// `gongkai tasks import`: reads the file, imports (or previews) it and
/// prints the summary (text or `--json`). Exit codes: 0 done, 2 unreadable
/// or not a task list, 4 a revised list's diff waits for `--yes`.
pub async fn cli_import(
    state: &AppState,
    file: &std::path::Path,
    site: Option<&str>,
    year: i32,
    json: bool,
    dry_run: bool,
    yes: bool,
) -> anyhow::Result<std::process::ExitCode> {
    use std::process::ExitCode;
    let site = match site {
        Some(code) => state
            .store
            .site_by_code(code)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no site with code {code}"))?,
        None => crate::catalogue::portal::default_site(state)
            .await
            .map_err(|_| anyhow::anyhow!("no site yet: run `gongkai demo` or create one"))?,
    };
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("list.txt").to_owned();
    let text = match admin::read_any(&name, &bytes) {
        Ok(t) => t,
        Err(m) => {
            eprintln!("{}: {m}", file.display());
            return Ok(ExitCode::from(2));
        }
    };
    let apply = if dry_run {
        Apply::Preview
    } else if yes {
        Apply::Confirmed
    } else {
        Apply::IfNew
    };
    let report = match import_plan(state, "cli", &site, year, &name, &text, apply)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message))?
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}: {} ({})", file.display(), e.message_zh(), e.code());
            return Ok(ExitCode::from(2));
        }
    };
    let waiting = report.existing.is_some() && !report.unchanged && report.applied.is_none() && !dry_run;
    if json {
        let mut v = report.summary.clone();
        v["plan_id"] = serde_json::json!(report.applied.or(report.existing));
        v["applied"] = serde_json::json!(report.applied.is_some());
        v["unchanged"] = serde_json::json!(report.unchanged);
        v["new_units"] = serde_json::json!(report.new_units);
        v["diff"] = serde_json::json!(report.diff);
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        let s = &report.summary;
        println!("{}", report.plan.title);
        println!(
            "parts {}, items {}, tasks {}, measures {}, units {}, groups {}, dated deadlines {}",
            s["parts"],
            s["items"],
            s["tasks"],
            s["measures"],
            s["units"].as_array().map_or(0, |a| a.len()),
            s["groups"].as_array().map_or(0, |a| a.len()),
            s["deadlines"].as_array().map_or(0, |a| a.len())
        );
        for w in &report.plan.warnings {
            println!("warning: {}", w.message);
        }
        if !report.new_units.is_empty() {
            println!(
                "units not in the registry{}: {}",
                if report.applied.is_some() { " (created)" } else { "" },
                report.new_units.join("、")
            );
        }
        for l in &report.diff {
            let what = match l.kind {
                "added" => "+".to_owned(),
                "removed" => "-".to_owned(),
                _ => format!("~ ({})", l.what.join(", ")),
            };
            println!("{what} {} {}", l.place, l.text.replace('\n', " "));
        }
        match (report.applied, report.existing) {
            (Some(id), None) => println!("imported as plan {id}"),
            (Some(id), Some(_)) => println!("plan {id} updated"),
            (None, Some(id)) if report.unchanged => println!("plan {id} is already this list: nothing to do"),
            (None, Some(id)) if waiting => println!("plan {id} differs from this list: run again with --yes to apply the changes above"),
            _ => println!("dry run: nothing written"),
        }
    }
    Ok(if waiting { ExitCode::from(4) } else { ExitCode::SUCCESS })
}

/// Reminders and escalations of the entries being worked on (the shared
/// rule of `gongkai_domain::dispatch`: remind the unit once two working
/// days before the due date, tell the office once when it has passed).
/// Entries waiting for the lead unit's 销号 are not chased. Run every minute.
pub async fn run_deadlines(state: &AppState) -> AppResult<(usize, usize)> {
    use gongkai_domain::dispatch::{DeadlineAction, deadline_action};
    let today = state.clock.now().date_naive();
    let cal = state.calendar().await?;
    let sites = state.store.list_sites().await?;
    let mut plans: HashMap<i64, i64> = HashMap::new();
    let mut tally = crate::dispatch::Tally::default();
    for e in state.store.task_open_entries().await? {
        let f = facts_of(&e);
        if !f.status.is_active() {
            continue;
        }
        let action = deadline_action(&cal, today, f.due_on, e.reminded_at.is_some(), e.escalated_at.is_some());
        if action == DeadlineAction::Nothing {
            continue;
        }
        let site_id = match plans.get(&e.plan_id) {
            Some(s) => *s,
            None => {
                let s = state.store.task_plan(e.plan_id).await?.site_id;
                plans.insert(e.plan_id, s);
                s
            }
        };
        let remind = action == DeadlineAction::Remind;
        let title: String = e.title.chars().take(60).collect();
        let notice = crate::dispatch::Notice {
            action: "tasks",
            entity: "task_entry",
            id: e.id,
            unit_id: Some(e.unit_id),
            remind,
            to: if remind {
                e.unit_id
            } else {
                sites.iter().find(|s| s.id == site_id).map_or(e.unit_id, office_of)
            },
            due: f.due_on,
            subject: if remind {
                format!("任务条目将于 {} 到期", f.due_on)
            } else {
                format!("任务条目已于 {} 逾期", f.due_on)
            },
            body: if remind {
                format!("请于 {} 前完成并报送：{title}", f.due_on)
            } else {
                format!("以下条目已超过完成时限，请督促：{title}")
            },
        };
        let mut tx = state.store.begin().await?;
        notice.write(&mut tx).await?;
        tx.mark_task_entry(e.id, remind).await?;
        tx.commit().await?;
        tally.count(remind);
    }
    Ok(tally.pair())
}
