//! Column access that hides how a producer encoded a column.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::hash::HashMap;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    ArrowDictionaryKeyType, Date32Type, Float16Type, Float32Type, Float64Type, Int8Type, Int16Type,
    Int32Type, Int64Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, DictionaryArray};
use arrow_buffer::ArrowNativeType;
use arrow_schema::{DataType, TimeUnit};

use super::time::{format_date, format_timestamp};
use crate::error::{Error, Result};

/// One column of a [`super::Table`]: its name, type and one array per record batch.
#[derive(Debug, Clone)]
pub struct Column<'a> {
    name: &'a str,
    role: &'static str,
    data_type: &'a DataType,
    chunks: Vec<&'a ArrayRef>,
}

impl<'a> Column<'a> {
    pub(super) fn new(
        name: &'a str,
        role: &'static str,
        data_type: &'a DataType,
        chunks: Vec<&'a ArrayRef>,
    ) -> Self {
        Column {
            name,
            role,
            data_type,
            chunks,
        }
    }

    /// The column's name.
    pub fn name(&self) -> &str {
        self.name
    }

    /// Its Arrow type.
    pub fn data_type(&self) -> &DataType {
        self.data_type
    }

    /// Its arrays, one per record batch.
    pub fn chunks(&self) -> &[&'a ArrayRef] {
        &self.chunks
    }

    /// Fails with an error naming the column unless [`for_each_number`] can read it.
    pub fn check_numeric(&self) -> Result<()> {
        fn numeric(dt: &DataType) -> bool {
            match dt {
                DataType::Dictionary(_, values) => numeric(values),
                dt => dt.is_numeric() || *dt == DataType::Boolean,
            }
        }
        if numeric(self.data_type) {
            Ok(())
        } else {
            Err(self.type_error("a number"))
        }
    }

