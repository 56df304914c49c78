//! sources/source, and createSource, updateSource, deleteSource, pauseSource, resumeSource,
//! testSourceConnection, testConnection and rotateWebhookSecret.

use async_graphql::{Context, Object, SimpleObject, ID};
use entity::enums::{Role, SourceStatus as DbStatus};

use super::{CreateSourceInput, SourceConnection, SourceObj, UpdateSourceInput};
use crate::error::ApiResult;
use crate::graphql::connection::PageArgs;
use crate::graphql::ids::{self, Kind};
use crate::graphql::ContextExt;
use crate::services::source_settings::SourceSettings;
use crate::services::sources::{self as service, NewSource, SourceUpdate};

#[derive(Default)]
pub struct SourceQuery;

#[Object]
impl SourceQuery {
    async fn sources(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<SourceConnection> {
        let state = ctx.state()?;
        let args = PageArgs::parse(&state.keys, first, after)?;
        let page = service::list(&state.db, ctx.viewer()?, &args).await?;
        Ok(SourceConnection::from_page(
            &state.keys,
            page.map(SourceObj),
        ))
    }

    async fn source(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<SourceObj>> {
        let viewer = ctx.viewer()?;
        let Some(row_id) = ids::decode(Kind::Source, &id) else {
            return Ok(None);
        };
        Ok(service::get(&ctx.state()?.db, viewer, row_id)
            .await?
            .map(SourceObj))
    }
}

#[derive(SimpleObject)]
#[graphql(name = "ConnectionTestResult")]
pub struct ConnectionTestResult {
    ok: bool,
    message: String,
}

#[derive(Default)]
pub struct SourceMutation;

#[Object]
impl SourceMutation {
    async fn create_source(
        &self,
        ctx: &Context<'_>,
        input: CreateSourceInput,
    ) -> ApiResult<SourceObj> {
        let state = ctx.state()?;
        let new = NewSource {
            name: input.name,
            provider: input.provider.into(),
            base_url: input.base_url,
            credentials: input.credentials.0,
            settings: input.settings.map(Into::into),
        };
        let row = service::create(
            &state.db,
            &state.keys,
            ctx.viewer()?,
            new,
            state.settings.block_private_upstreams,
        )
        .await?;
        Ok(SourceObj(row))
    }

    async fn update_source(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateSourceInput,
    ) -> ApiResult<SourceObj> {
        let state = ctx.state()?;
        let row_id = ids::require(Kind::Source, &id)?;
        let update = SourceUpdate {
            name: input.name,
            base_url: input.base_url,
            credentials: input.credentials.map(|c| c.0),
            settings: input.settings.map(Into::into),
        };
        let row = service::update(
            &state.db,
            &state.keys,
            ctx.viewer()?,
            row_id,
            update,
            state.settings.block_private_upstreams,
        )
        .await?;
        Ok(SourceObj(row))
    }

    /// Tries a source's stored connection; the answer says what to do when it fails.
    async fn test_source_connection(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> ApiResult<ConnectionTestResult> {
        let state = ctx.state()?;
        let viewer = ctx.require(Role::Operator)?;
        let row = service::get_live(&state.db, viewer, ids::require(Kind::Source, &id)?).await?;
        let Some(credentials) = service::open_credentials(&state.keys, &row) else {
            return Ok(ConnectionTestResult {
                ok: false,
                message: "This source has no readable credentials; enter them again.".into(),
            });
        };
        let settings = SourceSettings::from_json(&row.settings);
        let (ok, message) = crate::connectors::test_connection(
            row.provider,
            &row.base_url,
            &credentials,
            &settings,
            &state.net,
        )
        .await;
        Ok(ConnectionTestResult { ok, message })
    }

    /// Tries a connection before it is saved (nothing is stored).
    async fn test_connection(
        &self,
        ctx: &Context<'_>,
        input: CreateSourceInput,
    ) -> ApiResult<ConnectionTestResult> {
        let state = ctx.state()?;
        ctx.require(Role::Operator)?;
        let provider = input.provider.into();
        let base_url = crate::upstream_url::validate(
            &input.base_url,
            state.settings.block_private_upstreams,
            "input.baseUrl",
        )?;
        let credentials =
            service::validate_credentials(provider, &input.credentials.0, "input.credentials")?;
        let settings = SourceSettings::default().apply(
            input.settings.map(Into::into).unwrap_or_default(),
            "input.settings",
        )?;
        let (ok, message) = crate::connectors::test_connection(
            provider,
            &base_url,
            &credentials,
            &settings,
            &state.net,
        )
        .await;
        Ok(ConnectionTestResult { ok, message })
    }

    async fn delete_source(&self, ctx: &Context<'_>, id: ID) -> ApiResult<ID> {
        let row_id = ids::require(Kind::Source, &id)?;
        service::delete(&ctx.state()?.db, ctx.viewer()?, row_id).await?;
        Ok(id)
    }

    async fn pause_source(&self, ctx: &Context<'_>, id: ID) -> ApiResult<SourceObj> {
        let row_id = ids::require(Kind::Source, &id)?;
        Ok(SourceObj(
            service::set_status(&ctx.state()?.db, ctx.viewer()?, row_id, DbStatus::Paused).await?,
        ))
    }

    async fn resume_source(&self, ctx: &Context<'_>, id: ID) -> ApiResult<SourceObj> {
        let row_id = ids::require(Kind::Source, &id)?;
        Ok(SourceObj(
            service::set_status(&ctx.state()?.db, ctx.viewer()?, row_id, DbStatus::Active).await?,
        ))
    }

    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        source_id: ID,
    ) -> ApiResult<SourceObj> {
        let state = ctx.state()?;
        let row_id = ids::require(Kind::Source, &source_id)?;
        Ok(SourceObj(
            service::rotate_webhook_secret(&state.db, &state.keys, ctx.viewer()?, row_id).await?,
        ))
    }
}
