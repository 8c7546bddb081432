//! The blocking adapter (`janus-blocking`) against a real Janus 1.1.2.
//!
//! Each scenario is written once as a function of the transport and run
//! over both: the `ws::` and `http::` test modules at the bottom. Every test
//! starts its own private server (see `janus_tests::rig`).

use janus_blocking::janus_core::serde_json::json;
use janus_blocking::janus_core::{
    EndReason, JanusErrorKind, Jsep, KeepaliveInterval, ReconnectPolicy, SdpType, SessionId,
    SessionOrigin, Trickle,
};
use janus_blocking::{
    Client, ClientEvent, Error, Events, Handle, HandleEvent, Options, Session, SessionEvent,
};
use janus_tests::rig::{http_post_json, JanusServer, JanusServerBuilder};
use janus_tests::support::{
    admin_handles, admin_sessions, all_threads_stopped, closed_port, ECHOTEST, OFFER, VIDEOROOM,
};
use std::fmt::Debug;
use std::process::Command;
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Ws,
    Http,
}

impl Kind {
    fn url(self, server: &JanusServer) -> String {
        match self {
            Kind::Ws => server.ws_url(),
            Kind::Http => server.http_url(),
        }
    }
}

// ----- helpers ------------------------------------------------------------

fn start(builder: JanusServerBuilder) -> JanusServer {
    builder.start().unwrap_or_else(|e| panic!("{e}"))
}

fn connect(kind: Kind, server: &JanusServer) -> Client {
    connect_with(kind, server, Options::new())
}

fn connect_with(kind: Kind, server: &JanusServer, options: Options) -> Client {
    let url = kind.url(server);
    Client::connect_with(&url, options).unwrap_or_else(|e| panic!("connect to {url}: {e}"))
}

/// The next event within `timeout`, or a panic naming what was awaited.
fn next<T: Debug>(events: &Events<T>, timeout: Duration, what: &str) -> T {
    match events.recv_timeout(timeout) {
        Ok(n) => n,
        Err(e) => panic!("no {what} within {timeout:?} ({e:?})"),
    }
}

/// How the handle ended, waiting at most `timeout`. EchoTest's "done"
/// event (its media is over), which Janus may send just before, is skipped.
fn handle_end(handle: &Handle, timeout: Duration) -> EndReason {
    loop {
        match next(handle.events(), timeout, "handle end") {
            HandleEvent::Ended(reason) => return reason,
            HandleEvent::Plugin { data, .. } if data["result"] == "done" => {}
            other => panic!("unexpected {other:?} before the end of the handle"),
        }
    }
}

/// How the session ended, waiting at most `timeout`. EchoTest's "done"
/// event for a handle that already ended (reported as unknown) is skipped.
fn session_end(session: &Session, timeout: Duration) -> EndReason {
    loop {
        match next(session.events(), timeout, "session end") {
            SessionEvent::Ended(reason) => return reason,
            SessionEvent::Unknown(raw) if raw["plugindata"]["data"]["result"] == "done" => {}
            other => panic!("unexpected {other:?} before the end of the session"),
        }
    }
}

/// Asserts that the stream is over: nothing more, and closed.
fn assert_over<T: Debug>(events: &Events<T>) {
    match events.recv_timeout(Duration::from_millis(200)) {
        Err(RecvTimeoutError::Disconnected) => {}
        other => panic!("expected the end of the stream, got {other:?}"),
    }
}

/// Asserts that nothing arrives for a little while.
fn assert_quiet<T: Debug>(events: &Events<T>, wait: Duration) {
    match events.recv_timeout(wait) {
        Err(RecvTimeoutError::Timeout) => {}
        other => panic!("expected nothing, got {other:?}"),
    }
}

