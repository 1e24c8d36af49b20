//! insta snapshots of the emitted crate's files for the Auth Users selection (the runtime,
//! copied verbatim from templates/rust/runtime, is left out: it does not depend on the spec).

use std::path::Path;

use codegen::{generate, Generation, Options, TagFilter, DEFAULT_TAG};

const RUNTIME: [&str; 6] = [
    "auth.rs",
    "client.rs",
    "configuration.rs",
    "error.rs",
    "nullable.rs",
    "paging.rs",
];

/// The default job, generated from the project's spec.
fn auth_users() -> Generation {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    generate(&Options {
        spec: root.join("spec/sailpoint-api.v2024.yaml"),
        tags: TagFilter::Tags(vec![DEFAULT_TAG.to_string()]),
        format_cache: None,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn auth_users_crate_files_match_their_snapshots() {
    let generation = auth_users();
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

/// Operations that share an error response share its example: it is round-tripped once, not
/// once per operation.
#[test]
fn each_example_is_round_tripped_once() {
    let generation = auth_users();
    let tests = &generation.files.files[Path::new("sailpoint/tests/examples.rs")];
    // Each case is `round_trip::<Type>(r#"…"#,);`: the type and the JSON up to the closing `"#`.
    let cases: Vec<&str> = tests
        .split("round_trip::<")
        .skip(1)
        .filter_map(|case| case.split("\"#").next())
        .collect();
    let mut seen = std::collections::HashSet::new();
    for case in &cases {
        assert!(seen.insert(*case), "round-tripped twice:\n{case}");
    }
    assert!(
        cases
            .iter()
            .any(|c| c.starts_with("ErrorResponseDto") && c.contains("403 Forbidden")),
        "the shared 403 example is checked: {cases:#?}"
    );
}
