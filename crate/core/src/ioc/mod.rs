//! IoC extraction: MSTICPy's `IoCExtract` types and API, refanging, match offsets and decoding.
//!
//! ```
//! use huntkit::ioc::{ExtractOptions, IocExtractor, IocType};
//!
//! let text = "beacon to hxxps://evil[.]example[.]com/a from 10.1.2.3";
//! let found = IocExtractor::new().extract(text, &ExtractOptions::default());
//! let url = found.iter().find(|m| m.kind == IocType::Url.into()).unwrap();
//! assert_eq!(url.value, "https://evil.example.com/a");
//! assert_eq!(&text[url.start..url.end], "hxxps://evil[.]example[.]com/a");
//! assert!(url.defanged);
//! ```
//!
//! How it differs from MSTICPy (each on purpose; see the README): values come back
//! refanged, IPv4 octets are checked (0–255) and IPv6 is parsed, domains need a registrable
//! public suffix, overlapping matches are resolved by span (no `2Fevil.example.org` or
//! `//user@host` artefacts), URLs lose trailing quotes and brackets, and custom types belong to
//! one extractor instead of every instance in the process.

mod chunk;
mod decode;
mod packed;
mod psl;
mod psl_rules;
mod punycode;
mod refang;
mod scan;
mod table;

pub use decode::Decoding;
pub use packed::{DEFANGED, Packed, REWRITTEN};
pub use psl::SuffixList;
pub use refang::{Refanged, defang, refang, refang_text};
pub use table::{OffsetUnit, Offsets, to_utf16};

use crate::options::{Opt, Options};
use crate::{Error, Result};

/// [`defang`] with the type named (`None`: guessed from the value); an unknown name is an
/// `invalid-option` error for `type`.
pub fn defang_named(value: &str, type_name: Option<&str>) -> Result<String> {
    let kind = match type_name {
        None => None,
        Some(name) => Some(IocType::parse(name).ok_or_else(|| {
            let known = IocType::ALL.iter().map(|t| t.name());
            let hint = crate::did_you_mean(name, known, String::new);
            Error::invalid_option("type", format!("unknown IoC type `{name}`{hint}"))
        })?),
    };
    Ok(defang(value, kind))
}

/// A built-in indicator type. Names are MSTICPy's (`md5_hash`, `dns`, …) plus the new ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IocType {
    /// Dotted-quad IPv4 address, octets 0–255.
    Ipv4,
    /// IPv6 address (full grammar, embedded IPv4 included).
    Ipv6,
    /// IPv4 network in CIDR notation (`10.0.0.0/8`); its address is also reported as `ipv4`.
    Ipv4Cidr,
    /// IPv6 network in CIDR notation.
    Ipv6Cidr,
    /// Domain name with a registrable public suffix.
    Dns,
    /// URL with a known scheme.
    Url,
    /// Email address (its domain is also reported as `dns`).
    Email,
    /// 32 hex digits.
    Md5,
    /// 40 hex digits.
    Sha1,
    /// 64 hex digits.
    Sha256,
    /// 128 hex digits.
    Sha512,
    /// Windows path with a root (`C:\`, `\\server\share`, `.\`, `%VAR%\`).
    WindowsPath,
    /// Linux path (`/a/b`, `./a`, `../a`, `~/a`).
    LinuxPath,
    /// Windows registry key under a hive (`HKLM\…`, `HKEY_CURRENT_USER\…`).
    RegistryKey,
    /// MAC address (`00:1a:2b:3c:4d:5e` or with dashes).
    MacAddress,
    /// CVE identifier (`CVE-2021-44228`), upper-cased.
    Cve,
    /// MITRE ATT&CK technique or sub-technique id (`T1059`, `T1059.001`).
    AttackTechnique,
}

impl IocType {
    /// Every built-in type, in reporting order (the order of declaration: see
    /// [`IocType::index`]).
    pub const ALL: [IocType; 17] = [
        IocType::Ipv4,
        IocType::Ipv6,
        IocType::Ipv4Cidr,
        IocType::Ipv6Cidr,
        IocType::Dns,
        IocType::Url,
        IocType::Email,
        IocType::Md5,
        IocType::Sha1,
        IocType::Sha256,
        IocType::Sha512,
        IocType::WindowsPath,
        IocType::LinuxPath,
        IocType::RegistryKey,
        IocType::MacAddress,
        IocType::Cve,
        IocType::AttackTechnique,
    ];

