//! Scoring one candidate service for one node, with the reasons a person reads.
//!
//! Each signal is a piece of evidence with a weight in 0..1, combined as independent evidence
//! (1 − Π(1 − w)): one strong signal scores high, several weak ones add up, and the score
//! never passes 1. Weights: the same normalised name 0.9, a similar name 0.85 × similarity
//! (counted from 0.5), each identifier in common 0.9, a linked ancestor whose service is for
//! the candidate's customer 0.4 (alone it stays under the 0.5 shown).

use super::normalize;

pub const EXACT_NAME: f64 = 0.9;
pub const SIMILAR_NAME: f64 = 0.85;
pub const IDENTIFIER: f64 = 0.9;
pub const ANCESTOR: f64 = 0.4;
/// Candidates scoring less are not shown.
pub const SHOWN_FROM: f64 = 0.5;

/// What speaks for one candidate.
#[derive(Debug, Default)]
pub struct Evidence {
    /// Name similarity in 0..1 and whether the normalised names are equal.
    pub name: f64,
    pub same_name: bool,
    /// Labels of the fields whose identifiers are equal, and whether each compares loosely
    /// (phone numbers by digits, emails ignoring case).
    pub identifiers: Vec<(String, bool)>,
    /// The nearest linked ancestor whose service is for this customer.
    pub ancestor: Option<String>,
}

/// The score (rounded to three places) and the reasons, strongest kind first.
pub fn score(e: &Evidence) -> (f64, Vec<String>) {
    let mut weights = Vec::new();
    let mut reasons = Vec::new();
    if e.same_name {
        weights.push(EXACT_NAME);
        reasons.push("Name equal".to_owned());
    } else if e.name >= 0.5 {
        weights.push(SIMILAR_NAME * e.name);
        reasons.push(format!("Name {:.2} similar", floor2(e.name)));
    }
    for (label, loose) in &e.identifiers {
        weights.push(IDENTIFIER);
        reasons.push(if *loose {
            format!("{} matches", capitalised(label))
        } else {
            format!("{} equal", capitalised(label))
        });
    }
    if let Some(reason) = &e.ancestor {
        weights.push(ANCESTOR);
        reasons.push(reason.clone());
    }
    let miss: f64 = weights.iter().map(|w| 1.0 - w).product();
    (((1.0 - miss) * 1000.0).round() / 1000.0, reasons)
}

/// The ancestor's reason: "Parent company is linked to this customer".
pub fn ancestor_reason(depth: usize, node_type: &str, name: &str) -> String {
    if depth == 1 {
        format!(
            "Parent {} is linked to this customer",
            node_type.to_lowercase()
        )
    } else {
        format!(
            "{} {name} above this node is linked to this customer",
            capitalised(node_type)
        )
    }
}

/// Name evidence of a candidate name against the node's normalised name.
pub fn name_evidence(node: &[String], candidate: &str) -> (f64, bool) {
    let other = normalize::name_tokens(candidate);
    let same = !node.is_empty() && other == node;
    (normalize::similarity(node, &other), same)
}

/// 0.929 shows as 0.92, never rounded up to a figure the names do not reach.
fn floor2(x: f64) -> f64 {
    // The epsilon keeps 0.29 (28.999… × 100 in binary) at 0.29.
    ((x * 100.0) + 1e-9).floor() / 100.0
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_strong_signal_is_shown_and_a_linked_ancestor_alone_is_not() {
        let exact = Evidence {
            same_name: true,
            name: 1.0,
            ..Default::default()
        };
        assert_eq!(score(&exact), (0.9, vec!["Name equal".to_owned()]));
        let ancestor = Evidence {
            ancestor: Some(ancestor_reason(1, "Company", "Acme")),
            ..Default::default()
        };
        let (s, reasons) = score(&ancestor);
        assert!(s < SHOWN_FROM);
        assert_eq!(reasons, vec!["Parent company is linked to this customer"]);
        let both = Evidence {
            name: 0.93,
            identifiers: vec![("serial number".into(), false), ("DID".into(), true)],
            ..Default::default()
        };
        let (s, reasons) = score(&both);
        assert!(s > 0.99 && s <= 1.0, "{s}");
        assert_eq!(
            reasons,
            vec!["Name 0.93 similar", "Serial number equal", "DID matches"]
        );
    }
}
