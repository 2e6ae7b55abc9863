//! The crate's error type: an opaque [`Error`] with a documented [`ErrorKind`] and a stable
//! [`Error::code`] that the JS bindings copy onto the thrown `Error` as `err.code`.
//!
//! Messages are lowercase, name the input at fault and say what was expected, e.g.
//! "column `Bytes` has type Utf8, expected a number (valueCol)".

use std::fmt;

/// A huntkit error. Match on [`Error::kind`] or branch on the stable [`Error::code`].
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A column the call needs is not in the table.
    MissingColumn {
        /// The column that was asked for.
        column: String,
        /// What the option naming it is called (`x`, `valueCol`, …).
        role: &'static str,
        /// The columns the table does have.
        available: Vec<String>,
    },
    /// A column exists but its type cannot be used for this role.
    ColumnType {
        /// The column at fault.
        column: String,
        /// What the option naming it is called.
        role: &'static str,
        /// Its Arrow type, as text.
        found: String,
        /// What the role needs.
        expected: &'static str,
    },
    /// An option has a value that is not allowed.
    InvalidOption {
        /// The option's name, as JS callers write it.
        option: &'static str,
        /// Why it is rejected.
        message: String,
    },
    /// The input table could not be read (bad IPC bytes, bad row objects).
    InvalidTable {
        /// What is wrong with it.
        message: String,
    },
    /// An Arrow error while building or writing a table.
    Arrow(Box<arrow_schema::ArrowError>),
    /// An Azure API answered with an error (HTTP status ≥ 400, or a partial result the caller
    /// asked to fail on).
    Http {
        /// Which API (`Log Analytics`, `Resource Graph`, …).
        api: &'static str,
        /// The HTTP status.
        status: u16,
        /// The service's error code (`BadArgumentError`, `AuthorizationFailed`, …).
        code: Option<String>,
        /// The service's message, with inner errors.
        message: String,
        /// The request or correlation id, for a support ticket.
        request_id: Option<String>,
    },
    /// The request never got an answer: network down, host unknown, or blocked by CORS.
    Network {
        /// What happened and what to do.
        message: String,
    },
    /// No answer within the timeout.
    Timeout {
        /// Which API.
        api: &'static str,
        /// The timeout, in seconds.
        seconds: f64,
    },
    /// The caller cancelled the call.
    Cancelled,
    /// The input is larger than the memory huntkit may use (see [`crate::memory`]).
    TooLarge {
        /// The call (`matrix`, `buildProcessTree`, …) or the column being read.
        what: String,
        /// What the input is counted in (`rows`, `bytes of text`).
        unit: &'static str,
        /// The input's size, in `unit`.
        units: u64,
        /// Bytes the call would need.
        needed: u64,
        /// Bytes it may use.
        available: u64,
        /// The limit (the address space, or the host's).
        limit: u64,
        /// About how many `unit` would fit.
        fits: u64,
    },
    /// A configuration (cloud, endpoints, msticpyconfig) that cannot be used.
    Config {
        /// What is wrong and how to fix it.
        message: String,
    },
}

/// `Result` with huntkit's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The kind of error.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// A stable, kebab-case name of the kind, for programs to branch on.
    pub fn code(&self) -> &'static str {
        match self.kind {
            ErrorKind::MissingColumn { .. } => "missing-column",
            ErrorKind::ColumnType { .. } => "column-type",
            ErrorKind::InvalidOption { .. } => "invalid-option",
            ErrorKind::InvalidTable { .. } => "invalid-table",
            ErrorKind::Arrow(_) => "arrow",
            ErrorKind::Http { .. } => "http",
            ErrorKind::Network { .. } => "network",
            ErrorKind::Timeout { .. } => "timeout",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Config { .. } => "invalid-config",
            ErrorKind::TooLarge { .. } => "too-large",
        }
    }

    /// A `missing-column` error: `column` (in the role `role`, e.g. "x") is not among `available`.
    pub fn missing_column(column: &str, role: &'static str, available: Vec<String>) -> Self {
        ErrorKind::MissingColumn {
            column: column.to_owned(),
            role,
            available,
        }
        .into()
    }

    /// A `column-type` error: `column` holds `found`, `expected` was wanted.
    pub fn column_type(
        column: &str,
        role: &'static str,
        found: &arrow_schema::DataType,
        expected: &'static str,
    ) -> Self {
        ErrorKind::ColumnType {
            column: column.to_owned(),
            role,
            found: found.to_string(),
            expected,
        }
        .into()
    }

    /// An `invalid-option` error naming the option.
    pub fn invalid_option(option: &'static str, message: impl Into<String>) -> Self {
        ErrorKind::InvalidOption {
            option,
            message: message.into(),
        }
        .into()
    }

    pub(crate) fn kind_mut(&mut self) -> &mut ErrorKind {
        &mut self.kind
    }

    /// An `invalid-config` error.
    pub fn config(message: impl Into<String>) -> Self {
        ErrorKind::Config {
            message: message.into(),
        }
        .into()
    }

    /// An `invalid-table` error: the bytes or rows are not a table.
    pub fn invalid_table(message: impl Into<String>) -> Self {
        ErrorKind::InvalidTable {
            message: message.into(),
        }
        .into()
    }
}

