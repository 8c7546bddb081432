//! A ledger of every session and handle a fleet of Janus servers hosts,
//! built from the servers' event handlers (sampleevh, wsevh) and periodic
//! Admin API `list_sessions` answers. Sans-IO like the engine: event
//! bodies, poll answers and the time go in; ledger entries come out.
//!
//! Janus's own session-end events are incomplete: a session whose
//! WebSocket closed with `reclaim_session_timeout = 0` ends without any
//! session event, and a handler's backend that is down loses events. The
//! monitor opens every session once and closes it exactly once, with a
//! reason: `destroyed` and `timeout` from their events, `transport-gone`
//! from the creating transport's `disconnected` when the server's reclaim
//! timeout is 0, `server-restarted` when the server says it started, and
//! `vanished` when `list_sessions` no longer has it and no event said why
//! (after a grace period in which a late event may still come). A session
//! that shows up without its `created` (an event lost, or a monitor
//! started late) is opened from whatever shows it: a handle event or a
//! poll. Duplicates and late events change nothing.
//!
//! A `claim` is invisible to event handlers: a session claimed away from a
//! transport that then closes (reclaim timeout 0) is closed as
//! `transport-gone` and opened again by the next poll.
//!
//! ```
//! use janus_core::monitor::{Change, Monitor, SessionEnd};
//! use std::time::{Duration, Instant};
//!
//! let now = Instant::now();
//! let mut monitor = Monitor::new(Duration::from_secs(10));
//! monitor.set_reclaim_timeout("janus-a", 0);
//! monitor.handle_events(now, br#"[
//!   {"emitter":"janus-a","type":1,"timestamp":1,"session_id":7,
//!    "event":{"name":"created","transport":{"transport":"janus.transport.websockets","id":"0xab"}}},
//!   {"emitter":"janus-a","type":128,"timestamp":2,
//!    "event":{"transport":"janus.transport.websockets","id":"0xab","data":{"event":"disconnected"}}}
//! ]"#, "janus-a").unwrap();
//! let opened = monitor.poll_output().unwrap();
//! assert!(matches!(opened.change, Change::SessionOpened { .. }));
//! let closed = monitor.poll_output().unwrap();
//! assert!(matches!(closed.change, Change::SessionClosed { reason: SessionEnd::TransportGone, .. }));
//! ```

mod wire;

use crate::ids::{HandleId, SessionId};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt;
use std::time::{Duration, Instant};
use wire::Fact;

/// How many closed sessions each server remembers (for duplicates and
/// late events).
const REMEMBERED: usize = 65_536;

/// One change of the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The server (its `emitter` name).
    pub server: String,
    /// When the monitor learned it.
    pub at: Instant,
    /// What changed.
    pub change: Change,
}

/// What changed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Change {
    /// A session is known to exist.
    SessionOpened {
        /// The session.
        session: SessionId,
        /// The transport that created it (`janus.transport.websockets`,
        /// ...), when its `created` event said.
        transport: Option<String>,
        /// What showed it first.
        seen: Seen,
    },
    /// A session ended; nothing more is said about it.
    SessionClosed {
        /// The session.
        session: SessionId,
        /// Why.
        reason: SessionEnd,
    },
    /// A handle was attached.
    HandleOpened {
        /// Its session.
        session: SessionId,
        /// The handle.
        handle: HandleId,
        /// Its plugin, when its `attached` event said.
        plugin: Option<String>,
    },
    /// A handle ended.
    HandleClosed {
        /// Its session.
        session: SessionId,
        /// The handle.
        handle: HandleId,
        /// Why.
        reason: HandleEnd,
    },
}

/// What made a session known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    /// Its `created` event.
    Created,
    /// Another event about it (its `created` was lost or came late).
    Event,
    /// A `list_sessions` answer.
    Poll,
}

/// Why a session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SessionEnd {
    /// Destroyed by its owner or through the Admin API (`destroyed`).
    Destroyed,
    /// Expired on the server (`timeout`).
    Timeout,
    /// Its transport connection closed while the server's
    /// `reclaim_session_timeout` is 0 (Janus says nothing else).
    TransportGone,
    /// The server started again: everything it held is gone.
    ServerRestarted,
    /// Gone from `list_sessions` with no event saying why (reason
    /// unknown; the time is good to the poll interval).
    Vanished,
}

impl fmt::Display for SessionEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SessionEnd::Destroyed => "destroyed",
            SessionEnd::Timeout => "timeout",
            SessionEnd::TransportGone => "transport-gone",
            SessionEnd::ServerRestarted => "server-restarted",
            SessionEnd::Vanished => "vanished",
        })
    }
}

/// Why a handle ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandleEnd {
    /// Its `detached` event.
    Detached,
    /// Its session ended.
    SessionEnded,
}

