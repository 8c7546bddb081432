//! Requests of a publisher handle.

use super::*;

/// Which side of the room a `join` is for; set by the join request types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ptype {
    /// A participant that may publish media.
    Publisher,
    /// A subscription to other participants' streams.
    Subscriber,
}

plugin_struct! {
    /// Joins a room as a participant that may publish (`"ptype":
    /// "publisher"`). Answered by [`Joined`]; if the room sets
    /// `notify_joining`, the others get a [`JoiningEvent`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "join")]
    pub struct JoinPublisher {
        /// Always [`Ptype::Publisher`].
        pub ptype: Ptype,
        /// The room to join.
        pub room: RoomId,
    }
    set {
        /// The id to take; Janus picks a random one when absent.
        id: ParticipantId,
        /// The name to show to the others.
        display: String,
        /// The room's PIN, when it has one.
        pin: String,
        /// An invitation token, when the room checks an `allowed` list.
        token: String,
    }
}

impl JoinPublisher {
    /// Joins `room` as a publisher.
    pub fn new(room: impl Into<RoomId>) -> JoinPublisher {
        JoinPublisher {
            ptype: Ptype::Publisher,
            room: room.into(),
            id: None,
            display: None,
            pin: None,
            token: None,
        }
    }
}

plugin_struct! {
    /// A name for one of the publisher's streams, in [`Publish::descriptions`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct StreamDescription {
        /// The `mid` of the stream in the publisher's offer.
        pub mid: String,
        /// The text subscribers see (e.g. "screen share").
        pub description: String,
    }
}

plugin_struct! {
    /// Starts publishing, with the SDP offer sent as the message's JSEP.
    /// Answered by a [`Configured`] event carrying Janus's SDP answer; the
    /// others get a [`PublishersEvent`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "publish")]
    pub struct Publish {
    }
    set {
        /// The audio codec to prefer among those the room allows.
        audiocodec: String,
        /// The video codec to prefer among those the room allows.
        videocodec: String,
        /// A cap for this publisher's video bitrate, in bits per second.
        bitrate: u64,
        /// Whether to record this publisher.
        record: bool,
        /// The base path of its recordings.
        filename: String,
        /// A new display name.
        display: String,
        /// Talk detection: packets of audio over the threshold that count as
        /// talking.
        audio_active_packets: u32,
        /// Names for the streams, by `mid`.
        descriptions: Vec<StreamDescription>,
    }
}

impl Publish {
    /// A publish request with no options (the SDP offer goes in the JSEP).
    pub fn new() -> Publish {
        Publish::default()
    }
}

plugin_struct! {
    /// Per-stream settings in a publisher's [`Configure`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct ConfigureStream {
        /// The stream to change, by its `mid`.
        pub mid: String,
    }
    set {
        /// Whether to keep relaying this stream to subscribers.
        send: bool,
        /// The minimum playout delay to ask for, in tens of ms.
        min_delay: i64,
        /// The maximum playout delay to ask for, in tens of ms.
        max_delay: i64,
    }
}

plugin_struct! {
    /// Changes a publisher's settings, or renegotiates when it carries a JSEP
    /// offer. Answered by a [`Configured`] event; a display change is told to
    /// the others as a [`DisplayEvent`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "configure")]
    pub struct Configure {
    }
    set {
        /// A new cap for the video bitrate, in bits per second.
        bitrate: u64,
        /// Whether to ask the publisher for a keyframe now.
        keyframe: bool,
        /// Whether to record.
        record: bool,
        /// The base path of the recordings.
        filename: String,
        /// A new display name.
        display: String,
        /// Per-stream changes.
        streams: Vec<ConfigureStream>,
        /// Names for the streams, by `mid`.
        descriptions: Vec<StreamDescription>,
        /// Set when the JSEP is a renegotiation of a running PeerConnection.
        update: bool,
        /// Asks for an ICE restart.
        restart: bool,
    }
}

impl Configure {
    /// A configure request that changes nothing yet.
    pub fn new() -> Configure {
        Configure::default()
    }
}

bare_request!(
    /// Stops publishing (the PeerConnection goes) but stays in the room.
    /// Answered by an [`UnpublishedEvent`] whose `unpublished` is `"ok"`; the
    /// others get one with this publisher's id.
    Unpublish = "unpublish"
);

bare_request!(
    /// Leaves the room (publisher) or ends the subscription (subscriber).
    /// A publisher is answered by a [`LeavingEvent`] whose `leaving` is
    /// `"ok"`, and the others get one with its id; a subscriber by [`Left`].
    Leave = "leave"
);