    /// The type's place in [`IocType::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The type's name (MSTICPy's where MSTICPy has the type).
    pub fn name(self) -> &'static str {
        match self {
            IocType::Ipv4 => "ipv4",
            IocType::Ipv6 => "ipv6",
            IocType::Ipv4Cidr => "ipv4_cidr",
            IocType::Ipv6Cidr => "ipv6_cidr",
            IocType::Dns => "dns",
            IocType::Url => "url",
            IocType::Email => "email",
            IocType::Md5 => "md5_hash",
            IocType::Sha1 => "sha1_hash",
            IocType::Sha256 => "sha256_hash",
            IocType::Sha512 => "sha512_hash",
            IocType::WindowsPath => "windows_path",
            IocType::LinuxPath => "linux_path",
            IocType::RegistryKey => "registry_key",
            IocType::MacAddress => "mac_address",
            IocType::Cve => "cve",
            IocType::AttackTechnique => "attack_technique",
        }
    }

    /// The type named `name` (case-insensitive); also accepts `md5`, `sha1`, `sha256`,
    /// `sha512`, `domain`, `hostname`, `mac` and `registry`.
    pub fn parse(name: &str) -> Option<IocType> {
        let lower = name.to_ascii_lowercase();
        let alias = match lower.as_str() {
            "md5" => Some(IocType::Md5),
            "sha1" => Some(IocType::Sha1),
            "sha256" => Some(IocType::Sha256),
            "sha512" => Some(IocType::Sha512),
            "domain" | "hostname" => Some(IocType::Dns),
            "mac" => Some(IocType::MacAddress),
            "registry" => Some(IocType::RegistryKey),
            _ => None,
        };
        alias.or_else(|| IocType::ALL.into_iter().find(|t| t.name() == lower))
    }

    /// Conflict priority, 0 = highest (MSTICPy's numbers for its types).
    pub fn priority(self) -> u8 {
        match self {
            IocType::Ipv4
            | IocType::Ipv6
            | IocType::Ipv4Cidr
            | IocType::Ipv6Cidr
            | IocType::Url => 0,
            IocType::Email
            | IocType::Md5
            | IocType::Sha1
            | IocType::Sha256
            | IocType::Sha512
            | IocType::MacAddress
            | IocType::Cve
            | IocType::AttackTechnique => 1,
            IocType::Dns | IocType::RegistryKey => 2,
            IocType::WindowsPath => 3,
            IocType::LinuxPath => 4,
        }
    }

    fn is_path(self) -> bool {
        matches!(
            self,
            IocType::WindowsPath | IocType::LinuxPath | IocType::RegistryKey
        )
    }
}

/// A match's type: built-in or added with [`IocExtractor::add_type`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IocKind {
    /// A built-in type.
    Builtin(IocType),
    /// The n-th custom type of the extractor.
    Custom(u16),
}

impl From<IocType> for IocKind {
    fn from(t: IocType) -> Self {
        IocKind::Builtin(t)
    }
}

/// One indicator found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IocMatch {
    /// Its type.
    pub kind: IocKind,
    /// The indicator, refanged (and decoded when found inside an encoded blob).
    pub value: String,
    /// Byte offset of the text it was found in (for a decoded match: the whole blob).
    pub start: usize,
    /// End byte offset (exclusive); `&text[start..end]` is the original text.
    pub end: usize,
    /// Whether the original was written defanged (`evil[.]com`, `hxxp://`).
    pub defanged: bool,
    /// The decodings that revealed it, outermost first; empty for plain text.
    pub decoded: Vec<Decoding>,
}

/// A match as the extractor makes it: its value is `None` when it is the text as written (most
/// matches: no allocation, and the text is not read again after the scan), owned when
/// refanged, rewritten or decoded.
#[derive(Debug)]
pub(crate) struct Found {
    pub kind: IocKind,
    pub value: Option<String>,
    pub start: usize,
    pub end: usize,
    pub defanged: bool,
    pub decoded: Vec<Decoding>,
}

impl Found {
    /// The value, given the text the match was found in (its byte offsets).
    pub fn value<'t>(&'t self, text: &'t str) -> &'t str {
        self.value
            .as_deref()
            .unwrap_or_else(|| &text[self.start..self.end])
    }

    /// The value as an owned string, taken out (given the text the match was found in).
    pub fn take_value(&mut self, text: &str) -> String {
        self.value
            .take()
            .unwrap_or_else(|| text[self.start..self.end].to_owned())
    }

    /// The public form, given the text the match was found in (its byte offsets).
    pub fn into_match(mut self, text: &str) -> IocMatch {
        IocMatch {
            value: self.take_value(text),
            kind: self.kind,
            start: self.start,
            end: self.end,
            defanged: self.defanged,
            decoded: self.decoded,
        }
    }
}

