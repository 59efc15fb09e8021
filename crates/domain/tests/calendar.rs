//! Tests of `gongkai_domain::calendar`: hand-checked deadlines, a day-by-day
//! cross-check of the shipped data against the reference copies of
//! holiday-cn in /work/shared (skipped when that folder is absent), round
//! trips through the reference shape, and properties of the arithmetic.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use gongkai_domain::calendar::{Calendar, DayReason, SkippedDay, parse_reference_year, to_reference_json};
use proptest::prelude::*;

const REFERENCE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/holidays");

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn dates(list: &[&str]) -> Vec<NaiveDate> {
    list.iter().map(|s| d(s)).collect()
}

fn skipped(list: &[(&str, &str)]) -> Vec<SkippedDay> {
    list.iter()
        .map(|(date, reason)| SkippedDay {
            date: d(date),
            reason: (*reason).to_owned(),
        })
        .collect()
}

fn cal() -> &'static Calendar {
    Calendar::official()
}

// ---------------------------------------------------------------------------
// Hand-checked cases
// ---------------------------------------------------------------------------

#[test]
fn received_2021_09_24_twenty_working_days_due_2021_10_27() {
    assert_eq!(cal().add_working_days(d("2021-09-24"), 20), d("2021-10-27"));
    let dl = cal().deadline(d("2021-09-24"), 20);
    assert_eq!(dl.start, d("2021-09-24"));
    assert_eq!(dl.days, 20);
    assert_eq!(dl.due, d("2021-10-27"));
    assert!(!dl.provisional);
    assert_eq!(
        dl.counted,
        dates(&[
            "2021-09-26", // Sunday, 调休上班（国庆节）
            "2021-09-27",
            "2021-09-28",
            "2021-09-29",
            "2021-09-30",
            "2021-10-08",
            "2021-10-09", // Saturday, 调休上班（国庆节）
            "2021-10-11",
            "2021-10-12",
            "2021-10-13",
            "2021-10-14",
            "2021-10-15",
            "2021-10-18",
            "2021-10-19",
            "2021-10-20",
            "2021-10-21",
            "2021-10-22",
            "2021-10-25",
            "2021-10-26",
            "2021-10-27",
        ])
    );
    assert_eq!(
        dl.skipped,
        skipped(&[
            ("2021-09-25", "周末"),
            ("2021-10-01", "国庆节"),
            ("2021-10-02", "国庆节"),
            ("2021-10-03", "国庆节"),
            ("2021-10-04", "国庆节"),
            ("2021-10-05", "国庆节"),
            ("2021-10-06", "国庆节"),
            ("2021-10-07", "国庆节"),
            ("2021-10-10", "周末"),
            ("2021-10-16", "周末"),
            ("2021-10-17", "周末"),
            ("2021-10-23", "周末"),
            ("2021-10-24", "周末"),
        ])
    );
    assert_eq!(cal().working_days_between(d("2021-09-24"), d("2021-10-27")), 20);
}

#[test]
fn deadline_serializes_with_plain_dates() {
    let dl = cal().deadline(d("2021-09-30"), 2);
    let v = serde_json::to_value(&dl).expect("serialize");
    assert_eq!(
        v,
        serde_json::json!({
            "start": "2021-09-30",
            "days": 2,
            "due": "2021-10-09",
            "counted": ["2021-10-08", "2021-10-09"],
            "skipped": [
                {"date": "2021-10-01", "reason": "国庆节"},
                {"date": "2021-10-02", "reason": "国庆节"},
                {"date": "2021-10-03", "reason": "国庆节"},
                {"date": "2021-10-04", "reason": "国庆节"},
                {"date": "2021-10-05", "reason": "国庆节"},
                {"date": "2021-10-06", "reason": "国庆节"},
                {"date": "2021-10-07", "reason": "国庆节"}
            ],
            "provisional": false
        })
    );
}

