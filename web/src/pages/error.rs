//! The HTML error page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::meta::Head;
use crate::site::Site;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    site: &'a Site,
    head: Head,
    status: u16,
    message: &'a str,
}

pub fn render(site: &Site, status: StatusCode, message: &str) -> Response {
    let mut head = Head::new(&site.name, Some(message), message);
    head.noindex = true;
    let page = ErrorPage {
        site,
        head,
        status: status.as_u16(),
        message,
    };
    match super::html(status, &page) {
        Ok(res) => res,
        Err(e) => {
            tracing::error!(error = %e, "error page failed");
            (status, message.to_string()).into_response()
        }
    }
}
