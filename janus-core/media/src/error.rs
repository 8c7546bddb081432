//! What can go wrong with media.

/// A media failure: each message says what happened and what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MediaError {
    /// The SDP could not be read or does not fit this PeerConnection.
    #[error("the SDP was refused: {0}")]
    Sdp(String),
    /// A JSEP of the wrong type for this step (e.g. an offer where an
    /// answer is awaited).
    #[error("{0}")]
    Negotiation(String),
    /// A trickled ICE candidate could not be read.
    #[error("a trickled ICE candidate was refused: {0}")]
    Candidate(String),
    /// No negotiated track can carry this: negotiate a track of this kind
    /// (with a direction that sends) first.
    #[error("no negotiated {0} track sends; offer one (Tracks::audio/video) before writing")]
    NoTrack(&'static str),
    /// The track's negotiated codecs do not include the one asked for.
    #[error("the {kind} track did not negotiate {codec}; the peer accepted {accepted}")]
    Codec {
        /// The track kind.
        kind: &'static str,
        /// The codec asked for.
        codec: String,
        /// The codecs negotiated.
        accepted: String,
    },
    /// No data channel with this label is open.
    #[error("no open data channel is labelled {0:?}; wait for ChannelOpen, or offer one")]
    NoChannel(String),
    /// The PeerConnection has ended; make a new one.
    #[error("the PeerConnection has ended ({0}); negotiate a new one")]
    Ended(String),
    /// A media file is malformed or of the wrong kind.
    #[error("{0}")]
    Container(String),
    /// Reading or writing a file failed.
    #[error("media file I/O failed: {0}")]
    Io(#[from] std::io::Error),
    /// The WebRTC stack refused the operation.
    #[error("WebRTC: {0}")]
    Rtc(String),
}

impl From<str0m::RtcError> for MediaError {
    fn from(e: str0m::RtcError) -> Self {
        MediaError::Rtc(e.to_string())
    }
}
