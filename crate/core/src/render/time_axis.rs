//! A UTC time axis: ticks from microseconds to years for any visible span, labelled with
//! Bokeh's `DatetimeTickFormatter` formats (MSTICPy's timelines use its defaults), and time
//! text for tooltips.
//!
//! About `target` ticks are laid out at a "nice" step (1-2-5 below a second; 1, 2, 5, 10, 15,
//! 30 s and min; 1, 2, 3, 6, 12 h; 1, 2, 7 days; 1, 2, 3, 6 months on the 1st; 1-2-5 years). The
//! label format follows the step (resolution): `%H:%M:%S.%3N` for milliseconds, `%H:%M:%S` for
//! seconds (`:%M:%S` once the span reaches a minute), `%H:%M` for minutes past an hour of span,
//! `%m-%d %H:%M` for days, `%m/%Y` for months, `%Y` for years. A tick on a coarser boundary is
//! labelled coarser (boundary scaling): midnight shows its date, the 1st of January its year.

use crate::table::time::civil_from_days;

const MS_PER_S: f64 = 1_000.0;
const MS_PER_MIN: f64 = 60_000.0;
const MS_PER_H: f64 = 3_600_000.0;
const MS_PER_DAY: f64 = 86_400_000.0;

/// A tick: its time (ms since the epoch, UTC) and label.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// The time, ms.
    pub ms: f64,
    /// The label.
    pub label: String,
}

/// How fine the ticks are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Resolution {
    Microseconds,
    Milliseconds,
    Seconds,
    Minutes,
    Hours,
    Days,
    Months,
    Years,
}

/// Steps below a month, ms.
const STEPS: [f64; 39] = [
    0.001,
    0.002,
    0.005,
    0.01,
    0.02,
    0.05,
    0.1,
    0.2,
    0.5, //
    1.0,
    2.0,
    5.0,
    10.0,
    20.0,
    50.0,
    100.0,
    200.0,
    500.0, //
    MS_PER_S,
    2.0 * MS_PER_S,
    5.0 * MS_PER_S,
    10.0 * MS_PER_S,
    15.0 * MS_PER_S,
    30.0 * MS_PER_S, //
    MS_PER_MIN,
    2.0 * MS_PER_MIN,
    5.0 * MS_PER_MIN,
    10.0 * MS_PER_MIN,
    15.0 * MS_PER_MIN,
    30.0 * MS_PER_MIN, //
    MS_PER_H,
    2.0 * MS_PER_H,
    3.0 * MS_PER_H,
    6.0 * MS_PER_H,
    12.0 * MS_PER_H, //
    MS_PER_DAY,
    2.0 * MS_PER_DAY,
    7.0 * MS_PER_DAY,
    14.0 * MS_PER_DAY,
];

/// Month steps.
const MONTH_STEPS: [i64; 4] = [1, 2, 3, 6];

fn resolution(step_ms: f64) -> Resolution {
    // Bokeh judges the resolution from the tick spacing × 1.1.
    let s = step_ms * 1.1;
    if s < 1.0 {
        Resolution::Microseconds
    } else if s < MS_PER_S {
        Resolution::Milliseconds
    } else if s < MS_PER_MIN {
        Resolution::Seconds
    } else if s < MS_PER_H {
        Resolution::Minutes
    } else if s < MS_PER_DAY {
        Resolution::Hours
    } else if s < 30.0 * MS_PER_DAY {
        Resolution::Days
    } else if s < 365.0 * MS_PER_DAY {
        Resolution::Months
    } else {
        Resolution::Years
    }
}

/// `ms` as ns, rounded to a multiple of `unit_ns` (a float's ms are exact only to ~0.25 µs
/// at today's dates, so the fraction is converted on its own).
fn ns_of(ms: f64, unit_ns: i64) -> i64 {
    let whole = ms.floor();
    let frac_ns = ((ms - whole) * 1e6).round() as i64;
    let ns = whole as i64 * 1_000_000 + frac_ns;
    (ns + unit_ns / 2).div_euclid(unit_ns) * unit_ns
}

