//! Client benchmark: sequential `get_auth_user` calls against a local HTTP/1.1 keep-alive server
//! on 127.0.0.1, and the time to decode one `AuthUser`; then, when the official SailPoint Python
//! SDK is installed (`.tools/py-sdk-venv`, see `e2e/benches/python_sdk_bench.py`), the same loop
//! with it against the same server, and the ratios.
//!
//! ```text
//! cargo bench -p e2e --bench client                  # Rust, then Python when installed
//! cargo bench -p e2e --bench client -- --serve       # only serve, print the URL
//! ```
//!
//! Options: `--requests N` per round (default 5000), `--rounds R` (default 7), `--python PATH`
//! (default `.tools/py-sdk-venv/bin/python`), `--no-python`, `--no-decode` (e.g. to profile
//! only the request loop), `--only rust|bare|hyper` (one client's loop alone).
//!
//! The server runs on its own threads in this process and answers every request from memory:
//! `POST /oauth/token` with a token, anything else with the spec's `AuthUser` example.
//! The client runs on a current-thread tokio runtime on the main thread, so the main thread's
//! CPU time (`CLOCK_THREAD_CPUTIME_ID`) is the client's CPU time: request building, the token
//! cache, hyper, the socket calls and JSON decoding, without the server.
//!
//! A plain binary (`harness = false`), not criterion: what is reported is a whole-loop rate and
//! a per-thread CPU time, which criterion does not measure, and it keeps the dev-dependencies
//! small. `cargo test` neither builds nor runs it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use sailpoint::v2024::apis::AuthUsersApi;
use sailpoint::v2024::models::AuthUser;
use sailpoint::v2024::{ApiClient, Configuration, RetryPolicy};

/// The spec's `AuthUser` example (its properties' examples), as the server sends it.
const AUTH_USER: &str = r#"{"tenant":"test-tenant","id":"2c91808458ae7a4f0158b1bbf8af0628","uid":"will.smith","profile":"2c91808458ae7a4f0158b1bbf8af0756","identificationNumber":"19-5588452","email":"william.smith@example.com","phone":"5555555555","workPhone":"5555555555","personalEmail":"william.smith@example.com","firstname":"Will","lastname":"Smith","displayName":"Will Smith","alias":"will.smith","lastPasswordChangeDate":"2021-03-08T22:37:33.901Z","lastLoginTimestamp":1656327185832,"currentLoginTimestamp":1656327185832,"lastUnlockTimestamp":"2021-03-08T22:37:33.901Z","capabilities":["ORG_ADMIN"]}"#;

const TOKEN: &str = r#"{"access_token":"bench-token","token_type":"bearer","expires_in":43199}"#;

/// The spec's example identity id.
const ID: &str = "ef38f94347e94562b5bb8424a56397d8";

struct Options {
    requests: usize,
    rounds: usize,
    python: Option<PathBuf>,
    serve: bool,
    decode: bool,
    /// Only this client's loop (`rust` or `bare`), e.g. to profile it alone.
    only: Option<String>,
}

fn options() -> Options {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    let mut options = Options {
        requests: 5000,
        rounds: 7,
        python: Some(root.join(".tools/py-sdk-venv/bin/python")),
        serve: false,
        decode: true,
        only: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| panic!("{name} needs a value"))
        };
        match arg.as_str() {
            "--requests" => options.requests = value("--requests").parse().expect("a number"),
            "--rounds" => options.rounds = value("--rounds").parse().expect("a number"),
            "--python" => options.python = Some(PathBuf::from(value("--python"))),
            "--no-python" => options.python = None,
            "--serve" => options.serve = true,
            "--no-decode" => options.decode = false,
            "--only" => options.only = Some(value("--only")),
            // `cargo bench` passes `--bench`; a filter may follow.
            _ => {}
        }
    }
    options
}

// ---------------------------------------------------------------------------------------------
// The server: HTTP/1.1 with keep-alive, one thread per connection, answers from memory.

fn response(status: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Starts the server on 127.0.0.1 and returns its base URL.
fn start_server() -> String {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
    let url = format!("http://{}", listener.local_addr().expect("local address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve_connection(stream));
        }
    });
    url
}

