//! Every scenario, written once over [`Adapter`] and run for each adapter
//! and transport by `main.rs`. Every scenario starts its own private server
//! (see `janus_tests::rig`).

use crate::adapter::{Adapter, ClientApi, DriverWatch, EventStream, HandleApi, Next, SessionApi};
pub use crate::admin_scenarios::*;
pub use crate::amqp_scenarios::*;
pub use crate::unix_scenarios::*;
use futures_util::FutureExt;
use janus_async::janus_core::serde_json::json;
use janus_async::janus_core::{
    EndReason, JanusErrorKind, Jsep, KeepaliveInterval, ReconnectPolicy, SdpType, SessionId,
    SessionOrigin, Transport, Trickle,
};
use janus_async::{ClientEvent, Error, HandleEvent, Options, SessionEvent};
use janus_tests::proxy::Proxy;
use janus_tests::rabbitmq::RabbitMq;
use janus_tests::rig::{http_post_json, JanusServer, JanusServerBuilder, UnixSocketType};
use janus_tests::support::{
    admin_handles, admin_sessions, closed_port, freeze, write_silent_opus, ECHOTEST, OFFER,
    VIDEOROOM,
};
use std::fmt::Debug;
use std::future::Future;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// The transport a scenario runs over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Ws,
    Http,
    /// Janus's Unix-socket transport, `SOCK_SEQPACKET` (`unix://`).
    Unix,
    /// Janus's Unix-socket transport, `SOCK_DGRAM` (`unix+dgram://`).
    UnixDgram,
    /// Janus's RabbitMQ transport (`amqp://`) through the test binary's
    /// private broker.
    Amqp,
}

impl Kind {
    pub fn url(self, server: &JanusServer) -> String {
        match self {
            Kind::Ws => server.ws_url(),
            Kind::Http => server.http_url(),
            Kind::Unix | Kind::UnixDgram => server.unix_url(),
            Kind::Amqp => server.amqp_url().expect("a server built for RabbitMQ"),
        }
    }

    fn tls_url(self, server: &JanusServer) -> String {
        match self {
            Kind::Ws => server.wss_url(),
            Kind::Http => server.https_url(),
            Kind::Unix | Kind::UnixDgram | Kind::Amqp => {
                unreachable!("TLS runs over WebSocket and HTTP only")
            }
        }
    }

    /// The server for this transport: `builder` with the Unix socket's type.
    pub fn server(self, builder: JanusServerBuilder) -> JanusServer {
        let builder = match self {
            Kind::UnixDgram => builder.unix_socket_type(UnixSocketType::Datagram),
            Kind::Amqp => builder.rabbitmq(RabbitMq::shared().amqp_port(), &amqp_server_name()),
            _ => builder,
        };
        start(builder)
    }
}

// ----- helpers ------------------------------------------------------------

/// A name of its own for each server on the shared broker (its routing
/// keys are `to-janus.NAME` and `from-janus.NAME`).
pub(crate) fn amqp_server_name() -> String {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("suite{}x{n}", std::process::id())
}

pub(crate) fn start(builder: JanusServerBuilder) -> JanusServer {
    builder.start().unwrap_or_else(|e| panic!("{e}"))
}

pub(crate) async fn connect<A: Adapter>(kind: Kind, server: &JanusServer) -> A::Client {
    connect_with::<A>(kind, server, Options::new()).await
}

pub(crate) async fn connect_with<A: Adapter>(
    kind: Kind,
    server: &JanusServer,
    options: Options,
) -> A::Client {
    let url = kind.url(server);
    A::Client::connect_with(&url, options)
        .await
        .unwrap_or_else(|e| panic!("{}: connect to {url}: {e}", A::NAME))
}

/// The next event within `timeout`, or a panic naming what was awaited.
pub(crate) async fn next<T: Debug>(
    mut events: impl EventStream<T>,
    timeout: Duration,
    what: &str,
) -> T {
    match events.next_within(timeout).await {
        Next::Event(event) => event,
        Next::Over => panic!("the stream ended while waiting for {what}"),
        Next::Quiet => panic!("no {what} within {timeout:?}"),
    }
}

/// The next event of `handle` within `timeout` (a panic otherwise).
pub async fn next_handle_event(handle: &impl HandleApi, timeout: Duration) -> HandleEvent {
    next(handle.events(), timeout, "a handle event").await
}

/// How the handle ended, waiting at most `timeout`. EchoTest's "done"
/// event (its media is over), which Janus may send just before, is skipped.
pub(crate) async fn handle_end(handle: &impl HandleApi, timeout: Duration) -> EndReason {
    loop {
        match next(handle.events(), timeout, "handle end").await {
            HandleEvent::Ended(reason) => return reason,
            HandleEvent::Plugin { data, .. } if data["result"] == "done" => {}
            other => panic!("unexpected {other:?} before the end of the handle"),
        }
    }
}

/// How the session ended, waiting at most `timeout`. EchoTest's "done"
/// event for a handle that already ended (reported as unknown) is skipped.
pub(crate) async fn session_end(session: &impl SessionApi, timeout: Duration) -> EndReason {
    loop {
        match next(session.events(), timeout, "session end").await {
            SessionEvent::Ended(reason) => return reason,
            SessionEvent::Unknown(raw) if raw["plugindata"]["data"]["result"] == "done" => {}
            other => panic!("unexpected {other:?} before the end of the session"),
        }
    }
}

/// Asserts that the stream is over: nothing more, and closed.
async fn assert_over<T: Debug>(mut events: impl EventStream<T>) {
    match events.next_within(Duration::from_millis(200)).await {
        Next::Over => {}
        other => panic!("expected the end of the stream, got {other:?}"),
    }
}

/// Whether the stream ends (after what it still holds) within 3 s: for the
/// client's events, that its thread or driver task has stopped.
async fn stream_ends<T: Debug>(mut events: impl EventStream<T>) -> bool {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.next_within(left).await {
            Next::Over => return true,
            Next::Quiet => return false,
            Next::Event(_) => {}
        }
    }
}

/// Asserts that the client's next events, each within `wait`, are a
/// disconnect with a reconnect on its way and then the reconnect.
pub(crate) async fn assert_reconnected(client: &impl ClientApi, wait: Duration) {
    match next(client.events(), wait, "disconnect").await {
        ClientEvent::Disconnected { reconnecting, .. } => assert!(reconnecting),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        next(client.events(), wait, "reconnect").await,
        ClientEvent::Connected
    );
}

/// Asserts that nothing arrives for a little while (zero: nothing is there).
pub(crate) async fn assert_quiet<T: Debug>(mut events: impl EventStream<T>, wait: Duration) {
    match events.next_within(wait).await {
        Next::Quiet => {}
        other => panic!("expected nothing, got {other:?}"),
    }
}

/// Checks `check` every 20 ms for up to `timeout`.
async fn eventually<A: Adapter, F: Future<Output = bool>>(
    timeout: Duration,
    mut check: impl FnMut() -> F,
) -> bool {
    let start = Instant::now();
    loop {
        if check().await {
            return true;
        }
        if start.elapsed() >= timeout {
            return false;
        }
        A::sleep(Duration::from_millis(20)).await;
    }
}

/// Whether the engine holds nothing, asked for at most 100 ms.
async fn footprint_is_empty<A: Adapter>(client: &A::Client) -> bool {
    A::within(Duration::from_millis(100), client.footprint())
        .await
        .is_some_and(|f| f.is_ok_and(|f| f.is_empty()))
}

/// Drops `handle` and asserts that the server detaches it (and only it),
/// then drops `kept` and `session` and asserts that the server destroys
/// the session.
async fn drops_end_them<A: Adapter>(
    server: &JanusServer,
    session: A::Session,
    handle: A::Handle,
    kept: A::Handle,
) {
    drop(handle);
    assert!(
        eventually::<A, _>(Duration::from_secs(2), || async {
            admin_handles(server, session.id().0) == vec![kept.id().0]
        })
        .await,
        "the dropped handle is still attached"
    );
    drop(kept);
    drop(session);
    assert!(
        eventually::<A, _>(Duration::from_secs(2), || async {
            admin_sessions(server).is_empty()
        })
        .await,
        "the dropped session still exists"
    );
}

pub(crate) async fn echo(handle: &impl HandleApi) {
    let reply = handle
        .message(json!({"audio": true}))
        .await
        .unwrap_or_else(|e| panic!("echotest message: {e}"));
    assert_eq!(reply.data["result"], "ok", "{reply:?}");
}

// ----- scenarios, each run over both transports -----------------------------

pub async fn full_lifecycle<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder());
    let client = connect::<A>(kind, &server).await;
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
    assert_over(handle.events()).await;
    assert!(admin_handles(&server, session.id().0).is_empty());
    match handle.message(json!({"audio": true})).await {
        Err(Error::Ended { target, reason }) => {
            assert_eq!(reason, EndReason::Detached);
            assert_eq!(target, format!("handle {}", handle.id()));
        }
        other => panic!("a detached handle must be refused, got {other:?}"),
    }

    // Over HTTP, the long poll that the detach's events answered is
    // re-armed at once (see `http_only_destroy_right_after_an_event`).
    session.destroy().await.unwrap();
    assert_eq!(
        session_end(&session, Duration::from_secs(2)).await,
        EndReason::Destroyed
    );
    assert_over(session.events()).await;
    assert!(admin_sessions(&server).is_empty());

    let footprint = client.footprint().await.unwrap();
    assert!(
        footprint.is_empty(),
        "the engine keeps state: {footprint:?}"
    );

    // Dropping what was destroyed and detached sends nothing more.
    drop(handle);
    drop(session);
    let events = client.events();
    client.close().await;
    // The thread or driver task has stopped: its event stream is over.
    assert!(stream_ends(events).await, "the driver did not stop");
    let err = client.ping().await.unwrap_err();
    assert!(err.is_closed(), "{err:?}");
}

