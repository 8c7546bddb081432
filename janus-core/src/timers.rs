//! One ordered structure for the engine's scattered deadlines, and FIFO
//! queues for the many that come in time order.
//!
//! Each timer has one owner (a request, a session, its long poll, the link)
//! that keeps the deadline it armed in a slot of its own, as quinn-proto's
//! timer table does. The retries, long polls and the reconnect share one
//! ordered set: arming, moving and disarming cost one or two ordered-set
//! operations and `next` is O(log n). Request deadlines and session timers
//! are `now + a constant` (or `last activity + a constant`) for many owners
//! at once, so they go in FIFO queues, one per constant ([`Deadlines`]):
//! arming is a push, disarming leaves a stale entry behind.

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
    /// A session's keepalive or expiry (whichever is sooner), kept in a
    /// queue of [`Timers`] when armed in time order, else in its ordered set.
    Session(u64),
    /// A session's long poll: its deadline, or its re-arm after a failure.
    Poll(u64),
    /// The next reconnect attempt.
    Reconnect,
    /// The WebSocket link's liveness probe: a transmission not followed by
    /// anything received.
    Link,
}

/// The armed deadline of one timer, kept by the timer's owner.
pub(crate) type Slot = Option<Instant>;

/// Where a session's timer is armed: its deadline, and whether the entry
/// waits in the ordered set (else in a queue, where the entry counts only
/// while the slot still says so).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct SessionSlot {
    at: Slot,
    ordered: bool,
}

impl SessionSlot {
    /// Whether the queue entry `at` is this timer's (not a stale one).
    pub(crate) fn queued_at(&self, at: Instant) -> bool {
        !self.ordered && self.at == Some(at)
    }
}

/// Deadlines ordered by time.
#[derive(Clone, Debug, Default)]
pub(crate) struct Timers {
    order: BTreeSet<(Instant, TimerKey)>,
    /// The timers of which there is only one ([`TimerKey::Reconnect`],
    /// [`TimerKey::Link`]), beside the set: the link probe starts and stops
    /// with nearly every request, which then costs no set operation.
    single: [Slot; 2],
    /// What `peek` last returned, while nothing has changed since.
    known: Option<Option<(Instant, TimerKey)>>,
    /// Session timers armed in time order, one queue per interval (the
    /// others are in `order`).
    sessions: Deadlines,
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

    /// The place of a timer of which there is only one.
    fn single(key: TimerKey) -> Option<usize> {
        match key {
            TimerKey::Reconnect => Some(0),
            TimerKey::Link => Some(1),
            _ => None,
        }
    }

    /// Arms (or moves) the timer `key`, whose owner keeps its deadline in `slot`.
    pub(crate) fn set(&mut self, key: TimerKey, slot: &mut Slot, at: Instant) {
        self.known = None;
        if let Some(i) = Self::single(key) {
            *slot = Some(at);
            self.single[i] = Some(at);
            return;
        }
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
        self.known = None;
        if let Some(i) = Self::single(key) {
            *slot = None;
            self.single[i] = None;
            return;
        }
        if let Some(old) = slot.take() {
            self.order.remove(&(old, key));
            self.count();
        }
    }

    /// Arms (or moves) the timer of session `sid` at `at`, which is its
    /// last activity plus `interval`: at the back of that interval's queue if
    /// it keeps the queue in order (the common case), else in the ordered set.
    pub(crate) fn set_session(
        &mut self,
        sid: u64,
        slot: &mut SessionSlot,
        at: Instant,
        interval: Duration,
    ) {
        if slot.at == Some(at) {
            return;
        }
        self.known = None;
        self.cancel_session(sid, slot);
        self.count();
        let ordered = !self.sessions.push(sid, interval, at);
        if ordered {
            self.order.insert((at, TimerKey::Session(sid)));
        }
        *slot = SessionSlot {
            at: Some(at),
            ordered,
        };
    }

    /// Disarms the timer of session `sid`, if armed (a queued entry is left
    /// behind, stale).
    pub(crate) fn cancel_session(&mut self, sid: u64, slot: &mut SessionSlot) {
        let Some(old) = slot.at.take() else { return };
        self.known = None;
        self.count();
        if std::mem::take(&mut slot.ordered) {
            self.order.remove(&(old, TimerKey::Session(sid)));
        } else {
            self.sessions.forget();
        }
    }

    /// Drops the stale session entries once they outnumber the live ones
    /// (`live` says whether session `sid` still holds queued deadline `at`).
    pub(crate) fn compact_sessions(&mut self, live: impl Fn(u64, Instant) -> bool) {
        self.known = None;
        self.sessions.compact(live);
    }

