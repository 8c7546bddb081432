//! Building a fleet: its servers, policy and health checks.

use super::*;

/// Builds a [`Fleet`]: its servers (each a name, a URL of any transport the
/// client speaks, and optionally its own [`Options`]), its [`Policy`] and
/// its health checks.
pub struct FleetBuilder<R> {
    servers: Vec<(String, String, Option<Options>)>,
    options: Options,
    policy: Policy,
    ping_interval: Duration,
    ping_timeout: Option<Duration>,
    runtime: std::marker::PhantomData<fn() -> R>,
}

impl<R> fmt::Debug for FleetBuilder<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FleetBuilder")
            .field("servers", &self.servers.len())
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> FleetBuilder<R> {
    pub(super) fn new() -> Self {
        FleetBuilder {
            servers: Vec::new(),
            options: Options::new(),
            policy: Policy::RoundRobin,
            ping_interval: PING_INTERVAL,
            ping_timeout: None,
            runtime: std::marker::PhantomData,
        }
    }

    /// Adds a server: its name in the fleet (unique) and its URL (`ws://`,
    /// `wss://`, `http://`, `https://`, `unix://`, `unix+dgram://`),
    /// connected with the fleet's default options.
    pub fn server(mut self, name: &str, url: &str) -> Self {
        self.servers.push((name.to_owned(), url.to_owned(), None));
        self
    }

    /// Adds a server connected with its own options.
    pub fn server_with(mut self, name: &str, url: &str, options: impl Into<Options>) -> Self {
        let options = Some(options.into());
        self.servers
            .push((name.to_owned(), url.to_owned(), options));
        self
    }

    /// The options of the servers added without their own (default:
    /// `Options::new()`). A fleet fails over best when a dead link fails
    /// fast: consider `Config::fail_fast_when_disconnected`, a short
    /// request timeout, and a bounded `ReconnectPolicy` (with the default
    /// one, the sessions of a server that stays down end only when their
    /// expiry estimate passes; they are claimed back if it returns first).
    pub fn options(mut self, options: impl Into<Options>) -> Self {
        self.options = options.into();
        self
    }

    /// The placement policy (default: [`Policy::RoundRobin`]).
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// How often each server is checked (default [`PING_INTERVAL`]): a
    /// `ping` on its connection, or a new connection if it has none.
    pub fn ping_interval(mut self, interval: Duration) -> Self {
        self.ping_interval = interval;
        self
    }

    /// How long a ping may take before the server counts as down (default:
    /// the ping interval, at most 5 s).
    pub fn ping_timeout(mut self, timeout: Duration) -> Self {
        self.ping_timeout = Some(timeout);
        self
    }

    /// Connects to every server at once and starts the health checks. A
    /// server that cannot be reached is down (and retried at each health
    /// check), not a failure; an empty list, a name used twice or a URL
    /// that cannot be used is.
    pub async fn connect(self) -> Result<Fleet<R>, FleetError> {
        if self.servers.is_empty() {
            return Err(FleetError::Empty);
        }
        let ping_timeout = self
            .ping_timeout
            .unwrap_or(self.ping_interval.min(Duration::from_secs(5)));
        let fleet = Fleet {
            inner: Arc::new(Inner {
                core: Mutex::new(FleetCore::new(self.policy)),
                slots: RwLock::new(Vec::new()),
                options: self.options,
                ping_interval: self.ping_interval,
                ping_timeout,
                closed: AtomicBool::new(false),
            }),
        };
        let mut added = Vec::new();
        for (name, url, options) in self.servers {
            added.push(fleet.inner.add(&name, &url, options)?);
        }
        join_all(added.iter().map(|&i| fleet.inner.start(i))).await;
        Ok(fleet)
    }
}
