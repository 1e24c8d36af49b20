//! Widens `format: int32` fields that the document's own examples overflow.
//!
//! The real document declares AccessRequestTracking.attributesHash as int32, yet the examples
//! of AccessRequestResponse hold 2843118224 there: the server evidently sends such values, and
//! an `i32` field would make the whole response undecodable. Such a field becomes `i64`, with a
//! warning naming the type, the field and the value.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use crate::load::LoadedSpec;
use crate::model::*;

/// A field of a named type: (type's Rust name, field's wire name).
type FieldKey = (String, String);

/// Widens every int32 field an example overflows; returns one warning per widened field.
pub(super) fn widen_overflowed_int32(spec: &LoadedSpec, model: &mut Model) -> Vec<String> {
    let mut found: BTreeMap<FieldKey, Value> = BTreeMap::new();
    {
        let mut walker = Walker {
            model,
            found: &mut found,
            active: HashSet::new(),
        };
        for def in &model.types {
            let own = TypeRef::Named(TypeId(def.names.rust.clone()));
            if let Some(example) = &def.example {
                walker.walk(&own, example);
            }
            if let TypeKind::Object(o) = &def.kind {
                for f in &o.fields {
                    if let Some(example) = &f.example {
                        walker.field(&def.names.rust, f, example);
                    }
                }
            }
        }
        for op in model.apis.iter().flat_map(|a| &a.operations) {
            if let Some(body) = &op.request_body {
                if let Some(example) = &body.example {
                    walker.walk(&body.ty, example);
                }
            }
            for response in &op.responses {
                if let Some(body) = &response.body {
                    if let Some(example) = &body.example {
                        walker.walk(&body.ty, example);
                    }
                }
            }
        }
    }
    let mut warnings = Vec::new();
    for ((type_name, wire_name), value) in found {
        let Ok(i) = model
            .types
            .binary_search_by(|t| t.names.rust.as_str().cmp(type_name.as_str()))
        else {
            continue;
        };
        let def = &mut model.types[i];
        let place = spec.locate(
            &def.origin,
            &format!(
                "/properties/{}/format",
                wire_name.replace('~', "~0").replace('/', "~1")
            ),
        );
        if let TypeKind::Object(o) = &mut def.kind {
            if let Some(f) = o.fields.iter_mut().find(|f| f.wire_name == wire_name) {
                f.ty = widened(&f.ty);
                warnings.push(format!(
                    "warning: {place}: property `{wire_name}` of {type_name} is `format: int32`, \
                     but an example holds {value}; read as `format: int64`"
                ));
            }
        }
    }
    warnings
}

/// `i32` (or a list of them) as `i64`.
fn widened(t: &TypeRef) -> TypeRef {
    match t {
        TypeRef::Primitive(Primitive::I32) => TypeRef::Primitive(Primitive::I64),
        TypeRef::Array(inner) => TypeRef::Array(Box::new(widened(inner))),
        other => other.clone(),
    }
}

struct Walker<'a> {
    model: &'a Model,
    found: &'a mut BTreeMap<FieldKey, Value>,
    /// Types being walked, to stop on recursive examples.
    active: HashSet<String>,
}

impl Walker<'_> {
    fn walk(&mut self, t: &TypeRef, v: &Value) {
        match (t, v) {
            (TypeRef::Array(inner), Value::Array(items)) => {
                for item in items {
                    self.walk(inner, item);
                }
            }
            (TypeRef::Map(inner), Value::Object(map)) => {
                for item in map.values() {
                    self.walk(inner, item);
                }
            }
            (TypeRef::Named(id), _) => self.named(id, v),
            _ => {}
        }
    }

    fn named(&mut self, id: &TypeId, v: &Value) {
        let model = self.model;
        let Some(def) = model.type_def(id) else {
            return;
        };
        if !self.active.insert(id.0.clone()) {
            return;
        }
        match (&def.kind, v) {
            (TypeKind::Object(o), Value::Object(map)) => {
                for f in &o.fields {
                    if let Some(value) = map.get(&f.wire_name) {
                        self.field(&def.names.rust, f, value);
                    }
                }
            }
            (TypeKind::Alias(inner), _) => self.walk(inner, v),
            (TypeKind::Union(u), _) => {
                for variant in &u.variants {
                    self.walk(&variant.ty, v);
                }
            }
            _ => {}
        }
        self.active.remove(&id.0);
    }

    fn field(&mut self, owner: &str, f: &Field, v: &Value) {
        if overflows_i32(&f.ty, v) {
            self.found
                .entry((owner.to_string(), f.wire_name.clone()))
                .or_insert_with(|| v.clone());
        } else {
            self.walk(&f.ty, v);
        }
    }
}

/// An `i32` (or list of `i32`) type given an integer outside its range.
fn overflows_i32(t: &TypeRef, v: &Value) -> bool {
    match (t, v) {
        (TypeRef::Primitive(Primitive::I32), Value::Number(n)) => {
            n.as_i64().is_none_or(|i| i32::try_from(i).is_err())
                && n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        (TypeRef::Array(inner), Value::Array(items)) => {
            items.iter().any(|i| overflows_i32(inner, i))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_integers_outside_i32_overflow() {
        let i32_ty = TypeRef::Primitive(Primitive::I32);
        assert!(overflows_i32(&i32_ty, &Value::from(2_843_118_224_i64)));
        assert!(overflows_i32(&i32_ty, &Value::from(-2_147_483_649_i64)));
        assert!(!overflows_i32(&i32_ty, &Value::from(-1_928_438_224_i64)));
        assert!(!overflows_i32(&i32_ty, &Value::from(1.5)));
        let list = TypeRef::Array(Box::new(i32_ty.clone()));
        assert!(overflows_i32(
            &list,
            &serde_json::json!([1, 4_000_000_000_u64])
        ));
        assert_eq!(
            widened(&list),
            TypeRef::Array(Box::new(TypeRef::Primitive(Primitive::I64)))
        );
    }
}
