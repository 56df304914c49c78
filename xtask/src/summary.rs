//! Runs `cargo test` with its output passed through, adding up every `test result:` line, so
//! the run ends with one closing line for the whole workspace (`summary: N passed, N failed`)
//! rather than the last crate's doc tests.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, ExitStatus, Stdio};

use anyhow::{Context, Result};

/// Counts from `test result:` lines.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
}

impl Totals {
    /// Adds the counts of a line like `test result: ok. 66 passed; 0 failed; 1 ignored; …`.
    pub fn add_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result:") else {
            return;
        };
        for part in rest.split(';') {
            let words: Vec<&str> = part.split_whitespace().collect();
            let Some(pos) = words
                .iter()
                .position(|w| ["passed", "failed", "ignored"].contains(w))
            else {
                continue;
            };
            let Some(n) = pos
                .checked_sub(1)
                .and_then(|i| words[i].parse::<u64>().ok())
            else {
                continue;
            };
            match words[pos] {
                "passed" => self.passed += n,
                "failed" => self.failed += n,
                _ => self.ignored += n,
            }
        }
    }
}

/// Runs `cmd` (a `cargo test`), echoing its output, and returns its status with the totals.
pub fn run_counting(mut cmd: Command) -> Result<(ExitStatus, Totals)> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .context("running cargo test")?;
    let mut totals = Totals::default();
    if let Some(stdout) = child.stdout.take() {
        let mut out = std::io::stdout();
        for line in BufReader::new(stdout).lines() {
            let line = line.context("reading cargo test output")?;
            totals.add_line(&line);
            let _ = writeln!(out, "{line}");
        }
    }
    let status = child.wait().context("waiting for cargo test")?;
    Ok((status, totals))
}

#[cfg(test)]
mod tests {
    use super::Totals;

    #[test]
    fn adds_up_result_lines() {
        let mut t = Totals::default();
        t.add_line("test result: ok. 66 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 19.86s");
        t.add_line("test result: FAILED. 2 passed; 3 failed; 0 ignored; 0 measured");
        t.add_line("running 66 tests");
        assert_eq!(
            t,
            Totals {
                passed: 68,
                failed: 3,
                ignored: 1
            }
        );
    }
}
