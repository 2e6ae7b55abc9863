//! Refanging (undoing the "defang" edits analysts make so indicators are not clickable) with an
//! offset map back to the original text, and its inverse, [`defang`].
//!
//! The vocabulary is the union of the peers' (ioc-fanger, InQuest iocextract, ioc-extractor,
//! MSTICPy) in one linear pass, without regexes:
//!
//! - **dots**: `.` or `dot` (any case) wrapped in any mix of brackets `[] () {} <>`,
//!   backslashes and spaces, half-open forms included: `[.]`, `(.)`, `{.}`, `<.>`, `[.`, `.]`,
//!   `(.}`, `[dot]`, `(dot)`, `{dot}`, `[[ . ])`, `\.`, `\\.`, `\(.\)`; also ` DOT ` with
//!   spaces on both sides (` . ` and a lower-case ` dot ` are prose and are left alone, except
//!   in an email spelled out in words, below);
//! - **at**: `@` or `at` in brackets (`[at]`, `(at)`, `{at}`, `[@]`, `(@)`, `{ @ )`), and
//!   ` @ `, ` AT `, ` At ` with spaces on both sides; a lower-case ` at ` only when a name and
//!   a defanged dot follow (`user at example dot com`, `user at example[.]com`), and a
//!   one-sided `user @example[.]com` likewise;
//! - **colons and slashes**: `[:]`, `(:)`, `{:}`, `[://]`, `(://)`, `[/]`, `(/)`, `{/}`, `[/`;
//! - **schemes**, when followed by a scheme separator: `hxxp`, `hXXp`, `h**p`, `hxtp`, `htxp`,
//!   `h00p` (+`s`), `xxxx`/`xxxxx` (http/https), `meow`, `fxp`/`fXp`/`ftx` (+`s`), `sfxp`; the
//!   separator may be `://`, `[:]//`, `[://]`, `__`, `:__` or `:\\`.
//!
//! Every replacement needs an indicator character on its left (and for dots and at-signs on its
//! right too), so ordinary brackets, ellipses and prose are not touched. Comma-separated IPs
//! (`1,2,3,4`) are not refanged: they are indistinguishable from CSV.

use std::borrow::Cow;
use std::cell::Cell;

use super::IocType;
use super::chunk::{ByteSet, Chunk, Stops, ahead};

/// One replacement: original bytes `start..end` became `out_len` bytes at `out_start`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Edit {
    start: usize,
    end: usize,
    out_start: usize,
    out_len: usize,
}

/// Refanged text plus the map from its offsets back to the original's.
#[derive(Debug)]
pub struct Refanged<'a> {
    text: Cow<'a, str>,
    edits: Vec<Edit>,
}

impl<'a> Refanged<'a> {
    /// The refanged text (borrowed when nothing was defanged).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How many replacements were made.
    #[cfg(test)]
    pub(super) fn edits_len(&self) -> usize {
        self.edits.len()
    }

    /// Whether any replacement was made.
    pub fn changed(&self) -> bool {
        !self.edits.is_empty()
    }

    /// Offset lookups (see [`Lookup`]).
    pub(super) fn lookup(&self) -> Lookup<'_> {
        Lookup {
            edits: &self.edits,
            by_out: Cell::new(0),
            by_end: Cell::new(0),
            gap: Cell::new((0, 0, 0)),
        }
    }

    /// The original byte range of the refanged range `start..end`. A range boundary inside a
    /// replacement widens to cover the whole defanged form.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        self.lookup().original_span(start, end)
    }

    /// Whether the original range `start..end` contains (part of) a replacement.
    pub fn defanged(&self, start: usize, end: usize) -> bool {
        self.lookup().defanged(start, end)
    }
}

/// Offset lookups in a [`Refanged`] text's map, fast when they come in (roughly) increasing
/// order, as the recognisers' matches do: each remembers where the last one ended and walks a
/// few replacements from there before falling back to a binary search.
pub(super) struct Lookup<'r> {
    edits: &'r [Edit],
    /// The number of edits starting at or before the last output position looked up.
    by_out: Cell<usize>,
    /// The number of edits ending at or before the last original position looked up.
    by_end: Cell<usize>,
    /// The unchanged stretch of output the last position looked up fell in: `lo..hi` maps to
    /// `lo - shift..hi - shift` in the original (most lookups land in the same one).
    gap: Cell<(usize, usize, isize)>,
}

