//! The adapter under test, behind one trait, so that every scenario is
//! written once and reads like the user code it tests.
//!
//! [`Adapter`] names an adapter's client, session and handle types and how
//! to run a scenario. [`ClientApi`], [`SessionApi`] and [`HandleApi`] are
//! the public API the adapters share, as `async fn`s: the async adapters
//! forward to their futures, the blocking adapter calls its blocking method
//! inside (its scenarios run under a trivial executor, so the call simply
//! blocks). Implementations: [`Blocking`] (`janus-blocking`) and
//! [`Async<E>`] (`janus-async`) on the executors [`OnTokio`] (`janus-tokio`),
//! [`OnSmol`] and [`OnAsyncStd`] (`janus-smol` under either executor).

use futures_util::future::{select, Either};
use futures_util::{stream, StreamExt};
use janus_async::janus_core::admin::AdminCall;
use janus_async::janus_core::plugins::{Plugin, PluginRequest};
use janus_async::janus_core::serde_json::Value;
use janus_async::janus_core::{
    Footprint, HandleId, Jsep, PluginReply, ServerInfo, SessionId, SessionOrigin, Trickle,
};
use janus_async::{
    ClientEvent, Error, HandleEvent, Metrics, Options, Runtime, SessionEvent, SessionLifetime,
    TypedEvent,
};
use std::fmt::Debug;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::pin;
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::{Duration, Instant};

/// One adapter: its types and how its scenarios run.
pub trait Adapter: Sized + 'static {
    /// Its name in messages.
    const NAME: &'static str;
    /// Whether its calls are futures that the caller may drop half-way
    /// (then what a dropped create or attach made must be undone).
    const CANCELLABLE: bool;
    /// Whether dropping the last value of a connection (client, session or
    /// handle) waits for the destroys and detaches its drops queued.
    const LAST_DROP_WAITS: bool;

    /// Its client.
    type Client: ClientApi<Session = Self::Session>;
    /// Its session.
    type Session: SessionApi<Handle = Self::Handle>;
    /// Its handle.
    type Handle: HandleApi;
    /// Its Admin API client.
    type Admin: AdminApi;

    /// Runs a scenario to its end on the calling thread.
    fn block_on<F: Future>(scenario: F) -> F::Output;

    /// Waits `duration` (blocking the thread for the blocking adapter).
    async fn sleep(duration: Duration);

    /// `future`'s output, or `None` if `timeout` passes first. The
    /// blocking adapter cannot interrupt a call: its future always runs to
    /// the end.
    async fn within<T>(timeout: Duration, future: impl Future<Output = T>) -> Option<T>;

    /// The outputs of `task(0)` to `task(n - 1)`, up to `at_once` of them
    /// in flight together: interleaved on one task for the async adapters,
    /// spread over threads (at most [`BLOCKING_THREADS`], each running its
    /// share one after the other) for the blocking adapter.
    async fn join_all<T: Send, F: Future<Output = T>>(
        n: usize,
        at_once: usize,
        task: impl Fn(usize) -> F + Sync,
    ) -> Vec<T>;
}

/// What waiting for the next event saw.
#[derive(Debug, PartialEq)]
pub enum Next<T> {
    /// An event.
    Event(T),
    /// Nothing within the time allowed.
    Quiet,
    /// The end of the stream.
    Over,
}

/// A stream of events (a client's, a session's or a handle's).
pub trait EventStream<T: Debug> {
    /// The next event, waiting at most `timeout` (zero: only what is there).
    async fn next_within(&mut self, timeout: Duration) -> Next<T>;
    /// Every event waiting now.
    fn drain(&mut self) -> Vec<T>;
}

