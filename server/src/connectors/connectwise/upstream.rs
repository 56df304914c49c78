//! Writing ConnectWise records from the API (`createSourceRecord` …): companies and contacts
//! by `POST`, JSON Patch and `DELETE` on their collections (API-NOTES §1.5, §1.6), each answer
//! turned into a node as the import would store it; and the raw call of `callSourceApi`.

use serde_json::Value;

use super::ConnectWise;
use crate::connectors::{not_writable, ApiCall, ApiReply, ConnectorError, RawNode};

fn collection(node_type: &str) -> Result<&'static str, ConnectorError> {
    match node_type {
        "Company" => Ok("company/companies"),
        "Contact" => Ok("company/contacts"),
        other => Err(not_writable(other)),
    }
}

fn record_url(base: &str, node_type: &str, external_id: &str) -> Result<String, ConnectorError> {
    let collection = collection(node_type)?;
    if external_id.is_empty() || !external_id.chars().all(|c| c.is_ascii_digit()) {
        return Err(ConnectorError::Invalid {
            field: "nodeId".into(),
            message: format!("{external_id:?} is not a ConnectWise record id"),
        });
    }
    Ok(format!("{base}/{collection}/{external_id}"))
}

impl ConnectWise {
    /// A record as the import turns it into a node.
    fn as_node(&self, node_type: &str, record: Value) -> Result<RawNode, ConnectorError> {
        match node_type {
            "Company" => Ok(self.company_node(&record)),
            _ => self
                .contact_nodes(vec![record], |_| true)
                .pop()
                .ok_or_else(|| ConnectorError::Decode("the contact came back empty".into())),
        }
    }

    pub(super) async fn post_record(
        &self,
        node_type: &str,
        fields: &Value,
    ) -> Result<RawNode, ConnectorError> {
        let url = format!("{}/{}", self.base, collection(node_type)?);
        let (record, _) = self
            .http
            .json(|client| self.authorized(client.post(&url)).json(fields))
            .await?;
        self.as_node(node_type, record)
    }

    /// One `replace` per given field (`a.b` patches `/a/b`).
    pub(super) async fn patch_record(
        &self,
        node_type: &str,
        external_id: &str,
        fields: &Value,
    ) -> Result<RawNode, ConnectorError> {
        let url = record_url(&self.base, node_type, external_id)?;
        let changes: Vec<(String, Value)> = fields
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let body = super::write::patch_document(&changes);
        let (record, _) = self
            .http
            .json(|client| self.authorized(client.patch(&url)).json(&body))
            .await?;
        self.as_node(node_type, record)
    }

    pub(super) async fn remove_record(
        &self,
        node_type: &str,
        external_id: &str,
    ) -> Result<(), ConnectorError> {
        let url = record_url(&self.base, node_type, external_id)?;
        // The answer is 204 without a body.
        self.http
            .fetch(|client| self.authorized(client.delete(&url)), |_| Ok(()))
            .await?;
        Ok(())
    }

    pub(super) async fn raw_call(&self, call: &ApiCall) -> Result<ApiReply, ConnectorError> {
        crate::connectors::tickets::raw_call(&self.http, &self.base, call, |request| {
            self.authorized(request)
        })
        .await
    }
}
