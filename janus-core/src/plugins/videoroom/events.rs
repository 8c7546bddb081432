//! Everything the plugin sends on a handle, as one enum.

use super::*;

plugin_struct! {
    /// `joined`: the answer to [`JoinPublisher`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Joined {
        /// The room joined.
        pub room: RoomId,
        /// This participant's id.
        pub id: ParticipantId,
        /// A number to give as [`JoinSubscriber::private_id`] so the room can
        /// tie this participant's subscriptions to it.
        pub private_id: u64,
        /// The publishers already in the room.
        #[serde(default)]
        pub publishers: Vec<Publisher>,
    }
    opt {
        /// The room's name.
        description: String,
        /// The participants not publishing (only when the room sets
        /// `notify_joining`).
        attendees: Vec<Attendee>,
    }
    extra: extra
}

plugin_struct! {
    /// `attached`: the answer to [`JoinSubscriber`], with Janus's SDP offer.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Attached {
        /// The room.
        pub room: RoomId,
        /// The subscription's streams.
        pub streams: Vec<SubscriberStream>,
    }
    extra: extra
}

plugin_struct! {
    /// `updated`: a subscription changed (after [`Update`], or on its own when
    /// a publisher went), usually with a new SDP offer.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct UpdatedEvent {
        /// The room.
        pub room: RoomId,
        /// The subscription's streams now.
        #[serde(default)]
        pub streams: Vec<SubscriberStream>,
    }
    extra: extra
}

plugin_struct! {
    /// `configured: "ok"`: the answer to [`Publish`], [`Configure`] and
    /// [`ConfigureSubscriber`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Configured {
        /// `"ok"`.
        pub configured: String,
    }
    opt {
        /// The room.
        room: RoomId,
        /// The publisher's streams, after a publish with media.
        streams: Vec<PublisherStream>,
    }
    extra: extra
}

plugin_struct! {
    /// `started: "ok"`: the answer to [`Start`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Started {
        /// `"ok"`.
        pub started: String,
    }
    opt {
        /// The room.
        room: RoomId,
    }
    extra: extra
}

plugin_struct! {
    /// `paused: "ok"`: the answer to [`Pause`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Paused {
        /// `"ok"`.
        pub paused: String,
    }
    opt {
        /// The room.
        room: RoomId,
    }
    extra: extra
}

plugin_struct! {
    /// `switched: "ok"`: the answer to [`Switch`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Switched {
        /// `"ok"`.
        pub switched: String,
        /// The subscription's streams now.
        #[serde(default)]
        pub streams: Vec<SubscriberStream>,
    }
    opt {
        /// The room.
        room: RoomId,
        /// How many of the requested changes were made.
        changes: u32,
    }
    extra: extra
}

plugin_struct! {
    /// `left: "ok"`: a subscriber's answer to [`Leave`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Left {
        /// `"ok"`.
        pub left: String,
    }
    opt {
        /// The room.
        room: RoomId,
    }
    extra: extra
}

plugin_struct! {
    /// `publishers`: publishers started publishing (or changed their streams).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct PublishersEvent {
        /// The room.
        pub room: RoomId,
        /// The publishers, with their streams.
        pub publishers: Vec<Publisher>,
    }
    extra: extra
}

plugin_struct! {
    /// `joining`: someone joined without publishing (rooms with
    /// `notify_joining`).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct JoiningEvent {
        /// The room.
        pub room: RoomId,
        /// Who joined.
        pub joining: Attendee,
    }
    extra: extra
}

plugin_struct! {
    /// `leaving`: a participant left. Sent to the others with its id, and to a
    /// publisher that left (or was kicked) with the string `"ok"`.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct LeavingEvent {
        /// Who left: its id, or `"ok"` for the receiver itself (see
        /// [`LeavingEvent::is_self`]).
        pub leaving: ParticipantId,
    }
    opt {
        /// The room.
        room: RoomId,
        /// Why, when not by its own choice (`"kicked"`).
        reason: String,
    }
    extra: extra
}

