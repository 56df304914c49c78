//! Reading a source's value mappings where values are met: `ValueMap` translates a PSA value
//! (tickets use it), `not_synced` lists the values mapped to don't sync (the import leaves out
//! configurations and assets of such a hardware type).

use std::collections::HashMap;

use entity::enums::ValueMappingKind;
use entity::prelude::*;
use entity::value_mapping;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// What a PSA value becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapped {
    /// Mapped to this internal value.
    Value(String),
    /// Mapped to null: whatever carries this value is not synced.
    DontSync,
    /// Not mapped: the PSA's value is used as it is.
    PassThrough,
}

/// A source's value mappings, read once and consulted per record.
#[derive(Debug, Default, Clone)]
pub struct ValueMap {
    by_id: HashMap<(ValueMappingKind, String), Option<String>>,
    by_name: HashMap<(ValueMappingKind, String), Option<String>>,
}

impl ValueMap {
    pub async fn load(db: &impl ConnectionTrait, source_id: i64) -> Result<ValueMap, DbErr> {
        let rows = ValueMapping::find()
            .filter(value_mapping::Column::SourceId.eq(source_id))
            .all(db)
            .await?;
        Ok(ValueMap::from_rows(rows))
    }

    pub fn from_rows(rows: Vec<value_mapping::Model>) -> ValueMap {
        let mut map = ValueMap::default();
        for row in rows {
            let name = (row.kind, row.external_name.to_lowercase());
            map.by_name
                .entry(name)
                .or_insert(row.internal_value.clone());
            map.by_id
                .insert((row.kind, row.external_id), row.internal_value);
        }
        map
    }

    /// `external` is the PSA's id of the value or, when a record carries only a name (Syncro
    /// statuses), its name (matched ignoring case). The id wins when both could match.
    pub fn map(&self, kind: ValueMappingKind, external: &str) -> Mapped {
        let found = self
            .by_id
            .get(&(kind, external.to_owned()))
            .or_else(|| self.by_name.get(&(kind, external.trim().to_lowercase())));
        match found {
            Some(Some(value)) => Mapped::Value(value.clone()),
            Some(None) => Mapped::DontSync,
            None => Mapped::PassThrough,
        }
    }
}

/// A PSA value as the import meets it on records (a configuration's `type`, an asset's
/// `asset_type`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalValue {
    pub id: String,
    pub name: String,
}

/// Whether a record's value is listed: by id when the record carries one, else by name
/// (ignoring case).
pub fn is_listed(list: &[ExternalValue], id: Option<&str>, name: Option<&str>) -> bool {
    list.iter().any(|v| match (id, name) {
        (Some(id), _) => v.id == id,
        (None, Some(name)) => v.name.trim().eq_ignore_ascii_case(name.trim()),
        (None, None) => false,
    })
}

/// The source's values of `kind` mapped to don't sync.
pub async fn not_synced(
    db: &impl ConnectionTrait,
    source_id: i64,
    kind: ValueMappingKind,
) -> Result<Vec<ExternalValue>, DbErr> {
    let rows = ValueMapping::find()
        .filter(value_mapping::Column::SourceId.eq(source_id))
        .filter(value_mapping::Column::Kind.eq(kind))
        .filter(value_mapping::Column::InternalValue.is_null())
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| ExternalValue {
            id: r.external_id,
            name: r.external_name,
        })
        .collect())
}

#[cfg(test)]
// Test code fails by panicking.
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::Utc;

    use super::*;

    fn row(
        kind: ValueMappingKind,
        id: &str,
        name: &str,
        value: Option<&str>,
    ) -> value_mapping::Model {
        value_mapping::Model {
            id: 1,
            organization_id: 1,
            source_id: 1,
            kind,
            external_id: id.into(),
            external_name: name.into(),
            internal_value: value.map(str::to_owned),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn a_value_maps_by_id_then_by_name_else_passes_through() {
        use ValueMappingKind as K;
        let map = ValueMap::from_rows(vec![
            row(K::TicketStatus, "1", "New", Some("Open")),
            row(K::HardwareType, "3", "Laptop", None),
        ]);
        assert_eq!(map.map(K::TicketStatus, "1"), Mapped::Value("Open".into()));
        assert_eq!(
            map.map(K::TicketStatus, " new "),
            Mapped::Value("Open".into())
        );
        assert_eq!(map.map(K::HardwareType, "laptop"), Mapped::DontSync);
        assert_eq!(map.map(K::HardwareType, "1"), Mapped::PassThrough);
        // Kinds do not mix.
        assert_eq!(map.map(K::TicketType, "1"), Mapped::PassThrough);
    }

    #[test]
    fn listed_values_match_by_id_when_the_record_has_one_else_by_name() {
        let list = [ExternalValue {
            id: "3".into(),
            name: "Laptop".into(),
        }];
        assert!(is_listed(&list, Some("3"), Some("Renamed")));
        assert!(!is_listed(&list, Some("4"), Some("Laptop")));
        assert!(is_listed(&list, None, Some(" LAPTOP")));
        assert!(!is_listed(&list, None, None));
    }
}
