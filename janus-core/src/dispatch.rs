//! What each inbound message does: the reply that settles a request, the
//! event for a handle, the end of a session or handle, or a report of what
//! could not be used. Messages arrive decoded ([`crate::inbound`]).

use crate::connection::Connection;
use crate::error::{ProtocolError, RequestError};
use crate::ids::{HandleId, SessionId};
use crate::inbound::{self, Kind, Message, Transaction};
use crate::snapshot::SessionOrigin;
use crate::transaction::{Origin, ReqState, Stored};
use crate::types::{EndReason, Event, HandleEvent, PluginReply, Reply, Request, SessionEvent};

/// What a request was, as far as its `success` matters.
enum Answered {
    Create,
    Attach(SessionId),
    Claim { session: SessionId, keepalive: bool },
    Message,
    Destroy(SessionId),
    Detach(HandleId),
    Ack,
    Info,
    Done,
    Admin,
}

impl Connection {
    /// Reads a frame or body; `http_request` is the request a POST answered.
    /// Returns whether every message in it was usable.
    pub(crate) fn on_bytes(&mut self, bytes: &[u8], http_request: Option<u64>) -> bool {
        let limit = self.config.max_frame_size;
        let result = if bytes.len() > limit {
            Err(ProtocolError::FrameTooLarge {
                size: bytes.len(),
                limit,
            })
        } else {
            inbound::decode(bytes, |m| match m {
                Ok(m) => self.on_message(m, http_request),
                Err(e) => self.events.push_back(Event::ProtocolError(e)),
            })
        };
        match result {
            Ok(()) => true,
            Err(e) => {
                match http_request {
                    Some(rid) if self.requests.contains_key(&rid) => {
                        self.resolve(rid, Err(RequestError::Protocol(e)))
                    }
                    _ => self.events.push_back(Event::ProtocolError(e)),
                }
                false
            }
        }
    }

    fn on_message(&mut self, msg: Message<'_>, http_request: Option<u64>) {
        let ours = msg
            .transaction
            .as_str()
            .and_then(|t| self.parse_transaction(t));
        let tx = ours.filter(|id| self.requests.contains_key(id));
        if let Some(id) = ours.filter(|_| tx.is_none()) {
            if self.on_late_answer(id, &msg) {
                return;
            }
        }
        match msg.kind {
            Kind::Success | Kind::Ack | Kind::Error | Kind::ServerInfo | Kind::Pong => {
                let id = match (tx, &msg.transaction) {
                    (Some(id), _) => Some(id),
                    // An error without a transaction answers the POST it came in.
                    (None, Transaction::Absent) => {
                        http_request.filter(|id| self.requests.contains_key(id))
                    }
                    (None, _) => None,
                };
                match id {
                    Some(id) => self.on_reply(id, &msg),
                    // No request can be found for it: say so rather than drop it.
                    None if matches!(msg.transaction, Transaction::NotText) => {
                        self.events
                            .push_back(Event::ProtocolError(ProtocolError::Malformed(format!(
                                "a `{}` whose `transaction` is not a string (dropped)",
                                msg.kind.name()
                            ))));
                    }
                    None if msg.kind == Kind::Error => {
                        let e = match msg.error() {
                            Ok(e) => ProtocolError::Unsolicited(e),
                            Err(e) => e,
                        };
                        self.events.push_back(Event::ProtocolError(e));
                    }
                    // A late reply to a request that already resolved (timed out,
                    // or answered by its event before its ack).
                    None => {}
                }
            }
            Kind::Event => {
                if let Some(id) = tx {
                    if matches!(*self.requests[&id].request.get(), Request::Message { .. }) {
                        self.on_reply(id, &msg);
                        return;
                    }
                }
                let Some((sid, hid)) = self.route(&msg) else {
                    return self.unroutable(&msg);
                };
                let event = match (msg.plugindata(), msg.jsep()) {
                    (Ok((plugin, data)), Ok(jsep)) => HandleEvent::Plugin {
                        plugin,
                        data,
                        jsep: jsep.map(Box::new),
                        transaction: msg.transaction.as_str().map(str::to_owned),
                    },
                    (Err(e), _) | (_, Err(e)) => {
                        self.events.push_back(Event::ProtocolError(e));
                        return;
                    }
                };
                self.handle_event(sid, hid, event);
            }
            Kind::WebrtcUp | Kind::Media | Kind::Slowlink | Kind::Hangup | Kind::Trickle => {
                let Some((sid, hid)) = self.route(&msg) else {
                    return self.unroutable(&msg);
                };
                let event = if msg.kind == Kind::Trickle {
                    match msg.trickle() {
                        Ok(t) => HandleEvent::Trickle(t),
                        Err(e) => {
                            self.events.push_back(Event::ProtocolError(e));
                            return;
                        }
                    }
                } else {
                    msg.media_event()
                };
                self.handle_event(sid, hid, event);
            }
            Kind::Detached => {
                if let Some((_, hid)) = self.route(&msg) {
                    let reason = if self.handles[&hid].detaching {
                        EndReason::Detached
                    } else {
                        EndReason::ServerDetached
                    };
                    self.end_handle(hid, reason);
                }
            }
            Kind::Timeout => {
                if let Some(sid) = msg.session {
                    self.end_session(SessionId(sid), EndReason::ServerTimeout);
                }
            }
            Kind::Keepalive => {}
            Kind::Other => {
                let raw = msg.to_value();
                if let Some((sid, hid)) = self.route(&msg) {
                    self.handle_event(sid, hid, HandleEvent::Unknown(raw));
                } else {
                    let session = msg.session.map(SessionId);
                    self.events.push_back(match session {
                        Some(session) if self.sessions.contains_key(&session) => Event::Session {
                            session,
                            event: SessionEvent::Unknown(raw),
                        },
                        session => Event::Unknown { session, raw },
                    });
                }
            }
        }
    }