/// A connection to one Janus server.
pub trait ClientApi: Clone + Debug + Send + Sync + Sized + 'static {
    /// Its sessions.
    type Session: SessionApi;
    /// What tells whether its thread or driver task has stopped.
    type Watch: DriverWatch;
    /// `Client::connect`.
    async fn connect(url: &str) -> Result<Self, Error>;
    /// `Client::connect_with`.
    async fn connect_with(url: &str, options: Options) -> Result<Self, Error>;
    /// The server's `info`, fetched at connect.
    fn server_info(&self) -> Option<&ServerInfo>;
    /// The connection's events.
    fn events(&self) -> impl EventStream<ClientEvent> + '_;
    /// `ping`.
    async fn ping(&self) -> Result<(), Error>;
    /// `create`.
    async fn create_session(&self) -> Result<Self::Session, Error>;
    /// `claim`.
    async fn claim(&self, session: SessionId, keepalive: bool) -> Result<Self::Session, Error>;
    /// What the engine holds.
    async fn footprint(&self) -> Result<Footprint, Error>;
    /// Figures for monitoring.
    async fn metrics(&self) -> Result<Metrics, Error>;
    /// Closes the connection (the driver stops).
    async fn close(&self);
    /// Test hook: the WebSocket's TCP stream fails.
    fn drop_transport(&self) -> Result<(), Error>;
    /// A watch on its thread or driver task that outlives the client.
    fn watch(&self) -> Self::Watch;
}

/// An Admin API client.
pub trait AdminApi: Clone + Debug + Send + Sync + Sized + 'static {
    /// `AdminClient::connect_with`.
    async fn connect_with(url: &str, options: Options) -> Result<Self, Error>;
    /// `AdminClient::call`.
    async fn call<C: AdminCall>(&self, call: C) -> Result<C::Reply, Error>;
    /// `AdminClient::info`.
    async fn info(&self) -> Result<ServerInfo, Error>;
    /// `AdminClient::ping`.
    async fn ping(&self) -> Result<(), Error>;
    /// `AdminClient::close`.
    async fn close(&self);
}

/// Implements [`AdminApi`] by forwarding to an adapter's `AdminClient`.
macro_rules! forward_admin {
    ($(<$g:ident: $bound:path>)? admin: $admin:ty, call: [$($call:tt)*]) => {
        impl$(<$g: $bound>)? AdminApi for $admin {
            async fn connect_with(url: &str, options: Options) -> Result<Self, Error> {
                <$admin>::connect_with(url, options) $($call)*
            }
            async fn call<C: AdminCall>(&self, call: C) -> Result<C::Reply, Error> {
                <$admin>::call(self, call) $($call)*
            }
            async fn info(&self) -> Result<ServerInfo, Error> {
                <$admin>::info(self) $($call)*
            }
            async fn ping(&self) -> Result<(), Error> {
                <$admin>::ping(self) $($call)*
            }
            async fn close(&self) {
                <$admin>::close(self) $($call)*
            }
        }
    };
}

/// Tells whether a client's thread or driver task has stopped.
pub trait DriverWatch {
    /// Whether it stops within 3 s.
    async fn stops(self) -> bool;
}

/// A session.
pub trait SessionApi: Debug + Send + Sync + Sized + 'static {
    /// Its handles.
    type Handle: HandleApi;
    /// Its id.
    fn id(&self) -> SessionId;
    /// Created or claimed.
    fn origin(&self) -> SessionOrigin;
    /// Its events.
    fn events(&self) -> impl EventStream<SessionEvent> + '_;
    /// `attach`.
    async fn attach(&self, plugin: &str) -> Result<Self::Handle, Error>;
    /// `attach_as::<P>()`.
    async fn attach_as<P: Plugin>(&self) -> Result<Self::Handle, Error>;
    /// `attach` with an opaque id.
    async fn attach_with(&self, plugin: &str, opaque_id: &str) -> Result<Self::Handle, Error>;
    /// `keepalive`.
    async fn keepalive(&self) -> Result<(), Error>;
    /// `destroy`.
    async fn destroy(&self) -> Result<(), Error>;
    /// Records activity now.
    async fn touch(&self) -> Result<(), Error>;
    /// A hold that keeps it alive while the guard lives.
    async fn hold(&self) -> Result<Box<dyn Send + Sync>, Error>;
    /// Turns automatic keepalive on or off.
    async fn set_keepalive(&self, on: bool) -> Result<(), Error>;
    /// Its lifetime now.
    async fn lifetime(&self) -> Result<SessionLifetime, Error>;
    /// Whether it is expired (or ended).
    async fn is_expired(&self) -> bool;
}

