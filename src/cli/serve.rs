//! `agora serve`: runs the HTTP server until Ctrl-C or SIGTERM.

use std::process::ExitCode;

use anyhow::Context;

use crate::app::{shutdown_signal, Application};
use crate::config::{ServeArgs, ServeConfig};

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
