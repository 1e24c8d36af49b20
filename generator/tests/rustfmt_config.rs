//! A maintainer's own rustfmt configuration (`~/.config/rustfmt/rustfmt.toml`) does not change
//! what the generator makes: `generated/` comes out the same as on CI.
//!
//! Alone in its test binary, because it sets environment variables for the whole process.

use std::path::Path;

use codegen::{generate, Options, TagFilter, DEFAULT_TAG};

#[test]
fn a_personal_rustfmt_config_changes_nothing() {
    let home = std::env::temp_dir().join(format!("codegen-rustfmt-home-{}", std::process::id()));
    let config = home.join(".config/rustfmt");
    std::fs::create_dir_all(&config).unwrap();
    // Settings that would change almost every line.
    std::fs::write(
        config.join("rustfmt.toml"),
        "max_width = 40\nhard_tabs = true\n",
    )
    .unwrap();
    // rustfmt looks in $XDG_CONFIG_HOME/rustfmt (HOME is left alone: rustup finds the
    // toolchain through it). Set before any thread starts.
    std::env::set_var("XDG_CONFIG_HOME", home.join(".config"));

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let generation = generate(&Options {
        spec: root.join("spec/sailpoint-api.v2024.yaml"),
        tags: TagFilter::Tags(vec![DEFAULT_TAG.to_string()]),
        format_cache: None,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let diff = generation.files.diff(&root.join("generated"));
    std::fs::remove_dir_all(&home).unwrap();
    assert!(
        diff.is_empty(),
        "the personal config leaked into the output:\n{}",
        diff.join("\n")
    );
}
