//! Person, Group and Application documents, as PeerTube serves and accepts them (Service and
//! Organization are accepted as accounts).

use activitypub_federation::protocol::helpers::deserialize_skip_error;
use activitypub_federation::protocol::public_key::PublicKey;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use super::lenient::{present, vec_skip_invalid};
use super::link::Image;
use super::{HttpUrl, url};
use crate::FederationError;
use crate::models::account::AccountFull;
use crate::models::actor::{Actor, ActorType};
use crate::models::actor_image::{ActorImage, ActorImages};
use crate::models::channel::ChannelFull;
use crate::profile::files::mime_of;
use crate::urls::InstanceUrls;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorObject {
    #[serde(rename = "type")]
    pub kind: ActorType,
    pub id: HttpUrl,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub following: Option<HttpUrl>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub followers: Option<HttpUrl>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub playlists: Option<HttpUrl>,
    pub inbox: HttpUrl,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub outbox: Option<HttpUrl>,
    pub preferred_username: String,
    /// The profile page. Others send a string, a Link or a list of them; the first URL is kept
    /// (PeerTube refuses an actor whose `url` is not an http(s) URL).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "first_url"
    )]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub endpoints: Option<Endpoints>,
    pub public_key: PublicKey,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::option"
    )]
    pub published: Option<DateTime<Utc>>,
    /// Present (possibly null) on every PeerTube actor.
    #[serde(default)]
    pub summary: Option<String>,
    /// Avatars (PeerTube sends a list; Mastodon one image). Omitted when there is none.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "vec_skip_invalid"
    )]
    pub icon: Vec<Image>,
    /// Banners.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "vec_skip_invalid"
    )]
    pub image: Vec<Image>,
    /// Groups only: present (possibly null) on channels, absent on accounts.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub support: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub posting_restricted_to_mods: Option<bool>,
    /// A channel's owner: `[{type: "Person", id}]` (others may send plain URLs).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "vec_skip_invalid"
    )]
    pub attributed_to: Vec<ActorRef>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub shared_inbox: Option<HttpUrl>,
}

/// An actor named by another document: `{type, id}`, or a bare URL.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorRef {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<ActorType>,
    pub id: HttpUrl,
}

impl<'de> Deserialize<'de> for ActorRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape {
            Url(HttpUrl),
            Object {
                #[serde(rename = "type", default, deserialize_with = "deserialize_skip_error")]
                kind: Option<ActorType>,
                id: HttpUrl,
            },
        }
        Ok(match Shape::deserialize(d)? {
            Shape::Url(id) => Self { kind: None, id },
            Shape::Object { kind, id } => Self { kind, id },
        })
    }
}

fn first_url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    fn first(v: &serde_json::Value) -> Option<&str> {
        use serde_json::Value;
        match v {
            Value::String(s) => Some(s),
            Value::Object(o) => o
                .get("href")
                .or_else(|| o.get("id"))
                .and_then(Value::as_str),
            Value::Array(a) => a.iter().find_map(first),
            _ => None,
        }
    }
    let v = serde_json::Value::deserialize(d)?;
    Ok(first(&v).map(str::to_string))
}

impl ActorObject {
    /// The owning Person of a Group: the first `attributedTo` of type Person, else the first.
    pub fn owner(&self) -> Option<&HttpUrl> {
        self.attributed_to
            .iter()
            .find(|a| a.kind == Some(ActorType::Person))
            .or_else(|| self.attributed_to.first())
            .map(|a| &a.id)
    }

    pub fn shared_inbox(&self) -> Option<&HttpUrl> {
        self.endpoints.as_ref()?.shared_inbox.as_ref()
    }

    fn from_actor(
        urls: &InstanceUrls,
        actor: &Actor,
        images: &ActorImages,
        kind: ActorType,
        name: &str,
        summary: Option<String>,
    ) -> Result<Self, FederationError> {
        let image = |i: &ActorImage| Image {
            kind: Default::default(),
            url: format!("{}{}", urls.base, i.static_path()),
            media_type: Some(mime_of(&i.filename).into()),
            width: i.width,
            height: i.height,
        };
        let opt = |u: &Option<String>| u.as_deref().map(url).transpose();
        Ok(Self {
            kind,
            id: url(&actor.url)?,
            following: opt(&actor.following_url)?,
            followers: opt(&actor.followers_url)?,
            playlists: opt(&actor.playlists_url)?,
            inbox: url(&actor.inbox_url)?,
            outbox: opt(&actor.outbox_url)?,
            preferred_username: actor.preferred_username.clone(),
            url: Some(actor.url.clone()),
            name: Some(name.to_string()),
            endpoints: Some(Endpoints {
                shared_inbox: opt(&actor.shared_inbox_url)?,
            }),
            public_key: PublicKey {
                id: format!("{}#main-key", actor.url),
                owner: url(&actor.url)?.into_inner(),
                public_key_pem: actor.public_key_pem.clone().unwrap_or_default(),
            },
            published: Some(actor.created_at),
            summary,
            icon: images.avatars.iter().map(image).collect(),
            image: images.banners.iter().map(image).collect(),
            support: None,
            posting_restricted_to_mods: None,
            attributed_to: Vec::new(),
        })
    }

    /// A Person, or the server's Application, with its avatars (`icon`).
    pub fn account(urls: &InstanceUrls, full: &AccountFull) -> Result<Self, FederationError> {
        let kind = full.actor.actor_type;
        Self::from_actor(
            urls,
            &full.actor,
            &full.images,
            kind,
            &full.account.display_name,
            full.account.description.clone(),
        )
    }

    /// A Group with its avatars (`icon`) and banners (`image`).
    pub fn channel(urls: &InstanceUrls, full: &ChannelFull) -> Result<Self, FederationError> {
        let mut object = Self::from_actor(
            urls,
            &full.actor,
            &full.images,
            ActorType::Group,
            &full.channel.display_name,
            full.channel.description.clone(),
        )?;
        object.support = Some(full.channel.support.clone());
        object.posting_restricted_to_mods = Some(true);
        object.attributed_to = vec![ActorRef {
            kind: Some(ActorType::Person),
            id: url(&full.owner.actor.url)?,
        }];
        Ok(object)
    }
}
