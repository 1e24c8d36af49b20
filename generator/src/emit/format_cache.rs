//! A cache of formatted Rust text, so that a regeneration formats only what changed.
//!
//! Formatting (prettyplease, then rustfmt) is most of a whole-document generation, and it is a
//! pure function of its input and of the tools: the cache maps a hash of a file's unformatted
//! text (or of a docs example) to its formatted text. The whole cache is invalidated when the
//! formatting code (see [`FORMATTING_CODE`]), a formatting dependency or the rustfmt version
//! changes, so a hit is always what formatting would make now.
//!
//! It lives in one file (by default `target/codegen-cache/format-v1.bin`, chosen by the caller),
//! read at the start and rewritten at the end of a successful generation. An entry that has not
//! been used by the last [`MAX_AGE`] generations is dropped then, so the cache follows the spec
//! as it changes without growing for ever, and serves a few jobs (say, the default tag and the
//! whole document) side by side. A missing, stale or damaged file is an empty cache, never an
//! error: the cache can only save time, not change output.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use xxhash_rust::xxh3::{xxh3_128_with_seed, xxh3_64};

const MAGIC: &[u8; 8] = b"SPFMTC2\n";

/// Generations an entry may go unused before it is dropped.
pub const MAX_AGE: u32 = 8;

/// What kind of formatting an entry's key stands for; part of the key, so that the same text
/// formatted two ways gets two entries.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A crate file given as token text: prettyplease, the header, then rustfmt.
    Tokens,
    /// A crate file given as Rust source (the runtime): rustfmt only.
    Source,
    /// A docs example program: rustfmt as a standalone program.
    Example,
}

/// A key: the hash of an entry's kind and input text.
pub type Key = u128;

/// See the module docs. Shared by both emitters (it is `Sync`).
#[derive(Debug, Default)]
pub struct FormatCache {
    /// Where it is saved; `None`: caching is off.
    path: Option<PathBuf>,
    /// What the entries were made with (generator binary, rustfmt version).
    fingerprint: Vec<u8>,
    /// The file as read, and where each entry's text is in it.
    loaded: Vec<u8>,
    /// Where each entry's text is in `loaded`, and for how many generations it has gone unused.
    entries: HashMap<Key, (Range<usize>, u32)>,
    /// Keys of loaded entries this generation used.
    hits: Mutex<HashSet<Key>>,
    /// Entries formatted by this generation.
    fresh: Mutex<HashMap<Key, String>>,
    /// How many lookups hit, and how many texts were formatted afresh (counted also when
    /// caching is off).
    hit_count: AtomicUsize,
    misses: AtomicUsize,
}

impl FormatCache {
    /// No cache: every lookup misses and nothing is saved.
    pub fn off() -> FormatCache {
        FormatCache::default()
    }

    /// The cache saved at `path`, if it was made by this generator binary and this rustfmt;
    /// otherwise an empty one that will be saved there.
    pub fn open(path: &Path) -> FormatCache {
        let Some(fingerprint) = fingerprint() else {
            // Without a rustfmt version, entries cannot be checked: no caching.
            return FormatCache::off();
        };
        let mut cache = FormatCache {
            path: Some(path.to_path_buf()),
            fingerprint,
            ..FormatCache::default()
        };
        if let Ok(bytes) = std::fs::read(path) {
            if let Some(entries) = parse(&bytes, &cache.fingerprint) {
                cache.entries = entries;
                cache.loaded = bytes;
            }
        }
        cache
    }

    pub fn is_on(&self) -> bool {
        self.path.is_some()
    }

    /// The key of `text` formatted as `kind`.
    pub fn key(kind: Kind, text: &str) -> Key {
        xxh3_128_with_seed(text.as_bytes(), kind as u64 + 1)
    }

    /// The formatted text for `key`, if cached.
    pub fn get(&self, key: Key) -> Option<&str> {
        let (range, _) = self.entries.get(&key)?;
        let text = std::str::from_utf8(self.loaded.get(range.clone())?).ok()?;
        self.hit_count.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut hits) = self.hits.lock() {
            hits.insert(key);
        }
        Some(text)
    }

    /// Records what formatting made for `key`.
    pub fn put(&self, key: Key, formatted: &str) {
        self.misses.fetch_add(1, Ordering::Relaxed);
        if !self.is_on() {
            return;
        }
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.insert(key, formatted.to_string());
        }
    }

    /// How many lookups hit and how many entries were formatted afresh.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.hit_count.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// Writes the entries this generation used and those not yet too old (replacing the file
    /// atomically), unless nothing would change. Failing to save only costs time later, so it
    /// is not an error.
    pub fn save(self) {
        let Some(path) = self.path else { return };
        let hits = self.hits.into_inner().unwrap_or_default();
        let fresh = self.fresh.into_inner().unwrap_or_default();
        let unchanged = fresh.is_empty()
            && hits.len() == self.entries.len()
            && self.entries.values().all(|(_, age)| *age == 0);
        if unchanged {
            return;
        }
        let mut out = Vec::with_capacity(self.loaded.len().max(1 << 20));
        out.extend_from_slice(MAGIC);
        push_bytes(&mut out, &self.fingerprint);
        // (key, age, text): used ones are young again, unused ones a generation older.
        let mut kept: Vec<(Key, u32, &[u8])> = fresh
            .iter()
            .map(|(k, text)| (*k, 0, text.as_bytes()))
            .collect();
        for (key, (range, age)) in &self.entries {
            if fresh.contains_key(key) {
                continue;
            }
            let age = if hits.contains(key) { 0 } else { age + 1 };
            if let (true, Some(text)) = (age < MAX_AGE, self.loaded.get(range.clone())) {
                kept.push((*key, age, text));
            }
        }
        kept.sort_unstable_by_key(|(k, _, _)| *k);
        out.extend_from_slice(&(kept.len() as u64).to_le_bytes());
        for (key, age, text) in kept {
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&age.to_le_bytes());
            push_bytes(&mut out, text);
        }
        let sum = xxh3_64(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        let Some(dir) = path.parent() else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, &out).is_err() || std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

