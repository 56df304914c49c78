//! The keys of a source's deleted nodes, in a partial index of their own. An import reads a
//! type's live keys from the unique key alone (no table row visited) and takes out the deleted
//! ones read from here; live inserts do not touch this index at all.

use sea_orm_migration::prelude::*;

use crate::util;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The same partial index syntax on SQLite and PostgreSQL.
        util::exec(
            manager,
            &["CREATE INDEX source_nodes_deleted_key_idx \
               ON source_nodes (source_id, node_type, external_id) \
               WHERE deleted_at IS NOT NULL"],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        util::exec(manager, &["DROP INDEX source_nodes_deleted_key_idx"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
