//! `sync_logs`: one log line of a sync job.

use sea_orm::entity::prelude::*;

use crate::enums::LogLevel;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sync_logs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub job_id: i64,
    pub at: DateTimeUtc,
    pub level: LogLevel,
    #[sea_orm(column_type = "Text")]
    pub message: String,
    #[sea_orm(column_type = "Text")]
    pub node_type: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub external_id: Option<String>,
    #[sea_orm(column_type = "JsonBinary")]
    pub details: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::sync_job::Entity",
        from = "Column::JobId",
        to = "super::sync_job::Column::Id",
        on_delete = "Cascade"
    )]
    SyncJob,
}

impl Related<super::sync_job::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SyncJob.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
