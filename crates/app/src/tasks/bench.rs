//! `gongkai bench tasks`: the figures of the task-list issue, on a fresh
//! SQLite database in a temporary folder.
//!
//! 1. Importing the seed list (巫山府办发〔2021〕48号; a generated list of
//!    the same size when the seed is not on this machine): the parse alone,
//!    and the whole import — parse, unit resolution, one transaction writing
//!    the plan, its rows, their units and an event per row — into a new
//!    plan; and re-importing the unchanged file (parse + diff, nothing
//!    written). Median of repeated runs.
//! 2. The overview dashboard of a generated plan of 2,000 rows over 100
//!    units with two entries per row at every stage: loading the plan from
//!    the store, computing the figures, drawing the two SVG charts and
//!    rendering the page. p50/p99 over repeated renders.

use super::{Apply, PlanData, import_plan};
use crate::config::Config;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::Page;
use gongkai_domain::accounts::{UnitCode, UnitKind, UnitName};
use gongkai_store::accounts::NewUnit;
use gongkai_store::tasks::{NewTaskEntry, TaskEntryState};
use std::time::Instant;

pub struct Options {
    pub seed: std::path::PathBuf,
    pub rows: usize,
    pub units: usize,
    pub runs: usize,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[(((sorted.len() - 1) as f64) * p).round() as usize]
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

async fn site(state: &AppState, root: i64, code: &str) -> AppResult<gongkai_store::accounts::Site> {
    let mut tx = state.store.begin().await?;
    tx.create_site(code, "基准测试", root, &Default::default()).await?;
    tx.commit().await?;
    Ok(state
        .store
        .site_by_code(code)
        .await?
        .ok_or_else(|| anyhow::anyhow!("bench site missing"))?)
}

pub async fn run(opts: &Options) -> AppResult<()> {
    let dir = tempfile::tempdir().map_err(|e| anyhow::anyhow!("temp dir: {e}"))?;
    let config = Config::in_dir(dir.path());
    let store = crate::server::open_store(&config).await?;
    let state = AppState::new(store, config).await?;
    let mut tx = state.store.begin().await?;
    let root = tx
        .create_unit(&NewUnit {
            parent_id: None,
            name: UnitName::parse("巫山县人民政府").map_err(|e| anyhow::anyhow!(e))?,
            code: UnitCode::parse("bench").map_err(|e| anyhow::anyhow!(e))?,
            kind: UnitKind::Government,
            phone: None,
            sort_order: 0,
        })
        .await?;
    tx.commit().await?;

    // 1. The seed.
    let (label, text) = match std::fs::read_to_string(&opts.seed) {
        Ok(t) => (format!("seed {}", opts.seed.display()), t),
        Err(_) => {
            let units = super::generate::unit_names(30);
            (
                "generated list of 60 rows (seed not found)".to_owned(),
                super::generate::plan_text("基准任务清单", 60, &units, 1),
            )
        }
    };
    let mut parse = Vec::new();
    for _ in 0..opts.runs.max(1) * 5 {
        let t = Instant::now();
        let plan = gongkai_domain::tasks::parse_plan(&text, 2021).map_err(|e| anyhow::anyhow!("{e}"))?;
        std::hint::black_box(&plan);
        parse.push(ms(t));
    }
    let mut fresh = Vec::new();
    let mut again = Vec::new();
    let mut tasks = 0;
    for i in 0..opts.runs.max(1) {
        let s = site(&state, root.id, &format!("b{i}")).await?;
        let t = Instant::now();
        let r = import_plan(&state, "bench", &s, 2021, "seed.txt", &text, Apply::IfNew)
            .await?
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        // The first run also creates the units the list names.
        if i > 0 {
            fresh.push(ms(t));
        }
        tasks = r.plan.task_count();
        let t = Instant::now();
        let r = import_plan(&state, "bench", &s, 2021, "seed.txt", &text, Apply::Confirmed)
            .await?
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        assert!(r.unchanged && r.applied.is_none(), "re-import of the same list writes nothing");
        again.push(ms(t));
    }
    for v in [&mut parse, &mut fresh, &mut again] {
        v.sort_by(f64::total_cmp);
    }
    println!("importing the task list: {label}, {tasks} rows, {} bytes", text.len());
    println!("  parse only:                       median {:.2} ms", percentile(&parse, 0.5));
    println!(
        "  import into a new plan (SQLite):  median {:.2} ms, max {:.2} ms over {} runs  [target < 100 ms]",
        percentile(&fresh, 0.5),
        fresh.last().copied().unwrap_or(0.0),
        fresh.len()
    );
    println!("  re-import, unchanged (no writes): median {:.2} ms", percentile(&again, 0.5));

    // 2. The dashboard of a large plan.
    let names = super::generate::unit_names(opts.units);
    let big = super::generate::plan_text("基准大型任务清单", opts.rows, &names, 42);
    let s = site(&state, root.id, "big").await?;
    let t = Instant::now();
    let r = import_plan(&state, "bench", &s, 2021, "big.txt", &big, Apply::IfNew)
        .await?
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let plan_id = r.applied.ok_or_else(|| anyhow::anyhow!("big plan not written"))?;
    let import_big = ms(t);
    let d = PlanData::load(&state, plan_id).await?;
    let stages = ["open", "in_progress", "submitted", "closed", "returned", "closed"];
    let mut tx = state.store.begin().await?;
    let mut n = 0;
    for (i, row) in d.rows.iter().enumerate() {
        let workers = d.row_units.get(&row.id).map(|u| u.workers()).unwrap_or_default();
        for k in 0..2 {
            let Some(unit) = workers.get(k % workers.len().max(1)).copied() else {
                continue;
            };
            let due = chrono::NaiveDate::from_ymd_opt(2021, 1 + ((i + k) % 12) as u32, 28).unwrap_or_default();
            let id = tx
                .insert_task_entry(&NewTaskEntry {
                    plan_id,
                    row_id: row.id,
                    unit_id: unit,
                    measure_no: Some(0),
                    title: format!("细化条目{i}-{k}"),
                    owner: "责任人".into(),
                    due_on: due.to_string(),
                    target_kind: "yes_no".into(),
                    target_count: None,
                    created_on: "2021-05-01".into(),
                    created_by: "bench".into(),
                })
                .await?;
            let status = stages[(i * 2 + k) % stages.len()];
            tx.set_task_entry_state(
                id,
                &TaskEntryState {
                    progress: if status == "open" { 0 } else { 50 + ((i % 5) as i64) * 10 },
                    achieved: None,
                    status: status.into(),
                    has_evidence: status != "open",
                    last_report_on: (status != "open").then(|| "2021-06-01".into()),
                    submitted_on: matches!(status, "submitted" | "closed").then(|| due.to_string()),
                    closed_on: (status == "closed").then(|| due.to_string()),
                },
            )
            .await?;
            n += 1;
        }
    }
    tx.commit().await?;
    let mut times = Vec::new();
    let mut compute = Vec::new();
    let mut bytes = 0;
    let d = super::admin::DashboardData::load(&state, plan_id).await?;
    let units_named = d.names.len();
    for _ in 0..opts.runs.max(1) * 10 {
        let t = Instant::now();
        let d = super::admin::DashboardData::load(&state, plan_id).await?;
        let html = super::admin::render_dashboard(&d, Page::for_bench("总览"))?;
        bytes = html.len();
        times.push(ms(t));
        let t = Instant::now();
        std::hint::black_box(super::admin::Dashboard::compute(&d));
        compute.push(ms(t));
    }
    times.sort_by(f64::total_cmp);
    compute.sort_by(f64::total_cmp);
    println!(
        "dashboard: {} rows, {} units in the registry, {n} entries; import of that list {import_big:.0} ms",
        d.row_ids.len(),
        units_named
    );
    println!(
        "  page ({bytes} bytes): p50 {:.2} ms, p99 {:.2} ms over {} renders (store reads + figures + SVG + template)  [target < 50 ms]",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.len()
    );
    println!("  of which the figures alone: p50 {:.2} ms", percentile(&compute, 0.5));
    state.store.close().await;
    Ok(())
}
