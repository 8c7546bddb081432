//! The Streaming plugin (`janus.plugin.streaming`): relays media that
//! Janus receives from elsewhere (RTP, RTSP, files) to WebRTC viewers, one
//! "mountpoint" per source.
//!
//! A viewer sends [`Watch`] and gets an [`Event::Status`] `preparing` with
//! Janus's SDP offer; it answers with [`Start`] (carrying the SDP answer),
//! then may [`Pause`], [`Configure`], [`Switch`] to another mountpoint, or
//! [`Stop`]. Mountpoint management ([`List`], [`Info`], [`Create`],
//! [`Edit`], [`Destroy`], [`Enable`], [`Disable`], [`Recording`],
//! [`KickAll`]) is answered synchronously.
//!
//! Viewer events carry their content in a nested `result` object:
//! `{"streaming": "event", "result": {"status": "preparing"}}`.

use serde::{Deserialize, Serialize, Serializer};
use serde_json::{json, Value};

use super::{
    bare_request, error_codes, plugin_struct, read_with_from_data, requests, typed, ErrorEvent,
};
pub use super::{Layers, MediaType, MountpointId, Success};

/// The plugin's package name, the value to `attach` to.
pub const PLUGIN: &str = "janus.plugin.streaming";

/// Where a new mountpoint's media comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceType {
    /// RTP sent to ports Janus listens on.
    Rtp,
    /// A file played to all viewers at once.
    Live,
    /// A file played from the start for each viewer.
    Ondemand,
    /// An RTSP server Janus pulls from.
    Rtsp,
}

// ---------------------------------------------------------------------------
// Viewer requests
// ---------------------------------------------------------------------------

plugin_struct! {
    /// Asks to watch a mountpoint. Answered by a `preparing`
    /// [`Event::Status`] with Janus's SDP offer.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "watch")]
    pub struct Watch {
        /// The mountpoint to watch.
        pub id: MountpointId,
    }
    set {
        /// The mountpoint's PIN, when it has one.
        pin: String,
        /// Only these streams of the mountpoint, by `mid`.
        media: Vec<String>,
        /// Asks for a new offer with an ICE restart on a running watch.
        restart: bool,
    }
}

impl Watch {
    /// Watches mountpoint `id`.
    pub fn new(id: impl Into<MountpointId>) -> Watch {
        Watch {
            id: id.into(),
            pin: None,
            media: None,
            restart: None,
        }
    }
}

bare_request!(
    /// Starts the media, with the viewer's SDP answer as the JSEP; also
    /// resumes after [`Pause`]. Answered by a `starting` [`Event::Status`].
    Start = "start"
);

bare_request!(
    /// Pauses the media. Answered by a `pausing` [`Event::Status`].
    Pause = "pause"
);

bare_request!(
    /// Stops watching (the PeerConnection goes). Answered by a `stopping`
    /// [`Event::Status`] once a PeerConnection was up.
    Stop = "stop"
);

plugin_struct! {
    /// Moves the viewer to another mountpoint with the same kind of media,
    /// without renegotiation. Answered by [`Event::Switched`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "switch")]
    pub struct Switch {
        /// The mountpoint to switch to.
        pub id: MountpointId,
    }
}

impl Switch {
    /// Switches to mountpoint `id`.
    pub fn new(id: impl Into<MountpointId>) -> Switch {
        Switch { id: id.into() }
    }
}

plugin_struct! {
    /// Changes what the viewer receives of one stream (or of all when
    /// `mid` is absent). Answered by [`Event::Configured`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "configure")]
    pub struct Configure {
        /// Which simulcast or SVC layer to receive, and the playout delay.
        #[serde(flatten)]
        pub layers: Layers,
    }
    set {
        /// The stream to change, by `mid`.
        mid: String,
        /// Whether Janus relays it.
        send: bool,
    }
}

impl Configure {
    /// A configure request that changes nothing yet.
    pub fn new() -> Configure {
        Configure::default()
    }

    /// Sets the layers to receive and the playout delay.
    #[must_use]
    pub fn layers(mut self, layers: Layers) -> Configure {
        self.layers = layers;
        self
    }
}

// ---------------------------------------------------------------------------
// Mountpoint management (synchronous)
// ---------------------------------------------------------------------------

bare_request!(
    /// Lists the public mountpoints. Answered by [`MountpointList`].
    List = "list"
);

