//! `type_mappings`: maps a provider node type onto a service type.

use sea_orm::entity::prelude::*;

use crate::enums::Provider;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "type_mappings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub provider: Provider,
    #[sea_orm(column_type = "Text")]
    pub node_type: String,
    pub service_type_id: i64,
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
        on_delete = "Cascade"
    )]
    ServiceType,
    #[sea_orm(has_many = "super::field_mapping::Entity")]
    FieldMapping,
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

impl Related<super::field_mapping::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FieldMapping.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
