//! The scenarios proper to Janus's Unix-socket transport
//! (`janus.transport.pfunix`): its 8 KiB request limit, and the connection
//! Janus closes when any one of its sessions times out.

use crate::adapter::{Adapter, ClientApi, EventStream, HandleApi, Next, SessionApi};
use crate::scenarios::{assert_reconnected, connect, connect_with, echo, next, session_end, Kind};
use janus_async::janus_core::serde_json::json;
use janus_async::janus_core::{CommandError, EndReason, UNIX_MAX_REQUEST};
use janus_async::{ClientEvent, Error, Options, SessionEvent};
use janus_tests::rig::JanusServer;
use janus_tests::support::ECHOTEST;
use std::time::{Duration, Instant};

/// A request over what Janus reads of one (8 KiB over a Unix socket, one
/// 128 KiB AMQP body frame over RabbitMQ) fails at once with an error that
/// says so (Janus would drop it without an answer over `SOCK_SEQPACKET`,
/// or answer a 454 naming no transaction over `SOCK_DGRAM` and RabbitMQ),
/// and nothing else is disturbed; one just under the limit is answered.
pub async fn requests_over_the_limit_fail_at_once<A: Adapter>(kind: Kind) {
    let limit = match kind {
        Kind::Amqp => janus_async::janus_client::amqp::AMQP_MAX_REQUEST,
        _ => UNIX_MAX_REQUEST,
    };
    let server = kind.server(JanusServer::builder());
    let client = connect::<A>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    let sent = Instant::now();
    let body = json!({"audio": true, "pad": "x".repeat(limit)});
    let err = handle.message(body).await.unwrap_err();
    assert!(
        sent.elapsed() < Duration::from_millis(100),
        "{:?}",
        sent.elapsed()
    );
    let limit_of_kind = limit;
    match &err {
        Error::Command(CommandError::RequestTooLarge {
            request,
            size,
            limit,
        }) => {
            assert_eq!((*request, *limit), ("message", limit_of_kind));
            assert!(*size > limit_of_kind, "{size}");
        }
        other => panic!("expected RequestTooLarge, got {other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains(&format!("limit of {limit} bytes")) && text.contains("nothing was sent"),
        "{text}"
    );
    // Just under the limit: sent, read whole by Janus, answered.
    let body = json!({"audio": true, "pad": "x".repeat(limit - 300)});
    let reply = handle.message(body).await.unwrap();
    assert_eq!(reply.data["result"], "ok", "{reply:?}");
    echo(&handle).await;
    assert_eq!(client.metrics().await.unwrap().counters.timeouts, 0);
    handle.detach().await.unwrap();
    session.destroy().await.unwrap();
}

/// Janus closes a `SOCK_SEQPACKET` connection when any one of its sessions
/// times out; the others stay alive on the server (even with the default
/// `reclaim_session_timeout` of 0): the client reconnects and claims them,
/// and they go on as before.
pub async fn unix_only_a_session_timeout_closes_the_connection_and_the_others_are_claimed<
    A: Adapter,
>() {
    let kind = Kind::Unix;
    let server = kind.server(JanusServer::builder().session_timeout(3));
    // Keepalives every second for the sessions kept alive.
    let options = Options::new().configure(|c| {
        c.keepalive_interval =
            janus_async::janus_core::KeepaliveInterval::Fixed(Duration::from_secs(1))
    });
    let client = connect_with::<A>(kind, &server, options).await;
    assert_eq!(
        next(client.events(), Duration::from_secs(1), "first connect").await,
        ClientEvent::Connected
    );
    let lapsing = client.create_session().await.unwrap();
    lapsing.set_keepalive(false).await.unwrap();
    let kept = client.create_session().await.unwrap();
    let handle = kept.attach(ECHOTEST).await.unwrap();
    let also_kept = client.create_session().await.unwrap();
    echo(&handle).await;

    // Janus's watchdog ends the one without keepalives and closes the
    // connection with it.
    let created = Instant::now();
    assert_eq!(
        session_end(&lapsing, Duration::from_secs(10)).await,
        EndReason::ServerTimeout
    );
    assert!(
        created.elapsed() >= Duration::from_secs(3),
        "{:?}",
        created.elapsed()
    );
    assert_reconnected(&client, Duration::from_secs(3)).await;
    for session in [&kept, &also_kept] {
        assert_eq!(
            next(session.events(), Duration::from_secs(3), "reclaim").await,
            SessionEvent::Reclaimed
        );
    }
    // Claimed, the others live on: their handle answers, and keepalives
    // hold them past several more timeouts.
    echo(&handle).await;
    A::sleep(Duration::from_secs(5)).await;
    let mut events = kept.events();
    assert!(
        matches!(events.next_within(Duration::ZERO).await, Next::Quiet),
        "the kept session had more events"
    );
    echo(&handle).await;
    also_kept.keepalive().await.unwrap();
    handle.detach().await.unwrap();
    kept.destroy().await.unwrap();
    also_kept.destroy().await.unwrap();
}
