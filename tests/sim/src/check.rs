//! The lifecycle invariant checker: it watches every command the engine
//! accepted and every event it reported, and fails on the first broken
//! invariant of the architecture notes:
//!
//! 1. every command's id resolves exactly once, with a reply of the right
//!    kind, within its deadline (plus retries);
//! 2. every session and handle ends exactly once, with a reason, handles
//!    before their session, and never before they began;
//! 3. the engine tracks exactly what its events say it tracks, and nothing
//!    is left once everything has ended ([`Footprint::is_empty`]);
//! 4. `poll_timeout` is never in the past.
//!
//! It only looks at the engine; the comparison with the simulated server is
//! done by [`World`](crate::World).

use janus_core::{
    Connection, EndReason, Event, Footprint, HandleEvent, HandleId, Reply, RequestId, SessionEvent,
    SessionId,
};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::time::{Duration, Instant};

/// A broken invariant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation(pub String);

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Violation {}

/// Fails with a [`Violation`] unless the condition holds.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err($crate::Violation(format!($($fmt)+)));
        }
    };
}

/// What kind of command a pending id is, to check the kind of its reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `create`, with the id it asked for, if any.
    Create(Option<SessionId>),
    /// `attach` to this session.
    Attach(SessionId),
    /// `message` to this handle.
    Message(HandleId),
    /// `trickle`.
    Trickle,
    /// `hangup`.
    Hangup,
    /// `detach` of this handle.
    Detach(HandleId),
    /// `destroy` of this session.
    Destroy(SessionId),
    /// `keepalive`.
    Keepalive,
    /// `claim` of this session.
    Claim(SessionId),
    /// `info`.
    Info,
    /// `ping`.
    Ping,
}

#[derive(Clone, Debug)]
struct PendingReq {
    kind: Kind,
    issued: Instant,
    timeout: Duration,
}

/// Counts of what was observed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CheckStats {
    /// Commands accepted.
    pub commands: u64,
    /// Commands refused by the engine (`CommandError`).
    pub refused: u64,
    /// Responses that succeeded.
    pub ok: u64,
    /// Responses that failed.
    pub failed: u64,
    /// Sessions begun (created or claimed).
    pub sessions: u64,
    /// Sessions ended.
    pub sessions_ended: u64,
    /// Handles begun.
    pub handles: u64,
    /// Handles ended.
    pub handles_ended: u64,
    /// Protocol errors reported.
    pub protocol_errors: u64,
    /// Events of every kind.
    pub events: u64,
}

/// The checker.
#[derive(Clone, Debug)]
pub struct Checker {
    pending: BTreeMap<RequestId, PendingReq>,
    seen_ids: BTreeSet<RequestId>,
    /// Live sessions (as the events tell) and their live handles.
    live: BTreeMap<SessionId, BTreeSet<HandleId>>,
    /// Live handles and their session.
    handles: BTreeMap<HandleId, SessionId>,
    /// Ends of sessions, per lifetime.
    ends: Vec<(SessionId, EndReason)>,
    retry_delay: Duration,
    /// The latest time given to the engine.
    engine_now: Instant,
    /// The latest time at which the engine ran its timers (an input).
    timers_now: Instant,
    /// No pending request's deadline is earlier than this.
    earliest_deadline: Instant,
    /// The server is forged (a fuzzer): a `create` may answer an id the
    /// engine already tracks, which the engine takes as the same session.
    forged: bool,
    /// What was observed.
    pub stats: CheckStats,
}

impl Checker {
    /// A checker for an engine that waits `retry_delay` before retrying a request.
    pub fn new(now: Instant, retry_delay: Duration) -> Self {
        Self {
            pending: BTreeMap::new(),
            seen_ids: BTreeSet::new(),
            live: BTreeMap::new(),
            handles: BTreeMap::new(),
            ends: Vec::new(),
            retry_delay,
            engine_now: now,
            timers_now: now,
            earliest_deadline: now,
            forged: false,
            stats: CheckStats::default(),
        }
    }

    /// Replies may come from a forged server (see the field `forged`).
    pub fn set_forged(&mut self) {
        self.forged = true;
    }

    /// The latest `now` given to the engine.
    pub fn engine_now(&self) -> Instant {
        self.engine_now
    }

    /// Records a time given to the engine (earlier times are clamped by it).
    pub fn saw_time(&mut self, now: Instant) {
        self.engine_now = self.engine_now.max(now);
    }

    /// The engine was given an input (or a timeout) at `now`: its due
    /// timers ran.
    pub fn saw_input(&mut self, now: Instant) {
        self.saw_time(now);
        self.timers_now = self.engine_now;
    }

