//! Avatars and banners of actors: one row per size, ours (a file we made) or remote (the
//! origin's URL, fetched into our folder on first use). Removing rows hands back the removed
//! rows so the caller deletes their files once its transaction commits
//! (`crate::actor_images::files`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::prelude::*;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::SmallInt;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::actor_images;

/// PeerTube's `ActorImageType`, stored as its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = SmallInt)]
pub enum ActorImageKind {
    Avatar,
    Banner,
}

impl ActorImageKind {
    /// The sizes PeerTube makes of an uploaded image (`ACTOR_IMAGES_SIZE`), largest first.
    pub fn sizes(self) -> &'static [(u32, u32)] {
        match self {
            Self::Avatar => &[(1500, 1500), (600, 600), (120, 120), (48, 48)],
            Self::Banner => &[(1920, 317), (600, 100)],
        }
    }

    /// The `/lazy-static` folder its files are served from.
    pub fn static_folder(self) -> &'static str {
        match self {
            Self::Avatar => "avatars",
            Self::Banner => "banners",
        }
    }
}

impl ToSql<SmallInt, Pg> for ActorImageKind {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        let n: i16 = match self {
            Self::Avatar => 1,
            Self::Banner => 2,
        };
        <i16 as ToSql<SmallInt, Pg>>::to_sql(&n, &mut out.reborrow())
    }
}

impl FromSql<SmallInt, Pg> for ActorImageKind {
    fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
        match <i16 as FromSql<SmallInt, Pg>>::from_sql(bytes)? {
            1 => Ok(Self::Avatar),
            2 => Ok(Self::Banner),
            n => Err(format!("unknown actor image kind {n}").into()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = actor_images)]
pub struct ActorImage {
    pub id: i64,
    pub actor_id: i64,
    pub kind: ActorImageKind,
    pub filename: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub file_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = actor_images)]
pub struct NewActorImage {
    pub actor_id: i64,
    pub kind: ActorImageKind,
    pub filename: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub file_url: Option<String>,
}

/// An actor's avatars and banners, smallest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActorImages {
    pub avatars: Vec<ActorImage>,
    pub banners: Vec<ActorImage>,
}

impl ActorImages {
    pub fn of(&self, kind: ActorImageKind) -> &[ActorImage] {
        match kind {
            ActorImageKind::Avatar => &self.avatars,
            ActorImageKind::Banner => &self.banners,
        }
    }

    /// The images of these actors, grouped by actor (one query for a whole page).
    pub async fn of_actors(
        conn: &mut AsyncPgConnection,
        actor_ids: &[i64],
    ) -> QueryResult<HashMap<i64, ActorImages>> {
        let mut out: HashMap<i64, ActorImages> = HashMap::new();
        for image in ActorImage::of_actors(conn, actor_ids).await? {
            let entry = out.entry(image.actor_id).or_default();
            match image.kind {
                ActorImageKind::Avatar => entry.avatars.push(image),
                ActorImageKind::Banner => entry.banners.push(image),
            }
        }
        Ok(out)
    }
}

impl ActorImage {
    pub fn is_local(&self) -> bool {
        self.file_url.is_none()
    }

    /// `/lazy-static/{avatars,banners}/{filename}`.
    pub fn static_path(&self) -> String {
        format!(
            "/lazy-static/{}/{}",
            self.kind.static_folder(),
            self.filename
        )
    }

    /// The images of these actors, smallest first within a kind, as PeerTube lists them.
    pub async fn of_actors(
        conn: &mut AsyncPgConnection,
        actor_ids: &[i64],
    ) -> QueryResult<Vec<ActorImage>> {
        if actor_ids.is_empty() {
            return Ok(Vec::new());
        }
        actor_images::table
            .filter(actor_images::actor_id.eq_any(actor_ids))
            .order((
                actor_images::actor_id,
                actor_images::kind,
                actor_images::width.asc(),
                actor_images::id,
            ))
            .select(ActorImage::as_select())
            .load(conn)
            .await
    }

