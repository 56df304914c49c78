//! Writing Syncro records from the API (`createSourceRecord` …), SY-SPEC: customers, contacts
//! and leads by `POST /<list>` and `PUT /<list>/{id}`, customers and contacts by `DELETE`
//! (leads cannot be deleted); each answer turned into a node as the import stores it. Customers
//! and leads answer wrapped (`{"customer": …}`), contacts bare. Also the raw call of
//! `callSourceApi`, and `send`, the one way this connector writes.

use reqwest::Method;
use serde_json::Value;

use super::records::{self, customer_id, node, text};
use super::Syncro;
use crate::connectors::{not_writable, ApiCall, ApiReply, ConnectorError, RawNode};

/// (list path, wrapper key of its answers) of a node type written from the API: customers,
/// contacts and leads (assets are only written back).
fn list_of(node_type: &str) -> Result<(&'static str, &'static str), ConnectorError> {
    match records::list_of(node_type) {
        Some(list) if node_type != "Asset" => Ok(list),
        _ => Err(not_writable(node_type)),
    }
}

fn record_id(external_id: &str) -> Result<&str, ConnectorError> {
    if !records::is_record_id(external_id) {
        return Err(ConnectorError::Invalid {
            field: "nodeId".into(),
            message: format!("{external_id:?} is not a Syncro record id"),
        });
    }
    Ok(external_id)
}

impl Syncro {
    /// Sends a JSON body and reads the JSON answer (an empty answer reads as null).
    pub(super) async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, ConnectorError> {
        let url = format!("{}/{path}", self.base);
        let (json, _) = self
            .http
            .fetch(
                |client| {
                    let request = client
                        .request(method.clone(), &url)
                        .header("Authorization", &self.authorization)
                        .header("Accept", "application/json");
                    match body {
                        Some(b) => request.json(b),
                        None => request,
                    }
                },
                |text| {
                    if text.trim().is_empty() {
                        return Ok(Value::Null);
                    }
                    serde_json::from_str(text)
                        .map_err(|err| ConnectorError::Decode(format!("not JSON ({err})")))
                },
            )
            .await?;
        Ok(json)
    }

    /// A record of `node_type` as the import turns it into a node.
    fn as_node(&self, node_type: &str, answer: Value) -> Result<RawNode, ConnectorError> {
        let (_, key) = list_of(node_type)?;
        let r = answer.get(key).cloned().unwrap_or(answer);
        let custom = self.include_custom;
        let under = customer_id(&r).map(|c| ("Customer", c));
        Ok(match node_type {
            "Customer" => node("Customer", &r, text(&r, "business_then_name"), None, custom),
            "Contact" => node("Contact", &r, text(&r, "name"), under, custom),
            _ => {
                let name = format!("{} {}", text(&r, "first_name"), text(&r, "last_name"));
                node("Lead", &r, name, under, custom)
            }
        })
    }

    pub(super) async fn post_record(
        &self,
        node_type: &str,
        fields: &Value,
    ) -> Result<RawNode, ConnectorError> {
        let (list, _) = list_of(node_type)?;
        let answer = self.send(Method::POST, list, Some(fields)).await?;
        self.as_node(node_type, answer)
    }

    pub(super) async fn put_record(
        &self,
        node_type: &str,
        external_id: &str,
        fields: &Value,
    ) -> Result<RawNode, ConnectorError> {
        let (list, _) = list_of(node_type)?;
        let id = record_id(external_id)?;
        let mut body = fields.clone();
        // A contact's PUT requires `name` (SY-SPEC): when the change leaves it out, the
        // contact's own name goes along.
        if node_type == "Contact" && body.get("name").is_none() {
            let current = self.get(&format!("contacts/{id}"), &[]).await?;
            let current = current.get("contact").unwrap_or(&current);
            body["name"] = Value::String(text(current, "name"));
        }
        let answer = self
            .send(Method::PUT, &format!("{list}/{id}"), Some(&body))
            .await?;
        self.as_node(node_type, answer)
    }

    pub(super) async fn remove_record(
        &self,
        node_type: &str,
        external_id: &str,
    ) -> Result<(), ConnectorError> {
        let (list, _) = list_of(node_type)?;
        if node_type == "Lead" {
            return Err(ConnectorError::Invalid {
                field: "nodeId".into(),
                message: "Syncro cannot delete leads".into(),
            });
        }
        let id = record_id(external_id)?;
        self.send(Method::DELETE, &format!("{list}/{id}"), None)
            .await?;
        Ok(())
    }

    pub(super) async fn raw_call(&self, call: &ApiCall) -> Result<ApiReply, ConnectorError> {
        crate::connectors::tickets::raw_call(&self.http, &self.base, call, |request| {
            request.header("Authorization", &self.authorization)
        })
        .await
    }
}
