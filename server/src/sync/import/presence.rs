//! Which nodes a pass found upstream, kept in memory instead of being written row by row: an
//! unchanged node then costs the import no write at all, and the deletions after a complete
//! pass are the live nodes missing from here. Numeric external ids (all of ConnectWise's and
//! Syncro's) take 8 bytes each, so a million nodes cost about 8 MB.

use std::collections::{HashMap, HashSet};

#[derive(Default)]
pub struct Presence {
    by_type: HashMap<String, Ids>,
}

enum Ids {
    /// Sorted and deduplicated on `seal`, searched by bisection.
    Numbers(Vec<i64>),
    Text(HashSet<String>),
}

impl Default for Ids {
    fn default() -> Self {
        Ids::Numbers(Vec::new())
    }
}

impl Presence {
    pub fn add(&mut self, node_type: &str, external_id: &str) {
        let ids = match self.by_type.get_mut(node_type) {
            Some(ids) => ids,
            None => self.by_type.entry(node_type.to_owned()).or_default(),
        };
        match (ids, external_id.parse::<i64>()) {
            (Ids::Numbers(numbers), Ok(n)) => numbers.push(n),
            (Ids::Text(text), _) => {
                text.insert(external_id.to_owned());
            }
            (ids @ Ids::Numbers(_), Err(_)) => {
                // One id that is not a number: this type keeps text from now on.
                let Ids::Numbers(numbers) = std::mem::take(ids) else {
                    return;
                };
                let mut text: HashSet<String> = numbers.iter().map(i64::to_string).collect();
                text.insert(external_id.to_owned());
                *ids = Ids::Text(text);
            }
        }
    }

    /// Sorts what arrived; call once the pass is over, before `contains` and `len`.
    pub fn seal(&mut self) {
        for ids in self.by_type.values_mut() {
            if let Ids::Numbers(numbers) = ids {
                numbers.sort_unstable();
                numbers.dedup();
            }
        }
    }

    pub fn contains(&self, node_type: &str, external_id: &str) -> bool {
        match self.by_type.get(node_type) {
            Some(Ids::Numbers(numbers)) => external_id
                .parse::<i64>()
                .is_ok_and(|n| numbers.binary_search(&n).is_ok()),
            Some(Ids::Text(text)) => text.contains(external_id),
            None => false,
        }
    }

    /// Distinct nodes found (after `seal`).
    pub fn len(&self) -> i64 {
        self.by_type
            .values()
            .map(|ids| match ids {
                Ids::Numbers(n) => n.len(),
                Ids::Text(t) => t.len(),
            })
            .sum::<usize>() as i64
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
        p.seal();
        assert_eq!(p.len(), 6);
        assert!(p.contains("Company", "2") && !p.contains("Company", "4"));
        assert!(p.contains("Site", "7") && p.contains("Site", "x7"));
        assert!(p.contains("Group", "sp1/g1") && !p.contains("Contact", "1"));
    }
}
