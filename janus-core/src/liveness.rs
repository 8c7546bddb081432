//! Keeping sessions alive and knowing when they are not: automatic
//! keepalive, the local estimate of each session's server-side expiry,
//! holds, activity, and the session timeout learned from `info`.

use crate::connection::Connection;
use crate::error::CommandError;
use crate::ids::{PeerMap, SessionId};
use crate::link::Link;
use crate::session::Session;
use crate::timers::{SessionSlot, TimerKey, Timers};
use crate::transaction::{Origin, ReqState};
use crate::types::{EndReason, Request, ServerInfo};
use std::time::{Duration, Instant};

impl Connection {
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
        self.session_mut(session)?.keepalive = on;
        self.arm_session(session);
        Ok(())
    }

    /// Adds a hold: while at least one hold is on, the session is kept alive
    /// (keepalives are sent even if automatic keepalive is off) and never
    /// expires locally. Holds are counted.
    pub fn prevent_expire(&mut self, session: SessionId) -> Result<u32, CommandError> {
        let s = self.session_mut(session)?;
        s.holds += 1;
        let holds = s.holds;
        self.arm_session(session);
        Ok(holds)
    }

    /// Removes a hold added by [`prevent_expire`](Self::prevent_expire);
    /// returns the holds left.
    pub fn allow_expire(&mut self, session: SessionId) -> Result<u32, CommandError> {
        let s = self.session_mut(session)?;
        if s.holds == 0 {
            return Err(CommandError::InvalidArgument("the session has no hold"));
        }
        s.holds -= 1;
        let holds = s.holds;
        self.arm_session(session);
        Ok(holds)
    }

    /// Getter: when the session will be taken as expired, by the local
    /// estimate of its server-side deadline: last activity, plus the session
    /// timeout, plus the grace. `None`: it never expires (no session timeout,
    /// or held), or it is unknown.
    pub fn expires_at(&self, session: SessionId) -> Option<Instant> {
        self.sessions.get(&session).and_then(|s| self.expiry_of(s))
    }

    /// Getter: whether the session is expired at `now`; an unknown (ended) session is.
    pub fn is_expired(&self, session: SessionId, now: Instant) -> bool {
        match self.sessions.get(&session) {
            None => true,
            Some(s) => self.expiry_of(s).is_some_and(|at| now >= at),
        }
    }

    /// Getter: the time left before the session expires; `None` if it never
    /// does (or is unknown), zero if it already has.
    pub fn time_left(&self, session: SessionId, now: Instant) -> Option<Duration> {
        self.expires_at(session)
            .map(|at| at.saturating_duration_since(now))
    }

    fn session_mut(&mut self, session: SessionId) -> Result<&mut Session, CommandError> {
        self.sessions
            .get_mut(&session)
            .ok_or(CommandError::UnknownSession(session))
    }

    fn expiry_of(&self, s: &Session) -> Option<Instant> {
        self.schedule().expiry(s)
    }

    /// What decides every session's deadlines besides the session itself.
    fn schedule(&self) -> Schedule {
        let timeout = self.session_timeout();
        Schedule {
            timeout,
            grace: self.config.expiry_grace,
            every: self.config.effective_keepalive(timeout),
            link_up: self.link == Link::Up,
        }
    }

    /// Arms the session's timer at the earliest of its expiry and keepalive.
    pub(crate) fn arm_session(&mut self, sid: SessionId) {
        let schedule = self.schedule();
        if let Some(s) = self.sessions.get_mut(&sid) {
            schedule.arm(&mut self.timers, sid, s);
        }
        self.compact_session_timers();
    }

    /// Re-arms every session's timer (the timeout or the link changed).
    pub(crate) fn arm_all_sessions(&mut self) {
        let schedule = self.schedule();
        for (sid, s) in &mut self.sessions {
            schedule.arm(&mut self.timers, *sid, s);
        }
        self.compact_session_timers();
    }

    /// Drops the stale queued session timers once they outnumber the live ones.
    pub(crate) fn compact_session_timers(&mut self) {
        let sessions = &self.sessions;
        self.timers.compact_sessions(queued(sessions));
    }

    /// The earliest timer besides the request deadlines.
    pub(crate) fn next_timer(&mut self) -> Option<(Instant, TimerKey)> {
        let sessions = &self.sessions;
        self.timers.peek(queued(sessions))
    }

    /// The server answered request `id` (an ack, a reply or its event):
    /// the session it addressed saw activity when the request was sent (at
    /// the latest: its deadline less its timeout), which moves its
    /// keepalive and expiry estimate. Only what is received counts: a
    /// request sent and never answered does not keep the estimate alive.
    pub(crate) fn request_answered(&mut self, id: u64) {
        let Some(p) = self.requests.get(&id) else {
            return;
        };
        let sent = match p.state {
            ReqState::Sent | ReqState::Acked => p.timer.and_then(|d| d.checked_sub(p.timeout)),
            _ => None,
        };
        self.heard_session(p.session, sent);
    }

    /// The server acted on a request for `session` sent at `sent`: that is
    /// activity for the session (at the latest then).
    pub(crate) fn heard_session(&mut self, session: Option<SessionId>, sent: Option<Instant>) {
        let (Some(sid), Some(sent)) = (session, sent) else {
            return;
        };
        let sent = sent.min(self.now);
        let Some(s) = self.sessions.get_mut(&sid) else {
            return;
        };
        if s.last_activity < sent {
            s.last_activity = sent;
            self.arm_session(sid);
        }
    }

    /// The session's timer fired: it expired, or a keepalive is due.
    pub(crate) fn on_session_timer(&mut self, sid: SessionId) {
        let (now, schedule) = (self.now, self.schedule());
        let Some(s) = self.sessions.get_mut(&sid) else {
            return;
        };
        s.timer = SessionSlot::default();
        if schedule.expiry(s).is_some_and(|at| now >= at) {
            self.end_session(sid, EndReason::Expired);
            return;
        }
        let keepalive = schedule.keepalive_due(s).is_some_and(|at| now >= at);
        let id = self.next_request;
        if keepalive {
            self.next_request += 1;
            s.keepalive_request = Some(id);
        }
        schedule.arm(&mut self.timers, sid, s);
        if keepalive {
            let timeout = self.config.request_timeout;
            let request = Request::Keepalive { session: sid };
            self.queue_request(id, request, Origin::Keepalive, timeout, Some(sid), None);
        }
        self.compact_session_timers();
    }

    /// Takes the session timeout an `info` reply reports.
    pub(crate) fn learn(&mut self, info: &ServerInfo) {
        if !self.config.learn_from_info {
            return;
        }
        if let Some(t) = info.session_timeout {
            let t = Duration::from_secs(t);
            if t != self.session_timeout() {
                self.learned_timeout = Some(t);
                self.arm_all_sessions();
            }
        }
    }
}

