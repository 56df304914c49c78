//! `undoSyncJob` ends the links a job made: they are found by `linked_by_job_id`, which had no
//! index (a scan of every link of every organization otherwise).

use sea_orm_migration::prelude::*;

use crate::util;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        util::index(manager, "links", &["linked_by_job_id"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        util::exec(manager, &["DROP INDEX links_linked_by_job_id_idx"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
