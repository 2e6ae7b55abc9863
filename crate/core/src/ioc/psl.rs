//! Domain validation against the Public Suffix List (ICANN section), embedded at build time.
//!
//! The snapshot is the one MSTICPy's tldextract 5.4.0 used for the goldens
//! (`VERSION: 2025-04-07_15-51-09_UTC`, `crate/data/public_suffix_list.dat`, MPL-2.0); the
//! build script keeps its ICANN rules. To refresh it, replace the `.dat` file; at run time,
//! [`crate::ioc::IocExtractor::set_public_suffix_list`] takes a newer list.

use std::sync::OnceLock;

use super::psl_rules::icann_rules;
use super::punycode::ascii_label;
use crate::hash::HashMap;
use crate::{Error, Result};

/// Flags of a name in a [`SuffixList`].
const EXACT: u8 = 1;
/// `*.name` is a rule.
const WILDCARD: u8 = 2;
/// `!name` is a rule.
const EXCEPTION: u8 = 4;
/// The name is a suffix of some rule (so a longer suffix may still match).
const PREFIX: u8 = 8;

/// A Public Suffix List: every rule name and every suffix of one, with its flags, so a walk
/// from the TLD up does one lookup per label and knows when to stop.
///
/// Names are keyed by [`suffix_key`], a hash built from the end of a name, so the walk extends
/// the key of one suffix to the next label instead of hashing each suffix again, and in any
/// case (no lower-cased copy). A key that matches is confirmed by comparing the names.
#[derive(Debug)]
pub struct SuffixList {
    rules: HashMap<u64, (Box<str>, u8)>,
    /// Names whose key another name already has (none in practice: 64-bit keys), by name.
    collisions: HashMap<Box<str>, u8>,
    count: usize,
}

/// The start of the key of a name's suffixes.
const KEY_SEED: u64 = 0xcbf2_9ce4_8422_2325;

/// The key of `c` followed by the suffix keyed `key` (FNV-1a over the bytes from the end, with
/// bit 5 set: letters in either case give one key, as do a few pairs of other bytes; a hit is
/// confirmed by name).
#[inline(always)]
fn extend_key(key: u64, c: u8) -> u64 {
    (key ^ u64::from(c | 0x20)).wrapping_mul(0x0100_0000_01b3)
}

/// The key of `name` (see [`SuffixList`]).
fn suffix_key(name: &str) -> u64 {
    name.bytes().rev().fold(KEY_SEED, extend_key)
}

