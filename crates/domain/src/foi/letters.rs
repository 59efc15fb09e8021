//! Draft texts of the letters of an application (告知书、通知书、征求意见书), in
//! plain text paragraphs for staff to review, complete and sign.
//!
//! Rules (rules.md §1–2; the wording is the office's own drafting, DERIVED
//! from the articles, not an official template):
//! - A reply (答复告知书, 第三十六条) restates the receipt date and what was
//!   asked for, gives the decision for its [`Outcome`] with the provision it
//!   rests on ([`Outcome::legal_basis_zh`]; where that names two items of
//!   第三十六条 the letter cites the one that applies, see [`cited_basis_zh`]),
//!   and tells the applicant how to challenge it: 60 days for 行政复议
//!   (default body 本级人民政府) or 6 months for 行政诉讼 (default court
//!   有管辖权的人民法院). Every outcome, including （六）不再处理, is a decision
//!   the applicant can challenge, so every reply carries that paragraph.
//! - 补正申请告知书 (第三十条): what to correct, the period and its last day; no
//!   correction in time means the application is deemed withdrawn and not
//!   processed further.
//! - 延期答复告知书 (第三十三条第二款): at most 20 working days, approved by the head
//!   of the disclosure office; states the days and the new due date.
//! - 收取信息处理费通知书 (第四十二条, 国办函〔2020〕109号): method, amount and
//!   tiers of the [`FeeEstimate`]; payment within 20 working days from the day
//!   after receipt of the notice, else the application is not processed further.
//! - 征求第三方意见书 (第三十二条): 15 working days to answer; with no answer the
//!   agency decides.
//! - 征求意见函 (第三十四条): 15 working days; no answer counts as consent.
//!
//! Notices carry no remedy paragraph: they are procedural steps, and the fee
//! decision cannot be challenged on its own (法治日报 report of the 109号
//! 办法, rules.md §2). Text in 【】 is a gap for staff to fill in.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{AGENCY_ANSWER_DAYS, FEE_PAYMENT_DAYS, FeeEstimate, FeeMethod, Outcome, THIRD_PARTY_ANSWER_DAYS};
use crate::catalogue::date_zh;

const LAW: &str = "《中华人民共和国政府信息公开条例》";
const DEFAULT_REVIEW_BODY: &str = "本级人民政府";
const DEFAULT_COURT: &str = "有管辖权的人民法院";

/// Which letter to draft. Serialized as its [`code`](LetterKind::code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LetterKind {
    /// 政府信息公开申请答复告知书 for an outcome.
    Reply(Outcome),
    /// 补正申请告知书 (第三十条).
    CorrectionNotice,
    /// 延期答复告知书 (第三十三条).
    ExtensionNotice,
    /// 收取信息处理费通知书 (国办函〔2020〕109号).
    FeeNotice,
    /// 征求第三方意见书 (第三十二条).
    ThirdPartyConsultation,
    /// 征求意见函 to another agency (第三十四条).
    AgencyConsultation,
}

impl LetterKind {
    /// Every kind: the 21 replies in [`Outcome::ALL`] order, then the notices.
    pub fn all() -> Vec<LetterKind> {
        Outcome::ALL
            .into_iter()
            .map(LetterKind::Reply)
            .chain([
                LetterKind::CorrectionNotice,
                LetterKind::ExtensionNotice,
                LetterKind::FeeNotice,
                LetterKind::ThirdPartyConsultation,
                LetterKind::AgencyConsultation,
            ])
            .collect()
    }

    /// Stable code: `reply:<outcome code>`, `correction_notice`,
    /// `extension_notice`, `fee_notice`, `third_party_consultation`,
    /// `agency_consultation`.
    pub fn code(self) -> String {
        match self {
            LetterKind::Reply(o) => format!("reply:{}", o.code()),
            LetterKind::CorrectionNotice => "correction_notice".to_owned(),
            LetterKind::ExtensionNotice => "extension_notice".to_owned(),
            LetterKind::FeeNotice => "fee_notice".to_owned(),
            LetterKind::ThirdPartyConsultation => "third_party_consultation".to_owned(),
            LetterKind::AgencyConsultation => "agency_consultation".to_owned(),
        }
    }

