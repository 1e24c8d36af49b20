//! Streams every item of a `limit`/`offset` list operation, page after page.
//!
//! The stream stops at the first page shorter than the page size, at an empty page, or once
//! `X-Total-Count` (when the server sends it) says every item was read — so a total that is an
//! exact multiple of the page size costs no extra request when the total is known, and exactly
//! one (empty) extra request when it is not.

use std::collections::VecDeque;
use std::future::Future;

use futures_util::stream::{self, Stream};

use super::error::Error;

/// One page of a list operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// The number of items in the whole list, from the `X-Total-Count` header, when sent.
    pub total: Option<u64>,
}

struct State<T, F> {
    offset: i64,
    page_size: i64,
    buffer: VecDeque<T>,
    done: bool,
    fetch: F,
}

/// Every item from `start` on, fetching pages of `page_size` with `fetch(offset, limit)`.
/// An error ends the stream after it is yielded.
pub(crate) fn items<T, E, F, Fut>(page_size: i64, start: i64, fetch: F) -> impl Stream<Item = Result<T, Error<E>>>
where
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error<E>>>,
{
    let state = State {
        offset: start.max(0),
        page_size: page_size.max(1),
        buffer: VecDeque::new(),
        done: false,
        fetch,
    };
    stream::unfold(state, |mut s| async move {
        if let Some(item) = s.buffer.pop_front() {
            return Some((Ok(item), s));
        }
        if s.done {
            return None;
        }
        match (s.fetch)(s.offset, s.page_size).await {
            Err(e) => {
                s.done = true;
                Some((Err(e), s))
            }
            Ok(page) => {
                let n = i64::try_from(page.items.len()).unwrap_or(i64::MAX);
                s.offset = s.offset.saturating_add(n);
                let past_total = page
                    .total
                    .is_some_and(|t| u64::try_from(s.offset).is_ok_and(|o| o >= t));
                s.done = n < s.page_size || past_total;
                s.buffer = page.items.into();
                s.buffer.pop_front().map(|item| (Ok(item), s))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::cell::RefCell;

    /// Pages over `total` numbered items; records each request's (offset, limit).
    fn run(total: i64, page_size: i64, send_total: bool) -> (Vec<i64>, Vec<(i64, i64)>) {
        let calls = RefCell::new(Vec::new());
        let stream = items::<i64, (), _, _>(page_size, 0, |offset, limit| {
            calls.borrow_mut().push((offset, limit));
            let items: Vec<i64> = (offset..(offset + limit).min(total)).collect();
            let total = send_total.then_some(total as u64);
            async move { Ok(Page { items, total }) }
        });
        let got: Vec<i64> = futures_executor(stream.map(|r| r.unwrap_or(-1)).collect());
        (got, calls.into_inner())
    }

    /// A minimal executor: the fetches here never wait.
    fn futures_executor<F: Future>(f: F) -> F::Output {
        let rt = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
        rt.block_on(f)
    }

    #[test]
    fn exact_multiple_of_the_page_size_with_and_without_a_total() {
        let (items, calls) = run(500, 250, true);
        assert_eq!(items, (0..500).collect::<Vec<_>>());
        assert_eq!(calls, vec![(0, 250), (250, 250)]);
        let (items, calls) = run(250, 250, false);
        assert_eq!(items.len(), 250);
        assert_eq!(calls, vec![(0, 250), (250, 250)], "one empty page ends it");
    }

    #[test]
    fn partial_last_page_and_empty_list() {
        let (items, calls) = run(260, 250, false);
        assert_eq!(items.len(), 260);
        assert_eq!(calls.len(), 2);
        let (items, calls) = run(0, 250, true);
        assert!(items.is_empty());
        assert_eq!(calls, vec![(0, 250)]);
    }

    #[test]
    fn an_error_is_yielded_and_ends_the_stream() {
        let stream = items::<i64, (), _, _>(10, 0, |_, _| async {
            Err(Error::Encode("boom".into()))
        });
        let got: Vec<_> = futures_executor(stream.collect::<Vec<_>>());
        assert_eq!(got.len(), 1);
        assert!(got[0].is_err());
    }
}
