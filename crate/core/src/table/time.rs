//! Calendar arithmetic for Arrow dates and timestamps (UTC), without a date-time dependency,
//! and reading times written as text or numbers (ISO 8601, US dates, epoch values, FILETIME).

use arrow_schema::TimeUnit;

/// `(year, month, day)` of a day count since 1970-01-01 (proleptic Gregorian; Howard
/// Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` of an Arrow `Date32` (days since the epoch).
pub fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// ISO 8601 in UTC, with as many fraction digits as the unit has:
/// `2019-02-10T15:21:06.890Z` for milliseconds.
pub fn format_timestamp(value: i64, unit: TimeUnit) -> String {
    let (per_second, digits) = match unit {
        TimeUnit::Second => (1, 0),
        TimeUnit::Millisecond => (1_000, 3),
        TimeUnit::Microsecond => (1_000_000, 6),
        TimeUnit::Nanosecond => (1_000_000_000, 9),
    };
    let seconds = value.div_euclid(per_second);
    let fraction = value.rem_euclid(per_second);
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let (h, mi, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let date = format_date(days);
    if digits == 0 {
        format!("{date}T{h:02}:{mi:02}:{s:02}Z")
    } else {
        format!("{date}T{h:02}:{mi:02}:{s:02}.{fraction:0digits$}Z")
    }
}

impl super::Value {
    /// This value as a time, ns since the epoch (UTC), read as [`timestamps_ns`] reads a
    /// column: a `Date`, ISO 8601 text, or an epoch number in s, ms, µs or ns by magnitude.
    pub fn timestamp_ns(&self) -> Option<i64> {
        match self {
            super::Value::Date(ms) => epoch_ns_of_ms(*ms),
            super::Value::Text(t) => parse_iso_ns(t),
            super::Value::Number(n) => epoch_ns(*n),
            super::Value::Int(i) => i.checked_mul(epoch_scale(i.unsigned_abs() as f64)),
            super::Value::Null | super::Value::Bool(_) => None,
        }
    }
}

fn epoch_ns_of_ms(ms: f64) -> Option<i64> {
    let ns = (ms * 1e6).round();
    (ms.is_finite() && ns.abs() < 9.2e18).then_some(ns as i64)
}

/// Windows FILETIME (100 ns since 1601-01-01) of 1970-01-01 and of 2100-01-01.
const FILETIME_1970: f64 = 116_444_736_000_000_000.0;
const FILETIME_2100: f64 = 157_469_184_000_000_000.0;

/// An epoch number in s, ms, µs or ns (by magnitude) as ns; a Windows FILETIME of 1970–2099
/// (read as ns it would fall in 1973–1974, which no log holds).
pub(crate) fn epoch_ns(v: f64) -> Option<i64> {
    if !v.is_finite() {
        return None;
    }
    if (FILETIME_1970..FILETIME_2100).contains(&v) {
        // Exact in integers: FILETIMEs of these years are below 2^63 / 100.
        let ticks = v as i64 - FILETIME_1970 as i64;
        return ticks.checked_mul(100);
    }
    let a = v.abs();
    let scale = epoch_scale(a);
    if v.fract() == 0.0 && a < 9.0e15 {
        // Integral: exact in integers (f64 products lose the low digits).
        return (v as i64).checked_mul(scale);
    }
    let ns = (v * scale as f64).round();
    (ns.abs() < 9.2e18).then_some(ns as i64)
}

/// ns per unit of an epoch number of magnitude `a`: seconds below 10^11, then ms, µs, ns.
fn epoch_scale(a: f64) -> i64 {
    if a < 1e11 {
        1_000_000_000
    } else if a < 1e14 {
        1_000_000
    } else if a < 1e17 {
        1_000
    } else {
        1
    }
}

/// A time as text in the forms logs write, as UTC nanoseconds: ISO 8601 ([`parse_iso_ns`]),
/// US `M/D/YYYY h:mm[:ss[.fff]] [AM|PM]` (Windows Event Viewer and CSV exports), or an epoch
/// number written as text (read as [`timestamps_ns`] reads numbers).
pub fn parse_time_ns(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Some(ns) = parse_iso_ns(t).or_else(|| parse_us_ns(t)) {
        return Some(ns);
    }
    let digits = t.strip_prefix('-').unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return epoch_ns(t.parse().ok()?);
    }
    None
}

