//! Services and their field values: create (with values and recommendation keys), read, edit
//! (each change a FieldChange, origin USER), and the history.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entity::enums::{Provider, Role};
use entity::prelude::*;
use entity::{field_change, service, service_field_value};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};
use serde_json::{json, Value};

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::graphql::connection::{Page, PageArgs};
use crate::services::changes::{record_change, Provenance, ValueBatch};
use crate::services::{page_by_name, recommend, values};

use super::{fields_of, object_or_empty, required_text};

pub struct NewService {
    pub name: String,
    pub customer_id: i64,
    pub service_type_id: i64,
    pub package_id: Option<i64>,
    pub provider: Option<Provider>,
    pub effective_date: NaiveDate,
    pub fields: Option<Value>,
}

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
    super::customer(db, viewer, input.customer_id)
        .await?
        .ok_or_else(|| ApiError::not_found("customer"))?;
    let st = super::service_type(db, viewer, input.service_type_id)
        .await?
        .ok_or_else(|| ApiError::not_found("service type"))?;
    if let Some(pid) = input.package_id {
        let pkg = super::package(db, viewer, pid)
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
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    // Read in the write transaction: the old values recorded are the ones replaced.
    let current: HashMap<i64, Option<Value>> = ServiceFieldValue::find()
        .filter(service_field_value::Column::ServiceId.eq(svc.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|v| (v.field_id, v.value))
        .collect();
    let mut batch = ValueBatch::default();
    for (field_id, value) in updates {
        let new = (!Value::is_null(&value)).then_some(value);
        let old = current.get(&field_id).cloned().flatten();
        if old != new {
            batch.push(&Provenance::user(viewer), svc.id, field_id, old, new, now);
        }
    }
    if batch.is_empty() {
        // The same values again: nothing to record, touch or write back.
        return Ok(svc);
    }
    // The batch stamps the service's `updated_at` with the values.
    batch.write(&txn, now).await?;
    txn.commit().await?;
    let svc = service::Model {
        updated_at: now,
        ..svc
    };
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
