//! Consultations (登记台账): every question asked through any channel is
//! logged; one the library could not answer at once becomes a ticket for the
//! policy-making unit, due **5 working days** after it was received
//! (configurable per site), reminded two working days before, and escalated
//! to the government office once overdue.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a consultation came in (一号答, 一网答, 对外联系电话, 一站式, 公开信箱).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Web,
    Hotline,
    Phone,
    Window,
    Mailbox,
}

impl Channel {
    pub const ALL: [Channel; 5] = [Channel::Web, Channel::Hotline, Channel::Phone, Channel::Window, Channel::Mailbox];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Hotline => "hotline",
            Channel::Phone => "phone",
            Channel::Window => "window",
            Channel::Mailbox => "mailbox",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Channel::Web => "政府网站（一网答）",
            Channel::Hotline => "12345热线（一号答）",
            Channel::Phone => "对外联系电话",
            Channel::Window => "综合咨询窗口（一站式）",
            Channel::Mailbox => "公开信箱",
        }
    }
}

/// How the consultant wants the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyVia {
    /// No notification: the consultant looks the reply up by ticket number.
    None,
    Email,
    Sms,
    /// An agent calls back (the reply is logged, nothing is sent).
    Phone,
}

impl ReplyVia {
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyVia::None => "none",
            ReplyVia::Email => "email",
            ReplyVia::Sms => "sms",
            ReplyVia::Phone => "phone",
        }
    }

    pub fn parse(s: &str) -> Option<ReplyVia> {
        [ReplyVia::None, ReplyVia::Email, ReplyVia::Sms, ReplyVia::Phone]
            .into_iter()
            .find(|c| c.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            ReplyVia::None => "凭编号查询",
            ReplyVia::Email => "电子邮件",
            ReplyVia::Sms => "短信",
            ReplyVia::Phone => "电话回复",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultState {
    /// Answered at once from the library.
    Answered,
    /// Registered and handed to a unit; waiting for its reply.
    Open,
    /// The unit replied; the consultant was notified.
    Replied,
}

impl ConsultState {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsultState::Answered => "answered",
            ConsultState::Open => "open",
            ConsultState::Replied => "replied",
        }
    }

    pub fn parse(s: &str) -> Option<ConsultState> {
        Some(match s {
            "answered" => ConsultState::Answered,
            "open" => ConsultState::Open,
            "replied" => ConsultState::Replied,
            _ => return None,
        })
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            ConsultState::Answered => "即时答复",
            ConsultState::Open => "待答复",
            ConsultState::Replied => "已答复",
        }
    }
}

/// The default reply period, in working days.
pub const DEFAULT_REPLY_DAYS: u32 = 5;
pub use crate::dispatch::{DeadlineAction, REMIND_BEFORE, deadline_action, due_date, on_time};

/// A ticket's public number: `ZX` + date + the ticket id, e.g. `ZX20261207-000042`.
pub fn ticket_no(created: NaiveDate, id: i64) -> String {
    format!("ZX{}-{id:06}", created.format("%Y%m%d"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn channels_round_trip() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        assert_eq!(Channel::parse("fax"), None);
        assert_eq!(ticket_no(d("2026-12-07"), 42), "ZX20261207-000042");
    }
}
