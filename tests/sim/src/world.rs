//! The world: one engine, one simulated Janus, and a seeded network with
//! faults between them, on one virtual clock. It runs [`Op`]s, checks the
//! invariants after every step, and compares the engine's view of sessions
//! and handles with the server's.

use crate::check::{Checker, Kind, Violation};
use crate::ensure;
use crate::janus::{Janus, Owner, SessionEnd, SimConfig, SimOutput};
use crate::ops::{Fault, Op};
use crate::rng::Rng;
use janus_core::{
    CommandError, Config, EndReason, Event, ExchangeId, HandleId, HttpMethod, Input, Jsep,
    KeepaliveInterval, Output, ReconnectPolicy, RequestId, SessionEvent, SessionId, Transmit,
    Trickle,
};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// Background fault rates, per mille of messages (or of operations, for
/// cuts and freezes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FaultRates {
    /// A message is lost.
    pub drop: u32,
    /// A message is delivered twice.
    pub duplicate: u32,
    /// A message is overtaken by later ones.
    pub reorder: u32,
    /// A message is damaged.
    pub corrupt: u32,
    /// A message is held back up to 20 s.
    pub delay: u32,
    /// A connection attempt is refused.
    pub refuse: u32,
    /// An HTTP exchange fails, or gets a proxy's error status.
    pub http_error: u32,
    /// Per operation: the WebSocket is cut.
    pub cut: u32,
    /// Per operation: the client freezes for up to 100 s.
    pub freeze: u32,
    /// Per input: the time given to the engine goes backwards.
    pub clock_back: u32,
}

impl FaultRates {
    /// No faults.
    pub const NONE: FaultRates = FaultRates {
        drop: 0,
        duplicate: 0,
        reorder: 0,
        corrupt: 0,
        delay: 0,
        refuse: 0,
        http_error: 0,
        cut: 0,
        freeze: 0,
        clock_back: 0,
    };

    /// Whether every rate is zero.
    pub fn is_none(&self) -> bool {
        *self == Self::NONE
    }
}

/// The settings of one simulated lifecycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// The seed of every random choice.
    pub seed: u64,
    /// HTTP (long polls) rather than WebSocket.
    pub http: bool,
    /// The long poll's `maxev`.
    pub max_events: u32,
    /// The server.
    pub sim: SimConfig,
    /// Background faults.
    pub faults: FaultRates,
    /// Reconnect attempts of the WebSocket transport (0: never).
    pub reconnect_attempts: u32,
    /// The engine's default request deadline.
    pub request_timeout: Duration,
}

impl Scenario {
    /// A fault-free scenario.
    pub fn calm(seed: u64, http: bool) -> Self {
        Self {
            seed,
            http,
            max_events: 10,
            sim: SimConfig {
                session_timeout: 60,
                reclaim_timeout: 0,
                event_first: 300,
            },
            faults: FaultRates::NONE,
            reconnect_attempts: 3,
            request_timeout: Duration::from_secs(15),
        }
    }

    /// A scenario drawn from `seed`: transport, timeouts and fault rates.
    /// `faults` false keeps the network perfect.
    pub fn from_seed(seed: u64, faults: bool) -> Self {
        let mut r = Rng::new(seed ^ 0x5ce7_a810);
        let http = r.chance(500);
        let session_timeout = [0, 5, 10, 30, 60][r.below(5) as usize];
        let reclaim_timeout = [0, 0, 3, 10][r.below(4) as usize];
        let mut rates = FaultRates::NONE;
        if faults {
            let level = r.range(1, 4) as u32;
            rates = FaultRates {
                drop: r.range(0, 20) as u32 * level,
                duplicate: r.range(0, 20) as u32 * level,
                reorder: r.range(0, 20) as u32 * level,
                corrupt: r.range(0, 10) as u32 * level,
                delay: r.range(0, 20) as u32 * level,
                refuse: r.range(0, 50) as u32 * level,
                http_error: r.range(0, 20) as u32 * level,
                cut: r.range(0, 10) as u32 * level,
                freeze: r.range(0, 5) as u32 * level,
                clock_back: r.range(0, 20) as u32 * level,
            };
        }
        Self {
            seed,
            http,
            max_events: [1, 2, 10][r.below(3) as usize],
            sim: SimConfig {
                session_timeout,
                reclaim_timeout,
                event_first: r.range(0, 1000) as u32,
            },
            faults: rates,
            // Mostly reconnecting, so a cut rarely ends the run early.
            reconnect_attempts: [0, 2, 5, 8][r.below(4) as usize],
            request_timeout: Duration::from_secs(r.range(2, 15)),
        }
    }

    /// The engine's configuration for this scenario.
    pub fn config(&self) -> Config {
        let mut c = if self.http {
            let mut c = Config::http();
            c.transport = janus_core::Transport::Http {
                max_events: self.max_events,
            };
            c
        } else {
            let mut c = Config::websocket("ws://127.0.0.1:8188");
            c.reconnect = ReconnectPolicy {
                max_attempts: self.reconnect_attempts,
                initial_backoff: Duration::from_millis(250),
                max_backoff: Duration::from_secs(4),
                jitter: true,
            };
            c
        };
        // The engine's own randomness (reconnect jitter) follows the scenario.
        c.seed = self.seed | 1;
        c.session_timeout = Duration::from_secs(self.sim.session_timeout);
        c.keepalive_interval = KeepaliveInterval::Auto;
        c.request_timeout = self.request_timeout;
        c.transaction_prefix = format!("t{}-", self.seed % 1000);
        c
    }
}

