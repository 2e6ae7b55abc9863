//! Compact text for trees: hosts, names and key parts are stored once per distinct string and
//! nodes hold 32-bit ids; PIDs written as canonical numbers are kept as their value
//! ([`PidText`]). A million-node tree costs no allocation per node, and identities compare as
//! integers.

use std::borrow::Cow;

use crate::hash::HashMap;

use crate::table::Categories;

/// "No value" as a string id.
pub(super) const NONE: u32 = u32::MAX;

/// Interned strings of a built tree: one arena, ids in insertion order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Strings {
    text: String,
    ends: Vec<usize>,
}

impl Strings {
    /// The string with this id (`None` for [`NONE`]).
    pub fn get(&self, id: u32) -> Option<&str> {
        let i = usize::try_from(id).ok()?;
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }
}

/// Assigns ids to strings borrowed from the build's inputs (labels of the encoded columns),
/// one per distinct string.
#[derive(Default)]
pub(super) struct Interner<'a> {
    ids: HashMap<&'a str, u32>,
    owned_ids: HashMap<String, u32>,
    list: Vec<Cow<'a, str>>,
}

impl<'a> Interner<'a> {
    /// The id of `s`.
    pub fn id(&mut self, s: &'a str) -> u32 {
        let next = self.list.len() as u32;
        *self.ids.entry(s).or_insert_with(|| {
            self.list.push(Cow::Borrowed(s));
            next
        })
    }

    /// The id of a string made during the build (rare: odd PIDs).
    pub fn id_owned(&mut self, s: String) -> u32 {
        if let Some(&id) = self.ids.get(s.as_str()) {
            return id;
        }
        let next = self.list.len() as u32;
        *self.owned_ids.entry(s).or_insert_with_key(|s| {
            self.list.push(Cow::Owned(s.clone()));
            next
        })
    }

    /// Stores `strings` without looking for equal ones (text only shown, never compared) and
    /// returns their ids, in order.
    pub fn raw<S: AsRef<str> + 'a>(&mut self, strings: &'a [S]) -> Vec<u32> {
        let base = self.list.len() as u32;
        self.list
            .extend(strings.iter().map(|s| Cow::Borrowed(s.as_ref())));
        (base..self.list.len() as u32).collect()
    }

    /// The ids of `strings`, in order (per distinct value of a column: its labels).
    pub fn ids<S: AsRef<str> + 'a>(&mut self, strings: &'a [S]) -> Vec<u32> {
        strings.iter().map(|s| self.id(s.as_ref())).collect()
    }

    /// Copies the strings into an arena owned by the tree.
    pub fn finish(self) -> Strings {
        let mut text = String::with_capacity(self.list.iter().map(|s| s.len()).sum());
        let ends = self
            .list
            .iter()
            .map(|s| {
                text.push_str(s);
                text.len()
            })
            .collect();
        Strings { text, ends }
    }
}

/// A column's values as string ids: `ids[codes[row]]`, [`NONE`] for null.
pub(super) struct IdColumn<'c> {
    pub codes: &'c [u32],
    pub ids: Vec<u32>,
}

impl IdColumn<'_> {
    /// Row `r`'s id.
    pub fn at(&self, r: usize) -> u32 {
        self.codes
            .get(r)
            .and_then(|&c| self.ids.get(c as usize))
            .copied()
            .unwrap_or(NONE)
    }
}

/// The rows of `c` as ids of `labels` (`c`'s labels or strings made from them, one per code).
pub(super) fn id_column<'c, S: AsRef<str> + 'c>(
    interner: &mut Interner<'c>,
    c: &'c Categories,
    labels: &'c [S],
) -> IdColumn<'c> {
    IdColumn {
        codes: &c.codes,
        ids: interner.ids(labels),
    }
}

/// `s` lower-cased, borrowed when it already is.
pub(super) fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

/// `labels` lower-cased, borrowing those that already are.
pub(super) fn lowered(labels: &[String]) -> Vec<Cow<'_, str>> {
    labels.iter().map(|l| lower(l)).collect()
}

