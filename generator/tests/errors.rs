//! Bad input gives a clear error naming the file, the place in it, the `$ref` chain and what is
//! wrong; good but tricky input (refs to refs, pointer fragments, recursion) loads and emits.

use std::path::{Path, PathBuf};

use codegen::load::load;
use codegen::{generate, Options, TagFilter};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .join("root.yaml")
}

fn error_of(name: &str) -> String {
    match load(&fixture(name)) {
        Ok(_) => panic!("{name} loaded, but it is broken"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn missing_file_names_the_ref_its_place_and_the_chain() {
    let e = error_of("bad/missing-file");
    assert!(e.contains("paths/things.yaml:10:13"), "{e}");
    assert!(
        e.contains("'../schemas/Thing.yaml' points to a file that does not exist"),
        "{e}"
    );
    assert!(e.contains("schemas/Thing.yaml"), "{e}");
    // How the loader got to the referring file.
    assert!(
        e.contains("referenced from") && e.contains("root.yaml:5:5"),
        "{e}"
    );
}

#[test]
fn missing_pointer_target_says_what_is_missing() {
    let e = error_of("bad/missing-pointer");
    assert!(e.contains("root.yaml:14:17"), "{e}");
    assert!(
        e.contains("'./schemas/defs.yaml#/Thing' points to nothing"),
        "{e}"
    );
    assert!(e.contains("has no node at '/Thing'"), "{e}");
}

#[test]
fn missing_local_component() {
    let e = error_of("bad/missing-local");
    assert!(e.contains("root.yaml:14:17"), "{e}");
    assert!(
        e.contains("'#/components/schemas/Nope' points to nothing"),
        "{e}"
    );
}

#[test]
fn unparsable_yaml_gives_line_and_column() {
    let e = error_of("bad/unparsable");
    assert!(
        e.contains("bad/unparsable/root.yaml:8:1") || e.contains("bad/unparsable/root.yaml:7"),
        "{e}"
    );
    assert!(e.contains("unparsable YAML"), "{e}");
}

#[test]
fn not_an_openapi_document() {
    let e = error_of("bad/not-openapi");
    assert!(
        e.contains("not an OpenAPI 3.0 document") && e.contains("no `openapi` version field"),
        "{e}"
    );
    let e = error_of("bad/swagger");
    assert!(e.contains("Swagger 2.0"), "{e}");
}

#[test]
fn missing_root_file() {
    let e = load(Path::new("no/such/spec.yaml"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("cannot read") && e.contains("no/such/spec.yaml"),
        "{e}"
    );
}

#[test]
fn refs_to_refs_fragments_and_recursive_schemas_load_and_emit() {
    let spec = load(&fixture("good/refs")).unwrap();
    let schemas = &spec.api.components.as_ref().unwrap().schemas;
    for name in ["Node", "Owner", "Problem", "Detail", "Alias", "Local"] {
        assert!(
            schemas.contains_key(name),
            "{name} missing: {:?}",
            schemas.keys().collect::<Vec<_>>()
        );
    }
    // The root's own component, reached by a file ref into the root, is not duplicated.
    assert_eq!(schemas.len(), 6, "{:?}", schemas.keys().collect::<Vec<_>>());

    let generation = generate(&Options {
        spec: fixture("good/refs"),
        tags: TagFilter::All,
        format_cache: None,
    })
    .unwrap();
    let node = &generation.files.files[Path::new("sailpoint/src/v2024/models/node.rs")];
    // Direct recursion is boxed; recursion through a list needs no box.
    assert!(node.contains("pub parent: Option<Box<Node>>"), "{node}");
    assert!(node.contains("pub children: Option<Vec<Node>>"), "{node}");
}

#[test]
fn unknown_tag_lists_the_known_ones() {
    let e = generate(&Options {
        spec: fixture("good/refs"),
        tags: TagFilter::Tags(vec!["Nope".into()]),
        format_cache: None,
    })
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("no tag named \"Nope\"") && e.contains("Nodes"),
        "{e}"
    );
}
