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
