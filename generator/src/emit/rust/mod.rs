//! The Rust client crate emitter: token streams built with `quote`, formatted with `prettyplease`
//! and then `rustfmt`, except where the [`FormatCache`] already holds the result.
//!
//! Layout of the emitted crate (under `sailpoint/`): `src/lib.rs`, `src/v2024/mod.rs`, the
//! runtime copied from `templates/rust/runtime/`, `src/v2024/apis/*`, `src/v2024/models/*`, and
//! `tests/examples.rs` (round trips of every example in the spec).

mod apis;
pub mod examples;
mod models;
mod roundtrip;
pub mod rustdoc;
mod rustfmt;
pub mod surface;
mod tokens;

use std::path::PathBuf;
use std::time::Instant;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::format_cache::{FormatCache, Kind};
use crate::error::Error;
use crate::model::Model;
use crate::output::FileSet;
use crate::{Timings, CRATE_VERSION};
use models::ModelFacts;

/// The runtime: Rust source that does not vary with the spec, copied in verbatim.
const RUNTIME: &[(&str, &str)] = &[
    (
        "auth",
        include_str!("../../../../templates/rust/runtime/auth.rs"),
    ),
    (
        "client",
        include_str!("../../../../templates/rust/runtime/client.rs"),
    ),
    (
        "configuration",
        include_str!("../../../../templates/rust/runtime/configuration.rs"),
    ),
    (
        "error",
        include_str!("../../../../templates/rust/runtime/error.rs"),
    ),
    (
        "nullable",
        include_str!("../../../../templates/rust/runtime/nullable.rs"),
    ),
    (
        "paging",
        include_str!("../../../../templates/rust/runtime/paging.rs"),
    ),
];

const CRATE: &str = crate::CRATE_NAME;

/// The version of the rustfmt the crate is formatted with, if it runs.
pub fn rustfmt_version() -> Option<String> {
    rustfmt::version()
}

/// `build` applied to every item on every core ([`crate::parallel::on_every_core`]); results in
/// order. (Token streams cannot cross threads, so `build` returns text.)
fn on_every_core<T: Sync, R: Send>(
    items: &[T],
    build: impl Fn(&T) -> Result<R, Error> + Sync,
) -> Result<Vec<R>, Error> {
    crate::parallel::on_every_core(items, build)
        .ok_or_else(|| Error::Emit {
            what: "the Rust files".into(),
            message: "a worker thread panicked".into(),
        })?
        .into_iter()
        .collect()
}

/// Collects the crate's Rust files, to format them all at once on every core
/// ([`Formatter::finish`]); the formatting is timed apart from the building.
struct Formatter<'a> {
    files: &'a mut FileSet,
    timings: &'a mut Timings,
    cache: &'a FormatCache,
    /// (path under the crate, what kind of text, the text). Token streams are kept as text,
    /// because they cannot be sent to other threads.
    pending: Vec<(String, Kind, String)>,
}

impl Formatter<'_> {
    fn add(&mut self, path: &str, tokens: TokenStream) -> Result<(), Error> {
        self.pending
            .push((path.to_string(), Kind::Tokens, tokens.to_string()));
        Ok(())
    }

    /// Formats the collected files: each one the cache does not hold goes through prettyplease
    /// (in parallel, token text only), then rustfmt.
    fn finish(self) -> Result<(), Error> {
        let t = Instant::now();
        let cache = self.cache;
        let formatted = on_every_core(&self.pending, |(path, kind, text)| {
            let key = FormatCache::key(*kind, text);
            if let Some(hit) = cache.get(key) {
                return Ok((path.clone(), hit.to_string(), None));
            }
            let text = match kind {
                Kind::Tokens => tokens::format_text(text, path)?,
                _ => text.clone(),
            };
            Ok((path.clone(), text, Some(key)))
        })?;
        let mut misses = Vec::new();
        for (path, text, miss) in formatted {
            let path = PathBuf::from(format!("{CRATE}/{path}"));
            if let Some(key) = miss {
                misses.push((path.clone(), key));
            }
            self.files.files.insert(path, text);
        }
        if !misses.is_empty() {
            let r = Instant::now();
            rustfmt::format_crate(self.files, misses.iter().map(|(p, _)| p.clone()).collect())?;
            self.timings.rustfmt += r.elapsed();
            for (path, key) in &misses {
                cache.put(*key, &self.files.files[path]);
            }
        }
        self.timings.format += t.elapsed();
        Ok(())
    }
}