    /// The earliest timer (`live`: as for [`compact_sessions`](Self::compact_sessions)).
    pub(crate) fn peek(
        &mut self,
        live: impl Fn(u64, Instant) -> bool,
    ) -> Option<(Instant, TimerKey)> {
        self.count();
        if let Some(known) = self.known {
            return known;
        }
        let mut best = self
            .sessions
            .next(live)
            .map(|(at, sid)| (at, TimerKey::Session(sid)));
        let mut consider = |candidate: Option<(Instant, TimerKey)>| {
            if let Some(c) = candidate {
                if best.is_none_or(|b| c < b) {
                    best = Some(c);
                }
            }
        };
        let [reconnect, link] = self.single;
        consider(reconnect.map(|at| (at, TimerKey::Reconnect)));
        consider(link.map(|at| (at, TimerKey::Link)));
        if !self.order.is_empty() {
            consider(self.order.first().copied());
        }
        self.known = Some(best);
        best
    }

    /// Removes the timer [`peek`](Self::peek) returned. The caller empties
    /// the owner's slot.
    pub(crate) fn remove(&mut self, (at, key): (Instant, TimerKey)) {
        self.known = None;
        if let Some(i) = Self::single(key) {
            self.single[i] = None;
            return;
        }
        match (key, self.order.first()) {
            (_, Some(&first)) if first == (at, key) => {
                self.order.pop_first();
            }
            (TimerKey::Session(sid), _) => self.sessions.pop((at, sid)),
            _ => {}
        }
    }

    /// Removes and returns one timer that is due at `now`. The caller
    /// empties the owner's slot.
    #[cfg(test)]
    pub(crate) fn pop_due(
        &mut self,
        now: Instant,
        live: impl Fn(u64, Instant) -> bool,
    ) -> Option<TimerKey> {
        let (at, key) = self.peek(live).filter(|(at, _)| *at <= now)?;
        self.remove((at, key));
        Some(key)
    }

    /// Armed timers.
    pub(crate) fn len(&self) -> usize {
        self.order.len() + self.sessions.len() + self.single.iter().flatten().count()
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
    /// Entries held, stale ones included.
    held: usize,
    live: usize,
    /// Whether every queue's first entry is known to be live.
    clean: bool,
    /// What `next` last returned, while nothing has changed since.
    known: Option<Option<(Instant, u64)>>,
}

impl Deadlines {
    /// Arms the deadline `at` of request `id`, made of `timeout`.
    pub(crate) fn set(&mut self, id: u64, timeout: Duration, slot: &mut Slot, at: Instant) {
        if slot.replace(at).is_some() {
            self.forget();
        }
        if !self.push(id, timeout, at) {
            let queue = self.queue(timeout);
            let i = queue.partition_point(|e| *e <= (at, id));
            queue.insert(i, (at, id));
            self.known = None;
            self.held += 1;
            self.live += 1;
        }
    }

    /// Appends the deadline `at` of `id`, made of `timeout`, if it keeps its
    /// queue in order; returns whether it did. The owner keeps `at`.
    pub(crate) fn push(&mut self, id: u64, timeout: Duration, at: Instant) -> bool {
        let queue = self.queue(timeout);
        if queue.back().is_some_and(|last| *last > (at, id)) {
            return false;
        }
        queue.push_back((at, id));
        self.known = None;
        self.held += 1;
        self.live += 1;
        true
    }

    /// The queue of deadlines made of `timeout`.
    fn queue(&mut self, timeout: Duration) -> &mut VecDeque<(Instant, u64)> {
        let i = match self.queues.iter().position(|(t, _)| *t == timeout) {
            Some(i) => i,
            None => {
                self.queues.push((timeout, VecDeque::new()));
                self.queues.len() - 1
            }
        };
        &mut self.queues[i].1
    }

    /// One deadline pushed is disarmed: its entry goes stale (and it may be
    /// a first one).
    pub(crate) fn forget(&mut self) {
        self.live -= 1;
        self.clean = false;
        self.known = None;
    }

    /// Disarms the deadline kept in `slot`.
    pub(crate) fn cancel(&mut self, slot: &mut Slot) {
        if slot.take().is_some() {
            self.forget();
        }
    }

