//! The keys each options object takes, by the name of its interface in the `.d.ts` files: what the
//! bindings check options against, and what `optionKeys()` reports, so a test can compare the
//! TypeScript declarations with what the wasm accepts (the two cannot drift apart).

use huntkit::azure::ClientConfig;
use huntkit::ioc::{ExtractOptions, IocExtractor};
use huntkit::matrix::MatrixOptions;
use huntkit::proctree::{BuildOptions, schema::FIELDS};
use huntkit::render::{MatrixStyle, TreeStyle};
use huntkit::timeline::{NamedSeries, TimelineOptions};

/// Key lists, as [`huntkit::options::Options::new`] takes them.
pub type Keys = &'static [&'static [&'static str]];

pub const MATRIX: Keys = &[MatrixOptions::KEYS];
pub const PLOT_MATRIX: Keys = &[MatrixOptions::KEYS, MatrixStyle::KEYS];
pub const PROCESS_TREE: Keys = &[BuildOptions::KEYS];
pub const PLOT_PROCESS_TREE: Keys = &[BuildOptions::KEYS, TreeStyle::KEYS];
pub const TIMELINE: Keys = &[TimelineOptions::KEYS];
pub const NAMED_SERIES: Keys = &[NamedSeries::KEYS];
pub const EXTRACT: Keys = &[ExtractOptions::KEYS];
pub const EXTRACT_TABLE: Keys = &[ExtractOptions::TABLE_KEYS, ExtractOptions::KEYS];
pub const IOC_TYPE: Keys = &[IocExtractor::TYPE_KEYS];
pub const CLIENT: Keys = &[ClientConfig::KEYS];
pub const LOG_ANALYTICS: Keys = &[ClientConfig::LOG_ANALYTICS_KEYS, ClientConfig::CALL_KEYS];
pub const RESOURCE_GRAPH: Keys = &[ClientConfig::RESOURCE_GRAPH_KEYS, ClientConfig::CALL_KEYS];
pub const SENTINEL: Keys = &[ClientConfig::SENTINEL_KEYS, ClientConfig::CALL_KEYS];
pub const HUNTING: Keys = &[ClientConfig::HUNTING_KEYS, ClientConfig::CALL_KEYS];
pub const KEY_VAULT: Keys = &[ClientConfig::KEY_VAULT_KEYS, ClientConfig::CALL_KEYS];

/// Every options interface of the `.d.ts` files with the keys the wasm takes for it.
pub const INTERFACES: &[(&str, Keys)] = &[
    ("MatrixOptions", MATRIX),
    ("PlotMatrixOptions", PLOT_MATRIX),
    ("ProcessTreeOptions", PROCESS_TREE),
    ("PlotProcessTreeOptions", PLOT_PROCESS_TREE),
    ("ProcessSchemaMapping", &[&FIELDS]),
    ("TimelineOptions", TIMELINE),
    ("PlotTimelineOptions", TIMELINE),
    ("NamedTimelineSeries", NAMED_SERIES),
    ("ExtractIocsOptions", EXTRACT),
    ("ExtractIocsFromTableOptions", EXTRACT_TABLE),
    ("IocTypeOptions", IOC_TYPE),
    ("AzureClientOptions", CLIENT),
    ("SentinelWorkspace", &[ClientConfig::WORKSPACE_KEYS]),
    ("AzureCallOptions", &[ClientConfig::CALL_KEYS]),
    ("LogAnalyticsQueryOptions", LOG_ANALYTICS),
    ("ResourceGraphQueryOptions", RESOURCE_GRAPH),
    ("SentinelIncidentsOptions", SENTINEL),
    ("HuntingQueryOptions", HUNTING),
    ("KeyVaultSecretOptions", KEY_VAULT),
];
