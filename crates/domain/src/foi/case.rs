//! An application as a case: what the applicant fills in (条例第二十九条),
//! the status a case shows, and its reference number.
//!
//! 第二十九条 asks for: the applicant's name or the organisation's name, an
//! identity document, contact details; the name, 文号 or other features of
//! the information wanted; and the form and way of obtaining it. The
//! annual report (table 三) also needs the applicant type.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{ApplicantType, Channel, ClockState};

/// The form the information is wanted in (第二十九条第二款第（三）项).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormWanted {
    /// 纸质.
    Paper,
    /// 电子邮件.
    Email,
    /// 光盘/磁盘等存储介质.
    Disk,
}

impl FormWanted {
    pub const ALL: [FormWanted; 3] = [FormWanted::Paper, FormWanted::Email, FormWanted::Disk];

    pub fn as_str(self) -> &'static str {
        match self {
            FormWanted::Paper => "paper",
            FormWanted::Email => "email",
            FormWanted::Disk => "disk",
        }
    }

    pub fn parse(s: &str) -> Option<FormWanted> {
        FormWanted::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            FormWanted::Paper => "纸质",
            FormWanted::Email => "电子邮件",
            FormWanted::Disk => "光盘（磁盘）",
        }
    }
}

/// How the applicant wants to receive it (获取信息的途径).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// 邮寄.
    Post,
    /// 电子邮件.
    Email,
    /// 当面领取.
    Pickup,
    /// 传真.
    Fax,
}

impl Delivery {
    pub const ALL: [Delivery; 4] = [Delivery::Post, Delivery::Email, Delivery::Pickup, Delivery::Fax];

    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Post => "post",
            Delivery::Email => "email",
            Delivery::Pickup => "pickup",
            Delivery::Fax => "fax",
        }
    }

    pub fn parse(s: &str) -> Option<Delivery> {
        Delivery::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Delivery::Post => "邮寄",
            Delivery::Email => "电子邮件",
            Delivery::Pickup => "当面领取",
            Delivery::Fax => "传真",
        }
    }
}

impl ApplicantType {
    /// Stable code (the serde form).
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicantType::NaturalPerson => "natural_person",
            ApplicantType::Commercial => "commercial",
            ApplicantType::Research => "research",
            ApplicantType::PublicWelfare => "public_welfare",
            ApplicantType::LegalService => "legal_service",
            ApplicantType::OtherOrg => "other_org",
        }
    }

    pub fn parse(s: &str) -> Option<ApplicantType> {
        ApplicantType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The label on forms: "自然人" or "法人或其他组织（商业企业）".
    pub fn form_label_zh(self) -> String {
        if self.is_organisation() {
            format!("法人或其他组织（{}）", self.label_zh())
        } else {
            self.label_zh().to_owned()
        }
    }
}

impl Channel {
    /// Stable code (the serde form).
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::InPerson => "in_person",
            Channel::RegisteredPost => "registered_post",
            Channel::OrdinaryLetter => "ordinary_letter",
            Channel::Online => "online",
            Channel::Fax => "fax",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// What a case shows in lists and on the public status page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Submitted online; the office has not yet confirmed receipt (第三十一条第（三）项).
    Unconfirmed,
    /// Running: the reply is being prepared.
    Open,
    /// Waiting for the applicant's correction (第三十条).
    Correction,
    /// Suspended while a third party or another agency is consulted.
    Paused,
    /// Waiting for the applicant to pay the fee.
    Fee,
    /// Replied or otherwise closed.
    Concluded,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 6] = [
        CaseStatus::Unconfirmed,
        CaseStatus::Open,
        CaseStatus::Correction,
        CaseStatus::Paused,
        CaseStatus::Fee,
        CaseStatus::Concluded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Unconfirmed => "unconfirmed",
            CaseStatus::Open => "open",
            CaseStatus::Correction => "correction",
            CaseStatus::Paused => "paused",
            CaseStatus::Fee => "fee",
            CaseStatus::Concluded => "concluded",
        }
    }

    pub fn parse(s: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            CaseStatus::Unconfirmed => "待确认收到",
            CaseStatus::Open => "办理中",
            CaseStatus::Correction => "待申请人补正",
            CaseStatus::Paused => "征求意见中（暂停计时）",
            CaseStatus::Fee => "待缴纳信息处理费",
            CaseStatus::Concluded => "已办结",
        }
    }

    /// Whether the case still needs work from the agency or the applicant.
    pub fn is_open(self) -> bool {
        self != CaseStatus::Concluded
    }
}

/// The status a clock implies. Auto-closed cases (no correction or no
/// payment in time) are concluded.
pub fn status_of(clock: &ClockState) -> CaseStatus {
    if clock.concluded.is_some() || clock.auto_close.is_some() {
        CaseStatus::Concluded
    } else if clock.awaiting_correction {
        CaseStatus::Correction
    } else if clock.awaiting_fee {
        CaseStatus::Fee
    } else if clock.paused {
        CaseStatus::Paused
    } else {
        CaseStatus::Open
    }
}

