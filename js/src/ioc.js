import { assertReady, guard } from "./core.js";
import { IocExtractor as WasmIocExtractor, refang as wasmRefang, defang as wasmDefang } from "./wasm/huntkit.js";

const encoder = new TextEncoder();
/** The `decoded` of a match in plain text. */
const PLAIN = Object.freeze([]);

/**
 * Writes a long `text` as UTF-8 straight into the extractor's wasm buffer (faster than handing
 * over a JS string, and no 3-bytes-per-character worst case reserved for ASCII text); returns
 * the byte length.
 */
function stage(inner, text) {
  // One byte per UTF-16 unit for ASCII; if the text is longer in UTF-8, the rest goes after
  // what was written, with room for its worst case (3 bytes per unit).
  const first = encoder.encodeInto(text, inner.stage(text.length));
  if (first.read === text.length) return first.written;
  const rest = text.length - first.read;
  const view = inner.stage(first.written + 3 * rest).subarray(first.written);
  return first.written + encoder.encodeInto(text.slice(first.read), view).written;
}

/** Turns the packed columns of `extractPacked` into match objects. */
function unpack(text, packed, types) {
  const { kinds, starts, ends, flags, values, valueEnds, chainOf, chains } = packed;
  // Decoding chains are shared, frozen arrays: one per distinct chain, not one per match.
  const split = chains.map((c) => Object.freeze(c.split(">")));
  const out = new Array(kinds.length);
  let v = 0;
  let valueStart = 0;
  for (let i = 0; i < kinds.length; i++) {
    const start = starts[i];
    const end = ends[i];
    const original = text.slice(start, end);
    const f = flags[i];
    let value = original;
    if (f & 2) {
      value = values.slice(valueStart, valueEnds[v]);
      valueStart = valueEnds[v++];
    }
    out[i] = {
      type: types[kinds[i]],
      value,
      original,
      start,
      end,
      defanged: (f & 1) !== 0,
      decoded: chainOf[i] ? split[chainOf[i] - 1] : PLAIN,
    };
  }
  return out;
}

/**
 * An IoC extractor with its own custom types (MSTICPy's `IoCExtract`). See ioc.d.ts.
 */
export class IocExtractor {
  constructor() {
    assertReady();
    this._inner = new WasmIocExtractor();
    this._types = this._inner.types;
  }

  /** Adds (or replaces) a custom type. */
  addIocType(name, regex, options) {
    this._inner.addIocType(name, regex, options);
    this._types = this._inner.types;
    return this;
  }

  /** Uses a newer Public Suffix List (the text of public_suffix_list.dat); returns its rule count. */
  setPublicSuffixList(text) {
    return this._inner.setPublicSuffixList(text);
  }

  /** Every type name, built-in then custom. */
  get types() {
    return this._types.slice();
  }

  /** Every indicator in `text`. */
  extract(text, options) {
    const packed = guard(() =>
      typeof text === "string" && text.length > 4096
        ? this._inner.extractStaged(stage(this._inner, text), options)
        : this._inner.extractPacked(text, options),
    );
    return unpack(text, packed, this._types);
  }

  /** Indicators in table columns, as a table. */
  extractFromTable(table, options) {
    return guard(() => this._inner.extractFromTable(table, options));
  }

  /** Frees the wasm memory now instead of at garbage collection. */
  free() {
    this._inner.free();
  }
}

let shared = null;
function extractor() {
  assertReady();
  if (!shared) shared = new IocExtractor();
  return shared;
}

/** Every indicator in `text` (built-in types). See ioc.d.ts. */
export function extractIocs(text, options) {
  return extractor().extract(text, options);
}

/** Indicators in table columns (built-in types), as a table. See ioc.d.ts. */
export function extractIocsFromTable(table, options) {
  return extractor().extractFromTable(table, options);
}

/** `text` with every defanged form made plain. */
export function refang(text) {
  assertReady();
  return wasmRefang(text);
}

/** A value made safe to paste (`evil[.]com`, `hxxp://…`). */
export function defang(value, type) {
  assertReady();
  return wasmDefang(value, type);
}
