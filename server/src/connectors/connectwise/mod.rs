//! ConnectWise Manage (REST 3.0), docs/CONNECTORS.md §1: Basic `companyId+publicKey:privateKey`
//! plus `clientId`; every list paged by id (`conditions=id>N`, `orderBy=id asc`, 1000 a page),
//! which cannot skip a record deleted mid-pass; `/count` before and after each pass for coverage.
//!
//! A pass is full (`full.rs`) or incremental (`incremental.rs`, from the marks in `cursor.rs`).
//! `filters.rs` holds the source's filters, `lists.rs` the paging and counting of lists, and
//! `records.rs` the reading of one record. `tickets.rs` reads and writes tickets live;
//! `upstream.rs` writes companies and contacts for the API and sends raw calls.

mod cursor;
mod filters;
mod full;
mod incremental;
mod lists;
mod records;
mod sites;
mod tickets;
mod upstream;
mod walks;
mod write;

use async_trait::async_trait;
use base64::{engine::general_purpose::STANDARD, Engine};
use chrono::Utc;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use self::cursor::{describe, Cursor, Marks};
pub use self::cursor::{CLOCK_SKEW_MARGIN, FULL_PASS_EVERY};
use self::filters::Filters;
use self::records::{id_of, item};
use super::fields::flatten;
use super::http::Upstream;
use super::{
    ApiCall, ApiReply, Connector, ConnectorError, Coverage, MetadataItem, PageSink, Pass, RawNode,
    Ticket, TicketMeta, TicketPage, TicketQuery, TicketWrite,
};
use crate::services::source_settings::SourceSettings;

const PAGE_SIZE: usize = 1000;

pub struct ConnectWise {
    http: Upstream,
    base: String,
    authorization: String,
    client_id: String,
    include_custom: bool,
    filters: Filters,
    /// What marks are valid for (`Cursor::scope`): the source and everything that decides
    /// which records become which nodes.
    scope: String,
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
        let scope = json!({
            "base": base_url.trim_end_matches('/'),
            "companyId": get("companyId")?,
            "companyStatuses": settings.company_statuses,
            "companyTypes": settings.company_types,
            "configurationStatuses": settings.configuration_statuses,
            "includeAssetsWithoutSerial": settings.include_assets_without_serial,
            "includeCustomFields": settings.include_custom_fields,
        });
        let scope = hex::encode(Sha256::digest(scope.to_string()));
        Ok(ConnectWise {
            scope,
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
                types_not_synced: settings.hardware_types_not_synced.clone(),
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
            deleted: false,
        }
    }
}

#[async_trait]
impl Connector for ConnectWise {
    async fn tickets(&self, query: &TicketQuery) -> Result<TicketPage, ConnectorError> {
        self.list_tickets(query).await
    }

    async fn ticket(&self, external_id: &str) -> Result<Option<Ticket>, ConnectorError> {
        self.one_ticket(external_id).await
    }

    async fn ticket_meta(&self) -> Result<TicketMeta, ConnectorError> {
        self.meta_of_tickets().await
    }

    async fn create_ticket(&self, ticket: &TicketWrite) -> Result<Ticket, ConnectorError> {
        self.post_ticket(ticket).await
    }

    async fn update_ticket(
        &self,
        external_id: &str,
        changes: &TicketWrite,
    ) -> Result<Ticket, ConnectorError> {
        self.patch_ticket(external_id, changes).await
    }

    async fn create_record(
        &self,
        node_type: &str,
        fields: &Value,
    ) -> Result<RawNode, ConnectorError> {
        self.post_record(node_type, fields).await
    }

    async fn update_record(
        &self,
        node_type: &str,
        external_id: &str,
        fields: &Value,
    ) -> Result<RawNode, ConnectorError> {
        self.patch_record(node_type, external_id, fields).await
    }

    async fn delete_record(
        &self,
        node_type: &str,
        external_id: &str,
    ) -> Result<(), ConnectorError> {
        self.remove_record(node_type, external_id).await
    }

    async fn call_api(&self, call: &ApiCall) -> Result<ApiReply, ConnectorError> {
        self.raw_call(call).await
    }

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

    async fn fetch_by_id(
        &self,
        collection: &str,
        id: &str,
    ) -> Result<Option<Value>, ConnectorError> {
        let path = super::refetch::record_path(collection, id)?;
        super::refetch::missing_is_none(self.get(&path, &[]).await)
    }

    async fn import(&self, sink: &mut dyn PageSink) -> Result<Vec<Coverage>, ConnectorError> {
        self.full_pass(sink, &mut Marks::default()).await
    }

    /// Incremental when the last complete pass left a cursor for this source and filters and
    /// the last full pass is less than `FULL_PASS_EVERY` old; full otherwise.
    async fn import_from(
        &self,
        sink: &mut dyn PageSink,
        cursor: Option<&Value>,
    ) -> Result<Pass, ConnectorError> {
        let started = Utc::now();
        let mut seen = Marks::default();
        match Cursor::usable(cursor, &self.scope, started) {
            Some(prior) => {
                let coverage = self.incremental_pass(sink, &prior.marks, &mut seen).await?;
                let summary = format!(
                    "incremental pass: whole records only for what changed since {}; presence from id-only lists (the next full pass is due by {})",
                    describe(&prior.marks),
                    prior.full_at + FULL_PASS_EVERY
                );
                Ok(Pass {
                    coverage,
                    cursor: serde_json::to_value(Cursor {
                        scope: self.scope.clone(),
                        full_at: prior.full_at,
                        marks: seen.settled(&prior.marks, started),
                    })
                    .ok(),
                    summary: Some(summary),
                })
            }
            None => {
                let coverage = self.full_pass(sink, &mut seen).await?;
                Ok(Pass {
                    coverage,
                    cursor: serde_json::to_value(Cursor {
                        scope: self.scope.clone(),
                        full_at: started,
                        marks: seen.settled(&Marks::default(), started),
                    })
                    .ok(),
                    summary: Some("full pass: every record of every list".into()),
                })
            }
        }
    }
}
