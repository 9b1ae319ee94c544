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
    /// Video list totals by filter, valid for one `video_generation` (see the videos
    /// migration): counting thousands of rows per list request is the costly part.
    pub video_totals: moka::sync::Cache<String, i64>,
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
            video_totals: moka::sync::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(std::time::Duration::from_secs(600))
                .build(),
        })
    }

    pub async fn conn(&self) -> Result<DbConn, FederationError> {
        Ok(self.db.get().await?)
    }

    pub fn redis_key(&self, key: &str) -> String {
        format!("{}{key}", self.redis_prefix)
    }
}
