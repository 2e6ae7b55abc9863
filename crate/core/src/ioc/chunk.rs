//! Sixteen bytes classified at once, for the byte loops that skip text with nothing to look at
//! (refanging, the recognisers): wasm `simd128`, x86-64 SSSE3, or a portable fallback elsewhere.
//!
//! A [`ByteSet`] is any set of ASCII bytes, tested with two 16-entry table lookups (the
//! "nibble" method of simdjson and Hyperscan's Teddy): the high nibble of a byte picks one bit
//! (ASCII has eight high nibbles), and the set's table, indexed by the low nibble, holds the bits
//! of the high nibbles that make a member with it. Bytes from 0x80 up are in no set.

/// Bytes per chunk.
pub(super) const WIDTH: usize = 16;

/// A set of ASCII bytes (see the module docs). Aligned for a vector load.
#[derive(Clone, Copy)]
#[repr(align(16))]
pub(super) struct ByteSet([u8; 16]);

/// Sixteen bytes aligned for a vector load.
#[repr(align(16))]
struct Aligned([u8; 16]);

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
    pub const fn contains(&self, c: u8) -> bool {
        c < 0x80 && self.0[(c & 15) as usize] & (1 << (c >> 4)) != 0
    }
}

/// For each high nibble, its bit (none for 8–15: non-ASCII bytes).
static HIGH_BITS: Aligned = Aligned([1, 2, 4, 8, 16, 32, 64, 128, 0, 0, 0, 0, 0, 0, 0, 0]);

/// Sixteen bytes of a text.
#[derive(Clone, Copy)]
pub(super) struct Chunk(imp::V);

/// A [`Chunk`] split into low nibbles and high-nibble bits, for [`ByteSet`] tests.
#[derive(Clone, Copy)]
pub(super) struct Nibbles {
    low: imp::V,
    high: imp::V,
}

/// One flag (all ones or zero) per byte of a [`Chunk`].
#[derive(Clone, Copy)]
pub(super) struct Lanes(imp::V);

impl Chunk {
    /// `b[i..i + 16]`, or `None` when that runs past the end.
    #[inline(always)]
    pub fn at(b: &[u8], i: usize) -> Option<Chunk> {
        let bytes: &[u8; WIDTH] = b.get(i..i.checked_add(WIDTH)?)?.try_into().ok()?;
        Some(Chunk(imp::load(bytes)))
    }

    /// The bytes equal to `c`.
    #[inline(always)]
    pub fn eq(self, c: u8) -> Lanes {
        Lanes(imp::eq(self.0, imp::splat(c)))
    }

    /// The bytes in `lo..=hi`.
    #[inline(always)]
    pub fn in_range(self, lo: u8, hi: u8) -> Lanes {
        let shifted = imp::sub(self.0, imp::splat(lo));
        Lanes(imp::le(shifted, imp::splat(hi.wrapping_sub(lo))))
    }

    /// The bytes with bit 5 set: ASCII letters in lower case (compare the result with
    /// lower-case letters only, as other bytes change too).
    #[inline(always)]
    pub fn fold_case(self) -> Chunk {
        Chunk(imp::or(self.0, imp::splat(0x20)))
    }

    /// The chunk ready for [`ByteSet`] tests.
    #[inline(always)]
    pub fn nibbles(self) -> Nibbles {
        let (low, high) = imp::nibbles(self.0);
        Nibbles {
            low,
            high: imp::lookup(&HIGH_BITS.0, high),
        }
    }
}

impl Nibbles {
    /// The bytes in `set`, as a mask (bit `k` for byte `k`).
    #[inline(always)]
    pub fn of(self, set: &ByteSet) -> u16 {
        // The lanes that are not members are zero: one comparison, inverted as a mask.
        let outside = imp::eq(
            imp::and(imp::lookup(&set.0, self.low), self.high),
            imp::splat(0),
        );
        !imp::mask(outside)
    }
}

impl Lanes {
    /// Bit `k` set when byte `k` is flagged.
    #[inline(always)]
    pub fn mask(self) -> u16 {
        imp::mask(self.0)
    }
}

impl std::ops::BitOr for Lanes {
    type Output = Lanes;
    #[inline(always)]
    fn bitor(self, rhs: Lanes) -> Lanes {
        Lanes(imp::or(self.0, rhs.0))
    }
}

impl std::ops::BitAnd for Lanes {
    type Output = Lanes;
    #[inline(always)]
    fn bitand(self, rhs: Lanes) -> Lanes {
        Lanes(imp::and(self.0, rhs.0))
    }
}

/// The flags of the bytes `k` (1 or 2) places further on, for a chunk whose flags are `mask`:
/// bit `j` is the flag of byte `j + k`; `next` holds the flags of the two bytes after the chunk
/// (bit 0: byte 16, bit 1: byte 17).
#[inline(always)]
pub(super) fn ahead(mask: u16, k: u32, next: u16) -> u16 {
    (mask >> k) | (next << (WIDTH as u32 - k))
}

