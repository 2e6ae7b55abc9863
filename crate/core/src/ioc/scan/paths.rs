//! Paths: Windows paths, registry keys and Linux paths.

use super::*;

impl Scanner<'_> {
    /// At a `\` (or the `/` after a drive's colon).
    pub(super) fn windows_path(&mut self, i: usize) {
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
    pub(super) fn path_end(&self, i: usize, sep: u8, registry: bool) -> usize {
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
    pub(super) fn segments_end(
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

    pub(super) fn linux_path(&mut self, i: usize) {
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

/// Registry hives (upper-case), long and short forms.
pub(super) const HIVES: &[&str] = &[
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

/// Whether a (short) name has a dot: a plain loop (`memchr`, which `contains` uses, is slower
/// for a few bytes in wasm).
#[allow(clippy::manual_contains)]
pub(super) fn has_dot(name: &[u8]) -> bool {
    name.iter().any(|&c| c == b'.')
}

/// A path's end without trailing dots and separators (`e:\backup\`, `…exe.`).
pub(super) fn trim_path(b: &[u8], i: usize, mut end: usize) -> usize {
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

#[inline(always)]
pub(super) fn is_path_char(c: u8) -> bool {
    is_word(c) || matches!(c, b'.' | b'\\' | b'/' | b'$' | b'-' | b'%')
}

#[inline(always)]
pub(super) fn is_token_boundary(c: u8) -> bool {
    c.is_ascii_whitespace()
        || matches!(
            c,
            b'"' | b'\'' | b'=' | b'(' | b',' | b'`' | b'>' | b'<' | b'|' | b';' | b'[' | b'{'
        )
}

/// The bytes `except` plus controls (and non-ASCII bytes: all of them can be in a name; the
/// stop sequences are checked apart) as a table of name bytes.
pub(super) const fn name_table(except: &[u8]) -> [bool; 256] {
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
pub(super) static WINDOWS_NAME: [bool; 256] = name_table(b"/:*?\"<>|\\ \t,;'");
/// Bytes of a registry key name.
pub(super) static REGISTRY_NAME: [bool; 256] = name_table(b"\"'|\\ \t,;");
/// Bytes of a Linux file name.
pub(super) static LINUX_NAME: [bool; 256] = name_table(b" \t\n\x0c\r/<>|\"'`;&():,\\");

/// Non-ASCII characters that end a URL or a path: a no-break space, curly quotes, full-width
/// or ideographic punctuation, and U+FFFD (undecodable bytes).
#[inline(always)]
pub(super) fn is_stop_sequence(b: &[u8], k: usize) -> bool {
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
