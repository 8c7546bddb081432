//! VP8 (or VP9, AV1) frames in IVF, the container `ffmpeg` and libvpx write:
//! a 32-byte file header, then each frame behind a 12-byte header.

use std::io::{self, Read, Seek, SeekFrom, Write};
use std::time::Duration;

use super::Sample;
use crate::MediaError;

/// What an IVF file header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IvfHeader {
    /// The codec's four characters, e.g. `VP80`.
    pub fourcc: [u8; 4],
    /// Frame width in pixels.
    pub width: u16,
    /// Frame height in pixels.
    pub height: u16,
    /// Timestamps count in units of `timebase_num / timebase_den` seconds.
    pub timebase_den: u32,
    /// See `timebase_den`.
    pub timebase_num: u32,
}

/// Reads the frames of an IVF file, each stamped with its presentation
/// time.
pub struct IvfReader<R: Read> {
    source: R,
    header: IvfHeader,
}

impl<R: Read> IvfReader<R> {
    /// Reads and checks the file header.
    pub fn new(mut source: R) -> Result<Self, MediaError> {
        let mut raw = [0u8; 32];
        source.read_exact(&mut raw).map_err(|e| {
            if e.kind() == io::ErrorKind::UnexpectedEof {
                MediaError::Container("the IVF file is shorter than its 32-byte header".into())
            } else {
                MediaError::Io(e)
            }
        })?;
        if &raw[0..4] != b"DKIF" {
            return Err(MediaError::Container(
                "not an IVF file (no DKIF signature): give VP8 in IVF, \
                 e.g. `ffmpeg -i in.mp4 -c:v libvpx out.ivf`"
                    .into(),
            ));
        }
        let header_len = u16::from_le_bytes([raw[6], raw[7]]);
        let header = IvfHeader {
            fourcc: [raw[8], raw[9], raw[10], raw[11]],
            width: u16::from_le_bytes([raw[12], raw[13]]),
            height: u16::from_le_bytes([raw[14], raw[15]]),
            timebase_den: u32::from_le_bytes([raw[16], raw[17], raw[18], raw[19]]),
            timebase_num: u32::from_le_bytes([raw[20], raw[21], raw[22], raw[23]]),
        };
        if header.timebase_den == 0 || header.timebase_num == 0 {
            return Err(MediaError::Container(
                "the IVF header has a zero time base".into(),
            ));
        }
        // A longer header than 32 bytes: skip the rest.
        if header_len > 32 {
            io::copy(
                &mut (&mut source).take(u64::from(header_len - 32)),
                &mut io::sink(),
            )
            .map_err(MediaError::Io)?;
        }
        Ok(IvfReader { source, header })
    }

    /// The file header.
    pub fn header(&self) -> IvfHeader {
        self.header
    }

    /// The next frame, or `None` at the end of the file.
    pub fn next_sample(&mut self) -> Result<Option<Sample>, MediaError> {
        let mut raw = [0u8; 12];
        match read_full(&mut self.source, &mut raw).map_err(MediaError::Io)? {
            0 => return Ok(None),
            12 => {}
            _ => {
                return Err(MediaError::Container(
                    "the IVF file ends inside a frame header".into(),
                ))
            }
        }
        let size = u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]);
        if size > 16 << 20 {
            return Err(MediaError::Container(format!(
                "an IVF frame claims {size} bytes; the file is corrupt"
            )));
        }
        let pts = u64::from_le_bytes(raw[4..12].try_into().expect("8 bytes"));
        let mut data = vec![0; size as usize];
        self.source.read_exact(&mut data).map_err(|e| {
            if e.kind() == io::ErrorKind::UnexpectedEof {
                MediaError::Container("the IVF file ends inside a frame".into())
            } else {
                MediaError::Io(e)
            }
        })?;
        let micros = u128::from(pts) * u128::from(self.header.timebase_num) * 1_000_000
            / u128::from(self.header.timebase_den);
        Ok(Some(Sample {
            at: Duration::from_micros(micros.min(u128::from(u64::MAX)) as u64),
            data,
        }))
    }
}

impl<R: Read> Iterator for IvfReader<R> {
    type Item = Result<Sample, MediaError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_sample().transpose()
    }
}

