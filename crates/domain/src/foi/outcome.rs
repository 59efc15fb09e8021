//! Outcomes of an application: the rows of table 三 of the 2021 annual-report
//! format (国办公开办函〔2021〕30号).
//!
//! The mapping from outcome to legal basis follows the DERIVED table in
//! `rules.md` §3 ("DERIVED mapping from case outcome to report row"); it is
//! not official guidance.

use serde::{Deserialize, Serialize};

/// The row groups （一）–（六） of 三、本年度办理结果.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeGroup {
    /// （一）予以公开.
    Disclosed,
    /// （二）部分公开.
    PartiallyDisclosed,
    /// （三）不予公开.
    Withheld,
    /// （四）无法提供.
    Unavailable,
    /// （五）不予处理.
    NotProcessed,
    /// （六）其他处理.
    OtherHandling,
}

impl OutcomeGroup {
    /// All groups in report order.
    pub const ALL: [OutcomeGroup; 6] = [
        OutcomeGroup::Disclosed,
        OutcomeGroup::PartiallyDisclosed,
        OutcomeGroup::Withheld,
        OutcomeGroup::Unavailable,
        OutcomeGroup::NotProcessed,
        OutcomeGroup::OtherHandling,
    ];

    /// The group's number in the report, e.g. "（三）".
    pub fn number_zh(self) -> &'static str {
        match self {
            OutcomeGroup::Disclosed => "（一）",
            OutcomeGroup::PartiallyDisclosed => "（二）",
            OutcomeGroup::Withheld => "（三）",
            OutcomeGroup::Unavailable => "（四）",
            OutcomeGroup::NotProcessed => "（五）",
            OutcomeGroup::OtherHandling => "（六）",
        }
    }

    /// The group heading, e.g. "不予公开".
    pub fn label_zh(self) -> &'static str {
        match self {
            OutcomeGroup::Disclosed => "予以公开",
            OutcomeGroup::PartiallyDisclosed => "部分公开",
            OutcomeGroup::Withheld => "不予公开",
            OutcomeGroup::Unavailable => "无法提供",
            OutcomeGroup::NotProcessed => "不予处理",
            OutcomeGroup::OtherHandling => "其他处理",
        }
    }
}

/// How an application ended: exactly one row of table 三（一）–（六）.
/// Serialized as its [`code`](Outcome::code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// （一）予以公开 (第三十六条第（一）、（二）项).
    Disclosed,
    /// （二）部分公开 (区分处理, 第三十七条).
    PartiallyDisclosed,
    /// （三）1 属于国家秘密.
    WithheldStateSecret,
    /// （三）2 其他法律行政法规禁止公开.
    WithheldProhibitedByLaw,
    /// （三）3 危及"三安全一稳定".
    WithheldSecurityStability,
    /// （三）4 保护第三方合法权益.
    WithheldThirdPartyRights,
    /// （三）5 属于三类内部事务信息.
    WithheldInternalAffairs,
    /// （三）6 属于四类过程性信息.
    WithheldProcessInformation,
    /// （三）7 属于行政执法案卷.
    WithheldEnforcementFile,
    /// （三）8 属于行政查询事项.
    WithheldAdministrativeQuery,
    /// （四）1 本机关不掌握相关政府信息.
    UnavailableNotHeld,
    /// （四）2 没有现成信息需要另行制作.
    UnavailableNeedsCreation,
    /// （四）3 补正后申请内容仍不明确.
    UnavailableStillUnclear,
    /// （五）1 信访举报投诉类申请.
    NotProcessedPetition,
    /// （五）2 重复申请.
    NotProcessedRepeat,
    /// （五）3 要求提供公开出版物.
    NotProcessedPublication,
    /// （五）4 无正当理由大量反复申请.
    NotProcessedExcessive,
    /// （五）5 要求行政机关确认或重新出具已获取信息.
    NotProcessedConfirmation,
    /// （六）1 申请人无正当理由逾期不补正.
    OtherNoCorrection,
    /// （六）2 申请人逾期未按收费通知要求缴纳费用.
    OtherUnpaidFee,
    /// （六）3 其他.
    Other,
}

impl Outcome {
    /// All outcomes in report order.
    pub const ALL: [Outcome; 21] = [
        Outcome::Disclosed,
        Outcome::PartiallyDisclosed,
        Outcome::WithheldStateSecret,
        Outcome::WithheldProhibitedByLaw,
        Outcome::WithheldSecurityStability,
        Outcome::WithheldThirdPartyRights,
        Outcome::WithheldInternalAffairs,
        Outcome::WithheldProcessInformation,
        Outcome::WithheldEnforcementFile,
        Outcome::WithheldAdministrativeQuery,
        Outcome::UnavailableNotHeld,
        Outcome::UnavailableNeedsCreation,
        Outcome::UnavailableStillUnclear,
        Outcome::NotProcessedPetition,
        Outcome::NotProcessedRepeat,
        Outcome::NotProcessedPublication,
        Outcome::NotProcessedExcessive,
        Outcome::NotProcessedConfirmation,
        Outcome::OtherNoCorrection,
        Outcome::OtherUnpaidFee,
        Outcome::Other,
    ];

