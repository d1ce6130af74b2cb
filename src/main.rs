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
    agora::cli::run(cli)
}
