//! The fleet client (`janus_async::Fleet`) against three real Janus
//! servers, on tokio and on smol: placement by each policy, a server
//! killed, servers drained (through Janus's Admin API and through the
//! fleet), failover when the chosen server does not answer, and three
//! servers behind one RabbitMQ broker (one broker connection for all, and
//! sessions that survive a broker restart).

use std::future::Future;
use std::pin::pin;
use std::time::{Duration, Instant};

use futures_util::future::{join_all, select, Either};
use futures_util::StreamExt;
use janus_async::janus_core::serde_json::json;
use janus_async::janus_core::{EndReason, ReconnectPolicy};
use janus_async::{
    DrainCause, Fleet, FleetError, FleetSession, Options, Policy, Runtime, ServerState, ServerView,
    SessionEvent,
};
use janus_tests::rabbitmq::RabbitMq;
use janus_tests::rig::{connections_of, JanusServer};
use janus_tests::support::{admin_sessions, freeze, ECHOTEST};

/// Starts `n` servers with EchoTest (on this thread: each dies with the
/// thread that started it). A start that fails is tried again: the rig
/// already retries Janus's own start-up races, but `n` servers on a busy
/// machine meet them more often.
fn servers(n: usize) -> Vec<JanusServer> {
    (0..n)
        .map(|_| {
            let mut attempt = 1;
            loop {
                match JanusServer::builder().plugins(&["echotest"]).start() {
                    Ok(server) => break server,
                    Err(e) if attempt < 3 => {
                        eprintln!("janus did not start ({e}); again");
                        attempt += 1;
                    }
                    Err(e) => panic!("{e}"),
                }
            }
        })
        .collect()
}

const NAMES: [&str; 3] = ["a", "b", "c"];

async fn sleep<R: Runtime>(d: Duration) {
    R::sleep_until(Instant::now() + d).await
}

/// Waits until `check` holds (checking every 20 ms), or panics after `limit`.
async fn until<R: Runtime, F: Future<Output = bool>>(
    what: &str,
    limit: Duration,
    mut check: impl FnMut() -> F,
) {
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        sleep::<R>(Duration::from_millis(20)).await;
    }
}

/// `future`'s output, or `None` once `limit` passed (the future dropped).
async fn within<R: Runtime, T>(limit: Duration, future: impl Future<Output = T>) -> Option<T> {
    let sleep = R::sleep_until(Instant::now() + limit);
    match select(pin!(future), sleep).await {
        Either::Left((out, _)) => Some(out),
        Either::Right(_) => None,
    }
}

async fn state<R: Runtime>(fleet: &Fleet<R>, name: &str) -> ServerView {
    let servers = fleet.servers().await;
    servers.into_iter().find(|s| &*s.name == name).unwrap()
}

async fn counts<R: Runtime>(fleet: &Fleet<R>) -> Vec<usize> {
    fleet.servers().await.iter().map(|s| s.sessions).collect()
}

async fn create_n<R: Runtime>(fleet: &Fleet<R>, n: usize) -> Vec<FleetSession<R>> {
    let mut sessions = Vec::new();
    for _ in 0..n {
        sessions.push(fleet.create_session().await.unwrap());
    }
    sessions
}

fn on(sessions: &[FleetSession<impl Runtime>]) -> Vec<&str> {
    sessions.iter().map(|s| s.server()).collect()
}

/// A session still works on its server: a keepalive, and an EchoTest
/// handle that answers.
async fn works<R: Runtime>(session: &FleetSession<R>) {
    session.keepalive().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    let reply = handle.message(json!({"audio": true})).await.unwrap();
    assert_eq!(reply.data["result"], "ok");
    handle.detach().await.unwrap();
}

// ----- (a) placement -----------------------------------------------------------

