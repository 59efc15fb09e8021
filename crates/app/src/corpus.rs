//! A generator of realistic Chinese county policy documents, for load tests
//! and the search benchmark (`gongkai bench generate-documents`).
//!
//! What it is for: many documents whose titles, 文号, structure and wording
//! look like those a county government publishes (the vocabulary and the
//! structure follow real documents such as 巫山府办发〔2021〕48号: a title
//! "…关于印发《…》的通知", the salutation "各乡镇人民政府、街道办事处，县政府各
//! 部门，有关单位：", headings 一、二、三、 with items （一）（二）, 附件, the
//! issuer and date at the end), spread over the policy fields a county works
//! in (社会保障, 就业创业, 教育, 医疗卫生, …), each with its own vocabulary
//! sampled with Zipf-like weights so that term statistics resemble real text.
//! Every document carries its main field ([`GeneratedDoc::field`]) and the
//! fields its body also mentions ([`GeneratedDoc::secondary`]) as ground truth
//! for relevance judgements; the JSONL line carries them under `labels`, which
//! the importer ignores.
//!
//! What it is not for: anything published. The output is deterministic for a
//! seed (a seeded `StdRng`), uses only unit codes and column slugs of the demo
//! county (`crate::demo`, `gongkai_domain::catalogue::default_columns`), and
//! its 文号 are unique per issuer abbreviation and year.
//!
//! The output format is the import format of
//! [`crate::catalogue::import`] (one JSON object per line).

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;

/// An issuing unit of the demo county: unit code, 发文机关 and the 发文机关代字
/// of its 文号.
#[derive(Debug, Clone, Copy)]
pub struct Issuer {
    pub unit: &'static str,
    pub name: &'static str,
    pub abbr: &'static str,
    /// The short name used in running text (县人力社保局).
    pub short: &'static str,
}

const fn iss(unit: &'static str, name: &'static str, abbr: &'static str, short: &'static str) -> Issuer {
    Issuer { unit, name, abbr, short }
}

/// Issuers, by the demo county's unit codes.
pub const ISSUERS: &[Issuer] = &[
    iss("wsx", "巫山县人民政府", "巫山府发", "县政府"),
    iss("wsx-zfb", "巫山县人民政府办公室", "巫山府办发", "县政府办公室"),
    iss("wsx-fgw", "巫山县发展和改革委员会", "巫山发改发", "县发展改革委"),
    iss("wsx-ghzy", "巫山县规划和自然资源局", "巫山规资发", "县规划自然资源局"),
    iss("wsx-czj", "巫山县财政局", "巫山财发", "县财政局"),
    iss("wsx-wjw", "巫山县卫生健康委员会", "巫山卫健发", "县卫生健康委"),
    iss("wsx-sfj", "巫山县司法局", "巫山司法发", "县司法局"),
    iss("wsx-jw", "巫山县教育委员会", "巫山教发", "县教委"),
    iss("wsx-scjg", "巫山县市场监督管理局", "巫山市监发", "县市场监管局"),
    iss("wsx-sthj", "巫山县生态环境局", "巫山环发", "县生态环境局"),
    iss("wsx-mzj", "巫山县民政局", "巫山民政发", "县民政局"),
    iss("wsx-rsj", "巫山县人力资源和社会保障局", "巫山人社发", "县人力社保局"),
    iss("wsx-zjw", "巫山县住房和城乡建设委员会", "巫山建委发", "县住房城乡建委"),
    iss("wsx-jtj", "巫山县交通局", "巫山交发", "县交通局"),
    iss("wsx-nyw", "巫山县农业农村委员会", "巫山农委发", "县农业农村委"),
    iss("wsx-sww", "巫山县商务委员会", "巫山商务发", "县商务委"),
    iss("wsx-wlw", "巫山县文化和旅游发展委员会", "巫山文旅发", "县文化旅游委"),
    iss("wsx-jxw", "巫山县经济和信息化委员会", "巫山经信发", "县经济信息委"),
    iss("wsx-yjj", "巫山县应急管理局", "巫山应急发", "县应急局"),
    iss("wsx-cgj", "巫山县城市管理局", "巫山城管发", "县城市管理局"),
    iss("wsx-zwfw", "巫山县政务服务中心", "巫山政务发", "县政务服务中心"),
    iss("wsx-jrsw", "巫山县金融事务中心", "巫山金融发", "县金融事务中心"),
    iss("wsx-gtjd", "巫山县高唐街道办事处", "高唐街办发", "高唐街道"),
    iss("wsx-lmjd", "巫山县龙门街道办事处", "龙门街办发", "龙门街道"),
    iss("wsx-wxz", "巫山县巫峡镇人民政府", "巫峡府发", "巫峡镇"),
    iss("wsx-dcz", "巫山县大昌镇人民政府", "大昌府发", "大昌镇"),
    iss("wsx-gdz", "巫山县官渡镇人民政府", "官渡府发", "官渡镇"),
    iss("wsx-myz", "巫山县庙宇镇人民政府", "庙宇府发", "庙宇镇"),
];

const TOWNS: &[usize] = &[22, 23, 24, 25, 26, 27];

/// A policy field: the ground-truth topic of generated documents.
#[derive(Debug)]
pub struct Field {
    /// Stable ASCII key, e.g. `social_security`.
    pub key: &'static str,
    /// The field's Chinese name, e.g. 社会保障.
    pub name: &'static str,
    /// The national 主题分类 code (`gongkai_domain::catalogue::Topic`).
    pub topic: &'static str,
    /// Indexes into [`ISSUERS`] of the departments in charge.
    issuers: &'static [usize],
    /// Subjects of titles (…工作, 《…实施方案》), most common first.
    pub subjects: &'static [&'static str],
    /// Field vocabulary, most common first (sampled with Zipf weights).
    pub terms: &'static [&'static str],
    /// Laws and rules cited.
    laws: &'static [&'static str],
    /// Targets ("…覆盖率达到95%以上").
    targets: &'static [&'static str],
}

