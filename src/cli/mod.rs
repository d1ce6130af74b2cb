//! The subcommands. Only this module (and `main`) prints to stdout; errors are printed once,
//! with their chain, and become the exit code.

mod backup;
mod check;
mod dump;
mod generate;
mod harvest;
mod load;
mod push;
pub mod serve;
mod validate;

use std::process::ExitCode;

use crate::config::{Cli, Command};

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> ExitCode {
    let outcome = match cli.command {
        Command::Serve(args) => serve::run(&args),
        Command::Load(args) => load::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Push(args) => push::run(&args),
        Command::Dump(args) => dump::run(&args),
        Command::Harvest(args) => harvest::run(&args),
        Command::Backup(args) => backup::run(&args),
        Command::Restore(args) => backup::restore(&args),
        Command::Check(args) => check::run(&args),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("error: {error:#}");
            }
            ExitCode::from(2)
        }
    }
}
