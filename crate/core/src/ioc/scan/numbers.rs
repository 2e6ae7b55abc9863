//! Numbers: hashes, IPv4 (dotted quads), IPv6 and dashed MAC addresses.

use super::*;

impl Scanner<'_> {
    /// A run of hex digits `start..end` (bounded by non-hex characters, as in MSTICPy).
    pub(super) fn hash(&mut self, start: usize, end: usize) {
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

    pub(super) fn digit(&mut self, i: usize) {
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
    pub(super) fn ipv4(&mut self, i: usize) {
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
    pub(super) fn ipv4_piece(&mut self, mut s: usize, mut e: usize, run_end: usize) {
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

    pub(super) fn ipv6(&mut self, i: usize) {
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
    pub(super) fn mac_dashed(&mut self, i: usize) {
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
}

/// Four decimal octets (0–255, one to three digits each) separated by single dots: `Some(true)`
/// when one has a leading zero (`010`).
pub(super) fn dotted_quad(s: &[u8]) -> Option<bool> {
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

pub(super) fn is_mac(s: &[u8], sep: u8) -> bool {
    s.len() == 17
        && s.chunks(3)
            .all(|c| is_hex(c[0]) && is_hex(c[1]) && (c.len() == 2 || c[2] == sep))
}

/// Whether the bytes before `at` are a version label: `version` (any case, also ending a word
/// such as `updaterversion`) or the word `ver`, then `="`, `='`, `=`, `: `, `:` or a space.
pub(super) fn after_version_word(b: &[u8], at: usize) -> bool {
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