/// The policy fields.
pub const FIELDS: &[Field] = &[
    Field {
        key: "social_security",
        name: "社会保障",
        topic: "labour_personnel_supervision",
        issuers: &[11, 11, 11, 10, 4],
        subjects: &[
            "城乡居民基本养老保险",
            "社会保险扩面征缴",
            "失业保险稳岗返还",
            "工伤保险",
            "社会保障卡“一卡通”",
            "被征地农民养老保障",
            "城乡居民养老保险待遇调整",
            "社会保险基金监管",
            "企业职工基本养老保险",
            "社保经办服务",
            "高龄失能老人补贴",
            "困难群体参保代缴",
        ],
        terms: &[
            "养老保险",
            "参保缴费",
            "社会保险",
            "待遇发放",
            "社保卡",
            "参保人员",
            "缴费档次",
            "基金监管",
            "失业保险",
            "工伤认定",
            "待遇资格认证",
            "个人账户",
            "缴费基数",
            "基础养老金",
            "经办服务",
            "参保登记",
            "稳岗返还",
            "社保关系转移接续",
            "领取待遇",
            "政府补贴",
            "代缴",
            "欺诈骗保",
            "社保经办机构",
            "全民参保计划",
            "补缴",
            "工伤保险基金",
            "待遇核定",
            "养老金调整",
        ],
        laws: &[
            "《中华人民共和国社会保险法》",
            "《社会保险经办条例》",
            "《工伤保险条例》",
            "《失业保险条例》",
        ],
        targets: &[
            "基本养老保险参保率稳定在95%以上",
            "社会保障卡持卡人数覆盖全县常住人口",
            "待遇按时足额发放率达到100%",
        ],
    },
    Field {
        key: "employment",
        name: "就业创业",
        topic: "labour_personnel_supervision",
        issuers: &[11, 11, 11, 1],
        subjects: &[
            "高校毕业生就业创业",
            "农民工返乡创业",
            "职业技能提升行动",
            "公益性岗位开发管理",
            "创业担保贷款",
            "就业援助“春风行动”",
            "根治欠薪",
            "劳务品牌建设",
            "零工市场建设",
            "重点群体稳岗就业",
            "技工教育",
        ],
        terms: &[
            "就业创业",
            "高校毕业生",
            "农民工",
            "职业技能培训",
            "公益性岗位",
            "创业担保贷款",
            "就业困难人员",
            "稳岗",
            "招聘会",
            "劳务输出",
            "岗位补贴",
            "创业孵化基地",
            "就业见习",
            "失业人员",
            "工资支付",
            "劳动合同",
            "人力资源市场",
            "技能人才",
            "培训补贴",
            "返乡创业",
            "零工市场",
            "劳动保障监察",
            "根治欠薪",
            "社会保险补贴",
            "就业服务",
        ],
        laws: &[
            "《中华人民共和国就业促进法》",
            "《保障农民工工资支付条例》",
            "《中华人民共和国劳动合同法》",
        ],
        targets: &[
            "城镇新增就业人数完成年度目标任务",
            "城镇调查失业率控制在5.5%以内",
            "零就业家庭动态清零",
        ],
    },
    Field {
        key: "education",
        name: "教育",
        topic: "science_education",
        issuers: &[7, 7, 7, 1],
        subjects: &[
            "义务教育阶段招生入学",
            "学前教育普及普惠",
            "“双减”工作",
            "学生资助",
            "校园安全",
            "教师队伍建设",
            "义务教育优质均衡发展",
            "学校食堂管理",
            "农村义务教育学生营养改善计划",
            "职业教育",
            "中小学校责任督学挂牌督导",
            "控辍保学",
        ],
        terms: &[
            "义务教育",
            "中小学校",
            "学生",
            "教师",
            "招生入学",
            "学前教育",
            "幼儿园",
            "学生资助",
            "校园安全",
            "课后服务",
            "教育教学质量",
            "控辍保学",
            "营养改善计划",
            "校外培训",
            "教育督导",
            "教职工",
            "寄宿制学校",
            "特殊教育",
            "职业教育",
            "学位",
            "家庭经济困难学生",
            "师德师风",
            "教育经费",
            "课程改革",
            "校车安全",
        ],
        laws: &[
            "《中华人民共和国教育法》",
            "《中华人民共和国义务教育法》",
            "《中小学幼儿园安全管理办法》",
        ],
        targets: &[
            "义务教育巩固率达到96%以上",
            "学前三年毛入园率达到92%以上",
            "家庭经济困难学生资助实现全覆盖",
        ],
    },
    Field {
        key: "health",
        name: "医疗卫生",
        topic: "health_sports",
        issuers: &[5, 5, 5, 1],
        subjects: &[
            "常态化疫情防控",
            "家庭医生签约服务",
            "基本公共卫生服务",
            "县域医共体建设",
            "医疗机构依法执业",
            "爱国卫生运动",
            "健康中国重庆行动",
            "疫苗接种",
            "基层医疗卫生服务能力提升",
            "医疗保障",
            "妇幼健康",
            "传染病防控",
        ],
        terms: &[
            "医疗机构",
            "疫情防控",
            "基本公共卫生服务",
            "家庭医生",
            "乡镇卫生院",
            "医共体",
            "村卫生室",
            "慢性病",
            "核酸检测",
            "疫苗接种",
            "健康教育",
            "医疗保障",
            "医保基金",
            "传染病",
            "院感防控",
            "发热门诊",
            "健康档案",
            "医务人员",
            "药品采购",
            "分级诊疗",
            "妇幼保健",
            "爱国卫生",
            "卫生监督",
            "急救体系",
            "中医药",
        ],
        laws: &[
            "《中华人民共和国基本医疗卫生与健康促进法》",
            "《中华人民共和国传染病防治法》",
            "《医疗机构管理条例》",
        ],
        targets: &[
            "家庭医生签约服务覆盖率达到70%以上",
            "适龄人群疫苗接种率保持在90%以上",
            "居民健康素养水平达到25%",
        ],
    },
    Field {
        key: "housing",
        name: "住房保障",
        topic: "construction_environment",
        issuers: &[12, 12, 12, 1],
        subjects: &[
            "公共租赁住房管理",
            "城镇老旧小区改造",
            "农村危房改造",
            "住房公积金",
            "棚户区改造",
            "物业服务管理",
            "房地产市场秩序整治",
            "保障性租赁住房",
            "建筑施工安全",
            "建设工程质量",
        ],
        terms: &[
            "公租房",
            "保障性住房",
            "老旧小区改造",
            "住房城乡建设",
            "农村危房",
            "住房公积金",
            "物业服务",
            "房地产开发",
            "棚户区改造",
            "租赁补贴",
            "建筑施工",
            "工程质量",
            "保障对象",
            "配租",
            "住房困难家庭",
            "商品房预售",
            "施工许可",
            "建筑市场",
            "城镇燃气",
            "装配式建筑",
        ],
        laws: &["《公共租赁住房管理办法》", "《物业管理条例》", "《建设工程质量管理条例》"],
        targets: &[
            "完成城镇老旧小区改造年度任务",
            "公租房分配入住率达到95%以上",
            "农村低收入群体住房安全保障实现动态清零",
        ],
    },
    Field {
        key: "agriculture",
        name: "农业农村",
        topic: "agriculture_forestry_water",
        issuers: &[14, 14, 14, 1],
        subjects: &[
            "耕地地力保护补贴",
            "高标准农田建设",
            "农村人居环境整治",
            "粮食生产",
            "动物疫病防控",
            "农产品质量安全",
            "农业机械购置补贴",
            "脆李产业发展",
            "农村集体产权制度改革",
            "长江禁捕退捕",
            "农村宅基地管理",
            "春耕生产",
        ],
        terms: &[
            "农业农村",
            "耕地",
            "粮食生产",
            "农户",
            "补贴资金",
            "高标准农田",
            "种植",
            "农产品",
            "动物防疫",
            "农业机械",
            "集体经济组织",
            "人居环境",
            "新型农业经营主体",
            "家庭农场",
            "农民专业合作社",
            "特色产业",
            "脆李",
            "生猪",
            "农技推广",
            "化肥农药减量",
            "宅基地",
            "禁捕退捕",
            "惠农补贴",
            "秸秆综合利用",
            "冷链物流",
        ],
        laws: &[
            "《中华人民共和国农业法》",
            "《中华人民共和国农产品质量安全法》",
            "《中华人民共和国动物防疫法》",
        ],
        targets: &[
            "粮食播种面积稳定在年度目标以上",
            "农村卫生厕所普及率达到85%以上",
            "农产品质量安全抽检合格率保持在98%以上",
        ],
    },
    Field {
        key: "rural_revitalization",
        name: "乡村振兴",
        topic: "civil_affairs_relief",
        issuers: &[14, 1, 0, 1],
        subjects: &[
            "巩固拓展脱贫攻坚成果同乡村振兴有效衔接",
            "防止返贫动态监测和帮扶",
            "乡村振兴示范村建设",
            "东西部协作",
            "小额信贷",
            "衔接推进乡村振兴补助资金",
            "易地扶贫搬迁后续扶持",
            "驻村帮扶",
            "消费帮扶",
            "乡村建设行动",
        ],
        terms: &[
            "乡村振兴",
            "脱贫攻坚",
            "脱贫人口",
            "防止返贫",
            "监测对象",
            "帮扶",
            "衔接资金",
            "驻村工作队",
            "产业帮扶",
            "易地扶贫搬迁",
            "小额信贷",
            "消费帮扶",
            "东西部协作",
            "两不愁三保障",
            "脱贫村",
            "乡村治理",
            "示范村",
            "联农带农",
            "帮扶车间",
            "村集体经济",
        ],
        laws: &["《中华人民共和国乡村振兴促进法》", "《中央财政衔接推进乡村振兴补助资金管理办法》"],
        targets: &[
            "守住不发生规模性返贫底线",
            "脱贫人口务工规模稳定在上年水平",
            "衔接资金用于产业发展的比例不低于55%",
        ],
    },
    Field {
        key: "ecology",
        name: "生态环境",
        topic: "construction_environment",
        issuers: &[9, 9, 9, 1],
        subjects: &[
            "大气污染防治",
            "长江流域生态环境保护",
            "河长制",
            "水污染防治",
            "土壤污染防治",
            "中央生态环境保护督察反馈问题整改",
            "饮用水水源地保护",
            "固体废物污染防治",
            "生态环境损害赔偿",
            "排污许可",
            "林长制",
        ],
        terms: &[
            "生态环境",
            "污染防治",
            "环境质量",
            "长江",
            "水环境",
            "空气质量",
            "河长制",
            "排污单位",
            "环境监测",
            "污水处理",
            "饮用水水源",
            "生态保护",
            "环境执法",
            "突出环境问题",
            "固体废物",
            "危险废物",
            "环境影响评价",
            "碳达峰",
            "噪声污染",
            "入河排污口",
            "生态修复",
            "林长制",
        ],
        laws: &[
            "《中华人民共和国环境保护法》",
            "《中华人民共和国长江保护法》",
            "《中华人民共和国大气污染防治法》",
        ],
        targets: &[
            "空气质量优良天数比例达到90%以上",
            "长江干流水质稳定保持Ⅱ类",
            "城镇生活污水集中处理率达到95%以上",
        ],
    },
    Field {
        key: "work_safety",
        name: "安全生产",
        topic: "market_safety_regulation",
        issuers: &[18, 18, 18, 1],
        subjects: &[
            "安全生产专项整治三年行动",
            "防汛抗旱",
            "森林防灭火",
            "地质灾害防治",
            "危险化学品安全",
            "道路交通安全",
            "汛期安全防范",
            "非煤矿山安全",
            "消防安全",
            "应急预案管理",
            "隐患排查治理",
        ],
        terms: &[
            "安全生产",
            "隐患排查",
            "应急管理",
            "防汛",
            "事故",
            "生产经营单位",
            "安全责任",
            "应急预案",
            "地质灾害",
            "森林防火",
            "危险化学品",
            "消防",
            "应急演练",
            "监管执法",
            "重大风险",
            "值班值守",
            "自然灾害",
            "救援队伍",
            "物资储备",
            "安全培训",
            "有限空间",
            "打非治违",
        ],
        laws: &[
            "《中华人民共和国安全生产法》",
            "《中华人民共和国突发事件应对法》",
            "《生产安全事故应急条例》",
        ],
        targets: &[
            "生产安全事故起数和死亡人数实现“双下降”",
            "坚决遏制较大及以上生产安全事故",
            "重大隐患整改率达到100%",
        ],
    },
    Field {
        key: "market_regulation",
        name: "市场监管",
        topic: "market_safety_regulation",
        issuers: &[8, 8, 8, 1],
        subjects: &[
            "食品安全",
            "药品安全",
            "特种设备安全",
            "“双随机、一公开”监管",
            "市场主体登记",
            "价格监督检查",
            "知识产权保护",
            "产品质量监督抽查",
            "消费者权益保护",
            "计量监督",
            "校园食品安全",
        ],
        terms: &[
            "市场主体",
            "食品安全",
            "监督抽查",
            "市场监管",
            "经营者",
            "药品",
            "特种设备",
            "消费者",
            "行政处罚",
            "双随机、一公开",
            "产品质量",
            "价格",
            "商标",
            "知识产权",
            "信用监管",
            "网络交易",
            "食品生产经营",
            "投诉举报",
            "计量器具",
            "不合格产品",
            "营业执照",
        ],
        laws: &[
            "《中华人民共和国食品安全法》",
            "《中华人民共和国药品管理法》",
            "《市场主体登记管理条例》",
        ],
        targets: &[
            "食品抽检合格率稳定在97%以上",
            "“双随机、一公开”监管覆盖率达到100%",
            "消费投诉按时办结率达到98%以上",
        ],
    },
    Field {
        key: "finance_budget",
        name: "财政预算",
        topic: "finance_audit",
        issuers: &[4, 4, 4, 1],
        subjects: &[
            "预算绩效管理",
            "部门预算公开",
            "政府债务管理",
            "惠民惠农财政补贴资金“一卡通”",
            "政府采购",
            "国有资产管理",
            "财政资金直达",
            "非税收入管理",
            "会计监督",
            "预算执行",
            "县级部门决算公开",
        ],
        terms: &[
            "财政资金",
            "预算",
            "绩效",
            "决算",
            "政府采购",
            "资金拨付",
            "专项资金",
            "政府债务",
            "国有资产",
            "一般公共预算",
            "三公经费",
            "预算单位",
            "直达资金",
            "绩效目标",
            "财政补贴",
            "资金监管",
            "专项债券",
            "非税收入",
            "会计核算",
            "国库集中支付",
            "转移支付",
        ],
        laws: &[
            "《中华人民共和国预算法》",
            "《中华人民共和国预算法实施条例》",
            "《中华人民共和国政府采购法》",
        ],
        targets: &[
            "部门预算公开率达到100%",
            "直达资金支出进度不低于序时进度",
            "重点项目绩效评价覆盖率达到100%",
        ],
    },
    Field {
        key: "transport",
        name: "交通运输",
        topic: "industry_transport",
        issuers: &[13, 13, 13, 1],
        subjects: &[
            "“四好农村路”建设",
            "农村公路养护",
            "道路运输安全",
            "水上交通安全",
            "客运班线",
            "城乡公交一体化",
            "交通基础设施建设",
            "超限超载治理",
            "港口码头管理",
            "出租汽车管理",
        ],
        terms: &[
            "农村公路",
            "道路运输",
            "交通",
            "公路养护",
            "客运",
            "货运",
            "水上交通",
            "渡口",
            "船舶",
            "公交",
            "驾驶员",
            "交通基础设施",
            "路网",
            "超限超载",
            "港口",
            "桥梁",
            "隧道",
            "物流",
            "通村公路",
            "交通执法",
        ],
        laws: &[
            "《中华人民共和国公路法》",
            "《中华人民共和国道路运输条例》",
            "《农村公路养护管理办法》",
        ],
        targets: &[
            "农村公路优良中等路率达到85%以上",
            "具备条件的建制村通客车比例保持100%",
            "重点营运车辆动态监控上线率达到95%以上",
        ],
    },
    Field {
        key: "culture_tourism",
        name: "文化旅游",
        topic: "commerce_customs_tourism",
        issuers: &[16, 16, 16, 1],
        subjects: &[
            "全域旅游",
            "A级旅游景区管理",
            "文物保护",
            "公共文化服务体系建设",
            "红叶节",
            "乡村旅游",
            "非物质文化遗产保护",
            "旅游市场秩序整治",
            "文化市场综合执法",
            "全民健身",
            "三峡文物科技保护",
        ],
        terms: &[
            "旅游",
            "文化",
            "景区",
            "游客",
            "文物",
            "文化旅游",
            "公共文化",
            "乡村旅游",
            "非物质文化遗产",
            "旅行社",
            "民宿",
            "图书馆",
            "文化馆",
            "红叶",
            "小三峡",
            "演艺",
            "旅游市场",
            "文旅融合",
            "体育赛事",
            "全民健身",
        ],
        laws: &[
            "《中华人民共和国旅游法》",
            "《中华人民共和国文物保护法》",
            "《中华人民共和国公共文化服务保障法》",
        ],
        targets: &[
            "全年接待游客人次保持稳定增长",
            "公共文化设施免费开放率达到100%",
            "旅游投诉按时办结率达到100%",
        ],
    },
    Field {
        key: "open_government",
        name: "政务公开",
        topic: "general",
        issuers: &[1, 1, 1, 20, 0],
        subjects: &[
            "政务公开工作要点",
            "政府信息公开",
            "政策解读",
            "政府网站和政务新媒体",
            "基层政务公开标准化规范化",
            "政府信息依申请公开",
            "政务舆情回应",
            "政策咨询问答库",
            "“12345”政务服务便民热线",
            "政府信息公开工作年度报告",
            "政务服务“一网通办”",
        ],
        terms: &[
            "政务公开",
            "政府信息",
            "政策解读",
            "政府网站",
            "依申请公开",
            "政务新媒体",
            "公开目录",
            "政务舆情",
            "主动公开",
            "三审三校",
            "去标识化",
            "政策咨询",
            "公开信箱",
            "年度报告",
            "公开专栏",
            "信息发布",
            "政民互动",
            "行政规范性文件",
            "政府公报",
            "一网通办",
            "政务服务",
            "新闻发布",
        ],
        laws: &[
            "《中华人民共和国政府信息公开条例》",
            "《政府网站发展指引》",
            "《重庆市行政机关政策解读工作办法》",
        ],
        targets: &[
            "主动公开政府信息按时更新率达到100%",
            "依申请公开按期答复率达到100%",
            "政务舆情回应及时率达到100%",
        ],
    },
    Field {
        key: "civil_affairs",
        name: "民政服务",
        topic: "civil_affairs_relief",
        issuers: &[10, 10, 10, 1],
        subjects: &[
            "城乡最低生活保障",
            "特困人员救助供养",
            "临时救助",
            "养老服务体系建设",
            "困境儿童保障",
            "残疾人两项补贴",
            "殡葬改革",
            "社会组织管理",
            "婚姻登记",
            "城乡社区治理",
            "社会救助",
        ],
        terms: &[
            "社会救助",
            "低保",
            "救助对象",
            "特困人员",
            "养老服务",
            "临时救助",
            "困难群众",
            "残疾人",
            "儿童福利",
            "养老机构",
            "社会组织",
            "社区",
            "殡葬",
            "婚姻登记",
            "救助资金",
            "动态管理",
            "兜底保障",
            "居家养老",
            "留守儿童",
            "敬老院",
        ],
        laws: &["《社会救助暂行办法》", "《特困人员认定办法》", "《养老机构管理办法》"],
        targets: &[
            "符合条件的困难群众应保尽保",
            "特困人员集中供养能力满足需求",
            "城乡社区养老服务设施覆盖率达到90%以上",
        ],
    },
    Field {
        key: "urban_management",
        name: "城市管理",
        topic: "construction_environment",
        issuers: &[19, 19, 19, 1],
        subjects: &[
            "城市精细化管理",
            "生活垃圾分类",
            "占道经营整治",
            "违法建设治理",
            "市政设施维护",
            "城市照明管理",
            "户外广告设施管理",
            "餐饮油烟治理",
            "城市园林绿化",
            "建筑垃圾管理",
        ],
        terms: &[
            "城市管理",
            "垃圾分类",
            "市容环境",
            "占道经营",
            "违法建设",
            "市政设施",
            "环境卫生",
            "园林绿化",
            "户外广告",
            "城市照明",
            "建筑垃圾",
            "综合执法",
            "油烟",
            "停车",
            "背街小巷",
            "清扫保洁",
            "公厕",
            "渣土运输",
        ],
        laws: &[
            "《城市市容和环境卫生管理条例》",
            "《城市生活垃圾管理办法》",
            "《重庆市城市管理综合行政执法条例》",
        ],
        targets: &[
            "城市生活垃圾无害化处理率达到100%",
            "城区主次干道机械化清扫率达到85%以上",
            "违法建设实现零增长",
        ],
    },
    Field {
        key: "planning_land",
        name: "规划和自然资源",
        topic: "land_energy",
        issuers: &[3, 3, 3, 1],
        subjects: &[
            "国土空间规划",
            "耕地保护",
            "不动产登记",
            "土地征收",
            "地质灾害防治",
            "矿产资源管理",
            "国土空间生态修复",
            "建设用地审批",
            "林地保护",
            "村庄规划编制",
        ],
        terms: &[
            "国土空间规划",
            "耕地保护",
            "自然资源",
            "土地",
            "不动产登记",
            "建设用地",
            "征收",
            "规划许可",
            "永久基本农田",
            "矿产资源",
            "林地",
            "土地出让",
            "用地审批",
            "生态修复",
            "村庄规划",
            "测绘",
            "地籍调查",
            "违法用地",
        ],
        laws: &[
            "《中华人民共和国土地管理法》",
            "《中华人民共和国城乡规划法》",
            "《不动产登记暂行条例》",
        ],
        targets: &[
            "耕地保有量和永久基本农田保护面积不减少",
            "不动产登记一般业务办理时间压缩至3个工作日内",
            "违法用地问题整改到位",
        ],
    },
    Field {
        key: "business_environment",
        name: "优化营商环境",
        topic: "economy_state_assets",
        issuers: &[2, 2, 15, 20, 21, 1],
        subjects: &[
            "优化营商环境",
            "重大项目建设",
            "招商引资",
            "“放管服”改革",
            "社会信用体系建设",
            "民营经济发展",
            "消费促进",
            "中小企业融资",
            "市场准入负面清单",
            "国民经济和社会发展计划",
            "公共资源交易",
        ],
        terms: &[
            "营商环境",
            "市场主体",
            "企业",
            "项目",
            "招商引资",
            "放管服",
            "审批",
            "投资",
            "信用",
            "民营经济",
            "政务服务",
            "融资",
            "消费",
            "重大项目",
            "减税降费",
            "帮扶企业",
            "电子商务",
            "金融服务",
            "公共资源交易",
            "项目储备",
            "惠企政策",
        ],
        laws: &[
            "《优化营商环境条例》",
            "《重庆市优化营商环境条例》",
            "《企业投资项目核准和备案管理条例》",
        ],
        targets: &[
            "政务服务事项网上可办率达到95%以上",
            "重大项目年度投资完成率达到100%",
            "新增市场主体数量保持增长",
        ],
    },
    Field {
        key: "rule_of_law",
        name: "法治政府建设",
        topic: "public_security_justice",
        issuers: &[6, 6, 6, 1],
        subjects: &[
            "法治政府建设",
            "行政执法“三项制度”",
            "行政规范性文件合法性审核",
            "普法依法治理",
            "人民调解",
            "行政复议",
            "公共法律服务体系建设",
            "社区矫正",
            "重大行政决策程序",
            "法律顾问",
        ],
        terms: &[
            "法治政府",
            "行政执法",
            "合法性审核",
            "普法",
            "人民调解",
            "行政复议",
            "公共法律服务",
            "规范性文件",
            "法律顾问",
            "社区矫正",
            "执法公示",
            "法制审核",
            "矛盾纠纷",
            "法律援助",
            "重大行政决策",
            "行政应诉",
            "执法全过程记录",
        ],
        laws: &[
            "《法治政府建设实施纲要》",
            "《重大行政决策程序暂行条例》",
            "《中华人民共和国行政复议法》",
        ],
        targets: &[
            "行政规范性文件合法性审核率达到100%",
            "矛盾纠纷调解成功率达到95%以上",
            "行政机关负责人出庭应诉率达到100%",
        ],
    },
    Field {
        key: "industry",
        name: "工业和信息化",
        topic: "industry_transport",
        issuers: &[17, 17, 17, 1],
        subjects: &[
            "工业经济稳增长",
            "工业园区建设",
            "节能降耗",
            "数字经济发展",
            "电力保障",
            "天然气供应",
            "中小企业“专精特新”",
            "5G网络建设",
            "工业企业安全",
            "消费品工业",
        ],
        terms: &[
            "工业经济",
            "规上工业企业",
            "园区",
            "工业投资",
            "数字经济",
            "能耗",
            "电力",
            "天然气",
            "技术改造",
            "中小企业",
            "专精特新",
            "信息化",
            "5G基站",
            "产值",
            "用能",
            "供电",
        ],
        laws: &[
            "《中华人民共和国节约能源法》",
            "《中华人民共和国中小企业促进法》",
            "《电力供应与使用条例》",
        ],
        targets: &[
            "规上工业增加值增长完成年度目标",
            "单位地区生产总值能耗下降完成市下达任务",
            "新增规上工业企业数量保持增长",
        ],
    },
];

