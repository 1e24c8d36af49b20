//! The SailPoint v2024 SDK generator: spec -> loaded document -> selection -> model -> emitters
//! -> files. See ARCHITECTURE.md for the map.

pub mod emit;
pub mod error;
pub mod load;
pub mod lower;
pub mod model;
pub mod output;
pub mod parallel;
pub mod select;

use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use emit::format_cache::FormatCache;
pub use error::Error;
pub use output::FileSet;
pub use select::TagFilter;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The root spec file.
    pub spec: PathBuf,
    pub tags: TagFilter,
    /// Where to keep formatted text between runs ([`emit::format_cache`]), so that a
    /// regeneration formats only the files that changed; `None`: format everything.
    pub format_cache: Option<PathBuf>,
}

/// How long each stage took.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub load: Duration,
    pub lower: Duration,
    /// Building Rust token streams (without formatting).
    pub emit_rust: Duration,
    /// Formatting the Rust files: `prettyplease`, then the `rustfmt` pass (both included).
    pub format: Duration,
    /// The `rustfmt` part of `format`.
    pub rustfmt: Duration,
    pub emit_docs: Duration,
    /// Files and docs examples whose formatted text came from the format cache.
    pub cache_hits: usize,
    /// Files and docs examples formatted afresh (all of them when the cache is off).
    pub cache_misses: usize,
}

/// The result of a generation, not yet written.
#[derive(Debug)]
pub struct Generation {
    pub files: FileSet,
    /// Spec defects accepted leniently, each with its place.
    pub warnings: Vec<String>,
    pub timings: Timings,
    pub model: model::Model,
}

/// The tag the default job generates.
pub const DEFAULT_TAG: &str = "Auth Users";

/// The emitted client crate's package name (also its folder under the output).
pub const CRATE_NAME: &str = "sailpoint";
/// The emitted client crate's version.
pub const CRATE_VERSION: &str = "0.1.0";

/// Runs the whole pipeline in memory.
pub fn generate(options: &Options) -> Result<Generation, Error> {
    let mut timings = Timings::default();
    let t = Instant::now();
    let spec = load::load(&options.spec)?;
    timings.load = t.elapsed();

    // Lowering takes one core: the cache is read (and rustfmt asked its version) on another.
    let t = Instant::now();
    let (model, cache) = std::thread::scope(|scope| {
        let cache = scope.spawn(|| match &options.format_cache {
            Some(path) => FormatCache::open(path),
            None => FormatCache::off(),
        });
        let model = select::select(&spec.api, &options.tags)
            .and_then(|selection| lower::lower(&spec, &selection));
        (model, cache.join().unwrap_or_else(|_| FormatCache::off()))
    });
    let model = model?;
    timings.lower = t.elapsed();

    // The two emitters read the same model and write different folders: they run side by
    // side (both spend much of their time waiting for rustfmt processes).
    let mut files = FileSet::default();
    let mut docs = FileSet::default();
    let (rust, docs_result) = std::thread::scope(|scope| {
        let model = &model;
        let docs = &mut docs;
        let cache = &cache;
        let docs_thread = scope.spawn(move || {
            let t = Instant::now();
            emit::docs::emit(model, docs, cache).map(|()| t.elapsed())
        });
        let rust = emit::rust::emit(model, &mut files, &mut timings, cache);
        let docs_result = docs_thread.join().unwrap_or_else(|_| {
            Err(Error::Emit {
                what: "the docs".into(),
                message: "the docs thread panicked".into(),
            })
        });
        (rust, docs_result)
    });
    rust?;
    timings.emit_docs = docs_result?;
    files.files.extend(docs.files);
    (timings.cache_hits, timings.cache_misses) = cache.counts();
    cache.save();

    Ok(Generation {
        warnings: model.warnings.clone(),
        files,
        timings,
        model,
    })
}
