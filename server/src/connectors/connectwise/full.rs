//! The full ConnectWise pass: every record of every list, whole. It runs for the first import,
//! when the filters or the source changed, and at least once a day (`cursor::FULL_PASS_EVERY`);
//! it also takes the marks the next incremental pass starts from.

use std::collections::HashSet;

use serde_json::Value;

use super::cursor::Marks;
use super::records::{
    add_default_items, flagged_deleted, id_of, reference, site_else_company, text,
};
use super::ConnectWise;
use crate::connectors::{ConnectorError, Coverage, PageSink, RawNode};

impl ConnectWise {
    pub(super) async fn full_pass(
        &self,
        sink: &mut dyn PageSink,
        marks: &mut Marks,
    ) -> Result<Vec<Coverage>, ConnectorError> {
        let started = std::time::Instant::now();
        let phase = |name: &str| {
            tracing::debug!(
                phase = name,
                ms = started.elapsed().as_millis() as u64,
                "ConnectWise pass"
            )
        };
        let with_members = self.companies_with_members().await?;
        phase("members");
        // Companies the filters keep; everything under a left-out company is left out too.
        let mut kept: Vec<String> = Vec::new();
        let companies = self
            .counted(
                "company/companies",
                "company/companies",
                None,
                |records| {
                    records
                        .iter()
                        .filter(|r| self.filters.company(r) && with_members.contains(&id_of(r)))
                        .map(|r| {
                            if !flagged_deleted(r) {
                                kept.push(id_of(r));
                            }
                            self.company_node(r)
                        })
                        .collect()
                },
                sink,
                marks,
            )
            .await?;
        phase("companies");
        let mut skipped = companies.skipped;
        let mut coverage = vec![companies.coverage];
        let kept_set: HashSet<String> = kept.iter().cloned().collect();
        let in_kept = |r: &Value| reference(r, "company").is_some_and(|c| kept_set.contains(&c));
        coverage.push(self.sites(kept, sink, marks).await?);
        phase("sites");
        let contacts = self
            .counted(
                "company/contacts",
                "company/contacts",
                None,
                |records| self.contact_nodes(records, in_kept),
                sink,
                marks,
            )
            .await?;
        let configurations = self
            .counted(
                "company/configurations",
                "company/configurations",
                None,
                |records| self.configuration_nodes(records, in_kept),
                sink,
                marks,
            )
            .await?;
        let agreements = self
            .counted(
                "finance/agreements",
                "finance/agreements",
                None,
                |records| self.agreement_nodes(records, in_kept),
                sink,
                marks,
            )
            .await?;
        phase("lists");
        for listed in [contacts, configurations, agreements] {
            skipped += listed.skipped;
            coverage.push(listed.coverage);
        }
        sink.skipped(skipped);
        Ok(coverage)
    }

    /// A company flagged deleted (`deletedFlag`) becomes a deleted node; what hangs under it
    /// is left out of the pass with it (`flagged_deleted`).
    pub(super) fn company_node(&self, r: &Value) -> RawNode {
        let mut node = self.node("Company", r, text(r, "name"), None);
        node.deleted = flagged_deleted(r);
        node
    }

    /// Contacts of kept companies.
    pub(super) fn contact_nodes(
        &self,
        records: Vec<Value>,
        in_kept: impl Fn(&Value) -> bool,
    ) -> Vec<RawNode> {
        records
            .iter()
            .filter(|r| in_kept(r))
            .map(|r| {
                let name = format!("{} {}", text(r, "firstName"), text(r, "lastName"));
                let mut node = self.node("Contact", r, name, site_else_company(r));
                add_default_items(&mut node.fields, r);
                node
            })
            .collect()
    }

    /// Configurations of kept companies that the filters keep.
    pub(super) fn configuration_nodes(
        &self,
        records: Vec<Value>,
        in_kept: impl Fn(&Value) -> bool,
    ) -> Vec<RawNode> {
        records
            .iter()
            .filter(|r| in_kept(r) && self.filters.configuration(r))
            .map(|r| self.node("Configuration", r, text(r, "name"), site_else_company(r)))
            .collect()
    }

    /// Agreements of kept companies.
    pub(super) fn agreement_nodes(
        &self,
        records: Vec<Value>,
        in_kept: impl Fn(&Value) -> bool,
    ) -> Vec<RawNode> {
        records
            .iter()
            .filter(|r| in_kept(r))
            .map(|r| {
                self.node(
                    "Agreement",
                    r,
                    text(r, "name"),
                    reference(r, "company").map(|c| ("Company", c)),
                )
            })
            .collect()
    }
}