// ---------------------------------------------------------------------------
// General vocabulary
// ---------------------------------------------------------------------------

const VERBS: &[&str] = &[
    "加强",
    "推进",
    "落实",
    "做好",
    "完善",
    "健全",
    "规范",
    "强化",
    "深化",
    "提升",
    "优化",
    "加快",
    "抓好",
    "统筹",
    "推动",
    "严格",
    "扎实推进",
    "全面落实",
    "持续深化",
    "切实加强",
    "着力提升",
    "认真落实",
    "积极推进",
    "不断完善",
];

const GOALS: &[&str] = &[
    "确保各项工作任务落到实处",
    "切实增强人民群众获得感、幸福感、安全感",
    "为全县经济社会高质量发展提供有力保障",
    "推动工作取得实效",
    "确保按时保质完成目标任务",
    "不断提升群众满意度",
    "形成工作合力",
    "防范化解重大风险",
    "更好地服务群众",
    "为推动我县“十四五”高质量发展开好局、起好步提供有力支撑",
];

const PRINCIPLES: &[&str] = &[
    "以人民为中心",
    "问题导向",
    "依法依规",
    "统筹兼顾",
    "属地管理",
    "分级负责",
    "公开透明",
    "实事求是",
    "因地制宜",
    "稳中求进",
];

