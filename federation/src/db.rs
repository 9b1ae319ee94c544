//! PostgreSQL access: the pool, database creation and the embedded migrations.

use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncConnection, AsyncMigrationHarness, AsyncPgConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::config::Config;
use crate::error::FederationError;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

pub type DbPool = Pool<AsyncPgConnection>;
pub type DbConn = Object<AsyncPgConnection>;

pub fn pool(config: &Config) -> Result<DbPool, FederationError> {
    // Fast recycling: no `SELECT 1` round trip per checkout; a dead connection fails its first
    // query and is dropped by the pool.
    let mut manager_config = ManagerConfig::default();
    manager_config.recycling_method = RecyclingMethod::Fast;
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(
        config.database_url(),
        manager_config,
    );
    Pool::builder(manager)
        .max_size(config.database.pool.max)
        .build()
        .map_err(|e| FederationError::Pool(e.to_string()))
}

/// Creates the configured database when it is missing (a local trust-auth PostgreSQL lets the
/// configured user do this through the `postgres` maintenance database).
pub async fn create_database_if_missing(config: &Config) -> Result<bool, FederationError> {
    let (client, connection) =
        tokio_postgres::connect(&config.database_url_for("postgres"), tokio_postgres::NoTls)
            .await
            .map_err(|e| FederationError::Pool(format!("connecting to postgres: {e}")))?;
    let task = tokio::spawn(connection);
    let name = &config.database.name;
    let exists = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[name])
        .await
        .map_err(|e| FederationError::Pool(e.to_string()))?
        .is_some();
    if !exists {
        let quoted = name.replace('"', "\"\"");
        client
            .batch_execute(&format!("CREATE DATABASE \"{quoted}\""))
            .await
            .map_err(|e| FederationError::Pool(format!("creating database {name}: {e}")))?;
        tracing::info!(database = %name, "created the database");
    }
    drop(client);
    task.abort();
    Ok(!exists)
}

/// Applies every pending embedded migration; returns how many ran.
pub async fn run_migrations(config: &Config) -> Result<usize, FederationError> {
    let conn = AsyncPgConnection::establish(&config.database_url())
        .await
        .map_err(|e| FederationError::Pool(e.to_string()))?;
    let mut harness = AsyncMigrationHarness::new(conn);
    let done = harness
        .run_pending_migrations(MIGRATIONS)
        .map_err(|e| FederationError::Internal(format!("migrations: {e}")))?;
    for v in &done {
        tracing::info!(version = %v, "applied migration");
    }
    Ok(done.len())
}