async fn placement<R: Runtime>() {
    let servers = servers(3);
    // One server per transport: WebSocket, HTTP, Unix socket.
    let urls = [
        servers[0].ws_url(),
        servers[1].http_url(),
        servers[2].unix_url(),
    ];
    let pairs: Vec<(&str, &str)> = NAMES
        .iter()
        .copied()
        .zip(urls.iter().map(|u| &**u))
        .collect();

    // Round robin spreads 6 sessions 2/2/2, as the servers themselves say.
    let fleet = Fleet::<R>::connect(pairs.clone(), Policy::RoundRobin)
        .await
        .unwrap();
    let sessions = create_n(&fleet, 6).await;
    assert_eq!(on(&sessions), ["a", "b", "c", "a", "b", "c"]);
    assert_eq!(counts(&fleet).await, [2, 2, 2]);
    for server in &servers {
        assert_eq!(admin_sessions(server).len(), 2);
    }
    for view in fleet.servers().await {
        assert_eq!(view.state, ServerState::Up, "{view:?}");
    }
    // Sessions that end are no longer counted.
    drop(sessions);
    until::<R, _>(
        "the sessions are destroyed",
        Duration::from_secs(5),
        || async { counts(&fleet).await == [0, 0, 0] },
    )
    .await;
    fleet.close().await;

    // Least sessions fills the emptiest: a holds 2, b 1, c 0.
    let fleet = Fleet::<R>::connect(pairs.clone(), Policy::LeastSessions)
        .await
        .unwrap();
    let a = fleet.client("a").unwrap().unwrap();
    let b = fleet.client("b").unwrap().unwrap();
    let on_a = [
        a.create_session().await.unwrap(),
        a.create_session().await.unwrap(),
    ];
    let on_b = b.create_session().await.unwrap();
    let sessions = create_n(&fleet, 3).await;
    assert_eq!(on(&sessions), ["c", "b", "c"]);
    assert_eq!(counts(&fleet).await, [2, 2, 2]);
    // One fewer on a: a is now the emptiest.
    drop(on_a);
    drop(on_b);
    until::<R, _>("a and b lose theirs", Duration::from_secs(5), || async {
        counts(&fleet).await == [0, 1, 2]
    })
    .await;
    let next = create_n(&fleet, 2).await;
    assert_eq!(on(&next), ["a", "a"]);
    // Concurrent creations see each other: 12 more even the counts out.
    let all = join_all((0..12).map(|_| fleet.create_session())).await;
    let all: Vec<FleetSession<R>> = all.into_iter().map(Result::unwrap).collect();
    let placed = counts(&fleet).await;
    assert_eq!(placed.iter().sum::<usize>(), 17, "{placed:?}"); // 2 + 1 + 2 before
    assert!(placed.iter().all(|&n| (5..=7).contains(&n)), "{placed:?}");
    drop((all, next, sessions));
    fleet.close().await;

    // A custom function is obeyed, and may decline.
    let fleet = Fleet::<R>::builder()
        .server("a", &urls[0])
        .server("b", &urls[1])
        .server("c", &urls[2])
        .policy(Policy::custom(|servers: &[ServerView]| {
            servers.iter().position(|s| &*s.name == "b")
        }))
        .connect()
        .await
        .unwrap();
    let sessions = create_n(&fleet, 3).await;
    assert_eq!(on(&sessions), ["b", "b", "b"]);
    fleet.drain("b").unwrap();
    let err = fleet.create_session().await.unwrap_err();
    assert!(matches!(err, FleetError::Declined { .. }), "{err}");
    assert!(err.to_string().contains("(a, c)"), "{err}");
    fleet.close().await;
}

// ----- (b) a server killed -------------------------------------------------------

async fn killed<R: Runtime>() {
    let servers = servers(3);
    // Reconnects that give up soon, so the killed server's sessions end
    // with the transport (with the default policy they would wait for it
    // until their expiry estimate passed).
    let options = Options::new()
        .request_timeout(Duration::from_secs(2))
        .reconnect(ReconnectPolicy {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(200),
            jitter: false,
        });
    let fleet = NAMES
        .iter()
        .zip(&servers)
        .fold(Fleet::<R>::builder(), |b, (name, s)| {
            b.server(name, &s.ws_url())
        })
        .options(options)
        .ping_interval(Duration::from_millis(300))
        .connect()
        .await
        .unwrap();
    let sessions = create_n(&fleet, 6).await;
    assert_eq!(counts(&fleet).await, [2, 2, 2]);

    let killed_at = Instant::now();
    servers[1].kill();
    // Its sessions end, with the reason.
    for session in sessions.iter().filter(|s| s.server() == "b") {
        let mut events = session.events();
        let end = loop {
            match events.next().await {
                Some(SessionEvent::Ended(reason)) => break reason,
                Some(_) => continue,
                None => panic!("the events ended without Ended"),
            }
        };
        assert_eq!(end, EndReason::TransportLost);
    }
    assert!(
        killed_at.elapsed() < Duration::from_secs(3),
        "{:?}",
        killed_at.elapsed()
    );
    // The fleet says it is down, and counts none there.
    until::<R, _>("b is down", Duration::from_secs(2), || async {
        state(&fleet, "b").await.state.is_down()
    })
    .await;
    assert_eq!(counts(&fleet).await, [2, 0, 2]);

    // New sessions go to the others; those there still work.
    let next = create_n(&fleet, 4).await;
    assert_eq!(on(&next), ["a", "c", "a", "c"]);
    for session in sessions.iter().filter(|s| s.server() != "b") {
        session.keepalive().await.unwrap();
    }
    assert_eq!(counts(&fleet).await, [4, 0, 4]);
    // The health checks keep trying it, and say why it is down.
    sleep::<R>(Duration::from_millis(700)).await;
    let b = state(&fleet, "b").await;
    match &b.state {
        ServerState::Down { reason, .. } => assert!(reason.contains("connect"), "{reason}"),
        other => panic!("{other:?}"),
    }
    fleet.close().await;
}

