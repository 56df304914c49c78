//! Webhook events keep the event they produced (the re-fetched record), so every server process
//! can build it from the id that PostgreSQL NOTIFY carries; and an index for their retention.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("webhook_events")
                    .add_column(json_binary_null("payload"))
                    .to_owned(),
            )
            .await?;
        util::index(manager, "webhook_events", &["received_at"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        util::exec(manager, &["DROP INDEX webhook_events_received_at_idx"]).await?;
        manager
            .alter_table(
                Table::alter()
                    .table("webhook_events")
                    .drop_column("payload")
                    .to_owned(),
            )
            .await
    }
}
