//! The instance configuration. Keys follow PeerTube's `config/default.yaml` where PeerTube has
//! one, so an admin's knowledge carries over. Loading (files, environment) is the binary's job.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

mod delivery;
mod jobs;
pub use delivery::{Delivery, OutboxCrawl, PendingFollows};
pub use jobs::Jobs;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub listen: Listen,
    pub webserver: Webserver,
    #[serde(default)]
    pub trust_proxy: Vec<String>,
    pub database: Database,
    pub redis: Redis,
    pub storage: Storage,
    pub signup: Signup,
    pub user: UserDefaults,
    pub federation: Federation,
    pub followers: Followers,
    pub followings: Followings,
    pub tracker: Tracker,
    pub transcoding: Transcoding,
    pub instance: Instance,
    pub rates_limit: RatesLimit,
    pub oauth2: OAuth2,
    pub video_channels: VideoChannels,
    pub admin: Admin,
    pub views: Views,
    pub log: Log,
    pub jobs: Jobs,
    #[serde(default)]
    pub webrtc: Webrtc,
    #[serde(default)]
    pub feeds: Feeds,
    #[serde(default)]
    pub client: Client,
}

/// What browsers use to connect to each other for peer-to-peer segment sharing.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Webrtc {
    /// ICE servers (`stun:host:port`) handed to the player. Empty by default, so that no
    /// third-party host is contacted unless the admin names one; peers on the same network
    /// still connect through host candidates.
    #[serde(default)]
    pub stun_servers: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feeds {
    pub videos: FeedsVideos,
}