    fn type_error(&self, expected: &'static str) -> Error {
        Error::column_type(self.name, self.role, self.data_type, expected)
    }
}

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
    for chunk in &column.chunks {
        encode_chunk(column, chunk.as_ref(), &mut enc, &mut codes)?;
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

/// Every row's value as text (null as `None`): strings as they are, integers in decimal,
/// integral floats without a fraction (`22536.0` → `"22536"`, as MSTICPy's int cast), times in
/// ISO 8601. Built on [`encode_categories`], so each distinct value is formatted once.
pub fn text_values(column: &Column<'_>) -> Result<Vec<Option<String>>> {
    let cats = encode_categories(column)?;
    Ok(cats
        .codes
        .iter()
        .map(|&c| cats.labels.get(c as usize).cloned())
        .collect())
}

/// Every row's time as nanoseconds since the epoch (UTC; naive times are taken as UTC), null as
/// `None`. Accepts Arrow timestamps (any unit, any zone), dates, ISO 8601 text
/// (`2019-02-10 15:21:06.890`, `…T…Z`, `…+01:00`) and epoch numbers, whose unit is read from
/// their size (seconds below 10^11, then ms, µs, ns). Unparsable text is `None`.
pub fn timestamps_ns(column: &Column<'_>) -> Result<Vec<Option<i64>>> {
    let mut out = Vec::with_capacity(column.chunks.iter().map(|c| c.len()).sum());
    for_each_timestamp_ns(column, |t| out.push(t))?;
    Ok(out)
}

/// [`timestamps_ns`] without the vector: `f` gets every row's time in row order.
pub fn for_each_timestamp_ns(column: &Column<'_>, mut f: impl FnMut(Option<i64>)) -> Result<()> {
    for chunk in &column.chunks {
        let array = chunk.as_ref();
        macro_rules! scaled {
            ($t:ty, $mul:expr) => {{
                let values = array.as_primitive::<$t>();
                crate::chunks::in_chunks(values.len(), |range| {
                    for i in range {
                        let v = (!values.is_null(i)).then(|| values.value(i));
                        f(v.and_then(|v| i64::from(v).checked_mul($mul)));
                    }
                })
            }};
        }
        match array.data_type() {
            DataType::Timestamp(TimeUnit::Second, _) => scaled!(TimestampSecondType, 1_000_000_000),
            DataType::Timestamp(TimeUnit::Millisecond, _) => {
                scaled!(TimestampMillisecondType, 1_000_000)
            }
            DataType::Timestamp(TimeUnit::Microsecond, _) => {
                scaled!(TimestampMicrosecondType, 1_000)
            }
            DataType::Timestamp(TimeUnit::Nanosecond, _) => scaled!(TimestampNanosecondType, 1),
            DataType::Date32 => scaled!(Date32Type, 86_400_000_000_000),
            DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Dictionary(..) => {
                let sub = Column::new(column.name, column.role, array.data_type(), vec![chunk]);
                let cats = encode_categories(&sub)?;
                let parsed: Vec<Option<i64>> =
                    cats.labels.iter().map(|l| parse_time_ns(l)).collect();
                cats.codes
                    .iter()
                    .for_each(|&c| f(parsed.get(c as usize).copied().flatten()));
            }
            dt if dt.is_numeric() => {
                let sub = Column::new(column.name, column.role, dt, vec![chunk]);
                for_each_number(&sub, |_, v| f(epoch_ns(v)))?;
            }
            _ => return Err(column.type_error("a timestamp, ISO 8601 text or epoch numbers")),
        }
    }
    Ok(())
}

impl super::Value {
    /// This value as a time, ns since the epoch (UTC), read as [`timestamps_ns`] reads a
    /// column: a `Date`, ISO 8601 text, or an epoch number in s, ms, µs or ns by magnitude.
    pub fn timestamp_ns(&self) -> Option<i64> {
        match self {
            super::Value::Date(ms) => epoch_ns_of_ms(*ms),
            super::Value::Text(t) => parse_iso_ns(t),
            super::Value::Number(n) => epoch_ns(*n),
            super::Value::Int(i) => i.checked_mul(epoch_scale(i.unsigned_abs() as f64)),
            super::Value::Null | super::Value::Bool(_) => None,
        }
    }
}

fn epoch_ns_of_ms(ms: f64) -> Option<i64> {
    let ns = (ms * 1e6).round();
    (ms.is_finite() && ns.abs() < 9.2e18).then_some(ns as i64)
}

/// Windows FILETIME (100 ns since 1601-01-01) of 1970-01-01 and of 2100-01-01.
const FILETIME_1970: f64 = 116_444_736_000_000_000.0;
const FILETIME_2100: f64 = 157_469_184_000_000_000.0;

/// An epoch number in s, ms, µs or ns (by magnitude) as ns; a Windows FILETIME of 1970–2099
/// (read as ns it would fall in 1973–1974, which no log holds).
fn epoch_ns(v: f64) -> Option<i64> {
    if !v.is_finite() {
        return None;
    }
    if (FILETIME_1970..FILETIME_2100).contains(&v) {
        // Exact in integers: FILETIMEs of these years are below 2^63 / 100.
        let ticks = v as i64 - FILETIME_1970 as i64;
        return ticks.checked_mul(100);
    }
    let a = v.abs();
    let scale = epoch_scale(a);
    if v.fract() == 0.0 && a < 9.0e15 {
        // Integral: exact in integers (f64 products lose the low digits).
        return (v as i64).checked_mul(scale);
    }
    let ns = (v * scale as f64).round();
    (ns.abs() < 9.2e18).then_some(ns as i64)
}

/// ns per unit of an epoch number of magnitude `a`: seconds below 10^11, then ms, µs, ns.
fn epoch_scale(a: f64) -> i64 {
    if a < 1e11 {
        1_000_000_000
    } else if a < 1e14 {
        1_000_000
    } else if a < 1e17 {
        1_000
    } else {
        1
    }
}

/// A time as text in the forms logs write, as UTC nanoseconds: ISO 8601 ([`parse_iso_ns`]),
/// US `M/D/YYYY h:mm[:ss[.fff]] [AM|PM]` (Windows Event Viewer and CSV exports), or an epoch
/// number written as text (read as [`timestamps_ns`] reads numbers).
pub fn parse_time_ns(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Some(ns) = parse_iso_ns(t).or_else(|| parse_us_ns(t)) {
        return Some(ns);
    }
    let digits = t.strip_prefix('-').unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return epoch_ns(t.parse().ok()?);
    }
    None
}