// ----- (c) draining ---------------------------------------------------------------

async fn drained<R: Runtime>() {
    let servers = servers(3);
    let fleet = NAMES
        .iter()
        .zip(&servers)
        .fold(Fleet::<R>::builder(), |b, (name, s)| {
            b.server(name, &s.ws_url())
        })
        .ping_interval(Duration::from_millis(200))
        .connect()
        .await
        .unwrap();
    let first = create_n(&fleet, 3).await;
    assert_eq!(on(&first), ["a", "b", "c"]);

    // Drained through Janus's Admin API: b refuses (472), the fleet marks
    // it draining and fails over; its session goes on working.
    let reply = servers[1]
        .admin_request(json!({"janus": "accept_new_sessions", "accept": false}))
        .unwrap();
    assert_eq!(reply["janus"], "success", "{reply}");
    let next = create_n(&fleet, 3).await;
    assert_eq!(on(&next), ["a", "c", "c"]);
    assert!(matches!(
        state(&fleet, "b").await.state,
        ServerState::Draining(DrainCause::Refused(_))
    ));
    assert_eq!(admin_sessions(&servers[1]).len(), 1);
    works(&first[1]).await;

    // Drained through the fleet: c takes none, its sessions go on.
    fleet.drain("c").unwrap();
    assert_eq!(
        state(&fleet, "c").await.state,
        ServerState::Draining(DrainCause::Asked)
    );
    let more = create_n(&fleet, 2).await;
    assert_eq!(on(&more), ["a", "a"]);
    works(&first[2]).await;
    works(&next[2]).await;

    // Nobody left: the error says why for each.
    fleet.drain("a").unwrap();
    let err = fleet.create_session().await.unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, FleetError::Unavailable(_)), "{message}");
    assert!(
        message.starts_with("no server accepts new sessions: a is draining (drained here), b is draining (Janus refuses new sessions: "),
        "{message}"
    );
    assert!(
        message.ends_with(
            "c is draining (drained here); undrain one, wait for one to come back, or add servers"
        ),
        "{message}"
    );
    assert!(matches!(
        fleet.drain("z"),
        Err(FleetError::UnknownServer { .. })
    ));

    // Undrained, and b accepting again: its health check notices.
    fleet.undrain("a").unwrap();
    fleet.undrain("c").unwrap();
    servers[1]
        .admin_request(json!({"janus": "accept_new_sessions", "accept": true}))
        .unwrap();
    until::<R, _>("b accepts again", Duration::from_secs(3), || async {
        state(&fleet, "b").await.state == ServerState::Up
    })
    .await;
    let last = create_n(&fleet, 3).await;
    let mut placed = on(&last);
    placed.sort();
    assert_eq!(placed, ["a", "b", "c"]);
    fleet.close().await;
}

// ----- (d) failover -----------------------------------------------------------------

async fn failover<R: Runtime>() {
    let servers = servers(3);
    // c is down before the fleet starts: not a failure, it is down.
    let dead = servers[2].ws_url();
    servers[2].kill();
    let fleet = Fleet::<R>::builder()
        .server("a", &servers[0].ws_url())
        .server("b", &servers[1].ws_url())
        .server("c", &dead)
        .options(Options::new().request_timeout(Duration::from_secs(1)))
        .ping_interval(Duration::from_millis(500))
        .ping_timeout(Duration::from_millis(400))
        .connect()
        .await
        .unwrap();
    match state(&fleet, "c").await.state {
        ServerState::Down { reason, .. } => assert!(reason.contains("cannot connect"), "{reason}"),
        other => panic!("{other:?}"),
    }

    // a is chosen but does not answer: the create times out, a is down,
    // and the session is made on b.
    let frozen = freeze(&servers[0]);
    let start = Instant::now();
    let session = fleet.create_session().await.unwrap();
    assert_eq!(session.server(), "b");
    let took = start.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(3),
        "{took:?}"
    );
    match state(&fleet, "a").await.state {
        // The create's timeout, or a ping's if one failed since.
        ServerState::Down { reason, .. } => assert!(
            reason.contains("no reply to `create`") || reason.contains("no answer to a ping"),
            "{reason}"
        ),
        other => panic!("{other:?}"),
    }
    let next = create_n(&fleet, 2).await;
    assert_eq!(on(&next), ["b", "b"]);

    // A create given up on while in flight leaves no count behind.
    let b_frozen = freeze(&servers[1]);
    let creating = fleet.create_session();
    let gave_up = within::<R, _>(Duration::from_millis(200), creating).await;
    assert!(gave_up.is_none());
    assert_eq!(state(&fleet, "b").await.sessions, 3);
    drop(b_frozen);

    // a answers again: its health check brings it back.
    drop(frozen);
    until::<R, _>("a is up", Duration::from_secs(3), || async {
        state(&fleet, "a").await.state == ServerState::Up
    })
    .await;
    let back = create_n(&fleet, 2).await;
    assert!(on(&back).contains(&"a"), "{:?}", on(&back));
    works(&session).await;

    // Every server unreachable: the error says so.
    fleet.drain("a").unwrap();
    fleet.drain("b").unwrap();
    let err = fleet.create_session().await.unwrap_err();
    assert!(
        err.to_string().contains("c is down (cannot connect"),
        "{err}"
    );
    // Servers can be added: a second connection to b, under its own name.
    assert!(matches!(
        fleet.add_server("b", &servers[1].ws_url(), None).await,
        Err(FleetError::DuplicateName(_))
    ));
    fleet
        .add_server("b2", &servers[1].ws_url(), None)
        .await
        .unwrap();
    assert_eq!(fleet.create_session().await.unwrap().server(), "b2");
    assert_eq!(fleet.servers().await.len(), 4);
    fleet.close().await;
    assert!(matches!(
        fleet.create_session().await,
        Err(FleetError::Closed)
    ));
}

