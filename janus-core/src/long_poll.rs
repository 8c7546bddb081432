//! The HTTP transport: exchanges and answers, and the one long poll per
//! session the engine keeps armed.

use crate::config::Transport;
use crate::connection::{after, Connection};
use crate::error::{ProtocolError, RequestError};
use crate::ids::{ExchangeId, SessionId};
use crate::outbound;
use crate::timers::{Slot, TimerKey};
use crate::transaction::ReqState;
use crate::types::{EndReason, HttpMethod, HttpRequest, Transmit};
use std::time::{Duration, Instant};

/// What an HTTP exchange is for.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Exchange {
    /// The POST of a request.
    Request(u64),
    /// A session's long poll.
    Poll(SessionId),
}

/// A session's long poll (HTTP transport only).
#[derive(Clone, Debug, Default)]
pub(crate) struct PollState {
    /// The exchange outstanding.
    pub(crate) exchange: Option<u64>,
    /// Failures in a row.
    pub(crate) failures: u32,
    /// The poll's deadline, or the end of the back-off after a failure.
    pub(crate) timer: Slot,
    /// When the outstanding poll went out (the server counts it as the
    /// session's activity then, which its answer proves).
    pub(crate) sent_at: Option<Instant>,
}

impl Connection {
    /// Queues the session's long poll, unless one is out.
    pub(crate) fn start_polling(&mut self, sid: SessionId) {
        let Some(s) = self.sessions.get_mut(&sid) else {
            return;
        };
        if s.reclaiming {
            return;
        }
        if let Some(poll) = s.poll.as_mut().filter(|p| p.exchange.is_none()) {
            self.timers.cancel(TimerKey::Poll(sid.0), &mut poll.timer);
            self.poll_queue.push_back(sid);
        }
    }

    /// Sends the session's long poll.
    pub(crate) fn long_poll(&mut self, sid: SessionId) -> Option<Transmit> {
        let Transport::Http { max_events } = self.config.transport else {
            return None;
        };
        let now = self.now;
        let deadline = after(now, self.config.long_poll_timeout);
        let s = self.sessions.get_mut(&sid)?;
        let poll = s.poll.as_mut()?;
        if poll.exchange.is_some() {
            return None;
        }
        let xid = self.next_exchange;
        self.next_exchange += 1;
        poll.exchange = Some(xid);
        poll.sent_at = Some(now);
        // Re-armed right after an answer, the server is reachable: it counts
        // this poll as activity as it arrives. After failures it counts only
        // once answered.
        if poll.failures == 0 {
            s.last_activity = s.last_activity.max(now);
        }
        self.timers
            .set(TimerKey::Poll(sid.0), &mut poll.timer, deadline);
        self.exchanges.insert(xid, Exchange::Poll(sid));
        let path = outbound::poll_path(
            sid.0,
            max_events,
            self.config.api_secret.as_ref().map(|s| s.expose()),
            self.config.token.as_ref().map(|s| s.expose()),
        );
        Some(Transmit::Http(HttpRequest {
            id: ExchangeId(xid),
            method: HttpMethod::Get,
            path,
            body: None,
            deadline,
        }))
    }

    pub(crate) fn on_poll_timer(&mut self, sid: SessionId) {
        let Some(poll) = self.sessions.get_mut(&sid).and_then(|s| s.poll.as_mut()) else {
            return;
        };
        match poll.exchange.take() {
            // The poll outlived its deadline: give up on it.
            Some(x) => {
                self.exchanges.remove(&x);
                self.poll_failed(sid);
            }
            // The back-off after a failure is over.
            None => self.poll_queue.push_back(sid),
        }
    }

    /// A long poll failed (no answer, or not a usable one): it is armed
    /// again after a back-off, for as long as the session lives. A session
    /// the server cannot be reached for ends when its expiry estimate
    /// passes (nothing answered means no activity), not after a count of
    /// failures: a flaky proxy or a short outage is survived.
    ///
    /// A poll that failed after being held a while (a second or more) was
    /// cut while it waited, as a proxy with an idle timeout shorter than the
    /// server's 30 s hold does to every poll: it is armed again after the
    /// first back-off step without growing it, so that events keep coming
    /// within about that idle timeout.
    fn poll_failed(&mut self, sid: SessionId) {
        let now = self.now;
        let Some(poll) = self.sessions.get_mut(&sid).and_then(|s| s.poll.as_mut()) else {
            return;
        };
        poll.exchange = None;
        let held = poll
            .sent_at
            .take()
            .map(|t| now.saturating_duration_since(t));
        let wait = if held.is_some_and(|h| h >= Duration::from_secs(1)) {
            self.config.poll_retry_initial
        } else {
            poll.failures = poll.failures.saturating_add(1);
            let factor = 1u32 << (poll.failures - 1).min(16);
            (self.config.poll_retry_initial * factor).min(self.config.poll_retry_max)
        };
        self.timers.set(
            TimerKey::Poll(sid.0),
            &mut poll.timer,
            after(self.now, wait),
        );
    }

    /// Clears the session's outstanding poll (answered or failed) and its deadline.
    fn poll_answered(&mut self, sid: SessionId) {
        if let Some(poll) = self.sessions.get_mut(&sid).and_then(|s| s.poll.as_mut()) {
            self.timers.cancel(TimerKey::Poll(sid.0), &mut poll.timer);
            poll.exchange = None;
        }
    }

    pub(crate) fn on_http_response(&mut self, id: ExchangeId, status: u16, body: &[u8]) {
        match self.exchanges.remove(&id.0) {
            None => {}
            Some(Exchange::Request(rid)) => {
                let mut sent = None;
                if let Some(p) = self.requests.get_mut(&rid) {
                    p.exchange = None;
                    // Sent at its deadline less its timeout.
                    let at = p.timer.and_then(|d| d.checked_sub(p.timeout));
                    sent = at.map(|at| (p.session, at));
                }
                // Janus answers 200; other statuses may come from a proxy.
                if let Some((session, at)) = sent.filter(|_| status == 200) {
                    self.heard_session(session, Some(at));
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
                let sent = self
                    .sessions
                    .get_mut(&sid)
                    .and_then(|s| s.poll.as_mut())
                    .and_then(|p| p.sent_at.take())
                    .filter(|_| status == 200);
                self.heard_session(Some(sid), sent);
                self.poll_answered(sid);
                match status {
                    200 => {
                        if self.on_bytes(body, None) {
                            if let Some(p) =
                                self.sessions.get_mut(&sid).and_then(|s| s.poll.as_mut())
                            {
                                p.failures = 0;
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

    pub(crate) fn on_http_failed(&mut self, id: ExchangeId, reason: &str) {
        match self.exchanges.remove(&id.0) {
            None => {}
            Some(Exchange::Request(rid)) => {
                if let Some(p) = self.requests.get_mut(&rid) {
                    p.exchange = None;
                }
                self.transport_failed(rid, Some(reason));
            }
            Some(Exchange::Poll(sid)) => {
                self.poll_answered(sid);
                self.poll_failed(sid);
            }
        }
    }
}
