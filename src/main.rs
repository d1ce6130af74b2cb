//! The `agora` binary: parses the command line, installs logging and hands over to `agora::cli`.

use std::process::ExitCode;

use clap::Parser;

/// jemalloc, for Rust and (its `malloc` replacing glibc's) for RocksDB's C++ alike.
///
/// With glibc's malloc a server's memory kept the high-water mark of every burst: reads and
/// writes run on Tokio's blocking pool, whose threads come and go, RocksDB frees its cache blocks
/// on other threads than the ones that allocated them, and each of glibc's per-thread arenas keeps
/// what was freed in it. Four heavy queries at once on a million triples, three times over, left 796 MiB resident
/// for good; with jemalloc the same burst peaked alike and was back at 200 MiB 20 seconds later
/// (jemalloc returns unused pages to the system after a delay). Bounding glibc's arenas instead
/// (`MALLOC_ARENA_MAX`) held memory lower but cost a quarter of the query throughput in lock
/// waits (README, "Soak" and "BSBM").
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = agora::config::Cli::parse();
    agora::telemetry::init(cli.log_format);
    purge_in_the_background();
    agora::cli::run(cli)
}

/// Starts jemalloc's background thread, which returns freed pages to the system on its decay
/// schedule. Without it pages are purged only when a thread allocates again in the same arena,
/// so memory freed by a burst (a heavy query, a batch of pushes) stayed resident on an idle
/// server. Two 3-minute soaks on the demo store, one after the other (`benches/soak.py`, settled
/// 30 s): anonymous memory 62 MiB with the thread against 85 MiB without, and 33 MiB against
/// 48 MiB more than a fresh server on the same data. One thread is enough for the handful of
/// arenas a server uses.
fn purge_in_the_background() {
    let started = tikv_jemalloc_ctl::max_background_threads::write(1)
        .and_then(|()| tikv_jemalloc_ctl::background_thread::write(true));
    if let Err(error) = started {
        tracing::warn!(error = %error, "jemalloc's background purging thread did not start");
    }
}
