//! The dictionary's type and field mappings: which service types a provider's node type maps
//! to (many-to-many), and which node field feeds which service-type field, in which direction.
//! Also the read side other parts use: `service_types_for` (recommendation candidates) and
//! `mapped_fields` (sync fields, write-back, plans).

use chrono::Utc;
use entity::enums::{MappingDirection, Provider, Role};
use entity::prelude::*;
use entity::{field_mapping, service_type_field, type_mapping};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

mod types;

use super::billing;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
pub(crate) use types::check_pair;
pub use types::{convertible, node_field_type};

/// One enabled field mapping with what it joins: the type mapping it belongs to and the
/// service-type field it feeds.
#[derive(Debug, Clone)]
pub struct MappedField {
    pub type_mapping: type_mapping::Model,
    pub mapping: field_mapping::Model,
    pub field: service_type_field::Model,
}

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
    check_pair(node_field, node_type, &field, direction, "input.nodeField")?;
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
