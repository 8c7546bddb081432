//! Real-server test rig: one private Janus process per [`JanusServer`].
//!
//! [`JanusServer::builder`] writes a lean configuration into a fresh temporary
//! directory, picks free loopback ports, starts `janus -F <dir>` in the
//! foreground and waits until it is ready. Every listener (HTTP, HTTP admin,
//! WebSocket, WebSocket admin) is bound to `127.0.0.1`; the pfunix, RabbitMQ,
//! MQTT and Nanomsg transports, all event handlers and all loggers are
//! disabled, and no STUN/TURN server is configured, so nothing is contacted
//! outside the machine.
//!
//! Dropping the server SIGKILLs the process, reaps it and removes the
//! directory. If the dropping thread is panicking (a failing test), the
//! server's log is printed to stderr first.
//!
//! Errors are returned as [`RigError`], whose `Debug` output equals its
//! readable `Display` output, so `.start().unwrap()` in a test prints a clear
//! multi-line message (including the server log where there is one).
//!
//! If the `janus` binary is missing, [`JanusServerBuilder::start`] fails with
//! [`RigError::JanusNotFound`], whose message contains the install command
//! [`INSTALL_COMMAND`]. Tests are never skipped silently.
//!
//! As root, Janus is started through `setpriv --bounding-set -net_raw` (when
//! util-linux's `setpriv` works here) so that usrsctp cannot open its two raw
//! SCTP sockets on the wildcard address; the process id is still Janus's.
//!
//! Note on ICE: Janus 1.1.2 never gathers candidates on the loopback interface
//! (and an `ice_enforce_list` that matches no other interface makes libnice
//! fall back to *all* interfaces), so media sockets, which only exist once a
//! PeerConnection is negotiated, bind to the host's interface addresses.
//! They are UDP sockets bound to specific addresses (never a wildcard), and
//! without STUN/TURN they contact nothing by themselves.

use std::collections::HashSet;
use std::fmt;
use std::fs::{self, File};
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tempfile::TempDir;

use crate::http;

/// The command that installs the Janus server this rig needs.
pub const INSTALL_COMMAND: &str = "apt-get update && apt-get install -y janus";

/// Plugins loaded when [`JanusServerBuilder::plugins`] is not called.
pub const DEFAULT_PLUGINS: &[&str] = &["echotest", "videoroom"];

/// Admin secret used when [`JanusServerBuilder::admin_secret`] is not called
/// (the value of the stock configuration).
pub const DEFAULT_ADMIN_SECRET: &str = "janusoverlord";

/// Default bound on how long [`JanusServerBuilder::start`] waits for readiness.
pub const DEFAULT_STARTUP_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the binary is looked for after `PATH`.
const FALLBACK_BINARY: &str = "/usr/bin/janus";
/// Attempts (with fresh ports) when a listener could not bind or Janus's
/// pfunix thread lost its start-up race (under load, several in a row).
const MAX_ATTEMPTS: usize = 8;

/// The Unix-socket transport's Janus API socket, in the server's directory.
const UNIX_SOCKET: &str = "janus.sock";

/// Its Admin API socket.
const ADMIN_UNIX_SOCKET: &str = "admin.sock";
/// Readiness poll interval.
const POLL_INTERVAL: Duration = Duration::from_millis(20);
/// Timeout of the public HTTP helpers (a long poll returns within 30 s).
const HTTP_TIMEOUT: Duration = Duration::from_secs(65);

static INSTANCE_COUNTER: AtomicU64 = AtomicU64::new(0);
static TRANSACTION_COUNTER: AtomicU64 = AtomicU64::new(0);
/// Ports handed out by this process, so parallel tests never share one.
static USED_PORTS: Mutex<Option<HashSet<u16>>> = Mutex::new(None);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn next_transaction() -> String {
    format!(
        "rig-{}-{}",
        std::process::id(),
        TRANSACTION_COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Everything that can go wrong while starting or talking to the server.
///
/// `Debug` prints the same readable text as `Display`.
#[non_exhaustive]
pub enum RigError {
    /// No `janus` binary was found. The message names the install command
    /// ([`INSTALL_COMMAND`]).
    JanusNotFound {
        /// The places that were checked.
        searched: Vec<PathBuf>,
    },
    /// The binary was found but its plugin/transport directory was not.
    LibDirNotFound {
        /// The directories that were checked.
        searched: Vec<PathBuf>,
    },
    /// A plugin given to [`JanusServerBuilder::plugins`] is not installed.
    UnknownPlugin {
        /// The name as given.
        name: String,
        /// The short names of the installed plugins.
        available: Vec<String>,
    },
    /// A local I/O operation failed (temp dir, config files, spawning).
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: io::Error,
    },
    /// The server process exited before it became ready.
    Exited {
        /// Its exit status.
        status: ExitStatus,
        /// The server log.
        log: String,
    },
    /// The server did not become ready in time.
    StartupTimeout {
        /// How long we waited.
        waited: Duration,
        /// What was still missing.
        missing: String,
        /// The server log.
        log: String,
    },
    /// The server reported a fatal error while starting (usually a listener
    /// that could not bind). The rig retries this with fresh ports first.
    StartupFailed {
        /// Why the start is considered failed.
        reason: String,
        /// The server log.
        log: String,
    },
    /// An HTTP exchange with the server failed at the transport level.
    Http {
        /// The URL.
        url: String,
        /// The I/O error.
        source: io::Error,
    },
    /// A response was not the expected JSON.
    BadResponse {
        /// The URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The raw body.
        body: String,
        /// What was wrong.
        reason: String,
    },
    /// Janus answered, but not with `"janus":"success"`.
    Api {
        /// The request that was sent.
        request: Value,
        /// The reply.
        reply: Value,
    },
}

impl fmt::Display for RigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RigError::JanusNotFound { searched } => write!(
                f,
                "the Janus server binary `janus` was not found (searched: {}); \
                 install it with: {INSTALL_COMMAND}",
                display_paths(searched)
            ),
            RigError::LibDirNotFound { searched } => write!(
                f,
                "the Janus plugin/transport directory (with transports/libjanus_http.so \
                 and transports/libjanus_websockets.so) was not found (searched: {}); \
                 (re)install Janus with: {INSTALL_COMMAND}",
                display_paths(searched)
            ),
            RigError::UnknownPlugin { name, available } => write!(
                f,
                "Janus plugin {name:?} is not installed; available: {}",
                available.join(", ")
            ),
            RigError::Io { context, source } => write!(f, "{context}: {source}"),
            RigError::Exited { status, log } => write!(
                f,
                "janus exited before it was ready ({status})\n{}",
                framed_log(log)
            ),
            RigError::StartupTimeout {
                waited,
                missing,
                log,
            } => write!(
                f,
                "janus was not ready after {waited:?} (still missing: {missing})\n{}",
                framed_log(log)
            ),
            RigError::StartupFailed { reason, log } => {
                write!(f, "janus failed to start: {reason}\n{}", framed_log(log))
            }
            RigError::Http { url, source } => write!(f, "HTTP request to {url} failed: {source}"),
            RigError::BadResponse {
                url,
                status,
                body,
                reason,
            } => write!(
                f,
                "unexpected response from {url} (HTTP {status}): {reason}; body: {body:?}"
            ),
            RigError::Api { request, reply } => {
                write!(f, "Janus rejected {request}: {reply}")
            }
        }
    }
}