/// Polls `check` every 20 ms for up to `timeout`.
fn eventually(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if check() {
            return true;
        }
        if start.elapsed() >= timeout {
            return false;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

fn echo(handle: &Handle) {
    let reply = handle
        .message(json!({"audio": true}))
        .unwrap_or_else(|e| panic!("echotest message: {e}"));
    assert_eq!(reply.data["result"], "ok", "{reply:?}");
}

// ----- scenarios, each run over both transports -----------------------------

fn full_lifecycle(kind: Kind) {
    let server = start(JanusServer::builder());
    let client = connect(kind, &server);
    let info = client.server_info().expect("info fetched at connect");
    assert_eq!(info.version, Some(1102));
    assert_eq!(info.session_timeout, Some(60));
    assert!(info.plugins.iter().any(|p| p == ECHOTEST), "{info:?}");
    client.ping().unwrap();

    let session = client.create_session().unwrap();
    assert_eq!(session.origin(), SessionOrigin::Created);
    assert_eq!(admin_sessions(&server), vec![session.id().0]);

    let handle = session.attach_with(ECHOTEST, "lifecycle").unwrap();
    assert_eq!(handle.session_id(), session.id());
    assert_eq!(handle.plugin(), ECHOTEST);
    assert_eq!(admin_handles(&server, session.id().0), vec![handle.id().0]);

    echo(&handle);
    handle.trickle(Trickle::Completed).unwrap();
    session.keepalive().unwrap();
    handle.hangup().unwrap();

    handle.detach().unwrap();
    assert_eq!(
        handle_end(&handle, Duration::from_secs(2)),
        EndReason::Detached
    );
    assert_over(handle.events());
    assert!(admin_handles(&server, session.id().0).is_empty());
    match handle.message(json!({"audio": true})) {
        Err(Error::Ended { target, reason }) => {
            assert_eq!(reason, EndReason::Detached);
            assert_eq!(target, format!("handle {}", handle.id()));
        }
        other => panic!("a detached handle must be refused, got {other:?}"),
    }

    // Over HTTP, let the long poll that the detach's events answered be
    // re-armed first (see `http_only_destroy_right_after_an_event`).
    session.destroy().unwrap();
    assert_eq!(
        session_end(&session, Duration::from_secs(2)),
        EndReason::Destroyed
    );
    assert_over(session.events());
    assert!(admin_sessions(&server).is_empty());

    let footprint = client.footprint().unwrap();
    assert!(
        footprint.is_empty(),
        "the engine keeps state: {footprint:?}"
    );

    // Dropping what was destroyed and detached sends nothing more.
    drop(handle);
    drop(session);
    client.close();
    let err = client.ping().unwrap_err();
    assert!(err.is_closed(), "{err:?}");
}

fn echotest_message_resolves_to_the_event(kind: Kind) {
    let server = start(JanusServer::builder());
    let client = connect(kind, &server);
    let session = client.create_session().unwrap();
    let handle = session.attach(ECHOTEST).unwrap();

    // EchoTest acks every message; the reply is the event that follows.
    let reply = handle.message(json!({"audio": true})).unwrap();
    assert!(reply.asynchronous, "{reply:?}");
    assert_eq!(reply.plugin, ECHOTEST);
    assert_eq!(reply.data, json!({"echotest": "event", "result": "ok"}));
    assert_eq!(reply.jsep, None);

    // With an offer the event carries the answer.
    let reply = handle
        .message_with_jsep(json!({"audio": true}), Jsep::offer(OFFER))
        .unwrap();
    let answer = reply.jsep.expect("an SDP answer");
    assert_eq!(answer.kind, SdpType::Answer);
    assert!(answer.sdp.starts_with("v=0"), "{}", answer.sdp);
    assert_quiet(handle.events(), Duration::from_millis(100));

    // A hangup tears the PeerConnection down: two events that answer no request.
    handle.hangup().unwrap();
    let mut seen = Vec::new();
    while seen.len() < 2 {
        match next(handle.events(), Duration::from_secs(3), "hangup events") {
            other @ HandleEvent::Ended(_) => panic!("unexpected {other:?}"),
            e => seen.push(e),
        }
    }
    assert!(seen.contains(&HandleEvent::Hangup {
        reason: Some("Janus API".into())
    }));
    assert!(seen.iter().any(|e| matches!(
        e,
        HandleEvent::Plugin { data, transaction: None, .. } if data["result"] == "done"
    )));
}

fn videoroom_list_is_synchronous(kind: Kind) {
    let server = start(JanusServer::builder());
    let client = connect(kind, &server);
    let session = client.create_session().unwrap();
    let handle = session.attach(VIDEOROOM).unwrap();

    let reply = handle.message(json!({"request": "list"})).unwrap();
    assert!(!reply.asynchronous, "{reply:?}");
    assert_eq!(reply.plugin, VIDEOROOM);
    assert_eq!(reply.data["videoroom"], "success");
    let rooms = reply.data["list"].as_array().expect("a room list");
    assert!(rooms.iter().any(|r| r["room"] == 1234), "{rooms:?}");
}

fn videoroom_unknown_request_is_a_plugin_error(kind: Kind) {
    let server = start(JanusServer::builder());
    let client = connect(kind, &server);
    let session = client.create_session().unwrap();
    let handle = session.attach(VIDEOROOM).unwrap();

    let err = handle.message(json!({"request": "nosuch"})).unwrap_err();
    let plugin = err.plugin_error().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(plugin.plugin, VIDEOROOM);
    assert_eq!(plugin.code, 423);
    assert!(plugin.reason.contains("nosuch"), "{plugin:?}");
    assert_eq!(err.janus_code(), None);

    // The handle is still fine.
    handle.message(json!({"request": "list"})).unwrap();
}

fn unknown_plugin_is_janus_460(kind: Kind) {
    let server = start(JanusServer::builder());
    let client = connect(kind, &server);
    let session = client.create_session().unwrap();

    let err = session.attach("janus.plugin.nope").unwrap_err();
    assert!(err.is_janus_code(460), "{err:?}");
    assert_eq!(
        err.janus_error().unwrap().kind,
        JanusErrorKind::PluginNotFound
    );
    // The session is still fine.
    echo(&session.attach(ECHOTEST).unwrap());
}

fn claim_of_an_unknown_session_is_janus_458(kind: Kind) {
    let server = start(JanusServer::builder());
    let client = connect(kind, &server);

    let err = client.claim(SessionId(4242424242), false).unwrap_err();
    assert!(err.is_janus_code(458), "{err:?}");
    assert_eq!(
        err.janus_error().unwrap().kind,
        JanusErrorKind::SessionNotFound
    );
    client.create_session().unwrap();
}

/// A handle detached on the server behind the client's back. Over
/// WebSocket the session is first claimed by the HTTP transport, so the
/// `detached` event goes there and the client only learns from the 459
/// answer to its next request. Over HTTP the server always tells the
/// client's long poll, so the handle ends as `ServerDetached` (a 459 is not
/// reachable through the engine, which refuses requests to ended handles).
fn handle_gone_on_the_server(kind: Kind) {
    let server = start(JanusServer::builder());
    let client = connect(kind, &server);
    let session = client.create_session().unwrap();
    let handle = session.attach(ECHOTEST).unwrap();
    let base = server.http_url();
    let (sid, hid) = (session.id().0, handle.id().0);
    if kind == Kind::Ws {
        let claim = json!({"janus": "claim", "transaction": "raw-claim"});
        let reply = http_post_json(&format!("{base}/{sid}"), &claim).unwrap();
        assert_eq!(reply["janus"], "success", "{reply}");
    }
    let detach = json!({"janus": "detach", "transaction": "raw-detach"});
    let reply = http_post_json(&format!("{base}/{sid}/{hid}"), &detach).unwrap();
    assert_eq!(reply["janus"], "success", "{reply}");

    match kind {
        Kind::Ws => {
            assert_quiet(handle.events(), Duration::from_millis(200));
            let err = handle.message(json!({"audio": true})).unwrap_err();
            assert!(err.is_janus_code(459), "{err:?}");
            assert_eq!(
                err.janus_error().unwrap().kind,
                JanusErrorKind::HandleNotFound
            );
            assert_eq!(
                handle_end(&handle, Duration::from_secs(1)),
                EndReason::NotFound
            );
        }
        Kind::Http => {
            assert_eq!(
                handle_end(&handle, Duration::from_secs(2)),
                EndReason::ServerDetached
            );
            let err = handle.message(json!({"audio": true})).unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::Ended {
                        reason: EndReason::ServerDetached,
                        ..
                    }
                ),
                "{err:?}"
            );
        }
    }
    assert_over(handle.events());
    // The session lives on (over WebSocket its events now go to the HTTP
    // transport, which claimed it).
    session.keepalive().unwrap();
    let other = session.attach(ECHOTEST).unwrap();
    if kind == Kind::Http {
        echo(&other);
    }
}

