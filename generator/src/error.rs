//! The generator's errors: each names the file, the place in it, how the loader got there, and
//! what is wrong.

use std::fmt;
use std::path::PathBuf;

/// A place in a spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    /// 1-based.
    pub line: usize,
    /// 1-based.
    pub column: usize,
    /// JSON pointer of the node inside the file (empty for the whole file).
    pub pointer: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            display_path(&self.file),
            self.line,
            self.column
        )?;
        if !self.pointer.is_empty() {
            write!(f, " (at {})", self.pointer)?;
        }
        Ok(())
    }
}

/// A path as the user would type it: relative to the working directory when below it.
pub fn display_path(path: &std::path::Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Formats the `$ref` chain that led to a file, one hop a line.
pub struct Chain<'a>(pub &'a [String]);

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for hop in self.0 {
            write!(f, "\n  referenced from {hop}")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {}: {source}{}", display_path(path), Chain(chain))]
    Io {
        path: PathBuf,
        chain: Vec<String>,
        source: std::io::Error,
    },

    #[error("{location}: unparsable YAML: {message}{}", Chain(chain))]
    Yaml {
        location: Location,
        chain: Vec<String>,
        message: String,
    },

    /// `message` says which `$ref` and which file: "$ref 'x.yaml' points to a file that …".
    #[error("{location}: {message}{}", Chain(chain))]
    MissingFile {
        location: Location,
        message: String,
        chain: Vec<String>,
    },

    /// `message` says which `$ref` and what is missing.
    #[error("{location}: {message}{}", Chain(chain))]
    MissingTarget {
        location: Location,
        message: String,
        chain: Vec<String>,
    },

    #[error("{location}: not an OpenAPI 3.0 document: {message}{}", Chain(chain))]
    NotOpenApi {
        location: Location,
        message: String,
        chain: Vec<String>,
    },

    #[error("{location}: {message}")]
    Invalid { location: Location, message: String },

    #[error("no tag named {tag:?} in the document (tags: {known})")]
    UnknownTag { tag: String, known: String },

    #[error("the model does not support {} construct(s) yet:\n{}", .0.len(), .0.join("\n"))]
    Unsupported(Vec<String>),

    #[error("emitting {what}: {message}")]
    Emit { what: String, message: String },

    #[error("writing {}: {source}", display_path(path))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    /// Sets the `$ref` chain of an error raised where the chain was not known.
    pub fn with_chain(mut self, new_chain: Vec<String>) -> Error {
        match &mut self {
            Error::Io { chain, .. }
            | Error::Yaml { chain, .. }
            | Error::MissingFile { chain, .. }
            | Error::MissingTarget { chain, .. }
            | Error::NotOpenApi { chain, .. } => *chain = new_chain,
            _ => {}
        }
        self
    }
}
