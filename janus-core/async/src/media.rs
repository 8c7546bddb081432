//! Real WebRTC media on a handle (the `media` feature): a
//! [`janus_media::PeerConnection`] driven by one task of the runtime that
//! owns its UDP socket, its timer and the handle's events.

use std::future::Future;
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::path::Path;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures_core::Stream;
use futures_util::task::AtomicWaker;
use janus_client::Error;
use janus_core::serde_json::Value;
use janus_core::{HandleEvent, Jsep, PluginReply};
use janus_media::{
    Codec, Event, FilePlan, MediaError, MediaKind, MediaOptions, PeerConnection, SharedPeer, Tracks,
};

use crate::client::{Events, Handle};
use crate::runtime::{BoxFuture, BoxUdp, Runtime};

/// A handle with a PeerConnection: signal through [`handle`](Self::handle),
/// send and receive media and data channel messages here, and read the
/// handle's and the PeerConnection's events from one stream
/// ([`events`](Self::events)).
///
/// Dropping it closes the PeerConnection, stops its task and drops the
/// handle (which detaches it).
pub struct MediaHandle<R: Runtime> {
    shared: Arc<Shared>,
    handle: Handle<R>,
}

impl<R: Runtime> std::fmt::Debug for MediaHandle<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaHandle")
            .field("handle", &self.handle.id())
            .field("local", &self.local_addr())
            .finish_non_exhaustive()
    }
}

struct Shared {
    peer: SharedPeer,
    socket: BoxUdp,
    /// The driver task, woken when a call changed the deadline.
    task: AtomicWaker,
    /// The event reader, woken when an event is queued.
    reader: Arc<AtomicWaker>,
    stop: AtomicBool,
}

impl Shared {
    fn with<T>(&self, f: impl FnOnce(&mut PeerConnection, Instant) -> T) -> T {
        let (out, _) = self
            .peer
            .with(Instant::now(), f, &mut |d, to| self.send(d, to));
        self.task.wake();
        out
    }

    fn send(&self, data: &[u8], to: SocketAddr) {
        if let Err(e) = self.socket.try_send_to(data, to) {
            tracing::debug!("sending a datagram to {to} failed: {e}");
        }
    }
}

impl<R: Runtime> MediaHandle<R> {
    /// Binds a UDP socket as `options` say and starts the PeerConnection's
    /// task; negotiate next ([`negotiate`](Self::negotiate),
    /// [`answer`](Self::answer), or the lower-level methods).
    pub async fn new(handle: Handle<R>, options: MediaOptions) -> Result<Self, Error> {
        let socket = R::bind_udp(options.bind_addr().map_err(media)?).await?;
        let local = socket.local_addr()?;
        let now = Instant::now();
        let mut pc = PeerConnection::new(local, now).map_err(media)?;
        pc.set_connect_timeout(now, options.connect_timeout);
        let reader = Arc::new(AtomicWaker::new());
        let notify = reader.clone();
        let shared = Arc::new(Shared {
            peer: SharedPeer::new(pc, move || notify.wake()),
            socket,
            task: AtomicWaker::new(),
            reader,
            stop: AtomicBool::new(false),
        });
        R::spawn(Box::pin(Driver::<R> {
            shared: shared.clone(),
            events: Some(handle.events()),
            sleep: None,
            deadline: now,
            buf: vec![0; 2048],
            runtime: PhantomData,
        }));
        Ok(MediaHandle { shared, handle })
    }

    /// The handle, for plugin messages.
    pub fn handle(&self) -> &Handle<R> {
        &self.handle
    }

    /// The local UDP address (the PeerConnection's one candidate).
    pub fn local_addr(&self) -> SocketAddr {
        self.shared.peer.read(PeerConnection::local_addr)
    }

