//! How results are printed: aligned tables for people, one JSON document
//! per line with `--json`.

use crate::Failure;
use janus_blocking::janus_core::serde_json::{self, Value};
use std::io::{IsTerminal, Write};

/// Where results go, and in which form.
pub struct Out {
    /// One JSON document per line.
    pub json: bool,
    /// Standard output is a terminal (headers in bold).
    tty: bool,
}

impl Out {
    pub fn new(json: bool) -> Self {
        Out {
            json,
            tty: std::io::stdout().is_terminal(),
        }
    }

    /// Whether standard output is a terminal.
    pub fn is_tty(&self) -> bool {
        self.tty
    }

    /// One JSON document on a line of its own.
    pub fn json(&self, value: &Value) {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{value}");
        let _ = stdout.flush();
    }

    /// A line of text.
    pub fn line(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{text}");
        let _ = stdout.flush();
    }

    /// `value` as JSON with `--json`, else `human`.
    pub fn either(&self, value: &Value, human: impl FnOnce() -> String) {
        if self.json {
            self.json(value)
        } else {
            self.line(&human())
        }
    }

    /// A table: columns aligned, the header in bold on a terminal.
    pub fn table(&self, header: &[&str], rows: &[Vec<String>]) {
        self.line(&table(header, rows, self.tty));
    }
}

/// The text of a table whose columns are as wide as their widest cell.
pub fn table(header: &[&str], rows: &[Vec<String>], bold: bool) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let render = |cells: Vec<&str>| {
        let mut line = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<w$}  "));
            }
        }
        line.trim_end().to_owned()
    };
    let mut text = render(header.to_vec());
    if bold {
        text = format!("\x1b[1m{text}\x1b[0m");
    }
    for row in rows {
        text.push('\n');
        text.push_str(&render(row.iter().map(String::as_str).collect()));
    }
    text
}

/// A command-line argument that must be a JSON object.
pub fn parse_object(text: &str) -> Result<Value, Failure> {
    match serde_json::from_str::<Value>(text) {
        Ok(v) if v.is_object() => Ok(v),
        Ok(_) => Err(Failure::usage(format!(
            "{text:?} is JSON but not an object: give a JSON object such as '{{\"request\":\"list\"}}'"
        ))),
        Err(e) => Err(Failure::usage(format!(
            "{text:?} is not JSON ({e}): give a JSON object such as '{{\"request\":\"list\"}}'"
        ))),
    }
}

/// A byte count for people: 1.2 MB, 340 kB, 12 B.
pub fn bytes(n: u64) -> String {
    match n {
        n if n >= 1_000_000_000 => format!("{:.1} GB", n as f64 / 1e9),
        n if n >= 1_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        n if n >= 1_000 => format!("{:.1} kB", n as f64 / 1e3),
        n => format!("{n} B"),
    }
}

/// A duration in seconds for people: 45s, 12m03s, 3h07m.
pub fn seconds(s: u64) -> String {
    match s {
        s if s >= 3600 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        s if s >= 60 => format!("{}m{:02}s", s / 60, s % 60),
        s => format!("{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_their_columns() {
        let rows = vec![
            vec![
                "1".to_owned(),
                "janus.plugin.echotest".to_owned(),
                "x".to_owned(),
            ],
            vec!["12345".to_owned(), "p".to_owned(), "".to_owned()],
        ];
        assert_eq!(
            table(&["ID", "PLUGIN", "NOTE"], &rows, false),
            "ID     PLUGIN                 NOTE\n\
             1      janus.plugin.echotest  x\n\
             12345  p"
        );
    }

    #[test]
    fn figures_read_well() {
        assert_eq!(
            (bytes(12), bytes(1_234), bytes(5_600_000)),
            ("12 B".into(), "1.2 kB".into(), "5.6 MB".into())
        );
        assert_eq!(
            (seconds(5), seconds(723), seconds(11_220)),
            ("5s".into(), "12m03s".into(), "3h07m".into())
        );
        assert!(parse_object("[1]").is_err() && parse_object("{").is_err());
        assert!(parse_object("{\"a\":1}").is_ok());
    }
}
