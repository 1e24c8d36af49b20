//! `cargo xtask full`: the whole upstream document, built the way a user builds the crate.
//!
//! 1. generate every tag of the split upstream document into `target/full-sdk/` (the same
//!    generation as `cargo xtask generate --spec … --all --out target/full-sdk`); the
//!    `sailpoint` crate there gets a `[workspace]` table so it builds on its own. Files are
//!    rewritten only when their text changed, so a rerun with an unchanged generator rebuilds
//!    nothing;
//! 2. compare the API surface of that generation with the bundled (dereferenced) document's:
//!    tags → API structs, methods, parameter names and Rust types, bodies, return and error
//!    types. Named types are matched by structure, so an inline type named differently in the
//!    two documents is fine when everything else is the same;
//! 3. `cargo fmt --check` and `cargo clippy --all-targets -- -D warnings` on the crate;
//! 4. `RUSTDOCFLAGS="-D warnings" cargo doc --no-deps` (broken intra-doc links fail);
//! 5. every ```rust block of the generated docs, one module per block, in a crate of its own
//!    (`target/full-sdk/doc-examples`), built with `cargo build`.
//!
//! The cargo steps share one target folder, `target/full-sdk-target`, so reruns are incremental.
//! Every step runs even when an earlier cargo step failed; the summary lists each with its time,
//! and the run fails when any step did, printing the failing output (the whole of it is in
//! `target/full-sdk/logs/<step>.log`).
//!
//! `cargo xtask bench-compile` times `cargo check` of the whole emitted crate, from a clean build
//! of the crate (its dependencies stay built).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use codegen::emit::rust::surface;
use codegen::model::{Model, Operation, TypeDef, TypeId, TypeKind, TypeRef};
use codegen::output::walk;
use codegen::{Options, TagFilter};

/// The split upstream document, relative to the workspace root.
pub const UPSTREAM_SPEC: &str = "../shared/upstream/api-specs/idn/sailpoint-api.v2024.yaml";
/// The same document bundled into one file, every `$ref` it could inline inlined.
pub const UPSTREAM_BUNDLED: &str =
    "../shared/upstream/api-specs/dereferenced/deref-sailpoint-api.v2024.yaml";
/// The output folder (relative to the workspace root).
const OUT_DIR: &str = "target/full-sdk";
/// The cargo target folder of every build of the output.
const TARGET_DIR: &str = "target/full-sdk-target";
/// Lines of a failing step's output printed (the log file has all of it).
const FAILURE_LINES: usize = 300;

#[derive(clap::Args, Debug, Clone)]
pub struct FullArgs {
    /// The split root document to generate.
    #[arg(long, default_value = UPSTREAM_SPEC)]
    pub spec: PathBuf,
    /// The bundled document whose API surface must be the same.
    #[arg(long, default_value = UPSTREAM_BUNDLED)]
    pub bundled: PathBuf,
    /// After the run (passed or failed), copy the generated sources (`sailpoint/`, `docs/`,
    /// `doc-examples/`, `logs/`) into DIR, e.g. to keep them as a CI artifact.
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
    /// Run only the generation and the surface comparison (no cargo builds).
    #[arg(long)]
    pub surface_only: bool,
}

