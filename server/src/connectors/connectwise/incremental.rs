//! The incremental ConnectWise pass (docs/CONNECTORS.md §1.2 "Incremental", API-NOTES §1.11):
//! whole records only for what changed since each list's mark (`lastUpdated>[T]`), and
//! presence from light walks (`fields=id,…`), so deletions stay exact: a node is deleted only
//! when a complete walk did not find it.
//!
//! 1. Walk contacts, configurations, companies and agreements with only the fields the filters
//!    and parents need (which companies are synced follows as in a full pass).
//! 2. Per list, tell the import which records exist (`PageSink::present`); it answers with
//!    those it does not hold as live nodes (a company that just gained its first contact, a
//!    record that came back).
//! 3. Fetch whole what changed since the mark, then whole by id what the import lacks and the
//!    changed records did not bring.
//!
//! Sites are listed per company: each list is read light, and whole only where a site
//! changed or is lacking (`sites.rs`).

use std::collections::HashSet;

use serde_json::Value;

use super::cursor::Marks;
use super::lists::{AGREEMENT_FIELDS, COMPANY_FIELDS, CONFIGURATION_FIELDS, CONTACT_FIELDS};
use super::records::{flagged_deleted, reference};
use super::sites::SITES;
use super::ConnectWise;
use crate::connectors::{ConnectorError, Coverage, PageSink, RawNode};

/// Ids told to the import per `present` call.
pub(super) const PRESENT_CHUNK: usize = 1000;

fn number(v: Option<String>) -> Option<i64> {
    v?.parse().ok()
}

fn id(r: &Value) -> Option<i64> {
    r.get("id")?.as_i64()
}

/// (id, company id) of a walked record.
fn pair(r: &Value) -> Option<(i64, i64)> {
    Some((id(r)?, number(reference(r, "company"))?))
}

impl ConnectWise {
    pub(super) async fn incremental_pass(
        &self,
        sink: &mut dyn PageSink,
        since: &Marks,
        marks: &mut Marks,
    ) -> Result<Vec<Coverage>, ConnectorError> {
        let started = std::time::Instant::now();
        let phase = |name: &str| {
            tracing::debug!(
                phase = name,
                ms = started.elapsed().as_millis() as u64,
                "ConnectWise incremental pass"
            )
        };
        let mut coverage = Vec::new();
        // The import reads the stored keys it will check the walks against while they run.
        let site_mark = since.get(SITES);
        let mut expected = vec!["Company", "Contact", "Configuration", "Agreement"];
        if site_mark.is_some() {
            expected.push("Site");
        }
        sink.expect(&expected)
            .await
            .map_err(|e| ConnectorError::Upstream(format!("reading stored nodes failed: {e:#}")))?;
        // 1. The walks: four lists of light records, independent of each other, so they run
        // side by side (the network of one overlaps the reading of another).
        let mut contacts: Vec<(i64, i64)> = Vec::new();
        let mut configurations: Vec<(i64, i64)> = Vec::new();
        let mut filtered_out = 0i64;
        // (id, kept by the filters, flagged deleted upstream)
        let mut walked_companies: Vec<(Option<i64>, bool, bool)> = Vec::new();
        let mut agreements: Vec<(i64, i64)> = Vec::new();
        // The sites of the companies the filters keep are read light as soon as the companies
        // are walked, beside the longer walks; those of a company that turns out to have no
        // member are dropped after.
        let companies_then_sites = async {
            let walked = self
                .walk("company/companies", COMPANY_FIELDS, |r| {
                    walked_companies.push((id(r), self.filters.company(r), flagged_deleted(r)))
                })
                .await?;
            let light = match site_mark {
                Some(mark) => {
                    let candidates = walked_companies.iter().filter_map(|w| match w {
                        (Some(c), true, false) => Some(*c),
                        _ => None,
                    });
                    Some(self.light_sites(candidates.collect(), mark).await?)
                }
                None => None,
            };
            Ok::<_, ConnectorError>((walked, light))
        };
        let walks = tokio::join!(
            self.walk("company/contacts", CONTACT_FIELDS, |r| {
                contacts.extend(pair(r))
            }),
            self.walk("company/configurations", CONFIGURATION_FIELDS, |r| {
                if self.filters.configuration(r) {
                    configurations.extend(pair(r));
                } else {
                    filtered_out += 1;
                }
            }),
            companies_then_sites,
            self.walk("finance/agreements", AGREEMENT_FIELDS, |r| {
                agreements.extend(pair(r))
            }),
        );
        let (companies_walked, light_sites) = walks.2?;
        coverage.extend([walks.0?, walks.1?, companies_walked, walks.3?]);
        let mut skipped = filtered_out;
        // Contacts and configurations decide which companies count.
        let with_members: HashSet<i64> = contacts
            .iter()
            .chain(&configurations)
            .map(|(_, company)| *company)
            .collect();
        let mut kept: Vec<i64> = Vec::new();
        // Flagged deleted upstream: stored as deleted nodes, their subtrees left out.
        let mut flagged: Vec<i64> = Vec::new();
        for walked in walked_companies {
            match walked {
                (Some(c), true, true) if with_members.contains(&c) => flagged.push(c),
                (Some(c), true, false) if with_members.contains(&c) => kept.push(c),
                _ => skipped += 1,
            }
        }
        drop(with_members);
        let kept_set: HashSet<i64> = kept.iter().copied().collect();
        let in_kept =
            |r: &Value| number(reference(r, "company")).is_some_and(|c| kept_set.contains(&c));
        // What belongs to a company that is not synced is left out with it.
        let mut members = |pairs: Vec<(i64, i64)>| -> Vec<i64> {
            let all = pairs.len();
            let ids: Vec<i64> = pairs
                .into_iter()
                .filter(|(_, c)| kept_set.contains(c))
                .map(|(id, _)| id)
                .collect();
            skipped += (all - ids.len()) as i64;
            ids
        };
        let contacts = members(contacts);
        let configurations = members(configurations);
        let agreements = members(agreements);
        sink.skipped(skipped);
        phase("walks");

        // 2 and 3, list by list, parents first.
        let flagged_set: HashSet<i64> = flagged.iter().copied().collect();
        let mut companies: Vec<i64> = kept.iter().chain(&flagged).copied().collect();
        companies.sort_unstable();
        let companies = self
            .bring_up_to_date(
                "company/companies",
                "Company",
                &companies,
                since,
                |records| {
                    records
                        .iter()
                        .filter(|r| {
                            id(r).is_some_and(|c| kept_set.contains(&c) || flagged_set.contains(&c))
                        })
                        .map(|r| self.company_node(r))
                        .collect()
                },
                sink,
                marks,
            )
            .await?;
        coverage.push(companies);
        phase("companies");
        coverage.push(
            self.sites_since(light_sites, &kept, &kept_set, sink, marks)
                .await?,
        );
        phase("sites");
        let lists: [(&str, &str, Vec<i64>); 3] = [
            ("company/contacts", "Contact", contacts),
            ("company/configurations", "Configuration", configurations),
            ("finance/agreements", "Agreement", agreements),
        ];
        for (path, node_type, present) in lists {
            let changed = self
                .bring_up_to_date(
                    path,
                    node_type,
                    &present,
                    since,
                    |records| match node_type {
                        "Contact" => self.contact_nodes(records, in_kept),
                        "Configuration" => self.configuration_nodes(records, in_kept),
                        _ => self.agreement_nodes(records, in_kept),
                    },
                    sink,
                    marks,
                )
                .await?;
            coverage.push(changed);
        }
        phase("lists");
        Ok(coverage)
    }

