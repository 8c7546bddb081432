//! A fleet: one object that drives N Janus servers, one connection each,
//! and places new sessions by a policy.
//!
//! The placement and health state is the sans-IO
//! [`janus_client::fleet::FleetCore`]; this module adds the connections,
//! the periodic health checks and the failover of [`Fleet::create_session`].

use std::fmt;
use std::ops::Deref;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use janus_client::fleet::{Failure, FleetCore, FleetError, Policy, ServerView};
use janus_client::Options;

use crate::client::{Client, Session};
use crate::runtime::{within, Runtime};

mod builder;
mod health;

pub use builder::FleetBuilder;

/// The default interval of the health check of each server.
pub const PING_INTERVAL: Duration = Duration::from_secs(5);

/// One connection (a [`Client`]) to each of N Janus servers, and the
/// placement of new sessions among them.
///
/// [`create_session`](Self::create_session) asks the [`Policy`] for a
/// server among those up and not draining; if that server fails (its
/// connection is lost, the request times out) it is marked down, and if
/// Janus answers that it accepts no new session (error 472, its Admin
/// API's `accept_new_sessions` off) it is marked draining; either way the
/// next candidate is tried. Each server is checked every ping interval
/// (a `ping`; a new connection if it has none), and a lost or regained
/// connection marks it at once (the fleet reads each client's
/// [`events`](Client::events), so leave those to it). A server down at
/// start is retried by its checks.
///
/// Session counts are the engines' own: a session counts until it ends
/// (destroyed, dropped, or ended by the server or a lost connection).
/// They are read from the engines by [`servers`](Self::servers), by each
/// health check, and before each placement by a policy that reads them
/// (`LeastSessions`, `Custom`); creations in flight count at once, so
/// concurrent callers spread out (a count read while a creation finishes
/// may be one off until the next read).
/// The fleet is cheap to clone; the health checks stop once every clone
/// is dropped or [`close`](Self::close) is called.
///
/// ```no_run
/// use janus_async::{Fleet, FleetError, Policy, Runtime};
///
/// async fn spread<R: Runtime>() -> Result<(), FleetError> {
///     let fleet = Fleet::<R>::connect(
///         [("a", "ws://10.0.0.1:8188"), ("b", "http://10.0.0.2:8088/janus")],
///         Policy::LeastSessions,
///     )
///     .await?;
///     let session = fleet.create_session().await?; // derefs to Session
///     println!("session {} on {}", session.id(), session.server());
///     fleet.drain("a")?; // new sessions go to b; a keeps its own
///     for server in fleet.servers().await {
///         println!("{}: {} sessions, {}", server.name, server.sessions, server.state);
///     }
///     Ok(())
/// }
/// ```
pub struct Fleet<R> {
    inner: Arc<Inner<R>>,
}

impl<R> Clone for Fleet<R> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<R> fmt::Debug for Fleet<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fleet")
            .field("core", &*lock(&self.inner.core))
            .finish_non_exhaustive()
    }
}

struct Inner<R> {
    core: Mutex<FleetCore>,
    /// In the order of the core's indices.
    slots: RwLock<Vec<Arc<Slot<R>>>>,
    /// Of the servers added without their own.
    options: Options,
    ping_interval: Duration,
    ping_timeout: Duration,
    /// Set by `close`: nothing is connected again.
    closed: AtomicBool,
}

struct Slot<R> {
    name: Arc<str>,
    url: String,
    options: Options,
    /// The client, if connected, with a generation that tells a newer
    /// client from the one a watcher follows.
    client: Mutex<(u64, Option<Client<R>>)>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A session created by a [`Fleet`], with the name of the server it is on.
/// It derefs to the [`Session`]; dropping it drops the session (which
/// destroys it on the server).
pub struct FleetSession<R> {
    server: Arc<str>,
    session: Session<R>,
}

impl<R> fmt::Debug for FleetSession<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FleetSession")
            .field("server", &self.server)
            .field("session", &self.session)
            .finish()
    }
}

impl<R> FleetSession<R> {
    /// The name of the server it is on.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The session itself.
    pub fn into_session(self) -> Session<R> {
        self.session
    }
}

impl<R> Deref for FleetSession<R> {
    type Target = Session<R>;

    fn deref(&self) -> &Session<R> {
        &self.session
    }
}

/// Counts a creation in flight on a server until dropped, so a cancelled
/// `create_session` leaves no count behind.
struct Creating<'a> {
    core: &'a Mutex<FleetCore>,
    server: usize,
    created: bool,
}

impl Drop for Creating<'_> {
    fn drop(&mut self) {
        lock(self.core).finish(self.server, self.created);
    }
}

impl<R: Runtime> Fleet<R> {
    /// A builder: add servers, set the policy, then
    /// [`connect`](FleetBuilder::connect).
    pub fn builder() -> FleetBuilder<R> {
        FleetBuilder::new()
    }

    /// Connects to `servers` (name and URL pairs) with the default options
    /// and health checks, placing sessions by `policy`.
    pub async fn connect<N: AsRef<str>, U: AsRef<str>>(
        servers: impl IntoIterator<Item = (N, U)>,
        policy: Policy,
    ) -> Result<Self, FleetError> {
        let builder = servers.into_iter().fold(Self::builder(), |b, (n, u)| {
            b.server(n.as_ref(), u.as_ref())
        });
        builder.policy(policy).connect().await
    }

