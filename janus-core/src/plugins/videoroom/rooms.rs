//! Room management requests, answered synchronously.

use super::*;

plugin_struct! {
    /// Creates a room. Answered by [`Created`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "create")]
    pub struct Create {
    }
    set {
        /// The id to give the room; Janus picks one when absent.
        room: RoomId,
        /// Whether to save the room to the plugin's configuration file.
        permanent: bool,
        /// The plugin's `admin_key`, when room creation is restricted.
        admin_key: String,
        /// A name for the room.
        description: String,
        /// Whether `list` hides the room.
        is_private: bool,
        /// The secret later management requests on this room must carry.
        secret: String,
        /// A PIN needed to join.
        pin: String,
        /// Whether subscribers must give their publisher's `private_id`.
        require_pvtid: bool,
        /// Whether joining needs a signed token.
        signed_tokens: bool,
        /// The video bitrate cap of each publisher, in bits per second.
        bitrate: u64,
        /// Whether publishers may not raise their bitrate over the cap.
        bitrate_cap: bool,
        /// How often to ask publishers for keyframes, in seconds.
        fir_freq: u32,
        /// How many may publish at once.
        publishers: u32,
        /// The audio codecs allowed, comma-separated in order of preference.
        audiocodec: String,
        /// The video codecs allowed, comma-separated in order of preference.
        videocodec: String,
        /// The VP9 profile to use.
        vp9_profile: String,
        /// The H.264 profile to use.
        h264_profile: String,
        /// Whether Opus forward error correction is on.
        opus_fec: bool,
        /// Whether Opus discontinuous transmission is on.
        opus_dtx: bool,
        /// Whether VP9/AV1 SVC is on.
        video_svc: bool,
        /// Whether the audio level RTP extension is negotiated.
        audiolevel_ext: bool,
        /// Whether talking / stopped-talking events are sent.
        audiolevel_event: bool,
        /// Talk detection: packets over the threshold that count as talking.
        audio_active_packets: u32,
        /// Talk detection: the average level (0 loud to 127 silent) that
        /// counts as talking.
        audio_level_average: u32,
        /// Whether the video orientation RTP extension is negotiated.
        videoorient_ext: bool,
        /// Whether the playout delay RTP extension is negotiated.
        playoutdelay_ext: bool,
        /// Whether transport-wide congestion control is negotiated.
        transport_wide_cc_ext: bool,
        /// Whether every publisher is recorded.
        record: bool,
        /// Where recordings go.
        rec_dir: String,
        /// Whether changing the recording state needs the room's secret.
        lock_record: bool,
        /// Whether participants are told when someone joins without publishing.
        notify_joining: bool,
        /// Whether all media must be end-to-end encrypted.
        require_e2ee: bool,
        /// Whether the room has a placeholder publisher to subscribe to before
        /// anyone publishes.
        dummy_publisher: bool,
        /// The placeholder publisher's streams (`{"codec": .., "fmtp": ..}`).
        dummy_streams: Vec<Value>,
        /// Invitation tokens; joining needs one of them once checking is on.
        allowed: Vec<String>,
    }
}

impl Create {
    /// A room with Janus's defaults; add options with the setters.
    pub fn new() -> Create {
        Create::default()
    }
}

plugin_struct! {
    /// Changes a room's settings. Answered by [`Edited`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "edit")]
    pub struct Edit {
        /// The room to change.
        pub room: RoomId,
    }
    set {
        /// The room's secret.
        secret: String,
        /// A new name.
        new_description: String,
        /// Whether `list` hides the room from now on.
        new_is_private: bool,
        /// A new secret.
        new_secret: String,
        /// A new PIN.
        new_pin: String,
        /// Whether subscribers must give a `private_id` from now on.
        new_require_pvtid: bool,
        /// A new video bitrate cap, in bits per second.
        new_bitrate: u64,
        /// A new keyframe request interval, in seconds.
        new_fir_freq: u32,
        /// A new limit of simultaneous publishers.
        new_publishers: u32,
        /// Whether changing the recording state needs the secret from now on.
        new_lock_record: bool,
        /// A new directory for recordings.
        new_rec_dir: String,
        /// Whether to save the change to the configuration file.
        permanent: bool,
    }
}

