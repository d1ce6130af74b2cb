//! `agora serve`: runs the HTTP server until Ctrl-C or SIGTERM.

use std::process::ExitCode;

use anyhow::Context;

use crate::app::{shutdown_signal, Application};
use crate::config::{Command, ServeArgs, ServeConfig};

/// How many malloc arenas glibc may create per core in `agora serve` (`MALLOC_ARENA_MAX`) unless
/// the environment says otherwise: half of glibc's default of eight.
///
/// glibc gives a thread that finds the arenas in use one of its own. Reads and writes run on
/// Tokio's blocking pool, whose threads come and go, and RocksDB's block cache and memtables are
/// freed by other threads than the ones that allocated them, so a server soon has all the arenas
/// it may, and each keeps the high-water mark of what was freed in it: with glibc's default (16
/// on two cores) a six-minute soak ended at 216 MiB, with two arenas at 127 MiB (README, "Soak").
/// Two arenas cost queries dearly, though: threads then wait for each other's arena lock, and
/// the BSBM explore mix ran at 35,600 to 37,700 query mixes per hour with two arenas against
/// 46,500 with eight (oxigraph's server, with glibc's default, 49,800; README, "BSBM"). Four per
/// core keeps most of that speed for about 40 MiB more than two (a three-minute soak: 189 against
/// 147 MiB in the last quarter, both growing by about 17 MiB per 1,000 records written).
pub const MALLOC_ARENAS_PER_CORE: usize = 4;

/// For `agora serve` on glibc: runs this same command again in this process (`exec`) with
/// `MALLOC_ARENA_MAX` set to [`MALLOC_ARENAS_PER_CORE`] times the cores, unless the environment
/// already bounds the arenas (`MALLOC_ARENA_MAX`, or `GLIBC_TUNABLES` naming
/// `glibc.malloc.arena_max`). glibc reads the
/// setting once, before `main`, and the crate has no unsafe code to call `mallopt`, so starting
/// again is the way to set it. Call it before any thread starts. Returns only when it did not
/// start again: `Some(error)` if it could not (the server then runs with glibc's default).
pub fn bound_malloc_arenas(command: &Command) -> Option<std::io::Error> {
    if !matches!(command, Command::Serve(_)) || !cfg!(all(target_os = "linux", target_env = "gnu"))
    {
        return None;
    }
    let tunables = std::env::var("GLIBC_TUNABLES").unwrap_or_default();
    if std::env::var_os("MALLOC_ARENA_MAX").is_some() || tunables.contains("malloc.arena_max") {
        return None;
    }
    restart_with_malloc_arena_max()
}

#[cfg(unix)]
fn restart_with_malloc_arena_max() -> Option<std::io::Error> {
    use std::os::unix::process::CommandExt;
    let executable = match std::env::current_exe() {
        Ok(executable) => executable,
        Err(error) => return Some(error),
    };
    let mut arguments = std::env::args_os();
    let mut command = std::process::Command::new(executable);
    if let Some(name) = arguments.next() {
        command.arg0(name);
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let arenas = (MALLOC_ARENAS_PER_CORE * cores).to_string();
    // `exec` returns only on failure.
    Some(
        command
            .args(arguments)
            .env("MALLOC_ARENA_MAX", arenas)
            .exec(),
    )
}

#[cfg(not(unix))]
fn restart_with_malloc_arena_max() -> Option<std::io::Error> {
    None
}

/// Builds the configuration, starts the runtime and serves.
pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let config = ServeConfig::from_args(args)?;
    let runtime = tokio::runtime::Runtime::new().context("while starting the async runtime")?;
    runtime.block_on(async move {
        let application = Application::build(config).await?;
        let address = application.local_addr()?;
        tracing::info!(%address, "Agora is listening on http://{address}/");
        application
            .run_until(shutdown_signal())
            .await
            .context("while serving")?;
        Ok(ExitCode::SUCCESS)
    })
}
