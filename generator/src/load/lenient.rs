//! Fixes for defects found in the real v2024 document, applied as a lenient reader would, each
//! reported as a warning with its place.

use serde_json::{Map, Value};

use super::source::SourceFile;
use super::Warning;

const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// Repairs one inline schema object in place.
pub(super) fn fix_schema(
    obj: &mut Map<String, Value>,
    file: &SourceFile,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    let mut warn = |at: &str, message: String| {
        warnings.push(Warning {
            location: file.locate(&format!("{pointer}{at}")),
            message,
        });
    };

    // `type` given as an array (OpenAPI 3.1 style): keep the one real type, note `null`.
    if let Some(Value::Array(types)) = obj.get("type").cloned() {
        let non_null: Vec<&str> = types
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect();
        if types.iter().any(|t| t == "null") {
            obj.insert("nullable".into(), Value::Bool(true));
        }
        match non_null.as_slice() {
            [one] => {
                obj.insert("type".into(), Value::String((*one).to_string()));
            }
            _ => {
                obj.remove("type");
            }
        }
        warn(
            "/type",
            format!("`type` is a list {types:?}; read as an OpenAPI 3.0 type with `nullable`"),
        );
    }

    // A format written as a type: `type: date-time`.
    if let Some(Value::String(t)) = obj.get("type").cloned() {
        if !TYPES.contains(&t.as_str()) {
            match t.as_str() {
                "date-time" | "date" | "uuid" | "binary" | "byte" | "email" | "uri" => {
                    obj.insert("type".into(), Value::String("string".into()));
                    obj.entry("format").or_insert(Value::String(t.clone()));
                    warn("/type", format!("`type: {t}` is a format, not a type; read as `type: string, format: {t}`"));
                }
                "int" | "long" | "int32" | "int64" => {
                    obj.insert("type".into(), Value::String("integer".into()));
                    warn(
                        "/type",
                        format!("`type: {t}` is not an OpenAPI type; read as `type: integer`"),
                    );
                }
                "null" => {
                    obj.remove("type");
                    obj.insert("nullable".into(), Value::Bool(true));
                    warn(
                        "/type",
                        "`type: null` is not an OpenAPI 3.0 type; read as `nullable: true`"
                            .to_string(),
                    );
                }
                _ => {
                    obj.remove("type");
                    warn("/type", format!("unknown `type: {t}`; read as any value"));
                }
            }
        }
    }

    let ty = obj.get("type").and_then(Value::as_str).map(str::to_string);

    // Boolean defaults written as strings.
    if ty.as_deref() == Some("boolean") {
        if let Some(Value::String(s)) = obj.get("default").cloned() {
            if let Ok(b) = s.trim().parse::<bool>() {
                obj.insert("default".into(), Value::Bool(b));
                warn(
                    "/default",
                    format!("boolean default written as the string {s:?}; read as {b}"),
                );
            }
        }
    }
    // Numeric defaults written as strings.
    if matches!(ty.as_deref(), Some("integer" | "number")) {
        if let Some(Value::String(s)) = obj.get("default").cloned() {
            if let Ok(n) = s.trim().parse::<i64>() {
                obj.insert("default".into(), Value::from(n));
                warn(
                    "/default",
                    format!("numeric default written as the string {s:?}; read as {n}"),
                );
            }
        }
    }

    // Enums: values of the wrong scalar type in a string enum, and values listed twice.
    if let Some(Value::Array(values)) = obj.get("enum").cloned() {
        let mut fixed: Vec<Value> = Vec::with_capacity(values.len());
        for (i, v) in values.iter().enumerate() {
            let v = match (ty.as_deref(), v) {
                (Some("string"), Value::Bool(_) | Value::Number(_)) => {
                    let s = v.to_string();
                    warn(
                        &format!("/enum/{i}"),
                        format!("string enum holds the YAML {v} (not a string); read as \"{s}\""),
                    );
                    Value::String(s)
                }
                _ => v.clone(),
            };
            if fixed.contains(&v) {
                warn(
                    &format!("/enum/{i}"),
                    format!("enum value {v} is listed twice; kept once"),
                );
                continue;
            }
            fixed.push(v);
        }
        if fixed.len() != values.len() || fixed != values {
            obj.insert("enum".into(), Value::Array(fixed));
        }
    }

    // `required: true` on a property (Swagger habit) instead of a list on the object.
    if let Some(Value::Bool(_)) = obj.get("required") {
        obj.remove("required");
        warn(
            "/required",
            "`required` must list property names; a boolean here is ignored".to_string(),
        );
    }
}
