//! Video rules behind the REST routes: reading and checking a video's fields, and who may see
//! what. Creating, processing and deleting videos is the federation crate's life cycle
//! (`ferrotube_federation::video::lifecycle`).

pub mod access;
pub mod meta;
