//! Walks the document along OpenAPI's structure, so that each `$ref` is known to point at a
//! schema, a response, a parameter…, and rewrites file `$ref`s into component `$ref`s.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::lenient;
use super::source::{escape_token, pointer_tokens, SourceFile};
use super::{LoadedSpec, Warning};
use crate::error::{Error, Location};

/// The component sections a `$ref` can point into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Schema,
    Response,
    Parameter,
    Example,
    RequestBody,
    Header,
    SecurityScheme,
    Link,
    Callback,
    /// Path items are inlined, never made components.
    PathItem,
}

const SECTIONS: [(Kind, &str); 9] = [
    (Kind::Schema, "schemas"),
    (Kind::Response, "responses"),
    (Kind::Parameter, "parameters"),
    (Kind::Example, "examples"),
    (Kind::RequestBody, "requestBodies"),
    (Kind::Header, "headers"),
    (Kind::SecurityScheme, "securitySchemes"),
    (Kind::Link, "links"),
    (Kind::Callback, "callbacks"),
];

fn section(kind: Kind) -> &'static str {
    SECTIONS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("pathItems", |(_, s)| s)
}

/// Where the walk is: which file, where in it, and how we got there.
#[derive(Clone)]
struct Ctx {
    file: Rc<SourceFile>,
    pointer: String,
    /// The `$ref`s that led here: (referring file, pointer of the `$ref`). Rendered into
    /// "file:line:column" only when an error needs it, since locating re-reads the file.
    chain: Rc<Vec<(Rc<SourceFile>, String)>>,
}

impl Ctx {
    fn at(&self, token: &str) -> Ctx {
        Ctx {
            file: self.file.clone(),
            pointer: format!("{}/{}", self.pointer, escape_token(token)),
            chain: self.chain.clone(),
        }
    }

    fn location(&self) -> Location {
        self.file.locate(&self.pointer)
    }

    /// The `$ref` chain, outermost first, as "file:line:column (at pointer)" lines.
    fn chain(&self) -> Vec<String> {
        self.chain
            .iter()
            .rev()
            .map(|(file, pointer)| file.locate(pointer).to_string())
            .collect()
    }

    /// The chain including this place, for errors in a file this place refers to.
    fn chain_through(&self) -> Vec<String> {
        let mut chain = vec![self.location().to_string()];
        chain.extend(self.chain());
        chain
    }
}

/// A `$ref` target: a file and a pointer inside it.
type Target = (PathBuf, String);

pub(super) struct Resolver {
    root_path: PathBuf,
    root: Rc<SourceFile>,
    files: HashMap<PathBuf, Rc<SourceFile>>,
    /// Components of the result, per section.
    components: HashMap<Kind, IndexMap<String, Value>>,
    /// Which component each file target became.
    assigned: HashMap<(Kind, Target), String>,
    /// Names every section already uses.
    taken: HashMap<Kind, HashSet<String>>,
    /// Names the root's own `components` give to file targets.
    preferred: HashMap<(Kind, Target), String>,
    origins: HashMap<String, (PathBuf, String)>,
    warnings: Vec<Warning>,
    /// Local `#/…` refs seen in the root, checked once everything is loaded.
    local_refs: Vec<(String, Ctx)>,
    /// Files parsed ahead of the walk, on all cores.
    prefetched: HashMap<PathBuf, SourceFile>,
}

