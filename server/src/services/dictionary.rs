//! The dictionary's type and field mappings: which service types a provider's node type maps
//! to (many-to-many), and which node field feeds which service-type field, in which direction.
//! Also the read side other parts use: `service_types_for` (recommendation candidates) and
//! `mapped_fields` (sync fields, write-back, plans).

use chrono::Utc;
use entity::enums::{FieldDataType, MappingDirection, Provider, Role};
use entity::prelude::*;
use entity::{field_mapping, service_type_field, type_mapping};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::billing;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};

/// One enabled field mapping with what it joins: the type mapping it belongs to and the
/// service-type field it feeds.
#[derive(Debug, Clone)]
pub struct MappedField {
    pub type_mapping: type_mapping::Model,
    pub mapping: field_mapping::Model,
    pub field: service_type_field::Model,
}

/// Prefixes of custom-field keys: a source adds the ones it has seen, so the catalog cannot
/// list them. Their values are text as far as mapping is concerned.
const CUSTOM_FIELD_PREFIXES: &[&str] = &[
    "customFields.",
    "customfields.",
    "properties.",
    "userDefinedFields.",
];

pub async fn type_mappings(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    provider: Option<Provider>,
) -> ApiResult<Vec<type_mapping::Model>> {
    let mut query =
        TypeMapping::find().filter(type_mapping::Column::OrganizationId.eq(viewer.org_id));
    if let Some(p) = provider {
        query = query.filter(type_mapping::Column::Provider.eq(p));
    }
    Ok(query
        .order_by_asc(type_mapping::Column::Provider)
        .order_by_asc(type_mapping::Column::NodeType)
        .order_by_asc(type_mapping::Column::Id)
        .all(db)
        .await?)
}

pub async fn type_mapping(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> ApiResult<Option<type_mapping::Model>> {
    Ok(TypeMapping::find_by_id(id)
        .filter(type_mapping::Column::OrganizationId.eq(viewer.org_id))
        .one(db)
        .await?)
}

/// The field mappings of a type mapping, in the order they were made.
pub async fn field_mappings_of(
    db: &impl ConnectionTrait,
    type_mapping_id: i64,
) -> ApiResult<Vec<field_mapping::Model>> {
    Ok(FieldMapping::find()
        .filter(field_mapping::Column::TypeMappingId.eq(type_mapping_id))
        .order_by_asc(field_mapping::Column::Id)
        .all(db)
        .await?)
}

/// A field mapping of the caller's organization (through its type mapping).
pub async fn field_mapping(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> ApiResult<Option<(field_mapping::Model, type_mapping::Model)>> {
    let Some(fm) = FieldMapping::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(type_mapping(db, viewer, fm.type_mapping_id)
        .await?
        .map(|tm| (fm, tm)))
}

pub async fn create_type_mapping(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    provider: Provider,
    node_type: &str,
    service_type_id: i64,
) -> ApiResult<type_mapping::Model> {
    viewer.require(Role::Operator)?;
    let spec = crate::providers::spec(provider);
    let node_type = node_type.trim();
    if spec.node_type(node_type).is_none() {
        let known: Vec<&str> = spec.node_types.iter().map(|t| t.name).collect();
        return Err(ApiError::bad_input(
            "input.nodeType",
            format!(
                "{} has no node type {node_type:?}; its node types are {}",
                spec.label,
                known.join(", ")
            ),
        ));
    }
    billing::service_type(db, viewer, service_type_id)
        .await?
        .ok_or_else(|| ApiError::not_found("service type"))?;
    type_mapping::ActiveModel {
        organization_id: Set(viewer.org_id),
        provider: Set(provider),
        node_type: Set(node_type.to_owned()),
        service_type_id: Set(service_type_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| ApiError::on_unique(e, "this node type is already mapped to this service type"))
}

/// Maps a node field onto a field of the type mapping's service type. The node field must be
/// one the provider's node type has (or a custom field), and the pair must be able to convert
/// in the mapping's direction(s).
pub async fn create_field_mapping(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    type_mapping_id: i64,
    node_field: &str,
    service_field_id: i64,
    direction: Option<MappingDirection>,
) -> ApiResult<field_mapping::Model> {
    viewer.require(Role::Operator)?;
    let tm = type_mapping(db, viewer, type_mapping_id)
        .await?
        .ok_or_else(|| ApiError::not_found("type mapping"))?;
    let field = ServiceTypeField::find_by_id(service_field_id)
        .filter(service_type_field::Column::ServiceTypeId.eq(tm.service_type_id))
        .one(db)
        .await?
        .ok_or_else(|| {
            ApiError::bad_input(
                "input.serviceFieldId",
                "this field does not belong to the type mapping's service type",
            )
        })?;
    let node_field = node_field.trim();
    let node_type = node_field_type(tm.provider, &tm.node_type, node_field)?;
    let direction = direction.unwrap_or(MappingDirection::SourceToService);
    if matches!(
        direction,
        MappingDirection::SourceToService | MappingDirection::Both
    ) {
        convertible(node_type, field.data_type).map_err(|why| {
            ApiError::bad_input(
                "input.nodeField",
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
    field_mapping::ActiveModel {
        type_mapping_id: Set(tm.id),
        node_field: Set(node_field.to_owned()),
        service_field_id: Set(field.id),
        direction: Set(direction),
        enabled: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| {
        ApiError::on_unique(
            e,
            "this service field is already mapped in this type mapping",
        )
    })
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

/// The service types a provider's node type is mapped to: where recommendations look.
pub async fn service_types_for(
    db: &impl ConnectionTrait,
    org_id: i64,
    provider: Provider,
    node_type: &str,
) -> ApiResult<Vec<i64>> {
    Ok(TypeMapping::find()
        .filter(type_mapping::Column::OrganizationId.eq(org_id))
        .filter(type_mapping::Column::Provider.eq(provider))
        .filter(type_mapping::Column::NodeType.eq(node_type))
        .order_by_asc(type_mapping::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|tm| tm.service_type_id)
        .collect())
}

/// The enabled field mappings of a provider's node type, across all its type mappings, in a
/// stable order (type mapping, then field mapping).
pub async fn mapped_fields(
    db: &impl ConnectionTrait,
    org_id: i64,
    provider: Provider,
    node_type: &str,
) -> ApiResult<Vec<MappedField>> {
    let rows = FieldMapping::find()
        .find_also_related(TypeMapping)
        .filter(type_mapping::Column::OrganizationId.eq(org_id))
        .filter(type_mapping::Column::Provider.eq(provider))
        .filter(type_mapping::Column::NodeType.eq(node_type))
        .filter(field_mapping::Column::Enabled.eq(true))
        .order_by_asc(field_mapping::Column::TypeMappingId)
        .order_by_asc(field_mapping::Column::Id)
        .all(db)
        .await?;
    let field_ids: Vec<i64> = rows.iter().map(|(fm, _)| fm.service_field_id).collect();
    let fields = ServiceTypeField::find()
        .filter(service_type_field::Column::Id.is_in(field_ids))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(mapping, tm)| {
            let field = fields.iter().find(|f| f.id == mapping.service_field_id)?;
            Some(MappedField {
                type_mapping: tm?,
                field: field.clone(),
                mapping,
            })
        })
        .collect())
}
