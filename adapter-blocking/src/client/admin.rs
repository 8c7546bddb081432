//! `AdminClient`: a connection to Janus's Admin API.

use janus_client::{api, Error, Options};
use janus_core::admin::{AdminCall, GetStatus, Status};
use janus_core::{Api, Request, Secret, ServerInfo};

use super::Client;

/// A connection to the Admin API of one Janus server (HTTP `/admin`, port
/// 7088 by default, or a WebSocket with the `janus-admin-protocol`
/// subprotocol, port 7188), driven by a thread of its own.
///
/// Every request is one typed call ([`call`](Self::call)) with a struct
/// from [`janus_core::admin`]; each carries the admin secret. Nothing is
/// held or kept alive: sessions and handles named here are other clients'.
///
/// ```no_run
/// use janus_blocking::AdminClient;
/// use janus_blocking::janus_core::admin::{GetHandleInfo, ListHandles, ListSessions};
///
/// let admin = AdminClient::connect("http://127.0.0.1:7088/admin", "janusoverlord")?;
/// for session in admin.call(ListSessions)? {
///     for handle in admin.call(ListHandles::new(session))? {
///         let info = admin.call(GetHandleInfo::new(session, handle))?;
///         println!("{session}/{handle}: {:?} ICE {:?}", info.plugin, info.ice_state());
///     }
/// }
/// # Ok::<(), janus_blocking::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct AdminClient {
    client: Client,
}

impl AdminClient {
    /// Connects with the admin secret `admin_secret` and default options.
    pub fn connect(url: &str, admin_secret: impl Into<Secret>) -> Result<Self, Error> {
        Self::connect_with(url, Options::new().admin_secret(admin_secret))
    }

    /// Connects with the given options (their `Config::api` is set to the
    /// Admin API). A `get_status` proves the endpoint and the secret
    /// before this returns: a Janus API endpoint, or a secret the server
    /// refuses, fails here with an error that says so. Without a secret,
    /// a server that wants one still connects: `info` and `ping` work, and
    /// every other request is refused with Janus's 403.
    pub fn connect_with(url: &str, options: impl Into<Options>) -> Result<Self, Error> {
        let mut options = options.into();
        options.config.api = Api::Admin;
        options.fetch_info = false;
        let has_secret = options.config.admin_secret.is_some();
        let admin = Self {
            client: Client::connect_with(url, options)?,
        };
        let probe = admin.status();
        if let Err(e) = api::admin_probe(url, probe, has_secret) {
            admin.close();
            return Err(e);
        }
        Ok(admin)
    }

    /// Sends one Admin API request and reads its reply.
    pub fn call<C: AdminCall>(&self, call: C) -> Result<C::Reply, Error> {
        let request = call.to_request();
        let verb = request.verb;
        let reply = self
            .client
            .call(Request::Admin(Box::new(request)), None, None)?;
        api::admin_reply::<C>(verb, reply)
    }

    /// `get_status`: the server's settings.
    pub fn status(&self) -> Result<Status, Error> {
        self.call(GetStatus)
    }

    /// `info`: the server's description.
    pub fn info(&self) -> Result<ServerInfo, Error> {
        self.client.info()
    }

    /// `ping`: a round trip to the server.
    pub fn ping(&self) -> Result<(), Error> {
        self.client.ping()
    }

    /// The URL this client was connected with.
    pub fn url(&self) -> &str {
        self.client.url()
    }

    /// Stops the driver thread (idempotent).
    pub fn close(&self) {
        self.client.close()
    }
}
