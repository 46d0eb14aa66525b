//! One module per source format.

pub mod bluesky;
pub mod congress;
pub mod feed;
pub mod generic;
pub mod json_shapes;
pub mod mastodon;
pub mod public_replies;
pub mod regulations;
pub mod x_archive;
