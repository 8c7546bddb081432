//! Plugins, transports, event handlers and loggers, custom events and log
//! lines, and the server's view of the network.

use super::*;

/// `message_plugin` (and `query_transport`, `query_eventhandler`,
/// `query_logger`): a request to a module's admin interface; answers with
/// the module's `response`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueryModule {
    #[serde(skip)]
    verb: &'static str,
    #[serde(skip)]
    key: &'static str,
    #[serde(skip)]
    name: String,
    request: Value,
}

impl QueryModule {
    fn new(verb: &'static str, key: &'static str, name: String, request: Value) -> Self {
        Self {
            verb,
            key,
            name,
            request,
        }
    }

    /// `message_plugin`: `request` to the plugin `plugin` (a package name).
    pub fn plugin(plugin: impl Into<String>, request: Value) -> Self {
        Self::new("message_plugin", "plugin", plugin.into(), request)
    }

    /// `query_transport`: `request` to the transport `transport`.
    pub fn transport(transport: impl Into<String>, request: Value) -> Self {
        Self::new("query_transport", "transport", transport.into(), request)
    }

    /// `query_eventhandler`: `request` to the event handler `handler`.
    pub fn event_handler(handler: impl Into<String>, request: Value) -> Self {
        Self::new("query_eventhandler", "handler", handler.into(), request)
    }

    /// `query_logger`: `request` to the logger `logger`.
    pub fn logger(logger: impl Into<String>, request: Value) -> Self {
        Self::new("query_logger", "logger", logger.into(), request)
    }
}

admin_call!(QueryModule => Value, "response", |s| request(s.verb, s)
    .field(s.key, s.name.clone()));

/// `custom_event`: an event of the caller's making, handed to the event
/// handlers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CustomEvent {
    schema: String,
    data: Value,
}

impl CustomEvent {
    /// An event with the `schema` name and `data`.
    pub fn new(schema: impl Into<String>, data: Value) -> Self {
        Self {
            schema: schema.into(),
            data,
        }
    }
}

admin_call!(CustomEvent => Done, |s| request("custom_event", s));

/// `custom_logline`: a line of the caller's making in the server's log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CustomLogline {
    line: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<u8>,
}

impl CustomLogline {
    /// Logs `line` (at the info level unless [`level`](Self::level) says otherwise).
    pub fn new(line: impl Into<String>) -> Self {
        Self {
            line: line.into(),
            level: None,
        }
    }

    /// The log level of the line.
    pub fn level(mut self, level: u8) -> Self {
        self.level = Some(level);
        self
    }
}

admin_call!(CustomLogline => Done, |s| request("custom_logline", s));

// ----- network ---------------------------------------------------------------

/// `resolve_address`: has the server resolve a host name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResolveAddress {
    address: String,
}

impl ResolveAddress {
    /// Resolves `address`.
    pub fn new(address: impl Into<String>) -> Self {
        Self {
            address: address.into(),
        }
    }
}

/// What `resolve_address` found.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Resolved {
    /// The address it resolved to.
    pub ip: String,
    /// How long it took, in microseconds.
    pub elapsed: u64,
}

admin_call!(ResolveAddress => Resolved, |s| request("resolve_address", s));

/// `test_stun`: has the server ask a STUN server for its public address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TestStun {
    address: String,
    port: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    localport: Option<u16>,
}

impl TestStun {
    /// Asks the STUN server at `address`:`port`.
    pub fn new(address: impl Into<String>, port: u16) -> Self {
        Self {
            address: address.into(),
            port,
            localport: None,
        }
    }

    /// The local port to send from.
    pub fn local_port(mut self, port: u16) -> Self {
        self.localport = Some(port);
        self
    }
}

/// What `test_stun` found.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct StunResult {
    /// The server's public address, as the STUN server sees it.
    pub public_ip: String,
    /// Its public port.
    pub public_port: u16,
    /// How long it took, in microseconds.
    pub elapsed: u64,
}

admin_call!(TestStun => StunResult, |s| request("test_stun", s));

/// `loops_info`: the server's static event loops (empty unless configured).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoopsInfo;

admin_call!(LoopsInfo => Vec<Value>, "loops", |_s| AdminRequest::new("loops_info"));
