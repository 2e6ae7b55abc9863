//! Matches as columns (the wire format of the JS glue): one typed array per field instead of
//! one object per match, so a million matches cross into JS as a handful of copies.

use super::{Decoding, ExtractOptions, IocExtractor, IocKind, IocType, table::to_utf16_unless};
use crate::{Error, Result};

/// [`Packed::flags`] bit: the indicator was written defanged.
pub const DEFANGED: u8 = 1;
/// [`Packed::flags`] bit: the value differs from the text as written (refanged, decoded…) and
/// is in [`Packed::values`].
pub const REWRITTEN: u8 = 2;

/// The matches of one text, field by field, in start order. Offsets are UTF-16 code units (as
/// JS strings count).
#[derive(Debug, Default, PartialEq)]
pub struct Packed {
    /// The type of each match: its index in [`IocExtractor::kinds`].
    pub kinds: Vec<u16>,
    /// Where each match starts in the text.
    pub starts: Vec<u32>,
    /// Where each match ends (exclusive).
    pub ends: Vec<u32>,
    /// [`DEFANGED`] | [`REWRITTEN`] per match.
    pub flags: Vec<u8>,
    /// The values of the [`REWRITTEN`] matches, one after another.
    pub values: String,
    /// Where each of those values ends in `values` (UTF-16 units).
    pub value_ends: Vec<u32>,
    /// 0 for a plain match, `k` for one decoded by `chains[k - 1]`.
    pub chain_of: Vec<u16>,
    /// The distinct decoding chains, named as `"base64>percent"` (outermost first).
    pub chains: Vec<String>,
}

impl IocKind {
    /// Built-ins by their position in [`IocType::ALL`], then custom types (the order of
    /// [`IocExtractor::kinds`]).
    pub fn index(self) -> u16 {
        match self {
            IocKind::Builtin(t) => t.index() as u16,
            IocKind::Custom(i) => IocType::ALL.len() as u16 + i,
        }
    }
}

/// Working memory of an extraction per byte of text, at most (the densest texts, measured in
/// wasm32 by `tests/node/memory.test.mjs`).
pub(super) const MEMORY_PER_BYTE: f64 = 40.0;

impl IocExtractor {
    /// The indicators in `text` as columns; `ascii`: whether `text` is ASCII, when known. A
    /// `too-large` error when the text's matches might not fit in memory
    /// ([`IocExtractor::check_memory`]).
    pub fn extract_packed(
        &self,
        text: &str,
        ascii: Option<bool>,
        opts: &ExtractOptions,
    ) -> Result<Packed> {
        Self::check_memory(text.len())?;
        let mut found = self.extract_found(text, opts);
        let n = found.len();
        let mut p = Packed {
            kinds: Vec::with_capacity(n),
            flags: Vec::with_capacity(n),
            chain_of: Vec::with_capacity(n),
            ..Packed::default()
        };
        let mut units = 0usize;
        // The distinct decoding chains (a handful), named once each.
        let mut chains: Vec<&[Decoding]> = Vec::new();
        for m in &found {
            p.kinds.push(m.kind.index());
            // A value left in the text is the original itself. (Rewritten ones are not compared
            // with it: the text is out of cache by now, and an equal copy is still right.)
            let differs = m.value.is_some();
            p.flags
                .push((u8::from(m.defanged) * DEFANGED) | (u8::from(differs) * REWRITTEN));
            if differs {
                let v = m.value(text);
                p.values.push_str(v);
                units += if v.is_ascii() {
                    v.len()
                } else {
                    v.encode_utf16().count()
                };
                p.value_ends.push(units as u32);
            }
            p.chain_of.push(if m.decoded.is_empty() {
                0
            } else {
                let k = chains
                    .iter()
                    .position(|c| *c == m.decoded.as_slice())
                    .unwrap_or_else(|| {
                        chains.push(&m.decoded);
                        chains.len() - 1
                    });
                (k + 1) as u16
            });
        }
        p.chains = chains
            .iter()
            .map(|c| c.iter().map(|d| d.name()).collect::<Vec<_>>().join(">"))
            .collect();
        to_utf16_unless(text, ascii.unwrap_or_else(|| text.is_ascii()), &mut found);
        p.starts = found.iter().map(|m| m.start as u32).collect();
        p.ends = found.iter().map(|m| m.end as u32).collect();
        Ok(p)
    }

