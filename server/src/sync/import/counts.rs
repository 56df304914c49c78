//! What an import counts: the job's node counts (`Stats`, stored with the job and read by the
//! API) and where the page writer's time went (`Timings`, printed with RUST_LOG=debug).

use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Stats {
    pub created: i64,
    pub updated: i64,
    pub deleted: i64,
    pub unchanged: i64,
    pub skipped: i64,
    pub failed: i64,
}

/// The writer's time per phase of its pages: key lookups, building rows (and updating changed
/// ones), inserting, the fenced commit, and what follows a commit (statistics, progress).
#[derive(Debug, Default)]
pub struct Timings {
    pub lookups: std::time::Duration,
    pub rows: std::time::Duration,
    pub inserts: std::time::Duration,
    pub commits: std::time::Duration,
    pub after: std::time::Duration,
    pub pages: u32,
}
