//! The engine's public contract: commands, getters, inputs and outputs.
//!
//! The work itself lives beside it, one protocol concept a file:
//! `transaction.rs` (requests in flight), `session.rs` (sessions, handles
//! and their endings), `liveness.rs` (keepalive and expiry), `link.rs` (the
//! WebSocket connection), `long_poll.rs` (HTTP exchanges) and `dispatch.rs`
//! (what each inbound message does); `snapshot.rs` holds what the getters
//! report.

use crate::config::{Config, Transport};
use crate::error::{CommandError, InputError};
use crate::ids::{CounterMap, HandleId, PeerIds, PeerMap, RequestId, SessionId};
use crate::link::Link;
use crate::long_poll::Exchange;
use crate::session::{Handle, Session};
use crate::snapshot::{Counters, Footprint, HandleInfo, SessionInfo};
use crate::timers::{Deadlines, Slot, TimerKey, Timers};
use crate::transaction::{Origin, Pending};
use crate::types::{Event, Input, Jsep, Output, Request, Transmit, Trickle};
use serde_json::Value;
use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// All protocol state for one transport connection to one Janus server.
///
/// See the [crate docs](crate) for the driving contract. Its methods are
/// commands (they queue work and return at once), getters, `handle_*`
/// inputs, and [`poll_output`](Self::poll_output).
#[derive(Clone, Debug)]
pub struct Connection {
    /// What the caller configured, unchanged.
    pub(crate) config: Config,
    /// The session timeout learned from `info`, when it replaces the configured one.
    pub(crate) learned_timeout: Option<Duration>,
    pub(crate) now: Instant,
    pub(crate) next_request: u64,
    pub(crate) next_exchange: u64,
    pub(crate) link: Link,
    pub(crate) server_index: usize,
    pub(crate) connect: Option<String>,
    pub(crate) reconnect_timer: Slot,
    pub(crate) requests: CounterMap<Pending>,
    pub(crate) user_in_flight: usize,
    pub(crate) send_queue: VecDeque<u64>,
    pub(crate) poll_queue: VecDeque<SessionId>,
    pub(crate) sessions: PeerMap<SessionId, Session>,
    pub(crate) handles: PeerMap<HandleId, Handle>,
    /// Plugin names, shared by every handle on the same plugin.
    pub(crate) plugins: HashSet<Arc<str>>,
    pub(crate) exchanges: CounterMap<Exchange>,
    pub(crate) timers: Timers,
    /// Request deadlines (the other timers are in `timers`).
    pub(crate) deadlines: Deadlines,
    pub(crate) events: VecDeque<Event>,
    /// The state of the engine's random numbers (from `Config::seed`).
    pub(crate) rng: u64,
    /// Whether the WebSocket was ever up (a request made while it is down
    /// after that may fail fast).
    pub(crate) connected_once: bool,
    /// WebSocket: when the oldest transmission not yet followed by anything
    /// received went out (the link probe), and its timer.
    pub(crate) probe: Option<Instant>,
    pub(crate) probe_timer: Slot,
    /// WebSocket: when something last came in.
    pub(crate) last_heard: Instant,
    /// A close the adapter must make (the link was found dead).
    pub(crate) close: Option<String>,
    pub(crate) counters: Counters,
    /// Requests settled recently without an answer, for their late answers.
    pub(crate) settled: crate::late::Settled,
}

impl Connection {
    /// A new engine. In the WebSocket transport its first output asks the
    /// adapter to connect; in the HTTP transport it is ready at once.
    pub fn new(config: Config, now: Instant) -> Self {
        let (link, connect) = match config.transport {
            Transport::WebSocket => (
                Link::Connecting { attempt: 0 },
                Some(config.servers.first().cloned().unwrap_or_default()),
            ),
            Transport::Http { .. } => (Link::Up, None),
        };
        Self {
            next_request: config.first_request_id,
            config,
            learned_timeout: None,
            now,
            next_exchange: 1,
            link,
            server_index: 0,
            connect,
            reconnect_timer: None,
            requests: CounterMap::default(),
            user_in_flight: 0,
            send_queue: VecDeque::new(),
            poll_queue: VecDeque::new(),
            sessions: PeerMap::with_hasher(PeerIds::new()),
            handles: PeerMap::with_hasher(PeerIds::new()),
            plugins: HashSet::new(),
            exchanges: CounterMap::default(),
            timers: Timers::default(),
            deadlines: Deadlines::default(),
            events: VecDeque::new(),
            rng: 0,
            connected_once: false,
            probe: None,
            probe_timer: None,
            last_heard: now,
            close: None,
            counters: Counters::default(),
            settled: Default::default(),
        }
        .seeded()
    }