impl fmt::Debug for RigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for RigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RigError::Io { source, .. } | RigError::Http { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn framed_log(log: &str) -> String {
    format!("----- janus log -----\n{log}\n----- end of janus log -----")
}

fn io_err(context: impl Into<String>) -> impl FnOnce(io::Error) -> RigError {
    let context = context.into();
    move |source| RigError::Io { context, source }
}

// ---------------------------------------------------------------------------
// Minimal public HTTP helpers
// ---------------------------------------------------------------------------

/// A response from [`http_get`] / [`http_post`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// Body (lossily decoded as UTF-8; Janus sends JSON or nothing).
    pub body: String,
}

impl HttpResponse {
    /// Parses the body as JSON.
    pub fn json(&self) -> Result<Value, RigError> {
        serde_json::from_str(&self.body).map_err(|e| RigError::BadResponse {
            url: String::new(),
            status: self.status,
            body: self.body.clone(),
            reason: format!("invalid JSON: {e}"),
        })
    }
}

fn do_request(
    method: &str,
    url: &str,
    body: Option<&str>,
    timeout: Duration,
) -> Result<HttpResponse, RigError> {
    let resp = http::request(method, url, body.map(str::as_bytes), timeout).map_err(|source| {
        RigError::Http {
            url: url.to_string(),
            source,
        }
    })?;
    Ok(HttpResponse {
        status: resp.status,
        body: String::from_utf8_lossy(&resp.body).into_owned(),
    })
}

/// `GET url` with a minimal std-only HTTP/1.1 client (`Connection: close`,
/// 65 s timeout, no redirects). Only `http://` URLs are supported.
pub fn http_get(url: &str) -> Result<HttpResponse, RigError> {
    do_request("GET", url, None, HTTP_TIMEOUT)
}

/// `POST url` with a JSON `body` (`Content-Type: application/json`), using
/// the same minimal client as [`http_get`].
pub fn http_post(url: &str, body: &str) -> Result<HttpResponse, RigError> {
    do_request("POST", url, Some(body), HTTP_TIMEOUT)
}

/// POSTs `body` and returns the reply parsed as JSON. Fails unless the HTTP
/// status is 200 and the body is JSON; does **not** check `"janus"`.
pub fn http_post_json(url: &str, body: &Value) -> Result<Value, RigError> {
    let resp = http_post(url, &body.to_string())?;
    json_200(url, resp)
}

fn json_200(url: &str, resp: HttpResponse) -> Result<Value, RigError> {
    if resp.status != 200 {
        return Err(RigError::BadResponse {
            url: url.to_string(),
            status: resp.status,
            body: resp.body,
            reason: "expected HTTP 200".into(),
        });
    }
    serde_json::from_str(&resp.body).map_err(|e| RigError::BadResponse {
        url: url.to_string(),
        status: resp.status,
        body: resp.body.clone(),
        reason: format!("invalid JSON: {e}"),
    })
}

// ---------------------------------------------------------------------------
// Locating Janus
// ---------------------------------------------------------------------------

fn is_executable(p: &Path) -> bool {
    fs::metadata(p)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Finds the `janus` binary: `$JANUS_BIN` if set, else the first `janus` on
/// `PATH`, else `/usr/bin/janus`. The error message of a miss contains
/// [`INSTALL_COMMAND`].
pub fn find_janus() -> Result<PathBuf, RigError> {
    if let Some(bin) = std::env::var_os("JANUS_BIN") {
        let bin = PathBuf::from(bin);
        return if is_executable(&bin) {
            Ok(bin)
        } else {
            Err(RigError::JanusNotFound {
                searched: vec![bin],
            })
        };
    }
    let mut searched = Vec::new();
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join("janus");
            if is_executable(&candidate) {
                return Ok(candidate);
            }
            searched.push(candidate);
        }
    }
    let fallback = PathBuf::from(FALLBACK_BINARY);
    if is_executable(&fallback) {
        return Ok(fallback);
    }
    searched.push(fallback);
    Err(RigError::JanusNotFound { searched })
}

/// When running as root, usrsctp (data channels) opens two raw SCTP sockets
/// bound to the wildcard address at Janus startup. Janus does not need them
/// (SCTP runs over DTLS), so as root the rig starts Janus through
/// `setpriv --bounding-set -net_raw` (util-linux), which makes those sockets
/// fail to open. Returns the `setpriv` path when that is possible here.
fn drop_net_raw_wrapper() -> Option<&'static Path> {
    static WRAPPER: OnceLock<Option<PathBuf>> = OnceLock::new();
    WRAPPER
        .get_or_init(|| {
            let status = fs::read_to_string("/proc/self/status").ok()?;
            let euid = status
                .lines()
                .find_map(|l| l.strip_prefix("Uid:"))?
                .split_whitespace()
                .nth(1)?
                .to_string();
            if euid != "0" {
                return None;
            }
            let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
                .iter()
                .map(PathBuf::from)
                .find(|p| is_executable(p))?;
            let works = Command::new(&setpriv)
                .args(["--bounding-set", "-net_raw", "--pdeathsig", "KILL", "true"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            works.then_some(setpriv)
        })
        .as_deref()
}

/// Finds the directory holding `plugins/`, `transports/`, `events/` and
/// `loggers/` (Debian: `/usr/lib/<multiarch>/janus`).
fn find_lib_dir(binary: &Path) -> Result<PathBuf, RigError> {
    let mut candidates = Vec::new();
    let add_prefix = |prefix: &Path, out: &mut Vec<PathBuf>| {
        let lib = prefix.join("lib");
        out.push(lib.join("janus"));
        if let Ok(entries) = fs::read_dir(&lib) {
            let mut subdirs: Vec<PathBuf> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.path().join("janus"))
                .collect();
            subdirs.sort();
            out.extend(subdirs);
        }
    };
    let resolved = fs::canonicalize(binary).unwrap_or_else(|_| binary.to_path_buf());
    if let Some(prefix) = resolved.parent().and_then(Path::parent) {
        add_prefix(prefix, &mut candidates);
    }
    add_prefix(Path::new("/usr"), &mut candidates);
    add_prefix(Path::new("/usr/local"), &mut candidates);
    add_prefix(Path::new("/opt/janus"), &mut candidates);
    let mut seen = HashSet::new();
    candidates.retain(|c| seen.insert(c.clone()));
    for c in &candidates {
        let t = c.join("transports");
        if t.join("libjanus_http.so").exists() && t.join("libjanus_websockets.so").exists() {
            return Ok(c.clone());
        }
    }
    Err(RigError::LibDirNotFound {
        searched: candidates,
    })
}

/// Short names (`echotest`) of the `libjanus_<name>.so` files in `dir`.
fn modules_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let f = e.file_name().to_string_lossy().into_owned();
                    f.strip_prefix("libjanus_")?
                        .strip_suffix(".so")
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// `echotest`, `janus.plugin.echotest` or `libjanus_echotest.so` → `echotest`.
fn short_plugin_name(name: &str) -> &str {
    let n = name.trim();
    let n = n.strip_prefix("janus.plugin.").unwrap_or(n);
    let n = n.strip_prefix("libjanus_").unwrap_or(n);
    n.strip_suffix(".so").unwrap_or(n)
}

