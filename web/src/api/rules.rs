//! A source's sync rules (`graphql/rules.graphql`): the list in order with the node types they
//! may name, and creating, editing, deleting and moving one. Actions travel as GraphQL names.

use super::{ApiError, Json};
use crate::session::Session;

/// The GraphQL `ID` scalar, as graphql_client names it under Rust normalization.
type Id = String;

operations!("graphql/rules.graphql";
    /// `query SourceRules`.
    SourceRules,
    /// `mutation CreateSyncRule`.
    CreateSyncRule,
    /// `mutation UpdateSyncRule`.
    UpdateSyncRule,
    /// `mutation DeleteSyncRule`.
    DeleteSyncRule,
    /// `mutation MoveSyncRule`.
    MoveSyncRule,
);

pub use source_rules::RuleAction;

via_serde!(RuleAction);

from_json! {
    /// A rule (the `RuleFields` fragment).
    #[derive(Clone, Debug, PartialEq)]
    pub struct Rule {
        pub id: String,
        pub name: String,
        pub position: i64,
        pub enabled: bool,
        pub node_type: Option<String>,
        pub condition: Json,
        pub action: RuleAction,
        pub params: Json,
        pub matched_last_run: i64,
    }

    /// The data of `SourceRules`.
    pub struct RulesData {
        pub source: Option<RulesSource>,
    }

    /// A source's name, node types and rules.
    pub struct RulesSource {
        pub name: String,
        pub node_types: Vec<TypeName>,
        pub rules: Vec<Rule>,
    }

    /// A node type's name.
    pub struct TypeName {
        pub name: String,
    }
}

/// The actions, as (GraphQL name, words).
pub const ACTIONS: &[(&str, &str)] = &[
    ("SKIP", "Skip (leave out of import and sync)"),
    ("AUTO_LINK", "Link to the top recommendation"),
    ("CREATE_SERVICE", "Create a service"),
    ("SET_FIELD", "Set a service field"),
];

/// An action's GraphQL name.
pub fn action_name(action: &RuleAction) -> String {
    match action {
        RuleAction::Skip => "SKIP",
        RuleAction::AutoLink => "AUTO_LINK",
        RuleAction::CreateService => "CREATE_SERVICE",
        RuleAction::SetField => "SET_FIELD",
        RuleAction::Other(other) => other,
    }
    .to_owned()
}

/// An action in words.
pub fn action_label(action: &RuleAction) -> String {
    let name = action_name(action);
    ACTIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(name.clone(), |(_, label)| (*label).to_owned())
}

/// The source's name, node types and rules in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Rules {
    pub name: String,
    pub node_types: Vec<String>,
    pub rules: Vec<Rule>,
}

pub async fn load(session: Session, source_id: String) -> Result<Rules, ApiError> {
    let data = session
        .run::<SourceRules>(source_rules::Variables { id: source_id })
        .await?;
    let source = super::json::read::<RulesData>(&data)?
        .source
        .ok_or_else(|| ApiError::NotFound("this source no longer exists".to_owned()))?;
    Ok(Rules {
        name: source.name,
        node_types: source.node_types.into_iter().map(|t| t.name).collect(),
        rules: source.rules,
    })
}

/// What the rule form holds: the condition and params already read as JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub name: String,
    pub enabled: bool,
    pub node_type: Option<String>,
    pub condition: Json,
    /// GraphQL name.
    pub action: String,
    pub params: Option<Json>,
}

/// What to do with rules.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    Create(String, Draft),
    Update(String, Draft),
    Delete(String),
    /// Rule id, new position (1 first).
    Move(String, i64),
}

pub async fn apply(session: Session, edit: Edit) -> Result<(), ApiError> {
    match edit {
        Edit::Create(source_id, d) => {
            let input = create_sync_rule::SyncRuleInput {
                name: d.name,
                enabled: Some(d.enabled),
                node_type: d.node_type,
                condition: d.condition,
                action: create_sync_rule::RuleAction::Other(d.action),
                params: d.params,
            };
            session
                .run::<CreateSyncRule>(create_sync_rule::Variables { source_id, input })
                .await
                .map(drop)
        }
        Edit::Update(id, d) => {
            let input = update_sync_rule::SyncRuleInput {
                name: d.name,
                enabled: Some(d.enabled),
                node_type: d.node_type,
                condition: d.condition,
                action: update_sync_rule::RuleAction::Other(d.action),
                params: d.params,
            };
            session
                .run::<UpdateSyncRule>(update_sync_rule::Variables { id, input })
                .await
                .map(drop)
        }
        Edit::Delete(id) => session
            .run::<DeleteSyncRule>(delete_sync_rule::Variables { id })
            .await
            .map(drop),
        Edit::Move(id, position) => session
            .run::<MoveSyncRule>(move_sync_rule::Variables { id, position })
            .await
            .map(drop),
    }
}
