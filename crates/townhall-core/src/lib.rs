//! Townhall's domain: the types every other crate speaks, and the search query language.
//!
//! This crate does no I/O and must never depend on tokio, SQL drivers, HTTP or the network
//! (checked in `.ci/run` with `cargo tree`).

pub mod access;
pub mod analysis;
pub mod post;
pub mod query;

pub use access::{Permission, Role, UnknownRole};
pub use analysis::{Analysis, PersonalDataKind, PersonalDataMatch, Sentiment};
pub use post::{
    cap_text, AuthorRef, Channel, ChannelKey, ChannelKind, ChannelSettings, Engagement,
    IncomingPost, PostKind, StoredPost, MAX_TEXT_BYTES,
};
