//! What the targets share: a reader over the fuzzer's bytes, and small tables built from them.

#![allow(dead_code)]

use huntkit::table::{Table, Value};

/// The fuzzer's bytes, read a piece at a time (zeros once they run out).
pub struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data, at: 0 }
    }

    pub fn u8(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    pub fn flag(&mut self) -> bool {
        self.u8() & 1 == 1
    }

    /// What is left, as text (invalid UTF-8 replaced).
    pub fn rest_text(&self) -> String {
        String::from_utf8_lossy(self.data.get(self.at..).unwrap_or_default()).into_owned()
    }

    pub fn is_empty(&self) -> bool {
        self.at >= self.data.len()
    }
}

/// Cell values the tables are made of: the shapes real process and flow logs have (names,
/// paths, PIDs in hex and decimal, times in several formats, GUIDs, nulls) and a few odd ones.
const WORDS: &[&str] = &[
    "",
    "cmd.exe",
    "C:\\Windows\\System32\\cmd.exe",
    "C:\\Windows\\explorer.exe",
    "/bin/bash",
    "0x1a4",
    "0x1A4",
    "420",
    "4",
    "0",
    "-1",
    "18446744073709551616",
    "2024-01-01T10:00:00Z",
    "2024-01-01 10:00:01.123456",
    "1/2/2024 3:04:05 PM",
    "1704103200",
    "133485768000000000",
    "not a time",
    "{0C1F7D3E-0000-0000-0000-000000000001}",
    "{0c1f7d3e-0000-0000-0000-000000000001}",
    "host1",
    "HOST1",
    "4688",
    "1",
    "ProcessCreated",
    "SYSCALL_EXECVE",
    "alice",
    "é",
    "\u{0}",
];

/// A cell from one byte: a word, a number, a boolean or null.
pub fn cell(b: u8) -> Value {
    match b % 40 {
        n if (n as usize) < WORDS.len() => Value::Text(WORDS[n as usize].to_owned()),
        30 => Value::Null,
        31 => Value::Number(f64::from(b)),
        32 => Value::Number(f64::NAN),
        33 => Value::Int(i64::from(b) - 128),
        34 => Value::Bool(b & 64 != 0),
        35 => Value::Date(f64::from(b) * 1e9),
        36 => Value::Number(1.7e9 + f64::from(b)),
        _ => Value::Int(i64::from(b) * 100_000_000_000),
    }
}

/// A table with `names` as columns and at most 64 rows, cells from the bytes.
pub fn table(bytes: &mut Bytes<'_>, names: &[&str]) -> Option<Table> {
    let rows = usize::from(bytes.u8() % 65);
    let mut columns: Vec<Vec<Value>> = vec![Vec::with_capacity(rows); names.len()];
    for _ in 0..rows {
        for col in &mut columns {
            col.push(cell(bytes.u8()));
        }
    }
    Table::from_rows(names.iter().map(|s| (*s).to_owned()).collect(), columns).ok()
}
