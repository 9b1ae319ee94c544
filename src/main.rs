//! ferrotube: a federated video platform server that speaks PeerTube's protocols.

mod cli;
mod commands;
mod config;
mod jobs;
mod negotiate;
mod server;
mod tracker_sync;

use clap::Parser;

use crate::cli::{Cli, Command};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // reqwest is built without a default provider; every TLS client needs this installed first.
    if rustls::crypto::ring::default_provider()
        .install_default()
        .is_err()
    {
        anyhow::bail!("a rustls crypto provider was already installed");
    }
    let cli = Cli::parse();
    let config = config::load(cli.config.as_deref())?;
    init_tracing(&config.log.level);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => commands::serve(config).await,
        Command::Migrate => commands::migrate(&config).await,
        Command::Worker => commands::worker(config).await,
        Command::ResetPassword { username, password } => {
            commands::reset_password(config, &username, password).await
        }
        Command::CreateUser {
            username,
            email,
            password,
            role,
        } => commands::create_user(config, username, email, password, role).await,
    }
}

fn init_tracing(level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .init();
}