    /// Creates a session on the server the policy chooses, failing over to
    /// the next candidate when a server is unreachable (then marked down)
    /// or refuses new sessions (then marked draining). Fails when no
    /// server may take it, saying why for each, or with
    /// [`FleetError::Server`] when a server answers an error that failing
    /// over would not cure.
    pub async fn create_session(&self) -> Result<FleetSession<R>, FleetError> {
        if self.inner.closed.load(Ordering::Relaxed) {
            return Err(FleetError::Closed);
        }
        let fresh = lock(&self.inner.core).policy().reads_sessions();
        if fresh {
            self.inner.refresh().await;
        }
        let placement = lock(&self.inner.core).place()?;
        for (n, &i) in placement.order().iter().enumerate() {
            // The first is begun by `place`; a later one may have changed
            // while an earlier candidate was tried.
            if n > 0 && !lock(&self.inner.core).try_begin(i) {
                continue;
            }
            let mut creating = Creating {
                core: &self.inner.core,
                server: i,
                created: false,
            };
            let slot = self.inner.slot(i);
            let Some((generation, client)) = slot.client() else {
                continue;
            };
            match client.create_session().await {
                Ok(session) => {
                    creating.created = true;
                    return Ok(FleetSession {
                        server: slot.name.clone(),
                        session,
                    });
                }
                Err(e) => {
                    let failure = lock(&self.inner.core).failed(i, Instant::now(), &e);
                    match failure {
                        Failure::Refusing => {}
                        Failure::Down if e.is_closed() => slot.forget(generation),
                        Failure::Down => {}
                        Failure::Fatal => {
                            return Err(FleetError::Server {
                                server: slot.name.to_string(),
                                source: e,
                            })
                        }
                    }
                }
            }
        }
        Err(FleetError::Unavailable(
            lock(&self.inner.core).unavailable(),
        ))
    }

    /// Each server, in the order they were added: name, URL, state and
    /// live sessions (counted by its client's engine now).
    pub async fn servers(&self) -> Vec<ServerView> {
        self.inner.refresh().await;
        lock(&self.inner.core).views()
    }

    /// Stops placing new sessions on the server named `name`; its sessions
    /// are kept and go on working.
    pub fn drain(&self, name: &str) -> Result<(), FleetError> {
        lock(&self.inner.core).set_drained(name, true)
    }

    /// Places new sessions on the server named `name` again (when it is up
    /// and Janus accepts them).
    pub fn undrain(&self, name: &str) -> Result<(), FleetError> {
        lock(&self.inner.core).set_drained(name, false)
    }

    /// Adds a server to the fleet (with the fleet's default options, or
    /// `options`): it is connected now, and takes sessions once up. A name
    /// already used, or a URL that cannot be used, is refused; a server
    /// that cannot be reached is added down and retried by its health
    /// checks.
    pub async fn add_server(
        &self,
        name: &str,
        url: &str,
        options: Option<Options>,
    ) -> Result<(), FleetError> {
        if self.inner.closed.load(Ordering::Relaxed) {
            return Err(FleetError::Closed);
        }
        let i = self.inner.add(name, url, options)?;
        self.inner.start(i).await;
        Ok(())
    }

    /// The client of the server named `name`, if it is connected now (for
    /// example to `claim` a session there, or to read its metrics).
    pub fn client(&self, name: &str) -> Result<Option<Client<R>>, FleetError> {
        let i = lock(&self.inner.core).find(name)?;
        Ok(self.inner.slot(i).client().map(|(_, c)| c))
    }

    /// Closes every connection (as [`Client::close`]: sessions still held
    /// end here, they are not destroyed on the server) and stops the
    /// health checks.
    pub async fn close(&self) {
        self.inner.closed.store(true, Ordering::Relaxed);
        let slots = self.inner.slots();
        let clients: Vec<Client<R>> = slots
            .iter()
            .filter_map(|slot| lock(&slot.client).1.take())
            .collect();
        for i in 0..slots.len() {
            lock(&self.inner.core).lost(i, Instant::now(), "the fleet is closed");
        }
        join_all(clients.iter().map(|c| c.close())).await;
    }
}

impl<R: Runtime> Inner<R> {
    /// Adds server `name` (down until connected) and returns its index.
    fn add(&self, name: &str, url: &str, options: Option<Options>) -> Result<usize, FleetError> {
        let options = options.unwrap_or_else(|| self.options.clone());
        options.resolve(url).map_err(|source| FleetError::Server {
            server: name.to_owned(),
            source,
        })?;
        // The core's lock is held while the slot is pushed, so indices agree.
        let mut core = lock(&self.core);
        let i = core.add(name, url, Instant::now())?;
        let mut slots = self.slots.write().unwrap_or_else(|e| e.into_inner());
        slots.push(Arc::new(Slot {
            name: name.into(),
            url: url.to_owned(),
            options,
            client: Mutex::new((0, None)),
        }));
        debug_assert_eq!(slots.len(), i + 1);
        Ok(i)
    }

    /// Connects server `i` and starts its health checks.
    async fn start(self: &Arc<Self>, i: usize) {
        self.reconnect(i).await;
        R::spawn(Box::pin(health::checks(Arc::downgrade(self), i)));
    }
}

impl<R> Inner<R> {
    fn slot(&self, i: usize) -> Arc<Slot<R>> {
        self.slots.read().unwrap_or_else(|e| e.into_inner())[i].clone()
    }

    fn slots(&self) -> Vec<Arc<Slot<R>>> {
        self.slots.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl<R> Slot<R> {
    fn client(&self) -> Option<(u64, Client<R>)> {
        let guard = lock(&self.client);
        guard.1.clone().map(|c| (guard.0, c))
    }

    /// Drops the client of `generation` (closed for good), if still there.
    fn forget(&self, generation: u64) {
        let mut guard = lock(&self.client);
        if guard.0 == generation {
            guard.1 = None;
        }
    }
}
