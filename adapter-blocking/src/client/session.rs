//! A session, and a hold on it.

use super::*;

/// A Janus session held by a [`Client`].
///
/// Dropping it destroys it on the server, unless it already ended or was
/// destroyed with [`destroy`](Self::destroy): the `destroy` is queued and
/// the drop returns at once (fire and forget). Its handles are not
/// detached one by one: Janus ends them with the session.
#[derive(Debug)]
pub struct Session {
    pub(super) client: Client,
    pub(super) id: SessionId,
    pub(super) origin: SessionOrigin,
    pub(super) events: Events<SessionEvent>,
    pub(super) owned: Owned,
}

impl Session {
    /// The session id.
    pub fn id(&self) -> SessionId {
        self.id
    }

    /// Runs `work` on the engine; "unknown" is explained by its end.
    fn local<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Local<'_>) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let result = self.client.local(work).and_then(|r| r);
        api::explain_ended(result, self.events.rx.ended())
    }

    /// Whether it was created here or joined by `claim`.
    pub fn origin(&self) -> SessionOrigin {
        self.origin
    }

    /// The client it belongs to.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Its events: reclaimed, unknown messages, and finally `Ended`.
    pub fn events(&self) -> &Events<SessionEvent> {
        &self.events
    }

    /// `attach`: a handle on `plugin` (e.g. `janus.plugin.echotest`).
    pub fn attach(&self, plugin: &str) -> Result<Handle, Error> {
        self.attach_request(plugin, None)
    }

    /// `attach` to the plugin `P` (e.g. `attach_as::<VideoRoom>()`); read
    /// its events with [`Handle::typed_events`].
    pub fn attach_as<P: janus_core::plugins::Plugin>(&self) -> Result<Handle, Error> {
        self.attach(P::NAME)
    }

    /// `attach` with an opaque id (echoed in events when the server is
    /// configured to).
    pub fn attach_with(&self, plugin: &str, opaque_id: &str) -> Result<Handle, Error> {
        self.attach_request(plugin, Some(opaque_id.to_owned()))
    }

    fn attach_request(&self, plugin: &str, opaque_id: Option<String>) -> Result<Handle, Error> {
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
                .call_as(&self.events, request, None, subscribe)?,
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
    pub fn keepalive(&self) -> Result<(), Error> {
        let request = Request::Keepalive { session: self.id };
        self.client
            .call_as(&self.events, request, None, None)
            .map(drop)
    }

    /// `destroy`: ends the session and its handles on the server. The
    /// session's events end with `Ended(Destroyed)`; dropping it afterwards
    /// does nothing more. If it fails in a way that may leave the session
    /// alive (a timeout, a lost transport), dropping it later still tries.
    pub fn destroy(&self) -> Result<(), Error> {
        let result = self
            .client
            .call_as(&self.events, self.owned.end_request(), None, None);
        self.owned.ended(result)
    }

    // ----- the session's lifetime ------------------------------------------

    /// Records activity on the session now (for example a request made for
    /// it elsewhere), pushing back its next keepalive and its expiry.
    pub fn touch(&self) -> Result<(), Error> {
        let id = self.id;
        self.local(move |e| e.touch(id))
    }

    /// Keeps the session from expiring for as long as the returned guard
    /// lives: keepalives are sent for it even if automatic keepalive is
    /// off, and it never expires locally. Holds are counted: the session
    /// may expire again once every guard is dropped.
    pub fn hold(&self) -> Result<Hold, Error> {
        let id = self.id;
        self.local(move |e| e.hold(id))?;
        Ok(Hold {
            client: self.client.clone(),
            session: id,
        })
    }

    /// Turns automatic keepalive on or off (for example for a claimed
    /// session whose other owner keeps it alive).
    pub fn set_keepalive(&self, on: bool) -> Result<(), Error> {
        let id = self.id;
        self.local(move |e| e.set_keepalive(id, on))
    }

    /// The session's lifetime now: its estimated expiry, the time left,
    /// holds and keepalive. An ended session is an error
    /// ([`CommandError::UnknownSession`](janus_core::CommandError::UnknownSession)).
    pub fn lifetime(&self) -> Result<SessionLifetime, Error> {
        let id = self.id;
        self.local(move |e| e.lifetime(id))
    }

    /// Whether the session is expired (or ended): its estimated server-side
    /// deadline passed with no sign of life, or it is gone.
    pub fn is_expired(&self) -> bool {
        self.lifetime().map_or(true, |l| l.expired)
    }

    /// The time left before the estimated expiry; `None` if it never
    /// expires (held, no server timeout) or it ended.
    pub fn time_left(&self) -> Option<Duration> {
        self.lifetime().ok().and_then(|l| l.time_left)
    }

    /// The estimated instant of expiry; `None` as for [`time_left`](Self::time_left).
    pub fn expires_at(&self) -> Option<Instant> {
        self.lifetime().ok().and_then(|l| l.expires_at)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(request) = self.owned.on_drop() {
            self.client.forget(request);
        }
    }
}

/// A hold on a session, from [`Session::hold`]: while it lives the
/// session is kept alive and never expires locally. Dropping it releases
/// the hold.
#[derive(Debug)]
pub struct Hold {
    pub(super) client: Client,
    pub(super) session: SessionId,
}

impl Drop for Hold {
    fn drop(&mut self) {
        let session = self.session;
        let release: LocalWork = Box::new(move |e| {
            e.release(session);
        });
        let _ = self.client.shared.send(Command::Local(release));
    }
}
