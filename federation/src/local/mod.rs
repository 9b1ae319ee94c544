//! Creating and removing local users, accounts and channels, with the rules PeerTube applies.

pub mod channel;
pub mod names;
pub mod password;
pub mod user;

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::error::FederationError;

pub const ACTOR_NAME_TAKEN: &str = "Another actor (account/channel) with this name on this instance already exists or has already existed.";
pub const USER_EXISTS: &str = "User with this username or email already exists.";

/// A unique-index race lost inside a transaction means the name was taken meanwhile.
pub(crate) fn conflict_on_unique(e: DieselError, message: &str) -> FederationError {
    match e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            FederationError::Conflict(message.into())
        }
        other => other.into(),
    }
}
