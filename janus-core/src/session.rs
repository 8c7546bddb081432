//! The session and handle tables, and every way a session or handle ends.

use crate::connection::Connection;
use crate::ids::{HandleId, SessionId};
use crate::long_poll::PollState;
use crate::snapshot::SessionOrigin;
use crate::timers::{SessionSlot, TimerKey};
use crate::transaction::{ReqState, Stored};
use crate::types::{EndReason, Event, HandleEvent, Reply, Request, SessionEvent};
use crate::RequestError;
use std::sync::Arc;
use std::time::Instant;

/// One tracked session.
#[derive(Clone, Debug)]
pub(crate) struct Session {
    pub(crate) origin: SessionOrigin,
    pub(crate) keepalive: bool,
    pub(crate) reclaiming: bool,
    pub(crate) holds: u32,
    pub(crate) last_activity: Instant,
    /// The session's timer: its keepalive or expiry, whichever is sooner.
    pub(crate) timer: SessionSlot,
    /// The automatic keepalive in flight.
    pub(crate) keepalive_request: Option<u64>,
    pub(crate) handles: Few<HandleId>,
    /// The other requests in flight that address it.
    pub(crate) requests: Few<u64>,
    /// HTTP: its long poll.
    pub(crate) poll: Option<Box<PollState>>,
}

/// One tracked handle.
#[derive(Clone, Debug)]
pub(crate) struct Handle {
    pub(crate) session: SessionId,
    pub(crate) plugin: Arc<str>,
    pub(crate) opaque_id: Option<Box<str>>,
    pub(crate) detaching: bool,
}

/// A small ordered set (the handles of a session, the requests addressing
/// it): most hold one item, kept without an allocation.
#[derive(Clone, Debug, Default)]
pub(crate) enum Few<T> {
    #[default]
    None,
    One(T),
    Many(Vec<T>),
}

impl<T: Copy + Ord> Few<T> {
    pub(crate) fn insert(&mut self, item: T) {
        match self {
            Few::None => *self = Few::One(item),
            Few::One(one) if *one == item => {}
            Few::One(one) => {
                let mut v = vec![*one, item];
                v.sort_unstable();
                *self = Few::Many(v);
            }
            Few::Many(v) => {
                if let Err(at) = v.binary_search(&item) {
                    v.insert(at, item);
                }
            }
        }
    }