/// A plugin handle.
pub trait HandleApi: Debug + Send + Sync + Sized + 'static {
    /// Its id.
    fn id(&self) -> HandleId;
    /// Its session's id.
    fn session_id(&self) -> SessionId;
    /// Its plugin.
    fn plugin(&self) -> &str;
    /// Its events.
    fn events(&self) -> impl EventStream<HandleEvent> + '_;
    /// `message`.
    async fn message(&self, body: Value) -> Result<PluginReply, Error>;
    /// A typed plugin request.
    async fn send<Q: PluginRequest + Sync>(&self, request: &Q) -> Result<Q::Reply, Error>;
    /// `message` with an SDP.
    async fn message_with_jsep(&self, body: Value, jsep: Jsep) -> Result<PluginReply, Error>;
    /// `message` with an optional SDP and a deadline of its own.
    async fn message_with(
        &self,
        body: Value,
        jsep: Option<Jsep>,
        timeout: Option<Duration>,
    ) -> Result<PluginReply, Error>;
    /// `trickle`.
    async fn trickle(&self, trickle: Trickle) -> Result<(), Error>;
    /// `hangup`.
    async fn hangup(&self) -> Result<(), Error>;
    /// `detach`.
    async fn detach(&self) -> Result<(), Error>;
    /// The next event of `typed_events::<P>()`, waiting at most `timeout`.
    async fn next_typed<P: Plugin>(&self, timeout: Duration) -> Result<Next<TypedEvent<P>>, Error>;
}