    /// Offers `tracks` with the plugin message `body` and takes the answer
    /// from the reply: the usual way to publish or to echo.
    pub async fn negotiate(&self, body: Value, tracks: &Tracks) -> Result<PluginReply, Error> {
        let offer = self.offer(tracks)?;
        let reply = match self.handle.message_with_jsep(body, offer).await {
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
    pub async fn answer(&self, offer: &Jsep, body: Value) -> Result<PluginReply, Error> {
        let answer = self.accept_offer(offer)?;
        self.handle.message_with_jsep(body, answer).await
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

    /// Opens `inputs` to play and `outputs` to record (`.ogg` Opus audio,
    /// `.ivf` VP8 video); give the plan to [`use_files`](Self::use_files).
    pub fn open_files<I: AsRef<Path>, O: AsRef<Path>>(
        &self,
        inputs: &[I],
        outputs: &[O],
    ) -> Result<FilePlan, Error> {
        FilePlan::open(inputs, outputs).map_err(media)
    }

    /// Plays and records the plan's files; playback starts once the
    /// PeerConnection connects. Negotiate [`FilePlan::tracks`] (or more).
    pub fn use_files(&self, plan: FilePlan) {
        self.shared.with(|pc, now| plan.start(pc, now));
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

    /// The handle's and the PeerConnection's events, in order. Read them
    /// from one task at a time.
    pub fn events(&self) -> MediaEvents {
        MediaEvents {
            shared: self.shared.clone(),
        }
    }

    /// Waits at most `timeout` for an event that `pick` accepts and gives
    /// what it made of it; the events before it are passed to `pick` and
    /// dropped. `None` on timeout.
    pub async fn wait_for<T>(
        &self,
        timeout: Duration,
        mut pick: impl FnMut(&Event) -> Option<T>,
    ) -> Option<T> {
        let mut events = self.events();
        let mut sleep = R::sleep_until(Instant::now() + timeout);
        std::future::poll_fn(|cx| loop {
            match Pin::new(&mut events).poll_next(cx) {
                Poll::Ready(Some(e)) => {
                    if let Some(t) = pick(&e) {
                        return Poll::Ready(Some(t));
                    }
                }
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return sleep.as_mut().poll(cx).map(|()| None),
            }
        })
        .await
    }

    /// Closes the PeerConnection (the handle stays: send `hangup` through
    /// it, or drop this to detach).
    pub fn close(&self) {
        self.shared.with(|pc, _| pc.close());
    }
}

impl<R: Runtime> Drop for MediaHandle<R> {
    fn drop(&mut self) {
        self.close();
        self.shared.stop.store(true, Ordering::Relaxed);
        self.shared.task.wake();
        self.shared.reader.wake();
    }
}

/// The events of a [`MediaHandle`]: a `Stream` of [`Event`]s.
pub struct MediaEvents {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for MediaEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaEvents").finish_non_exhaustive()
    }
}

impl Stream for MediaEvents {
    type Item = Event;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        if let Some(e) = self.shared.peer.pop_event() {
            return Poll::Ready(Some(e));
        }
        self.shared.reader.register(cx.waker());
        match self.shared.peer.pop_event() {
            Some(e) => Poll::Ready(Some(e)),
            // The handle ended, or the MediaHandle was dropped: over.
            None if self.shared.peer.is_over() || self.shared.stop.load(Ordering::Relaxed) => {
                Poll::Ready(None)
            }
            None => Poll::Pending,
        }
    }
}

fn media(e: MediaError) -> Error {
    Error::Media(Box::new(e))
}

/// The task: datagrams, the deadline and the handle's events in; it stops
/// when the `MediaHandle` is dropped.
struct Driver<R> {
    shared: Arc<Shared>,
    events: Option<Events<HandleEvent>>,
    sleep: Option<BoxFuture<()>>,
    deadline: Instant,
    buf: Vec<u8>,
    runtime: PhantomData<fn() -> R>,
}

impl<R: Runtime> Future for Driver<R> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let shared = this.shared.clone();
        let send = &mut |d: &[u8], to| shared.send(d, to);
        shared.task.register(cx.waker());
        loop {
            if shared.stop.load(Ordering::Relaxed) {
                return Poll::Ready(());
            }
            while let Some(events) = &mut this.events {
                match Pin::new(events).poll_next(cx) {
                    Poll::Ready(Some(event)) => {
                        let last = matches!(event, HandleEvent::Ended(_));
                        shared.peer.handle_event(event, send);
                        if last {
                            this.events = None;
                        }
                    }
                    Poll::Ready(None) => this.events = None,
                    Poll::Pending => break,
                }
            }
            // A bounded batch, so a flood cannot starve the timer.
            let mut drained = false;
            for _ in 0..256 {
                match shared.socket.poll_recv_from(cx, &mut this.buf) {
                    Poll::Ready(Ok((n, from))) => {
                        shared
                            .peer
                            .datagram(Instant::now(), from, &this.buf[..n], send);
                    }
                    // ICMP errors (port unreachable) surface here; ICE copes.
                    Poll::Ready(Err(e)) => tracing::debug!("the media socket: {e}"),
                    Poll::Pending => {
                        drained = true;
                        break;
                    }
                }
            }
            if !drained {
                // More is waiting: come back after the timer's turn.
                cx.waker().wake_by_ref();
            }
            let deadline = shared.peer.timeout(Instant::now(), send);
            if this.sleep.is_none() || deadline != this.deadline {
                this.deadline = deadline;
                this.sleep = Some(R::sleep_until(deadline));
            }
            match this.sleep.as_mut().map(|s| s.as_mut().poll(cx)) {
                Some(Poll::Ready(())) => this.sleep = None,
                _ => return Poll::Pending,
            }
        }
    }
}
