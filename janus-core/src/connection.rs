//! The state machine.

use crate::config::{Config, Transport};
use crate::error::{CommandError, InputError, ProtocolError, RequestError};
use crate::ids::{ExchangeId, HandleId, RequestId, SessionId};
use crate::timers::{TimerKey, Timers};
use crate::types::{
    EndReason, Event, HandleEvent, HttpMethod, HttpRequest, Input, Jsep, Output, PluginReply,
    Reply, Request, SessionEvent, Transmit, Trickle,
};
use crate::wire;
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::time::{Duration, Instant};

/// How a tracked session came to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionOrigin {
    /// Created by this engine (`create`).
    Created,
    /// Joined by id (`claim`).
    Claimed,
}

/// A snapshot of one tracked session.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SessionInfo {
    /// Created here or claimed.
    pub origin: SessionOrigin,
    /// Whether the engine sends keepalives for it.
    pub keepalive: bool,
    /// Whether it is waiting to be claimed on a new connection.
    pub reclaiming: bool,
    /// The count of [`Connection::prevent_expire`] holds.
    pub holds: u32,
    /// The last request addressed to it (the server's notion of activity).
    pub last_activity: Instant,
    /// Its tracked handles.
    pub handles: Vec<HandleId>,
}

/// A snapshot of one tracked handle.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct HandleInfo {
    /// The handle's session.
    pub session: SessionId,
    /// The plugin's package name.
    pub plugin: String,
    /// The opaque id given at attach.
    pub opaque_id: Option<String>,
}

/// How much state the engine holds (for leak checks and metrics).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Footprint {
    /// Tracked sessions.
    pub sessions: usize,
    /// Tracked handles.
    pub handles: usize,
    /// Requests not yet resolved (including automatic ones).
    pub requests: usize,
    /// Armed timers.
    pub timers: usize,
    /// HTTP exchanges awaiting an answer.
    pub exchanges: usize,
    /// Requests waiting to be transmitted.
    pub queued: usize,
    /// Events not yet polled.
    pub events: usize,
}

