//! What the follow routes share: the server actor, the `Follow` JSON and list queries.

use ferrotube_federation::AppState;
use ferrotube_federation::bootstrap::SERVER_ACTOR_NAME;
use ferrotube_federation::models::actor::{Actor, ActorType};
use ferrotube_federation::models::follow::{ActorFollow, FollowSide, FollowState, FollowView};
use ferrotube_federation::time::iso;
use ferrotube_federation::urls::InstanceUrls;
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::fields::Fields;
use crate::pagination::{List, Page};

pub async fn server_actor(state: &AppState) -> ApiResult<Actor> {
    let mut conn = state.conn().await?;
    Actor::find_local_by_name(&mut conn, SERVER_ACTOR_NAME)
        .await?
        .ok_or_else(|| ApiError::not_found("Server actor not found"))
}

fn actor_json(urls: &InstanceUrls, a: &Actor, host: Option<&str>) -> Value {
    json!({
        "id": a.id,
        "url": a.url,
        "name": a.preferred_username,
        "avatars": [],
        "host": host.unwrap_or(&urls.host),
        "hostRedundancyAllowed": false,
        "followingCount": a.following_count,
        "followersCount": a.followers_count,
        "createdAt": iso(&a.created_at),
        "updatedAt": iso(&a.updated_at),
    })
}

pub fn follow_json(urls: &InstanceUrls, v: &FollowView) -> Value {
    json!({
        "id": v.follow.id,
        "follower": actor_json(urls, &v.follower, v.follower_host.as_deref()),
        "following": actor_json(urls, &v.following, v.following_host.as_deref()),
        "score": v.follow.score,
        "state": v.follow.state.as_str(),
        "createdAt": iso(&v.follow.created_at),
        "updatedAt": iso(&v.follow.updated_at),
    })
}

/// A list of the server actor's follows, with PeerTube's `state` filter and paging.
pub async fn list(
    state: &AppState,
    side: FollowSide,
    query: Option<&str>,
) -> ApiResult<List<Value>> {
    let mut q = Fields::from_query(query);
    let page = Page::read(&mut q, &["createdAt"], "-createdAt");
    let follow_state = q
        .opt_str("state", |s| FollowState::parse(s).is_some())
        .and_then(|s| FollowState::parse(&s));
    let _ = q.opt_str("actorType", |s| {
        matches!(
            ActorType::parse(s),
            Some(ActorType::Person | ActorType::Application | ActorType::Group)
        )
    });
    let _ = q.opt_str("search", |_| true);
    q.finish()?;
    let actor = server_actor(state).await?;
    let mut conn = state.conn().await?;
    let (total, rows) = ActorFollow::list(
        &mut conn,
        actor.id,
        side,
        follow_state,
        (page.start, page.count),
        !page.descending(),
    )
    .await?;
    Ok(List {
        total,
        data: rows.iter().map(|r| follow_json(&state.urls, r)).collect(),
    })
}

/// A bare host (`name[:port]`), as PeerTube's `isHostValid` accepts.
pub fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '_'))
}

/// `name@host` with a valid name and host.
pub fn valid_handle(handle: &str) -> bool {
    handle
        .split_once('@')
        .is_some_and(|(n, h)| !n.is_empty() && !n.contains('/') && valid_host(h))
}
