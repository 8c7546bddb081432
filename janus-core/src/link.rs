//! The WebSocket link: connecting, losing the connection, backing off,
//! rotating servers, re-claiming the sessions, and closing for good.

use crate::connection::{after, Connection};
use crate::error::RequestError;
use crate::ids::SessionId;
use crate::timers::TimerKey;
use crate::transaction::{Origin, ReqState};
use crate::types::{EndReason, Event, Request};

/// The state of the transport.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Link {
    /// A connection was asked for (attempt number `attempt` of a series).
    Connecting { attempt: u32 },
    /// Connected (always, for HTTP).
    Up,
    /// Waiting out the back-off before attempt number `attempt`.
    Waiting { attempt: u32 },
    /// Closed for good.
    Down,
}

impl Connection {
    pub(crate) fn on_connected(&mut self) {
        match self.link {
            Link::Connecting { .. } | Link::Waiting { .. } => {}
            Link::Up | Link::Down => return,
        }
        self.connect = None;
        self.timers
            .cancel(TimerKey::Reconnect, &mut self.reconnect_timer);
        self.link = Link::Up;
        if self.connected_once {
            self.counters.reconnects += 1;
        }
        self.connected_once = true;
        self.events.push_back(Event::Connected);
        let mut reclaim: Vec<SessionId> = self
            .sessions
            .iter()
            .filter(|(_, s)| s.reclaiming)
            .map(|(id, _)| *id)
            .collect();
        reclaim.sort_unstable();
        let timeout = self.config.request_timeout;
        for sid in reclaim {
            self.enqueue(
                Request::Claim {
                    session: sid,
                    keepalive: false,
                },
                Origin::Reclaim,
                timeout,
                Some(sid),
                None,
            );
        }
        self.arm_all_sessions();
    }

    /// Something went out on the WebSocket: unless a probe is already
    /// running, the link must answer (anything at all) within
    /// `Config::link_timeout`.
    pub(crate) fn probe_link(&mut self) {
        let timeout = self.config.link_timeout;
        if self.probe.is_some() || timeout.is_zero() || self.link != Link::Up {
            return;
        }
        self.probe = Some(self.now);
        let at = after(self.now, timeout);
        self.timers.set(TimerKey::Link, &mut self.probe_timer, at);
    }

    /// Something came in on the WebSocket: the link is alive (the probe
    /// looks at this when it is due; nothing else to do per frame).
    pub(crate) fn heard_from_server(&mut self) {
        self.last_heard = self.now;
        // Nothing left to hear about: an idle engine keeps no timer.
        if self.requests.is_empty() {
            self.stop_probe();
        }
    }

    /// Stops probing (the connection is gone).
    fn stop_probe(&mut self) {
        if self.probe.take().is_some() {
            self.timers.cancel(TimerKey::Link, &mut self.probe_timer);
        }
    }

    /// The probe is due. Something came in since it began: the link is
    /// alive, and if requests are still unanswered on the wire, the probe
    /// starts again from now. Nothing came in for the whole link timeout:
    /// the link is dead (a silent partition); it is closed and goes through
    /// reconnect and reclaim like any drop.
    pub(crate) fn on_probe_due(&mut self) {
        let Some(start) = self.probe.take() else {
            return;
        };
        if self.link != Link::Up {
            return;
        }
        if self.last_heard >= start {
            let unanswered = self.requests.iter().any(|(_, p)| p.state == ReqState::Sent);
            if unanswered {
                self.probe_link();
            }
            return;
        }
        let reason = format!(
            "no answer from the server within {:?} (link timeout): the connection is taken as dead",
            self.config.link_timeout
        );
        self.counters.dead_links += 1;
        self.close = Some(reason.clone());
        self.on_closed(&reason);
    }

    pub(crate) fn on_closed(&mut self, reason: &str) {
        // No probe outlives its connection.
        self.stop_probe();
        let reconnect = self.config.reconnect.max_attempts > 0;
        match self.link {
            Link::Down | Link::Waiting { .. } => {}
            Link::Up => {
                // Over a link that holds no session (a broker), what was
                // sent is still on its way to the server and its answer
                // may yet come: it stays in flight until then or its own
                // deadline. Otherwise it is lost with the link.
                if self.config.link_holds_sessions {
                    let mut sent: Vec<u64> = self
                        .requests
                        .iter()
                        .filter(|(_, p)| matches!(p.state, ReqState::Sent | ReqState::Acked))
                        .map(|(id, _)| *id)
                        .collect();
                    sent.sort_unstable();
                    for id in sent {
                        self.transport_failed(id, None);
                    }
                }
                self.events.push_back(Event::Disconnected {
                    reason: reason.to_owned(),
                    reconnecting: reconnect,
                });
                if reconnect {
                    if self.config.link_holds_sessions {
                        for s in self.sessions.values_mut() {
                            s.reclaiming = true;
                        }
                    }
                    self.arm_all_sessions();
                    self.wait_to_reconnect(0);
                } else {
                    self.go_down(EndReason::TransportLost);
                }
            }
            Link::Connecting { attempt } => {
                let attempt = attempt + 1;
                if !self.config.servers.is_empty() {
                    self.server_index = (self.server_index + 1) % self.config.servers.len();
                }
                if attempt >= self.config.reconnect.max_attempts {
                    self.events.push_back(Event::Disconnected {
                        reason: reason.to_owned(),
                        reconnecting: false,
                    });
                    self.go_down(EndReason::TransportLost);
                } else {
                    self.wait_to_reconnect(attempt);
                }
            }
        }
    }

    fn wait_to_reconnect(&mut self, attempt: u32) {
        self.link = Link::Waiting { attempt };
        self.connect = None;
        let mut wait = self.config.reconnect.backoff(attempt);
        if self.config.reconnect.jitter {
            // Between half the wait and all of it.
            let half = wait / 2;
            let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
            let extra = self.random() % nanos.saturating_add(1);
            wait = half + std::time::Duration::from_nanos(extra);
        }
        let at = after(self.now, wait);
        self.timers
            .set(TimerKey::Reconnect, &mut self.reconnect_timer, at);
    }

    pub(crate) fn on_reconnect_due(&mut self) {
        if let Link::Waiting { attempt } = self.link {
            self.link = Link::Connecting { attempt };
            self.connect = Some(
                self.config
                    .servers
                    .get(self.server_index)
                    .cloned()
                    .unwrap_or_default(),
            );
        }
    }

    /// Closed for good: fail everything, end everything.
    pub(crate) fn go_down(&mut self, reason: EndReason) {
        self.stop_probe();
        self.link = Link::Down;
        self.connect = None;
        self.timers
            .cancel(TimerKey::Reconnect, &mut self.reconnect_timer);
        let mut ids: Vec<u64> = self.requests.keys().copied().collect();
        ids.sort_unstable();
        for id in ids {
            self.resolve(id, Err(RequestError::TransportClosed));
        }
        let mut sids: Vec<SessionId> = self.sessions.keys().copied().collect();
        sids.sort_unstable();
        for sid in sids {
            self.end_session(sid, reason);
        }
        self.send_queue.clear();
        self.poll_queue.clear();
    }
}