    /// The kind with this [`code`](LetterKind::code).
    pub fn parse(code: &str) -> Option<LetterKind> {
        if let Some(outcome) = code.strip_prefix("reply:") {
            return Outcome::from_code(outcome).map(LetterKind::Reply);
        }
        Some(match code {
            "correction_notice" => LetterKind::CorrectionNotice,
            "extension_notice" => LetterKind::ExtensionNotice,
            "fee_notice" => LetterKind::FeeNotice,
            "third_party_consultation" => LetterKind::ThirdPartyConsultation,
            "agency_consultation" => LetterKind::AgencyConsultation,
            _ => return None,
        })
    }

    /// The letter's name, which is also its title.
    pub fn label_zh(self) -> &'static str {
        match self {
            LetterKind::Reply(_) => "政府信息公开申请答复告知书",
            LetterKind::CorrectionNotice => "补正申请告知书",
            LetterKind::ExtensionNotice => "延期答复告知书",
            LetterKind::FeeNotice => "收取信息处理费通知书",
            LetterKind::ThirdPartyConsultation => "征求第三方意见书",
            LetterKind::AgencyConsultation => "征求意见函",
        }
    }
}

impl std::fmt::Display for LetterKind {
    /// The stable code, e.g. `reply:disclosed`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code())
    }
}

impl Serialize for LetterKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for LetterKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        LetterKind::parse(&code).ok_or_else(|| serde::de::Error::custom(format!("unknown letter kind {code:?}")))
    }
}

/// What a letter needs to know about the case. Optional fields a letter
/// needs but lacks become 【】 gaps in the draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterContext {
    /// 机关名称: the sender, signed at the foot.
    pub agency: String,
    /// The applicant (person or organisation); the addressee of replies and
    /// notices to the applicant.
    pub applicant: String,
    /// The case reference, e.g. `YSQ20210924-0042-K7Q3MX`; see [`LetterDraft::number`].
    pub ref_no: String,
    /// The receipt date (第三十一条).
    pub received: NaiveDate,
    /// The information asked for.
    pub description: String,
    /// The letter date.
    pub date: NaiveDate,
    /// 提供形式, e.g. 纸质, 电子邮件, 光盘.
    pub form: Option<String>,
    /// Where already published information can be found (第三十六条第（一）项,
    /// e.g. a web address or gazette issue), or how to obtain a publication
    /// (第三十九条第二款).
    pub published_at: Option<String>,
    /// 复议机关; default 本级人民政府.
    pub review_body: Option<String>,
    /// Court; default 有管辖权的人民法院.
    pub court: Option<String>,
    /// What the applicant must correct (第三十条).
    pub correction_what: Option<String>,
    /// The correction period in working days.
    pub correction_days: Option<u32>,
    /// The last day to correct.
    pub correction_deadline: Option<NaiveDate>,
    /// Working days of the extension (第三十三条, at most 20).
    pub extension_days: Option<u32>,
    /// The reply due date after the extension.
    pub new_due: Option<NaiveDate>,
    /// The fee charged (国办函〔2020〕109号).
    pub fee: Option<FeeEstimate>,
    /// The last day to pay.
    pub fee_deadline: Option<NaiveDate>,
    /// The third party consulted (第三十二条): the addressee of the
    /// consultation; never named in letters to the applicant.
    pub third_party: Option<String>,
    /// The last day for a consulted third party or agency to answer.
    pub answer_due: Option<NaiveDate>,
    /// For 本机关不掌握: the agency that holds the information, if known
    /// (第三十六条第（五）项); for 征求意见函: the agency consulted.
    pub other_agency: Option<String>,
}

/// A drafted letter, in plain text parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterDraft {
    /// What the letter is, for staff: the kind's label, with the outcome for
    /// replies, e.g. "政府信息公开申请答复告知书（不予公开：属于国家秘密）".
    pub kind_label: String,
    /// The heading, e.g. "政府信息公开申请答复告知书".
    pub title: String,
    /// The letter number from `ref_no`: `〔<year received>〕第<ref_no>号`, or
    /// `ref_no` itself when it already reads as a number (contains "〔" or ends
    /// in "号"); empty when `ref_no` is empty. Of a public reference number
    /// (`YSQ20210924-0042-K7Q3MX`) the random check part is left out, since
    /// the full number opens the case's public status and consultation
    /// letters go to third parties: `〔2021〕第YSQ20210924-0042号`.
    pub number: String,
    /// The addressee with a full-width colon, e.g. "张三：".
    pub salutation: String,
    /// The body paragraphs, without indentation.
    pub paragraphs: Vec<String>,
    /// The agency.
    pub signature: String,
    /// The letter date in Chinese form, e.g. "2021年10月27日".
    pub date_zh: String,
}

