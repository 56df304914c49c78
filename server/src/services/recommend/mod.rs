//! Recommendations for an unlinked node (SEMANTICS.md, "Recommendations"): services of the
//! service types mapped from the node's provider and type, not linked from another node of the
//! same type, scored 0..1 with reasons; below 0.5 not shown; ties by service id. Linked and
//! deleted nodes have none.
//!
//! Candidates come from the inverted index (`index`), never from a scan of the services: the
//! node's normalised name and mapped identifier values are looked up rarest key first, and the
//! services of customers its linked ancestors are linked to join them. Only the best-ranked
//! candidates are read and scored (`score`).

pub mod index;
pub mod normalize;
pub mod score;

use std::collections::{HashMap, HashSet};

use entity::enums::FieldDataType;
use entity::prelude::*;
use entity::{link, service, source, source_node};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait,
};

use crate::auth::Viewer;
use crate::error::ApiResult;
use crate::services::dictionary;

/// At most this many of a node's keys are looked up (SQLite allows 500 compound selects).
const MAX_KEYS: usize = 64;
/// At most this many candidates found by key are read and scored.
const MAX_SCORED: usize = 150;
/// At most this many services of a linked ancestor's customer join the candidates.
const MAX_OF_CUSTOMER: u64 = 100;

/// One recommended service.
#[derive(Debug, Clone)]
pub struct Recommendation {
    pub service: service::Model,
    pub score: f64,
    pub reasons: Vec<String>,
}

/// The best `first` recommendations for `node`, best first.
pub async fn for_node(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    node: &source_node::Model,
    first: usize,
) -> ApiResult<Vec<Recommendation>> {
    if first == 0
        || node.linked
        || node.deleted_at.is_some()
        || node.organization_id != viewer.org_id
    {
        return Ok(Vec::new());
    }
    let Some(src) = crate::services::sources::get(db, viewer, node.source_id).await? else {
        return Ok(Vec::new());
    };
    if src.deleted_at.is_some() {
        return Ok(Vec::new());
    }
    let types =
        dictionary::service_types_for(db, viewer.org_id, src.provider, &node.node_type).await?;
    if types.is_empty() {
        return Ok(Vec::new());
    }
    let mapped =
        dictionary::mapped_fields(db, viewer.org_id, src.provider, &node.node_type).await?;

    // The node's keys: identifiers first, so a long name never crowds them out.
    let tokens = normalize::name_tokens(&node.name);
    let mut keys = Vec::new();
    let mut labels: HashMap<i64, (String, bool)> = HashMap::new();
    for m in mapped
        .iter()
        .filter(|m| types.contains(&m.field.service_type_id))
    {
        let value = node.fields.get(&m.mapping.node_field);
        if let Some(id) = value.and_then(|v| normalize::identifier(m.field.data_type, v)) {
            keys.push(normalize::field_key(m.field.id, &id));
            let loose = matches!(
                m.field.data_type,
                FieldDataType::Phone | FieldDataType::Email
            );
            labels.insert(m.field.id, (m.field.label.clone(), loose));
        }
    }
    keys.extend(normalize::name_keys(&tokens));
    let mut seen = HashSet::new();
    keys.retain(|k| seen.insert(k.clone()));
    keys.truncate(MAX_KEYS);

    let hits = index::lookup(db, &types, &keys).await?;
    let mut ranked: Vec<(i64, i64)> = hits
        .iter()
        .map(|(id, keys)| (-keys.iter().map(|k| key_rank(k)).sum::<i64>(), *id))
        .collect();
    ranked.sort_unstable();
    ranked.truncate(MAX_SCORED);
    let mut rows = if ranked.is_empty() {
        Vec::new()
    } else {
        // By primary key alone: with the organization in the WHERE clause SQLite's planner
        // may walk the organization's index over every service instead (100 ms at 100k).
        // Candidates come from the organization's service types; the check stays, in Rust.
        Service::find()
            .filter(service::Column::Id.is_in(ranked.iter().map(|(_, id)| *id)))
            .all(db)
            .await?
            .into_iter()
            .filter(|s| s.organization_id == viewer.org_id)
            .collect()
    };
    let ancestors = linked_ancestors(db, viewer, node).await?;
    if !ancestors.is_empty() {
        let known: HashSet<i64> = rows.iter().map(|s| s.id).collect();
        let of_customers = Service::find()
            .filter(service::Column::OrganizationId.eq(viewer.org_id))
            .filter(service::Column::CustomerId.is_in(ancestors.iter().map(|a| a.0)))
            .filter(service::Column::ServiceTypeId.is_in(types.iter().copied()))
            .order_by_asc(service::Column::Id)
            .limit(MAX_OF_CUSTOMER)
            .all(db)
            .await?;
        rows.extend(of_customers.into_iter().filter(|s| !known.contains(&s.id)));
    }
    let taken = taken_by_same_type(db, viewer, &src, node, &rows).await?;

    let mut out: Vec<Recommendation> = Vec::new();
    for svc in rows.into_iter().filter(|s| !taken.contains(&s.id)) {
        let (name, same_name) = score::name_evidence(&tokens, &svc.name);
        let held = hits.get(&svc.id).map(Vec::as_slice).unwrap_or_default();
        let mut fields: Vec<i64> = held
            .iter()
            .filter_map(|k| normalize::field_of_key(k))
            .collect();
        fields.sort_unstable();
        fields.dedup();
        let evidence = score::Evidence {
            name,
            same_name,
            identifiers: fields
                .iter()
                .filter_map(|f| labels.get(f).cloned())
                .collect(),
            ancestor: ancestors
                .iter()
                .find(|a| a.0 == svc.customer_id)
                .map(|a| a.1.clone()),
        };
        let (score, reasons) = score::score(&evidence);
        if score >= score::SHOWN_FROM {
            out.push(Recommendation {
                service: svc,
                score,
                reasons,
            });
        }
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.service.id.cmp(&b.service.id))
    });
    out.truncate(first);
    Ok(out)
}

