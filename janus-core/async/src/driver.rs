//! The driver: one future per connection that owns the engine and does all
//! the I/O, whatever the runtime.
//!
//! Each time it is polled it takes in what is ready (commands, WebSocket
//! messages, finished HTTP exchanges, a new WebSocket), feeds the engine
//! with a fresh `Instant::now()`, drains the engine's outputs (frames to the
//! socket, HTTP exchanges started, callers woken, events handed to
//! subscribers), and then waits on the socket, the commands, the exchanges
//! and the engine's one deadline.

use std::collections::VecDeque;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures_channel::mpsc::{self, UnboundedReceiver, UnboundedSender};
use futures_channel::oneshot;
use futures_core::FusedStream;
use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt, StreamExt};
use janus_core::client::{
    self, ClientEvent, Error, EventSender, HandleEvent, Routed, SessionEvent,
};
use janus_core::{
    Connection, Event, ExchangeId, Footprint, Input, Output, Reply, Request, Transmit,
};
use tungstenite::Message;

use crate::http::{Http, Outcome};
use crate::runtime::{BoxFuture, BoxWebSocket, Runtime};

/// The longest the driver lingers at shutdown for the destroys and detaches
/// queued by dropped sessions and handles.
const LINGER: Duration = Duration::from_secs(2);

/// The longest a WebSocket close handshake may take at shutdown.
const CLOSE_WAIT: Duration = Duration::from_secs(1);

/// Rounds of work in one poll before the driver yields to other tasks.
const BUDGET: usize = 64;

/// What a caller waiting for a request gets.
pub(crate) type Answer = Result<Reply, Error>;

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
    /// Report the engine's footprint.
    Footprint(oneshot::Sender<Footprint>),
    /// Test hook: drop the WebSocket as if the network had.
    #[cfg(feature = "test-hooks")]
    DropTransport,
    /// Stop (after a short linger for forgotten requests); the sender, if
    /// any, is dropped when the driver has stopped.
    Shutdown(Option<oneshot::Sender<()>>),
}

/// Where the events of a session or handle being created go.
pub(crate) type Subscriber = client::Subscriber<Feed<SessionEvent>, Feed<HandleEvent>>;

/// An unbounded channel's sending end, as a event stream's feed.
pub(crate) struct Feed<T>(pub(crate) UnboundedSender<T>);

impl<T> EventSender<T> for Feed<T> {
    fn send_event(&self, event: T) -> bool {
        self.0.unbounded_send(event).is_ok()
    }
}

type Router = client::Router<oneshot::Sender<Answer>, Feed<SessionEvent>, Feed<HandleEvent>>;

/// The WebSocket side.
pub(crate) struct WsLink {
    /// The connection opened by `Client::connect`, used for the engine's
    /// first `Connect`.
    pub(crate) first: Option<BoxWebSocket>,
    pub(crate) connect_timeout: Duration,
    /// Trust anchors for `wss://` reconnects (empty: the webpki roots).
    roots: Vec<Vec<u8>>,
    socket: Option<BoxWebSocket>,
    connecting: Option<BoxFuture<Result<BoxWebSocket, String>>>,
    /// Frames from the engine not yet handed to the socket.
    outbox: VecDeque<String>,
    unflushed: bool,
}

