//! Compact text for trees: every distinct string (host, name, PID, key part) is stored once and
//! nodes hold 32-bit ids, so a million-node tree costs no allocation per node and identities
//! compare as integers.

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
    list: Vec<&'a str>,
}

impl<'a> Interner<'a> {
    /// The id of `s`.
    pub fn id(&mut self, s: &'a str) -> u32 {
        let next = self.list.len() as u32;
        *self.ids.entry(s).or_insert_with(|| {
            self.list.push(s);
            next
        })
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

/// A process key (`name|pid|time`) as ids and the time in 10 µs steps: equal keys have equal
/// text. `name == NONE` means no key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Key {
    pub name: u32,
    pub pid: u32,
    pub t10: i64,
}

impl Key {
    /// No key (a part was missing).
    pub const MISSING: Key = Key {
        name: NONE,
        pid: NONE,
        t10: 0,
    };

    /// The key of these parts, or [`Key::MISSING`] when one is missing.
    pub fn new(name: u32, pid: u32, time_ns: Option<i64>) -> Key {
        match time_ns {
            Some(t) if name != NONE && pid != NONE => Key {
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
