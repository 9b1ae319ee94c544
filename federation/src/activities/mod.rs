//! Activities, one folder each: `shape.rs` is the serde type (the same one to send and to
//! receive) and `behaviour.rs` holds how we receive it (verify, then receive) and how we build
//! it to send. The inbox's typed enum (`inbox::activity`) dispatches here.
//!
//! The receive side is modelled on `activitypub_federation::traits::Activity` (id, actor, verify,
//! receive) without implementing it: that trait takes a `Data<T>` that only a
//! `FederationConfig<T>` can make, whose build starts the crate's in-memory activity queue (a
//! second queue beside our durable PostgreSQL one, see `outbox`), and whose `ObjectId` fetching
//! refuses actors on IP hosts such as a PeerTube on `http://127.0.0.1:9001` (`Url must have a
//! domain`, shown by the test below). Our context carries the verified signer and the inbox
//! owner instead.

pub mod accept;
pub mod announce;
pub mod approve_reply;
pub mod audience;
pub mod create;
pub mod delete;
pub mod dislike;
pub mod follow;
pub mod like;
pub mod reject;
pub mod undo;
pub mod update;
pub mod view;

use std::future::Future;

use serde::Serialize;

use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::protocol::{Context, HttpUrl};
use crate::state::AppState;

/// What processing a received activity knows besides the activity.
pub struct InboxContext {
    pub state: AppState,
    /// The verified sender: the HTTP signer, or the LD signer of a forwarded activity.
    pub signer: Actor,
    /// The local actor whose own inbox received it; `None` for the shared inbox.
    pub inbox_owner: Option<Actor>,
    /// The activity as it came, with its linked-data signature: what we forward.
    pub raw: serde_json::Value,
}

/// A received activity's behaviour. `verify` makes no writes (an Undo verifies the activity it
/// undoes); `receive` applies it. An `Err(BadRequest | NotFound)` drops the activity with a log
/// line, as PeerTube drops invalid ones; other errors retry the inbox job.
pub trait ReceiveActivity: Sized + Send {
    fn id(&self) -> &HttpUrl;
    fn actor(&self) -> &HttpUrl;

    fn verify(&self, cx: &InboxContext)
    -> impl Future<Output = Result<(), FederationError>> + Send;

    fn receive(self, cx: &InboxContext)
    -> impl Future<Output = Result<(), FederationError>> + Send;
}

/// An activity we send: its shape and the `@context` PeerTube gives it.
pub trait SendActivity: Serialize + Sync {
    fn context(&self) -> Context {
        Context::Base
    }
}

/// Runs one received activity: its actor must be the verified signer (PeerTube skips it
/// otherwise), then verify, then receive.
pub async fn process<A: ReceiveActivity>(
    activity: A,
    cx: &InboxContext,
) -> Result<(), FederationError> {
    if *activity.actor() != cx.signer.url {
        return Err(FederationError::BadRequest(format!(
            "actor {} is not the signer {}",
            activity.actor(),
            cx.signer.url
        )));
    }
    activity.verify(cx).await?;
    activity.receive(cx).await
}

/// A nested object of a type we do not handle: kept as its type and id for the log.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Unknown {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl Unknown {
    pub fn of(value: &serde_json::Value) -> Self {
        let s = |k: &str| value.get(k).and_then(|v| v.as_str()).map(str::to_string);
        Self {
            kind: s("type").unwrap_or_default(),
            id: s("id").or_else(|| value.as_str().map(str::to_string)),
        }
    }
}

/// An enum of documents told apart by their `type`: each known type is parsed with its own
/// shape (so a malformed one reports its own error), any other becomes `Unknown`.
macro_rules! typed_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $variant:ident($ty:ty) = $($tag:literal)|+ ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, serde::Serialize)]
        #[serde(untagged)]
        pub enum $name {
            $( $variant($ty), )*
            Unknown($crate::activities::Unknown),
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let value = serde_json::Value::deserialize(d)?;
                let kind = value.get("type").and_then(|t| t.as_str()).unwrap_or_default();
                match kind {
                    $( $($tag)|+ => serde_json::from_value(value)
                        .map(Self::$variant)
                        .map_err(|e| D::Error::custom(format!("invalid {}: {e}", stringify!($variant)))), )*
                    _ => Ok(Self::Unknown($crate::activities::Unknown::of(&value))),
                }
            }
        }
    };
}
pub(crate) use typed_enum;

#[cfg(test)]
mod tests {
    use activitypub_federation::config::FederationConfig;
    use activitypub_federation::fetch::object_id::ObjectId;
    use activitypub_federation::traits::Object;
    use url::Url;

    /// Evidence for the module note: `ObjectId` refuses a PeerTube on an IP host before any
    /// request is made, even with plain http allowed and debug on.
    #[derive(Debug)]
    struct Nothing(Url);

    #[async_trait::async_trait]
    impl Object for Nothing {
        type DataType = ();
        type Kind = serde_json::Value;
        type Error = activitypub_federation::error::Error;
        fn id(&self) -> &Url {
            &self.0
        }
        async fn read_from_id(
            _: Url,
            _: &activitypub_federation::config::Data<()>,
        ) -> Result<Option<Self>, Self::Error> {
            Ok(None)
        }
        async fn into_json(
            self,
            _: &activitypub_federation::config::Data<()>,
        ) -> Result<Self::Kind, Self::Error> {
            Ok(serde_json::Value::Null)
        }
        async fn verify(
            _: &Self::Kind,
            _: &Url,
            _: &activitypub_federation::config::Data<()>,
        ) -> Result<(), Self::Error> {
            Ok(())
        }
        async fn from_json(
            _: Self::Kind,
            _: &activitypub_federation::config::Data<()>,
        ) -> Result<Self, Self::Error> {
            Err(activitypub_federation::error::Error::NotFound)
        }
    }

    #[tokio::test]
    async fn activitypub_federation_refuses_ip_hosts() {
        // reqwest is built without a default TLS provider (the binary installs one at start).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let config = match FederationConfig::builder()
            .domain("127.0.0.1:9000")
            .app_data(())
            .debug(true)
            .allow_http_urls(true)
            .build()
            .await
        {
            Ok(c) => c,
            Err(e) => panic!("config: {e}"),
        };
        let data = config.to_request_data();
        let id: ObjectId<Nothing> = match ObjectId::parse("http://127.0.0.1:9001/accounts/root") {
            Ok(id) => id,
            Err(e) => panic!("{e}"),
        };
        let err = match id.dereference(&data).await {
            Ok(_) => panic!("dereferenced an IP host"),
            Err(e) => e.to_string(),
        };
        assert!(err.contains("domain"), "{err}");
    }
}
