//! The demo county's applications: one case in each state (submitted
//! online and awaiting confirmation, running, waiting for a correction,
//! suspended for a third party's opinion, waiting for a fee, extended,
//! overdue) and one concluded case for each of the 21 outcome rows, spread
//! over this year and last so the statistics have a carry-over; a few
//! carry their reply letters, and one was taken to administrative review.

use crate::error::AppResult;
use crate::state::AppState;
use chrono::NaiveDate;
use gongkai_domain::calendar::Calendar;
use gongkai_domain::foi::{ApplicantType, Channel, LetterKind, Outcome, draft};
use gongkai_store::foi::{FoiCaseFilter, NewFoiCase};

const NAMES: [&str; 8] = ["张明", "李华", "王芳", "刘洋", "陈静", "杨帆", "赵磊", "周婷"];
const ORGS: [(&str, &str); 5] = [
    ("巫山县恒通商贸有限公司", "91500237MA60A1B2C3"),
    ("重庆某某农业科学研究所", "12500237MB1234567X"),
    ("巫山县助老公益服务中心", "52500237MJ9876543Q"),
    ("重庆某某律师事务所", "31500000MD0000001K"),
    ("巫山县某某村股份经济合作联合社", "N2500237MF00000019"),
];
const ASKS: [&str; 12] = [
    "2021年巫山县惠民惠农财政补贴资金发放明细",
    "巫山府办发〔2021〕48号文件全文",
    "本村2020年土地征收补偿安置方案及批复",
    "县城某路段道路改造工程的立项批复和招标文件",
    "2020年度县级部门预算执行情况",
    "某小区建设工程规划许可证及附图",
    "2021年城乡居民最低生活保障对象名单",
    "县人民医院扩建项目环境影响评价批复",
    "2019年至2021年县政府常务会议纪要中关于旅游开发的内容",
    "本镇2021年农村危房改造补助对象及标准",
    "县城区停车收费标准的制定依据",
    "2021年县级财政专项资金使用情况",
];

