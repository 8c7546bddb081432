//! The demo: starts a private Janus on loopback ports and walks a full
//! session lifecycle with the blocking adapter, over WebSocket and then
//! over HTTP, printing each step.
//!
//! ```sh
//! bash scripts/demo.sh
//! ```

use janus_blocking::janus_core::serde_json::json;
use janus_blocking::{Client, HandleEvent};
use janus_tests::rig::JanusServer;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = JanusServer::builder().start()?;
    println!("started a private Janus (pid {})", server.pid());
    for url in [server.ws_url(), server.http_url()] {
        walk(&url)?;
    }
    println!("\nall done; stopping the private Janus");
    Ok(())
}

fn walk(url: &str) -> Result<(), Box<dyn std::error::Error>> {
    println!("\n== {url}");
    let client = Client::connect(url)?;
    let info = client.info()?;
    println!(
        "connected: Janus {} (session timeout {} s, plugins: {})",
        info.version_string.as_deref().unwrap_or("?"),
        info.session_timeout.unwrap_or(0),
        info.plugins.join(", ")
    );

    let session = client.create_session()?;
    println!("created session {}", session.id());

    let echo = session.attach("janus.plugin.echotest")?;
    println!("attached echotest: handle {}", echo.id());

    let reply = echo.message(json!({"audio": true, "video": true}))?;
    println!(
        "echotest answered with {} : {}",
        if reply.asynchronous {
            "an event after its ack"
        } else {
            "a synchronous reply"
        },
        reply.data
    );

    let room = session.attach("janus.plugin.videoroom")?;
    let list = room.message(json!({"request": "list"}))?;
    println!(
        "videoroom list (synchronous): {} room(s)",
        list.data["list"].as_array().map_or(0, Vec::len)
    );
    match room.message(json!({"request": "nosuch"})) {
        Err(e) => println!("videoroom 'nosuch' failed as expected: {e}"),
        Ok(r) => println!("videoroom 'nosuch' unexpectedly succeeded: {}", r.data),
    }

    echo.hangup()?;
    println!("hung up the echotest PeerConnection");
    echo.detach()?;
    // A call returns after the events its outcome caused.
    let ended = echo.events().drain().into_iter().find_map(|n| match n {
        HandleEvent::Ended(reason) => Some(reason),
        _ => None,
    });
    if let Some(reason) = ended {
        println!("echotest handle ended: {reason}");
    }
    room.detach()?;
    println!("detached the videoroom handle");

    session.destroy()?;
    println!("destroyed session {}", session.id());
    client.close();
    println!("closed the connection");
    Ok(())
}
