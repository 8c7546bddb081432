//! A plugin handle.

use super::*;

/// A plugin handle in a [`Session`].
///
/// Dropping it detaches it on the server, unless it already ended or was
/// detached with [`detach`](Self::detach): the `detach` is queued and the
/// drop returns at once (fire and forget).
#[derive(Debug)]
pub struct Handle {
    pub(super) client: Client,
    pub(super) session: SessionId,
    pub(super) id: HandleId,
    pub(super) plugin: String,
    pub(super) events: Events<HandleEvent>,
    pub(super) owned: Owned,
}

impl Handle {
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
    pub fn events(&self) -> &Events<HandleEvent> {
        &self.events
    }

    /// [`events`](Self::events) read with the vocabulary of the plugin `P`
    /// the handle is attached to ([`Error::WrongPlugin`] for another one).
    pub fn typed_events<P: janus_core::plugins::Plugin>(
        &self,
    ) -> Result<TypedEvents<'_, P>, Error> {
        api::same_plugin(P::NAME, &self.plugin)?;
        Ok(TypedEvents {
            events: &self.events,
            plugin: std::marker::PhantomData,
        })
    }

    /// `message`: `body` (a JSON object) to the plugin. Returns the
    /// plugin's synchronous reply, or the event that follows the `ack`; a
    /// plugin failure is [`RequestError::Plugin`](janus_core::RequestError::Plugin).
    pub fn message(&self, body: Value) -> Result<PluginReply, Error> {
        self.message_with(body, None, None)
    }

    /// `message` with an SDP offer or answer.
    pub fn message_with_jsep(&self, body: Value, jsep: Jsep) -> Result<PluginReply, Error> {
        self.message_with(body, Some(jsep), None)
    }

    /// `message` with an optional SDP and a deadline of its own (`None`:
    /// `Config::request_timeout`).
    pub fn message_with(
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
        api::plugin_reply(self.client.call_as(&self.events, request, timeout, None)?)
    }

    /// A typed plugin request (see [`janus_core::plugins`]): sent as a
    /// `message`, answered with the request's reply type. A request for
    /// another plugin than this handle's fails at once with
    /// [`Error::WrongPlugin`]; the plugin's refusal is
    /// [`RequestError::Plugin`](janus_core::RequestError::Plugin).
    pub fn send<Q: PluginRequest>(&self, request: &Q) -> Result<Q::Reply, Error> {
        self.send_with(request, None, None)
    }

    /// [`send`](Self::send) with an optional SDP and a deadline of its own.
    pub fn send_with<Q: PluginRequest>(
        &self,
        request: &Q,
        jsep: Option<Jsep>,
        timeout: Option<Duration>,
    ) -> Result<Q::Reply, Error> {
        let body = api::typed_body(request, &self.plugin)?;
        api::typed_reply::<Q>(self.message_with(body, jsep, timeout)?)
    }

    /// `trickle`: one ICE candidate, several, or end of candidates.
    pub fn trickle(&self, trickle: Trickle) -> Result<(), Error> {
        let request = Request::Trickle {
            handle: self.id,
            trickle,
        };
        self.client
            .call_as(&self.events, request, None, None)
            .map(drop)
    }

    /// `hangup`: closes the handle's PeerConnection (the handle stays).
    pub fn hangup(&self) -> Result<(), Error> {
        let request = Request::Hangup { handle: self.id };
        self.client
            .call_as(&self.events, request, None, None)
            .map(drop)
    }

    /// `detach`: ends the handle on the server. The handle's events end
    /// with `Ended(Detached)`; dropping it afterwards does nothing more.
    pub fn detach(&self) -> Result<(), Error> {
        let result = self
            .client
            .call_as(&self.events, self.owned.end_request(), None, None);
        self.owned.ended(result)
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        if let Some(request) = self.owned.on_drop() {
            self.client.forget(request);
        }
    }
}
