//! Tests of `gongkai_domain::foi`: the statutory clock of 依申请公开 on the
//! official calendar, outcomes, fees of 国办函〔2020〕109号 at every band edge,
//! and properties of the clock and fee arithmetic.

use chrono::{Days, NaiveDate};
use gongkai_domain::calendar::Calendar;
use gongkai_domain::foi::*;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn received_on(on: NaiveDate) -> ClockEvent {
    ClockEvent::Received {
        on,
        channel: Channel::InPerson,
    }
}

fn received(on: &str) -> ClockEvent {
    ClockEvent::Received {
        on: d(on),
        channel: Channel::InPerson,
    }
}

fn texts(s: &ClockState) -> Vec<String> {
    s.explanation.iter().map(|l| l.to_string()).collect()
}

// ---------------------------------------------------------------------------
// Receipt date
// ---------------------------------------------------------------------------

#[test]
fn receipt_date_follows_article_31() {
    let ev = ReceiptEvents {
        handed_in: None,
        signed_for: Some(d("2021-09-24")),
        confirmed_with_applicant: Some(d("2021-09-27")),
        both_confirmed: None,
    };
    assert_eq!(receipt_date(Channel::RegisteredPost, &ev), Ok(d("2021-09-24")));
    assert_eq!(receipt_date(Channel::OrdinaryLetter, &ev), Ok(d("2021-09-27")));
    assert_eq!(
        receipt_date(Channel::Fax, &ev),
        Err(FoiError::MissingReceiptDate {
            channel: Channel::Fax,
            needed: "both_confirmed"
        })
    );
    assert_eq!(
        receipt_date(Channel::InPerson, &ev),
        Err(FoiError::MissingReceiptDate {
            channel: Channel::InPerson,
            needed: "handed_in"
        })
    );
}

// ---------------------------------------------------------------------------
// The clock: MUST examples
// ---------------------------------------------------------------------------

#[test]
fn received_friday_2021_09_24_is_due_2021_10_27() {
    let cal = Calendar::official();
    let s = compute(cal, &[received("2021-09-24")], d("2021-09-24")).unwrap();
    assert_eq!(s.due, Some(d("2021-10-27")));
    assert_eq!(s.base_due, Some(d("2021-10-27")));
    assert_eq!(s.correction_notice_due, d("2021-10-09")); // 2021-10-09 is a make-up Saturday
    assert_eq!(s.paused_days, 0);
    assert!(!s.paused && !s.overdue && !s.provisional);
    assert_eq!(s.days_left, Some(20));
    assert_eq!(
        texts(&s),
        [
            "2021-09-24 收到申请（当面提交）",
            "起算：次日起算，第1个工作日为 2021-09-26",
            "答复期限：20个工作日 → 2021-10-27（跳过：周末 6天、国庆节 7天）",
            "截至 2021-09-24 距答复期限 2021-10-27 还有 20 个工作日",
        ]
    );
    // On the due day nothing is left; the next day it is overdue by one.
    let s = compute(cal, &[received("2021-09-24")], d("2021-10-27")).unwrap();
    assert_eq!((s.days_left, s.overdue), (Some(0), false));
    let s = compute(cal, &[received("2021-09-24")], d("2021-10-28")).unwrap();
    assert_eq!((s.days_left, s.overdue), (Some(-1), true));
}

#[test]
fn third_party_pause_of_15_working_days_moves_due_by_exactly_15() {
    let cal = Calendar::official();
    let answered = cal.add_working_days(d("2021-10-08"), 15);
    assert_eq!(answered, d("2021-10-28"));
    let events = [
        received("2021-09-24"),
        ClockEvent::ThirdPartySent { on: d("2021-10-08") },
        ClockEvent::ThirdPartyAnswered { on: answered },
    ];
    let s = compute(cal, &events, d("2021-10-29")).unwrap();
    assert_eq!(s.paused_days, 15);
    assert_eq!(s.due, Some(d("2021-11-17")));
    assert_eq!(cal.working_days_between(d("2021-10-27"), d("2021-11-17")), 15);
    assert_eq!(s.third_party_answer_due, Some(d("2021-10-28")));
    assert!(!s.paused);
    let t = texts(&s);
    assert_eq!(
        t[3],
        "2021-10-08 征求第三方意见：第三方应于 2021-10-28 前提出意见（第三十二条，15个工作日）"
    );
    assert_eq!(
        t[4],
        "征求第三方意见：2021-10-08 至 2021-10-28 暂停 15 个工作日 → 期限顺延至 2021-11-17"
    );
}

