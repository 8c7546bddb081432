//! The vocabulary the client adapters share: the notices a session, a
//! handle or a connection reports, the connection [`Options`], and the one
//! [`Error`] type of their APIs. Plain data: nothing here does I/O.

use crate::serde_json::Value;
use crate::{
    CommandError, Config, EndReason, HandleEvent, JanusError, KeepaliveInterval, PluginError,
    ProtocolError, ReconnectPolicy, Reply, RequestError, Secret, SessionId,
};
use std::time::Duration;

/// Something that happened to a handle.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum HandleNotice {
    /// An event that answers no request: a plugin event, `webrtcup`,
    /// `media`, `slowlink`, `hangup`, a trickle candidate, ...
    Event(HandleEvent),
    /// The handle ended (reported exactly once; nothing follows).
    Ended(EndReason),
}

/// Something that happened to a session.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SessionNotice {
    /// After a WebSocket reconnect the session was claimed on the new
    /// connection: the same session, still usable.
    Reclaimed,
    /// A message for the session this crate cannot route, kept whole (for
    /// example an event of a handle attached by another client).
    Unknown(Value),
    /// The session ended (reported exactly once, after the `Ended` of each
    /// of its handles; nothing follows).
    Ended(EndReason),
}

/// Something that happened to the connection as a whole.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ClientNotice {
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
}

/// How to connect: the engine's [`Config`] plus a few adapter settings.
///
/// The transport comes from the URL given to
/// an adapter's `Client::connect_with`: for `ws://` and
/// `wss://` the URL becomes the first of `Config::servers` (other entries are
/// tried in turn when reconnecting); for `http://` and `https://` the
/// flavour becomes [`Flavour::HTTP`](crate::Flavour::HTTP) unless an
/// HTTP flavour is already set.
///
/// ```
/// use janus_core::client::Options;
/// use janus_core::{KeepaliveInterval, ReconnectPolicy};
/// ///
/// let options = Options::new()
///     .api_secret("janusrocks")
///     .request_timeout(Duration::from_secs(5))
///     .keepalive(KeepaliveInterval::Fixed(Duration::from_secs(10)))
///     .reconnect(ReconnectPolicy { max_attempts: 2, ..ReconnectPolicy::default() })
///     .configure(|c| c.max_in_flight = 100);
/// ```
#[derive(Clone, Debug)]
pub struct Options {
    /// The engine configuration.
    pub config: Config,
    /// The bound of the TCP connect plus the WebSocket (and TLS) handshake
    /// (10 s by default).
    pub connect_timeout: Duration,
    /// Whether `connect` sends `info` first (true by default).
    pub fetch_info: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            config: Config::default(),
            connect_timeout: Duration::from_secs(10),
            fetch_info: true,
        }
    }
}

impl From<Config> for Options {
    fn from(config: Config) -> Self {
        Self::new().config(config)
    }
}

impl Options {
    /// The defaults: `Config::default()`, a 10 s connect timeout, and an
    /// `info` request at connect.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the engine configuration.
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Changes the engine configuration in place.
    pub fn configure(mut self, f: impl FnOnce(&mut Config)) -> Self {
        f(&mut self.config);
        self
    }

    /// The engine configuration as it stands.
    pub fn engine_config(&self) -> &Config {
        &self.config
    }

    /// `apisecret` added to every request.
    pub fn api_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.config.api_secret = Some(secret.into());
        self
    }

    /// `token` added to every request (stored-token authentication).
    pub fn token(mut self, token: impl Into<Secret>) -> Self {
        self.config.token = Some(token.into());
        self
    }

    /// The default deadline of each request.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.config.request_timeout = timeout;
        self
    }

    /// The keepalive interval of sessions this client keeps alive.
    pub fn keepalive(mut self, interval: KeepaliveInterval) -> Self {
        self.config.keepalive_interval = interval;
        self
    }

    /// What to do when the WebSocket drops.
    pub fn reconnect(mut self, policy: ReconnectPolicy) -> Self {
        self.config.reconnect = policy;
        self
    }

    /// Tells the engine the server's `session_timeout` (zero: sessions
    /// never expire) instead of learning it from `info`.
    pub fn session_timeout(mut self, timeout: Duration) -> Self {
        self.config.session_timeout = timeout;
        self.config.learn_from_info = false;
        self
    }

    /// The bound of the TCP connect plus the WebSocket (and TLS) handshake.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Whether `Client::connect` sends `info`
    /// (default true): over HTTP it is the only proof that the server
    /// answers, and its reply teaches the engine the server's session
    /// timeout, from which the automatic keepalive interval follows.
    pub fn fetch_info(mut self, on: bool) -> Self {
        self.fetch_info = on;
        self
    }
}

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

    /// Whether the request failed because the transport closed before the
    /// reply arrived ([`RequestError::TransportClosed`]).
    pub fn is_transport_closed(&self) -> bool {
        matches!(self, Error::Request(RequestError::TransportClosed))
    }

    /// Whether no reply arrived before the request's deadline.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Request(RequestError::TimedOut))
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
            Error::Request(RequestError::Ended(r)) => Some(*r),
            _ => None,
        }
    }
}
