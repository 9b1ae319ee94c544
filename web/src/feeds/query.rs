//! The feed's query parameters, checked as PeerTube's validators check them, and the format.

use axum::http::{HeaderMap, HeaderValue, header};
use diesel_async::AsyncPgConnection;
use ferrotube_federation::models::account::AccountFull;
use ferrotube_federation::models::channel::ChannelFull;
use ferrotube_federation::models::video::{VIDEO_SORTS, VideoScope};
use serde::Deserialize;

use crate::error::{WebError, WebResult};
use crate::handle;
use crate::site::Site;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    account_id: Option<String>,
    account_name: Option<String>,
    video_channel_id: Option<String>,
    video_channel_name: Option<String>,
    sort: Option<String>,
    nsfw: Option<String>,
    is_local: Option<String>,
    format: Option<String>,
}

#[derive(Debug)]
pub struct FeedQuery {
    account_id: Option<i64>,
    account_name: Option<String>,
    channel_id: Option<i64>,
    channel_name: Option<String>,
    pub sort: String,
    /// `None`: the instance's policy; `Some(None)`: both.
    pub nsfw: Option<Option<bool>>,
    pub is_local: Option<bool>,
    pub format: Option<String>,
}

fn invalid(name: &'static str, value: &str) -> WebError {
    WebError::InvalidQuery {
        name,
        value: Some(value.to_string()),
    }
}

fn id(name: &'static str, value: Option<String>) -> WebResult<Option<i64>> {
    value
        .map(|v| {
            v.parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| invalid(name, &v))
        })
        .transpose()
}

fn boolean(name: &'static str, value: Option<String>) -> WebResult<Option<bool>> {
    value
        .map(|v| match v.as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(invalid(name, &v)),
        })
        .transpose()
}

impl FeedQuery {
    pub fn parse(raw: Option<&str>) -> WebResult<Self> {
        let r: Raw = serde_urlencoded::from_str(raw.unwrap_or_default())
            .map_err(|e| WebError::BadRequest(e.to_string()))?;
        let sort = match r.sort {
            None => "-publishedAt".to_string(),
            Some(s) if VIDEO_SORTS.contains(&s.trim_start_matches('-')) => s,
            Some(s) => return Err(invalid("sort", &s)),
        };
        let nsfw = r
            .nsfw
            .map(|v| match v.as_str() {
                "true" => Ok(Some(true)),
                "false" => Ok(Some(false)),
                "both" => Ok(None),
                _ => Err(invalid("nsfw", &v)),
            })
            .transpose()?;
        if let Some(f) = r
            .format
            .as_deref()
            .filter(|f| FeedFormat::parse(f).is_none())
        {
            return Err(invalid("format", f));
        }
        Ok(Self {
            account_id: id("accountId", r.account_id)?,
            account_name: r.account_name,
            channel_id: id("videoChannelId", r.video_channel_id)?,
            channel_name: r.video_channel_name,
            sort,
            nsfw,
            is_local: boolean("isLocal", r.is_local)?,
            format: r.format,
        })
    }

    /// Whose videos: a channel wins over an account, as in PeerTube's feed; 404 when unknown.
    pub async fn source(&self, conn: &mut AsyncPgConnection, site: &Site) -> WebResult<Source> {
        let mut account = None;
        let mut channel = None;
        if let Some(id) = self.account_id {
            account = Some(
                AccountFull::load(conn, id)
                    .await?
                    .ok_or(WebError::NotFound("Account not found"))?,
            );
        }
        if let Some(id) = self.channel_id {
            channel = Some(
                ChannelFull::load(conn, id)
                    .await?
                    .ok_or(WebError::NotFound("Video channel not found"))?,
            );
        }
        if let Some(name) = &self.account_name {
            account = Some(handle::account(conn, site, name).await?);
        }
        if let Some(name) = &self.channel_name {
            channel = Some(handle::channel(conn, site, name).await?);
        }
        Ok(match (channel, account) {
            (Some(c), _) => Source::Channel(Box::new(c)),
            (None, Some(a)) => Source::Account(Box::new(a)),
            (None, None) => Source::Instance,
        })
    }
}

pub enum Source {
    Instance,
    Account(Box<AccountFull>),
    Channel(Box<ChannelFull>),
}

