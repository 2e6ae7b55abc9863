//! Hash maps for the hot paths: foldhash's fast hasher with a fixed seed, so output never
//! depends on a random state (and wasm needs no entropy). FxHash, used before, hashes tuples
//! linearly in their fields; on replicated keys (host k, PID base + k) that clustered the
//! tables and made 1M-row process trees twice as slow.

/// A `HashMap` with the fixed-seed fast hasher.
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
/// A `HashSet` with the fixed-seed fast hasher.
pub type HashSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;
