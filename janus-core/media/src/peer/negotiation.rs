//! The SDP negotiation with Janus: offers, answers, rollback, trickled
//! candidates and data channels opened later.

use janus_core::{Jsep, SdpType, Trickle};
use str0m::change::{SdpAnswer, SdpOffer};
use str0m::media::{Direction, MediaKind, Mid};
use str0m::Candidate;

use super::PeerConnection;
use crate::MediaError;

/// The media a new offer asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tracks {
    audio: Option<Direction>,
    video: Option<Direction>,
    data_channel: Option<String>,
}

impl Tracks {
    /// No media yet: add tracks with the methods below.
    pub fn new() -> Self {
        Tracks::default()
    }

    /// An audio track with this direction (from this side's point of view).
    pub fn audio(mut self, direction: Direction) -> Self {
        self.audio = Some(direction);
        self
    }

    /// A video track with this direction.
    pub fn video(mut self, direction: Direction) -> Self {
        self.video = Some(direction);
        self
    }

    /// A data channel with this label (Janus's plugins accept any label).
    pub fn data_channel(mut self, label: impl Into<String>) -> Self {
        self.data_channel = Some(label.into());
        self
    }
}

/// A track the session has, by its mid.
#[derive(Clone, Copy, Debug)]
pub(super) struct TrackInfo {
    pub(super) mid: Mid,
    pub(super) kind: MediaKind,
    pub(super) direction: Direction,
}

impl PeerConnection {
    /// Takes back an offer whose answer will not come (the plugin refused
    /// the message): the tracks it added are forgotten and a new offer may
    /// be made.
    pub fn rollback(&mut self) {
        self.pending = None;
        let mids = std::mem::take(&mut self.pending_mids);
        self.tracks.retain(|t| !mids.contains(&t.mid));
    }

    /// An offer for `tracks`, to send in a plugin message's `jsep`.
    pub fn create_offer(&mut self, tracks: &Tracks) -> Result<Jsep, MediaError> {
        self.check_alive()?;
        if self.pending.is_some() {
            return Err(MediaError::Negotiation(
                "an offer is already waiting for its answer; accept the answer first".into(),
            ));
        }
        let mut change = self.rtc.sdp_api();
        let mut added = Vec::new();
        if let Some(direction) = tracks.audio {
            let mid = change.add_media(MediaKind::Audio, direction, None, None, None);
            added.push(TrackInfo {
                mid,
                kind: MediaKind::Audio,
                direction,
            });
        }
        if let Some(direction) = tracks.video {
            let mid = change.add_media(MediaKind::Video, direction, None, None, None);
            added.push(TrackInfo {
                mid,
                kind: MediaKind::Video,
                direction,
            });
        }
        if let Some(label) = &tracks.data_channel {
            change.add_channel(label.clone());
        }
        let Some((offer, pending)) = change.apply() else {
            return Err(MediaError::Negotiation(
                "the offer would change nothing: ask for at least one track or a data channel"
                    .into(),
            ));
        };
        self.pending_mids = added.iter().map(|t| t.mid).collect();
        self.tracks.extend(added);
        self.pending = Some(pending);
        self.drain();
        Ok(to_jsep(SdpType::Offer, offer.to_sdp_string()))
    }

    /// Takes Janus's answer to [`create_offer`](Self::create_offer).
    pub fn accept_answer(&mut self, jsep: &Jsep) -> Result<(), MediaError> {
        self.check_alive()?;
        if jsep.kind != SdpType::Answer {
            return Err(MediaError::Negotiation(format!(
                "expected Janus's answer but got an {:?}; an offer from Janus goes to accept_offer",
                jsep.kind
            )));
        }
        let Some(pending) = self.pending.take() else {
            return Err(MediaError::Negotiation(
                "an answer arrived but no offer is pending".into(),
            ));
        };
        let answer = match SdpAnswer::from_sdp_string(&jsep.sdp) {
            Ok(answer) => answer,
            Err(e) => {
                // Unread: the offer still waits for a proper answer.
                self.pending = Some(pending);
                return Err(MediaError::Sdp(format!("Janus's answer: {e}")));
            }
        };
        let result = self.rtc.sdp_api().accept_answer(pending, answer);
        self.drain();
        match result {
            Ok(()) => {
                self.pending_mids.clear();
                self.arm_connect_deadline();
                Ok(())
            }
            Err(e) => {
                self.rollback();
                Err(MediaError::Sdp(e.to_string()))
            }
        }
    }

    /// Answers an offer from Janus (a VideoRoom subscription, a Streaming
    /// mountpoint, a TextRoom); send the answer back in a message's `jsep`.
    pub fn accept_offer(&mut self, jsep: &Jsep) -> Result<Jsep, MediaError> {
        self.check_alive()?;
        if jsep.kind != SdpType::Offer {
            return Err(MediaError::Negotiation(format!(
                "expected an offer from Janus but got an {:?}",
                jsep.kind
            )));
        }
        let offer = SdpOffer::from_sdp_string(&jsep.sdp)
            .map_err(|e| MediaError::Sdp(format!("Janus's offer: {e}")))?;
        let result = self.rtc.sdp_api().accept_offer(offer);
        self.drain();
        let answer = result.map_err(|e| MediaError::Sdp(e.to_string()))?;
        self.arm_connect_deadline();
        Ok(to_jsep(SdpType::Answer, answer.to_sdp_string()))
    }

    /// Adds candidates Janus trickled (its `trickle` events, with
    /// `full_trickle` on).
    pub fn add_remote_trickle(&mut self, trickle: &Trickle) -> Result<(), MediaError> {
        let candidates = match trickle {
            Trickle::Candidate(c) => std::slice::from_ref(c),
            Trickle::Candidates(cs) => cs.as_slice(),
            Trickle::Completed => return Ok(()),
        };
        // A bad candidate does not keep the others out.
        let mut refused = None;
        for c in candidates {
            let line = c.candidate.strip_prefix("a=").unwrap_or(&c.candidate);
            match Candidate::from_sdp_string(line) {
                Ok(candidate) => {
                    self.rtc.add_remote_candidate(candidate);
                    self.drain();
                }
                Err(e) => {
                    refused.get_or_insert(MediaError::Candidate(e.to_string()));
                }
            }
        }
        refused.map_or(Ok(()), Err)
    }

    /// Opens a data channel labelled `label`. When the session already has
    /// its SCTP association (an answer or offer with a data channel was
    /// applied: Janus's TextRoom offer, say) it opens without negotiation
    /// and `None` is returned; otherwise the offer that adds it is returned,
    /// to send to Janus and answer with [`accept_answer`](Self::accept_answer).
    pub fn open_channel(&mut self, label: &str) -> Result<Option<Jsep>, MediaError> {
        self.check_alive()?;
        if self.pending.is_some() {
            return Err(MediaError::Negotiation(
                "an offer is already waiting for its answer; accept the answer first".into(),
            ));
        }
        let mut change = self.rtc.sdp_api();
        change.add_channel(label.to_owned());
        let applied = change.apply();
        self.drain();
        Ok(applied.map(|(offer, pending)| {
            self.pending = Some(pending);
            self.pending_mids.clear();
            to_jsep(SdpType::Offer, offer.to_sdp_string())
        }))
    }
}

fn to_jsep(kind: SdpType, sdp: String) -> Jsep {
    let mut jsep = match kind {
        SdpType::Offer => Jsep::offer(sdp),
        _ => Jsep::answer(sdp),
    };
    jsep.trickle = Some(false);
    jsep
}
