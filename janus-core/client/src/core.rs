//! The client core: the engine plus everything between it and the callers
//! that is not I/O.

use crate::router::{Routed, Router, Trace};
use crate::{ClientEvent, Error, EventSender, Subscriber};
use janus_core::{
    Connection, Counters, Event, Footprint, HandleEvent, Input, Output, Reply, Request,
    SessionEvent, SessionId, SessionOrigin, Transmit,
};
use std::time::{Duration, Instant};

/// What a caller waiting for a request gets.
pub type Answer = Result<Reply, Error>;

/// The longest a driver lingers at shutdown for the destroys and detaches
/// queued by dropped sessions and handles.
pub const LINGER: Duration = Duration::from_secs(2);

/// A caller's reply slot (the sending half of a one-shot channel).
pub trait ReplySender: Sized {
    /// Hands the answer over; gives it back if the caller is gone (as a
    /// channel's `send` does, so the error is the answer itself).
    #[allow(clippy::result_large_err)]
    fn send_reply(self, answer: Answer) -> Result<(), Answer>;
}

/// The channel types of one driver: the callers' reply slots and the
/// senders of session, handle and connection events.
pub trait Channels {
    /// A caller's reply slot.
    type Reply: ReplySender;
    /// Feeds a session's event stream.
    type Session: EventSender<SessionEvent>;
    /// Feeds a handle's event stream.
    type Handle: EventSender<HandleEvent>;
    /// Feeds the connection's event stream.
    type Client: EventSender<ClientEvent>;
}

/// Where the events of a session or handle being created go.
pub type SubscriberOf<C> = Subscriber<<C as Channels>::Session, <C as Channels>::Handle>;

/// What the driver must do next, from [`ClientCore::poll`].
#[derive(Debug)]
#[must_use]
pub enum Action {
    /// Open the WebSocket to this address, then feed [`Input::Connected`]
    /// (or [`Input::Closed`] if it fails).
    Connect(String),
    /// Close the WebSocket now (the engine found the link dead); do not
    /// report the close back. A `Connect` follows after the back-off.
    Close(String),
    /// Send this.
    Transmit(Transmit),
    /// Nothing to do until input arrives or this deadline passes (`None`:
    /// no deadline); then call [`ClientCore::poll`] again.
    Wait(Option<Instant>),
    /// The client is over: close the transport and stop. Every caller has
    /// had its answer and every stream its end.
    Stop,
}

/// Figures for monitoring a client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Metrics {
    /// How much state the engine holds now.
    pub footprint: Footprint,
    /// What the engine has counted: reconnects, dead links, timeouts.
    pub counters: Counters,
    /// Events dropped so far by full event streams (readers that fell
    /// behind), all streams of the client together.
    pub events_dropped: u64,
}

impl Metrics {
    /// Metrics from their parts.
    pub fn new(footprint: Footprint, counters: Counters, events_dropped: u64) -> Self {
        Self {
            footprint,
            counters,
            events_dropped,
        }
    }
}

/// A snapshot of a session's lifetime as this client sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SessionLifetime {
    /// Created by this client or joined by `claim`.
    pub origin: SessionOrigin,
    /// Whether this client sends keepalives for it (automatically, or
    /// because a hold is on).
    pub keepalive: bool,
    /// The count of holds that keep it from expiring.
    pub holds: u32,
    /// When it will be taken as expired by the local estimate of the
    /// server's deadline (last activity + session timeout + grace); `None`
    /// if it never expires (held, or the server has no session timeout).
    pub expires_at: Option<Instant>,
    /// The time left before then (zero once passed); `None` as above.
    pub time_left: Option<Duration>,
    /// Whether that deadline has passed.
    pub expired: bool,
}

/// The sans-IO client core every driver wraps: the engine, the callers
/// waiting for their requests, the event streams of sessions and handles,
/// the undo of what cancelled calls created, the drop rules, and shutdown.
///
/// A driver feeds it commands ([`request`](Self::request),
/// [`forget`](Self::forget), [`shutdown`](Self::shutdown), ...) and
/// transport input ([`handle_input`](Self::handle_input)), then calls
/// [`poll`](Self::poll) until it returns [`Action::Wait`] or
/// [`Action::Stop`], doing what each [`Action`] says. Callers are answered
/// and events delivered from inside `poll`, after the engine is drained,
/// so the events a reply caused reach their streams before the reply.
pub struct ClientCore<C: Channels> {
    conn: Connection,
    url: String,
    router: Router<C::Reply, C::Session, C::Handle>,
    events: C::Client,
    outcomes: Vec<(C::Reply, Answer)>,
    closing: Option<Instant>,
    stopped: bool,
}

