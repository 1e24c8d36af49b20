//! What the e2e tests read from the OpenAPI document itself: its operations with their example
//! values, and a copy of the document that Prism can serve under the client's `/v2024` prefix.
//!
//! This reads `spec/` on its own (a small YAML `$ref` resolver and example assembler), without
//! the generator, so that the tests check the generated client against the document rather than
//! against the generator's reading of it.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// The API version: the first segment of every request path the client sends.
pub const API_PREFIX: &str = "/v2024";

/// The HTTP methods of an OpenAPI path item, in the generator's order.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("e2e lives one level below the workspace root")
        .to_path_buf()
}

/// `spec/sailpoint-api.v2024.yaml`.
pub fn spec_path() -> PathBuf {
    workspace_root()
        .join("spec")
        .join("sailpoint-api.v2024.yaml")
}

/// Reads a YAML (or JSON) file as JSON.
pub fn read_yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()))
}

/// The document at `path` with every `$ref` (to another file or inside one) replaced by what it
/// points to.
pub fn resolved_spec(path: &Path) -> Value {
    let mut files = HashMap::new();
    let root = load(&mut files, path);
    resolve(&mut files, path, &root, 0)
}

fn load(files: &mut HashMap<PathBuf, Value>, path: &Path) -> Value {
    files
        .entry(path.to_path_buf())
        .or_insert_with(|| read_yaml(path))
        .clone()
}

fn resolve(files: &mut HashMap<PathBuf, Value>, file: &Path, value: &Value, depth: usize) -> Value {
    assert!(
        depth < 64,
        "$ref chain too deep (a cycle?) in {}",
        file.display()
    );
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let (target_file, pointer) = match reference.split_once('#') {
                    Some(("", pointer)) => (file.to_path_buf(), pointer.to_owned()),
                    Some((relative, pointer)) => (sibling(file, relative), pointer.to_owned()),
                    None => (sibling(file, reference), String::new()),
                };
                let document = load(files, &target_file);
                let target = document.pointer(&pointer).unwrap_or_else(|| {
                    panic!("{}: $ref {reference} points nowhere", file.display())
                });
                return resolve(files, &target_file, &target.clone(), depth + 1);
            }
            Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), resolve(files, file, v, depth)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| resolve(files, file, v, depth))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn sibling(file: &Path, relative: &str) -> PathBuf {
    file.parent().expect("a file has a folder").join(relative)
}

/// A schema's example: its own `example`, else one assembled from its parts (an object from
/// its properties' examples, an array of its item's example, the first alternative of a
/// `oneOf`/`anyOf`, the first value of an enum). `None` when nothing gives one.
pub fn schema_example(schema: &Value) -> Option<Value> {
    if let Some(example) = schema.get("example") {
        return Some(example.clone());
    }
    if let Some(Value::Array(values)) = schema.get("enum") {
        return values.iter().find(|v| !v.is_null()).cloned();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(alternatives)) = schema.get(key) {
            return alternatives.iter().find_map(schema_example);
        }
    }
    if let Some(Value::Array(parts)) = schema.get("allOf") {
        let mut merged = Map::new();
        for part in parts {
            if let Some(Value::Object(map)) = schema_example(part) {
                merged.extend(map);
            }
        }
        return (!merged.is_empty()).then_some(Value::Object(merged));
    }
    if let Some(Value::Object(properties)) = schema.get("properties") {
        let mut object = Map::new();
        for (name, property) in properties {
            let Some(example) = schema_example(property) else {
                continue;
            };
            // An array property whose example is one item is a list of that item.
            let is_array = property.get("type").and_then(Value::as_str) == Some("array");
            let example = if is_array && !example.is_array() {
                Value::Array(vec![example])
            } else {
                example
            };
            object.insert(name.clone(), example);
        }
        return (!object.is_empty()).then_some(Value::Object(object));
    }
    if let Some(items) = schema.get("items") {
        return schema_example(items).map(|item| match item {
            Value::Array(_) => item,
            item => Value::Array(vec![item]),
        });
    }
    None
}

/// A media type object's example: `example`, the first of `examples`, or the schema's.
fn media_example(media: &Value) -> Option<Value> {
    if let Some(example) = media.get("example") {
        return Some(example.clone());
    }
    if let Some(Value::Object(examples)) = media.get("examples") {
        if let Some(first) = examples.values().next() {
            return first.get("value").cloned();
        }
    }
    media.get("schema").and_then(schema_example)
}