impl Lookup<'_> {
    /// The original byte range of the refanged range `start..end`. A range boundary inside a
    /// replacement widens to cover the whole defanged form.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        (self.map(start, false), self.map(end, true))
    }

    fn map(&self, pos: usize, is_end: bool) -> usize {
        let (lo, hi, shift) = self.gap.get();
        if lo <= pos && pos < hi {
            return pos.wrapping_add_signed(-shift);
        }
        let before = near(self.edits, &self.by_out, |e| e.out_start <= pos);
        // The stretch between the edit before and the next one (its start excluded: a boundary
        // there may widen to the edit).
        let (lo, orig) = match before.checked_sub(1).map(|k| &self.edits[k]) {
            Some(e) => (e.out_start + e.out_len, e.end),
            None => (0, 0),
        };
        let hi = self.edits.get(before).map_or(usize::MAX, |e| e.out_start);
        if lo <= pos && pos < hi {
            self.gap.set((lo, hi, lo as isize - orig as isize));
        }
        map_after(self.edits, before, pos, is_end)
    }

    /// Whether the original range `start..end` contains (part of) a replacement.
    pub fn defanged(&self, start: usize, end: usize) -> bool {
        let i = near(self.edits, &self.by_end, |e| e.end <= start);
        self.edits.get(i).is_some_and(|e| e.start < end)
    }
}

/// The original offset of the output offset `pos`, given `before`, the number of edits starting
/// at or before it in the output.
fn map_after(edits: &[Edit], before: usize, pos: usize, is_end: bool) -> usize {
    let Some(e) = before.checked_sub(1).map(|i| &edits[i]) else {
        return pos;
    };
    let out_end = e.out_start + e.out_len;
    if pos >= out_end {
        pos - out_end + e.end
    } else if pos > e.out_start && is_end {
        // Inside a replacement: an end widens to the whole defanged form.
        e.end
    } else {
        e.start
    }
}

/// `edits.partition_point(pred)` (`pred` true on a prefix), starting from the answer `last`
/// gave and moving at most a few places before searching the whole slice.
#[inline(always)]
fn near(edits: &[Edit], last: &Cell<usize>, pred: impl Fn(&Edit) -> bool) -> usize {
    const STEPS: usize = 4;
    let mut k = last.get().min(edits.len());
    let mut steps = 0;
    while steps < STEPS && k < edits.len() && pred(&edits[k]) {
        k += 1;
        steps += 1;
    }
    while steps < STEPS && k > 0 && !pred(&edits[k - 1]) {
        k -= 1;
        steps += 1;
    }
    let settled = (k == edits.len() || !pred(&edits[k])) && (k == 0 || pred(&edits[k - 1]));
    if !settled {
        k = edits.partition_point(pred);
    }
    last.set(k);
    k
}

/// Refangs `text` and keeps the offset map.
pub fn refang_text(text: &str) -> Refanged<'_> {
    refang_with(text, true)
}

/// [`refang_text`], skipping the bytes with nothing to look at 16 at a time or not (`skip:
/// false` looks at every byte: the reference the tests compare with).
pub(super) fn refang_with(text: &str, skip: bool) -> Refanged<'_> {
    let bytes = text.as_bytes();
    let mut stops = Stops::new();
    // The output is written as replacements are found, while the text before them is still in
    // cache (a second pass over a long text would read it from memory again).
    let mut out = Output::default();
    let mut i = 0;
    // The end of the last replacement: a separator may follow another (`2001[:][:]1`).
    let mut last_end = usize::MAX;
    // After an at-sign, until the next space: lower-case ` dot ` counts (`me at x dot com`).
    let mut in_email = false;
    // In a URL's host, after its scheme: spaces around a dot or before the path are defangs
    // (`http://example .com /x`, Cisco ESA style).
    let mut in_host = false;
    while i < bytes.len() {
        // Outside hosts and emails, and not right after a replacement, most bytes need
        // nothing: go to the next one [`stops`] flags.
        if skip && !in_email && !in_host && i != last_end {
            match stops.next(bytes, i, self::stops) {
                Some(p) => i = p,
                None => break,
            }
        }
        // Letters, digits, `-` and `*` need nothing: skip them in a tight loop.
        while i < bytes.len() && WORD[bytes[i] as usize] {
            i += 1;
        }
        let Some(&b) = bytes.get(i) else { break };
        // Most spaces just separate words: only a following defang character (or a URL host)
        // makes one worth a look.
        if b == b' '
            && !in_host
            && !bytes.get(i + 1).is_some_and(|&n| {
                // A letter after a space starts a defang only as the word `at` or `dot`
                // (not `attacker`, `domain`).
                AFTER_SPACE[n as usize]
                    && (!n.is_ascii_alphabetic()
                        || (word_at(bytes, i + 1, b"at")
                            && (&bytes[i + 1..i + 3] != b"at" || spelled_email_at(bytes, i + 3)))
                        || word_at(bytes, i + 1, b"dot"))
            })
        {
            in_email = false;
            i += 1;
            continue;
        }
        // A scheme separator after a word: is the word a (defanged) scheme (`hxxp://`,
        // `http[:]//`, `http__`)?
        if SCHEME_SEP[b as usize] && i > 0 && WORD[bytes[i - 1] as usize] {
            let mut ws = i;
            while ws > 0 && i - ws <= 6 && WORD[bytes[ws - 1] as usize] && bytes[ws - 1] != b'-' {
                ws -= 1;
            }
            if i - ws <= 6
                && (ws == 0 || !bytes[ws - 1].is_ascii_alphanumeric())
                && SCHEME_START[bytes[ws] as usize]
                && (last_end == usize::MAX || ws >= last_end)
                && let Some((end, repl)) = scheme_at(bytes, ws)
            {
                if let Some(repl) = repl {
                    out.edit(text, ws, end, repl);
                }
                i = end;
                last_end = end;
                in_host = true;
                continue;
            }
        }
        if b == b'_' {
            i += 1;
            continue;
        }
        // `[:]`, `[/]`, `[@]`, `(at)`, `[dot]`, … are defangs wherever they are.
        if ENCLOSED_START[b as usize]
            && let Some((end, core)) = enclosed_at(bytes, i, in_email)
        {
            out.edit(text, i, end, core.text());
            in_email |= core == Core::At;
            i = end;
            last_end = end;
            continue;
        }
        let continues = last_end == i && !b.is_ascii_whitespace();
        // Most spaces and dots are plain: only look closer when what follows could be part
        // of a defanged separator.
        let worth = match b {
            b' ' | b'\t' => {
                bytes.get(i + 1).is_some_and(|&n| AFTER_SPACE[n as usize])
                    || (in_host && b != b'\t')
            }
            // A dot is a defang only before a bracket (`.]`, `.)`) or, in a URL host, a space
            // (or more soup).
            b'.' => bytes
                .get(i + 1)
                .is_some_and(|&n| is_bracket(n) || (in_host && is_soup(n))),
            _ => true,
        };
        if worth
            && SOUP_START[b as usize]
            && i > 0
            && (is_label(bytes[i - 1]) || continues)
            && let Some((end, core)) = soup_at(bytes, i, in_email, in_host)
        {
            out.edit(text, i, end, core.text());
            in_email |= core == Core::At;
            in_host &= core != Core::Slash;
            i = end;
            last_end = end;
            continue;
        }
        in_email = false;
        in_host &= b != b'/' && b != b'?' && b != b'#' && !b.is_ascii_whitespace();
        i += 1;
    }
    if out.map.is_empty() {
        return Refanged {
            text: Cow::Borrowed(text),
            edits: Vec::new(),
        };
    }
    out.text.push_str(&text[out.last..]);
    Refanged {
        text: Cow::Owned(out.text),
        edits: out.map,
    }
}

