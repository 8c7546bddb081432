//! The background thread: it owns the client core and does all the I/O.
//!
//! One loop: take commands and transport input, hand them to the
//! [`ClientCore`] with a fresh `Instant::now()`, do what it asks (open the
//! WebSocket, send a frame, start an HTTP exchange), then sleep until the
//! socket, a command or the core's deadline needs attention. Callers,
//! event streams, undo and shutdown are the core's.

use crate::http::{Http, Outcome};
use crate::link::Socket;
use crate::wake::Bell;
use janus_client::{
    queue, Action, Answer, Channels, ClientCore, ClientEvent, HandleEvent, LocalWork, ReplySender,
    SessionEvent,
};
use janus_core::{ExchangeId, Input, Request, Transmit};
use std::io;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};
use tungstenite::Message;

/// What the API side (and the HTTP threads) ask of the background thread.
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
    /// Work on the engine that needs no round trip.
    Local(LocalWork),
    /// An HTTP exchange finished.
    Http { id: ExchangeId, outcome: Outcome },
    /// Test hook: cut the connection under the socket (a datagram socket,
    /// which has none, is dropped).
    #[cfg(feature = "test-hooks")]
    DropTransport,
    /// Stop (after a short linger for forgotten requests).
    Shutdown,
}

/// The blocking channels of the client core.
pub(crate) struct Blocking;

impl Channels for Blocking {
    type Reply = Reply;
    type Session = queue::Sender<SessionEvent>;
    type Handle = queue::Sender<HandleEvent>;
    type Client = queue::Sender<ClientEvent>;
}

/// Where the events of a session or handle being created go.
pub(crate) type Subscriber = janus_client::SubscriberOf<Blocking>;

/// A caller's reply slot.
pub(crate) struct Reply(Sender<Answer>);

impl ReplySender for Reply {
    fn send_reply(self, answer: Answer) -> Result<(), Answer> {
        self.0.send(answer).map_err(|e| e.0)
    }
}

/// The transport side.
pub(crate) enum Io {
    WebSocket(Box<WsLink>),
    Http(Http),
}

/// The WebSocket side.
pub(crate) struct WsLink {
    /// The connection opened by `Client::connect`, used for the core's
    /// first `Connect`.
    pub(crate) first: Option<Socket>,
    pub(crate) socket: Option<Socket>,
    pub(crate) connect_timeout: Duration,
    /// Frames are buffered in the socket and not yet flushed.
    pub(crate) unflushed: bool,
    /// A flush could not finish: wait for the socket to be writable.
    pub(crate) blocked: bool,
    /// The socket is new: the handshake may have read past its end, so
    /// read before waiting for the descriptor to become readable.
    pub(crate) fresh: bool,
}

pub(crate) struct Driver {
    core: ClientCore<Blocking>,
    commands: Receiver<Command>,
    bell: Bell,
    io: Io,
}

impl Driver {
    pub(crate) fn new(
        core: ClientCore<Blocking>,
        commands: Receiver<Command>,
        bell: Bell,
        io: Io,
    ) -> Self {
        Self {
            core,
            commands,
            bell,
            io,
        }
    }

    /// Runs until the core stops.
    pub(crate) fn run(mut self) {
        loop {
            let now = Instant::now();
            self.core.handle_input(now, Input::Timeout);
            let Some(deadline) = self.step(now) else {
                break;
            };
            self.wait(deadline);
        }
        if let Io::WebSocket(link) = &mut self.io {
            let sockets = link.socket.take().into_iter().chain(link.first.take());
            sockets.for_each(Socket::close);
        }
    }

    /// Does what the core asks until it waits (returning its deadline) or
    /// stops (`None`).
    fn step(&mut self, now: Instant) -> Option<Option<Instant>> {
        loop {
            match self.core.poll(now) {
                Action::Connect(server) => self.connect(&server),
                Action::Close(_) => {
                    if let Io::WebSocket(link) = &mut self.io {
                        if let Some(socket) = link.socket.take() {
                            socket.close();
                        }
                        link.unflushed = false;
                        link.blocked = false;
                    }
                }
                Action::Transmit(t) => self.transmit(t),
                Action::Wait(deadline) => {
                    // A failed flush is news for the core: go round again.
                    if !self.flush() {
                        return Some(deadline);
                    }
                }
                Action::Stop => return None,
            }
        }
    }

