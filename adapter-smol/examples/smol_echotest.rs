//! EchoTest against a running Janus, on smol (or async-std): connect, create a session,
//! attach the EchoTest plugin, send it an SDP offer and get its answer,
//! watch the handle's events, hang up, detach, destroy, close.
//!
//! ```sh
//! cargo run -p janus-smol --example smol_echotest -- ws://127.0.0.1:8188
//! cargo run -p janus-smol --example smol_echotest -- http://127.0.0.1:8088/janus
//! ```

use futures_util::StreamExt;
use janus_smol::janus_core::serde_json::json;
use janus_smol::janus_core::Jsep;
use janus_smol::{Client, Error, HandleEvent};
use std::time::Duration;

/// An SDP offer with one Opus m-line (ICE never completes: no media flows).
const OFFER: &str = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n\
m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:someufrag\r\n\
a=ice-pwd:somepasswordsomepassword\r\na=ice-options:trickle\r\n\
a=fingerprint:sha-256 19:E2:1C:3B:4B:9F:81:E6:B8:5C:F4:A5:A8:D8:73:04:BB:05:2F:70:9F:04:A9:0E:05:E9:26:33:E8:70:88:A2\r\n\
a=setup:actpass\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n";

fn main() -> Result<(), Error> {
    // The client works from any executor: `async_std::task::block_on` too.
    smol::block_on(run())
}

async fn run() -> Result<(), Error> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "ws://127.0.0.1:8188".to_owned());

    let janus = Client::connect(&url).await?;
    if let Some(info) = janus.server_info() {
        println!(
            "connected to {url}: Janus {}, session timeout {:?} s",
            info.version_string.as_deref().unwrap_or("?"),
            info.session_timeout
        );
    }
    let session = janus.create_session().await?;
    println!("created session {}", session.id());
    // Kept alive by this client; a hold keeps it alive even with keepalive off.
    let hold = session.hold().await?;
    let lifetime = session.lifetime().await?;
    println!(
        "keepalive {}, {} hold(s), expires at {:?}",
        lifetime.keepalive, lifetime.holds, lifetime.expires_at
    );
    drop(hold);
    let handle = session.attach("janus.plugin.echotest").await?;
    println!("attached handle {} to {}", handle.id(), handle.plugin());

    // The handle's events, printed as they come, until it ends.
    let mut events = handle.events();
    let watcher = smol::spawn(async move {
        while let Some(event) = events.next().await {
            println!("handle event: {event:?}");
            if let HandleEvent::Ended(_) = event {
                break;
            }
        }
    });

    let reply = handle
        .message_with_jsep(json!({"audio": true, "video": false}), Jsep::offer(OFFER))
        .await?;
    println!("echotest answered: {}", reply.data);
    if let Some(answer) = &reply.jsep {
        println!(
            "with an SDP {:?} of {} bytes",
            answer.kind,
            answer.sdp.len()
        );
    }

    handle.hangup().await?;
    println!("hung up");
    smol::Timer::after(Duration::from_millis(200)).await;
    handle.detach().await?;
    println!("detached");
    watcher.await;
    session.destroy().await?;
    println!("destroyed session {}", session.id());
    janus.close().await;
    println!("closed");
    Ok(())
}
