//! Service types and their fields: the shape of what a provider bills for.

use chrono::Utc;
use entity::enums::{FieldDataType, Role};
use entity::prelude::*;
use entity::{service, service_field_value, service_type, service_type_field};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use serde_json::{json, Value};

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::services::changes::{record_change, Provenance};
use crate::services::{recommend, values};

use super::required_text;

pub struct NewField {
    pub key: String,
    pub label: String,
    pub data_type: FieldDataType,
    pub required: bool,
    pub read_only: bool,
    pub max_length: Option<i32>,
    pub allowed_values: Option<Vec<String>>,
    pub default_value: Option<Value>,
}

pub async fn service_types(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
) -> ApiResult<Vec<service_type::Model>> {
    Ok(ServiceType::find()
        .filter(service_type::Column::OrganizationId.eq(viewer.org_id))
        .order_by_asc(service_type::Column::Name)
        .all(db)
        .await?)
}

pub async fn service_type(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> ApiResult<Option<service_type::Model>> {
    Ok(ServiceType::find_by_id(id)
        .filter(service_type::Column::OrganizationId.eq(viewer.org_id))
        .one(db)
        .await?)
}

pub async fn fields_of(
    db: &impl ConnectionTrait,
    service_type_id: i64,
) -> ApiResult<Vec<service_type_field::Model>> {
    Ok(ServiceTypeField::find()
        .filter(service_type_field::Column::ServiceTypeId.eq(service_type_id))
        .order_by_asc(service_type_field::Column::Position)
        .order_by_asc(service_type_field::Column::Id)
        .all(db)
        .await?)
}

pub async fn create_service_type(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    name: &str,
    fields: Vec<NewField>,
) -> ApiResult<service_type::Model> {
    viewer.require(Role::Operator)?;
    let name = required_text(name, "input.name")?;
    let txn = crate::db::begin_write(db).await?;
    let st = service_type::ActiveModel {
        organization_id: Set(viewer.org_id),
        name: Set(name),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| ApiError::on_unique(e, "a service type with this name already exists"))?;
    for (i, field) in fields.into_iter().enumerate() {
        insert_field(&txn, st.id, field, i as i32, &format!("input.fields.{i}")).await?;
    }
    txn.commit().await?;
    Ok(st)
}

/// Adds a field; existing services get its default value (CONFLICT for a required field
/// without a default on a type that has services).
pub async fn add_service_type_field(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    service_type_id: i64,
    field: NewField,
) -> ApiResult<service_type::Model> {
    viewer.require(Role::Operator)?;
    let st = service_type(db, viewer, service_type_id)
        .await?
        .ok_or_else(|| ApiError::not_found("service type"))?;
    let txn = crate::db::begin_write(db).await?;
    let services: Vec<service::Model> = Service::find()
        .filter(service::Column::ServiceTypeId.eq(st.id))
        .all(&txn)
        .await?;
    if field.required
        && field.default_value.as_ref().is_none_or(Value::is_null)
        && !services.is_empty()
    {
        return Err(ApiError::conflict(
            "a required field added to a type that has services needs a defaultValue",
        ));
    }
    let position = fields_of(&txn, st.id).await?.len() as i32;
    let created = insert_field(&txn, st.id, field, position, "input").await?;
    if let Some(default) = created.default_value.clone().filter(|v| !v.is_null()) {
        let now = Utc::now();
        for svc in &services {
            service_field_value::ActiveModel {
                service_id: Set(svc.id),
                field_id: Set(created.id),
                value: Set(Some(default.clone())),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            let by = Provenance::user(viewer);
            record_change(&txn, &by, svc.id, created.id, None, Some(default.clone())).await?;
        }
        // A default that identifies (a serial, a number) becomes a key of every service.
        if let Some(id) = recommend::normalize::identifier(created.data_type, &default) {
            let key = recommend::normalize::field_key(created.id, &id);
            let rows = services.iter().map(|s| (s.id, st.id, key.clone()));
            recommend::index::write_keys(&txn, rows).await?;
        }
    }
    txn.commit().await?;
    Ok(st)
}

async fn insert_field(
    db: &impl ConnectionTrait,
    service_type_id: i64,
    f: NewField,
    position: i32,
    path: &str,
) -> ApiResult<service_type_field::Model> {
    let key = f.key.trim().to_owned();
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_alphanumeric() || "_-.".contains(c))
    {
        return Err(ApiError::bad_input(
            format!("{path}.key"),
            "a key is letters, digits, '_', '-' or '.'",
        ));
    }
    if f.max_length.is_some_and(|m| m < 1) {
        return Err(ApiError::bad_input(
            format!("{path}.maxLength"),
            "maxLength must be at least 1",
        ));
    }
    let allowed = f.allowed_values.map(|v| {
        v.into_iter()
            .map(|s| s.trim().to_owned())
            .collect::<Vec<_>>()
    });
    if f.data_type == FieldDataType::Enum && allowed.as_ref().is_none_or(Vec::is_empty) {
        return Err(ApiError::bad_input(
            format!("{path}.allowedValues"),
            "an ENUM field needs allowedValues",
        ));
    }
    let mut model = service_type_field::Model {
        id: 0,
        service_type_id,
        key: key.clone(),
        label: if f.label.trim().is_empty() {
            key
        } else {
            f.label.trim().to_owned()
        },
        data_type: f.data_type,
        required: f.required,
        read_only: f.read_only,
        max_length: f.max_length,
        allowed_values: allowed.map(|v| json!(v)),
        default_value: None,
        position,
        created_at: Utc::now(),
    };
    if let Some(default) = f.default_value.filter(|v| !v.is_null()) {
        model.default_value = Some(values::validate(
            &model,
            &default,
            &format!("{path}.defaultValue"),
        )?);
    }
    let mut active: service_type_field::ActiveModel = model.into();
    active.id = sea_orm::ActiveValue::NotSet;
    active
        .insert(db)
        .await
        .map_err(|e| ApiError::on_unique(e, "this service type already has a field with this key"))
}
