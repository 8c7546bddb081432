//! The VideoRoom plugin (`janus.plugin.videoroom`): an SFU where publishers
//! send their media once and subscribers pick the streams they want.
//!
//! A handle is either a publisher or a subscriber, decided by its first
//! request: [`JoinPublisher`] (answered by [`Joined`]) or [`JoinSubscriber`]
//! (answered by [`Attached`] with an SDP offer from Janus). Publishers then
//! [`Publish`] / [`Configure`] / [`Unpublish`]; subscribers [`Start`] (with
//! their SDP answer), [`Pause`], [`Switch`], [`Update`] and
//! [`ConfigureSubscriber`]; both [`Leave`].
//!
//! Room management ([`Create`], [`Edit`], [`Destroy`], [`Exists`],
//! [`List`], [`ListParticipants`], [`Allowed`], [`Kick`], [`Moderate`],
//! [`EnableRecording`], [`RtpForward`], [`StopRtpForward`],
//! [`ListForwarders`]) is answered synchronously, on any handle attached to
//! the plugin.
//!
//! Everything the plugin sends on a handle, answers and unsolicited
//! notifications alike, reads as an [`Event`]. Multistream shapes are those
//! of Janus 1.1: streams are identified by their `mid`, and subscriptions
//! name the publisher's feed and, optionally, one of its mids.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::{error_codes, requests, setters, typed, ErrorEvent};
pub use super::{ParticipantId, RoomId};

/// The plugin's package name, the value to `attach` to.
pub const PLUGIN: &str = "janus.plugin.videoroom";

/// Fields a struct does not name, kept as they came: the plugin's tag
/// (`"videoroom": "event"`) and anything a newer Janus adds.
pub type Extra = Map<String, Value>;

// ---------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------

/// The kind of media a stream carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    /// An audio m-line.
    Audio,
    /// A video m-line.
    Video,
    /// The data channel.
    Data,
}

/// A participant as `attendees` or `joining` shows it: someone in the room
/// who is not (or not yet) publishing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attendee {
    /// The participant's id.
    pub id: ParticipantId,
    /// The participant's display name, if it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One stream a publisher offers, as listed in `publishers`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublisherStream {
    /// Audio, video or data.
    #[serde(rename = "type")]
    pub kind: MediaType,
    /// The m-line index in the publisher's SDP.
    pub mindex: u32,
    /// The m-line's `mid`, the stream's name when subscribing.
    pub mid: String,
    /// The codec in use (`opus`, `vp8`, ...); absent for data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codec: Option<String>,
    /// A description the publisher gave the stream (e.g. "screen").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Set when the publisher stopped sending on this m-line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// Set when a moderator muted this stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderated: Option<bool>,
    /// Set when the video is simulcast.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulcast: Option<bool>,
    /// Set when the video uses SVC (VP9 or AV1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub svc: Option<bool>,
    /// Whether the publisher is talking on this audio stream (when the
    /// room has audio level events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub talking: Option<bool>,
    /// Fields not named above (`stereo`, `fec`, `dtx`, `h264_profile`,
    /// `vp9_profile`, ...), kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An active publisher, as listed in `publishers` (in [`Joined`] and in
