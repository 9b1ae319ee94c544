pub mod about;
pub mod get;
