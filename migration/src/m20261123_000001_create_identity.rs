//! Identity: organizations, users, sign-in throttling and API tokens.

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
                    .table("organizations")
                    .col(big_pk_auto("id"))
                    .col(text("name"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        util::index(manager, "organizations", &["name"], true).await?;
        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organization_id"))
                    .col(text("email"))
                    .col(text("name"))
                    .col(text("password_hash"))
                    .col(string_len("role", 32))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut util::fk("users", "organization_id", "organizations"))
                    .to_owned(),
            )
            .await?;
        util::index(manager, "users", &["email"], true).await?;
        util::index(manager, "users", &["organization_id"], false).await?;
        manager
            .create_table(
                Table::create()
                    .table("login_throttles")
                    .col(big_pk_auto("id"))
                    .col(text("email"))
                    .col(integer("failures"))
                    .col(timestamp_with_time_zone("last_failure_at"))
                    .to_owned(),
            )
            .await?;
        util::index(manager, "login_throttles", &["email"], true).await?;
        manager
            .create_table(
                Table::create()
                    .table("api_tokens")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organization_id"))
                    .col(text("name"))
                    .col(string_len("role", 32))
                    .col(text("public_id"))
                    .col(text("secret_hash"))
                    .col(big_integer_null("created_by_user_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .col(timestamp_with_time_zone_null("expires_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut util::fk(
                        "api_tokens",
                        "organization_id",
                        "organizations",
                    ))
                    .to_owned(),
            )
            .await?;
        util::index(manager, "api_tokens", &["public_id"], true).await?;
        util::index(manager, "api_tokens", &["organization_id"], false).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        util::drop_tables(
            manager,
            &["api_tokens", "login_throttles", "users", "organizations"],
        )
        .await
    }

    fn use_transaction(&self) -> Option<bool> {
        // All or nothing on SQLite too.
        Some(true)
    }
}