fn read_full(source: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match source.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Writes VP8 frames received over RTP into an IVF file with a 90 kHz time
/// base (the RTP clock), so frames keep their timing. On
/// [`finish`](Self::finish) the header's length field is filled in with the
/// stream's length in time-base units, which is how `ffmpeg` reads it.
pub struct IvfWriter<W: Write + Seek> {
    sink: W,
    fourcc: [u8; 4],
    first_rtp: Option<u64>,
    frames: u64,
    last_pts: Option<u64>,
}

impl<W: Write + Seek> IvfWriter<W> {
    /// A writer of `fourcc` frames (`*b"VP80"` for VP8); the header is
    /// written with the first frame, whose size it reads when it is a VP8
    /// key frame.
    pub fn new(sink: W, fourcc: [u8; 4]) -> Self {
        IvfWriter {
            sink,
            fourcc,
            first_rtp: None,
            frames: 0,
            last_pts: None,
        }
    }

    /// Adds one frame whose RTP timestamp (90 kHz, unwrapped) is `rtp_time`.
    pub fn write(&mut self, rtp_time: u64, frame: &[u8]) -> Result<(), MediaError> {
        let first = match self.first_rtp {
            Some(first) => first,
            None => {
                let (width, height) = vp8_key_frame_size(frame).unwrap_or((0, 0));
                let mut header = [0u8; 32];
                header[0..4].copy_from_slice(b"DKIF");
                header[6..8].copy_from_slice(&32u16.to_le_bytes());
                header[8..12].copy_from_slice(&self.fourcc);
                header[12..14].copy_from_slice(&width.to_le_bytes());
                header[14..16].copy_from_slice(&height.to_le_bytes());
                header[16..20].copy_from_slice(&90_000u32.to_le_bytes());
                header[20..24].copy_from_slice(&1u32.to_le_bytes());
                self.sink.write_all(&header).map_err(MediaError::Io)?;
                self.first_rtp = Some(rtp_time);
                rtp_time
            }
        };
        // Timestamps must grow: a frame that would go back keeps the last.
        let mut pts = rtp_time.saturating_sub(first);
        if let Some(last) = self.last_pts {
            pts = pts.max(last + 1);
        }
        self.last_pts = Some(pts);
        let mut head = [0u8; 12];
        head[0..4].copy_from_slice(&(frame.len() as u32).to_le_bytes());
        head[4..12].copy_from_slice(&pts.to_le_bytes());
        self.sink.write_all(&head).map_err(MediaError::Io)?;
        self.sink.write_all(frame).map_err(MediaError::Io)?;
        self.frames += 1;
        Ok(())
    }

    /// Frames written so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Fills in the header's length and flushes.
    pub fn finish(&mut self) -> Result<(), MediaError> {
        if let Some(last) = self.last_pts {
            // One more frame interval (the average one) ends the last frame.
            let step = if self.frames > 1 {
                last / (self.frames - 1)
            } else {
                0
            };
            let length = u32::try_from(last + step).unwrap_or(u32::MAX);
            let end = self.sink.stream_position().map_err(MediaError::Io)?;
            self.sink
                .seek(SeekFrom::Start(24))
                .map_err(MediaError::Io)?;
            self.sink
                .write_all(&length.to_le_bytes())
                .map_err(MediaError::Io)?;
            self.sink
                .seek(SeekFrom::Start(end))
                .map_err(MediaError::Io)?;
        }
        self.sink.flush().map_err(MediaError::Io)
    }
}

/// The width and height a VP8 key frame announces (RFC 6386 §9.1).
pub fn vp8_key_frame_size(frame: &[u8]) -> Option<(u16, u16)> {
    if frame.len() < 10 || frame[0] & 1 != 0 || frame[3..6] != [0x9d, 0x01, 0x2a] {
        return None;
    }
    let width = u16::from_le_bytes([frame[6], frame[7]]) & 0x3fff;
    let height = u16::from_le_bytes([frame[8], frame[9]]) & 0x3fff;
    Some((width, height))
}

/// Whether `frame` is a VP8 key frame.
pub fn is_vp8_key_frame(frame: &[u8]) -> bool {
    frame.first().is_some_and(|b| b & 1 == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_with_their_times() {
        let key = [
            0x10, 0, 0, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00, 1, 2, 3,
        ];
        let mut out = io::Cursor::new(Vec::new());
        let mut writer = IvfWriter::new(&mut out, *b"VP80");
        writer.write(1_000, &key).unwrap();
        writer.write(4_000, &[0x11, 9]).unwrap();
        writer.write(7_000, &[0x11, 8]).unwrap();
        writer.finish().unwrap();
        let out = out.into_inner();
        // 3 frames 3000 ticks apart: 9000 ticks long.
        assert_eq!(out[24..28], 9_000u32.to_le_bytes());
        let mut reader = IvfReader::new(&out[..]).unwrap();
        assert_eq!(reader.header().width, 320);
        assert_eq!(reader.header().height, 240);
        let times: Vec<_> = reader.by_ref().map(|s| s.unwrap().at).collect();
        assert_eq!(
            times,
            [0, 33_333, 66_666].map(Duration::from_micros).to_vec()
        );
    }

    #[test]
    fn a_truncated_file_is_a_typed_error() {
        let err = IvfReader::new(&b"DKIF"[..]).err().unwrap();
        assert!(err.to_string().contains("32-byte header"), "{err}");
        let mut out = io::Cursor::new(Vec::new());
        IvfWriter::new(&mut out, *b"VP80")
            .write(0, &[1, 2, 3])
            .unwrap();
        let mut out = out.into_inner();
        out.truncate(out.len() - 1);
        let mut reader = IvfReader::new(&out[..]).unwrap();
        let err = reader.next_sample().unwrap_err();
        assert!(err.to_string().contains("inside a frame"), "{err}");
    }
}