/// Janus times sessions out by itself, and the client reports it.
///
/// Janus races itself here. Its watchdog clears a session's handles (each
/// sends `detached`) before it sends `timeout`, and either may reach the
/// client first, so a handle ends `ServerTimeout` or `ServerDetached`. Over
/// HTTP, the long poll returns with whatever is queued first and the next
/// poll finds the session gone (404, reported `NotFound`); under load even a
/// session without handles now and then loses its `timeout` that way. So
/// over HTTP, of three sessions without handles at least one must end
/// `ServerTimeout` and the others `ServerTimeout` or `NotFound`.
fn server_session_timeout_is_reported(kind: Kind) {
    let server = start(JanusServer::builder().session_timeout(3));
    // No keepalive, and a local expiry estimate far away: only the server speaks.
    let options = Options::new()
        .keepalive(KeepaliveInterval::Fixed(Duration::from_secs(3600)))
        .session_timeout(Duration::from_secs(3600));
    let client = connect_with(kind, &server, options);
    let bare: Vec<Session> = (0..3).map(|_| client.create_session().unwrap()).collect();
    let busy = client.create_session().unwrap();
    let handle = busy.attach(ECHOTEST).unwrap();
    let created = Instant::now();

    let ends: Vec<EndReason> = bare
        .iter()
        .map(|s| session_end(s, Duration::from_secs(10)))
        .collect();
    let waited = created.elapsed();
    assert!(
        waited >= Duration::from_secs(3) && waited < Duration::from_secs(10),
        "{waited:?}"
    );
    match kind {
        Kind::Ws => assert_eq!(ends, [EndReason::ServerTimeout; 3]),
        Kind::Http => {
            assert!(ends.contains(&EndReason::ServerTimeout), "{ends:?}");
            assert!(
                ends.iter()
                    .all(|e| matches!(e, EndReason::ServerTimeout | EndReason::NotFound)),
                "{ends:?}"
            );
        }
    }
    bare.iter().for_each(|s| assert_over(s.events()));

    // Over HTTP a 404 poll ends the session and its handles `NotFound`.
    let handle_end = handle_end(&handle, Duration::from_secs(2));
    assert!(
        matches!(
            (kind, handle_end),
            (_, EndReason::ServerTimeout | EndReason::ServerDetached)
                | (Kind::Http, EndReason::NotFound)
        ),
        "{handle_end:?}"
    );
    let busy_end = session_end(&busy, Duration::from_secs(2));
    match kind {
        Kind::Ws => assert_eq!(busy_end, EndReason::ServerTimeout),
        Kind::Http => assert!(
            matches!(busy_end, EndReason::ServerTimeout | EndReason::NotFound),
            "{busy_end:?}"
        ),
    }
    assert!(client
        .claim(bare[0].id(), false)
        .unwrap_err()
        .is_janus_code(458));
    assert!(client.footprint().unwrap().is_empty());
}

