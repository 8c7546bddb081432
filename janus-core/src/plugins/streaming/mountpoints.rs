//! Mountpoint management requests, answered synchronously.

use super::*;

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
