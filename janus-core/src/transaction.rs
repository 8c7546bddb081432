//! Requests in flight: queueing, transmission, deadlines, retries, and the
//! one place every request resolves.

use crate::config::Transport;
use crate::connection::{after, Connection};
use crate::error::{CommandError, RequestError};
use crate::ids::{ExchangeId, HandleId, RequestId, SessionId};
use crate::long_poll::Exchange;
use crate::outbound;
use crate::timers::{Slot, TimerKey};
use crate::types::{
    EndReason, Event, HttpMethod, HttpRequest, Reply, Request, SessionEvent, Transmit,
};
use std::borrow::Cow;
use std::time::{Duration, Instant};

/// Who asked for a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The caller: it resolves with an [`Event::Response`].
    User,
    /// The automatic keepalive of a session.
    Keepalive,
    /// The re-claim of a session after a reconnect.
    Reclaim,
    /// The engine's own tidying (a session or handle a late reply made):
    /// nobody waits for it.
    Cleanup,
}

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReqState {
    Queued,
    Sent,
    Acked,
    RetryWait,
}

/// A request as kept while in flight: the small ones inline, the others
/// boxed, so that a [`Pending`] stays small (there may be 100,000 of them).
#[derive(Clone, Debug)]
pub(crate) enum Stored {
    Info,
    Ping,
    Create(Option<SessionId>),
    Claim(SessionId, bool),
    Destroy(SessionId),
    Keepalive(SessionId),
    Hangup(HandleId),
    Detach(HandleId),
    /// `attach`, `message` and `trickle`.
    Boxed(Box<Request>),
}

impl From<Request> for Stored {
    fn from(request: Request) -> Self {
        match request {
            Request::Info => Stored::Info,
            Request::Ping => Stored::Ping,
            Request::Create { id } => Stored::Create(id),
            Request::Claim { session, keepalive } => Stored::Claim(session, keepalive),
            Request::Destroy { session } => Stored::Destroy(session),
            Request::Keepalive { session } => Stored::Keepalive(session),
            Request::Hangup { handle } => Stored::Hangup(handle),
            Request::Detach { handle } => Stored::Detach(handle),
            other => Stored::Boxed(Box::new(other)),
        }
    }
}

impl Stored {
    /// The request (built on the spot for the small ones: no allocation).
    pub(crate) fn get(&self) -> Cow<'_, Request> {
        Cow::Owned(match *self {
            Stored::Info => Request::Info,
            Stored::Ping => Request::Ping,
            Stored::Create(id) => Request::Create { id },
            Stored::Claim(session, keepalive) => Request::Claim { session, keepalive },
            Stored::Destroy(session) => Request::Destroy { session },
            Stored::Keepalive(session) => Request::Keepalive { session },
            Stored::Hangup(handle) => Request::Hangup { handle },
            Stored::Detach(handle) => Request::Detach { handle },
            Stored::Boxed(ref request) => return Cow::Borrowed(request),
        })
    }
}

/// One request not yet resolved.
#[derive(Clone, Debug)]
pub(crate) struct Pending {
    pub(crate) request: Stored,
    pub(crate) origin: Origin,
    pub(crate) state: ReqState,
    pub(crate) retries_left: u32,
    pub(crate) timeout: Duration,
    /// Its deadline, or while waiting to be retried, the retry's time.
    pub(crate) timer: Slot,
    pub(crate) session: Option<SessionId>,
    pub(crate) handle: Option<HandleId>,
    pub(crate) exchange: Option<u64>,
}

impl Pending {
    /// Whether the request still holds deadline `at` (entries of
    /// [`Deadlines`](crate::timers::Deadlines) are checked with this).
    pub(crate) fn holds_deadline(&self, at: Instant) -> bool {
        self.state != ReqState::RetryWait && self.timer == Some(at)
    }
}

