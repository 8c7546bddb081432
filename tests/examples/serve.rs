//! Starts a private Janus on loopback (as the tests do) and prints its
//! URLs, until interrupted: something to point the examples at.
//!
//! ```sh
//! cargo run -p janus-tests --example serve
//! cargo run -p janus-tests --example serve -- --token-auth   # stored tokens on
//! cargo run -p janus-tests --example serve -- --dgram        # Unix socket SOCK_DGRAM
//! cargo run -p janus-tests --example serve -- --plugins videoroom,audiobridge,streaming,textroom
//! ```

use janus_tests::rig::{JanusServer, UnixSocketType};
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let token_auth = args.iter().any(|a| a == "--token-auth");
    let plugins: Option<Vec<&str>> = args
        .iter()
        .position(|a| a == "--plugins")
        .and_then(|i| args.get(i + 1))
        .map(|list| list.split(',').collect());
    let mut builder = JanusServer::builder().token_auth(token_auth);
    if args.iter().any(|a| a == "--dgram") {
        builder = builder.unix_socket_type(UnixSocketType::Datagram);
    }
    if let Some(plugins) = &plugins {
        builder = builder.plugins(plugins);
    }
    let server = builder.start().unwrap_or_else(|e| panic!("{e}"));
    println!("WebSocket: {}", server.ws_url());
    println!("HTTP:      {}", server.http_url());
    println!("Unix:      {}", server.unix_url());
    println!(
        "admin:     {} (secret {:?})",
        server.admin_http_url(),
        server.admin_secret()
    );
    if token_auth {
        println!("stored-token authentication on: add tokens through the admin API");
    }
    println!("Ctrl-C to stop");
    while server.is_running() {
        std::thread::sleep(Duration::from_millis(500));
    }
    eprintln!("janus exited:\n{}", server.log());
}
