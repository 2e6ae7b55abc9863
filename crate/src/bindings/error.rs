//! crate [`Error`] → JS `Error`.

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
        js.into()
    }
}

/// An `invalid-option` error for an options object serde could not read.
pub fn options_error(err: serde_wasm_bindgen::Error) -> JsValue {
    Error::invalid_option("options", err.to_string()).into()
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
            let hint = crate::closest(&key, known.iter().copied())
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_else(|| format!("; known options: {}", known.join(", ")));
            return Err(
                Error::invalid_option("options", format!("unknown option `{key}`{hint}")).into(),
            );
        }
    }
    Ok(())
}