    pub(crate) fn remove(&mut self, item: T) {
        match self {
            Few::One(one) if *one == item => *self = Few::None,
            Few::Many(v) => {
                if let Ok(at) = v.binary_search(&item) {
                    v.remove(at);
                }
                match v[..] {
                    [] => *self = Few::None,
                    [one] => *self = Few::One(one),
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// The items, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = T> + '_ {
        let (one, many): (Option<T>, &[T]) = match self {
            Few::None => (None, &[]),
            Few::One(item) => (Some(*item), &[]),
            Few::Many(v) => (None, v),
        };
        one.into_iter().chain(many.iter().copied())
    }
}

impl Connection {
    /// Starts tracking a session created or claimed here (or refreshes it).
    pub(crate) fn add_session(&mut self, sid: SessionId, origin: SessionOrigin, keepalive: bool) {
        let now = self.now;
        let http = matches!(self.config.transport, crate::Transport::Http { .. });
        let s = self.sessions.entry(sid).or_insert_with(|| Session {
            origin,
            keepalive,
            holds: 0,
            last_activity: now,
            reclaiming: false,
            timer: SessionSlot::default(),
            keepalive_request: None,
            handles: Few::None,
            requests: Few::None,
            poll: http.then(Box::default),
        });
        s.last_activity = s.last_activity.max(now);
        if origin == SessionOrigin::Claimed {
            s.keepalive |= keepalive;
        }
        self.start_polling(sid);
        self.arm_session(sid);
    }

    /// Starts tracking a handle; the plugin name is shared with the other
    /// handles on the same plugin.
    pub(crate) fn add_handle(
        &mut self,
        session: SessionId,
        hid: HandleId,
        plugin: &str,
        opaque_id: Option<&str>,
    ) {
        let Some(s) = self.sessions.get_mut(&session) else {
            return;
        };
        s.handles.insert(hid);
        let plugin = match self.plugins.get(plugin) {
            Some(p) => p.clone(),
            None => {
                let p: Arc<str> = plugin.into();
                self.plugins.insert(p.clone());
                p
            }
        };
        self.handles.insert(
            hid,
            Handle {
                session,
                plugin,
                opaque_id: opaque_id.map(Box::from),
                detaching: false,
            },
        );
    }

    /// Stops tracking a handle's data. Plugin names stay shared for the next
    /// handle on the same plugin, unless more than a few are held that no
    /// handle uses: then those go, so memory follows the handles.
    fn forget_handle(&mut self, h: Handle) {
        drop(h);
        if self.plugins.len() > 32 {
            self.plugins.retain(|p| Arc::strong_count(p) > 1);
        }
    }

    /// Ends a session and its handles, resolving what addressed it.
    pub(crate) fn end_session(&mut self, sid: SessionId, reason: EndReason) {
        let Some(mut s) = self.sessions.remove(&sid) else {
            return;
        };
        // Found gone while our own destroy of it is on the wire (over HTTP a
        // re-armed long poll can be answered 404 before the destroy's reply):
        // the destroy did it.
        let destroy = s.requests.iter().find(|id| {
            self.requests.get(id).is_some_and(|p| {
                matches!(p.request, Stored::Destroy(_))
                    && matches!(p.state, ReqState::Sent | ReqState::Acked)
            })
        });
        let reason = match (reason, destroy) {
            (EndReason::NotFound, Some(_)) => EndReason::Destroyed,
            _ => reason,
        };
        self.timers.cancel_session(sid.0, &mut s.timer);
        self.compact_session_timers();
        if let Some(mut poll) = s.poll.take() {
            self.timers.cancel(TimerKey::Poll(sid.0), &mut poll.timer);
            if let Some(x) = poll.exchange {
                self.exchanges.remove(&x);
            }
        }
        for h in s.handles.iter() {
            if let Some(handle) = self.handles.remove(&h) {
                self.forget_handle(handle);
                self.events.push_back(Event::Handle {
                    session: sid,
                    handle: h,
                    event: HandleEvent::Ended(reason),
                });
            }
        }
        if let Some(id) = s.keepalive_request {
            self.resolve(id, Err(RequestError::Ended(reason)));
        }
        for id in s.requests.iter() {
            let result = if reason == EndReason::Destroyed && Some(id) == destroy {
                Ok(Reply::Done)
            } else {
                Err(RequestError::Ended(reason))
            };
            self.resolve(id, result);
        }
        // Given up on while this engine kept it alive (the server could not
        // be reached for longer than the session lives): if the server still
        // has it, it is destroyed rather than left to expire there.
        if reason == EndReason::Expired && (s.keepalive || s.holds > 0) {
            self.cleanup(Request::Destroy { session: sid }, Some(sid), None);
        }
        self.events.push_back(Event::Session {
            session: sid,
            event: SessionEvent::Ended(reason),
        });
    }

    /// Ends a handle, resolving what addressed it.
    pub(crate) fn end_handle(&mut self, hid: HandleId, reason: EndReason) {
        let Some(h) = self.handles.remove(&hid) else {
            return;
        };
        let session = h.session;
        self.forget_handle(h);
        let mut doomed = Vec::new();
        if let Some(s) = self.sessions.get_mut(&session) {
            s.handles.remove(hid);
            doomed.extend(
                s.requests
                    .iter()
                    .filter(|id| self.requests.get(id).is_some_and(|p| p.handle == Some(hid))),
            );
        }
        for id in doomed {
            // Our own detach, overtaken by the `detached` event, succeeded.
            let ours = reason == EndReason::Detached
                && self
                    .requests
                    .get(&id)
                    .is_some_and(|p| matches!(p.request, Stored::Detach(_)));
            let result = if ours {
                // The server acted on it: it counts as the session's activity.
                self.request_answered(id);
                Ok(Reply::Done)
            } else {
                Err(RequestError::Ended(reason))
            };
            self.resolve(id, result);
        }
        self.events.push_back(Event::Handle {
            session,
            handle: hid,
            event: HandleEvent::Ended(reason),
        });
    }
}