impl Edit {
    /// Changes nothing in `room` yet; add changes with the setters.
    pub fn new(room: impl Into<RoomId>) -> Edit {
        Edit {
            room: room.into(),
            secret: None,
            new_description: None,
            new_is_private: None,
            new_secret: None,
            new_pin: None,
            new_require_pvtid: None,
            new_bitrate: None,
            new_fir_freq: None,
            new_publishers: None,
            new_lock_record: None,
            new_rec_dir: None,
            permanent: None,
        }
    }
}

plugin_struct! {
    /// Destroys a room; its participants get [`Event::Destroyed`].
    /// Answered by [`Destroyed`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "destroy")]
    pub struct Destroy {
        /// The room to destroy.
        pub room: RoomId,
    }
    set {
        /// The room's secret.
        secret: String,
        /// Whether to remove the room from the configuration file too.
        permanent: bool,
    }
}

impl Destroy {
    /// Destroys `room`.
    pub fn new(room: impl Into<RoomId>) -> Destroy {
        Destroy {
            room: room.into(),
            secret: None,
            permanent: None,
        }
    }
}

plugin_struct! {
    /// Asks whether a room exists. Answered by [`ExistsReply`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "exists")]
    pub struct Exists {
        /// The room to look for.
        pub room: RoomId,
    }
}

impl Exists {
    /// Asks about `room`.
    pub fn new(room: impl Into<RoomId>) -> Exists {
        Exists { room: room.into() }
    }
}

plugin_struct! {
    /// Lists the rooms (private ones only with the `admin_key`). Answered by
    /// [`RoomList`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "list")]
    pub struct List {
    }
    set {
        /// The plugin's `admin_key`, to see private rooms too.
        admin_key: String,
    }
}

impl List {
    /// Lists the public rooms.
    pub fn new() -> List {
        List::default()
    }
}

plugin_struct! {
    /// Lists a room's participants. Answered by [`Participants`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "listparticipants")]
    pub struct ListParticipants {
        /// The room to look into.
        pub room: RoomId,
    }
}

impl ListParticipants {
    /// Lists the participants of `room`.
    pub fn new(room: impl Into<RoomId>) -> ListParticipants {
        ListParticipants { room: room.into() }
    }
}

plugin_struct! {
    /// Manages a room's invitation tokens. Answered by [`AllowedReply`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "allowed")]
    pub struct Allowed {
        /// The room.
        pub room: RoomId,
        /// What to do.
        pub action: AllowedAction,
    }
    set {
        /// The tokens to add or remove.
        allowed: Vec<String>,
        /// The room's secret.
        secret: String,
    }
}

impl Allowed {
    /// Applies `action` to `room`'s list.
    pub fn new(room: impl Into<RoomId>, action: AllowedAction) -> Allowed {
        Allowed {
            room: room.into(),
            action,
            allowed: None,
            secret: None,
        }
    }
}

plugin_struct! {
    /// Removes a participant from a room. Answered by [`Success`]; the kicked
    /// one gets a [`LeavingEvent`] with reason `kicked`, the others a
    /// [`KickedEvent`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "kick")]
    pub struct Kick {
        /// The room.
        pub room: RoomId,
        /// The participant to remove.
        pub id: ParticipantId,
    }
    set {
        /// The room's secret.
        secret: String,
    }
}

impl Kick {
    /// Removes `id` from `room`.
    pub fn new(room: impl Into<RoomId>, id: impl Into<ParticipantId>) -> Kick {
        Kick {
            room: room.into(),
            id: id.into(),
            secret: None,
        }
    }
}

plugin_struct! {
    /// Mutes or unmutes one stream of a publisher. Answered by [`Success`];
    /// the room gets a [`ModeratedEvent`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "moderate")]
    pub struct Moderate {
        /// The room.
        pub room: RoomId,
        /// The publisher.
        pub id: ParticipantId,
        /// Its stream, by `mid`.
        pub mid: String,
        /// `true` to mute, `false` to unmute.
        pub mute: bool,
    }
    set {
        /// The room's secret.
        secret: String,
    }
}

impl Moderate {
    /// Mutes (or with `mute = false` unmutes) stream `mid` of `id`.
    pub fn new(
        room: impl Into<RoomId>,
        id: impl Into<ParticipantId>,
        mid: impl Into<String>,
        mute: bool,
    ) -> Moderate {
        Moderate {
            room: room.into(),
            id: id.into(),
            mid: mid.into(),
            mute,
            secret: None,
        }
    }
}

plugin_struct! {
    /// Turns the recording of a whole room on or off. Answered by
    /// [`RecordingState`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "enable_recording")]
    pub struct EnableRecording {
        /// The room.
        pub room: RoomId,
        /// Whether to record.
        pub record: bool,
    }
    set {
        /// The room's secret.
        secret: String,
    }
}

