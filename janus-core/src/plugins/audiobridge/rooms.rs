//! Room management, file playback and forwarding requests, answered
//! synchronously.

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
        /// Invitation tokens; joining needs one of them once checking is on.
        allowed: Vec<String>,
        /// The rate the room mixes at, in Hz (8000, 12000, 16000, 24000 or
        /// 48000).
        sampling_rate: u32,
        /// Whether the mix is stereo, with each participant placed in it
        /// (see [`Join::spatial_position`]).
        spatial_audio: bool,
        /// Whether the audio level RTP extension is negotiated.
        audiolevel_ext: bool,
        /// Whether talking / stopped-talking events are sent.
        audiolevel_event: bool,
        /// Talk detection: packets over the threshold that count as talking.
        audio_active_packets: u32,
        /// Talk detection: the average level (0 loud to 127 silent) that
        /// counts as talking.
        audio_level_average: u32,
        /// The packet loss percentage the Opus encoders expect by default.
        default_expectedloss: u32,
        /// The bitrate of the Opus encoders by default, in bits per second.
        default_bitrate: u32,
        /// Whether the mix is recorded to a WAV file.
        record: bool,
        /// The name of that WAV file.
        record_file: String,
        /// The directory of that WAV file.
        record_dir: String,
        /// Whether each participant is also recorded to its own `.mjr` file.
        mjrs: bool,
        /// The directory of the `.mjr` files.
        mjrs_dir: String,
        /// Whether plain RTP participants (without WebRTC) may join.
        allow_rtp_participants: bool,
        /// The names of the groups participants can be put in, for
        /// forwarding the mix of each group apart.
        groups: Vec<String>,
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
        /// A new directory for the WAV recording of the mix.
        new_record_dir: String,
        /// A new directory for the participants' `.mjr` recordings.
        new_mjrs_dir: String,
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
            new_record_dir: None,
            new_mjrs_dir: None,
            permanent: None,
        }
    }
}

