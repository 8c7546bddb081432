//! The driver: one future per connection that owns the client core and does
//! all the I/O, whatever the runtime.
//!
//! Each time it is polled it takes in what is ready (commands, WebSocket
//! messages, finished HTTP exchanges, a new WebSocket), hands it to the
//! [`ClientCore`] with a fresh `Instant::now()`, does what the core asks
//! (open a WebSocket, queue a frame, start an HTTP exchange), and then
//! waits on the socket, the commands, the exchanges and the core's one
//! deadline. Callers, event streams, undo and shutdown are the core's.

use std::collections::VecDeque;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures_channel::mpsc::UnboundedReceiver;
use futures_channel::oneshot;
use futures_core::FusedStream;
use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt, StreamExt};
use janus_client::{
    queue, Action, Answer, Channels, ClientCore, ClientEvent, HandleEvent, LocalWork, ReplySender,
    SessionEvent,
};
use janus_core::{ExchangeId, Input, Request, Transmit};

use crate::http::{Http, Outcome};
use crate::runtime::{BoxFuture, Link, Received, Runtime};

/// The longest a WebSocket close handshake may take at shutdown.
const CLOSE_WAIT: Duration = Duration::from_secs(1);

/// Rounds of work in one poll before the driver yields to other tasks.
const BUDGET: usize = 64;

/// What the API side asks of the driver.
pub(crate) enum Command {
    /// A request whose outcome a caller waits for.
    Request {
        request: Request,
        timeout: Option<Duration>,
        reply: oneshot::Sender<Answer>,
        /// Where the events of the session or handle it creates go.
        subscribe: Option<Subscriber>,
    },
    /// A request nobody waits for (the destroy or detach of a drop).
    Forget(Request),
    /// Work on the engine that needs no round trip.
    Local(LocalWork),
    /// Test hook: drop the WebSocket as if the network had.
    #[cfg(feature = "test-hooks")]
    DropTransport,
    /// Stop (after a short linger for forgotten requests); the sender, if
    /// any, is dropped when the driver has stopped.
    Shutdown(Option<oneshot::Sender<()>>),
}

/// The async channels of the client core.
pub(crate) struct Async;

impl Channels for Async {
    type Reply = Reply;
    type Session = queue::Sender<SessionEvent>;
    type Handle = queue::Sender<HandleEvent>;
    type Client = queue::Sender<ClientEvent>;
}

/// Where the events of a session or handle being created go.
pub(crate) type Subscriber = janus_client::SubscriberOf<Async>;

/// A caller's one-shot reply slot.
pub(crate) struct Reply(oneshot::Sender<Answer>);

impl ReplySender for Reply {
    fn send_reply(self, answer: Answer) -> Result<(), Answer> {
        self.0.send(answer)
    }
}

/// The WebSocket side.
pub(crate) struct WsLink {
    /// The connection opened by `Client::connect`, used for the core's
    /// first `Connect`.
    first: Option<Link>,
    connect_timeout: Duration,
    socket: Option<Link>,
    connecting: Option<BoxFuture<Result<Link, String>>>,
    /// Frames from the engine not yet handed to the socket.
    outbox: VecDeque<String>,
    unflushed: bool,
}

impl WsLink {
    pub(crate) fn new(first: Link, connect_timeout: Duration) -> Self {
        Self {
            first: Some(first),
            connect_timeout,
            socket: None,
            connecting: None,
            outbox: VecDeque::new(),
            unflushed: false,
        }
    }
}

/// The transport side.
pub(crate) enum Io<R> {
    WebSocket(Box<WsLink>),
    Http(Box<Http<R>>),
}

/// Where the driver is in its life.
enum Stage {
    Running,
    /// Closing the WebSocket politely, until this deadline.
    Closing(Instant),
    Done,
}

pub(crate) struct Driver<R> {
    core: ClientCore<Async>,
    commands: UnboundedReceiver<Command>,
    io: Io<R>,
    exchanges: FuturesUnordered<BoxFuture<(ExchangeId, Outcome)>>,
    /// Dropped when the driver stops, which wakes `Client::close`.
    close_waiters: Vec<oneshot::Sender<()>>,
    sleep: Option<(Instant, BoxFuture<()>)>,
    stage: Stage,
    runtime: PhantomData<fn() -> R>,
}

impl<R: Runtime> Driver<R> {
    pub(crate) fn new(
        core: ClientCore<Async>,
        commands: UnboundedReceiver<Command>,
        io: Io<R>,
    ) -> Self {
        Self {
            core,
            commands,
            io,
            exchanges: FuturesUnordered::new(),
            close_waiters: Vec::new(),
            sleep: None,
            stage: Stage::Running,
            runtime: PhantomData,
        }
    }

    // ----- taking things in -------------------------------------------------

    /// Takes every waiting command. Returns whether there was any.
    fn poll_commands(&mut self, cx: &mut Context<'_>) -> bool {
        let mut any = false;
        while !self.commands.is_terminated() {
            let now = Instant::now();
            match self.commands.poll_next_unpin(cx) {
                Poll::Ready(Some(command)) => self.on_command(now, command),
                // Every `Client` is gone: shut down.
                Poll::Ready(None) => self.core.shutdown(now),
                Poll::Pending => break,
            }
            any = true;
        }
        any
    }

