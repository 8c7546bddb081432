//! The asynchronous answers and everything else the plugin sends on a
//! participant's handle, as one enum.

use super::*;

plugin_struct! {
    /// `joined` with this participant's `id`: the answer to [`Join`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Joined {
        /// The room joined.
        pub room: RoomId,
        /// This participant's id.
        pub id: ParticipantId,
        /// The participants already in the room.
        #[serde(default)]
        pub participants: Vec<ParticipantInfo>,
    }
    opt {
        /// This participant's name, as the room shows it.
        display: String,
    }
    extra: extra
}

plugin_struct! {
    /// `roomchanged`: the answer to [`ChangeRoom`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RoomChanged {
        /// The room moved to.
        pub room: RoomId,
        /// This participant's id in it.
        pub id: ParticipantId,
        /// The participants already in it.
        #[serde(default)]
        pub participants: Vec<ParticipantInfo>,
    }
    opt {
        /// This participant's name, as the room shows it.
        display: String,
    }
    extra: extra
}

plugin_struct! {
    /// `left`: the answer to [`Leave`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Left {
        /// The room left.
        pub room: RoomId,
        /// The id this participant had in it.
        pub id: ParticipantId,
    }
    extra: extra
}

plugin_struct! {
    /// `result: "ok"`: the answer to [`Configure`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Configured {
        /// `"ok"`.
        pub result: String,
    }
    opt {
        /// The room, when the plugin names it.
        room: RoomId,
    }
    extra: extra
}

plugin_struct! {
    /// Participants with their current state: who joined (`joined` without
    /// an `id` of the receiver) or whose state changed (an `event` after a
    /// mute, unmute or configure).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct ParticipantsEvent {
        /// The room.
        pub room: RoomId,
        /// The participants concerned, as they are now.
        pub participants: Vec<ParticipantInfo>,
    }
    extra: extra
}

plugin_struct! {
    /// `leaving`: a participant left (or moved to another room).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct LeavingEvent {
        /// The room.
        pub room: RoomId,
        /// Who left.
        pub leaving: ParticipantId,
    }
    extra: extra
}

plugin_struct! {
    /// `kicked`: a participant was kicked; sent to it and to the others
    /// alike.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct KickedEvent {
        /// The room.
        pub room: RoomId,
        /// Who was kicked.
        pub kicked: ParticipantId,
    }
    extra: extra
}

plugin_struct! {
    /// `kicked_all`: everyone was kicked by [`KickAll`]; each participant
    /// gets its own id.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct KickedAllEvent {
        /// The room.
        pub room: RoomId,
        /// The receiver's id.
        pub kicked_all: ParticipantId,
    }
    extra: extra
}

plugin_struct! {
    /// The whole room was muted or unmuted ([`MuteRoom`], [`UnmuteRoom`]).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RoomMutedEvent {
        /// The room.
        pub room: RoomId,
        /// Whether it is muted now.
        pub muted: bool,
    }
    extra: extra
}

plugin_struct! {
    /// `talking` / `stopped-talking`: a participant's audio level crossed
    /// the room's threshold (rooms with `audiolevel_event`).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct TalkingEvent {
        /// The room.
        pub room: RoomId,
        /// The participant.
        pub id: ParticipantId,
    }
    opt {
        /// The average level measured, in -dBov (0 loud, 127 silent).
        #[serde(rename = "audio-level-dBov-avg")]
        audio_level_dbov_avg: f64,
    }
    extra: extra
}

plugin_struct! {
    /// `announcement-started` / `announcement-stopped`: a [`PlayFile`]
    /// playback began or ended.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct FileEvent {
        /// The room.
        pub room: RoomId,
        /// The playback.
        pub file_id: String,
    }
    extra: extra
}

plugin_struct! {
    /// `destroyed`: the room went; sent to everyone still in it.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RoomEvent {
        /// The room.
        pub room: RoomId,
    }
    extra: extra
}

