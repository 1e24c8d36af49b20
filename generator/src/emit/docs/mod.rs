//! The Markdown docs emitter (askama templates in `templates/docs/`).
//!
//! Pages follow the layout of SailPoint's SDK reference pages (a methods page per API, a model
//! page per type, two index pages), with Rust in place of Python. Every page is MDX for
//! Docusaurus 3: spec text goes through [`mdx`] before it is placed. The view structs in
//! [`views`] hold every derived string (links, escaped cells, anchors); templates only place them.

pub mod mdx;
pub mod views;

use askama::Template;

use crate::emit::format_cache::FormatCache;
use crate::emit::rust::examples::Examples;
use crate::error::Error;
use crate::model::Model;
use crate::output::FileSet;

/// Adds the docs pages under `docs/`: `docs/methods/<api>.md`, `docs/models/<type>.md` and the
/// two `index.md` pages.
pub fn emit(model: &Model, files: &mut FileSet, cache: &FormatCache) -> Result<(), Error> {
    let examples = Examples::new(model, cache)?;
    let mut pages: Vec<(String, Result<String, String>)> = Vec::new();
    for api in &model.apis {
        let page = views::MethodsPage::new(model, api, &examples);
        pages.push((
            format!("docs/methods/{}.md", api.names.doc_slug),
            render(&page, &api.tag),
        ));
    }
    for def in &model.types {
        let page = views::ModelPage::new(model, def, &examples);
        pages.push((
            format!("docs/models/{}.md", def.names.doc_slug),
            render(&page, &def.names.rust),
        ));
    }
    pages.push((
        "docs/methods/index.md".to_string(),
        render(&views::MethodsIndex::new(model), "methods index"),
    ));
    pages.push((
        "docs/models/index.md".to_string(),
        render(&views::ModelsIndex::new(model), "models index"),
    ));

    for (path, contents) in pages {
        let contents = contents.map_err(|message| Error::Emit {
            what: format!("docs page {path}"),
            message,
        })?;
        if files.files.contains_key(std::path::Path::new(&path)) {
            return Err(Error::Emit {
                what: format!("docs page {path}"),
                message: "two pages have the same file name (doc slugs must be unique)".to_string(),
            });
        }
        files.add(path, contents);
    }
    Ok(())
}

/// Renders a page; a template error names the API or type the page is for.
fn render(page: &impl Template, what: &str) -> Result<String, String> {
    let mut text = page
        .render()
        .map_err(|e| format!("rendering the page for {what}: {e}"))?;
    // One final newline, whatever the template's last lines.
    text.truncate(text.trim_end().len());
    text.push('\n');
    Ok(text)
}
