//! Options objects, read the same way from every host.
//!
//! Each call's options are declared once, in the core, beside the struct they fill: a key list
//! (`KEYS`, which the TypeScript declarations are checked against) and a `read` function over
//! [`Options`]. A host (the wasm bindings, native tests with JSON) only implements
//! [`OptionSource`]: it lists an object's keys and hands over plain values. Unknown keys, wrong
//! types and out-of-range numbers are `invalid-option` errors naming the option, with a
//! "did you mean" hint for a typo.

use crate::{Error, Result};

/// One option's value, as the host hands it over.
pub enum Opt {
    /// Not given: missing, `undefined` or `null`.
    Absent,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    Text(String),
    /// A date (a JS `Date`), as milliseconds since the epoch.
    Date(f64),
    /// An array.
    List(Vec<Opt>),
    /// A plain object (a nested mapping such as a custom schema).
    Object(Box<dyn OptionSource>),
    /// Anything else (a table, a signal, a function), by the host's name for its type;
    /// options that take such values are read by the host itself.
    Other(String),
}

impl std::fmt::Debug for Opt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Opt::Absent => write!(f, "Absent"),
            Opt::Bool(b) => write!(f, "Bool({b})"),
            Opt::Number(x) => write!(f, "Number({x})"),
            Opt::Text(s) => write!(f, "Text({s:?})"),
            Opt::Date(ms) => write!(f, "Date({ms})"),
            Opt::List(l) => f.debug_tuple("List").field(l).finish(),
            Opt::Object(o) => write!(f, "Object({:?})", o.keys()),
            Opt::Other(t) => write!(f, "Other({t})"),
        }
    }
}

impl Opt {
    /// The host's name for the value's type, for error messages.
    pub fn type_name(&self) -> &str {
        match self {
            Opt::Absent => "undefined",
            Opt::Bool(_) => "boolean",
            Opt::Number(_) => "number",
            Opt::Text(_) => "string",
            Opt::Date(_) => "Date",
            Opt::List(_) => "array",
            Opt::Object(_) => "object",
            Opt::Other(t) => t,
        }
    }
}

/// An options object of some host.
pub trait OptionSource {
    /// The object's own keys.
    fn keys(&self) -> Vec<String>;
    /// The value at `key` ([`Opt::Absent`] when missing).
    fn get(&self, key: &str) -> Opt;
}

impl<T: OptionSource + ?Sized> OptionSource for &T {
    fn keys(&self) -> Vec<String> {
        (**self).keys()
    }

    fn get(&self, key: &str) -> Opt {
        (**self).get(key)
    }
}

/// No options given (`undefined` or `null` in JS).
pub struct NoOptions;

impl OptionSource for NoOptions {
    fn keys(&self) -> Vec<String> {
        Vec::new()
    }

    fn get(&self, _: &str) -> Opt {
        Opt::Absent
    }
}

/// Native hosts and tests: a JSON object (`null` is "not given").
impl OptionSource for serde_json::Map<String, serde_json::Value> {
    fn keys(&self) -> Vec<String> {
        self.keys().cloned().collect()
    }

    fn get(&self, key: &str) -> Opt {
        self.get(key).map_or(Opt::Absent, from_json)
    }
}

fn from_json(v: &serde_json::Value) -> Opt {
    use serde_json::Value as J;
    match v {
        J::Null => Opt::Absent,
        J::Bool(b) => Opt::Bool(*b),
        J::Number(n) => n.as_f64().map_or(Opt::Other("number".into()), Opt::Number),
        J::String(s) => Opt::Text(s.clone()),
        J::Array(a) => Opt::List(a.iter().map(from_json).collect()),
        J::Object(m) => Opt::Object(Box::new(m.clone())),
    }
}

/// Typed reads of an options object whose keys were checked against a call's key list.
pub struct Options<'a> {
    source: Box<dyn OptionSource + 'a>,
}

/// Fails with `invalid-option` if `source` has a key in none of the `known` lists (a call's
/// lists: `[MatrixOptions::KEYS, MatrixStyle::KEYS]`), suggesting the closest.
pub fn check_keys(source: &dyn OptionSource, known: &[&[&str]]) -> Result<()> {
    let known: Vec<&str> = known.iter().flat_map(|k| k.iter().copied()).collect();
    for key in source.keys() {
        if !known.contains(&key.as_str()) {
            let hint = crate::did_you_mean(&key, known.iter().copied(), || {
                format!("; known options: {}", known.join(", "))
            });
            return Err(Error::invalid_option(
                "options",
                format!("unknown option `{key}`{hint}"),
            ));
        }
    }
    Ok(())
}

