//! `field_changes`: history of one service field value change.

use sea_orm::entity::prelude::*;

use crate::enums::ChangeOrigin;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "field_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub service_id: i64,
    pub field_id: i64,
    #[sea_orm(column_type = "JsonBinary")]
    pub old_value: Option<Json>,
    #[sea_orm(column_type = "JsonBinary")]
    pub new_value: Option<Json>,
    pub origin: ChangeOrigin,
    pub node_id: Option<i64>,
    pub job_id: Option<i64>,
    pub field_mapping_id: Option<i64>,
    pub rule_id: Option<i64>,
    pub actor_user_id: Option<i64>,
    pub actor_token_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub actor_label: String,
    pub at: DateTimeUtc,
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

impl Related<super::service::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Service.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
