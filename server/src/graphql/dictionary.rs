//! The dictionary's type and field mappings: TypeMapping, FieldMapping, `typeMappings`,
//! `createTypeMapping`, `createFieldMapping`.

use async_graphql::{Context, InputObject, Object, ID};
use entity::enums::Role;
use entity::{field_mapping, type_mapping};

use super::billing::{FieldObj, ServiceTypeObj};
use super::enums::{MappingDirection, Provider};
use super::ids::{self, Kind};
use super::loaders::one;
use super::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::services::dictionary as svc;

pub struct TypeMappingObj(pub type_mapping::Model);
pub struct FieldMappingObj(pub field_mapping::Model);

#[Object(name = "TypeMapping")]
impl TypeMappingObj {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::TypeMapping, self.0.id)
    }
    async fn provider(&self) -> Provider {
        self.0.provider.into()
    }
    async fn node_type(&self) -> &str {
        &self.0.node_type
    }
    async fn service_type(&self, ctx: &Context<'_>) -> ApiResult<ServiceTypeObj> {
        one(&ctx.loaders()?.service_type, self.0.service_type_id)
            .await?
            .map(ServiceTypeObj)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("type mapping without service type")))
    }
    async fn field_mappings(&self, ctx: &Context<'_>) -> ApiResult<Vec<FieldMappingObj>> {
        Ok(svc::field_mappings_of(&ctx.state()?.db, self.0.id)
            .await?
            .into_iter()
            .map(FieldMappingObj)
            .collect())
    }
}

#[Object(name = "FieldMapping")]
impl FieldMappingObj {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::FieldMapping, self.0.id)
    }
    async fn node_field(&self) -> &str {
        &self.0.node_field
    }
    async fn service_field(&self, ctx: &Context<'_>) -> ApiResult<FieldObj> {
        one(&ctx.loaders()?.field, self.0.service_field_id)
            .await?
            .map(FieldObj)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("field mapping without field")))
    }
    async fn direction(&self) -> MappingDirection {
        self.0.direction.into()
    }
    async fn enabled(&self) -> bool {
        self.0.enabled
    }
}

#[derive(InputObject)]
pub struct CreateTypeMappingInput {
    provider: Provider,
    node_type: String,
    service_type_id: ID,
}

#[derive(InputObject)]
pub struct CreateFieldMappingInput {
    type_mapping_id: ID,
    node_field: String,
    service_field_id: ID,
    direction: Option<MappingDirection>,
}

#[derive(Default)]
pub struct DictionaryQuery;

#[Object]
impl DictionaryQuery {
    /// The organization's type mappings, of one provider or all.
    async fn type_mappings(
        &self,
        ctx: &Context<'_>,
        provider: Option<Provider>,
    ) -> ApiResult<Vec<TypeMappingObj>> {
        let rows =
            svc::type_mappings(&ctx.state()?.db, ctx.viewer()?, provider.map(Into::into)).await?;
        Ok(rows.into_iter().map(TypeMappingObj).collect())
    }
}

#[derive(Default)]
pub struct DictionaryMutation;

#[Object]
impl DictionaryMutation {
    async fn create_type_mapping(
        &self,
        ctx: &Context<'_>,
        input: CreateTypeMappingInput,
    ) -> ApiResult<TypeMappingObj> {
        let viewer = ctx.require(Role::Operator)?;
        let service_type = ids::require(Kind::ServiceType, &input.service_type_id)?;
        svc::create_type_mapping(
            &ctx.state()?.db,
            viewer,
            input.provider.into(),
            &input.node_type,
            service_type,
        )
        .await
        .map(TypeMappingObj)
    }

    async fn create_field_mapping(
        &self,
        ctx: &Context<'_>,
        input: CreateFieldMappingInput,
    ) -> ApiResult<FieldMappingObj> {
        let viewer = ctx.require(Role::Operator)?;
        let type_mapping = ids::require(Kind::TypeMapping, &input.type_mapping_id)?;
        let field =
            ids::decode(Kind::ServiceTypeField, &input.service_field_id).ok_or_else(|| {
                ApiError::bad_input("input.serviceFieldId", "not a service type field id")
            })?;
        svc::create_field_mapping(
            &ctx.state()?.db,
            viewer,
            type_mapping,
            &input.node_field,
            field,
            input.direction.map(Into::into),
        )
        .await
        .map(FieldMappingObj)
    }
}
