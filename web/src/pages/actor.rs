//! `GET /a/{handle}` (`/accounts/…`) and `GET /c/{handle}` (`/video-channels/…`) for browsers:
//! an account with its channels and videos, a channel with its videos.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ferrotube_federation::AppState;
use ferrotube_federation::models::actor::Actor;
use ferrotube_federation::models::channel::{ChannelFull, ChannelScope};
use ferrotube_federation::models::server::Server;
use ferrotube_federation::models::video::{VideoFilters, VideoScope};

use super::{PageQuery, list};
use crate::error::WebResult;
use crate::handle;
use crate::meta::Head;
use crate::site::Site;
use crate::text;
use crate::view::{self, Pager, VideoCard};

#[derive(Template)]
#[template(path = "actor.html")]
struct ActorPage<'a> {
    site: &'a Site,
    head: Head,
    display_name: &'a str,
    handle: String,
    followers: i32,
    description: Option<&'a str>,
    /// The account of a channel: (display name, path).
    owner: Option<(&'a str, String)>,
    /// The channels of an account: (display name, path).
    channels: Vec<(&'a str, String)>,
    feed_path: String,
    cards: Vec<VideoCard<'a>>,
    pager: Pager,
}

pub async fn account(
    State(state): State<AppState>,
    Extension(site): Extension<Arc<Site>>,
    Path(handle): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    super::respond(
        &site,
        render_account(&state, &site, &handle, query.number()).await,
    )
}

pub async fn channel(
    State(state): State<AppState>,
    Extension(site): Extension<Arc<Site>>,
    Path(handle): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    super::respond(
        &site,
        render_channel(&state, &site, &handle, query.number()).await,
    )
}

/// PeerTube's profile page tags: OpenGraph `website`, a `summary` card, the actor for
/// ActivityPub clients and its video feed.
fn actor_head(
    site: &Site,
    name: &str,
    description: Option<&str>,
    actor: &Actor,
    path: &str,
    feed: &str,
) -> Head {
    let description = match text::one_line(description, 200) {
        d if d.is_empty() => site.description.clone(),
        d => d,
    };
    let mut head = Head::new(&site.name, Some(name), &description);
    let url = site.url(path);
    head.noindex = !actor.is_local();
    head.canonical = Some(url.clone());
    head.properties = vec![
        ("og:type", "website".into()),
        ("og:site_name", site.name.clone()),
        ("og:title", name.to_string()),
        ("og:url", url),
        ("og:description", description.clone()),
    ];
    head.names = vec![
        ("twitter:card", "summary".into()),
        ("twitter:title", name.to_string()),
        ("twitter:description", description),
    ];
    head.alternate("application/activity+json", actor.url.clone(), name);
    head.alternate("application/rss+xml", site.url(feed), name);
    head
}

async fn render_account(
    state: &AppState,
    site: &Site,
    handle: &str,
    page: u32,
) -> WebResult<Response> {
    let mut conn = state.conn().await?;
    let account = handle::account(&mut conn, site, handle).await?;
    let (_, channels) = ChannelFull::list(
        &mut conn,
        ChannelScope::Account(account.account.id),
        0,
        50,
        "createdAt",
    )
    .await?;
    let listed = list(
        &mut conn,
        site,
        VideoScope::Account(account.account.id),
        VideoFilters::default(),
        "-publishedAt",
        page,
    )
    .await?;
    drop(conn);
    let path = view::account_path(&account);
    let feed_path = format!("/feeds/videos.xml?accountId={}", account.account.id);
    let page_data = ActorPage {
        site,
        head: actor_head(
            site,
            &account.account.display_name,
            account.account.description.as_deref(),
            &account.actor,
            &path,
            &feed_path,
        ),
        display_name: &account.account.display_name,
        handle: full_handle(
            site,
            &account.actor.preferred_username,
            account.server.as_ref(),
        ),
        followers: account.actor.followers_count,
        description: account.account.description.as_deref(),
        owner: None,
        channels: channels
            .iter()
            .map(|c| (c.channel.display_name.as_str(), view::channel_path(c)))
            .collect(),
        feed_path,
        cards: VideoCard::list(&listed.videos, &listed.channels),
        pager: Pager::new(&format!("{path}?"), page, listed.has_more),
    };
    super::html(StatusCode::OK, &page_data)
}

async fn render_channel(
    state: &AppState,
    site: &Site,
    handle: &str,
    page: u32,
) -> WebResult<Response> {
    let mut conn = state.conn().await?;
    let channel = handle::channel(&mut conn, site, handle).await?;
    let listed = list(
        &mut conn,
        site,
        VideoScope::Channel(channel.channel.id),
        VideoFilters::default(),
        "-publishedAt",
        page,
    )
    .await?;
    drop(conn);
    let path = view::channel_path(&channel);
    let feed_path = format!("/feeds/videos.xml?videoChannelId={}", channel.channel.id);
    let page_data = ActorPage {
        site,
        head: actor_head(
            site,
            &channel.channel.display_name,
            channel.channel.description.as_deref(),
            &channel.actor,
            &path,
            &feed_path,
        ),
        display_name: &channel.channel.display_name,
        handle: full_handle(
            site,
            &channel.actor.preferred_username,
            channel.server.as_ref(),
        ),
        followers: channel.actor.followers_count,
        description: channel.channel.description.as_deref(),
        owner: Some((
            channel.owner.account.display_name.as_str(),
            view::account_path(&channel.owner),
        )),
        channels: Vec::new(),
        feed_path,
        cards: VideoCard::list(&listed.videos, &listed.channels),
        pager: Pager::new(&format!("{path}?"), page, listed.has_more),
    };
    super::html(StatusCode::OK, &page_data)
}

/// `@name@host`, the handle other instances use.
fn full_handle(site: &Site, name: &str, server: Option<&Server>) -> String {
    let host = server.map_or(site.urls.host.as_str(), |s| s.host.as_str());
    format!("@{name}@{host}")
}