/// The parts of a UTC time in ns: (year, month, day, hour, minute, second, nanosecond).
fn parts_ns(ns: i64) -> (i64, u32, u32, u32, u32, u32, u32) {
    let day_ns: i64 = 86_400_000_000_000;
    let days = ns.div_euclid(day_ns);
    let rem = ns.rem_euclid(day_ns);
    let (y, mo, d) = civil_from_days(days);
    let secs = rem / 1_000_000_000;
    let nanos = (rem % 1_000_000_000) as u32;
    (
        y,
        mo,
        d,
        (secs / 3600) as u32,
        (secs % 3600 / 60) as u32,
        (secs % 60) as u32,
        nanos,
    )
}

/// The parts of a UTC time in ms, rounded to the microsecond.
fn parts(ms: f64) -> (i64, u32, u32, u32, u32, u32, u32) {
    parts_ns(ns_of(ms, 1_000))
}

/// `2019-02-10 15:21:06.890`: a time (ns since the epoch) to the millisecond, UTC (MSTICPy's
/// tooltip format `%F %T.%3N`, which truncates).
pub fn format_time_ns(ns: i64) -> String {
    let (y, mo, d, h, mi, s, n) = parts_ns(ns);
    format!(
        "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.{:03}",
        n / 1_000_000
    )
}

/// [`format_time_ns`] of a time in ms, rounded to the microsecond first.
pub fn format_time_ms(ms: f64) -> String {
    format_time_ns(ns_of(ms, 1_000))
}

fn label(ms: f64, res: Resolution, span_ms: f64) -> String {
    let (y, mo, d, h, mi, s, ns) = parts(ms);
    // Boundary scaling: a tick where the finer fields are zero takes a coarser format.
    let mut res = res;
    if res < Resolution::Days && (h, mi, s, ns) == (0, 0, 0, 0) {
        res = Resolution::Days;
    }
    if res == Resolution::Days && d == 1 && (h, mi) == (0, 0) && span_ms > 20.0 * MS_PER_DAY {
        res = Resolution::Months;
    }
    if res == Resolution::Months && mo == 1 {
        res = Resolution::Years;
    }
    match res {
        Resolution::Microseconds => format!("{h:02}:{mi:02}:{s:02}.{:06}", ns / 1_000),
        Resolution::Milliseconds => format!("{h:02}:{mi:02}:{s:02}.{:03}", ns / 1_000_000),
        Resolution::Seconds if span_ms >= MS_PER_MIN => format!(":{mi:02}:{s:02}"),
        Resolution::Seconds => format!("{h:02}:{mi:02}:{s:02}"),
        Resolution::Minutes if span_ms >= MS_PER_H => format!("{h:02}:{mi:02}"),
        Resolution::Minutes | Resolution::Hours => format!("{h:02}:{mi:02}:{s:02}"),
        Resolution::Days => format!("{mo:02}-{d:02} {h:02}:{mi:02}"),
        Resolution::Months => format!("{mo:02}/{y}"),
        Resolution::Years => format!("{y}"),
    }
}

