//! The information processing fee (信息处理费) of 《政府信息公开信息处理费管理办法》
//! （国办函〔2020〕109号）.
//!
//! Both methods are excess-progressive ("均按照超额累进方式计算收费金额",
//! 第三条). The agency picks **one** method per application and may not charge
//! both ("不得同时按照两种标准重复计算"): an application is charged either
//! [`per_item_fee`] or [`per_page_fee`], never the sum.
//!
//! Amounts are whole yuan. Per item (按件, 第四条) depends on how many
//! applications the same applicant has filed in the calendar month; per page
//! (按量, 第五条) on the pages of one application. How pages of electronic data
//! are counted is UNVERIFIED (rules.md §2).

use serde::{Deserialize, Serialize};

/// How an application is charged (第三条: one method per application).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeMethod {
    /// 按件计收: by the application's position in the applicant's month.
    PerItem,
    /// 按量计收: by the number of pages provided.
    PerPage,
}

impl FeeMethod {
    pub const ALL: [FeeMethod; 2] = [FeeMethod::PerItem, FeeMethod::PerPage];

    /// Stable code (the serde form): `per_item` or `per_page`.
    pub fn as_str(self) -> &'static str {
        match self {
            FeeMethod::PerItem => "per_item",
            FeeMethod::PerPage => "per_page",
        }
    }

    pub fn parse(s: &str) -> Option<FeeMethod> {
        FeeMethod::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// The label shown to users.
    pub fn label_zh(self) -> &'static str {
        match self {
            FeeMethod::PerItem => "按件计收",
            FeeMethod::PerPage => "按量计收",
        }
    }

    /// The unit counted, for display ("件" or "页").
    pub fn unit_zh(self) -> &'static str {
        match self {
            FeeMethod::PerItem => "件",
            FeeMethod::PerPage => "页",
        }
    }
}

/// One tier of a fee table as applied to a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeBand {
    /// First item or page of the tier (1-based).
    pub from: u32,
    /// Last item or page of the tier; `None` for the open top tier.
    pub to: Option<u32>,
    /// Yuan per item or page in this tier.
    pub unit_yuan: u64,
    /// Items or pages charged in this tier.
    pub count: u32,
    /// `unit_yuan × count`.
    pub subtotal: u64,
}

/// A fee with its working, for the public estimator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeEstimate {
    pub method: FeeMethod,
    /// The number the estimate is for: the application's position in the
    /// month (per item) or the page count (per page).
    pub n: u32,
    /// The fee for this one application, in yuan.
    pub fee_yuan: u64,
    /// The tiers that contributed, in order (free tiers included).
    pub bands: Vec<FeeBand>,
}

/// Per-item fee tier containing the `nth` application of the month:
/// `(from, to, unit_yuan)`.
fn item_tier(nth: u32) -> (u32, u32, u64) {
    match nth {
        0..=10 => (1, 10, 0),
        11..=30 => (11, 30, 100),
        _ => {
            let step = (nth - 31) / 10;
            let from = 31 + step * 10;
            (from, from.saturating_add(9), 100 * (2 + u64::from(step)))
        }
    }
}

/// The fee, in yuan, for the applicant's `nth_in_month` application of a
/// calendar month (第四条): 1–10 free; 11–30 ¥100; from 31 on, ¥100 more per
/// block of 10 (31–40 ¥200, 41–50 ¥300, …), i.e. `100 × (2 + ⌊(n−31)/10⌋)`.
/// `0` (no application) is free.
pub fn per_item_fee(nth_in_month: u32) -> u64 {
    item_tier(nth_in_month).2
}

/// Per-page tiers (第五条): `(from, to, unit_yuan)`.
const PAGE_TIERS: [(u32, Option<u32>, u64); 4] = [(1, Some(30), 0), (31, Some(100), 10), (101, Some(200), 20), (201, None, 40)];

fn page_bands(pages: u32) -> Vec<FeeBand> {
    PAGE_TIERS
        .iter()
        .filter(|(from, _, _)| pages >= *from)
        .map(|&(from, to, unit_yuan)| {
            let last = to.map_or(pages, |t| t.min(pages));
            let count = last - from + 1;
            FeeBand {
                from,
                to,
                unit_yuan,
                count,
                subtotal: unit_yuan * u64::from(count),
            }
        })
        .collect()
}

/// The fee, in yuan, for providing `pages` pages under one application
/// (第五条), each tier on its own part: 1–30 free, 31–100 ¥10/page, 101–200
/// ¥20/page, 201 and over ¥40/page. E.g. 250 pages: 700 + 2000 + 2000 = 4700.
pub fn per_page_fee(pages: u32) -> u64 {
    page_bands(pages).iter().map(|b| b.subtotal).sum()
}

/// The fee with its tiers. For [`FeeMethod::PerPage`], `n` is the page count
/// and every tier up to `n` is listed with the pages it charges. For
/// [`FeeMethod::PerItem`], `n` is the application's position in the
/// applicant's month and the one tier it falls in is listed with count 1
/// (earlier applications were charged when they were filed). `n = 0` gives a
/// zero fee with no tiers.
pub fn estimate(method: FeeMethod, n: u32) -> FeeEstimate {
    let bands = match method {
        FeeMethod::PerPage => page_bands(n),
        FeeMethod::PerItem if n == 0 => Vec::new(),
        FeeMethod::PerItem => {
            let (from, to, unit_yuan) = item_tier(n);
            vec![FeeBand {
                from,
                to: Some(to),
                unit_yuan,
                count: 1,
                subtotal: unit_yuan,
            }]
        }
    };
    FeeEstimate {
        method,
        n,
        fee_yuan: bands.iter().map(|b| b.subtotal).sum(),
        bands,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_bands_for_250() {
        let e = estimate(FeeMethod::PerPage, 250);
        assert_eq!(e.fee_yuan, 4700);
        let subtotals: Vec<u64> = e.bands.iter().map(|b| b.subtotal).collect();
        assert_eq!(subtotals, [0, 700, 2000, 2000]);
        let counts: Vec<u32> = e.bands.iter().map(|b| b.count).collect();
        assert_eq!(counts, [30, 70, 100, 50]);
        assert_eq!(e.bands[3].to, None);
    }

    #[test]
    fn item_tier_of_45() {
        let e = estimate(FeeMethod::PerItem, 45);
        assert_eq!(e.fee_yuan, 300);
        assert_eq!(
            e.bands,
            [FeeBand {
                from: 41,
                to: Some(50),
                unit_yuan: 300,
                count: 1,
                subtotal: 300
            }]
        );
        assert_eq!(estimate(FeeMethod::PerItem, 0).bands, []);
    }

    #[test]
    fn extremes_do_not_overflow() {
        assert_eq!(per_item_fee(u32::MAX), 100 * (2 + u64::from((u32::MAX - 31) / 10)));
        assert_eq!(per_page_fee(u32::MAX), 700 + 2000 + 40 * u64::from(u32::MAX - 200));
    }
}
