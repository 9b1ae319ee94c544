//! Resumable upload sessions, kept in the database so an upload survives a restart.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;

use crate::schema::upload_sessions;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = upload_sessions)]
pub struct UploadSession {
    pub id: String,
    pub user_id: i64,
    /// Identifies "the same upload" (name, size, type, metadata) for PeerTube's 200 + Range.
    pub fingerprint: String,
    pub metadata: Value,
    pub filename: String,
    pub mime_type: String,
    pub size: i64,
    pub received: i64,
    pub path: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl UploadSession {
    pub async fn insert(conn: &mut AsyncPgConnection, s: &UploadSession) -> QueryResult<()> {
        diesel::insert_into(upload_sessions::table)
            .values(s)
            .execute(conn)
            .await
            .map(|_| ())
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        id: &str,
        user_id: i64,
    ) -> QueryResult<Option<UploadSession>> {
        upload_sessions::table
            .filter(upload_sessions::id.eq(id))
            .filter(upload_sessions::user_id.eq(user_id))
            .select(UploadSession::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn find_by_fingerprint(
        conn: &mut AsyncPgConnection,
        user_id: i64,
        fingerprint: &str,
    ) -> QueryResult<Option<UploadSession>> {
        upload_sessions::table
            .filter(upload_sessions::user_id.eq(user_id))
            .filter(upload_sessions::fingerprint.eq(fingerprint))
            .select(UploadSession::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn set_received(
        conn: &mut AsyncPgConnection,
        id: &str,
        received: i64,
    ) -> QueryResult<()> {
        diesel::update(upload_sessions::table.find(id))
            .set((
                upload_sessions::received.eq(received),
                upload_sessions::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await
            .map(|_| ())
    }

    pub async fn delete(conn: &mut AsyncPgConnection, id: &str) -> QueryResult<usize> {
        diesel::delete(upload_sessions::table.find(id))
            .execute(conn)
            .await
    }

    /// Sessions idle since before `before`, to purge with their partial files.
    pub async fn idle_since(
        conn: &mut AsyncPgConnection,
        before: DateTime<Utc>,
    ) -> QueryResult<Vec<UploadSession>> {
        upload_sessions::table
            .filter(upload_sessions::updated_at.lt(before))
            .select(UploadSession::as_select())
            .load(conn)
            .await
    }
}
