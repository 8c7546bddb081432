//! The background thread: it owns the engine and does all the I/O.
//!
//! One loop: take commands, feed the engine, drain its outputs (send
//! frames, start HTTP exchanges, open the WebSocket, wake waiting callers,
//! fan events out to subscribers), then sleep until the socket, a command
//! or the engine's deadline needs attention.

use crate::http::{Http, Outcome};
use crate::wake::Bell;
use crate::ws::{self, Socket};
use crate::{ClientEvent, Error, HandleEvent, SessionEvent};
use janus_core::client::{self, EventSender, Routed};
use janus_core::{
    Connection, Event, ExchangeId, Footprint, Input, Output, Reply, Request, Transmit,
};
use std::io;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, SyncSender};
use std::time::{Duration, Instant};
use tungstenite::Message;

/// The longest the thread lingers at shutdown for the destroys and
/// detaches queued by dropped sessions and handles.
const LINGER: Duration = Duration::from_secs(2);

/// What the API side asks of the background thread.
pub(crate) enum Command {
    /// A request whose outcome a caller waits for.
    Request {
        request: Request,
        timeout: Option<Duration>,
        reply: Sender<Answer>,
        /// Where the events of the session or handle it creates go.
        subscribe: Option<Subscriber>,
    },
    /// A request nobody waits for (the destroy or detach of a drop).
    Forget(Request),
    /// An HTTP exchange finished.
    Http { id: ExchangeId, outcome: Outcome },
    /// Report the engine's footprint.
    Footprint(Sender<Footprint>),
    /// Test hook: shut the WebSocket's TCP stream down.
    #[cfg(feature = "test-hooks")]
    DropTransport,
    /// Stop (after a short linger for forgotten requests).
    Shutdown,
}

/// Where the events of a session or handle being created go.
pub(crate) type Subscriber = client::Subscriber<Feed<SessionEvent>, Feed<HandleEvent>>;

/// A channel's sending end, as a event stream's feed.
pub(crate) struct Feed<T>(pub(crate) Sender<T>);

impl<T> EventSender<T> for Feed<T> {
    fn send_event(&self, event: T) -> bool {
        self.0.send(event).is_ok()
    }
}

type Router = client::Router<Sender<Answer>, Feed<SessionEvent>, Feed<HandleEvent>>;

/// The transport side.
pub(crate) enum Io {
    WebSocket(Box<WsLink>),
    Http(Http),
}

/// The WebSocket side.
pub(crate) struct WsLink {
    /// The connection opened by `Client::connect`, used for the engine's
    /// first `Connect`.
    pub(crate) first: Option<Socket>,
    pub(crate) socket: Option<Socket>,
    pub(crate) connect_timeout: Duration,
    /// Trust anchors for `wss://` (empty: the webpki roots).
    pub(crate) roots: Vec<Vec<u8>>,
    /// Frames are buffered in the socket and not yet flushed.
    pub(crate) unflushed: bool,
    /// A flush could not finish: wait for the socket to be writable.
    pub(crate) blocked: bool,
}

/// What a caller waiting for a request gets.
type Answer = Result<Reply, Error>;

pub(crate) struct Driver {
    pub(crate) conn: Connection,
    /// The address given to `connect` (used when `Connect` names none).
    pub(crate) url: String,
    pub(crate) commands: Receiver<Command>,
    pub(crate) bell: Bell,
    pub(crate) transport: Io,
    pub(crate) events: SyncSender<ClientEvent>,
    router: Router,
    /// Outcomes to hand to their callers once the engine is drained, so
    /// that the events an outcome caused are delivered before it.
    outcomes: Vec<(Sender<Answer>, Answer)>,
    closing: Option<Instant>,
}

impl Driver {
    pub(crate) fn new(
        conn: Connection,
        url: String,
        commands: Receiver<Command>,
        bell: Bell,
        transport: Io,
        events: SyncSender<ClientEvent>,
    ) -> Self {
        Self {
            conn,
            url,
            commands,
            bell,
            transport,
            events,
            router: Router::new(),
            outcomes: Vec::new(),
            closing: None,
        }
    }

    /// Runs until shutdown, or until the engine is closed for good.
    pub(crate) fn run(mut self) {
        loop {
            self.conn.handle_timeout(Instant::now());
            self.drain();
            if self.finished() {
                break;
            }
            let deadline = match (self.conn.poll_timeout(), self.closing) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            self.wait(deadline);
        }
        if let Io::WebSocket(link) = &mut self.transport {
            let sockets = link.socket.take().into_iter().chain(link.first.take());
            sockets.for_each(ws::close);
        }
    }

    fn finished(&mut self) -> bool {
        if self.conn.is_closed() {
            return true;
        }
        match self.closing {
            Some(at) if self.router.forgotten() == 0 || Instant::now() >= at => {
                self.conn.close(Instant::now());
                self.drain();
                true
            }
            _ => false,
        }
    }

    /// Sleeps until something needs attention, then takes it in.
    fn wait(&mut self, deadline: Option<Instant>) {
        let timeout = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        if let Io::WebSocket(link) = &self.transport {
            let Some(tcp) = link.socket.as_ref().and_then(ws::tcp_of) else {
                return self.wait_for_commands(timeout);
            };
            self.bell.wait(tcp, link.blocked, timeout);
            self.flush();
            self.read_socket();
            while let Ok(command) = self.commands.try_recv() {
                self.on_command(command);
            }
            return;
        }
        self.wait_for_commands(timeout);
    }

