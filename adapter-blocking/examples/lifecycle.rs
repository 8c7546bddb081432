//! A whole session lifecycle against a running Janus:
//! connect, create, attach echotest, message, detach, destroy.
//!
//! ```sh
//! cargo run -p janus-blocking --example lifecycle -- ws://127.0.0.1:8188
//! cargo run -p janus-blocking --example lifecycle -- http://127.0.0.1:8088/janus
//! ```

use janus_blocking::janus_core::serde_json::json;
use janus_blocking::{Client, Error};

fn main() -> Result<(), Error> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "ws://127.0.0.1:8188".to_owned());

    let client = Client::connect(&url)?;
    if let Some(info) = client.server_info() {
        println!(
            "connected to {url}: Janus {}, session timeout {:?} s",
            info.version_string.as_deref().unwrap_or("?"),
            info.session_timeout
        );
    }

    let session = client.create_session()?;
    println!("created session {}", session.id());
    // Kept alive by this client; a hold keeps it alive even with keepalive off.
    let hold = session.hold()?;
    let lifetime = session.lifetime()?;
    println!(
        "keepalive {}, {} hold(s), expires at {:?}",
        lifetime.keepalive, lifetime.holds, lifetime.expires_at
    );
    drop(hold);

    let handle = session.attach("janus.plugin.echotest")?;
    println!("attached handle {} to {}", handle.id(), handle.plugin());

    let reply = handle.message(json!({"audio": true}))?;
    println!(
        "message answered ({}): {}",
        if reply.asynchronous {
            "event after ack"
        } else {
            "synchronous"
        },
        reply.data
    );

    handle.detach()?;
    println!("detached");

    session.destroy()?;
    println!("destroyed");

    client.close();
    Ok(())
}
