//! `service_type_fields`: a field definition of a service type.

use sea_orm::entity::prelude::*;

use crate::enums::FieldDataType;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_type_fields")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub service_type_id: i64,
    #[sea_orm(column_type = "Text")]
    pub key: String,
    #[sea_orm(column_type = "Text")]
    pub label: String,
    pub data_type: FieldDataType,
    pub required: bool,
    pub read_only: bool,
    pub max_length: Option<i32>,
    #[sea_orm(column_type = "JsonBinary")]
    pub allowed_values: Option<Json>,
    #[sea_orm(column_type = "JsonBinary")]
    pub default_value: Option<Json>,
    pub position: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::service_type::Entity",
        from = "Column::ServiceTypeId",
        to = "super::service_type::Column::Id",
        on_delete = "Cascade"
    )]
    ServiceType,
}

impl Related<super::service_type::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ServiceType.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