impl SuffixList {
    /// The snapshot embedded at build time.
    pub fn builtin() -> &'static SuffixList {
        static BUILTIN: OnceLock<SuffixList> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let text = include_str!(concat!(env!("OUT_DIR"), "/psl_icann.txt"));
            SuffixList::parse(text).unwrap_or_else(|_| SuffixList::empty())
        })
    }

    fn empty() -> SuffixList {
        SuffixList {
            rules: HashMap::default(),
            collisions: HashMap::default(),
            count: 0,
        }
    }

    /// Parses `public_suffix_list.dat` text: the ICANN section when the file has the
    /// section markers (as tldextract does by default), else every rule. International labels
    /// are converted to punycode. A text with no rule is an error.
    pub fn parse(text: &str) -> Result<SuffixList> {
        let mut list = SuffixList::empty();
        for rule in icann_rules(text) {
            let (body, flag) = if let Some(rest) = rule.strip_prefix('!') {
                (rest, EXCEPTION)
            } else if let Some(rest) = rule.strip_prefix("*.") {
                (rest, WILDCARD)
            } else {
                (rule, EXACT)
            };
            let name = body
                .split('.')
                .map(ascii_label)
                .collect::<Vec<_>>()
                .join(".");
            if name.is_empty() || name.contains("..") {
                continue;
            }
            // The name and its suffixes are prefixes of this rule.
            let mut rest = name.as_str();
            loop {
                list.add(rest, PREFIX);
                match rest.find('.') {
                    Some(dot) => rest = &rest[dot + 1..],
                    None => break,
                }
            }
            list.add(&name, flag);
            list.count += 1;
        }
        if list.count == 0 {
            return Err(Error::invalid_option(
                "publicSuffixList",
                "no rule found: expected the text of public_suffix_list.dat (one rule per line)",
            ));
        }
        Ok(list)
    }

    /// Adds `flags` to those of `name` (lower-case).
    fn add(&mut self, name: &str, flags: u8) {
        let (known, f) = self
            .rules
            .entry(suffix_key(name))
            .or_insert_with(|| (name.into(), 0));
        if **known == *name {
            *f |= flags;
        } else {
            *self.collisions.entry(name.into()).or_default() |= flags;
        }
    }

    /// The flags of `name`, whose key is `key`.
    #[inline(always)]
    fn flags(&self, key: u64, name: &str) -> u8 {
        match self.rules.get(&key) {
            Some((known, flags)) if known.eq_ignore_ascii_case(name) => *flags,
            Some(_) if !self.collisions.is_empty() => self
                .collisions
                .get(name.to_ascii_lowercase().as_str())
                .copied()
                .unwrap_or(0),
            _ => 0,
        }
    }

    /// How many rules the list has.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether the list has no rule (never, for a parsed list).
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The length in bytes of the public suffix at the end of `domain` (ASCII in any case, no
    /// trailing dot), or 0 when no rule matches (tldextract's behaviour: no default `*` rule,
    /// so `host.invalidtld` has no suffix).
    pub fn suffix_len(&self, domain: &str) -> usize {
        let bytes = domain.as_bytes();
        let mut best = 0;
        let mut key = KEY_SEED;
        let mut pos = domain.len();
        loop {
            // The label ending at `pos`, added to the key (labels are short: a plain loop).
            let mut start = pos;
            while start > 0 && bytes[start - 1] != b'.' {
                start -= 1;
                key = extend_key(key, bytes[start]);
            }
            let flags = self.flags(key, &domain[start..]);
            if flags & EXCEPTION != 0 {
                // An exception rule makes its parent the public suffix.
                return domain.len() - pos - 1;
            }
            if flags & EXACT != 0 {
                best = domain.len() - start;
            }
            if flags & WILDCARD != 0 && start > 0 {
                // `*.parent` matches one more label, if there is one.
                let outer = bytes[..start - 1]
                    .iter()
                    .rposition(|&c| c == b'.')
                    .map_or(0, |k| k + 1);
                best = best.max(domain.len() - outer);
            }
            if flags & PREFIX == 0 || start == 0 {
                break;
            }
            pos = start - 1;
            key = extend_key(key, b'.');
        }
        best
    }

    /// Whether `domain` (ASCII in any case) is a registrable name: it ends in a public suffix
    /// and has at least one label before it (`example.co.uk` yes; `co.uk`, `corp.local` no).
    pub fn is_registrable(&self, domain: &str) -> bool {
        let n = self.suffix_len(domain);
        n > 0 && n < domain.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_follow_the_list() {
        let list = SuffixList::builtin();
        let suffix_len = |d: &str| list.suffix_len(d);
        let is_registrable = |d: &str| list.is_registrable(d);
        assert_eq!(suffix_len("example.com"), 3);
        assert_eq!(suffix_len("mail.google.co.uk"), 5);
        assert_eq!(suffix_len("host.invalidtld"), 0);
        assert_eq!(suffix_len("corp.local"), 0);
        assert_eq!(suffix_len("mystorage.blob.core.windows.net"), 3);
        // Wildcard and exception rules: `*.ck` and `!www.ck`.
        assert_eq!(suffix_len("foo.bar.ck"), "bar.ck".len());
        assert_eq!(suffix_len("www.ck"), 2);
        // Internationalised TLDs in punycode (рф).
        assert_eq!(suffix_len("example.xn--p1ai"), "xn--p1ai".len());
        assert!(is_registrable("example.co.uk"));
        assert!(!is_registrable("co.uk"));
        assert!(!is_registrable("com"));
    }
}

#[cfg(test)]
mod parse_tests {
    use super::*;

    #[test]
    fn names_whose_key_is_taken_are_still_found() {
        let mut list = SuffixList::parse("com\n").unwrap();
        // As if `org` had the key of another name, added first.
        list.rules
            .insert(suffix_key("org"), ("zz".into(), EXACT | PREFIX));
        list.add("org", EXACT);
        assert_eq!(list.collisions.len(), 1);
        assert!(list.is_registrable("example.org") && list.is_registrable("Example.ORG"));
        assert!(!list.is_registrable("example.zz") && list.is_registrable("example.com"));
    }

    #[test]
    fn a_list_can_be_parsed_at_run_time() {
        let list = SuffixList::parse("// comment\ncom\ncorp\n*.ck\n!www.ck\n公司.cn\n").unwrap();
        assert_eq!(list.len(), 5);
        assert!(list.is_registrable("x.corp") && !list.is_registrable("corp"));
        assert!(list.is_registrable("a.b.ck") && list.is_registrable("www.ck"));
        assert!(list.is_registrable("x.xn--55qx5d.cn"));
        assert!(!list.is_registrable("example.org"));
        assert!(list.is_registrable("WWW.EXAMPLE.COM"));
        assert!(list.is_registrable("x.CORP") && list.is_registrable("A.B.Ck"));
        let err = SuffixList::parse("// nothing\n\n").unwrap_err().to_string();
        assert!(err.contains("no rule found"), "{err}");
        // The builtin list has every ICANN rule of the snapshot.
        assert!(SuffixList::builtin().len() > 6_000);
        // No two names of the builtin list share a key.
        assert!(SuffixList::builtin().collisions.is_empty());
    }
}
