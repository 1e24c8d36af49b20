//! The Markdown docs: snapshots of every Auth Users page, MDX validity and links (rendered by the
//! Docusaurus-like checker in tools/node), and the whole upstream document.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::emit::docs;
use codegen::model::Model;
use codegen::{generate, FileSet, Options, TagFilter};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The docs pages of the Auth Users selection, by path below `docs/`.
fn auth_users_pages() -> (Model, BTreeMap<String, String>) {
    let generation = generate(&Options {
        spec: root().join("spec/sailpoint-api.v2024.yaml"),
        tags: TagFilter::Tags(vec!["Auth Users".into()]),
        format_cache: None,
    })
    .unwrap();
    let pages = docs_pages(&generation.files);
    (generation.model, pages)
}

fn docs_pages(files: &FileSet) -> BTreeMap<String, String> {
    files
        .files
        .iter()
        .filter_map(|(p, c)| {
            Some((
                p.strip_prefix("docs").ok()?.to_str()?.to_string(),
                c.clone(),
            ))
        })
        .collect()
}

/// Writes the pages into a fresh folder below the target dir.
fn write_pages(name: &str, pages: &BTreeMap<String, String>) -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("docs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (rel, contents) in pages {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}

fn emit_docs(model: &Model) -> BTreeMap<String, String> {
    let mut files = FileSet::default();
    docs::emit(model, &mut files, &codegen::FormatCache::off()).unwrap();
    docs_pages(&files)
}

#[test]
fn auth_users_pages_match_their_snapshots() {
    let (_, pages) = auth_users_pages();
    let names: Vec<&str> = pages.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "methods/auth-users.md",
            "methods/index.md",
            "models/auth-user-capability.md",
            "models/auth-user.md",
            "models/error-message-dto.md",
            "models/error-response-dto.md",
            "models/index.md",
            "models/json-patch-operation-op.md",
            "models/json-patch-operation-value-array-item.md",
            "models/json-patch-operation-value.md",
            "models/json-patch-operation.md",
            "models/locale-origin.md",
            "models/response401.md",
            "models/response429.md",
        ]
    );
    for (rel, contents) in &pages {
        let name = rel.trim_end_matches(".md").replace('/', "__");
        insta::assert_snapshot!(name, contents);
    }
}

