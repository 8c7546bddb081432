//! Real WebRTC media on a handle (the `media` feature): a
//! [`janus_media::PeerConnection`] run by two background threads, one for
//! its UDP socket and timer, one following the handle's events.

use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use janus_core::serde_json::Value;
use janus_core::{HandleEvent, Jsep, PluginReply};
use janus_media::{
    Codec, Event, FilePlan, MediaError, MediaKind, MediaOptions, PeerConnection, SharedPeer, Tracks,
};

use crate::wake::{doorbell, Bell, Ringer};
use std::sync::mpsc::RecvTimeoutError;

use crate::{Error, Handle};

/// A handle with a PeerConnection: signal through [`handle`](Self::handle),
/// send and receive media and data channel messages here, and read the
/// handle's and the PeerConnection's events from one queue.
///
/// Dropping it closes the PeerConnection, stops its threads and drops the
/// handle (which detaches it).
pub struct MediaHandle {
    shared: Arc<Shared>,
    handle: Arc<Handle>,
    threads: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for MediaHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaHandle")
            .field("handle", &self.handle.id())
            .field("local", &self.local_addr())
            .finish_non_exhaustive()
    }
}

struct Shared {
    peer: SharedPeer,
    socket: UdpSocket,
    ringer: Ringer,
    /// Notified when `peer` queues an event.
    arrived: Arc<(Mutex<()>, Condvar)>,
    stop: AtomicBool,
}

impl Shared {
    /// Runs one change on the PeerConnection and drains it; the socket
    /// thread is woken for the new deadline.
    fn with<T>(&self, f: impl FnOnce(&mut PeerConnection, Instant) -> T) -> T {
        let (out, _) = self
            .peer
            .with(Instant::now(), f, &mut |d, to| self.send(d, to));
        self.ringer.ring();
        out
    }

    fn send(&self, data: &[u8], to: SocketAddr) {
        if let Err(e) = self.socket.send_to(data, to) {
            tracing::debug!("sending a datagram to {to} failed: {e}");
        }
    }
}

impl MediaHandle {
    /// Binds a UDP socket as `options` say and starts the PeerConnection's
    /// threads; negotiate next ([`negotiate`](Self::negotiate),
    /// [`answer`](Self::answer), or the lower-level methods).
    pub fn new(handle: Handle, options: MediaOptions) -> Result<MediaHandle, Error> {
        let socket = UdpSocket::bind(options.bind_addr().map_err(media)?)?;
        let local = socket.local_addr()?;
        socket.set_nonblocking(true)?;
        let now = Instant::now();
        let mut pc = PeerConnection::new(local, now).map_err(media)?;
        pc.set_connect_timeout(now, options.connect_timeout);
        let (ringer, bell) = doorbell()?;
        let arrived = Arc::new((Mutex::new(()), Condvar::new()));
        let notify = arrived.clone();
        let shared = Arc::new(Shared {
            peer: SharedPeer::new(pc, move || {
                let _held = notify.0.lock().unwrap_or_else(|e| e.into_inner());
                notify.1.notify_all();
            }),
            socket,
            ringer,
            arrived,
            stop: AtomicBool::new(false),
        });
        let handle = Arc::new(handle);
        let io = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("janus-media-io".into())
                .spawn(move || run_socket(&shared, bell))?
        };
        let follow = {
            let (shared, handle) = (shared.clone(), handle.clone());
            std::thread::Builder::new()
                .name("janus-media-signal".into())
                .spawn(move || follow_handle(&shared, &handle))?
        };
        Ok(MediaHandle {
            shared,
            handle,
            threads: vec![io, follow],
        })
    }

    /// The handle, for plugin messages.
    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    /// The local UDP address (the PeerConnection's one candidate).
    pub fn local_addr(&self) -> SocketAddr {
        self.shared.peer.read(PeerConnection::local_addr)
    }

    /// Offers `tracks` with the plugin message `body` and takes the answer
    /// from the reply: the usual way to publish or to echo.
    pub fn negotiate(&self, body: Value, tracks: &Tracks) -> Result<PluginReply, Error> {
        let offer = self.offer(tracks)?;
        let reply = match self.handle.message_with_jsep(body, offer) {
            Ok(reply) => reply,
            Err(e) => {
                // No answer will come: a new offer may be made.
                self.shared.with(|pc, _| pc.rollback());
                return Err(e);
            }
        };
        let Some(answer) = &reply.jsep else {
            self.shared.with(|pc, _| pc.rollback());
            return Err(media(MediaError::Negotiation(format!(
                "the plugin answered the offer without a JSEP answer: {}",
                reply.data
            ))));
        };
        self.accept_answer(answer)?;
        Ok(reply)
    }

    /// Answers Janus's offer `offer` with the plugin message `body` (for
    /// example VideoRoom `start`, Streaming `start`, TextRoom `ack`).
    pub fn answer(&self, offer: &Jsep, body: Value) -> Result<PluginReply, Error> {
        let answer = self.accept_offer(offer)?;
        self.handle.message_with_jsep(body, answer)
    }

    /// An SDP offer for `tracks`, to send with a plugin message.
    pub fn offer(&self, tracks: &Tracks) -> Result<Jsep, Error> {
        self.shared
            .with(|pc, _| pc.create_offer(tracks))
            .map_err(media)
    }

    /// Takes Janus's answer to [`offer`](Self::offer).
    pub fn accept_answer(&self, answer: &Jsep) -> Result<(), Error> {
        self.shared
            .with(|pc, _| pc.accept_answer(answer))
            .map_err(media)
    }

    /// Answers an offer Janus sent; send the answer with a plugin message.
    pub fn accept_offer(&self, offer: &Jsep) -> Result<Jsep, Error> {
        self.shared
            .with(|pc, _| pc.accept_offer(offer))
            .map_err(media)
    }

    /// Plays and records files (`.ogg` Opus audio, `.ivf` VP8 video); the
    /// playback starts once the PeerConnection connects. Negotiate tracks
    /// that send what is played and receive what is recorded:
    /// [`FilePlan::tracks`] gives them.
    pub fn use_files(&self, plan: FilePlan) {
        self.shared.with(|pc, now| plan.start(pc, now));
    }

    /// Opens `inputs` and `outputs` (see [`use_files`](Self::use_files)).
    pub fn open_files<I: AsRef<Path>, O: AsRef<Path>>(
        &self,
        inputs: &[I],
        outputs: &[O],
    ) -> Result<FilePlan, Error> {
        FilePlan::open(inputs, outputs).map_err(media)
    }

    /// Sends one encoded frame on the track of `kind`, `at` its time from
    /// the start of the stream.
    pub fn write_frame(
        &self,
        kind: MediaKind,
        codec: Codec,
        at: Duration,
        data: &[u8],
    ) -> Result<(), Error> {
        self.shared
            .with(|pc, now| pc.write_frame(now, kind, codec, at, data))
            .map_err(media)
    }

    /// Opens a data channel labelled `label` (Janus's plugins take any
    /// label). After answering an offer with a data channel (TextRoom) it
    /// opens at once: `None`; otherwise the offer that adds it is returned,
    /// to send in a plugin message and answer with
    /// [`accept_answer`](Self::accept_answer).
    pub fn open_channel(&self, label: &str) -> Result<Option<Jsep>, Error> {
        self.shared
            .with(|pc, _| pc.open_channel(label))
            .map_err(media)
    }

    /// Sends a text message on the data channel labelled `label`.
    pub fn send_text(&self, label: &str, text: &str) -> Result<(), Error> {
        self.shared
            .with(|pc, _| pc.send_data(label, false, text.as_bytes()))
            .map_err(media)
    }

    /// Sends a binary message on the data channel labelled `label`.
    pub fn send_binary(&self, label: &str, data: &[u8]) -> Result<(), Error> {
        self.shared
            .with(|pc, _| pc.send_data(label, true, data))
            .map_err(media)
    }

    /// Waits at most `timeout` for the next event.
    pub fn recv_timeout(&self, timeout: Duration) -> Result<Event, RecvTimeoutError> {
        let deadline = Instant::now() + timeout;
        let (lock, arrived) = &*self.shared.arrived;
        // Held from the check to the wait: the notifier takes it too, so no
        // event slips in between.
        let mut guard = lock.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(e) = self.shared.peer.pop_event() {
                return Ok(e);
            }
            if self.shared.peer.is_over() {
                return Err(RecvTimeoutError::Disconnected);
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(RecvTimeoutError::Timeout);
            }
            guard = arrived
                .wait_timeout(guard, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Waits at most `timeout` for an event that `pick` accepts, and gives
    /// what it made of it; the events before it are passed to `pick` and
    /// dropped.
    pub fn wait_for<T>(
        &self,
        timeout: Duration,
        mut pick: impl FnMut(&Event) -> Option<T>,
    ) -> Result<T, RecvTimeoutError> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let event = self.recv_timeout(left)?;
            if let Some(t) = pick(&event) {
                return Ok(t);
            }
        }
    }

    /// Closes the PeerConnection (the handle stays: send `hangup` through
    /// it, or drop this to detach).
    pub fn close(&self) {
        self.shared.with(|pc, _| pc.close());
    }
}

