//! The short soak: `benches/soak.py` for 20 seconds against the real binary (reads with wrk,
//! concurrent pushers), failing if a write is lost, a refused write is stored, a read gets a
//! status other than 2xx or the designed 429 and 503, or `agora check` finds the store unclean.
//! The full soak is the same script run for minutes by hand (README, "Reliability").

use std::process::Command;

#[test]
fn twenty_seconds_of_mixed_load_lose_no_write_and_answer_only_as_designed() {
    let wrk = Command::new("wrk").arg("--version").output();
    assert!(
        wrk.is_ok(),
        "wrk is not installed: apt-get install wrk (.ci/run installs it)"
    );
    let dir = tempfile::tempdir().expect("a folder");
    let report = dir.path().join("soak.md");
    let output = Command::new("python3")
        .arg(format!("{}/benches/soak.py", env!("CARGO_MANIFEST_DIR")))
        .args(["--seconds", "20", "--connections", "4", "--pushers", "2"])
        // The memory comparison with a fresh server, briefly: CI checks that it runs, not figures.
        .args(["--settle", "2", "--fresh-seconds", "3"])
        .arg("--agora")
        .arg(env!("CARGO_BIN_EXE_agora"))
        .arg("--report")
        .arg(&report)
        .output()
        .expect("python3 runs");
    let text = std::fs::read_to_string(&report).unwrap_or_default();
    assert!(
        output.status.success(),
        "the soak failed ({}):\n{text}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("Verdict: **passed**"), "{text}");
    assert!(text.contains("missing: 0;"), "{text}");
    assert!(text.contains("| fresh on the same data"), "{text}");
}
