//! The HTTP transport: POST paths, one long poll per session kept armed,
//! re-armed after every answer, backed off after failures.

mod common;

use common::{ms, secs, Harness};
use janus_core::{
    Config, EndReason, Event, HandleEvent, HttpMethod, Input, KeepaliveInterval, Reply,
    RequestError, SessionEvent, SessionId,
};
use serde_json::json;

fn config() -> Config {
    let mut c = Config::http();
    c.keepalive_interval = KeepaliveInterval::Fixed(secs(25));
    c.poll_retry_initial = ms(100);
    c.poll_retry_max = ms(400);
    c
}

/// Creates a session over HTTP and returns it with its first long poll.
fn create(h: &mut Harness, sid: u64) -> (SessionId, janus_core::HttpRequest) {
    let id = h.conn.create_session(h.now).unwrap();
    h.drain();
    let (post, body) = h.take_post("create");
    assert_eq!(post.path, "");
    assert!(body.get("session_id").is_none());
    let tx = body["transaction"].as_str().unwrap().to_owned();
    h.http_reply(
        post.id,
        200,
        &json!({"janus":"success","transaction":tx,"data":{"id":sid}}).to_string(),
    );
    assert_eq!(h.response(id), Ok(Reply::SessionCreated(SessionId(sid))));
    let mut polls = h.take_polls();
    assert_eq!(polls.len(), 1, "one long poll per session");
    (SessionId(sid), polls.remove(0))
}

