//! The built-in recognisers: one pass over the bytes, dispatching on a few trigger bytes
//! (digits, `.`, `:`, `@`, `\`, `/`, `-`), each recogniser remembering how far it has read so
//! no byte is examined more than a bounded number of times per type. No regexes, no
//! backtracking: the cost is linear in the input whatever it contains.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::IocType;
use super::chunk::{Chunk, Stops, WIDTH, ahead, behind, pair};
use super::psl::SuffixList;

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

/// Four decimal octets (0–255, one to three digits each) separated by single dots: `Some(true)`
/// when one has a leading zero (`010`).
fn dotted_quad(s: &[u8]) -> Option<bool> {
    let (mut parts, mut value, mut digits, mut leading_zero) = (1, 0u16, 0, false);
    for &c in s {
        if c == b'.' {
            if digits == 0 || parts == 4 {
                return None;
            }
            parts += 1;
            (value, digits) = (0, 0);
        } else if c.is_ascii_digit() {
            leading_zero |= digits == 1 && value == 0;
            value = value * 10 + u16::from(c - b'0');
            digits += 1;
            if digits > 3 || value > 255 {
                return None;
            }
        } else {
            return None;
        }
    }
    (parts == 4 && digits > 0).then_some(leading_zero)
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

/// Characters of an email's local part (RFC 5322's atext without the ones that mostly glue
/// junk on: `/ = ? { | } '` and backquote).
#[inline(always)]
fn is_local(c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'.' | b'_' | b'%' | b'+' | b'-' | b'#' | b'!' | b'$' | b'&' | b'*' | b'^' | b'~'
        )
}

/// Top-level domains that are also common file extensions: a bare two-label name ending in one
/// (`setup.py`, `archive.zip`, `readme.md`) or one right after a path separator
/// (`/opt/app/main.py`) is taken as a file name unless it was written defanged.
const FILE_TLDS: &[&str] = &[
    "zip", "mov", "py", "sh", "md", "pl", "pm", "rs", "so", "ps", "cc", "ai", "ml", "mk", "bz",
];

/// At most this many URLs nested in one URL's body are reported.
const MAX_NESTED_URLS: usize = 8;

/// URL schemes recognised (lower-case). Unknown schemes are not URLs.
const SCHEMES: &[&str] = &[
    "http", "https", "ftp", "ftps", "sftp", "sftps", "tftp", "telnet", "ldap", "ldaps", "file",
    "ws", "wss", "smb", "cifs", "nfs", "ssh", "scp", "rdp", "vnc", "irc", "ircs", "gopher", "rtsp",
    "rtmp", "mms", "nntp", "imap", "imaps", "pop3", "pop3s", "smtp", "smtps", "tcp", "udp", "git",
    "svn", "s3",
];

/// A scheme (at most 6 bytes) as one number: its bytes, last first, and its length.
const fn scheme_key(s: &str) -> u64 {
    let b = s.as_bytes();
    let mut key = 0u64;
    let mut n = 0;
    while n < b.len() {
        key |= (b[b.len() - 1 - n] as u64) << (8 * n);
        n += 1;
    }
    key | ((b.len() as u64) << 56)
}

/// [`SCHEMES`] with their keys, sorted by key (binary-searched with the keys of a word's tails).
static SCHEME_KEYS: [(u64, &str); SCHEMES.len()] = {
    let mut t = [(0u64, ""); SCHEMES.len()];
    let mut k = 0;
    while k < SCHEMES.len() {
        assert!(SCHEMES[k].len() <= 6);
        t[k] = (scheme_key(SCHEMES[k]), SCHEMES[k]);
        // Insertion sort (a const fn cannot call `sort`).
        let mut j = k;
        while j > 0 && t[j - 1].0 > t[j].0 {
            let prev = t[j - 1];
            t[j - 1] = t[j];
            t[j] = prev;
            j -= 1;
        }
        k += 1;
    }
    t
};