#[derive(Clone, Debug)]
enum Msg {
    /// A WebSocket frame to the server.
    ToServer { conn: u64, text: Vec<u8> },
    /// An HTTP request to the server.
    HttpToServer {
        id: ExchangeId,
        get: bool,
        path: String,
        body: Option<String>,
        /// Lose the response (the server still processed the request).
        lose_reply: bool,
    },
    /// A WebSocket frame to the client.
    ToClient { conn: u64, text: Vec<u8> },
    /// An HTTP response to the client.
    HttpToClient {
        id: ExchangeId,
        status: u16,
        body: Vec<u8>,
    },
    /// An HTTP exchange failed.
    HttpFailed { id: ExchangeId },
    /// A connection attempt completes.
    ConnectDone { attempt: u64, refused: bool },
    /// The client learns that its connection was cut.
    Cut { conn: u64 },
    /// The idle-cutting proxy looks at a WebSocket: cut unless there was
    /// traffic since (`traffic`: the count when this was scheduled).
    IdleWs { conn: u64, traffic: u64 },
    /// The idle-cutting proxy looks at an HTTP exchange: cut if unanswered.
    IdleHttp { id: ExchangeId },
}

impl Msg {
    fn to_client(&self) -> bool {
        matches!(
            self,
            Msg::ToClient { .. }
                | Msg::HttpToClient { .. }
                | Msg::HttpFailed { .. }
                | Msg::ConnectDone { .. }
                | Msg::Cut { .. }
                | Msg::IdleWs { .. }
                | Msg::IdleHttp { .. }
        )
    }
}

/// Counts of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorldStats {
    /// Engine steps: commands, inputs, and outputs polled.
    pub steps: u64,
    /// Operations run.
    pub ops: u64,
    /// Messages that crossed the network.
    pub messages: u64,
    /// Faults injected.
    pub faults: u64,
    /// Virtual time simulated.
    pub simulated: Duration,
}

/// The engine, the server, and the network between them.
pub struct World {
    /// The settings.
    pub scenario: Scenario,
    /// The engine under test.
    pub conn: Connection,
    /// The simulated server.
    pub janus: Janus,
    /// The invariant checker.
    pub check: Checker,
    rng: Rng,
    start: Instant,
    now: Instant,
    net: BTreeMap<(Instant, u64), Msg>,
    seq: u64,
    /// The server-side id of the engine's connection, while it is up.
    ws: Option<u64>,
    /// A connection attempt asked for and not yet completed.
    connecting: Option<u64>,
    attempts: u64,
    /// FIFO order of the current WebSocket, per direction.
    fifo_up: Instant,
    fifo_down: Instant,
    one_shot: Vec<Fault>,
    frozen_until: Option<Instant>,
    frozen_since: Option<Instant>,
    clock_back: Option<Duration>,
    rates: FaultRates,
    /// No forged input was injected: the model comparison is on.
    strict: bool,
    /// No fault of any kind happened.
    calm: bool,
    orphaned: bool,
    outstanding: BTreeSet<ExchangeId>,
    /// A silent partition swallows everything until then.
    partition_until: Option<Instant>,
    /// The idle cut of the proxy in front of the server, once one is on.
    idle_cut: Option<Duration>,
    /// WebSocket messages so far (for the idle cut).
    ws_traffic: u64,
    /// HTTP exchanges the proxy cut: their late responses are lost.
    cut_exchanges: BTreeSet<ExchangeId>,
    /// Sessions whose keepalive was ever off (they may time out).
    unkept: BTreeSet<SessionId>,
    /// Session ids that a `create` chose (small ids, reused on purpose).
    reused: BTreeSet<SessionId>,
    /// A log of what happened (when asked for).
    pub trace: Option<Vec<String>>,
    /// Counts.
    pub stats: WorldStats,
    retries: u32,
}

use janus_core::Connection;

const MAX_IDLE_SPINS: u32 = 64;

impl World {
    /// A world for `scenario`, its clock starting at `start`.
    pub fn new(scenario: Scenario, start: Instant) -> Self {
        let config = scenario.config();
        let conn = Connection::new(config.clone(), start);
        let janus = Janus::new(scenario.sim.clone(), scenario.seed, start);
        let rates = scenario.faults;
        let mut w = Self {
            rng: Rng::new(scenario.seed.rotate_left(17) ^ 0x00c0_ffee),
            check: Checker::new(start, config.retry_delay),
            scenario,
            conn,
            janus,
            start,
            now: start,
            net: BTreeMap::new(),
            seq: 0,
            ws: None,
            connecting: None,
            attempts: 0,
            fifo_up: start,
            fifo_down: start,
            one_shot: Vec::new(),
            frozen_until: None,
            frozen_since: None,
            clock_back: None,
            calm: rates.is_none(),
            rates,
            strict: true,
            orphaned: false,
            outstanding: BTreeSet::new(),
            partition_until: None,
            idle_cut: None,
            ws_traffic: 0,
            cut_exchanges: BTreeSet::new(),
            unkept: BTreeSet::new(),
            reused: BTreeSet::new(),
            trace: None,
            stats: WorldStats::default(),
            retries: config.max_retries,
        };
        w.stats.steps += 1;
        w
    }

    /// Keeps a trace of messages and operations (for reproducing a seed).
    pub fn with_trace(mut self) -> Self {
        self.trace = Some(Vec::new());
        self
    }

    fn log(&mut self, f: impl FnOnce() -> String) {
        if let Some(t) = &mut self.trace {
            let at = self.now - self.start;
            t.push(format!("{:>10.3}s {}", at.as_secs_f64(), f()));
        }
    }

    /// The virtual time elapsed.
    pub fn elapsed(&self) -> Duration {
        self.now - self.start
    }

    /// Whether no fault happened so far.
    pub fn is_calm(&self) -> bool {
        self.calm
    }

    /// Whether the model comparison is on (no forged input so far).
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    // ----- the engine side ------------------------------------------------------

    fn input_time(&mut self) -> Instant {
        if let Some(back) = self.clock_back.take() {
            return self.now.checked_sub(back).unwrap_or(self.start);
        }
        if self.rates.clock_back > 0 && self.rng.chance(self.rates.clock_back) {
            self.calm = false;
            let back = Duration::from_millis(self.rng.range(1, 5_000));
            return self.now.checked_sub(back).unwrap_or(self.start);
        }
        self.now
    }

