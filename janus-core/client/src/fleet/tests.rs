//! Placement and health bookkeeping, without I/O.

use std::time::{Duration, Instant};

use super::*;

fn fleet(policy: Policy, n: usize) -> (FleetCore, Instant) {
    let now = Instant::now();
    let mut core = FleetCore::new(policy);
    for i in 0..n {
        let name = ["a", "b", "c", "d"][i];
        let i = core.add(name, &format!("ws://{name}:8188"), now).unwrap();
        core.alive(i, now);
    }
    (core, now)
}

fn first(core: &mut FleetCore) -> usize {
    core.placement().unwrap().order()[0]
}

#[test]
fn round_robin_takes_turns_and_skips_servers_that_take_no_session() {
    let (mut core, now) = fleet(Policy::RoundRobin, 3);
    let turns: Vec<usize> = (0..6).map(|_| first(&mut core)).collect();
    assert_eq!(turns, [0, 1, 2, 0, 1, 2]);
    core.drain(1);
    let turns: Vec<usize> = (0..4).map(|_| first(&mut core)).collect();
    assert_eq!(turns, [0, 2, 0, 2]);
    core.undrain(1);
    core.lost(0, now, "gone");
    assert_eq!(core.placement().unwrap().order(), &[1, 2]);
    assert_eq!(core.placement().unwrap().order(), &[2, 1]);
}

#[test]
fn failover_order_follows_the_choice_in_ring_order() {
    let (mut core, now) = fleet(Policy::RoundRobin, 4);
    assert_eq!(core.placement().unwrap().order(), &[0, 1, 2, 3]);
    core.refused(2, now, "472");
    assert_eq!(core.placement().unwrap().order(), &[1, 3, 0]);
    assert_eq!(core.placement().unwrap().order(), &[3, 0, 1]);
}

#[test]
fn least_sessions_fills_the_emptiest_counting_creations_in_flight() {
    let (mut core, _) = fleet(Policy::LeastSessions, 3);
    core.set_sessions(0, 2);
    core.set_sessions(1, 1);
    core.set_sessions(2, 1);
    assert_eq!(first(&mut core), 1);
    core.begin(1);
    assert_eq!(first(&mut core), 2);
    core.begin(2);
    core.finish(2, true);
    core.finish(1, false);
    // a: 2, b: 1, c: 2
    assert_eq!(core.placement().unwrap().order(), &[1, 2, 0]);
    assert_eq!(core.view(2).sessions, 2);
}

#[test]
fn a_custom_function_sees_only_servers_that_take_sessions() {
    let policy = Policy::custom(|servers: &[ServerView]| {
        servers.iter().position(|s| &*s.name == "c").or(Some(0))
    });
    let (mut core, now) = fleet(policy, 3);
    assert_eq!(first(&mut core), 2);
    core.lost(2, now, "gone");
    assert_eq!(first(&mut core), 0);
    core.set_policy(Policy::custom(|_| None));
    let err = core.placement().unwrap_err();
    assert!(matches!(err, FleetError::Declined { .. }), "{err}");
    assert!(err.to_string().contains("(a, b)"), "{err}");
    core.set_policy(Policy::custom(|servers: &[ServerView]| Some(servers.len())));
    assert!(matches!(core.placement(), Err(FleetError::Declined { .. })));
}

#[test]
fn health_from_pings_and_refusals() {
    let now = Instant::now();
    let mut core = FleetCore::new(Policy::RoundRobin);
    let a = core.add("a", "ws://a", now).unwrap();
    assert!(
        matches!(core.state(a), ServerState::Down { ref reason, .. } if reason == "not connected yet")
    );
    core.alive(a, now);
    assert_eq!(core.state(a), ServerState::Up);
    let later = now + Duration::from_secs(5);
    core.lost(a, later, "ping timed out");
    core.lost(a, later + Duration::from_secs(5), "connection refused");
    assert_eq!(
        core.state(a),
        ServerState::Down {
            reason: "connection refused".into(),
            since: later
        }
    );
    core.alive(a, later);
    core.refused(a, later, "error 472");
    assert_eq!(
        core.state(a),
        ServerState::Draining(DrainCause::Refused("error 472".into()))
    );
    // A ping does not end a refusal; a created session does.
    core.alive(a, later);
    assert!(core.state(a).is_draining());
    core.begin(a);
    core.finish(a, true);
    assert_eq!(core.state(a), ServerState::Up);
    // Down wins over draining, and draining is back once it is up.
    core.drain(a);
    core.lost(a, later, "gone");
    assert!(core.state(a).is_down());
    core.alive(a, later);
    assert_eq!(core.state(a), ServerState::Draining(DrainCause::Asked));
}

#[test]
fn no_server_says_why_for_each_and_what_to_do() {
    let (mut core, now) = fleet(Policy::RoundRobin, 3);
    core.lost(0, now, "connection refused");
    core.drain(1);
    core.refused(2, now, "Not accepting new sessions");
    let err = core.placement().unwrap_err();
    assert_eq!(
        err.to_string(),
        "no server accepts new sessions: a is down (connection refused), b is draining \
         (drained here), c is draining (Janus refuses new sessions: Not accepting new sessions); \
         undrain one, wait for one to come back, or add servers"
    );
}

#[test]
fn names_are_unique_and_unknown_names_list_the_servers() {
    let (mut core, now) = fleet(Policy::RoundRobin, 2);
    assert!(matches!(
        core.add("a", "ws://x", now),
        Err(FleetError::DuplicateName(n)) if n == "a"
    ));
    let err = core.find("z").unwrap_err();
    assert_eq!(
        err.to_string(),
        "no server named \"z\" in this fleet (its servers: a, b)"
    );
    assert_eq!(core.find("b").unwrap(), 1);
}

#[test]
fn a_placement_counts_its_first_candidate_and_failover_skips_drained_ones() {
    let (mut core, now) = fleet(Policy::LeastSessions, 3);
    let placement = core.place().unwrap();
    assert_eq!(placement.order()[0], 0);
    // The creation in flight counts: the next placement prefers another.
    assert_eq!(core.place().unwrap().order()[0], 1);
    core.set_drained("c", true).unwrap();
    assert!(!core.try_begin(2), "c was drained meanwhile");
    core.lost(1, now, "gone");
    assert!(!core.try_begin(1));
    assert!(core.try_begin(0));
    core.finish(0, true);
    assert!(core.set_drained("z", true).is_err());
}
