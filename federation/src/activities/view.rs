//! View of a video: PeerTube's counted views and live viewers (with `expires`).
mod behaviour;
mod shape;

pub use shape::*;