const ACTORS: &[&str] = &[
    "各乡镇（街道）",
    "县政府各部门",
    "各责任单位",
    "各牵头单位",
    "县级有关部门",
    "各有关单位",
    "各村（社区）",
];

const SLOGANS: &[&str] = &[
    "谁主管、谁负责",
    "放管服",
    "最多跑一次",
    "一网通办",
    "管行业必须管安全",
    "应公开尽公开",
    "能合尽合、能简尽简",
    "清单化、项目化、责任化",
];

const RISKS: &[&str] = &[
    "出现工作推诿扯皮",
    "发生违规违纪问题",
    "造成不良社会影响",
    "出现资金挤占挪用",
    "发生信息发布失信",
    "出现应付了事、走过场",
];

const HEADINGS: &[&str] = &[
    "总体要求",
    "工作目标",
    "主要任务",
    "重点工作",
    "保障措施",
    "工作要求",
    "实施步骤",
    "职责分工",
    "进一步提高政治站位",
    "进一步强化工作落实",
    "进一步强化审核把关",
    "进一步强化督促指导",
    "加强组织领导",
    "强化督促检查",
    "严格考核问责",
    "加强宣传引导",
];

const STEPS: &[&str] = &["动员部署阶段", "组织实施阶段", "督促检查阶段", "总结提升阶段"];