impl WsLink {
    pub(crate) fn new(first: BoxWebSocket, connect_timeout: Duration, roots: Vec<Vec<u8>>) -> Self {
        Self {
            first: Some(first),
            connect_timeout,
            roots,
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
    Http(Http<R>),
}

/// Where the driver is in its life.
enum Stage {
    Running,
    /// Closing the WebSocket politely, until this deadline.
    Closing(Instant),
    Done,
}

pub(crate) struct Driver<R> {
    conn: Connection,
    /// The address given to `connect` (used when `Connect` names none).
    url: String,
    commands: UnboundedReceiver<Command>,
    transport: Io<R>,
    exchanges: FuturesUnordered<BoxFuture<(ExchangeId, Outcome)>>,
    events: mpsc::Sender<ClientEvent>,
    router: Router,
    /// Outcomes to hand to their callers once the engine is drained, so
    /// that the events an outcome caused are delivered before it.
    outcomes: Vec<(oneshot::Sender<Answer>, Answer)>,
    /// Set at shutdown: when lingering for forgotten requests ends.
    closing: Option<Instant>,
    /// Dropped when the driver stops, which wakes `Client::close`.
    close_waiters: Vec<oneshot::Sender<()>>,
    sleep: Option<(Instant, BoxFuture<()>)>,
    stage: Stage,
    runtime: PhantomData<fn() -> R>,
}

impl<R: Runtime> Driver<R> {
    pub(crate) fn new(
        conn: Connection,
        url: String,
        commands: UnboundedReceiver<Command>,
        transport: Io<R>,
        events: mpsc::Sender<ClientEvent>,
    ) -> Self {
        Self {
            conn,
            url,
            commands,
            transport,
            exchanges: FuturesUnordered::new(),
            events,
            router: Router::new(),
            outcomes: Vec::new(),
            closing: None,
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
            match self.commands.poll_next_unpin(cx) {
                Poll::Ready(Some(command)) => self.on_command(command),
                // Every `Client` is gone: shut down.
                Poll::Ready(None) => self.on_command(Command::Shutdown(None)),
                Poll::Pending => break,
            }
            any = true;
        }
        any
    }

    fn on_command(&mut self, command: Command) {
        let now = Instant::now();
        match command {
            Command::Request {
                request,
                timeout,
                reply,
                subscribe,
            } => {
                let queued = match timeout {
                    Some(t) => self.conn.request_with_timeout(now, request, t),
                    None => self.conn.request(now, request),
                };
                match queued {
                    Ok(id) => self.router.wait(id, reply, subscribe),
                    Err(e) => {
                        let _ = reply.send(Err(e.into()));
                    }
                }
            }
            Command::Forget(request) => self.forget(now, request),
            Command::Footprint(reply) => {
                let _ = reply.send(self.conn.footprint());
            }
            #[cfg(feature = "test-hooks")]
            Command::DropTransport => self.lose_socket("dropped by the test hook"),
            Command::Shutdown(waiter) => {
                self.close_waiters.extend(waiter);
                self.closing.get_or_insert(now + LINGER);
            }
        }
        self.drain();
    }

    /// Sends `request` with nobody waiting for it.
    fn forget(&mut self, now: Instant, request: Request) {
        // Refused: the session or handle already ended. Nothing to do.
        if let Ok(id) = self.conn.request(now, request) {
            self.router.forget(id);
        }
    }

    /// Takes a new WebSocket and every message waiting on the open one.
    /// Returns whether anything happened.
    fn poll_socket(&mut self, cx: &mut Context<'_>) -> bool {
        let Io::WebSocket(link) = &mut self.transport else {
            return false;
        };
        let mut any = false;
        if let Some(connecting) = &mut link.connecting {
            if let Poll::Ready(opened) = connecting.poll_unpin(cx) {
                link.connecting = None;
                let now = Instant::now();
                let _ = match opened {
                    Ok(socket) => {
                        link.socket = Some(socket);
                        self.conn.handle_input(now, Input::Connected)
                    }
                    Err(reason) => self.conn.handle_input(now, Input::Closed(&reason)),
                };
                self.drain();
                return true;
            }
        }
        for _ in 0..BUDGET {
            let Io::WebSocket(link) = &mut self.transport else {
                break;
            };
            let Some(socket) = &mut link.socket else {
                break;
            };
            let message = match socket.poll_next_unpin(cx) {
                Poll::Pending => break,
                Poll::Ready(m) => m,
            };
            any = true;
            match message {
                Some(Ok(Message::Text(text))) => self.feed(Input::Frame(text.as_bytes())),
                Some(Ok(Message::Binary(bytes))) => self.feed(Input::Frame(&bytes)),
                // tungstenite queued the pong: the next flush sends it.
                Some(Ok(Message::Ping(_))) => link.unflushed = true,
                Some(Ok(Message::Close(_))) => self.lose_socket("closed by the server"),
                Some(Ok(_)) => {}
                Some(Err(e)) => self.lose_socket(&e.to_string()),
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
            match &outcome {
                Ok((status, body)) => self.feed(Input::HttpResponse {
                    id,
                    status: *status,
                    body,
                }),
                Err(reason) => self.feed(Input::HttpFailed { id, reason }),
            }
        }
        any
    }

    fn feed(&mut self, input: Input<'_>) {
        // Inputs of the wrong transport cannot happen: each transport feeds its own.
        let _ = self.conn.handle_input(Instant::now(), input);
        self.drain();
    }

    // ----- the engine's outputs ---------------------------------------------

    /// Pulls outputs until the engine is idle.
    fn drain(&mut self) {
        loop {
            match self.conn.poll_output() {
                Output::Connect { server } => self.connect(server),
                Output::Transmit(Transmit::Text(text)) => {
                    if let Io::WebSocket(link) = &mut self.transport {
                        if link.socket.is_some() {
                            link.outbox.push_back(text);
                        }
                    }
                }
                Output::Transmit(Transmit::Http(request)) => {
                    if let Io::Http(http) = &self.transport {
                        self.exchanges.push(http.exchange(request));
                    }
                }
                Output::Event(e) => self.dispatch(e),
                Output::Idle(_) => break,
                _ => {}
            }
        }
    }

    fn connect(&mut self, server: String) {
        let Io::WebSocket(link) = &mut self.transport else {
            return;
        };
        if let Some(first) = link.first.take() {
            link.socket = Some(first);
            let _ = self.conn.handle_input(Instant::now(), Input::Connected);
            return;
        }
        let url = if server.is_empty() {
            &self.url
        } else {
            &server
        };
        link.connecting = Some(match crate::net::endpoint(url, &link.roots) {
            Ok(endpoint) => R::connect_websocket(endpoint, link.connect_timeout),
            Err(reason) => Box::pin(async move { Err(reason) }),
        });
    }

    /// Hands queued frames to the socket and flushes it. Returns whether
    /// the socket was lost (news for the engine).
    fn poll_write(&mut self, cx: &mut Context<'_>) -> bool {
        let Io::WebSocket(link) = &mut self.transport else {
            return false;
        };
        let Some(socket) = &mut link.socket else {
            return false;
        };
        let mut socket = socket.as_mut();
        let failure = loop {
            if link.outbox.is_empty() {
                break None;
            }
            match socket.as_mut().poll_ready(cx) {
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(e)) => break Some(e),
                Poll::Pending => break None,
            }
            let text = link.outbox.pop_front().unwrap_or_default();
            if let Err(e) = socket.as_mut().start_send(Message::text(text)) {
                break Some(e);
            }
            link.unflushed = true;
        };
        let failure = match failure {
            None if link.unflushed => match socket.as_mut().poll_flush(cx) {
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
                self.lose_socket(&e.to_string());
                true
            }
            None => false,
        }
    }

    /// Drops the socket and tells the engine.
    fn lose_socket(&mut self, reason: &str) {
        if let Io::WebSocket(link) = &mut self.transport {
            if link.socket.take().is_some() {
                link.outbox.clear();
                link.unflushed = false;
                let _ = self
                    .conn
                    .handle_input(Instant::now(), Input::Closed(reason));
                self.drain();
            }
        }
    }

    // ----- reporting --------------------------------------------------------

    fn dispatch(&mut self, event: Event) {
        match self.router.route(event) {
            Routed::Resolved(reply, outcome) => self.outcomes.push((reply, outcome)),
            // Nobody reading: the oldest stay, newer ones are dropped.
            Routed::Event(event) => drop(self.events.try_send(event)),
            _ => {}
        }
    }

    /// Hands resolved requests to their callers.
    fn deliver(&mut self) {
        while !self.outcomes.is_empty() {
            for (reply, outcome) in std::mem::take(&mut self.outcomes) {
                // The caller gave up: what it created must not leak.
                if let Err(Ok(reply)) = reply.send(outcome) {
                    if let Some(undo) = client::undo(&reply) {
                        self.forget(Instant::now(), undo);
                    }
                }
            }
            self.drain();
        }
    }

    // ----- time and the end ---------------------------------------------

    /// Whether it is time to stop: the engine closed for good, or a
    /// shutdown whose linger is over.
    fn should_stop(&mut self, now: Instant) -> bool {
        if self.conn.is_closed() {
            return true;
        }
        match self.closing {
            Some(at) => self.router.forgotten() == 0 || now >= at,
            None => false,
        }
    }

    /// Waits for the engine's deadline (or the linger's end). Returns
    /// whether it has already passed.
    fn poll_sleep(&mut self, cx: &mut Context<'_>, now: Instant) -> bool {
        let deadline = match (self.conn.poll_timeout(), self.closing) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
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
        let Io::WebSocket(link) = &mut self.transport else {
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
        match socket.as_mut().poll_close(cx) {
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
            this.conn.handle_timeout(now);
            this.drain();
            let mut busy = this.poll_commands(cx);
            busy |= this.poll_socket(cx);
            busy |= this.poll_http(cx);
            if this.should_stop(now) {
                // Outcomes first: an undo for a caller that is gone can still go.
                this.deliver();
                this.conn.close(now);
                this.drain();
                this.deliver();
                this.exchanges.clear();
                this.sleep = None;
                // Whatever the engine still queued is sent before the close.
                let _ = this.poll_write(cx);
                this.stage = Stage::Closing(now + CLOSE_WAIT);
                continue;
            }
            busy |= this.poll_write(cx);
            this.deliver();
            if busy || this.poll_sleep(cx, now) {
                continue;
            }
            return Poll::Pending;
        }
        // Plenty done: let other tasks run, then go on.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
