//! Links between source nodes and services, with at most one live link per node.

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
                    .table("links")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organization_id"))
                    .col(big_integer("node_id"))
                    .col(big_integer("service_id"))
                    .col(timestamp_with_time_zone("linked_at"))
                    .col(big_integer_null("linked_by_user_id"))
                    .col(big_integer_null("linked_by_token_id"))
                    .col(big_integer_null("linked_by_job_id"))
                    .col(timestamp_with_time_zone_null("unlinked_at"))
                    .col(big_integer_null("unlinked_by_user_id"))
                    .col(big_integer_null("unlinked_by_token_id"))
                    .col(big_integer_null("unlinked_by_job_id"))
                    .col(json_binary("last_field_sync").default("[]"))
                    .col(timestamp_with_time_zone_null("last_field_sync_at"))
                    .foreign_key(&mut util::fk("links", "organization_id", "organizations"))
                    .foreign_key(&mut util::fk_cascade("links", "node_id", "source_nodes"))
                    .foreign_key(&mut util::fk_cascade("links", "service_id", "services"))
                    .to_owned(),
            )
            .await?;
        util::index(manager, "links", &["service_id"], false).await?;
        util::index(manager, "links", &["node_id", "id"], false).await?;
        // At most one live link per node. Partial indexes: same SQL on both backends.
        util::backend(manager)?;
        util::exec(
            manager,
            &[
                "CREATE UNIQUE INDEX links_one_live_per_node ON links (node_id) \
                WHERE unlinked_at IS NULL",
            ],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        util::exec(manager, &["DROP INDEX links_one_live_per_node"]).await?;
        util::drop_tables(manager, &["links"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        // All or nothing on SQLite too.
        Some(true)
    }
}
