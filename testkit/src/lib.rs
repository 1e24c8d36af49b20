//! Helpers for the workspace's tests: find the npm tooling in `tools/node`,
//! run the Docusaurus docs checker, and run a Prism mock server on 127.0.0.1.
//!
//! The npm tooling is installed by `tools/ensure-node-tools.sh` (called by
//! `cargo xtask test`). When it is missing, every helper here panics: a test
//! that needs it fails, it never skips.
//!
//! std only, no other dependencies.

use std::io::{BufRead, BufReader, Read};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

const MISSING_TOOLS: &str =
    "node tools missing: run `cargo xtask test` (it runs npm ci in tools/node)";

/// How long [`Prism::start`] waits for the mock server to accept requests.
pub const PRISM_READY_TIMEOUT: Duration = Duration::from_secs(60);

/// The line prefix Prism prints (on stdout) once it accepts requests, e.g.
/// `[5:13:16 PM] › [CLI] ▶  start     Prism is listening on http://127.0.0.1:4599`.
pub const PRISM_READY_LINE: &str = "Prism is listening on";

/// The workspace root (the folder holding the workspace `Cargo.toml`).
///
/// # Panics
/// Never in practice (testkit's manifest dir always has a parent).
#[must_use]
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("testkit lives one level below the workspace root")
        .to_path_buf()
}

/// `<root>/tools/node`: package.json, check-docs.mjs, fixtures/.
#[must_use]
pub fn node_tools_dir() -> PathBuf {
    workspace_root().join("tools").join("node")
}

/// Returns `<root>/tools/node/node_modules`, or panics with
/// "node tools missing: run `cargo xtask test` (it runs npm ci in tools/node)"
/// when the npm packages or the `node` executable are missing.
///
/// # Panics
/// When the tools are missing: a test that needs them fails, never skips.
pub fn require_node_tools() -> PathBuf {
    let node_modules = node_tools_dir().join("node_modules");
    let needed = [
        node_modules.join(".bin").join("prism"),
        node_modules
            .join("@mdx-js")
            .join("mdx")
            .join("package.json"),
        node_modules.join("react-dom").join("package.json"),
        node_modules.join("yaml").join("package.json"),
    ];
    let missing: Vec<String> = needed
        .iter()
        .filter(|p| !p.exists())
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "{MISSING_TOOLS}\n(not found: {})",
        missing.join(", ")
    );
    if let Err(why) = node_version() {
        panic!("{MISSING_TOOLS}\n({why})");
    }
    node_modules
}