    fn feed(&mut self, input: Input<'_>) -> Result<(), Violation> {
        let t = self.input_time();
        self.check.saw_input(t);
        self.stats.steps += 1;
        let r = self.conn.handle_input(t, input);
        ensure!(r.is_ok(), "input refused: {r:?}");
        self.drain()
    }

    /// Pulls every output of the engine and routes it.
    fn drain(&mut self) -> Result<(), Violation> {
        loop {
            self.stats.steps += 1;
            match self.conn.poll_output() {
                Output::Idle(deadline) => {
                    if let Some(d) = deadline {
                        ensure!(
                            d >= self.check.engine_now(),
                            "poll_timeout in the past: {:?} before now",
                            self.check.engine_now() - d
                        );
                    }
                    break;
                }
                Output::Event(e) => {
                    self.log(|| format!("engine event {e:?}"));
                    if let Event::Session {
                        session,
                        event: SessionEvent::Ended(reason),
                    } = &e
                    {
                        self.session_ended(*session, *reason)?;
                    }
                    if let Event::Response {
                        result: Ok(janus_core::Reply::SessionCreated(s)),
                        ..
                    } = &e
                    {
                        if s.0 <= 255 {
                            self.reused.insert(*s);
                        }
                    }
                    self.check.event(&e)?;
                }
                Output::Close { reason } => {
                    self.log(|| format!("-> close: {reason}"));
                    if let Some(c) = self.ws.take() {
                        self.janus.ws_close(c);
                    }
                }
                Output::Connect { .. } => {
                    ensure!(
                        self.ws.is_none() && self.connecting.is_none(),
                        "asked to connect while connected or connecting"
                    );
                    self.attempts += 1;
                    let attempt = self.attempts;
                    self.connecting = Some(attempt);
                    let refused = self.take_fault(|f| matches!(f, Fault::Refuse))
                        || self.roll(self.rates.refuse)
                        || self.partitioned();
                    let at = self.now + self.latency();
                    self.schedule(at, Msg::ConnectDone { attempt, refused });
                }
                Output::Transmit(Transmit::Text(text)) => {
                    let Some(conn) = self.ws else {
                        return Err(Violation(format!(
                            "a frame was sent while not connected: {text}"
                        )));
                    };
                    ensure!(
                        !self.scenario.http,
                        "a WebSocket frame from the HTTP transport"
                    );
                    self.log(|| format!("-> {text}"));
                    self.send_up(Msg::ToServer {
                        conn,
                        text: text.into_bytes(),
                    });
                }
                Output::Transmit(Transmit::Http(req)) => {
                    ensure!(
                        self.scenario.http,
                        "an HTTP exchange from the WebSocket transport"
                    );
                    ensure!(
                        self.outstanding.insert(req.id),
                        "HTTP exchange id {} used twice",
                        req.id
                    );
                    self.log(|| format!("-> {:?} {} {:?}", req.method, req.path, req.body));
                    self.send_http(req);
                }
            }
        }
        self.check.after_drain(&self.conn)?;
        if self.conn.is_closed() && !self.orphaned {
            self.orphaned = true;
            if let Some(c) = self.ws.take() {
                self.janus.ws_close(c);
            }
            self.connecting = None;
            self.janus.orphan_client();
        }
        Ok(())
    }

    fn session_ended(&mut self, s: SessionId, reason: EndReason) -> Result<(), Violation> {
        if !(self.calm && self.strict) {
            return Ok(());
        }
        // A perfect network: sessions kept alive never time out.
        if matches!(reason, EndReason::Expired | EndReason::ServerTimeout)
            && !self.unkept.contains(&s)
            && self.scenario.sim.session_timeout > 0
        {
            return Err(Violation(format!(
                "session {s} was kept alive on a perfect network but ended {reason:?}"
            )));
        }
        ensure!(
            reason != EndReason::TransportLost,
            "session {s} lost its transport on a perfect network"
        );
        Ok(())
    }

    /// Every session and handle the engine tracks exists or existed on the
    /// server, and a handle is in the session, on the plugin, with the
    /// opaque id the server has.
    fn model_subset(&self) -> Result<(), Violation> {
        for s in self.conn.sessions() {
            ensure!(
                self.janus.ever_had_session(s.0),
                "the engine tracks session {s}, which the server never had"
            );
            let info = self.conn.session_info(s).unwrap_or_else(|| unreachable!());
            for h in info.handles {
                let hi = self.conn.handle_info(h);
                let rec = self.janus.handle_record(h.0);
                let (Some(hi), Some(rec)) = (hi, rec) else {
                    return Err(Violation(format!(
                        "the engine tracks handle {h}, which the server never had"
                    )));
                };
                ensure!(
                    hi.session.0 == rec.session
                        && hi.plugin == rec.plugin
                        && hi.opaque_id == rec.opaque_id,
                    "handle {h}: engine {hi:?}, server {rec:?}"
                );
            }
        }
        Ok(())
    }

    fn client_owner(&self) -> Option<Owner> {
        if self.scenario.http {
            Some(Owner::Http)
        } else {
            self.ws.map(Owner::Ws)
        }
    }