/// Declares a request that names a room and may carry its secret, with a
/// `new(room)` constructor.
macro_rules! room_request {
    ($(#[$doc:meta])* $name:ident = $request:literal, $newdoc:literal) => {
        plugin_struct! {
            $(#[$doc])*
            #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
            #[serde(tag = "request", rename = $request)]
            pub struct $name {
                /// The room.
                pub room: RoomId,
            }
            set {
                /// The room's secret.
                secret: String,
            }
        }

        impl $name {
            #[doc = $newdoc]
            pub fn new(room: impl Into<RoomId>) -> $name {
                $name {
                    room: room.into(),
                    secret: None,
                }
            }
        }
    };
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

/// Declares a request that names a room and one of its participants and
/// may carry the room's secret, with a `new(room, id)` constructor.
macro_rules! participant_request {
    ($(#[$doc:meta])* $name:ident = $request:literal, $iddoc:literal, $newdoc:literal) => {
        plugin_struct! {
            $(#[$doc])*
            #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
            #[serde(tag = "request", rename = $request)]
            pub struct $name {
                /// The room.
                pub room: RoomId,
                #[doc = $iddoc]
                pub id: ParticipantId,
            }
            set {
                /// The room's secret.
                secret: String,
            }
        }

        impl $name {
            #[doc = $newdoc]
            pub fn new(room: impl Into<RoomId>, id: impl Into<ParticipantId>) -> $name {
                $name {
                    room: room.into(),
                    id: id.into(),
                    secret: None,
                }
            }
        }
    };
}

participant_request!(
    /// Removes a participant from a room. Answered by [`Success`]; the
    /// kicked one and the others all get a [`KickedEvent`].
    Kick = "kick",
    "The participant to remove.",
    "Removes `id` from `room`."
);

room_request!(
    /// Removes every participant from a room. Answered by [`Success`]; each
    /// one gets a [`KickedAllEvent`].
    KickAll = "kick_all",
    "Removes everyone from `room`."
);

participant_request!(
    /// Mutes a participant (the others stop hearing it). Answered by
    /// [`Success`]; the room gets an [`Event::Participants`] with its new
    /// state.
    Mute = "mute",
    "The participant to mute.",
    "Mutes `id` in `room`."
);

participant_request!(
    /// Unmutes a participant muted with [`Mute`]. Answered by [`Success`];
    /// the room gets an [`Event::Participants`] with its new state.
    Unmute = "unmute",
    "The participant to unmute.",
    "Unmutes `id` in `room`."
);

room_request!(
    /// Mutes the whole room: no one is heard until [`UnmuteRoom`]. Answered
    /// by [`Success`]; the room gets a [`RoomMutedEvent`].
    MuteRoom = "mute_room",
    "Mutes `room`."
);

room_request!(
    /// Lifts a [`MuteRoom`]. Answered by [`Success`]; the room gets a
    /// [`RoomMutedEvent`].
    UnmuteRoom = "unmute_room",
    "Unmutes `room`."
);

plugin_struct! {
    /// Plays an Opus (`.opus`, Ogg) file into a room as an announcement.
    /// Answered by [`FileReply`]; the room gets an `announcement-started`
    /// and, at the end, an `announcement-stopped` [`FileEvent`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "play_file")]
    pub struct PlayFile {
        /// The room.
        pub room: RoomId,
        /// The path of the file on the server.
        pub filename: String,
    }
    set {
        /// The room's secret.
        secret: String,
        /// The id to give this playback; Janus picks one when absent.
        file_id: String,
        /// The group to play the file to, in a room with groups.
        group: String,
        /// Whether to start again at the end, until [`StopFile`].
        #[serde(rename = "loop")]
        looping: bool,
    }
}

impl PlayFile {
    /// Plays `filename` into `room`.
    pub fn new(room: impl Into<RoomId>, filename: impl Into<String>) -> PlayFile {
        PlayFile {
            room: room.into(),
            filename: filename.into(),
            secret: None,
            file_id: None,
            group: None,
            looping: None,
        }
    }
}

/// Declares a request about one file playback of a room, with a
/// `new(room, file_id)` constructor.
macro_rules! file_request {
    ($(#[$doc:meta])* $name:ident = $request:literal, $newdoc:literal) => {
        plugin_struct! {
            $(#[$doc])*
            #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
            #[serde(tag = "request", rename = $request)]
            pub struct $name {
                /// The room.
                pub room: RoomId,
                /// The playback, as [`PlayFile`] named it.
                pub file_id: String,
            }
            set {
                /// The room's secret.
                secret: String,
            }
        }

        impl $name {
            #[doc = $newdoc]
            pub fn new(room: impl Into<RoomId>, file_id: impl Into<String>) -> $name {
                $name {
                    room: room.into(),
                    file_id: file_id.into(),
                    secret: None,
                }
            }
        }
    };
}

file_request!(
    /// Asks whether a file is playing. Answered by [`PlayingState`].
    IsPlaying = "is_playing",
    "Asks about playback `file_id` of `room`."
);

file_request!(
    /// Stops a file playing. Answered by [`FileReply`] (Janus 1.1.2 answers
    /// so even when no such playback exists).
    StopFile = "stop_file",
    "Stops playback `file_id` of `room`."
);

plugin_struct! {
    /// Forwards the room's mix as plain RTP (Opus or G.711) to a UDP
    /// address. Answered by [`RtpForwarded`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "rtp_forward")]
    pub struct RtpForward {
        /// The room.
        pub room: RoomId,
        /// Where to send the RTP.
        pub host: String,
        /// The UDP port to send it to.
        pub port: u16,
    }
    set {
        /// The room's secret (or the plugin's admin key, as configured).
        secret: String,
        /// The plugin's `admin_key`, when forwarding is restricted.
        admin_key: String,
        /// `ipv4` or `ipv6`, to resolve `host` with.
        host_family: String,
        /// Forward only the mix of this group.
        group: String,
        /// The SSRC to put in forwarded packets.
        ssrc: u32,
        /// `opus` (the default), `pcma` or `pcmu`.
        codec: String,
        /// The payload type to put in forwarded packets.
        ptype: u8,
        /// SRTP: the suite (32 or 80).
        srtp_suite: u8,
        /// SRTP: the base64 key.
        srtp_crypto: String,
        /// Whether to forward even while nobody is in the room (silence).
        always_on: bool,
    }
}

impl RtpForward {
    /// Forwards the mix of `room` to `host`:`port`.
    pub fn new(room: impl Into<RoomId>, host: impl Into<String>, port: u16) -> RtpForward {
        RtpForward {
            room: room.into(),
            host: host.into(),
            port,
            secret: None,
            admin_key: None,
            host_family: None,
            group: None,
            ssrc: None,
            codec: None,
            ptype: None,
            srtp_suite: None,
            srtp_crypto: None,
            always_on: None,
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
        /// The forwarder, as [`RtpForwarded::stream_id`] names it.
        pub stream_id: u64,
    }
    set {
        /// The room's secret.
        secret: String,
        /// The plugin's `admin_key`, when forwarding is restricted.
        admin_key: String,
    }
}

impl StopRtpForward {
    /// Stops forwarder `stream_id` of `room`.
    pub fn new(room: impl Into<RoomId>, stream_id: u64) -> StopRtpForward {
        StopRtpForward {
            room: room.into(),
            stream_id,
            secret: None,
            admin_key: None,
        }
    }
}

room_request!(
    /// Lists a room's RTP forwarders. Answered by [`Forwarders`].
    ListForwarders = "listforwarders",
    "Lists the forwarders of `room`."
);

plugin_struct! {
    /// Starts or stops the WAV recording of a room's mix. Answered by
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
        /// The name of the WAV file.
        record_file: String,
        /// The directory of the WAV file.
        record_dir: String,
    }
}

impl EnableRecording {
    /// Sets the recording of `room` to `record`.
    pub fn new(room: impl Into<RoomId>, record: bool) -> EnableRecording {
        EnableRecording {
            room: room.into(),
            record,
            secret: None,
            record_file: None,
            record_dir: None,
        }
    }
}

plugin_struct! {
    /// Starts or stops recording each participant of a room to its own
    /// `.mjr` file. Answered by [`MjrsState`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "enable_mjrs")]
    pub struct EnableMjrs {
        /// The room.
        pub room: RoomId,
        /// Whether to record the participants.
        pub mjrs: bool,
    }
    set {
        /// The room's secret.
        secret: String,
        /// The directory of the `.mjr` files.
        mjrs_dir: String,
    }
}

impl EnableMjrs {
    /// Sets the per-participant recording of `room` to `mjrs`.
    pub fn new(room: impl Into<RoomId>, mjrs: bool) -> EnableMjrs {
        EnableMjrs {
            room: room.into(),
            mjrs,
            secret: None,
            mjrs_dir: None,
        }
    }
}
