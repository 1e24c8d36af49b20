//! Running one function over many items on every core.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` applied to every item, on one thread per core; the results in the items' order. Each
/// thread takes the next item as it gets free, as items may vary much in size. `None` if a
/// thread panicked (a bug; callers turn it into their error).
pub fn on_every_core<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Option<Vec<R>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = AtomicUsize::new(0);
    let (f, next) = (&f, &next);
    let parts: Vec<Option<Vec<(usize, R)>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..cores.min(items.len()))
            .map(|_| {
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().ok()).collect()
    });
    let mut all = Vec::with_capacity(items.len());
    for part in parts {
        all.extend(part?);
    }
    all.sort_by_key(|(i, _)| *i);
    Some(all.into_iter().map(|(_, r)| r).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_order() {
        let items: Vec<u64> = (0..1000).collect();
        let out = on_every_core(&items, |n| {
            // Uneven work, so threads finish out of order.
            if n % 7 == 0 {
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
            n * 2
        });
        assert_eq!(out, Some(items.iter().map(|n| n * 2).collect()));
        assert_eq!(on_every_core(&[] as &[u8], |_| 0), Some(vec![]));
    }

    #[test]
    fn a_panicking_worker_is_none() {
        let items = [1, 2, 3];
        let out = on_every_core(&items, |n| {
            assert_ne!(*n, 2, "a bug");
            *n
        });
        assert_eq!(out, None);
    }
}
