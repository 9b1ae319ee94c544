//! `/api/v1/server/following` and `/api/v1/server/followers`: the server actor's follows
//! (MANAGE_SERVER_FOLLOW for changes).

pub mod common;
pub mod followers_answer;
pub mod followers_delete;
pub mod followers_list;
pub mod following_create;
pub mod following_delete;
pub mod following_list;