    /// With nothing in flight on a perfect network, the engine's sessions
    /// and handles are exactly the server's (sessions the server ended
    /// without telling anyone excepted, until the engine next asks).
    pub fn model_exact(&self) -> Result<(), Violation> {
        let owner = self.client_owner();
        let engine: BTreeSet<u64> = self.conn.sessions().map(|s| s.0).collect();
        for &s in &engine {
            if self
                .janus
                .sessions()
                .get(&s)
                .is_some_and(|x| Some(x.owner) == owner)
            {
                continue;
            }
            let silent = matches!(
                self.janus.ended(s),
                Some(SessionEnd::Silent | SessionEnd::TimedOut { notified: false })
            );
            ensure!(
                silent,
                "the engine tracks session {s}; the server: {:?}, ended {:?}",
                self.janus.sessions().get(&s).map(|x| x.owner),
                self.janus.ended(s)
            );
        }
        for (s, x) in self.janus.sessions() {
            if Some(x.owner) == owner {
                ensure!(
                    engine.contains(s) || self.reused.contains(&SessionId(*s)),
                    "the server has session {s} for the engine, which does not track it"
                );
                let tracked: BTreeSet<u64> = self
                    .conn
                    .session_info(SessionId(*s))
                    .map(|i| i.handles.iter().map(|h| h.0).collect())
                    .unwrap_or_default();
                // An id chosen by `create` may be chosen again while
                // requests to its previous session are in flight: they may
                // land in the new session (and the engine failed them when
                // the old one ended), or a destroy meant for the old one may
                // overtake the new create. Neither side can tell the two
                // sessions apart, so only their inclusion is checked.
                let fits = if self.reused.contains(&SessionId(*s)) {
                    tracked.is_subset(&x.handles)
                } else {
                    tracked == x.handles
                };
                ensure!(
                    fits,
                    "session {s}: the engine tracks handles {tracked:?}, the server has {:?}",
                    x.handles
                );
            }
        }
        Ok(())
    }

    // ----- the network ------------------------------------------------------------

    fn roll(&mut self, per_mille: u32) -> bool {
        let hit = per_mille > 0 && self.rng.chance(per_mille);
        if hit {
            self.calm = false;
            self.stats.faults += 1;
        }
        hit
    }

    fn take_fault(&mut self, f: impl Fn(&Fault) -> bool) -> bool {
        match self.one_shot.iter().position(f) {
            Some(i) => {
                self.one_shot.remove(i);
                self.calm = false;
                self.stats.faults += 1;
                true
            }
            None => false,
        }
    }

    fn latency(&mut self) -> Duration {
        Duration::from_micros(self.rng.range(200, 30_000))
    }

    fn schedule(&mut self, at: Instant, msg: Msg) {
        self.seq += 1;
        self.net.insert((at, self.seq), msg);
    }

    /// Applies the message faults and schedules delivery; `fifo` keeps the
    /// order of a WebSocket direction.
    fn send_faulty(&mut self, msg: Msg, up: bool, fifo: bool) {
        self.stats.messages += 1;
        if self.partitioned() {
            self.log(|| "   (swallowed: partition)".into());
            return;
        }
        if let (Some(cut), Msg::ToServer { conn, .. } | Msg::ToClient { conn, .. }) =
            (self.idle_cut, &msg)
        {
            self.ws_traffic += 1;
            let (conn, traffic) = (*conn, self.ws_traffic);
            self.schedule(self.now + cut, Msg::IdleWs { conn, traffic });
        }
        if self.take_fault(|f| matches!(f, Fault::Drop)) || self.roll(self.rates.drop) {
            self.log(|| "   (lost)".into());
            return;
        }
        let mut msg = msg;
        if self.take_fault(|f| matches!(f, Fault::Corrupt)) || self.roll(self.rates.corrupt) {
            self.corrupt(&mut msg);
        }
        let mut at = self.now + self.latency();
        let mut extra = Duration::ZERO;
        let delay = self.one_shot.iter().find_map(|f| match f {
            Fault::Delay(ms) => Some(*ms),
            _ => None,
        });
        if let Some(ms) = delay {
            self.take_fault(|f| matches!(f, Fault::Delay(_)));
            extra = Duration::from_millis(u64::from(ms));
        } else if self.roll(self.rates.delay) {
            extra = Duration::from_millis(self.rng.range(0, 20_000));
        }
        at += extra;
        let reorder =
            self.take_fault(|f| matches!(f, Fault::Reorder)) || self.roll(self.rates.reorder);
        if fifo && !reorder {
            let last = if up { self.fifo_up } else { self.fifo_down };
            at = at.max(last);
            if up {
                self.fifo_up = at;
            } else {
                self.fifo_down = at;
            }
        } else if reorder {
            at += Duration::from_millis(self.rng.range(20, 200));
        }
        if self.take_fault(|f| matches!(f, Fault::Duplicate)) || self.roll(self.rates.duplicate) {
            let later = at + self.latency();
            self.schedule(later, msg.clone());
        }
        self.schedule(at, msg);
    }

    fn corrupt(&mut self, msg: &mut Msg) {
        let bytes = match msg {
            Msg::ToServer { text, .. } | Msg::ToClient { text, .. } => text,
            Msg::HttpToClient { body, .. } => body,
            Msg::HttpToServer { body, .. } => {
                if let Some(b) = body {
                    let cut = self.rng.below(b.len() as u64) as usize;
                    b.truncate(cut);
                }
                return;
            }
            _ => return,
        };
        // Damage that leaves no valid JSON behind, so that the model
        // comparison stays meaningful: truncation, or a stray byte in front.
        match self.rng.below(3) {
            0 if bytes.len() > 1 => {
                let cut = self.rng.below(bytes.len() as u64 - 1) as usize;
                bytes.truncate(cut);
            }
            1 => bytes.insert(0, b'}'),
            _ => {
                let at = self.rng.below(bytes.len() as u64 + 1) as usize;
                bytes.insert(at, 0xff);
            }
        }
    }

    fn send_up(&mut self, msg: Msg) {
        self.send_faulty(msg, true, true);
    }

    /// Whether a silent partition is on.
    fn partitioned(&self) -> bool {
        self.partition_until.is_some_and(|t| t > self.now)
    }