pub async fn echotest_message_resolves_to_the_event<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder());
    let client = connect::<A>(kind, &server).await;
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
    assert_quiet(handle.events(), Duration::from_millis(100)).await;

    // A hangup tears the PeerConnection down: two events that answer no request.
    handle.hangup().await.unwrap();
    let mut seen = Vec::new();
    while seen.len() < 2 {
        match next(handle.events(), Duration::from_secs(3), "hangup events").await {
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

pub async fn videoroom_list_is_synchronous<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder());
    let client = connect::<A>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(VIDEOROOM).await.unwrap();

    let reply = handle.message(json!({"request": "list"})).await.unwrap();
    assert!(!reply.asynchronous, "{reply:?}");
    assert_eq!(reply.plugin, VIDEOROOM);
    assert_eq!(reply.data["videoroom"], "success");
    let rooms = reply.data["list"].as_array().expect("a room list");
    assert!(rooms.iter().any(|r| r["room"] == 1234), "{rooms:?}");
}

pub async fn videoroom_unknown_request_is_a_plugin_error<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder());
    let client = connect::<A>(kind, &server).await;
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

    // The handle is still fine.
    handle.message(json!({"request": "list"})).await.unwrap();
}

pub async fn unknown_plugin_is_janus_460<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder());
    let client = connect::<A>(kind, &server).await;
    let session = client.create_session().await.unwrap();

    let err = session.attach("janus.plugin.nope").await.unwrap_err();
    assert!(err.is_janus_code(460), "{err:?}");
    assert_eq!(
        err.janus_error().unwrap().kind,
        JanusErrorKind::PluginNotFound
    );
    // The session is still fine.
    echo(&session.attach(ECHOTEST).await.unwrap()).await;
}

pub async fn claim_of_an_unknown_session_is_janus_458<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder());
    let client = connect::<A>(kind, &server).await;

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

/// A handle detached on the server behind the client's back. Over
/// WebSocket the session is first claimed by the HTTP transport, so the
/// `detached` event goes there and the client only learns from the 459
/// answer to its next request. Over HTTP the server always tells the
/// client's long poll, so the handle ends as `ServerDetached` (a 459 is not
/// reachable through the engine, which refuses requests to ended handles).
pub async fn handle_gone_on_the_server<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder());
    let client = connect::<A>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    let base = server.http_url();
    let (sid, hid) = (session.id().0, handle.id().0);
    if kind != Kind::Http {
        let claim = json!({"janus": "claim", "transaction": "raw-claim"});
        let reply = http_post_json(&format!("{base}/{sid}"), &claim).unwrap();
        assert_eq!(reply["janus"], "success", "{reply}");
    }
    let detach = json!({"janus": "detach", "transaction": "raw-detach"});
    let reply = http_post_json(&format!("{base}/{sid}/{hid}"), &detach).unwrap();
    assert_eq!(reply["janus"], "success", "{reply}");

    match kind {
        Kind::Ws | Kind::Unix | Kind::UnixDgram | Kind::Amqp => {
            assert_quiet(handle.events(), Duration::from_millis(200)).await;
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
    assert_over(handle.events()).await;
    // The session lives on (over WebSocket its events now go to the HTTP
    // transport, which claimed it).
    session.keepalive().await.unwrap();
    let other = session.attach(ECHOTEST).await.unwrap();
    if kind == Kind::Http {
        echo(&other).await;
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
pub async fn server_session_timeout_is_reported<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder().session_timeout(3));
    // No keepalive, and a local expiry estimate far away: only the server speaks.
    let options = Options::new()
        .keepalive(KeepaliveInterval::Fixed(Duration::from_secs(3600)))
        .session_timeout(Duration::from_secs(3600));
    let client = connect_with::<A>(kind, &server, options).await;
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
        Kind::Ws | Kind::Unix | Kind::UnixDgram | Kind::Amqp => {
            assert_eq!(ends, [EndReason::ServerTimeout; 3])
        }
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
        assert_over(s.events()).await;
    }

    // Over HTTP a 404 poll ends the session and its handles `NotFound`.
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
        Kind::Ws | Kind::Unix | Kind::UnixDgram | Kind::Amqp => {
            assert_eq!(busy_end, EndReason::ServerTimeout)
        }
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
    // Over HTTP a long poll of an ended session may still be on its way
    // back (Janus answers it 404): the engine is empty once it is.
    let emptied = eventually::<A, _>(Duration::from_secs(3), || async {
        client.footprint().await.unwrap().is_empty()
    });
    assert!(emptied.await, "{:?}", client.footprint().await);
}

pub async fn keepalive_holds_a_session<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder().session_timeout(3));
    let client = connect::<A>(kind, &server).await;
    // Learned at connect: keepalives every 1.5 s.
    assert_eq!(client.server_info().unwrap().session_timeout, Some(3));
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();

    assert_quiet(session.events(), Duration::from_secs(10)).await;
    assert_quiet(handle.events(), Duration::ZERO).await;
    assert_eq!(admin_sessions(&server), vec![session.id().0]);
    echo(&handle).await;
}

/// The session lifetime API against the server's clock: with automatic
/// keepalive off, a hold keeps the session alive (keepalives go out and no
/// expiry is estimated) for as long as its guard lives; once it is dropped
/// the session expires, and says so.
pub async fn a_hold_keeps_a_session_alive<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder().session_timeout(3));
    let client = connect::<A>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let fresh = session.lifetime().await.unwrap();
    assert_eq!(
        (fresh.origin, fresh.keepalive, fresh.holds, fresh.expired),
        (SessionOrigin::Created, true, 0, false)
    );
    let left = fresh.time_left.expect("a 3 s session timeout was learned");
    assert!(
        left > Duration::from_secs(2) && left <= Duration::from_secs(10),
        "{left:?}"
    );

    session.set_keepalive(false).await.unwrap();
    assert!(!session.lifetime().await.unwrap().keepalive);
    let hold = session.hold().await.unwrap();
    let held = session.lifetime().await.unwrap();
    assert_eq!(
        (held.keepalive, held.holds, held.expires_at),
        (true, 1, None)
    );
    // Well past the server's timeout: kept alive by the hold alone.
    assert_quiet(session.events(), Duration::from_secs(5)).await;
    assert_eq!(admin_sessions(&server), vec![session.id().0]);
    session.touch().await.unwrap();
    assert!(!session.is_expired().await);

    drop(hold);
    let released = session.lifetime().await.unwrap();
    assert_eq!((released.keepalive, released.holds), (false, 0));
    assert!(released.expires_at.is_some());
    let end = session_end(&session, Duration::from_secs(15)).await;
    assert!(
        matches!(
            end,
            EndReason::ServerTimeout | EndReason::Expired | EndReason::NotFound
        ),
        "{end:?}"
    );
    assert!(session.is_expired().await);
    assert!(matches!(
        session.touch().await,
        Err(Error::Ended { reason, .. }) if reason == end
    ));
    client.close().await;
}

/// A request the server does not answer in time fails with a timeout and
/// leaves everything else usable.
pub async fn a_request_times_out<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder());
    let client = connect::<A>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();

    let frozen = freeze(&server);
    let sent = Instant::now();
    let err = handle
        .message_with(
            json!({"audio": true}),
            None,
            Some(Duration::from_millis(300)),
        )
        .await
        .unwrap_err();
    let waited = sent.elapsed();
    drop(frozen);
    assert!(err.is_timeout(), "{err:?}");
    // The error names the request and its limit, and the client counts it.
    assert!(
        err.to_string()
            .contains("no reply to `message` within 300ms"),
        "{err}"
    );
    assert!(client.metrics().await.unwrap().counters.timeouts >= 1);
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(2),
        "{waited:?}"
    );

    // The late answer to the abandoned request reaches nobody's call; the
    // handle and the session work on.
    echo(&handle).await;
    session.keepalive().await.unwrap();
    handle.detach().await.unwrap();
    session.destroy().await.unwrap();
    assert_eq!(
        session_end(&session, Duration::from_secs(2)).await,
        EndReason::Destroyed
    );
    assert!(client.footprint().await.unwrap().is_empty());
}

pub async fn api_secret_is_required<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder().api_secret("s3cret"));

    // `info` needs no secret, so connecting works; creating does not.
    let client = connect::<A>(kind, &server).await;
    let err = client.create_session().await.unwrap_err();
    assert!(err.is_janus_code(403), "{err:?}");
    assert_eq!(
        err.janus_error().unwrap().kind,
        JanusErrorKind::Unauthorized
    );

    let wrong = connect_with::<A>(kind, &server, Options::new().api_secret("wrong")).await;
    assert!(wrong.create_session().await.unwrap_err().is_janus_code(403));

    // With the secret, everything works, including the long poll over HTTP
    // (EchoTest's answer is an event).
    let right = connect_with::<A>(kind, &server, Options::new().api_secret("s3cret")).await;
    let session = right.create_session().await.unwrap();
    echo(&session.attach(ECHOTEST).await.unwrap()).await;
    session.destroy().await.unwrap();
    assert_eq!(
        session_end(&session, Duration::from_secs(1)).await,
        EndReason::Destroyed
    );
}

pub async fn token_auth<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder().token_auth(true));
    server.add_token("tok-all", &[]).unwrap();
    server.add_token("tok-videoroom", &["videoroom"]).unwrap();

    let none = connect::<A>(kind, &server).await;
    assert!(none.create_session().await.unwrap_err().is_janus_code(403));
    let unknown = connect_with::<A>(kind, &server, Options::new().token("nope")).await;
    assert!(unknown
        .create_session()
        .await
        .unwrap_err()
        .is_janus_code(403));

    let all = connect_with::<A>(kind, &server, Options::new().token("tok-all")).await;
    let session = all.create_session().await.unwrap();
    echo(&session.attach(ECHOTEST).await.unwrap()).await;

    let limited = connect_with::<A>(kind, &server, Options::new().token("tok-videoroom")).await;
    let session = limited.create_session().await.unwrap();
    let err = session.attach(ECHOTEST).await.unwrap_err();
    assert!(err.is_janus_code(405), "{err:?}");
    let room = session.attach(VIDEOROOM).await.unwrap();
    room.message(json!({"request": "list"})).await.unwrap();
}

