//! The async adapters (`janus-tokio`, `janus-smol`) against a real Janus 1.1.2.
//!
//! Each scenario is written once, generic over the runtime glue
//! (`janus_async::Runtime`) and the transport, and run for every
//! combination by the macro at the bottom: tokio, smol under
//! `smol::block_on`, and smol under `async_std::task::block_on`, each over
//! WebSocket and HTTP. Every test starts its own private server (see
//! `janus_tests::rig`).

use futures_util::future::{join_all, select, Either};
use futures_util::{FutureExt, StreamExt};
use janus_async::janus_core::serde_json::json;
use janus_async::janus_core::{
    EndReason, JanusErrorKind, Jsep, KeepaliveInterval, ReconnectPolicy, SdpType, SessionId,
    SessionOrigin, Transport, Trickle,
};
use janus_async::{
    Client, ClientEvent, Error, Events, Handle, HandleEvent, Options, Runtime, Session,
    SessionEvent,
};
use janus_tests::rig::{http_post_json, JanusServer, JanusServerBuilder};
use janus_tests::support::{
    admin_handles, admin_sessions, all_threads_stopped, closed_port, ECHOTEST, OFFER, VIDEOROOM,
};
use std::fmt::Debug;
use std::future::Future;
use std::pin::pin;
use std::process::Command;
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

async fn connect<R: Runtime>(kind: Kind, server: &JanusServer) -> Client<R> {
    connect_with(kind, server, Options::new()).await
}

async fn connect_with<R: Runtime>(kind: Kind, server: &JanusServer, options: Options) -> Client<R> {
    let url = kind.url(server);
    Client::connect_with(&url, options)
        .await
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"))
}

/// `future`'s output, or `None` if `timeout` passes first.
async fn within<R: Runtime, T>(timeout: Duration, future: impl Future<Output = T>) -> Option<T> {
    match select(pin!(future), R::sleep_until(Instant::now() + timeout)).await {
        Either::Left((output, _)) => Some(output),
        Either::Right(_) => None,
    }
}

async fn sleep<R: Runtime>(duration: Duration) {
    R::sleep_until(Instant::now() + duration).await
}

/// The next event within `timeout`, or a panic naming what was awaited.
async fn next<R: Runtime, T: Debug + Send + 'static>(
    mut events: Events<T>,
    timeout: Duration,
    what: &str,
) -> T {
    match within::<R, _>(timeout, events.next()).await {
        Some(Some(n)) => n,
        Some(None) => panic!("the stream ended while waiting for {what}"),
        None => panic!("no {what} within {timeout:?}"),
    }
}

/// How the handle ended, waiting at most `timeout`. EchoTest's "done"
/// event (its media is over), which Janus may send just before, is skipped.
async fn handle_end<R: Runtime>(handle: &Handle<R>, timeout: Duration) -> EndReason {
    loop {
        match next::<R, _>(handle.events(), timeout, "handle end").await {
            HandleEvent::Ended(reason) => return reason,
            HandleEvent::Plugin { data, .. } if data["result"] == "done" => {}
            other => panic!("unexpected {other:?} before the end of the handle"),
        }
    }
}

/// How the session ended, waiting at most `timeout`. EchoTest's "done"
/// event for a handle that already ended (reported as unknown) is skipped.
async fn session_end<R: Runtime>(session: &Session<R>, timeout: Duration) -> EndReason {
    loop {
        match next::<R, _>(session.events(), timeout, "session end").await {
            SessionEvent::Ended(reason) => return reason,
            SessionEvent::Unknown(raw) if raw["plugindata"]["data"]["result"] == "done" => {}
            other => panic!("unexpected {other:?} before the end of the session"),
        }
    }
}

/// Asserts that the stream is over: nothing more, and closed.
async fn assert_over<R: Runtime, T: Debug + Send + 'static>(mut events: Events<T>) {
    match within::<R, _>(Duration::from_millis(200), events.next()).await {
        Some(None) => {}
        other => panic!("expected the end of the stream, got {other:?}"),
    }
}

/// Whether the stream ends (after what it still holds) within 3 s.
async fn stream_ends<R: Runtime, T: Debug + Send + 'static>(mut events: Events<T>) -> bool {
    within::<R, _>(Duration::from_secs(3), async {
        while events.next().await.is_some() {}
    })
    .await
    .is_some()
}

