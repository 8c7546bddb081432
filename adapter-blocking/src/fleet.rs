//! A fleet: one connection to each of N Janus servers, and the placement
//! of new sessions among them, for blocking code.
//!
//! The placement and health state is the sans-IO
//! [`janus_client::fleet::FleetCore`] the async fleet also uses; this
//! module adds the clients, a health-check thread per server and the
//! failover of [`Fleet::create_session`].

use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock, Weak};
use std::time::{Duration, Instant};

use janus_client::fleet::{Failure, FleetCore, FleetError, Policy, ServerView};
use janus_client::Options;

use crate::{Client, Session};

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
/// next candidate is tried. A thread per server checks it every ping
/// interval (a `ping`, bounded by the client's request timeout; a new
/// connection if it has none; a probe session while Janus refuses new
/// ones). Session counts are the engines' own. The threads stop when the
/// last clone of the fleet is dropped or [`close`](Self::close) is called.
///
/// ```no_run
/// use janus_blocking::{Fleet, Policy};
///
/// let fleet = Fleet::connect(
///     [("a", "ws://10.0.0.1:8188"), ("b", "http://10.0.0.2:8088/janus")],
///     Policy::LeastSessions,
/// )?;
/// let session = fleet.create_session()?; // derefs to Session
/// println!("session {} on {}", session.id(), session.server());
/// fleet.drain("a")?; // new sessions go to b; a keeps its own
/// for server in fleet.servers() {
///     println!("{}: {} sessions, {}", server.name, server.sessions, server.state);
/// }
/// # Ok::<(), janus_blocking::FleetError>(())
/// ```
#[derive(Clone)]
pub struct Fleet {
    inner: Arc<Inner>,
}

impl fmt::Debug for Fleet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fleet")
            .field("core", &*lock(&self.inner.core))
            .finish_non_exhaustive()
    }
}

struct Inner {
    core: Mutex<FleetCore>,
    /// In the order of the core's indices.
    slots: RwLock<Vec<Arc<Slot>>>,
    /// Set when the fleet is closed or dropped; wakes the health threads.
    stop: Arc<(Mutex<bool>, Condvar)>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        stop(&self.stop);
    }
}

struct Slot {
    name: Arc<str>,
    url: String,
    options: Options,
    client: Mutex<Option<Client>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn stop(flag: &(Mutex<bool>, Condvar)) {
    *lock(&flag.0) = true;
    flag.1.notify_all();
}

/// A session created by a [`Fleet`], with the name of the server it is on.
/// It derefs to the [`Session`]; dropping it drops the session (which
/// destroys it on the server).
#[derive(Debug)]
pub struct FleetSession {
    server: Arc<str>,
    session: Session,
}

impl FleetSession {
    /// The name of the server it is on.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The session itself.
    pub fn into_session(self) -> Session {
        self.session
    }
}

impl Deref for FleetSession {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.session
    }
}

impl Fleet {
    /// Connects to `servers` (name and URL pairs) with the default options
    /// and health checks, placing sessions by `policy`.
    pub fn connect<N: AsRef<str>, U: AsRef<str>>(
        servers: impl IntoIterator<Item = (N, U)>,
        policy: Policy,
    ) -> Result<Fleet, FleetError> {
        Self::connect_with(servers, policy, Options::new(), PING_INTERVAL)
    }

    /// Connects to `servers` with `options` for every client, checking
    /// each server every `ping_interval`. A server that cannot be reached
    /// now is down, and retried by its checks; a URL that cannot be used,
    /// or two servers of one name, fail the call.
    pub fn connect_with<N: AsRef<str>, U: AsRef<str>>(
        servers: impl IntoIterator<Item = (N, U)>,
        policy: Policy,
        options: Options,
        ping_interval: Duration,
    ) -> Result<Fleet, FleetError> {
        let inner = Arc::new(Inner {
            core: Mutex::new(FleetCore::new(policy)),
            slots: RwLock::default(),
            stop: Arc::default(),
        });
        for (name, url) in servers {
            let (name, url) = (name.as_ref(), url.as_ref());
            options.resolve(url).map_err(|source| FleetError::Server {
                server: name.to_owned(),
                source,
            })?;
            let mut core = lock(&inner.core);
            core.add(name, url, Instant::now())?;
            inner
                .slots
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .push(Arc::new(Slot {
                    name: name.into(),
                    url: url.to_owned(),
                    options: options.clone(),
                    client: Mutex::new(None),
                }));
        }
        let count = inner.slots().len();
        if count == 0 {
            return Err(FleetError::Empty);
        }
        // Connected side by side, then each watched by a thread of its own.
        std::thread::scope(|s| {
            for i in 0..count {
                let inner = &inner;
                s.spawn(move || inner.reconnect(i));
            }
        });
        for i in 0..count {
            let (fleet, stop, interval) =
                (Arc::downgrade(&inner), inner.stop.clone(), ping_interval);
            std::thread::Builder::new()
                .name(format!("janus-fleet-{i}"))
                .spawn(move || checks(fleet, stop, interval, i))
                .map_err(|e| FleetError::Server {
                    server: inner.slot(i).name.to_string(),
                    source: janus_client::Error::Io(e),
                })?;
        }
        Ok(Fleet { inner })
    }

