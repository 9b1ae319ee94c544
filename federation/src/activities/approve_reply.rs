//! ApproveReply: sent to the author of a reply to one of our videos once it is published here;
//! received for our users' replies to remote videos that need approval.
mod behaviour;
mod shape;

pub use shape::*;
