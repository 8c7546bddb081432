//! The "lifecycle" workload (create, attach EchoTest, message and wait for
//! its event, detach, destroy) against one private real Janus, through
//!
//! * **raw**: a hand-written tungstenite loop with no abstraction (the
//!   floor): blocking socket, `json!` requests, replies matched by
//!   transaction; at 16 sessions, 16 separate raw connections on 16 threads;
//! * each adapter (tokio, smol, blocking), at 1 and 16 concurrent
//!   sessions, the 16 sharing one connection, over WebSocket, the Unix
//!   socket (`SOCK_SEQPACKET`), RabbitMQ (through a private broker; the
//!   async adapters only), and HTTP with
//!   `JANUS_BENCH_TRANSPORTS=ws,unix,amqp,http`.
//!
//! Prints lifecycles/s, the ratio to the floor at the same concurrency,
//! and the client's CPU time per lifecycle (this process's user + system
//! time; Janus runs in its own process). Each configuration runs several
//! interleaved rounds and the median round is reported.
//!
//! ```sh
//! cargo bench -p janus-tests --bench lifecycle            # 7 rounds of 1 s
//! JANUS_BENCH_SECS=5 cargo bench -p janus-tests --bench lifecycle
//! ```

use futures_util::future::join_all;
use janus_async::janus_core::serde_json::{json, Value};
use janus_async::{Client, Runtime};
use janus_tests::rabbitmq::RabbitMq;
use janus_tests::rig::JanusServer;
use janus_tests::support::cpu_time;
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tungstenite::client::IntoClientRequest;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

const ECHOTEST: &str = "janus.plugin.echotest";
/// The most lifecycles of one HTTP round, each on a fresh server: Janus
/// holds a destroyed session's long poll for up to 30 s and serves at
/// most 1,020 HTTP connections.
const HTTP_LIFECYCLES: u64 = 400;
/// Rounds per configuration (interleaved), unless JANUS_BENCH_ROUNDS says.
const ROUNDS: usize = 7;

#[derive(Clone, Copy, Debug)]
struct Sample {
    per_second: f64,
    cpu_per_lifecycle: Duration,
}

/// Runs `work` (which returns how many lifecycles it completed) and
/// measures it.
fn measure(work: impl FnOnce() -> u64) -> Sample {
    let (cpu, wall) = (cpu_time(), Instant::now());
    let done = work();
    let (cpu, wall) = (cpu_time() - cpu, wall.elapsed());
    Sample {
        per_second: done as f64 / wall.as_secs_f64(),
        cpu_per_lifecycle: cpu / done.max(1) as u32,
    }
}

// ----- the floor: raw tungstenite --------------------------------------------

struct Raw {
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    next: u64,
}

impl Raw {
    fn connect(url: &str) -> Self {
        let mut request = url.into_client_request().unwrap();
        request
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", "janus-protocol".parse().unwrap());
        let (ws, _) = tungstenite::connect(request).unwrap();
        if let MaybeTlsStream::Plain(tcp) = ws.get_ref() {
            tcp.set_nodelay(true).unwrap();
        }
        Raw { ws, next: 0 }
    }

    /// Sends `request` with a fresh transaction and returns the first
    /// reply with that transaction that is not an `ack`.
    fn call(&mut self, mut request: Value) -> Value {
        self.next += 1;
        let transaction = format!("raw{}", self.next);
        request["transaction"] = Value::from(transaction.as_str());
        self.ws.send(Message::text(request.to_string())).unwrap();
        loop {
            let Message::Text(text) = self.ws.read().unwrap() else {
                continue;
            };
            let reply: Value = serde_json::from_str(&text).unwrap();
            if reply["transaction"] == transaction.as_str() && reply["janus"] != "ack" {
                assert_ne!(reply["janus"], "error", "{reply}");
                return reply;
            }
        }
    }

    fn lifecycle(&mut self) {
        let session = self.call(json!({"janus": "create"}))["data"]["id"].clone();
        let handle = self
            .call(json!({"janus": "attach", "session_id": session, "plugin": ECHOTEST}))["data"]
            ["id"]
            .clone();
        let event = self.call(json!({"janus": "message", "session_id": session,
            "handle_id": handle, "body": {"audio": true}}));
        assert_eq!(event["plugindata"]["data"]["result"], "ok", "{event}");
        self.call(json!({"janus": "detach", "session_id": session, "handle_id": handle}));
        self.call(json!({"janus": "destroy", "session_id": session}));
    }
}

