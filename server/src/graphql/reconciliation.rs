//! Reports: `reconciliation(sourceId)` (provisioning against billing) and `activity(sourceId,
//! days)` (what the sync did per day), from services::reconciliation and services::activity.

use async_graphql::{Context, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::connection::PageArgs;
use super::ids::{self, Kind};
use super::links::LinkObj;
use super::nodes::{SourceNodeConnection, SourceNodeObj};
use super::scalars::Date;
use super::ContextExt;
use crate::error::ApiResult;
use crate::services::{activity, reconciliation as svc};

pub struct ReconciliationReportObj(svc::Report);

#[Object(name = "ReconciliationReport")]
impl ReconciliationReportObj {
    /// Live nodes of mapped types with no service linked: provisioned, not billed.
    async fn unlinked_nodes(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<SourceNodeConnection> {
        let state = ctx.state()?;
        let args = PageArgs::parse(&state.keys, first, after)?;
        let page = svc::unlinked_nodes(&state.db, &self.0, &args).await?;
        Ok(SourceNodeConnection::from_page(
            &state.keys,
            page.map(SourceNodeObj),
        ))
    }
    /// Live links whose node was deleted upstream: billed, no longer provisioned.
    async fn orphaned_links(&self) -> Vec<LinkObj> {
        self.0.orphaned.iter().cloned().map(LinkObj).collect()
    }
    /// Live links whose mapped fields differ (the next field sync would change them).
    async fn out_of_sync_links(&self) -> Vec<LinkObj> {
        self.0.out_of_sync.iter().cloned().map(LinkObj).collect()
    }
    async fn unmapped_node_types(&self) -> Vec<String> {
        self.0.unmapped_types.clone()
    }
    async fn generated_at(&self) -> DateTime<Utc> {
        self.0.generated_at
    }
}

#[derive(SimpleObject)]
#[graphql(name = "ActivityDay")]
pub struct ActivityDayObj {
    date: Date,
    nodes_created: i32,
    nodes_updated: i32,
    nodes_deleted: i32,
    fields_synced: i32,
    written_back: i32,
    failures: i32,
}

fn int(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// NOT_FOUND for a source the caller cannot see.
    async fn reconciliation(
        &self,
        ctx: &Context<'_>,
        source_id: ID,
    ) -> ApiResult<ReconciliationReportObj> {
        let id = ids::require(Kind::Source, &source_id)?;
        let report = svc::report(&ctx.state()?.db, ctx.viewer()?, id).await?;
        Ok(ReconciliationReportObj(report))
    }

    /// One entry per day (UTC), oldest first; `days` 1..366, default 30. All sources when
    /// `sourceId` is null; an unknown source has no activity.
    async fn activity(
        &self,
        ctx: &Context<'_>,
        source_id: Option<ID>,
        days: Option<i32>,
    ) -> ApiResult<Vec<ActivityDayObj>> {
        let source = source_id.map(|id| ids::decode(Kind::Source, &id).unwrap_or(0));
        let list = activity::days(&ctx.state()?.db, ctx.viewer()?, source, days).await?;
        Ok(list
            .into_iter()
            .map(|d| ActivityDayObj {
                date: Date(d.date),
                nodes_created: int(d.nodes_created),
                nodes_updated: int(d.nodes_updated),
                nodes_deleted: int(d.nodes_deleted),
                fields_synced: int(d.fields_synced),
                written_back: int(d.written_back),
                failures: int(d.failures),
            })
            .collect())
    }
}