    fn send_http(&mut self, req: janus_core::HttpRequest) {
        let get = req.method == HttpMethod::Get;
        if let Some(cut) = self.idle_cut {
            self.schedule(self.now + cut, Msg::IdleHttp { id: req.id });
        }
        if self.take_fault(|f| matches!(f, Fault::HttpFail)) || self.roll(self.rates.http_error / 2)
        {
            let at = self.now + self.latency();
            self.schedule(at, Msg::HttpFailed { id: req.id });
            return;
        }
        let status = self.one_shot.iter().find_map(|f| match f {
            Fault::HttpStatus(s) => Some(*s),
            _ => None,
        });
        let status = match status {
            Some(s) => {
                self.take_fault(|f| matches!(f, Fault::HttpStatus(_)));
                Some(s)
            }
            None if self.roll(self.rates.http_error / 2) => {
                Some([500, 502, 503][self.rng.below(3) as usize])
            }
            None => None,
        };
        if let Some(status) = status {
            let at = self.now + self.latency();
            self.schedule(
                at,
                Msg::HttpToClient {
                    id: req.id,
                    status,
                    body: Vec::new(),
                },
            );
            return;
        }
        let lose_reply = self.roll(self.rates.http_error / 4);
        let msg = Msg::HttpToServer {
            id: req.id,
            get,
            path: req.path,
            body: req.body,
            lose_reply,
        };
        self.send_faulty(msg, true, false);
    }

    fn deliver(&mut self, msg: Msg) -> Result<(), Violation> {
        match msg {
            Msg::ToServer { conn, text } => {
                self.janus.ws_frame(self.now, conn, &text);
                self.server_outputs();
            }
            Msg::HttpToServer {
                id,
                get,
                path,
                body,
                lose_reply,
            } => {
                self.janus.http(self.now, id, get, &path, body.as_deref());
                if self.orphaned {
                    // Sent before the engine closed: what it made has no owner.
                    self.janus.orphan_client();
                }
                if lose_reply {
                    // The server did it; the answer never arrives.
                    while let Some(o) = self.janus.poll() {
                        if matches!(&o, SimOutput::Http { id: i, .. } if *i == id) {
                            let at = self.now + self.latency();
                            self.schedule(at, Msg::HttpFailed { id });
                        } else {
                            self.route_server_output(o);
                        }
                    }
                }
                self.server_outputs();
            }
            Msg::ToClient { conn, text } => {
                if self.ws == Some(conn) {
                    self.log(|| format!("<- {}", String::from_utf8_lossy(&text)));
                    self.feed(Input::Frame(&text))?;
                }
            }
            Msg::HttpToClient { id, status, body } => {
                if self.cut_exchanges.remove(&id) {
                    return Ok(());
                }
                self.outstanding.remove(&id);
                self.log(|| format!("<- #{id} {status} {}", String::from_utf8_lossy(&body)));
                self.feed(Input::HttpResponse {
                    id,
                    status,
                    body: &body,
                })?;
            }
            Msg::HttpFailed { id } => {
                if self.cut_exchanges.remove(&id) {
                    return Ok(());
                }
                self.outstanding.remove(&id);
                self.log(|| format!("<- #{id} failed"));
                self.feed(Input::HttpFailed {
                    id,
                    reason: "connection reset",
                })?;
            }
            Msg::IdleWs { conn, traffic } => {
                if self.ws == Some(conn) && traffic == self.ws_traffic {
                    self.log(|| format!("connection #{conn} idle: cut by the proxy"));
                    self.cut();
                }
            }
            Msg::IdleHttp { id } => {
                if self.outstanding.remove(&id) {
                    self.calm = false;
                    self.stats.faults += 1;
                    self.cut_exchanges.insert(id);
                    self.log(|| format!("<- #{id} idle: cut by the proxy"));
                    self.feed(Input::HttpFailed {
                        id,
                        reason: "connection reset by the proxy (idle)",
                    })?;
                }
            }
            Msg::Cut { conn } => {
                if self.ws == Some(conn) {
                    self.ws = None;
                    self.feed(Input::Closed("connection reset by peer"))?;
                }
            }
            Msg::ConnectDone { attempt, refused } => {
                if self.connecting != Some(attempt) || self.conn.is_closed() {
                    return Ok(());
                }
                self.connecting = None;
                if refused {
                    self.log(|| "connect refused".into());
                    self.feed(Input::Closed("connection refused"))?;
                } else {
                    let c = self.janus.ws_open();
                    self.ws = Some(c);
                    self.fifo_up = self.now;
                    self.fifo_down = self.now;
                    self.log(|| format!("connected as #{c}"));
                    self.feed(Input::Connected)?;
                }
            }
        }
        Ok(())
    }

    fn server_outputs(&mut self) {
        while let Some(o) = self.janus.poll() {
            self.route_server_output(o);
        }
    }

    fn route_server_output(&mut self, o: SimOutput) {
        match o {
            SimOutput::Ws { conn, text } => {
                if self.ws == Some(conn) {
                    self.send_faulty(
                        Msg::ToClient {
                            conn,
                            text: text.into_bytes(),
                        },
                        false,
                        true,
                    );
                }
            }
            SimOutput::Http { id, status, body } => {
                self.send_faulty(
                    Msg::HttpToClient {
                        id,
                        status,
                        body: body.into_bytes(),
                    },
                    false,
                    false,
                );
            }
        }
    }

    /// Cuts the connection: the server sees it at once, the client when it
    /// next reads (at once, unless it is frozen).
    fn cut(&mut self) {
        if let Some(c) = self.ws {
            if self.janus.is_open(c) {
                self.calm = false;
                self.stats.faults += 1;
                self.log(|| format!("connection #{c} cut"));
                self.janus.ws_close(c);
                self.schedule(self.now, Msg::Cut { conn: c });
            }
        }
    }

    // ----- time -------------------------------------------------------------------

