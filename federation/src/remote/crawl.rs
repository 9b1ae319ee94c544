//! Reading a remote collection page by page, as PeerTube's crawler does (`first`, then `next`),
//! bounded in pages and items. Pages are fetched as every AP object is (signed, SSRF-guarded,
//! their id on the answering host) and must stay on the collection's host.

use std::collections::VecDeque;

use serde::de::DeserializeOwned;

use crate::error::FederationError;
use crate::fetch::fetch_object;
use crate::protocol::HttpUrl;
use crate::protocol::collection::{CrawledPage, PageRef};
use crate::state::AppState;

/// How far a crawl goes.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_pages: u32,
    pub max_items: u32,
}

/// A crawl in progress: `next_page` gives each page's items in turn.
pub struct Crawl<'a, T> {
    state: &'a AppState,
    host: String,
    limits: Limits,
    pages: u32,
    items: u32,
    next: Option<PageRef<T>>,
    /// Items of the collection document itself (a collection without pages).
    inline: VecDeque<Vec<T>>,
}

impl<'a, T: DeserializeOwned> Crawl<'a, T> {
    /// Fetches the collection at `url`.
    pub async fn start(
        state: &'a AppState,
        url: &HttpUrl,
        limits: Limits,
    ) -> Result<Self, FederationError> {
        let root: CrawledPage<T> = fetch_object(state, url.as_str()).await?;
        let mut inline = VecDeque::new();
        let own: Vec<T> = root.ordered_items.into_iter().chain(root.items).collect();
        if !own.is_empty() {
            inline.push_back(own);
        }
        Ok(Self {
            state,
            host: url.host_port(),
            limits,
            pages: 0,
            items: 0,
            next: root.first,
            inline,
        })
    }

    /// The next page's items; `None` at the end, at a page on another host (or ours) or at the
    /// limits.
    pub async fn next_page(&mut self) -> Result<Option<Vec<T>>, FederationError> {
        if self.items >= self.limits.max_items {
            return Ok(None);
        }
        let items = match self.inline.pop_front() {
            Some(items) => items,
            None => {
                if self.pages >= self.limits.max_pages {
                    return Ok(None);
                }
                let page = match self.next.take() {
                    None => return Ok(None),
                    Some(PageRef::Page(page)) => *page,
                    Some(PageRef::Url(url)) => {
                        let host = url.host_port();
                        if !host.eq_ignore_ascii_case(&self.host)
                            || self.state.urls.is_local_host(&host)
                        {
                            tracing::info!(%url, "crawl stopped at a page on another host");
                            return Ok(None);
                        }
                        fetch_object(self.state, url.as_str()).await?
                    }
                };
                self.pages += 1;
                self.next = page.next;
                page.ordered_items.into_iter().chain(page.items).collect()
            }
        };
        let room = self.limits.max_items - self.items;
        let items: Vec<T> = items.into_iter().take(room as usize).collect();
        self.items += items.len() as u32;
        Ok(Some(items))
    }
}
