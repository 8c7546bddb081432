//! Seeded simulated lifecycles: each seed picks a scenario (transport, server
//! timeouts, fault rates) and a sequence of operations, runs them in a
//! [`World`] and checks every invariant. A failing seed replays exactly.

use crate::check::Violation;
use crate::ops::Op;
use crate::rng::Rng;
use crate::world::{Scenario, World, WorldStats};
use std::time::{Duration, Instant};

/// The operations of one seeded lifecycle (no forged frames, no early
/// close: the run ends with [`World::finish`]; no fault operations when
/// `faults` is false).
pub fn ops_for(seed: u64, faults: bool) -> Vec<Op> {
    let mut rng = Rng::new(seed);
    let len = rng.range(200, 1_200) as usize;
    let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
    let mut ops = Op::sequence(&bytes, false, false);
    if !faults {
        ops.retain(|op| !matches!(op, Op::Fault(_)));
    }
    ops
}

/// The world of one seeded lifecycle, before it runs.
pub fn world_for(seed: u64, faults: bool) -> World {
    World::new(Scenario::from_seed(seed, faults), Instant::now())
}

/// Runs one seeded lifecycle.
pub fn run_seed(seed: u64, faults: bool) -> Result<WorldStats, Violation> {
    let ops = ops_for(seed, faults);
    let mut w = world_for(seed, faults);
    w.run(&ops)?;
    Ok(w.stats)
}

/// Runs one seed again with a trace; returns the outcome and the trace.
pub fn replay(seed: u64, faults: bool) -> (Result<WorldStats, Violation>, Vec<String>) {
    let ops = ops_for(seed, faults);
    let mut w = world_for(seed, faults).with_trace();
    let r = w.run(&ops).map(|()| w.stats);
    (r, w.trace.take().unwrap_or_default())
}

/// The outcome of many lifecycles.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Lifecycles run.
    pub runs: u64,
    /// The failing seeds and what broke.
    pub failures: Vec<(u64, Violation)>,
    /// Engine steps (commands, inputs, outputs polled).
    pub steps: u64,
    /// Operations run.
    pub ops: u64,
    /// Faults injected.
    pub faults: u64,
    /// Messages that crossed the simulated network.
    pub messages: u64,
    /// Virtual time simulated.
    pub simulated: Duration,
    /// Wall-clock time taken.
    pub wall: Duration,
}

impl Summary {
    /// Engine steps per wall-clock second.
    pub fn steps_per_sec(&self) -> f64 {
        self.steps as f64 / self.wall.as_secs_f64().max(1e-9)
    }
}

/// Runs seeds `first..first + runs`; `progress` is called after each with
/// the summary so far.
pub fn run_many(
    first: u64,
    runs: u64,
    faults: bool,
    mut progress: impl FnMut(&Summary),
) -> Summary {
    let started = Instant::now();
    let mut sum = Summary::default();
    for seed in first..first + runs {
        match run_seed(seed, faults) {
            Ok(st) => {
                sum.steps += st.steps;
                sum.ops += st.ops;
                sum.faults += st.faults;
                sum.messages += st.messages;
                sum.simulated += st.simulated;
            }
            Err(v) => sum.failures.push((seed, v)),
        }
        sum.runs += 1;
        sum.wall = started.elapsed();
        progress(&sum);
    }
    sum
}
