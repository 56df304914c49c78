//! Write-back to Syncro (API-NOTES §2, SY-SPEC): `GET {list}/{id}` reads a record as it is now
//! and `PUT {list}/{id}` writes the changed fields. Syncro's PUT takes plain JSON, not a patch:
//! a dotted key (`properties.OS`, `address.city`) goes into its object merged over the current
//! one, so the record's other properties stay; contacts and assets refuse a PUT without `name`,
//! so the current name goes along when it is not one of the changes.

use serde_json::{Map, Value};

use super::records::{fields, is_record_id, list_of};
use super::Syncro;
use crate::connectors::{not_writable, ConnectorError};

/// A record's path and its answers' wrapper key.
fn record_path(
    node_type: &str,
    external_id: &str,
) -> Result<(String, &'static str), ConnectorError> {
    let (list, wrapper) = list_of(node_type).ok_or_else(|| not_writable(node_type))?;
    if !is_record_id(external_id) {
        return Err(ConnectorError::Config(format!(
            "{external_id:?} is not a Syncro record id"
        )));
    }
    Ok((format!("{list}/{external_id}"), wrapper))
}

/// The record inside an answer, wrapped or bare.
fn unwrap(answer: Value, wrapper: &str) -> Value {
    match answer {
        Value::Object(mut map)
            if map.len() == 1 && map.get(wrapper).is_some_and(Value::is_object) =>
        {
            map.remove(wrapper).unwrap_or_default()
        }
        other => other,
    }
}

/// The PUT body of `changes` over `current` (the record as read now).
pub(super) fn put_body(node_type: &str, current: &Value, changes: &[(String, Value)]) -> Value {
    let mut body = Map::new();
    for (key, value) in changes {
        match key.split_once('.') {
            None => {
                body.insert(key.clone(), value.clone());
            }
            Some((object, inner)) => {
                let entry =
                    body.entry(object.to_owned())
                        .or_insert_with(|| match current.get(object) {
                            Some(Value::Object(existing)) => Value::Object(existing.clone()),
                            _ => Value::Object(Map::new()),
                        });
                if let Value::Object(map) = entry {
                    map.insert(inner.to_owned(), value.clone());
                }
            }
        }
    }
    if matches!(node_type, "Contact" | "Asset") && !body.contains_key("name") {
        if let Some(name) = current.get("name") {
            body.insert("name".into(), name.clone());
        }
    }
    Value::Object(body)
}

impl Syncro {
    async fn fetch_raw(&self, node_type: &str, external_id: &str) -> Result<Value, ConnectorError> {
        let (path, wrapper) = record_path(node_type, external_id)?;
        Ok(unwrap(self.get(&path, &[]).await?, wrapper))
    }

    /// A record as node fields, flattened like the import does (custom fields as the source
    /// wants them), so write-back compares like with like.
    pub(super) async fn read_one(
        &self,
        node_type: &str,
        external_id: &str,
    ) -> Result<Value, ConnectorError> {
        let raw = self.fetch_raw(node_type, external_id).await?;
        Ok(fields(node_type, &raw, self.include_custom))
    }

    pub(super) async fn put_one(
        &self,
        node_type: &str,
        external_id: &str,
        changes: &[(String, Value)],
    ) -> Result<(), ConnectorError> {
        let current = self.fetch_raw(node_type, external_id).await?;
        let body = put_body(node_type, &current, changes);
        let (path, _) = record_path(node_type, external_id)?;
        let url = format!("{}/{path}", self.base);
        self.http
            .json(|client| {
                client
                    .put(&url)
                    .header("Authorization", &self.authorization)
                    .header("Accept", "application/json")
                    .json(&body)
            })
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_keys_merge_over_the_current_object_and_name_goes_along() {
        let current = json!({"id": 7, "name": "PC-7", "properties": {"OS": 4, "Size": "M"}});
        let body = put_body(
            "Asset",
            &current,
            &[
                ("properties.OS".into(), json!(11)),
                ("asset_serial".into(), json!("SN-1")),
            ],
        );
        assert_eq!(
            body,
            json!({"name": "PC-7", "asset_serial": "SN-1", "properties": {"OS": 11, "Size": "M"}})
        );
        let customer = put_body(
            "Customer",
            &json!({"firstname": "A"}),
            &[("email".into(), json!("a@b.c"))],
        );
        assert_eq!(customer, json!({"email": "a@b.c"}));
    }

    #[test]
    fn ids_must_be_digits_and_types_writable() {
        assert!(record_path("Customer", "12").is_ok());
        assert!(record_path("Customer", "../me").is_err());
        assert!(record_path("Ticket", "12").is_err());
        assert_eq!(
            unwrap(json!({"customer": {"id": 1}}), "customer"),
            json!({"id": 1})
        );
        assert_eq!(
            unwrap(json!({"id": 1, "name": "x"}), "contact"),
            json!({"id": 1, "name": "x"})
        );
    }
}
