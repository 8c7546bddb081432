//! VideoRoom with real media, on tokio: one task publishes an Opus file and
//! a VP8 file into a room while another subscribes to that feed and counts
//! the frames it receives.
//!
//! ```sh
//! cargo run -p janus-tokio --features media --example tokio_videoroom_media -- \
//!     ws://janus.example:8188 1234 in.ogg in.ivf
//! ```
//!
//! The media address is chosen as in `tokio_echotest_media`.

use std::time::Duration;

use futures_util::StreamExt;
use janus_tokio::janus_core::plugins::videoroom;
use janus_tokio::janus_core::serde_json::json;
use janus_tokio::janus_media::{Event, MediaEvent, MediaKind, MediaOptions};
use janus_tokio::{Client, HandleEvent, MediaHandle};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: tokio_videoroom_media URL ROOM IN...";
    let url = args.first().ok_or(usage)?;
    let room: u64 = args.get(1).ok_or(usage)?.parse()?;
    let inputs = &args[2..];

    let janus = Client::connect(url).await?;
    let session = janus.create_session().await?;
    let options = MediaOptions::from_env()?;

    // The publisher.
    let publisher =
        MediaHandle::new(session.attach(videoroom::PLUGIN).await?, options.clone()).await?;
    let joined = publisher
        .handle()
        .message(json!({"request": "join", "ptype": "publisher", "room": room, "display": "tokio"}))
        .await?;
    let feed = joined.data["id"].clone();
    let plan = publisher.open_files(inputs, &[] as &[&str])?;
    let tracks = plan.tracks();
    publisher
        .negotiate(json!({"request": "publish"}), &tracks)
        .await?;
    // The feed exists for subscribers once Janus has the PeerConnection up.
    let mut events = publisher.events();
    loop {
        match events.next().await.ok_or("the events ended")? {
            Event::Handle(HandleEvent::WebrtcUp) => break,
            Event::Media(MediaEvent::Ended(reason)) => return Err(reason.to_string().into()),
            _ => {}
        }
    }
    println!("publishing feed {feed} in room {room}");

    // The subscriber: it answers Janus's offer, then counts frames.
    let subscriber = MediaHandle::new(session.attach(videoroom::PLUGIN).await?, options).await?;
    let attached = subscriber
        .handle()
        .message(json!({"request": "join", "ptype": "subscriber", "room": room, "streams": [{"feed": feed}]}))
        .await?;
    let offer = attached
        .jsep
        .ok_or("the subscription came without an offer")?;
    subscriber
        .answer(&offer, json!({"request": "start"}))
        .await?;
    let counting = tokio::spawn(async move {
        let (mut audio, mut video) = (0u64, 0u64);
        let mut events = subscriber.events();
        while let Ok(Some(event)) =
            tokio::time::timeout(Duration::from_secs(2), events.next()).await
        {
            if let Event::Media(MediaEvent::Frame(frame)) = event {
                match frame.kind {
                    MediaKind::Audio => audio += 1,
                    MediaKind::Video => video += 1,
                }
            }
        }
        (audio, video)
    });

    // Play the files now that someone watches.
    publisher.use_files(plan);
    let mut ended = 0;
    while ended < inputs.len() {
        match events.next().await.ok_or("the events ended")? {
            Event::Media(MediaEvent::PlaybackEnded { kind, sent }) => {
                println!("published {sent} {kind:?} frames");
                ended += 1;
            }
            Event::Media(MediaEvent::Ended(reason)) => return Err(reason.to_string().into()),
            _ => {}
        }
    }
    let (audio, video) = counting.await?;
    println!("the subscriber received {audio} audio and {video} video frames");
    publisher
        .handle()
        .message(json!({"request": "leave"}))
        .await?;
    Ok(())
}
