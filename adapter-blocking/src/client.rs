//! The API side: `Client`, `Session`, `Handle` and their event receivers.

use crate::driver::{Command, Driver, Io, Subscriber, WsLink};
use crate::http::Http;
use crate::wake::{self, Ringer};
use crate::{ClientEvent, Error, HandleEvent, Options, SessionEvent};
use janus_client::api::{self, Owned};
use janus_client::queue::{counted_queue, Receiver, RecvError};
use janus_client::{ClientCore, Local, LocalWork, Metrics, SessionLifetime, TypedEvent};
use janus_core::plugins::PluginRequest;
use janus_core::serde_json::Value;
use janus_core::{
    Connection, Footprint, HandleId, Jsep, PluginReply, Reply, Request, ServerInfo, SessionId,
    SessionOrigin, Trickle,
};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

mod admin;
mod events;
mod handle;
mod session;

pub use admin::AdminClient;
pub use events::{Events, TypedEvents};
pub use handle::Handle;
pub use session::{Hold, Session};

/// A connection to one Janus server, over WebSocket or HTTP.
///
/// A background thread owns the connection: it sends and receives, keeps
/// sessions alive, re-arms long polls and reconnects, so all of that goes
/// on while the caller is blocked or busy. `Client` is cheap to clone and
/// can be used from many threads at once; every call blocks the calling
/// thread only until its own reply arrives (bounded by the request timeout).
///
/// The thread stops when [`close`](Self::close) is called or when the last
/// clone of the client is dropped (each [`Session`] and [`Handle`] holds a
/// clone); it also stops by itself when a WebSocket is lost for good
/// (every reconnect attempt failed).
#[derive(Clone, Debug)]
pub struct Client {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    url: String,
    commands: Sender<Command>,
    ringer: Ringer,
    thread: Mutex<Option<JoinHandle<()>>>,
    events: Events<ClientEvent>,
    info: OnceLock<ServerInfo>,
    /// Of each event stream.
    capacity: usize,
    /// Events dropped by the client's full streams.
    drops: Arc<AtomicU64>,
}

impl Shared {
    fn send(&self, command: Command) -> Result<(), Error> {
        self.commands.send(command).map_err(|_| Error::Closed)?;
        self.ringer.ring();
        Ok(())
    }