/// A delivery that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("an event handler delivery that is not JSON: {0}")]
pub struct MonitorError(#[from] serde_json::Error);

/// A session the ledger holds open.
#[derive(Debug)]
struct Open {
    instance: Option<String>,
    transport: Option<String>,
    opened: Instant,
    handles: BTreeSet<u64>,
}

#[derive(Debug, Default)]
struct Server {
    /// `reclaim_session_timeout` in seconds, once known.
    reclaim: Option<u64>,
    open: HashMap<u64, Open>,
    /// Closed sessions: when the ledger closed them.
    closed: HashMap<u64, Instant>,
    closed_order: VecDeque<u64>,
    /// Sessions missing from a poll: closed as vanished at the deadline.
    vanishing: BTreeMap<u64, Instant>,
}

/// Counts for reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MonitorCounters {
    /// Events read.
    pub events: u64,
    /// Array elements that were not events.
    pub skipped: u64,
    /// Events about sessions already closed (duplicates, late ones).
    pub stale: u64,
    /// Polls read.
    pub polls: u64,
}

/// The ledger of sessions and handles of one or many servers.
#[derive(Debug)]
pub struct Monitor {
    grace: Duration,
    servers: BTreeMap<String, Server>,
    out: VecDeque<Entry>,
    counters: MonitorCounters,
}

impl Monitor {
    /// A monitor that closes a session missing from `list_sessions` as
    /// vanished `grace` after the poll that missed it, if no event said why
    /// in between (event handlers deliver late).
    pub fn new(grace: Duration) -> Self {
        Self {
            grace,
            servers: BTreeMap::new(),
            out: VecDeque::new(),
            counters: MonitorCounters::default(),
        }
    }

    /// The server's `reclaim_session_timeout` (from its `info`): with 0, a
    /// session's transport closing ends it.
    pub fn set_reclaim_timeout(&mut self, server: &str, seconds: u64) {
        self.server(server).reclaim = Some(seconds);
    }

    /// Reads one event handler delivery (one event, or an array of them);
    /// events without an `emitter` are `default_server`'s. Returns the
    /// number of events read.
    pub fn handle_events(
        &mut self,
        now: Instant,
        body: &[u8],
        default_server: &str,
    ) -> Result<usize, MonitorError> {
        let (events, skipped) = wire::decode(body)?;
        self.counters.skipped += skipped as u64;
        let n = events.len();
        for e in events {
            self.counters.events += 1;
            let server = e
                .emitter
                .clone()
                .unwrap_or_else(|| default_server.to_owned());
            self.on_fact(now, &server, e.session_id, e.handle_id, e.fact());
        }
        Ok(n)
    }

    /// Reads a `list_sessions` answer of `server`, asked at `asked_at`.
    pub fn handle_poll(
        &mut self,
        now: Instant,
        server: &str,
        asked_at: Instant,
        sessions: &[SessionId],
    ) {
        self.counters.polls += 1;
        let listed: BTreeSet<u64> = sessions.iter().map(|s| s.0).collect();
        let grace = self.grace;
        let mut opened = Vec::new();
        let s = self.server(server);
        for &sid in &listed {
            s.vanishing.remove(&sid);
            let closed_since_asked = s.closed.get(&sid).is_some_and(|&at| at >= asked_at);
            if !s.open.contains_key(&sid) && !closed_since_asked {
                opened.push(sid);
            }
        }
        for (sid, open) in &s.open {
            if !listed.contains(sid) && open.opened < asked_at {
                s.vanishing.entry(*sid).or_insert(now + grace);
            }
        }
        // (`listed` is ordered: so are the entries.)
        for sid in opened {
            self.open(now, server, sid, None, None, Seen::Poll);
        }
        self.handle_timeout(now);
    }

    /// Time passed: sessions missing from a poll for the whole grace
    /// period are closed as vanished.
    pub fn handle_timeout(&mut self, now: Instant) {
        let due: Vec<(String, u64)> = self
            .servers
            .iter()
            .flat_map(|(name, s)| {
                s.vanishing
                    .iter()
                    .filter(|(_, at)| **at <= now)
                    .map(|(sid, _)| (name.clone(), *sid))
            })
            .collect();
        for (server, sid) in due {
            self.close(now, &server, sid, SessionEnd::Vanished);
        }
    }

