//! Loading: a root spec file and every file its `$ref`s reach, into one `openapiv3::OpenAPI`.
//!
//! Each schema (and response, parameter, …) that a file defines becomes one named component,
//! whichever files refer to it; every `$ref` in the result is local (`#/components/…`). Path
//! items that live in their own files are inlined under `paths`, since OpenAPI 3.0 has no
//! path-item components. See ARCHITECTURE.md for the naming rule.

mod lenient;
mod prefetch;
mod resolve;
pub mod source;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Location};
use source::SourceFile;

/// The loaded document and what is known about where its parts came from.
#[derive(Debug)]
pub struct LoadedSpec {
    pub api: openapiv3::OpenAPI,
    /// The root file.
    pub root: PathBuf,
    /// Lenient fixes made while loading (spec defects), each with its place.
    pub warnings: Vec<Warning>,
    /// Where each component and path item came from: key `components/<kind>/<name>` or
    /// `paths/<path>` -> (file, JSON pointer in that file).
    origins: HashMap<String, (PathBuf, String)>,
    /// File texts, for locating nodes in messages.
    texts: HashMap<PathBuf, SourceFile>,
    /// Number of files read.
    pub file_count: usize,
}

/// A spec defect that the loader or lowering accepted leniently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}: {}", self.location, self.message)
    }
}

impl LoadedSpec {
    /// Locates a node of the loaded document, given as a path below a component or path item:
    /// `origin_key` is `components/schemas/AuthUser` or `paths//auth-users/{id}`, `rest` a JSON
    /// pointer below it (e.g. `/properties/id`).
    pub fn locate(&self, origin_key: &str, rest: &str) -> Location {
        match self.origins.get(origin_key) {
            Some((file, pointer)) => {
                let full = format!("{pointer}{rest}");
                match self.texts.get(file) {
                    Some(src) => src.locate(&full),
                    None => Location {
                        file: file.clone(),
                        line: 1,
                        column: 1,
                        pointer: full,
                    },
                }
            }
            None => Location {
                file: self.root.clone(),
                line: 1,
                column: 1,
                pointer: format!("/{origin_key}{rest}"),
            },
        }
    }
}

/// Loads the document whose root file is `path`.
pub fn load(path: &Path) -> Result<LoadedSpec, Error> {
    resolve::Resolver::load(path)
}
