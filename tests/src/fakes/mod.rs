//! HTTP fakes of the providers, following ../shared/upstream (see docs/CONNECTORS.md §4):
//! real paths, auth, paging, error bodies, and faults a test can switch on. They run on
//! 127.0.0.1 in-process for tests, and in the `fake-providers` binary for the demo and the
//! benchmarks. Data is generated from indexes on demand, so a fake of a million records costs
//! no memory.

pub mod connectwise;
pub mod faults;

pub use faults::Faults;