/// The JSON media type of a `content` map, preferring `application/json`.
fn json_media(content: &Value) -> Option<(&str, &Value)> {
    let map = content.as_object()?;
    map.get_key_value("application/json")
        .or_else(|| map.iter().find(|(k, _)| k.contains("json")))
        .map(|(k, v)| (k.as_str(), v))
}

/// A response of an operation.
#[derive(Debug, Clone)]
pub struct SpecResponse {
    pub status: u16,
    /// The JSON example of its body, if it has a JSON body with an example.
    pub example: Option<Value>,
}

/// An operation as the document describes it, with the values its examples give.
#[derive(Debug, Clone)]
pub struct SpecOperation {
    /// `operationId`, e.g. `getAuthUser`.
    pub id: String,
    /// Upper case, e.g. `GET`.
    pub method: String,
    /// The path template as written, e.g. `/auth-users/{id}`.
    pub path: String,
    /// (name, example) of each path parameter, in template order.
    pub path_params: Vec<(String, Option<Value>)>,
    /// (content type, example) of the request body.
    pub request_body: Option<(String, Option<Value>)>,
    /// Every documented response, sorted by status.
    pub responses: Vec<SpecResponse>,
    /// The resolved operation object.
    pub raw: Value,
}

impl SpecOperation {
    /// The first 2xx response.
    pub fn success(&self) -> &SpecResponse {
        self.responses
            .iter()
            .find(|r| (200..300).contains(&r.status))
            .unwrap_or_else(|| panic!("{} documents no 2xx response", self.id))
    }

    /// The documented response of `status`.
    pub fn response(&self, status: u16) -> &SpecResponse {
        self.responses
            .iter()
            .find(|r| r.status == status)
            .unwrap_or_else(|| panic!("{} documents no {status} response", self.id))
    }

    /// The example of path parameter `name` as a string.
    pub fn path_example(&self, name: &str) -> String {
        let value = self
            .path_params
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("{}: path parameter {name} has no example", self.id));
        match value {
            Value::String(s) => s,
            other => other.to_string(),
        }
    }

    /// The request body's example.
    pub fn body_example(&self) -> Value {
        self.request_body
            .as_ref()
            .and_then(|(_, example)| example.clone())
            .unwrap_or_else(|| panic!("{}: the request body has no example", self.id))
    }

    /// A regex matching the request paths of this operation as the client sends them
    /// (with the `/v2024` prefix; each parameter one non-empty segment).
    pub fn path_regex(&self) -> String {
        let mut regex = format!("^{}", regex_escape(API_PREFIX));
        let mut rest = self.path.as_str();
        while let Some(start) = rest.find('{') {
            regex.push_str(&regex_escape(&rest[..start]));
            regex.push_str("[^/]+");
            let end = rest[start..].find('}').expect("closed parameter") + start;
            rest = &rest[end + 1..];
        }
        regex.push_str(&regex_escape(rest));
        regex.push('$');
        regex
    }
}