/// A PID's text as a key part, without a string: decimal (`420`) and `0x` lower-case hex
/// (`0x1a4`) written the canonical way are kept as their value (equal text ⇔ equal value),
/// any other text as an interned id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct PidText(u64);

impl PidText {
    const TAG: u64 = 3 << 62;
    const DEC: u64 = 0;
    const HEX: u64 = 1 << 62;
    const ID: u64 = 2 << 62;
    /// No PID.
    pub const NONE: PidText = PidText(u64::MAX);

    /// The key part of `s`, interning it only when it is not a canonical number.
    pub fn of<'a>(s: &'a str, interner: &mut Interner<'a>) -> PidText {
        Self::number(s).unwrap_or_else(|| PidText(Self::ID | u64::from(interner.id(s))))
    }

    /// [`PidText::of`] for text that may have been made during the build.
    pub fn of_cow<'a>(s: Cow<'a, str>, interner: &mut Interner<'a>) -> PidText {
        match s {
            Cow::Borrowed(b) => Self::of(b, interner),
            Cow::Owned(o) => Self::number(&o)
                .unwrap_or_else(|| PidText(Self::ID | u64::from(interner.id_owned(o)))),
        }
    }

    /// The key part of an integer PID (its decimal text).
    pub fn int(v: i128, interner: &mut Interner<'_>) -> PidText {
        match u64::try_from(v) {
            Ok(u) if u < Self::HEX => PidText(Self::DEC | u),
            _ => PidText(Self::ID | u64::from(interner.id_owned(v.to_string()))),
        }
    }

    /// The text as an owned string (`None` for [`PidText::NONE`]).
    pub fn text(self, strings: &Strings) -> Option<String> {
        let mut out = String::new();
        self.push(strings, &mut out).then_some(out)
    }

    /// The value and key part of a canonically written number (the common case, parsed once).
    pub fn canonical(s: &str) -> Option<(u64, PidText)> {
        let p = Self::number(s)?;
        Some((p.0 & !Self::TAG, p))
    }

    fn number(s: &str) -> Option<PidText> {
        let b = s.as_bytes();
        let (digits, hex) = match b {
            [b'0', b'x', rest @ ..] => (rest, true),
            _ => (b, false),
        };
        if digits.is_empty() || digits.len() > 15 || (digits[0] == b'0' && digits.len() > 1) {
            return None;
        }
        let mut v: u64 = 0;
        for &d in digits {
            let x = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' if hex => d - b'a' + 10,
                _ => return None,
            };
            v = v * if hex { 16 } else { 10 } + u64::from(x);
        }
        Some(PidText(if hex { Self::HEX } else { Self::DEC } | v))
    }

    /// Appends the text (false for [`PidText::NONE`]).
    pub fn push(self, strings: &Strings, out: &mut String) -> bool {
        let value = self.0 & !Self::TAG;
        match self.0 & Self::TAG {
            _ if self == Self::NONE => return false,
            Self::DEC => push_padded(out, value, 1),
            Self::HEX => {
                out.push_str("0x");
                let digits = format!("{value:x}");
                out.push_str(&digits);
            }
            _ => match strings.get(value as u32) {
                Some(t) => out.push_str(t),
                None => return false,
            },
        }
        true
    }
}

/// A process key (`name|pid|time`) as ids and the time in 10 µs steps: equal keys have equal
/// text. `name == NONE` means no key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Key {
    pub name: u32,
    pub pid: PidText,
    pub t10: i64,
}

impl Key {
    /// No key (a part was missing).
    pub const MISSING: Key = Key {
        name: NONE,
        pid: PidText::NONE,
        t10: 0,
    };

    /// The key of these parts, or [`Key::MISSING`] when one is missing.
    pub fn new(name: u32, pid: PidText, time_ns: Option<i64>) -> Key {
        match time_ns {
            Some(t) if name != NONE && pid != PidText::NONE => Key {
                name,
                pid,
                t10: round_10us(t),
            },
            _ => Key::MISSING,
        }
    }

    /// Whether the key exists.
    pub fn is_some(self) -> bool {
        self.name != NONE
    }
}

