//! Each construct of the v2024 document as a small fixture spec
//! (`tests/fixtures/constructs/<name>/root.yaml`, most split over two files with a relative
//! `$ref`), generated with every tag. For each: snapshots of the files a user reads
//! (`tests/snapshots/constructs/`), assertions on what a user would notice (types, signatures,
//! names, warnings), and the fixture's whole crate built with `cargo clippy -D warnings` and
//! tested with `cargo test` (its generated example round trips, plus the fixture's
//! `behaviour.rs` when it has one: decoding, and what a one-shot local server receives).
//!
//! Assertions that show a generator bug are `#[ignore = "generator bug: …"]`; run them with
//! `cargo test -p sailpoint-codegen --test constructs -- --ignored`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::model::*;
use codegen::{generate, Generation, Options, TagFilter};
use quote::ToTokens;

/// Every fixture under `tests/fixtures/constructs/`.
const FIXTURES: &[&str] = &[
    "all-of",
    "unions",
    "maps",
    "recursion",
    "scalars",
    "form-bodies",
    "responses",
    "parameters",
    "experimental",
    "deprecated",
    "paging",
    "traps",
    "keywords",
];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/constructs")
}

fn generation(name: &str) -> Generation {
    generate(&Options {
        spec: fixtures_dir().join(name).join("root.yaml"),
        tags: TagFilter::All,
        format_cache: None,
    })
    .unwrap_or_else(|e| panic!("fixture {name} does not generate: {e}"))
}

/// One generated file, by its path in the output (`sailpoint/src/…`, `docs/…`).
fn file<'a>(g: &'a Generation, rel: &str) -> &'a str {
    match g.files.files.get(Path::new(rel)) {
        Some(text) => text,
        None => panic!(
            "{rel} was not generated; the files are:\n{}",
            g.files
                .files
                .keys()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

fn model_rs<'a>(g: &'a Generation, module: &str) -> &'a str {
    file(g, &format!("sailpoint/src/v2024/models/{module}.rs"))
}

fn api_rs<'a>(g: &'a Generation, module: &str) -> &'a str {
    file(g, &format!("sailpoint/src/v2024/apis/{module}.rs"))
}

/// Snapshots one generated file as `<fixture>__<path with / as ->`.
fn snapshot(fixture: &str, g: &Generation, rel: &str) {
    snapshot_text(fixture, &snapshot_name(rel), rel, file(g, rel));
}

fn snapshot_name(rel: &str) -> String {
    rel.trim_start_matches("sailpoint/src/v2024/")
        .trim_end_matches(".rs")
        .trim_end_matches(".md")
        .replace('/', "-")
}

fn snapshot_text(fixture: &str, name: &str, description: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/constructs");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_description(format!("{fixture}: {description}"));
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(format!("{fixture}__{name}"), text));
}

fn type_def<'a>(g: &'a Generation, name: &str) -> &'a TypeDef {
    g.model
        .type_def(&TypeId(name.to_string()))
        .unwrap_or_else(|| {
            panic!(
                "no type {name}; the types are {:?}",
                g.model
                    .types
                    .iter()
                    .map(|t| &t.names.rust)
                    .collect::<Vec<_>>()
            )
        })
}

fn object<'a>(g: &'a Generation, name: &str) -> &'a ObjectType {
    match &type_def(g, name).kind {
        TypeKind::Object(o) => o,
        other => panic!("{name} is not an object: {other:?}"),
    }
}

fn union<'a>(g: &'a Generation, name: &str) -> &'a UnionType {
    match &type_def(g, name).kind {
        TypeKind::Union(u) => u,
        other => panic!("{name} is not a union: {other:?}"),
    }
}

fn enumeration<'a>(g: &'a Generation, name: &str) -> &'a EnumType {
    match &type_def(g, name).kind {
        TypeKind::Enum(e) => e,
        other => panic!("{name} is not an enum: {other:?}"),
    }
}

fn operation<'a>(g: &'a Generation, id: &str) -> &'a Operation {
    g.model
        .apis
        .iter()
        .flat_map(|a| &a.operations)
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

fn param<'a>(op: &'a Operation, wire: &str) -> &'a Parameter {
    op.parameters
        .iter()
        .find(|p| p.wire_name == wire)
        .unwrap_or_else(|| {
            panic!(
                "{} has no parameter {wire}; it has {:?}",
                op.id,
                op.parameters
                    .iter()
                    .map(|p| &p.wire_name)
                    .collect::<Vec<_>>()
            )
        })
}

/// Rust source without whitespace and trailing commas, so that assertions don't depend on the
/// layout.
fn squash(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    s.replace(",)", ")")
        .replace(",]", "]")
        .replace(",}", "}")
        .replace(",>", ">")
}

fn tokens(t: &impl ToTokens) -> String {
    squash(&t.to_token_stream().to_string())
}

fn parse(src: &str) -> syn::File {
    syn::parse_file(src).unwrap_or_else(|e| panic!("generated Rust does not parse: {e}\n{src}"))
}

