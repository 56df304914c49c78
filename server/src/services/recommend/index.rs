//! The inverted index of services for recommendations (`service_match_keys`): writing a
//! service's keys when it is created or its values change, and looking candidates up by key.
//!
//! Lookups never scan services. Each of a node's keys is first counted, capped at `COMMON`
//! postings (an index range read that stops early); keys held by more services than that say
//! little and are dropped, the rarest others are read until `BUDGET` postings, and the whole
//! normalised name is always read (its first `COMMON` services, in id order).

use std::collections::HashMap;

use entity::prelude::*;
use entity::{service, service_field_value, service_match_key, service_type_field};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, Set,
    Statement, Value as DbValue,
};
use serde_json::Value;

use super::normalize;
use crate::error::ApiResult;

/// A key held by more services than this does not tell them apart.
pub const COMMON: usize = 100;
/// At most this many postings are read per lookup.
pub const BUDGET: i64 = 600;

/// Rewrites the keys of services from their stored names and values, a few statements per chunk
/// of 500 (their rows, their values, their types' fields, one delete and multi-row inserts of
/// keys). Call it in the same transaction as any write of a service's name or field values
/// (`ValueBatch` does), so recommendations see the new values.
pub async fn reindex_services(db: &impl ConnectionTrait, service_ids: &[i64]) -> ApiResult<()> {
    let mut fields_of: HashMap<i64, Vec<service_type_field::Model>> = HashMap::new();
    for chunk in service_ids.chunks(500) {
        let services = Service::find()
            .filter(service::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        let missing: Vec<i64> = services
            .iter()
            .map(|s| s.service_type_id)
            .filter(|t| !fields_of.contains_key(t))
            .collect();
        if !missing.is_empty() {
            for f in ServiceTypeField::find()
                .filter(service_type_field::Column::ServiceTypeId.is_in(missing.clone()))
                .all(db)
                .await?
            {
                fields_of.entry(f.service_type_id).or_default().push(f);
            }
            for t in missing {
                fields_of.entry(t).or_default();
            }
        }
        let mut values: HashMap<i64, Vec<(i64, Value)>> = HashMap::new();
        for v in ServiceFieldValue::find()
            .filter(service_field_value::Column::ServiceId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            if let Some(value) = v.value {
                values
                    .entry(v.service_id)
                    .or_default()
                    .push((v.field_id, value));
            }
        }
        ServiceMatchKey::delete_many()
            .filter(service_match_key::Column::ServiceId.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
        let mut rows = Vec::new();
        for svc in &services {
            let fields = &fields_of[&svc.service_type_id];
            let vals = values.get(&svc.id).map(Vec::as_slice).unwrap_or_default();
            for key in keys_of(&svc.name, fields, vals) {
                rows.push((svc.id, svc.service_type_id, key));
            }
        }
        write_keys(db, rows).await?;
    }
    Ok(())
}

/// Writes the keys of a service that has none yet (a new service).
pub async fn index_new_service(
    db: &impl ConnectionTrait,
    svc: &service::Model,
    fields: &[service_type_field::Model],
    values: &[(i64, Value)],
) -> ApiResult<()> {
    let keys = keys_of(&svc.name, fields, values);
    write_keys(
        db,
        keys.into_iter().map(|k| (svc.id, svc.service_type_id, k)),
    )
    .await
}

/// The keys of a service: its name's, and each identifier among its field values.
pub fn keys_of(
    name: &str,
    fields: &[service_type_field::Model],
    values: &[(i64, Value)],
) -> Vec<String> {
    let mut keys = normalize::name_keys(&normalize::name_tokens(name));
    for (field_id, value) in values {
        let Some(field) = fields.iter().find(|f| f.id == *field_id) else {
            continue;
        };
        if let Some(id) = normalize::identifier(field.data_type, value) {
            keys.push(normalize::field_key(field.id, &id));
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// Inserts `(service id, service type id, key)` rows, many per statement.
pub async fn write_keys(
    db: &impl ConnectionTrait,
    rows: impl IntoIterator<Item = (i64, i64, String)>,
) -> ApiResult<()> {
    let rows: Vec<service_match_key::ActiveModel> = rows
        .into_iter()
        .map(
            |(service_id, service_type_id, key)| service_match_key::ActiveModel {
                service_id: Set(service_id),
                service_type_id: Set(service_type_id),
                key: Set(key),
                ..Default::default()
            },
        )
        .collect();
    // Three values a row: well under both databases' limits on bound parameters.
    for chunk in rows.chunks(2000) {
        ServiceMatchKey::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

#[derive(FromQueryResult)]
struct KeyCount {
    i: i64,
    n: i64,
}

#[derive(FromQueryResult)]
struct Posting {
    key: String,
    service_id: i64,
}

/// The services of `service_types` holding each of `keys`, read rarest key first.
/// Returns service id → the keys it holds. Trigrams, nearly all common in a large book, are
/// only looked up when the words, pairs, whole name and identifiers find nothing (a misspelt
/// one-word name).
pub async fn lookup(
    db: &impl ConnectionTrait,
    service_types: &[i64],
    keys: &[String],
) -> ApiResult<HashMap<i64, Vec<String>>> {
    let (trigrams, others): (Vec<String>, Vec<String>) =
        keys.iter().cloned().partition(|k| k.starts_with("g:"));
    let found = lookup_keys(db, service_types, &others).await?;
    if !found.is_empty() {
        return Ok(found);
    }
    lookup_keys(db, service_types, &trigrams).await
}

async fn lookup_keys(
    db: &impl ConnectionTrait,
    service_types: &[i64],
    keys: &[String],
) -> ApiResult<HashMap<i64, Vec<String>>> {
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    if service_types.is_empty() || keys.is_empty() {
        return Ok(out);
    }
    let backend = db.get_database_backend();
    let types = service_types
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let mut sql = Sql::new(backend);
    let counts = keys
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let p = sql.bind(key.clone());
            format!(
                "SELECT CAST({i} AS BIGINT) AS i, (SELECT COUNT(*) FROM (SELECT 1 FROM service_match_keys \
                 WHERE \"key\" = {p} AND service_type_id IN ({types}) LIMIT {}) AS c) AS n",
                COMMON + 1
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let mut counted = KeyCount::find_by_statement(sql.statement(counts))
        .all(db)
        .await?;
    counted.sort_by_key(|c| (c.n, c.i));
    let mut budget = BUDGET;
    let mut rare = Vec::new();
    let mut whole_name = None;
    for c in counted.iter().filter(|c| c.n > 0) {
        let key = &keys[c.i as usize];
        if key.starts_with("n:") && c.n as usize > COMMON {
            whole_name = Some(key);
        } else if c.n as usize <= COMMON && c.n <= budget {
            budget -= c.n;
            rare.push(key);
        }
    }
    let mut sql = Sql::new(backend);
    let mut parts = Vec::new();
    if !rare.is_empty() {
        let list = rare
            .iter()
            .map(|k| sql.bind((*k).clone()))
            .collect::<Vec<_>>()
            .join(",");
        parts.push(format!(
            "SELECT \"key\", service_id FROM service_match_keys WHERE \"key\" IN ({list}) AND service_type_id IN ({types})"
        ));
    }
    if let Some(key) = whole_name {
        // A name many services share: the first of them, as ties go by service id anyway.
        let p = sql.bind(key.clone());
        parts.push(format!(
            "SELECT \"key\", service_id FROM (SELECT \"key\", service_id FROM service_match_keys \
             WHERE \"key\" = {p} AND service_type_id IN ({types}) ORDER BY service_id LIMIT {COMMON}) AS w"
        ));
    }
    if parts.is_empty() {
        return Ok(out);
    }
    let postings = Posting::find_by_statement(sql.statement(parts.join(" UNION ALL ")))
        .all(db)
        .await?;
    for p in postings {
        out.entry(p.service_id).or_default().push(p.key);
    }
    Ok(out)
}

/// Raw SQL with bound values, in the backend's placeholder syntax.
struct Sql {
    backend: DbBackend,
    values: Vec<DbValue>,
}

impl Sql {
    fn new(backend: DbBackend) -> Sql {
        Sql {
            backend,
            values: Vec::new(),
        }
    }

    /// Binds a value and returns its placeholder.
    fn bind(&mut self, value: String) -> String {
        self.values.push(DbValue::from(value));
        match self.backend {
            DbBackend::Postgres => format!("${}", self.values.len()),
            _ => "?".to_owned(),
        }
    }

    fn statement(self, sql: String) -> Statement {
        Statement::from_sql_and_values(self.backend, sql, self.values)
    }
}