/// `ns` in 10 µs steps, rounded half to even (pandas `dt.round("10us")`).
pub(super) fn round_10us(ns: i64) -> i64 {
    let q = ns.div_euclid(10_000);
    let r = ns.rem_euclid(10_000);
    if r > 5_000 || (r == 5_000 && q % 2 != 0) {
        q + 1
    } else {
        q
    }
}

/// Appends `v` in decimal, zero-padded to `width` digits (no `fmt` machinery: keys and paths
/// are made once per row, so this is hot).
pub(crate) fn push_padded(out: &mut String, v: u64, width: usize) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = v;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    const ZEROS: &str = "00000000000000000000";
    out.push_str(&ZEROS[..width.saturating_sub(buf.len() - i).min(ZEROS.len())]);
    // ASCII digits: always valid UTF-8.
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or_default());
}

/// Appends `YYYY-MM-DD HH:MM:SS.ffffff` of a time rounded to 10 µs, ties to even (pandas
/// `dt.round("10us")`), as MSTICPy's process keys print it.
pub(crate) fn push_key_time(out: &mut String, ns: i64) {
    let micros = round_10us(ns) * 10;
    let secs = micros.div_euclid(1_000_000);
    let frac = micros.rem_euclid(1_000_000) as u64;
    let (y, m, d) = crate::table::time::civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400) as u64;
    if y < 0 {
        out.push('-');
    }
    push_padded(out, y.unsigned_abs(), 4);
    out.push('-');
    push_padded(out, u64::from(m), 2);
    out.push('-');
    push_padded(out, u64::from(d), 2);
    out.push(' ');
    push_padded(out, s / 3600, 2);
    out.push(':');
    push_padded(out, s % 3600 / 60, 2);
    out.push(':');
    push_padded(out, s % 60, 2);
    out.push('.');
    push_padded(out, frac, 6);
}

/// A time as MSTICPy's process keys print it: `YYYY-MM-DD HH:MM:SS.ffffff`, rounded to 10 µs
/// (ties to even, as pandas `dt.round("10us")`).
pub fn key_time(ns: i64) -> String {
    let mut out = String::with_capacity(26);
    push_key_time(&mut out, ns);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_times_round_half_even_to_10us() {
        let base = 1_704_103_205_000_000_000; // 2024-01-01 10:00:05
        assert_eq!(key_time(base + 5_000), "2024-01-01 10:00:05.000000");
        assert_eq!(key_time(base + 15_000), "2024-01-01 10:00:05.000020");
        assert_eq!(
            key_time(1_704_103_202_123_456_789),
            "2024-01-01 10:00:02.123460"
        );
        assert_eq!(
            key_time(1_636_601_188_109_885_000),
            "2021-11-11 03:26:28.109880"
        );
        assert_eq!(key_time(0), "1970-01-01 00:00:00.000000");
    }

    /// Canonical numbers are kept by value, everything else by id; the text always comes back
    /// exactly as given, and equal text gives equal parts.
    #[test]
    fn pid_text_round_trips() {
        let inputs = [
            "420",
            "0",
            "0x1a4",
            "0x0",
            "0x1A4",
            "0420",
            "0x01a4",
            "-5",
            "abc",
            "",
            "1234567890123456789012",
            "0xffffffffffffffff",
        ];
        let mut interner = Interner::default();
        let parts: Vec<PidText> = inputs
            .iter()
            .map(|s| PidText::of(s, &mut interner))
            .collect();
        assert_eq!(parts[0], PidText(420));
        assert_eq!(parts[2], PidText(PidText::HEX | 0x1a4));
        assert!(parts[4..].iter().all(|p| p.0 & PidText::TAG == PidText::ID));
        let strings = interner.finish();
        for (s, p) in inputs.iter().zip(&parts) {
            let mut out = String::new();
            assert!(p.push(&strings, &mut out));
            assert_eq!(&out, s);
        }
        let mut again = Interner::default();
        assert_eq!(PidText::of("0x1a4", &mut again), parts[2]);
        assert!(!PidText::NONE.push(&strings, &mut String::new()));
    }
}