pub async fn drops_destroy_and_detach<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder());
    let client = connect::<A>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    let kept = session.attach(ECHOTEST).await.unwrap();

    drops_end_them::<A>(&server, session, handle, kept).await;

    // A session outlives the client value it came from; dropping it last
    // still destroys it, at once, and the thread or driver task then stops.
    let client = connect::<A>(kind, &server).await;
    let watch = client.watch();
    let session = client.create_session().await.unwrap();
    drop(client);
    session.keepalive().await.unwrap();
    assert_eq!(admin_sessions(&server), vec![session.id().0]);
    let t = Instant::now();
    drop(session);
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    if A::LAST_DROP_WAITS {
        assert!(admin_sessions(&server).is_empty());
    }
    assert!(
        eventually::<A, _>(Duration::from_secs(2), || async {
            admin_sessions(&server).is_empty()
        })
        .await,
        "the session dropped last still exists"
    );
    assert!(watch.stops().await, "the driver did not stop");
}

/// A destroy or detach that failed (here: refused while the client's token
/// was revoked) leaves the session or handle to its drop, which still ends
/// it on the server.
pub async fn drops_after_a_failed_destroy<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder().token_auth(true));
    server.add_token("tok", &[]).unwrap();
    let client = connect_with::<A>(kind, &server, Options::new().token("tok")).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    let kept = session.attach(ECHOTEST).await.unwrap();

    let revoke = server.admin_request(json!({"janus": "remove_token", "token": "tok"}));
    assert_eq!(revoke.unwrap()["janus"], "success");
    let err = handle.detach().await.unwrap_err();
    assert!(err.is_janus_code(403), "{err:?}");
    let err = session.destroy().await.unwrap_err();
    assert!(err.is_janus_code(403), "{err:?}");
    server.add_token("tok", &[]).unwrap();
    assert_eq!(admin_sessions(&server), vec![session.id().0]);

    drops_end_them::<A>(&server, session, handle, kept).await;
    assert!(
        eventually::<A, _>(Duration::from_secs(2), || footprint_is_empty::<A>(&client)).await,
        "the engine keeps state: {:?}",
        client.footprint().await
    );
}

pub async fn close_ends_everything_locally<A: Adapter>(kind: Kind) {
    // A reclaim window keeps WebSocket sessions on the server after the close.
    let server = kind.server(JanusServer::builder().reclaim_session_timeout(10));
    let client = connect::<A>(kind, &server).await;
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

    // Nothing was destroyed: another connection can claim the session.
    let id = session.id();
    drop(handle);
    drop(session);
    assert_eq!(admin_sessions(&server), vec![id.0]);
    let again = connect::<A>(kind, &server).await;
    let claimed = again.claim(id, true).await.unwrap();
    assert_eq!(claimed.origin(), SessionOrigin::Claimed);
    echo(&claimed.attach(ECHOTEST).await.unwrap()).await;
}

pub async fn server_killed_mid_request<A: Adapter>(kind: Kind) {
    let server = Arc::new(kind.server(JanusServer::builder()));
    let options = Options::new()
        .request_timeout(Duration::from_secs(5))
        .reconnect(ReconnectPolicy {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(200),
            jitter: false,
        })
        // Over HTTP nothing ends a session but the server saying so or its
        // expiry estimate passing with nothing answered: keep that short.
        .session_timeout(Duration::from_secs(2))
        .configure(|c| {
            c.expiry_grace = Duration::from_secs(1);
            c.poll_retry_initial = Duration::from_millis(50);
        });
    let client = connect_with::<A>(kind, &server, options).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    echo(&handle).await;

    // Freeze the server so the next request stays unanswered, then kill it.
    let frozen = freeze(&server);
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
    drop(frozen);

    // Over WebSocket every reconnect failed; over HTTP the server stopped
    // answering and the session's expiry estimate passed.
    let lost = match kind {
        Kind::Ws | Kind::Unix | Kind::UnixDgram | Kind::Amqp => EndReason::TransportLost,
        Kind::Http => EndReason::Expired,
    };
    assert_eq!(handle_end(&handle, Duration::from_secs(6)).await, lost);
    assert_eq!(session_end(&session, Duration::from_secs(1)).await, lost);
    assert_over(session.events()).await;
    if kind != Kind::Http {
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
        let closed = eventually::<A, _>(Duration::from_secs(1), || async {
            A::within(Duration::from_millis(100), client.ping())
                .await
                .is_some_and(|r| r.is_err_and(|e| e.is_closed()))
        });
        assert!(closed.await, "the client did not close for good");
    }
}

pub async fn connect_failures<A: Adapter>(kind: Kind) {
    let url = match kind {
        Kind::Ws => format!("ws://127.0.0.1:{}", closed_port()),
        Kind::Unix => "unix:///nonexistent/janus.sock".into(),
        Kind::UnixDgram => "unix+dgram:///nonexistent/janus.sock".into(),
        Kind::Http => format!("http://127.0.0.1:{}/janus", closed_port()),
        Kind::Amqp => format!("amqp://127.0.0.1:{}/%2f?server=none", closed_port()),
    };
    let t = Instant::now();
    match A::Client::connect(&url).await {
        Err(Error::Connect { url: u, .. }) => assert_eq!(u, url),
        other => panic!("expected a connect error, got {other:?}"),
    }
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

/// `WS://` and `HTTP://`: URL schemes are case-insensitive (RFC 3986).
pub async fn upper_case_schemes_work<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder());
    let url = kind.url(&server);
    let (scheme, rest) = url.split_once("://").unwrap();
    let url = format!("{}://{rest}", scheme.to_ascii_uppercase());
    let client = A::Client::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"));
    let session = client.create_session().await.unwrap();
    echo(&session.attach(ECHOTEST).await.unwrap()).await;
    session.destroy().await.unwrap();
    assert!(admin_sessions(&server).is_empty());
}

/// `wss://` and `https://` against a server with a self-signed
/// certificate: refused with the webpki roots, working once the
/// certificate is trusted.
pub async fn tls_with_a_private_root<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder().tls(true));
    let url = kind.tls_url(&server);
    match A::Client::connect(&url).await {
        Err(Error::Connect { reason, .. }) => {
            assert!(reason.to_lowercase().contains("certificate"), "{reason}")
        }
        other => panic!("an untrusted certificate must be refused, got {other:?}"),
    }
    let root = server.tls_certificate().expect("a TLS server").to_vec();
    let client = A::Client::connect_with(&url, Options::new().root_certificate(root))
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
pub async fn cancelled_futures_leave_no_trace<A: Adapter>(kind: Kind) {
    if !A::CANCELLABLE {
        // Skipped through the trait: see `Adapter::CANCELLABLE` on this
        // adapter for why it has nothing to cancel.
        eprintln!("{}: no futures to cancel, scenario skipped", A::NAME);
        return;
    }
    let server = kind.server(JanusServer::builder());
    let client = connect::<A>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();

    // A message polled once (so it is sent) and dropped; then an attach
    // and a create dropped the same way. A thread preempted between the
    // send and the poll can see one finish (a round trip takes a
    // millisecond); then the value it returns is dropped at once, and the
    // server must end up just as clean.
    drop(handle.message(json!({"audio": true})).now_or_never());
    drop(session.attach(ECHOTEST).now_or_never());
    drop(client.create_session().now_or_never());
    // An attach abandoned after a little while (its reply may be in flight).
    assert!(
        A::within(Duration::from_micros(300), session.attach(ECHOTEST))
            .await
            .is_none_or(|r| r.is_ok())
    );

    // The handle still works, and the abandoned session and handles are
    // gone from the server.
    echo(&handle).await;
    assert!(
        eventually::<A, _>(Duration::from_secs(3), || async {
            admin_sessions(&server) == vec![session.id().0]
                && admin_handles(&server, session.id().0) == vec![handle.id().0]
        })
        .await,
        "abandoned work left on the server: sessions {:?}, handles {:?}",
        admin_sessions(&server),
        admin_handles(&server, session.id().0)
    );
    assert_quiet(handle.events(), Duration::ZERO).await;
    session.destroy().await.unwrap();
    assert_eq!(
        session_end(&session, Duration::from_secs(2)).await,
        EndReason::Destroyed
    );
    assert!(
        eventually::<A, _>(Duration::from_secs(2), || footprint_is_empty::<A>(&client)).await,
        "the engine keeps state: {:?}",
        client.footprint().await
    );
}

