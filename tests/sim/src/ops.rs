//! The operation enum shared by the property tests (a proptest strategy),
//! the fuzz targets and the soak (both through `arbitrary`).
//!
//! Operations name sessions and handles by index into what exists when they
//! run (see [`World`](crate::World)), so any sequence is meaningful: an index
//! past the end picks an id that has ended or never existed, which exercises
//! the engine's refusal paths.

use arbitrary::{Arbitrary, Unstructured};
use proptest::prelude::*;

/// A one-shot network or clock fault.
#[derive(Clone, Debug, PartialEq, Eq, Arbitrary)]
pub enum Fault {
    /// The next message is lost.
    Drop,
    /// The next message is delivered twice.
    Duplicate,
    /// The next message is overtaken by the ones after it.
    Reorder,
    /// The next message is damaged (so that it is no longer valid JSON).
    Corrupt,
    /// The next message is held back this many milliseconds.
    Delay(u16),
    /// The WebSocket connection is cut now.
    Cut,
    /// The next connection attempt is refused.
    Refuse,
    /// The client is frozen this many seconds, modulo 101 (a suspended
    /// laptop): the server goes on, and the engine then sees the clock jump.
    Freeze(u8),
    /// The next input carries a time this many milliseconds in the past.
    ClockBack(u16),
    /// The next HTTP exchange fails without a response.
    HttpFail,
    /// The next HTTP exchange is answered by a proxy with this status.
    HttpStatus(u16),
    /// A silent partition for 1 to 60 s (this many, modulo 60, plus one):
    /// everything sent either way is swallowed, nothing is closed, and
    /// connection attempts fail.
    Partition(u8),
    /// From now on a proxy cuts whatever stays idle for 5 to 44 s (this
    /// many, modulo 40, plus five): a WebSocket with no traffic either way,
    /// an HTTP exchange (a held long poll) not answered by then.
    IdleCut(u8),
}

/// One step of a simulated lifecycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// `create`, optionally asking for an id (small ids collide: 468).
    Create {
        /// The id to ask for.
        with_id: Option<u8>,
    },
    /// `attach` to a session (by index) and a plugin (0 echotest,
    /// 1 videoroom, 2 a plugin the server does not have).
    Attach {
        /// Which session.
        session: u8,
        /// Which plugin.
        plugin: u8,
        /// Whether to give an opaque id.
        opaque: bool,
    },
    /// `message` to a handle; `body` and `jsep` pick among canned ones.
    Message {
        /// Which handle.
        handle: u8,
        /// Which body.
        body: u8,
        /// Which JSEP (0 none, 1 an offer, 2 an answer, 3 a bad SDP).
        jsep: u8,
    },
    /// `trickle` (0 one candidate, 1 a list, 2 end of candidates).
    Trickle {
        /// Which handle.
        handle: u8,
        /// Which form.
        kind: u8,
    },
    /// `hangup`.
    Hangup {
        /// Which handle.
        handle: u8,
    },
    /// `detach`.
    Detach {
        /// Which handle.
        handle: u8,
    },
    /// `destroy`.
    Destroy {
        /// Which session.
        session: u8,
    },
    /// An explicit `keepalive`, with a deadline in milliseconds (0: the default).
    Keepalive {
        /// Which session.
        session: u8,
        /// Its deadline.
        timeout_ms: u16,
    },
    /// `claim` a session: one of the engine's, another client's, one that
    /// ended, or an unknown id.
    Claim {
        /// Which session.
        session: u8,
        /// Whether to keep it alive.
        keepalive: bool,
    },
    /// `info`.
    Info,
    /// `ping`.
    Ping,
    /// `prevent_expire` (on) or `allow_expire` (off).
    Hold {
        /// Which session.
        session: u8,
        /// Add or remove a hold.
        on: bool,
    },
    /// `set_keepalive`.
    SetKeepalive {
        /// Which session.
        session: u8,
        /// On or off.
        on: bool,
    },
    /// `touch`.
    Touch {
        /// Which session.
        session: u8,
    },
    /// Another client creates a session on the server.
    ForeignSession,
    /// The server sends an unsolicited event about a handle.
    ServerEvent {
        /// Which handle.
        handle: u8,
        /// Which event.
        kind: u8,
    },
    /// The server detaches a handle by itself.
    ServerDetach {
        /// Which handle.
        handle: u8,
    },
    /// The Admin API destroys a session (silently).
    AdminDestroy {
        /// Which session.
        session: u8,
    },
    /// Let this many milliseconds pass.
    Wait(u32),
    /// Let time pass until nothing is in flight (bounded).
    Settle,
    /// A fault.
    Fault(Fault),
    /// Arbitrary bytes handed to the engine as a WebSocket frame, or as the
    /// body of the oldest outstanding HTTP exchange (turns the model
    /// comparison off for the rest of the run: such bytes can forge replies).
    Inject(Vec<u8>),
    /// `close` the engine.
    Close,
}

