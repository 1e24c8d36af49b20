//! The format cache saves time and nothing else: a regeneration with it makes the same files as
//! one without it, formats nothing when nothing changed, and a damaged cache is ignored.

use std::path::{Path, PathBuf};

use codegen::{generate, Generation, Options, TagFilter, DEFAULT_TAG};

fn run(cache: Option<PathBuf>) -> Generation {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    generate(&Options {
        spec: root.join("spec/sailpoint-api.v2024.yaml"),
        tags: TagFilter::Tags(vec![DEFAULT_TAG.to_string()]),
        format_cache: cache,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_warm_cache_gives_the_same_files_and_formats_nothing() {
    let dir = std::env::temp_dir().join(format!("codegen-format-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let cache = dir.join("format.bin");

    let uncached = run(None);
    let first = run(Some(cache.clone()));
    assert!(cache.exists(), "the cache was not saved");
    assert_eq!(first.timings.cache_hits, 0);
    assert!(first.timings.cache_misses > 20);
    assert_eq!(first.files, uncached.files);

    let second = run(Some(cache.clone()));
    assert_eq!(second.timings.cache_misses, 0, "nothing changed");
    assert_eq!(second.timings.cache_hits, first.timings.cache_misses);
    assert_eq!(second.timings.rustfmt.as_nanos(), 0, "rustfmt ran");
    assert_eq!(second.files, uncached.files);

    // Damaged in the middle: what follows the damage is formatted afresh, the same files.
    let mut bytes = std::fs::read(&cache).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(&cache, &bytes).unwrap();
    let third = run(Some(cache.clone()));
    assert!(third.timings.cache_misses > 0);
    assert_eq!(third.files, uncached.files);
    std::fs::remove_dir_all(&dir).unwrap();
}