    /// The engine was frozen for `d` (no input, no timer): every pending
    /// request gets that much longer.
    pub fn frozen_for(&mut self, d: Duration) {
        for p in self.pending.values_mut() {
            p.timeout += d;
        }
        self.earliest_deadline += d;
    }

    /// A command was accepted with `id`; it must resolve within `timeout`,
    /// restarted after each of up to `retries` retries.
    pub fn issued(
        &mut self,
        id: RequestId,
        kind: Kind,
        timeout: Duration,
        retries: u32,
    ) -> Result<(), Violation> {
        ensure!(
            self.seen_ids.insert(id),
            "request id {id} was handed out twice"
        );
        self.stats.commands += 1;
        let p = PendingReq {
            kind,
            issued: self.engine_now,
            timeout: timeout * (retries + 1) + self.retry_delay * retries,
        };
        self.earliest_deadline = if self.pending.is_empty() {
            p.issued + p.timeout
        } else {
            self.earliest_deadline.min(p.issued + p.timeout)
        };
        self.pending.insert(id, p);
        Ok(())
    }

    /// A command was refused: nothing may have changed.
    pub fn refused(&mut self, before: Footprint, after: Footprint) -> Result<(), Violation> {
        self.stats.refused += 1;
        ensure!(
            before == after,
            "a refused command changed the engine: {before:?} -> {after:?}"
        );
        Ok(())
    }

