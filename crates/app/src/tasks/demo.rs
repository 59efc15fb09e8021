//! The demo county's 2021 task list: the founding document itself
//! (巫山府办发〔2021〕48号) when it is on this machine (`GONGKAI_DEMO_SEED`
//! or `../shared/seeds/…`), else a list of the same form written by the
//! generator; with units at different stages — entries closed (销号) on
//! time and late, one waiting for the lead unit, one returned, overdue and
//! stalled ones that a 通报 names, and one still running this year — so
//! the tree, the dashboard, the 通报 and the assessment have something to
//! show.

use super::{Apply, PlanData, import_plan, notice_body, site_of};
use crate::error::AppResult;
use crate::state::AppState;
use chrono::{Datelike, NaiveDate};
use gongkai_store::tasks::{NewTaskEntry, NewTaskEvent, TaskEntryState};

/// Where the founding document is looked for.
pub fn seed_path() -> std::path::PathBuf {
    std::env::var_os("GONGKAI_DEMO_SEED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("../shared/seeds/000_fffd36a955ce654e.txt"))
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

/// One demo entry: its stage and dates.
struct Stage {
    status: &'static str,
    progress: i64,
    due: NaiveDate,
    created: NaiveDate,
    reports: Vec<(NaiveDate, i64, &'static str)>,
    submitted: Option<NaiveDate>,
    closed: Option<NaiveDate>,
    returned: Option<(NaiveDate, &'static str)>,
    document: bool,
}

pub async fn seed(state: &AppState, site_id: i64) -> AppResult<()> {
    if !state.store.task_plans(site_id).await?.is_empty() {
        return Ok(());
    }
    let site = site_of(state, site_id).await?;
    let (name, text) = match std::fs::read_to_string(seed_path()) {
        Ok(t) => ("巫山府办发〔2021〕48号.txt".to_owned(), t),
        Err(_) => {
            let units: Vec<String> = super::site_units(state, &site)
                .await?
                .into_iter()
                .filter(|u| u.kind() == gongkai_domain::accounts::UnitKind::Department)
                .map(|u| u.name)
                .collect();
            (
                "演示任务清单.txt".to_owned(),
                super::generate::plan_text("巫山县2021年政务公开工作任务清单（演示）", 30, &units, 2021),
            )
        }
    };
    let report = match import_plan(state, "demo", &site, 2021, &name, &text, Apply::IfNew).await? {
        Ok(r) => r,
        Err(e) => return Err(anyhow::anyhow!("demo task list: {e}").into()),
    };
    let Some(plan_id) = report.applied else { return Ok(()) };
    let data = PlanData::load(state, plan_id).await?;
    let today = state.clock.now().date_naive();
    let evidence_doc = first_published(state, site_id).await?;
    let stages = [
        Stage {
            status: "closed",
            progress: 100,
            due: d(2021, 6, 30),
            created: d(2021, 5, 10),
            reports: vec![
                (d(2021, 5, 28), 60, "已完成规划文本合法性审查"),
                (d(2021, 6, 18), 100, "已在规划信息栏目公开"),
            ],
            submitted: Some(d(2021, 6, 18)),
            closed: Some(d(2021, 6, 22)),
            returned: None,
            document: true,
        },
        Stage {
            status: "closed",
            progress: 100,
            due: d(2021, 10, 31),
            created: d(2021, 5, 12),
            reports: vec![(d(2021, 9, 30), 100, "已按要求完成并报送县政府办公室")],
            submitted: Some(d(2021, 9, 30)),
            closed: Some(d(2021, 10, 8)),
            returned: None,
            document: false,
        },
        Stage {
            status: "closed",
            progress: 100,
            due: d(2021, 6, 30),
            created: d(2021, 5, 12),
            reports: vec![
                (d(2021, 6, 25), 50, "正在汇总各乡镇（街道）材料"),
                (d(2021, 7, 20), 100, "已完成，材料见附件说明"),
            ],
            submitted: Some(d(2021, 7, 20)),
            closed: Some(d(2021, 7, 26)),
            returned: None,
            document: false,
        },
        Stage {
            status: "submitted",
            progress: 100,
            due: d(2021, 12, 31),
            created: d(2021, 5, 15),
            reports: vec![(d(2021, 12, 20), 100, "全年工作已完成，申请销号")],
            submitted: Some(d(2021, 12, 20)),
            closed: None,
            returned: None,
            document: false,
        },
        Stage {
            status: "in_progress",
            progress: 40,
            due: d(2021, 6, 30),
            created: d(2021, 5, 15),
            reports: vec![(d(2021, 5, 31), 40, "已梳理清单，待主要领导审定")],
            submitted: None,
            closed: None,
            returned: None,
            document: false,
        },
        Stage {
            status: "returned",
            progress: 100,
            due: d(2021, 10, 31),
            created: d(2021, 5, 15),
            reports: vec![(d(2021, 10, 20), 100, "已完成")],
            submitted: Some(d(2021, 10, 20)),
            closed: None,
            returned: Some((d(2021, 10, 25), "佐证材料不足，请补充公开链接和工作记录")),
            document: false,
        },
        Stage {
            status: "open",
            progress: 0,
            due: d(2021, 5, 31),
            created: d(2021, 5, 15),
            reports: vec![],
            submitted: None,
            closed: None,
            returned: None,
            document: false,
        },
        Stage {
            status: "in_progress",
            progress: 60,
            due: d(today.year(), 12, 31),
            created: today - chrono::Duration::days(40),
            reports: vec![(
                today - chrono::Duration::days(5),
                60,
                "本年度已开展政策解读3次，其中主要负责同志解读1次",
            )],
            submitted: None,
            closed: None,
            returned: None,
            document: false,
        },
    ];
    // One row for each stage, spread over the plan, each for its first worker unit.
    let rows: Vec<(i64, i64)> = data
        .rows
        .iter()
        .filter_map(|r| {
            data.row_units
                .get(&r.id)
                .and_then(|u| u.workers().first().copied())
                .map(|u| (r.id, u))
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    let step = (rows.len() / stages.len()).max(1);
    let mut tx = state.store.begin().await?;
    for (k, stage) in stages.iter().enumerate() {
        let (row_id, unit_id) = rows[(k * step).min(rows.len() - 1)];
        let row = data.rows.iter().find(|r| r.id == row_id).expect("row from the plan");
        let title: String = super::measures_of(row)
            .first()
            .map(|m| m.text.chars().take(60).collect())
            .unwrap_or_else(|| row.text.chars().take(60).collect());
        let entry = tx
            .insert_task_entry(&NewTaskEntry {
                plan_id,
                row_id,
                unit_id,
                measure_no: Some(0),
                title: title.clone(),
                owner: ["王科长", "李主任", "陈股长", "刘副局长"][k % 4].into(),
                due_on: stage.due.to_string(),
                target_kind: if stage.document { "document" } else { "yes_no" }.into(),
                target_count: None,
                created_on: stage.created.to_string(),
                created_by: "demo".into(),
            })
            .await?;
        let ev = |kind: &str, on: NaiveDate| NewTaskEvent {
            plan_id,
            row_id,
            entry_id: Some(entry),
            unit_id: Some(unit_id),
            kind: kind.into(),
            occurred_on: on.to_string(),
            actor: "demo".into(),
            ..NewTaskEvent::default()
        };
        tx.add_task_event(&NewTaskEvent {
            note: Some(format!("{title}（演示）")),
            ..ev("entry_created", stage.created)
        })
        .await?;
        for (i, (on, p, note)) in stage.reports.iter().enumerate() {
            let last = i + 1 == stage.reports.len();
            tx.add_task_event(&NewTaskEvent {
                progress: Some(*p),
                note: Some((*note).into()),
                document_id: if stage.document && last { evidence_doc } else { None },
                ..ev("report", *on)
            })
            .await?;
        }
        if let Some(on) = stage.submitted {
            tx.add_task_event(&ev("submitted", on)).await?;
        }
        if let Some((on, why)) = stage.returned {
            tx.add_task_event(&NewTaskEvent {
                note: Some(why.into()),
                ..ev("returned", on)
            })
            .await?;
        }
        if let Some(on) = stage.closed {
            tx.add_task_event(&NewTaskEvent {
                note: Some("材料齐全，同意销号".into()),
                ..ev("closed", on)
            })
            .await?;
        }
        tx.set_task_entry_state(
            entry,
            &TaskEntryState {
                progress: stage.progress,
                achieved: None,
                status: stage.status.into(),
                has_evidence: !stage.reports.is_empty(),
                last_report_on: stage.reports.last().map(|r| r.0.to_string()),
                submitted_on: stage.submitted.filter(|_| stage.returned.is_none()).map(|d| d.to_string()),
                closed_on: stage.closed.map(|d| d.to_string()),
            },
        )
        .await?;
    }
    tx.commit().await?;
    // A 通报 of the units lagging now.
    let data = PlanData::load(state, plan_id).await?;
    let (title, body) = notice_body(&data);
    if body["units"].as_array().is_some_and(|a| !a.is_empty()) {
        let mut tx = state.store.begin().await?;
        tx.insert_task_notice(plan_id, &today.to_string(), &title, &body.to_string(), "demo")
            .await?;
        tx.commit().await?;
    }
    Ok(())
}

async fn first_published(state: &AppState, site_id: i64) -> AppResult<Option<i64>> {
    // A published plan (规划信息) evidences a planning task best; any
    // published document will do otherwise.
    let plans = state.store.column_by_slug(site_id, "plans").await?.map(|c| vec![c.id]);
    for column_ids in [plans, None] {
        let filter = gongkai_store::catalogue::DocumentFilter {
            site_id: Some(site_id),
            states: Some(vec!["published".into()]),
            column_ids,
            ..Default::default()
        };
        if let Some(d) = state.store.list_documents(&filter, 1, 0).await?.first() {
            return Ok(Some(d.id));
        }
    }
    Ok(None)
}
