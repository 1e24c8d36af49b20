//! `cargo xtask bench`: stage timings and peak memory of the pipeline on a large document.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use codegen::{Options, TagFilter};

#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Root spec file; default: upstream's whole split document beside the repo.
    #[arg(
        long,
        default_value = "../shared/upstream/api-specs/idn/sailpoint-api.v2024.yaml"
    )]
    spec: PathBuf,
    /// Runs to take the median of.
    #[arg(long, default_value_t = 7)]
    runs: usize,
    /// Only load and lower (no emitters).
    #[arg(long)]
    load_lower_only: bool,
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Peak resident memory of this process so far, from /proc (Linux).
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The medians of one series of runs.
#[derive(Default)]
struct Series {
    load: Vec<Duration>,
    lower: Vec<Duration>,
    rust: Vec<Duration>,
    format: Vec<Duration>,
    rustfmt: Vec<Duration>,
    docs: Vec<Duration>,
    write: Vec<Duration>,
    total: Vec<Duration>,
    hits: usize,
    misses: usize,
    files: usize,
}

/// One stage's durations in a [`Series`].
type Column = fn(&Series) -> &Vec<Duration>;

/// `runs` generations (each written over the last one's output into `out`). `before` runs
/// ahead of each, untimed.
fn series(
    options: &Options,
    runs: usize,
    out: &std::path::Path,
    before: &dyn Fn() -> Result<()>,
) -> Result<Series> {
    let mut s = Series::default();
    for _ in 0..runs {
        before()?;
        let start = Instant::now();
        let generation = codegen::generate(options)?;
        let t = Instant::now();
        generation.files.write(out)?;
        s.write.push(t.elapsed());
        let tm = generation.timings;
        s.load.push(tm.load);
        s.lower.push(tm.lower);
        s.rust.push(tm.emit_rust);
        s.format.push(tm.format);
        s.rustfmt.push(tm.rustfmt);
        s.docs.push(tm.emit_docs);
        s.hits = tm.cache_hits;
        s.misses = tm.cache_misses;
        s.files = generation.files.files.len();
        s.total.push(start.elapsed());
    }
    Ok(s)
}

pub fn run(args: &BenchArgs) -> Result<ExitCode> {
    std::env::set_current_dir(crate::workspace_root())?;
    let runs = args.runs.max(1);
    if args.load_lower_only {
        return load_lower(args, runs);
    }
    let scratch = std::env::temp_dir().join(format!("sailpoint-bench-{}", std::process::id()));
    let out = scratch.join("out");
    let cold_options = Options {
        spec: args.spec.clone(),
        tags: TagFilter::All,
        format_cache: None,
    };
    // Regenerating with the cache of an earlier run, as `cargo xtask generate` does when the
    // spec has not changed since.
    let warm_options = Options {
        format_cache: Some(scratch.join("format-cache.bin")),
        ..cold_options.clone()
    };
    let measured = (|| {
        let first = Instant::now();
        codegen::generate(&warm_options)?.files.write(&out)?;
        let first = first.elapsed();
        let nothing = || Ok(());
        let cold = series(&cold_options, runs, &out, &nothing)?;
        let warm = series(&warm_options, runs, &out, &nothing)?;
        // The usual regeneration: upstream changed a little since the last one. A copy of the
        // document with one schema's field description edited, each run starting from the
        // cache of the unedited document.
        let edited_options = Options {
            spec: edited_copy(&args.spec, &scratch.join("spec"))?,
            format_cache: Some(scratch.join("edited-cache.bin")),
            ..cold_options.clone()
        };
        let reset = || {
            std::fs::copy(
                scratch.join("format-cache.bin"),
                scratch.join("edited-cache.bin"),
            )?;
            Ok(())
        };
        let edited = series(&edited_options, runs, &out, &reset)?;
        Ok::<_, anyhow::Error>((first, cold, warm, edited))
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    let (first, cold, warm, edited) = measured?;

    println!(
        "pipeline on {} ({runs} runs each, median ms)",
        args.spec.display()
    );
    println!("| stage | no cache | cache, spec unchanged | cache, one schema edited |");
    println!("|---|---|---|---|");
    let rows: [(&str, Column); 8] = [
        ("load", |s| &s.load),
        ("lower", |s| &s.lower),
        ("emit rust", |s| &s.rust),
        ("format", |s| &s.format),
        ("  of which the rustfmt pass", |s| &s.rustfmt),
        ("emit docs", |s| &s.docs),
        ("write", |s| &s.write),
        ("**total**", |s| &s.total),
    ];
    for (name, get) in rows {
        println!(
            "| {name} | {} | {} | {} |",
            ms(median(get(&cold).clone())),
            ms(median(get(&warm).clone())),
            ms(median(get(&edited).clone()))
        );
    }
    println!(
        "| texts formatted / from the cache | {} / {} | {} / {} | {} / {} |",
        cold.misses, cold.hits, warm.misses, warm.hits, edited.misses, edited.hits
    );
    println!("emit rust (with format) and emit docs run side by side: their times overlap");
    println!(
        "first run, into an empty folder with an empty cache: {} ms; the others regenerate over its output",
        ms(first)
    );
    if let Some(mb) = peak_rss_mb() {
        println!("peak memory (VmHWM): {mb:.0} MB");
    }
    println!("files generated: {}", cold.files);
    Ok(ExitCode::SUCCESS)
}

/// The schema whose description the "one schema edited" runs change, and the edit.
const EDITED: (&str, &str, &str) = (
    "v2024/schemas/AuthUser.yaml",
    "description: Tenant name.",
    "description: Tenant name, as in the tenant's URL.",
);

/// Copies the folder of `root` (the whole split document) into `into`, with [`EDITED`]'s
/// edit made; returns the copy's root file.
fn edited_copy(root: &std::path::Path, into: &std::path::Path) -> Result<PathBuf> {
    let from = root.parent().unwrap_or(std::path::Path::new("."));
    for file in codegen::output::walk(from) {
        let rel = file.strip_prefix(from)?;
        let to = into.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(&file, &to)?;
    }
    let (path, old, new) = EDITED;
    let target = into.join(path);
    let text = std::fs::read_to_string(&target)
        .with_context(|| format!("the edited copy needs {}", target.display()))?;
    if !text.contains(old) {
        anyhow::bail!("{} has no `{old}` to edit", target.display());
    }
    std::fs::write(&target, text.replacen(old, new, 1))?;
    Ok(into.join(root.file_name().unwrap_or_default()))
}

fn load_lower(args: &BenchArgs, runs: usize) -> Result<ExitCode> {
    let tags = TagFilter::All;
    let (mut load, mut lower, mut total) = (vec![], vec![], vec![]);
    let mut types = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let t = Instant::now();
        let spec = codegen::load::load(&args.spec)?;
        load.push(t.elapsed());
        let t = Instant::now();
        let selection = codegen::select::select(&spec.api, &tags)?;
        let model = codegen::lower::lower(&spec, &selection)?;
        lower.push(t.elapsed());
        types = model.types.len();
        total.push(start.elapsed());
    }
    println!(
        "load and lower {} ({runs} runs, median ms)",
        args.spec.display()
    );
    println!("| stage | median ms |");
    println!("|---|---|");
    println!("| load | {} |", ms(median(load)));
    println!("| lower | {} |", ms(median(lower)));
    println!("| **total** | **{}** |", ms(median(total)));
    if let Some(mb) = peak_rss_mb() {
        println!("peak memory (VmHWM): {mb:.0} MB");
    }
    println!("types lowered: {types}");
    Ok(ExitCode::SUCCESS)
}