    fn on_command(&mut self, now: Instant, command: Command) {
        match command {
            Command::Request {
                request,
                timeout,
                reply,
                subscribe,
            } => self
                .core
                .request(now, request, timeout, Reply(reply), subscribe),
            Command::Forget(request) => self.core.forget(now, request),
            Command::Local(work) => self.core.local(now, work),
            #[cfg(feature = "test-hooks")]
            Command::DropTransport => self.lose_socket("dropped by the test hook"),
            Command::Shutdown(waiter) => {
                self.close_waiters.extend(waiter);
                self.core.shutdown(now);
            }
        }
    }

    /// Takes a new WebSocket and every message waiting on the open one.
    /// Returns whether anything happened.
    fn poll_socket(&mut self, cx: &mut Context<'_>) -> bool {
        let Io::WebSocket(link) = &mut self.io else {
            return false;
        };
        if let Some(connecting) = &mut link.connecting {
            if let Poll::Ready(opened) = connecting.poll_unpin(cx) {
                link.connecting = None;
                let now = Instant::now();
                match opened {
                    Ok(socket) => {
                        link.socket = Some(socket);
                        self.core.handle_input(now, Input::Connected);
                    }
                    Err(reason) => {
                        tracing::debug!(%reason, "connect failed");
                        self.core.handle_input(now, Input::Closed(&reason))
                    }
                }
                return true;
            }
        }
        let mut any = false;
        for _ in 0..BUDGET {
            let Io::WebSocket(link) = &mut self.io else {
                break;
            };
            let Some(socket) = &mut link.socket else {
                break;
            };
            let message = match socket.poll_next(cx) {
                Poll::Pending => break,
                Poll::Ready(m) => m,
            };
            any = true;
            let now = Instant::now();
            match message {
                Some(Ok(Received::Frame(frame))) => {
                    self.core.handle_input(now, Input::Frame(&frame))
                }
                // tungstenite queued the pong: the next flush sends it.
                Some(Ok(Received::Ping)) => link.unflushed = true,
                Some(Ok(Received::Close)) => {
                    // tungstenite queued the answering Close: send it off.
                    if link.socket.is_some() {
                        self.close_socket();
                        self.core
                            .handle_input(now, Input::Closed("closed by the server"));
                    }
                }
                Some(Ok(Received::Other)) => {}
                Some(Err(e)) => self.lose_socket(&e),
                None => self.lose_socket("the connection ended"),
            }
        }
        any
    }

    /// Takes every finished HTTP exchange. Returns whether there was any.
    fn poll_http(&mut self, cx: &mut Context<'_>) -> bool {
        let mut any = false;
        while let Poll::Ready(Some((id, outcome))) = self.exchanges.poll_next_unpin(cx) {
            any = true;
            let now = Instant::now();
            match &outcome {
                Ok((status, body)) => self.core.handle_input(
                    now,
                    Input::HttpResponse {
                        id,
                        status: *status,
                        body,
                    },
                ),
                Err(reason) => self
                    .core
                    .handle_input(now, Input::HttpFailed { id, reason }),
            }
        }
        any
    }

    // ----- what the core asks -----------------------------------------------

    /// Does what the core asks until it waits (returning its deadline) or
    /// stops (`None`).
    fn run(&mut self, now: Instant) -> Option<Option<Instant>> {
        loop {
            match self.core.poll(now) {
                Action::Connect(server) => self.connect(server),
                Action::Close(_) => self.close_socket(),
                Action::Transmit(Transmit::Text(text)) => {
                    if let Io::WebSocket(link) = &mut self.io {
                        if link.socket.is_some() {
                            link.outbox.push_back(text);
                        }
                    }
                }
                Action::Transmit(Transmit::Http(request)) => {
                    if let Io::Http(http) = &self.io {
                        self.exchanges.push(http.exchange(request));
                    }
                }
                Action::Wait(deadline) => return Some(deadline),
                Action::Stop => return None,
            }
        }
    }

    fn connect(&mut self, server: String) {
        let Io::WebSocket(link) = &mut self.io else {
            return;
        };
        if let Some(first) = link.first.take() {
            link.socket = Some(first);
            self.core.handle_input(Instant::now(), Input::Connected);
            return;
        }
        link.connecting = Some(match self.core.endpoint(&server) {
            Ok(endpoint) => crate::runtime::open_link::<R>(
                endpoint,
                self.core.connection().config(),
                link.connect_timeout,
            ),
            Err(reason) => Box::pin(async move { Err(reason) }),
        });
    }

