//! The closed sets of values our columns hold, as Rust enums mapped to the column's SQL type:
//! SMALLINT columns store PeerTube's numbers, TEXT columns the names ActivityPub (or our own
//! CHECK constraints) use. Row structs carry these enums, so the rest of the crate never
//! compares raw numbers or strings, and a value outside the set fails when read instead of
//! travelling on as a number nobody knows.

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::{SmallInt, Text};

/// A SMALLINT enum: `id()` is the stored number (PeerTube's), `label()` what PeerTube's REST
/// API shows beside it, `ALL` every value in order.
macro_rules! small_int_enum {
    ($(#[$meta:meta])* pub enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident = $id:literal => $label:literal,)+
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
        #[diesel(sql_type = SmallInt)]
        pub enum $name {
            $($(#[$vmeta])* $variant = $id,)+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn id(self) -> i16 {
                self as i16
            }

            pub fn from_id(id: i16) -> Option<Self> {
                match id {
                    $($id => Some(Self::$variant),)+
                    _ => None,
                }
            }

            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }
        }

        impl ToSql<SmallInt, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <i16 as ToSql<SmallInt, Pg>>::to_sql(&self.id(), &mut out.reborrow())
            }
        }

        impl FromSql<SmallInt, Pg> for $name {
            fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
                let id = <i16 as FromSql<SmallInt, Pg>>::from_sql(value)?;
                Self::from_id(id)
                    .ok_or_else(|| format!("{} {id} is not known", stringify!($name)).into())
            }
        }
    };
}

/// A TEXT enum: `as_str()` (and `Display`) is the stored name, `parse` its inverse.
macro_rules! text_enum {
    ($(#[$meta:meta])* pub enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
        #[diesel(sql_type = Text)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($text => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ToSql<Text, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <str as ToSql<Text, Pg>>::to_sql(self.as_str(), out)
            }
        }

        impl FromSql<Text, Pg> for $name {
            fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
                let s = std::str::from_utf8(value.as_bytes())?;
                Self::parse(s)
                    .ok_or_else(|| format!("{} {s:?} is not known", stringify!($name)).into())
            }
        }
    };
}

small_int_enum! {
    /// PeerTube's `VideoPrivacy` (`videos.privacy`).
    pub enum VideoPrivacy {
        Public = 1 => "Public",
        Unlisted = 2 => "Unlisted",
        Private = 3 => "Private",
        Internal = 4 => "Internal",
        PasswordProtected = 5 => "Password protected",
    }
}

impl VideoPrivacy {
    /// Public and unlisted files live in the public folder and carry a WebSeed; private,
    /// internal and password-protected ones do not (PeerTube's private directory).
    pub fn in_public_folder(self) -> bool {
        matches!(self, Self::Public | Self::Unlisted)
    }
}

small_int_enum! {
    /// PeerTube's `VideoState` (`videos.state`).
    pub enum VideoState {
        Published = 1 => "Published",
        ToTranscode = 2 => "To transcode",
        ToImport = 3 => "To import",
        WaitingForLive = 4 => "Waiting for livestream",
        LiveEnded = 5 => "Livestream ended",
        ToMoveToExternalStorage = 6 => "To move to an external storage",
        TranscodingFailed = 7 => "Transcoding failed",
        ToMoveToExternalStorageFailed = 8 => "External storage move failed",
        ToEdit = 9 => "To edit",
        ToMoveToFileSystem = 10 => "To move to file system",
        ToMoveToFileSystemFailed = 11 => "File system move failed",
    }
}

small_int_enum! {
    /// PeerTube's `VideoCommentPolicy` (`videos.comments_policy`).
    pub enum CommentsPolicy {
        Enabled = 1 => "Enabled",
        Disabled = 2 => "Disabled",
        RequiresApproval = 3 => "Requires approval",
    }
}

small_int_enum! {
    /// PeerTube's `UserRole` (`users.role`); its rights are in `models::user`.
    pub enum Role {
        Administrator = 0 => "Administrator",
        Moderator = 1 => "Moderator",
        User = 2 => "User",
    }
}

text_enum! {
    /// An actor's ActivityPub type, as stored (`actors.actor_type`) and as written in documents.
    #[derive(serde::Serialize, serde::Deserialize)]
    pub enum ActorType {
        Person => "Person",
        Application => "Application",
        Group => "Group",
        Service => "Service",
        Organization => "Organization",
    }
}

text_enum! {
    /// Where a follow stands (`actor_follows.state`).
    pub enum FollowState {
        Pending => "pending",
        Accepted => "accepted",
        Rejected => "rejected",
    }
}

text_enum! {
    /// A job's state as PeerTube names it (`jobs.state`). `Waiting` and `Delayed` differ only
    /// by whether `run_at` has passed, so the listing derives them from the clock.
    pub enum JobState {
        Waiting => "waiting",
        Delayed => "delayed",
        Active => "active",
        Completed => "completed",
        Failed => "failed",
    }
}

text_enum! {
    /// A like or a dislike (`video_rates.kind`).
    pub enum Rating {
        Like => "like",
        Dislike => "dislike",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_labels_are_peertubes() {
        assert_eq!(VideoPrivacy::PasswordProtected.id(), 5);
        assert_eq!(VideoPrivacy::from_id(4), Some(VideoPrivacy::Internal));
        assert_eq!(VideoPrivacy::from_id(6), None);
        assert_eq!(VideoState::ALL.len(), 11);
        assert_eq!(VideoState::TranscodingFailed.id(), 7);
        assert_eq!(VideoState::TranscodingFailed.label(), "Transcoding failed");
        assert_eq!(
            CommentsPolicy::RequiresApproval.label(),
            "Requires approval"
        );
        assert_eq!(Role::Administrator.id(), 0);
        assert_eq!(ActorType::parse("Group"), Some(ActorType::Group));
        assert_eq!(FollowState::Accepted.as_str(), "accepted");
        assert_eq!(JobState::parse("paused"), None);
        assert_eq!(Rating::Dislike.as_str(), "dislike");
    }
}
