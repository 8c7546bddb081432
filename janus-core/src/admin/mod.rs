//! The Janus Admin API: requests, replies and the typed view of handle
//! state, as plain data.
//!
//! The Admin API is a separate endpoint (HTTP `/admin`, or a WebSocket with
//! the `janus-admin-protocol` subprotocol) for operating a server: listing
//! sessions and handles, reading a handle's WebRTC state, changing the log
//! level, managing stored tokens, and so on. An engine speaks it when its
//! [`Config::api`](crate::Config::api) is [`Api::Admin`](crate::Api::Admin);
//! every request then carries [`Config::admin_secret`](crate::Config::admin_secret).
//!
//! Each request is a struct implementing [`AdminCall`]: it becomes an
//! [`AdminRequest`] (verb, target, fields) and its reply, the fields of the
//! server's `success`, is read into [`AdminCall::Reply`].
//!
//! ```
//! use janus_core::admin::{AdminCall, ListHandles, SetLogLevel};
//! use janus_core::serde_json::json;
//! use janus_core::SessionId;
//!
//! let request = ListHandles::new(SessionId(7)).to_request();
//! assert_eq!((request.verb, request.session), ("list_handles", Some(SessionId(7))));
//!
//! let reply = json!({"session_id": 7, "handles": [42, 43]});
//! let handles = ListHandles::parse_reply(reply.as_object().unwrap().clone()).unwrap();
//! assert_eq!(handles.len(), 2);
//!
//! let request = SetLogLevel::new(5).to_request();
//! assert_eq!(request.fields["level"], json!(5));
//! ```

use crate::ids::{HandleId, SessionId};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

mod handle_info;
mod requests;

pub use handle_info::{Component, Dtls, HandleFlags, HandleInfo, Stream};
pub use requests::*;

/// One Admin API request: its verb, the session and handle it addresses
/// (put in the path over HTTP, in the body over WebSocket), and its other
/// fields.
#[derive(Clone, Debug, PartialEq)]
pub struct AdminRequest {
    /// The `janus` verb (`list_sessions`, `handle_info`, ...).
    pub verb: &'static str,
    /// The session it addresses, if any.
    pub session: Option<SessionId>,
    /// The handle it addresses, if any (a handle request also names its
    /// session).
    pub handle: Option<HandleId>,
    /// The request's other fields.
    pub fields: Map<String, Value>,
}

impl AdminRequest {
    /// A request with no target and no fields.
    pub fn new(verb: &'static str) -> Self {
        Self {
            verb,
            session: None,
            handle: None,
            fields: Map::new(),
        }
    }

    /// Addressed to `session`.
    pub fn session(mut self, session: SessionId) -> Self {
        self.session = Some(session);
        self
    }

    /// Addressed to `handle` of `session`.
    pub fn handle(mut self, session: SessionId, handle: HandleId) -> Self {
        self.session = Some(session);
        self.handle = Some(handle);
        self
    }

    /// With the field `key` set to `value`.
    pub fn field(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.fields.insert(key.to_owned(), value.into());
        self
    }
}

/// A typed Admin API request and the type of its reply.
pub trait AdminCall {
    /// What the request answers with when it succeeds.
    type Reply: DeserializeOwned;

    /// The request to send.
    fn to_request(&self) -> AdminRequest;

    /// Reads the reply from the fields of the server's `success` (every
    /// field but `janus` and `transaction`).
    fn parse_reply(fields: Map<String, Value>) -> Result<Self::Reply, serde_json::Error> {
        serde_json::from_value(Value::Object(fields))
    }
}

impl AdminCall for AdminRequest {
    type Reply = Map<String, Value>;

    fn to_request(&self) -> AdminRequest {
        self.clone()
    }
}

/// The fields of `value` (a struct that serializes to an object).
fn fields_of<T: Serialize>(value: &T) -> Map<String, Value> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}