    /// Sleeps until something needs attention, then takes it in.
    fn wait(&mut self, deadline: Option<Instant>) {
        let timeout = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        if let Io::WebSocket(link) = &mut self.io {
            let Some(socket) = &link.socket else {
                return self.wait_for_commands(timeout);
            };
            if !std::mem::take(&mut link.fresh) {
                self.bell.wait(socket, link.blocked, timeout);
            }
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

    fn on_command(&mut self, command: Command) {
        let now = Instant::now();
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
            Command::Http { id, outcome } => match &outcome {
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
            },
            #[cfg(feature = "test-hooks")]
            Command::DropTransport => {
                if let Io::WebSocket(link) = &self.io {
                    if link.socket.as_ref().is_some_and(|s| !s.cut()) {
                        self.lose_socket("dropped by the test hook");
                    }
                }
            }
            Command::Shutdown => self.core.shutdown(now),
        }
    }

    // ----- the WebSocket ----------------------------------------------------

    fn connect(&mut self, server: &str) {
        let Io::WebSocket(link) = &mut self.io else {
            return;
        };
        let opened = match link.first.take() {
            Some(s) => Ok(s),
            None => (self.core.endpoint(server))
                .and_then(|endpoint| Socket::connect(&endpoint, link.connect_timeout)),
        };
        let now = Instant::now();
        match opened {
            Ok(s) => {
                link.socket = Some(s);
                link.fresh = true;
                self.core.handle_input(now, Input::Connected)
            }
            Err(reason) => {
                tracing::debug!(%reason, "connect failed (WebSocket or Unix socket)");
                self.core.handle_input(now, Input::Closed(&reason))
            }
        }
    }

    fn transmit(&mut self, transmit: Transmit) {
        match (transmit, &mut self.io) {
            (Transmit::Text(text), Io::WebSocket(link)) => {
                let Some(s) = &mut link.socket else { return };
                match s.write(text) {
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
                    let input = Input::HttpFailed {
                        id,
                        reason: &reason,
                    };
                    self.core.handle_input(Instant::now(), input);
                }
            }
            // Each transport only ever emits its own kind.
            (Transmit::Text(_), Io::Http(_)) | (Transmit::Http(_), Io::WebSocket(_)) => {}
        }
    }

    /// Flushes buffered frames. Returns whether the core has new work (the
    /// socket failed and the loss was fed).
    fn flush(&mut self) -> bool {
        let Io::WebSocket(link) = &mut self.io else {
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
            let Io::WebSocket(link) = &mut self.io else {
                return;
            };
            let Some(s) = &mut link.socket else {
                return;
            };
            let now = Instant::now();
            match s.read() {
                Ok(Message::Text(text)) => {
                    self.core.handle_input(now, Input::Frame(text.as_bytes()))
                }
                Ok(Message::Binary(bytes)) => self.core.handle_input(now, Input::Frame(&bytes)),
                Ok(Message::Close(_)) => {
                    // tungstenite queued the answering Close: send it off.
                    if let Some(socket) = link.socket.take() {
                        socket.close();
                        link.unflushed = false;
                        link.blocked = false;
                        self.core
                            .handle_input(now, Input::Closed("closed by the server"));
                    }
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) => self.lose_socket(&e.to_string()),
            }
        }
    }

    /// Drops the socket and tells the core.
    fn lose_socket(&mut self, reason: &str) {
        if let Io::WebSocket(link) = &mut self.io {
            if link.socket.take().is_some() {
                tracing::debug!(%reason, "connection lost (WebSocket or Unix socket)");
                link.unflushed = false;
                link.blocked = false;
                self.core
                    .handle_input(Instant::now(), Input::Closed(reason));
            }
        }
    }
}
