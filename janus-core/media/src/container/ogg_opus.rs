//! Opus in Ogg (RFC 7845): read packets with their times, write what a
//! PeerConnection received. The paging is the `ogg` crate's.

use std::io::{Read, Seek, Write};
use std::time::Duration;

use ogg::reading::PacketReader;
use ogg::writing::{PacketWriteEndInfo, PacketWriter};

use super::opus::packet_samples;
use super::Sample;
use crate::MediaError;

const OPUS_RATE: u64 = 48_000;

/// Reads the Opus packets of an Ogg Opus file, each stamped with the time
/// it starts at (from the packets' own durations).
pub struct OggOpusReader<R: Read + Seek> {
    packets: PacketReader<R>,
    serial: Option<u32>,
    headers_left: u8,
    position: u64,
}

impl<R: Read + Seek> OggOpusReader<R> {
    /// Reads from `source`; the headers are checked on the first
    /// [`next_sample`](Self::next_sample).
    pub fn new(source: R) -> Self {
        OggOpusReader {
            packets: PacketReader::new(source),
            serial: None,
            headers_left: 2,
            position: 0,
        }
    }

    /// The next Opus packet, or `None` at the end of the stream.
    pub fn next_sample(&mut self) -> Result<Option<Sample>, MediaError> {
        loop {
            let Some(packet) = self.packets.read_packet().map_err(ogg_error)? else {
                return Ok(None);
            };
            match self.serial {
                None => {
                    if !packet.data.starts_with(b"OpusHead") {
                        return Err(MediaError::Container(
                            "the Ogg stream is not Opus (no OpusHead): give an Ogg Opus file, \
                             e.g. `ffmpeg -i in.wav -c:a libopus out.ogg`"
                                .into(),
                        ));
                    }
                    self.serial = Some(packet.stream_serial());
                    self.headers_left = 1;
                    continue;
                }
                Some(serial) if serial != packet.stream_serial() => continue,
                Some(_) => {}
            }
            if self.headers_left > 0 {
                // OpusTags.
                self.headers_left -= 1;
                continue;
            }
            let samples = packet_samples(&packet.data).ok_or_else(|| {
                MediaError::Container("an empty or truncated Opus packet in the Ogg file".into())
            })?;
            let at = Duration::from_micros(self.position * 1_000_000 / OPUS_RATE);
            self.position += u64::from(samples);
            return Ok(Some(Sample {
                at,
                data: packet.data,
            }));
        }
    }
}

impl<R: Read + Seek> Iterator for OggOpusReader<R> {
    type Item = Result<Sample, MediaError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_sample().transpose()
    }
}

/// Writes Opus packets into an Ogg Opus file, two channels at 48 kHz, each
/// packet placed by its RTP time so that gaps stay gaps.
pub struct OggOpusWriter<W: Write> {
    pages: PacketWriter<'static, W>,
    serial: u32,
    first_rtp: Option<u64>,
    /// The last packet, held back so the final one can end the stream.
    held: Option<(Vec<u8>, u64)>,
    granule: u64,
    finished: bool,
}

impl<W: Write> OggOpusWriter<W> {
    /// Writes the Opus headers to `sink` at once.
    pub fn new(sink: W) -> Result<Self, MediaError> {
        let mut pages = PacketWriter::new(sink);
        let serial = 0x6a61_6e75; // "janu"
        let mut head = Vec::with_capacity(19);
        head.extend_from_slice(b"OpusHead");
        head.push(1); // version
        head.push(2); // channels
        head.extend_from_slice(&0u16.to_le_bytes()); // pre-skip
        head.extend_from_slice(&48_000u32.to_le_bytes()); // input rate
        head.extend_from_slice(&0i16.to_le_bytes()); // output gain
        head.push(0); // channel mapping family
        pages
            .write_packet(head, serial, PacketWriteEndInfo::EndPage, 0)
            .map_err(MediaError::Io)?;
        let vendor = b"janus-media";
        let mut tags = Vec::with_capacity(16 + vendor.len());
        tags.extend_from_slice(b"OpusTags");
        tags.extend_from_slice(&(vendor.len() as u32).to_le_bytes());
        tags.extend_from_slice(vendor);
        tags.extend_from_slice(&0u32.to_le_bytes());
        pages
            .write_packet(tags, serial, PacketWriteEndInfo::EndPage, 0)
            .map_err(MediaError::Io)?;
        Ok(OggOpusWriter {
            pages,
            serial,
            first_rtp: None,
            held: None,
            granule: 0,
            finished: false,
        })
    }

    /// Adds one Opus packet whose RTP timestamp (48 kHz clock, already
    /// unwrapped) is `rtp_time`.
    pub fn write(&mut self, rtp_time: u64, packet: &[u8]) -> Result<(), MediaError> {
        let first = *self.first_rtp.get_or_insert(rtp_time);
        let start = rtp_time.saturating_sub(first);
        let samples = u64::from(packet_samples(packet).unwrap_or(960));
        let end = start.max(self.granule) + samples;
        if let Some((data, granule)) = self.held.take() {
            self.pages
                .write_packet(data, self.serial, PacketWriteEndInfo::NormalPacket, granule)
                .map_err(MediaError::Io)?;
        }
        self.granule = end;
        self.held = Some((packet.to_vec(), end));
        Ok(())
    }

    /// Ends the stream (the last packet closes it). Also done on drop,
    /// where an error can only be logged.
    pub fn finish(&mut self) -> Result<(), MediaError> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        if let Some((data, granule)) = self.held.take() {
            self.pages
                .write_packet(data, self.serial, PacketWriteEndInfo::EndStream, granule)
                .map_err(MediaError::Io)?;
        }
        self.pages.inner_mut().flush().map_err(MediaError::Io)
    }

    /// The stream's length so far.
    pub fn duration(&self) -> Duration {
        Duration::from_micros(self.granule * 1_000_000 / OPUS_RATE)
    }
}

impl<W: Write> Drop for OggOpusWriter<W> {
    fn drop(&mut self) {
        if let Err(e) = self.finish() {
            tracing::warn!("could not finish an Ogg Opus recording: {e}");
        }
    }
}

fn ogg_error(e: ogg::OggReadError) -> MediaError {
    match e {
        ogg::OggReadError::ReadError(io) => MediaError::Io(io),
        other => MediaError::Container(format!("the Ogg file is malformed: {other}")),
    }
}