impl LetterDraft {
    /// The whole letter as plain text: title, number, salutation, paragraphs
    /// indented by two full-width spaces, signature and date.
    pub fn text(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.title);
        out.push('\n');
        if !self.number.is_empty() {
            out.push_str(&self.number);
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&self.salutation);
        out.push('\n');
        for p in &self.paragraphs {
            out.push_str("\u{3000}\u{3000}");
            out.push_str(p);
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&self.signature);
        out.push('\n');
        out.push_str(&self.date_zh);
        out.push('\n');
        out
    }
}

/// A trimmed, non-empty optional text.
fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn letter_number(ref_no: &str, received: NaiveDate) -> String {
    let r = ref_no.trim();
    if r.is_empty() || r.contains('〔') || r.ends_with('号') {
        return r.to_owned();
    }
    // A public reference number `YSQ<date>-<seq>-<check>`: the check part
    // alone opens the case's public status, so it stays off the letter.
    let r = match r.rsplit_once('-') {
        Some((head, _)) if r.starts_with("YSQ") && head.contains('-') => head,
        _ => r,
    };
    format!("〔{}〕第{r}号", received.year())
}

/// "本机关于…收到…提出的政府信息公开申请，申请获取“…”。" for the given party.
fn opening(ctx: &LetterContext, party: &str) -> String {
    let what = ctx.description.trim().trim_matches(['“', '”', '"']).trim();
    let head = format!("本机关于{}收到{party}提出的政府信息公开申请", date_zh(ctx.received));
    if what.is_empty() {
        format!("{head}。")
    } else {
        format!("{head}，申请获取“{what}”。")
    }
}

/// " （截止日期为…）" when a last day is known.
fn until(d: Option<NaiveDate>) -> String {
    d.map(|d| format!("（截止日期为{}）", date_zh(d))).unwrap_or_default()
}

/// The provision a reply for `o` cites: [`Outcome::legal_basis_zh`], narrowed
/// to the one item of 第三十六条 that applies where it names two:
/// - 予以公开: 第（一）项 when the information was already published
///   (`published_at` given), else 第（二）项;
/// - 本机关不掌握: 第（五）项 when the holding agency is named (`other_agency`
///   given), else 第（四）项 (the information does not exist here).
pub fn cited_basis_zh(o: Outcome, ctx: &LetterContext) -> Option<String> {
    match o {
        Outcome::Disclosed if given(&ctx.published_at).is_some() => Some(format!("{LAW}第三十六条第（一）项")),
        Outcome::Disclosed => Some(format!("{LAW}第三十六条第（二）项")),
        Outcome::UnavailableNotHeld if given(&ctx.other_agency).is_some() => Some(format!("{LAW}第三十六条第（五）项")),
        Outcome::UnavailableNotHeld => Some(format!("{LAW}第三十六条第（四）项")),
        _ => o.legal_basis_zh().map(str::to_owned),
    }
}

