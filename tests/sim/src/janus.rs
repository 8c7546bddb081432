//! A simulated Janus 1.1.2: a deterministic, sans-IO model of the server's
//! sessions, handles, transactions, keepalive, session timeout and reclaim,
//! for WebSocket connections and the HTTP transport (POST replies and long
//! polls), as measured on the real server (`shared/design/janus-protocol.md`,
//! and `tests/real_janus.rs`, which compares this model's replies with a live
//! Janus in shape).
//!
//! Like the engine it never reads a clock: time is an argument. Its outputs
//! (frames to a WebSocket connection, HTTP responses) are pulled with
//! [`Janus::poll`]. Ids are drawn from a seeded [`Rng`].

use crate::rng::Rng;
use janus_core::ExchangeId;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// The watchdog period of Janus's session checker.
pub const WATCHDOG: Duration = Duration::from_secs(2);
/// How long a long poll with nothing to report is held.
pub const POLL_HOLD: Duration = Duration::from_secs(30);
/// The plugins the simulated server has.
pub const PLUGINS: [&str; 2] = ["janus.plugin.echotest", "janus.plugin.videoroom"];
/// The hint of EchoTest's `ack`.
pub const ECHO_HINT: &str = "I'm taking my time!";

/// The server's settings (the subset of `janus.jcfg` the lifecycle depends on).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimConfig {
    /// `session_timeout` in seconds (0: sessions never expire).
    pub session_timeout: u64,
    /// `reclaim_session_timeout` in seconds (0: a closed WebSocket destroys its sessions).
    pub reclaim_timeout: u64,
    /// How often (per mille) an asynchronous plugin event goes out before
    /// the `ack` of its request, and a `detached` before the `success` of its
    /// `detach` (both observed on the real server).
    pub event_first: u32,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            session_timeout: 60,
            reclaim_timeout: 0,
            event_first: 300,
        }
    }
}

/// Where a request came from, and so where its reply goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A WebSocket connection (by the id [`Janus::ws_open`] gave it).
    Ws(u64),
    /// The HTTP transport.
    Http,
}

/// Who receives a session's asynchronous events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    /// A WebSocket connection of the client under test.
    Ws(u64),
    /// The HTTP transport's queue for the session.
    Http,
    /// Another client (events are lost to the client under test).
    Other,
    /// The client under test is gone for good (closed).
    Orphan,
}

/// What the server sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimOutput {
    /// A text frame on a WebSocket connection.
    Ws {
        /// The connection.
        conn: u64,
        /// The frame.
        text: String,
    },
    /// The response to an HTTP exchange.
    Http {
        /// The exchange the engine emitted.
        id: ExchangeId,
        /// The HTTP status.
        status: u16,
        /// The body (empty for 404/403 long polls).
        body: String,
    },
}

/// One session as the server holds it.
#[derive(Clone, Debug)]
pub struct SimSession {
    /// The last request that found it.
    pub last_activity: Instant,
    /// Who gets its events.
    pub owner: Owner,
    /// Its handles.
    pub handles: BTreeSet<u64>,
    /// Its WebSocket closed while `reclaim_session_timeout` > 0.
    pub transport_gone: bool,
    /// The HTTP transport's event queue.
    queue: VecDeque<String>,
}

/// One plugin handle as the server holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimHandle {
    /// Its session.
    pub session: u64,
    /// The plugin's package name.
    pub plugin: String,
    /// The opaque id given at attach.
    pub opaque_id: Option<String>,
}

/// How a session left the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionEnd {
    /// `destroy` (the reply tells the client).
    Destroyed,
    /// The watchdog expired it; `notified` says whether a `timeout` event went
    /// to a client of the one under test.
    TimedOut {
        /// Whether the `timeout` event was sent (or queued to a held poll).
        notified: bool,
    },
    /// Its WebSocket closed with reclaim off, or the Admin API destroyed it:
    /// nothing is sent.
    Silent,
}

#[derive(Clone, Debug)]
struct HeldPoll {
    id: ExchangeId,
    session: u64,
    max_events: usize,
    until: Instant,
}

/// Counts of what the server did, for reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SimStats {
    /// Requests processed.
    pub requests: u64,
    /// Error replies sent.
    pub errors: u64,
    /// Sessions expired by the watchdog.
    pub timeouts: u64,
    /// Long polls answered.
    pub polls: u64,
}

/// The simulated server.
#[derive(Clone, Debug)]
pub struct Janus {
    cfg: SimConfig,
    rng: Rng,
    next_tick: Instant,
    next_conn: u64,
    open: BTreeSet<u64>,
    sessions: BTreeMap<u64, SimSession>,
    handles: BTreeMap<u64, SimHandle>,
    ended: BTreeMap<u64, SessionEnd>,
    handle_records: BTreeMap<u64, SimHandle>,
    held: Vec<HeldPoll>,
    out: VecDeque<SimOutput>,
    /// What the server did so far.
    pub stats: SimStats,
    /// The event handler's deliveries (one JSON event each), when on.
    handler: Option<Vec<String>>,
    /// How many times each session id was created and ended here.
    history: BTreeMap<u64, (u32, u32)>,
    /// Sessions claimed by a transport other than the one holding them.
    claimed: BTreeSet<u64>,
}

