//! The bounded event queue behind every event stream, in every adapter.
//!
//! The driver pushes; the user's stream pops, blocking (a condition
//! variable) or asynchronously (a waker), whatever the runtime. A queue
//! holds at most its capacity: when a new event arrives at a full queue the
//! oldest is dropped and counted, and the reader's next item says how many
//! it missed ([`Lag`]), as tokio's broadcast channel does. The memory a
//! stream nobody reads can take is therefore bounded, and a flood from the
//! server cannot grow the client. A stream's last event (its `Ended`) is
//! never dropped.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use janus_core::EndReason;

/// An event type that can say "N events were dropped here", and knows its
/// last event.
pub trait Lag: Sized {
    /// The item that reports `dropped` events lost to a full queue.
    fn lagged(dropped: u64) -> Self;
    /// Why the stream ended, if this is its last event (never dropped).
    fn end(&self) -> Option<EndReason> {
        None
    }
}

impl Lag for janus_core::HandleEvent {
    fn lagged(dropped: u64) -> Self {
        janus_core::HandleEvent::Lagged { dropped }
    }
    fn end(&self) -> Option<EndReason> {
        match self {
            janus_core::HandleEvent::Ended(reason) => Some(*reason),
            _ => None,
        }
    }
}

impl Lag for janus_core::SessionEvent {
    fn lagged(dropped: u64) -> Self {
        janus_core::SessionEvent::Lagged { dropped }
    }
    fn end(&self) -> Option<EndReason> {
        match self {
            janus_core::SessionEvent::Ended(reason) => Some(*reason),
            _ => None,
        }
    }
}

impl Lag for crate::ClientEvent {
    fn lagged(dropped: u64) -> Self {
        crate::ClientEvent::Lagged { dropped }
    }
}

struct State<T> {
    items: VecDeque<T>,
    capacity: usize,
    /// Dropped since the reader last heard of it.
    dropped: u64,
    /// The sending side is gone: nothing more will come.
    closed: bool,
    /// Every reader is gone: pushing is pointless.
    unread: bool,
    waker: Option<Waker>,
    /// Blocking readers waiting now (only they need the condition variable).
    sleepers: usize,
    /// Why the stream ended, once its last event was pushed.
    ended: Option<EndReason>,
    /// `T::lagged` and `T::end`, so that the halves need no bound.
    lagged: fn(u64) -> T,
    end: fn(&T) -> Option<EndReason>,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    ready: Condvar,
    /// Every event dropped by this queue is counted here too (a client
    /// shares one counter between all its queues).
    drops: Arc<AtomicU64>,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A new queue of at most `capacity` events (at least 1): the sending
/// half for the driver, the receiving half for the stream.
pub fn queue<T: Lag>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    counted_queue(capacity, Arc::default())
}

/// [`queue`], whose dropped events are also counted in `drops`.
pub fn counted_queue<T: Lag>(capacity: usize, drops: Arc<AtomicU64>) -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            items: VecDeque::new(),
            capacity: capacity.max(1),
            dropped: 0,
            closed: false,
            unread: false,
            waker: None,
            sleepers: 0,
            ended: None,
            lagged: T::lagged,
            end: T::end,
        }),
        ready: Condvar::new(),
        drops,
    });
    (
        Sender(shared.clone()),
        Receiver {
            shared: Arc::new(ReceiverInner(shared)),
        },
    )
}

/// The driver's half of a queue.
pub struct Sender<T>(Arc<Shared<T>>);

