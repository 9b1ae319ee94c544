//! Remote objects: fetched, validated and stored in the same tables as local ones.

pub mod actor;
pub mod actor_image;
pub mod crawl;
pub mod fetcher_job;
pub mod webfinger;
