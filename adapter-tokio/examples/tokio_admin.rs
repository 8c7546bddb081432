//! The Admin API on tokio: every session on a Janus server, its handles and
//! their WebRTC state, and the server's settings.
//!
//! ```sh
//! cargo run -p janus-tokio --example tokio_admin -- http://127.0.0.1:7088/admin janusoverlord
//! cargo run -p janus-tokio --example tokio_admin -- ws://127.0.0.1:7188 janusoverlord
//! ```

use janus_tokio::janus_core::admin::{GetHandleInfo, GetStatus, ListHandles, ListSessions};
use janus_tokio::{AdminClient, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:7088/admin".to_owned());
    let secret = args.next().unwrap_or_else(|| "janusoverlord".to_owned());

    let admin = AdminClient::connect(&url, secret.as_str()).await?;
    let status = admin.call(GetStatus).await?;
    println!(
        "{url}: session timeout {:?} s, log level {:?}, token auth {:?}",
        status.session_timeout, status.log_level, status.token_auth
    );
    let sessions = admin.call(ListSessions).await?;
    println!("{} sessions", sessions.len());
    for session in sessions {
        for handle in admin.call(ListHandles::new(session)).await? {
            let info = admin.call(GetHandleInfo::new(session, handle)).await?;
            let (bytes_in, bytes_out) = info.bytes();
            println!(
                "  {session}/{handle}: {} over {}, WebRTC {}, {bytes_in} B in, {bytes_out} B out",
                info.plugin.as_deref().unwrap_or("?"),
                info.session_transport.as_deref().unwrap_or("?"),
                if info.webrtc_ready() { "up" } else { "not up" },
            );
        }
    }
    admin.close().await;
    Ok(())
}