plugin_struct! {
    /// Asks for a mountpoint's details (more of them with its secret).
    /// Answered by [`InfoReply`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "info")]
    pub struct Info {
        /// The mountpoint.
        pub id: MountpointId,
    }
    set {
        /// The mountpoint's secret, to see its private details too.
        secret: String,
    }
}

impl Info {
    /// Asks about mountpoint `id`.
    pub fn new(id: impl Into<MountpointId>) -> Info {
        Info {
            id: id.into(),
            secret: None,
        }
    }
}

plugin_struct! {
    /// One stream of an RTP mountpoint, in [`Create::media`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RtpMedia {
        /// Audio, video or data.
        #[serde(rename = "type")]
        pub kind: MediaType,
        /// The `mid` the stream gets in the viewers' SDP.
        pub mid: String,
        /// The UDP port Janus receives it on.
        pub port: u16,
    }
    set {
        /// A name for the stream.
        label: String,
        /// The `msid` to put in the viewers' SDP.
        msid: String,
        /// A multicast group to join.
        mcast: String,
        /// The interface (name or address) to bind to.
        iface: String,
        /// A port to receive RTCP on.
        rtcpport: u16,
        /// The RTP payload type.
        pt: u8,
        /// The codec (`opus`, `vp8`, ...).
        codec: String,
        /// The `a=fmtp` line to offer.
        fmtp: String,
        /// Whether to compensate for clock drift.
        skew: bool,
        /// Video: whether to keep the last keyframe for new viewers.
        bufferkf: bool,
        /// Video: whether it is simulcast (with `port2`, `port3`).
        simulcast: bool,
        /// Video simulcast: the port of the second substream.
        port2: u16,
        /// Video simulcast: the port of the third substream.
        port3: u16,
        /// Video: whether it uses SVC.
        svc: bool,
        /// Data: whether to keep the last message for new viewers.
        buffermsg: bool,
    }
}

impl RtpMedia {
    /// A stream of `kind` named `mid`, received on `port`.
    pub fn new(kind: MediaType, mid: impl Into<String>, port: u16) -> RtpMedia {
        RtpMedia {
            kind,
            mid: mid.into(),
            port,
            label: None,
            msid: None,
            mcast: None,
            iface: None,
            rtcpport: None,
            pt: None,
            codec: None,
            fmtp: None,
            skew: None,
            bufferkf: None,
            simulcast: None,
            port2: None,
            port3: None,
            svc: None,
            buffermsg: None,
        }
    }
}

plugin_struct! {
    /// Creates a mountpoint. Answered by [`Created`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "create")]
    pub struct Create {
        /// Where the media comes from.
        #[serde(rename = "type")]
        pub kind: SourceType,
    }
    set {
        /// The id to give it; Janus picks one when absent.
        id: MountpointId,
        /// A short name.
        name: String,
        /// A description for viewers.
        description: String,
        /// Free text shown in `list` and `info`.
        metadata: String,
        /// Whether `list` hides it.
        is_private: bool,
        /// The secret later management requests must carry.
        secret: String,
        /// A PIN needed to watch.
        pin: String,
        /// Whether to save it to the plugin's configuration file.
        permanent: bool,
        /// The plugin's `admin_key`, when creation is restricted.
        admin_key: String,
        /// RTP: the streams and their ports.
        media: Vec<RtpMedia>,
        /// RTP: whether the media is end-to-end encrypted.
        e2ee: bool,
        /// RTP: whether the playout delay extension is negotiated.
        playoutdelay_ext: bool,
        /// RTSP: the server's URL.
        url: String,
        /// RTSP: the user name.
        rtsp_user: String,
        /// RTSP: the password.
        rtsp_pwd: String,
        /// Live and on-demand: the file to play.
        filename: String,
    }
}

impl Create {
    /// A mountpoint fed by `kind`; add its settings with the setters.
    pub fn new(kind: SourceType) -> Create {
        Create {
            kind,
            id: None,
            name: None,
            description: None,
            metadata: None,
            is_private: None,
            secret: None,
            pin: None,
            permanent: None,
            admin_key: None,
            media: None,
            e2ee: None,
            playoutdelay_ext: None,
            url: None,
            rtsp_user: None,
            rtsp_pwd: None,
            filename: None,
        }
    }
}

