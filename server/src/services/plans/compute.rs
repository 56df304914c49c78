//! What the next field sync, the rules and the write-back would change, computed without
//! writing anything. The field sync part is `field_sync::plan` itself, run over the same pages
//! of links against the same values, so a plan lists exactly what a sync would write. Rules
//! come after it, in order: SET_FIELD on linked services (after the synced values), then
//! AUTO_LINK / CREATE_SERVICE for unlinked nodes (one link per node: the first rule that
//! yields one). Write-backs are the pending ones (sync::write_back) except fields the plan
//! itself sets. Nodes a SKIP rule matches take no part.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use entity::enums::PlannedAction;
use entity::prelude::*;
use entity::{service, service_type_field, source, source_node};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde_json::Value;

use crate::auth::Viewer;
use crate::error::ApiResult;
use crate::services::dictionary::{self, MappedField};
use crate::services::field_sync::{self, FieldStatus, LinkPlan, LinkedPages};
use crate::services::rules::{Action, NodeView, RuleSet};
use crate::services::source_settings::SourceSettings;
use crate::services::{billing, values};

/// Which parts to compute.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub field_sync: bool,
    pub rules: bool,
    pub write_back: bool,
}

impl Scope {
    pub const ALL: Scope = Scope {
        field_sync: true,
        rules: true,
        write_back: true,
    };
}

/// One change (a row of `sync_plan_changes` before it has a plan).
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub action: PlannedAction,
    pub node_id: i64,
    pub service_id: Option<i64>,
    pub field_id: Option<i64>,
    pub field_mapping_id: Option<i64>,
    pub rule_id: Option<i64>,
    pub old: Option<Value>,
    pub new: Option<Value>,
    pub reason: String,
}

/// The changes, in order, how many nodes each rule matched, and each field-synced link's
/// outcomes (its `lastFieldSync` once applied; not part of the plan or its hash).
#[derive(Debug, Default)]
pub struct Computed {
    pub changes: Vec<Planned>,
    pub matched: HashMap<i64, i64>,
    pub summaries: Vec<LinkPlan>,
}

pub async fn compute(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    src: &source::Model,
    scope: Scope,
    rules: &RuleSet,
) -> ApiResult<Computed> {
    let mut out = Computed::default();
    let set_fields = scope.rules
        && rules
            .rules
            .iter()
            .any(|r| matches!(r.action, Action::SetField { .. }));
    if scope.field_sync || set_fields {
        linked(db, src, scope, rules, &mut out).await?;
    }
    let links = scope.rules
        && rules.rules.iter().any(|r| {
            matches!(
                r.action,
                Action::AutoLink { .. } | Action::CreateService { .. }
            )
        });
    if links {
        super::rule_links::unlinked(db, viewer, src, rules, &mut out).await?;
    }
    if scope.write_back {
        write_backs(db, src, &mut out).await?;
    }
    Ok(out)
}

