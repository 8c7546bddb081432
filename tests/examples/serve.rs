//! Starts a private Janus on loopback (as the tests do) and prints its
//! URLs, until interrupted: something to point the examples at.
//!
//! ```sh
//! cargo run -p janus-tests --example serve
//! ```

use janus_tests::rig::JanusServer;
use std::time::Duration;

fn main() {
    let server = JanusServer::builder()
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    println!("WebSocket: {}", server.ws_url());
    println!("HTTP:      {}", server.http_url());
    println!(
        "admin:     {} (secret {:?})",
        server.admin_http_url(),
        server.admin_secret()
    );
    println!("Ctrl-C to stop");
    while server.is_running() {
        std::thread::sleep(Duration::from_millis(500));
    }
    eprintln!("janus exited:\n{}", server.log());
}
