//! Video logic behind the REST routes: metadata rules, quotas, creation of a local video from
//! an uploaded file, and who may see what.

pub mod access;
pub mod create;
pub mod jobs;
pub mod meta;
pub mod quota;
pub mod views;
