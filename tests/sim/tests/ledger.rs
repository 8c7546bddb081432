//! The session ledger (`janus_core::monitor`) against the simulated Janus:
//! fed with the server's event handler events and its `list_sessions`,
//! while arbitrary operations and faults run between the client and the
//! server, every session the server ever held is opened once, and closed
//! once for each time it ended.
//!
//! A `claim` that moves a session to another transport is invisible to
//! event handlers (as on the real Janus): such sessions are left out.

use janus_core::monitor::{Change, Monitor};
use janus_core::SessionId;
use janus_sim::{op_strategy, Op, Scenario, World};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn run(scenario: Scenario, ops: &[Op]) -> Result<(), TestCaseError> {
    let start = Instant::now();
    let reclaim = scenario.sim.reclaim_timeout;
    let mut world = World::new(scenario, start);
    world.janus.record_handler_events();
    let mut monitor = Monitor::new(Duration::from_secs(30));
    monitor.set_reclaim_timeout("sim", reclaim);
    let mut opened: BTreeMap<u64, u32> = BTreeMap::new();
    let mut closed: BTreeMap<u64, u32> = BTreeMap::new();
    let mut feed = |world: &mut World, monitor: &mut Monitor| {
        let now = start + world.elapsed();
        let events = world.janus.take_handler_events();
        if !events.is_empty() {
            let body = format!("[{}]", events.join(","));
            monitor.handle_events(now, body.as_bytes(), "sim").unwrap();
        }
        let sessions: Vec<SessionId> = world
            .janus
            .sessions()
            .keys()
            .map(|&s| SessionId(s))
            .collect();
        monitor.handle_poll(now, "sim", now, &sessions);
        while let Some(entry) = monitor.poll_output() {
            match entry.change {
                Change::SessionOpened { session, .. } => *opened.entry(session.0).or_default() += 1,
                Change::SessionClosed { session, .. } => *closed.entry(session.0).or_default() += 1,
                _ => {}
            }
        }
    };
    for op in ops {
        // Violations of the engine's own invariants are the other tests'
        // business: here only the ledger is checked.
        let _ = world.step(op);
        feed(&mut world, &mut monitor);
    }
    let _ = world.finish();
    feed(&mut world, &mut monitor);
    let claimed = world.janus.claimed().clone();
    for (sid, &(made, ended)) in world.janus.session_history() {
        if claimed.contains(sid) {
            continue;
        }
        prop_assert_eq!(
            opened.get(sid).copied().unwrap_or(0),
            made,
            "session {} opened",
            sid
        );
        prop_assert_eq!(
            closed.get(sid).copied().unwrap_or(0),
            ended,
            "session {} closed",
            sid
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48),
        rng_seed: match std::env::var("PROPTEST_RNG_SEED").as_deref() {
            Ok("random") => proptest::test_runner::RngSeed::Random,
            Ok(n) => proptest::test_runner::RngSeed::Fixed(n.parse().expect("a number or `random`")),
            Err(_) => proptest::test_runner::RngSeed::Fixed(0x6c65_6467_6572),
        },
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Every session the server held is opened and closed exactly once
    /// per incarnation in the ledger, whatever happens on the client side.
    #[test]
    fn every_session_is_opened_and_closed_once(
        seed in any::<u64>(),
        http in any::<bool>(),
        faults in any::<bool>(),
        ops in prop::collection::vec(op_strategy(true, true), 1..100),
    ) {
        let mut scenario = Scenario::from_seed(seed, faults);
        scenario.http = http;
        run(scenario, &ops)?;
    }
}
