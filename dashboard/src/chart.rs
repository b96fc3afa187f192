//! The overview's chart of paid sessions per day, drawn by the app as SVG.
//!
//! A chart library would cost more wasm than the whole overview page, for 30
//! rectangles. The geometry is integers in a fixed `viewBox` (CSS scales it to
//! the width of the page), so that no float formatting code is linked in, and
//! it is computed by a pure function that is tested natively.

use checkout_api::dashboard::Day;
use checkout_core::time::UnixSeconds;
use leptos::prelude::*;

use crate::format;

/// The drawing's coordinate space.
pub const WIDTH: u32 = 600;
pub const HEIGHT: u32 = 120;
/// Room under the bars (none: the axis is the drawing's bottom edge).
const AXIS: u32 = 0;
/// Room above the tallest bar.
const TOP: u32 = 4;

/// One day's bar, in `viewBox` units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    /// The day's start (00:00 UTC).
    pub day: UnixSeconds,
    pub paid: u64,
}

/// Bars for `days`, oldest on the left, scaled so that the busiest day fills the
/// height. A day with any paid session gets at least 2 units, so that it never
/// looks like a day with none.
pub fn bars(days: &[Day]) -> Vec<Bar> {
    if days.is_empty() {
        return Vec::new();
    }
    let plot = HEIGHT - AXIS - TOP;
    let slot = WIDTH / days.len() as u32;
    let width = (slot * 3 / 4).max(1);
    let max = days.iter().map(|d| d.paid).max().unwrap_or(0).max(1);
    days.iter()
        .enumerate()
        .map(|(i, d)| {
            let scaled = (d.paid.saturating_mul(u64::from(plot)) / max) as u32;
            let height = if d.paid > 0 { scaled.max(2) } else { 0 };
            Bar {
                x: i as u32 * slot + (slot - width) / 2,
                y: TOP + plot - height,
                width,
                height,
                day: d.day,
                paid: d.paid,
            }
        })
        .collect()
}

/// What the chart shows, as one sentence for screen readers.
pub fn summary(days: &[Day]) -> String {
    let total: u64 = days.iter().map(|d| d.paid).sum();
    let mut text = format!(
        "Paid sessions per day over the last {} days (UTC): {} in total",
        days.len(),
        total
    );
    if let Some(best) = days.iter().filter(|d| d.paid > 0).max_by_key(|d| d.paid) {
        text.push_str(&format!(
            ", most on {} ({})",
            format::short_day(best.day),
            best.paid
        ));
    }
    if let Some(today) = days.last() {
        text.push_str(&format!(", today {}", today.paid));
    }
    text.push('.');
    text
}

/// The chart: bars with a tooltip each, drawn to the page's width at a fixed
/// height (`preserveAspectRatio="none"` stretches the bars, never text); the
/// first, middle and last day and the busiest day are HTML text under it, so
/// that they stay readable at any width.
#[component]
pub fn PaidChart(days: Vec<Day>) -> impl IntoView {
    let label = summary(&days);
    let peak = days
        .iter()
        .filter(|d| d.paid > 0)
        .max_by_key(|d| d.paid)
        .map(|d| {
            format!(
                "Busiest day: {} ({} paid)",
                format::short_day(d.day),
                d.paid
            )
        })
        .unwrap_or_else(|| "No paid sessions in these 30 days".into());
    let ticks: Vec<String> = [0, days.len() / 2, days.len().saturating_sub(1)]
        .into_iter()
        .filter_map(|i| days.get(i).map(|d| format::short_day(d.day)))
        .collect();
    let bars = bars(&days);
    view! {
        <figure class="chart">
            <figcaption>"Paid sessions per day, last 30 days (UTC)"</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") preserveAspectRatio="none" role="img" aria-label=label>
                {bars
                    .into_iter()
                    .map(|b| {
                        let tip = format!("{}: {} paid", format::day(b.day), b.paid);
                        view! {
                            <rect
                                class="bar"
                                x=b.x.to_string()
                                y=b.y.to_string()
                                width=b.width.to_string()
                                height=b.height.to_string()
                            >
                                <title>{tip}</title>
                            </rect>
                        }
                    })
                    .collect_view()}
            </svg>
            <div class="ticks" aria-hidden="true">
                {ticks.into_iter().map(|t| view! { <span>{t}</span> }).collect_view()}
            </div>
            <p class="sub">{peak}</p>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkout_core::time::DAY;

    fn days(paid: &[u64]) -> Vec<Day> {
        paid.iter()
            .enumerate()
            .map(|(i, &p)| Day {
                day: UnixSeconds(1_700_000_000)
                    .start_of_day()
                    .plus(i as i64 * DAY),
                paid: p,
            })
            .collect()
    }

    #[test]
    fn the_busiest_day_fills_the_plot_and_empty_days_draw_nothing() {
        let mut counts = vec![0; 30];
        counts[10] = 4;
        counts[29] = 1;
        counts[3] = 400;
        let bars = bars(&days(&counts));
        assert_eq!(bars.len(), 30);
        let plot = HEIGHT - AXIS - TOP;
        assert_eq!(bars[3].height, plot);
        assert_eq!(bars[3].y, TOP);
        assert_eq!(bars[0].height, 0);
        // 1 of 400 would round to 0 units: it still shows.
        assert_eq!(bars[29].height, 2);
        // Every bar stands on the axis and stays inside the drawing.
        for b in &bars {
            assert_eq!(b.y + b.height, HEIGHT - AXIS);
            assert!(b.x + b.width <= WIDTH);
        }
        // Left to right, oldest first, evenly spaced.
        assert!(bars.windows(2).all(|w| w[1].x - w[0].x == WIDTH / 30));
    }

    #[test]
    fn no_days_no_bars_and_all_zero_days_are_flat() {
        assert!(bars(&[]).is_empty());
        assert!(bars(&days(&[0; 30])).iter().all(|b| b.height == 0));
    }

    #[test]
    fn the_summary_names_the_total_the_peak_and_today() {
        let mut counts = vec![0; 30];
        counts[5] = 3;
        counts[29] = 2;
        let text = summary(&days(&counts));
        assert!(text.starts_with(
            "Paid sessions per day over the last 30 days (UTC): 5 in total, most on "
        ));
        assert!(text.ends_with("(3), today 2."), "{text}");
        assert_eq!(
            summary(&days(&[0, 0])),
            "Paid sessions per day over the last 2 days (UTC): 0 in total, today 0."
        );
    }
}
