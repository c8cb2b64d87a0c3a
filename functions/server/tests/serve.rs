//! The server as a client meets it: the router and the site served in-process on 127.0.0.1 over
//! a temporary database and a temporary site folder, asked with plain HTTP/1.0 requests.

mod support;

use server::settings::Settings;
use std::path::Path;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// `GET path` with `headers`; HTTP/1.0, so the body ends with the connection.
async fn get(address: std::net::SocketAddr, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let mut request = format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

const PAGE: &str = "<!doctype html><html lang=\"fr\"><title>Communs</title><p>Bonjour</p></html>";
/// Not really gzip: the server sends the sibling as it is, which is what is checked.
const GZIPPED: &[u8] = b"\x1f\x8b pretend gzip";

fn site(folder: &Path) {
    std::fs::write(folder.join("index.html"), PAGE).unwrap();
    std::fs::write(folder.join("index.html.gz"), GZIPPED).unwrap();
    std::fs::create_dir_all(folder.join("assets/js")).unwrap();
    std::fs::write(folder.join("assets/js/api.js"), "export {};").unwrap();
    std::fs::write(folder.join("_headers"), "/*\n  X-Frame-Options: DENY\n").unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_and_the_api_are_served_with_their_headers() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("site");
    std::fs::create_dir_all(&folder).unwrap();
    site(&folder);
    let settings = Settings::with("SITE_URL=https://communs.example", |_| None).unwrap();
    let app = server::serve::application(&dir.path().join("communs.db"), &settings).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(async move {
        axum::serve(listener, server::site::service(app, &folder))
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
    });

    let home = get(address, "/", &[]).await;
    assert_eq!(home.status, 200);
    assert!(
        home.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(home.text(), PAGE);
    for (name, value) in domain::security::HEADERS {
        assert_eq!(home.header(name), Some(value), "{name}");
    }
    assert_eq!(home.header("cache-control"), Some(server::site::PAGE));
    assert!(home.header("last-modified").is_some());

    let compressed = get(address, "/", &[("Accept-Encoding", "br;q=1, gzip")]).await;
    assert_eq!(compressed.status, 200);
    assert_eq!(compressed.header("content-encoding"), Some("gzip"));
    assert!(
        compressed
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(compressed.body, GZIPPED);

    let script = get(address, "/assets/js/api.js", &[]).await;
    assert_eq!(script.status, 200);
    assert!(
        script
            .header("content-type")
            .unwrap()
            .contains("javascript")
    );
    assert_eq!(script.header("cache-control"), Some(server::site::ASSET));

    let health = get(address, "/api/health", &[]).await;
    assert_eq!(health.status, 200);
    assert!(
        health
            .header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    let body: serde_json::Value = serde_json::from_slice(&health.body).unwrap();
    assert_eq!(body["schema_version"], store::SCHEMA_VERSION, "{body}");
    assert_eq!(health.header("x-content-type-options"), Some("nosniff"));

    let missing = get(address, "/nothing", &[]).await;
    assert_eq!(missing.status, 404);
    assert!(
        missing
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(missing.text().contains("lang=\"fr\""), "{}", missing.text());
    assert!(missing.header("content-security-policy").is_some());

    let workers_file = get(address, "/_headers", &[]).await;
    assert_eq!(
        workers_file.status, 404,
        "the Workers' own files are not served"
    );

    // The default build, what a self-hoster runs, has no development route; a `dev` build
    // (the shared API tests') describes them, and answers them only in development.
    let development = get(address, "/api/dev/outbox", &[]).await;
    assert_eq!(
        development.status, 404,
        "production: no development route answers"
    );
    assert!(
        development
            .header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    let document = get(address, "/api/openapi.json", &[]).await;
    assert_eq!(
        document.text().contains("/api/dev/outbox"),
        cfg!(feature = "dev"),
        "the development routes are in the dev build's document only"
    );

    let _ = stop.send(());
    served.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_workers_internal_header_never_reaches_a_client() {
    let (dir, site) = support::folder();
    let db = dir.path().join("communs.db");
    let ana = support::seed(&db);
    let settings = Settings::with("", |_| None).unwrap();
    let app = server::serve::application(&db, &settings).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let served = tokio::spawn(async move {
        axum::serve(listener, server::site::service(app, &site))
            .await
            .unwrap();
    });

    let created = support::write(address, "POST", "/api/elements", &ana, &support::element(1))
        .await
        .unwrap();
    assert_eq!(created.status, 201, "{}", created.text());
    let path = format!("/api/elements/{}", created.json()["id"].as_str().unwrap());
    // The application names the page this write made stale (app's tests check it does), for
    // the Workers front's cache; one machine has no such cache, and a client never sees it.
    let renamed = support::write(address, "PATCH", &path, &ana, r#"{"name": "Le Vrac"}"#)
        .await
        .unwrap();
    assert_eq!(renamed.status, 200, "{}", renamed.text());
    for answer in [&created, &renamed] {
        assert_eq!(answer.header(app::respond::STALE_PAGE), None);
    }
    served.abort();
}
