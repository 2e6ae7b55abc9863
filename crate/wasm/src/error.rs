//! huntkit's [`Error`] → JS `Error`, and typed reads of options objects.

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use huntkit::Error;
use huntkit::options::{Opt, OptionSource, Options};

/// What every export returns.
pub type JsResult<T> = Result<T, Thrown>;

/// What an export throws: a huntkit [`Error`] made a JS `Error`, or a JS exception passed on.
/// (A type of this crate, so that `?` converts huntkit errors: `From<Error> for JsValue` would
/// implement a foreign trait for a foreign type.)
pub struct Thrown(JsValue);

impl std::fmt::Debug for Thrown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Thrown({:?})", self.0)
    }
}

impl From<Thrown> for JsValue {
    fn from(thrown: Thrown) -> JsValue {
        thrown.0
    }
}

impl From<JsValue> for Thrown {
    fn from(value: JsValue) -> Thrown {
        Thrown(value)
    }
}

impl From<serde_wasm_bindgen::Error> for Thrown {
    fn from(err: serde_wasm_bindgen::Error) -> Thrown {
        Thrown(err.into())
    }
}

impl From<Error> for Thrown {
    /// A JS `Error` with `name = "HuntkitError"`, the message, and `code` (e.g.
    /// `"missing-column"`), so callers can branch on `err.code`.
    fn from(err: Error) -> Thrown {
        let js = js_sys::Error::new(&err.to_string());
        js.set_name("HuntkitError");
        // Reflect.set on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&js, &"code".into(), &err.code().into());
        if let huntkit::ErrorKind::Http {
            status,
            code,
            request_id,
            ..
        } = err.kind()
        {
            let _ = js_sys::Reflect::set(&js, &"status".into(), &(*status).into());
            if let Some(c) = code {
                let _ = js_sys::Reflect::set(&js, &"azureCode".into(), &c.as_str().into());
            }
            if let Some(id) = request_id {
                let _ = js_sys::Reflect::set(&js, &"requestId".into(), &id.as_str().into());
            }
        }
        if let Some((needed, available)) = err.memory_figures() {
            let _ = js_sys::Reflect::set(&js, &"needed".into(), &(needed as f64).into());
            let _ = js_sys::Reflect::set(&js, &"available".into(), &(available as f64).into());
        }
        Thrown(js.into())
    }
}

/// A JS options object as the core reads it ([`OptionSource`]): plain values are handed over,
/// anything else by its `typeof` (options taking tables or signals read them with [`raw`]).
pub struct JsSource(pub JsValue);

impl OptionSource for JsSource {
    fn keys(&self) -> Vec<String> {
        js_sys::Object::keys(self.0.unchecked_ref::<js_sys::Object>())
            .iter()
            .filter_map(|k| k.as_string())
            .collect()
    }

    fn get(&self, key: &str) -> Opt {
        opt_of(&raw(&self.0, key))
    }
}

/// A JS value as an option value.
pub fn opt_of(v: &JsValue) -> Opt {
    if v.is_undefined() || v.is_null() {
        Opt::Absent
    } else if let Some(b) = v.as_bool() {
        Opt::Bool(b)
    } else if let Some(x) = v.as_f64() {
        Opt::Number(x)
    } else if let Some(s) = v.as_string() {
        Opt::Text(s)
    } else if let Some(a) = v.dyn_ref::<Array>() {
        Opt::List(a.iter().map(|x| opt_of(&x)).collect())
    } else if let Some(d) = v.dyn_ref::<js_sys::Date>() {
        Opt::Date(d.get_time())
    } else if is_plain_object(v) {
        Opt::Object(Box::new(JsSource(v.clone())))
    } else {
        Opt::Other(v.js_typeof().as_string().unwrap_or_default())
    }
}

/// Whether `v` is a plain object (`{…}` of any realm, or one without a prototype), not a
/// class instance such as a table, a typed array or an `AbortSignal`.
pub fn is_plain_object(v: &JsValue) -> bool {
    if !v.is_object() || v.is_function() || v.is_array() {
        return false;
    }
    let proto = js_sys::Object::get_prototype_of(v);
    proto.is_null() || js_sys::Object::get_prototype_of(&proto).is_null()
}

/// The value at `key` of a JS object (`undefined` when missing or not an object).
pub fn raw(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The options object `value` (`undefined`/`null`: none), whose keys must be in one of the
/// `known` lists.
pub fn read_options(value: &JsValue, known: &[&[&str]]) -> JsResult<Options<'static>> {
    if value.is_undefined() || value.is_null() {
        return Ok(Options::none());
    }
    if !value.is_object() || Array::is_array(value) {
        return Err(Error::invalid_option("options", "expected an object").into());
    }
    Ok(Options::new(JsSource(value.clone()), known)?)
}

/// Serialises a result for JS: plain objects (not `Map`s) and `null` (not `undefined`) for
/// missing values.
pub fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}