/// Asserts that nothing arrives for a little while.
async fn assert_quiet<R: Runtime, T: Debug + Send + 'static>(
    mut events: Events<T>,
    wait: Duration,
) {
    if wait.is_zero() {
        if let Some(n) = events.try_next() {
            panic!("expected nothing, got {n:?}");
        }
        return;
    }
    if let Some(n) = within::<R, _>(wait, events.next()).await {
        panic!("expected nothing, got {n:?}");
    }
}

/// Polls `check` every 20 ms for up to `timeout`.
async fn eventually<R: Runtime>(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if check() {
            return true;
        }
        if start.elapsed() >= timeout {
            return false;
        }
        sleep::<R>(Duration::from_millis(20)).await;
    }
}

async fn echo<R: Runtime>(handle: &Handle<R>) {
    let reply = handle
        .message(json!({"audio": true}))
        .await
        .unwrap_or_else(|e| panic!("echotest message: {e}"));
    assert_eq!(reply.data["result"], "ok", "{reply:?}");
}

// ----- scenarios, each run over both transports -----------------------------

async fn full_lifecycle<R: Runtime>(kind: Kind) {
    let server = start(JanusServer::builder());
    let client = connect::<R>(kind, &server).await;
    let info = client.server_info().expect("info fetched at connect");
    assert_eq!(info.version, Some(1102));
    assert_eq!(info.session_timeout, Some(60));
    assert!(info.plugins.iter().any(|p| p == ECHOTEST), "{info:?}");
    client.ping().await.unwrap();

    let session = client.create_session().await.unwrap();
    assert_eq!(session.origin(), SessionOrigin::Created);
    assert_eq!(admin_sessions(&server), vec![session.id().0]);

    let handle = session.attach_with(ECHOTEST, "lifecycle").await.unwrap();
    assert_eq!(handle.session_id(), session.id());
    assert_eq!(handle.plugin(), ECHOTEST);
    assert_eq!(admin_handles(&server, session.id().0), vec![handle.id().0]);

    echo(&handle).await;
    handle.trickle(Trickle::Completed).await.unwrap();
    session.keepalive().await.unwrap();
    handle.hangup().await.unwrap();

    handle.detach().await.unwrap();
    assert_eq!(
        handle_end(&handle, Duration::from_secs(2)).await,
        EndReason::Detached
    );
    assert_over::<R, _>(handle.events()).await;
    assert!(admin_handles(&server, session.id().0).is_empty());
    match handle.message(json!({"audio": true})).await {
        Err(Error::Ended { target, reason }) => {
            assert_eq!(reason, EndReason::Detached);
            assert_eq!(target, format!("handle {}", handle.id()));
        }
        other => panic!("a detached handle must be refused, got {other:?}"),
    }

    session.destroy().await.unwrap();
    assert_eq!(
        session_end(&session, Duration::from_secs(2)).await,
        EndReason::Destroyed
    );
    assert_over::<R, _>(session.events()).await;
    assert!(admin_sessions(&server).is_empty());

    let footprint = client.footprint().await.unwrap();
    assert!(
        footprint.is_empty(),
        "the engine keeps state: {footprint:?}"
    );

    drop(handle);
    drop(session);
    let events = client.events();
    client.close().await;
    // The driver has stopped: its event stream is over.
    assert!(stream_ends::<R, _>(events).await, "the driver did not stop");
    let err = client.ping().await.unwrap_err();
    assert!(err.is_closed(), "{err:?}");
}

