//! The synchronous replies, and the pieces they share with the events.

use super::*;

plugin_struct! {
    /// One participant as a room lists it: in [`Participants`], in
    /// [`Joined`], and in the events that announce a participant's new state.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct ParticipantInfo {
        /// Its id.
        pub id: ParticipantId,
        /// Whether its PeerConnection (or plain RTP) is up.
        pub setup: bool,
        /// Whether it is muted.
        pub muted: bool,
    }
    opt {
        /// Its display name, if it gave one.
        display: String,
        /// Whether it is suspended (neither mixed nor sent the mix).
        suspended: bool,
        /// Whether it is talking (rooms with audio level events).
        talking: bool,
        /// Its place in a spatial room, 0 (left) to 100 (right).
        spatial_position: u8,
    }
    extra: extra
}

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
    /// One room in a [`RoomList`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RoomInfo {
        /// The room's id.
        pub room: RoomId,
        /// Its name.
        pub description: String,
        /// Whether joining needs a PIN.
        pub pin_required: bool,
        /// The rate it mixes at, in Hz.
        pub sampling_rate: u32,
        /// Whether its mix is being recorded.
        pub record: bool,
        /// How many participants are in it now.
        pub num_participants: u32,
    }
    opt {
        /// Whether its mix is spatial (stereo).
        spatial_audio: bool,
        /// Whether the whole room is muted.
        muted: bool,
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
    /// The answer to [`PlayFile`] and [`StopFile`]: the playback concerned.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct FileReply {
        /// The room.
        pub room: RoomId,
        /// The playback's id.
        pub file_id: String,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`IsPlaying`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct PlayingState {
        /// The room.
        pub room: RoomId,
        /// The playback asked about.
        pub file_id: String,
        /// Whether it is playing (`false` too when it does not exist).
        pub playing: bool,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`RtpForward`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RtpForwarded {
        /// The room.
        pub room: RoomId,
        /// The new forwarder's id, for [`StopRtpForward`].
        pub stream_id: u64,
        /// Where it sends.
        pub host: String,
        /// The UDP port it sends to.
        pub port: u16,
    }
    opt {
        /// The group whose mix it forwards, if only one.
        group: String,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`StopRtpForward`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RtpForwardStopped {
        /// The room.
        pub room: RoomId,
        /// The forwarder that stopped.
        pub stream_id: u64,
    }
    extra: extra
}

plugin_struct! {
    /// One RTP forwarder, in [`Forwarders`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Forwarder {
        /// The forwarder's id.
        pub stream_id: u64,
        /// The address it sends to.
        pub ip: String,
        /// The UDP port it sends to.
        pub port: u16,
        /// The SSRC of its packets.
        pub ssrc: u32,
        /// `opus`, `pcma` or `pcmu`.
        pub codec: String,
        /// The payload type of its packets.
        pub ptype: u8,
        /// Whether it forwards even while nobody is in the room.
        pub always_on: bool,
    }
    opt {
        /// The group whose mix it forwards, if only one.
        group: String,
        /// Whether it sends SRTP.
        srtp: bool,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`ListForwarders`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Forwarders {
        /// The room.
        pub room: RoomId,
        /// Its forwarders.
        pub rtp_forwarders: Vec<Forwarder>,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`EnableRecording`] (Janus 1.1.2 does not name the
    /// room in it).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RecordingState {
        /// Whether the mix is being recorded now.
        pub record: bool,
    }
    opt {
        /// The room, if the plugin names it.
        room: RoomId,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`EnableMjrs`] (Janus 1.1.2 does not name the room in
    /// it).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct MjrsState {
        /// Whether the participants are being recorded now.
        pub mjrs: bool,
    }
    opt {
        /// The room, if the plugin names it.
        room: RoomId,
    }
    extra: extra
}
