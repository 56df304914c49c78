//! The rules that link unlinked nodes, for plans: AUTO_LINK (the top recommendation at or
//! above `minScore`; a service this plan already links to a node of the same type is not
//! linked again) and CREATE_SERVICE (for the customer of the service the nearest linked
//! ancestor is linked to). Per node, the first rule that yields a link wins; every matching
//! rule counts the node as matched.

use std::collections::{HashMap, HashSet};

use entity::enums::PlannedAction;
use entity::prelude::*;
use entity::{link, source, source_node};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::compute::{view_of, Computed, Planned};
use crate::auth::Viewer;
use crate::error::ApiResult;
use crate::services::field_sync::NodePages;
use crate::services::recommend;
use crate::services::rules::{Action, RuleSet};

/// AUTO_LINK and CREATE_SERVICE over the source's live unlinked nodes.
pub(super) async fn unlinked(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    src: &source::Model,
    rules: &RuleSet,
    out: &mut Computed,
) -> ApiResult<()> {
    // Services this plan already links, per node type: recommendations do not know of them.
    let mut claimed: HashSet<(String, i64)> = HashSet::new();
    let mut customers: HashMap<i64, Option<(i64, String)>> = HashMap::new();
    let mut pages = NodePages::new(src, false);
    while let Some(nodes) = pages.next(db).await? {
        for node in nodes {
            let mut done = false;
            for rule in rules.matching(&view_of(&node)) {
                let change = match &rule.action {
                    Action::AutoLink { min_score } => {
                        *out.matched.entry(rule.id).or_default() += 1;
                        if done {
                            continue;
                        }
                        let top = recommend::for_node(db, viewer, &node, 1).await?;
                        let Some(top) = top.into_iter().next() else {
                            continue;
                        };
                        let key = (node.node_type.clone(), top.service.id);
                        if top.score < *min_score || claimed.contains(&key) {
                            continue;
                        }
                        claimed.insert(key);
                        Planned {
                            action: PlannedAction::Link,
                            node_id: node.id,
                            service_id: Some(top.service.id),
                            field_id: None,
                            field_mapping_id: None,
                            rule_id: Some(rule.id),
                            old: None,
                            new: Some(json!({ "score": (top.score * 100.0).round() / 100.0 })),
                            reason: format!(
                                "rule \"{}\": top recommendation {} scores {:.2} ({})",
                                rule.name,
                                top.service.name,
                                top.score,
                                top.reasons.join("; ")
                            ),
                        }
                    }
                    Action::CreateService {
                        service_type_id,
                        package_id,
                    } => {
                        *out.matched.entry(rule.id).or_default() += 1;
                        if done {
                            continue;
                        }
                        let Some((customer, ancestor)) =
                            ancestor_customer(db, &node, &mut customers).await?
                        else {
                            continue;
                        };
                        Planned {
                            action: PlannedAction::CreateService,
                            node_id: node.id,
                            service_id: None,
                            field_id: None,
                            field_mapping_id: None,
                            rule_id: Some(rule.id),
                            old: None,
                            new: Some(json!({
                                "name": node.name,
                                "customerId": customer,
                                "serviceTypeId": service_type_id,
                                "packageId": package_id,
                            })),
                            reason: format!(
                                "rule \"{}\": a new service for the customer {ancestor} is linked to",
                                rule.name
                            ),
                        }
                    }
                    _ => continue,
                };
                out.changes.push(change);
                done = true;
            }
        }
    }
    Ok(())
}

/// The customer of the service the nearest linked ancestor of `node` is linked to, with the
/// ancestor's description; remembered per parent for the siblings.
async fn ancestor_customer(
    db: &impl ConnectionTrait,
    node: &source_node::Model,
    memo: &mut HashMap<i64, Option<(i64, String)>>,
) -> ApiResult<Option<(i64, String)>> {
    let Some(first) = node.parent_id else {
        return Ok(None);
    };
    if let Some(known) = memo.get(&first) {
        return Ok(known.clone());
    }
    let mut parent = Some(first);
    let mut found = None;
    // A tree is shallow; the bound only guards against a cycle in bad data.
    for _ in 0..32 {
        let Some(id) = parent else { break };
        let Some(p) = SourceNode::find_by_id(id).one(db).await? else {
            break;
        };
        if p.linked {
            let live = Link::find()
                .filter(link::Column::NodeId.eq(p.id))
                .filter(link::Column::UnlinkedAt.is_null())
                .find_also_related(Service)
                .one(db)
                .await?;
            if let Some((_, Some(svc))) = live {
                found = Some((svc.customer_id, format!("{} {}", p.node_type, p.name)));
                break;
            }
        }
        parent = p.parent_id;
    }
    memo.insert(first, found.clone());
    Ok(found)
}
