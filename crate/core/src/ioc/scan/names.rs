//! Names: domains (checked against the Public Suffix List) and emails.

use super::*;

impl Scanner<'_> {
    pub(super) fn dns(&mut self, i: usize) {
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
    pub(super) fn domain_in_run(
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

    pub(super) fn email(&mut self, i: usize) {
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
}

/// Top-level domains that are also common file extensions: a bare two-label name ending in one
/// (`setup.py`, `archive.zip`, `readme.md`) or one right after a path separator
/// (`/opt/app/main.py`) is taken as a file name unless it was written defanged.
pub(super) const FILE_TLDS: &[&str] = &[
    "zip", "mov", "py", "sh", "md", "pl", "pm", "rs", "so", "ps", "cc", "ai", "ml", "mk", "bz",
];

/// Suffixes of private (non-public) mail domains: Active Directory's and RFC 6762/8375's.
pub(super) const INTERNAL_SUFFIXES: [&str; 7] = [
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
pub(super) fn internal_domain(run: &[u8]) -> Option<usize> {
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
pub(super) fn in_registry_path(b: &[u8], at: usize) -> bool {
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

/// Characters of an email's local part (RFC 5322's atext without the ones that mostly glue
/// junk on: `/ = ? { | } '` and backquote).
#[inline(always)]
pub(super) fn is_local(c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'.' | b'_' | b'%' | b'+' | b'-' | b'#' | b'!' | b'$' | b'&' | b'*' | b'^' | b'~'
        )
}
