//! The one integration test binary: one module per feature.

// Test code fails by panicking: unwrap and expect are how it says what broke.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod activity;
mod audit;
mod auth;
mod billing;
mod broadworks;
mod browser;
mod cli;
mod contract;
mod database;
mod dictionary;
mod dictionary_dont_sync;
mod dictionary_edits;
mod dictionary_internal;
mod dictionary_values;
mod fakes;
mod field_sync;
mod first_import;
mod import;
mod import_records;
mod incremental;
mod links;
mod nodes;
mod plans;
mod queue;
mod recommend;
mod reconciliation;
mod resume;
mod rules;
mod shared_events;
mod source_api;
mod source_records;
mod sources;
mod syncro;
mod tenancy;
mod ticket_events;
mod tickets;
mod undo;
mod upstream;
mod webhooks;
mod webhooks_syncro;
mod websocket;
mod write_back;
mod write_back_syncro;