impl Source {
    pub fn scope(&self) -> VideoScope {
        match self {
            Self::Instance => VideoScope::All,
            Self::Account(a) => VideoScope::Account(a.account.id),
            Self::Channel(c) => VideoScope::Channel(c.channel.id),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FeedFormat {
    Rss,
    Atom,
    Json,
}

impl FeedFormat {
    fn parse(name: &str) -> Option<Option<Self>> {
        match name {
            "rss" | "rss2" => Some(Some(Self::Rss)),
            "atom" | "atom1" => Some(Some(Self::Atom)),
            "json" | "json1" => Some(Some(Self::Json)),
            // `.xml`: the `format` parameter decides, RSS otherwise.
            "xml" => Some(None),
            _ => None,
        }
    }

    /// From the file extension, and for `.xml` from `?format=`.
    pub fn choose(extension: &str, format: Option<&str>) -> WebResult<Self> {
        match Self::parse(extension) {
            Some(Some(f)) => Ok(f),
            Some(None) => Ok(format.and_then(Self::parse).flatten().unwrap_or(Self::Rss)),
            None => Err(WebError::NotFound("Feed not found")),
        }
    }

    fn content_types(self) -> &'static [&'static str] {
        match self {
            Self::Rss => &["application/rss+xml", "application/xml", "text/xml"],
            Self::Atom => &["application/atom+xml", "application/xml", "text/xml"],
            Self::Json => &["application/json"],
        }
    }

    /// The first of the format's types the client accepts (406 when none), as PeerTube sets
    /// the feed's content type.
    pub fn negotiate(self, headers: &HeaderMap) -> WebResult<HeaderValue> {
        let offered = self.content_types();
        let accept = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("*/*");
        let ranges: Vec<(&str, bool)> = accept
            .split(',')
            .map(|r| {
                let mut parts = r.split(';');
                let media = parts.next().unwrap_or("").trim();
                let refused = parts.any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                (media, !refused)
            })
            .collect();
        let accepts = |t: &str| {
            let major = t.split('/').next().unwrap_or("");
            ranges.iter().any(|(m, ok)| {
                *ok && (m.eq_ignore_ascii_case(t)
                    || *m == "*/*"
                    || m.strip_suffix("/*")
                        .is_some_and(|p| p.eq_ignore_ascii_case(major)))
            })
        };
        offered
            .iter()
            .find(|t| accepts(t))
            .map(|t| HeaderValue::from_static(t))
            .ok_or_else(|| {
                WebError::NotAcceptable(format!(
                    "You should accept at least one of the following content-types: {}",
                    offered.join(", ")
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, HeaderValue::from_static(v));
        h
    }

    #[test]
    fn formats_and_content_types() {
        assert_eq!(FeedFormat::choose("xml", None).ok(), Some(FeedFormat::Rss));
        assert_eq!(
            FeedFormat::choose("xml", Some("atom")).ok(),
            Some(FeedFormat::Atom)
        );
        assert_eq!(
            FeedFormat::choose("atom", None).ok(),
            Some(FeedFormat::Atom)
        );
        assert_eq!(
            FeedFormat::choose("json1", None).ok(),
            Some(FeedFormat::Json)
        );
        assert!(FeedFormat::choose("html", None).is_err());
        let rss = FeedFormat::Rss;
        assert_eq!(
            rss.negotiate(&HeaderMap::new()).ok(),
            Some(HeaderValue::from_static("application/rss+xml"))
        );
        assert_eq!(
            rss.negotiate(&accept("text/xml")).ok(),
            Some(HeaderValue::from_static("text/xml"))
        );
        assert!(FeedFormat::Json.negotiate(&accept("text/html")).is_err());
        assert!(FeedFormat::Json.negotiate(&accept("application/*")).is_ok());
    }

    #[test]
    fn query_checks() {
        assert!(FeedQuery::parse(Some("sort=-views&nsfw=both&isLocal=true")).is_ok());
        assert!(FeedQuery::parse(Some("sort=bogus")).is_err());
        assert!(FeedQuery::parse(Some("accountId=abc")).is_err());
        assert!(FeedQuery::parse(Some("isLocal=maybe")).is_err());
        assert!(FeedQuery::parse(Some("format=html")).is_err());
    }
}
