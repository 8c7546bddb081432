//! The Record&Play plugin (`janus.plugin.recordplay`): records a peer's
//! media to `.mjr` files on the server, and plays recordings back.
//!
//! To record, a handle sends [`Record`] with its SDP offer; to play, it
//! sends [`Play`] (Janus answers with its own offer), then [`Start`] with
//! the SDP answer. [`Stop`] ends either. [`List`] gives the recordings the
//! plugin knows, [`Update`] makes it read its recordings folder again, and
//! [`Configure`] tunes the recording of a running session.
//!
//! Recording and playing are answered asynchronously with
//! `{"recordplay": "event", "result": {"status": ...}}`; the typed
//! [`Event::Status`] holds that `result` object.

use serde::{Deserialize, Serialize, Serializer};
use serde_json::{json, Value};

use super::{
    bare_request, error_codes, plugin_struct, read_with_from_data, requests, ErrorEvent, Success,
};

/// The plugin's package name, the value to `attach` to.
pub const PLUGIN: &str = "janus.plugin.recordplay";

super::plugin!(
    /// The Record&Play plugin, for `attach_as` and typed events.
    RecordPlay
);

bare_request!(
    /// Lists the recordings. Answered by [`RecordingList`].
    List = "list"
);

bare_request!(
    /// Makes the plugin read its recordings folder again (for recordings
    /// added from outside). Answered by [`Success`] (`{"recordplay": "ok"}`).
    Update = "update"
);

plugin_struct! {
    /// Tunes the recording of this handle's PeerConnection. Answered by
    /// [`Configured`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "configure")]
    pub struct Configure {
    }
    set {
        /// A cap for the video bitrate the peer sends, in bits per second
        /// (announced to it with REMB).
        #[serde(rename = "video-bitrate-max")]
        video_bitrate_max: u64,
        /// How often to ask the peer for a keyframe, in milliseconds.
        #[serde(rename = "video-keyframe-interval")]
        video_keyframe_interval: u64,
    }
}

impl Configure {
    /// Changes nothing yet; add changes with the setters.
    pub fn new() -> Configure {
        Configure::default()
    }
}

plugin_struct! {
    /// Starts recording; the message must carry the peer's SDP offer.
    /// Answered by a `recording` [`Event::Status`] with Janus's SDP answer.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "record")]
    pub struct Record {
        /// A name for the recording.
        pub name: String,
    }
    set {
        /// The id to give the recording; Janus picks one when absent.
        id: u64,
        /// The base name of the `.mjr` files.
        filename: String,
        /// The audio codec to negotiate (e.g. `opus`).
        audiocodec: String,
        /// The video codec to negotiate (e.g. `vp8`).
        videocodec: String,
        /// The video codec profile to negotiate (VP9 profile or H.264
        /// profile-level-id).
        videoprofile: String,
        /// Whether to negotiate Opus redundancy (RED).
        opusred: bool,
        /// Whether data channel messages are text (rather than binary).
        textdata: bool,
        /// Whether this renegotiates a running recording (an ICE restart).
        update: bool,
    }
}

impl Record {
    /// Records under `name`.
    pub fn new(name: impl Into<String>) -> Record {
        Record {
            name: name.into(),
            id: None,
            filename: None,
            audiocodec: None,
            videocodec: None,
            videoprofile: None,
            opusred: None,
            textdata: None,
            update: None,
        }
    }
}

plugin_struct! {
    /// Asks to play a recording. Answered by a `preparing` [`Event::Status`]
    /// with Janus's SDP offer; [`Start`] with the answer starts it.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "play")]
    pub struct Play {
        /// The recording, by id.
        pub id: u64,
    }
    set {
        /// Asks for a new offer with an ICE restart on a running playout.
        restart: bool,
    }
}

impl Play {
    /// Plays recording `id`.
    pub fn new(id: u64) -> Play {
        Play { id, restart: None }
    }
}

bare_request!(
    /// Starts a prepared playout, with the peer's SDP answer as the JSEP.
    /// Answered by a `playing` [`Event::Status`].
    Start = "start"
);

bare_request!(
    /// Stops recording or playing. Answered by a `stopped`
    /// [`Event::Status`].
    Stop = "stop"
);

