//! The demo county's mailbox: messages written for the demo in every
//! state (待审看 to 已答复, each honest outcome, one reopened, one past the
//! three-month veto and one near it), one published reply whose personal
//! data is masked, calls to units' public phones (answered on the spot, open
//! and overdue) with the office's checks, and commitments (open, overdue,
//! fulfilled and published). When the shared message corpus is on this
//! machine (`GONGKAI_DEMO_MESSAGES` or `../shared/data/messages/`), its
//! labelled messages become the site's routed history the classifier learns
//! from, and some of its replied messages become published answers.

use crate::error::AppResult;
use crate::state::AppState;
use chrono::{Duration, NaiveDate};
use gongkai_store::mailbox::{MessageFilter, MessageState, NewMessage};

struct Demo {
    category: &'static str,
    title: &'static str,
    content: &'static str,
    unit: &'static str,
    ago: i64,
    status: &'static str,
    outcome: Option<(&'static str, &'static str)>,
    reply: Option<&'static str>,
    public: bool,
    published: bool,
    reopened: bool,
    rating: Option<i64>,
    extended: bool,
}

const fn demo(
    category: &'static str,
    title: &'static str,
    content: &'static str,
    unit: &'static str,
    ago: i64,
    status: &'static str,
) -> Demo {
    Demo {
        category,
        title,
        content,
        unit,
        ago,
        status,
        outcome: None,
        reply: None,
        public: true,
        published: false,
        reopened: false,
        rating: None,
        extended: false,
    }
}

fn messages() -> Vec<Demo> {
    vec![
        demo(
            "consultation",
            "新生儿医保怎么办理",
            "孩子上个月出生，想咨询新生儿城乡居民医保在哪里办理、需要带哪些材料？",
            "",
            1,
            "submitted",
        ),
        demo(
            "suggestion",
            "建议在龙门街道增设公交站点",
            "龙门街道新建小区入住人口多，最近的公交站步行要二十分钟，建议增设站点。",
            "",
            2,
            "accepted",
        ),
        demo(
            "complaint",
            "某小区夜间施工噪音扰民",
            "小区旁工地连续一周晚上十一点后仍在施工，噪音很大，影响老人小孩休息。",
            "县生态环境局",
            4,
            "assigned",
        ),
        Demo {
            extended: true,
            ..demo(
                "help",
                "农村危房改造补助申请进度",
                "我家去年申请了农村危房改造补助，至今没有结果，想了解审核进度。",
                "县住房城乡建委",
                20,
                "extended",
            )
        },
        Demo {
            outcome: Some(("resolved", "")),
            reply: Some("您好！经核实，该路段路灯因线路老化损坏，已于本周更换线路并恢复照明。感谢您对城市管理工作的支持。"),
            ..demo(
                "complaint",
                "巫峡路段路灯长期不亮",
                "巫峡路靠近菜市场一段路灯已经一个多月不亮了，晚上出行很不安全。",
                "县城市管理局",
                6,
                "reviewing",
            )
        },
        Demo {
            outcome: Some(("resolved", "")),
            reply: Some(
                "您好！2021年城乡居民养老保险个人缴费档次为每年300元至4000元共十一个档次，可在户籍所在地乡镇（街道）社保所或通过“重庆人社”APP缴纳。咨询电话：023-57600011。",
            ),
            published: true,
            rating: Some(5),
            ..demo(
                "consultation",
                "城乡居民养老保险缴费标准是多少",
                "我叫王小明，电话13912345678，身份证号11010519491231002X，想问今年城乡居民养老保险的缴费档次和缴费方式。",
                "县人力社保局",
                30,
                "answered",
            )
        },
        Demo {
            outcome: Some(("answered_unresolved", "该路段改造已列入明年计划，今年资金无法安排")),
            reply: Some("您好！您反映的道路破损问题属实，县交通局已进行临时修补；该路段整体改造已列入明年建设计划，届时将彻底解决。"),
            rating: Some(3),
            ..demo(
                "suggestion",
                "官渡镇通村公路破损严重",
                "官渡镇到某村的公路坑洼很多，雨天积水，建议尽快整修。",
                "县交通局",
                40,
                "answered",
            )
        },
        Demo {
            outcome: Some(("transferred", "重庆市巫山县供电公司")),
            reply: Some("您好！您反映的停电问题属于供电企业职责，我局已将您的诉求转交重庆市巫山县供电公司办理，联系电话可拨打95598。"),
            ..demo(
                "complaint",
                "大昌镇频繁停电",
                "大昌镇最近一个月频繁停电，每次几个小时，冰箱里的东西都坏了。",
                "县经济信息委",
                35,
                "answered",
            )
        },
        Demo {
            outcome: Some(("not_accepted", "留言为广告或与政务无关的信息")),
            public: false,
            ..demo(
                "other",
                "低价出售二手设备",
                "本公司低价出售二手工程设备，有意者请联系。",
                "",
                12,
                "rejected",
            )
        },
        Demo {
            reopened: true,
            ..demo(
                "help",
                "孩子入学学位申请被退回",
                "孩子入学申请被退回，说材料不全，但我们已经按要求提交了全部材料。答复后问题仍未解决。",
                "县教委",
                25,
                "assigned",
            )
        },
        demo(
            "consultation",
            "公租房申请条件咨询",
            "外地来巫山工作三年，想问能否申请公租房，需要什么条件？",
            "县住房城乡建委",
            70,
            "assigned",
        ),
        demo(
            "consultation",
            "退役军人优待证办理",
            "请问退役军人优待证在哪里办理，需要多长时间？",
            "县民政局",
            100,
            "assigned",
        ),
    ]
}