    fn seeded(mut self) -> Self {
        self.rng = self.config.seed;
        self
    }

    /// The next pseudo-random number (splitmix64 over `Config::seed`).
    pub(crate) fn random(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Getter: the configuration as the caller gave it. What the engine
    /// learned from the server is apart: see [`session_timeout`](Self::session_timeout).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Getter: the server session timeout in force: the one an `info` reply
    /// reported (unless `Config::learn_from_info` is off), else
    /// `Config::session_timeout`. `Duration::ZERO`: sessions never expire.
    pub fn session_timeout(&self) -> Duration {
        self.learned_timeout.unwrap_or(self.config.session_timeout)
    }

    /// Getter: the timeout of the request in flight whose `transaction` is
    /// `transaction`, or `None` if it names none of this connection's. A
    /// transport that can expire what it carries (RabbitMQ's message
    /// `expiration`) sends each request with its own.
    pub fn request_timeout_of(&self, transaction: &str) -> Option<Duration> {
        let id = self.parse_transaction(transaction)?;
        self.requests.get(&id).map(|p| p.timeout)
    }

    // ----- commands -------------------------------------------------------

    /// Queues a request with the default deadline (`Config::request_timeout`).
    pub fn request(&mut self, now: Instant, request: Request) -> Result<RequestId, CommandError> {
        let timeout = self.config.request_timeout;
        self.request_with_timeout(now, request, timeout)
    }

    /// Queues a request that resolves with
    /// [`RequestError::TimedOut`](crate::RequestError::TimedOut) if no final
    /// reply arrives within `timeout`.
    pub fn request_with_timeout(
        &mut self,
        now: Instant,
        request: Request,
        timeout: Duration,
    ) -> Result<RequestId, CommandError> {
        self.advance(now);
        if self.link == Link::Down {
            return Err(CommandError::Closed);
        }
        if self.config.fail_fast_when_disconnected && self.connected_once && self.link != Link::Up {
            return Err(CommandError::NotConnected);
        }
        if self.user_in_flight >= self.config.max_in_flight {
            return Err(CommandError::TooManyRequests {
                limit: self.config.max_in_flight,
            });
        }
        let (session, handle) = self.target_of(&request)?;
        check_api(&request, self.config.api)?;
        check_arguments(&request)?;
        if let Request::Create { id: Some(id) } = &request {
            if self.sessions.contains_key(id) {
                return Err(CommandError::SessionIdInUse(*id));
            }
        }
        let limit = self.config.max_request_size;
        if limit > 0 {
            let text = self.encode_request(
                self.next_request,
                &request,
                session.map(|s| s.0),
                handle.map(|h| h.0),
            );
            if text.len() > limit {
                return Err(CommandError::RequestTooLarge {
                    request: request.verb(),
                    size: text.len(),
                    limit,
                });
            }
        }
        if let Request::Detach { handle: h } = &request {
            if let Some(h) = self.handles.get_mut(h) {
                h.detaching = true;
            }
        }
        self.user_in_flight += 1;
        Ok(RequestId(self.enqueue(
            request,
            Origin::User,
            timeout,
            session,
            handle,
        )))
    }

    /// `info`: the server's description. Its reply teaches the engine the
    /// server's session timeout (unless `Config::learn_from_info` is off).
    pub fn info(&mut self, now: Instant) -> Result<RequestId, CommandError> {
        self.request(now, Request::Info)
    }

    /// `ping`.
    pub fn ping(&mut self, now: Instant) -> Result<RequestId, CommandError> {
        self.request(now, Request::Ping)
    }

    /// `create`: a new session, kept alive automatically.
    pub fn create_session(&mut self, now: Instant) -> Result<RequestId, CommandError> {
        self.request(now, Request::Create { id: None })
    }

    /// `claim`: joins an existing session by id (for example one created by
    /// another connection) and makes this connection its owner. It is kept
    /// alive only if `keepalive` is true.
    pub fn claim(
        &mut self,
        now: Instant,
        session: SessionId,
        keepalive: bool,
    ) -> Result<RequestId, CommandError> {
        self.request(now, Request::Claim { session, keepalive })
    }

    /// `destroy`: ends the session and its handles on the server.
    pub fn destroy(&mut self, now: Instant, session: SessionId) -> Result<RequestId, CommandError> {
        self.request(now, Request::Destroy { session })
    }

    /// `keepalive`, sent now whatever the automatic schedule.
    pub fn keepalive(
        &mut self,
        now: Instant,
        session: SessionId,
    ) -> Result<RequestId, CommandError> {
        self.request(now, Request::Keepalive { session })
    }

    /// `attach`: a handle on `plugin` (e.g. `janus.plugin.echotest`).
    pub fn attach(
        &mut self,
        now: Instant,
        session: SessionId,
        plugin: impl Into<String>,
        opaque_id: Option<String>,
    ) -> Result<RequestId, CommandError> {
        self.request(
            now,
            Request::Attach {
                session,
                plugin: plugin.into(),
                opaque_id,
            },
        )
    }

    /// `message`: `body` (a JSON object) to the handle's plugin, with an
    /// optional SDP. Resolves with the synchronous reply, or with the event
    /// that carries the same transaction after the `ack`.
    pub fn message(
        &mut self,
        now: Instant,
        handle: HandleId,
        body: Value,
        jsep: Option<Jsep>,
    ) -> Result<RequestId, CommandError> {
        self.request(now, Request::Message { handle, body, jsep })
    }

    /// `trickle`: one candidate, a list, or end of candidates.
    pub fn trickle(
        &mut self,
        now: Instant,
        handle: HandleId,
        trickle: Trickle,
    ) -> Result<RequestId, CommandError> {
        self.request(now, Request::Trickle { handle, trickle })
    }

    /// `hangup`: closes the handle's PeerConnection (the handle stays).
    pub fn hangup(&mut self, now: Instant, handle: HandleId) -> Result<RequestId, CommandError> {
        self.request(now, Request::Hangup { handle })
    }

    /// `detach`: ends the handle on the server.
    pub fn detach(&mut self, now: Instant, handle: HandleId) -> Result<RequestId, CommandError> {
        self.request(now, Request::Detach { handle })
    }

    /// Closes the engine for good: every pending request resolves with
    /// [`RequestError::TransportClosed`](crate::RequestError::TransportClosed),
    /// every session and handle ends with
    /// [`EndReason::Closed`](crate::EndReason::Closed). Nothing is sent:
    /// destroy sessions first to end them on the server too.
    pub fn close(&mut self, now: Instant) {
        self.advance(now);
        if self.link != Link::Down {
            self.go_down(crate::EndReason::Closed);
        }
    }

    /// Getter: whether the engine is closed for good.
    pub fn is_closed(&self) -> bool {
        self.link == Link::Down
    }

    // ----- getters ----------------------------------------------------------

    /// Getter: the tracked sessions.
    pub fn sessions(&self) -> impl Iterator<Item = SessionId> + '_ {
        self.sessions.keys().copied()
    }