#[test]
fn open_consultation_pauses_and_keeps_days_left_constant() {
    let cal = Calendar::official();
    let events = [received("2021-09-24"), ClockEvent::ThirdPartySent { on: d("2021-10-08") }];
    // 2021-10-08 is working day 6 of 20 (09-26 and 10-09 are make-up
    // working days): 14 left, frozen during the pause.
    let a = compute(cal, &events, d("2021-10-12")).unwrap();
    let b = compute(cal, &events, d("2021-10-19")).unwrap();
    assert!(a.paused && b.paused);
    assert_eq!(a.days_left, Some(14));
    assert_eq!(b.days_left, Some(14));
    assert_eq!(a.paused_days, 3); // 10-09 (make-up Saturday), 10-11, 10-12
    assert_eq!(b.paused_days, 8);
    // After the 15 working days the third party is out of time: pause ends.
    let c = compute(cal, &events, d("2021-11-01")).unwrap();
    assert!(!c.paused);
    assert_eq!(c.paused_days, 15);
    assert_eq!(c.due, Some(d("2021-11-17")));
    assert!(texts(&c).iter().any(|t| t.contains("第三方逾期未提出意见")));
}

#[test]
fn overlapping_consultations_count_once() {
    let cal = Calendar::official();
    let events = [
        received("2021-11-01"),
        ClockEvent::ThirdPartySent { on: d("2021-11-03") },
        ClockEvent::AgencyConsultSent { on: d("2021-11-05") },
        ClockEvent::ThirdPartyAnswered { on: d("2021-11-10") },
        ClockEvent::AgencyConsultAnswered { on: d("2021-11-12") },
    ];
    let s = compute(cal, &events, d("2021-11-12")).unwrap();
    // Union (11-03, 11-12] = 7 working days, not 5 + 5.
    assert_eq!(s.paused_days, 7);
    assert_eq!(s.due, Some(cal.add_working_days(d("2021-11-01"), 27)));
    assert_eq!(s.agency_answer_due, Some(cal.add_working_days(d("2021-11-05"), 15)));
    assert!(texts(&s).iter().any(|t| t.contains("与其他征求意见重叠，实际顺延 2 个工作日")));
}

// ---------------------------------------------------------------------------
// 补正 (article 30)
// ---------------------------------------------------------------------------

#[test]
fn correction_restarts_the_20_days_from_the_corrected_application() {
    let cal = Calendar::official();
    let events = [
        received("2021-09-24"),
        ClockEvent::CorrectionRequested {
            on: d("2021-09-28"),
            period_days: 10,
        },
        ClockEvent::CorrectionReceived { on: d("2021-10-12") },
    ];
    let pending = compute(cal, &events[..2], d("2021-09-29")).unwrap();
    assert_eq!(pending.due, None);
    assert_eq!(pending.days_left, None);
    assert_eq!(pending.correction_deadline, Some(d("2021-10-18")));
    assert_eq!(pending.auto_close, None);

    let s = compute(cal, &events, d("2021-10-12")).unwrap();
    assert_eq!(s.clock_start, Some(d("2021-10-12")));
    assert_eq!(s.due, Some(d("2021-11-09")));
    assert_eq!(s.correction_notice_due, d("2021-10-09"));
    assert!(!s.correction_notice_late);
    assert!(texts(&s).contains(&"答复期限：20个工作日 → 2021-11-09（跳过：周末 8天）".to_owned()));
}

#[test]
fn no_correction_by_the_deadline_auto_closes() {
    let cal = Calendar::official();
    let events = [
        received("2021-09-24"),
        ClockEvent::CorrectionRequested {
            on: d("2021-09-28"),
            period_days: 5,
        },
    ];
    let s = compute(cal, &events, d("2021-10-11")).unwrap();
    assert_eq!(s.correction_deadline, Some(d("2021-10-11")));
    assert_eq!(s.auto_close, None);
    let s = compute(cal, &events, d("2021-10-12")).unwrap();
    assert_eq!(s.auto_close, Some(Outcome::OtherNoCorrection));
    assert_eq!(s.auto_close.unwrap().report_row(), "（六）1");
    assert!(!s.overdue);
    assert!(texts(&s).last().unwrap().contains("补正期限 2021-10-11 已过"));
}

