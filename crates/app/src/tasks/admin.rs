//! Admin pages of the task responsibility list: the plans and the import
//! (upload → preview with warnings and the diff of a revised list →
//! confirm), the plan tree with each row's state, the overview dashboard
//! (SVG charts), "my tasks" for a unit, a row with its measures, units,
//! entries and timeline, an entry with its progress reports, evidence and
//! 销号, the lagging units and their 通报, the assessment, and the
//! completion report (xlsx, docx, or a catalogue draft).

use super::{
    Apply, DiffLine, EntryInput, PlanData, ReportInput, RowState, RowUnits, average_progress, facts_of, import_plan, is_office, may_review,
    may_view, measures_of, names_of, row_state, site_units, via_label, weights_of, works_for,
};
use crate::auth::{Session, Staff};
use crate::catalogue::portal::default_site;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Outcome, Page, admin_page, redirect_done, redirect_error, render, with_outcome};
use askama::Template;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use gongkai_domain::tasks::{EntryStatus, Score, TargetKind, Weights, assess, cn_numeral, lagging_units};
use gongkai_store::tasks::{TaskEntryRow, TaskEventRow, TaskPlanRow};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

fn require_view(session: &Session) -> AppResult<()> {
    if may_view(session) { Ok(()) } else { Err(AppError::forbidden()) }
}

// ------------------------------------------------------------------ plans

pub struct PlanLine {
    pub id: i64,
    pub year: i64,
    pub title: String,
    pub doc_number: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "admin/tasks_plans.html")]
struct PlansT {
    page: Page,
    nav_plan: Option<i64>,
    plans: Vec<PlanLine>,
    office: bool,
    year: i32,
}

/// `GET /admin/tasks`: the plans, and the import form for the office.
pub async fn plans(State(state): State<AppState>, Staff(session, ctx): Staff, Query(f): Query<Outcome>) -> AppResult<Response> {
    require_view(&session)?;
    let site = default_site(&state).await?;
    let units = state.store.list_units().await?;
    let plans = state
        .store
        .task_plans(site.id)
        .await?
        .into_iter()
        .map(|p| PlanLine {
            id: p.id,
            year: p.year,
            title: p.title,
            doc_number: p.doc_number.unwrap_or_default(),
            updated: p.updated_at.get(..10).unwrap_or_default().to_owned(),
        })
        .collect();
    let page = with_outcome(admin_page(&state, &session, &ctx, "任务清单").await?, f.done, f.error);
    render(&PlansT {
        page,
        nav_plan: None,
        plans,
        office: is_office(&session, &site, &units),
        year: state.clock.now().date_naive().year(),
    })
}

#[derive(Template)]
#[template(path = "admin/tasks_preview.html")]
struct PreviewT {
    page: Page,
    nav_plan: Option<i64>,
    title: String,
    doc_number: String,
    year: i32,
    source_name: String,
    hash: String,
    parts: usize,
    items: usize,
    tasks: usize,
    measures: usize,
    units: Vec<String>,
    groups: Vec<String>,
    new_units: Vec<String>,
    deadlines: Vec<(String, String, String)>,
    warnings: Vec<String>,
    existing: Option<i64>,
    unchanged: bool,
    diff: Vec<DiffLine>,
}

/// `POST /admin/tasks/import` (multipart: `file`, `year`): parses the list
/// and shows what an import would do; nothing is written yet.
pub async fn import_upload(State(state): State<AppState>, Staff(session, ctx): Staff, mut multipart: Multipart) -> AppResult<Response> {
    let site = default_site(&state).await?;
    let units = state.store.list_units().await?;
    if !is_office(&session, &site, &units) {
        return Err(AppError::forbidden());
    }
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut year = state.clock.now().date_naive().year();
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_owned();
                match field.bytes().await {
                    Ok(b) if !b.is_empty() => file = Some((name, b.to_vec())),
                    Ok(_) => {}
                    Err(_) => return Ok(redirect_error("/admin/tasks", "文件上传失败或超过大小限制")),
                }
            }
            Some("year") => {
                let v = field.text().await.unwrap_or_default();
                match v.trim().parse::<i32>() {
                    Ok(y) if (2000..=2100).contains(&y) => year = y,
                    _ => return Ok(redirect_error("/admin/tasks", "年度应为2000至2100之间的四位数字")),
                }
            }
            _ => {}
        }
    }
    let Some((name, bytes)) = file else {
        return Ok(redirect_error("/admin/tasks", "请选择任务清单文件（.txt、.docx 或 .xlsx）"));
    };
    let text = match read_any(&name, &bytes) {
        Ok(t) => t,
        Err(m) => return Ok(redirect_error("/admin/tasks", &m)),
    };
    // Keep the text so the confirmation imports exactly what was previewed.
    let hash = crate::catalogue::files::store_bytes(&state, text.as_bytes()).await?;
    let report = match import_plan(&state, &session.user.username, &site, year, &name, &text, Apply::Preview).await? {
        Ok(r) => r,
        Err(e) => return Ok(redirect_error("/admin/tasks", e.message_zh())),
    };
    let s = &report.summary;
    let list = |k: &str| -> Vec<String> {
        s[k].as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    let page = admin_page(&state, &session, &ctx, "导入任务清单").await?;
    render(&PreviewT {
        page,
        nav_plan: report.existing,
        title: report.plan.title.clone(),
        doc_number: report.plan.doc_number.clone().unwrap_or_default(),
        year,
        source_name: name,
        hash,
        parts: report.plan.parts.len(),
        items: report.plan.item_count(),
        tasks: report.plan.task_count(),
        measures: report.plan.measure_count(),
        units: list("units"),
        groups: list("groups"),
        new_units: report.new_units.clone(),
        deadlines: s["deadlines"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| {
                let f = |k: &str| d[k].as_str().unwrap_or_default().to_owned();
                (f("date"), f("text"), f("task"))
            })
            .collect(),
        warnings: report.plan.warnings.iter().map(|w| w.message.clone()).collect(),
        existing: report.existing,
        unchanged: report.unchanged,
        diff: report.diff,
    })
}