#[test]
fn auth_users_pages_render_as_mdx_and_their_links_resolve() {
    let (_, pages) = auth_users_pages();
    let dir = write_pages("auth-users", &pages);
    let report = testkit::check_docs(&dir).unwrap_or_else(|e| panic!("docs check failed:\n{e}"));
    assert!(
        report.contains("docs-check: 14 pages, 0 errors"),
        "{report}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Whether rustfmt would change `code` (as a file of its own, edition 2021, default config).
fn rustfmt_changes(code: &str) -> bool {
    use std::io::Write;
    use std::process::{Command, Stdio};
    // Not `--check`: with stdin input it exits 0 even when it prints a diff.
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021"])
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("rustfmt runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(code.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "rustfmt failed on:\n{code}");
    String::from_utf8(out.stdout).unwrap() != code
}

#[test]
fn auth_users_examples_are_laid_out_as_cargo_fmt_would() {
    let (_, pages) = auth_users_pages();
    let mut checked = 0;
    for (path, text) in &pages {
        for (line, _, code) in testkit::rust_blocks(text) {
            assert!(
                !rustfmt_changes(&code),
                "{path}:{line}: rustfmt would change this example:\n{code}"
            );
            checked += 1;
        }
    }
    // The two operations' examples and the models' ones.
    assert!(checked >= 8, "only {checked} examples");
    // And the check can fail: a long line is not how rustfmt leaves it.
    assert!(rustfmt_changes(
        "fn main() { let x = vec![1, 2, 3]; println!(\"{x:?}\"); let y = 1; let z = 2; let w = 3; let v = 4; }\n"
    ));
}

#[test]
fn the_checker_rejects_an_unescaped_brace() {
    // The check above could pass by accident if the checker ignored expressions: show it does not.
    let (_, mut pages) = auth_users_pages();
    let page = pages.get_mut("methods/auth-users.md").unwrap();
    *page = page.replacen(
        "All URIs are relative to",
        "See /auth-users/{id}. All URIs are relative to",
        1,
    );
    let dir = write_pages("unescaped", &pages);
    let report = testkit::check_docs(&dir).expect_err("a bare {id} must not render");
    assert!(report.contains("auth-users.md"), "{report}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn mdx_syntax_in_spec_text_is_escaped_and_renders() {
    let (mut model, _) = auth_users_pages();
    let api = &mut model.apis[0];
    api.description =
        Some("Manage users at /auth-users/{id} <admin only>.\nSee <https://example.com/x>.".into());
    let op = &mut api.operations[0];
    op.summary = Some("Get a user {id} | fast".into());
    op.description = Some(
        "Reads `/auth-users/{id}`.\n\n```json\n{\"id\": \"<x>\"}\n```\n\nThen {more} text:with[label] and a | pipe.".into(),
    );
    op.parameters[0].description = Some("The {id}\nof a <user> | or `a|b`".into());
    op.responses[0].description = "User {id}".into();
    model
        .types
        .iter_mut()
        .find(|t| t.names.rust == "AuthUser")
        .unwrap()
        .description = Some("An {auth} user <tenant>; it's fine.".into());
    // Markdown that MDX reads differently: a lone backtick, a quote, module syntax, a directive,
    // an HTML line break, a type with angle brackets in a list, a fence left open.
    model
        .types
        .iter_mut()
        .find(|t| t.names.rust == "JsonPatchOperation")
        .unwrap()
        .description = Some(
        "a ` {b}\n\n> quoted {x}\n\nimport the file\n\n:::note\nx\n\none<br>two\n\n- Map<String, i64>\n\n```\n{open}".into(),
    );

    let pages = emit_docs(&model);
    let page = &pages["methods/auth-users.md"];
    for expected in [
        "Manage users at /auth-users/\\{id\\} \\<admin only\\>.",
        "See [https://example.com/x](https://example.com/x).",
        "| Get a user \\{id\\} \\| fast",
        "Reads `/auth-users/{id}`.",
        "```json\n{\"id\": \"<x>\"}\n```",
        "Then \\{more\\} text\\:with[label] and a | pipe.",
        "| The \\{id\\}<br/>of a \\<user\\> \\| or `a\\|b`",
        "| User \\{id\\} |",
    ] {
        assert!(page.contains(expected), "{expected:?} in\n{page}");
    }
    assert!(pages["models/auth-user.md"].contains("An \\{auth\\} user \\<tenant\\>; it's fine."));
    assert!(pages["models/json-patch-operation.md"].contains(
        "a ` \\{b\\}\n\n> quoted \\{x\\}\n\n&#105;mport the file\n\n\\:::note\nx\n\none<br/>two\n\n- Map\\<String, i64\\>\n\n```\n{open}\n```\n"
    ));

    let dir = write_pages("escaping", &pages);
    let report = testkit::check_docs(&dir).unwrap_or_else(|e| panic!("docs check failed:\n{e}"));
    assert!(report.contains("0 errors"), "{report}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn experimental_and_deprecated_operations_say_so() {
    let (mut model, _) = auth_users_pages();
    model.apis[0].operations[0].experimental = true;
    model.apis[0].operations[1].deprecated = true;
    let pages = emit_docs(&model);
    let page = &pages["methods/auth-users.md"];
    let get =
        &page[page.find("## get-auth-user").unwrap()..page.find("## patch-auth-user").unwrap()];
    let patch = &page[page.find("## patch-auth-user").unwrap()..];
    assert!(
        get.contains(":::warning experimental\n")
            && get.contains("Configuration::with_experimental(true)")
    );
    assert!(get.contains("SAIL_EXPERIMENTAL=true") && !get.contains(":::caution"));
    assert!(patch.contains(":::caution deprecated\n") && !patch.contains(":::warning"));
    let dir = write_pages("admonitions", &pages);
    testkit::check_docs(&dir).unwrap_or_else(|e| panic!("docs check failed:\n{e}"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn whole_upstream_document_has_a_page_per_tag_and_model_and_renders() {
    let spec = codegen::load::load(
        &root().join("../shared/upstream/api-specs/idn/sailpoint-api.v2024.yaml"),
    )
    .unwrap();
    let selection = codegen::select::select(&spec.api, &TagFilter::All).unwrap();
    let model = codegen::lower::lower(&spec, &selection).unwrap();
    let mut files = FileSet::default();
    docs::emit(&model, &mut files, &codegen::FormatCache::off()).unwrap_or_else(|e| panic!("{e}"));
    let pages = docs_pages(&files);

    let methods = pages
        .keys()
        .filter(|p| p.starts_with("methods/") && *p != "methods/index.md")
        .count();
    let models = pages
        .keys()
        .filter(|p| p.starts_with("models/") && *p != "models/index.md")
        .count();
    assert_eq!(model.apis.len(), 93);
    assert_eq!(methods, 93, "one methods page per tag");
    assert_eq!(models, model.types.len(), "one page per model");
    for api in &model.apis {
        let page = &pages[&format!("methods/{}.md", api.names.doc_slug)];
        for op in &api.operations {
            assert!(
                page.contains(&format!("\n## {}\n", op.names.doc_anchor)),
                "{} on its page",
                op.id
            );
        }
    }
    // Every page is listed on its index.
    for api in &model.apis {
        assert!(pages["methods/index.md"].contains(&format!("]({}.md)", api.names.doc_slug)));
    }
    for t in &model.types {
        assert!(pages["models/index.md"].contains(&format!("]({}.md)", t.names.doc_slug)));
    }

    let dir = write_pages("all", &pages);
    let report = testkit::check_docs(&dir).unwrap_or_else(|e| panic!("docs check failed:\n{e}"));
    assert!(
        report.contains(&format!("docs-check: {} pages, 0 errors", pages.len())),
        "{report}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
