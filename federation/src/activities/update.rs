//! Update: of our videos (new files, edits, rates) to involved followers; received for videos
//! and for the sending actor itself.
mod behaviour;
mod shape;

pub use shape::*;
