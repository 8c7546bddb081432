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

/// A stream of events (a session's, a handle's or the client's).
///
/// Clones share one bounded queue ([`Options::event_capacity`]): each event
/// goes to whichever clone polls first, and only the task that polled last
/// is woken, so await one clone from one task at a time
/// ([`try_next`](Self::try_next) and [`drain`](Self::drain) never disturb
/// it). A reader that falls behind gets a `Lagged { dropped }` event in
/// place of the oldest events it missed. The stream ends after the `Ended`
/// event, or when the client stops.
pub struct Events<T> {
    rx: Receiver<T>,
}

impl<T> Clone for Events<T> {
    fn clone(&self) -> Self {
        Self {
            rx: self.rx.clone(),
        }
    }
}

impl<T> fmt::Debug for Events<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Events").finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Events<T> {
    fn new(rx: Receiver<T>) -> Self {
        Self { rx }
    }

    /// The next event if one is waiting now (`None` also once the stream
    /// is over). It registers no waker.
    pub fn try_next(&self) -> Option<T> {
        self.rx.try_recv().ok().flatten()
    }

    /// Waits for the next event; `None` once the stream is over.
    pub async fn recv(&mut self) -> Option<T> {
        self.next().await
    }

    /// Every event waiting now, without waiting.
    pub fn drain(&self) -> Vec<T> {
        std::iter::from_fn(|| self.try_next()).collect()
    }
}

impl<T> Stream for Events<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.rx.poll_recv(cx)
    }
}

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
            let socket = R::connect_websocket(endpoint, options.connect_timeout)
                .await
                .map_err(|reason| api::connect_error(url, reason))?;
            let roots = options.root_certificates.clone();
            Io::WebSocket(Box::new(WsLink::new(
                socket,
                options.connect_timeout,
                roots,
            )))
        } else {
            let http = Http::new(endpoint, config.max_frame_size, options.connect_timeout);
            Io::Http(http.map_err(|reason| Error::Url {
                url: url.to_owned(),
                reason,
            })?)
        };
        let (commands, commands_rx) = mpsc::unbounded();
        let capacity = options.event_capacity;
        let drops = Arc::new(AtomicU64::new(0));
        let (events, events_rx) = counted_queue(capacity, drops.clone());
        let conn = Connection::new(config, Instant::now());
        let core = ClientCore::new(conn, url, events);
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

/// A Janus session held by a [`Client`].
///
/// Dropping it destroys it on the server, unless it already ended or was
/// destroyed with [`destroy`](Self::destroy): the `destroy` is queued and
/// the drop returns at once. Its handles are not detached one by one: Janus
/// ends them with the session.
pub struct Session<R> {
    client: Client<R>,
    id: SessionId,
    origin: SessionOrigin,
    events: Events<SessionEvent>,
    owned: Owned,
}

impl<R> fmt::Debug for Session<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("id", &self.id)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> Session<R> {
    /// The session id.
    pub fn id(&self) -> SessionId {
        self.id
    }

    /// Sends `request` for this value; "unknown" is explained by its end.
    async fn call(
        &self,
        request: Request,
        timeout: Option<Duration>,
        subscribe: Option<Subscriber>,
    ) -> Result<Reply, Error> {
        let result = self.client.call(request, timeout, subscribe).await;
        api::explain_ended(result, self.events.rx.ended())
    }