/// The refanged text being written, and its map.
#[derive(Default)]
struct Output {
    text: String,
    map: Vec<Edit>,
    /// The end of the last replacement in the original text.
    last: usize,
}

impl Output {
    /// Replaces `text[start..end]` (after the last replacement) with `repl`.
    fn edit(&mut self, text: &str, start: usize, end: usize, repl: &str) {
        if self.map.is_empty() {
            self.text.reserve(text.len());
        }
        self.text.push_str(&text[self.last..start]);
        self.map.push(Edit {
            start,
            end,
            out_start: self.text.len(),
            out_len: repl.len(),
        });
        self.text.push_str(repl);
        self.last = end;
    }
}

/// `text` as it is (no refanging), with an identity map.
pub(super) fn unchanged(text: &str) -> Refanged<'_> {
    Refanged {
        text: Cow::Borrowed(text),
        edits: Vec::new(),
    }
}

/// `text` with every defanged form replaced by its plain form (see the module docs).
pub fn refang(text: &str) -> String {
    refang_text(text).text.into_owned()
}

/// MSTICPy's `defang_ioc`, made readable: dots become `[.]` (in URLs only in the host), URL
/// schemes become `hxxp`/`hxxps`/`fxp`, `@` in emails becomes `[AT]`, and IPv6 colons become
/// `[:]`. Hashes, paths and other types come back unchanged.
pub fn defang(value: &str, kind: Option<IocType>) -> String {
    match kind {
        Some(IocType::Url) => {
            let (scheme, rest) = match value.find("://") {
                Some(i) => (&value[..i], &value[i..]),
                None => ("", value),
            };
            let scheme = match scheme.to_ascii_lowercase().as_str() {
                "http" => "hxxp".to_owned(),
                "https" => "hxxps".to_owned(),
                "ftp" => "fxp".to_owned(),
                "ftps" => "fxps".to_owned(),
                "sftp" => "sfxp".to_owned(),
                _ => scheme.to_owned(),
            };
            let (sep, after) = rest.split_at(if rest.starts_with("://") { 3 } else { 0 });
            let host_end = after.find(['/', '?', '#']).unwrap_or(after.len());
            let (host, tail) = after.split_at(host_end);
            format!("{scheme}{sep}{}{tail}", host.replace('.', "[.]"))
        }
        Some(IocType::Email) => value.replace('.', "[.]").replacen('@', "[AT]", 1),
        Some(IocType::Ipv6 | IocType::Ipv6Cidr) => value.replace(':', "[:]"),
        Some(IocType::Ipv4 | IocType::Ipv4Cidr | IocType::Dns) | None => value.replace('.', "[.]"),
        Some(_) => value.to_owned(),
    }
}

