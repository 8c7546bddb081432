//! What every adapter does around a PeerConnection, written once: a lock
//! around it, the drain after each change, and a bounded queue of the
//! events the user has not read yet. The adapters bring only the socket,
//! the timer and the way to wake a reader.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use janus_core::HandleEvent;

use crate::{Event, Output, PeerConnection};

/// Events kept for a reader that falls behind; past this the oldest are
/// dropped and an [`Event::Lagged`] takes their place.
pub const EVENT_CAPACITY: usize = 4096;

/// A PeerConnection shared between an adapter's I/O task, its signalling
/// follower and the user's calls.
pub struct SharedPeer {
    pc: Mutex<PeerConnection>,
    events: Mutex<Queue>,
    notify: Box<dyn Fn() + Send + Sync>,
    over: std::sync::atomic::AtomicBool,
}

struct Queue {
    events: VecDeque<Event>,
    dropped: u64,
}

impl std::fmt::Debug for SharedPeer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedPeer").finish_non_exhaustive()
    }
}

impl SharedPeer {
    /// Shares `pc`; `notify` is called whenever an event is queued.
    pub fn new(pc: PeerConnection, notify: impl Fn() + Send + Sync + 'static) -> Self {
        SharedPeer {
            pc: Mutex::new(pc),
            events: Mutex::new(Queue {
                events: VecDeque::new(),
                dropped: 0,
            }),
            notify: Box::new(notify),
            over: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn lock(&self) -> MutexGuard<'_, PeerConnection> {
        self.pc.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs one change on the PeerConnection, then drains it: datagrams to
    /// `send`, events to the queue. Gives the change's result and the
    /// PeerConnection's next deadline.
    pub fn with<T>(
        &self,
        now: Instant,
        f: impl FnOnce(&mut PeerConnection, Instant) -> T,
        send: &mut dyn FnMut(&[u8], SocketAddr),
    ) -> (T, Instant) {
        let mut pc = self.lock();
        pc.set_now(now);
        let out = f(&mut pc, now);
        let next = self.drain(&mut pc, send);
        (out, next)
    }

    /// Reads a field of the PeerConnection.
    pub fn read<T>(&self, f: impl FnOnce(&PeerConnection) -> T) -> T {
        f(&self.lock())
    }

    /// A datagram arrived from `from`.
    pub fn datagram(
        &self,
        now: Instant,
        from: SocketAddr,
        data: &[u8],
        send: &mut dyn FnMut(&[u8], SocketAddr),
    ) -> Instant {
        self.with(now, |pc, now| pc.handle_datagram(now, from, data), send)
            .1
    }

    /// The deadline passed (or might have).
    pub fn timeout(&self, now: Instant, send: &mut dyn FnMut(&[u8], SocketAddr)) -> Instant {
        self.with(now, |pc, now| pc.handle_timeout(now), send).1
    }

    /// An event of the handle: queued for the user, then followed by the
    /// PeerConnection (trickle, hangup, the handle's end).
    pub fn handle_event(
        &self,
        event: HandleEvent,
        send: &mut dyn FnMut(&[u8], SocketAddr),
    ) -> Instant {
        let mut pc = self.lock();
        let last = matches!(event, HandleEvent::Ended(_));
        pc.on_handle_event(&event);
        self.push(Event::Handle(event));
        let next = self.drain(&mut pc, send);
        if last {
            // The handle's end ended the PeerConnection too: nothing more
            // comes once the queue is read.
            self.over.store(true, std::sync::atomic::Ordering::Release);
            (self.notify)();
        }
        next
    }

    /// Whether nothing more will be queued (the handle ended) and the queue
    /// is empty: an event stream is over.
    pub fn is_over(&self) -> bool {
        self.over.load(std::sync::atomic::Ordering::Acquire)
            && self
                .events
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .events
                .is_empty()
    }

    /// The oldest unread event.
    pub fn pop_event(&self) -> Option<Event> {
        let mut q = self.events.lock().unwrap_or_else(|e| e.into_inner());
        if q.dropped > 0 {
            let dropped = std::mem::take(&mut q.dropped);
            return Some(Event::Lagged { dropped });
        }
        q.events.pop_front()
    }

    fn push(&self, event: Event) {
        {
            let mut q = self.events.lock().unwrap_or_else(|e| e.into_inner());
            if q.events.len() >= EVENT_CAPACITY {
                q.events.pop_front();
                q.dropped += 1;
            }
            q.events.push_back(event);
        }
        (self.notify)();
    }

    fn drain(&self, pc: &mut PeerConnection, send: &mut dyn FnMut(&[u8], SocketAddr)) -> Instant {
        loop {
            match pc.poll_output() {
                Output::Transmit { to, data } => send(&data, to),
                Output::Event(e) => self.push(Event::Media(e)),
                Output::Timeout(at) => return at,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_that_falls_behind_gets_lagged_then_the_newest() {
        let now = Instant::now();
        let pc = PeerConnection::new("10.0.0.1:5000".parse().unwrap(), now).unwrap();
        let notified = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = notified.clone();
        let shared = SharedPeer::new(pc, move || {
            count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        });
        let extra = 10;
        for _ in 0..EVENT_CAPACITY + extra {
            shared.handle_event(HandleEvent::WebrtcUp, &mut |_, _| {});
        }
        assert_eq!(
            notified.load(std::sync::atomic::Ordering::Relaxed),
            EVENT_CAPACITY + extra
        );
        assert_eq!(
            shared.pop_event(),
            Some(Event::Lagged {
                dropped: extra as u64
            })
        );
        let mut left = 0;
        while let Some(e) = shared.pop_event() {
            assert_eq!(e, Event::Handle(HandleEvent::WebrtcUp));
            left += 1;
        }
        assert_eq!(left, EVENT_CAPACITY);
    }
}
