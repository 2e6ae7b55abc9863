//! Text rendering of a tree: MSTICPy's `tree_to_text`, including an exact port of
//! Python's `textwrap.wrap`, because the layout (and MSTICPy's line-count test) depends on
//! where Python breaks lines.

use super::ProcessTree;
use crate::error::Result;
use crate::table::{Table, text_values};

/// Python's `str()` of a pandas UTC timestamp: `2019-02-09 20:04:38.017000+00:00`, with 6
/// fraction digits when there are microseconds, 9 with nanoseconds, none otherwise.
fn python_time(ns: i64) -> String {
    let secs = ns.div_euclid(1_000_000_000);
    let frac = ns.rem_euclid(1_000_000_000);
    let (y, m, d) = crate::table::time::civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    let base = format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        s / 3600,
        s % 3600 / 60,
        s % 60
    );
    let fraction = if frac == 0 {
        String::new()
    } else if frac % 1000 == 0 {
        format!(".{:06}", frac / 1000)
    } else {
        format!(".{frac:09}")
    };
    format!("{base}{fraction}+00:00")
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Python's `[^\d\W]`: word characters that are not digits.
fn is_letter(c: char) -> bool {
    is_word(c) && !c.is_numeric()
}

/// Python's `[\w!"'&.,?]`.
fn is_word_punct(c: char) -> bool {
    is_word(c) || "!\"'&.,?".contains(c)
}

/// `TextWrapper._split` with `break_on_hyphens=True`: the chunks of `textwrap`'s `wordsep_re`
/// (whitespace runs, em-dashes, words split after hyphens between letters).
fn chunks(text: &[char]) -> Vec<String> {
    let n = text.len();
    let at = |i: usize| text.get(i).copied();
    let letter_at = |i: Option<usize>| i.and_then(at).is_some_and(is_letter);
    let em_dash_at = |i: usize| {
        // `-{2,}(?=\w)` starting at i.
        let run = text[i..].iter().take_while(|&&c| c == '-').count();
        run >= 2 && at(i + run).is_some_and(is_word)
    };
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < n {
        if text[pos] == ' ' {
            let end = pos + text[pos..].iter().take_while(|&&c| c == ' ').count();
            out.push(text[pos..end].iter().collect());
            pos = end;
            continue;
        }
        if text[pos] == '-' && pos > 0 && is_word_punct(text[pos - 1]) && em_dash_at(pos) {
            let end = pos + text[pos..].iter().take_while(|&&c| c == '-').count();
            out.push(text[pos..end].iter().collect());
            pos = end;
            continue;
        }
        // A lazy run of non-space characters, ended at the first place where one of the
        // regex's endings holds.
        let mut end = pos + 1;
        loop {
            if end >= n || text[end] == ' ' {
                break; // end of word
            }
            let hyphen_break = text[end - 1] == '-'
                && end - 1 > pos
                && ((letter_at(end.checked_sub(3)) && letter_at(end.checked_sub(2)))
                    || (letter_at(end.checked_sub(4))
                        && end.checked_sub(3).and_then(at) == Some('-')
                        && letter_at(end.checked_sub(2))))
                && letter_at(Some(end))
                && (letter_at(Some(end + 1))
                    || (at(end + 1) == Some('-') && letter_at(Some(end + 2))));
            if hyphen_break || (is_word_punct(text[end - 1]) && em_dash_at(end)) {
                break;
            }
            end += 1;
        }
        out.push(text[pos..end].iter().collect());
        pos = end;
    }
    out
}

/// Python's `textwrap.wrap(text, width, initial_indent=…, subsequent_indent=…)` with the
/// default options (tabs expanded to 8, whitespace replaced, long words broken, whitespace
/// dropped at line ends, breaks after hyphens).
pub fn python_wrap(text: &str, width: usize, initial: &str, subsequent: &str) -> Vec<String> {
    let mut munged = String::new();
    let mut col = 0;
    for c in text.chars() {
        if c == '\t' {
            let spaces = 8 - col % 8;
            munged.extend(std::iter::repeat_n(' ', spaces));
            col += spaces;
        } else {
            munged.push(if "\n\x0b\x0c\r".contains(c) { ' ' } else { c });
            col = if c == '\n' || c == '\r' { 0 } else { col + 1 };
        }
    }
    let chars: Vec<char> = munged.chars().collect();
    let mut pending: Vec<Vec<char>> = chunks(&chars)
        .iter()
        .rev()
        .map(|c| c.chars().collect())
        .collect();
    let blank = |c: &[char]| c.iter().all(|&ch| ch == ' ');
    let mut lines: Vec<String> = Vec::new();
    while !pending.is_empty() {
        let indent = if lines.is_empty() {
            initial
        } else {
            subsequent
        };
        let avail = width as isize - indent.chars().count() as isize;
        if pending.last().is_some_and(|c| blank(c)) && !lines.is_empty() {
            pending.pop();
        }
        let mut line: Vec<Vec<char>> = Vec::new();
        let mut len: isize = 0;
        while let Some(c) = pending.last() {
            if len + c.len() as isize <= avail {
                len += c.len() as isize;
                line.push(pending.pop().unwrap_or_default());
            } else {
                break;
            }
        }
        if pending.last().is_some_and(|c| c.len() as isize > avail) {
            // _handle_long_word
            let space_left = if avail < 1 { 1 } else { (avail - len) as usize };
            if let Some(chunk) = pending.last_mut() {
                let mut end = space_left;
                if chunk.len() > space_left
                    && let Some(h) = chunk[..space_left.min(chunk.len())]
                        .iter()
                        .rposition(|&c| c == '-')
                    && h > 0
                    && chunk[..h].iter().any(|&c| c != '-')
                {
                    end = h + 1;
                }
                let end = end.min(chunk.len());
                line.push(chunk[..end].to_vec());
                chunk.drain(..end);
                if chunk.is_empty() {
                    pending.pop();
                }
            }
        }
        if line.last().is_some_and(|c| blank(c)) {
            line.pop();
        }
        if !line.is_empty() {
            let body: String = line.iter().flatten().collect();
            lines.push(format!("{indent}{body}"));
        }
    }
    lines
}

