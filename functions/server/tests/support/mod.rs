//! What the integration tests share: a minimal SMTP server that keeps what it receives, a plain
//! HTTP/1.0 client, and `communs` itself run as a child process on a loopback port.

#![allow(dead_code)] // each test file uses its part

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader as AsyncBufReader};
use tokio::net::{TcpListener, TcpStream};

// ---------------------------------------------------------------------------------------------
// SMTP

/// One mail as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub helo: String,
    pub from: String,
    pub to: Vec<String>,
    /// The message (headers and body) as sent, dot-unstuffed, lines joined by CRLF.
    pub data: String,
    /// What AUTH PLAIN carried (`\0user\0password`), when the client signed in.
    pub auth: Option<String>,
}

/// A minimal SMTP server on 127.0.0.1 (RFC 5321's EHLO, AUTH PLAIN when asked to, MAIL, RCPT,
/// DATA, NOOP, RSET, QUIT), that keeps every mail it accepts.
pub struct SmtpServer {
    pub address: SocketAddr,
    pub received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl SmtpServer {
    /// `password`: when Some, the server offers AUTH PLAIN and accepts only that password.
    pub async fn start(password: Option<&str>) -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&received);
        let password = password.map(str::to_string);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (kept, password) = (Arc::clone(&kept), password.clone());
                tokio::spawn(async move {
                    let _ = session(stream, kept, password).await;
                });
            }
        });
        SmtpServer {
            address,
            received,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.address)
    }

    /// Waits (at most 10 s) for the `n`th mail.
    pub async fn mail(&self, n: usize) -> Received {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(mail) = self.received.lock().unwrap().get(n - 1) {
                return mail.clone();
            }
            assert!(Instant::now() < deadline, "no mail number {n} came");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn session(
    stream: TcpStream,
    kept: Arc<Mutex<Vec<Received>>>,
    password: Option<String>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = AsyncBufReader::new(read);
    write.write_all(b"220 test.local ESMTP\r\n").await?;
    let mut mail = Received {
        helo: String::new(),
        from: String::new(),
        to: Vec::new(),
        data: String::new(),
        auth: None,
    };
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_string();
        let verb = command
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let answer: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => {
                mail.helo = command[4..].trim().to_string();
                match password {
                    Some(_) => b"250-test.local\r\n250 AUTH PLAIN\r\n",
                    None => b"250 test.local\r\n",
                }
            }
            "AUTH" => {
                // AUTH PLAIN base64("\0user\0password"), in one line.
                let argument = command.split(' ').nth(2).unwrap_or_default();
                let given = String::from_utf8_lossy(&unbase64(argument)).into_owned();
                mail.auth = Some(given.clone());
                match &password {
                    Some(password) if given.ends_with(&format!("\0{password}")) => {
                        b"235 2.7.0 Authentication successful\r\n"
                    }
                    _ => b"535 5.7.8 Authentication credentials invalid\r\n",
                }
            }
            "MAIL" => {
                mail.from = command[10..].trim().to_string();
                b"250 ok\r\n"
            }
            "RCPT" => {
                mail.to.push(command[8..].trim().to_string());
                b"250 ok\r\n"
            }
            "DATA" => {
                write.write_all(b"354 go ahead\r\n").await?;
                let mut data = Vec::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    let unstuffed = line.strip_prefix('.').unwrap_or(&line);
                    data.push(unstuffed.trim_end_matches(['\r', '\n']).to_string());
                }
                mail.data = data.join("\r\n");
                kept.lock().unwrap().push(mail.clone());
                b"250 2.0.0 queued\r\n"
            }
            "NOOP" | "RSET" => b"250 ok\r\n",
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 not implemented\r\n",
        };
        write.write_all(answer).await?;
    }
}

fn unbase64(text: &str) -> Vec<u8> {
    const TABLE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes() {
        let Some(value) = TABLE.iter().position(|&t| t == c) else {
            continue;
        };
        bits = bits << 6 | value as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

impl Received {
    /// A header's value, unfolded, RFC 2047 encoded words decoded (UTF-8, B or Q).
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or_default();
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        let value = unfolded.split("\r\n").find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })?;
        Some(decode_words(&value))
    }

    /// The body, its transfer encoding (quoted-printable or base64) undone.
    pub fn text(&self) -> String {
        let body = self
            .data
            .split_once("\r\n\r\n")
            .map(|(_, b)| b)
            .unwrap_or_default();
        let encoding = self
            .header("Content-Transfer-Encoding")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let bytes = match encoding.as_str() {
            "base64" => unbase64(body),
            "quoted-printable" => unquote(body),
            _ => body.as_bytes().to_vec(),
        };
        String::from_utf8(bytes).expect("a UTF-8 body")
    }
}

