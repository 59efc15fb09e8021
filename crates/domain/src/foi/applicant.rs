//! Applicant types: the columns of table 三 of the annual report.

use serde::{Deserialize, Serialize};

/// Who applied, as counted in the annual report's table 三 (自然人, then the
/// five sub-columns of 法人或其他组织).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantType {
    /// 自然人.
    NaturalPerson,
    /// 商业企业.
    Commercial,
    /// 科研机构.
    Research,
    /// 社会公益组织.
    PublicWelfare,
    /// 法律服务机构.
    LegalService,
    /// 其他 (other legal persons or organisations).
    OtherOrg,
}

impl ApplicantType {
    /// All types, in the report's column order.
    pub const ALL: [ApplicantType; 6] = [
        ApplicantType::NaturalPerson,
        ApplicantType::Commercial,
        ApplicantType::Research,
        ApplicantType::PublicWelfare,
        ApplicantType::LegalService,
        ApplicantType::OtherOrg,
    ];

    /// The column heading in the report.
    pub fn label_zh(self) -> &'static str {
        match self {
            ApplicantType::NaturalPerson => "自然人",
            ApplicantType::Commercial => "商业企业",
            ApplicantType::Research => "科研机构",
            ApplicantType::PublicWelfare => "社会公益组织",
            ApplicantType::LegalService => "法律服务机构",
            ApplicantType::OtherOrg => "其他",
        }
    }

    /// Whether the type is one of the 法人或其他组织 sub-columns.
    pub fn is_organisation(self) -> bool {
        self != ApplicantType::NaturalPerson
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_in_report_order() {
        let labels: Vec<_> = ApplicantType::ALL.iter().map(|t| t.label_zh()).collect();
        assert_eq!(labels, ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]);
        assert!(!ApplicantType::NaturalPerson.is_organisation());
        assert!(ApplicantType::OtherOrg.is_organisation());
    }
}
