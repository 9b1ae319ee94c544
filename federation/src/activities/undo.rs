//! Undo: of our users' follows when they unfollow; received for Follow, Like, Dislike, Announce and
//! Create(CacheFile).
mod behaviour;
mod shape;

pub use shape::*;
