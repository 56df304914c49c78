//! FieldChange rows: every change of a service value is written here with its provenance —
//! origin (USER, SYNC, RULE), actor, and for synced values the node, job and field mapping —
//! and read back as `Service.history`. `ValueBatch` writes many values with their changes at
//! once, for the writers that touch thousands (field sync, plans, undo).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::enums::ChangeOrigin;
use entity::prelude::*;
use entity::{field_change, service, service_field_value};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;

use crate::auth::Viewer;
use crate::error::ApiResult;

/// Who and what caused a change. `actor` is the caller, or for a job the person or token that
/// asked for it (`Viewer::system` when nobody did).
#[derive(Debug, Clone, Copy)]
pub struct Provenance<'a> {
    pub actor: &'a Viewer,
    pub origin: ChangeOrigin,
    pub node_id: Option<i64>,
    pub job_id: Option<i64>,
    pub field_mapping_id: Option<i64>,
    /// The sync rule that made the change (origin RULE).
    pub rule_id: Option<i64>,
}

impl<'a> Provenance<'a> {
    /// A person's or a token's own edit (origin USER).
    pub fn user(actor: &'a Viewer) -> Provenance<'a> {
        Provenance {
            actor,
            origin: ChangeOrigin::User,
            node_id: None,
            job_id: None,
            field_mapping_id: None,
            rule_id: None,
        }
    }
}

/// The row of one change, for callers that insert many at once.
pub fn change_row(
    by: &Provenance<'_>,
    service_id: i64,
    field_id: i64,
    old: Option<Value>,
    new: Option<Value>,
    at: DateTime<Utc>,
) -> field_change::ActiveModel {
    field_change::ActiveModel {
        organization_id: Set(by.actor.org_id),
        service_id: Set(service_id),
        field_id: Set(field_id),
        old_value: Set(old),
        new_value: Set(new),
        origin: Set(by.origin),
        node_id: Set(by.node_id),
        job_id: Set(by.job_id),
        field_mapping_id: Set(by.field_mapping_id),
        rule_id: Set(by.rule_id),
        actor_user_id: Set(by.actor.user_id),
        actor_token_id: Set(by.actor.token_id),
        actor_label: Set(by.actor.label.clone()),
        at: Set(at),
        ..Default::default()
    }
}

/// Writes one change, now.
pub async fn record_change(
    db: &impl ConnectionTrait,
    by: &Provenance<'_>,
    service_id: i64,
    field_id: i64,
    old: Option<Value>,
    new: Option<Value>,
) -> ApiResult<()> {
    change_row(by, service_id, field_id, old, new, Utc::now())
        .insert(db)
        .await?;
    Ok(())
}

/// Rows per multi-row statement (about 14 binds a row stays far under SQLite's 32,766).
const CHUNK: usize = 500;

/// Service values and their FieldChanges, collected and then written together in a handful of
/// statements per 500 rows: one upsert of the values, one insert of the changes, one update of
/// the services' `updated_at`, and the services' recommendation keys rebuilt.
#[derive(Debug, Default)]
pub struct ValueBatch {
    values: BTreeMap<(i64, i64), Option<Value>>,
    changes: Vec<field_change::ActiveModel>,
}

impl ValueBatch {
    /// One change. When a field is set twice (two nodes linked to one service) both changes
    /// are kept and the value written is the last.
    pub fn push(
        &mut self,
        by: &Provenance<'_>,
        service_id: i64,
        field_id: i64,
        old: Option<Value>,
        new: Option<Value>,
        at: DateTime<Utc>,
    ) {
        self.values.insert((service_id, field_id), new.clone());
        self.changes
            .push(change_row(by, service_id, field_id, old, new, at));
    }

    /// How many changes were pushed.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Writes everything in `txn`; returns the services touched, in id order.
    pub async fn write(
        self,
        txn: &impl ConnectionTrait,
        now: DateTime<Utc>,
    ) -> ApiResult<Vec<i64>> {
        let mut services: Vec<i64> = self.values.keys().map(|(s, _)| *s).collect();
        services.dedup();
        let rows: Vec<service_field_value::ActiveModel> = self
            .values
            .into_iter()
            .map(
                |((service_id, field_id), value)| service_field_value::ActiveModel {
                    service_id: Set(service_id),
                    field_id: Set(field_id),
                    value: Set(value),
                    updated_at: Set(now),
                    ..Default::default()
                },
            )
            .collect();
        let upsert = OnConflict::columns([
            service_field_value::Column::ServiceId,
            service_field_value::Column::FieldId,
        ])
        .update_columns([
            service_field_value::Column::Value,
            service_field_value::Column::UpdatedAt,
        ])
        .to_owned();
        for chunk in rows.chunks(CHUNK) {
            ServiceFieldValue::insert_many(chunk.to_vec())
                .on_conflict(upsert.clone())
                .exec_without_returning(txn)
                .await?;
        }
        for chunk in self.changes.chunks(CHUNK) {
            FieldChange::insert_many(chunk.to_vec())
                .exec_without_returning(txn)
                .await?;
        }
        for chunk in services.chunks(CHUNK) {
            Service::update_many()
                .col_expr(service::Column::UpdatedAt, Expr::value(now))
                .filter(service::Column::Id.is_in(chunk.iter().copied()))
                .exec(txn)
                .await?;
        }
        // Recommendations find services by their identifier values too: a new value moves them.
        crate::services::recommend::index::reindex_services(txn, &services).await?;
        Ok(services)
    }
}