/// `echotest`, `janus.plugin.echotest` or `libjanus_echotest.so` → `janus.plugin.echotest`.
pub fn full_plugin_name(name: &str) -> String {
    format!("janus.plugin.{}", short_plugin_name(name))
}

fn disable_list(all: &[String], keep: &[&str]) -> String {
    all.iter()
        .filter(|m| !keep.contains(&m.as_str()))
        .map(|m| format!("libjanus_{m}.so"))
        .collect::<Vec<_>>()
        .join(",")
}

// ---------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------

/// The four loopback TCP ports of one server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ports {
    /// Janus API over HTTP (`/janus`).
    pub http: u16,
    /// Admin API over HTTP (`/admin`).
    pub admin_http: u16,
    /// Janus API over WebSocket (subprotocol `janus-protocol`).
    pub ws: u16,
    /// Admin API over WebSocket (subprotocol `janus-admin-protocol`).
    pub admin_ws: u16,
    /// Janus API over HTTPS, when the server speaks TLS.
    pub https: u16,
    /// Janus API over secure WebSocket, when the server speaks TLS.
    pub wss: u16,
}

impl Ports {
    /// `[http, admin_http, ws, admin_ws]` (the plain listeners).
    pub fn all(&self) -> [u16; 4] {
        [self.http, self.admin_http, self.ws, self.admin_ws]
    }
}

/// Picks six distinct free loopback ports (bind `127.0.0.1:0`, release),
/// never handing out a port twice in this process.
fn pick_ports() -> Result<Ports, RigError> {
    let mut used = lock(&USED_PORTS);
    let used = used.get_or_insert_with(HashSet::new);
    // Keep every probe listener open until done so the kernel can't repeat one.
    let mut held = Vec::new();
    let mut ports = Vec::new();
    while ports.len() < 6 {
        let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(io_err("bind 127.0.0.1:0"))?;
        let port = l.local_addr().map_err(io_err("local_addr"))?.port();
        held.push(l);
        if used.insert(port) {
            ports.push(port);
        }
        if held.len() > 64 {
            return Err(RigError::Io {
                context: "picking free ports".into(),
                source: io::Error::other("could not find 6 unused loopback ports"),
            });
        }
    }
    drop(held);
    Ok(Ports {
        http: ports[0],
        admin_http: ports[1],
        ws: ports[2],
        admin_ws: ports[3],
        https: ports[4],
        wss: ports[5],
    })
}

// ---------------------------------------------------------------------------
// Builder
// ---------------------------------------------------------------------------

/// Configures and starts a [`JanusServer`]. Obtain it with
/// [`JanusServer::builder`].
#[derive(Debug, Clone)]
pub struct JanusServerBuilder {
    session_timeout: u32,
    reclaim_session_timeout: u32,
    api_secret: Option<String>,
    token_auth: bool,
    admin_secret: String,
    plugins: Vec<String>,
    full_trickle: bool,
    tls: bool,
    debug_level: u8,
    startup_timeout: Duration,
    janus_binary: Option<PathBuf>,
    plugin_configs: Vec<(String, String)>,
    event_backend: Option<(String, bool)>,
    media: Option<(String, String)>,
    unix_type: UnixSocketType,
    rabbitmq: Option<(u16, String)>,
    rabbitmq_queue_kept: bool,
    rabbitmq_exchange: (String, String),
}

/// The socket type of the server's Unix-socket transport
/// (`janus.transport.pfunix`, always on: `janus.sock` and `admin.sock` in
/// the server's directory).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnixSocketType {
    /// `SOCK_SEQPACKET` (the default): URL `unix://PATH`.
    #[default]
    SeqPacket,
    /// `SOCK_DGRAM`: URL `unix+dgram://PATH`.
    Datagram,
}

impl Default for JanusServerBuilder {
    fn default() -> Self {
        JanusServerBuilder {
            session_timeout: 60,
            reclaim_session_timeout: 0,
            api_secret: None,
            token_auth: false,
            admin_secret: DEFAULT_ADMIN_SECRET.to_string(),
            plugins: DEFAULT_PLUGINS.iter().map(|s| s.to_string()).collect(),
            full_trickle: false,
            tls: false,
            debug_level: 4,
            startup_timeout: DEFAULT_STARTUP_TIMEOUT,
            janus_binary: None,
            plugin_configs: Vec::new(),
            event_backend: None,
            media: None,
            unix_type: UnixSocketType::SeqPacket,
            rabbitmq: None,
            rabbitmq_queue_kept: false,
            rabbitmq_exchange: ("janus".into(), "topic".into()),
        }
    }
}

impl JanusServerBuilder {
    /// The socket type of the Unix-socket transport (both its Janus API and
    /// its Admin API socket); `SOCK_SEQPACKET` by default.
    pub fn unix_socket_type(mut self, kind: UnixSocketType) -> Self {
        self.unix_type = kind;
        self
    }

    /// Broadcasts every event to `backend`: an `http://` URL through the
    /// sampleevh event handler, a `ws://` one through wsevh (`grouping`:
    /// several events per delivery, as an array).
    pub fn event_backend(mut self, backend: &str, grouping: bool) -> Self {
        self.event_backend = Some((backend.to_string(), grouping));
        self
    }

    /// `general.session_timeout` in seconds (default 60; 0 disables).
    pub fn session_timeout(mut self, secs: u32) -> Self {
        self.session_timeout = secs;
        self
    }

    /// `general.reclaim_session_timeout` in seconds (default 0).
    pub fn reclaim_session_timeout(mut self, secs: u32) -> Self {
        self.reclaim_session_timeout = secs;
        self
    }

    /// `general.api_secret` (default: none). An empty string means none.
    pub fn api_secret(mut self, secret: &str) -> Self {
        self.api_secret = (!secret.is_empty()).then(|| secret.to_string());
        self
    }

    /// `general.token_auth` (stored tokens; add them with
    /// [`JanusServer::add_token`]). Default false.
    pub fn token_auth(mut self, on: bool) -> Self {
        self.token_auth = on;
        self
    }

    /// `general.admin_secret` (default [`DEFAULT_ADMIN_SECRET`]). The Admin
    /// API is always enabled on HTTP and WebSocket.
    pub fn admin_secret(mut self, secret: &str) -> Self {
        self.admin_secret = secret.to_string();
        self
    }

    /// Which plugins load (default [`DEFAULT_PLUGINS`]); every other installed
    /// plugin is listed in `plugins.disable`. Accepts `echotest`,
    /// `janus.plugin.echotest` or `libjanus_echotest.so`. An empty slice
    /// loads no plugin.
    pub fn plugins(mut self, plugins: &[&str]) -> Self {
        self.plugins = plugins.iter().map(|s| s.to_string()).collect();
        self
    }

    /// Also serves the Janus API and the Admin API over RabbitMQ
    /// (`janus.transport.rabbitmq`), through the broker on
    /// `127.0.0.1:amqp_port` (see [`crate::rabbitmq::RabbitMq`]): requests
    /// are published to the topic exchange `janus` with the routing key
    /// `to-janus.NAME` (admin: `to-janus-admin.NAME`), and Janus publishes
    /// there with `from-janus.NAME` (`from-janus-admin.NAME`), declaring no
    /// outgoing queue, so that several servers can share one exchange.
    pub fn rabbitmq(mut self, amqp_port: u16, name: &str) -> Self {
        self.rabbitmq = Some((amqp_port, name.to_string()));
        self
    }