impl<'a> Options<'a> {
    /// The options in `source`, every key of which must be in one of the `known` lists.
    pub fn new(source: impl OptionSource + 'a, known: &[&[&str]]) -> Result<Self> {
        check_keys(&source, known)?;
        Ok(Options {
            source: Box::new(source),
        })
    }

    /// No options: every read is "not given".
    pub fn none() -> Options<'static> {
        Options {
            source: Box::new(NoOptions),
        }
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Opt {
        self.source.get(name)
    }

    /// Whether `name` is given (neither missing nor `null`).
    pub fn has(&self, name: &str) -> bool {
        !matches!(self.get(name), Opt::Absent)
    }

    /// The error for option `name` holding `value` when `expected` was wanted.
    pub fn wrong(name: &'static str, value: &Opt, expected: &str) -> Error {
        let got = value.type_name();
        Error::invalid_option(name, format!("expected {expected}, got {got}"))
    }

    fn typed<T>(
        &self,
        name: &'static str,
        expected: &str,
        read: impl Fn(&Opt) -> Option<T>,
    ) -> Result<Option<T>> {
        match self.get(name) {
            Opt::Absent => Ok(None),
            v => read(&v)
                .map(Some)
                .ok_or_else(|| Self::wrong(name, &v, expected)),
        }
    }

    /// A string option.
    pub fn string(&self, name: &'static str) -> Result<Option<String>> {
        self.typed(name, "a string", |v| match v {
            Opt::Text(s) => Some(s.clone()),
            _ => None,
        })
    }

    /// A string or an array of strings (`types`, `columns`, `subscriptions`).
    pub fn strings(&self, name: &'static str) -> Result<Option<Vec<String>>> {
        match self.get(name) {
            Opt::Absent => Ok(None),
            Opt::Text(s) => Ok(Some(vec![s])),
            Opt::List(items) => items
                .into_iter()
                .map(|x| match x {
                    Opt::Text(s) => Ok(s),
                    x => Err(Self::wrong(name, &x, "a string in the array")),
                })
                .collect::<Result<Vec<_>>>()
                .map(Some),
            v => Err(Self::wrong(name, &v, "a string or an array of strings")),
        }
    }

    /// A number option.
    pub fn number(&self, name: &'static str) -> Result<Option<f64>> {
        self.typed(name, "a number", |v| match v {
            Opt::Number(x) => Some(*x),
            _ => None,
        })
    }

    /// A boolean option, `false` when not given.
    pub fn flag(&self, name: &'static str) -> Result<bool> {
        self.flag_or(name, false)
    }

    /// A boolean option, `default` when not given.
    pub fn flag_or(&self, name: &'static str, default: bool) -> Result<bool> {
        Ok(self
            .typed(name, "a boolean", |v| match v {
                Opt::Bool(b) => Some(*b),
                _ => None,
            })?
            .unwrap_or(default))
    }

    /// A positive finite number option.
    pub fn positive(&self, name: &'static str) -> Result<Option<f64>> {
        match self.number(name)? {
            Some(v) if !(v.is_finite() && v > 0.0) => Err(Error::invalid_option(
                name,
                format!("expected a positive number, got {v}"),
            )),
            v => Ok(v),
        }
    }

