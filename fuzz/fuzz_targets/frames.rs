//! Arbitrary bytes as inbound WebSocket frames and HTTP bodies: the engine
//! must never panic, and must keep its tracked state intact
//! (`janus_sim::targets::frames`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| janus_sim::targets::frames(data));
