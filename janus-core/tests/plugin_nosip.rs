//! The typed NoSIP vocabulary against frames captured from Janus 1.1.2
//! (see `captures/mod.rs`).

use janus_core::plugins::{nosip, PluginRequest};

mod captures;
use captures::{answers, event, exchange, load, refused};

const NOSIP: &str = "nosip";

#[test]
fn nosip_generate_process_hangup_recording() {
    let (c, _) = refused(NOSIP, "error_missing_sdp", nosip::Generate::new());
    assert_eq!(
        nosip::ErrorCode::try_from(c),
        Ok(nosip::ErrorCode::MissingSdp)
    );
    match event::<nosip::Event>(NOSIP, "error_process_missing_element") {
        nosip::Event::Error(e) => {
            assert_eq!(
                e.code::<nosip::ErrorCode>(),
                Ok(nosip::ErrorCode::MissingElement)
            )
        }
        other => panic!("{other:?}"),
    }
    match exchange(NOSIP, "generate", nosip::Generate::new().info("capture")) {
        nosip::Event::Generated(g) => {
            assert_eq!(g.result.sdp_type.as_deref(), Some("offer"));
            let sdp = g.result.sdp.unwrap();
            assert!(sdp.contains("RTP/AVP 111"), "{sdp}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        exchange(NOSIP, "hangup", nosip::Hangup::default()),
        nosip::Event::HangingUp(_)
    ));
    assert!(matches!(
        exchange(
            NOSIP,
            "recording",
            nosip::Recording::new("start").audio(true)
        ),
        nosip::Event::RecordingUpdated(_)
    ));
    let sdp = load(NOSIP, "process.request")["sdp"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(matches!(
        exchange(NOSIP, "process", nosip::Process::new("offer", sdp)),
        nosip::Event::Processed(_)
    ));
    for name in answers(NOSIP) {
        let read = event::<nosip::Event>(NOSIP, &name);
        assert!(!matches!(read, nosip::Event::Other(_)), "{name}: {read:?}");
    }
    assert_eq!(nosip::Generate::PLUGIN, "janus.plugin.nosip");
}
