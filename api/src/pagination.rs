//! `start`, `count` and `sort` as PeerTube validates them; lists answer `{total, data}`.

use serde::Serialize;

use crate::error::ApiError;
use crate::fields::Fields;

pub const DEFAULT_COUNT: i64 = 15;
pub const MAX_COUNT: i64 = 100;

pub struct Page {
    pub start: i64,
    pub count: i64,
    /// The sort key as sent (`-createdAt`), checked against the allowed columns.
    pub sort: String,
}

impl Page {
    /// Reads the paging fields of a query; `default_sort` applies when `sort` is absent.
    pub fn read(q: &mut Fields, allowed: &[&str], default_sort: &str) -> Page {
        let start = q.opt_i64("start", |n| n >= 0).unwrap_or(0);
        let count = q
            .opt_i64("count", |n| (0..=MAX_COUNT).contains(&n))
            .unwrap_or(DEFAULT_COUNT);
        let sort = q
            .opt_str("sort", |s| {
                allowed.contains(&s.strip_prefix('-').unwrap_or(s))
            })
            .unwrap_or_else(|| default_sort.to_string());
        Page { start, count, sort }
    }

    pub fn from_query(
        query: Option<&str>,
        allowed: &[&str],
        default_sort: &str,
    ) -> Result<Page, ApiError> {
        let mut q = Fields::from_query(query);
        let page = Self::read(&mut q, allowed, default_sort);
        q.finish()?;
        Ok(page)
    }

    pub fn descending(&self) -> bool {
        self.sort.starts_with('-')
    }
}

#[derive(Debug, Serialize)]
pub struct List<T: Serialize> {
    pub total: i64,
    pub data: Vec<T>,
}