/// Everything AudioBridge sends in `plugindata.data` on a handle, as the
/// answer to a request or on its own.
///
/// Deserializing never fails: what this version does not know, or a known
/// event whose shape changed, lands in [`Event::Other`] as it came.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Event {
    /// The answer to this handle's join.
    Joined(Joined),
    /// Others joined the room (`joined` without the receiver's `id`).
    ParticipantJoined(ParticipantsEvent),
    /// Participants' state changed (mute, unmute, rename).
    Participants(ParticipantsEvent),
    /// The answer to this handle's change of room.
    RoomChanged(RoomChanged),
    /// The answer to this handle's leave.
    Left(Left),
    /// The answer to a configure.
    Configured(Configured),
    /// Someone left.
    Leaving(LeavingEvent),
    /// Someone was kicked (possibly the receiver).
    Kicked(KickedEvent),
    /// Everyone was kicked.
    KickedAll(KickedAllEvent),
    /// The whole room was muted or unmuted.
    RoomMuted(RoomMutedEvent),
    /// A participant started talking.
    Talking(TalkingEvent),
    /// A participant stopped talking.
    StoppedTalking(TalkingEvent),
    /// A file started playing.
    AnnouncementStarted(FileEvent),
    /// A file stopped playing.
    AnnouncementStopped(FileEvent),
    /// The room was destroyed.
    Destroyed(RoomEvent),
    /// The plugin refused a request (see [`ErrorCode`]).
    Error(ErrorEvent),
    /// An event this version does not know, as it came.
    Other(Value),
}

impl Event {
    /// Reads one `plugindata.data` object; never fails.
    pub fn from_data(data: Value) -> Event {
        let tag = data
            .get("audiobridge")
            .and_then(Value::as_str)
            .unwrap_or("");
        let has = |key: &str| data.get(key).is_some();
        let event = match tag {
            _ if has("error_code") => typed(&data, Event::Error),
            "joined" if has("id") => typed(&data, Event::Joined),
            "joined" => typed(&data, Event::ParticipantJoined),
            "roomchanged" => typed(&data, Event::RoomChanged),
            "left" => typed(&data, Event::Left),
            "destroyed" => typed(&data, Event::Destroyed),
            "talking" => typed(&data, Event::Talking),
            "stopped-talking" => typed(&data, Event::StoppedTalking),
            "announcement-started" => typed(&data, Event::AnnouncementStarted),
            "announcement-stopped" => typed(&data, Event::AnnouncementStopped),
            "event" if has("result") => typed(&data, Event::Configured),
            "event" if has("participants") => typed(&data, Event::Participants),
            "event" if has("leaving") => typed(&data, Event::Leaving),
            "event" if has("kicked") => typed(&data, Event::Kicked),
            "event" if has("kicked_all") => typed(&data, Event::KickedAll),
            "event" if has("muted") => typed(&data, Event::RoomMuted),
            _ => None,
        };
        event.unwrap_or(Event::Other(data))
    }
}

read_with_from_data!(Event);

requests!(PLUGIN;
    Create => Created,
    Edit => Edited,
    Destroy => Destroyed,
    Exists => ExistsReply,
    Allowed => AllowedReply,
    List => RoomList,
    ListParticipants => Participants,
    Kick => Success,
    KickAll => Success,
    Mute => Success,
    Unmute => Success,
    MuteRoom => Success,
    UnmuteRoom => Success,
    PlayFile => FileReply,
    IsPlaying => PlayingState,
    StopFile => FileReply,
    RtpForward => RtpForwarded,
    StopRtpForward => RtpForwardStopped,
    ListForwarders => Forwarders,
    EnableRecording => RecordingState,
    EnableMjrs => MjrsState,
    Join => Joined,
    Configure => Configured,
    ChangeRoom => RoomChanged,
    Leave => Left,
);

error_codes!(
    /// AudioBridge's error codes (`error_code` in `plugindata.data`).
    ErrorCode {
        /// The message had no body.
        NoMessage = 480,
        /// The body was not valid JSON.
        InvalidJson = 481,
        /// The request is unknown, or not valid in this state.
        InvalidRequest = 482,
        /// A required field is missing.
        MissingElement = 483,
        /// A field has the wrong type or value.
        InvalidElement = 484,
        /// The room does not exist.
        NoSuchRoom = 485,
        /// A room with that id exists already.
        RoomExists = 486,
        /// The handle must join a room first.
        NotJoined = 487,
        /// The Opus encoder or decoder could not be set up.
        LibopusError = 488,
        /// The secret, PIN or token is wrong or missing.
        Unauthorized = 489,
        /// A participant with that id is in the room already.
        IdExists = 490,
        /// The handle is in a room already (use [`ChangeRoom`]).
        AlreadyJoined = 491,
        /// The participant does not exist.
        NoSuchUser = 492,
        /// The SDP could not be used.
        InvalidSdp = 493,
        /// The group does not exist.
        NoSuchGroup = 494,
        /// Anything else (e.g. a file that cannot be opened).
        UnknownError = 499,
    }
);
