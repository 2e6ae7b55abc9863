//! Memory: what a call may use, checked before it starts.
//!
//! wasm32 addresses 4 GiB; an allocation past that aborts the module (an opaque trap in JS,
//! after which the instance is unusable). So every entry point that works on an input of
//! unbounded size first estimates its working set from the input's size ([`Need`]) and fails
//! with a `too-large` [`Error`] saying how much fits, before it allocates. Calls whose result
//! size depends on the data (matches in a text, rows of JS objects) also check as they grow
//! ([`ensure_room`]).
//!
//! The figures come from a counting allocator ([`Counting`]), which the wasm build installs; a
//! host may also lower the limit ([`set_limit`]), e.g. on a phone. Natively nothing is counted
//! unless a program installs [`Counting`] itself, and the limit is the address space.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

use crate::error::{Error, ErrorKind, Result};

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// The limit a host set (0: none).
static LIMIT: AtomicU64 = AtomicU64::new(0);

/// What a 32-bit address space holds; natively, no limit.
pub const ADDRESS_SPACE: u64 = if cfg!(target_pointer_width = "32") {
    1 << 32
} else {
    u64::MAX
};

/// A global allocator that counts the bytes live (and their peak) for [`in_use`] and
/// [`peak`], around the system allocator that does the work:
/// `#[global_allocator] static A: Counting = Counting;`.
#[derive(Debug)]
pub struct Counting;

fn grew(bytes: usize) {
    let now = IN_USE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(now, Relaxed);
}

fn shrank(bytes: usize) {
    IN_USE.fetch_sub(bytes, Relaxed);
}

// The system allocator's entry points are kept out of line: inlined into each method they
// would add kilobytes of wasm.
#[inline(never)]
unsafe fn system_alloc(layout: Layout, zeroed: bool) -> *mut u8 {
    // SAFETY: the caller's contract, passed on.
    unsafe {
        if zeroed {
            System.alloc_zeroed(layout)
        } else {
            System.alloc(layout)
        }
    }
}

#[inline(never)]
unsafe fn system_dealloc(ptr: *mut u8, layout: Layout) {
    // SAFETY: the caller's contract, passed on.
    unsafe { System.dealloc(ptr, layout) }
}

#[inline(never)]
unsafe fn system_realloc(ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
    // SAFETY: the caller's contract, passed on.
    unsafe { System.realloc(ptr, layout, new_size) }
}

// SAFETY: every call is passed on to the system allocator unchanged; only the counters are
// added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { system_alloc(layout, false) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { system_alloc(layout, true) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { system_dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { system_realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        p
    }
}

/// Bytes allocated and not yet freed (0 without [`Counting`]).
pub fn in_use() -> u64 {
    IN_USE.load(Relaxed) as u64
}

/// The most bytes in use at once since [`reset_peak`].
pub fn peak() -> u64 {
    PEAK.load(Relaxed) as u64
}

/// Starts measuring a new peak from what is in use now.
pub fn reset_peak() {
    PEAK.store(IN_USE.load(Relaxed), Relaxed);
}

/// The most memory huntkit may use: the host's limit if it set one ([`set_limit`]), else the
/// address space (4 GiB in wasm32).
pub fn limit() -> u64 {
    match LIMIT.load(Relaxed) {
        0 => ADDRESS_SPACE,
        #[cfg(target_pointer_width = "32")]
        set => set.min(ADDRESS_SPACE),
        #[cfg(not(target_pointer_width = "32"))]
        set => set,
    }
}

/// Whether `limit` is the address space's rather than one a host set.
pub fn is_address_space(limit: u64) -> bool {
    limit == ADDRESS_SPACE
}

/// Sets the most memory huntkit may use (`None`: the address space).
pub fn set_limit(bytes: Option<u64>) {
    LIMIT.store(bytes.unwrap_or(0), Relaxed);
}

/// Kept free beyond the estimates: the allocator's own bookkeeping and fragmentation, the
/// stack and static data (a thirty-second of the limit: 128 MiB of 4 GiB).
fn reserve() -> u64 {
    limit() / 32
}

/// Bytes a call may still allocate.
pub fn available() -> u64 {
    limit().saturating_sub(in_use()).saturating_sub(reserve())
}

/// The largest single block that surely can still be allocated: what the wasm memory can
/// still grow by (a freed block inside it may be too small for a large one: memory never
/// shrinks, and its free space can be in pieces). Natively, [`available`].
pub fn contiguous() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        let grown = core::arch::wasm32::memory_size(0) as u64 * 65536;
        available()
            .min(
                ADDRESS_SPACE
                    .saturating_sub(grown)
                    .saturating_sub(ADDRESS_SPACE / 32),
            )
            .max(available().min(grown.saturating_sub(in_use()) / 2))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        available()
    }
}