/// The decision paragraph of a reply.
fn decision(o: Outcome, ctx: &LetterContext) -> String {
    use Outcome::*;
    let b = cited_basis_zh(o, ctx).unwrap_or_default();
    let provide = match given(&ctx.form) {
        Some(f) => format!("现以{f}形式"),
        None => "现".to_owned(),
    };
    let withheld = |what: &str| format!("经审查，您申请获取的政府信息{what}。根据{b}、第三十六条第（三）项的规定，本机关决定不予公开。");
    match o {
        Disclosed => match given(&ctx.published_at) {
            Some(p) => format!("经检索，您申请获取的政府信息已经主动公开。根据{b}的规定，您可以通过以下方式、途径获取：{p}。"),
            None => format!("经审查，您申请获取的政府信息属于公开范围，根据{b}的规定，{provide}予以提供（见附件）。"),
        },
        PartiallyDisclosed => format!(
            "经审查，您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。根据{b}的规定，{provide}向您提供可以公开的政府信息内容（见附件）；对不予公开的内容，说明理由如下：【不予公开的内容、理由及依据】。"
        ),
        WithheldStateSecret => withheld("属于依法确定为国家秘密的政府信息"),
        WithheldProhibitedByLaw => withheld("属于法律、行政法规禁止公开的政府信息（【法律、行政法规名称及条款】）"),
        WithheldSecurityStability => withheld("公开后可能危及国家安全、公共安全、经济安全、社会稳定"),
        WithheldThirdPartyRights => {
            let consulted = if given(&ctx.third_party).is_some() {
                "，经书面征求第三方意见，第三方不同意公开"
            } else {
                ""
            };
            withheld(&format!("涉及商业秘密、个人隐私等，公开后会损害第三方合法权益{consulted}"))
        }
        WithheldInternalAffairs => withheld("属于行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等方面的信息）"),
        WithheldProcessInformation => {
            withheld("属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息")
        }
        WithheldEnforcementFile => withheld("属于行政执法案卷信息"),
        WithheldAdministrativeQuery => format!(
            "经审查，您申请获取的信息属于【工商、不动产登记资料等】行政查询事项，有关法律、行政法规对该信息的获取有特别规定。根据{b}的规定，请您依照【有关法律、行政法规名称】的规定办理查询。"
        ),
        UnavailableNotHeld => match given(&ctx.other_agency) {
            Some(a) => format!(
                "经审查，您申请获取的政府信息不属于本机关负责公开的政府信息。根据{b}的规定，现告知您：该政府信息由{a}负责公开（联系方式：【联系方式】），请您向该机关咨询或者提出申请。"
            ),
            None => format!("经检索，本机关未制作或者获取您申请获取的政府信息。根据{b}的规定，现告知您：该政府信息不存在。"),
        },
        UnavailableNeedsCreation => format!(
            "经审查，本机关没有您申请获取的现成政府信息，提供该信息需要本机关对现有政府信息进行加工、分析。根据{b}的规定，本机关不予提供。"
        ),
        UnavailableStillUnclear => format!(
            "本机关已告知您对申请内容作出补正。经审查，补正后的申请内容仍不明确，本机关无法确定您申请获取的政府信息。根据{b}的规定，本机关无法向您提供。您可以在明确所需政府信息的名称、文号或者其他特征性描述后重新提出申请。"
        ),
        NotProcessedPetition => format!(
            "经审查，您系以政府信息公开申请的形式进行信访、投诉、举报等活动。根据{b}的规定，本机关不作为政府信息公开申请处理，您可以通过【信访、投诉、举报渠道】提出。"
        ),
        NotProcessedRepeat => format!(
            "经查，本机关已就您提出的相同政府信息公开申请作出答复（【原答复文号及日期】），您本次申请系重复申请公开相同政府信息。根据{b}的规定，本机关不予重复处理。"
        ),
        NotProcessedPublication => {
            let way = given(&ctx.published_at).unwrap_or("【获取途径】");
            format!("经审查，您申请获取的是政府公报、报刊、书籍等公开出版物。根据{b}的规定，现告知您获取途径：{way}。")
        }
        NotProcessedExcessive => format!(
            "您申请公开政府信息的数量、频次明显超过合理范围，本机关已要求您说明理由。经审查，本机关认为申请理由不合理。根据{b}的规定，本机关不予处理。"
        ),
        NotProcessedConfirmation => {
            format!("经审查，您的申请系要求本机关确认或者重新出具您已获取的政府信息，不属于{LAW}规定的获取政府信息的申请，本机关不予处理。")
        }
        OtherNoCorrection => {
            let lapsed = ctx
                .correction_deadline
                .map(|d| format!("，补正期限已于{}届满", date_zh(d)))
                .unwrap_or_default();
            format!(
                "本机关已告知您对申请内容作出补正{lapsed}，您无正当理由逾期未补正。根据{b}的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。"
            )
        }
        OtherUnpaidFee => {
            let lapsed = ctx
                .fee_deadline
                .map(|d| format!("，缴费期限已于{}届满", date_zh(d)))
                .unwrap_or_default();
            format!(
                "本机关已向您发出收取信息处理费通知书{lapsed}，您逾期未按收费通知要求缴纳费用。根据{b}的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。"
            )
        }
        Other => "经审查，【处理情况、理由及依据】。".to_owned(),
    }
}

