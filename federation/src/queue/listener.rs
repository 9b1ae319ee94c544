//! LISTEN on `ferrotube_jobs` over a dedicated connection: the jobs table's trigger notifies it
//! when a job becomes runnable, so idle workers start at once instead of at the next poll.
//! Polling stays the fall-back while this connection is down.

use std::future::poll_fn;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio_postgres::{AsyncMessage, NoTls};

const CHANNEL: &str = "ferrotube_jobs";

/// Wakes `wake` on every notification, reconnecting forever; ends when its task is aborted.
pub async fn listen(database_url: String, wake: Arc<Notify>) {
    let mut retry = Duration::from_millis(500);
    loop {
        match listen_once(&database_url, &wake, &mut retry).await {
            Ok(()) => tracing::warn!("the job notification connection closed; reconnecting"),
            Err(e) => {
                tracing::warn!(error = %e, "job notifications unavailable; polling meanwhile")
            }
        }
        tokio::time::sleep(retry).await;
        retry = (retry * 2).min(Duration::from_secs(30));
    }
}

async fn listen_once(
    database_url: &str,
    wake: &Notify,
    retry: &mut Duration,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = tokio_postgres::connect(database_url, NoTls).await?;
    let statement = format!("LISTEN {CHANNEL}");
    let mut listen = std::pin::pin!(client.batch_execute(&statement));
    let mut listening = false;
    loop {
        tokio::select! {
            done = &mut listen, if !listening => {
                done?;
                listening = true;
                *retry = Duration::from_millis(500);
                tracing::debug!("listening for job notifications");
                // Whatever was enqueued while we were not listening.
                wake.notify_one();
            }
            message = poll_fn(|cx| connection.poll_message(cx)) => match message {
                Some(Ok(AsyncMessage::Notification(_))) => wake.notify_one(),
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            },
        }
    }
}