#[test]
fn requests_are_posts_to_paths_and_events_come_through_the_long_poll() {
    let mut h = Harness::new(config());
    assert!(h.connects.is_empty(), "HTTP needs no connection");
    let (s, poll) = create(&mut h, 42);
    assert_eq!(poll.method, HttpMethod::Get);
    assert_eq!(poll.path, "/42?maxev=10");
    assert!(poll.body.is_none());

    let a = h
        .conn
        .attach(h.now, s, "janus.plugin.echotest", Some("op-1".into()))
        .unwrap();
    h.drain();
    let (post, body) = h.take_post("attach");
    assert_eq!(post.path, "/42");
    assert!(body.get("session_id").is_none(), "ids go in the path");
    assert_eq!(body["opaque_id"], "op-1");
    h.http_reply(
        post.id,
        200,
        &json!({"janus":"success","session_id":42,"transaction":body["transaction"],"data":{"id":7}}).to_string(),
    );
    let hd = match h.response(a) {
        Ok(Reply::Attached(hd)) => hd,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        h.conn.handle_info(hd).unwrap().opaque_id.as_deref(),
        Some("op-1")
    );

    // message: the POST answers ack; the event arrives through the poll.
    let m = h
        .conn
        .message(h.now, hd, json!({"audio":true}), None)
        .unwrap();
    h.drain();
    let (post, body) = h.take_post("message");
    assert_eq!(post.path, "/42/7");
    let tx = body["transaction"].clone();
    h.http_reply(
        post.id,
        200,
        &json!({"janus":"ack","session_id":42,"transaction":tx}).to_string(),
    );
    assert_eq!(h.count_responses(m), 0);
    let events = json!([
        {"janus":"event","session_id":42,"transaction":tx,"sender":7,
         "plugindata":{"plugin":"janus.plugin.echotest","data":{"result":"ok"}}},
        {"janus":"webrtcup","session_id":42,"sender":7}
    ]);
    h.http_reply(poll.id, 200, &events.to_string());
    assert!(matches!(h.response(m), Ok(Reply::Plugin(p)) if p.asynchronous));
    assert_eq!(
        h.take_events(),
        [Event::Handle {
            session: s,
            handle: hd,
            event: HandleEvent::WebrtcUp
        }]
    );
    // Re-armed at once.
    let polls = h.take_polls();
    assert_eq!(polls.len(), 1);
    // The empty keepalive answer re-arms too.
    h.advance(secs(30));
    h.http_reply(polls[0].id, 200, r#"[{"janus":"keepalive"}]"#);
    assert_eq!(h.take_polls().len(), 1);
    assert!(h.take_events().is_empty());
}

#[test]
fn a_404_long_poll_means_the_session_is_gone() {
    let mut h = Harness::new(config());
    let (s, poll) = create(&mut h, 1);
    h.http_reply(poll.id, 404, "");
    assert_eq!(
        h.take_events(),
        [Event::Session {
            session: s,
            event: SessionEvent::Ended(EndReason::NotFound)
        }]
    );
    assert!(h.take_polls().is_empty());
    assert!(h.conn.footprint().is_empty(), "{:?}", h.conn.footprint());
}

#[test]
fn the_server_timeout_arrives_through_the_poll() {
    let mut h = Harness::new(config());
    let (s, poll) = create(&mut h, 1);
    h.http_reply(
        poll.id,
        200,
        r#"[{"janus":"timeout","session_id":1},{"janus":"detached","session_id":1,"sender":5}]"#,
    );
    assert_eq!(
        h.take_events(),
        [Event::Session {
            session: s,
            event: SessionEvent::Ended(EndReason::ServerTimeout)
        }]
    );
    assert!(h.take_polls().is_empty());
    assert!(h.conn.footprint().is_empty());
}

#[test]
fn poll_failures_back_off_and_never_end_the_session_by_themselves() {
    let mut cfg = config();
    cfg.session_timeout = secs(20);
    cfg.expiry_grace = secs(2);
    let mut h = Harness::new(cfg);
    let (s, mut poll) = create(&mut h, 1);
    let mut rearm_at = Vec::new();
    for i in 0..8 {
        if i % 2 == 0 {
            h.input(Input::HttpFailed {
                id: poll.id,
                reason: "connection refused",
            });
        } else {
            h.http_reply(poll.id, 503, "");
        }
        let failed_at = h.now;
        loop {
            let d = h.conn.poll_timeout().unwrap();
            h.advance(d - h.now);
            h.take_posts();
            let mut polls = h.take_polls();
            if let Some(p) = polls.pop() {
                rearm_at.push(h.now - failed_at);
                poll = p;
                break;
            }
        }
    }
    // Capped back-off, and the session lives on through eight failures.
    assert_eq!(&rearm_at[..4], [ms(100), ms(200), ms(400), ms(400)]);
    assert!(h.conn.session_info(s).is_some());
    assert!(h.take_events().is_empty());
    // Nothing the server answers for the whole session timeout (its
    // keepalives fail too): the expiry estimate ends it, counted from the
    // last answer (the create), not from the requests sent since.
    loop {
        let polls = h.take_polls();
        for p in polls {
            h.input(Input::HttpFailed {
                id: p.id,
                reason: "connection refused",
            });
        }
        for p in h.take_posts() {
            h.input(Input::HttpFailed {
                id: p.id,
                reason: "connection refused",
            });
        }
        if !h.take_events().is_empty() || h.elapsed() > secs(60) {
            break;
        }
        let d = h.conn.poll_timeout().unwrap();
        h.advance(d - h.now);
    }
    assert!(h.conn.session_info(s).is_none(), "ended");
    assert!(
        h.elapsed() >= secs(22) && h.elapsed() < secs(24),
        "{:?}",
        h.elapsed()
    );
    // Given up on, it was also sent a destroy (failed above, as the server
    // is still unreachable), which reports to nobody.
    assert_eq!(h.conn.counters().cleanups, 1);
    assert!(h.take_events().is_empty());
    assert!(h.conn.footprint().is_empty(), "{:?}", h.conn.footprint());
}

#[test]
fn a_good_answer_resets_the_failure_count() {
    let mut h = Harness::new(config());
    let (s, poll) = create(&mut h, 1);
    h.http_reply(poll.id, 500, "");
    h.advance(ms(100));
    let p = h.take_polls().pop().unwrap();
    h.http_reply(p.id, 200, r#"{"janus":"keepalive"}"#);
    for _ in 0..4 {
        let p = h.take_polls().pop().unwrap();
        h.http_reply(p.id, 500, "");
        let d = h.conn.poll_timeout().unwrap();
        h.advance(d - h.now);
    }
    assert!(
        h.conn.session_info(s).is_some(),
        "4 failures in a row, limit 5"
    );
}

#[test]
fn an_unanswered_poll_is_abandoned_at_its_deadline() {
    let mut cfg = config();
    cfg.long_poll_timeout = secs(40);
    cfg.keepalive_interval = KeepaliveInterval::Fixed(secs(100));
    cfg.session_timeout = secs(0);
    let mut h = Harness::new(cfg);
    let (_s, poll) = create(&mut h, 1);
    assert_eq!(poll.deadline, h.now + secs(40));
    h.advance(ms(39_999));
    assert!(h.take_polls().is_empty());
    h.advance(ms(1));
    h.advance(ms(100));
    let again = h.take_polls();
    assert_eq!(again.len(), 1, "re-armed after the back-off");
    // The late answer of the abandoned poll is ignored.
    h.http_reply(
        poll.id,
        200,
        r#"{"janus":"webrtcup","session_id":1,"sender":9}"#,
    );
    assert!(h.take_events().is_empty());
    assert!(h.take_polls().is_empty());
}

#[test]
fn post_failures_status_and_unparsable_bodies_resolve_the_request() {
    let mut h = Harness::new(config());
    let (s, _poll) = create(&mut h, 1);
    let a = h
        .conn
        .attach(h.now, s, "janus.plugin.echotest", None)
        .unwrap();
    let b = h
        .conn
        .attach(h.now, s, "janus.plugin.echotest", None)
        .unwrap();
    let c = h
        .conn
        .attach(h.now, s, "janus.plugin.echotest", None)
        .unwrap();
    let d = h
        .conn
        .attach(h.now, s, "janus.plugin.echotest", None)
        .unwrap();
    h.drain();
    let posts: Vec<_> = h.take_http();
    h.input(Input::HttpFailed {
        id: posts[0].id,
        reason: "reset",
    });
    h.http_reply(posts[1].id, 500, "oops");
    h.http_reply(posts[2].id, 200, "not json");
    // An error with no transaction answers the POST it came in.
    h.http_reply(
        posts[3].id,
        200,
        r#"{"janus":"error","error":{"code":454,"reason":"JSON error: on line 1"}}"#,
    );
    assert_eq!(h.response(a), Err(RequestError::HttpFailed("reset".into())));
    assert_eq!(h.response(b), Err(RequestError::HttpStatus { status: 500 }));
    assert!(matches!(h.response(c), Err(RequestError::Protocol(_))));
    assert!(matches!(h.response(d), Err(RequestError::Janus(e)) if e.code == 454));
    assert!(h.take_events().is_empty());
    assert_eq!(h.conn.footprint().requests, 0);
}

#[test]
fn idempotent_posts_are_retried_after_a_failure() {
    let mut h = Harness::new(config());
    let i = h.conn.info(h.now).unwrap();
    h.drain();
    let (post, _) = h.take_post("info");
    h.input(Input::HttpFailed {
        id: post.id,
        reason: "reset",
    });
    assert_eq!(h.count_responses(i), 0);
    h.advance(ms(500));
    let (post2, body) = h.take_post("info");
    assert_ne!(post.id, post2.id);
    h.http_reply(
        post2.id,
        200,
        &json!({"janus":"server_info","transaction":body["transaction"],"version":1102})
            .to_string(),
    );
    assert!(matches!(h.response(i), Ok(Reply::ServerInfo(s)) if s.version == Some(1102)));
}

#[test]
fn auth_goes_in_the_poll_query_and_every_body() {
    let mut cfg = config();
    cfg.api_secret = Some("a b&c".into());
    cfg.token = Some("tok".into());
    let mut h = Harness::new(cfg);
    let id = h.conn.create_session(h.now).unwrap();
    h.drain();
    let (post, body) = h.take_post("create");
    assert_eq!(body["apisecret"], "a b&c");
    assert_eq!(body["token"], "tok");
    h.http_reply(
        post.id,
        200,
        &json!({"janus":"success","transaction":body["transaction"],"data":{"id":3}}).to_string(),
    );
    assert!(h.response(id).is_ok());
    let poll = h.take_polls().pop().unwrap();
    assert_eq!(poll.path, "/3?maxev=10&apisecret=a%20b%26c&token=tok");
}

#[test]
fn polls_count_as_activity_and_keepalives_fill_the_gaps() {
    let mut cfg = config();
    cfg.keepalive_interval = KeepaliveInterval::Fixed(secs(10));
    let mut h = Harness::new(cfg);
    let (s, poll) = create(&mut h, 1);
    h.advance(ms(9_999));
    assert!(h.http.is_empty());
    h.advance(ms(1));
    let (post, _) = h.take_post("keepalive");
    assert_eq!(post.path, "/1");
    // A poll answered at 15 s is re-armed at once: the server is reachable,
    // so the new poll counts as activity as it goes out.
    h.advance(secs(5));
    h.http_reply(poll.id, 200, r#"[{"janus":"keepalive"}]"#);
    let next = h.take_polls();
    assert_eq!(next.len(), 1);
    assert_eq!(h.conn.session_info(s).unwrap().last_activity, h.now);
    // Answered a second later, that one is re-armed at once too.
    h.advance(secs(1));
    h.http_reply(next[0].id, 200, r#"[{"janus":"keepalive"}]"#);
    assert_eq!(h.conn.session_info(s).unwrap().last_activity, h.now);
}

#[test]
fn destroy_over_http_stops_polling_and_leaves_nothing() {
    let mut h = Harness::new(config());
    let (s, poll) = create(&mut h, 1);
    let x = h.conn.destroy(h.now, s).unwrap();
    h.drain();
    let (post, body) = h.take_post("destroy");
    h.http_reply(
        post.id,
        200,
        &json!({"janus":"success","session_id":1,"transaction":body["transaction"]}).to_string(),
    );
    assert_eq!(h.response(x), Ok(Reply::Done));
    // The pending poll answers keepalive later: ignored, not re-armed.
    h.http_reply(poll.id, 200, r#"[{"janus":"keepalive"}]"#);
    assert!(h.take_polls().is_empty());
    assert_eq!(
        h.take_events(),
        [Event::Session {
            session: s,
            event: SessionEvent::Ended(EndReason::Destroyed)
        }]
    );
    assert!(h.conn.footprint().is_empty(), "{:?}", h.conn.footprint());
    assert!(h.conn.poll_timeout().is_none());
}

#[test]
fn websocket_inputs_are_refused_in_the_http_flavour() {
    let mut h = Harness::new(config());
    assert!(h.conn.handle_input(h.now, Input::Frame(b"{}")).is_err());
    assert!(h.conn.handle_input(h.now, Input::Connected).is_err());
}

#[test]
fn a_404_poll_overtaking_our_destroy_counts_as_destroyed() {
    let mut h = Harness::new(config());
    let (s, poll) = create(&mut h, 1);
    let x = h.conn.destroy(h.now, s).unwrap();
    h.drain();
    let (post, body) = h.take_post("destroy");
    h.http_reply(poll.id, 404, "");
    assert_eq!(h.response(x), Ok(Reply::Done));
    assert_eq!(
        h.take_events(),
        [Event::Session {
            session: s,
            event: SessionEvent::Ended(EndReason::Destroyed)
        }]
    );
    // The destroy's own reply, arriving later, changes nothing.
    h.http_reply(
        post.id,
        200,
        &json!({"janus":"success","session_id":1,"transaction":body["transaction"]}).to_string(),
    );
    assert!(h.take_events().is_empty());
    assert!(h.conn.footprint().is_empty());
}

#[test]
fn a_poll_cut_while_held_is_armed_again_without_growing_the_back_off() {
    let mut h = Harness::new(config());
    let (_s, mut poll) = create(&mut h, 9);
    for _ in 0..6 {
        // Held 2 s, then cut (an idle-cutting proxy).
        h.advance(secs(2));
        h.input(Input::HttpFailed {
            id: poll.id,
            reason: "connection reset",
        });
        let failed_at = h.now;
        h.advance(ms(100));
        let mut polls = h.take_polls();
        assert_eq!(polls.len(), 1, "armed again after the first step");
        assert_eq!(h.now - failed_at, ms(100));
        poll = polls.remove(0);
        h.take_posts();
    }
    // A poll that fails at once is a failure: the back-off grows.
    h.input(Input::HttpFailed {
        id: poll.id,
        reason: "connection refused",
    });
    let p = h.take_polls();
    assert!(p.is_empty());
    h.advance(ms(100));
    let p = h.take_polls();
    assert_eq!(p.len(), 1);
    h.input(Input::HttpFailed {
        id: p[0].id,
        reason: "connection refused",
    });
    h.advance(ms(100));
    assert!(h.take_polls().is_empty(), "200 ms the second time");
    h.advance(ms(100));
    assert_eq!(h.take_polls().len(), 1);
}
