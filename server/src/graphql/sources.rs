//! Sources: the Source type and its settings, health and filter options; sources/source;
//! createSource, updateSource, deleteSource, pauseSource, resumeSource, rotateWebhookSecret.

use async_graphql::{Context, InputObject, Json, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::enums::{PsaMetadataKind, Role, SourceStatus as DbStatus};
use entity::{psa_metadata, source};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use super::connection::PageArgs;
use super::enums::SyncJobStatus;
use super::enums::{Provider, SourceStatus};
use super::ids::{self, Kind};
use super::nodes::{NodeTypeObj, SourceNodeConnection, SourceNodeObj};
use super::sync_jobs::{SyncJobConnection, SyncJobObj};
use super::ContextExt;
use crate::error::ApiResult;
use crate::services::nodes::{self as node_service, NodeFilter};
use crate::services::source_settings::{SettingsPatch, SourceSettings};
use crate::services::sources::{self as service, NewSource, SourceUpdate};
use crate::{connection_type, providers};

pub struct SourceObj(pub source::Model);

connection_type!(SourceConnection, SourceEdge, SourceObj);

#[derive(SimpleObject)]
#[graphql(name = "SourceSettings")]
pub struct SourceSettingsObj {
    schedule: String,
    timezone: String,
    include_assets_without_serial: bool,
    configuration_statuses: Vec<String>,
    company_types: Vec<String>,
    company_statuses: Vec<String>,
    write_back_fields: Vec<String>,
    include_custom_fields: bool,
    auto_sync_fields: bool,
    ticket_type_level: Option<i32>,
    ticket_subtype_level: Option<i32>,
    ticket_item_level: Option<i32>,
}

impl From<SourceSettings> for SourceSettingsObj {
    fn from(s: SourceSettings) -> Self {
        SourceSettingsObj {
            schedule: s.schedule,
            timezone: s.timezone,
            include_assets_without_serial: s.include_assets_without_serial,
            configuration_statuses: s.configuration_statuses,
            company_types: s.company_types,
            company_statuses: s.company_statuses,
            write_back_fields: s.write_back_fields,
            include_custom_fields: s.include_custom_fields,
            auto_sync_fields: s.auto_sync_fields,
            ticket_type_level: s.ticket_type_level,
            ticket_subtype_level: s.ticket_subtype_level,
            ticket_item_level: s.ticket_item_level,
        }
    }
}

#[derive(InputObject, Default)]
pub struct SourceSettingsInput {
    schedule: Option<String>,
    timezone: Option<String>,
    include_assets_without_serial: Option<bool>,
    configuration_statuses: Option<Vec<String>>,
    company_types: Option<Vec<String>>,
    company_statuses: Option<Vec<String>>,
    write_back_fields: Option<Vec<String>>,
    include_custom_fields: Option<bool>,
    auto_sync_fields: Option<bool>,
    ticket_type_level: async_graphql::MaybeUndefined<i32>,
    ticket_subtype_level: async_graphql::MaybeUndefined<i32>,
    ticket_item_level: async_graphql::MaybeUndefined<i32>,
}

fn level(v: async_graphql::MaybeUndefined<i32>) -> Option<Option<i32>> {
    match v {
        async_graphql::MaybeUndefined::Undefined => None,
        async_graphql::MaybeUndefined::Null => Some(None),
        async_graphql::MaybeUndefined::Value(l) => Some(Some(l)),
    }
}

impl From<SourceSettingsInput> for SettingsPatch {
    fn from(i: SourceSettingsInput) -> Self {
        SettingsPatch {
            schedule: i.schedule,
            timezone: i.timezone,
            include_assets_without_serial: i.include_assets_without_serial,
            configuration_statuses: i.configuration_statuses,
            company_types: i.company_types,
            company_statuses: i.company_statuses,
            write_back_fields: i.write_back_fields,
            include_custom_fields: i.include_custom_fields,
            auto_sync_fields: i.auto_sync_fields,
            ticket_type_level: level(i.ticket_type_level),
            ticket_subtype_level: level(i.ticket_subtype_level),
            ticket_item_level: level(i.ticket_item_level),
        }
    }
}

#[derive(InputObject)]
pub struct CreateSourceInput {
    name: String,
    provider: Provider,
    base_url: String,
    credentials: Json<Value>,
    settings: Option<SourceSettingsInput>,
}

#[derive(InputObject)]
pub struct UpdateSourceInput {
    name: Option<String>,
    base_url: Option<String>,
    credentials: Option<Json<Value>>,
    settings: Option<SourceSettingsInput>,
}

#[derive(SimpleObject, Default)]
#[graphql(name = "SourceFilterOptions")]
pub struct SourceFilterOptions {
    company_statuses: Vec<String>,
    company_types: Vec<String>,
    configuration_statuses: Vec<String>,
}

#[derive(SimpleObject, Default)]
#[graphql(name = "RateLimitBudget")]
pub struct RateLimitBudget {
    limit: Option<i32>,
    remaining: Option<i32>,
    window_seconds: Option<i32>,
    reset_at: Option<DateTime<Utc>>,
}

#[derive(SimpleObject)]
#[graphql(name = "SourceHealth")]
pub struct SourceHealth {
    last_successful_sync_at: Option<DateTime<Utc>>,
    last_event_at: Option<DateTime<Utc>>,
    last_poll_at: Option<DateTime<Utc>>,
    webhook_healthy: Option<bool>,
    rate_limit: Option<RateLimitBudget>,
    message: Option<String>,
}

#[Object(name = "Source")]
impl SourceObj {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Source, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn provider(&self) -> Provider {
        self.0.provider.into()
    }
    async fn base_url(&self) -> &str {
        &self.0.base_url
    }
    /// Credentials themselves are never readable.
    async fn has_credentials(&self) -> bool {
        self.0.credentials_ciphertext.is_some()
    }
    /// Null for providers without webhooks, and for VIEWER.
    async fn webhook_url(&self, ctx: &Context<'_>) -> ApiResult<Option<String>> {
        if !ctx.viewer()?.is_at_least(Role::Operator) {
            return Ok(None);
        }
        let state = ctx.state()?;
        Ok(service::webhook_url(
            &state.keys,
            &state.public_url,
            &self.0,
        ))
    }
    async fn deleted_at(&self) -> Option<DateTime<Utc>> {
        self.0.deleted_at
    }
    /// Values the source has, for the settings pickers (kept by each import).
    async fn filter_options(&self, ctx: &Context<'_>) -> ApiResult<SourceFilterOptions> {
        let rows = psa_metadata::Entity::find()
            .filter(psa_metadata::Column::SourceId.eq(self.0.id))
            .order_by_asc(psa_metadata::Column::Name)
            .all(&ctx.state()?.db)
            .await?;
        let names = |kind: PsaMetadataKind| {
            let mut v: Vec<String> = rows
                .iter()
                .filter(|r| r.kind == kind)
                .map(|r| r.name.clone())
                .collect();
            v.dedup();
            v
        };
        Ok(SourceFilterOptions {
            company_statuses: names(PsaMetadataKind::CompanyStatus),
            company_types: names(PsaMetadataKind::CompanyType),
            configuration_statuses: names(PsaMetadataKind::ConfigurationStatus),
        })
    }
    async fn status(&self) -> SourceStatus {
        self.0.status.into()
    }
    async fn settings(&self) -> SourceSettingsObj {
        SourceSettings::from_json(&self.0.settings).into()
    }
    async fn node_types(&self) -> Vec<NodeTypeObj> {
        providers::spec(self.0.provider)
            .node_types
            .iter()
            .map(NodeTypeObj)
            .collect()
    }
    async fn node_count(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        Ok(node_service::count_live(&ctx.state()?.db, self.0.id, false).await? as i32)
    }
    async fn linked_count(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        Ok(node_service::count_live(&ctx.state()?.db, self.0.id, true).await? as i32)
    }
    async fn roots(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(false)")] include_deleted: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<SourceNodeConnection> {
        let state = ctx.state()?;
        let args = PageArgs::parse(&state.keys, first, after)?;
        let page = node_service::roots(
            &state.db,
            ctx.viewer()?,
            &self.0,
            include_deleted.unwrap_or(false),
            &args,
        )
        .await?;
        super::nodes::prefetch(ctx, &page).await?;
        Ok(SourceNodeConnection::from_page(
            &state.keys,
            page.map(SourceNodeObj),
        ))
    }
    #[allow(clippy::too_many_arguments)]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        #[graphql(name = "type")] node_type: Option<String>,
        linked: Option<bool>,
        #[graphql(default_with = "Some(false)")] include_deleted: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<SourceNodeConnection> {
        let state = ctx.state()?;
        let args = PageArgs::parse(&state.keys, first, after)?;
        let filter = NodeFilter {
            source_id: Some(self.0.id),
            search,
            node_type,
            linked,
            include_deleted: include_deleted.unwrap_or(false),
            live_sources_only: false,
        };
        let page = node_service::list(&state.db, ctx.viewer()?, &filter, &args).await?;
        super::nodes::prefetch(ctx, &page).await?;
        Ok(SourceNodeConnection::from_page(
            &state.keys,
            page.map(SourceNodeObj),
        ))
    }
    async fn last_job(&self, ctx: &Context<'_>) -> ApiResult<Option<SyncJobObj>> {
        Ok(
            crate::services::jobs::last_of_source(&ctx.state()?.db, ctx.viewer()?, self.0.id)
                .await?
                .map(SyncJobObj),
        )
    }
    async fn jobs(
        &self,
        ctx: &Context<'_>,
        status: Option<SyncJobStatus>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<SyncJobConnection> {
        let state = ctx.state()?;
        let args = PageArgs::parse(&state.keys, first, after)?;
        let page = crate::services::jobs::list(
            &state.db,
            ctx.viewer()?,
            Some(self.0.id),
            status.map(Into::into),
            &args,
        )
        .await?;
        Ok(SyncJobConnection::from_page(
            &state.keys,
            page.map(SyncJobObj),
        ))
    }
    async fn health(&self, ctx: &Context<'_>) -> ApiResult<SourceHealth> {
        let has_webhooks = providers::spec(self.0.provider).has_webhooks;
        // This process's live budget when it has talked to the host, else the last one stored.
        let key = crate::connectors::budget_key(self.0.provider, &self.0.base_url);
        let live = ctx.state()?.net.snapshot(&key);
        let rate_limit = live
            .as_ref()
            .or(self.0.rate_limit.as_ref())
            .map(|v| RateLimitBudget {
                limit: v.get("limit").and_then(Value::as_i64).map(|n| n as i32),
                remaining: v.get("remaining").and_then(Value::as_i64).map(|n| n as i32),
                window_seconds: v
                    .get("windowSeconds")
                    .and_then(Value::as_i64)
                    .map(|n| n as i32),
                reset_at: v
                    .get("resetAt")
                    .and_then(Value::as_str)
                    .and_then(|s| s.parse().ok()),
            });
        Ok(SourceHealth {
            last_successful_sync_at: self.0.last_successful_sync_at,
            last_event_at: self.0.last_event_at,
            last_poll_at: self.0.last_poll_at,
            webhook_healthy: if has_webhooks {
                self.0.webhook_healthy
            } else {
                None
            },
            rate_limit,
            message: self.0.health_message.clone(),
        })
    }
    /// In order (position 1 first).
    async fn rules(&self, ctx: &Context<'_>) -> ApiResult<Vec<super::rules::SyncRuleObj>> {
        super::rules::rules_of(ctx, self.0.id).await
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

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
