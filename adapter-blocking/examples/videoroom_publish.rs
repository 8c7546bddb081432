//! VideoRoom publisher with real media, blocking: joins a room, publishes
//! an Opus file and a VP8 file at their pace, then leaves.
//!
//! ```sh
//! cargo run -p janus-blocking --features media --example videoroom_publish -- \
//!     ws://janus.example:8188 1234 in.ogg in.ivf
//! ```
//!
//! Run `videoroom_subscribe` beside it to receive the feed. The media
//! address is chosen as in `echotest_media`.

use std::time::Duration;

use janus_blocking::janus_core::plugins::videoroom;
use janus_blocking::janus_core::serde_json::json;
use janus_blocking::janus_media::{Event, MediaEvent, MediaOptions};
use janus_blocking::media::MediaHandle;
use janus_blocking::Client;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: videoroom_publish URL ROOM IN...";
    let url = args.first().ok_or(usage)?;
    let room: u64 = args.get(1).ok_or(usage)?.parse()?;
    let inputs = &args[2..];
    let options = MediaOptions::from_env()?;

    let janus = Client::connect(url)?;
    let session = janus.create_session()?;
    let media = MediaHandle::new(session.attach(videoroom::PLUGIN)?, options)?;
    let joined = media.handle().message(
        json!({"request": "join", "ptype": "publisher", "room": room, "display": "janus-rs"}),
    )?;
    println!("joined room {room} as feed {}", joined.data["id"]);
    let plan = media.open_files(inputs, &[] as &[&str])?;
    let tracks = plan.tracks();
    media.use_files(plan);
    media.negotiate(json!({"request": "publish"}), &tracks)?;

    let mut ended = 0;
    while ended < inputs.len() {
        match media.recv_timeout(Duration::from_secs(60))? {
            Event::Media(MediaEvent::Connected) => println!("publishing"),
            Event::Media(MediaEvent::KeyframeRequest { .. }) => println!("a subscriber joined"),
            Event::Media(MediaEvent::PlaybackEnded { kind, sent }) => {
                println!("sent {sent} {kind:?} frames");
                ended += 1;
            }
            Event::Media(MediaEvent::Ended(reason)) => return Err(reason.to_string().into()),
            _ => {}
        }
    }
    media.handle().message(json!({"request": "leave"}))?;
    Ok(())
}