plugin_struct! {
    /// Changes a mountpoint's description, metadata, secret, PIN or
    /// privacy. Answered by [`Edited`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "edit")]
    pub struct Edit {
        /// The mountpoint.
        pub id: MountpointId,
    }
    set {
        /// Its secret.
        secret: String,
        /// A new description.
        new_description: String,
        /// New metadata.
        new_metadata: String,
        /// A new secret.
        new_secret: String,
        /// A new PIN.
        new_pin: String,
        /// Whether `list` hides it from now on.
        new_is_private: bool,
        /// Whether to save the change to the configuration file.
        permanent: bool,
        /// Whether to tell its viewers about the change.
        edited_event: bool,
    }
}

impl Edit {
    /// Changes nothing in `id` yet; add changes with the setters.
    pub fn new(id: impl Into<MountpointId>) -> Edit {
        Edit {
            id: id.into(),
            secret: None,
            new_description: None,
            new_metadata: None,
            new_secret: None,
            new_pin: None,
            new_is_private: None,
            permanent: None,
            edited_event: None,
        }
    }
}

plugin_struct! {
    /// Destroys a mountpoint; its viewers are stopped. Answered by
    /// [`Destroyed`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "destroy")]
    pub struct Destroy {
        /// The mountpoint.
        pub id: MountpointId,
    }
    set {
        /// Its secret.
        secret: String,
        /// Whether to remove it from the configuration file too.
        permanent: bool,
    }
}

impl Destroy {
    /// Destroys mountpoint `id`.
    pub fn new(id: impl Into<MountpointId>) -> Destroy {
        Destroy {
            id: id.into(),
            secret: None,
            permanent: None,
        }
    }
}

plugin_struct! {
    /// Lets viewers watch a disabled mountpoint again. Answered by
    /// [`Success`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "enable")]
    pub struct Enable {
        /// The mountpoint.
        pub id: MountpointId,
    }
    set {
        /// Its secret.
        secret: String,
    }
}

impl Enable {
    /// Enables mountpoint `id`.
    pub fn new(id: impl Into<MountpointId>) -> Enable {
        Enable {
            id: id.into(),
            secret: None,
        }
    }
}

plugin_struct! {
    /// Stops a mountpoint from being watched without destroying it.
    /// Answered by [`Success`]. (Janus 1.1.2 was seen to exit on this
    /// request for an RTP mountpoint; it is typed from the source.)
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "disable")]
    pub struct Disable {
        /// The mountpoint.
        pub id: MountpointId,
    }
    set {
        /// Its secret.
        secret: String,
        /// Whether to stop its recordings too (default true).
        stop_recording: bool,
    }
}

impl Disable {
    /// Disables mountpoint `id`.
    pub fn new(id: impl Into<MountpointId>) -> Disable {
        Disable {
            id: id.into(),
            secret: None,
            stop_recording: None,
        }
    }
}

/// Whether a [`Recording`] request starts or stops recording.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordingAction {
    /// Start recording.
    Start,
    /// Stop recording.
    Stop,
}

plugin_struct! {
    /// One stream to record or stop recording, in [`Recording::media`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RecordingMedia {
        /// The stream, by `mid`.
        pub mid: String,
    }
    set {
        /// Start only: the base path of the recording.
        filename: String,
    }
}

impl RecordingMedia {
    /// The stream `mid`.
    pub fn new(mid: impl Into<String>) -> RecordingMedia {
        RecordingMedia {
            mid: mid.into(),
            filename: None,
        }
    }
}

plugin_struct! {
    /// Starts or stops recording streams of a mountpoint. Answered by
    /// [`Success`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "recording")]
    pub struct Recording {
        /// Start or stop.
        pub action: RecordingAction,
        /// The mountpoint.
        pub id: MountpointId,
    }
    set {
        /// Its secret.
        secret: String,
        /// The streams concerned.
        media: Vec<RecordingMedia>,
    }
}

impl Recording {
    /// Applies `action` to mountpoint `id`.
    pub fn new(id: impl Into<MountpointId>, action: RecordingAction) -> Recording {
        Recording {
            action,
            id: id.into(),
            secret: None,
            media: None,
        }
    }
}

plugin_struct! {
    /// Stops every viewer of a mountpoint. Answered by [`Success`]
    /// (`"streaming": "kicked_all"`).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "kick_all")]
    pub struct KickAll {
        /// The mountpoint.
        pub id: MountpointId,
    }
    set {
        /// Its secret.
        secret: String,
    }
}

impl KickAll {
    /// Stops the viewers of mountpoint `id`.
    pub fn new(id: impl Into<MountpointId>) -> KickAll {
        KickAll {
            id: id.into(),
            secret: None,
        }
    }
}

