//! Server-rendered bar charts (inline SVG) for the task dashboard:
//! completion by unit and overdue entries by month. Each chart has a
//! `<title>` and `<desc>` and the page shows the same figures in a table,
//! so screen readers and text-only browsers lose nothing (GB/T 37668).
//! What it is not for: anything interactive; there is no script.

use std::fmt::Write;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One bar: a label, the filled part and the whole (for a share), or a
/// count when `total` is `None`.
pub struct Bar {
    pub label: String,
    pub value: u64,
    pub total: Option<u64>,
}

/// Horizontal bars: one row per label, the share (value of total) or the
/// count drawn against the largest.
pub fn horizontal_bars(id: &str, title: &str, bars: &[Bar]) -> String {
    const ROW: u32 = 22;
    const LABEL: u32 = 150;
    const WIDTH: u32 = 560;
    let plot = WIDTH - LABEL - 70;
    let height = ROW * bars.len().max(1) as u32 + 10;
    let max = bars.iter().map(|b| b.total.unwrap_or(b.value)).max().unwrap_or(0).max(1);
    let mut s = String::with_capacity(200 + bars.len() * 300);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(&describe(bars))
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 5 + ROW * i as u32;
        let whole = b.total.unwrap_or(max);
        let full = (u64::from(plot) * whole / max) as u32;
        let filled = if whole == 0 {
            0
        } else {
            (u64::from(plot) * b.value.min(whole) / max) as u32
        };
        let figure = match b.total {
            Some(t) if t > 0 => format!("{}/{} {}%", b.value, t, b.value * 100 / t),
            Some(_) => "0".to_owned(),
            None => b.value.to_string(),
        };
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#222">{}</text><rect x="{LABEL}" y="{}" width="{full}" height="14" fill="#e3e8ef"/><rect x="{LABEL}" y="{}" width="{filled}" height="14" fill="#1f5fa8"/><text x="{}" y="{}" font-size="11" fill="#222">{}</text>"##,
            LABEL - 6,
            y + 12,
            esc(&shorten(&b.label, 11)),
            y + 1,
            y + 1,
            LABEL + full + 4,
            y + 12,
            figure
        );
    }
    s.push_str("</svg>");
    s
}

/// Vertical bars for a series of months.
pub fn column_bars(id: &str, title: &str, bars: &[Bar]) -> String {
    const HEIGHT: u32 = 180;
    const COL: u32 = 38;
    let width = (COL * bars.len().max(1) as u32 + 20).max(200);
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let plot = HEIGHT - 40;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 {width} {HEIGHT}" width="100%" preserveAspectRatio="xMinYMin meet"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(&describe(bars))
    );
    for (i, b) in bars.iter().enumerate() {
        let x = 10 + COL * i as u32;
        let h = (u64::from(plot) * b.value / max) as u32;
        let _ = write!(
            s,
            r##"<rect x="{}" y="{}" width="{}" height="{h}" fill="#b3261e"/><text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#222">{}</text><text x="{}" y="{}" text-anchor="middle" font-size="10" fill="#222">{}</text>"##,
            x + 4,
            20 + plot - h,
            COL - 8,
            x + COL / 2,
            16 + plot - h,
            b.value,
            x + COL / 2,
            HEIGHT - 8,
            esc(&b.label)
        );
    }
    s.push_str("</svg>");
    s
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(n - 1).collect();
        out.push('…');
        out
    }
}

fn describe(bars: &[Bar]) -> String {
    if bars.is_empty() {
        return "暂无数据".to_owned();
    }
    bars.iter()
        .map(|b| match b.total {
            Some(t) => format!("{}：{}/{}", b.label, b.value, t),
            None => format!("{}：{}", b.label, b.value),
        })
        .collect::<Vec<_>>()
        .join("；")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_and_escaped() {
        let bars = vec![
            Bar {
                label: "县财政局<甲>".into(),
                value: 3,
                total: Some(4),
            },
            Bar {
                label: "县教委".into(),
                value: 0,
                total: Some(2),
            },
        ];
        let svg = horizontal_bars("c1", "完成情况", &bars);
        assert!(svg.contains("县财政局&lt;甲&gt;"));
        assert!(svg.contains("3/4 75%"));
        // The plot is 340 wide; 4 is the longest whole, 3 of it is 255.
        assert!(svg.contains(r#"width="255""#), "{svg}");
        assert!(svg.contains(r#"width="170""#), "half-length whole for 2 of 4");
        assert!(svg.contains("<desc id=\"c1-d\">县财政局&lt;甲&gt;：3/4；县教委：0/2</desc>"));
        let cols = column_bars(
            "c2",
            "逾期",
            &[
                Bar {
                    label: "2021-06".into(),
                    value: 5,
                    total: None,
                },
                Bar {
                    label: "2021-07".into(),
                    value: 0,
                    total: None,
                },
            ],
        );
        assert!(cols.contains(r#"height="140""#) && cols.contains(r#"height="0""#));
        assert!(column_bars("c3", "逾期", &[]).contains("暂无数据"));
    }
}
