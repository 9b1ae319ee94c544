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

/// The context of Video objects: the base three and PeerTube's video terms.
pub fn video() -> Value {
    let num = |id: &str| json!({ "@type": "sc:Number", "@id": id });
    let boolean = |id: &str| json!({ "@type": "sc:Boolean", "@id": id });
    let link = |id: &str| json!({ "@id": id, "@type": "@id" });
    json!([
        ACTIVITYSTREAMS,
        SECURITY_V1,
        { "RsaSignature2017": "https://w3id.org/security#RsaSignature2017" },
        {
            "pt": "https://joinpeertube.org/ns#",
            "sc": "http://schema.org/",
            "Hashtag": "as:Hashtag",
            "category": "sc:category",
            "licence": "sc:license",
            "subtitleLanguage": "sc:subtitleLanguage",
            "automaticallyGenerated": "pt:automaticallyGenerated",
            "sensitive": "as:sensitive",
            "language": "sc:inLanguage",
            "identifier": "sc:identifier",
            "isLiveBroadcast": "sc:isLiveBroadcast",
            "liveSaveReplay": boolean("pt:liveSaveReplay"),
            "permanentLive": boolean("pt:permanentLive"),
            "latencyMode": num("pt:latencyMode"),
            "Infohash": "pt:Infohash",
            "tileWidth": num("pt:tileWidth"),
            "tileHeight": num("pt:tileHeight"),
            "tileDuration": num("pt:tileDuration"),
            "aspectRatio": { "@type": "sc:Float", "@id": "pt:aspectRatio" },
            "uuid": { "@type": "sc:identifier", "@id": "pt:uuid" },
            "originallyPublishedAt": "sc:datePublished",
            "uploadDate": "sc:uploadDate",
            "hasParts": "sc:hasParts",
            "views": num("pt:views"),
            "state": num("pt:state"),
            "size": num("pt:size"),
            "fps": num("pt:fps"),
            "commentsEnabled": boolean("pt:commentsEnabled"),
            "canReply": "pt:canReply",
            "commentsPolicy": num("pt:commentsPolicy"),
            "downloadEnabled": boolean("pt:downloadEnabled"),
            "waitTranscoding": boolean("pt:waitTranscoding"),
            "support": { "@type": "sc:Text", "@id": "pt:support" },
            "likes": link("as:likes"),
            "dislikes": link("as:dislikes"),
            "shares": link("as:shares"),
            "comments": link("as:comments"),
            "PropertyValue": "sc:PropertyValue",
            "value": "sc:value"
        }
    ])
}
