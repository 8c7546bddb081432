//! The scenarios proper to Janus's RabbitMQ transport
//! (`janus.transport.rabbitmq`): many clients and servers on one broker,
//! a broker link that drops or a broker that restarts under live
//! sessions, and requests that expire in the broker rather than run late.

use crate::adapter::{Adapter, ClientApi, EventStream, HandleApi, SessionApi};
use crate::scenarios::{
    amqp_server_name, assert_quiet, assert_reconnected, connect, connect_with, echo, next, start,
    Kind,
};
use janus_async::janus_core::serde_json::json;
use janus_async::janus_core::{ReconnectPolicy, SessionId};
use janus_async::{ClientEvent, Options};
use janus_tests::rabbitmq::RabbitMq;
use janus_tests::rig::JanusServer;
use janus_tests::support::ECHOTEST;
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// The sessions Janus holds, by the Admin API.
fn sessions_on(server: &JanusServer) -> Vec<u64> {
    let reply = server
        .admin_request(json!({"janus": "list_sessions"}))
        .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    let mut ids: Vec<u64> = reply["sessions"]
        .as_array()
        .unwrap_or_else(|| panic!("{reply}"))
        .iter()
        .filter_map(|s| s.as_u64())
        .collect();
    ids.sort_unstable();
    ids
}

/// Two clients share one server's routing key, and a third client talks
/// to another server on the same broker: every request resolves with its
/// own reply (each client's replies carry its own transaction prefix),
/// none times out, and no event of one server reaches the other's client.
pub async fn clients_and_servers_share_a_broker<A: Adapter>(kind: Kind) {
    let a = kind.server(JanusServer::builder());
    let b = kind.server(JanusServer::builder());
    let (first, second) = (connect::<A>(kind, &a).await, connect::<A>(kind, &a).await);
    let other = connect::<A>(kind, &b).await;
    let other_session = other.create_session().await.unwrap();
    let other_handle = other_session.attach(ECHOTEST).await.unwrap();
    let _ = other_handle.events().drain();
    let _ = other_session.events().drain();

    let work = |client: &A::Client| {
        let client = client.clone();
        async move {
            let session = client.create_session().await.unwrap();
            let handle = session.attach(ECHOTEST).await.unwrap();
            echo(&handle).await;
            (session.id(), session, handle)
        }
    };
    let firsts = A::join_all(20, 20, |_| work(&first)).await;
    let seconds = A::join_all(20, 20, |_| work(&second)).await;
    let ids: HashSet<SessionId> = firsts.iter().chain(&seconds).map(|(id, ..)| *id).collect();
    assert_eq!(ids.len(), 40, "each create got a session of its own");
    let mut expected: Vec<u64> = ids.iter().map(|id| id.0).collect();
    expected.sort_unstable();
    assert_eq!(sessions_on(&a), expected);
    for client in [&first, &second, &other] {
        let counters = client.metrics().await.unwrap().counters;
        assert_eq!(
            (counters.timeouts, counters.late_replies, counters.cleanups),
            (0, 0, 0),
            "{counters:?}"
        );
    }
    // Server B's client heard nothing of server A's 40 sessions.
    assert_quiet(other_handle.events(), Duration::from_millis(200)).await;
    assert_quiet(other_session.events(), Duration::ZERO).await;
    echo(&other_handle).await;
}

/// The broker link drops (the test hook fails it): the client opens it
/// again, and its sessions go on as they were, with no claim (Janus never
/// noticed: its sessions do not belong to the link).
pub async fn a_dropped_broker_link_keeps_the_sessions<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder());
    let client = connect::<A>(kind, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    echo(&handle).await;
    assert_eq!(
        next(client.events(), Duration::from_secs(1), "first connect").await,
        ClientEvent::Connected
    );
    client.drop_transport().unwrap();
    assert_reconnected(&client, Duration::from_secs(5)).await;
    // No `Reclaimed`: nothing was claimed, nothing needed to be.
    assert_quiet(session.events(), Duration::from_millis(100)).await;
    echo(&handle).await;
    session.keepalive().await.unwrap();
    assert_eq!(sessions_on(&server), [session.id().0]);
    handle.detach().await.unwrap();
    session.destroy().await.unwrap();
}

