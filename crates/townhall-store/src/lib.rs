//! townhall-store
