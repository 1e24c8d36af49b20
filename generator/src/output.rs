//! The files a generation makes, and writing them: atomically, into the folders the generator
//! owns, removing what it no longer makes; or comparing them with what is on disk.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Files by path relative to the output folder, e.g. `sailpoint/src/lib.rs`, `docs/methods/auth-users.md`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FileSet {
    pub files: BTreeMap<PathBuf, String>,
}

impl FileSet {
    pub fn add(&mut self, path: impl Into<PathBuf>, contents: impl Into<String>) {
        self.files.insert(path.into(), contents.into());
    }

    /// The top-level folders this set writes: the only folders of `out` the generator touches.
    pub fn owned_dirs(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = self
            .files
            .keys()
            .filter_map(|p| p.components().next())
            .map(|c| PathBuf::from(c.as_os_str()))
            .collect();
        dirs.dedup();
        dirs
    }

    /// Paths that differ between this set and `out` (changed, missing, or no longer made).
    pub fn diff(&self, out: &Path) -> Vec<String> {
        let mut differing = Vec::new();
        for (rel, contents) in &self.files {
            match fs::read_to_string(out.join(rel)) {
                Ok(existing) if existing == *contents => {}
                Ok(_) => differing.push(format!("changed: {}", rel.display())),
                Err(_) => differing.push(format!("missing: {}", rel.display())),
            }
        }
        for dir in self.owned_dirs() {
            for file in walk(&out.join(&dir)) {
                let rel = file.strip_prefix(out).unwrap_or(&file).to_path_buf();
                if !self.files.contains_key(&rel) {
                    differing.push(format!("not generated any more: {}", rel.display()));
                }
            }
        }
        differing
    }

    /// Writes the set under `out`: each owned folder is built complete in a temporary folder
    /// beside it, then swapped in, so a failure leaves the old output as it was.
    pub fn write(&self, out: &Path) -> Result<(), Error> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Write { path, source }
        };
        fs::create_dir_all(out).map_err(io(out))?;
        let staging = out.join(format!(".generate-{}", std::process::id()));
        let _ = fs::remove_dir_all(&staging);
        let result = (|| {
            for (rel, contents) in &self.files {
                let path = staging.join(rel);
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(io(parent))?;
                }
                fs::write(&path, contents).map_err(io(&path))?;
            }
            for dir in self.owned_dirs() {
                let target = out.join(&dir);
                let old = staging.join(format!("{}.old", dir.display()));
                if target.exists() {
                    fs::rename(&target, &old).map_err(io(&target))?;
                }
                if let Err(e) = fs::rename(staging.join(&dir), &target) {
                    // Put the old folder back before reporting.
                    let _ = fs::rename(&old, &target);
                    return Err(Error::Write {
                        path: target,
                        source: e,
                    });
                }
            }
            Ok(())
        })();
        let _ = fs::remove_dir_all(&staging);
        result
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}