/// A thousand sessions on one connection, all driven at once: every reply
/// and every event reaches its own caller or handle, and nothing is lost.
///
/// Over HTTP each session keeps a long poll (a TCP connection of its own)
/// armed at all times, and every call in flight is one more connection.
/// Janus 1.1.2's HTTP transport stops answering new connections somewhere
/// past 900 open ones (observed with the async adapters: 900 sessions pass,
/// 1,000 time out on `create`), so over HTTP the scenario runs 800 sessions
/// with at most 50 calls in flight together.
pub async fn a_thousand_sessions_on_one_connection<A: Adapter>(kind: Kind) {
    let (sessions, at_once) = match kind {
        Kind::Ws | Kind::Unix | Kind::Amqp => (1000, 1000),
        Kind::UnixDgram => (1000, 50),
        Kind::Http => (800, 50),
    };
    let server = kind.server(JanusServer::builder());
    let client = &connect::<A>(kind, &server).await;
    let started = Instant::now();

    let pairs: Vec<(A::Session, A::Handle)> = A::join_all(sessions, at_once, |_| async move {
        let session = client.create_session().await.unwrap();
        let handle = session.attach(ECHOTEST).await.unwrap();
        (session, handle)
    })
    .await;
    assert_eq!(admin_sessions(&server).len(), sessions);
    let created = started.elapsed();

    // An offer on every handle at once: each reply is that handle's answer,
    // then a hangup makes Janus send each handle two events that answer no
    // request; each must reach that handle and no other.
    let pairs = &pairs;
    A::join_all(sessions, at_once, |i| async move {
        let (session, handle) = &pairs[i];
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
            match next(handle.events(), Duration::from_secs(20), "hangup events").await {
                HandleEvent::Hangup { .. } => hangups += 1,
                HandleEvent::Plugin {
                    data, transaction, ..
                } if data["result"] == "done" && transaction.is_none() => dones += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!((hangups, dones), (1, 1), "handle {}", handle.id());
    })
    .await;
    let messaged = started.elapsed();
    for (session, handle) in pairs {
        assert_quiet(handle.events(), Duration::ZERO).await;
        assert_quiet(session.events(), Duration::ZERO).await;
    }

    for result in A::join_all(sessions, at_once, |i| pairs[i].0.destroy()).await {
        result.unwrap();
    }
    // A call returns after the events its outcome caused.
    for (session, handle) in pairs {
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
        "{} {kind:?}: {sessions} sessions: created in {created:?}, messaged by {messaged:?}, done in {:?}",
        A::NAME,
        started.elapsed()
    );
}

// ----- WebSocket only ---------------------------------------------------------

/// Reclaim after a dropped connection: only a WebSocket has a connection
/// whose loss the server notices (HTTP has a request per exchange).
pub async fn ws_only_dropped_websocket_is_reclaimed<A: Adapter>() {
    dropped_connection_is_reclaimed::<A>(Kind::Ws).await
}

/// The same over a Unix `SOCK_SEQPACKET` socket, whose sessions belong to
/// the connection as a WebSocket's do.
pub async fn unix_only_dropped_connection_is_reclaimed<A: Adapter>() {
    dropped_connection_is_reclaimed::<A>(Kind::Unix).await
}

/// A datagram socket lost (a send failed, or nothing answered) is bound
/// again, on a new path: Janus sees a new client, and the sessions are
/// claimed over it.
pub async fn unix_dgram_only_a_socket_bound_again_claims_the_sessions<A: Adapter>() {
    dropped_connection_is_reclaimed::<A>(Kind::UnixDgram).await
}

async fn dropped_connection_is_reclaimed<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder().reclaim_session_timeout(10));
    let client = connect::<A>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    echo(&handle).await;
    assert_eq!(
        next(client.events(), Duration::from_secs(1), "first connect").await,
        ClientEvent::Connected
    );

    client.drop_transport().unwrap();
    assert_eq!(
        next(session.events(), Duration::from_secs(5), "reclaim").await,
        SessionEvent::Reclaimed
    );
    assert_reconnected(&client, Duration::from_secs(1)).await;

    // The same session and handle, still usable.
    assert_eq!(admin_sessions(&server), vec![session.id().0]);
    assert_eq!(admin_handles(&server, session.id().0), vec![handle.id().0]);
    echo(&handle).await;
    session.keepalive().await.unwrap();
    assert_quiet(handle.events(), Duration::ZERO).await;
    handle.detach().await.unwrap();
    session.destroy().await.unwrap();
}

/// A handle whose events nobody reads holds at most `event_capacity` of
/// them: the reader later gets `Lagged` with the count it missed, then the
/// newest events, and the client's metrics count the drops.
pub async fn an_unread_stream_stays_bounded<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder());
    let options = Options::new().event_capacity(2);
    let client = connect_with::<A>(kind, &server, options).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    // Each offer and hangup makes Janus send two events that answer no
    // request (`hangup`, and the plugin's `done`): ten in all, unread.
    for _ in 0..5 {
        handle
            .message_with_jsep(json!({"audio": true}), Jsep::offer(OFFER))
            .await
            .unwrap();
        handle.hangup().await.unwrap();
        // Both events of this round in before the next offer.
        A::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        eventually::<A, _>(Duration::from_secs(3), || async {
            client.metrics().await.unwrap().events_dropped == 8
        })
        .await,
        "{:?}",
        client.metrics().await
    );
    let mut events = handle.events();
    assert_eq!(
        events.next_within(Duration::ZERO).await,
        Next::Event(HandleEvent::Lagged { dropped: 8 })
    );
    let kept = [
        events.next_within(Duration::ZERO).await,
        events.next_within(Duration::ZERO).await,
    ];
    assert!(
        kept.iter().all(|e| matches!(
            e,
            Next::Event(HandleEvent::Hangup { .. } | HandleEvent::Plugin { .. })
        )),
        "{kept:?}"
    );
    drop(events);
    assert_quiet(handle.events(), Duration::ZERO).await;
    handle.detach().await.unwrap();
    assert_eq!(
        handle_end(&handle, Duration::from_secs(2)).await,
        EndReason::Detached
    );
    session.destroy().await.unwrap();
}

/// The next event of a VideoRoom handle, read as a typed VideoRoom event.
async fn videoroom_event(
    handle: &impl HandleApi,
) -> janus_async::janus_core::plugins::videoroom::Event {
    use janus_async::janus_core::plugins::videoroom::VideoRoom;
    match handle.next_typed::<VideoRoom>(Duration::from_secs(5)).await {
        Ok(Next::Event(janus_async::TypedEvent::Plugin { event, .. })) => event,
        other => panic!("expected a VideoRoom event, got {other:?}"),
    }
}

/// The VideoRoom walk with typed requests, replies and events: a room is
/// created, Alice and Bob join it, Alice sees Bob join and leave, the room
/// is destroyed. Typed requests refuse a handle of another plugin, and a
/// plugin's refusal keeps its named code.
pub async fn videoroom_walk_with_typed_events<A: Adapter>(kind: Kind) {
    use janus_async::janus_core::plugins::videoroom::{self, ErrorCode, Event};
    let server = kind.server(JanusServer::builder());
    let client = connect::<A>(kind, &server).await;
    let (alice_session, bob_session) = (
        client.create_session().await.unwrap(),
        client.create_session().await.unwrap(),
    );
    let alice = alice_session
        .attach_as::<videoroom::VideoRoom>()
        .await
        .unwrap();
    let bob = bob_session
        .attach_as::<videoroom::VideoRoom>()
        .await
        .unwrap();
    assert_eq!(alice.plugin(), VIDEOROOM);
    let created = alice
        .send(&videoroom::Create::new().notify_joining(true))
        .await
        .unwrap();
    let room = created.room;
    let joined = alice
        .send(&videoroom::JoinPublisher::new(room.clone()).display("alice"))
        .await
        .unwrap();
    assert_eq!(joined.room, room);
    assert!(joined.publishers.is_empty());
    let bob_joined = bob
        .send(&videoroom::JoinPublisher::new(room.clone()).display("bob"))
        .await
        .unwrap();
    match videoroom_event(&alice).await {
        Event::Joining(j) => assert_eq!(j.joining.id, bob_joined.id),
        other => panic!("expected Bob joining, got {other:?}"),
    }
    match bob.send(&videoroom::Leave::default()).await.unwrap() {
        Event::Leaving(l) => assert!(l.is_self(), "{l:?}"),
        other => panic!("expected Bob's own leaving, got {other:?}"),
    }
    match videoroom_event(&alice).await {
        Event::Leaving(l) => assert_eq!(l.leaving, bob_joined.id),
        other => panic!("expected Bob leaving, got {other:?}"),
    }

    // A refusal keeps the plugin's code, which the plugin module names: a
    // handle that left cannot join again (Janus wants a new handle).
    let err = bob
        .send(&videoroom::JoinPublisher::new(room.clone()).display("bob"))
        .await
        .unwrap_err();
    assert_eq!(
        ErrorCode::try_from(err.plugin_code().expect("a plugin error")),
        Ok(ErrorCode::AlreadyJoined)
    );
    let missing = alice_session.attach(VIDEOROOM).await.unwrap();
    let err = missing
        .send(&videoroom::JoinPublisher::new(999_999_999u64))
        .await
        .unwrap_err();
    let code = err.plugin_code().expect("a plugin error");
    assert_eq!(ErrorCode::try_from(code), Ok(ErrorCode::NoSuchRoom));
    // A typed request on a handle of another plugin never leaves the client.
    let echo = alice_session.attach(ECHOTEST).await.unwrap();
    assert!(matches!(
        echo.send(&videoroom::List::new()).await,
        Err(Error::WrongPlugin {
            request: videoroom::PLUGIN,
            ..
        })
    ));
    // Nor are its events read with another plugin's vocabulary.
    assert!(matches!(
        echo.next_typed::<videoroom::VideoRoom>(Duration::ZERO)
            .await,
        Err(Error::WrongPlugin { .. })
    ));

    let destroyed = alice
        .send(&videoroom::Destroy::new(room.clone()))
        .await
        .unwrap();
    assert_eq!(destroyed.room, room);
    alice_session.destroy().await.unwrap();
    bob_session.destroy().await.unwrap();
}

/// The next plugin event of a handle that `wanted` accepts, read with the
/// plugin's event reader `read`; other events on the way (plugin state
/// updates the scenario does not look at, and Janus's own PeerConnection
/// events such as the `hangup` of a call's media) are skipped.
async fn plugin_event<E: Debug>(
    events: &mut impl EventStream<HandleEvent>,
    read: fn(janus_async::janus_core::serde_json::Value) -> E,
    wanted: impl Fn(&E) -> bool,
) -> E {
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut skipped = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.next_within(left).await {
            Next::Event(HandleEvent::Plugin { data, .. }) => {
                let event = read(data.into_value());
                if wanted(&event) {
                    return event;
                }
                skipped.push(format!("{event:?}"));
            }
            Next::Event(
                other @ (HandleEvent::Hangup { .. }
                | HandleEvent::WebrtcUp
                | HandleEvent::Media { .. }),
            ) => skipped.push(format!("{other:?}")),
            other => panic!("expected a plugin event, got {other:?} after {skipped:?}"),
        }
    }
}

