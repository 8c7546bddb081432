//! The API side: `Client`, `Session`, `Handle` and their event receivers.

use crate::driver::{Command, Driver, Io, LocalWork, Subscriber, WsLink};
use crate::http::Http;
use crate::wake::{self, Ringer};
use crate::{ClientEvent, Error, HandleEvent, Options, SessionEvent};
use janus_client::api::{self, Owned};
use janus_client::queue::{counted_queue, Receiver, RecvError};
use janus_client::{ClientCore, Local, Metrics, SessionLifetime};
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

/// A stream of events (a session's, a handle's or the client's) with
/// blocking, timed and non-blocking receive.
///
/// It is `Sync`, so a `Session` or `Handle` can be shared between threads;
/// concurrent receivers take turns. The queue behind it is bounded
/// ([`Options::event_capacity`]): a reader that falls behind gets a
/// `Lagged { dropped }` event in place of the oldest events it missed. The
/// stream is over after the `Ended` event, or when the client stops.
#[derive(Debug)]
pub struct Events<T> {
    rx: Receiver<T>,
}

impl<T> Events<T> {
    fn new(rx: Receiver<T>) -> Self {
        Self { rx }
    }

    /// Waits for the next event; `None` once the stream is over.
    pub fn recv(&self) -> Option<T> {
        self.rx.recv_timeout(None).ok()
    }

    /// Waits at most `timeout` for the next event.
    pub fn recv_timeout(&self, timeout: Duration) -> Result<T, RecvTimeoutError> {
        self.rx.recv_timeout(Some(timeout)).map_err(|e| match e {
            RecvError::Timeout => RecvTimeoutError::Timeout,
            RecvError::Closed => RecvTimeoutError::Disconnected,
        })
    }