    /// Stable snake_case code (equal to the serde form).
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Disclosed => "disclosed",
            Outcome::PartiallyDisclosed => "partially_disclosed",
            Outcome::WithheldStateSecret => "withheld_state_secret",
            Outcome::WithheldProhibitedByLaw => "withheld_prohibited_by_law",
            Outcome::WithheldSecurityStability => "withheld_security_stability",
            Outcome::WithheldThirdPartyRights => "withheld_third_party_rights",
            Outcome::WithheldInternalAffairs => "withheld_internal_affairs",
            Outcome::WithheldProcessInformation => "withheld_process_information",
            Outcome::WithheldEnforcementFile => "withheld_enforcement_file",
            Outcome::WithheldAdministrativeQuery => "withheld_administrative_query",
            Outcome::UnavailableNotHeld => "unavailable_not_held",
            Outcome::UnavailableNeedsCreation => "unavailable_needs_creation",
            Outcome::UnavailableStillUnclear => "unavailable_still_unclear",
            Outcome::NotProcessedPetition => "not_processed_petition",
            Outcome::NotProcessedRepeat => "not_processed_repeat",
            Outcome::NotProcessedPublication => "not_processed_publication",
            Outcome::NotProcessedExcessive => "not_processed_excessive",
            Outcome::NotProcessedConfirmation => "not_processed_confirmation",
            Outcome::OtherNoCorrection => "other_no_correction",
            Outcome::OtherUnpaidFee => "other_unpaid_fee",
            Outcome::Other => "other",
        }
    }

    /// The outcome with this [`code`](Outcome::code).
    pub fn from_code(code: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.code() == code)
    }

    /// The report row group.
    pub fn group(self) -> OutcomeGroup {
        use Outcome::*;
        match self {
            Disclosed => OutcomeGroup::Disclosed,
            PartiallyDisclosed => OutcomeGroup::PartiallyDisclosed,
            WithheldStateSecret
            | WithheldProhibitedByLaw
            | WithheldSecurityStability
            | WithheldThirdPartyRights
            | WithheldInternalAffairs
            | WithheldProcessInformation
            | WithheldEnforcementFile
            | WithheldAdministrativeQuery => OutcomeGroup::Withheld,
            UnavailableNotHeld | UnavailableNeedsCreation | UnavailableStillUnclear => OutcomeGroup::Unavailable,
            NotProcessedPetition | NotProcessedRepeat | NotProcessedPublication | NotProcessedExcessive | NotProcessedConfirmation => {
                OutcomeGroup::NotProcessed
            }
            OtherNoCorrection | OtherUnpaidFee | Other => OutcomeGroup::OtherHandling,
        }
    }

    /// The item number inside its group (1-based), or `None` for the
    /// single-row groups （一） and （二）.
    pub fn item(self) -> Option<usize> {
        let group = self.group();
        if matches!(group, OutcomeGroup::Disclosed | OutcomeGroup::PartiallyDisclosed) {
            return None;
        }
        let pos = Outcome::ALL.iter().filter(|o| o.group() == group).position(|o| *o == self)?;
        Some(pos + 1)
    }

    /// The report row, e.g. "（一）" or "（三）1".
    pub fn report_row(self) -> String {
        match self.item() {
            Some(n) => format!("{}{n}", self.group().number_zh()),
            None => self.group().number_zh().to_owned(),
        }
    }

    /// The row's wording in the report (sub-items without the group name;
    /// see [`full_label_zh`](Outcome::full_label_zh)).
    pub fn label_zh(self) -> &'static str {
        use Outcome::*;
        match self {
            Disclosed => "予以公开",
            PartiallyDisclosed => "部分公开",
            WithheldStateSecret => "属于国家秘密",
            WithheldProhibitedByLaw => "其他法律行政法规禁止公开",
            WithheldSecurityStability => "危及“三安全一稳定”",
            WithheldThirdPartyRights => "保护第三方合法权益",
            WithheldInternalAffairs => "属于三类内部事务信息",
            WithheldProcessInformation => "属于四类过程性信息",
            WithheldEnforcementFile => "属于行政执法案卷",
            WithheldAdministrativeQuery => "属于行政查询事项",
            UnavailableNotHeld => "本机关不掌握相关政府信息",
            UnavailableNeedsCreation => "没有现成信息需要另行制作",
            UnavailableStillUnclear => "补正后申请内容仍不明确",
            NotProcessedPetition => "信访举报投诉类申请",
            NotProcessedRepeat => "重复申请",
            NotProcessedPublication => "要求提供公开出版物",
            NotProcessedExcessive => "无正当理由大量反复申请",
            NotProcessedConfirmation => "要求行政机关确认或重新出具已获取信息",
            OtherNoCorrection => "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            OtherUnpaidFee => "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            Other => "其他",
        }
    }

    /// Group and row together, e.g. "不予公开：属于国家秘密".
    pub fn full_label_zh(self) -> String {
        match self.item() {
            Some(_) => format!("{}：{}", self.group().label_zh(), self.label_zh()),
            None => self.label_zh().to_owned(),
        }
    }

    /// The provision the outcome rests on, or `None` where neither the
    /// regulation nor the fee measures name one ((五)5 and (六)3).
    ///
    /// (三)8 行政查询事项 is mapped to 第三十六条第（七）项 (information whose
    /// access other laws regulate, e.g. 工商、不动产登记资料): DERIVED, to be
    /// confirmed by the office.
    pub fn legal_basis_zh(self) -> Option<&'static str> {
        use Outcome::*;
        Some(match self {
            Disclosed => "《中华人民共和国政府信息公开条例》第三十六条第（一）项、第（二）项",
            PartiallyDisclosed => "《中华人民共和国政府信息公开条例》第三十七条",
            WithheldStateSecret | WithheldProhibitedByLaw | WithheldSecurityStability => "《中华人民共和国政府信息公开条例》第十四条",
            WithheldThirdPartyRights => "《中华人民共和国政府信息公开条例》第十五条",
            WithheldInternalAffairs => "《中华人民共和国政府信息公开条例》第十六条第一款",
            WithheldProcessInformation | WithheldEnforcementFile => "《中华人民共和国政府信息公开条例》第十六条第二款",
            WithheldAdministrativeQuery => "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
            UnavailableNotHeld => "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项",
            UnavailableNeedsCreation => "《中华人民共和国政府信息公开条例》第三十八条",
            UnavailableStillUnclear | OtherNoCorrection => "《中华人民共和国政府信息公开条例》第三十条",
            NotProcessedPetition => "《中华人民共和国政府信息公开条例》第三十九条第一款",
            NotProcessedRepeat => "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
            NotProcessedPublication => "《中华人民共和国政府信息公开条例》第三十九条第二款",
            NotProcessedExcessive => "《中华人民共和国政府信息公开条例》第三十五条",
            OtherUnpaidFee => "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
            NotProcessedConfirmation | Other => return None,
        })
    }

    /// Whether the outcome ends a case the agency never answered on the
    /// merits because the applicant gave up (（六）1 and （六）2), i.e. an
    /// outcome [`compute`](super::compute) can reach by itself.
    pub fn is_deemed_abandonment(self) -> bool {
        matches!(self, Outcome::OtherNoCorrection | Outcome::OtherUnpaidFee)
    }
}