/// The AudioBridge walk with typed requests, replies and events: a room
/// is created; Alice and Bob join without media; Alice sees Bob join, be
/// muted and unmuted, the room muted and unmuted, a file start and stop
/// playing, Bob leave, join again and be kicked; the RTP forwarding
/// requests are answered; the room is destroyed under Alice.
pub async fn audiobridge_walk_with_typed_events<A: Adapter>(kind: Kind) {
    use janus_async::janus_core::plugins::audiobridge::{self as ab, ErrorCode, Event};
    let server = kind.server(JanusServer::builder().plugins(&["audiobridge"]));
    let client = connect::<A>(kind, &server).await;
    let (alice_session, bob_session) = (
        client.create_session().await.unwrap(),
        client.create_session().await.unwrap(),
    );
    let alice = alice_session.attach(ab::PLUGIN).await.unwrap();
    let bob = bob_session.attach(ab::PLUGIN).await.unwrap();
    let mut alice_events = alice.events();
    let mut bob_events = bob.events();
    let secret = "bridge-secret";
    let created = alice
        .send(
            &ab::Create::new()
                .description("suite bridge")
                .secret(secret)
                .sampling_rate(16_000u32),
        )
        .await
        .unwrap();
    let room = created.room;
    assert!(
        alice
            .send(&ab::Exists::new(room.clone()))
            .await
            .unwrap()
            .exists
    );
    let listed = alice.send(&ab::List::new()).await.unwrap();
    let info = listed.list.iter().find(|r| r.room == room).unwrap();
    assert_eq!(info.description, "suite bridge");
    assert_eq!(info.sampling_rate, 16_000);

    let joined = alice
        .send(&ab::Join::new(room.clone()).display("alice"))
        .await
        .unwrap();
    assert_eq!(joined.room, room);
    assert!(joined.participants.is_empty());
    let bob_joined = bob
        .send(&ab::Join::new(room.clone()).display("bob"))
        .await
        .unwrap();
    assert_eq!(bob_joined.participants[0].id, joined.id);
    match plugin_event(&mut alice_events, Event::from_data, |_| true).await {
        Event::ParticipantJoined(p) => assert_eq!(p.participants[0].id, bob_joined.id),
        other => panic!("expected Bob joining, got {other:?}"),
    }
    let listed = alice
        .send(&ab::ListParticipants::new(room.clone()))
        .await
        .unwrap();
    let mut ids: Vec<_> = listed.participants.iter().map(|p| p.id.clone()).collect();
    ids.sort();
    let mut expected = vec![joined.id.clone(), bob_joined.id.clone()];
    expected.sort();
    assert_eq!(ids, expected);
    assert!(listed.participants.iter().all(|p| !p.setup));

    // Bob muted and unmuted by the moderator: Alice sees his state.
    for muted in [true, false] {
        if muted {
            alice
                .send(&ab::Mute::new(room.clone(), bob_joined.id.clone()).secret(secret))
                .await
                .unwrap();
        } else {
            alice
                .send(&ab::Unmute::new(room.clone(), bob_joined.id.clone()).secret(secret))
                .await
                .unwrap();
        }
        let bob_id = bob_joined.id.clone();
        let event = plugin_event(
            &mut alice_events,
            Event::from_data,
            move |e| matches!(e, Event::Participants(p) if p.participants[0].id == bob_id),
        )
        .await;
        match event {
            Event::Participants(p) => assert_eq!(p.participants[0].muted, muted),
            other => unreachable!("{other:?}"),
        }
    }
    // The whole room muted and unmuted.
    alice
        .send(&ab::MuteRoom::new(room.clone()).secret(secret))
        .await
        .unwrap();
    match plugin_event(&mut alice_events, Event::from_data, |e| {
        matches!(e, Event::RoomMuted(_))
    })
    .await
    {
        Event::RoomMuted(m) => assert!(m.muted),
        other => unreachable!("{other:?}"),
    }
    alice
        .send(&ab::UnmuteRoom::new(room.clone()).secret(secret))
        .await
        .unwrap();
    match plugin_event(&mut alice_events, Event::from_data, |e| {
        matches!(e, Event::RoomMuted(_))
    })
    .await
    {
        Event::RoomMuted(m) => assert!(!m.muted),
        other => unreachable!("{other:?}"),
    }
    // Alice mutes herself: Bob sees it.
    let configured = alice.send(&ab::Configure::new().muted(true)).await.unwrap();
    assert_eq!(configured.result, "ok");
    let alice_id = joined.id.clone();
    match plugin_event(
        &mut bob_events,
        Event::from_data,
        move |e| matches!(e, Event::Participants(p) if p.participants[0].id == alice_id),
    )
    .await
    {
        Event::Participants(p) => assert!(p.participants[0].muted),
        other => unreachable!("{other:?}"),
    }

    // Files and forwarders, answered synchronously.
    let err = alice
        .send(&ab::PlayFile::new(room.clone(), "/nonexistent.opus").secret(secret))
        .await
        .unwrap_err();
    assert_eq!(
        ErrorCode::try_from(err.plugin_code().expect("a plugin error")),
        Ok(ErrorCode::UnknownError)
    );
    let playing = alice
        .send(&ab::IsPlaying::new(room.clone(), "nothing").secret(secret))
        .await
        .unwrap();
    assert!(!playing.playing);
    let file = server.config_dir().join("announcement.opus");
    write_silent_opus(&file, 10).unwrap();
    let played = alice
        .send(
            &ab::PlayFile::new(room.clone(), file.to_string_lossy())
                .secret(secret)
                .file_id("news"),
        )
        .await
        .unwrap();
    assert_eq!(played.file_id, "news");
    match plugin_event(&mut alice_events, Event::from_data, |e| {
        matches!(e, Event::AnnouncementStarted(_))
    })
    .await
    {
        Event::AnnouncementStarted(f) => assert_eq!(f.file_id, "news"),
        other => unreachable!("{other:?}"),
    }
    let playing = alice
        .send(&ab::IsPlaying::new(room.clone(), "news").secret(secret))
        .await
        .unwrap();
    assert!(playing.playing);
    alice
        .send(&ab::StopFile::new(room.clone(), "news").secret(secret))
        .await
        .unwrap();
    match plugin_event(&mut alice_events, Event::from_data, |e| {
        matches!(e, Event::AnnouncementStopped(_))
    })
    .await
    {
        Event::AnnouncementStopped(f) => assert_eq!(f.file_id, "news"),
        other => unreachable!("{other:?}"),
    }
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let forwarded = alice
        .send(&ab::RtpForward::new(room.clone(), "127.0.0.1", port).secret(secret))
        .await
        .unwrap();
    assert_eq!(forwarded.port, port);
    let forwarders = alice
        .send(&ab::ListForwarders::new(room.clone()).secret(secret))
        .await
        .unwrap();
    assert_eq!(forwarders.rtp_forwarders.len(), 1);
    assert_eq!(forwarders.rtp_forwarders[0].stream_id, forwarded.stream_id);
    alice
        .send(&ab::StopRtpForward::new(room.clone(), forwarded.stream_id).secret(secret))
        .await
        .unwrap();
    let recording = alice
        .send(&ab::EnableRecording::new(room.clone(), false).secret(secret))
        .await
        .unwrap();
    assert!(!recording.record);
    let mjrs = alice
        .send(&ab::EnableMjrs::new(room.clone(), false).secret(secret))
        .await
        .unwrap();
    assert!(!mjrs.mjrs);

    // Bob leaves, joins again with the same handle, and is kicked.
    let left = bob.send(&ab::Leave::default()).await.unwrap();
    assert_eq!(left.id, bob_joined.id);
    let bob_id = bob_joined.id.clone();
    match plugin_event(&mut alice_events, Event::from_data, |e| {
        matches!(e, Event::Leaving(_))
    })
    .await
    {
        Event::Leaving(l) => assert_eq!(l.leaving, bob_id),
        other => unreachable!("{other:?}"),
    }
    let err = bob
        .send(&ab::Configure::new().muted(true))
        .await
        .unwrap_err();
    assert_eq!(
        ErrorCode::try_from(err.plugin_code().expect("a plugin error")),
        Ok(ErrorCode::NotJoined)
    );
    let again = bob
        .send(&ab::Join::new(room.clone()).display("bob"))
        .await
        .unwrap();
    alice
        .send(&ab::Kick::new(room.clone(), again.id.clone()).secret(secret))
        .await
        .unwrap();
    for events in [&mut alice_events, &mut bob_events] {
        match plugin_event(events, Event::from_data, |e| matches!(e, Event::Kicked(_))).await {
            Event::Kicked(k) => assert_eq!(k.kicked, again.id),
            other => unreachable!("{other:?}"),
        }
    }

    let destroyed = bob
        .send(&ab::Destroy::new(room.clone()).secret(secret))
        .await
        .unwrap();
    assert_eq!(destroyed.room, room);
    match plugin_event(&mut alice_events, Event::from_data, |e| {
        matches!(e, Event::Destroyed(_))
    })
    .await
    {
        Event::Destroyed(d) => assert_eq!(d.room, room),
        other => unreachable!("{other:?}"),
    }
    let gone = alice.send(&ab::Exists::new(room.clone())).await.unwrap();
    assert!(!gone.exists);
    alice_session.destroy().await.unwrap();
    bob_session.destroy().await.unwrap();
}