    /// A handle event for a handle this engine does not track, reported
    /// whole: to its session when the session is tracked (a handle attached
    /// by another client before a claim), otherwise to the connection (an
    /// event for a session or handle that already ended, or that this
    /// client never held).
    fn unroutable(&mut self, msg: &Message<'_>) {
        let raw = msg.to_value();
        self.events.push_back(match msg.session.map(SessionId) {
            Some(session) if self.sessions.contains_key(&session) => Event::Session {
                session,
                event: SessionEvent::Unknown(raw),
            },
            session => Event::Unknown { session, raw },
        });
    }

    /// Finds the tracked handle a message is for (by `sender`, checked
    /// against `session_id`).
    fn route(&self, msg: &Message<'_>) -> Option<(SessionId, HandleId)> {
        let hid = HandleId(msg.sender?);
        let h = self.handles.get(&hid)?;
        match msg.session {
            Some(s) if s != h.session.0 => None,
            _ => Some((h.session, hid)),
        }
    }

    fn handle_event(&mut self, session: SessionId, handle: HandleId, event: HandleEvent) {
        self.events.push_back(Event::Handle {
            session,
            handle,
            event,
        });
    }

    /// A reply (or the event) that settles request `id`.
    fn on_reply(&mut self, id: u64, msg: &Message<'_>) {
        self.request_answered(id);
        let Some(p) = self.requests.get_mut(&id) else {
            return;
        };
        let result = match msg.kind {
            Kind::Ack => match *p.request.get() {
                Request::Message { .. } => {
                    p.state = ReqState::Acked;
                    return;
                }
                Request::Keepalive { .. } | Request::Trickle { .. } => Ok(Reply::Ack),
                // Janus acks nothing else: a reply of the wrong kind must
                // not pass for success (a create "succeeding" without a
                // session).
                _ => mismatch(msg.kind, &p.request.get()),
            },
            Kind::Error => match msg.error() {
                Ok(e) => Err(RequestError::Janus(e)),
                Err(e) => Err(RequestError::Protocol(e)),
            },
            Kind::ServerInfo if matches!(p.request, Stored::Info) => {
                let info = msg.server_info();
                self.learn(&info);
                Ok(Reply::ServerInfo(Box::new(info)))
            }
            Kind::Pong if matches!(p.request, Stored::Ping) => Ok(Reply::Done),
            Kind::ServerInfo | Kind::Pong => mismatch(msg.kind, &p.request.get()),
            Kind::Event => plugin_reply(msg, true),
            _ => {
                let answered = match &*p.request.get() {
                    Request::Create { .. } => Answered::Create,
                    Request::Attach { session, .. } => Answered::Attach(*session),
                    Request::Claim { session, keepalive } => Answered::Claim {
                        session: *session,
                        keepalive: *keepalive,
                    },
                    Request::Message { .. } => Answered::Message,
                    Request::Destroy { session } => Answered::Destroy(*session),
                    Request::Detach { handle } => Answered::Detach(*handle),
                    Request::Keepalive { .. } | Request::Trickle { .. } => Answered::Ack,
                    Request::Info => Answered::Info,
                    Request::Ping | Request::Hangup { .. } => Answered::Done,
                    Request::Admin(_) => Answered::Admin,
                };
                self.on_success(id, answered, msg);
                return;
            }
        };
        self.resolve(id, result);
    }

