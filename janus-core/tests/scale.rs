//! State does not grow with history.

mod common;

use common::{secs, Harness};
use janus_core::{Config, Input, Reply};
use serde_json::json;
use std::time::Duration;

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
    // A client that gives up after five refused reconnects.
    cfg.reconnect.max_attempts = 5;
    // A silent server here means sessions expiring, not a dead link.
    cfg.link_timeout = Duration::ZERO;
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

// The timer-work test (idle work does not grow with sessions) counts
// operations through a test-only hook, so it lives inside the crate:
// `liveness::tests::idle_timer_work_does_not_grow_with_sessions`.