const DOC_FORMS: &[(&str, &str)] = &[
    ("实施方案", "scheme"),
    ("工作方案", "scheme"),
    ("工作要点", "other"),
    ("管理办法", "measures"),
    ("实施细则", "other"),
    ("考核办法", "measures"),
    ("行动计划", "other"),
    ("工作规则", "other"),
    ("应急预案", "other"),
    ("责任清单", "other"),
];

const SALUTE_GOV: &str = "各乡镇人民政府、街道办事处，县政府各部门，有关单位：";
const SALUTE_DEPT: &[&str] = &["各乡镇（街道），县级有关部门：", "各有关单位：", "局属各单位，各乡镇（街道）："];
const SALUTE_TOWN: &[&str] = &["各村（社区），镇属各单位：", "各村（居）民委员会，各站所："];

const CN_DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// 1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五 (1..=99).
pub fn cn_number(n: u32) -> String {
    let n = n.clamp(1, 99) as usize;
    match n {
        1..=9 => CN_DIGITS[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", CN_DIGITS[n - 10]),
        _ if n.is_multiple_of(10) => format!("{}十", CN_DIGITS[n / 10]),
        _ => format!("{}十{}", CN_DIGITS[n / 10], CN_DIGITS[n % 10]),
    }
}

// ---------------------------------------------------------------------------
// Sampling
// ---------------------------------------------------------------------------

/// Zipf-weighted choice from a list (weight of rank r is 1 / r).
struct Zipf {
    cum: Vec<u32>,
}

impl Zipf {
    fn new(n: usize) -> Zipf {
        let mut cum = Vec::with_capacity(n);
        let mut total = 0u32;
        for r in 1..=n.max(1) {
            total += (1_000_000.0 / r as f64) as u32;
            cum.push(total);
        }
        Zipf { cum }
    }

    fn pick(&self, rng: &mut StdRng) -> usize {
        let x = rng.random_range(0..*self.cum.last().unwrap_or(&1));
        self.cum.partition_point(|&c| c <= x)
    }
}

struct FieldTables {
    terms: Zipf,
    subjects: Zipf,
}

/// Generator options.
#[derive(Debug, Clone)]
pub struct GenOptions {
    pub seed: u64,
    /// Site code written into each line.
    pub site: String,
    /// External ids are `{id_prefix}{n:07}`.
    pub id_prefix: String,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            seed: 1,
            site: "wsx".into(),
            id_prefix: "gen-".into(),
        }
    }
}

/// One generated document.
#[derive(Debug, Clone)]
pub struct GeneratedDoc {
    pub id: String,
    pub unit: &'static str,
    pub column: &'static str,
    pub title: String,
    pub doc_no: Option<String>,
    pub issuer: &'static str,
    pub written_on: String,
    pub published_on: String,
    /// The national 主题分类 code.
    pub topic: &'static str,
    pub genre: &'static str,
    pub validity: &'static str,
    pub effective_on: Option<String>,
    pub expires_on: Option<String>,
    pub validity_changed_on: Option<String>,
    pub validity_reason: Option<&'static str>,
    /// HTML: `<p>` paragraphs.
    pub body: String,
    /// Characters of text in the body (without markup).
    pub body_chars: usize,
    /// Ground truth: the document's main policy field.
    pub field: &'static Field,
    /// Ground truth: other fields the body mentions.
    pub secondary: Vec<&'static Field>,
}

/// The deterministic document generator.
pub struct Generator {
    rng: StdRng,
    opts: GenOptions,
    tables: Vec<FieldTables>,
    verbs: Zipf,
    goals: Zipf,
    headings: Zipf,
    /// Next 文号 serial per (issuer index, year).
    serials: HashMap<(usize, i32), u32>,
    n: u64,
    text_chars: usize,
}

/// Days since 1970-01-01 of 2015-01-01 and the span of dates used.
const FIRST_DAY: i64 = 16436;
const DAY_SPAN: i64 = 3650;

fn date_str(days: i64) -> String {
    let d = chrono::DateTime::from_timestamp(days * 86_400, 0)
        .map(|t| t.date_naive())
        .unwrap_or_default();
    d.format("%Y-%m-%d").to_string()
}

fn date_zh(iso: &str) -> String {
    let (y, rest) = iso.split_at(4);
    let m: u32 = rest[1..3].parse().unwrap_or(1);
    let d: u32 = rest[4..6].parse().unwrap_or(1);
    format!("{y}年{m}月{d}日")
}

impl Generator {
    pub fn new(opts: GenOptions) -> Generator {
        Generator {
            rng: StdRng::seed_from_u64(opts.seed),
            tables: FIELDS
                .iter()
                .map(|f| FieldTables {
                    terms: Zipf::new(f.terms.len()),
                    subjects: Zipf::new(f.subjects.len()),
                })
                .collect(),
            verbs: Zipf::new(VERBS.len()),
            goals: Zipf::new(GOALS.len()),
            headings: Zipf::new(HEADINGS.len()),
            serials: HashMap::new(),
            opts,
            n: 0,
            text_chars: 0,
        }
    }