    /// Whether the RabbitMQ transport's request queue (`janus-NAME-in`)
    /// outlives the server (default: it is deleted when Janus goes away).
    /// With it kept, requests published while Janus is down wait in it
    /// until a Janus of the same name comes back, or they expire.
    pub fn rabbitmq_queue_kept(mut self, kept: bool) -> Self {
        self.rabbitmq_queue_kept = kept;
        self
    }

    /// The exchange Janus's RabbitMQ transport declares and publishes to,
    /// and its type (default: `janus`, `topic`).
    pub fn rabbitmq_exchange(mut self, name: &str, kind: &str) -> Self {
        self.rabbitmq_exchange = (name.to_owned(), kind.to_owned());
        self
    }

    /// Real media: Janus uses only `interface` (whose address is `ip`) for
    /// ICE and puts `ip` in its SDP, with RTP ports 20000-20199. Janus
    /// ignores loopback interfaces, so this is for a test in a private
    /// network namespace (see [`crate::netns`]).
    pub fn media_interface(mut self, interface: &str, ip: &str) -> Self {
        self.media = Some((interface.to_string(), ip.to_string()));
        self
    }

    /// `nat.full_trickle` (default false = half-trickle).
    pub fn full_trickle(mut self, on: bool) -> Self {
        self.full_trickle = on;
        self
    }

    /// Whether the server also speaks TLS (default false): HTTPS and secure
    /// WebSocket listeners on loopback with a fresh self-signed certificate
    /// for `localhost` and `127.0.0.1` (see [`JanusServer::tls_certificate`]).
    pub fn tls(mut self, on: bool) -> Self {
        self.tls = on;
        self
    }

    /// `general.debug_level`, 0–7 (default 4). Values above 7 are clamped.
    pub fn debug_level(mut self, level: u8) -> Self {
        self.debug_level = level.min(7);
        self
    }

    /// How long [`start`](Self::start) waits for readiness (default 10 s).
    pub fn startup_timeout(mut self, timeout: Duration) -> Self {
        self.startup_timeout = timeout;
        self
    }

    /// Uses this binary instead of searching (`$JANUS_BIN`, `PATH`,
    /// `/usr/bin/janus`). A missing file gives [`RigError::JanusNotFound`].
    pub fn janus_binary(mut self, path: impl Into<PathBuf>) -> Self {
        self.janus_binary = Some(path.into());
        self
    }

    /// Replaces the generated `janus.plugin.<name>.jcfg` with `contents`
    /// (libconfig syntax, e.g. `"general: {}\nroom-42: { description = \"x\" }"`).
    /// Only written when that plugin is loaded (see [`plugins`](Self::plugins)).
    ///
    /// Generated defaults: videoroom, audiobridge and textroom get the stock
    /// demo room 1234 (`secret = "adminpwd"`); streaming gets no mountpoint
    /// (the stock ones bind UDP ports); recordplay and voicemail write below
    /// the temp dir; sip and nosip use `local_ip = "127.0.0.1"`; lua and
    /// duktape run the packaged `echotest` script; the rest are empty.
    pub fn plugin_config(mut self, plugin: &str, contents: &str) -> Self {
        let short = short_plugin_name(plugin).to_string();
        self.plugin_configs.retain(|(p, _)| *p != short);
        self.plugin_configs.push((short, contents.to_string()));
        self
    }

    /// Writes the configuration, starts Janus and waits until
    /// `GET /janus/info` answers (with this instance's unique `server-name`)
    /// and all four listeners have reported that they started (polling every
    /// 20 ms, up to [`startup_timeout`](Self::startup_timeout)).
    ///
    /// If a listener fails to bind (a port taken meanwhile), it retries with
    /// fresh ports, up to 8 attempts. Errors carry the server log.
    pub fn start(self) -> Result<JanusServer, RigError> {
        let binary = match &self.janus_binary {
            Some(p) if is_executable(p) => p.clone(),
            Some(p) => {
                return Err(RigError::JanusNotFound {
                    searched: vec![p.clone()],
                })
            }
            None => find_janus()?,
        };
        let lib_dir = find_lib_dir(&binary)?;
        let available = modules_in(&lib_dir.join("plugins"));
        let mut plugins: Vec<String> = Vec::new();
        for p in &self.plugins {
            let short = short_plugin_name(p);
            if !available.iter().any(|a| a == short) {
                return Err(RigError::UnknownPlugin {
                    name: p.clone(),
                    available,
                });
            }
            if !plugins.iter().any(|x| x == short) {
                plugins.push(short.to_string());
            }
        }
        let mut attempt = 1;
        loop {
            match self.try_start(&binary, &lib_dir, &plugins) {
                Err(RigError::StartupFailed { .. }) if attempt < MAX_ATTEMPTS => attempt += 1,
                other => return other,
            }
        }
    }