/// Adds the crate's files under `sailpoint/`.
pub fn emit(
    model: &Model,
    files: &mut FileSet,
    timings: &mut Timings,
    cache: &FormatCache,
) -> Result<(), Error> {
    let start = Instant::now();
    let facts = ModelFacts::new(model);
    let mut f = Formatter {
        files,
        timings,
        cache,
        pending: Vec::new(),
    };

    f.files
        .add(format!("{CRATE}/Cargo.toml"), cargo_toml(model));
    f.add("src/lib.rs", lib_rs(model))?;
    // Runtime modules that only some documents need are left out where nothing would use them.
    let mut paged = false;
    for op in model.apis.iter().flat_map(|a| &a.operations) {
        paged |= apis::paging_parts(model, op)?.is_some();
    }
    let nullable = model.types.iter().any(|t| match &t.kind {
        crate::model::TypeKind::Object(o) => o
            .fields
            .iter()
            .any(|fl| surface::field_shape(model, fl) == surface::FieldShape::OptionalNullable),
        _ => false,
    });
    f.add("src/v2024/mod.rs", version_mod(model, paged, nullable))?;
    for (name, source) in RUNTIME {
        if (*name == "paging" && !paged) || (*name == "nullable" && !nullable) {
            continue;
        }
        f.pending.push((
            format!("src/v2024/{name}.rs"),
            Kind::Source,
            (*source).to_string(),
        ));
    }

    // The API files, the model files and the examples' tests, built on every core.
    enum Job<'m> {
        Api(&'m crate::model::Api),
        Model(&'m crate::model::TypeDef),
        Tests,
    }
    let jobs: Vec<Job> = std::iter::once(Job::Tests)
        .chain(model.apis.iter().map(Job::Api))
        .chain(model.types.iter().map(Job::Model))
        .collect();
    let built = on_every_core(&jobs, |job| {
        Ok(match job {
            Job::Api(api) => (
                format!("src/v2024/apis/{}.rs", api.names.rust_module),
                apis::api_file(model, api)?.to_string(),
            ),
            Job::Model(def) => (
                format!("src/v2024/models/{}.rs", def.names.rust_module),
                models::model_file(model, &facts, def)?.to_string(),
            ),
            Job::Tests => (
                "tests/examples.rs".to_string(),
                roundtrip::tests(model, &facts)?.to_string(),
            ),
        })
    })?;
    f.pending
        .extend(built.into_iter().map(|(p, t)| (p, Kind::Tokens, t)));

    // APIs, each behind its feature.
    let mut api_mods = Vec::new();
    for api in &model.apis {
        let m = format_ident!("{}", api.names.rust_module);
        let feature = &api.names.feature;
        api_mods.push(quote! {
            #[cfg(feature = #feature)]
            pub mod #m;
            #[cfg(feature = #feature)]
            pub use #m::*;
        });
    }
    f.add(
        "src/v2024/apis/mod.rs",
        quote! {
            //! One client per API tag, each behind the cargo feature of its tag.
            #(#api_mods)*
        },
    )?;

    // Models, each compiled only when a feature that reaches it is on.
    let mut model_mods = Vec::new();
    for def in &model.types {
        let cfg = facts.cfg(&def.names.rust);
        let allow = def.deprecated.then(|| quote!(#[allow(deprecated)]));
        let m = format_ident!("{}", def.names.rust_module);
        let s = format_ident!("{}", def.names.rust);
        model_mods.push(quote! {
            #cfg
            mod #m;
            #cfg
            #allow
            pub use #m::#s;
        });
    }
    f.add(
        "src/v2024/models/mod.rs",
        quote! {
            //! The data types of the API: requests, responses and their parts.
            #(#model_mods)*
        },
    )?;

    f.finish()?;
    let elapsed = start.elapsed();
    timings.emit_rust += elapsed.saturating_sub(timings.format);
    Ok(())
}

fn cargo_toml(model: &Model) -> String {
    let features: Vec<String> = model
        .apis
        .iter()
        .map(|a| format!("{} = []", a.names.feature))
        .collect();
    let default: Vec<String> = model
        .apis
        .iter()
        .map(|a| format!("\"{}\"", a.names.feature))
        .collect();
    format!(
        r#"# Generated by `cargo xtask generate` from the OpenAPI document. Do not edit.
[package]
name = "{CRATE}"
version = "{CRATE_VERSION}"
edition = "2021"
rust-version = "1.85"
description = "Client for the {title} ({version})"
license = "MIT"
publish = false

[features]
# Each API tag is a feature; a crate that enables one compiles only that API and its models.
default = [{default}]
{features}

[dependencies]
bytes = "1"
chrono = {{ version = "0.4", default-features = false, features = ["serde", "std", "clock"] }}
httpdate = "1"
percent-encoding = "2"
reqwest = {{ version = "0.12", default-features = false, features = ["json", "rustls-tls", "multipart", "stream"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
serde_urlencoded = "0.7"
tokio = {{ version = "1", features = ["sync", "time"] }}
futures-util = {{ version = "0.3", default-features = false }}

[dev-dependencies]
tokio = {{ version = "1", features = ["rt"] }}
"#,
        title = model.title,
        version = model.version,
        default = default.join(", "),
        features = features.join("\n"),
    )
}

fn lib_rs(model: &Model) -> TokenStream {
    let title = format!(" Rust client for the {}.", model.title);
    let version = format!(" The API lives in [`{}`]: an [`{0}::ApiClient`] built from a [`{0}::Configuration`], one client struct per API tag in [`{0}::apis`], and the data types in [`{0}::models`].", model.version);
    let v = format_ident!("{}", model.version);
    quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = #version]
        #![deny(missing_docs)]

        pub mod #v;
    }
}

fn version_mod(model: &Model, paged: bool, nullable: bool) -> TokenStream {
    let version = &model.version;
    let doc = format!(" Version {version} of the {}.", model.title);
    // With no API feature on, nothing calls the runtime.
    let features: Vec<&String> = model.apis.iter().map(|a| &a.names.feature).collect();
    let idle =
        quote!(#[cfg_attr(not(any(#(feature = #features),*)), allow(dead_code, unused_imports))]);
    let nullable_mod = nullable.then(|| quote!(#idle mod nullable;));
    let paging_mod = paged.then(|| quote!(#idle pub mod paging;));
    quote! {
        #![doc = #doc]

        pub mod apis;
        #idle
        mod auth;
        #idle
        pub mod client;
        pub mod configuration;
        #idle
        pub mod error;
        pub mod models;
        #nullable_mod
        #paging_mod

        pub use client::{ApiClient, UploadFile};
        pub use configuration::{ConfigError, Configuration, RetryPolicy};
        pub use error::Error;

        /// The API version: the first segment of every API path.
        pub(crate) const API_VERSION: &str = #version;
    }
}