    fn pick(&mut self, list: &'static [&'static str]) -> &'static str {
        list[self.rng.random_range(0..list.len())]
    }

    fn term(&mut self, f: usize) -> &'static str {
        let i = self.tables[f].terms.pick(&mut self.rng);
        FIELDS[f].terms[i]
    }

    fn subject(&mut self, f: usize) -> &'static str {
        let i = self.tables[f].subjects.pick(&mut self.rng);
        FIELDS[f].subjects[i]
    }

    fn verb(&mut self) -> &'static str {
        VERBS[self.verbs.pick(&mut self.rng)]
    }

    fn goal(&mut self) -> &'static str {
        GOALS[self.goals.pick(&mut self.rng)]
    }

    /// A body length in characters: log-normal around 900, within 300–3000.
    fn target_len(&mut self) -> usize {
        let u1: f64 = self.rng.random_range(1e-9..1.0);
        let u2: f64 = self.rng.random();
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        ((900f64.ln() + 0.55 * z).exp() as usize).clamp(300, 3000)
    }

    /// Generates the next document.
    pub fn next_doc(&mut self) -> GeneratedDoc {
        self.n += 1;
        let fi = self.rng.random_range(0..FIELDS.len());
        let field = &FIELDS[fi];
        // The issuer: the department in charge, the county government or its
        // office, or sometimes a township.
        let issuer_idx = match self.rng.random_range(0..20) {
            0 => TOWNS[self.rng.random_range(0..TOWNS.len())],
            _ => field.issuers[self.rng.random_range(0..field.issuers.len())],
        };
        let issuer = ISSUERS[issuer_idx];
        let day = FIRST_DAY + self.rng.random_range(0..DAY_SPAN);
        let written_on = date_str(day);
        let published_on = date_str(day + self.rng.random_range(0..12));
        let year: i32 = written_on[..4].parse().unwrap_or(2021);

        let mut secondary: Vec<&'static Field> = vec![];
        let n_sec = match self.rng.random_range(0..100) {
            0..50 => 0,
            50..85 => 1,
            _ => 2,
        };
        while secondary.len() < n_sec {
            let s = &FIELDS[self.rng.random_range(0..FIELDS.len())];
            if s.key != field.key && !secondary.iter().any(|x| x.key == s.key) {
                secondary.push(s);
            }
        }

        // Kind of document, which decides the column, the title and the body.
        let kind = match self.rng.random_range(0..100) {
            0..30 => Kind::Issue,
            30..48 => Kind::DoWork,
            48..58 => Kind::Opinion,
            58..72 => Kind::Measures,
            72..82 => Kind::Announcement,
            82..94 => Kind::News,
            _ => Kind::Plan,
        };
        let subject = self.subject(fi);
        let (title, genre, column, form) = self.title(kind, issuer, field, subject, year);
        let doc_no = match kind {
            Kind::News => None,
            Kind::Announcement if self.rng.random_bool(0.5) => None,
            _ => {
                let next = self.serials.entry((issuer_idx, year)).or_insert(0);
                *next += 1 + u32::from(self.rng.random_range(0..4u8) == 0);
                Some(format!("{}〔{year}〕{}号", issuer.abbr, *next))
            }
        };

        let target = self.target_len();
        let mut body = String::with_capacity(target * 3 + 256);
        self.text_chars = 0;
        self.body(&mut body, kind, fi, &secondary, issuer, subject, form, year, target);
        // 落款 and date
        if kind != Kind::News {
            self.para(&mut body, issuer.name);
            let d = date_zh(&written_on);
            self.para(&mut body, &d);
            if self.rng.random_bool(0.5) {
                self.para(&mut body, "（此件公开发布）");
            }
        }

        let (mut validity, mut effective_on, mut expires_on, mut changed_on, mut reason) = ("in_force", None, None, None, None);
        if kind == Kind::Measures {
            let eff = day + 12 + self.rng.random_range(0..30);
            effective_on = Some(date_str(eff));
            if self.rng.random_bool(0.6) {
                let exp = eff + 5 * 365;
                expires_on = Some(date_str(exp));
            }
            match self.rng.random_range(0..20) {
                0..2 => {
                    validity = "repealed";
                    changed_on = Some(date_str(eff + 365 + self.rng.random_range(0..700)));
                    reason = Some(if self.rng.random_bool(0.5) {
                        "已被新文件替代"
                    } else {
                        "根据规范性文件清理结果废止"
                    });
                }
                2 => {
                    validity = "amended";
                    changed_on = Some(date_str(eff + 200 + self.rng.random_range(0..700)));
                    reason = Some("部分条款已修改");
                }
                3 if expires_on.is_some() => {
                    validity = "expired";
                    changed_on = expires_on.as_deref().map(|_| date_str(eff + 5 * 365 + 1));
                    reason = Some("有效期届满");
                }
                _ => {}
            }
        }

        GeneratedDoc {
            id: format!("{}{:07}", self.opts.id_prefix, self.n),
            unit: issuer.unit,
            column,
            title,
            doc_no,
            issuer: issuer.name,
            written_on,
            published_on,
            topic: field.topic,
            genre,
            validity,
            effective_on,
            expires_on,
            validity_changed_on: changed_on,
            validity_reason: reason,
            body_chars: self.text_chars,
            body,
            field,
            secondary,
        }
    }

    fn title(
        &mut self,
        kind: Kind,
        issuer: Issuer,
        field: &Field,
        subject: &str,
        year: i32,
    ) -> (String, &'static str, &'static str, &'static str) {
        let place = if TOWNS.iter().any(|&t| ISSUERS[t].unit == issuer.unit) {
            issuer.short
        } else {
            "巫山县"
        };
        match kind {
            Kind::Issue => {
                let (form, _) = DOC_FORMS[self.rng.random_range(0..DOC_FORMS.len())];
                let with_year = self.rng.random_bool(0.5);
                let name = if with_year {
                    format!("{place}{year}年{subject}{form}")
                } else {
                    format!("{place}{subject}{form}")
                };
                let column = if form.contains("办法") || form.contains("细则") {
                    "normative-documents"
                } else if self.rng.random_bool(0.15) {
                    "key-areas"
                } else {
                    "other-documents"
                };
                (format!("{}关于印发《{name}》的通知", issuer.name), "notice", column, form)
            }
            Kind::DoWork => {
                let t = if self.rng.random_bool(0.6) {
                    format!("{}关于做好{year}年{subject}工作的通知", issuer.name)
                } else {
                    format!("{}关于进一步{}{subject}工作的通知", issuer.name, self.verb())
                };
                let column = if self.rng.random_bool(0.3) { "notices" } else { "other-documents" };
                (t, "notice", column, "")
            }
            Kind::Opinion => (
                format!("{}关于进一步加强{subject}工作的实施意见", issuer.name),
                "opinion",
                if self.rng.random_bool(0.5) {
                    "normative-documents"
                } else {
                    "other-documents"
                },
                "",
            ),
            Kind::Measures => {
                let trial = if self.rng.random_bool(0.3) { "（试行）" } else { "" };
                let (t, g) = if self.rng.random_bool(0.7) {
                    (format!("{place}{subject}管理办法{trial}"), "measures")
                } else {
                    (format!("{place}{subject}若干规定{trial}"), "provisions")
                };
                (t, g, "normative-documents", "")
            }
            Kind::Announcement => {
                let (t, g) = match self.rng.random_range(0..3) {
                    0 => (format!("{}关于{year}年{subject}有关事项的公告", issuer.name), "announcement"),
                    1 => (format!("{}关于开展{subject}专项行动的通告", issuer.name), "circular"),
                    _ => (format!("关于公布{year}年{subject}情况的公告"), "announcement"),
                };
                let column = if field.key == "finance_budget" && self.rng.random_bool(0.5) {
                    if subject.contains("补贴") { "subsidies" } else { "budgets" }
                } else if self.rng.random_bool(0.3) {
                    "key-areas"
                } else {
                    "notices"
                };
                (t, g, column, "")
            }
            Kind::News => {
                let t = match self.rng.random_range(0..3) {
                    0 => format!("{}召开{subject}工作推进会", issuer.short),
                    1 => format!("{}扎实开展{subject}工作", issuer.short),
                    _ => format!("我县{year}年{subject}工作取得阶段性成效"),
                };
                (t, "other", "news", "")
            }
            Kind::Plan => (format!("{place}“十四五”{}发展规划", field.name), "plan", "plans", ""),
        }
    }

    fn para(&mut self, out: &mut String, text: &str) {
        out.push_str("<p>");
        out.push_str(text);
        out.push_str("</p>");
        self.text_chars += text.chars().count();
    }

    /// One sentence of the field's vocabulary (ends with 。).
    fn sentence(&mut self, out: &mut String, f: usize) {
        match self.rng.random_range(0..10) {
            0 => {
                let (a, v1, t1, v2, t2, g) = (self.pick(ACTORS), self.verb(), self.term(f), self.verb(), self.term(f), self.goal());
                let _ = write!(out, "{a}要{v1}{t1}，{v2}{t2}，{g}。");
            }
            1 => {
                let (p, v1, t1, t2, t3) = (self.pick(PRINCIPLES), self.verb(), self.term(f), self.term(f), self.term(f));
                let _ = write!(out, "坚持{p}，{v1}{t1}和{t2}，切实提高{t3}工作水平。");
            }
            2 => {
                let t = FIELDS[f].targets[self.rng.random_range(0..FIELDS[f].targets.len())];
                let y = 2021 + self.rng.random_range(0..5);
                let _ = write!(out, "到{y}年底，{t}。");
            }
            3 => {
                let (t1, t2) = (self.term(f), self.term(f));
                let _ = write!(out, "对{t1}中发现的问题，要建立工作台账，实行销号管理，确保{t2}问题整改到位。");
            }
            4 => {
                let (a, q, v1, t1, v2, t2) = (
                    self.pick(ACTORS),
                    self.pick(SLOGANS),
                    self.verb(),
                    self.term(f),
                    self.verb(),
                    self.term(f),
                );
                let _ = write!(out, "{a}要按照“{q}”的要求，{v1}{t1}，{v2}{t2}。");
            }
            5 => {
                let lead = ISSUERS[FIELDS[f].issuers[0]].short;
                let other = ISSUERS[self.rng.random_range(2..22)].short;
                let t = self.term(f);
                let _ = write!(out, "{t}工作由{lead}牵头，{other}等部门按照职责分工配合落实。");
            }
            6 => {
                let (t1, t2) = (self.term(f), self.term(f));
                let _ = write!(
                    out,
                    "要加大{t1}政策宣传力度，通过政府网站、政务新媒体等渠道及时公开{t2}相关信息，主动接受社会监督。"
                );
            }
            7 => {
                let (t1, v, t2, r) = (self.term(f), self.verb(), self.term(f), self.pick(RISKS));
                let _ = write!(out, "严格落实{t1}工作责任制，{v}{t2}全过程监管，坚决防止{r}。");
            }
            8 => {
                let (t1, t2, t3) = (self.term(f), self.term(f), self.term(f));
                let _ = write!(out, "重点围绕{t1}、{t2}、{t3}等方面，定期开展跟踪检查，发现问题即时即改。");
            }
            _ => {
                let (v1, t1, t2, g) = (self.verb(), self.term(f), self.term(f), self.goal());
                let _ = write!(out, "要进一步{v1}{t1}与{t2}的衔接配合，{g}。");
            }
        }
    }

    /// A paragraph of `n` sentences, optionally after a lead-in.
    fn paragraph(&mut self, out: &mut String, f: usize, lead: &str, n: usize) {
        let start = out.len();
        out.push_str("<p>");
        out.push_str(lead);
        for _ in 0..n {
            self.sentence(out, f);
        }
        out.push_str("</p>");
        self.text_chars += out[start + 3..out.len() - 4].chars().count();
    }

    /// A mention of a secondary field.
    fn mention(&mut self, out: &mut String, s: &'static Field) {
        let si = FIELDS.iter().position(|x| x.key == s.key).unwrap_or(0);
        let start = out.len();
        out.push_str("<p>");
        let (sub, t1, t2, g) = (self.subject(si), self.term(si), self.term(si), self.goal());
        let _ = write!(out, "同时，要统筹做好{sub}工作，加强{t1}和{t2}等方面的协同配合，{g}。");
        self.sentence(out, si);
        out.push_str("</p>");
        self.text_chars += out[start + 3..out.len() - 4].chars().count();
    }

    #[allow(clippy::too_many_arguments)]
    fn body(
        &mut self,
        out: &mut String,
        kind: Kind,
        f: usize,
        secondary: &[&'static Field],
        issuer: Issuer,
        subject: &str,
        form: &str,
        year: i32,
        target: usize,
    ) {
        let field = &FIELDS[f];
        let law = field.laws[self.rng.random_range(0..field.laws.len())];
        let is_gov = issuer.unit == "wsx" || issuer.unit == "wsx-zfb";
        let salute = if is_gov {
            SALUTE_GOV
        } else if TOWNS.iter().any(|&t| ISSUERS[t].unit == issuer.unit) {
            self.pick(SALUTE_TOWN)
        } else {
            self.pick(SALUTE_DEPT)
        };
        let upper_no = self.rng.random_range(1..120);
        let upper_year = year - self.rng.random_range(0..2);
        let mut mentioned = 0usize;
        match kind {
            Kind::News => {
                let (t1, t2) = (self.term(f), self.term(f));
                let lead = format!(
                    "近日，{}组织召开{subject}工作推进会，传达学习上级有关会议精神，通报前期{t1}工作开展情况，安排部署下一阶段{t2}工作。",
                    issuer.short
                );
                self.paragraph(out, f, &lead, 1);
                let lead = "会议指出，".to_string();
                self.paragraph(out, f, &lead, 2);
                let lead = "会议要求，".to_string();
                while self.text_chars < target {
                    self.paragraph(out, f, &lead, 2);
                    if mentioned < secondary.len() {
                        self.mention(out, secondary[mentioned]);
                        mentioned += 1;
                    }
                }
            }
            Kind::Measures => {
                let mut art = 1u32;
                let first = format!(
                    "第一条　为了规范{subject}工作，保障{}和{}，根据{law}等有关规定，结合本县实际，制定本办法。",
                    self.term(f),
                    self.term(f)
                );
                self.para(out, &first);
                art += 1;
                let second = format!("第二条　本办法适用于本县行政区域内{subject}及其监督管理活动。");
                self.para(out, &second);
                art += 1;
                while self.text_chars + 60 < target && art < 60 {
                    let lead = format!("第{}条　", cn_number(art));
                    let n = self.rng.random_range(1..3);
                    self.paragraph(out, f, &lead, n);
                    art += 1;
                    if mentioned < secondary.len() && art.is_multiple_of(4) {
                        self.mention(out, secondary[mentioned]);
                        mentioned += 1;
                    }
                }
                let last = format!("第{}条　本办法自印发之日起施行，由{}负责解释。", cn_number(art), issuer.short);
                self.para(out, &last);
            }
            _ => {
                self.para(out, salute);
                let opening = match kind {
                    Kind::Issue => format!(
                        "为贯彻落实《重庆市人民政府办公厅关于{}{subject}工作的通知》（渝府办发〔{upper_year}〕{upper_no}号）精神，{}，{}，现将《{}》印发给你们，请结合实际，认真贯彻执行。",
                        self.verb(),
                        self.goal(),
                        if is_gov { "经县政府同意" } else { "经研究" },
                        form_name(issuer, subject, form, year)
                    ),
                    Kind::Announcement => format!("根据{law}等有关规定，现将{year}年{subject}有关事项公告如下："),
                    Kind::Opinion => format!(
                        "为深入贯彻{law}，{}{subject}工作，{}，结合我县实际，现提出如下实施意见。",
                        self.verb(),
                        self.goal()
                    ),
                    Kind::Plan => format!(
                        "为深入实施{}发展战略，根据《巫山县国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》，制定本规划。规划期为2021—2025年。",
                        field.name
                    ),
                    _ => format!(
                        "为{}{subject}工作，根据{law}有关规定，结合我县实际，现就做好{year}年{subject}工作有关事项通知如下：",
                        self.verb()
                    ),
                };
                self.para(out, &opening);
                let mut h = 1u32;
                while self.text_chars < target && h < 12 {
                    let heading = if self.rng.random_bool(0.5) {
                        HEADINGS[self.headings.pick(&mut self.rng)].to_string()
                    } else {
                        format!("{}{}", self.verb(), self.term(f))
                    };
                    let heading = if heading == "实施步骤" {
                        let s = STEPS[self.rng.random_range(0..STEPS.len())];
                        format!("实施步骤（{s}）")
                    } else {
                        heading
                    };
                    let hp = format!("{}、{heading}", cn_number(h));
                    self.para(out, &hp);
                    h += 1;
                    if self.rng.random_bool(0.5) {
                        let items = self.rng.random_range(2..5);
                        for i in 1..=items {
                            let (v, t) = (self.verb(), self.term(f));
                            let lead = format!("（{}）{v}{t}。", cn_number(i));
                            let n = self.rng.random_range(1..3);
                            self.paragraph(out, f, &lead, n);
                            if self.text_chars >= target {
                                break;
                            }
                        }
                    } else {
                        let n = self.rng.random_range(2..4);
                        self.paragraph(out, f, "", n);
                    }
                    if mentioned < secondary.len() && self.rng.random_bool(0.6) {
                        self.mention(out, secondary[mentioned]);
                        mentioned += 1;
                    }
                }
                if kind == Kind::Issue || self.rng.random_bool(0.2) {
                    let att = format!("附件：{}情况统计表", subject.trim_end_matches("工作"));
                    self.para(out, &att);
                }
            }
        }
        // Whatever secondary field is not mentioned yet is mentioned now, so
        // the ground truth is always in the text.
        while mentioned < secondary.len() {
            self.mention(out, secondary[mentioned]);
            mentioned += 1;
        }
    }

    /// Writes the next document as one JSONL line (with the newline).
    pub fn write_line(&mut self, out: &mut Vec<u8>) -> std::io::Result<GeneratedDoc> {
        let d = self.next_doc();
        write_doc(&d, &self.opts.site, out)?;
        Ok(d)
    }
}

