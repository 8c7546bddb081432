//! The HTTP transport's POST replies and long polls, with the fuzzer as the
//! server: any exchange answered in any order, with real-shaped or arbitrary
//! bodies, any status, or a failure (`janus_sim::targets::http`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| janus_sim::targets::http(data));
