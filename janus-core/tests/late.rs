//! Answers that come after their request timed out: what a late `create`
//! or `attach` made is destroyed or detached, a late plugin reply reaches
//! its handle marked as late, and nothing resolves twice.

mod common;

use common::{secs, Harness};
use janus_core::{Config, Event, HandleEvent, Request, RequestError, RequestId, SessionId};
use serde_json::json;

fn config() -> Config {
    let mut c = Config::websocket("ws://127.0.0.1:8188");
    c.link_timeout = std::time::Duration::ZERO;
    c.request_timeout = secs(2);
    c
}

fn timed_out(h: &mut Harness, id: RequestId) {
    h.advance(secs(2));
    assert!(
        matches!(h.response(id), Err(RequestError::TimedOut { .. })),
        "the request timed out first"
    );
}

#[test]
fn a_late_create_is_destroyed() {
    let mut h = Harness::ws(config());
    let id = h.conn.create_session(h.now).unwrap();
    h.drain();
    let tx = h.last_tx("create");
    timed_out(&mut h, id);
    h.take_sent();
    h.frame(json!({"janus":"success","transaction":tx,"data":{"id":77}}));
    assert!(h.take_events().is_empty(), "nothing resolves twice");
    assert!(h.conn.session_info(SessionId(77)).is_none(), "not adopted");
    let destroy = h.take_sent();
    assert_eq!(destroy.len(), 1);
    assert_eq!(
        (&destroy[0]["janus"], &destroy[0]["session_id"]),
        (&json!("destroy"), &json!(77))
    );
    let counters = h.conn.counters();
    assert_eq!((counters.late_replies, counters.cleanups), (1, 1));
    // Its answer reports to nobody.
    let tx = destroy[0]["transaction"].clone();
    h.frame(json!({"janus":"success","session_id":77,"transaction":tx}));
    assert!(h.take_events().is_empty());
    assert!(h.conn.footprint().is_empty(), "{:?}", h.conn.footprint());
}

#[test]
fn a_late_attach_is_detached() {
    let mut h = Harness::ws(config());
    let s = h.create(7);
    let id = h
        .conn
        .attach(h.now, s, "janus.plugin.echotest", None)
        .unwrap();
    h.drain();
    let tx = h.last_tx("attach");
    timed_out(&mut h, id);
    h.take_sent();
    h.frame(json!({"janus":"success","session_id":7,"transaction":tx,"data":{"id":88}}));
    assert!(h.take_events().is_empty());
    let detach = h.take_sent();
    assert_eq!(
        (&detach[0]["janus"], &detach[0]["handle_id"]),
        (&json!("detach"), &json!(88))
    );
    let tx = detach[0]["transaction"].clone();
    h.frame(json!({"janus":"success","session_id":7,"transaction":tx}));
    assert!(h.take_events().is_empty(), "the session is not touched");
    assert!(h.conn.session_info(s).is_some());
}

#[test]
fn a_late_plugin_reply_reaches_its_handle_marked_late() {
    let mut h = Harness::ws(config());
    let s = h.create(7);
    let hid = h.attach(s, 70, "janus.plugin.echotest");
    let id = h
        .conn
        .message(h.now, hid, json!({"audio": true}), None)
        .unwrap();
    h.drain();
    let tx = h.last_tx("message");
    timed_out(&mut h, id);
    // Its ack and its event come after the deadline.
    h.frame(json!({"janus":"ack","session_id":7,"transaction":tx}));
    assert!(h.take_events().is_empty());
    h.frame(
        json!({"janus":"event","session_id":7,"sender":70,"transaction":tx,
                   "plugindata":{"plugin":"janus.plugin.echotest",
                                 "data":{"echotest":"event","result":"ok"}}}),
    );
    let events = h.take_events();
    let [Event::Handle {
        handle,
        event: HandleEvent::LateReply { request, reply },
        ..
    }] = &events[..]
    else {
        panic!("{events:?}")
    };
    assert_eq!((*handle, *request), (hid, id));
    assert_eq!(reply.as_ref().unwrap().data["result"], "ok");
    assert_eq!(h.conn.counters().late_replies, 1);
}

#[test]
fn other_late_answers_are_counted_and_dropped() {
    let mut h = Harness::ws(config());
    let id = h.conn.request(h.now, Request::Info).unwrap();
    h.drain();
    let tx = h.last_tx("info");
    timed_out(&mut h, id);
    h.frame(json!({"janus":"server_info","transaction":tx}));
    assert!(h.take_events().is_empty());
    assert_eq!(h.conn.counters().late_replies, 1);
    // Remembered once: a second answer is an error nobody asked for, and
    // says so.
    h.frame(json!({"janus":"error","transaction":tx,"error":{"code":490,"reason":"x"}}));
    let events = h.take_events();
    assert!(
        matches!(&events[..], [Event::ProtocolError(e)] if e.to_string().contains("490")),
        "{events:?}"
    );
    assert_eq!(h.conn.counters().late_replies, 1);
}

#[test]
fn a_request_settled_here_then_answered_still_counts_as_activity() {
    let mut cfg = config();
    cfg.session_timeout = secs(10);
    cfg.expiry_grace = secs(0);
    cfg.request_timeout = secs(5);
    let mut h = Harness::ws(cfg);
    let s = h.create(7);
    let hid = h.attach(s, 70, "janus.plugin.echotest");
    h.advance(secs(3));
    h.conn.set_keepalive(s, false).unwrap();
    let t = h
        .conn
        .trickle(h.now, hid, janus_core::Trickle::Completed)
        .unwrap();
    h.drain();
    let tx = h.last_tx("trickle");
    // The server detaches the handle before answering the trickle: the
    // trickle fails here as the handle ended...
    h.frame(json!({"janus":"detached","session_id":7,"sender":70}));
    assert!(matches!(h.response(t), Err(RequestError::Ended(_))));
    assert_eq!(h.conn.expires_at(s), Some(h.start + secs(10)));
    // ...and its answer, late, still says the server saw it at 3 s.
    h.frame(json!({"janus":"error","session_id":7,"transaction":tx,
                   "error":{"code":459,"reason":"No such handle"}}));
    assert_eq!(h.conn.expires_at(s), Some(h.start + secs(13)));
    assert!(h
        .take_events()
        .iter()
        .all(|e| !matches!(e, Event::ProtocolError(_))));
}

#[test]
fn create_with_an_id_still_held_is_refused() {
    let mut h = Harness::ws(config());
    let s = h.create(4);
    h.take_sent();
    let err = h
        .conn
        .request(h.now, Request::Create { id: Some(s) })
        .unwrap_err();
    assert_eq!(err, janus_core::CommandError::SessionIdInUse(s));
    assert!(err.to_string().contains("wait for the destroy to finish"));
    assert!(h.take_sent().is_empty(), "nothing sent");
}