/// Options of an extraction. `Default` is string mode: every type, paths included.
#[derive(Clone, Debug)]
pub struct ExtractOptions {
    /// The types to report (`None`: the defaults of the mode, see [`ExtractOptions::table`]).
    pub types: Option<Vec<IocKind>>,
    /// With `types: None`: whether Windows paths are reported (string mode: `true`; table
    /// mode: `false`, as MSTICPy's `include_paths`). Linux paths are reported in table mode
    /// only when named in `types`.
    pub include_paths: bool,
    /// Whether this is table mode (changes the default types only).
    pub table_mode: bool,
    /// Accept any alphabetic TLD instead of checking the Public Suffix List.
    pub ignore_tlds: bool,
    /// Drop private, loopback, link-local, documentation and other reserved IP addresses.
    pub exclude_private: bool,
    /// Refang before matching (MSTICPy's `defanged=True`). With `false` only plain text counts.
    pub refang: bool,
    /// Search decoded blobs (percent, base64, hex) too.
    pub decode: bool,
    /// Also report `example.com/path` (a domain followed by a path, no scheme) as a URL, as
    /// ioc-finder does. Off by default, as in MSTICPy.
    pub schemeless_urls: bool,
    /// How many decodings deep to go (blobs inside decoded blobs…).
    pub max_depth: u8,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            types: None,
            include_paths: true,
            table_mode: false,
            ignore_tlds: false,
            exclude_private: false,
            refang: true,
            decode: true,
            schemeless_urls: false,
            max_depth: 3,
        }
    }
}

impl ExtractOptions {
    /// The keys of `extractIocs`'s options.
    pub const KEYS: &[&str] = &[
        "types",
        "includePaths",
        "ignoreTlds",
        "excludePrivate",
        "refang",
        "decode",
        "maxDepth",
        "schemelessUrls",
    ];

    /// The key `extractIocsFromTable` takes beside [`Self::KEYS`].
    pub const TABLE_KEYS: &[&str] = &["columns"];

    /// Reads the options of a text extraction (`types` named as `x` knows them).
    pub fn read(o: &Options<'_>, x: &IocExtractor) -> Result<Self> {
        Self::read_into(o, x, ExtractOptions::default())
    }

    /// Reads the options of a table extraction: the columns to search, and the options.
    pub fn read_table(o: &Options<'_>, x: &IocExtractor) -> Result<(Vec<String>, Self)> {
        let opts = Self::read_into(o, x, ExtractOptions::table())?;
        let columns = o.strings("columns")?.ok_or_else(|| {
            Error::invalid_option(
                "columns",
                "name the columns to search: { columns: [\"CommandLine\"] }",
            )
        })?;
        Ok((columns, opts))
    }

    fn read_into(o: &Options<'_>, x: &IocExtractor, mut opts: Self) -> Result<Self> {
        if let Some(types) = o.strings("types")? {
            opts.types = Some(x.parse_kinds(&types, "types")?);
        }
        opts.include_paths = o.flag_or("includePaths", opts.include_paths)?;
        opts.ignore_tlds = o.flag("ignoreTlds")?;
        opts.exclude_private = o.flag("excludePrivate")?;
        opts.refang = o.flag_or("refang", true)?;
        opts.decode = o.flag_or("decode", true)?;
        opts.schemeless_urls = o.flag("schemelessUrls")?;
        if let Some(depth) = o.small_int("maxDepth", 8)? {
            opts.max_depth = depth;
        }
        Ok(opts)
    }

    /// Table mode's defaults: no Linux paths, Windows paths only with `include_paths`.
    pub fn table() -> Self {
        ExtractOptions {
            include_paths: false,
            table_mode: true,
            ..Self::default()
        }
    }
}

/// A custom type: a regex (the `regex-lite` dialect: linear time, no look-around or
/// back-references), a priority and the capture group holding the value.
#[derive(Debug)]
struct CustomType {
    name: String,
    regex: regex_lite::Regex,
    priority: u8,
    group: usize,
}

/// An extractor: the built-in types plus this instance's custom types (and, optionally, its own
/// Public Suffix List).
#[derive(Debug, Default)]
pub struct IocExtractor {
    custom: Vec<CustomType>,
    suffixes: Option<SuffixList>,
}

/// A candidate before overlap resolution, in original-text coordinates.
#[derive(Debug)]
struct Cand {
    kind: IocKind,
    priority: u8,
    start: usize,
    end: usize,
    /// `None`: the original text `start..end` (see [`Found`]).
    value: Option<String>,
    defanged: bool,
    part: bool,
}

impl Cand {
    /// The value, given the text the candidate was found in.
    fn value<'t>(&'t self, text: &'t str) -> &'t str {
        self.value
            .as_deref()
            .unwrap_or_else(|| &text[self.start..self.end])
    }
}