/// `M/D/YYYY[ h:mm[:ss[.fraction]][ AM|PM]]` (12- or 24-hour) as UTC nanoseconds.
fn parse_us_ns(t: &str) -> Option<i64> {
    let (date, time) = t.split_once(' ').unwrap_or((t, ""));
    let mut d = date.split('/');
    let (mo, day, y): (i64, i64, i64) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    if d.next().is_some() || !(1000..=9999).contains(&y) || !(1..=12).contains(&mo) {
        return None;
    }
    if !(1..=31).contains(&day) {
        return None;
    }
    let time = time.trim();
    let (clock, half) = match time.rsplit_once(' ') {
        Some((c, h)) if h.eq_ignore_ascii_case("AM") || h.eq_ignore_ascii_case("PM") => {
            (c.trim(), Some(h.eq_ignore_ascii_case("PM")))
        }
        _ => (time, None),
    };
    let (mut h, mut mi, mut sec, mut frac) = (0i64, 0i64, 0i64, 0i64);
    if !clock.is_empty() {
        let mut parts = clock.split(':');
        h = parts.next()?.parse().ok()?;
        mi = parts.next()?.parse().ok()?;
        if let Some(s) = parts.next() {
            let (whole, f) = s.split_once('.').unwrap_or((s, ""));
            sec = whole.parse().ok()?;
            if !f.is_empty() {
                if !f.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let kept = &f[..f.len().min(9)];
                frac = kept.parse::<i64>().ok()? * 10i64.pow((9 - kept.len()) as u32);
            }
        }
        if parts.next().is_some() {
            return None;
        }
    }
    match half {
        Some(pm) if (1..=12).contains(&h) => h = h % 12 + if pm { 12 } else { 0 },
        Some(_) => return None,
        None => {}
    }
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let days = super::time::days_from_civil(y, mo as u32, day as u32);
    (days * 86_400 + h * 3600 + mi * 60 + sec)
        .checked_mul(1_000_000_000)?
        .checked_add(frac)
}

/// Parses `YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|±HH[:]MM]` as UTC nanoseconds.
pub fn parse_iso_ns(text: &str) -> Option<i64> {
    let t = text.trim().as_bytes();
    let num = |s: &[u8]| -> Option<i64> {
        if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(s).ok()?.parse().ok()
    };
    if t.len() < 10 || t[4] != b'-' || t[7] != b'-' {
        return None;
    }
    let (y, mo, d) = (num(&t[0..4])?, num(&t[5..7])?, num(&t[8..10])?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let mut rest = &t[10..];
    let (mut h, mut mi, mut sec, mut frac) = (0, 0, 0, 0i64);
    if let Some((&sep, r)) = rest.split_first()
        && (sep == b'T' || sep == b' ')
    {
        if r.len() < 5 || r[2] != b':' {
            return None;
        }
        h = num(&r[0..2])?;
        mi = num(&r[3..5])?;
        rest = &r[5..];
        if rest.first() == Some(&b':') {
            sec = num(rest.get(1..3)?)?;
            rest = &rest[3..];
            if rest.first() == Some(&b'.') {
                let digits = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
                let kept = digits.min(9);
                frac = num(&rest[1..1 + kept])? * 10i64.pow((9 - kept) as u32);
                rest = &rest[1 + digits..];
            }
        }
    }
    let offset_s = match rest {
        [] | [b'Z'] | [b'z'] => 0,
        [sign @ (b'+' | b'-'), tz @ ..] => {
            let tz: Vec<u8> = tz.iter().copied().filter(|&b| b != b':').collect();
            if tz.len() != 4 {
                return None;
            }
            let secs = num(&tz[0..2])? * 3600 + num(&tz[2..4])? * 60;
            if *sign == b'+' { secs } else { -secs }
        }
        _ => return None,
    };
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let days = super::time::days_from_civil(y, mo as u32, d as u32);
    let secs = days * 86_400 + h * 3600 + mi * 60 + sec - offset_s;
    secs.checked_mul(1_000_000_000)?.checked_add(frac)
}

/// Reads single cells of a column as text (for what a plot shows: a few rows at a time).
pub struct CellReader<'a> {
    chunks: Vec<&'a ArrayRef>,
    /// First row of each chunk.
    starts: Vec<usize>,
}

