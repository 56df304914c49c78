//! Sync jobs and their logs.

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
                    .table("sync_jobs")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organization_id"))
                    .col(big_integer("source_id"))
                    .col(string_len("kind", 32))
                    .col(string_len("trigger", 32))
                    .col(string_len("status", 32))
                    .col(timestamp_with_time_zone("queued_at"))
                    .col(timestamp_with_time_zone_null("started_at"))
                    .col(timestamp_with_time_zone_null("finished_at"))
                    .col(text_null("lease_owner"))
                    .col(timestamp_with_time_zone_null("lease_expires_at"))
                    .col(integer("attempts").default(0))
                    .col(big_integer("progress_done").default(0))
                    .col(big_integer_null("progress_total"))
                    .col(json_binary("stats"))
                    .col(json_binary("coverage"))
                    .col(json_binary_null("checkpoint"))
                    .col(text_null("error"))
                    .col(boolean("cancel_requested").default(false))
                    .col(timestamp_with_time_zone_null("scheduled_for"))
                    .col(big_integer_null("requested_by_user_id"))
                    .col(big_integer_null("requested_by_token_id"))
                    .col(big_integer_null("plan_id"))
                    .col(big_integer_null("undo_of_job_id"))
                    .col(big_integer_null("undone_by_job_id"))
                    .foreign_key(&mut util::fk(
                        "sync_jobs",
                        "organization_id",
                        "organizations",
                    ))
                    .foreign_key(&mut util::fk_cascade("sync_jobs", "source_id", "sources"))
                    .to_owned(),
            )
            .await?;
        util::index(manager, "sync_jobs", &["status", "queued_at"], false).await?;
        util::index(manager, "sync_jobs", &["source_id", "id"], false).await?;
        manager
            .create_table(
                Table::create()
                    .table("sync_logs")
                    .col(big_pk_auto("id"))
                    .col(big_integer("job_id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(string_len("level", 32))
                    .col(text("message"))
                    .col(text_null("node_type"))
                    .col(text_null("external_id"))
                    .col(json_binary_null("details"))
                    .foreign_key(&mut util::fk_cascade("sync_logs", "job_id", "sync_jobs"))
                    .to_owned(),
            )
            .await?;
        util::index(manager, "sync_logs", &["job_id", "id"], false).await?;
        util::index(manager, "sync_logs", &["job_id", "level", "id"], false).await?;
        // One queued job per source and kind, one job per scheduled run. Partial indexes: same
        // SQL on both backends.
        util::backend(manager)?;
        util::exec(
            manager,
            &[
                "CREATE UNIQUE INDEX sync_jobs_one_queued_import ON sync_jobs (source_id, kind) \
                    WHERE status = 'queued'",
                "CREATE UNIQUE INDEX sync_jobs_scheduled_run ON sync_jobs (source_id, scheduled_for) \
                    WHERE scheduled_for IS NOT NULL",
            ],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        util::exec(
            manager,
            &[
                "DROP INDEX sync_jobs_scheduled_run",
                "DROP INDEX sync_jobs_one_queued_import",
            ],
        )
        .await?;
        util::drop_tables(manager, &["sync_logs", "sync_jobs"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        // All or nothing on SQLite too.
        Some(true)
    }
}