impl IocExtractor {
    /// An extractor with the built-in types only.
    pub fn new() -> Self {
        Self::default()
    }

    /// The keys of `addIocType`'s options.
    pub const TYPE_KEYS: &[&str] = &["priority", "group"];

    /// [`Self::add_type`] with its options object: `{ priority = 0, group }` (a group number
    /// or name).
    pub fn add_type_with(&mut self, name: &str, pattern: &str, o: &Options<'_>) -> Result<IocKind> {
        let priority = o.small_int("priority", 255)?.unwrap_or(0);
        let group = match o.get("group") {
            Opt::Absent => None,
            Opt::Number(n) => Some(n.to_string()),
            Opt::Text(s) => Some(s),
            v => return Err(Options::wrong("group", &v, "a group number or name")),
        };
        self.add_type(name, pattern, priority, group.as_deref())
    }

    /// Adds (or replaces) the custom type `name`: matches of `pattern` are reported with this
    /// `priority` (0 = highest; built-ins use 0–4), taking the text of capture `group` (a
    /// number or a name; `None` = the whole match). Custom types run on the refanged text.
    pub fn add_type(
        &mut self,
        name: &str,
        pattern: &str,
        priority: u8,
        group: Option<&str>,
    ) -> Result<IocKind> {
        let valid_name = !name.is_empty()
            && name.len() <= 64
            && name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'));
        if !valid_name {
            return Err(Error::invalid_option(
                "name",
                format!("IoC type name {name:?} must be 1–64 letters, digits, `_`, `-` or `.`"),
            ));
        }
        if IocType::parse(name).is_some() {
            return Err(Error::invalid_option(
                "name",
                format!("`{name}` is a built-in IoC type; choose another name"),
            ));
        }
        let regex = regex_lite::Regex::new(pattern).map_err(|e| {
            Error::invalid_option(
                "regex",
                format!("the pattern of IoC type `{name}` is not a valid regex: {e}"),
            )
        })?;
        let group = match group {
            None => 0,
            Some(g) => match g.parse::<usize>() {
                Ok(n) if n < regex.captures_len() => n,
                Ok(n) => {
                    return Err(Error::invalid_option(
                        "group",
                        format!(
                            "IoC type `{name}`: the pattern has no group {n} (it has {})",
                            regex.captures_len() - 1
                        ),
                    ));
                }
                Err(_) => regex
                    .capture_names()
                    .position(|n| n == Some(g))
                    .ok_or_else(|| {
                        Error::invalid_option(
                            "group",
                            format!("IoC type `{name}`: the pattern has no group named `{g}`"),
                        )
                    })?,
            },
        };
        let custom = CustomType {
            name: name.to_owned(),
            regex,
            priority,
            group,
        };
        if let Some(i) = self.custom.iter().position(|c| c.name == name) {
            self.custom[i] = custom;
            return Ok(IocKind::Custom(i as u16));
        }
        if self.custom.len() >= usize::from(u16::MAX) {
            return Err(Error::invalid_option("name", "too many custom IoC types"));
        }
        self.custom.push(custom);
        Ok(IocKind::Custom((self.custom.len() - 1) as u16))
    }

    /// Uses `text` (the contents of `public_suffix_list.dat`, e.g. fetched from
    /// publicsuffix.org) instead of the embedded snapshot to check domains. Returns how many
    /// rules it read; a text with no rule is an error and leaves the list unchanged.
    pub fn set_public_suffix_list(&mut self, text: &str) -> Result<usize> {
        let list = SuffixList::parse(text)?;
        let n = list.len();
        self.suffixes = Some(list);
        Ok(n)
    }

    /// The Public Suffix List in use.
    pub fn suffix_list(&self) -> &SuffixList {
        self.suffixes
            .as_ref()
            .unwrap_or_else(|| SuffixList::builtin())
    }

    /// Every type this extractor knows: the built-ins, then the custom types.
    pub fn kinds(&self) -> Vec<IocKind> {
        IocType::ALL
            .into_iter()
            .map(IocKind::Builtin)
            .chain((0..self.custom.len()).map(|i| IocKind::Custom(i as u16)))
            .collect()
    }

    /// The name of `kind`.
    pub fn kind_name(&self, kind: IocKind) -> &str {
        match kind {
            IocKind::Builtin(t) => t.name(),
            IocKind::Custom(i) => self
                .custom
                .get(usize::from(i))
                .map_or("unknown", |c| c.name.as_str()),
        }
    }

