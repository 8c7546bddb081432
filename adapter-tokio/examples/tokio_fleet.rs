//! A fleet of Janus servers on tokio: one connection to each, sessions
//! placed round robin (failing over past servers that are down or
//! draining), the state of each server, and a drain.
//!
//! It starts no server: give it the URLs of running ones (any transport,
//! mixed), each optionally named `name=URL` (else `s1`, `s2`, ...). For
//! three private servers, run `cargo run -p janus-tests --example serve`
//! in three terminals and pass the URLs each prints:
//!
//! ```sh
//! cargo run -p janus-tokio --example tokio_fleet -- \
//!     a=ws://127.0.0.1:8188 b=http://127.0.0.1:8088/janus c=unix:///tmp/janus-rig-x/janus.sock
//! ```

use std::time::Duration;

use janus_async::{Fleet, FleetError, Policy};
use janus_tokio::Tokio;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        eprintln!("usage: tokio_fleet [name=]URL [[name=]URL ...]");
        std::process::exit(2);
    }
    let mut builder = Fleet::<Tokio>::builder()
        .policy(Policy::RoundRobin)
        .ping_interval(Duration::from_secs(2));
    for (n, arg) in args.iter().enumerate() {
        let (name, url) = match arg.split_once('=') {
            Some((name, url)) if !name.contains(':') => (name.to_owned(), url),
            _ => (format!("s{}", n + 1), arg.as_str()),
        };
        builder = builder.server(&name, url);
    }
    // A server that cannot be reached is down, not an error.
    let fleet = builder.connect().await?;
    print_servers(&fleet).await;

    // Two sessions per server, round robin; each knows where it is.
    let mut sessions = Vec::new();
    for _ in 0..2 * args.len() {
        match fleet.create_session().await {
            Ok(session) => {
                let handle = session.attach("janus.plugin.echotest").await?;
                println!(
                    "session {} on {} (EchoTest handle {})",
                    session.id(),
                    session.server(),
                    handle.id()
                );
                sessions.push((session, handle));
            }
            Err(e) => println!("no session: {e}"),
        }
    }
    print_servers(&fleet).await;

    // Drain the first server: new sessions go elsewhere, its sessions stay.
    let first = fleet.servers().await[0].name.to_string();
    fleet.drain(&first)?;
    println!("drained {first}");
    let extra = match fleet.create_session().await {
        Ok(session) => {
            println!("a new session went to {}", session.server());
            Some(session)
        }
        Err(FleetError::Unavailable(why)) => {
            println!("{why}");
            None
        }
        Err(e) => return Err(e.into()),
    };
    print_servers(&fleet).await;
    drop(extra); // destroyed on its server

    for (session, handle) in sessions {
        handle.detach().await?;
        session.destroy().await?;
    }
    fleet.close().await;
    Ok(())
}

async fn print_servers(fleet: &Fleet<Tokio>) {
    println!("{:<8} {:>8}  {:<40} state", "server", "sessions", "url");
    for server in fleet.servers().await {
        println!(
            "{:<8} {:>8}  {:<40} {}",
            server.name, server.sessions, server.url, server.state
        );
    }
}