    /// Hands queued frames to the socket and flushes it. Returns whether
    /// the socket was lost (news for the core).
    fn poll_write(&mut self, cx: &mut Context<'_>) -> bool {
        let Io::WebSocket(link) = &mut self.io else {
            return false;
        };
        let Some(socket) = &mut link.socket else {
            return false;
        };
        let engine = self.core.connection();
        let failure = loop {
            if link.outbox.is_empty() {
                break None;
            }
            match socket.poll_ready(cx) {
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(e)) => break Some(e),
                Poll::Pending => break None,
            }
            let text = link.outbox.pop_front().unwrap_or_default();
            if let Err(e) = socket.start_send(text, |tx| engine.request_timeout_of(tx)) {
                break Some(e);
            }
            link.unflushed = true;
        };
        let failure = match failure {
            None if link.unflushed => match socket.poll_flush(cx) {
                Poll::Ready(Ok(())) => {
                    link.unflushed = false;
                    None
                }
                Poll::Ready(Err(e)) => Some(e),
                Poll::Pending => None,
            },
            other => other,
        };
        match failure {
            Some(e) => {
                self.lose_socket(&e);
                true
            }
            None => false,
        }
    }

    /// Closes the socket in the background (bounded by `CLOSE_WAIT`),
    /// without telling the core.
    fn close_socket(&mut self) {
        let Io::WebSocket(link) = &mut self.io else {
            return;
        };
        link.outbox.clear();
        link.unflushed = false;
        if let Some(mut socket) = link.socket.take() {
            let until = Instant::now() + CLOSE_WAIT;
            R::spawn(Box::pin(async move {
                let closing = futures_util::future::poll_fn(|cx| socket.poll_close(cx));
                let _ = futures_util::future::select(closing, R::sleep_until(until)).await;
            }));
        }
    }

    /// Drops the socket and tells the core.
    fn lose_socket(&mut self, reason: &str) {
        if let Io::WebSocket(link) = &mut self.io {
            if link.socket.take().is_some() {
                tracing::debug!(%reason, "connection lost (WebSocket or Unix socket)");
                link.outbox.clear();
                link.unflushed = false;
                self.core
                    .handle_input(Instant::now(), Input::Closed(reason));
            }
        }
    }

    // ----- time and the end ---------------------------------------------

    /// Waits for the core's deadline. Returns whether it has already passed.
    fn poll_sleep(
        &mut self,
        cx: &mut Context<'_>,
        now: Instant,
        deadline: Option<Instant>,
    ) -> bool {
        let Some(deadline) = deadline else {
            self.sleep = None;
            return false;
        };
        if deadline <= now {
            return true;
        }
        // A timer already set for an earlier instant stays: waking early is
        // harmless (the deadline is looked at again), and most deadlines
        // only move later (each request pushes its own timeout out), so the
        // timer is re-armed only when the deadline comes sooner.
        let sleep = match &mut self.sleep {
            Some((at, sleep)) if *at <= deadline => sleep,
            slot => &mut slot.insert((deadline, R::sleep_until(deadline))).1,
        };
        if sleep.poll_unpin(cx).is_pending() {
            return false;
        }
        self.sleep = None;
        // Fired, perhaps for an earlier deadline or early by the runtime's
        // clock: the caller looks at the time again.
        true
    }

    /// Closes the WebSocket politely; returns whether that is over.
    fn poll_close(&mut self, cx: &mut Context<'_>, until: Instant) -> bool {
        let Io::WebSocket(link) = &mut self.io else {
            return true;
        };
        link.first = None;
        link.connecting = None;
        let Some(socket) = &mut link.socket else {
            return true;
        };
        if Instant::now() >= until {
            return true;
        }
        match socket.poll_close(cx) {
            Poll::Ready(_) => true,
            Poll::Pending => {
                // Bounded by a timer of its own.
                let sleep = match &mut self.sleep {
                    Some((at, sleep)) if *at == until => sleep,
                    slot => &mut slot.insert((until, R::sleep_until(until))).1,
                };
                sleep.poll_unpin(cx).is_ready()
            }
        }
    }
}

impl<R: Runtime> Future for Driver<R> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        for _ in 0..BUDGET {
            match this.stage {
                Stage::Running => {}
                Stage::Closing(until) => {
                    if !this.poll_close(cx, until) {
                        return Poll::Pending;
                    }
                    this.stage = Stage::Done;
                    continue;
                }
                Stage::Done => {
                    this.close_waiters.clear();
                    return Poll::Ready(());
                }
            }
            let now = Instant::now();
            this.core.handle_input(now, Input::Timeout);
            // What the core asks first: a socket it has us install must be
            // polled below, or nothing would wake us when it is readable.
            let Some(deadline) = this.run(now) else {
                this.exchanges.clear();
                this.sleep = None;
                // Whatever the core still queued is sent before the close.
                let _ = this.poll_write(cx);
                this.stage = Stage::Closing(now + CLOSE_WAIT);
                continue;
            };
            let mut busy = this.poll_commands(cx);
            busy |= this.poll_socket(cx);
            busy |= this.poll_http(cx);
            busy |= this.poll_write(cx);
            if busy || this.poll_sleep(cx, now, deadline) {
                continue;
            }
            return Poll::Pending;
        }
        // Plenty done: let other tasks run, then go on.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