/// The day an auto-closed case counts as concluded: the first calendar day
/// after the correction or payment deadline passed.
pub fn auto_close_date(clock: &ClockState) -> Option<NaiveDate> {
    let deadline = match clock.auto_close? {
        super::Outcome::OtherNoCorrection => clock.correction_deadline?,
        super::Outcome::OtherUnpaidFee => clock.fee_payment_deadline?,
        _ => return None,
    };
    deadline.succ_opt()
}

/// A field of the application form that failed its check, with the Chinese
/// message shown next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// The messages for `field`, joined for display next to it ("" if none).
pub fn messages_for(errors: &[FieldError], field: &str) -> String {
    errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join("；")
}

/// The application form as typed (every field a string, as a web form or
/// JSON body gives it).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationForm {
    pub applicant_type: String,
    /// 姓名 (natural person) or 名称 (organisation).
    pub name: String,
    /// For organisations: 统一社会信用代码.
    pub org_code: String,
    /// For organisations: 联系人 (or 法定代表人).
    pub contact_person: String,
    /// 证件类型: 身份证, 护照, 港澳台居民居住证…, or 营业执照 for organisations.
    pub id_type: String,
    pub id_number: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub postcode: String,
    /// 所需政府信息的名称或特征描述.
    pub description: String,
    /// 文号, if known.
    pub doc_number: String,
    pub form: String,
    pub delivery: String,
}

/// A checked application (parse, don't validate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub applicant_type: ApplicantType,
    pub name: String,
    pub org_code: Option<String>,
    pub contact_person: Option<String>,
    pub id_type: String,
    pub id_number: String,
    pub phone: String,
    pub email: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub description: String,
    pub doc_number: Option<String>,
    pub form: FormWanted,
    pub delivery: Delivery,
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

fn too_long(s: &str, max: usize) -> bool {
    s.chars().count() > max
}

impl ApplicationForm {
    /// Checks every field and returns all errors at once, in form order.
    pub fn parse(&self) -> Result<Application, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: &'static str, message: &str| {
            errors.push(FieldError {
                field,
                message: message.to_owned(),
            })
        };
        let applicant_type = ApplicantType::parse(self.applicant_type.trim());
        if applicant_type.is_none() {
            err("applicant_type", "请选择申请人类型");
        }
        let org = applicant_type.is_some_and(ApplicantType::is_organisation);
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            err(
                "name",
                if org {
                    "请填写法人或其他组织名称"
                } else {
                    "请填写申请人姓名"
                },
            );
        } else if too_long(&name, 100) {
            err("name", "姓名（名称）不能超过100个字");
        }
        let org_code = opt(&self.org_code).map(|c| c.to_ascii_uppercase());
        if org && org_code.is_none() {
            err("org_code", "请填写统一社会信用代码");
        }
        if let Some(c) = &org_code
            && !(c.len() == 18 && c.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            err("org_code", "统一社会信用代码应为18位数字或字母");
        }
        let contact_person = opt(&self.contact_person);
        if org && contact_person.is_none() {
            err("contact_person", "请填写联系人姓名");
        }
        if contact_person.as_deref().is_some_and(|c| too_long(c, 50)) {
            err("contact_person", "联系人姓名不能超过50个字");
        }
        let id_type = opt(&self.id_type).unwrap_or_else(|| if org { "营业执照" } else { "居民身份证" }.to_owned());
        if too_long(&id_type, 30) {
            err("id_type", "证件类型不能超过30个字");
        }
        let id_number = self.id_number.trim().to_ascii_uppercase();
        if id_number.is_empty() {
            err("id_number", "请填写证件号码");
        } else if id_type == "居民身份证" && !crate::privacy::is_valid_id18(&id_number) {
            err("id_number", "居民身份证号码不正确，请核对18位号码及最后一位校验码");
        } else if too_long(&id_number, 40) {
            err("id_number", "证件号码不能超过40个字符");
        }
        let phone = self.phone.trim().to_owned();
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        if phone.is_empty() {
            err("phone", "请填写联系电话");
        } else if !(phone.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ') && (7..=20).contains(&digits)) {
            err("phone", "联系电话格式不正确");
        }
        let email = opt(&self.email);
        if let Some(e) = &email
            && !(e.contains('@') && e.len() <= 100 && !e.contains(char::is_whitespace) && !e.starts_with('@') && !e.ends_with('@'))
        {
            err("email", "电子邮箱格式不正确");
        }
        let address = opt(&self.address);
        if address.as_deref().is_some_and(|a| too_long(a, 200)) {
            err("address", "通信地址不能超过200个字");
        }
        let postcode = opt(&self.postcode);
        if let Some(p) = &postcode
            && !(p.len() == 6 && p.bytes().all(|b| b.is_ascii_digit()))
        {
            err("postcode", "邮政编码应为6位数字");
        }
        let description = self.description.trim().to_owned();
        if description.chars().count() < 4 {
            err("description", "请描述所需政府信息的名称、文号或者便于查询的其他特征（至少4个字）");
        } else if too_long(&description, 2000) {
            err("description", "所需信息描述不能超过2000个字");
        }
        let doc_number = opt(&self.doc_number);
        if doc_number.as_deref().is_some_and(|d| too_long(d, 100)) {
            err("doc_number", "文号不能超过100个字");
        }
        let form = FormWanted::parse(self.form.trim());
        if form.is_none() {
            err("form", "请选择信息的提供形式");
        }
        let delivery = Delivery::parse(self.delivery.trim());
        match delivery {
            None => err("delivery", "请选择获取信息的方式"),
            Some(Delivery::Post) if address.is_none() => err("address", "选择邮寄时请填写通信地址"),
            Some(Delivery::Email) if email.is_none() => err("email", "选择电子邮件时请填写电子邮箱"),
            _ => {}
        }
        if form == Some(FormWanted::Email) && email.is_none() && delivery != Some(Delivery::Email) {
            err("email", "以电子邮件形式提供时请填写电子邮箱");
        }
        match (applicant_type, form, delivery) {
            (Some(applicant_type), Some(form), Some(delivery)) if errors.is_empty() => Ok(Application {
                applicant_type,
                name,
                org_code,
                contact_person,
                id_type,
                id_number,
                phone,
                email,
                address,
                postcode,
                description,
                doc_number,
                form,
                delivery,
            }),
            _ => Err(errors),
        }
    }
}