/// Registry hives (upper-case), long and short forms.
const HIVES: &[&str] = &[
    "HKEY_LOCAL_MACHINE",
    "HKEY_CURRENT_USER",
    "HKEY_CLASSES_ROOT",
    "HKEY_USERS",
    "HKEY_CURRENT_CONFIG",
    "HKEY_PERFORMANCE_DATA",
    "HKLM",
    "HKCU",
    "HKCR",
    "HKU",
    "HKCC",
];

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

    /// A run of hex digits `start..end` (bounded by non-hex characters, as in MSTICPy).
    fn hash(&mut self, start: usize, end: usize) {
        let b = self.b;
        let kind = match end - start {
            32 => IocType::Md5,
            40 => IocType::Sha1,
            64 => IocType::Sha256,
            128 => IocType::Sha512,
            _ => return,
        };
        // A run of decimal digits is a number, not a hash.
        if b[start..end].iter().all(u8::is_ascii_digit) {
            return;
        }
        // `0x` + 40 hex digits in mixed case is an Ethereum address (EIP-55 checksum case).
        let run = &b[start..end];
        let mixed =
            run.iter().any(u8::is_ascii_uppercase) && run.iter().any(u8::is_ascii_lowercase);
        if kind == IocType::Sha1
            && mixed
            && start >= 2
            && b[start - 2..start].eq_ignore_ascii_case(b"0x")
        {
            return;
        }
        // An import hash or Authenticode hash is not a file hash (`imphash: …`).
        let mut k = start;
        while k > 0
            && start - k < 12
            && matches!(b[k - 1], b' ' | b'\t' | b'\r' | b'\n' | b':' | b'=' | b'-')
        {
            k -= 1;
        }
        let label = &b[k.saturating_sub(12)..k];
        let ends = |w: &[u8]| {
            label.len() >= w.len() && label[label.len() - w.len()..].eq_ignore_ascii_case(w)
        };
        if k < start && (ends(b"imphash") || ends(b"import hash") || ends(b"authentihash")) {
            return;
        }
        self.push(kind, start, end);
    }

    // ---- digits: CVEs, ATT&CK ids ----

    fn digit(&mut self, i: usize) {
        let b = self.b;
        // Only the first digit of a number can start a CVE number or a technique id.
        if i > 0 && b[i - 1].is_ascii_digit() {
            return;
        }
        // `CVE-2021-44228` (also `cve 2021-44228`, `CVE_…`), years 1999–2099.
        if i >= 4
            && b[i - 4..i - 1].eq_ignore_ascii_case(b"CVE")
            && matches!(b[i - 1], b'-' | b' ' | b'_')
            && (i == 4 || !is_word(b[i - 5]))
        {
            let year_end = self.run_end(i, |c| c.is_ascii_digit());
            let year_ok = year_end - i == 4
                && self.text[i..year_end]
                    .parse::<u16>()
                    .is_ok_and(|y| (1999..=2099).contains(&y));
            if year_ok && b.get(year_end) == Some(&b'-') {
                let num_end = self.run_end(year_end + 1, |c| c.is_ascii_digit());
                let n = num_end - year_end - 1;
                if (4..=7).contains(&n) && !b.get(num_end).copied().is_some_and(is_word) {
                    let value = format!("CVE-{}", &self.text[i..num_end]);
                    (self.sink)(Hit {
                        kind: IocType::Cve,
                        start: i - 4,
                        end: num_end,
                        value: Some(value),
                        part: false,
                    });
                }
            }
        }
        // `T1059`, `T1059.001` (ATT&CK technique ids are T1000–T1999).
        if i >= 1
            && matches!(b[i - 1], b'T' | b't')
            && (i == 1 || !is_word(b[i - 2]))
            && b[i] == b'1'
        {
            let mut end = self.run_end(i, |c| c.is_ascii_digit());
            if end - i != 4 {
                return;
            }
            if b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit) {
                let sub = self.run_end(end + 1, |c| c.is_ascii_digit());
                if sub - end - 1 != 3 {
                    return;
                }
                end = sub;
            }
            if !b.get(end).copied().is_some_and(is_word) {
                let value = format!("T{}", &self.text[i..end]);
                (self.sink)(Hit {
                    kind: IocType::AttackTechnique,
                    start: i - 1,
                    end,
                    value: Some(value),
                    part: false,
                });
            }
        }
    }

    // ---- IPv4 and IPv4 CIDR ----

    /// At a `.` after a digit: the run of digits and dots around it.
    fn ipv4(&mut self, i: usize) {
        let b = self.b;
        let is_ip_char = |c: u8| CLASS[c as usize] & (C_DIGIT | C_DOT) != 0;
        let start = self.run_start(i, self.done[D_IPV4], is_ip_char);
        let end = self.run_end(i, is_ip_char);
        self.done[D_IPV4] = end;
        // Split the run at empty segments (`..`) and check each piece.
        let mut piece = start;
        while piece < end {
            let mut stop = piece;
            while stop < end && !(b[stop] == b'.' && b.get(stop + 1).is_none_or(|&c| c == b'.')) {
                stop += 1;
            }
            self.ipv4_piece(piece, stop, end);
            piece = stop + 1;
        }
    }

    /// `piece` is digits separated by single dots (maybe with a leading dot).
    fn ipv4_piece(&mut self, mut s: usize, mut e: usize, run_end: usize) {
        let b = self.b;
        let lead = s;
        while s < e && b[s] == b'.' {
            s += 1;
        }
        // After a dot that follows a name or number (`evil.1.2.3.4`, `v.1.2.3.4`), or at the
        // start of the text or of a line (`.1.1.1.1`), it is part of something longer.
        if (s > lead && (lead == 0 || b[lead - 1] == b'\n' || b[lead - 1].is_ascii_alphanumeric()))
            || (s > 0 && b[s - 1] == b'_')
        {
            return;
        }
        // A trailing dot ends a sentence, unless a name continues after it (`1.2.3.4.evil.com`).
        let mut trailing_dot = false;
        while e > s && b[e - 1] == b'.' {
            e -= 1;
            trailing_dot = true;
        }
        if trailing_dot && e + 1 == run_end && b.get(run_end).copied().is_some_and(is_label) {
            return;
        }
        let text = &self.text[s..e];
        let Some(leading_zero) = dotted_quad(text.as_bytes()) else {
            return;
        };
        // A version number (`updaterversion="1.3.173.55"`, `Version 10.0.19041.1`), as
        // installers and updaters write them, is not an address.
        if after_version_word(b, s) && !(self.defanged)(s, e) {
            return;
        }
        // A `_` right after means a longer token (`1.2.3.4_x`); letters are allowed
        // (`10.0.0.1dst`). A digit cannot follow: the run of digits and dots is maximal.
        if b.get(e).is_some_and(|&c| c.is_ascii_digit() || c == b'_') {
            return;
        }
        // CIDR suffix.
        if b.get(e) == Some(&b'/') {
            let pe = self.run_end(e + 1, |c| c.is_ascii_digit());
            let n = pe - e - 1;
            if (1..=2).contains(&n)
                && self.text[e + 1..pe].parse::<u8>().is_ok_and(|p| p <= 32)
                && !b.get(pe).copied().is_some_and(is_word)
            {
                self.push(IocType::Ipv4Cidr, s, pe);
                self.push_part(IocType::Ipv4, s, e);
                return;
            }
        }
        // Leading zeros are dropped from the value (`010.001.002.003` → `10.1.2.3`): the
        // octets are read as decimal, as ioc-finder does (the original text is kept).
        if leading_zero {
            let value = text
                .split('.')
                .map(|p| {
                    p.parse::<u8>()
                        .map_or_else(|_| p.to_owned(), |n| n.to_string())
                })
                .collect::<Vec<_>>()
                .join(".");
            (self.sink)(Hit {
                kind: IocType::Ipv4,
                start: s,
                end: e,
                value: Some(value),
                part: false,
            });
            return;
        }
        self.push(IocType::Ipv4, s, e);
    }

    // ---- domains ----

    fn dns(&mut self, i: usize) {
        let start = self.run_start(i, self.done[D_DNS], is_dns_run);
        let end = self.run_end(i, is_dns_run);
        self.done[D_DNS] = end;
        // Cisco-style MAC address: `0011.2233.4455`.
        let run = &self.b[start..end];
        if run.len() == 14
            && run
                .chunks(5)
                .all(|c| c[..4].iter().all(|&x| is_hex(x)) && (c.len() == 4 || c[4] == b'.'))
        {
            self.push(IocType::MacAddress, start, end);
            return;
        }
        if let Some((s, e)) = self.domain_in_run(start, end, false) {
            let b = self.b;
            let before = if s > 0 { b[s - 1] } else { b' ' };
            // Glued to a non-ASCII letter (`évil.example.com`): part of an international name
            // (reported whole as a URL's host, not cut here).
            let letter = |c: Option<char>| c.is_some_and(|c| !c.is_ascii() && c.is_alphanumeric());
            if letter(self.text[e..].chars().next())
                || letter(self.text[..start].chars().next_back())
                || letter(self.text[..s].chars().next_back())
            {
                return;
            }
            // After a backslash it is a file or folder name (`C:\Windows\x.exe`), except a UNC
            // server (`\\files.corp.example.com\share`).
            // A key of a registry path is a name, and a domain is one
            // (`…\Internet Explorer\DomainSuggestion\www.bing.com`, `…\ZoneMap\Domains\…`).
            let unc = s >= 2 && b[s - 2] == b'\\';
            let named = unc || (self.defanged)(s, e) || in_registry_path(b, s);
            if before == b'\\' && !named {
                return;
            }
            // `user@host`: the email recogniser reports it, with the address.
            if before == b'@' && self.email_domain == s {
                return;
            }
            // AV signature names (`W64/BURNTCIGAR.CA!tr`) and calls (`obj.open(`), unless
            // written defanged.
            if matches!(b.get(e), Some(b'!' | b'(')) && !(self.defanged)(s, e) {
                return;
            }
            let name = &self.text[s..e];
            let tld = &name[name.bytes().rposition(|c| c == b'.').map_or(0, |k| k + 1)..];
            if FILE_TLDS.iter().any(|f| f.eq_ignore_ascii_case(tld)) && !(self.defanged)(s, e) {
                let two_labels = name.bytes().filter(|&c| c == b'.').count() == 1;
                if two_labels || matches!(before, b'/' | b'\\') {
                    return;
                }
            }
            self.push(IocType::Dns, s, e);
            // Scheme-less URLs: a domain followed by a path, or written defanged (`evil[.]com`
            // in a report stands for a link).
            let in_url = (s >= self.url_body.0 && s <= self.url_body.1 && self.url_body.1 > 0)
                || s < self.schemeless_end;
            if self.opts.schemeless_urls && !in_url {
                if b.get(e) == Some(&b'/') && b.get(e + 1) != Some(&b'/') {
                    let mut end = e;
                    while end < b.len()
                        && is_url_char(b[end])
                        && b[end] != b','
                        && !is_stop_sequence(b, end)
                    {
                        end += 1;
                    }
                    self.schemeless_end = end;
                    let end = trim_url(b, s, end);
                    self.push(IocType::Url, s, end);
                } else if (self.defanged)(s, e) {
                    self.push(IocType::Url, s, e);
                }
            }
        }
    }

    /// The domain name at the end of the run `start..end` of label characters and dots: the
    /// longest suffix of valid labels, at most 253 bytes, with a valid TLD (and a registrable
    /// public suffix unless TLDs are ignored). `whole`: the run must be valid as a whole
    /// (email domains).
    fn domain_in_run(
        &self,
        mut start: usize,
        mut end: usize,
        whole: bool,
    ) -> Option<(usize, usize)> {
        let b = self.b;
        // A percent-escape glued on the front (`%2Fevil.com`, `%252Fevil.com`) is not a label.
        if start >= 1
            && b[start - 1] == b'%'
            && end - start > 2
            && is_hex(b[start])
            && is_hex(b[start + 1])
        {
            let escaped_percent = b[start..start + 2].eq_ignore_ascii_case(b"25");
            start += 2;
            if escaped_percent && end - start > 2 && is_hex(b[start]) && is_hex(b[start + 1]) {
                start += 2;
            }
        }
        while start < end && matches!(b[start], b'.' | b'-') {
            start += 1;
        }
        while end > start && matches!(b[end - 1], b'.' | b'-' | b'_') {
            end -= 1;
        }
        if end <= start {
            return None;
        }
        // The label ending at `e` starts at `label_start(e)` (labels are short: a plain loop).
        let label_start = |e: usize| {
            let mut k = e;
            while k > start && b[k - 1] != b'.' {
                k -= 1;
            }
            k
        };
        let tld = &b[label_start(end)..end];
        let tld_ok = (2..=63).contains(&tld.len())
            && (tld.iter().all(u8::is_ascii_alphabetic)
                || (tld.len() > 4
                    && tld[..4].eq_ignore_ascii_case(b"xn--")
                    && tld.iter().copied().all(is_label)));
        if !tld_ok {
            return None;
        }
        let mut s = end - tld.len();
        let mut count = 1;
        // The labels before the TLD, right to left, while they are valid.
        while s > start {
            let le = s - 1;
            let ls = label_start(le);
            let label = &b[ls..le];
            let ok = !label.is_empty()
                && label.len() <= 63
                && label[0] != b'-'
                && !matches!(label[label.len() - 1], b'-' | b'_')
                && end - ls <= 253;
            if !ok {
                if whole {
                    return None;
                }
                break;
            }
            s = ls;
            count += 1;
        }
        if count < 2 {
            return None;
        }
        let domain = &self.text[s..end];
        if !self.opts.ignore_tlds && !self.psl.is_registrable(domain) {
            return None;
        }
        Some((s, end))
    }

    // ---- email ----

    fn email(&mut self, i: usize) {
        let floor = self.done[D_EMAIL];
        self.done[D_EMAIL] = i + 1;
        if self.userinfo_ats.last() == Some(&i) {
            return;
        }
        let b = self.b;
        let mut ls = self.run_start(i, floor, is_local);
        while ls < i && matches!(b[ls], b'.' | b'-') {
            ls += 1;
        }
        if ls == i || i - ls > 64 || b[i - 1] == b'.' {
            return;
        }
        // An address literal: `user@[192.0.2.1]`, `user@[IPv6:2001:db8::1]`.
        if b.get(i + 1) == Some(&b'[') {
            let Some(close) = (i + 2..b.len().min(i + 60)).find(|&k| b[k] == b']') else {
                return;
            };
            let inner = &self.text[i + 2..close];
            let ok = inner.parse::<Ipv4Addr>().is_ok()
                || inner
                    .get(..5)
                    .is_some_and(|p| p.eq_ignore_ascii_case("ipv6:"))
                    && inner[5..].parse::<Ipv6Addr>().is_ok();
            if ok {
                self.done[D_EMAIL] = close + 1;
                self.push(IocType::Email, ls, close + 1);
            }
            return;
        }
        let de = self.run_end(i + 1, |c| {
            c.is_ascii_alphanumeric() || c == b'-' || c == b'.'
        });
        // `user@192.0.2.1` (no brackets), as mail logs write it.
        let bare = self.text[i + 1..de].trim_end_matches('.');
        if bare.parse::<Ipv4Addr>().is_ok() {
            self.done[D_EMAIL] = i + 1 + bare.len();
            self.push(IocType::Email, ls, i + 1 + bare.len());
            return;
        }
        let Some((ds, de)) = self.domain_in_run(i + 1, de, false) else {
            // Mail inside an organisation: `jdoe@ws-0042.corp.local`. The address is an
            // indicator; its domain, not being public, is not reported as `dns`.
            if let Some(end) = internal_domain(&b[i + 1..de]) {
                self.done[D_EMAIL] = i + 1 + end;
                self.push(IocType::Email, ls, i + 1 + end);
            }
            return;
        };
        if ds != i + 1 {
            return;
        }
        self.done[D_EMAIL] = de;
        self.email_domain = ds;
        self.push(IocType::Email, ls, de);
        self.push_part(IocType::Dns, ds, de);
    }

    // ---- URLs ----

    /// At the `:` of `://`.
    fn url(&mut self, i: usize) {
        let b = self.b;
        self.done[D_URL] = i + 3;
        // The scheme: the longest known one the word before `://` ends with (`xhttp` → http,
        // as decoded blobs glue words together).
        let word_start = self.run_start(i, i.saturating_sub(10), |c| c.is_ascii_alphanumeric());
        // The word's last 1–6 bytes, lower-cased, as keys (see [`scheme_key`]).
        let mut tails = [u64::MAX; 7];
        let mut key = 0u64;
        for (n, &c) in b[word_start..i].iter().rev().take(6).enumerate() {
            key |= u64::from(c.to_ascii_lowercase()) << (8 * n);
            tails[n + 1] = key | ((n as u64 + 1) << 56);
        }
        // The longest tail that is a scheme.
        let Some(scheme) = tails[1..=(i - word_start).min(6)]
            .iter()
            .rev()
            .find_map(|key| {
                SCHEME_KEYS
                    .binary_search_by_key(key, |&(k, _)| k)
                    .ok()
                    .map(|k| SCHEME_KEYS[k].1)
            })
        else {
            return;
        };
        let s = i - scheme.len();
        let body = i + 3;
        // URLs nested in an earlier URL's body end where it ends.
        let raw_end = if body > self.url_body.0 && body < self.url_body.1 {
            self.nested_urls += 1;
            if self.nested_urls > MAX_NESTED_URLS {
                return;
            }
            self.url_body.1
        } else {
            self.nested_urls = 0;
            // A comma in the host or path ends a URL (CSV, lists), except in LDAP URLs
            // (`dc=example,dc=com`); the query may have commas (`?family=Lato:400,700`).
            let mut comma_ok = scheme.starts_with("ldap");
            let mut e = body;
            loop {
                // Plain URL bytes in a tight loop; the others decide one by one.
                while e < b.len() && !URL_LOOK[b[e] as usize] {
                    e += 1;
                }
                if e < b.len()
                    && is_url_char(b[e])
                    && (comma_ok || b[e] != b',')
                    && !is_stop_sequence(b, e)
                {
                    comma_ok |= b[e] == b'?';
                    e += 1;
                } else {
                    break;
                }
            }
            // Quoted or bracketed (`'http://…'`, `(http://…)`, `[http://…]`): ends at the closer.
            let closer = match s.checked_sub(1).map(|k| b[k]) {
                Some(b'\'') => Some(b'\''),
                Some(b'(') => Some(b')'),
                Some(b'[') => Some(b']'),
                _ => None,
            };
            if let Some(c) = closer {
                e = (body..e).find(|&k| b[k] == c).unwrap_or(e);
            }
            self.url_body = (body, e);
            e
        };
        let end = trim_url(b, s, raw_end);
        if end <= body && scheme != "file" {
            return;
        }
        // Authority: [userinfo@]host[:port].
        let auth_end = (body..end)
            .find(|&k| matches!(b[k], b'/' | b'?' | b'#'))
            .unwrap_or(end);
        let host_start = match (body..auth_end).rev().find(|&k| b[k] == b'@') {
            Some(at) => {
                self.userinfo_ats.push(at);
                at + 1
            }
            None => body,
        };
        let (host_end, host_kind) = if b.get(host_start) == Some(&b'[') {
            let Some(close) = (host_start..auth_end).find(|&k| b[k] == b']') else {
                return;
            };
            if self.text[host_start + 1..close]
                .parse::<Ipv6Addr>()
                .is_err()
            {
                return;
            }
            (close + 1, Some((IocType::Ipv6, host_start + 1, close)))
        } else {
            let he = (host_start..auth_end)
                .find(|&k| b[k] == b':')
                .unwrap_or(auth_end);
            let host = &self.text[host_start..he];
            let kind = if host.parse::<Ipv4Addr>().is_ok() {
                Some((IocType::Ipv4, host_start, he))
            } else if is_host_name(host) {
                // A one-label host (`http://intranet/x`) needs a path or port after it;
                // `http://192,168,0,1` and `http://example,com` are not URLs.
                let single = !has_dot(host.trim_end_matches('.').as_bytes());
                if single
                    && (host.bytes().all(|c| c.is_ascii_digit()) || he >= end)
                    && host != "localhost"
                {
                    return;
                }
                // The host is reported as `dns` when it is a registrable name.
                let he_name = he - usize::from(host.ends_with('.'));
                let name = &self.text[host_start..he_name];
                let ok = has_dot(name.as_bytes())
                    && (self.opts.ignore_tlds || self.psl.is_registrable(name));
                ok.then_some((IocType::Dns, host_start, he_name))
            } else if host.is_empty() && scheme == "file" {
                None
            } else {
                return;
            };
            (he, kind)
        };
        // Port: digits only.
        if host_end < auth_end {
            let port = &self.text[host_end..auth_end];
            if !(port.starts_with(':') && port[1..].bytes().all(|c| c.is_ascii_digit())) {
                return;
            }
        }
        self.push(IocType::Url, s, end);
        self.url_host = (host_start, host_end);
        if let Some((kind, hs, he)) = host_kind
            && hs < he
        {
            self.push_part(kind, hs, he);
        }
    }

    // ---- IPv6, IPv6 CIDR and MAC addresses ----

    fn ipv6(&mut self, i: usize) {
        let b = self.b;
        let is_v6 = |c: u8| CLASS[c as usize] & (C_HEX | C_COLON | C_DOT) != 0;
        let start = self.run_start(i, self.done[D_IPV6], is_v6);
        let end = self.run_end(i, is_v6);
        self.done[D_IPV6] = end;
        let glued_before = start > 0 && is_word(b[start - 1]);
        let glued_after = b.get(end).copied().is_some_and(is_word);
        // MAC address: six pairs of hex digits.
        if !glued_before && !glued_after && end - start == 17 && is_mac(&b[start..end], b':') {
            self.push(IocType::MacAddress, start, end);
            return;
        }
        if glued_after {
            return;
        }
        let mut s = start;
        let mut e = end;
        while s < e && b[s] == b'.' {
            s += 1;
        }
        if s == e {
            return;
        }
        // `ip6:2001:db8::1` (the run began inside a word): drop the word's tail.
        if glued_before {
            match (s..e).find(|&k| b[k] == b':') {
                Some(k) if !b[k..].starts_with(b"::") => s = k + 1,
                _ => return,
            }
        } else if b[s] == b':' && !b[s..].starts_with(b"::") {
            s += 1;
        }
        while e > s && b[e - 1] == b'.' {
            e -= 1;
        }
        // Every IPv6 address has two colons or more (`Host:`, `12:30` are not worth parsing).
        if b[s..e].iter().filter(|&&c| c == b':').count() < 2 {
            return;
        }
        let mut candidate = &self.text[s..e];
        if candidate.parse::<Ipv6Addr>().is_err()
            && candidate.ends_with(':')
            && !candidate.ends_with("::")
        {
            e -= 1;
            candidate = &self.text[s..e];
        }
        if candidate == "::" || candidate.parse::<Ipv6Addr>().is_err() {
            return;
        }
        // Zone id (`fe80::1%eth0`) is skipped; a prefix length makes a CIDR.
        if b.get(e) == Some(&b'/') {
            let pe = self.run_end(e + 1, |c| c.is_ascii_digit());
            if (1..=3).contains(&(pe - e - 1))
                && self.text[e + 1..pe].parse::<u8>().is_ok_and(|p| p <= 128)
                && !b.get(pe).copied().is_some_and(is_word)
            {
                self.push(IocType::Ipv6Cidr, s, pe);
                self.push_part(IocType::Ipv6, s, e);
                return;
            }
        }
        self.push(IocType::Ipv6, s, e);
        // An embedded IPv4 address (`::ffff:192.0.2.128`) is also reported as IPv4.
        if let Some(dot) = candidate.bytes().position(|c| c == b'.') {
            let v4s = candidate.as_bytes()[..dot]
                .iter()
                .rposition(|&c| c == b':')
                .map_or(s, |k| s + k + 1);
            if self.text[v4s..e].parse::<Ipv4Addr>().is_ok() {
                self.push_part(IocType::Ipv4, v4s, e);
            }
        }
    }

    /// At a `-`: `00-1a-2b-3c-4d-5e`.
    fn mac_dashed(&mut self, i: usize) {
        let b = self.b;
        if i < 2
            || !is_hex(b[i - 1])
            || !is_hex(b[i - 2])
            || (i >= 3 && (is_word(b[i - 3]) || b[i - 3] == b'-'))
        {
            return;
        }
        let s = i - 2;
        if s + 17 <= b.len()
            && is_mac(&b[s..s + 17], b'-')
            && !b.get(s + 17).is_some_and(|&c| is_word(c) || c == b'-')
        {
            self.done[D_MAC] = s + 17;
            self.push(IocType::MacAddress, s, s + 17);
        }
    }

    // ---- Windows paths and registry keys ----

    /// At a `\` (or the `/` after a drive's colon).
    fn windows_path(&mut self, i: usize) {
        let b = self.b;
        let sep = b[i];
        // The root: `C:\`, `\\server\`, `.\`, `..\`, `%VAR%\`, or a registry hive.
        let (root_start, kind) = if i >= 2
            && b[i - 1] == b':'
            && b[i - 2].is_ascii_alphabetic()
            && (i == 2 || !is_word(b[i - 3]))
        {
            // A drive root: one letter, a colon, a separator (`C:\`, `C:/`).
            (i - 2, IocType::WindowsPath)
        } else if sep == b'\\'
            && b.get(i + 1) == Some(&b'\\')
            && (i == 0 || !is_path_char(b[i - 1]))
        {
            let server_end = self.run_end(i + 2, |c| is_word(c) || matches!(c, b'.' | b'$' | b'-'));
            if server_end == i + 2 || b.get(server_end) != Some(&b'\\') {
                self.done[D_WPATH] = i + 2;
                return;
            }
            (i, IocType::WindowsPath)
        } else if sep == b'\\' && i >= 1 && b[i - 1] == b'.' {
            let s = if i >= 2 && b[i - 2] == b'.' {
                i - 2
            } else {
                i - 1
            };
            if s > 0 && is_path_char(b[s - 1]) {
                return;
            }
            (s, IocType::WindowsPath)
        } else if sep == b'\\' && i >= 3 && b[i - 1] == b'%' {
            let Some(open) = (0..i - 1).rev().take(64).find(|&k| b[k] == b'%') else {
                return;
            };
            if open + 1 == i - 1
                || !b[open + 1..i - 1]
                    .iter()
                    .all(|&c| is_word(c) || matches!(c, b'(' | b')'))
            {
                return;
            }
            (open, IocType::WindowsPath)
        } else if sep == b'\\' {
            // `HKLM\…`, `HKLM:\…` (PowerShell drive), `Registry::HKEY_…\…`, `<HKCU>\…`.
            let angle = i > 0 && b[i - 1] == b'>';
            let word_end = i - usize::from(angle);
            let ws = self.run_start(word_end, word_end.saturating_sub(40), |c| {
                is_word(c) || c == b':'
            });
            let word = self.text[ws..word_end].trim_end_matches(':');
            let hive = word.rsplit("::").next().unwrap_or(word);
            if !HIVES.iter().any(|h| h.eq_ignore_ascii_case(hive)) {
                return;
            }
            if angle {
                if ws == 0 || b[ws - 1] != b'<' || hive.len() != word_end - ws {
                    return;
                }
                let end = self.path_end(i, sep, true);
                self.done[D_WPATH] = end.max(i + 1);
                let end = trim_path(b, i, end);
                if end > i + 1 {
                    let value = format!("{hive}{}", &self.text[i..end]);
                    (self.sink)(Hit {
                        kind: IocType::RegistryKey,
                        start: ws - 1,
                        end,
                        value: Some(value),
                        part: false,
                    });
                }
                return;
            }
            if ws > 0 && is_path_char(b[ws - 1]) {
                return;
            }
            (ws, IocType::RegistryKey)
        } else {
            return;
        };
        let end = self.path_end(i, sep, kind == IocType::RegistryKey);
        self.done[D_WPATH] = end.max(i + 1);
        // At least one name after the root.
        let end = trim_path(b, i, end);
        if end <= i + 1 {
            return;
        }
        self.push(kind, root_start, end);
    }

    /// The end of a path whose first separator is at `i`: names separated by `sep`; a space
    /// belongs to a name only when the following word reaches another separator before any
    /// other space (`C:\Program Files\x.exe`, not `C:\a.exe and .\b.bat`).
    fn path_end(&self, i: usize, sep: u8, registry: bool) -> usize {
        let names = if registry {
            &REGISTRY_NAME
        } else {
            &WINDOWS_NAME
        };
        self.segments_end(i, sep, names, false).0
    }

    /// The end of the names after the separator at `i`, and how many non-empty names there
    /// are. Up to five space-separated words belong to one name when a separator follows them
    /// (`Image File Execution Options\`); curly quotes and non-breaking spaces end a name.
    /// `capitalised`: (Linux) only after two names, and only capitalised words
    /// (`/Library/Application Support/x`, not `/c whoami 3/4`).
    fn segments_end(
        &self,
        i: usize,
        sep: u8,
        name_char: &[bool; 256],
        capitalised: bool,
    ) -> (usize, usize) {
        let b = self.b;
        let name_end = |k: usize| {
            let mut e = k;
            while e < b.len()
                && name_char[b[e] as usize]
                && (b[e] < 0x80 || !is_stop_sequence(b, e))
            {
                e += 1;
            }
            e
        };
        let mut k = i;
        let mut names = 0;
        while k < b.len() && b[k] == sep {
            let start = k + 1;
            k = name_end(start);
            // Words separated by single spaces, if a separator follows the last one.
            let mut w = k;
            let mut words = 0;
            let spaces_ok = !capitalised || names >= 2;
            while spaces_ok
                && b.get(w) == Some(&b' ')
                && words < 5
                && (!capitalised || b.get(w + 1).is_some_and(u8::is_ascii_uppercase))
            {
                let e = name_end(w + 1);
                // A new root (`… HKLM\…`, `… .\x`, `… %TEMP%\x`) starts a new path.
                let word = &b[w + 1..e];
                let root = word.iter().all(|&c| c == b'.')
                    || (word.len() > 2 && word[0] == b'%' && word[word.len() - 1] == b'%')
                    || {
                        let bare = word
                            .strip_prefix(b"<")
                            .and_then(|w| w.strip_suffix(b">"))
                            .unwrap_or(word);
                        let bare = bare.strip_suffix(b":").unwrap_or(bare);
                        HIVES
                            .iter()
                            .any(|h| h.as_bytes().eq_ignore_ascii_case(bare))
                    };
                if e == w + 1 || root {
                    break;
                }
                words += 1;
                if b.get(e) == Some(&sep) {
                    k = e;
                    break;
                }
                w = e;
            }
            if k > start {
                names += 1;
            }
        }
        (k, names)
    }

    // ---- Linux paths ----

    fn linux_path(&mut self, i: usize) {
        let b = self.b;
        // Roots: `/` at the start of a token, `./`, `../`, `~/`.
        let root_start = match i.checked_sub(1).map(|k| b[k]) {
            None => i,
            Some(b'.') => {
                let s = if i >= 2 && b[i - 2] == b'.' {
                    i - 2
                } else {
                    i - 1
                };
                if s > 0 && !is_token_boundary(b[s - 1]) {
                    return;
                }
                s
            }
            Some(b'~') => {
                if i >= 2 && !is_token_boundary(b[i - 2]) {
                    return;
                }
                i - 1
            }
            Some(c) if is_token_boundary(c) => i,
            _ => return,
        };
        if b.get(i + 1) == Some(&b'/') {
            self.done[D_LPATH] = i + 2;
            return;
        }
        let (k, names) = self.segments_end(i, b'/', &LINUX_NAME, true);
        self.done[D_LPATH] = k;
        let mut end = k;
        while end > i && matches!(b[end - 1], b'.' | b'/') {
            end -= 1;
        }
        let needed = if root_start == i { 2 } else { 1 };
        if names < needed || end <= i + 1 {
            return;
        }
        self.push(IocType::LinuxPath, root_start, end);
    }
}

