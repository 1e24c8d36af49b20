//! Reads and parses, on every core, the files that the root's `$ref`s reach, before the
//! (sequential) structural walk needs them. Parsing is most of the load time of a split
//! document. Best effort: a file that fails here is read again by the walk, which reports the
//! error with its place and `$ref` chain.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

use serde_json::Value;

use super::source::SourceFile;

struct Queue {
    todo: VecDeque<PathBuf>,
    seen: HashSet<PathBuf>,
    busy: usize,
    done: HashMap<PathBuf, SourceFile>,
}

/// Parses every file reachable from `root` by `$ref`s (outside `x-` extensions of the root).
pub(super) fn prefetch(
    root: &SourceFile,
    normalize: fn(&Path) -> PathBuf,
) -> HashMap<PathBuf, SourceFile> {
    let mut first = Vec::new();
    if let Value::Object(map) = &root.value {
        for (k, v) in map {
            if !k.starts_with("x-") {
                collect_refs(v, &mut first);
            }
        }
    }
    let base = root.path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut seen = HashSet::from([root.path.clone()]);
    let mut todo = VecDeque::new();
    for r in first {
        let p = normalize(&base.join(r));
        if seen.insert(p.clone()) {
            todo.push_back(p);
        }
    }
    let state = Mutex::new(Queue {
        todo,
        seen,
        busy: 0,
        done: HashMap::new(),
    });
    let wake = Condvar::new();
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| worker(&state, &wake, normalize));
        }
    });
    state.into_inner().map(|q| q.done).unwrap_or_default()
}

fn worker(state: &Mutex<Queue>, wake: &Condvar, normalize: fn(&Path) -> PathBuf) {
    loop {
        let path = {
            let Ok(mut q) = state.lock() else { return };
            loop {
                if let Some(p) = q.todo.pop_front() {
                    q.busy += 1;
                    break p;
                }
                if q.busy == 0 {
                    wake.notify_all();
                    return;
                }
                q = match wake.wait(q) {
                    Ok(q) => q,
                    Err(_) => return,
                };
            }
        };
        let parsed = SourceFile::read(&path, &[]).ok();
        let mut refs = Vec::new();
        if let Some(src) = &parsed {
            collect_refs(&src.value, &mut refs);
        }
        let Ok(mut q) = state.lock() else { return };
        let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        for r in refs {
            let p = normalize(&base.join(r));
            if q.seen.insert(p.clone()) {
                q.todo.push_back(p);
            }
        }
        if let Some(src) = parsed {
            q.done.insert(path, src);
        }
        q.busy -= 1;
        wake.notify_all();
    }
}

/// The file parts of every non-local `$ref` below `v`.
fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        let file = r.split('#').next().unwrap_or("");
                        if !file.is_empty() && !file.contains("://") {
                            out.push(file.to_string());
                        }
                    }
                    // Example values are data: a `$ref` inside one is not a reference.
                    ("example" | "examples", _) => {}
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_refs(i, out)),
        _ => {}
    }
}