impl Default for FullArgs {
    fn default() -> Self {
        FullArgs {
            spec: UPSTREAM_SPEC.into(),
            bundled: UPSTREAM_BUNDLED.into(),
            keep: None,
            surface_only: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Passed,
    Failed,
}

struct StepResult {
    name: String,
    elapsed: Duration,
    outcome: Outcome,
    note: String,
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

pub fn run(args: &FullArgs) -> Result<ExitCode> {
    let root = crate::workspace_root();
    std::env::set_current_dir(&root).context("entering the workspace root")?;
    for (what, path) in [("--spec", &args.spec), ("--bundled", &args.bundled)] {
        if !path.is_file() {
            bail!(
                "{what} {} is missing: `cargo xtask full` (and `cargo xtask test`) \
                 need SailPoint's api-specs checked out at ../shared/upstream",
                path.display()
            );
        }
    }
    let out = root.join(OUT_DIR);
    let target = root.join(TARGET_DIR);
    let logs = out.join("logs");
    fs::create_dir_all(&logs).with_context(|| format!("creating {}", logs.display()))?;
    let start = Instant::now();
    let mut steps = Vec::new();

    // 1. Generation (a failure here stops the run: there is nothing to build).
    println!("==> generate {} --all into {OUT_DIR}", args.spec.display());
    let t = Instant::now();
    let generation = match codegen::generate(&Options {
        spec: args.spec.clone(),
        tags: TagFilter::All,
        format_cache: Some(crate::format_cache_path()),
    }) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: generating {}: {e}", args.spec.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    let written = write_crate(&generation.files, &out)?;
    let operations: usize = generation
        .model
        .apis
        .iter()
        .map(|a| a.operations.len())
        .sum();
    steps.push(StepResult {
        name: "generate (split document, all tags)".into(),
        elapsed: t.elapsed(),
        outcome: Outcome::Passed,
        note: format!(
            "{} files ({written} rewritten), {} APIs, {operations} operations, {} models; {} lenient spec fixes",
            generation.files.files.len(),
            generation.model.apis.len(),
            generation.model.types.len(),
            generation.warnings.len()
        ),
    });
    println!(
        "    {}",
        steps.last().map(|s| s.note.as_str()).unwrap_or("")
    );

    // 2. The bundled document's API surface.
    println!("==> surface: split vs bundled ({})", args.bundled.display());
    let t = Instant::now();
    let step = match bundled_model(&args.bundled) {
        Ok(bundled) => {
            let report = compare_surface(&generation.model, &bundled);
            let text = report.render();
            fs::write(logs.join("surface.log"), &text)?;
            let outcome = if report.differences.is_empty() {
                Outcome::Passed
            } else {
                println!("{text}");
                Outcome::Failed
            };
            StepResult {
                name: "surface: split vs bundled".into(),
                elapsed: t.elapsed(),
                outcome,
                note: report.summary(),
            }
        }
        Err(e) => {
            eprintln!("error: generating {}: {e:#}", args.bundled.display());
            StepResult {
                name: "surface: split vs bundled".into(),
                elapsed: t.elapsed(),
                outcome: Outcome::Failed,
                note: "the bundled document did not generate".into(),
            }
        }
    };
    println!("    {}", step.note);
    steps.push(step);
    drop(generation);

    if !args.surface_only {
        let krate = out.join("sailpoint");
        steps.push(cargo_step(
            "fmt --check",
            &krate,
            &target,
            &logs.join("fmt.log"),
            &["fmt", "--check"],
            &[],
        )?);
        steps.push(cargo_step(
            "clippy --all-targets -D warnings",
            &krate,
            &target,
            &logs.join("clippy.log"),
            &["clippy", "--all-targets", "--", "-D", "warnings"],
            &[],
        )?);
        steps.push(cargo_step(
            "doc --no-deps (RUSTDOCFLAGS=-D warnings)",
            &krate,
            &target,
            &logs.join("doc.log"),
            &["doc", "--no-deps"],
            &[("RUSTDOCFLAGS", "-D warnings")],
        )?);
        let examples = write_doc_examples(&out)?;
        let mut step = cargo_step(
            "build doc-examples",
            &out.join("doc-examples"),
            &target,
            &logs.join("doc-examples.log"),
            &["build"],
            &[],
        )?;
        step.name = format!("build doc-examples ({} ```rust blocks)", examples.blocks);
        if examples.ignored > 0 {
            step.note = format!("{} blocks marked `ignore` left out", examples.ignored);
        }
        steps.push(step);
    }

    if let Some(keep) = &args.keep {
        keep_copy(&out, keep)?;
        println!("kept the generated sources in {}", keep.display());
    }

    println!();
    println!("`cargo xtask full` on {}:", args.spec.display());
    println!("| step | time | result | notes |");
    println!("|---|---|---|---|");
    for s in &steps {
        let result = match s.outcome {
            Outcome::Passed => "ok",
            Outcome::Failed => "FAILED",
        };
        println!(
            "| {} | {} | {result} | {} |",
            s.name,
            secs(s.elapsed),
            s.note
        );
    }
    println!("| **total** | **{}** | | |", secs(start.elapsed()));
    let failed: Vec<&str> = steps
        .iter()
        .filter(|s| s.outcome == Outcome::Failed)
        .map(|s| s.name.as_str())
        .collect();
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "error: `cargo xtask full` failed: {} (logs in {OUT_DIR}/logs)",
            failed.join(", ")
        );
        Ok(ExitCode::FAILURE)
    }
}

/// Loads and lowers the bundled document (no emitters: only its model is compared).
fn bundled_model(path: &Path) -> Result<Model> {
    let spec = codegen::load::load(path)?;
    let selection = codegen::select::select(&spec.api, &TagFilter::All)?;
    Ok(codegen::lower::lower(&spec, &selection)?)
}

/// Writes the generated files under `out`, rewriting only the files whose text changed (so
/// cargo sees unchanged files as fresh) and removing files the generation no longer makes from
/// the folders it owns. `sailpoint/Cargo.toml` gets a `[workspace]` table (the folder lies
/// inside this repository's workspace) and `sailpoint/Cargo.lock` starts as this workspace's
/// lock file, so the crate builds with the versions the tests use. Returns how many files were
/// (re)written.
fn write_crate(files: &codegen::FileSet, out: &Path) -> Result<usize> {
    let mut wanted: BTreeMap<PathBuf, String> = files.files.clone();
    let manifest = PathBuf::from("sailpoint/Cargo.toml");
    let text = wanted
        .get_mut(&manifest)
        .context("the generation has no sailpoint/Cargo.toml")?;
    text.push_str("\n# Added by `cargo xtask full`: a workspace of its own.\n[workspace]\n");
    let keep = [PathBuf::from("sailpoint/Cargo.lock")];
    let written = sync(out, &wanted, &files.owned_dirs(), &keep)?;
    seed_lock_file(&out.join("sailpoint"))?;
    Ok(written)
}

/// Copies this workspace's Cargo.lock into a crate folder that has none yet: cargo keeps the
/// versions it lists and adds what is missing.
fn seed_lock_file(krate: &Path) -> Result<()> {
    let lock = krate.join("Cargo.lock");
    if !lock.exists() {
        fs::copy(crate::workspace_root().join("Cargo.lock"), &lock)
            .with_context(|| format!("writing {}", lock.display()))?;
    }
    Ok(())
}

/// Makes the files under `out` exactly `wanted` within `owned` folders (sparing `keep`),
/// writing only what differs. Returns how many files were written.
fn sync(
    out: &Path,
    wanted: &BTreeMap<PathBuf, String>,
    owned: &[PathBuf],
    keep: &[PathBuf],
) -> Result<usize> {
    let mut written = 0;
    for (rel, text) in wanted {
        let path = out.join(rel);
        if fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        written += 1;
    }
    for dir in owned {
        for file in walk(&out.join(dir)) {
            let rel = file.strip_prefix(out).unwrap_or(&file).to_path_buf();
            if !wanted.contains_key(&rel) && !keep.contains(&rel) {
                fs::remove_file(&file).with_context(|| format!("removing {}", file.display()))?;
            }
        }
    }
    Ok(written)
}

/// Runs one cargo command in `dir` with `CARGO_TARGET_DIR=target`, its output (stdout and
/// stderr together) going to `log`; on failure prints the output's end.
fn cargo_step(
    name: &str,
    dir: &Path,
    target: &Path,
    log: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> Result<StepResult> {
    println!("==> cargo {} (in {})", args.join(" "), dir.display());
    let t = Instant::now();
    let file = fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
    let mut command = Command::new(cargo());
    command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .stdin(Stdio::null())
        .stdout(file.try_clone()?)
        .stderr(file);
    for (k, v) in env {
        command.env(k, v);
    }
    let status = command
        .status()
        .with_context(|| format!("running cargo {}", args.join(" ")))?;
    let elapsed = t.elapsed();
    let outcome = if status.success() {
        Outcome::Passed
    } else {
        Outcome::Failed
    };
    let output = fs::read_to_string(log).unwrap_or_default();
    let mut note = String::new();
    if outcome == Outcome::Failed {
        // Progress lines say nothing about the failure.
        let lines: Vec<&str> = output
            .lines()
            .filter(|l| {
                let l = l.trim_start();
                ![
                    "Compiling ",
                    "Checking ",
                    "Documenting ",
                    "Blocking ",
                    "Updating ",
                    "Locking ",
                    "Adding ",
                    "Downloaded ",
                    "Downloading ",
                ]
                .iter()
                .any(|p| l.starts_with(p))
            })
            .collect();
        let errors = lines.iter().filter(|l| l.starts_with("error")).count();
        note = format!("{errors} `error` lines; log: {}", log.display());
        eprintln!(
            "---- cargo {} failed ({}); {} of its {} lines of output:",
            args.join(" "),
            status,
            lines.len().min(FAILURE_LINES),
            lines.len()
        );
        for line in lines.iter().take(FAILURE_LINES) {
            eprintln!("{line}");
        }
        if lines.len() > FAILURE_LINES {
            eprintln!("---- … the rest is in {}", log.display());
        }
    }
    println!(
        "    {} in {}",
        if status.success() { "ok" } else { "FAILED" },
        secs(elapsed)
    );
    Ok(StepResult {
        name: format!("cargo {name}"),
        elapsed,
        outcome,
        note,
    })
}

fn keep_copy(out: &Path, keep: &Path) -> Result<()> {
    for dir in ["sailpoint", "docs", "doc-examples", "logs"] {
        for file in walk(&out.join(dir)) {
            let rel = file.strip_prefix(out).unwrap_or(&file);
            let dest = keep.join(rel);
            if let Some(parent) = dest.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::copy(&file, &dest).with_context(|| format!("copying to {}", dest.display()))?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The docs' examples as a crate.

struct DocExamples {
    blocks: usize,
    ignored: usize,
}

/// Writes `out/doc-examples`: a library crate with one file per docs page and, in it, one
/// module per ```rust block of that page (a block's `main` is then an ordinary function of its
/// module, so every block compiles in one crate).
fn write_doc_examples(out: &Path) -> Result<DocExamples> {
    let docs = out.join("docs");
    let mut pages: Vec<PathBuf> = walk(&docs)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "mdx"))
        .collect();
    pages.sort();
    let mut files = BTreeMap::new();
    let mut lib = String::from(
        "//! Every ```rust block of the generated docs (`../docs`), one module per block.\n\
         //! Generated by `cargo xtask full`. Do not edit.\n\
         #![allow(unused, deprecated, clippy::all)]\n\n",
    );
    let (mut blocks, mut ignored) = (0, 0);
    for page in &pages {
        let text =
            fs::read_to_string(page).with_context(|| format!("reading {}", page.display()))?;
        let rel = page.strip_prefix(out).unwrap_or(page);
        let display = rel.to_string_lossy().replace('\\', "/");
        let stem = testkit::module_stem(page.strip_prefix(&docs).unwrap_or(page));
        let mut file = String::new();
        for (index, (line, info, code)) in testkit::rust_blocks(&text).into_iter().enumerate() {
            if info.iter().any(|w| w == "ignore") {
                ignored += 1;
                continue;
            }
            blocks += 1;
            let _ = write!(
                file,
                "pub mod example_{n} {{\n// {display}:{line}\n{code}}}\n\n",
                n = index + 1
            );
        }
        if !file.is_empty() {
            let _ = writeln!(lib, "pub mod {stem};");
            files.insert(PathBuf::from(format!("doc-examples/src/{stem}.rs")), file);
        }
    }
    files.insert(PathBuf::from("doc-examples/src/lib.rs"), lib);
    files.insert(
        PathBuf::from("doc-examples/Cargo.toml"),
        "# Generated by `cargo xtask full`: every ```rust block of ../docs. Do not edit.\n\
         [package]\n\
         name = \"doc-examples\"\n\
         version = \"0.0.0\"\n\
         edition = \"2021\"\n\
         publish = false\n\n\
         [dependencies]\n\
         sailpoint = { path = \"../sailpoint\" }\n\
         tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n\
         serde_json = \"1\"\n\n\
         [workspace]\n"
            .to_string(),
    );
    let keep = [PathBuf::from("doc-examples/Cargo.lock")];
    sync(out, &files, &[PathBuf::from("doc-examples")], &keep)?;
    seed_lock_file(&out.join("doc-examples"))?;
    Ok(DocExamples { blocks, ignored })
}

// ---------------------------------------------------------------------------------------------
// API surface: split vs bundled.

/// What comparing two models' API surfaces found.
#[derive(Default)]
struct SurfaceReport {
    apis: usize,
    operations: usize,
    /// Pairs of named types compared by structure (split name, bundled name).
    type_pairs: usize,
    /// Types that are the same but named differently: (split name, bundled name).
    renamed: BTreeSet<(String, String)>,
    /// Arguments named after a type that is named differently (and otherwise the same).
    renamed_args: Vec<String>,
    /// Named types of each model that no signature reaches (not compared).
    unreached: (Vec<String>, Vec<String>),
    /// Everything else that differs.
    differences: Vec<String>,
}

impl SurfaceReport {
    fn summary(&self) -> String {
        format!(
            "{} APIs, {} operations, {} type pairs compared; {} types and {} body arguments \
             named differently but otherwise identical; {} differences",
            self.apis,
            self.operations,
            self.type_pairs,
            self.renamed.len(),
            self.renamed_args.len(),
            self.differences.len()
        )
    }

    fn render(&self) -> String {
        let mut text = format!(
            "surface of the split vs the bundled document: {}\n",
            self.summary()
        );
        if !self.differences.is_empty() {
            text.push_str("\ndifferences:\n");
            for d in &self.differences {
                let _ = writeln!(text, "  - {d}");
            }
        }
        let _ = writeln!(
            text,
            "\nmodel types no signature reaches (not compared): {} split {:?}, {} bundled {:?}",
            self.unreached.0.len(),
            self.unreached.0,
            self.unreached.1.len(),
            self.unreached.1
        );
        if !self.renamed_args.is_empty() {
            text.push_str("\nbody arguments named after a type named differently:\n");
            for d in &self.renamed_args {
                let _ = writeln!(text, "  - {d}");
            }
        }
        if !self.renamed.is_empty() {
            text.push_str("\nthe same type under another name (split -> bundled):\n");
            for (a, b) in &self.renamed {
                let _ = writeln!(text, "  - {a} -> {b}");
            }
        }
        text
    }
}

/// Compares named types of two models by structure, remembering each pair's verdict.
struct Surfaces<'a> {
    split: &'a Model,
    bundled: &'a Model,
    verdicts: HashMap<(String, String), bool>,
    in_progress: HashSet<(String, String)>,
    report: SurfaceReport,
}

/// Compares what users of the two crates write: each API struct (by tag), each method (by
/// operationId) with its positional arguments, params struct, body, return and error types.
fn compare_surface(split: &Model, bundled: &Model) -> SurfaceReport {
    let mut s = Surfaces {
        split,
        bundled,
        verdicts: HashMap::new(),
        in_progress: HashSet::new(),
        report: SurfaceReport::default(),
    };
    let tags = |m: &Model| -> Vec<String> { m.apis.iter().map(|a| a.tag.clone()).collect() };
    let (split_tags, bundled_tags) = (tags(split), tags(bundled));
    for tag in &split_tags {
        if !bundled_tags.contains(tag) {
            s.diff(format!("tag `{tag}`: only in the split document"));
        }
    }
    for tag in &bundled_tags {
        if !split_tags.contains(tag) {
            s.diff(format!("tag `{tag}`: only in the bundled document"));
        }
    }
    for a in &split.apis {
        let Some(b) = bundled.apis.iter().find(|b| b.tag == a.tag) else {
            continue;
        };
        s.report.apis += 1;
        if a.names.rust_struct != b.names.rust_struct || a.names.feature != b.names.feature {
            s.diff(format!(
                "tag `{}`: API `{}` (feature {}) vs `{}` (feature {})",
                a.tag, a.names.rust_struct, a.names.feature, b.names.rust_struct, b.names.feature
            ));
        }
        for op in &a.operations {
            if !b.operations.iter().any(|o| o.id == op.id) {
                s.diff(format!(
                    "{}::{}: only in the split document",
                    a.names.rust_struct, op.names.rust_fn
                ));
            }
        }
        for op in &b.operations {
            if !a.operations.iter().any(|o| o.id == op.id) {
                s.diff(format!(
                    "{}::{}: only in the bundled document",
                    b.names.rust_struct, op.names.rust_fn
                ));
            }
        }
        for x in &a.operations {
            if let Some(y) = b.operations.iter().find(|o| o.id == x.id) {
                s.report.operations += 1;
                s.operation(
                    &format!("{}::{}", a.names.rust_struct, x.names.rust_fn),
                    x,
                    y,
                );
            }
        }
    }
    // Types no signature reaches (e.g. only in a discriminator mapping): those of the same name.
    let reached: HashSet<String> = s.verdicts.keys().map(|(a, _)| a.clone()).collect();
    for t in &split.types {
        let id = TypeId(t.names.rust.clone());
        if !reached.contains(&id.0) && bundled.type_def(&id).is_some() {
            s.same_type(&id, &id);
        }
    }
    s.report.type_pairs = s.verdicts.len();
    let reached_split: HashSet<&str> = s.verdicts.keys().map(|(a, _)| a.as_str()).collect();
    let reached_bundled: HashSet<&str> = s.verdicts.keys().map(|(_, b)| b.as_str()).collect();
    s.report.unreached = (
        split
            .types
            .iter()
            .filter(|t| !reached_split.contains(t.names.rust.as_str()))
            .map(|t| t.names.rust.clone())
            .collect(),
        bundled
            .types
            .iter()
            .filter(|t| !reached_bundled.contains(t.names.rust.as_str()))
            .map(|t| t.names.rust.clone())
            .collect(),
    );
    s.report
}

/// Whether an argument name is its type's name in snake case (`json_patch_operation` for
/// `Vec<JsonPatchOperation>`).
fn named_after(arg: &str, ty: &TypeRef) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    match ty {
        TypeRef::Named(id) => squash(arg) == squash(&id.0),
        TypeRef::Array(inner) | TypeRef::Map(inner) => named_after(arg, inner),
        _ => false,
    }
}

impl Surfaces<'_> {
    fn diff(&mut self, text: String) {
        self.report.differences.push(text);
    }

