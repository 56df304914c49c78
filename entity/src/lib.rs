//! sea-orm entities of Switchboard: one module per table, declarations only.
//!
//! The schema itself is created by the `migration` crate; `docs/DATA-MODEL.md` describes it.
//! Enumerations live in [`enums`], the entity aliases in [`prelude`].

pub mod enums;
pub mod prelude;

pub mod api_token;
pub mod audit_log;
pub mod customer;
pub mod field_change;
pub mod field_mapping;
pub mod internal_value;
pub mod link;
pub mod login_throttle;
pub mod organization;
pub mod package;
pub mod psa_metadata;
pub mod service;
pub mod service_field_value;
pub mod service_match_key;
pub mod service_type;
pub mod service_type_field;
pub mod source;
pub mod source_node;
pub mod sync_job;
pub mod sync_log;
pub mod sync_plan;
pub mod sync_plan_change;
pub mod sync_rule;
pub mod ticket_mark;
pub mod type_mapping;
pub mod user;
pub mod value_mapping;
pub mod webhook_event;
