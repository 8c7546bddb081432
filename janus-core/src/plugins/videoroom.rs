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

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    bare_request, error_codes, plugin_struct, read_with_from_data, requests, typed, ErrorEvent,
    SlowLinkEvent,
};
pub use super::{Layers, MediaType, ParticipantId, RoomId, Success};

/// The plugin's package name, the value to `attach` to.
pub const PLUGIN: &str = "janus.plugin.videoroom";

/// Fields a struct does not name, kept as they came: the plugin's tag
/// (`"videoroom": "event"`) and anything a newer Janus adds.
pub type Extra = Map<String, Value>;

// ---------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------

plugin_struct! {
    /// A participant as `attendees` or `joining` shows it: someone in the room
    /// who is not (or not yet) publishing.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Attendee {
        /// The participant's id.
        pub id: ParticipantId,
    }
    opt {
        /// The participant's display name, if it gave one.
        display: String,
    }
    extra: extra
}

plugin_struct! {
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
    }
    opt {
        /// The codec in use (`opus`, `vp8`, ...); absent for data.
        codec: String,
        /// A description the publisher gave the stream (e.g. "screen").
        description: String,
        /// Set when the publisher stopped sending on this m-line.
        disabled: bool,
        /// Set when a moderator muted this stream.
        moderated: bool,
        /// Set when the video is simulcast.
        simulcast: bool,
        /// Set when the video uses SVC (VP9 or AV1).
        svc: bool,
        /// Whether the publisher is talking on this audio stream (when the
        /// room has audio level events).
        talking: bool,
    }
    extra: extra
}

plugin_struct! {
    /// An active publisher, as listed in `publishers` (in [`Joined`] and in
    /// [`PublishersEvent`]).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Publisher {
        /// The publisher's id: the feed to subscribe to.
        pub id: ParticipantId,
        /// The streams it offers.
        #[serde(default)]
        pub streams: Vec<PublisherStream>,
    }
    opt {
        /// The publisher's display name, if it gave one.
        display: String,
        /// Set for the room's placeholder publisher (`dummy_publisher`).
        dummy: bool,
        /// The codec of its first audio stream.
        audio_codec: String,
        /// The codec of its first video stream.
        video_codec: String,
        /// Whether it is talking (when the room has audio level events).
        talking: bool,
    }
    extra: extra
}

plugin_struct! {
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
    }
    opt {
        /// Whether the m-line has been negotiated and media can flow.
        ready: bool,
        /// Whether Janus relays the media (see [`ConfigureSubscriber`]).
        send: bool,
        /// The publisher feeding it.
        feed_id: ParticipantId,
        /// The feeding publisher's display name.
        feed_display: String,
        /// The `mid` of the stream in the feeding publisher's SDP.
        feed_mid: String,
        /// The description the publisher gave that stream.
        feed_description: String,
        /// The codec in use.
        codec: String,
        /// The id the subscriber chose for this stream when subscribing.
        crossrefid: String,
    }
    extra: extra
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

// ---------------------------------------------------------------------------
// Subscriber requests
// ---------------------------------------------------------------------------

plugin_struct! {
    /// One stream to subscribe to, in [`JoinSubscriber`] and [`Update`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct SubscribeStream {
        /// The publisher whose streams to receive.
        pub feed: ParticipantId,
    }
    set {
        /// One of its streams by `mid`; all of them when absent.
        mid: String,
        /// An id of the caller's choosing, echoed back in the stream's
        /// [`SubscriberStream::crossrefid`].
        crossrefid: String,
    }
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
}

plugin_struct! {
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
    }
    set {
        /// The `private_id` of the caller's publisher handle in this room, when
        /// the room requires it (`require_pvtid`).
        private_id: u64,
        /// Whether the SDP names the publisher in `msid` attributes.
        use_msid: bool,
        /// Whether Janus renegotiates by itself when a subscribed publisher
        /// goes (default true).
        autoupdate: bool,
        /// The room's PIN, when it has one.
        pin: String,
    }
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

bare_request!(
    /// Starts (or resumes) the media of a subscription; the first one carries
    /// the subscriber's SDP answer as its JSEP. Answered by [`Started`].
    Start = "start"
);

bare_request!(
    /// Pauses the media of a subscription. Answered by [`Paused`].
    Pause = "pause"
);

plugin_struct! {
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
}

plugin_struct! {
    /// Changes which publisher streams feed a subscription's m-lines, without
    /// renegotiation. Answered by [`Switched`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "switch")]
    pub struct Switch {
        /// The changes to make.
        pub streams: Vec<SwitchStream>,
    }
}

impl Switch {
    /// A switch with the given changes.
    pub fn new(streams: Vec<SwitchStream>) -> Switch {
        Switch { streams }
    }
}

plugin_struct! {
    /// One stream to drop, in [`Update::unsubscribe`]: by feed, by the feed's
    /// `mid`, or by the subscriber's own `sub_mid`.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct UnsubscribeStream {
    }
    set {
        /// The publisher whose streams to drop (all of them unless `mid` says
        /// which).
        feed: ParticipantId,
        /// The publisher's stream to drop.
        mid: String,
        /// The subscriber's m-line to drop.
        sub_mid: String,
    }
}

plugin_struct! {
    /// Adds and removes streams of a subscription in one renegotiation.
    /// Answered by [`Event::Updating`], then an
    /// [`UpdatedEvent`] with a new SDP offer when something changed.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "update")]
    pub struct Update {
    }
    set {
        /// Streams to add.
        subscribe: Vec<SubscribeStream>,
        /// Streams to remove.
        unsubscribe: Vec<UnsubscribeStream>,
    }
}

impl Update {
    /// An update that changes nothing yet.
    pub fn new() -> Update {
        Update::default()
    }
}

plugin_struct! {
    /// Per-stream settings in a [`ConfigureSubscriber`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct SubscriberConfigureStream {
        /// The subscriber's m-line to change, by its `mid`.
        pub mid: String,
        /// Which simulcast or SVC layer to receive, and the playout delay.
        #[serde(flatten)]
        pub layers: Layers,
    }
    set {
        /// Whether Janus relays this stream.
        send: bool,
    }
}

impl SubscriberConfigureStream {
    /// Settings for the m-line `mid`; add them with the setters.
    pub fn new(mid: impl Into<String>) -> SubscriberConfigureStream {
        SubscriberConfigureStream {
            mid: mid.into(),
            ..SubscriberConfigureStream::default()
        }
    }

    /// Sets the layers to receive and the playout delay.
    #[must_use]
    pub fn layers(mut self, layers: Layers) -> SubscriberConfigureStream {
        self.layers = layers;
        self
    }
}

plugin_struct! {
    /// Changes a subscription's per-stream settings (which to relay, which
    /// simulcast or SVC layer), or asks for a new offer. Answered by a
    /// [`Configured`] event.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "configure")]
    pub struct ConfigureSubscriber {
    }
    set {
        /// Per-stream changes.
        streams: Vec<SubscriberConfigureStream>,
        /// Asks Janus for a new SDP offer with an ICE restart.
        restart: bool,
        /// Asks Janus for a new SDP offer.
        update: bool,
    }
}

impl ConfigureSubscriber {
    /// A configure request that changes nothing yet.
    pub fn new() -> ConfigureSubscriber {
        ConfigureSubscriber::default()
    }
}

// ---------------------------------------------------------------------------
// Room management requests (synchronous)
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Synchronous replies
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

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
