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
#[derive(Debug)]
pub struct SuffixList {
    rules: HashMap<Box<str>, u8>,
    /// The flags of the one-label names of at most 8 bytes (most TLDs) by [`label_key`]: the
    /// first lookup of a walk, without hashing a string.
    tlds: HashMap<u64, u8>,
    count: usize,
}

/// A label of at most 8 bytes as a number (its bytes, little-endian; labels hold no NUL).
fn label_key(label: &[u8]) -> Option<u64> {
    let mut key = [0u8; 8];
    key.get_mut(..label.len())?.copy_from_slice(label);
    Some(u64::from_le_bytes(key))
}

impl SuffixList {
    /// The snapshot embedded at build time.
    pub fn builtin() -> &'static SuffixList {
        static BUILTIN: OnceLock<SuffixList> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let text = include_str!(concat!(env!("OUT_DIR"), "/psl_icann.txt"));
            SuffixList::parse(text).unwrap_or_else(|_| SuffixList {
                rules: HashMap::default(),
                tlds: HashMap::default(),
                count: 0,
            })
        })
    }

    /// Parses `public_suffix_list.dat` text: the ICANN section when the file has the
    /// section markers (as tldextract does by default), else every rule. International labels
    /// are converted to punycode. A text with no rule is an error.
    pub fn parse(text: &str) -> Result<SuffixList> {
        let mut list = SuffixList {
            rules: HashMap::default(),
            tlds: HashMap::default(),
            count: 0,
        };
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
                *list.rules.entry(rest.into()).or_default() |= PREFIX;
                match rest.find('.') {
                    Some(dot) => rest = &rest[dot + 1..],
                    None => break,
                }
            }
            *list.rules.entry(name.into()).or_default() |= flag;
            list.count += 1;
        }
        list.tlds = list
            .rules
            .iter()
            .filter(|(name, _)| !name.contains('.'))
            .filter_map(|(name, &flags)| Some((label_key(name.as_bytes())?, flags)))
            .collect();
        if list.count == 0 {
            return Err(Error::invalid_option(
                "publicSuffixList",
                "no rule found: expected the text of public_suffix_list.dat (one rule per line)",
            ));
        }
        Ok(list)
    }

    /// How many rules the list has.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether the list has no rule (never, for a parsed list).
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The length in bytes of the public suffix at the end of `domain` (lower-case ASCII, no
    /// trailing dot), or 0 when no rule matches (tldextract's behaviour: no default `*` rule,
    /// so `host.invalidtld` has no suffix).
    pub fn suffix_len(&self, domain: &str) -> usize {
        let bytes = domain.as_bytes();
        // The start of the label ending at `end` (labels are short: a plain loop, not memrchr).
        let label_start = |end: usize| {
            let mut k = end;
            while k > 0 && bytes[k - 1] != b'.' {
                k -= 1;
            }
            k
        };
        let mut best = 0;
        let mut pos = domain.len();
        loop {
            let start = label_start(pos);
            // The TLD, when short: a number lookup.
            let flags = if pos == domain.len()
                && let Some(key) = label_key(&bytes[start..])
            {
                self.tlds.get(&key)
            } else {
                self.rules.get(&domain[start..])
            }
            .copied()
            .unwrap_or(0);
            if flags & EXCEPTION != 0 {
                // An exception rule makes its parent the public suffix.
                return domain.len() - pos - 1;
            }
            if flags & EXACT != 0 {
                best = domain.len() - start;
            }
            if flags & WILDCARD != 0 && start > 0 {
                // `*.parent` matches one more label, if there is one.
                let outer = label_start(start - 1);
                best = best.max(domain.len() - outer);
            }
            if flags & PREFIX == 0 || start == 0 {
                break;
            }
            pos = start - 1;
        }
        best
    }

    /// Whether `domain` (lower-case ASCII) is a registrable name: it ends in a public suffix and
    /// has at least one label before it (`example.co.uk` yes; `co.uk`, `corp.local` no).
    pub fn is_registrable(&self, domain: &str) -> bool {
        let n = self.suffix_len(domain);
        n > 0 && n < domain.len()
    }

    /// [`SuffixList::is_registrable`] for a name in any case (lower-cased on the stack).
    pub fn is_registrable_any_case(&self, domain: &str) -> bool {
        if !domain.bytes().any(|c| c.is_ascii_uppercase()) {
            return self.is_registrable(domain);
        }
        let mut buf = [0u8; 253];
        match buf.get_mut(..domain.len()) {
            Some(lower) => {
                for (d, c) in lower.iter_mut().zip(domain.bytes()) {
                    *d = c.to_ascii_lowercase();
                }
                std::str::from_utf8(lower).is_ok_and(|l| self.is_registrable(l))
            }
            None => self.is_registrable(&domain.to_ascii_lowercase()),
        }
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
    fn a_list_can_be_parsed_at_run_time() {
        let list = SuffixList::parse("// comment\ncom\ncorp\n*.ck\n!www.ck\n公司.cn\n").unwrap();
        assert_eq!(list.len(), 5);
        assert!(list.is_registrable("x.corp") && !list.is_registrable("corp"));
        assert!(list.is_registrable("a.b.ck") && list.is_registrable("www.ck"));
        assert!(list.is_registrable("x.xn--55qx5d.cn"));
        assert!(!list.is_registrable("example.org"));
        assert!(list.is_registrable_any_case("WWW.EXAMPLE.COM"));
        let err = SuffixList::parse("// nothing\n\n").unwrap_err().to_string();
        assert!(err.contains("no rule found"), "{err}");
        // The builtin list has every ICANN rule of the snapshot.
        assert!(SuffixList::builtin().len() > 6_000);
    }
}
