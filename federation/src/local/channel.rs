//! Local channels: creation within the per-user limit, deletion of all but the last.

use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::{ACTOR_NAME_TAKEN, conflict_on_unique};
use crate::error::FederationError;
use crate::keys;
use crate::models::actor::{Actor, ActorType, NewActor};
use crate::models::actor_image::ActorImage;
use crate::models::channel::{NewVideoChannel, VideoChannel};
use crate::state::AppState;

pub struct ChannelSpec {
    pub account_id: i64,
    pub name: String,
    pub display_name: String,
    pub description: Option<String>,
    pub support: Option<String>,
}

pub async fn create_channel(
    state: &AppState,
    spec: ChannelSpec,
) -> Result<VideoChannel, FederationError> {
    let max = state.config.video_channels.max_per_user;
    let keys = keys::generate(state.config.federation.actor_key_bits).await?;
    let urls = state.urls.clone();
    let mut conn = state.conn().await?;
    conn.transaction::<_, FederationError, _>(async move |conn| {
        if max >= 0 && VideoChannel::count_for_account(conn, spec.account_id).await? >= max {
            return Err(FederationError::BadRequest(format!(
                "You cannot create more than {max} channels"
            )));
        }
        if Actor::local_name_taken(conn, &spec.name).await? {
            return Err(FederationError::Conflict(ACTOR_NAME_TAKEN.into()));
        }
        let actor = Actor::insert(
            conn,
            &NewActor::local(&urls, ActorType::Group, &spec.name, keys),
        )
        .await
        .map_err(|e| conflict_on_unique(e, ACTOR_NAME_TAKEN))?;
        Ok(VideoChannel::insert(
            conn,
            &NewVideoChannel {
                actor_id: actor.id,
                account_id: spec.account_id,
                display_name: spec.display_name,
                description: spec.description,
                support: spec.support,
            },
        )
        .await?)
    })
    .await
}

/// Deletes a channel through its actor; a user's last channel stays (409, as PeerTube). Its
/// images' rows come back, for the caller to remove their files (`profile::files::remove`).
pub async fn delete_channel(
    conn: &mut AsyncPgConnection,
    channel: &VideoChannel,
) -> Result<Vec<ActorImage>, FederationError> {
    let (account_id, actor_id) = (channel.account_id, channel.actor_id);
    conn.transaction::<_, FederationError, _>(async move |conn| {
        if VideoChannel::count_for_account(conn, account_id).await? <= 1 {
            return Err(FederationError::Conflict(
                "Cannot remove the last channel of this user".into(),
            ));
        }
        let images = ActorImage::remove(conn, actor_id, None).await?;
        Actor::delete(conn, actor_id).await?;
        Ok(images)
    })
    .await
}
