//! The query parser on arbitrary UTF-8: it must never panic, errors must point inside the input,
//! and whatever parses must print to text that parses back to the same tree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use townhall_core::query::parse;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    match parse(input) {
        Ok(query) => {
            let printed = query.to_string();
            match parse(&printed) {
                Ok(reparsed) => assert_eq!(reparsed, query, "{input:?} printed as {printed:?}"),
                // Printing may lengthen a query (`-a` → `NOT a`) or add parentheses around a
                // negated multi-word item, so a query at a limit may print past it.
                Err(error) => assert!(
                    error.message.contains("too long")
                        || error.message.contains("nests too deeply"),
                    "{input:?} printed as {printed:?} does not parse: {error}"
                ),
            }
        }
        Err(error) => {
            assert!(error.position <= input.chars().count(), "{error:?}");
            let _ = error.pointer(input);
        }
    }
});