/// The TextRoom management walk with typed requests and replies: a room is
/// created, found in `list`, edited, given tokens, announced to; kicking
/// an unknown user and a second `setup` are refused with named codes; the
/// room is destroyed.
pub async fn textroom_management_walk<A: Adapter>(kind: Kind) {
    use janus_async::janus_core::plugins::textroom::{self as tr, AllowedAction, ErrorCode};
    let server = kind.server(JanusServer::builder().plugins(&["textroom"]));
    let client = connect::<A>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(tr::PLUGIN).await.unwrap();
    let secret = "chat-secret";
    let code = |err: Error| ErrorCode::try_from(err.plugin_code().expect("a plugin error"));

    let created = handle
        .send(
            &tr::Create::new()
                .description("suite chat")
                .secret(secret)
                .history(3u32),
        )
        .await
        .unwrap();
    let room = created.room;
    let listed = handle.send(&tr::List::new()).await.unwrap();
    let info = listed.list.iter().find(|r| r.room == room).unwrap();
    assert_eq!(info.description, "suite chat");
    assert_eq!(info.history, Some(3));
    assert!(
        handle
            .send(&tr::Exists::new(room.clone()))
            .await
            .unwrap()
            .exists
    );
    let edited = handle
        .send(
            &tr::Edit::new(room.clone())
                .secret(secret)
                .new_description("renamed chat"),
        )
        .await
        .unwrap();
    assert_eq!(edited.room, room);
    let listed = handle.send(&tr::List::new()).await.unwrap();
    let info = listed.list.iter().find(|r| r.room == room).unwrap();
    assert_eq!(info.description, "renamed chat");
    let allowed = handle
        .send(
            &tr::Allowed::new(room.clone(), AllowedAction::Add)
                .secret(secret)
                .allowed(vec!["tok".to_string()]),
        )
        .await
        .unwrap();
    assert_eq!(allowed.allowed.unwrap(), ["tok"]);
    let participants = handle
        .send(&tr::ListParticipants::new(room.clone()))
        .await
        .unwrap();
    assert!(participants.participants.is_empty());
    handle
        .send(&tr::Announcement::new(room.clone(), "hello").secret(secret))
        .await
        .unwrap();
    let err = handle
        .send(&tr::Kick::new(room.clone(), "nobody").secret(secret))
        .await
        .unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::NoSuchUser));
    let err = handle
        .send(&tr::Destroy::new(room.clone()).secret("wrong"))
        .await
        .unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::Unauthorized));

    // The data channel's negotiation: Janus offers once per handle.
    let chat = session.attach(tr::PLUGIN).await.unwrap();
    assert_eq!(chat.send(&tr::Setup::default()).await.unwrap().result, "ok");
    let err = chat.send(&tr::Setup::default()).await.unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::AlreadySetup));

    handle
        .send(&tr::Destroy::new(room.clone()).secret(secret))
        .await
        .unwrap();
    assert!(
        !handle
            .send(&tr::Exists::new(room.clone()))
            .await
            .unwrap()
            .exists
    );
    let err = handle.send(&tr::Destroy::new(room)).await.unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::NoSuchRoom));
    session.destroy().await.unwrap();
}

/// The VideoCall walk with typed requests and events: Alice and Bob
/// register and are listed; calls to an unknown user, without an SDP, or
/// to oneself are refused with named codes; Alice calls Bob with an offer,
/// Bob is told who calls, cannot accept without an answer, accepts with
/// one (both sides are told), and both are told when Alice hangs up.
pub async fn videocall_register_and_call_walk<A: Adapter>(kind: Kind) {
    use janus_async::janus_core::plugins::videocall::{self as vc, ErrorCode, Event};
    use janus_async::janus_core::plugins::PluginRequest;
    let server = kind.server(JanusServer::builder().plugins(&["videocall"]));
    let client = connect::<A>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let alice = session.attach(vc::PLUGIN).await.unwrap();
    let bob = session.attach(vc::PLUGIN).await.unwrap();
    let mut alice_events = alice.events();
    let mut bob_events = bob.events();
    let code = |err: Error| ErrorCode::try_from(err.plugin_code().expect("a plugin error"));

    let err = alice.send(&vc::Call::new("bob")).await.unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::RegisterFirst));
    for (handle, name) in [(&alice, "alice"), (&bob, "bob")] {
        match handle.send(&vc::Register::new(name)).await.unwrap() {
            Event::Registered(r) => assert_eq!(r.username.as_deref(), Some(name)),
            other => panic!("expected registered, got {other:?}"),
        }
    }
    let err = alice.send(&vc::Register::new("carol")).await.unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::AlreadyRegistered));
    match alice.send(&vc::List::default()).await.unwrap() {
        Event::List(l) => {
            let mut names = l.list;
            names.sort();
            assert_eq!(names, ["alice", "bob"]);
        }
        other => panic!("expected the list, got {other:?}"),
    }
    let err = alice.send(&vc::Call::new("nobody")).await.unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::NoSuchUsername));
    let err = alice.send(&vc::Call::new("bob")).await.unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::MissingSdp));
    let err = alice.send(&vc::Call::new("alice")).await.unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::UseEchoTest));
    let err = alice.send(&vc::Accept::default()).await.unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::NoCall));
    match alice
        .send(&vc::Set::new().bitrate(256_000u64))
        .await
        .unwrap()
    {
        Event::Set(r) => assert_eq!(r.event, "set"),
        other => panic!("expected set, got {other:?}"),
    }

    // A call with an offer: the typed body travels with the JSEP.
    let reply = alice
        .message_with_jsep(vc::Call::new("bob").to_body(), Jsep::offer(OFFER))
        .await
        .unwrap();
    match Event::from_data(reply.data.into_value()) {
        Event::Calling(r) => assert_eq!(r.event, "calling"),
        other => panic!("expected calling, got {other:?}"),
    }
    match plugin_event(&mut bob_events, Event::from_data, |_| true).await {
        Event::IncomingCall(r) => assert_eq!(r.username.as_deref(), Some("alice")),
        other => panic!("expected the incoming call, got {other:?}"),
    }
    let err = bob.send(&vc::Accept::default()).await.unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::MissingSdp));
    // Bob answers Janus's offer: the call is accepted on both sides (ICE
    // never completes, which the signalling does not wait for).
    let answer = OFFER.replace("a=setup:actpass", "a=setup:active");
    let reply = bob
        .message_with_jsep(vc::Accept::default().to_body(), Jsep::answer(answer))
        .await
        .unwrap();
    assert!(matches!(
        Event::from_data(reply.data.into_value()),
        Event::Accepted(_)
    ));
    match plugin_event(&mut alice_events, Event::from_data, |e| {
        matches!(e, Event::Accepted(_))
    })
    .await
    {
        Event::Accepted(r) => assert_eq!(r.username.as_deref(), Some("bob")),
        other => unreachable!("{other:?}"),
    }
    let err = alice.send(&vc::Call::new("bob")).await.unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::AlreadyInCall));
    // Both sides' hangup events name the one who hung up.
    match alice.send(&vc::Hangup::default()).await.unwrap() {
        Event::Hangup(r) => {
            assert_eq!(r.username.as_deref(), Some("alice"));
            assert_eq!(r.reason.as_deref(), Some("Explicit hangup"));
        }
        other => panic!("expected the hangup, got {other:?}"),
    }
    match plugin_event(&mut bob_events, Event::from_data, |e| {
        matches!(e, Event::Hangup(_))
    })
    .await
    {
        Event::Hangup(r) => assert_eq!(r.username.as_deref(), Some("alice")),
        other => unreachable!("{other:?}"),
    }
    session.destroy().await.unwrap();
}

/// The Record&Play walk with typed requests and replies: the list is
/// empty until a recording's description appears in the folder and
/// `update` reads it; playing it fails (its media files do not exist), as
/// do a record without an offer and a start without a playout; a record
/// with an offer runs, a second under the same id is refused, stop ends it.
pub async fn recordplay_list_update_and_record_walk<A: Adapter>(kind: Kind) {
    use janus_async::janus_core::plugins::recordplay::{self as rp, ErrorCode, Event, Status};
    use janus_async::janus_core::plugins::PluginRequest;
    let server = kind.server(JanusServer::builder().plugins(&["recordplay"]));
    let client = connect::<A>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(rp::PLUGIN).await.unwrap();
    let code = |err: Error| ErrorCode::try_from(err.plugin_code().expect("a plugin error"));

    assert!(handle
        .send(&rp::List::default())
        .await
        .unwrap()
        .list
        .is_empty());
    std::fs::write(
        server.config_dir().join("recordings/777.nfo"),
        "[777]\nname = suite recording\ndate = 2024-02-02 10:00:00\n\
         audio = rec-777-audio.mjr\n",
    )
    .unwrap();
    handle.send(&rp::Update::default()).await.unwrap();
    let list = handle.send(&rp::List::default()).await.unwrap();
    assert_eq!(list.list.len(), 1);
    assert_eq!(list.list[0].id, 777);
    assert_eq!(list.list[0].name, "suite recording");
    assert_eq!(list.list[0].audio, Some(true));
    assert_eq!(list.list[0].video, Some(false));

    let err = handle.send(&rp::Play::new(1)).await.unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::NotFound));
    let err = handle.send(&rp::Play::new(777)).await.unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::InvalidRecording));
    let err = handle.send(&rp::Record::new("no offer")).await.unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::MissingElement));
    let err = handle.send(&rp::Start::default()).await.unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::InvalidState));
    let configured = handle
        .send(&rp::Configure::new().video_bitrate_max(500_000u64))
        .await
        .unwrap();
    assert_eq!(configured.settings["video-bitrate-max"], 500_000);

    let record = |name: &str| rp::Record::new(name).id(888u64).to_body();
    let reply = handle
        .message_with_jsep(record("suite"), Jsep::offer(OFFER))
        .await
        .unwrap();
    assert_eq!(reply.jsep.map(|j| j.kind), Some(SdpType::Answer));
    match Event::from_data(reply.data.into_value()) {
        Event::Status(s) => assert_eq!((s.status, s.id), (Status::Recording, Some(888))),
        other => panic!("expected recording, got {other:?}"),
    }
    let second = session.attach(rp::PLUGIN).await.unwrap();
    let err = second
        .message_with_jsep(record("again"), Jsep::offer(OFFER))
        .await
        .unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::RecordingExists));
    match handle.send(&rp::Stop::default()).await.unwrap() {
        Event::Status(s) => assert_eq!((s.status, s.id), (Status::Stopped, Some(888))),
        other => panic!("expected stopped, got {other:?}"),
    }
    session.destroy().await.unwrap();
}

/// VoiceMail's one request, typed: a record starts (Janus 1.1.2 takes it
/// without an offer), a second on the same handle is refused.
pub async fn voicemail_record_walk<A: Adapter>(kind: Kind) {
    use janus_async::janus_core::plugins::voicemail::{self as vm, ErrorCode};
    let server = kind.server(JanusServer::builder().plugins(&["voicemail"]));
    let client = connect::<A>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(vm::PLUGIN).await.unwrap();
    let starting = handle.send(&vm::Record::default()).await.unwrap();
    assert_eq!(starting.status, "starting");
    let err = handle.send(&vm::Record::default()).await.unwrap_err();
    assert_eq!(
        ErrorCode::try_from(err.plugin_code().expect("a plugin error")),
        Ok(ErrorCode::AlreadyRecording)
    );
    session.destroy().await.unwrap();
}

