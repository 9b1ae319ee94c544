//! Loading what a page shows, with the rules of anonymous viewers: a handle (`name` or
//! `name@host`) to an account or channel, an id to a video they may see.

use diesel_async::AsyncPgConnection;
use ferrotube_federation::models::account::AccountFull;
use ferrotube_federation::models::channel::ChannelFull;
use ferrotube_federation::models::enums::VideoPrivacy;
use ferrotube_federation::models::video::{Video, VideoFull};
use ferrotube_federation::video::access;

use crate::error::{WebError, WebResult};
use crate::site::Site;

/// `name@host` → (`name`, `Some(host)`); our own host, or none, is local.
pub fn split<'a>(handle: &'a str, site: &Site) -> (&'a str, Option<&'a str>) {
    match handle.split_once('@') {
        Some((name, host)) if !site.urls.is_local_host(host) => (name, Some(host)),
        Some((name, _)) => (name, None),
        None => (handle, None),
    }
}

pub async fn account(
    conn: &mut AsyncPgConnection,
    site: &Site,
    handle: &str,
) -> WebResult<AccountFull> {
    let (name, host) = split(handle, site);
    AccountFull::load_by_handle(conn, name, host)
        .await?
        .ok_or(WebError::NotFound("Account not found"))
}

pub async fn channel(
    conn: &mut AsyncPgConnection,
    site: &Site,
    handle: &str,
) -> WebResult<ChannelFull> {
    let (name, host) = split(handle, site);
    ChannelFull::load_by_handle(conn, name, host)
        .await?
        .ok_or(WebError::NotFound("Video channel not found"))
}

/// A video by id, UUID or short UUID, as an anonymous viewer may see it (the API's rules): 404
/// when unknown, 401 when private, internal or unpublished. An unlisted video is seen through
/// its link (UUID or short UUID), not by its guessable numeric id.
pub async fn visible_video(conn: &mut AsyncPgConnection, id: &str) -> WebResult<VideoFull> {
    let video = Video::find_by_any_id(conn, id)
        .await?
        .ok_or(WebError::NotFound("Video not found"))?;
    let by_number = id.parse::<i64>().is_ok();
    if by_number && video.privacy == VideoPrivacy::Unlisted {
        return Err(WebError::NotFound("Video not found"));
    }
    let full = VideoFull::load(conn, video)
        .await?
        .ok_or(WebError::NotFound("Video not found"))?;
    if !access::can_see(None, &full) {
        return Err(WebError::Unauthorized(
            "This video is private: log in with an account allowed to see it",
        ));
    }
    Ok(full)
}
