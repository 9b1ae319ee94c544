//! NodeInfo 2.0 and its discovery document.

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const SCHEMA_2_0: &str = "http://nodeinfo.diaspora.software/ns/schema/2.0";
pub const APPLICATION_REL: &str = "https://www.w3.org/ns/activitystreams#Application";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NodeInfoLinks {
    pub links: Vec<NodeInfoLink>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NodeInfoLink {
    pub rel: String,
    pub href: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    pub version: String,
    pub software: Software,
    pub protocols: Vec<String>,
    pub services: Services,
    pub open_registrations: bool,
    pub usage: Usage,
    pub metadata: Value,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Software {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Services {
    pub inbound: Vec<String>,
    pub outbound: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub users: UsageUsers,
    pub local_posts: i64,
    pub local_comments: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageUsers {
    pub total: i64,
    pub active_month: i64,
    pub active_halfyear: i64,
}