/// The positions of `b[i..i + 16]` where the loop of [`refang_with`] may do something, outside
/// hosts and emails and not right after a replacement (a superset; every position near the end
/// of the text): `:`, `@`, brackets and backslashes before a defang character, `__`, `/A` and
/// `/D` (`/AT/`, `/DOT/`), a dot before a bracket, and a space or tab before a defang character
/// or `at`/`dot`.
#[inline(always)]
fn stops(b: &[u8], i: usize) -> u16 {
    const ALWAYS: ByteSet = ByteSet::new(b":[](){}<>\\@");
    const BRACKET: ByteSet = ByteSet::new(b"[](){}<>");
    // Every byte but letters, digits, spaces and tabs that [`stops`] may flag (or look for).
    const RARE: ByteSet = ByteSet::new(b":[](){}<>\\@_/.");
    let (Some(cur), Some(&n0), Some(&n1)) = (Chunk::at(b, i), b.get(i + 16), b.get(i + 17)) else {
        return u16::MAX;
    };
    // The classes of the two bytes after the chunk, from one table.
    let (f0, f1) = (AFTER_CHUNK[n0 as usize], AFTER_CHUNK[n1 as usize]);
    let after = |class: u8| u16::from(f0 & class != 0) | (u16::from(f1 & class != 0) << 1);
    let blank = (cur.eq(b' ') | cur.eq(b'\t')).mask();
    let folded = cur.fold_case();
    let ad = (folded.eq(b'a') | folded.eq(b'd')).mask();
    let to = (folded.eq(b't') | folded.eq(b'o')).mask();
    let nibbles = cur.nibbles();
    let rare = nibbles.of(&RARE);
    if rare == 0 {
        // Words and spaces only (most prose): spaces before spaces, `at` or `dot`.
        let after_blank = ahead(blank, 1, after(C_AFTER_BLANK));
        let at_dot = ahead(ad, 1, after(C_AD)) & ahead(to, 2, after(C_TO));
        return blank & (after_blank | at_dot);
    }
    let always = nibbles.of(&ALWAYS);
    let bracket = nibbles.of(&BRACKET);
    let underscore = cur.eq(b'_').mask();
    let slash = cur.eq(b'/').mask();
    let dot = cur.eq(b'.').mask();
    let upper_ad = (cur.eq(b'A') | cur.eq(b'D')).mask();
    let underscores = underscore & ahead(underscore, 1, after(C_UNDERSCORE));
    let slash_ad = slash & ahead(upper_ad, 1, after(C_UPPER_AD));
    let dot_bracket = dot & ahead(bracket, 1, after(C_BRACKET));
    let after_blank = ahead(always | blank | dot | slash, 1, after(C_AFTER_BLANK));
    let ad_next = ahead(ad, 1, after(C_AD));
    let at_dot = ad_next & ahead(to, 2, after(C_TO));
    // A bracket or backslash starts a defang only before another, a space, or a core (`.`,
    // `@`, `:`, `/`, `dot`, `at`); `:` (schemes) and `@` always count.
    let colon_at = (cur.eq(b':') | cur.eq(b'@')).mask();
    let enclosing = always & (after_blank | ad_next);
    colon_at | enclosing | underscores | slash_ad | dot_bracket | (blank & (after_blank | at_dot))
}

// Classes of [`AFTER_CHUNK`].
const C_UNDERSCORE: u8 = 1;
const C_UPPER_AD: u8 = 2;
const C_BRACKET: u8 = 4;
const C_AFTER_BLANK: u8 = 8;
const C_AD: u8 = 16;
const C_TO: u8 = 32;

/// The classes [`stops`] needs of the bytes after a chunk.
static AFTER_CHUNK: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        let mut f = 0;
        if b == b'_' {
            f |= C_UNDERSCORE;
        }
        if b == b'A' || b == b'D' {
            f |= C_UPPER_AD;
        }
        if is_bracket(b) {
            f |= C_BRACKET;
        }
        // What may follow a space in a defang (`AFTER_SPACE`), the `at`/`dot` letters apart.
        let ad = matches!(b | 0x20, b'a' | b'd');
        if AFTER_SPACE[c] && !ad {
            f |= C_AFTER_BLANK;
        }
        if ad {
            f |= C_AD;
        }
        if matches!(b | 0x20, b't' | b'o') {
            f |= C_TO;
        }
        t[c] = f;
        c += 1;
    }
    t
};

/// A character that may sit next to a defanged dot or at-sign.
#[inline(always)]
fn is_label(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'*'
}

#[inline(always)]
const fn is_bracket(b: u8) -> bool {
    matches!(b, b'[' | b']' | b'(' | b')' | b'{' | b'}' | b'<' | b'>')
}

#[inline(always)]
fn is_soup(b: u8) -> bool {
    is_bracket(b) || b == b'\\' || b == b' ' || b == b'\t'
}

const fn table(chars: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < chars.len() {
        t[chars[i] as usize] = true;
        i += 1;
    }
    t
}

