//! Transport loss: failing requests in flight, retrying idempotent ones,
//! reconnect backoff across servers, and re-claiming sessions.

mod common;

use common::{ms, secs, Harness};
use janus_core::{
    CommandError, Config, EndReason, Event, HandleEvent, Input, ReconnectPolicy, Reply,
    RequestError, SessionEvent, SessionId,
};
use serde_json::json;

fn config() -> Config {
    let mut c = Config::websocket("ws://a");
    c.servers.push("ws://b".into());
    c.reconnect = ReconnectPolicy {
        max_attempts: 3,
        initial_backoff: secs(1),
        max_backoff: secs(4),
        jitter: false,
    };
    c.max_retries = 1;
    c.retry_delay = ms(500);
    c
}

#[test]
fn drop_fails_in_flight_retries_idempotent_and_reclaims_sessions() {
    let mut h = Harness::ws(config());
    let s1 = h.create(1);
    let hd = h.attach(s1, 10, "janus.plugin.echotest");
    let c = h.conn.claim(h.now, SessionId(2), false).unwrap();
    h.drain();
    let tx = h.last_tx("claim");
    h.frame(json!({"janus":"success","session_id":2,"transaction":tx}));
    assert_eq!(h.response(c), Ok(Reply::Claimed(SessionId(2))));

    let m = h.conn.message(h.now, hd, json!({"x":1}), None).unwrap();
    let i = h.conn.info(h.now).unwrap();
    h.drain();
    h.take_sent();
    h.connects.clear();

    h.input(Input::Closed("connection reset"));
    assert_eq!(h.response(m), Err(RequestError::TransportClosed));
    assert_eq!(h.count_responses(i), 0, "info is idempotent: it is retried");
    assert_eq!(
        h.take_events(),
        [Event::Disconnected {
            reason: "connection reset".into(),
            reconnecting: true
        }]
    );
    assert!(h.conn.session_info(s1).unwrap().reclaiming);

    // Backoff: 1 s, then 2 s, rotating to the next server after a failure.
    h.advance(ms(999));
    assert!(h.connects.is_empty());
    h.advance(ms(1));
    assert_eq!(h.connects, [(secs(1), "ws://a".to_string())]);
    h.input(Input::Closed("refused"));
    assert!(
        h.take_events().is_empty(),
        "a failed attempt within the budget is quiet"
    );
    h.advance(ms(1999));
    assert_eq!(h.connects.len(), 1);
    h.advance(ms(1));
    assert_eq!(h.connects[1], (secs(3), "ws://b".to_string()));
    assert!(
        h.sent.is_empty(),
        "nothing is sent while down: no keepalive, no retry"
    );

    h.input(Input::Connected);
    assert_eq!(h.take_events(), [Event::Connected]);
    let verbs: Vec<_> = h
        .sent
        .iter()
        .map(|f| {
            (
                f["janus"].as_str().unwrap().to_owned(),
                f["session_id"].clone(),
            )
        })
        .collect();
    assert!(verbs.contains(&("claim".into(), json!(1))), "{verbs:?}");
    assert!(verbs.contains(&("claim".into(), json!(2))), "{verbs:?}");
    assert!(verbs.contains(&("info".into(), json!(null))), "{verbs:?}");
    for f in h.take_sent() {
        let tx = f["transaction"].clone();
        match (f["janus"].as_str().unwrap(), f["session_id"].as_u64()) {
            ("claim", Some(1)) => {
                h.frame(json!({"janus":"success","session_id":1,"transaction":tx}))
            }
            ("claim", Some(2)) => h.frame(json!({"janus":"error","session_id":2,"transaction":tx,
                "error":{"code":458,"reason":"No such session 2"}})),
            ("info", _) => h.frame(json!({"janus":"server_info","transaction":tx})),
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(h.response(i), Ok(Reply::ServerInfo(_))));
    let ev = h.take_events();
    assert!(
        ev.contains(&Event::Session {
            session: s1,
            event: SessionEvent::Reclaimed
        }),
        "{ev:?}"
    );
    assert!(ev.contains(&Event::Session {
        session: SessionId(2),
        event: SessionEvent::Ended(EndReason::TransportLost)
    }));
    assert_eq!(ev.len(), 2);
    let info = h.conn.session_info(s1).unwrap();
    assert!(!info.reclaiming);
    assert_eq!(info.handles, [hd], "the same session, its handles kept");

    // Keepalive resumes on the new connection.
    h.advance(secs(25));
    h.last_tx("keepalive");
}

#[test]
fn giving_up_ends_every_session_and_fails_every_request() {
    let mut h = Harness::ws(config());
    let s = h.create(1);
    let hd = h.attach(s, 2, "janus.plugin.echotest");
    let k = h.conn.keepalive(h.now, s).unwrap();
    h.drain();
    h.input(Input::Closed("gone"));
    h.take_events();
    h.connects.clear();
    let queued = h.conn.ping(h.now).unwrap();
    let mut refused = 0;
    while !h.conn.is_closed() {
        let deadline = h.conn.poll_timeout().unwrap();
        h.advance(deadline - h.now);
        if h.connects.len() > refused {
            refused += 1;
            h.input(Input::Closed("refused"));
        }
    }
    assert_eq!(h.connects.len(), 3);
    let ev = h.take_events();
    assert!(ev.contains(&Event::Response {
        id: k,
        result: Err(RequestError::TransportClosed)
    }));
    assert!(ev.contains(&Event::Response {
        id: queued,
        result: Err(RequestError::TransportClosed)
    }));
    assert!(ev.contains(&Event::Handle {
        session: s,
        handle: hd,
        event: HandleEvent::Ended(EndReason::TransportLost)
    }));
    assert!(ev.contains(&Event::Session {
        session: s,
        event: SessionEvent::Ended(EndReason::TransportLost)
    }));
    assert!(ev.contains(&Event::Disconnected {
        reason: "refused".into(),
        reconnecting: false
    }));
    assert!(h.conn.is_closed());
    assert_eq!(h.conn.ping(h.now), Err(CommandError::Closed));
    assert!(h.conn.footprint().is_empty(), "{:?}", h.conn.footprint());
}

#[test]
fn without_reconnect_a_drop_loses_every_session_at_once() {
    let mut cfg = config();
    cfg.reconnect = ReconnectPolicy::NEVER;
    let mut h = Harness::ws(cfg);
    let a = h.create(1);
    let b = h.create(2);
    h.input(Input::Closed("eof"));
    let ev = h.take_events();
    for s in [a, b] {
        assert_eq!(
            ev.iter()
                .filter(|e| matches!(e, Event::Session { session, event: SessionEvent::Ended(EndReason::TransportLost) } if *session == s))
                .count(),
            1
        );
    }
    assert!(h.connects.len() == 1, "no reconnect");
    assert!(h.conn.footprint().is_empty());
}

#[test]
fn reconnect_backoff_is_capped() {
    let p = ReconnectPolicy {
        max_attempts: 10,
        initial_backoff: ms(250),
        max_backoff: secs(2),
        jitter: false,
    };
    let waits: Vec<_> = (0..6).map(|a| p.backoff(a)).collect();
    assert_eq!(
        waits,
        [ms(250), ms(500), secs(1), secs(2), secs(2), secs(2)]
    );
    assert_eq!(p.backoff(u32::MAX), secs(2));
}

#[test]
fn a_session_expires_locally_if_reconnecting_takes_too_long() {
    let mut cfg = config();
    cfg.session_timeout = secs(4);
    cfg.expiry_grace = secs(1);
    cfg.reconnect.max_attempts = 100;
    let mut h = Harness::ws(cfg);
    let s = h.create(1);
    h.advance(secs(2));
    h.last_tx("keepalive");
    h.input(Input::Closed("gone"));
    h.take_events();
    // The keepalive sent at 2 s was never answered: the last activity the
    // server confirmed is the create at 0 s, so expiry at 0 + 4 + 1 s.
    let at = h.conn.expires_at(s).unwrap();
    assert_eq!(at - h.start, secs(5));
    while h.now < h.start + secs(5) {
        let d = h.conn.poll_timeout().unwrap();
        h.advance(d - h.now);
        if !h.connects.is_empty() {
            h.connects.clear();
            h.input(Input::Closed("refused"));
        }
    }
    let ev = h.take_events();
    assert_eq!(
        ev,
        [Event::Session {
            session: s,
            event: SessionEvent::Ended(EndReason::Expired)
        }]
    );
}

#[test]
fn retries_are_bounded() {
    let mut h = Harness::ws(config());
    let p = h.conn.ping(h.now).unwrap();
    h.drain();
    h.input(Input::Closed("1"));
    h.advance(secs(1));
    h.input(Input::Connected);
    assert_eq!(h.count_responses(p), 0);
    assert_eq!(
        h.sent.iter().filter(|f| f["janus"] == "ping").count(),
        2,
        "sent again"
    );
    h.input(Input::Closed("2"));
    assert_eq!(h.response(p), Err(RequestError::TransportClosed));
}

/// The waits between refused reconnects under `policy` with `seed`, after a
/// drop (the first `n` attempts).
fn reconnect_waits(policy: ReconnectPolicy, seed: u64, n: usize) -> Vec<std::time::Duration> {
    let mut cfg = Config::websocket("ws://a");
    cfg.reconnect = policy;
    cfg.seed = seed;
    let mut h = Harness::ws(cfg);
    h.create(1);
    h.connects.clear();
    h.input(Input::Closed("dropped"));
    let mut at = h.elapsed();
    let mut waits = Vec::new();
    while waits.len() < n {
        let d = h
            .conn
            .poll_timeout()
            .expect("a reconnect is always pending");
        h.advance(d - h.now);
        if let Some((when, _)) = h.connects.pop() {
            waits.push(when - at);
            at = when;
            h.input(Input::Closed("refused"));
        }
    }
    assert!(!h.conn.is_closed());
    waits
}

#[test]
fn by_default_reconnecting_never_gives_up_and_its_waits_are_jittered() {
    let policy = ReconnectPolicy::default();
    assert!(policy.is_forever() && policy.jitter);
    // Forty refused attempts (well past the old limit of five): still trying.
    let waits = reconnect_waits(policy.clone(), 7, 40);
    for (attempt, wait) in waits.iter().enumerate() {
        let full = policy.backoff(attempt as u32);
        assert!(
            *wait >= full / 2 && *wait <= full,
            "attempt {attempt}: {wait:?} not within [{:?}, {full:?}]",
            full / 2
        );
    }
    assert!(waits.iter().all(|w| *w <= policy.max_backoff));
    // The jitter comes from the seed only: the same seed, the same waits.
    assert_eq!(waits, reconnect_waits(policy.clone(), 7, 40));
    assert_ne!(waits, reconnect_waits(policy, 8, 40));
}

#[test]
fn requests_while_disconnected_wait_for_the_link_or_fail_fast() {
    let mut cfg = config();
    let mut h = Harness::ws(cfg.clone());
    let s = h.create(1);
    h.input(Input::Closed("dropped"));
    h.take_sent();
    // By default a request waits for the link and goes out once it is back.
    let waiting = h.conn.keepalive(h.now, s).unwrap();
    let d = h.conn.poll_timeout().unwrap();
    h.advance(d - h.now);
    h.input(Input::Connected);
    let sent = h.take_sent();
    assert!(sent.iter().any(|f| f["janus"] == "keepalive"), "{sent:?}");
    assert!(
        h.conn.footprint().requests > 0,
        "{waiting:?} is still pending"
    );

    cfg.fail_fast_when_disconnected = true;
    let mut h = Harness::ws(cfg);
    let s = h.create(1);
    h.input(Input::Closed("dropped"));
    let err = h.conn.keepalive(h.now, s).unwrap_err();
    assert_eq!(err, CommandError::NotConnected);
    assert!(err.to_string().contains("not connected"), "{err}");
}

#[test]
fn a_silent_link_is_found_dead_closed_and_reclaimed() {
    let mut cfg = config();
    cfg.link_timeout = secs(5);
    cfg.session_timeout = secs(60);
    let mut h = Harness::ws(cfg);
    let s = h.create(1);
    h.take_events();
    h.take_sent();
    // Answered traffic keeps the link alive.
    let ka = h.conn.keepalive(h.now, s).unwrap();
    h.drain();
    let tx = h.take_sent()[0]["transaction"].as_str().unwrap().to_owned();
    h.advance(secs(4));
    h.frame(json!({"janus":"ack","session_id":1,"transaction":tx}));
    assert!(matches!(h.response(ka), Ok(Reply::Ack)));
    h.advance(secs(10));
    assert!(h.closes.is_empty(), "an idle link is not probed");

    // A silent partition: the next keepalive goes out and nothing comes back.
    let ping = h.conn.ping(h.now).unwrap();
    h.drain();
    let sent_at = h.elapsed();
    h.connects.clear();
    h.advance(secs(5));
    assert_eq!(h.closes.len(), 1, "{:?}", h.take_events());
    assert!(
        h.closes[0].contains("no answer from the server within 5s"),
        "{:?}",
        h.closes
    );
    let events = h.take_events();
    assert!(
        events.iter().any(|e| matches!(
            e,
            Event::Disconnected {
                reconnecting: true,
                ..
            }
        )),
        "{events:?}"
    );
    // The ping in flight is retried on the new connection (idempotent).
    assert!(!events
        .iter()
        .any(|e| matches!(e, Event::Response { id, .. } if *id == ping)));
    // Reconnect (after the back-off) and reclaim, as after any drop.
    while h.connects.is_empty() {
        let d = h.conn.poll_timeout().unwrap();
        h.advance(d - h.now);
    }
    assert!(h.connects[0].0 - sent_at >= secs(5));
    h.input(Input::Connected);
    let claim = h
        .take_sent()
        .into_iter()
        .find(|f| f["janus"] == "claim")
        .expect("the session is claimed on the new connection");
    h.frame(json!({"janus":"success","session_id":1,"transaction":claim["transaction"]}));
    assert!(h.take_events().contains(&Event::Session {
        session: s,
        event: SessionEvent::Reclaimed
    }));
    let counted = h.conn.counters();
    assert_eq!((counted.dead_links, counted.reconnects), (1, 1));
}

#[test]
fn a_request_past_its_deadline_when_the_link_dies_times_out_instead_of_retrying() {
    let mut cfg = Config::websocket("ws://127.0.0.1:8188");
    cfg.request_timeout = secs(12);
    cfg.link_timeout = secs(10);
    let mut h = Harness::ws(cfg);
    h.advance(secs(1));
    let id = h.conn.info(h.now).unwrap();
    h.drain();
    h.last_tx("info");
    // Nothing for 40 s, then time jumps there in one step: the link probe
    // (due at 10 s) and the request's deadline (12 s) have both passed.
    h.now += secs(40);
    h.conn.handle_timeout(h.now);
    h.drain();
    assert!(
        matches!(
            h.response(id),
            Err(janus_core::RequestError::TimedOut { .. })
        ),
        "timed out, not retried"
    );
    assert_eq!(h.closes.len(), 1, "the dead link is closed all the same");
}

/// A transport whose link does not hold the sessions (RabbitMQ): after a
/// reconnect nothing is claimed, the sessions and handles go on, and their
/// keepalives resume.
#[test]
fn sessions_not_held_by_the_link_go_on_after_a_reconnect_unclaimed() {
    let mut c = config();
    c.link_holds_sessions = false;
    let mut h = Harness::ws(c);
    let s1 = h.create(1);
    let hd = h.attach(s1, 10, "janus.plugin.echotest");
    h.take_sent();
    h.take_events();

    h.input(Input::Closed("broker restarted"));
    assert_eq!(
        h.take_events(),
        [Event::Disconnected {
            reason: "broker restarted".into(),
            reconnecting: true
        }]
    );
    assert!(!h.conn.session_info(s1).unwrap().reclaiming);
    h.advance(secs(1));
    h.input(Input::Connected);
    assert_eq!(h.take_events(), [Event::Connected]);
    assert!(
        h.take_sent().iter().all(|f| f["janus"] != "claim"),
        "nothing is claimed"
    );
    // The handle still takes messages; the session's keepalive goes on.
    let m = h.conn.message(h.now, hd, json!({"x": 1}), None).unwrap();
    h.drain();
    let tx = h.last_tx("message");
    h.frame(
        json!({"janus":"success","session_id":1,"sender":10,"transaction":tx,
        "plugindata":{"plugin":"janus.plugin.echotest","data":{"ok":true}}}),
    );
    assert!(matches!(h.response(m), Ok(Reply::Plugin(_))));
    h.advance(secs(30));
    assert!(
        h.take_sent().iter().any(|f| f["janus"] == "keepalive"),
        "keepalives resume"
    );
    assert!(!h.take_events().iter().any(|e| matches!(
        e,
        Event::Session {
            event: SessionEvent::Ended(_),
            ..
        }
    )));
}

/// Over a link that holds no session (a broker), a request sent before the
/// link dropped may still reach the server and be answered: it stays in
/// flight across the reconnect and resolves once, with the answer or at
/// its own deadline.
#[test]
fn requests_sent_over_a_link_that_holds_no_session_outlive_its_drop() {
    let mut c = config();
    c.link_holds_sessions = false;
    c.request_timeout = secs(5);
    let mut h = Harness::ws(c);
    let s1 = h.create(1);
    let hd = h.attach(s1, 10, "janus.plugin.echotest");
    let answered = h.conn.message(h.now, hd, json!({"a": 1}), None).unwrap();
    h.drain();
    let tx = h.last_tx("message");
    let unanswered = h.conn.message(h.now, hd, json!({"b": 2}), None).unwrap();
    h.drain();
    h.take_sent();
    h.take_events();

    h.input(Input::Closed("broker link lost"));
    h.advance(ms(500));
    h.input(Input::Connected);
    assert_eq!(h.count_responses(answered), 0, "still in flight");
    assert!(
        h.take_sent().iter().all(|f| f["janus"] != "message"),
        "nothing is sent twice"
    );
    h.frame(
        json!({"janus":"success","session_id":1,"sender":10,"transaction":tx,
        "plugindata":{"plugin":"janus.plugin.echotest","data":{"ok":true}}}),
    );
    assert!(matches!(h.response(answered), Ok(Reply::Plugin(_))));
    assert_eq!(h.count_responses(unanswered), 0);
    h.advance(secs(5));
    assert!(matches!(
        h.response(unanswered),
        Err(janus_core::RequestError::TimedOut { .. })
    ));
    assert_eq!(h.count_responses(answered), 0, "resolved once");
}
