//! A received frame.

use std::sync::Arc;
use std::time::{Duration, Instant};

use str0m::format::Codec;
use str0m::media::{MediaKind, Mid};

/// One received encoded frame (an Opus packet, a VP8 frame), depacketized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The track's mid.
    pub mid: Mid,
    /// Audio or video.
    pub kind: MediaKind,
    /// Its codec.
    pub codec: Codec,
    /// Its RTP timestamp, unwrapped, in units of `1 / clock_rate` s.
    pub rtp_time: u64,
    /// The RTP clock rate (48000 for Opus, 90000 for video).
    pub clock_rate: u32,
    /// When its first packet arrived.
    pub network_time: Instant,
    /// `false` when packets were lost just before it (video may need a key
    /// frame).
    pub contiguous: bool,
    /// The encoded frame (shared, so it can be forwarded without a copy).
    pub data: Arc<[u8]>,
}

impl Frame {
    /// Its RTP time as a duration (from an arbitrary origin).
    pub fn time(&self) -> Duration {
        Duration::from_micros(
            (u128::from(self.rtp_time) * 1_000_000 / u128::from(self.clock_rate.max(1))) as u64,
        )
    }
}