    /// The image served under `filename` in the folder of `kind`.
    pub async fn find_by_filename(
        conn: &mut AsyncPgConnection,
        kind: ActorImageKind,
        filename: &str,
    ) -> QueryResult<Option<ActorImage>> {
        actor_images::table
            .filter(actor_images::filename.eq(filename))
            .filter(actor_images::kind.eq(kind))
            .select(ActorImage::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Replaces every image of `kind` of an actor with `new`; the removed rows come back.
    pub async fn replace(
        conn: &mut AsyncPgConnection,
        actor_id: i64,
        kind: ActorImageKind,
        new: &[NewActorImage],
    ) -> QueryResult<Vec<ActorImage>> {
        let removed = Self::remove(conn, actor_id, Some(kind)).await?;
        if !new.is_empty() {
            diesel::insert_into(actor_images::table)
                .values(new)
                .execute(conn)
                .await?;
        }
        Ok(removed)
    }

    /// Brings a remote actor's images of `kind` in line with its document: a size whose URL
    /// did not change keeps its row (and the file we may have cached), others are replaced.
    pub async fn sync_remote(
        conn: &mut AsyncPgConnection,
        actor_id: i64,
        kind: ActorImageKind,
        wanted: &[NewActorImage],
    ) -> QueryResult<Vec<ActorImage>> {
        let current: Vec<ActorImage> = actor_images::table
            .filter(actor_images::actor_id.eq(actor_id))
            .filter(actor_images::kind.eq(kind))
            .select(ActorImage::as_select())
            .load(conn)
            .await?;
        let same = |old: &ActorImage, new: &NewActorImage| {
            old.file_url == new.file_url && old.width == new.width && old.height == new.height
        };
        let (kept, stale): (Vec<ActorImage>, Vec<ActorImage>) = current
            .into_iter()
            .partition(|old| wanted.iter().any(|new| same(old, new)));
        let stale_ids: Vec<i64> = stale.iter().map(|i| i.id).collect();
        if !stale_ids.is_empty() {
            diesel::delete(actor_images::table.filter(actor_images::id.eq_any(&stale_ids)))
                .execute(conn)
                .await?;
        }
        let added: Vec<&NewActorImage> = wanted
            .iter()
            .filter(|new| !kept.iter().any(|old| same(old, new)))
            .collect();
        if !added.is_empty() {
            diesel::insert_into(actor_images::table)
                .values(added)
                .execute(conn)
                .await?;
        }
        Ok(stale)
    }

    /// Removes an actor's images (of one kind, or all); the removed rows come back.
    pub async fn remove(
        conn: &mut AsyncPgConnection,
        actor_id: i64,
        kind: Option<ActorImageKind>,
    ) -> QueryResult<Vec<ActorImage>> {
        let mut query = diesel::delete(actor_images::table)
            .filter(actor_images::actor_id.eq(actor_id))
            .into_boxed();
        if let Some(kind) = kind {
            query = query.filter(actor_images::kind.eq(kind));
        }
        query
            .returning(ActorImage::as_returning())
            .get_results(conn)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::actor::{Actor, ActorType, NewActor};
    use ferrotube_test_support::db::TestDatabase;

    fn remote(actor_id: i64, url: &str, width: i32) -> NewActorImage {
        NewActorImage {
            actor_id,
            kind: ActorImageKind::Avatar,
            filename: format!("{}.png", uuid::Uuid::new_v4()),
            width: Some(width),
            height: Some(width),
            file_url: Some(url.into()),
        }
    }

    /// An unchanged remote URL keeps its row (and cached file); a changed one is handed back.
    #[tokio::test]
    async fn remote_sync_keeps_unchanged_sizes() {
        let db = TestDatabase::new().await;
        let mut conn = db.conn().await;
        let url = "http://origin.test/accounts/imgs".to_string();
        let new = NewActor {
            actor_type: ActorType::Person,
            preferred_username: "imgs".into(),
            inbox_url: format!("{url}/inbox"),
            url,
            public_key_pem: None,
            private_key_pem: None,
            shared_inbox_url: None,
            outbox_url: None,
            followers_url: None,
            following_url: None,
            playlists_url: None,
            server_id: None,
        };
        let Ok(actor) = Actor::insert(&mut conn, &new).await else {
            panic!("actor");
        };
        let kind = ActorImageKind::Avatar;
        let first = [remote(actor.id, "http://o/a.png", 120)];
        let Ok(stale) = ActorImage::sync_remote(&mut conn, actor.id, kind, &first).await else {
            panic!("sync");
        };
        assert!(stale.is_empty());
        let again = [remote(actor.id, "http://o/a.png", 120)];
        let Ok(stale) = ActorImage::sync_remote(&mut conn, actor.id, kind, &again).await else {
            panic!("sync");
        };
        assert!(stale.is_empty());
        let Ok(rows) = ActorImage::of_actors(&mut conn, &[actor.id]).await else {
            panic!("list");
        };
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].filename, first[0].filename);
        let changed = [remote(actor.id, "http://o/b.png", 120)];
        let Ok(stale) = ActorImage::sync_remote(&mut conn, actor.id, kind, &changed).await else {
            panic!("sync");
        };
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].filename, first[0].filename);
        let Ok(removed) = ActorImage::remove(&mut conn, actor.id, None).await else {
            panic!("remove");
        };
        assert_eq!(removed.len(), 1);
        assert_eq!(removed[0].filename, changed[0].filename);
    }
}
