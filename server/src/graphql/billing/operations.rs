//! The billing side's queries (customers, services, service types, packages, field history)
//! and its create/update mutations with their inputs.

use async_graphql::{Context, InputObject, Json, Object, ID};
use serde_json::Value;

use super::{
    CustomerConnection, CustomerObj, PackageObj, ServiceConnection, ServiceObj, ServiceTypeObj,
};
use crate::error::ApiResult;
use crate::graphql::connection::PageArgs;
use crate::graphql::enums::{FieldDataType, Provider};
use crate::graphql::ids::{self, Kind};
use crate::graphql::scalars::Date;
use crate::graphql::ContextExt;
use crate::services::billing::{self as svc, NewField, NewService};

#[derive(InputObject)]
pub struct CreateCustomerInput {
    name: String,
    account_number: Option<String>,
}

#[derive(InputObject)]
pub struct ServiceTypeFieldInput {
    key: String,
    label: String,
    data_type: FieldDataType,
    required: Option<bool>,
    read_only: Option<bool>,
    max_length: Option<i32>,
    allowed_values: Option<Vec<String>>,
    default_value: Option<Json<Value>>,
}

impl From<ServiceTypeFieldInput> for NewField {
    fn from(f: ServiceTypeFieldInput) -> Self {
        NewField {
            key: f.key,
            label: f.label,
            data_type: f.data_type.into(),
            required: f.required.unwrap_or(false),
            read_only: f.read_only.unwrap_or(false),
            max_length: f.max_length,
            allowed_values: f.allowed_values,
            default_value: f.default_value.map(|j| j.0),
        }
    }
}

#[derive(InputObject)]
pub struct CreateServiceTypeInput {
    name: String,
    fields: Option<Vec<ServiceTypeFieldInput>>,
}

#[derive(InputObject)]
pub struct CreatePackageInput {
    name: String,
    service_type_id: Option<ID>,
}

#[derive(InputObject)]
pub struct CreateServiceInput {
    name: String,
    customer_id: ID,
    service_type_id: ID,
    package_id: Option<ID>,
    provider: Option<Provider>,
    effective_date: Date,
    fields: Option<Json<Value>>,
}

#[derive(Default)]
pub struct BillingQuery;

#[Object]
impl BillingQuery {
    async fn customers(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<CustomerConnection> {
        let state = ctx.state()?;
        let args = PageArgs::parse(&state.keys, first, after)?;
        let page = svc::customers(&state.db, ctx.viewer()?, search.as_deref(), &args).await?;
        Ok(CustomerConnection::from_page(
            &state.keys,
            page.map(CustomerObj),
        ))
    }

    async fn customer(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<CustomerObj>> {
        let viewer = ctx.viewer()?;
        let Some(row) = ids::decode(Kind::Customer, &id) else {
            return Ok(None);
        };
        Ok(svc::customer(&ctx.state()?.db, viewer, row)
            .await?
            .map(CustomerObj))
    }

    async fn services(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        customer_id: Option<ID>,
        service_type_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<ServiceConnection> {
        let state = ctx.state()?;
        let viewer = ctx.viewer()?;
        let args = PageArgs::parse(&state.keys, first, after)?;
        let customer = customer_id
            .map(|id| ids::parse_arg(Kind::Customer, &id, "customerId"))
            .transpose()?;
        let st = service_type_id
            .map(|id| ids::parse_arg(Kind::ServiceType, &id, "serviceTypeId"))
            .transpose()?;
        let page = svc::services(&state.db, viewer, search.as_deref(), customer, st, &args).await?;
        Ok(ServiceConnection::from_page(
            &state.keys,
            page.map(ServiceObj),
        ))
    }

    async fn service(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<ServiceObj>> {
        let viewer = ctx.viewer()?;
        let Some(row) = ids::decode(Kind::Service, &id) else {
            return Ok(None);
        };
        Ok(svc::service(&ctx.state()?.db, viewer, row)
            .await?
            .map(ServiceObj))
    }

    async fn service_types(&self, ctx: &Context<'_>) -> ApiResult<Vec<ServiceTypeObj>> {
        Ok(svc::service_types(&ctx.state()?.db, ctx.viewer()?)
            .await?
            .into_iter()
            .map(ServiceTypeObj)
            .collect())
    }

    async fn packages(&self, ctx: &Context<'_>) -> ApiResult<Vec<PackageObj>> {
        Ok(svc::packages(&ctx.state()?.db, ctx.viewer()?)
            .await?
            .into_iter()
            .map(PackageObj)
            .collect())
    }
}

#[derive(Default)]
pub struct BillingMutation;

#[Object]
impl BillingMutation {
    async fn create_customer(
        &self,
        ctx: &Context<'_>,
        input: CreateCustomerInput,
    ) -> ApiResult<CustomerObj> {
        let row = svc::create_customer(
            &ctx.state()?.db,
            ctx.viewer()?,
            &input.name,
            input.account_number,
        )
        .await?;
        Ok(CustomerObj(row))
    }

    async fn create_service_type(
        &self,
        ctx: &Context<'_>,
        input: CreateServiceTypeInput,
    ) -> ApiResult<ServiceTypeObj> {
        let fields = input
            .fields
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        let row =
            svc::create_service_type(&ctx.state()?.db, ctx.viewer()?, &input.name, fields).await?;
        Ok(ServiceTypeObj(row))
    }

    async fn add_service_type_field(
        &self,
        ctx: &Context<'_>,
        service_type_id: ID,
        input: ServiceTypeFieldInput,
    ) -> ApiResult<ServiceTypeObj> {
        let id = ids::require(Kind::ServiceType, &service_type_id)?;
        let row =
            svc::add_service_type_field(&ctx.state()?.db, ctx.viewer()?, id, input.into()).await?;
        Ok(ServiceTypeObj(row))
    }

    async fn create_package(
        &self,
        ctx: &Context<'_>,
        input: CreatePackageInput,
    ) -> ApiResult<PackageObj> {
        let st = input
            .service_type_id
            .map(|id| ids::require(Kind::ServiceType, &id))
            .transpose()?;
        Ok(PackageObj(
            svc::create_package(&ctx.state()?.db, ctx.viewer()?, &input.name, st).await?,
        ))
    }

    async fn create_service(
        &self,
        ctx: &Context<'_>,
        input: CreateServiceInput,
    ) -> ApiResult<ServiceObj> {
        let new = NewService {
            name: input.name,
            customer_id: ids::require(Kind::Customer, &input.customer_id)?,
            service_type_id: ids::require(Kind::ServiceType, &input.service_type_id)?,
            package_id: input
                .package_id
                .map(|id| ids::require(Kind::Package, &id))
                .transpose()?,
            provider: input.provider.map(Into::into),
            effective_date: input.effective_date.0,
            fields: input.fields.map(|j| j.0),
        };
        Ok(ServiceObj(
            svc::create_service(&ctx.state()?.db, ctx.viewer()?, new).await?,
        ))
    }

    async fn update_service_fields(
        &self,
        ctx: &Context<'_>,
        service_id: ID,
        fields: Json<Value>,
    ) -> ApiResult<ServiceObj> {
        let id = ids::require(Kind::Service, &service_id)?;
        Ok(ServiceObj(
            svc::update_service_fields(&ctx.state()?.db, ctx.viewer()?, id, &fields.0).await?,
        ))
    }
}
