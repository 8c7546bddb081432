//! The EchoTest plugin (`janus.plugin.echotest`): sends back whatever media
//! a peer sends it, for testing a PeerConnection end to end.
//!
//! It has a single request, [`Configure`], with no request name: every
//! message tunes the echo (which media to send back, a bitrate cap,
//! recording, simulcast layers). Each message is answered asynchronously
//! with a [`Event::Result`] of [`Status::Ok`] (carrying the SDP answer when
//! the message carried an offer); [`Status::Done`] follows when the
//! PeerConnection goes away.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    error_codes, plugin_struct, read_with_from_data, requests, typed, ErrorEvent, SlowLinkEvent,
};

/// The plugin's package name, the value to `attach` to.
pub const PLUGIN: &str = "janus.plugin.echotest";

super::plugin!(
    /// The EchoTest plugin, for `attach_as` and typed events.
    EchoTest
);

plugin_struct! {
    /// The one EchoTest request: every field is optional and changes one aspect
    /// of the echo; an empty one is valid (it only acknowledges, or negotiates
    /// when it carries a JSEP offer).
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct Configure {
    }
    set {
        /// Whether to echo the audio back.
        audio: bool,
        /// Whether to echo the video back.
        video: bool,
        /// A cap for the video bitrate the peer sends, in bits per second
        /// (announced to the peer with REMB).
        bitrate: u64,
        /// Whether to record the session to files on the server.
        record: bool,
        /// The base path of the recordings when `record` is set.
        filename: String,
        /// Simulcast: the substream (0 low, 1 medium, 2 high) to echo back.
        substream: u8,
        /// Simulcast: the temporal layer to echo back.
        temporal: u8,
        /// Simulcast: how long (in microseconds) without packets of a substream
        /// before falling back to a lower one.
        fallback: u64,
        /// The audio codec to prefer when Janus negotiates (e.g. `opus`).
        audiocodec: String,
        /// The video codec to prefer when Janus negotiates (e.g. `vp8`).
        videocodec: String,
        /// The codec profile to prefer (VP9 profile or H.264 profile-level-id).
        videoprofile: String,
        /// Whether to negotiate Opus redundancy (RED).
        opusred: bool,
        /// The minimum playout delay to ask of the peer, in tens of ms (the
        /// playout-delay RTP extension).
        min_delay: i64,
        /// The maximum playout delay to ask of the peer, in tens of ms.
        max_delay: i64,
    }
}

impl Configure {
    /// An empty request; add what to change with the setters.
    pub fn new() -> Configure {
        Configure::default()
    }
}

requests!(PLUGIN; Configure => Event,);

/// Where the echo stands, in a [`ResultEvent`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The request was applied.
    Ok,
    /// The PeerConnection ended (after a hangup or a media failure).
    Done,
}

plugin_struct! {
    /// `{"echotest": "event", "result": "ok" | "done"}`.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct ResultEvent {
        /// Whether a request was applied or the PeerConnection ended.
        pub result: Status,
    }
    extra: extra
}

plugin_struct! {
    /// A simulcast layer change: the echo moved to another substream or
    /// temporal layer (after a request, or falling back on its own).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct LayerEvent {
        /// The video codec of the simulcast stream.
        pub videocodec: String,
    }
    opt {
        /// The substream now echoed back, when that changed.
        substream: u8,
        /// The temporal layer now echoed back, when that changed.
        temporal: u8,
    }
    extra: extra
}

/// Everything EchoTest sends in `plugindata.data`, as the answer to a
/// request or on its own.
///
/// Deserializing never fails: what this version does not know lands in
/// [`Event::Other`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Event {
    /// A request was applied, or the PeerConnection ended.
    Result(ResultEvent),
    /// The plugin refused a request (see [`ErrorCode`]).
    Error(ErrorEvent),
    /// The simulcast substream or temporal layer echoed back changed.
    Layer(LayerEvent),
    /// The peer is losing packets.
    SlowLink(SlowLinkEvent),
    /// An event this version does not know, as it came.
    Other(Value),
}

impl Event {
    /// Reads one `plugindata.data` object; never fails.
    pub fn from_data(data: Value) -> Event {
        let event = if data.get("error_code").is_some() {
            typed(&data, Event::Error)
        } else if data.get("result").is_some() {
            typed(&data, Event::Result)
        } else if data.get("event").and_then(Value::as_str) == Some("slow_link") {
            typed(&data, Event::SlowLink)
        } else if data.get("substream").is_some() || data.get("temporal").is_some() {
            typed(&data, Event::Layer)
        } else {
            None
        };
        event.unwrap_or(Event::Other(data))
    }
}

read_with_from_data!(Event);

error_codes!(
    /// EchoTest's error codes (`error_code` in `plugindata.data`).
    ErrorCode {
        /// The message had no body.
        NoMessage = 411,
        /// The body was not a JSON object.
        InvalidJson = 412,
        /// A field had the wrong type or value.
        InvalidElement = 413,
        /// The SDP could not be parsed or answered.
        InvalidSdp = 414,
    }
);
