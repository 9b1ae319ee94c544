//! WebFinger (RFC 7033) answers for local actors.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Webfinger {
    pub subject: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub links: Vec<WebfingerLink>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WebfingerLink {
    pub rel: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
}

impl Webfinger {
    pub fn for_actor(subject: String, actor_url: &str, base_url: &str) -> Self {
        Self {
            subject,
            aliases: vec![actor_url.to_string()],
            links: vec![
                WebfingerLink {
                    rel: "self".into(),
                    kind: Some("application/activity+json".into()),
                    href: Some(actor_url.into()),
                    template: None,
                },
                WebfingerLink {
                    rel: "http://ostatus.org/schema/1.0/subscribe".into(),
                    kind: None,
                    href: None,
                    template: Some(format!("{base_url}/remote-interaction?uri={{uri}}")),
                },
            ],
        }
    }

    /// The ActivityPub actor URL a remote WebFinger answer points at.
    pub fn actor_url(&self) -> Option<&str> {
        self.links
            .iter()
            .find(|l| {
                l.rel == "self"
                    && l.kind.as_deref().is_some_and(|t| {
                        t.starts_with("application/activity+json")
                            || t.starts_with("application/ld+json")
                    })
            })
            .and_then(|l| l.href.as_deref())
    }
}

/// Splits `acct:name@host` (the `acct:` prefix optional) into name and host.
pub fn parse_acct(resource: &str) -> Option<(&str, &str)> {
    let rest = resource.strip_prefix("acct:").unwrap_or(resource);
    let (name, host) = rest.split_once('@')?;
    (!name.is_empty() && !host.is_empty() && !host.contains('@')).then_some((name, host))
}
