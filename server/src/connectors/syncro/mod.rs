//! Syncro (REST v1), docs/CONNECTORS.md §2: `Authorization: Bearer <apiToken>` (never
//! `?api_key=`, which ends up in access logs), the shared 180-a-minute budget of all Syncro
//! sources, and four lists paged 25 at a time by page number: Customer, Contact, Asset, Lead.
//!
//! Paging and its mid-pass restarts are in `walk`; record → node in `records`; live tickets in
//! `tickets`; records written from the API and raw calls in `upstream`.

mod records;
mod tickets;
mod upstream;
mod walk;
mod write;

use std::collections::HashSet;

use async_trait::async_trait;
use entity::enums::{Provider, PsaMetadataKind};
use serde_json::Value;

use self::records::{customer_id, has_serial, id_of, items, node, text};
use self::walk::{ASSETS, CONTACTS, CUSTOMERS, LEADS};
use super::http::Upstream;
use super::{
    ApiCall, ApiReply, Connector, ConnectorError, Coverage, MetadataItem, Net, PageSink, RawNode,
    Ticket, TicketMeta, TicketPage, TicketQuery, TicketWrite,
};
use crate::services::source_settings::SourceSettings;
use crate::services::value_mappings::{is_listed, ExternalValue};

/// "180 requests per minute per IP address" (SY-SPEC `info.description`).
const PER_MINUTE: u32 = 180;

pub struct Syncro {
    http: Upstream,
    base: String,
    authorization: String,
    include_custom: bool,
    include_without_serial: bool,
    /// Asset types the dictionary maps to don't sync (HARDWARE_TYPE to null).
    types_not_synced: Vec<ExternalValue>,
}

impl Syncro {
    pub fn new(
        base_url: &str,
        credentials: &Value,
        settings: &SourceSettings,
        net: &Net,
    ) -> Result<Syncro, ConnectorError> {
        let token = credentials
            .get("apiToken")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ConnectorError::Config("the source has no apiToken".into()))?;
        Ok(Syncro {
            http: Upstream::new(
                net,
                base_url,
                &super::budget_key(Provider::Syncro, base_url),
                Some(PER_MINUTE),
            )?,
            base: base_url.trim_end_matches('/').to_owned(),
            authorization: format!("Bearer {token}"),
            include_custom: settings.include_custom_fields,
            include_without_serial: settings.include_assets_without_serial,
            types_not_synced: settings.hardware_types_not_synced.clone(),
        })
    }

    /// An asset the filters keep: a serial number unless those without are wanted, and an
    /// asset type (a name on the record) not mapped to don't sync.
    fn keeps_asset(&self, asset: &Value) -> bool {
        let asset_type = asset.get("asset_type").and_then(Value::as_str);
        (self.include_without_serial || has_serial(asset))
            && !is_listed(&self.types_not_synced, None, asset_type)
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
                    .header("Accept", "application/json")
            })
            .await?;
        Ok(json)
    }

    /// Customers with at least one contact or one asset the filters keep: a customer with
    /// neither is not synced (SEMANTICS.md "Filters", judged after the asset filters). Syncro
    /// cannot narrow a list to its `customer_id`s, so this reads both lists whole once more;
    /// only the ids are kept. An incomplete walk fails the pass rather than leave customers out.
    async fn customers_with_members(&self) -> Result<HashSet<String>, ConnectorError> {
        let mut with = HashSet::new();
        for list in [&CONTACTS, &ASSETS] {
            let is_asset = list.path == ASSETS.path;
            let walked = self
                .pass(
                    list,
                    |r| {
                        if !is_asset || self.keeps_asset(r) {
                            with.extend(customer_id(r));
                        }
                        None
                    },
                    None,
                )
                .await?;
            if !walked.complete {
                return Err(ConnectorError::Upstream(format!(
                    "{}: received {} of {} records while finding which customers have a contact or an asset",
                    walked.entity,
                    walked.received,
                    walked.reported.map_or("?".into(), |r| r.to_string()),
                )));
            }
        }
        Ok(with)
    }
}

