//! Remote servers (hosts) that actors live on.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::servers;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = servers)]
pub struct Server {
    pub id: i64,
    pub host: String,
    pub redundancy_allowed: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Server {
    pub async fn get_or_create(conn: &mut AsyncPgConnection, host: &str) -> QueryResult<Server> {
        diesel::insert_into(servers::table)
            .values(servers::host.eq(host))
            .on_conflict(servers::host)
            .do_update()
            .set(servers::updated_at.eq(diesel::dsl::now))
            .returning(Server::as_returning())
            .get_result(conn)
            .await
    }
}