/// Implements [`ClientApi`], [`SessionApi`] and [`HandleApi`] for one
/// adapter's types: each method calls the adapter's own method of the same
/// name (`call` is what follows the call: `.await` for the async adapters,
/// nothing for the blocking one), and `events` turns the adapter's event
/// receiver into an [`EventStream`].
macro_rules! forward_api {
    (
        $(<$g:ident: $bound:path>)?
        client: $client:ty, session: $session:ty,
        handle: $handle:ty, events: $events:expr,
        next_typed: $next_typed:ident $(<$extra:ty>)?,
        watch: $watch:ty = |$c:ident| $make_watch:expr,
        call: [$($call:tt)*],
    ) => {
        impl$(<$g: $bound>)? ClientApi for $client {
            type Session = $session;
            type Watch = $watch;

            async fn connect(url: &str) -> Result<Self, Error> {
                <$client>::connect(url) $($call)*
            }
            async fn connect_with(url: &str, options: Options) -> Result<Self, Error> {
                <$client>::connect_with(url, options) $($call)*
            }
            fn server_info(&self) -> Option<&ServerInfo> {
                <$client>::server_info(self)
            }
            fn events(&self) -> impl EventStream<ClientEvent> + '_ {
                $events(<$client>::events(self))
            }
            async fn ping(&self) -> Result<(), Error> {
                <$client>::ping(self) $($call)*
            }
            async fn create_session(&self) -> Result<Self::Session, Error> {
                <$client>::create_session(self) $($call)*
            }
            async fn claim(&self, session: SessionId, keepalive: bool) -> Result<Self::Session, Error> {
                <$client>::claim(self, session, keepalive) $($call)*
            }
            async fn footprint(&self) -> Result<Footprint, Error> {
                <$client>::footprint(self) $($call)*
            }
            async fn metrics(&self) -> Result<Metrics, Error> {
                <$client>::metrics(self) $($call)*
            }
            async fn close(&self) {
                <$client>::close(self) $($call)*
            }
            fn drop_transport(&self) -> Result<(), Error> {
                <$client>::drop_transport(self)
            }
            fn watch(&self) -> Self::Watch {
                let $c = self;
                $make_watch
            }
        }

        impl$(<$g: $bound>)? SessionApi for $session {
            type Handle = $handle;

            fn id(&self) -> SessionId {
                <$session>::id(self)
            }
            fn origin(&self) -> SessionOrigin {
                <$session>::origin(self)
            }
            fn events(&self) -> impl EventStream<SessionEvent> + '_ {
                $events(<$session>::events(self))
            }
            async fn attach(&self, plugin: &str) -> Result<Self::Handle, Error> {
                <$session>::attach(self, plugin) $($call)*
            }
            async fn attach_as<P: Plugin>(&self) -> Result<Self::Handle, Error> {
                <$session>::attach_as::<P>(self) $($call)*
            }
            async fn attach_with(&self, plugin: &str, opaque_id: &str) -> Result<Self::Handle, Error> {
                <$session>::attach_with(self, plugin, opaque_id) $($call)*
            }
            async fn keepalive(&self) -> Result<(), Error> {
                <$session>::keepalive(self) $($call)*
            }
            async fn destroy(&self) -> Result<(), Error> {
                <$session>::destroy(self) $($call)*
            }
            async fn touch(&self) -> Result<(), Error> {
                <$session>::touch(self) $($call)*
            }
            async fn hold(&self) -> Result<Box<dyn Send + Sync>, Error> {
                let hold = <$session>::hold(self) $($call)*?;
                Ok(Box::new(hold))
            }
            async fn set_keepalive(&self, on: bool) -> Result<(), Error> {
                <$session>::set_keepalive(self, on) $($call)*
            }
            async fn lifetime(&self) -> Result<SessionLifetime, Error> {
                <$session>::lifetime(self) $($call)*
            }
            async fn is_expired(&self) -> bool {
                <$session>::is_expired(self) $($call)*
            }
        }

        impl$(<$g: $bound>)? HandleApi for $handle {
            fn id(&self) -> HandleId {
                <$handle>::id(self)
            }
            fn session_id(&self) -> SessionId {
                <$handle>::session_id(self)
            }
            fn plugin(&self) -> &str {
                <$handle>::plugin(self)
            }
            fn events(&self) -> impl EventStream<HandleEvent> + '_ {
                $events(<$handle>::events(self))
            }
            async fn message(&self, body: Value) -> Result<PluginReply, Error> {
                <$handle>::message(self, body) $($call)*
            }
            async fn send<Q: PluginRequest + Sync>(&self, request: &Q) -> Result<Q::Reply, Error> {
                <$handle>::send(self, request) $($call)*
            }
            async fn message_with_jsep(&self, body: Value, jsep: Jsep) -> Result<PluginReply, Error> {
                <$handle>::message_with_jsep(self, body, jsep) $($call)*
            }
            async fn message_with(
                &self,
                body: Value,
                jsep: Option<Jsep>,
                timeout: Option<Duration>,
            ) -> Result<PluginReply, Error> {
                <$handle>::message_with(self, body, jsep, timeout) $($call)*
            }
            async fn trickle(&self, trickle: Trickle) -> Result<(), Error> {
                <$handle>::trickle(self, trickle) $($call)*
            }
            async fn hangup(&self) -> Result<(), Error> {
                <$handle>::hangup(self) $($call)*
            }
            async fn detach(&self) -> Result<(), Error> {
                <$handle>::detach(self) $($call)*
            }
            async fn next_typed<P: Plugin>(
                &self,
                timeout: Duration,
            ) -> Result<Next<TypedEvent<P>>, Error> {
                $next_typed::<P $(, $extra)?>(self, timeout).await
            }
        }
    };
}

// ----- the blocking adapter ---------------------------------------------------

/// `janus-blocking`: every call blocks its thread.
pub struct Blocking;

/// How many threads the blocking adapter's [`Adapter::join_all`] spreads
/// its tasks over at the most.
pub const BLOCKING_THREADS: usize = 50;

impl Adapter for Blocking {
    const NAME: &'static str = "blocking";
    // A blocking call returns only once it is over: there is no future to
    // drop half-way, so the cancellation scenario does not apply.
    const CANCELLABLE: bool = false;
    // The last drop joins the background thread, which first gives queued
    // destroys and detaches up to 2 s.
    const LAST_DROP_WAITS: bool = true;

    type Client = janus_blocking::Client;
    type Session = janus_blocking::Session;
    type Handle = janus_blocking::Handle;
    type Admin = janus_blocking::AdminClient;