    fn operation(&mut self, at: &str, x: &Operation, y: &Operation) {
        let names = |o: &Operation| {
            format!(
                "fn {}, error enum {}, params struct {}, {} {}",
                o.names.rust_fn,
                o.names.rust_error,
                o.names.rust_params,
                o.method.as_str(),
                o.path
            )
        };
        if names(x) != names(y) {
            self.diff(format!("{at}: `{}` vs `{}`", names(x), names(y)));
        }
        // Positional arguments, then the params struct's fields.
        for positional in [true, false] {
            let pick = |o: &Operation| -> Vec<(String, TypeRef, bool)> {
                o.parameters
                    .iter()
                    .filter(|p| surface::is_positional(p) == positional)
                    .map(|p| (p.rust_name.clone(), p.ty.clone(), p.required))
                    .collect()
            };
            let (px, py) = (pick(x), pick(y));
            let kind = if positional {
                "argument"
            } else {
                "params field"
            };
            let list = |v: &[(String, TypeRef, bool)], m: &Model| -> String {
                v.iter()
                    .map(|(n, t, _)| {
                        if positional {
                            format!("{n}: {}", surface::param_arg_display(m, t))
                        } else {
                            format!("{n}: Option<{}>", surface::type_display(t))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if px.len() != py.len() || px.iter().zip(&py).any(|(a, b)| a.0 != b.0) {
                let (lx, ly) = (list(&px, self.split), list(&py, self.bundled));
                self.diff(format!("{at}: {kind}s ({lx}) vs ({ly})"));
                continue;
            }
            for ((n, tx, _), (_, ty, _)) in px.iter().zip(&py) {
                self.type_ref(&format!("{at} {kind} `{n}`"), tx, ty);
            }
        }
        match (&x.request_body, &y.request_body) {
            (None, None) => {}
            (Some(bx), Some(by)) => {
                let same_type = self.same_ref(&bx.ty, &by.ty);
                if (&bx.content_type, bx.required) != (&by.content_type, by.required) {
                    self.diff(format!(
                        "{at}: body {} (required {}) vs {} (required {})",
                        bx.content_type, bx.required, by.content_type, by.required
                    ));
                }
                if bx.rust_name != by.rust_name {
                    // The body argument is named after its type: a type named differently
                    // (and otherwise the same) names the argument differently. Callers pass it
                    // by position, so their code is the same.
                    let follows = same_type
                        && named_after(&bx.rust_name, &bx.ty)
                        && named_after(&by.rust_name, &by.ty);
                    let text = format!(
                        "{at}: body argument `{}: {}` vs `{}: {}`",
                        bx.rust_name,
                        surface::param_arg_display(self.split, &bx.ty),
                        by.rust_name,
                        surface::param_arg_display(self.bundled, &by.ty)
                    );
                    if follows {
                        self.report.renamed_args.push(text);
                    } else {
                        self.diff(text);
                    }
                }
                if !same_type {
                    self.type_ref(&format!("{at} body `{}`", bx.rust_name), &bx.ty, &by.ty);
                }
            }
            (bx, by) => self.diff(format!(
                "{at}: body {:?} vs {:?}",
                bx.as_ref().map(|b| &b.rust_name),
                by.as_ref().map(|b| &b.rust_name)
            )),
        }
        self.type_ref(
            &format!("{at} return type"),
            &surface::return_type(x),
            &surface::return_type(y),
        );
        // The error enum's variants and what each holds.
        let errors = |o: &Operation| -> Vec<(String, Option<TypeRef>)> {
            o.errors()
                .map(|r| {
                    (
                        r.rust_variant.clone(),
                        r.body.as_ref().map(|b| b.ty.clone()),
                    )
                })
                .collect()
        };
        let (ex, ey) = (errors(x), errors(y));
        let variants = |v: &[(String, Option<TypeRef>)]| -> Vec<String> {
            v.iter().map(|(n, _)| n.clone()).collect()
        };
        if variants(&ex) != variants(&ey) {
            self.diff(format!(
                "{at}: error variants {:?} vs {:?}",
                variants(&ex),
                variants(&ey)
            ));
            return;
        }
        for ((v, tx), (_, ty)) in ex.iter().zip(&ey) {
            match (tx, ty) {
                (Some(tx), Some(ty)) => self.type_ref(&format!("{at} error {v}"), tx, ty),
                (None, None) => {}
                _ => self.diff(format!("{at}: error {v} has a body in only one document")),
            }
        }
    }

    /// Compares two type references, recording a difference under `at` when they differ.
    fn type_ref(&mut self, at: &str, x: &TypeRef, y: &TypeRef) {
        if !self.same_ref(x, y) {
            let (dx, dy) = (surface::type_display(x), surface::type_display(y));
            self.diff(format!("{at}: `{dx}` vs `{dy}`"));
        }
    }

    fn same_ref(&mut self, x: &TypeRef, y: &TypeRef) -> bool {
        match (x, y) {
            (TypeRef::Named(a), TypeRef::Named(b)) => self.same_type(a, b),
            (TypeRef::Array(a), TypeRef::Array(b)) | (TypeRef::Map(a), TypeRef::Map(b)) => {
                self.same_ref(a, b)
            }
            // Primitives are compared as Rust spells them (a uuid and a string are both `String`).
            (TypeRef::Primitive(_), TypeRef::Primitive(_)) => {
                surface::type_display(x) == surface::type_display(y)
            }
            (TypeRef::Any, TypeRef::Any) | (TypeRef::Object, TypeRef::Object) => true,
            _ => false,
        }
    }

    /// Whether two named types are the same Rust type but for names of named types inside.
    fn same_type(&mut self, a: &TypeId, b: &TypeId) -> bool {
        let key = (a.0.clone(), b.0.clone());
        if let Some(&verdict) = self.verdicts.get(&key) {
            return verdict;
        }
        if self.in_progress.contains(&key) {
            return true; // a cycle: the same unless something else differs
        }
        let (Some(da), Some(db)) = (self.split.type_def(a), self.bundled.type_def(b)) else {
            // `()` (no body) is not a model type.
            return a == b;
        };
        self.in_progress.insert(key.clone());
        let problems = self.type_problems(da, db);
        self.in_progress.remove(&key);
        let same = problems.is_empty();
        self.verdicts.insert(key, same);
        if !same {
            self.diff(format!(
                "type {} (split, {}) vs {} (bundled, {}): {}",
                a.0,
                da.origin,
                b.0,
                db.origin,
                problems.join("; ")
            ));
        } else if a != b {
            self.report.renamed.insert((a.0.clone(), b.0.clone()));
        }
        same
    }

    fn type_problems(&mut self, da: &TypeDef, db: &TypeDef) -> Vec<String> {
        let mut problems = Vec::new();
        if da.nullable != db.nullable {
            problems.push(format!("nullable {} vs {}", da.nullable, db.nullable));
        }
        match (&da.kind, &db.kind) {
            (TypeKind::Object(x), TypeKind::Object(y)) => {
                let names = |fs: &[codegen::model::Field]| -> Vec<String> {
                    fs.iter().map(|f| f.rust_name.clone()).collect()
                };
                if names(&x.fields) != names(&y.fields) {
                    problems.push(format!(
                        "fields {:?} vs {:?}",
                        names(&x.fields),
                        names(&y.fields)
                    ));
                } else {
                    for (fx, fy) in x.fields.iter().zip(&y.fields) {
                        let (sx, sy) = (
                            surface::field_shape(self.split, fx),
                            surface::field_shape(self.bundled, fy),
                        );
                        if fx.wire_name != fy.wire_name || sx != sy || fx.required != fy.required {
                            problems.push(format!(
                                "field {}: {} {:?} required {} vs {} {:?} required {}",
                                fx.rust_name,
                                fx.wire_name,
                                sx,
                                fx.required,
                                fy.wire_name,
                                sy,
                                fy.required
                            ));
                        }
                        if !self.same_ref(&fx.ty, &fy.ty) {
                            problems.push(format!(
                                "field {}: `{}` vs `{}`",
                                fx.rust_name,
                                surface::type_display(&fx.ty),
                                surface::type_display(&fy.ty)
                            ));
                        }
                    }
                }
                // The named parts it was composed of are types of the crate too.
                if x.all_of.len() != y.all_of.len() {
                    problems.push(format!("allOf {:?} vs {:?}", x.all_of, y.all_of));
                } else {
                    for (px, py) in x.all_of.iter().zip(&y.all_of) {
                        if !self.same_ref(px, py) {
                            problems.push(format!("allOf part {px:?} vs {py:?}"));
                        }
                    }
                }
                match (&x.additional, &y.additional) {
                    (None, None) => {}
                    (Some(ax), Some(ay)) if self.same_ref(ax, ay) => {}
                    (ax, ay) => problems.push(format!(
                        "additional properties {:?} vs {:?}",
                        ax.as_ref().map(surface::type_display),
                        ay.as_ref().map(surface::type_display)
                    )),
                }
            }
            (TypeKind::Enum(x), TypeKind::Enum(y)) => {
                let values = |e: &codegen::model::EnumType| -> Vec<String> {
                    e.values
                        .iter()
                        .map(|v| format!("{}={}", v.rust_variant, v.wire))
                        .collect()
                };
                let (vx, vy) = (values(x), values(y));
                if x.base != y.base {
                    problems.push(format!("enum of {:?} vs {:?}", x.base, y.base));
                }
                if vx != vy {
                    let only = |a: &[String], b: &[String]| -> Vec<String> {
                        a.iter().filter(|v| !b.contains(v)).cloned().collect()
                    };
                    let (ox, oy) = (only(&vx, &vy), only(&vy, &vx));
                    if ox.is_empty() && oy.is_empty() {
                        problems.push(format!("enum values in another order: {vx:?} vs {vy:?}"));
                    } else {
                        problems.push(format!(
                            "enum values only in the split document {ox:?}, only in the bundled {oy:?}"
                        ));
                    }
                }
            }
            (TypeKind::Union(x), TypeKind::Union(y)) => {
                let variants = |u: &codegen::model::UnionType| -> Vec<String> {
                    u.variants.iter().map(|v| v.rust_variant.clone()).collect()
                };
                if x.kind != y.kind || variants(x).len() != variants(y).len() {
                    problems.push(format!(
                        "union {:?} {:?} vs {:?} {:?}",
                        x.kind,
                        variants(x),
                        y.kind,
                        variants(y)
                    ));
                } else {
                    for (vx, vy) in x.variants.iter().zip(&y.variants) {
                        if !self.same_ref(&vx.ty, &vy.ty) {
                            problems.push(format!(
                                "variant {}: `{}` vs {}: `{}`",
                                vx.rust_variant,
                                surface::type_display(&vx.ty),
                                vy.rust_variant,
                                surface::type_display(&vy.ty)
                            ));
                        } else if vx.rust_variant != vy.rust_variant {
                            // Variants of named types are named after them: a renamed type
                            // renames its variant too.
                            let renamed_only = matches!(
                                (&vx.ty, &vy.ty),
                                (TypeRef::Named(a), TypeRef::Named(b))
                                    if vx.rust_variant == a.0 && vy.rust_variant == b.0
                            );
                            if !renamed_only {
                                problems.push(format!(
                                    "variant {} vs {}",
                                    vx.rust_variant, vy.rust_variant
                                ));
                            }
                        }
                    }
                }
                let disc = |u: &codegen::model::UnionType| {
                    u.discriminator
                        .as_ref()
                        .map(|d| (d.property.clone(), d.mapping.clone()))
                };
                if disc(x) != disc(y) {
                    problems.push(format!("discriminator {:?} vs {:?}", disc(x), disc(y)));
                }
            }
            (TypeKind::Alias(x), TypeKind::Alias(y)) => {
                if !self.same_ref(x, y) {
                    problems.push(format!(
                        "alias of `{}` vs `{}`",
                        surface::type_display(x),
                        surface::type_display(y)
                    ));
                }
            }
            (x, y) => problems.push(format!("{} vs {}", kind_name(x), kind_name(y))),
        }
        problems
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Object(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union enum",
        TypeKind::Alias(_) => "type alias",
    }
}

// ---------------------------------------------------------------------------------------------
// cargo xtask bench-compile

#[derive(clap::Args, Debug, Clone)]
pub struct BenchCompileArgs {
    /// The split root document to generate.
    #[arg(long, default_value = UPSTREAM_SPEC)]
    pub spec: PathBuf,
    /// Timed runs per configuration (the median is reported).
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
}

/// Times `cargo check` of the emitted crate with all features and with only `auth-users`, each
/// after `cargo clean -p sailpoint` (dependencies stay built; an untimed first check builds
/// them). `CARGO_INCREMENTAL=0`, as when the crate is a dependency.
pub fn bench_compile(args: &BenchCompileArgs) -> Result<ExitCode> {
    let root = crate::workspace_root();
    std::env::set_current_dir(&root).context("entering the workspace root")?;
    if !args.spec.is_file() {
        bail!("{} is missing (../shared/upstream)", args.spec.display());
    }
    let out = root.join(OUT_DIR);
    let target = root.join(TARGET_DIR);
    let t = Instant::now();
    let generation = codegen::generate(&Options {
        spec: args.spec.clone(),
        tags: TagFilter::All,
        format_cache: Some(crate::format_cache_path()),
    })?;
    write_crate(&generation.files, &out)?;
    let lines: usize = generation
        .files
        .files
        .iter()
        .filter(|(p, _)| p.starts_with("sailpoint/src"))
        .map(|(_, text)| text.lines().count())
        .sum();
    let (apis, models) = (generation.model.apis.len(), generation.model.types.len());
    drop(generation);
    println!(
        "generated in {} ({lines} lines of Rust under sailpoint/src)",
        secs(t.elapsed())
    );

    let krate = out.join("sailpoint");
    let cargo_in = |args: &[&str]| -> Result<(bool, String)> {
        let output = Command::new(cargo())
            .args(args)
            .current_dir(&krate)
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_INCREMENTAL", "0")
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("running cargo {}", args.join(" ")))?;
        let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stderr));
        Ok((output.status.success(), text))
    };
    let configs: [(String, Vec<&str>); 2] = [
        (
            format!("all features ({apis} APIs, {models} models)"),
            vec!["check", "--all-features"],
        ),
        (
            "--no-default-features --features auth-users".into(),
            vec!["check", "--no-default-features", "--features", "auth-users"],
        ),
    ];
    // (label, sorted times, or the first lines of the failure)
    let mut rows: Vec<(String, Result<Vec<Duration>, String>)> = Vec::new();
    for (label, check) in &configs {
        println!(
            "==> cargo {} (dependencies first, untimed)",
            check.join(" ")
        );
        let measured = (|| -> Result<Vec<Duration>, String> {
            let failure = |what: &str, text: &str| -> String {
                let lines: Vec<&str> = text
                    .lines()
                    .filter(|l| {
                        !l.trim_start().starts_with("Checking ")
                            && !l.trim_start().starts_with("Compiling ")
                    })
                    .collect();
                eprintln!("---- {what} failed; the first 40 lines of its output:");
                for l in lines.iter().take(40) {
                    eprintln!("{l}");
                }
                let errors = lines.iter().filter(|l| l.starts_with("error")).count();
                format!("{what} failed ({errors} `error` lines)")
            };
            let run = |a: &[&str]| cargo_in(a).map_err(|e| format!("{e:#}"));
            let (ok, text) = run(check)?;
            if !ok {
                return Err(failure(&format!("cargo {}", check.join(" ")), &text));
            }
            let mut times = Vec::new();
            for n in 1..=args.runs.max(1) {
                let (ok, text) = run(&["clean", "-p", "sailpoint"])?;
                if !ok {
                    return Err(failure("cargo clean -p sailpoint", &text));
                }
                let t = Instant::now();
                let (ok, text) = run(check)?;
                let elapsed = t.elapsed();
                if !ok {
                    return Err(failure(&format!("cargo {}", check.join(" ")), &text));
                }
                println!("    run {n}: {}", secs(elapsed));
                times.push(elapsed);
            }
            times.sort();
            Ok(times)
        })();
        rows.push((label.clone(), measured));
    }
    println!();
    println!(
        "`cargo check` of the emitted crate from {} (clean `sailpoint`, dependencies built, CARGO_INCREMENTAL=0; {} runs)",
        args.spec.display(),
        args.runs.max(1)
    );
    println!("| crate features | median | min | max |");
    println!("|---|---|---|---|");
    let mut failed = false;
    for (label, measured) in rows {
        match measured {
            Ok(times) => println!(
                "| {label} | {} | {} | {} |",
                secs(times[times.len() / 2]),
                secs(times[0]),
                secs(times[times.len() - 1])
            ),
            Err(why) => {
                failed = true;
                println!("| {label} | FAILED: {why} | | |");
            }
        }
    }
    if failed {
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
