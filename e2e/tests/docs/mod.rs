//! The ```rust blocks of `generated/docs`, compiled as modules by `e2e/build.rs`, and a runner
//! for their `main()`s.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::panic::{catch_unwind, AssertUnwindSafe};

include!(concat!(env!("OUT_DIR"), "/doc_examples.rs"));

/// The environment variables the examples' `Configuration::from_env()` reads.
const VARIABLES: [&str; 4] = [
    "SAIL_BASE_URL",
    "SAIL_CLIENT_ID",
    "SAIL_CLIENT_SECRET",
    "SAIL_EXPERIMENTAL",
];

impl DocExample {
    /// `generated/docs/methods/auth-users.md:72 (methods_auth_users_1)`.
    pub fn location(&self) -> String {
        format!("{}:{} ({})", self.file, self.line, self.module)
    }

    /// Whether the example calls the API (builds an `ApiClient`), as operation examples do.
    pub fn calls_the_api(&self) -> bool {
        self.source.contains("ApiClient::new")
    }
}

/// Every doc example, failing with the reason the docs could not be read.
pub fn all() -> &'static [DocExample] {
    if let Some(problem) = DOC_EXAMPLES_PROBLEM {
        panic!("e2e/build.rs could not read the docs: {problem}");
    }
    DOC_EXAMPLES
}

/// Runs the `main()` of each of `examples` one after the other, with `SAIL_BASE_URL`,
/// `SAIL_CLIENT_ID` and `SAIL_CLIENT_SECRET` set to the given values (and `SAIL_EXPERIMENTAL`
/// unset), then restores the environment. Returns one message per example that returned an
/// error or panicked, naming the block's place in the docs.
///
/// The environment is process-wide: call this from one test at a time, and outside any tokio
/// runtime (operation examples start their own with `#[tokio::main]`).
pub fn run<'a>(
    examples: impl IntoIterator<Item = &'a DocExample>,
    base_url: &str,
    client_id: &str,
    client_secret: &str,
) -> Vec<String> {
    let saved: Vec<(&str, Option<std::ffi::OsString>)> = VARIABLES
        .iter()
        .map(|name| (*name, std::env::var_os(name)))
        .collect();
    std::env::set_var("SAIL_BASE_URL", base_url);
    std::env::set_var("SAIL_CLIENT_ID", client_id);
    std::env::set_var("SAIL_CLIENT_SECRET", client_secret);
    std::env::remove_var("SAIL_EXPERIMENTAL");

    let mut failures = Vec::new();
    for example in examples {
        let Some(run) = example.run else { continue };
        let outcome = match catch_unwind(AssertUnwindSafe(run)) {
            Ok(outcome) => outcome,
            Err(panic) => Err(format!(
                "panicked: {}",
                panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("(no message)")
            )),
        };
        if let Err(error) = outcome {
            failures.push(format!(
                "{}: main() failed: {error}\n--- the example ---\n{}",
                example.location(),
                example.source
            ));
        }
    }

    for (name, value) in saved {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    }
    failures
}
