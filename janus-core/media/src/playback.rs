//! Media from files (or anything else that yields timed frames) sent at its
//! own pace, and received media written to files.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::path::Path;
use std::time::Instant;

use str0m::format::Codec;
use str0m::media::MediaKind;

use crate::container::{IvfReader, IvfWriter, OggOpusReader, OggOpusWriter, Sample};
use crate::{Frame, MediaError};

/// Timed encoded frames to send on one track: a file reader, or a source of
/// the application's own.
pub trait Source: Send {
    /// The codec of the frames.
    fn codec(&self) -> Codec;

    /// The next frame, `None` once the source is exhausted.
    fn next_sample(&mut self) -> Result<Option<Sample>, MediaError>;
}

impl<R: Read + Seek + Send> Source for OggOpusReader<R> {
    fn codec(&self) -> Codec {
        Codec::Opus
    }

    fn next_sample(&mut self) -> Result<Option<Sample>, MediaError> {
        OggOpusReader::next_sample(self)
    }
}

impl<R: Read + Send> Source for IvfReader<R> {
    fn codec(&self) -> Codec {
        match &self.header().fourcc {
            b"VP90" => Codec::Vp9,
            b"AV01" => Codec::Av1,
            b"H264" => Codec::H264,
            _ => Codec::Vp8,
        }
    }

    fn next_sample(&mut self) -> Result<Option<Sample>, MediaError> {
        IvfReader::next_sample(self)
    }
}

/// Where received frames of one track go: a file writer, or a sink of the
/// application's own.
pub trait FrameSink: Send {
    /// Takes one received frame.
    fn write_frame(&mut self, frame: &Frame) -> Result<(), MediaError>;

    /// Called once when the PeerConnection ends: flush and close.
    fn finish(&mut self) -> Result<(), MediaError>;
}

impl<W: Write + Send> FrameSink for OggOpusWriter<W> {
    fn write_frame(&mut self, frame: &Frame) -> Result<(), MediaError> {
        self.write(frame.rtp_time, &frame.data)
    }

    fn finish(&mut self) -> Result<(), MediaError> {
        OggOpusWriter::finish(self)
    }
}

impl<W: Write + Seek + Send> FrameSink for IvfWriter<W> {
    fn write_frame(&mut self, frame: &Frame) -> Result<(), MediaError> {
        self.write(frame.rtp_time, &frame.data)
    }

    fn finish(&mut self) -> Result<(), MediaError> {
        IvfWriter::finish(self)
    }
}

/// Opens a media file for playback by its extension: `.ogg`/`.opus` (Opus
/// in Ogg, an audio track) or `.ivf` (VP8 in IVF, a video track).
pub fn open_file(path: impl AsRef<Path>) -> Result<(MediaKind, Box<dyn Source>), MediaError> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|e| {
        MediaError::Container(format!("cannot open {} for playback: {e}", path.display()))
    })?;
    match extension(path).as_deref() {
        Some("ogg" | "opus" | "oga") => Ok((
            MediaKind::Audio,
            Box::new(OggOpusReader::new(BufReader::new(file))),
        )),
        Some("ivf") => Ok((
            MediaKind::Video,
            Box::new(IvfReader::new(BufReader::new(file))?),
        )),
        _ => Err(unknown_extension(path)),
    }
}

/// Creates a recording file by its extension: `.ogg`/`.opus` records the
/// audio track, `.ivf` the VP8 video track.
pub fn create_file(path: impl AsRef<Path>) -> Result<(MediaKind, Box<dyn FrameSink>), MediaError> {
    let path = path.as_ref();
    let file = File::create(path).map_err(|e| {
        MediaError::Container(format!(
            "cannot create the recording {}: {e}",
            path.display()
        ))
    })?;
    match extension(path).as_deref() {
        Some("ogg" | "opus" | "oga") => Ok((
            MediaKind::Audio,
            Box::new(OggOpusWriter::new(BufWriter::new(file))?),
        )),
        Some("ivf") => Ok((
            MediaKind::Video,
            Box::new(IvfWriter::new(BufWriter::new(file), *b"VP80")),
        )),
        _ => Err(unknown_extension(path)),
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

fn unknown_extension(path: &Path) -> MediaError {
    MediaError::Container(format!(
        "{}: name the file .ogg (Opus audio) or .ivf (VP8 video)",
        path.display()
    ))
}

/// One source being played on one track.
pub(crate) struct Playing {
    pub kind: MediaKind,
    pub source: Box<dyn Source>,
    /// The next frame, read ahead to know when it is due.
    pub next: Option<Sample>,
    /// When the source's time zero plays; set once the connection is up.
    pub start: Option<Instant>,
    pub sent: u64,
}

impl Playing {
    pub fn due(&self) -> Option<Instant> {
        Some(self.start? + self.next.as_ref()?.at)
    }
}
