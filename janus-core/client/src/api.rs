//! What every adapter's `Client`, `Session` and `Handle` share, whether
//! their calls block or are awaited: the requests they send, how replies
//! become return values, and the drop rules.

use crate::Error;
use janus_core::{
    CommandError, HandleId, PluginReply, Reply, Request, ServerInfo, SessionId, SessionOrigin,
};
use std::sync::atomic::{AtomicBool, Ordering};

pub use crate::router::undo;

/// A reply to `create` or `claim`: the session and how it came to be.
pub fn opened_session(reply: Reply) -> Result<(SessionId, SessionOrigin), Error> {
    match reply {
        Reply::SessionCreated(id) => Ok((id, SessionOrigin::Created)),
        Reply::Claimed(id) => Ok((id, SessionOrigin::Claimed)),
        other => Err(Error::UnexpectedReply(Box::new(other))),
    }
}

/// A reply to `attach`: the new handle.
pub fn attached(reply: Reply) -> Result<HandleId, Error> {
    match reply {
        Reply::Attached(id) => Ok(id),
        other => Err(Error::UnexpectedReply(Box::new(other))),
    }
}

/// A reply to `message`: the plugin's answer.
pub fn plugin_reply(reply: Reply) -> Result<PluginReply, Error> {
    match reply {
        Reply::Plugin(reply) => Ok(reply),
        other => Err(Error::UnexpectedReply(Box::new(other))),
    }
}

/// A reply to `info`.
pub fn server_info(reply: Reply) -> Result<ServerInfo, Error> {
    match reply {
        Reply::ServerInfo(info) => Ok(*info),
        other => Err(Error::UnexpectedReply(Box::new(other))),
    }
}

/// Whether a session's `destroy` or a handle's `detach` that returned
/// `result` leaves nothing to end on the server: it succeeded, or the
/// session or handle is gone anyway (ended, unknown, 458/459, client
/// closed). Any other failure (a timeout, a lost transport) leaves it
/// possibly alive, so dropping it must still try.
pub fn is_gone(result: &Result<(), Error>) -> bool {
    match result {
        Ok(()) => true,
        Err(Error::Command(
            CommandError::UnknownSession(_) | CommandError::UnknownHandle(_) | CommandError::Closed,
        ))
        | Err(Error::Closed) => true,
        Err(e) => e.end_reason().is_some() || e.is_janus_code(458) || e.is_janus_code(459),
    }
}

/// What a `Session` or `Handle` owns on the server, and the drop rule:
/// dropping it destroys or detaches it unless it is known to be gone.
#[derive(Debug)]
pub struct Owned {
    request: Request,
    gone: AtomicBool,
}

impl Owned {
    /// A session this value owns: dropping it destroys it.
    pub fn session(session: SessionId) -> Self {
        Self {
            request: Request::Destroy { session },
            gone: AtomicBool::new(false),
        }
    }

    /// A handle this value owns: dropping it detaches it.
    pub fn handle(handle: HandleId) -> Self {
        Self {
            request: Request::Detach { handle },
            gone: AtomicBool::new(false),
        }
    }

    /// The request that ends it (`destroy` or `detach`).
    pub fn end_request(&self) -> Request {
        self.request.clone()
    }

    /// Records the outcome of an explicit destroy or detach, and returns it.
    pub fn ended(&self, result: Result<Reply, Error>) -> Result<(), Error> {
        let result = result.map(drop);
        if is_gone(&result) {
            self.gone.store(true, Ordering::Relaxed);
        }
        result
    }

    /// On drop: the request to send (fire and forget), unless it is gone.
    pub fn on_drop(&mut self) -> Option<Request> {
        (!*self.gone.get_mut()).then(|| self.request.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use janus_core::{EndReason, JanusError, RequestError};

    #[test]
    fn a_failed_destroy_still_destroys_on_drop() {
        let mut owned = Owned::session(SessionId(1));
        let timed_out = owned.ended(Err(Error::Request(RequestError::TimedOut)));
        assert!(timed_out.unwrap_err().is_timeout());
        assert_eq!(
            owned.on_drop(),
            Some(Request::Destroy {
                session: SessionId(1)
            })
        );
        assert!(owned.ended(Ok(Reply::Done)).is_ok());
        assert_eq!(owned.on_drop(), None);
    }

    #[test]
    fn gone_means_nothing_left_to_end() {
        let janus = |code| {
            Err(Error::Request(RequestError::Janus(JanusError::new(
                code, "gone",
            ))))
        };
        assert!(is_gone(&janus(458)) && is_gone(&janus(459)));
        assert!(!is_gone(&janus(403)));
        assert!(is_gone(&Err(Error::Request(RequestError::Ended(
            EndReason::ServerTimeout
        )))));
        assert!(is_gone(&Err(Error::Closed)));
        assert!(!is_gone(&Err(Error::Request(
            RequestError::TransportClosed
        ))));
        let mut handle = Owned::handle(HandleId(2));
        assert!(handle
            .ended(Err(Error::Command(CommandError::UnknownHandle(HandleId(
                2
            )))))
            .is_err());
        assert_eq!(handle.on_drop(), None);
    }
}
