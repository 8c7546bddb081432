//! One ordered structure for every deadline the engine keeps.
//!
//! Each timer has one owner (a request, a session, its long poll, the link)
//! that keeps the deadline it armed in a slot of its own, as quinn-proto's
//! timer table does; the ordered set is the only shared structure, so arming,
//! moving and disarming cost one or two ordered-set operations and `next`
//! is O(log n).

use std::collections::{BTreeSet, VecDeque};
use std::time::{Duration, Instant};

/// What a deadline is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum TimerKey {
    /// A request's deadline (kept in [`Deadlines`], not in [`Timers`]; the
    /// variant gives their order among the other timers).
    #[allow(dead_code)]
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

    /// The earliest timer.
    pub(crate) fn peek(&mut self) -> Option<(Instant, TimerKey)> {
        self.count();
        self.order.first().copied()
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

/// Request deadlines, apart from the ordered set because there are so
/// many: one queue per request timeout in use. Time only moves forward, so
/// each queue is in deadline order by construction and arming is a push.
/// Disarming leaves the entry behind: an entry counts only while its request
/// still holds that deadline in its slot (the caller says which do), stale
/// ones are dropped when they reach the front, and all of them at once when
/// they outnumber the live ones, so memory follows the requests in flight.
#[derive(Clone, Debug, Default)]
pub(crate) struct Deadlines {
    queues: Vec<(Duration, VecDeque<(Instant, u64)>)>,
    live: usize,
    /// Whether every queue's first entry is known to be live.
    clean: bool,
}

impl Deadlines {
    /// Arms the deadline `at` of request `id`, made of `timeout`.
    pub(crate) fn set(&mut self, id: u64, timeout: Duration, slot: &mut Slot, at: Instant) {
        match slot.replace(at) {
            None => self.live += 1,
            // The old entry goes stale, and it may be a first one.
            Some(_) => self.clean = false,
        }
        let at_queue = self.queues.iter().position(|(t, _)| *t == timeout);
        let queue = match at_queue {
            Some(i) => &mut self.queues[i].1,
            None => {
                let i = self.queues.len();
                self.queues.push((timeout, VecDeque::new()));
                &mut self.queues[i].1
            }
        };
        if queue.back().is_none_or(|last| *last <= (at, id)) {
            queue.push_back((at, id));
        } else {
            let i = queue.partition_point(|e| *e <= (at, id));
            queue.insert(i, (at, id));
        }
    }

    /// Disarms the deadline kept in `slot`.
    pub(crate) fn cancel(&mut self, slot: &mut Slot) {
        if slot.take().is_some() {
            self.live -= 1;
            self.clean = false;
        }
    }

    /// The earliest live deadline and its request, dropping stale entries
    /// on the way (`live` says whether request `id` still holds deadline `at`).
    pub(crate) fn next(&mut self, live: impl Fn(u64, Instant) -> bool) -> Option<(Instant, u64)> {
        let mut best: Option<(Instant, u64)> = None;
        let clean = std::mem::replace(&mut self.clean, true);
        for (_, queue) in &mut self.queues {
            while let Some(&(at, id)) = queue.front() {
                if clean || live(id, at) {
                    break;
                }
                queue.pop_front();
            }
            if let Some(&first) = queue.front() {
                if best.is_none_or(|b| first < b) {
                    best = Some(first);
                }
            }
        }
        if self.live == 0 && !self.queues.is_empty() {
            self.queues.clear();
        }
        best
    }

    /// Removes the entry `next` returned; its owner empties its slot.
    pub(crate) fn pop(&mut self, entry: (Instant, u64)) {
        for (_, queue) in &mut self.queues {
            if queue.front() == Some(&entry) {
                queue.pop_front();
                self.live -= 1;
                self.clean = false;
                return;
            }
        }
    }

    /// Drops every stale entry once they outnumber the live ones.
    pub(crate) fn compact(&mut self, live: impl Fn(u64, Instant) -> bool) {
        let held: usize = self.queues.iter().map(|(_, q)| q.len()).sum();
        if held <= 2 * self.live + 1024 {
            return;
        }
        self.clean = true;
        for (_, queue) in &mut self.queues {
            queue.retain(|&(at, id)| live(id, at));
            if queue.capacity() > 4 * queue.len() + 64 {
                queue.shrink_to_fit();
            }
        }
        self.queues.retain(|(_, q)| !q.is_empty());
    }

    /// Armed deadlines.
    pub(crate) fn len(&self) -> usize {
        self.live
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

    #[test]
    fn deadlines_keep_order_drop_stale_entries_and_compact() {
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let mut d = Deadlines::default();
        let mut slots = vec![None; 3000];
        // Two timeouts in use; one deadline armed out of order.
        d.set(0, s(15), &mut slots[0], t0 + s(15));
        d.set(1, s(5), &mut slots[1], t0 + s(5));
        d.set(2, s(15), &mut slots[2], t0 + s(10));
        let live = |slots: &Vec<Slot>| {
            let slots = slots.clone();
            move |id: u64, at: Instant| slots[id as usize] == Some(at)
        };
        assert_eq!(d.next(live(&slots)), Some((t0 + s(5), 1)));
        d.cancel(&mut slots[1]);
        assert_eq!(d.next(live(&slots)), Some((t0 + s(10), 2)));
        d.pop((t0 + s(10), 2));
        slots[2] = None;
        assert_eq!(d.len(), 1);
        // Re-armed: the old entry is stale.
        d.set(0, s(15), &mut slots[0], t0 + s(20));
        assert_eq!(d.len(), 1);
        assert_eq!(d.next(live(&slots)), Some((t0 + s(20), 0)));
        // Many disarmed deadlines are dropped at once.
        for id in 3..3000u64 {
            d.set(id, s(15), &mut slots[id as usize], t0 + s(30));
            d.cancel(&mut slots[id as usize]);
        }
        d.compact(live(&slots));
        let held: usize = d.queues.iter().map(|(_, q)| q.len()).sum();
        assert!(held < 1100, "{held} entries held for {} live", d.len());
        d.cancel(&mut slots[0]);
        assert_eq!(d.next(live(&slots)), None);
        assert!(d.queues.is_empty());
    }
}
