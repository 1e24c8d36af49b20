//! The docs checker must pass good pages and fail each kind of bad page:
//! these tests prove `testkit::check_docs` can fail.

use testkit::{check_docs, node_tools_dir};

fn fixture(name: &str) -> std::path::PathBuf {
    node_tools_dir().join("fixtures").join(name)
}

fn expect_errors(name: &str, expected: &[&str], pages: usize, errors: usize) {
    let out = match check_docs(&fixture(name)) {
        Ok(out) => panic!("check_docs passed on fixture {name}, expected a failure:\n{out}"),
        Err(out) => out,
    };
    for needle in expected {
        assert!(
            out.contains(needle),
            "fixture {name}: output lacks {needle:?}:\n{out}"
        );
    }
    let summary = format!("docs-check: {pages} pages, {errors} errors");
    assert!(
        out.contains(&summary),
        "fixture {name}: expected {summary:?}:\n{out}"
    );
}

#[test]
fn good_pages_pass() {
    let out = check_docs(&fixture("good")).unwrap_or_else(|e| panic!("good fixture failed:\n{e}"));
    assert!(out.contains("docs-check: 2 pages, 0 errors"), "{out}");
}

#[test]
fn bare_expression_fails_at_render() {
    expect_errors(
        "bare-id",
        &[
            "page.md: MDX render error: ReferenceError: id is not defined",
            "{id} at 9:37",
        ],
        1,
        1,
    );
}

#[test]
fn broken_link_fails() {
    expect_errors(
        "broken-link",
        &["a.md: broken link ../models/auth-user: resolves to /tools/sdk/rust/v2024/models/auth-user, which is not the slug of any page"],
        2,
        1,
    );
}

#[test]
fn broken_anchor_fails() {
    expect_errors(
        "broken-anchor",
        &["a.md: broken anchor ../models/b#no-such-heading: no heading or element with id \"no-such-heading\""],
        2,
        1,
    );
}

#[test]
fn bad_front_matter_fails() {
    expect_errors(
        "bad-front-matter",
        &[
            "invalid-yaml.md: invalid YAML front matter at 4:1",
            "no-front-matter.md: missing front matter",
            "no-slug.md: front matter lacks `slug`",
        ],
        3,
        3,
    );
}

#[test]
fn mdx_compile_error_fails() {
    expect_errors(
        "compile-error",
        &["page.md: MDX compile error at 9:27"],
        1,
        1,
    );
}

#[test]
fn missing_dir_fails() {
    let err = check_docs(&fixture("no-such-fixture")).expect_err("a missing dir must fail");
    assert!(err.contains("not a directory"), "{err}");
}