#[test]
fn across_spring_festival_2024_with_both_make_up_days() {
    // 春节 2024: 02-10 (Sat) to 02-17 (Sat) off; Sundays 02-04 and 02-18 worked.
    let dl = cal().deadline(d("2024-02-02"), 10);
    assert_eq!(dl.due, d("2024-02-21"));
    assert_eq!(
        dl.counted,
        dates(&[
            "2024-02-04",
            "2024-02-05",
            "2024-02-06",
            "2024-02-07",
            "2024-02-08",
            "2024-02-09",
            "2024-02-18",
            "2024-02-19",
            "2024-02-20",
            "2024-02-21",
        ])
    );
    assert_eq!(dl.skipped.len(), 9);
    assert_eq!(dl.skipped[0], skipped(&[("2024-02-03", "周末")])[0]);
    assert!(dl.skipped[1..].iter().all(|s| s.reason == "春节"));
    assert_eq!(dl.skipped[1].date, d("2024-02-10"));
    assert_eq!(dl.skipped[8].date, d("2024-02-17"));

    // The statutory 20 days from 2024-01-31 run into March (2024 is a leap year).
    assert_eq!(cal().add_working_days(d("2024-01-31"), 20), d("2024-03-04"));
    assert_eq!(cal().day(d("2024-02-18")).reason, DayReason::MakeUpWorkday("春节".into()));
    assert_eq!(cal().day(d("2024-02-18")).reason.label(), "调休上班（春节）");
}

#[test]
fn national_day_and_mid_autumn_2025_eight_days() {
    // 10-01..08 off, Sunday 09-28 and Saturday 10-11 worked.
    assert_eq!(cal().add_working_days(d("2025-09-26"), 20), d("2025-10-30"));
    assert_eq!(cal().add_working_days(d("2025-09-26"), 1), d("2025-09-28"));
    assert_eq!(cal().add_working_days(d("2025-09-30"), 1), d("2025-10-09"));
    assert_eq!(cal().day(d("2025-10-08")).reason.label(), "国庆节、中秋节");
}

#[test]
fn zero_days_is_the_start_itself() {
    for start in ["2021-10-01", "2021-09-25", "2021-09-27", "2030-06-15"] {
        assert_eq!(cal().add_working_days(d(start), 0), d(start));
        let dl = cal().deadline(d(start), 0);
        assert_eq!(dl.due, d(start));
        assert!(dl.counted.is_empty());
        assert!(dl.skipped.is_empty());
    }
}

#[test]
fn friday_plus_one_is_monday() {
    assert_eq!(d("2021-09-10").weekday(), Weekday::Fri);
    assert_eq!(cal().add_working_days(d("2021-09-10"), 1), d("2021-09-13"));
    assert_eq!(cal().add_working_days(d("2024-06-14"), 1), d("2024-06-17"));
    // ...unless the Saturday is a make-up working day (中秋节 2021).
    assert_eq!(cal().add_working_days(d("2021-09-17"), 1), d("2021-09-18"));
    // ...or the Monday a holiday (端午节 2024-06-10).
    assert_eq!(cal().add_working_days(d("2024-06-07"), 1), d("2024-06-11"));
}

#[test]
fn spanning_a_year_boundary() {
    // 元旦 2023 runs 2022-12-31..2023-01-02 and comes from the 2023 notice.
    let dl = cal().deadline(d("2022-12-30"), 5);
    assert_eq!(dl.due, d("2023-01-09"));
    assert_eq!(
        dl.counted,
        dates(&["2023-01-03", "2023-01-04", "2023-01-05", "2023-01-06", "2023-01-09"])
    );
    assert_eq!(
        dl.skipped,
        skipped(&[
            ("2022-12-31", "元旦"),
            ("2023-01-01", "元旦"),
            ("2023-01-02", "元旦"),
            ("2023-01-07", "周末"),
            ("2023-01-08", "周末"),
        ])
    );
    assert!(!dl.provisional);
    // 2018-12-29 is a make-up Saturday of the 2019 notice; 2018 itself has no
    // arrangement, so the result is provisional.
    let dl = cal().deadline(d("2018-12-28"), 2);
    assert_eq!(dl.counted, dates(&["2018-12-29", "2019-01-02"]));
    assert!(dl.provisional);
    // Past the last covered year only weekends are known.
    let dl = cal().deadline(d("2026-12-25"), 5);
    assert_eq!(dl.due, d("2027-01-01"));
    assert!(dl.provisional);
}

#[test]
fn working_days_between_examples() {
    assert_eq!(cal().working_days_between(d("2021-09-30"), d("2021-10-08")), 1);
    assert_eq!(cal().working_days_between(d("2021-09-30"), d("2021-10-07")), 0);
    assert_eq!(cal().working_days_between(d("2021-10-08"), d("2021-10-08")), 0);
    assert_eq!(cal().working_days_between(d("2021-10-27"), d("2021-09-24")), 0);
    // The whole of 2021, counted by hand from the notice: 261 Mondays to
    // Fridays, minus 18 of them off, plus 7 make-up weekend days = 250.
    assert_eq!(cal().working_days_between(d("2020-12-31"), d("2021-12-31")), 250);
}

