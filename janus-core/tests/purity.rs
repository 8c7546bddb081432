//! The engine is pure: no clock reads in its code, no I/O or runtime crates
//! among its dependencies.

use std::fs;
use std::path::Path;

/// The source with doc comments and `#[cfg(test)]` modules removed.
fn non_test_code(text: &str) -> String {
    let code = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    };
    code.lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with("//!") || t.starts_with("///") || t.starts_with("//"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn no_clock_reads_outside_tests() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = 0;
    for entry in fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let code = non_test_code(&fs::read_to_string(&path).unwrap());
            for forbidden in [
                "Instant::now",
                "SystemTime::now",
                "std::thread",
                "std::net",
                "std::fs",
            ] {
                assert!(
                    !code.contains(forbidden),
                    "{} uses {forbidden}",
                    path.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 5);
}

/// The engine builds on serde, serde_json and thiserror, and on itoa, which
/// serde_json already brings along.
#[test]
fn only_serde_serde_json_itoa_and_thiserror() {
    let manifest =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .expect("a [dependencies] table")
        .split("\n[")
        .next()
        .unwrap();
    let names: Vec<&str> = deps
        .lines()
        .filter_map(|l| l.split(['=', '.']).next())
        .map(str::trim)
        .filter(|n| !n.is_empty() && !n.starts_with('#'))
        .collect();
    assert_eq!(names, ["serde", "serde_json", "thiserror", "itoa"]);
}
