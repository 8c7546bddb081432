//! Requests of a participant's handle, answered asynchronously (an `ack`,
//! then the answer as an event).

use super::*;

plugin_struct! {
    /// Joins a room. Answered by [`Joined`]; the others get an
    /// [`Event::ParticipantJoined`].
    ///
    /// The handle may negotiate its PeerConnection later (a JSEP offer on a
    /// [`Configure`]); until then it is listed with `setup: false`.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "join")]
    pub struct Join {
        /// The room to join.
        pub room: RoomId,
    }
    set {
        /// The id to take in the room; Janus picks one when absent.
        id: ParticipantId,
        /// The group to join, in a room with groups.
        group: String,
        /// The room's PIN, when it has one.
        pin: String,
        /// The name the others see.
        display: String,
        /// An invitation token, when the room checks them.
        token: String,
        /// Whether to join muted.
        muted: bool,
        /// Whether to join suspended: in the room, but neither mixed nor
        /// sent the mix.
        suspended: bool,
        /// The codec to use: `opus` (the default), `pcma` or `pcmu`.
        codec: String,
        /// The bitrate of the Opus encoder for this participant, in bits
        /// per second.
        bitrate: u32,
        /// The Opus encoder's complexity, 1 (fast) to 10 (best).
        quality: u8,
        /// The packet loss percentage the Opus encoder expects.
        expected_loss: u8,
        /// A gain on this participant's audio in the mix, in percent (100
        /// leaves it as it is).
        volume: u32,
        /// Where to place this participant in a spatial room, 0 (left) to
        /// 100 (right).
        spatial_position: u8,
        /// Talk detection for this participant: the average level (0 loud
        /// to 127 silent) that counts as talking.
        audio_level_average: u32,
        /// Talk detection for this participant: packets over the threshold
        /// that count as talking.
        audio_active_packets: u32,
        /// Whether to record this participant to a `.mjr` file.
        record: bool,
        /// The base name of that recording.
        filename: String,
        /// Whether Janus should send the SDP offer (the participant answers).
        generate_offer: bool,
        /// For a plain RTP participant: where Janus sends the mix
        /// (`{"ip": .., "port": .., "payload_type": ..}`).
        rtp: Value,
        /// The room's secret, to join with an id the room reserves.
        secret: String,
    }
}

impl Join {
    /// Joins `room` with Janus's defaults; add options with the setters.
    pub fn new(room: impl Into<RoomId>) -> Join {
        Join {
            room: room.into(),
            id: None,
            group: None,
            pin: None,
            display: None,
            token: None,
            muted: None,
            suspended: None,
            codec: None,
            bitrate: None,
            quality: None,
            expected_loss: None,
            volume: None,
            spatial_position: None,
            audio_level_average: None,
            audio_active_packets: None,
            record: None,
            filename: None,
            generate_offer: None,
            rtp: None,
            secret: None,
        }
    }
}

plugin_struct! {
    /// Changes this participant's settings, or carries a JSEP offer or
    /// answer to negotiate its PeerConnection. Answered by [`Configured`];
    /// a change the others can see (mute, name) reaches them as an
    /// [`Event::Participants`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "configure")]
    pub struct Configure {
    }
    set {
        /// Whether to be muted.
        muted: bool,
        /// A new name.
        display: String,
        /// A new Opus encoder bitrate, in bits per second.
        bitrate: u32,
        /// A new Opus encoder complexity, 1 to 10.
        quality: u8,
        /// A new expected packet loss percentage.
        expected_loss: u8,
        /// A new gain in the mix, in percent.
        volume: u32,
        /// A new place in a spatial room, 0 (left) to 100 (right).
        spatial_position: u8,
        /// Whether to record this participant from now on.
        record: bool,
        /// The base name of that recording.
        filename: String,
        /// A new group, in a room with groups.
        group: String,
        /// Whether Janus should send a new SDP offer (renegotiation).
        generate_offer: bool,
    }
}

impl Configure {
    /// Changes nothing yet; add changes with the setters.
    pub fn new() -> Configure {
        Configure::default()
    }
}

plugin_struct! {
    /// Moves this participant to another room, keeping its PeerConnection.
    /// Answered by [`RoomChanged`]; the old room sees it leave, the new one
    /// join.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "changeroom")]
    pub struct ChangeRoom {
        /// The room to move to.
        pub room: RoomId,
    }
    set {
        /// The id to take in the new room; Janus picks one when absent.
        id: ParticipantId,
        /// The group to join, in a room with groups.
        group: String,
        /// The new room's PIN, when it has one.
        pin: String,
        /// The name the others see.
        display: String,
        /// An invitation token, when the new room checks them.
        token: String,
        /// Whether to be muted in the new room.
        muted: bool,
        /// Whether to be suspended in the new room.
        suspended: bool,
        /// The bitrate of the Opus encoder, in bits per second.
        bitrate: u32,
        /// The Opus encoder's complexity, 1 to 10.
        quality: u8,
        /// The packet loss percentage the Opus encoder expects.
        expected_loss: u8,
        /// A gain in the mix, in percent.
        volume: u32,
        /// Where to be placed in a spatial room, 0 (left) to 100 (right).
        spatial_position: u8,
        /// The new room's secret, to take an id the room reserves.
        secret: String,
    }
}

impl ChangeRoom {
    /// Moves to `room`; add options with the setters.
    pub fn new(room: impl Into<RoomId>) -> ChangeRoom {
        ChangeRoom {
            room: room.into(),
            id: None,
            group: None,
            pin: None,
            display: None,
            token: None,
            muted: None,
            suspended: None,
            bitrate: None,
            quality: None,
            expected_loss: None,
            volume: None,
            spatial_position: None,
            secret: None,
        }
    }
}

bare_request!(
    /// Leaves the room (the PeerConnection, if any, stays). Answered by
    /// [`Left`]; the others get a [`LeavingEvent`].
    Leave = "leave"
);
