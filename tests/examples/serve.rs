//! Starts a private Janus on loopback (as the tests do) and prints its
//! URLs, until interrupted: something to point the examples at.
//!
//! ```sh
//! cargo run -p janus-tests --example serve
//! cargo run -p janus-tests --example serve -- --token-auth   # stored tokens on
//! ```

use janus_tests::rig::JanusServer;
use std::time::Duration;

fn main() {
    let token_auth = std::env::args().any(|a| a == "--token-auth");
    let server = JanusServer::builder()
        .token_auth(token_auth)
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    println!("WebSocket: {}", server.ws_url());
    println!("HTTP:      {}", server.http_url());
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
