//! How to connect.

use crate::net::{self, Endpoint};
use crate::Error;
use janus_core::{Api, Config, KeepaliveInterval, ReconnectPolicy, Secret, Transport};
use std::time::Duration;

/// How to connect: the engine's [`Config`] plus a few adapter settings.
///
/// The transport comes from the URL given to
/// an adapter's `Client::connect_with`: for `ws://` and
/// `wss://` the URL becomes the first of `Config::servers` (other entries are
/// tried in turn when reconnecting); for `http://` and `https://` the
/// transport becomes [`Transport::HTTP`] unless an
/// HTTP transport is already set; `unix://` and `unix+dgram://` (Janus's
/// Unix-socket transport, see [`unix`](crate::unix)) are servers like a
/// WebSocket URL, and set `Config::max_request_size` to 8 KiB unless it is
/// set already.
///
/// ```
/// use janus_client::Options;
/// use janus_client::janus_core::{KeepaliveInterval, ReconnectPolicy};
/// use std::time::Duration;
///
/// let options = Options::new()
///     .api_secret("janusrocks")
///     .request_timeout(Duration::from_secs(5))
///     .keepalive(KeepaliveInterval::Fixed(Duration::from_secs(10)))
///     .reconnect(ReconnectPolicy { max_attempts: 2, ..ReconnectPolicy::default() })
///     .configure(|c| c.max_in_flight = 100);
/// ```
#[derive(Clone, Debug)]
pub struct Options {
    /// The engine configuration.
    pub config: Config,
    /// The bound of the TCP connect plus the WebSocket (and TLS) handshake
    /// (10 s by default).
    pub connect_timeout: Duration,
    /// Whether `connect` sends `info` first (true by default).
    pub fetch_info: bool,
    /// DER certificates to trust for `wss://` and `https://` **instead of**
    /// the webpki roots (for a Janus behind a private CA or a self-signed
    /// certificate); empty by default: the webpki roots.
    pub root_certificates: Vec<Vec<u8>>,
    /// How many unread events each stream (a session's, a handle's, the
    /// client's) keeps: past that the oldest are dropped and the reader
    /// gets a `Lagged { dropped }` event instead (1024 by default).
    pub event_capacity: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            config: Config::default(),
            connect_timeout: Duration::from_secs(10),
            fetch_info: true,
            root_certificates: Vec::new(),
            event_capacity: 1024,
        }
    }
}

impl From<Config> for Options {
    fn from(config: Config) -> Self {
        Self::new().config(config)
    }
}

impl Options {
    /// The defaults: `Config::default()`, a 10 s connect timeout, and an
    /// `info` request at connect.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the engine configuration.
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Changes the engine configuration in place.
    pub fn configure(mut self, f: impl FnOnce(&mut Config)) -> Self {
        f(&mut self.config);
        self
    }

    /// The engine configuration as it stands.
    pub fn engine_config(&self) -> &Config {
        &self.config
    }

