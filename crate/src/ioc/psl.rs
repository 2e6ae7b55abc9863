//! Domain validation against the Public Suffix List (ICANN section), embedded at build time.
//!
//! The snapshot is the one MSTICPy's tldextract 5.4.0 used for the goldens
//! (`VERSION: 2025-04-07_15-51-09_UTC`, `crate/data/public_suffix_list.dat`, MPL-2.0); the
//! build script keeps its ICANN rules in ASCII form. To refresh it, replace the `.dat` file.

use std::sync::OnceLock;

use crate::hash::HashMap;

/// Flags of a name in [`rules`].
const EXACT: u8 = 1;
/// `*.name` is a rule.
const WILDCARD: u8 = 2;
/// `!name` is a rule.
const EXCEPTION: u8 = 4;
/// The name is a suffix of some rule (so a longer suffix may still match).
const PREFIX: u8 = 8;

/// Every rule name and every suffix of one, with its flags: one lookup per label.
fn rules() -> &'static HashMap<&'static str, u8> {
    static RULES: OnceLock<HashMap<&'static str, u8>> = OnceLock::new();
    RULES.get_or_init(|| {
        let text = include_str!(concat!(env!("OUT_DIR"), "/psl_icann.txt"));
        let mut rules: HashMap<&'static str, u8> = HashMap::default();
        for line in text.lines() {
            let (name, flag) = if let Some(rest) = line.strip_prefix('!') {
                (rest, EXCEPTION)
            } else if let Some(rest) = line.strip_prefix("*.") {
                (rest, WILDCARD)
            } else {
                (line, EXACT)
            };
            *rules.entry(name).or_default() |= flag;
            // Its suffixes, so a walk from the TLD up knows when to stop.
            let mut rest = name;
            while let Some(dot) = rest.find('.') {
                rest = &rest[dot + 1..];
                *rules.entry(rest).or_default() |= PREFIX;
            }
            *rules.entry(name).or_default() |= PREFIX;
        }
        rules
    })
}

/// The length in bytes of the public suffix at the end of `domain` (lower-case ASCII, no
/// trailing dot), or 0 when no ICANN rule matches (tldextract's behaviour: no default `*`
/// rule, so `host.invalidtld` has no suffix).
pub fn suffix_len(domain: &str) -> usize {
    let rules = rules();
    let bytes = domain.as_bytes();
    let mut best = 0;
    let mut pos = domain.len();
    loop {
        let start = bytes[..pos]
            .iter()
            .rposition(|&b| b == b'.')
            .map_or(0, |i| i + 1);
        let flags = rules.get(&domain[start..]).copied().unwrap_or(0);
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
                .rposition(|&b| b == b'.')
                .map_or(0, |i| i + 1);
            best = best.max(domain.len() - outer);
        }
        if flags & PREFIX == 0 || start == 0 {
            break;
        }
        pos = start - 1;
    }
    best
}

/// Whether `domain` (lower-case ASCII) is a registrable name: it ends in an ICANN public
/// suffix and has at least one label before it (`example.co.uk` yes; `co.uk`, `corp.local` no).
pub fn is_registrable(domain: &str) -> bool {
    let n = suffix_len(domain);
    n > 0 && n < domain.len()
}

/// [`is_registrable`] for a name in any case (lower-cased on the stack when it fits).
pub fn is_registrable_any_case(domain: &str) -> bool {
    if !domain.bytes().any(|c| c.is_ascii_uppercase()) {
        return is_registrable(domain);
    }
    let mut buf = [0u8; 253];
    match buf.get_mut(..domain.len()) {
        Some(lower) => {
            for (d, c) in lower.iter_mut().zip(domain.bytes()) {
                *d = c.to_ascii_lowercase();
            }
            std::str::from_utf8(lower).is_ok_and(is_registrable)
        }
        None => is_registrable(&domain.to_ascii_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_follow_the_list() {
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
