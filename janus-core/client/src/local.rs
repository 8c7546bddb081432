//! Work on the engine that needs no round trip to the server, and what it
//! reports: metrics and a session's lifetime.

use crate::Error;
use janus_core::{Connection, Counters, Footprint, SessionId, SessionOrigin};
use std::time::{Duration, Instant};

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

/// Work on the engine sent to a driver; it answers through a channel of
/// its own, if it has anything to say.
pub type LocalWork = Box<dyn FnOnce(&mut Local<'_>) + Send>;

/// The engine, lent for work that needs no round trip; see
/// [`ClientCore::local`](crate::ClientCore::local).
#[derive(Debug)]
pub struct Local<'a> {
    conn: &'a mut Connection,
    now: Instant,
}

impl<'a> Local<'a> {
    /// The engine lent at `now`.
    pub(crate) fn new(conn: &'a mut Connection, now: Instant) -> Self {
        Self { conn, now }
    }

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
