//! Sources, the nodes read from them, and cached PSA lookup lists.

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
                    .table("sources")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organization_id"))
                    .col(text("name"))
                    .col(string_len("provider", 32))
                    .col(text("base_url"))
                    .col(blob_null("credentials_ciphertext"))
                    .col(blob_null("webhook_secret_ciphertext"))
                    .col(text("webhook_id"))
                    .col(string_len("status", 32))
                    .col(json_binary("settings"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("deleted_at"))
                    .col(timestamp_with_time_zone_null("last_successful_sync_at"))
                    .col(timestamp_with_time_zone_null("last_event_at"))
                    .col(timestamp_with_time_zone_null("last_poll_at"))
                    .col(text_null("poll_cursor"))
                    .col(boolean_null("webhook_healthy"))
                    .col(text_null("health_message"))
                    .col(json_binary_null("rate_limit"))
                    .col(timestamp_with_time_zone_null("next_scheduled_at"))
                    .foreign_key(&mut util::fk("sources", "organization_id", "organizations"))
                    .to_owned(),
            )
            .await?;
        util::index(manager, "sources", &["webhook_id"], true).await?;
        util::index(manager, "sources", &["organization_id"], false).await?;
        // Names are unique among an organization's live sources, ignoring case; a deleted
        // source's name is free again. Same SQL on both databases.
        util::exec(
            manager,
            &["CREATE UNIQUE INDEX sources_live_name ON sources (organization_id, lower(name)) WHERE deleted_at IS NULL"],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("source_nodes")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organization_id"))
                    .col(big_integer("source_id"))
                    .col(text("node_type"))
                    .col(integer("type_rank"))
                    .col(text("external_id"))
                    .col(big_integer_null("parent_id"))
                    .col(text_null("parent_ref"))
                    .col(text("name"))
                    .col(util::sort_text(manager, "search_text")?)
                    .col(json_binary("fields"))
                    .col(text("content_hash"))
                    .col(timestamp_with_time_zone("first_seen_at"))
                    .col(timestamp_with_time_zone("last_seen_at"))
                    .col(big_integer_null("last_seen_job_id"))
                    .col(timestamp_with_time_zone_null("deleted_at"))
                    .col(boolean("linked").default(false))
                    .foreign_key(&mut util::fk(
                        "source_nodes",
                        "organization_id",
                        "organizations",
                    ))
                    .foreign_key(&mut util::fk_cascade(
                        "source_nodes",
                        "source_id",
                        "sources",
                    ))
                    .to_owned(),
            )
            .await?;
        util::index(
            manager,
            "source_nodes",
            &["source_id", "node_type", "external_id"],
            true,
        )
        .await?;
        util::named_index(
            manager,
            "source_nodes_tree_order_idx",
            "source_nodes",
            &[
                "source_id",
                "parent_id",
                "type_rank",
                // search_text is lower(name, U+001F, external id): name, then external id order.
                "search_text",
                "id",
            ],
            false,
        )
        .await?;
        util::index(
            manager,
            "source_nodes",
            &["source_id", "node_type", "linked"],
            false,
        )
        .await?;
        util::index(manager, "source_nodes", &["organization_id"], false).await?;
        manager
            .create_table(
                Table::create()
                    .table("psa_metadata")
                    .col(big_pk_auto("id"))
                    .col(big_integer("source_id"))
                    .col(string_len("kind", 32))
                    .col(text("external_id"))
                    .col(text("name"))
                    .col(text("parent_external_id"))
                    .col(json_binary("extra"))
                    .col(timestamp_with_time_zone("refreshed_at"))
                    .foreign_key(&mut util::fk_cascade(
                        "psa_metadata",
                        "source_id",
                        "sources",
                    ))
                    .to_owned(),
            )
            .await?;
        util::named_index(
            manager,
            "psa_metadata_source_kind_parent_external_key",
            "psa_metadata",
            &["source_id", "kind", "parent_external_id", "external_id"],
            true,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        util::drop_tables(manager, &["psa_metadata", "source_nodes", "sources"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        // All or nothing on SQLite too.
        Some(true)
    }
}
