//! One ordered structure for every deadline the engine keeps.

use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

/// What a deadline is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum TimerKey {
    /// A request's deadline.
    Request(u64),
    /// A request waiting to be sent again.
    Retry(u64),
    /// A session's keepalive or expiry (whichever is sooner).
    Session(u64),
    /// A session's long poll: its deadline, or its re-arm after a failure.
    Poll(u64),
    /// The next reconnect attempt.
    Reconnect,
}

/// Deadlines ordered by time: `next` is O(log n), arming and disarming O(log n).
#[derive(Clone, Debug, Default)]
pub(crate) struct Timers {
    order: BTreeSet<(Instant, TimerKey)>,
    armed: HashMap<TimerKey, Instant>,
    /// Count of ordered-structure operations, for complexity tests.
    pub(crate) ops: u64,
}

impl Timers {
    /// Arms (or moves) a timer.
    pub(crate) fn set(&mut self, key: TimerKey, at: Instant) {
        if let Some(old) = self.armed.insert(key, at) {
            if old == at {
                return;
            }
            self.order.remove(&(old, key));
            self.ops += 1;
        }
        self.order.insert((at, key));
        self.ops += 1;
    }

    /// Disarms a timer, if armed.
    pub(crate) fn cancel(&mut self, key: TimerKey) {
        if let Some(old) = self.armed.remove(&key) {
            self.order.remove(&(old, key));
            self.ops += 1;
        }
    }

    /// The earliest deadline.
    pub(crate) fn next(&mut self) -> Option<Instant> {
        self.ops += 1;
        self.order.first().map(|(at, _)| *at)
    }

    /// Removes and returns one timer that is due at `now`.
    pub(crate) fn pop_due(&mut self, now: Instant) -> Option<TimerKey> {
        self.ops += 1;
        let &(at, key) = self.order.first()?;
        if at > now {
            return None;
        }
        self.order.pop_first();
        self.armed.remove(&key);
        Some(key)
    }

    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn orders_moves_and_cancels() {
        let t0 = Instant::now();
        let mut t = Timers::default();
        t.set(TimerKey::Session(1), t0 + Duration::from_secs(5));
        t.set(TimerKey::Request(1), t0 + Duration::from_secs(3));
        t.set(TimerKey::Session(1), t0 + Duration::from_secs(1));
        assert_eq!(t.next(), Some(t0 + Duration::from_secs(1)));
        assert_eq!(t.len(), 2);
        t.cancel(TimerKey::Session(1));
        assert_eq!(t.next(), Some(t0 + Duration::from_secs(3)));
        assert_eq!(t.pop_due(t0 + Duration::from_secs(2)), None);
        assert_eq!(
            t.pop_due(t0 + Duration::from_secs(3)),
            Some(TimerKey::Request(1))
        );
        assert_eq!(t.len(), 0);
        assert_eq!(t.next(), None);
    }
}
