//! What a source's write-back would write: for each live link of a live node, the write-back
//! fields (settings.writeBackFields, mapped SERVICE_TO_SOURCE or BOTH) whose service value differs
//! from the node's. Dates compare at day precision in the source's time zone (SEMANTICS.md
//! "Write-back"). Read in pages of nodes, so a large source is never loaded whole.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, TimeZone};
use chrono_tz::Tz;
use entity::enums::{FieldDataType, MappingDirection};
use entity::prelude::*;
use entity::{link, service, service_field_value, source, source_node};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;

use crate::error::ApiResult;
use crate::services::dictionary::{self, MappedField};
use crate::services::field_sync::NodePages;
use crate::services::source_settings::SourceSettings;
use crate::services::values;

/// Nodes read at once.
const PAGE: u64 = 500;

/// One field to write to one record.
#[derive(Debug, Clone)]
pub struct FieldWrite {
    pub node_field: String,
    /// The service's value, in the node field's form.
    pub value: Value,
    /// The node's value as the last import stored it.
    pub node_value: Value,
    pub data_type: FieldDataType,
    /// The service field and the mapping the value comes from.
    pub field_id: i64,
    pub field_mapping_id: i64,
}

/// The writes of one node.
#[derive(Debug, Clone)]
pub struct NodeWrites {
    pub node: source_node::Model,
    /// The linked service whose values are written.
    pub service_id: i64,
    pub writes: Vec<FieldWrite>,
}

/// Every pending write of `source` (or of its nodes `only`), node by node (per node type, in id
/// order); `limit`
/// stops early (1 answers "is there anything to write?").
pub async fn pending(
    db: &impl ConnectionTrait,
    source: &source::Model,
    only: Option<&[i64]>,
    limit: Option<usize>,
) -> ApiResult<Vec<NodeWrites>> {
    let settings = SourceSettings::from_json(&source.settings);
    let mut out = Vec::new();
    if settings.write_back_fields.is_empty() {
        return Ok(out);
    }
    let tz = settings.tz();
    let mut mappings: HashMap<String, Vec<MappedField>> = HashMap::new();
    let mut walk = NodePages::new(source, true);
    let mut after = 0i64;
    loop {
        let nodes = match only {
            // A few named nodes: by primary key.
            Some(ids) => {
                let nodes = SourceNode::find()
                    .filter(source_node::Column::Id.is_in(ids.iter().copied()))
                    .filter(source_node::Column::SourceId.eq(source.id))
                    .filter(source_node::Column::Linked.eq(true))
                    .filter(source_node::Column::DeletedAt.is_null())
                    .filter(source_node::Column::Id.gt(after))
                    .order_by_asc(source_node::Column::Id)
                    .limit(PAGE)
                    .all(db)
                    .await?;
                let Some(last) = nodes.last() else { break };
                after = last.id;
                nodes
            }
            // The whole source: the shared walk, linear on both engines.
            None => match walk.next(db).await? {
                Some(nodes) => nodes,
                None => break,
            },
        };
        let node_ids: Vec<i64> = nodes.iter().map(|n| n.id).collect();
        let links = Link::find()
            .filter(link::Column::NodeId.is_in(node_ids))
            .filter(link::Column::UnlinkedAt.is_null())
            .all(db)
            .await?;
        let service_ids: Vec<i64> = links.iter().map(|l| l.service_id).collect();
        let services: HashMap<i64, service::Model> = Service::find()
            .filter(service::Column::Id.is_in(service_ids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let mut values_of: HashMap<(i64, i64), Value> = HashMap::new();
        for v in ServiceFieldValue::find()
            .filter(service_field_value::Column::ServiceId.is_in(service_ids))
            .all(db)
            .await?
        {
            if let Some(value) = v.value {
                values_of.insert((v.service_id, v.field_id), value);
            }
        }
        for node in nodes {
            let Some(svc) = links
                .iter()
                .find(|l| l.node_id == node.id)
                .and_then(|l| services.get(&l.service_id))
            else {
                continue;
            };
            if !mappings.contains_key(&node.node_type) {
                let all = dictionary::mapped_fields(
                    db,
                    source.organization_id,
                    source.provider,
                    &node.node_type,
                )
                .await?;
                mappings.insert(node.node_type.clone(), all);
            }
            let writes: Vec<FieldWrite> = mappings[&node.node_type]
                .iter()
                .filter(|m| m.type_mapping.service_type_id == svc.service_type_id)
                .filter(|m| {
                    matches!(
                        m.mapping.direction,
                        MappingDirection::ServiceToSource | MappingDirection::Both
                    )
                })
                .filter(|m| settings.write_back_fields.contains(&m.mapping.node_field))
                .filter_map(|m| {
                    let service_value = values_of.get(&(svc.id, m.field.id))?;
                    field_write(source, &node, m, service_value, tz)
                })
                .collect();
            if !writes.is_empty() {
                out.push(NodeWrites {
                    node,
                    service_id: svc.id,
                    writes,
                });
                if limit.is_some_and(|l| out.len() >= l) {
                    return Ok(out);
                }
            }
        }
    }
    Ok(out)
}

/// The write of one mapped field, when the service value differs from the node's.
fn field_write(
    source: &source::Model,
    node: &source_node::Model,
    m: &MappedField,
    service_value: &Value,
    tz: Tz,
) -> Option<FieldWrite> {
    let data_type =
        dictionary::node_field_type(source.provider, &node.node_type, &m.mapping.node_field)
            .ok()?;
    let node_value = node
        .fields
        .get(&m.mapping.node_field)
        .cloned()
        .unwrap_or(Value::Null);
    // A custom field declares no type (it reads as text): write the kind of value the record
    // holds now, so a numeric property stays a number.
    let data_type = match (data_type, &node_value) {
        (FieldDataType::Text, Value::Number(_)) => FieldDataType::Number,
        (FieldDataType::Text, Value::Bool(_)) => FieldDataType::Boolean,
        (declared, _) => declared,
    };
    let value = to_node_form(data_type, service_value, tz)?;
    if same(data_type, &value, &node_value, tz) {
        return None;
    }
    Some(FieldWrite {
        node_field: m.mapping.node_field.clone(),
        value,
        node_value,
        data_type,
        field_id: m.field.id,
        field_mapping_id: m.mapping.id,
    })
}

/// A service value in a node field's form; a date becomes midnight in the source's time zone.
pub fn to_node_form(data_type: FieldDataType, value: &Value, tz: Tz) -> Option<Value> {
    if data_type == FieldDataType::Datetime {
        if let Some(date) = value
            .as_str()
            .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        {
            let midnight = tz
                .from_local_datetime(&date.and_time(NaiveTime::MIN))
                .earliest()?;
            return Some(Value::String(
                midnight.to_utc().to_rfc3339_opts(SecondsFormat::Secs, true),
            ));
        }
    }
    values::convert(data_type, value).ok()
}

/// Whether two values of a node field are the same: dates and date-times by their day in the
/// source's time zone, the rest once converted to the field's type.
pub fn same(data_type: FieldDataType, a: &Value, b: &Value, tz: Tz) -> bool {
    match data_type {
        FieldDataType::Date | FieldDataType::Datetime => day(a, tz) == day(b, tz),
        _ => values::convert(data_type, a).ok() == values::convert(data_type, b).ok(),
    }
}

fn day(v: &Value, tz: Tz) -> Option<NaiveDate> {
    let s = v.as_str()?.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().or_else(|| {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|dt| dt.with_timezone(&tz).date_naive())
    })
}