/// The public reference number: `YSQ` + receipt-or-submission date + a
/// sequence + a random check part, e.g. `YSQ20210924-0042-K7Q3MX`. The random
/// part keeps numbers from being guessed (the number alone opens the
/// case's public status).
pub fn reference_number(date: NaiveDate, seq: i64, random: &str) -> String {
    format!("YSQ{}-{:04}-{}", date.format("%Y%m%d"), seq, random)
}

/// Whether `s` looks like a reference number (before a lookup).
pub fn is_reference_number(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 3
        && parts[0].len() == 11
        && parts[0].starts_with("YSQ")
        && parts[0][3..].bytes().all(|b| b.is_ascii_digit())
        && !parts[1].is_empty()
        && parts[1].bytes().all(|b| b.is_ascii_digit())
        && (4..=10).contains(&parts[2].len())
        && parts[2].bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> ApplicationForm {
        ApplicationForm {
            applicant_type: "natural_person".into(),
            name: "张三".into(),
            id_number: "11010519491231002X".into(),
            phone: "138 0013 8000".into(),
            description: "2021年县级财政预算公开表".into(),
            form: "paper".into(),
            delivery: "pickup".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_person_form_parses() {
        let app = person().parse().unwrap();
        assert_eq!(app.applicant_type, ApplicantType::NaturalPerson);
        assert_eq!(app.id_type, "居民身份证");
        assert_eq!(app.form, FormWanted::Paper);
        assert_eq!(app.email, None);
    }

    #[test]
    fn errors_name_their_fields() {
        let mut f = person();
        f.id_number = "110105194912310021".into();
        f.delivery = "post".into();
        f.postcode = "12345".into();
        let errs = f.parse().unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["id_number", "postcode", "address"]);

        let org = ApplicationForm {
            applicant_type: "commercial".into(),
            name: "某某有限公司".into(),
            id_number: "91500237MA5U0000XX".into(),
            phone: "023-57000000".into(),
            description: "项目审批文件".into(),
            form: "email".into(),
            delivery: "email".into(),
            ..Default::default()
        };
        let fields: Vec<_> = org.parse().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["org_code", "contact_person", "email"]);
        assert!(ApplicationForm::default().parse().unwrap_err().len() >= 6);
    }

    #[test]
    fn codes_round_trip() {
        for t in ApplicantType::ALL {
            assert_eq!(ApplicantType::parse(t.as_str()), Some(t));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{}\"", c.as_str()));
        }
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ApplicantType::Research.form_label_zh(), "法人或其他组织（科研机构）");
    }

    #[test]
    fn reference_numbers() {
        let d = NaiveDate::from_ymd_opt(2021, 9, 24).unwrap();
        let r = reference_number(d, 42, "K7Q3MX");
        assert_eq!(r, "YSQ20210924-0042-K7Q3MX");
        assert!(is_reference_number(&r));
        assert!(!is_reference_number("YSQ2021-0042-K7Q3MX"));
        assert!(!is_reference_number("YSQ20210924-0042-k7"));
        assert!(!is_reference_number("<script>"));
    }
}