    fn try_start(
        &self,
        binary: &Path,
        lib_dir: &Path,
        plugins: &[String],
    ) -> Result<JanusServer, RigError> {
        let dir = tempfile::Builder::new()
            .prefix("janus-rig-")
            .tempdir()
            .map_err(io_err("creating the temporary config directory"))?;
        let dir_path = dir.path().to_path_buf();
        let ports = pick_ports()?;
        let server_name = format!(
            "janus-rig-{}-{}",
            std::process::id(),
            INSTANCE_COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let tls_certificate = if self.tls {
            let names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
            let generated =
                rcgen::generate_simple_self_signed(names).map_err(|e| RigError::Io {
                    context: "generating a TLS certificate".into(),
                    source: io::Error::other(e),
                })?;
            fs::write(dir_path.join("cert.pem"), generated.cert.pem())
                .map_err(io_err("writing cert.pem"))?;
            fs::write(
                dir_path.join("key.pem"),
                generated.signing_key.serialize_pem(),
            )
            .map_err(io_err("writing key.pem"))?;
            Some(generated.cert.der().to_vec())
        } else {
            None
        };
        self.write_configs(&dir_path, lib_dir, plugins, &ports, &server_name)?;

        let log_path = dir_path.join("janus.log");
        let log_file = File::create(&log_path).map_err(io_err("creating janus.log"))?;
        let log_file2 = log_file.try_clone().map_err(io_err("cloning log handle"))?;
        let mut cmd = match drop_net_raw_wrapper() {
            Some(setpriv) => {
                let mut c = Command::new(setpriv);
                // Killed with us too if we die without dropping the server
                // (the signal follows the thread that started it).
                c.args(["--bounding-set", "-net_raw", "--pdeathsig", "KILL"])
                    .arg(binary);
                c
            }
            None => Command::new(binary),
        };
        let child = cmd
            .arg("-F")
            .arg(&dir_path)
            .arg("-C")
            .arg(dir_path.join("janus.jcfg"))
            .current_dir(&dir_path)
            .stdin(Stdio::null())
            .stdout(Stdio::from(log_file))
            .stderr(Stdio::from(log_file2))
            .spawn()
            .map_err(io_err(format!("spawning {}", binary.display())))?;

        let mut server = JanusServer {
            unix_type: self.unix_type,
            pid: child.id(),
            child: Mutex::new(child),
            ports,
            server_name,
            admin_secret: self.admin_secret.clone(),
            api_secret: self.api_secret.clone(),
            token_auth: self.token_auth,
            tls_certificate,
            plugins: Vec::new(),
            log_path,
            dir_path,
            rabbitmq: self.rabbitmq.clone(),
            rabbitmq_exchange: self.rabbitmq_exchange.0.clone(),
            _dir: dir,
        };
        // On error `server` is dropped here: killed, reaped, dir removed.
        let info = server.wait_ready(self.startup_timeout)?;
        // The truth about package names (lua/duktape take theirs from the script).
        if let Some(loaded) = info["plugins"].as_object() {
            let mut names: Vec<String> = loaded.keys().cloned().collect();
            names.sort();
            server.plugins = names;
        }
        Ok(server)
    }

    fn write_configs(
        &self,
        dir: &Path,
        lib: &Path,
        plugins: &[String],
        ports: &Ports,
        server_name: &str,
    ) -> Result<(), RigError> {
        let write = |name: &str, contents: String| {
            fs::write(dir.join(name), contents).map_err(io_err(format!("writing {name}")))
        };
        let folder = |sub: &str| quote(&lib.join(sub).to_string_lossy());
        let plugin_refs: Vec<&str> = plugins.iter().map(String::as_str).collect();
        let disabled_plugins = disable_list(&modules_in(&lib.join("plugins")), &plugin_refs);
        let mut kept_transports = vec!["http", "websockets", "pfunix"];
        if self.rabbitmq.is_some() {
            kept_transports.push("rabbitmq");
        }
        let disabled_transports =
            disable_list(&modules_in(&lib.join("transports")), &kept_transports);
        let handler = match &self.event_backend {
            Some((backend, _)) if backend.starts_with("ws") => Some("wsevh"),
            Some(_) => Some("sampleevh"),
            None => None,
        };
        let kept_events: Vec<&str> = handler.into_iter().collect();
        let disabled_events = disable_list(&modules_in(&lib.join("events")), &kept_events);
        let disabled_loggers = disable_list(&modules_in(&lib.join("loggers")), &[]);
        let disable_line = |list: &str| {
            if list.is_empty() {
                String::new()
            } else {
                format!("\tdisable = {}\n", quote(list))
            }
        };

        let tls = self.tls;
        let certificates = if tls {
            format!(
                "certificates: {{\n\tcert_pem = {}\n\tcert_key = {}\n}}\n",
                quote(&dir.join("cert.pem").to_string_lossy()),
                quote(&dir.join("key.pem").to_string_lossy())
            )
        } else {
            String::new()
        };
        let mut general = String::new();
        let mut item = |k: &str, v: String| general.push_str(&format!("\t{k} = {v}\n"));
        item("configs_folder", quote(&dir.to_string_lossy()));
        item("plugins_folder", folder("plugins"));
        item("transports_folder", folder("transports"));
        item("events_folder", folder("events"));
        item("loggers_folder", folder("loggers"));
        item("debug_level", self.debug_level.to_string());
        item("debug_timestamps", "true".into());
        item("debug_colors", "false".into());
        item("server_name", quote(server_name));
        // Local IP for SDP; also skips the default-route probe at startup.
        let media_ip = self
            .media
            .as_ref()
            .map_or("127.0.0.1", |(_, ip)| ip.as_str());
        item("interface", quote(media_ip));
        item("session_timeout", self.session_timeout.to_string());
        item(
            "reclaim_session_timeout",
            self.reclaim_session_timeout.to_string(),
        );
        item("admin_secret", quote(&self.admin_secret));
        if let Some(s) = &self.api_secret {
            item("api_secret", quote(s));
        }
        item("token_auth", self.token_auth.to_string());

        write(
            "janus.jcfg",
            format!(
                "# Generated by the janus-tests rig.\n\
                 general: {{\n{general}}}\n\
                 certificates: {{\n}}\n\
                 media: {{\n\tipv6 = false\n{media}}}\n\
                 nat: {{\n\tnice_debug = false\n\tfull_trickle = {full_trickle}\n\
                 \tignore_mdns = true\n\tice_ignore_list = \"vmnet\"\n{nat}}}\n\
                 plugins: {{\n{dp}}}\n\
                 transports: {{\n{dt}}}\n\
                 loggers: {{\n{dl}}}\n\
                 events: {{\n\tbroadcast = {broadcast}\n{de}}}\n",
                broadcast = self.event_backend.is_some(),
                full_trickle = self.full_trickle,
                media = if self.media.is_some() {
                    "\trtp_port_range = \"20000-20199\"\n"
                } else {
                    ""
                },
                nat = match &self.media {
                    Some((interface, _)) => format!(
                        "\tice_enforce_list = \"{interface}\"\n\tice_lite = false\n\tice_tcp = false\n"
                    ),
                    None => String::new(),
                },
                dp = disable_line(&disabled_plugins),
                dt = disable_line(&disabled_transports),
                dl = disable_line(&disabled_loggers),
                de = disable_line(&disabled_events),
            ),
        )?;

        if let (Some((backend, grouping)), Some(handler)) = (&self.event_backend, handler) {
            write(
                &format!("janus.eventhandler.{handler}.jcfg"),
                format!(
                    "general: {{\n\tenabled = true\n\tevents = \"all\"\n\tgrouping = {grouping}\n                     \tjson = \"plain\"\n\tbackend = {}\n}}\n",
                    quote(backend)
                ),
            )?;
        }

        write(
            "janus.transport.http.jcfg",
            format!(
                "general: {{\n\tjson = \"indented\"\n\tbase_path = \"/janus\"\n\thttp = true\n\
                 \tport = {http}\n\tip = \"127.0.0.1\"\n{https}}}\n\
                 admin: {{\n\tadmin_base_path = \"/admin\"\n\tadmin_http = true\n\
                 \tadmin_port = {admin}\n\tadmin_ip = \"127.0.0.1\"\n\tadmin_https = false\n}}\n\
                 cors: {{\n}}\n{certificates}",
                http = ports.http,
                admin = ports.admin_http,
                https = if tls {
                    format!(
                        "\thttps = true\n\tsecure_port = {}\n\tsecure_ip = \"127.0.0.1\"\n",
                        ports.https
                    )
                } else {
                    "\thttps = false\n".into()
                },
            ),
        )?;

        write(
            "janus.transport.websockets.jcfg",
            format!(
                "general: {{\n\tjson = \"indented\"\n\tws = true\n\tws_port = {ws}\n\
                 \tws_ip = \"127.0.0.1\"\n{wss}}}\n\
                 admin: {{\n\tadmin_ws = true\n\tadmin_ws_port = {aws}\n\
                 \tadmin_ws_ip = \"127.0.0.1\"\n\tadmin_wss = false\n}}\n\
                 cors: {{\n}}\n{certificates}",
                ws = ports.ws,
                aws = ports.admin_ws,
                wss = if tls {
                    format!(
                        "\twss = true\n\twss_port = {}\n\twss_ip = \"127.0.0.1\"\n",
                        ports.wss
                    )
                } else {
                    "\twss = false\n".into()
                },
            ),
        )?;

        let unix_type = match self.unix_type {
            UnixSocketType::SeqPacket => "SOCK_SEQPACKET",
            UnixSocketType::Datagram => "SOCK_DGRAM",
        };
        if let Some((port, name)) = &self.rabbitmq {
            write(
                "janus.transport.rabbitmq.jcfg",
                format!(
                    "general: {{\n\tenabled = true\n\tevents = true\n\tjson = \"compact\"\n\
                     \thost = \"127.0.0.1\"\n\tport = {port}\n\tusername = \"guest\"\n\
                     \tpassword = \"guest\"\n\tvhost = \"/\"\n\tjanus_exchange = \"{exchange}\"\n\
                     \tjanus_exchange_type = \"{exchange_type}\"\n\tqueue_name = \"janus-{name}-in\"\n\
                     \tto_janus = \"to-janus.{name}\"\n\tfrom_janus = \"from-janus.{name}\"\n\
                     \tdeclare_outgoing_queue = false\n\tqueue_autodelete = {autodelete}\n}}\n\
                     admin: {{\n\tadmin_enabled = true\n\tqueue_name_admin = \"janus-{name}-admin-in\"\n\
                     \tto_janus_admin = \"to-janus-admin.{name}\"\n\
                     \tfrom_janus_admin = \"from-janus-admin.{name}\"\n\
                     \tdeclare_outgoing_queue_admin = false\n\tqueue_autodelete_admin = true\n}}\n",
                    autodelete = !self.rabbitmq_queue_kept,
                    exchange = self.rabbitmq_exchange.0,
                    exchange_type = self.rabbitmq_exchange.1,
                ),
            )?;
        }
        write(
            "janus.transport.pfunix.jcfg",
            format!(
                "general: {{\n\tenabled = true\n\tjson = \"compact\"\n\tpath = {api}\n\
                 \ttype = \"{unix_type}\"\n}}\n\
                 admin: {{\n\tadmin_enabled = true\n\tadmin_path = {admin}\n\
                 \tadmin_type = \"{unix_type}\"\n}}\n",
                api = quote(&dir.join(UNIX_SOCKET).to_string_lossy()),
                admin = quote(&dir.join(ADMIN_UNIX_SOCKET).to_string_lossy()),
            ),
        )?;

        for p in plugins {
            let contents = match self.plugin_configs.iter().find(|(n, _)| n == p) {
                Some((_, c)) => c.clone(),
                None => default_plugin_config(p, dir)?,
            };
            write(&format!("janus.plugin.{p}.jcfg"), contents)?;
        }
        Ok(())
    }
}

/// libconfig string literal.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn default_plugin_config(plugin: &str, dir: &Path) -> Result<String, RigError> {
    let subdir = |name: &str| -> Result<String, RigError> {
        let d = dir.join(name);
        fs::create_dir_all(&d).map_err(io_err(format!("creating {}", d.display())))?;
        // Janus concatenates paths with file names; keep a trailing slash.
        Ok(quote(&format!("{}/", d.to_string_lossy())))
    };
    Ok(match plugin {
        "videoroom" => "general: {\n}\nroom-1234: {\n\tdescription = \"Demo Room\"\n\
             \tsecret = \"adminpwd\"\n\tpublishers = 6\n\tbitrate = 128000\n\
             \tfir_freq = 10\n\trecord = false\n}\n"
            .to_string(),
        "audiobridge" => "general: {\n}\nroom-1234: {\n\tdescription = \"Demo Room\"\n\
             \tsecret = \"adminpwd\"\n\tsampling_rate = 16000\n\trecord = false\n}\n"
            .to_string(),
        "textroom" => "general: {\n\tjson = \"indented\"\n}\nroom-1234: {\n\
             \tdescription = \"Demo Room\"\n\tsecret = \"adminpwd\"\n}\n"
            .to_string(),
        "sip" => "general: {\n\tlocal_ip = \"127.0.0.1\"\n\tkeepalive_interval = 120\n\
             \tbehind_nat = false\n\tregister_ttl = 3600\n}\n"
            .to_string(),
        "nosip" => "general: {\n\tlocal_ip = \"127.0.0.1\"\n}\n".to_string(),
        "recordplay" => format!("general: {{\n\tpath = {}\n}}\n", subdir("recordings")?),
        "voicemail" => format!(
            "general: {{\n\tpath = {}\n\tbase = \"/voicemail/\"\n\tevents = true\n}}\n",
            subdir("voicemail")?
        ),
        "lua" => "general: {\n\tpath = \"/usr/share/janus/lua\"\n\
             \tscript = \"/usr/share/janus/lua/echotest.lua\"\n}\n"
            .to_string(),
        "duktape" => "general: {\n\tpath = \"/usr/share/janus/duktape\"\n\
             \tscript = \"/usr/share/janus/duktape/echotest.js\"\n}\n"
            .to_string(),
        // echotest, streaming (no mountpoints), videocall, others.
        _ => "general: {\n}\n".to_string(),
    })
}