/// The SIP walk with typed requests and events, without a SIP peer: a
/// registration through an unreachable proxy fails with its SIP code; a
/// guest is registered at once, cannot unregister, is refused what needs a
/// call, and calls an address where no one listens: `calling`, then a
/// `hangup` with the SIP code.
pub async fn sip_walk_without_a_peer<A: Adapter>(kind: Kind) {
    use janus_async::janus_core::plugins::sip::{self, ErrorCode, Event};
    use janus_async::janus_core::plugins::PluginRequest;
    let server = kind.server(JanusServer::builder().plugins(&["sip"]));
    let client = connect::<A>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let code = |err: Error| ErrorCode::try_from(err.plugin_code().expect("a plugin error"));

    let user = session.attach(sip::PLUGIN).await.unwrap();
    let mut user_events = user.events();
    let err = user
        .send(&sip::Register::new("not a uri"))
        .await
        .unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::InvalidAddress));
    let proxy = format!("sip:127.0.0.1:{};transport=tcp", closed_port());
    let registering = user
        .send(
            &sip::Register::new("sip:alice@127.0.0.1")
                .secret("pw")
                .proxy(proxy),
        )
        .await
        .unwrap();
    assert!(
        matches!(registering, Event::Registering(_)),
        "{registering:?}"
    );
    match plugin_event(&mut user_events, Event::from_data, |_| true).await {
        Event::RegistrationFailed(r) => assert_eq!(r.result.code, Some(503)),
        other => panic!("expected the failure, got {other:?}"),
    }

    let guest = session.attach(sip::PLUGIN).await.unwrap();
    let mut guest_events = guest.events();
    match guest
        .send(&sip::Register::guest("sip:guest@127.0.0.1"))
        .await
        .unwrap()
    {
        Event::Registered(r) => assert_eq!(r.result.username.as_deref(), Some("guest")),
        other => panic!("expected registered, got {other:?}"),
    }
    let err = guest.send(&sip::Unregister::default()).await.unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::WrongState));
    let err = guest.send(&sip::Accept::default()).await.unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::WrongState));
    let err = guest.send(&sip::Update::default()).await.unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::WrongState));
    let err = guest
        .send(&sip::Call::new("sip:bob@127.0.0.1"))
        .await
        .unwrap_err();
    assert_eq!(code(err), Ok(ErrorCode::MissingSdp));

    let nobody = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let call = sip::Call::new(format!("sip:bob@127.0.0.1:{nobody}"));
    let reply = guest
        .message_with_jsep(call.to_body(), Jsep::offer(OFFER))
        .await
        .unwrap();
    // Janus calls, and the unreachable address ends the call with 503.
    // Both events carry the call's transaction: either can be the one
    // that answers the request, the other arrives as an event.
    let mut seen = vec![Event::from_data(reply.data.into_value())];
    while !(seen.iter().any(|e| matches!(e, Event::Calling(_)))
        && seen.iter().any(|e| matches!(e, Event::Hangup(_))))
    {
        seen.push(plugin_event(&mut guest_events, Event::from_data, |_| true).await);
    }
    let call_ids: Vec<_> = seen
        .iter()
        .map(|e| match e {
            Event::Calling(r) | Event::Hangup(r) => r.call_id.clone().expect("a call id"),
            other => panic!("expected calling and hangup, got {other:?}"),
        })
        .collect();
    assert!(call_ids.windows(2).all(|w| w[0] == w[1]), "{seen:?}");
    let hangup = seen.iter().find_map(|e| match e {
        Event::Hangup(r) => Some(r),
        _ => None,
    });
    assert_eq!(hangup.and_then(|r| r.result.code), Some(503));
    session.destroy().await.unwrap();
}

/// The SIP walk against a minimal SIP peer that accepts everything
/// (`janus_tests::sip_peer`): a real registration, a call that rings and
/// is answered (with the SDP answer for the WebRTC side), hold, unhold,
/// INFO, DTMF, MESSAGE, hangup with its BYE, and unregistration, each
/// answered and seen by the peer.
pub async fn sip_call_with_a_minimal_peer<A: Adapter>(kind: Kind) {
    use janus_async::janus_core::plugins::sip::{self, Event};
    use janus_async::janus_core::plugins::PluginRequest;
    use janus_tests::sip_peer::SipPeer;
    let server = kind.server(JanusServer::builder().plugins(&["sip"]));
    let peer = SipPeer::start().unwrap();
    let client = connect::<A>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let alice = session.attach(sip::PLUGIN).await.unwrap();
    let mut events = alice.events();
    let named = |what: &'static str| move |e: &Event| e.result_name() == Some(what);

    let register = sip::Register::new("sip:alice@127.0.0.1")
        .secret("pw")
        .proxy(format!("sip:127.0.0.1:{}", peer.port()));
    let answer = alice.send(&register).await.unwrap();
    assert!(matches!(answer, Event::Registering(_)), "{answer:?}");
    match plugin_event(&mut events, Event::from_data, named("registered")).await {
        Event::Registered(r) => assert_eq!(r.result.register_sent, Some(true)),
        other => unreachable!("{other:?}"),
    }

    let call = sip::Call::new(format!("sip:bob@127.0.0.1:{}", peer.port()));
    let reply = alice
        .message_with_jsep(call.to_body(), Jsep::offer(OFFER))
        .await
        .unwrap();
    // The call's later events carry its request's transaction too, so
    // under load `ringing` can be what answers the request; both come, then
    // `accepted` with the answer for the WebRTC side.
    let mut seen = vec![Event::from_data(reply.data.into_value())];
    loop {
        match events.next_within(Duration::from_secs(5)).await {
            Next::Event(HandleEvent::Plugin { data, jsep, .. }) => {
                let event = Event::from_data(data.into_value());
                if matches!(event, Event::Accepted(_)) {
                    assert_eq!(jsep.map(|j| j.kind), Some(SdpType::Answer));
                    break;
                }
                seen.push(event);
            }
            Next::Event(HandleEvent::Media { .. } | HandleEvent::WebrtcUp) => {}
            other => panic!("expected accepted after {seen:?}, got {other:?}"),
        }
    }
    // `proceeding` (the 180, as a provisional response) may come too.
    let names: Vec<_> = seen.iter().filter_map(|e| e.result_name()).collect();
    assert!(
        names.contains(&"calling") && names.contains(&"ringing"),
        "{seen:?}"
    );
    assert!(
        names
            .iter()
            .all(|n| ["calling", "ringing", "proceeding"].contains(n)),
        "{seen:?}"
    );
    // Each re-INVITE (hold, unhold) is let finish, ACK included, before
    // the next: Janus 1.1.2 leaves a request that overlaps one unanswered.
    let acks = |n: usize| {
        let peer = &peer;
        move || {
            let seen = peer.methods().iter().filter(|m| *m == "ACK").count();
            std::future::ready(seen >= n)
        }
    };
    assert!(eventually::<A, _>(Duration::from_secs(5), acks(1)).await);
    assert!(matches!(
        alice.send(&sip::Hold::default()).await.unwrap(),
        Event::Holding(_)
    ));
    assert!(eventually::<A, _>(Duration::from_secs(5), acks(2)).await);
    assert!(matches!(
        alice.send(&sip::Unhold::default()).await.unwrap(),
        Event::Resuming(_)
    ));
    assert!(eventually::<A, _>(Duration::from_secs(5), acks(3)).await);
    assert!(matches!(
        alice
            .send(&sip::Info::new("text/plain", "hello"))
            .await
            .unwrap(),
        Event::InfoSent(_)
    ));
    assert!(matches!(
        alice.send(&sip::DtmfInfo::new("5")).await.unwrap(),
        Event::DtmfSent(_)
    ));
    assert!(matches!(
        alice.send(&sip::Message::new("hi")).await.unwrap(),
        Event::MessageSent(_)
    ));
    assert!(matches!(
        alice.send(&sip::Hangup::default()).await.unwrap(),
        Event::HangingUp(_)
    ));
    match plugin_event(&mut events, Event::from_data, named("hangup")).await {
        Event::Hangup(r) => assert_eq!(r.result.code, Some(200), "{r:?}"),
        other => unreachable!("{other:?}"),
    }
    assert!(matches!(
        alice.send(&sip::Unregister::default()).await.unwrap(),
        Event::Unregistering(_)
    ));
    plugin_event(&mut events, Event::from_data, named("unregistered")).await;
    let methods = peer.methods();
    for method in ["REGISTER", "INVITE", "ACK", "INFO", "MESSAGE", "BYE"] {
        assert!(
            methods.iter().any(|m| m == method),
            "{method} in {methods:?}"
        );
    }
    session.destroy().await.unwrap();
}

/// The NoSIP walk with typed requests and events: a generate needs the
/// peer's SDP, and with it gives a plain RTP one; a plain offer is
/// processed into a WebRTC offer for the peer; recording and hangup are
/// answered.
pub async fn nosip_generate_and_process_walk<A: Adapter>(kind: Kind) {
    use janus_async::janus_core::plugins::nosip::{self, ErrorCode, Event};
    use janus_async::janus_core::plugins::PluginRequest;
    let server = kind.server(JanusServer::builder().plugins(&["nosip"]));
    let client = connect::<A>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let webrtc = session.attach(nosip::PLUGIN).await.unwrap();
    let err = webrtc.send(&nosip::Generate::new()).await.unwrap_err();
    assert_eq!(
        ErrorCode::try_from(err.plugin_code().expect("a plugin error")),
        Ok(ErrorCode::MissingSdp)
    );
    let reply = webrtc
        .message_with_jsep(
            nosip::Generate::new().info("suite").to_body(),
            Jsep::offer(OFFER),
        )
        .await
        .unwrap();
    let plain = match Event::from_data(reply.data.into_value()) {
        Event::Generated(g) => {
            assert_eq!(g.result.sdp_type.as_deref(), Some("offer"));
            g.result.sdp.expect("a plain SDP")
        }
        other => panic!("expected generated, got {other:?}"),
    };
    assert!(plain.contains(" RTP/AVP "), "{plain}");
    match webrtc
        .send(&nosip::Recording::new("start").audio(true))
        .await
        .unwrap()
    {
        Event::RecordingUpdated(r) => assert_eq!(r.result.event, "recordingupdated"),
        other => panic!("expected recordingupdated, got {other:?}"),
    }
    assert!(matches!(
        webrtc.send(&nosip::Hangup::default()).await.unwrap(),
        Event::HangingUp(_)
    ));

    // The other direction: the plain offer becomes Janus's WebRTC offer.
    let other = session.attach(nosip::PLUGIN).await.unwrap();
    let reply = other
        .message(nosip::Process::new("offer", plain).to_body())
        .await
        .unwrap();
    assert_eq!(reply.jsep.map(|j| j.kind), Some(SdpType::Offer));
    assert!(matches!(
        Event::from_data(reply.data.into_value()),
        Event::Processed(_)
    ));
    session.destroy().await.unwrap();
}

