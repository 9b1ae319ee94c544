//! Command-line interface.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "ferrotube",
    version,
    about = "A federated video platform that speaks PeerTube"
)]
pub struct Cli {
    /// Extra YAML configuration, merged over the built-in defaults.
    #[arg(long, global = true, env = "FERROTUBE_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Run job workers only (no HTTP server), next to or instead of those inside `serve`.
    Worker,
    /// Create the database if needed and apply pending migrations, then exit.
    Migrate,
    /// Set a new password for a user; read from --password or standard input, or generated.
    ResetPassword {
        #[arg(long, short = 'u')]
        username: String,
        #[arg(long)]
        password: Option<String>,
    },
    /// Create a user with its account and default channel.
    CreateUser {
        #[arg(long, short = 'u')]
        username: String,
        #[arg(long)]
        email: String,
        /// Generated and printed when absent.
        #[arg(long)]
        password: Option<String>,
        #[arg(long, value_enum, default_value_t = RoleArg::User)]
        role: RoleArg,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Moderator,
    User,
}