// ---------------------------------------------------------------------------
// Cross-check against the reference copies
// ---------------------------------------------------------------------------

struct RefDay {
    name: String,
    off: bool,
}

fn reference_dir() -> Option<&'static Path> {
    let dir = Path::new(REFERENCE_DIR);
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("reference folder {REFERENCE_DIR} not found: skipping the cross-check");
        None
    }
}

fn reference_text(dir: &Path, year: i32) -> Option<String> {
    std::fs::read_to_string(dir.join(format!("{year}.json"))).ok()
}

/// The days listed by one reference file, read independently of the
/// module's parser.
fn reference_days(dir: &Path, year: i32) -> BTreeMap<NaiveDate, RefDay> {
    let Some(text) = reference_text(dir, year) else {
        return BTreeMap::new();
    };
    let v: serde_json::Value = serde_json::from_str(&text).expect("reference file is JSON");
    assert_eq!(v["year"].as_i64(), Some(i64::from(year)));
    v["days"]
        .as_array()
        .expect("days array")
        .iter()
        .map(|day| {
            (
                d(day["date"].as_str().expect("date")),
                RefDay {
                    name: day["name"].as_str().expect("name").to_owned(),
                    off: day["isOffDay"].as_bool().expect("isOffDay"),
                },
            )
        })
        .collect()
}

/// Year Y's listed days: Y's file merged with Y+1's (a December date may be
/// set by the next year's notice), restricted to dates in Y.
fn merged_reference(dir: &Path, year: i32) -> BTreeMap<NaiveDate, RefDay> {
    let mut merged = reference_days(dir, year);
    merged.extend(reference_days(dir, year + 1));
    merged.retain(|date, _| date.year() == year);
    merged
}

#[test]
fn every_day_2019_to_2026_matches_the_reference_files() {
    let Some(dir) = reference_dir() else { return };
    let cal = cal();
    let mut checked = 0;
    let mut listed = 0;
    let mut named = 0;
    let mut mismatches = Vec::new();
    for year in 2019..=2026 {
        let reference = merged_reference(dir, year);
        assert!(reference.len() >= 20, "{year}: only {} listed days", reference.len());
        let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("date");
        let last = NaiveDate::from_ymd_opt(year, 12, 31).expect("date");
        for day in first.iter_days().take_while(|x| *x <= last) {
            checked += 1;
            let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            let expected = match reference.get(&day) {
                Some(r) => !r.off,
                None => !weekend,
            };
            if cal.is_working_day(day) != expected {
                mismatches.push(format!("{day}: expected working={expected}"));
            }
            let Some(r) = reference.get(&day) else {
                continue;
            };
            listed += 1;
            let reason = cal.day(day).reason;
            if r.off {
                named += 1;
                if reason != DayReason::Holiday(r.name.clone()) {
                    mismatches.push(format!("{day}: reference names {:?}, we say {reason:?}", r.name));
                }
            } else if weekend {
                named += 1;
                if reason != DayReason::MakeUpWorkday(r.name.clone()) {
                    mismatches.push(format!("{day}: reference names {:?}, we say {reason:?}", r.name));
                }
            }
        }
    }
    assert_eq!(mismatches, Vec::<String>::new());
    assert_eq!(checked, 2922);
    assert!(listed > 250, "only {listed} listed days compared");
    assert!(named > 250, "only {named} names compared");
}

#[test]
fn importing_the_reference_files_changes_nothing() {
    let Some(dir) = reference_dir() else { return };
    let base = cal();
    let first = d("2018-12-01");
    let last = d("2027-01-31");
    for year in 2019..=2026 {
        let text = reference_text(dir, year).expect("reference file");
        let imported = parse_reference_year(&text).unwrap_or_else(|e| panic!("{year}: {e}"));
        assert_eq!(imported.year, year);
        let cal = base.with_arrangement(imported);
        assert_eq!(cal.years(), base.years());
        for day in first.iter_days().take_while(|x| *x <= last) {
            assert_eq!(cal.day(day), base.day(day), "after importing {year}: {day}");
        }
        assert_eq!(cal.add_working_days(d("2021-09-24"), 20), d("2021-10-27"), "after importing {year}");
    }
}