    /// The earliest live deadline and its request, dropping stale entries
    /// on the way (`live` says whether request `id` still holds deadline `at`).
    pub(crate) fn next(&mut self, live: impl Fn(u64, Instant) -> bool) -> Option<(Instant, u64)> {
        if let Some(known) = self.known {
            return known;
        }
        let mut best: Option<(Instant, u64)> = None;
        // Known live, or none stale at all.
        let clean = std::mem::replace(&mut self.clean, true) || self.held == self.live;
        for (_, queue) in &mut self.queues {
            while let Some(&(at, id)) = queue.front() {
                if clean || live(id, at) {
                    break;
                }
                queue.pop_front();
                self.held -= 1;
            }
            if let Some(&first) = queue.front() {
                if best.is_none_or(|b| first < b) {
                    best = Some(first);
                }
            }
        }
        // Nothing armed, so every entry went above: the queues go too,
        // unless they are small (kept for the next deadline, as a client
        // with a few requests at a time would allocate them again and again).
        if self.live == 0 && self.queues.iter().any(|(_, q)| q.capacity() > 64) {
            self.queues.retain(|(_, q)| q.capacity() <= 64);
        }
        self.known = Some(best);
        best
    }

    /// Removes the entry `next` returned; its owner empties its slot.
    pub(crate) fn pop(&mut self, entry: (Instant, u64)) {
        for (_, queue) in &mut self.queues {
            if queue.front() == Some(&entry) {
                queue.pop_front();
                self.held -= 1;
                self.live -= 1;
                self.clean = false;
                self.known = None;
                return;
            }
        }
    }

    /// Drops every stale entry once they outnumber the live ones.
    #[inline]
    pub(crate) fn compact(&mut self, live: impl Fn(u64, Instant) -> bool) {
        if self.held > 2 * self.live + 1024 {
            self.compact_now(live);
        }
    }

    fn compact_now(&mut self, live: impl Fn(u64, Instant) -> bool) {
        self.clean = true;
        self.known = None;
        for (_, queue) in &mut self.queues {
            queue.retain(|&(at, id)| live(id, at));
            if queue.capacity() > 4 * queue.len() + 64 {
                queue.shrink_to_fit();
            }
        }
        self.queues.retain(|(_, q)| !q.is_empty());
        self.held = self.queues.iter().map(|(_, q)| q.len()).sum();
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
        let any = |_, _| true;
        assert_eq!(t.peek(any).unwrap().0, t0 + Duration::from_secs(1));
        assert_eq!(t.len(), 2);
        t.cancel(TimerKey::Session(1), &mut s1);
        assert_eq!(s1, None);
        assert_eq!(t.peek(any).unwrap().0, t0 + Duration::from_secs(3));
        assert_eq!(t.pop_due(t0 + Duration::from_secs(2), any), None);
        assert_eq!(
            t.pop_due(t0 + Duration::from_secs(3), any),
            Some(TimerKey::Request(1))
        );
        assert_eq!(t.len(), 0);
        assert_eq!(t.peek(any), None);
    }

    #[test]
    fn session_timers_queue_in_order_and_fall_back_to_the_set() {
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let mut t = Timers::default();
        let mut slots = [SessionSlot::default(); 4];
        let live = |slots: &[SessionSlot; 4]| {
            let slots = *slots;
            move |sid: u64, at: Instant| slots[sid as usize].queued_at(at)
        };
        t.set_session(0, &mut slots[0], t0 + s(10), s(10));
        t.set_session(1, &mut slots[1], t0 + s(12), s(10));
        // Out of order for its queue: the ordered set takes it.
        t.set_session(2, &mut slots[2], t0 + s(11), s(10));
        assert!(slots[2].ordered && !slots[1].ordered);
        // Another interval, another queue.
        t.set_session(3, &mut slots[3], t0 + s(5), s(5));
        assert_eq!(t.len(), 4);
        // Moved: the queued entry goes stale.
        t.set_session(0, &mut slots[0], t0 + s(20), s(10));
        assert_eq!(t.len(), 4);
        let mut fired = Vec::new();
        while let Some(key) = t.pop_due(t0 + s(30), live(&slots)) {
            let TimerKey::Session(sid) = key else {
                panic!()
            };
            fired.push((slots[sid as usize].at.unwrap() - t0, sid));
            slots[sid as usize] = SessionSlot::default();
        }
        assert_eq!(fired, [(s(5), 3), (s(11), 2), (s(12), 1), (s(20), 0)]);
        assert_eq!(t.len(), 0);
        t.set_session(2, &mut slots[2], t0 + s(40), s(10));
        t.cancel_session(2, &mut slots[2]);
        assert_eq!((t.len(), t.peek(live(&slots))), (0, None));
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
        // Nothing armed: no entry is held, and no queue but small ones.
        assert!(d
            .queues
            .iter()
            .all(|(_, q)| q.is_empty() && q.capacity() <= 64));
        assert!(d.queues.len() < 2);
    }
}
