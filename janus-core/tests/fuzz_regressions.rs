//! Engine bugs found by the simulation and the fuzz targets (`tests/sim`,
//! `fuzz/`), each pinned by the smallest input that showed it.

mod common;

use common::Harness;
use janus_core::{Config, ProtocolError, Reply, RequestError, SessionId};
use serde_json::json;

fn malformed(r: Result<Reply, RequestError>) -> String {
    match r {
        Err(RequestError::Protocol(ProtocolError::Malformed(m))) => m,
        other => panic!("expected a protocol error, got {other:?}"),
    }
}

/// Found by the `http` fuzz target: an `ack` answering a `create` resolved
/// it as `Ok(Reply::Ack)`, a success with no session. A reply of a kind
/// that cannot answer the request is a protocol error.
#[test]
fn a_reply_of_the_wrong_kind_is_not_a_success() {
    let mut h = Harness::ws(Config::websocket("ws://x"));
    let c = h.conn.create_session(h.now).unwrap();
    h.drain();
    let tx = h.last_tx("create");
    h.frame(json!({"janus":"ack","transaction":tx}));
    assert_eq!(malformed(h.response(c)), "`ack` does not answer `create`");
    assert_eq!(h.conn.sessions().count(), 0);

    let s = h.create(5);
    // A `pong` to a `destroy` must not pass for "destroyed" while the
    // session is still tracked.
    let d = h.conn.destroy(h.now, s).unwrap();
    h.drain();
    let tx = h.last_tx("destroy");
    h.frame(json!({"janus":"pong","transaction":tx}));
    assert_eq!(malformed(h.response(d)), "`pong` does not answer `destroy`");
    assert!(h.conn.session_info(s).is_some());

    // `info` is answered by `server_info` only.
    let i = h.conn.info(h.now).unwrap();
    h.drain();
    let tx = h.last_tx("info");
    h.frame(json!({"janus":"success","transaction":tx}));
    assert_eq!(malformed(h.response(i)), "`success` does not answer `info`");
    let p = h.conn.ping(h.now).unwrap();
    h.drain();
    let tx = h.last_tx("ping");
    h.frame(json!({"janus":"server_info","transaction":tx}));
    assert_eq!(
        malformed(h.response(p)),
        "`server_info` does not answer `ping`"
    );

    // The right kinds still succeed.
    let k = h.conn.keepalive(h.now, SessionId(5)).unwrap();
    h.drain();
    let tx = h.last_tx("keepalive");
    h.frame(json!({"janus":"ack","session_id":5,"transaction":tx}));
    assert_eq!(h.response(k), Ok(Reply::Ack));
    let p = h.conn.ping(h.now).unwrap();
    h.drain();
    let tx = h.last_tx("ping");
    h.frame(json!({"janus":"pong","transaction":tx}));
    assert_eq!(h.response(p), Ok(Reply::Done));
    assert!(h.take_events().is_empty());
}

/// The same over HTTP, where the POST's body must settle its request.
#[test]
fn an_http_create_answered_with_ack_fails() {
    let mut h = Harness::new(Config::http());
    let c = h.conn.create_session(h.now).unwrap();
    h.drain();
    let (post, body) = h.take_post("create");
    let tx = body["transaction"].clone();
    h.http_reply(
        post.id,
        200,
        &json!({"janus":"ack","transaction":tx}).to_string(),
    );
    assert_eq!(malformed(h.response(c)), "`ack` does not answer `create`");
    assert!(h.take_polls().is_empty(), "no session, no long poll");
    assert!(h.conn.footprint().is_empty(), "{:?}", h.conn.footprint());
}

/// Found by the `http` fuzz target: a server answering an `attach` with a
/// handle id already attached (here in another session) made two handles
/// share one lifetime. The second attach is refused as malformed and the
/// first handle is untouched.
#[test]
fn an_attach_answered_with_a_live_handle_id_is_refused() {
    let mut h = Harness::ws(Config::websocket("ws://x"));
    let (s1, s2) = (h.create(5), h.create(6));
    let a = h
        .conn
        .attach(h.now, s1, "janus.plugin.echotest", None)
        .unwrap();
    h.drain();
    let tx = h.last_tx("attach");
    h.frame(json!({"janus":"success","session_id":5,"transaction":tx,"data":{"id":77}}));
    assert!(matches!(h.response(a), Ok(Reply::Attached(id)) if id.0 == 77));

    let b = h
        .conn
        .attach(h.now, s2, "janus.plugin.videoroom", None)
        .unwrap();
    h.drain();
    let tx = h.last_tx("attach");
    h.frame(json!({"janus":"success","session_id":6,"transaction":tx,"data":{"id":77}}));
    assert_eq!(
        malformed(h.response(b)),
        "`attach` answered with handle 77, which is already attached"
    );
    let info = h.conn.handle_info(janus_core::HandleId(77)).unwrap();
    assert_eq!(
        (info.session, info.plugin.as_str()),
        (s1, "janus.plugin.echotest")
    );
    assert!(h.conn.session_info(s2).unwrap().handles.is_empty());
}

/// A caller's `Duration::MAX` as a timeout means "no deadline to speak of",
/// never an overflow panic inside the engine.
#[test]
fn an_enormous_timeout_does_not_overflow() {
    let mut config = Config::websocket("ws://x");
    config.request_timeout = std::time::Duration::MAX;
    let mut h = Harness::ws(config);
    let s = h.create(5);
    let k = h
        .conn
        .request_with_timeout(
            h.now,
            janus_core::Request::Keepalive { session: s },
            std::time::Duration::MAX,
        )
        .unwrap();
    h.drain();
    let tx = h.last_tx("keepalive");
    h.frame(json!({"janus":"ack","session_id":5,"transaction":tx}));
    assert_eq!(h.response(k), Ok(Reply::Ack));
    assert!(h.conn.poll_timeout().is_some());
}