impl Resolver {
    pub(super) fn load(path: &Path) -> Result<LoadedSpec, Error> {
        let root_path = normalize(&std::env::current_dir().unwrap_or_default().join(path));
        let root = SourceFile::read(&root_path, &[])?;
        check_openapi_version(&root)?;
        let prefetched = super::prefetch::prefetch(&root, normalize);
        let root = Rc::new(root);
        let mut r = Resolver {
            root_path: root_path.clone(),
            root: root.clone(),
            files: HashMap::from([(root_path.clone(), root.clone())]),
            components: HashMap::new(),
            assigned: HashMap::new(),
            taken: HashMap::new(),
            preferred: HashMap::new(),
            origins: HashMap::new(),
            warnings: Vec::new(),
            local_refs: Vec::new(),
            prefetched,
        };
        let ctx = Ctx {
            file: root.clone(),
            pointer: String::new(),
            chain: Rc::new(Vec::new()),
        };
        let mut doc = root.value.clone();
        let Some(obj) = doc.as_object_mut() else {
            return Err(not_openapi(&ctx, "the root is not a mapping"));
        };

        r.reserve_root_components(obj, &ctx)?;
        if let Some(Value::Object(comps)) = obj.get_mut("components") {
            let cctx = ctx.at("components");
            for (kind, name) in SECTIONS {
                if let Some(Value::Object(entries)) = comps.get_mut(name) {
                    let sctx = cctx.at(name);
                    for (key, value) in std::mem::take(entries) {
                        r.root_component(kind, key, value, &sctx)?;
                    }
                }
            }
        }
        if let Some(paths) = obj.get_mut("paths") {
            let pctx = ctx.at("paths");
            if let Value::Object(paths) = paths {
                for (p, item) in paths.iter_mut() {
                    let ictx = pctx.at(p);
                    r.origins.insert(
                        format!("paths/{p}"),
                        (root_path.clone(), ictx.pointer.clone()),
                    );
                    r.ref_or(item, &ictx, Kind::PathItem, Some(format!("paths/{p}")))?;
                }
            } else {
                return Err(not_openapi(&pctx, "`paths` is not a mapping"));
            }
        }
        // x-webhooks and other extensions are not part of the client; they stay as written.

        r.check_local_refs()?;

        let mut components = Map::new();
        for (kind, name) in SECTIONS {
            if let Some(entries) = r.components.remove(&kind) {
                if !entries.is_empty() {
                    components.insert(
                        name.to_string(),
                        Value::Object(entries.into_iter().collect()),
                    );
                }
            }
        }
        obj.insert("components".to_string(), Value::Object(components));

        let api = r.deserialize(doc)?;
        let file_count = r.files.len();
        drop(ctx);
        let texts = r
            .files
            .into_iter()
            .map(|(p, f)| {
                let f = Rc::try_unwrap(f).unwrap_or_else(|rc| SourceFile {
                    path: rc.path.clone(),
                    text: rc.text.clone(),
                    value: Value::Null,
                });
                (
                    p,
                    SourceFile {
                        value: Value::Null,
                        ..f
                    },
                )
            })
            .collect();
        Ok(LoadedSpec {
            api,
            root: root_path,
            warnings: r.warnings,
            origins: r.origins,
            texts,
            file_count,
        })
    }

    /// Reserves the root's component names, and notes which files they name.
    fn reserve_root_components(
        &mut self,
        obj: &Map<String, Value>,
        ctx: &Ctx,
    ) -> Result<(), Error> {
        let Some(Value::Object(comps)) = obj.get("components") else {
            return Ok(());
        };
        for (kind, name) in SECTIONS {
            let Some(Value::Object(entries)) = comps.get(name) else {
                continue;
            };
            for (key, value) in entries {
                self.taken.entry(kind).or_default().insert(key.clone());
                if let Some(reference) = ref_of(value) {
                    if !reference.starts_with('#') {
                        let rctx = ctx.at("components").at(name).at(key);
                        let target = self.target_of(reference, &rctx)?;
                        self.preferred
                            .entry((kind, target))
                            .or_insert_with(|| key.clone());
                    }
                }
            }
        }
        Ok(())
    }

    fn root_component(
        &mut self,
        kind: Kind,
        key: String,
        mut value: Value,
        sctx: &Ctx,
    ) -> Result<(), Error> {
        let ctx = sctx.at(&key);
        let origin = format!("components/{}/{}", section(kind), key);
        match ref_of(&value).map(str::to_string) {
            Some(reference) if !reference.starts_with('#') => {
                let target = self.target_of(&reference, &ctx)?;
                let name = self.component_for(kind, target, &ctx)?;
                if name != key {
                    // Two root names for one file: the second is an alias of the first.
                    let alias = serde_json::json!({ "$ref": format!("#/components/{}/{}", section(kind), name) });
                    self.components.entry(kind).or_default().insert(key, alias);
                    self.origins
                        .insert(origin, (self.root_path.clone(), ctx.pointer.clone()));
                }
            }
            _ => {
                self.origins
                    .insert(origin, (self.root_path.clone(), ctx.pointer.clone()));
                self.ref_or(&mut value, &ctx, kind, None)?;
                self.components.entry(kind).or_default().insert(key, value);
            }
        }
        Ok(())
    }

