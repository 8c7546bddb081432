//! Engine configuration.

use std::fmt;
use std::time::Duration;

/// Which Janus transport the engine speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Transport {
    /// One WebSocket connection (subprotocol `janus-protocol`) carries every
    /// session; the engine emits text frames and asks the adapter to
    /// (re)connect. A Unix socket (`SOCK_SEQPACKET` or `SOCK_DGRAM`, one
    /// JSON document per packet) speaks this flavour too.
    WebSocket,
    /// Each request is an HTTP POST whose response body is the reply; events
    /// arrive through one long poll per session that the engine keeps armed.
    Http {
        /// The `maxev` of each long poll (1 or more).
        max_events: u32,
    },
}

impl Transport {
    /// The HTTP transport with janus.js's `maxev` of 10.
    pub const HTTP: Transport = Transport::Http { max_events: 10 };

    pub(crate) fn name(self) -> &'static str {
        match self {
            Transport::WebSocket => "WebSocket",
            Transport::Http { .. } => "HTTP",
        }
    }
}

/// The most bytes Janus 1.1.2's Unix-socket transport (`janus.transport.pfunix`)
/// reads of one request: over a `SOCK_SEQPACKET` socket a longer request is
/// dropped without an answer, over `SOCK_DGRAM` it is answered with an error
/// that names no transaction.
pub const UNIX_MAX_REQUEST: usize = 8192;

/// Which of Janus's two APIs a connection speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Api {
    /// The Janus API (sessions, handles, plugins): WebSocket subprotocol
    /// `janus-protocol`, HTTP base path `/janus` by default.
    #[default]
    Janus,
    /// The Admin API (server state, sessions and handles of every client,
    /// logging, tokens): WebSocket subprotocol `janus-admin-protocol`, HTTP
    /// base path `/admin` by default. Only `info`, `ping` and
    /// [`Request::Admin`](crate::Request::Admin) requests may be sent, each
    /// carrying [`Config::admin_secret`]; nothing is kept alive.
    Admin,
}

impl Api {
    /// The WebSocket subprotocol Janus requires for this API.
    pub fn subprotocol(self) -> &'static str {
        match self {
            Api::Janus => "janus-protocol",
            Api::Admin => "janus-admin-protocol",
        }
    }

    /// The name of the API, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Api::Janus => "Janus API",
            Api::Admin => "Admin API",
        }
    }
}

/// A secret string (API secret or token): its `Debug` output is redacted.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self(s)
    }
}

/// What to do when a WebSocket connection drops.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReconnectPolicy {
    /// How many connection attempts in a row may fail before the engine
    /// gives up; 0 disables reconnecting (every session is lost with the
    /// transport); `u32::MAX` (the default) never gives up, which is what a
    /// service wants: a Janus restart of any length is survived, and
    /// sessions still end when their expiry estimate passes.
    pub max_attempts: u32,
    /// The wait before the first attempt; it doubles after each failure.
    pub initial_backoff: Duration,
    /// The cap of the wait between attempts.
    pub max_backoff: Duration,
    /// Whether each wait is drawn between half of it and all of it (so that
    /// many clients of a restarted server do not come back in lockstep),
    /// from [`Config::seed`].
    pub jitter: bool,
}

impl ReconnectPolicy {
    /// No reconnect: a dropped transport ends every session.
    pub const NEVER: ReconnectPolicy = ReconnectPolicy {
        max_attempts: 0,
        initial_backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
        jitter: false,
    };

    /// Whether the engine never gives up reconnecting.
    pub fn is_forever(&self) -> bool {
        self.max_attempts == u32::MAX
    }

    /// The wait before attempt number `attempt` (0-based) of a series.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX);
        self.initial_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }
}

impl Default for ReconnectPolicy {
    fn default() -> Self {
        Self {
            max_attempts: u32::MAX,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            jitter: true,
        }
    }
}

/// How often the engine sends `keepalive` for an idle session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeepaliveInterval {
    /// Half the server's session timeout (as configured, or as learned from
    /// `info`), at most 25 s (janus.js's interval for the default 60 s).
    Auto,
    /// A fixed interval.
    Fixed(Duration),
}

