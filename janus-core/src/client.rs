//! What the client adapters share: the events a session, a handle or a
//! connection reports, the connection [`Options`], the one [`Error`] type
//! of their APIs, and the [`Router`] their drivers keep between the engine
//! and the callers. Nothing here does I/O.

use crate::serde_json::Value;
use crate::{
    CommandError, Config, EndReason, Event, HandleId, JanusError, KeepaliveInterval, PluginError,
    ProtocolError, ReconnectPolicy, Reply, Request, RequestError, RequestId, Secret, SessionId,
};
pub use crate::{HandleEvent, SessionEvent};
use std::collections::HashMap;
use std::time::Duration;

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
}

/// How to connect: the engine's [`Config`] plus a few adapter settings.
///
/// The transport comes from the URL given to
/// an adapter's `Client::connect_with`: for `ws://` and
/// `wss://` the URL becomes the first of `Config::servers` (other entries are
/// tried in turn when reconnecting); for `http://` and `https://` the
/// transport becomes [`Transport::HTTP`](crate::Transport::HTTP) unless an
/// HTTP transport is already set.
///
/// ```
/// use janus_core::client::Options;
/// use janus_core::{KeepaliveInterval, ReconnectPolicy};
/// use std::time::Duration;
///
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
    /// DER certificates to trust for `wss://` and `https://` **instead of**
    /// the webpki roots (for a Janus behind a private CA or a self-signed
    /// certificate); empty by default: the webpki roots.
    pub root_certificates: Vec<Vec<u8>>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            config: Config::default(),
            connect_timeout: Duration::from_secs(10),
            fetch_info: true,
            root_certificates: Vec::new(),
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

    /// Trusts the DER certificate `der` for `wss://` and `https://`; once
    /// any is given, only the given ones are trusted (see
    /// [`root_certificates`](Self::root_certificates)).
    pub fn root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(der.into());
        self
    }

    /// Whether `Client::connect` sends `info` (default true): over HTTP it
    /// is the only proof that the server answers, and its reply teaches the
    /// engine the server's session timeout, from which the automatic
    /// keepalive interval follows.
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

/// The sending end of a event stream (a channel), as the adapters'
/// drivers hold them for each session and handle.
pub trait EventSender<T> {
    /// Hands `event` over; false if nobody receives any more.
    fn send_event(&self, event: T) -> bool;
}

/// Where the events of a session or handle being created go, once the
/// request that creates it succeeds.
#[derive(Debug)]
pub enum Subscriber<S, H> {
    /// For `create` or `claim`.
    Session(S),
    /// For `attach`.
    Handle(H),
}

/// What [`Router::route`] leaves to its owner.
#[derive(Debug)]
#[non_exhaustive]
pub enum Routed<P> {
    /// A caller's request resolved: hand it this outcome.
    Resolved(P, Result<Reply, Error>),
    /// A event for the client as a whole.
    Event(ClientEvent),
    /// Nothing more to do.
    Done,
}

enum Waiter<P, S, H> {
    Caller {
        reply: P,
        subscribe: Option<Subscriber<S, H>>,
    },
    Forgotten,
}

/// The bookkeeping every adapter's driver needs between the engine and its
/// callers, whatever its channels: which caller waits for which request,
/// and whose event stream each session and handle feeds. `P` is a
/// caller's reply slot, `S` and `H` the senders of session and handle
/// events.
pub struct Router<P, S, H> {
    waiters: HashMap<RequestId, Waiter<P, S, H>>,
    sessions: HashMap<SessionId, S>,
    handles: HashMap<HandleId, H>,
    forgotten: usize,
}

impl<P, S, H> Default for Router<P, S, H> {
    fn default() -> Self {
        Self {
            waiters: HashMap::new(),
            sessions: HashMap::new(),
            handles: HashMap::new(),
            forgotten: 0,
        }
    }
}

impl<P, S, H> std::fmt::Debug for Router<P, S, H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Router")
            .field("waiting", &self.waiters.len())
            .field("sessions", &self.sessions.len())
            .field("handles", &self.handles.len())
            .field("forgotten", &self.forgotten)
            .finish()
    }
}

