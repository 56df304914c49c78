//! `sources`: a connection to a provider (switch platform or PSA) and its sync state.

use sea_orm::entity::prelude::*;

use crate::enums::{Provider, SourceStatus};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sources")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    pub provider: Provider,
    #[sea_orm(column_type = "Text")]
    pub base_url: String,
    #[sea_orm(column_type = "Blob")]
    pub credentials_ciphertext: Option<Vec<u8>>,
    #[sea_orm(column_type = "Blob")]
    pub webhook_secret_ciphertext: Option<Vec<u8>>,
    #[sea_orm(column_type = "Text")]
    pub webhook_id: String,
    pub status: SourceStatus,
    #[sea_orm(column_type = "JsonBinary")]
    pub settings: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
    pub last_successful_sync_at: Option<DateTimeUtc>,
    pub last_event_at: Option<DateTimeUtc>,
    pub last_poll_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub poll_cursor: Option<String>,
    pub webhook_healthy: Option<bool>,
    #[sea_orm(column_type = "Text")]
    pub health_message: Option<String>,
    #[sea_orm(column_type = "JsonBinary")]
    pub rate_limit: Option<Json>,
    pub next_scheduled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id"
    )]
    Organization,
    #[sea_orm(has_many = "super::source_node::Entity")]
    SourceNode,
    #[sea_orm(has_many = "super::psa_metadata::Entity")]
    PsaMetadata,
    #[sea_orm(has_many = "super::value_mapping::Entity")]
    ValueMapping,
    #[sea_orm(has_many = "super::sync_job::Entity")]
    SyncJob,
    #[sea_orm(has_many = "super::sync_plan::Entity")]
    SyncPlan,
    #[sea_orm(has_many = "super::sync_rule::Entity")]
    SyncRule,
    #[sea_orm(has_many = "super::webhook_event::Entity")]
    WebhookEvent,
    #[sea_orm(has_many = "super::ticket_mark::Entity")]
    TicketMark,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::source_node::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SourceNode.def()
    }
}

impl Related<super::psa_metadata::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PsaMetadata.def()
    }
}

impl Related<super::value_mapping::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ValueMapping.def()
    }
}

impl Related<super::sync_job::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SyncJob.def()
    }
}

impl Related<super::sync_plan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SyncPlan.def()
    }
}

impl Related<super::sync_rule::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SyncRule.def()
    }
}

impl Related<super::webhook_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WebhookEvent.def()
    }
}

impl Related<super::ticket_mark::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::TicketMark.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