impl LeavingEvent {
    /// Whether this tells the receiver that it left itself (`"leaving":
    /// "ok"`) rather than naming someone else.
    pub fn is_self(&self) -> bool {
        self.leaving == ParticipantId::Str("ok".into())
    }
}

plugin_struct! {
    /// `kicked`: a participant was kicked (sent to the others).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct KickedEvent {
        /// Who was kicked.
        pub kicked: ParticipantId,
    }
    opt {
        /// The room.
        room: RoomId,
    }
    extra: extra
}

plugin_struct! {
    /// `unpublished`: a publisher stopped publishing. Sent to the others with
    /// its id, and to the publisher itself with `"ok"`.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct UnpublishedEvent {
        /// Who stopped: its id, or `"ok"` for the receiver itself.
        pub unpublished: ParticipantId,
    }
    opt {
        /// The room.
        room: RoomId,
    }
    extra: extra
}

plugin_struct! {
    /// A participant changed its display name.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct DisplayEvent {
        /// Who changed it.
        pub id: ParticipantId,
        /// The new name.
        pub display: String,
    }
    extra: extra
}

plugin_struct! {
    /// A moderator muted or unmuted one of a publisher's streams.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct ModeratedEvent {
        /// The room.
        pub room: RoomId,
        /// The publisher.
        pub id: ParticipantId,
        /// Its stream, by `mid`.
        pub mid: String,
        /// `muted` or `unmuted`.
        pub moderation: String,
    }
    extra: extra
}

plugin_struct! {
    /// `talking` / `stopped-talking`: a publisher's audio level crossed the
    /// room's threshold (rooms with `audiolevel_event`).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct TalkingEvent {
        /// The room.
        pub room: RoomId,
        /// The publisher.
        pub id: ParticipantId,
    }
    opt {
        /// Its audio stream, by `mid`.
        mid: String,
        /// The average level measured, in -dBov (0 loud, 127 silent).
        #[serde(rename = "audio-level-dBov-avg")]
        audio_level_dbov_avg: f64,
    }
    extra: extra
}

plugin_struct! {
    /// An event that names only its room: `destroyed` (the room went; sent
    /// to everyone still in it) and `updating` (a subscription's
    /// renegotiation after [`Update`] is under way).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RoomEvent {
        /// The room.
        pub room: RoomId,
    }
    extra: extra
}

/// Everything VideoRoom sends in `plugindata.data` on a handle, as the
/// answer to a request or on its own.
///
/// Deserializing never fails: what this version does not know, or a known
/// event whose shape changed, lands in [`Event::Other`] as it came.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Event {
    /// `joined`: the answer to a publisher's join.
    Joined(Joined),
    /// `attached`: the answer to a subscriber's join, with an offer.
    Attached(Attached),
    /// `updated`: a subscription changed.
    Updated(UpdatedEvent),
    /// Publishers started publishing.
    Publishers(PublishersEvent),
    /// Someone joined without publishing.
    Joining(JoiningEvent),
    /// Someone left (or the receiver itself, with `"ok"`).
    Leaving(LeavingEvent),
    /// Someone was kicked.
    Kicked(KickedEvent),
    /// Someone stopped publishing (or the receiver itself, with `"ok"`).
    Unpublished(UnpublishedEvent),
    /// A publish or configure was applied.
    Configured(Configured),
    /// A subscription started.
    Started(Started),
    /// A subscription paused.
    Paused(Paused),
    /// A subscription's sources were switched.
    Switched(Switched),
    /// A subscription ended.
    Left(Left),
    /// Someone changed its display name.
    Display(DisplayEvent),
    /// A stream was muted or unmuted by a moderator.
    Moderated(ModeratedEvent),
    /// A publisher started talking.
    Talking(TalkingEvent),
    /// A publisher stopped talking.
    StoppedTalking(TalkingEvent),
    /// The room was destroyed.
    Destroyed(RoomEvent),
    /// A subscription's renegotiation is under way (after [`Update`]).
    Updating(RoomEvent),
    /// The peer is losing packets.
    SlowLink(SlowLinkEvent),
    /// The plugin refused a request (see [`ErrorCode`]).
    Error(ErrorEvent),
    /// An event this version does not know, as it came.
    Other(Value),
}

