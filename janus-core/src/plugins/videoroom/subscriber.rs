//! Requests of a subscriber handle.

use super::*;

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
