//! Switchboard links the entities of other systems (telecom switches, PSAs) to the services a
//! provider bills for.
//!
//! # Layout
//! - `cli`: the `switchboard` command line (../shared/api/CLI.md); `main.rs` only calls it.
//! - `config`, `telemetry`, `startup`: settings, logging, binding and serving.
//! - `db`: connecting (SQLite WAL / PostgreSQL) and migrating under a lock.
//! - `crypto`: keys, sealed credentials, signed cursors.
//! - `auth`: login JWTs, API tokens, passwords → the `Viewer` every service is scoped by.
//! - `events`: change events for subscriptions, across processes (PostgreSQL NOTIFY).
//! - `error`: `ApiError`, whose variants are the contract's error codes.
//! - `services`: the domain operations, free of GraphQL.
//! - `graphql`: the schema (`build_schema`), one file per domain, loaders, ids, connections.
//! - `http`: /graphql over HTTP and WebSocket, /health, the web app.
//! - `sync`: the job queue, workers and scheduler of the sync engine.
//! - `connectors`: one HTTP client per provider, turning its records into nodes.
//! - `providers`: the static catalog of providers, node types and credential keys.
//! - `upstream_url`: which upstream addresses a source may use.
//! - `webhooks`: webhooks in (ConnectWise callbacks, Syncro notifications), the catch-up poll.
//! - `demo`: the demo organization of the README's run command.

pub mod auth;
pub mod cli;
pub mod config;
pub mod connectors;
pub mod crypto;
pub mod db;
pub mod demo;
pub mod error;
pub mod events;
pub mod graphql;
pub mod http;
pub mod providers;
pub mod services;
pub mod startup;
pub mod state;
pub mod sync;
pub mod telemetry;
pub mod upstream_url;
pub mod webhooks;