/// Ticks for the span `start_ms`..`end_ms` (about `target` of them), with labels, and the
/// step between them in ms (months and years: the average).
pub fn ticks(start_ms: f64, end_ms: f64, target: usize) -> (Vec<Tick>, f64) {
    let span = end_ms - start_ms;
    if !(span.is_finite() && span > 0.0) {
        return (Vec::new(), 0.0);
    }
    let target = target.max(2) as f64;
    let wanted = span / target;
    if let Some(&step) = STEPS.iter().find(|&&s| s >= wanted) {
        let res = resolution(step);
        let first = (start_ms / step).ceil() * step;
        let ticks = (0..)
            .map(|k| first + k as f64 * step)
            .take_while(|&t| t <= end_ms)
            .take(200)
            .map(|t| Tick {
                ms: t,
                label: label(t, res, span),
            })
            .collect();
        return (ticks, step);
    }
    // Months, then years: calendar ticks on the 1st.
    let months_wanted = wanted / (30.44 * MS_PER_DAY);
    let (step_months, res) = match MONTH_STEPS.iter().find(|&&m| m as f64 >= months_wanted) {
        Some(&m) => (m, Resolution::Months),
        None => {
            let years = months_wanted / 12.0;
            let mut y = 1i64;
            for m in [1, 2, 5].iter().cycle().scan(1i64, |scale, &m| {
                let v = m * *scale;
                if m == 5 {
                    *scale *= 10;
                }
                Some(v)
            }) {
                y = m;
                if m as f64 >= years {
                    break;
                }
            }
            (12 * y, Resolution::Years)
        }
    };
    let (y0, m0, _, _, _, _, _) = parts(start_ms);
    let mut month_index = y0 * 12 + i64::from(m0) - 1;
    month_index = month_index.div_euclid(step_months) * step_months;
    let mut out = Vec::new();
    while out.len() < 200 {
        let (y, m) = (
            month_index.div_euclid(12),
            (month_index.rem_euclid(12) + 1) as u32,
        );
        let ms = crate::table::time::days_from_civil(y, m, 1) as f64 * MS_PER_DAY;
        if ms > end_ms {
            break;
        }
        if ms >= start_ms {
            out.push(Tick {
                ms,
                label: label(ms, res, span),
            });
        }
        month_index += step_months;
    }
    (out, step_months as f64 * 30.44 * MS_PER_DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: f64 = 1_549_812_066_890.0; // 2019-02-10 15:21:06.890 UTC

    fn labels(start: f64, end: f64) -> Vec<String> {
        ticks(start, end, 6)
            .0
            .into_iter()
            .map(|t| t.label)
            .collect()
    }

    #[test]
    fn tooltip_time() {
        assert_eq!(format_time_ms(T), "2019-02-10 15:21:06.890");
        assert_eq!(format_time_ms(-1.0), "1969-12-31 23:59:59.999");
        assert_eq!(
            format_time_ns(1_549_812_066_890_999_999),
            "2019-02-10 15:21:06.890"
        );
    }

    #[test]
    fn every_resolution() {
        // 5 µs span: µs steps.
        assert_eq!(labels(T, T + 0.005)[0], "15:21:06.890000");
        // Half a second: ms.
        assert_eq!(labels(T, T + 500.0)[..2], ["15:21:06.900", "15:21:07.000"]);
        // 20 s: seconds.
        assert_eq!(labels(T, T + 20_000.0)[0], "15:21:10");
        // 3 minutes: seconds, minute-and-second form.
        assert_eq!(labels(T, T + 180_000.0)[0], ":21:30");
        // 3 hours: minutes, hour-and-minute form.
        assert_eq!(labels(T, T + 3.0 * MS_PER_H)[0], "15:30");
        // A day: hours (6 h steps); midnight shows its date.
        let l = labels(T, T + MS_PER_DAY);
        assert_eq!(l, ["18:00:00", "02-11 00:00", "06:00:00", "12:00:00"]);
        // 3 weeks: days.
        assert_eq!(labels(T, T + 21.0 * MS_PER_DAY)[0], "02-14 00:00");
        // A year: months on the 1st; January shows its year.
        let l = labels(T, T + 365.0 * MS_PER_DAY);
        assert_eq!(l[..2], ["03/2019", "05/2019"]);
        assert!(l.contains(&"2020".to_owned()));
        // 30 years: years.
        let l = labels(T, T + 30.0 * 365.25 * MS_PER_DAY);
        assert_eq!(l[0], "2020");
        assert!(l.len() >= 3 && l.len() <= 8, "{l:?}");
    }

    #[test]
    fn about_target_ticks_whatever_the_span() {
        for span in [
            0.004, 0.3, 7.0, 900.0, 4e4, 7e5, 9e6, 5e7, 3e8, 4e9, 9e10, 5e11, 3e12,
        ] {
            let (t, step) = ticks(T, T + span, 6);
            assert!(
                (2..=13).contains(&t.len()),
                "span {span}: {} ticks",
                t.len()
            );
            assert!(step > 0.0);
            assert!(t.windows(2).all(|w| w[1].ms > w[0].ms));
        }
        assert!(ticks(T, T, 6).0.is_empty());
    }
}
