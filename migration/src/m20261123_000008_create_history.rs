//! Field change history, sync plans and sync rules.

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
                    .table("field_changes")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organization_id"))
                    .col(big_integer("service_id"))
                    .col(big_integer("field_id"))
                    .col(json_binary_null("old_value"))
                    .col(json_binary_null("new_value"))
                    .col(string_len("origin", 32))
                    .col(big_integer_null("node_id"))
                    .col(big_integer_null("job_id"))
                    .col(big_integer_null("field_mapping_id"))
                    .col(big_integer_null("rule_id"))
                    .col(big_integer_null("actor_user_id"))
                    .col(big_integer_null("actor_token_id"))
                    .col(text("actor_label"))
                    .col(timestamp_with_time_zone("at"))
                    .foreign_key(&mut util::fk(
                        "field_changes",
                        "organization_id",
                        "organizations",
                    ))
                    .foreign_key(&mut util::fk_cascade(
                        "field_changes",
                        "service_id",
                        "services",
                    ))
                    .to_owned(),
            )
            .await?;
        util::index(manager, "field_changes", &["service_id", "id"], false).await?;
        util::index(manager, "field_changes", &["job_id"], false).await?;
        manager
            .create_table(
                Table::create()
                    .table("sync_plans")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organization_id"))
                    .col(big_integer("source_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(text("plan_hash"))
                    .col(big_integer_null("created_by_user_id"))
                    .col(big_integer_null("created_by_token_id"))
                    .col(big_integer_null("applied_job_id"))
                    .foreign_key(&mut util::fk(
                        "sync_plans",
                        "organization_id",
                        "organizations",
                    ))
                    .foreign_key(&mut util::fk_cascade("sync_plans", "source_id", "sources"))
                    .to_owned(),
            )
            .await?;
        util::index(manager, "sync_plans", &["source_id"], false).await?;
        manager
            .create_table(
                Table::create()
                    .table("sync_plan_changes")
                    .col(big_pk_auto("id"))
                    .col(big_integer("plan_id"))
                    .col(integer("position"))
                    .col(string_len("action", 32))
                    .col(big_integer("node_id"))
                    .col(big_integer_null("service_id"))
                    .col(big_integer_null("field_id"))
                    .col(big_integer_null("field_mapping_id"))
                    .col(big_integer_null("rule_id"))
                    .col(json_binary_null("old_value"))
                    .col(json_binary_null("new_value"))
                    .col(text("reason"))
                    .foreign_key(&mut util::fk_cascade(
                        "sync_plan_changes",
                        "plan_id",
                        "sync_plans",
                    ))
                    .to_owned(),
            )
            .await?;
        util::index(
            manager,
            "sync_plan_changes",
            &["plan_id", "position"],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("sync_rules")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organization_id"))
                    .col(big_integer("source_id"))
                    .col(text("name"))
                    .col(integer("position"))
                    .col(boolean("enabled"))
                    .col(text_null("node_type"))
                    .col(json_binary("condition"))
                    .col(string_len("action", 32))
                    .col(json_binary("params"))
                    .col(big_integer("matched_last_run").default(0))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut util::fk(
                        "sync_rules",
                        "organization_id",
                        "organizations",
                    ))
                    .foreign_key(&mut util::fk_cascade("sync_rules", "source_id", "sources"))
                    .to_owned(),
            )
            .await?;
        util::index(manager, "sync_rules", &["source_id", "position"], false).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        util::drop_tables(
            manager,
            &[
                "sync_rules",
                "sync_plan_changes",
                "sync_plans",
                "field_changes",
            ],
        )
        .await
    }

    fn use_transaction(&self) -> Option<bool> {
        // All or nothing on SQLite too.
        Some(true)
    }
}
