//! The synchronous replies.

use super::*;

plugin_struct! {
    /// The answer to [`Create`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Created {
        /// The new room's id.
        pub room: RoomId,
        /// Whether it was saved to the configuration file.
        pub permanent: bool,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Edit`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Edited {
        /// The room.
        pub room: RoomId,
        /// Whether the change was saved to the configuration file.
        pub permanent: bool,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Destroy`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Destroyed {
        /// The room that went.
        pub room: RoomId,
        /// Whether it was removed from the configuration file too.
        pub permanent: bool,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Exists`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct ExistsReply {
        /// The room asked about.
        pub room: RoomId,
        /// Whether it exists.
        pub exists: bool,
    }
    extra: extra
}

plugin_struct! {
    /// One room in a [`RoomList`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RoomInfo {
        /// The room's id.
        pub room: RoomId,
        /// Its name.
        pub description: String,
        /// Whether joining needs a PIN.
        pub pin_required: bool,
        /// Whether it is private.
        pub is_private: bool,
        /// How many may publish at once.
        pub max_publishers: u32,
        /// The publishers' video bitrate cap (0: none).
        pub bitrate: u64,
        /// How often keyframes are asked for, in seconds.
        pub fir_freq: u32,
        /// The audio codecs allowed, comma-separated.
        pub audiocodec: String,
        /// The video codecs allowed, comma-separated.
        pub videocodec: String,
        /// Whether the room is being recorded.
        pub record: bool,
        /// How many participants are in it now.
        pub num_participants: u32,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`List`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RoomList {
        /// The rooms.
        pub list: Vec<RoomInfo>,
    }
    extra: extra
}

plugin_struct! {
    /// One participant in [`Participants`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct ParticipantInfo {
        /// Its id.
        pub id: ParticipantId,
        /// Whether it is publishing now.
        pub publisher: bool,
    }
    opt {
        /// Its display name, if it gave one.
        display: String,
        /// Set for the room's placeholder publisher.
        dummy: bool,
        /// Set for a publisher on another Janus (remote publishers).
        remote: bool,
        /// Whether it is talking (when the room has audio level events).
        talking: bool,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`ListParticipants`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Participants {
        /// The room.
        pub room: RoomId,
        /// Who is in it.
        pub participants: Vec<ParticipantInfo>,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Allowed`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct AllowedReply {
        /// The room.
        pub room: RoomId,
    }
    opt {
        /// The tokens now allowed (absent after `disable`).
        allowed: Vec<String>,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`EnableRecording`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RecordingState {
        /// Whether the room is being recorded now.
        pub record: bool,
    }
    extra: extra
}

plugin_struct! {
    /// One RTP forwarder (in [`RtpForwarded`] and [`Forwarders`]).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Forwarder {
        /// The forwarder's id, for [`StopRtpForward`].
        pub stream_id: u64,
    }
    opt {
        /// The address RTP goes to.
        host: String,
        /// The port RTP goes to.
        port: u16,
        /// What it forwards.
        #[serde(rename = "type")]
        kind: MediaType,
        /// The forwarded stream, by `mid`.
        mid: String,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`RtpForward`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RtpForwarded {
        /// The room.
        pub room: RoomId,
        /// The forwarded publisher.
        pub publisher_id: ParticipantId,
        /// The forwarders created (empty when no requested stream exists).
        #[serde(default)]
        pub forwarders: Vec<Forwarder>,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`StopRtpForward`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RtpForwardStopped {
        /// The room.
        pub room: RoomId,
        /// The forwarded publisher.
        pub publisher_id: ParticipantId,
        /// The forwarder that stopped.
        pub stream_id: u64,
    }
    extra: extra
}

plugin_struct! {
    /// One publisher's forwarders, in [`Forwarders`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct PublisherForwarders {
        /// The publisher.
        pub publisher_id: ParticipantId,
        /// Its forwarders.
        pub forwarders: Vec<Forwarder>,
    }
    opt {
        /// Its display name, if it gave one.
        display: String,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`ListForwarders`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Forwarders {
        /// The room.
        pub room: RoomId,
        /// The publishers that have forwarders.
        pub publishers: Vec<PublisherForwarders>,
    }
    extra: extra
}
