//! Errors of the `foi` module.

use chrono::NaiveDate;

use super::Channel;

/// Why a receipt date or a case's event list was rejected.
///
/// `Display` gives a precise English message for logs; [`FoiError::message_zh`]
/// gives the message shown to users. `event` fields hold the English event
/// name from [`ClockEvent::name`](super::ClockEvent::name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FoiError {
    /// The date the channel's receipt rule needs is missing (第三十一条).
    #[error("an application submitted {channel_en} needs the {needed} date to fix its receipt date", channel_en = channel.name_en())]
    MissingReceiptDate { channel: Channel, needed: &'static str },
    /// The case has no events at all.
    #[error("the case has no events; it must start with the receipt of the application")]
    NoEvents,
    /// The first event is not the receipt of the application.
    #[error("{event} before the application was received; the first event must be the receipt")]
    NotReceivedYet { event: &'static str },
    /// A second `Received` event.
    #[error(
        "the application was already received on {first}; a second receipt on {on} is not allowed (a corrected application is a correction_received event)"
    )]
    DuplicateReceipt { first: NaiveDate, on: NaiveDate },
    /// An event dated before the receipt date.
    #[error("{event} on {on} is dated before the application was received on {received}")]
    BeforeReceipt {
        event: &'static str,
        on: NaiveDate,
        received: NaiveDate,
    },
    /// An event dated before the event preceding it.
    #[error("{event} on {on} is dated before the previous event on {previous}; events must be in date order")]
    OutOfOrder {
        event: &'static str,
        on: NaiveDate,
        previous: NaiveDate,
    },
    /// An answer, a corrected application or a payment with no open request.
    #[error("{event} without an open request it could answer")]
    AnswerWithoutRequest { event: &'static str },
    /// A second request of the same kind while one is still open.
    #[error("{event} while a request of the same kind is still open")]
    AlreadyOpen { event: &'static str },
    /// 第三十条 requires the correction notice to be given once ("一次性告知").
    #[error("a correction was already requested on {first}; article 30 allows only one correction notice")]
    SecondCorrection { first: NaiveDate },
    /// A correction period of zero working days.
    #[error("the correction period must be at least 1 working day")]
    ZeroCorrectionPeriod,
    /// A correction requested after consultations, an extension or a fee notice.
    #[error("a correction cannot be requested after {after}; article 30 requires it within 7 working days, before the case is processed")]
    CorrectionAfterProcessing { after: &'static str },
    /// Processing while the applicant has still to correct the application.
    #[error("{event} while a correction of the application is outstanding; the clock restarts only when the corrected application arrives")]
    CorrectionPending { event: &'static str },
    /// 第三十三条: the reply period may be extended once.
    #[error("the reply period was already extended on {first}; article 33 allows one extension of at most 20 working days")]
    SecondExtension { first: NaiveDate },
    /// 第三十三条: an extension of 1 to 20 working days.
    #[error("an extension of {days} working days is not allowed; article 33 allows 1 to 20 working days")]
    ExtensionOutOfRange { days: u32 },
    /// An extension decided after the reply was already due.
    #[error("the extension on {on} comes after the reply was due on {due}; it must be decided within the reply period")]
    ExtensionAfterDue { on: NaiveDate, due: NaiveDate },
    /// Any event after the case was concluded.
    #[error("{event} after the case was concluded on {concluded}")]
    AfterConclusion { event: &'static str, concluded: NaiveDate },
}

impl FoiError {
    /// The message shown to users, in Simplified Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            FoiError::MissingReceiptDate { channel, .. } => {
                let what = match channel {
                    Channel::InPerson => "提交日期",
                    Channel::RegisteredPost => "签收日期",
                    Channel::OrdinaryLetter => "与申请人确认的日期",
                    Channel::Online | Channel::Fax => "双方确认的日期",
                };
                format!("{}的申请须填写{what}才能确定收到申请之日（条例第三十一条）。", channel.label_zh())
            }
            FoiError::NoEvents => "办理记录为空：第一条记录应为收到申请。".to_owned(),
            FoiError::NotReceivedYet { .. } => "第一条办理记录必须是收到申请。".to_owned(),
            FoiError::DuplicateReceipt { first, .. } => {
                format!("该申请已于 {first} 收到，不能重复登记收到申请；补正后的申请请登记为“收到补正申请”。")
            }
            FoiError::BeforeReceipt { on, received, .. } => format!("{on} 的办理记录早于收到申请之日 {received}。"),
            FoiError::OutOfOrder { on, previous, .. } => format!("{on} 的办理记录早于上一条记录的日期 {previous}，请按时间顺序登记。"),
            FoiError::AnswerWithoutRequest { .. } => "没有对应的补正告知、征求意见或收费通知，不能登记答复、补正或缴费。".to_owned(),
            FoiError::AlreadyOpen { .. } => "同类征求意见或收费通知尚未办结，不能重复发出。".to_owned(),
            FoiError::SecondCorrection { first } => format!("已于 {first} 告知补正；条例第三十条要求一次性告知补正，不能再次告知。"),
            FoiError::ZeroCorrectionPeriod => "补正期限至少为1个工作日。".to_owned(),
            FoiError::CorrectionAfterProcessing { .. } => {
                "已开始征求意见、延期或收费后不能再告知补正；补正应自收到申请之日起7个工作日内一次性告知（条例第三十条）。".to_owned()
            }
            FoiError::CorrectionPending { .. } => "申请人尚未补正，答复期限自收到补正申请之日起计算，此前不能登记该办理环节。".to_owned(),
            FoiError::SecondExtension { first } => {
                format!("已于 {first} 延期；条例第三十三条规定延长的期限最长不得超过20个工作日，只能延期一次。")
            }
            FoiError::ExtensionOutOfRange { days } => {
                format!("延期 {days} 个工作日不符合规定：条例第三十三条规定延长的期限为1至20个工作日。")
            }
            FoiError::ExtensionAfterDue { due, .. } => format!("答复期限已于 {due} 届满，不能再延期；延期应在答复期限内决定并告知申请人。"),
            FoiError::AfterConclusion { concluded, .. } => format!("该申请已于 {concluded} 办结，不能再登记办理环节。"),
        }
    }
}
