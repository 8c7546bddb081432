//! Arbitrary bytes as the media crate's inputs from others: IVF and Ogg
//! files, Janus's SDP answer, trickled candidates, datagrams
//! (`janus_sim::targets::media`). Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| janus_sim::targets::media(data));
