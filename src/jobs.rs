//! The job types this binary runs, and its runner, inside `ferrotube serve` and alone as
//! `ferrotube worker`. The engine is `ferrotube_federation::queue`; the jobs live beside their
//! domains.

use ferrotube_federation::AppState;
use ferrotube_federation::config::Config;
use ferrotube_federation::housekeeping_job::Housekeeping;
use ferrotube_federation::inbox::InboxJob;
use ferrotube_federation::outbox::delivery_job::Delivery;
use ferrotube_federation::outbox::follow_job::FollowJob;
use ferrotube_federation::outbox::follow_resend_job::ResendPendingFollows;
use ferrotube_federation::outbox::score_purge_job::PurgeFollowScores;
use ferrotube_federation::queue::{self, JobRegistry, RunnerHandle, Settings};
use ferrotube_federation::remote::fetcher_job::FetchCollection;
use ferrotube_federation::video::jobs::federate::FederateVideo;
use ferrotube_federation::video::jobs::refresh::RefreshVideo;
use ferrotube_federation::video::jobs::thumbnails::MakeThumbnails;
use ferrotube_federation::video::jobs::torrent::BuildTorrent;
use ferrotube_federation::video::jobs::transcode::TranscodeVideo;
use ferrotube_federation::video::jobs::uploads_purge::PurgeUploads;
use ferrotube_federation::video::jobs::views_flush::FlushViews;

/// Every job type this binary runs, and the jobs it schedules. A new job type is added here.
pub fn registry(config: &Config) -> JobRegistry<AppState> {
    let mut registry = JobRegistry::new();
    registry
        .register::<InboxJob>()
        .register::<Delivery>()
        .register::<FollowJob>()
        .register::<FetchCollection>()
        .register::<MakeThumbnails>()
        .register::<BuildTorrent>()
        .register::<TranscodeVideo>()
        .register::<FederateVideo>()
        .register::<RefreshVideo>()
        .repeat::<Housekeeping>(config.jobs.housekeeping_interval)
        .repeat::<PurgeFollowScores>(PurgeFollowScores::EVERY)
        .repeat::<ResendPendingFollows>(config.federation.pending_follows.check_interval)
        .repeat::<FlushViews>(config.views.videos.local_buffer_update_interval)
        .repeat::<PurgeUploads>(PurgeUploads::EVERY);
    registry
}

/// Starts this binary's runner; stop it with `RunnerHandle::shutdown`.
pub fn spawn(state: &AppState) -> RunnerHandle {
    let registry = registry(&state.config);
    let settings = Settings::new(&state.config, &registry);
    queue::start(state.db.clone(), state.clone(), registry, settings)
}

#[cfg(test)]
mod tests {
    use ferrotube_api::routes::job_types as types;
    use ferrotube_federation::queue::{BackgroundJob, JobContext, JobError};
    use serde::{Deserialize, Serialize};

    use super::*;

    /// Job types of names this binary does not run, to read their settings.
    macro_rules! idle_job {
        ($ty:ident, $name:literal) => {
            #[derive(Serialize, Deserialize)]
            struct $ty {}

            impl BackgroundJob for $ty {
                const NAME: &'static str = $name;
                type Context = AppState;

                async fn run(self, _ctx: JobContext<AppState>) -> Result<(), JobError> {
                    Ok(())
                }
            }
        };
    }

    idle_job!(Email, "email");
    idle_job!(Unlisted, "test-unlisted");

    fn ok<T, E: std::fmt::Debug>(r: Result<T, E>, what: &str) -> T {
        match r {
            Ok(v) => v,
            Err(e) => panic!("{what}: {e:?}"),
        }
    }

    #[test]
    fn every_registered_type_is_listed_for_the_admin_api() {
        let config = ok(crate::config::load(None), "default configuration");
        for t in super::registry(&config).job_types() {
            assert!(
                types::is_known(&t),
                "{t} missing from the admin API's job types"
            );
        }
    }

    #[test]
    fn concurrency_comes_from_the_config_in_either_spelling() {
        let path = std::env::temp_dir().join(format!("ft-jobs-{}.yaml", std::process::id()));
        let yaml = "jobs:\n  concurrency:\n    video_transcoding: 0\n    email: 7\n";
        ok(std::fs::write(&path, yaml), "write config");
        let loaded = crate::config::load(Some(&path));
        let _ = std::fs::remove_file(&path);
        let mut config = ok(loaded, "configuration");
        config.transcoding.concurrency = 4;
        let mut registry = JobRegistry::new();
        registry
            .register::<TranscodeVideo>()
            .register::<Email>()
            .register::<BuildTorrent>()
            .register::<Unlisted>();
        let settings = Settings::new(&config, &registry);
        let of = |t: &str| settings.concurrency.get(t).copied();
        // The environment's spelling (underscores) wins over the default file's.
        assert_eq!(of("video-transcoding"), Some(0));
        assert_eq!(of("email"), Some(7));
        assert_eq!(of("manage-video-torrent"), Some(1));
        assert_eq!(of("test-unlisted"), Some(1));
        config.jobs.concurrency.remove("video_transcoding");
        assert_eq!(
            Settings::new(&config, &registry)
                .concurrency
                .get("video-transcoding"),
            Some(&4),
            "transcoding.concurrency, as PeerTube"
        );
    }

    /// PeerTube's attempts and concurrency where it has the job, as the default configuration
    /// leaves them; the delivery's attempts are ferrotube's (PeerTube tries once).
    #[test]
    fn job_types_carry_peertube_attempts_and_concurrency() {
        assert_eq!(FollowJob::MAX_ATTEMPTS, 5);
        assert_eq!(InboxJob::MAX_ATTEMPTS, 1);
        assert_eq!(Delivery::MAX_ATTEMPTS, 11);
        assert_eq!(MakeThumbnails::MAX_ATTEMPTS, 3);
        let config = ok(crate::config::load(None), "default configuration");
        let settings = Settings::new(&config, &registry(&config));
        let of = |t: &str| settings.concurrency.get(t).copied();
        assert_eq!(of(Delivery::NAME), Some(30));
        assert_eq!(of(FederateVideo::NAME), Some(3));
        assert_eq!(of(FollowJob::NAME), Some(1));
        assert_eq!(FetchCollection::MAX_ATTEMPTS, 2);
        assert_eq!(of(FetchCollection::NAME), Some(3));
        assert_eq!(
            of(TranscodeVideo::NAME),
            usize::try_from(config.transcoding.concurrency).ok()
        );
    }
}
