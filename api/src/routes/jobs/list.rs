//! `GET /api/v1/jobs/{state}` and `GET /api/v1/jobs` (MANAGE_JOBS): the job queue as PeerTube's
//! admin pages show it.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use chrono::Utc;
use ferrotube_federation::AppState;
use ferrotube_federation::models::job::{Job, JobState};
use ferrotube_federation::models::user::UserRight;
use ferrotube_federation::time;
use serde_json::{Value, json};

use super::types;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::fields::Fields;
use crate::pagination::{List, Page};

/// PeerTube's other states, which this queue never has: no pause, no parent jobs, and
/// prioritized jobs are listed as waiting.
const EMPTY_STATES: &[&str] = &["paused", "waiting-children", "prioritized"];

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    path: Option<Path<String>>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<List<Value>>> {
    auth.require(UserRight::ManageJobs)?;
    let mut q = Fields::from_query(query.as_deref());
    let page = Page::read(&mut q, &["createdAt"], "-createdAt");
    let job_type = q.opt_str("jobType", types::is_known);
    q.finish()?;
    let job_state = match path.as_deref().map(String::as_str) {
        None | Some("") => None,
        Some(s) if EMPTY_STATES.contains(&s) => {
            return Ok(Json(List {
                total: 0,
                data: vec![],
            }));
        }
        Some(s) => Some(
            JobState::parse(s)
                .ok_or_else(|| ApiError::invalid_field("params", "state", json!(s)))?,
        ),
    };
    let now = Utc::now();
    let mut conn = state.conn().await?;
    let (total, jobs) = Job::list(
        &mut conn,
        job_state,
        job_type.as_deref(),
        now,
        (page.start, page.count),
        !page.descending(),
    )
    .await?;
    let data = jobs.iter().map(|j| job_json(j, now)).collect();
    Ok(Json(List { total, data }))
}

/// PeerTube's `Job` (its `formatJob`): unset dates are null, `error` is the last failure.
fn job_json(job: &Job, now: chrono::DateTime<Utc>) -> Value {
    json!({
        "id": job.id,
        "state": job.effective_state(now).as_str(),
        "type": job.job_type,
        "data": job.payload,
        "priority": job.priority,
        "progress": job.progress,
        "error": job.error,
        "createdAt": time::iso(&job.created_at),
        "finishedOn": job.finished_on.as_ref().map(time::iso),
        "processedOn": job.processed_on.as_ref().map(time::iso),
    })
}
