//! The engine against the simulated Janus, driven by arbitrary operations,
//! forged frames, closes, faults and clock jumps, with every lifecycle
//! invariant checked after every step (`janus_sim::targets::lifecycle`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| janus_sim::targets::lifecycle(data));