fn id_number(seq: usize) -> String {
    let first17 = format!("50023719{:02}0{}{:02}{:03}", 70 + seq % 30, 1 + seq % 9, 10 + seq % 18, 100 + seq);
    let check = gongkai_domain::privacy::id18_check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// The day `k` working days before `today`.
fn back(cal: &Calendar, today: NaiveDate, k: u32) -> NaiveDate {
    let mut d = today;
    while cal.working_days_between(d, today) < k {
        d = d.pred_opt().unwrap_or(d);
    }
    d
}

struct Plan {
    seq: usize,
    received: NaiveDate,
    channel: Channel,
    events: Vec<(&'static str, NaiveDate, Option<u32>)>,
    outcome: Option<Outcome>,
    letter: Option<LetterKind>,
    unit_code: &'static str,
}

pub async fn seed(state: &AppState, site_id: i64) -> AppResult<()> {
    let (_, n) = state.store.foi_cases_page(site_id, &FoiCaseFilter::default(), "", 1, 0).await?;
    if n > 0 {
        return Ok(());
    }
    let today = state.clock.now().date_naive();
    let cal = state.calendar().await?;
    let units = state.store.list_units().await?;
    let w = |k: u32| back(&cal, today, k);
    let add = |d: NaiveDate, k: u32| cal.add_working_days(d, k);
    let mut plans: Vec<Plan> = Vec::new();
    let mut seq = 0;
    let mut plan =
        |received: NaiveDate, channel: Channel, events: Vec<(&'static str, NaiveDate, Option<u32>)>, outcome, letter, unit_code| {
            seq += 1;
            plans.push(Plan {
                seq,
                received,
                channel,
                events,
                outcome,
                letter,
                unit_code,
            });
        };
    // One case in each open state.
    plan(w(3), Channel::InPerson, vec![], None, None, "wsx-czj");
    let r = w(8);
    plan(
        r,
        Channel::RegisteredPost,
        vec![("correction_requested", add(r, 2), Some(10))],
        None,
        Some(LetterKind::CorrectionNotice),
        "wsx-zfb",
    );
    let r = w(10);
    plan(
        r,
        Channel::Online,
        vec![("third_party_sent", add(r, 4), None)],
        None,
        Some(LetterKind::ThirdPartyConsultation),
        "wsx-ghzy",
    );
    let r = w(15);
    plan(
        r,
        Channel::InPerson,
        vec![("fee_notice_delivered", add(r, 8), None)],
        None,
        None,
        "wsx-czj",
    );
    let r = w(24);
    plan(
        r,
        Channel::Fax,
        vec![("extended", add(r, 18), Some(15))],
        None,
        Some(LetterKind::ExtensionNotice),
        "wsx-ghzy",
    );
    let r = w(23);
    plan(r, Channel::OrdinaryLetter, vec![], None, None, "wsx-rsj");
    // One concluded case for each outcome row, this year and last.
    for (i, o) in Outcome::ALL.into_iter().enumerate() {
        let r = w(40 + 12 * i as u32);
        let mut events = Vec::new();
        match o {
            Outcome::OtherNoCorrection => events.push(("correction_requested", add(r, 3), Some(10))),
            Outcome::OtherUnpaidFee => events.push(("fee_notice_delivered", add(r, 10), None)),
            Outcome::WithheldThirdPartyRights => {
                events.push(("third_party_sent", add(r, 3), None));
                events.push(("third_party_answered", add(r, 12), None));
                events.push(("concluded", add(r, 30), None));
            }
            Outcome::UnavailableStillUnclear => {
                events.push(("correction_requested", add(r, 2), Some(10)));
                events.push(("correction_received", add(r, 7), None));
                events.push(("concluded", add(r, 25), None));
            }
            _ => {
                // Most are answered in time; one in four is late.
                let days = if i % 4 == 3 { 23 } else { 8 + (i as u32 % 10) };
                events.push(("concluded", add(r, days), None));
            }
        }
        let letter = (!o.is_deemed_abandonment()).then_some(LetterKind::Reply(o));
        let unit = ["wsx-zfb", "wsx-czj", "wsx-rsj", "wsx-ghzy", "wsx-mzj"][i % 5];
        plan(
            r,
            [Channel::Online, Channel::InPerson, Channel::RegisteredPost][i % 3],
            events,
            Some(o),
            letter,
            unit,
        );
    }
    let online_unconfirmed = seq + 1;
    let mut tx = state.store.begin().await?;
    for p in &plans {
        let unit = units
            .iter()
            .find(|u| u.code == p.unit_code)
            .or_else(|| units.first())
            .ok_or_else(|| anyhow::anyhow!("demo units missing"))?;
        let t = ApplicantType::ALL[if p.seq % 3 == 0 { 1 + p.seq % 5 } else { 0 }];
        let (name, org_code, contact) = if t.is_organisation() {
            let (n, c) = ORGS[p.seq % ORGS.len()];
            (n.to_owned(), Some(c.to_owned()), Some(NAMES[p.seq % NAMES.len()].to_owned()))
        } else {
            (NAMES[p.seq % NAMES.len()].to_owned(), None, None)
        };
        let id = tx
            .insert_foi_case(&NewFoiCase {
                site_id,
                unit_id: unit.id,
                ref_no: format!("demo-{}", p.seq),
                channel: p.channel.as_str().into(),
                applicant_type: t.as_str().into(),
                applicant_name: name,
                org_code,
                contact_person: contact,
                id_type: if t.is_organisation() { "营业执照" } else { "居民身份证" }.into(),
                id_number: id_number(p.seq),
                id_file_hash: None,
                id_file_name: None,
                phone: format!("1380023{:04}", p.seq),
                email: Some(format!("applicant{}@example.com", p.seq)),
                address: Some("重庆市巫山县高唐街道（示例地址）".into()),
                postcode: Some("404700".into()),
                description: ASKS[p.seq % ASKS.len()].into(),
                doc_number: (p.seq % ASKS.len() == 1).then(|| "巫山府办发〔2021〕48号".into()),
                form_wanted: ["paper", "email", "disk"][p.seq % 3].into(),
                delivery: ["post", "email", "pickup"][p.seq % 3].into(),
                submitted_on: p.received.to_string(),
                status: "unconfirmed".into(),
                parent_id: None,
                created_by: "demo".into(),
            })
            .await?;
        let code: String = format!("{:06}", id * 7919 % 1_000_000)
            .chars()
            .map(|c| (b'A' + (c as u8 - b'0')) as char)
            .collect();
        let ref_no = gongkai_domain::foi::reference_number(p.received, id, &code);
        tx.set_foi_ref_no(id, &ref_no).await?;
        tx.add_foi_event(id, "received", &p.received.to_string(), None, Some(p.channel.rule_zh()), "demo")
            .await?;
        let mut letter_on = p.received;
        for (kind, on, days) in &p.events {
            tx.add_foi_event(id, kind, &on.to_string(), days.map(i64::from), None, "demo")
                .await?;
            letter_on = *on;
        }
        if let Some(o) = p.outcome.filter(|o| !o.is_deemed_abandonment()) {
            let mut cols = super::columns_of(None, None);
            cols.outcome = Some(o.code().into());
            tx.set_foi_clock(id, &cols).await?;
        }
        super::refresh(&mut tx, &cal, id, today).await?;
        if let Some(kind) = p.letter {
            let case = tx.foi_case(id).await?;
            let ctx = gongkai_domain::foi::LetterContext {
                agency: unit.name.clone(),
                applicant: case.applicant_name.clone(),
                ref_no: case.ref_no.clone(),
                received: p.received,
                description: case.description.clone(),
                date: letter_on,
                correction_days: Some(10),
                correction_deadline: Some(add(letter_on, 10)),
                extension_days: Some(15),
                third_party: Some("相关权利人".into()),
                answer_due: Some(add(letter_on, 15)),
                ..Default::default()
            };
            let d = draft(kind, &ctx);
            let mut body = vec![d.salutation.clone()];
            body.extend(d.paragraphs.iter().cloned());
            let lid = tx
                .insert_foi_letter(id, &kind.code(), &d.title, &d.number, &body.join("\n\n"), None, "demo")
                .await?;
            tx.issue_foi_letter(lid, &letter_on.to_string(), "demo").await?;
            if matches!(kind, LetterKind::Reply(_)) {
                tx.deliver_foi_letter(lid, &add(letter_on, 2).min(today).to_string(), "邮寄")
                    .await?;
            }
        }
        if p.outcome == Some(Outcome::WithheldThirdPartyRights) {
            tx.insert_foi_review(
                id,
                "reconsideration",
                "巫山县人民政府",
                &add(letter_on, 10).min(today).to_string(),
                None,
                "demo",
            )
            .await?;
        }
    }
    // An online application the office has not yet confirmed.
    let root = units.first().ok_or_else(|| anyhow::anyhow!("demo units missing"))?;
    let office = units.iter().find(|u| u.code == "wsx-zfb").unwrap_or(root);
    let id = tx
        .insert_foi_case(&NewFoiCase {
            site_id,
            unit_id: office.id,
            ref_no: "demo-online".into(),
            channel: "online".into(),
            applicant_type: "natural_person".into(),
            applicant_name: NAMES[0].into(),
            org_code: None,
            contact_person: None,
            id_type: "居民身份证".into(),
            id_number: id_number(online_unconfirmed),
            id_file_hash: None,
            id_file_name: None,
            phone: "13800230099".into(),
            email: None,
            address: Some("重庆市巫山县龙门街道（示例地址）".into()),
            postcode: None,
            description: "2021年巫山县惠民惠农财政补贴资金发放明细".into(),
            doc_number: None,
            form_wanted: "paper".into(),
            delivery: "post".into(),
            submitted_on: today.to_string(),
            status: "unconfirmed".into(),
            parent_id: None,
            created_by: "portal".into(),
        })
        .await?;
    tx.set_foi_ref_no(id, &gongkai_domain::foi::reference_number(today, id, "DEMOAB"))
        .await?;
    tx.add_foi_event(
        id,
        "submitted",
        &today.to_string(),
        None,
        Some("申请人在线提交，待双方确认"),
        "portal",
    )
    .await?;
    tx.audit(
        gongkai_domain::audit::NewEntry::new("demo", "foi.demo_seed", "site", site_id)
            .detail(serde_json::json!({ "cases": plans.len() + 1 })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
