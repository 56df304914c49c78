//! ConnectWise Manage (REST 3.0), docs/CONNECTORS.md §1: Basic `companyId+publicKey:privateKey`
//! plus `clientId`; every list paged by id (`conditions=id>N`, `orderBy=id asc`, 1000 a page),
//! which cannot skip a record deleted mid-pass; `/count` before and after each pass for coverage.

use async_trait::async_trait;
use base64::{engine::general_purpose::STANDARD, Engine};
use futures::StreamExt;
use serde_json::Value;

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

/// The source's filters (SEMANTICS.md "Filters"): names match exactly, ignoring case; an empty
/// list lets everything through.
struct Filters {
    company_statuses: Vec<String>,
    company_types: Vec<String>,
    configuration_statuses: Vec<String>,
    include_without_serial: bool,
}

fn listed(list: &[String], name: Option<&str>) -> bool {
    list.is_empty() || name.is_some_and(|n| list.iter().any(|l| l.eq_ignore_ascii_case(n)))
}

impl Filters {
    fn company(&self, r: &Value) -> bool {
        let status = r
            .get("status")
            .and_then(|s| s.get("name"))
            .and_then(Value::as_str);
        let types: Vec<&str> = r
            .get("types")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|t| t.get("name")?.as_str())
            .collect();
        listed(&self.company_statuses, status)
            && (self.company_types.is_empty()
                || types.iter().any(|t| listed(&self.company_types, Some(t))))
    }

    /// A configuration: its status listed, and a serial number unless those without are wanted
    /// (missing, empty or white space counts as without).
    fn configuration(&self, r: &Value) -> bool {
        let status = r
            .get("status")
            .and_then(|s| s.get("name"))
            .and_then(Value::as_str);
        let has_serial = r
            .get("serialNumber")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty());
        listed(&self.configuration_statuses, status) && (self.include_without_serial || has_serial)
    }
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

    async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Value, ConnectorError> {
        let url = format!("{}/{path}", self.base);
        let (json, _) = self
            .http
            .json(|client| {
                client
                    .get(&url)
                    .query(query)
                    .header("Authorization", &self.authorization)
                    .header("clientId", &self.client_id)
                    .header("Accept", "application/json")
            })
            .await?;
        Ok(json)
    }

    async fn count(&self, path: &str) -> Result<i64, ConnectorError> {
        let json = self.get(&format!("{path}/count"), &[]).await?;
        json.get("count")
            .and_then(Value::as_i64)
            .ok_or_else(|| ConnectorError::Decode(format!("{path}/count has no count")))
    }

    /// Every record of a list, in id order, page by page into `each`.
    async fn pages(
        &self,
        path: &str,
        mut each: impl FnMut(Vec<Value>) -> Vec<RawNode>,
        sink: &mut dyn PageSink,
    ) -> Result<i64, ConnectorError> {
        let mut last_id = 0i64;
        let mut received = 0i64;
        loop {
            let records = self.page_after(path, &last_id.to_string(), None).await?;
            let len = records.len();
            received += len as i64;
            if let Some(id) = records
                .last()
                .and_then(|r| r.get("id"))
                .and_then(Value::as_i64)
            {
                last_id = id;
            }
            let nodes = each(records);
            sink.skipped((len - nodes.len()) as i64);
            store(sink, nodes).await?;
            if len < PAGE_SIZE {
                return Ok(received);
            }
        }
    }

    /// The page of `path` after id `last`, in id order: keyset paging, which a deletion
    /// between two requests cannot make skip a record.
    async fn page_after(
        &self,
        path: &str,
        last: &str,
        fields: Option<&str>,
    ) -> Result<Vec<Value>, ConnectorError> {
        let mut query = vec![
            ("conditions", format!("id>{last}")),
            ("orderBy", "id asc".into()),
            ("pageSize", PAGE_SIZE.to_string()),
        ];
        if let Some(fields) = fields {
            query.push(("fields", fields.to_owned()));
        }
        let page = self.get(path, &query).await?;
        page.as_array()
            .cloned()
            .ok_or_else(|| ConnectorError::Decode(format!("{path} did not return a list")))
    }

    /// Calls `each` on every record of a list, page by page, keeping nothing (`fields` narrows
    /// what the provider sends).
    async fn walk(
        &self,
        path: &str,
        fields: &str,
        mut each: impl FnMut(&Value),
    ) -> Result<(), ConnectorError> {
        // Checked like every pass: a short page here must not leave companies out (and so
        // delete them), so an incomplete walk fails the pass instead.
        let before = self.count(path).await?;
        let mut walked = 0i64;
        let mut last = "0".to_owned();
        loop {
            let records = self.page_after(path, &last, Some(fields)).await?;
            walked += records.len() as i64;
            records.iter().for_each(&mut each);
            match records.last() {
                Some(r) if records.len() >= PAGE_SIZE => last = id_of(r),
                _ => break,
            }
        }
        let after = self.count(path).await?;
        if before.min(after) <= walked && walked <= before.max(after) {
            Ok(())
        } else {
            Err(ConnectorError::Upstream(format!(
                "{path}: received {walked} of {after} records"
            )))
        }
    }

    /// Companies with at least one contact or one configuration the filters keep: a company
    /// with neither is not synced (SEMANTICS.md "Filters"; sites do not count).
    async fn companies_with_members(
        &self,
    ) -> Result<std::collections::HashSet<String>, ConnectorError> {
        let mut with = std::collections::HashSet::new();
        self.walk("company/contacts", "id,company/id", |r| {
            with.extend(reference(r, "company"));
        })
        .await?;
        self.walk(
            "company/configurations",
            "id,company/id,status/name,serialNumber",
            |r| {
                if self.filters.configuration(r) {
                    with.extend(reference(r, "company"));
                }
            },
        )
        .await?;
        Ok(with)
    }

    /// A whole (small) list, in id order.
    async fn all(&self, path: &str) -> Result<Vec<Value>, ConnectorError> {
        let mut out = Vec::new();
        loop {
            let last = out.last().map(id_of).unwrap_or_else(|| "0".into());
            let records = self.page_after(path, &last, None).await?;
            let done = records.len() < PAGE_SIZE;
            out.extend(records);
            if done {
                return Ok(out);
            }
        }
    }

    /// A counted pass over one top-level list: complete when what arrived lies between the
    /// counts taken before and after (a record deleted or added mid-pass may or may not arrive).
    async fn counted(
        &self,
        entity: &str,
        path: &str,
        each: impl FnMut(Vec<Value>) -> Vec<RawNode>,
        sink: &mut dyn PageSink,
    ) -> Result<Coverage, ConnectorError> {
        let before = self.count(path).await?;
        let received = self.pages(path, each, sink).await?;
        let after = self.count(path).await?;
        let complete = before.min(after) <= received && received <= before.max(after);
        Ok(Coverage {
            entity: entity.into(),
            reported: Some(after),
            received,
            complete,
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

/// Hands a page to the import (nothing when it is empty).
async fn store(sink: &mut dyn PageSink, nodes: Vec<RawNode>) -> Result<(), ConnectorError> {
    if nodes.is_empty() {
        return Ok(());
    }
    sink.page(nodes)
        .await
        .map_err(|e| ConnectorError::Upstream(format!("storing a page failed: {e:#}")))
}

fn id_of(record: &Value) -> String {
    match record.get("id") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

fn text(record: &Value, key: &str) -> String {
    record
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn reference(record: &Value, key: &str) -> Option<String> {
    let id = record.get(key)?.get("id")?;
    Some(match id {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    })
}

/// Contacts and configurations hang under their site, else their company (PROVIDERS.md).
fn site_else_company(record: &Value) -> Option<(&'static str, String)> {
    reference(record, "site")
        .map(|s| ("Site", s))
        .or_else(|| reference(record, "company").map(|c| ("Company", c)))
}

/// Contacts also get `email` and `phone`: the default item of each kind.
fn add_default_items(fields: &mut Value, record: &Value) {
    let items = record
        .get("communicationItems")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (kind, key) in [("Email", "email"), ("Phone", "phone")] {
        let default = items.iter().find(|i| {
            i.get("communicationType").and_then(Value::as_str) == Some(kind)
                && i.get("defaultFlag").and_then(Value::as_bool) == Some(true)
        });
        if let (Some(value), Some(map)) =
            (default.and_then(|i| i.get("value")), fields.as_object_mut())
        {
            map.insert(key.into(), value.clone());
        }
    }
}

fn item(
    kind: entity::enums::PsaMetadataKind,
    record: &Value,
    name_key: &str,
    parent: String,
) -> MetadataItem {
    MetadataItem {
        kind,
        external_id: id_of(record),
        name: text(record, name_key),
        parent,
        extra: record.clone(),
    }
}
