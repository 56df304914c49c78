//! Re-fetching one record by id (what a webhook announced): the id must be a plain record id,
//! a 404 means the record is gone, and envelopes (`{"customer": {…}}`) are unwrapped.

use serde_json::Value;

use super::ConnectorError;

/// `collection/id`, refusing ids that are not plain numbers (they come from webhook bodies).
pub fn record_path(collection: &str, id: &str) -> Result<String, ConnectorError> {
    if id.is_empty() || id.len() > 20 || !id.chars().all(|c| c.is_ascii_digit()) {
        return Err(ConnectorError::Config(format!("{id:?} is not a record id")));
    }
    Ok(format!("{collection}/{id}"))
}

/// A read's answer, with "not found" as `None`.
pub fn missing_is_none(
    read: Result<Value, ConnectorError>,
) -> Result<Option<Value>, ConnectorError> {
    match read {
        Ok(value) => Ok(Some(unwrap_envelope(value))),
        Err(ConnectorError::Upstream(words)) if words.starts_with("404") => Ok(None),
        Err(err) => Err(err),
    }
}

/// `{"ticket": {…}}` → `{…}`: an object whose only member is an object.
fn unwrap_envelope(value: Value) -> Value {
    match value {
        Value::Object(map) if map.len() == 1 => match map.into_iter().next() {
            Some((_, inner @ Value::Object(_))) => inner,
            Some((key, other)) => {
                let mut map = serde_json::Map::new();
                map.insert(key, other);
                Value::Object(map)
            }
            None => Value::Object(serde_json::Map::new()),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_are_plain_numbers_and_envelopes_unwrap() {
        assert!(record_path("customers", "12").is_ok());
        assert!(record_path("customers", "../me").is_err());
        assert!(record_path("customers", "").is_err());
        assert_eq!(
            unwrap_envelope(json!({"customer": {"id": 1}})),
            json!({"id": 1})
        );
        assert_eq!(unwrap_envelope(json!({"id": 1})), json!({"id": 1}));
        assert_eq!(
            missing_is_none(Err(ConnectorError::Upstream("404 Not Found: gone".into()))).ok(),
            Some(None)
        );
    }
}
