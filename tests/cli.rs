//! The `agora` binary, run as a user would: `--help`, `load`, `generate`.

use std::process::Command;

fn agora() -> Command {
    Command::new(env!("CARGO_BIN_EXE_agora"))
}

#[test]
fn every_subcommand_documents_its_flags() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["load", "--help"],
        &["generate", "--help"],
    ] {
        let output = agora().args(args).output().expect("agora runs");
        assert!(output.status.success(), "{args:?}");
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(help.contains("Usage"), "{help}");
    }
    let serve = agora()
        .args(["serve", "--help"])
        .output()
        .expect("agora runs");
    let help = String::from_utf8_lossy(&serve.stdout);
    for flag in [
        "--bind",
        "--data",
        "--memory",
        "--no-demo",
        "--query-timeout",
        "AGORA_BIND",
    ] {
        assert!(help.contains(flag), "serve --help mentions {flag}: {help}");
    }
}

#[test]
fn load_puts_records_in_a_data_folder_and_refuses_bad_files() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let data = dir.path().join("data");
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/demo/consultatie-klimaatplan.ttl"
    );
    let output = agora()
        .args(["load", fixture, "--data"])
        .arg(&data)
        .output()
        .expect("agora runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("1 created"), "{stdout}");

    let bad = dir.path().join("bad.ttl");
    std::fs::write(&bad, "<http://e/a> <http://e/b> .\n").expect("written");
    let output = agora()
        .args(["load", "--data"])
        .arg(&data)
        .arg(&bad)
        .output()
        .expect("agora runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("bad.ttl:1:"),
        "the error names file, line and column: {stderr}"
    );
}

#[test]
fn generate_is_deterministic_and_loads() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let first = dir.path().join("a.nq");
    let second = dir.path().join("b.nq");
    for out in [&first, &second] {
        let status = agora()
            .args(["generate", "--triples", "20000", "--seed", "7", "--out"])
            .arg(out)
            .status()
            .expect("agora runs");
        assert!(status.success());
    }
    let a = std::fs::read(&first).expect("read");
    assert_eq!(
        a,
        std::fs::read(&second).expect("read"),
        "same seed, same bytes"
    );
    assert!(a.len() > 100_000);

    let output = agora()
        .args(["load", "--data"])
        .arg(dir.path().join("data"))
        .arg(&first)
        .output()
        .expect("agora runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("bulk loaded"));
}

#[test]
fn validate_exits_0_1_2_for_conforming_violating_and_unreadable_files() {
    let root = env!("CARGO_MANIFEST_DIR");
    let valid = format!("{root}/fixtures/demo/consultatie-klimaatplan.ttl");
    let output = agora()
        .args(["validate", &valid])
        .output()
        .expect("agora runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("conforms"));

    let invalid = format!("{root}/fixtures/invalid/consultatie-sluiting-voor-opening.ttl");
    let output = agora()
        .args(["validate", "--format", "json", &invalid])
        .output()
        .expect("agora runs");
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    assert_eq!(report[0]["conforms"], false);
    assert_eq!(
        report[0]["results"][0]["constraintComponent"],
        "http://www.w3.org/ns/shacl#LessThanConstraintComponent"
    );

    let output = agora()
        .args(["validate", "--format", "turtle", &invalid])
        .output()
        .expect("agora runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("sh:ValidationReport"));

    let dir = tempfile::tempdir().expect("a temporary folder");
    let broken = dir.path().join("broken.ttl");
    std::fs::write(&broken, "<http://e/a> <http://e/b> .\n").expect("written");
    let output = agora()
        .arg("validate")
        .arg(&broken)
        .output()
        .expect("agora runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("broken.ttl:1:"));
}