/// A connection reset in the network (a proxy between the client and
/// Janus cuts every connection) is survived on both transports: over
/// WebSocket the client reconnects and claims its session back; over HTTP
/// the long poll that was cut is simply armed again. The same session and
/// handle stay usable, with nothing ended.
pub async fn a_cut_connection_is_survived<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder().reclaim_session_timeout(10));
    let target = kind.url(&server);
    let proxy = Proxy::start(address_of(&target)).unwrap();
    let url = proxy.url(&target);
    let client = A::Client::connect_with(&url, Options::new()).await.unwrap();
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    echo(&handle).await;

    proxy.cut();
    if kind != Kind::Http {
        assert_eq!(
            next(session.events(), Duration::from_secs(5), "reclaim").await,
            SessionEvent::Reclaimed
        );
        echo(&handle).await;
    } else {
        // Janus 1.1.2 does not notice at once that a long poll's connection
        // died, and can hand an event to it, where it is lost: an echo made
        // right after the cut may never see its event. Its requests work
        // at once, and an echo does once a fresh long poll is in place.
        session.keepalive().await.unwrap();
        let mut echoed = false;
        for _ in 0..5 {
            let reply = handle
                .message_with(json!({"audio": true}), None, Some(Duration::from_secs(2)))
                .await;
            match reply {
                Ok(reply) => {
                    assert_eq!(reply.data["result"], "ok");
                    echoed = true;
                    break;
                }
                Err(e) => assert!(e.is_timeout(), "{e}"),
            }
        }
        assert!(echoed, "no echo through the new long poll");
    }
    session.keepalive().await.unwrap();
    assert_quiet(handle.events(), Duration::ZERO).await;
    assert_eq!(admin_sessions(&server), vec![session.id().0]);
    assert!(
        proxy.accepted() >= 2,
        "the client came back through the proxy"
    );
    handle.detach().await.unwrap();
    session.destroy().await.unwrap();
    client.close().await;
}

/// The `host:port` a URL points at, as a socket address.
fn address_of(url: &str) -> std::net::SocketAddr {
    let rest = url.split_once("://").expect("a URL").1;
    let host_port = rest.split('/').next().unwrap();
    host_port.parse().expect("an IP address and port")
}

/// A silent partition (a proxy that keeps the connection open but passes
/// nothing) is found within the link timeout: the client closes the dead
/// WebSocket, reconnects once traffic passes again, and claims its session
/// back; the session and handle stay usable.
pub async fn ws_only_a_silent_partition_is_survived<A: Adapter>() {
    let server = start(JanusServer::builder().reclaim_session_timeout(30));
    let target = Kind::Ws.url(&server);
    let proxy = Proxy::start(address_of(&target)).unwrap();
    let options = Options::new()
        .connect_timeout(Duration::from_secs(1))
        .configure(|c| c.link_timeout = Duration::from_secs(1));
    let client = A::Client::connect_with(&proxy.url(&target), options)
        .await
        .unwrap();
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    echo(&handle).await;
    assert_eq!(
        next(client.events(), Duration::from_secs(1), "first connect").await,
        ClientEvent::Connected
    );

    proxy.swallow(true);
    let started = Instant::now();
    // Anything sent now goes unanswered: a message (not safe to repeat)
    // fails with the link, long before its own timeout.
    let err = handle
        .message_with(json!({"audio": true}), None, Some(Duration::from_secs(10)))
        .await
        .unwrap_err();
    assert!(err.is_transport_closed(), "{err:?}");
    match next(client.events(), Duration::from_secs(3), "disconnect").await {
        ClientEvent::Disconnected {
            reason,
            reconnecting,
        } => {
            assert!(reconnecting);
            assert!(reason.contains("link timeout"), "{reason}");
        }
        other => panic!("unexpected {other:?}"),
    }
    let found = started.elapsed();
    assert!(found < Duration::from_secs(3), "found dead after {found:?}");

    proxy.swallow(false);
    assert_eq!(
        next(session.events(), Duration::from_secs(10), "reclaim").await,
        SessionEvent::Reclaimed
    );
    let counted = client.metrics().await.unwrap().counters;
    assert_eq!(
        (counted.dead_links, counted.reconnects),
        (1, 1),
        "{counted:?}"
    );
    echo(&handle).await;
    assert_eq!(admin_sessions(&server), vec![session.id().0]);
    handle.detach().await.unwrap();
    session.destroy().await.unwrap();
    client.close().await;
}

/// Over HTTP an outage (every connection refused for a few seconds, far
/// more long-poll failures in a row than a flaky proxy causes) ends no
/// session: the long poll backs off and comes back, and the session and
/// handle work again once the server can be reached.
pub async fn http_only_an_outage_is_survived<A: Adapter>() {
    let server = start(JanusServer::builder());
    let target = Kind::Http.url(&server);
    let proxy = Proxy::start(address_of(&target)).unwrap();
    let client = A::Client::connect_with(&proxy.url(&target), Options::new())
        .await
        .unwrap();
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    echo(&handle).await;

    proxy.refuse(true);
    proxy.cut();
    A::sleep(Duration::from_secs(4)).await;
    assert_quiet(session.events(), Duration::ZERO).await;
    proxy.refuse(false);

    // Requests work at once; events once a fresh long poll is in place.
    session.keepalive().await.unwrap();
    let mut echoed = false;
    for _ in 0..5 {
        match handle
            .message_with(json!({"audio": true}), None, Some(Duration::from_secs(3)))
            .await
        {
            Ok(reply) => {
                assert_eq!(reply.data["result"], "ok");
                echoed = true;
                break;
            }
            Err(e) => assert!(e.is_timeout(), "{e}"),
        }
    }
    assert!(echoed, "no echo after the outage");
    assert_eq!(admin_sessions(&server), vec![session.id().0]);
    handle.detach().await.unwrap();
    session.destroy().await.unwrap();
}

/// A proxy that cuts connections idle for 1.5 s, far below Janus's 30 s
/// long-poll hold: every long poll is cut, again and again. The session
/// lives on (what the server answers keeps it alive), requests go through
/// while the cutting goes on, and once the proxy stops, events come again.
pub async fn http_only_an_idle_cutting_proxy_is_survived<A: Adapter>() {
    let server = start(JanusServer::builder());
    let target = Kind::Http.url(&server);
    let proxy = Proxy::start(address_of(&target)).unwrap();
    let options = Options::new().keepalive(KeepaliveInterval::Fixed(Duration::from_secs(2)));
    let client = A::Client::connect_with(&proxy.url(&target), options)
        .await
        .unwrap();
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    proxy.idle_cut(Some(Duration::from_millis(1500)));
    let before = proxy.accepted();
    A::sleep(Duration::from_secs(8)).await;
    assert!(
        proxy.accepted() >= before + 4,
        "the long polls were not cut: {} connections",
        proxy.accepted() - before
    );
    assert_quiet(session.events(), Duration::ZERO).await;
    assert_eq!(admin_sessions(&server), vec![session.id().0]);
    session.keepalive().await.unwrap();
    proxy.idle_cut(None);
    let mut echoed = false;
    for _ in 0..5 {
        match handle
            .message_with(json!({"audio": true}), None, Some(Duration::from_secs(3)))
            .await
        {
            Ok(reply) => {
                assert_eq!(reply.data["result"], "ok");
                echoed = true;
                break;
            }
            Err(e) => assert!(e.is_timeout(), "{e}"),
        }
    }
    assert!(echoed, "no echo once the proxy stopped cutting");
    handle.detach().await.unwrap();
    session.destroy().await.unwrap();
}

/// `claim` from a second connection makes it the session's owner: the
/// events of the handle the first one attached now reach the second one,
/// which reports them as unknown (it holds no such handle); the first one's
/// message sees its `ack` but never its event. Destroyed by the new owner,
/// the session ends on the old one as soon as the server says 458.
/// WebSocket only: over HTTP, events wait on the server for whichever long
/// poll of the session comes first, so there is no owner to move them to.
pub async fn ws_only_claim_moves_events_to_the_new_owner<A: Adapter>() {
    let server = start(JanusServer::builder());
    let first = connect::<A>(Kind::Ws, &server).await;
    let session = first.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();

    let second = connect::<A>(Kind::Ws, &server).await;
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
    match next(claimed.events(), Duration::from_secs(1), "the moved event").await {
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

// ----- HTTP only -------------------------------------------------------------

/// A destroy sent right after an event arrived through the long poll races
/// the poll the engine re-arms at once: Janus destroys the session and may
/// answer the new poll 404 before the destroy's own reply. The session still
/// ends `Destroyed` and the destroy succeeds. HTTP only: there is no long
/// poll over WebSocket.
pub async fn http_only_destroy_right_after_an_event<A: Adapter>() {
    let server = start(JanusServer::builder());
    let client = connect::<A>(Kind::Http, &server).await;
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

pub async fn bad_urls_are_refused<A: Adapter>() {
    for url in ["ftp://127.0.0.1/", "127.0.0.1:8188", ""] {
        match A::Client::connect(url).await {
            Err(Error::Url { .. }) => {}
            other => panic!("{url:?}: expected a URL error, got {other:?}"),
        }
    }
    let http_config = Options::new().configure(|c| c.transport = Transport::HTTP);
    match A::Client::connect_with("ws://127.0.0.1:1", http_config).await {
        Err(Error::Url { .. }) => {}
        other => panic!("expected a URL error, got {other:?}"),
    }
}
