//! URLs: a scheme, then a host and the rest, nested URLs included.

use super::*;

impl Scanner<'_> {
    /// At the `:` of `://`.
    pub(super) fn url(&mut self, i: usize) {
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
}

/// At most this many URLs nested in one URL's body are reported.
pub(super) const MAX_NESTED_URLS: usize = 8;

/// URL schemes recognised (lower-case). Unknown schemes are not URLs.
pub(super) const SCHEMES: &[&str] = &[
    "http", "https", "ftp", "ftps", "sftp", "sftps", "tftp", "telnet", "ldap", "ldaps", "file",
    "ws", "wss", "smb", "cifs", "nfs", "ssh", "scp", "rdp", "vnc", "irc", "ircs", "gopher", "rtsp",
    "rtmp", "mms", "nntp", "imap", "imaps", "pop3", "pop3s", "smtp", "smtps", "tcp", "udp", "git",
    "svn", "s3",
];

/// A scheme (at most 6 bytes) as one number: its bytes, last first, and its length.
pub(super) const fn scheme_key(s: &str) -> u64 {
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
pub(super) static SCHEME_KEYS: [(u64, &str); SCHEMES.len()] = {
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

/// Characters a URL body may contain (anything but spaces, controls, quotes and `<>`…).
#[inline(always)]
pub(super) const fn is_url_char(c: u8) -> bool {
    !(c.is_ascii_whitespace()
        || c.is_ascii_control()
        || matches!(
            c,
            b'"' | b'<' | b'>' | b'`' | b'{' | b'}' | b'|' | b'\\' | b'^'
        ))
}

/// Bytes a URL body scan must look at: the ones that may end it (see [`is_url_char`]), `,` and
/// `?`, and the first bytes of the stop sequences ([`is_stop_sequence`]).
pub(super) static URL_LOOK: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = !is_url_char(c as u8) || matches!(c as u8, b',' | b'?' | 0xC2 | 0xE2 | 0xE3 | 0xEF);
        c += 1;
    }
    t
};

/// A URL host: labels of letters, digits, `-`, `_` or non-ASCII, separated by dots.
pub(super) fn is_host_name(host: &str) -> bool {
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
pub(super) fn trim_url(b: &[u8], s: usize, mut e: usize) -> usize {
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
