//! Webhook events, ticket marks and the audit log.

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
                    .table("webhook_events")
                    .col(big_pk_auto("id"))
                    .col(big_integer("source_id"))
                    .col(text("message_id"))
                    .col(timestamp_with_time_zone("received_at"))
                    .col(text("kind"))
                    .col(text_null("external_id"))
                    .foreign_key(&mut util::fk_cascade(
                        "webhook_events",
                        "source_id",
                        "sources",
                    ))
                    .to_owned(),
            )
            .await?;
        util::index(
            manager,
            "webhook_events",
            &["source_id", "message_id"],
            true,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("ticket_marks")
                    .col(big_pk_auto("id"))
                    .col(big_integer("source_id"))
                    .col(text("ticket_external_id"))
                    .col(text("updated_mark"))
                    .foreign_key(&mut util::fk_cascade(
                        "ticket_marks",
                        "source_id",
                        "sources",
                    ))
                    .to_owned(),
            )
            .await?;
        util::index(
            manager,
            "ticket_marks",
            &["source_id", "ticket_external_id"],
            true,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organization_id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(big_integer_null("actor_user_id"))
                    .col(big_integer_null("actor_token_id"))
                    .col(text("actor_label"))
                    .col(text("action"))
                    .col(text("target_type"))
                    .col(text_null("target_id"))
                    .col(json_binary("details"))
                    .foreign_key(&mut util::fk(
                        "audit_log",
                        "organization_id",
                        "organizations",
                    ))
                    .to_owned(),
            )
            .await?;
        util::index(manager, "audit_log", &["organization_id", "id"], false).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        util::drop_tables(manager, &["audit_log", "ticket_marks", "webhook_events"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        // All or nothing on SQLite too.
        Some(true)
    }
}