/// The remedy paragraph of a reply.
fn remedy(ctx: &LetterContext) -> String {
    let body = given(&ctx.review_body).unwrap_or(DEFAULT_REVIEW_BODY);
    let court = given(&ctx.court).unwrap_or(DEFAULT_COURT);
    format!("如对本答复不服，可以在收到本告知书之日起60日内向{body}申请行政复议，或者在6个月内向{court}提起行政诉讼。")
}

fn fee_paragraphs(fee: &FeeEstimate) -> String {
    let unit = fee.method.unit_zh();
    let how = match fee.method {
        FeeMethod::PerItem => format!("本件申请为您在本自然月内提出的第{}件申请，{}", fee.n, fee.method.label_zh()),
        FeeMethod::PerPage => format!("本次提供的政府信息共{}页，{}", fee.n, fee.method.label_zh()),
    };
    let bands: Vec<String> = fee
        .bands
        .iter()
        .map(|b| {
            let range = match b.to {
                Some(to) => format!("第{}—{to}{unit}", b.from),
                None => format!("第{}{unit}及以上", b.from),
            };
            if b.unit_yuan == 0 {
                format!("{range}不收费（{}{unit}）", b.count)
            } else {
                format!("{range}每{unit}{}元，计{}{unit}，{}元", b.unit_yuan, b.count, b.subtotal)
            }
        })
        .collect();
    let detail = if bands.is_empty() {
        String::new()
    } else {
        format!("计费明细：{}。", bands.join("；"))
    };
    format!("{how}，按照超额累进方式计算，应缴纳信息处理费{}元。{detail}", fee.fee_yuan)
}

