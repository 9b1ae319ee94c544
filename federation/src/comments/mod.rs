//! Comments on videos, ours and other servers': written here (`local`), received (`remote`),
//! as ActivityPub documents (`object`) and who hears of them (`deliver`).

pub mod deliver;
pub mod local;
pub mod object;
pub mod remote;