impl Footprint {
    /// Whether the engine holds nothing at all.
    pub fn is_empty(&self) -> bool {
        *self == Footprint::default()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    User,
    Keepalive,
    Reclaim,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ReqState {
    Queued,
    Sent,
    Acked,
    RetryWait,
}

#[derive(Clone, Debug)]
struct Pending {
    request: Request,
    origin: Origin,
    state: ReqState,
    retries_left: u32,
    timeout: Duration,
    session: Option<SessionId>,
    handle: Option<HandleId>,
    exchange: Option<u64>,
}

#[derive(Clone, Debug)]
struct Session {
    origin: SessionOrigin,
    keepalive: bool,
    holds: u32,
    last_activity: Instant,
    reclaiming: bool,
    keepalive_in_flight: bool,
    handles: BTreeSet<HandleId>,
    requests: BTreeSet<u64>,
    poll: Option<u64>,
    poll_failures: u32,
}

#[derive(Clone, Debug)]
struct Handle {
    session: SessionId,
    plugin: String,
    opaque_id: Option<String>,
    detaching: bool,
}

#[derive(Clone, Copy, Debug)]
enum Exchange {
    Request(u64),
    Poll(SessionId),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Link {
    Connecting { attempt: u32 },
    Up,
    Waiting { attempt: u32 },
    Down,
}

/// All protocol state for one transport connection to one Janus server.
///
/// See the [crate docs](crate) for the driving contract.
#[derive(Clone, Debug)]
pub struct Connection {
    config: Config,
    now: Instant,
    next_request: u64,
    next_exchange: u64,
    link: Link,
    server_index: usize,
    connect: Option<String>,
    requests: HashMap<u64, Pending>,
    user_in_flight: usize,
    send_queue: VecDeque<u64>,
    poll_queue: VecDeque<SessionId>,
    sessions: HashMap<SessionId, Session>,
    handles: HashMap<HandleId, Handle>,
    exchanges: HashMap<u64, Exchange>,
    timers: Timers,
    events: VecDeque<Event>,
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
            now,
            next_exchange: 1,
            link,
            server_index: 0,
            connect,
            requests: HashMap::new(),
            user_in_flight: 0,
            send_queue: VecDeque::new(),
            poll_queue: VecDeque::new(),
            sessions: HashMap::new(),
            handles: HashMap::new(),
            exchanges: HashMap::new(),
            timers: Timers::default(),
            events: VecDeque::new(),
        }
    }

    /// The configuration in force (`session_timeout` may have been learned from `info`).
    pub fn config(&self) -> &Config {
        &self.config
    }

    // ----- commands -------------------------------------------------------

    /// Queues a request with the default deadline (`Config::request_timeout`).
    pub fn request(&mut self, now: Instant, request: Request) -> Result<RequestId, CommandError> {
        let timeout = self.config.request_timeout;
        self.request_with_timeout(now, request, timeout)
    }

    /// Queues a request that resolves with [`RequestError::TimedOut`] if no
    /// final reply arrives within `timeout`.
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
        if self.user_in_flight >= self.config.max_in_flight {
            return Err(CommandError::TooManyRequests {
                limit: self.config.max_in_flight,
            });
        }
        let (session, handle) = self.target_of(&request)?;
        match &request {
            Request::Message { body, .. } if !body.is_object() => {
                return Err(CommandError::InvalidArgument(
                    "a message body must be a JSON object",
                ))
            }
            Request::Trickle {
                trickle: Trickle::Candidates(c),
                ..
            } if c.is_empty() => {
                return Err(CommandError::InvalidArgument(
                    "a trickle needs at least one candidate",
                ))
            }
            Request::Attach { plugin, .. } if plugin.is_empty() => {
                return Err(CommandError::InvalidArgument("the plugin name is empty"))
            }
            _ => {}
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
    /// [`RequestError::TransportClosed`], every session and handle ends with
    /// [`EndReason::Closed`]. Nothing is sent: destroy sessions first to end
    /// them on the server too.
    pub fn close(&mut self, now: Instant) {
        self.advance(now);
        if self.link != Link::Down {
            self.go_down(EndReason::Closed);
        }
    }

    /// Whether the engine is closed for good.
    pub fn is_closed(&self) -> bool {
        self.link == Link::Down
    }

    // ----- session lifetime -------------------------------------------------

    /// The tracked sessions.
    pub fn sessions(&self) -> impl Iterator<Item = SessionId> + '_ {
        self.sessions.keys().copied()
    }

    /// A snapshot of a tracked session.
    pub fn session_info(&self, session: SessionId) -> Option<SessionInfo> {
        self.sessions.get(&session).map(|s| SessionInfo {
            origin: s.origin,
            keepalive: s.keepalive,
            reclaiming: s.reclaiming,
            holds: s.holds,
            last_activity: s.last_activity,
            handles: s.handles.iter().copied().collect(),
        })
    }

    /// A snapshot of a tracked handle.
    pub fn handle_info(&self, handle: HandleId) -> Option<HandleInfo> {
        self.handles.get(&handle).map(|h| HandleInfo {
            session: h.session,
            plugin: h.plugin.clone(),
            opaque_id: h.opaque_id.clone(),
        })
    }

    /// Records activity on the session now (for example a request sent for
    /// it through another connection), pushing back its keepalive and expiry.
    pub fn touch(&mut self, now: Instant, session: SessionId) -> Result<(), CommandError> {
        self.advance(now);
        let now = self.now;
        let s = self
            .sessions
            .get_mut(&session)
            .ok_or(CommandError::UnknownSession(session))?;
        s.last_activity = s.last_activity.max(now);
        Ok(())
    }

    /// Turns automatic keepalive on or off for a session.
    pub fn set_keepalive(&mut self, session: SessionId, on: bool) -> Result<(), CommandError> {
        let s = self
            .sessions
            .get_mut(&session)
            .ok_or(CommandError::UnknownSession(session))?;
        s.keepalive = on;
        self.arm_session(session);
        Ok(())
    }

    /// Adds a hold: while at least one hold is on, the session is kept alive
    /// (keepalives are sent even if automatic keepalive is off) and never
    /// expires locally. Holds are counted.
    pub fn prevent_expire(&mut self, session: SessionId) -> Result<u32, CommandError> {
        let s = self
            .sessions
            .get_mut(&session)
            .ok_or(CommandError::UnknownSession(session))?;
        s.holds += 1;
        let holds = s.holds;
        self.arm_session(session);
        Ok(holds)
    }

    /// Removes a hold added by [`prevent_expire`](Self::prevent_expire);
    /// returns the holds left.
    pub fn allow_expire(&mut self, session: SessionId) -> Result<u32, CommandError> {
        let s = self
            .sessions
            .get_mut(&session)
            .ok_or(CommandError::UnknownSession(session))?;
        if s.holds == 0 {
            return Err(CommandError::InvalidArgument("the session has no hold"));
        }
        s.holds -= 1;
        let holds = s.holds;
        self.arm_session(session);
        Ok(holds)
    }

    /// When the session will be taken as expired, by the local estimate of
    /// its server-side deadline (last activity + session timeout + grace).
    /// `None`: it never expires (no session timeout, or held), or it is unknown.
    pub fn expires_at(&self, session: SessionId) -> Option<Instant> {
        self.sessions.get(&session).and_then(|s| self.expiry_of(s))
    }

    /// Whether the session is expired at `now`; an unknown (ended) session is.
    pub fn is_expired(&self, session: SessionId, now: Instant) -> bool {
        match self.sessions.get(&session) {
            None => true,
            Some(s) => self.expiry_of(s).is_some_and(|at| now >= at),
        }
    }

    /// The time left before the session expires; `None` if it never does
    /// (or is unknown), zero if it already has.
    pub fn time_left(&self, session: SessionId, now: Instant) -> Option<Duration> {
        self.expires_at(session)
            .map(|at| at.saturating_duration_since(now))
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
        let wrong = |input: &'static str| InputError::WrongTransport {
            input,
            transport: transport.name(),
        };
        match input {
            Input::Timeout => {}
            Input::Connected => {
                if transport != Transport::WebSocket {
                    return Err(wrong("Connected"));
                }
                self.on_connected();
            }
            Input::Closed(reason) => match transport {
                Transport::WebSocket => self.on_closed(reason),
                Transport::Http { .. } => self.close(now),
            },
            Input::Frame(bytes) => {
                if transport != Transport::WebSocket {
                    return Err(wrong("Frame"));
                }
                self.on_bytes(bytes, None);
            }
            Input::HttpResponse { id, status, body } => {
                if transport == Transport::WebSocket {
                    return Err(wrong("HttpResponse"));
                }
                self.on_http_response(id, status, body);
            }
            Input::HttpFailed { id, reason } => {
                if transport == Transport::WebSocket {
                    return Err(wrong("HttpFailed"));
                }
                self.on_http_failed(id, reason);
            }
        }
        self.run_timers();
        Ok(())
    }