impl<P, S, H> Router<P, S, H>
where
    S: EventSender<SessionEvent>,
    H: EventSender<HandleEvent>,
{
    /// An empty router.
    pub fn new() -> Self {
        Self::default()
    }

    /// A caller waits for request `id`; `subscribe` receives the events of
    /// the session or handle it creates.
    pub fn wait(&mut self, id: RequestId, reply: P, subscribe: Option<Subscriber<S, H>>) {
        self.waiters.insert(id, Waiter::Caller { reply, subscribe });
    }

    /// Nobody waits for request `id` (the destroy or detach of a drop).
    pub fn forget(&mut self, id: RequestId) {
        self.waiters.insert(id, Waiter::Forgotten);
        self.forgotten += 1;
    }

    /// How many forgotten requests are still in flight.
    pub fn forgotten(&self) -> usize {
        self.forgotten
    }

    /// Routes one engine event: events go to their session's or handle's
    /// stream at once; what is left for the owner is returned.
    pub fn route(&mut self, event: Event) -> Routed<P> {
        match event {
            Event::Response { id, result } => return self.resolve(id, result),
            Event::Handle { handle, event, .. } => {
                let ended = matches!(event, HandleEvent::Ended(_));
                if let Some(tx) = self.handles.get(&handle) {
                    if !tx.send_event(event) || ended {
                        self.handles.remove(&handle);
                    }
                }
            }
            Event::Session { session, event } => {
                let ended = matches!(event, SessionEvent::Ended(_));
                match (self.sessions.get(&session), event) {
                    (Some(tx), event) => {
                        if !tx.send_event(event) || ended {
                            self.sessions.remove(&session);
                        }
                    }
                    (None, SessionEvent::Unknown(raw)) => {
                        return Routed::Event(ClientEvent::Unknown {
                            session: Some(session),
                            raw,
                        })
                    }
                    (None, _) => {}
                }
            }
            Event::Unknown { session, raw } => {
                return Routed::Event(ClientEvent::Unknown { session, raw })
            }
            Event::Connected => return Routed::Event(ClientEvent::Connected),
            Event::Disconnected {
                reason,
                reconnecting,
            } => {
                return Routed::Event(ClientEvent::Disconnected {
                    reason,
                    reconnecting,
                })
            }
            Event::ProtocolError(e) => return Routed::Event(ClientEvent::ProtocolError(e)),
        }
        Routed::Done
    }

    fn resolve(&mut self, id: RequestId, result: Result<Reply, RequestError>) -> Routed<P> {
        match self.waiters.remove(&id) {
            Some(Waiter::Caller { reply, subscribe }) => {
                match (&result, subscribe) {
                    (
                        Ok(Reply::SessionCreated(s) | Reply::Claimed(s)),
                        Some(Subscriber::Session(tx)),
                    ) => {
                        self.sessions.insert(*s, tx);
                    }
                    (Ok(Reply::Attached(h)), Some(Subscriber::Handle(tx))) => {
                        self.handles.insert(*h, tx);
                    }
                    _ => {}
                }
                Routed::Resolved(reply, result.map_err(Error::from))
            }
            Some(Waiter::Forgotten) => {
                self.forgotten -= 1;
                Routed::Done
            }
            None => Routed::Done,
        }
    }
}

