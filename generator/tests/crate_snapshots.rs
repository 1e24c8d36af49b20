//! insta snapshots of the emitted crate's files for the Auth Users selection (the runtime,
//! copied verbatim from templates/rust/runtime, is left out: it does not depend on the spec).

use std::path::Path;

use codegen::{generate, Options, TagFilter, DEFAULT_TAG};

const RUNTIME: [&str; 6] = [
    "auth.rs",
    "client.rs",
    "configuration.rs",
    "error.rs",
    "nullable.rs",
    "paging.rs",
];

#[test]
fn auth_users_crate_files_match_their_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let generation = generate(&Options {
        spec: root.join("spec/sailpoint-api.v2024.yaml"),
        tags: TagFilter::Tags(vec![DEFAULT_TAG.to_string()]),
        format_cache: None,
    })
    .unwrap();
    let mut names = Vec::new();
    for (path, contents) in &generation.files.files {
        let Ok(rel) = path.strip_prefix("sailpoint") else {
            continue;
        };
        if rel.parent() == Some(Path::new("src/v2024")) && RUNTIME.iter().any(|r| rel.ends_with(r))
        {
            continue;
        }
        let name = format!("crate__{}", rel.display()).replace(['/', '.'], "_");
        names.push(name.clone());
        insta::assert_snapshot!(name, contents);
    }
    // The crate's layout itself: a new or vanished file is a change to review.
    insta::assert_snapshot!("crate__files", names.join("\n"));
}
