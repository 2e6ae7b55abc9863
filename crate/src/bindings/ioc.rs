//! `IocExtractor` (the class behind `extractIocs`, `extractIocsFromTable` and custom types),
//! `refang` and `defang`.

use js_sys::{Array, Object, Reflect, Uint8Array, Uint16Array, Uint32Array};
use wasm_bindgen::prelude::*;

use super::error::{JsResult, Options, check_keys};
use super::table::{JsResultTable, table_from_js};
use crate::Error;
use crate::ioc::{
    Decoding, ExtractOptions, IocExtractor, IocKind, IocType, OffsetUnit, defang as defang_value,
    refang as refang_text, to_utf16_unless,
};

/// Options of `extract`; table mode adds `columns`.
const OPTION_KEYS: &[&str] = &[
    "types",
    "includePaths",
    "ignoreTlds",
    "excludePrivate",
    "refang",
    "decode",
    "maxDepth",
    "schemelessUrls",
];

fn extract_options(x: &IocExtractor, value: &JsValue, table: bool) -> JsResult<ExtractOptions> {
    let mut opts = if table {
        ExtractOptions::table()
    } else {
        ExtractOptions::default()
    };
    if value.is_undefined() || value.is_null() {
        return Ok(opts);
    }
    if table {
        let keys: Vec<&str> = std::iter::once("columns")
            .chain(OPTION_KEYS.iter().copied())
            .collect();
        check_keys(value, &keys)?;
    } else {
        check_keys(value, OPTION_KEYS)?;
    }
    let o = Options(value);
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

/// The text argument: a string, else a clear error.
fn text_arg(value: &JsValue) -> JsResult<String> {
    value.as_string().ok_or_else(|| {
        let got = value.js_typeof().as_string().unwrap_or_default();
        Error::invalid_option("text", format!("expected a string, got {got}")).into()
    })
}

/// An extractor with its own custom types (`new IocExtractor()`).
#[wasm_bindgen(js_name = IocExtractor)]
#[derive(Default)]
pub struct JsIocExtractor {
    inner: IocExtractor,
    /// Where the JS glue writes long texts as UTF-8 (see [`JsIocExtractor::stage`]).
    staged: Vec<u8>,
}

#[wasm_bindgen(js_class = IocExtractor)]
impl JsIocExtractor {
    /// An extractor with the built-in types.
    #[wasm_bindgen(constructor)]
    pub fn new() -> JsIocExtractor {
        JsIocExtractor::default()
    }

    /// Adds (or replaces) a custom type: `options = { priority = 0, group }`.
    #[wasm_bindgen(js_name = addIocType)]
    pub fn add_ioc_type(
        &mut self,
        name: JsValue,
        regex: JsValue,
        options: JsValue,
    ) -> JsResult<()> {
        let name = name
            .as_string()
            .ok_or_else(|| Error::invalid_option("name", "expected the type's name as a string"))?;
        let regex = regex.as_string().ok_or_else(|| {
            Error::invalid_option(
                "regex",
                format!("IoC type `{name}`: expected the pattern as a string"),
            )
        })?;
        let (mut priority, mut group) = (0u8, None);
        if !(options.is_undefined() || options.is_null()) {
            check_keys(&options, &["priority", "group"])?;
            let o = Options(&options);
            priority = o.small_int("priority", 255)?.unwrap_or(0);
            let g = o.get("group")?;
            if let Some(n) = g.as_f64() {
                group = Some(n.to_string());
            } else if let Some(s) = g.as_string() {
                group = Some(s);
            } else if !(g.is_undefined() || g.is_null()) {
                return Err(o.wrong("group", &g, "a group number or name"));
            }
        }
        self.inner
            .add_type(&name, &regex, priority, group.as_deref())?;
        Ok(())
    }

    /// Uses this Public Suffix List (the text of `public_suffix_list.dat`) instead of the
    /// embedded snapshot; returns how many rules it read.
    #[wasm_bindgen(js_name = setPublicSuffixList)]
    pub fn set_public_suffix_list(&mut self, text: JsValue) -> JsResult<usize> {
        let text = text.as_string().ok_or_else(|| {
            Error::invalid_option("publicSuffixList", "expected the list's text as a string")
        })?;
        Ok(self.inner.set_public_suffix_list(&text)?)
    }

    /// The names of every type, built-in then custom.
    #[wasm_bindgen(getter)]
    pub fn types(&self) -> Vec<String> {
        self.inner
            .kinds()
            .into_iter()
            .map(|k| self.inner.kind_name(k).to_owned())
            .collect()
    }

    /// The matches in columns (the JS glue builds the objects): `{ kinds: Uint16Array (index
    /// into types), starts, ends: Uint32Array (UTF-16), flags: Uint8Array (1 = defanged,
    /// 2 = the value is rewritten: refanged, decoded…), values: string (the values with flag 2, one
    /// after another), valueEnds: Uint32Array (where each ends in `values`, in UTF-16 units),
    /// chainOf: Uint16Array (0 = plain, k = chains[k - 1]), chains: string[] }`.
    #[wasm_bindgen(js_name = extractPacked)]
    pub fn extract_packed(&self, text: JsValue, options: JsValue) -> JsResult<JsValue> {
        let text = text_arg(&text)?;
        self.packed(&text, None, &options)
    }

    /// A view of `len` bytes of wasm memory for the glue to write a long text into as UTF-8
    /// (`TextEncoder.encodeInto`), then [`Self::extract_staged`]: no JS copy of the text, no
    /// second copy into wasm. Bytes written by an earlier call stay (a longer stage keeps the
    /// start). The view is valid until the next call into wasm.
    #[wasm_bindgen]
    pub fn stage(&mut self, len: usize) -> Uint8Array {
        if self.staged.len() < len {
            self.staged.resize(len, 0);
        }
        // SAFETY: the view covers initialised bytes of `staged`, which is neither moved nor
        // freed until the next call into this extractor; the glue uses the view before that.
        unsafe { Uint8Array::view_mut_raw(self.staged.as_mut_ptr(), len) }
    }

    /// [`Self::extract_packed`] on the first `len` staged bytes (see [`Self::stage`]).
    #[wasm_bindgen(js_name = extractStaged)]
    pub fn extract_staged(&self, len: usize, options: JsValue) -> JsResult<JsValue> {
        let bytes = self
            .staged
            .get(..len)
            .ok_or_else(|| Error::invalid_option("text", "fewer bytes staged than given"))?;
        let (text, ascii) = crate::ioc::utf8_ascii(bytes)
            .map_err(|e| Error::invalid_option("text", format!("not UTF-8: {e}")))?;
        self.packed(text, Some(ascii), &options)
    }
}

impl JsIocExtractor {
    /// `ascii`: whether `text` is ASCII, when known.
    fn packed(&self, text: &str, ascii: Option<bool>, options: &JsValue) -> JsResult<JsValue> {
        let opts = extract_options(&self.inner, options, false)?;
        let mut found = self.inner.extract_found(text, &opts);
        let n = found.len();
        let (mut kinds, mut flags, mut chain_of) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        // One string for every rewritten value: one crossing into JS instead of one each.
        let mut values = String::new();
        let mut value_ends: Vec<u32> = Vec::new();
        let mut units = 0usize;
        // The distinct decoding chains (a handful), named once each.
        let mut chains: Vec<&[Decoding]> = Vec::new();
        for m in &found {
            kinds.push(kind_index(m.kind));
            // A value left in the text is the original itself. (Rewritten ones are not compared
            // with it: the text is out of cache by now, and an equal copy is still right.)
            let differs = m.value.is_some();
            flags.push(u8::from(m.defanged) | (u8::from(differs) << 1));
            if differs {
                let v = m.value(text);
                values.push_str(v);
                units += if v.is_ascii() {
                    v.len()
                } else {
                    v.encode_utf16().count()
                };
                value_ends.push(units as u32);
            }
            chain_of.push(if m.decoded.is_empty() {
                0
            } else {
                let k = chains
                    .iter()
                    .position(|c| *c == m.decoded.as_slice())
                    .unwrap_or_else(|| {
                        chains.push(&m.decoded);
                        chains.len() - 1
                    });
                (k + 1) as u16
            });
        }
        let chains: Vec<String> = chains
            .iter()
            .map(|c| c.iter().map(|d| d.name()).collect::<Vec<_>>().join(">"))
            .collect();
        let ascii = ascii.unwrap_or_else(|| text.is_ascii());
        to_utf16_unless(text, ascii, &mut found);
        let starts: Vec<u32> = found.iter().map(|m| m.start as u32).collect();
        let ends: Vec<u32> = found.iter().map(|m| m.end as u32).collect();
        let out = Object::new();
        let set = |k: &str, v: &JsValue| Reflect::set(&out, &k.into(), v);
        set("kinds", &Uint16Array::from(&kinds[..]).into())?;
        set("starts", &Uint32Array::from(&starts[..]).into())?;
        set("ends", &Uint32Array::from(&ends[..]).into())?;
        set("flags", &Uint8Array::from(&flags[..]).into())?;
        set("values", &values.into())?;
        set("valueEnds", &Uint32Array::from(&value_ends[..]).into())?;
        set("chainOf", &Uint16Array::from(&chain_of[..]).into())?;
        set(
            "chains",
            &chains
                .into_iter()
                .map(JsValue::from)
                .collect::<Array>()
                .into(),
        )?;
        Ok(out.into())
    }
}

#[wasm_bindgen(js_class = IocExtractor)]
impl JsIocExtractor {
    /// Indicators in table columns: `options = { columns, ...extract options }`.
    #[wasm_bindgen(js_name = extractFromTable)]
    pub fn extract_from_table(&self, table: JsValue, options: JsValue) -> JsResult<JsResultTable> {
        let table = table_from_js(&table)?;
        if options.is_undefined() || options.is_null() {
            return Err(Error::invalid_option(
                "columns",
                "name the columns to search: { columns: [\"CommandLine\"] }",
            )
            .into());
        }
        let opts = extract_options(&self.inner, &options, true)?;
        let columns = Options(&options).strings("columns")?.ok_or_else(|| {
            Error::invalid_option(
                "columns",
                "name the columns to search: { columns: [\"CommandLine\"] }",
            )
        })?;
        Ok(JsResultTable::new(self.inner.extract_table(
            &table,
            &columns,
            &opts,
            OffsetUnit::Utf16,
        )?))
    }
}

/// Built-ins by their position in `IocType::ALL`, then custom types (as in `types`).
fn kind_index(kind: IocKind) -> u16 {
    match kind {
        IocKind::Builtin(t) => t.index() as u16,
        IocKind::Custom(i) => IocType::ALL.len() as u16 + i,
    }
}

/// `text` with every defanged form made plain (`hxxp://evil[.]com` → `http://evil.com`).
#[wasm_bindgen]
pub fn refang(text: JsValue) -> JsResult<String> {
    Ok(refang_text(&text_arg(&text)?))
}

/// MSTICPy's `defang_ioc`: `evil.com` → `evil[.]com`, URLs get `hxxp`, emails `[AT]`.
#[wasm_bindgen]
pub fn defang(value: JsValue, ioc_type: Option<String>) -> JsResult<String> {
    let value = text_arg(&value)?;
    let kind =
        match ioc_type {
            None => None,
            Some(name) => Some(IocType::parse(&name).ok_or_else(|| {
                Error::invalid_option("type", format!("unknown IoC type `{name}`"))
            })?),
        };
    Ok(defang_value(&value, kind))
}
