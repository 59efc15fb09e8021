//! The date an application counts as received (条例第三十一条).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::FoiError;

/// How an application was submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Handed in at the office (当面提交): received the day it is handed in.
    InPerson,
    /// Post that must be signed for (邮寄，需签收): received the day the agency signs.
    RegisteredPost,
    /// An ordinary letter needing no signature (平常信函): received the day the
    /// office confirms it with the applicant.
    OrdinaryLetter,
    /// Online (互联网渠道): received the day both sides confirm.
    Online,
    /// The office's fax (传真): received the day both sides confirm.
    Fax,
}

impl Channel {
    /// All channels.
    pub const ALL: [Channel; 5] = [
        Channel::InPerson,
        Channel::RegisteredPost,
        Channel::OrdinaryLetter,
        Channel::Online,
        Channel::Fax,
    ];

    /// The label shown to users.
    pub fn label_zh(self) -> &'static str {
        match self {
            Channel::InPerson => "当面提交",
            Channel::RegisteredPost => "邮寄（需签收）",
            Channel::OrdinaryLetter => "平常信函",
            Channel::Online => "互联网在线提交",
            Channel::Fax => "传真",
        }
    }

    /// English wording for logs: "submitted in person", "… online".
    pub fn name_en(self) -> &'static str {
        match self {
            Channel::InPerson => "in person",
            Channel::RegisteredPost => "by registered post",
            Channel::OrdinaryLetter => "by ordinary letter",
            Channel::Online => "online",
            Channel::Fax => "by fax",
        }
    }

    /// The clause of 第三十一条 that fixes the receipt date for this channel.
    pub fn rule_zh(self) -> &'static str {
        match self {
            Channel::InPerson => "第三十一条第（一）项：以提交之日为收到申请之日",
            Channel::RegisteredPost => "第三十一条第（二）项：以行政机关签收之日为收到申请之日",
            Channel::OrdinaryLetter => "第三十一条第（二）项：以与申请人确认之日为收到申请之日",
            Channel::Online | Channel::Fax => "第三十一条第（三）项：以双方确认之日为收到申请之日",
        }
    }

    /// Which [`ReceiptEvents`] field the rule reads (the field name).
    pub fn required_event(self) -> &'static str {
        match self {
            Channel::InPerson => "handed_in",
            Channel::RegisteredPost => "signed_for",
            Channel::OrdinaryLetter => "confirmed_with_applicant",
            Channel::Online | Channel::Fax => "both_confirmed",
        }
    }
}

/// What happened when an application arrived; only the date the channel's
/// rule names is read (see [`receipt_date`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptEvents {
    /// The day the applicant handed it in at the office.
    pub handed_in: Option<NaiveDate>,
    /// The day the agency signed for the post.
    pub signed_for: Option<NaiveDate>,
    /// The day the office confirmed an ordinary letter with the applicant.
    pub confirmed_with_applicant: Option<NaiveDate>,
    /// The day both sides confirmed an online or fax submission.
    pub both_confirmed: Option<NaiveDate>,
}

impl ReceiptEvents {
    /// The events with only the date `channel`'s rule reads set to `on`
    /// (a staff member registering an application gives that one date).
    pub fn for_channel(channel: Channel, on: NaiveDate) -> ReceiptEvents {
        let mut r = ReceiptEvents::default();
        match channel {
            Channel::InPerson => r.handed_in = Some(on),
            Channel::RegisteredPost => r.signed_for = Some(on),
            Channel::OrdinaryLetter => r.confirmed_with_applicant = Some(on),
            Channel::Online | Channel::Fax => r.both_confirmed = Some(on),
        }
        r
    }
}

/// The receipt date under 第三十一条: in person → handed in; registered post →
/// signed for; ordinary letter → confirmed with the applicant; online or fax →
/// both sides confirmed. Errors with [`FoiError::MissingReceiptDate`] when the
/// date the rule needs is absent (other dates are ignored: an online
/// submission is not received until both sides confirm it).
pub fn receipt_date(channel: Channel, events: &ReceiptEvents) -> Result<NaiveDate, FoiError> {
    let date = match channel {
        Channel::InPerson => events.handed_in,
        Channel::RegisteredPost => events.signed_for,
        Channel::OrdinaryLetter => events.confirmed_with_applicant,
        Channel::Online | Channel::Fax => events.both_confirmed,
    };
    date.ok_or(FoiError::MissingReceiptDate {
        channel,
        needed: channel.required_event(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn for_channel_sets_the_date_its_rule_reads() {
        let on = NaiveDate::from_ymd_opt(2021, 9, 24).unwrap();
        for c in Channel::ALL {
            assert_eq!(receipt_date(c, &ReceiptEvents::for_channel(c, on)), Ok(on), "{c:?}");
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn each_channel_reads_its_own_date() {
        let ev = ReceiptEvents {
            handed_in: Some(d(2021, 9, 1)),
            signed_for: Some(d(2021, 9, 2)),
            confirmed_with_applicant: Some(d(2021, 9, 3)),
            both_confirmed: Some(d(2021, 9, 4)),
        };
        assert_eq!(receipt_date(Channel::InPerson, &ev), Ok(d(2021, 9, 1)));
        assert_eq!(receipt_date(Channel::RegisteredPost, &ev), Ok(d(2021, 9, 2)));
        assert_eq!(receipt_date(Channel::OrdinaryLetter, &ev), Ok(d(2021, 9, 3)));
        assert_eq!(receipt_date(Channel::Online, &ev), Ok(d(2021, 9, 4)));
        assert_eq!(receipt_date(Channel::Fax, &ev), Ok(d(2021, 9, 4)));
    }

    #[test]
    fn missing_date_is_an_error() {
        let ev = ReceiptEvents {
            handed_in: Some(d(2021, 9, 1)),
            ..ReceiptEvents::default()
        };
        let err = receipt_date(Channel::Online, &ev).unwrap_err();
        assert_eq!(
            err,
            FoiError::MissingReceiptDate {
                channel: Channel::Online,
                needed: "both_confirmed"
            }
        );
        assert_eq!(
            err.to_string(),
            "an application submitted online needs the both_confirmed date to fix its receipt date"
        );
        assert!(err.message_zh().contains("双方确认"));
    }
}
