//! The EchoTest plugin (`janus.plugin.echotest`): sends back whatever media
//! a peer sends it, for testing a PeerConnection end to end.
//!
//! It has a single request, [`Configure`], with no request name: every
//! message tunes the echo (which media to send back, a bitrate cap,
//! recording, simulcast layers). Each message is answered asynchronously
//! with a [`Event::Result`] of [`Status::Ok`] (carrying the SDP answer when
//! the message carried an offer); [`Status::Done`] follows when the
//! PeerConnection goes away.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::{error_codes, requests, setters, typed, ErrorEvent};

/// The plugin's package name, the value to `attach` to.
pub const PLUGIN: &str = "janus.plugin.echotest";

/// The one EchoTest request: every field is optional and changes one aspect
/// of the echo; an empty one is valid (it only acknowledges, or negotiates
/// when it carries a JSEP offer).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Configure {
    /// Whether to echo the audio back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<bool>,
    /// Whether to echo the video back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<bool>,
    /// A cap for the video bitrate the peer sends, in bits per second
    /// (announced to the peer with REMB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bitrate: Option<u64>,
    /// Whether to record the session to files on the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<bool>,
    /// The base path of the recordings when `record` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Simulcast: the substream (0 low, 1 medium, 2 high) to echo back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub substream: Option<u8>,
    /// Simulcast: the temporal layer to echo back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporal: Option<u8>,
    /// Simulcast: how long (in microseconds) without packets of a substream
    /// before falling back to a lower one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<u64>,
    /// The audio codec to prefer when Janus negotiates (e.g. `opus`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audiocodec: Option<String>,
    /// The video codec to prefer when Janus negotiates (e.g. `vp8`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub videocodec: Option<String>,
    /// The codec profile to prefer (VP9 profile or H.264 profile-level-id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub videoprofile: Option<String>,
    /// Whether to negotiate Opus redundancy (RED).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opusred: Option<bool>,
    /// The minimum playout delay to ask of the peer, in tens of ms (the
    /// playout-delay RTP extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_delay: Option<i64>,
    /// The maximum playout delay to ask of the peer, in tens of ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_delay: Option<i64>,
}

impl Configure {
    /// An empty request; add what to change with the setters.
    pub fn new() -> Configure {
        Configure::default()
    }
}

setters!(Configure {
    audio: bool,
    video: bool,
    bitrate: u64,
    record: bool,
    filename: String,
    substream: u8,
    temporal: u8,
    fallback: u64,
    audiocodec: String,
    videocodec: String,
    videoprofile: String,
    opusred: bool,
    min_delay: i64,
    max_delay: i64,
});

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

/// `{"echotest": "event", "result": "ok" | "done"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultEvent {
    /// Whether a request was applied or the PeerConnection ended.
    pub result: Status,
    /// Fields not named above, kept as they came (including the plugin's
    /// `"echotest": "event"` tag).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A simulcast layer change: the echo moved to another substream or
/// temporal layer (after a request, or falling back on its own).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerEvent {
    /// The video codec of the simulcast stream.
    pub videocodec: String,
    /// The substream now echoed back, when that changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub substream: Option<u8>,
    /// The temporal layer now echoed back, when that changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporal: Option<u8>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The peer is losing packets Janus sends it (`"event": "slow_link"`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlowLinkEvent {
    /// `audio` or `video`: which media is losing packets.
    pub media: String,
    /// The video bitrate cap now in force, in bits per second.
    #[serde(
        rename = "current-bitrate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub current_bitrate: Option<u64>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
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

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Event, D::Error> {
        Value::deserialize(deserializer).map(Event::from_data)
    }
}

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