    /// Getter: a snapshot of a tracked session.
    pub fn session_info(&self, session: SessionId) -> Option<SessionInfo> {
        self.sessions.get(&session).map(|s| SessionInfo {
            origin: s.origin,
            keepalive: s.keepalive,
            reclaiming: s.reclaiming,
            holds: s.holds,
            last_activity: s.last_activity,
            handles: s.handles.iter().collect(),
        })
    }

    /// Getter: a snapshot of a tracked handle.
    pub fn handle_info(&self, handle: HandleId) -> Option<HandleInfo> {
        self.handles.get(&handle).map(|h| HandleInfo {
            session: h.session,
            plugin: h.plugin.to_string(),
            opaque_id: h.opaque_id.as_deref().map(str::to_owned),
        })
    }

    /// Getter: how much state the engine holds.
    /// Getter: what the engine has counted so far (reconnects, dead links,
    /// timeouts).
    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// Getter: how much state the engine holds.
    pub fn footprint(&self) -> Footprint {
        Footprint {
            sessions: self.sessions.len(),
            handles: self.handles.len(),
            requests: self.requests.len(),
            timers: self.timers.len() + self.deadlines.len(),
            exchanges: self.exchanges.len(),
            queued: self.send_queue.len() + self.poll_queue.len(),
            events: self.events.len(),
        }
    }