/// [`PublishersEvent`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Publisher {
    /// The publisher's id: the feed to subscribe to.
    pub id: ParticipantId,
    /// The publisher's display name, if it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Set for the room's placeholder publisher (`dummy_publisher`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dummy: Option<bool>,
    /// The codec of its first audio stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_codec: Option<String>,
    /// The codec of its first video stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_codec: Option<String>,
    /// Whether it is talking (when the room has audio level events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub talking: Option<bool>,
    /// The streams it offers.
    #[serde(default)]
    pub streams: Vec<PublisherStream>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One stream of a subscription (in [`Attached`], [`Switched`],
/// [`UpdatedEvent`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubscriberStream {
    /// Audio, video or data.
    #[serde(rename = "type")]
    pub kind: MediaType,
    /// The m-line index in the subscriber's SDP.
    pub mindex: u32,
    /// The m-line's `mid` in the subscriber's SDP.
    pub mid: String,
    /// Whether a publisher stream feeds this m-line now.
    pub active: bool,
    /// Whether the m-line has been negotiated and media can flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
    /// Whether Janus relays the media (see [`ConfigureSubscriber`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send: Option<bool>,
    /// The publisher feeding it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_id: Option<ParticipantId>,
    /// The feeding publisher's display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_display: Option<String>,
    /// The `mid` of the stream in the feeding publisher's SDP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_mid: Option<String>,
    /// The description the publisher gave that stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_description: Option<String>,
    /// The codec in use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codec: Option<String>,
    /// The id the subscriber chose for this stream when subscribing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crossrefid: Option<String>,
    /// Fields not named above (`simulcast`, `svc`, `playout-delay`,
    /// `sources`, `source_ids`, ...), kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------
// Publisher requests
// ---------------------------------------------------------------------------

/// Which side of the room a `join` is for; set by the join request types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ptype {
    /// A participant that may publish media.
    Publisher,
    /// A subscription to other participants' streams.
    Subscriber,
}

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
    /// The id to take; Janus picks a random one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ParticipantId>,
    /// The name to show to the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// The room's PIN, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<String>,
    /// An invitation token, when the room checks an `allowed` list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
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

setters!(JoinPublisher {
    id: ParticipantId,
    display: String,
    pin: String,
    token: String,
});

/// A name for one of the publisher's streams, in [`Publish::descriptions`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StreamDescription {
    /// The `mid` of the stream in the publisher's offer.
    pub mid: String,
    /// The text subscribers see (e.g. "screen share").
    pub description: String,
}

/// Starts publishing, with the SDP offer sent as the message's JSEP.
/// Answered by a [`Configured`] event carrying Janus's SDP answer; the
/// others get a [`PublishersEvent`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "publish")]
pub struct Publish {
    /// The audio codec to prefer among those the room allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audiocodec: Option<String>,
    /// The video codec to prefer among those the room allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub videocodec: Option<String>,
    /// A cap for this publisher's video bitrate, in bits per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bitrate: Option<u64>,
    /// Whether to record this publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<bool>,
    /// The base path of its recordings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// A new display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Talk detection: packets of audio over the threshold that count as
    /// talking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_active_packets: Option<u32>,
    /// Names for the streams, by `mid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub descriptions: Option<Vec<StreamDescription>>,
}

impl Publish {
    /// A publish request with no options (the SDP offer goes in the JSEP).
    pub fn new() -> Publish {
        Publish::default()
    }
}

setters!(Publish {
    audiocodec: String,
    videocodec: String,
    bitrate: u64,
    record: bool,
    filename: String,
    display: String,
    audio_active_packets: u32,
    descriptions: Vec<StreamDescription>,
});

/// Per-stream settings in a publisher's [`Configure`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfigureStream {
    /// The stream to change, by its `mid`.
    pub mid: String,
    /// Whether to keep relaying this stream to subscribers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send: Option<bool>,
    /// The minimum playout delay to ask for, in tens of ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_delay: Option<i64>,
    /// The maximum playout delay to ask for, in tens of ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_delay: Option<i64>,
}

/// Changes a publisher's settings, or renegotiates when it carries a JSEP
/// offer. Answered by a [`Configured`] event; a display change is told to
/// the others as a [`DisplayEvent`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "configure")]
pub struct Configure {
    /// A new cap for the video bitrate, in bits per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bitrate: Option<u64>,
    /// Whether to ask the publisher for a keyframe now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyframe: Option<bool>,
    /// Whether to record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<bool>,
    /// The base path of the recordings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// A new display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Per-stream changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub streams: Option<Vec<ConfigureStream>>,
    /// Names for the streams, by `mid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub descriptions: Option<Vec<StreamDescription>>,
    /// Set when the JSEP is a renegotiation of a running PeerConnection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<bool>,
    /// Asks for an ICE restart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart: Option<bool>,
}

impl Configure {
    /// A configure request that changes nothing yet.
    pub fn new() -> Configure {
        Configure::default()
    }
}

setters!(Configure {
    bitrate: u64,
    keyframe: bool,
    record: bool,
    filename: String,
    display: String,
    streams: Vec<ConfigureStream>,
    descriptions: Vec<StreamDescription>,
    update: bool,
    restart: bool,
});

