//! `generated/` is exactly what the generator makes from `spec/` now: a stale copy fails here.

use std::path::Path;

use codegen::{generate, Options, TagFilter, DEFAULT_TAG};

#[test]
fn generated_folder_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let generation = generate(&Options {
        spec: root.join("spec/sailpoint-api.v2024.yaml"),
        tags: TagFilter::Tags(vec![DEFAULT_TAG.to_string()]),
        format_cache: None,
    })
    .unwrap();
    let diff = generation.files.diff(&root.join("generated"));
    assert!(
        diff.is_empty(),
        "generated/ is stale; run `cargo xtask generate`:\n{}",
        diff.join("\n")
    );
}
