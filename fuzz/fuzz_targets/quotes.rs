#![no_main]
//! Fuzz target `quotes`: see `tests/fuzz_checks/mod.rs` for what it runs and asserts.

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/fuzz_checks/mod.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::quotes(data));