#[test]
fn correction_rules() {
    let cal = Calendar::official();
    let req = |on: &str, period_days| ClockEvent::CorrectionRequested { on: d(on), period_days };
    let r = compute(
        cal,
        &[received("2021-09-24"), req("2021-09-27", 5), req("2021-09-28", 5)],
        d("2021-09-28"),
    );
    assert_eq!(r.unwrap_err(), FoiError::SecondCorrection { first: d("2021-09-27") });
    let r = compute(cal, &[received("2021-09-24"), req("2021-09-27", 0)], d("2021-09-28"));
    assert_eq!(r.unwrap_err(), FoiError::ZeroCorrectionPeriod);
    let r = compute(
        cal,
        &[
            received("2021-09-24"),
            req("2021-09-27", 5),
            ClockEvent::ThirdPartySent { on: d("2021-09-28") },
        ],
        d("2021-09-28"),
    );
    assert_eq!(r.unwrap_err(), FoiError::CorrectionPending { event: "third_party_sent" });
    let r = compute(
        cal,
        &[received("2021-09-24"), ClockEvent::CorrectionReceived { on: d("2021-09-28") }],
        d("2021-09-28"),
    );
    assert_eq!(
        r.unwrap_err(),
        FoiError::AnswerWithoutRequest {
            event: "correction_received"
        }
    );
    // Late notice is recorded, not refused.
    let s = compute(cal, &[received("2021-09-24"), req("2021-10-11", 5)], d("2021-10-11")).unwrap();
    assert!(s.correction_notice_late);
}

// ---------------------------------------------------------------------------
// Extension (article 33)
// ---------------------------------------------------------------------------

#[test]
fn extension_once_and_at_most_20_days() {
    let cal = Calendar::official();
    let ext = |on: &str, days| ClockEvent::Extended { on: d(on), days };
    let s = compute(cal, &[received("2021-09-24"), ext("2021-10-20", 20)], d("2021-10-20")).unwrap();
    assert_eq!(s.extension_days, 20);
    assert_eq!(s.due, Some(d("2021-11-24")));
    assert_eq!(cal.working_days_between(d("2021-10-27"), d("2021-11-24")), 20);
    assert!(texts(&s).contains(&"2021-10-20 延期 20 个工作日（经负责人同意并告知申请人，第三十三条） → 2021-11-24".to_owned()));

    let r = compute(
        cal,
        &[received("2021-09-24"), ext("2021-10-20", 5), ext("2021-10-21", 5)],
        d("2021-10-21"),
    );
    assert_eq!(r.unwrap_err(), FoiError::SecondExtension { first: d("2021-10-20") });
    let r = compute(cal, &[received("2021-09-24"), ext("2021-10-20", 21)], d("2021-10-21"));
    assert_eq!(r.unwrap_err(), FoiError::ExtensionOutOfRange { days: 21 });
    let r = compute(cal, &[received("2021-09-24"), ext("2021-10-20", 0)], d("2021-10-21"));
    assert_eq!(r.unwrap_err(), FoiError::ExtensionOutOfRange { days: 0 });
    let r = compute(cal, &[received("2021-09-24"), ext("2021-10-28", 10)], d("2021-10-28"));
    assert_eq!(
        r.unwrap_err(),
        FoiError::ExtensionAfterDue {
            on: d("2021-10-28"),
            due: d("2021-10-27")
        }
    );
}

// ---------------------------------------------------------------------------
// Fee notice
// ---------------------------------------------------------------------------

