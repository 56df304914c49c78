//! Billing edits waiting to be written back are not overwritten by a field sync.
//!
//! A write-back field mapped BOTH ways flows both ways: an import's field sync copies the node
//! into the service, and a WRITE_BACK job copies the service into the provider. When a person
//! (or a rule) changes such a service value, the WRITE_BACK job is queued, but an import that
//! runs first would copy the provider's old value back over the edit, and the edit would never
//! reach the provider. So a field sync after an import holds such a value: it is SKIPPED, "waiting
//! to be written back", while the service's last USER or RULE change of the field is newer than
//! the link's last field sync (or, never synced, than the link). Once written back the node
//! holds the same value and the field is UNCHANGED; a later change in the provider syncs in as
//! usual. A manual `syncFields` is a person's explicit choice and holds nothing.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::enums::{ChangeOrigin, MappingDirection};
use entity::prelude::*;
use entity::{field_change, link};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::plan::{FieldOutcome, FieldStatus};
use crate::error::ApiResult;
use crate::services::dictionary::MappedField;

/// The time of each (service, field)'s latest USER or RULE change, for the given services.
pub async fn billing_edits(
    db: &impl ConnectionTrait,
    service_ids: &[i64],
) -> ApiResult<HashMap<(i64, i64), DateTime<Utc>>> {
    let mut out = HashMap::new();
    for chunk in service_ids.chunks(500) {
        let rows: Vec<(i64, i64, DateTime<Utc>)> = FieldChange::find()
            .select_only()
            .column(field_change::Column::ServiceId)
            .column(field_change::Column::FieldId)
            .column_as(field_change::Column::At.max(), "at")
            .filter(field_change::Column::ServiceId.is_in(chunk.iter().copied()))
            .filter(field_change::Column::Origin.is_in([ChangeOrigin::User, ChangeOrigin::Rule]))
            .group_by(field_change::Column::ServiceId)
            .group_by(field_change::Column::FieldId)
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.into_iter().map(|(s, f, at)| ((s, f), at)));
    }
    Ok(out)
}

/// Turns each SYNCED outcome of a held field into SKIPPED.
pub fn hold(
    outcomes: &mut [FieldOutcome],
    mapped: &[MappedField],
    write_back_fields: &[String],
    link: &link::Model,
    edits: &HashMap<(i64, i64), DateTime<Utc>>,
) {
    if write_back_fields.is_empty() {
        return;
    }
    let since = link.last_field_sync_at.unwrap_or(link.linked_at);
    for o in outcomes
        .iter_mut()
        .filter(|o| o.status == FieldStatus::Synced)
    {
        let both_ways = mapped.iter().any(|m| {
            Some(m.mapping.id) == o.field_mapping_id
                && m.mapping.direction == MappingDirection::Both
                && write_back_fields.contains(&m.mapping.node_field)
        });
        let edited = edits
            .get(&(link.service_id, o.field_id))
            .is_some_and(|at| *at > since);
        if both_ways && edited {
            o.status = FieldStatus::Skipped;
            o.message = Some(format!(
                "{} was changed in billing since the last sync: waiting to be written back",
                o.service_field_key
            ));
            o.old = None;
        }
    }
}