/// Whether session `sid` still holds the queued timer entry `at` (stale
/// entries are left behind in the queues when a timer moves).
fn queued(sessions: &PeerMap<SessionId, Session>) -> impl Fn(u64, Instant) -> bool + '_ {
    |sid, at| {
        sessions
            .get(&SessionId(sid))
            .is_some_and(|s| s.timer.queued_at(at))
    }
}

/// What decides every session's deadlines besides the session itself.
#[derive(Clone, Copy)]
struct Schedule {
    timeout: Duration,
    grace: Duration,
    every: Duration,
    link_up: bool,
}

impl Schedule {
    /// The local estimate of the session's server-side expiry.
    fn expiry(&self, s: &Session) -> Option<Instant> {
        if self.timeout.is_zero() || s.holds > 0 {
            return None;
        }
        Some(s.last_activity + self.timeout + self.grace)
    }

    /// When the session's next automatic keepalive is due.
    fn keepalive_due(&self, s: &Session) -> Option<Instant> {
        let wanted = s.keepalive || s.holds > 0;
        if !wanted || s.reclaiming || s.keepalive_request.is_some() || !self.link_up {
            return None;
        }
        Some(s.last_activity + self.every)
    }

    /// Arms the session's timer at the earliest of its expiry and keepalive
    /// (each the last activity plus an interval, which picks its queue).
    fn arm(&self, timers: &mut Timers, sid: SessionId, s: &mut Session) {
        let expiry = self.expiry(s).map(|at| (at, self.timeout + self.grace));
        let keepalive = self.keepalive_due(s).map(|at| (at, self.every));
        let next = match (expiry, keepalive) {
            (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
            (a, b) => a.or(b),
        };
        match next {
            Some((at, interval)) => timers.set_session(sid.0, &mut s.timer, at, interval),
            None => timers.cancel_session(sid.0, &mut s.timer),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Config, Connection, Event, Input, Output, Reply, Transmit};
    use std::fmt::Write;
    use std::time::Instant;

    /// An engine with `sessions` idle sessions, created in bulk.
    fn idle_engine_with(sessions: u64) -> (Connection, Instant) {
        let now = Instant::now();
        let mut cfg = Config::websocket("ws://x");
        cfg.max_in_flight = usize::MAX;
        cfg.max_frame_size = usize::MAX;
        let mut conn = Connection::new(cfg, now);
        while !matches!(conn.poll_output(), Output::Idle(_)) {}
        conn.handle_input(now, Input::Connected).unwrap();
        for _ in 0..sessions {
            conn.create_session(now).unwrap();
        }
        let mut frame = String::new();
        let mut n = 0;
        loop {
            match conn.poll_output() {
                Output::Transmit(Transmit::Text(t)) => {
                    let v: serde_json::Value = serde_json::from_str(&t).unwrap();
                    n += 1;
                    let _ = write!(
                        frame,
                        r#"{{"janus":"success","transaction":{},"data":{{"id":{n}}}}}"#,
                        v["transaction"]
                    );
                }
                Output::Idle(_) => break,
                _ => {}
            }
        }
        conn.handle_input(now, Input::Frame(frame.as_bytes()))
            .unwrap();
        let mut created = 0;
        loop {
            match conn.poll_output() {
                Output::Event(Event::Response {
                    result: Ok(Reply::SessionCreated(_)),
                    ..
                }) => created += 1,
                Output::Idle(_) => break,
                _ => {}
            }
        }
        assert_eq!(created, sessions);
        (conn, now)
    }

    /// Counts the timer operations of `poll_timeout` and of an idle
    /// `handle_timeout` (nothing due).
    fn idle_work(conn: &mut Connection, now: Instant) -> u64 {
        let before = conn.timers.ops;
        for _ in 0..10 {
            let deadline = conn.poll_timeout().unwrap();
            assert!(deadline > now);
            conn.handle_timeout(now);
        }
        conn.timers.ops - before
    }

    /// The timer work of an idle engine does not grow with the number of
    /// sessions (operations are counted, not timed). The counter is a test
    /// hook, so this test lives inside the crate.
    #[test]
    fn idle_timer_work_does_not_grow_with_sessions() {
        let (mut small, t1) = idle_engine_with(100);
        let (mut large, t2) = idle_engine_with(100_000);
        let a = idle_work(&mut small, t1);
        let b = idle_work(&mut large, t2);
        assert!(a > 0);
        assert_eq!(a, b, "100 sessions: {a} operations, 100,000 sessions: {b}");
    }
}