/// Where the shared message corpus is looked for.
pub fn corpus_dir() -> std::path::PathBuf {
    std::env::var_os("GONGKAI_DEMO_MESSAGES")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("../shared/data/messages"))
}

pub async fn seed(state: &AppState, site_id: i64) -> AppResult<()> {
    let (_, n) = state.store.mailbox_page(site_id, &MessageFilter::default(), 1, 0).await?;
    if n > 0 {
        return Ok(());
    }
    let site = crate::tasks::site_of(state, site_id).await?;
    let units = state.store.list_units().await?;
    let unit_id = |name: &str| units.iter().find(|u| u.name == name).map(|u| u.id);
    let today = state.clock.now().date_naive();
    let cal = state.calendar().await?;
    let mut seq = 0;
    for d in messages() {
        seq += 1;
        let received = today - Duration::days(d.ago);
        let code = gongkai_domain::mailbox::query_code(received, &format!("DEMO{seq:02}"));
        let unit = (!d.unit.is_empty()).then(|| unit_id(d.unit)).flatten();
        let category = gongkai_domain::mailbox::Category::parse(d.category).unwrap_or(gongkai_domain::mailbox::Category::Other);
        let days = super::reply_days(&site, category);
        let due = unit.map(|_| gongkai_domain::dispatch::due_date(&cal, received, days + if d.extended { 10 } else { 0 }));
        let told = matches!(d.status, "answered" | "rejected").then(|| received + Duration::days(d.ago.min(12) / 2 + 1));
        let mut tx = state.store.begin().await?;
        let id = tx
            .insert_mailbox_message(&NewMessage {
                site_id,
                query_code: code.clone(),
                channel: "web".into(),
                category: d.category.into(),
                addressee_unit_id: None,
                title: d.title.into(),
                content: d.content.into(),
                contact_name: "演示留言人".into(),
                contact_phone: "13800000000".into(),
                contact_email: None,
                wants_private: !d.public,
                received_on: received.to_string(),
                suggested_unit_id: unit,
                suggested_score: unit.map(|_| 0.82),
                client_hash: None,
            })
            .await?;
        let on = |k: i64| (received + Duration::days(k)).to_string();
        tx.add_mailbox_event(id, "submitted", None, None, "web", &received.to_string())
            .await?;
        if d.status != "submitted" && d.status != "rejected" {
            tx.add_mailbox_event(id, "accepted", None, None, "demo", &on(0)).await?;
        }
        if unit.is_some() {
            tx.add_mailbox_event(id, "routed", Some(d.unit), unit, "demo", &on(0)).await?;
        }
        if d.extended {
            tx.add_mailbox_event(
                id,
                "extended",
                Some("延期10个工作日：需现场核查并会同乡镇核实"),
                unit,
                "demo",
                &on(4),
            )
            .await?;
        }
        if d.reply.is_some() {
            tx.add_mailbox_event(id, "replied", d.outcome.map(|o| o.1), unit, "demo", &on(2))
                .await?;
        }
        if let Some(t) = told {
            let kind = if d.status == "rejected" { "rejected" } else { "approved" };
            tx.add_mailbox_event(
                id,
                kind,
                d.outcome.map(|o| o.1).filter(|n| !n.is_empty()),
                unit,
                "demo",
                &t.to_string(),
            )
            .await?;
        }
        if d.reopened {
            tx.add_mailbox_event(id, "replied", Some("已解决"), unit, "demo", &on(3)).await?;
            tx.add_mailbox_event(id, "approved", None, unit, "demo", &on(4)).await?;
            tx.add_mailbox_event(
                id,
                "reopened",
                Some("答复后问题仍未解决，学校仍未受理"),
                None,
                "public:writer",
                &on(8),
            )
            .await?;
        }
        let due = if d.reopened {
            Some(gongkai_domain::dispatch::due_date(&cal, received + Duration::days(8), days))
        } else {
            due
        };
        tx.set_mailbox_state(
            id,
            &MessageState {
                status: d.status.into(),
                outcome: d.outcome.map(|o| o.0.to_owned()),
                outcome_note: d.outcome.map(|o| o.1.to_owned()).filter(|n| !n.is_empty()),
                unit_id: unit,
                due_on: due.map(|x| x.to_string()),
                extended: d.extended,
                extension_days: if d.extended { 10 } else { 0 },
                reply_text: d.reply.map(str::to_owned),
                reply_unit_id: d.reply.and(unit),
                replied_on: d.reply.map(|_| on(2)),
                notified_on: told.map(|t| t.to_string()),
                reopened: i64::from(d.reopened),
            },
            true,
        )
        .await?;
        if let Some(r) = d.rating {
            tx.rate_mailbox(id, r, None).await?;
        }
        if d.published {
            tx.set_mailbox_published(id, true).await?;
        }
        tx.commit().await?;
    }
    history(state, site_id, &units).await?;
    ledgers(state, site_id, today, &cal, &units).await?;
    Ok(())
}

