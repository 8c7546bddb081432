//! What a PeerConnection reports: its events, its one ending, and what
//! the caller must do next.

use std::net::SocketAddr;
use std::time::Instant;

use str0m::media::{Direction, MediaKind, Mid};

use crate::Frame;

/// Why a PeerConnection ended. Reported once, as the last event.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MediaEnd {
    /// [`PeerConnection::close`](super::PeerConnection::close) was called (hangup, detach, drop).
    Closed,
    /// The peer closed DTLS or the SCTP association.
    RemoteClosed,
    /// Janus hung the PeerConnection up (its `hangup` event), with its reason.
    Hangup(String),
    /// ICE and DTLS did not connect within the connect timeout.
    IceFailed,
    /// Connectivity checks stopped being answered after the connection was up.
    IceDisconnected,
    /// The handle ended (detached, its session gone), with its reason.
    HandleEnded(String),
    /// The WebRTC stack failed.
    Error(String),
}

impl std::fmt::Display for MediaEnd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MediaEnd::Closed => f.write_str("closed by this side"),
            MediaEnd::RemoteClosed => f.write_str("closed by the peer"),
            MediaEnd::Hangup(reason) => write!(f, "hung up by Janus: {reason}"),
            MediaEnd::IceFailed => f.write_str("ICE/DTLS did not connect in time"),
            MediaEnd::IceDisconnected => f.write_str("ICE connectivity was lost"),
            MediaEnd::HandleEnded(reason) => write!(f, "the handle ended: {reason}"),
            MediaEnd::Error(e) => write!(f, "WebRTC error: {e}"),
        }
    }
}

/// What a PeerConnection reports.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum MediaEvent {
    /// ICE and DTLS are up: media flows from here on (file playback starts).
    Connected,
    /// The peer's SDP added a track (for offers from Janus: a subscription,
    /// a mountpoint).
    Track {
        /// Its mid.
        mid: Mid,
        /// Audio or video.
        kind: MediaKind,
        /// Its direction, from this side's point of view.
        direction: Direction,
    },
    /// A received frame (one not taken by a recording).
    Frame(Frame),
    /// The peer asks for a key frame on a track this side sends.
    KeyframeRequest {
        /// The track.
        mid: Mid,
    },
    /// A data channel opened.
    ChannelOpen {
        /// Its label.
        label: String,
    },
    /// A data channel message arrived.
    ChannelMessage {
        /// The channel's label.
        label: String,
        /// The payload.
        data: Vec<u8>,
        /// Whether it was sent as binary (else UTF-8 text).
        binary: bool,
    },
    /// A data channel closed.
    ChannelClose {
        /// Its label.
        label: String,
    },
    /// A played source ran out; `sent` frames were sent from it.
    PlaybackEnded {
        /// The track's kind.
        kind: MediaKind,
        /// Frames sent.
        sent: u64,
    },
    /// The PeerConnection ended; nothing follows.
    Ended(MediaEnd),
}

/// What to do next, from [`PeerConnection::poll_output`](super::PeerConnection::poll_output).
#[derive(Debug, PartialEq)]
pub enum Output {
    /// Send `data` in one UDP datagram to `to`.
    Transmit {
        /// The destination.
        to: SocketAddr,
        /// The datagram.
        data: Vec<u8>,
    },
    /// Something happened.
    Event(MediaEvent),
    /// Nothing more until this instant (or new input):
    /// call [`PeerConnection::handle_timeout`](super::PeerConnection::handle_timeout) then.
    Timeout(Instant),
}