impl<T> Sender<T> {
    /// Queues `event`, dropping the oldest one if the queue is full.
    /// Returns false once every reader is gone.
    pub fn push(&self, event: T) -> bool {
        let mut state = self.0.lock();
        if state.unread {
            return false;
        }
        if state.items.len() >= state.capacity {
            // The oldest that is not the last event goes.
            let end = state.end;
            match state.items.iter().position(|e| end(e).is_none()) {
                Some(i) => {
                    state.items.remove(i);
                    state.dropped += 1;
                    self.0.drops.fetch_add(1, Ordering::Relaxed);
                }
                None if end(&event).is_none() => {
                    state.dropped += 1;
                    self.0.drops.fetch_add(1, Ordering::Relaxed);
                    return true;
                }
                None => {}
            }
        }
        if let Some(reason) = (state.end)(&event) {
            state.ended.get_or_insert(reason);
        }
        state.items.push_back(event);
        let (waker, sleepers) = (state.waker.take(), state.sleepers);
        drop(state);
        if sleepers > 0 {
            self.0.ready.notify_all();
        }
        if let Some(waker) = waker {
            waker.wake();
        }
        true
    }
}

impl<T> crate::EventSender<T> for Sender<T> {
    fn send_event(&self, event: T) -> bool {
        self.push(event)
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.closed = true;
        let (waker, sleepers) = (state.waker.take(), state.sleepers);
        drop(state);
        if sleepers > 0 {
            self.0.ready.notify_all();
        }
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> std::fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

struct ReceiverInner<T>(Arc<Shared<T>>);

impl<T> Drop for ReceiverInner<T> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.unread = true;
        state.items.clear();
    }
}

/// Why [`Receiver::recv_timeout`] returned nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecvError {
    /// Nothing arrived in time.
    Timeout,
    /// The stream is over: its last event was taken, or the client stopped.
    Closed,
}

/// The stream's half of a queue. Clones share it: each event goes to one
/// of them.
pub struct Receiver<T> {
    shared: Arc<ReceiverInner<T>>,
}

impl<T> Clone for Receiver<T> {
    fn clone(&self) -> Self {
        Self {
            shared: self.shared.clone(),
        }
    }
}

impl<T> std::fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver").finish_non_exhaustive()
    }
}

impl<T> Receiver<T> {
    fn take(state: &mut State<T>) -> Option<T> {
        if state.dropped > 0 {
            let dropped = std::mem::take(&mut state.dropped);
            return Some((state.lagged)(dropped));
        }
        state.items.pop_front()
    }

    /// Why the stream ended, once its last event has arrived (read or not).
    pub fn ended(&self) -> Option<EndReason> {
        self.shared.0.lock().ended
    }

    /// The next event if one is waiting: `Ok(None)` if none is, `Err` once
    /// the stream is over.
    pub fn try_recv(&self) -> Result<Option<T>, RecvError> {
        let mut state = self.shared.0.lock();
        match Self::take(&mut state) {
            Some(event) => Ok(Some(event)),
            None if state.closed => Err(RecvError::Closed),
            None => Ok(None),
        }
    }

    /// Waits for the next event, at most `timeout` (`None`: for ever).
    pub fn recv_timeout(&self, timeout: Option<Duration>) -> Result<T, RecvError> {
        let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
        let shared = &self.shared.0;
        let mut state = shared.lock();
        loop {
            if let Some(event) = Self::take(&mut state) {
                return Ok(event);
            }
            if state.closed {
                return Err(RecvError::Closed);
            }
            let left = match deadline {
                None => None,
                Some(at) => match at.saturating_duration_since(Instant::now()) {
                    left if left.is_zero() => return Err(RecvError::Timeout),
                    left => Some(left),
                },
            };
            // Counted while asleep, so pushes wake the condition variable
            // only when a blocking reader waits on it.
            state.sleepers += 1;
            state = match left {
                None => shared
                    .ready
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner),
                Some(left) => {
                    shared
                        .ready
                        .wait_timeout(state, left)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
            };
            state.sleepers -= 1;
        }
    }