    /// Runs `work` on the engine; "unknown" is explained by its end.
    async fn local<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Local<'_>) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let result = self.client.local(work).await.and_then(|r| r);
        api::explain_ended(result, self.events.rx.ended())
    }

    /// Whether it was created here or joined by `claim`.
    pub fn origin(&self) -> SessionOrigin {
        self.origin
    }

    /// The client it belongs to.
    pub fn client(&self) -> &Client<R> {
        &self.client
    }

    /// Its events: reclaimed, unknown messages, and finally `Ended`.
    pub fn events(&self) -> Events<SessionEvent> {
        self.events.clone()
    }

    /// `attach`: a handle on `plugin` (e.g. `janus.plugin.echotest`).
    pub async fn attach(&self, plugin: &str) -> Result<Handle<R>, Error> {
        self.attach_request(plugin, None).await
    }

    /// `attach` with an opaque id (echoed in events when the server is
    /// configured to).
    pub async fn attach_with(&self, plugin: &str, opaque_id: &str) -> Result<Handle<R>, Error> {
        self.attach_request(plugin, Some(opaque_id.to_owned()))
            .await
    }

    async fn attach_request(
        &self,
        plugin: &str,
        opaque_id: Option<String>,
    ) -> Result<Handle<R>, Error> {
        let (tx, rx) = counted_queue(
            self.client.shared.capacity,
            self.client.shared.drops.clone(),
        );
        let request = Request::Attach {
            session: self.id,
            plugin: plugin.to_owned(),
            opaque_id,
        };
        let subscribe = Some(Subscriber::Handle(tx));
        let id = api::attached(self.call(request, None, subscribe).await?)?;
        Ok(Handle {
            client: self.client.clone(),
            session: self.id,
            id,
            plugin: plugin.to_owned(),
            events: Events::new(rx),
            owned: Owned::handle(id),
        })
    }

    /// `keepalive`, now, whatever the automatic schedule.
    pub async fn keepalive(&self) -> Result<(), Error> {
        let request = Request::Keepalive { session: self.id };
        self.call(request, None, None).await.map(drop)
    }

    /// `destroy`: ends the session and its handles on the server. The
    /// session's events end with `Ended(Destroyed)`; dropping it afterwards
    /// does nothing more.
    /// If it fails in a way that may leave the session alive (a timeout, a
    /// lost transport), dropping it later still tries.
    pub async fn destroy(&self) -> Result<(), Error> {
        let result = self.call(self.owned.end_request(), None, None).await;
        self.owned.ended(result)
    }

    // ----- the session's lifetime ------------------------------------------

    /// Records activity on the session now (for example a request made for
    /// it elsewhere), pushing back its next keepalive and its expiry.
    pub async fn touch(&self) -> Result<(), Error> {
        let id = self.id;
        self.local(move |e| e.touch(id)).await
    }

    /// Keeps the session from expiring for as long as the returned guard
    /// lives: keepalives are sent for it even if automatic keepalive is
    /// off, and it never expires locally. Holds are counted: the session
    /// may expire again once every guard is dropped.
    pub async fn hold(&self) -> Result<Hold<R>, Error> {
        let id = self.id;
        self.local(move |e| e.hold(id)).await?;
        Ok(Hold {
            client: self.client.clone(),
            session: id,
        })
    }

    /// Turns automatic keepalive on or off (for example for a claimed
    /// session whose other owner keeps it alive).
    pub async fn set_keepalive(&self, on: bool) -> Result<(), Error> {
        let id = self.id;
        self.local(move |e| e.set_keepalive(id, on)).await
    }

    /// The session's lifetime now: its estimated expiry, the time left,
    /// holds and keepalive. An ended session is an error
    /// ([`CommandError::UnknownSession`](janus_core::CommandError::UnknownSession)).
    pub async fn lifetime(&self) -> Result<SessionLifetime, Error> {
        let id = self.id;
        self.local(move |e| e.lifetime(id)).await
    }

    /// Whether the session is expired (or ended): its estimated server-side
    /// deadline passed with no sign of life, or it is gone.
    pub async fn is_expired(&self) -> bool {
        self.lifetime().await.map_or(true, |l| l.expired)
    }

    /// The time left before the estimated expiry; `None` if it never
    /// expires (held, no server timeout) or it ended.
    pub async fn time_left(&self) -> Option<Duration> {
        self.lifetime().await.ok().and_then(|l| l.time_left)
    }

    /// The estimated instant of expiry; `None` as for [`time_left`](Self::time_left).
    pub async fn expires_at(&self) -> Option<Instant> {
        self.lifetime().await.ok().and_then(|l| l.expires_at)
    }
}

impl<R> Drop for Session<R> {
    fn drop(&mut self) {
        if let Some(request) = self.owned.on_drop() {
            let _ = self.client.shared.send(Command::Forget(request));
        }
    }
}

/// A hold on a session, from [`Session::hold`]: while it lives the
/// session is kept alive and never expires locally. Dropping it releases
/// the hold.
pub struct Hold<R> {
    client: Client<R>,
    session: SessionId,
}

impl<R> fmt::Debug for Hold<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hold")
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

impl<R> Drop for Hold<R> {
    fn drop(&mut self) {
        let session = self.session;
        let release: crate::driver::LocalWork = Box::new(move |e| {
            e.release(session);
        });
        let _ = self.client.shared.send(Command::Local(release));
    }
}

