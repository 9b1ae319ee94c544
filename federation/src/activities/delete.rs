//! Delete: of our videos (by the owning account, to involved followers); received for the
//! sending actor itself (its account or channel goes) and for remote videos by their owner.
mod behaviour;
mod shape;

pub use shape::*;
