//! A fleet of Janus servers from blocking code: one connection to each,
//! sessions placed by least sessions (failing over past servers that are
//! down or draining), the state of each server, and a drain.
//!
//! It starts no server: give it the URLs of running ones (ws, http or
//! unix, mixed), each optionally named `name=URL` (else `s1`, `s2`, ...),
//! e.g. the URLs `cargo run -p janus-tests --example serve` prints:
//!
//! ```sh
//! cargo run -p janus-blocking --example fleet -- a=ws://127.0.0.1:8188 b=http://127.0.0.1:8088/janus
//! ```

use janus_blocking::{Fleet, Options, Policy};
use std::time::Duration;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        eprintln!("usage: fleet [name=]URL [[name=]URL ...]");
        std::process::exit(2);
    }
    let servers: Vec<(String, String)> = args
        .iter()
        .enumerate()
        .map(|(n, arg)| match arg.split_once('=') {
            Some((name, url)) if !name.contains(':') => (name.to_owned(), url.to_owned()),
            _ => (format!("s{}", n + 1), arg.clone()),
        })
        .collect();
    let fleet = Fleet::connect_with(
        servers.iter().map(|(n, u)| (n, u)),
        Policy::LeastSessions,
        Options::new(),
        Duration::from_secs(2),
    )?;
    let show = |fleet: &Fleet| {
        for server in fleet.servers() {
            println!(
                "  {:<6} {:<3} sessions  {}",
                server.name, server.sessions, server.state
            );
        }
    };
    show(&fleet);

    let mut sessions = Vec::new();
    for _ in 0..2 * servers.len() {
        let session = fleet.create_session()?;
        println!("session {} on {}", session.id(), session.server());
        sessions.push(session);
    }
    show(&fleet);

    let first = &servers[0].0;
    fleet.drain(first)?;
    let session = fleet.create_session()?;
    println!(
        "{first} drained: the next session went to {}",
        session.server()
    );
    show(&fleet);

    drop(session);
    drop(sessions);
    fleet.close();
    Ok(())
}
