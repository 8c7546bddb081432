//! Runs one fuzz input (a crash artifact, or a corpus file) through a
//! target's body, outside the fuzzer; for `lifecycle` it prints the trace.
//!
//! ```sh
//! cargo run -p janus-sim --example replay -- lifecycle fuzz/artifacts/lifecycle/crash-...
//! ```

use janus_sim::targets;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(target), Some(path)) = (args.next(), args.next()) else {
        eprintln!("usage: replay <frames|lifecycle|http> <file>");
        std::process::exit(2);
    };
    let data = std::fs::read(&path).expect("read the input");
    match target.as_str() {
        "frames" => targets::frames(&data),
        "http" => targets::http(&data),
        "lifecycle" => {
            let (result, trace) = targets::trace_lifecycle(&data);
            for line in trace {
                println!("{line}");
            }
            if let Err(v) = result {
                println!("invariant broken: {v}");
                std::process::exit(1);
            }
        }
        other => {
            eprintln!("unknown target {other}");
            std::process::exit(2);
        }
    }
    println!("ok");
}
