//! Value mappings: per source, one PSA value (a ticket status, ticket type, subtype or item,
//! contract type or hardware type, by its external id) → a value of the organization's own
//! vocabulary (`internal_values`), or null: don't sync. A value with no mapping passes through
//! as it is. The values a source has (`options`) come from the PSA metadata its imports keep.
//!
//! `options.rs` lists the values a source has; `lookup.rs` reads the mappings where values are met: `ValueMap` (tickets translate with it) and
//! `not_synced` (the import leaves out configurations and assets of a hardware type mapped to
//! don't sync).

mod lookup;
mod options;

use chrono::Utc;
use entity::enums::{Role, ValueMappingKind};
use entity::prelude::*;
use entity::value_mapping;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

pub use self::lookup::{is_listed, not_synced, ExternalValue, Mapped, ValueMap};
use self::options::options_of;
pub use self::options::{options, ValueOption};
use super::internal_values;
use super::source_settings::SourceSettings;
use super::sources;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};

/// The kinds in the contract's order (how lists of mappings are sorted).
const ALL_KINDS: [ValueMappingKind; 6] = [
    ValueMappingKind::TicketStatus,
    ValueMappingKind::TicketType,
    ValueMappingKind::TicketSubtype,
    ValueMappingKind::TicketItem,
    ValueMappingKind::ContractType,
    ValueMappingKind::HardwareType,
];

fn noun(kind: ValueMappingKind) -> &'static str {
    use ValueMappingKind as K;
    match kind {
        K::TicketStatus => "ticket status",
        K::TicketType => "ticket type",
        K::TicketSubtype => "ticket subtype",
        K::TicketItem => "ticket item",
        K::ContractType => "contract type",
        K::HardwareType => "hardware type",
    }
}

/// The vocabulary a source's values of `kind` are mapped into. A PSA's ticket type, subtype
/// and item each map into the category level the source gives them (level 1 = the TICKET_TYPE
/// list, 2 = TICKET_SUBTYPE, 3 = TICKET_ITEM); a field without a level is not used (`None`).
pub fn vocabulary_for(
    kind: ValueMappingKind,
    settings: &SourceSettings,
) -> Option<ValueMappingKind> {
    use ValueMappingKind as K;
    let level = match kind {
        K::TicketType => settings.ticket_type_level,
        K::TicketSubtype => settings.ticket_subtype_level,
        K::TicketItem => settings.ticket_item_level,
        other => return Some(other),
    };
    match level? {
        1 => Some(K::TicketType),
        2 => Some(K::TicketSubtype),
        _ => Some(K::TicketItem),
    }
}

/// The source's mappings (of one kind, or all), by kind then external name; empty for
/// another organization's source.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    source_id: i64,
    kind: Option<ValueMappingKind>,
) -> ApiResult<Vec<value_mapping::Model>> {
    let mut query = ValueMapping::find()
        .filter(value_mapping::Column::OrganizationId.eq(viewer.org_id))
        .filter(value_mapping::Column::SourceId.eq(source_id));
    if let Some(kind) = kind {
        query = query.filter(value_mapping::Column::Kind.eq(kind));
    }
    let mut rows = query.all(db).await?;
    rows.sort_by_cached_key(|r| {
        (
            ALL_KINDS.iter().position(|k| *k == r.kind),
            r.external_name.to_lowercase(),
            r.external_id.clone(),
        )
    });
    Ok(rows)
}

pub struct SetValueMapping {
    pub source_id: i64,
    pub kind: ValueMappingKind,
    pub external_id: String,
    /// `None`: don't sync.
    pub internal_value: Option<String>,
}