impl Drop for MediaHandle {
    fn drop(&mut self) {
        self.close();
        self.shared.stop.store(true, Ordering::Relaxed);
        self.shared.ringer.ring();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

fn media(e: MediaError) -> Error {
    Error::Media(Box::new(e))
}

/// The socket thread: datagrams in, timers, until the handle is dropped.
fn run_socket(shared: &Shared, mut bell: Bell) {
    let mut buf = vec![0u8; 2048];
    let send = &mut |d: &[u8], to| shared.send(d, to);
    let mut deadline = shared.peer.timeout(Instant::now(), send);
    while !shared.stop.load(Ordering::Relaxed) {
        // Deadlines closer than a millisecond (str0m's pacer makes many)
        // are taken together a millisecond on, as str0m's own loop does.
        let wait = match deadline.saturating_duration_since(Instant::now()) {
            Duration::ZERO => Duration::ZERO,
            wait => wait.max(Duration::from_millis(1)),
        };
        let readable = bell.wait_fd(&shared.socket, false, Some(wait));
        while readable && !shared.stop.load(Ordering::Relaxed) {
            match shared.socket.recv_from(&mut buf) {
                Ok((n, from)) => {
                    shared.peer.datagram(Instant::now(), from, &buf[..n], send);
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                // ICMP errors (port unreachable) surface here; ICE copes.
                Err(e) => {
                    tracing::debug!("the media socket: {e}");
                    break;
                }
            }
        }
        deadline = shared.peer.timeout(Instant::now(), send);
    }
}

/// The signalling thread: the handle's events go to the queue and to the
/// PeerConnection (trickle, hangup, the end).
fn follow_handle(shared: &Shared, handle: &Handle) {
    while !shared.stop.load(Ordering::Relaxed) {
        match handle.events().recv_timeout(Duration::from_millis(100)) {
            Ok(event) => {
                let last = matches!(event, HandleEvent::Ended(_));
                shared
                    .peer
                    .handle_event(event, &mut |d, to| shared.send(d, to));
                shared.ringer.ring();
                if last {
                    return;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}