    /// `apisecret` added to every request.
    pub fn api_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.config.api_secret = Some(secret.into());
        self
    }

    /// `token` added to every request (stored-token authentication).
    pub fn token(mut self, token: impl Into<Secret>) -> Self {
        self.config.token = Some(token.into());
        self
    }

    /// Admin API: `admin_secret` added to every request.
    pub fn admin_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.config.admin_secret = Some(secret.into());
        self
    }

    /// The default deadline of each request.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.config.request_timeout = timeout;
        self
    }

    /// The keepalive interval of sessions this client keeps alive.
    pub fn keepalive(mut self, interval: KeepaliveInterval) -> Self {
        self.config.keepalive_interval = interval;
        self
    }

    /// What to do when the WebSocket drops.
    pub fn reconnect(mut self, policy: ReconnectPolicy) -> Self {
        self.config.reconnect = policy;
        self
    }

    /// Tells the engine the server's `session_timeout` (zero: sessions
    /// never expire) instead of learning it from `info`.
    pub fn session_timeout(mut self, timeout: Duration) -> Self {
        self.config.session_timeout = timeout;
        self.config.learn_from_info = false;
        self
    }

    /// The bound of the TCP connect plus the WebSocket (and TLS) handshake.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Trusts the DER certificate `der` for `wss://` and `https://`; once
    /// any is given, only the given ones are trusted (see
    /// [`root_certificates`](Self::root_certificates)).
    pub fn root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(der.into());
        self
    }

    /// How many unread events each stream keeps before dropping the
    /// oldest (see [`event_capacity`](Self::event_capacity)).
    pub fn event_capacity(mut self, events: usize) -> Self {
        self.event_capacity = events;
        self
    }

    /// Whether `Client::connect` sends `info` (default true): over HTTP it
    /// is the only proof that the server answers, and its reply teaches the
    /// engine the server's session timeout, from which the automatic
    /// keepalive interval follows.
    pub fn fetch_info(mut self, on: bool) -> Self {
        self.fetch_info = on;
        self
    }

    /// Where `url` points and the engine configuration to reach it with:
    /// the scheme (any case) picks the transport; a WebSocket URL becomes
    /// the first of `Config::servers`; an HTTP URL switches a WebSocket
    /// configuration to [`Transport::HTTP`].
    pub fn resolve(&self, url: &str) -> Result<(Endpoint, Config), Error> {
        let bad_url = |reason: String| Error::Url {
            url: url.to_owned(),
            reason,
        };
        let endpoint = net::endpoint(url, &self.root_certificates)
            .map_err(bad_url)?
            .with_max_frame_size(self.config.max_frame_size)
            .for_api(self.config.api);
        if !endpoint.websocket {
            check_http_path(url, self.config.api).map_err(bad_url)?;
        }
        let mut config = self.config.clone();
        if config.seed == 0 {
            // The engine's randomness (reconnect jitter), drawn here.
            config.seed = random(0x6a61_6e75_735f_7273) | 1;
        }
        if endpoint.unix.is_some() && config.max_request_size == 0 {
            config.max_request_size = janus_core::UNIX_MAX_REQUEST;
        }
        if endpoint.amqp.is_some() {
            // Janus never learns that an AMQP client went away: a broker
            // link that drops and comes back leaves the sessions as they
            // were, and keepalives are what keeps them.
            config.link_holds_sessions = false;
            // A server that is silent behind a live broker is not a dead
            // link (the broker's heartbeats watch the link itself): its
            // requests time out, and the link stays.
            config.link_timeout = std::time::Duration::ZERO;
            // Janus reads no more of a request: never let a longer one out.
            config.max_request_size = match config.max_request_size {
                0 => crate::amqp::AMQP_MAX_REQUEST,
                n => n.min(crate::amqp::AMQP_MAX_REQUEST),
            };
            // Replies of other clients on the same binding are told apart
            // by this prefix: drawn afresh for each client (not from the
            // seed, which may be set alike in two processes). One set by
            // hand must be unique to the client.
            if config.transaction_prefix.is_empty() {
                config.transaction_prefix = format!("j{:x}-", random(0x616d_7170));
            }
        }
        match (endpoint.websocket, config.transport) {
            (true, Transport::WebSocket) => {
                config.servers.retain(|s| s != &endpoint.url && s != url);
                config.servers.insert(0, endpoint.url.clone());
            }
            (false, Transport::WebSocket) => config.transport = Transport::HTTP,
            (false, _) => {}
            (true, _) => return Err(bad_url("a WebSocket URL with an HTTP configuration".into())),
        }
        Ok((endpoint, config))
    }
}

/// 64 random bits (the process's hasher keys, fresh for each call), mixed
/// with `salt`.
fn random(salt: u64) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(salt);
    hasher.finish()
}