#[test]
fn the_2021_reference_file_imports_as_a_replacement() {
    let Some(dir) = reference_dir() else { return };
    let text = reference_text(dir, 2021).expect("2021.json");
    let imported = parse_reference_year(&text).expect("valid");
    assert_eq!(
        imported.notice.as_deref(),
        Some("http://www.gov.cn/zhengce/zhengceku/2020-11/25/content_5564127.htm")
    );
    assert_eq!(imported.days, cal().arrangement(2021).expect("2021").days);
    let cal = cal().with_arrangement(imported);
    assert!(!cal.is_working_day(d("2021-10-01")));
    assert!(cal.is_working_day(d("2021-10-09")));
}

// ---------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------

#[test]
fn every_shipped_year_round_trips_through_the_reference_shape() {
    let years: Vec<i32> = cal().arrangements().map(|a| a.year).collect();
    assert_eq!(years, (2019..=2026).collect::<Vec<_>>());
    for a in cal().arrangements() {
        let json = to_reference_json(a);
        let back = parse_reference_year(&json).unwrap_or_else(|e| panic!("{}: {e}", a.year));
        assert_eq!(&back, a);
        assert!(a.notice.as_deref().is_some_and(|n| n.contains("国办发明电")));
    }
    let y2019 = cal().arrangement(2019).expect("2019");
    let v: serde_json::Value = serde_json::from_str(&to_reference_json(y2019)).expect("json");
    assert_eq!(v["papers"], serde_json::json!(["国办发明电〔2018〕15号", "国办发明电〔2019〕3号"]));
    assert_eq!(
        v["days"][0],
        serde_json::json!({"name": "元旦", "date": "2018-12-29", "isOffDay": false})
    );
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

fn start_date() -> impl Strategy<Value = NaiveDate> {
    // 2019-01-01 ..= 2026-12-31 is 2922 days.
    (0u64..2922).prop_map(|offset| d("2019-01-01") + Days::new(offset))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn deadline_properties(start in start_date(), n in 0u32..=366) {
        let cal = cal();
        let dl = cal.deadline(start, n);
        let due = cal.add_working_days(start, n);
        prop_assert_eq!(dl.due, due);
        prop_assert!(due >= start);
        if n > 0 {
            prop_assert!(due > start);
            prop_assert!(cal.is_working_day(due));
        } else {
            prop_assert_eq!(due, start);
        }
        prop_assert_eq!(cal.working_days_between(start, due), n);
        prop_assert_eq!(dl.counted.len(), n as usize);
        prop_assert!(dl.counted.iter().all(|x| cal.is_working_day(*x)));
        prop_assert!(dl.skipped.iter().all(|s| !cal.is_working_day(s.date)));
        prop_assert!(dl.skipped.iter().all(|s| s.reason == cal.day(s.date).reason.label()));
        let mut covered: Vec<NaiveDate> =
            dl.counted.iter().copied().chain(dl.skipped.iter().map(|s| s.date)).collect();
        covered.sort();
        let expected: Vec<NaiveDate> =
            start.iter_days().skip(1).take_while(|x| *x <= due).collect();
        prop_assert_eq!(covered, expected);
        prop_assert_eq!(dl.provisional, due.year() > 2026);
    }

    #[test]
    fn adding_is_strictly_monotonic(start in start_date(), n in 0u32..=366) {
        let cal = cal();
        prop_assert!(cal.add_working_days(start, n) < cal.add_working_days(start, n + 1));
    }

    #[test]
    fn adding_composes(start in start_date(), a in 0u32..=366, b in 0u32..=366) {
        let cal = cal();
        prop_assert_eq!(
            cal.add_working_days(cal.add_working_days(start, a), b),
            cal.add_working_days(start, a + b)
        );
    }

    #[test]
    fn between_counts_working_days(from in start_date(), len in 0u64..=400) {
        let cal = cal();
        let to = from + Days::new(len);
        let slow = from.iter_days().skip(1).take_while(|x| *x <= to)
            .filter(|x| cal.is_working_day(*x)).count();
        prop_assert_eq!(cal.working_days_between(from, to) as usize, slow);
        prop_assert_eq!(cal.working_days_between(to, from), 0);
    }
}
