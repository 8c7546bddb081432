//! State does not grow with history, and the timer work of an idle engine
//! does not grow with the number of sessions (operations are counted, not timed).

mod common;

use common::{secs, Harness};
use janus_core::{Config, Event, Input, Reply, SessionId};
use serde_json::json;
use std::time::Instant;

fn lifecycle(h: &mut Harness, n: u64) {
    let s = h.create(1_000_000 + n);
    let hd = h.attach(s, 2_000_000 + n, "janus.plugin.echotest");
    let m = h.conn.message(h.now, hd, json!({"n": n}), None).unwrap();
    h.drain();
    let tx = h.last_tx("message");
    h.frame(json!({"janus":"ack","session_id":s.0,"transaction":tx}));
    h.frame(
        json!({"janus":"event","session_id":s.0,"transaction":tx,"sender":hd.0,
        "plugindata":{"plugin":"janus.plugin.echotest","data":{"result":"ok"}}}),
    );
    assert!(matches!(h.response(m), Ok(Reply::Plugin(_))));
    let d = h.conn.detach(h.now, hd).unwrap();
    h.drain();
    let tx = h.last_tx("detach");
    h.frame(json!({"janus":"success","session_id":s.0,"transaction":tx}));
    h.frame(json!({"janus":"detached","session_id":s.0,"sender":hd.0}));
    assert_eq!(h.response(d), Ok(Reply::Done));
    let x = h.conn.destroy(h.now, s).unwrap();
    h.drain();
    let tx = h.last_tx("destroy");
    h.frame(json!({"janus":"success","session_id":s.0,"transaction":tx}));
    assert_eq!(h.response(x), Ok(Reply::Done));
    h.advance(secs(1));
}

#[test]
fn nothing_is_left_after_every_session_ended() {
    let mut h = Harness::ws(Config::websocket("ws://x"));
    for n in 0..2_000 {
        lifecycle(&mut h, n);
        let ended = h.take_events();
        assert_eq!(ended.len(), 2, "{ended:?}");
        h.take_sent();
        assert!(
            h.conn.footprint().is_empty(),
            "after {n}: {:?}",
            h.conn.footprint()
        );
    }
    // And with endings of every other kind: timeout, expiry, transport loss.
    let a = h.create(1);
    h.attach(a, 11, "janus.plugin.echotest");
    h.frame(json!({"janus":"timeout","session_id":1}));
    let mut cfg = Config::websocket("ws://x");
    cfg.keepalive_interval = janus_core::KeepaliveInterval::Fixed(secs(1000));
    h.conn = janus_core::Connection::new(cfg, h.now);
    h.input(Input::Connected);
    let b = h.create(2);
    h.conn.ping(h.now).unwrap();
    h.advance(secs(100));
    assert!(h.conn.session_info(b).is_none());
    h.create(3);
    h.input(Input::Closed("bye"));
    while !h.conn.is_closed() {
        let d = h.conn.poll_timeout().unwrap();
        h.advance(d - h.now);
        if h.connects.len() > 1 {
            h.connects.truncate(1);
            h.input(Input::Closed("refused"));
        }
    }
    assert!(h.conn.footprint().is_empty(), "{:?}", h.conn.footprint());
}

fn idle_engine_with(sessions: u64) -> (janus_core::Connection, Instant) {
    let mut cfg = Config::websocket("ws://x");
    cfg.max_in_flight = usize::MAX;
    cfg.max_frame_size = usize::MAX;
    let mut h = Harness::ws(cfg);
    // Create the sessions in bulk: queue every create, then answer them all.
    let mut ids = Vec::new();
    for _ in 0..sessions {
        ids.push(h.conn.create_session(h.now).unwrap());
    }
    h.drain();
    let mut frame = String::new();
    for (n, f) in h.take_sent().iter().enumerate() {
        frame.push_str(
            &json!({"janus":"success","transaction":f["transaction"],"data":{"id":n as u64 + 1}})
                .to_string(),
        );
    }
    h.input(Input::Frame(frame.as_bytes()));
    let created = h
        .take_events()
        .iter()
        .filter(|e| {
            matches!(
                e,
                Event::Response {
                    result: Ok(Reply::SessionCreated(_)),
                    ..
                }
            )
        })
        .count();
    assert_eq!(created as u64, sessions);
    assert!(h.conn.session_info(SessionId(sessions)).is_some());
    (h.conn, h.now)
}

/// Counts the timer operations of `poll_timeout` and of an idle
/// `handle_timeout` (nothing due).
fn idle_work(conn: &mut janus_core::Connection, now: Instant) -> u64 {
    let before = conn.timer_operations();
    for _ in 0..10 {
        let deadline = conn.poll_timeout().unwrap();
        assert!(deadline > now);
        conn.handle_timeout(now);
    }
    conn.timer_operations() - before
}

#[test]
fn idle_timer_work_does_not_grow_with_sessions() {
    let (mut small, t1) = idle_engine_with(100);
    let (mut large, t2) = idle_engine_with(100_000);
    let a = idle_work(&mut small, t1);
    let b = idle_work(&mut large, t2);
    assert!(a > 0);
    assert_eq!(a, b, "100 sessions: {a} operations, 100,000 sessions: {b}");
}
