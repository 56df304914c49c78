//! Where an incremental ConnectWise pass starts (docs/CONNECTORS.md §1.2 "Incremental"): per
//! list, the newest `_info.lastUpdated` a complete pass received (a high-water mark, in
//! ConnectWise's own clock), when the last full pass ran, and what the marks are valid for.
//! The import stores it with the job that succeeded and hands it to the next pass.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A full pass at least this often, even when incremental passes are possible: it catches
/// what `lastUpdated` does not show (a company renamed in its contacts' references, a record
/// changed without its stamp moving).
pub const FULL_PASS_EVERY: Duration = Duration::hours(24);

/// How far a mark stays behind the moment its pass started (by our clock). A record changed
/// upstream while the pass ran may carry a stamp a little older than the newest one the pass
/// saw (stamped before, committed after the read); and our clock may run ahead of
/// ConnectWise's. Either way the next pass looks this far back again: records it fetches
/// twice are unchanged and cost no write.
pub const CLOCK_SKEW_MARGIN: Duration = Duration::minutes(15);

/// A record's `_info.lastUpdated`, ConnectWise's stamp of its last change.
pub(super) fn last_updated(record: &Value) -> Option<DateTime<Utc>> {
    let t = record.get("_info")?.get("lastUpdated")?.as_str()?;
    Some(DateTime::parse_from_rfc3339(t).ok()?.with_timezone(&Utc))
}

/// The newest `_info.lastUpdated` seen per list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Marks(BTreeMap<String, DateTime<Utc>>);

impl Marks {
    pub fn see(&mut self, list: &str, records: &[Value]) {
        let newest = records.iter().filter_map(last_updated).max();
        if let Some(t) = newest {
            let mark = self.0.entry(list.to_owned()).or_insert(t);
            *mark = (*mark).max(t);
        }
    }

    pub fn get(&self, list: &str) -> Option<DateTime<Utc>> {
        self.0.get(list).copied()
    }

    /// The marks of a pass that started at `started`, over `prior` (kept for lists where this
    /// pass saw nothing newer).
    pub fn settled(self, prior: &Marks, started: DateTime<Utc>) -> Marks {
        let cap = started - CLOCK_SKEW_MARGIN;
        let mut out = prior.0.clone();
        for (list, seen) in self.0 {
            let mark = out.entry(list).or_insert(seen.min(cap));
            *mark = (*mark).max(seen.min(cap));
        }
        Marks(out)
    }
}

/// What a complete pass leaves for the next one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cursor {
    /// Which source and filters the marks were taken under: another base URL, company or
    /// filter makes them meaningless, and the next pass full.
    pub scope: String,
    /// When the last full pass started.
    pub full_at: DateTime<Utc>,
    pub marks: Marks,
}

impl Cursor {
    /// The cursor an incremental pass may start from at `now`, if `stored` is one.
    pub fn usable(stored: Option<&Value>, scope: &str, now: DateTime<Utc>) -> Option<Cursor> {
        let cursor: Cursor = serde_json::from_value(stored?.clone()).ok()?;
        (cursor.scope == scope && now - cursor.full_at < FULL_PASS_EVERY).then_some(cursor)
    }
}

/// The oldest mark, in words for the job log.
pub(super) fn describe(marks: &Marks) -> String {
    [
        "company/companies",
        "company/contacts",
        "company/configurations",
        "finance/agreements",
    ]
    .iter()
    .filter_map(|l| marks.get(l))
    .min()
    .map_or_else(
        || "the start".to_owned(),
        |t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn marks_keep_the_newest_stamp_behind_the_pass_start() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let mut seen = Marks::default();
        seen.see(
            "a",
            &[
                json!({"_info": {"lastUpdated": "2025-01-01T00:00:05Z"}}),
                json!({"_info": {"lastUpdated": "2025-01-01T00:00:09Z"}}),
                json!({"id": 1}),
            ],
        );
        seen.see(
            "b",
            &[json!({"_info": {"lastUpdated": "2026-06-01T12:10:00Z"}})],
        );
        let mut prior = Marks::default();
        prior.see(
            "c",
            &[json!({"_info": {"lastUpdated": "2024-01-01T00:00:00Z"}})],
        );
        let settled = seen.settled(&prior, t("2026-06-01T12:20:00Z"));
        assert_eq!(settled.get("a"), Some(t("2025-01-01T00:00:09Z")));
        // Within the margin of the pass start: the mark stays the margin behind it.
        assert_eq!(settled.get("b"), Some(t("2026-06-01T12:05:00Z")));
        assert_eq!(settled.get("c"), Some(t("2024-01-01T00:00:00Z")));
        let cursor = Cursor {
            scope: "s".into(),
            full_at: t("2026-06-01T12:20:00Z"),
            marks: settled,
        };
        let stored = serde_json::to_value(&cursor).unwrap();
        let later = t("2026-06-02T12:19:00Z");
        assert_eq!(Cursor::usable(Some(&stored), "s", later), Some(cursor));
        assert!(Cursor::usable(Some(&stored), "other", later).is_none());
        assert!(Cursor::usable(Some(&stored), "s", t("2026-06-02T12:20:00Z")).is_none());
        assert!(Cursor::usable(Some(&json!({"x": 1})), "s", later).is_none());
    }
}
