//! An actor's followers, following, outbox and playlists collections, paged as PeerTube.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ActivityJson;
use crate::error::FederationError;
use crate::models::actor::{Actor, ActorType};
use crate::models::follow::{ActorFollow, FollowSide};
use crate::problem::{InvalidParam, Problem};
use crate::protocol::collection::{
    DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, OrderedCollection, OrderedCollectionPage,
};
use crate::protocol::{Context, WithContext};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<String>,
    size: Option<String>,
}

#[derive(Clone, Copy)]
enum Kind {
    Account,
    Channel,
}

pub async fn account(
    state: State<AppState>,
    Path((name, collection)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<Response, FederationError> {
    serve(state, Kind::Account, name, collection, q).await
}

pub async fn channel(
    state: State<AppState>,
    Path((name, collection)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<Response, FederationError> {
    serve(state, Kind::Channel, name, collection, q).await
}

/// A positive integer up to `max`, or an `invalid` entry naming the field.
fn parse_positive(
    value: &Option<String>,
    field: &str,
    max: i64,
    invalid: &mut Vec<InvalidParam>,
) -> Option<i64> {
    let raw = value.as_ref()?;
    match raw.parse::<i64>() {
        Ok(n) if (1..=max).contains(&n) => Some(n),
        _ => {
            invalid.push(InvalidParam::new(
                "query",
                field,
                Some(Value::String(raw.clone())),
                "Invalid value",
            ));
            None
        }
    }
}

async fn serve(
    State(state): State<AppState>,
    kind: Kind,
    name: String,
    collection: String,
    q: PageQuery,
) -> Result<Response, FederationError> {
    let mut invalid = Vec::new();
    let page = parse_positive(&q.page, "page", i64::MAX / 1000, &mut invalid);
    let size = parse_positive(&q.size, "size", MAX_PAGE_SIZE, &mut invalid);
    if !invalid.is_empty() {
        return Err(FederationError::Invalid(Box::new(Problem::invalid_params(
            None, invalid,
        ))));
    }
    let mut conn = state.conn().await?;
    let actor = Actor::find_local_by_name(&mut conn, &name)
        .await?
        .filter(|a| match kind {
            Kind::Channel => a.actor_type == ActorType::Group,
            Kind::Account => a.actor_type != ActorType::Group,
        })
        .ok_or_else(|| FederationError::NotFound("Actor not found".into()))?;
    let base = format!("{}/{collection}", actor.url);
    let size = size.unwrap_or(DEFAULT_PAGE_SIZE);
    let (start, count) = match page {
        Some(p) => ((p - 1) * size, size),
        None => (0, 0),
    };
    let paged = Paged { base, page, size };
    match collection.as_str() {
        "followers" | "following" => {
            let side = if collection == "followers" {
                FollowSide::Followers
            } else {
                FollowSide::Following
            };
            let (total, urls) =
                ActorFollow::accepted_urls(&mut conn, actor.id, side, start, count).await?;
            Ok(paged.respond(total, urls))
        }
        "outbox" => {
            let (total, items) =
                super::outbox::page(&mut conn, &state.urls, &actor, start, count).await?;
            Ok(paged.respond(total, items))
        }
        // ferrotube has no playlists yet: the collection is truly empty.
        "playlists" => Ok(paged.respond::<String>(0, Vec::new())),
        _ => Err(FederationError::NotFound("Not found".into())),
    }
}

/// Which view of a collection was asked for: the collection itself, or one page.
struct Paged {
    base: String,
    page: Option<i64>,
    size: i64,
}

impl Paged {
    fn respond<T: Serialize>(self, total: i64, items: Vec<T>) -> Response {
        match self.page {
            None => ActivityJson(WithContext::new(
                Context::Base,
                OrderedCollection::new(self.base, total),
            ))
            .into_response(),
            Some(page) => ActivityJson(WithContext::new(
                Context::Base,
                OrderedCollectionPage::new(self.base, page, self.size, total, items),
            ))
            .into_response(),
        }
    }
}