// ---------------------------------------------------------------------------
// The running server
// ---------------------------------------------------------------------------

/// A running private Janus server. Killed (SIGKILL) and cleaned up on drop.
///
/// `JanusServer` is `Send + Sync`; share it with `Arc` or `&` across threads
/// (e.g. to call [`kill`](Self::kill) while another thread is mid-request).
#[derive(Debug)]
pub struct JanusServer {
    child: Mutex<Child>,
    pid: u32,
    ports: Ports,
    server_name: String,
    admin_secret: String,
    api_secret: Option<String>,
    token_auth: bool,
    tls_certificate: Option<Vec<u8>>,
    plugins: Vec<String>,
    log_path: PathBuf,
    dir_path: PathBuf,
    unix_type: UnixSocketType,
    rabbitmq: Option<(u16, String)>,
    rabbitmq_exchange: String,
    // Last field: removed after the process has been killed in `drop`.
    _dir: TempDir,
}

impl JanusServer {
    /// A builder with the defaults: session timeout 60 s, reclaim 0, no API
    /// secret, no token auth, admin secret [`DEFAULT_ADMIN_SECRET`], plugins
    /// [`DEFAULT_PLUGINS`], half-trickle, debug level 4.
    pub fn builder() -> JanusServerBuilder {
        JanusServerBuilder::default()
    }

