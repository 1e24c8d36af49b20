//! Turns every ```rust block of the generated docs (`generated/docs/**/*.md`) into a module of
//! `$OUT_DIR/doc_examples.rs`, which `tests/doc_examples.rs` includes: each block compiles with
//! the e2e tests, and the test runs each block's `main()`.
//!
//! For a block at line 72 of `generated/docs/methods/auth-users.md` (the first block of that
//! page) the file holds
//!
//! ```text
//! #[allow(unused, clippy::all)]
//! pub mod methods_auth_users_1 {
//!     // generated/docs/methods/auth-users.md:72
//!     <the block>
//!     pub fn __doc_example_run() -> Result<(), String> { … main() … }
//! }
//! ```
//!
//! and `DOC_EXAMPLES`, one `DocExample` (module, file, line, source, runner) per block.
//! A fence info string with `ignore` leaves the block out; `no_run` compiles it without running.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest_dir
        .parent()
        .expect("e2e lives one level below the workspace root")
        .to_path_buf();
    let docs = root.join("generated").join("docs");
    println!("cargo:rerun-if-changed=build.rs");
    // A folder: cargo reruns this script when any file below it changes.
    println!("cargo:rerun-if-changed={}", docs.display());

    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    let code = match collect(&root, &docs) {
        Ok(blocks) => render(&blocks, None),
        Err(problem) => render(&[], Some(&problem)),
    };
    fs::write(out.join("doc_examples.rs"), code).expect("write $OUT_DIR/doc_examples.rs");
}

/// One ```rust block of a docs page.
struct Block {
    /// e.g. `methods_auth_users_1`.
    module: String,
    /// Relative to the workspace root, e.g. `generated/docs/methods/auth-users.md`.
    file: String,
    /// 1-based line of the opening fence.
    line: usize,
    code: String,
    /// Whether the test runs its `main()` (it has one, and the fence does not say `no_run`).
    run: bool,
}

fn collect(root: &Path, docs: &Path) -> Result<Vec<Block>, String> {
    if !docs.is_dir() {
        return Err(format!(
            "{} is missing: run `cargo xtask generate`",
            docs.display()
        ));
    }
    let mut files = Vec::new();
    markdown_files(docs, &mut files).map_err(|e| format!("{}: {e}", docs.display()))?;
    files.sort();
    let mut blocks = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let relative = file.strip_prefix(root).unwrap_or(&file);
        let stem = module_stem(file.strip_prefix(docs).unwrap_or(&file));
        let display = relative.to_string_lossy().replace('\\', "/");
        for (index, (line, info, code)) in rust_blocks(&text).into_iter().enumerate() {
            if info.iter().any(|w| w == "ignore") {
                continue;
            }
            let run = !info.iter().any(|w| w == "no_run") && has_main(&code);
            blocks.push(Block {
                module: format!("{stem}_{}", index + 1),
                file: display.clone(),
                line,
                code,
                run,
            });
        }
    }
    Ok(blocks)
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            markdown_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "md" || e == "mdx") {
            out.push(path);
        }
    }
    Ok(())
}

/// `methods/auth-users.md` -> `methods_auth_users`.
fn module_stem(relative: &Path) -> String {
    let text = relative.with_extension("").to_string_lossy().into_owned();
    let mut stem: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if stem.starts_with(|c: char| c.is_ascii_digit()) {
        stem.insert(0, '_');
    }
    stem
}

/// The fenced blocks whose info string starts with `rust`: (line of the opening fence, the info
/// string's words, the code without the fence's indentation).
fn rust_blocks(text: &str) -> Vec<(usize, Vec<String>, String)> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((number, line)) = lines.next() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = &line[indent..];
        let Some(fence_char) = trimmed.chars().next().filter(|c| *c == '`' || *c == '~') else {
            continue;
        };
        let fence_len = trimmed.chars().take_while(|c| *c == fence_char).count();
        if indent > 3 || fence_len < 3 {
            continue;
        }
        let info: Vec<String> = trimmed[fence_len..]
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let mut code = String::new();
        for (_, line) in lines.by_ref() {
            let inner = line.trim_start_matches(' ');
            let closing = inner.chars().take_while(|c| *c == fence_char).count();
            if closing >= fence_len && inner[closing..].trim().is_empty() {
                break;
            }
            let strip = (line.len() - inner.len()).min(indent);
            code.push_str(&line[strip..]);
            code.push('\n');
        }
        if info.first().is_some_and(|w| w == "rust") {
            blocks.push((number + 1, info, code));
        }
    }
    blocks
}

fn has_main(code: &str) -> bool {
    code.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with("fn main(") || l.starts_with("async fn main(")
    })
}

fn render(blocks: &[Block], problem: Option<&str>) -> String {
    let mut out = String::from(
        "// Generated by e2e/build.rs from generated/docs/**/*.md. Do not edit.\n\n\
         /// One ```rust block of the docs.\n\
         #[derive(Debug, Clone, Copy)]\n\
         pub struct DocExample {\n\
         \x20   /// Its module in this file, e.g. `methods_auth_users_1`.\n\
         \x20   pub module: &'static str,\n\
         \x20   /// The docs page, relative to the workspace root.\n\
         \x20   pub file: &'static str,\n\
         \x20   /// The line of the block's opening fence.\n\
         \x20   pub line: usize,\n\
         \x20   /// The block.\n\
         \x20   pub source: &'static str,\n\
         \x20   /// Runs the block's `main()`; `None` for a block that is only compiled.\n\
         \x20   pub run: Option<fn() -> Result<(), String>>,\n\
         }\n\n\
         /// What a doc example's `main()` returns: `()` or a `Result`.\n\
         pub trait DocExampleOutcome {\n\
         \x20   /// `Err` with the error's text when `main()` failed.\n\
         \x20   fn into_outcome(self) -> Result<(), String>;\n\
         }\n\n\
         impl DocExampleOutcome for () {\n\
         \x20   fn into_outcome(self) -> Result<(), String> {\n\
         \x20       Ok(())\n\
         \x20   }\n\
         }\n\n\
         impl<E: std::fmt::Display> DocExampleOutcome for Result<(), E> {\n\
         \x20   fn into_outcome(self) -> Result<(), String> {\n\
         \x20       self.map_err(|e| e.to_string())\n\
         \x20   }\n\
         }\n\n",
    );
    let _ = writeln!(
        out,
        "/// Why the docs could not be read, if they could not.\npub const DOC_EXAMPLES_PROBLEM: Option<&str> = {problem:?};\n"
    );
    for block in blocks {
        let _ = write!(
            out,
            "#[allow(unused, clippy::all)]\npub mod {module} {{\n// {file}:{line}\n{code}",
            module = block.module,
            file = block.file,
            line = block.line,
            code = block.code,
        );
        if block.run {
            out.push_str(
                "\n/// Runs this example's `main()`.\n\
                 pub fn __doc_example_run() -> ::std::result::Result<(), ::std::string::String> {\n\
                 \x20   super::DocExampleOutcome::into_outcome(main())\n\
                 }\n",
            );
        }
        out.push_str("}\n\n");
    }
    out.push_str("/// Every ```rust block of the docs, in file order.\npub const DOC_EXAMPLES: &[DocExample] = &[\n");
    for block in blocks {
        let run = if block.run {
            format!("Some({}::__doc_example_run)", block.module)
        } else {
            "None".to_owned()
        };
        let _ = writeln!(
            out,
            "    DocExample {{ module: {:?}, file: {:?}, line: {}, source: {:?}, run: {run} }},",
            block.module, block.file, block.line, block.code
        );
    }
    out.push_str("];\n");
    out
}