// ----- (e) over RabbitMQ ----------------------------------------------------------

/// Three servers behind one broker: the fleet reaches all of them through
/// one AMQP connection (a routing key per server), places sessions on
/// each, and when the broker restarts, the sessions on every server go on
/// (Janus and the client both come back to the broker; nothing is
/// claimed, nothing ends) and new sessions are placed again.
async fn over_rabbitmq<R: Runtime>() {
    let mut broker = RabbitMq::start().unwrap_or_else(|e| panic!("{e}"));
    let servers: Vec<JanusServer> = NAMES
        .iter()
        .map(|name| {
            JanusServer::builder()
                .plugins(&["echotest"])
                .rabbitmq(broker.amqp_port(), name)
                .start()
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    let urls: Vec<String> = servers.iter().map(|s| s.amqp_url().unwrap()).collect();
    let options = Options::new().reconnect(ReconnectPolicy {
        max_backoff: Duration::from_millis(500),
        ..ReconnectPolicy::default()
    });
    let mut builder = Fleet::<R>::builder()
        .options(options)
        .policy(Policy::RoundRobin)
        .ping_interval(Duration::from_millis(500));
    for (name, url) in NAMES.iter().zip(&urls) {
        builder = builder.server(name, url);
    }
    let fleet = builder.connect().await.unwrap();
    let sessions = create_n(&fleet, 3).await;
    assert_eq!(on(&sessions), ["a", "b", "c"]);
    for (session, server) in sessions.iter().zip(&servers) {
        works(session).await;
        assert_eq!(admin_sessions(server), [session.id().0]);
    }
    let port = broker.amqp_port();
    let connections = || connections_of(std::process::id(), port).unwrap();
    assert_eq!(
        connections(),
        1,
        "one broker connection serves the three servers"
    );

    broker.restart().unwrap_or_else(|e| panic!("{e}"));
    // Janus reconnects to the broker by itself within a few seconds.
    for session in &sessions {
        until::<R, _>(
            "the session answers again",
            Duration::from_secs(30),
            || async {
                within::<R, _>(Duration::from_secs(1), session.keepalive())
                    .await
                    .is_some_and(|r| r.is_ok())
            },
        )
        .await;
        works(session).await;
        let events = session.events();
        while let Some(event) = events.try_next() {
            assert!(!matches!(event, SessionEvent::Ended(_)), "{event:?}");
        }
    }
    for (session, server) in sessions.iter().zip(&servers) {
        assert_eq!(admin_sessions(server), [session.id().0], "nothing was lost");
    }
    until::<R, _>(
        "every server is up again",
        Duration::from_secs(10),
        || async {
            fleet
                .servers()
                .await
                .iter()
                .all(|s| s.state == ServerState::Up)
        },
    )
    .await;
    let more = create_n(&fleet, 3).await;
    let mut placed = on(&more);
    placed.sort_unstable();
    assert_eq!(placed, ["a", "b", "c"]);
    assert_eq!(connections(), 1, "still one broker connection");
    drop(more);
    drop(sessions);
    fleet.close().await;
}

// ----- each scenario on tokio and on smol -------------------------------------------

macro_rules! on_both {
    ($($scenario:ident),*) => {$(
        mod $scenario {
            #[test]
            fn tokio() {
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .unwrap()
                    .block_on(super::$scenario::<janus_tokio::Tokio>())
            }

            #[test]
            fn smol() {
                smol::block_on(super::$scenario::<janus_smol::Smol>())
            }
        }
    )*};
}

on_both!(placement, killed, drained, failover, over_rabbitmq);