/// What a call needs: `fixed` bytes plus `per_unit` bytes for each of `units` (rows, bytes of
/// text), estimated from its input before it allocates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Need {
    /// The call, as callers know it (`matrix`, `buildProcessTree`).
    pub what: &'static str,
    /// What `units` counts (`rows`, `bytes of text`).
    pub unit: &'static str,
    /// How many.
    pub units: u64,
    /// Bytes needed whatever the size.
    pub fixed: u64,
    /// Bytes needed per unit.
    pub per_unit: f64,
}

impl Need {
    /// `per_unit` bytes for each of `units` `unit`.
    pub fn new(what: &'static str, unit: &'static str, units: u64, per_unit: f64) -> Need {
        Need {
            what,
            unit,
            units,
            fixed: 0,
            per_unit,
        }
    }

    /// Adds `bytes` needed whatever the size.
    pub fn plus(mut self, bytes: u64) -> Need {
        self.fixed = self.fixed.saturating_add(bytes);
        self
    }

    /// The estimate, in bytes.
    pub fn bytes(&self) -> u64 {
        self.fixed
            .saturating_add((self.per_unit * self.units as f64).ceil() as u64)
    }

    /// How many units fit in `available` bytes.
    fn fitting(&self, available: u64) -> u64 {
        if self.per_unit <= 0.0 {
            return self.units;
        }
        (available.saturating_sub(self.fixed) as f64 / self.per_unit) as u64
    }

    /// `Ok` when the estimate fits in what is [`available`], else a `too-large` error saying
    /// how much would fit.
    pub fn check(&self) -> Result<()> {
        self.check_in(available())
    }

    /// [`Need::check`] for an estimate that is one block ([`contiguous`]).
    pub fn check_block(&self) -> Result<()> {
        self.check_in(contiguous())
    }

    fn check_in(&self, available: u64) -> Result<()> {
        let needed = self.bytes();
        if needed <= available {
            return Ok(());
        }
        Err(ErrorKind::TooLarge {
            what: self.what.to_owned(),
            unit: self.unit,
            units: self.units,
            needed,
            available,
            limit: limit(),
            fits: self.fitting(available),
        }
        .into())
    }
}

/// For calls whose memory grows with the data (rows of JS objects, say): `Ok` while `more`
/// bytes still fit beside what is in use, the largest of them in one `block` (a doubling
/// buffer's next size: see [`contiguous`]), else a `too-large` error. `done` of `of` `unit` were
/// handled so far, with `spent` bytes; what would fit is scaled from that.
pub fn ensure_room(
    what: &'static str,
    unit: &'static str,
    (done, of): (u64, u64),
    spent: u64,
    (more, block): (u64, u64),
) -> Result<()> {
    let available = available();
    if more <= available && block <= contiguous() {
        return Ok(());
    }
    let room = spent.saturating_add(available);
    let needed = spent.saturating_add(more);
    let fits = (done as f64 * room as f64 / needed.max(1) as f64) as u64;
    Err(ErrorKind::TooLarge {
        what: what.to_owned(),
        unit,
        units: of.max(done),
        needed,
        available: room,
        limit: limit(),
        fits: fits.min(done),
    }
    .into())
}

/// `bytes` for people: `812 KiB`, `3.5 GiB` (integer arithmetic: float formatting with a
/// precision would add kilobytes of wasm).
pub fn human(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut unit = 0;
    let mut scale: u64 = 1024;
    while unit + 1 < UNITS.len() && bytes / scale >= 1024 {
        scale *= 1024;
        unit += 1;
    }
    let tenths = bytes.saturating_add(scale / 20) / (scale / 10);
    if tenths >= 1000 {
        format!("{} {}", (tenths + 5) / 10, UNITS[unit])
    } else {
        format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
    }
}

/// `n` with thousands separators: `36,000,000`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Error {
    /// A `too-large` error said of `what` instead (a column being read, say).
    pub(crate) fn too_large_in(mut self, what: impl FnOnce() -> String) -> Error {
        if let ErrorKind::TooLarge { what: w, .. } = self.kind_mut() {
            *w = what();
        }
        self
    }

    /// Bytes a `too-large` error said the call needed and had (`None` for other errors).
    pub fn memory_figures(&self) -> Option<(u64, u64)> {
        match self.kind() {
            ErrorKind::TooLarge {
                needed, available, ..
            } => Some((*needed, *available)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_and_what_fits() {
        let need = Need::new("matrix", "rows", 1_000, 40.0).plus(100);
        assert_eq!(need.bytes(), 40_100);
        assert_eq!(need.fitting(4_100), 100);
        assert_eq!(need.fitting(50), 0);
        assert_eq!(Need::new("x", "rows", 7, 0.0).fitting(0), 7);
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human(812), "812 bytes");
        assert_eq!(human(3 << 29), "1.5 GiB");
        assert_eq!(human(150 << 20), "150 MiB");
        assert_eq!(human(1 << 32), "4.0 GiB");
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(36_000_000), "36,000,000");
        assert_eq!(grouped(1_234), "1,234");
    }
}