    /// The type called `name` (built-in names and aliases, then custom names).
    pub fn parse_kind(&self, name: &str) -> Option<IocKind> {
        IocType::parse(name).map(IocKind::Builtin).or_else(|| {
            self.custom
                .iter()
                .position(|c| c.name == name)
                .map(|i| IocKind::Custom(i as u16))
        })
    }

    /// The types named in `names`; an unknown name is an `invalid-option` error for `option`
    /// that suggests the closest known name.
    pub fn parse_kinds(&self, names: &[String], option: &'static str) -> Result<Vec<IocKind>> {
        names
            .iter()
            .map(|name| {
                self.parse_kind(name).ok_or_else(|| {
                    let known: Vec<&str> = self
                        .kinds()
                        .into_iter()
                        .map(|k| self.kind_name(k))
                        .collect();
                    let hint = crate::did_you_mean(name, known.iter().copied(), || {
                        format!("; known types: {}", known.join(", "))
                    });
                    Error::invalid_option(option, format!("unknown IoC type `{name}`{hint}"))
                })
            })
            .collect()
    }

    /// The types reported under `opts`.
    pub fn selected(&self, opts: &ExtractOptions) -> Vec<IocKind> {
        match &opts.types {
            Some(types) => types.clone(),
            None => self
                .kinds()
                .into_iter()
                .filter(|k| match k {
                    IocKind::Builtin(IocType::LinuxPath) => !opts.table_mode && opts.include_paths,
                    IocKind::Builtin(IocType::WindowsPath) => opts.include_paths,
                    _ => true,
                })
                .collect(),
        }
    }

    /// Every indicator in `text`, ordered by start offset.
    pub fn extract(&self, text: &str, opts: &ExtractOptions) -> Vec<IocMatch> {
        self.extract_found(text, opts)
            .into_iter()
            .map(|m| m.into_match(text))
            .collect()
    }

    /// [`Self::extract`] with the values that are the text as written left in it.
    pub(crate) fn extract_found(&self, text: &str, opts: &ExtractOptions) -> Vec<Found> {
        self.extract_level(text, opts, &self.selection(opts), 0)
    }

    /// The selected types of `opts` as bits (computed once per call, or once per table).
    fn selection(&self, opts: &ExtractOptions) -> Selection {
        Selection::new(&self.selected(opts))
    }

    fn extract_level(
        &self,
        text: &str,
        opts: &ExtractOptions,
        selected: &Selection,
        depth: u8,
    ) -> Vec<Found> {
        let has = |t: IocType| selected.contains(&IocKind::Builtin(t));
        let windows = has(IocType::WindowsPath) || has(IocType::RegistryKey);
        let linux = has(IocType::LinuxPath);
        let network = IocType::ALL.iter().any(|&t| !t.is_path() && has(t));
        let mut cands: Vec<Cand> = Vec::new();
        let refanged = if opts.refang {
            refang_text(text)
        } else {
            refang::unchanged(text)
        };
        let rtext = refanged.text();
        let spans = refanged.lookup();
        // A value is the original text unless the span was refanged (then the refanged text).
        // (The original is not read here: after the scan of a long text it is out of cache.)
        let value = |s: usize, e: usize, defanged: bool| defanged.then(|| rtext[s..e].to_owned());
        // One pass over the refanged text. Paths take their value from the original text (a
        // `\.` in `C:\x\.git` is part of the path, not a defanged dot).
        if network || windows || linux {
            // The scanner's own lookups (its queries and the hits' come in separate orders).
            let scan_spans = refanged.lookup();
            let defanged = |s: usize, e: usize| {
                let (s, e) = scan_spans.original_span(s, e);
                scan_spans.defanged(s, e)
            };
            let scan_opts = scan::ScanOptions {
                ignore_tlds: opts.ignore_tlds,
                schemeless_urls: opts.schemeless_urls,
                windows_paths: windows,
                linux_paths: linux,
                network,
            };
            // Each hit becomes a candidate as it is found (its refanged value is copied while
            // the text around it is in cache).
            let mut sink = |h: scan::Hit| {
                let (start, end) = spans.original_span(h.start, h.end);
                let path = h.kind.is_path();
                let defanged = !path && spans.defanged(start, end);
                cands.push(Cand {
                    kind: IocKind::Builtin(h.kind),
                    priority: h.kind.priority(),
                    start,
                    end,
                    value: match h.value {
                        Some(v) => Some(v),
                        None if path => None,
                        None => value(h.start, h.end, defanged),
                    },
                    defanged,
                    part: h.part,
                });
            };
            let psl = self.suffix_list();
            scan::scan_into(rtext, scan_opts, psl, &defanged, true, &mut sink);
        }
        // Custom types, on the refanged text.
        for (i, custom) in self.custom.iter().enumerate() {
            let kind = IocKind::Custom(i as u16);
            if !selected.contains(&kind) {
                continue;
            }
            for caps in custom.regex.captures_iter(rtext) {
                let Some(m) = caps.get(custom.group) else {
                    continue;
                };
                if m.is_empty() {
                    continue;
                }
                let (start, end) = spans.original_span(m.start(), m.end());
                let defanged = spans.defanged(start, end);
                cands.push(Cand {
                    kind,
                    priority: custom.priority,
                    start,
                    end,
                    value: value(m.start(), m.end(), defanged),
                    defanged,
                    part: false,
                });
            }
        }
        let mut out: Vec<Found> = resolve(cands, text)
            .into_iter()
            .filter(|c| selected.contains(&c.kind))
            .filter(|c| !(opts.exclude_private && is_private(c, text)))
            .map(|c| Found {
                kind: c.kind,
                value: c.value,
                start: c.start,
                end: c.end,
                defanged: c.defanged,
                decoded: Vec::new(),
            })
            .collect();
        if opts.decode && depth < opts.max_depth {
            let blobs = decode::blobs(text);
            if !blobs.is_empty() {
                self.add_decoded(text, &mut out, blobs, opts, selected, depth);
            }
        }
        out
    }
}