/// Bytes that can start a defanged separator right after a label character.
static SOUP_START: [bool; 256] = table(b"[](){}<>\\ \t.@");
/// Bytes after a space or dot that can continue a defanged separator (` [.] `, ` DOT `,
/// ` at `, ` @ `, `.]`).
static AFTER_SPACE: [bool; 256] = table(b"[](){}<>\\ \t.@/:dDaA");
/// Bytes that can open an enclosed core (`[.]`, `/AT/`).
static ENCLOSED_START: [bool; 256] = table(b"[({/");
/// Bytes of a word that need no look (`_` is left out: it may be a scheme separator).
static WORD: [bool; 256] = {
    let mut t = table(b"-*");
    let mut c = 0;
    while c < 256 {
        if (c as u8).is_ascii_alphanumeric() {
            t[c] = true;
        }
        c += 1;
    }
    t
};
/// Bytes that can follow a scheme word (`:`, `__`, `[:]`, `(:)`, `{:}`).
static SCHEME_SEP: [bool; 256] = table(b":_[({");
/// First letters of the scheme words handled.
static SCHEME_START: [bool; 256] = table(b"hHfFsSxXmMtTuUwWlL");

/// The plain form a defanged separator stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Core {
    Dot,
    At,
    Colon,
    SchemeSep,
    Slash,
}

impl Core {
    fn text(self) -> &'static str {
        match self {
            Core::Dot => ".",
            Core::At => "@",
            Core::Colon => ":",
            Core::SchemeSep => "://",
            Core::Slash => "/",
        }
    }
}

/// At most this many brackets/spaces/backslashes on each side of a core.
const MAX_SOUP: usize = 16;

/// Parses a defanged separator starting at `i` (just after a label character): soup, a core,
/// soup. Returns its end and the core when it is a defang, `None` for plain text.
fn soup_at(b: &[u8], i: usize, in_email: bool, in_host: bool) -> Option<(usize, Core)> {
    let mut j = i;
    let (mut brackets, mut spaces_before, mut spaces_after) = (false, false, false);
    while j < b.len() && j - i < MAX_SOUP && is_soup(b[j]) {
        brackets |= b[j] != b' ' && b[j] != b'\t';
        spaces_before |= b[j] == b' ' || b[j] == b'\t';
        j += 1;
    }
    let core_start = j;
    let (core, word) = match b.get(j)? {
        b'.' => (Core::Dot, false),
        b'@' => (Core::At, false),
        b':' if b[j..].starts_with(b"://") => (Core::SchemeSep, false),
        b':' => (Core::Colon, false),
        b'/' => (Core::Slash, false),
        b'd' | b'D' if word_at(b, j, b"dot") => (Core::Dot, true),
        b'a' | b'A' if word_at(b, j, b"at") => (Core::At, true),
        _ => return None,
    };
    j += match core {
        Core::SchemeSep => 3,
        Core::Dot if word => 3,
        Core::At if word => 2,
        _ => 1,
    };
    let core_end = j;
    // After the core: brackets and spaces (a backslash after a dot is a Windows path, `.\x`).
    let mut bracket_after = false;
    while j < b.len()
        && j - core_end < MAX_SOUP
        && is_soup(b[j])
        && (b[j] != b'\\' || b.get(j + 1).copied().is_some_and(is_bracket))
    {
        bracket_after |= is_bracket(b[j]);
        brackets |= is_bracket(b[j]);
        spaces_after |= b[j] == b' ' || b[j] == b'\t';
        j += 1;
    }
    let next = *b.get(j)?;
    let bracket_before = b[i..core_start]
        .iter()
        .any(|&c| is_bracket(c) || c == b'\\');
    let lower_word = word && b[core_start..core_end].iter().all(u8::is_ascii_lowercase);
    // A name follows, then a defanged dot (`@example[.]com`, ` at example dot com`). A name
    // of digits is an address in prose (`seen at 10[.]0[.]0[.]1`): an email's host is a
    // domain (an IP literal would be in brackets, `user@[192.0.2.1]`).
    let defanged_dot_follows = || {
        let mut k = j;
        while k < b.len() && is_label(b[k]) {
            k += 1;
        }
        k > j
            && b[j..k].iter().any(u8::is_ascii_alphabetic)
            && matches!(soup_at(b, k, true, false), Some((_, Core::Dot)))
    };
    if !brackets {
        // Spaces only: ` DOT `, ` AT `, ` At `, ` @ ` (not ` . `: prose and code). Lower-case
        // words are prose, except in an email written out in words: ` at ` followed by a name
        // and a dot form, and ` dot ` after such an ` at `. A one-sided ` @` or `@ ` counts
        // when a defanged dot follows (`myuser @example[.]com`).
        let both = spaces_before && spaces_after;
        let ok = match core {
            Core::Dot if word && lower_word => both && in_email,
            Core::Dot if word => both,
            Core::At if word && lower_word => both && defanged_dot_follows(),
            Core::At if word => both,
            Core::At => both || ((spaces_before || spaces_after) && defanged_dot_follows()),
            // In a URL's host: `example .com`, `example . com`, `example.com /path`.
            // (Not before a capital: `http://a.com . Next` ends a sentence.)
            Core::Dot => {
                in_host
                    && (spaces_before || spaces_after)
                    && (next.is_ascii_lowercase() || next.is_ascii_digit())
            }
            Core::Slash if in_host && spaces_before && !spaces_after => return Some((j, core)),
            _ => false,
        };
        if !ok {
            return None;
        }
    } else if (spaces_before && !spaces_after && !bracket_before)
        || (spaces_after && !spaces_before && !bracket_after)
    {
        // `example .]com`: a space on one side, the bracket on the other, is not a defang.
        return None;
    } else if b[i..core_start]
        .iter()
        .any(|c| matches!(c, b')' | b']' | b'}' | b'>'))
        && !b[i..core_start]
            .iter()
            .any(|c| matches!(c, b'(' | b'[' | b'{' | b'<'))
    {
        // A closing bracket before the dot is code (`obj).Method`, `$a[0].Name`).
        return None;
    } else if core == Core::At && !(bracket_before && bracket_after) {
        // An at-sign must be enclosed (`[@]`, `(at)`): `name(comment)@host` and
        // `user@[192.0.2.1]` are plain.
        return None;
    }
    // Colons and slashes must be enclosed (`[:]`, `(/)`), so `[::1]:443` stays as it is.
    let enclosed = b[i..core_start].iter().any(|&c| is_bracket(c)) && bracket_after;
    match core {
        Core::Dot | Core::At if !is_label(next) => None,
        Core::Colon | Core::SchemeSep | Core::Slash
            if !enclosed || next == b' ' || next == b'\t' =>
        {
            None
        }
        _ => Some((j, core)),
    }
}