/// The shared corpus as the site's past: labelled messages routed to the
/// unit of their topic (what the classifier learns from), and some replied
/// messages published with their replies.
async fn history(state: &AppState, site_id: i64, units: &[gongkai_store::accounts::Unit]) -> AppResult<()> {
    let dir = corpus_dir();
    let Ok(labelled) = std::fs::read_to_string(dir.join("messages-labelled.jsonl")) else {
        return Ok(());
    };
    let site = crate::tasks::site_of(state, site_id).await?;
    let mut tx = state.store.begin().await?;
    for (i, line) in labelled.lines().enumerate().take(600) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let (Some(title), Some(content), Some(topic), Some(id)) =
            (v["title"].as_str(), v["content"].as_str(), v["category"].as_str(), v["id"].as_i64())
        else {
            continue;
        };
        // Only the training part: the benchmark's held-out part stays unseen.
        if super::classifier_bench::is_test_id(id) {
            continue;
        }
        let Some(unit) = super::topic_unit(&site, units, topic) else {
            continue;
        };
        let day: String = v["submitted"].as_str().unwrap_or("2019-01-01").chars().take(10).collect();
        let mid = tx
            .insert_mailbox_message(&NewMessage {
                site_id,
                query_code: format!("LY{}-H{:05}", day.replace('-', ""), i),
                channel: "web".into(),
                category: "consultation".into(),
                addressee_unit_id: None,
                title: title.chars().take(100).collect(),
                content: content.chars().take(5000).collect(),
                contact_name: "（历史留言）".into(),
                contact_phone: "0000000".into(),
                contact_email: None,
                wants_private: true,
                received_on: day.clone(),
                suggested_unit_id: None,
                suggested_score: None,
                client_hash: None,
            })
            .await?;
        tx.set_mailbox_state(
            mid,
            &MessageState {
                status: "answered".into(),
                outcome: Some("resolved".into()),
                outcome_note: None,
                unit_id: Some(unit),
                due_on: None,
                extended: false,
                extension_days: 0,
                reply_text: Some("已答复（历史留言）".into()),
                reply_unit_id: Some(unit),
                replied_on: Some(day.clone()),
                notified_on: Some(day),
                reopened: 0,
            },
            false,
        )
        .await?;
    }
    tx.commit().await?;
    state.mailbox.invalidate(site_id);
    Ok(())
}