    /// A trivial executor: nothing a blocking scenario awaits returns
    /// `Pending`, so the first poll runs it to its end (the loop only
    /// makes this a correct executor for anything else).
    fn block_on<F: Future>(scenario: F) -> F::Output {
        struct Unpark(thread::Thread);
        impl Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.0.unpark()
            }
        }
        let waker = Waker::from(Arc::new(Unpark(thread::current())));
        let mut cx = Context::from_waker(&waker);
        let mut scenario = pin!(scenario);
        loop {
            if let Poll::Ready(output) = scenario.as_mut().poll(&mut cx) {
                return output;
            }
            thread::park();
        }
    }

    async fn sleep(duration: Duration) {
        thread::sleep(duration)
    }

    async fn within<T>(_timeout: Duration, future: impl Future<Output = T>) -> Option<T> {
        Some(future.await)
    }

    async fn join_all<T: Send, F: Future<Output = T>>(
        n: usize,
        at_once: usize,
        task: impl Fn(usize) -> F + Sync,
    ) -> Vec<T> {
        let threads = n.min(at_once).clamp(1, BLOCKING_THREADS);
        let task = &task;
        let mut done: Vec<(usize, T)> = thread::scope(|s| {
            let workers: Vec<_> = (0..threads)
                .map(|first| {
                    s.spawn(move || {
                        (first..n)
                            .step_by(threads)
                            .map(|i| (i, Self::block_on(task(i))))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, t)| t).collect()
    }
}

impl<T: Debug> EventStream<T> for &janus_blocking::Events<T> {
    async fn next_within(&mut self, timeout: Duration) -> Next<T> {
        match self.recv_timeout(timeout) {
            Ok(event) => Next::Event(event),
            Err(RecvTimeoutError::Timeout) => Next::Quiet,
            Err(RecvTimeoutError::Disconnected) => Next::Over,
        }
    }

    fn drain(&mut self) -> Vec<T> {
        janus_blocking::Events::drain(self)
    }
}

/// The blocking client's thread is joined by `close` and by the drop of
/// the last value that holds the client (`Adapter::LAST_DROP_WAITS`), so
/// once either has returned the thread has stopped.
pub struct Joined;

impl DriverWatch for Joined {
    async fn stops(self) -> bool {
        true
    }
}

forward_admin!(admin: janus_blocking::AdminClient, call: []);

forward_api! {
    client: janus_blocking::Client, session: janus_blocking::Session,
    handle: janus_blocking::Handle, events: std::convert::identity,
    next_typed: blocking_next_typed,
    watch: Joined = |_client| Joined,
    call: [],
}

// ----- the async adapters -------------------------------------------------------

/// An executor and the runtime glue that goes with it.
pub trait Executor: 'static {
    /// Its name in messages.
    const NAME: &'static str;
    /// The `janus_async::Runtime` of the adapter run on it.
    type Runtime: Runtime;
    /// Runs `future` to its end on the calling thread.
    fn block_on<F: Future>(future: F) -> F::Output;
}

/// `janus-tokio` on a two-worker multi-thread runtime.
pub struct OnTokio;

impl Executor for OnTokio {
    const NAME: &'static str = "tokio";
    type Runtime = janus_tokio::Tokio;
    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
            .block_on(future)
    }
}

/// `janus-smol` under `smol::block_on`.
pub struct OnSmol;

impl Executor for OnSmol {
    const NAME: &'static str = "smol";
    type Runtime = janus_smol::Smol;
    fn block_on<F: Future>(future: F) -> F::Output {
        smol::block_on(future)
    }
}

/// `janus-smol` under async-std's executor.
pub struct OnAsyncStd;

impl Executor for OnAsyncStd {
    const NAME: &'static str = "async-std";
    type Runtime = janus_smol::Smol;
    fn block_on<F: Future>(future: F) -> F::Output {
        async_std::task::block_on(future)
    }
}

/// `janus-async` with the runtime glue of `E`, run on `E`.
pub struct Async<E>(PhantomData<E>);

impl<E: Executor> Adapter for Async<E> {
    const NAME: &'static str = E::NAME;
    const CANCELLABLE: bool = true;
    // A drop returns at once; the driver task finishes the work on its own.
    const LAST_DROP_WAITS: bool = false;

    type Client = janus_async::Client<E::Runtime>;
    type Session = janus_async::Session<E::Runtime>;
    type Handle = janus_async::Handle<E::Runtime>;
    type Admin = janus_async::AdminClient<E::Runtime>;

    fn block_on<F: Future>(scenario: F) -> F::Output {
        E::block_on(scenario)
    }

    async fn sleep(duration: Duration) {
        E::Runtime::sleep_until(Instant::now() + duration).await
    }

    async fn within<T>(timeout: Duration, future: impl Future<Output = T>) -> Option<T> {
        within::<E::Runtime, T>(timeout, future).await
    }

    async fn join_all<T: Send, F: Future<Output = T>>(
        n: usize,
        at_once: usize,
        task: impl Fn(usize) -> F + Sync,
    ) -> Vec<T> {
        stream::iter((0..n).map(task))
            .buffered(at_once.max(1))
            .collect()
            .await
    }
}

async fn within<R: Runtime, T>(timeout: Duration, future: impl Future<Output = T>) -> Option<T> {
    match select(pin!(future), R::sleep_until(Instant::now() + timeout)).await {
        Either::Left((output, _)) => Some(output),
        Either::Right(_) => None,
    }
}

/// The next typed event of an async handle.
async fn async_next_typed<P: Plugin, R: Runtime>(
    handle: &janus_async::Handle<R>,
    timeout: Duration,
) -> Result<Next<TypedEvent<P>>, Error> {
    let mut events = handle.typed_events::<P>()?;
    Ok(match within::<R, _>(timeout, events.next()).await {
        Some(Some(event)) => Next::Event(event),
        Some(None) => Next::Over,
        None => Next::Quiet,
    })
}

/// The next typed event of a blocking handle.
async fn blocking_next_typed<P: Plugin>(
    handle: &janus_blocking::Handle,
    timeout: Duration,
) -> Result<Next<TypedEvent<P>>, Error> {
    Ok(match handle.typed_events::<P>()?.recv_timeout(timeout) {
        Ok(event) => Next::Event(event),
        Err(RecvTimeoutError::Timeout) => Next::Quiet,
        Err(RecvTimeoutError::Disconnected) => Next::Over,
    })
}

/// An async event stream with the timer of the runtime `R`.
pub struct AsyncEvents<R, T>(janus_async::Events<T>, PhantomData<R>);

impl<R: Runtime, T: Debug + Send + 'static> EventStream<T> for AsyncEvents<R, T> {
    async fn next_within(&mut self, timeout: Duration) -> Next<T> {
        if timeout.is_zero() {
            // Only what is there, without a timer (`try_next` cannot tell
            // an empty stream from a finished one: both are quiet here).
            return self.0.try_next().map_or(Next::Quiet, Next::Event);
        }
        match within::<R, _>(timeout, self.0.next()).await {
            Some(Some(event)) => Next::Event(event),
            Some(None) => Next::Over,
            None => Next::Quiet,
        }
    }

    fn drain(&mut self) -> Vec<T> {
        self.0.drain()
    }
}

fn events<R, T>(events: janus_async::Events<T>) -> AsyncEvents<R, T> {
    AsyncEvents(events, PhantomData)
}

/// The async driver task holds the sending end of the client's event
/// stream: the stream ends when the task stops.
impl<R: Runtime> DriverWatch for AsyncEvents<R, ClientEvent> {
    async fn stops(mut self) -> bool {
        within::<R, _>(Duration::from_secs(3), async {
            while self.0.next().await.is_some() {}
        })
        .await
        .is_some()
    }
}

forward_admin!(<R: Runtime> admin: janus_async::AdminClient<R>, call: [.await]);

forward_api! {
    <R: Runtime>
    client: janus_async::Client<R>, session: janus_async::Session<R>,
    handle: janus_async::Handle<R>, events: events::<R, _>,
    next_typed: async_next_typed<R>,
    watch: AsyncEvents<R, ClientEvent> = |client| events::<R, _>(janus_async::Client::events(client)),
    call: [.await],
}