// ---------------------------------------------------------------------------
// Synchronous replies
// ---------------------------------------------------------------------------

plugin_struct! {
    /// One stream as `list` shows it.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct MediaSummary {
        /// The stream's `mid`.
        pub mid: String,
        /// Audio, video or data.
        #[serde(rename = "type")]
        pub kind: MediaType,
    }
    opt {
        /// Its name.
        label: String,
        /// Milliseconds since Janus last received media on it.
        age_ms: u64,
    }
    extra: extra
}

plugin_struct! {
    /// One mountpoint in a [`MountpointList`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct MountpointSummary {
        /// Its id.
        pub id: MountpointId,
        /// `live` or `on demand`.
        #[serde(rename = "type")]
        pub kind: String,
        /// Its streams.
        #[serde(default)]
        pub media: Vec<MediaSummary>,
    }
    opt {
        /// Its description.
        description: String,
        /// Its metadata.
        metadata: String,
        /// Whether it can be watched now.
        enabled: bool,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`List`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct MountpointList {
        /// The mountpoints.
        pub list: Vec<MountpointSummary>,
    }
    extra: extra
}

plugin_struct! {
    /// One stream as `info` shows it.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct MediaInfo {
        /// The stream's `mid`.
        pub mid: String,
        /// Audio, video or data.
        #[serde(rename = "type")]
        pub kind: MediaType,
    }
    opt {
        /// Its m-line index in the viewers' SDP.
        mindex: u32,
        /// Its name.
        label: String,
        /// Its codec.
        codec: String,
        /// Its RTP payload type.
        pt: u8,
        /// Its `a=rtpmap` value.
        rtpmap: String,
        /// The UDP port it arrives on (with the secret).
        port: u16,
        /// Milliseconds since Janus last received media on it.
        age_ms: u64,
    }
    extra: extra
}

plugin_struct! {
    /// A mountpoint's details, in [`InfoReply`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct MountpointInfo {
        /// Its id.
        pub id: MountpointId,
        /// `live` or `on demand`.
        #[serde(rename = "type")]
        pub kind: String,
        /// Its streams.
        #[serde(default)]
        pub media: Vec<MediaInfo>,
    }
    opt {
        /// Its short name.
        name: String,
        /// Its description.
        description: String,
        /// Its metadata.
        metadata: String,
        /// Whether it can be watched now.
        enabled: bool,
        /// How many are watching (with the secret).
        viewers: u32,
        /// The address it receives on (with the secret).
        host: String,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Info`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct InfoReply {
        /// The details.
        pub info: MountpointInfo,
    }
    extra: extra
}

plugin_struct! {
    /// A port a new RTP mountpoint listens on, in [`CreatedStream`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct CreatedPort {
        /// The stream's `mid`.
        pub mid: String,
        /// Audio, video or data.
        #[serde(rename = "type")]
        pub kind: MediaType,
        /// The UDP port.
        pub port: u16,
    }
    extra: extra
}

plugin_struct! {
    /// The new mountpoint, in [`Created`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct CreatedStream {
        /// Its id.
        pub id: MountpointId,
        /// `live` or `on demand`.
        #[serde(rename = "type")]
        pub kind: String,
        /// Whether `list` hides it.
        pub is_private: bool,
    }
    opt {
        /// Its description.
        description: String,
        /// The address it receives on.
        host: String,
        /// The ports it receives on (RTP).
        ports: Vec<CreatedPort>,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Create`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Created {
        /// The new mountpoint's name.
        pub created: String,
        /// Whether it was saved to the configuration file.
        pub permanent: bool,
        /// The new mountpoint.
        pub stream: CreatedStream,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Edit`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Edited {
        /// The mountpoint.
        pub id: MountpointId,
        /// Whether the change was saved to the configuration file.
        pub permanent: bool,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Destroy`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Destroyed {
        /// The mountpoint that went.
        pub destroyed: MountpointId,
    }
    extra: extra
}

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

/// Where a viewer's watch stands, in [`Event::Status`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Janus sent its SDP offer (answer a [`Watch`]).
    Preparing,
    /// Janus sent a new offer after a restart.
    Updating,
    /// The viewer's answer was taken; media is about to flow.
    Starting,
    /// Media flows.
    Started,
    /// The viewer paused.
    Pausing,
    /// The viewer stopped.
    Stopping,
    /// The mountpoint went away or stopped sending.
    Stopped,
    /// Every viewer was kicked.
    KickedAll,
}