/// Reads an uploaded list: text, Word or Excel.
pub fn read_any(name: &str, bytes: &[u8]) -> Result<String, String> {
    let lower = name.to_lowercase();
    let zip = bytes.starts_with(b"PK\x03\x04");
    if !zip && !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) && !lower.ends_with(".docx") && !lower.ends_with(".xlsx") {
        return super::files::decode_text(bytes).map_err(|e| e.message_zh());
    }
    let t = super::files::read_table_file(name, bytes).map_err(|e| e.message_zh())?;
    Ok(gongkai_domain::tasks::text_from_table(&t.preamble, &t.rows))
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    hash: String,
    name: String,
    year: i32,
}

/// `POST /admin/tasks/import/confirm`: imports the previewed text.
pub async fn import_confirm(State(state): State<AppState>, Staff(session, _): Staff, Form(f): Form<ConfirmForm>) -> AppResult<Response> {
    let site = default_site(&state).await?;
    let units = state.store.list_units().await?;
    if !is_office(&session, &site, &units) {
        return Err(AppError::forbidden());
    }
    if !f.hash.bytes().all(|b| b.is_ascii_hexdigit()) || !(2000..=2100).contains(&f.year) {
        return Err(AppError::bad_request("导入信息有误，请重新上传"));
    }
    let path = crate::catalogue::files::file_path(&state, &f.hash).ok_or_else(|| AppError::bad_request("导入信息有误，请重新上传"))?;
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|_| AppError::bad_request("预览的文件已失效，请重新上传"))?;
    let text = String::from_utf8(bytes).map_err(|_| AppError::bad_request("预览的文件已失效，请重新上传"))?;
    let name: String = f.name.chars().take(200).collect();
    match import_plan(&state, &session.user.username, &site, f.year, &name, &text, Apply::Confirmed).await? {
        Ok(r) => match (r.applied, r.existing) {
            (Some(id), _) => Ok(redirect_done(
                &format!("/admin/tasks/plans/{id}"),
                &format!("已导入：{}项任务，新建单位{}个", r.plan.task_count(), r.new_units.len()),
            )),
            (None, Some(id)) => Ok(redirect_done(
                &format!("/admin/tasks/plans/{id}"),
                "清单与已导入的内容相同，无需更新",
            )),
            (None, None) => Err(AppError::internal()),
        },
        Err(e) => Ok(redirect_error("/admin/tasks", e.message_zh())),
    }
}

// ------------------------------------------------------------------ plan tree

pub struct TreeRow {
    pub id: i64,
    pub text: String,
    pub lead: String,
    pub responsible: String,
    pub due_on: String,
    pub state: RowState,
    pub entries: usize,
    pub closed: usize,
    pub progress: i64,
}

pub struct TreeItem {
    pub label: String,
    pub rows: Vec<TreeRow>,
}

pub struct TreePart {
    pub label: String,
    pub items: Vec<TreeItem>,
}

#[derive(Template)]
#[template(path = "admin/tasks_plan.html")]
struct PlanT {
    page: Page,
    nav_plan: Option<i64>,
    plan: TaskPlanRow,
    parts: Vec<TreePart>,
    warnings: Vec<String>,
    counts: Vec<(&'static str, &'static str, usize)>,
    state_filter: String,
}

fn short(s: &str, n: usize) -> String {
    crate::qa::shorten(&s.replace('\n', " "), n)
}

#[derive(Deserialize, Default)]
pub struct PlanQuery {
    state: Option<String>,
    done: Option<String>,
    error: Option<String>,
}

/// `GET /admin/tasks/plans/{id}`: the plan as a tree with each row's state.
pub async fn plan(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    Query(q): Query<PlanQuery>,
) -> AppResult<Response> {
    require_view(&session)?;
    let d = PlanData::load(&state, id).await?;
    let by_row = d.entries_by_row();
    let filter = q.state.clone().unwrap_or_default();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut parts: Vec<TreePart> = Vec::new();
    for r in &d.rows {
        let es = by_row.get(&r.id).cloned().unwrap_or_default();
        let st = row_state(&es, d.today);
        *counts.entry(st.as_str()).or_default() += 1;
        if !filter.is_empty() && st.as_str() != filter {
            continue;
        }
        let part_label = format!("{}、{}", cn_numeral(r.part_ordinal as u32), r.part_title);
        if parts.last().is_none_or(|p| p.label != part_label) {
            parts.push(TreePart {
                label: part_label,
                items: vec![],
            });
        }
        let part = parts.last_mut().expect("pushed above");
        let item_label = format!("（{}）{}", cn_numeral(r.item_ordinal as u32), r.item_title);
        if part.items.last().is_none_or(|i| i.label != item_label) {
            part.items.push(TreeItem {
                label: item_label,
                rows: vec![],
            });
        }
        part.items.last_mut().expect("pushed above").rows.push(TreeRow {
            id: r.id,
            text: short(&r.text, 90),
            lead: names_of(&r.lead_names).join("、"),
            responsible: names_of(&r.responsible_names).join("、"),
            due_on: r.due_on.clone().unwrap_or_default(),
            state: st,
            entries: es.len(),
            closed: es.iter().filter(|e| e.status == "closed").count(),
            progress: average_progress(&es),
        });
    }
    let states = [RowState::NotRefined, RowState::Working, RowState::Overdue, RowState::Closed];
    let counts = states
        .iter()
        .map(|s| (s.as_str(), s.label_zh(), counts.get(s.as_str()).copied().unwrap_or(0)))
        .collect();
    let warnings: Vec<serde_json::Value> = serde_json::from_str(&d.plan.warnings).unwrap_or_default();
    let page = with_outcome(admin_page(&state, &session, &ctx, &d.plan.title).await?, q.done, q.error);
    render(&PlanT {
        page,
        nav_plan: Some(d.plan.id),
        warnings: warnings.iter().filter_map(|w| w["message"].as_str().map(str::to_owned)).collect(),
        plan: d.plan,
        parts,
        counts,
        state_filter: filter,
    })
}