impl<C: Channels> std::fmt::Debug for ClientCore<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCore")
            .field("url", &self.url)
            .field("router", &self.router)
            .field("closing", &self.closing)
            .field("stopped", &self.stopped)
            .finish_non_exhaustive()
    }
}

impl<C: Channels> ClientCore<C> {
    /// A core around `conn`; `url` is where [`Action::Connect`] points when
    /// the engine names no server; `events` feeds the connection's events.
    pub fn new(conn: Connection, url: impl Into<String>, events: C::Client) -> Self {
        Self {
            conn,
            url: url.into(),
            router: Router::new(),
            events,
            outcomes: Vec::new(),
            closing: None,
            stopped: false,
        }
    }

    /// The engine, for reading.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// A request whose outcome `reply` waits for (`timeout`: its deadline,
    /// default `Config::request_timeout`); `subscribe` receives the events
    /// of the session or handle it creates. A refused command is answered
    /// at once.
    pub fn request(
        &mut self,
        now: Instant,
        request: Request,
        timeout: Option<Duration>,
        reply: C::Reply,
        subscribe: Option<SubscriberOf<C>>,
    ) {
        let trace = Trace {
            verb: request.verb(),
            since: now,
        };
        if let Request::Claim { session, .. } = request {
            if self.conn.session_info(session).is_some() {
                // A second Session for it would steal the first one's events.
                self.outcomes
                    .push((reply, Err(Error::AlreadyHeld(session))));
                return;
            }
        }
        let queued = match timeout {
            Some(t) => self.conn.request_with_timeout(now, request, t),
            None => self.conn.request(now, request),
        };
        match queued {
            Ok(id) => {
                tracing::trace!(request = trace.verb, id = id.0, "queued");
                self.router.wait(id, reply, subscribe, trace)
            }
            Err(e) => {
                tracing::debug!(request = trace.verb, error = %e, "refused");
                self.outcomes.push((reply, Err(e.into())))
            }
        }
    }

    /// A request nobody waits for: the destroy or detach of a dropped
    /// session or handle, or the undo of a cancelled call. A command the
    /// engine refuses (the session or handle already ended) needs nothing.
    pub fn forget(&mut self, now: Instant, request: Request) {
        let trace = Trace {
            verb: request.verb(),
            since: now,
        };
        if let Ok(id) = self.conn.request(now, request) {
            tracing::trace!(request = trace.verb, id = id.0, "queued, nobody waits");
            self.router.forget(id, trace);
        }
    }

