//! Event streams.

use super::*;

/// A handle's events read with the vocabulary of its plugin `P` (see
/// [`Handle::typed_events`]).
#[derive(Debug)]
pub struct TypedEvents<'a, P> {
    pub(super) events: &'a Events<HandleEvent>,
    pub(super) plugin: std::marker::PhantomData<fn() -> P>,
}

impl<P: janus_core::plugins::Plugin> TypedEvents<'_, P> {
    /// Waits for the next event; `None` once the stream is over.
    pub fn recv(&self) -> Option<TypedEvent<P>> {
        self.events.recv().map(TypedEvent::read)
    }

    /// Waits at most `timeout` for the next event.
    pub fn recv_timeout(&self, timeout: Duration) -> Result<TypedEvent<P>, RecvTimeoutError> {
        self.events.recv_timeout(timeout).map(TypedEvent::read)
    }

    /// The next event if one is waiting.
    pub fn try_recv(&self) -> Result<TypedEvent<P>, TryRecvError> {
        self.events.try_recv().map(TypedEvent::read)
    }
}

/// A stream of events (a session's, a handle's or the client's) with
/// blocking, timed and non-blocking receive.
///
/// It is `Sync`, so a `Session` or `Handle` can be shared between threads;
/// concurrent receivers take turns. The queue behind it is bounded
/// ([`Options::event_capacity`]): a reader that falls behind gets a
/// `Lagged { dropped }` event in place of the oldest events it missed. The
/// stream is over after the `Ended` event, or when the client stops.
#[derive(Debug)]
pub struct Events<T> {
    pub(super) rx: Receiver<T>,
}

impl<T> Events<T> {
    pub(super) fn new(rx: Receiver<T>) -> Self {
        Self { rx }
    }

    /// Waits for the next event; `None` once the stream is over.
    pub fn recv(&self) -> Option<T> {
        self.rx.recv_timeout(None).ok()
    }

    /// Waits at most `timeout` for the next event.
    pub fn recv_timeout(&self, timeout: Duration) -> Result<T, RecvTimeoutError> {
        self.rx.recv_timeout(Some(timeout)).map_err(|e| match e {
            RecvError::Timeout => RecvTimeoutError::Timeout,
            RecvError::Closed => RecvTimeoutError::Disconnected,
        })
    }

    /// The next event if one is waiting.
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        match self.rx.try_recv() {
            Ok(Some(event)) => Ok(event),
            Ok(None) => Err(TryRecvError::Empty),
            Err(_) => Err(TryRecvError::Disconnected),
        }
    }

    /// Every event waiting now, without blocking.
    pub fn drain(&self) -> Vec<T> {
        std::iter::from_fn(|| self.try_recv().ok()).collect()
    }
}