/// Whether a lower-case ` at` ending at `j` may be an at-sign spelled out (`name at host dot
/// com`): spaces, a name, soup and a dot form must follow (a quick superset of what
/// [`soup_at`] accepts, so prose `at` skips it).
fn spelled_email_at(b: &[u8], mut j: usize) -> bool {
    if !matches!(b.get(j), Some(b' ' | b'\t')) {
        return false;
    }
    while matches!(b.get(j), Some(b' ' | b'\t')) {
        j += 1;
    }
    let name = j;
    while j < b.len() && is_label(b[j]) {
        j += 1;
    }
    if j == name {
        return false;
    }
    while j < b.len() && is_soup(b[j]) {
        j += 1;
    }
    b.get(j) == Some(&b'.') || word_at(b, j, b"dot")
}

/// A core in one pair of brackets, exactly (`[.]`, `(:)`, `{/}`, `[@]`, `[at]`, `(dot)`), or an
/// upper-case word between slashes (`/AT/`, `/DOT/`), at `i`.
fn enclosed_at(b: &[u8], i: usize, in_email: bool) -> Option<(usize, Core)> {
    let open = *b.get(i)?;
    let close = match open {
        b'[' => b']',
        b'(' => b')',
        b'{' => b'}',
        b'/' => b'/',
        _ => return None,
    };
    let rest = &b[i + 1..];
    let (core, len) = if open == b'/' {
        if rest.starts_with(b"AT/") {
            (Core::At, 2)
        } else if rest.starts_with(b"DOT/") {
            (Core::Dot, 3)
        } else {
            return None;
        }
    } else {
        match rest.first()? {
            b'.' => (Core::Dot, 1),
            b':' if !rest.starts_with(b"://") => (Core::Colon, 1),
            b'/' => (Core::Slash, 1),
            b'@' => (Core::At, 1),
            b'a' | b'A' if word_at(rest, 0, b"at") => (Core::At, 2),
            b'd' | b'D' if word_at(rest, 0, b"dot") => (Core::Dot, 3),
            _ => return None,
        }
    };
    if rest.get(len) != Some(&close) {
        return None;
    }
    // Slashes: only between names (`user/AT/example/DOT/com`), not in a path (`/usr/AT/x`).
    if open == b'/' {
        let mut k = i;
        while k > 0 && is_label(b[k - 1]) {
            k -= 1;
        }
        let name_before = k < i && (k == 0 || b[k - 1] != b'/');
        let ok = match core {
            Core::At => name_before,
            _ => in_email && k < i,
        };
        if !ok || !b.get(i + len + 2).copied().is_some_and(is_label) {
            return None;
        }
    }
    Some((i + len + 2, core))
}

/// Whether `word` (lower-case) is at `j`, in any case, not followed by another letter.
#[inline(always)]
fn word_at(b: &[u8], j: usize, word: &[u8]) -> bool {
    b.len() >= j + word.len()
        && b[j..j + word.len()].eq_ignore_ascii_case(word)
        && !b.get(j + word.len()).is_some_and(u8::is_ascii_alphabetic)
}