    fn on_success(&mut self, id: u64, answered: Answered, msg: &Message<'_>) {
        let data_id = || {
            msg.data_id().ok_or_else(|| {
                RequestError::Protocol(ProtocolError::Malformed("success without `data.id`".into()))
            })
        };
        let result = match answered {
            Answered::Create => data_id().map(|sid| {
                let sid = SessionId(sid);
                // Janus refuses to create a session whose id is in use (468):
                // a session tracked here under the id it just created (one
                // asked for by id) was gone on the server without a word (an
                // Admin API destroy, say). It ends before the new one starts.
                if self.sessions.contains_key(&sid) {
                    self.end_session(sid, EndReason::NotFound);
                }
                self.add_session(sid, SessionOrigin::Created, true);
                Reply::SessionCreated(sid)
            }),
            Answered::Attach(session) => data_id().and_then(|hid| {
                let hid = HandleId(hid);
                // A server that hands out an id already in use: refuse it
                // rather than let two handles share one lifetime.
                if self.handles.contains_key(&hid) {
                    return Err(RequestError::Protocol(ProtocolError::Malformed(format!(
                        "`attach` answered with handle {hid}, which is already attached"
                    ))));
                }
                // The request resolves just below: its plugin name and
                // opaque id move into the handle.
                let request = self
                    .requests
                    .get_mut(&id)
                    .map(|p| std::mem::replace(&mut p.request, Stored::Ping));
                if let Some(Stored::Boxed(request)) = request {
                    if let Request::Attach {
                        plugin, opaque_id, ..
                    } = *request
                    {
                        self.add_handle(session, hid, &plugin, opaque_id.as_deref());
                    }
                }
                Ok(Reply::Attached(hid))
            }),
            Answered::Claim { session, keepalive } => {
                if self.requests.get(&id).map(|p| p.origin) == Some(Origin::User) {
                    self.add_session(session, SessionOrigin::Claimed, keepalive);
                    if let Some(p) = self.requests.get_mut(&id) {
                        p.session = Some(session);
                    }
                }
                Ok(Reply::Claimed(session))
            }
            Answered::Message => {
                if msg.has_plugindata() {
                    plugin_reply(msg, false)
                } else {
                    Ok(Reply::Done)
                }
            }
            Answered::Destroy(session) => {
                self.resolve(id, Ok(Reply::Done));
                self.end_session(session, EndReason::Destroyed);
                return;
            }
            Answered::Detach(handle) => {
                self.resolve(id, Ok(Reply::Done));
                self.end_handle(handle, EndReason::Detached);
                return;
            }
            Answered::Ack => Ok(Reply::Ack),
            Answered::Info => Err(mismatch_verb(Kind::Success, "info")),
            Answered::Done => Ok(Reply::Done),
            Answered::Admin => Ok(Reply::Admin(Box::new(msg.admin_fields()))),
        };
        self.resolve(id, result);
    }
}

/// A reply whose kind cannot answer the request (an `ack` to a `create`, a
/// `pong` to a `destroy`, ...): a protocol error, never a success.
fn mismatch(kind: Kind, request: &Request) -> Result<Reply, RequestError> {
    Err(mismatch_verb(kind, request.verb()))
}

fn mismatch_verb(kind: Kind, verb: &str) -> RequestError {
    RequestError::Protocol(ProtocolError::Malformed(format!(
        "`{}` does not answer `{verb}`",
        kind.name()
    )))
}

/// A plugin's answer inside `success` or `event`: data, or the plugin's error.
fn plugin_reply(msg: &Message<'_>, asynchronous: bool) -> Result<Reply, RequestError> {
    plugin_answer(msg, asynchronous).map(Reply::Plugin)
}

/// A plugin's answer (`plugindata` and `jsep`), or the plugin's error.
pub(crate) fn plugin_answer(
    msg: &Message<'_>,
    asynchronous: bool,
) -> Result<Box<PluginReply>, RequestError> {
    let (plugin, data) = msg.plugindata()?;
    if let Some(e) = data.plugin_error(&plugin) {
        return Err(RequestError::Plugin(e));
    }
    let jsep = msg.jsep()?;
    Ok(Box::new(PluginReply {
        plugin,
        data,
        jsep,
        asynchronous,
    }))
}