/// Whether a (short) name has a dot: a plain loop (`memchr`, which `contains` uses, is slower
/// for a few bytes in wasm).
#[allow(clippy::manual_contains)]
fn has_dot(name: &[u8]) -> bool {
    name.iter().any(|&c| c == b'.')
}

/// A path's end without trailing dots and separators (`e:\backup\`, `…exe.`).
fn trim_path(b: &[u8], i: usize, mut end: usize) -> usize {
    // An unbalanced `)` closes a parenthesis the path is in (`(… → %APPDATA%\x.exe)`).
    let mut open = b[i..end].iter().filter(|&&c| c == b'(').count() as isize
        - b[i..end].iter().filter(|&&c| c == b')').count() as isize;
    while end > i + 1 {
        match b[end - 1] {
            b'.' | b'\\' | b'/' => {}
            b')' if open < 0 => open += 1,
            _ => break,
        }
        end -= 1;
    }
    end
}

fn is_mac(s: &[u8], sep: u8) -> bool {
    s.len() == 17
        && s.chunks(3)
            .all(|c| is_hex(c[0]) && is_hex(c[1]) && (c.len() == 2 || c[2] == sep))
}

#[inline(always)]
fn is_path_char(c: u8) -> bool {
    is_word(c) || matches!(c, b'.' | b'\\' | b'/' | b'$' | b'-' | b'%')
}

