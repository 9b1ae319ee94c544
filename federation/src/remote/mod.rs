//! Remote objects: fetched, validated and stored in the same tables as local ones.

pub mod actor;
pub mod crawl;
pub mod fetcher_job;
pub mod webfinger;