/// The request that undoes what `reply` created (the destroy of a new or
/// claimed session, the detach of a new handle), for a caller that is gone.
pub fn undo(reply: &Reply) -> Option<Request> {
    match reply {
        Reply::SessionCreated(session) | Reply::Claimed(session) => {
            Some(Request::Destroy { session: *session })
        }
        Reply::Attached(handle) => Some(Request::Detach { handle: *handle }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// A event sink that records, and can be closed.
    #[derive(Clone)]
    struct Sink<T>(Rc<RefCell<(Vec<T>, bool)>>);

    impl<T> Default for Sink<T> {
        fn default() -> Self {
            Sink(Rc::new(RefCell::new((Vec::new(), false))))
        }
    }

    impl<T> EventSender<T> for Sink<T> {
        fn send_event(&self, event: T) -> bool {
            let mut inner = self.0.borrow_mut();
            if inner.1 {
                return false;
            }
            inner.0.push(event);
            true
        }
    }

    type TestRouter = Router<&'static str, Sink<SessionEvent>, Sink<HandleEvent>>;

    fn respond(id: u64, result: Result<Reply, RequestError>) -> Event {
        Event::Response {
            id: RequestId(id),
            result,
        }
    }

    #[test]
    fn routes_replies_and_notices_to_their_owners() {
        let mut router = TestRouter::new();
        let (session_sink, handle_sink) = (Sink::default(), Sink::default());
        router.wait(
            RequestId(1),
            "create",
            Some(Subscriber::Session(session_sink.clone())),
        );
        router.wait(
            RequestId(2),
            "attach",
            Some(Subscriber::Handle(handle_sink.clone())),
        );
        router.forget(RequestId(3));
        assert_eq!(router.forgotten(), 1);

        let (s, h) = (SessionId(10), HandleId(20));
        match router.route(respond(1, Ok(Reply::SessionCreated(s)))) {
            Routed::Resolved("create", Ok(Reply::SessionCreated(id))) => assert_eq!(id, s),
            other => panic!("{other:?}"),
        }
        match router.route(respond(2, Ok(Reply::Attached(h)))) {
            Routed::Resolved("attach", Ok(Reply::Attached(id))) => assert_eq!(id, h),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            router.route(respond(3, Ok(Reply::Ack))),
            Routed::Done
        ));
        assert_eq!(router.forgotten(), 0);
        // An unknown or repeated response is nobody's.
        assert!(matches!(
            router.route(respond(1, Ok(Reply::Ack))),
            Routed::Done
        ));

        let event = HandleEvent::WebrtcUp;
        router.route(Event::Handle {
            session: s,
            handle: h,
            event: event.clone(),
        });
        router.route(Event::Session {
            session: s,
            event: SessionEvent::Unknown(Value::Null),
        });
        router.route(Event::Handle {
            session: s,
            handle: h,
            event: HandleEvent::Ended(EndReason::Detached),
        });
        router.route(Event::Session {
            session: s,
            event: SessionEvent::Ended(EndReason::Destroyed),
        });
        assert_eq!(
            handle_sink.0.borrow().0,
            [event, HandleEvent::Ended(EndReason::Detached)]
        );
        assert_eq!(
            session_sink.0.borrow().0,
            [
                SessionEvent::Unknown(Value::Null),
                SessionEvent::Ended(EndReason::Destroyed)
            ]
        );
        // Once ended, a session's messages are the client's.
        match router.route(Event::Session {
            session: s,
            event: SessionEvent::Unknown(Value::Null),
        }) {
            Routed::Event(ClientEvent::Unknown { session, .. }) => assert_eq!(session, Some(s)),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            router.route(Event::Connected),
            Routed::Event(ClientEvent::Connected)
        ));
        assert!(router.sessions.is_empty() && router.handles.is_empty());
        assert!(router.waiters.is_empty());
    }

    #[test]
    fn failures_subscribe_nothing_and_closed_streams_are_dropped() {
        let mut router = TestRouter::new();
        let sink = Sink::default();
        router.wait(
            RequestId(1),
            "attach",
            Some(Subscriber::Handle(sink.clone())),
        );
        let failed = Err(RequestError::TimedOut);
        match router.route(respond(1, failed)) {
            Routed::Resolved(_, Err(Error::Request(RequestError::TimedOut))) => {}
            other => panic!("{other:?}"),
        }
        assert!(router.handles.is_empty());

        router.wait(
            RequestId(2),
            "attach",
            Some(Subscriber::Handle(sink.clone())),
        );
        router.route(respond(2, Ok(Reply::Attached(HandleId(5)))));
        sink.0.borrow_mut().1 = true; // the receiver is gone
        router.route(Event::Handle {
            session: SessionId(1),
            handle: HandleId(5),
            event: HandleEvent::WebrtcUp,
        });
        assert!(router.handles.is_empty());
    }

    #[test]
    fn undo_ends_what_was_created() {
        let s = SessionId(1);
        assert_eq!(
            undo(&Reply::SessionCreated(s)),
            Some(Request::Destroy { session: s })
        );
        assert_eq!(
            undo(&Reply::Claimed(s)),
            Some(Request::Destroy { session: s })
        );
        assert_eq!(
            undo(&Reply::Attached(HandleId(2))),
            Some(Request::Detach {
                handle: HandleId(2)
            })
        );
        assert_eq!(undo(&Reply::Ack), None);
    }
}
