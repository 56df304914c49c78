//! One pass over a Syncro list (docs/CONNECTORS.md §2.2). Only page numbers exist, so a record
//! deleted mid-pass shifts the later pages and one record would be skipped unseen: the pass
//! keeps page 1's `meta.total_entries` and restarts from page 1 when a later page reports
//! another total, a bounded number of times. Without `meta` (the spec's asset example) it
//! pages until an empty page rather than stopping at the first short one.

use std::collections::HashSet;

use serde_json::Value;

use super::records::id_of;
use super::Syncro;
use crate::connectors::{ConnectorError, Coverage, PageSink, RawNode};

/// Restarts of one list before a still-moving total makes the pass incomplete.
const MAX_RESTARTS: u32 = 3;
/// "Each 'page' contains 25 results" (SY-SPEC), when `meta.per_page` does not say otherwise.
const DEFAULT_PER_PAGE: u64 = 25;

/// A list the connector reads: its path under the base URL, the key of its records in the
/// envelope, and fixed query parameters.
pub(super) struct List {
    pub path: &'static str,
    pub key: &'static str,
    pub query: &'static [(&'static str, &'static str)],
}

/// Disabled customers are present nodes (SEMANTICS "Node states"), so they are asked for.
pub(super) const CUSTOMERS: List = List {
    path: "customers",
    key: "customers",
    query: &[("include_disabled", "true")],
};
pub(super) const CONTACTS: List = List {
    path: "contacts",
    key: "contacts",
    query: &[],
};
pub(super) const ASSETS: List = List {
    path: "customer_assets",
    key: "assets",
    query: &[],
};
pub(super) const LEADS: List = List {
    path: "leads",
    key: "leads",
    query: &[],
};

/// How one attempt at a list ended.
struct Attempt {
    seen: HashSet<String>,
    skipped: i64,
    reported: Option<i64>,
    /// The total moved and no restart was left, or pages stopped bringing anything new.
    unsure: bool,
}

impl Syncro {
    /// Reads every page of `list`, turning each record into a node with `each` (`None`: left
    /// out, counted as skipped) and handing each page to `sink` (none: a walk that only
    /// looks). Coverage: `reported` = the last `total_entries`, `received` = distinct ids.
    pub(super) async fn pass(
        &self,
        list: &List,
        mut each: impl FnMut(&Value) -> Option<RawNode>,
        mut sink: Option<&mut (dyn PageSink + '_)>,
    ) -> Result<Coverage, ConnectorError> {
        let mut restarts = 0;
        let attempt = loop {
            match self
                .attempt(
                    list,
                    &mut each,
                    sink.as_deref_mut(),
                    restarts < MAX_RESTARTS,
                )
                .await?
            {
                Some(done) => break done,
                None => {
                    restarts += 1;
                    tracing::warn!(
                        list = list.path,
                        restarts,
                        "Syncro total_entries changed mid-pass; reading the list again from page 1"
                    );
                }
            }
        };
        // Counted once, from the attempt that finished: a restart reads the same records again.
        if let Some(sink) = sink {
            sink.skipped(attempt.skipped);
        }
        let received = attempt.seen.len() as i64;
        let complete = !attempt.unsure && attempt.reported.is_none_or(|total| received >= total);
        if !complete {
            tracing::warn!(list = list.path, received, reported = ?attempt.reported, "Syncro list pass incomplete");
        }
        Ok(Coverage {
            entity: list.path.into(),
            reported: attempt.reported,
            received,
            complete,
        })
    }

    /// Pages 1, 2 … of `list` once. `None` when the total moved and `may_restart`.
    async fn attempt(
        &self,
        list: &List,
        each: &mut impl FnMut(&Value) -> Option<RawNode>,
        mut sink: Option<&mut (dyn PageSink + '_)>,
        may_restart: bool,
    ) -> Result<Option<Attempt>, ConnectorError> {
        let mut done = Attempt {
            seen: HashSet::new(),
            skipped: 0,
            reported: None,
            unsure: false,
        };
        let mut first_total = None;
        let mut page: u64 = 1;
        loop {
            let mut query: Vec<(&str, String)> = list
                .query
                .iter()
                .map(|(k, v)| (*k, (*v).to_owned()))
                .collect();
            query.push(("page", page.to_string()));
            let body = self.get(list.path, &query).await?;
            let records = body
                .get(list.key)
                .and_then(Value::as_array)
                .ok_or_else(|| {
                    ConnectorError::Decode(format!("{} has no \"{}\" list", list.path, list.key))
                })?;
            let meta = body.get("meta").filter(|m| m.is_object());
            let number = |key: &str| meta.and_then(|m| m.get(key)).and_then(Value::as_i64);
            let total = number("total_entries");
            if page == 1 {
                first_total = total;
            } else if total != first_total {
                if may_restart {
                    return Ok(None);
                }
                done.unsure = true;
            }
            done.reported = total.or(done.reported);
            let before = done.seen.len();
            let mut nodes = Vec::new();
            for record in records {
                done.seen.insert(id_of(record));
                match each(record) {
                    Some(node) => nodes.push(node),
                    None => done.skipped += 1,
                }
            }
            if let (Some(sink), false) = (sink.as_deref_mut(), nodes.is_empty()) {
                sink.page(nodes).await.map_err(|e| {
                    ConnectorError::Upstream(format!("storing a page failed: {e:#}"))
                })?;
            }
            match number("total_pages") {
                Some(pages) => {
                    // Without total_entries only the page size can reveal a short page.
                    let per_page = number("per_page").map_or(DEFAULT_PER_PAGE, |n| n as u64);
                    if total.is_none() && (page as i64) < pages && (records.len() as u64) < per_page
                    {
                        done.unsure = true;
                    }
                    if page as i64 >= pages {
                        return Ok(Some(done));
                    }
                }
                None if records.is_empty() => return Ok(Some(done)),
                // A page of records already seen: the server ignores `page`; stop, unsure.
                None if done.seen.len() == before => {
                    done.unsure = true;
                    return Ok(Some(done));
                }
                None => {}
            }
            page += 1;
        }
    }
}
