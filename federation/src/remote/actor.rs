//! Remote actors: get-or-create by URL, validated as PeerTube validates received actors,
//! refreshed after two days. Person (and Service, Organization) → account, Group → channel
//! owned by the Person in its `attributedTo`, Application → the server's account.

use chrono::{Duration as ChronoDuration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::error::FederationError;
use crate::fetch::{fetch_object, url_host};
use crate::models::account::Account;
use crate::models::actor::{Actor, ActorType, RemoteActorRow};
use crate::models::actor_image::{ActorImage, ActorImageKind};
use crate::models::channel::{RemoteChannelRow, VideoChannel};
use crate::models::follow::ActorFollow;
use crate::models::server::Server;
use crate::profile::files as image_files;
use crate::protocol::HttpUrl;
use crate::protocol::actor::ActorObject;
use crate::remote::actor_image::{self, RemoteImage};
use crate::state::AppState;

/// PeerTube refreshes remote actors older than this.
pub const STALE_AFTER: ChronoDuration = ChronoDuration::days(2);

/// What a validated actor document gives us.
#[derive(Debug, Clone)]
pub struct RemoteActor {
    pub kind: ActorType,
    pub id: String,
    pub preferred_username: String,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub support: Option<String>,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub outbox: Option<String>,
    pub followers: Option<String>,
    pub following: Option<String>,
    pub playlists: Option<String>,
    pub public_key_pem: String,
    pub published: Option<chrono::DateTime<Utc>>,
    /// The owning Person of a Group.
    pub owner: Option<String>,
    pub host: String,
    /// From `icon`.
    pub avatars: Vec<RemoteImage>,
    /// From `image`.
    pub banners: Vec<RemoteImage>,
}

fn valid_username(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}

fn invalid(msg: impl Into<String>) -> FederationError {
    FederationError::BadRequest(format!("invalid actor: {}", msg.into()))
}

impl RemoteActor {
    /// Checks an actor document as PeerTube does (the types check ids, inbox and audience URLs).
    /// `expected_host`: the host it was fetched from (or the signer's), on which its id must be.
    pub fn from_object(doc: ActorObject, expected_host: &str) -> Result<Self, FederationError> {
        if doc
            .url
            .as_deref()
            .is_some_and(|u| HttpUrl::parse(u).is_err())
        {
            return Err(invalid("url must be an http(s) URL"));
        }
        let host = doc.id.host_port();
        if !host.eq_ignore_ascii_case(expected_host) {
            return Err(invalid(format!("id {} is not on {expected_host}", doc.id)));
        }
        let key = &doc.public_key;
        if HttpUrl::parse(&key.id).is_err()
            || HttpUrl::parse(key.owner.as_str()).is_err()
            || !key.public_key_pem.contains("PUBLIC KEY")
        {
            return Err(invalid("bad publicKey"));
        }
        if !valid_username(&doc.preferred_username) {
            return Err(invalid("bad preferredUsername"));
        }
        let owner = doc.owner().map(ToString::to_string);
        if doc.kind == ActorType::Group && owner.is_none() {
            return Err(invalid("a Group needs an attributedTo"));
        }
        let text = |u: Option<HttpUrl>| u.map(|u| u.to_string());
        Ok(Self {
            avatars: actor_image::from_object(&doc.icon),
            banners: actor_image::from_object(&doc.image),
            kind: doc.kind,
            shared_inbox: doc.shared_inbox().map(ToString::to_string),
            id: doc.id.to_string(),
            preferred_username: doc.preferred_username,
            name: doc.name,
            summary: doc.summary,
            support: doc.support.flatten(),
            inbox: doc.inbox.to_string(),
            outbox: text(doc.outbox),
            followers: text(doc.followers),
            following: text(doc.following),
            playlists: text(doc.playlists),
            public_key_pem: doc.public_key.public_key_pem,
            published: doc.published,
            owner,
            host,
        })
    }
}

/// The actor at `url`: stored (refreshed when stale, best effort) or fetched and stored.
/// Local actors are returned as they are.
pub async fn get_or_fetch(state: &AppState, url: &str) -> Result<Actor, FederationError> {
    let url = url.split('#').next().unwrap_or(url);
    let existing = {
        let mut conn = state.conn().await?;
        Actor::find_by_url(&mut conn, url).await?
    };
    match existing {
        Some(actor) if actor.is_local() => Ok(actor),
        Some(actor) => {
            let stale = actor
                .last_fetched_at
                .is_none_or(|t| Utc::now() - t > STALE_AFTER);
            if !stale {
                return Ok(actor);
            }
            match fetch_and_store(state, url).await {
                Ok(a) => Ok(a),
                Err(FederationError::NotFound(_)) => {
                    tracing::info!(url, "remote actor is gone, deleting it");
                    let mut conn = state.conn().await?;
                    let images = delete(&mut conn, actor.id).await?;
                    image_files::remove(&state.config.storage, &images).await;
                    Err(FederationError::NotFound(format!("actor {url} is gone")))
                }
                Err(e) => {
                    tracing::warn!(url, error = %e, "cannot refresh remote actor, keeping it");
                    Ok(actor)
                }
            }
        }
        None => fetch_and_store(state, url).await,
    }
}

/// Fetches, validates and upserts the actor at `url` (and a Group's owner first).
pub async fn fetch_and_store(state: &AppState, url: &str) -> Result<Actor, FederationError> {
    let parsed = url::Url::parse(url).map_err(|_| invalid(format!("bad URL {url}")))?;
    let doc: ActorObject = fetch_object(state, url).await?;
    let remote = RemoteActor::from_object(doc, &url_host(&parsed))?;
    store(state, &remote).await
}

/// Upserts a validated actor with its account or channel.
pub async fn store(state: &AppState, remote: &RemoteActor) -> Result<Actor, FederationError> {
    if state.urls.is_local_host(&remote.host) {
        return Err(invalid("a remote actor cannot be on our host"));
    }
    let owner_account_id = match (&remote.kind, &remote.owner) {
        (ActorType::Group, Some(owner)) => {
            let owner_host = url::Url::parse(owner)
                .map(|u| url_host(&u))
                .unwrap_or_default();
            if !owner_host.eq_ignore_ascii_case(&remote.host) {
                return Err(invalid("a Group's owner must be on its host"));
            }
            let owner_actor = Box::pin(get_or_fetch(state, owner)).await?;
            let mut conn = state.conn().await?;
            let id = Account::find_by_actor(&mut conn, owner_actor.id)
                .await?
                .map(|a| a.id);
            Some(id.ok_or_else(|| invalid("a Group's owner must be an account"))?)
        }
        _ => None,
    };
    let mut conn = state.conn().await?;
    let remote = remote.clone();
    let (actor, stale_images) = conn
        .transaction::<_, FederationError, _>(async move |conn| {
            let actor = upsert(conn, &remote, owner_account_id).await?;
            let mut stale = Vec::new();
            for (kind, images) in [
                (ActorImageKind::Avatar, &remote.avatars),
                (ActorImageKind::Banner, &remote.banners),
            ] {
                let wanted = actor_image::rows(actor.id, kind, images);
                stale.extend(ActorImage::sync_remote(conn, actor.id, kind, &wanted).await?);
            }
            Ok((actor, stale))
        })
        .await?;
    image_files::remove(&state.config.storage, &stale_images).await;
    Ok(actor)
}

async fn upsert(
    conn: &mut AsyncPgConnection,
    r: &RemoteActor,
    owner_account_id: Option<i64>,
) -> Result<Actor, FederationError> {
    let server = Server::get_or_create(conn, &r.host).await?;
    let now = Utc::now();
    let row = RemoteActorRow {
        actor_type: r.kind,
        preferred_username: &r.preferred_username,
        url: &r.id,
        public_key_pem: Some(&r.public_key_pem),
        inbox_url: &r.inbox,
        shared_inbox_url: r.shared_inbox.as_deref(),
        outbox_url: r.outbox.as_deref(),
        followers_url: r.followers.as_deref(),
        following_url: r.following.as_deref(),
        playlists_url: r.playlists.as_deref(),
        server_id: Some(server.id),
        remote_created_at: r.published,
        last_fetched_at: now,
    };
    let actor = Actor::upsert_remote(conn, &row).await?;
    if actor.is_local() {
        return Err(invalid("URL of a local actor"));
    }
    let display = r
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| r.preferred_username.clone());
    match owner_account_id {
        Some(account_id) => {
            let channel = RemoteChannelRow {
                actor_id: actor.id,
                account_id,
                display_name: &display,
                description: r.summary.as_deref(),
                support: r.support.as_deref(),
            };
            VideoChannel::upsert_remote(conn, &channel, now).await?;
        }
        None => {
            Account::upsert_remote(conn, actor.id, &display, r.summary.as_deref(), now).await?;
        }
    }
    Ok(actor)
}

