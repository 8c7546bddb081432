//! VideoRoom, blocking: a room is created, Alice joins it as a publisher, Bob joins and Alice sees him (a typed `Joining` event), the participants are listed, Bob leaves, the room is destroyed.
//!
//! ```sh
//! cargo run -p janus-blocking --example videoroom -- ws://127.0.0.1:8188
//! ```
//!
//! (`cargo run -p janus-tests --example serve -- --plugins videoroom` starts a private Janus with
//! the plugin loaded.)

use janus_blocking::{Client, Error};

fn main() -> Result<(), Error> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "ws://127.0.0.1:8188".to_owned());
    let janus = Client::connect(&url)?;
    let session = janus.create_session()?;
    use janus_blocking::janus_core::plugins::videoroom::{self, Event, VideoRoom};
    let alice = session.attach_as::<VideoRoom>()?;
    let bob = session.attach_as::<VideoRoom>()?;
    let room = alice
        .send(
            &videoroom::Create::new()
                .description("example")
                .notify_joining(true),
        )?
        .room;
    println!("created room {room}");
    let me = alice.send(&videoroom::JoinPublisher::new(room.clone()).display("alice"))?;
    println!("alice joined as {}", me.id);
    let them = bob.send(&videoroom::JoinPublisher::new(room.clone()).display("bob"))?;
    let events = alice.typed_events::<VideoRoom>()?;
    while let Some(event) = events.recv() {
        if let janus_blocking::TypedEvent::Plugin {
            event: Event::Joining(j),
            ..
        } = event
        {
            println!("alice saw {:?} join", j.joining.display);
            break;
        }
    }
    let listed = alice.send(&videoroom::ListParticipants::new(room.clone()))?;
    println!("{} participants", listed.participants.len());
    bob.send(&videoroom::Leave::default())?;
    alice.send(&videoroom::Destroy::new(room.clone()))?;
    println!("room {room} destroyed (bob was {})", them.id);
    session.destroy()?;
    janus.close();
    Ok(())
}
