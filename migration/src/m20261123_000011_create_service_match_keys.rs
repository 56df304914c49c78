//! The recommendations' inverted index: the keys each service can be found by (normalised name
//! tokens, trigrams and the whole normalised name; normalised identifier values per field), so
//! recommending for a node looks up its own keys instead of scanning every service.

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
                    .table("service_match_keys")
                    .col(big_pk_auto("id"))
                    .col(big_integer("service_id"))
                    // Denormalised from the service: candidates are looked up per mapped type.
                    .col(big_integer("service_type_id"))
                    .col(util::sort_text(manager, "key")?)
                    .foreign_key(&mut util::fk_cascade(
                        "service_match_keys",
                        "service_id",
                        "services",
                    ))
                    .to_owned(),
            )
            .await?;
        util::index(
            manager,
            "service_match_keys",
            &["key", "service_type_id", "service_id"],
            true,
        )
        .await?;
        util::index(manager, "service_match_keys", &["service_id"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        util::drop_tables(manager, &["service_match_keys"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        // All or nothing on SQLite too.
        Some(true)
    }
}