impl EnableRecording {
    /// Sets the recording of `room` to `record`.
    pub fn new(room: impl Into<RoomId>, record: bool) -> EnableRecording {
        EnableRecording {
            room: room.into(),
            record,
            secret: None,
        }
    }
}

plugin_struct! {
    /// One stream to forward, in [`RtpForward::streams`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct ForwardStream {
        /// The publisher's stream, by `mid`.
        pub mid: String,
        /// The UDP port to send RTP to.
        pub port: u16,
    }
    set {
        /// Another host for this stream than the request's `host`.
        host: String,
        /// `ipv4` or `ipv6`, to resolve `host` with.
        host_family: String,
        /// A port to receive RTCP feedback from the recipient on.
        rtcp_port: u16,
        /// The SSRC to put in forwarded packets.
        ssrc: u32,
        /// The payload type to put in forwarded packets.
        pt: u8,
        /// Whether to forward simulcast as one stream, switching substreams.
        simulcast: bool,
        /// SRTP: the suite (32 or 80).
        srtp_suite: u8,
        /// SRTP: the base64 key.
        srtp_crypto: String,
        /// Simulcast: the port of the second substream.
        port_2: u16,
        /// Simulcast: the SSRC of the second substream.
        ssrc_2: u32,
        /// Simulcast: the payload type of the second substream.
        pt_2: u8,
        /// Simulcast: the port of the third substream.
        port_3: u16,
        /// Simulcast: the SSRC of the third substream.
        ssrc_3: u32,
        /// Simulcast: the payload type of the third substream.
        pt_3: u8,
    }
}

impl ForwardStream {
    /// Forwards stream `mid` to `port`.
    pub fn new(mid: impl Into<String>, port: u16) -> ForwardStream {
        ForwardStream {
            mid: mid.into(),
            port,
            ..ForwardStream::default()
        }
    }
}

plugin_struct! {
    /// Forwards a publisher's streams as plain RTP to a UDP address. Answered
    /// by [`RtpForwarded`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "rtp_forward")]
    pub struct RtpForward {
        /// The room.
        pub room: RoomId,
        /// The publisher to forward.
        pub publisher_id: ParticipantId,
        /// Where to send the RTP.
        pub host: String,
        /// The streams to forward.
        pub streams: Vec<ForwardStream>,
    }
    set {
        /// `ipv4` or `ipv6`, to resolve `host` with.
        host_family: String,
        /// The room's secret (or the plugin's admin key, as configured).
        secret: String,
    }
}

impl RtpForward {
    /// Forwards `streams` of `publisher_id` to `host`.
    pub fn new(
        room: impl Into<RoomId>,
        publisher_id: impl Into<ParticipantId>,
        host: impl Into<String>,
        streams: Vec<ForwardStream>,
    ) -> RtpForward {
        RtpForward {
            room: room.into(),
            publisher_id: publisher_id.into(),
            host: host.into(),
            streams,
            host_family: None,
            secret: None,
        }
    }
}

plugin_struct! {
    /// Stops one RTP forwarder. Answered by [`RtpForwardStopped`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "stop_rtp_forward")]
    pub struct StopRtpForward {
        /// The room.
        pub room: RoomId,
        /// The forwarded publisher.
        pub publisher_id: ParticipantId,
        /// The forwarder, as [`Forwarder::stream_id`] names it.
        pub stream_id: u64,
    }
    set {
        /// The room's secret.
        secret: String,
    }
}

impl StopRtpForward {
    /// Stops forwarder `stream_id` of `publisher_id`.
    pub fn new(
        room: impl Into<RoomId>,
        publisher_id: impl Into<ParticipantId>,
        stream_id: u64,
    ) -> StopRtpForward {
        StopRtpForward {
            room: room.into(),
            publisher_id: publisher_id.into(),
            stream_id,
            secret: None,
        }
    }
}

plugin_struct! {
    /// Lists a room's RTP forwarders. Answered by [`Forwarders`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "listforwarders")]
    pub struct ListForwarders {
        /// The room.
        pub room: RoomId,
    }
    set {
        /// The room's secret.
        secret: String,
    }
}

impl ListForwarders {
    /// Lists the forwarders of `room`.
    pub fn new(room: impl Into<RoomId>) -> ListForwarders {
        ListForwarders {
            room: room.into(),
            secret: None,
        }
    }
}
