//! Dislike of a video: received for our videos and counted.
mod behaviour;
mod shape;

pub use shape::*;
