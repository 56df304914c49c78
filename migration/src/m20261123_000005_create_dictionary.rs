//! The dictionary: type, field and value mappings, and internal values.

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
                    .table("type_mappings")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organization_id"))
                    .col(string_len("provider", 32))
                    .col(text("node_type"))
                    .col(big_integer("service_type_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut util::fk(
                        "type_mappings",
                        "organization_id",
                        "organizations",
                    ))
                    .foreign_key(&mut util::fk_cascade(
                        "type_mappings",
                        "service_type_id",
                        "service_types",
                    ))
                    .to_owned(),
            )
            .await?;
        util::named_index(
            manager,
            "type_mappings_org_provider_node_type_service_type_key",
            "type_mappings",
            &[
                "organization_id",
                "provider",
                "node_type",
                "service_type_id",
            ],
            true,
        )
        .await?;
        util::index(manager, "type_mappings", &["service_type_id"], false).await?;
        manager
            .create_table(
                Table::create()
                    .table("field_mappings")
                    .col(big_pk_auto("id"))
                    .col(big_integer("type_mapping_id"))
                    .col(text("node_field"))
                    .col(big_integer("service_field_id"))
                    .col(string_len("direction", 32))
                    .col(boolean("enabled"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut util::fk_cascade(
                        "field_mappings",
                        "type_mapping_id",
                        "type_mappings",
                    ))
                    .foreign_key(&mut util::fk_cascade(
                        "field_mappings",
                        "service_field_id",
                        "service_type_fields",
                    ))
                    .to_owned(),
            )
            .await?;
        util::index(
            manager,
            "field_mappings",
            &["type_mapping_id", "service_field_id"],
            true,
        )
        .await?;
        util::index(manager, "field_mappings", &["service_field_id"], false).await?;
        manager
            .create_table(
                Table::create()
                    .table("value_mappings")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organization_id"))
                    .col(big_integer("source_id"))
                    .col(string_len("kind", 32))
                    .col(text("external_id"))
                    .col(text("external_name"))
                    .col(text_null("internal_value"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut util::fk(
                        "value_mappings",
                        "organization_id",
                        "organizations",
                    ))
                    .foreign_key(&mut util::fk_cascade(
                        "value_mappings",
                        "source_id",
                        "sources",
                    ))
                    .to_owned(),
            )
            .await?;
        util::index(
            manager,
            "value_mappings",
            &["source_id", "kind", "external_id"],
            true,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("internal_values")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organization_id"))
                    .col(string_len("kind", 32))
                    .col(text("value"))
                    .col(integer("position"))
                    .foreign_key(&mut util::fk(
                        "internal_values",
                        "organization_id",
                        "organizations",
                    ))
                    .to_owned(),
            )
            .await?;
        util::index(
            manager,
            "internal_values",
            &["organization_id", "kind", "value"],
            true,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        util::drop_tables(
            manager,
            &[
                "internal_values",
                "value_mappings",
                "field_mappings",
                "type_mappings",
            ],
        )
        .await
    }

    fn use_transaction(&self) -> Option<bool> {
        // All or nothing on SQLite too.
        Some(true)
    }
}