/// Drafts the letter `kind` for the case described by `ctx`.
pub fn draft(kind: LetterKind, ctx: &LetterContext) -> LetterDraft {
    let to_applicant = || format!("{}：", ctx.applicant.trim());
    let (salutation, paragraphs) = match kind {
        LetterKind::Reply(o) => (
            to_applicant(),
            vec![opening(ctx, "您（单位）"), decision(o, ctx), remedy(ctx), "特此告知。".to_owned()],
        ),
        LetterKind::CorrectionNotice => {
            let what = given(&ctx.correction_what).unwrap_or("【需要补正的事项，如所需政府信息的名称、文号或者便于本机关查询的其他特征性描述】");
            let period = match (ctx.correction_days, ctx.correction_deadline) {
                (Some(n), d) => format!("请您自收到本告知书之日起{n}个工作日内{}向本机关提交补正后的申请。", until(d)),
                (None, Some(d)) => format!("请您在{}（含当日）之前向本机关提交补正后的申请。", date_zh(d)),
                (None, None) => "请您在【补正期限】内向本机关提交补正后的申请。".to_owned(),
            };
            (
                to_applicant(),
                vec![
                    opening(ctx, "您（单位）"),
                    format!("经审查，您的申请内容不明确。根据{LAW}第三十条的规定，请您对以下事项作出补正：{what}。"),
                    period,
                    "答复期限自本机关收到补正后的申请之日起计算。您无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"
                        .to_owned(),
                    "特此告知。".to_owned(),
                ],
            )
        }
        LetterKind::ExtensionNotice => {
            let days = ctx.extension_days.map_or_else(|| "【延长的工作日数】".to_owned(), |n| n.to_string());
            let by = ctx.new_due.map(|d| format!("，本机关最迟将于{}作出答复", date_zh(d))).unwrap_or_default();
            (
                to_applicant(),
                vec![
                    opening(ctx, "您（单位）"),
                    format!(
                        "因【延期理由】，本机关不能在规定期限内作出答复。经本机关政府信息公开工作机构负责人同意，根据{LAW}第三十三条第二款的规定，答复期限延长{days}个工作日{by}。"
                    ),
                    "特此告知。".to_owned(),
                ],
            )
        }
        LetterKind::FeeNotice => {
            let amount = ctx.fee.as_ref().map_or_else(|| "【收费方式、数额及计算明细】".to_owned(), fee_paragraphs);
            (
                to_applicant(),
                vec![
                    opening(ctx, "您（单位）"),
                    format!(
                        "经审查，您申请公开政府信息的数量、频次明显超过合理范围。根据{LAW}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关决定向您收取信息处理费。"
                    ),
                    amount,
                    format!(
                        "请您自收到本通知书次日起{FEE_PAYMENT_DAYS}个工作日内{}缴纳费用，缴纳方式：【缴纳方式】。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。",
                        until(ctx.fee_deadline)
                    ),
                    "特此通知。".to_owned(),
                ],
            )
        }
        LetterKind::ThirdPartyConsultation => (
            format!("{}：", given(&ctx.third_party).unwrap_or("【第三方名称】")),
            vec![
                opening(ctx, "申请人"),
                format!(
                    "经审查，该政府信息可能涉及你方的商业秘密、个人隐私等合法权益，公开后可能损害你方合法权益。根据{LAW}第三十二条的规定，现书面征求你方意见。"
                ),
                format!(
                    "请你方自收到本意见书之日起{THIRD_PARTY_ANSWER_DAYS}个工作日内{}提出书面意见；不同意公开的，请说明理由。",
                    until(ctx.answer_due)
                ),
                "你方逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。你方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知你方。".to_owned(),
                "特此征求意见。".to_owned(),
            ],
        ),
        LetterKind::AgencyConsultation => (
            format!("{}：", given(&ctx.other_agency).unwrap_or("【被征求意见机关名称】")),
            vec![
                opening(ctx, "申请人"),
                format!("经审查，该政府信息由本机关牵头与贵机关共同制作。根据{LAW}第三十四条的规定，现征求贵机关意见。"),
                format!(
                    "请贵机关自收到本函之日起{AGENCY_ANSWER_DAYS}个工作日内{}提出意见。逾期未提出意见的，视为同意公开。",
                    until(ctx.answer_due)
                ),
                "特此函告。".to_owned(),
            ],
        ),
    };
    let kind_label = match kind {
        LetterKind::Reply(o) => format!("{}（{}）", kind.label_zh(), o.full_label_zh()),
        _ => kind.label_zh().to_owned(),
    };
    LetterDraft {
        kind_label,
        title: kind.label_zh().to_owned(),
        number: letter_number(&ctx.ref_no, ctx.received),
        salutation,
        paragraphs,
        signature: ctx.agency.trim().to_owned(),
        date_zh: date_zh(ctx.date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::foi::estimate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    fn ctx() -> LetterContext {
        LetterContext {
            agency: "某某县人民政府办公室".to_owned(),
            applicant: "张三".to_owned(),
            ref_no: "YSQ0042".to_owned(),
            received: d("2021-09-24"),
            description: "2020年度某某项目资金使用情况".to_owned(),
            date: d("2021-10-27"),
            ..LetterContext::default()
        }
    }

    const REMEDY: &str =
        "如对本答复不服，可以在收到本告知书之日起60日内向本级人民政府申请行政复议，或者在6个月内向有管辖权的人民法院提起行政诉讼。";

    #[test]
    fn every_reply_cites_its_basis_and_the_remedy() {
        let c = ctx();
        for o in Outcome::ALL {
            let l = draft(LetterKind::Reply(o), &c);
            let text = l.text();
            assert_eq!(l.title, "政府信息公开申请答复告知书");
            assert_eq!(
                l.paragraphs[0],
                "本机关于2021年9月24日收到您（单位）提出的政府信息公开申请，申请获取“2020年度某某项目资金使用情况”。"
            );
            assert!(l.paragraphs.iter().any(|p| p == REMEDY), "{o}: no remedy paragraph");
            match (o, o.legal_basis_zh()) {
                // legal_basis_zh names two items; the letter cites the one that applies.
                (Outcome::Disclosed, _) => assert!(text.contains(&format!("根据{LAW}第三十六条第（二）项的规定"))),
                (Outcome::UnavailableNotHeld, _) => assert!(text.contains(&format!("{LAW}第三十六条第（四）项"))),
                (_, Some(basis)) => assert!(text.contains(basis), "{o}: basis {basis} missing in {text}"),
                (_, None) => assert!(!text.contains("根据《"), "{o} cites a basis it does not have"),
            }
            assert!(!text.contains("<"), "plain text only");
        }
    }

    #[test]
    fn disclosed_and_not_held_variants() {
        let mut c = ctx();
        let l = draft(LetterKind::Reply(Outcome::Disclosed), &c);
        assert_eq!(
            l.paragraphs[1],
            "经审查，您申请获取的政府信息属于公开范围，根据《中华人民共和国政府信息公开条例》第三十六条第（二）项的规定，现予以提供（见附件）。"
        );
        c.form = Some("电子邮件".to_owned());
        assert!(draft(LetterKind::Reply(Outcome::Disclosed), &c).paragraphs[1].contains("现以电子邮件形式予以提供（见附件）"));
        c.published_at = Some("某某县人民政府门户网站“政府信息公开”专栏".to_owned());
        assert!(draft(LetterKind::Reply(Outcome::Disclosed), &c).paragraphs[1].contains("第三十六条第（一）项"));

        c.other_agency = Some("某某县财政局".to_owned());
        let l = draft(LetterKind::Reply(Outcome::UnavailableNotHeld), &c);
        assert!(l.paragraphs[1].contains("第三十六条第（五）项"));
        assert!(l.paragraphs[1].contains("该政府信息由某某县财政局负责公开"));

        let withheld = draft(LetterKind::Reply(Outcome::WithheldStateSecret), &c);
        assert!(withheld.paragraphs[1].contains("《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项"));
        assert!(withheld.paragraphs[1].contains("国家秘密"));
    }

    #[test]
    fn remedy_uses_the_given_bodies() {
        let mut c = ctx();
        c.review_body = Some("某某市人民政府".to_owned());
        c.court = Some("某某区人民法院".to_owned());
        let l = draft(LetterKind::Reply(Outcome::NotProcessedRepeat), &c);
        assert!(
            l.paragraphs.contains(
                &"如对本答复不服，可以在收到本告知书之日起60日内向某某市人民政府申请行政复议，或者在6个月内向某某区人民法院提起行政诉讼。"
                    .to_owned()
            )
        );
        c.review_body = Some("  ".to_owned());
        assert!(
            draft(LetterKind::Reply(Outcome::Other), &c)
                .text()
                .contains("向本级人民政府申请行政复议")
        );
    }

    #[test]
    fn header_and_footer() {
        let l = draft(LetterKind::Reply(Outcome::Disclosed), &ctx());
        assert_eq!(l.number, "〔2021〕第YSQ0042号");
        assert_eq!(l.salutation, "张三：");
        assert_eq!(l.signature, "某某县人民政府办公室");
        assert_eq!(l.date_zh, "2021年10月27日");
        assert_eq!(l.kind_label, "政府信息公开申请答复告知书（予以公开）");
        let mut c = ctx();
        c.ref_no = "某府办依申请〔2021〕12号".to_owned();
        assert_eq!(draft(LetterKind::FeeNotice, &c).number, "某府办依申请〔2021〕12号");
        c.ref_no = "YSQ20210924-0042-K7Q3MX".to_owned();
        let consult = draft(LetterKind::ThirdPartyConsultation, &c);
        assert_eq!(consult.number, "〔2021〕第YSQ20210924-0042号");
        assert!(!consult.text().contains("K7Q3MX"));
        assert_eq!(date_zh(d("2022-01-05")), "2022年1月5日");
        let text = l.text();
        assert!(text.starts_with("政府信息公开申请答复告知书\n〔2021〕第YSQ0042号\n\n张三：\n\u{3000}\u{3000}本机关于"));
        assert!(text.ends_with("某某县人民政府办公室\n2021年10月27日\n"));
    }

    #[test]
    fn correction_notice_states_the_deadline() {
        let mut c = ctx();
        c.correction_what = Some("所需资金使用情况的具体项目名称".to_owned());
        c.correction_days = Some(10);
        c.correction_deadline = Some(d("2021-10-15"));
        let l = draft(LetterKind::CorrectionNotice, &c);
        assert_eq!(l.title, "补正申请告知书");
        let text = l.text();
        assert!(text.contains("第三十条"));
        assert!(text.contains("请您对以下事项作出补正：所需资金使用情况的具体项目名称。"));
        assert!(text.contains("请您自收到本告知书之日起10个工作日内（截止日期为2021年10月15日）向本机关提交补正后的申请。"));
        assert!(text.contains("视为放弃申请，本机关不再处理该政府信息公开申请"));
        assert!(!text.contains("行政复议"));
        c.correction_days = None;
        assert!(
            draft(LetterKind::CorrectionNotice, &c)
                .text()
                .contains("请您在2021年10月15日（含当日）之前")
        );
    }

    #[test]
    fn extension_notice_states_days_and_new_due() {
        let mut c = ctx();
        c.extension_days = Some(20);
        c.new_due = Some(d("2021-11-24"));
        let text = draft(LetterKind::ExtensionNotice, &c).text();
        assert!(text.contains("第三十三条第二款"));
        assert!(text.contains("答复期限延长20个工作日，本机关最迟将于2021年11月24日作出答复。"));
    }

    #[test]
    fn fee_notice_states_the_amount() {
        let mut c = ctx();
        c.fee = Some(estimate(FeeMethod::PerPage, 250));
        c.fee_deadline = Some(d("2021-11-25"));
        let l = draft(LetterKind::FeeNotice, &c);
        assert_eq!(l.title, "收取信息处理费通知书");
        let text = l.text();
        assert!(text.contains("国办函〔2020〕109号"));
        assert!(text.contains("本次提供的政府信息共250页，按量计收，按照超额累进方式计算，应缴纳信息处理费4700元。"));
        assert!(text.contains(
            "计费明细：第1—30页不收费（30页）；第31—100页每页10元，计70页，700元；第101—200页每页20元，计100页，2000元；第201页及以上每页40元，计50页，2000元。"
        ));
        assert!(text.contains("请您自收到本通知书次日起20个工作日内（截止日期为2021年11月25日）缴纳费用"));
        assert!(text.contains("逾期未缴纳的，视为放弃申请"));
        c.fee = Some(estimate(FeeMethod::PerItem, 45));
        assert!(
            draft(LetterKind::FeeNotice, &c)
                .text()
                .contains("第45件申请，按件计收，按照超额累进方式计算，应缴纳信息处理费300元")
        );
    }

    #[test]
    fn consultations() {
        let mut c = ctx();
        c.third_party = Some("某某建设有限公司".to_owned());
        c.answer_due = Some(d("2021-10-22"));
        let l = draft(LetterKind::ThirdPartyConsultation, &c);
        assert_eq!(l.salutation, "某某建设有限公司：");
        let text = l.text();
        assert!(text.contains("第三十二条"));
        assert!(text.contains("15个工作日内（截止日期为2021年10月22日）"));
        assert!(text.contains("逾期未提出意见的，由本机关"));
        assert!(!text.contains("张三"), "the applicant is not named to the third party");

        c.other_agency = Some("某某县财政局".to_owned());
        let l = draft(LetterKind::AgencyConsultation, &c);
        assert_eq!((l.title.as_str(), l.salutation.as_str()), ("征求意见函", "某某县财政局："));
        assert!(l.text().contains("第三十四条"));
        assert!(l.text().contains("视为同意公开"));
    }

    #[test]
    fn codes_round_trip() {
        let all = LetterKind::all();
        assert_eq!(all.len(), 26);
        let mut seen = std::collections::HashSet::new();
        for k in all {
            let code = k.code();
            assert!(seen.insert(code.clone()));
            assert_eq!(LetterKind::parse(&code), Some(k));
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{code}\""));
            assert_eq!(serde_json::from_str::<LetterKind>(&json).unwrap(), k);
        }
        assert_eq!(
            LetterKind::Reply(Outcome::WithheldStateSecret).code(),
            "reply:withheld_state_secret"
        );
        assert_eq!(LetterKind::parse("reply:nope"), None);
        assert_eq!(LetterKind::parse("reply"), None);
        assert_eq!(LetterKind::parse("fee"), None);
        assert!(serde_json::from_str::<LetterKind>("\"fee\"").is_err());
        assert_eq!(LetterKind::FeeNotice.label_zh(), "收取信息处理费通知书");
        assert_eq!(LetterKind::ThirdPartyConsultation.label_zh(), "征求第三方意见书");
    }

    #[test]
    fn missing_facts_become_gaps() {
        let c = LetterContext {
            description: "“某文件”".to_owned(),
            ..ctx()
        };
        assert!(draft(LetterKind::Reply(Outcome::Disclosed), &c).paragraphs[0].ends_with("申请获取“某文件”。"));
        assert!(draft(LetterKind::FeeNotice, &c).text().contains("【收费方式、数额及计算明细】"));
        assert!(draft(LetterKind::ExtensionNotice, &c).text().contains("【延长的工作日数】"));
        assert_eq!(draft(LetterKind::ThirdPartyConsultation, &c).salutation, "【第三方名称】：");
    }
}
