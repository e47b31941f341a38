//! `rapport`: parse flags, merge the configuration, run the client. Errors
//! end as one readable line on stderr, never a stack trace.

use std::process::ExitCode;

use clap::Parser;
use rapport_client::config::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let env = std::env::vars().collect();
    let loaded = match config::load(&cli, &env) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("rapport: {error}");
            return ExitCode::from(2);
        }
    };
    match config::check_permissions(&loaded) {
        Ok(None) => {}
        Ok(Some(warning)) => eprintln!("rapport: warning: {warning}"),
        Err(error) => {
            eprintln!("rapport: {error}");
            return ExitCode::from(2);
        }
    }
    if cli.print_config {
        print!("{}", config::describe(&loaded));
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("rapport: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(command) = &cli.command {
        return match runtime.block_on(rapport_client::run_command(loaded.settings, command)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("rapport: {error}");
                error.exit_code()
            }
        };
    }
    match runtime.block_on(rapport_client::run(loaded.settings, loaded.file)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("rapport: {error:#}");
            ExitCode::FAILURE
        }
    }
}
