//! Announce of a video: sent by our server actor and channels when a video is published;
//! received from Applications and Groups (Mastodon boosts are dropped, as PeerTube drops them).
mod behaviour;
mod shape;

pub use shape::*;