/// A scheme word at `i` followed by a scheme separator: returns the end of the separator and
/// the replacement (`None` when both are already plain).
fn scheme_at(b: &[u8], i: usize) -> Option<(usize, Option<&'static str>)> {
    let mut j = i;
    while j < b.len() && j - i <= 6 && (b[j].is_ascii_alphanumeric() || b[j] == b'*') {
        j += 1;
    }
    if j - i > 6 || j == i {
        return None;
    }
    // The separator first (cheap), then the word.
    if !matches!(b.get(j), Some(b':' | b'_' | b'[' | b'(' | b'{')) {
        return None;
    }
    let word = &b[i..j];
    let (plain, canonical) = scheme_word(word)?;
    let rest = &b[j..];
    let (sep_len, sep_plain) = if rest.starts_with(b"://") {
        (3, true)
    } else if rest.starts_with(b":__") || rest.starts_with(b":\\\\") {
        (3, false)
    } else if rest.starts_with(b"__") {
        (2, false)
    } else if let Some((end, core)) = soup_at(b, j, false, false) {
        match core {
            Core::SchemeSep => (end - j, false),
            Core::Colon if b[end..].starts_with(b"//") => (end + 2 - j, false),
            _ => return None,
        }
    } else {
        return None;
    };
    let mut end = j + sep_len;
    // `http:// example.com`: spaces after the separator are part of the defang.
    let mut spaced = false;
    while end < b.len() && b[end] == b' ' && end - (j + sep_len) < 2 {
        end += 1;
        spaced = true;
    }
    if !b
        .get(end)
        .is_some_and(|&c| is_label(c) || (!spaced && !c.is_ascii_whitespace()))
    {
        return None;
    }
    if plain && sep_plain && !spaced {
        return Some((end, None));
    }
    Some((end, Some(canonical)))
}

