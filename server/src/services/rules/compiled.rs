//! A source's enabled rules, loaded once per run and compiled (conditions and params parsed),
//! in their order. The import asks `skips` of every node it receives, so this is the hot path:
//! with no SKIP rule it answers without looking at the node.

use chrono::{DateTime, Utc};
use entity::enums::RuleAction;
use entity::prelude::*;
use entity::sync_rule;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use super::condition::{Condition, NodeView};

/// What a rule does, with its params read.
#[derive(Debug, Clone)]
pub enum Action {
    Skip,
    AutoLink {
        min_score: f64,
    },
    CreateService {
        service_type_id: i64,
        package_id: Option<i64>,
    },
    SetField {
        key: String,
        value: Value,
    },
}

/// One enabled rule, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: i64,
    pub name: String,
    pub node_type: Option<String>,
    pub condition: Condition,
    pub action: Action,
}

impl Rule {
    /// Whether the rule applies to `node` (its type, then its condition).
    pub fn matches(&self, node: &NodeView<'_>) -> bool {
        self.node_type
            .as_deref()
            .is_none_or(|t| t == node.node_type)
            && self.condition.matches(node)
    }

    /// Compiles a stored rule; None when its stored form no longer reads (it is then ignored).
    pub fn of(row: &sync_rule::Model) -> Option<Rule> {
        let condition = Condition::compile(&row.condition, "condition").ok()?;
        let p = &row.params;
        let action = match row.action {
            RuleAction::Skip => Action::Skip,
            RuleAction::AutoLink => Action::AutoLink {
                min_score: p.get("minScore").and_then(Value::as_f64).unwrap_or(0.5),
            },
            RuleAction::CreateService => Action::CreateService {
                service_type_id: p.get("serviceTypeId").and_then(Value::as_i64)?,
                package_id: p.get("packageId").and_then(Value::as_i64),
            },
            RuleAction::SetField => Action::SetField {
                key: p.get("fieldKey").and_then(Value::as_str)?.to_owned(),
                value: p.get("value").cloned().unwrap_or(Value::Null),
            },
        };
        Some(Rule {
            id: row.id,
            name: row.name.clone(),
            node_type: row.node_type.clone(),
            condition,
            action,
        })
    }
}

/// The enabled rules of a source, in order.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    has_skip: bool,
    /// When a SKIP rule was last created or changed.
    skip_changed_at: Option<DateTime<Utc>>,
}

impl RuleSet {
    pub async fn load(db: &impl ConnectionTrait, source_id: i64) -> Result<RuleSet, DbErr> {
        let rows = SyncRule::find()
            .filter(sync_rule::Column::SourceId.eq(source_id))
            .filter(sync_rule::Column::Enabled.eq(true))
            .order_by_asc(sync_rule::Column::Position)
            .order_by_asc(sync_rule::Column::Id)
            .all(db)
            .await?;
        let mut rules = Vec::with_capacity(rows.len());
        for row in &rows {
            match Rule::of(row) {
                Some(rule) => rules.push(rule),
                None => tracing::warn!(rule_id = row.id, "a stored rule no longer reads; ignored"),
            }
        }
        let has_skip = rules.iter().any(|r| matches!(r.action, Action::Skip));
        let skip_changed_at = rows
            .iter()
            .filter(|r| r.action == RuleAction::Skip)
            .map(|r| r.updated_at)
            .max();
        Ok(RuleSet {
            rules,
            has_skip,
            skip_changed_at,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Whether a SKIP rule is among them (the import asks before looking at any node).
    pub fn has_skip(&self) -> bool {
        self.has_skip
    }

    /// When an enabled SKIP rule was last created or changed (the import then reads the
    /// source whole, not only what changed upstream).
    pub fn skip_changed_at(&self) -> Option<DateTime<Utc>> {
        self.skip_changed_at
    }

    /// The SKIP rule that leaves `node` out of the import and the field sync, if any matches
    /// (wherever it stands: a node left out of the import is not there for other rules).
    pub fn skips(&self, node: &NodeView<'_>) -> Option<&Rule> {
        if !self.has_skip {
            return None;
        }
        self.rules
            .iter()
            .filter(|r| matches!(r.action, Action::Skip))
            .find(|r| r.matches(node))
    }

    /// The other rules that match `node`, in order; none when a SKIP rule matches it.
    pub fn matching<'r>(&'r self, node: &NodeView<'_>) -> Vec<&'r Rule> {
        if self.skips(node).is_some() {
            return Vec::new();
        }
        self.rules
            .iter()
            .filter(|r| !matches!(r.action, Action::Skip) && r.matches(node))
            .collect()
    }
}
