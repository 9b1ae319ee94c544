//! Follow: sent by the server actor or a user to follow a host or subscribe to a channel;
//! received for our server actor, accounts and channels.
mod behaviour;
mod shape;

pub use shape::*;