fn struct_item(src: &str, name: &str) -> syn::ItemStruct {
    parse(src)
        .items
        .into_iter()
        .find_map(|i| match i {
            syn::Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no struct {name} in\n{src}"))
}

fn enum_item(src: &str, name: &str) -> syn::ItemEnum {
    parse(src)
        .items
        .into_iter()
        .find_map(|i| match i {
            syn::Item::Enum(e) if e.ident == name => Some(e),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no enum {name} in\n{src}"))
}

/// `(field, type)` of a struct, in order, types without whitespace.
fn fields_of(src: &str, name: &str) -> Vec<(String, String)> {
    struct_item(src, name)
        .fields
        .iter()
        .map(|f| (f.ident.as_ref().unwrap().to_string(), tokens(&f.ty)))
        .collect()
}

/// Asserts the fields of a struct and their types, in order.
fn assert_fields(src: &str, name: &str, expected: &[(&str, &str)]) {
    let actual = fields_of(src, name);
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(n, t)| (n.to_string(), squash(t)))
        .collect();
    assert_eq!(actual, expected, "fields of {name}");
}

fn field_type(src: &str, name: &str, field: &str) -> String {
    fields_of(src, name)
        .into_iter()
        .find(|(f, _)| f == field)
        .unwrap_or_else(|| panic!("{name} has no field {field}"))
        .1
}

/// An enum variant without its attributes, e.g. `Cat(Cat)`.
fn variant(v: &syn::Variant) -> String {
    format!("{}{}", v.ident, tokens(&v.fields))
}

fn is_deprecated(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("deprecated"))
}

/// A function or method of the file, by name (`r#move` for raw identifiers).
fn method(src: &str, name: &str) -> syn::ImplItemFn {
    for item in parse(src).items {
        if let syn::Item::Impl(imp) = item {
            for i in imp.items {
                if let syn::ImplItem::Fn(f) = i {
                    if f.sig.ident == name {
                        return f;
                    }
                }
            }
        }
    }
    panic!("no method {name} in\n{src}")
}

/// Asserts a method's signature, e.g. `async fn get(&self, id: &str) -> Result<A, Error<B>>`.
fn assert_signature(src: &str, name: &str, expected: &str) {
    let f = method(src, name);
    let actual = format!("{} {}", f.vis.to_token_stream(), f.sig.to_token_stream());
    assert_eq!(
        squash(&actual),
        squash(expected),
        "signature of {name}:\n  actual:   {actual}\n  expected: {expected}"
    );
}

/// A method's body without whitespace.
fn body(src: &str, name: &str) -> String {
    tokens(&method(src, name).block)
}

fn assert_body_contains(src: &str, name: &str, needle: &str) {
    let b = body(src, name);
    assert!(
        b.contains(&squash(needle)),
        "the body of {name} does not contain `{needle}`:\n{}",
        method(src, name).block.to_token_stream()
    );
}

fn is_rust_identifier(name: &str) -> bool {
    syn::parse_str::<syn::Ident>(name).is_ok()
}

/// Every name the model decided is a valid identifier and unique where it must be.
fn assert_names_unique_and_valid(g: &Generation) {
    let m = &g.model;
    let mut problems = Vec::new();
    let check_unique = |what: &str, names: Vec<String>, problems: &mut Vec<String>| {
        let mut seen = BTreeSet::new();
        for n in names {
            if !seen.insert(n.clone()) {
                problems.push(format!("{what}: {n:?} is used twice"));
            }
        }
    };
    let valid = |what: &str, n: &str, problems: &mut Vec<String>| {
        if !is_rust_identifier(n) {
            problems.push(format!("{what}: {n:?} is not a Rust identifier"));
        }
    };
    check_unique(
        "types",
        m.types.iter().map(|t| t.names.rust.clone()).collect(),
        &mut problems,
    );
    check_unique(
        "type modules",
        m.types
            .iter()
            .map(|t| t.names.rust_module.clone())
            .collect(),
        &mut problems,
    );
    // Docs pages and Rust files must also differ on case-insensitive file systems.
    check_unique(
        "generated files (case-insensitively)",
        g.files
            .files
            .keys()
            .map(|p| p.display().to_string().to_lowercase())
            .collect(),
        &mut problems,
    );
    for t in &m.types {
        valid("type", &t.names.rust, &mut problems);
        valid("type module", &t.names.rust_module, &mut problems);
        match &t.kind {
            TypeKind::Object(o) => {
                check_unique(
                    &format!("fields of {}", t.names.rust),
                    o.fields.iter().map(|f| f.rust_name.clone()).collect(),
                    &mut problems,
                );
                for f in &o.fields {
                    valid(
                        &format!("field of {}", t.names.rust),
                        &f.rust_name,
                        &mut problems,
                    );
                }
            }
            TypeKind::Enum(e) => {
                check_unique(
                    &format!("variants of {}", t.names.rust),
                    e.values.iter().map(|v| v.rust_variant.clone()).collect(),
                    &mut problems,
                );
                check_unique(
                    &format!("values of {}", t.names.rust),
                    e.values.iter().map(|v| v.wire.to_string()).collect(),
                    &mut problems,
                );
                for v in &e.values {
                    valid(
                        &format!("variant of {}", t.names.rust),
                        &v.rust_variant,
                        &mut problems,
                    );
                }
            }
            TypeKind::Union(u) => {
                check_unique(
                    &format!("variants of {}", t.names.rust),
                    u.variants.iter().map(|v| v.rust_variant.clone()).collect(),
                    &mut problems,
                );
            }
            TypeKind::Alias(_) => {}
        }
    }
    for api in &m.apis {
        valid("api", &api.names.rust_struct, &mut problems);
        check_unique(
            &format!("methods of {}", api.names.rust_struct),
            api.operations
                .iter()
                .map(|o| o.names.rust_fn.clone())
                .collect(),
            &mut problems,
        );
        for op in &api.operations {
            valid("method", &op.names.rust_fn, &mut problems);
            valid("error enum", &op.names.rust_error, &mut problems);
            valid("params struct", &op.names.rust_params, &mut problems);
            check_unique(
                &format!("parameters of {}", op.id),
                op.parameters
                    .iter()
                    .map(|p| p.rust_name.clone())
                    .chain(op.request_body.iter().map(|b| b.rust_name.clone()))
                    .collect(),
                &mut problems,
            );
            for p in &op.parameters {
                valid(
                    &format!("parameter of {}", op.id),
                    &p.rust_name,
                    &mut problems,
                );
            }
        }
    }
    // Operation-level names must not collide with model names in the API file's scope.
    let type_names: BTreeSet<&str> = m.types.iter().map(|t| t.names.rust.as_str()).collect();
    for op in m.apis.iter().flat_map(|a| &a.operations) {
        for n in [&op.names.rust_error, &op.names.rust_params] {
            if type_names.contains(n.as_str()) {
                problems.push(format!("{n} of {} is also a model's name", op.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// The fixtures are all here
// ---------------------------------------------------------------------------------------------

#[test]
fn every_fixture_folder_is_listed() {
    let on_disk: BTreeSet<String> = fs::read_dir(fixtures_dir())
        .unwrap()
        .filter_map(|e| {
            let e = e.ok()?;
            e.file_type()
                .ok()?
                .is_dir()
                .then(|| e.file_name().to_string_lossy().into_owned())
        })
        .collect();
    let listed: BTreeSet<String> = FIXTURES.iter().map(|s| s.to_string()).collect();
    assert_eq!(on_disk, listed);
}

#[test]
fn every_fixture_generates_with_valid_unique_names() {
    for name in FIXTURES {
        let g = generation(name);
        assert!(!g.model.apis.is_empty(), "{name}: no API");
        assert_names_unique_and_valid(&g);
        if *name != "traps" {
            assert!(g.warnings.is_empty(), "{name}: {:#?}", g.warnings);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 1. allOf
// ---------------------------------------------------------------------------------------------

#[test]
fn all_of_merges_the_fields_and_the_required_lists_of_every_part() {
    let g = generation("all-of");
    let thing = object(&g, "Thing");
    assert_eq!(
        thing.all_of,
        [TypeRef::named("Base"), TypeRef::named("Audited")],
        "named parts, in order"
    );
    let src = model_rs(&g, "thing");
    // `id` required by Base, `created` by Audited, `name` by the inline part (optional in
    // Base: listed once, and required).
    assert_fields(
        src,
        "Thing",
        &[
            ("id", "String"),
            ("name", "String"),
            ("created", "DateTime<Utc>"),
            ("modified", "Option<Option<DateTime<Utc>>>"),
            ("owner", "Option<Audited>"),
        ],
    );
    assert_signature(
        src,
        "new",
        "pub fn new(id: impl Into<String>, name: impl Into<String>, created: DateTime<Utc>) -> Self",
    );
    let name = thing.fields.iter().find(|f| f.wire_name == "name").unwrap();
    assert_eq!(
        name.description.as_deref(),
        Some("Required here although optional in Base."),
        "the later part's field wins"
    );
    // An `allOf` of one reference that only adds a description is that type.
    let owner = thing
        .fields
        .iter()
        .find(|f| f.wire_name == "owner")
        .unwrap();
    assert_eq!(owner.ty, TypeRef::named("Audited"));
    assert_eq!(
        owner.description.as_deref(),
        Some("A reference that only adds a description.")
    );

    snapshot("all-of", &g, "sailpoint/src/v2024/models/thing.rs");
    snapshot("all-of", &g, "docs/models/thing.md");
}

#[test]
fn all_of_as_an_inline_request_body_is_one_struct_named_after_the_operation() {
    let g = generation("all-of");
    let body = operation(&g, "createItem").request_body.as_ref().unwrap();
    assert_eq!(body.ty, TypeRef::named("CreateItemRequest"));
    let src = model_rs(&g, "create_item_request");
    assert_fields(
        src,
        "CreateItemRequest",
        &[
            ("id", "String"),
            ("name", "Option<String>"),
            ("quantity", "i32"),
        ],
    );
    assert_signature(
        api_rs(&g, "things_api"),
        "create_item",
        "pub async fn create_item(&self, create_item_request: &CreateItemRequest) -> Result<Thing, Error<CreateItemError>>",
    );
    snapshot(
        "all-of",
        &g,
        "sailpoint/src/v2024/models/create_item_request.rs",
    );
}

#[test]
fn all_of_read_only_required_field_is_not_required_in_a_request() {
    let g = generation("all-of");
    assert_signature(
        model_rs(&g, "create_item_request"),
        "new",
        "pub fn new(quantity: i32) -> Self",
    );
}

// ---------------------------------------------------------------------------------------------
// 2. oneOf / anyOf
// ---------------------------------------------------------------------------------------------

#[test]
fn one_of_with_a_discriminator_mapping_decodes_by_the_tag() {
    let g = generation("unions");
    let pet = union(&g, "Pet");
    assert_eq!(pet.kind, UnionKind::OneOf);
    let d = pet.discriminator.as_ref().expect("a discriminator");
    assert_eq!(d.property, "petType");
    let mapping: Vec<(&str, &str)> = d
        .mapping
        .iter()
        .map(|(v, i)| (v.as_str(), pet.variants[*i].rust_variant.as_str()))
        .collect();
    assert_eq!(mapping, [("cat", "Cat"), ("DOG", "Dog")]);
    let src = model_rs(&g, "pet");
    let variants: Vec<String> = enum_item(src, "Pet").variants.iter().map(variant).collect();
    // The catch-all keeps a kind added after this client (an unknown `petType`).
    assert_eq!(
        variants,
        ["Cat(Cat)", "Dog(Dog)", "Unknown(serde_json::Value)"]
    );
    assert_eq!(d.unknown_variant, "Unknown");
    assert_body_contains(
        src,
        "from_json",
        r#"Some("cat") => serde_json::from_value::<Cat>(value)"#,
    );
    assert_body_contains(
        src,
        "from_json",
        r#"Some("DOG") => serde_json::from_value::<Dog>(value)"#,
    );
    assert_signature(
        api_rs(&g, "pets_api"),
        "list_pets",
        "pub async fn list_pets(&self) -> Result<Vec<Pet>, Error<ListPetsError>>",
    );
    snapshot("unions", &g, "sailpoint/src/v2024/models/pet.rs");
    snapshot("unions", &g, "docs/models/pet.md");
}

#[test]
fn one_of_without_a_discriminator_and_any_of_decode_by_shape() {
    let g = generation("unions");
    let input = union(&g, "PetInput");
    assert_eq!(input.kind, UnionKind::OneOf);
    assert!(input.discriminator.is_none());
    let value = union(&g, "Value");
    assert_eq!(value.kind, UnionKind::AnyOf);
    let src = model_rs(&g, "value");
    let variants: Vec<String> = enum_item(src, "Value")
        .variants
        .iter()
        .map(variant)
        .collect();
    assert_eq!(
        variants,
        [
            "String(String)",
            "Number(f64)",
            "Array(Vec<String>)",
            "Cat(Cat)"
        ]
    );
    assert_signature(
        api_rs(&g, "pets_api"),
        "create_pet",
        "pub async fn create_pet(&self, pet_input: &PetInput) -> Result<Value, Error<CreatePetError>>",
    );
    snapshot("unions", &g, "sailpoint/src/v2024/models/pet_input.rs");
    snapshot("unions", &g, "sailpoint/src/v2024/models/value.rs");
}

// ---------------------------------------------------------------------------------------------
// 3. Maps and free-form objects
// ---------------------------------------------------------------------------------------------

#[test]
fn additional_properties_become_maps_and_free_form_objects_json_maps() {
    let g = generation("maps");
    let src = model_rs(&g, "bag");
    assert_fields(
        src,
        "Bag",
        &[
            ("counts", "HashMap<String, i32>"),
            ("labels", "Option<HashMap<String, Label>>"),
            (
                "attributes",
                "Option<serde_json::Map<String, serde_json::Value>>",
            ),
            (
                "extra",
                "Option<serde_json::Map<String, serde_json::Value>>",
            ),
            ("anything", "Option<serde_json::Value>"),
            (
                "nested_maps",
                "Option<HashMap<String, Vec<HashMap<String, String>>>>",
            ),
            ("tagged", "Option<Tagged>"),
        ],
    );
    let api = api_rs(&g, "maps_api");
    assert_signature(
        api,
        "get_counts",
        "pub async fn get_counts(&self) -> Result<HashMap<String, i64>, Error<GetCountsError>>",
    );
    assert_signature(
        api,
        "put_bag",
        "pub async fn put_bag(&self, body: &serde_json::Map<String, serde_json::Value>) -> Result<Bag, Error<PutBagError>>",
    );
    snapshot("maps", &g, "sailpoint/src/v2024/models/bag.rs");
    snapshot("maps", &g, "sailpoint/src/v2024/apis/maps_api.rs");
}

#[test]
fn properties_with_additional_properties_keep_the_extra_keys() {
    let g = generation("maps");
    let tagged = object(&g, "Tagged");
    assert_eq!(
        tagged.additional,
        Some(TypeRef::Primitive(Primitive::String))
    );
    let src = model_rs(&g, "tagged");
    let item = struct_item(src, "Tagged");
    let flattened: Vec<String> = item
        .fields
        .iter()
        .filter(|f| {
            f.attrs
                .iter()
                .any(|a| a.path().is_ident("serde") && tokens(a).contains("flatten"))
        })
        .map(|f| tokens(&f.ty))
        .collect();
    assert_eq!(
        flattened,
        ["HashMap<String,String>"],
        "one flattened map of the extra keys"
    );
    snapshot("maps", &g, "sailpoint/src/v2024/models/tagged.rs");
}

// ---------------------------------------------------------------------------------------------
// 4. Arrays of arrays, recursion
// ---------------------------------------------------------------------------------------------

#[test]
fn arrays_of_arrays_nest_vecs() {
    let g = generation("recursion");
    assert_fields(
        model_rs(&g, "grid"),
        "Grid",
        &[
            ("rows", "Vec<Vec<f64>>"),
            ("cells", "Option<Vec<Vec<GridCellItem>>>"),
        ],
    );
    snapshot("recursion", &g, "sailpoint/src/v2024/models/grid.rs");
}

#[test]
fn recursive_schemas_are_boxed_where_they_must_be() {
    let g = generation("recursion");
    // Direct self-reference: boxed; through a Vec or a map: no box needed.
    assert_fields(
        model_rs(&g, "tree"),
        "Tree",
        &[
            ("label", "String"),
            ("parent", "Option<Box<Tree>>"),
            ("children", "Option<Vec<Tree>>"),
            ("by_name", "Option<HashMap<String, Tree>>"),
        ],
    );
    // Mutual recursion A -> B -> A: at least one side boxed (the crate compiling proves the
    // rest); the builders take plain values.
    let a = model_rs(&g, "a");
    let b = model_rs(&g, "b");
    let a_b = field_type(a, "A", "b");
    let b_a = field_type(b, "B", "a");
    assert!(
        a_b.contains("Box<B>") || b_a.contains("Box<A>"),
        "A.b: {a_b}, B.a: {b_a}"
    );
    assert_signature(b, "new", "pub fn new(a: A) -> Self");
    assert_signature(a, "with_b", "pub fn with_b(mut self, value: B) -> Self");
    snapshot("recursion", &g, "sailpoint/src/v2024/models/tree.rs");
    snapshot("recursion", &g, "sailpoint/src/v2024/models/a.rs");
    snapshot("recursion", &g, "sailpoint/src/v2024/models/b.rs");
}

#[test]
fn description_beside_a_ref_documents_the_field() {
    let g = generation("recursion");
    let tree = object(&g, "Tree");
    let parent = tree
        .fields
        .iter()
        .find(|f| f.wire_name == "parent")
        .unwrap();
    assert_eq!(
        parent.description.as_deref(),
        Some("Direct self-reference.")
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Integer enums and string formats
// ---------------------------------------------------------------------------------------------

#[test]
fn integer_enums_are_enums_with_an_integer_catch_all() {
    let g = generation("scalars");
    let e = enumeration(&g, "Priority");
    assert_eq!(e.base, EnumBase::Integer);
    let values: Vec<(String, &str)> = e
        .values
        .iter()
        .map(|v| (v.wire.to_string(), v.rust_variant.as_str()))
        .collect();
    assert_eq!(
        values,
        [
            ("1".to_string(), "Value1"),
            ("2".to_string(), "Value2"),
            ("3".to_string(), "Value3"),
            ("10".to_string(), "Value10"),
        ]
    );
    let src = model_rs(&g, "priority");
    let variants: Vec<String> = enum_item(src, "Priority")
        .variants
        .iter()
        .map(variant)
        .collect();
    assert_eq!(variants.last().unwrap(), "Unknown(i64)");
    snapshot("scalars", &g, "sailpoint/src/v2024/models/priority.rs");
}

#[test]
fn string_formats_map_to_rust_types() {
    let g = generation("scalars");
    let src = model_rs(&g, "event");
    assert_fields(
        src,
        "Event",
        &[
            ("id", "String"),
            ("day", "NaiveDate"),
            ("at", "DateTime<Utc>"),
            ("payload", "Option<Vec<u8>>"),
            ("checksum", "Option<String>"),
            ("priority", "Priority"),
            ("ratio", "Option<Ratio>"),
            ("small", "Option<i32>"),
            ("big", "Option<i64>"),
            ("float", "Option<f32>"),
            ("double", "Option<f64>"),
            ("flag", "Option<bool>"),
            ("email", "Option<String>"),
        ],
    );
    let api = api_rs(&g, "scalars_api");
    assert_signature(
        api,
        "get_event",
        "pub async fn get_event(&self, event_id: &str, day: NaiveDate, params: GetEventParams) -> Result<Event, Error<GetEventError>>",
    );
    assert_fields(
        api,
        "GetEventParams",
        &[
            ("since", "Option<DateTime<Utc>>"),
            ("level", "Option<Priority>"),
        ],
    );
    snapshot("scalars", &g, "sailpoint/src/v2024/models/event.rs");
    snapshot("scalars", &g, "sailpoint/src/v2024/models/ratio.rs");
    snapshot("scalars", &g, "sailpoint/src/v2024/apis/scalars_api.rs");
}

#[test]
fn date_time_query_parameters_are_sent_as_rfc_3339() {
    let g = generation("scalars");
    let b = body(api_rs(&g, "scalars_api"), "get_event");
    assert!(
        b.contains("to_rfc3339"),
        "`since` is passed to `query` as a DateTime: {b}"
    );
}

#[test]
fn number_enums_keep_their_values() {
    let g = generation("scalars");
    let src = model_rs(&g, "ratio");
    assert!(src.contains("0.5") && src.contains("1.5"), "{src}");
}

// ---------------------------------------------------------------------------------------------
// 6. multipart/form-data and x-www-form-urlencoded bodies
// ---------------------------------------------------------------------------------------------

#[test]
fn multipart_bodies_send_files_and_text_fields_as_parts() {
    let g = generation("form-bodies");
    let request_body = operation(&g, "uploadFile").request_body.as_ref().unwrap();
    assert_eq!(request_body.media, MediaType::Multipart);
    assert_eq!(request_body.content_type, "multipart/form-data");
    let api = api_rs(&g, "uploads_api");
    assert_signature(
        api,
        "upload_file",
        "pub async fn upload_file(&self, upload_file_request: &UploadFileRequest) -> Result<Receipt, Error<UploadFileError>>",
    );
    // The required parts always, the optional ones when set; files as file parts, scalars and
    // enums as text.
    let b = body(api, "upload_file");
    for needle in [
        r#"Part::text("name",&body.name)"#,
        r#"ifletSome(value)=&body.comment{parts.push(Part::text("comment",value));}"#,
        r#"ifletSome(value)=&body.count{parts.push(Part::text("count",value));}"#,
        r#"ifletSome(value)=&body.kind{parts.push(Part::text("kind",value));}"#,
        r#"request.multipart(parts)"#,
    ] {
        assert!(b.contains(needle), "no `{needle}` in {b}");
    }
    assert!(
        b.contains(r#"Part::upload("file",body.file.clone())"#),
        "the file part: {b}"
    );
    assert!(
        b.contains(r#"ifletSome(value)=&body.attachment{parts.push(Part::upload("attachment",value.clone()));}"#),
        "the optional file part: {b}"
    );
    snapshot("form-bodies", &g, "sailpoint/src/v2024/apis/uploads_api.rs");
    snapshot(
        "form-bodies",
        &g,
        "sailpoint/src/v2024/models/upload_file_request.rs",
    );
    snapshot("form-bodies", &g, "docs/methods/uploads.md");
}

#[test]
fn url_encoded_bodies_are_sent_as_forms() {
    let g = generation("form-bodies");
    let body = operation(&g, "createToken").request_body.as_ref().unwrap();
    assert_eq!(body.media, MediaType::FormUrlEncoded);
    let api = api_rs(&g, "uploads_api");
    assert_body_contains(api, "create_token", "request.form(body)");
    assert_fields(
        model_rs(&g, "create_token_request"),
        "CreateTokenRequest",
        &[
            ("grant_type", "CreateTokenRequestGrantType"),
            ("client_id", "String"),
            ("client_secret", "Option<String>"),
            ("scope", "Option<String>"),
        ],
    );
    snapshot(
        "form-bodies",
        &g,
        "sailpoint/src/v2024/models/create_token_request.rs",
    );
}

#[test]
fn multipart_file_fields_let_callers_name_the_file() {
    let g = generation("form-bodies");
    assert_eq!(
        field_type(
            model_rs(&g, "upload_file_request"),
            "UploadFileRequest",
            "file"
        ),
        "UploadFile"
    );
}

#[test]
fn a_pointer_into_a_plain_file_takes_the_token_as_its_name() {
    let g = generation("form-bodies");
    type_def(&g, "Receipt");
}

// ---------------------------------------------------------------------------------------------
// 7. File, CSV and text responses; 202 and 204 without a body
// ---------------------------------------------------------------------------------------------

#[test]
fn file_csv_and_text_responses_return_bytes_and_strings() {
    let g = generation("responses");
    let api = api_rs(&g, "reports_api");
    assert_signature(
        api,
        "get_report_file",
        "pub async fn get_report_file(&self, id: &str) -> Result<Vec<u8>, Error<GetReportFileError>>",
    );
    assert_body_contains(
        api,
        "get_report_file",
        r#"request.header("Accept", "application/octet-stream")"#,
    );
    assert_signature(
        api,
        "get_report_csv",
        "pub async fn get_report_csv(&self, id: &str) -> Result<String, Error<GetReportCsvError>>",
    );
    assert_body_contains(
        api,
        "get_report_csv",
        r#"request.header("Accept", "text/csv")"#,
    );
    assert_body_contains(api, "get_report_csv", "200 => response.text()");
    assert_signature(
        api,
        "get_report_summary",
        "pub async fn get_report_summary(&self, id: &str) -> Result<String, Error<GetReportSummaryError>>",
    );
    assert_body_contains(
        api,
        "get_report_summary",
        r#"request.header("Accept", "text/plain")"#,
    );
    // JSON is preferred when a response offers JSON and CSV.
    assert_signature(
        api,
        "get_report_rows",
        "pub async fn get_report_rows(&self, id: &str) -> Result<Vec<GetReportRowsResponseItem>, Error<GetReportRowsError>>",
    );
    let media = |id: &str| {
        operation(&g, id)
            .success()
            .unwrap()
            .body
            .as_ref()
            .map(|b| b.media.clone())
    };
    assert_eq!(media("getReportFile"), Some(MediaType::Binary));
    assert_eq!(media("getReportCsv"), Some(MediaType::Text));
    assert_eq!(media("getReportSummary"), Some(MediaType::Text));
    assert_eq!(media("getReportRows"), Some(MediaType::Json));
    snapshot("responses", &g, "sailpoint/src/v2024/apis/reports_api.rs");
    snapshot("responses", &g, "docs/methods/reports.md");
}

#[test]
fn accepted_and_no_content_responses_return_unit() {
    let g = generation("responses");
    let api = api_rs(&g, "reports_api");
    assert_signature(
        api,
        "run_report",
        "pub async fn run_report(&self, id: &str) -> Result<(), Error<RunReportError>>",
    );
    assert_body_contains(api, "run_report", "202 => response.empty()");
    assert_body_contains(
        api,
        "run_report",
        "400 => Err(response.error_without_body(RunReportError::BadRequest))",
    );
    assert_signature(
        api,
        "delete_report",
        "pub async fn delete_report(&self, id: &str) -> Result<(), Error<DeleteReportError>>",
    );
    assert_body_contains(api, "delete_report", "204 => response.empty()");
    let variants: Vec<String> = enum_item(api, "DeleteReportError")
        .variants
        .iter()
        .map(|v| tokens(&v.fields))
        .collect();
    assert_eq!(
        variants,
        ["(NotFoundResponse)"],
        "a shared response component's body"
    );
}

// ---------------------------------------------------------------------------------------------
// 8. Query and header parameters
// ---------------------------------------------------------------------------------------------

#[test]
fn required_parameters_are_arguments_and_optional_ones_a_params_struct() {
    let g = generation("parameters");
    let op = operation(&g, "search");
    let wire: Vec<&str> = op.parameters.iter().map(|p| p.wire_name.as_str()).collect();
    assert_eq!(
        wire,
        [
            "index",
            "ids",
            "fields",
            "types",
            "limit",
            "includeNested",
            "sort-by",
            "X-Request-Id",
            "If-Match"
        ],
        "the path item's parameter first, then the operation's in order"
    );
    assert_eq!(param(op, "ids").array_style, ArrayStyle::Multi);
    assert_eq!(param(op, "fields").array_style, ArrayStyle::Csv);
    assert_eq!(param(op, "types").array_style, ArrayStyle::Multi);
    assert_eq!(param(op, "limit").default, Some(serde_json::json!(250)));
    assert_eq!(
        param(op, "includeNested").default,
        Some(serde_json::json!(true))
    );
    assert_eq!(param(op, "X-Request-Id").location, ParamLocation::Header);

    let api = api_rs(&g, "search_api");
    assert_signature(
        api,
        "search",
        "pub async fn search(&self, index: &str, ids: &[String], x_request_id: &str, params: SearchParams) -> Result<Vec<String>, Error<SearchError>>",
    );
    assert_body_contains(api, "search", r#"request.query_multi("ids""#);
    assert_body_contains(api, "search", r#"request.query_csv("fields""#);
    assert_body_contains(api, "search", r#"request.query_multi("types""#);
    assert_body_contains(
        api,
        "search",
        r#"request.header("X-Request-Id", x_request_id)"#,
    );
    assert_body_contains(
        api,
        "search",
        r#"Some(value) => request.header("If-Match", value)"#,
    );
    assert_fields(
        api,
        "SearchParams",
        &[
            ("fields", "Option<Vec<String>>"),
            ("types", "Option<Vec<SearchType>>"),
            ("limit", "Option<i32>"),
            ("include_nested", "Option<bool>"),
            ("sort_by", "Option<String>"),
            ("if_match", "Option<String>"),
        ],
    );
    // Builder setters, one per optional parameter.
    assert_signature(api, "limit", "pub fn limit(mut self, value: i32) -> Self");
    assert_signature(
        api,
        "sort_by",
        "pub fn sort_by(mut self, value: impl Into<String>) -> Self",
    );
    assert_signature(
        api,
        "types",
        "pub fn types(mut self, value: Vec<SearchType>) -> Self",
    );
    // The defaults are documented on the fields.
    let params = struct_item(api, "SearchParams")
        .to_token_stream()
        .to_string();
    assert!(params.contains("The server's default: `250`."), "{params}");
    assert!(params.contains("The server's default: `true`."), "{params}");
    snapshot("parameters", &g, "sailpoint/src/v2024/apis/search_api.rs");
    snapshot("parameters", &g, "docs/methods/search.md");
}

#[test]
fn method_docs_link_to_the_params_struct() {
    let g = generation("parameters");
    let docs: String = method(api_rs(&g, "search_api"), "search")
        .attrs
        .iter()
        .map(|a| a.to_token_stream().to_string())
        .collect();
    assert!(docs.contains("see [`SearchParams`]"), "{docs}");
}

// ---------------------------------------------------------------------------------------------
// 9. X-SailPoint-Experimental
// ---------------------------------------------------------------------------------------------

#[test]
fn the_experimental_header_is_no_parameter_and_the_method_marks_the_request() {
    let g = generation("experimental");
    for (id, rust) in [
        ("getSegmentEnabled", "get_segment_enabled"),
        ("createSegment", "create_segment"),
    ] {
        let op = operation(&g, id);
        assert!(op.experimental, "{id}");
        assert!(
            op.parameters
                .iter()
                .all(|p| !p.wire_name.eq_ignore_ascii_case("X-SailPoint-Experimental")),
            "{id}: {:?}",
            op.parameters
        );
        assert!(
            !tokens(&method(api_rs(&g, "segments_api"), rust).sig).contains("params:"),
            "{id}: the header must not make a params struct"
        );
        assert_body_contains(
            api_rs(&g, "segments_api"),
            rust,
            &format!(r#"let request = request.experimental("{id}");"#),
        );
    }
    let api = api_rs(&g, "segments_api");
    assert!(
        !api.to_ascii_lowercase()
            .contains("x-sailpoint-experimental"),
        "the header is the runtime's business:\n{api}"
    );
    assert_signature(
        api,
        "get_segment_enabled",
        "pub async fn get_segment_enabled(&self, id: &str) -> Result<bool, Error<GetSegmentEnabledError>>",
    );
    assert_signature(
        api,
        "create_segment",
        "pub async fn create_segment(&self, create_segment_request: &CreateSegmentRequest) -> Result<(), Error<CreateSegmentError>>",
    );
    let page = file(&g, "docs/methods/segments.md");
    assert_eq!(
        page.matches(":::warning experimental").count(),
        2,
        "both operations warn:\n{page}"
    );
    assert!(page.contains("Configuration::with_experimental(true)"));
    snapshot(
        "experimental",
        &g,
        "sailpoint/src/v2024/apis/segments_api.rs",
    );
    snapshot("experimental", &g, "docs/methods/segments.md");
}

// ---------------------------------------------------------------------------------------------
// 10. Deprecated operations, parameters, fields and types
// ---------------------------------------------------------------------------------------------

#[test]
fn deprecated_operations_fields_and_types_carry_the_attribute() {
    let g = generation("deprecated");
    let api = api_rs(&g, "legacy_api");
    assert!(is_deprecated(&method(api, "get_legacy").attrs));
    assert!(!is_deprecated(&method(api, "put_legacy").attrs));
    let params = struct_item(api, "GetLegacyParams");
    assert!(is_deprecated(&params.fields.iter().next().unwrap().attrs));

    let record = struct_item(model_rs(&g, "record"), "Record");
    let deprecated: Vec<String> = record
        .fields
        .iter()
        .filter(|f| is_deprecated(&f.attrs))
        .map(|f| f.ident.as_ref().unwrap().to_string())
        .collect();
    assert_eq!(deprecated, ["legacy_code", "legacy_flag"]);
    assert!(is_deprecated(
        &struct_item(model_rs(&g, "old_record"), "OldRecord").attrs
    ));
    snapshot("deprecated", &g, "sailpoint/src/v2024/apis/legacy_api.rs");
    snapshot("deprecated", &g, "sailpoint/src/v2024/models/record.rs");
    snapshot("deprecated", &g, "sailpoint/src/v2024/models/old_record.rs");
}

#[test]
fn deprecated_operations_and_types_have_a_caution_in_the_docs() {
    let g = generation("deprecated");
    let page = file(&g, "docs/methods/legacy.md");
    let caution = ":::caution deprecated";
    assert_eq!(page.matches(caution).count(), 1, "only get-legacy:\n{page}");
    let get = page.find("## get-legacy").unwrap();
    let put = page.find("## put-legacy").unwrap();
    let at = page.find(caution).unwrap();
    assert!(get < at && at < put, "the caution belongs to get-legacy");
    assert!(page.contains("**Deprecated.** An old filter."), "{page}");
    assert!(file(&g, "docs/models/old-record.md").contains(caution));
    assert!(file(&g, "docs/models/record.md").contains("[deprecated]"));
    snapshot("deprecated", &g, "docs/methods/legacy.md");
    snapshot("deprecated", &g, "docs/models/old-record.md");
}

// ---------------------------------------------------------------------------------------------
// 11. limit/offset/count list operations
// ---------------------------------------------------------------------------------------------

#[test]
fn list_operations_know_their_paging_parameters() {
    let g = generation("paging");
    let op = operation(&g, "listAccounts");
    let p = op.pagination.as_ref().expect("listAccounts pages");
    assert_eq!(op.parameters[p.limit_param].wire_name, "limit");
    assert_eq!(op.parameters[p.offset_param].wire_name, "offset");
    assert_eq!(
        p.count_param.map(|i| op.parameters[i].wire_name.as_str()),
        Some("count")
    );
    assert_eq!(p.item, TypeRef::named("Account"));
    assert_eq!(p.max_limit, 250);

    let op = operation(&g, "listSourceAccounts");
    let p = op.pagination.as_ref().expect("listSourceAccounts pages");
    assert_eq!(p.count_param, None);

    let api = api_rs(&g, "accounts_api");
    assert_signature(
        api,
        "list_accounts",
        "pub async fn list_accounts(&self, params: ListAccountsParams) -> Result<Vec<Account>, Error<ListAccountsError>>",
    );
    assert_fields(
        api,
        "ListAccountsParams",
        &[
            ("limit", "Option<i32>"),
            ("offset", "Option<i32>"),
            ("count", "Option<bool>"),
            ("filters", "Option<String>"),
        ],
    );
    snapshot("paging", &g, "sailpoint/src/v2024/apis/accounts_api.rs");
    snapshot("paging", &g, "docs/methods/accounts.md");
}

#[test]
fn paging_respects_the_maximum_of_limit() {
    let g = generation("paging");
    let p = operation(&g, "listSourceAccounts")
        .pagination
        .clone()
        .unwrap();
    assert_eq!(p.max_limit, 50);
}

// ---------------------------------------------------------------------------------------------
// 12. Traps of the real document
// ---------------------------------------------------------------------------------------------

/// Warnings as `file:line:col (at pointer): message`, with the path from the fixture's folder.
fn trap_warnings(g: &Generation) -> Vec<String> {
    g.warnings
        .iter()
        .map(|w| match w.find("traps/") {
            Some(i) => w[i + "traps/".len()..].to_string(),
            None => w.clone(),
        })
        .collect()
}

#[test]
fn lenient_repairs_are_warnings_naming_file_and_line() {
    let g = generation("traps");
    let warnings = trap_warnings(&g);
    for w in &g.warnings {
        let w = w.strip_prefix("warning: ").unwrap_or(w);
        let (place, _) = w.split_once(' ').unwrap();
        let mut parts = place.rsplitn(3, ':');
        let col = parts.next().unwrap();
        let line = parts.next().unwrap_or("");
        let file = parts.next().unwrap_or("");
        assert!(
            file.ends_with(".yaml") && line.parse::<u32>().is_ok() && col.parse::<u32>().is_ok(),
            "not `file:line:col …`: {w}"
        );
    }
    let expect = [
        (
            "root.yaml:21:",
            "boolean default written as the string \"false\"; read as false",
        ),
        (
            "schemas/Source.yaml:14:",
            "`type: date-time` is a format, not a type; read as `type: string, format: date-time`",
        ),
        (
            "schemas/Source.yaml:18:",
            "boolean default written as the string \"false\"; read as false",
        ),
        (
            "schemas/Source.yaml:22:",
            "string enum holds the YAML false (not a string); read as \"false\"",
        ),
        (
            "schemas/Source.yaml:26:",
            "enum value \"PUSH\" is listed twice; kept once",
        ),
        (
            "root.yaml:7:",
            "path template names {sourceId} but the declared path parameter is \"id\"; the template wins",
        ),
    ];
    for (place, message) in expect {
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with(place) && w.ends_with(message)),
            "no warning `{place}…{message}` among\n{}",
            warnings.join("\n")
        );
    }
    assert_eq!(warnings.len(), expect.len(), "{warnings:#?}");
    snapshot_text(
        "traps",
        "warnings",
        "Generation.warnings",
        &warnings.join("\n"),
    );
}

#[test]
fn traps_come_out_as_unique_valid_names_and_repaired_types() {
    let g = generation("traps");
    assert_names_unique_and_valid(&g);

    // Path template wins over the declared name: sent as `sourceId`, the argument keeps `id`.
    let op = operation(&g, "getSource");
    assert_eq!(op.parameters[0].wire_name, "sourceId");
    assert_eq!(op.parameters[0].rust_name, "id");
    assert_eq!(
        param(op, "includeDetails").default,
        Some(serde_json::json!(false)),
        "\"false\" read as a boolean"
    );
    let api = api_rs(&g, "sources_api");
    assert_signature(
        api,
        "get_source",
        "pub async fn get_source(&self, id: &str, params: GetSourceParams) -> Result<Source, Error<GetSourceError>>",
    );
    assert_body_contains(
        api,
        "get_source",
        r#"let path = format!("/sources/{}", encode_path_segment(id));"#,
    );

    let src = model_rs(&g, "source");
    assert_fields(
        src,
        "Source",
        &[
            ("id", "String"),
            ("r#type", "String"),
            ("type_2", "Option<String>"),
            ("created", "Option<DateTime<Utc>>"),
            ("enabled", "Option<bool>"),
            ("answer", "Option<SourceAnswer>"),
            ("mode", "Option<SourceMode>"),
            ("status", "Option<SourceStatus2>"),
            ("known_status", "Option<SourceStatus>"),
            ("owner", "Option<Option<MaybeOwner>>"),
            ("required_owner", "Option<MaybeOwner>"),
            ("selector", "Option<Selector2>"),
            ("selector_2", "Option<Selector>"),
        ],
    );
    let source = object(&g, "Source");
    let wire = |rust: &str| {
        source
            .fields
            .iter()
            .find(|f| f.rust_name == rust)
            .unwrap()
            .wire_name
            .clone()
    };
    assert_eq!(wire("r#type"), "type");
    assert_eq!(wire("type_2"), "_type");
    assert_eq!(wire("selector"), "selector");
    assert_eq!(wire("selector_2"), "Selector");

    // The YAML `false` is the string "false"; the value listed twice is one variant.
    let answer: Vec<serde_json::Value> = enumeration(&g, "SourceAnswer")
        .values
        .iter()
        .map(|v| v.wire.clone())
        .collect();
    assert_eq!(
        answer,
        [
            serde_json::json!("true"),
            serde_json::json!("false"),
            serde_json::json!("maybe")
        ]
    );
    let mode: Vec<&str> = enumeration(&g, "SourceMode")
        .values
        .iter()
        .map(|v| v.rust_variant.as_str())
        .collect();
    assert_eq!(mode, ["Push", "Pull"]);

    // `Selector` and `selector`: the component keys sort, `Selector` first.
    assert_eq!(
        type_def(&g, "Selector").origin,
        "components/schemas/Selector"
    );
    assert_eq!(
        type_def(&g, "Selector2").origin,
        "components/schemas/selector"
    );
    // The component `SourceStatus` keeps its name; Source's inline `status` is numbered.
    assert_eq!(
        type_def(&g, "SourceStatus").origin,
        "components/schemas/SourceStatus"
    );
    let inline = enumeration(&g, "SourceStatus2");
    assert_eq!(inline.values[0].wire, serde_json::json!("ACTIVE"));
    // Nullable at the top level: every use accepts null.
    assert!(type_def(&g, "MaybeOwner").nullable);

    snapshot("traps", &g, "sailpoint/src/v2024/models/source.rs");
    snapshot("traps", &g, "sailpoint/src/v2024/models/mod.rs");
    snapshot("traps", &g, "sailpoint/src/v2024/apis/sources_api.rs");
}

#[test]
fn a_nullable_response_body_is_an_option() {
    let g = generation("traps");
    assert_signature(
        api_rs(&g, "sources_api"),
        "get_owner",
        "pub async fn get_owner(&self) -> Result<Option<MaybeOwner>, Error<GetOwnerError>>",
    );
}

// ---------------------------------------------------------------------------------------------
// 13. Operation ids that are Rust keywords
// ---------------------------------------------------------------------------------------------

#[test]
fn keyword_operation_ids_become_raw_identifiers() {
    let g = generation("keywords");
    let api = api_rs(&g, "keywords_api");
    assert_signature(
        api,
        "r#move",
        "pub async fn r#move(&self, id: &str, r#type: &str, params: MoveParams) -> Result<(), Error<MoveError>>",
    );
    assert_body_contains(api, "r#move", r#"request.query("type", r#type)"#);
    assert_signature(
        api,
        "r#type",
        "pub async fn r#type(&self, params: TypeParams) -> Result<Type, Error<TypeError>>",
    );
    assert_signature(
        api,
        "self_",
        "pub fn self_(mut self, value: impl Into<String>) -> Self",
    );
    assert_signature(
        api,
        "r#async",
        "pub fn r#async(mut self, value: bool) -> Self",
    );
    let fields: Vec<String> = fields_of(model_rs(&g, "type_"), "Type")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    for f in &fields {
        assert!(is_rust_identifier(f), "{f}");
    }
    assert_eq!(fields[..3], ["r#match", "self_", "crate_"]);
    snapshot("keywords", &g, "sailpoint/src/v2024/apis/keywords_api.rs");
    snapshot("keywords", &g, "sailpoint/src/v2024/models/type_.rs");
    snapshot("keywords", &g, "docs/methods/keywords.md");
}

#[test]
fn numbered_names_have_no_double_underscore() {
    let g = generation("keywords");
    let fields = fields_of(model_rs(&g, "type_"), "Type");
    assert!(fields.iter().all(|(n, _)| !n.contains("__")), "{fields:?}");
}

// ---------------------------------------------------------------------------------------------
// Every fixture's crate builds clean, passes its tests, and its docs' examples compile
// ---------------------------------------------------------------------------------------------

/// Writes the fixture's `sailpoint/` crate to `<target tmp>/constructs/<fixture>/<flavour>`, a
/// workspace of its own (`[workspace]` appended) with this workspace's lock file so that the
/// offline build uses the same dependency versions. Every crate shares one target dir so that
/// dependencies build once.
fn write_crate(name: &str, flavour: &str) -> (Generation, PathBuf, PathBuf) {
    let g = generation(name);
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.join("constructs").join(name).join(flavour);
    let _ = fs::remove_dir_all(&dir);
    let mut written = 0;
    for (rel, contents) in &g.files.files {
        let Ok(rel) = rel.strip_prefix("sailpoint") else {
            continue;
        };
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, contents).unwrap();
        written += 1;
    }
    assert!(written > 0, "{name}: no sailpoint/ files");
    let manifest = dir.join("Cargo.toml");
    let mut toml = fs::read_to_string(&manifest).unwrap();
    toml.push_str("\n[workspace]\n");
    fs::write(&manifest, toml).unwrap();
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    fs::copy(&lock, dir.join("Cargo.lock")).unwrap();
    (g, dir, tmp.join("constructs-target"))
}

/// `cargo fmt --check`, then `cargo test`: the generated example round trips and, when the
/// fixture has one, its `behaviour.rs` (with `support.rs`), which uses the crate as a user
/// would, some of it against a one-shot server on 127.0.0.1.
fn crate_builds_and_passes_its_tests(name: &str) {
    let (_, dir, target) = write_crate(name, "test");
    let fixture = fixtures_dir().join(name);
    if fixture.join("behaviour.rs").exists() {
        fs::create_dir_all(dir.join("tests/support")).unwrap();
        fs::copy(
            fixtures_dir().join("support.rs"),
            dir.join("tests/support/mod.rs"),
        )
        .unwrap();
        fs::copy(fixture.join("behaviour.rs"), dir.join("tests/behaviour.rs")).unwrap();
    }
    let failures: Vec<String> = [
        cargo(&dir, &target, &["fmt", "--check"]),
        cargo(&dir, &target, &["test", "--offline"]),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    assert!(
        failures.is_empty(),
        "the crate of fixture {name} ({}):\n\n{}",
        dir.display(),
        failures.join("\n\n")
    );
}

/// `cargo clippy --all-targets -- -D warnings` on the generated crate alone.
fn crate_is_clippy_clean(name: &str) {
    let (_, dir, target) = write_crate(name, "clippy");
    if let Err(e) = cargo(
        &dir,
        &target,
        &[
            "clippy",
            "--all-targets",
            "--offline",
            "--",
            "-D",
            "warnings",
        ],
    ) {
        panic!("the crate of fixture {name} ({}):\n\n{e}", dir.display());
    }
}

/// Every ```rust block of the fixture's docs pages, each as a module of a test target (without
/// `#[tokio::main]`, so that no runtime feature is needed), type-checks against the crate.
fn doc_examples_compile(name: &str) {
    let (g, dir, target) = write_crate(name, "docs");
    let mut modules = String::from(
        "//! The docs' examples, each a module (written by generator/tests/constructs.rs).\n\
         #![allow(warnings)]\n",
    );
    let mut count = 0;
    for (rel, page) in &g.files.files {
        let Ok(rel) = rel.strip_prefix("docs") else {
            continue;
        };
        let stem: String = rel
            .with_extension("")
            .display()
            .to_string()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        for (i, block) in page.split("```rust\n").skip(1).enumerate() {
            let code = block.split("\n```").next().unwrap();
            let code: Vec<&str> = code
                .lines()
                .filter(|l| l.trim() != "#[tokio::main]")
                .collect();
            modules.push_str(&format!(
                "\n// docs/{}\nmod {stem}_{i} {{\n{}\n}}\n",
                rel.display(),
                code.join("\n")
            ));
            count += 1;
        }
    }
    assert!(count > 0, "{name}: the docs have no Rust example");
    fs::write(dir.join("tests/doc_examples.rs"), modules).unwrap();
    if let Err(e) = cargo(
        &dir,
        &target,
        &["check", "--offline", "--test", "doc_examples"],
    ) {
        panic!(
            "the docs' examples of fixture {name} ({}/tests/doc_examples.rs):\n\n{e}",
            dir.display()
        );
    }
}

fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = Command::new(&cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .output()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "`cargo {}` failed ({}):\n{}\n{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    ))
}

/// Three tests per fixture, in a module named after it; `#[ignore]`s name generator bugs.
macro_rules! crate_tests {
    ($(
        $name:literal => $module:ident {
            test: [$(#[$t:meta])*],
            clippy: [$(#[$c:meta])*],
            docs: [$(#[$d:meta])*],
        }
    )*) => {
        $(
            mod $module {
                #[test]
                $(#[$t])*
                fn crate_builds_and_passes_its_tests() {
                    super::crate_builds_and_passes_its_tests($name);
                }

                #[test]
                $(#[$c])*
                fn crate_is_clippy_clean() {
                    super::crate_is_clippy_clean($name);
                }

                #[test]
                $(#[$d])*
                fn doc_examples_compile() {
                    super::doc_examples_compile($name);
                }
            }
        )*

        #[test]
        fn every_fixture_has_crate_tests() {
            let tested: BTreeSet<&str> = [$($name),*].into_iter().collect();
            let all: BTreeSet<&str> = FIXTURES.iter().copied().collect();
            assert_eq!(tested, all);
        }
    };
}

crate_tests! {
    "all-of" => all_of {
        test: [],
        clippy: [],
        docs: [],
    }
    "unions" => unions {
        test: [],
        clippy: [],
        docs: [],
    }
    "maps" => maps {
        test: [],
        clippy: [],
        docs: [],
    }
    "recursion" => recursion {
        test: [],
        clippy: [],
        docs: [],
    }
    "scalars" => scalars {
        test: [],
        clippy: [],
        docs: [],
    }
    "form-bodies" => form_bodies {
        test: [],
        clippy: [],
        docs: [],
    }
    "responses" => responses {
        test: [],
        clippy: [],
        docs: [],
    }
    "parameters" => parameters {
        test: [],
        clippy: [],
        docs: [],
    }
    "experimental" => experimental {
        test: [],
        clippy: [],
        docs: [],
    }
    "deprecated" => deprecated {
        test: [],
        clippy: [],
        docs: [],
    }
    "paging" => paging {
        test: [],
        clippy: [],
        docs: [],
    }
    "traps" => traps {
        test: [],
        clippy: [],
        docs: [],
    }
    "keywords" => keywords {
        test: [],
        clippy: [],
        docs: [],
    }
}
