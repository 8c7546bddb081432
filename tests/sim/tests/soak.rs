//! The soak's CI share: a few thousand seeded lifecycles, with faults and
//! on a perfect network, every invariant checked after every step. The long
//! run (100,000 lifecycles) is the `soak` binary; see TESTING.md.
//!
//! `JANUS_SIM_SOAK=N` runs N lifecycles of each kind instead.

use janus_sim::soak;

fn runs(default: u64) -> u64 {
    std::env::var("JANUS_SIM_SOAK")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn report(sum: &soak::Summary) -> String {
    let mut s = format!(
        "{} lifecycles, {} failed, {} engine steps, {} faults",
        sum.runs,
        sum.failures.len(),
        sum.steps,
        sum.faults
    );
    for (seed, v) in &sum.failures {
        s.push_str(&format!(
            "\n  seed {seed}: {v}\n  replay: cargo run --release -p janus-sim --bin soak -- --seed {seed}"
        ));
    }
    s
}

#[test]
fn seeded_lifecycles_with_faults() {
    // Seeds far from the binary's default range, so CI adds coverage.
    let sum = soak::run_many(10_000_000, runs(3_000), true, |_| {});
    assert!(sum.failures.is_empty(), "{}", report(&sum));
    assert!(
        sum.faults > sum.runs,
        "faults were injected: {}",
        report(&sum)
    );
    println!("{}", report(&sum));
}

#[test]
fn seeded_lifecycles_on_a_perfect_network() {
    let sum = soak::run_many(20_000_000, runs(400), false, |_| {});
    assert!(sum.failures.is_empty(), "{}", report(&sum));
    assert_eq!(sum.faults, 0);
    println!("{}", report(&sum));
}

#[test]
fn a_seed_replays_exactly() {
    for seed in [7, 4242] {
        let (a, trace_a) = soak::replay(seed, true);
        let (b, trace_b) = soak::replay(seed, true);
        assert_eq!(a, b);
        assert_eq!(trace_a, trace_b);
        assert!(trace_a.len() > 10);
        assert_eq!(
            a.map(|s| s.steps),
            soak::run_seed(seed, true).map(|s| s.steps)
        );
    }
}
