//! The dictionary's value mappings and the organization's own vocabularies: ValueOption,
//! ValueMapping; valueMappingOptions, valueMappings, internalValues; setValueMapping,
//! deleteValueMapping, setInternalValues.

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use entity::value_mapping;

use super::enums::ValueMappingKind;
use super::ids::{self, Kind};
use super::ContextExt;
use crate::error::ApiResult;
use crate::services::{internal_values, value_mappings as svc};

pub struct ValueMappingObj(pub value_mapping::Model);

#[Object(name = "ValueMapping")]
impl ValueMappingObj {
    async fn kind(&self) -> ValueMappingKind {
        self.0.kind.into()
    }
    async fn external_id(&self) -> &str {
        &self.0.external_id
    }
    async fn external_name(&self) -> &str {
        &self.0.external_name
    }
    /// Null = don't sync; a value with no mapping passes through as is.
    async fn internal_value(&self) -> Option<&str> {
        self.0.internal_value.as_deref()
    }
}

#[derive(SimpleObject)]
#[graphql(name = "ValueOption")]
pub struct ValueOptionObj {
    external_id: String,
    name: String,
    /// E.g. the board a status belongs to.
    parent: Option<String>,
}

impl From<svc::ValueOption> for ValueOptionObj {
    fn from(o: svc::ValueOption) -> Self {
        ValueOptionObj {
            external_id: o.external_id,
            name: o.name,
            parent: o.parent,
        }
    }
}

#[derive(InputObject)]
pub struct SetValueMappingInput {
    source_id: ID,
    kind: ValueMappingKind,
    external_id: String,
    internal_value: Option<String>,
}

#[derive(Default)]
pub struct ValueMappingQuery;

#[Object]
impl ValueMappingQuery {
    /// The source's mappings (empty for a malformed or foreign source id).
    async fn value_mappings(
        &self,
        ctx: &Context<'_>,
        source_id: ID,
        kind: Option<ValueMappingKind>,
    ) -> ApiResult<Vec<ValueMappingObj>> {
        let viewer = ctx.viewer()?;
        let Some(source) = ids::decode(Kind::Source, &source_id) else {
            return Ok(Vec::new());
        };
        let rows = svc::list(&ctx.state()?.db, viewer, source, kind.map(Into::into)).await?;
        Ok(rows.into_iter().map(ValueMappingObj).collect())
    }

    /// External values the source has, e.g. its configuration types.
    async fn value_mapping_options(
        &self,
        ctx: &Context<'_>,
        source_id: ID,
        kind: ValueMappingKind,
    ) -> ApiResult<Vec<ValueOptionObj>> {
        let viewer = ctx.viewer()?;
        let Some(source) = ids::decode(Kind::Source, &source_id) else {
            return Ok(Vec::new());
        };
        let options = svc::options(&ctx.state()?.db, viewer, source, kind.into()).await?;
        Ok(options.into_iter().map(Into::into).collect())
    }

    /// The organization's own vocabulary for a kind.
    async fn internal_values(
        &self,
        ctx: &Context<'_>,
        kind: ValueMappingKind,
    ) -> ApiResult<Vec<String>> {
        internal_values::list(&ctx.state()?.db, ctx.viewer()?, kind.into()).await
    }
}

#[derive(Default)]
pub struct ValueMappingMutation;

#[Object]
impl ValueMappingMutation {
    async fn set_internal_values(
        &self,
        ctx: &Context<'_>,
        kind: ValueMappingKind,
        values: Vec<String>,
    ) -> ApiResult<Vec<String>> {
        internal_values::set(&ctx.state()?.db, ctx.viewer()?, kind.into(), values).await
    }

    async fn set_value_mapping(
        &self,
        ctx: &Context<'_>,
        input: SetValueMappingInput,
    ) -> ApiResult<ValueMappingObj> {
        let viewer = ctx.viewer()?;
        let new = svc::SetValueMapping {
            source_id: ids::require(Kind::Source, &input.source_id)?,
            kind: input.kind.into(),
            external_id: input.external_id,
            internal_value: input.internal_value,
        };
        Ok(ValueMappingObj(
            svc::set(&ctx.state()?.db, viewer, new).await?,
        ))
    }

    /// True when a mapping was removed (the value passes through again).
    async fn delete_value_mapping(
        &self,
        ctx: &Context<'_>,
        source_id: ID,
        kind: ValueMappingKind,
        external_id: String,
    ) -> ApiResult<bool> {
        let viewer = ctx.viewer()?;
        let source = ids::require(Kind::Source, &source_id)?;
        svc::delete(&ctx.state()?.db, viewer, source, kind.into(), &external_id).await
    }
}
