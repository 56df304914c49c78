//! `field_mappings`: maps a node field onto a service type field within a type mapping.

use sea_orm::entity::prelude::*;

use crate::enums::MappingDirection;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "field_mappings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub type_mapping_id: i64,
    #[sea_orm(column_type = "Text")]
    pub node_field: String,
    pub service_field_id: i64,
    pub direction: MappingDirection,
    pub enabled: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::type_mapping::Entity",
        from = "Column::TypeMappingId",
        to = "super::type_mapping::Column::Id",
        on_delete = "Cascade"
    )]
    TypeMapping,
    #[sea_orm(
        belongs_to = "super::service_type_field::Entity",
        from = "Column::ServiceFieldId",
        to = "super::service_type_field::Column::Id",
        on_delete = "Cascade"
    )]
    ServiceTypeField,
}

impl Related<super::type_mapping::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::TypeMapping.def()
    }
}

impl Related<super::service_type_field::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ServiceTypeField.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