// ------------------------------------------------------------------ dashboard

#[derive(serde::Serialize)]
pub struct UnitLine {
    pub id: i64,
    pub name: String,
    pub entries: u64,
    pub closed: u64,
    pub overdue: u64,
}

/// The dashboard's figures.
#[derive(serde::Serialize)]
pub struct Dashboard {
    pub rows: usize,
    pub refined: usize,
    pub entries: usize,
    pub closed: usize,
    pub overdue: usize,
    pub stalled: usize,
    /// Every unit expected to work on the plan, best completion first.
    pub units: Vec<UnitLine>,
    /// Overdue entries by the month they fell due.
    pub months: Vec<(String, u64)>,
}

/// What the dashboard reads: less than [`PlanData`] (no row texts, no
/// (row, unit) pairs), so a plan of thousands of rows renders quickly.
pub struct DashboardData {
    pub plan: TaskPlanRow,
    pub row_ids: Vec<i64>,
    /// The units expected to work on the plan.
    pub workers: Vec<i64>,
    pub entries: Vec<gongkai_store::tasks::TaskEntryFactsRow>,
    pub names: HashMap<i64, String>,
    pub today: chrono::NaiveDate,
}

impl DashboardData {
    pub async fn load(state: &AppState, plan_id: i64) -> AppResult<DashboardData> {
        let plan = state.store.task_plan(plan_id).await?;
        let (row_ids, workers, entries, units) = tokio::try_join!(
            state.store.task_row_ids(plan_id),
            state.store.task_plan_workers(plan_id),
            state.store.task_entry_facts(plan_id),
            state.store.list_units(),
        )?;
        Ok(DashboardData {
            plan,
            row_ids,
            workers,
            entries,
            names: units.into_iter().map(|u| (u.id, u.name)).collect(),
            today: state.clock.now().date_naive(),
        })
    }

    fn unit_name(&self, id: i64) -> String {
        self.names.get(&id).cloned().unwrap_or_else(|| "（已删除单位）".into())
    }
}

