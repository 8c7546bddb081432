//! The one error type of every adapter's API.

use janus_core::{CommandError, EndReason, JanusError, PluginError, Reply, RequestError};

/// Everything a client call can fail with, in every adapter.
///
/// The engine's typed errors are kept whole: a request that reached the
/// server and failed is [`Error::Request`] (a Janus error with its numeric
/// code, a plugin error, a timeout, the transport closing, the session or
/// handle ending); a command the engine refused before sending anything is
/// [`Error::Command`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request was queued and failed: see [`RequestError`].
    #[error(transparent)]
    Request(#[from] RequestError),
    /// The engine refused the command (unknown session or handle, the
    /// connection is closed for good, too many requests in flight, an
    /// invalid argument); nothing was sent.
    #[error(transparent)]
    Command(#[from] CommandError),
    /// The URL cannot be used (scheme, host, or a configuration of the other
    /// transport).
    #[error("invalid URL {url:?}: {reason}")]
    Url {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `Client::connect` could not reach the
    /// server (WebSocket handshake, or the first `info` request).
    #[error("cannot connect to {url}: {reason}")]
    Connect {
        /// The URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// A local I/O error (for example the background thread could not start).
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The client is closed: `Client::close` was
    /// called, or its background thread stopped because the connection is
    /// gone for good.
    #[error("the client is closed")]
    Closed,
    /// The server's reply was of an unexpected kind for this call.
    #[error("unexpected reply: {0:?}")]
    UnexpectedReply(Box<Reply>),
    /// A typed plugin request sent on a handle of another plugin: nothing
    /// was sent. Attach a handle to the request's plugin.
    #[error("a {request} request cannot go to a handle on {handle}")]
    WrongPlugin {
        /// The plugin the request is for.
        request: &'static str,
        /// The plugin the handle is attached to.
        handle: String,
    },
    /// The plugin answered a typed request with something that does not
    /// read as its reply type (a newer or patched plugin): the answer is
    /// kept in the error.
    #[error(transparent)]
    PluginReply(janus_core::plugins::ReplyError),
    /// The server answered an Admin API request with something that does
    /// not read as its reply type (a newer or patched server).
    #[error("the server's answer to `{request}` could not be read: {reason}")]
    AdminReply {
        /// The request's verb.
        request: &'static str,
        /// What did not fit.
        reason: String,
    },
    /// A media handle's PeerConnection refused the step (see the `media`
    /// feature of the adapters); the message says what to do.
    #[error("media: {0}")]
    Media(Box<dyn std::error::Error + Send + Sync>),
    /// `claim` of a session this client already holds: nothing was sent.
    /// Use the `Session` already held; `claim` takes over sessions held by
    /// other connections.
    #[error("this client already holds session {0}; use that Session (claim takes over sessions held elsewhere)")]
    AlreadyHeld(janus_core::SessionId),
    /// The session or handle this call addressed had already ended, so
    /// nothing was sent: create a new session or attach a new handle.
    #[error("{target} already ended ({reason}); it cannot be used any more")]
    Ended {
        /// What ended, e.g. "handle 123".
        target: String,
        /// Why.
        reason: EndReason,
    },
}

impl Error {
    /// The Janus core error (`"janus": "error"`), if this is one.
    pub fn janus_error(&self) -> Option<&JanusError> {
        match self {
            Error::Request(RequestError::Janus(e)) => Some(e),
            _ => None,
        }
    }

    /// The numeric Janus core error code (403, 458, 459, 460, ...), if any.
    pub fn janus_code(&self) -> Option<u16> {
        self.janus_error().map(|e| e.code)
    }

    /// Whether this is the Janus core error `code`.
    pub fn is_janus_code(&self, code: u16) -> bool {
        self.janus_code() == Some(code)
    }

    /// The plugin's error (`plugindata.data.error_code`), if this is one.
    pub fn plugin_error(&self) -> Option<&PluginError> {
        match self {
            Error::Request(RequestError::Plugin(e)) => Some(e),
            _ => None,
        }
    }

    /// The plugin's numeric error code, if this is a plugin error.
    pub fn plugin_code(&self) -> Option<i64> {
        self.plugin_error().map(|e| e.code)
    }

    /// Whether the request failed because the transport closed or its HTTP
    /// exchange failed before the reply arrived
    /// ([`RequestError::TransportClosed`], [`RequestError::HttpFailed`]).
    pub fn is_transport_closed(&self) -> bool {
        matches!(
            self,
            Error::Request(RequestError::TransportClosed | RequestError::HttpFailed(_))
        )
    }

    /// Whether no reply arrived before the request's deadline.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Request(RequestError::TimedOut { .. }))
    }

    /// Whether the client or its connection is closed for good
    /// ([`Error::Closed`] or [`CommandError::Closed`]).
    pub fn is_closed(&self) -> bool {
        matches!(self, Error::Closed | Error::Command(CommandError::Closed))
    }

    /// Why the addressed session or handle ended, if the request failed
    /// because it did ([`RequestError::Ended`]).
    pub fn end_reason(&self) -> Option<EndReason> {
        match self {
            Error::Request(RequestError::Ended(r)) | Error::Ended { reason: r, .. } => Some(*r),
            _ => None,
        }
    }
}
