//! The client core: the engine plus everything between it and the callers
//! that is not I/O.

use crate::local::Local;
use crate::log::{log_client_event, log_end, log_resolved};
use crate::net::{self, Endpoint};
use crate::router::{Routed, Router, Trace};
use crate::{ClientEvent, Error, EventSender, Subscriber};
use janus_core::{Connection, HandleEvent, Input, Output, Reply, Request, SessionEvent, Transmit};
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
    /// Trust anchors for `wss://` reconnects (empty: the webpki roots).
    roots: Vec<Vec<u8>>,
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
            roots: Vec::new(),
            router: Router::new(),
            events,
            outcomes: Vec::new(),
            closing: None,
            stopped: false,
        }
    }

    /// Trusts the DER certificates `roots` (instead of the webpki roots)
    /// for the `wss://` servers of [`Action::Connect`].
    pub fn with_roots(mut self, roots: Vec<Vec<u8>>) -> Self {
        self.roots = roots;
        self
    }

    /// Where an [`Action::Connect`] points: its URL parsed, with the TLS
    /// set-up and the engine's frame limit.
    pub fn endpoint(&self, server: &str) -> Result<Endpoint, String> {
        let config = self.conn.config();
        let (max_frame_size, api) = (config.max_frame_size, config.api);
        net::endpoint(server, &self.roots)
            .map(|e| e.with_max_frame_size(max_frame_size).for_api(api))
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
        f(&mut Local::new(&mut self.conn, now))
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

#[cfg(test)]
mod tests;
