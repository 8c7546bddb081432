//! Which caller waits for which request, and whose event stream each
//! session and handle feeds.

use crate::{ClientEvent, Error};
use janus_core::{
    Event, HandleEvent, HandleId, Reply, Request, RequestError, RequestId, SessionEvent, SessionId,
};
use std::collections::HashMap;
use std::time::Instant;

/// The sending end of a event stream (a channel), as the adapters'
/// drivers hold them for each session and handle.
pub trait EventSender<T> {
    /// Hands `event` over; false if nobody receives any more.
    fn send_event(&self, event: T) -> bool;
}

/// Where the events of a session or handle being created go, once the
/// request that creates it succeeds.
#[derive(Debug)]
pub enum Subscriber<S, H> {
    /// For `create` or `claim`.
    Session(S),
    /// For `attach`.
    Handle(H),
}

/// What a request was and when it was queued, for the logs.
#[derive(Clone, Copy, Debug)]
pub struct Trace {
    /// The request's `janus` verb.
    pub verb: &'static str,
    /// When it was queued.
    pub since: Instant,
}

/// What [`Router::route`] leaves to its owner.
#[derive(Debug)]
#[non_exhaustive]
pub enum Routed<P> {
    /// A caller's request resolved: hand it this outcome.
    Resolved(P, Result<Reply, Error>, Trace),
    /// A request nobody waited for resolved.
    Forgotten(Trace, Result<Reply, RequestError>),
    /// A event for the client as a whole.
    Event(ClientEvent),
    /// Nothing more to do.
    Done,
}

enum Waiter<P, S, H> {
    Caller {
        reply: P,
        subscribe: Option<Subscriber<S, H>>,
        trace: Trace,
    },
    Forgotten(Trace),
}

/// The bookkeeping every adapter's driver needs between the engine and its
/// callers, whatever its channels: which caller waits for which request,
/// and whose event stream each session and handle feeds. `P` is a
/// caller's reply slot, `S` and `H` the senders of session and handle
/// events.
pub struct Router<P, S, H> {
    waiters: HashMap<RequestId, Waiter<P, S, H>>,
    sessions: HashMap<SessionId, S>,
    handles: HashMap<HandleId, H>,
    forgotten: usize,
}

impl<P, S, H> Default for Router<P, S, H> {
    fn default() -> Self {
        Self {
            waiters: HashMap::new(),
            sessions: HashMap::new(),
            handles: HashMap::new(),
            forgotten: 0,
        }
    }
}

impl<P, S, H> std::fmt::Debug for Router<P, S, H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Router")
            .field("waiting", &self.waiters.len())
            .field("sessions", &self.sessions.len())
            .field("handles", &self.handles.len())
            .field("forgotten", &self.forgotten)
            .finish()
    }
}

