//! Sites, listed per company only (API-NOTES §1.6: no top-level list is documented), so a
//! pass makes one request per synced company. A full pass reads each list whole. An
//! incremental pass reads each list light (`fields=id,_info`), beside its other walks: ids for
//! presence and each site's `lastUpdated`; only the lists of companies with a site changed
//! since the mark, or one the import lacks, are then read whole. An unchanged site costs the
//! import no parsing, hashing or lookup of a whole record.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use futures::StreamExt;
use serde_json::Value;

use super::cursor::{last_updated, Marks};
use super::incremental::PRESENT_CHUNK;
use super::records::{store, text};
use super::{ConnectWise, PAGE_SIZE};
use crate::connectors::{ConnectorError, Coverage, PageSink};

/// Per-company site lists fetched at once.
const SITE_REQUESTS_IN_FLIGHT: usize = 32;

/// The sites' entry in a pass's coverage, and their list's key among the marks.
pub(super) const SITES: &str = "company/companies/{id}/sites";

/// What an incremental pass reads of each site.
const SITE_FIELDS: &str = "id,_info";

impl ConnectWise {
    /// The sites of these companies, whole: a few companies in flight at once, and their sites
    /// gathered into full pages so that a large tree is not written one site at a time.
    pub(super) async fn sites(
        &self,
        companies: Vec<String>,
        sink: &mut dyn PageSink,
        marks: &mut Marks,
    ) -> Result<Coverage, ConnectorError> {
        let mut sites = 0i64;
        let mut batch = Vec::new();
        let mut fetches = futures::stream::iter(companies)
            .map(|company: String| async move {
                let records = self
                    .all(&format!("company/companies/{company}/sites"))
                    .await?;
                Ok::<_, ConnectorError>((company, records))
            })
            .buffered(SITE_REQUESTS_IN_FLIGHT);
        while let Some(fetched) = fetches.next().await {
            let (company, records) = fetched?;
            sites += records.len() as i64;
            marks.see(SITES, &records);
            let parent = Some(("Company", company));
            batch.extend(
                records
                    .iter()
                    .map(|r| self.node("Site", r, text(r, "name"), parent.clone())),
            );
            if batch.len() >= PAGE_SIZE {
                store(sink, std::mem::take(&mut batch)).await?;
            }
        }
        store(sink, batch).await?;
        Ok(Coverage {
            entity: SITES.into(),
            reported: None,
            received: sites,
            complete: true,
        })
    }

    /// An incremental pass's first look at the sites of these companies: their lists read
    /// light, beside the walks (network only, nothing is written yet), in whatever order they
    /// answer, so one slow answer holds no other request back.
    pub(super) async fn light_sites(
        &self,
        companies: Vec<i64>,
        mark: DateTime<Utc>,
    ) -> Result<LightSites, ConnectorError> {
        let (clock, lists) = (std::time::Instant::now(), companies.len());
        let mut fetches = futures::stream::iter(companies)
            .map(|company| async move {
                let path = format!("company/companies/{company}/sites");
                let records = self.all_with(&path, Some(SITE_FIELDS)).await?;
                Ok::<_, ConnectorError>((company, records))
            })
            .buffer_unordered(SITE_REQUESTS_IN_FLIGHT);
        let mut light = LightSites::default();
        while let Some(fetched) = fetches.next().await {
            let (company, records) = fetched?;
            for r in &records {
                let Some(site) = r.get("id").and_then(Value::as_i64) else {
                    // A record without an id cannot be told apart: read the list whole.
                    light.whole.insert(company);
                    continue;
                };
                if last_updated(r).is_none_or(|t| t > mark) {
                    light.whole.insert(company);
                }
                light.found.push((site, company));
            }
        }
        tracing::debug!(
            lists,
            ms = clock.elapsed().as_millis() as u64,
            "ConnectWise light site lists"
        );
        Ok(light)
    }

    /// The incremental pass's sites of the `kept` companies, once they are stored: from
    /// `light` (`light_sites`), the import learns which sites exist, and the lists of the
    /// companies with a site changed since the mark, or one it lacks, are read whole. Without
    /// `light` (no earlier pass saw a site, so there is no mark) every list is read whole.
    pub(super) async fn sites_since(
        &self,
        light: Option<LightSites>,
        kept: &[i64],
        kept_set: &HashSet<i64>,
        sink: &mut dyn PageSink,
        marks: &mut Marks,
    ) -> Result<Coverage, ConnectorError> {
        let Some(LightSites { found, whole }) = light else {
            let companies = kept.iter().map(i64::to_string).collect();
            return self.sites(companies, sink, marks).await;
        };
        // Only the companies that are synced: the others' sites are left out with them.
        let mut whole: BTreeSet<i64> = whole.into_iter().filter(|c| kept_set.contains(c)).collect();
        let found: Vec<(i64, i64)> = found
            .into_iter()
            .filter(|(_, company)| kept_set.contains(company))
            .collect();
        for chunk in found.chunks(PRESENT_CHUNK) {
            let of: HashMap<String, i64> = chunk
                .iter()
                .map(|(site, company)| (site.to_string(), *company))
                .collect();
            let missing = sink
                .present("Site", of.keys().cloned().collect())
                .await
                .map_err(|e| {
                    ConnectorError::Upstream(format!("checking stored nodes failed: {e:#}"))
                })?;
            whole.extend(missing.iter().filter_map(|m| of.get(m)));
        }
        if !whole.is_empty() {
            tracing::debug!(companies = whole.len(), "reading changed site lists whole");
            let companies = whole.iter().map(i64::to_string).collect();
            self.sites(companies, sink, marks).await?;
        }
        Ok(Coverage {
            entity: SITES.into(),
            reported: None,
            received: found.len() as i64,
            complete: true,
        })
    }
}

/// What `light_sites` learnt.
#[derive(Default)]
pub(super) struct LightSites {
    /// (site, company) of every site listed.
    found: Vec<(i64, i64)>,
    /// Companies whose list is read whole: a site changed since the mark, or one could not be
    /// told apart.
    whole: BTreeSet<i64>,
}