/// How much a shared key says about a candidate, for choosing which candidates to score.
fn key_rank(key: &str) -> i64 {
    match key.split_once(':').map(|(kind, _)| kind) {
        Some("n") => 50,
        Some("p") => 5,
        Some("t") => 3,
        Some("g") => 1,
        _ => 100,
    }
}

/// The customers of the services the node's linked ancestors are linked to, nearest ancestor
/// first, each with the reason it gives.
async fn linked_ancestors(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    node: &source_node::Model,
) -> ApiResult<Vec<(i64, String)>> {
    let mut linked = Vec::new();
    let mut next = node.parent_id;
    let mut depth = 0;
    // Trees are a few levels deep; the bound only guards against a corrupted cycle.
    while let Some(id) = next.filter(|_| depth < 32) {
        depth += 1;
        let Some(parent) = crate::services::nodes::get(db, viewer, id).await? else {
            break;
        };
        next = parent.parent_id;
        if parent.linked {
            linked.push((depth, parent));
        }
    }
    if linked.is_empty() {
        return Ok(Vec::new());
    }
    let customers: HashMap<i64, i64> = Link::find()
        .select_only()
        .column(link::Column::NodeId)
        .column(service::Column::CustomerId)
        .join(JoinType::InnerJoin, link::Relation::Service.def())
        .filter(link::Column::OrganizationId.eq(viewer.org_id))
        .filter(link::Column::NodeId.is_in(linked.iter().map(|(_, n)| n.id)))
        .filter(link::Column::UnlinkedAt.is_null())
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(linked
        .iter()
        .filter_map(|(depth, n)| {
            let customer = customers.get(&n.id)?;
            Some((
                *customer,
                score::ancestor_reason(*depth, &n.node_type, &n.name),
            ))
        })
        .collect())
}

/// Which of `candidates` have a live link from another node of the node's provider and type.
async fn taken_by_same_type(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    src: &source::Model,
    node: &source_node::Model,
    candidates: &[service::Model],
) -> ApiResult<HashSet<i64>> {
    if candidates.is_empty() {
        return Ok(HashSet::new());
    }
    let taken = Link::find()
        .select_only()
        .column(link::Column::ServiceId)
        .join(JoinType::InnerJoin, link::Relation::SourceNode.def())
        .join(JoinType::InnerJoin, source_node::Relation::Source.def())
        .filter(link::Column::OrganizationId.eq(viewer.org_id))
        .filter(link::Column::ServiceId.is_in(candidates.iter().map(|s| s.id)))
        .filter(link::Column::UnlinkedAt.is_null())
        .filter(link::Column::NodeId.ne(node.id))
        .filter(source_node::Column::NodeType.eq(node.node_type.as_str()))
        .filter(source::Column::Provider.eq(src.provider))
        .into_tuple::<i64>()
        .all(db)
        .await?;
    Ok(taken.into_iter().collect())
}