    /// When [`handle_timeout`](Self::handle_timeout) has work to do.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.servers
            .values()
            .flat_map(|s| s.vanishing.values())
            .min()
            .copied()
    }

    /// The next ledger entry.
    pub fn poll_output(&mut self) -> Option<Entry> {
        self.out.pop_front()
    }

    /// Sessions the ledger holds open for `server`.
    pub fn open_sessions(&self, server: &str) -> Vec<SessionId> {
        let mut v: Vec<SessionId> = self
            .servers
            .get(server)
            .map(|s| s.open.keys().map(|&k| SessionId(k)).collect())
            .unwrap_or_default();
        v.sort_unstable();
        v
    }

    /// Counts for reports.
    pub fn counters(&self) -> MonitorCounters {
        self.counters
    }

    fn server(&mut self, name: &str) -> &mut Server {
        self.servers.entry(name.to_owned()).or_default()
    }

    fn emit(&mut self, now: Instant, server: &str, change: Change) {
        self.out.push_back(Entry {
            server: server.to_owned(),
            at: now,
            change,
        });
    }

    fn on_fact(
        &mut self,
        now: Instant,
        server: &str,
        session: Option<u64>,
        handle: Option<u64>,
        fact: Fact,
    ) {
        match fact {
            Fact::ServerStarted => {
                let mut open: Vec<u64> = self.server(server).open.keys().copied().collect();
                open.sort_unstable();
                for sid in open {
                    self.close(now, server, sid, SessionEnd::ServerRestarted);
                }
                return;
            }
            Fact::TransportDisconnected { instance } => {
                let s = self.server(server);
                if s.reclaim != Some(0) {
                    return;
                }
                let mut gone: Vec<u64> = s
                    .open
                    .iter()
                    .filter(|(_, o)| o.instance.as_deref() == Some(instance.as_str()))
                    .map(|(sid, _)| *sid)
                    .collect();
                gone.sort_unstable();
                for sid in gone {
                    self.close(now, server, sid, SessionEnd::TransportGone);
                }
                return;
            }
            Fact::Other => return,
            _ => {}
        }
        let Some(sid) = session.filter(|s| *s != 0) else {
            return;
        };
        let s = self.server(server);
        let known = s.open.contains_key(&sid);
        if !known && s.closed.contains_key(&sid) {
            // About a session already closed: a duplicate or a late event
            // (an id used again comes with its `created`, after the close).
            if !matches!(fact, Fact::SessionCreated { .. }) {
                self.counters.stale += 1;
                return;
            }
        }
        match fact {
            Fact::SessionCreated {
                transport,
                instance,
            } => match self.server(server).open.get_mut(&sid) {
                Some(open) => {
                    open.transport = open.transport.take().or(transport);
                    open.instance = open.instance.take().or(instance);
                }
                None => self.open(now, server, sid, transport, instance, Seen::Created),
            },
            Fact::SessionDestroyed | Fact::SessionTimeout => {
                if !known {
                    self.open(now, server, sid, None, None, Seen::Event);
                }
                let reason = if fact == Fact::SessionDestroyed {
                    SessionEnd::Destroyed
                } else {
                    SessionEnd::Timeout
                };
                self.close(now, server, sid, reason);
            }
            Fact::HandleAttached { plugin } => {
                if !known {
                    self.open(now, server, sid, None, None, Seen::Event);
                }
                let Some(hid) = handle else { return };
                let added = self
                    .server(server)
                    .open
                    .get_mut(&sid)
                    .is_some_and(|o| o.handles.insert(hid));
                if added {
                    self.emit(
                        now,
                        server,
                        Change::HandleOpened {
                            session: SessionId(sid),
                            handle: HandleId(hid),
                            plugin,
                        },
                    );
                }
            }
            Fact::HandleDetached => {
                let Some(hid) = handle else { return };
                let removed = self
                    .server(server)
                    .open
                    .get_mut(&sid)
                    .is_some_and(|o| o.handles.remove(&hid));
                if removed {
                    self.handle_closed(now, server, sid, hid, HandleEnd::Detached);
                }
            }
            _ => {}
        }
    }

    fn handle_closed(&mut self, now: Instant, server: &str, sid: u64, hid: u64, reason: HandleEnd) {
        let change = Change::HandleClosed {
            session: SessionId(sid),
            handle: HandleId(hid),
            reason,
        };
        self.emit(now, server, change);
    }

    fn open(
        &mut self,
        now: Instant,
        server: &str,
        sid: u64,
        transport: Option<String>,
        instance: Option<String>,
        seen: Seen,
    ) {
        let s = self.server(server);
        s.closed.remove(&sid);
        s.open.insert(
            sid,
            Open {
                instance,
                transport: transport.clone(),
                opened: now,
                handles: BTreeSet::new(),
            },
        );
        self.emit(
            now,
            server,
            Change::SessionOpened {
                session: SessionId(sid),
                transport,
                seen,
            },
        );
    }

    fn close(&mut self, now: Instant, server: &str, sid: u64, reason: SessionEnd) {
        let s = self.server(server);
        s.vanishing.remove(&sid);
        let Some(open) = s.open.remove(&sid) else {
            return;
        };
        s.closed.insert(sid, now);
        s.closed_order.push_back(sid);
        if s.closed_order.len() > REMEMBERED {
            if let Some(old) = s.closed_order.pop_front() {
                if s.closed
                    .get(&old)
                    .is_some_and(|_| !s.open.contains_key(&old))
                {
                    s.closed.remove(&old);
                }
            }
        }
        for hid in open.handles {
            self.handle_closed(now, server, sid, hid, HandleEnd::SessionEnded);
        }
        self.emit(
            now,
            server,
            Change::SessionClosed {
                session: SessionId(sid),
                reason,
            },
        );
    }
}