/// Deletes a remote actor (never call it with a local one) with its account or channel
/// (cascades) and fixes follow counts, in one transaction so no reader sees the counts before
/// the fix. Its images' rows come back, for the caller to remove their cached files.
pub async fn delete(
    conn: &mut AsyncPgConnection,
    actor_id: i64,
) -> Result<Vec<ActorImage>, FederationError> {
    conn.transaction::<_, FederationError, _>(async move |conn| {
        let touched = ActorFollow::counterparts(conn, actor_id).await?;
        let images = ActorImage::remove(conn, actor_id, None).await?;
        Actor::delete_remote(conn, actor_id).await?;
        ActorFollow::recount(conn, &touched).await?;
        Ok(images)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_capture_actors_validate() {
        for (file, kind) in [
            ("ap-actor-account-person-alice.json", ActorType::Person),
            ("ap-actor-channel-group-alice_videos.json", ActorType::Group),
            ("ap-actor-server-application.json", ActorType::Application),
        ] {
            let doc = ferrotube_test_support::reference::load(&format!("live-captures/{file}"));
            let doc: ActorObject = match serde_json::from_value(doc) {
                Ok(d) => d,
                Err(e) => panic!("{file}: {e}"),
            };
            let host = doc.id.host_port();
            let r = match RemoteActor::from_object(doc.clone(), &host) {
                Ok(r) => r,
                Err(e) => panic!("{file}: {e}"),
            };
            assert_eq!(r.kind, kind);
            assert!(RemoteActor::from_object(doc, "other.example").is_err());
        }
    }
}
