//! The `agora` binary: parses the command line, installs logging and hands over to `agora::cli`.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = agora::config::Cli::parse();
    // First, while this is the only thread: `agora serve` may start again with fewer malloc
    // arenas (see the function).
    let arenas_unbounded = agora::cli::serve::bound_malloc_arenas(&cli.command);
    agora::telemetry::init(cli.log_format);
    if let Some(error) = arenas_unbounded {
        tracing::warn!(
            error = %error,
            "could not start again with MALLOC_ARENA_MAX: memory may grow with fragmentation"
        );
    }
    agora::cli::run(cli)
}
