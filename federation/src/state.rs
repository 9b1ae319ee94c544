//! What every request handler and job shares: configuration, URLs, PostgreSQL and Redis.

use std::sync::Arc;

use redis::aio::ConnectionManager;

use crate::config::Config;
use crate::db::{DbConn, DbPool};
use crate::error::FederationError;
use crate::urls::InstanceUrls;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub urls: Arc<InstanceUrls>,
    pub db: DbPool,
    pub redis: ConnectionManager,
    /// Prefix of every Redis key this instance writes.
    pub redis_prefix: Arc<str>,
}

impl AppState {
    pub async fn new(config: Config, db: DbPool) -> Result<Self, FederationError> {
        let urls = InstanceUrls::new(&config.webserver);
        let client = redis::Client::open(config.redis_url())?;
        let redis = ConnectionManager::new(client).await?;
        let redis_prefix = if config.redis.prefix.is_empty() {
            format!("redis-{}-", urls.host)
        } else {
            config.redis.prefix.clone()
        };
        Ok(Self {
            config: Arc::new(config),
            urls: Arc::new(urls),
            db,
            redis,
            redis_prefix: redis_prefix.into(),
        })
    }

    pub async fn conn(&self) -> Result<DbConn, FederationError> {
        Ok(self.db.get().await?)
    }

    pub fn redis_key(&self, key: &str) -> String {
        format!("{}{key}", self.redis_prefix)
    }
}
