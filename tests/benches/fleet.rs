//! Session lifecycles (create, attach EchoTest, detach, destroy) through a
//! `janus_async::Fleet` of three private real Janus servers, beside one
//! `Client` to one of them (the baseline), in the same process, on tokio
//! (multi-thread, 2 workers), at 1 and 16 concurrent lifecycles.
//!
//! Prints lifecycles/s, the fleet's ratio to the baseline, and the
//! client's CPU time per lifecycle (this process; the Janus servers run in
//! their own), as the median of interleaved rounds.
//!
//! ```sh
//! cargo bench -p janus-tests --bench fleet               # 5 rounds of 1 s
//! JANUS_BENCH_SECS=3 JANUS_BENCH_ROUNDS=7 cargo bench -p janus-tests --bench fleet
//! ```

use std::future::Future;
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use janus_async::{Client, Fleet, Policy, Session};
use janus_tests::rig::JanusServer;
use janus_tests::support::{cpu_time, ECHOTEST};
use janus_tokio::Tokio;

#[derive(Clone, Copy, Debug)]
struct Sample {
    per_second: f64,
    cpu_per_lifecycle: Duration,
}

fn median(mut samples: Vec<Sample>) -> Sample {
    samples.sort_by(|a, b| a.per_second.total_cmp(&b.per_second));
    samples[samples.len() / 2]
}

async fn lifecycle(session: Session<Tokio>) {
    let handle = session.attach(ECHOTEST).await.unwrap();
    handle.detach().await.unwrap();
    session.destroy().await.unwrap();
}

/// `sessions` loops of lifecycles for `for_`, each session from `create`.
async fn run<F, Fut>(sessions: usize, for_: Duration, create: F) -> u64
where
    F: Fn() -> Fut,
    Fut: Future<Output = Session<Tokio>>,
{
    let until = Instant::now() + for_;
    let counts = join_all((0..sessions).map(|_| async {
        let mut done = 0;
        while Instant::now() < until {
            lifecycle(create().await).await;
            done += 1;
        }
        done
    }))
    .await;
    counts.into_iter().sum()
}

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let secs: f64 = env("JANUS_BENCH_SECS", 1.0);
    let rounds: usize = env("JANUS_BENCH_ROUNDS", 5);
    let for_ = Duration::from_secs_f64(secs);
    let servers: Vec<JanusServer> = (0..3)
        .map(|_| {
            JanusServer::builder()
                .plugins(&["echotest"])
                .start()
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let single = rt
        .block_on(Client::<Tokio>::connect(&servers[0].ws_url()))
        .unwrap();
    let names = ["a", "b", "c"];
    let urls: Vec<String> = servers.iter().map(JanusServer::ws_url).collect();
    let fleet = rt
        .block_on(Fleet::<Tokio>::connect(
            names.iter().copied().zip(urls.iter().map(String::as_str)),
            Policy::RoundRobin,
        ))
        .unwrap();

    let measure = |work: &dyn Fn() -> u64| {
        let (cpu, wall) = (cpu_time(), Instant::now());
        let done = work();
        let (cpu, wall) = (cpu_time() - cpu, wall.elapsed());
        Sample {
            per_second: done as f64 / wall.as_secs_f64(),
            cpu_per_lifecycle: cpu / done.max(1) as u32,
        }
    };
    // The workload runs as a task of the runtime, as in an application.
    let on_single = |sessions: usize, for_: Duration| {
        let client = single.clone();
        measure(&|| {
            let client = client.clone();
            rt.block_on(rt.spawn(async move {
                run(sessions, for_, || async {
                    client.create_session().await.unwrap()
                })
                .await
            }))
            .unwrap()
        })
    };
    let on_fleet = |sessions: usize, for_: Duration| {
        let fleet = fleet.clone();
        measure(&|| {
            let fleet = fleet.clone();
            rt.block_on(rt.spawn(async move {
                run(sessions, for_, || async {
                    fleet.create_session().await.unwrap().into_session()
                })
                .await
            }))
            .unwrap()
        })
    };

    println!(
        "lifecycle = create, attach echotest, detach, destroy; tokio (2 workers); \
         median of {rounds} interleaved rounds of {secs} s"
    );
    println!(
        "{:<28} {:>8} {:>14} {:>12} {:>16}",
        "client", "sessions", "lifecycles/s", "vs single", "CPU/lifecycle"
    );
    for sessions in [1, 16] {
        // Warm up both paths.
        on_single(sessions, Duration::from_millis(200));
        on_fleet(sessions, Duration::from_millis(200));
        let (mut base, mut spread) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            base.push(on_single(sessions, for_));
            spread.push(on_fleet(sessions, for_));
        }
        let (base, spread) = (median(base), median(spread));
        for (name, sample) in [
            ("one Client, one server", base),
            ("Fleet of 3, round robin", spread),
        ] {
            println!(
                "{:<28} {:>8} {:>14.0} {:>11.2}x {:>13.0} us",
                name,
                sessions,
                sample.per_second,
                sample.per_second / base.per_second,
                sample.cpu_per_lifecycle.as_secs_f64() * 1e6,
            );
        }
    }
    rt.block_on(fleet.close());
    rt.block_on(single.close());
}
