//! The fake's data as one request sees it: the records of each entity, derived from the company
//! index, plus the companies tests added and the records they deleted or touched; and a record
//! as served, with upstream edits laid over it.

use super::lists::Conditions;
use super::records::{first_made_after, made_at, record_of, Change};
use super::{Config, Fake};
use crate::fakes::faults::Faults;
use chrono::Utc;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Entity {
    Company,
    Site,
    Contact,
    Configuration,
    Agreement,
}

impl Entity {
    pub(super) fn key(self) -> &'static str {
        match self {
            Entity::Company => "companies",
            Entity::Site => "sites",
            Entity::Contact => "contacts",
            Entity::Configuration => "configurations",
            Entity::Agreement => "agreements",
        }
    }

    pub(super) fn max_id(self, companies: u64) -> u64 {
        match self {
            Entity::Company | Entity::Site | Entity::Agreement => companies,
            Entity::Contact => companies * 2,
            Entity::Configuration => companies * 5,
        }
    }

    /// The company a record belongs to.
    pub(super) fn company_of(self, id: u64) -> u64 {
        match self {
            Entity::Company | Entity::Site | Entity::Agreement => id,
            Entity::Contact => id.div_ceil(2),
            Entity::Configuration => id.div_ceil(5),
        }
    }
}

impl Fake {
    /// The data as it stands for one request.
    pub(super) fn view(&self) -> View<'_> {
        let added = self.faults.added();
        View {
            config: &self.config,
            faults: &self.faults,
            companies: self.config.companies + added.len() as u64,
            added,
            quiet: self.faults.is_quiet(),
        }
    }
}

/// The fake's data for one request: the starting companies plus those added since.
pub(super) struct View<'a> {
    pub(super) config: &'a Config,
    pub(super) faults: &'a Faults,
    pub(super) companies: u64,
    pub(super) added: Vec<chrono::DateTime<Utc>>,
    /// Nothing deleted, touched or edited when the request began: records need no lookup of
    /// their own (a large list is thousands of them, each a lock and a key otherwise).
    pub(super) quiet: bool,
}

impl View<'_> {
    pub(super) fn exists(&self, entity: Entity, id: u64) -> bool {
        if id == 0
            || id > entity.max_id(self.companies)
            || (!self.quiet && self.faults.is_deleted(&format!("{}/{id}", entity.key())))
        {
            return false;
        }
        let company = entity.company_of(id);
        if entity != Entity::Company
            && !self.quiet
            && self.faults.is_deleted(&format!("companies/{company}"))
        {
            return false;
        }
        match entity {
            Entity::Contact | Entity::Configuration => !company.is_multiple_of(50),
            Entity::Agreement => company.is_multiple_of(4),
            _ => true,
        }
    }

    /// When a record last changed: touched, else added with its company, else its starting
    /// moment.
    pub(super) fn change(&self, entity: Entity, id: u64) -> Change {
        if !self.quiet {
            let key = format!("{}/{id}", entity.key());
            // An edit (a test's, or a PATCH) is a change like a touch: the later of the two
            // counts.
            let touched = self
                .faults
                .touched(&key)
                .into_iter()
                .chain(self.faults.edits.edited_at(&key))
                .max();
            if let Some(at) = touched {
                return Change { at, touched: true };
            }
        }
        let company = entity.company_of(id);
        let at = match company.checked_sub(self.config.companies + 1) {
            Some(i) => self
                .added
                .get(i as usize)
                .copied()
                .unwrap_or_else(|| made_at(id)),
            None => made_at(id),
        };
        Change { at, touched: false }
    }

    pub(super) fn matches(
        &self,
        entity: Entity,
        id: u64,
        c: &Conditions,
        company: Option<u64>,
    ) -> bool {
        id > c.min_id
            && c.max_id.is_none_or(|m| id <= m)
            && c.exact.is_none_or(|e| e == id)
            && c.among.as_ref().is_none_or(|ids| ids.contains(&id))
            && company
                .or(c.company)
                .is_none_or(|co| entity.company_of(id) == co)
            && c.updated_after
                .is_none_or(|t| self.change(entity, id).at > t)
            && self.exists(entity, id)
    }

    /// The ids worth testing against `c`, in id order: with `lastUpdated>[T]`, the starting
    /// records older than T are passed over, except those touched since.
    pub(super) fn candidates(
        &self,
        entity: Entity,
        c: &Conditions,
        company: Option<u64>,
    ) -> Box<dyn DoubleEndedIterator<Item = u64>> {
        let max = entity
            .max_id(self.companies)
            .min(c.max_id.unwrap_or(u64::MAX));
        // A company's sites share its id (one site each), so that list is O(1) per company.
        let (lo, hi) = match (company, entity) {
            (Some(co), Entity::Site) => (co.max(c.min_id + 1), co.min(max)),
            _ => (c.min_id + 1, max),
        };
        if let Some(ids) = &c.among {
            let mut ids: Vec<u64> = ids
                .iter()
                .copied()
                .filter(|id| (lo..=hi).contains(id))
                .collect();
            ids.sort_unstable();
            return Box::new(ids.into_iter());
        }
        // A range, not a list: a page of a large list would otherwise make a vector of every
        // id after it.
        let Some(t) = c.updated_after else {
            return Box::new(lo..=hi);
        };
        let from = first_made_after(t).max(lo);
        let mut early: Vec<u64> = self
            .faults
            .touched_ids(entity.key())
            .into_iter()
            .filter(|id| *id >= lo && *id < from && *id <= hi)
            .collect();
        early.sort_unstable();
        Box::new(early.into_iter().chain(from..=hi))
    }
}

/// A record as served now: generated, with the edits made upstream laid over it.
pub(super) fn served(fake: &View<'_>, entity: Entity, id: u64) -> Value {
    served_of(fake, entity, id, None)
}

/// `served`, made of only the `wanted` top-level fields when nothing was edited (an edit may
/// reach into any field, so an edited fake makes each record whole before it is narrowed).
pub(super) fn served_of(
    fake: &View<'_>,
    entity: Entity,
    id: u64,
    wanted: Option<&[&str]>,
) -> Value {
    let wanted = wanted.filter(|_| fake.quiet);
    let mut body = record_of(entity, id, fake.change(entity, id), wanted);
    if !fake.quiet {
        fake.faults
            .edits
            .overlay(&format!("{}/{id}", entity.key()), &mut body);
    }
    body
}
