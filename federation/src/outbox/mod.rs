//! Sending activities: one durable delivery job per inbox, retried with exponential back-off
//! (PeerTube tries once), signed by the sending actor, with PeerTube's follow score and a cap
//! on parallel deliveries per host. Nothing here sends on the request path.

pub mod delivery_job;
pub mod follow;
pub mod follow_job;
pub mod follow_resend_job;
mod score;
pub mod score_purge_job;

use diesel_async::AsyncPgConnection;
use serde_json::Value;

use crate::activities::SendActivity;
use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::protocol::WithContext;
use crate::queue::BackgroundJob;
use delivery_job::Delivery;

/// Queues `activity` (with its `@context`) from local actor `from_actor_id` to each inbox
/// (duplicates and our own inboxes dropped). The body is LD-signed once here, so every inbox
/// gets the same bytes. Call it inside the transaction that makes the change being announced.
pub async fn deliver(
    conn: &mut AsyncPgConnection,
    activity: &impl SendActivity,
    from_actor_id: i64,
    inboxes: Vec<String>,
) -> Result<(), FederationError> {
    let document = WithContext::new(activity.context(), activity);
    let activity = serde_json::to_value(&document)
        .map_err(|e| FederationError::Internal(format!("serialising an activity: {e}")))?;
    let actor = Actor::find(conn, from_actor_id)
        .await?
        .ok_or_else(|| FederationError::Internal(format!("no actor {from_actor_id}")))?;
    let Some(pem) = actor.private_key_pem.as_deref() else {
        return Err(FederationError::Internal(format!(
            "actor {} has no private key",
            actor.url
        )));
    };
    let body = ld_sign(&activity, &actor.url, pem);
    enqueue_deliveries(conn, &body, &actor, inboxes).await
}

/// Forwards a received activity as it came (its linked-data signature intact, which is what
/// lets receivers trust a body their sender did not write), HTTP-signed by `by_actor_id` (our
/// server actor), to each inbox except our own.
pub async fn forward(
    conn: &mut AsyncPgConnection,
    body: &Value,
    by_actor_id: i64,
    inboxes: Vec<String>,
) -> Result<(), FederationError> {
    let actor = Actor::find(conn, by_actor_id)
        .await?
        .ok_or_else(|| FederationError::Internal(format!("no actor {by_actor_id}")))?;
    enqueue_deliveries(conn, body, &actor, inboxes).await
}

/// One delivery job per inbox, duplicates dropped: PeerTube never delivers to its own instance.
async fn enqueue_deliveries(
    conn: &mut AsyncPgConnection,
    body: &Value,
    actor: &Actor,
    mut inboxes: Vec<String>,
) -> Result<(), FederationError> {
    let own_host = url::Url::parse(&actor.url)
        .map(|u| crate::fetch::url_host(&u))
        .unwrap_or_default();
    inboxes.sort();
    inboxes.dedup();
    for inbox in inboxes {
        let host = url::Url::parse(&inbox).map(|u| crate::fetch::url_host(&u));
        if host.is_ok_and(|h| h.eq_ignore_ascii_case(&own_host)) {
            continue;
        }
        let job = Delivery {
            inbox,
            actor_id: actor.id,
            body: body.clone(),
        };
        job.enqueue(conn).await?;
    }
    Ok(())
}

/// The linked-data signature hook: every activity we create carries an RsaSignature2017 so
/// that PeerTube origins forward it. Signing failures are logged and the body goes unsigned
/// (peers accept HTTP-signed bodies from their direct sender).
fn ld_sign(activity: &Value, creator: &str, private_pem: &str) -> Value {
    match crate::signatures::ld::sign(activity, creator, private_pem) {
        Ok(signed) => signed,
        Err(e) => {
            tracing::warn!(error = %e, "linked-data signing failed, sending unsigned");
            activity.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bodies we send carry a verifiable RsaSignature2017 (contexts bundled, no network).
    #[test]
    fn sent_bodies_are_ld_signed() {
        let Ok(key) = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 1024) else {
            panic!("key");
        };
        use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
        let (Ok(private), Ok(public)) = (
            key.to_pkcs8_pem(LineEnding::LF),
            rsa::RsaPublicKey::from(&key).to_public_key_pem(LineEnding::LF),
        ) else {
            panic!("pem");
        };
        let actor = "http://127.0.0.1:9002/accounts/peertube";
        let Ok(follow) = crate::activities::follow::Follow::new(
            &format!("{actor}/follows/3"),
            actor,
            "http://127.0.0.1:9001/accounts/peertube",
        ) else {
            panic!("follow");
        };
        let Ok(follow) =
            serde_json::to_value(WithContext::new(crate::protocol::Context::Base, follow))
        else {
            panic!("json");
        };
        let signed = ld_sign(&follow, actor, &private);
        assert_eq!(signed["signature"]["type"], "RsaSignature2017");
        assert_eq!(signed["signature"]["creator"], actor);
        assert!(matches!(
            crate::signatures::ld::verify(&signed, &public),
            Ok(true)
        ));
    }
}