impl Connection {
    /// The session and handle a command addresses, which must be tracked
    /// (a claim names a session that is not, yet).
    pub(crate) fn target_of(
        &self,
        request: &Request,
    ) -> Result<(Option<SessionId>, Option<HandleId>), CommandError> {
        if let Some(h) = request.handle() {
            let handle = self.handles.get(&h).ok_or(CommandError::UnknownHandle(h))?;
            return Ok((Some(handle.session), Some(h)));
        }
        match request {
            Request::Claim { session, .. } => Ok((Some(*session), None)),
            // Admin requests address any session or handle on the server.
            Request::Admin(admin) => Ok((admin.session, admin.handle)),
            _ => match request.session() {
                Some(s) if !self.sessions.contains_key(&s) => Err(CommandError::UnknownSession(s)),
                s => Ok((s, None)),
            },
        }
    }

    /// Queues a request; returns its id.
    pub(crate) fn enqueue(
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
            if origin == Origin::Keepalive {
                s.keepalive_request = Some(id);
            } else {
                s.requests.insert(id);
            }
        }
        self.queue_request(id, request, origin, timeout, session, handle);
        id
    }

    /// Queues request `id`, already made known to its session (the
    /// automatic keepalive, queued with its session in hand, has its
    /// activity recorded).
    pub(crate) fn queue_request(
        &mut self,
        id: u64,
        request: Request,
        origin: Origin,
        timeout: Duration,
        session: Option<SessionId>,
        handle: Option<HandleId>,
    ) {
        let mut timer = None;
        self.deadlines
            .set(id, timeout, &mut timer, after(self.now, timeout));
        self.requests.insert(
            id,
            Pending {
                request: request.into(),
                origin,
                state: ReqState::Queued,
                retries_left: self.config.max_retries,
                timeout,
                timer,
                session,
                handle,
                exchange: None,
            },
        );
        self.send_queue.push_back(id);
    }

    /// The request id a transaction string names, if it is one of ours.
    pub(crate) fn parse_transaction(&self, tx: &str) -> Option<u64> {
        let prefix = self.config.transaction_prefix.as_str();
        let number = if prefix.is_empty() {
            tx
        } else {
            tx.strip_prefix(prefix)?
        };
        number.parse().ok()
    }

    /// The JSON text of request `id`, as it goes on the wire.
    pub(crate) fn encode_request(
        &self,
        id: u64,
        request: &Request,
        session: Option<u64>,
        handle: Option<u64>,
    ) -> String {
        let http = matches!(self.config.transport, Transport::Http { .. });
        let janus_api = self.config.api == crate::config::Api::Janus;
        outbound::encode(
            request,
            &outbound::Envelope {
                prefix: &self.config.transaction_prefix,
                id,
                session,
                handle,
                ids_in_body: !http,
                apisecret: janus_api
                    .then_some(self.config.api_secret.as_ref())
                    .flatten()
                    .map(|s| s.expose()),
                token: janus_api
                    .then_some(self.config.token.as_ref())
                    .flatten()
                    .map(|s| s.expose()),
                admin_secret: (!janus_api)
                    .then_some(self.config.admin_secret.as_ref())
                    .flatten()
                    .map(|s| s.expose()),
            },
        )
    }

    /// Sends a queued request.
    pub(crate) fn transmit_request(&mut self, id: u64) -> Option<Transmit> {
        let http = matches!(self.config.transport, Transport::Http { .. });
        let now = self.now;
        let p = self.requests.get(&id)?;
        if p.state != ReqState::Queued {
            return None;
        }
        let (session, handle) = (p.session.map(|s| s.0), p.handle.map(|h| h.0));
        let body = self.encode_request(id, &p.request.get(), session, handle);
        let p = self.requests.get_mut(&id)?;
        p.state = ReqState::Sent;
        let deadline = after(now, p.timeout);
        let transmit = if http {
            let xid = self.next_exchange;
            self.next_exchange += 1;
            p.exchange = Some(xid);
            self.exchanges.insert(xid, Exchange::Request(id));
            Transmit::Http(HttpRequest {
                id: ExchangeId(xid),
                method: HttpMethod::Post,
                path: outbound::post_path(session, handle),
                body: Some(body),
                deadline,
            })
        } else {
            Transmit::Text(body)
        };
        // The session's activity is recorded when the server answers (see
        // `Connection::answered`): a request sent is not yet one received.
        if matches!(transmit, Transmit::Text(_)) {
            self.probe_link();
        }
        Some(transmit)
    }

    /// Resolves a request: removes every trace of it and reports the outcome
    /// (automatic requests report through their session instead).
    pub(crate) fn resolve(&mut self, id: u64, result: Result<Reply, RequestError>) {
        let Some(mut p) = self.requests.remove(&id) else {
            return;
        };
        // Settled here while on the wire: its answer may still come.
        let on_wire = matches!(p.state, ReqState::Sent | ReqState::Acked);
        if let (true, Err(e @ (RequestError::TimedOut { .. } | RequestError::Ended(_)))) =
            (on_wire && p.origin != Origin::Cleanup, &result)
        {
            self.settled.remember(crate::late::Unanswered {
                id,
                late: crate::late::Late::of(&p.request.get()),
                session: p.session,
                sent: p.timer.and_then(|d| d.checked_sub(p.timeout)),
                timed_out: matches!(e, RequestError::TimedOut { .. }),
            });
        }
        if p.state == ReqState::RetryWait {
            self.timers.cancel(TimerKey::Retry(id), &mut p.timer);
        } else {
            self.deadlines.cancel(&mut p.timer);
            let requests = &self.requests;
            self.deadlines
                .compact(|id, at| requests.get(&id).is_some_and(|p| p.holds_deadline(at)));
        }
        if let Some(x) = p.exchange {
            self.exchanges.remove(&x);
        }
        if let Some(s) = p.session.and_then(|s| self.sessions.get_mut(&s)) {
            if s.keepalive_request == Some(id) {
                s.keepalive_request = None;
            } else {
                s.requests.remove(id);
            }
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
                    self.arm_session(sid);
                }
            }
            Origin::Cleanup => {}
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

    pub(crate) fn on_request_deadline(&mut self, id: u64) {
        let Some(p) = self.requests.get(&id) else {
            return;
        };
        self.counters.timeouts += 1;
        let error = RequestError::TimedOut {
            request: p.request.get().verb(),
            after: p.timeout,
        };
        self.resolve(id, Err(error));
    }

    pub(crate) fn on_retry_due(&mut self, id: u64) {
        let Some(p) = self.requests.get_mut(&id) else {
            return;
        };
        if p.state != ReqState::RetryWait {
            return;
        }
        self.timers.cancel(TimerKey::Retry(id), &mut p.timer);
        p.state = ReqState::Queued;
        self.deadlines
            .set(id, p.timeout, &mut p.timer, after(self.now, p.timeout));
        self.send_queue.push_back(id);
    }

    /// A request's transport failed (`http`: the HTTP exchange's failure):
    /// retry it if allowed, otherwise fail it.
    pub(crate) fn transport_failed(&mut self, id: u64, http: Option<&str>) {
        let Some(p) = self.requests.get_mut(&id) else {
            return;
        };
        if let Some(x) = p.exchange.take() {
            self.exchanges.remove(&x);
        }
        // A request whose own deadline has already passed (time jumped
        // past both it and the failure) times out rather than starting over.
        if p.state != ReqState::RetryWait && p.timer.is_some_and(|d| d <= self.now) {
            self.on_request_deadline(id);
            return;
        }
        if p.request.get().is_idempotent() && p.retries_left > 0 {
            p.retries_left -= 1;
            self.deadlines.cancel(&mut p.timer);
            p.state = ReqState::RetryWait;
            self.timers.set(
                TimerKey::Retry(id),
                &mut p.timer,
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
}
