//! Consultation statistics for the reports: volumes, the share answered at
//! once from the library, and the share of registered consultations replied
//! within their due date (the responsibility list's “5个工作日内主动回复”).

use super::consult::{ConsultState, on_time};
use chrono::NaiveDate;

/// Counts of one group of consultations (a channel, a unit, all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub total: usize,
    /// Answered at once from the library.
    pub at_once: usize,
    /// Registered as tickets (open or replied).
    pub registered: usize,
    pub replied: usize,
    /// Replied on or before the due date.
    pub on_time: usize,
    pub open: usize,
}

impl Tally {
    /// Counts one consultation.
    pub fn add(&mut self, state: ConsultState, due: Option<NaiveDate>, replied_on: Option<NaiveDate>) {
        self.total += 1;
        match state {
            ConsultState::Answered => self.at_once += 1,
            ConsultState::Open => {
                self.registered += 1;
                self.open += 1;
            }
            ConsultState::Replied => {
                self.registered += 1;
                self.replied += 1;
                if let (Some(due), Some(replied)) = (due, replied_on)
                    && on_time(replied, due)
                {
                    self.on_time += 1;
                }
            }
        }
    }

    /// Share answered at once, `None` without consultations.
    pub fn at_once_rate(&self) -> Option<f64> {
        rate(self.at_once, self.total)
    }

    /// Share of replies on time, `None` without replies.
    pub fn on_time_rate(&self) -> Option<f64> {
        rate(self.on_time, self.replied)
    }
}

fn rate(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// A rate as the reports print it: `87.5%`, or `—` when there is nothing to count.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), |r| format!("{:.1}%", r * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        s.parse().ok()
    }

    #[test]
    fn rates_count_immediate_answers_and_replies_on_time() {
        let mut t = Tally::default();
        assert_eq!((percent(t.at_once_rate()), percent(t.on_time_rate())), ("—".into(), "—".into()));
        t.add(ConsultState::Answered, None, None);
        t.add(ConsultState::Open, d("2026-12-10"), None);
        t.add(ConsultState::Replied, d("2026-12-10"), d("2026-12-10"));
        t.add(ConsultState::Replied, d("2026-12-10"), d("2026-12-11"));
        assert_eq!(
            t,
            Tally {
                total: 4,
                at_once: 1,
                registered: 3,
                replied: 2,
                on_time: 1,
                open: 1
            }
        );
        assert_eq!(percent(t.at_once_rate()), "25.0%");
        assert_eq!(percent(t.on_time_rate()), "50.0%");
    }
}