impl Dashboard {
    pub fn compute(d: &DashboardData) -> Dashboard {
        let live: std::collections::HashSet<i64> = d.row_ids.iter().copied().collect();
        let entries: Vec<&gongkai_store::tasks::TaskEntryFactsRow> = d.entries.iter().filter(|e| live.contains(&e.row_id)).collect();
        let refined_rows: std::collections::HashSet<i64> = entries.iter().map(|e| e.row_id).collect();
        let mut per_unit: HashMap<i64, UnitLine> = HashMap::new();
        let mut months: BTreeMap<String, u64> = BTreeMap::new();
        let (mut closed, mut overdue, mut stalled) = (0, 0, 0);
        let line = |u: i64| UnitLine {
            id: u,
            name: d.unit_name(u),
            entries: 0,
            closed: 0,
            overdue: 0,
        };
        // Every unit named for a row counts, with or without entries.
        for &u in &d.workers {
            per_unit.entry(u).or_insert_with(|| line(u));
        }
        for e in &entries {
            let f = super::facts_of_narrow(e);
            let l = per_unit.entry(e.unit_id).or_insert_with(|| line(e.unit_id));
            l.entries += 1;
            if f.status == EntryStatus::Closed {
                l.closed += 1;
                closed += 1;
            }
            if f.overdue(d.today) {
                l.overdue += 1;
                overdue += 1;
                *months.entry(f.due_month()).or_default() += 1;
            }
            stalled += usize::from(f.stalled(d.today));
        }
        let mut units: Vec<UnitLine> = per_unit.into_values().collect();
        let rate = |u: &UnitLine| if u.entries == 0 { 0.0 } else { u.closed as f64 / u.entries as f64 };
        units.sort_by(|a, b| {
            rate(b)
                .total_cmp(&rate(a))
                .then(b.entries.cmp(&a.entries))
                .then(a.name.cmp(&b.name))
        });
        Dashboard {
            rows: d.row_ids.len(),
            refined: refined_rows.len(),
            entries: entries.len(),
            closed,
            overdue,
            stalled,
            units,
            months: months.into_iter().collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/tasks_dashboard.html")]
pub struct DashboardT {
    page: Page,
    nav_plan: Option<i64>,
    plan: TaskPlanRow,
    dash: Dashboard,
    completion_svg: String,
    overdue_svg: String,
}

/// The dashboard page (the benchmark renders this too).
pub fn dashboard_view(d: &DashboardData, page: Page) -> DashboardT {
    let dash = Dashboard::compute(d);
    let bars: Vec<super::svg::Bar> = dash
        .units
        .iter()
        .map(|u| super::svg::Bar {
            label: u.name.clone(),
            value: u.closed,
            total: Some(u.entries),
        })
        .collect();
    let month_bars: Vec<super::svg::Bar> = dash
        .months
        .iter()
        .map(|(m, n)| super::svg::Bar {
            label: m.clone(),
            value: *n,
            total: None,
        })
        .collect();
    DashboardT {
        page,
        nav_plan: Some(d.plan.id),
        completion_svg: super::svg::horizontal_bars("chart-units", "各单位销号完成情况（已销号/条目数）", &bars),
        overdue_svg: super::svg::column_bars("chart-months", "逾期条目按到期月份分布", &month_bars),
        dash,
        plan: d.plan.clone(),
    }
}

/// Renders the dashboard page to HTML.
pub fn render_dashboard(d: &DashboardData, page: Page) -> AppResult<String> {
    dashboard_view(d, page)
        .render()
        .map_err(|e| AppError::from(anyhow::anyhow!("template: {e}")))
}

/// `GET /admin/tasks/plans/{id}/dashboard`.
pub async fn dashboard(State(state): State<AppState>, Staff(session, ctx): Staff, Path(id): Path<i64>) -> AppResult<Response> {
    require_view(&session)?;
    let d = DashboardData::load(&state, id).await?;
    let page = admin_page(&state, &session, &ctx, &format!("{} · 总览", d.plan.title)).await?;
    render(&dashboard_view(&d, page))
}

// ------------------------------------------------------------------ my tasks

pub struct MineRow {
    pub id: i64,
    pub place: String,
    pub text: String,
    pub role: &'static str,
    pub unit: String,
    pub state: RowState,
    pub due_on: String,
}

pub struct MineEntry {
    pub id: i64,
    pub title: String,
    pub unit: String,
    pub due_on: String,
    pub progress: i64,
    pub status: &'static str,
    pub overdue: bool,
    pub stalled: bool,
}

#[derive(Template)]
#[template(path = "admin/tasks_mine.html")]
struct MineT {
    page: Page,
    nav_plan: Option<i64>,
    plans: Vec<(i64, String)>,
    plan_id: i64,
    rows: Vec<MineRow>,
    entries: Vec<MineEntry>,
    to_confirm: Vec<MineEntry>,
}

#[derive(Deserialize, Default)]
pub struct MineQuery {
    plan: Option<i64>,
}

/// `GET /admin/tasks/mine`: the rows, entries and 销号 requests of the
/// caller's units in a plan (the newest by default).
pub async fn mine(State(state): State<AppState>, Staff(session, ctx): Staff, Query(q): Query<MineQuery>) -> AppResult<Response> {
    require_view(&session)?;
    let site = default_site(&state).await?;
    let plans = state.store.task_plans(site.id).await?;
    let plan_id = q.plan.filter(|p| plans.iter().any(|x| x.id == *p)).or(plans.first().map(|p| p.id));
    let page = admin_page(&state, &session, &ctx, "我的任务").await?;
    let plan_list = plans.iter().map(|p| (p.id, format!("{}年 {}", p.year, p.title))).collect();
    let Some(plan_id) = plan_id else {
        return render(&MineT {
            page,
            nav_plan: None,
            plans: plan_list,
            plan_id: 0,
            rows: vec![],
            entries: vec![],
            to_confirm: vec![],
        });
    };
    let d = PlanData::load(&state, plan_id).await?;
    let mine_units: Vec<i64> = d
        .units
        .values()
        .filter(|u| works_for(&session, &u.unit_path()))
        .map(|u| u.id)
        .collect();
    let lead_units: Vec<i64> = d
        .units
        .values()
        .filter(|u| {
            session.can(
                gongkai_domain::accounts::Action::HandleCases,
                gongkai_domain::accounts::Scope::Unit(&u.unit_path()),
            )
        })
        .map(|u| u.id)
        .collect();
    let by_row = d.entries_by_row();
    let mut rows = Vec::new();
    let mut confirm_rows = Vec::new();
    for r in &d.rows {
        let ru: RowUnits = d.row_units.get(&r.id).cloned().unwrap_or_default();
        let role = if let Some(u) = ru.lead.iter().find(|u| mine_units.contains(u)) {
            Some(("牵头", *u))
        } else {
            ru.responsible.iter().find(|u| mine_units.contains(u)).map(|u| ("责任", *u))
        };
        if ru.lead.iter().any(|u| lead_units.contains(u)) {
            confirm_rows.push(r.id);
        }
        if let Some((role, unit)) = role {
            let es = by_row.get(&r.id).cloned().unwrap_or_default();
            rows.push(MineRow {
                id: r.id,
                place: format!("{}（{}）", cn_numeral(r.part_ordinal as u32), cn_numeral(r.item_ordinal as u32)),
                text: short(&r.text, 80),
                role,
                unit: d.unit_name(unit).to_owned(),
                state: row_state(&es, d.today),
                due_on: r.due_on.clone().unwrap_or_default(),
            });
        }
    }
    let line = |e: &TaskEntryRow| {
        let f = facts_of(e);
        MineEntry {
            id: e.id,
            title: short(&e.title, 60),
            unit: d.unit_name(e.unit_id).to_owned(),
            due_on: e.due_on.clone().unwrap_or_default(),
            progress: e.progress,
            status: f.status.label_zh(),
            overdue: f.overdue(d.today),
            stalled: f.stalled(d.today),
        }
    };
    let entries = d.entries.iter().filter(|e| mine_units.contains(&e.unit_id)).map(line).collect();
    let to_confirm = d
        .entries
        .iter()
        .filter(|e| e.status == "submitted" && confirm_rows.contains(&e.row_id))
        .map(line)
        .collect();
    render(&MineT {
        page,
        nav_plan: Some(plan_id),
        plans: plan_list,
        plan_id,
        rows,
        entries,
        to_confirm,
    })
}

// ------------------------------------------------------------------ a row

pub struct EntryLine {
    pub id: i64,
    pub title: String,
    pub owner: String,
    pub due_on: String,
    pub target: String,
    pub progress: i64,
    pub status: &'static str,
    pub overdue: bool,
}

pub struct UnitEntries {
    pub unit_id: i64,
    pub unit: String,
    pub role: &'static str,
    pub via: &'static str,
    pub assigned: bool,
    pub may_work: bool,
    pub entries: Vec<EntryLine>,
}

pub struct TimelineLine {
    pub on: String,
    pub what: String,
    pub actor: String,
    pub note: String,
    pub document_id: Option<i64>,
    pub file: Option<(i64, String)>,
}

#[derive(Template)]
#[template(path = "admin/tasks_row.html")]
struct RowT {
    page: Page,
    nav_plan: Option<i64>,
    plan: TaskPlanRow,
    row: gongkai_store::tasks::TaskRowRow,
    place: String,
    measures: Vec<(String, String, Vec<String>)>,
    lead: String,
    responsible: String,
    units: Vec<UnitEntries>,
    worker_units: Vec<(i64, String)>,
    office: bool,
    all_units: Vec<(i64, String)>,
    timeline: Vec<TimelineLine>,
    today: String,
    target_kinds: Vec<(&'static str, &'static str)>,
}

pub fn event_label(kind: &str) -> &'static str {
    match kind {
        "imported" => "导入",
        "updated" => "修订",
        "withdrawn" => "撤销",
        "assigned" => "指定责任单位",
        "unassigned" => "取消指定",
        "entry_created" => "细化条目",
        "entry_deleted" => "删除条目",
        "report" => "报送进展",
        "submitted" => "申请销号",
        "closed" => "确认销号",
        "returned" => "退回",
        _ => "其他",
    }
}

pub fn timeline(events: &[TaskEventRow], unit_name: impl Fn(i64) -> String) -> Vec<TimelineLine> {
    events
        .iter()
        .map(|e| {
            let mut note = e.note.clone().unwrap_or_default();
            if let Some(p) = e.progress {
                note = format!("进度{p}%{}{}", if note.is_empty() { "" } else { "；" }, note);
            }
            if let Some(u) = e.unit_id
                && !matches!(e.kind.as_str(), "assigned" | "unassigned")
            {
                note = format!("【{}】{note}", unit_name(u));
            }
            TimelineLine {
                on: e.occurred_on.clone(),
                what: event_label(&e.kind).to_owned(),
                actor: e.actor.clone(),
                note,
                document_id: e.document_id,
                file: e.file_name.clone().map(|n| (e.id, n)),
            }
        })
        .collect()
}

/// `GET /admin/tasks/rows/{id}`.
pub async fn row(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    Query(f): Query<Outcome>,
) -> AppResult<Response> {
    require_view(&session)?;
    let r = state.store.task_row(id).await?;
    let plan = state.store.task_plan(r.plan_id).await?;
    let site = super::site_of(&state, plan.site_id).await?;
    let all = site_units(&state, &site).await?;
    let names: HashMap<i64, String> = all.iter().map(|u| (u.id, u.name.clone())).collect();
    let name = |u: i64| names.get(&u).cloned().unwrap_or_else(|| "（已删除单位）".into());
    let office = is_office(&session, &site, &all);
    let row_units = state.store.task_row_units(id).await?;
    let entries = state.store.task_entries(r.plan_id, Some(id)).await?;
    let today = state.clock.now().date_naive();
    let mut units: Vec<UnitEntries> = Vec::new();
    for ru in &row_units {
        if units.iter().any(|u| u.unit_id == ru.unit_id) {
            continue;
        }
        let path = all.iter().find(|u| u.id == ru.unit_id).map(|u| u.unit_path());
        units.push(UnitEntries {
            unit_id: ru.unit_id,
            unit: name(ru.unit_id),
            role: if ru.role == "lead" { "牵头单位" } else { "责任单位" },
            via: via_label(&ru.via),
            assigned: ru.via == "assigned",
            may_work: office || path.is_some_and(|p| works_for(&session, &p)),
            entries: entries
                .iter()
                .filter(|e| e.unit_id == ru.unit_id)
                .map(|e| {
                    let f = facts_of(e);
                    EntryLine {
                        id: e.id,
                        title: e.title.clone(),
                        owner: e.owner.clone(),
                        due_on: e.due_on.clone().unwrap_or_default(),
                        target: gongkai_domain::tasks::Target {
                            kind: TargetKind::parse(&e.target_kind).unwrap_or(TargetKind::YesNo),
                            count: e.target_count.and_then(|c| u32::try_from(c).ok()),
                        }
                        .label_zh(),
                        progress: e.progress,
                        status: f.status.label_zh(),
                        overdue: f.overdue(today),
                    }
                })
                .collect(),
        });
    }
    let worker_units = units.iter().filter(|u| u.may_work).map(|u| (u.unit_id, u.unit.clone())).collect();
    let events = state.store.task_row_events(id).await?;
    let page = with_outcome(admin_page(&state, &session, &ctx, "任务详情").await?, f.done, f.error);
    render(&RowT {
        page,
        nav_plan: Some(r.plan_id),
        place: format!(
            "{}、{} › （{}）{}",
            cn_numeral(r.part_ordinal as u32),
            r.part_title,
            cn_numeral(r.item_ordinal as u32),
            r.item_title
        ),
        measures: measures_of(&r)
            .into_iter()
            .map(|m| {
                (
                    m.number.unwrap_or_default(),
                    m.text,
                    m.deadlines
                        .iter()
                        .map(|d| match d.date() {
                            Some(day) => format!("{}（{}）", d.text(), day),
                            None => d.text().to_owned(),
                        })
                        .collect(),
                )
            })
            .collect(),
        lead: names_of(&r.lead_names).join("、"),
        responsible: names_of(&r.responsible_names).join("、"),
        units,
        worker_units,
        office,
        all_units: all.iter().map(|u| (u.id, u.name.clone())).collect(),
        timeline: timeline(&events, name),
        today: today.to_string(),
        target_kinds: TargetKind::ALL.iter().map(|k| (k.as_str(), k.label_zh())).collect(),
        plan,
        row: r,
    })
}

/// `POST /admin/tasks/rows/{id}/entries`: a new entry.
pub async fn create_entry(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(input): Form<EntryInput>,
) -> AppResult<Response> {
    let r = state.store.task_row(id).await?;
    let back = format!("/admin/tasks/rows/{id}");
    match super::create_entry(&state, &session, &r, &input).await {
        Ok(Ok(_)) => Ok(redirect_done(&back, "已添加细化条目")),
        Ok(Err((_, m))) => Ok(redirect_error(&back, &m)),
        Err(e) if e.status == axum::http::StatusCode::BAD_REQUEST => Ok(redirect_error(&back, &e.message)),
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct UnitForm {
    unit_id: i64,
    #[serde(default)]
    remove: Option<String>,
}

/// `POST /admin/tasks/rows/{id}/from-measures`: one entry per measure.
pub async fn from_measures(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<UnitForm>,
) -> AppResult<Response> {
    let r = state.store.task_row(id).await?;
    let back = format!("/admin/tasks/rows/{id}");
    let n = super::entries_from_measures(&state, &session, &r, f.unit_id).await?;
    Ok(if n == 0 {
        redirect_error(&back, "每项举措都已有该单位的条目")
    } else {
        redirect_done(&back, &format!("已按举措生成{n}个条目，请补充责任人和目标"))
    })
}

/// `POST /admin/tasks/rows/{id}/units`: the office names or removes a
/// responsible department.
pub async fn assign(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<UnitForm>,
) -> AppResult<Response> {
    let r = state.store.task_row(id).await?;
    let back = format!("/admin/tasks/rows/{id}");
    match super::assign_unit(&state, &session, &r, f.unit_id, f.remove.is_none()).await? {
        Ok(()) => Ok(redirect_done(
            &back,
            if f.remove.is_none() {
                "已指定责任单位"
            } else {
                "已取消指定"
            },
        )),
        Err(m) => Ok(redirect_error(&back, &m)),
    }
}

// ------------------------------------------------------------------ an entry

#[derive(Template)]
#[template(path = "admin/tasks_entry.html")]
struct EntryT {
    page: Page,
    nav_plan: Option<i64>,
    e: TaskEntryRow,
    row_text: String,
    unit: String,
    target: String,
    status: &'static str,
    overdue: bool,
    stalled: bool,
    may_work: bool,
    may_review: bool,
    count_target: bool,
    active: bool,
    submitted: bool,
    timeline: Vec<TimelineLine>,
}

/// `GET /admin/tasks/entries/{id}`.
pub async fn entry(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    Query(f): Query<Outcome>,
) -> AppResult<Response> {
    require_view(&session)?;
    let e = state.store.task_entry(id).await?;
    let r = state.store.task_row(e.row_id).await?;
    let unit = state.store.get_unit(e.unit_id).await?;
    let plan = state.store.task_plan(r.plan_id).await?;
    let site = super::site_of(&state, plan.site_id).await?;
    let units = state.store.list_units().await?;
    let names: HashMap<i64, String> = units.iter().map(|u| (u.id, u.name.clone())).collect();
    let facts = facts_of(&e);
    let today = state.clock.now().date_naive();
    let events = state.store.task_entry_events(id).await?;
    let target = gongkai_domain::tasks::Target {
        kind: TargetKind::parse(&e.target_kind).unwrap_or(TargetKind::YesNo),
        count: e.target_count.and_then(|c| u32::try_from(c).ok()),
    };
    let page = with_outcome(admin_page(&state, &session, &ctx, "细化条目").await?, f.done, f.error);
    render(&EntryT {
        page,
        nav_plan: Some(e.plan_id),
        row_text: short(&r.text, 120),
        unit: unit.name.clone(),
        target: format!("{}：{}", target.kind.label_zh(), target.label_zh()),
        status: facts.status.label_zh(),
        overdue: facts.overdue(today),
        stalled: facts.stalled(today),
        may_work: works_for(&session, &unit.unit_path()) || is_office(&session, &site, &units),
        may_review: may_review(&state, &session, &r).await?,
        count_target: target.kind == TargetKind::Count,
        active: facts.status.is_active(),
        submitted: facts.status == EntryStatus::Submitted,
        timeline: timeline(&events, |u| names.get(&u).cloned().unwrap_or_default()),
        e,
    })
}

/// `POST /admin/tasks/entries/{id}/report` (multipart; CSRF in the query):
/// progress, achieved count, note, linked document, evidence file, and
/// `submit` to ask for 销号.
pub async fn report(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let e = state.store.task_entry(id).await?;
    let back = format!("/admin/tasks/entries/{id}");
    let mut input = ReportInput::default();
    let mut progress: Option<String> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("").to_owned();
            match field.bytes().await {
                Ok(b) if !b.is_empty() => input.file = Some((file_name, b.to_vec())),
                Ok(_) => {}
                Err(_) => return Ok(redirect_error(&back, "文件上传失败或超过大小限制")),
            }
            continue;
        }
        let v = field.text().await.unwrap_or_default().trim().to_owned();
        match name.as_str() {
            "progress" => progress = Some(v),
            "achieved" if !v.is_empty() => match v.parse::<u32>() {
                Ok(n) => input.achieved = Some(n),
                Err(_) => return Ok(redirect_error(&back, "完成数量应为整数")),
            },
            "note" => input.note = v,
            "document_id" if !v.is_empty() => match v.trim_start_matches('#').parse::<i64>() {
                Ok(n) => input.document_id = Some(n),
                Err(_) => return Ok(redirect_error(&back, "关联文件编号应为数字")),
            },
            "submit" => input.submit = v == "1",
            _ => {}
        }
    }
    input.progress = match progress.as_deref().unwrap_or("").parse::<u8>() {
        Ok(p) if p <= 100 => p,
        _ if input.achieved.is_some() => 0,
        _ => return Ok(redirect_error(&back, "进度应为0至100之间的整数")),
    };
    let submit = input.submit;
    match super::report(&state, &session, &e, input).await? {
        Ok(()) => Ok(redirect_done(
            &back,
            if submit {
                "已报送，等待牵头单位确认销号"
            } else {
                "已报送进展"
            },
        )),
        Err(m) => Ok(redirect_error(&back, &m)),
    }
}

#[derive(Deserialize)]
pub struct ReviewForm {
    decision: String,
    #[serde(default)]
    comment: String,
}

/// `POST /admin/tasks/entries/{id}/review`: 销号 or return.
pub async fn review(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<ReviewForm>,
) -> AppResult<Response> {
    let e = state.store.task_entry(id).await?;
    let back = format!("/admin/tasks/entries/{id}");
    let confirm = f.decision == "close";
    match super::review(&state, &session, &e, confirm, &f.comment).await? {
        Ok(()) => Ok(redirect_done(&back, if confirm { "已确认销号" } else { "已退回" })),
        Err(m) => Ok(redirect_error(&back, &m)),
    }
}

/// `POST /admin/tasks/entries/{id}/delete`.
pub async fn delete_entry(State(state): State<AppState>, Staff(session, _): Staff, Path(id): Path<i64>) -> AppResult<Response> {
    let e = state.store.task_entry(id).await?;
    match super::delete_entry(&state, &session, &e).await? {
        Ok(()) => Ok(redirect_done(&format!("/admin/tasks/rows/{}", e.row_id), "已删除条目")),
        Err(m) => Ok(redirect_error(&format!("/admin/tasks/entries/{id}"), &m)),
    }
}

/// `GET /admin/tasks/events/{id}/file`: an evidence file.
pub async fn evidence_file(State(state): State<AppState>, Staff(session, _): Staff, Path(id): Path<i64>) -> AppResult<Response> {
    require_view(&session)?;
    let ev = state.store.task_event(id).await?;
    let (Some(hash), Some(name)) = (ev.file_hash, ev.file_name) else {
        return Err(AppError::not_found());
    };
    let path = crate::catalogue::files::file_path(&state, &hash).ok_or_else(AppError::not_found)?;
    let bytes = tokio::fs::read(path).await.map_err(|_| AppError::not_found())?;
    let kind = gongkai_domain::files::sniff(&bytes);
    let mime = kind.map_or("application/octet-stream", |k| k.mime());
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename*=UTF-8''{}", urlencoding::encode(&name)),
            ),
        ],
        bytes,
    )
        .into_response())
}

