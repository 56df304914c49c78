//! Company, contact, configuration and customer events keep the tree current between syncs.
//! A live node of the record gets the record's fields as the connector reads them now
//! (`read_record`, flattened as an import stores them; keys an import adds besides, such as a
//! contact's default email, stay). A record the tree does not hold yet, a deleted one, or one
//! the connector cannot read alone queues a WEBHOOK import of the source instead (one queued
//! import per source at a time), which places it, or marks it deleted, like any pass.

use chrono::Utc;
use entity::enums::{Provider, SyncJobKind, SyncTrigger};
use entity::{source, source_node};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;

use crate::events::JobChanged;
use crate::services::nodes::{content_hash, search_text};
use crate::state::AppState;
use crate::sync::queue;

/// Brings the node of (`node_type`, `external_id`) up to date, or queues an import that will.
pub async fn refresh(
    state: &AppState,
    source: &source::Model,
    node_type: &str,
    external_id: &str,
    deleted: bool,
) {
    let node = source_node::Entity::find()
        .filter(source_node::Column::SourceId.eq(source.id))
        .filter(source_node::Column::NodeType.eq(node_type))
        .filter(source_node::Column::ExternalId.eq(external_id))
        .one(&state.db)
        .await;
    match node {
        Ok(Some(node)) if node.deleted_at.is_none() && !deleted => {
            match update(state, source, node).await {
                Ok(()) => return,
                Err(why) => {
                    tracing::info!(source_id = source.id, node_type, external_id, reason = %why, "node not updated from its event; queueing an import")
                }
            }
        }
        Ok(_) => {}
        Err(err) => tracing::error!(error = %err, "reading the node of an event failed"),
    }
    queue_import(state, source).await;
}

async fn update(
    state: &AppState,
    source: &source::Model,
    node: source_node::Model,
) -> Result<(), String> {
    let connector = super::connector_for(state, source)?;
    let read = connector
        .read_record(&node.node_type, &node.external_id)
        .await
        .map_err(|e| e.message())?;
    let mut fields = node.fields.clone();
    if let (Some(into), Value::Object(read)) = (fields.as_object_mut(), read) {
        into.extend(read);
    }
    let name =
        name_of(source.provider, &node.node_type, &fields).unwrap_or_else(|| node.name.clone());
    let hash = content_hash(&name, node.parent_id, &fields);
    if hash == node.content_hash {
        return Ok(());
    }
    let mut active: source_node::ActiveModel = node.clone().into();
    active.search_text = Set(search_text(&name, &node.external_id));
    active.name = Set(name);
    active.fields = Set(fields);
    active.content_hash = Set(hash);
    active.last_seen_at = Set(Utc::now());
    active
        .update(&state.db)
        .await
        .map_err(|e| format!("writing the node failed: {e}"))?;
    Ok(())
}

/// A node's name from its flattened fields, as the import names it (PROVIDERS.md "Node types").
fn name_of(provider: Provider, node_type: &str, fields: &Value) -> Option<String> {
    let text = |k: &str| fields.get(k).and_then(Value::as_str).unwrap_or_default();
    let name = match (provider, node_type) {
        (Provider::ConnectwiseManage, "Contact") => {
            format!("{} {}", text("firstName"), text("lastName"))
        }
        (Provider::Syncro, "Customer") => text("business_then_name").to_owned(),
        (Provider::Syncro, "Lead") => format!("{} {}", text("first_name"), text("last_name")),
        _ => text("name").to_owned(),
    };
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// A WEBHOOK import of the source, unless one is queued already.
async fn queue_import(state: &AppState, source: &source::Model) {
    match queue::insert(
        &state.db,
        source,
        SyncJobKind::Import,
        SyncTrigger::Webhook,
        None,
        None,
    )
    .await
    {
        Ok(job) => {
            state
                .events
                .job_changed(&state.db, JobChanged::of(&job))
                .await;
            tracing::info!(
                job_id = job.id,
                source_id = source.id,
                "import queued by a webhook"
            );
        }
        Err(err) if crate::error::is_unique_violation(&err) => {}
        Err(err) => tracing::error!(error = %err, "queueing an import for a webhook failed"),
    }
}