fn form_name(issuer: Issuer, subject: &str, form: &str, year: i32) -> String {
    let place = if TOWNS.iter().any(|&t| ISSUERS[t].unit == issuer.unit) {
        issuer.short
    } else {
        "巫山县"
    };
    format!("{place}{year}年{subject}{form}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// 关于印发《…》的通知
    Issue,
    /// 关于做好…工作的通知
    DoWork,
    /// 实施意见
    Opinion,
    /// 管理办法 / 若干规定 (normative, with articles)
    Measures,
    /// 公告 / 通告
    Announcement,
    /// 工作动态
    News,
    /// 规划
    Plan,
}

#[derive(serde::Serialize)]
struct Labels<'a> {
    field: &'a str,
    field_zh: &'a str,
    secondary: Vec<&'a str>,
}

#[derive(serde::Serialize)]
struct Line<'a> {
    id: &'a str,
    site: &'a str,
    unit: &'a str,
    column: &'a str,
    kind: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    doc_no: Option<&'a str>,
    issuer: &'a str,
    written_on: &'a str,
    published_on: &'a str,
    topic: &'a str,
    genre: &'a str,
    validity: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    effective_on: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_on: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    validity_changed_on: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    validity_reason: Option<&'a str>,
    body: &'a str,
    labels: Labels<'a>,
}