// ------------------------------------------------------------------ lagging units and notices

pub struct LagLine {
    pub unit: String,
    pub entries: usize,
    pub overdue: usize,
    pub stalled: usize,
}

#[derive(Template)]
#[template(path = "admin/tasks_lagging.html")]
struct LaggingT {
    page: Page,
    nav_plan: Option<i64>,
    plan: TaskPlanRow,
    lagging: Vec<LagLine>,
    overdue_entries: Vec<MineEntry>,
    notices: Vec<(i64, String, String, Option<i64>)>,
    office: bool,
}

/// `GET /admin/tasks/plans/{id}/lagging`: units with overdue or stalled
/// entries now, the overdue entries, and the 通报 issued so far.
pub async fn lagging(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    Query(f): Query<Outcome>,
) -> AppResult<Response> {
    require_view(&session)?;
    let d = PlanData::load(&state, id).await?;
    let units: Vec<_> = d.units.values().cloned().collect();
    let lagging = lagging_units(&d.facts(), d.today)
        .into_iter()
        .map(|l| LagLine {
            unit: d.unit_name(l.unit_id).to_owned(),
            entries: l.entries,
            overdue: l.overdue,
            stalled: l.stalled,
        })
        .collect();
    let overdue_entries = d
        .entries
        .iter()
        .filter(|e| facts_of(e).overdue(d.today))
        .map(|e| MineEntry {
            id: e.id,
            title: short(&e.title, 60),
            unit: d.unit_name(e.unit_id).to_owned(),
            due_on: e.due_on.clone().unwrap_or_default(),
            progress: e.progress,
            status: facts_of(e).status.label_zh(),
            overdue: true,
            stalled: facts_of(e).stalled(d.today),
        })
        .collect();
    let notices = state
        .store
        .task_notices(id)
        .await?
        .into_iter()
        .map(|n| (n.id, n.title, n.as_of, n.document_id))
        .collect();
    let page = with_outcome(admin_page(&state, &session, &ctx, "推进滞后单位").await?, f.done, f.error);
    render(&LaggingT {
        page,
        nav_plan: Some(d.plan.id),
        office: is_office(&session, &d.site, &units),
        plan: d.plan,
        lagging,
        overdue_entries,
        notices,
    })
}

