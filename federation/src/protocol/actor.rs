//! Person, Group and Application documents, as PeerTube serves and accepts them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorObject {
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub following: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub playlists: Option<String>,
    pub inbox: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<String>,
    pub preferred_username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Endpoints>,
    pub public_key: PublicKey,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Present (possibly null) on every PeerTube actor.
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Value>,
    #[serde(flatten)]
    pub group: Option<GroupFields>,
}

/// What only a channel (Group) carries.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupFields {
    pub support: Option<String>,
    pub posting_restricted_to_mods: bool,
    pub attributed_to: Vec<AttributedTo>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AttributedTo {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_inbox: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKey {
    pub id: String,
    pub owner: String,
    pub public_key_pem: String,
}

use crate::models::account::AccountFull;
use crate::models::actor::Actor;
use crate::models::channel::ChannelFull;
use crate::time::iso;

impl ActorObject {
    fn from_actor(actor: &Actor, name: &str, summary: Option<String>) -> Self {
        Self {
            context: Some(super::context::actor()),
            kind: actor.actor_type.clone(),
            id: actor.url.clone(),
            following: actor.following_url.clone(),
            followers: actor.followers_url.clone(),
            playlists: actor.playlists_url.clone(),
            inbox: actor.inbox_url.clone(),
            outbox: actor.outbox_url.clone(),
            preferred_username: actor.preferred_username.clone(),
            url: Some(Value::String(actor.url.clone())),
            name: Some(name.to_string()),
            endpoints: Some(Endpoints {
                shared_inbox: actor.shared_inbox_url.clone(),
            }),
            public_key: PublicKey {
                id: format!("{}#main-key", actor.url),
                owner: actor.url.clone(),
                public_key_pem: actor.public_key_pem.clone().unwrap_or_default(),
            },
            published: Some(iso(&actor.created_at)),
            summary,
            icon: None,
            image: None,
            group: None,
        }
    }

    /// A Person, or the server's Application.
    pub fn account(full: &AccountFull) -> Self {
        Self::from_actor(
            &full.actor,
            &full.account.display_name,
            full.account.description.clone(),
        )
    }

    pub fn channel(full: &ChannelFull) -> Self {
        let mut object = Self::from_actor(
            &full.actor,
            &full.channel.display_name,
            full.channel.description.clone(),
        );
        object.group = Some(GroupFields {
            support: full.channel.support.clone(),
            posting_restricted_to_mods: true,
            attributed_to: vec![AttributedTo {
                kind: "Person".into(),
                id: full.owner.actor.url.clone(),
            }],
        });
        object
    }
}
