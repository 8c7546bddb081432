//! The API side: `Client`, `Session`, `Handle` and their event streams.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures_channel::mpsc::{self, UnboundedSender};
use futures_channel::oneshot;
use futures_core::Stream;
use futures_util::StreamExt;
use janus_client::api::{self, Owned};
use janus_client::queue::{counted_queue, Receiver};
use janus_client::{
    Answer, ClientCore, ClientEvent, Error, HandleEvent, Local, Metrics, Options, SessionEvent,
    SessionLifetime,
};
use janus_core::plugins::PluginRequest;
use janus_core::serde_json::Value;
use janus_core::{
    Connection, Footprint, HandleId, Jsep, PluginReply, Reply, Request, ServerInfo, SessionId,
    SessionOrigin, Trickle,
};

use crate::driver::{Command, Driver, Io, Subscriber, WsLink};
use crate::http::Http;
use crate::runtime::Runtime;

mod admin;
mod events;
mod handle;
mod session;

pub use admin::AdminClient;
pub use events::Events;
pub use handle::Handle;
pub use session::{Hold, Session};

/// A connection to one Janus server, over WebSocket or HTTP, on the
/// runtime `R`.
///
/// A driver task owns the connection: it sends and receives, keeps
/// sessions alive, re-arms long polls and reconnects, whether or not any
/// future of this API is being polled. `Client` is cheap to clone, `Send`
/// and `Sync`; each call waits only for its own reply (bounded by the
/// request timeout).
///
/// The driver stops when [`close`](Self::close) is called or when the last
/// clone is dropped (each [`Session`] and [`Handle`] holds one); it also
/// stops by itself when a WebSocket is lost for good (every reconnect
/// attempt failed).
pub struct Client<R> {
    shared: Arc<Shared>,
    runtime: PhantomData<fn() -> R>,
}

impl<R> Clone for Client<R> {
    fn clone(&self) -> Self {
        Self {
            shared: self.shared.clone(),
            runtime: PhantomData,
        }
    }
}

impl<R> fmt::Debug for Client<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("url", &self.shared.url)
            .finish_non_exhaustive()
    }
}

struct Shared {
    url: String,
    commands: UnboundedSender<Command>,
    events: Events<ClientEvent>,
    info: OnceLock<ServerInfo>,
    /// Of each event stream.
    capacity: usize,
    /// Events dropped by the client's full streams.
    drops: Arc<AtomicU64>,
}

impl Shared {
    fn send(&self, command: Command) -> Result<(), Error> {
        self.commands
            .unbounded_send(command)
            .map_err(|_| Error::Closed)
    }
}

/// Waits for a request's outcome. If dropped before that, an outcome that
/// already arrived and created a session or handle is undone, so a
/// cancelled `create_session`, `claim` or `attach` leaks nothing.
struct Pending<'a> {
    rx: oneshot::Receiver<Answer>,
    shared: &'a Shared,
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        self.rx.close();
        if let Ok(Some(Ok(reply))) = self.rx.try_recv() {
            if let Some(undo) = api::undo(&reply) {
                let _ = self.shared.send(Command::Forget(undo));
            }
        }
    }
}

impl<R: Runtime> Client<R> {
    /// Connects with the default [`Options`]: `ws://` and `wss://` open a
    /// WebSocket (subprotocol `janus-protocol`), `http://` and `https://`
    /// use the REST transport with long polls (e.g.
    /// `http://127.0.0.1:8088/janus`).
    ///
    /// The WebSocket is opened before this returns; then (unless
    /// [`Options::fetch_info`] is off) an `info` request proves that the
    /// server answers and teaches the engine its session timeout.
    pub async fn connect(url: &str) -> Result<Self, Error> {
        Self::connect_with(url, Options::new()).await
    }

