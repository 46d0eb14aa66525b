//! townhall-app