    /// `ws://127.0.0.1:PORT` (Janus API; subprotocol `janus-protocol`).
    pub fn ws_url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.ports.ws)
    }

    /// `wss://localhost:PORT` (only when started with
    /// [`tls`](JanusServerBuilder::tls)).
    pub fn wss_url(&self) -> String {
        format!("wss://localhost:{}", self.ports.wss)
    }

    /// `https://localhost:PORT/janus` (only when started with
    /// [`tls`](JanusServerBuilder::tls)).
    pub fn https_url(&self) -> String {
        format!("https://localhost:{}/janus", self.ports.https)
    }

    /// The server's self-signed certificate (DER), when started with
    /// [`tls`](JanusServerBuilder::tls): the one root a client must trust.
    pub fn tls_certificate(&self) -> Option<&[u8]> {
        self.tls_certificate.as_deref()
    }

    /// `http://127.0.0.1:PORT/janus`.
    pub fn http_url(&self) -> String {
        format!("http://127.0.0.1:{}/janus", self.ports.http)
    }

    /// `ws://127.0.0.1:PORT` (Admin API; subprotocol `janus-admin-protocol`).
    pub fn admin_ws_url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.ports.admin_ws)
    }

    /// `http://127.0.0.1:PORT/admin`.
    pub fn admin_http_url(&self) -> String {
        format!("http://127.0.0.1:{}/admin", self.ports.admin_http)
    }

    /// The Unix-socket transport's Janus API socket: `unix://PATH`
    /// (`SOCK_SEQPACKET`) or `unix+dgram://PATH` (`SOCK_DGRAM`).
    pub fn unix_url(&self) -> String {
        self.unix_url_of(UNIX_SOCKET)
    }

    /// The RabbitMQ transport's Janus API, when the server was built with
    /// [`rabbitmq`](JanusServerBuilder::rabbitmq):
    /// `amqp://guest:guest@127.0.0.1:PORT/%2f?server=NAME` (with
    /// `&exchange=X` for an exchange other than `janus`).
    pub fn amqp_url(&self) -> Option<String> {
        let (port, name) = self.rabbitmq.as_ref()?;
        let exchange = match self.rabbitmq_exchange.as_str() {
            "janus" => String::new(),
            other => format!("&exchange={other}"),
        };
        Some(format!(
            "amqp://guest:guest@127.0.0.1:{port}/%2f?server={name}{exchange}"
        ))
    }

    /// The Unix-socket transport's Admin API socket, as [`unix_url`](Self::unix_url).
    pub fn admin_unix_url(&self) -> String {
        self.unix_url_of(ADMIN_UNIX_SOCKET)
    }

    fn unix_url_of(&self, name: &str) -> String {
        let scheme = match self.unix_type {
            UnixSocketType::SeqPacket => "unix",
            UnixSocketType::Datagram => "unix+dgram",
        };
        format!("{scheme}://{}", self.dir_path.join(name).display())
    }

    /// The four ports.
    pub fn ports(&self) -> Ports {
        self.ports
    }

    /// The admin secret (`admin_secret` in requests to the Admin API).
    pub fn admin_secret(&self) -> &str {
        &self.admin_secret
    }

    /// The API secret (`apisecret` in requests), if one is configured.
    pub fn api_secret(&self) -> Option<&str> {
        self.api_secret.as_deref()
    }

    /// Whether stored-token authentication is on.
    pub fn token_auth(&self) -> bool {
        self.token_auth
    }

    /// This instance's unique `server-name` (as reported by `info`).
    pub fn server_name(&self) -> &str {
        &self.server_name
    }

    /// Package names of the loaded plugins as reported by `info`, sorted, e.g.
    /// `janus.plugin.echotest`. (The lua and duktape plugins take theirs from
    /// their script: `janus.plugin.echolua` / `janus.plugin.echojs` with the
    /// packaged echotest scripts.)
    pub fn plugins(&self) -> &[String] {
        &self.plugins
    }

    /// The private configuration directory (removed on drop).
    pub fn config_dir(&self) -> &Path {
        &self.dir_path
    }

    /// The file that receives the server's stdout and stderr.
    pub fn log_path(&self) -> &Path {
        &self.log_path
    }

    /// The server's log so far (stdout + stderr, with timestamps).
    pub fn log(&self) -> String {
        fs::read(&self.log_path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_else(|e| format!("<cannot read {}: {e}>", self.log_path.display()))
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Whether the process is still running (not yet exited or killed).
    pub fn is_running(&self) -> bool {
        matches!(lock(&self.child).try_wait(), Ok(None))
    }

    /// SIGKILLs the process and waits for it (idempotent). Use it to test
    /// "server killed mid-request"; the log stays readable until drop.
    pub fn kill(&self) {
        let mut child = lock(&self.child);
        if let Ok(None) = child.try_wait() {
            let _ = child.kill();
        }
        let _ = child.wait();
    }

    /// `GET /janus/info`, parsed (`{"janus":"server_info","version":1102,...}`).
    pub fn info(&self) -> Result<Value, RigError> {
        let url = format!("{}/info", self.http_url());
        let resp = do_request("GET", &url, None, HTTP_TIMEOUT)?;
        json_200(&url, resp)
    }

    /// POSTs an Admin API request to [`admin_http_url`](Self::admin_http_url)
    /// and returns the parsed reply (whatever its `"janus"`). `transaction`
    /// and `admin_secret` are filled in unless present; `request` must be a
    /// JSON object.
    pub fn admin_request(&self, mut request: Value) -> Result<Value, RigError> {
        let url = self.admin_http_url();
        let obj = request
            .as_object_mut()
            .ok_or_else(|| RigError::BadResponse {
                url: url.clone(),
                status: 0,
                body: String::new(),
                reason: "admin_request needs a JSON object".into(),
            })?;
        obj.entry("transaction")
            .or_insert_with(|| Value::String(next_transaction()));
        obj.entry("admin_secret")
            .or_insert_with(|| Value::String(self.admin_secret.clone()));
        http_post_json(&url, &request)
    }

    /// Adds a stored token through the Admin HTTP API (`add_token`), allowed to
    /// use `plugins` (short or full names, mapped with [`full_plugin_name`];
    /// for lua/duktape pass the script's package name; an empty slice omits
    /// `plugins`, which Janus treats as "all plugins"). Requires
    /// [`token_auth(true)`](JanusServerBuilder::token_auth); otherwise Janus
    /// answers error 490 and this returns [`RigError::Api`]. Returns the
    /// `success` reply.
    pub fn add_token(&self, token: &str, plugins: &[&str]) -> Result<Value, RigError> {
        let mut request = json!({
            "janus": "add_token",
            "token": token,
            "transaction": next_transaction(),
            "admin_secret": self.admin_secret,
        });
        if !plugins.is_empty() {
            let full: Vec<String> = plugins.iter().map(|p| full_plugin_name(p)).collect();
            request["plugins"] = json!(full);
        }
        let reply = self.admin_request(request.clone())?;
        if reply["janus"] == "success" {
            Ok(reply)
        } else {
            Err(RigError::Api { request, reply })
        }
    }

    /// Local addresses of the process's listening TCP sockets (IPv4 and
    /// IPv6), read from `/proc/<pid>/fd` and `/proc/<pid>/net/tcp{,6}`.
    pub fn listening_sockets(&self) -> io::Result<Vec<SocketAddr>> {
        listening_sockets_of(self.pid)
    }

    /// Polls until ready; returns the `info` reply.
    fn wait_ready(&self, timeout: Duration) -> Result<Value, RigError> {
        let started = Instant::now();
        let info_url = format!("{}/info", self.http_url());
        let p = self.ports;
        let mut needles = vec![
            format!("Admin Websockets server started (port {})", p.admin_ws),
            format!("HTTP webserver started (port {}, ", p.http),
            format!(
                "Admin/monitor HTTP webserver started (port {}, ",
                p.admin_http
            ),
        ];
        if self.rabbitmq.is_some() {
            // Its queue is bound: what is published to it is not lost.
            needles.push("JANUS RabbitMQ transport plugin initialized!".to_owned());
        }
        if self.tls_certificate.is_some() {
            needles.push(format!("HTTPS webserver started (port {}, ", p.https));
            needles.push(format!("Secure Websockets server started (port {})", p.wss));
        }
        // "Websockets server started (port N)" must not match the admin line.
        let ws_needle = format!("Websockets server started (port {})", p.ws);
        let mut info: Option<Value> = None;
        loop {
            if let Ok(Some(status)) = lock(&self.child).try_wait() {
                return Err(RigError::Exited {
                    status,
                    log: self.log(),
                });
            }
            let log = self.log();
            if let Some(line) = log.lines().find(|l| l.contains("[FATAL]")) {
                return Err(RigError::StartupFailed {
                    reason: format!("fatal error in the log: {}", line.trim()),
                    log,
                });
            }
            if info.is_none() {
                if let Ok(resp) = http::request("GET", &info_url, None, Duration::from_secs(1)) {
                    if resp.status == 200 {
                        let v: Value = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
                        match v["server-name"].as_str() {
                            Some(n) if n == self.server_name => info = Some(v),
                            Some(other) => {
                                return Err(RigError::StartupFailed {
                                    reason: format!(
                                        "another Janus ({other}) answers on port {}",
                                        p.http
                                    ),
                                    log,
                                })
                            }
                            None => {}
                        }
                    }
                }
            }
            // Janus 1.1.2's pfunix thread runs only if it starts after its
            // init has marked the plugin initialized: when it wins that race
            // it ends at once, removing its sockets. Start again then.
            if log.contains("Unix Sockets thread ended") {
                return Err(RigError::StartupFailed {
                    reason: "the Unix-socket transport's thread ended at start (a race in \
                             Janus's pfunix)"
                        .into(),
                    log,
                });
            }
            let unix_missing = [UNIX_SOCKET, ADMIN_UNIX_SOCKET]
                .iter()
                .any(|name| !self.dir_path.join(name).exists());
            let mut missing: Vec<&str> = needles
                .iter()
                .filter(|n| !log.contains(n.as_str()))
                .map(String::as_str)
                .collect();
            let ws_ok = log
                .lines()
                .any(|l| l.contains(&ws_needle) && !l.contains("Admin Websockets"));
            if !ws_ok {
                missing.push(&ws_needle);
            }
            if unix_missing {
                missing.push("the Unix sockets janus.sock and admin.sock");
            }
            if missing.is_empty() {
                if let Some(info) = info {
                    return Ok(info);
                }
            }
            if started.elapsed() >= timeout {
                if info.is_none() {
                    missing.insert(0, "an answer to GET /janus/info");
                }
                return Err(RigError::StartupTimeout {
                    waited: started.elapsed(),
                    missing: missing.join("; "),
                    log,
                });
            }
            thread::sleep(POLL_INTERVAL);
        }
    }
}

impl Drop for JanusServer {
    fn drop(&mut self) {
        self.kill();
        if thread::panicking() {
            eprintln!(
                "===== janus log ({}, pid {}, {}) =====\n{}\n===== end of janus log =====",
                self.server_name,
                self.pid,
                self.dir_path.display(),
                self.log()
            );
        }
        // `_dir` (the TempDir) is removed when the fields drop, right after.
    }
}

/// The TCP sockets of process `pid` in state `state` (the kernel's hex
/// code: `0A` listening, `01` established), as (local, remote) addresses.
fn sockets_of(pid: u32, state: &str) -> io::Result<Vec<(SocketAddr, SocketAddr)>> {
    let mut inodes = HashSet::new();
    for entry in fs::read_dir(format!("/proc/{pid}/fd"))? {
        let Ok(entry) = entry else { continue };
        if let Ok(target) = fs::read_link(entry.path()) {
            let t = target.to_string_lossy();
            if let Some(n) = t.strip_prefix("socket:[").and_then(|s| s.strip_suffix(']')) {
                if let Ok(n) = n.parse::<u64>() {
                    inodes.insert(n);
                }
            }
        }
    }
    let mut out = Vec::new();
    for (file, v6) in [("tcp", false), ("tcp6", true)] {
        let Ok(table) = fs::read_to_string(format!("/proc/{pid}/net/{file}")) else {
            continue;
        };
        for line in table.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if cols.len() < 10 || cols[3] != state {
                continue;
            }
            let Ok(inode) = cols[9].parse::<u64>() else {
                continue;
            };
            if !inodes.contains(&inode) {
                continue;
            }
            if let (Some(local), Some(remote)) =
                (parse_proc_addr(cols[1], v6), parse_proc_addr(cols[2], v6))
            {
                out.push((local, remote));
            }
        }
    }
    Ok(out)
}