    /// Steps 2 and 3 for one list: `present` are the ids its walk found (and the filters
    /// keep); `nodes` turns whole records into nodes, leaving out what the filters leave out.
    #[allow(clippy::too_many_arguments)]
    async fn bring_up_to_date(
        &self,
        path: &str,
        node_type: &'static str,
        present: &[i64],
        since: &Marks,
        mut nodes: impl FnMut(Vec<Value>) -> Vec<RawNode>,
        sink: &mut dyn PageSink,
        marks: &mut Marks,
    ) -> Result<Coverage, ConnectorError> {
        let mut lacking: HashSet<i64> = HashSet::new();
        for chunk in present.chunks(PRESENT_CHUNK) {
            let ids = chunk.iter().map(i64::to_string).collect();
            let missing = sink.present(node_type, ids).await.map_err(|e| {
                ConnectorError::Upstream(format!("checking stored nodes failed: {e:#}"))
            })?;
            lacking.extend(missing.iter().filter_map(|m| m.parse::<i64>().ok()));
        }
        // `lastUpdated>[T]` with T the mark; a list without one (it was empty) is read whole.
        let condition = since.get(path).map(|t| {
            format!(
                "lastUpdated>[{}]",
                t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            )
        });
        let entity = format!("{path} (changed)");
        let listed = self
            .counted(
                &entity,
                path,
                condition.as_deref(),
                |records| {
                    for r in &records {
                        if let Some(i) = id(r) {
                            lacking.remove(&i);
                        }
                    }
                    nodes(records)
                },
                sink,
                marks,
            )
            .await?;
        let mut lacking: Vec<i64> = lacking.into_iter().collect();
        lacking.sort_unstable();
        if !lacking.is_empty() {
            tracing::debug!(
                list = path,
                records = lacking.len(),
                "fetching unchanged records the import lacks"
            );
            self.by_ids(path, &lacking, nodes, sink, marks).await?;
        }
        Ok(listed.coverage)
    }
}