    /// Requests not yet resolved.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// The live sessions, as the events tell.
    pub fn live_sessions(&self) -> impl Iterator<Item = SessionId> + '_ {
        self.live.keys().copied()
    }

    /// The live handles, as the events tell.
    pub fn live_handles(&self) -> impl Iterator<Item = (HandleId, SessionId)> + '_ {
        self.handles.iter().map(|(h, s)| (*h, *s))
    }

    /// Every session end seen so far.
    pub fn ends(&self) -> &[(SessionId, EndReason)] {
        &self.ends
    }

    fn begin_session(&mut self, s: SessionId) {
        if let std::collections::btree_map::Entry::Vacant(e) = self.live.entry(s) {
            e.insert(BTreeSet::new());
            self.stats.sessions += 1;
        }
    }

    /// One event out of the engine.
    pub fn event(&mut self, e: &Event) -> Result<(), Violation> {
        self.stats.events += 1;
        match e {
            Event::Response { id, result } => {
                let Some(p) = self.pending.remove(id) else {
                    ensure!(
                        !self.seen_ids.contains(id),
                        "request {id} resolved a second time: {result:?}"
                    );
                    return Err(Violation(format!(
                        "a response for {id}, which no command returned: {result:?}"
                    )));
                };
                match result {
                    Ok(reply) => {
                        self.stats.ok += 1;
                        self.reply(p.kind, reply)?;
                    }
                    Err(_) => self.stats.failed += 1,
                }
            }
            Event::Session {
                session,
                event: SessionEvent::Ended(reason),
            } => {
                let Some(handles) = self.live.remove(session) else {
                    return Err(Violation(format!(
                        "session {session} ended ({reason}) but was not live"
                    )));
                };
                ensure!(
                    handles.is_empty(),
                    "session {session} ended ({reason}) before its handles {handles:?}"
                );
                self.stats.sessions_ended += 1;
                self.ends.push((*session, *reason));
            }
            Event::Handle {
                session,
                handle,
                event: HandleEvent::Ended(reason),
            } => {
                let Some(s) = self.handles.remove(handle) else {
                    return Err(Violation(format!(
                        "handle {handle} ended ({reason}) but was not live"
                    )));
                };
                ensure!(
                    s == *session,
                    "handle {handle} ended in session {session}, but it was in {s}"
                );
                ensure!(
                    self.live.get_mut(&s).is_some_and(|hs| hs.remove(handle)),
                    "handle {handle} ended after its session {s}"
                );
                self.stats.handles_ended += 1;
            }
            Event::Session { session, event } => {
                ensure!(
                    self.live.contains_key(session),
                    "{event:?} for session {session}, which was not live"
                );
            }
            Event::Handle {
                session, handle, ..
            } => {
                ensure!(
                    self.handles.get(handle) == Some(session),
                    "an event for handle {handle} in {session}, which is not live there"
                );
            }
            Event::Unknown { .. } | Event::Connected | Event::Disconnected { .. } => {}
            Event::ProtocolError(_) => self.stats.protocol_errors += 1,
        }
        Ok(())
    }

    fn reply(&mut self, kind: Kind, reply: &Reply) -> Result<(), Violation> {
        match (kind, reply) {
            (Kind::Create(asked), Reply::SessionCreated(s)) => {
                if let Some(asked) = asked {
                    ensure!(asked == *s, "create of {asked} answered for {s}");
                }
                // A create that chose its id may meet a session of that id
                // the engine already tracks (a concurrent claim of it, or one
                // the server lost): the engine carries on with one lifetime.
                ensure!(
                    asked.is_some() || self.forged || !self.live.contains_key(s),
                    "create returned {s}, which is already live"
                );
                self.begin_session(*s);
            }
            (Kind::Claim(want), Reply::Claimed(s)) => {
                ensure!(want == *s, "claim of {want} answered for {s}");
                self.begin_session(*s);
            }
            (Kind::Attach(s), Reply::Attached(h)) => {
                ensure!(
                    self.live.contains_key(&s),
                    "attach succeeded as {h} in {s}, which is not live"
                );
                ensure!(
                    !self.handles.contains_key(h),
                    "attach returned {h}, which is already live"
                );
                self.handles.insert(*h, s);
                if let Some(hs) = self.live.get_mut(&s) {
                    hs.insert(*h);
                }
                self.stats.handles += 1;
            }
            (Kind::Message(_), Reply::Plugin(_) | Reply::Done) => {}
            (Kind::Trickle | Kind::Keepalive, Reply::Ack) => {}
            (Kind::Hangup | Kind::Ping | Kind::Detach(_) | Kind::Destroy(_), Reply::Done) => {}
            (Kind::Info, Reply::ServerInfo(_)) => {}
            (kind, reply) => {
                return Err(Violation(format!(
                    "a {kind:?} request succeeded with {reply:?}"
                )))
            }
        }
        Ok(())
    }

    /// After a drain (cheap, so it runs after every input): no event left
    /// behind, the engine holds as many sessions and handles as its events
    /// say, and no request outlived its deadline.
    pub fn after_drain(&self, conn: &Connection) -> Result<(), Violation> {
        let fp = conn.footprint();
        ensure!(fp.events == 0, "events left after a drain: {fp:?}");
        ensure!(
            fp.sessions == self.live.len(),
            "the engine tracks {} sessions, its events say {}",
            fp.sessions,
            self.live.len()
        );
        ensure!(
            fp.handles == self.handles.len(),
            "the engine tracks {} handles, its events say {}",
            fp.handles,
            self.handles.len()
        );
        ensure!(
            fp.requests >= self.pending.len(),
            "{} user requests pending but the engine holds {}",
            self.pending.len(),
            fp.requests
        );
        if self.timers_now > self.earliest_deadline {
            for (id, p) in &self.pending {
                ensure!(
                    self.timers_now <= p.issued + p.timeout,
                    "request {id} ({:?}) unresolved {:?} after it was issued (deadline {:?})",
                    p.kind,
                    self.timers_now - p.issued,
                    p.timeout
                );
            }
        }
        Ok(())
    }

    /// The full comparison (after every operation): each tracked session
    /// has exactly the handles the events gave it, each with a matching
    /// `handle_info`.
    pub fn deep(&self, conn: &Connection) -> Result<(), Violation> {
        self.after_drain(conn)?;
        for s in conn.sessions() {
            let Some(info) = conn.session_info(s) else {
                return Err(Violation(format!("sessions() lists {s} without info")));
            };
            let Some(hs) = self.live.get(&s) else {
                return Err(Violation(format!(
                    "the engine tracks session {s}, which its events never began"
                )));
            };
            let tracked: BTreeSet<HandleId> = info.handles.iter().copied().collect();
            ensure!(
                &tracked == hs,
                "session {s}: the engine tracks handles {tracked:?}, its events say {hs:?}"
            );
            for h in &info.handles {
                ensure!(
                    conn.handle_info(*h).is_some_and(|i| i.session == s),
                    "handle {h} of {s} has no matching handle_info"
                );
            }
        }
        Ok(())
    }

    /// After the engine was closed and drained: everything resolved, ended,
    /// and nothing held.
    pub fn after_close(&self, conn: &Connection) -> Result<(), Violation> {
        ensure!(
            self.pending.is_empty(),
            "requests never resolved: {:?}",
            self.pending.keys().collect::<Vec<_>>()
        );
        ensure!(
            self.live.is_empty(),
            "sessions never ended: {:?}",
            self.live.keys().collect::<Vec<_>>()
        );
        ensure!(
            conn.footprint().is_empty(),
            "state left after close: {:?}",
            conn.footprint()
        );
        Ok(())
    }
}
