//! Categories: a column's distinct values as codes (one hash table per chunk, for short and
//! long strings, numbers, dates and dictionaries), the form the matrix, the process-tree
//! builds and the plots group by.

use std::cmp::Ordering;

use crate::hash::HashMap;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    ArrowDictionaryKeyType, Date32Type, Float16Type, Float32Type, Float64Type, Int8Type, Int16Type,
    Int32Type, Int64Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, DictionaryArray};
use arrow_buffer::ArrowNativeType;
use arrow_schema::{DataType, TimeUnit};

use super::Column;
use super::time::{format_date, format_timestamp};
use crate::error::Result;

/// The code [`Categories::codes`] holds for a null (or NaN) value.
pub const NULL_CODE: u32 = u32::MAX;

/// A column turned into small integer codes, one per distinct value, numbered in order of
/// first appearance. Grouping, counting distinct values and axis labels all work on codes.
#[derive(Debug, Clone, PartialEq)]
pub struct Categories {
    /// Per row: the value's code, or [`Categories::NULL`] for null/NaN.
    pub codes: Vec<u32>,
    /// Per code: the value as display text.
    pub labels: Vec<String>,
    /// Per code: what the value sorts by (numbers numerically, text by code point).
    pub keys: Vec<SortKey>,
}

impl Categories {
    /// Orders two codes by value (numbers numerically, text by code point).
    pub fn compare(&self, a: u32, b: u32) -> Ordering {
        let (a, b) = (a as usize, b as usize);
        self.keys[a].compare(&self.keys[b], (&self.labels[a], &self.labels[b]))
    }

    /// The code meaning "null".
    pub const NULL: u32 = NULL_CODE;

    /// Row `row`'s value as text (its label), or `None` when null.
    #[inline]
    pub fn get(&self, row: usize) -> Option<&str> {
        let code = *self.codes.get(row)?;
        self.labels.get(code as usize).map(String::as_str)
    }
}

/// What a category sorts by: the value itself, so numbers sort as numbers and text by
/// Unicode code point (Python's string order, which pandas' `groupby` uses).
#[derive(Debug, Clone, PartialEq)]
pub enum SortKey {
    /// Text: sorts by its label (no copy of it is kept).
    Text,
    /// Signed integers, booleans (0/1), dates (days) and timestamps (in the column's unit).
    Int(i64),
    /// Unsigned integers.
    UInt(u64),
    /// Floats (never NaN: NaN is null).
    Float(f64),
}

impl SortKey {
    /// Total order between keys of one column (they are always the same variant); text
    /// compares the labels `a` and `b` of the two values.
    pub fn compare(&self, other: &SortKey, labels: (&str, &str)) -> Ordering {
        match (self, other) {
            (SortKey::Text, SortKey::Text) => labels.0.cmp(labels.1),
            (SortKey::Int(a), SortKey::Int(b)) => a.cmp(b),
            (SortKey::UInt(a), SortKey::UInt(b)) => a.cmp(b),
            (SortKey::Float(a), SortKey::Float(b)) => a.total_cmp(b),
            (a, b) => a.rank().cmp(&b.rank()),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            SortKey::Int(_) => 0,
            SortKey::UInt(_) => 1,
            SortKey::Float(_) => 2,
            SortKey::Text => 3,
        }
    }
}

/// Codes of strings of at most 16 bytes, found without hashing bytes or calling `memcmp`:
/// the string, zero-padded, is two `u64`s, and with its length that is the whole key of an
/// open-addressing table (multiply-shift hash, linear probing, at most half full). Grouping
/// keys (IPs, host names, protocols) are nearly all this short, and this is the hot loop.
#[derive(Default)]
struct ShortStrings {
    /// (low 8 bytes, high 8 bytes, length, code); `code == u32::MAX` marks an empty slot.
    slots: Vec<(u64, u64, u32, u32)>,
    shift: u32,
    len: usize,
}

impl ShortStrings {
    const EMPTY: (u64, u64, u32, u32) = (0, 0, 0, u32::MAX);