#[async_trait]
impl Connector for Syncro {
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
        self.put_one(node_type, external_id, changes).await
    }

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
        self.put_ticket(external_id, changes).await
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
        self.put_record(node_type, external_id, fields).await
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

    async fn test(&self) -> Result<String, ConnectorError> {
        let me = self.get("me", &[]).await?;
        // `/me` tells which permission is missing before an import stumbles on it.
        for (key, what, permission) in [
            ("customer", "customers", "Customers - List/Search"),
            ("asset", "assets", "Assets - List/Search"),
        ] {
            let read = me.pointer(&format!("/permissions/{key}/read"));
            if read.and_then(Value::as_bool) == Some(false) {
                return Err(ConnectorError::Unauthorized(format!(
                    "the token's user may not read {what}; ask the Syncro account admin for the \"{permission}\" permission"
                )));
            }
        }
        let user = text(&me, "user_name");
        let user = if user.is_empty() {
            text(&me, "user_email")
        } else {
            user
        };
        Ok(format!(
            "Connected to Syncro as {user} ({}).",
            text(&me, "subdomain")
        ))
    }

    async fn fetch_by_id(
        &self,
        collection: &str,
        id: &str,
    ) -> Result<Option<Value>, ConnectorError> {
        let path = super::refetch::record_path(collection, id)?;
        super::refetch::missing_is_none(self.get(&path, &[]).await)
    }

    /// Syncro has no company statuses or types, configuration statuses, agreements or boards;
    /// the nearest lists map onto the kinds ConnectWise fills (docs/CONNECTORS.md §2.4): asset
    /// types as configuration types (HARDWARE_TYPE), ticket statuses and problem types as a
    /// board's statuses and types (with no board), and priorities.
    async fn metadata(&self) -> Result<Vec<MetadataItem>, ConnectorError> {
        let settings = self.get("settings", &[]).await?;
        let tickets = self.get("tickets/settings", &[]).await?;
        let mut out = Vec::new();
        use PsaMetadataKind as K;
        items(
            K::ConfigurationType,
            settings.pointer("/assets/asset_types"),
            &mut out,
        );
        items(K::BoardStatus, tickets.get("ticket_status_list"), &mut out);
        items(
            K::BoardType,
            settings.pointer("/ticket/problem_types"),
            &mut out,
        );
        items(
            K::Priority,
            settings.pointer("/ticket/priorities"),
            &mut out,
        );
        Ok(out)
    }

    async fn import(&self, sink: &mut dyn PageSink) -> Result<Vec<Coverage>, ConnectorError> {
        let custom = self.include_custom;
        let with_members = self.customers_with_members().await?;
        let mut kept: HashSet<String> = HashSet::new();
        let mut coverage = Vec::new();
        coverage.push(
            self.pass(
                &CUSTOMERS,
                |r| {
                    let id = id_of(r);
                    with_members.contains(&id).then(|| {
                        kept.insert(id);
                        node("Customer", r, text(r, "business_then_name"), None, custom)
                    })
                },
                Some(&mut *sink),
            )
            .await?,
        );
        // Contacts and assets hang under their customer; PROVIDERS gives them no root, so one
        // without a customer is skipped (docs/CONNECTORS.md §2.3, "Open points").
        let under_kept = |r: &Value, node_type: &'static str| match customer_id(r) {
            None => {
                tracing::warn!(node_type, id = %id_of(r), "Syncro record without customer_id skipped");
                None
            }
            Some(c) if kept.contains(&c) => Some(("Customer", c)),
            Some(_) => None,
        };
        coverage.push(
            self.pass(
                &CONTACTS,
                |r| {
                    let parent = under_kept(r, "Contact")?;
                    Some(node("Contact", r, text(r, "name"), Some(parent), custom))
                },
                Some(&mut *sink),
            )
            .await?,
        );
        coverage.push(
            self.pass(
                &ASSETS,
                |r| {
                    if !self.keeps_asset(r) {
                        return None;
                    }
                    let parent = under_kept(r, "Asset")?;
                    Some(node("Asset", r, text(r, "name"), Some(parent), custom))
                },
                Some(&mut *sink),
            )
            .await?,
        );
        // A lead hangs under its customer, else is a root; under a customer left out, it is
        // left out with it.
        coverage.push(
            self.pass(
                &LEADS,
                |r| {
                    let name = format!("{} {}", text(r, "first_name"), text(r, "last_name"));
                    let parent = match customer_id(r) {
                        None => None,
                        Some(c) if kept.contains(&c) => Some(("Customer", c)),
                        Some(_) => return None,
                    };
                    Some(node("Lead", r, name, parent, custom))
                },
                Some(&mut *sink),
            )
            .await?,
        );
        Ok(coverage)
    }
}
