//! TextRoom chat over real data channels, on smol (or async-std): two
//! participants set up their PeerConnections (Janus offers, each answers
//! and opens a data channel), join room 1234, and one says hello to the
//! other.
//!
//! ```sh
//! cargo run -p janus-smol --features media --example smol_textroom_chat -- \
//!     ws://janus.example:8188 [ROOM]
//! ```
//!
//! The media address is chosen as in the tokio media examples
//! (`JANUS_MEDIA_IP`, else the interface with the default route).

use std::time::Duration;

use futures_util::StreamExt;
use janus_smol::janus_core::plugins::textroom::{self, DataEvent, DataRequest};
use janus_smol::janus_core::plugins::RoomId;
use janus_smol::janus_core::serde_json::{self, json};
use janus_smol::janus_media::{Event, MediaEvent, MediaOptions};
use janus_smol::{Client, MediaEvents, MediaHandle, Session};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    smol::block_on(run())
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args.next().ok_or("usage: smol_textroom_chat URL [ROOM]")?;
    let room = RoomId::from(args.next().map_or(Ok(1234), |r| r.parse::<u64>())?);
    let janus = Client::connect(&url).await?;
    let session = janus.create_session().await?;

    let (alice, mut alice_events, alice_label) = join(&session, &room, "alice").await?;
    let (_bob, mut bob_events, _) = join(&session, &room, "bob").await?;
    let hello = DataRequest::Message {
        transaction: "hello".into(),
        room: room.clone(),
        text: "hello bob".into(),
        to: None,
        tos: None,
        ack: None,
    };
    alice.send_text(&alice_label, &serde_json::to_string(&hello)?)?;
    let heard = next_data(&mut bob_events, |e| match e {
        DataEvent::Message(m) => Some(m),
        _ => None,
    })
    .await?;
    println!("bob heard {:?} from {}", heard.text, heard.from);
    let _ = next_data(&mut alice_events, |e| {
        matches!(e, DataEvent::Success(_)).then_some(())
    })
    .await;
    Ok(())
}

/// A TextRoom participant: its PeerConnection up, its channel open, joined.
async fn join(
    session: &Session,
    room: &RoomId,
    name: &str,
) -> Result<(MediaHandle, MediaEvents, String), Box<dyn std::error::Error>> {
    let media = MediaHandle::new(
        session.attach(textroom::PLUGIN).await?,
        MediaOptions::from_env()?,
    )
    .await?;
    let setup = media.handle().message(json!({"request": "setup"})).await?;
    let offer = setup.jsep.ok_or("TextRoom sent no offer")?;
    media.answer(&offer, json!({"request": "ack"})).await?;
    media.open_channel(&format!("chat-{name}"))?;
    let mut events = media.events();
    let label = loop {
        match next(&mut events).await? {
            Event::Media(MediaEvent::ChannelOpen { label }) => break label,
            Event::Media(MediaEvent::Ended(reason)) => return Err(reason.to_string().into()),
            _ => {}
        }
    };
    let request = DataRequest::Join {
        transaction: format!("join-{name}"),
        room: room.clone(),
        username: name.to_owned(),
        display: None,
        pin: None,
        token: None,
        history: None,
    };
    media.send_text(&label, &serde_json::to_string(&request)?)?;
    let joined = next_data(&mut events, |e| match e {
        DataEvent::Success(_) => Some(Ok(())),
        DataEvent::Error(e) => Some(Err(format!("{name} could not join: {e:?}"))),
        _ => None,
    })
    .await?;
    joined?;
    println!("{name} joined room {room} over data channel {label:?}");
    Ok((media, events, label))
}

/// The next event, within 10 s.
async fn next(events: &mut MediaEvents) -> Result<Event, Box<dyn std::error::Error>> {
    let timeout = async {
        smol::Timer::after(Duration::from_secs(10)).await;
        None
    };
    futures_util::future::select(Box::pin(events.next()), Box::pin(timeout))
        .await
        .factor_first()
        .0
        .ok_or_else(|| "no event within 10 s".into())
}

/// The first TextRoom message on the data channel that `pick` accepts.
async fn next_data<T>(
    events: &mut MediaEvents,
    mut pick: impl FnMut(DataEvent) -> Option<T>,
) -> Result<T, Box<dyn std::error::Error>> {
    loop {
        if let Event::Media(MediaEvent::ChannelMessage { data, .. }) = next(events).await? {
            if let Some(t) = pick(DataEvent::from_data(serde_json::from_slice(&data)?)) {
                return Ok(t);
            }
        }
    }
}
