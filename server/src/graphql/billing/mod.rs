//! The billing side's types: Customer, ServiceType(+Field), Package, Service, FieldChange.
//! Their queries and create/update mutations are in `operations`.

mod operations;

use async_graphql::{Context, Json, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::{customer, field_change, package, service, service_type, service_type_field};
use serde_json::Value;

use super::connection::PageArgs;
use super::enums::{ChangeOrigin, FieldDataType, Provider};
use super::ids::{self, Kind};
use super::loaders::{load_error, one};
use super::nodes::SourceNodeObj;
use super::scalars::Date;
use super::viewer::ActorObj;
use super::ContextExt;
use crate::connection_type;
use crate::error::{ApiError, ApiResult};
use crate::services::billing as svc;

pub use operations::{BillingMutation, BillingQuery};

pub struct CustomerObj(pub customer::Model);
pub struct ServiceTypeObj(pub service_type::Model);
pub struct FieldObj(pub service_type_field::Model);
pub struct PackageObj(pub package::Model);
pub struct ServiceObj(pub service::Model);
pub struct FieldChangeObj(pub field_change::Model);

connection_type!(CustomerConnection, CustomerEdge, CustomerObj);
connection_type!(ServiceConnection, ServiceEdge, ServiceObj);
connection_type!(FieldChangeConnection, FieldChangeEdge, FieldChangeObj);

/// A row another row points at is gone: a broken invariant, reported as internal.
pub(super) fn missing(what: &str) -> ApiError {
    ApiError::internal(anyhow::anyhow!("dangling reference to {what}"))
}

#[Object(name = "Customer")]
impl CustomerObj {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Customer, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn account_number(&self) -> Option<&str> {
        self.0.account_number.as_deref()
    }
    async fn services(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<ServiceConnection> {
        let state = ctx.state()?;
        let args = PageArgs::parse(&state.keys, first, after)?;
        let page =
            svc::services(&state.db, ctx.viewer()?, None, Some(self.0.id), None, &args).await?;
        Ok(ServiceConnection::from_page(
            &state.keys,
            page.map(ServiceObj),
        ))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

#[Object(name = "ServiceTypeField")]
impl FieldObj {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::ServiceTypeField, self.0.id)
    }
    async fn key(&self) -> &str {
        &self.0.key
    }
    async fn label(&self) -> &str {
        &self.0.label
    }
    async fn data_type(&self) -> FieldDataType {
        self.0.data_type.into()
    }
    async fn required(&self) -> bool {
        self.0.required
    }
    async fn read_only(&self) -> bool {
        self.0.read_only
    }
    async fn max_length(&self) -> Option<i32> {
        self.0.max_length
    }
    async fn allowed_values(&self) -> Option<Vec<String>> {
        let list = self.0.allowed_values.as_ref()?.as_array()?;
        Some(
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        )
    }
    async fn default_value(&self) -> Option<Json<Value>> {
        self.0.default_value.clone().map(Json)
    }
}

#[Object(name = "ServiceType")]
impl ServiceTypeObj {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::ServiceType, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn fields(&self, ctx: &Context<'_>) -> ApiResult<Vec<FieldObj>> {
        let rows = one(&ctx.loaders()?.fields_of_type, self.0.id).await?;
        Ok(rows.unwrap_or_default().into_iter().map(FieldObj).collect())
    }
}

#[Object(name = "Package")]
impl PackageObj {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Package, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn service_type(&self, ctx: &Context<'_>) -> ApiResult<Option<ServiceTypeObj>> {
        let Some(id) = self.0.service_type_id else {
            return Ok(None);
        };
        Ok(one(&ctx.loaders()?.service_type, id)
            .await?
            .map(ServiceTypeObj))
    }
}

#[derive(SimpleObject)]
#[graphql(name = "ServiceFieldValue")]
pub struct ServiceFieldValueObj {
    field: FieldObj,
    value: Option<Json<Value>>,
}

#[Object(name = "Service")]
impl ServiceObj {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Service, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn customer(&self, ctx: &Context<'_>) -> ApiResult<CustomerObj> {
        let row = one(&ctx.loaders()?.customer, self.0.customer_id).await?;
        row.map(CustomerObj).ok_or_else(|| missing("customer"))
    }
    async fn service_type(&self, ctx: &Context<'_>) -> ApiResult<ServiceTypeObj> {
        let row = one(&ctx.loaders()?.service_type, self.0.service_type_id).await?;
        row.map(ServiceTypeObj)
            .ok_or_else(|| missing("service type"))
    }
    async fn package(&self, ctx: &Context<'_>) -> ApiResult<Option<PackageObj>> {
        let Some(id) = self.0.package_id else {
            return Ok(None);
        };
        Ok(one(&ctx.loaders()?.package, id).await?.map(PackageObj))
    }
    async fn provider(&self) -> Option<Provider> {
        self.0.provider.map(Into::into)
    }
    async fn effective_date(&self) -> Date {
        Date(self.0.effective_date)
    }
    /// Every field of the service type, with its value (null when unset).
    async fn fields(&self, ctx: &Context<'_>) -> ApiResult<Vec<ServiceFieldValueObj>> {
        let loaders = ctx.loaders()?;
        let defs = loaders
            .fields_of_type
            .load_one(self.0.service_type_id)
            .await
            .map_err(load_error)?
            .unwrap_or_default();
        let values = loaders
            .values_of_service
            .load_one(self.0.id)
            .await
            .map_err(load_error)?
            .unwrap_or_default();
        Ok(defs
            .into_iter()
            .map(|field| {
                let value = values
                    .iter()
                    .find(|v| v.field_id == field.id)
                    .and_then(|v| v.value.clone())
                    .map(Json);
                ServiceFieldValueObj {
                    field: FieldObj(field),
                    value,
                }
            })
            .collect())
    }
    /// Live and ended, newest first.
    async fn links(&self, ctx: &Context<'_>) -> ApiResult<Vec<super::links::LinkObj>> {
        super::links::links_of_service(ctx, self.0.id).await
    }
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<FieldChangeConnection> {
        let state = ctx.state()?;
        let args = PageArgs::parse(&state.keys, first, after)?;
        let page = svc::history(&state.db, ctx.viewer()?, self.0.id, &args).await?;
        Ok(FieldChangeConnection::from_page(
            &state.keys,
            page.map(FieldChangeObj),
        ))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

#[Object(name = "FieldChange")]
impl FieldChangeObj {
    async fn field(&self, ctx: &Context<'_>) -> ApiResult<FieldObj> {
        let row = one(&ctx.loaders()?.field, self.0.field_id).await?;
        row.map(FieldObj).ok_or_else(|| missing("field"))
    }
    async fn old_value(&self) -> Option<Json<Value>> {
        self.0.old_value.clone().map(Json)
    }
    async fn new_value(&self) -> Option<Json<Value>> {
        self.0.new_value.clone().map(Json)
    }
    async fn origin(&self) -> ChangeOrigin {
        self.0.origin.into()
    }
    async fn node(&self, ctx: &Context<'_>) -> ApiResult<Option<SourceNodeObj>> {
        let Some(id) = self.0.node_id else {
            return Ok(None);
        };
        Ok(one(&ctx.loaders()?.node, id).await?.map(SourceNodeObj))
    }
    async fn job(&self, ctx: &Context<'_>) -> ApiResult<Option<super::sync_jobs::SyncJobObj>> {
        let Some(id) = self.0.job_id else {
            return Ok(None);
        };
        let job = crate::services::jobs::get(&ctx.state()?.db, ctx.viewer()?, id).await?;
        Ok(job.map(super::sync_jobs::SyncJobObj))
    }
    /// Null when the change came from no mapping, or once its mapping is deleted.
    async fn field_mapping(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Option<super::dictionary::FieldMappingObj>> {
        let Some(id) = self.0.field_mapping_id else {
            return Ok(None);
        };
        Ok(one(&ctx.loaders()?.field_mapping, id)
            .await?
            .map(super::dictionary::FieldMappingObj))
    }
    async fn actor(&self) -> ActorObj {
        ActorObj {
            user_id: self.0.actor_user_id,
            token_id: self.0.actor_token_id,
            label: self.0.actor_label.clone(),
        }
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}
