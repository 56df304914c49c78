//! The benchmark's table: one row per run, and with several runs a row of their medians.

use crate::Run;

/// One table row's figures.
#[derive(Clone, Copy)]
pub struct Row {
    import_s: f64,
    rate: f64,
    ceiling: f64,
    ratio: f64,
    rss_mb: f64,
    resync_s: f64,
    speed_up: f64,
}

impl Row {
    pub fn of(run: &Run) -> Row {
        let rate = run.nodes as f64 / run.import.as_secs_f64();
        let ceiling = run.nodes as f64 / run.ceiling.as_secs_f64();
        Row {
            import_s: run.import.as_secs_f64(),
            rate,
            ceiling,
            ratio: rate / ceiling,
            rss_mb: run.peak_rss_mb,
            resync_s: run.resync.as_secs_f64(),
            speed_up: run.import.as_secs_f64() / run.resync.as_secs_f64(),
        }
    }

    /// Each column's median, but the highest peak RSS.
    pub fn median(rows: Vec<&Row>) -> Row {
        let mid = |f: fn(&Row) -> f64| {
            let mut v: Vec<f64> = rows.iter().map(|r| f(r)).collect();
            v.sort_by(f64::total_cmp);
            let n = v.len();
            if n % 2 == 1 {
                v[n / 2]
            } else {
                (v[n / 2 - 1] + v[n / 2]) / 2.0
            }
        };
        Row {
            import_s: mid(|r| r.import_s),
            rate: mid(|r| r.rate),
            ceiling: mid(|r| r.ceiling),
            ratio: mid(|r| r.ratio),
            rss_mb: rows.iter().map(|r| r.rss_mb).fold(0.0, f64::max),
            resync_s: mid(|r| r.resync_s),
            speed_up: mid(|r| r.speed_up),
        }
    }

    pub fn line(&self, label: &str, nodes: i64) -> String {
        format!(
            "| {label} | {nodes} | {:.1} | {:.0} | {:.0} | {:.2} | {:.0} | {:.1} | {:.1}× |",
            self.import_s,
            self.rate,
            self.ceiling,
            self.ratio,
            self.rss_mb,
            self.resync_s,
            self.speed_up,
        )
    }
}
