//! The session ledger against event streams shaped like what Janus 1.1.2's
//! event handlers deliver for every way a session ends, with lost,
//! duplicated and late events, restarts and polls.

use janus_core::monitor::{Change, Entry, HandleEnd, Monitor, Seen, SessionEnd};
use janus_core::SessionId;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const A: &str = "janus-a";

fn created(sid: u64, instance: &str) -> Value {
    json!({"emitter": A, "type": 1, "timestamp": 1, "session_id": sid,
           "event": {"name": "created",
                     "transport": {"transport": "janus.transport.websockets", "id": instance}}})
}
fn session(sid: u64, name: &str) -> Value {
    json!({"emitter": A, "type": 1, "timestamp": 2, "session_id": sid, "event": {"name": name}})
}
fn handle(sid: u64, hid: u64, name: &str) -> Value {
    json!({"emitter": A, "type": 2, "timestamp": 3, "session_id": sid, "handle_id": hid,
           "event": {"name": name, "plugin": "janus.plugin.echotest"}})
}
fn transport(instance: &str, what: &str) -> Value {
    json!({"emitter": A, "type": 128, "timestamp": 4,
           "event": {"transport": "janus.transport.websockets", "id": instance,
                     "data": {"event": what, "admin_api": false}}})
}
fn request() -> Value {
    json!({"emitter": A, "type": 128, "timestamp": 5,
           "event": {"transport": "janus.transport.http", "id": "0x9",
                     "data": {"event": "request", "admin_api": true}}})
}

struct Ledger {
    monitor: Monitor,
    now: Instant,
}

impl Ledger {
    fn new(reclaim: u64) -> Self {
        let mut monitor = Monitor::new(Duration::from_secs(10));
        monitor.set_reclaim_timeout(A, reclaim);
        Ledger {
            monitor,
            now: Instant::now(),
        }
    }

    /// Delivers `events` in one array (grouping on).
    fn deliver(&mut self, events: &[Value]) -> Vec<Change> {
        let body = Value::Array(events.to_vec()).to_string();
        self.monitor
            .handle_events(self.now, body.as_bytes(), A)
            .unwrap();
        self.take()
    }

    fn take(&mut self) -> Vec<Change> {
        std::iter::from_fn(|| self.monitor.poll_output())
            .map(|Entry { change, .. }| change)
            .collect()
    }
}

fn closed(sid: u64, reason: SessionEnd) -> Change {
    Change::SessionClosed {
        session: SessionId(sid),
        reason,
    }
}

fn opened_by_created(changes: &[Change], sid: u64) -> bool {
    matches!(changes.first(), Some(Change::SessionOpened { session, seen: Seen::Created, transport })
        if *session == SessionId(sid) && transport.as_deref() == Some("janus.transport.websockets"))
}

#[test]
fn client_destroy_and_admin_destroy_close_as_destroyed() {
    let mut l = Ledger::new(0);
    let c = l.deliver(&[
        created(1, "0x1"),
        handle(1, 10, "attached"),
        handle(1, 10, "detached"),
        session(1, "destroyed"),
    ]);
    assert!(opened_by_created(&c, 1), "{c:?}");
    assert!(
        matches!(&c[1], Change::HandleOpened { plugin: Some(p), .. } if p == "janus.plugin.echotest")
    );
    assert!(matches!(
        &c[2],
        Change::HandleClosed {
            reason: HandleEnd::Detached,
            ..
        }
    ));
    assert_eq!(c[3], closed(1, SessionEnd::Destroyed));
    assert_eq!(c.len(), 4);
    // Through the Admin API: the same, with the admin request's own event.
    let c = l.deliver(&[created(2, "0x1"), request(), session(2, "destroyed")]);
    assert_eq!(c[1], closed(2, SessionEnd::Destroyed));
}

#[test]
fn the_watchdog_closes_as_timeout_and_its_handles_with_it() {
    let mut l = Ledger::new(0);
    l.deliver(&[created(3, "0x1"), handle(3, 30, "attached")]);
    let c = l.deliver(&[session(3, "timeout"), handle(3, 30, "detached")]);
    assert!(matches!(
        &c[0],
        Change::HandleClosed {
            reason: HandleEnd::SessionEnded,
            ..
        }
    ));
    assert_eq!(c[1], closed(3, SessionEnd::Timeout));
    assert_eq!(c.len(), 2, "the detached after the end changes nothing");
    assert_eq!(l.monitor.counters().stale, 1);
}

#[test]
fn a_websocket_closed_with_reclaim_off_is_transport_gone() {
    let mut l = Ledger::new(0);
    l.deliver(&[
        created(4, "0x1"),
        created(5, "0x2"),
        transport("0x1", "connected"),
    ]);
    let c = l.deliver(&[
        handle(4, 40, "attached"),
        handle(4, 40, "detached"),
        transport("0x1", "disconnected"),
    ]);
    assert_eq!(c.last(), Some(&closed(4, SessionEnd::TransportGone)));
    assert_eq!(
        l.monitor.open_sessions(A),
        [SessionId(5)],
        "another transport's session stays"
    );
}

#[test]
fn with_reclaim_on_a_disconnect_waits_for_the_timeout() {
    let mut l = Ledger::new(5);
    l.deliver(&[created(6, "0x1")]);
    assert!(l.deliver(&[transport("0x1", "disconnected")]).is_empty());
    assert_eq!(
        l.deliver(&[session(6, "timeout")]),
        [closed(6, SessionEnd::Timeout)]
    );
}