/// The candidate closest to `name` by edit distance (case-insensitive), if it is close enough
/// to be a plausible typo (at most a third of the name's length, at least 2).
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let name = name.to_lowercase();
    let limit = (name.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&name, &c.to_lowercase()), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// The hint an error about `name` ends with: "; did you mean `x`?" for the closest of
/// `candidates` ([`closest`]), else `otherwise` (which may be empty).
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    otherwise: impl FnOnce() -> String,
) -> String {
    closest(name, candidates).map_or_else(otherwise, |c| format!("; did you mean `{c}`?"))
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error { kind }
    }
}

impl From<arrow_schema::ArrowError> for Error {
    fn from(err: arrow_schema::ArrowError) -> Self {
        ErrorKind::Arrow(Box::new(err)).into()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::MissingColumn {
                column,
                role,
                available,
            } => {
                write!(f, "column `{column}` ({role}) is not in the table")?;
                if available.is_empty() {
                    write!(f, ", which has no columns")
                } else {
                    write!(f, "; its columns are: {}", available.join(", "))
                }
            }
            ErrorKind::ColumnType {
                column,
                role,
                found,
                expected,
            } => write!(
                f,
                "column `{column}` ({role}) has type {found}, expected {expected}"
            ),
            ErrorKind::InvalidOption { option, message } => {
                write!(f, "option `{option}`: {message}")
            }
            ErrorKind::InvalidTable { message } => write!(f, "invalid table: {message}"),
            ErrorKind::Arrow(err) => write!(f, "arrow: {err}"),
            ErrorKind::Http {
                api,
                status,
                code,
                message,
                request_id,
            } => {
                write!(f, "{api}: HTTP {status}")?;
                if let Some(code) = code {
                    write!(f, " {code}")?;
                }
                write!(f, ": {message}")?;
                if let Some(id) = request_id {
                    write!(f, " (request id {id})")?;
                }
                Ok(())
            }
            ErrorKind::Network { message } => f.write_str(message),
            ErrorKind::Timeout { api, seconds } => {
                write!(
                    f,
                    "{api}: no answer within {seconds} s (the call timed out)"
                )
            }
            ErrorKind::Cancelled => f.write_str("the call was cancelled"),
            ErrorKind::Config { message } => write!(f, "configuration: {message}"),
            ErrorKind::TooLarge {
                what,
                unit,
                units,
                needed,
                available,
                limit,
                fits,
            } => {
                use crate::memory::{grouped, human, is_address_space};
                let (whose, hint) = if is_address_space(*limit) {
                    ("wasm32 addresses", "")
                } else {
                    ("the limit set is", " or raise the limit")
                };
                write!(
                    f,
                    "{what}: {} {unit} need about {} of memory, more than the {} available \
                     ({whose} {}); about {} {unit} like these fit. Pass less at once (a \
                     shorter time range, fewer hosts, a shorter text){hint}",
                    grouped(*units),
                    human(*needed),
                    human(*available),
                    human(*limit),
                    grouped(*fits),
                )
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Arrow(err) => Some(err.as_ref()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names() {
        let opts = ["x", "y", "valueCol", "distCount", "logSize"];
        assert_eq!(closest("vlaueCol", opts), Some("valueCol"));
        assert_eq!(closest("logsize", opts), Some("logSize"));
        assert_eq!(closest("colour", opts), None);
    }

    #[test]
    fn messages_name_the_input() {
        let err = Error::missing_column("Nope", "x", vec!["a".into(), "b".into()]);
        assert_eq!(err.code(), "missing-column");
        assert_eq!(
            err.to_string(),
            "column `Nope` (x) is not in the table; its columns are: a, b"
        );
        let err = Error::column_type(
            "Bytes",
            "valueCol",
            &arrow_schema::DataType::Utf8,
            "a number",
        );
        assert_eq!(err.code(), "column-type");
        assert_eq!(
            err.to_string(),
            "column `Bytes` (valueCol) has type Utf8, expected a number"
        );
    }
}
