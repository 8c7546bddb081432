//! The NoSIP plugin (`janus.plugin.nosip`): the media half of a SIP
//! gateway without the signalling. It turns a WebRTC peer's SDP into a
//! plain RTP SDP ([`Generate`]) and back ([`Process`]), and relays the
//! media; the application carries the plain SDP over whatever signalling
//! it likes.
//!
//! Answers have the shape `{"nosip": "event", "result": {"event": ...}}`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ErrorEvent;
use super::{bare_request, error_codes, plugin_struct, read_with_from_data, requests, typed};

/// The plugin's package name, the value to `attach` to.
pub const PLUGIN: &str = "janus.plugin.nosip";

super::plugin!(
    /// The NoSIP plugin, for `attach_as` and typed events.
    NoSip
);

plugin_struct! {
    /// Turns the WebRTC peer's SDP (the message's JSEP, offer or answer)
    /// into a plain RTP one. Answered by [`Event::Generated`] with it.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "generate")]
    pub struct Generate {
    }
    set {
        /// Any text for the application (Janus 1.1.2 does not send it back
        /// in the `generated` event).
        info: String,
        /// `sdes_optional` or `sdes_mandatory` to offer SRTP on the plain
        /// side.
        srtp: String,
        /// The SRTP profile to offer.
        srtp_profile: String,
        /// Whether this renegotiates the session.
        update: bool,
    }
}

impl Generate {
    /// A plain generate; add options with the setters.
    pub fn new() -> Generate {
        Generate::default()
    }
}

plugin_struct! {
    /// Turns the other side's plain RTP SDP into a WebRTC one for the peer
    /// (sent as the answer's JSEP). Answered by [`Event::Processed`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "process")]
    pub struct Process {
        /// `offer` or `answer`: what the plain SDP is.
        #[serde(rename = "type")]
        pub sdp_type: String,
        /// The plain RTP SDP.
        pub sdp: String,
    }
    set {
        /// Any text for the application.
        info: String,
        /// `sdes_optional` or `sdes_mandatory` to require SRTP.
        srtp: String,
        /// Whether this renegotiates the session.
        update: bool,
    }
}

impl Process {
    /// Processes `sdp`, an `offer` or `answer`.
    pub fn new(sdp_type: impl Into<String>, sdp: impl Into<String>) -> Process {
        Process {
            sdp_type: sdp_type.into(),
            sdp: sdp.into(),
            info: None,
            srtp: None,
            update: None,
        }
    }
}

bare_request!(
    /// Ends the session's media. Answered by a `hangingup` event.
    Hangup = "hangup"
);

plugin_struct! {
    /// Starts or stops recording the session's media. Answered by a
    /// `recordingupdated` event.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "recording")]
    pub struct Recording {
        /// `start` or `stop`.
        pub action: String,
    }
    set {
        /// Whether to record the peer's audio.
        audio: bool,
        /// Whether to record the peer's video.
        video: bool,
        /// Whether to record the other side's audio.
        peer_audio: bool,
        /// Whether to record the other side's video.
        peer_video: bool,
        /// The base name of the recordings.
        filename: String,
    }
}

impl Recording {
    /// `start` or `stop` recording; pick the media with the setters.
    pub fn new(action: impl Into<String>) -> Recording {
        Recording {
            action: action.into(),
            audio: None,
            video: None,
            peer_audio: None,
            peer_video: None,
            filename: None,
        }
    }
}

plugin_struct! {
    /// The `result` of an event.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct NoSipResult {
        /// What happened (`generated`, `processed`, `hangingup`, `hangup`,
        /// `recordingupdated`).
        pub event: String,
    }
    opt {
        /// For `generated`: `offer` or `answer`.
        #[serde(rename = "type")]
        sdp_type: String,
        /// For `generated`: the plain RTP SDP.
        sdp: String,
        /// Why the media ended.
        reason: String,
    }
    extra: extra
}

plugin_struct! {
    /// `{"nosip": "event", "result": {...}}`.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct ResultEvent {
        /// What happened.
        pub result: NoSipResult,
    }
    extra: extra
}

/// Everything NoSIP sends in `plugindata.data` on a handle.
///
/// Deserializing never fails: results without a variant of their own land
/// in [`Event::Result`], anything else in [`Event::Other`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Event {
    /// The plain RTP SDP, the answer to [`Generate`].
    Generated(ResultEvent),
    /// The answer to [`Process`] (the WebRTC SDP is the JSEP).
    Processed(ResultEvent),
    /// The answer to [`Hangup`].
    HangingUp(ResultEvent),
    /// The media ended.
    Hangup(ResultEvent),
    /// The answer to [`Recording`].
    RecordingUpdated(ResultEvent),
    /// Any other result.
    Result(ResultEvent),
    /// The plugin refused a request (see [`ErrorCode`]).
    Error(ErrorEvent),
    /// An event this version does not know, as it came.
    Other(Value),
}

impl Event {
    /// Reads one `plugindata.data` object; never fails.
    pub fn from_data(data: Value) -> Event {
        let event = if data.get("error_code").is_some() {
            typed(&data, Event::Error)
        } else {
            let wrap = match data["result"]["event"].as_str() {
                Some("generated") => Event::Generated,
                Some("processed") => Event::Processed,
                Some("hangingup") => Event::HangingUp,
                Some("hangup") => Event::Hangup,
                Some("recordingupdated") => Event::RecordingUpdated,
                _ => Event::Result,
            };
            typed(&data, wrap)
        };
        event.unwrap_or(Event::Other(data))
    }
}

read_with_from_data!(Event);

requests!(PLUGIN;
    Generate => Event,
    Process => Event,
    Hangup => Event,
    Recording => Event,
);

error_codes!(
    /// NoSIP's error codes (`error_code` in `plugindata.data`).
    ErrorCode {
        /// The message had no body.
        NoMessage = 440,
        /// The body was not valid JSON.
        InvalidJson = 441,
        /// The request is unknown.
        InvalidRequest = 442,
        /// A required field is missing.
        MissingElement = 443,
        /// A field has the wrong type or value.
        InvalidElement = 444,
        /// The request does not fit the session's state.
        WrongState = 445,
        /// The request needs an SDP and came without.
        MissingSdp = 446,
        /// The SDP could not be used.
        InvalidSdp = 447,
        /// A socket or file could not be used.
        IoError = 448,
        /// A recording could not be started.
        RecordingError = 449,
        /// The SRTP requirements of the two sides do not match.
        TooStrict = 450,
        /// Anything else.
        UnknownError = 499,
    }
);