fn keepalive_holds_a_session(kind: Kind) {
    let server = start(JanusServer::builder().session_timeout(3));
    let client = connect(kind, &server);
    // Learned at connect: keepalives every 1.5 s.
    assert_eq!(client.server_info().unwrap().session_timeout, Some(3));
    let session = client.create_session().unwrap();
    let handle = session.attach(ECHOTEST).unwrap();

    assert_quiet(session.events(), Duration::from_secs(10));
    assert_quiet(handle.events(), Duration::ZERO);
    assert_eq!(admin_sessions(&server), vec![session.id().0]);
    echo(&handle);
}

fn api_secret_is_required(kind: Kind) {
    let server = start(JanusServer::builder().api_secret("s3cret"));

    // `info` needs no secret, so connecting works; creating does not.
    let client = connect(kind, &server);
    let err = client.create_session().unwrap_err();
    assert!(err.is_janus_code(403), "{err:?}");
    assert_eq!(
        err.janus_error().unwrap().kind,
        JanusErrorKind::Unauthorized
    );

    let wrong = connect_with(kind, &server, Options::new().api_secret("wrong"));
    assert!(wrong.create_session().unwrap_err().is_janus_code(403));

    // With the secret, everything works, including the long poll over HTTP
    // (EchoTest's answer is an event).
    let right = connect_with(kind, &server, Options::new().api_secret("s3cret"));
    let session = right.create_session().unwrap();
    echo(&session.attach(ECHOTEST).unwrap());
    session.destroy().unwrap();
    assert_eq!(
        session_end(&session, Duration::from_secs(1)),
        EndReason::Destroyed
    );
}

