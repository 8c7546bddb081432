//! `janusctl`: operate a Janus server from the command line through its
//! Admin API (sessions, handles, settings, tokens) and its Janus API
//! (send a plugin request, watch a handle's events).

mod admin;
mod api;
mod monitor;
mod output;

use clap::{Parser, Subcommand};
use janus_blocking::Error;
use output::Out;
use std::process::ExitCode;
use std::time::Duration;

/// Operate a Janus WebRTC Server: its Admin API (sessions, handles,
/// settings, tokens) and its Janus API (plugin requests, events).
#[derive(Parser, Debug)]
#[command(
    name = "janusctl",
    version,
    after_help = "Examples:
  janusctl --admin-url http://127.0.0.1:7088/admin sessions
  janusctl --admin-url unix:///run/janus/admin.sock sessions
  JANUS_ADMIN_SECRET=janusoverlord janusctl handle-info 4390258923 7739213
  janusctl --json handles 4390258923 | jq .
  janusctl tokens add my-token --plugin janus.plugin.videoroom
  janusctl --url ws://127.0.0.1:8188 send janus.plugin.videoroom '{\"request\":\"list\"}'
  janusctl watch janus.plugin.echotest --body '{\"audio\":true}' --for 10

Exit codes: 0 success, 1 the server refused the request (a Janus or plugin
error), 2 bad usage, 3 no connection (the server unreachable, or the admin
secret refused), 4 no answer in time, 5 an answer that could not be read."
)]
struct Cli {
    /// The Admin API: http(s)://host:7088/admin, ws(s)://host:7188, or the
    /// Unix socket at pfunix's `admin_path`: unix:///PATH (SOCK_SEQPACKET)
    /// or unix+dgram:///PATH (SOCK_DGRAM).
    #[arg(
        long,
        env = "JANUS_ADMIN_URL",
        default_value = "http://127.0.0.1:7088/admin"
    )]
    admin_url: String,
    /// The Janus API: ws(s)://host:8188, http(s)://host:8088/janus, or
    /// unix:///PATH or unix+dgram:///PATH (pfunix's `path`).
    #[arg(long, env = "JANUS_URL", default_value = "ws://127.0.0.1:8188")]
    url: String,
    /// The Admin API secret (`admin_secret` in janus.jcfg).
    #[arg(long, env = "JANUS_ADMIN_SECRET", hide_env_values = true)]
    admin_secret: Option<String>,
    /// The Janus API secret (`api_secret` in janus.jcfg).
    #[arg(long, env = "JANUS_API_SECRET", hide_env_values = true)]
    api_secret: Option<String>,
    /// A stored token for the Janus API.
    #[arg(long, env = "JANUS_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// One JSON document per line instead of tables.
    #[arg(long, global = true)]
    json: bool,
    /// Seconds each request may take.
    #[arg(long, default_value_t = 10, global = true)]
    timeout: u64,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// The server's description (from the Admin API).
    Info,
    /// A round trip to the Admin API, timed.
    Ping,
    /// The server's settings (get_status).
    Status,
    /// Every session: its handles, transport, idle time and plugins.
    Sessions,
    /// The handles of a session: plugin, opaque id, ICE and DTLS state, traffic.
    Handles {
        /// The session id.
        session: u64,
    },
    /// What the server knows about one handle.
    HandleInfo {
        /// The session id.
        session: u64,
        /// The handle id.
        handle: u64,
        /// Only the plugin's part.
        #[arg(long)]
        plugin_only: bool,
    },
    /// Destroys a session and its handles.
    Destroy {
        /// The session id.
        session: u64,
    },
    /// Detaches a handle.
    Detach {
        /// The session id.
        session: u64,
        /// The handle id.
        handle: u64,
    },
    /// Closes a handle's PeerConnection.
    Hangup {
        /// The session id.
        session: u64,
        /// The handle id.
        handle: u64,
    },
    /// Stored tokens: list, add, allow, disallow, remove.
    Tokens {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Sets the log level (0 none to 7 huge).
    LogLevel {
        /// The new level.
        level: u8,
    },
    /// Whether the server takes new sessions (off to drain it).
    AcceptSessions {
        /// `on` or `off`.
        #[arg(value_parser = ["on", "off"])]
        state: String,
    },
    /// Sends a request to a plugin's admin interface (message_plugin).
    Message {
        /// The plugin's package name, e.g. janus.plugin.videoroom.
        plugin: String,
        /// The request, a JSON object.
        request: String,
    },
    /// Sessions and handles with their traffic, refreshed.
    Top {
        /// Seconds between refreshes.
        #[arg(long, default_value_t = 2)]
        interval: u64,
        /// Stop after this many refreshes (default: until interrupted).
        #[arg(long)]
        count: Option<u64>,
    },
    /// The session ledger: every session opened once and closed once with a
    /// reason, from the servers' event handlers (sampleevh posting to
    /// --listen, wsevh connecting to --ws-listen) and list_sessions polls.
    Monitor {
        /// Where sampleevh posts (its `backend`), e.g. 127.0.0.1:7777.
        #[arg(long)]
        listen: Option<String>,
        /// Where wsevh connects (its `backend`), e.g. 127.0.0.1:7778.
        #[arg(long)]
        ws_listen: Option<String>,
        /// Admin API URLs to poll (repeatable; default: --admin-url).
        #[arg(long = "poll")]
        poll: Vec<String>,
        /// Seconds between polls.
        #[arg(long, default_value_t = 5)]
        every: u64,
        /// Seconds a session missing from a poll waits for an event saying
        /// why before it is closed as vanished.
        #[arg(long, default_value_t = 10)]
        grace: u64,
        /// Seconds to run (default: until interrupted).
        #[arg(long = "for")]
        duration: Option<u64>,
        /// Counts per reason at the end.
        #[arg(long)]
        summary: bool,
    },
    /// Janus API: attaches to a plugin, sends one request, prints the reply
    /// and the events that follow until `--wait` passes.
    Send {
        /// The plugin's package name.
        plugin: String,
        /// The message body, a JSON object.
        body: String,
        /// Seconds to keep printing events after the reply.
        #[arg(long, default_value_t = 2)]
        wait: u64,
    },
    /// Janus API: attaches to a plugin and prints its events as they come.
    Watch {
        /// The plugin's package name.
        plugin: String,
        /// A message body to send first, a JSON object.
        #[arg(long)]
        body: Option<String>,
        /// Seconds to watch (default: until interrupted).
        #[arg(long = "for")]
        duration: Option<u64>,
    },
}

