//! One component per client route (the route table is in `crate::app`).

pub mod dictionary;
pub mod jobs;
pub mod login;
pub mod not_found;
pub mod plan;
pub mod report;
pub mod rules;
pub mod services;
pub mod settings;
pub mod source_form;
pub mod source_view;
pub mod sources;
pub mod tickets;
