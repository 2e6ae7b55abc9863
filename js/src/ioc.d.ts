// Types of ioc.js: IoC extraction, refang and defang.
import type { TableInput, ResultTable } from "./table.js";

/** A built-in IoC type (MSTICPy's names, plus huntkit's), or a custom type's name. */
export type IocTypeName =
  | "ipv4"
  | "ipv6"
  | "ipv4_cidr"
  | "ipv6_cidr"
  | "dns"
  | "url"
  | "email"
  | "md5_hash"
  | "sha1_hash"
  | "sha256_hash"
  | "sha512_hash"
  | "windows_path"
  | "linux_path"
  | "registry_key"
  | "mac_address"
  | "cve"
  | "attack_technique"
  | (string & {});

/** Options of {@link extractIocs} and {@link IocExtractor.extract}. */
export interface ExtractIocsOptions {
  /**
   * Report only these types (aliases `md5`, `sha1`, `sha256`, `sha512`, `domain`, `mac`,
   * `registry` work too). Default: every type (for tables: no Linux paths, and Windows paths
   * only with **includePaths**, as MSTICPy).
   */
  types?: IocTypeName | IocTypeName[];
  /** Report Windows paths (default *true* for text, *false* for tables). */
  includePaths?: boolean;
  /** Accept any alphabetic TLD instead of checking the Public Suffix List. Default *false*. */
  ignoreTlds?: boolean;
  /** Drop private, loopback, link-local, documentation and reserved IP addresses. Default *false*. */
  excludePrivate?: boolean;
  /** Refang before matching (`evil[.]com`, `hxxp://`, `[at]`…). Default *true*; *false* is MSTICPy's `defanged=False`. */
  refang?: boolean;
  /** Search percent-encoded, base64 (incl. UTF-16LE) and hex blobs too. Default *true*. */
  decode?: boolean;
  /** How many decodings deep (blobs inside decoded blobs). Default *3*, at most 8. */
  maxDepth?: number;
  /** Also report `example.com/path` (no scheme) and defanged `evil[.]com` as URLs. Default *false*. */
  schemelessUrls?: boolean;
}

/** One indicator found in a text. */
export interface IocMatch {
  type: IocTypeName;
  /** The indicator, refanged (`http://evil.com/a`), decoded when found in an encoded blob. */
  value: string;
  /** The text as written: `text.slice(start, end)` (for a decoded match: the whole blob). */
  original: string;
  /** UTF-16 offset (JS string index) of `original`. */
  start: number;
  end: number;
  /** Whether it was written defanged (`evil[.]com`, `hxxp://`). */
  defanged: boolean;
  /**
   * The decodings that revealed it, outermost first: `"percent"`, `"base64"`, `"base64-utf16le"`,
   * `"hex"`. A frozen array shared by the matches with the same chain (empty for plain text).
   */
  decoded: readonly string[];
}

/** Options of {@link extractIocsFromTable}. */
export interface ExtractIocsFromTableOptions extends ExtractIocsOptions {
  /** The column(s) to search. */
  columns: string | string[];
}

/**
 * Indicators found in a table: one row per indicator per cell, with MSTICPy's columns `IoCType`,
 * `Observable`, `SourceIndex` (input row position), `Input` (the whole cell), plus `Column`,
 * `Start`/`End` (UTF-16 offsets into `Input`), `Defanged` and `Decoded` (`"base64>percent"`, or null).
 */
export interface IocTable extends ResultTable {
  /** Row objects (`SourceIndex`, `Start`, `End` as BigInt). */
  toRows(): Array<{
    IoCType: string;
    Observable: string;
    SourceIndex: bigint;
    Input: string;
    Column: string;
    Start: bigint;
    End: bigint;
    Defanged: boolean;
    Decoded: string | null;
  }>;
}

/** Options of {@link IocExtractor.addIocType}. */
export interface IocTypeOptions {
  /** Conflict priority: 0 is highest (built-ins use 0–4; a match on the same text keeps the highest). Default *0*. */
  priority?: number;
  /** The capture group holding the value (number or name). Default: the whole match. */
  group?: number | string;
}

/** An extractor with its own custom types (MSTICPy's `IoCExtract`, without its process-wide types). */
export class IocExtractor {
  constructor();
  /**
   * Adds (or replaces) a custom type. **regex** uses the `regex-lite` dialect (linear time: no
   * look-around or back-references); a bad pattern throws naming the type.
   */
  addIocType(name: string, regex: string, options?: IocTypeOptions): this;
  /**
   * Checks domains against this Public Suffix List (the text of `public_suffix_list.dat`, e.g.
   * fetched from publicsuffix.org) instead of the snapshot built in (2025-04-07); ICANN section
   * only, as tldextract. Returns how many rules it read; a text with no rule throws.
   */
  setPublicSuffixList(text: string): number;
  /** Every type name, built-in then custom. */
  readonly types: string[];
  extract(text: string, options?: ExtractIocsOptions): IocMatch[];
  extractFromTable(table: TableInput, options: ExtractIocsFromTableOptions): IocTable;
  free(): void;
}

/** Every indicator in **text**, in order, with refanged values and UTF-16 offsets. */
export function extractIocs(text: string, options?: ExtractIocsOptions): IocMatch[];

/** Indicators in **columns** of a table (MSTICPy's `extract_df`). */
export function extractIocsFromTable(table: TableInput, options: ExtractIocsFromTableOptions): IocTable;

/** **text** with every defanged form made plain (`hxxp://evil[.]com` → `http://evil.com`). */
export function refang(text: string): string;

/** MSTICPy's `defang_ioc`, readable: `evil[.]com`, `hxxp://evil[.]com/a`, `user[AT]evil[.]com`. */
export function defang(value: string, type?: IocTypeName): string;
