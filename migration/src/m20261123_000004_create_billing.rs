//! Billing: customers, service types and their fields, packages, services and field values.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("customers")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organization_id"))
                    .col(text("name"))
                    .col(util::sort_text(manager, "search_text")?)
                    .col(text_null("account_number"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut util::fk(
                        "customers",
                        "organization_id",
                        "organizations",
                    ))
                    .to_owned(),
            )
            .await?;
        util::index(
            manager,
            "customers",
            &["organization_id", "search_text", "id"],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("service_types")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organization_id"))
                    .col(text("name"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut util::fk(
                        "service_types",
                        "organization_id",
                        "organizations",
                    ))
                    .to_owned(),
            )
            .await?;
        util::index(manager, "service_types", &["organization_id", "name"], true).await?;
        manager
            .create_table(
                Table::create()
                    .table("service_type_fields")
                    .col(big_pk_auto("id"))
                    .col(big_integer("service_type_id"))
                    .col(text("key"))
                    .col(text("label"))
                    .col(string_len("data_type", 32))
                    .col(boolean("required"))
                    .col(boolean("read_only"))
                    .col(integer_null("max_length"))
                    .col(json_binary_null("allowed_values"))
                    .col(json_binary_null("default_value"))
                    .col(integer("position"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut util::fk_cascade(
                        "service_type_fields",
                        "service_type_id",
                        "service_types",
                    ))
                    .to_owned(),
            )
            .await?;
        util::index(
            manager,
            "service_type_fields",
            &["service_type_id", "key"],
            true,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("packages")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organization_id"))
                    .col(text("name"))
                    .col(big_integer_null("service_type_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut util::fk(
                        "packages",
                        "organization_id",
                        "organizations",
                    ))
                    .foreign_key(&mut util::fk_set_null(
                        "packages",
                        "service_type_id",
                        "service_types",
                    ))
                    .to_owned(),
            )
            .await?;
        util::index(manager, "packages", &["organization_id"], false).await?;
        manager
            .create_table(
                Table::create()
                    .table("services")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organization_id"))
                    .col(big_integer("customer_id"))
                    .col(big_integer("service_type_id"))
                    .col(big_integer_null("package_id"))
                    .col(text("name"))
                    .col(util::sort_text(manager, "search_text")?)
                    .col(string_len_null("provider", 32))
                    .col(date("effective_date"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut util::fk(
                        "services",
                        "organization_id",
                        "organizations",
                    ))
                    .foreign_key(&mut util::fk("services", "customer_id", "customers"))
                    .foreign_key(&mut util::fk(
                        "services",
                        "service_type_id",
                        "service_types",
                    ))
                    .foreign_key(&mut util::fk_set_null("services", "package_id", "packages"))
                    .to_owned(),
            )
            .await?;
        util::index(
            manager,
            "services",
            &["organization_id", "search_text", "id"],
            false,
        )
        .await?;
        util::index(manager, "services", &["customer_id"], false).await?;
        util::index(manager, "services", &["service_type_id"], false).await?;
        util::index(manager, "services", &["package_id"], false).await?;
        manager
            .create_table(
                Table::create()
                    .table("service_field_values")
                    .col(big_pk_auto("id"))
                    .col(big_integer("service_id"))
                    .col(big_integer("field_id"))
                    .col(json_binary_null("value"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut util::fk_cascade(
                        "service_field_values",
                        "service_id",
                        "services",
                    ))
                    .foreign_key(&mut util::fk_cascade(
                        "service_field_values",
                        "field_id",
                        "service_type_fields",
                    ))
                    .to_owned(),
            )
            .await?;
        util::index(
            manager,
            "service_field_values",
            &["service_id", "field_id"],
            true,
        )
        .await?;
        util::index(manager, "service_field_values", &["field_id"], false).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        util::drop_tables(
            manager,
            &[
                "service_field_values",
                "services",
                "packages",
                "service_type_fields",
                "service_types",
                "customers",
            ],
        )
        .await
    }

    fn use_transaction(&self) -> Option<bool> {
        // All or nothing on SQLite too.
        Some(true)
    }
}
