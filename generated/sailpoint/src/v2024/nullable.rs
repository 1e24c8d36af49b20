//! Serde support for fields that are optional and nullable: `Option<Option<T>>` keeps an absent
//! field (`None`) apart from an explicit `null` (`Some(None)`), so a decoded value re-encodes to
//! the same JSON and a PATCH body says exactly what the caller meant.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Writes `Some(Some(v))` as `v` and `Some(None)` as `null`; the field's
/// `skip_serializing_if = "Option::is_none"` leaves `None` out.
pub(crate) fn serialize<T: Serialize, S: Serializer>(
    value: &Option<Option<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(Some(v)) => v.serialize(serializer),
        _ => serializer.serialize_none(),
    }
}

/// Reads a present field, `null` included, as `Some(…)`; `#[serde(default)]` makes an absent
/// field `None`.
pub(crate) fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}