fn push_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// The entries of a cache file, if it is whole (its checksum matches) and was made with
/// `fingerprint`.
fn parse(bytes: &[u8], fingerprint: &[u8]) -> Option<HashMap<Key, (Range<usize>, u32)>> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if xxh3_64(body).to_le_bytes() != sum {
        return None;
    }
    let mut r = Reader { bytes: body, at: 0 };
    if r.take(MAGIC.len())? != MAGIC.as_slice() {
        return None;
    }
    let len = r.u64()?;
    if r.take(usize::try_from(len).ok()?)? != fingerprint {
        return None;
    }
    let count = r.u64()?;
    let mut entries = HashMap::new();
    for _ in 0..count {
        let key = u128::from_le_bytes(r.take(16)?.try_into().ok()?);
        let age = u32::from_le_bytes(r.take(4)?.try_into().ok()?);
        let len = usize::try_from(r.u64()?).ok()?;
        let start = r.at;
        r.take(len)?;
        entries.insert(key, (start..start + len, age));
    }
    (r.at == body.len()).then_some(entries)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

/// The code that turns unformatted text into formatted text: the formatting steps, and the
/// lock file (the versions of prettyplease, syn and proc-macro2). Changing any of it empties the
/// cache; changing the emitters does not, since what they make differently has other keys.
const FORMATTING_CODE: &[&str] = &[
    include_str!("format_cache.rs"),
    include_str!("rust/mod.rs"),
    include_str!("rust/tokens.rs"),
    include_str!("rust/rustfmt.rs"),
    include_str!("rust/examples.rs"),
    include_str!("../../../Cargo.lock"),
];

/// What cached text depends on besides its input: [`FORMATTING_CODE`] and the rustfmt that
/// runs (whose configuration is fixed, see `rust/rustfmt.rs`).
fn fingerprint() -> Option<Vec<u8>> {
    let rustfmt = super::rust::rustfmt_version()?;
    let mut code = xxhash_rust::xxh3::Xxh3::new();
    for source in FORMATTING_CODE {
        code.update(source.as_bytes());
    }
    Some(format!("{:032x}\n{}", code.digest128(), rustfmt.trim()).into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "sailpoint-format-cache-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join("format.bin")
    }

    #[test]
    fn saved_entries_come_back_and_long_unused_ones_are_dropped() {
        let path = scratch("roundtrip");
        let cache = FormatCache::open(&path);
        assert!(cache.is_on(), "rustfmt must be installed for this test");
        let a = FormatCache::key(Kind::Tokens, "struct A;");
        let b = FormatCache::key(Kind::Tokens, "struct B;");
        assert_eq!(cache.get(a), None);
        cache.put(a, "pub struct A;\n");
        cache.put(b, "pub struct B;\n");
        cache.save();

        // Only `a` is used from now on: `b` stays for MAX_AGE generations, then goes.
        for generation in 1..=MAX_AGE {
            let cache = FormatCache::open(&path);
            assert_eq!(cache.entries.len(), 2, "generation {generation}");
            assert_eq!(cache.get(a), Some("pub struct A;\n"));
            cache.save();
        }
        let cache = FormatCache::open(&path);
        assert_eq!(cache.get(b), None);
        assert_eq!(cache.get(a), Some("pub struct A;\n"));
        assert_eq!(cache.counts(), (1, 0));
    }

    #[test]
    fn kinds_do_not_share_entries() {
        assert_ne!(
            FormatCache::key(Kind::Tokens, "fn main() {}"),
            FormatCache::key(Kind::Example, "fn main() {}")
        );
    }

    #[test]
    fn a_damaged_or_foreign_file_is_an_empty_cache() {
        let path = scratch("damaged");
        let cache = FormatCache::open(&path);
        let a = FormatCache::key(Kind::Source, "fn a() {}");
        cache.put(a, "fn a() {}\n");
        cache.save();
        let mut bytes = std::fs::read(&path).unwrap();
        assert!(parse(&bytes, &FormatCache::open(&path).fingerprint).is_some());
        // Made by another generator or rustfmt: a different fingerprint.
        assert_eq!(parse(&bytes, b"another rustfmt"), None);

        // One flipped byte in an entry's text: the checksum no longer matches.
        let at = bytes.len() - 12;
        bytes[at] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(FormatCache::open(&path).get(a), None);
        std::fs::write(&path, b"garbage").unwrap();
        assert_eq!(FormatCache::open(&path).get(a), None);
    }

    #[test]
    fn off_never_hits_and_saves_nothing() {
        let cache = FormatCache::off();
        let a = FormatCache::key(Kind::Tokens, "x");
        cache.put(a, "y");
        assert_eq!(cache.get(a), None);
        cache.save();
    }
}