    /// Same as `handle_input(now, Input::Timeout)`.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.advance(now);
        self.run_timers();
    }

    // ----- outputs ----------------------------------------------------------

    /// The next thing to do. Call it until it returns [`Output::Idle`].
    #[must_use]
    pub fn poll_output(&mut self) -> Output {
        if let Some(server) = self.connect.take() {
            return Output::Connect { server };
        }
        if let Some(e) = self.events.pop_front() {
            return Output::Event(e);
        }
        if let Some(t) = self.poll_transmit() {
            return Output::Transmit(t);
        }
        Output::Idle(self.poll_timeout())
    }

    /// The next event only.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The next thing to send only.
    #[must_use]
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
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

    /// The earliest deadline at which [`handle_timeout`](Self::handle_timeout)
    /// has work to do; never earlier than the last `now` given.
    #[must_use]
    pub fn poll_timeout(&mut self) -> Option<Instant> {
        self.timers.next().map(|t| t.max(self.now))
    }

    /// How much state the engine holds.
    pub fn footprint(&self) -> Footprint {
        Footprint {
            sessions: self.sessions.len(),
            handles: self.handles.len(),
            requests: self.requests.len(),
            timers: self.timers.len(),
            exchanges: self.exchanges.len(),
            queued: self.send_queue.len() + self.poll_queue.len(),
            events: self.events.len(),
        }
    }

    /// The number of operations done on the engine's ordered timer
    /// structure so far (a measure of work that does not depend on timing).
    pub fn timer_operations(&self) -> u64 {
        self.timers.ops
    }

    // ----- internals: time ----------------------------------------------------

    fn advance(&mut self, now: Instant) {
        if now > self.now {
            self.now = now;
        }
    }

    fn run_timers(&mut self) {
        while let Some(key) = self.timers.pop_due(self.now) {
            match key {
                TimerKey::Request(id) => self.on_request_deadline(id),
                TimerKey::Retry(id) => self.on_retry_due(id),
                TimerKey::Session(sid) => self.on_session_timer(SessionId(sid)),
                TimerKey::Poll(sid) => self.on_poll_timer(SessionId(sid)),
                TimerKey::Reconnect => self.on_reconnect_due(),
            }
        }
    }

    fn expiry_of(&self, s: &Session) -> Option<Instant> {
        let t = self.config.session_timeout;
        if t.is_zero() || s.holds > 0 {
            return None;
        }
        Some(s.last_activity + t + self.config.expiry_grace)
    }

    fn keepalive_due(&self, s: &Session) -> Option<Instant> {
        let wanted = s.keepalive || s.holds > 0;
        if !wanted || s.reclaiming || s.keepalive_in_flight || self.link != Link::Up {
            return None;
        }
        Some(s.last_activity + self.config.effective_keepalive())
    }

    /// Arms the session's timer at the earliest of its expiry and keepalive.
    fn arm_session(&mut self, sid: SessionId) {
        let Some(s) = self.sessions.get(&sid) else {
            return;
        };
        let at = match (self.expiry_of(s), self.keepalive_due(s)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match at {
            Some(at) => self.timers.set(TimerKey::Session(sid.0), at),
            None => self.timers.cancel(TimerKey::Session(sid.0)),
        }
    }

    fn on_session_timer(&mut self, sid: SessionId) {
        let now = self.now;
        let Some(s) = self.sessions.get(&sid) else {
            return;
        };
        if self.expiry_of(s).is_some_and(|at| now >= at) {
            self.end_session(sid, EndReason::Expired);
            return;
        }
        if self.keepalive_due(s).is_some_and(|at| now >= at) {
            if let Some(s) = self.sessions.get_mut(&sid) {
                s.keepalive_in_flight = true;
            }
            let timeout = self.config.request_timeout;
            self.enqueue(
                Request::Keepalive { session: sid },
                Origin::Keepalive,
                timeout,
                Some(sid),
                None,
            );
        }
        self.arm_session(sid);
    }

    // ----- internals: requests ----------------------------------------------

    fn target_of(
        &self,
        request: &Request,
    ) -> Result<(Option<SessionId>, Option<HandleId>), CommandError> {
        if let Some(h) = request.handle() {
            let handle = self.handles.get(&h).ok_or(CommandError::UnknownHandle(h))?;
            return Ok((Some(handle.session), Some(h)));
        }
        match request {
            Request::Claim { session, .. } => Ok((Some(*session), None)),
            _ => match request.session() {
                Some(s) if !self.sessions.contains_key(&s) => Err(CommandError::UnknownSession(s)),
                s => Ok((s, None)),
            },
        }
    }

    fn enqueue(
        &mut self,
        request: Request,
        origin: Origin,
        timeout: Duration,
        session: Option<SessionId>,
        handle: Option<HandleId>,
    ) -> u64 {
        let id = self.next_request;
        self.next_request += 1;
        if let Some(s) = session.and_then(|s| self.sessions.get_mut(&s)) {
            s.requests.insert(id);
        }
        self.requests.insert(
            id,
            Pending {
                request,
                origin,
                state: ReqState::Queued,
                retries_left: self.config.max_retries,
                timeout,
                session,
                handle,
                exchange: None,
            },
        );
        self.send_queue.push_back(id);
        self.timers
            .set(TimerKey::Request(id), after(self.now, timeout));
        id
    }

    fn transaction(&self, id: u64) -> String {
        format!("{}{}", self.config.transaction_prefix, id)
    }

    fn parse_transaction(&self, tx: &str) -> Option<u64> {
        tx.strip_prefix(self.config.transaction_prefix.as_str())?
            .parse()
            .ok()
    }

    fn transmit_request(&mut self, id: u64) -> Option<Transmit> {
        let p = self.requests.get(&id)?;
        if p.state != ReqState::Queued {
            return None;
        }
        let http = matches!(self.config.transport, Transport::Http { .. });
        let target = wire::Target {
            session: p.session.map(|s| s.0),
            handle: p.handle.map(|h| h.0),
            ids_in_body: !http,
        };
        let body = wire::encode(
            &p.request,
            &self.transaction(id),
            &target,
            self.config.api_secret.as_ref().map(|s| s.expose()),
            self.config.token.as_ref().map(|s| s.expose()),
        );
        let deadline = after(self.now, p.timeout);
        let session = p.session;
        let now = self.now;
        if let Some(s) = session.and_then(|s| self.sessions.get_mut(&s)) {
            s.last_activity = s.last_activity.max(now);
        }
        let transmit = if http {
            let mut path = String::new();
            if let Some(s) = target.session {
                path = format!("/{s}");
                if let Some(h) = target.handle {
                    path.push_str(&format!("/{h}"));
                }
            }
            let xid = self.next_exchange;
            self.next_exchange += 1;
            self.exchanges.insert(xid, Exchange::Request(id));
            if let Some(p) = self.requests.get_mut(&id) {
                p.exchange = Some(xid);
            }
            Transmit::Http(HttpRequest {
                id: ExchangeId(xid),
                method: HttpMethod::Post,
                path,
                body: Some(body),
                deadline,
            })
        } else {
            Transmit::Text(body)
        };
        if let Some(p) = self.requests.get_mut(&id) {
            p.state = ReqState::Sent;
        }
        Some(transmit)
    }

    /// Resolves a request: removes every trace of it and reports the outcome
    /// (automatic requests report through their session instead).
    fn resolve(&mut self, id: u64, result: Result<Reply, RequestError>) {
        let Some(p) = self.requests.remove(&id) else {
            return;
        };
        self.timers.cancel(TimerKey::Request(id));
        self.timers.cancel(TimerKey::Retry(id));
        if let Some(x) = p.exchange {
            self.exchanges.remove(&x);
        }
        if let Some(s) = p.session.and_then(|s| self.sessions.get_mut(&s)) {
            s.requests.remove(&id);
        }
        // Side effects on sessions and handles the server says are gone.
        if let Err(RequestError::Janus(e)) = &result {
            if e.code == 458 && p.origin != Origin::Reclaim {
                if let Some(s) = p.session {
                    self.end_session(s, EndReason::NotFound);
                }
            } else if e.code == 459 {
                if let Some(h) = p.handle {
                    self.end_handle(h, EndReason::NotFound);
                }
            }
        }
        match p.origin {
            Origin::User => {
                self.user_in_flight -= 1;
                self.events.push_back(Event::Response {
                    id: RequestId(id),
                    result,
                });
            }
            Origin::Keepalive => {
                if let Some(sid) = p.session {
                    if let Some(s) = self.sessions.get_mut(&sid) {
                        s.keepalive_in_flight = false;
                    }
                    self.arm_session(sid);
                }
            }
            Origin::Reclaim => {
                let Some(sid) = p.session else { return };
                match result {
                    Ok(_) => {
                        if let Some(s) = self.sessions.get_mut(&sid) {
                            s.reclaiming = false;
                            self.events.push_back(Event::Session {
                                session: sid,
                                event: SessionEvent::Reclaimed,
                            });
                            self.start_polling(sid);
                            self.arm_session(sid);
                        }
                    }
                    // Still waiting for a connection: it is claimed on the next one.
                    Err(RequestError::TransportClosed) => {}
                    Err(_) => self.end_session(sid, EndReason::TransportLost),
                }
            }
        }
    }

    fn on_request_deadline(&mut self, id: u64) {
        self.resolve(id, Err(RequestError::TimedOut));
    }

    fn on_retry_due(&mut self, id: u64) {
        let timeout = match self.requests.get_mut(&id) {
            Some(p) if p.state == ReqState::RetryWait => {
                p.state = ReqState::Queued;
                p.timeout
            }
            _ => return,
        };
        self.send_queue.push_back(id);
        self.timers
            .set(TimerKey::Request(id), after(self.now, timeout));
    }

    /// The transport under a sent request failed: retry it if allowed,
    /// otherwise fail it.
    /// A request's transport failed (`http`: the HTTP exchange's failure).
    fn transport_failed(&mut self, id: u64, http: Option<&str>) {
        let Some(p) = self.requests.get_mut(&id) else {
            return;
        };
        if let Some(x) = p.exchange.take() {
            self.exchanges.remove(&x);
        }
        if p.request.is_idempotent() && p.retries_left > 0 {
            p.retries_left -= 1;
            p.state = ReqState::RetryWait;
            self.timers.cancel(TimerKey::Request(id));
            self.timers.set(
                TimerKey::Retry(id),
                after(self.now, self.config.retry_delay),
            );
        } else {
            let error = match http {
                Some(reason) => RequestError::HttpFailed(reason.to_owned()),
                None => RequestError::TransportClosed,
            };
            self.resolve(id, Err(error));
        }
    }

    // ----- internals: sessions and handles ------------------------------------

    fn add_session(&mut self, sid: SessionId, origin: SessionOrigin, keepalive: bool) {
        let now = self.now;
        let s = self.sessions.entry(sid).or_insert_with(|| Session {
            origin,
            keepalive,
            holds: 0,
            last_activity: now,
            reclaiming: false,
            keepalive_in_flight: false,
            handles: BTreeSet::new(),
            requests: BTreeSet::new(),
            poll: None,
            poll_failures: 0,
        });
        s.last_activity = s.last_activity.max(now);
        if origin == SessionOrigin::Claimed {
            s.keepalive |= keepalive;
        }
        self.start_polling(sid);
        self.arm_session(sid);
    }

    fn end_session(&mut self, sid: SessionId, reason: EndReason) {
        let Some(s) = self.sessions.remove(&sid) else {
            return;
        };
        // Found gone while our own destroy of it is on the wire (over HTTP a
        // re-armed long poll can be answered 404 before the destroy's reply):
        // the destroy did it.
        let destroy = s.requests.iter().copied().find(|id| {
            self.requests.get(id).is_some_and(|p| {
                matches!(p.request, Request::Destroy { .. })
                    && matches!(p.state, ReqState::Sent | ReqState::Acked)
            })
        });
        let reason = match (reason, destroy) {
            (EndReason::NotFound, Some(_)) => EndReason::Destroyed,
            _ => reason,
        };
        self.timers.cancel(TimerKey::Session(sid.0));
        self.timers.cancel(TimerKey::Poll(sid.0));
        if let Some(x) = s.poll {
            self.exchanges.remove(&x);
        }
        for h in &s.handles {
            if self.handles.remove(h).is_some() {
                self.events.push_back(Event::Handle {
                    session: sid,
                    handle: *h,
                    event: HandleEvent::Ended(reason),
                });
            }
        }
        for id in s.requests {
            let result = if reason == EndReason::Destroyed && Some(id) == destroy {
                Ok(Reply::Done)
            } else {
                Err(RequestError::Ended(reason))
            };
            self.resolve(id, result);
        }
        self.events.push_back(Event::Session {
            session: sid,
            event: SessionEvent::Ended(reason),
        });
    }

    fn end_handle(&mut self, hid: HandleId, reason: EndReason) {
        let Some(h) = self.handles.remove(&hid) else {
            return;
        };
        let mut doomed = Vec::new();
        if let Some(s) = self.sessions.get_mut(&h.session) {
            s.handles.remove(&hid);
            doomed.extend(
                s.requests
                    .iter()
                    .copied()
                    .filter(|id| self.requests.get(id).is_some_and(|p| p.handle == Some(hid))),
            );
        }
        for id in doomed {
            // Our own detach, overtaken by the `detached` event, succeeded.
            let ours = reason == EndReason::Detached
                && matches!(self.requests[&id].request, Request::Detach { .. });
            let result = if ours {
                Ok(Reply::Done)
            } else {
                Err(RequestError::Ended(reason))
            };
            self.resolve(id, result);
        }
        self.events.push_back(Event::Handle {
            session: h.session,
            handle: hid,
            event: HandleEvent::Ended(reason),
        });
    }

    // ----- internals: the WebSocket link ---------------------------------------

    fn on_connected(&mut self) {
        match self.link {
            Link::Connecting { .. } | Link::Waiting { .. } => {}
            Link::Up | Link::Down => return,
        }
        self.connect = None;
        self.timers.cancel(TimerKey::Reconnect);
        self.link = Link::Up;
        self.events.push_back(Event::Connected);
        let mut reclaim: Vec<SessionId> = self
            .sessions
            .iter()
            .filter(|(_, s)| s.reclaiming)
            .map(|(id, _)| *id)
            .collect();
        reclaim.sort_unstable();
        let timeout = self.config.request_timeout;
        for sid in reclaim {
            self.enqueue(
                Request::Claim {
                    session: sid,
                    keepalive: false,
                },
                Origin::Reclaim,
                timeout,
                Some(sid),
                None,
            );
        }
        let live: Vec<SessionId> = self.sessions.keys().copied().collect();
        for sid in live {
            self.arm_session(sid);
        }
    }

    fn on_closed(&mut self, reason: &str) {
        let reconnect = self.config.reconnect.max_attempts > 0;
        match self.link {
            Link::Down | Link::Waiting { .. } => {}
            Link::Up => {
                let mut sent: Vec<u64> = self
                    .requests
                    .iter()
                    .filter(|(_, p)| matches!(p.state, ReqState::Sent | ReqState::Acked))
                    .map(|(id, _)| *id)
                    .collect();
                sent.sort_unstable();
                for id in sent {
                    self.transport_failed(id, None);
                }
                self.events.push_back(Event::Disconnected {
                    reason: reason.to_owned(),
                    reconnecting: reconnect,
                });
                if reconnect {
                    let ids: Vec<SessionId> = self.sessions.keys().copied().collect();
                    for sid in ids {
                        if let Some(s) = self.sessions.get_mut(&sid) {
                            s.reclaiming = true;
                        }
                        self.arm_session(sid);
                    }
                    self.wait_to_reconnect(0);
                } else {
                    self.go_down(EndReason::TransportLost);
                }
            }
            Link::Connecting { attempt } => {
                let attempt = attempt + 1;
                if !self.config.servers.is_empty() {
                    self.server_index = (self.server_index + 1) % self.config.servers.len();
                }
                if attempt >= self.config.reconnect.max_attempts {
                    self.events.push_back(Event::Disconnected {
                        reason: reason.to_owned(),
                        reconnecting: false,
                    });
                    self.go_down(EndReason::TransportLost);
                } else {
                    self.wait_to_reconnect(attempt);
                }
            }
        }
    }

    fn wait_to_reconnect(&mut self, attempt: u32) {
        self.link = Link::Waiting { attempt };
        self.connect = None;
        let at = after(self.now, self.config.reconnect.backoff(attempt));
        self.timers.set(TimerKey::Reconnect, at);
    }

    fn on_reconnect_due(&mut self) {
        if let Link::Waiting { attempt } = self.link {
            self.link = Link::Connecting { attempt };
            self.connect = Some(
                self.config
                    .servers
                    .get(self.server_index)
                    .cloned()
                    .unwrap_or_default(),
            );
        }
    }

    /// Closed for good: fail everything, end everything.
    fn go_down(&mut self, reason: EndReason) {
        self.link = Link::Down;
        self.connect = None;
        self.timers.cancel(TimerKey::Reconnect);
        let mut ids: Vec<u64> = self.requests.keys().copied().collect();
        ids.sort_unstable();
        for id in ids {
            self.resolve(id, Err(RequestError::TransportClosed));
        }
        let mut sids: Vec<SessionId> = self.sessions.keys().copied().collect();
        sids.sort_unstable();
        for sid in sids {
            self.end_session(sid, reason);
        }
        self.send_queue.clear();
        self.poll_queue.clear();
    }

    // ----- internals: HTTP -------------------------------------------------------

    fn start_polling(&mut self, sid: SessionId) {
        if matches!(self.config.transport, Transport::Http { .. }) {
            if let Some(s) = self.sessions.get(&sid) {
                if s.poll.is_none() && !s.reclaiming {
                    self.timers.cancel(TimerKey::Poll(sid.0));
                    self.poll_queue.push_back(sid);
                }
            }
        }
    }

    fn long_poll(&mut self, sid: SessionId) -> Option<Transmit> {
        let Transport::Http { max_events } = self.config.transport else {
            return None;
        };
        let now = self.now;
        let deadline = after(now, self.config.long_poll_timeout);
        let s = self.sessions.get_mut(&sid)?;
        if s.poll.is_some() {
            return None;
        }
        let xid = self.next_exchange;
        self.next_exchange += 1;
        s.poll = Some(xid);
        s.last_activity = s.last_activity.max(now);
        self.exchanges.insert(xid, Exchange::Poll(sid));
        self.timers.set(TimerKey::Poll(sid.0), deadline);
        let mut path = format!("/{}?maxev={}", sid, max_events.max(1));
        if let Some(secret) = &self.config.api_secret {
            path.push_str("&apisecret=");
            wire::query_escape(&mut path, secret.expose());
        }
        if let Some(token) = &self.config.token {
            path.push_str("&token=");
            wire::query_escape(&mut path, token.expose());
        }
        Some(Transmit::Http(HttpRequest {
            id: ExchangeId(xid),
            method: HttpMethod::Get,
            path,
            body: None,
            deadline,
        }))
    }

    fn on_poll_timer(&mut self, sid: SessionId) {
        let Some(s) = self.sessions.get_mut(&sid) else {
            return;
        };
        match s.poll.take() {
            // The poll outlived its deadline: give up on it.
            Some(x) => {
                self.exchanges.remove(&x);
                self.poll_failed(sid);
            }
            // The back-off after a failure is over.
            None => self.poll_queue.push_back(sid),
        }
    }

    fn poll_failed(&mut self, sid: SessionId) {
        let Some(s) = self.sessions.get_mut(&sid) else {
            return;
        };
        s.poll = None;
        s.poll_failures += 1;
        if s.poll_failures >= self.config.max_poll_failures {
            self.end_session(sid, EndReason::TransportLost);
            return;
        }
        let factor = 1u32 << (s.poll_failures - 1).min(16);
        let wait = (self.config.poll_retry_initial * factor).min(self.config.poll_retry_max);
        self.timers
            .set(TimerKey::Poll(sid.0), after(self.now, wait));
    }

    fn on_http_response(&mut self, id: ExchangeId, status: u16, body: &[u8]) {
        match self.exchanges.remove(&id.0) {
            None => {}
            Some(Exchange::Request(rid)) => {
                if let Some(p) = self.requests.get_mut(&rid) {
                    p.exchange = None;
                }
                if status != 200 {
                    self.resolve(rid, Err(RequestError::HttpStatus { status }));
                    return;
                }
                self.on_bytes(body, Some(rid));
                // A body that did not settle its request (malformed, or the
                // wrong transaction) must still resolve it.
                if self
                    .requests
                    .get(&rid)
                    .is_some_and(|p| p.state == ReqState::Sent)
                {
                    let err = ProtocolError::Malformed(
                        "the HTTP reply did not answer the request".into(),
                    );
                    self.resolve(rid, Err(RequestError::Protocol(err)));
                }
            }
            Some(Exchange::Poll(sid)) => {
                self.timers.cancel(TimerKey::Poll(sid.0));
                if let Some(s) = self.sessions.get_mut(&sid) {
                    s.poll = None;
                }
                match status {
                    200 => {
                        if self.on_bytes(body, None) {
                            if let Some(s) = self.sessions.get_mut(&sid) {
                                s.poll_failures = 0;
                            }
                            self.start_polling(sid);
                        } else {
                            self.poll_failed(sid);
                        }
                    }
                    404 => self.end_session(sid, EndReason::NotFound),
                    _ => self.poll_failed(sid),
                }
            }
        }
    }

    fn on_http_failed(&mut self, id: ExchangeId, reason: &str) {
        match self.exchanges.remove(&id.0) {
            None => {}
            Some(Exchange::Request(rid)) => {
                if let Some(p) = self.requests.get_mut(&rid) {
                    p.exchange = None;
                }
                self.transport_failed(rid, Some(reason));
            }
            Some(Exchange::Poll(sid)) => {
                self.timers.cancel(TimerKey::Poll(sid.0));
                self.poll_failed(sid);
            }
        }
    }

    // ----- internals: inbound messages --------------------------------------------

    /// Reads a frame or body; `http_request` is the request a POST answered.
    /// Returns whether every message in it was usable.
    fn on_bytes(&mut self, bytes: &[u8], http_request: Option<u64>) -> bool {
        let limit = self.config.max_frame_size;
        let result = if bytes.len() > limit {
            Err(ProtocolError::FrameTooLarge {
                size: bytes.len(),
                limit,
            })
        } else {
            wire::split_messages(bytes, |m| self.on_message(m, http_request))
        };
        match result {
            Ok(()) => true,
            Err(e) => {
                match http_request {
                    Some(rid) if self.requests.contains_key(&rid) => {
                        self.resolve(rid, Err(RequestError::Protocol(e)))
                    }
                    _ => self.events.push_back(Event::ProtocolError(e)),
                }
                false
            }
        }
    }

    fn on_message(&mut self, mut map: Map<String, Value>, http_request: Option<u64>) {
        let Some(Value::String(kind)) = map.remove("janus") else {
            self.events
                .push_back(Event::ProtocolError(ProtocolError::Malformed(
                    "message without a `janus` string".into(),
                )));
            return;
        };
        let tx = map
            .get("transaction")
            .and_then(Value::as_str)
            .and_then(|t| self.parse_transaction(t))
            .filter(|id| self.requests.contains_key(id));
        match kind.as_str() {
            "success" | "ack" | "error" | "server_info" | "pong" => {
                let id = match (tx, map.contains_key("transaction")) {
                    (Some(id), _) => Some(id),
                    // An error without a transaction answers the POST it came in.
                    (None, false) => http_request.filter(|id| self.requests.contains_key(id)),
                    (None, true) => None,
                };
                match id {
                    Some(id) => self.on_reply(id, &kind, map),
                    None if kind == "error" => {
                        let e = match wire::janus_error(&map) {
                            Ok(e) => ProtocolError::Unsolicited(e),
                            Err(e) => e,
                        };
                        self.events.push_back(Event::ProtocolError(e));
                    }
                    // A late reply to a request that already resolved (timed out,
                    // or answered by its event before its ack).
                    None => {}
                }
            }
            "event" => {
                if let Some(id) = tx {
                    if matches!(self.requests[&id].request, Request::Message { .. }) {
                        self.on_reply(id, "event", map);
                        return;
                    }
                }
                let Some((sid, hid)) = self.route(&map) else {
                    return self.unroutable(kind, map);
                };
                let transaction = wire::str_field(&map, "transaction");
                let event = match (wire::take_plugindata(&mut map), wire::take_jsep(&mut map)) {
                    (Ok((plugin, data)), Ok(jsep)) => HandleEvent::Plugin {
                        plugin,
                        data,
                        jsep,
                        transaction,
                    },
                    (Err(e), _) | (_, Err(e)) => {
                        self.events.push_back(Event::ProtocolError(e));
                        return;
                    }
                };
                self.handle_event(sid, hid, event);
            }
            "webrtcup" | "media" | "slowlink" | "hangup" | "trickle" => {
                let Some((sid, hid)) = self.route(&map) else {
                    return self.unroutable(kind, map);
                };
                let event = match kind.as_str() {
                    "webrtcup" => HandleEvent::WebrtcUp,
                    "media" => HandleEvent::Media {
                        mid: wire::str_field(&map, "mid"),
                        kind: wire::str_field(&map, "type"),
                        receiving: map
                            .get("receiving")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                        raw: Value::Object(map),
                    },
                    "slowlink" => HandleEvent::Slowlink {
                        mid: wire::str_field(&map, "mid"),
                        media: wire::str_field(&map, "media"),
                        uplink: map.get("uplink").and_then(Value::as_bool).unwrap_or(false),
                        lost: map.get("lost").and_then(Value::as_u64).unwrap_or(0),
                    },
                    "hangup" => HandleEvent::Hangup {
                        reason: wire::str_field(&map, "reason"),
                    },
                    _ => match wire::parse_trickle(&mut map) {
                        Ok(t) => HandleEvent::Trickle(t),
                        Err(e) => {
                            self.events.push_back(Event::ProtocolError(e));
                            return;
                        }
                    },
                };
                self.handle_event(sid, hid, event);
            }
            "detached" => {
                if let Some((_, hid)) = self.route(&map) {
                    let reason = if self.handles[&hid].detaching {
                        EndReason::Detached
                    } else {
                        EndReason::ServerDetached
                    };
                    self.end_handle(hid, reason);
                }
            }
            "timeout" => {
                if let Some(sid) = wire::id_field(&map, "session_id") {
                    self.end_session(SessionId(sid), EndReason::ServerTimeout);
                }
            }
            "keepalive" => {}
            _ => {
                map.insert("janus".into(), Value::String(kind));
                if let Some((sid, hid)) = self.route(&map) {
                    self.handle_event(sid, hid, HandleEvent::Unknown(Value::Object(map)));
                } else {
                    let session = wire::id_field(&map, "session_id").map(SessionId);
                    let raw = Value::Object(map);
                    self.events.push_back(match session {
                        Some(session) if self.sessions.contains_key(&session) => Event::Session {
                            session,
                            event: SessionEvent::Unknown(raw),
                        },
                        session => Event::Unknown { session, raw },
                    });
                }
            }
        }
    }

    /// A handle event for a handle this engine does not track: reported
    /// whole when its session is tracked (a handle attached by another
    /// client before a claim), dropped otherwise (a late event for a handle
    /// or session that already ended).
    fn unroutable(&mut self, kind: String, mut map: Map<String, Value>) {
        let session = wire::id_field(&map, "session_id").map(SessionId);
        if let Some(session) = session.filter(|s| self.sessions.contains_key(s)) {
            map.insert("janus".into(), Value::String(kind));
            self.events.push_back(Event::Session {
                session,
                event: SessionEvent::Unknown(Value::Object(map)),
            });
        }
    }

    /// Finds the tracked handle a message is for (by `sender`, checked
    /// against `session_id`).
    fn route(&self, map: &Map<String, Value>) -> Option<(SessionId, HandleId)> {
        let hid = HandleId(wire::id_field(map, "sender")?);
        let h = self.handles.get(&hid)?;
        match wire::id_field(map, "session_id") {
            Some(s) if s != h.session.0 => None,
            _ => Some((h.session, hid)),
        }
    }

    fn handle_event(&mut self, session: SessionId, handle: HandleId, event: HandleEvent) {
        self.events.push_back(Event::Handle {
            session,
            handle,
            event,
        });
    }

    /// A reply (or the event) that settles request `id`.
    fn on_reply(&mut self, id: u64, kind: &str, mut map: Map<String, Value>) {
        let Some(p) = self.requests.get_mut(&id) else {
            return;
        };
        let result = match kind {
            "ack" => match p.request {
                Request::Message { .. } => {
                    p.state = ReqState::Acked;
                    return;
                }
                Request::Keepalive { .. } | Request::Trickle { .. } => Ok(Reply::Ack),
                // Janus acks nothing else: a reply of the wrong kind must
                // not pass for success (a create "succeeding" without a
                // session).
                _ => mismatch(kind, &p.request),
            },
            "error" => match wire::janus_error(&map) {
                Ok(e) => Err(RequestError::Janus(e)),
                Err(e) => Err(RequestError::Protocol(e)),
            },
            "server_info" if matches!(p.request, Request::Info) => {
                let info = wire::server_info(map);
                self.learn(&info);
                Ok(Reply::ServerInfo(Box::new(info)))
            }
            "pong" if matches!(p.request, Request::Ping) => Ok(Reply::Done),
            "server_info" | "pong" => mismatch(kind, &p.request),
            "event" => plugin_reply(&mut map, true),
            _ => {
                let request = p.request.clone();
                self.on_success(id, request, map);
                return;
            }
        };
        self.resolve(id, result);
    }

    fn on_success(&mut self, id: u64, request: Request, mut map: Map<String, Value>) {
        let data_id = || {
            map.get("data")
                .and_then(|d| d.get("id"))
                .and_then(Value::as_u64)
                .ok_or_else(|| {
                    RequestError::Protocol(ProtocolError::Malformed(
                        "success without `data.id`".into(),
                    ))
                })
        };
        let result = match request {
            Request::Create { .. } => data_id().map(|sid| {
                let sid = SessionId(sid);
                self.add_session(sid, SessionOrigin::Created, true);
                Reply::SessionCreated(sid)
            }),
            Request::Attach {
                session,
                plugin,
                opaque_id,
            } => data_id().and_then(|hid| {
                let hid = HandleId(hid);
                // A server that hands out an id already in use: refuse it
                // rather than let two handles share one lifetime.
                if self.handles.contains_key(&hid) {
                    return Err(RequestError::Protocol(ProtocolError::Malformed(format!(
                        "`attach` answered with handle {hid}, which is already attached"
                    ))));
                }
                if let Some(s) = self.sessions.get_mut(&session) {
                    s.handles.insert(hid);
                    self.handles.insert(
                        hid,
                        Handle {
                            session,
                            plugin,
                            opaque_id,
                            detaching: false,
                        },
                    );
                }
                Ok(Reply::Attached(hid))
            }),
            Request::Claim { session, keepalive } => {
                if self.requests.get(&id).map(|p| p.origin) == Some(Origin::User) {
                    self.add_session(session, SessionOrigin::Claimed, keepalive);
                    if let Some(p) = self.requests.get_mut(&id) {
                        p.session = Some(session);
                    }
                }
                Ok(Reply::Claimed(session))
            }
            Request::Message { .. } => {
                if map.contains_key("plugindata") {
                    plugin_reply(&mut map, false)
                } else {
                    Ok(Reply::Done)
                }
            }
            Request::Destroy { session } => {
                self.resolve(id, Ok(Reply::Done));
                self.end_session(session, EndReason::Destroyed);
                return;
            }
            Request::Detach { handle } => {
                self.resolve(id, Ok(Reply::Done));
                self.end_handle(handle, EndReason::Detached);
                return;
            }
            Request::Keepalive { .. } | Request::Trickle { .. } => Ok(Reply::Ack),
            Request::Info => mismatch("success", &request),
            Request::Ping | Request::Hangup { .. } => Ok(Reply::Done),
        };
        self.resolve(id, result);
    }

    fn learn(&mut self, info: &crate::ServerInfo) {
        if !self.config.learn_from_info {
            return;
        }
        if let Some(t) = info.session_timeout {
            let t = Duration::from_secs(t);
            if t != self.config.session_timeout {
                self.config.session_timeout = t;
                let ids: Vec<SessionId> = self.sessions.keys().copied().collect();
                for sid in ids {
                    self.arm_session(sid);
                }
            }
        }
    }
}

