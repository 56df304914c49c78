//! `service_field_values`: the value of one service type field on one service.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_field_values")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub service_id: i64,
    pub field_id: i64,
    #[sea_orm(column_type = "JsonBinary")]
    pub value: Option<Json>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::service::Entity",
        from = "Column::ServiceId",
        to = "super::service::Column::Id",
        on_delete = "Cascade"
    )]
    Service,
    #[sea_orm(
        belongs_to = "super::service_type_field::Entity",
        from = "Column::FieldId",
        to = "super::service_type_field::Column::Id",
        on_delete = "Cascade"
    )]
    ServiceTypeField,
}

impl Related<super::service::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Service.def()
    }
}

impl Related<super::service_type_field::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ServiceTypeField.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
