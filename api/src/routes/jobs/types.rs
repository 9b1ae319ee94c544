//! The job types `jobType` may name: PeerTube's list (clients ask for any of them, whether
//! or not ferrotube runs such jobs), then ferrotube's own. A REST concern: the queue itself
//! knows no job names.

use ferrotube_federation::housekeeping_job::Housekeeping;
use ferrotube_federation::inbox::InboxJob;
use ferrotube_federation::outbox::follow_resend_job::ResendPendingFollows;
use ferrotube_federation::outbox::score_purge_job::PurgeFollowScores;
use ferrotube_federation::queue::BackgroundJob;
use ferrotube_federation::video::jobs::thumbnails::MakeThumbnails;
use ferrotube_federation::video::jobs::uploads_purge::PurgeUploads;
use ferrotube_federation::video::jobs::views_flush::FlushViews;

/// PeerTube's `jobTypes`, as its admin API accepts them.
pub const PEERTUBE: &[&str] = &[
    "activitypub-cleaner",
    "activitypub-follow",
    "activitypub-http-broadcast-parallel",
    "activitypub-http-broadcast",
    "activitypub-http-fetcher",
    "activitypub-http-unicast",
    "activitypub-refresher",
    "actor-keys",
    "after-video-channel-import",
    "email",
    "federate-video",
    "generate-video-storyboard",
    "manage-video-torrent",
    "move-to-object-storage",
    "move-to-file-system",
    "notify",
    "transcoding-job-builder",
    "video-channel-import",
    "video-file-import",
    "video-import",
    "video-live-ending",
    "video-redundancy",
    "video-studio-edition",
    "video-transcription",
    "videos-views-stats",
    "create-user-export",
    "import-user-archive",
    "video-transcoding",
];

/// ferrotube's job types that PeerTube does not have.
pub const OWN: &[&str] = &[
    Housekeeping::NAME,
    InboxJob::NAME,
    PurgeFollowScores::NAME,
    ResendPendingFollows::NAME,
    MakeThumbnails::NAME,
    FlushViews::NAME,
    PurgeUploads::NAME,
];

pub fn is_known(job_type: &str) -> bool {
    PEERTUBE.contains(&job_type) || OWN.contains(&job_type)
}
