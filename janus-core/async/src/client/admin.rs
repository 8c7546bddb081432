//! `AdminClient`: a connection to Janus's Admin API.

use janus_client::{api, Error, Options};
use janus_core::admin::{AdminCall, GetStatus, Status};
use janus_core::{Api, Request, Secret, ServerInfo};

use super::Client;
use crate::runtime::Runtime;

/// A connection to the Admin API of one Janus server (HTTP `/admin`, port
/// 7088 by default, or a WebSocket with the `janus-admin-protocol`
/// subprotocol, port 7188), on the runtime `R`.
///
/// Every request is one typed call ([`call`](Self::call)) with a struct
/// from [`janus_core::admin`]; each carries the admin secret. Nothing is
/// held or kept alive: sessions and handles named here are other clients'.
/// Cheap to clone; the driver stops with [`close`](Self::close) or when
/// the last clone is dropped.
///
/// ```no_run
/// # async fn run<R: janus_async::Runtime>() -> Result<(), janus_async::Error> {
/// use janus_async::AdminClient;
/// use janus_core::admin::{GetHandleInfo, ListHandles, ListSessions};
///
/// let admin = AdminClient::<R>::connect("http://127.0.0.1:7088/admin", "janusoverlord").await?;
/// for session in admin.call(ListSessions).await? {
///     for handle in admin.call(ListHandles::new(session)).await? {
///         let info = admin.call(GetHandleInfo::new(session, handle)).await?;
///         println!("{session}/{handle}: {:?} ICE {:?}", info.plugin, info.ice_state());
///     }
/// }
/// # Ok(())
/// # }
/// ```
pub struct AdminClient<R> {
    client: Client<R>,
}

impl<R> Clone for AdminClient<R> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
        }
    }
}

impl<R> std::fmt::Debug for AdminClient<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminClient")
            .field("url", &self.client.shared.url)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> AdminClient<R> {
    /// Connects with the admin secret `admin_secret` and default options.
    pub async fn connect(url: &str, admin_secret: impl Into<Secret>) -> Result<Self, Error> {
        Self::connect_with(url, Options::new().admin_secret(admin_secret)).await
    }

    /// Connects with the given options (their `Config::api` is set to the
    /// Admin API). A `get_status` proves the endpoint and the secret
    /// before this returns: a Janus API endpoint, or a secret the server
    /// refuses, fails here with an error that says so. Without a secret,
    /// a server that wants one still connects: `info` and `ping` work, and
    /// every other request is refused with Janus's 403.
    pub async fn connect_with(url: &str, options: impl Into<Options>) -> Result<Self, Error> {
        let mut options = options.into();
        options.config.api = Api::Admin;
        options.fetch_info = false;
        let has_secret = options.config.admin_secret.is_some();
        let admin = Self {
            client: Client::connect_with(url, options).await?,
        };
        let probe = admin.status().await;
        if let Err(e) = api::admin_probe(url, probe, has_secret) {
            admin.close().await;
            return Err(e);
        }
        Ok(admin)
    }

    /// Sends one Admin API request and reads its reply.
    pub async fn call<C: AdminCall>(&self, call: C) -> Result<C::Reply, Error> {
        let request = call.to_request();
        let verb = request.verb;
        let reply = self
            .client
            .call(Request::Admin(Box::new(request)), None, None)
            .await?;
        api::admin_reply::<C>(verb, reply)
    }

    /// `get_status`: the server's settings.
    pub async fn status(&self) -> Result<Status, Error> {
        self.call(GetStatus).await
    }

    /// `info`: the server's description.
    pub async fn info(&self) -> Result<ServerInfo, Error> {
        self.client.info().await
    }

    /// `ping`: a round trip to the server.
    pub async fn ping(&self) -> Result<(), Error> {
        self.client.ping().await
    }

    /// The URL this client was connected with.
    pub fn url(&self) -> &str {
        self.client.url()
    }

    /// Stops the driver and waits until it has (idempotent).
    pub async fn close(&self) {
        self.client.close().await
    }
}
