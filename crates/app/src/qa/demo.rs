//! The demo county's policy Q&A library: a dozen entries of its own units
//! (one linked to the demo's 一卡通 policy, so repealing that policy shows
//! the review flag), and — when the shared FAQ corpus is on this machine —
//! that real corpus as well, imported as the demo's 一网答 library.

use crate::error::AppResult;
use crate::state::AppState;
use gongkai_domain::audit::NewEntry;
use gongkai_store::qa::QaEntryFilter;

/// (unit code, question, similar questions, answer, hotline script)
const ENTRIES: &[(&str, &str, &[&str], &str, &str)] = &[
    (
        "wsx-zfb",
        "如何申请政府信息公开？",
        &["依申请公开怎么提交", "我想向政府申请公开一份文件"],
        "公民、法人或者其他组织可以通过政府门户网站“依申请公开”栏目在线提交申请，也可以到县政府办公室政务公开科当面或者信函提交。申请应当写明申请人姓名或者名称、身份证明、联系方式，所需政府信息的名称、文号或者便于查询的其他特征性描述，以及获取信息的方式和途径。",
        "可在政府网站“依申请公开”栏目在线提交，或到县政府办政务公开科当面、信函提交，需写明所需信息的名称或文号。",
    ),
    (
        "wsx-zfb",
        "政府信息公开申请多久答复？",
        &["依申请公开的答复期限是多少天", "申请公开后多长时间能收到答复"],
        "行政机关收到政府信息公开申请，能够当场答复的，应当当场予以答复；不能当场答复的，应当自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日。征求第三方意见所需时间不计算在内。",
        "能当场答复的当场答复，不能的自收到申请之日起20个工作日内答复，经批准可延长不超过20个工作日。",
    ),
    (
        "wsx-zfb",
        "申请政府信息公开要收费吗？",
        &["依申请公开收不收钱"],
        "行政机关依申请提供政府信息，不收取费用。但是，申请人申请公开政府信息的数量、频次明显超过合理范围的，行政机关可以收取信息处理费。",
        "一般不收费；申请数量、频次明显超过合理范围的，可以收取信息处理费。",
    ),
    (
        "wsx-czj",
        "惠民惠农财政补贴资金通过什么方式发放？",
        &["补贴钱打到哪张卡上", "一卡通补贴怎么发"],
        "纳入“一卡通”管理的惠民惠农财政补贴资金，统一通过社会保障卡或惠民惠农“一卡通”账户发放到户到人。补贴政策清单及发放信息按季度在政府网站公开。",
        "统一通过社会保障卡或“一卡通”账户发放到人，补贴清单和发放信息按季度公开。",
    ),
    (
        "wsx-rsj",
        "城乡居民养老保险每年什么时候缴费？",
        &["居民养老保险在哪里交", "城乡居民社保怎么缴费"],
        "城乡居民基本养老保险按年度缴费，每年1月至12月均可缴纳当年保费。可通过银行柜台、手机银行、“渝快办”或村（社区）便民服务中心缴纳，缴费档次由本人自主选择。",
        "每年1月至12月可缴当年保费，可到银行、手机银行、“渝快办”或村（社区）便民服务中心缴纳。",
    ),
    (
        "wsx-rsj",
        "失业了可以领取失业保险金吗？",
        &["失业金怎么申请", "没工作了能领失业金吗"],
        "失业前用人单位和本人已经缴纳失业保险费满一年、非因本人意愿中断就业、已经进行失业登记并有求职要求的，可以申请领取失业保险金。可到县人力社保局就业和失业保险窗口或通过网上办事大厅申请。",
        "缴费满一年、非本人意愿中断就业、已办失业登记并有求职要求的可以领取，到县人力社保局窗口或网上申请。",
    ),
    (
        "wsx-mzj",
        "最低生活保障的申请条件是什么？",
        &["低保怎么申请", "家里困难能不能吃低保"],
        "持有本县户籍，共同生活的家庭成员人均收入低于当地最低生活保障标准，且家庭财产状况符合规定的，可以向户籍所在地乡镇人民政府（街道办事处）提出低保申请。",
        "本县户籍、家庭人均收入低于低保标准且财产符合规定的，向户籍所在地乡镇（街道）申请。",
    ),
    (
        "wsx-mzj",
        "高龄老人有没有津贴？",
        &["80岁以上老人补贴怎么领", "老年人高龄津贴"],
        "年满80周岁的本县户籍老年人，可按规定享受高龄津贴，由本人或家属持身份证、户口簿到户籍所在地乡镇（街道）社会事务办申请，审核通过后按月发放到社会保障卡。",
        "80周岁以上本县户籍老人可申请，持身份证、户口簿到乡镇（街道）社会事务办办理，按月发到社保卡。",
    ),
    (
        "wsx-jw",
        "孩子上小学怎么报名？",
        &["一年级入学报名需要什么材料", "义务教育入学登记"],
        "适龄儿童入学实行划片就近入学。家长在规定时间内持户口簿、房屋产权证明或居住证明，到学区内学校报名登记。具体时间以县教委每年发布的义务教育招生公告为准。",
        "划片就近入学，家长带户口簿和住房证明到学区学校报名，时间看县教委当年招生公告。",
    ),
    (
        "wsx-scjg",
        "个体工商户营业执照怎么办理？",
        &["开个小店要办什么证", "办营业执照需要哪些材料"],
        "个体工商户登记可通过“渝快办”网上办理，或到县政务服务中心市场监管窗口办理，需提交经营者身份证明、经营场所证明及登记申请书，材料齐全的当场办结。",
        "可在“渝快办”网上办理，或带身份证、经营场所证明到政务服务中心市场监管窗口，材料齐全当场办结。",
    ),
    (
        "wsx-zjw",
        "住房公积金怎么提取？",
        &["公积金能取出来吗", "租房可以提公积金吗"],
        "职工购买、建造、翻建、大修自住住房，偿还购房贷款本息，租房自住，离休退休等情形，可以申请提取住房公积金。可通过住房公积金网上服务大厅或到县住房公积金管理部门柜台办理。",
        "购房、还贷、租房、退休等可以提取，网上服务大厅或公积金柜台办理。",
    ),
    (
        "wsx-wjw",
        "医保报销需要带哪些材料？",
        &["看病的钱怎么报销", "住院费用医保报销"],
        "在县内定点医疗机构就医的，出院时直接在医院结算，只需出示医保电子凭证或社会保障卡。异地就医未直接结算的，需持医疗费用发票、费用清单、出院小结和社会保障卡到县医保中心窗口办理。",
        "县内定点医院出院时直接结算；异地未直接结算的带发票、清单、出院小结和社保卡到医保中心。",
    ),
];