/// `M/D/YYYY[ h:mm[:ss[.fraction]][ AM|PM]]` (12- or 24-hour) as UTC nanoseconds.
fn parse_us_ns(t: &str) -> Option<i64> {
    let (date, time) = t.split_once(' ').unwrap_or((t, ""));
    let mut d = date.split('/');
    let (mo, day, y): (i64, i64, i64) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    if d.next().is_some() || !(1000..=9999).contains(&y) || !(1..=12).contains(&mo) {
        return None;
    }
    if !(1..=31).contains(&day) {
        return None;
    }
    let time = time.trim();
    let (clock, half) = match time.rsplit_once(' ') {
        Some((c, h)) if h.eq_ignore_ascii_case("AM") || h.eq_ignore_ascii_case("PM") => {
            (c.trim(), Some(h.eq_ignore_ascii_case("PM")))
        }
        _ => (time, None),
    };
    let (mut h, mut mi, mut sec, mut frac) = (0i64, 0i64, 0i64, 0i64);
    if !clock.is_empty() {
        let mut parts = clock.split(':');
        h = parts.next()?.parse().ok()?;
        mi = parts.next()?.parse().ok()?;
        if let Some(s) = parts.next() {
            let (whole, f) = s.split_once('.').unwrap_or((s, ""));
            sec = whole.parse().ok()?;
            if !f.is_empty() {
                if !f.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let kept = &f[..f.len().min(9)];
                frac = kept.parse::<i64>().ok()? * 10i64.pow((9 - kept.len()) as u32);
            }
        }
        if parts.next().is_some() {
            return None;
        }
    }
    match half {
        Some(pm) if (1..=12).contains(&h) => h = h % 12 + if pm { 12 } else { 0 },
        Some(_) => return None,
        None => {}
    }
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let days = super::time::days_from_civil(y, mo as u32, day as u32);
    (days * 86_400 + h * 3600 + mi * 60 + sec)
        .checked_mul(1_000_000_000)?
        .checked_add(frac)
}

/// Parses `YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|±HH[:]MM]` as UTC nanoseconds.
pub fn parse_iso_ns(text: &str) -> Option<i64> {
    let t = text.trim().as_bytes();
    let num = |s: &[u8]| -> Option<i64> {
        if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(s).ok()?.parse().ok()
    };
    if t.len() < 10 || t[4] != b'-' || t[7] != b'-' {
        return None;
    }
    let (y, mo, d) = (num(&t[0..4])?, num(&t[5..7])?, num(&t[8..10])?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let mut rest = &t[10..];
    let (mut h, mut mi, mut sec, mut frac) = (0, 0, 0, 0i64);
    if let Some((&sep, r)) = rest.split_first()
        && (sep == b'T' || sep == b' ')
    {
        if r.len() < 5 || r[2] != b':' {
            return None;
        }
        h = num(&r[0..2])?;
        mi = num(&r[3..5])?;
        rest = &r[5..];
        if rest.first() == Some(&b':') {
            sec = num(rest.get(1..3)?)?;
            rest = &rest[3..];
            if rest.first() == Some(&b'.') {
                let digits = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
                let kept = digits.min(9);
                frac = num(&rest[1..1 + kept])? * 10i64.pow((9 - kept) as u32);
                rest = &rest[1 + digits..];
            }
        }
    }
    let offset_s = match rest {
        [] | [b'Z'] | [b'z'] => 0,
        [sign @ (b'+' | b'-'), tz @ ..] => {
            let tz: Vec<u8> = tz.iter().copied().filter(|&b| b != b':').collect();
            if tz.len() != 4 {
                return None;
            }
            let secs = num(&tz[0..2])? * 3600 + num(&tz[2..4])? * 60;
            if *sign == b'+' { secs } else { -secs }
        }
        _ => return None,
    };
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let days = super::time::days_from_civil(y, mo as u32, d as u32);
    let secs = days * 86_400 + h * 3600 + mi * 60 + sec - offset_s;
    secs.checked_mul(1_000_000_000)?.checked_add(frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times() {
        assert_eq!(format_date(0), "1970-01-01");
        assert_eq!(format_date(-1), "1969-12-31");
        assert_eq!(format_date(11_016), "2000-02-29");
        for days in [-800_000, -1, 0, 59, 11_016, 19_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(
            format_timestamp(1_636_601_188_109_885, TimeUnit::Microsecond),
            "2021-11-11T03:26:28.109885Z"
        );
        assert_eq!(
            format_timestamp(-1, TimeUnit::Second),
            "1969-12-31T23:59:59Z"
        );
        assert_eq!(
            format_timestamp(-1, TimeUnit::Nanosecond),
            "1969-12-31T23:59:59.999999999Z"
        );
    }
}