async fn echotest_message_resolves_to_the_event<R: Runtime>(kind: Kind) {
    let server = start(JanusServer::builder());
    let client = connect::<R>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();

    // EchoTest acks every message; the reply is the event that follows.
    let reply = handle.message(json!({"audio": true})).await.unwrap();
    assert!(reply.asynchronous, "{reply:?}");
    assert_eq!(reply.plugin, ECHOTEST);
    assert_eq!(reply.data, json!({"echotest": "event", "result": "ok"}));
    assert_eq!(reply.jsep, None);

    // With an offer the event carries the answer.
    let reply = handle
        .message_with_jsep(json!({"audio": true}), Jsep::offer(OFFER))
        .await
        .unwrap();
    let answer = reply.jsep.expect("an SDP answer");
    assert_eq!(answer.kind, SdpType::Answer);
    assert!(answer.sdp.starts_with("v=0"), "{}", answer.sdp);
    assert_quiet::<R, _>(handle.events(), Duration::from_millis(100)).await;

    // A hangup tears the PeerConnection down: two events that answer no request.
    handle.hangup().await.unwrap();
    let mut seen = Vec::new();
    while seen.len() < 2 {
        match next::<R, _>(handle.events(), Duration::from_secs(3), "hangup events").await {
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

async fn videoroom_list_is_synchronous<R: Runtime>(kind: Kind) {
    let server = start(JanusServer::builder());
    let client = connect::<R>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(VIDEOROOM).await.unwrap();

    let reply = handle.message(json!({"request": "list"})).await.unwrap();
    assert!(!reply.asynchronous, "{reply:?}");
    assert_eq!(reply.plugin, VIDEOROOM);
    assert_eq!(reply.data["videoroom"], "success");
    let rooms = reply.data["list"].as_array().expect("a room list");
    assert!(rooms.iter().any(|r| r["room"] == 1234), "{rooms:?}");
}

async fn videoroom_unknown_request_is_a_plugin_error<R: Runtime>(kind: Kind) {
    let server = start(JanusServer::builder());
    let client = connect::<R>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(VIDEOROOM).await.unwrap();

    let err = handle
        .message(json!({"request": "nosuch"}))
        .await
        .unwrap_err();
    let plugin = err.plugin_error().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(plugin.plugin, VIDEOROOM);
    assert_eq!(plugin.code, 423);
    assert!(plugin.reason.contains("nosuch"), "{plugin:?}");
    assert_eq!(err.janus_code(), None);

    handle.message(json!({"request": "list"})).await.unwrap();
}

async fn unknown_plugin_is_janus_460<R: Runtime>(kind: Kind) {
    let server = start(JanusServer::builder());
    let client = connect::<R>(kind, &server).await;
    let session = client.create_session().await.unwrap();

    let err = session.attach("janus.plugin.nope").await.unwrap_err();
    assert!(err.is_janus_code(460), "{err:?}");
    assert_eq!(
        err.janus_error().unwrap().kind,
        JanusErrorKind::PluginNotFound
    );
    echo(&session.attach(ECHOTEST).await.unwrap()).await;
}

async fn claim_of_an_unknown_session_is_janus_458<R: Runtime>(kind: Kind) {
    let server = start(JanusServer::builder());
    let client = connect::<R>(kind, &server).await;

    let err = client
        .claim(SessionId(4242424242), false)
        .await
        .unwrap_err();
    assert!(err.is_janus_code(458), "{err:?}");
    assert_eq!(
        err.janus_error().unwrap().kind,
        JanusErrorKind::SessionNotFound
    );
    client.create_session().await.unwrap();
}

/// A handle detached on the server behind the client's back (see the
/// blocking suite for why WebSocket sees 459 and HTTP a `detached` event).
async fn handle_gone_on_the_server<R: Runtime>(kind: Kind) {
    let server = start(JanusServer::builder());
    let client = connect::<R>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
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
            assert_quiet::<R, _>(handle.events(), Duration::from_millis(200)).await;
            let err = handle.message(json!({"audio": true})).await.unwrap_err();
            assert!(err.is_janus_code(459), "{err:?}");
            assert_eq!(
                err.janus_error().unwrap().kind,
                JanusErrorKind::HandleNotFound
            );
            assert_eq!(
                handle_end(&handle, Duration::from_secs(1)).await,
                EndReason::NotFound
            );
        }
        Kind::Http => {
            assert_eq!(
                handle_end(&handle, Duration::from_secs(2)).await,
                EndReason::ServerDetached
            );
            let err = handle.message(json!({"audio": true})).await.unwrap_err();
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
    assert_over::<R, _>(handle.events()).await;
    session.keepalive().await.unwrap();
    let other = session.attach(ECHOTEST).await.unwrap();
    if kind == Kind::Http {
        echo(&other).await;
    }
}

/// Janus times sessions out by itself, and the client reports it (see the
/// blocking suite for the races this allows for).
async fn server_session_timeout_is_reported<R: Runtime>(kind: Kind) {
    let server = start(JanusServer::builder().session_timeout(3));
    let options = Options::new()
        .keepalive(KeepaliveInterval::Fixed(Duration::from_secs(3600)))
        .session_timeout(Duration::from_secs(3600));
    let client = connect_with::<R>(kind, &server, options).await;
    let mut bare = Vec::new();
    for _ in 0..3 {
        bare.push(client.create_session().await.unwrap());
    }
    let busy = client.create_session().await.unwrap();
    let handle = busy.attach(ECHOTEST).await.unwrap();
    let created = Instant::now();

    let mut ends = Vec::new();
    for s in &bare {
        ends.push(session_end(s, Duration::from_secs(10)).await);
    }
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
    for s in &bare {
        assert_over::<R, _>(s.events()).await;
    }

    let handle_end = handle_end(&handle, Duration::from_secs(2)).await;
    assert!(
        matches!(
            (kind, handle_end),
            (_, EndReason::ServerTimeout | EndReason::ServerDetached)
                | (Kind::Http, EndReason::NotFound)
        ),
        "{handle_end:?}"
    );
    let busy_end = session_end(&busy, Duration::from_secs(2)).await;
    match kind {
        Kind::Ws => assert_eq!(busy_end, EndReason::ServerTimeout),
        Kind::Http => assert!(
            matches!(busy_end, EndReason::ServerTimeout | EndReason::NotFound),
            "{busy_end:?}"
        ),
    }
    assert!(client
        .claim(bare[0].id(), false)
        .await
        .unwrap_err()
        .is_janus_code(458));
    assert!(client.footprint().await.unwrap().is_empty());
}

async fn keepalive_holds_a_session<R: Runtime>(kind: Kind) {
    let server = start(JanusServer::builder().session_timeout(3));
    let client = connect::<R>(kind, &server).await;
    // Learned at connect: keepalives every 1.5 s.
    assert_eq!(client.server_info().unwrap().session_timeout, Some(3));
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();

    assert_quiet::<R, _>(session.events(), Duration::from_secs(10)).await;
    assert_quiet::<R, _>(handle.events(), Duration::ZERO).await;
    assert_eq!(admin_sessions(&server), vec![session.id().0]);
    echo(&handle).await;
}

async fn api_secret_is_required<R: Runtime>(kind: Kind) {
    let server = start(JanusServer::builder().api_secret("s3cret"));

    let client = connect::<R>(kind, &server).await;
    let err = client.create_session().await.unwrap_err();
    assert!(err.is_janus_code(403), "{err:?}");
    assert_eq!(
        err.janus_error().unwrap().kind,
        JanusErrorKind::Unauthorized
    );

    let wrong = connect_with::<R>(kind, &server, Options::new().api_secret("wrong")).await;
    assert!(wrong.create_session().await.unwrap_err().is_janus_code(403));

    let right = connect_with::<R>(kind, &server, Options::new().api_secret("s3cret")).await;
    let session = right.create_session().await.unwrap();
    echo(&session.attach(ECHOTEST).await.unwrap()).await;
    session.destroy().await.unwrap();
    assert_eq!(
        session_end(&session, Duration::from_secs(1)).await,
        EndReason::Destroyed
    );
}

async fn token_auth<R: Runtime>(kind: Kind) {
    let server = start(JanusServer::builder().token_auth(true));
    server.add_token("tok-all", &[]).unwrap();
    server.add_token("tok-videoroom", &["videoroom"]).unwrap();

    let none = connect::<R>(kind, &server).await;
    assert!(none.create_session().await.unwrap_err().is_janus_code(403));
    let unknown = connect_with::<R>(kind, &server, Options::new().token("nope")).await;
    assert!(unknown
        .create_session()
        .await
        .unwrap_err()
        .is_janus_code(403));

    let all = connect_with::<R>(kind, &server, Options::new().token("tok-all")).await;
    let session = all.create_session().await.unwrap();
    echo(&session.attach(ECHOTEST).await.unwrap()).await;

    let limited = connect_with::<R>(kind, &server, Options::new().token("tok-videoroom")).await;
    let session = limited.create_session().await.unwrap();
    let err = session.attach(ECHOTEST).await.unwrap_err();
    assert!(err.is_janus_code(405), "{err:?}");
    let room = session.attach(VIDEOROOM).await.unwrap();
    room.message(json!({"request": "list"})).await.unwrap();
}

async fn drops_destroy_and_detach<R: Runtime>(kind: Kind) {
    let server = start(JanusServer::builder());
    let client = connect::<R>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    let kept = session.attach(ECHOTEST).await.unwrap();

    drop(handle);
    assert!(
        eventually::<R>(Duration::from_secs(2), || admin_handles(
            &server,
            session.id().0
        ) == vec![kept.id().0])
        .await,
        "the dropped handle is still attached"
    );
    drop(kept);
    drop(session);
    assert!(
        eventually::<R>(Duration::from_secs(2), || admin_sessions(&server)
            .is_empty())
        .await,
        "the dropped session still exists"
    );

    // A session outlives the client value it came from; dropping it last
    // still destroys it, and the driver then stops.
    let client = connect::<R>(kind, &server).await;
    let events = client.events();
    let session = client.create_session().await.unwrap();
    drop(client);
    session.keepalive().await.unwrap();
    assert_eq!(admin_sessions(&server), vec![session.id().0]);
    drop(session);
    assert!(
        eventually::<R>(Duration::from_secs(2), || admin_sessions(&server)
            .is_empty())
        .await,
        "the session dropped last still exists"
    );
    // Dropping the last clone stopped the driver: its event stream ends.
    assert!(stream_ends::<R, _>(events).await, "the driver did not stop");
}

async fn close_ends_everything_locally<R: Runtime>(kind: Kind) {
    let server = start(JanusServer::builder().reclaim_session_timeout(10));
    let client = connect::<R>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    let other = client.clone();

    client.close().await;
    assert_eq!(
        handle_end(&handle, Duration::from_secs(1)).await,
        EndReason::Closed
    );
    assert_eq!(
        session_end(&session, Duration::from_secs(1)).await,
        EndReason::Closed
    );
    assert!(other.ping().await.unwrap_err().is_closed());
    assert!(handle.message(json!({})).await.unwrap_err().is_closed());
    client.close().await; // idempotent

    let id = session.id();
    drop(handle);
    drop(session);
    assert_eq!(admin_sessions(&server), vec![id.0]);
    let again = connect::<R>(kind, &server).await;
    let claimed = again.claim(id, true).await.unwrap();
    assert_eq!(claimed.origin(), SessionOrigin::Claimed);
    echo(&claimed.attach(ECHOTEST).await.unwrap()).await;
}

async fn server_killed_mid_request<R: Runtime>(kind: Kind) {
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
    let client = connect_with::<R>(kind, &server, options).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    echo(&handle).await;

    let pid = server.pid().to_string();
    let stopped = Command::new("sh")
        .args(["-c", &format!("kill -STOP {pid}")])
        .status()
        .unwrap();
    assert!(stopped.success());
    assert!(
        eventually::<R>(Duration::from_secs(2), || all_threads_stopped(server.pid())).await,
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
    let err = handle.message(json!({"audio": true})).await.unwrap_err();
    let waited = sent.elapsed();
    assert!(err.is_transport_closed(), "{err:?}");
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    killer.join().unwrap();

    assert_eq!(
        handle_end(&handle, Duration::from_secs(5)).await,
        EndReason::TransportLost
    );
    assert_eq!(
        session_end(&session, Duration::from_secs(1)).await,
        EndReason::TransportLost
    );
    assert_over::<R, _>(session.events()).await;
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
        let closed = eventually::<R>(Duration::from_secs(1), || {
            client
                .ping()
                .now_or_never()
                .is_some_and(|r| r.is_err_and(|e| e.is_closed()))
        });
        assert!(closed.await, "the client did not close for good");
    }
}

async fn connect_failures<R: Runtime>(kind: Kind) {
    let url = match kind {
        Kind::Ws => format!("ws://127.0.0.1:{}", closed_port()),
        Kind::Http => format!("http://127.0.0.1:{}/janus", closed_port()),
    };
    let t = Instant::now();
    match Client::<R>::connect(&url).await {
        Err(Error::Connect { url: u, .. }) => assert_eq!(u, url),
        other => panic!("expected a connect error, got {other:?}"),
    }
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

/// `wss://` and `https://` against a server with a self-signed
/// certificate: refused with the webpki roots, working once the
/// certificate is trusted.
async fn tls_with_a_private_root<R: Runtime>(kind: Kind) {
    let server = start(JanusServer::builder().tls(true));
    let url = match kind {
        Kind::Ws => server.wss_url(),
        Kind::Http => server.https_url(),
    };
    match Client::<R>::connect(&url).await {
        Err(Error::Connect { reason, .. }) => {
            assert!(reason.to_lowercase().contains("certificate"), "{reason}")
        }
        other => panic!("an untrusted certificate must be refused, got {other:?}"),
    }
    let root = server.tls_certificate().expect("a TLS server").to_vec();
    let client = Client::<R>::connect_with(&url, Options::new().root_certificate(root))
        .await
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"));
    let session = client.create_session().await.unwrap();
    echo(&session.attach(ECHOTEST).await.unwrap()).await;
    session.destroy().await.unwrap();
    assert_eq!(
        session_end(&session, Duration::from_secs(2)).await,
        EndReason::Destroyed
    );
    client.close().await;
}

/// Futures dropped half-way leave the engine consistent: the request still
/// resolves inside it, and what a dropped create or attach made is undone.
async fn cancelled_futures_leave_no_trace<R: Runtime>(kind: Kind) {
    let server = start(JanusServer::builder());
    let client = connect::<R>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();

    // A message polled once (so it is sent) and dropped.
    assert!(handle
        .message(json!({"audio": true}))
        .now_or_never()
        .is_none());
    // An attach and a create, dropped the same way.
    assert!(session.attach(ECHOTEST).now_or_never().is_none());
    assert!(client.create_session().now_or_never().is_none());
    // An attach abandoned after a little while (its reply may be in flight).
    assert!(
        within::<R, _>(Duration::from_micros(300), session.attach(ECHOTEST))
            .await
            .is_none_or(|r| r.is_ok())
    );

    // The handle still works, and the abandoned session and handles are
    // gone from the server.
    echo(&handle).await;
    assert!(
        eventually::<R>(Duration::from_secs(3), || admin_sessions(&server)
            == vec![session.id().0]
            && admin_handles(&server, session.id().0) == vec![handle.id().0])
        .await,
        "abandoned work left on the server: sessions {:?}, handles {:?}",
        admin_sessions(&server),
        admin_handles(&server, session.id().0)
    );
    assert_quiet::<R, _>(handle.events(), Duration::ZERO).await;
    session.destroy().await.unwrap();
    assert_eq!(
        session_end(&session, Duration::from_secs(2)).await,
        EndReason::Destroyed
    );
    assert!(
        eventually::<R>(Duration::from_secs(2), || {
            client
                .footprint()
                .now_or_never()
                .is_some_and(|f| f.is_ok_and(|f| f.is_empty()))
        })
        .await,
        "the engine keeps state: {:?}",
        client.footprint().await
    );
}

// ----- WebSocket only ---------------------------------------------------------

async fn ws_only_dropped_websocket_is_reclaimed<R: Runtime>() {
    let server = start(JanusServer::builder().reclaim_session_timeout(10));
    let client = connect::<R>(Kind::Ws, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    echo(&handle).await;
    assert_eq!(
        next::<R, _>(client.events(), Duration::from_secs(1), "first connect").await,
        ClientEvent::Connected
    );

    client.drop_transport().unwrap();
    assert_eq!(
        next::<R, _>(session.events(), Duration::from_secs(5), "reclaim").await,
        SessionEvent::Reclaimed
    );
    match next::<R, _>(client.events(), Duration::from_secs(1), "disconnect").await {
        ClientEvent::Disconnected { reconnecting, .. } => assert!(reconnecting),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        next::<R, _>(client.events(), Duration::from_secs(1), "reconnect").await,
        ClientEvent::Connected
    );

    assert_eq!(admin_sessions(&server), vec![session.id().0]);
    assert_eq!(admin_handles(&server, session.id().0), vec![handle.id().0]);
    echo(&handle).await;
    session.keepalive().await.unwrap();
    assert_quiet::<R, _>(handle.events(), Duration::ZERO).await;
    handle.detach().await.unwrap();
    session.destroy().await.unwrap();
}

/// `claim` from a second connection makes it the session's owner (see the
/// blocking suite).
async fn ws_only_claim_moves_events_to_the_new_owner<R: Runtime>() {
    let server = start(JanusServer::builder());
    let first = connect::<R>(Kind::Ws, &server).await;
    let session = first.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();

    let second = connect::<R>(Kind::Ws, &server).await;
    let claimed = second.claim(session.id(), true).await.unwrap();
    assert_eq!(claimed.id(), session.id());
    assert_eq!(claimed.origin(), SessionOrigin::Claimed);

    let err = handle
        .message_with(
            json!({"audio": true}),
            None,
            Some(Duration::from_millis(500)),
        )
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    match next::<R, _>(claimed.events(), Duration::from_secs(1), "the moved event").await {
        SessionEvent::Unknown(raw) => {
            assert_eq!(raw["sender"], handle.id().0);
            assert_eq!(raw["plugindata"]["data"]["result"], "ok", "{raw}");
        }
        other => panic!("unexpected {other:?}"),
    }

    claimed.destroy().await.unwrap();
    let err = session.keepalive().await.unwrap_err();
    assert!(err.is_janus_code(458), "{err:?}");
    assert_eq!(
        handle_end(&handle, Duration::from_secs(1)).await,
        EndReason::NotFound
    );
    assert_eq!(
        session_end(&session, Duration::from_secs(1)).await,
        EndReason::NotFound
    );
}

/// A thousand sessions on one WebSocket, all driven at once: every reply
/// and every event reaches its own caller or handle, and nothing is lost.
async fn ws_only_a_thousand_sessions_on_one_connection<R: Runtime>() {
    const SESSIONS: usize = 1000;
    let server = start(JanusServer::builder());
    let client = connect::<R>(Kind::Ws, &server).await;
    let started = Instant::now();

    let pairs: Vec<(Session<R>, Handle<R>)> = join_all((0..SESSIONS).map(|_| async {
        let session = client.create_session().await.unwrap();
        let handle = session.attach(ECHOTEST).await.unwrap();
        (session, handle)
    }))
    .await;
    assert_eq!(admin_sessions(&server).len(), SESSIONS);
    let created = started.elapsed();

    // An offer on every handle at once: each reply is that handle's answer,
    // then a hangup makes Janus send each handle two events that answer no
    // request; each must reach that handle and no other.
    join_all(pairs.iter().map(|(session, handle)| async move {
        let reply = handle
            .message_with_jsep(json!({"audio": true}), Jsep::offer(OFFER))
            .await
            .unwrap();
        assert_eq!(reply.data["result"], "ok");
        assert_eq!(reply.jsep.map(|j| j.kind), Some(SdpType::Answer));
        session.keepalive().await.unwrap();
        handle.hangup().await.unwrap();
        let (mut hangups, mut dones) = (0, 0);
        while hangups + dones < 2 {
            let event =
                next::<R, _>(handle.events(), Duration::from_secs(20), "hangup events").await;
            match event {
                HandleEvent::Hangup { .. } => hangups += 1,
                HandleEvent::Plugin {
                    data, transaction, ..
                } if data["result"] == "done" && transaction.is_none() => dones += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!((hangups, dones), (1, 1), "handle {}", handle.id());
    }))
    .await;
    let messaged = started.elapsed();
    for (session, handle) in &pairs {
        assert_quiet::<R, _>(handle.events(), Duration::ZERO).await;
        assert_quiet::<R, _>(session.events(), Duration::ZERO).await;
    }

    join_all(pairs.iter().map(|(session, _)| session.destroy()))
        .await
        .into_iter()
        .for_each(|r| r.unwrap());
    for (session, handle) in &pairs {
        assert_eq!(
            handle_end(handle, Duration::ZERO).await,
            EndReason::Destroyed
        );
        assert_eq!(
            session_end(session, Duration::ZERO).await,
            EndReason::Destroyed
        );
    }
    assert!(admin_sessions(&server).is_empty());
    assert!(client.footprint().await.unwrap().is_empty());
    eprintln!(
        "{SESSIONS} sessions: created in {created:?}, messaged by {messaged:?}, done in {:?}",
        started.elapsed()
    );
}

// ----- HTTP only -------------------------------------------------------------

/// A destroy right after an event races the re-armed long poll; the session
/// still ends `Destroyed` and the destroy succeeds.
async fn http_only_destroy_right_after_an_event<R: Runtime>() {
    let server = start(JanusServer::builder());
    let client = connect::<R>(Kind::Http, &server).await;
    for _ in 0..20 {
        let session = client.create_session().await.unwrap();
        let handle = session.attach(ECHOTEST).await.unwrap();
        echo(&handle).await;
        session.destroy().await.unwrap();
        let end = session_end(&session, Duration::from_secs(1)).await;
        assert_eq!(end, EndReason::Destroyed);
    }
    assert!(admin_sessions(&server).is_empty());
    assert!(client.footprint().await.unwrap().is_empty());
}

// ----- no server needed ---------------------------------------------------------

async fn bad_urls_are_refused<R: Runtime>() {
    for url in ["ftp://127.0.0.1/", "127.0.0.1:8188", ""] {
        match Client::<R>::connect(url).await {
            Err(Error::Url { .. }) => {}
            other => panic!("{url:?}: expected a URL error, got {other:?}"),
        }
    }
    let http_config = Options::new().configure(|c| c.transport = Transport::HTTP);
    match Client::<R>::connect_with("ws://127.0.0.1:1", http_config).await {
        Err(Error::Url { .. }) => {}
        other => panic!("expected a URL error, got {other:?}"),
    }
}

// ----- every scenario on every runtime ----------------------------------------

fn on_tokio<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

fn on_smol<F: Future>(future: F) -> F::Output {
    smol::block_on(future)
}

fn on_async_std<F: Future>(future: F) -> F::Output {
    async_std::task::block_on(future)
}

macro_rules! suite {
    ($runtime:ident, $glue:ty, $block_on:ident; $($name:ident),* $(,)?) => {
        mod $runtime {
            use super::*;
            type R = $glue;

            mod ws {
                use super::*;
                $(#[test] fn $name() { $block_on(super::super::$name::<R>(Kind::Ws)) })*
            }

            mod http {
                use super::*;
                $(#[test] fn $name() { $block_on(super::super::$name::<R>(Kind::Http)) })*
            }

            #[test]
            fn ws_only_dropped_websocket_is_reclaimed() {
                $block_on(super::ws_only_dropped_websocket_is_reclaimed::<R>())
            }

            #[test]
            fn ws_only_claim_moves_events_to_the_new_owner() {
                $block_on(super::ws_only_claim_moves_events_to_the_new_owner::<R>())
            }

            #[test]
            fn ws_only_a_thousand_sessions_on_one_connection() {
                $block_on(super::ws_only_a_thousand_sessions_on_one_connection::<R>())
            }

            #[test]
            fn http_only_destroy_right_after_an_event() {
                $block_on(super::http_only_destroy_right_after_an_event::<R>())
            }

            #[test]
            fn bad_urls_are_refused() {
                $block_on(super::bad_urls_are_refused::<R>())
            }
        }
    };
}

/// The scenarios run over both transports, on each runtime.
macro_rules! every_runtime {
    ($($name:ident),* $(,)?) => {
        suite!(tokio_rt, janus_tokio::Tokio, on_tokio; $($name),*);
        suite!(smol_rt, janus_smol::Smol, on_smol; $($name),*);
        suite!(async_std_rt, janus_smol::Smol, on_async_std; $($name),*);
    };
}

every_runtime!(
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
    cancelled_futures_leave_no_trace,
    tls_with_a_private_root,
);

/// Clients are `Clone + Send + Sync`; sessions, handles, streams and the
/// futures of every call can move between threads (e.g. into `tokio::spawn`).
#[test]
fn values_and_futures_cross_threads() {
    fn clone_send_sync<T: Clone + Send + Sync + 'static>() {}
    fn send_sync<T: Send + Sync + 'static>() {}
    fn send<T: Send>(_: &T) {}
    clone_send_sync::<janus_tokio::Client>();
    clone_send_sync::<janus_smol::Client>();
    send_sync::<janus_tokio::Session>();
    send_sync::<janus_tokio::Handle>();
    send_sync::<janus_smol::Session>();
    send_sync::<janus_smol::Handle>();
    clone_send_sync::<Events<HandleEvent>>();
    let _ = |client: &janus_tokio::Client,
             session: &janus_tokio::Session,
             handle: &janus_tokio::Handle| {
        send(&client.create_session());
        send(&client.claim(SessionId(1), true));
        send(&client.info());
        send(&client.close());
        send(&session.attach(ECHOTEST));
        send(&session.destroy());
        send(&handle.message(json!({})));
        send(&handle.trickle(Trickle::Completed));
        send(&handle.detach());
    };
}
