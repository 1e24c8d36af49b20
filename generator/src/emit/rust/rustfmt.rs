//! A last pass of `rustfmt` over the emitted crate, so that `cargo fmt --check` passes on it:
//! prettyplease lays code out readably but not exactly as rustfmt would (it wraps at 89 columns).
//!
//! rustfmt is single-threaded and given `lib.rs` it formats the whole crate in one process. So
//! the files that declare out-of-line modules (`lib.rs`, the `mod.rs` files) are formatted
//! through stdin, where rustfmt does not follow `mod` items, and all the other files are split
//! into one batch per core, formatted by parallel rustfmt processes.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::Error;
use crate::output::FileSet;

fn rustfmt_command() -> Command {
    Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into()))
}

/// rustfmt run in `dir` (a [`Scratch`] folder) with the configuration written there: rustfmt's
/// defaults, never a `rustfmt.toml` of wherever the generator runs nor the user's own
/// (`~/.config/rustfmt/`), so that the output is the same on every machine.
fn rustfmt(dir: &Path) -> Command {
    let mut command = rustfmt_command();
    command
        .args(["--edition", "2021", "--config-path"])
        .arg(dir.join(CONFIG))
        .current_dir(dir);
    command
}

const CONFIG: &str = "rustfmt.toml";

/// A folder of this generation's own for rustfmt's input and configuration, removed when
/// dropped. Memory-backed when the system has it: creating ~2,000 files on disk costs more
/// than formatting some of them.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Scratch, Error> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = base.join(format!("sailpoint-rustfmt-{}-{n}", std::process::id()));
        let io = |e: std::io::Error| failed(format!("{}: {e}", dir.display()));
        std::fs::create_dir_all(&dir).map_err(io)?;
        std::fs::write(
            dir.join(CONFIG),
            "# rustfmt's defaults, whatever the configuration of the machine.\n",
        )
        .map_err(io)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn failed(message: String) -> Error {
    Error::Emit {
        what: "the rustfmt pass".into(),
        message,
    }
}

fn cannot_run(e: std::io::Error) -> Error {
    failed(format!(
        "cannot run rustfmt ({e}); install it with `rustup component add rustfmt`"
    ))
}

/// Whether `text` declares a module in another file (`mod x;`), which rustfmt would follow.
fn declares_file_modules(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        let line = line
            .strip_prefix("pub(crate) ")
            .or_else(|| line.strip_prefix("pub "))
            .unwrap_or(line);
        line.strip_prefix("mod ")
            .is_some_and(|rest| rest.trim_end().ends_with(';'))
    })
}

