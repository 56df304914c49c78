//! The `linked` filter's index leads with `linked`: led by (source_id, node_type), it shared
//! the unique key's prefix, and PostgreSQL, with statistics not yet caught up with a large
//! first import, chose it for the import's key lookups and read every node of a type per page.

use sea_orm_migration::prelude::*;

use crate::util;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        util::exec(
            manager,
            &["DROP INDEX source_nodes_source_id_node_type_linked_idx"],
        )
        .await?;
        util::index(
            manager,
            "source_nodes",
            &["source_id", "linked", "node_type"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        util::exec(
            manager,
            &["DROP INDEX source_nodes_source_id_linked_node_type_idx"],
        )
        .await?;
        util::index(
            manager,
            "source_nodes",
            &["source_id", "node_type", "linked"],
            false,
        )
        .await
    }
}