    /// The next event for an async reader: `Ready(None)` once the stream
    /// is over; otherwise the task is woken when one arrives (only the
    /// task that polled last).
    pub fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut state = self.shared.0.lock();
        if let Some(event) = Self::take(&mut state) {
            return Poll::Ready(Some(event));
        }
        if state.closed {
            return Poll::Ready(None);
        }
        match &mut state.waker {
            Some(w) if w.will_wake(cx.waker()) => {}
            slot => *slot = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use janus_core::HandleEvent;
    use std::thread;

    #[test]
    fn a_full_queue_keeps_the_newest_and_reports_the_lag() {
        let (tx, rx) = queue::<HandleEvent>(3);
        for _ in 0..10 {
            assert!(tx.push(HandleEvent::WebrtcUp));
        }
        assert_eq!(rx.ended(), None);
        assert!(tx.push(HandleEvent::Ended(EndReason::Detached)));
        assert_eq!(rx.ended(), Some(EndReason::Detached));
        assert_eq!(rx.try_recv(), Ok(Some(HandleEvent::Lagged { dropped: 8 })));
        assert_eq!(rx.try_recv(), Ok(Some(HandleEvent::WebrtcUp)));
        assert_eq!(rx.try_recv(), Ok(Some(HandleEvent::WebrtcUp)));
        assert_eq!(
            rx.try_recv(),
            Ok(Some(HandleEvent::Ended(EndReason::Detached)))
        );
        assert_eq!(rx.try_recv(), Ok(None));
        drop(tx);
        assert_eq!(rx.try_recv(), Err(RecvError::Closed));
    }

    #[test]
    fn the_last_event_is_never_dropped() {
        let (tx, rx) = queue::<HandleEvent>(1);
        tx.push(HandleEvent::Ended(EndReason::Closed));
        tx.push(HandleEvent::WebrtcUp); // after the end: dropped, not the end
        assert_eq!(
            rx.recv_timeout(Some(Duration::ZERO)),
            Ok(HandleEvent::Lagged { dropped: 1 })
        );
        assert_eq!(
            rx.recv_timeout(None),
            Ok(HandleEvent::Ended(EndReason::Closed))
        );
    }

    #[test]
    fn a_flood_stays_bounded_and_readers_wake() {
        let drops = Arc::new(AtomicU64::new(0));
        let (tx, rx) = counted_queue::<HandleEvent>(16, drops.clone());
        let reader = {
            let rx = rx.clone();
            thread::spawn(move || rx.recv_timeout(Some(Duration::from_secs(5))))
        };
        thread::sleep(Duration::from_millis(20));
        for _ in 0..100_000 {
            tx.push(HandleEvent::WebrtcUp);
        }
        assert!(reader.join().unwrap().is_ok());
        assert!(rx.shared.0.lock().items.len() <= 16);
        assert!(drops.load(Ordering::Relaxed) >= 100_000 - 17);
        assert_eq!(
            rx.recv_timeout(Some(Duration::from_millis(10))).map(|_| ()),
            Ok(())
        );
        drop(rx);
        assert!(!tx.push(HandleEvent::WebrtcUp), "nobody reads any more");
    }

    #[test]
    fn timeouts_and_async_wakeups() {
        let (tx, rx) = queue::<HandleEvent>(4);
        assert_eq!(
            rx.recv_timeout(Some(Duration::from_millis(5))),
            Err(RecvError::Timeout)
        );
        let woken = Arc::new(std::sync::atomic::AtomicBool::new(false));
        struct Flag(Arc<std::sync::atomic::AtomicBool>);
        impl std::task::Wake for Flag {
            fn wake(self: Arc<Self>) {
                self.0.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        }
        let waker = Waker::from(Arc::new(Flag(woken.clone())));
        let mut cx = Context::from_waker(&waker);
        assert!(rx.poll_recv(&mut cx).is_pending());
        tx.push(HandleEvent::WebrtcUp);
        assert!(woken.load(std::sync::atomic::Ordering::SeqCst));
        assert_eq!(
            rx.poll_recv(&mut cx),
            Poll::Ready(Some(HandleEvent::WebrtcUp))
        );
        drop(tx);
        assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(None));
    }
}
