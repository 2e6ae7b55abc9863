//! crate [`Error`] → JS `Error`.

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use crate::Error;

/// What every export returns.
pub type JsResult<T> = Result<T, JsValue>;

impl From<Error> for JsValue {
    /// A JS `Error` with `name = "HuntkitError"`, the message, and `code` (e.g.
    /// `"missing-column"`), so callers can branch on `err.code`.
    fn from(err: Error) -> JsValue {
        let js = js_sys::Error::new(&err.to_string());
        js.set_name("HuntkitError");
        // Reflect.set on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&js, &"code".into(), &err.code().into());
        if let crate::ErrorKind::Http {
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
        js.into()
    }
}

/// Typed reads of an options object's fields; a wrong type is an `invalid-option` error
/// naming the option, and `null`/`undefined` mean "not given".
pub struct Options<'a>(pub &'a JsValue);

impl Options<'_> {
    /// The raw value of `name`.
    pub fn get(&self, name: &str) -> JsResult<JsValue> {
        js_sys::Reflect::get(self.0, &JsValue::from_str(name))
    }

    /// The error for option `name` holding `value` when `expected` was wanted.
    pub fn wrong(&self, name: &'static str, value: &JsValue, expected: &str) -> JsValue {
        let got = value.js_typeof().as_string().unwrap_or_default();
        Error::invalid_option(name, format!("expected {expected}, got {got}")).into()
    }

    fn typed<T>(
        &self,
        name: &'static str,
        expected: &str,
        read: impl Fn(&JsValue) -> Option<T>,
    ) -> JsResult<Option<T>> {
        let v = self.get(name)?;
        if v.is_undefined() || v.is_null() {
            return Ok(None);
        }
        read(&v)
            .map(Some)
            .ok_or_else(|| self.wrong(name, &v, expected))
    }

    /// A string option.
    pub fn string(&self, name: &'static str) -> JsResult<Option<String>> {
        self.typed(name, "a string", JsValue::as_string)
    }

    /// A string or an array of strings (`types`, `columns`, `subscriptions`).
    pub fn strings(&self, name: &'static str) -> JsResult<Option<Vec<String>>> {
        let o = self;
        let v = self.get(name)?;
        if v.is_undefined() || v.is_null() {
            return Ok(None);
        }
        if let Some(s) = v.as_string() {
            return Ok(Some(vec![s]));
        }
        if let Some(arr) = v.dyn_ref::<Array>() {
            return arr
                .iter()
                .map(|x| {
                    x.as_string()
                        .ok_or_else(|| o.wrong(name, &x, "a string in the array"))
                })
                .collect::<JsResult<Vec<_>>>()
                .map(Some);
        }
        Err(o.wrong(name, &v, "a string or an array of strings"))
    }

    /// A boolean option, `false` when not given.
    pub fn flag(&self, name: &'static str) -> JsResult<bool> {
        self.flag_or(name, false)
    }

    /// A number option.
    pub fn number(&self, name: &'static str) -> JsResult<Option<f64>> {
        self.typed(name, "a number", JsValue::as_f64)
    }

    /// A boolean option, `default` when not given.
    pub fn flag_or(&self, name: &'static str, default: bool) -> JsResult<bool> {
        Ok(self
            .typed(name, "a boolean", JsValue::as_bool)?
            .unwrap_or(default))
    }

    /// A whole-number option from 0 to `max`.
    pub fn small_int(&self, name: &'static str, max: u8) -> JsResult<Option<u8>> {
        match self.number(name)? {
            Some(n) if !(0.0..=f64::from(max)).contains(&n) || n.fract() != 0.0 => {
                Err(Error::invalid_option(
                    name,
                    format!("expected a whole number from 0 to {max}, got {n}"),
                )
                .into())
            }
            n => Ok(n.map(|n| n as u8)),
        }
    }
}

/// Fails with `invalid-option` if the options object has a key not in `known`, suggesting the
/// closest known key.
pub fn check_keys(options: &JsValue, known: &[&str]) -> JsResult<()> {
    if !options.is_object() {
        return Err(Error::invalid_option("options", "expected an object").into());
    }
    for key in js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if !known.contains(&key.as_str()) {
            let hint = crate::did_you_mean(&key, known.iter().copied(), || {
                format!("; known options: {}", known.join(", "))
            });
            return Err(
                Error::invalid_option("options", format!("unknown option `{key}`{hint}")).into(),
            );
        }
    }
    Ok(())
}

/// Serialises a result for JS: plain objects (not `Map`s) and `null` (not `undefined`) for
/// missing values.
pub fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}
