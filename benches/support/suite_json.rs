//! Machine-readable figures for the benchmark suite (`benches/suite.py`).
//!
//! When `AGORA_BENCH_JSON` names a file, a bench writes the figures it prints there too, as one
//! JSON object, rewritten after each figure so that a bench stopped half-way still leaves what
//! it measured. Without the variable nothing is written and the bench behaves as before.

use std::path::PathBuf;

use serde_json::{Map, Value};

/// The figures of one bench run, keyed by name.
pub struct SuiteJson {
    out: Option<PathBuf>,
    values: Map<String, Value>,
}

impl SuiteJson {
    /// Figures of `bench`, written to `$AGORA_BENCH_JSON` if set.
    pub fn new(bench: &str) -> Self {
        let mut values = Map::new();
        values.insert("bench".to_owned(), Value::from(bench));
        Self {
            out: std::env::var_os("AGORA_BENCH_JSON").map(PathBuf::from),
            values,
        }
    }

    /// Records `value` under `key` (replacing an earlier one) and rewrites the file.
    pub fn set(&mut self, key: &str, value: impl Into<Value>) -> std::io::Result<()> {
        self.values.insert(key.to_owned(), value.into());
        let Some(out) = &self.out else {
            return Ok(());
        };
        let text = serde_json::to_string_pretty(&self.values)?;
        std::fs::write(out, text + "\n")
    }
}
