//! PSA metadata (statuses, types, boards and their children, priorities): owned by the import,
//! replaced whole by each one, read by `Source.filterOptions`, value mappings and tickets.

use chrono::Utc;
use entity::prelude::*;
use entity::psa_metadata;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::connectors::MetadataItem;

/// Replaces the source's metadata with `items`, in one transaction.
pub async fn replace(
    db: &DatabaseConnection,
    source_id: i64,
    items: Vec<MetadataItem>,
) -> Result<usize, sea_orm::DbErr> {
    let now = Utc::now();
    let count = items.len();
    let txn = crate::db::begin_write(db).await?;
    PsaMetadata::delete_many()
        .filter(psa_metadata::Column::SourceId.eq(source_id))
        .exec(&txn)
        .await?;
    let rows: Vec<psa_metadata::ActiveModel> = items
        .into_iter()
        .map(|m| psa_metadata::ActiveModel {
            source_id: Set(source_id),
            kind: Set(m.kind),
            external_id: Set(m.external_id),
            name: Set(m.name),
            parent_external_id: Set(m.parent),
            extra: Set(m.extra),
            refreshed_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        PsaMetadata::insert_many(chunk.to_vec()).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(count)
}