#[inline(always)]
fn is_token_boundary(c: u8) -> bool {
    c.is_ascii_whitespace()
        || matches!(
            c,
            b'"' | b'\'' | b'=' | b'(' | b',' | b'`' | b'>' | b'<' | b'|' | b';' | b'[' | b'{'
        )
}

/// The bytes `except` plus controls (and non-ASCII bytes: all of them can be in a name; the
/// stop sequences are checked apart) as a table of name bytes.
const fn name_table(except: &[u8]) -> [bool; 256] {
    let mut t = [true; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = !(c as u8).is_ascii_control();
        c += 1;
    }
    let mut k = 0;
    while k < except.len() {
        t[except[k] as usize] = false;
        k += 1;
    }
    t
}

/// Bytes of a Windows file name.
static WINDOWS_NAME: [bool; 256] = name_table(b"/:*?\"<>|\\ \t,;'");
/// Bytes of a registry key name.
static REGISTRY_NAME: [bool; 256] = name_table(b"\"'|\\ \t,;");
/// Bytes of a Linux file name.
static LINUX_NAME: [bool; 256] = name_table(b" \t\n\x0c\r/<>|\"'`;&():,\\");

/// Non-ASCII characters that end a URL or a path: a no-break space, curly quotes, full-width
/// or ideographic punctuation, and U+FFFD (undecodable bytes).
#[inline(always)]
fn is_stop_sequence(b: &[u8], k: usize) -> bool {
    match b[k] {
        0xC2 => b.get(k + 1) == Some(&0xA0),
        0xE2 => {
            b.get(k + 1) == Some(&0x80)
                && b.get(k + 2)
                    .is_some_and(|&c| matches!(c, 0x98 | 0x99 | 0x9C | 0x9D))
        }
        0xE3 => {
            b.get(k + 1) == Some(&0x80) && b.get(k + 2).is_some_and(|&c| matches!(c, 0x81 | 0x82))
        }
        0xEF => {
            (b.get(k + 1) == Some(&0xBC)
                && b.get(k + 2)
                    .is_some_and(|&c| matches!(c, 0x89 | 0x8C | 0x9C | 0x9E)))
                || (b.get(k + 1) == Some(&0xBF) && b.get(k + 2) == Some(&0xBD))
        }
        _ => false,
    }
}

