//! PeerTube's JSON-LD `@context` values. Kept inline so that nothing is fetched at run time.

use serde_json::{Value, json};

pub const ACTIVITYSTREAMS: &str = "https://www.w3.org/ns/activitystreams";
pub const SECURITY_V1: &str = "https://w3id.org/security/v1";
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// The three entries every PeerTube document starts with; Collection, Follow, Accept,
/// Reject, Announce, Delete and Rate carry only these.
pub fn base() -> Value {
    json!([
        ACTIVITYSTREAMS,
        SECURITY_V1,
        { "RsaSignature2017": "https://w3id.org/security#RsaSignature2017" }
    ])
}

/// The context of actor documents (Person, Group, Application).
pub fn actor() -> Value {
    json!([
        ACTIVITYSTREAMS,
        SECURITY_V1,
        { "RsaSignature2017": "https://w3id.org/security#RsaSignature2017" },
        {
            "pt": "https://joinpeertube.org/ns#",
            "sc": "http://schema.org/",
            "playlists": { "@id": "pt:playlists", "@type": "@id" },
            "support": { "@type": "sc:Text", "@id": "pt:support" },
            "lemmy": "https://join-lemmy.org/ns#",
            "postingRestrictedToMods": "lemmy:postingRestrictedToMods",
            "icons": "as:icon"
        }
    ])
}
