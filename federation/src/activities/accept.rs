//! Accept of a Follow: sent when we accept a follower, received when a remote actor accepts one
//! of our follows.
mod behaviour;
mod shape;

pub(crate) use behaviour::answered;
pub use shape::*;