impl std::fmt::Display for Outcome {
    /// The stable code, e.g. `withheld_state_secret`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_match_serde() {
        let mut seen = std::collections::HashSet::new();
        for o in Outcome::ALL {
            assert!(seen.insert(o.code()), "duplicate code {}", o.code());
            assert_eq!(serde_json::to_string(&o).unwrap(), format!("\"{}\"", o.code()));
            assert_eq!(Outcome::from_code(o.code()), Some(o));
        }
        assert_eq!(Outcome::from_code("nope"), None);
    }

    #[test]
    fn rows_match_the_2021_format() {
        let rows: Vec<String> = Outcome::ALL.iter().map(|o| o.report_row()).collect();
        assert_eq!(
            rows,
            [
                "（一）",
                "（二）",
                "（三）1",
                "（三）2",
                "（三）3",
                "（三）4",
                "（三）5",
                "（三）6",
                "（三）7",
                "（三）8",
                "（四）1",
                "（四）2",
                "（四）3",
                "（五）1",
                "（五）2",
                "（五）3",
                "（五）4",
                "（五）5",
                "（六）1",
                "（六）2",
                "（六）3"
            ]
        );
        assert_eq!(Outcome::ALL.iter().filter(|o| o.group() == OutcomeGroup::Withheld).count(), 8);
        assert_eq!(Outcome::ALL.iter().filter(|o| o.group() == OutcomeGroup::Unavailable).count(), 3);
        assert_eq!(Outcome::ALL.iter().filter(|o| o.group() == OutcomeGroup::NotProcessed).count(), 5);
        assert_eq!(Outcome::ALL.iter().filter(|o| o.group() == OutcomeGroup::OtherHandling).count(), 3);
    }

    #[test]
    fn legal_bases() {
        assert_eq!(
            Outcome::WithheldStateSecret.legal_basis_zh(),
            Some("《中华人民共和国政府信息公开条例》第十四条")
        );
        assert_eq!(
            Outcome::WithheldThirdPartyRights.legal_basis_zh(),
            Some("《中华人民共和国政府信息公开条例》第十五条")
        );
        assert_eq!(
            Outcome::UnavailableNeedsCreation.legal_basis_zh(),
            Some("《中华人民共和国政府信息公开条例》第三十八条")
        );
        assert_eq!(
            Outcome::NotProcessedExcessive.legal_basis_zh(),
            Some("《中华人民共和国政府信息公开条例》第三十五条")
        );
        assert_eq!(
            Outcome::OtherNoCorrection.legal_basis_zh(),
            Some("《中华人民共和国政府信息公开条例》第三十条")
        );
        assert_eq!(Outcome::Other.legal_basis_zh(), None);
        assert_eq!(Outcome::WithheldStateSecret.full_label_zh(), "不予公开：属于国家秘密");
        assert_eq!(Outcome::Disclosed.full_label_zh(), "予以公开");
    }
}