fn error_reply(session: Option<u64>, tx: Option<&str>, code: u16, reason: &str) -> String {
    let mut s = String::from(r#"{"janus":"error""#);
    if let Some(sid) = session {
        let _ = write!(s, r#","session_id":{sid}"#);
    }
    if let Some(tx) = tx {
        s.push_str(r#","transaction":"#);
        s.push_str(&Value::from(tx).to_string());
    }
    let _ = write!(
        s,
        r#","error":{{"code":{code},"reason":{}}}}}"#,
        Value::from(reason)
    );
    s
}

/// A JSON parse error worded like jansson's (the server's parser).
fn jansson_text(e: &serde_json::Error) -> &'static str {
    if e.is_eof() {
        "unexpected token near end of file"
    } else {
        "invalid token"
    }
}

fn jansson_error(e: &serde_json::Error) -> String {
    format!("<string>({},{}): {}", e.line(), e.column(), jansson_text(e))
}

fn quote(tx: &str) -> String {
    Value::from(tx).to_string()
}

/// A request being processed: the parts every verb needs.
struct Req<'a> {
    source: Source,
    tx: &'a str,
    map: &'a Map<String, Value>,
    session: Option<u64>,
    handle: Option<u64>,
}

impl Janus {
    /// A server started at `now`, drawing ids from `seed`.
    pub fn new(cfg: SimConfig, seed: u64, now: Instant) -> Self {
        Self {
            cfg,
            rng: Rng::new(seed),
            next_tick: now + WATCHDOG,
            next_conn: 1,
            open: BTreeSet::new(),
            sessions: BTreeMap::new(),
            handles: BTreeMap::new(),
            ended: BTreeMap::new(),
            handle_records: BTreeMap::new(),
            handler: None,
            history: BTreeMap::new(),
            claimed: BTreeSet::new(),
            held: Vec::new(),
            out: VecDeque::new(),
            stats: SimStats::default(),
        }
    }

    /// The settings.
    pub fn config(&self) -> &SimConfig {
        &self.cfg
    }

    // ----- model views ------------------------------------------------------

    /// The live sessions.
    pub fn sessions(&self) -> &BTreeMap<u64, SimSession> {
        &self.sessions
    }

    /// The live handles.
    pub fn handles(&self) -> &BTreeMap<u64, SimHandle> {
        &self.handles
    }

    /// How a session that existed ended (`None`: still live, or never existed).
    pub fn ended(&self, session: u64) -> Option<SessionEnd> {
        self.ended.get(&session).copied()
    }

    /// Whether the session ever existed on this server.
    pub fn ever_had_session(&self, session: u64) -> bool {
        self.sessions.contains_key(&session) || self.ended.contains_key(&session)
    }

    /// What a handle that ever existed was (its session, plugin, opaque id).
    pub fn handle_record(&self, handle: u64) -> Option<&SimHandle> {
        self.handle_records.get(&handle)
    }

    /// Whether a WebSocket connection is open.
    pub fn is_open(&self, conn: u64) -> bool {
        self.open.contains(&conn)
    }

    /// Long polls currently held.
    pub fn held_polls(&self) -> usize {
        self.held.len()
    }

    // ----- transports -------------------------------------------------------

    /// Turns the event handler on: from now on every session, handle and
    /// transport event is recorded as Janus's sampleevh would post it.
    pub fn record_handler_events(&mut self) {
        self.handler.get_or_insert_with(Vec::new);
    }

    /// The event handler's events since the last call.
    pub fn take_handler_events(&mut self) -> Vec<String> {
        self.handler
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// How many times each session id was created, and ended.
    pub fn session_history(&self) -> &BTreeMap<u64, (u32, u32)> {
        &self.history
    }

    /// Sessions a `claim` moved to another transport (which no event
    /// handler event shows).
    pub fn claimed(&self) -> &BTreeSet<u64> {
        &self.claimed
    }

    fn evh(&mut self, event: impl FnOnce() -> String) {
        if let Some(h) = &mut self.handler {
            h.push(event());
        }
    }

    /// The transport instance of `owner`, as event handlers name it.
    fn instance(owner: Owner) -> (String, &'static str) {
        match owner {
            Owner::Ws(c) => (format!("ws-{c}"), "janus.transport.websockets"),
            Owner::Http => ("http".into(), "janus.transport.http"),
            Owner::Other | Owner::Orphan => ("other".into(), "janus.transport.other"),
        }
    }

    fn evh_detached(&mut self, sid: u64, hid: u64) {
        self.evh(|| {
            format!(
                r#"{{"emitter":"sim","type":2,"session_id":{sid},"handle_id":{hid},"event":{{"name":"detached"}}}}"#
            )
        });
    }

    /// A client opened a WebSocket connection; returns its id.
    pub fn ws_open(&mut self) -> u64 {
        let c = self.next_conn;
        self.next_conn += 1;
        self.open.insert(c);
        c
    }

    /// A WebSocket connection closed: with `reclaim_session_timeout` 0 its
    /// sessions are destroyed at once (silently); otherwise they wait to be
    /// claimed, flagged "transport gone".
    pub fn ws_close(&mut self, conn: u64) {
        if !self.open.remove(&conn) {
            return;
        }
        let owned: Vec<u64> = self
            .sessions
            .iter()
            .filter(|(_, s)| s.owner == Owner::Ws(conn))
            .map(|(id, _)| *id)
            .collect();
        for sid in owned {
            if self.cfg.reclaim_timeout == 0 {
                self.remove_session(sid, SessionEnd::Silent);
            } else if let Some(s) = self.sessions.get_mut(&sid) {
                s.transport_gone = true;
            }
        }
        self.evh(|| {
            format!(
                r#"{{"emitter":"sim","type":128,"event":{{"transport":"janus.transport.websockets","id":"ws-{conn}","data":{{"event":"disconnected"}}}}}}"#
            )
        });
    }

    /// The client under test is gone for good: its sessions keep living on
    /// the server (until they time out) but nobody receives their events.
    pub fn orphan_client(&mut self) {
        for s in self.sessions.values_mut() {
            if matches!(s.owner, Owner::Ws(_) | Owner::Http) {
                s.owner = Owner::Orphan;
                s.queue.clear();
            }
        }
        let open: Vec<u64> = self.open.iter().copied().collect();
        for c in open {
            self.ws_close(c);
        }
    }

    /// One WebSocket text message from a client.
    pub fn ws_frame(&mut self, now: Instant, conn: u64, text: &[u8]) {
        if !self.open.contains(&conn) {
            return;
        }
        let parsed = serde_json::Deserializer::from_slice(text)
            .into_iter::<Value>()
            .collect::<Result<Vec<_>, _>>();
        match parsed {
            Err(e) => {
                self.stats.errors += 1;
                let reason = format!("Invalid Janus API request - {}", jansson_error(&e));
                let reply = error_reply(None, None, 454, &reason);
                self.out.push_back(SimOutput::Ws { conn, text: reply });
            }
            Ok(values) => {
                for v in values {
                    if let Some(reply) = self.request(now, Source::Ws(conn), None, None, v) {
                        self.out.push_back(SimOutput::Ws { conn, text: reply });
                    }
                }
            }
        }
    }

    /// One HTTP exchange: a POST to `/janus[path]` or a long-poll GET.
    pub fn http(
        &mut self,
        now: Instant,
        id: ExchangeId,
        get: bool,
        path: &str,
        body: Option<&str>,
    ) {
        if get {
            return self.long_poll(now, id, path);
        }
        let (path, _query) = path.split_once('?').unwrap_or((path, ""));
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        // A non-numeric first segment is taken as the root.
        let ids: Vec<u64> = segments.iter().map_while(|s| s.parse().ok()).collect();
        let (session, handle) = (ids.first().copied(), ids.get(1).copied());
        let body = body.unwrap_or_default();
        let reply = match serde_json::from_str::<Value>(body) {
            Err(e) => {
                self.stats.errors += 1;
                Some(error_reply(
                    None,
                    None,
                    454,
                    &format!("JSON error: on line {}: {}", e.line(), jansson_text(&e)),
                ))
            }
            Ok(v) if !v.is_object() => {
                self.stats.errors += 1;
                Some(error_reply(None, None, 455, "JSON error: not an object"))
            }
            Ok(v) => self.request(now, Source::Http, session, handle, v),
        };
        self.out.push_back(SimOutput::Http {
            id,
            status: 200,
            body: reply.unwrap_or_default(),
        });
    }

    /// The next output, if any.
    pub fn poll(&mut self) -> Option<SimOutput> {
        self.out.pop_front()
    }

    /// The earliest time at which [`on_timer`](Self::on_timer) has work.
    pub fn next_timer(&self) -> Option<Instant> {
        let poll = self.held.iter().map(|p| p.until).min();
        let tick = (!self.sessions.is_empty()).then_some(self.next_tick);
        match (poll, tick) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Time passed: run the watchdog ticks and answer held polls that are due.
    pub fn on_timer(&mut self, now: Instant) {
        while self.next_tick <= now {
            let tick = self.next_tick;
            self.next_tick += WATCHDOG;
            self.watchdog(tick);
        }
        let mut i = 0;
        while i < self.held.len() {
            if self.held[i].until <= now {
                let p = self.held.swap_remove(i);
                self.answer_keepalive(&p);
            } else {
                i += 1;
            }
        }
    }

    // ----- scripted server behaviour -----------------------------------------

    /// Another client creates a session (so that the one under test can claim it).
    pub fn foreign_create(&mut self, now: Instant) -> u64 {
        let sid = self.fresh_id();
        self.insert_session(sid, now, Owner::Other);
        sid
    }

    /// A `keepalive` for the session arrives through another connection
    /// (its reply goes there): the session's activity only.
    pub fn keepalive_from_elsewhere(&mut self, now: Instant, session: u64) {
        if let Some(s) = self.sessions.get_mut(&session) {
            s.last_activity = s.last_activity.max(now);
        }
    }

    /// The Admin API destroys a session: nothing is sent to its owner.
    pub fn admin_destroy(&mut self, session: u64) -> bool {
        let removed = self.remove_session(session, SessionEnd::Silent);
        if removed {
            // Silent to the owner, but not to the event handlers.
            self.evh(|| {
                format!(
                    r#"{{"emitter":"sim","type":1,"session_id":{session},"event":{{"name":"destroyed"}}}}"#
                )
            });
        }
        removed
    }

    /// The server detaches a handle by itself (the plugin or the Admin API):
    /// a `detached` event goes to the session's owner.
    pub fn server_detach(&mut self, handle: u64) -> bool {
        let Some(h) = self.handles.remove(&handle) else {
            return false;
        };
        if let Some(s) = self.sessions.get_mut(&h.session) {
            s.handles.remove(&handle);
        }
        self.evh_detached(h.session, handle);
        let ev = format!(
            r#"{{"janus":"detached","session_id":{},"sender":{handle}}}"#,
            h.session
        );
        self.notify(h.session, ev);
        true
    }

    /// The server sends an unsolicited event about a handle (kind 0..=7:
    /// webrtcup, media, slowlink, hangup, trickle, a plugin event, an
    /// end-of-candidates trickle, an event type unknown to the client).
    pub fn server_event(&mut self, handle: u64, kind: u8) -> bool {
        let Some(h) = self.handles.get(&handle) else {
            return false;
        };
        let (sid, plugin) = (h.session, h.plugin.clone());
        let head = r#"{"janus":"#;
        let ids = format!(r#""session_id":{sid},"sender":{handle}"#);
        let ev = match kind % 8 {
            0 => format!(r#"{head}"webrtcup",{ids}}}"#),
            1 => format!(r#"{head}"media",{ids},"mid":"0","type":"audio","receiving":true}}"#),
            2 => format!(
                r#"{head}"slowlink",{ids},"mid":"1","media":"video","uplink":false,"lost":12}}"#
            ),
            3 => format!(r#"{head}"hangup",{ids},"reason":"DTLS alert"}}"#),
            4 => format!(
                r#"{head}"trickle",{ids},"candidate":{{"sdpMid":"0","sdpMLineIndex":0,"candidate":"candidate:1 1 udp 2015363327 192.0.2.2 55416 typ host"}}}}"#
            ),
            5 => format!(
                r#"{head}"event",{ids},"plugindata":{{"plugin":"{plugin}","data":{{"videoroom":"event","room":4242,"leaving":777}}}}}}"#
            ),
            6 => format!(r#"{head}"trickle",{ids},"candidate":{{"completed":true}}}}"#),
            _ => format!(r#"{head}"novelty",{ids},"x":1}}"#),
        };
        self.notify(sid, ev);
        true
    }

    // ----- internals -----------------------------------------------------------

    fn fresh_id(&mut self) -> u64 {
        loop {
            let id = self.rng.janus_id();
            if !self.ever_had_session(id) && !self.handle_records.contains_key(&id) {
                return id;
            }
        }
    }

    fn insert_session(&mut self, sid: u64, now: Instant, owner: Owner) {
        self.ended.remove(&sid);
        self.history.entry(sid).or_default().0 += 1;
        let (instance, transport) = Self::instance(owner);
        self.evh(|| {
            format!(
                r#"{{"emitter":"sim","type":1,"session_id":{sid},"event":{{"name":"created","transport":{{"transport":"{transport}","id":"{instance}"}}}}}}"#
            )
        });
        self.sessions.insert(
            sid,
            SimSession {
                last_activity: now,
                owner,
                handles: BTreeSet::new(),
                transport_gone: false,
                queue: VecDeque::new(),
            },
        );
    }

    fn remove_session(&mut self, sid: u64, how: SessionEnd) -> bool {
        let Some(s) = self.sessions.remove(&sid) else {
            return false;
        };
        self.history.entry(sid).or_default().1 += 1;
        for &h in &s.handles {
            self.evh_detached(sid, h);
        }
        let name = match how {
            SessionEnd::Destroyed => Some("destroyed"),
            SessionEnd::TimedOut { .. } => Some("timeout"),
            SessionEnd::Silent => None,
        };
        if let Some(name) = name {
            self.evh(|| {
                format!(
                    r#"{{"emitter":"sim","type":1,"session_id":{sid},"event":{{"name":"{name}"}}}}"#
                )
            });
        }
        for h in s.handles {
            self.handles.remove(&h);
        }
        // A poll held for it stays with the session that is gone (it is
        // answered with a keepalive when its hold ends, as Janus does): a
        // new session with the same id never gets its events.
        for p in self.held.iter_mut().filter(|p| p.session == sid) {
            p.session = 0;
        }
        self.ended.insert(sid, how);
        true
    }

    /// Sends an event to the session's owner.
    fn notify(&mut self, sid: u64, text: String) {
        let Some(s) = self.sessions.get_mut(&sid) else {
            return;
        };
        match s.owner {
            Owner::Ws(conn) => {
                if self.open.contains(&conn) {
                    self.out.push_back(SimOutput::Ws { conn, text });
                }
            }
            Owner::Http => {
                s.queue.push_back(text);
                self.wake_polls(sid);
            }
            Owner::Other | Owner::Orphan => {}
        }
    }

    /// Sends several events at once (a held poll gets them together).
    fn notify_all(&mut self, sid: u64, events: Vec<String>) {
        let Some(s) = self.sessions.get_mut(&sid) else {
            return;
        };
        match s.owner {
            Owner::Ws(conn) => {
                if self.open.contains(&conn) {
                    for text in events {
                        self.out.push_back(SimOutput::Ws { conn, text });
                    }
                }
            }
            Owner::Http => {
                s.queue.extend(events);
                self.wake_polls(sid);
            }
            Owner::Other | Owner::Orphan => {}
        }
    }

    fn watchdog(&mut self, now: Instant) {
        let timeout = Duration::from_secs(self.cfg.session_timeout);
        let reclaim = Duration::from_secs(self.cfg.reclaim_timeout);
        let due: Vec<u64> = self
            .sessions
            .iter()
            .filter(|(_, s)| {
                let idle = now.saturating_duration_since(s.last_activity);
                (!timeout.is_zero() && idle >= timeout) || (s.transport_gone && idle >= reclaim)
            })
            .map(|(id, _)| *id)
            .collect();
        for sid in due {
            self.stats.timeouts += 1;
            let s = &self.sessions[&sid];
            let notified = match s.owner {
                Owner::Ws(c) => !s.transport_gone && self.open.contains(&c),
                Owner::Http => self.held.iter().any(|p| p.session == sid),
                Owner::Other | Owner::Orphan => false,
            };
            let mut events = vec![format!(r#"{{"janus":"timeout","session_id":{sid}}}"#)];
            // The handles' `detached` follow over HTTP (observed); over a
            // WebSocket they may or may not.
            // EchoTest may also report its PeerConnection done as the
            // handle is torn down (observed on a WebSocket).
            if s.owner == Owner::Http || self.rng.chance(500) {
                for h in &s.handles {
                    events.push(format!(
                        r#"{{"janus":"detached","session_id":{sid},"sender":{h}}}"#
                    ));
                }
            }
            if s.owner != Owner::Http && self.rng.chance(300) {
                for h in &s.handles {
                    if self.handles.get(h).is_some_and(|x| x.plugin == PLUGINS[0]) {
                        events.push(format!(
                            r#"{{"janus":"event","session_id":{sid},"sender":{h},"plugindata":{{"plugin":"janus.plugin.echotest","data":{{"echotest":"event","result":"done"}}}}}}"#
                        ));
                    }
                }
            }
            self.notify_all(sid, events);
            self.remove_session(sid, SessionEnd::TimedOut { notified });
        }
    }

    fn long_poll(&mut self, now: Instant, id: ExchangeId, path: &str) {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let sid = path
            .trim_start_matches('/')
            .split('/')
            .next()
            .and_then(|s| s.parse::<u64>().ok())
            .filter(|s| *s != 0);
        let max_events = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("maxev="))
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(1)
            .max(1);
        let Some(s) = sid.and_then(|sid| self.sessions.get_mut(&sid)) else {
            self.stats.polls += 1;
            self.out.push_back(SimOutput::Http {
                id,
                status: 404,
                body: String::new(),
            });
            return;
        };
        let sid = sid.unwrap_or_default();
        // The transport injects a keepalive when the poll starts.
        s.last_activity = s.last_activity.max(now);
        let p = HeldPoll {
            id,
            session: sid,
            max_events,
            until: now + POLL_HOLD,
        };
        if s.owner == Owner::Http && !s.queue.is_empty() {
            let n = max_events.min(s.queue.len());
            let events: VecDeque<String> = s.queue.drain(..n).collect();
            self.answer_events(&p, events);
        } else {
            self.held.push(p);
        }
    }

    /// Events were queued: the first held poll gets them, the others a
    /// keepalive at once (observed).
    fn wake_polls(&mut self, sid: u64) {
        let mut first = true;
        let mut i = 0;
        while i < self.held.len() {
            if self.held[i].session != sid {
                i += 1;
                continue;
            }
            let p = self.held.remove(i);
            if first {
                first = false;
                let Some(s) = self.sessions.get_mut(&sid) else {
                    return;
                };
                let n = p.max_events.min(s.queue.len());
                let events: VecDeque<String> = s.queue.drain(..n).collect();
                self.answer_events(&p, events);
            } else {
                self.answer_keepalive(&p);
            }
        }
    }

    fn answer_events(&mut self, p: &HeldPoll, events: VecDeque<String>) {
        if events.is_empty() {
            return self.answer_keepalive(p);
        }
        self.stats.polls += 1;
        let body = if p.max_events == 1 {
            events.into_iter().next().unwrap_or_default()
        } else {
            let mut b = String::from("[");
            for (i, e) in events.iter().enumerate() {
                if i > 0 {
                    b.push(',');
                }
                b.push_str(e);
            }
            b.push(']');
            b
        };
        self.out.push_back(SimOutput::Http {
            id: p.id,
            status: 200,
            body,
        });
    }

    fn answer_keepalive(&mut self, p: &HeldPoll) {
        self.stats.polls += 1;
        let body = if p.max_events == 1 {
            r#"{"janus":"keepalive"}"#
        } else {
            r#"[{"janus":"keepalive"}]"#
        };
        self.out.push_back(SimOutput::Http {
            id: p.id,
            status: 200,
            body: body.into(),
        });
    }

    fn err(&mut self, r: &Req<'_>, code: u16, reason: &str) -> Option<String> {
        self.stats.errors += 1;
        Some(error_reply(r.session, Some(r.tx), code, reason))
    }

    /// Processes one request; returns the direct reply.
    fn request(
        &mut self,
        now: Instant,
        source: Source,
        path_session: Option<u64>,
        path_handle: Option<u64>,
        v: Value,
    ) -> Option<String> {
        self.stats.requests += 1;
        let Value::Object(map) = v else {
            // WebSocket: a non-object has no transaction.
            self.stats.errors += 1;
            return Some(error_reply(
                None,
                None,
                456,
                "Missing mandatory element (transaction)",
            ));
        };
        let tx = match map.get("transaction") {
            None => {
                self.stats.errors += 1;
                return Some(error_reply(
                    None,
                    None,
                    456,
                    "Missing mandatory element (transaction)",
                ));
            }
            Some(Value::String(t)) => t.as_str(),
            Some(_) => {
                self.stats.errors += 1;
                return Some(error_reply(
                    None,
                    None,
                    467,
                    "Invalid element type (transaction should be a string)",
                ));
            }
        };
        let body_session = map.get("session_id").and_then(Value::as_u64);
        let body_handle = map.get("handle_id").and_then(Value::as_u64);
        let mut r = Req {
            source,
            tx,
            map: &map,
            session: path_session.or(body_session),
            handle: path_handle.or(body_handle),
        };
        let verb = match map.get("janus") {
            Some(Value::String(v)) => v.to_ascii_lowercase(),
            Some(_) => return self.err(&r, 467, "Invalid element type (janus should be a string)"),
            None => return self.err(&r, 456, "Missing mandatory element (janus)"),
        };
        // The HTTP transport checks these itself: its error names neither
        // the session nor the transaction (observed).
        if let (Some(a), Some(b)) = (path_session, body_session) {
            if a != b {
                self.stats.errors += 1;
                return Some(error_reply(
                    None,
                    None,
                    457,
                    "Conflicting session ID (payload and path)",
                ));
            }
        }
        if let (Some(a), Some(b)) = (path_handle, body_handle) {
            if a != b {
                self.stats.errors += 1;
                return Some(error_reply(
                    None,
                    None,
                    457,
                    "Conflicting handle ID (payload and path)",
                ));
            }
        }
        let Some(sid) = r.session else {
            return match verb.as_str() {
                "info" => Some(self.server_info(tx)),
                "ping" => Some(format!(r#"{{"janus":"pong","transaction":{}}}"#, quote(tx))),
                "create" => self.create(now, &r),
                other => {
                    let reason = format!("Unhandled request '{other}' at this path");
                    self.err(&r, 457, &reason)
                }
            };
        };
        if matches!(verb.as_str(), "info" | "ping") {
            let reason = format!("Unknown request '{verb}'");
            return self.err(&r, 453, &reason);
        }
        let Some(s) = self.sessions.get_mut(&sid) else {
            let reason = format!("No such session {sid}");
            return self.err(&r, 458, &reason);
        };
        s.last_activity = s.last_activity.max(now);
        let Some(hid) = r.handle else {
            return match verb.as_str() {
                "keepalive" => Some(format!(
                    r#"{{"janus":"ack","session_id":{sid},"transaction":{}}}"#,
                    quote(tx)
                )),
                "claim" => self.claim(sid, &r),
                "destroy" => {
                    self.remove_session(sid, SessionEnd::Destroyed);
                    Some(format!(
                        r#"{{"janus":"success","session_id":{sid},"transaction":{}}}"#,
                        quote(tx)
                    ))
                }
                "attach" => self.attach(sid, &r),
                "message" | "trickle" | "hangup" | "detach" | "create" => {
                    let reason = format!("Unhandled request '{verb}' at this path");
                    self.err(&r, 457, &reason)
                }
                _ => {
                    let reason = format!("Unknown request '{verb}'");
                    self.err(&r, 453, &reason)
                }
            };
        };
        match verb.as_str() {
            "keepalive" => {
                return Some(format!(
                    r#"{{"janus":"ack","session_id":{sid},"transaction":{}}}"#,
                    quote(tx)
                ))
            }
            "claim" => return self.claim(sid, &r),
            "destroy" | "attach" | "create" => {
                let reason = format!("Unhandled request '{verb}' at this path");
                return self.err(&r, 457, &reason);
            }
            "message" | "trickle" | "hangup" | "detach" => {}
            _ => {
                let reason = format!("Unknown request '{verb}'");
                return self.err(&r, 453, &reason);
            }
        }
        if self.handles.get(&hid).is_none_or(|h| h.session != sid) {
            let reason = format!("No such handle {hid} in session {sid}");
            return self.err(&r, 459, &reason);
        }
        r.handle = Some(hid);
        match verb.as_str() {
            "message" => self.message(sid, hid, &r),
            "trickle" => {
                let (one, many) = (map.get("candidate"), map.get("candidates"));
                match (one, many) {
                    (None, None) => {
                        self.err(&r, 456, "Missing mandatory element (candidate|candidates)")
                    }
                    (Some(_), Some(_)) => {
                        self.err(&r, 454, "Can't have both candidate and candidates")
                    }
                    (Some(c), None) if !c.is_object() => self.err(
                        &r,
                        467,
                        "Invalid element type (candidate should be an object)",
                    ),
                    (None, Some(c)) if !c.is_array() => self.err(
                        &r,
                        467,
                        "Invalid element type (candidates should be an array)",
                    ),
                    _ => Some(format!(
                        r#"{{"janus":"ack","session_id":{sid},"transaction":{}}}"#,
                        quote(tx)
                    )),
                }
            }
            "hangup" => {
                let reply = format!(
                    r#"{{"janus":"success","session_id":{sid},"transaction":{}}}"#,
                    quote(tx)
                );
                if self.handles[&hid].plugin != "janus.plugin.echotest" {
                    return Some(reply);
                }
                // EchoTest reports the end of the PeerConnection (observed
                // even when there was none), after the reply.
                let ev = format!(
                    r#"{{"janus":"event","session_id":{sid},"sender":{hid},"plugindata":{{"plugin":"janus.plugin.echotest","data":{{"echotest":"event","result":"done"}}}}}}"#
                );
                self.reply_then_event(&r, sid, reply, ev)
            }
            _ => {
                // detach
                self.handles.remove(&hid);
                if let Some(s) = self.sessions.get_mut(&sid) {
                    s.handles.remove(&hid);
                }
                self.evh_detached(sid, hid);
                let ev = format!(r#"{{"janus":"detached","session_id":{sid},"sender":{hid}}}"#);
                let reply = format!(
                    r#"{{"janus":"success","session_id":{sid},"transaction":{}}}"#,
                    quote(tx)
                );
                self.reply_and_event(&r, sid, reply, ev)
            }
        }
    }

    /// Sends a reply, then an event.
    fn reply_then_event(
        &mut self,
        r: &Req<'_>,
        sid: u64,
        reply: String,
        event: String,
    ) -> Option<String> {
        match r.source {
            Source::Ws(conn) => {
                self.out.push_back(SimOutput::Ws { conn, text: reply });
                self.notify(sid, event);
                None
            }
            Source::Http => {
                self.notify(sid, event);
                Some(reply)
            }
        }
    }

    /// Sends a reply and an event in one of the two orders the server uses.
    fn reply_and_event(
        &mut self,
        r: &Req<'_>,
        sid: u64,
        reply: String,
        event: String,
    ) -> Option<String> {
        if self.rng.chance(self.cfg.event_first) {
            self.notify(sid, event);
            Some(reply)
        } else {
            // The reply goes out first: queue it here, then the event.
            match r.source {
                Source::Ws(conn) => {
                    self.out.push_back(SimOutput::Ws { conn, text: reply });
                    self.notify(sid, event);
                    None
                }
                Source::Http => {
                    // The POST's reply is its response; the event is queued
                    // for the long poll either way.
                    self.notify(sid, event);
                    Some(reply)
                }
            }
        }
    }

    fn create(&mut self, now: Instant, r: &Req<'_>) -> Option<String> {
        let sid = match r.map.get("id") {
            None => self.fresh_id(),
            Some(v) => match v.as_u64() {
                Some(id) if id > 0 => {
                    if self.sessions.contains_key(&id) {
                        // The reply names the id asked for (observed).
                        self.stats.errors += 1;
                        return Some(error_reply(
                            Some(id),
                            Some(r.tx),
                            468,
                            "Session ID already in use",
                        ));
                    }
                    id
                }
                _ => {
                    return self.err(
                        r,
                        467,
                        "Invalid element type (id should be a positive integer)",
                    )
                }
            },
        };
        let owner = match r.source {
            Source::Ws(c) => Owner::Ws(c),
            Source::Http => Owner::Http,
        };
        self.insert_session(sid, now, owner);
        Some(format!(
            r#"{{"janus":"success","transaction":{},"data":{{"id":{sid}}}}}"#,
            quote(r.tx)
        ))
    }

    fn claim(&mut self, sid: u64, r: &Req<'_>) -> Option<String> {
        let owner = match r.source {
            Source::Ws(c) => Owner::Ws(c),
            Source::Http => Owner::Http,
        };
        if let Some(s) = self.sessions.get_mut(&sid) {
            if s.owner != owner {
                s.queue.clear();
                self.claimed.insert(sid);
            }
            s.owner = owner;
            s.transport_gone = false;
        }
        Some(format!(
            r#"{{"janus":"success","session_id":{sid},"transaction":{}}}"#,
            quote(r.tx)
        ))
    }

    fn attach(&mut self, sid: u64, r: &Req<'_>) -> Option<String> {
        let plugin = match r.map.get("plugin") {
            None => return self.err(r, 456, "Missing mandatory element (plugin)"),
            Some(Value::String(p)) => p.clone(),
            Some(_) => return self.err(r, 467, "Invalid element type (plugin should be a string)"),
        };
        if !PLUGINS.contains(&plugin.as_str()) {
            let reason = format!("No such plugin '{plugin}'");
            return self.err(r, 460, &reason);
        }
        let opaque_id = r
            .map
            .get("opaque_id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let hid = loop {
            let id = self.rng.janus_id();
            if !self.handle_records.contains_key(&id) && !self.ever_had_session(id) {
                break id;
            }
        };
        let h = SimHandle {
            session: sid,
            plugin,
            opaque_id,
        };
        self.handle_records.insert(hid, h.clone());
        self.evh(|| {
            format!(
                r#"{{"emitter":"sim","type":2,"session_id":{sid},"handle_id":{hid},"event":{{"name":"attached","plugin":"{}"}}}}"#,
                h.plugin
            )
        });
        self.handles.insert(hid, h);
        if let Some(s) = self.sessions.get_mut(&sid) {
            s.handles.insert(hid);
        }
        Some(format!(
            r#"{{"janus":"success","session_id":{sid},"transaction":{},"data":{{"id":{hid}}}}}"#,
            quote(r.tx)
        ))
    }

    fn message(&mut self, sid: u64, hid: u64, r: &Req<'_>) -> Option<String> {
        let body = match r.map.get("body") {
            None => return self.err(r, 456, "Missing mandatory element (body)"),
            Some(Value::Object(b)) => b,
            Some(_) => return self.err(r, 467, "Invalid element type (body should be an object)"),
        };
        let mut answer = None;
        match r.map.get("jsep") {
            None => {}
            Some(Value::Object(j)) => {
                let kind = j.get("type").and_then(Value::as_str);
                let sdp = j.get("sdp").and_then(Value::as_str);
                match (kind, sdp) {
                    (None, _) => {
                        return self.err(r, 456, "JSEP error: missing mandatory element (type)")
                    }
                    (_, None) => {
                        return self.err(r, 456, "JSEP error: missing mandatory element (sdp)")
                    }
                    (Some("offer"), Some(sdp)) | (Some("answer"), Some(sdp)) => {
                        if !sdp.starts_with("v=") {
                            return self.err(r, 465, "Invalid SDP (doesn't start with v=)");
                        }
                        if kind == Some("answer") {
                            return self.err(r, 469, "Unexpected ANSWER (did we offer?)");
                        }
                        answer = Some(
                            r#","jsep":{"type":"answer","sdp":"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"}"#,
                        );
                    }
                    (Some(other), _) => {
                        let reason = format!("JSEP error: unknown message type '{other}'");
                        return self.err(r, 464, &reason);
                    }
                }
            }
            Some(_) => return self.err(r, 455, "Invalid jsep object"),
        }
        let plugin = self.handles[&hid].plugin.clone();
        let tx = quote(r.tx);
        if plugin == "janus.plugin.echotest" {
            let ack = format!(
                r#"{{"janus":"ack","session_id":{sid},"transaction":{tx},"hint":"{ECHO_HINT}"}}"#
            );
            let ev = format!(
                r#"{{"janus":"event","session_id":{sid},"transaction":{tx},"sender":{hid},"plugindata":{{"plugin":"janus.plugin.echotest","data":{{"echotest":"event","result":"ok"}}}}{}}}"#,
                answer.unwrap_or_default()
            );
            return self.reply_and_event(r, sid, ack, ev);
        }
        // VideoRoom: the synchronous requests answer inside `success`.
        let data = match body.get("request").and_then(Value::as_str) {
            None => {
                r#"{"videoroom":"event","error_code":429,"error":"Missing mandatory element (request)"}"#
                    .to_owned()
            }
            Some("exists") => {
                // The stock configuration has room 1234.
                let room = body.get("room").and_then(Value::as_u64).unwrap_or(0);
                let exists = room == 1234;
                format!(r#"{{"videoroom":"success","room":{room},"exists":{exists}}}"#)
            }
            Some(other) => format!(
                r#"{{"videoroom":"event","error_code":423,"error":{}}}"#,
                quote(&format!("Unknown request '{other}'"))
            ),
        };
        Some(format!(
            r#"{{"janus":"success","session_id":{sid},"transaction":{tx},"sender":{hid},"plugindata":{{"plugin":"janus.plugin.videoroom","data":{data}}}}}"#
        ))
    }

    fn server_info(&self, tx: &str) -> String {
        let mut plugins = String::new();
        for (i, p) in PLUGINS.iter().enumerate() {
            if i > 0 {
                plugins.push(',');
            }
            let _ = write!(
                plugins,
                r#""{p}":{{"name":"{p}","author":"Meetecho s.r.l.","description":"","version_string":"0.0.1","version":1}}"#
            );
        }
        format!(
            r#"{{"janus":"server_info","transaction":{},"name":"Janus WebRTC Server","version":1102,"version_string":"1.1.2","author":"Meetecho s.r.l.","commit-hash":"not-a-git-repo","compile-time":"","log-to-stdout":true,"log-to-file":false,"data_channels":true,"accepting-new-sessions":true,"session-timeout":{},"reclaim-session-timeout":{},"candidates-timeout":45,"server-name":"janus-sim","local-ip":"127.0.0.1","ipv6":false,"ice-lite":false,"ice-tcp":false,"full-trickle":false,"mdns-enabled":false,"min-nack-queue":200,"nack-optimizations":false,"ice-nomination":"aggressive","ice-keepalive-conncheck":false,"twcc-period":200,"dtls-mtu":1200,"static-event-loops":0,"api_secret":false,"auth_token":false,"event_handlers":false,"opaqueid_in_api":false,"dependencies":{{}},"transports":{{}},"events":{{}},"loggers":{{}},"plugins":{{{plugins}}}}}"#,
            quote(tx),
            self.cfg.session_timeout,
            self.cfg.reclaim_timeout
        )
    }
}
