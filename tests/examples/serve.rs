//! Starts a private Janus on loopback (as the tests do) and prints its
//! URLs, until interrupted: something to point the examples at.
//!
//! ```sh
//! cargo run -p janus-tests --example serve
//! cargo run -p janus-tests --example serve -- --token-auth   # stored tokens on
//! cargo run -p janus-tests --example serve -- --dgram        # Unix socket SOCK_DGRAM
//! cargo run -p janus-tests --example serve -- --rabbitmq     # and RabbitMQ (a private broker)
//! cargo run -p janus-tests --example serve -- --plugins videoroom,audiobridge,streaming,textroom
//! ```
//!
//! With `--media -- COMMAND ARGS...` (root: it makes a private network
//! namespace) Janus is started where it can do real media with a client on
//! the same machine (it gathers no candidate on loopback): in a namespace
//! whose veth end carries `127.0.0.2`. COMMAND runs inside it with
//! `JANUS_URL` (the WebSocket URL) and `JANUS_MEDIA_IP` (the address to
//! bind media to) set, and `{url}` in ARGS replaced by the URL; serve ends
//! with it.
//!
//! ```sh
//! cargo run -p janus-tests --example serve -- --plugins echotest --media -- \
//!     target/debug/examples/echotest_media {url} in.ogg in.ivf -o out.ogg out.ivf
//! ```

use janus_tests::netns::{set_up_network, MEDIA_INTERFACE, MEDIA_IP};
use janus_tests::rabbitmq::RabbitMq;
use janus_tests::rig::{JanusServer, UnixSocketType};
use std::process::Command;
use std::time::Duration;

const INSIDE: &str = "JANUS_SERVE_IN_NAMESPACE";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (ours, command) = match args.iter().position(|a| a == "--") {
        Some(i) => (&args[..i], &args[i + 1..]),
        None => (&args[..], &[][..]),
    };
    let token_auth = ours.iter().any(|a| a == "--token-auth");
    let media = ours.iter().any(|a| a == "--media");
    let plugins: Option<Vec<&str>> = ours
        .iter()
        .position(|a| a == "--plugins")
        .and_then(|i| ours.get(i + 1))
        .map(|list| list.split(',').collect());
    if media && std::env::var_os(INSIDE).is_none() {
        // Again, inside a new network namespace.
        let status = Command::new("unshare")
            .arg("-n")
            .args(&args)
            .env(INSIDE, "1")
            .status()
            .unwrap_or_else(|e| panic!("run unshare (util-linux): {e}"));
        std::process::exit(status.code().unwrap_or(1));
    }
    let mut builder = JanusServer::builder().token_auth(token_auth);
    if ours.iter().any(|a| a == "--dgram") {
        builder = builder.unix_socket_type(UnixSocketType::Datagram);
    }
    if let Some(plugins) = &plugins {
        builder = builder.plugins(plugins);
    }
    // The shared node: a watcher stops it when serve ends, however it ends.
    let broker = ours.iter().any(|a| a == "--rabbitmq").then(|| {
        eprintln!("starting a private RabbitMQ node (about 10 s)...");
        RabbitMq::shared()
    });
    if let Some(broker) = broker {
        builder = builder.rabbitmq(broker.amqp_port(), "serve");
    }
    if media {
        set_up_network();
        builder = builder.media_interface(MEDIA_INTERFACE, &MEDIA_IP.to_string());
    }
    let server = builder.start().unwrap_or_else(|e| panic!("{e}"));
    if media && !command.is_empty() {
        let url = server.ws_url();
        let status = Command::new(&command[0])
            .args(command[1..].iter().map(|a| a.replace("{url}", &url)))
            .env("JANUS_URL", &url)
            .env("JANUS_MEDIA_IP", MEDIA_IP.to_string())
            .status()
            .unwrap_or_else(|e| panic!("run {}: {e}", command[0]));
        std::process::exit(status.code().unwrap_or(1));
    }
    println!("WebSocket: {}", server.ws_url());
    println!("HTTP:      {}", server.http_url());
    println!("Unix:      {}", server.unix_url());
    if let Some(url) = server.amqp_url() {
        println!("RabbitMQ:  {url}");
    }
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