impl Event {
    /// Reads one `plugindata.data` object; never fails.
    pub fn from_data(data: Value) -> Event {
        let tag = data.get("videoroom").and_then(Value::as_str).unwrap_or("");
        let has = |key: &str| data.get(key).is_some();
        let event = match tag {
            _ if has("error_code") => typed(&data, Event::Error),
            "joined" => typed(&data, Event::Joined),
            "attached" => typed(&data, Event::Attached),
            "updated" => typed(&data, Event::Updated),
            "destroyed" => typed(&data, Event::Destroyed),
            "updating" => typed(&data, Event::Updating),
            "talking" => typed(&data, Event::Talking),
            "stopped-talking" => typed(&data, Event::StoppedTalking),
            "slow_link" => typed(&data, Event::SlowLink),
            "event" if has("publishers") => typed(&data, Event::Publishers),
            "event" if has("joining") => typed(&data, Event::Joining),
            "event" if has("leaving") => typed(&data, Event::Leaving),
            "event" if has("kicked") => typed(&data, Event::Kicked),
            "event" if has("unpublished") => typed(&data, Event::Unpublished),
            "event" if has("configured") => typed(&data, Event::Configured),
            "event" if has("started") => typed(&data, Event::Started),
            "event" if has("paused") => typed(&data, Event::Paused),
            "event" if has("switched") => typed(&data, Event::Switched),
            "event" if has("left") => typed(&data, Event::Left),
            "event" if has("moderation") => typed(&data, Event::Moderated),
            "event" if has("display") => typed(&data, Event::Display),
            _ => None,
        };
        event.unwrap_or(Event::Other(data))
    }
}

read_with_from_data!(Event);

requests!(PLUGIN;
    JoinPublisher => Joined,
    Publish => Configured,
    Configure => Configured,
    Unpublish => Event,
    Leave => Event,
    JoinSubscriber => Attached,
    Start => Started,
    Pause => Paused,
    Switch => Switched,
    Update => Event,
    ConfigureSubscriber => Configured,
    Create => Created,
    Edit => Edited,
    Destroy => Destroyed,
    Exists => ExistsReply,
    List => RoomList,
    ListParticipants => Participants,
    Allowed => AllowedReply,
    Kick => Success,
    Moderate => Success,
    EnableRecording => RecordingState,
    RtpForward => RtpForwarded,
    StopRtpForward => RtpForwardStopped,
    ListForwarders => Forwarders,
);

error_codes!(
    /// VideoRoom's error codes (`error_code` in `plugindata.data`).
    ErrorCode {
        /// The message had no body.
        NoMessage = 421,
        /// The body was not valid JSON.
        InvalidJson = 422,
        /// The request is unknown, or not valid in this state (e.g. a
        /// subscriber request on a publisher handle).
        InvalidRequest = 423,
        /// The handle must join a room first.
        JoinFirst = 424,
        /// The handle already joined.
        AlreadyJoined = 425,
        /// The room does not exist.
        NoSuchRoom = 426,
        /// A room with that id exists already.
        RoomExists = 427,
        /// The feed (publisher) or stream does not exist.
        NoSuchFeed = 428,
        /// A required field is missing.
        MissingElement = 429,
        /// A field has the wrong type or value.
        InvalidElement = 430,
        /// The JSEP type is wrong for the request.
        InvalidSdpType = 431,
        /// The room has as many publishers as it allows.
        PublishersFull = 432,
        /// The secret, PIN or token is wrong or missing.
        Unauthorized = 433,
        /// The participant is publishing already.
        AlreadyPublished = 434,
        /// The participant is not publishing.
        NotPublished = 435,
        /// A participant with that id is in the room already.
        IdExists = 436,
        /// The SDP could not be used.
        InvalidSdp = 437,
        /// Anything else.
        UnknownError = 499,
    }
);