/// Characters a URL body may contain (anything but spaces, controls, quotes and `<>`…).
#[inline(always)]
const fn is_url_char(c: u8) -> bool {
    !(c.is_ascii_whitespace()
        || c.is_ascii_control()
        || matches!(
            c,
            b'"' | b'<' | b'>' | b'`' | b'{' | b'}' | b'|' | b'\\' | b'^'
        ))
}

/// Bytes a URL body scan must look at: the ones that may end it (see [`is_url_char`]), `,` and
/// `?`, and the first bytes of the stop sequences ([`is_stop_sequence`]).
static URL_LOOK: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = !is_url_char(c as u8) || matches!(c as u8, b',' | b'?' | 0xC2 | 0xE2 | 0xE3 | 0xEF);
        c += 1;
    }
    t
};

/// A URL host: labels of letters, digits, `-`, `_` or non-ASCII, separated by dots.
fn is_host_name(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host).as_bytes();
    if host.is_empty() || host.len() > 253 {
        return false;
    }
    host.split(|&c| c == b'.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && l.iter().all(|&c| is_label(c) || c >= 0x80)
            && l[0] != b'-'
            && l[l.len() - 1] != b'-'
    })
}

/// Trims trailing punctuation from a URL body `s..e`: `.,;:!?'*` always, closing brackets and
/// quotes unless the URL opened them.
fn trim_url(b: &[u8], s: usize, mut e: usize) -> usize {
    // Brackets are balanced over the last 2 KiB (bounded work for nested URLs), counted only
    // when the URL ends in a closing one.
    let window = &b[s.max(e.saturating_sub(2048))..e];
    let count = || {
        let (mut paren, mut bracket) = (0isize, 0isize);
        for &c in window {
            match c {
                b'(' => paren += 1,
                b')' => paren -= 1,
                b'[' => bracket += 1,
                b']' => bracket -= 1,
                _ => {}
            }
        }
        (paren, bracket)
    };
    let mut balance: Option<(isize, isize)> = None;
    while e > s {
        let trim = match b[e - 1] {
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'*' => true,
            b')' => {
                let (paren, _) = balance.get_or_insert_with(count);
                *paren += 1;
                *paren <= 0
            }
            b']' => {
                let (_, bracket) = balance.get_or_insert_with(count);
                *bracket += 1;
                *bracket <= 0
            }
            _ => false,
        };
        if !trim {
            break;
        }
        e -= 1;
    }
    e
}