/// The engine's settings. `Config::default()` suits a stock Janus over WebSocket.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// WebSocket or HTTP.
    pub transport: Transport,
    /// The server addresses to connect to (WebSocket transport), tried in turn
    /// when reconnecting. The engine passes them back in
    /// [`Output::Connect`](crate::Output::Connect); it never parses them.
    pub servers: Vec<String>,
    /// The default deadline of each request (a command can set its own).
    pub request_timeout: Duration,
    /// The server's `session_timeout`, as far as the caller knows;
    /// `Duration::ZERO` means sessions never expire. The engine uses it until
    /// an `info` reply reports the server's own value (unless
    /// `learn_from_info` is false); the value in force is
    /// [`Connection::session_timeout`](crate::Connection::session_timeout),
    /// and this field keeps what the caller gave.
    pub session_timeout: Duration,
    /// Whether the session timeout an `info` reply reports replaces
    /// `session_timeout` in the engine.
    pub learn_from_info: bool,
    /// The keepalive interval.
    pub keepalive_interval: KeepaliveInterval,
    /// How long past the estimated server deadline a session is still taken
    /// as alive (the server's watchdog fires 2 to 4 s late).
    pub expiry_grace: Duration,
    /// Retries of idempotent requests (`keepalive`, `info`, `ping`) whose
    /// transport failed.
    pub max_retries: u32,
    /// The wait before such a retry.
    pub retry_delay: Duration,
    /// What to do when the WebSocket drops.
    pub reconnect: ReconnectPolicy,
    /// `apisecret` added to every request.
    pub api_secret: Option<Secret>,
    /// `token` added to every request.
    pub token: Option<Secret>,
    /// The Janus API or the Admin API.
    pub api: Api,
    /// Admin API: `admin_secret` added to every request (Janus asks for it
    /// on every admin request but `info` and `ping` when its
    /// `admin_secret` setting is on).
    pub admin_secret: Option<Secret>,
    /// The largest inbound frame or body accepted, in bytes.
    pub max_frame_size: usize,
    /// Whether Janus ties this connection's sessions to it, as it does for
    /// a WebSocket (the default, `true`): after a reconnect each session is
    /// claimed back. Over RabbitMQ Janus never learns that a client went
    /// away, so a broker link that drops and comes back changes nothing
    /// for the sessions: with `false` they simply go on after the
    /// reconnect, unclaimed, kept alive by their keepalives.
    pub link_holds_sessions: bool,
    /// The largest request the transport can carry, in bytes, or 0 for no
    /// limit (the default). A request whose JSON text is longer fails at
    /// once with [`CommandError::RequestTooLarge`](crate::CommandError::RequestTooLarge)
    /// and nothing is sent. Janus's Unix-socket transport reads at most
    /// 8 KiB per request ([`UNIX_MAX_REQUEST`]) and drops or refuses a
    /// longer one; the adapters set this for `unix://` URLs.
    pub max_request_size: usize,
    /// The most requests in flight at once (automatic keepalives and
    /// reclaims are not counted).
    pub max_in_flight: usize,
    /// A prefix for every `transaction` string (the rest is the request id).
    pub transaction_prefix: String,
    /// The first request id to use (transaction ids count up from here).
    pub first_request_id: u64,
    /// HTTP: the longest a long poll may stay unanswered before the engine
    /// gives up on it and arms a new one (the server answers within 30 s).
    pub long_poll_timeout: Duration,
    /// HTTP: the first wait before re-arming a long poll that failed; it
    /// doubles with each failure in a row.
    pub poll_retry_initial: Duration,
    /// HTTP: the cap of that wait.
    pub poll_retry_max: Duration,
    /// What a request made while the WebSocket is down (between a drop and
    /// the reconnect) does: `false` (the default), it waits for the link
    /// within its own timeout and is sent once connected; `true`, it fails
    /// at once with [`CommandError::NotConnected`](crate::CommandError::NotConnected).
    pub fail_fast_when_disconnected: bool,
    /// WebSocket: how long after sending something the engine waits for
    /// anything at all from the server before it takes the link as dead (a
    /// silent partition: a proxy or NAT that swallows traffic without
    /// closing the connection), closes it ([`Output::Close`](crate::Output::Close))
    /// and reconnects and reclaims as after any drop. Keepalives make sure
    /// something is sent at least every keepalive interval, so a dead link
    /// is found within that interval plus this timeout. Zero disables it.
    pub link_timeout: Duration,
    /// The seed of the engine's only randomness (the reconnect jitter). The
    /// same seed gives the same run; the adapters pick a random one when it
    /// is 0 (the default).
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            transport: Transport::WebSocket,
            servers: Vec::new(),
            request_timeout: Duration::from_secs(15),
            session_timeout: Duration::from_secs(60),
            learn_from_info: true,
            keepalive_interval: KeepaliveInterval::Auto,
            expiry_grace: Duration::from_secs(5),
            max_retries: 2,
            retry_delay: Duration::from_millis(500),
            reconnect: ReconnectPolicy::default(),
            api_secret: None,
            token: None,
            api: Api::Janus,
            admin_secret: None,
            max_frame_size: 4 << 20,
            link_holds_sessions: true,
            max_request_size: 0,
            max_in_flight: 10_000,
            transaction_prefix: String::new(),
            first_request_id: 1,
            long_poll_timeout: Duration::from_secs(45),
            poll_retry_initial: Duration::from_millis(100),
            poll_retry_max: Duration::from_secs(5),
            fail_fast_when_disconnected: false,
            link_timeout: Duration::from_secs(10),
            seed: 0,
        }
    }
}

impl Config {
    /// The default WebSocket configuration for one server address.
    pub fn websocket(server: impl Into<String>) -> Self {
        Self {
            servers: vec![server.into()],
            ..Self::default()
        }
    }

    /// The default HTTP configuration (`maxev` 10).
    pub fn http() -> Self {
        Self {
            transport: Transport::HTTP,
            reconnect: ReconnectPolicy::NEVER,
            ..Self::default()
        }
    }

    /// An Admin API configuration over WebSocket, for one server address
    /// (subprotocol `janus-admin-protocol`, port 7188 by default).
    pub fn admin_websocket(server: impl Into<String>) -> Self {
        Self {
            api: Api::Admin,
            ..Self::websocket(server)
        }
    }

    /// An Admin API configuration over HTTP (base path `/admin`, port 7088
    /// by default).
    pub fn admin_http() -> Self {
        Self {
            api: Api::Admin,
            ..Self::http()
        }
    }

    /// The keepalive interval in force for the given server session timeout.
    pub(crate) fn effective_keepalive(&self, session_timeout: Duration) -> Duration {
        match self.keepalive_interval {
            KeepaliveInterval::Fixed(d) => d.max(Duration::from_millis(1)),
            KeepaliveInterval::Auto => {
                let cap = Duration::from_secs(25);
                if session_timeout.is_zero() {
                    cap
                } else {
                    (session_timeout / 2).clamp(Duration::from_millis(1), cap)
                }
            }
        }
    }
}