/// Weights of the operations (out of their sum), shared by every generator.
const WEIGHTS: [(u8, u32); 24] = [
    (0, 8),   // Create
    (1, 10),  // Attach
    (2, 10),  // Message
    (3, 4),   // Trickle
    (4, 3),   // Hangup
    (5, 4),   // Detach
    (6, 4),   // Destroy
    (7, 2),   // Keepalive
    (8, 3),   // Claim
    (9, 2),   // Info
    (10, 1),  // Ping
    (11, 2),  // Hold
    (12, 2),  // SetKeepalive
    (13, 1),  // Touch
    (14, 2),  // ForeignSession
    (15, 4),  // ServerEvent
    (16, 2),  // ServerDetach
    (17, 1),  // AdminDestroy
    (18, 16), // Wait
    (19, 4),  // Settle
    (20, 8),  // Fault
    (21, 0),  // Inject (only when asked for)
    (22, 0),  // Close (only when asked for)
    (23, 1),  // a long wait (keepalives, timeouts)
];

fn pick(total_roll: u32, inject: bool, close: bool) -> u8 {
    let weight = |k: u8, w: u32| match k {
        21 if inject => 3,
        22 if close => 1,
        _ => w,
    };
    let total: u32 = WEIGHTS.iter().map(|&(k, w)| weight(k, w)).sum();
    let mut roll = total_roll % total;
    for &(k, w) in &WEIGHTS {
        let w = weight(k, w);
        if roll < w {
            return k;
        }
        roll -= w;
    }
    18
}

fn build(kind: u8, u: &mut Unstructured<'_>) -> arbitrary::Result<Op> {
    Ok(match kind {
        0 => Op::Create {
            with_id: Option::<u8>::arbitrary(u)?.filter(|_| u.ratio(1, 4).unwrap_or(false)),
        },
        1 => Op::Attach {
            session: u.arbitrary()?,
            plugin: u.int_in_range(0..=5)?,
            opaque: u.arbitrary()?,
        },
        2 => Op::Message {
            handle: u.arbitrary()?,
            body: u.arbitrary()?,
            jsep: u.int_in_range(0..=7)?,
        },
        3 => Op::Trickle {
            handle: u.arbitrary()?,
            kind: u.arbitrary()?,
        },
        4 => Op::Hangup {
            handle: u.arbitrary()?,
        },
        5 => Op::Detach {
            handle: u.arbitrary()?,
        },
        6 => Op::Destroy {
            session: u.arbitrary()?,
        },
        7 => Op::Keepalive {
            session: u.arbitrary()?,
            timeout_ms: u.arbitrary()?,
        },
        8 => Op::Claim {
            session: u.arbitrary()?,
            keepalive: u.arbitrary()?,
        },
        9 => Op::Info,
        10 => Op::Ping,
        11 => Op::Hold {
            session: u.arbitrary()?,
            on: u.arbitrary()?,
        },
        12 => Op::SetKeepalive {
            session: u.arbitrary()?,
            on: u.arbitrary()?,
        },
        13 => Op::Touch {
            session: u.arbitrary()?,
        },
        14 => Op::ForeignSession,
        15 => Op::ServerEvent {
            handle: u.arbitrary()?,
            kind: u.arbitrary()?,
        },
        16 => Op::ServerDetach {
            handle: u.arbitrary()?,
        },
        17 => Op::AdminDestroy {
            session: u.arbitrary()?,
        },
        18 => Op::Wait(u.int_in_range(0..=3_000)?),
        19 => Op::Settle,
        20 => Op::Fault(u.arbitrary()?),
        21 => Op::Inject(u.arbitrary()?),
        22 => Op::Close,
        _ => Op::Wait(u.int_in_range(10_000..=120_000)?),
    })
}

impl Op {
    /// One operation from fuzzer bytes; `inject` allows [`Op::Inject`],
    /// `close` allows [`Op::Close`].
    pub fn from_unstructured(
        u: &mut Unstructured<'_>,
        inject: bool,
        close: bool,
    ) -> arbitrary::Result<Op> {
        let roll: u32 = u.arbitrary()?;
        build(pick(roll, inject, close), u)
    }

    /// Operations from fuzzer bytes until they run out.
    pub fn sequence(data: &[u8], inject: bool, close: bool) -> Vec<Op> {
        let mut u = Unstructured::new(data);
        let mut ops = Vec::new();
        while !u.is_empty() && ops.len() < 2_000 {
            match Op::from_unstructured(&mut u, inject, close) {
                Ok(op) => ops.push(op),
                Err(_) => break,
            }
        }
        ops
    }
}

