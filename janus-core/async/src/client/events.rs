//! Event streams.

use super::*;

/// A stream of events (a session's, a handle's or the client's).
///
/// Clones share one bounded queue ([`Options::event_capacity`]): each event
/// goes to whichever clone polls first, and only the task that polled last
/// is woken, so await one clone from one task at a time
/// ([`try_next`](Self::try_next) and [`drain`](Self::drain) never disturb
/// it). A reader that falls behind gets a `Lagged { dropped }` event in
/// place of the oldest events it missed. The stream ends after the `Ended`
/// event, or when the client stops.
pub struct Events<T> {
    pub(super) rx: Receiver<T>,
}

impl<T> Clone for Events<T> {
    fn clone(&self) -> Self {
        Self {
            rx: self.rx.clone(),
        }
    }
}

impl<T> fmt::Debug for Events<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Events").finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Events<T> {
    pub(super) fn new(rx: Receiver<T>) -> Self {
        Self { rx }
    }

    /// The next event if one is waiting now (`None` also once the stream
    /// is over). It registers no waker.
    pub fn try_next(&self) -> Option<T> {
        self.rx.try_recv().ok().flatten()
    }

    /// Waits for the next event; `None` once the stream is over.
    pub async fn recv(&mut self) -> Option<T> {
        self.next().await
    }

    /// Every event waiting now, without waiting.
    pub fn drain(&self) -> Vec<T> {
        std::iter::from_fn(|| self.try_next()).collect()
    }
}

impl<T> Stream for Events<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.rx.poll_recv(cx)
    }
}