/// Field sync and SET_FIELD over the live links of the source's live nodes, page by page.
async fn linked(
    db: &impl ConnectionTrait,
    src: &source::Model,
    scope: Scope,
    rules: &RuleSet,
    out: &mut Computed,
) -> ApiResult<()> {
    let zone = field_sync::zone_of(src);
    let mut of_type: HashMap<String, Vec<MappedField>> = HashMap::new();
    let mut of_pair: HashMap<(String, i64), Vec<MappedField>> = HashMap::new();
    let mut fields_of: HashMap<i64, Vec<service_type_field::Model>> = HashMap::new();
    let write_back = SourceSettings::from_json(&src.settings).write_back_fields;
    let mut pages = LinkedPages::new(src);
    while let Some(page) = pages.next(db).await? {
        let service_ids: Vec<i64> = page.iter().map(|(l, _)| l.service_id).collect();
        let types: HashMap<i64, i64> = Service::find()
            .select_only()
            .columns([service::Column::Id, service::Column::ServiceTypeId])
            .filter(service::Column::Id.is_in(service_ids.iter().copied()))
            .into_tuple::<(i64, i64)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let mut current = field_sync::current_values(db, &service_ids).await?;
        let edits = match write_back.is_empty() {
            true => Default::default(),
            false => field_sync::billing_edits(db, &service_ids).await?,
        };
        for (link, node) in page {
            let Some(&service_type) = types.get(&link.service_id) else {
                continue;
            };
            let view = view_of(&node);
            if rules.skips(&view).is_some() {
                continue;
            }
            let values = current.entry(link.service_id).or_default();
            if scope.field_sync {
                if !of_type.contains_key(&node.node_type) {
                    let all = dictionary::mapped_fields(
                        db,
                        src.organization_id,
                        src.provider,
                        &node.node_type,
                    )
                    .await?;
                    of_type.insert(node.node_type.clone(), all);
                }
                let mapped = of_pair
                    .entry((node.node_type.clone(), service_type))
                    .or_insert_with(|| {
                        of_type[&node.node_type]
                            .iter()
                            .filter(|m| m.type_mapping.service_type_id == service_type)
                            .cloned()
                            .collect()
                    });
                let mut outcomes = field_sync::plan(&node.fields, mapped, values, zone);
                field_sync::hold(&mut outcomes, mapped, &write_back, &link, &edits);
                for o in outcomes.iter().cloned() {
                    if o.status != FieldStatus::Synced {
                        continue;
                    }
                    if let Some(v) = &o.value {
                        values.insert(o.field_id, v.clone());
                    }
                    out.changes.push(Planned {
                        action: PlannedAction::UpdateServiceField,
                        node_id: node.id,
                        service_id: Some(link.service_id),
                        field_id: Some(o.field_id),
                        field_mapping_id: o.field_mapping_id,
                        rule_id: None,
                        reason: format!(
                            "{} of {} {} differs from the service's {}",
                            o.node_field, node.node_type, node.external_id, o.service_field_key
                        ),
                        old: o.old,
                        new: o.value,
                    });
                }
                if !mapped.is_empty() {
                    out.summaries.push(LinkPlan {
                        link_id: link.id,
                        node_id: node.id,
                        service_id: link.service_id,
                        outcomes,
                    });
                }
            }
            if !scope.rules {
                continue;
            }
            let mut set: HashSet<i64> = HashSet::new();
            for rule in rules.matching(&view) {
                let Action::SetField { key, value } = &rule.action else {
                    continue;
                };
                *out.matched.entry(rule.id).or_default() += 1;
                let fields = match fields_of.entry(service_type) {
                    Entry::Occupied(known) => known.into_mut(),
                    Entry::Vacant(slot) => slot.insert(billing::fields_of(db, service_type).await?),
                };
                let Some(field) = fields.iter().find(|f| &f.key == key) else {
                    continue;
                };
                // The first rule to set a field wins; read-only fields are never written.
                if field.read_only || !set.insert(field.id) {
                    continue;
                }
                let Ok(new) = values::validate(field, value, "params.value") else {
                    continue;
                };
                let new = (!new.is_null()).then_some(new);
                let old = values.get(&field.id).cloned();
                if old == new {
                    continue;
                }
                match &new {
                    Some(v) => values.insert(field.id, v.clone()),
                    None => values.remove(&field.id),
                };
                out.changes.push(Planned {
                    action: PlannedAction::UpdateServiceField,
                    node_id: node.id,
                    service_id: Some(link.service_id),
                    field_id: Some(field.id),
                    field_mapping_id: None,
                    rule_id: Some(rule.id),
                    reason: format!("rule \"{}\" sets {}", rule.name, field.key),
                    old,
                    new,
                });
            }
        }
    }
    Ok(())
}

/// Pending write-backs, except fields the plan's own changes set.
async fn write_backs(
    db: &impl ConnectionTrait,
    src: &source::Model,
    out: &mut Computed,
) -> ApiResult<()> {
    let set: HashSet<(i64, i64)> = out
        .changes
        .iter()
        .filter_map(|c| Some((c.service_id?, c.field_id?)))
        .collect();
    for nw in crate::sync::write_back::pending(db, src, None, None).await? {
        for w in nw.writes {
            if set.contains(&(nw.service_id, w.field_id)) {
                continue;
            }
            out.changes.push(Planned {
                action: PlannedAction::WriteBack,
                node_id: nw.node.id,
                service_id: Some(nw.service_id),
                field_id: Some(w.field_id),
                field_mapping_id: Some(w.field_mapping_id),
                rule_id: None,
                reason: format!(
                    "the service's value differs from {} of {} {}: written back",
                    w.node_field, nw.node.node_type, nw.node.external_id
                ),
                old: Some(w.node_value),
                new: Some(w.value),
            });
        }
    }
    Ok(())
}

/// What a rule's condition reads of a node.
pub fn view_of(node: &source_node::Model) -> NodeView<'_> {
    NodeView {
        node_type: &node.node_type,
        name: &node.name,
        external_id: &node.external_id,
        fields: &node.fields,
    }
}
