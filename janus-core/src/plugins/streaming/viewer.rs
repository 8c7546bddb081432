//! Requests of a viewer handle.

use super::*;

plugin_struct! {
    /// Asks to watch a mountpoint. Answered by a `preparing`
    /// [`Event::Status`] with Janus's SDP offer.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "watch")]
    pub struct Watch {
        /// The mountpoint to watch.
        pub id: MountpointId,
    }
    set {
        /// The mountpoint's PIN, when it has one.
        pin: String,
        /// Only these streams of the mountpoint, by `mid`.
        media: Vec<String>,
        /// Asks for a new offer with an ICE restart on a running watch.
        restart: bool,
    }
}

impl Watch {
    /// Watches mountpoint `id`.
    pub fn new(id: impl Into<MountpointId>) -> Watch {
        Watch {
            id: id.into(),
            pin: None,
            media: None,
            restart: None,
        }
    }
}

bare_request!(
    /// Starts the media, with the viewer's SDP answer as the JSEP; also
    /// resumes after [`Pause`]. Answered by a `starting` [`Event::Status`].
    Start = "start"
);

bare_request!(
    /// Pauses the media. Answered by a `pausing` [`Event::Status`].
    Pause = "pause"
);

bare_request!(
    /// Stops watching (the PeerConnection goes). Answered by a `stopping`
    /// [`Event::Status`] once a PeerConnection was up.
    Stop = "stop"
);

plugin_struct! {
    /// Moves the viewer to another mountpoint with the same kind of media,
    /// without renegotiation. Answered by [`Event::Switched`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "switch")]
    pub struct Switch {
        /// The mountpoint to switch to.
        pub id: MountpointId,
    }
}

impl Switch {
    /// Switches to mountpoint `id`.
    pub fn new(id: impl Into<MountpointId>) -> Switch {
        Switch { id: id.into() }
    }
}

plugin_struct! {
    /// Changes what the viewer receives of one stream (or of all when
    /// `mid` is absent). Answered by [`Event::Configured`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "configure")]
    pub struct Configure {
        /// Which simulcast or SVC layer to receive, and the playout delay.
        #[serde(flatten)]
        pub layers: Layers,
    }
    set {
        /// The stream to change, by `mid`.
        mid: String,
        /// Whether Janus relays it.
        send: bool,
    }
}

impl Configure {
    /// A configure request that changes nothing yet.
    pub fn new() -> Configure {
        Configure::default()
    }

    /// Sets the layers to receive and the playout delay.
    #[must_use]
    pub fn layers(mut self, layers: Layers) -> Configure {
        self.layers = layers;
        self
    }
}
