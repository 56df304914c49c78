//! The billing side: customers and packages here; service types and their fields
//! (`service_types`); services and their field values (`services`). Every value change writes a
//! FieldChange with its origin and actor.

mod service_types;
mod services;

pub use service_types::*;
pub use services::*;

use chrono::Utc;
use entity::enums::Role;
use entity::prelude::*;
use entity::{customer, package};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{Map, Value};

use super::page_by_name;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::graphql::connection::{Page, PageArgs};

// ------------------------------------------------------------------ customers

pub async fn customers(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    search: Option<&str>,
    args: &PageArgs,
) -> ApiResult<Page<customer::Model>> {
    let base = Customer::find().filter(customer::Column::OrganizationId.eq(viewer.org_id));
    let columns = (customer::Column::SearchText, customer::Column::Id);
    page_by_name(db, base, columns, search, args, |c| {
        (c.search_text.clone(), c.id)
    })
    .await
}

pub async fn customer(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> ApiResult<Option<customer::Model>> {
    Ok(Customer::find_by_id(id)
        .filter(customer::Column::OrganizationId.eq(viewer.org_id))
        .one(db)
        .await?)
}

pub async fn create_customer(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    name: &str,
    account_number: Option<String>,
) -> ApiResult<customer::Model> {
    viewer.require(Role::Operator)?;
    let name = required_text(name, "input.name")?;
    Ok(customer::ActiveModel {
        organization_id: Set(viewer.org_id),
        search_text: Set(name.to_lowercase()),
        name: Set(name),
        account_number: Set(account_number
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

// ------------------------------------------------------------------ packages

pub async fn packages(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
) -> ApiResult<Vec<package::Model>> {
    Ok(Package::find()
        .filter(package::Column::OrganizationId.eq(viewer.org_id))
        .order_by_asc(package::Column::Name)
        .all(db)
        .await?)
}

pub async fn package(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> ApiResult<Option<package::Model>> {
    Ok(Package::find_by_id(id)
        .filter(package::Column::OrganizationId.eq(viewer.org_id))
        .one(db)
        .await?)
}

pub async fn create_package(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    name: &str,
    service_type_id: Option<i64>,
) -> ApiResult<package::Model> {
    viewer.require(Role::Operator)?;
    let name = required_text(name, "input.name")?;
    if let Some(st) = service_type_id {
        service_type(db, viewer, st)
            .await?
            .ok_or_else(|| ApiError::not_found("service type"))?;
    }
    Ok(package::ActiveModel {
        organization_id: Set(viewer.org_id),
        name: Set(name),
        service_type_id: Set(service_type_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub(super) fn required_text(value: &str, field: &str) -> ApiResult<String> {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > 300 {
        return Err(ApiError::bad_input(field, "needs 1 to 300 characters"));
    }
    Ok(v.to_owned())
}

pub(super) fn object_or_empty(value: Option<&Value>, field: &str) -> ApiResult<Map<String, Value>> {
    match value {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map.clone()),
        Some(_) => Err(ApiError::bad_input(
            field,
            "fields are an object of {fieldKey: value}",
        )),
    }
}
