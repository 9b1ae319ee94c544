//! Content negotiation between ActivityPub JSON and the web pages on the URLs they share
//! (`/w/{id}`, `/a/{name}`, `/c/{name}`, …): requests asking for ActivityPub go to the
//! federation routes, the others to the web pages first. Neither crate knows the other.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::Router;
use axum::extract::Request;
use axum::response::Response;
use ferrotube_federation::routes::wants_activity_json;
use tower::{Service, ServiceExt};

#[derive(Clone)]
pub struct Negotiate {
    /// The HTML pages, falling back to `rest` for every other URL.
    pub pages: Router,
    pub rest: Router,
}

impl Service<Request> for Negotiate {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let target = if wants_activity_json(req.headers()) {
            self.rest.clone()
        } else {
            self.pages.clone()
        };
        Box::pin(target.oneshot(req))
    }
}
