//! The dictionary's data (`graphql/dictionary.graphql`): type mappings with their field
//! mappings, the catalog they pick from (service types, providers' node types, sources), the
//! edits of both, and a source's value mappings with their options and internal values.
//! Enum values travel as their GraphQL names (each operation's `Other(name)` sends one).

use super::ApiError;
use crate::session::Session;

/// The GraphQL `ID` scalar, as graphql_client names it under Rust normalization.
type Id = String;

operations!("graphql/dictionary.graphql";
    /// `query Dictionary`: mappings and the catalog.
    Dictionary,
    /// `mutation CreateTypeMapping`.
    CreateTypeMapping,
    /// `mutation DeleteTypeMapping` (its field mappings go with it).
    DeleteTypeMapping,
    /// `mutation CreateFieldMapping`.
    CreateFieldMapping,
    /// `mutation UpdateFieldMapping`: direction, enabled.
    UpdateFieldMapping,
    /// `mutation DeleteFieldMapping`.
    DeleteFieldMapping,
    /// `query ValueMappings`: a source's options, mappings and the internal values.
    ValueMappings,
    /// `mutation SetValueMapping`.
    SetValueMapping,
    /// `mutation DeleteValueMapping`.
    DeleteValueMapping,
);

mod types;

pub use types::*;

/// The mappings and everything the forms pick from.
pub async fn load(session: Session) -> Result<Catalog, ApiError> {
    let data = session.run::<Dictionary>(dictionary::Variables).await?;
    super::json::read(&data)
}

/// One edit of the mappings.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Map `node_type` of `provider` (GraphQL name) onto service type `service_type`.
    CreateType {
        provider: String,
        node_type: String,
        service_type: String,
    },
    DeleteType(String),
    /// Map `node_field` onto service field `service_field` in `direction` (GraphQL name).
    CreateField {
        type_mapping: String,
        node_field: String,
        service_field: String,
        direction: String,
    },
    /// Change a field mapping's direction and/or whether it takes part.
    UpdateField {
        id: String,
        direction: Option<String>,
        enabled: Option<bool>,
    },
    DeleteField(String),
}

/// Applies one edit.
pub async fn apply(session: Session, edit: Edit) -> Result<(), ApiError> {
    match edit {
        Edit::CreateType {
            provider,
            node_type,
            service_type,
        } => {
            use create_type_mapping::{CreateTypeMappingInput, Provider, Variables};
            let input = CreateTypeMappingInput {
                provider: Provider::Other(provider),
                node_type,
                service_type_id: service_type,
            };
            session
                .run::<CreateTypeMapping>(Variables { input })
                .await
                .map(drop)
        }
        Edit::DeleteType(id) => session
            .run::<DeleteTypeMapping>(delete_type_mapping::Variables { id })
            .await
            .map(drop),
        Edit::CreateField {
            type_mapping,
            node_field,
            service_field,
            direction,
        } => {
            use create_field_mapping::{CreateFieldMappingInput, MappingDirection, Variables};
            let input = CreateFieldMappingInput {
                type_mapping_id: type_mapping,
                node_field,
                service_field_id: service_field,
                direction: Some(MappingDirection::Other(direction)),
            };
            session
                .run::<CreateFieldMapping>(Variables { input })
                .await
                .map(drop)
        }
        Edit::UpdateField {
            id,
            direction,
            enabled,
        } => {
            use update_field_mapping::{MappingDirection, UpdateFieldMappingInput, Variables};
            let input = UpdateFieldMappingInput {
                direction: direction.map(MappingDirection::Other),
                enabled,
            };
            session
                .run::<UpdateFieldMapping>(Variables { id, input })
                .await
                .map(drop)
        }
        Edit::DeleteField(id) => session
            .run::<DeleteFieldMapping>(delete_field_mapping::Variables { id })
            .await
            .map(drop),
    }
}

/// The value mapping kinds, with their names in words.
pub const VALUE_KINDS: [(&str, &str); 6] = [
    ("TICKET_STATUS", "Ticket status"),
    ("TICKET_TYPE", "Ticket type"),
    ("TICKET_SUBTYPE", "Ticket subtype"),
    ("TICKET_ITEM", "Ticket item"),
    ("CONTRACT_TYPE", "Contract type"),
    ("HARDWARE_TYPE", "Hardware type"),
];

/// One external value of a source and what it maps to.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueRow {
    pub external_id: String,
    /// The name, after its parent (e.g. the board) when it has one.
    pub name: String,
    /// `None`: no mapping (passes through); `Some(None)`: don't sync; `Some(Some(v))`: `v`.
    pub mapped: Option<Option<String>>,
}

/// Source `source`'s values of `kind` (GraphQL name) with their mappings, and the
/// organization's internal values for the kind.
pub async fn values(
    session: Session,
    source: String,
    kind: String,
) -> Result<(Vec<ValueRow>, Vec<String>), ApiError> {
    let data = session
        .run::<ValueMappings>(value_mappings::Variables {
            source,
            kind: value_mappings::ValueMappingKind::Other(kind),
        })
        .await?;
    let data: ValuesData = super::json::read(&data)?;
    let rows = data
        .value_mapping_options
        .into_iter()
        .map(|o| {
            let mapped = data
                .value_mappings
                .iter()
                .find(|m| m.external_id == o.external_id)
                .map(|m| m.internal_value.clone());
            ValueRow {
                name: match o.parent {
                    Some(parent) => format!("{parent} › {}", o.name),
                    None => o.name,
                },
                external_id: o.external_id,
                mapped,
            }
        })
        .collect();
    Ok((rows, data.internal_values))
}

/// Maps (or, with `mapped: None`, unmaps) one external value. `Some(None)`: don't sync.
pub async fn set_value(
    session: Session,
    source: String,
    kind: String,
    external_id: String,
    mapped: Option<Option<String>>,
) -> Result<(), ApiError> {
    match mapped {
        Some(internal_value) => {
            use set_value_mapping::{SetValueMappingInput, ValueMappingKind, Variables};
            let input = SetValueMappingInput {
                source_id: source,
                kind: ValueMappingKind::Other(kind),
                external_id,
                internal_value,
            };
            session
                .run::<SetValueMapping>(Variables { input })
                .await
                .map(drop)
        }
        None => session
            .run::<DeleteValueMapping>(delete_value_mapping::Variables {
                source,
                kind: delete_value_mapping::ValueMappingKind::Other(kind),
                external: external_id,
            })
            .await
            .map(drop),
    }
}
