//! Long loops split into calls, for the browser's wasm tiers.
//!
//! V8 first runs wasm as baseline (Liftoff) code and swaps in optimised (TurboFan) code only at
//! the next call of a function: there is no on-stack replacement. A loop over ten million rows
//! in one call therefore runs in baseline code to its end, two to three times slower (measured:
//! 280 ms for a first 1M-event timeline, 110 ms once warm). [`in_chunks`] runs the loop body
//! as a function of its own, a call per chunk, so the later chunks run optimised code. Natively
//! it costs a call per 16,384 rows.

use std::ops::Range;

/// Rows per call.
const CHUNK: usize = 1 << 14;

/// Calls `f` on `0..n` in consecutive chunks, each a call of its own.
pub(crate) fn in_chunks<F: FnMut(Range<usize>)>(n: usize, mut f: F) {
    #[inline(never)]
    fn call<F: FnMut(Range<usize>)>(f: &mut F, range: Range<usize>) {
        f(range);
    }
    let mut start = 0;
    while start < n {
        let end = (start + CHUNK).min(n);
        call(&mut f, start..end);
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_the_range_in_order() {
        let mut seen = Vec::new();
        in_chunks(CHUNK * 2 + 5, |r| seen.push(r));
        assert_eq!(seen, [0..CHUNK, CHUNK..2 * CHUNK, 2 * CHUNK..2 * CHUNK + 5]);
        in_chunks(0, |_| panic!("no rows, no call"));
    }
}