    /// A node that may be a `$ref` or an inline `kind`.
    fn ref_or(
        &mut self,
        node: &mut Value,
        ctx: &Ctx,
        kind: Kind,
        origin: Option<String>,
    ) -> Result<(), Error> {
        let Some(reference) = ref_of(node).map(str::to_string) else {
            return self.walk(kind, node, ctx);
        };
        let rctx = ctx.at("$ref");
        if let Some(pointer) = reference.strip_prefix('#') {
            if Rc::ptr_eq(&ctx.file, &self.root) {
                self.local_refs.push((reference.clone(), rctx));
                return Ok(());
            }
            // In another file, `#/…` means that file; a lenient reader also accepts the root's.
            if lookup(&ctx.file.value, pointer).is_none()
                && lookup(&self.root.value, pointer).is_some()
            {
                self.local_refs.push((reference.clone(), rctx));
                return Ok(());
            }
        }
        let target = self.target_of(&reference, &rctx)?;
        // A file ref into the root's own components is that component.
        if target.0 == self.root_path
            && target.1.starts_with("/components/")
            && pointer_tokens(&target.1).len() == 3
        {
            let local = format!("#{}", target.1);
            self.local_refs.push((local.clone(), rctx));
            *node = serde_json::json!({ "$ref": local });
            return Ok(());
        }
        if kind == Kind::PathItem {
            let (file, pointer) = target;
            let src = self.files[&file].clone();
            let mut value = lookup(&src.value, &pointer).cloned().unwrap_or(Value::Null);
            let tctx = self.enter(&src, &pointer, &rctx);
            if let Some(key) = origin {
                self.origins.insert(key, (file.clone(), pointer.clone()));
            }
            self.ref_or(&mut value, &tctx, Kind::PathItem, None)?;
            *node = value;
            return Ok(());
        }
        let name = self.component_for(kind, target, &rctx)?;
        *node = serde_json::json!({ "$ref": format!("#/components/{}/{}", section(kind), escape_token(&name)) });
        Ok(())
    }

    /// Returns the component a file target is, loading and registering it the first time.
    fn component_for(&mut self, kind: Kind, target: Target, rctx: &Ctx) -> Result<String, Error> {
        if let Some(name) = self.assigned.get(&(kind, target.clone())) {
            return Ok(name.clone());
        }
        let name = self.name_for(kind, &target);
        self.assigned.insert((kind, target.clone()), name.clone());
        self.taken.entry(kind).or_default().insert(name.clone());
        let (file, pointer) = target;
        self.origins.insert(
            format!("components/{}/{}", section(kind), name),
            (file.clone(), pointer.clone()),
        );
        let src = self.files[&file].clone();
        let mut value = lookup(&src.value, &pointer).cloned().unwrap_or(Value::Null);
        // Reserve the slot first: a schema that refers to itself finds its name, not a loop.
        self.components
            .entry(kind)
            .or_default()
            .insert(name.clone(), Value::Null);
        let tctx = self.enter(&src, &pointer, rctx);
        self.ref_or(&mut value, &tctx, kind, None)?;
        self.components
            .entry(kind)
            .or_default()
            .insert(name.clone(), value);
        Ok(name)
    }

    fn enter(&self, src: &Rc<SourceFile>, pointer: &str, rctx: &Ctx) -> Ctx {
        let mut chain = (*rctx.chain).clone();
        chain.push((rctx.file.clone(), rctx.pointer.clone()));
        Ctx {
            file: src.clone(),
            pointer: pointer.to_string(),
            chain: Rc::new(chain),
        }
    }