    /// Runs everything due up to `until`, in time order.
    pub fn advance_to(&mut self, until: Instant) -> Result<(), Violation> {
        let mut spins = 0u32;
        loop {
            let frozen = self.frozen_until.filter(|f| *f > self.now);
            let engine = match frozen {
                Some(f) => Some(f),
                None => self.conn.poll_timeout(),
            };
            let server = self.janus.next_timer();
            let net = self.net.keys().next().map(|k| k.0);
            let next = [engine, server, net].into_iter().flatten().min();
            let Some(next) = next.filter(|n| *n <= until) else {
                break;
            };
            let before = self.now;
            self.now = self.now.max(next);
            if Some(next) == engine {
                if frozen.is_some() {
                    self.frozen_until = None;
                    let since = self.frozen_since.take().unwrap_or(self.now);
                    self.check.frozen_for(self.now - since);
                }
                let steps = self.stats.steps;
                self.stats.steps += 1;
                let t = self.input_time();
                self.check.saw_input(t);
                self.conn.handle_timeout(t);
                self.drain()?;
                // A deadline at `now` must have work to do at it.
                if self.now == before && self.stats.steps == steps + 2 {
                    spins += 1;
                    ensure!(
                        spins < MAX_IDLE_SPINS,
                        "poll_timeout keeps returning {:?} with nothing to do",
                        self.now - self.start
                    );
                } else {
                    spins = 0;
                }
            } else if Some(next) == server {
                self.janus.on_timer(self.now);
                self.server_outputs();
            } else {
                let Some((key, msg)) = self.net.pop_first() else {
                    break;
                };
                if msg.to_client() {
                    if let Some(f) = frozen {
                        // The client is frozen: it reads this when it wakes.
                        self.net.insert((f, key.1), msg);
                        continue;
                    }
                }
                self.deliver(msg)?;
            }
        }
        self.now = self.now.max(until);
        Ok(())
    }

    /// Lets `d` pass.
    pub fn wait(&mut self, d: Duration) -> Result<(), Violation> {
        let until = self.now + d;
        self.advance_to(until)
    }

    /// Lets time pass until nothing is in flight (at most `limit`).
    pub fn settle(&mut self, limit: Duration) -> Result<(), Violation> {
        let end = self.now + limit;
        while let Some(&(at, _)) = self.net.keys().next() {
            if at > end {
                break;
            }
            self.advance_to(at)?;
        }
        Ok(())
    }

    /// Whether nothing is in flight between the engine and the server.
    pub fn is_quiet(&self) -> bool {
        self.net.is_empty() && self.frozen_until.is_none_or(|f| f <= self.now)
    }

    // ----- operations ---------------------------------------------------------------

    fn sessions(&self) -> Vec<SessionId> {
        let mut v: Vec<SessionId> = self.conn.sessions().collect();
        v.sort_unstable();
        v
    }

    fn handles(&self) -> Vec<HandleId> {
        let mut v: Vec<HandleId> = self
            .sessions()
            .into_iter()
            .flat_map(|s| {
                self.conn
                    .session_info(s)
                    .map(|i| i.handles)
                    .unwrap_or_default()
            })
            .collect();
        v.sort_unstable();
        v
    }

    /// A session by index: mostly a tracked one; one time in (tracked + 1)
    /// one that ended or never existed.
    fn pick_session(&self, i: u8) -> SessionId {
        let v = self.sessions();
        let i = usize::from(i) % (v.len() + 1);
        if i < v.len() {
            return v[i];
        }
        let ends = self.check.ends();
        match ends.get(usize::from(self.stats.ops as u8) % (ends.len() + 1)) {
            Some((s, _)) => *s,
            None => SessionId(u64::from(self.stats.ops as u8) + 1),
        }
    }

    /// A handle by index: mostly a tracked one, sometimes an unknown id.
    fn pick_handle(&self, i: u8) -> HandleId {
        let v = self.handles();
        let i = usize::from(i) % (v.len() + 1);
        v.get(i)
            .copied()
            .unwrap_or(HandleId(1_000 + self.stats.ops % 7))
    }

    fn command(
        &mut self,
        kind: Kind,
        retries: u32,
        timeout: Option<Duration>,
        f: impl FnOnce(&mut Connection, Instant) -> Result<RequestId, CommandError>,
    ) -> Result<(), Violation> {
        let before = self.conn.footprint();
        let t = self.input_time();
        self.check.saw_time(t);
        self.stats.steps += 1;
        match f(&mut self.conn, t) {
            Ok(id) => {
                let timeout = timeout.unwrap_or(self.scenario.request_timeout);
                self.log(|| format!("command {kind:?} = {id}"));
                self.check.issued(id, kind, timeout, retries)?;
            }
            Err(e) => {
                self.log(|| format!("command {kind:?} refused: {e}"));
                self.check.refused(before, self.conn.footprint())?;
            }
        }
        self.drain()
    }