plugin_struct! {
    /// The `result` of a status event.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct StatusResult {
        /// Where the watch stands.
        pub status: Status,
    }
    extra: extra
}

plugin_struct! {
    /// The `result` of a [`Switch`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct SwitchedResult {
        /// `"ok"`.
        pub switched: String,
        /// The mountpoint now watched.
        pub id: MountpointId,
    }
    extra: extra
}

plugin_struct! {
    /// The `result` of a simulcast or SVC layer change.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct LayerResult {}
    opt {
        /// The stream, by `mid`.
        mid: String,
        /// Simulcast: the substream now relayed.
        substream: u8,
        /// Simulcast: the temporal layer now relayed.
        temporal: u8,
        /// SVC: the spatial layer now relayed.
        spatial_layer: u8,
        /// SVC: the temporal layer now relayed.
        temporal_layer: u8,
    }
    extra: extra
}

/// Everything Streaming sends in `plugindata.data` to a viewer, as the
/// answer to a request or on its own.
///
/// The typed variants hold the content of the event's `result` object.
/// Deserializing never fails: what this version does not know lands in
/// [`Event::Other`] as it came.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// The watch moved on (`preparing`, `starting`, ...).
    Status(StatusResult),
    /// The viewer moved to another mountpoint.
    Switched(SwitchedResult),
    /// A [`Configure`] was applied (`{"event": "configured"}`); the value
    /// is the whole `result` object.
    Configured(Value),
    /// The simulcast or SVC layer relayed changed.
    Layer(LayerResult),
    /// The plugin refused a request (see [`ErrorCode`]).
    Error(ErrorEvent),
    /// An event this version does not know, as it came.
    Other(Value),
}

impl Event {
    /// Reads one `plugindata.data` object; never fails.
    pub fn from_data(data: Value) -> Event {
        let result = data.get("result").filter(|_| data["streaming"] == "event");
        let event = match result {
            _ if data.get("error_code").is_some() => typed(&data, Event::Error),
            Some(r) if r.get("status").is_some() => typed(r, Event::Status),
            Some(r) if r.get("switched").is_some() => typed(r, Event::Switched),
            Some(r) if r.get("event").and_then(Value::as_str) == Some("configured") => {
                Some(Event::Configured(r.clone()))
            }
            Some(r) if r.as_object().is_some_and(|o| !o.is_empty()) => {
                let layer = ["substream", "temporal", "spatial_layer", "temporal_layer"];
                layer
                    .iter()
                    .any(|k| r.get(*k).is_some())
                    .then(|| typed(r, Event::Layer))
                    .flatten()
            }
            _ => None,
        };
        event.unwrap_or(Event::Other(data))
    }

    /// The event as the `plugindata.data` object it was read from.
    pub fn to_data(&self) -> Value {
        let wrap = |result: Value| json!({"streaming": "event", "result": result});
        match self {
            Event::Status(r) => wrap(value(r)),
            Event::Switched(r) => wrap(value(r)),
            Event::Configured(r) => wrap(r.clone()),
            Event::Layer(r) => wrap(value(r)),
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
    Watch => Event,
    Start => Event,
    Pause => Event,
    Stop => Event,
    Switch => Event,
    Configure => Event,
    List => MountpointList,
    Info => InfoReply,
    Create => Created,
    Edit => Edited,
    Destroy => Destroyed,
    Enable => Success,
    Disable => Success,
    Recording => Success,
    KickAll => Success,
);

error_codes!(
    /// Streaming's error codes (`error_code` in `plugindata.data`).
    ErrorCode {
        /// The message had no body.
        NoMessage = 450,
        /// The body was not valid JSON.
        InvalidJson = 451,
        /// The request is unknown or not valid now.
        InvalidRequest = 452,
        /// A required field is missing.
        MissingElement = 453,
        /// A field has the wrong type or value.
        InvalidElement = 454,
        /// The mountpoint does not exist.
        NoSuchMountpoint = 455,
        /// The mountpoint could not be created.
        CantCreate = 456,
        /// The secret or PIN is wrong or missing.
        Unauthorized = 457,
        /// The switch is not possible (different media).
        CantSwitch = 458,
        /// The recording could not be started or stopped.
        CantRecord = 459,
        /// The request does not fit the viewer's state.
        InvalidState = 460,
        /// Anything else.
        UnknownError = 470,
    }
);