fn serve_connection(stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let user = response("200 OK", AUTH_USER);
    let token = response("200 OK", TOKEN);
    let not_found = response("404 Not Found", r#"{"detailCode":"404 Not found"}"#);
    let mut writer = stream.try_clone().expect("clone the stream");
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        // Request line.
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_owned();
        let target = parts.next().unwrap_or("").to_owned();
        // Headers.
        let mut content_length = 0usize;
        let mut close = false;
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    content_length = value.parse().unwrap_or(0);
                } else if name.eq_ignore_ascii_case("connection") {
                    close = value.eq_ignore_ascii_case("close");
                }
            }
        }
        // Body, ignored.
        if content_length > 0 {
            let mut body = vec![0; content_length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
        }
        let answer = if method == "POST" && target == "/oauth/token" {
            &token
        } else if target.starts_with("/v2024/auth-users/") {
            &user
        } else {
            &not_found
        };
        if writer.write_all(answer).is_err() || close {
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Measurements.

/// CPU time of the calling thread.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_THREAD_CPUTIME_ID is supported on Linux.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// (user, system) CPU time of the calling thread, from `getrusage(RUSAGE_THREAD)`.
fn thread_rusage() -> (Duration, Duration) {
    // SAFETY: an all-zero `rusage` is a valid value to be overwritten.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable rusage; RUSAGE_THREAD is supported on Linux.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut usage) };
    assert_eq!(rc, 0, "getrusage(RUSAGE_THREAD)");
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (time(usage.ru_utime), time(usage.ru_stime))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

struct Rates {
    requests_per_s: f64,
    cpu_us_per_request: f64,
    /// User and system parts of the CPU time per request (µs).
    user_us_per_request: f64,
    system_us_per_request: f64,
    /// (min, max) of the rounds' requests per second.
    spread: (f64, f64),
}

/// One request of a measured loop.
trait Call {
    async fn call(&self) -> AuthUser;
}

/// The generated client: `AuthUsersApi::get_auth_user`, with client credentials (the token is
/// fetched once and cached) and retries disabled.
struct Generated(AuthUsersApi);

impl Call for Generated {
    async fn call(&self) -> AuthUser {
        self.0.get_auth_user(ID).await.expect("get_auth_user")
    }
}

/// The floor under the generated client: the same request with a bare `reqwest::Client`
/// (same headers, a fixed token) and the same decoding.
struct BareReqwest {
    client: reqwest::Client,
    url: String,
}

impl Call for BareReqwest {
    async fn call(&self) -> AuthUser {
        let response = self
            .client
            .get(&self.url)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::AUTHORIZATION, "Bearer bench-token")
            .send()
            .await
            .expect("send");
        assert_eq!(response.status().as_u16(), 200);
        let body = response.bytes().await.expect("body");
        serde_json::from_slice(&body).expect("decode")
    }
}

/// The floor under reqwest: the same request on hyper-util's pooled client (what reqwest wraps,
/// without its redirect, timeout and URL layers), with the same decoding.
struct BareHyper {
    client: hyper_util::client::legacy::Client<
        hyper_util::client::legacy::connect::HttpConnector,
        http_body_util::Empty<bytes::Bytes>,
    >,
    uri: http::Uri,
}

impl Call for BareHyper {
    async fn call(&self) -> AuthUser {
        use http_body_util::BodyExt;
        let request = http::Request::get(self.uri.clone())
            .header(http::header::ACCEPT, "application/json")
            .header(http::header::AUTHORIZATION, "Bearer bench-token")
            .header(
                http::header::USER_AGENT,
                sailpoint::v2024::client::USER_AGENT,
            )
            .body(http_body_util::Empty::new())
            .expect("a request");
        let response = self.client.request(request).await.expect("send");
        assert_eq!(response.status().as_u16(), 200);
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        serde_json::from_slice(&body).expect("decode")
    }
}

fn bare_hyper(url: &str) -> BareHyper {
    let mut connector = hyper_util::client::legacy::connect::HttpConnector::new();
    connector.set_nodelay(true);
    BareHyper {
        client: hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build(connector),
        uri: format!("{url}/v2024/auth-users/{ID}")
            .parse()
            .expect("a URI"),
    }
}

fn generated(url: &str) -> Generated {
    let configuration = Configuration::new(url)
        .with_client_credentials("bench-client", "bench-secret")
        .with_retry(RetryPolicy::disabled());
    let client = ApiClient::new(configuration).expect("valid configuration");
    Generated(AuthUsersApi::new(&client))
}

fn bare_reqwest(url: &str) -> BareReqwest {
    BareReqwest {
        client: reqwest::Client::builder()
            .user_agent(sailpoint::v2024::client::USER_AGENT)
            .build()
            .expect("a reqwest client"),
        url: format!("{url}/v2024/auth-users/{ID}"),
    }
}

fn bench_loop(api: &impl Call, requests: usize, rounds: usize) -> Rates {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let expected: AuthUser = serde_json::from_str(AUTH_USER).expect("the example decodes");
        assert_eq!(api.call().await, expected);
        for _ in 0..requests.min(2000) {
            std::hint::black_box(api.call().await);
        }
    });
    let mut rates = Vec::new();
    let mut cpus = Vec::new();
    let mut users = Vec::new();
    let mut systems = Vec::new();
    let per_request = |d: Duration| d.as_secs_f64() * 1e6 / requests as f64;
    for _ in 0..rounds {
        let (wall, cpu, user, system) = runtime.block_on(async {
            let wall = Instant::now();
            let cpu = thread_cpu();
            let (user, system) = thread_rusage();
            for _ in 0..requests {
                std::hint::black_box(api.call().await);
            }
            let (user_end, system_end) = thread_rusage();
            (
                wall.elapsed(),
                thread_cpu() - cpu,
                user_end - user,
                system_end - system,
            )
        });
        rates.push(requests as f64 / wall.as_secs_f64());
        cpus.push(per_request(cpu));
        users.push(per_request(user));
        systems.push(per_request(system));
    }
    let spread = (
        rates.iter().copied().fold(f64::INFINITY, f64::min),
        rates.iter().copied().fold(0.0, f64::max),
    );
    Rates {
        requests_per_s: median(&mut rates),
        cpu_us_per_request: median(&mut cpus),
        user_us_per_request: median(&mut users),
        system_us_per_request: median(&mut systems),
        spread,
    }
}