/// Classifies a scheme word: (already plain, canonical `scheme://`).
fn scheme_word(word: &[u8]) -> Option<(bool, &'static str)> {
    let mut buf = [0u8; 8];
    let lower = buf.get_mut(..word.len())?;
    for (d, s) in lower.iter_mut().zip(word) {
        *d = s.to_ascii_lowercase();
    }
    let plain = |s: &'static str| Some((true, s));
    match &*lower {
        b"http" => plain("http://"),
        b"https" => plain("https://"),
        b"ftp" => plain("ftp://"),
        b"ftps" => plain("ftps://"),
        b"sftp" => plain("sftp://"),
        b"tcp" => plain("tcp://"),
        b"udp" => plain("udp://"),
        b"ssh" => plain("ssh://"),
        b"smb" => plain("smb://"),
        b"ldap" => plain("ldap://"),
        b"file" => plain("file://"),
        b"ws" => plain("ws://"),
        b"wss" => plain("wss://"),
        b"xxxx" | b"meow" => Some((false, "http://")),
        b"xxxxx" => Some((false, "https://")),
        b"fxp" | b"ftx" => Some((false, "ftp://")),
        b"fxps" | b"ftxs" => Some((false, "ftps://")),
        b"sfxp" => Some((false, "sftp://")),
        [b'h', a, c, b'p', s @ ..] if s.len() <= 1 && (s.is_empty() || s == b"s") => {
            let ok = |x: &u8| matches!(x, b'x' | b't' | b'*' | b'0');
            if ok(a) && ok(c) {
                Some((false, if s.is_empty() { "http://" } else { "https://" }))
            } else {
                None
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_defang_form_is_refanged() {
        let cases = [
            ("evil[.]com", "evil.com"),
            ("evil(.)com", "evil.com"),
            ("evil{.}com", "evil.com"),
            ("evil<.>com", "evil.com"),
            ("evil[dot]com", "evil.com"),
            ("evil(DOT)com", "evil.com"),
            ("evil DOT com", "evil.com"),
            ("evil\\.com", "evil.com"),
            ("evil[.com", "evil.com"),
            ("evil.]com", "evil.com"),
            ("test(.}test{.)example[.)com", "test.test.example.com"),
            ("1.)1[.1.)1", "1.1.1.1"),
            ("10[[[[.]]]]10[[[.]]10[.10", "10.10.10.10"),
            ("user[at]evil.com", "user@evil.com"),
            ("user[@]evil.com", "user@evil.com"),
            ("user(at)evil.com", "user@evil.com"),
            ("user { at ) evil.com", "user@evil.com"),
            ("user AT evil DOT com", "user@evil.com"),
            ("seen at 10[.]0[.]0[.]1", "seen at 10.0.0.1"),
            ("from @192[.]168[.]1[.]1", "from @192.168.1.1"),
            ("user @ evil.com", "user@evil.com"),
            ("user/AT/evil/DOT/com", "user@evil.com"),
            ("[at](at)[at] [/][/] [:][:]", "@@@ // ::"),
            ("user at evil dot com", "user@evil.com"),
            ("user at evil [dot] co dot uk", "user@evil.co.uk"),
            ("http[:]//evil.com", "http://evil.com"),
            ("http[://]evil.com", "http://evil.com"),
            ("http://evil.com[/]a", "http://evil.com/a"),
            ("hxxp://evil.com", "http://evil.com"),
            ("hXXps://evil.com", "https://evil.com"),
            ("h**ps://evil.com", "https://evil.com"),
            ("fxp://evil.com", "ftp://evil.com"),
            ("ftx://evil.com", "ftp://evil.com"),
            ("xxxx://evil.com", "http://evil.com"),
            ("meow://evil.com", "http://evil.com"),
            ("http__evil.com/a", "http://evil.com/a"),
            ("http:__evil.com/a", "http://evil.com/a"),
            ("http:\\\\evil.com/a", "http://evil.com/a"),
            (
                "hxxps[:]//a.example[.)com[/]path[:]80",
                "https://a.example.com/path:80",
            ),
            ("http:// example .com /test", "http://example.com/test"),
            ("tcp://example . com", "tcp://example.com"),
        ];
        for (input, want) in cases {
            assert_eq!(refang(input), want, "{input}");
        }
    }

    #[test]
    fn prose_and_code_are_left_alone() {
        for text in [
            "look at example.com",
            "the dot com era",
            "see [1] and (2).",
            "end. Next",
            "hxxpfoo h**pfoo",
            "array[i] = f(x) {y}",
            "(New-Object Net.WebClient).DownloadString($a[0].Url)",
            "1,2,3,4",
            "/usr/AT/x /a/DOT",
            "C:\\Windows\\System32",
            "wait... what",
            "x . y",
            "see http://a.com . Next",
            "contact @example.com",
            "std::vector",
        ] {
            assert_eq!(refang(text), text);
        }
    }

    #[test]
    fn offsets_map_back_and_flag_the_defanged_part() {
        let text = "go to hxxp://evil[.]com/x now";
        let r = refang_text(text);
        assert_eq!(r.text(), "go to http://evil.com/x now");
        let start = r.text().find("http").unwrap();
        let end = r.text().find(" now").unwrap();
        let (s, e) = r.original_span(start, end);
        assert_eq!(&text[s..e], "hxxp://evil[.]com/x");
        assert!(r.defanged(s, e));
        let now = r.text().find("now").unwrap();
        let (s, e) = r.original_span(now, now + 3);
        assert_eq!(&text[s..e], "now");
        assert!(!r.defanged(s, e));
        // A span that ends where a replacement starts stays before it.
        let r2 = refang_text("ab[.]cd");
        assert_eq!(
            (r2.original_span(0, 2), r2.original_span(3, 5)),
            ((0, 2), (5, 7))
        );
        assert_eq!(r2.original_span(0, 3), (0, 5));
        // A span that ends on a replaced dot widens to the whole defanged form.
        let dot = r.text().find(".com").unwrap();
        let (s, e) = r.original_span(start, dot + 1);
        assert_eq!(&text[s..e], "hxxp://evil[.]");
    }

    #[test]
    fn lookups_in_any_order_match_a_binary_search() {
        let text = "a[.]b hxxp://c[.]d[/]e f[at]g[.]h ".repeat(12);
        let r = refang_text(&text);
        let n = r.text().len();
        // The same mapping after a binary search.
        let reference = |pos: usize, is_end: bool| {
            let before = r.edits.partition_point(|e| e.out_start <= pos);
            map_after(&r.edits, before, pos, is_end)
        };
        let defanged = |s: usize, e: usize| {
            let i = r.edits.partition_point(|x| x.end <= s);
            r.edits.get(i).is_some_and(|x| x.start < e)
        };
        // Forwards, backwards, and jumping about.
        let orders: [Vec<usize>; 3] = [
            (0..=n).collect(),
            (0..=n).rev().collect(),
            (0..=n).map(|k| (k * 97) % (n + 1)).collect(),
        ];
        for order in orders {
            let l = r.lookup();
            for &p in &order {
                let q = (p + 7).min(n);
                assert_eq!(
                    l.original_span(p, q),
                    (reference(p, false), reference(q, true))
                );
                let (s, e) = (reference(p, false), reference(q, true));
                assert_eq!(l.defanged(s, e), defanged(s, e), "{p}");
            }
        }
    }

    #[test]
    fn defang_is_readable_and_refangs_back() {
        assert_eq!(
            defang("http://evil.com/a.php", Some(IocType::Url)),
            "hxxp://evil[.]com/a.php"
        );
        assert_eq!(
            defang("ftp://1.2.3.4/", Some(IocType::Url)),
            "fxp://1[.]2[.]3[.]4/"
        );
        assert_eq!(
            defang("a.b@evil.com", Some(IocType::Email)),
            "a[.]b[AT]evil[.]com"
        );
        assert_eq!(defang("10.0.0.1", Some(IocType::Ipv4)), "10[.]0[.]0[.]1");
        assert_eq!(
            defang("2001:db8::1", Some(IocType::Ipv6)),
            "2001[:]db8[:][:]1"
        );
        assert_eq!(defang("evil.com", None), "evil[.]com");
        for (v, t) in [
            ("http://evil.com/a.php", IocType::Url),
            ("a.b@evil.com", IocType::Email),
            ("10.0.0.1", IocType::Ipv4),
            ("sub.evil.co.uk", IocType::Dns),
        ] {
            assert_eq!(refang(&defang(v, Some(t))), v);
        }
    }
}