#[derive(Subcommand, Debug)]
enum TokenAction {
    /// Every stored token and its plugins.
    List,
    /// Stores a token (allowed every plugin unless --plugin is given).
    Add {
        /// The token.
        token: String,
        /// A plugin it may attach to (repeatable).
        #[arg(long = "plugin")]
        plugins: Vec<String>,
    },
    /// Allows a token more plugins.
    Allow {
        /// The token.
        token: String,
        /// Plugins to allow.
        #[arg(required = true)]
        plugins: Vec<String>,
    },
    /// Takes plugins away from a token.
    Disallow {
        /// The token.
        token: String,
        /// Plugins to take away.
        #[arg(required = true)]
        plugins: Vec<String>,
    },
    /// Forgets a token.
    Remove {
        /// The token.
        token: String,
    },
}

/// What went wrong, and the exit code that tells it apart.
#[derive(Debug)]
struct Failure {
    code: u8,
    message: String,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        use janus_blocking::janus_core::RequestError;
        let code = match &e {
            Error::Request(RequestError::Janus(_) | RequestError::Plugin(_)) => 1,
            Error::Connect { .. } | Error::Url { .. } | Error::Io(_) | Error::Closed => 3,
            Error::Request(RequestError::TransportClosed) => 3,
            Error::Request(RequestError::TimedOut { .. }) => 4,
            Error::AdminReply { .. } | Error::PluginReply(_) | Error::UnexpectedReply(_) => 5,
            _ => 1,
        };
        let message = janus_blocking::janus_client::api::error_chain(&e).replace(
            "(Options::admin_secret)",
            "(--admin-secret or JANUS_ADMIN_SECRET)",
        );
        Failure { code, message }
    }
}

impl Failure {
    fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Out::new(cli.json);
    match run(&cli, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("janusctl: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn run(cli: &Cli, out: &Out) -> Result<(), Failure> {
    let timeout = Duration::from_secs(cli.timeout.max(1));
    match &cli.command {
        Command::Send { plugin, body, wait } => {
            let body = output::parse_object(body)?;
            api::send(cli, out, timeout, plugin, body, Duration::from_secs(*wait))
        }
        Command::Watch {
            plugin,
            body,
            duration,
        } => {
            let body = body.as_deref().map(output::parse_object).transpose()?;
            api::watch(
                cli,
                out,
                timeout,
                plugin,
                body,
                duration.map(Duration::from_secs),
            )
        }
        Command::Monitor {
            listen,
            ws_listen,
            poll,
            every,
            grace,
            duration,
            summary,
        } => {
            if listen.is_none() && ws_listen.is_none() {
                return Err(Failure::usage(
                    "monitor needs --listen (for sampleevh) or --ws-listen (for wsevh)",
                ));
            }
            let default = [cli.admin_url.clone()];
            let poll_urls = if poll.is_empty() {
                &default[..]
            } else {
                &poll[..]
            };
            let args = monitor::Args {
                listen: listen.as_deref(),
                ws_listen: ws_listen.as_deref(),
                poll_urls,
                poll_every: Duration::from_secs((*every).max(1)),
                duration: duration.map(Duration::from_secs),
                summary: *summary,
                grace: Duration::from_secs(*grace),
            };
            monitor::run(cli, out, timeout, args)
        }
        command => admin::run(cli, out, timeout, command),
    }
}
