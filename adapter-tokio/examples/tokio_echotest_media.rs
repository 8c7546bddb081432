//! EchoTest with real media, on tokio: Opus from an Ogg file and VP8 from
//! an IVF file go to Janus's EchoTest at their own pace, and what comes back
//! is recorded into the same containers.
//!
//! ```sh
//! cargo run -p janus-tokio --features media --example tokio_echotest_media -- \
//!     ws://janus.example:8188 in.ogg in.ivf -o echo.ogg echo.ivf
//! ```
//!
//! The UDP socket is bound to `JANUS_MEDIA_IP` if set, else to the address
//! of the interface with the default route; Janus must reach it and ignores
//! loopback (`cargo run -p janus-tests --example serve -- --media` runs Janus
//! and this on one machine).

use std::path::PathBuf;
use std::time::Duration;

use futures_util::StreamExt;
use janus_tokio::janus_core::plugins::echotest;
use janus_tokio::janus_core::serde_json::json;
use janus_tokio::janus_media::{Event, MediaEvent, MediaKind, MediaOptions};
use janus_tokio::{Client, HandleEvent, MediaHandle};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = args
        .first()
        .ok_or("usage: tokio_echotest_media URL IN... -o OUT...")?;
    let files = &args[1..];
    let split = files.iter().position(|a| a == "-o").unwrap_or(files.len());
    let inputs: Vec<PathBuf> = files[..split].iter().map(PathBuf::from).collect();
    let outputs: Vec<PathBuf> = files[split..].iter().skip(1).map(PathBuf::from).collect();

    let janus = Client::connect(url).await?;
    let session = janus.create_session().await?;
    let handle = session.attach(echotest::PLUGIN).await?;
    let media = MediaHandle::new(handle, MediaOptions::from_env()?).await?;
    println!("media socket on {}", media.local_addr());
    let plan = media.open_files(&inputs, &outputs)?;
    let tracks = plan.tracks();
    let body =
        json!({"audio": plan.plays(MediaKind::Audio), "video": plan.plays(MediaKind::Video)});
    media.use_files(plan);
    media.negotiate(body, &tracks).await?;

    // Until every file has played (or the PeerConnection ends).
    let mut events = media.events();
    let mut ended = 0;
    while ended < inputs.len() {
        let event = tokio::time::timeout(Duration::from_secs(15), events.next()).await?;
        match event.ok_or("the events ended")? {
            Event::Handle(HandleEvent::WebrtcUp) => println!("janus: webrtcup"),
            Event::Media(MediaEvent::Connected) => println!("connected: playing"),
            Event::Media(MediaEvent::PlaybackEnded { kind, sent }) => {
                println!("sent {sent} {kind:?} frames");
                ended += 1;
            }
            Event::Media(MediaEvent::Ended(reason)) => return Err(reason.to_string().into()),
            _ => {}
        }
    }
    // The last frames' way back, then a clean close.
    tokio::time::sleep(Duration::from_millis(500)).await;
    media.close();
    for output in &outputs {
        println!("recorded {}", output.display());
    }
    Ok(())
}
