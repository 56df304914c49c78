//! `links`: links a source node to a service; unlinking keeps the row as history.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub node_id: i64,
    pub service_id: i64,
    pub linked_at: DateTimeUtc,
    pub linked_by_user_id: Option<i64>,
    pub linked_by_token_id: Option<i64>,
    pub linked_by_job_id: Option<i64>,
    pub unlinked_at: Option<DateTimeUtc>,
    pub unlinked_by_user_id: Option<i64>,
    pub unlinked_by_token_id: Option<i64>,
    pub unlinked_by_job_id: Option<i64>,
    #[sea_orm(column_type = "JsonBinary")]
    pub last_field_sync: Json,
    pub last_field_sync_at: Option<DateTimeUtc>,
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
        belongs_to = "super::source_node::Entity",
        from = "Column::NodeId",
        to = "super::source_node::Column::Id",
        on_delete = "Cascade"
    )]
    SourceNode,
    #[sea_orm(
        belongs_to = "super::service::Entity",
        from = "Column::ServiceId",
        to = "super::service::Column::Id",
        on_delete = "Cascade"
    )]
    Service,
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

impl Related<super::service::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Service.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
