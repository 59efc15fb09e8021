//! Dispatch and deadlines shared by everything that hands a citizen's
//! request to a unit and waits for its reply: policy consultation tickets
//! (the responsibility list's 5 working days), mailbox messages (咨询 5,
//! 建议 and 投诉 10, 求助 5 working days; one extension of up to 15) and
//! calls to a unit's public phone not answered on the spot (5 working days).
//!
//! What it is for: the due date on the working-day calendar, and what the
//! deadline job does with an open item today (remind once when at most
//! [`REMIND_BEFORE`] working days are left, escalate once to the office
//! when overdue). What it is not for: who the item goes to or how it is
//! stored (each domain's own module, and the `store` and `app` crates).

use crate::calendar::Calendar;
use chrono::NaiveDate;

/// Reminders go out this many working days before the due date.
pub const REMIND_BEFORE: u32 = 2;

/// The reply's due date for an item received on `received`.
pub fn due_date(cal: &Calendar, received: NaiveDate, reply_days: u32) -> NaiveDate {
    cal.add_working_days(received, reply_days)
}

/// What the deadline job should do with an open item today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineAction {
    Nothing,
    Remind,
    Escalate,
}

/// The deadline rule: remind once when at most [`REMIND_BEFORE`] working
/// days are left, escalate once when the due date has passed.
pub fn deadline_action(cal: &Calendar, today: NaiveDate, due: NaiveDate, reminded: bool, escalated: bool) -> DeadlineAction {
    if today > due {
        return if escalated {
            DeadlineAction::Nothing
        } else {
            DeadlineAction::Escalate
        };
    }
    if !reminded && cal.working_days_between(today, due) <= REMIND_BEFORE {
        return DeadlineAction::Remind;
    }
    DeadlineAction::Nothing
}

/// Was the reply on time?
pub fn on_time(replied: NaiveDate, due: NaiveDate) -> bool {
    replied <= due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn due_skips_weekends_and_holidays() {
        let cal = Calendar::official();
        // Friday 2026-09-25, 5 working days: 28, 29, 30 Sep; 1–8 Oct are the
        // National Day holiday; 10 Oct (Saturday) is a make-up working day.
        let due = due_date(cal, d("2026-09-25"), 5);
        assert_eq!(cal.working_days_between(d("2026-09-25"), due), 5);
        assert!(due > d("2026-10-08"), "{due}");
        // An ordinary week: Monday plus 5 working days is the next Monday.
        assert_eq!(due_date(cal, d("2026-11-16"), 5), d("2026-11-23"));
    }

    #[test]
    fn remind_then_escalate_once() {
        let cal = Calendar::official();
        let due = d("2026-11-23");
        assert_eq!(deadline_action(cal, d("2026-11-16"), due, false, false), DeadlineAction::Nothing);
        assert_eq!(deadline_action(cal, d("2026-11-19"), due, false, false), DeadlineAction::Remind);
        assert_eq!(deadline_action(cal, d("2026-11-19"), due, true, false), DeadlineAction::Nothing);
        assert_eq!(deadline_action(cal, d("2026-11-23"), due, true, false), DeadlineAction::Nothing);
        assert_eq!(deadline_action(cal, d("2026-11-24"), due, true, false), DeadlineAction::Escalate);
        assert_eq!(deadline_action(cal, d("2026-11-24"), due, true, true), DeadlineAction::Nothing);
    }
}