/// `node --version`, checked once per test binary.
fn node_version() -> Result<&'static str, String> {
    static VERSION: OnceLock<Result<String, String>> = OnceLock::new();
    VERSION
        .get_or_init(|| match Command::new("node").arg("--version").output() {
            Ok(out) if out.status.success() => {
                Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
            }
            Ok(out) => Err(format!(
                "`node --version` failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            )),
            Err(e) => Err(format!("cannot run `node`: {e}")),
        })
        .as_ref()
        .map(String::as_str)
        .map_err(Clone::clone)
}

/// Runs `node tools/node/check-docs.mjs <dir>`: compiles and renders every
/// `*.md` under `dir` as Docusaurus 3 MDX, checks front matter (`id`,
/// `title`, `slug`), relative links and anchors.
///
/// `Ok(stdout)` when it exits 0 (stdout ends with
/// `docs-check: N pages, 0 errors`); `Err(stdout + stderr)` otherwise, with
/// one `FILE: message` line per problem. Panics when the node tools are
/// missing.
///
/// # Errors
/// The checker's whole output when it finds problems or cannot run.
///
/// # Panics
/// When the node tools are missing.
pub fn check_docs(dir: &Path) -> Result<String, String> {
    require_node_tools();
    let script = node_tools_dir().join("check-docs.mjs");
    let out = Command::new("node")
        .arg(&script)
        .arg(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run node {}: {e}", script.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if out.status.success() {
        Ok(stdout)
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        Err(format!(
            "{stdout}{stderr}(check-docs.mjs {} exited with {})",
            dir.display(),
            out.status
        ))
    }
}

/// A Prism mock server (`prism mock <spec> -h 127.0.0.1 -p <port> --errors`)
/// for one `OpenAPI` document; relative `$ref`s are resolved from the spec's
/// folder. Requests that violate the spec get a 422 (bad parameters/body) or
/// 401 (missing credentials) problem+json answer; unknown paths get 404.
///
/// Prism serves the spec's paths at the root: a path `/auth-users/{id}` is
/// `{base_url}/auth-users/{id}`, whatever `servers` says (no `/v2024`).
///
/// The server is killed when the value is dropped.
pub struct Prism {
    port: u16,
    child: Child,
    log: Arc<Mutex<String>>,
}

impl Prism {
    /// Starts `prism mock` with request validation (`--errors`) on a free
    /// 127.0.0.1 port and waits until it accepts requests (at most 60 s).
    /// Panics, with Prism's output, when it cannot start.
    ///
    /// # Panics
    /// When the node tools are missing, `spec` is not a file, or Prism
    /// does not become ready.
    #[must_use]
    pub fn start(spec: &Path) -> Prism {
        Self::start_with_args(spec, &[])
    }

    /// Like [`Prism::start`], with extra `prism mock` arguments (for example
    /// `["--dynamic", "--seed", "1"]`).
    ///
    /// # Panics
    /// As [`Prism::start`].
    #[must_use]
    pub fn start_with_args(spec: &Path, extra_args: &[&str]) -> Prism {
        let node_modules = require_node_tools();
        let prism = node_modules.join(".bin").join("prism");
        assert!(
            spec.is_file(),
            "Prism::start: spec {} is not a file",
            spec.display()
        );
        let mut failures = Vec::new();
        // The port is free when picked but may be taken before Prism binds
        // it: try a few ports.
        for _ in 0..3 {
            let port = free_port();
            match Self::try_start(&prism, spec, port, extra_args) {
                Ok(p) => return p,
                Err(e) => {
                    let retry = e.contains("EADDRINUSE");
                    failures.push(e);
                    if !retry {
                        break;
                    }
                }
            }
        }
        panic!(
            "Prism mock server for {} did not start:\n{}",
            spec.display(),
            failures.join("\n----\n")
        );
    }

    fn try_start(
        prism: &Path,
        spec: &Path,
        port: u16,
        extra_args: &[&str],
    ) -> Result<Prism, String> {
        let port_arg = port.to_string();
        let mut cmd = Command::new(prism);
        cmd.arg("mock")
            .arg(spec)
            .args(["-h", "127.0.0.1", "-p", &port_arg, "--errors"])
            .args(extra_args)
            .env("FORCE_COLOR", "0")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let command_line = format!("{cmd:?}");
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot spawn {command_line}: {e}"))?;

        // Drain both pipes for the life of the process (Prism logs every
        // request; a full pipe would block it), keeping the text for errors.
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel::<String>();
        let stdout: ChildStdout = child.stdout.take().expect("piped stdout");
        let stderr: ChildStderr = child.stderr.take().expect("piped stderr");
        spawn_reader(stdout, Arc::clone(&log), tx.clone());
        spawn_reader(stderr, Arc::clone(&log), tx);

        let mut prism = Prism { port, child, log };
        let deadline = Instant::now() + PRISM_READY_TIMEOUT;
        let mut said_ready = false;
        loop {
            if said_ready && prism.accepts_connections() {
                return Ok(prism);
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(format!(
                    "{command_line}: not ready after {} s; output:\n{}",
                    PRISM_READY_TIMEOUT.as_secs(),
                    prism.log()
                ));
            }
            let wait = if said_ready {
                Duration::from_millis(50)
            } else {
                (deadline - now).min(Duration::from_millis(200))
            };
            match rx.recv_timeout(wait) {
                Ok(line) => said_ready |= line.contains(PRISM_READY_LINE),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => thread::sleep(wait),
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                // Give the reader threads a moment to collect the last words.
                thread::sleep(Duration::from_millis(100));
                return Err(format!(
                    "{command_line}: exited with {status} before it was ready; output:\n{}",
                    prism.log()
                ));
            }
        }
    }

    fn accepts_connections(&self) -> bool {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_ok()
    }

    /// The port Prism listens on (on 127.0.0.1).
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:<port>` (no trailing slash, no server base path).
    #[must_use]
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Everything Prism printed so far (stdout and stderr), e.g. to show
    /// its validation messages when a test fails.
    #[must_use]
    pub fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn_reader<R: Read + Send + 'static>(stream: R, log: Arc<Mutex<String>>, tx: Sender<String>) {
    thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let line = String::from_utf8_lossy(&buf).into_owned();
                    if let Ok(mut l) = log.lock() {
                        l.push_str(&line);
                        if !line.ends_with('\n') {
                            l.push('\n');
                        }
                    }
                    // The receiver is gone once Prism is ready: ignore.
                    let _ = tx.send(line);
                }
            }
        }
    });
}

/// A port that is free on 127.0.0.1 right now.
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .expect("cannot bind 127.0.0.1:0 to pick a free port");
    listener
        .local_addr()
        .expect("local_addr of a bound listener")
        .port()
}

// The ```rust blocks of the generated docs, for the tests that compile them (e2e/build.rs) and
// for `cargo xtask full`.

/// `methods/auth-users.md` -> `methods_auth_users`.
pub fn module_stem(relative: &Path) -> String {
    let text = relative.with_extension("").to_string_lossy().into_owned();
    let mut stem: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if stem.starts_with(|c: char| c.is_ascii_digit()) {
        stem.insert(0, '_');
    }
    stem
}

/// The fenced blocks whose info string starts with `rust`: (line of the opening fence, the info
/// string's words, the code without the fence's indentation). CommonMark fences: ``` or ~~~,
/// at most three spaces of indentation, closed by a fence at least as long.
pub fn rust_blocks(text: &str) -> Vec<(usize, Vec<String>, String)> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((number, line)) = lines.next() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = &line[indent..];
        let Some(fence_char) = trimmed.chars().next().filter(|c| *c == '`' || *c == '~') else {
            continue;
        };
        let fence_len = trimmed.chars().take_while(|c| *c == fence_char).count();
        if indent > 3 || fence_len < 3 {
            continue;
        }
        let info: Vec<String> = trimmed[fence_len..]
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let mut code = String::new();
        for (_, line) in lines.by_ref() {
            let inner = line.trim_start_matches(' ');
            let closing = inner.chars().take_while(|c| *c == fence_char).count();
            if closing >= fence_len && inner[closing..].trim().is_empty() {
                break;
            }
            let strip = (line.len() - inner.len()).min(indent);
            code.push_str(&line[strip..]);
            code.push('\n');
        }
        if info.first().is_some_and(|w| w == "rust") {
            blocks.push((number + 1, info, code));
        }
    }
    blocks
}