    /// The next event if one is waiting.
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        match self.rx.try_recv() {
            Ok(Some(event)) => Ok(event),
            Ok(None) => Err(TryRecvError::Empty),
            Err(_) => Err(TryRecvError::Disconnected),
        }
    }

    /// Every event waiting now, without blocking.
    pub fn drain(&self) -> Vec<T> {
        std::iter::from_fn(|| self.try_recv().ok()).collect()
    }
}

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
        let (commands, commands_rx) = mpsc::channel();
        let io = if endpoint.websocket {
            let socket = crate::ws::connect(&endpoint, options.connect_timeout)
                .map_err(|reason| api::connect_error(url, reason))?;
            Io::WebSocket(Box::new(WsLink {
                first: Some(socket),
                socket: None,
                connect_timeout: options.connect_timeout,
                roots: options.root_certificates.clone(),
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
        let core = ClientCore::new(conn, url, events);
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

    /// Test hook: shuts the WebSocket's TCP stream down as if the network
    /// dropped it, so the engine's reconnect and reclaim can be exercised.
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
/// the drop returns at once (fire and forget). Its handles are not
/// detached one by one: Janus ends them with the session.
#[derive(Debug)]
pub struct Session {
    client: Client,
    id: SessionId,
    origin: SessionOrigin,
    events: Events<SessionEvent>,
    owned: Owned,
}

impl Session {
    /// The session id.
    pub fn id(&self) -> SessionId {
        self.id
    }

    /// Sends `request` for this value; "unknown" is explained by its end.
    fn call(
        &self,
        request: Request,
        timeout: Option<Duration>,
        subscribe: Option<Subscriber>,
    ) -> Result<Reply, Error> {
        let result = self.client.call(request, timeout, subscribe);
        api::explain_ended(result, self.events.rx.ended())
    }

    /// Runs `work` on the engine; "unknown" is explained by its end.
    fn local<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Local<'_>) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let result = self.client.local(work).and_then(|r| r);
        api::explain_ended(result, self.events.rx.ended())
    }

    /// Whether it was created here or joined by `claim`.
    pub fn origin(&self) -> SessionOrigin {
        self.origin
    }

    /// The client it belongs to.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Its events: reclaimed, unknown messages, and finally `Ended`.
    pub fn events(&self) -> &Events<SessionEvent> {
        &self.events
    }

    /// `attach`: a handle on `plugin` (e.g. `janus.plugin.echotest`).
    pub fn attach(&self, plugin: &str) -> Result<Handle, Error> {
        self.attach_request(plugin, None)
    }

    /// `attach` with an opaque id (echoed in events when the server is
    /// configured to).
    pub fn attach_with(&self, plugin: &str, opaque_id: &str) -> Result<Handle, Error> {
        self.attach_request(plugin, Some(opaque_id.to_owned()))
    }

    fn attach_request(&self, plugin: &str, opaque_id: Option<String>) -> Result<Handle, Error> {
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
        let id = api::attached(self.call(request, None, subscribe)?)?;
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
    pub fn keepalive(&self) -> Result<(), Error> {
        let request = Request::Keepalive { session: self.id };
        self.call(request, None, None).map(drop)
    }

    /// `destroy`: ends the session and its handles on the server. The
    /// session's events end with `Ended(Destroyed)`; dropping it afterwards
    /// does nothing more. If it fails in a way that may leave the session
    /// alive (a timeout, a lost transport), dropping it later still tries.
    pub fn destroy(&self) -> Result<(), Error> {
        let result = self.call(self.owned.end_request(), None, None);
        self.owned.ended(result)
    }

    // ----- the session's lifetime ------------------------------------------

    /// Records activity on the session now (for example a request made for
    /// it elsewhere), pushing back its next keepalive and its expiry.
    pub fn touch(&self) -> Result<(), Error> {
        let id = self.id;
        self.local(move |e| e.touch(id))
    }

    /// Keeps the session from expiring for as long as the returned guard
    /// lives: keepalives are sent for it even if automatic keepalive is
    /// off, and it never expires locally. Holds are counted: the session
    /// may expire again once every guard is dropped.
    pub fn hold(&self) -> Result<Hold, Error> {
        let id = self.id;
        self.local(move |e| e.hold(id))?;
        Ok(Hold {
            client: self.client.clone(),
            session: id,
        })
    }

    /// Turns automatic keepalive on or off (for example for a claimed
    /// session whose other owner keeps it alive).
    pub fn set_keepalive(&self, on: bool) -> Result<(), Error> {
        let id = self.id;
        self.local(move |e| e.set_keepalive(id, on))
    }

    /// The session's lifetime now: its estimated expiry, the time left,
    /// holds and keepalive. An ended session is an error
    /// ([`CommandError::UnknownSession`](janus_core::CommandError::UnknownSession)).
    pub fn lifetime(&self) -> Result<SessionLifetime, Error> {
        let id = self.id;
        self.local(move |e| e.lifetime(id))
    }

    /// Whether the session is expired (or ended): its estimated server-side
    /// deadline passed with no sign of life, or it is gone.
    pub fn is_expired(&self) -> bool {
        self.lifetime().map_or(true, |l| l.expired)
    }

    /// The time left before the estimated expiry; `None` if it never
    /// expires (held, no server timeout) or it ended.
    pub fn time_left(&self) -> Option<Duration> {
        self.lifetime().ok().and_then(|l| l.time_left)
    }

    /// The estimated instant of expiry; `None` as for [`time_left`](Self::time_left).
    pub fn expires_at(&self) -> Option<Instant> {
        self.lifetime().ok().and_then(|l| l.expires_at)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(request) = self.owned.on_drop() {
            self.client.forget(request);
        }
    }
}

/// A hold on a session, from [`Session::hold`]: while it lives the
/// session is kept alive and never expires locally. Dropping it releases
/// the hold.
#[derive(Debug)]
pub struct Hold {
    client: Client,
    session: SessionId,
}

impl Drop for Hold {
    fn drop(&mut self) {
        let session = self.session;
        let release: LocalWork = Box::new(move |e| {
            e.release(session);
        });
        let _ = self.client.shared.send(Command::Local(release));
    }
}

/// A plugin handle in a [`Session`].
///
/// Dropping it detaches it on the server, unless it already ended or was
/// detached with [`detach`](Self::detach): the `detach` is queued and the
/// drop returns at once (fire and forget).
#[derive(Debug)]
pub struct Handle {
    client: Client,
    session: SessionId,
    id: HandleId,
    plugin: String,
    events: Events<HandleEvent>,
    owned: Owned,
}

impl Handle {
    /// The handle id.
    pub fn id(&self) -> HandleId {
        self.id
    }

    /// Sends `request` for this value; "unknown" is explained by its end.
    fn call(
        &self,
        request: Request,
        timeout: Option<Duration>,
        subscribe: Option<Subscriber>,
    ) -> Result<Reply, Error> {
        let result = self.client.call(request, timeout, subscribe);
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
    pub fn events(&self) -> &Events<HandleEvent> {
        &self.events
    }

    /// `message`: `body` (a JSON object) to the plugin. Returns the
    /// plugin's synchronous reply, or the event that follows the `ack`; a
    /// plugin failure is [`RequestError::Plugin`](janus_core::RequestError::Plugin).
    pub fn message(&self, body: Value) -> Result<PluginReply, Error> {
        self.message_with(body, None, None)
    }

    /// `message` with an SDP offer or answer.
    pub fn message_with_jsep(&self, body: Value, jsep: Jsep) -> Result<PluginReply, Error> {
        self.message_with(body, Some(jsep), None)
    }

    /// `message` with an optional SDP and a deadline of its own (`None`:
    /// `Config::request_timeout`).
    pub fn message_with(
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
        api::plugin_reply(self.call(request, timeout, None)?)
    }

    /// A typed plugin request (see [`janus_core::plugins`]): sent as a
    /// `message`, answered with the request's reply type. A request for
    /// another plugin than this handle's fails at once with
    /// [`Error::WrongPlugin`]; the plugin's refusal is
    /// [`RequestError::Plugin`](janus_core::RequestError::Plugin).
    pub fn send<Q: PluginRequest>(&self, request: &Q) -> Result<Q::Reply, Error> {
        self.send_with(request, None, None)
    }

    /// [`send`](Self::send) with an optional SDP and a deadline of its own.
    pub fn send_with<Q: PluginRequest>(
        &self,
        request: &Q,
        jsep: Option<Jsep>,
        timeout: Option<Duration>,
    ) -> Result<Q::Reply, Error> {
        let body = api::typed_body(request, &self.plugin)?;
        api::typed_reply::<Q>(self.message_with(body, jsep, timeout)?)
    }

    /// `trickle`: one ICE candidate, several, or end of candidates.
    pub fn trickle(&self, trickle: Trickle) -> Result<(), Error> {
        let request = Request::Trickle {
            handle: self.id,
            trickle,
        };
        self.call(request, None, None).map(drop)
    }

    /// `hangup`: closes the handle's PeerConnection (the handle stays).
    pub fn hangup(&self) -> Result<(), Error> {
        let request = Request::Hangup { handle: self.id };
        self.call(request, None, None).map(drop)
    }

    /// `detach`: ends the handle on the server. The handle's events end
    /// with `Ended(Detached)`; dropping it afterwards does nothing more.
    pub fn detach(&self) -> Result<(), Error> {
        let result = self.call(self.owned.end_request(), None, None);
        self.owned.ended(result)
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        if let Some(request) = self.owned.on_drop() {
            self.client.forget(request);
        }
    }
}
