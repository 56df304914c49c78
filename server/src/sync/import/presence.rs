//! Which nodes a pass found upstream, kept in memory instead of being written row by row: an
//! unchanged node then costs the import no write at all, and the deletions after a complete
//! pass are the live nodes missing from here. Numeric external ids (all of ConnectWise's and
//! Syncro's) take 8 bytes each, so a million nodes cost about 8 MB.

use std::collections::{HashMap, HashSet};

#[derive(Default)]
pub struct Presence {
    by_type: HashMap<String, Ids>,
}

/// A set of one type's external ids: numbers while every id is one, else text.
pub(super) enum Ids {
    /// Sorted and deduplicated on `seal`, searched by bisection.
    Numbers(Vec<i64>),
    Text(HashSet<String>),
}

impl Default for Ids {
    fn default() -> Self {
        Ids::Numbers(Vec::new())
    }
}

/// `external_id` as a number, if it is one written the one way `i64::to_string` writes it
/// (`"007"` and `"+7"` are other ids than `"7"`, and stay text).
fn number(external_id: &str) -> Option<i64> {
    let digits = external_id.strip_prefix('-').unwrap_or(external_id);
    if (digits.starts_with('0') && digits != "0") || external_id == "-0" {
        return None;
    }
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        external_id.parse().ok()
    } else {
        None
    }
}

impl Ids {
    pub(super) fn add(&mut self, external_id: &str) {
        match (&mut *self, number(external_id)) {
            (Ids::Numbers(numbers), Some(n)) => numbers.push(n),
            (Ids::Text(text), _) => {
                text.insert(external_id.to_owned());
            }
            (Ids::Numbers(numbers), None) => {
                // One id that is not a number: this set keeps text from now on.
                let mut text: HashSet<String> = numbers.iter().map(i64::to_string).collect();
                text.insert(external_id.to_owned());
                *self = Ids::Text(text);
            }
        }
    }

    /// Sorts what was added; call before `contains` and `len`.
    pub(super) fn seal(&mut self) {
        if let Ids::Numbers(numbers) = self {
            numbers.sort_unstable();
            numbers.dedup();
        }
    }

    pub(super) fn contains(&self, external_id: &str) -> bool {
        match self {
            Ids::Numbers(numbers) => {
                number(external_id).is_some_and(|n| numbers.binary_search(&n).is_ok())
            }
            Ids::Text(text) => text.contains(external_id),
        }
    }

    /// Every id, as text.
    pub(super) fn iter(&self) -> Box<dyn Iterator<Item = String> + '_> {
        match self {
            Ids::Numbers(n) => Box::new(n.iter().map(i64::to_string)),
            Ids::Text(t) => Box::new(t.iter().cloned()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Ids::Numbers(n) => n.len(),
            Ids::Text(t) => t.len(),
        }
    }
}

impl Presence {
    pub fn add(&mut self, node_type: &str, external_id: &str) {
        let ids = match self.by_type.get_mut(node_type) {
            Some(ids) => ids,
            None => self.by_type.entry(node_type.to_owned()).or_default(),
        };
        ids.add(external_id);
    }

    /// Sorts what arrived; call once the pass is over, before `contains` and `len`.
    pub fn seal(&mut self) {
        self.by_type.values_mut().for_each(Ids::seal);
    }

    pub fn contains(&self, node_type: &str, external_id: &str) -> bool {
        self.by_type
            .get(node_type)
            .is_some_and(|ids| ids.contains(external_id))
    }

    /// Distinct nodes found (after `seal`).
    pub fn len(&self) -> i64 {
        self.by_type.values().map(Ids::len).sum::<usize>() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::Presence;

    #[test]
    fn numbers_and_text_ids_are_found_once() {
        let mut p = Presence::default();
        for id in ["3", "1", "3", "2"] {
            p.add("Company", id);
        }
        p.add("Group", "sp1/g1");
        p.add("Site", "7");
        p.add("Site", "x7");
        p.add("Contact", "007");
        p.add("Contact", "7");
        p.seal();
        assert_eq!(p.len(), 8);
        assert!(p.contains("Contact", "007") && p.contains("Contact", "7"));
        assert!(!p.contains("Contact", "+7") && !p.contains("Company", "02"));
        assert!(p.contains("Company", "2") && !p.contains("Company", "4"));
        assert!(p.contains("Site", "7") && p.contains("Site", "x7"));
        assert!(p.contains("Group", "sp1/g1") && !p.contains("Ticket", "1"));
    }
}
