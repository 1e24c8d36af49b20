//! Rust example programs for the docs, built from the spec's example values with the emitted
//! crate's own API (constructors, `with_*` setters, enum variants, `From` conversions). The docs'
//! tests compile every one of them and run the operation examples against a mock server.

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

use super::roundtrip::{assembled_example, object_example};
use super::surface::{self, FieldShape};
use crate::emit::format_cache::{FormatCache, Key, Kind};
use crate::model::*;

/// Builds Rust expressions for example values, noting which models they name.
struct Builder<'a> {
    model: &'a Model,
    used: BTreeSet<String>,
    /// Whether the code names the runtime's `UploadFile`.
    upload_file: bool,
    /// Types being built, to stop on recursive examples.
    active: HashSet<String>,
    /// Leave out an optional field whose example does not fit its type, instead of failing:
    /// for types that serde cannot build instead (they hold files).
    skip_misfits: bool,
}

fn lit(s: &str) -> String {
    format!("{s:?}")
}

impl<'a> Builder<'a> {
    fn new(model: &'a Model) -> Self {
        Builder {
            model,
            used: BTreeSet::new(),
            upload_file: false,
            active: HashSet::new(),
            skip_misfits: false,
        }
    }

    /// An expression of exactly type `ty` holding `v`, or None when the value does not fit.
    fn expr(&mut self, ty: &TypeRef, v: &Value) -> Option<String> {
        match ty {
            TypeRef::Primitive(Primitive::File) => {
                self.upload_file = true;
                primitive(Primitive::File, v)
            }
            TypeRef::Primitive(p) => primitive(*p, v),
            TypeRef::Array(inner) => {
                let items = match v {
                    Value::Array(items) => items.clone(),
                    one => vec![one.clone()],
                };
                let exprs: Option<Vec<String>> =
                    items.iter().map(|i| self.expr(inner, i)).collect();
                Some(format!("vec![{}]", exprs?.join(", ")))
            }
            TypeRef::Map(inner) => {
                let obj = v.as_object()?;
                let entries: Option<Vec<String>> = obj
                    .iter()
                    .map(|(k, v)| {
                        Some(format!(
                            "({}.to_string(), {})",
                            lit(k),
                            self.expr(inner, v)?
                        ))
                    })
                    .collect();
                Some(format!(
                    "std::collections::HashMap::from([{}])",
                    entries?.join(", ")
                ))
            }
            TypeRef::Any => Some(format!("serde_json::json!({})", json_literal(v))),
            TypeRef::Object => {
                v.as_object()?;
                Some(format!(
                    "serde_json::json!({}).as_object().cloned().unwrap_or_default()",
                    json_literal(v)
                ))
            }
            TypeRef::Named(id) => self.named(id, v),
        }
    }

    /// Notes every model `ty` names, for a value built by serde rather than by [`Self::expr`].
    fn note_types(&mut self, ty: &TypeRef) {
        match ty {
            TypeRef::Named(id) if self.model.type_def(id).is_some() => {
                self.used.insert(id.0.clone());
            }
            TypeRef::Array(inner) | TypeRef::Map(inner) => self.note_types(inner),
            _ => {}
        }
    }

    /// Like [`Self::expr`], for a parameter that takes `impl Into<String>`: a bare literal.
    fn arg(&mut self, ty: &TypeRef, v: &Value) -> Option<String> {
        match (ty, v) {
            (
                TypeRef::Primitive(Primitive::String | Primitive::Uuid | Primitive::Byte),
                Value::String(s),
            ) => Some(lit(s)),
            _ => self.expr(ty, v),
        }
    }

