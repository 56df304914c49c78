//! `sync_plan_changes`: one change of a sync plan.

use sea_orm::entity::prelude::*;

use crate::enums::PlannedAction;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sync_plan_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub plan_id: i64,
    pub position: i32,
    pub action: PlannedAction,
    pub node_id: i64,
    pub service_id: Option<i64>,
    pub field_id: Option<i64>,
    pub field_mapping_id: Option<i64>,
    pub rule_id: Option<i64>,
    #[sea_orm(column_type = "JsonBinary")]
    pub old_value: Option<Json>,
    #[sea_orm(column_type = "JsonBinary")]
    pub new_value: Option<Json>,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::sync_plan::Entity",
        from = "Column::PlanId",
        to = "super::sync_plan::Column::Id",
        on_delete = "Cascade"
    )]
    SyncPlan,
}

impl Related<super::sync_plan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SyncPlan.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
