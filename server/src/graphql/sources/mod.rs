//! Sources: the Source type and its settings, health and filter options; sources/source;
//! createSource, updateSource, deleteSource, pauseSource, resumeSource, rotateWebhookSecret.

mod operations;
mod settings;

use async_graphql::{Context, Object, ID};
use chrono::{DateTime, Utc};
use entity::enums::{PsaMetadataKind, Role};
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
use crate::services::source_settings::SourceSettings;
use crate::services::sources as service;
use crate::{connection_type, providers};

pub use operations::{SourceMutation, SourceQuery};
pub use settings::*;

pub struct SourceObj(pub source::Model);

connection_type!(SourceConnection, SourceEdge, SourceObj);

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
