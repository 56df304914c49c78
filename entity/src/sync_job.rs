//! `sync_jobs`: a queued, running or finished sync job of a source.

use sea_orm::entity::prelude::*;

use crate::enums::{SyncJobKind, SyncJobStatus, SyncTrigger};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sync_jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub source_id: i64,
    pub kind: SyncJobKind,
    pub trigger: SyncTrigger,
    pub status: SyncJobStatus,
    pub queued_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub lease_owner: Option<String>,
    pub lease_expires_at: Option<DateTimeUtc>,
    pub attempts: i32,
    pub progress_done: i64,
    pub progress_total: Option<i64>,
    #[sea_orm(column_type = "JsonBinary")]
    pub stats: Json,
    #[sea_orm(column_type = "JsonBinary")]
    pub coverage: Json,
    #[sea_orm(column_type = "JsonBinary")]
    pub checkpoint: Option<Json>,
    #[sea_orm(column_type = "Text")]
    pub error: Option<String>,
    pub cancel_requested: bool,
    pub scheduled_for: Option<DateTimeUtc>,
    pub requested_by_user_id: Option<i64>,
    pub requested_by_token_id: Option<i64>,
    pub plan_id: Option<i64>,
    pub undo_of_job_id: Option<i64>,
    pub undone_by_job_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::source::Entity",
        from = "Column::SourceId",
        to = "super::source::Column::Id",
        on_delete = "Cascade"
    )]
    Source,
    #[sea_orm(has_many = "super::sync_log::Entity")]
    SyncLog,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::source::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Source.def()
    }
}

impl Related<super::sync_log::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SyncLog.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