    /// Two words that, with the length, identify a string of at most 16 bytes: its first and
    /// last 8 bytes (overlapping when shorter than 16), or for shorter strings its first and
    /// last 4 bytes, or its bytes one by one. No copy, no loop.
    #[inline(always)]
    fn key(s: &[u8]) -> (u64, u64) {
        let n = s.len();
        let word =
            |at: usize| -> u64 { u64::from_le_bytes(s[at..at + 8].try_into().unwrap_or_default()) };
        let half = |at: usize| -> u64 {
            u64::from(u32::from_le_bytes(
                s[at..at + 4].try_into().unwrap_or_default(),
            ))
        };
        if n >= 8 {
            (word(0), word(n - 8))
        } else if n >= 4 {
            (half(0), half(n - 4))
        } else {
            let byte = |i: usize| s.get(i).map_or(0, |&b| u64::from(b));
            (byte(0) | byte(1) << 8 | byte(2) << 16, 0)
        }
    }

    #[inline]
    fn home(lo: u64, hi: u64, len: u32, shift: u32) -> usize {
        let h =
            (lo ^ hi.rotate_left(31) ^ (u64::from(len) << 59)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> shift) as usize
    }

    /// The code of `s` (≤ 16 bytes), calling `new` for a string not seen before.
    #[inline(always)]
    fn get_or_insert(&mut self, s: &[u8], new: impl FnOnce() -> u32) -> u32 {
        if self.len * 2 >= self.slots.len() {
            self.grow();
        }
        let (lo, hi) = Self::key(s);
        let len = s.len() as u32;
        let mask = self.slots.len() - 1;
        let mut i = Self::home(lo, hi, len, self.shift);
        loop {
            let slot = &mut self.slots[i];
            if slot.3 == u32::MAX {
                let code = new();
                *slot = (lo, hi, len, code);
                self.len += 1;
                return code;
            }
            if slot.0 == lo && slot.1 == hi && slot.2 == len {
                return slot.3;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        self.shift = regrow(
            &mut self.slots,
            Self::EMPTY,
            |e| e.3 == u32::MAX,
            |e, shift| Self::home(e.0, e.1, e.2, shift),
        );
    }
}

/// Doubles an open-addressing table (to at least 64 slots) and re-inserts its entries by
/// linear probing from `home(entry, shift)`; returns the new shift (64 − log2 of the size).
fn regrow<T: Copy>(
    slots: &mut Vec<T>,
    empty: T,
    is_empty: impl Fn(&T) -> bool,
    home: impl Fn(&T, u32) -> usize,
) -> u32 {
    let bits = (slots.len().max(32) * 2).trailing_zeros();
    let shift = 64 - bits;
    let old = std::mem::replace(slots, vec![empty; 1 << bits]);
    let mask = slots.len() - 1;
    for entry in old.into_iter().filter(|e| !is_empty(e)) {
        let mut i = home(&entry, shift);
        while !is_empty(&slots[i]) {
            i = (i + 1) & mask;
        }
        slots[i] = entry;
    }
    shift
}

/// Strings longer than 16 bytes → codes: an open-addressing table of (hash, code) whose
/// strings are the encoder's labels, compared 8 bytes at a time (wasm's `memcmp` goes byte by
/// byte, and a million-row column of paths compares a million of them).
#[derive(Default)]
struct LongStrings {
    /// (hash, code); `code == u32::MAX` marks an empty slot.
    slots: Vec<(u64, u32)>,
    shift: u32,
    len: usize,
}

impl LongStrings {
    const EMPTY: (u64, u32) = (0, u32::MAX);

    #[inline(always)]
    fn word(s: &[u8], at: usize) -> u64 {
        u64::from_le_bytes(s[at..at + 8].try_into().unwrap_or_default())
    }

    /// FxHash-style over 8-byte words (the last one overlapping), then a final mix so the
    /// top bits, which pick the slot, depend on every word.
    #[inline(always)]
    fn hash(s: &[u8]) -> u64 {
        const K: u64 = 0x9E37_79B9_7F4A_7C15;
        let n = s.len();
        let mut h = (n as u64).wrapping_mul(K);
        let mut at = 0;
        while at + 8 < n {
            h = (h.rotate_left(5) ^ Self::word(s, at)).wrapping_mul(K);
            at += 8;
        }
        h = (h.rotate_left(5) ^ Self::word(s, n - 8)).wrapping_mul(K);
        h ^= h >> 32;
        h = h.wrapping_mul(K);
        h ^ (h >> 29)
    }

    /// Equal bytes, compared a word at a time (`a` and `b` longer than 8 bytes).
    #[inline(always)]
    fn same(a: &[u8], b: &[u8]) -> bool {
        let n = a.len();
        if n != b.len() {
            return false;
        }
        let mut at = 0;
        while at + 8 < n {
            if Self::word(a, at) != Self::word(b, at) {
                return false;
            }
            at += 8;
        }
        Self::word(a, n - 8) == Self::word(b, n - 8)
    }

    /// The code of `s` (> 16 bytes) among `labels`; a string not seen before is pushed to
    /// `labels` and `keys`.
    #[inline(always)]
    fn get_or_insert(
        &mut self,
        s: &[u8],
        labels: &mut Vec<String>,
        keys: &mut Vec<SortKey>,
    ) -> u32 {
        if self.len * 2 >= self.slots.len() {
            self.grow();
        }
        let h = Self::hash(s);
        let mask = self.slots.len() - 1;
        let mut i = (h >> self.shift) as usize;
        loop {
            let slot = self.slots[i];
            if slot.1 == u32::MAX {
                let code = labels.len() as u32;
                labels.push(String::from_utf8_lossy(s).into_owned());
                keys.push(SortKey::Text);
                self.slots[i] = (h, code);
                self.len += 1;
                return code;
            }
            if slot.0 == h && Self::same(labels[slot.1 as usize].as_bytes(), s) {
                return slot.1;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        self.shift = regrow(
            &mut self.slots,
            Self::EMPTY,
            |e| e.1 == u32::MAX,
            |e, shift| (e.0 >> shift) as usize,
        );
    }
}

/// Builds codes as values arrive; one map per kind of value.
#[derive(Default)]
struct Encoder {
    short: ShortStrings,
    /// Strings longer than 16 bytes (Arrow validated the UTF-8, so labels keep the bytes).
    long: LongStrings,
    ints: HashMap<i64, u32>,
    uints: HashMap<u64, u32>,
    floats: HashMap<u64, u32>,
    labels: Vec<String>,
    keys: Vec<SortKey>,
}

impl Encoder {
    fn push(&mut self, label: String, key: SortKey) -> u32 {
        // Codes fit u32: a table of 2^32 distinct values would not fit in wasm memory.
        let code = self.labels.len() as u32;
        self.labels.push(label);
        self.keys.push(key);
        code
    }

    #[inline(always)]
    fn text(&mut self, s: &str) -> u32 {
        self.utf8(s.as_bytes())
    }

    /// A string given as its UTF-8 bytes (already validated by Arrow, so not checked again
    /// per row; a label is made only for a new value).
    #[inline(always)]
    fn utf8(&mut self, b: &[u8]) -> u32 {
        if b.len() <= 16 {
            let Encoder {
                short,
                labels,
                keys,
                ..
            } = self;
            return short.get_or_insert(b, || {
                labels.push(String::from_utf8_lossy(b).into_owned());
                keys.push(SortKey::Text);
                (labels.len() - 1) as u32
            });
        }
        self.long_text(b)
    }

    #[inline(never)]
    fn long_text(&mut self, b: &[u8]) -> u32 {
        let Encoder {
            long, labels, keys, ..
        } = self;
        long.get_or_insert(b, labels, keys)
    }

    #[inline]
    fn int(&mut self, v: i64, label: impl FnOnce(i64) -> String) -> u32 {
        if let Some(&code) = self.ints.get(&v) {
            return code;
        }
        let code = self.push(label(v), SortKey::Int(v));
        self.ints.insert(v, code);
        code
    }

    #[inline]
    fn uint(&mut self, v: u64) -> u32 {
        if let Some(&code) = self.uints.get(&v) {
            return code;
        }
        let code = self.push(v.to_string(), SortKey::UInt(v));
        self.uints.insert(v, code);
        code
    }

    #[inline]
    fn float(&mut self, v: f64) -> u32 {
        if v.is_nan() {
            return NULL_CODE;
        }
        // -0.0 and 0.0 are one value.
        let v = if v == 0.0 { 0.0 } else { v };
        let bits = v.to_bits();
        if let Some(&code) = self.floats.get(&bits) {
            return code;
        }
        let code = self.push(v.to_string(), SortKey::Float(v));
        self.floats.insert(bits, code);
        code
    }

    fn finish(self, codes: Vec<u32>) -> Categories {
        Categories {
            codes,
            labels: self.labels,
            keys: self.keys,
        }
    }
}

const CATEGORY_TYPES: &str = "text, a number, a boolean, a date or a timestamp";

/// Encodes a column as [`Categories`]. Accepts text (Utf8, LargeUtf8, Utf8View), dictionaries
/// of any of those or of numbers, integers, floats (NaN counts as null), booleans, dates and
/// timestamps (labelled in ISO 8601, UTC).
pub fn encode_categories(column: &Column<'_>) -> Result<Categories> {
    let rows = column.chunks.iter().map(|c| c.len()).sum();
    let mut codes = Vec::with_capacity(rows);
    let mut enc = Encoder::default();
    // In pieces of a million rows, with the room for the next checked before each: the labels
    // and their index grow with the distinct values, unknown up front.
    const PIECE: usize = 1 << 20;
    let start = crate::memory::in_use();
    let mut done = 0;
    for chunk in &column.chunks {
        let mut at = 0;
        while at < chunk.len() {
            let piece = chunk.slice(at, PIECE.min(chunk.len() - at));
            // Every row a new label (its text, a `String` and an index entry), and the index
            // doubling.
            let worst = piece.len() as u64 * 64 + piece.get_buffer_memory_size() as u64;
            let checked = if done == 0 {
                // The codes of every row, and the first piece.
                let first = piece.len().max(1) as f64;
                crate::memory::Need::new("", "rows", rows as u64, 4.0 + worst as f64 / first)
                    .check()
            } else {
                let spent = crate::memory::in_use().saturating_sub(start);
                let more = spent + worst;
                crate::memory::ensure_room(
                    "",
                    "rows",
                    (done as u64, rows as u64),
                    spent,
                    (more, spent),
                )
            };
            checked.map_err(|e| {
                e.too_large_in(|| format!("column `{}` ({})", column.name(), column.role))
            })?;
            encode_chunk(column, piece.as_ref(), &mut enc, &mut codes)?;
            at += piece.len();
            done += piece.len();
        }
    }
    Ok(enc.finish(codes))
}

fn encode_chunk(
    column: &Column<'_>,
    array: &dyn Array,
    enc: &mut Encoder,
    codes: &mut Vec<u32>,
) -> Result<()> {
    macro_rules! each {
        ($iter:expr, |$v:ident| $code:expr) => {
            codes.extend($iter.map(|opt| match opt {
                Some($v) => $code,
                None => NULL_CODE,
            }))
        };
    }
    macro_rules! ints {
        ($t:ty) => {
            each!(array.as_primitive::<$t>().iter(), |v| enc
                .int(i64::from(v), |v| v.to_string()))
        };
    }
    match array.data_type() {
        DataType::Utf8 => encode_strings(array.as_string::<i32>(), enc, codes),
        DataType::LargeUtf8 => encode_strings(array.as_string::<i64>(), enc, codes),
        DataType::Utf8View => each!(array.as_string_view().iter(), |v| enc.text(v)),
        DataType::Boolean => each!(array.as_boolean().iter(), |v| enc
            .int(i64::from(v), |v| (if v == 1 { "true" } else { "false" })
                .to_owned())),
        DataType::Int8 => ints!(Int8Type),
        DataType::Int16 => ints!(Int16Type),
        DataType::Int32 => ints!(Int32Type),
        DataType::Int64 => ints!(Int64Type),
        DataType::UInt8 => ints!(UInt8Type),
        DataType::UInt16 => ints!(UInt16Type),
        DataType::UInt32 => ints!(UInt32Type),
        DataType::UInt64 => each!(array.as_primitive::<UInt64Type>().iter(), |v| enc.uint(v)),
        DataType::Float16 => each!(array.as_primitive::<Float16Type>().iter(), |v| enc
            .float(v.to_f64())),
        DataType::Float32 => each!(array.as_primitive::<Float32Type>().iter(), |v| enc
            .float(f64::from(v))),
        DataType::Float64 => each!(array.as_primitive::<Float64Type>().iter(), |v| enc.float(v)),
        DataType::Date32 => each!(array.as_primitive::<Date32Type>().iter(), |v| enc
            .int(i64::from(v), format_date)),
        DataType::Timestamp(unit, _) => {
            let unit = *unit;
            let label = move |v| format_timestamp(v, unit);
            match unit {
                TimeUnit::Second => {
                    each!(array.as_primitive::<TimestampSecondType>().iter(), |v| enc
                        .int(v, label))
                }
                TimeUnit::Millisecond => each!(
                    array.as_primitive::<TimestampMillisecondType>().iter(),
                    |v| enc.int(v, label)
                ),
                TimeUnit::Microsecond => each!(
                    array.as_primitive::<TimestampMicrosecondType>().iter(),
                    |v| enc.int(v, label)
                ),
                TimeUnit::Nanosecond => each!(
                    array.as_primitive::<TimestampNanosecondType>().iter(),
                    |v| enc.int(v, label)
                ),
            }
        }
        DataType::Dictionary(key, _) => match key.as_ref() {
            DataType::Int8 => encode_dictionary::<Int8Type>(column, array, enc, codes)?,
            DataType::Int16 => encode_dictionary::<Int16Type>(column, array, enc, codes)?,
            DataType::Int32 => encode_dictionary::<Int32Type>(column, array, enc, codes)?,
            DataType::Int64 => encode_dictionary::<Int64Type>(column, array, enc, codes)?,
            DataType::UInt8 => encode_dictionary::<UInt8Type>(column, array, enc, codes)?,
            DataType::UInt16 => encode_dictionary::<UInt16Type>(column, array, enc, codes)?,
            DataType::UInt32 => encode_dictionary::<UInt32Type>(column, array, enc, codes)?,
            DataType::UInt64 => encode_dictionary::<UInt64Type>(column, array, enc, codes)?,
            _ => return Err(column.type_error(CATEGORY_TYPES)),
        },
        _ => return Err(column.type_error(CATEGORY_TYPES)),
    }
    Ok(())
}

/// Utf8/LargeUtf8: a tight loop over the offsets (the grouping hot path).
fn encode_strings<O: arrow_array::OffsetSizeTrait>(
    array: &arrow_array::GenericStringArray<O>,
    enc: &mut Encoder,
    codes: &mut Vec<u32>,
) {
    let offsets = array.value_offsets();
    let values = array.value_data();
    let nulls = array.nulls().filter(|n| n.null_count() > 0);
    codes.extend(offsets.windows(2).enumerate().map(|(i, w)| {
        if nulls.is_some_and(|n| n.is_null(i)) {
            return NULL_CODE;
        }
        // Offsets and UTF-8 were validated when the array was read or built.
        enc.utf8(
            values
                .get(w[0].as_usize()..w[1].as_usize())
                .unwrap_or_default(),
        )
    }));
}

/// Dictionary arrays: encode the (small) dictionary once, then map each row's key.
fn encode_dictionary<K: ArrowDictionaryKeyType>(
    column: &Column<'_>,
    array: &dyn Array,
    enc: &mut Encoder,
    codes: &mut Vec<u32>,
) -> Result<()> {
    let dict: &DictionaryArray<K> = array.as_dictionary::<K>();
    let mut value_codes = Vec::with_capacity(dict.values().len());
    encode_chunk(column, dict.values().as_ref(), enc, &mut value_codes)?;
    let keys = dict.keys();
    codes.reserve(keys.len());
    let values = keys.values();
    crate::chunks::in_chunks(keys.len(), |range| {
        for i in range {
            let code = if keys.is_null(i) {
                NULL_CODE
            } else {
                // Keys were validated against the dictionary's length when the array was read;
                // an out-of-range key still reads as null rather than panicking.
                values[i]
                    .to_usize()
                    .and_then(|k| value_codes.get(k).copied())
                    .unwrap_or(NULL_CODE)
            };
            codes.push(code);
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_strings_differing_in_one_byte_get_their_own_codes() {
        // Same length, same first and last 8 bytes; one byte differs in the middle (every
        // position of the word-wise comparison, including the overlapping tail).
        let mut values = Vec::new();
        for len in [17, 23, 24, 25, 40] {
            for at in 8..len - 8 {
                for b in [b'a', b'b'] {
                    let mut v = vec![b'x'; len];
                    v[at] = b;
                    values.push(String::from_utf8(v).unwrap());
                }
            }
        }
        let mut enc = Encoder::default();
        let codes: Vec<u32> = values.iter().map(|v| enc.text(v)).collect();
        let again: Vec<u32> = values.iter().map(|v| enc.text(v)).collect();
        assert_eq!(codes, again);
        let distinct: std::collections::HashSet<&String> = values.iter().collect();
        let distinct_codes: std::collections::HashSet<u32> = codes.iter().copied().collect();
        assert_eq!(distinct_codes.len(), distinct.len());
        for (v, c) in values.iter().zip(&codes) {
            assert_eq!(&enc.labels[*c as usize], v);
        }
    }
}