    // ----- inputs -----------------------------------------------------------

    /// Feeds one input. Time never goes backwards: an earlier `now` than the
    /// last one is taken as the last one. After this, drain
    /// [`poll_output`](Self::poll_output) until it returns [`Output::Idle`].
    ///
    /// Problems with the peer's data are reported as events; `Err` means the
    /// input does not fit this engine (wrong transport).
    pub fn handle_input(&mut self, now: Instant, input: Input<'_>) -> Result<(), InputError> {
        self.advance(now);
        let transport = self.config.transport;
        let websocket = transport == Transport::WebSocket;
        let wrong = |input: &'static str| InputError::WrongTransport {
            input,
            transport: transport.name(),
        };
        match input {
            Input::Timeout => {}
            Input::Connected if !websocket => return Err(wrong("Connected")),
            Input::Connected => self.on_connected(),
            Input::Closed(reason) if websocket => self.on_closed(reason),
            Input::Closed(_) => self.close(now),
            Input::Frame(_) if !websocket => return Err(wrong("Frame")),
            Input::Frame(bytes) => {
                self.on_bytes(bytes, None);
                self.heard_from_server();
            }
            Input::HttpResponse { .. } if websocket => return Err(wrong("HttpResponse")),
            Input::HttpResponse { id, status, body } => self.on_http_response(id, status, body),
            Input::HttpFailed { .. } if websocket => return Err(wrong("HttpFailed")),
            Input::HttpFailed { id, reason } => self.on_http_failed(id, reason),
        }
        self.run_timers();
        Ok(())
    }

    /// A shortcut for `handle_input(now, Input::Timeout)`: fires every
    /// deadline that is due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.advance(now);
        self.run_timers();
    }

    // ----- outputs ----------------------------------------------------------

    /// The next thing to do. Call it until it returns [`Output::Idle`].
    #[must_use]
    pub fn poll_output(&mut self) -> Output {
        if let Some(reason) = self.close.take() {
            return Output::Close { reason };
        }
        if let Some(server) = self.connect.take() {
            return Output::Connect { server };
        }
        if let Some(e) = self.poll_event() {
            return Output::Event(e);
        }
        if let Some(t) = self.poll_transmit() {
            return Output::Transmit(t);
        }
        Output::Idle(self.poll_timeout())
    }

    /// Getter: the earliest deadline at which
    /// [`handle_timeout`](Self::handle_timeout) has work to do; never
    /// earlier than the last `now` given. It is also what
    /// [`Output::Idle`] carries.
    #[must_use]
    pub fn poll_timeout(&mut self) -> Option<Instant> {
        let request = self.next_request_deadline().map(|(at, _)| at);
        let other = self.next_timer().map(|(at, _)| at);
        match (request, other) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
        .map(|t| t.max(self.now))
    }

    /// The earliest request deadline and its request.
    fn next_request_deadline(&mut self) -> Option<(Instant, u64)> {
        let requests = &self.requests;
        self.deadlines
            .next(|id, at| requests.get(&id).is_some_and(|p| p.holds_deadline(at)))
    }

    /// The next event only.
    fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The next thing to send only.
    fn poll_transmit(&mut self) -> Option<Transmit> {
        if self.link != Link::Up {
            return None;
        }
        while let Some(sid) = self.poll_queue.pop_front() {
            if let Some(t) = self.long_poll(sid) {
                return Some(t);
            }
        }
        while let Some(id) = self.send_queue.pop_front() {
            if let Some(t) = self.transmit_request(id) {
                return Some(t);
            }
        }
        None
    }

    // ----- time -------------------------------------------------------------

    pub(crate) fn advance(&mut self, now: Instant) {
        if now > self.now {
            self.now = now;
        }
    }

    /// Fires every due timer in deadline order, emptying its owner's slot
    /// first. Request deadlines come from their own queues
    /// ([`Deadlines`]); the order is that of `(deadline, TimerKey)`, in which
    /// a request deadline goes before any other timer due at the same time.
    fn run_timers(&mut self) {
        loop {
            let request = self.next_request_deadline();
            let other = self.next_timer();
            let request_first = match (request, other) {
                (Some((a, _)), Some((b, _))) => a <= b,
                (r, _) => r.is_some(),
            };
            if request_first {
                let Some((at, id)) = request.filter(|(at, _)| *at <= self.now) else {
                    return;
                };
                self.deadlines.pop((at, id));
                if let Some(p) = self.requests.get_mut(&id) {
                    p.timer = None;
                }
                self.on_request_deadline(id);
                continue;
            }
            let Some((at, key)) = other.filter(|(at, _)| *at <= self.now) else {
                return;
            };
            self.timers.remove((at, key));
            match key {
                TimerKey::Request(id) | TimerKey::Retry(id) => {
                    if let Some(p) = self.requests.get_mut(&id) {
                        p.timer = None;
                    }
                    self.on_retry_due(id);
                }
                TimerKey::Session(sid) => self.on_session_timer(SessionId(sid)),
                TimerKey::Poll(sid) => {
                    if let Some(p) = self
                        .sessions
                        .get_mut(&SessionId(sid))
                        .and_then(|s| s.poll.as_mut())
                    {
                        p.timer = None;
                    }
                    self.on_poll_timer(SessionId(sid));
                }
                TimerKey::Reconnect => {
                    self.reconnect_timer = None;
                    self.on_reconnect_due();
                }
                TimerKey::Link => {
                    self.probe_timer = None;
                    self.on_probe_due();
                }
            }
        }
    }
}