/// A reply whose kind cannot answer the request (an `ack` to a `create`, a
/// `pong` to a `destroy`, ...): a protocol error, never a success.
fn mismatch(kind: &str, request: &Request) -> Result<Reply, RequestError> {
    Err(RequestError::Protocol(ProtocolError::Malformed(format!(
        "`{kind}` does not answer `{}`",
        request.verb()
    ))))
}

/// A plugin's answer inside `success` or `event`: data, or the plugin's error.
fn plugin_reply(map: &mut Map<String, Value>, asynchronous: bool) -> Result<Reply, RequestError> {
    let (plugin, data) = wire::take_plugindata(map)?;
    if let Some(e) = wire::plugin_error(&plugin, &data) {
        return Err(RequestError::Plugin(e));
    }
    let jsep = wire::take_jsep(map)?;
    Ok(Reply::Plugin(PluginReply {
        plugin,
        data,
        jsep,
        asynchronous,
    }))
}

/// `now + wait`, or a century from now for a wait too long to add (a
/// caller's `Duration::MAX` means "never", not a panic).
fn after(now: Instant, wait: Duration) -> Instant {
    now.checked_add(wait)
        .or_else(|| now.checked_add(Duration::from_secs(100 * 365 * 24 * 3600)))
        .unwrap_or(now)
}