impl<'a> CellReader<'a> {
    /// A reader over `column`.
    pub fn new(column: &Column<'a>) -> Self {
        let mut starts = Vec::with_capacity(column.chunks.len());
        let mut at = 0;
        for c in &column.chunks {
            starts.push(at);
            at += c.len();
        }
        CellReader {
            chunks: column.chunks.clone(),
            starts,
        }
    }

    /// Row `row` as text: strings as they are, numbers in decimal (integral floats without a
    /// fraction), booleans, dates and times in ISO 8601; `None` for null or a row out of range.
    pub fn text(&self, row: usize) -> Option<Cow<'a, str>> {
        let k = self.starts.partition_point(|&s| s <= row).checked_sub(1)?;
        let array: &'a ArrayRef = self.chunks.get(k)?;
        cell_text(array.as_ref(), row - self.starts[k])
    }
}

fn cell_text(array: &dyn Array, i: usize) -> Option<Cow<'_, str>> {
    if i >= array.len() || array.is_null(i) {
        return None;
    }
    macro_rules! num {
        ($t:ty) => {
            Cow::Owned(array.as_primitive::<$t>().value(i).to_string())
        };
    }
    Some(match array.data_type() {
        DataType::Utf8 => Cow::Borrowed(array.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => Cow::Borrowed(array.as_string::<i64>().value(i)),
        DataType::Utf8View => Cow::Borrowed(array.as_string_view().value(i)),
        DataType::Boolean => Cow::Borrowed(if array.as_boolean().value(i) {
            "true"
        } else {
            "false"
        }),
        DataType::Int8 => num!(Int8Type),
        DataType::Int16 => num!(Int16Type),
        DataType::Int32 => num!(Int32Type),
        DataType::Int64 => num!(Int64Type),
        DataType::UInt8 => num!(UInt8Type),
        DataType::UInt16 => num!(UInt16Type),
        DataType::UInt32 => num!(UInt32Type),
        DataType::UInt64 => num!(UInt64Type),
        DataType::Float32 => Cow::Owned(format_float(f64::from(
            array.as_primitive::<Float32Type>().value(i),
        ))?),
        DataType::Float64 => {
            Cow::Owned(format_float(array.as_primitive::<Float64Type>().value(i))?)
        }
        DataType::Date32 => Cow::Owned(format_date(i64::from(
            array.as_primitive::<Date32Type>().value(i),
        ))),
        DataType::Timestamp(unit, _) => {
            let v = match unit {
                TimeUnit::Second => array.as_primitive::<TimestampSecondType>().value(i),
                TimeUnit::Millisecond => array.as_primitive::<TimestampMillisecondType>().value(i),
                TimeUnit::Microsecond => array.as_primitive::<TimestampMicrosecondType>().value(i),
                TimeUnit::Nanosecond => array.as_primitive::<TimestampNanosecondType>().value(i),
            };
            Cow::Owned(format_timestamp(v, *unit))
        }
        DataType::Dictionary(_, _) => {
            let any = array.as_any_dictionary();
            let key = *any.normalized_keys().get(i)?;
            return cell_text(any.values().as_ref(), key);
        }
        _ => return None,
    })
}

/// A float as text: integral values without a fraction; NaN as `None`.
fn format_float(v: f64) -> Option<String> {
    if v.is_nan() {
        None
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        Some(format!("{}", v as i64))
    } else {
        Some(v.to_string())
    }
}