plugin_struct! {
    /// One recording, in [`RecordingList`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RecordingInfo {
        /// Its id, for [`Play`].
        pub id: u64,
        /// Its name.
        pub name: String,
        /// When it was made, as the plugin wrote it.
        pub date: String,
    }
    opt {
        /// Whether it has audio.
        audio: bool,
        /// Whether it has video.
        video: bool,
        /// Whether it has data channel messages.
        data: bool,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`List`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RecordingList {
        /// The recordings.
        pub list: Vec<RecordingInfo>,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Configure`]: the settings now in force.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Configured {
        /// `"ok"`.
        pub status: String,
        /// The settings, by the names [`Configure`] uses.
        pub settings: Value,
    }
    extra: extra
}

/// Where a recording or playout stands, in [`StatusResult`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Recording started (the answer to [`Record`]).
    Recording,
    /// Janus sent its SDP offer for a playout (the answer to [`Play`]).
    Preparing,
    /// The playout runs (the answer to [`Start`]).
    Playing,
    /// The recording or playout ended (after [`Stop`], or at the end of
    /// the recording).
    Stopped,
}

plugin_struct! {
    /// The `result` of a status event.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct StatusResult {
        /// Where it stands.
        pub status: Status,
    }
    opt {
        /// The recording concerned, when there is one.
        id: u64,
    }
    extra: extra
}

/// Everything Record&Play sends in `plugindata.data` on a recording or
/// playing handle.
///
/// Deserializing never fails: what this version does not know lands in
/// [`Event::Other`] as it came.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// A recording or playout moved on; the value is the `result` object.
    Status(StatusResult),
    /// The PeerConnection went away (`"result": "done"`).
    Done,
    /// The plugin refused a request (see [`ErrorCode`]).
    Error(ErrorEvent),
    /// An event this version does not know, as it came.
    Other(Value),
}

impl Event {
    /// Reads one `plugindata.data` object; never fails.
    pub fn from_data(data: Value) -> Event {
        if data.get("error_code").is_some() {
            return ErrorEvent::deserialize(&data)
                .map(Event::Error)
                .unwrap_or(Event::Other(data));
        }
        let is_event =
            data["recordplay"] == "event" && data.as_object().map(|o| o.len()) == Some(2);
        match data.get("result").filter(|_| is_event) {
            Some(Value::String(done)) if done == "done" => Event::Done,
            Some(result) if result.get("status").is_some() => StatusResult::deserialize(result)
                .map(Event::Status)
                .unwrap_or(Event::Other(data)),
            _ => Event::Other(data),
        }
    }

    /// The event as the `plugindata.data` object it was read from.
    pub fn to_data(&self) -> Value {
        match self {
            Event::Status(r) => json!({"recordplay": "event", "result": value(r)}),
            Event::Done => json!({"recordplay": "event", "result": "done"}),
            Event::Error(e) => value(e),
            Event::Other(v) => v.clone(),
        }
    }
}

/// Serializing the plain data types here cannot fail.
fn value<T: Serialize>(data: &T) -> Value {
    serde_json::to_value(data).unwrap_or(Value::Null)
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_data().serialize(serializer)
    }
}

read_with_from_data!(Event);

requests!(PLUGIN;
    List => RecordingList,
    Update => Success,
    Configure => Configured,
    Record => Event,
    Play => Event,
    Start => Event,
    Stop => Event,
);

error_codes!(
    /// Record&Play's error codes (`error_code` in `plugindata.data`).
    ErrorCode {
        /// The message had no body.
        NoMessage = 411,
        /// The body was not valid JSON.
        InvalidJson = 412,
        /// The request is unknown.
        InvalidRequest = 413,
        /// A field has the wrong type or value.
        InvalidElement = 414,
        /// A required field is missing (the SDP offer of a [`Record`] too).
        MissingElement = 415,
        /// No recording has that id.
        NotFound = 416,
        /// The recording's files cannot be opened or read.
        InvalidRecording = 417,
        /// The request does not fit the handle's state (e.g. [`Start`]
        /// without a [`Play`]).
        InvalidState = 418,
        /// The SDP could not be used.
        InvalidSdp = 419,
        /// A recording with that id exists already.
        RecordingExists = 420,
        /// Anything else.
        UnknownError = 499,
    }
);
