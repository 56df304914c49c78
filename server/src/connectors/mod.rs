//! Connectors: one file per provider, each turning a provider's records into `RawNode`s page by
//! page. HTTP only through reqwest (`http`), with the base URL from the source so tests point it
//! at the fakes in tests/. docs/CONNECTORS.md is the brief each follows.

pub mod broadworks;
pub mod connectwise;
pub mod error;
pub mod fields;
pub mod http;
pub mod net;
pub mod refetch;
pub mod syncro;
pub mod tickets;
pub mod words;

use async_trait::async_trait;
use entity::enums::Provider;
use serde_json::Value;

pub use error::ConnectorError;
pub use net::Net;
pub use tickets::{ApiCall, ApiReply, Ticket, TicketMeta, TicketPage, TicketQuery, TicketWrite};

use crate::services::source_settings::SourceSettings;

/// One record as a node: type and ids per PROVIDERS.md, parent by reference.
#[derive(Debug, Clone)]
pub struct RawNode {
    pub node_type: &'static str,
    pub external_id: String,
    pub name: String,
    /// (parent node type, parent external id).
    pub parent: Option<(&'static str, String)>,
    pub fields: Value,
    /// Flagged deleted upstream (ConnectWise `deletedFlag`): stored as a deleted node
    /// (SEMANTICS.md "Node states"), not a present one, whether or not the pass is complete.
    pub deleted: bool,
}

/// One value of a PSA's own vocabulary (statuses, types, boards …), kept by each import.
#[derive(Debug, Clone)]
pub struct MetadataItem {
    pub kind: entity::enums::PsaMetadataKind,
    pub external_id: String,
    pub name: String,
    /// The board a status, type, subtype or item belongs to; empty otherwise.
    pub parent: String,
    pub extra: Value,
}

/// What arrived of one entity kind, against what the provider reported.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub entity: String,
    pub reported: Option<i64>,
    pub received: i64,
    pub complete: bool,
}

/// What a pass ends with.
#[derive(Debug, Clone)]
pub struct Pass {
    pub coverage: Vec<Coverage>,
    /// What the next pass may start from, if this one turns out complete (the connector's own
    /// JSON; ConnectWise: high-water marks per list).
    pub cursor: Option<Value>,
    /// What kind of pass it was, for the job log.
    pub summary: Option<String>,
}

/// Receives pages as they arrive (the import writes each one before the next is fetched, so
/// memory stays flat whatever the source's size).
#[async_trait]
pub trait PageSink: Send {
    async fn page(&mut self, nodes: Vec<RawNode>) -> anyhow::Result<()>;

    /// Records the source's filters left out of this pass.
    fn skipped(&mut self, count: i64);

    /// Records of `node_type` an incremental pass found upstream by a light walk, without
    /// sending them whole: they count as found, like the nodes of a page. Returns those of
    /// them not stored as live nodes, which the connector must then send whole. A sink that
    /// stores nothing has none of them.
    async fn present(
        &mut self,
        node_type: &'static str,
        external_ids: Vec<String>,
    ) -> anyhow::Result<Vec<String>> {
        let _ = node_type;
        Ok(external_ids)
    }

    /// An incremental pass will ask `present` about these types: a sink that must read its
    /// stored nodes to answer may start now, while the connector is still walking.
    async fn expect(&mut self, node_types: &[&'static str]) -> anyhow::Result<()> {
        let _ = node_types;
        Ok(())
    }
}

#[async_trait]
pub trait Connector: Send + Sync {
    /// One full pass over every node type, parents before children.
    async fn import(&self, sink: &mut dyn PageSink) -> Result<Vec<Coverage>, ConnectorError>;

    /// A pass that may start from `cursor`, what the last complete pass of this source
    /// returned. A connector that can fetch only what changed overrides this; the others run
    /// a full pass every time.
    async fn import_from(
        &self,
        sink: &mut dyn PageSink,
        cursor: Option<&Value>,
    ) -> Result<Pass, ConnectorError> {
        let _ = cursor;
        Ok(Pass {
            coverage: self.import(sink).await?,
            cursor: None,
            summary: None,
        })
    }

    /// One cheap authenticated call; what a person reads when it works.
    async fn test(&self) -> Result<String, ConnectorError>;

    /// The PSA's metadata lists, whole (switches have none).
    async fn metadata(&self) -> Result<Vec<MetadataItem>, ConnectorError> {
        Ok(Vec::new())
    }

    /// One record's fields as it is now, flattened as an import stores them: write-back reads
    /// it to tell a value the source changed since the last import.
    async fn read_record(
        &self,
        node_type: &str,
        _external_id: &str,
    ) -> Result<Value, ConnectorError> {
        Err(not_writable(node_type))
    }

    /// One record of `collection` (the provider's path: `company/companies`, `customers` …)
    /// as the provider sends it, unwrapped from any envelope: what a webhook announced,
    /// re-fetched. `None` when the provider has no such record.
    async fn fetch_by_id(
        &self,
        collection: &str,
        _id: &str,
    ) -> Result<Option<Value>, ConnectorError> {
        Err(not_writable(collection))
    }

    /// Writes `changes` (node field key, value) to one record.
    async fn write_record(
        &self,
        node_type: &str,
        _external_id: &str,
        _changes: &[(String, Value)],
    ) -> Result<(), ConnectorError> {
        Err(not_writable(node_type))
    }

