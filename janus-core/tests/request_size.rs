//! `Config::max_request_size`: what a Unix-socket transport cannot carry is
//! refused at once, and everything up to the limit goes out.

mod common;

use common::Harness;
use janus_core::{CommandError, Config, Request, UNIX_MAX_REQUEST};
use serde_json::json;

fn unix_config() -> Config {
    let mut c = Config::websocket("unix:///run/janus.sock");
    c.link_timeout = std::time::Duration::ZERO;
    c.max_request_size = UNIX_MAX_REQUEST;
    c
}

/// A message on `handle` whose body carries `pad` bytes of text.
fn message(handle: janus_core::HandleId, pad: usize) -> Request {
    Request::Message {
        handle,
        body: json!({"request": "x".repeat(pad)}),
        jsep: None,
    }
}

#[test]
fn a_request_over_the_limit_fails_at_once_and_sends_nothing() {
    let mut h = Harness::ws(unix_config());
    let s = h.create(7);
    let handle = h.attach(s, 9, "janus.plugin.echotest");
    h.take_sent();
    let in_flight = h.conn.footprint();
    let refused = h.conn.request(h.now, message(handle, 9000)).unwrap_err();
    match &refused {
        CommandError::RequestTooLarge {
            request,
            size,
            limit,
        } => {
            assert_eq!((*request, *limit), ("message", UNIX_MAX_REQUEST));
            assert!(*size > 9000 && *size < 9100, "{size}");
        }
        other => panic!("{other:?}"),
    }
    let text = refused.to_string();
    assert!(
        text.contains("8192 bytes") && text.contains("WebSocket or HTTP"),
        "{text}"
    );
    h.drain();
    assert!(h.take_sent().is_empty(), "nothing was sent");
    assert_eq!(h.conn.footprint(), in_flight, "nothing was queued");
    // The connection goes on as before.
    h.conn.request(h.now, message(handle, 10)).unwrap();
    h.drain();
    assert_eq!(h.take_sent().len(), 1);
}

#[test]
fn the_limit_counts_the_exact_bytes_sent() {
    let mut h = Harness::ws(unix_config());
    let s = h.create(1234567);
    let handle = h.attach(s, 7654321, "janus.plugin.echotest");
    // Find the padding whose frame is exactly the limit: the size named by
    // the refusal of a too-long one is the size that would have been sent.
    let size_of = |h: &mut Harness, pad: usize| match h.conn.request(h.now, message(handle, pad)) {
        Err(CommandError::RequestTooLarge { size, .. }) => size,
        other => panic!("{other:?}"),
    };
    let over = size_of(&mut h, UNIX_MAX_REQUEST);
    let exact = UNIX_MAX_REQUEST - (over - UNIX_MAX_REQUEST);
    assert_eq!(size_of(&mut h, exact + 1), UNIX_MAX_REQUEST + 1);
    h.sent_len.clear();
    h.conn.request(h.now, message(handle, exact)).unwrap();
    h.drain();
    assert_eq!(
        h.sent_len,
        [UNIX_MAX_REQUEST],
        "a request of exactly the limit goes out"
    );
}

#[test]
fn no_limit_by_default() {
    let mut c = unix_config();
    c.max_request_size = 0;
    let mut h = Harness::ws(c);
    let s = h.create(1);
    let handle = h.attach(s, 2, "janus.plugin.echotest");
    h.sent_len.clear();
    h.conn.request(h.now, message(handle, 100_000)).unwrap();
    h.drain();
    assert!(h.sent_len[0] > 100_000);
    assert_eq!(Config::default().max_request_size, 0);
}

#[test]
fn each_request_in_flight_tells_its_own_timeout() {
    let mut c = Config::websocket("amqp://broker?server=a");
    c.transaction_prefix = "c9-".into();
    c.request_timeout = common::secs(15);
    let mut h = Harness::ws(c);
    let s = h.create(1);
    let handle = h.attach(s, 2, "janus.plugin.echotest");
    let answered = h.last_tx("attach");
    h.take_sent();
    h.conn.request(h.now, message(handle, 1)).unwrap();
    h.conn
        .request_with_timeout(h.now, Request::Keepalive { session: s }, common::secs(3))
        .unwrap();
    h.drain();
    let sent = h.take_sent();
    let tx = |i: usize| sent[i]["transaction"].as_str().unwrap().to_owned();
    assert_eq!(h.conn.request_timeout_of(&tx(0)), Some(common::secs(15)));
    assert_eq!(h.conn.request_timeout_of(&tx(1)), Some(common::secs(3)));
    // Not ours, or no longer in flight.
    assert_eq!(h.conn.request_timeout_of("c8-1"), None);
    assert_eq!(h.conn.request_timeout_of("c9-x"), None);
    assert_eq!(h.conn.request_timeout_of(&answered), None);
}