fn token_auth(kind: Kind) {
    let server = start(JanusServer::builder().token_auth(true));
    server.add_token("tok-all", &[]).unwrap();
    server.add_token("tok-videoroom", &["videoroom"]).unwrap();

    let none = connect(kind, &server);
    assert!(none.create_session().unwrap_err().is_janus_code(403));
    let unknown = connect_with(kind, &server, Options::new().token("nope"));
    assert!(unknown.create_session().unwrap_err().is_janus_code(403));

    let all = connect_with(kind, &server, Options::new().token("tok-all"));
    let session = all.create_session().unwrap();
    echo(&session.attach(ECHOTEST).unwrap());

    let limited = connect_with(kind, &server, Options::new().token("tok-videoroom"));
    let session = limited.create_session().unwrap();
    let err = session.attach(ECHOTEST).unwrap_err();
    assert!(err.is_janus_code(405), "{err:?}");
    let room = session.attach(VIDEOROOM).unwrap();
    room.message(json!({"request": "list"})).unwrap();
}

fn drops_destroy_and_detach(kind: Kind) {
    let server = start(JanusServer::builder());
    let client = connect(kind, &server);
    let session = client.create_session().unwrap();
    let handle = session.attach(ECHOTEST).unwrap();
    let kept = session.attach(ECHOTEST).unwrap();

    drop(handle);
    assert!(
        eventually(Duration::from_secs(2), || admin_handles(
            &server,
            session.id().0
        ) == vec![kept.id().0]),
        "the dropped handle is still attached"
    );
    drop(kept);
    drop(session);
    assert!(
        eventually(Duration::from_secs(2), || admin_sessions(&server)
            .is_empty()),
        "the dropped session still exists"
    );

    // A session outlives the client value it came from; dropping it last
    // still destroys it before the background thread stops.
    let session = connect(kind, &server).create_session().unwrap();
    session.keepalive().unwrap();
    assert_eq!(admin_sessions(&server), vec![session.id().0]);
    let t = Instant::now();
    drop(session);
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    assert!(admin_sessions(&server).is_empty());
}

fn close_ends_everything_locally(kind: Kind) {
    // A reclaim window keeps WebSocket sessions on the server after the close.
    let server = start(JanusServer::builder().reclaim_session_timeout(10));
    let client = connect(kind, &server);
    let session = client.create_session().unwrap();
    let handle = session.attach(ECHOTEST).unwrap();
    let other = client.clone();

    client.close();
    assert_eq!(
        handle_end(&handle, Duration::from_secs(1)),
        EndReason::Closed
    );
    assert_eq!(
        session_end(&session, Duration::from_secs(1)),
        EndReason::Closed
    );
    assert!(other.ping().unwrap_err().is_closed());
    assert!(handle.message(json!({})).unwrap_err().is_closed());
    client.close(); // idempotent

    // Nothing was destroyed: another connection can claim the session.
    let id = session.id();
    drop(handle);
    drop(session);
    assert_eq!(admin_sessions(&server), vec![id.0]);
    let again = connect(kind, &server);
    let claimed = again.claim(id, true).unwrap();
    assert_eq!(claimed.origin(), SessionOrigin::Claimed);
    echo(&claimed.attach(ECHOTEST).unwrap());
}

