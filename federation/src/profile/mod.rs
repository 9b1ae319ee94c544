//! The public profile of a local account or channel: its avatars and banners (`images`, with
//! their files in `files`) and the `Update(Person|Group)` that tells followers of each change
//! (`update`). Remote actors' images are stored by `remote::actor_image`.

pub mod files;
pub mod images;
pub mod update;

pub use update::{Profile, send_update};
