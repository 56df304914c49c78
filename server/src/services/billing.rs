//! The billing side: customers, service types and their fields, packages, services and their
//! field values. Every value change writes a FieldChange with its origin and actor.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entity::enums::{FieldDataType, Provider, Role};
use entity::prelude::*;
use entity::{
    customer, field_change, package, service, service_field_value, service_type, service_type_field,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};
use serde_json::{json, Map, Value};

use super::changes::{record_change, Provenance};
use super::{page_by_name, recommend, values};
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::graphql::connection::{Page, PageArgs};

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

pub struct NewService {
    pub name: String,
    pub customer_id: i64,
    pub service_type_id: i64,
    pub package_id: Option<i64>,
    pub provider: Option<Provider>,
    pub effective_date: NaiveDate,
    pub fields: Option<Value>,
}

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

// ------------------------------------------------------------------ service types

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

// ------------------------------------------------------------------ services

pub async fn services(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    search: Option<&str>,
    customer_id: Option<i64>,
    service_type_id: Option<i64>,
    args: &PageArgs,
) -> ApiResult<Page<service::Model>> {
    let mut base = Service::find().filter(service::Column::OrganizationId.eq(viewer.org_id));
    if let Some(c) = customer_id {
        base = base.filter(service::Column::CustomerId.eq(c));
    }
    if let Some(t) = service_type_id {
        base = base.filter(service::Column::ServiceTypeId.eq(t));
    }
    let columns = (service::Column::SearchText, service::Column::Id);
    page_by_name(db, base, columns, search, args, |s| {
        (s.search_text.clone(), s.id)
    })
    .await
}