async fn ledgers(
    state: &AppState,
    site_id: i64,
    today: NaiveDate,
    cal: &gongkai_domain::calendar::Calendar,
    units: &[gongkai_store::accounts::Unit],
) -> AppResult<()> {
    let unit = |name: &str| {
        units
            .iter()
            .find(|u| u.name == name)
            .map(|u| (u.id, u.phone.clone().unwrap_or_default()))
    };
    let at = |days: i64, hm: &str| format!("{}T{hm}", today - Duration::days(days));
    let mut tx = state.store.begin().await?;
    if let Some((finance, phone)) = unit("县财政局") {
        tx.insert_phone_call(
            site_id,
            finance,
            &at(3, "09:20"),
            "咨询耕地地力保护补贴何时发放",
            true,
            Some("已告知本月底前发放到户"),
            None,
            "demo",
        )
        .await?;
        let due = gongkai_domain::dispatch::due_date(cal, today - Duration::days(2), 5).to_string();
        tx.insert_phone_call(
            site_id,
            finance,
            &at(2, "15:05"),
            "询问政府采购供应商注册流程",
            false,
            None,
            Some(&due),
            "demo",
        )
        .await?;
        tx.insert_phone_check(
            site_id,
            finance,
            &phone,
            &(today - Duration::days(7)).to_string(),
            true,
            None,
            "demo",
        )
        .await?;
    }
    if let Some((edu, phone)) = unit("县教委") {
        let due = gongkai_domain::dispatch::due_date(cal, today - Duration::days(20), 5).to_string();
        tx.insert_phone_call(
            site_id,
            edu,
            &at(20, "10:40"),
            "咨询义务教育阶段转学手续",
            false,
            None,
            Some(&due),
            "demo",
        )
        .await?;
        tx.insert_phone_check(
            site_id,
            edu,
            &phone,
            &(today - Duration::days(7)).to_string(),
            false,
            Some("工作时间连续拨打三次无人接听"),
            "demo",
        )
        .await?;
    }
    if let Some((health, _)) = unit("县卫生健康委") {
        let k = tx
            .insert_commitment(
                site_id,
                health,
                "epidemic_medical",
                "网民反映某乡镇卫生院夜间无人值班",
                "承诺调查处理，并于两周内公布调查结果",
                "县卫生健康委分管负责人",
                &(today - Duration::days(30)).to_string(),
                &(today - Duration::days(16)).to_string(),
                "demo",
            )
            .await?;
        tx.add_commitment_update(k, "已成立调查组赴现场核查", &(today - Duration::days(25)).to_string(), "demo")
            .await?;
        tx.fulfil_commitment(
            k,
            "经核查，该院夜间值班制度落实不到位，已责令整改并约谈院长，整改情况已公开",
            &(today - Duration::days(18)).to_string(),
        )
        .await?;
        tx.set_commitment_published(k, true).await?;
    }
    if let Some((env, _)) = unit("县生态环境局") {
        let k = tx
            .insert_commitment(
                site_id,
                env,
                "environment",
                "网民反映某河段出现不明排污",
                "承诺调查处理，查明污染源并依法处理",
                "县生态环境局执法支队",
                &(today - Duration::days(10)).to_string(),
                &(today - Duration::days(2)).to_string(),
                "demo",
            )
            .await?;
        tx.add_commitment_update(k, "已取样送检，等待检测结果", &(today - Duration::days(6)).to_string(), "demo")
            .await?;
    }
    if let Some((labour, _)) = unit("县人力社保局") {
        tx.insert_commitment(
            site_id,
            labour,
            "wage_arrears",
            "农民工反映某工地拖欠工资",
            "承诺督促企业在春节前足额支付",
            "县人力社保局劳动保障监察大队",
            &(today - Duration::days(3)).to_string(),
            &(today + Duration::days(30)).to_string(),
            "demo",
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
