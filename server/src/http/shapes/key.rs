//! What makes two subscriptions the same "shape", so one run of it can answer both: the
//! organization and role of the caller, the operation (its document with insignificant
//! characters dropped, and its name) and the variables. Only a subscription whose single root
//! field is `ticketEvents` or `sourceEvents` is shared: those answers depend on nothing else of
//! the caller (reads are scoped by organization and role; user and token ids only mark writes).

use async_graphql::parser::types::{DocumentOperations, OperationType, Selection};
use async_graphql::{Request, Variables};

use crate::auth::Viewer;

/// Root fields whose subscriptions are shared.
const SHARED_FIELDS: [&str; 2] = ["ticketEvents", "sourceEvents"];

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShapeKey {
    org: i64,
    role: u8,
    document: String,
    operation: Option<String>,
    variables: String,
}

/// A shareable subscription: its key and what running it takes.
#[derive(Debug)]
pub struct Shape {
    pub key: ShapeKey,
    pub query: String,
    pub operation: Option<String>,
    pub variables: Variables,
}

impl Shape {
    /// The shape of `request` by `viewer`, if it may be shared.
    pub fn of(request: &Request, viewer: &Viewer) -> Option<Shape> {
        if !request.extensions.is_empty() || !shared_root(request) {
            return None;
        }
        let variables = serde_json::to_string(&request.variables).ok()?;
        Some(Shape {
            key: ShapeKey {
                org: viewer.org_id,
                role: crate::auth::rank(viewer.role),
                document: normalise(&request.query),
                operation: request.operation_name.clone(),
                variables,
            },
            query: request.query.clone(),
            operation: request.operation_name.clone(),
            variables: request.variables.clone(),
        })
    }

    /// The request this shape runs, data to be added by the caller.
    pub fn request(&self) -> Request {
        let mut request = Request::new(self.query.clone()).variables(self.variables.clone());
        if let Some(name) = &self.operation {
            request = request.operation_name(name.clone());
        }
        request
    }
}

/// True when the request's operation is a subscription of exactly one shared root field, with
/// no directive on it (anything else runs alone, as async-graphql would run it).
fn shared_root(request: &Request) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    let operation = match (&document.operations, &request.operation_name) {
        (DocumentOperations::Single(op), _) => op,
        (DocumentOperations::Multiple(ops), Some(name)) => match ops.get(name.as_str()) {
            Some(op) => op,
            None => return false,
        },
        (DocumentOperations::Multiple(_), None) => return false,
    };
    let op = &operation.node;
    if op.ty != OperationType::Subscription || !op.directives.is_empty() {
        return false;
    }
    match op.selection_set.node.items.as_slice() {
        [item] => match &item.node {
            Selection::Field(field) => {
                field.node.directives.is_empty()
                    && SHARED_FIELDS.contains(&field.node.name.node.as_str())
            }
            _ => false,
        },
        _ => false,
    }
}

/// The document without what GraphQL ignores: comments, commas and white space (kept inside
/// strings, and as one space between two names or numbers), so that reformatted copies of one
/// query share.
fn normalise(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut chars = query.chars().peekable();
    let mut gap = false;
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' || c == '\r' {
                        break;
                    }
                }
                gap = true;
            }
            ',' | ' ' | '\t' | '\n' | '\r' | '\u{feff}' => gap = true,
            '"' => {
                gap = false;
                out.push('"');
                // Copied as is up to the closing quote (block strings included: their inner
                // quotes are escaped or come in threes, and copying them verbatim is harmless).
                let mut escaped = false;
                for c in chars.by_ref() {
                    out.push(c);
                    match c {
                        '\\' if !escaped => escaped = true,
                        '"' if !escaped => break,
                        _ => escaped = false,
                    }
                }
            }
            c => {
                // A separator matters only between two names or numbers.
                let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
                if gap && out.chars().next_back().is_some_and(word) && word(c) {
                    out.push(' ');
                }
                gap = false;
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use entity::enums::Role;

    fn viewer(org: i64, role: Role) -> Viewer {
        Viewer {
            org_id: org,
            role,
            user_id: Some(org * 10),
            token_id: None,
            label: "someone".into(),
            expires_at: None,
        }
    }

    const Q: &str = "subscription($s: ID) { ticketEvents(sourceId: $s) { kind externalId } }";

    #[test]
    fn reformatted_copies_share_and_callers_of_other_orgs_roles_or_variables_do_not() {
        let vars = |s: &str| Variables::from_json(serde_json::json!({"s": s}));
        let shape = |q: &str, v: Variables, who: Viewer| {
            Shape::of(&Request::new(q).variables(v), &who).unwrap().key
        };
        let base = shape(Q, vars("a"), viewer(1, Role::Admin));
        let reformatted = "# listen\nsubscription( $s : ID ) {\n  ticketEvents(sourceId: $s) {\n    kind, externalId\n  }\n}\n";
        assert_eq!(base, shape(reformatted, vars("a"), viewer(1, Role::Admin)));
        // Another user of the same organization and role shares.
        let mut colleague = viewer(1, Role::Admin);
        colleague.user_id = Some(99);
        assert_eq!(base, shape(Q, vars("a"), colleague));
        assert_ne!(base, shape(Q, vars("b"), viewer(1, Role::Admin)));
        assert_ne!(base, shape(Q, vars("a"), viewer(2, Role::Admin)));
        assert_ne!(base, shape(Q, vars("a"), viewer(1, Role::Viewer)));
        // A string's spaces matter.
        let q = |s: &str| format!("subscription {{ sourceEvents(kinds: [\"{s}\"]) {{ kind }} }}");
        assert_ne!(
            shape(&q("a b"), Variables::default(), viewer(1, Role::Admin)),
            shape(&q("a  b"), Variables::default(), viewer(1, Role::Admin))
        );
    }

    #[test]
    fn only_a_lone_event_field_is_shared() {
        let who = viewer(1, Role::Admin);
        let shared = |q: &str| Shape::of(&Request::new(q), &who).is_some();
        assert!(shared("subscription { sourceEvents { kind } }"));
        assert!(!shared("subscription { syncJobUpdates { id } }"));
        assert!(!shared(
            "subscription { sourceEvents { kind } ticketEvents { kind } }"
        ));
        assert!(!shared(
            "subscription { sourceEvents @skip(if: false) { kind } }"
        ));
        assert!(!shared(
            "subscription { ... on Subscription { sourceEvents { kind } } }"
        ));
        assert!(!shared("query { viewer { id } }"));
        assert!(!shared("subscription {"));
    }
}