    /// Creates a session on the server the policy chooses, failing over to
    /// the next candidate when a server is unreachable (then marked down)
    /// or refuses new sessions (then marked draining). Fails when no
    /// server may take it, saying why for each, or with
    /// [`FleetError::Server`] when a server answers an error that failing
    /// over would not cure.
    pub fn create_session(&self) -> Result<FleetSession, FleetError> {
        if *lock(&self.inner.stop.0) {
            return Err(FleetError::Closed);
        }
        if lock(&self.inner.core).policy().reads_sessions() {
            self.inner.refresh();
        }
        let placement = lock(&self.inner.core).place()?;
        for (n, &i) in placement.order().iter().enumerate() {
            // The first is begun by `place`; a later one may have changed
            // while an earlier candidate was tried.
            if n > 0 && !lock(&self.inner.core).try_begin(i) {
                continue;
            }
            let slot = self.inner.slot(i);
            let Some(client) = lock(&slot.client).clone() else {
                lock(&self.inner.core).finish(i, false);
                continue;
            };
            let created = client.create_session();
            lock(&self.inner.core).finish(i, created.is_ok());
            let e = match created {
                Ok(session) => {
                    return Ok(FleetSession {
                        server: slot.name.clone(),
                        session,
                    })
                }
                Err(e) => e,
            };
            let failure = lock(&self.inner.core).failed(i, Instant::now(), &e);
            match failure {
                Failure::Refusing => {}
                Failure::Down if e.is_closed() => *lock(&slot.client) = None,
                Failure::Down => {}
                Failure::Fatal => {
                    return Err(FleetError::Server {
                        server: slot.name.to_string(),
                        source: e,
                    })
                }
            }
        }
        Err(FleetError::Unavailable(
            lock(&self.inner.core).unavailable(),
        ))
    }

    /// Each server, in the order given: name, URL, state and live sessions
    /// (counted by its client's engine now).
    pub fn servers(&self) -> Vec<ServerView> {
        self.inner.refresh();
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

    /// The client of the server named `name`, if it is connected now.
    pub fn client(&self, name: &str) -> Result<Option<Client>, FleetError> {
        let i = lock(&self.inner.core).find(name)?;
        Ok(lock(&self.inner.slot(i).client).clone())
    }

    /// Closes every connection (as [`Client::close`]) and stops the health
    /// checks.
    pub fn close(&self) {
        stop(&self.inner.stop);
        for (i, slot) in self.inner.slots().iter().enumerate() {
            if let Some(client) = lock(&slot.client).take() {
                client.close();
            }
            lock(&self.inner.core).lost(i, Instant::now(), "the fleet is closed");
        }
    }
}

impl Inner {
    fn slot(&self, i: usize) -> Arc<Slot> {
        self.slots.read().unwrap_or_else(|e| e.into_inner())[i].clone()
    }

    fn slots(&self) -> Vec<Arc<Slot>> {
        self.slots.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Connects server `i`: up with its new client, or down with why not.
    fn reconnect(&self, i: usize) {
        let slot = self.slot(i);
        match Client::connect_with(&slot.url, slot.options.clone()) {
            Ok(client) => {
                if *lock(&self.stop.0) {
                    return client.close();
                }
                *lock(&slot.client) = Some(client);
                lock(&self.core).alive(i, Instant::now());
            }
            Err(e) => lock(&self.core).lost(i, Instant::now(), e.to_string()),
        }
    }

    /// One health check of server `i` (see [`Fleet`]).
    fn check(&self, i: usize) {
        let slot = self.slot(i);
        let Some(client) = lock(&slot.client).clone() else {
            return self.reconnect(i);
        };
        let now = Instant::now();
        match client.ping() {
            Ok(()) => lock(&self.core).alive(i, now),
            // An error answer is still an answer.
            Err(e) if e.janus_error().is_some() => lock(&self.core).alive(i, now),
            Err(e) => {
                if e.is_closed() {
                    *lock(&slot.client) = None;
                }
                return lock(&self.core).lost(i, now, format!("ping failed: {e}"));
            }
        }
        if let Ok(metrics) = client.metrics() {
            lock(&self.core).set_sessions(i, metrics.footprint.sessions);
        }
        if lock(&self.core).is_refusing(i) {
            if let Ok(probe) = client.create_session() {
                lock(&self.core).accepting(i);
                let _ = probe.destroy();
            }
        }
    }

    /// Sets each server's session count from its client's engine (none
    /// without a client).
    fn refresh(&self) {
        for (i, slot) in self.slots().iter().enumerate() {
            let client = lock(&slot.client).clone();
            let sessions = client.map_or(0, |c| c.metrics().map_or(0, |m| m.footprint.sessions));
            lock(&self.core).set_sessions(i, sessions);
        }
    }
}

/// The health checks of server `i`, every `interval`, until the fleet is
/// closed or gone.
fn checks(fleet: Weak<Inner>, stop: Arc<(Mutex<bool>, Condvar)>, interval: Duration, i: usize) {
    loop {
        let until = Instant::now() + interval;
        let mut stopped = lock(&stop.0);
        while !*stopped {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            stopped = stop
                .1
                .wait_timeout(stopped, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        if *stopped {
            return;
        }
        drop(stopped);
        let Some(inner) = fleet.upgrade() else {
            return;
        };
        inner.check(i);
    }
}