/// A cell of an identifier column (PIDs and the like): text as stored, or an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdCell<'a> {
    /// Null.
    Null,
    /// Text, borrowed from the column.
    Text(&'a str),
    /// A signed integer (also integral floats).
    Int(i64),
    /// An unsigned integer too large for `i64`.
    UInt(u64),
}

/// Calls `f` for every row of an identifier column, in order, without building any string:
/// text of any encoding (or a dictionary of it), integers of any width, and integral floats
/// (pandas turns integer columns with nulls into floats: `22536.0` is 22536). Anything else,
/// including a float with a fraction, is a [`crate::ErrorKind::ColumnType`] error naming the
/// column.
pub fn for_each_id<'a>(column: &Column<'a>, mut f: impl FnMut(IdCell<'a>)) -> Result<()> {
    for chunk in &column.chunks {
        id_cells(column, chunk, &mut f)?;
    }
    Ok(())
}

fn id_cells<'a>(
    column: &Column<'_>,
    array: &'a ArrayRef,
    f: &mut dyn FnMut(IdCell<'a>),
) -> Result<()> {
    const EXPECTED: &str = "text or integers";
    macro_rules! each {
        ($iter:expr, |$v:ident| $cell:expr) => {
            for v in $iter {
                f(match v {
                    Some($v) => $cell,
                    None => IdCell::Null,
                })
            }
        };
    }
    macro_rules! ints {
        ($t:ty) => {
            each!(array.as_primitive::<$t>().iter(), |v| IdCell::Int(
                i64::from(v)
            ))
        };
    }
    let float = |v: f64| -> Result<IdCell<'a>> {
        if v.is_nan() {
            Ok(IdCell::Null)
        } else if v.fract() == 0.0 && v.abs() < 9.0e18 {
            Ok(IdCell::Int(v as i64))
        } else {
            Err(column.type_error(EXPECTED))
        }
    };
    match array.data_type() {
        DataType::Utf8 => each!(array.as_string::<i32>().iter(), |v| IdCell::Text(v)),
        DataType::LargeUtf8 => each!(array.as_string::<i64>().iter(), |v| IdCell::Text(v)),
        DataType::Utf8View => each!(array.as_string_view().iter(), |v| IdCell::Text(v)),
        DataType::Int8 => ints!(Int8Type),
        DataType::Int16 => ints!(Int16Type),
        DataType::Int32 => ints!(Int32Type),
        DataType::Int64 => ints!(Int64Type),
        DataType::UInt8 => ints!(UInt8Type),
        DataType::UInt16 => ints!(UInt16Type),
        DataType::UInt32 => ints!(UInt32Type),
        DataType::UInt64 => each!(array.as_primitive::<UInt64Type>().iter(), |v| {
            i64::try_from(v).map_or(IdCell::UInt(v), IdCell::Int)
        }),
        DataType::Float32 => {
            for v in array.as_primitive::<Float32Type>().iter() {
                f(v.map_or(Ok(IdCell::Null), |v| float(f64::from(v)))?);
            }
        }
        DataType::Float64 => {
            for v in array.as_primitive::<Float64Type>().iter() {
                f(v.map_or(Ok(IdCell::Null), float)?);
            }
        }
        DataType::Dictionary(_, _) => {
            let any = array.as_any_dictionary();
            let mut values = Vec::with_capacity(any.values().len());
            id_cells(column, any.values(), &mut |c| values.push(c))?;
            let keys = any.normalized_keys();
            for (i, k) in keys.iter().enumerate() {
                f(if array.is_null(i) {
                    IdCell::Null
                } else {
                    values.get(*k).copied().unwrap_or(IdCell::Null)
                });
            }
        }
        _ => return Err(column.type_error(EXPECTED)),
    }
    Ok(())
}

