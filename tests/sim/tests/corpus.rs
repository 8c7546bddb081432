//! Replays every committed fuzz corpus input (`fuzz/corpus/<target>/*`)
//! through the very function its fuzz target calls, on stable, in CI. The
//! fuzzers (`scripts/fuzz.sh`) grow and minimise these corpora.

use std::fs;
use std::path::PathBuf;

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("no corpus at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let data = fs::read(&p).unwrap();
            (p, data)
        })
        .collect()
}

fn replay(target: &str, run: fn(&[u8])) {
    let inputs = corpus(target);
    assert!(
        inputs.len() >= 20,
        "the {target} corpus has only {} inputs",
        inputs.len()
    );
    for (path, data) in &inputs {
        let r = std::panic::catch_unwind(|| run(data));
        assert!(r.is_ok(), "{target} input {} fails", path.display());
    }
}

#[test]
fn frames_corpus() {
    replay("frames", janus_sim::targets::frames);
}

#[test]
fn lifecycle_corpus() {
    replay("lifecycle", janus_sim::targets::lifecycle);
}

#[test]
fn http_corpus() {
    replay("http", janus_sim::targets::http);
}

#[test]
fn media_corpus() {
    replay("media", janus_sim::targets::media);
}

/// Some corpus inputs were captured from the real Janus by
/// `tests/real_janus.rs`; the frames target must see them whole.
#[test]
fn the_frames_corpus_holds_real_janus_frames() {
    let real = corpus("frames")
        .into_iter()
        .filter_map(|(_, d)| serde_json::from_slice::<serde_json::Value>(&d).ok())
        .filter(|v| v.get("janus").is_some() || v.is_array())
        .count();
    assert!(real >= 20, "only {real} real frames in the corpus");
}