#[test]
fn lost_events_are_made_up_for_by_other_events_and_polls() {
    let mut l = Ledger::new(0);
    // `created` lost: the handle event opens it.
    let c = l.deliver(&[handle(7, 70, "attached")]);
    assert!(matches!(
        &c[0],
        Change::SessionOpened {
            seen: Seen::Event,
            ..
        }
    ));
    // A session only a poll knows of.
    let asked = l.now;
    l.now += Duration::from_secs(1);
    l.monitor
        .handle_poll(l.now, A, asked, &[SessionId(7), SessionId(8)]);
    let c = l.take();
    assert!(
        matches!(
            &c[..],
            [Change::SessionOpened {
                session: SessionId(8),
                seen: Seen::Poll,
                ..
            }]
        ),
        "{c:?}"
    );
    // `destroyed` lost: gone from a later poll, closed as vanished once the
    // grace period passes without an event.
    l.now += Duration::from_secs(5);
    let asked = l.now;
    l.monitor.handle_poll(l.now, A, asked, &[SessionId(8)]);
    assert!(l.take().is_empty(), "not before the grace period");
    assert_eq!(
        l.monitor.poll_timeout(),
        Some(l.now + Duration::from_secs(10))
    );
    l.now += Duration::from_secs(10);
    l.monitor.handle_timeout(l.now);
    let c = l.take();
    assert!(matches!(
        &c[0],
        Change::HandleClosed {
            reason: HandleEnd::SessionEnded,
            ..
        }
    ));
    assert_eq!(c[1], closed(7, SessionEnd::Vanished));
    // A late `destroyed` for it changes nothing.
    assert!(l.deliver(&[session(7, "destroyed")]).is_empty());
}

#[test]
fn a_late_event_within_the_grace_period_gives_the_real_reason() {
    let mut l = Ledger::new(0);
    l.deliver(&[created(9, "0x1")]);
    l.now += Duration::from_secs(1);
    let asked = l.now;
    l.monitor.handle_poll(l.now, A, asked, &[]);
    l.now += Duration::from_secs(3);
    assert_eq!(
        l.deliver(&[session(9, "destroyed")]),
        [closed(9, SessionEnd::Destroyed)]
    );
    l.now += Duration::from_secs(20);
    l.monitor.handle_timeout(l.now);
    assert!(l.take().is_empty(), "closed once");
}

#[test]
fn a_poll_asked_before_a_session_was_opened_does_not_close_it() {
    let mut l = Ledger::new(0);
    let asked = l.now;
    l.now += Duration::from_millis(10);
    l.deliver(&[created(11, "0x1")]);
    l.monitor.handle_poll(l.now, A, asked, &[]);
    l.now += Duration::from_secs(30);
    l.monitor.handle_timeout(l.now);
    assert!(l.take().is_empty());
    assert_eq!(l.monitor.open_sessions(A), [SessionId(11)]);
}

#[test]
fn duplicates_change_nothing_and_ids_can_come_back() {
    let mut l = Ledger::new(0);
    let c = l.deliver(&[
        created(12, "0x1"),
        created(12, "0x1"),
        session(12, "destroyed"),
        session(12, "destroyed"),
    ]);
    assert_eq!(c.len(), 2, "{c:?}");
    // The same id created again later (ids of the caller's choosing).
    let c = l.deliver(&[created(12, "0x2")]);
    assert!(opened_by_created(&c, 12));
}

#[test]
fn a_restart_closes_everything_the_server_held() {
    let mut l = Ledger::new(0);
    l.deliver(&[created(13, "0x1"), created(14, "0x1")]);
    let started = json!({"emitter": A, "type": 256, "subtype": 1, "timestamp": 9,
                         "event": {"status": "started"}});
    let c = l.deliver(&[started]);
    assert_eq!(
        c,
        [
            closed(13, SessionEnd::ServerRestarted),
            closed(14, SessionEnd::ServerRestarted)
        ]
    );
}

#[test]
fn servers_are_told_apart_by_their_emitter() {
    let mut l = Ledger::new(0);
    let mut other = created(15, "0x1");
    other["emitter"] = json!("janus-b");
    let c = l.deliver(&[created(15, "0x1"), other]);
    assert_eq!(c.len(), 2);
    l.deliver(&[session(15, "destroyed")]);
    assert!(l.monitor.open_sessions(A).is_empty());
    assert_eq!(l.monitor.open_sessions("janus-b"), [SessionId(15)]);
}

#[test]
fn ungrouped_deliveries_bad_elements_and_bad_bodies() {
    let mut l = Ledger::new(0);
    let one = created(16, "0x1").to_string();
    assert_eq!(
        l.monitor.handle_events(l.now, one.as_bytes(), A).unwrap(),
        1
    );
    let mixed = json!([created(17, "0x1"), 42, {"no": "type"}]).to_string();
    assert_eq!(
        l.monitor.handle_events(l.now, mixed.as_bytes(), A).unwrap(),
        1
    );
    assert_eq!(l.monitor.counters().skipped, 2);
    let err = l.monitor.handle_events(l.now, b"not json", A).unwrap_err();
    assert!(err.to_string().contains("not JSON"));
    // Without an emitter, the default server's.
    let mut bare = created(18, "0x1");
    bare.as_object_mut().unwrap().remove("emitter");
    l.monitor
        .handle_events(l.now, bare.to_string().as_bytes(), "fallback")
        .unwrap();
    assert_eq!(l.monitor.open_sessions("fallback"), [SessionId(18)]);
}