impl IocExtractor {
    /// Adds what the decoded `blobs` contain to `out` (spans: the blobs), skipping what plain
    /// text already gave at the same place.
    fn add_decoded(
        &self,
        text: &str,
        out: &mut Vec<Found>,
        blobs: Vec<decode::Blob>,
        opts: &ExtractOptions,
        selected: &Selection,
        depth: u8,
    ) {
        // `out` is sorted by start: what plain text found inside a blob is a short range.
        let mut extra: Vec<Found> = Vec::new();
        let mut inside = self
            .search_blobs(&blobs, opts, selected, depth + 1)
            .into_iter()
            .peekable();
        // Blobs come mostly in order: walk on from the last one's range.
        let (mut lo, mut last_start) = (0, 0);
        for (k, blob) in blobs.into_iter().enumerate() {
            if blob.start < last_start {
                lo = out.partition_point(|o| o.start < blob.start);
            }
            while lo < out.len() && out[lo].start < blob.start {
                lo += 1;
            }
            last_start = blob.start;
            let mut hi = lo;
            while hi < out.len() && out[hi].start < blob.end {
                hi += 1;
            }
            let first_new = extra.len();
            while let Some((_, mut m)) = inside.next_if(|(owner, _)| *owner == k) {
                let value = m.value(&blob.text);
                let same = |o: &Found| o.kind == m.kind && o.value(text) == value;
                if out[lo..hi].iter().any(same) || extra[first_new..].iter().any(same) {
                    continue;
                }
                let value = m.take_value(&blob.text);
                let mut decoded = vec![blob.how];
                decoded.extend(m.decoded);
                extra.push(Found {
                    kind: m.kind,
                    value: Some(value),
                    start: blob.start,
                    end: blob.end,
                    defanged: m.defanged,
                    decoded,
                });
            }
        }
        if !extra.is_empty() {
            // Merged in (as a stable sort of both would order them: plain text first on ties).
            let key = |m: &Found| (m.start, std::cmp::Reverse(m.end));
            extra.sort_by_key(key);
            let plain = std::mem::take(out);
            out.reserve(plain.len() + extra.len());
            let mut extra = extra.into_iter().peekable();
            for o in plain {
                while let Some(x) = extra.next_if(|x| key(x) < key(&o)) {
                    out.push(x);
                }
                out.push(o);
            }
            out.extend(extra);
        }
    }
}

impl IocExtractor {
    /// What the decoded `blobs` contain, in blob order: (blob index, match with offsets into
    /// the blob's text). The texts are searched as the lines of one text, in one pass (thousands
    /// of short searches cost far more); a match running past its line (no recogniser crosses
    /// a line break, so only a bug would) sends the blobs back to one search each.
    fn search_blobs(
        &self,
        blobs: &[decode::Blob],
        opts: &ExtractOptions,
        selected: &Selection,
        depth: u8,
    ) -> Vec<(usize, Found)> {
        let mut joined = String::with_capacity(blobs.iter().map(|b| b.text.len() + 3).sum());
        let mut lines = Vec::with_capacity(blobs.len());
        for blob in blobs {
            lines.push((joined.len(), joined.len() + blob.text.len()));
            joined.push_str(&blob.text);
            joined.push_str("\n\0\n");
        }
        let mut out = Vec::new();
        let mut k = 0;
        for mut m in self.extract_level(&joined, opts, selected, depth) {
            while k + 1 < lines.len() && lines[k + 1].0 <= m.start {
                k += 1;
            }
            let (s, e) = lines[k];
            if m.start < s || m.end > e {
                return self.search_each(blobs, opts, selected, depth);
            }
            (m.start, m.end) = (m.start - s, m.end - s);
            out.push((k, m));
        }
        out
    }