/// Median time to decode one `AuthUser` with `serde_json::from_slice`, in µs.
fn bench_decode(rounds: usize) -> f64 {
    let bytes = AUTH_USER.as_bytes();
    let iterations = 50_000;
    for _ in 0..iterations {
        std::hint::black_box(
            serde_json::from_slice::<AuthUser>(std::hint::black_box(bytes)).expect("decodes"),
        );
    }
    let mut times = Vec::new();
    for _ in 0..rounds {
        let start = Instant::now();
        for _ in 0..iterations {
            std::hint::black_box(
                serde_json::from_slice::<AuthUser>(std::hint::black_box(bytes)).expect("decodes"),
            );
        }
        times.push(start.elapsed().as_secs_f64() * 1e6 / iterations as f64);
    }
    median(&mut times)
}

/// The Python SDK's numbers, parsed from the script's `RESULT key=value …` line.
struct PythonResult {
    version: String,
    requests_per_s: f64,
    cpu_us_per_request: f64,
    user_us_per_request: f64,
    system_us_per_request: f64,
    decode_us: f64,
}

fn bench_python(
    python: &PathBuf,
    url: &str,
    requests: usize,
    rounds: usize,
) -> Result<PythonResult, String> {
    if !python.exists() {
        return Err(format!(
            "{} not found; install the SDK with: python3 -m venv .tools/py-sdk-venv && \
             .tools/py-sdk-venv/bin/pip install 'sailpoint<2'",
            python.display()
        ));
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/python_sdk_bench.py");
    let output = Command::new(python)
        .arg(&script)
        .args(["--base-url", url])
        .args(["--requests", &requests.to_string()])
        .args(["--rounds", &rounds.to_string()])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "{} {} failed ({}):\n{stdout}{}",
            python.display(),
            script.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .ok_or_else(|| format!("no RESULT line in:\n{stdout}"))?;
    let field = |name: &str| -> Result<String, String> {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .map(str::to_owned)
            .ok_or_else(|| format!("no {name} in {line}"))
    };
    let number = |name: &str| -> Result<f64, String> {
        field(name)?.parse().map_err(|e| format!("{name}: {e}"))
    };
    Ok(PythonResult {
        version: field("sdk")?,
        requests_per_s: number("req_per_s")?,
        cpu_us_per_request: number("cpu_us_per_req")?,
        user_us_per_request: number("user_us_per_req")?,
        system_us_per_request: number("sys_us_per_req")?,
        decode_us: number("decode_us")?,
    })
}

fn main() {
    let options = options();
    let url = start_server();
    if options.serve {
        println!("serving on {url} (Ctrl-C to stop)");
        loop {
            std::thread::park();
        }
    }
    println!(
        "server: {url} (in-process std HTTP/1.1 keep-alive); {} rounds of {} sequential get_auth_user",
        options.rounds, options.requests
    );
    if let Some(only) = &options.only {
        let rates = match only.as_str() {
            "rust" => bench_loop(&generated(&url), options.requests, options.rounds),
            "bare" => bench_loop(&bare_reqwest(&url), options.requests, options.rounds),
            "hyper" => bench_loop(&bare_hyper(&url), options.requests, options.rounds),
            other => panic!("--only takes rust, bare or hyper, not {other}"),
        };
        println!(
            "{only}: {:.0} requests/s, {:.1} µs client CPU per request ({:.1} user + {:.1} sys)",
            rates.requests_per_s,
            rates.cpu_us_per_request,
            rates.user_us_per_request,
            rates.system_us_per_request
        );
        return;
    }
    let rust = bench_loop(&generated(&url), options.requests, options.rounds);
    let bare = bench_loop(&bare_reqwest(&url), options.requests, options.rounds);
    let hyper = bench_loop(&bare_hyper(&url), options.requests, options.rounds);
    let decode = if options.decode {
        bench_decode(options.rounds)
    } else {
        f64::NAN
    };
    // The Python SDK is much slower: fewer requests per round keep the run short.
    let python_requests = (options.requests / 5).max(200);
    let python = options
        .python
        .as_ref()
        .map(|p| bench_python(p, &url, python_requests, options.rounds));

    let py = python.as_ref().and_then(|p| p.as_ref().ok());
    let python_column = py.map_or("Python SDK (not run)".to_owned(), |p| {
        format!("Python SDK `sailpoint` {}", p.version)
    });
    let cpu = |total: f64, user: f64, system: f64| {
        format!("{total:.1} ({user:.1} user + {system:.1} sys)")
    };
    let or_dash = |value: Option<String>| value.unwrap_or_else(|| "-".to_owned());

    println!();
    println!(
        "| median of {} rounds | Rust `sailpoint` | bare reqwest (floor) | bare hyper (floor under reqwest) | {python_column} | Rust vs Python |",
        options.rounds
    );
    println!("|---|---:|---:|---:|---:|---:|");
    println!(
        "| sequential get_auth_user, requests/s | {:.0} | {:.0} | {:.0} | {} | {} |",
        rust.requests_per_s,
        bare.requests_per_s,
        hyper.requests_per_s,
        or_dash(py.map(|p| format!("{:.0}", p.requests_per_s))),
        or_dash(py.map(|p| format!(
            "{:.1}× the throughput",
            rust.requests_per_s / p.requests_per_s
        ))),
    );
    println!(
        "| client CPU per request, µs | {} | {} | {} | {} | {} |",
        cpu(
            rust.cpu_us_per_request,
            rust.user_us_per_request,
            rust.system_us_per_request
        ),
        cpu(
            bare.cpu_us_per_request,
            bare.user_us_per_request,
            bare.system_us_per_request
        ),
        cpu(
            hyper.cpu_us_per_request,
            hyper.user_us_per_request,
            hyper.system_us_per_request
        ),
        or_dash(py.map(|p| cpu(
            p.cpu_us_per_request,
            p.user_us_per_request,
            p.system_us_per_request
        ))),
        or_dash(py.map(|p| format!(
            "{:.1}× less",
            p.cpu_us_per_request / rust.cpu_us_per_request
        ))),
    );
    println!(
        "| decode one AuthUser, µs | {decode:.2} | | | {} | {} |",
        or_dash(py.map(|p| format!("{:.2} (AuthUser.from_json)", p.decode_us))),
        or_dash(py.map(|p| format!("{:.1}× less", p.decode_us / decode))),
    );
    println!();
    println!(
        "Rust requests/s over the rounds: {:.0}–{:.0}",
        rust.spread.0, rust.spread.1
    );
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("load average at the end (1/5/15 min): {}", load.trim());
    }
    if let Some(Err(problem)) = &python {
        println!("Python SDK not measured: {problem}");
    }
    println!(
        "target: client CPU per request < 50 µs: {} ({:.1} µs)",
        if rust.cpu_us_per_request < 50.0 {
            "met"
        } else {
            "NOT met"
        },
        rust.cpu_us_per_request
    );
    if let Some(p) = py {
        let ratio = rust.requests_per_s / p.requests_per_s;
        println!(
            "target: ≥ 10× the Python SDK's throughput: {} ({ratio:.1}×)",
            if ratio >= 10.0 { "met" } else { "NOT met" }
        );
    }
}
