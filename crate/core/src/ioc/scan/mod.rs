//! The built-in recognisers: one pass over the bytes, dispatching on a few trigger bytes
//! (digits, `.`, `:`, `@`, `\`, `/`, `-`), each recogniser remembering how far it has read so
//! no byte is examined more than a bounded number of times per type. No regexes, no
//! backtracking: the cost is linear in the input whatever it contains.
//!
//! This file is the dispatch core (the trigger loop, the shared byte classes); each
//! recogniser family is a file of its own: [`numbers`], [`names`], [`urls`], [`paths`].

use std::net::{Ipv4Addr, Ipv6Addr};

use super::IocType;
use super::chunk::{Chunk, Stops, WIDTH, ahead, behind, pair};
use super::psl::SuffixList;

mod names;
mod numbers;
mod paths;
mod urls;

use paths::*;
use urls::*;

/// One recognised indicator, in the coordinates of the scanned text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Hit {
    pub kind: IocType,
    pub start: usize,
    pub end: usize,
    /// The value when it is not the scanned text itself (upper-cased CVE, …).
    pub value: Option<String>,
    /// A part reported by a containing indicator (a URL's host, an email's domain); parts
    /// skip the containment rules.
    pub part: bool,
}

/// What to scan for.
#[derive(Clone, Copy, Debug)]
pub(super) struct ScanOptions {
    /// Skip the Public Suffix List check (any alphabetic TLD is accepted).
    pub ignore_tlds: bool,
    /// Scan for Windows paths and registry keys.
    pub windows_paths: bool,
    /// Scan for Linux paths.
    pub linux_paths: bool,
    /// Scan for the network types, hashes and identifiers (everything but paths).
    pub network: bool,
    /// Report `domain/path` without a scheme as a URL too.
    pub schemeless_urls: bool,
}

/// Every hit in `text`. `defanged(start, end)`: whether this span of the scanned text was
/// written defanged (file-name heuristics do not apply to deliberately defanged names).
#[cfg(test)]
pub(super) fn scan(
    text: &str,
    opts: ScanOptions,
    psl: &SuffixList,
    defanged: &dyn Fn(usize, usize) -> bool,
) -> Vec<Hit> {
    scan_with(text, opts, psl, defanged, true)
}

/// [`scan`], skipping the bytes with nothing to look at 16 at a time or not (`skip: false`
/// looks at every byte: the reference the tests compare with).
#[cfg(test)]
pub(super) fn scan_with(
    text: &str,
    opts: ScanOptions,
    psl: &SuffixList,
    defanged: &dyn Fn(usize, usize) -> bool,
    skip: bool,
) -> Vec<Hit> {
    let mut hits = Vec::new();
    scan_into(text, opts, psl, defanged, skip, &mut |h| hits.push(h));
    hits
}

/// [`scan_with`], handing each hit to `sink` as it is found (while the text around it is
/// still in cache).
pub(super) fn scan_into(
    text: &str,
    opts: ScanOptions,
    psl: &SuffixList,
    defanged: &dyn Fn(usize, usize) -> bool,
    skip: bool,
    sink: &mut dyn FnMut(Hit),
) {
    let mut s = Scanner {
        skip,
        b: text.as_bytes(),
        text,
        opts,
        psl,
        defanged,
        sink,
        done: [0; N_DONE],
        userinfo_ats: Vec::new(),
        url_body: (0, 0),
        nested_urls: 0,
        schemeless_end: 0,
        email_domain: usize::MAX,
        url_host: (0, 0),
    };
    s.run();
}

// Indexes into `Scanner::done`: how far each recogniser has consumed.
const D_IPV4: usize = 0;
const D_DNS: usize = 1;
const D_EMAIL: usize = 2;
const D_IPV6: usize = 3;
const D_WPATH: usize = 4;
const D_LPATH: usize = 5;
const D_MAC: usize = 6;
const D_URL: usize = 7;
const N_DONE: usize = 8;

struct Scanner<'a> {
    /// Whether to skip the bytes [`stops`] does not flag.
    skip: bool,
    b: &'a [u8],
    text: &'a str,
    opts: ScanOptions,
    psl: &'a SuffixList,
    defanged: &'a dyn Fn(usize, usize) -> bool,
    /// Where hits go.
    sink: &'a mut dyn FnMut(Hit),
    done: [usize; N_DONE],
    /// Positions of `@`s that separate a URL's userinfo from its host (not emails).
    userinfo_ats: Vec<usize>,
    /// The last URL body scanned (start, end): nested URLs share their container's end.
    url_body: (usize, usize),
    /// How many URLs were found nested in that body (capped, so `http://http://…` stays
    /// linear).
    nested_urls: usize,
    /// The end of the last scheme-less URL.
    schemeless_end: usize,
    /// Where the last email's domain starts (the dns recogniser leaves it to the email).
    email_domain: usize,
    /// The last URL's host (start, end): reported by the URL, not scanned again as a name.
    url_host: (usize, usize),
}