    /// Runs one operation.
    pub fn step(&mut self, op: &Op) -> Result<(), Violation> {
        self.stats.ops += 1;
        self.log(|| format!("op {op:?}"));
        // Background faults that strike between operations.
        if self.roll(self.rates.cut) {
            self.cut();
        }
        if self.roll(self.rates.freeze) {
            let secs = self.rng.range(1, 100);
            self.freeze(Duration::from_secs(secs));
        }
        let frozen = self.frozen_until.is_some_and(|f| f > self.now);
        let retries = self.retries;
        match op {
            // A frozen client issues no commands.
            Op::Create { .. }
            | Op::Attach { .. }
            | Op::Message { .. }
            | Op::Trickle { .. }
            | Op::Hangup { .. }
            | Op::Detach { .. }
            | Op::Destroy { .. }
            | Op::Keepalive { .. }
            | Op::Claim { .. }
            | Op::Info
            | Op::Ping
            | Op::Hold { .. }
            | Op::SetKeepalive { .. }
            | Op::Touch { .. }
            | Op::Close
                if frozen => {}
            Op::Create { with_id } => {
                let id = with_id.map(|i| SessionId(u64::from(i)));
                self.command(Kind::Create(id), 0, None, |c, now| {
                    c.request(now, janus_core::Request::Create { id })
                })?;
            }
            Op::Attach {
                session,
                plugin,
                opaque,
            } => {
                let s = self.pick_session(*session);
                let plugin = match plugin % 3 {
                    0 => "janus.plugin.echotest",
                    1 => "janus.plugin.videoroom",
                    _ => "janus.plugin.nope",
                };
                let opaque = opaque.then(|| format!("op-{}", self.stats.ops));
                self.command(Kind::Attach(s), 0, None, |c, now| {
                    c.attach(now, s, plugin, opaque)
                })?;
            }
            Op::Message { handle, body, jsep } => {
                let h = self.pick_handle(*handle);
                let body = match body % 5 {
                    0 => json!({"audio": true, "video": true}),
                    1 => json!({"request": "exists", "room": 1234}),
                    2 => json!({"request": "nosuch"}),
                    3 => json!({"request": "list", "n": body}),
                    _ => json!({}),
                };
                let jsep = match jsep % 8 {
                    1 => Some(Jsep::offer(
                        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n",
                    )),
                    2 => Some(Jsep::answer("v=0\r\n")),
                    3 => Some(Jsep::offer("not an sdp")),
                    _ => None,
                };
                self.command(Kind::Message(h), 0, None, |c, now| {
                    c.message(now, h, body, jsep)
                })?;
            }
            Op::Trickle { handle, kind } => {
                let h = self.pick_handle(*handle);
                let cand = janus_core::Candidate {
                    candidate: "candidate:1 1 udp 2015363327 192.0.2.1 5000 typ host".into(),
                    sdp_mid: Some("0".into()),
                    sdp_m_line_index: Some(0),
                };
                let t = match kind % 3 {
                    0 => Trickle::Candidate(cand),
                    1 => Trickle::Candidates(vec![cand.clone(), cand]),
                    _ => Trickle::Completed,
                };
                self.command(Kind::Trickle, 0, None, |c, now| c.trickle(now, h, t))?;
            }
            Op::Hangup { handle } => {
                let h = self.pick_handle(*handle);
                self.command(Kind::Hangup, 0, None, |c, now| c.hangup(now, h))?;
            }
            Op::Detach { handle } => {
                let h = self.pick_handle(*handle);
                self.command(Kind::Detach(h), 0, None, |c, now| c.detach(now, h))?;
            }
            Op::Destroy { session } => {
                let s = self.pick_session(*session);
                self.command(Kind::Destroy(s), 0, None, |c, now| c.destroy(now, s))?;
            }
            Op::Keepalive {
                session,
                timeout_ms,
            } => {
                let s = self.pick_session(*session);
                let timeout =
                    (*timeout_ms > 0).then(|| Duration::from_millis(u64::from(*timeout_ms)));
                self.command(Kind::Keepalive, retries, timeout, |c, now| match timeout {
                    Some(t) => c.request_with_timeout(
                        now,
                        janus_core::Request::Keepalive { session: s },
                        t,
                    ),
                    None => c.keepalive(now, s),
                })?;
            }
            Op::Claim { session, keepalive } => {
                let s = self.pick_claim(*session);
                if !keepalive {
                    self.unkept.insert(s);
                }
                self.command(Kind::Claim(s), 0, None, |c, now| {
                    c.claim(now, s, *keepalive)
                })?;
            }
            Op::Info => self.command(Kind::Info, retries, None, |c, now| c.info(now))?,
            Op::Ping => self.command(Kind::Ping, retries, None, |c, now| c.ping(now))?,
            Op::Hold { session, on } => {
                let s = self.pick_session(*session);
                let r = if *on {
                    self.conn.prevent_expire(s)
                } else {
                    self.conn.allow_expire(s)
                };
                self.log(|| format!("hold {s} {on}: {r:?}"));
                self.stats.steps += 1;
                self.drain()?;
            }
            Op::SetKeepalive { session, on } => {
                let s = self.pick_session(*session);
                if !on {
                    self.unkept.insert(s);
                }
                let r = self.conn.set_keepalive(s, *on);
                self.log(|| format!("set_keepalive {s} {on}: {r:?}"));
                self.stats.steps += 1;
                self.drain()?;
            }
            Op::Touch { session } => {
                let s = self.pick_session(*session);
                let t = self.input_time();
                self.check.saw_time(t);
                let r = self.conn.touch(t, s);
                if r.is_ok() {
                    // `touch` stands for a request sent through another
                    // connection: the server sees it.
                    self.janus.keepalive_from_elsewhere(self.now, s.0);
                }
                self.stats.steps += 1;
                self.log(|| format!("touch {s}: {r:?}"));
                self.drain()?;
            }
            Op::ForeignSession => {
                let s = self.janus.foreign_create(self.now);
                self.log(|| format!("another client created {s}"));
            }
            Op::ServerEvent { handle, kind } => {
                let h = self.pick_handle(*handle);
                self.janus.server_event(h.0, *kind);
                self.server_outputs();
            }
            Op::ServerDetach { handle } => {
                let h = self.pick_handle(*handle);
                self.janus.server_detach(h.0);
                self.server_outputs();
            }
            Op::AdminDestroy { session } => {
                let s = self.pick_session(*session);
                self.janus.admin_destroy(s.0);
            }
            Op::Wait(ms) => self.wait(Duration::from_millis(u64::from(*ms)))?,
            Op::Settle => self.settle(Duration::from_secs(60))?,
            Op::Fault(f) => self.fault(f.clone())?,
            Op::Inject(bytes) => self.inject(bytes)?,
            Op::Close => {
                let t = self.input_time();
                self.check.saw_time(t);
                self.stats.steps += 1;
                self.conn.close(t);
                self.drain()?;
            }
        }
        self.check.deep(&self.conn)?;
        if self.strict {
            self.model_subset()?;
            if self.calm && self.is_quiet() {
                self.model_exact()?;
            }
        }
        Ok(())
    }

