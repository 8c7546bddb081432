//! The few facts of an Opus packet a container needs (RFC 6716 §3.1).

/// Samples at 48 kHz that the Opus packet `packet` decodes to, read from
/// its table-of-contents byte; `None` when the packet is empty or its frame
/// count byte is missing.
pub fn packet_samples(packet: &[u8]) -> Option<u32> {
    let toc = *packet.first()?;
    let config = toc >> 3;
    // Frame length in units of 1/400 s (2.5 ms), by configuration.
    let frame_quarter_ms: u32 = match config {
        0..=11 => [40, 80, 160, 240][usize::from(config % 4)],
        12..=15 => [40, 80][usize::from(config % 2)],
        _ => [10, 20, 40, 80][usize::from(config % 4)],
    };
    let frames: u32 = match toc & 0b11 {
        0 => 1,
        1 | 2 => 2,
        _ => u32::from(*packet.get(1)? & 0x3f),
    };
    // 48 samples per ms; frame_quarter_ms is in quarters of a millisecond.
    Some(frames * frame_quarter_ms * 12)
}

#[cfg(test)]
mod tests {
    use super::packet_samples;

    #[test]
    fn reads_the_duration_from_the_toc() {
        // CELT FB 20 ms, one frame.
        assert_eq!(packet_samples(&[31 << 3]), Some(960));
        // SILK NB 60 ms, two frames of equal size.
        assert_eq!(packet_samples(&[(3 << 3) | 1]), Some(5760));
        // CELT 2.5 ms, code 3 with 4 frames.
        assert_eq!(packet_samples(&[(16 << 3) | 3, 4]), Some(480));
        // Hybrid 10 ms.
        assert_eq!(packet_samples(&[12 << 3]), Some(480));
        assert_eq!(packet_samples(&[]), None);
        assert_eq!(packet_samples(&[3]), None);
    }
}
