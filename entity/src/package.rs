//! `packages`: a named bundle of services, optionally of one service type.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "packages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    pub service_type_id: Option<i64>,
    pub created_at: DateTimeUtc,
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
        belongs_to = "super::service_type::Entity",
        from = "Column::ServiceTypeId",
        to = "super::service_type::Column::Id",
        on_delete = "SetNull"
    )]
    ServiceType,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::service_type::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ServiceType.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
