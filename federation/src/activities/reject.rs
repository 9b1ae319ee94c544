//! Reject of a Follow: sent when we refuse a follower, received when a remote actor refuses one
//! of our follows.
mod behaviour;
mod shape;

pub use shape::*;