fn line_of<'a>(d: &'a GeneratedDoc, site: &'a str) -> Line<'a> {
    Line {
        id: &d.id,
        site,
        unit: d.unit,
        column: d.column,
        kind: "document",
        title: &d.title,
        doc_no: d.doc_no.as_deref(),
        issuer: d.issuer,
        written_on: &d.written_on,
        published_on: &d.published_on,
        topic: d.topic,
        genre: d.genre,
        validity: d.validity,
        effective_on: d.effective_on.as_deref(),
        expires_on: d.expires_on.as_deref(),
        validity_changed_on: d.validity_changed_on.as_deref(),
        validity_reason: d.validity_reason,
        body: &d.body,
        labels: Labels {
            field: d.field.key,
            field_zh: d.field.name,
            secondary: d.secondary.iter().map(|s| s.key).collect(),
        },
    }
}

/// Writes a document as one JSONL line (with the newline).
pub fn write_doc(d: &GeneratedDoc, site: &str, out: &mut Vec<u8>) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, &line_of(d, site))?;
    out.push(b'\n');
    Ok(())
}

/// The kinds of deliberately invalid lines, in the order they are used.
pub const BAD_KINDS: &[&str] = &["malformed_json", "missing_title", "bad_date", "unknown_column", "bad_doc_no"];

/// Writes a deliberately invalid line of kind `BAD_KINDS[k % 5]`, made from a
/// good document with the id `bad-{n}`.
pub fn write_bad(d: &GeneratedDoc, site: &str, k: usize, n: u64, out: &mut Vec<u8>) -> std::io::Result<()> {
    let id = format!("bad-{n:07}");
    let mut line = line_of(d, site);
    line.id = &id;
    let mut v = serde_json::to_value(&line)?;
    let obj = v.as_object_mut().ok_or_else(|| std::io::Error::other("not an object"))?;
    match k % BAD_KINDS.len() {
        0 => {
            let s = serde_json::to_string(&v)?;
            let cut = s
                .char_indices()
                .map(|(i, _)| i)
                .take_while(|&i| i < s.len() / 2)
                .last()
                .unwrap_or(1);
            out.extend_from_slice(&s.as_bytes()[..cut]);
            out.push(b'\n');
            return Ok(());
        }
        1 => {
            obj.remove("title");
        }
        2 => {
            obj.insert("written_on".into(), "2021-13-45".into());
        }
        3 => {
            obj.insert("column".into(), "no-such-column".into());
        }
        _ => {
            obj.insert("doc_no".into(), "巫山府办发2021年48号".into());
        }
    }
    serde_json::to_writer(&mut *out, &v)?;
    out.push(b'\n');
    Ok(())
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenStats {
    pub documents: u64,
    pub bad_lines: u64,
    pub bytes: u64,
    pub body_chars: u64,
}

/// Writes `count` valid documents as JSONL; with `bad_every = Some(k)`, every
/// k-th line (lines k, 2k, …) is a deliberately invalid one in addition.
pub fn generate<W: Write>(opts: GenOptions, count: u64, bad_every: Option<u64>, mut w: W) -> std::io::Result<GenStats> {
    let site = opts.site.clone();
    let mut g = Generator::new(opts);
    let mut stats = GenStats::default();
    let mut buf = Vec::with_capacity(1 << 16);
    let mut line_no = 0u64;
    while stats.documents < count {
        line_no += 1;
        let d = g.next_doc();
        match bad_every {
            Some(k) if k > 1 && line_no.is_multiple_of(k) => {
                write_bad(&d, &site, stats.bad_lines as usize, line_no, &mut buf)?;
                stats.bad_lines += 1;
            }
            _ => {
                write_doc(&d, &site, &mut buf)?;
                stats.documents += 1;
                stats.body_chars += d.body_chars as u64;
            }
        }
        if buf.len() > (1 << 16) - 8192 {
            w.write_all(&buf)?;
            stats.bytes += buf.len() as u64;
            buf.clear();
        }
    }
    w.write_all(&buf)?;
    stats.bytes += buf.len() as u64;
    w.flush()?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn docs(seed: u64, n: usize) -> Vec<GeneratedDoc> {
        let mut g = Generator::new(GenOptions {
            seed,
            ..Default::default()
        });
        (0..n).map(|_| g.next_doc()).collect()
    }

    #[test]
    fn same_seed_same_documents_other_seed_other_documents() {
        let mut a = vec![];
        let mut b = vec![];
        generate(GenOptions::default(), 200, Some(20), &mut a).unwrap();
        generate(GenOptions::default(), 200, Some(20), &mut b).unwrap();
        assert_eq!(a, b);
        let mut c = vec![];
        generate(
            GenOptions {
                seed: 2,
                ..Default::default()
            },
            200,
            Some(20),
            &mut c,
        )
        .unwrap();
        assert_ne!(a, c);
    }

    #[test]
    fn doc_numbers_are_unique_and_parse() {
        let mut seen = HashSet::new();
        for d in docs(7, 20_000) {
            if let Some(no) = &d.doc_no {
                let parsed = gongkai_domain::catalogue::DocNo::parse(no).unwrap();
                assert_eq!(&parsed.normalized(), no);
                assert!(seen.insert(no.clone()), "duplicate 文号 {no}");
            }
        }
        assert!(seen.len() > 10_000);
    }

    #[test]
    fn bodies_have_realistic_lengths_and_structure() {
        let ds = docs(3, 2000);
        let mut lens: Vec<usize> = ds.iter().map(|d| d.body_chars).collect();
        lens.sort();
        let median = lens[lens.len() / 2];
        assert!((700..=1200).contains(&median), "median {median}");
        assert!(*lens.first().unwrap() >= 250, "min {}", lens[0]);
        assert!(*lens.last().unwrap() <= 3600, "max {}", lens.last().unwrap());
        let fields: HashSet<&str> = ds.iter().map(|d| d.field.key).collect();
        assert_eq!(fields.len(), FIELDS.len());
        assert!(ds.iter().any(|d| d.body.contains("一、") && d.body.contains("（一）")));
        assert!(ds.iter().any(|d| d.title.contains("关于印发《")));
        // Secondary fields are really mentioned.
        for d in &ds {
            for s in &d.secondary {
                assert!(s.subjects.iter().any(|x| d.body.contains(x)), "{} not in {}", s.key, d.id);
            }
        }
    }

    #[test]
    fn uses_demo_units_and_default_columns_only() {
        let slugs: HashSet<&str> = gongkai_domain::catalogue::default_columns().iter().map(|c| c.slug).collect();
        for d in docs(5, 3000) {
            assert!(slugs.contains(d.column), "{}", d.column);
            assert!(d.unit == "wsx" || ISSUERS.iter().any(|i| i.unit == d.unit));
            gongkai_domain::catalogue::Topic::parse(d.topic).unwrap();
            gongkai_domain::catalogue::Genre::parse(d.genre).unwrap();
        }
    }

    #[test]
    fn every_line_parses_with_the_importer() {
        let mut out = vec![];
        generate(GenOptions::default(), 1000, None, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        for (i, line) in text.lines().enumerate() {
            let l = crate::catalogue::import::parse_line(line).unwrap_or_else(|e| panic!("line {}: {e:?}", i + 1));
            crate::catalogue::import::check_fields(&l).unwrap_or_else(|e| panic!("line {}: {e:?}", i + 1));
        }
    }

    #[test]
    fn bad_lines_are_rejected_by_the_importer() {
        let mut out = vec![];
        let stats = generate(GenOptions::default(), 100, Some(10), &mut out).unwrap();
        assert_eq!(stats.documents, 100);
        assert_eq!(stats.bad_lines, 11);
        let text = String::from_utf8(out).unwrap();
        for (i, line) in text.lines().enumerate() {
            let ok = crate::catalogue::import::parse_line(line).and_then(|l| crate::catalogue::import::check_fields(&l));
            assert_eq!(ok.is_ok(), (i + 1) % 10 != 0, "line {}: {line}", i + 1);
        }
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(cn_number(1), "一");
        assert_eq!(cn_number(10), "十");
        assert_eq!(cn_number(12), "十二");
        assert_eq!(cn_number(20), "二十");
        assert_eq!(cn_number(35), "三十五");
    }
}
