//! Late answers: replies that arrive after their request was settled
//! without one (it timed out, or the session or handle it addressed ended
//! here first), and the cleanup of what such a reply made on the server.
//!
//! Its caller has already been told; the answer may still come, and it
//! still says the server acted on the request when it was sent: that is
//! activity for its session. A late `create` or `attach` success means the
//! server made a session or handle nobody holds: it is destroyed or
//! detached at once. A late plugin reply to a request that timed out is
//! handed to its handle as [`HandleEvent::LateReply`], never as an ordinary
//! event. Every late answer is counted
//! ([`Counters::late_replies`](crate::Counters::late_replies)).

use crate::connection::Connection;
use crate::ids::{HandleId, RequestId, SessionId};
use crate::inbound::{Kind, Message};
use crate::link::Link;
use crate::transaction::Origin;
use crate::types::{Event, HandleEvent, Request};
use std::collections::VecDeque;
use std::time::Instant;

/// How many such requests are remembered (the oldest are forgotten).
const REMEMBERED: usize = 256;

/// What a request settled without an answer was, as far as its late
/// answer matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Late {
    Create,
    Attach(SessionId),
    Message(HandleId),
    Other,
}

impl Late {
    pub(crate) fn of(request: &Request) -> Late {
        match request {
            Request::Create { .. } => Late::Create,
            Request::Attach { session, .. } => Late::Attach(*session),
            Request::Message { handle, .. } => Late::Message(*handle),
            _ => Late::Other,
        }
    }
}

/// One request settled without an answer.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Unanswered {
    pub(crate) id: u64,
    pub(crate) late: Late,
    /// The session it addressed, and when it was sent.
    pub(crate) session: Option<SessionId>,
    pub(crate) sent: Option<Instant>,
    /// Whether it timed out (else what it addressed ended here first).
    pub(crate) timed_out: bool,
}

/// The requests settled recently without an answer.
#[derive(Clone, Debug, Default)]
pub(crate) struct Settled {
    recent: VecDeque<Unanswered>,
}

impl Settled {
    pub(crate) fn remember(&mut self, entry: Unanswered) {
        if self.recent.len() == REMEMBERED {
            self.recent.pop_front();
        }
        self.recent.push_back(entry);
    }

    fn get(&self, id: u64) -> Option<Unanswered> {
        self.recent.iter().find(|e| e.id == id).copied()
    }

    fn forget(&mut self, id: u64) {
        self.recent.retain(|e| e.id != id);
    }
}

impl Connection {
    /// Handles `msg` if it answers a request settled without an answer;
    /// returns whether it did.
    pub(crate) fn on_late_answer(&mut self, id: u64, msg: &Message<'_>) -> bool {
        let Some(entry) = self.settled.get(id) else {
            return false;
        };
        self.heard_session(entry.session, entry.sent);
        let late = entry.late;
        // A message's ack: its reply (the event) may follow.
        if msg.kind == Kind::Ack && matches!(late, Late::Message(_)) && entry.timed_out {
            return true;
        }
        self.settled.forget(id);
        self.counters.late_replies += 1;
        match (late, msg.kind) {
            (Late::Create, Kind::Success) => {
                if let Some(sid) = msg.data_id().map(SessionId) {
                    let request = Request::Destroy { session: sid };
                    self.cleanup(request, Some(sid), None);
                }
            }
            (Late::Attach(session), Kind::Success) => {
                if let Some(hid) = msg.data_id().map(HandleId) {
                    if !self.handles.contains_key(&hid) {
                        let request = Request::Detach { handle: hid };
                        self.cleanup(request, Some(session), Some(hid));
                    }
                }
            }
            (Late::Message(handle), Kind::Event | Kind::Success)
                if msg.has_plugindata() && entry.timed_out =>
            {
                if let Some(session) = self.handles.get(&handle).map(|h| h.session) {
                    let reply = crate::dispatch::plugin_answer(msg, msg.kind == Kind::Event);
                    self.events.push_back(Event::Handle {
                        session,
                        handle,
                        event: HandleEvent::LateReply {
                            request: RequestId(id),
                            reply,
                        },
                    });
                }
            }
            _ => {}
        }
        true
    }

    /// Sends `request` for the engine's own tidying: nobody waits for it,
    /// and it addresses a session or handle this engine may not track.
    pub(crate) fn cleanup(
        &mut self,
        request: Request,
        session: Option<SessionId>,
        handle: Option<HandleId>,
    ) {
        if self.link == Link::Down {
            return;
        }
        self.counters.cleanups += 1;
        let timeout = self.config.request_timeout;
        self.enqueue(request, Origin::Cleanup, timeout, session, handle);
    }
}
