//! One ordered structure for every deadline the engine keeps.
//!
//! Each timer has one owner (a request, a session, its long poll, the link)
//! that keeps the deadline it armed in a slot of its own, as quinn-proto's
//! timer table does; the ordered set is the only shared structure, so arming,
//! moving and disarming cost one or two ordered-set operations and `next`
//! is O(log n).

use std::collections::BTreeSet;
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

/// The armed deadline of one timer, kept by the timer's owner.
pub(crate) type Slot = Option<Instant>;

/// Deadlines ordered by time.
#[derive(Clone, Debug, Default)]
pub(crate) struct Timers {
    order: BTreeSet<(Instant, TimerKey)>,
    /// Count of ordered-structure operations, for the complexity test.
    #[cfg(test)]
    pub(crate) ops: u64,
}

impl Timers {
    #[inline]
    fn count(&mut self) {
        #[cfg(test)]
        {
            self.ops += 1;
        }
    }

    /// Arms (or moves) the timer `key`, whose owner keeps its deadline in `slot`.
    pub(crate) fn set(&mut self, key: TimerKey, slot: &mut Slot, at: Instant) {
        if let Some(old) = slot.replace(at) {
            if old == at {
                return;
            }
            self.order.remove(&(old, key));
            self.count();
        }
        self.order.insert((at, key));
        self.count();
    }

    /// Disarms the timer `key`, if armed.
    pub(crate) fn cancel(&mut self, key: TimerKey, slot: &mut Slot) {
        if let Some(old) = slot.take() {
            self.order.remove(&(old, key));
            self.count();
        }
    }

    /// The earliest deadline.
    pub(crate) fn next(&mut self) -> Option<Instant> {
        self.count();
        self.order.first().map(|(at, _)| *at)
    }

    /// Removes and returns one timer that is due at `now`. The caller
    /// empties the owner's slot.
    pub(crate) fn pop_due(&mut self, now: Instant) -> Option<TimerKey> {
        self.count();
        let &(at, key) = self.order.first()?;
        if at > now {
            return None;
        }
        self.order.pop_first();
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
        let (mut s1, mut r1) = (None, None);
        t.set(TimerKey::Session(1), &mut s1, t0 + Duration::from_secs(5));
        t.set(TimerKey::Request(1), &mut r1, t0 + Duration::from_secs(3));
        t.set(TimerKey::Session(1), &mut s1, t0 + Duration::from_secs(1));
        assert_eq!(t.next(), Some(t0 + Duration::from_secs(1)));
        assert_eq!(t.len(), 2);
        t.cancel(TimerKey::Session(1), &mut s1);
        assert_eq!(s1, None);
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
