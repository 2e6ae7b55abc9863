//! Encoded blobs worth searching again: percent-encoded tokens, base64 runs (UTF-8 or UTF-16LE
//! text, as in PowerShell `-EncodedCommand`) and hex runs. A blob counts only when it decodes
//! to readable text, so hashes and random identifiers are skipped.

use std::cell::Cell;

use super::chunk::{ByteSet, Chunk, Stops, WIDTH};

/// How a blob was decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decoding {
    /// `%XX` escapes.
    Percent,
    /// Base64 (standard or URL-safe alphabet) to UTF-8 text.
    Base64,
    /// Base64 to UTF-16LE text (PowerShell `-EncodedCommand`).
    Base64Utf16,
    /// Hex digits to UTF-8 text.
    Hex,
}

impl Decoding {
    /// The name used in results: `percent`, `base64`, `base64-utf16le`, `hex`.
    pub fn name(self) -> &'static str {
        match self {
            Decoding::Percent => "percent",
            Decoding::Base64 => "base64",
            Decoding::Base64Utf16 => "base64-utf16le",
            Decoding::Hex => "hex",
        }
    }
}

/// A decoded blob: its byte range in the text it came from, the decoded text and how.
#[derive(Debug)]
pub(super) struct Blob {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub how: Decoding,
}

/// The shortest base64 run considered (12 bytes decoded).
const MIN_BASE64: usize = 16;
/// The shortest hex run considered (8 bytes decoded).
const MIN_HEX: usize = 16;

/// Every decodable blob in `text`, in order.
pub(super) fn blobs(text: &str) -> Vec<Blob> {
    blobs_with(text, true)
}

/// [`blobs`], skipping the bytes with nothing to look at 16 at a time or not (`skip: false`
/// looks at every byte: the reference the tests compare with).
pub(super) fn blobs_with(text: &str, skip: bool) -> Vec<Blob> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    // Decoded bytes, reused: most runs are not text (hashes, identifiers) and allocate nothing.
    let mut scratch = Vec::new();
    let mut stops = Stops::new();
    let cache = Cell::new((usize::MAX, 0u16));
    let classify = |b: &[u8], i: usize| {
        if skip {
            stops_at(b, i, &cache)
        } else {
            u16::MAX
        }
    };
    let mut i = 0;
    let mut token_done = 0;
    while let Some(p) = stops.next(b, i, classify) {
        // A run of base64-alphabet bytes (most are plain words, too short to be a blob), from
        // its start: nothing before `i` is part of it (`b[i - 1]` was looked at and is not).
        let mut i_end = p;
        if is_b64(b[p]) {
            let ws = (i..p).rev().find(|&k| !is_b64(b[k])).map_or(i, |k| k + 1);
            while i_end < b.len() && is_b64(b[i_end]) {
                i_end += 1;
            }
            if i_end - ws >= MIN_HEX.min(MIN_BASE64) {
                let mut e = i_end;
                while e < b.len() && e - i_end < 2 && b[e] == b'=' {
                    e += 1;
                }
                if let Some(blob) = decode_run(text, ws, i_end, e, &mut scratch) {
                    out.push(blob);
                }
            }
        }
        i = i_end + 1;
        let Some(&c) = b.get(i_end) else { break };
        if c == b'%' && i_end >= token_done && is_hex_at(b, i_end + 1) && is_hex_at(b, i_end + 2) {
            // The whole whitespace-delimited token.
            let mut s = i_end;
            while s > token_done && !b[s - 1].is_ascii_whitespace() {
                s -= 1;
            }
            let mut e = i_end;
            while e < b.len() && !b[e].is_ascii_whitespace() {
                e += 1;
            }
            token_done = e;
            // Punctuation closing a sentence or a bracket is not part of the token.
            while e > s
                && matches!(
                    b[e - 1],
                    b')' | b']' | b'>' | b'.' | b',' | b';' | b'\'' | b'"'
                )
            {
                e -= 1;
            }
            if let Some(decoded) = percent_decode(&text[s..e]) {
                out.push(Blob {
                    start: s,
                    end: e,
                    text: decoded,
                    how: Decoding::Percent,
                });
            }
        }
    }
    out
}

