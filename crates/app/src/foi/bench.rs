//! `gongkai bench foi`: the figures of the disclosure-on-application issue.
//!
//! 1. Recomputing the due dates of N (default 100,000) open cases after a
//!    calendar change: the cases (with third-party pauses, corrections,
//!    extensions and fee notices, as real ledgers have) are written to a
//!    fresh SQLite database; a holiday is added to the calendar; the time of
//!    [`recompute_all`](super::recompute_all) (read every open case's
//!    events, fold them, write the changed columns in one transaction) is
//!    measured, and, in the same run, the fold alone over the same events in
//!    memory (so the store's share is visible).
//! 2. Rendering the case page of a case with a 50-event history: store
//!    reads, the fold, and the template, p50/p99 over many renders.

use crate::error::AppResult;
use crate::web::Page;
use chrono::{Datelike, NaiveDate};
use gongkai_domain::calendar::{Calendar, DayOverride};
use gongkai_domain::foi::{Channel, ClockEvent, compute_quiet};
use gongkai_store::Store;
use gongkai_store::foi::NewFoiCase;
use gongkai_store::schema::{FoiCases, FoiClocks, FoiEvents};
use sea_query::Query;
use std::time::Instant;

pub struct Options {
    pub cases: usize,
    pub renders: usize,
    /// `postgres://…`: run in a fresh schema there (dropped afterwards)
    /// instead of a temporary SQLite file.
    pub database_url: Option<String>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Events of synthetic case `i`, received on `received`.
fn events_of(cal: &Calendar, i: usize, received: NaiveDate) -> Vec<(&'static str, NaiveDate, Option<u32>)> {
    let add = |k| cal.add_working_days(received, k);
    match i % 5 {
        0 => vec![],
        1 => vec![("third_party_sent", add(3), None), ("third_party_answered", add(9), None)],
        2 => vec![("correction_requested", add(2), Some(10)), ("correction_received", add(5), None)],
        3 => vec![("extended", add(15), Some(20))],
        _ => vec![("fee_notice_delivered", add(6), None), ("fee_paid", add(9), None)],
    }
}

pub async fn run(opts: &Options) -> AppResult<()> {
    let dir = tempfile::tempdir().map_err(|e| anyhow::anyhow!("temp dir: {e}"))?;
    let mut schema = None;
    let store = match &opts.database_url {
        Some(url) if url.starts_with("postgres") => {
            let name = format!("bench_foi_{}", std::process::id());
            let admin = Store::connect_with(url, 1).await?;
            admin.create_schema_for_tests(&name).await?;
            admin.close().await;
            let sep = if url.contains('?') { '&' } else { '?' };
            schema = Some((url.clone(), name.clone()));
            Store::connect(&format!("{url}{sep}options=-c%20search_path%3D{name}")).await?
        }
        Some(other) => {
            return Err(anyhow::anyhow!(
                "--database-url must be a postgres:// URL, got `{}`",
                other.split(':').next().unwrap_or("")
            )
            .into());
        }
        None => Store::connect(&format!("sqlite://{}", dir.path().join("bench.db").display())).await?,
    };
    println!("database: {}", store.backend().as_str());
    store.migrate().await?;
    let official = Calendar::official().clone();
    let today = chrono::Utc::now().date_naive();
    let year = today.year();

    // The site and its unit.
    let mut tx = store.begin().await?;
    let unit = tx
        .create_unit(&gongkai_store::accounts::NewUnit {
            parent_id: None,
            name: gongkai_domain::accounts::UnitName::parse("基准测试县人民政府").map_err(|e| anyhow::anyhow!(e))?,
            code: gongkai_domain::accounts::UnitCode::parse("bench").map_err(|e| anyhow::anyhow!(e))?,
            kind: gongkai_domain::accounts::UnitKind::Government,
            phone: None,
            sort_order: 0,
        })
        .await?;
    let site = tx.create_site("bench", "基准测试", unit.id, &Default::default()).await?;
    tx.commit().await?;

    // N open cases received over the last 15 working days, written in bulk.
    let started = Instant::now();
    let n = opts.cases;
    let mut in_memory: Vec<Vec<ClockEvent>> = Vec::with_capacity(n);
    let receipts: Vec<NaiveDate> = (0..15)
        .map(|k| {
            let mut d = today;
            while official.working_days_between(d, today) < k + 1 {
                d = d.pred_opt().unwrap_or(d);
            }
            d
        })
        .collect();
    let mut tx = store.begin().await?;
    const CHUNK: usize = 500;
    // Ids far above the sequence, so later inserts on PostgreSQL do not collide.
    let mut next_id: i64 = 1_000_001;
    for chunk_start in (0..n).step_by(CHUNK) {
        let end = (chunk_start + CHUNK).min(n);
        let mut cases = Query::insert()
            .into_table(FoiCases::Table)
            .columns([
                FoiCases::Id,
                FoiCases::SiteId,
                FoiCases::UnitId,
                FoiCases::RefNo,
                FoiCases::Channel,
                FoiCases::ApplicantType,
                FoiCases::ApplicantName,
                FoiCases::IdType,
                FoiCases::IdNumber,
                FoiCases::Phone,
                FoiCases::Description,
                FoiCases::FormWanted,
                FoiCases::Delivery,
                FoiCases::SubmittedOn,
                FoiCases::CreatedBy,
                FoiCases::CreatedAt,
                FoiCases::UpdatedAt,
            ])
            .to_owned();
        let mut clocks = Query::insert()
            .into_table(FoiClocks::Table)
            .columns([
                FoiClocks::CaseId,
                FoiClocks::SiteId,
                FoiClocks::Channel,
                FoiClocks::ClockEvents,
                FoiClocks::Status,
            ])
            .to_owned();
        let mut events = Query::insert()
            .into_table(FoiEvents::Table)
            .columns([
                FoiEvents::CaseId,
                FoiEvents::Kind,
                FoiEvents::OccurredOn,
                FoiEvents::Days,
                FoiEvents::Actor,
                FoiEvents::CreatedAt,
            ])
            .to_owned();
        for i in chunk_start..end {
            let id = next_id;
            next_id += 1;
            let received = receipts[i % receipts.len()];
            let evs: Vec<_> = events_of(&official, i, received).into_iter().filter(|e| e.1 <= today).collect();
            let mut clock = vec![ClockEvent::Received {
                on: received,
                channel: Channel::InPerson,
            }];
            for (kind, on, days) in &evs {
                if let Some(e) = ClockEvent::from_parts(kind, *on, *days, Channel::InPerson) {
                    clock.push(e);
                }
            }
            cases.values_panic([
                id.into(),
                site.into(),
                unit.id.into(),
                format!("BENCH-{id}").into(),
                "in_person".into(),
                "natural_person".into(),
                "申请人".into(),
                "居民身份证".into(),
                format!("ID{id}").into(),
                "13800000000".into(),
                "基准测试申请".into(),
                "paper".into(),
                "pickup".into(),
                received.to_string().into(),
                "bench".into(),
                "2026-01-01T00:00:00Z".into(),
                "2026-01-01T00:00:00Z".into(),
            ]);
            clocks.values_panic([
                id.into(),
                site.into(),
                "in_person".into(),
                ClockEvent::encode_list(&clock).into(),
                "open".into(),
            ]);
            events.values_panic([
                id.into(),
                "received".into(),
                received.to_string().into(),
                Option::<i64>::None.into(),
                "bench".into(),
                "2026-01-01T00:00:00Z".into(),
            ]);
            for (kind, on, days) in evs {
                events.values_panic([
                    id.into(),
                    kind.into(),
                    on.to_string().into(),
                    days.map(i64::from).into(),
                    "bench".into(),
                    "2026-01-01T00:00:00Z".into(),
                ]);
            }
            in_memory.push(clock);
        }
        tx.execute(&cases).await?;
        tx.execute(&clocks).await?;
        tx.execute(&events).await?;
    }
    tx.commit().await?;
    let first = super::recompute_all(&store, &official, today, "bench").await?;
    println!(
        "setup: {n} open cases ({} events) written and computed in {:.1} s; {} failed",
        in_memory.iter().map(Vec::len).sum::<usize>(),
        started.elapsed().as_secs_f64(),
        first.failed
    );

    // The calendar change: an extra day off next working day after today.
    let extra = official.add_working_days(today, 3);
    let mut arrangement = official
        .arrangement(year)
        .cloned()
        .unwrap_or(gongkai_domain::calendar::YearArrangement {
            year,
            notice: None,
            days: Vec::new(),
        });
    if extra.year() != year {
        arrangement = official
            .arrangement(extra.year())
            .cloned()
            .unwrap_or(gongkai_domain::calendar::YearArrangement {
                year: extra.year(),
                notice: None,
                days: Vec::new(),
            });
    }
    arrangement.days.push(DayOverride {
        date: extra,
        name: "基准测试临时调整".into(),
        off: true,
    });
    arrangement.days.sort_by_key(|d| d.date);
    let changed_cal = official.with_arrangement(arrangement);

    // Same run: the fold alone, in memory.
    let t = Instant::now();
    let mut dues = 0usize;
    for evs in &in_memory {
        if compute_quiet(&changed_cal, evs, today).ok().and_then(|c| c.due).is_some() {
            dues += 1;
        }
    }
    let fold_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let cases = store.foi_open_cases(None).await?;
    let read_s = t.elapsed().as_secs_f64();
    drop(cases);
    let t = Instant::now();
    let r = super::recompute_all(&store, &changed_cal, today, "bench").await?;
    let full_s = t.elapsed().as_secs_f64();
    println!("calendar change: {extra} made a day off");
    println!(
        "recompute (store read + fold + write): {:.3} s for {} open cases, {} changed, {} failed  [target < 1 s]",
        full_s, r.checked, r.changed, r.failed
    );
    println!(
        "  of which reading the open cases: {read_s:.3} s; the fold alone (one thread, no explanation text), in memory: {fold_s:.3} s ({dues} due dates)"
    );

    // The case page with a 50-event history.
    let received = official.add_working_days(today - chrono::Duration::days(400), 0);
    let mut tx = store.begin().await?;
    let case_id = tx
        .insert_foi_case(&NewFoiCase {
            site_id: site,
            unit_id: unit.id,
            ref_no: "BENCH-PAGE".into(),
            channel: "in_person".into(),
            applicant_type: "natural_person".into(),
            applicant_name: "申请人".into(),
            org_code: None,
            contact_person: None,
            id_type: "居民身份证".into(),
            id_number: "ID-PAGE".into(),
            id_file_hash: None,
            id_file_name: None,
            phone: "13800000000".into(),
            email: None,
            address: None,
            postcode: None,
            description: "一件经过24次征求第三方意见的申请".into(),
            doc_number: None,
            form_wanted: "paper".into(),
            delivery: "pickup".into(),
            submitted_on: received.to_string(),
            status: "open".into(),
            parent_id: None,
            created_by: "bench".into(),
        })
        .await?;
    tx.add_foi_event(case_id, "received", &received.to_string(), None, None, "bench")
        .await?;
    let mut d = received;
    for _ in 0..24 {
        d = official.add_working_days(d, 1);
        tx.add_foi_event(case_id, "third_party_sent", &d.to_string(), None, Some("征求第三方意见"), "bench")
            .await?;
        d = official.add_working_days(d, 1);
        tx.add_foi_event(case_id, "third_party_answered", &d.to_string(), None, Some("第三方答复"), "bench")
            .await?;
    }
    tx.add_foi_event(case_id, "note", &d.to_string(), None, Some("第50条办理记录"), "bench")
        .await?;
    tx.commit().await?;
    let page = Page::for_bench("申请");
    let units = vec![(unit.id, unit.name.clone())];
    let mut times = Vec::with_capacity(opts.renders);
    let mut bytes = 0;
    for _ in 0..opts.renders {
        let t = Instant::now();
        let c = store.foi_case(case_id).await?;
        let events = store.foi_events(case_id).await?;
        let letters = store.foi_letters(case_id).await?;
        let reviews = store.foi_reviews(case_id).await?;
        let clock = super::clock_of(&official, &c.channel, &events, today)?;
        let t_ = super::admin::case_template(
            page.clone(),
            c,
            true,
            unit.name.clone(),
            clock,
            &events,
            letters,
            reviews,
            Vec::new(),
            units.clone(),
            today,
        );
        let html = askama::Template::render(&t_).map_err(|e| anyhow::anyhow!("render: {e}"))?;
        bytes = html.len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "case page, 50 events ({bytes} bytes): p50 {:.2} ms, p99 {:.2} ms over {} renders (store reads + fold + template)  [target < 5 ms]",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        opts.renders
    );
    store.close().await;
    if let Some((url, name)) = schema {
        let admin = Store::connect_with(&url, 1).await?;
        admin.drop_schema_for_tests(&name).await?;
        admin.close().await;
    }
    Ok(())
}