/// Calls `f(row, value)` for every row of a numeric column, with null as NaN. Accepts every
/// integer and float width, booleans (0/1) and dictionaries of numbers; anything else is a
/// [`crate::ErrorKind::ColumnType`] error naming the column.
pub fn for_each_number(column: &Column<'_>, mut f: impl FnMut(usize, f64)) -> Result<()> {
    column.check_numeric()?;
    let mut row = 0;
    for chunk in &column.chunks {
        let numbers = numbers_of(column, chunk.as_ref())?;
        for v in numbers {
            f(row, v);
            row += 1;
        }
    }
    Ok(())
}

/// One chunk's values as f64 (null → NaN).
fn numbers_of(column: &Column<'_>, array: &dyn Array) -> Result<Vec<f64>> {
    macro_rules! prim {
        ($t:ty, $conv:expr) => {
            array
                .as_primitive::<$t>()
                .iter()
                .map(|v| v.map_or(f64::NAN, $conv))
                .collect()
        };
    }
    Ok(match array.data_type() {
        DataType::Int8 => prim!(Int8Type, f64::from),
        DataType::Int16 => prim!(Int16Type, f64::from),
        DataType::Int32 => prim!(Int32Type, f64::from),
        DataType::Int64 => prim!(Int64Type, |v| v as f64),
        DataType::UInt8 => prim!(UInt8Type, f64::from),
        DataType::UInt16 => prim!(UInt16Type, f64::from),
        DataType::UInt32 => prim!(UInt32Type, f64::from),
        DataType::UInt64 => prim!(UInt64Type, |v| v as f64),
        DataType::Float16 => prim!(Float16Type, |v| v.to_f64()),
        DataType::Float32 => prim!(Float32Type, f64::from),
        DataType::Float64 => prim!(Float64Type, |v| v),
        DataType::Boolean => array
            .as_boolean()
            .iter()
            .map(|v| v.map_or(f64::NAN, |b| f64::from(u8::from(b))))
            .collect(),
        DataType::Dictionary(_, _) => {
            let any = array.as_any_dictionary();
            let values = numbers_of(column, any.values().as_ref())?;
            let keys = any.normalized_keys();
            (0..array.len())
                .map(|i| {
                    if array.is_null(i) {
                        f64::NAN
                    } else {
                        keys.get(i)
                            .and_then(|&k| values.get(k).copied())
                            .unwrap_or(f64::NAN)
                    }
                })
                .collect()
        }
        _ => return Err(column.type_error("a number")),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn single_values_as_times() {
        use super::super::Value;
        let want = Some(1_704_103_200_000_000_000);
        assert_eq!(
            Value::Text("2024-01-01T10:00:00Z".into()).timestamp_ns(),
            want
        );
        assert_eq!(Value::Date(1_704_103_200_000.0).timestamp_ns(), want);
        assert_eq!(Value::Number(1_704_103_200.0).timestamp_ns(), want);
        assert_eq!(Value::Int(1_704_103_200_000_000).timestamp_ns(), want);
        assert_eq!(Value::Int(1_704_103_200_000_000_000).timestamp_ns(), want);
        assert_eq!(Value::Text("yesterday".into()).timestamp_ns(), None);
        assert_eq!(Value::Date(f64::NAN).timestamp_ns(), None);
    }

    use std::sync::Arc;

    use arrow_array::{
        BooleanArray, DictionaryArray, Float64Array, Int32Array, LargeStringArray, RecordBatch,
        StringArray, StringViewArray, TimestampMillisecondArray, UInt64Array,
    };
    use arrow_schema::{Field, Schema};

    use super::*;
    use crate::table::Table;

    fn table_of(array: ArrayRef) -> Table {
        let schema = Arc::new(Schema::new(vec![Field::new(
            "c",
            array.data_type().clone(),
            true,
        )]));
        let batch = RecordBatch::try_new(schema.clone(), vec![array]).unwrap();
        Table::new(schema, vec![batch.clone(), batch]).unwrap()
    }

    fn encode(array: ArrayRef) -> Categories {
        let table = table_of(array);
        encode_categories(&table.column("c", "x").unwrap()).unwrap()
    }

    const N: u32 = NULL_CODE;

    #[test]
    fn every_string_encoding_gives_the_same_codes() {
        let vals = vec![Some("b"), None, Some("a"), Some("b")];
        let want = Categories {
            codes: vec![0, N, 1, 0, 0, N, 1, 0],
            labels: vec!["b".into(), "a".into()],
            keys: vec![SortKey::Text, SortKey::Text],
        };
        assert_eq!(encode(Arc::new(StringArray::from(vals.clone()))), want);
        assert_eq!(encode(Arc::new(LargeStringArray::from(vals.clone()))), want);
        assert_eq!(encode(Arc::new(StringViewArray::from(vals.clone()))), want);
        let dict: DictionaryArray<Int32Type> = vals.into_iter().collect();
        assert_eq!(encode(Arc::new(dict)), want);
    }

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

    #[test]
    fn short_and_long_strings_share_one_numbering() {
        // 0–16 bytes go through the short-string table, longer ones through the map; enough
        // distinct values to make the table grow several times; a string and its zero-padded
        // twin must stay apart.
        let mut vals: Vec<String> = (0..5000)
            .map(|i| format!("10.{}.{}.{}", i % 7, i / 7, i))
            .collect();
        vals.extend([
            "".into(),
            "a".into(),
            "a\0".into(),
            "sixteen-bytes-xx".into(),
            "seventeen-bytes-x".into(),
        ]);
        let doubled: Vec<&str> = vals.iter().chain(&vals).map(String::as_str).collect();
        let cats = encode(Arc::new(StringArray::from(doubled)));
        let n = vals.len();
        assert_eq!(cats.labels, vals);
        let once: Vec<u32> = (0..n as u32).collect();
        assert_eq!(cats.codes[..n], once[..]);
        assert_eq!(cats.codes[n..2 * n], once[..]);
    }

    #[test]
    fn dictionary_with_duplicate_values_merges_them() {
        let dict = DictionaryArray::<UInt8Type>::try_new(
            vec![0u8, 1, 2].into(),
            Arc::new(StringArray::from(vec!["x", "y", "x"])),
        )
        .unwrap();
        let cats = encode(Arc::new(dict));
        assert_eq!(cats.codes[..3], [0, 1, 0]);
        assert_eq!(cats.labels, ["x", "y"]);
    }

    #[test]
    fn numbers_booleans_and_times() {
        let cats = encode(Arc::new(Float64Array::from(vec![
            Some(443.0),
            Some(f64::NAN),
            None,
            Some(-0.0),
            Some(0.0),
            Some(1.5),
        ])));
        assert_eq!(cats.codes[..6], [0, N, N, 1, 1, 2]);
        assert_eq!(cats.labels, ["443", "0", "1.5"]);
        let cats = encode(Arc::new(Int32Array::from(vec![Some(-3), None])));
        assert_eq!(
            (cats.labels.clone(), cats.keys[0].clone()),
            (vec!["-3".to_owned()], SortKey::Int(-3))
        );
        let cats = encode(Arc::new(UInt64Array::from(vec![u64::MAX])));
        assert_eq!(cats.labels, [u64::MAX.to_string()]);
        let cats = encode(Arc::new(BooleanArray::from(vec![Some(true), Some(false)])));
        assert_eq!(cats.labels, ["true", "false"]);
        let cats = encode(Arc::new(
            TimestampMillisecondArray::from(vec![1_549_812_066_890]).with_timezone("UTC"),
        ));
        assert_eq!(cats.labels, ["2019-02-10T15:21:06.890Z"]);
    }

    #[test]
    fn iso_times() {
        assert_eq!(parse_iso_ns("1970-01-01"), Some(0));
        assert_eq!(
            parse_iso_ns("2019-02-10 15:21:06.890"),
            Some(1_549_812_066_890_000_000)
        );
        assert_eq!(
            parse_iso_ns("2019-02-10T15:21:06.890Z"),
            Some(1_549_812_066_890_000_000)
        );
        assert_eq!(
            parse_iso_ns("2019-02-10T16:21:06.89+01:00"),
            Some(1_549_812_066_890_000_000)
        );
        assert_eq!(
            parse_iso_ns("2024-01-01 10:00:02.123456789"),
            Some(1_704_103_202_123_456_789)
        );
        assert_eq!(
            parse_iso_ns("2021-11-11 03:26:28.109885+00:00"),
            Some(1_636_601_188_109_885_000)
        );
        assert_eq!(parse_iso_ns("yesterday"), None);
        assert_eq!(parse_iso_ns("2019-13-01"), None);
        assert_eq!(epoch_ns(1_549_812_066.0), Some(1_549_812_066_000_000_000));
        assert_eq!(
            epoch_ns(1_549_812_066_890.0),
            Some(1_549_812_066_890_000_000)
        );
    }

    #[test]
    fn unsupported_types_name_the_column() {
        let table = table_of(Arc::new(arrow_array::NullArray::new(2)));
        let err = encode_categories(&table.column("c", "y").unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "column `c` (y) has type Null, expected text, a number, a boolean, a date or a timestamp"
        );
    }

    #[test]
    fn numbers_from_every_width_and_errors_for_text() {
        let table = table_of(Arc::new(Int32Array::from(vec![Some(2), None])));
        let mut got = vec![];
        for_each_number(&table.column("c", "valueCol").unwrap(), |row, v| {
            got.push((row, v))
        })
        .unwrap();
        assert_eq!(got[0], (0, 2.0));
        assert!(got[1].1.is_nan());
        assert_eq!((got.len(), got[2]), (4, (2, 2.0)));
        let dict: DictionaryArray<Int32Type> = DictionaryArray::try_new(
            vec![1, 0].into(),
            Arc::new(Float64Array::from(vec![10.0, 20.0])),
        )
        .unwrap();
        let table = table_of(Arc::new(dict));
        let mut got = vec![];
        for_each_number(&table.column("c", "valueCol").unwrap(), |_, v| got.push(v)).unwrap();
        assert_eq!(got, [20.0, 10.0, 20.0, 10.0]);
        let table = table_of(Arc::new(StringArray::from(vec!["1"])));
        let err = for_each_number(&table.column("c", "valueCol").unwrap(), |_, _| {}).unwrap_err();
        assert_eq!(
            err.to_string(),
            "column `c` (valueCol) has type Utf8, expected a number"
        );
    }

    #[test]
    fn id_cells_of_every_type() {
        let cells = |array: ArrayRef| -> Result<Vec<String>> {
            let table = table_of(array);
            let mut out = Vec::new();
            for_each_id(&table.column("c", "process_id")?, |c| {
                out.push(format!("{c:?}"))
            })?;
            Ok(out)
        };
        let text = vec![Some("0x1a4"), None];
        let want = ["Text(\"0x1a4\")", "Null", "Text(\"0x1a4\")", "Null"];
        assert_eq!(
            cells(Arc::new(StringArray::from(text.clone()))).unwrap(),
            want
        );
        assert_eq!(
            cells(Arc::new(LargeStringArray::from(text.clone()))).unwrap(),
            want
        );
        assert_eq!(
            cells(Arc::new(StringViewArray::from(text.clone()))).unwrap(),
            want
        );
        let dict: DictionaryArray<Int32Type> = text.into_iter().collect();
        assert_eq!(cells(Arc::new(dict)).unwrap(), want);
        assert_eq!(
            cells(Arc::new(Int32Array::from(vec![Some(-3), None]))).unwrap()[..2],
            ["Int(-3)", "Null"]
        );
        assert_eq!(
            cells(Arc::new(UInt64Array::from(vec![u64::MAX, 7]))).unwrap()[..2],
            ["UInt(18446744073709551615)", "Int(7)"]
        );
        assert_eq!(
            cells(Arc::new(Float64Array::from(vec![22536.0, f64::NAN]))).unwrap()[..2],
            ["Int(22536)", "Null"]
        );
        let err = cells(Arc::new(Float64Array::from(vec![1.5]))).unwrap_err();
        assert_eq!(err.code(), "column-type");
        assert!(err.to_string().contains("`c`"), "{err}");
    }
}
