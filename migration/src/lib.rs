//! Schema migrations of Switchboard. Every migration runs unchanged on SQLite and PostgreSQL;
//! the few backend-specific parts (partial indexes, substring search) are raw SQL chosen by
//! backend. `docs/DATA-MODEL.md` describes the resulting schema.
//!
//! Each migration runs in a transaction on both backends, and its name is its file name.

// `MigrationTrait` is an `async_trait` declared with `&SchemaManager`; an impl must elide the
// lifetime the same way, or its lifetimes no longer match the trait's.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::prelude::*;

mod util;

mod m20261123_000001_create_identity;
mod m20261123_000002_create_sources;
mod m20261123_000003_create_source_node_search;
mod m20261123_000004_create_billing;
mod m20261123_000005_create_dictionary;
mod m20261123_000006_create_links;
mod m20261123_000007_create_jobs;
mod m20261123_000008_create_history;
mod m20261123_000009_create_events;
mod m20261123_000010_node_linked_index;
mod m20261123_000011_create_service_match_keys;
mod m20261202_000012_webhook_event_payload;
mod m20261202_000014_links_by_job;
mod m20261202_000015_deleted_nodes_index;

/// Runs the migrations in order; `switchboard migrate` drives it.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_identity::Migration),
            Box::new(m20261123_000002_create_sources::Migration),
            Box::new(m20261123_000003_create_source_node_search::Migration),
            Box::new(m20261123_000004_create_billing::Migration),
            Box::new(m20261123_000005_create_dictionary::Migration),
            Box::new(m20261123_000006_create_links::Migration),
            Box::new(m20261123_000007_create_jobs::Migration),
            Box::new(m20261123_000008_create_history::Migration),
            Box::new(m20261123_000009_create_events::Migration),
            Box::new(m20261123_000010_node_linked_index::Migration),
            Box::new(m20261123_000011_create_service_match_keys::Migration),
            Box::new(m20261202_000012_webhook_event_payload::Migration),
            Box::new(m20261202_000014_links_by_job::Migration),
            Box::new(m20261202_000015_deleted_nodes_index::Migration),
        ]
    }
}
