//! ConnectWise Manage (REST 3.0), docs/CONNECTORS.md §1: Basic `companyId+publicKey:privateKey`
//! plus `clientId`; every list paged by id (`conditions=id>N`, `orderBy=id asc`, 1000 a page),
//! which cannot skip a record deleted mid-pass; `/count` before and after each pass for coverage.
//!
//! `filters.rs` holds the source's filters, `lists.rs` the paging and counting of lists, and
//! `records.rs` the reading of one record.

mod filters;
mod lists;
mod records;
mod write;

use async_trait::async_trait;
use base64::{engine::general_purpose::STANDARD, Engine};
use futures::StreamExt;
use serde_json::Value;

use self::filters::Filters;
use self::records::{add_default_items, id_of, item, reference, site_else_company, store, text};
use super::fields::flatten;
use super::http::Upstream;
use super::{Connector, ConnectorError, Coverage, MetadataItem, PageSink, RawNode};
use crate::services::source_settings::SourceSettings;

const PAGE_SIZE: usize = 1000;
/// Per-company site lists fetched at once.
const SITE_REQUESTS_IN_FLIGHT: usize = 32;

pub struct ConnectWise {
    http: Upstream,
    base: String,
    authorization: String,
    client_id: String,
    include_custom: bool,
    filters: Filters,
}

impl ConnectWise {
    pub fn new(
        base_url: &str,
        credentials: &Value,
        settings: &SourceSettings,
        net: &super::Net,
    ) -> Result<ConnectWise, ConnectorError> {
        let get = |key: &str| {
            credentials
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| ConnectorError::Config(format!("the source has no {key}")))
        };
        let basic = format!(
            "{}+{}:{}",
            get("companyId")?,
            get("publicKey")?,
            get("privateKey")?
        );
        Ok(ConnectWise {
            // No request limit is documented for ConnectWise (docs/CONNECTORS.md §1.4).
            http: Upstream::new(
                net,
                base_url,
                &super::budget_key(entity::enums::Provider::ConnectwiseManage, base_url),
                None,
            )?,
            base: base_url.trim_end_matches('/').to_owned(),
            authorization: format!("Basic {}", STANDARD.encode(basic)),
            client_id: get("clientId")?,
            include_custom: settings.include_custom_fields,
            filters: Filters {
                company_statuses: settings.company_statuses.clone(),
                company_types: settings.company_types.clone(),
                configuration_statuses: settings.configuration_statuses.clone(),
                include_without_serial: settings.include_assets_without_serial,
            },
        })
    }

    fn node(
        &self,
        node_type: &'static str,
        record: &Value,
        name: String,
        parent: Option<(&'static str, String)>,
    ) -> RawNode {
        let external_id = id_of(record);
        let name = if name.trim().is_empty() {
            external_id.clone()
        } else {
            name.trim().to_owned()
        };
        RawNode {
            node_type,
            external_id,
            name,
            parent,
            fields: flatten(record, Some("customFields"), self.include_custom),
        }
    }
}

#[async_trait]
impl Connector for ConnectWise {
    async fn read_record(
        &self,
        node_type: &str,
        external_id: &str,
    ) -> Result<Value, ConnectorError> {
        self.read_one(node_type, external_id).await
    }

    async fn write_record(
        &self,
        node_type: &str,
        external_id: &str,
        changes: &[(String, Value)],
    ) -> Result<(), ConnectorError> {
        self.patch_one(node_type, external_id, changes).await
    }

    async fn metadata(&self) -> Result<Vec<MetadataItem>, ConnectorError> {
        use entity::enums::PsaMetadataKind as K;
        let mut out = Vec::new();
        // Configuration statuses are named by `description` (docs/CONNECTORS.md §1.4).
        let lists = [
            (K::CompanyStatus, "company/companies/statuses", "name"),
            (K::CompanyType, "company/companies/types", "name"),
            (
                K::ConfigurationStatus,
                "company/configurations/statuses",
                "description",
            ),
            (K::ConfigurationType, "company/configurations/types", "name"),
            (K::AgreementType, "finance/agreements/types", "name"),
            (K::Priority, "service/priorities", "name"),
            (K::Board, "service/boards", "name"),
        ];
        for (kind, path, name_key) in lists {
            out.extend(
                self.all(path)
                    .await?
                    .iter()
                    .map(|r| item(kind, r, name_key, String::new())),
            );
        }
        let boards: Vec<String> = out
            .iter()
            .filter(|m| m.kind == K::Board)
            .map(|m| m.external_id.clone())
            .collect();
        for board in boards {
            for (kind, list) in [
                (K::BoardStatus, "statuses"),
                (K::BoardType, "types"),
                (K::BoardSubtype, "subtypes"),
                (K::BoardItem, "items"),
            ] {
                let records = self.all(&format!("service/boards/{board}/{list}")).await?;
                out.extend(records.iter().map(|r| item(kind, r, "name", board.clone())));
            }
        }
        Ok(out)
    }

    async fn test(&self) -> Result<String, ConnectorError> {
        let info = self.get("system/info", &[]).await?;
        let version = info
            .get("version")
            .and_then(Value::as_str)
            .unwrap_or("unknown version");
        Ok(format!("Connected to ConnectWise Manage ({version})."))
    }

    async fn import(&self, sink: &mut dyn PageSink) -> Result<Vec<Coverage>, ConnectorError> {
        let mut coverage = Vec::new();
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
                |records| {
                    records
                        .iter()
                        .filter(|r| self.filters.company(r) && with_members.contains(&id_of(r)))
                        .map(|r| {
                            kept.push(id_of(r));
                            self.node("Company", r, text(r, "name"), None)
                        })
                        .collect()
                },
                sink,
            )
            .await?;
        coverage.push(companies);
        phase("companies");
        let kept_set: std::collections::HashSet<String> = kept.iter().cloned().collect();
        let in_kept = |r: &Value| reference(r, "company").is_some_and(|c| kept_set.contains(&c));
        // Sites are listed per company (no top-level list is documented): a few companies in
        // flight at once, and their sites gathered into full pages so that a large tree is not
        // written one site at a time.
        let mut sites = 0i64;
        let mut batch = Vec::new();
        let mut fetches = futures::stream::iter(kept.clone())
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
        phase("sites");
        coverage.push(Coverage {
            entity: "company/companies/{id}/sites".into(),
            reported: None,
            received: sites,
            complete: true,
        });
        let contacts = self
            .counted(
                "company/contacts",
                "company/contacts",
                |records| {
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
                },
                sink,
            )
            .await?;
        coverage.push(contacts);
        phase("contacts");
        let configurations = self
            .counted(
                "company/configurations",
                "company/configurations",
                |records| {
                    records
                        .iter()
                        .filter(|r| in_kept(r) && self.filters.configuration(r))
                        .map(|r| {
                            self.node("Configuration", r, text(r, "name"), site_else_company(r))
                        })
                        .collect()
                },
                sink,
            )
            .await?;
        coverage.push(configurations);
        phase("configurations");
        let agreements = self
            .counted(
                "finance/agreements",
                "finance/agreements",
                |records| {
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
                },
                sink,
            )
            .await?;
        coverage.push(agreements);
        Ok(coverage)
    }
}
