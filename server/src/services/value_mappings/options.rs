//! The values a source has, for the mapping pickers: read from the PSA metadata its imports
//! keep (statuses and ticket categories per board, agreement types, configuration or asset
//! types).

use std::collections::{HashMap, HashSet};

use entity::enums::{PsaMetadataKind, ValueMappingKind};
use entity::prelude::*;
use entity::psa_metadata;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::vocabulary_for;
use crate::auth::Viewer;
use crate::error::ApiResult;
use crate::services::source_settings::SourceSettings;
use crate::services::sources;

/// One value a source has, for the mapping pickers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueOption {
    pub external_id: String,
    pub name: String,
    /// The board a ticket status, type, subtype or item belongs to.
    pub parent: Option<String>,
}

/// Where a kind's values live in the PSA metadata.
fn metadata_kind(kind: ValueMappingKind) -> PsaMetadataKind {
    use {PsaMetadataKind as M, ValueMappingKind as K};
    match kind {
        K::TicketStatus => M::BoardStatus,
        K::TicketType => M::BoardType,
        K::TicketSubtype => M::BoardSubtype,
        K::TicketItem => M::BoardItem,
        K::ContractType => M::AgreementType,
        K::HardwareType => M::ConfigurationType,
    }
}

/// The values of `kind` the source has (empty for another organization's source, and for a
/// ticket field the source gives no category level). Sorted by board, then name; one option
/// per external id.
pub async fn options(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    source_id: i64,
    kind: ValueMappingKind,
) -> ApiResult<Vec<ValueOption>> {
    let Some(source) = sources::get(db, viewer, source_id).await? else {
        return Ok(Vec::new());
    };
    if vocabulary_for(kind, &SourceSettings::from_json(&source.settings)).is_none() {
        return Ok(Vec::new());
    }
    options_of(db, source.id, kind).await
}

pub(super) async fn options_of(
    db: &impl ConnectionTrait,
    source_id: i64,
    kind: ValueMappingKind,
) -> ApiResult<Vec<ValueOption>> {
    let wanted = metadata_kind(kind);
    let rows = PsaMetadata::find()
        .filter(psa_metadata::Column::SourceId.eq(source_id))
        .filter(psa_metadata::Column::Kind.is_in([wanted, PsaMetadataKind::Board]))
        .all(db)
        .await?;
    let boards: HashMap<&str, &str> = rows
        .iter()
        .filter(|r| r.kind == PsaMetadataKind::Board)
        .map(|r| (r.external_id.as_str(), r.name.as_str()))
        .collect();
    let mut out: Vec<ValueOption> = rows
        .iter()
        .filter(|r| r.kind == wanted)
        .map(|r| ValueOption {
            external_id: r.external_id.clone(),
            name: r.name.clone(),
            parent: (!r.parent_external_id.is_empty()).then(|| {
                boards
                    .get(r.parent_external_id.as_str())
                    .map_or_else(|| r.parent_external_id.clone(), |b| (*b).to_owned())
            }),
        })
        .collect();
    out.sort_by_cached_key(|o| {
        (
            o.parent.as_ref().map(|p| p.to_lowercase()),
            o.name.to_lowercase(),
            o.external_id.clone(),
        )
    });
    // A mapping is keyed by external id: a PSA that repeats an id under several boards
    // offers it once.
    let mut seen = HashSet::new();
    out.retain(|o| seen.insert(o.external_id.clone()));
    Ok(out)
}