    /// [`Self::search_blobs`], one search per blob (the reference the tests compare with).
    fn search_each(
        &self,
        blobs: &[decode::Blob],
        opts: &ExtractOptions,
        selected: &Selection,
        depth: u8,
    ) -> Vec<(usize, Found)> {
        let mut out = Vec::new();
        for (k, blob) in blobs.iter().enumerate() {
            let found = self.extract_level(&blob.text, opts, selected, depth);
            out.extend(found.into_iter().map(|m| (k, m)));
        }
        out
    }
}

/// The selected types as bits (built-ins by `IocType` discriminant, then custom types).
struct Selection {
    builtin: u32,
    custom: Vec<bool>,
}

impl Selection {
    fn new(kinds: &[IocKind]) -> Self {
        let mut sel = Selection {
            builtin: 0,
            custom: Vec::new(),
        };
        for &k in kinds {
            match k {
                IocKind::Builtin(t) => sel.builtin |= 1 << t as u32,
                IocKind::Custom(i) => {
                    let i = usize::from(i);
                    if sel.custom.len() <= i {
                        sel.custom.resize(i + 1, false);
                    }
                    sel.custom[i] = true;
                }
            }
        }
        sel
    }

    fn contains(&self, kind: &IocKind) -> bool {
        match *kind {
            IocKind::Builtin(t) => self.builtin & (1 << t as u32) != 0,
            IocKind::Custom(i) => self.custom.get(usize::from(i)).copied().unwrap_or(false),
        }
    }
}

/// `bytes` as text: checked 16 bytes at a time when they are ASCII (most logs), else by
/// `std::str::from_utf8`.
pub fn utf8(bytes: &[u8]) -> std::result::Result<&str, std::str::Utf8Error> {
    utf8_ascii(bytes).map(|(text, _)| text)
}

/// [`utf8`], also saying whether the text is ASCII (so offsets need no conversion).
pub(crate) fn utf8_ascii(bytes: &[u8]) -> std::result::Result<(&str, bool), std::str::Utf8Error> {
    if chunk::is_ascii(bytes) {
        // SAFETY: ASCII bytes are valid UTF-8.
        Ok((unsafe { std::str::from_utf8_unchecked(bytes) }, true))
    } else {
        std::str::from_utf8(bytes).map(|text| (text, false))
    }
}

/// Extracts with the built-in types only (see [`IocExtractor::extract`]).
pub fn extract(text: &str, opts: &ExtractOptions) -> Vec<IocMatch> {
    IocExtractor::new().extract(text, opts)
}

/// Resolves overlapping candidates:
/// - the same span found twice keeps the highest-priority type (MSTICPy's rule, by span);
/// - paths and registry keys inside a URL are dropped (`//host/path` is not a Linux path), as
///   are Linux paths inside Windows paths;
/// - a domain inside an email's local part is dropped (`first.last@…`);
/// - parts reported by their container (a URL's host, an email's domain) are kept.
fn resolve(cands: Vec<Cand>, text: &str) -> Vec<Cand> {
    // Report order (by start, a container before what it contains), which also puts the
    // candidates for one span next to each other, highest priority first.
    let mut cands = report_order(cands);
    cands.dedup_by(|b, a| {
        let same =
            a.start == b.start && a.end == b.end && (a.kind == b.kind || a.priority <= b.priority);
        if same {
            a.part &= b.part;
        }
        same
    });
    let spans = |pred: &dyn Fn(&Cand) -> bool| {
        merge(cands.iter().filter(|c| pred(c)).map(|c| (c.start, c.end)))
    };
    let urls = spans(&|c| c.kind == IocKind::Builtin(IocType::Url));
    let windows = spans(&|c| {
        matches!(
            c.kind,
            IocKind::Builtin(IocType::WindowsPath | IocType::RegistryKey)
        )
    });
    // Emails' local parts (start, `@`), merged and sorted for binary search.
    let local_parts = merge(
        cands
            .iter()
            .filter(|c| c.kind == IocKind::Builtin(IocType::Email))
            .filter_map(|c| c.value(text).find('@').map(|at| (c.start, c.start + at))),
    );
    cands.retain(|c| {
        let IocKind::Builtin(t) = c.kind else {
            return true;
        };
        if t.is_path() && overlaps(&urls, c.start, c.end) {
            return false;
        }
        if t == IocType::LinuxPath && overlaps(&windows, c.start, c.end) {
            return false;
        }
        if t == IocType::Dns && !c.part && overlaps(&local_parts, c.start, c.start + 1) {
            return false;
        }
        true
    });
    cands
}