/// Stops publishing (the PeerConnection goes) but stays in the room.
/// Answered by an [`UnpublishedEvent`] whose `unpublished` is `"ok"`; the
/// others get one with this publisher's id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "unpublish")]
pub struct Unpublish {}

/// Leaves the room (publisher) or ends the subscription (subscriber).
/// A publisher is answered by a [`LeavingEvent`] whose `leaving` is
/// `"ok"`, and the others get one with its id; a subscriber by [`Left`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "leave")]
pub struct Leave {}

// ---------------------------------------------------------------------------
// Subscriber requests
// ---------------------------------------------------------------------------

/// One stream to subscribe to, in [`JoinSubscriber`] and [`Update`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubscribeStream {
    /// The publisher whose streams to receive.
    pub feed: ParticipantId,
    /// One of its streams by `mid`; all of them when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mid: Option<String>,
    /// An id of the caller's choosing, echoed back in the stream's
    /// [`SubscriberStream::crossrefid`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crossrefid: Option<String>,
}

impl SubscribeStream {
    /// All streams of `feed`.
    pub fn feed(feed: impl Into<ParticipantId>) -> SubscribeStream {
        SubscribeStream {
            feed: feed.into(),
            mid: None,
            crossrefid: None,
        }
    }

    /// Only the stream `mid` of this feed.
    #[must_use]
    pub fn mid(mut self, mid: impl Into<String>) -> SubscribeStream {
        self.mid = Some(mid.into());
        self
    }
}

/// Subscribes to streams of the room's publishers (`"ptype":
/// "subscriber"`). Answered by [`Attached`] with Janus's SDP offer, to be
/// answered with [`Start`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "join")]
pub struct JoinSubscriber {
    /// Always [`Ptype::Subscriber`].
    pub ptype: Ptype,
    /// The room of the publishers.
    pub room: RoomId,
    /// The streams to receive.
    pub streams: Vec<SubscribeStream>,
    /// The `private_id` of the caller's publisher handle in this room, when
    /// the room requires it (`require_pvtid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_id: Option<u64>,
    /// Whether the SDP names the publisher in `msid` attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_msid: Option<bool>,
    /// Whether Janus renegotiates by itself when a subscribed publisher
    /// goes (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autoupdate: Option<bool>,
    /// The room's PIN, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<String>,
}

impl JoinSubscriber {
    /// Subscribes to `streams` in `room`.
    pub fn new(room: impl Into<RoomId>, streams: Vec<SubscribeStream>) -> JoinSubscriber {
        JoinSubscriber {
            ptype: Ptype::Subscriber,
            room: room.into(),
            streams,
            private_id: None,
            use_msid: None,
            autoupdate: None,
            pin: None,
        }
    }
}

setters!(JoinSubscriber {
    private_id: u64,
    use_msid: bool,
    autoupdate: bool,
    pin: String,
});

/// Starts (or resumes) the media of a subscription; the first one carries
/// the subscriber's SDP answer as its JSEP. Answered by [`Started`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "start")]
pub struct Start {}

/// Pauses the media of a subscription. Answered by [`Paused`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "pause")]
pub struct Pause {}

/// One change of a [`Switch`]: feed the subscriber's m-line `sub_mid` from
/// another publisher stream, without renegotiating.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SwitchStream {
    /// The publisher to take the stream from.
    pub feed: ParticipantId,
    /// The stream of that publisher, by its `mid`.
    pub mid: String,
    /// The subscriber's m-line to feed, by its `mid`.
    pub sub_mid: String,
}

/// Changes which publisher streams feed a subscription's m-lines, without
/// renegotiation. Answered by [`Switched`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "switch")]
pub struct Switch {
    /// The changes to make.
    pub streams: Vec<SwitchStream>,
}

impl Switch {
    /// A switch with the given changes.
    pub fn new(streams: Vec<SwitchStream>) -> Switch {
        Switch { streams }
    }
}

/// One stream to drop, in [`Update::unsubscribe`]: by feed, by the feed's
/// `mid`, or by the subscriber's own `sub_mid`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnsubscribeStream {
    /// The publisher whose streams to drop (all of them unless `mid` says
    /// which).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed: Option<ParticipantId>,
    /// The publisher's stream to drop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mid: Option<String>,
    /// The subscriber's m-line to drop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_mid: Option<String>,
}

