//! Pieces every VideoRoom request, reply and event shares.

use super::*;

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