    fn shutdown(&self) {
        let thread = self
            .thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(thread) = thread {
            let _ = self.send(Command::Shutdown);
            let _ = thread.join();
        }
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl Client {
    /// Connects with the default [`Options`]: `ws://` and `wss://` open a
    /// WebSocket (subprotocol `janus-protocol`), `http://` and `https://`
    /// use the REST transport with long polls (e.g.
    /// `http://127.0.0.1:8088/janus`).
    ///
    /// The WebSocket is opened before this returns; then (unless
    /// [`Options::fetch_info`] is off) an `info` request proves that the
    /// server answers and teaches the engine its session timeout.
    pub fn connect(url: &str) -> Result<Client, Error> {
        Self::connect_with(url, Options::new())
    }

    /// Connects with the given options (or a `janus_core::Config`).
    pub fn connect_with(url: &str, options: impl Into<Options>) -> Result<Client, Error> {
        let options = options.into();
        let (endpoint, config) = options.resolve(url)?;
        if endpoint.amqp.is_some() {
            return Err(Error::Url {
                url: url.to_owned(),
                reason: "the blocking client speaks ws, wss, http, https, unix and unix+dgram; \
                         amqp:// (Janus's RabbitMQ transport) is served by janus-tokio and \
                         janus-smol with their `amqp` feature"
                    .into(),
            });
        }
        let (commands, commands_rx) = mpsc::channel();
        let io = if endpoint.websocket {
            let socket = crate::link::Socket::connect(&endpoint, options.connect_timeout)
                .map_err(|reason| api::connect_error(url, reason))?;
            Io::WebSocket(Box::new(WsLink {
                first: Some(socket),
                socket: None,
                connect_timeout: options.connect_timeout,
                unflushed: false,
                blocked: false,
                fresh: true,
            }))
        } else {
            Io::Http(Http::new(
                &endpoint.url,
                config.max_frame_size,
                &options.root_certificates,
                commands.clone(),
            ))
        };
        let (ringer, bell) = wake::doorbell()?;
        let capacity = options.event_capacity;
        let drops = Arc::new(AtomicU64::new(0));
        let (events, events_rx) = counted_queue(capacity, drops.clone());
        let conn = Connection::new(config, Instant::now());
        let core = ClientCore::new(conn, url, events).with_roots(options.root_certificates.clone());
        let driver = Driver::new(core, commands_rx, bell, io);
        let thread = thread::Builder::new()
            .name("janus-blocking".into())
            .spawn(move || driver.run())?;
        let client = Client {
            shared: Arc::new(Shared {
                url: url.to_owned(),
                commands,
                ringer,
                thread: Mutex::new(Some(thread)),
                events: Events::new(events_rx),
                capacity,
                drops,
                info: OnceLock::new(),
            }),
        };
        if options.fetch_info {
            let info = client.info().map_err(|e| api::connect_error(url, e))?;
            let _ = client.shared.info.set(info);
        }
        Ok(client)
    }

    /// The URL this client was connected with.
    pub fn url(&self) -> &str {
        &self.shared.url
    }

    /// The `info` reply fetched at connect (`None` if
    /// [`Options::fetch_info`] was off).
    pub fn server_info(&self) -> Option<&ServerInfo> {
        self.shared.info.get()
    }

    /// Events about the connection: connected, disconnected, messages for
    /// no session held here, protocol errors. The stream keeps at most
    /// [`Options::event_capacity`] unread events (then `Lagged`).
    pub fn events(&self) -> &Events<ClientEvent> {
        &self.shared.events
    }

    /// Sends `request` and waits for its outcome (`timeout`: the request's
    /// deadline, default `Config::request_timeout`).
    /// [`call`](Self::call) for a session or handle whose events are
    /// `owner`: "unknown session/handle" is explained by why it ended.
    fn call_as<T>(
        &self,
        owner: &Events<T>,
        request: Request,
        timeout: Option<Duration>,
        subscribe: Option<Subscriber>,
    ) -> Result<Reply, Error> {
        let result = self.call(request, timeout, subscribe);
        api::explain_ended(result, owner.rx.ended())
    }

    fn call(
        &self,
        request: Request,
        timeout: Option<Duration>,
        subscribe: Option<Subscriber>,
    ) -> Result<Reply, Error> {
        let (reply, rx) = mpsc::channel();
        self.shared.send(Command::Request {
            request,
            timeout,
            reply,
            subscribe,
        })?;
        rx.recv().map_err(|_| Error::Closed)?
    }

    /// Queues `request` without waiting for it (used by drops).
    fn forget(&self, request: Request) {
        let _ = self.shared.send(Command::Forget(request));
    }

    /// `info`: the server's description (it also teaches the engine the
    /// server's session timeout unless `Config::learn_from_info` is off).
    pub fn info(&self) -> Result<ServerInfo, Error> {
        api::server_info(self.call(Request::Info, None, None)?)
    }

    /// `ping`: a round trip to the server.
    pub fn ping(&self) -> Result<(), Error> {
        self.call(Request::Ping, None, None).map(drop)
    }

    /// `create`: a new session, kept alive automatically by this client.
    pub fn create_session(&self) -> Result<Session, Error> {
        self.open_session(Request::Create { id: None })
    }

    /// `create` with an id of the caller's choosing (Janus answers 468 if
    /// it is taken).
    pub fn create_session_with_id(&self, id: SessionId) -> Result<Session, Error> {
        self.open_session(Request::Create { id: Some(id) })
    }

    /// `claim`: joins an existing session by id (one created by another
    /// connection, or left behind by a dropped one) and makes this
    /// connection its owner, so its events come here. This client keeps it
    /// alive only if `keepalive` is true. It is the same session, never a
    /// new one: a session that does not exist fails with Janus error 458.
    pub fn claim(&self, session: SessionId, keepalive: bool) -> Result<Session, Error> {
        self.open_session(Request::Claim { session, keepalive })
    }

    fn open_session(&self, request: Request) -> Result<Session, Error> {
        let (tx, rx) = counted_queue(self.shared.capacity, self.shared.drops.clone());
        let subscribe = Some(Subscriber::Session(tx));
        let (id, origin) = api::opened_session(self.call(request, None, subscribe)?)?;
        Ok(Session {
            client: self.clone(),
            id,
            origin,
            events: Events::new(rx),
            owned: Owned::session(id),
        })
    }

    /// How much state the engine holds (sessions, handles, requests in
    /// flight, timers, ...): for leak checks and metrics.
    pub fn footprint(&self) -> Result<Footprint, Error> {
        self.local(|engine| engine.footprint())
    }

    /// Figures for monitoring: the engine's footprint, its counters
    /// (reconnects, dead links, timeouts) and the events dropped by full
    /// event streams so far.
    pub fn metrics(&self) -> Result<Metrics, Error> {
        let (footprint, counters) = self.local(|engine| (engine.footprint(), engine.counters()))?;
        let dropped = self.shared.drops.load(Ordering::Relaxed);
        Ok(Metrics::new(footprint, counters, dropped))
    }

    /// Runs `work` on the engine in the background thread and returns its
    /// result.
    fn local<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Local<'_>) -> T + Send + 'static,
    ) -> Result<T, Error> {
        let (tx, rx) = mpsc::channel();
        self.shared.send(Command::Local(Box::new(move |engine| {
            let _ = tx.send(work(engine));
        })))?;
        rx.recv().map_err(|_| Error::Closed)
    }

    /// Stops the background thread and waits for it. Sessions still held
    /// are **not** destroyed on the server (drop or destroy them first for
    /// that; destroys queued by drops get up to 2 s to finish): they end
    /// here with [`EndReason::Closed`](janus_core::EndReason::Closed), pending calls fail with
    /// [`RequestError::TransportClosed`](janus_core::RequestError::TransportClosed),
    /// and later calls with [`Error::Closed`]. Idempotent; any clone may call it.
    pub fn close(&self) {
        self.shared.shutdown();
    }

    /// Test hook: shuts the WebSocket's TCP stream (or the Unix socket's
    /// connection) down as if the network dropped it, or drops a datagram
    /// socket, so the engine's reconnect and reclaim can be exercised.
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    pub fn drop_transport(&self) -> Result<(), Error> {
        self.shared.send(Command::DropTransport)
    }
}