    /// One page of tickets, newest first (PSAs only).
    async fn tickets(&self, query: &TicketQuery) -> Result<TicketPage, ConnectorError> {
        let _ = query;
        Err(tickets::unsupported("tickets"))
    }

    /// One ticket; `None` when the provider has no ticket with that id.
    async fn ticket(&self, external_id: &str) -> Result<Option<Ticket>, ConnectorError> {
        let _ = external_id;
        Err(tickets::unsupported("tickets"))
    }

    /// The boards, priorities and statuses a ticket may have.
    async fn ticket_meta(&self) -> Result<TicketMeta, ConnectorError> {
        Err(tickets::unsupported("tickets"))
    }

    async fn create_ticket(&self, ticket: &TicketWrite) -> Result<Ticket, ConnectorError> {
        let _ = ticket;
        Err(tickets::unsupported("tickets"))
    }

    async fn update_ticket(
        &self,
        external_id: &str,
        changes: &TicketWrite,
    ) -> Result<Ticket, ConnectorError> {
        let _ = (external_id, changes);
        Err(tickets::unsupported("tickets"))
    }

    /// Creates a record upstream from `fields` (the provider's own JSON keys) and returns it as
    /// a node, as an import would store it.
    async fn create_record(
        &self,
        node_type: &str,
        fields: &Value,
    ) -> Result<RawNode, ConnectorError> {
        let _ = fields;
        Err(not_writable(node_type))
    }

    /// Changes a record upstream and returns it as a node, as the provider now has it.
    async fn update_record(
        &self,
        node_type: &str,
        external_id: &str,
        fields: &Value,
    ) -> Result<RawNode, ConnectorError> {
        let _ = (external_id, fields);
        Err(not_writable(node_type))
    }

    /// Deletes a record upstream.
    async fn delete_record(
        &self,
        node_type: &str,
        external_id: &str,
    ) -> Result<(), ConnectorError> {
        let _ = external_id;
        Err(not_writable(node_type))
    }

    /// Sends a raw request under the base URL with the source's credentials.
    async fn call_api(&self, call: &ApiCall) -> Result<ApiReply, ConnectorError> {
        let _ = call;
        Err(tickets::unsupported("raw API calls"))
    }
}

/// What a connector answers for records it cannot write.
pub fn not_writable(node_type: &str) -> ConnectorError {
    ConnectorError::Config(format!(
        "writing {node_type} records back is not supported for this provider"
    ))
}

/// `testConnection` in words a person can act on: (ok, message).
pub async fn test_connection(
    provider: Provider,
    base_url: &str,
    credentials: &Value,
    settings: &SourceSettings,
    net: &Net,
) -> (bool, String) {
    let label = crate::providers::spec(provider).label;
    let connector = match for_source(provider, base_url, credentials, settings, net) {
        None => {
            return (
                false,
                format!("Switchboard cannot connect to {label} yet: its connector is not built."),
            )
        }
        Some(Err(err)) => return (false, err.message()),
        Some(Ok(c)) => c,
    };
    match connector.test().await {
        Ok(message) => (true, message),
        Err(ConnectorError::Unauthorized(words)) => {
            (false, format!("{label} refused the credentials ({words}). Check each credential field and try again."))
        }
        Err(ConnectorError::Upstream(words)) => {
            (false, format!("{label} did not answer as expected ({words}). Check the base URL: {base_url}"))
        }
        Err(err) => (false, err.message()),
    }
}

/// The request budget a source draws on: one per provider host, except Syncro, whose limit is
/// per client IP whatever the subdomain, so all Syncro sources share one (docs/CONNECTORS.md §2.5).
pub fn budget_key(provider: Provider, base_url: &str) -> String {
    match provider {
        Provider::Syncro => "syncro".into(),
        _ => reqwest::Url::parse(base_url)
            .map(|u| net::host_key(&u))
            .unwrap_or_else(|_| base_url.to_owned()),
    }
}

/// The connector for a source, if its provider has one.
pub fn for_source(
    provider: Provider,
    base_url: &str,
    credentials: &Value,
    settings: &SourceSettings,
    net: &Net,
) -> Option<Result<Box<dyn Connector>, ConnectorError>> {
    match provider {
        Provider::ConnectwiseManage => Some(
            connectwise::ConnectWise::new(base_url, credentials, settings, net)
                .map(|c| Box::new(c) as Box<dyn Connector>),
        ),
        Provider::Syncro => Some(
            syncro::Syncro::new(base_url, credentials, settings, net)
                .map(|c| Box::new(c) as Box<dyn Connector>),
        ),
        Provider::Broadworks => Some(
            broadworks::BroadWorks::new(base_url, credentials, settings, net)
                .map(|c| Box::new(c) as Box<dyn Connector>),
        ),
        _ => None,
    }
}

/// Whether a provider's connector writes records back. BroadWorks is read only here: the OCI-P
/// commands the documents we follow describe (API-NOTES §6.4) only list and read.
pub fn writes_back(provider: Provider) -> bool {
    matches!(provider, Provider::ConnectwiseManage | Provider::Syncro)
}

/// Refuses write-back fields on a source whose provider cannot write them.
pub fn check_write_back(
    provider: Provider,
    settings: &SourceSettings,
    field: &str,
) -> Result<(), crate::error::ApiError> {
    if settings.write_back_fields.is_empty() || writes_back(provider) {
        return Ok(());
    }
    Err(crate::error::ApiError::bad_input(
        field,
        format!(
            "{} records cannot be written back; leave writeBackFields empty",
            crate::providers::spec(provider).label
        ),
    ))
}
