//! Sixteen bytes classified at once, for the byte loops that skip text with nothing to look at
//! (refanging, the recognisers): wasm `simd128`, x86-64 SSSE3, or a portable fallback elsewhere.
//!
//! A [`ByteSet`] is any set of ASCII bytes, tested with two 16-entry table lookups (the
//! "nibble" method of simdjson and Hyperscan's Teddy): the high nibble of a byte picks one bit
//! (ASCII has eight high nibbles), and the set's table, indexed by the low nibble, holds the bits
//! of the high nibbles that make a member with it. Bytes from 0x80 up are in no set.

/// Bytes per chunk.
pub(super) const WIDTH: usize = 16;

/// A set of ASCII bytes (see the module docs).
#[derive(Clone, Copy)]
pub(super) struct ByteSet([u8; 16]);

impl ByteSet {
    /// The set of `bytes` (all ASCII).
    pub const fn new(bytes: &[u8]) -> ByteSet {
        let mut t = [0u8; 16];
        let mut k = 0;
        while k < bytes.len() {
            let c = bytes[k];
            assert!(c < 0x80, "ByteSet holds ASCII bytes only");
            t[(c & 15) as usize] |= 1 << (c >> 4);
            k += 1;
        }
        ByteSet(t)
    }

    /// Whether `c` is in the set (the scalar test).
    #[cfg(test)]
    pub const fn contains(&self, c: u8) -> bool {
        c < 0x80 && self.0[(c & 15) as usize] & (1 << (c >> 4)) != 0
    }
}

/// For each high nibble, its bit (none for 8–15: non-ASCII bytes).
const HIGH_BITS: [u8; 16] = [1, 2, 4, 8, 16, 32, 64, 128, 0, 0, 0, 0, 0, 0, 0, 0];

/// Sixteen bytes of a text, split into low nibbles and high-nibble bits.
#[derive(Clone, Copy)]
pub(super) struct Chunk {
    low: imp::V,
    high: imp::V,
}

/// One flag per byte of a [`Chunk`].
#[derive(Clone, Copy)]
pub(super) struct Lanes(u16);

impl Chunk {
    /// `b[i..i + 16]`, or `None` when that runs past the end.
    #[inline(always)]
    pub fn at(b: &[u8], i: usize) -> Option<Chunk> {
        let bytes: &[u8; WIDTH] = b.get(i..i.checked_add(WIDTH)?)?.try_into().ok()?;
        let (low, high) = imp::nibbles(imp::load(bytes));
        Some(Chunk {
            low,
            high: imp::lookup(&HIGH_BITS, high),
        })
    }

    /// The bytes in `set`.
    #[inline(always)]
    pub fn of(self, set: &ByteSet) -> Lanes {
        Lanes(imp::nonzero_mask(imp::and(
            imp::lookup(&set.0, self.low),
            self.high,
        )))
    }
}

impl Lanes {
    /// Bit `k` set when byte `k` is flagged.
    #[inline(always)]
    pub fn mask(self) -> u16 {
        self.0
    }
}

impl std::ops::BitOr for Lanes {
    type Output = Lanes;
    #[inline(always)]
    fn bitor(self, rhs: Lanes) -> Lanes {
        Lanes(self.0 | rhs.0)
    }
}

impl std::ops::BitAnd for Lanes {
    type Output = Lanes;
    #[inline(always)]
    fn bitand(self, rhs: Lanes) -> Lanes {
        Lanes(self.0 & rhs.0)
    }
}

/// A cursor over the positions a byte loop must look at: `classify(b, i)` gives the mask of
/// `i..i + 16` (any superset of the positions that matter is correct).
pub(super) struct Stops {
    /// The chunk classified last: `base..end` (empty at first).
    base: usize,
    end: usize,
    mask: u32,
}

impl Stops {
    pub fn new() -> Stops {
        Stops {
            base: 0,
            end: 0,
            mask: 0,
        }
    }

