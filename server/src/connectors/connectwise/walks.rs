//! Walks: every record of a list, light (`fields=`), into a callback that keeps only what it
//! needs, checked against the list's count like every pass. Incremental passes learn presence
//! from them, and every pass which companies have members.

use std::collections::HashSet;

use serde_json::Value;

use super::lists::{Answer, CONFIGURATION_FIELDS, CONTACT_FIELDS};
use super::records::{id_of, reference};
use super::{ConnectWise, PAGE_SIZE};
use crate::connectors::{ConnectorError, Coverage};

/// A walk of more pages than this runs in `WALK_RANGES` id ranges side by side.
const SPLIT_AFTER_PAGES: usize = 8;
const WALK_RANGES: i64 = 4;

impl ConnectWise {
    /// Calls `each` on every record of a list, page by page, keeping nothing (`fields` narrows
    /// what the provider sends). Checked like every pass: an incomplete walk fails the pass,
    /// since what it leaves out would otherwise be taken as gone (and deleted). A long list is
    /// walked in id ranges side by side (`id>N and id<=M`, each paged by id), so that one
    /// chain of requests does not hold the pass; `each` then sees the ranges interleaved.
    pub(super) async fn walk(
        &self,
        path: &str,
        fields: &str,
        each: impl FnMut(&Value) + Send,
    ) -> Result<Coverage, ConnectorError> {
        let clock = std::time::Instant::now();
        let before = self.count(path, None).await?;
        let ranges = if before > (SPLIT_AFTER_PAGES * PAGE_SIZE) as i64 {
            self.id_ranges(path).await?
        } else {
            vec![(0, None)]
        };
        let each = std::sync::Mutex::new(each);
        let walks = ranges
            .iter()
            .map(|&(after, upto)| self.walk_range(path, fields, after, upto, &each));
        let walked: i64 = futures::future::try_join_all(walks).await?.iter().sum();
        let after = self.count(path, None).await?;
        tracing::debug!(
            path,
            ranges = ranges.len(),
            ms = clock.elapsed().as_millis() as u64,
            "ConnectWise walk"
        );
        if before.min(after) <= walked && walked <= before.max(after) {
            Ok(Coverage {
                entity: path.into(),
                reported: Some(after),
                received: walked,
                complete: true,
            })
        } else {
            Err(ConnectorError::Upstream(format!(
                "{path}: received {walked} of {after} records"
            )))
        }
    }

    /// The records of `path` with an id above `after` (and up to `upto`), into `each`; returns
    /// how many.
    async fn walk_range(
        &self,
        path: &str,
        fields: &str,
        after: i64,
        upto: Option<i64>,
        each: &std::sync::Mutex<impl FnMut(&Value)>,
    ) -> Result<i64, ConnectorError> {
        let condition = upto.map(|m| format!("id<={m}"));
        let mut walked = 0i64;
        let mut last = after.to_string();
        loop {
            let records = self
                .page_after(
                    path,
                    &last,
                    condition.as_deref(),
                    Some(fields),
                    Answer::Large,
                )
                .await?;
            walked += records.len() as i64;
            {
                let mut each = each.lock().unwrap_or_else(|p| p.into_inner());
                records.iter().for_each(&mut *each);
            }
            match records.last() {
                Some(r) if records.len() >= PAGE_SIZE => last = id_of(r),
                _ => return Ok(walked),
            }
        }
    }

    /// `WALK_RANGES` ranges of ids, (above, up to), splitting the ids up to the list's largest
    /// (`orderBy=id desc`, one record); the last range is open above, for records made since.
    async fn id_ranges(&self, path: &str) -> Result<Vec<(i64, Option<i64>)>, ConnectorError> {
        let query = [
            ("orderBy", "id desc".to_owned()),
            ("pageSize", "1".to_owned()),
            ("fields", "id".to_owned()),
        ];
        let top = self.get_as(path, &query, Answer::Small).await?;
        let Some(top) = top
            .as_array()
            .and_then(|a| a.first())
            .and_then(|r| r.get("id"))
            .and_then(Value::as_i64)
        else {
            return Ok(vec![(0, None)]);
        };
        let step = top / WALK_RANGES + 1;
        Ok((0..WALK_RANGES)
            .map(|k| (k * step, (k + 1 < WALK_RANGES).then_some((k + 1) * step)))
            .collect())
    }

    /// Companies with at least one contact or one configuration the filters keep: a company
    /// with neither is not synced (SEMANTICS.md "Filters"; sites do not count).
    pub(super) async fn companies_with_members(&self) -> Result<HashSet<String>, ConnectorError> {
        // Two independent walks, side by side.
        let (mut by_contacts, mut by_configurations) = (HashSet::new(), HashSet::new());
        let (contacts, configurations) = tokio::join!(
            self.walk("company/contacts", CONTACT_FIELDS, |r| {
                by_contacts.extend(reference(r, "company"));
            }),
            self.walk("company/configurations", CONFIGURATION_FIELDS, |r| {
                if self.filters.configuration(r) {
                    by_configurations.extend(reference(r, "company"));
                }
            }),
        );
        contacts?;
        configurations?;
        by_contacts.extend(by_configurations);
        Ok(by_contacts)
    }
}
