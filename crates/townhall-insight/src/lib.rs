//! The insight engine: pure functions over the facts of stored, analyzed posts (no I/O).
//! Storage loads the facts; the app layer asks the questions; the web and CLI layers show the answers.
//!
//! Every figure carries a way back to the posts behind it: a `drill` query in the search language,
//! or post ids.

pub mod communities;
pub mod communities_report;
pub mod corpus;
pub mod engagement;
pub mod intern;
pub mod languages;
pub mod mood;
pub mod presence;
pub mod report;
pub mod selection;
pub mod spikes;
pub mod stats;
pub mod topic_cache;
pub mod topics;
pub mod trend;
pub mod vocabulary;

pub use corpus::{Corpus, PostFact, PostIx};
pub use selection::Scope;