/// A plugin handle in a [`Session`].
///
/// Dropping it detaches it on the server, unless it already ended or was
/// detached with [`detach`](Self::detach): the `detach` is queued and the
/// drop returns at once.
pub struct Handle<R> {
    client: Client<R>,
    session: SessionId,
    id: HandleId,
    plugin: String,
    events: Events<HandleEvent>,
    owned: Owned,
}

impl<R> fmt::Debug for Handle<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("id", &self.id)
            .field("session", &self.session)
            .field("plugin", &self.plugin)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> Handle<R> {
    /// The handle id.
    pub fn id(&self) -> HandleId {
        self.id
    }

    /// Sends `request` for this value; "unknown" is explained by its end.
    async fn call(
        &self,
        request: Request,
        timeout: Option<Duration>,
        subscribe: Option<Subscriber>,
    ) -> Result<Reply, Error> {
        let result = self.client.call(request, timeout, subscribe).await;
        api::explain_ended(result, self.events.rx.ended())
    }

    /// The session it belongs to.
    pub fn session_id(&self) -> SessionId {
        self.session
    }

    /// The plugin's package name.
    pub fn plugin(&self) -> &str {
        &self.plugin
    }

    /// Its events: events that answer no request, and finally `Ended`.
    pub fn events(&self) -> Events<HandleEvent> {
        self.events.clone()
    }

    /// `message`: `body` (a JSON object) to the plugin. Resolves with the
    /// plugin's synchronous reply, or with the event that follows the `ack`;
    /// a plugin failure is `RequestError::Plugin`.
    pub async fn message(&self, body: Value) -> Result<PluginReply, Error> {
        self.message_with(body, None, None).await
    }

    /// `message` with an SDP offer or answer.
    pub async fn message_with_jsep(&self, body: Value, jsep: Jsep) -> Result<PluginReply, Error> {
        self.message_with(body, Some(jsep), None).await
    }

    /// `message` with an optional SDP and a deadline of its own (`None`:
    /// `Config::request_timeout`).
    pub async fn message_with(
        &self,
        body: Value,
        jsep: Option<Jsep>,
        timeout: Option<Duration>,
    ) -> Result<PluginReply, Error> {
        let request = Request::Message {
            handle: self.id,
            body,
            jsep,
        };
        api::plugin_reply(self.call(request, timeout, None).await?)
    }

    /// A typed plugin request (see [`janus_core::plugins`]): sent as a
    /// `message`, answered with the request's reply type. A request for
    /// another plugin than this handle's fails at once with
    /// [`Error::WrongPlugin`]; the plugin's refusal is
    /// [`RequestError::Plugin`](janus_core::RequestError::Plugin).
    pub async fn send<Q: PluginRequest>(&self, request: &Q) -> Result<Q::Reply, Error> {
        self.send_with(request, None, None).await
    }

    /// [`send`](Self::send) with an optional SDP and a deadline of its own.
    pub async fn send_with<Q: PluginRequest>(
        &self,
        request: &Q,
        jsep: Option<Jsep>,
        timeout: Option<Duration>,
    ) -> Result<Q::Reply, Error> {
        let body = api::typed_body(request, &self.plugin)?;
        api::typed_reply::<Q>(self.message_with(body, jsep, timeout).await?)
    }

    /// `trickle`: one ICE candidate, several, or end of candidates.
    pub async fn trickle(&self, trickle: Trickle) -> Result<(), Error> {
        let request = Request::Trickle {
            handle: self.id,
            trickle,
        };
        self.call(request, None, None).await.map(drop)
    }

    /// `hangup`: closes the handle's PeerConnection (the handle stays).
    pub async fn hangup(&self) -> Result<(), Error> {
        let request = Request::Hangup { handle: self.id };
        self.call(request, None, None).await.map(drop)
    }

    /// `detach`: ends the handle on the server. The handle's events end
    /// with `Ended(Detached)`; dropping it afterwards does nothing more.
    pub async fn detach(&self) -> Result<(), Error> {
        let result = self.call(self.owned.end_request(), None, None).await;
        self.owned.ended(result)
    }
}

impl<R> Drop for Handle<R> {
    fn drop(&mut self) {
        if let Some(request) = self.owned.on_drop() {
            let _ = self.client.shared.send(Command::Forget(request));
        }
    }
}