fn regex_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Every operation of the document, in path order and then method order.
pub fn spec_operations(spec: &Value) -> Vec<SpecOperation> {
    let paths = spec
        .get("paths")
        .and_then(Value::as_object)
        .expect("the document has paths");
    let mut out = Vec::new();
    for (path, item) in paths {
        let shared: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"))
                .to_owned();
            let mut parameters = shared.clone();
            parameters.extend(
                operation
                    .get("parameters")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default(),
            );
            let path_params = parameters
                .iter()
                .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
                .map(|p| {
                    let name = p["name"].as_str().expect("parameter name").to_owned();
                    let example = p
                        .get("example")
                        .cloned()
                        .or_else(|| p.get("schema").and_then(schema_example));
                    (name, example)
                })
                .collect();
            let request_body = operation
                .get("requestBody")
                .and_then(|b| b.get("content"))
                .and_then(json_media)
                .map(|(content_type, media)| (content_type.to_owned(), media_example(media)));
            let mut responses: Vec<SpecResponse> = operation
                .get("responses")
                .and_then(Value::as_object)
                .map(|map| {
                    map.iter()
                        .filter_map(|(status, response)| {
                            Some(SpecResponse {
                                status: status.parse().ok()?,
                                example: response
                                    .get("content")
                                    .and_then(json_media)
                                    .and_then(|(_, media)| media_example(media)),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            responses.sort_by_key(|r| r.status);
            out.push(SpecOperation {
                id,
                method: method.to_ascii_uppercase(),
                path: path.clone(),
                path_params,
                request_body,
                responses,
                raw: operation.clone(),
            });
        }
    }
    out
}

/// The operations of `spec/sailpoint-api.v2024.yaml`.
pub fn operations() -> Vec<SpecOperation> {
    spec_operations(&resolved_spec(&spec_path()))
}

/// The operation `id` of `spec/sailpoint-api.v2024.yaml`.
pub fn operation(id: &str) -> SpecOperation {
    operations()
        .into_iter()
        .find(|op| op.id == id)
        .unwrap_or_else(|| panic!("the spec has no operation {id}"))
}

/// The resolved schema `components.schemas.<name>` or, for the files of `spec/v2024/schemas`,
/// the schema file `<name>.yaml`.
pub fn schema(name: &str) -> Value {
    let spec = resolved_spec(&spec_path());
    if let Some(schema) = spec.pointer(&format!("/components/schemas/{name}")) {
        return schema.clone();
    }
    let file = workspace_root()
        .join("spec")
        .join("v2024")
        .join("schemas")
        .join(format!("{name}.yaml"));
    resolved_spec(&file)
}

/// The example the spec gives for an `AuthUser`, assembled from its properties' examples.
pub fn auth_user_example() -> Value {
    schema_example(&schema("AuthUser")).expect("AuthUser has property examples")
}

/// Writes into `dir` a copy of the document that Prism serves at the paths the client requests:
/// each path gets the `/v2024` prefix (Prism ignores `servers` and serves paths at its root,
/// while the client always sends `{base URL}/v2024/...`), and the root's relative `$ref`s are
/// made absolute so that they still resolve from the copy's folder. The referenced files are
/// used in place, unchanged. Also adds `POST /oauth/token` (no security, client-credentials
/// form, a token answer) so that clients configured with client credentials work against it.
///
/// Returns the copy's path.
pub fn prism_spec_copy(dir: &Path) -> PathBuf {
    let source = spec_path();
    let mut root = read_yaml(&source);
    absolutize_refs(&mut root, source.parent().expect("spec folder"));
    let paths = root
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .expect("the document has paths");
    let prefixed: Map<String, Value> = std::mem::take(paths)
        .into_iter()
        .map(|(path, item)| (format!("{API_PREFIX}{path}"), item))
        .collect();
    *paths = prefixed;
    paths.insert(
        "/oauth/token".to_owned(),
        serde_json::json!({
            "post": {
                "operationId": "e2eTokenEndpoint",
                "security": [],
                "requestBody": {
                    "required": true,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": ["grant_type", "client_id", "client_secret"],
                                "properties": {
                                    "grant_type": {"type": "string", "enum": ["client_credentials"]},
                                    "client_id": {"type": "string", "minLength": 1},
                                    "client_secret": {"type": "string"}
                                }
                            }
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "A token",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["access_token"],
                                    "properties": {
                                        "access_token": {"type": "string"},
                                        "token_type": {"type": "string"},
                                        "expires_in": {"type": "integer"}
                                    }
                                },
                                "example": {
                                    "access_token": "prism-access-token",
                                    "token_type": "bearer",
                                    "expires_in": 43199
                                }
                            }
                        }
                    }
                }
            }
        }),
    );
    std::fs::create_dir_all(dir).expect("create the folder of the spec copy");
    let copy = dir.join("sailpoint-api.v2024.prism.json");
    let text = serde_json::to_string_pretty(&root).expect("the spec encodes as JSON");
    std::fs::write(&copy, text).expect("write the spec copy");
    copy
}

fn absolutize_refs(value: &mut Value, base: &Path) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(reference) if key == "$ref" && !reference.starts_with('#') => {
                        let (file, fragment) = match reference.split_once('#') {
                            Some((file, fragment)) => (file.to_owned(), format!("#{fragment}")),
                            None => (reference.clone(), String::new()),
                        };
                        let absolute = base
                            .join(&file)
                            .canonicalize()
                            .unwrap_or_else(|e| panic!("$ref {reference}: {e}"));
                        *reference = format!("{}{fragment}", absolute.display());
                    }
                    other => absolutize_refs(other, base),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| absolutize_refs(v, base)),
        _ => {}
    }
}

/// A fresh folder under the system temp folder, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("e2e-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a temp folder");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