/// Suffixes of private (non-public) mail domains: Active Directory's and RFC 6762/8375's.
const INTERNAL_SUFFIXES: [&str; 7] = [
    ".local",
    ".localdomain",
    ".internal",
    ".corp",
    ".lan",
    ".intranet",
    ".home.arpa",
];

/// The length of `run` as a private domain of at least two valid labels ending in one of
/// [`INTERNAL_SUFFIXES`] (a trailing `.` left out), if it is one.
fn internal_domain(run: &[u8]) -> Option<usize> {
    let mut end = run.len();
    while end > 0 && run[end - 1] == b'.' {
        end -= 1;
    }
    let d = &run[..end];
    let lower = |x: &[u8]| x.to_ascii_lowercase();
    let internal = INTERNAL_SUFFIXES
        .iter()
        .any(|s| d.len() > s.len() && lower(&d[d.len() - s.len()..]) == s.as_bytes());
    let labels_ok = d.split(|&c| c == b'.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && l[0] != b'-'
            && l[l.len() - 1] != b'-'
            && l.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-')
    });
    (internal && labels_ok && end <= 253).then_some(end)
}

/// Whether the text before `at`, on its line (up to 512 bytes back), starts a registry path:
/// a hive (`HKLM\`, `HKCU:\`, `HKEY_…`, `HKU\`, `HKCR\`) followed by backslashes up to `at`.
fn in_registry_path(b: &[u8], at: usize) -> bool {
    let from = at.saturating_sub(512);
    let line = b[from..at]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(from, |k| from + k + 1);
    let upper = b[line..at].to_ascii_uppercase();
    [
        "HKLM\\", "HKCU\\", "HKU\\", "HKCR\\", "HKLM:\\", "HKCU:\\", "HKEY_",
    ]
    .iter()
    .any(|h| upper.windows(h.len()).any(|w| w == h.as_bytes()))
}

/// Whether the bytes before `at` are a version label: `version` (any case, also ending a word
/// such as `updaterversion`) or the word `ver`, then `="`, `='`, `=`, `: `, `:` or a space.
fn after_version_word(b: &[u8], at: usize) -> bool {
    let before = &b[at.saturating_sub(12)..at];
    let mut k = before.len();
    for sep in [&b"=\""[..], b"='", b"=", b": ", b":", b" "] {
        if before.ends_with(sep) {
            k -= sep.len();
            break;
        }
    }
    if k == before.len() {
        return false;
    }
    let word = before[..k].to_ascii_lowercase();
    // `ver` alone, not the end of `server` or `driver`.
    let alone = |w: &[u8], n: usize| w.len() == n || !w[w.len() - n - 1].is_ascii_alphabetic();
    word.ends_with(b"version") || (word.ends_with(b"ver") && alone(&word, 3))
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