/// Formats `text` through rustfmt's stdin, with `args` added; `what` names it in errors.
fn format_stdin(dir: &Path, args: &[&str], text: String, what: &str) -> Result<String, Error> {
    let mut child = rustfmt(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(cannot_run)?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| failed("rustfmt has no stdin".into()))?;
    // Written from another thread: rustfmt may fill its stdout pipe before reading all input.
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let out = child.wait_with_output().map_err(cannot_run)?;
    let written = writer
        .join()
        .map_err(|_| failed("writing to rustfmt panicked".into()))?;
    if !out.status.success() {
        return Err(failed(format!(
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    written.map_err(|e| failed(format!("writing {what} to rustfmt: {e}")))?;
    String::from_utf8(out.stdout).map_err(|e| failed(format!("{what}: {e}")))
}

/// Formats the files at `paths` in place with one rustfmt process.
fn format_paths(dir: &Path, paths: &[PathBuf]) -> Result<(), Error> {
    if paths.is_empty() {
        return Ok(());
    }
    let out = rustfmt(dir).args(paths).output().map_err(cannot_run)?;
    if !out.status.success() {
        return Err(failed(String::from_utf8_lossy(&out.stderr).into_owned()));
    }
    Ok(())
}

/// Splits `paths` into `n` batches of about equal total size (largest first, each to the
/// lightest batch).
fn batches(mut paths: Vec<(PathBuf, usize)>, n: usize) -> Vec<Vec<PathBuf>> {
    paths.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut out: Vec<(usize, Vec<PathBuf>)> = vec![(0, Vec::new()); n.max(1)];
    for (path, size) in paths {
        if let Some(lightest) = out.iter_mut().min_by_key(|(total, _)| *total) {
            lightest.0 += size;
            lightest.1.push(path);
        }
    }
    out.into_iter().map(|(_, batch)| batch).collect()
}

/// The version rustfmt prints (`rustfmt 1.9.0-stable (…)`), if it runs.
pub fn version() -> Option<String> {
    let out = rustfmt_command().arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Formats the files of `files` at `paths` (crate `.rs` files) in place.
pub fn format_crate(files: &mut FileSet, paths: Vec<PathBuf>) -> Result<(), Error> {
    if paths.is_empty() {
        return Ok(());
    }
    let (parents, leaves): (Vec<PathBuf>, Vec<PathBuf>) = paths
        .into_iter()
        .partition(|p| declares_file_modules(&files.files[p]));
    let scratch = Scratch::new()?;
    let dir = &scratch.0;
    let io = |e: std::io::Error| failed(e.to_string());
    // The scratch folder goes when `scratch` drops, also on an early return.
    let mut sized = Vec::new();
    for p in &leaves {
        let t = dir.join(p);
        if let Some(parent) = t.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let text = &files.files[p];
        std::fs::write(&t, text).map_err(io)?;
        sized.push((t, text.len()));
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let dir = dir.as_path();
    let formatted_parents = std::thread::scope(|scope| {
        let workers: Vec<_> = batches(sized, cores)
            .into_iter()
            .map(|batch| scope.spawn(move || format_paths(dir, &batch)))
            .collect();
        let parents: Result<Vec<(PathBuf, String)>, Error> = parents
            .iter()
            .map(|p| {
                let text = files.files[p].clone();
                let what = p.display().to_string();
                Ok((p.clone(), format_stdin(dir, &[], text, &what)?))
            })
            .collect();
        for worker in workers {
            worker
                .join()
                .map_err(|_| failed("a rustfmt worker panicked".into()))??;
        }
        parents
    })?;
    for (p, text) in formatted_parents {
        files.files.insert(p, text);
    }
    for p in &leaves {
        let text = std::fs::read_to_string(dir.join(p)).map_err(io)?;
        files.files.insert(p.clone(), text);
    }
    Ok(())
}

/// Formats standalone Rust programs (the docs' examples) with rustfmt, as `cargo fmt` would
/// format each as a file of its own; one rustfmt process per core, not one per program.
///
/// Each program is wrapped in `mod __example_N { … }` and formatted with `max_width` raised by
/// the wrapper's indentation, so the program gets the usual 100 columns; then the wrapper is
/// taken off again.
pub fn format_programs(programs: &[String]) -> Result<Vec<String>, Error> {
    if programs.is_empty() {
        return Ok(Vec::new());
    }
    let scratch = Scratch::new()?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = programs.len().div_ceil(cores).max(1);
    let batches: Vec<&[String]> = programs.chunks(chunk).collect();
    let formatted =
        crate::parallel::on_every_core(&batches, |batch| format_batch(&scratch.0, batch))
            .ok_or_else(|| failed("a rustfmt worker panicked".into()))?;
    let mut out = Vec::with_capacity(programs.len());
    for batch in formatted {
        out.extend(batch?);
    }
    Ok(out)
}

const WRAPPER: &str = "mod __example_";

fn format_batch(dir: &Path, programs: &[String]) -> Result<Vec<String>, Error> {
    let mut text = String::new();
    for (i, program) in programs.iter().enumerate() {
        text.push_str(&format!("{WRAPPER}{i} {{\n{program}\n}}\n\n"));
    }
    let formatted = format_stdin(
        dir,
        &["--config", "max_width=104"],
        text,
        "the docs examples",
    )?;
    let unwrapped = unwrap_programs(&formatted);
    if unwrapped.len() != programs.len() {
        return Err(failed(format!(
            "formatting the docs examples: {} programs in, {} out",
            programs.len(),
            unwrapped.len()
        )));
    }
    Ok(unwrapped)
}

/// Takes the programs out of their `mod __example_N { … }` wrappers, one indentation level less.
fn unwrap_programs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match current.as_mut() {
            None => {
                if line.starts_with(WRAPPER) {
                    current = Some(String::new());
                }
            }
            Some(program) => {
                if line == "}" {
                    out.push(std::mem::take(program));
                    current = None;
                } else {
                    program.push_str(line.strip_prefix("    ").unwrap_or(line));
                    program.push('\n');
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_out_of_line_modules_count() {
        assert!(declares_file_modules("pub mod v2024;\n"));
        assert!(declares_file_modules(
            "#[cfg(feature = \"x\")]\nmod access;\n"
        ));
        assert!(declares_file_modules("    pub(crate) mod client;"));
        assert!(!declares_file_modules("mod tests {\n}\n"));
        assert!(!declares_file_modules("// a model;\nstruct Mod;\n"));
    }

    #[test]
    fn programs_come_out_of_their_wrappers() {
        let text = "mod __example_0 {\n    use a::b;\n\n    fn main() {\n        x();\n    }\n}\n\nmod __example_1 {\n    fn main() {}\n}\n";
        assert_eq!(
            unwrap_programs(text),
            ["use a::b;\n\nfn main() {\n    x();\n}\n", "fn main() {}\n"]
        );
    }

    #[test]
    fn batches_balance_sizes() {
        let p = |s: &str, n| (PathBuf::from(s), n);
        let b = batches(vec![p("a", 10), p("b", 6), p("c", 5), p("d", 1)], 2);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0], [PathBuf::from("a"), PathBuf::from("d")]);
        assert_eq!(b[1], [PathBuf::from("b"), PathBuf::from("c")]);
    }
}