/// Adds and removes streams of a subscription in one renegotiation.
/// Answered by `updating` ([`Event::Other`] in this version), then an
/// [`UpdatedEvent`] with a new SDP offer when something changed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "update")]
pub struct Update {
    /// Streams to add.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribe: Option<Vec<SubscribeStream>>,
    /// Streams to remove.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsubscribe: Option<Vec<UnsubscribeStream>>,
}

impl Update {
    /// An update that changes nothing yet.
    pub fn new() -> Update {
        Update::default()
    }
}

setters!(Update {
    subscribe: Vec<SubscribeStream>,
    unsubscribe: Vec<UnsubscribeStream>,
});

/// Per-stream settings in a [`ConfigureSubscriber`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SubscriberConfigureStream {
    /// The subscriber's m-line to change, by its `mid`.
    pub mid: String,
    /// Whether Janus relays this stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send: Option<bool>,
    /// Simulcast: the substream to receive (0 low, 1 medium, 2 high).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub substream: Option<u8>,
    /// Simulcast: the temporal layer to receive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporal: Option<u8>,
    /// Simulcast: microseconds without packets before falling back to a
    /// lower substream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<u64>,
    /// SVC: the spatial layer to receive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spatial_layer: Option<u8>,
    /// SVC: the temporal layer to receive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporal_layer: Option<u8>,
    /// The minimum playout delay, in tens of ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_delay: Option<i64>,
    /// The maximum playout delay, in tens of ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_delay: Option<i64>,
}

impl SubscriberConfigureStream {
    /// Settings for the m-line `mid`; add them with the setters.
    pub fn new(mid: impl Into<String>) -> SubscriberConfigureStream {
        SubscriberConfigureStream {
            mid: mid.into(),
            ..SubscriberConfigureStream::default()
        }
    }
}

setters!(SubscriberConfigureStream {
    send: bool,
    substream: u8,
    temporal: u8,
    fallback: u64,
    spatial_layer: u8,
    temporal_layer: u8,
    min_delay: i64,
    max_delay: i64,
});

/// Changes a subscription's per-stream settings (which to relay, which
/// simulcast or SVC layer), or asks for a new offer. Answered by a
/// [`Configured`] event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "configure")]
pub struct ConfigureSubscriber {
    /// Per-stream changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub streams: Option<Vec<SubscriberConfigureStream>>,
    /// Asks Janus for a new SDP offer with an ICE restart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart: Option<bool>,
    /// Asks Janus for a new SDP offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<bool>,
}

impl ConfigureSubscriber {
    /// A configure request that changes nothing yet.
    pub fn new() -> ConfigureSubscriber {
        ConfigureSubscriber::default()
    }
}

setters!(ConfigureSubscriber {
    streams: Vec<SubscriberConfigureStream>,
    restart: bool,
    update: bool,
});

// ---------------------------------------------------------------------------
// Room management requests (synchronous)
// ---------------------------------------------------------------------------