    /// A claim target: another client's session, one of the engine's, one
    /// that ended, or an unknown id.
    fn pick_claim(&self, i: u8) -> SessionId {
        let foreign: Vec<u64> = self
            .janus
            .sessions()
            .iter()
            .filter(|(_, s)| matches!(s.owner, Owner::Other | Owner::Orphan) || s.transport_gone)
            .map(|(id, _)| *id)
            .collect();
        match i % 4 {
            0 | 1 if !foreign.is_empty() => SessionId(foreign[usize::from(i) % foreign.len()]),
            _ => self.pick_session(i / 4),
        }
    }

    fn freeze(&mut self, d: Duration) {
        if self.frozen_until.is_some_and(|f| f > self.now) || d.is_zero() {
            return;
        }
        self.log(|| format!("the client freezes for {d:?}"));
        self.frozen_since = Some(self.now);
        self.frozen_until = Some(self.now + d);
    }

    fn fault(&mut self, f: Fault) -> Result<(), Violation> {
        match f {
            Fault::Cut => {
                self.cut();
                Ok(())
            }
            Fault::Freeze(secs) => {
                self.calm = false;
                self.stats.faults += 1;
                // Up to 100 s: past every session timeout, not the whole run.
                self.freeze(Duration::from_secs(u64::from(secs % 101)));
                Ok(())
            }
            Fault::ClockBack(ms) => {
                self.clock_back = Some(Duration::from_millis(u64::from(ms)));
                self.calm = false;
                Ok(())
            }
            Fault::HttpStatus(s) => {
                self.one_shot.push(Fault::HttpStatus(s.clamp(100, 599)));
                Ok(())
            }
            Fault::Partition(secs) => {
                self.calm = false;
                self.stats.faults += 1;
                let d = Duration::from_secs(u64::from(secs % 60) + 1);
                self.log(|| format!("partition for {d:?}"));
                self.partition_until = Some(self.now + d);
                Ok(())
            }
            Fault::IdleCut(secs) => {
                self.calm = false;
                self.stats.faults += 1;
                let d = Duration::from_secs(u64::from(secs % 40) + 5);
                self.log(|| format!("an idle-cutting proxy ({d:?})"));
                self.idle_cut = Some(d);
                Ok(())
            }
            other => {
                self.one_shot.push(other);
                Ok(())
            }
        }
    }

    fn inject(&mut self, bytes: &[u8]) -> Result<(), Violation> {
        self.strict = false;
        self.check.set_forged();
        self.calm = false;
        if self.scenario.http {
            let Some(&id) = self.outstanding.iter().next() else {
                return Ok(());
            };
            self.outstanding.remove(&id);
            self.feed(Input::HttpResponse {
                id,
                status: 200,
                body: bytes,
            })
        } else if self.ws.is_some() {
            self.feed(Input::Frame(bytes))
        } else {
            Ok(())
        }
    }

    /// Ends a run: faults stop, time passes until both sides agree, every
    /// remaining handle is poked (so the engine learns of handles the server
    /// dropped while their news was lost), every session is destroyed, the
    /// engine is closed, and nothing may be left.
    pub fn finish(&mut self) -> Result<(), Violation> {
        self.rates = FaultRates::NONE;
        self.one_shot.clear();
        self.clock_back = None;
        self.partition_until = None;
        self.idle_cut = None;
        if let Some(f) = self.frozen_until {
            self.advance_to(f)?;
        }
        let t = self.scenario.sim.session_timeout.max(30);
        let heal = Duration::from_secs(2 * t + self.scenario.sim.reclaim_timeout + 10)
            + self.scenario.request_timeout * 4;
        self.wait(heal)?;
        for h in self.handles() {
            self.command(Kind::Hangup, 0, None, |c, now| c.hangup(now, h))?;
        }
        let retries = self.retries;
        for s in self.sessions() {
            self.command(Kind::Keepalive, retries, None, |c, now| c.keepalive(now, s))?;
        }
        self.wait(heal)?;
        if self.strict && !self.conn.is_closed() {
            self.model_healed()?;
        }
        for s in self.sessions() {
            self.command(Kind::Destroy(s), 0, None, |c, now| c.destroy(now, s))?;
        }
        self.wait(heal)?;
        ensure!(
            self.conn.sessions().next().is_none(),
            "sessions left after destroying them all: {:?}",
            self.sessions()
        );
        ensure!(
            self.check.pending() == 0,
            "{} requests unresolved after healing",
            self.check.pending()
        );
        let t = self.input_time();
        self.check.saw_time(t);
        self.conn.close(t);
        self.drain()?;
        self.check.after_close(&self.conn)?;
        self.stats.simulated = self.elapsed();
        Ok(())
    }

    /// After healing: the engine's sessions are the server's, and its
    /// handles exist on the server.
    fn model_healed(&self) -> Result<(), Violation> {
        let owner = self.client_owner();
        let engine: BTreeSet<u64> = self.conn.sessions().map(|s| s.0).collect();
        for &s in &engine {
            ensure!(
                self.janus
                    .sessions()
                    .get(&s)
                    .is_some_and(|x| Some(x.owner) == owner),
                "after healing the engine tracks session {s}; the server: {:?}, ended {:?}",
                self.janus.sessions().get(&s).map(|x| x.owner),
                self.janus.ended(s)
            );
        }
        for h in self.handles() {
            ensure!(
                self.janus.handles().contains_key(&h.0),
                "after healing the engine tracks handle {h}, which the server dropped"
            );
        }
        if self.scenario.sim.session_timeout > 0 {
            for (s, x) in self.janus.sessions() {
                if Some(x.owner) == owner {
                    ensure!(
                        engine.contains(s),
                        "after healing the server keeps session {s} for an engine that does not track it"
                    );
                }
            }
        }
        Ok(())
    }

    /// Runs `ops` then [`finish`](Self::finish).
    pub fn run(&mut self, ops: &[Op]) -> Result<(), Violation> {
        self.drain()?;
        for op in ops {
            self.step(op)?;
        }
        self.finish()
    }
}
