//! Signatures on federation traffic: HTTP signatures on every request, linked-data signatures
//! on the activities we create and on those forwarded by third parties.

pub mod http;
pub mod ld;
