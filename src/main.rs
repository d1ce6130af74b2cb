//! The `agora` binary: parses the command line, installs logging and hands over to `agora::cli`.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = agora::config::Cli::parse();
    agora::telemetry::init(cli.log_format);
    agora::cli::run(cli)
}