impl Default for Feeds {
    fn default() -> Self {
        Self {
            videos: FeedsVideos { count: 20 },
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedsVideos {
    /// Items per video feed (PeerTube's `feeds.videos.count`).
    pub count: i64,
}

/// The web pages' browser assets.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    /// The built player (`scripts/build-player` writes `player/dist/`): its `manifest.json`
    /// names the hashed files. Relative paths are from the working directory.
    pub player_dist: PathBuf,
}

impl Default for Client {
    fn default() -> Self {
        Self {
            player_dist: PathBuf::from("player/dist"),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Views {
    pub videos: ViewsVideos,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewsVideos {
    /// How often buffered views are added to the videos (PeerTube's default: 30 minutes).
    #[serde(deserialize_with = "duration")]
    pub local_buffer_update_interval: Duration,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Admin {
    /// E-mail address of the `root` user created at first start.
    pub email: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listen {
    pub hostname: String,
    pub port: u16,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Webserver {
    pub https: bool,
    pub hostname: String,
    pub port: u16,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Database {
    pub hostname: String,
    pub port: u16,
    pub name: String,
    pub username: String,
    #[serde(default)]
    pub password: String,
    pub pool: DatabasePool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabasePool {
    pub max: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Redis {
    pub hostname: String,
    pub port: u16,
    #[serde(default)]
    pub auth: Option<String>,
    pub db: u32,
    /// Prefix of every key we write; empty means PeerTube's `redis-{HOST}-`.
    #[serde(default)]
    pub prefix: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    /// One data folder; every media folder below derives from it unless set on its own.
    pub root: PathBuf,
    #[serde(default)]
    pub tmp: Option<PathBuf>,
    #[serde(default)]
    pub web_videos: Option<PathBuf>,
    #[serde(default)]
    pub thumbnails: Option<PathBuf>,
    #[serde(default)]
    pub previews: Option<PathBuf>,
    #[serde(default)]
    pub torrents: Option<PathBuf>,
    #[serde(default)]
    pub avatars: Option<PathBuf>,
    #[serde(default)]
    pub streaming_playlists: Option<PathBuf>,
}

impl Storage {
    fn sub(&self, own: &Option<PathBuf>, name: &str) -> PathBuf {
        own.clone().unwrap_or_else(|| self.root.join(name))
    }
    pub fn tmp_dir(&self) -> PathBuf {
        self.sub(&self.tmp, "tmp")
    }
    pub fn web_videos_dir(&self) -> PathBuf {
        self.sub(&self.web_videos, "web-videos")
    }
    pub fn thumbnails_dir(&self) -> PathBuf {
        self.sub(&self.thumbnails, "thumbnails")
    }
    pub fn previews_dir(&self) -> PathBuf {
        self.sub(&self.previews, "previews")
    }
    pub fn torrents_dir(&self) -> PathBuf {
        self.sub(&self.torrents, "torrents")
    }
    pub fn avatars_dir(&self) -> PathBuf {
        self.sub(&self.avatars, "avatars")
    }
    /// HLS playlists and renditions live in `hls/{videoUuid}/` under it, as in PeerTube.
    pub fn hls_dir(&self) -> PathBuf {
        self.sub(&self.streaming_playlists, "streaming-playlists")
            .join("hls")
    }
    pub fn all_dirs(&self) -> Vec<PathBuf> {
        vec![
            self.tmp_dir(),
            self.web_videos_dir(),
            self.thumbnails_dir(),
            self.previews_dir(),
            self.torrents_dir(),
            self.avatars_dir(),
            self.hls_dir(),
        ]
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signup {
    pub enabled: bool,
    /// Maximum number of local users signup may create; -1 for no limit.
    pub limit: i64,
    pub requires_approval: bool,
    pub requires_email_verification: bool,
    pub minimum_age: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserDefaults {
    pub video_quota: i64,
    pub video_quota_daily: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Federation {
    pub enabled: bool,
    /// Refuse remote fetches to private and loopback addresses.
    pub prevent_ssrf: bool,
    pub sign_federated_fetches: bool,
    /// RSA size of new actor keys: PeerTube uses 2048 (1024 in its dev mode).
    pub actor_key_bits: usize,
    pub delivery: Delivery,
    pub pending_follows: PendingFollows,
    pub outbox_crawl: OutboxCrawl,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Followers {
    pub instance: FollowersInstance,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowersInstance {
    pub enabled: bool,
    pub manual_approval: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Followings {
    pub instance: FollowingsInstance,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowingsInstance {
    /// When a remote PeerTube server actor follows ours and is accepted, follow it back.
    pub auto_follow_back: Toggle,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tracker {
    pub enabled: bool,
    pub private: bool,
    pub reject_too_many_announces: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transcoding {
    pub enabled: bool,
    pub threads: u32,
    pub concurrency: u32,
    pub resolutions: Resolutions,
    pub web_videos: Toggle,
    pub hls: Toggle,
    pub always_transcode_original_resolution: bool,
    /// Frame rate cap of transcoded files (PeerTube's `fps.max`).
    pub fps_max: i32,
    /// An ffmpeg run longer than this is killed and the video marked failed.
    #[serde(deserialize_with = "duration")]
    pub timeout: Duration,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Toggle {
    pub enabled: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resolutions {
    #[serde(rename = "0p")]
    pub r0: bool,
    #[serde(rename = "144p")]
    pub r144: bool,
    #[serde(rename = "240p")]
    pub r240: bool,
    #[serde(rename = "360p")]
    pub r360: bool,
    #[serde(rename = "480p")]
    pub r480: bool,
    #[serde(rename = "720p")]
    pub r720: bool,
    #[serde(rename = "1080p")]
    pub r1080: bool,
    #[serde(rename = "1440p")]
    pub r1440: bool,
    #[serde(rename = "2160p")]
    pub r2160: bool,
}

impl Resolutions {
    /// Enabled resolutions, lowest first, as PeerTube lists them.
    pub fn enabled(&self) -> Vec<u32> {
        [
            (0, self.r0),
            (144, self.r144),
            (240, self.r240),
            (360, self.r360),
            (480, self.r480),
            (720, self.r720),
            (1080, self.r1080),
            (1440, self.r1440),
            (2160, self.r2160),
        ]
        .into_iter()
        .filter_map(|(r, on)| on.then_some(r))
        .collect()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    pub name: String,
    pub short_description: String,
    pub description: String,
    pub terms: String,
    pub code_of_conduct: String,
    pub moderation_information: String,
    pub creation_reason: String,
    pub administrator: String,
    pub maintenance_lifetime: String,
    pub business_model: String,
    pub hardware_information: String,
    pub languages: Vec<String>,
    pub categories: Vec<i32>,
    pub is_nsfw: bool,
    pub default_nsfw_policy: String,
    pub default_client_route: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatesLimit {
    pub api: RateLimit,
    pub login: RateLimit,
    pub signup: RateLimit,
    pub activity_pub: RateLimit,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    #[serde(deserialize_with = "duration")]
    pub window: Duration,
    pub max: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuth2 {
    pub token_lifetime: TokenLifetime,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenLifetime {
    #[serde(deserialize_with = "duration")]
    pub access_token: Duration,
    #[serde(deserialize_with = "duration")]
    pub refresh_token: Duration,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VideoChannels {
    pub max_per_user: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Log {
    pub level: String,
}

/// Accepts PeerTube's duration strings ("10 seconds", "5 minutes", "1 day", "2 weeks") or a
/// plain number of seconds.
fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Secs(u64),
        Text(String),
    }
    match Raw::deserialize(d)? {
        Raw::Secs(s) => Ok(Duration::from_secs(s)),
        Raw::Text(t) => parse_duration(&t).ok_or_else(|| {
            serde::de::Error::custom(format!("invalid duration {t:?} (try \"10 seconds\")"))
        }),
    }
}

pub fn parse_duration(text: &str) -> Option<Duration> {
    let mut parts = text.split_whitespace();
    let n: u64 = parts.next()?.parse().ok()?;
    let unit = parts.next().unwrap_or("seconds");
    if parts.next().is_some() {
        return None;
    }
    let secs = match unit.trim_end_matches('s') {
        "millisecond" | "m" => return Some(Duration::from_millis(n)),
        "second" | "sec" => 1,
        "minute" | "min" => 60,
        "hour" => 3600,
        "day" => 86_400,
        "week" => 604_800,
        _ => return None,
    };
    Some(Duration::from_secs(n * secs))
}

impl Config {
    /// Checks what serde cannot: every message names the key at fault.
    pub fn validate(&self) -> Result<(), String> {
        if self.webserver.hostname.trim().is_empty() {
            return Err("webserver.hostname must not be empty".into());
        }
        if self.webserver.hostname.contains('/') || self.webserver.hostname.contains(':') {
            return Err("webserver.hostname must be a bare host name (no scheme or port)".into());
        }
        if self.webserver.port == 0 {
            return Err("webserver.port must be between 1 and 65535".into());
        }
        if self.database.pool.max == 0 {
            return Err("database.pool.max must be at least 1".into());
        }
        if self.database.name.trim().is_empty() {
            return Err("database.name must not be empty".into());
        }
        if self.user.video_quota < -1 {
            return Err("user.video_quota must be -1 (unlimited) or a number of bytes".into());
        }
        if self.user.video_quota_daily < -1 {
            return Err(
                "user.video_quota_daily must be -1 (unlimited) or a number of bytes".into(),
            );
        }
        if !(1024..=8192).contains(&self.federation.actor_key_bits) {
            return Err("federation.actor_key_bits must be between 1024 and 8192".into());
        }
        if !["do_not_list", "blur", "display"].contains(&self.instance.default_nsfw_policy.as_str())
        {
            return Err("instance.default_nsfw_policy must be do_not_list, blur or display".into());
        }
        if self.storage.root.as_os_str().is_empty() {
            return Err("storage.root must not be empty".into());
        }
        let t = &self.transcoding;
        if t.enabled && !t.web_videos.enabled && !t.hls.enabled {
            // PeerTube refuses this too: transcoding would produce nothing to play.
            return Err(
                "transcoding.web_videos.enabled or transcoding.hls.enabled must be true".into(),
            );
        }
        if !(1..=1000).contains(&self.feeds.videos.count) {
            return Err("feeds.videos.count must be between 1 and 1000".into());
        }
        if let Some(bad) = self
            .webrtc
            .stun_servers
            .iter()
            .find(|s| !(s.starts_with("stun:") || s.starts_with("stuns:")))
        {
            return Err(format!(
                "webrtc.stun_servers: {bad:?} is not a stun: or stuns: URL"
            ));
        }
        self.jobs.validate()?;
        self.federation.delivery.validate()?;
        self.federation.pending_follows.validate()?;
        Ok(())
    }

    pub fn database_url(&self) -> String {
        self.database_url_for(&self.database.name)
    }

    pub fn database_url_for(&self, name: &str) -> String {
        let d = &self.database;
        let auth = if d.password.is_empty() {
            d.username.clone()
        } else {
            format!("{}:{}", d.username, d.password)
        };
        format!("postgres://{auth}@{}:{}/{name}", d.hostname, d.port)
    }

    pub fn redis_url(&self) -> String {
        let r = &self.redis;
        match &r.auth {
            Some(pass) => format!("redis://:{pass}@{}:{}/{}", r.hostname, r.port, r.db),
            None => format!("redis://{}:{}/{}", r.hostname, r.port, r.db),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_like_peertube() {
        assert_eq!(parse_duration("10 seconds"), Some(Duration::from_secs(10)));
        assert_eq!(parse_duration("5 minutes"), Some(Duration::from_secs(300)));
        assert_eq!(parse_duration("1 day"), Some(Duration::from_secs(86_400)));
        assert_eq!(
            parse_duration("2 weeks"),
            Some(Duration::from_secs(1_209_600))
        );
        assert_eq!(parse_duration("soon"), None);
    }
}
