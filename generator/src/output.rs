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
                // An unchanged file is linked, not rewritten: it keeps its modification time
                // (so cargo does not rebuild it), and linking is much cheaper than creating a
                // file on file systems such as ext4.
                let current = out.join(rel);
                let unchanged = fs::read(&current).is_ok_and(|old| old == contents.as_bytes());
                if !(unchanged && fs::hard_link(&current, &path).is_ok()) {
                    fs::write(&path, contents).map_err(io(&path))?;
                }
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

/// Every file under `dir` (recursively), sorted; nothing when `dir` cannot be read.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn set(files: &[(&str, &str)]) -> FileSet {
        let mut set = FileSet::default();
        for (path, contents) in files {
            set.add(*path, *contents);
        }
        set
    }

    #[test]
    fn rewriting_keeps_unchanged_files_and_replaces_the_rest() {
        let out = std::env::temp_dir().join(format!("codegen-output-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&out);
        fs::create_dir_all(out.join("notes")).unwrap();
        fs::write(out.join("notes/mine.txt"), "not the generator's").unwrap();

        set(&[
            ("crate/a.rs", "a"),
            ("crate/b.rs", "b"),
            ("crate/gone.rs", "x"),
        ])
        .write(&out)
        .unwrap();
        let before = fs::metadata(out.join("crate/a.rs")).unwrap();

        let next = set(&[
            ("crate/a.rs", "a"),
            ("crate/b.rs", "b2"),
            ("crate/new.rs", "n"),
        ]);
        next.write(&out).unwrap();
        let after = fs::metadata(out.join("crate/a.rs")).unwrap();
        // The unchanged file is the same file: same inode, same modification time.
        assert_eq!(before.ino(), after.ino());
        assert_eq!(before.modified().unwrap(), after.modified().unwrap());
        assert_eq!(fs::read_to_string(out.join("crate/b.rs")).unwrap(), "b2");
        assert_eq!(fs::read_to_string(out.join("crate/new.rs")).unwrap(), "n");
        assert!(!out.join("crate/gone.rs").exists());
        // Folders the set does not own are left alone, and no staging folder is left behind.
        assert!(out.join("notes/mine.txt").exists());
        assert!(next.diff(&out).is_empty(), "{:?}", next.diff(&out));
        let leftovers: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}");
        fs::remove_dir_all(&out).unwrap();
    }
}