    /// With no socket to watch, commands (and HTTP outcomes) come through
    /// the channel.
    fn wait_for_commands(&mut self, timeout: Option<Duration>) {
        let first = match timeout {
            Some(t) => self.commands.recv_timeout(t),
            None => self
                .commands
                .recv()
                .map_err(|_| RecvTimeoutError::Disconnected),
        };
        match first {
            Ok(command) => self.on_command(command),
            Err(RecvTimeoutError::Timeout) => return,
            Err(RecvTimeoutError::Disconnected) => self.on_command(Command::Shutdown),
        }
        while let Ok(command) = self.commands.try_recv() {
            self.on_command(command);
        }
    }

    // ----- feeding the engine ---------------------------------------------

    fn feed(&mut self, input: Input<'_>) {
        // Inputs of the wrong transport cannot happen: each transport feeds its own.
        let _ = self.conn.handle_input(Instant::now(), input);
        self.drain();
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
            Command::Forget(request) => {
                // Refused: the session or handle already ended. Nothing to do.
                if let Ok(id) = self.conn.request(now, request) {
                    self.router.forget(id);
                }
            }
            Command::Http { id, outcome } => match &outcome {
                Ok((status, body)) => self.feed(Input::HttpResponse {
                    id,
                    status: *status,
                    body,
                }),
                Err(reason) => self.feed(Input::HttpFailed { id, reason }),
            },
            Command::Footprint(reply) => {
                let _ = reply.send(self.conn.footprint());
            }
            #[cfg(feature = "test-hooks")]
            Command::DropTransport => {
                if let Io::WebSocket(link) = &self.transport {
                    if let Some(tcp) = link.socket.as_ref().and_then(ws::tcp_of) {
                        let _ = tcp.shutdown(std::net::Shutdown::Both);
                    }
                }
            }
            Command::Shutdown => {
                self.closing.get_or_insert(now + LINGER);
            }
        }
        self.drain();
    }

    /// Pulls outputs until the engine is idle (flushing the socket), then
    /// wakes the callers whose requests resolved.
    fn drain(&mut self) {
        loop {
            match self.conn.poll_output() {
                Output::Connect { server } => self.connect(server),
                Output::Transmit(t) => self.transmit(t),
                Output::Event(e) => self.dispatch(e),
                Output::Idle(_) => {
                    // A failed flush is news for the engine: go round again.
                    if self.flush() {
                        continue;
                    }
                    break;
                }
                _ => {}
            }
        }
        for (reply, outcome) in self.outcomes.drain(..) {
            let _ = reply.send(outcome);
        }
    }

    // ----- the WebSocket ----------------------------------------------------

    fn connect(&mut self, server: String) {
        let Io::WebSocket(link) = &mut self.transport else {
            return;
        };
        let url = if server.is_empty() {
            &self.url
        } else {
            &server
        };
        let opened = match link.first.take() {
            Some(s) => Ok(s),
            None => ws::connect(url, link.connect_timeout, &link.roots),
        };
        let now = Instant::now();
        let _ = match opened {
            Ok(s) => {
                link.socket = Some(s);
                self.conn.handle_input(now, Input::Connected)
            }
            Err(reason) => self.conn.handle_input(now, Input::Closed(&reason)),
        };
    }

    fn transmit(&mut self, transmit: Transmit) {
        match (transmit, &mut self.transport) {
            (Transmit::Text(text), Io::WebSocket(link)) => {
                let Some(s) = &mut link.socket else { return };
                match s.write(Message::text(text)) {
                    Ok(()) => link.unflushed = true,
                    // Buffered: the flush finishes it.
                    Err(tungstenite::Error::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => {
                        link.unflushed = true
                    }
                    Err(e) => self.lose_socket(&e.to_string()),
                }
            }
            (Transmit::Http(request), Io::Http(http)) => {
                let id = request.id;
                if let Err(reason) = http.start(request) {
                    let _ = self.conn.handle_input(
                        Instant::now(),
                        Input::HttpFailed {
                            id,
                            reason: &reason,
                        },
                    );
                }
            }
            _ => {}
        }
    }

    /// Flushes buffered frames. Returns whether the engine has new work
    /// (the socket failed and the loss was fed).
    fn flush(&mut self) -> bool {
        let Io::WebSocket(link) = &mut self.transport else {
            return false;
        };
        let Some(s) = &mut link.socket else {
            return false;
        };
        if !link.unflushed && !link.blocked {
            return false;
        }
        match s.flush() {
            Ok(()) => {
                link.unflushed = false;
                link.blocked = false;
                false
            }
            Err(tungstenite::Error::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => {
                link.blocked = true;
                false
            }
            Err(e) => {
                self.lose_socket(&e.to_string());
                true
            }
        }
    }

    /// Reads every complete message the socket has.
    fn read_socket(&mut self) {
        loop {
            let Io::WebSocket(link) = &mut self.transport else {
                return;
            };
            let Some(s) = &mut link.socket else {
                return;
            };
            match s.read() {
                Ok(Message::Text(text)) => self.feed(Input::Frame(text.as_bytes())),
                Ok(Message::Binary(bytes)) => self.feed(Input::Frame(&bytes)),
                Ok(Message::Close(_)) => {
                    self.lose_socket("closed by the server");
                    self.drain();
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) => {
                    self.lose_socket(&e.to_string());
                    self.drain();
                }
            }
        }
    }

    /// Drops the socket and tells the engine (the caller drains).
    fn lose_socket(&mut self, reason: &str) {
        if let Io::WebSocket(link) = &mut self.transport {
            if link.socket.take().is_some() {
                link.unflushed = false;
                link.blocked = false;
                let _ = self
                    .conn
                    .handle_input(Instant::now(), Input::Closed(reason));
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
}
