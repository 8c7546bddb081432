//! The blocking fleet (`janus_blocking::Fleet`) against three real Janus
//! servers: round robin spread, Janus's own drain (472) failed over, a
//! drain through the fleet, a killed server's sessions ended and its new
//! sessions placed elsewhere, and a closed fleet. It shares its placement
//! and health state with the async fleet (`tests/tests/fleet.rs`).

use std::thread::sleep;
use std::time::{Duration, Instant};

use janus_blocking::janus_core::serde_json::json;
use janus_blocking::janus_core::{EndReason, ReconnectPolicy};
use janus_blocking::{
    DrainCause, Fleet, FleetError, FleetSession, Options, Policy, ServerState, SessionEvent,
};
use janus_tests::rig::JanusServer;
use janus_tests::support::{admin_sessions, ECHOTEST};

fn placed(fleet: &Fleet, n: usize) -> (Vec<FleetSession>, Vec<String>) {
    let sessions: Vec<FleetSession> = (0..n).map(|_| fleet.create_session().unwrap()).collect();
    let names = sessions.iter().map(|s| s.server().to_owned()).collect();
    (sessions, names)
}

fn state_of(fleet: &Fleet, name: &str) -> ServerState {
    let servers = fleet.servers();
    servers
        .into_iter()
        .find(|s| &*s.name == name)
        .unwrap()
        .state
}

#[test]
fn a_blocking_fleet_places_drains_and_fails_over() {
    let servers: Vec<JanusServer> = (0..3)
        .map(|_| {
            JanusServer::builder()
                .plugins(&["echotest"])
                .start()
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    // Reconnects that give up soon: a killed server's sessions end at once.
    let options = Options::new()
        .request_timeout(Duration::from_secs(2))
        .reconnect(ReconnectPolicy {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(200),
            jitter: false,
        });
    let urls = [
        servers[0].ws_url(),
        servers[1].http_url(),
        servers[2].unix_url(),
    ];
    let fleet = Fleet::connect_with(
        ["a", "b", "c"].into_iter().zip(&urls),
        Policy::RoundRobin,
        options,
        Duration::from_millis(200),
    )
    .unwrap();

    // Round robin: 2 on each, as each server says.
    let (first, names) = placed(&fleet, 6);
    assert_eq!(names, ["a", "b", "c", "a", "b", "c"]);
    for server in &servers {
        assert_eq!(admin_sessions(server).len(), 2);
    }
    assert!(fleet.servers().iter().all(|s| s.sessions == 2));

    // Janus's own drain: b answers 472, the fleet fails over and marks it.
    servers[1]
        .admin_request(json!({"janus": "accept_new_sessions", "accept": false}))
        .unwrap();
    let (_, names) = placed(&fleet, 2);
    assert!(!names.contains(&"b".to_owned()), "{names:?}");
    assert!(matches!(
        state_of(&fleet, "b"),
        ServerState::Draining(DrainCause::Refused(_))
    ));
    // Its sessions go on.
    let handle = first[1].attach(ECHOTEST).unwrap();
    assert_eq!(
        handle.message(json!({"audio": true})).unwrap().data["result"],
        "ok"
    );
    handle.detach().unwrap();

    // Drained through the fleet too: only a is left, then nobody.
    fleet.drain("c").unwrap();
    assert_eq!(placed(&fleet, 2).1, ["a", "a"]);
    fleet.drain("a").unwrap();
    let err = fleet.create_session().unwrap_err();
    assert!(matches!(err, FleetError::Unavailable(_)), "{err}");
    assert!(
        err.to_string().contains("c is draining (drained here)"),
        "{err}"
    );
    fleet.undrain("a").unwrap();
    fleet.undrain("c").unwrap();

    // a killed: its sessions end with the transport, new ones go to c.
    servers[0].kill();
    for session in first.iter().filter(|s| s.server() == "a") {
        let deadline = Instant::now() + Duration::from_secs(5);
        let end = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match session.events().recv_timeout(left) {
                Ok(SessionEvent::Ended(reason)) => break reason,
                Ok(_) => continue,
                Err(e) => panic!("no end of a's session: {e:?}"),
            }
        };
        assert_eq!(end, EndReason::TransportLost);
    }
    let until = Instant::now() + Duration::from_secs(3);
    while !state_of(&fleet, "a").is_down() {
        assert!(Instant::now() < until, "a is not down");
        sleep(Duration::from_millis(20));
    }
    assert_eq!(placed(&fleet, 2).1, ["c", "c"]);

    // b accepting again: its health check's probe brings it back.
    servers[1]
        .admin_request(json!({"janus": "accept_new_sessions", "accept": true}))
        .unwrap();
    let until = Instant::now() + Duration::from_secs(3);
    while state_of(&fleet, "b") != ServerState::Up {
        assert!(Instant::now() < until, "b is not back");
        sleep(Duration::from_millis(20));
    }
    let (_, mut names) = placed(&fleet, 2);
    names.sort();
    assert_eq!(names, ["b", "c"]);

    fleet.close();
    assert!(matches!(fleet.create_session(), Err(FleetError::Closed)));
}