    /// The first flagged position at or after `from`, classifying new chunks as needed.
    #[inline(always)]
    pub fn next(
        &mut self,
        b: &[u8],
        mut from: usize,
        classify: impl Fn(&[u8], usize) -> u16,
    ) -> Option<usize> {
        loop {
            if from >= self.base && from < self.end {
                let m = self.mask & (!0u32 << (from - self.base));
                if m != 0 {
                    let p = self.base + m.trailing_zeros() as usize;
                    return (p < b.len()).then_some(p);
                }
                from = self.end;
            }
            if from >= b.len() {
                return None;
            }
            self.base = from;
            self.end = from + WIDTH;
            self.mask = u32::from(classify(b, from));
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::*;

    pub type V = v128;

    #[inline(always)]
    pub fn load(b: &[u8; 16]) -> V {
        // SAFETY: reads the 16 bytes of the array; v128.load needs no alignment.
        unsafe { v128_load(b.as_ptr().cast()) }
    }
    #[inline(always)]
    pub fn nibbles(v: V) -> (V, V) {
        (v128_and(v, u8x16_splat(15)), u8x16_shr(v, 4))
    }
    /// `table[k]` for each lane `k` (< 16).
    #[inline(always)]
    pub fn lookup(table: &[u8; 16], k: V) -> V {
        i8x16_swizzle(load(table), k)
    }
    #[inline(always)]
    pub fn and(a: V, b: V) -> V {
        v128_and(a, b)
    }
    #[inline(always)]
    pub fn nonzero_mask(a: V) -> u16 {
        i8x16_bitmask(i8x16_ne(a, u8x16_splat(0)))
    }
}

#[cfg(all(target_arch = "x86_64", target_feature = "ssse3"))]
mod imp {
    use core::arch::x86_64::*;

    pub type V = __m128i;

    // SAFETY (every block below): SSSE3 is enabled for the whole build (this module is
    // compiled only then); the intrinsics are `unsafe` only because they are target-feature
    // functions.

    #[inline(always)]
    pub fn load(b: &[u8; 16]) -> V {
        // SAFETY: reads the 16 bytes of the array; loadu needs no alignment.
        unsafe { _mm_loadu_si128(b.as_ptr().cast()) }
    }
    #[inline(always)]
    pub fn nibbles(v: V) -> (V, V) {
        unsafe {
            let fifteen = _mm_set1_epi8(15);
            (
                _mm_and_si128(v, fifteen),
                _mm_and_si128(_mm_srli_epi16(v, 4), fifteen),
            )
        }
    }
    /// `table[k]` for each lane `k` (< 16).
    #[inline(always)]
    pub fn lookup(table: &[u8; 16], k: V) -> V {
        unsafe { _mm_shuffle_epi8(load(table), k) }
    }
    #[inline(always)]
    pub fn and(a: V, b: V) -> V {
        unsafe { _mm_and_si128(a, b) }
    }
    #[inline(always)]
    pub fn nonzero_mask(a: V) -> u16 {
        unsafe { !(_mm_movemask_epi8(_mm_cmpeq_epi8(a, _mm_setzero_si128())) as u16) }
    }
}

#[cfg(not(any(
    all(target_arch = "wasm32", target_feature = "simd128"),
    all(target_arch = "x86_64", target_feature = "ssse3")
)))]
use portable as imp;

/// The same operations on plain arrays (other targets, and the reference in tests).
#[cfg_attr(
    any(
        all(target_arch = "wasm32", target_feature = "simd128"),
        all(target_arch = "x86_64", target_feature = "ssse3")
    ),
    allow(dead_code)
)]
mod portable {
    pub type V = [u8; 16];

    pub fn load(b: &[u8; 16]) -> V {
        *b
    }
    pub fn nibbles(v: V) -> (V, V) {
        (v.map(|x| x & 15), v.map(|x| x >> 4))
    }
    pub fn lookup(table: &[u8; 16], k: V) -> V {
        k.map(|x| table[usize::from(x & 15)])
    }
    pub fn and(a: V, b: V) -> V {
        std::array::from_fn(|k| a[k] & b[k])
    }
    pub fn nonzero_mask(a: V) -> u16 {
        a.iter()
            .enumerate()
            .fold(0, |m, (k, &x)| m | (u16::from(x != 0) << k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value in every position, against the scalar test and the portable code.
    #[test]
    fn byte_sets_classify_exactly() {
        let sets = [
            ByteSet::new(b".:@\\/-"),
            ByteSet::new(b"[](){}<>"),
            ByteSet::new(b" \t\n"),
            ByteSet::new(b"0123456789abcdefABCDEF"),
            ByteSet::new(&(0..0x80).collect::<Vec<u8>>()),
            ByteSet::new(b""),
        ];
        let all: Vec<u8> = (0..=255).chain(0..=255).collect();
        for set in &sets {
            for i in 0..=all.len() - WIDTH {
                let want =
                    (0..WIDTH).fold(0u16, |m, k| m | (u16::from(set.contains(all[i + k])) << k));
                assert_eq!(Chunk::at(&all, i).unwrap().of(set).mask(), want);
                let bytes: &[u8; 16] = all[i..i + 16].try_into().unwrap();
                let (low, high) = portable::nibbles(portable::load(bytes));
                let high = portable::lookup(&HIGH_BITS, high);
                let got =
                    portable::nonzero_mask(portable::and(portable::lookup(&set.0, low), high));
                assert_eq!(got, want);
            }
        }
        assert!(ByteSet::new(b"az").contains(b'a') && !ByteSet::new(b"az").contains(b'b'));
        assert!(!sets[4].contains(0x80) && sets[4].contains(0x7f));
        assert!(Chunk::at(&all, all.len() - 15).is_none());
        assert!(Chunk::at(&all, usize::MAX).is_none());
    }

    #[test]
    fn stops_visit_the_flagged_positions_in_order() {
        let b = vec![0u8; 40];
        let mut s = Stops::new();
        // Flags positions divisible by 5, whatever chunk they are in.
        let classify = |_: &[u8], i: usize| {
            (0..16).fold(0u16, |m, k| m | (u16::from((i + k).is_multiple_of(5)) << k))
        };
        let mut seen = Vec::new();
        let mut i = 0;
        while let Some(p) = s.next(&b, i, classify) {
            seen.push(p);
            i = p + 1 + usize::from(p == 10) * 7;
        }
        assert_eq!(seen, [0, 5, 10, 20, 25, 30, 35]);
    }
}
