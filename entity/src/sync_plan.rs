//! `sync_plans`: a computed list of changes that a sync job can apply.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sync_plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub source_id: i64,
    pub created_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub plan_hash: String,
    pub created_by_user_id: Option<i64>,
    pub created_by_token_id: Option<i64>,
    pub applied_job_id: Option<i64>,
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
    #[sea_orm(has_many = "super::sync_plan_change::Entity")]
    SyncPlanChange,
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

impl Related<super::sync_plan_change::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SyncPlanChange.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
