//! The simulation soak: N seeded lifecycles with faults against the
//! simulated Janus, every invariant checked after every step.
//!
//! ```sh
//! cargo run --release -p janus-sim --bin soak                 # 100,000 lifecycles
//! cargo run --release -p janus-sim --bin soak -- --runs 5000 --first 1000000
//! cargo run --release -p janus-sim --bin soak -- --seed 4242  # replay one, with a trace
//! cargo run --release -p janus-sim --bin soak -- --calm       # a perfect network
//! ```
//!
//! `JANUS_SIM_SEED=<seed>` is the same as `--seed`. The exit status is 1 if
//! any seed failed; each failing seed is printed with what broke.

use janus_sim::soak;
use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("usage: soak [--runs N] [--first SEED] [--seed SEED] [--calm] [--trace]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut runs = 100_000u64;
    let mut first = 0u64;
    let mut one: Option<u64> = std::env::var("JANUS_SIM_SEED")
        .ok()
        .and_then(|s| s.parse().ok());
    let mut faults = true;
    let mut trace = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = || args.next().and_then(|v| v.parse::<u64>().ok());
        match a.as_str() {
            "--runs" => match num() {
                Some(n) => runs = n,
                None => return usage(),
            },
            "--first" => match num() {
                Some(n) => first = n,
                None => return usage(),
            },
            "--seed" => match num() {
                Some(n) => one = Some(n),
                None => return usage(),
            },
            "--calm" => faults = false,
            "--trace" => trace = true,
            _ => return usage(),
        }
    }
    if let Some(seed) = one {
        let (result, lines) = soak::replay(seed, faults);
        if trace || result.is_err() {
            for l in &lines {
                println!("{l}");
            }
        }
        return match result {
            Ok(st) => {
                println!(
                    "seed {seed}: ok ({} ops, {} engine steps, {} faults, {:?} simulated)",
                    st.ops, st.steps, st.faults, st.simulated
                );
                ExitCode::SUCCESS
            }
            Err(v) => {
                println!("seed {seed}: FAILED: {v}");
                ExitCode::FAILURE
            }
        };
    }
    println!(
        "soak: {runs} lifecycles from seed {first}, {}",
        if faults {
            "with faults"
        } else {
            "on a perfect network"
        }
    );
    let step = (runs / 20).max(1);
    let sum = soak::run_many(first, runs, faults, |s| {
        if s.runs % step == 0 {
            println!(
                "  {:>7} lifecycles, {} failed, {:.2} M engine steps/s",
                s.runs,
                s.failures.len(),
                s.steps_per_sec() / 1e6
            );
        }
    });
    for (seed, v) in &sum.failures {
        println!("FAILED seed {seed}: {v}");
        println!("  replay: cargo run --release -p janus-sim --bin soak -- --seed {seed}");
    }
    println!(
        "{} lifecycles, {} failed; {} ops, {} engine steps, {} messages, {} faults; \
         {:.0} days simulated in {:.1} s: {:.0} lifecycles/s, {:.2} M engine steps/s",
        sum.runs,
        sum.failures.len(),
        sum.ops,
        sum.steps,
        sum.messages,
        sum.faults,
        sum.simulated.as_secs_f64() / 86_400.0,
        sum.wall.as_secs_f64(),
        sum.runs as f64 / sum.wall.as_secs_f64().max(1e-9),
        sum.steps_per_sec() / 1e6
    );
    if sum.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