pub async fn service(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> ApiResult<Option<service::Model>> {
    Ok(Service::find_by_id(id)
        .filter(service::Column::OrganizationId.eq(viewer.org_id))
        .one(db)
        .await?)
}

pub async fn create_service(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    input: NewService,
) -> ApiResult<service::Model> {
    viewer.require(Role::Operator)?;
    let txn = crate::db::begin_write(db).await?;
    let svc = create_service_in(&txn, viewer, input).await?;
    txn.commit().await?;
    Ok(svc)
}

/// `createService` on the caller's transaction: validates everything first, then writes the
/// service, its values (each a change from null) and its recommendation keys.
/// createServiceForNode calls it to create and link in one transaction.
pub async fn create_service_in(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    input: NewService,
) -> ApiResult<service::Model> {
    viewer.require(Role::Operator)?;
    let name = required_text(&input.name, "input.name")?;
    customer(db, viewer, input.customer_id)
        .await?
        .ok_or_else(|| ApiError::not_found("customer"))?;
    let st = service_type(db, viewer, input.service_type_id)
        .await?
        .ok_or_else(|| ApiError::not_found("service type"))?;
    if let Some(pid) = input.package_id {
        let pkg = package(db, viewer, pid)
            .await?
            .ok_or_else(|| ApiError::not_found("package"))?;
        if pkg.service_type_id.is_some_and(|t| t != st.id) {
            return Err(ApiError::bad_input(
                "input.packageId",
                "this package is for another service type",
            ));
        }
    }
    let fields = fields_of(db, st.id).await?;
    let given = object_or_empty(input.fields.as_ref(), "input.fields")?;
    let mut values_by_field = Vec::new();
    for key in given.keys() {
        if !fields.iter().any(|f| &f.key == key) {
            return Err(ApiError::bad_input(
                format!("input.fields.{key}"),
                format!("{} has no field {key}", st.name),
            ));
        }
    }
    for field in &fields {
        let raw = given
            .get(&field.key)
            .cloned()
            .or_else(|| field.default_value.clone())
            .unwrap_or(Value::Null);
        let value = values::validate(field, &raw, &format!("input.fields.{}", field.key))?;
        values_by_field.push((field.id, value));
    }
    let now = Utc::now();
    let svc = service::ActiveModel {
        organization_id: Set(viewer.org_id),
        customer_id: Set(input.customer_id),
        service_type_id: Set(st.id),
        package_id: Set(input.package_id),
        search_text: Set(name.to_lowercase()),
        name: Set(name),
        provider: Set(input.provider),
        effective_date: Set(input.effective_date),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut stored = Vec::new();
    for (field_id, value) in values_by_field {
        let value = (!Value::is_null(&value)).then_some(value);
        service_field_value::ActiveModel {
            service_id: Set(svc.id),
            field_id: Set(field_id),
            value: Set(value.clone()),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        if let Some(value) = value {
            record_change(
                db,
                &Provenance::user(viewer),
                svc.id,
                field_id,
                None,
                Some(value.clone()),
            )
            .await?;
            stored.push((field_id, value));
        }
    }
    recommend::index::index_new_service(db, &svc, &fields, &stored).await?;
    Ok(svc)
}

/// `updateServiceFields`: validates every key first, then writes only what changed, each
/// change with origin USER and the caller as actor. Nothing is written if any key is bad.
pub async fn update_service_fields(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    service_id: i64,
    fields: &Value,
) -> ApiResult<service::Model> {
    viewer.require(Role::Operator)?;
    let svc = service(db, viewer, service_id)
        .await?
        .ok_or_else(|| ApiError::not_found("service"))?;
    let defs = fields_of(db, svc.service_type_id).await?;
    let given = object_or_empty(Some(fields), "fields")?;
    let mut updates = Vec::new();
    for (key, raw) in &given {
        let field = defs.iter().find(|f| &f.key == key).ok_or_else(|| {
            ApiError::bad_input(
                format!("fields.{key}"),
                format!("no field {key} on this service"),
            )
        })?;
        updates.push((
            field.id,
            values::validate(field, raw, &format!("fields.{key}"))?,
        ));
    }
    let current: HashMap<i64, service_field_value::Model> = ServiceFieldValue::find()
        .filter(service_field_value::Column::ServiceId.eq(svc.id))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.field_id, v))
        .collect();
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    let mut changed = false;
    for (field_id, value) in updates {
        let new = (!Value::is_null(&value)).then_some(value);
        let old = current.get(&field_id).and_then(|v| v.value.clone());
        if old == new {
            continue;
        }
        match current.get(&field_id) {
            Some(row) => {
                let mut active: service_field_value::ActiveModel = row.clone().into();
                active.value = Set(new.clone());
                active.updated_at = Set(now);
                active.update(&txn).await?;
            }
            None => {
                service_field_value::ActiveModel {
                    service_id: Set(svc.id),
                    field_id: Set(field_id),
                    value: Set(new.clone()),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
        record_change(&txn, &Provenance::user(viewer), svc.id, field_id, old, new).await?;
        changed = true;
    }
    if changed {
        recommend::index::reindex_service(&txn, svc.id).await?;
    }
    let mut active: service::ActiveModel = svc.into();
    active.updated_at = Set(now);
    let svc = active.update(&txn).await?;
    txn.commit().await?;
    crate::sync::write_back::queue_for_service(db, viewer, svc.id).await?;
    Ok(svc)
}

pub async fn field_values(
    db: &impl ConnectionTrait,
    service_id: i64,
) -> ApiResult<Vec<service_field_value::Model>> {
    Ok(ServiceFieldValue::find()
        .filter(service_field_value::Column::ServiceId.eq(service_id))
        .all(db)
        .await?)
}

/// A service's changes, newest first.
pub async fn history(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    service_id: i64,
    args: &PageArgs,
) -> ApiResult<Page<field_change::Model>> {
    let base = FieldChange::find()
        .filter(field_change::Column::OrganizationId.eq(viewer.org_id))
        .filter(field_change::Column::ServiceId.eq(service_id));
    let total = base.clone().count(db).await?;
    let mut query = base
        .order_by_desc(field_change::Column::Id)
        .limit(args.first + 1);
    if let Some(after) = args.after_i64(0) {
        query = query.filter(field_change::Column::Id.lt(after));
    }
    let rows = query.all(db).await?;
    Ok(Page::from_rows(rows, args, total, |c| vec![json!(c.id)]))
}

fn required_text(value: &str, field: &str) -> ApiResult<String> {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > 300 {
        return Err(ApiError::bad_input(field, "needs 1 to 300 characters"));
    }
    Ok(v.to_owned())
}

fn object_or_empty(value: Option<&Value>, field: &str) -> ApiResult<Map<String, Value>> {
    match value {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map.clone()),
        Some(_) => Err(ApiError::bad_input(
            field,
            "fields are an object of {fieldKey: value}",
        )),
    }
}
