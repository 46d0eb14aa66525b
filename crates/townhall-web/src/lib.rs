//! townhall-web