    /// Work on the engine that needs no round trip (touch, holds,
    /// keepalive switch, lifetime and footprint queries).
    pub fn local<T>(&mut self, now: Instant, f: impl FnOnce(&mut Local<'_>) -> T) -> T {
        f(&mut Local {
            conn: &mut self.conn,
            now,
        })
    }

    /// Stops the client: after the destroys and detaches already queued
    /// for dropped sessions and handles finish (at most [`LINGER`]), the
    /// engine closes (sessions still held end with `Closed`, nothing more
    /// is sent) and [`poll`](Self::poll) returns [`Action::Stop`].
    pub fn shutdown(&mut self, now: Instant) {
        if self.closing.is_none() {
            tracing::debug!(forgotten = self.router.forgotten(), "shutting down");
            self.closing = Some(now + LINGER);
        }
    }

    /// Transport input. Input of the other transport cannot come from a
    /// driver that feeds its own, and is ignored.
    pub fn handle_input(&mut self, now: Instant, input: Input<'_>) {
        let _ = self.conn.handle_input(now, input);
    }

    /// Whether the core has stopped.
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// The next thing for the driver to do. Call it after every command and
    /// input until it returns [`Action::Wait`] or [`Action::Stop`].
    pub fn poll(&mut self, now: Instant) -> Action {
        loop {
            if self.stopped {
                return Action::Stop;
            }
            match self.conn.poll_output() {
                Output::Connect { server } => {
                    let server = if server.is_empty() {
                        self.url.clone()
                    } else {
                        server
                    };
                    tracing::debug!(%server, "connecting");
                    return Action::Connect(server);
                }
                Output::Close { reason } => {
                    tracing::warn!(%reason, "closing a dead link");
                    return Action::Close(reason);
                }
                Output::Transmit(t) => return Action::Transmit(t),
                Output::Event(e) => match self.router.route(log_end(e)) {
                    Routed::Resolved(reply, outcome, trace) => {
                        log_resolved(trace, now, outcome.as_ref().err());
                        self.outcomes.push((reply, outcome))
                    }
                    Routed::Forgotten(trace, outcome) => {
                        log_resolved(trace, now, outcome.as_ref().err());
                    }
                    Routed::Event(event) => {
                        log_client_event(&event);
                        self.events.send_event(event);
                    }
                    Routed::Done => {}
                },
                Output::Idle(deadline) => {
                    if !self.outcomes.is_empty() {
                        self.deliver(now);
                        continue;
                    }
                    if self.conn.is_closed() {
                        tracing::debug!("stopped");
                        self.stopped = true;
                        return Action::Stop;
                    }
                    match self.closing {
                        Some(at) if self.router.forgotten() == 0 || now >= at => {
                            self.conn.close(now);
                            continue;
                        }
                        Some(at) => return Action::Wait(Some(deadline.map_or(at, |d| d.min(at)))),
                        None => return Action::Wait(deadline),
                    }
                }
            }
        }
    }

    /// Hands resolved requests to their callers; what a caller that is
    /// gone had created is undone.
    fn deliver(&mut self, now: Instant) {
        for (reply, outcome) in std::mem::take(&mut self.outcomes) {
            if let Err(Ok(reply)) = reply.send_reply(outcome) {
                if let Some(undo) = crate::router::undo(&reply) {
                    self.forget(now, undo);
                }
            }
        }
    }
}

/// The end of a session or handle, at debug level.
fn log_end(event: Event) -> Event {
    match &event {
        Event::Session {
            session,
            event: SessionEvent::Ended(reason),
        } => tracing::debug!(%session, %reason, "session ended"),
        Event::Session {
            session,
            event: SessionEvent::Reclaimed,
        } => tracing::info!(%session, "session reclaimed"),
        Event::Handle {
            handle,
            event: HandleEvent::Ended(reason),
            ..
        } => tracing::debug!(%handle, %reason, "handle ended"),
        _ => {}
    }
    event
}

/// One request's outcome, at debug level (failures with their error).
fn log_resolved(trace: Trace, now: Instant, error: Option<&impl std::fmt::Display>) {
    let elapsed = now.saturating_duration_since(trace.since);
    match error {
        None => tracing::debug!(request = trace.verb, ?elapsed, "succeeded"),
        Some(error) => tracing::debug!(request = trace.verb, ?elapsed, %error, "failed"),
    }
}

/// What happened to the connection: link changes at info and warn, input
/// that could not be used at warn.
fn log_client_event(event: &ClientEvent) {
    match event {
        ClientEvent::Connected => tracing::info!("connected"),
        ClientEvent::Disconnected {
            reason,
            reconnecting,
        } => tracing::warn!(%reason, reconnecting, "disconnected"),
        ClientEvent::ProtocolError(error) => tracing::warn!(%error, "input dropped"),
        ClientEvent::Unknown { session, .. } => {
            tracing::debug!(?session, "a message for no session held here")
        }
        ClientEvent::Lagged { dropped } => tracing::warn!(dropped, "client events dropped"),
    }
}

/// The engine, lent for work that needs no round trip; see
/// [`ClientCore::local`].
#[derive(Debug)]
pub struct Local<'a> {
    conn: &'a mut Connection,
    now: Instant,
}