#[test]
fn unpaid_fee_closes_the_case_after_20_working_days() {
    let cal = Calendar::official();
    let events = [received("2021-09-24"), ClockEvent::FeeNoticeDelivered { on: d("2021-10-08") }];
    let s = compute(cal, &events, d("2021-11-04")).unwrap();
    assert_eq!(s.fee_payment_deadline, Some(d("2021-11-04")));
    assert_eq!(s.auto_close, None);
    let s = compute(cal, &events, d("2021-11-05")).unwrap();
    assert_eq!(s.auto_close, Some(Outcome::OtherUnpaidFee));
    assert_eq!(s.days_left, None);
    assert!(!s.overdue);

    let mut paid = events.to_vec();
    paid.push(ClockEvent::FeePaid { on: d("2021-10-20") });
    let s = compute(cal, &paid, d("2021-11-05")).unwrap();
    assert_eq!(s.auto_close, None);
    // Concluding also prevents auto-close.
    let mut done = events.to_vec();
    done.push(ClockEvent::Concluded { on: d("2021-10-15") });
    let s = compute(cal, &done, d("2021-12-01")).unwrap();
    assert_eq!(s.auto_close, None);
    assert!(!s.overdue);
    assert_eq!(texts(&s).last().unwrap(), "2021-10-15 办结，在答复期限 2021-10-27 内");
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

#[test]
fn event_order_and_answers_are_validated() {
    let cal = Calendar::official();
    let today = d("2021-12-01");
    assert_eq!(compute(cal, &[], today).unwrap_err(), FoiError::NoEvents);
    assert_eq!(
        compute(cal, &[ClockEvent::ThirdPartySent { on: d("2021-09-20") }], today).unwrap_err(),
        FoiError::NotReceivedYet { event: "third_party_sent" }
    );
    assert_eq!(
        compute(
            cal,
            &[received("2021-09-24"), ClockEvent::ThirdPartySent { on: d("2021-09-23") }],
            today
        )
        .unwrap_err(),
        FoiError::BeforeReceipt {
            event: "third_party_sent",
            on: d("2021-09-23"),
            received: d("2021-09-24")
        }
    );
    let out_of_order = [
        received("2021-09-24"),
        ClockEvent::ThirdPartySent { on: d("2021-10-08") },
        ClockEvent::AgencyConsultSent { on: d("2021-10-01") },
    ];
    assert_eq!(
        compute(cal, &out_of_order, today).unwrap_err(),
        FoiError::OutOfOrder {
            event: "agency_consult_sent",
            on: d("2021-10-01"),
            previous: d("2021-10-08")
        }
    );
    assert_eq!(
        compute(
            cal,
            &[received("2021-09-24"), ClockEvent::ThirdPartyAnswered { on: d("2021-10-08") }],
            today
        )
        .unwrap_err(),
        FoiError::AnswerWithoutRequest {
            event: "third_party_answered"
        }
    );
    assert_eq!(
        compute(
            cal,
            &[received("2021-09-24"), ClockEvent::AgencyConsultAnswered { on: d("2021-10-08") }],
            today
        )
        .unwrap_err(),
        FoiError::AnswerWithoutRequest {
            event: "agency_consult_answered"
        }
    );
    assert_eq!(
        compute(cal, &[received("2021-09-24"), ClockEvent::FeePaid { on: d("2021-10-08") }], today).unwrap_err(),
        FoiError::AnswerWithoutRequest { event: "fee_paid" }
    );
    assert_eq!(
        compute(cal, &[received("2021-09-24"), received("2021-09-25")], today).unwrap_err(),
        FoiError::DuplicateReceipt {
            first: d("2021-09-24"),
            on: d("2021-09-25")
        }
    );
    let twice = [
        received("2021-09-24"),
        ClockEvent::ThirdPartySent { on: d("2021-09-27") },
        ClockEvent::ThirdPartySent { on: d("2021-09-28") },
    ];
    assert_eq!(
        compute(cal, &twice, today).unwrap_err(),
        FoiError::AlreadyOpen { event: "third_party_sent" }
    );
    let after = [
        received("2021-09-24"),
        ClockEvent::Concluded { on: d("2021-09-27") },
        ClockEvent::Extended {
            on: d("2021-09-28"),
            days: 5,
        },
    ];
    let err = compute(cal, &after, today).unwrap_err();
    assert_eq!(
        err,
        FoiError::AfterConclusion {
            event: "extended",
            concluded: d("2021-09-27")
        }
    );
    assert_eq!(err.to_string(), "extended after the case was concluded on 2021-09-27");
    assert_eq!(err.message_zh(), "该申请已于 2021-09-27 办结，不能再登记办理环节。");
}

#[test]
fn late_conclusion_is_overdue() {
    let cal = Calendar::official();
    let s = compute(
        cal,
        &[received("2021-09-24"), ClockEvent::Concluded { on: d("2021-10-29") }],
        d("2022-01-01"),
    )
    .unwrap();
    assert!(s.overdue);
    assert_eq!(s.days_left, None);
    assert_eq!(texts(&s).last().unwrap(), "2021-10-29 办结，超过答复期限 2021-10-27 共 2 个工作日");
}

#[test]
fn events_round_trip_through_json() {
    let e = ClockEvent::Extended {
        on: d("2021-10-20"),
        days: 20,
    };
    let json = serde_json::to_string(&e).unwrap();
    assert_eq!(json, r#"{"type":"extended","on":"2021-10-20","days":20}"#);
    assert_eq!(serde_json::from_str::<ClockEvent>(&json).unwrap(), e);
}

// ---------------------------------------------------------------------------
// Outcomes and applicants
// ---------------------------------------------------------------------------

#[test]
fn outcomes_cover_the_21_report_rows() {
    assert_eq!(Outcome::ALL.len(), 21);
    assert_eq!(Outcome::WithheldSecurityStability.report_row(), "（三）3");
    assert_eq!(Outcome::WithheldSecurityStability.label_zh(), "危及“三安全一稳定”");
    assert_eq!(Outcome::NotProcessedConfirmation.report_row(), "（五）5");
    assert_eq!(Outcome::OtherUnpaidFee.group(), OutcomeGroup::OtherHandling);
    assert_eq!(
        Outcome::NotProcessedRepeat.legal_basis_zh(),
        Some("《中华人民共和国政府信息公开条例》第三十六条第（六）项")
    );
    assert_eq!(
        Outcome::WithheldProcessInformation.legal_basis_zh(),
        Some("《中华人民共和国政府信息公开条例》第十六条第二款")
    );
    assert_eq!(ApplicantType::LegalService.label_zh(), "法律服务机构");
}

// ---------------------------------------------------------------------------
// Fees
// ---------------------------------------------------------------------------

#[test]
fn per_item_fee_band_edges() {
    let cases = [
        (1, 0),
        (10, 0),
        (11, 100),
        (30, 100),
        (31, 200),
        (40, 200),
        (41, 300),
        (50, 300),
        (51, 400),
        (60, 400),
        (61, 500),
    ];
    for (n, fee) in cases {
        assert_eq!(per_item_fee(n), fee, "item {n}");
        assert_eq!(estimate(FeeMethod::PerItem, n).fee_yuan, fee, "estimate item {n}");
    }
}

#[test]
fn per_page_fee_band_edges() {
    let cases = [
        (0, 0),
        (1, 0),
        (30, 0),
        (31, 10),
        (100, 700),
        (101, 720),
        (200, 2700),
        (201, 2740),
        (250, 4700),
    ];
    for (n, fee) in cases {
        assert_eq!(per_page_fee(n), fee, "pages {n}");
        assert_eq!(estimate(FeeMethod::PerPage, n).fee_yuan, fee, "estimate pages {n}");
    }
    let e = estimate(FeeMethod::PerPage, 101);
    assert_eq!(
        e.bands,
        [
            FeeBand {
                from: 1,
                to: Some(30),
                unit_yuan: 0,
                count: 30,
                subtotal: 0
            },
            FeeBand {
                from: 31,
                to: Some(100),
                unit_yuan: 10,
                count: 70,
                subtotal: 700
            },
            FeeBand {
                from: 101,
                to: Some(200),
                unit_yuan: 20,
                count: 1,
                subtotal: 20
            },
        ]
    );
}

// ---------------------------------------------------------------------------
// Repeat hint
// ---------------------------------------------------------------------------

#[test]
fn repeat_hint() {
    assert_eq!(similarity("关于某某路拓宽工程的批复文件", "关于某某路拓宽工程的批复文件！"), 1.0);
    assert!(is_probable_repeat("申请公开：2023年 县财政 预算", "申请公开2023年县财政预算"));
    assert!(!is_probable_repeat("申请公开2023年县财政预算", "申请公开2023年县教育局人员编制"));
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0u64..365 * 5).prop_map(|n| d("2021-01-01").checked_add_days(Days::new(n)).unwrap())
}

proptest! {
    #[test]
    fn pausing_k_working_days_moves_due_by_k(recv in any_date(), offset in 0u32..20, k in 1u32..=15) {
        let cal = Calendar::official();
        let start = ClockEvent::Received { on: recv, channel: Channel::Online };
        let sent = cal.add_working_days(recv, offset);
        let answered = cal.add_working_days(sent, k);
        let without = compute(cal, &[start], answered).unwrap().due.unwrap();
        let events = [start, ClockEvent::ThirdPartySent { on: sent }, ClockEvent::ThirdPartyAnswered { on: answered }];
        let with = compute(cal, &events, answered).unwrap();
        prop_assert_eq!(with.paused_days, k);
        prop_assert_eq!(cal.working_days_between(without, with.due.unwrap()), k);
    }

    #[test]
    fn the_quiet_fold_gives_the_same_clock(
        recv in any_date(),
        corr in proptest::option::of((0u32..7, 1u32..15, proptest::option::of(0u32..20))),
        pause in proptest::option::of((0u32..20, 0u32..30)),
        ext in proptest::option::of((0u32..20, 1u32..=20)),
        today_offset in 0u64..200,
    ) {
        let cal = Calendar::official();
        let mut evs = vec![received_on(recv)];
        let mut at = recv;
        if let Some((k, period, back)) = corr {
            at = cal.add_working_days(at, k);
            evs.push(ClockEvent::CorrectionRequested { on: at, period_days: period });
            if let Some(b) = back {
                at = cal.add_working_days(at, b);
                evs.push(ClockEvent::CorrectionReceived { on: at });
            }
        }
        if let Some((k, len)) = pause {
            at = cal.add_working_days(at, k);
            evs.push(ClockEvent::ThirdPartySent { on: at });
            at = cal.add_working_days(at, len);
            evs.push(ClockEvent::ThirdPartyAnswered { on: at });
        }
        if let Some((k, days)) = ext {
            at = cal.add_working_days(at, k);
            evs.push(ClockEvent::Extended { on: at, days });
        }
        let today = recv + Days::new(today_offset);
        let loud = compute(cal, &evs, today);
        let quiet = compute_quiet(cal, &evs, today);
        match (loud, quiet) {
            (Ok(mut l), Ok(q)) => {
                prop_assert!(!l.explanation.is_empty());
                prop_assert!(q.explanation.is_empty());
                l.explanation.clear();
                prop_assert_eq!(l, q);
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "{:?} vs {:?}", a, b),
        }
    }

    #[test]
    fn due_is_always_a_working_day(
        recv in any_date(),
        ext in proptest::option::of((0u32..20, 1u32..=20)),
        pause in proptest::option::of((0u32..20, 0u32..30)),
        today_offset in 0u64..120,
    ) {
        let cal = Calendar::official();
        let mut events = vec![ClockEvent::Received { on: recv, channel: Channel::Fax }];
        // Build in date order: pause first, then extension after it.
        let mut last = recv;
        if let Some((off, len)) = pause {
            let sent = cal.add_working_days(recv, off);
            events.push(ClockEvent::AgencyConsultSent { on: sent });
            last = sent.checked_add_days(Days::new(u64::from(len))).unwrap();
            events.push(ClockEvent::AgencyConsultAnswered { on: last });
        }
        if let Some((off, days)) = ext {
            let on = cal.add_working_days(recv, off).max(last);
            events.push(ClockEvent::Extended { on, days });
        }
        let today = recv.checked_add_days(Days::new(today_offset)).unwrap();
        match compute(cal, &events, today) {
            Ok(s) => {
                let due = s.due.unwrap();
                prop_assert!(cal.is_working_day(due));
                prop_assert!(s.paused_days <= 15);
                prop_assert_eq!(cal.working_days_between(recv, due), 20 + s.paused_days + s.extension_days);
            }
            // An extension decided after the due date is rightly refused.
            Err(FoiError::ExtensionAfterDue { on, due }) => prop_assert!(on > due),
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    #[test]
    fn fees_are_monotonic(n in 0u32..100_000) {
        prop_assert!(per_item_fee(n) <= per_item_fee(n + 1));
        prop_assert!(per_page_fee(n) <= per_page_fee(n + 1));
        prop_assert_eq!(estimate(FeeMethod::PerPage, n).bands.iter().map(|b| b.count).sum::<u32>(), n);
    }
}

#[test]
fn the_compact_event_list_round_trips() {
    let events = vec![
        received("2021-09-24"),
        ClockEvent::CorrectionRequested {
            on: d("2021-09-27"),
            period_days: 10,
        },
        ClockEvent::CorrectionReceived { on: d("2021-09-29") },
        ClockEvent::Extended {
            on: d("2021-10-20"),
            days: 20,
        },
        ClockEvent::Concluded { on: d("2021-11-01") },
    ];
    let text = ClockEvent::encode_list(&events);
    assert_eq!(
        text,
        "received@2021-09-24;correction_requested@2021-09-27+10;correction_received@2021-09-29;extended@2021-10-20+20;concluded@2021-11-01"
    );
    assert_eq!(ClockEvent::decode_list(&text, Channel::InPerson), Some(events));
    assert_eq!(ClockEvent::decode_list("", Channel::InPerson), Some(vec![]));
    for bad in [
        "received",
        "received@2021-13-01",
        "extended@2021-10-20+x",
        "extended@2021-10-20",
        "nothing@2021-10-20",
    ] {
        assert_eq!(ClockEvent::decode_list(bad, Channel::InPerson), None, "{bad}");
    }
}