/// Creates or replaces the mapping of one external value. The external id must be one the
/// source has (its name is taken from there); the internal value must be in the vocabulary
/// the kind maps into (matched ignoring case, stored as the vocabulary spells it).
pub async fn set(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    input: SetValueMapping,
) -> ApiResult<value_mapping::Model> {
    viewer.require(Role::Operator)?;
    let source = sources::get_live(db, viewer, input.source_id).await?;
    let settings = SourceSettings::from_json(&source.settings);
    let Some(vocabulary) = vocabulary_for(input.kind, &settings) else {
        let setting = match input.kind {
            ValueMappingKind::TicketType => "ticketTypeLevel",
            ValueMappingKind::TicketSubtype => "ticketSubtypeLevel",
            _ => "ticketItemLevel",
        };
        return Err(ApiError::bad_input(
            "input.kind",
            format!(
                "this source does not use its {}s as a ticket category: set its {setting} (1, 2 or 3) first",
                noun(input.kind)
            ),
        ));
    };
    let external_id = input.external_id.trim();
    let options = options_of(db, source.id, input.kind).await?;
    let Some(option) = options.iter().find(|o| o.external_id == external_id) else {
        return Err(ApiError::bad_input(
            "input.externalId",
            format!(
                "the source has no {} with id {external_id:?} (valueMappingOptions lists those it has, as of its last import)",
                noun(input.kind)
            ),
        ));
    };
    let internal_value = match input.internal_value {
        None => None,
        Some(value) => {
            let allowed = internal_values::list_of(db, viewer.org_id, vocabulary).await?;
            match internal_values::find(&allowed, &value) {
                Some(v) => Some(v.to_owned()),
                None => {
                    return Err(ApiError::bad_input(
                        "input.internalValue",
                        format!(
                            "{:?} is not one of the organization's values for this mapping ({}); add it with setInternalValues, or give null for don't sync",
                            value.trim(),
                            allowed.join(", ")
                        ),
                    ))
                }
            }
        }
    };
    let row = value_mapping::ActiveModel {
        organization_id: Set(viewer.org_id),
        source_id: Set(source.id),
        kind: Set(input.kind),
        external_id: Set(option.external_id.clone()),
        external_name: Set(option.name.clone()),
        internal_value: Set(internal_value),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    // One statement, so two operators mapping the same value at once cannot collide.
    ValueMapping::insert(row)
        .on_conflict(
            OnConflict::columns([
                value_mapping::Column::SourceId,
                value_mapping::Column::Kind,
                value_mapping::Column::ExternalId,
            ])
            .update_columns([
                value_mapping::Column::ExternalName,
                value_mapping::Column::InternalValue,
                value_mapping::Column::UpdatedAt,
            ])
            .to_owned(),
        )
        .exec(db)
        .await?;
    ValueMapping::find()
        .filter(value_mapping::Column::SourceId.eq(source.id))
        .filter(value_mapping::Column::Kind.eq(input.kind))
        .filter(value_mapping::Column::ExternalId.eq(option.external_id.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("the upserted value mapping is gone")))
}

/// Removes the mapping of one external value (it passes through again); false when there was
/// none.
pub async fn delete(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    source_id: i64,
    kind: ValueMappingKind,
    external_id: &str,
) -> ApiResult<bool> {
    viewer.require(Role::Operator)?;
    let source = sources::get_live(db, viewer, source_id).await?;
    let deleted = ValueMapping::delete_many()
        .filter(value_mapping::Column::SourceId.eq(source.id))
        .filter(value_mapping::Column::Kind.eq(kind))
        .filter(value_mapping::Column::ExternalId.eq(external_id.trim()))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_fields_map_into_the_level_the_source_gives_them() {
        use ValueMappingKind as K;
        let mut settings = SourceSettings::default();
        assert_eq!(vocabulary_for(K::TicketSubtype, &settings), None);
        assert_eq!(
            vocabulary_for(K::HardwareType, &settings),
            Some(K::HardwareType)
        );
        settings.ticket_subtype_level = Some(1);
        settings.ticket_item_level = Some(2);
        assert_eq!(
            vocabulary_for(K::TicketSubtype, &settings),
            Some(K::TicketType)
        );
        assert_eq!(
            vocabulary_for(K::TicketItem, &settings),
            Some(K::TicketSubtype)
        );
    }
}