const T_DOT: u8 = 2;
const T_COLON: u8 = 3;
const T_AT: u8 = 4;
const T_BACKSLASH: u8 = 5;
const T_SLASH: u8 = 6;
const T_HYPHEN: u8 = 7;

/// What a non-word byte triggers.
static TRIGGER: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'.' as usize] = T_DOT;
    t[b':' as usize] = T_COLON;
    t[b'@' as usize] = T_AT;
    t[b'\\' as usize] = T_BACKSLASH;
    t[b'/' as usize] = T_SLASH;
    t[b'-' as usize] = T_HYPHEN;
    t
};

/// ASCII letters and digits (the bytes of a word).
static ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = (c as u8).is_ascii_alphanumeric();
        c += 1;
    }
    t
};

/// The positions of `b[i..i + 16]` the scanner must look at (a superset; see [`is_stop`]): the
/// trigger bytes, `T1` (ATT&CK ids), `e`/`E` + separator + digit (`CVE-2021`), and the first
/// byte of a chunk with nothing outside `0`–`z` (it may be inside a word long enough to be a
/// hash).
#[inline(always)]
fn stops(b: &[u8], i: usize) -> u16 {
    let (Some(cur), Some(before), Some(&n0), Some(&n1)) = (
        Chunk::at(b, i),
        i.checked_sub(1).map(|p| b[p]),
        b.get(i + WIDTH),
        b.get(i + WIDTH + 1),
    ) else {
        return (0..WIDTH).fold(0, |m, k| m | (u16::from(is_stop(b, i + k)) << k));
    };
    let triggers =
        (cur.eq(b'.') | cur.eq(b':') | cur.eq(b'@') | cur.eq(b'\\') | cur.eq(b'/') | cur.eq(b'-'))
            .mask();
    // All of `0-9:;<=>?@A-Z[\]^_`a-z`: a superset of "all letters and digits".
    let long_word = u16::from(cur.in_range(b'0', b'z').mask() == u16::MAX);
    let digit = cur.in_range(b'0', b'9').mask();
    if digit == 0 && !n0.is_ascii_digit() {
        // No number to start a CVE or an ATT&CK id (most prose).
        return triggers | long_word;
    }
    let folded = cur.fold_case();
    let one = cur.eq(b'1').mask();
    let attack = folded.eq(b't').mask() & ahead(one, 1, pair([n0, n1], |c| c == b'1'));
    let cve = behind(folded.eq(b'e').mask(), before | 0x20 == b'e')
        & (cur.eq(b' ') | cur.eq(b'_')).mask()
        & ahead(digit, 1, pair([n0, n1], |c| c.is_ascii_digit()));
    triggers | attack | cve | long_word
}

/// Whether the scanner must look at `b[i]` (scalar [`stops`], near the ends of the text: any
/// letter or digit counts, as it may start a long word).
fn is_stop(b: &[u8], i: usize) -> bool {
    b.get(i).is_some_and(|&c| {
        TRIGGER[c as usize] != 0
            || ALNUM[c as usize]
            || (matches!(c, b' ' | b'_')
                && i > 0
                && b[i - 1].eq_ignore_ascii_case(&b'e')
                && b.get(i + 1).is_some_and(u8::is_ascii_digit))
    })
}

#[inline(always)]
fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

/// Letters, digits, `-` and `_` (and the `.` between labels: see [`is_dns_run`]).
#[inline(always)]
fn is_label(c: u8) -> bool {
    CLASS[c as usize] & C_LABEL != 0
}

/// A byte of a name: a label byte, or a dot.
#[inline(always)]
fn is_dns_run(c: u8) -> bool {
    CLASS[c as usize] & (C_LABEL | C_DOT) != 0
}

// Classes of [`CLASS`].
const C_LABEL: u8 = 1;
const C_DOT: u8 = 2;
const C_DIGIT: u8 = 4;
const C_HEX: u8 = 8;
const C_COLON: u8 = 16;

/// The classes of each byte the name and address loops test (one load per byte).
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            t[c] |= C_LABEL;
        }
        if b.is_ascii_digit() {
            t[c] |= C_DIGIT;
        }
        if b.is_ascii_hexdigit() {
            t[c] |= C_HEX;
        }
        c += 1;
    }
    t[b'.' as usize] = C_DOT;
    t[b':' as usize] = C_COLON;
    t
};

#[inline(always)]
fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

