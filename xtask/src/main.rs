//! `cargo xtask`: the project's command line (generate, check, test, full, bench).

mod bench;
mod full;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use codegen::{Options, TagFilter, DEFAULT_TAG};

/// See the mimalloc line of `xtask/Cargo.toml`: allocation-heavy, multi-threaded loading.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Generate the SailPoint v2024 Rust SDK and its docs",
    version
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(clap::Args, Debug, Clone)]
pub struct GenerateArgs {
    /// Root spec file (YAML or JSON).
    #[arg(long, default_value = "spec/sailpoint-api.v2024.yaml")]
    pub spec: PathBuf,
    /// Generate this tag's operations (repeatable). Default: "Auth Users".
    #[arg(long = "tag", value_name = "TAG", conflicts_with = "all")]
    pub tags: Vec<String>,
    /// Generate every tag of the document.
    #[arg(long)]
    pub all: bool,
    /// Output folder; the generator owns its `sailpoint/` and `docs/` folders.
    #[arg(long, default_value = "generated")]
    pub out: PathBuf,
    /// Write nothing; exit non-zero listing the files that differ from what would be generated.
    #[arg(long)]
    pub check: bool,
    /// Print the spec's defects that were accepted leniently.
    #[arg(long, short)]
    pub verbose: bool,
    /// Format every file afresh instead of reusing what earlier runs formatted (the cache in
    /// `target/codegen-cache/`).
    #[arg(long)]
    pub no_cache: bool,
}

impl GenerateArgs {
    pub fn options(&self) -> Options {
        let tags = if self.all {
            TagFilter::All
        } else if self.tags.is_empty() {
            TagFilter::Tags(vec![DEFAULT_TAG.to_string()])
        } else {
            TagFilter::Tags(self.tags.clone())
        };
        Options {
            spec: self.spec.clone(),
            tags,
            format_cache: (!self.no_cache).then(format_cache_path),
        }
    }
}

#[derive(Subcommand)]
enum Cmd {
    /// Regenerate the client crate and docs from the spec.
    Generate(GenerateArgs),
    /// Install the test tools that are missing (npm packages into tools/node), run every test,
    /// then `cargo xtask full` (the whole upstream document) unless `--quick`.
    Test {
        /// Skip `cargo xtask full`: only the workspace's tests (the default job's), which take a
        /// few minutes less.
        #[arg(long)]
        quick: bool,
        /// Extra arguments for `cargo test`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Time the pipeline on the whole upstream document and print a table.
    Bench(bench::BenchArgs),
    /// Generate the whole upstream document into target/full-sdk; compare its API surface with
    /// the bundled document's; clippy, rustdoc and every docs example of it must pass.
    Full(full::FullArgs),
    /// Time `cargo check` of the whole emitted crate, and of it with only `auth-users`.
    BenchCompile(full::BenchCompileArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Cmd::Generate(args) => generate(&args),
        Cmd::Test { quick, args } => test(!quick, &args),
        Cmd::Bench(args) => bench::run(&args),
        Cmd::Full(args) => full::run(&args),
        Cmd::BenchCompile(args) => full::bench_compile(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: commands work from any folder inside it.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The format cache's file: under cargo's target folder, which is ignored and which
/// `cargo clean` empties.
pub fn format_cache_path() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    target.join("codegen-cache").join("format-v1.bin")
}

fn generate(args: &GenerateArgs) -> Result<ExitCode> {
    let start = std::time::Instant::now();
    std::env::set_current_dir(workspace_root()).context("entering the workspace root")?;
    let generation = codegen::generate(&args.options())?;
    if args.verbose {
        for w in &generation.warnings {
            eprintln!("{w}");
        }
    } else if !generation.warnings.is_empty() {
        eprintln!(
            "note: {} spec defect(s) accepted leniently (see them with --verbose)",
            generation.warnings.len()
        );
    }
    if args.check {
        let diff = generation.files.diff(&args.out);
        if diff.is_empty() {
            println!(
                "{} is up to date ({} files)",
                args.out.display(),
                generation.files.files.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "{} is stale: it is not what the generator makes from {} now:",
            args.out.display(),
            args.spec.display()
        );
        for d in &diff {
            eprintln!("  {d}");
        }
        eprintln!("run `cargo xtask generate` to update it");
        return Ok(ExitCode::FAILURE);
    }
    let t = std::time::Instant::now();
    generation.files.write(&args.out)?;
    if args.verbose {
        let tm = &generation.timings;
        let ms = |d: std::time::Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
        eprintln!(
            "timings: load {}, lower {}, emit rust {} + format {} (rustfmt {}), beside it emit docs {}; write {}; total {}",
            ms(tm.load),
            ms(tm.lower),
            ms(tm.emit_rust),
            ms(tm.format),
            ms(tm.rustfmt),
            ms(tm.emit_docs),
            ms(t.elapsed()),
            ms(start.elapsed())
        );
        eprintln!(
            "formatted {} files and docs examples, {} from the format cache",
            tm.cache_misses, tm.cache_hits
        );
    }
    println!(
        "generated {} files into {} ({} operations, {} models)",
        generation.files.files.len(),
        args.out.display(),
        generation
            .model
            .apis
            .iter()
            .map(|a| a.operations.len())
            .sum::<usize>(),
        generation.model.types.len()
    );
    // The process ends here: freeing the model and the files one allocation at a time would
    // only delay the exit (the OS takes the memory back at once).
    std::mem::forget(generation);
    Ok(ExitCode::SUCCESS)
}

fn test(with_full: bool, args: &[String]) -> Result<ExitCode> {
    let root = workspace_root();
    let status = Command::new("bash")
        .arg(root.join("tools/ensure-node-tools.sh"))
        .current_dir(&root)
        .status()
        .context("running tools/ensure-node-tools.sh")?;
    if !status.success() {
        bail!("installing the npm test tools failed (tools/ensure-node-tools.sh)");
    }
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["test", "--workspace"])
        .args(args)
        .current_dir(&root)
        .status()
        .context("running cargo test")?;
    if !status.success() {
        return Ok(ExitCode::FAILURE);
    }
    if !with_full {
        return Ok(ExitCode::SUCCESS);
    }
    full::run(&full::FullArgs::default())
}
