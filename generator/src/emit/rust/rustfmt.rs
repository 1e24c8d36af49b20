//! A last pass of `rustfmt` over the emitted crate, so that `cargo fmt --check` passes on it:
//! prettyplease lays code out readably but not exactly as rustfmt would (it wraps at 89 columns).

use std::path::PathBuf;
use std::process::Command;

use crate::error::Error;
use crate::output::FileSet;

/// Formats every `.rs` file of the crate under `prefix/` in place.
pub fn format_crate(files: &mut FileSet, prefix: &str) -> Result<(), Error> {
    let paths: Vec<PathBuf> = files
        .files
        .keys()
        .filter(|p| p.starts_with(prefix) && p.extension().is_some_and(|e| e == "rs"))
        .cloned()
        .collect();
    if paths.is_empty() {
        return Ok(());
    }
    let dir = std::env::temp_dir().join(format!(
        "sailpoint-rustfmt-{}-{:p}",
        std::process::id(),
        files
    ));
    let io = |e: std::io::Error| Error::Emit {
        what: "the rustfmt pass".into(),
        message: e.to_string(),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let result = (|| {
        for p in &paths {
            let t = dir.join(p);
            if let Some(parent) = t.parent() {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            std::fs::write(&t, &files.files[p]).map_err(io)?;
        }
        // rustfmt follows `mod` items, so the roots format the whole crate; other roots (tests)
        // are the files no `mod` item reaches.
        let roots: Vec<PathBuf> = paths
            .iter()
            .filter(|p| {
                !p.components().any(|c| c.as_os_str() == "src") || p.ends_with("src/lib.rs")
            })
            .map(|p| dir.join(p))
            .collect();
        let out = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into()))
            .args(["--edition", "2021"])
            .args(&roots)
            .output()
            .map_err(|e| Error::Emit {
                what: "the rustfmt pass".into(),
                message: format!(
                    "cannot run rustfmt ({e}); install it with `rustup component add rustfmt`"
                ),
            })?;
        if !out.status.success() {
            return Err(Error::Emit {
                what: "the rustfmt pass".into(),
                message: String::from_utf8_lossy(&out.stderr).into_owned(),
            });
        }
        for p in &paths {
            let text = std::fs::read_to_string(dir.join(p)).map_err(io)?;
            files.files.insert(p.clone(), text);
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