/// The base64 alphabets (standard and URL-safe) as a [`ByteSet`].
const B64_SET: ByteSet =
    ByteSet::new(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/-_");

/// The positions of `b[i..i + 16]` where [`blobs_with`] must look: a `%`, or the first byte of
/// 16 base64-alphabet bytes in a row (every run long enough to be a blob has one). Spaces are
/// found first (a cheaper test): a chunk with no 16 non-space bytes in a row starting in it (most
/// prose) needs no alphabet test. `cache` keeps the last chunk's alphabet flags, when computed.
#[inline(always)]
fn stops_at(b: &[u8], i: usize, cache: &Cell<(usize, u16)>) -> u16 {
    let (Some(here), Some(next)) = (Chunk::at(b, i), Chunk::at(b, i + WIDTH)) else {
        // Near the end: every byte.
        return u16::MAX;
    };
    let percent = here.eq(b'%').mask();
    if runs_of_16(!here.eq(b' ').mask(), !next.eq(b' ').mask()) == 0 {
        return percent;
    }
    let here = match cache.get() {
        (pos, m) if pos == i => m,
        _ => here.nibbles().of(&B64_SET),
    };
    let next = next.nibbles().of(&B64_SET);
    cache.set((i + WIDTH, next));
    percent | runs_of_16(here, next)
}

/// Bit `k`: bytes `k..k + 16` are all flagged, for a chunk's flags `here` and the next chunk's
/// `next`.
#[inline(always)]
fn runs_of_16(here: u16, next: u16) -> u16 {
    let m = u32::from(here) | (u32::from(next) << 16);
    let m = m & (m >> 1);
    let m = m & (m >> 2);
    let m = m & (m >> 4);
    (m & (m >> 8)) as u16
}

#[inline(always)]
fn is_hex_at(b: &[u8], i: usize) -> bool {
    b.get(i).is_some_and(u8::is_ascii_hexdigit)
}

#[inline(always)]
fn is_b64(c: u8) -> bool {
    B64[c as usize]
}

/// [`B64_SET`] as a table, for the byte loops.
static B64: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = B64_SET.contains(c as u8);
        c += 1;
    }
    t
};

/// A run of base64-alphabet characters `s..body_end` (padding up to `e`): hex first when it is
/// all hex digits, else base64 when it mixes cases (long lower-case words and paths do not).
fn decode_run(
    text: &str,
    s: usize,
    body_end: usize,
    e: usize,
    scratch: &mut Vec<u8>,
) -> Option<Blob> {
    let run = &text.as_bytes()[s..body_end];
    if run.len() >= MIN_HEX && run.len().is_multiple_of(2) && run.iter().all(u8::is_ascii_hexdigit)
    {
        scratch.clear();
        scratch.extend(run.chunks(2).map(|p| (hex_val(p[0]) << 4) | hex_val(p[1])));
        if let Some(decoded) = readable_utf8(scratch) {
            return Some(Blob {
                start: s,
                end: body_end,
                text: decoded,
                how: Decoding::Hex,
            });
        }
    }
    if run.len() < MIN_BASE64
        || !run.iter().any(u8::is_ascii_uppercase)
        || !run.iter().any(u8::is_ascii_lowercase)
    {
        return None;
    }
    base64_decode(run, scratch)?;
    if let Some(decoded) = utf16le(scratch) {
        return Some(Blob {
            start: s,
            end: e,
            text: decoded,
            how: Decoding::Base64Utf16,
        });
    }
    readable_lossy(scratch).map(|decoded| Blob {
        start: s,
        end: e,
        text: decoded,
        how: Decoding::Base64,
    })
}

#[inline(always)]
fn hex_val(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c - b'A' + 10,
    }
}

