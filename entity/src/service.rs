//! `services`: a billable service of a customer.

use sea_orm::entity::prelude::*;

use crate::enums::Provider;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "services")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub customer_id: i64,
    pub service_type_id: i64,
    pub package_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub search_text: String,
    pub provider: Option<Provider>,
    pub effective_date: Date,
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
        belongs_to = "super::customer::Entity",
        from = "Column::CustomerId",
        to = "super::customer::Column::Id"
    )]
    Customer,
    #[sea_orm(
        belongs_to = "super::service_type::Entity",
        from = "Column::ServiceTypeId",
        to = "super::service_type::Column::Id"
    )]
    ServiceType,
    #[sea_orm(
        belongs_to = "super::package::Entity",
        from = "Column::PackageId",
        to = "super::package::Column::Id",
        on_delete = "SetNull"
    )]
    Package,
    #[sea_orm(has_many = "super::service_field_value::Entity")]
    ServiceFieldValue,
    #[sea_orm(has_many = "super::link::Entity")]
    Link,
    #[sea_orm(has_many = "super::field_change::Entity")]
    FieldChange,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::customer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Customer.def()
    }
}

impl Related<super::service_type::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ServiceType.def()
    }
}

impl Related<super::package::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Package.def()
    }
}

impl Related<super::service_field_value::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ServiceFieldValue.def()
    }
}

impl Related<super::link::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Link.def()
    }
}

impl Related<super::field_change::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FieldChange.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