    fn named(&mut self, id: &TypeId, v: &Value) -> Option<String> {
        let model = self.model;
        let def = model.type_def(id)?;
        let name = &def.names.rust;
        match &def.kind {
            TypeKind::Alias(inner) => self.expr(inner, v),
            TypeKind::Enum(e) => match e.base {
                EnumBase::Boolean => primitive(Primitive::Bool, v),
                EnumBase::Number => {
                    let n = v.as_f64()?;
                    self.used.insert(name.clone());
                    match e.values.iter().find(|ev| ev.wire.as_f64() == Some(n)) {
                        Some(ev) => Some(format!("{name}::{}", ev.rust_variant)),
                        None => Some(format!("{name}::from({})", primitive(Primitive::F64, v)?)),
                    }
                }
                _ => {
                    self.used.insert(name.clone());
                    match e.values.iter().find(|ev| &ev.wire == v) {
                        Some(ev) => Some(format!("{name}::{}", ev.rust_variant)),
                        None => match v {
                            Value::String(s) => Some(format!("{name}::from({})", lit(s))),
                            Value::Number(n) => Some(format!("{name}::from({n})")),
                            _ => None,
                        },
                    }
                }
            },
            TypeKind::Object(o) => {
                let obj = v.as_object()?;
                if !self.active.insert(name.clone()) {
                    return None;
                }
                let result = self.object(name, o, obj);
                self.active.remove(name);
                result
            }
            TypeKind::Union(u) => {
                let variant = pick_variant(model, u, v)?;
                // Prefer the `From` conversions the union offers for literals.
                let from_str = matches!(
                    (&variant.ty, v),
                    (TypeRef::Primitive(Primitive::String), Value::String(_))
                );
                if from_str {
                    self.used.insert(name.clone());
                    return Some(format!(
                        "{name}::from({})",
                        lit(v.as_str().unwrap_or_default())
                    ));
                }
                if let (TypeRef::Array(item), Value::Array(items)) = (&variant.ty, v) {
                    let arrays = u
                        .variants
                        .iter()
                        .filter(|x| matches!(x.ty, TypeRef::Array(_)))
                        .count();
                    if arrays == 1
                        && union_has_string(model, item)
                        && items.iter().all(Value::is_string)
                    {
                        let strs: Vec<String> =
                            items.iter().filter_map(Value::as_str).map(lit).collect();
                        self.used.insert(name.clone());
                        return Some(format!("{name}::from(vec![{}])", strs.join(", ")));
                    }
                }
                let inner = self.expr(&variant.ty, v)?;
                self.used.insert(name.clone());
                Some(format!("{name}::{}({inner})", variant.rust_variant))
            }
        }
    }

    fn object(
        &mut self,
        name: &str,
        o: &ObjectType,
        obj: &serde_json::Map<String, Value>,
    ) -> Option<String> {
        let model = self.model;
        let owner = model.type_def(&TypeId(name.to_string()))?;
        let mut args = Vec::new();
        let mut withs = Vec::new();
        for f in &o.fields {
            let value = obj.get(&f.wire_name);
            let shape = surface::field_shape(model, f);
            if surface::set_by_server(model, owner, f) {
                continue;
            }
            match (shape, value) {
                (FieldShape::Plain, Some(v)) => args.push(self.arg(&f.ty, v)?),
                (FieldShape::Plain, None) => return None,
                (FieldShape::Optional, v) if f.required => match v {
                    Some(Value::Null) | None => args.push("None".to_string()),
                    Some(v) => args.push(format!("Some({})", self.expr(&f.ty, v)?)),
                },
                (_, Some(Value::Null)) | (_, None) => {}
                (_, Some(v)) => {
                    if f.deprecated {
                        continue;
                    }
                    let Some(arg) = self.arg(&f.ty, v) else {
                        if self.skip_misfits {
                            continue;
                        }
                        return None;
                    };
                    withs.push(format!(
                        ".with_{}({arg})",
                        f.rust_name.trim_start_matches("r#")
                    ));
                }
            }
        }
        self.used.insert(name.to_string());
        Some(format!(
            "{name}::new({}){}",
            args.join(", "),
            withs.join("")
        ))
    }
}

fn union_has_string(model: &Model, t: &TypeRef) -> bool {
    match t {
        TypeRef::Named(id) => match model.type_def(id).map(|d| &d.kind) {
            Some(TypeKind::Union(u)) => u
                .variants
                .iter()
                .any(|v| v.ty == TypeRef::Primitive(Primitive::String)),
            _ => false,
        },
        _ => false,
    }
}

/// The alternative a JSON value decodes into, by its JSON kind (as the emitted decoder does).
fn pick_variant<'m>(model: &'m Model, u: &'m UnionType, v: &Value) -> Option<&'m UnionVariant> {
    u.variants
        .iter()
        .find(|variant| fits(model, &variant.ty, v, 0))
}

