//! ActivityPub and discovery documents, one file per object kind. Field names and shapes
//! follow what PeerTube emits (see `shared/reference/live-captures/`).

pub mod actor;
pub mod collection;
pub mod context;
pub mod nodeinfo;
pub mod video;
pub mod webfinger;
