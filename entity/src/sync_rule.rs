//! `sync_rules`: an ordered rule a sync applies to the nodes matching its condition.

use sea_orm::entity::prelude::*;

use crate::enums::RuleAction;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sync_rules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub source_id: i64,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    pub position: i32,
    pub enabled: bool,
    #[sea_orm(column_type = "Text")]
    pub node_type: Option<String>,
    #[sea_orm(column_type = "JsonBinary")]
    pub condition: Json,
    pub action: RuleAction,
    #[sea_orm(column_type = "JsonBinary")]
    pub params: Json,
    pub matched_last_run: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
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

impl ActiveModelBehavior for ActiveModel {}