/// Refuses an HTTP URL whose path names the other API's default base path
/// (`/admin` for a Janus API client, `/janus` for an Admin API client):
/// Janus would answer `info` on either and refuse everything else.
fn check_http_path(url: &str, api: Api) -> Result<(), String> {
    let path = url
        .split_once("://")
        .map_or("", |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
    let last = path
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    match (api, last) {
        (Api::Janus, "admin") => Err(
            "this is the Admin API endpoint: connect an AdminClient to it, or a Client to the \
             Janus API (e.g. http://host:8088/janus)"
                .into(),
        ),
        (Api::Admin, "janus") => Err(
            "this is the Janus API endpoint: connect a Client to it, or an AdminClient to the \
             Admin API (e.g. http://host:7088/admin)"
                .into(),
        ),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amqp_urls_are_servers_whose_link_holds_no_session() {
        let (endpoint, config) = Options::new()
            .resolve("AMQP://u:p@broker:5673/%2f?server=A")
            .unwrap();
        assert!(endpoint.websocket && endpoint.unix.is_none());
        assert_eq!((endpoint.host.as_str(), endpoint.port), ("broker", 5673));
        assert_eq!(endpoint.url, "amqp://u:p@broker:5673/%2f?server=A");
        assert_eq!(endpoint.amqp.as_ref().unwrap().to_janus, "to-janus.A");
        assert_eq!(config.servers, [endpoint.url.as_str()]);
        assert!(!config.link_holds_sessions);
        assert_eq!(config.link_timeout, std::time::Duration::ZERO);
        assert_eq!(config.max_request_size, crate::amqp::AMQP_MAX_REQUEST);
        assert!(config.transaction_prefix.starts_with('j'));
        let (_, other) = Options::new().resolve("amqp://broker").unwrap();
        assert_ne!(config.transaction_prefix, other.transaction_prefix);
        // Even with one seed set alike in two processes.
        let seeded = Options::new().configure(|c| c.seed = 7);
        let (a, b) = (
            seeded.resolve("amqp://h").unwrap().1,
            seeded.resolve("amqp://h").unwrap().1,
        );
        assert_ne!(a.transaction_prefix, b.transaction_prefix);
        let big = Options::new().configure(|c| c.max_request_size = 1 << 20);
        let capped = big.resolve("amqp://h").unwrap().1.max_request_size;
        assert_eq!(capped, crate::amqp::AMQP_MAX_REQUEST);
        let options = Options::new().configure(|c| c.transaction_prefix = "mine-".into());
        assert_eq!(
            options
                .resolve("amqp://broker")
                .unwrap()
                .1
                .transaction_prefix,
            "mine-"
        );
        let admin = Options::new()
            .configure(|c| c.api = janus_core::Api::Admin)
            .resolve("amqp://broker?server=B")
            .unwrap()
            .0;
        assert_eq!(admin.amqp.unwrap().to_janus, "to-janus-admin.B");
        let e = Options::new().resolve("amqps://broker").unwrap_err();
        assert!(e.to_string().contains("not supported"), "{e}");
    }

    #[test]
    fn unix_urls_are_servers_with_the_8k_request_limit() {
        let (endpoint, config) = Options::new().resolve("unix:///run/janus.sock").unwrap();
        assert!(endpoint.websocket && endpoint.unix.is_some());
        assert_eq!(config.transport, Transport::WebSocket);
        assert_eq!(config.servers, ["unix:///run/janus.sock"]);
        assert_eq!(config.max_request_size, janus_core::UNIX_MAX_REQUEST);
        // A limit the caller chose stays.
        let options = Options::new().configure(|c| c.max_request_size = 4096);
        let (_, config) = options.resolve("unix+dgram:///run/janus.sock").unwrap();
        assert_eq!(config.max_request_size, 4096);
        // Other transports have none.
        let (_, config) = Options::new().resolve("ws://127.0.0.1:8188").unwrap();
        assert_eq!(config.max_request_size, 0);
        let bad = Options::new().resolve("unix://").unwrap_err().to_string();
        assert!(bad.contains("no socket path"), "{bad}");
    }
}