/// The TCP addresses process `pid` listens on.
pub fn listening_sockets_of(pid: u32) -> io::Result<Vec<SocketAddr>> {
    Ok(sockets_of(pid, "0A")?.into_iter().map(|(l, _)| l).collect())
}

/// How many established TCP connections process `pid` has to `port`.
pub fn connections_of(pid: u32, port: u16) -> io::Result<usize> {
    Ok(sockets_of(pid, "01")?
        .iter()
        .filter(|(_, remote)| remote.port() == port)
        .count())
}

/// Parses `0100007F:1F90` (or the 32-hex-digit IPv6 form) from /proc/net/tcp*.
fn parse_proc_addr(s: &str, v6: bool) -> Option<SocketAddr> {
    let (ip_hex, port_hex) = s.split_once(':')?;
    let port = u16::from_str_radix(port_hex, 16).ok()?;
    // The kernel prints each 32-bit word of the (network-order) address as a
    // native-endian integer.
    let word = |i: usize| -> Option<[u8; 4]> {
        Some(
            u32::from_str_radix(ip_hex.get(i * 8..i * 8 + 8)?, 16)
                .ok()?
                .to_ne_bytes(),
        )
    };
    let ip = if v6 {
        if ip_hex.len() != 32 {
            return None;
        }
        let mut b = [0u8; 16];
        for i in 0..4 {
            b[i * 4..i * 4 + 4].copy_from_slice(&word(i)?);
        }
        IpAddr::V6(Ipv6Addr::from(b))
    } else {
        if ip_hex.len() != 8 {
            return None;
        }
        IpAddr::V4(Ipv4Addr::from(word(0)?))
    };
    Some(SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_names() {
        for n in ["echotest", "janus.plugin.echotest", "libjanus_echotest.so"] {
            assert_eq!(short_plugin_name(n), "echotest");
            assert_eq!(full_plugin_name(n), "janus.plugin.echotest");
        }
    }

    #[test]
    fn quoting() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
    }

    #[cfg(target_endian = "little")]
    #[test]
    fn proc_addrs() {
        assert_eq!(
            parse_proc_addr("0100007F:1F90", false),
            Some("127.0.0.1:8080".parse().unwrap())
        );
        assert_eq!(
            parse_proc_addr("00000000000000000000000001000000:0050", true),
            Some("[::1]:80".parse().unwrap())
        );
        assert_eq!(
            parse_proc_addr("00000000000000000000000000000000:0050", true),
            Some("[::]:80".parse().unwrap())
        );
    }

    #[test]
    fn disable_lists() {
        let all: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(disable_list(&all, &["b"]), "libjanus_a.so,libjanus_c.so");
        assert_eq!(disable_list(&all, &["a", "b", "c"]), "");
    }

    #[test]
    fn error_debug_is_display() {
        let e = RigError::JanusNotFound {
            searched: vec!["/x/janus".into()],
        };
        assert_eq!(format!("{e:?}"), e.to_string());
        assert!(e.to_string().contains(INSTALL_COMMAND));
    }
}
