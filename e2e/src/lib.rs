//! End-to-end tests of the generated client live in tests/; this crate has no code of its own.