impl<'a> Arbitrary<'a> for Op {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Op::from_unstructured(u, true, true)
    }
}

/// The proptest strategy for one fault.
pub fn fault_strategy() -> impl Strategy<Value = Fault> {
    prop_oneof![
        Just(Fault::Drop),
        Just(Fault::Duplicate),
        Just(Fault::Reorder),
        Just(Fault::Corrupt),
        any::<u16>().prop_map(Fault::Delay),
        Just(Fault::Cut),
        Just(Fault::Refuse),
        any::<u8>().prop_map(Fault::Freeze),
        any::<u16>().prop_map(Fault::ClockBack),
        Just(Fault::HttpFail),
        prop_oneof![Just(500u16), Just(502), Just(503), Just(403)].prop_map(Fault::HttpStatus),
        any::<u8>().prop_map(Fault::Partition),
        any::<u8>().prop_map(Fault::IdleCut),
    ]
}

/// The proptest strategy for one operation, with the same weights as the
/// `arbitrary` generator; `faults` allows [`Op::Fault`], `close` [`Op::Close`].
pub fn op_strategy(faults: bool, close: bool) -> impl Strategy<Value = Op> {
    let w = |k: u8| WEIGHTS[usize::from(k)].1;
    let idx = any::<u8>;
    let mut arms: Vec<(u32, BoxedStrategy<Op>)> = vec![
        (
            w(0),
            proptest::option::weighted(0.2, 1u8..=4)
                .prop_map(|with_id| Op::Create { with_id })
                .boxed(),
        ),
        (
            w(1),
            (idx(), 0u8..=5, any::<bool>())
                .prop_map(|(session, plugin, opaque)| Op::Attach {
                    session,
                    plugin,
                    opaque,
                })
                .boxed(),
        ),
        (
            w(2),
            (idx(), idx(), 0u8..=7)
                .prop_map(|(handle, body, jsep)| Op::Message { handle, body, jsep })
                .boxed(),
        ),
        (
            w(3),
            (idx(), idx())
                .prop_map(|(handle, kind)| Op::Trickle { handle, kind })
                .boxed(),
        ),
        (w(4), idx().prop_map(|handle| Op::Hangup { handle }).boxed()),
        (w(5), idx().prop_map(|handle| Op::Detach { handle }).boxed()),
        (
            w(6),
            idx().prop_map(|session| Op::Destroy { session }).boxed(),
        ),
        (
            w(7),
            (idx(), any::<u16>())
                .prop_map(|(session, timeout_ms)| Op::Keepalive {
                    session,
                    timeout_ms,
                })
                .boxed(),
        ),
        (
            w(8),
            (idx(), any::<bool>())
                .prop_map(|(session, keepalive)| Op::Claim { session, keepalive })
                .boxed(),
        ),
        (w(9), Just(Op::Info).boxed()),
        (w(10), Just(Op::Ping).boxed()),
        (
            w(11),
            (idx(), any::<bool>())
                .prop_map(|(session, on)| Op::Hold { session, on })
                .boxed(),
        ),
        (
            w(12),
            (idx(), any::<bool>())
                .prop_map(|(session, on)| Op::SetKeepalive { session, on })
                .boxed(),
        ),
        (
            w(13),
            idx().prop_map(|session| Op::Touch { session }).boxed(),
        ),
        (w(14), Just(Op::ForeignSession).boxed()),
        (
            w(15),
            (idx(), idx())
                .prop_map(|(handle, kind)| Op::ServerEvent { handle, kind })
                .boxed(),
        ),
        (
            w(16),
            idx().prop_map(|handle| Op::ServerDetach { handle }).boxed(),
        ),
        (
            w(17),
            idx()
                .prop_map(|session| Op::AdminDestroy { session })
                .boxed(),
        ),
        (w(18), (0u32..=3_000).prop_map(Op::Wait).boxed()),
        (w(19), Just(Op::Settle).boxed()),
        (w(23), (10_000u32..=120_000).prop_map(Op::Wait).boxed()),
    ];
    if faults {
        arms.push((w(20), fault_strategy().prop_map(Op::Fault).boxed()));
    }
    if close {
        arms.push((1, Just(Op::Close).boxed()));
    }
    proptest::strategy::Union::new_weighted(arms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_reachable_from_bytes() {
        let mut seen = std::collections::HashSet::new();
        let mut rng = crate::Rng::new(3);
        let bytes: Vec<u8> = (0..200_000).map(|_| rng.next_u64() as u8).collect();
        for op in Op::sequence(&bytes, true, true) {
            seen.insert(std::mem::discriminant(&op));
        }
        // Every variant of `Op` (Wait counts once for both wait kinds).
        assert_eq!(seen.len(), 23);
    }
}
