//! Write-back to ConnectWise (API-NOTES §1.5): `GET {collection}/{id}` to read a record as it is
//! now, and `PATCH {collection}/{id}` with a JSON Patch (RFC 6902) of `replace` operations, one
//! per field, paths like `/purchaseDate` (a flattened key `a.b` becomes `/a/b`).

use serde_json::{json, Value};

use super::ConnectWise;
use crate::connectors::fields::flatten;
use crate::connectors::{not_writable, ConnectorError};

/// The collection a node type's records live in. Sites hang under their company and contacts
/// keep email and phone in communication items, so neither is written back.
fn collection(node_type: &str) -> Result<&'static str, ConnectorError> {
    match node_type {
        "Company" => Ok("company/companies"),
        "Configuration" => Ok("company/configurations"),
        "Agreement" => Ok("finance/agreements"),
        other => Err(not_writable(other)),
    }
}

/// A record id as ConnectWise's paths take it: digits only, so nothing can leave the collection.
fn record_path(node_type: &str, external_id: &str) -> Result<String, ConnectorError> {
    let collection = collection(node_type)?;
    if external_id.is_empty() || !external_id.chars().all(|c| c.is_ascii_digit()) {
        return Err(ConnectorError::Config(format!(
            "{external_id:?} is not a ConnectWise record id"
        )));
    }
    Ok(format!("{collection}/{external_id}"))
}

/// The JSON Patch of `changes`: one `replace` per field.
pub(super) fn patch_document(changes: &[(String, Value)]) -> Value {
    Value::Array(
        changes
            .iter()
            .map(|(key, value)| {
                let path: String = key
                    .split('.')
                    .map(|part| format!("/{}", part.replace('~', "~0").replace('/', "~1")))
                    .collect();
                json!({"op": "replace", "path": path, "value": value})
            })
            .collect(),
    )
}

impl ConnectWise {
    pub(super) async fn read_one(
        &self,
        node_type: &str,
        external_id: &str,
    ) -> Result<Value, ConnectorError> {
        let path = record_path(node_type, external_id)?;
        let record = self.get(&path, &[]).await?;
        Ok(flatten(&record, Some("customFields"), self.include_custom))
    }

    pub(super) async fn patch_one(
        &self,
        node_type: &str,
        external_id: &str,
        changes: &[(String, Value)],
    ) -> Result<(), ConnectorError> {
        let url = format!("{}/{}", self.base, record_path(node_type, external_id)?);
        let body = patch_document(changes);
        self.http
            .json(|client| {
                client
                    .patch(&url)
                    .header("Authorization", &self.authorization)
                    .header("clientId", &self.client_id)
                    .header("Accept", "application/json")
                    .json(&body)
            })
            .await?;
        Ok(())
    }
}