fn server_killed_mid_request(kind: Kind) {
    let server = Arc::new(start(JanusServer::builder()));
    let options = Options::new()
        .request_timeout(Duration::from_secs(5))
        .reconnect(ReconnectPolicy {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(200),
        })
        .configure(|c| {
            c.max_poll_failures = 2;
            c.poll_retry_initial = Duration::from_millis(50);
        });
    let client = connect_with(kind, &server, options);
    let session = client.create_session().unwrap();
    let handle = session.attach(ECHOTEST).unwrap();
    echo(&handle);

    // Freeze the server so the next request stays unanswered, then kill it.
    let pid = server.pid().to_string();
    let stopped = Command::new("sh")
        .args(["-c", &format!("kill -STOP {pid}")])
        .status()
        .unwrap();
    assert!(stopped.success());
    assert!(
        eventually(Duration::from_secs(2), || all_threads_stopped(server.pid())),
        "the server did not stop"
    );
    let killer = {
        let server = server.clone();
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(300));
            server.kill();
        })
    };
    let sent = Instant::now();
    let err = handle.message(json!({"audio": true})).unwrap_err();
    let waited = sent.elapsed();
    assert!(err.is_transport_closed(), "{err:?}");
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    killer.join().unwrap();

    assert_eq!(
        handle_end(&handle, Duration::from_secs(5)),
        EndReason::TransportLost
    );
    assert_eq!(
        session_end(&session, Duration::from_secs(1)),
        EndReason::TransportLost
    );
    assert_over(session.events());
    if kind == Kind::Ws {
        let events = client.events().drain();
        assert!(
            events.iter().any(|n| matches!(
                n,
                ClientEvent::Disconnected {
                    reconnecting: true,
                    ..
                }
            )),
            "{events:?}"
        );
        // Every reconnect attempt failed: the client is closed for good.
        assert!(eventually(Duration::from_secs(1), || client
            .ping()
            .is_err_and(|e| e.is_closed())));
    }
}

