//! The search query language: what an analyst types in the search box or after `townhall search`.
//!
//! The language is documented for users in `docs/query-language.md`; [`parse`] turns text into a
//! [`Query`] or a [`ParseError`] that points at the offending position.

mod ast;
mod parser;

pub use ast::{Cmp, FieldFilter, Query};
pub use parser::{parse, time_bound, ParseError};