impl<P, S, H> Router<P, S, H>
where
    S: EventSender<SessionEvent>,
    H: EventSender<HandleEvent>,
{
    /// An empty router.
    pub fn new() -> Self {
        Self::default()
    }

    /// A caller waits for request `id`; `subscribe` receives the events of
    /// the session or handle it creates.
    pub fn wait(
        &mut self,
        id: RequestId,
        reply: P,
        subscribe: Option<Subscriber<S, H>>,
        trace: Trace,
    ) {
        let waiter = Waiter::Caller {
            reply,
            subscribe,
            trace,
        };
        self.waiters.insert(id, waiter);
    }

    /// Nobody waits for request `id` (the destroy or detach of a drop).
    pub fn forget(&mut self, id: RequestId, trace: Trace) {
        self.waiters.insert(id, Waiter::Forgotten(trace));
        self.forgotten += 1;
    }

    /// How many forgotten requests are still in flight.
    pub fn forgotten(&self) -> usize {
        self.forgotten
    }

    /// Routes one engine event: events go to their session's or handle's
    /// stream at once; what is left for the owner is returned.
    pub fn route(&mut self, event: Event) -> Routed<P> {
        match event {
            Event::Response { id, result } => return self.resolve(id, result),
            Event::Handle { handle, event, .. } => {
                let ended = matches!(event, HandleEvent::Ended(_));
                if let Some(tx) = self.handles.get(&handle) {
                    if !tx.send_event(event) || ended {
                        self.handles.remove(&handle);
                    }
                }
            }
            Event::Session { session, event } => {
                let ended = matches!(event, SessionEvent::Ended(_));
                match (self.sessions.get(&session), event) {
                    (Some(tx), event) => {
                        if !tx.send_event(event) || ended {
                            self.sessions.remove(&session);
                        }
                    }
                    (None, SessionEvent::Unknown(raw)) => {
                        return Routed::Event(ClientEvent::Unknown {
                            session: Some(session),
                            raw,
                        })
                    }
                    (None, _) => {}
                }
            }
            Event::Unknown { session, raw } => {
                return Routed::Event(ClientEvent::Unknown { session, raw })
            }
            Event::Connected => return Routed::Event(ClientEvent::Connected),
            Event::Disconnected {
                reason,
                reconnecting,
            } => {
                return Routed::Event(ClientEvent::Disconnected {
                    reason,
                    reconnecting,
                })
            }
            Event::ProtocolError(e) => return Routed::Event(ClientEvent::ProtocolError(e)),
        }
        Routed::Done
    }

    fn resolve(&mut self, id: RequestId, result: Result<Reply, RequestError>) -> Routed<P> {
        match self.waiters.remove(&id) {
            Some(Waiter::Caller {
                reply,
                subscribe,
                trace,
            }) => {
                match (&result, subscribe) {
                    (
                        Ok(Reply::SessionCreated(s) | Reply::Claimed(s)),
                        Some(Subscriber::Session(tx)),
                    ) => {
                        self.sessions.insert(*s, tx);
                    }
                    (Ok(Reply::Attached(h)), Some(Subscriber::Handle(tx))) => {
                        self.handles.insert(*h, tx);
                    }
                    _ => {}
                }
                Routed::Resolved(reply, result.map_err(Error::from), trace)
            }
            Some(Waiter::Forgotten(trace)) => {
                self.forgotten -= 1;
                Routed::Forgotten(trace, result)
            }
            None => Routed::Done,
        }
    }
}