/// The broker itself stops and starts again (a private one, for this test
/// alone): Janus reconnects to it by itself, so does the client, and the
/// session and handle go on.
pub async fn a_broker_restart_is_survived<A: Adapter>(kind: Kind) {
    assert_eq!(kind, Kind::Amqp);
    let mut broker = RabbitMq::start().unwrap_or_else(|e| panic!("{e}"));
    let server = start(JanusServer::builder().rabbitmq(broker.amqp_port(), "restart"));
    let url = server.amqp_url().unwrap();
    let options = Options::new().reconnect(ReconnectPolicy {
        max_backoff: Duration::from_millis(500),
        ..ReconnectPolicy::default()
    });
    let client = A::Client::connect_with(&url, options).await.unwrap();
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    echo(&handle).await;
    let _ = client.events().drain();

    broker.restart().unwrap_or_else(|e| panic!("{e}"));
    let restarted = Instant::now();
    assert_reconnected(&client, Duration::from_secs(10)).await;
    // Janus comes back to the broker a few seconds after it is up.
    let mut answered = false;
    while !answered && restarted.elapsed() < Duration::from_secs(30) {
        answered = A::within(Duration::from_secs(2), client.ping())
            .await
            .is_some_and(|r| r.is_ok());
    }
    assert!(answered, "Janus did not come back to the broker");
    echo(&handle).await;
    session.keepalive().await.unwrap();
    assert_eq!(sessions_on(&server), [session.id().0]);
    assert_quiet(session.events(), Duration::ZERO).await;
    handle.detach().await.unwrap();
    session.destroy().await.unwrap();
    client.close().await;
}

/// Janus is down and its request queue kept: a request whose caller gave
/// up expires in the queue (it was published with its timeout as its
/// expiration), so a Janus that came back would not run it late and make
/// an orphan session; a request still awaited waits there, with its
/// transaction as its correlation id and its own timeout as expiration.
pub async fn a_request_given_up_on_expires_in_the_broker<A: Adapter>(kind: Kind) {
    assert_eq!(kind, Kind::Amqp);
    let name = amqp_server_name();
    let server = start(
        JanusServer::builder()
            .rabbitmq(RabbitMq::shared().amqp_port(), &name)
            .rabbitmq_queue_kept(true),
    );
    let quick = Options::new().request_timeout(Duration::from_secs(1));
    let impatient = connect_with::<A>(kind, &server, quick).await;
    let slow = Options::new().request_timeout(Duration::from_secs(30));
    let patient = connect_with::<A>(kind, &server, slow).await;
    server.kill();

    let Err(err) = impatient.create_session().await else {
        panic!("Janus is down, yet a session was created");
    };
    assert!(err.is_timeout(), "{err:?}");
    let waited = A::within(Duration::from_millis(500), patient.create_session()).await;
    assert!(waited.is_none(), "nobody serves the queue");
    let queued = RabbitMq::shared()
        .take_queued(&format!("janus-{name}-in"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        queued.len(),
        1,
        "only the awaited request is left: {queued:?}"
    );
    let request: janus_async::janus_core::serde_json::Value =
        janus_async::janus_core::serde_json::from_slice(&queued[0].body).unwrap();
    assert_eq!(request["janus"], "create", "{request}");
    assert_eq!(
        queued[0].correlation_id.as_deref(),
        request["transaction"].as_str()
    );
    assert_eq!(queued[0].expiration.as_deref(), Some("30000"));
}

/// Janus's exchange declared by its configuration as a `direct` one: the
/// client finds it and uses it as it is (declaring it again as a topic
/// exchange would fail), for two servers on it, each answering only its
/// own clients.
pub async fn an_exchange_of_another_type_is_used_as_it_is<A: Adapter>(kind: Kind) {
    assert_eq!(kind, Kind::Amqp);
    let exchange = format!("direct-{}", amqp_server_name());
    let port = RabbitMq::shared().amqp_port();
    let direct = |name: &str| {
        start(
            JanusServer::builder()
                .rabbitmq(port, name)
                .rabbitmq_exchange(&exchange, "direct"),
        )
    };
    let (a, b) = (direct(&amqp_server_name()), direct(&amqp_server_name()));
    let on_a = connect::<A>(kind, &a).await;
    let on_b = connect::<A>(kind, &b).await;
    let session = on_a.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    let other = on_b.create_session().await.unwrap();
    echo(&handle).await;
    assert_quiet(other.events(), Duration::from_millis(100)).await;
    assert_eq!(sessions_on(&a), [session.id().0]);
    assert_eq!(sessions_on(&b), [other.id().0]);
    for client in [&on_a, &on_b] {
        let counters = client.metrics().await.unwrap().counters;
        assert_eq!(
            (counters.timeouts, counters.late_replies),
            (0, 0),
            "{counters:?}"
        );
    }
}
