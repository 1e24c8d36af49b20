//! `testkit::Prism` starts a working mock server on 127.0.0.1 with request
//! validation, resolving relative `$ref`s, and stops it on drop.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::Duration;

use testkit::Prism;

fn write_spec() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("testkit-prism-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("api.yaml"),
        r#"openapi: 3.0.3
info: {title: tiny, version: "1"}
servers: [{url: "https://example.invalid/v2024"}]
paths:
  /widgets/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer, maximum: 250}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: './schemas.yaml#/Widget'}
  /widgets:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: './schemas.yaml#/Widget'}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: './schemas.yaml#/Widget'}
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("schemas.yaml"),
        r#"Widget:
  type: object
  required: [name, size]
  properties:
    id: {type: string, example: "w-1"}
    name: {type: string, example: "gear"}
    size: {type: integer, example: 3}
"#,
    )
    .unwrap();
    dir.join("api.yaml")
}

/// Minimal HTTP/1.1 client: (status, body).
fn request(port: u16, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let body = body.unwrap_or("");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("bad response: {resp}"));
    let body = resp
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn prism_mock_validates_and_stops_on_drop() {
    let spec = write_spec();
    let prism = Prism::start(&spec);
    let port = prism.port();
    assert_eq!(prism.base_url(), format!("http://127.0.0.1:{port}"));

    let (status, body) = request(port, "GET", "/widgets/abc", None);
    assert_eq!(status, 200, "{body}\n{}", prism.log());
    assert!(
        body.contains("\"name\":\"gear\""),
        "example from the $ref'd file: {body}"
    );

    let (status, body) = request(port, "GET", "/widgets/abc?limit=999", None);
    assert_eq!(status, 422, "query violation: {body}");
    assert!(body.contains("limit must be <= 250"), "{body}");

    let (status, body) = request(port, "POST", "/widgets", Some(r#"{"name":"x"}"#));
    assert_eq!(status, 422, "body violation: {body}");
    assert!(body.contains("required property 'size'"), "{body}");

    let (status, _) = request(port, "POST", "/widgets", Some(r#"{"name":"x","size":2}"#));
    assert_eq!(status, 201);

    // Served at the root, not under the servers' /v2024.
    let (status, _) = request(port, "GET", "/v2024/widgets/abc", None);
    assert_eq!(status, 404);

    assert!(
        prism.log().contains("Prism is listening on"),
        "{}",
        prism.log()
    );

    drop(prism);
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "Prism still listening on {port} after drop"
    );
    let _ = std::fs::remove_dir_all(spec.parent().unwrap());
}