/// Decodes base64 without padding checks: standard and URL-safe alphabets; a trailing partial
/// group of 2 or 3 characters yields 1 or 2 bytes, a lone last character is dropped.
fn base64_decode(run: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    };
    out.clear();
    for chunk in run.chunks(4) {
        if chunk.len() == 1 {
            break;
        }
        let mut acc = 0u32;
        for (k, &c) in chunk.iter().enumerate() {
            acc |= val(c)? << (18 - 6 * k);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(())
}

/// Whether decoded text reads as text: no NUL, and at most 1 in 10 characters a control
/// character other than tab, CR or LF (or U+FFFD).
fn is_readable(s: &str) -> bool {
    let (mut n, mut bad) = (0, 0);
    count(s, &mut n, &mut bad) && n >= 4 && bad * 10 <= n
}

/// Adds the characters of `s` to `n` and the bad ones (see [`is_readable`]) to `bad`; `false`
/// at a NUL.
fn count(s: &str, n: &mut usize, bad: &mut usize) -> bool {
    for c in s.chars() {
        *n += 1;
        if c == '\0' {
            return false;
        }
        if (c.is_control() && !matches!(c, '\t' | '\r' | '\n')) || c == '\u{fffd}' {
            *bad += 1;
        }
    }
    true
}

fn readable_utf8(bytes: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(bytes).ok()?;
    is_readable(s).then(|| s.to_owned())
}

/// Like [`readable_utf8`], but a few invalid bytes (trailing garbage of a blob cut out of a
/// longer one) become U+FFFD instead of rejecting the whole blob. Nothing is allocated for a
/// blob that does not read as text (most mixed-case words: `WindowsPowerShell`).
fn readable_lossy(bytes: &[u8]) -> Option<String> {
    // Counted as `String::from_utf8_lossy` would write it: one U+FFFD per invalid sequence.
    let (mut n, mut bad) = (0, 0);
    for chunk in bytes.utf8_chunks() {
        if !count(chunk.valid(), &mut n, &mut bad) {
            return None;
        }
        if !chunk.invalid().is_empty() {
            n += 1;
            bad += 1;
        }
    }
    (n >= 4 && bad * 10 <= n).then(|| String::from_utf8_lossy(bytes).into_owned())
}

/// UTF-16LE text: even length and mostly zero high bytes (ASCII-range text).
fn utf16le(bytes: &[u8]) -> Option<String> {
    if bytes.len() < 8 {
        return None;
    }
    let pairs = bytes.chunks_exact(2);
    let zero_high = pairs.clone().filter(|c| c[1] == 0).count();
    if zero_high * 10 < pairs.len() * 9 {
        return None;
    }
    let units: Vec<u16> = pairs.map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    let s = String::from_utf16(&units).ok()?;
    is_readable(&s).then_some(s)
}

/// `%XX`-decodes `token` once (except whitespace and control characters); `None` when nothing changed or the result is not readable.
fn percent_decode(token: &str) -> Option<String> {
    let b = token.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let mut changed = false;
    while i < b.len() {
        if b[i] == b'%' && is_hex_at(b, i + 1) && is_hex_at(b, i + 2) {
            let byte = (hex_val(b[i + 1]) << 4) | hex_val(b[i + 2]);
            // Escaped spaces and controls stay escaped: decoding them would split the token.
            if byte <= b' ' || byte == 0x7f {
                out.extend_from_slice(&b[i..i + 3]);
                i += 3;
                continue;
            }
            out.push(byte);
            i += 3;
            changed = true;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    if !changed {
        return None;
    }
    match String::from_utf8(out) {
        Ok(s) => is_readable(&s).then_some(s),
        Err(e) => readable_lossy(e.as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(text: &str) -> Vec<(String, &'static str)> {
        blobs(text)
            .into_iter()
            .map(|b| (b.text, b.how.name()))
            .collect()
    }

    #[test]
    fn decodes_base64_hex_percent_and_utf16() {
        assert_eq!(
            decoded("x aHR0cDovL2V4YW1wbGUuY29t y"),
            [("http://example.com".into(), "base64")]
        );
        // Unpadded and with a partial last group.
        assert_eq!(
            decoded("aHR0cDovL2V4YW1wbGUuY29tI")[0].0,
            "http://example.com"
        );
        assert_eq!(
            decoded("687474703a2f2f6578616d706c652e636f6d"),
            [("http://example.com".into(), "hex")]
        );
        let b = blobs("(see u=http%3A%2F%2Fevil.example.org%2Fx).");
        assert_eq!((b[0].start, b[0].end), (5, 40));
        assert_eq!(
            decoded("u=http%3A%2F%2Fevil.example.org%2Fx"),
            [("u=http://evil.example.org/x".into(), "percent")]
        );
        // PowerShell -EncodedCommand: "IEX (New-Object Net.WebClient)".
        let ps = "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA";
        assert_eq!(
            decoded(ps),
            [("IEX (New-Object Net.WebClient)".into(), "base64-utf16le")]
        );
    }

    #[test]
    fn skipping_prose_finds_the_same_blobs() {
        // Random texts from pieces that make and break runs, tokens and blocks.
        let pieces = [
            " ",
            "\n",
            "%2F",
            "%",
            "=",
            "==",
            "a",
            "Zm9vYmFy",
            "SQBFAFgA",
            "ZQB3AC0A",
            "deadbeef",
            "0123456789abcdef",
            "https://x.example/",
            "word ",
            "é",
            "+/",
            "-_",
            "%41%42",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..3000 {
            let mut text = String::new();
            let n = (seed % 40) as usize;
            for _ in 0..n {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let key = |v: Vec<Blob>| -> Vec<(usize, usize, String)> {
                v.into_iter().map(|b| (b.start, b.end, b.text)).collect()
            };
            assert_eq!(
                key(blobs_with(&text, true)),
                key(blobs_with(&text, false)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn hashes_words_and_paths_are_not_blobs() {
        for text in [
            "d41d8cd98f00b204e9800998ecf8427e",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "internationalization /usr/local/bin/python3",
            "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
            "100% sure",
        ] {
            assert!(decoded(text).is_empty(), "{text}");
        }
    }
}