impl Local<'_> {
    /// How much state the engine holds.
    pub fn footprint(&self) -> Footprint {
        self.conn.footprint()
    }

    /// What the engine has counted so far.
    pub fn counters(&self) -> Counters {
        self.conn.counters()
    }

    /// Records activity on the session now, pushing back its keepalive and
    /// its expiry estimate.
    pub fn touch(&mut self, session: SessionId) -> Result<(), Error> {
        Ok(self.conn.touch(self.now, session)?)
    }

    /// Turns automatic keepalive on or off for the session.
    pub fn set_keepalive(&mut self, session: SessionId, on: bool) -> Result<(), Error> {
        Ok(self.conn.set_keepalive(session, on)?)
    }

    /// Adds a hold on the session (kept alive, never expires locally);
    /// returns the holds now on.
    pub fn hold(&mut self, session: SessionId) -> Result<u32, Error> {
        Ok(self.conn.prevent_expire(session)?)
    }

    /// Removes a hold; returns the holds left. A session that ended has
    /// none to remove, which is fine.
    pub fn release(&mut self, session: SessionId) -> u32 {
        self.conn.allow_expire(session).unwrap_or(0)
    }

    /// The session's lifetime as the engine sees it now.
    pub fn lifetime(&self, session: SessionId) -> Result<SessionLifetime, Error> {
        let info = self
            .conn
            .session_info(session)
            .ok_or(janus_core::CommandError::UnknownSession(session))?;
        let expires_at = self.conn.expires_at(session);
        Ok(SessionLifetime {
            origin: info.origin,
            keepalive: info.keepalive || info.holds > 0,
            holds: info.holds,
            expires_at,
            time_left: expires_at.map(|at| at.saturating_duration_since(self.now)),
            expired: expires_at.is_some_and(|at| self.now >= at),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use janus_core::serde_json::{self, json, Value};
    use janus_core::{Config, EndReason, HandleId, RequestError};
    use std::cell::RefCell;
    use std::rc::Rc;

    /// Test channels: every slot and stream records into shared cells.
    struct Test;

    thread_local! {
        /// The order in which slots and sinks were handed something.
        static SEQ: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }

    fn seq() -> u32 {
        SEQ.with(|s| {
            s.set(s.get() + 1);
            s.get()
        })
    }

    /// A reply slot; `gone` makes it refuse, as a cancelled caller would.
    #[derive(Clone, Default)]
    struct Slot(
        Rc<RefCell<Option<Answer>>>,
        Rc<RefCell<bool>>,
        Rc<RefCell<u32>>,
    );

    impl ReplySender for Slot {
        fn send_reply(self, answer: Answer) -> Result<(), Answer> {
            if *self.1.borrow() {
                return Err(answer);
            }
            *self.0.borrow_mut() = Some(answer);
            *self.2.borrow_mut() = seq();
            Ok(())
        }
    }

    #[derive(Clone)]
    struct Sink<T>(Rc<RefCell<Vec<T>>>, Rc<RefCell<u32>>);

    impl<T> Default for Sink<T> {
        fn default() -> Self {
            Sink(Rc::default(), Rc::default())
        }
    }

    impl<T> EventSender<T> for Sink<T> {
        fn send_event(&self, event: T) -> bool {
            self.0.borrow_mut().push(event);
            *self.1.borrow_mut() = seq();
            true
        }
    }

    impl Channels for Test {
        type Reply = Slot;
        type Session = Sink<SessionEvent>;
        type Handle = Sink<HandleEvent>;
        type Client = Sink<ClientEvent>;
    }

    /// A core on a connected WebSocket, with a fake clock and a log of the
    /// frames it sent.
    struct Rig {
        core: ClientCore<Test>,
        now: Instant,
        sent: Vec<Value>,
        client: Sink<ClientEvent>,
    }

    impl Rig {
        fn new() -> Self {
            let now = Instant::now();
            let client = Sink::default();
            let config = Config::websocket("ws://janus.test");
            let core = ClientCore::new(
                Connection::new(config, now),
                "ws://janus.test",
                client.clone(),
            );
            let mut rig = Rig {
                core,
                now,
                sent: Vec::new(),
                client,
            };
            assert!(matches!(rig.core.poll(now), Action::Connect(url) if url == "ws://janus.test"));
            rig.core.handle_input(now, Input::Connected);
            assert!(matches!(rig.run(), Action::Wait(_)));
            rig
        }

        /// Polls until the core waits or stops, recording frames.
        fn run(&mut self) -> Action {
            loop {
                match self.core.poll(self.now) {
                    Action::Transmit(Transmit::Text(t)) => {
                        self.sent.push(serde_json::from_str(&t).unwrap())
                    }
                    other @ (Action::Wait(_) | Action::Stop) => return other,
                    other => panic!("unexpected {other:?}"),
                }
            }
        }

        fn last_tx(&self) -> String {
            self.sent.last().unwrap()["transaction"]
                .as_str()
                .unwrap()
                .to_owned()
        }

        fn frame(&mut self, frame: Value) -> Action {
            let text = frame.to_string();
            self.core
                .handle_input(self.now, Input::Frame(text.as_bytes()));
            self.run()
        }

        fn request(&mut self, request: Request, subscribe: Option<SubscriberOf<Test>>) -> Slot {
            let slot = Slot::default();
            self.core
                .request(self.now, request, None, slot.clone(), subscribe);
            assert!(matches!(self.run(), Action::Wait(_)));
            slot
        }

        /// Creates session 1 and attaches handle 2, with event streams.
        fn session_and_handle(&mut self) -> (Sink<SessionEvent>, Sink<HandleEvent>) {
            let (s, h) = (Sink::default(), Sink::default());
            self.request(
                Request::Create { id: None },
                Some(Subscriber::Session(s.clone())),
            );
            let tx = self.last_tx();
            assert!(matches!(
                self.frame(json!({"janus": "success", "transaction": tx, "data": {"id": 1}})),
                Action::Wait(_)
            ));
            let attach = Request::Attach {
                session: SessionId(1),
                plugin: "janus.plugin.echotest".into(),
                opaque_id: None,
            };
            self.request(attach, Some(Subscriber::Handle(h.clone())));
            let tx = self.last_tx();
            let attached =
                json!({"janus": "success", "session_id": 1, "transaction": tx, "data": {"id": 2}});
            assert!(matches!(self.frame(attached), Action::Wait(_)));
            (s, h)
        }
    }

    #[test]
    fn answers_callers_after_the_events_their_reply_caused() {
        let mut rig = Rig::new();
        let (session, handle) = rig.session_and_handle();
        let detach = rig.request(
            Request::Detach {
                handle: HandleId(2),
            },
            None,
        );
        let tx = rig.last_tx();
        // The reply ends the handle; its stream hears it no later than the caller.
        assert!(matches!(
            rig.frame(json!({"janus": "success", "session_id": 1, "transaction": tx})),
            Action::Wait(_)
        ));
        assert!(matches!(&*detach.0.borrow(), Some(Ok(Reply::Done))));
        assert_eq!(
            *handle.0.borrow(),
            [HandleEvent::Ended(EndReason::Detached)]
        );
        assert!(session.0.borrow().is_empty());
    }

    #[test]
    fn a_refused_command_is_answered_at_once() {
        let mut rig = Rig::new();
        let slot = rig.request(
            Request::Destroy {
                session: SessionId(9),
            },
            None,
        );
        match &*slot.0.borrow() {
            Some(Err(Error::Command(janus_core::CommandError::UnknownSession(s)))) => {
                assert_eq!(*s, SessionId(9))
            }
            other => panic!("{other:?}"),
        }
        assert!(rig.sent.is_empty());
    }

    #[test]
    fn what_a_gone_caller_created_is_undone() {
        let mut rig = Rig::new();
        let slot = rig.request(Request::Create { id: None }, None);
        *slot.1.borrow_mut() = true; // the caller gave up
        let tx = rig.last_tx();
        assert!(matches!(
            rig.frame(json!({"janus": "success", "transaction": tx, "data": {"id": 7}})),
            Action::Wait(_)
        ));
        let undo = rig.sent.last().unwrap();
        assert_eq!(
            (undo["janus"].as_str(), undo["session_id"].as_u64()),
            (Some("destroy"), Some(7))
        );
        // Nobody waits for the undo: its answer goes nowhere, and the
        // session ends as destroyed.
        let tx = rig.last_tx();
        assert!(matches!(
            rig.frame(json!({"janus": "success", "session_id": 7, "transaction": tx})),
            Action::Wait(_)
        ));
        assert!(
            rig.core.connection().footprint().is_empty(),
            "{:?}",
            rig.core.connection().footprint()
        );
    }

    #[test]
    fn shutdown_lingers_for_forgotten_requests_then_closes() {
        let mut rig = Rig::new();
        let (session, handle) = rig.session_and_handle();
        rig.core.forget(
            rig.now,
            Request::Destroy {
                session: SessionId(1),
            },
        );
        rig.core.shutdown(rig.now);
        // Waiting for the destroy, at most LINGER.
        match rig.run() {
            Action::Wait(Some(at)) => assert!(at <= rig.now + LINGER),
            other => panic!("{other:?}"),
        }
        let tx = rig.last_tx();
        assert!(matches!(
            rig.frame(json!({"janus": "success", "session_id": 1, "transaction": tx})),
            Action::Stop
        ));
        assert_eq!(
            *session.0.borrow(),
            [SessionEvent::Ended(EndReason::Destroyed)]
        );
        assert_eq!(
            *handle.0.borrow(),
            [HandleEvent::Ended(EndReason::Destroyed)]
        );
        assert!(rig.core.is_stopped());
    }

    #[test]
    fn shutdown_gives_up_after_the_linger_and_ends_what_is_left() {
        let mut rig = Rig::new();
        let (session, _handle) = rig.session_and_handle();
        let pending = rig.request(
            Request::Keepalive {
                session: SessionId(1),
            },
            None,
        );
        rig.core.forget(
            rig.now,
            Request::Destroy {
                session: SessionId(1),
            },
        );
        rig.core.shutdown(rig.now);
        assert!(matches!(rig.run(), Action::Wait(_)));
        rig.now += LINGER;
        assert!(matches!(rig.run(), Action::Stop));
        assert_eq!(
            *session.0.borrow(),
            [SessionEvent::Ended(EndReason::Closed)]
        );
        assert!(matches!(
            &*pending.0.borrow(),
            Some(Err(Error::Request(RequestError::TransportClosed)))
        ));
        assert!(rig.client.0.borrow().contains(&ClientEvent::Connected));
    }

    #[test]
    fn claiming_a_session_already_held_is_refused() {
        let mut rig = Rig::new();
        let (session, _handle) = rig.session_and_handle();
        let sent = rig.sent.len();
        let claim = Request::Claim {
            session: SessionId(1),
            keepalive: true,
        };
        let slot = rig.request(claim, Some(Subscriber::Session(Sink::default())));
        assert!(matches!(
            &*slot.0.borrow(),
            Some(Err(Error::AlreadyHeld(SessionId(1))))
        ));
        assert_eq!(rig.sent.len(), sent, "nothing was sent");
        // The first stream still hears of its session.
        rig.core.forget(
            rig.now,
            Request::Destroy {
                session: SessionId(1),
            },
        );
        assert!(matches!(rig.run(), Action::Wait(_)));
        let tx = rig.last_tx();
        let done = json!({"janus": "success", "session_id": 1, "transaction": tx});
        assert!(matches!(rig.frame(done), Action::Wait(_)));
        assert_eq!(
            *session.0.borrow(),
            [SessionEvent::Ended(EndReason::Destroyed)]
        );
    }

    #[test]
    fn holds_and_lifetime() {
        let mut rig = Rig::new();
        rig.session_and_handle();
        let id = SessionId(1);
        let now = rig.now;
        let lifetime = rig.core.local(now, |e| e.lifetime(id)).unwrap();
        assert_eq!(
            (lifetime.origin, lifetime.keepalive, lifetime.holds),
            (SessionOrigin::Created, true, 0)
        );
        let at = lifetime
            .expires_at
            .expect("the default session timeout is 60 s");
        assert!(!lifetime.expired && lifetime.time_left == Some(at - now));
        assert_eq!(rig.core.local(now, |e| e.hold(id)).unwrap(), 1);
        assert_eq!(rig.core.local(now, |e| e.hold(id)).unwrap(), 2);
        let held = rig.core.local(now, |e| e.lifetime(id)).unwrap();
        assert_eq!(
            (held.holds, held.expires_at, held.expired),
            (2, None, false)
        );
        assert_eq!(rig.core.local(now, |e| e.release(id)), 1);
        assert_eq!(rig.core.local(now, |e| e.release(id)), 0);
        assert_eq!(
            rig.core.local(now, |e| e.release(id)),
            0,
            "nothing left to release"
        );
        rig.core.local(now, |e| e.set_keepalive(id, false)).unwrap();
        let later = at + Duration::from_secs(1);
        let expired = rig.core.local(later, |e| e.lifetime(id)).unwrap();
        assert!(expired.expired && expired.time_left == Some(Duration::ZERO) && !expired.keepalive);
        assert!(rig.core.local(now, |e| e.touch(SessionId(5))).is_err());
    }
}
