//! What the connection as a whole reports.

use janus_core::serde_json::Value;
use janus_core::{ProtocolError, SessionId};

/// Something that happened to the connection as a whole.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ClientEvent {
    /// The WebSocket is up (first connect or reconnect).
    Connected,
    /// The WebSocket went down.
    Disconnected {
        /// Why.
        reason: String,
        /// Whether the engine will try to reconnect.
        reconnecting: bool,
    },
    /// A message that belongs to no session this client holds.
    Unknown {
        /// The session it named, if any.
        session: Option<SessionId>,
        /// The whole message.
        raw: Value,
    },
    /// Input from the server that could not be used (dropped).
    ProtocolError(ProtocolError),
    /// The reader fell behind: the bounded queue of these events dropped
    /// this many of the oldest.
    Lagged {
        /// How many events were lost.
        dropped: u64,
    },
}

/// A handle's event read with the vocabulary of its plugin `P`: plugin
/// events as `P::Event` (never failing: what is not known is its `Other`),
/// everything else as it came.
#[derive(Debug)]
#[non_exhaustive]
pub enum TypedEvent<P: janus_core::plugins::Plugin> {
    /// An event of the plugin.
    Plugin {
        /// The event.
        event: P::Event,
        /// The SDP that came with it.
        jsep: Option<Box<janus_core::Jsep>>,
        /// The transaction of the request that caused it, if any.
        transaction: Option<String>,
    },
    /// Any other event of the handle (WebRTC state, trickle, a late reply,
    /// the end of the handle, ...).
    Handle(janus_core::HandleEvent),
}

impl<P: janus_core::plugins::Plugin> TypedEvent<P> {
    /// Reads one handle event.
    pub fn read(event: janus_core::HandleEvent) -> Self {
        match event {
            janus_core::HandleEvent::Plugin {
                data,
                jsep,
                transaction,
                ..
            } => TypedEvent::Plugin {
                event: P::event(data.into_value()),
                jsep,
                transaction,
            },
            other => TypedEvent::Handle(other),
        }
    }

    /// Whether this is the handle's end.
    pub fn is_end(&self) -> bool {
        matches!(self, TypedEvent::Handle(janus_core::HandleEvent::Ended(_)))
    }
}