fn connect_failures(kind: Kind) {
    let url = match kind {
        Kind::Ws => format!("ws://127.0.0.1:{}", closed_port()),
        Kind::Http => format!("http://127.0.0.1:{}/janus", closed_port()),
    };
    let t = Instant::now();
    match Client::connect(&url) {
        Err(Error::Connect { url: u, .. }) => assert_eq!(u, url),
        other => panic!("expected a connect error, got {other:?}"),
    }
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

/// `wss://` and `https://` against a server with a self-signed
/// certificate: refused with the webpki roots, working once the
/// certificate is trusted.
fn tls_with_a_private_root(kind: Kind) {
    let server = start(JanusServer::builder().tls(true));
    let url = match kind {
        Kind::Ws => server.wss_url(),
        Kind::Http => server.https_url(),
    };
    match Client::connect(&url) {
        Err(Error::Connect { reason, .. }) => {
            assert!(reason.to_lowercase().contains("certificate"), "{reason}")
        }
        other => panic!("an untrusted certificate must be refused, got {other:?}"),
    }
    let root = server.tls_certificate().expect("a TLS server").to_vec();
    let client = Client::connect_with(&url, Options::new().root_certificate(root))
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"));
    let session = client.create_session().unwrap();
    echo(&session.attach(ECHOTEST).unwrap());
    session.destroy().unwrap();
    assert_eq!(
        session_end(&session, Duration::from_secs(2)),
        EndReason::Destroyed
    );
    client.close();
}

macro_rules! over_both_transports {
    ($($name:ident),* $(,)?) => {
        mod ws {
            $(#[test] fn $name() { super::$name(super::Kind::Ws) })*
        }
        mod http {
            $(#[test] fn $name() { super::$name(super::Kind::Http) })*
        }
    };
}

over_both_transports!(
    full_lifecycle,
    echotest_message_resolves_to_the_event,
    videoroom_list_is_synchronous,
    videoroom_unknown_request_is_a_plugin_error,
    unknown_plugin_is_janus_460,
    claim_of_an_unknown_session_is_janus_458,
    handle_gone_on_the_server,
    server_session_timeout_is_reported,
    keepalive_holds_a_session,
    api_secret_is_required,
    token_auth,
    drops_destroy_and_detach,
    close_ends_everything_locally,
    server_killed_mid_request,
    connect_failures,
    tls_with_a_private_root,
);

// ----- WebSocket only ---------------------------------------------------------

#[test]
fn ws_only_dropped_websocket_is_reclaimed() {
    let server = start(JanusServer::builder().reclaim_session_timeout(10));
    let client = connect(Kind::Ws, &server);
    let session = client.create_session().unwrap();
    let handle = session.attach(ECHOTEST).unwrap();
    echo(&handle);
    assert_eq!(
        next(client.events(), Duration::from_secs(1), "first connect"),
        ClientEvent::Connected
    );

    client.drop_transport().unwrap();
    assert_eq!(
        next(session.events(), Duration::from_secs(5), "reclaim"),
        SessionEvent::Reclaimed
    );
    match next(client.events(), Duration::from_secs(1), "disconnect") {
        ClientEvent::Disconnected { reconnecting, .. } => assert!(reconnecting),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        next(client.events(), Duration::from_secs(1), "reconnect"),
        ClientEvent::Connected
    );

    // The same session and handle, still usable.
    assert_eq!(admin_sessions(&server), vec![session.id().0]);
    assert_eq!(admin_handles(&server, session.id().0), vec![handle.id().0]);
    echo(&handle);
    session.keepalive().unwrap();
    assert_quiet(handle.events(), Duration::ZERO);
    handle.detach().unwrap();
    session.destroy().unwrap();
}

/// `claim` from a second connection makes it the session's owner: the
/// events of the handle the first one attached now reach the second one,
/// which reports them as unknown (it holds no such handle); the first one's
/// message sees its `ack` but never its event. Destroyed by the new owner,
/// the session ends on the old one as soon as the server says 458.
#[test]
fn ws_only_claim_moves_events_to_the_new_owner() {
    let server = start(JanusServer::builder());
    let first = connect(Kind::Ws, &server);
    let session = first.create_session().unwrap();
    let handle = session.attach(ECHOTEST).unwrap();

    let second = connect(Kind::Ws, &server);
    let claimed = second.claim(session.id(), true).unwrap();
    assert_eq!(claimed.id(), session.id());
    assert_eq!(claimed.origin(), SessionOrigin::Claimed);

    let err = handle
        .message_with(
            json!({"audio": true}),
            None,
            Some(Duration::from_millis(500)),
        )
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    match next(claimed.events(), Duration::from_secs(1), "the moved event") {
        SessionEvent::Unknown(raw) => {
            assert_eq!(raw["sender"], handle.id().0);
            assert_eq!(raw["plugindata"]["data"]["result"], "ok", "{raw}");
        }
        other => panic!("unexpected {other:?}"),
    }

    claimed.destroy().unwrap();
    let err = session.keepalive().unwrap_err();
    assert!(err.is_janus_code(458), "{err:?}");
    assert_eq!(
        handle_end(&handle, Duration::from_secs(1)),
        EndReason::NotFound
    );
    assert_eq!(
        session_end(&session, Duration::from_secs(1)),
        EndReason::NotFound
    );
}

#[test]
fn ws_only_two_hundred_sessions_on_one_connection() {
    const SESSIONS: usize = 200;
    const THREADS: usize = 8;
    let server = start(JanusServer::builder());
    let client = connect(Kind::Ws, &server);
    let started = Instant::now();

    // Sessions and handles, created from several threads at once.
    let pairs: Vec<(Session, Handle)> = thread::scope(|s| {
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                s.spawn(|| {
                    (0..SESSIONS / THREADS)
                        .map(|_| {
                            let session = client.create_session().unwrap();
                            let handle = session.attach(ECHOTEST).unwrap();
                            (session, handle)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert_eq!(admin_sessions(&server).len(), SESSIONS);
    let created = started.elapsed();

    // An offer on every handle at once: each reply is that handle's answer.
    thread::scope(|s| {
        for chunk in pairs.chunks(SESSIONS / THREADS) {
            s.spawn(move || {
                for (_, handle) in chunk {
                    let reply = handle
                        .message_with_jsep(json!({"audio": true}), Jsep::offer(OFFER))
                        .unwrap();
                    assert_eq!(reply.data["result"], "ok");
                    assert_eq!(reply.jsep.map(|j| j.kind), Some(SdpType::Answer));
                }
            });
        }
    });
    let messaged = started.elapsed();

    // Hanging up makes Janus send each handle two events that answer no
    // request; each must reach that handle and no other.
    for (_, handle) in &pairs {
        handle.hangup().unwrap();
    }
    for (_, handle) in &pairs {
        let mut hangups = 0;
        let mut dones = 0;
        while hangups + dones < 2 {
            match next(handle.events(), Duration::from_secs(5), "hangup events") {
                HandleEvent::Hangup { .. } => hangups += 1,
                HandleEvent::Plugin { data, .. } if data["result"] == "done" => dones += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!((hangups, dones), (1, 1), "handle {}", handle.id());
    }
    for (session, handle) in &pairs {
        assert_quiet(handle.events(), Duration::ZERO);
        assert_quiet(session.events(), Duration::ZERO);
    }

    for (session, _) in &pairs {
        session.destroy().unwrap();
    }
    // A call returns after the events its outcome caused.
    for (session, handle) in &pairs {
        assert_eq!(handle_end(handle, Duration::ZERO), EndReason::Destroyed);
        assert_eq!(session_end(session, Duration::ZERO), EndReason::Destroyed);
    }
    assert!(admin_sessions(&server).is_empty());
    assert!(client.footprint().unwrap().is_empty());
    eprintln!(
        "{SESSIONS} sessions: created in {created:?}, messaged by {messaged:?}, done in {:?}",
        started.elapsed()
    );
}

// ----- HTTP only -------------------------------------------------------------

/// A destroy sent right after an event arrived through the long poll races
/// the poll the engine re-arms at once: Janus destroys the session and may
/// answer the new poll 404 before the destroy's own reply. The session still
/// ends `Destroyed` and the destroy succeeds.
#[test]
fn http_only_destroy_right_after_an_event() {
    let server = start(JanusServer::builder());
    let client = connect(Kind::Http, &server);
    for _ in 0..20 {
        let session = client.create_session().unwrap();
        let handle = session.attach(ECHOTEST).unwrap();
        echo(&handle);
        session.destroy().unwrap();
        let end = session_end(&session, Duration::from_secs(1));
        assert_eq!(end, EndReason::Destroyed);
    }
    assert!(admin_sessions(&server).is_empty());
    assert!(client.footprint().unwrap().is_empty());
}

// ----- no server needed ---------------------------------------------------------

#[test]
fn bad_urls_are_refused() {
    for url in ["ftp://127.0.0.1/", "127.0.0.1:8188", ""] {
        match Client::connect(url) {
            Err(Error::Url { .. }) => {}
            other => panic!("{url:?}: expected a URL error, got {other:?}"),
        }
    }
    let http_config =
        Options::new().configure(|c| c.transport = janus_blocking::janus_core::Transport::HTTP);
    match Client::connect_with("ws://127.0.0.1:1", http_config) {
        Err(Error::Url { .. }) => {}
        other => panic!("expected a URL error, got {other:?}"),
    }
}
