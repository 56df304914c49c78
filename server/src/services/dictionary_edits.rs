//! Changing and removing the dictionary's type and field mappings. History keeps the id of a
//! deleted field mapping (`field_changes.field_mapping_id` has no foreign key), so what a
//! mapping did stays on record while the API shows the mapping itself as gone (null).

use entity::enums::{MappingDirection, Role};
use entity::prelude::*;
use entity::{field_mapping, service_type_field};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};

use super::dictionary::{self, check_pair, node_field_type, type_mapping};
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};

/// `UpdateFieldMappingInput`: `None` keeps the current value.
#[derive(Debug, Default, Clone)]
pub struct FieldMappingUpdate {
    pub direction: Option<MappingDirection>,
    pub enabled: Option<bool>,
}

/// Changes a field mapping's direction or enabled flag. A new direction must be able to
/// convert like a new mapping's (BAD_USER_INPUT on `input.direction` saying why not).
pub async fn update_field_mapping(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
    update: FieldMappingUpdate,
) -> ApiResult<field_mapping::Model> {
    viewer.require(Role::Operator)?;
    let (current, tm) = dictionary::field_mapping(db, viewer, id)
        .await?
        .ok_or_else(|| ApiError::not_found("field mapping"))?;
    let mut active: field_mapping::ActiveModel = current.clone().into();
    if let Some(direction) = update.direction.filter(|d| *d != current.direction) {
        let field = ServiceTypeField::find()
            .filter(service_type_field::Column::Id.eq(current.service_field_id))
            .one(db)
            .await?
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("field mapping without field")))?;
        let node_type = node_field_type(tm.provider, &tm.node_type, &current.node_field)?;
        check_pair(
            &current.node_field,
            node_type,
            &field,
            direction,
            "input.direction",
        )?;
        active.direction = Set(direction);
    }
    if let Some(enabled) = update.enabled {
        active.enabled = Set(enabled);
    }
    if !active.is_changed() {
        return Ok(current);
    }
    Ok(active.update(db).await?)
}

/// Deletes a field mapping; returns its id.
pub async fn delete_field_mapping(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> ApiResult<i64> {
    viewer.require(Role::Operator)?;
    let (current, _) = dictionary::field_mapping(db, viewer, id)
        .await?
        .ok_or_else(|| ApiError::not_found("field mapping"))?;
    FieldMapping::delete_by_id(current.id).exec(db).await?;
    Ok(current.id)
}

/// Deletes a type mapping with its field mappings, in one transaction; returns its id.
pub async fn delete_type_mapping(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    id: i64,
) -> ApiResult<i64> {
    viewer.require(Role::Operator)?;
    let tm = type_mapping(db, viewer, id)
        .await?
        .ok_or_else(|| ApiError::not_found("type mapping"))?;
    let txn = crate::db::begin_write(db).await?;
    // The foreign key cascades too; deleting them here says so and does not lean on it.
    FieldMapping::delete_many()
        .filter(field_mapping::Column::TypeMappingId.eq(tm.id))
        .exec(&txn)
        .await?;
    TypeMapping::delete_by_id(tm.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(tm.id)
}