/// The report order: by start, a container before what it contains, then by priority and kind.
fn report_cmp(a: &Cand, b: &Cand) -> std::cmp::Ordering {
    (a.start, std::cmp::Reverse(a.end), a.priority, a.kind).cmp(&(
        b.start,
        std::cmp::Reverse(b.end),
        b.priority,
        b.kind,
    ))
}

/// `cands` sorted by [`report_cmp`], ties in their order: one sort of
/// 128-bit keys (offsets, priority, kind, index) and a permutation, rather than a stable sort of
/// the candidates themselves.
fn report_order(cands: Vec<Cand>) -> Vec<Cand> {
    let fits =
        cands.len() <= u32::MAX as usize && cands.iter().all(|c| u32::try_from(c.end).is_ok());
    // A few candidates (decoded blobs, table cells): sorted in place, allocating nothing.
    if !fits || cands.len() <= 20 {
        let mut cands = cands;
        cands.sort_by(report_cmp);
        return cands;
    }
    let kind_code = |k: IocKind| -> u128 {
        match k {
            IocKind::Builtin(t) => t as u128,
            IocKind::Custom(i) => 0x100 + u128::from(i),
        }
    };
    let mut keys: Vec<u128> = cands
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (c.start as u128) << 96
                | u128::from(u32::MAX - c.end as u32) << 64
                | u128::from(c.priority) << 56
                | kind_code(c.kind) << 32
                | i as u128
        })
        .collect();
    keys.sort_unstable();
    let mut slots: Vec<Option<Cand>> = cands.into_iter().map(Some).collect();
    keys.into_iter()
        .filter_map(|k| slots[k as u32 as usize].take())
        .collect()
}

/// Sorted, merged union of spans.
fn merge(spans: impl Iterator<Item = (usize, usize)>) -> Vec<(usize, usize)> {
    let mut v: Vec<(usize, usize)> = spans.collect();
    v.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Whether `start..end` overlaps the merged spans.
fn overlaps(spans: &[(usize, usize)], start: usize, end: usize) -> bool {
    let i = spans.partition_point(|&(_, e)| e <= start);
    spans.get(i).is_some_and(|&(s, _)| s < end)
}

/// Private, loopback, link-local, documentation, multicast and other reserved addresses.
fn is_private(c: &Cand, text: &str) -> bool {
    use std::net::{Ipv4Addr, Ipv6Addr};
    let addr = c.value(text).split('/').next().unwrap_or_default();
    let v4_reserved = |ip: Ipv4Addr| {
        let o = ip.octets();
        ip.is_private()
            || ip.is_loopback()
            || ip.is_link_local()
            || ip.is_unspecified()
            || ip.is_broadcast()
            || ip.is_documentation()
            || ip.is_multicast()
            || o[0] == 0
            || o[0] >= 240
            || (o[0] == 100 && (64..128).contains(&o[1]))
            || (o[0] == 198 && (o[1] & 0xfe) == 18)
            || (o[0] == 192 && o[1] == 0 && o[2] == 0)
    };
    match c.kind {
        IocKind::Builtin(IocType::Ipv4 | IocType::Ipv4Cidr) => {
            parse_v4_lenient(addr).is_some_and(v4_reserved)
        }
        IocKind::Builtin(IocType::Ipv6 | IocType::Ipv6Cidr) => {
            addr.parse::<Ipv6Addr>().is_ok_and(|ip| {
                let s = ip.segments();
                if let Some(v4) = ip.to_ipv4_mapped() {
                    return v4_reserved(v4);
                }
                ip.is_loopback()
                    || ip.is_unspecified()
                    || ip.is_multicast()
                    || (s[0] & 0xfe00) == 0xfc00
                    || (s[0] & 0xffc0) == 0xfe80
                    || (s[0] == 0x2001 && s[1] == 0x0db8)
                    || (s[0] == 0x0064 && s[1] == 0xff9b)
            })
        }
        _ => false,
    }
}

/// An IPv4 address that may have leading zeros (`010.001.002.003`), read as decimal.
fn parse_v4_lenient(s: &str) -> Option<std::net::Ipv4Addr> {
    let mut o = [0u8; 4];
    let mut parts = s.split('.');
    for slot in &mut o {
        *slot = parts.next()?.parse().ok()?;
    }
    parts
        .next()
        .is_none()
        .then_some(std::net::Ipv4Addr::from(o))
}

#[cfg(test)]
mod tests;