    /// A string option naming one of a set of values: `parse` reads it, `expected` lists them
    /// for the error (`"\"hex\", \"dec\" or \"guid\""`).
    pub fn word<T>(
        &self,
        name: &'static str,
        expected: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>> {
        match self.string(name)? {
            None => Ok(None),
            Some(w) => parse(&w).map(Some).ok_or_else(|| {
                Error::invalid_option(name, format!("expected {expected}, got {w:?}"))
            }),
        }
    }

    /// A time option: a date, ISO 8601 text or an epoch number (s, ms, µs or ns by size), as
    /// ns since the epoch.
    pub fn time(&self, name: &'static str) -> Result<Option<i64>> {
        match self.get(name) {
            Opt::Absent => Ok(None),
            v => time_of(name, &v).map(Some),
        }
    }

    /// A nested object option.
    pub fn object(&self, name: &'static str) -> Result<Option<Box<dyn OptionSource>>> {
        match self.get(name) {
            Opt::Absent => Ok(None),
            Opt::Object(o) => Ok(Some(o)),
            v => Err(Self::wrong(name, &v, "an object")),
        }
    }

    /// A whole-number option from 0 to `max`.
    pub fn small_int(&self, name: &'static str, max: u8) -> Result<Option<u8>> {
        match self.number(name)? {
            Some(n) if !(0.0..=f64::from(max)).contains(&n) || n.fract() != 0.0 => {
                Err(Error::invalid_option(
                    name,
                    format!("expected a whole number from 0 to {max}, got {n}"),
                ))
            }
            n => Ok(n.map(|n| n as u8)),
        }
    }
}

/// The time `v` (see [`Options::time`]) as ns since the epoch, else an error for `name`.
pub fn time_of(name: &'static str, v: &Opt) -> Result<i64> {
    use crate::table::Value;
    let value = match v {
        Opt::Date(ms) => Value::Date(*ms),
        Opt::Text(t) => Value::Text(t.clone()),
        Opt::Number(n) => Value::Number(*n),
        _ => Value::Null,
    };
    value.timestamp_ns().ok_or_else(|| {
        let shown = match v {
            Opt::Text(t) => format!("{t:?}"),
            v => v.type_name().to_owned(),
        };
        Error::invalid_option(
            name,
            format!("expected a Date, ISO 8601 text or an epoch number, got {shown}"),
        )
    })
}

/// A JSON object literal as an [`OptionSource`], for tests: `obj(json!({"x": 1}))`.
#[cfg(test)]
pub(crate) fn obj(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match v {
        serde_json::Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn keys_are_checked_with_a_hint() {
        let o = obj(json!({"logsize": true}));
        let err = Options::new(&o, &[&["logSize", "invert"]]).err().unwrap();
        assert_eq!(err.code(), "invalid-option");
        assert!(err.to_string().contains("did you mean `logSize`?"), "{err}");
        let o = obj(json!({"zzzzzz": 1}));
        let err = Options::new(&o, &[&["a"], &["b"]]).err().unwrap();
        assert!(err.to_string().contains("known options: a, b"), "{err}");
    }

    #[test]
    fn typed_reads_name_the_option() {
        let o = obj(json!({"s": "x", "n": 2, "b": true, "l": ["a", "b"], "bad": {}, "nul": null}));
        let o = Options::new(&o, &[&["s", "n", "b", "l", "bad", "nul"]]).unwrap();
        assert_eq!(o.string("s").unwrap().as_deref(), Some("x"));
        assert_eq!(o.strings("s").unwrap(), Some(vec!["x".to_owned()]));
        assert_eq!(o.strings("l").unwrap().unwrap().len(), 2);
        assert_eq!(o.number("n").unwrap(), Some(2.0));
        assert!(o.flag("b").unwrap() && !o.flag("nul").unwrap());
        assert!(o.flag_or("missing", true).unwrap());
        assert_eq!(o.small_int("n", 8).unwrap(), Some(2));
        assert!(o.small_int("n", 1).is_err());
        let err = o.number("bad").unwrap_err().to_string();
        assert!(
            err.contains("`bad`") && err.contains("expected a number, got object"),
            "{err}"
        );
        assert!(o.string("n").is_err() && o.strings("n").is_err());
        assert!(!o.has("nul") && o.has("bad"));
        assert!(o.object("bad").unwrap().is_some() && o.object("n").is_err());
        assert_eq!(o.positive("n").unwrap(), Some(2.0));
        let o = obj(json!({"w": "dec", "z": -1, "t": "2024-01-02T03:04:05Z", "e": 1700000000}));
        let o = Options::new(&o, &[&["w", "z", "t", "e"]]).unwrap();
        let word = |w: &str| (w == "hex" || w == "dec").then_some(w.len());
        assert_eq!(o.word("w", "\"hex\" or \"dec\"", word).unwrap(), Some(3));
        assert!(
            o.positive("z")
                .unwrap_err()
                .to_string()
                .contains("positive")
        );
        assert_eq!(o.time("t").unwrap(), Some(1_704_164_645_000_000_000));
        assert_eq!(o.time("e").unwrap(), Some(1_700_000_000_000_000_000));
        let err = o.time("w").unwrap_err().to_string();
        assert!(err.contains("ISO 8601") && err.contains("\"dec\""), "{err}");
        let o = obj(json!({"w": "oct"}));
        let err = Options::new(&o, &[&["w"]])
            .unwrap()
            .word("w", "\"hex\"", word)
            .unwrap_err();
        assert!(
            err.to_string().contains("expected \"hex\", got \"oct\""),
            "{err}"
        );
    }
}
