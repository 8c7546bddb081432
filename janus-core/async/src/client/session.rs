//! A session, and a hold on it.

use super::*;

/// A Janus session held by a [`Client`].
///
/// Dropping it destroys it on the server, unless it already ended or was
/// destroyed with [`destroy`](Self::destroy): the `destroy` is queued and
/// the drop returns at once. Its handles are not detached one by one: Janus
/// ends them with the session.
pub struct Session<R> {
    pub(super) client: Client<R>,
    pub(super) id: SessionId,
    pub(super) origin: SessionOrigin,
    pub(super) events: Events<SessionEvent>,
    pub(super) owned: Owned,
}

impl<R> fmt::Debug for Session<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("id", &self.id)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> Session<R> {
    /// The session id.
    pub fn id(&self) -> SessionId {
        self.id
    }

    /// Runs `work` on the engine; "unknown" is explained by its end.
    async fn local<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Local<'_>) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let result = self.client.local(work).await.and_then(|r| r);
        api::explain_ended(result, self.events.rx.ended())
    }

    /// Whether it was created here or joined by `claim`.
    pub fn origin(&self) -> SessionOrigin {
        self.origin
    }

    /// The client it belongs to.
    pub fn client(&self) -> &Client<R> {
        &self.client
    }

    /// Its events: reclaimed, unknown messages, and finally `Ended`.
    pub fn events(&self) -> Events<SessionEvent> {
        self.events.clone()
    }

    /// `attach`: a handle on `plugin` (e.g. `janus.plugin.echotest`).
    pub async fn attach(&self, plugin: &str) -> Result<Handle<R>, Error> {
        self.attach_request(plugin, None).await
    }

    /// `attach` to the plugin `P` (e.g. `attach_as::<VideoRoom>()`); read
    /// its events with [`Handle::typed_events`].
    pub async fn attach_as<P: janus_core::plugins::Plugin>(&self) -> Result<Handle<R>, Error> {
        self.attach(P::NAME).await
    }

    /// `attach` with an opaque id (echoed in events when the server is
    /// configured to).
    pub async fn attach_with(&self, plugin: &str, opaque_id: &str) -> Result<Handle<R>, Error> {
        self.attach_request(plugin, Some(opaque_id.to_owned()))
            .await
    }

    async fn attach_request(
        &self,
        plugin: &str,
        opaque_id: Option<String>,
    ) -> Result<Handle<R>, Error> {
        let (tx, rx) = counted_queue(
            self.client.shared.capacity,
            self.client.shared.drops.clone(),
        );
        let request = Request::Attach {
            session: self.id,
            plugin: plugin.to_owned(),
            opaque_id,
        };
        let subscribe = Some(Subscriber::Handle(tx));
        let id = api::attached(
            self.client
                .call_as(&self.events, request, None, subscribe)
                .await?,
        )?;
        Ok(Handle {
            client: self.client.clone(),
            session: self.id,
            id,
            plugin: plugin.to_owned(),
            events: Events::new(rx),
            owned: Owned::handle(id),
        })
    }

    /// `keepalive`, now, whatever the automatic schedule.
    pub async fn keepalive(&self) -> Result<(), Error> {
        let request = Request::Keepalive { session: self.id };
        self.client
            .call_as(&self.events, request, None, None)
            .await
            .map(drop)
    }

    /// `destroy`: ends the session and its handles on the server. The
    /// session's events end with `Ended(Destroyed)`; dropping it afterwards
    /// does nothing more.
    /// If it fails in a way that may leave the session alive (a timeout, a
    /// lost transport), dropping it later still tries.
    pub async fn destroy(&self) -> Result<(), Error> {
        let result = self
            .client
            .call_as(&self.events, self.owned.end_request(), None, None)
            .await;
        self.owned.ended(result)
    }

    // ----- the session's lifetime ------------------------------------------

    /// Records activity on the session now (for example a request made for
    /// it elsewhere), pushing back its next keepalive and its expiry.
    pub async fn touch(&self) -> Result<(), Error> {
        let id = self.id;
        self.local(move |e| e.touch(id)).await
    }

    /// Keeps the session from expiring for as long as the returned guard
    /// lives: keepalives are sent for it even if automatic keepalive is
    /// off, and it never expires locally. Holds are counted: the session
    /// may expire again once every guard is dropped.
    pub async fn hold(&self) -> Result<Hold<R>, Error> {
        let id = self.id;
        self.local(move |e| e.hold(id)).await?;
        Ok(Hold {
            client: self.client.clone(),
            session: id,
        })
    }

    /// Turns automatic keepalive on or off (for example for a claimed
    /// session whose other owner keeps it alive).
    pub async fn set_keepalive(&self, on: bool) -> Result<(), Error> {
        let id = self.id;
        self.local(move |e| e.set_keepalive(id, on)).await
    }

    /// The session's lifetime now: its estimated expiry, the time left,
    /// holds and keepalive. An ended session is an error
    /// ([`CommandError::UnknownSession`](janus_core::CommandError::UnknownSession)).
    pub async fn lifetime(&self) -> Result<SessionLifetime, Error> {
        let id = self.id;
        self.local(move |e| e.lifetime(id)).await
    }

    /// Whether the session is expired (or ended): its estimated server-side
    /// deadline passed with no sign of life, or it is gone.
    pub async fn is_expired(&self) -> bool {
        self.lifetime().await.map_or(true, |l| l.expired)
    }

    /// The time left before the estimated expiry; `None` if it never
    /// expires (held, no server timeout) or it ended.
    pub async fn time_left(&self) -> Option<Duration> {
        self.lifetime().await.ok().and_then(|l| l.time_left)
    }

    /// The estimated instant of expiry; `None` as for [`time_left`](Self::time_left).
    pub async fn expires_at(&self) -> Option<Instant> {
        self.lifetime().await.ok().and_then(|l| l.expires_at)
    }
}

impl<R> Drop for Session<R> {
    fn drop(&mut self) {
        if let Some(request) = self.owned.on_drop() {
            let _ = self.client.shared.send(Command::Forget(request));
        }
    }
}

/// A hold on a session, from [`Session::hold`]: while it lives the
/// session is kept alive and never expires locally. Dropping it releases
/// the hold.
pub struct Hold<R> {
    pub(super) client: Client<R>,
    pub(super) session: SessionId,
}

impl<R> fmt::Debug for Hold<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hold")
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

impl<R> Drop for Hold<R> {
    fn drop(&mut self) {
        let session = self.session;
        let release: janus_client::LocalWork = Box::new(move |e| {
            e.release(session);
        });
        let _ = self.client.shared.send(Command::Local(release));
    }
}