/// Creates a room. Answered by [`Created`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "create")]
pub struct Create {
    /// The id to give the room; Janus picks one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<RoomId>,
    /// Whether to save the room to the plugin's configuration file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permanent: Option<bool>,
    /// The plugin's `admin_key`, when room creation is restricted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_key: Option<String>,
    /// A name for the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether `list` hides the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_private: Option<bool>,
    /// The secret later management requests on this room must carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// A PIN needed to join.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<String>,
    /// Whether subscribers must give their publisher's `private_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_pvtid: Option<bool>,
    /// Whether joining needs a signed token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_tokens: Option<bool>,
    /// The video bitrate cap of each publisher, in bits per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bitrate: Option<u64>,
    /// Whether publishers may not raise their bitrate over the cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bitrate_cap: Option<bool>,
    /// How often to ask publishers for keyframes, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fir_freq: Option<u32>,
    /// How many may publish at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publishers: Option<u32>,
    /// The audio codecs allowed, comma-separated in order of preference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audiocodec: Option<String>,
    /// The video codecs allowed, comma-separated in order of preference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub videocodec: Option<String>,
    /// The VP9 profile to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vp9_profile: Option<String>,
    /// The H.264 profile to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub h264_profile: Option<String>,
    /// Whether Opus forward error correction is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opus_fec: Option<bool>,
    /// Whether Opus discontinuous transmission is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opus_dtx: Option<bool>,
    /// Whether VP9/AV1 SVC is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_svc: Option<bool>,
    /// Whether the audio level RTP extension is negotiated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audiolevel_ext: Option<bool>,
    /// Whether talking / stopped-talking events are sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audiolevel_event: Option<bool>,
    /// Talk detection: packets over the threshold that count as talking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_active_packets: Option<u32>,
    /// Talk detection: the average level (0 loud to 127 silent) that
    /// counts as talking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_level_average: Option<u32>,
    /// Whether the video orientation RTP extension is negotiated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub videoorient_ext: Option<bool>,
    /// Whether the playout delay RTP extension is negotiated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub playoutdelay_ext: Option<bool>,
    /// Whether transport-wide congestion control is negotiated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport_wide_cc_ext: Option<bool>,
    /// Whether every publisher is recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<bool>,
    /// Where recordings go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rec_dir: Option<String>,
    /// Whether changing the recording state needs the room's secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_record: Option<bool>,
    /// Whether participants are told when someone joins without publishing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_joining: Option<bool>,
    /// Whether all media must be end-to-end encrypted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_e2ee: Option<bool>,
    /// Whether the room has a placeholder publisher to subscribe to before
    /// anyone publishes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dummy_publisher: Option<bool>,
    /// The placeholder publisher's streams (`{"codec": .., "fmtp": ..}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dummy_streams: Option<Vec<Value>>,
    /// Invitation tokens; joining needs one of them once checking is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
}

impl Create {
    /// A room with Janus's defaults; add options with the setters.
    pub fn new() -> Create {
        Create::default()
    }
}

setters!(Create {
    room: RoomId,
    permanent: bool,
    admin_key: String,
    description: String,
    is_private: bool,
    secret: String,
    pin: String,
    require_pvtid: bool,
    signed_tokens: bool,
    bitrate: u64,
    bitrate_cap: bool,
    fir_freq: u32,
    publishers: u32,
    audiocodec: String,
    videocodec: String,
    vp9_profile: String,
    h264_profile: String,
    opus_fec: bool,
    opus_dtx: bool,
    video_svc: bool,
    audiolevel_ext: bool,
    audiolevel_event: bool,
    audio_active_packets: u32,
    audio_level_average: u32,
    videoorient_ext: bool,
    playoutdelay_ext: bool,
    transport_wide_cc_ext: bool,
    record: bool,
    rec_dir: String,
    lock_record: bool,
    notify_joining: bool,
    require_e2ee: bool,
    dummy_publisher: bool,
    dummy_streams: Vec<Value>,
    allowed: Vec<String>,
});

