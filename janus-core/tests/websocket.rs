//! The WebSocket transport, driven with a fake clock.

mod common;

use common::{ms, secs, Harness};
use janus_core::{
    CommandError, Config, EndReason, Event, HandleEvent, HandleId, Input, JanusErrorKind,
    KeepaliveInterval, ProtocolError, Reply, RequestError, SessionEvent, SessionId, Trickle,
};
use serde_json::json;

/// The WebSocket defaults, but a silent fake server is not a dead link
/// here (the link timeout has tests of its own in `reconnect.rs`).
fn config() -> Config {
    let mut c = Config::websocket("ws://127.0.0.1:8188");
    c.link_timeout = std::time::Duration::ZERO;
    c
}

#[test]
fn asks_to_connect_first_and_queues_commands_until_connected() {
    let mut h = Harness::new(config());
    assert_eq!(h.connects, [(secs(0), "ws://127.0.0.1:8188".to_string())]);
    let id = h.conn.info(h.now).unwrap();
    h.drain();
    assert!(
        h.sent.is_empty(),
        "nothing is sent before the connection is up"
    );
    h.input(Input::Connected);
    assert_eq!(h.take_events(), [Event::Connected]);
    let tx = h.last_tx("info");
    h.frame(
        json!({"janus":"server_info","transaction":tx,"version":1102,"session-timeout":60,
                   "plugins":{"janus.plugin.echotest":{}}}),
    );
    match h.response(id) {
        Ok(Reply::ServerInfo(info)) => {
            assert_eq!(info.version, Some(1102));
            assert_eq!(info.session_timeout, Some(60));
            assert_eq!(info.plugins, ["janus.plugin.echotest"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn transactions_are_unique_and_carry_the_prefix() {
    let mut cfg = config();
    cfg.transaction_prefix = "c7-".into();
    cfg.first_request_id = 100;
    let mut h = Harness::ws(cfg);
    let a = h.conn.info(h.now).unwrap();
    let b = h.conn.ping(h.now).unwrap();
    h.drain();
    assert_ne!(a, b);
    let txs: Vec<_> = h.sent.iter().map(|f| f["transaction"].clone()).collect();
    assert_eq!(txs, [json!("c7-100"), json!("c7-101")]);
    // A reply with a foreign transaction resolves nothing.
    h.frame(json!({"janus":"pong","transaction":"other-100"}));
    assert!(h.events.is_empty());
    h.frame(json!({"janus":"pong","transaction":"c7-101"}));
    assert_eq!(h.response(b), Ok(Reply::Done));
}

#[test]
fn full_lifecycle_with_event_before_ack() {
    let mut h = Harness::ws(config());
    let s = h.create(8688074183371751);
    let frame = &h.sent[0];
    assert_eq!(frame["janus"], "create");
    assert!(frame.get("session_id").is_none());
    let hd = h.attach(s, 5214549746927061, "janus.plugin.echotest");
    assert_eq!(h.sent.last().unwrap()["plugin"], "janus.plugin.echotest");
    assert_eq!(h.sent.last().unwrap()["session_id"], s.0);

    // message: the event arrives before the ack.
    let m = h
        .conn
        .message(h.now, hd, json!({"audio": true}), None)
        .unwrap();
    h.drain();
    let tx = h.last_tx("message");
    assert_eq!(h.sent.last().unwrap()["handle_id"], hd.0);
    assert_eq!(h.sent.last().unwrap()["body"], json!({"audio": true}));
    let event = json!({"janus":"event","session_id":s.0,"transaction":tx,"sender":hd.0,
        "plugindata":{"plugin":"janus.plugin.echotest","data":{"echotest":"event","result":"ok"}}});
    let ack = json!({"janus":"ack","session_id":s.0,"transaction":tx,"hint":"I'm taking my time!"});
    // Both in one frame, event first, as the server may send them.
    h.frame_str(&format!("{event}{ack}"));
    match h.response(m) {
        Ok(Reply::Plugin(p)) => {
            assert_eq!(p.plugin, "janus.plugin.echotest");
            assert_eq!(p.data["result"], "ok");
            assert!(p.asynchronous);
        }
        other => panic!("{other:?}"),
    }
    assert!(h.take_events().is_empty(), "the late ack is not reported");

    // message: ack first, then the event.
    let m = h
        .conn
        .message(h.now, hd, json!({"video": false}), None)
        .unwrap();
    h.drain();
    let tx = h.last_tx("message");
    h.frame(json!({"janus":"ack","session_id":s.0,"transaction":tx}));
    assert_eq!(h.count_responses(m), 0, "an ack does not resolve a message");
    h.frame(
        json!({"janus":"event","session_id":s.0,"transaction":tx,"sender":hd.0,
        "plugindata":{"plugin":"janus.plugin.echotest","data":{"result":"ok"}},
        "jsep":{"type":"answer","sdp":"v=0\r\n"}}),
    );
    match h.response(m) {
        Ok(Reply::Plugin(p)) => assert_eq!(p.jsep.unwrap().sdp, "v=0\r\n"),
        other => panic!("{other:?}"),
    }

    // trickle, hangup, detach (detached event first), destroy.
    let t = h.conn.trickle(h.now, hd, Trickle::Completed).unwrap();
    h.drain();
    let tx = h.last_tx("trickle");
    assert_eq!(
        h.sent.last().unwrap()["candidate"],
        json!({"completed": true})
    );
    h.frame(json!({"janus":"ack","session_id":s.0,"transaction":tx}));
    assert_eq!(h.response(t), Ok(Reply::Ack));

    let hu = h.conn.hangup(h.now, hd).unwrap();
    h.drain();
    let tx = h.last_tx("hangup");
    h.frame(json!({"janus":"hangup","session_id":s.0,"sender":hd.0,"reason":"Janus API"}));
    h.frame(json!({"janus":"success","session_id":s.0,"transaction":tx}));
    assert_eq!(h.response(hu), Ok(Reply::Done));
    assert_eq!(
        h.take_events(),
        [Event::Handle {
            session: s,
            handle: hd,
            event: HandleEvent::Hangup {
                reason: Some("Janus API".into())
            }
        }]
    );

    let d = h.conn.detach(h.now, hd).unwrap();
    h.drain();
    let tx = h.last_tx("detach");
    h.frame(json!({"janus":"detached","session_id":s.0,"sender":hd.0}));
    h.frame(json!({"janus":"success","session_id":s.0,"transaction":tx}));
    assert_eq!(h.response(d), Ok(Reply::Done));
    assert_eq!(
        h.take_events(),
        [Event::Handle {
            session: s,
            handle: hd,
            event: HandleEvent::Ended(EndReason::Detached)
        }]
    );
    assert_eq!(
        h.conn.message(h.now, hd, json!({}), None),
        Err(CommandError::UnknownHandle(hd))
    );

    let x = h.conn.destroy(h.now, s).unwrap();
    h.drain();
    let tx = h.last_tx("destroy");
    h.frame(json!({"janus":"success","session_id":s.0,"transaction":tx}));
    assert_eq!(h.response(x), Ok(Reply::Done));
    assert_eq!(
        h.take_events(),
        [Event::Session {
            session: s,
            event: SessionEvent::Ended(EndReason::Destroyed)
        }]
    );
    assert!(h.conn.footprint().is_empty(), "{:?}", h.conn.footprint());
}

#[test]
fn synchronous_plugin_reply_and_plugin_error_inside_success() {
    let mut h = Harness::ws(config());
    let s = h.create(1);
    let hd = h.attach(s, 2, "janus.plugin.videoroom");
    let ok = h
        .conn
        .message(h.now, hd, json!({"request":"list"}), None)
        .unwrap();
    let bad = h
        .conn
        .message(h.now, hd, json!({"request":"nosuch"}), None)
        .unwrap();
    h.drain();
    let txs: Vec<String> = h.sent[h.sent.len() - 2..]
        .iter()
        .map(|f| f["transaction"].as_str().unwrap().to_owned())
        .collect();
    h.frame(
        json!({"janus":"success","session_id":1,"transaction":txs[0],"sender":2,
        "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"success","list":[]}}}),
    );
    h.frame(json!({"janus":"success","session_id":1,"transaction":txs[1],"sender":2,
        "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"event","error_code":423,"error":"Unknown request 'nosuch'"}}}));
    match h.response(ok) {
        Ok(Reply::Plugin(p)) => {
            assert!(!p.asynchronous);
            assert_eq!(p.data["list"], json!([]));
        }
        other => panic!("{other:?}"),
    }
    match h.response(bad) {
        Err(RequestError::Plugin(e)) => {
            assert_eq!(e.plugin, "janus.plugin.videoroom");
            assert_eq!(e.code, 423);
            assert_eq!(e.reason, "Unknown request 'nosuch'");
        }
        other => panic!("a plugin error must not be a success: {other:?}"),
    }
}

#[test]
fn janus_errors_are_typed_and_458_459_end_what_they_name() {
    let mut h = Harness::ws(config());
    let s = h.create(10);
    let hd = h.attach(s, 20, "janus.plugin.echotest");
    let hd2 = h.attach(s, 21, "janus.plugin.echotest");

    let a = h.conn.attach(h.now, s, "janus.plugin.nope", None).unwrap();
    h.drain();
    let tx = h.last_tx("attach");
    h.frame(json!({"janus":"error","session_id":10,"transaction":tx,
        "error":{"code":460,"reason":"No such plugin 'janus.plugin.nope'"}}));
    match h.response(a) {
        Err(RequestError::Janus(e)) => {
            assert_eq!(e.code, 460);
            assert_eq!(e.kind, JanusErrorKind::PluginNotFound);
            assert_eq!(e.reason, "No such plugin 'janus.plugin.nope'");
        }
        other => panic!("{other:?}"),
    }
    assert!(h.take_events().is_empty(), "460 ends nothing");

    let m = h.conn.message(h.now, hd, json!({}), None).unwrap();
    h.drain();
    let tx = h.last_tx("message");
    h.frame(json!({"janus":"error","session_id":10,"transaction":tx,
        "error":{"code":459,"reason":"No such handle 20 in session 10"}}));
    assert!(
        matches!(h.response(m), Err(RequestError::Janus(e)) if e.kind == JanusErrorKind::HandleNotFound)
    );
    assert_eq!(
        h.take_events(),
        [Event::Handle {
            session: s,
            handle: hd,
            event: HandleEvent::Ended(EndReason::NotFound)
        }]
    );

    let k = h.conn.keepalive(h.now, s).unwrap();
    h.drain();
    let tx = h.last_tx("keepalive");
    h.frame(json!({"janus":"error","session_id":10,"transaction":tx,
        "error":{"code":458,"reason":"No such session 10"}}));
    assert!(matches!(h.response(k), Err(RequestError::Janus(e)) if e.code == 458));
    assert_eq!(
        h.take_events(),
        [
            Event::Handle {
                session: s,
                handle: hd2,
                event: HandleEvent::Ended(EndReason::NotFound)
            },
            Event::Session {
                session: s,
                event: SessionEvent::Ended(EndReason::NotFound)
            }
        ]
    );
    assert!(h.conn.footprint().is_empty());

    // An error with no transaction is reported, not lost, and resolves nothing.
    h.frame(json!({"janus":"error","error":{"code":456,"reason":"Missing mandatory element (transaction)"}}));
    assert!(matches!(
        &h.take_events()[..],
        [Event::ProtocolError(ProtocolError::Unsolicited(e))] if e.code == 456
    ));
}

#[test]
fn request_timeout_default_and_per_call_and_late_reply_ignored() {
    let mut cfg = config();
    cfg.request_timeout = secs(10);
    let mut h = Harness::ws(cfg);
    let a = h.conn.ping(h.now).unwrap();
    let b = h
        .conn
        .request_with_timeout(h.now, janus_core::Request::Ping, secs(2))
        .unwrap();
    h.drain();
    let tx_a = h.sent[0]["transaction"].as_str().unwrap().to_owned();
    h.advance(ms(1999));
    assert!(h.events.is_empty());
    h.advance(ms(1));
    let timed_out = |after| {
        Err(RequestError::TimedOut {
            request: "ping",
            after,
        })
    };
    assert_eq!(h.response(b), timed_out(secs(2)));
    assert_eq!(
        timed_out(secs(2)).unwrap_err().to_string(),
        "no reply to `ping` within 2s (the server is slow or unreachable; a longer timeout can be given per call)"
    );
    h.advance(ms(7999));
    assert!(h.events.is_empty());
    h.advance(ms(1));
    assert_eq!(h.response(a), timed_out(secs(10)));
    assert_eq!(h.conn.counters().timeouts, 2);
    h.frame(json!({"janus":"pong","transaction":tx_a}));
    assert!(
        h.take_events().is_empty(),
        "a late reply resolves nothing twice"
    );
    assert!(h.conn.footprint().is_empty());
}

#[test]
fn keepalive_is_sent_on_time_and_not_before() {
    let mut cfg = config();
    cfg.keepalive_interval = KeepaliveInterval::Fixed(secs(25));
    let mut h = Harness::ws(cfg);
    let s = h.create(7);
    h.take_sent();
    h.advance(ms(24_999));
    assert!(h.sent.is_empty(), "no keepalive before the interval");
    h.advance(ms(1));
    assert_eq!(h.sent.len(), 1);
    let tx = h.last_tx("keepalive");
    assert_eq!(h.sent[0]["session_id"], 7);
    h.frame(json!({"janus":"ack","session_id":7,"transaction":tx}));
    assert!(
        h.take_events().is_empty(),
        "automatic keepalives are not reported"
    );
    h.take_sent();

    // Any request to the session that the server answers pushes the next
    // keepalive back.
    h.advance(secs(10));
    let p = h
        .conn
        .attach(h.now, s, "janus.plugin.echotest", None)
        .unwrap();
    h.drain();
    let tx = h.last_tx("attach");
    h.frame(json!({"janus":"success","session_id":7,"transaction":tx,"data":{"id":70}}));
    assert!(h.response(p).is_ok());
    h.take_sent();
    h.advance(ms(24_999));
    assert!(h.sent.is_empty());
    h.advance(ms(1));
    h.last_tx("keepalive");
}

#[test]
fn only_what_the_server_answers_counts_as_activity() {
    let mut cfg = config();
    cfg.session_timeout = secs(20);
    cfg.expiry_grace = secs(2);
    cfg.keepalive_interval = KeepaliveInterval::Fixed(secs(5));
    let mut h = Harness::ws(cfg);
    let s = h.create(7);
    assert_eq!(h.conn.expires_at(s), Some(h.start + secs(22)));
    // A keepalive goes out at 5 s; unanswered, it moves nothing.
    h.advance(secs(5));
    let tx = h.last_tx("keepalive");
    assert_eq!(h.conn.expires_at(s), Some(h.start + secs(22)));
    // Its ack, a second later, dates the activity to when it was sent.
    h.advance(secs(1));
    h.frame(json!({"janus":"ack","session_id":7,"transaction":tx}));
    assert_eq!(h.conn.expires_at(s), Some(h.start + secs(27)));
    // Any request: not when sent, when answered.
    h.advance(secs(2));
    let d = h.conn.destroy(h.now, s).unwrap();
    h.drain();
    assert_eq!(
        h.conn.expires_at(s),
        Some(h.start + secs(27)),
        "not on send"
    );
    let tx = h.last_tx("destroy");
    h.frame(json!({"janus":"success","session_id":7,"transaction":tx}));
    assert_eq!(h.response(d), Ok(Reply::Done));
}

#[test]
fn auto_keepalive_follows_the_session_timeout_learned_from_info() {
    let mut h = Harness::ws(config());
    let s = h.create(7);
    let i = h.conn.info(h.now).unwrap();
    h.drain();
    let tx = h.last_tx("info");
    h.frame(json!({"janus":"server_info","transaction":tx,"session-timeout":8}));
    assert!(h.response(i).is_ok());
    assert_eq!(h.conn.session_timeout(), secs(8));
    // The configuration stays what the caller gave.
    assert_eq!(h.conn.config().session_timeout, secs(60));
    h.take_sent();
    h.advance(ms(3_999));
    assert!(h.sent.is_empty());
    h.advance(ms(1));
    let tx = h.last_tx("keepalive");
    // Sent but not yet answered: the create is still the last activity.
    assert_eq!(h.conn.time_left(s, h.now), Some(secs(9)));
    // Answered: the keepalive is, 8 s timeout + 5 s grace from when it went out.
    h.frame(json!({"janus":"ack","session_id":7,"transaction":tx}));
    assert_eq!(h.conn.time_left(s, h.now), Some(secs(13)));
}

#[test]
fn local_expiry_with_grace_holds_and_touch() {
    let mut cfg = config();
    cfg.session_timeout = secs(10);
    cfg.expiry_grace = secs(3);
    let mut h = Harness::ws(cfg);
    // A claimed session without keepalive.
    let c = h.conn.claim(h.now, SessionId(99), false).unwrap();
    h.drain();
    let tx = h.last_tx("claim");
    h.frame(json!({"janus":"success","session_id":99,"transaction":tx}));
    assert_eq!(h.response(c), Ok(Reply::Claimed(SessionId(99))));
    let s = SessionId(99);
    let info = h.conn.session_info(s).unwrap();
    assert_eq!(info.origin, janus_core::SessionOrigin::Claimed);
    assert!(!info.keepalive);
    assert_eq!(h.conn.expires_at(s), Some(h.now + secs(13)));

    h.take_sent();
    h.advance(secs(6));
    assert!(
        h.sent.is_empty(),
        "a claimed session is not kept alive unless asked"
    );
    h.conn.touch(h.now, s).unwrap();
    assert_eq!(h.conn.time_left(s, h.now), Some(secs(13)));

    // A hold keeps it alive: keepalives go out and it never expires.
    assert_eq!(h.conn.prevent_expire(s), Ok(1));
    assert_eq!(h.conn.prevent_expire(s), Ok(2));
    assert_eq!(h.conn.expires_at(s), None);
    h.advance(secs(60));
    assert!(h.sent.iter().any(|f| f["janus"] == "keepalive"));
    assert!(!h.conn.is_expired(s, h.now));
    // Answer the keepalives so the session shows life.
    for f in h.take_sent() {
        h.frame(json!({"janus":"ack","session_id":99,"transaction":f["transaction"]}));
    }
    assert_eq!(h.conn.allow_expire(s), Ok(1));
    assert_eq!(h.conn.allow_expire(s), Ok(0));
    assert!(h.conn.allow_expire(s).is_err());
    let left = h.conn.time_left(s, h.now).unwrap();
    assert!(left <= secs(13));
    h.advance(left - ms(1));
    assert!(h.events.is_empty());
    assert!(!h.conn.is_expired(s, h.now));
    h.advance(ms(1));
    assert_eq!(
        h.take_events(),
        [Event::Session {
            session: s,
            event: SessionEvent::Ended(EndReason::Expired)
        }]
    );
    assert!(h.conn.is_expired(s, h.now));
    h.advance(secs(100));
    assert!(h.events.is_empty(), "an ending is reported once");
    assert!(h.conn.footprint().is_empty());
}

#[test]
fn server_timeout_and_server_detached_end_with_their_reason() {
    let mut h = Harness::ws(config());
    let s = h.create(5);
    let a = h.attach(s, 50, "janus.plugin.echotest");
    let b = h.attach(s, 51, "janus.plugin.echotest");
    h.frame(json!({"janus":"detached","session_id":5,"sender":50}));
    assert_eq!(
        h.take_events(),
        [Event::Handle {
            session: s,
            handle: a,
            event: HandleEvent::Ended(EndReason::ServerDetached)
        }]
    );
    // A message in flight on the session fails when the session ends.
    let m = h.conn.message(h.now, b, json!({}), None).unwrap();
    h.drain();
    h.frame(json!({"janus":"timeout","session_id":5}));
    assert_eq!(
        h.response(m),
        Err(RequestError::Ended(EndReason::ServerTimeout))
    );
    assert_eq!(
        h.take_events(),
        [
            Event::Handle {
                session: s,
                handle: b,
                event: HandleEvent::Ended(EndReason::ServerTimeout)
            },
            Event::Session {
                session: s,
                event: SessionEvent::Ended(EndReason::ServerTimeout)
            }
        ]
    );
    h.frame(json!({"janus":"timeout","session_id":5}));
    h.frame(json!({"janus":"detached","session_id":5,"sender":51}));
    assert!(h.take_events().is_empty());
}

#[test]
fn handle_events_are_routed_by_sender() {
    let mut h = Harness::ws(config());
    let s = h.create(1);
    let a = h.attach(s, 11, "janus.plugin.echotest");
    let b = h.attach(s, 12, "janus.plugin.echotest");
    let frames = [
        json!({"janus":"webrtcup","session_id":1,"sender":12}),
        json!({"janus":"media","session_id":1,"sender":11,"mid":"0","type":"audio","receiving":true}),
        json!({"janus":"slowlink","session_id":1,"sender":12,"mid":"1","media":"video","uplink":true,"lost":7}),
        json!({"janus":"trickle","session_id":1,"sender":11,"candidate":{"sdpMid":"0","sdpMLineIndex":0,"candidate":"candidate:1 1 udp 1 192.0.2.2 5 typ host"}}),
        json!({"janus":"event","session_id":1,"sender":12,"plugindata":{"plugin":"janus.plugin.echotest","data":{"result":"done"}}}),
        json!({"janus":"future_thing","session_id":1,"sender":11,"x":1}),
        json!({"janus":"future_thing","session_id":1,"y":2}),
        json!({"janus":"webrtcup","session_id":1,"sender":999}),
    ];
    for f in &frames {
        h.frame(f.clone());
    }
    let ev = h.take_events();
    assert_eq!(ev.len(), 8, "{ev:?}");
    assert!(
        matches!(&ev[7], Event::Session { session: s2, event: SessionEvent::Unknown(raw) } if *s2 == s && raw["sender"] == 999)
    );
    // Events for sessions that are not tracked go to the connection.
    h.frame(json!({"janus":"webrtcup","session_id":77,"sender":999}));
    assert!(matches!(
        &h.take_events()[..],
        [Event::Unknown { session: Some(SessionId(77)), raw }] if raw["janus"] == "webrtcup"
    ));
    // A reply whose transaction is not a string cannot be matched: reported.
    h.frame(json!({"janus":"success","transaction":42}));
    assert!(matches!(
        &h.take_events()[..],
        [Event::ProtocolError(ProtocolError::Malformed(m))] if m.contains("not a string")
    ));
    let routed: Vec<(HandleId, &HandleEvent)> = ev
        .iter()
        .filter_map(|e| match e {
            Event::Handle { handle, event, .. } => Some((*handle, event)),
            _ => None,
        })
        .collect();
    assert_eq!(routed[0], (b, &HandleEvent::WebrtcUp));
    assert!(
        matches!(routed[1], (h, HandleEvent::Media { receiving: true, kind: Some(k), .. }) if h == a && k == "audio")
    );
    assert!(
        matches!(routed[2], (h, HandleEvent::Slowlink { uplink: true, lost: 7, .. }) if h == b)
    );
    assert!(
        matches!(routed[3], (h, HandleEvent::Trickle(Trickle::Candidate(c))) if h == a && c.sdp_mid.as_deref() == Some("0"))
    );
    assert!(matches!(routed[4], (h, HandleEvent::Plugin { transaction: None, .. }) if h == b));
    assert!(matches!(routed[5], (h, HandleEvent::Unknown(v)) if h == a && v["x"] == 1));
    assert!(
        matches!(&ev[6], Event::Session { session: s2, event: SessionEvent::Unknown(raw) } if *s2 == s && raw["y"] == 2)
    );
}

#[test]
fn malformed_input_is_reported_and_changes_nothing() {
    let mut cfg = config();
    cfg.max_frame_size = 256;
    let mut h = Harness::ws(cfg);
    let s = h.create(3);
    h.attach(s, 4, "janus.plugin.echotest");
    let p = h.conn.ping(h.now).unwrap();
    h.drain();
    let tx = h.last_tx("ping");
    let before = h.conn.footprint();
    for bad in [
        "",
        "{",
        "[1]",
        "42",
        r#"{"no_janus":1}"#,
        r#"{"janus":"error","transaction":"zzz"}"#,
        r#"{"janus":"trickle","session_id":3,"sender":4}"#,
        "\u{0}\u{ff}",
    ] {
        h.frame_str(bad);
    }
    let big = format!(
        r#"{{"janus":"pong","transaction":"{tx}","pad":"{}"}}"#,
        "x".repeat(300)
    );
    h.frame_str(&big);
    let ev = h.take_events();
    assert!(
        ev.iter().all(|e| matches!(e, Event::ProtocolError(_))),
        "{ev:?}"
    );
    assert!(ev.iter().any(|e| matches!(e, Event::ProtocolError(ProtocolError::FrameTooLarge { size, limit: 256 }) if *size > 256)));
    assert_eq!(h.conn.footprint(), before);
    assert!(h.conn.session_info(s).is_some());
    h.frame(json!({"janus":"pong","transaction":tx}));
    assert_eq!(h.response(p), Ok(Reply::Done));
}

#[test]
fn too_many_requests_in_flight_is_a_typed_error() {
    let mut cfg = config();
    cfg.max_in_flight = 2;
    let mut h = Harness::ws(cfg);
    let a = h.conn.ping(h.now).unwrap();
    h.conn.ping(h.now).unwrap();
    assert_eq!(
        h.conn.ping(h.now),
        Err(CommandError::TooManyRequests { limit: 2 })
    );
    h.drain();
    let tx = h.sent[0]["transaction"].clone();
    h.frame(json!({"janus":"pong","transaction":tx}));
    assert_eq!(h.response(a), Ok(Reply::Done));
    assert!(h.conn.ping(h.now).is_ok());
    assert_eq!(h.sent.len(), 2, "the refused request was never sent");
}

#[test]
fn misuse_is_refused_without_changing_state() {
    let mut h = Harness::ws(config());
    assert_eq!(
        h.conn
            .attach(h.now, SessionId(1), "janus.plugin.echotest", None),
        Err(CommandError::UnknownSession(SessionId(1)))
    );
    let s = h.create(1);
    let hd = h.attach(s, 2, "janus.plugin.echotest");
    assert!(matches!(
        h.conn.message(h.now, hd, json!([1]), None),
        Err(CommandError::InvalidArgument(_))
    ));
    assert!(matches!(
        h.conn.trickle(h.now, hd, Trickle::Candidates(vec![])),
        Err(CommandError::InvalidArgument(_))
    ));
    assert!(matches!(
        h.conn.attach(h.now, s, "", None),
        Err(CommandError::InvalidArgument(_))
    ));
    assert!(h
        .conn
        .handle_input(
            h.now,
            Input::HttpFailed {
                id: janus_core::ExchangeId(1),
                reason: "x"
            }
        )
        .is_err());
    assert_eq!(h.conn.footprint().requests, 0);
}

#[test]
fn api_secret_and_token_go_on_every_request_and_stay_out_of_debug() {
    let mut cfg = config();
    cfg.api_secret = Some("s3cret".into());
    cfg.token = Some("t0ken".into());
    let dbg = format!("{cfg:?}");
    assert!(!dbg.contains("s3cret") && !dbg.contains("t0ken"), "{dbg}");
    let mut h = Harness::ws(cfg);
    let s = h.create(1);
    h.attach(s, 2, "janus.plugin.echotest");
    h.advance(secs(30));
    let verbs: Vec<_> = h.sent.iter().map(|f| f["janus"].clone()).collect();
    assert_eq!(
        verbs,
        [json!("create"), json!("attach"), json!("keepalive")]
    );
    for f in &h.sent {
        assert_eq!(f["apisecret"], "s3cret");
        assert_eq!(f["token"], "t0ken");
    }
    assert!(!format!("{:?}", h.conn).contains("s3cret"));
}

#[test]
fn close_ends_everything_once() {
    let mut h = Harness::ws(config());
    let s = h.create(1);
    let hd = h.attach(s, 2, "janus.plugin.echotest");
    let m = h.conn.message(h.now, hd, json!({}), None).unwrap();
    h.conn.close(h.now);
    h.drain();
    let ev = h.take_events();
    assert_eq!(ev.len(), 3, "{ev:?}");
    assert!(ev.contains(&Event::Response {
        id: m,
        result: Err(RequestError::TransportClosed)
    }));
    assert!(ev.contains(&Event::Handle {
        session: s,
        handle: hd,
        event: HandleEvent::Ended(EndReason::Closed)
    }));
    assert_eq!(
        ev.last(),
        Some(&Event::Session {
            session: s,
            event: SessionEvent::Ended(EndReason::Closed)
        })
    );
    assert_eq!(h.conn.ping(h.now), Err(CommandError::Closed));
    assert!(h.conn.footprint().is_empty());
    assert_eq!(h.drain(), None);
}

#[test]
fn time_going_backwards_is_clamped() {
    let mut h = Harness::ws(config());
    let p = h.conn.ping(h.now).unwrap();
    h.drain();
    let later = h.now + secs(20);
    h.conn.handle_timeout(later);
    h.drain();
    assert!(matches!(
        h.response(p),
        Err(RequestError::TimedOut {
            request: "ping",
            ..
        })
    ));
    // An earlier `now` counts as `later`: the new request's deadline is later + 15 s.
    h.conn.ping(h.start).unwrap();
    let deadline = h.conn.poll_timeout().unwrap();
    assert_eq!(deadline, later + secs(15));
}

#[test]
fn clones_are_deterministic() {
    let mut h = Harness::ws(config());
    let s = h.create(1);
    h.attach(s, 2, "janus.plugin.echotest");
    let mut a = h.conn.clone();
    let mut b = h.conn.clone();
    let now = h.now + secs(40);
    let run = |c: &mut janus_core::Connection| {
        c.handle_timeout(now);
        let mut out = Vec::new();
        loop {
            match c.poll_output() {
                janus_core::Output::Idle(d) => {
                    out.push(format!("{d:?}"));
                    break;
                }
                o => out.push(format!("{o:?}")),
            }
        }
        out
    };
    assert_eq!(run(&mut a), run(&mut b));
}

#[test]
fn trickle_lists_create_with_id_and_claim_with_keepalive() {
    let mut cfg = config();
    cfg.keepalive_interval = KeepaliveInterval::Fixed(secs(20));
    let mut h = Harness::ws(cfg);
    let c = h
        .conn
        .request(
            h.now,
            janus_core::Request::Create {
                id: Some(SessionId(4242)),
            },
        )
        .unwrap();
    h.drain();
    assert_eq!(h.sent[0]["id"], 4242);
    let tx = h.last_tx("create");
    h.frame(json!({"janus":"success","transaction":tx,"data":{"id":4242}}));
    assert_eq!(h.response(c), Ok(Reply::SessionCreated(SessionId(4242))));
    let hd = h.attach(SessionId(4242), 1, "janus.plugin.echotest");
    let cands = vec![
        janus_core::Candidate {
            candidate: "candidate:1 1 udp 1 192.0.2.1 5000 typ host".into(),
            sdp_mid: Some("0".into()),
            sdp_m_line_index: Some(0),
        },
        janus_core::Candidate {
            candidate: "candidate:2 1 udp 1 192.0.2.1 5002 typ host".into(),
            sdp_mid: None,
            sdp_m_line_index: Some(1),
        },
    ];
    h.conn
        .trickle(h.now, hd, Trickle::Candidates(cands))
        .unwrap();
    h.drain();
    let f = h.sent.last().unwrap();
    assert_eq!(f["janus"], "trickle");
    assert_eq!(f["candidates"][0]["sdpMid"], "0");
    assert_eq!(f["candidates"][1]["sdpMLineIndex"], 1);
    assert!(f["candidates"][1].get("sdpMid").is_none());
    assert!(f.get("candidate").is_none());

    // A claimed session is kept alive when asked.
    let c = h.conn.claim(h.now, SessionId(77), true).unwrap();
    h.drain();
    let tx = h.last_tx("claim");
    h.frame(json!({"janus":"success","session_id":77,"transaction":tx}));
    assert_eq!(h.response(c), Ok(Reply::Claimed(SessionId(77))));
    assert!(h.conn.session_info(SessionId(77)).unwrap().keepalive);
    h.take_sent();
    h.advance(secs(20));
    let kept: Vec<_> = h
        .sent
        .iter()
        .filter(|f| f["janus"] == "keepalive")
        .map(|f| f["session_id"].clone())
        .collect();
    assert!(kept.contains(&json!(77)), "{kept:?}");
    // Turned off, it is not.
    h.conn.set_keepalive(SessionId(77), false).unwrap();
    for f in h.take_sent() {
        h.frame(json!({"janus":"ack","session_id":f["session_id"],"transaction":f["transaction"]}));
    }
    h.advance(secs(20));
    assert!(h.sent.iter().all(|f| f["session_id"] != 77), "{:?}", h.sent);
}