    /// A `too-large` error when extracting from `bytes` bytes of text might not fit in memory.
    /// The estimate is for the densest text (a match every few bytes), as the matches cannot
    /// be counted before they are found.
    pub fn check_memory(bytes: usize) -> Result<()> {
        crate::memory::Need::new(
            "extractIocs",
            "bytes of text",
            bytes as u64,
            MEMORY_PER_BYTE,
        )
        .check()
    }

    /// A `too-large` error when `bytes` more bytes of text cannot be copied in (to extract
    /// from them, then checked with [`IocExtractor::check_memory`]).
    pub fn check_staging(bytes: usize) -> Result<()> {
        crate::memory::Need::new("extractIocs", "bytes of text", bytes as u64, 1.0).check_block()
    }

    /// [`Self::extract_packed`] on UTF-8 bytes (a long text the host wrote into wasm memory);
    /// bytes that are not UTF-8 are an `invalid-option` error for `text`.
    pub fn extract_packed_bytes(&self, bytes: &[u8], opts: &ExtractOptions) -> Result<Packed> {
        let (text, ascii) = super::utf8_ascii(bytes)
            .map_err(|e| Error::invalid_option("text", format!("not UTF-8: {e}")))?;
        self.extract_packed(text, Some(ascii), opts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_matches_the_matches() {
        let x = IocExtractor::new();
        let text = "é hxxp://evil[.]com/a and 10.0.0.1 then aHR0cDovL2JhZC5leGFtcGxlLmNvbS94";
        let opts = ExtractOptions::default();
        let p = x.extract_packed(text, None, &opts).unwrap();
        let all = x.extract(text, &opts);
        assert_eq!(p.kinds.len(), all.len());
        let utf16: Vec<u16> = text.encode_utf16().collect();
        let mut value_start = 0usize;
        let values: Vec<u16> = p.values.encode_utf16().collect();
        for (i, m) in all.iter().enumerate() {
            assert_eq!(x.kinds()[usize::from(p.kinds[i])], m.kind);
            let original = String::from_utf16(&utf16[p.starts[i] as usize..p.ends[i] as usize]);
            assert_eq!(original.unwrap(), &text[m.start..m.end]);
            assert_eq!(p.flags[i] & DEFANGED != 0, m.defanged);
            let value = if p.flags[i] & REWRITTEN != 0 {
                let k = p.values_index(i);
                let end = p.value_ends[k] as usize;
                let v = String::from_utf16(&values[value_start..end]).unwrap();
                value_start = end;
                v
            } else {
                text[m.start..m.end].to_owned()
            };
            assert_eq!(value, m.value);
            let chain = match p.chain_of[i] {
                0 => String::new(),
                k => p.chains[usize::from(k) - 1].clone(),
            };
            let want: Vec<&str> = m.decoded.iter().map(|d| d.name()).collect();
            assert_eq!(chain, want.join(">"));
        }
        assert!(p.flags.iter().any(|f| f & DEFANGED != 0));
        assert!(p.chain_of.iter().any(|&c| c != 0), "{p:?}");
        assert_eq!(p, x.extract_packed_bytes(text.as_bytes(), &opts).unwrap());
        let err = x.extract_packed_bytes(b"a\xffb", &opts).unwrap_err();
        assert!(err.to_string().contains("not UTF-8"), "{err}");
    }

    impl Packed {
        /// Which of `values` match `i` holds (its rewritten predecessors).
        fn values_index(&self, i: usize) -> usize {
            self.flags[..i]
                .iter()
                .filter(|f| *f & REWRITTEN != 0)
                .count()
        }
    }
}