impl Scanner<'_> {
    fn run(&mut self) {
        let b = self.b;
        let network = self.opts.network;
        let skip = self.skip;
        let classify = |b: &[u8], i: usize| if skip { stops(b, i) } else { u16::MAX };
        let mut stops = Stops::new();
        // The end of the last word looked at (each word is looked at once, at most).
        let mut word_done = 0;
        let mut i = 0;
        while let Some(p) = stops.next(b, i, classify) {
            let c = b[p];
            if ALNUM[c as usize] {
                // A word: only long words (hashes) and words that open a CVE or ATT&CK id
                // matter.
                let ws = self.run_start(p, word_done, |c| ALNUM[c as usize]);
                let we = self.run_end(p, |c| ALNUM[c as usize]);
                if network {
                    self.word(ws, we);
                }
                word_done = we;
                i = we;
                continue;
            }
            // `CVE-`, `CVE `, `CVE_` + digit: the word before the separator.
            if network
                && matches!(c, b'-' | b' ' | b'_')
                && word_done < p
                && p > 0
                && ALNUM[b[p - 1] as usize]
            {
                let ws = self.run_start(p, word_done, |c| ALNUM[c as usize]);
                self.word(ws, p);
                word_done = p;
            }
            self.trigger(p, c);
            i = p + 1;
        }
    }

    /// The recognisers a non-word byte `c` at `i` triggers.
    #[inline(always)]
    fn trigger(&mut self, i: usize, c: u8) {
        let b = self.b;
        let network = self.opts.network;
        match TRIGGER[c as usize] {
            0 => {}
            T_DOT if network => {
                if i > 0 && b[i - 1].is_ascii_digit() && self.done[D_IPV4] <= i {
                    self.ipv4(i);
                }
                // The first dot of a run, not followed by a label (`end.`): one label,
                // no domain. (A later dot of a run is consumed by the first one's call.)
                if self.url_host.0 <= i && i < self.url_host.1 {
                    // A URL's host: the URL reported it (as `dns` when registrable).
                    self.done[D_DNS] = self.done[D_DNS].max(self.url_host.1);
                } else if self.done[D_DNS] <= i && b.get(i + 1).copied().is_some_and(is_label) {
                    self.dns(i);
                }
            }
            T_COLON => {
                if network {
                    if b[i..].starts_with(b"://") {
                        if self.done[D_URL] <= i {
                            self.url(i);
                        }
                    } else if self.done[D_IPV6] <= i {
                        self.ipv6(i);
                    }
                }
                if self.opts.windows_paths
                    && b.get(i + 1) == Some(&b'/')
                    && b.get(i + 2) != Some(&b'/')
                    && self.done[D_WPATH] <= i
                {
                    self.windows_path(i + 1);
                }
            }
            T_AT if network && self.done[D_EMAIL] <= i => self.email(i),
            T_BACKSLASH if self.opts.windows_paths && self.done[D_WPATH] <= i => {
                self.windows_path(i)
            }
            T_SLASH if self.opts.linux_paths && self.done[D_LPATH] <= i => self.linux_path(i),
            T_HYPHEN if network && self.done[D_MAC] <= i => self.mac_dashed(i),
            _ => {}
        }
    }

    /// A word (maximal run of letters and digits) `s..e`.
    #[inline(always)]
    fn word(&mut self, s: usize, e: usize) {
        let b = self.b;
        let n = e - s;
        if n >= 32 {
            // Hashes: runs of hex digits bounded by non-hex characters (as in MSTICPy).
            let mut k = s;
            while k < e {
                let h = k;
                while k < e && b[k].is_ascii_hexdigit() {
                    k += 1;
                }
                if k - h >= 32 {
                    self.hash(h, k);
                }
                k += 1;
            }
        }
        // `CVE` + separator + digit, and `T1234`: the number's first digit decides.
        if n == 3
            && b.get(e + 1).is_some_and(u8::is_ascii_digit)
            && matches!(b[e], b'-' | b' ' | b'_')
        {
            self.digit(e + 1);
        } else if n == 5 && matches!(b[s], b'T' | b't') && b[s + 1] == b'1' {
            self.digit(s + 1);
        }
    }

    fn push(&mut self, kind: IocType, start: usize, end: usize) {
        (self.sink)(Hit {
            kind,
            start,
            end,
            value: None,
            part: false,
        });
    }

    fn push_part(&mut self, kind: IocType, start: usize, end: usize) {
        (self.sink)(Hit {
            kind,
            start,
            end,
            value: None,
            part: true,
        });
    }

    /// The start of the run of `pred` bytes ending just before `i`, not going below `floor`.
    fn run_start(&self, i: usize, floor: usize, pred: impl Fn(u8) -> bool) -> usize {
        let mut s = i;
        while s > floor && pred(self.b[s - 1]) {
            s -= 1;
        }
        s
    }

    fn run_end(&self, i: usize, pred: impl Fn(u8) -> bool) -> usize {
        let mut e = i;
        while e < self.b.len() && pred(self.b[e]) {
            e += 1;
        }
        e
    }

    // ---- digits: hashes, CVEs, ATT&CK ids ----
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scheme_is_found_by_its_key() {
        assert!(SCHEME_KEYS.is_sorted_by_key(|&(k, _)| k));
        for scheme in SCHEMES {
            let found = SCHEME_KEYS
                .binary_search_by_key(&scheme_key(scheme), |&(k, _)| k)
                .map(|k| SCHEME_KEYS[k].1);
            assert_eq!(found, Ok(*scheme));
        }
    }
}