/// The request that undoes what `reply` created (the destroy of a new or
/// claimed session, the detach of a new handle), for a caller that is gone.
pub fn undo(reply: &Reply) -> Option<Request> {
    match reply {
        Reply::SessionCreated(session) | Reply::Claimed(session) => {
            Some(Request::Destroy { session: *session })
        }
        Reply::Attached(handle) => Some(Request::Detach { handle: *handle }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use janus_core::serde_json::Value;
    use janus_core::EndReason;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// A event sink that records, and can be closed.
    #[derive(Clone)]
    struct Sink<T>(Rc<RefCell<(Vec<T>, bool)>>);

    impl<T> Default for Sink<T> {
        fn default() -> Self {
            Sink(Rc::new(RefCell::new((Vec::new(), false))))
        }
    }

    impl<T> EventSender<T> for Sink<T> {
        fn send_event(&self, event: T) -> bool {
            let mut inner = self.0.borrow_mut();
            if inner.1 {
                return false;
            }
            inner.0.push(event);
            true
        }
    }

    fn trace() -> Trace {
        Trace {
            verb: "test",
            since: Instant::now(),
        }
    }

    type TestRouter = Router<&'static str, Sink<SessionEvent>, Sink<HandleEvent>>;

    fn respond(id: u64, result: Result<Reply, RequestError>) -> Event {
        Event::Response {
            id: RequestId(id),
            result,
        }
    }

    #[test]
    fn routes_replies_and_notices_to_their_owners() {
        let mut router = TestRouter::new();
        let (session_sink, handle_sink) = (Sink::default(), Sink::default());
        router.wait(
            RequestId(1),
            "create",
            Some(Subscriber::Session(session_sink.clone())),
            trace(),
        );
        router.wait(
            RequestId(2),
            "attach",
            Some(Subscriber::Handle(handle_sink.clone())),
            trace(),
        );
        router.forget(RequestId(3), trace());
        assert_eq!(router.forgotten(), 1);

        let (s, h) = (SessionId(10), HandleId(20));
        match router.route(respond(1, Ok(Reply::SessionCreated(s)))) {
            Routed::Resolved("create", Ok(Reply::SessionCreated(id)), _) => assert_eq!(id, s),
            other => panic!("{other:?}"),
        }
        match router.route(respond(2, Ok(Reply::Attached(h)))) {
            Routed::Resolved("attach", Ok(Reply::Attached(id)), _) => assert_eq!(id, h),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            router.route(respond(3, Ok(Reply::Ack))),
            Routed::Forgotten(Trace { verb: "test", .. }, Ok(Reply::Ack))
        ));
        assert_eq!(router.forgotten(), 0);
        // An unknown or repeated response is nobody's.
        assert!(matches!(
            router.route(respond(1, Ok(Reply::Ack))),
            Routed::Done
        ));

        let event = HandleEvent::WebrtcUp;
        router.route(Event::Handle {
            session: s,
            handle: h,
            event: event.clone(),
        });
        router.route(Event::Session {
            session: s,
            event: SessionEvent::Unknown(Value::Null),
        });
        router.route(Event::Handle {
            session: s,
            handle: h,
            event: HandleEvent::Ended(EndReason::Detached),
        });
        router.route(Event::Session {
            session: s,
            event: SessionEvent::Ended(EndReason::Destroyed),
        });
        assert_eq!(
            handle_sink.0.borrow().0,
            [event, HandleEvent::Ended(EndReason::Detached)]
        );
        assert_eq!(
            session_sink.0.borrow().0,
            [
                SessionEvent::Unknown(Value::Null),
                SessionEvent::Ended(EndReason::Destroyed)
            ]
        );
        // Once ended, a session's messages are the client's.
        match router.route(Event::Session {
            session: s,
            event: SessionEvent::Unknown(Value::Null),
        }) {
            Routed::Event(ClientEvent::Unknown { session, .. }) => assert_eq!(session, Some(s)),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            router.route(Event::Connected),
            Routed::Event(ClientEvent::Connected)
        ));
        assert!(router.sessions.is_empty() && router.handles.is_empty());
        assert!(router.waiters.is_empty());
    }

    #[test]
    fn failures_subscribe_nothing_and_closed_streams_are_dropped() {
        let mut router = TestRouter::new();
        let sink = Sink::default();
        router.wait(
            RequestId(1),
            "attach",
            Some(Subscriber::Handle(sink.clone())),
            trace(),
        );
        let failed = Err(RequestError::TimedOut {
            request: "attach",
            after: std::time::Duration::from_secs(1),
        });
        match router.route(respond(1, failed)) {
            Routed::Resolved(_, Err(Error::Request(RequestError::TimedOut { .. })), _) => {}
            other => panic!("{other:?}"),
        }
        assert!(router.handles.is_empty());

        router.wait(
            RequestId(2),
            "attach",
            Some(Subscriber::Handle(sink.clone())),
            trace(),
        );
        router.route(respond(2, Ok(Reply::Attached(HandleId(5)))));
        sink.0.borrow_mut().1 = true; // the receiver is gone
        router.route(Event::Handle {
            session: SessionId(1),
            handle: HandleId(5),
            event: HandleEvent::WebrtcUp,
        });
        assert!(router.handles.is_empty());
    }

    #[test]
    fn undo_ends_what_was_created() {
        let s = SessionId(1);
        assert_eq!(
            undo(&Reply::SessionCreated(s)),
            Some(Request::Destroy { session: s })
        );
        assert_eq!(
            undo(&Reply::Claimed(s)),
            Some(Request::Destroy { session: s })
        );
        assert_eq!(
            undo(&Reply::Attached(HandleId(2))),
            Some(Request::Detach {
                handle: HandleId(2)
            })
        );
        assert_eq!(undo(&Reply::Ack), None);
    }
}
