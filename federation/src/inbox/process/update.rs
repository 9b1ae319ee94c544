//! Update of an actor (only the signer can update itself); other objects go to `video.rs`.

use serde_json::Value;

use super::{InboxContext, id_of, type_of, video};
use crate::error::FederationError;
use crate::fetch::url_host;
use crate::remote::actor as remote_actor;

pub async fn process(cx: &InboxContext, activity: &Value) -> Result<(), FederationError> {
    let object = activity.get("object").unwrap_or(&Value::Null);
    match type_of(object) {
        "Person" | "Group" | "Application" | "Service" | "Organization" => {
            if id_of(object) != Some(cx.signer.url.as_str()) {
                return Err(FederationError::BadRequest(
                    "an actor can only update itself".into(),
                ));
            }
            let host = url::Url::parse(&cx.signer.url)
                .map(|u| url_host(&u))
                .unwrap_or_default();
            let remote = remote_actor::validate(object, &host)?;
            remote_actor::store(&cx.state, &remote).await?;
            tracing::info!(actor = %cx.signer.url, "actor updated");
            Ok(())
        }
        _ => video::update(cx, activity, object).await,
    }
}
