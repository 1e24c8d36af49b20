//! `cargo xtask bench`: stage timings and peak memory of the pipeline on a large document.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Result;
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

pub fn run(args: &BenchArgs) -> Result<ExitCode> {
    std::env::set_current_dir(crate::workspace_root())?;
    let options = Options {
        spec: args.spec.clone(),
        tags: TagFilter::All,
    };
    let (mut load, mut lower, mut rust, mut format, mut docs, mut write, mut total) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut rustfmt = vec![];
    let out = std::env::temp_dir().join(format!("sailpoint-bench-{}", std::process::id()));
    let mut files = 0;
    for _ in 0..args.runs.max(1) {
        let start = Instant::now();
        if args.load_lower_only {
            let t = Instant::now();
            let spec = codegen::load::load(&options.spec)?;
            load.push(t.elapsed());

            let t = Instant::now();
            let selection = codegen::select::select(&spec.api, &options.tags)?;
            let model = codegen::lower::lower(&spec, &selection)?;
            lower.push(t.elapsed());
            files = model.types.len();
        } else {
            let generation = codegen::generate(&options)?;
            let t = Instant::now();
            generation.files.write(&out)?;
            write.push(t.elapsed());
            let tm = generation.timings;
            load.push(tm.load);
            lower.push(tm.lower);
            rust.push(tm.emit_rust);
            format.push(tm.format);
            rustfmt.push(tm.rustfmt);
            docs.push(tm.emit_docs);
            files = generation.files.files.len();
        }
        total.push(start.elapsed());
    }
    let _ = std::fs::remove_dir_all(&out);
    // The first run writes into an empty folder; the others regenerate over it, as
    // `cargo xtask generate` does (unchanged files are kept, not rewritten).
    let first_write = write.first().copied();
    println!(
        "pipeline on {} ({} runs, median ms)",
        args.spec.display(),
        args.runs
    );
    println!("| stage | median ms |");
    println!("|---|---|");
    let mut rows = vec![("load", load), ("lower", lower)];
    if !args.load_lower_only {
        rows.extend([
            ("emit rust", rust),
            ("format", format),
            ("  of which the rustfmt pass", rustfmt),
            ("emit docs", docs),
            ("write", write),
        ]);
    }
    for (name, v) in rows {
        println!("| {name} | {} |", ms(median(v)));
    }
    println!("| **total** | **{}** |", ms(median(total)));
    if !args.load_lower_only {
        println!("emit rust (with format) and emit docs run side by side: their times overlap");
    }
    if let Some(first) = first_write {
        println!(
            "write into an empty folder (run 1): {} ms; the median is of regenerations over it",
            ms(first)
        );
    }
    if let Some(mb) = peak_rss_mb() {
        println!("peak memory (VmHWM): {mb:.0} MB");
    }
    if args.load_lower_only {
        println!("types lowered: {files}");
    } else {
        println!("files generated: {files}");
    }
    Ok(ExitCode::SUCCESS)
}
