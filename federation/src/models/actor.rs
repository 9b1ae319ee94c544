//! Actors: every ActivityPub identity, local or remote (Person, Group, Application, …).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::lower;
use crate::keys::KeyPair;
use crate::schema::actors;
use crate::urls::InstanceUrls;

/// An actor's ActivityPub type, as stored and as written in documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ActorType {
    Person,
    Application,
    Group,
    Service,
    Organization,
}

impl ActorType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "Person",
            Self::Application => "Application",
            Self::Group => "Group",
            Self::Service => "Service",
            Self::Organization => "Organization",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "Person" => Self::Person,
            "Application" => Self::Application,
            "Group" => Self::Group,
            "Service" => Self::Service,
            "Organization" => Self::Organization,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = actors)]
pub struct Actor {
    pub id: i64,
    pub actor_type: String,
    pub preferred_username: String,
    pub url: String,
    pub public_key_pem: Option<String>,
    pub private_key_pem: Option<String>,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub playlists_url: Option<String>,
    pub followers_count: i32,
    pub following_count: i32,
    pub server_id: Option<i64>,
    pub remote_created_at: Option<DateTime<Utc>>,
    pub last_fetched_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = actors)]
pub struct NewActor {
    pub actor_type: String,
    pub preferred_username: String,
    pub url: String,
    pub public_key_pem: Option<String>,
    pub private_key_pem: Option<String>,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub playlists_url: Option<String>,
    pub server_id: Option<i64>,
}

impl NewActor {
    /// A local actor with PeerTube's URL layout: `{URL}/accounts/{name}` or
    /// `{URL}/video-channels/{name}` and the usual sub-collections.
    pub fn local(urls: &InstanceUrls, kind: ActorType, name: &str, keys: KeyPair) -> Self {
        let url = match kind {
            ActorType::Group => urls.channel(name),
            _ => urls.account(name),
        };
        Self {
            actor_type: kind.as_str().into(),
            preferred_username: name.into(),
            public_key_pem: Some(keys.public_pem),
            private_key_pem: Some(keys.private_pem),
            inbox_url: format!("{url}/inbox"),
            shared_inbox_url: Some(urls.shared_inbox()),
            outbox_url: Some(format!("{url}/outbox")),
            followers_url: Some(format!("{url}/followers")),
            following_url: Some(format!("{url}/following")),
            playlists_url: Some(format!("{url}/playlists")),
            server_id: None,
            url,
        }
    }
}

impl Actor {
    pub fn is_local(&self) -> bool {
        self.server_id.is_none()
    }

    pub fn kind(&self) -> Option<ActorType> {
        ActorType::parse(&self.actor_type)
    }

    pub async fn insert(conn: &mut AsyncPgConnection, new: &NewActor) -> QueryResult<Actor> {
        diesel::insert_into(actors::table)
            .values(new)
            .returning(Actor::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Option<Actor>> {
        actors::table
            .find(id)
            .select(Actor::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Marks a profile change (names, images): PeerTube dates an `Update` of an actor by its
    /// `updatedAt`, so each change gets a new activity id. Returns the new date.
    pub async fn touch(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<DateTime<Utc>> {
        diesel::update(actors::table.find(id))
            .set(actors::updated_at.eq(Utc::now()))
            .returning(actors::updated_at)
            .get_result(conn)
            .await
    }

    /// A local actor by its exact name (accounts and channels share the namespace).
    pub async fn find_local_by_name(
        conn: &mut AsyncPgConnection,
        name: &str,
    ) -> QueryResult<Option<Actor>> {
        actors::table
            .filter(actors::server_id.is_null())
            .filter(actors::preferred_username.eq(name))
            .select(Actor::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Whether a local name is already used, ignoring case as the unique index does.
    pub async fn local_name_taken(conn: &mut AsyncPgConnection, name: &str) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            actors::table
                .filter(actors::server_id.is_null())
                .filter(lower(actors::preferred_username).eq(name.to_lowercase())),
        ))
        .get_result(conn)
        .await
    }

    /// The first free local name among `base`, `base-1` … `base-29`, as PeerTube picks them.
    pub async fn available_local_name(
        conn: &mut AsyncPgConnection,
        base: &str,
    ) -> QueryResult<Option<String>> {
        if !Self::local_name_taken(conn, base).await? {
            return Ok(Some(base.to_string()));
        }
        for i in 1..30 {
            let name = format!("{base}-{i}");
            if !Self::local_name_taken(conn, &name).await? {
                return Ok(Some(name));
            }
        }
        Ok(None)
    }
}
