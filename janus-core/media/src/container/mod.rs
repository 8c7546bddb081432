//! Media files: Opus in Ogg and VP8 in IVF, read at their own pace and
//! written from what a PeerConnection receives.

mod ivf;
mod ogg_opus;
mod opus;

use std::time::Duration;

pub use ivf::{is_vp8_key_frame, vp8_key_frame_size, IvfHeader, IvfReader, IvfWriter};
pub use ogg_opus::{OggOpusReader, OggOpusWriter};
pub use opus::packet_samples as opus_packet_samples;

/// One encoded frame of a file, at its time from the file's start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    /// When it plays, from the start of the stream.
    pub at: Duration,
    /// The encoded frame (one Opus packet, one VP8 frame).
    pub data: Vec<u8>,
}
