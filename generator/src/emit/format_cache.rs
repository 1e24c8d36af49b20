//! A cache of formatted Rust text, so that a regeneration formats only what changed.
//!
//! Formatting (prettyplease, then rustfmt) is most of a whole-document generation, and it is a
//! pure function of its input and of the tools: the cache maps a hash of a file's unformatted
//! text (or of a docs example) to its formatted text. The whole cache is invalidated when the
//! formatting code (see [`FORMATTING_CODE`]), a formatting dependency or the rustfmt version
//! changes, so a hit is always what formatting would make now.
//!
//! It lives in one file (by default `target/codegen-cache/format-v1.bin`, chosen by the caller):
//! a header (the fingerprint) and records, each with its own checksum. A generation that
//! formatted something appends its records; when a quarter of the entries went unused, the file
//! is rewritten instead, dropping the entries unused by the last [`MAX_AGE`] rewrites. So the
//! cache follows the spec as it changes without growing for ever, and serves a few jobs (say,
//! the default tag and the whole document) side by side. A missing or stale file is an empty
//! cache, a damaged record ends what is read of it; never an error: the cache can only save
//! time, not change output.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use xxhash_rust::xxh3::{xxh3_128_with_seed, xxh3_64};

const MAGIC: &[u8; 8] = b"SPFMTC3\n";

/// Rewrites an entry may go unused through before it is dropped.
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
    /// Where each entry's text is in `loaded`, and through how many rewrites it has gone unused.
    entries: HashMap<Key, (Range<usize>, u32)>,
    /// Whether the file read is whole and made with this fingerprint, so it can be appended to.
    appendable: bool,
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
            if let Some((entries, whole)) = parse(&bytes, &cache.fingerprint) {
                cache.entries = entries;
                cache.loaded = bytes;
                cache.appendable = whole;
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

    /// Saves what this generation formatted: appended to the file, or, when the file cannot
    /// be appended to or a quarter of its entries went unused, a new file (replacing the old one
    /// atomically) with the entries used and those not yet too old. Failing to save only costs
    /// time later, so it is not an error.
    pub fn save(self) {
        let FormatCache {
            path: Some(path),
            fingerprint,
            loaded,
            entries,
            appendable,
            hits,
            fresh,
            ..
        } = self
        else {
            return;
        };
        let hits = hits.into_inner().unwrap_or_default();
        let fresh = fresh.into_inner().unwrap_or_default();
        let unused = entries.len() - hits.len();
        if appendable && unused * 4 <= entries.len() {
            if !fresh.is_empty() {
                append(&path, &fresh);
            }
            return;
        }
        let mut out = Vec::with_capacity(loaded.len().max(1 << 20));
        header(&mut out, &fingerprint);
        for (key, text) in &fresh {
            record(&mut out, *key, 0, text.as_bytes());
        }
        for (key, (range, age)) in &entries {
            if fresh.contains_key(key) {
                continue;
            }
            // Used ones are young again, unused ones a rewrite older.
            let age = if hits.contains(key) { 0 } else { age + 1 };
            if let (true, Some(text)) = (age < MAX_AGE, loaded.get(range.clone())) {
                record(&mut out, *key, age, text);
            }
        }
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

/// Adds `fresh`'s records at the end of the file at `path`.
fn append(path: &Path, fresh: &HashMap<Key, String>) {
    use std::io::Write as _;
    let mut out = Vec::new();
    for (key, text) in fresh {
        record(&mut out, *key, 0, text.as_bytes());
    }
    if let Ok(mut file) = std::fs::OpenOptions::new().append(true).open(path) {
        let _ = file.write_all(&out);
    }
}

/// The file's header: magic, fingerprint, and a checksum of both.
fn header(out: &mut Vec<u8>, fingerprint: &[u8]) {
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(fingerprint.len() as u64).to_le_bytes());
    out.extend_from_slice(fingerprint);
    let sum = xxh3_64(out);
    out.extend_from_slice(&sum.to_le_bytes());
}

/// One entry: key, age, text (with its length), and a checksum of all three.
fn record(out: &mut Vec<u8>, key: Key, age: u32, text: &[u8]) {
    let start = out.len();
    out.extend_from_slice(&key.to_le_bytes());
    out.extend_from_slice(&age.to_le_bytes());
    out.extend_from_slice(&(text.len() as u64).to_le_bytes());
    out.extend_from_slice(text);
    let sum = xxh3_64(&out[start..]);
    out.extend_from_slice(&sum.to_le_bytes());
}

/// The entries of a cache file made with `fingerprint`, and whether the file is whole; `None`
/// if its header is damaged or another fingerprint's. Records are read up to the first
/// damaged one (say, an append cut short).
type Parsed = (HashMap<Key, (Range<usize>, u32)>, bool);

fn parse(bytes: &[u8], fingerprint: &[u8]) -> Option<Parsed> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(MAGIC.len())? != MAGIC.as_slice() {
        return None;
    }
    let len = usize::try_from(r.u64()?).ok()?;
    if r.take(len)? != fingerprint {
        return None;
    }
    let sum = xxh3_64(&bytes[..r.at]);
    if r.u64()? != sum {
        return None;
    }
    let mut entries = HashMap::new();
    while r.at < bytes.len() {
        let start = r.at;
        let Some((key, age, text)) = r.record() else {
            return Some((entries, false));
        };
        let Some(sum) = r.u64() else {
            return Some((entries, false));
        };
        if xxh3_64(&bytes[start..r.at - 8]) != sum {
            return Some((entries, false));
        }
        entries.insert(key, (text, age));
    }
    Some((entries, true))
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

    /// A record's key, age and where its text is.
    fn record(&mut self) -> Option<(Key, u32, Range<usize>)> {
        let key = u128::from_le_bytes(self.take(16)?.try_into().ok()?);
        let age = u32::from_le_bytes(self.take(4)?.try_into().ok()?);
        let len = usize::try_from(self.u64()?).ok()?;
        let start = self.at;
        self.take(len)?;
        Some((key, age, start..start + len))
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
    fn new_entries_are_appended_and_a_cut_append_loses_only_itself() {
        let path = scratch("append");
        let a = FormatCache::key(Kind::Tokens, "struct A;");
        let b = FormatCache::key(Kind::Tokens, "struct B;");
        let cache = FormatCache::open(&path);
        cache.put(a, "pub struct A;\n");
        cache.save();
        let first = std::fs::read(&path).unwrap();

        // `a` used, `b` new: the file is the old one with `b` added at its end.
        let cache = FormatCache::open(&path);
        assert_eq!(cache.get(a), Some("pub struct A;\n"));
        cache.put(b, "pub struct B;\n");
        cache.save();
        let second = std::fs::read(&path).unwrap();
        assert!(second.starts_with(&first) && second.len() > first.len());
        let cache = FormatCache::open(&path);
        assert!(cache.appendable);
        assert_eq!(cache.get(b), Some("pub struct B;\n"));

        // An append cut short: `b` is lost, `a` is not, and the next save rewrites the file.
        std::fs::write(&path, &second[..second.len() - 3]).unwrap();
        let cache = FormatCache::open(&path);
        assert!(!cache.appendable);
        assert_eq!(cache.get(b), None);
        assert_eq!(cache.get(a), Some("pub struct A;\n"));
        cache.save();
        assert_eq!(std::fs::read(&path).unwrap(), first);
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