fn fits(model: &Model, t: &TypeRef, v: &Value, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    match (t, v) {
        (TypeRef::Any, _) => true,
        (TypeRef::Primitive(p), _) => primitive(*p, v).is_some(),
        (TypeRef::Array(_), Value::Array(_)) => true,
        (TypeRef::Map(_) | TypeRef::Object, Value::Object(_)) => true,
        (TypeRef::Named(id), _) => match model.type_def(id).map(|d| &d.kind) {
            Some(TypeKind::Object(o)) => v.as_object().is_some_and(|obj| {
                o.fields
                    .iter()
                    .filter(|f| f.required)
                    .all(|f| obj.contains_key(&f.wire_name))
            }),
            Some(TypeKind::Enum(e)) => match e.base {
                EnumBase::String => v.is_string(),
                _ => v.is_number() || v.is_boolean(),
            },
            Some(TypeKind::Alias(inner)) => fits(model, inner, v, depth + 1),
            Some(TypeKind::Union(u)) => u.variants.iter().any(|x| fits(model, &x.ty, v, depth + 1)),
            None => false,
        },
        _ => false,
    }
}

fn primitive(p: Primitive, v: &Value) -> Option<String> {
    match (p, v) {
        (Primitive::String | Primitive::Uuid | Primitive::Byte, Value::String(s)) => {
            Some(format!("{}.to_string()", lit(s)))
        }
        (Primitive::DateTime | Primitive::Date, Value::String(s)) => {
            Some(format!("{}.parse()?", lit(s)))
        }
        (Primitive::Binary, Value::String(s)) => Some(format!("{}.to_vec()", byte_lit(s))),
        (Primitive::File, Value::String(s)) => {
            Some(format!("UploadFile::new({}.to_vec())", byte_lit(s)))
        }
        (Primitive::I32 | Primitive::I64, Value::Number(n)) if n.is_i64() || n.is_u64() => {
            Some(n.to_string())
        }
        (Primitive::F32 | Primitive::F64, Value::Number(n)) => {
            // `Debug` always reads back as a float literal: `3.0`, `1.5`, `1e300`.
            Some(format!("{:?}", n.as_f64()?))
        }
        (Primitive::Bool, Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    }
}

fn byte_lit(s: &str) -> String {
    let escaped: String = s
        .bytes()
        .map(|b| std::ascii::escape_default(b).to_string())
        .collect();
    format!("b\"{escaped}\"")
}

/// JSON as the argument of `serde_json::json!`. JSON text is valid there, except that an
/// integer literal outside `i32` needs a suffix (the macro's literals are typed by inference).
fn json_literal(v: &Value) -> String {
    let mut out = String::new();
    write_json(v, &mut out);
    out
}

fn write_json(v: &Value, out: &mut String) {
    match v {
        Value::Number(n) => {
            out.push_str(&n.to_string());
            if let Some(i) = n.as_i64() {
                if i32::try_from(i).is_err() {
                    out.push_str("_i64");
                }
            } else if n.is_u64() {
                out.push_str("_u64");
            }
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_json(item, out);
            }
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// An example value for a type without one in the spec, so every example program compiles.
fn fallback_value(model: &Model, ty: &TypeRef, name: &str) -> Value {
    fallback_at(model, ty, name, 0)
}

fn fallback_at(model: &Model, ty: &TypeRef, name: &str, depth: usize) -> Value {
    if let Some(v) = assembled_example(model, ty, &mut HashSet::new()) {
        return v;
    }
    let def = match ty {
        TypeRef::Named(id) if depth < 4 => model.type_def(id),
        _ => None,
    };
    match def.map(|d| &d.kind) {
        // The fields' examples, and a made-up value for each required field without one.
        Some(TypeKind::Object(o)) => {
            let mut map = serde_json::Map::new();
            for f in &o.fields {
                let v = f
                    .example
                    .clone()
                    .or_else(|| assembled_example(model, &f.ty, &mut HashSet::new()))
                    .or_else(|| {
                        f.required
                            .then(|| fallback_at(model, &f.ty, &f.wire_name, depth + 1))
                    });
                if let Some(v) = v {
                    map.insert(f.wire_name.clone(), v);
                }
            }
            return Value::Object(map);
        }
        Some(TypeKind::Alias(inner)) => return fallback_at(model, inner, name, depth + 1),
        Some(TypeKind::Union(u)) if !u.variants.is_empty() => {
            return fallback_at(model, &u.variants[0].ty, name, depth + 1)
        }
        _ => {}
    }
    match ty {
        TypeRef::Primitive(Primitive::I32 | Primitive::I64) => Value::from(1),
        TypeRef::Primitive(Primitive::F32 | Primitive::F64) => Value::from(1.5),
        TypeRef::Primitive(Primitive::Bool) => Value::Bool(true),
        TypeRef::Primitive(Primitive::DateTime) => Value::String("2024-01-01T00:00:00Z".into()),
        TypeRef::Primitive(Primitive::Date) => Value::String("2024-01-01".into()),
        TypeRef::Primitive(_) => Value::String(name.to_string()),
        TypeRef::Array(inner) => Value::Array(vec![fallback_value(model, inner, name)]),
        _ => Value::Object(Default::default()),
    }
}

/// The expression of a `let` binding of an example value: built with the crate's API, or by
/// serde from the JSON when the value does not fit that API (a spec example off its schema).
fn binding(b: &mut Builder, ty: &TypeRef, v: &Value) -> String {
    if let Some(e) = b.expr(ty, v) {
        return e;
    }
    if surface::holds_files(b.model, ty) {
        // No serde form to fall back on: build what fits.
        b.skip_misfits = true;
        let built = b.expr(ty, v);
        b.skip_misfits = false;
        if let Some(e) = built {
            return e;
        }
    }
    b.note_types(ty);
    format!(
        "serde_json::from_value::<{}>(serde_json::json!({}))?",
        surface::type_display(ty),
        json_literal(v)
    )
}

/// The first line of a description as a comment line above a binding.
fn comment(text: Option<&str>) -> String {
    text.and_then(|t| t.lines().map(str::trim).find(|l| !l.is_empty()))
        .map(|t| format!("    // {t}\n"))
        .unwrap_or_default()
}

/// Lays a one-line expression out over lines when it is long: a `vec![…]` gets an item a line
/// and a builder chain a `.with_…` call a line, as rustfmt would.
fn layout(expr: &str, indent: usize) -> String {
    if expr.len() + indent <= 80 {
        return expr.to_string();
    }
    let pad = " ".repeat(indent);
    if let Some(inner) = expr.strip_prefix("vec![").and_then(|e| e.strip_suffix(']')) {
        let items: Vec<String> = split_top(inner, ',')
            .iter()
            .map(|i| format!("{pad}    {},", layout(i.trim(), indent + 4)))
            .collect();
        return format!("vec![\n{}\n{pad}]", items.join("\n"));
    }
    let parts = split_chain(expr);
    if parts.len() > 1 {
        let mut out = parts[0].to_string();
        for p in &parts[1..] {
            out.push_str(&format!("\n{pad}    .{}", layout(p, indent + 4)));
        }
        return out;
    }
    expr.to_string()
}

/// Splits at `sep` outside brackets and string literals.
fn split_top(s: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut in_str = false;
    let mut escaped = false;
    let mut cur = String::new();
    for c in s.chars() {
        if in_str {
            cur.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
        if c == sep && depth == 0 {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

/// Splits `X::new(a).with_b(c).with_d(e)` into `X::new(a)`, `with_b(c)`, `with_d(e)`.
fn split_chain(s: &str) -> Vec<String> {
    split_top(s, '.')
        .into_iter()
        .fold(Vec::<String>::new(), |mut acc, part| {
            // Only calls start a new link; `1.5` or `x.to_string()` stay with their receiver.
            if acc.is_empty() || !part.starts_with("with_") {
                match acc.last_mut() {
                    Some(last) => {
                        last.push('.');
                        last.push_str(&part);
                    }
                    None => acc.push(part),
                }
            } else {
                acc.push(part);
            }
            acc
        })
}

/// A complete program calling `op`: reads the configuration from the environment
/// (`SAIL_BASE_URL`, `SAIL_CLIENT_ID`, `SAIL_CLIENT_SECRET`), builds each argument from the
/// spec's examples, calls the method and prints the result.
pub fn operation_example(model: &Model, api: &Api, op: &Operation) -> String {
    let mut b = Builder::new(model);
    let mut lets = Vec::new();
    let mut call_args = Vec::new();
    for p in op.parameters.iter().filter(|p| surface::is_positional(p)) {
        let name = p.rust_name.clone();
        let v = p
            .example
            .clone()
            .or_else(|| p.default.clone())
            .unwrap_or_else(|| fallback_value(model, &p.ty, p.wire_name.as_str()));
        let arg_ty = surface::param_arg_display(model, &p.ty);
        let (value, pass) = match arg_ty.as_str() {
            "&str" => (
                v.as_str().map(lit).unwrap_or_else(|| lit(&v.to_string())),
                name.clone(),
            ),
            t if t.starts_with('&') => (binding(&mut b, &p.ty, &v), format!("&{name}")),
            _ => (binding(&mut b, &p.ty, &v), name.clone()),
        };
        lets.push(format!(
            "{}    let {name} = {};",
            comment(p.description.as_deref()),
            layout(&value, 4)
        ));
        call_args.push(pass);
    }
    if let Some(body) = &op.request_body {
        let name = body.rust_name.clone();
        let v = body
            .example
            .clone()
            .unwrap_or_else(|| fallback_value(model, &body.ty, "body"));
        let arg = surface::param_arg_display(model, &body.ty);
        let value = match body.media {
            MediaType::Binary => "b\"file contents\".to_vec()".to_string(),
            MediaType::Text => lit(v.as_str().unwrap_or("text")),
            // A JSON string body is taken as `&str`, like a string parameter.
            _ if arg == "&str" => v.as_str().map(lit).unwrap_or_else(|| lit(&v.to_string())),
            _ => binding(&mut b, &body.ty, &v),
        };
        lets.push(format!(
            "{}    let {name} = {};",
            comment(body.description.as_deref()),
            layout(&value, 4)
        ));
        let pass = if arg.starts_with('&') && arg != "&str" {
            format!("&{name}")
        } else {
            name
        };
        call_args.push(if body.required {
            pass
        } else {
            format!("Some({pass})")
        });
    }
    let mut imports = vec![format!("apis::{}", api.names.rust_struct)];
    if surface::has_params_struct(op) {
        let mut setters = String::new();
        for p in op.parameters.iter().filter(|p| !surface::is_positional(p)) {
            let Some(v) = p.example.clone().or_else(|| p.default.clone()) else {
                continue;
            };
            if p.deprecated {
                continue;
            }
            if let Some(e) = b.arg(&p.ty, &v) {
                setters.push_str(&format!("\n        .{}({e})", p.rust_name));
            }
        }
        lets.push(format!(
            "    let params = {}::default(){setters};",
            op.names.rust_params
        ));
        call_args.push("params".to_string());
        imports.push(format!("apis::{}", op.names.rust_params));
    }
    let models: Vec<&str> = b.used.iter().map(String::as_str).collect();
    match models.as_slice() {
        [] => {}
        [one] => imports.push(format!("models::{one}")),
        many => imports.push(format!("models::{{{}}}", many.join(", "))),
    }
    imports.push("ApiClient".into());
    imports.push("Configuration".into());
    if b.upload_file {
        imports.push("UploadFile".into());
    }
    let configuration = if op.experimental {
        "Configuration::from_env()?.with_experimental(true)"
    } else {
        "Configuration::from_env()?"
    };
    let call = format!(
        "{}::new(&api_client)\n        .{}({})\n        .await?",
        api.names.rust_struct,
        op.names.rust_fn,
        call_args.join(", ")
    );
    let result = if surface::returns_unit(op) {
        format!("    {call};\n    println!(\"done\");")
    } else if return_is_bytes(op) {
        format!("    let result = {call};\n    println!(\"{{}} bytes\", result.len());")
    } else {
        format!("    let result = {call};\n    println!(\"{{result:#?}}\");")
    };
    let summary = op
        .summary
        .as_deref()
        .map(|s| format!("    // {}\n", s.trim()))
        .unwrap_or_default();
    format!(
        "use sailpoint::v2024::{{{imports}}};\n\n#[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {{\n    // SAIL_BASE_URL, SAIL_CLIENT_ID and SAIL_CLIENT_SECRET, or ./config.json\n    let configuration = {configuration};\n    let api_client = ApiClient::new(configuration)?;\n\n{lets}{sep}{summary}{result}\n    Ok(())\n}}\n",
        imports = imports.join(", "),
        lets = lets.join("\n"),
        sep = if lets.is_empty() { "" } else { "\n\n" },
    )
}

fn return_is_bytes(op: &Operation) -> bool {
    surface::return_type(op) == TypeRef::Primitive(Primitive::Binary)
}

/// A complete program building `def` from its example values, or None when the type has no
/// example to show (an enum's page lists its values instead).
pub fn model_example(model: &Model, def: &TypeDef) -> Option<String> {
    let value = match (&def.example, &def.kind) {
        (Some(e), _) => e.clone(),
        (None, TypeKind::Object(o)) => {
            object_example(model, o, &mut HashSet::from([def.names.rust.clone()]))?
        }
        (None, TypeKind::Enum(_)) => return None,
        (None, _) => assembled_example(
            model,
            &TypeRef::Named(TypeId(def.names.rust.clone())),
            &mut HashSet::new(),
        )?,
    };
    let mut b = Builder::new(model);
    let ty = TypeRef::Named(TypeId(def.names.rust.clone()));
    let expr = layout(&b.expr(&ty, &value)?, 4);
    b.used.insert(def.names.rust.clone());
    let var = def.names.rust_module.clone();
    let uses: Vec<&str> = b.used.iter().map(String::as_str).collect();
    let uses = match uses.as_slice() {
        [one] => (*one).to_string(),
        many => format!("{{{}}}", many.join(", ")),
    };
    let fallible = expr.contains('?');
    let (sig, ok) = if fallible {
        (
            "fn main() -> Result<(), Box<dyn std::error::Error>> {",
            "    Ok(())\n",
        )
    } else {
        ("fn main() {", "")
    };
    let uses = if b.upload_file {
        format!("{{models::{uses}, UploadFile}}")
    } else {
        format!("models::{uses}")
    };
    Some(format!(
        "use sailpoint::v2024::{uses};\n\n{sig}\n    let {var}: {} = {expr};\n    println!(\"{{{var}:#?}}\");\n{ok}}}\n",
        def.names.rust,
    ))
}

/// Every example program of the docs, built once and laid out by rustfmt in one batch.
pub struct Examples {
    /// By operation id.
    operations: std::collections::HashMap<String, String>,
    /// By type (Rust name).
    models: std::collections::HashMap<String, String>,
}

impl Examples {
    pub fn new(model: &Model, cache: &FormatCache) -> Result<Examples, crate::error::Error> {
        let mut keys = Vec::new();
        let mut programs = Vec::new();
        for api in &model.apis {
            for op in &api.operations {
                keys.push((true, op.id.clone()));
                programs.push(operation_example(model, api, op));
            }
        }
        for def in &model.types {
            if let Some(program) = model_example(model, def) {
                keys.push((false, def.names.rust.clone()));
                programs.push(program);
            }
        }
        // Only the programs the cache does not hold go to rustfmt.
        let keys_of: Vec<Key> = programs
            .iter()
            .map(|p| FormatCache::key(Kind::Example, p))
            .collect();
        let mut formatted: Vec<Option<String>> = keys_of
            .iter()
            .map(|k| cache.get(*k).map(str::to_string))
            .collect();
        let misses: Vec<usize> = (0..programs.len())
            .filter(|i| formatted[*i].is_none())
            .collect();
        let fresh = super::rustfmt::format_programs(
            &misses
                .iter()
                .map(|i| programs[*i].clone())
                .collect::<Vec<_>>(),
        )?;
        for (i, text) in misses.into_iter().zip(fresh) {
            cache.put(keys_of[i], &text);
            formatted[i] = Some(text);
        }
        let formatted = formatted.into_iter().map(Option::unwrap_or_default);
        let mut examples = Examples {
            operations: Default::default(),
            models: Default::default(),
        };
        for ((is_operation, key), program) in keys.into_iter().zip(formatted) {
            if is_operation {
                examples.operations.insert(key, program);
            } else {
                examples.models.insert(key, program);
            }
        }
        Ok(examples)
    }

    /// The program calling `op`.
    pub fn operation(&self, op: &Operation) -> &str {
        self.operations.get(&op.id).map_or("", String::as_str)
    }

    /// The program building `def`, when it has an example.
    pub fn model(&self, def: &TypeDef) -> Option<&str> {
        self.models.get(&def.names.rust).map(String::as_str)
    }
}