fn unquote(text: &str) -> Vec<u8> {
    let joined = text.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = std::str::from_utf8(bytes.get(i + 1..(i + 3).min(bytes.len())).unwrap_or(&[]))
            .ok()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("=?") {
        let Some(end) = rest[start + 2..].find("?=").map(|e| start + 2 + e) else {
            break;
        };
        let before = &rest[..start];
        if !before.trim().is_empty() || out.is_empty() {
            out.push_str(before);
        }
        let word = &rest[start + 2..end];
        let mut parts = word.splitn(3, '?');
        let (_, kind, text) = (parts.next(), parts.next(), parts.next().unwrap_or_default());
        let bytes = match kind.map(|k| k.to_ascii_uppercase()).as_deref() {
            Some("B") => unbase64(text),
            _ => unquote(&text.replace('_', " ")),
        };
        out.push_str(&String::from_utf8_lossy(&bytes));
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// HTTP

pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }
}

/// `method path` with `headers` and `body`; HTTP/1.0, so the body ends with the connection.
pub async fn request(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect(address).await?;
    let mut head = format!("{method} {path} HTTP/1.0\r\n");
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {address}\r\n"));
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    head.push_str(body);
    stream.write_all(head.as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no head in the answer"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Ok(Answer {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    })
}

pub async fn get(address: SocketAddr, path: &str) -> Answer {
    request(address, "GET", path, &[], "").await.unwrap()
}

// ---------------------------------------------------------------------------------------------
// The binary

/// `communs serve` as a child process on a free loopback port, with only the settings given (no
/// inherited `ENVIRONMENT`: production).
pub struct Served {
    pub child: Child,
    pub address: SocketAddr,
    /// Standard error, line by line, as it comes.
    pub log: Arc<Mutex<Vec<String>>>,
}

pub fn communs() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_communs"));
    command.env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    command
}

impl Served {
    pub fn start(db: &Path, site: &Path, settings: &[(&str, &str)]) -> Served {
        let mut command = communs();
        command
            .args(["serve", "--listen", "127.0.0.1:0", "--db"])
            .arg(db)
            .arg("--site")
            .arg(site)
            .envs(settings.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("communs starts");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (found, listening) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let kept = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.split("listening on http://").nth(1) {
                    let address = at.split(' ').next().unwrap_or_default().to_string();
                    let _ = found.send(address);
                }
                kept.lock().unwrap().push(line);
            }
        });
        let address = match listening.recv_timeout(Duration::from_secs(30)) {
            Ok(address) => address.parse().expect("an address"),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("communs serve did not listen: {:?}", log.lock().unwrap());
            }
        };
        Served {
            child,
            address,
            log,
        }
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// SIGTERM, then waits for the graceful stop.
    pub fn stop(mut self) {
        // SAFETY: a signal to our own child, whose id we hold.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}: {}", self.log());
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `communs args…` with `settings`; its exit success and its output (stdout then stderr).
pub fn run(args: &[&str], settings: &[(&str, &str)]) -> (bool, String) {
    let output = communs()
        .args(args)
        .envs(settings.iter().copied())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// A temporary folder with a minimal site in it.
pub fn folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(
        site.join("index.html"),
        "<!doctype html><title>Communs</title>",
    )
    .unwrap();
    (dir, site)
}

// ---------------------------------------------------------------------------------------------
// A database to write to

pub const ANA: &str = "ana@example.org";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Creates (or migrates) the database at `db`, adds Saint-Paul (La Réunion) and Ana with a
/// live session; gives the `Cookie` header that carries it.
pub fn seed(db: &Path) -> String {
    use store::search::Arg::{Int, Text};
    let (mut conn, _) = store::file::open_and_migrate(db).unwrap();
    conn.execute_batch(
        "INSERT INTO zone (id, kind, code, name, name_key, departement, region, population) VALUES \
         ('commune:97415', 'commune', '97415', 'Saint-Paul', 'saint paul', '974', '04', 105000), \
         ('departement:974', 'departement', '974', 'La Réunion', 'la reunion', '974', '04', NULL), \
         ('region:04', 'region', '04', 'La Réunion', 'la reunion', NULL, '04', NULL);",
    )
    .unwrap();
    let token = "token-of-ana-0123456789abcdef";
    let now = now();
    let person = vec![Text("p_ana".into()), Text(ANA.into()), Int(now)];
    let session = vec![
        Text(domain::secret::hash(token)),
        Text(ANA.into()),
        Int(now),
        Int(now + 3600),
        Int(now + 86_400),
    ];
    store::native::batch(
        &mut conn,
        &[
            (store::accounts::INSERT_PERSON, person),
            (store::accounts::INSERT_SESSION, session),
        ],
    )
    .unwrap();
    format!("{}={token}", domain::account::SESSION_COOKIE)
}

/// An element's body: `n` in its name, two tags.
pub fn element(n: usize) -> String {
    serde_json::json!({
        "kind": "organization",
        "name": format!("Épicerie numéro {n}"),
        "type": "LocalBusiness",
        "tags": ["vrac", format!("lot-{n}")],
        "address": {"commune_code": "97415"},
    })
    .to_string()
}

/// A write from the site's own page at `address` (its Host and Origin), as `cookie`.
pub async fn write(
    address: SocketAddr,
    method: &str,
    path: &str,
    cookie: &str,
    body: &str,
) -> std::io::Result<Answer> {
    let origin = format!("http://{address}");
    let headers = [
        ("Origin", origin.as_str()),
        ("Content-Type", "application/json"),
        ("Cookie", cookie),
    ];
    request(address, method, path, &headers, body).await
}
