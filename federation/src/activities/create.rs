//! Create: of our videos (by the owning account, to its followers) when they become federable;
//! received for videos (fetched again from their origin, as PeerTube does).
mod behaviour;
mod shape;

pub use shape::*;
