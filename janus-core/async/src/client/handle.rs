//! A plugin handle.

use super::*;

/// A plugin handle in a [`Session`].
///
/// Dropping it detaches it on the server, unless it already ended or was
/// detached with [`detach`](Self::detach): the `detach` is queued and the
/// drop returns at once.
pub struct Handle<R> {
    pub(super) client: Client<R>,
    pub(super) session: SessionId,
    pub(super) id: HandleId,
    pub(super) plugin: String,
    pub(super) events: Events<HandleEvent>,
    pub(super) owned: Owned,
}

impl<R> fmt::Debug for Handle<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("id", &self.id)
            .field("session", &self.session)
            .field("plugin", &self.plugin)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime> Handle<R> {
    /// The handle id.
    pub fn id(&self) -> HandleId {
        self.id
    }

    /// The session it belongs to.
    pub fn session_id(&self) -> SessionId {
        self.session
    }

    /// The plugin's package name.
    pub fn plugin(&self) -> &str {
        &self.plugin
    }

    /// Its events: events that answer no request, and finally `Ended`.
    pub fn events(&self) -> Events<HandleEvent> {
        self.events.clone()
    }

    /// [`events`](Self::events) read with the vocabulary of the plugin `P`
    /// the handle is attached to ([`Error::WrongPlugin`] for another one).
    pub fn typed_events<P: janus_core::plugins::Plugin>(
        &self,
    ) -> Result<impl Stream<Item = janus_client::TypedEvent<P>> + Send + Unpin + use<P, R>, Error>
    {
        api::same_plugin(P::NAME, &self.plugin)?;
        Ok(self.events().map(janus_client::TypedEvent::<P>::read))
    }

    /// `message`: `body` (a JSON object) to the plugin. Resolves with the
    /// plugin's synchronous reply, or with the event that follows the `ack`;
    /// a plugin failure is `RequestError::Plugin`.
    pub async fn message(&self, body: Value) -> Result<PluginReply, Error> {
        self.message_with(body, None, None).await
    }

    /// `message` with an SDP offer or answer.
    pub async fn message_with_jsep(&self, body: Value, jsep: Jsep) -> Result<PluginReply, Error> {
        self.message_with(body, Some(jsep), None).await
    }

    /// `message` with an optional SDP and a deadline of its own (`None`:
    /// `Config::request_timeout`).
    pub async fn message_with(
        &self,
        body: Value,
        jsep: Option<Jsep>,
        timeout: Option<Duration>,
    ) -> Result<PluginReply, Error> {
        let request = Request::Message {
            handle: self.id,
            body,
            jsep,
        };
        api::plugin_reply(
            self.client
                .call_as(&self.events, request, timeout, None)
                .await?,
        )
    }

    /// A typed plugin request (see [`janus_core::plugins`]): sent as a
    /// `message`, answered with the request's reply type. A request for
    /// another plugin than this handle's fails at once with
    /// [`Error::WrongPlugin`]; the plugin's refusal is
    /// [`RequestError::Plugin`](janus_core::RequestError::Plugin).
    pub async fn send<Q: PluginRequest>(&self, request: &Q) -> Result<Q::Reply, Error> {
        self.send_with(request, None, None).await
    }

    /// [`send`](Self::send) with an optional SDP and a deadline of its own.
    pub async fn send_with<Q: PluginRequest>(
        &self,
        request: &Q,
        jsep: Option<Jsep>,
        timeout: Option<Duration>,
    ) -> Result<Q::Reply, Error> {
        let body = api::typed_body(request, &self.plugin)?;
        api::typed_reply::<Q>(self.message_with(body, jsep, timeout).await?)
    }

    /// `trickle`: one ICE candidate, several, or end of candidates.
    pub async fn trickle(&self, trickle: Trickle) -> Result<(), Error> {
        let request = Request::Trickle {
            handle: self.id,
            trickle,
        };
        self.client
            .call_as(&self.events, request, None, None)
            .await
            .map(drop)
    }

    /// `hangup`: closes the handle's PeerConnection (the handle stays).
    pub async fn hangup(&self) -> Result<(), Error> {
        let request = Request::Hangup { handle: self.id };
        self.client
            .call_as(&self.events, request, None, None)
            .await
            .map(drop)
    }

    /// `detach`: ends the handle on the server. The handle's events end
    /// with `Ended(Detached)`; dropping it afterwards does nothing more.
    pub async fn detach(&self) -> Result<(), Error> {
        let result = self
            .client
            .call_as(&self.events, self.owned.end_request(), None, None)
            .await;
        self.owned.ended(result)
    }
}

impl<R> Drop for Handle<R> {
    fn drop(&mut self) {
        if let Some(request) = self.owned.on_drop() {
            let _ = self.client.shared.send(Command::Forget(request));
        }
    }
}