/// Refuses a request the connection's API does not have.
fn check_api(request: &Request, api: crate::config::Api) -> Result<(), CommandError> {
    use crate::config::Api;
    let fits = match request {
        Request::Info | Request::Ping => true,
        Request::Admin(_) => api == Api::Admin,
        _ => api == Api::Janus,
    };
    if fits {
        Ok(())
    } else {
        Err(CommandError::WrongApi {
            request: request.verb(),
            api: api.name(),
        })
    }
}

/// Refuses arguments Janus would refuse.
fn check_arguments(request: &Request) -> Result<(), CommandError> {
    let refuse = |why| Err(CommandError::InvalidArgument(why));
    match request {
        Request::Message { body, .. } if !body.is_object() => {
            refuse("a message body must be a JSON object")
        }
        Request::Trickle {
            trickle: Trickle::Candidates(c),
            ..
        } if c.is_empty() => refuse("a trickle needs at least one candidate"),
        Request::Attach { plugin, .. } if plugin.is_empty() => refuse("the plugin name is empty"),
        Request::Admin(admin) if admin.handle.is_some() && admin.session.is_none() => {
            refuse("an admin request for a handle must also name its session")
        }
        Request::Admin(admin) if admin.verb.is_empty() => refuse("the admin verb is empty"),
        _ => Ok(()),
    }
}

/// `now + wait`, or a century from now for a wait too long to add (a
/// caller's `Duration::MAX` means "never", not a panic).
pub(crate) fn after(now: Instant, wait: Duration) -> Instant {
    now.checked_add(wait)
        .or_else(|| now.checked_add(Duration::from_secs(100 * 365 * 24 * 3600)))
        .unwrap_or(now)
}