/// Seeds the demo library if the site has none yet.
pub async fn seed(state: &AppState, site_id: i64) -> AppResult<()> {
    let (_, n) = state.store.qa_entries_page(site_id, &QaEntryFilter::default(), 1, 0).await?;
    if n > 0 {
        return Ok(());
    }
    let units = state.store.list_units().await?;
    // The 一卡通 entry cites the policy in force and its interpretation.
    let any = gongkai_store::catalogue::DocumentFilter {
        site_id: Some(site_id),
        ..Default::default()
    };
    let docs = state.store.list_documents(&any, 200, 0).await?;
    let policy = docs
        .iter()
        .find(|d| d.doc_no.as_deref() == Some("巫山财发〔2021〕7号"))
        .map(|d| d.id);
    let reading = docs
        .iter()
        .find(|d| d.kind == "interpretation" && d.title.starts_with("《巫山县惠民惠农"))
        .map(|d| d.id);
    let mut tx = state.store.begin().await?;
    let mut ids = Vec::new();
    for (code, q, similar, a, script) in ENTRIES {
        let unit = units.iter().find(|u| u.code == *code);
        let fields = super::entry_fields(
            q,
            a,
            Some(script.to_string()),
            unit.map(|u| u.id),
            unit.map(|u| u.name.clone()).unwrap_or_default(),
            None,
            None,
        );
        let id = tx.insert_qa_entry(site_id, None, &fields, "published", "manual", "demo").await?;
        tx.set_qa_similar(id, &similar.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .await?;
        if q.starts_with("惠民惠农") {
            let links: Vec<i64> = [policy, reading].into_iter().flatten().collect();
            tx.set_qa_links(id, &links).await?;
        }
        ids.push(id);
    }
    tx.audit(NewEntry::new("demo", "qa.seed", "site", site_id).detail(serde_json::json!({ "entries": ids })))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Where the shared FAQ corpus is looked for (`GONGKAI_DEMO_FAQ` overrides).
pub fn shared_corpus() -> Option<std::path::PathBuf> {
    let p = std::env::var_os("GONGKAI_DEMO_FAQ")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("../shared/data/faq/taipei-faq.jsonl"));
    p.is_file().then_some(p)
}

/// Imports the shared corpus into the demo library (once: entries keep
/// their ids, so a second run changes nothing). Returns a line to print.
pub async fn import_shared(state: &AppState) -> anyhow::Result<Option<String>> {
    let Some(path) = shared_corpus() else {
        return Ok(None);
    };
    let opts = super::import::ImportOptions {
        file: path.clone(),
        site: Some("wsx".into()),
        draft: false,
        progress: false,
        actor: "demo".into(),
    };
    let s = super::import::import(state, &opts).await?;
    Ok(Some(format!(
        "政策咨询问答库 / Q&A library: {} 条导入、{} 条已存在 (imported {}, unchanged {}) from {}",
        s.imported,
        s.unchanged + s.updated,
        s.imported,
        s.unchanged + s.updated,
        path.display()
    )))
}
