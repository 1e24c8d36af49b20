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

    /// Writes the set under `out`, touching only what changed: unchanged files are left as they
    /// are (same inode and modification time, so cargo does not rebuild them), files no longer
    /// made are removed. It is all or nothing: new contents are first written beside their
    /// targets (or, for new files, in place) and only renamed over the old files once all are
    /// written; if any write fails, what was written is removed and the old output is as it was.
    pub fn write(&self, out: &Path) -> Result<(), Error> {
        fs::create_dir_all(out).map_err(write_error(out))?;
        let entries: Vec<(&PathBuf, &String)> = self.files.iter().collect();
        // Comparing with what is on disk is most of a regeneration: spread it over the cores.
        let compared = crate::parallel::on_every_core(&entries, |(rel, contents)| {
            let path = out.join(rel);
            match fs::read(&path) {
                Ok(old) if old == contents.as_bytes() => None,
                Ok(_) => Some((path, *contents, true)),
                Err(_) => Some((path, *contents, false)),
            }
        });
        let changed: Vec<(PathBuf, &String, bool)> = compared
            .ok_or_else(|| Error::Write {
                path: out.to_path_buf(),
                source: std::io::Error::other("a worker thread panicked"),
            })?
            .into_iter()
            .flatten()
            .collect();
        let mut gone = Vec::new();
        for dir in self.owned_dirs() {
            for file in walk(&out.join(&dir)) {
                let rel = file.strip_prefix(out).unwrap_or(&file);
                if !self.files.contains_key(rel) {
                    gone.push(file);
                }
            }
        }

        // Phase 1: every new text on disk, nothing of the old output changed yet.
        let suffix = format!(".generate-{}", std::process::id());
        let mut written: Vec<PathBuf> = Vec::new();
        let mut made_dirs: Vec<PathBuf> = Vec::new();
        let mut staged = || -> Result<(), Error> {
            for (path, contents, exists) in &changed {
                if let Some(parent) = path.parent() {
                    make_dirs(parent, &mut made_dirs)?;
                }
                let target = if *exists {
                    staged_path(path, &suffix)
                } else {
                    path.clone()
                };
                written.push(target.clone());
                fs::write(&target, contents).map_err(write_error(&target))?;
            }
            Ok(())
        };
        if let Err(e) = staged() {
            for path in &written {
                let _ = fs::remove_file(path);
            }
            for dir in made_dirs.iter().rev() {
                let _ = fs::remove_dir(dir);
            }
            return Err(e);
        }

        // Phase 2: renames over the old files (which do not fail on one file system), then
        // the removals.
        for (path, _, exists) in &changed {
            if *exists {
                let staged = staged_path(path, &suffix);
                fs::rename(&staged, path).map_err(write_error(path))?;
            }
        }
        for file in &gone {
            fs::remove_file(file).map_err(write_error(file))?;
            // Folders left empty go too.
            let mut dir = file.parent();
            while let Some(d) = dir {
                if d == out || fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        Ok(())
    }
}

fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_path_buf();
    move |source| Error::Write { path, source }
}

/// `path` with `suffix` added to its file name: where its new text waits for the rename.
fn staged_path(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Creates `dir` and its missing parents, noting the ones it created (outermost first).
fn make_dirs(dir: &Path, made: &mut Vec<PathBuf>) -> Result<(), Error> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        make_dirs(parent, made)?;
    }
    match fs::create_dir(dir) {
        Ok(()) => {
            made.push(dir.to_path_buf());
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(write_error(dir)(e)),
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
        // The entry's type comes with the directory listing: no `stat` per file.
        if e.file_type().is_ok_and(|t| t.is_dir()) {
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

    /// An empty folder of this test's own.
    fn scratch(name: &str) -> PathBuf {
        let out =
            std::env::temp_dir().join(format!("codegen-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&out);
        out
    }

    fn set(files: &[(&str, &str)]) -> FileSet {
        let mut set = FileSet::default();
        for (path, contents) in files {
            set.add(*path, *contents);
        }
        set
    }

    #[test]
    fn rewriting_keeps_unchanged_files_and_replaces_the_rest() {
        let out = scratch("test");
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

    #[test]
    fn a_failed_write_leaves_the_old_output_as_it_was() {
        let out = scratch("fail");
        let old = set(&[("crate/a.rs", "a"), ("crate/z", "a file, not a folder")]);
        old.write(&out).unwrap();

        // `crate/a.rs` changes (its new text is staged), then `crate/z/b.rs` cannot be written
        // because `crate/z` is a file: nothing may have changed.
        let err = set(&[
            ("crate/a.rs", "a2"),
            ("crate/new.rs", "n"),
            ("crate/z/b.rs", "b"),
        ])
        .write(&out)
        .unwrap_err();
        assert!(err.to_string().contains("crate/z/b.rs"), "{err}");
        assert!(old.diff(&out).is_empty(), "{:?}", old.diff(&out));
        let names: Vec<_> = fs::read_dir(out.join("crate"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "staged or new files left behind: {names:?}");
        fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn folders_left_empty_are_removed() {
        let out = scratch("empty");
        set(&[("crate/a.rs", "a"), ("crate/deep/er/b.rs", "b")])
            .write(&out)
            .unwrap();
        set(&[("crate/a.rs", "a")]).write(&out).unwrap();
        assert!(!out.join("crate/deep").exists());
        assert!(out.join("crate/a.rs").exists());
        fs::remove_dir_all(&out).unwrap();
    }
}