    /// The deterministic component name of a file target: the root's name for it, else the
    /// file's stem (the pointer's last token for a target inside a file, qualified by the stem
    /// when that is taken); on a clash with another target, qualified by the enclosing
    /// folders, then numbered.
    fn name_for(&self, kind: Kind, target: &Target) -> String {
        if let Some(name) = self.preferred.get(&(kind, target.clone())) {
            return name.clone();
        }
        let (file, pointer) = target;
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Unnamed".to_string());
        let taken = self.taken.get(&kind);
        let free = |n: &str| taken.is_none_or(|t| !t.contains(n));
        let base = match pointer_tokens(pointer).last() {
            None => stem,
            Some(last) if pointer.starts_with("/components/") => last.clone(),
            // Another pointer target takes its last token, or `stem_token` when that is taken.
            Some(last) if free(last) => return last.clone(),
            Some(last) => format!("{stem}_{last}"),
        };
        if free(&base) {
            return base;
        }
        let dirs: Vec<String> = file
            .parent()
            .map(|p| {
                p.components()
                    .filter_map(|c| match c {
                        Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut qualified = base.clone();
        for dir in dirs.iter().rev() {
            qualified = format!("{dir}_{qualified}");
            if free(&qualified) {
                return qualified;
            }
        }
        (2..)
            .map(|i| format!("{base}_{i}"))
            .find(|n| free(n))
            .unwrap_or(base)
    }

    /// Resolves a non-local `$ref` against the referring file and checks that it exists.
    fn target_of(&mut self, reference: &str, rctx: &Ctx) -> Result<Target, Error> {
        let (file_part, pointer) = match reference.split_once('#') {
            Some((f, p)) => (f, p.to_string()),
            None => (reference, String::new()),
        };
        let file = if file_part.is_empty() {
            rctx.file.path.clone()
        } else {
            let base = rctx.file.path.parent().unwrap_or(Path::new("."));
            normalize(&base.join(percent_decode(file_part)))
        };
        if let Some(src) = self.prefetched.remove(&file) {
            self.files.insert(file.clone(), Rc::new(src));
        }
        if !self.files.contains_key(&file) {
            if !file.is_file() {
                return Err(Error::MissingFile {
                    location: rctx.location(),
                    message: format!(
                        "$ref '{reference}' points to a file that does not exist ({})",
                        crate::error::display_path(&file)
                    ),
                    chain: rctx.chain(),
                });
            }
            let src =
                SourceFile::read(&file, &[]).map_err(|e| e.with_chain(rctx.chain_through()))?;
            self.files.insert(file.clone(), Rc::new(src));
        }
        if lookup(&self.files[&file].value, &pointer).is_none() {
            return Err(Error::MissingTarget {
                location: rctx.location(),
                message: format!(
                    "$ref '{reference}' points to nothing: {} has no node at '{pointer}'",
                    crate::error::display_path(&file)
                ),
                chain: rctx.chain(),
            });
        }
        Ok((file, pointer))
    }

    fn check_local_refs(&self) -> Result<(), Error> {
        for (reference, ctx) in &self.local_refs {
            let pointer = &reference[1..];
            let tokens = pointer_tokens(pointer);
            let ok = match tokens.as_slice() {
                [c, sec, name] if c == "components" => self
                    .components
                    .iter()
                    .any(|(k, m)| section(*k) == sec && m.contains_key(name)),
                _ => false,
            };
            if !ok {
                return Err(Error::MissingTarget {
                    location: ctx.location(),
                    message: format!(
                        "$ref '{reference}' points to nothing: the document has no such component"
                    ),
                    chain: ctx.chain(),
                });
            }
        }
        Ok(())
    }

    /// Walks an inline node of `kind`, resolving the `$ref`s inside it.
    fn walk(&mut self, kind: Kind, node: &mut Value, ctx: &Ctx) -> Result<(), Error> {
        let Value::Object(obj) = node else {
            return Ok(());
        };
        match kind {
            Kind::Schema => {
                lenient::fix_schema(obj, ctx.file.as_ref(), &ctx.pointer, &mut self.warnings);
                for key in ["properties", "patternProperties"] {
                    keep_ref_descriptions(obj, key);
                    self.each_in_map(obj, key, ctx, Kind::Schema)?;
                }
                for key in ["allOf", "oneOf", "anyOf"] {
                    self.each_in_list(obj, key, ctx, Kind::Schema)?;
                }
                for key in ["items", "not", "additionalProperties"] {
                    if let Some(v) = obj.get_mut(key) {
                        if v.is_object() {
                            self.ref_or(v, &ctx.at(key), Kind::Schema, None)?;
                        }
                    }
                }
                self.discriminator_mapping(obj, ctx)?;
            }
            Kind::PathItem => {
                self.each_in_list(obj, "parameters", ctx, Kind::Parameter)?;
                for m in [
                    "get", "put", "post", "delete", "options", "head", "patch", "trace",
                ] {
                    if let Some(op) = obj.get_mut(m) {
                        self.operation(op, &ctx.at(m))?;
                    }
                }
            }
            Kind::Parameter | Kind::Header => {
                if let Some(s) = obj.get_mut("schema") {
                    self.ref_or(s, &ctx.at("schema"), Kind::Schema, None)?;
                }
                self.content(obj, ctx)?;
                self.each_in_map(obj, "examples", ctx, Kind::Example)?;
            }
            Kind::RequestBody => self.content(obj, ctx)?,
            Kind::Response => {
                self.each_in_map(obj, "headers", ctx, Kind::Header)?;
                self.content(obj, ctx)?;
                self.each_in_map(obj, "links", ctx, Kind::Link)?;
            }
            Kind::Callback => {
                let keys: Vec<String> = obj.keys().cloned().collect();
                for k in keys {
                    if let Some(v) = obj.get_mut(&k) {
                        self.ref_or(v, &ctx.at(&k), Kind::PathItem, None)?;
                    }
                }
            }
            Kind::Example | Kind::SecurityScheme | Kind::Link => {}
        }
        Ok(())
    }

    fn operation(&mut self, op: &mut Value, ctx: &Ctx) -> Result<(), Error> {
        let Value::Object(obj) = op else {
            return Err(not_openapi(ctx, "an operation must be a mapping"));
        };
        self.each_in_list(obj, "parameters", ctx, Kind::Parameter)?;
        if let Some(b) = obj.get_mut("requestBody") {
            self.ref_or(b, &ctx.at("requestBody"), Kind::RequestBody, None)?;
        }
        self.each_in_map(obj, "responses", ctx, Kind::Response)?;
        self.each_in_map(obj, "callbacks", ctx, Kind::Callback)?;
        Ok(())
    }

    /// `content` of a body, response, parameter or header: media types with schemas/examples.
    fn content(&mut self, obj: &mut Map<String, Value>, ctx: &Ctx) -> Result<(), Error> {
        let Some(Value::Object(content)) = obj.get_mut("content") else {
            return Ok(());
        };
        let cctx = ctx.at("content");
        for (media, mt) in content.iter_mut() {
            let mctx = cctx.at(media);
            if let Value::Object(mt) = mt {
                if let Some(s) = mt.get_mut("schema") {
                    self.ref_or(s, &mctx.at("schema"), Kind::Schema, None)?;
                }
                self.each_in_map(mt, "examples", &mctx, Kind::Example)?;
            }
        }
        Ok(())
    }

    fn each_in_map(
        &mut self,
        obj: &mut Map<String, Value>,
        key: &str,
        ctx: &Ctx,
        kind: Kind,
    ) -> Result<(), Error> {
        if let Some(Value::Object(map)) = obj.get_mut(key) {
            let mctx = ctx.at(key);
            for (k, v) in map.iter_mut() {
                self.ref_or(v, &mctx.at(k), kind, None)?;
            }
        }
        Ok(())
    }

    fn each_in_list(
        &mut self,
        obj: &mut Map<String, Value>,
        key: &str,
        ctx: &Ctx,
        kind: Kind,
    ) -> Result<(), Error> {
        if let Some(Value::Array(list)) = obj.get_mut(key) {
            let lctx = ctx.at(key);
            for (i, v) in list.iter_mut().enumerate() {
                self.ref_or(v, &lctx.at(&i.to_string()), kind, None)?;
            }
        }
        Ok(())
    }

    /// Discriminator mappings name schemas by `$ref` text too; make those local as well.
    fn discriminator_mapping(
        &mut self,
        obj: &mut Map<String, Value>,
        ctx: &Ctx,
    ) -> Result<(), Error> {
        let Some(Value::Object(d)) = obj.get_mut("discriminator") else {
            return Ok(());
        };
        let Some(Value::Object(mapping)) = d.get_mut("mapping") else {
            return Ok(());
        };
        let mctx = ctx.at("discriminator").at("mapping");
        for (k, v) in mapping.iter_mut() {
            let Value::String(reference) = v else {
                continue;
            };
            let mut node = serde_json::json!({ "$ref": reference.clone() });
            if reference.starts_with('#') && Rc::ptr_eq(&ctx.file, &self.root) {
                continue;
            }
            if !reference.contains('/') && !reference.contains('.') {
                // A bare schema name, as OpenAPI allows.
                continue;
            }
            self.ref_or(&mut node, &mctx.at(k), Kind::Schema, None)?;
            if let Some(r) = ref_of(&node) {
                *v = Value::String(r.to_string());
            }
        }
        Ok(())
    }

    /// Turns the merged tree into `openapiv3` types. Component schemas, the bulk of a large
    /// document, are deserialized on every core.
    fn deserialize(&self, mut doc: Value) -> Result<openapiv3::OpenAPI, Error> {
        let error = |path: String, message: String| {
            let location = self.locate_path(&path);
            Error::NotOpenApi {
                location,
                message: format!("{message} (at {path})"),
                chain: Vec::new(),
            }
        };
        let schemas: Vec<(String, Value)> = match doc.pointer_mut("/components/schemas") {
            Some(Value::Object(map)) => std::mem::take(map).into_iter().collect(),
            _ => Vec::new(),
        };
        let mut api: openapiv3::OpenAPI = serde_path_to_error::deserialize(doc)
            .map_err(|e| error(e.path().to_string(), e.inner().to_string()))?;
        let parsed = crate::parallel::on_every_core(&schemas, |(name, v)| {
            serde_path_to_error::deserialize(v).map_err(|e| {
                (
                    format!("components.schemas.{name}.{}", e.path()),
                    e.inner().to_string(),
                )
            })
        })
        .ok_or_else(|| error(String::new(), "a worker thread panicked".into()))?;
        let components = api.components.get_or_insert_with(Default::default);
        for ((name, _), schema) in schemas.iter().zip(parsed) {
            let schema = schema.map_err(|(path, message)| error(path, message))?;
            components.schemas.insert(name.clone(), schema);
        }
        Ok(api)
    }

    /// Maps a dotted path of the merged document back to a file and line.
    fn locate_path(&self, path: &str) -> Location {
        let parts: Vec<&str> = path.split('.').collect();
        let (key, rest) = match parts.as_slice() {
            ["components", sec, name, rest @ ..] => (format!("components/{sec}/{name}"), rest),
            ["paths", p, rest @ ..] => (format!("paths/{p}"), rest),
            _ => (String::new(), &parts[..]),
        };
        let rest: String = rest
            .iter()
            .map(|t| format!("/{}", escape_token(t)))
            .collect();
        match self.origins.get(&key) {
            Some((file, pointer)) => self.files[file].locate(&format!("{pointer}{rest}")),
            None => self.root.locate(&rest),
        }
    }
}

/// A property written `{ $ref: …, description: … }` (as the real document does everywhere)
/// becomes `{ allOf: [{ $ref: … }], description: … }`: OpenAPI 3.0 ignores a `$ref`'s siblings,
/// so the description would be lost; an `allOf` of one reference is that type, described.
/// (Other siblings stay ignored, as OpenAPI says.)
fn keep_ref_descriptions(obj: &mut Map<String, Value>, key: &str) {
    let Some(Value::Object(props)) = obj.get_mut(key) else {
        return;
    };
    for prop in props.values_mut() {
        let Value::Object(p) = prop else { continue };
        if !p.contains_key("$ref") {
            continue;
        }
        let Some(description) = p.remove("description") else {
            continue;
        };
        let reference = p.remove("$ref").unwrap_or(Value::Null);
        *prop = serde_json::json!({ "allOf": [{ "$ref": reference }], "description": description });
    }
}

fn check_openapi_version(root: &SourceFile) -> Result<(), Error> {
    let ctx = Ctx {
        file: Rc::new(SourceFile {
            path: root.path.clone(),
            text: root.text.clone(),
            value: Value::Null,
        }),
        pointer: "/openapi".to_string(),
        chain: Rc::new(Vec::new()),
    };
    match root.value.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0") => Ok(()),
        Some(Value::String(v)) => Err(not_openapi(
            &ctx,
            &format!("version {v:?} is not supported; this generator reads OpenAPI 3.0.x"),
        )),
        Some(other) => Err(not_openapi(
            &ctx,
            &format!("`openapi` must be a version string like \"3.0.1\", found {other}"),
        )),
        None => {
            let ctx = Ctx {
                pointer: String::new(),
                ..ctx
            };
            let what = if root.value.get("swagger").is_some() {
                "it is a Swagger 2.0 document; convert it to OpenAPI 3.0 first"
            } else {
                "it has no `openapi` version field"
            };
            Err(not_openapi(&ctx, what))
        }
    }
}

fn not_openapi(ctx: &Ctx, message: &str) -> Error {
    Error::NotOpenApi {
        location: ctx.location(),
        message: message.to_string(),
        chain: ctx.chain(),
    }
}

fn ref_of(value: &Value) -> Option<&str> {
    value.as_object()?.get("$ref")?.as_str()
}

/// Looks a JSON pointer (`""` is the whole document) up in a value.
fn lookup<'a>(value: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() || pointer == "/" && value.get("").is_none() {
        return Some(value);
    }
    if !pointer.starts_with('/') {
        return None;
    }
    let mut cur = value;
    for token in pointer_tokens(pointer) {
        let token = percent_decode(&token);
        cur = match cur {
            Value::Object(m) => m.get(&token)?,
            Value::Array(a) => a.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Decodes `%XX` escapes (refs are URIs; file names and pointers may be escaped).
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves `.` and `..` without touching the file system (symlinks are not followed).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
