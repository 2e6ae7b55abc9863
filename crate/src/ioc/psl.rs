//! Domain validation against the Public Suffix List (ICANN section), embedded at build time.
//!
//! The snapshot is the one MSTICPy's tldextract 5.4.0 used for the goldens
//! (`VERSION: 2025-04-07_15-51-09_UTC`, `crate/data/public_suffix_list.dat`, MPL-2.0); the
//! build script keeps its ICANN rules in ASCII form. To refresh it, replace the `.dat` file.

use std::sync::OnceLock;

use crate::hash::HashSet;

/// The parsed rules: plain suffixes, wildcard parents (`*.ck` stored as `ck`) and exceptions
/// (`!www.ck` stored as `www.ck`).
struct Rules {
    exact: HashSet<&'static str>,
    wildcard: HashSet<&'static str>,
    exception: HashSet<&'static str>,
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        let text = include_str!(concat!(env!("OUT_DIR"), "/psl_icann.txt"));
        let mut rules = Rules {
            exact: HashSet::default(),
            wildcard: HashSet::default(),
            exception: HashSet::default(),
        };
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix('!') {
                rules.exception.insert(rest);
            } else if let Some(rest) = line.strip_prefix("*.") {
                rules.wildcard.insert(rest);
            } else {
                rules.exact.insert(line);
            }
        }
        rules
    })
}

/// The length in bytes of the public suffix at the end of `domain` (lower-case ASCII, no
/// trailing dot), or 0 when no ICANN rule matches (tldextract's behaviour: no default `*`
/// rule, so `host.invalidtld` has no suffix).
pub fn suffix_len(domain: &str) -> usize {
    let rules = rules();
    let mut best = 0;
    // Walk the suffixes from the shortest (the TLD) to the whole name.
    let bytes = domain.as_bytes();
    let mut pos = domain.len();
    loop {
        let start = bytes[..pos]
            .iter()
            .rposition(|&b| b == b'.')
            .map_or(0, |i| i + 1);
        let suffix = &domain[start..];
        if rules.exception.contains(suffix) {
            // An exception rule makes its parent the public suffix.
            return domain.len() - pos - 1;
        }
        if rules.exact.contains(suffix) {
            best = suffix.len();
        }
        if start > 0 {
            let parent = &domain[start..];
            if rules.wildcard.contains(parent) {
                // `*.parent` matches one more label, if there is one.
                let outer = bytes[..start - 1]
                    .iter()
                    .rposition(|&b| b == b'.')
                    .map_or(0, |i| i + 1);
                best = best.max(domain.len() - outer);
            }
        }
        if start == 0 {
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