    /// Connects with the given options (or a `janus_core::Config`).
    pub async fn connect_with(url: &str, options: impl Into<Options>) -> Result<Self, Error> {
        let options = options.into();
        let (endpoint, config) = options.resolve(url)?;
        let io = if endpoint.websocket {
            let socket = crate::runtime::open_link::<R>(endpoint, &config, options.connect_timeout)
                .await
                .map_err(|reason| api::connect_error(url, reason))?;
            Io::WebSocket(Box::new(WsLink::new(socket, options.connect_timeout)))
        } else {
            let http = Http::new(endpoint, config.max_frame_size, options.connect_timeout);
            Io::Http(Box::new(http.map_err(|reason| Error::Url {
                url: url.to_owned(),
                reason,
            })?))
        };
        let (commands, commands_rx) = mpsc::unbounded();
        let capacity = options.event_capacity;
        let drops = Arc::new(AtomicU64::new(0));
        let (events, events_rx) = counted_queue(capacity, drops.clone());
        let conn = Connection::new(config, Instant::now());
        let core = ClientCore::new(conn, url, events).with_roots(options.root_certificates.clone());
        let driver = Driver::<R>::new(core, commands_rx, io);
        R::spawn(Box::pin(driver));
        let client = Client {
            shared: Arc::new(Shared {
                url: url.to_owned(),
                commands,
                events: Events::new(events_rx),
                info: OnceLock::new(),
                capacity,
                drops,
            }),
            runtime: PhantomData,
        };
        if options.fetch_info {
            let info = client
                .info()
                .await
                .map_err(|e| api::connect_error(url, e))?;
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
    pub fn events(&self) -> Events<ClientEvent> {
        self.shared.events.clone()
    }

    /// Sends `request` and waits for its outcome (`timeout`: the request's
    /// deadline, default `Config::request_timeout`).
    /// [`call`](Self::call) for a session or handle whose events are
    /// `owner`: "unknown session/handle" is explained by why it ended.
    async fn call_as<T>(
        &self,
        owner: &Events<T>,
        request: Request,
        timeout: Option<Duration>,
        subscribe: Option<Subscriber>,
    ) -> Result<Reply, Error> {
        let result = self.call(request, timeout, subscribe).await;
        api::explain_ended(result, owner.rx.ended())
    }

    async fn call(
        &self,
        request: Request,
        timeout: Option<Duration>,
        subscribe: Option<Subscriber>,
    ) -> Result<Reply, Error> {
        let (reply, rx) = oneshot::channel();
        self.shared.send(Command::Request {
            request,
            timeout,
            reply,
            subscribe,
        })?;
        let mut pending = Pending {
            rx,
            shared: &self.shared,
        };
        (&mut pending.rx).await.map_err(|_| Error::Closed)?
    }

    /// `info`: the server's description (it also teaches the engine the
    /// server's session timeout unless `Config::learn_from_info` is off).
    pub async fn info(&self) -> Result<ServerInfo, Error> {
        api::server_info(self.call(Request::Info, None, None).await?)
    }

    /// `ping`: a round trip to the server.
    pub async fn ping(&self) -> Result<(), Error> {
        self.call(Request::Ping, None, None).await.map(drop)
    }

    /// `create`: a new session, kept alive automatically by this client.
    pub async fn create_session(&self) -> Result<Session<R>, Error> {
        self.open_session(Request::Create { id: None }).await
    }

    /// `create` with an id of the caller's choosing (Janus answers 468 if
    /// it is taken).
    pub async fn create_session_with_id(&self, id: SessionId) -> Result<Session<R>, Error> {
        self.open_session(Request::Create { id: Some(id) }).await
    }

    /// `claim`: joins an existing session by id (one created by another
    /// connection, or left behind by a dropped one) and makes this
    /// connection its owner, so its events come here. This client keeps it
    /// alive only if `keepalive` is true. It is the same session, never a
    /// new one: a session that does not exist fails with Janus error 458.
    pub async fn claim(&self, session: SessionId, keepalive: bool) -> Result<Session<R>, Error> {
        self.open_session(Request::Claim { session, keepalive })
            .await
    }

    async fn open_session(&self, request: Request) -> Result<Session<R>, Error> {
        let (tx, rx) = counted_queue(self.shared.capacity, self.shared.drops.clone());
        let subscribe = Some(Subscriber::Session(tx));
        let (id, origin) = api::opened_session(self.call(request, None, subscribe).await?)?;
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
    pub async fn footprint(&self) -> Result<Footprint, Error> {
        self.local(|engine| engine.footprint()).await
    }

    /// Figures for monitoring: the engine's footprint, its counters
    /// (reconnects, dead links, timeouts) and the events dropped by full
    /// event streams so far.
    pub async fn metrics(&self) -> Result<Metrics, Error> {
        let (footprint, counters) = self
            .local(|engine| (engine.footprint(), engine.counters()))
            .await?;
        let dropped = self.shared.drops.load(Ordering::Relaxed);
        Ok(Metrics::new(footprint, counters, dropped))
    }

    /// Runs `work` on the engine in the driver and returns its result.
    async fn local<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Local<'_>) -> T + Send + 'static,
    ) -> Result<T, Error> {
        let (tx, rx) = oneshot::channel();
        self.shared.send(Command::Local(Box::new(move |engine| {
            let _ = tx.send(work(engine));
        })))?;
        rx.await.map_err(|_| Error::Closed)
    }

    /// Stops the driver and waits until it has: destroys and detaches
    /// queued by drops get up to 2 s to finish, then the WebSocket is
    /// closed politely. Sessions still held are **not** destroyed on the
    /// server: they end here with `EndReason::Closed`, pending calls fail
    /// with `RequestError::TransportClosed`, later calls with
    /// [`Error::Closed`]. Idempotent; any clone may call it.
    pub async fn close(&self) {
        let (tx, rx) = oneshot::channel::<()>();
        if self.shared.send(Command::Shutdown(Some(tx))).is_ok() {
            // Resolves (cancelled) when the driver drops the sender.
            let _ = rx.await;
        }
    }

    /// Test hook: drops the WebSocket as if the network had, so the
    /// engine's reconnect and reclaim can be exercised.
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    pub fn drop_transport(&self) -> Result<(), Error> {
        self.shared.send(Command::DropTransport)
    }
}