impl ProcessTree {
    /// MSTICPy's `tree_to_text`: one block per process in tree order (`+ ` marks a root,
    /// `+-- ` a child, indented by depth), with the lines `Process: … PID: …`, `Time: …`,
    /// `Cmdline: …` (when the schema has a command line) and `Account: <user id>  Account:
    /// <logon id>` (whichever the schema has), wrapped at `width` columns as Python's
    /// `textwrap` does. Missing values print as `nan`, times as pandas prints them.
    pub fn to_text(&self, input: &Table, width: usize) -> Result<String> {
        let schema = self.schema();
        let column = |name: &Option<String>| -> Result<Option<Vec<Option<String>>>> {
            match name {
                Some(c) if input.schema().index_of(c).is_ok() => {
                    Ok(Some(text_values(&input.column(c, "text")?)?))
                }
                _ => Ok(None),
            }
        };
        let cmd = column(&schema.cmd_line)?;
        let user = column(&schema.user_id)?;
        let logon = column(&schema.logon_id)?;
        let cell = |col: &Option<Vec<Option<String>>>, row: Option<usize>| -> String {
            col.as_ref()
                .zip(row)
                .and_then(|(v, r)| v[r].clone())
                .unwrap_or_else(|| "nan".to_owned())
        };
        let mut out = String::new();
        for (i, node) in self.iter().enumerate() {
            let depth = node.depth.saturating_sub(1);
            let header = if depth == 0 {
                "+ ".to_owned()
            } else {
                format!("{}+-- ", "   ".repeat(depth))
            };
            let indent = " ".repeat(header.chars().count() + 1);
            let first = format!(
                "Process: {}  PID: {}",
                node.name.unwrap_or("nan"),
                node.pid.as_deref().unwrap_or("nan")
            );
            let wrapped = python_wrap(&first, width, "", &indent).join("\n");
            out.push_str(&format!("{header} {wrapped}\n"));
            let mut more = vec![format!(
                "Time: {}",
                node.time_ns.map_or_else(|| "nan".to_owned(), python_time)
            )];
            if schema.cmd_line.is_some() {
                more.push(format!("Cmdline: {}", cell(&cmd, node.row)));
            }
            // An inferred parent carries its first child's logon id, as MSTICPy's does.
            let logon_row = node
                .row
                .or_else(|| self.children(i).into_iter().find_map(|c| self.node(c).row));
            let accounts: Vec<String> = [
                (&schema.user_id, cell(&user, node.row)),
                (&schema.logon_id, cell(&logon, logon_row)),
            ]
            .into_iter()
            .filter(|(field, _)| field.is_some())
            .map(|(_, v)| format!("Account: {v}"))
            .collect();
            if !accounts.is_empty() {
                more.push(accounts.join("  "));
            }
            for line in more {
                let sub = format!("{indent}   ");
                out.push_str(&python_wrap(&line, width, &indent, &sub).join("\n"));
                out.push('\n');
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_like_python() {
        // Expected values from CPython 3.11's textwrap.wrap.
        let cmd = "Cmdline: C:\\Windows\\system32\\DllHost.exe /Processid:{E10F6C3A-F1AE-4ADC-AA9D-2FE65525666E}";
        assert_eq!(
            python_wrap(cmd, 80, "        ", "           "),
            [
                "        Cmdline: C:\\Windows\\system32\\DllHost.exe /Processid:{E10F6C3A-F1AE-4ADC-",
                "           AA9D-2FE65525666E}"
            ]
        );
        assert_eq!(python_wrap("", 80, "", ""), Vec::<String>::new());
        assert_eq!(python_wrap("a  b", 80, "", ""), ["a  b"]);
        assert_eq!(python_wrap("aaaa bbbb", 4, "", ""), ["aaaa", "bbbb"]);
        assert_eq!(python_wrap("abcdefghij", 4, "", ""), ["abcd", "efgh", "ij"]);
        assert_eq!(
            python_wrap("well-known wrapper", 8, "", ""),
            ["well-", "known", "wrapper"]
        );
        assert_eq!(python_wrap("x\ty", 80, "", ""), ["x       y"]);
        assert_eq!(python_wrap("one--two", 5, "", ""), ["one--", "two"]);
    }

    #[test]
    fn times_print_as_pandas() {
        assert_eq!(python_time(0), "1970-01-01 00:00:00+00:00");
        assert_eq!(
            python_time(1_549_742_678_017_000_000),
            "2019-02-09 20:04:38.017000+00:00"
        );
        assert_eq!(
            python_time(1_639_609_203_449_464_400),
            "2021-12-15 23:00:03.449464400+00:00"
        );
    }
}
