//! Disclosure on application end to end on the demo site: registration and
//! the statutory clock (2021-09-24 → 2021-10-27; a third-party pause moves
//! the due date by exactly its working days), online applications with an
//! identity document followed by reference number, letters that register
//! their events and download as Word, fees, privacy, statistics that add
//! up, and recomputation after a calendar change.

mod common;

use axum::body::Body;
use axum::http::Request;
use chrono::NaiveDate;
use common::{Client, DEMO_PASSWORD, TestApp, multipart, token};
use gongkai_domain::calendar::{Calendar, DayOverride, YearArrangement};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn handler(app: &TestApp) -> Client<'_> {
    let c = app.client();
    assert_eq!(c.login("zfb_handler", DEMO_PASSWORD).await.status, 303);
    c
}

/// Registers an in-person application received on `received`; returns its id.
async fn register(c: &Client<'_>, received: &str, id_number: &str, description: &str) -> i64 {
    let unit = c.app.unit_id("县政府办公室").await.to_string();
    let r = c
        .post(
            "/admin/foi",
            &[
                ("channel", "in_person"),
                ("received", received),
                ("unit_id", &unit),
                ("applicant_type", "natural_person"),
                ("name", "测试申请人"),
                ("id_type", "居民身份证"),
                ("id_number", id_number),
                ("phone", "13912345678"),
                ("address", "重庆市巫山县某街道1号"),
                ("description", description),
                ("form", "paper"),
                ("delivery", "post"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let loc = r.location();
    loc.trim_start_matches("/admin/foi/").split('?').next().unwrap().parse().unwrap()
}

async fn event(c: &Client<'_>, id: i64, kind: &str, on: &str, days: &str) -> String {
    let r = c
        .post(
            &format!("/admin/foi/{id}/events"),
            &[("kind", kind), ("on", on), ("days", days), ("note", "")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    urlencoding::decode(&r.location()).unwrap().into_owned()
}

fn cal() -> &'static Calendar {
    Calendar::official()
}

const ID1: &str = "11010519491231002X";
const ID2: &str = "110105198001011238";

#[tokio::test]
async fn received_on_2021_09_24_is_due_2021_10_27_and_a_third_party_pause_moves_it_by_exactly_15_days() {
    let app = TestApp::spawn().await;
    let c = handler(&app).await;
    let id = register(&c, "2021-09-24", ID1, "2021年县级部门预算公开表").await;
    let case = app.state.store.foi_case(id).await.unwrap();
    assert_eq!(case.due_on.as_deref(), Some("2021-10-27"));
    assert_eq!(case.received_on.as_deref(), Some("2021-09-24"));
    assert_eq!(case.status, "open");
    assert!(case.ref_no.starts_with("YSQ20210924-"), "{}", case.ref_no);

    // Consult a third party; it answers on the last of its 15 working days.
    let sent = d("2021-09-28");
    let answered = cal().add_working_days(sent, 15);
    assert!(event(&c, id, "third_party_sent", "2021-09-28", "").await.contains("done="));
    event(&c, id, "third_party_answered", &answered.to_string(), "").await;
    let case = app.state.store.foi_case(id).await.unwrap();
    let expected = cal().add_working_days(d("2021-10-27"), 15);
    assert_eq!(case.due_on, Some(expected.to_string()));

    // The API explains it.
    let r = c
        .send(
            Request::get(format!("/api/v1/foi/cases/{id}"))
                .header("authorization", token(&app, "zfb_handler").await)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["due_on"], expected.to_string());
    let text = v["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("→ 2021-10-27（跳过：周末 6天、国庆节 7天）"), "{text}");
    assert!(text.contains("暂停 15 个工作日"), "{text}");

    // A second extension is refused with the reason; the first one is kept.
    let ok = event(&c, id, "extended", "2021-10-20", "20").await;
    assert!(ok.contains("done="), "{ok}");
    let refused = event(&c, id, "extended", "2021-10-21", "5").await;
    assert!(refused.contains("只能延期一次"), "{refused}");
    let case = app.state.store.foi_case(id).await.unwrap();
    assert_eq!(case.due_on, Some(cal().add_working_days(expected, 20).to_string()));
    // A date in the future is refused.
    let future = (app.state.clock.now().date_naive() + chrono::Days::new(3)).to_string();
    assert!(event(&c, id, "note", &future, "").await.contains("error="));
}

/// An 8×8 PNG.
fn png() -> Vec<u8> {
    vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00,
        0x00, 0x08, 0x08, 0x02, 0x00, 0x00, 0x00, 0x4B, 0x6D, 0x29, 0xDC, 0x00, 0x00, 0x00, 0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63,
        0x58, 0x22, 0x2C, 0x8D, 0x15, 0x31, 0x0C, 0x2D, 0x09, 0x00, 0xA6, 0x34, 0x34, 0x81, 0x97, 0x65, 0x7C, 0xC0, 0x00, 0x00, 0x00, 0x00,
        0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
}

#[tokio::test]
async fn an_online_application_is_confirmed_by_the_office_and_followed_by_its_reference_number() {
    let app = TestApp::spawn().await;
    let public = app.client();
    let csrf = public.csrf().await;
    let fields = [
        ("applicant_type", "natural_person"),
        ("name", "李申请"),
        ("id_type", "居民身份证"),
        ("id_number", ID2),
        ("phone", "13987654321"),
        ("email", "li@example.com"),
        ("description", "巫山府办发〔2021〕48号文件全文"),
        ("form", "email"),
        ("delivery", "email"),
    ];
    // Without the identity document: the form comes back with every value kept.
    let (ct, body) = multipart(&fields, None);
    let r = public
        .send(
            Request::post(format!("/foi/apply?csrf={csrf}"))
                .header("content-type", &ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("请上传身份证明") && r.body.contains("李申请"), "{}", r.body);
    // A file that is not a picture is refused.
    let (ct, body) = multipart(&fields, Some(("id_file", "id.png", b"not an image".to_vec())));
    let r = public
        .send(
            Request::post(format!("/foi/apply?csrf={csrf}"))
                .header("content-type", &ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("error-text"), "{}", r.body);

    // An oversized upload is refused without being read whole.
    let (ct, body) = multipart(&fields, Some(("id_file", "big.png", vec![0u8; 13 * 1024 * 1024])));
    let r = public
        .send(
            Request::post(format!("/foi/apply?csrf={csrf}"))
                .header("content-type", &ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert!(
        r.status == 413 || r.body.contains("超过大小限制"),
        "{}: {}",
        r.status,
        &r.body[..r.body.len().min(300)]
    );
    assert!(
        app.state
            .store
            .foi_cases_page(1, &Default::default(), "", 100, 0)
            .await
            .unwrap()
            .0
            .iter()
            .all(|c| c.applicant_name != "李申请")
    );

    let (ct, body) = multipart(&fields, Some(("id_file", "身份证.png", png())));
    let r = public
        .send(
            Request::post(format!("/foi/apply?csrf={csrf}"))
                .header("content-type", &ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let loc = r.location();
    assert!(loc.starts_with("/foi/status?ref=YSQ"), "{loc}");
    let ref_no = loc.split("ref=").nth(1).unwrap().split('&').next().unwrap().to_string();
    let page = public.get(&loc).await;
    assert!(page.body.contains("待确认收到") && page.body.contains(&ref_no));
    assert!(!page.body.contains("李申请") && !page.body.contains("13987654321"));

    // The office confirms receipt; the public status shows the due date and how it was reached.
    let case = app.state.store.foi_case_by_ref(&ref_no).await.unwrap().unwrap();
    assert_eq!(case.status, "unconfirmed");
    assert!(case.id_file_hash.is_some());
    let c = handler(&app).await;
    let today = app.state.clock.now().date_naive();
    let early = event(&c, case.id, "received", &today.pred_opt().unwrap().to_string(), "").await;
    assert!(early.contains("不能早于申请提交日期"), "{early}");
    event(&c, case.id, "received", &today.to_string(), "").await;
    assert_eq!(app.state.store.foi_case(case.id).await.unwrap().status, "open");
    let twice = event(&c, case.id, "received", &today.to_string(), "").await;
    assert!(twice.contains("已于"), "{twice}");
    let due = cal().add_working_days(today, 20).to_string();
    let r = public.get(&format!("/api/v1/foi/status/{ref_no}")).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["due_on"], due);
    assert_eq!(v["received_on"], today.to_string());
    assert!(!r.body.contains("李申请") && !r.body.contains(ID2) && !r.body.contains("13987654321"));
    assert_eq!(public.get("/api/v1/foi/status/YSQ20210101-0001-ZZZZZZ").await.status, 404);
    // The identity document opens for the handler only.
    let (status, headers, bytes) = c.get_bytes(&format!("/admin/foi/{}/id-file", case.id)).await;
    assert_eq!(status, 200);
    assert_eq!(headers.get("content-type").unwrap(), "image/png");
    assert_eq!(bytes, png());
    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;
    assert_eq!(editor.get(&format!("/admin/foi/{}/id-file", case.id)).await.status, 403);
}

#[tokio::test]
async fn letters_register_their_events_conclude_the_case_and_download_as_word() {
    let app = TestApp::spawn().await;
    let c = handler(&app).await;
    // Recent dates, so that the correction period is still running.
    let today = app.state.clock.now().date_naive();
    let back = |k: u32| {
        let mut d = today;
        while cal().working_days_between(d, today) < k {
            d = d.pred_opt().unwrap();
        }
        d
    };
    let (received, notice, corrected) = (back(6), back(5), back(2));
    let id = register(&c, &received.to_string(), ID1, "本村土地征收补偿方案").await;
    // 补正告知书 with 10 working days.
    let r = c
        .post(
            &format!("/admin/foi/{id}/letters"),
            &[("kind", "correction_notice"), ("days", "10"), ("correction_what", "请写明村名")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let letter = r.location();
    assert!(letter.starts_with(&format!("/admin/foi/{id}/letters/")), "{letter}");
    let page = c.get(&letter).await;
    assert!(page.body.contains("补正") && page.body.contains("请写明村名"), "{}", page.body);
    let r = c.post(&format!("{letter}/issue"), &[("on", &notice.to_string())]).await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("done="), "{}", r.location());
    let case = app.state.store.foi_case(id).await.unwrap();
    assert_eq!(case.status, "correction");
    assert_eq!(case.due_on, None);
    // The corrected application restarts the 20 working days.
    event(&c, id, "correction_received", &corrected.to_string(), "").await;
    let case = app.state.store.foi_case(id).await.unwrap();
    assert_eq!(case.status, "open");
    assert_eq!(case.due_on, Some(cal().add_working_days(corrected, 20).to_string()));
    // An issued letter cannot be edited.
    let r = c.post(&letter, &[("title", "改"), ("body", "改")]).await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("不能修改"));

    // The reply: 予以公开, edited, issued, delivered.
    let r = c.post(&format!("/admin/foi/{id}/letters"), &[("kind", "reply:disclosed")]).await;
    let reply = r.location();
    let draft = c.get(&reply).await;
    assert!(draft.body.contains("第三十六条"), "{}", draft.body);
    let r = c
        .post(
            &reply,
            &[
                ("title", "政府信息公开申请答复告知书"),
                ("body", "测试申请人：\n\n经审查，现予以提供。\n\n特此告知。"),
            ],
        )
        .await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("已保存"));
    c.post(&format!("{reply}/issue"), &[("on", &today.to_string())]).await;
    let case = app.state.store.foi_case(id).await.unwrap();
    assert_eq!(case.status, "concluded");
    assert_eq!(case.outcome.as_deref(), Some("disclosed"));
    assert_eq!(case.concluded_on, Some(today.to_string()));
    let r = c
        .post(&format!("{reply}/deliver"), &[("on", &today.to_string()), ("method", "邮寄")])
        .await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("已登记送达"));
    // No clock event may follow the conclusion.
    let refused = event(&c, id, "third_party_sent", &today.to_string(), "").await;
    assert!(refused.contains("办结"), "{refused}");

    let (status, headers, bytes) = c.get_bytes(&format!("{reply}/docx")).await;
    assert_eq!(status, 200);
    assert!(headers.get("content-type").unwrap().to_str().unwrap().contains("wordprocessingml"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    assert!(xml.contains("经审查，现予以提供。") && xml.contains("县政府办公室"), "{xml}");

    // The audit log holds every step, without the applicant's data.
    let filter = gongkai_store::audit::AuditFilter {
        object_type: Some("foi_case".into()),
        object_id: Some(id.to_string()),
        ..Default::default()
    };
    let entries = app.state.store.audit_entries(&filter, 100, 0).await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    for a in ["foi.create", "foi.correction_requested", "foi.correction_received", "foi.concluded"] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    assert!(entries.iter().all(|e| !e.detail.contains("测试申请人") && !e.detail.contains(ID1)));
}

#[tokio::test]
async fn a_fee_by_pages_and_an_unpaid_fee_closes_the_case() {
    let app = TestApp::spawn().await;
    let c = handler(&app).await;
    let id = register(&c, "2021-09-24", ID1, "2019年以来全部会议纪要").await;
    // A fee notice needs a fee first.
    let r = c.post(&format!("/admin/foi/{id}/letters"), &[("kind", "fee_notice")]).await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("请先确定收费"));
    let r = c
        .post(&format!("/admin/foi/{id}/fee"), &[("method", "per_page"), ("pages", "250")])
        .await;
    assert_eq!(r.status, 303);
    let case = app.state.store.foi_case(id).await.unwrap();
    assert_eq!(case.fee_yuan, Some(4700));
    let r = c.post(&format!("/admin/foi/{id}/letters"), &[("kind", "fee_notice")]).await;
    let letter = r.location();
    assert!(c.get(&letter).await.body.contains("4700"));
    c.post(&format!("{letter}/issue"), &[("on", "2021-09-28")]).await;
    assert_eq!(app.state.store.foi_case(id).await.unwrap().status, "open");
    c.post(&format!("{letter}/deliver"), &[("on", "2021-09-29"), ("method", "邮寄")])
        .await;
    // Delivered in 2021 and never paid: 20 working days have long passed.
    let case = app.state.store.foi_case(id).await.unwrap();
    assert_eq!(case.status, "concluded");
    assert_eq!(case.outcome.as_deref(), Some("other_unpaid_fee"));
    assert!(case.auto_closed);
    let deadline = cal().add_working_days(d("2021-09-29"), 20);
    assert_eq!(case.concluded_on, Some(deadline.succ_opt().unwrap().to_string()));

    // Per item: the applicant's place in the month counts.
    let mut last = 0;
    for i in 0..11 {
        last = register(&c, "2021-11-02", ID2, &format!("第{i}份文件")).await;
    }
    c.post(&format!("/admin/foi/{last}/fee"), &[("method", "per_item")]).await;
    let case = app.state.store.foi_case(last).await.unwrap();
    assert_eq!((case.fee_quantity, case.fee_yuan), (Some(11), Some(100)));
}

#[tokio::test]
async fn the_fee_estimator_follows_the_bands_and_rejects_bad_parameters() {
    let app = TestApp::spawn().await;
    let c = app.client();
    for (q, fee) in [
        ("method=per_item&nth=10", 0),
        ("method=per_item&nth=11", 100),
        ("method=per_item&nth=30", 100),
        ("method=per_item&nth=31", 200),
        ("method=per_item&nth=41", 300),
        ("method=per_page&pages=30", 0),
        ("method=per_page&pages=31", 10),
        ("method=per_page&pages=100", 700),
        ("method=per_page&pages=101", 720),
        ("method=per_page&pages=201", 2740),
    ] {
        let r = c.get(&format!("/api/v1/fees/estimate?{q}")).await;
        assert_eq!(r.status, 200, "{q}: {}", r.body);
        assert_eq!(r.json()["fee_yuan"], fee, "{q}");
    }
    let v = c.get("/api/v1/fees/estimate?method=per_page&pages=250").await.json();
    let bands = v["bands"].as_array().unwrap();
    assert_eq!(bands.len(), 4);
    assert_eq!(bands.iter().map(|b| b["subtotal"].as_u64().unwrap()).sum::<u64>(), 4700);
    for q in [
        "",
        "method=per_item",
        "method=per_page&pages=0",
        "method=per_page&pages=x",
        "method=both&nth=1",
        "method=per_item&pages=3",
    ] {
        let r = c.get(&format!("/api/v1/fees/estimate?{q}")).await;
        assert_eq!(r.status, 400, "{q}");
        assert!(r.json()["error"]["message"].is_string());
    }
    let page = c.get("/foi/fees?method=per_page&n=250").await;
    assert!(page.body.contains("4700"));
    assert!(
        c.get("/foi/fees?method=per_page&n=-3")
            .await
            .body
            .contains("请输入1至100000之间的整数")
    );
}

#[tokio::test]
async fn personal_data_is_shown_only_to_those_who_handle_the_case() {
    let app = TestApp::spawn().await;
    let c = handler(&app).await;
    let id = register(&c, "2021-09-24", ID1, "某小区规划许可").await;
    let page = c.get(&format!("/admin/foi/{id}")).await;
    assert!(page.body.contains("测试申请人") && page.body.contains("13912345678"));
    // The leader sees the ledger, not who applied.
    let leader = app.client();
    leader.login("leader", DEMO_PASSWORD).await;
    let page = leader.get(&format!("/admin/foi/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("测试申请人") && !page.body.contains("13912345678") && !page.body.contains(ID1));
    let list = leader.get("/admin/foi").await;
    assert!(list.body.contains("仅办理人可见") && !list.body.contains("测试申请人"));
    assert_eq!(
        leader
            .post(
                &format!("/admin/foi/{id}/events"),
                &[("kind", "note"), ("on", "2021-09-25"), ("note", "x")]
            )
            .await
            .status,
        403
    );
    // A finance-bureau editor sees only the bureau's cases, without names,
    // and not this one of the government office.
    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;
    let list = editor.get("/admin/foi").await;
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("县财政局") && !list.body.contains("县政府办公室</td>"),
        "{}",
        list.body
    );
    assert!(!list.body.contains(&app.state.store.foi_case(id).await.unwrap().ref_no));
    assert_eq!(editor.get(&format!("/admin/foi/{id}")).await.status, 403);
    // The public status by reference number shows no personal data.
    let case = app.state.store.foi_case(id).await.unwrap();
    let public = app.client().get(&format!("/foi/status?ref={}", case.ref_no)).await;
    assert!(public.body.contains("2021-10-27") && !public.body.contains("测试申请人"));
}

#[tokio::test]
async fn repeated_applications_are_pointed_out() {
    let app = TestApp::spawn().await;
    let c = handler(&app).await;
    register(&c, "2021-09-24", ID1, "2021年巫山县惠民惠农财政补贴资金发放明细").await;
    let second = register(&c, "2021-10-12", ID1, "请公开2021年巫山县惠民惠农财政补贴资金发放明细").await;
    let other = register(&c, "2021-10-12", ID2, "2021年巫山县惠民惠农财政补贴资金发放明细").await;
    assert!(c.get(&format!("/admin/foi/{second}")).await.body.contains("重复申请"));
    assert!(!c.get(&format!("/admin/foi/{other}")).await.body.contains("内容相近的申请"));
}

#[tokio::test]
async fn the_statistics_add_up_and_export_as_xlsx() {
    let app = TestApp::spawn().await;
    let c = handler(&app).await;
    // A case received in 2021 and concluded in 2022 is carried forward, then over.
    let id = register(&c, "2021-12-20", ID1, "年末收到的申请").await;
    c.post(
        &format!("/admin/foi/{id}/letters"),
        &[("kind", "reply:unavailable_not_held"), ("other_agency", "县规划自然资源局")],
    )
    .await;
    let letters = app.state.store.foi_letters(id).await.unwrap();
    c.post(&format!("/admin/foi/{id}/letters/{}/issue", letters[0].id), &[("on", "2022-01-10")])
        .await;
    let site = app.state.store.site_by_code("wsx").await.unwrap().unwrap();
    let calendar = app.state.calendar().await.unwrap();
    let y2021 = gongkai_app::foi::admin::stats(&app.state, &calendar, &site, 2021, None)
        .await
        .unwrap();
    let y2022 = gongkai_app::foi::admin::stats(&app.state, &calendar, &site, 2022, None)
        .await
        .unwrap();
    assert_eq!(y2021.table3.new.total(), 1);
    assert_eq!(y2021.table3.carried_forward.total(), 1);
    assert_eq!(y2022.table3.carried_over.total(), 1);
    assert_eq!(y2022.table3.outcome(gongkai_domain::foi::Outcome::UnavailableNotHeld).total(), 1);
    // The demo year balances column by column.
    let year = chrono::Datelike::year(&app.state.clock.now().date_naive());
    for y in [year - 1, year] {
        let s = gongkai_app::foi::admin::stats(&app.state, &calendar, &site, y, None).await.unwrap();
        assert!(s.problems.is_empty(), "{y}: {:?}", s.problems);
        let t = &s.table3;
        for i in 0..6 {
            assert_eq!(
                t.new.0[i] + t.carried_over.0[i],
                t.concluded.0[i] + t.carried_forward.0[i],
                "{y} column {i}"
            );
        }
        assert_eq!(s.handling.concluded, t.concluded.total());
    }
    let page = c.get(&format!("/admin/foi/stats?year={year}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("一、本年新收政府信息公开申请数量") && page.body.contains("结果维持"));
    let (status, headers, bytes) = c.get_bytes(&format!("/admin/foi/stats.xlsx?year={year}")).await;
    assert_eq!(status, 200);
    assert!(headers.get("content-type").unwrap().to_str().unwrap().contains("spreadsheetml"));
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = calamine::Reader::worksheet_range_at(&mut book, 0).unwrap().unwrap();
    let total_new = sheet.get_value((2, 7)).unwrap().to_string();
    let s = gongkai_app::foi::admin::stats(&app.state, &calendar, &site, year, None)
        .await
        .unwrap();
    assert_eq!(total_new, s.table3.new.total().to_string());
}

#[tokio::test]
async fn a_calendar_change_recomputes_open_cases() {
    let app = TestApp::spawn().await;
    let c = handler(&app).await;
    let today = app.state.clock.now().date_naive();
    let id = register(&c, &today.to_string(), ID1, "新近收到的申请").await;
    let before: NaiveDate = app.state.store.foi_case(id).await.unwrap().due_on.unwrap().parse().unwrap();
    // The working day before the due date becomes a day off.
    let calendar = app.state.calendar().await.unwrap();
    let mut day_off = before.pred_opt().unwrap();
    while !calendar.is_working_day(day_off) {
        day_off = day_off.pred_opt().unwrap();
    }
    let year = chrono::Datelike::year(&day_off);
    let mut arr = calendar.arrangement(year).cloned().unwrap_or(YearArrangement {
        year,
        notice: None,
        days: Vec::new(),
    });
    arr.notice = Some("测试通知".into());
    arr.days.push(DayOverride {
        date: day_off,
        name: "测试假日".into(),
        off: true,
    });
    arr.days.sort_by_key(|d| d.date);
    let changed = gongkai_app::calendar::admin::import_year(&app.state.store, "test", &arr)
        .await
        .unwrap();
    let after: NaiveDate = app.state.store.foi_case(id).await.unwrap().due_on.unwrap().parse().unwrap();
    assert_eq!(after, changed.add_working_days(before, 1));
    assert!(after > before);
}

#[tokio::test]
async fn a_multi_item_application_is_split_into_one_case_per_item() {
    let app = TestApp::spawn().await;
    let c = handler(&app).await;
    let id = register(&c, "2021-09-24", ID1, "一、2021年预算；二、2021年决算；三、政府采购目录").await;
    let r = c.post(&format!("/admin/foi/{id}/split"), &[("items", "2021年预算\n")]).await;
    assert!(urlencoding::decode(&r.location()).unwrap().contains("2至20项"));
    let r = c
        .post(
            &format!("/admin/foi/{id}/split"),
            &[("items", "2021年县级预算公开表\n2021年县级决算公开表\n\n2021年政府采购目录")],
        )
        .await;
    let msg = urlencoding::decode(&r.location()).unwrap().into_owned();
    assert!(msg.contains("已拆分"), "{msg}");
    let original = app.state.store.foi_case(id).await.unwrap();
    assert_eq!(original.description, "2021年县级预算公开表");
    let history = app.state.store.foi_events(id).await.unwrap();
    assert!(
        history
            .iter()
            .any(|e| e.note.as_deref().is_some_and(|n| n.contains("一、2021年预算；二、2021年决算")))
    );
    let prior = app.state.store.foi_prior_cases(original.site_id, ID1, 0, 10).await.unwrap();
    let children: Vec<_> = prior.iter().filter(|p| p.id != id).collect();
    assert_eq!(children.len(), 2);
    for child in children {
        let case = app.state.store.foi_case(child.id).await.unwrap();
        assert_eq!(
            (case.parent_id, case.received_on.as_deref(), case.due_on.as_deref()),
            (Some(id), Some("2021-09-24"), Some("2021-10-27"))
        );
    }
}

#[tokio::test]
async fn the_dashboard_flags_overdue_applications() {
    let app = TestApp::spawn().await;
    let c = handler(&app).await;
    // The demo has one overdue case; a case received in 2021 and never answered is another.
    register(&c, "2021-09-24", ID1, "逾期未答复的申请").await;
    let page = c.get("/admin").await;
    assert!(page.body.contains("依申请公开：2 件申请已超过答复期限"), "{}", page.body);
    // A finance-bureau editor sees only the bureau's cases: none of them is overdue.
    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;
    assert!(!editor.get("/admin").await.body.contains("已超过答复期限"));
}