/// The flags of bytes 16 and 17 (see [`ahead`]) by `f`.
#[inline(always)]
pub(super) fn pair(bytes: [u8; 2], f: impl Fn(u8) -> bool) -> u16 {
    u16::from(f(bytes[0])) | (u16::from(f(bytes[1])) << 1)
}

/// The flags of the bytes one place back, for a chunk whose flags are `mask`: bit 0 is
/// `before`, the flag of the byte before the chunk.
#[inline(always)]
pub(super) fn behind(mask: u16, before: bool) -> u16 {
    (mask << 1) | u16::from(before)
}

/// Whether every byte of `b` is ASCII, 64 then 16 at a time (the top bit of each byte is what
/// [`Lanes::mask`] reads).
pub(super) fn is_ascii(b: &[u8]) -> bool {
    let mut i = 0;
    while let (Some(c0), Some(c1), Some(c2), Some(c3)) = (
        Chunk::at(b, i),
        Chunk::at(b, i + WIDTH),
        Chunk::at(b, i + 2 * WIDTH),
        Chunk::at(b, i + 3 * WIDTH),
    ) {
        let any = imp::or(imp::or(c0.0, c1.0), imp::or(c2.0, c3.0));
        if Lanes(any).mask() != 0 {
            return false;
        }
        i += 4 * WIDTH;
    }
    while let Some(c) = Chunk::at(b, i) {
        if Lanes(c.0).mask() != 0 {
            return false;
        }
        i += WIDTH;
    }
    b[i.min(b.len())..].is_ascii()
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

    // Constant vectors are read from memory, not written as `v128.const`: V8 builds a constant
    // from immediates in three or more instructions each time it is used (in the byte loops,
    // every chunk), where a load is one instruction. (This made the IoC scan ~8% faster.)

    #[inline(always)]
    pub fn load(b: &[u8; 16]) -> V {
        // SAFETY: reads the 16 bytes of the array; v128.load needs no alignment.
        unsafe { v128_load(b.as_ptr().cast()) }
    }
    /// `table` (16-byte aligned: [`super::ByteSet`], [`super::Aligned`]) as a vector, loaded
    /// from memory (see above).
    #[inline(always)]
    fn constant(table: &[u8; 16]) -> V {
        debug_assert!(table.as_ptr().align_offset(16) == 0, "unaligned table");
        // SAFETY: reads the 16 bytes of the array, which the callers align to 16 bytes; a
        // volatile read is not folded into a constant.
        unsafe { core::ptr::read_volatile(table.as_ptr().cast::<V>()) }
    }
    #[inline(always)]
    pub fn nibbles(v: V) -> (V, V) {
        let fifteen = splat(15);
        (v128_and(v, fifteen), v128_and(u16x8_shr(v, 4), fifteen))
    }
    /// `table[k]` for each lane `k` (< 16).
    #[inline(always)]
    pub fn lookup(table: &[u8; 16], k: V) -> V {
        i8x16_swizzle(constant(table), k)
    }
    #[inline(always)]
    pub fn and(a: V, b: V) -> V {
        v128_and(a, b)
    }
    /// `c` in every lane (zero is one instruction for V8: it stays a constant).
    #[inline(always)]
    pub fn splat(c: u8) -> V {
        static SPLATS: [super::Aligned; 256] = {
            let mut t = [const { super::Aligned([0; 16]) }; 256];
            let mut c = 0;
            while c < 256 {
                t[c] = super::Aligned([c as u8; 16]);
                c += 1;
            }
            t
        };
        if c == 0 {
            u8x16_splat(0)
        } else {
            constant(&SPLATS[c as usize].0)
        }
    }
    #[inline(always)]
    pub fn eq(a: V, b: V) -> V {
        i8x16_eq(a, b)
    }
    #[inline(always)]
    pub fn le(a: V, b: V) -> V {
        u8x16_le(a, b)
    }
    #[inline(always)]
    pub fn sub(a: V, b: V) -> V {
        i8x16_sub(a, b)
    }
    #[inline(always)]
    pub fn or(a: V, b: V) -> V {
        v128_or(a, b)
    }
    #[inline(always)]
    pub fn mask(a: V) -> u16 {
        i8x16_bitmask(a)
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
    pub fn splat(c: u8) -> V {
        unsafe { _mm_set1_epi8(c as i8) }
    }
    #[inline(always)]
    pub fn eq(a: V, b: V) -> V {
        unsafe { _mm_cmpeq_epi8(a, b) }
    }
    /// Unsigned `a <= b`: `min(a, b) == a`.
    #[inline(always)]
    pub fn le(a: V, b: V) -> V {
        unsafe { _mm_cmpeq_epi8(_mm_min_epu8(a, b), a) }
    }
    #[inline(always)]
    pub fn sub(a: V, b: V) -> V {
        unsafe { _mm_sub_epi8(a, b) }
    }
    #[inline(always)]
    pub fn or(a: V, b: V) -> V {
        unsafe { _mm_or_si128(a, b) }
    }
    #[inline(always)]
    pub fn mask(a: V) -> u16 {
        unsafe { _mm_movemask_epi8(a) as u16 }
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
        map2(a, b, |x, y| x & y)
    }
    fn map2(a: V, b: V, f: impl Fn(u8, u8) -> u8) -> V {
        std::array::from_fn(|k| f(a[k], b[k]))
    }
    pub fn splat(c: u8) -> V {
        [c; 16]
    }
    pub fn eq(a: V, b: V) -> V {
        map2(a, b, |x, y| if x == y { 0xff } else { 0 })
    }
    pub fn le(a: V, b: V) -> V {
        map2(a, b, |x, y| if x <= y { 0xff } else { 0 })
    }
    pub fn sub(a: V, b: V) -> V {
        map2(a, b, u8::wrapping_sub)
    }
    pub fn or(a: V, b: V) -> V {
        map2(a, b, |x, y| x | y)
    }
    pub fn mask(a: V) -> u16 {
        a.iter()
            .enumerate()
            .fold(0, |m, (k, &x)| m | (u16::from(x >> 7) << k))
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
                assert_eq!(Chunk::at(&all, i).unwrap().nibbles().of(set), want);
                let bytes: &[u8; 16] = all[i..i + 16].try_into().unwrap();
                let (low, high) = portable::nibbles(portable::load(bytes));
                let high = portable::lookup(&HIGH_BITS.0, high);
                let got = portable::and(portable::lookup(&set.0, low), high);
                let outside = portable::eq(got, portable::splat(0));
                assert_eq!(!portable::mask(outside), want);
            }
        }
        // Comparisons, against their definitions (and the portable code).
        for i in 0..=all.len() - WIDTH {
            let c = Chunk::at(&all, i).unwrap();
            let want = |f: &dyn Fn(u8) -> bool| {
                (0..WIDTH).fold(0u16, |m, k| m | (u16::from(f(all[i + k])) << k))
            };
            assert_eq!(c.eq(b'.').mask(), want(&|x| x == b'.'));
            assert_eq!(c.in_range(b'0', b'9').mask(), want(&|x| x.is_ascii_digit()));
            assert_eq!(c.in_range(200, 255).mask(), want(&|x| x >= 200));
            assert_eq!(
                (c.fold_case().eq(b'a') & c.in_range(0, b'Z')).mask(),
                want(&|x| x == b'A')
            );
            assert_eq!(
                (c.eq(b'x') | c.eq(b'y')).mask(),
                want(&|x| x == b'x' || x == b'y')
            );
            let bytes: &[u8; 16] = all[i..i + 16].try_into().unwrap();
            let v = portable::load(bytes);
            let p = portable::or(
                portable::eq(v, portable::splat(b'x')),
                portable::le(portable::sub(v, portable::splat(b'0')), portable::splat(9)),
            );
            assert_eq!(
                portable::mask(p),
                want(&|x| x == b'x' || x.is_ascii_digit())
            );
        }
        // Neighbours' flags.
        let text = b"0123456789abcdefXY";
        let digits = Chunk::at(text, 1).unwrap().in_range(b'0', b'9').mask();
        assert_eq!(digits, 0x1ff);
        let y = pair([b'X', b'Y'], |c| c == b'Y');
        assert_eq!(y, 2);
        assert_eq!(ahead(digits, 1, y), 0xff);
        assert_eq!(ahead(digits, 2, y), 0x807f);
        assert_eq!(ahead(0, 1, pair([b'Y', b'X'], |c| c == b'Y')), 0x8000);
        assert_eq!(behind(digits, true), 0x3ff);
        assert_eq!(behind(0x8001, false), 2);
        assert!(ByteSet::new(b"az").contains(b'a') && !ByteSet::new(b"az").contains(b'b'));
        assert!(!sets[4].contains(0x80) && sets[4].contains(0x7f));
        assert!(Chunk::at(&all, all.len() - 15).is_none());
        assert!(Chunk::at(&all, usize::MAX).is_none());
    }

    #[test]
    fn ascii_is_checked_to_the_last_byte() {
        let mut text = vec![b'a'; 200];
        for n in 0..200 {
            assert!(is_ascii(&text[..n]));
        }
        for k in 0..200 {
            text[k] = 0x80 | (k as u8);
            assert!(!is_ascii(&text), "{k}");
            assert!(is_ascii(&text[..k]), "{k}");
            text[k] = b'a';
        }
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
