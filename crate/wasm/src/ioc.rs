//! `IocExtractor` (the class behind `extractIocs`, `extractIocsFromTable` and custom types),
//! `refang` and `defang`.

use js_sys::{Array, Object, Reflect, Uint8Array, Uint16Array, Uint32Array};
use wasm_bindgen::prelude::*;

use super::error::{JsResult, read_options};
use super::keys;
use super::table::{JsResultTable, table_from_js};
use huntkit::Error;
use huntkit::ioc::{
    ExtractOptions, IocExtractor, OffsetUnit, Packed, defang_named, refang as refang_text,
};

/// The options of a text extraction.
fn extract_options(x: &IocExtractor, options: &JsValue) -> JsResult<ExtractOptions> {
    let o = read_options(options, keys::EXTRACT)?;
    Ok(ExtractOptions::read(&o, x)?)
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
        let o = read_options(&options, keys::IOC_TYPE)?;
        self.inner.add_type_with(&name, &regex, &o)?;
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

    /// The matches in columns (the JS glue builds the objects): [`Packed`] with typed arrays,
    /// `{ kinds, starts, ends, flags, values, valueEnds, chainOf, chains }`.
    #[wasm_bindgen(js_name = extractPacked)]
    pub fn extract_packed(&self, text: JsValue, options: JsValue) -> JsResult<JsValue> {
        let text = text_arg(&text)?;
        let opts = extract_options(&self.inner, &options)?;
        packed_to_js(self.inner.extract_packed(&text, None, &opts)?)
    }

    /// A view of `len` bytes of wasm memory for the glue to write a long text into as UTF-8
    /// (`TextEncoder.encodeInto`), then [`Self::extract_staged`]: no JS copy of the text, no
    /// second copy into wasm. Bytes written by an earlier call stay (a longer stage keeps the
    /// start). The view is valid until the next call into wasm.
    /// A `too-large` error when the bytes cannot be copied in.
    #[wasm_bindgen]
    pub fn stage(&mut self, len: usize) -> JsResult<Uint8Array> {
        IocExtractor::check_staging(len.saturating_sub(self.staged.len()))?;
        if self.staged.len() < len {
            self.staged.resize(len, 0);
        }
        // SAFETY: the view covers initialised bytes of `staged`, which is neither moved nor
        // freed until the next call into this extractor; the glue uses the view before that.
        Ok(unsafe { Uint8Array::view_mut_raw(self.staged.as_mut_ptr(), len) })
    }

    /// [`Self::extract_packed`] on the first `len` staged bytes (see [`Self::stage`]). A stage
    /// over 16 MiB is freed after.
    #[wasm_bindgen(js_name = extractStaged)]
    pub fn extract_staged(&mut self, len: usize, options: JsValue) -> JsResult<JsValue> {
        let bytes = self
            .staged
            .get(..len)
            .ok_or_else(|| Error::invalid_option("text", "fewer bytes staged than given"))?;
        let opts = extract_options(&self.inner, &options);
        let packed = opts.and_then(|o| Ok(self.inner.extract_packed_bytes(bytes, &o)?));
        if self.staged.len() > 16 << 20 {
            self.staged = Vec::new();
        }
        packed_to_js(packed?)
    }
}

/// [`Packed`] as a JS object of typed arrays.
fn packed_to_js(p: Packed) -> JsResult<JsValue> {
    let out = Object::new();
    let set = |k: &str, v: &JsValue| Reflect::set(&out, &k.into(), v);
    set("kinds", &Uint16Array::from(&p.kinds[..]).into())?;
    set("starts", &Uint32Array::from(&p.starts[..]).into())?;
    set("ends", &Uint32Array::from(&p.ends[..]).into())?;
    set("flags", &Uint8Array::from(&p.flags[..]).into())?;
    set("values", &p.values.into())?;
    set("valueEnds", &Uint32Array::from(&p.value_ends[..]).into())?;
    set("chainOf", &Uint16Array::from(&p.chain_of[..]).into())?;
    let chains: Array = p.chains.into_iter().map(JsValue::from).collect();
    set("chains", &chains.into())?;
    Ok(out.into())
}

#[wasm_bindgen(js_class = IocExtractor)]
impl JsIocExtractor {
    /// Indicators in table columns: `options = { columns, ...extract options }`.
    #[wasm_bindgen(js_name = extractFromTable)]
    pub fn extract_from_table(&self, table: JsValue, options: JsValue) -> JsResult<JsResultTable> {
        let table = table_from_js(&table)?;
        let o = read_options(&options, keys::EXTRACT_TABLE)?;
        let (columns, opts) = ExtractOptions::read_table(&o, &self.inner)?;
        Ok(JsResultTable::new(self.inner.extract_table(
            &table,
            &columns,
            &opts,
            OffsetUnit::Utf16,
        )?))
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
    Ok(defang_named(&text_arg(&value)?, ioc_type.as_deref())?)
}