fn raw(url: &str, sessions: usize, for_: Duration) -> Sample {
    let mut raws: Vec<Raw> = (0..sessions).map(|_| Raw::connect(url)).collect();
    measure(|| {
        let until = Instant::now() + for_;
        std::thread::scope(|s| {
            let workers: Vec<_> = raws
                .iter_mut()
                .map(|raw| {
                    s.spawn(move || {
                        let mut done = 0;
                        while Instant::now() < until {
                            raw.lifecycle();
                            done += 1;
                        }
                        done
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).sum()
        })
    })
}

// ----- the adapters ------------------------------------------------------------

async fn lifecycle<R: Runtime>(client: &Client<R>) {
    let session = client.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    let reply = handle.message(json!({"audio": true})).await.unwrap();
    assert_eq!(reply.data["result"], "ok");
    handle.detach().await.unwrap();
    session.destroy().await.unwrap();
}

/// How long a round runs, and at most how many lifecycles it starts.
#[derive(Clone, Copy)]
struct Budget {
    for_: Duration,
    most: u64,
}

impl Budget {
    /// Whether another lifecycle may start (and counts it).
    fn another(&self, until: Instant, started: &AtomicU64) -> bool {
        Instant::now() < until && started.fetch_add(1, Ordering::Relaxed) < self.most
    }
}

async fn adapter<R: Runtime>(client: &Client<R>, sessions: usize, budget: Budget) -> u64 {
    let until = Instant::now() + budget.for_;
    let started = AtomicU64::new(0);
    let counts = join_all((0..sessions).map(|_| async {
        let mut done = 0;
        while budget.another(until, &started) {
            lifecycle(client).await;
            done += 1;
        }
        done
    }))
    .await;
    counts.into_iter().sum()
}

fn blocking(client: &janus_blocking::Client, sessions: usize, budget: Budget) -> u64 {
    let until = Instant::now() + budget.for_;
    let started = AtomicU64::new(0);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..sessions)
            .map(|_| {
                s.spawn(|| {
                    let mut done = 0;
                    while budget.another(until, &started) {
                        let session = client.create_session().unwrap();
                        let handle = session.attach(ECHOTEST).unwrap();
                        handle.message(json!({"audio": true})).unwrap();
                        handle.detach().unwrap();
                        session.destroy().unwrap();
                        done += 1;
                    }
                    done
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    })
}

fn median(mut samples: Vec<Sample>) -> Sample {
    samples.sort_by(|a, b| a.per_second.total_cmp(&b.per_second));
    samples[samples.len() / 2]
}

fn main() {
    let secs: f64 = std::env::var("JANUS_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let rounds_wanted: usize = std::env::var("JANUS_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(ROUNDS);
    let for_ = Duration::from_secs_f64(secs);
    // JANUS_BENCH_TRANSPORTS=ws,unix,amqp (the default; `http` adds HTTP):
    // the transports the adapters run over (`unix`: the Unix socket,
    // SOCK_SEQPACKET; `amqp`: RabbitMQ); the floor is always the raw
    // WebSocket loop.
    let wanted = std::env::var("JANUS_BENCH_TRANSPORTS").unwrap_or_else(|_| "ws,unix,amqp".into());
    let broker = wanted
        .contains("amqp")
        .then(|| RabbitMq::start().unwrap_or_else(|e| panic!("{e}")));
    let mut builder = JanusServer::builder().plugins(&["echotest"]);
    if let Some(broker) = &broker {
        builder = builder.rabbitmq(broker.amqp_port(), "bench");
    }
    let server = builder.start().unwrap_or_else(|e| panic!("{e}"));
    let url = server.ws_url();
    // HTTP gets a fresh server for each of its rounds: Janus 1.1.2 holds
    // the long poll of a destroyed session for up to 30 s, and its HTTP
    // server stops reading requests at 1,020 connections, a count the
    // bench's rate reaches within seconds (real sessions live far longer).
    let transports: Vec<(&str, String)> = wanted
        .split(',')
        .map(|t| match t.trim() {
            "ws" => ("WebSocket", server.ws_url()),
            "unix" => ("Unix", server.unix_url()),
            "amqp" => ("RabbitMQ", server.amqp_url().unwrap()),
            "http" => ("HTTP", String::new()),
            other => panic!("JANUS_BENCH_TRANSPORTS: unknown transport {other:?}"),
        })
        .collect();
    let fresh_http = || {
        let server = JanusServer::builder()
            .plugins(&["echotest"])
            .start()
            .unwrap_or_else(|e| panic!("{e}"));
        let url = server.http_url();
        (server, url)
    };

    // JANUS_BENCH_TOKIO=current: a current-thread runtime instead of the
    // default multi-thread one (two workers).
    let tokio_rt = match std::env::var("JANUS_BENCH_TOKIO").as_deref() {
        Ok("current") => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap(),
        _ => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap(),
    };
    let adapters = ["janus-tokio", "janus-smol", "janus-blocking"];
    let mut names = vec!["raw tungstenite".to_string()];
    let connect = |transport: &str, url: &str| {
        let tokio_client = tokio_rt
            .block_on(janus_tokio::Client::connect(url))
            .unwrap();
        let smol_client = smol::block_on(janus_smol::Client::connect(url)).unwrap();
        // The blocking client has no RabbitMQ transport.
        let blocking_client =
            (transport != "RabbitMQ").then(|| janus_blocking::Client::connect(url).unwrap());
        (tokio_client, smol_client, blocking_client)
    };
    let mut clients = Vec::new();
    for (transport, url) in &transports {
        clients.push((*transport != "HTTP").then(|| connect(transport, url)));
        names.extend(adapters.iter().map(|a| format!("{a} {transport}")));
    }
    // JANUS_BENCH_ONLY=tokio (or smol, blocking, raw, Unix, ...) runs the
    // matching clients only, for profiling; JANUS_BENCH_SESSIONS=1 one
    // concurrency only.
    let only = std::env::var("JANUS_BENCH_ONLY").ok();
    let runs = |i: usize| only.as_deref().is_none_or(|o| names[i].contains(o));
    let concurrency: Vec<usize> = match std::env::var("JANUS_BENCH_SESSIONS") {
        Ok(n) => vec![n.parse().expect("JANUS_BENCH_SESSIONS: a number")],
        Err(_) => vec![1, 16],
    };
    let mut results = Vec::new();
    for sessions in concurrency {
        // Warm up every path once.
        raw(&url, sessions, Duration::from_millis(200));
        let mut rounds: Vec<Vec<Sample>> = vec![Vec::new(); names.len()];
        for _ in 0..rounds_wanted {
            // The floor always runs: everything is a ratio to it.
            rounds[0].push(raw(&url, sessions, for_));
            for (t, kept) in clients.iter().enumerate() {
                for column in 0..3 {
                    let row = 1 + 3 * t + column;
                    if !runs(row) {
                        continue;
                    }
                    let fresh = kept.is_none().then(|| {
                        let (server, url) = fresh_http();
                        (server, connect("HTTP", &url))
                    });
                    // Over HTTP at most HTTP_LIFECYCLES per round (see
                    // `fresh_http`); elsewhere as many as the time allows.
                    let budget = Budget {
                        for_,
                        most: if fresh.is_some() {
                            HTTP_LIFECYCLES
                        } else {
                            u64::MAX
                        },
                    };
                    let (tokio_client, smol_client, blocking_client) = match (kept, &fresh) {
                        (Some(kept), _) => kept,
                        (None, Some((_, fresh))) => fresh,
                        (None, None) => unreachable!(),
                    };
                    match column {
                        // The workload runs as a task of the runtime, as in
                        // an application (with `block_on` alone every reply
                        // would cross from the runtime's threads to the
                        // blocked one).
                        0 => {
                            let client = tokio_client.clone();
                            rounds[row].push(measure(|| {
                                tokio_rt
                                    .block_on(tokio_rt.spawn(async move {
                                        adapter(&client, sessions, budget).await
                                    }))
                                    .unwrap()
                            }));
                        }
                        // Joined with a plain `block_on` (no reactor on
                        // this thread), so the executor's own thread drives
                        // the I/O.
                        1 => {
                            let client = smol_client.clone();
                            rounds[row].push(measure(|| {
                                smol::future::block_on(smol::spawn(async move {
                                    adapter(&client, sessions, budget).await
                                }))
                            }));
                        }
                        _ => {
                            if let Some(client) = blocking_client {
                                rounds[row].push(measure(|| blocking(client, sessions, budget)));
                            }
                        }
                    }
                }
            }
        }
        let medians: Vec<Option<Sample>> = rounds
            .into_iter()
            .map(|r| (!r.is_empty()).then(|| median(r)))
            .collect();
        results.push((sessions, medians));
    }

    println!(
        "lifecycle = create, attach echotest, message (ack, then event), detach, destroy; \
         floor: raw WebSocket; median of {rounds_wanted} rounds of {secs} s"
    );
    println!(
        "{:<26} {:>8} {:>14} {:>10} {:>16} {:>10}",
        "client", "sessions", "lifecycles/s", "vs floor", "CPU/lifecycle", "vs floor"
    );
    for (sessions, medians) in &results {
        let floor = medians[0].expect("the floor always runs");
        for (name, sample) in names.iter().zip(medians) {
            let Some(sample) = sample else { continue };
            println!(
                "{:<26} {:>8} {:>14.0} {:>9.2}x {:>13.0} us {:>9.2}x",
                name,
                sessions,
                sample.per_second,
                sample.per_second / floor.per_second,
                sample.cpu_per_lifecycle.as_secs_f64() * 1e6,
                sample.cpu_per_lifecycle.as_secs_f64() / floor.cpu_per_lifecycle.as_secs_f64()
            );
        }
    }
}
