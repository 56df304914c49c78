//! Which node fields and service fields may be mapped to each other: a node field's data type
//! (from the provider catalog, or text for custom fields) and the conversions SEMANTICS.md
//! allows between two types.

use entity::enums::{FieldDataType, MappingDirection, Provider};
use entity::service_type_field;

use crate::error::{ApiError, ApiResult};

/// Prefixes of custom-field keys: a source adds the ones it has seen, so the catalog cannot
/// list them. Their values are text as far as mapping is concerned.
const CUSTOM_FIELD_PREFIXES: &[&str] = &[
    "customFields.",
    "customfields.",
    "properties.",
    "userDefinedFields.",
];

/// Refuses a node field ↔ service field pair that can never convert in `direction`: toward
/// the service the error names `forward_field` (the input that chose the node field), back
/// toward the source it names `input.direction`.
pub(crate) fn check_pair(
    node_field: &str,
    node_type: FieldDataType,
    field: &service_type_field::Model,
    direction: MappingDirection,
    forward_field: &str,
) -> ApiResult<()> {
    if matches!(
        direction,
        MappingDirection::SourceToService | MappingDirection::Both
    ) {
        convertible(node_type, field.data_type).map_err(|why| {
            ApiError::bad_input(
                forward_field,
                format!("{node_field} → {}: {why}", field.key),
            )
        })?;
    }
    if matches!(
        direction,
        MappingDirection::ServiceToSource | MappingDirection::Both
    ) {
        convertible(field.data_type, node_type).map_err(|why| {
            ApiError::bad_input(
                "input.direction",
                format!("{} → {node_field}: {why}", field.key),
            )
        })?;
    }
    Ok(())
}

/// The data type of a node field of `provider`'s `node_type`, or BAD_USER_INPUT naming the
/// fields it has.
pub fn node_field_type(provider: Provider, node_type: &str, key: &str) -> ApiResult<FieldDataType> {
    if CUSTOM_FIELD_PREFIXES
        .iter()
        .any(|p| key.len() > p.len() && key.starts_with(p))
    {
        return Ok(FieldDataType::Text);
    }
    let spec = crate::providers::spec(provider);
    let fields = spec.node_type(node_type).map(|t| t.fields).unwrap_or(&[]);
    fields
        .iter()
        .find(|f| f.key == key)
        .map(|f| f.data_type)
        .ok_or_else(|| {
            ApiError::bad_input(
                "input.nodeField",
                format!("a {node_type} of {} has no field {key:?}", spec.label),
            )
        })
}

/// Whether a value of type `from` can ever become a `to` (SEMANTICS.md, "Field mappings"); the
/// reason when it cannot. Text can hold anything; the rest convert only from their own kind
/// or from text that may parse. A date becomes a date-time only when written back (midnight in
/// the source's time zone): node fields are never dates, so that pair only arises that way.
pub fn convertible(from: FieldDataType, to: FieldDataType) -> Result<(), String> {
    use FieldDataType as T;
    let ok = match to {
        T::Text | T::Json => true,
        _ if from == to => true,
        T::Number | T::Boolean => matches!(from, T::Text | T::Enum),
        T::Date => matches!(from, T::Datetime | T::Text),
        T::Datetime => matches!(from, T::Date | T::Text),
        T::Email | T::Phone | T::Enum => matches!(from, T::Text),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "a {} value can never become a {}",
            type_word(from),
            type_word(to)
        ))
    }
}

fn type_word(t: FieldDataType) -> &'static str {
    use FieldDataType as T;
    match t {
        T::Text => "text",
        T::Number => "number",
        T::Boolean => "boolean",
        T::Date => "date",
        T::Datetime => "date-time",
        T::Email => "email",
        T::Phone => "phone",
        T::Enum => "enum",
        T::Json => "JSON (list or object)",
    }
}