/// Changes a room's settings. Answered by [`Edited`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "edit")]
pub struct Edit {
    /// The room to change.
    pub room: RoomId,
    /// The room's secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_description: Option<String>,
    /// Whether `list` hides the room from now on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_is_private: Option<bool>,
    /// A new secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_secret: Option<String>,
    /// A new PIN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_pin: Option<String>,
    /// Whether subscribers must give a `private_id` from now on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_require_pvtid: Option<bool>,
    /// A new video bitrate cap, in bits per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_bitrate: Option<u64>,
    /// A new keyframe request interval, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_fir_freq: Option<u32>,
    /// A new limit of simultaneous publishers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_publishers: Option<u32>,
    /// Whether changing the recording state needs the secret from now on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_lock_record: Option<bool>,
    /// A new directory for recordings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_rec_dir: Option<String>,
    /// Whether to save the change to the configuration file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permanent: Option<bool>,
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

setters!(Edit {
    secret: String,
    new_description: String,
    new_is_private: bool,
    new_secret: String,
    new_pin: String,
    new_require_pvtid: bool,
    new_bitrate: u64,
    new_fir_freq: u32,
    new_publishers: u32,
    new_lock_record: bool,
    new_rec_dir: String,
    permanent: bool,
});

/// Destroys a room; its participants get a [`RoomDestroyedEvent`].
/// Answered by [`Destroyed`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "destroy")]
pub struct Destroy {
    /// The room to destroy.
    pub room: RoomId,
    /// The room's secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Whether to remove the room from the configuration file too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permanent: Option<bool>,
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

setters!(Destroy {
    secret: String,
    permanent: bool,
});

/// Asks whether a room exists. Answered by [`ExistsReply`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "exists")]
pub struct Exists {
    /// The room to look for.
    pub room: RoomId,
}

impl Exists {
    /// Asks about `room`.
    pub fn new(room: impl Into<RoomId>) -> Exists {
        Exists { room: room.into() }
    }
}

/// Lists the rooms (private ones only with the `admin_key`). Answered by
/// [`RoomList`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "list")]
pub struct List {
    /// The plugin's `admin_key`, to see private rooms too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_key: Option<String>,
}

impl List {
    /// Lists the public rooms.
    pub fn new() -> List {
        List::default()
    }
}

setters!(List { admin_key: String });

/// Lists a room's participants. Answered by [`Participants`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "listparticipants")]
pub struct ListParticipants {
    /// The room to look into.
    pub room: RoomId,
}

impl ListParticipants {
    /// Lists the participants of `room`.
    pub fn new(room: impl Into<RoomId>) -> ListParticipants {
        ListParticipants { room: room.into() }
    }
}

/// What an [`Allowed`] request does with the room's token list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AllowedAction {
    /// Start checking tokens at join.
    Enable,
    /// Stop checking tokens.
    Disable,
    /// Add tokens to the list.
    Add,
    /// Remove tokens from the list.
    Remove,
}

/// Manages a room's invitation tokens. Answered by [`AllowedReply`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "allowed")]
pub struct Allowed {
    /// The room.
    pub room: RoomId,
    /// What to do.
    pub action: AllowedAction,
    /// The tokens to add or remove.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
    /// The room's secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
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

setters!(Allowed {
    allowed: Vec<String>,
    secret: String,
});

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
    /// The room's secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
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

setters!(Kick { secret: String });

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
    /// The room's secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
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

setters!(Moderate { secret: String });

/// Turns the recording of a whole room on or off. Answered by
/// [`RecordingState`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "enable_recording")]
pub struct EnableRecording {
    /// The room.
    pub room: RoomId,
    /// Whether to record.
    pub record: bool,
    /// The room's secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
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

setters!(EnableRecording { secret: String });

/// One stream to forward, in [`RtpForward::streams`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ForwardStream {
    /// The publisher's stream, by `mid`.
    pub mid: String,
    /// The UDP port to send RTP to.
    pub port: u16,
    /// Another host for this stream than the request's `host`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// `ipv4` or `ipv6`, to resolve `host` with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_family: Option<String>,
    /// A port to receive RTCP feedback from the recipient on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rtcp_port: Option<u16>,
    /// The SSRC to put in forwarded packets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssrc: Option<u32>,
    /// The payload type to put in forwarded packets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pt: Option<u8>,
    /// Whether to forward simulcast as one stream, switching substreams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulcast: Option<bool>,
    /// SRTP: the suite (32 or 80).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub srtp_suite: Option<u8>,
    /// SRTP: the base64 key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub srtp_crypto: Option<String>,
    /// Simulcast: the port of the second substream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_2: Option<u16>,
    /// Simulcast: the SSRC of the second substream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssrc_2: Option<u32>,
    /// Simulcast: the payload type of the second substream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pt_2: Option<u8>,
    /// Simulcast: the port of the third substream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_3: Option<u16>,
    /// Simulcast: the SSRC of the third substream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssrc_3: Option<u32>,
    /// Simulcast: the payload type of the third substream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pt_3: Option<u8>,
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

setters!(ForwardStream {
    host: String,
    host_family: String,
    rtcp_port: u16,
    ssrc: u32,
    pt: u8,
    simulcast: bool,
    srtp_suite: u8,
    srtp_crypto: String,
});

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
    /// `ipv4` or `ipv6`, to resolve `host` with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_family: Option<String>,
    /// The room's secret (or the plugin's admin key, as configured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
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

setters!(RtpForward {
    host_family: String,
    secret: String,
});

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
    /// The room's secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
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

setters!(StopRtpForward { secret: String });

/// Lists a room's RTP forwarders. Answered by [`Forwarders`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename = "listforwarders")]
pub struct ListForwarders {
    /// The room.
    pub room: RoomId,
    /// The room's secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
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

setters!(ListForwarders { secret: String });

// ---------------------------------------------------------------------------
// Synchronous replies
// ---------------------------------------------------------------------------

/// A bare `{"videoroom": "success"}` (kick, moderate).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Success {
    /// The fields as they came (the `"videoroom": "success"` tag).
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer to [`Create`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Created {
    /// The new room's id.
    pub room: RoomId,
    /// Whether it was saved to the configuration file.
    pub permanent: bool,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer to [`Edit`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edited {
    /// The room.
    pub room: RoomId,
    /// Whether the change was saved to the configuration file.
    pub permanent: bool,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer to [`Destroy`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Destroyed {
    /// The room that went.
    pub room: RoomId,
    /// Whether it was removed from the configuration file too.
    pub permanent: bool,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer to [`Exists`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExistsReply {
    /// The room asked about.
    pub room: RoomId,
    /// Whether it exists.
    pub exists: bool,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

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
    /// Fields not named above (`require_pvtid`, `notify_joining`,
    /// `audiolevel_ext`, `rec_dir`, ...), kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer to [`List`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomList {
    /// The rooms.
    pub list: Vec<RoomInfo>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One participant in [`Participants`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParticipantInfo {
    /// Its id.
    pub id: ParticipantId,
    /// Its display name, if it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Whether it is publishing now.
    pub publisher: bool,
    /// Set for the room's placeholder publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dummy: Option<bool>,
    /// Set for a publisher on another Janus (remote publishers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<bool>,
    /// Whether it is talking (when the room has audio level events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub talking: Option<bool>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer to [`ListParticipants`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Participants {
    /// The room.
    pub room: RoomId,
    /// Who is in it.
    pub participants: Vec<ParticipantInfo>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer to [`Allowed`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AllowedReply {
    /// The room.
    pub room: RoomId,
    /// The tokens now allowed (absent after `disable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer to [`EnableRecording`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordingState {
    /// Whether the room is being recorded now.
    pub record: bool,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One RTP forwarder (in [`RtpForwarded`] and [`Forwarders`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forwarder {
    /// The forwarder's id, for [`StopRtpForward`].
    pub stream_id: u64,
    /// The address RTP goes to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The port RTP goes to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// What it forwards.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<MediaType>,
    /// The forwarded stream, by `mid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mid: Option<String>,
    /// Fields not named above (`ssrc`, `pt`, `srtp`, rtcp ports, ...),
    /// kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

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
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer to [`StopRtpForward`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RtpForwardStopped {
    /// The room.
    pub room: RoomId,
    /// The forwarded publisher.
    pub publisher_id: ParticipantId,
    /// The forwarder that stopped.
    pub stream_id: u64,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One publisher's forwarders, in [`Forwarders`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublisherForwarders {
    /// The publisher.
    pub publisher_id: ParticipantId,
    /// Its display name, if it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Its forwarders.
    pub forwarders: Vec<Forwarder>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer to [`ListForwarders`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forwarders {
    /// The room.
    pub room: RoomId,
    /// The publishers that have forwarders.
    pub publishers: Vec<PublisherForwarders>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

/// `joined`: the answer to [`JoinPublisher`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Joined {
    /// The room joined.
    pub room: RoomId,
    /// The room's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// This participant's id.
    pub id: ParticipantId,
    /// A number to give as [`JoinSubscriber::private_id`] so the room can
    /// tie this participant's subscriptions to it.
    pub private_id: u64,
    /// The publishers already in the room.
    #[serde(default)]
    pub publishers: Vec<Publisher>,
    /// The participants not publishing (only when the room sets
    /// `notify_joining`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendees: Option<Vec<Attendee>>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `attached`: the answer to [`JoinSubscriber`], with Janus's SDP offer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attached {
    /// The room.
    pub room: RoomId,
    /// The subscription's streams.
    pub streams: Vec<SubscriberStream>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `updated`: a subscription changed (after [`Update`], or on its own when
/// a publisher went), usually with a new SDP offer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UpdatedEvent {
    /// The room.
    pub room: RoomId,
    /// The subscription's streams now.
    #[serde(default)]
    pub streams: Vec<SubscriberStream>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `configured: "ok"`: the answer to [`Publish`], [`Configure`] and
/// [`ConfigureSubscriber`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Configured {
    /// The room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<RoomId>,
    /// `"ok"`.
    pub configured: String,
    /// The publisher's streams, after a publish with media.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub streams: Option<Vec<PublisherStream>>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `started: "ok"`: the answer to [`Start`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Started {
    /// The room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<RoomId>,
    /// `"ok"`.
    pub started: String,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `paused: "ok"`: the answer to [`Pause`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Paused {
    /// The room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<RoomId>,
    /// `"ok"`.
    pub paused: String,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `switched: "ok"`: the answer to [`Switch`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Switched {
    /// The room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<RoomId>,
    /// `"ok"`.
    pub switched: String,
    /// How many of the requested changes were made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<u32>,
    /// The subscription's streams now.
    #[serde(default)]
    pub streams: Vec<SubscriberStream>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `left: "ok"`: a subscriber's answer to [`Leave`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Left {
    /// The room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<RoomId>,
    /// `"ok"`.
    pub left: String,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `publishers`: publishers started publishing (or changed their streams).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishersEvent {
    /// The room.
    pub room: RoomId,
    /// The publishers, with their streams.
    pub publishers: Vec<Publisher>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `joining`: someone joined without publishing (rooms with
/// `notify_joining`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JoiningEvent {
    /// The room.
    pub room: RoomId,
    /// Who joined.
    pub joining: Attendee,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `leaving`: a participant left. Sent to the others with its id, and to a
/// publisher that left (or was kicked) with the string `"ok"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeavingEvent {
    /// The room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<RoomId>,
    /// Who left: its id, or `"ok"` for the receiver itself (see
    /// [`LeavingEvent::is_self`]).
    pub leaving: ParticipantId,
    /// Why, when not by its own choice (`"kicked"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

impl LeavingEvent {
    /// Whether this tells the receiver that it left itself (`"leaving":
    /// "ok"`) rather than naming someone else.
    pub fn is_self(&self) -> bool {
        self.leaving == ParticipantId::Str("ok".into())
    }
}

/// `kicked`: a participant was kicked (sent to the others).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KickedEvent {
    /// The room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<RoomId>,
    /// Who was kicked.
    pub kicked: ParticipantId,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `unpublished`: a publisher stopped publishing. Sent to the others with
/// its id, and to the publisher itself with `"ok"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnpublishedEvent {
    /// The room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<RoomId>,
    /// Who stopped: its id, or `"ok"` for the receiver itself.
    pub unpublished: ParticipantId,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A participant changed its display name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisplayEvent {
    /// Who changed it.
    pub id: ParticipantId,
    /// The new name.
    pub display: String,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

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
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `talking` / `stopped-talking`: a publisher's audio level crossed the
/// room's threshold (rooms with `audiolevel_event`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TalkingEvent {
    /// The room.
    pub room: RoomId,
    /// The publisher.
    pub id: ParticipantId,
    /// Its audio stream, by `mid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mid: Option<String>,
    /// The average level measured, in -dBov (0 loud, 127 silent).
    #[serde(
        rename = "audio-level-dBov-avg",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub audio_level_dbov_avg: Option<f64>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `destroyed`: the room went; sent to everyone still in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomDestroyedEvent {
    /// The room.
    pub room: RoomId,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `slow_link`: the peer is losing packets, and Janus lowered its bitrate
/// cap.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlowLinkEvent {
    /// The video bitrate cap now in force, in bits per second.
    #[serde(
        rename = "current-bitrate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub current_bitrate: Option<u64>,
    /// Fields not named above, kept as they came.
    #[serde(flatten)]
    pub extra: Extra,
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
    Destroyed(RoomDestroyedEvent),
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

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Event, D::Error> {
        Value::deserialize(deserializer).map(Event::from_data)
    }
}

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
