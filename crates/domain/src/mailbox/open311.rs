//! The Open311 GeoReport v2 vocabulary for the read-only feed of published
//! messages (`/open311/v2/services.json`, `/open311/v2/requests.json`,
//! `/open311/v2/requests/{id}.json`), so civic-tech tools built for
//! GeoReport (FixMyStreet among them) can read the mailbox.
//!
//! Services are the message categories; a request is a published message
//! with its masked summary, the unit that answered (`agency_responsible`),
//! status `open`/`closed` and the outcome and reply in `status_notes`.
//! Messages have no location, so `lat`/`long`/`address` are absent, as
//! the specification allows for non-spatial services. Nothing personal is
//! in the feed: only what the publication page shows.

use super::Category;
use serde::Serialize;

/// A service of `services.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    pub metadata: bool,
    /// `realtime`: requests are created and answered one by one.
    #[serde(rename = "type")]
    pub kind: String,
    pub keywords: String,
    pub group: String,
}

/// The services: one per category.
pub fn services() -> Vec<Service> {
    Category::ALL
        .iter()
        .map(|c| Service {
            service_code: c.as_str().to_owned(),
            service_name: c.label_zh().to_owned(),
            description: format!("公开信箱{}类留言，{}个工作日内答复", c.label_zh(), c.default_reply_days()),
            metadata: false,
            kind: "realtime".into(),
            keywords: c.label_zh().to_owned(),
            group: "公开信箱".into(),
        })
        .collect()
}

/// A request of `requests.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Request {
    pub service_request_id: String,
    /// `open` or `closed`.
    pub status: String,
    pub status_notes: Option<String>,
    pub service_name: String,
    pub service_code: String,
    pub description: String,
    pub agency_responsible: Option<String>,
    pub service_notice: Option<String>,
    /// ISO 8601 with the China offset, e.g. `2026-11-02T09:30:00+08:00`.
    pub requested_datetime: String,
    pub updated_datetime: Option<String>,
    pub expected_datetime: Option<String>,
}

/// The public id of a published message in the feed (not its query code,
/// which is the writer's secret).
pub fn request_id(id: i64) -> String {
    format!("LY-{id}")
}

/// The message id in a public request id.
pub fn parse_request_id(s: &str) -> Option<i64> {
    s.strip_prefix("LY-")?.parse().ok().filter(|n: &i64| *n > 0)
}

/// A date as the feed writes it: the day at midnight China time.
pub fn datetime(day: &str) -> String {
    if day.len() >= 19 {
        // Already a timestamp (`YYYY-MM-DDTHH:MM:SS…` UTC): keep its second.
        format!("{}Z", &day[..19])
    } else {
        format!("{day}T00:00:00+08:00")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_and_ids() {
        let s = services();
        assert_eq!(s.len(), 5);
        let json = serde_json::to_value(&s[0]).unwrap();
        assert_eq!(json["type"], "realtime");
        assert_eq!(json["service_code"], "consultation");
        assert_eq!(request_id(42), "LY-42");
        assert_eq!(parse_request_id("LY-42"), Some(42));
        assert_eq!(parse_request_id("LY-0"), None);
        assert_eq!(parse_request_id("42"), None);
        assert_eq!(datetime("2026-11-02"), "2026-11-02T00:00:00+08:00");
        assert_eq!(datetime("2026-11-02T01:02:03.456Z"), "2026-11-02T01:02:03Z");
    }
}