/// `POST /admin/tasks/plans/{id}/notices`: issues a 通报.
pub async fn issue_notice(State(state): State<AppState>, Staff(session, _): Staff, Path(id): Path<i64>) -> AppResult<Response> {
    match super::issue_notice(&state, &session, id).await? {
        Ok(n) => Ok(redirect_done(&format!("/admin/tasks/notices/{n}"), "已印发通报")),
        Err(m) => Ok(redirect_error(&format!("/admin/tasks/plans/{id}/lagging"), &m)),
    }
}

/// A unit in a 通报: name, overdue and stalled counts, and the overdue
/// entries (id, title, due date).
type NoticeUnit = (String, u64, u64, Vec<(i64, String, String)>);

#[derive(Template)]
#[template(path = "admin/tasks_notice.html")]
struct NoticeT {
    page: Page,
    nav_plan: Option<i64>,
    n: gongkai_store::tasks::TaskNoticeRow,
    units: Vec<NoticeUnit>,
    office: bool,
}

/// `GET /admin/tasks/notices/{id}`.
pub async fn notice(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    Query(f): Query<Outcome>,
) -> AppResult<Response> {
    require_view(&session)?;
    let n = state.store.task_notice(id).await?;
    let plan = state.store.task_plan(n.plan_id).await?;
    let site = super::site_of(&state, plan.site_id).await?;
    let all = state.store.list_units().await?;
    let body: serde_json::Value = serde_json::from_str(&n.body).unwrap_or_default();
    let units = body["units"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|u| {
            (
                u["unit"].as_str().unwrap_or_default().to_owned(),
                u["overdue"].as_u64().unwrap_or(0),
                u["stalled"].as_u64().unwrap_or(0),
                u["overdue_items"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|i| {
                        (
                            i["entry_id"].as_i64().unwrap_or(0),
                            i["title"].as_str().unwrap_or_default().to_owned(),
                            i["due_on"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let page = with_outcome(admin_page(&state, &session, &ctx, &n.title).await?, f.done, f.error);
    render(&NoticeT {
        page,
        nav_plan: Some(n.plan_id),
        office: is_office(&session, &site, &all),
        n,
        units,
    })
}

/// `POST /admin/tasks/notices/{id}/publish`: the 通报 as a catalogue draft
/// (通知公告), to go through review like any document.
pub async fn publish_notice(State(state): State<AppState>, Staff(session, _): Staff, Path(id): Path<i64>) -> AppResult<Response> {
    let n = state.store.task_notice(id).await?;
    let plan = state.store.task_plan(n.plan_id).await?;
    let site = super::site_of(&state, plan.site_id).await?;
    let all = state.store.list_units().await?;
    if !is_office(&session, &site, &all) {
        return Err(AppError::forbidden());
    }
    let back = format!("/admin/tasks/notices/{id}");
    if let Some(doc) = n.document_id {
        return Ok(redirect_done(&format!("/admin/documents/{doc}"), "该通报已生成公开目录稿件"));
    }
    let body: serde_json::Value = serde_json::from_str(&n.body).unwrap_or_default();
    match super::draft_to_catalogue(
        &state,
        &session,
        &site,
        "notices",
        &n.title,
        &super::export::notice_html(&n.title, &body),
    )
    .await?
    {
        Ok(doc) => {
            let mut tx = state.store.begin().await?;
            tx.set_task_notice_document(id, doc).await?;
            tx.commit().await?;
            Ok(redirect_done(
                &format!("/admin/documents/{doc}"),
                "已生成公开目录稿件，请按审核流程发布",
            ))
        }
        Err(m) => Ok(redirect_error(&back, &m)),
    }
}

// ------------------------------------------------------------------ assessment and report

#[derive(Template)]
#[template(path = "admin/tasks_assessment.html")]
struct AssessmentT {
    page: Page,
    nav_plan: Option<i64>,
    plan: TaskPlanRow,
    weights: Weights,
    scores: Vec<(String, Score)>,
    office: bool,
}

/// `GET /admin/tasks/plans/{id}/assessment`.
pub async fn assessment(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    Query(f): Query<Outcome>,
) -> AppResult<Response> {
    require_view(&session)?;
    let d = PlanData::load(&state, id).await?;
    let units: Vec<_> = d.units.values().cloned().collect();
    let weights = weights_of(&d.plan);
    let scores = assess(&d.facts(), weights, d.today)
        .into_iter()
        .map(|s| (d.unit_name(s.unit_id).to_owned(), s))
        .collect();
    let page = with_outcome(admin_page(&state, &session, &ctx, "考核评估").await?, f.done, f.error);
    render(&AssessmentT {
        page,
        nav_plan: Some(d.plan.id),
        office: is_office(&session, &d.site, &units),
        plan: d.plan,
        weights,
        scores,
    })
}

#[derive(Deserialize)]
pub struct WeightsForm {
    completion: String,
    timeliness: String,
    evidence: String,
}

/// `POST /admin/tasks/plans/{id}/weights`.
pub async fn set_weights(
    State(state): State<AppState>,
    Staff(session, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<WeightsForm>,
) -> AppResult<Response> {
    let plan = state.store.task_plan(id).await?;
    let back = format!("/admin/tasks/plans/{id}/assessment");
    match Weights::parse(&f.completion, &f.timeliness, &f.evidence) {
        Ok(w) => {
            super::set_weights(&state, &session, &plan, w).await?;
            Ok(redirect_done(&back, "已保存考核权重"))
        }
        Err(m) => Ok(redirect_error(&back, m)),
    }
}

fn download(bytes: Vec<u8>, mime: &'static str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename*=UTF-8''{}", urlencoding::encode(name)),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /admin/tasks/plans/{id}/report.xlsx`.
pub async fn report_xlsx(State(state): State<AppState>, Staff(session, _): Staff, Path(id): Path<i64>) -> AppResult<Response> {
    require_view(&session)?;
    let d = PlanData::load(&state, id).await?;
    let r = super::export::Report::from_data(&d);
    let bytes = super::export::workbook(&r).map_err(|e| anyhow::anyhow!("xlsx: {e}"))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("{}.xlsx", r.title),
    ))
}

/// `GET /admin/tasks/plans/{id}/report.docx`.
pub async fn report_docx(State(state): State<AppState>, Staff(session, _): Staff, Path(id): Path<i64>) -> AppResult<Response> {
    require_view(&session)?;
    let d = PlanData::load(&state, id).await?;
    let r = super::export::Report::from_data(&d);
    let bytes = super::export::document(&r).map_err(|e| anyhow::anyhow!("docx: {e}"))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &format!("{}.docx", r.title),
    ))
}

/// `POST /admin/tasks/plans/{id}/report/publish`: the completion report as
/// a catalogue draft (工作动态).
pub async fn publish_report(State(state): State<AppState>, Staff(session, _): Staff, Path(id): Path<i64>) -> AppResult<Response> {
    let d = PlanData::load(&state, id).await?;
    let units: Vec<_> = d.units.values().cloned().collect();
    if !is_office(&session, &d.site, &units) {
        return Err(AppError::forbidden());
    }
    let r = super::export::Report::from_data(&d);
    match super::draft_to_catalogue(&state, &session, &d.site, "news", &r.title, &super::export::html(&r)).await? {
        Ok(doc) => Ok(redirect_done(
            &format!("/admin/documents/{doc}"),
            "已生成公开目录稿件，请按审核流程发布",
        )),
        Err(m) => Ok(redirect_error(&format!("/admin/tasks/plans/{id}/assessment"), &m)),
    }
}
