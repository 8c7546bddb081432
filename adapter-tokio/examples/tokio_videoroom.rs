//! VideoRoom, on tokio: a room is created, Alice joins it as a publisher, Bob joins and Alice sees him (a typed `Joining` event), the participants are listed, Bob leaves, the room is destroyed.
//!
//! ```sh
//! cargo run -p janus-tokio --example tokio_videoroom -- ws://127.0.0.1:8188
//! ```
//!
//! (`cargo run -p janus-tests --example serve -- --plugins videoroom` starts a private Janus with
//! the plugin loaded.)

use futures_util::StreamExt;
use janus_tokio::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "ws://127.0.0.1:8188".to_owned());
    let janus = Client::connect(&url).await?;
    let session = janus.create_session().await?;
    use janus_tokio::janus_core::plugins::videoroom::{self, Event, VideoRoom};
    let alice = session.attach_as::<VideoRoom>().await?;
    let bob = session.attach_as::<VideoRoom>().await?;
    let room = alice
        .send(
            &videoroom::Create::new()
                .description("example")
                .notify_joining(true),
        )
        .await?
        .room;
    println!("created room {room}");
    let me = alice
        .send(&videoroom::JoinPublisher::new(room.clone()).display("alice"))
        .await?;
    println!("alice joined as {}", me.id);
    let them = bob
        .send(&videoroom::JoinPublisher::new(room.clone()).display("bob"))
        .await?;
    let mut events = alice.typed_events::<VideoRoom>()?;
    while let Some(event) = events.next().await {
        if let janus_tokio::TypedEvent::Plugin {
            event: Event::Joining(j),
            ..
        } = event
        {
            println!("alice saw {:?} join", j.joining.display);
            break;
        }
    }
    let listed = alice
        .send(&videoroom::ListParticipants::new(room.clone()))
        .await?;
    println!("{} participants", listed.participants.len());
    bob.send(&videoroom::Leave::default()).await?;
    alice.send(&videoroom::Destroy::new(room.clone())).await?;
    println!("room {room} destroyed (bob was {})", them.id);
    session.destroy().await?;
    janus.close().await;
    Ok(())
}
