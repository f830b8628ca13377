//! What the end-to-end tests stand on: the real `tessera` binary and the real
//! `tessera-demo-bank` next to it, started on free loopback ports with fresh databases,
//! and headless Chromium sessions (each with its own profile) driven through chromedriver.
//! Nothing here is mocked, and it must never drive the programs other than from outside
//! (HTTP, the browser, the CLI, the files `serve --demo` writes for the bank): the only
//! thing it takes from the server crate is the demo's data and those files' names.
use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use fantoccini::{
    Client, ClientBuilder, Locator, elements::Element, wd::WebDriverCompatibleCommand,
};

use tessera_server::demo::{DEMO_BANK_API_KEY_FILE, DEMO_BANK_ROOT_FILE};
pub use tessera_server::demo::{DEMO_USERS, DemoUser};

mod devtools;
pub mod postgres;
pub mod push;

pub use postgres::Postgres;

/// How long any one step may take before the test fails with what it saw last.
const STEP_TIMEOUT: Duration = Duration::from_secs(30);
pub const PIN: &str = "482913";

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

fn scratch_dir(what: &str) -> PathBuf {
    let unique = format!(
        "tessera-e2e-{what}-{}-{:?}",
        std::process::id(),
        Instant::now()
    );
    let dir = std::env::temp_dir().join(unique.replace([' ', ':', '.'], "_"));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

/// Appends a measurement to `target/metrics.txt`, which scripts/test.sh prints at the
/// end. Measurements are reported, never asserted.
pub fn record_metric(line: &str) {
    use std::io::Write;
    let path = workspace().join("target").join("metrics.txt");
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(file, "{line}");
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// The `tessera serve --demo` process and the `tessera-demo-bank` process it registered.
pub struct Server {
    child: Option<Child>,
    bank: Option<Child>,
    data: PathBuf,
    bank_data: PathBuf,
    /// The Demo Bank's pages (`dist-demo-bank/`, or a partner's own).
    web: PathBuf,
    pub port: u16,
    pub bank_port: u16,
    session_ttl: u64,
    /// The host browsers use to reach Tessera (its `--public-url`).
    host: &'static str,
    /// More command-line flags, for the tests of one feature.
    extra_args: Vec<&'static str>,
    /// The PostgreSQL schema the server keeps its data in (`--database`), or None for
    /// SQLite in `data`.
    database_url: Option<String>,
    /// Whether this is the demo (`serve --demo`) with its Demo Bank, or another instance
    /// of a deployment that serves the first one's data.
    demo: bool,
}

impl Server {
    pub fn start(session_ttl: u64) -> Server {
        Self::start_as("127.0.0.1", session_ttl)
    }

    /// A server that browsers reach as `localhost`: WebAuthn (biometrics) refuses an IP
    /// address as relying party.
    pub fn start_on_localhost(session_ttl: u64) -> Server {
        Self::start_as("localhost", session_ttl)
    }

    /// A server whose Demo Bank serves the pages in `web` instead of its own.
    pub fn start_with_pages(session_ttl: u64, web: PathBuf) -> Server {
        Self::start_with("127.0.0.1", session_ttl, web, Vec::new())
    }

    fn start_as(host: &'static str, session_ttl: u64) -> Server {
        Self::start_with(host, session_ttl, Self::demo_bank_pages(), Vec::new())
    }

    /// A server that may push to endpoints on 127.0.0.1 (`--push-allow-loopback`): the
    /// tests' own push service (`push::PushService`).
    pub fn start_with_loopback_push(session_ttl: u64) -> Server {
        let flags = vec!["--push-allow-loopback"];
        Self::start_with("127.0.0.1", session_ttl, Self::demo_bank_pages(), flags)
    }

    fn demo_bank_pages() -> PathBuf {
        workspace().join("dist-demo-bank")
    }

    /// A server on `postgres` whatever the test command chose (several instances need it).
    pub fn start_on(postgres: &Postgres, session_ttl: u64) -> Server {
        let mut server = Self::unstarted("127.0.0.1", session_ttl, Self::demo_bank_pages());
        server.database_url = Some(postgres.new_schema());
        server.spawn();
        server
    }

    /// Another instance of the same deployment on the same PostgreSQL schema: its own
    /// port and URL, its own process, no Demo Bank of its own (`bank_url` is the first
    /// one's). What a load balancer would send some of the requests to.
    pub fn another_instance(&self) -> Server {
        assert!(
            self.database_url.is_some(),
            "several instances share PostgreSQL (start the first with Server::start_on)"
        );
        let mut instance = Self::unstarted(self.host, self.session_ttl, self.web.clone());
        instance.bank_port = self.bank_port;
        instance.database_url = self.database_url.clone();
        instance.extra_args = self.extra_args.clone();
        instance.demo = false;
        instance.spawn();
        instance
    }

    fn start_with(
        host: &'static str,
        session_ttl: u64,
        web: PathBuf,
        extra_args: Vec<&'static str>,
    ) -> Server {
        let mut server = Self::unstarted(host, session_ttl, web);
        server.extra_args = extra_args;
        // The test command's PostgreSQL when it started one (scripts/test.sh's second pass).
        server.database_url = Postgres::configured().map(|postgres| postgres.new_schema());
        server.spawn();
        server
    }

    fn unstarted(host: &'static str, session_ttl: u64, web: PathBuf) -> Server {
        Server {
            child: None,
            bank: None,
            data: scratch_dir("data"),
            bank_data: scratch_dir("bank"),
            web,
            port: free_port(),
            bank_port: free_port(),
            session_ttl,
            host,
            extra_args: Vec::new(),
            database_url: None,
            demo: true,
        }
    }

    pub fn binary() -> PathBuf {
        if let Ok(path) = std::env::var("TESSERA_BIN") {
            return path.into();
        }
        let target = std::env::var("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| workspace().join("target"));
        target.join("debug").join("tessera")
    }

    pub fn bank_binary() -> PathBuf {
        if let Ok(path) = std::env::var("TESSERA_DEMO_BANK_BIN") {
            return path.into();
        }
        Self::binary().with_file_name("tessera-demo-bank")
    }

    fn spawn(&mut self) {
        self.spawn_tessera();
        if self.demo {
            self.spawn_bank();
        }
    }

    fn spawn_tessera(&mut self) {
        let root = workspace();
        for built in [
            self.web.join("index.html"),
            root.join("dist-companion/index.html"),
        ] {
            assert!(
                built.exists(),
                "{} is missing: run scripts/test.sh, which builds the web apps first",
                built.display()
            );
        }
        for binary in [Self::binary(), Self::bank_binary()] {
            assert!(
                binary.exists(),
                "{} is missing: run scripts/test.sh (or cargo build -p tessera-server \
                 -p tessera-demo-bank)",
                binary.display()
            );
        }
        let bank_origin = format!("http://127.0.0.1:{}", self.bank_port);
        let mut command = Command::new(Self::binary());
        command.arg("serve");
        if self.demo {
            command.arg("--demo");
        }
        if let Some(url) = &self.database_url {
            command.args(["--database", url]);
        }
        let child = command
            .arg("--data")
            .arg(&self.data)
            .args(["--port", &self.port.to_string()])
            .args(["--demo-bank-origin", &bank_origin])
            .args(["--session-ttl", &self.session_ttl.to_string()])
            .args(["--public-url", &self.url()])
            .arg("--companion-web")
            .arg(root.join("dist-companion"))
            // The OpenID sign-in page's widget (scripts/dist.sh builds it).
            .arg("--widget-web")
            .arg(root.join("dist-widget"))
            .args(&self.extra_args)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the tessera binary starts");
        self.child = Some(child);
        // The key file comes last in seeding: then the bank's partner account is there.
        let key_file = self.data.join(DEMO_BANK_API_KEY_FILE);
        wait_until("the server did not start listening", || {
            (!self.demo || key_file.exists())
                && std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok()
        });
    }

    /// Starts the Demo Bank, which reads its pinned roots from `demo-bank-root-key`.
    fn spawn_bank(&mut self) {
        let key_file = self.data.join(DEMO_BANK_API_KEY_FILE);
        let bank = Command::new(Self::bank_binary())
            .arg("--api-key-file")
            .arg(&key_file)
            .arg("--root-file")
            .arg(self.data.join(DEMO_BANK_ROOT_FILE))
            .args(["--tessera", &format!("http://127.0.0.1:{}", self.port)])
            .args(["--tessera-public-url", &self.url()])
            .args(["--port", &self.bank_port.to_string()])
            .arg("--data")
            .arg(&self.bank_data)
            .arg("--web")
            .arg(&self.web)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the tessera-demo-bank binary starts");
        self.bank = Some(bank);
        wait_until("the Demo Bank did not start listening", || {
            std::net::TcpStream::connect(("127.0.0.1", self.bank_port)).is_ok()
        });
    }

    /// SIGKILL to both, as a crash would: no graceful shutdown, no flush.
    pub fn kill(&mut self) {
        for child in [self.child.take(), self.bank.take()].into_iter().flatten() {
            let mut child = child;
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts both again on the same ports and databases.
    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }

    /// The Demo Bank pins `roots` (base64url, one a line, as `tessera root-key --all`
    /// prints them) and restarts to read them, as a partner deploys a configuration
    /// change; Tessera keeps running.
    pub fn bank_pins(&mut self, roots: &str) {
        if let Some(mut bank) = self.bank.take() {
            let _ = bank.kill();
            let _ = bank.wait();
        }
        std::fs::write(self.data.join(DEMO_BANK_ROOT_FILE), roots).expect("the root file");
        wait_until("the Demo Bank's port was not freed", || {
            std::net::TcpStream::connect(("127.0.0.1", self.bank_port)).is_err()
        });
        self.spawn_bank();
    }

    /// SIGKILL to the `tessera` process only: the Demo Bank and the browsers stay.
    pub fn kill_tessera(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// A new `tessera` process on the same port and database, as a supervisor replaces a
    /// crashed instance: it knows nothing but what the database holds.
    pub fn respawn_tessera(&mut self) {
        self.kill_tessera();
        self.spawn_tessera();
    }

    pub fn url(&self) -> String {
        format!("http://{}:{}", self.host, self.port)
    }

    /// What the outbox holds (`GET /v1/outbox`), newest first, as the tests read SMS and
    /// e-mail.
    pub fn outbox(&self) -> Vec<serde_json::Value> {
        use std::io::{Read, Write};
        let mut stream =
            std::net::TcpStream::connect(("127.0.0.1", self.port)).expect("the server listens");
        write!(
            stream,
            "GET /v1/outbox HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .expect("the request is sent");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("the answer");
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b)
            .unwrap_or_default();
        serde_json::from_str(body).unwrap_or_else(|e| panic!("the outbox is JSON ({e}): {body}"))
    }

    /// The newest outbox message whose body contains `needle`.
    pub fn message_with(&self, needle: &str) -> String {
        self.outbox()
            .iter()
            .filter_map(|m| m["body"].as_str())
            .find(|body| body.contains(needle))
            .unwrap_or_else(|| panic!("no message contains {needle:?}"))
            .to_string()
    }

    /// Where `tessera serve --data` keeps its SQLite database.
    fn sqlite_file(&self) -> PathBuf {
        self.data.join("tessera.sqlite3")
    }

    /// The server's store, SQLite or PostgreSQL, as the server itself opens it.
    pub fn store(&self) -> tessera_server::store::Store {
        match &self.database_url {
            Some(url) => tessera_server::store::Store::connect(url),
            None => tessera_server::store::Store::open(&self.sqlite_file()),
        }
        .expect("the server's database")
    }

    /// Runs one statement on the server's database behind its back, as an attacker who
    /// took over the relay's database would; returns the first column of the first row
    /// (if the statement returns rows) or `None`. The SQL uses `?1`, `?2` placeholders
    /// and text parameters, which both databases take.
    pub fn tamper(&self, sql: &str, params: &[&str]) -> Option<String> {
        match &self.database_url {
            // The blocking client runs its own runtime: on a thread of its own, since the
            // tests call this from inside theirs.
            Some(url) => std::thread::scope(|scope| {
                scope
                    .spawn(|| {
                        let mut db = ::postgres::Client::connect(url, ::postgres::NoTls)
                            .expect("the server's PostgreSQL");
                        let sql = (1..=params.len()).rev().fold(sql.to_string(), |sql, n| {
                            sql.replace(&format!("?{n}"), &format!("${n}"))
                        });
                        let params: Vec<&(dyn ::postgres::types::ToSql + Sync)> =
                            params.iter().map(|p| p as _).collect();
                        let rows = db.query(&sql, &params).expect("the statement runs");
                        rows.first().map(|row| row.get(0))
                    })
                    .join()
                    .expect("the statement ran")
            }),
            None => {
                let db = rusqlite::Connection::open(self.sqlite_file())
                    .expect("the server's SQLite file");
                db.busy_timeout(Duration::from_secs(5)).unwrap();
                let mut statement = db.prepare(sql).expect("the statement is valid");
                let mut rows = statement
                    .query(rusqlite::params_from_iter(params))
                    .expect("the statement runs");
                rows.next()
                    .expect("the rows are readable")
                    .map(|row| row.get(0).expect("a text column"))
            }
        }
    }

    /// The Demo Bank's own SQLite database, for tests that play a bug in a partner.
    pub fn bank_database(&self) -> PathBuf {
        self.bank_data.join("demo-bank.sqlite3")
    }

    /// What `tessera <args> --data <this server's data>` prints: the demo's Token and Scan.
    pub fn cli(&self, command: &str, args: &[&str]) -> String {
        let mut cli = Command::new(Self::binary());
        if let Some(url) = &self.database_url {
            cli.env("TESSERA_DATABASE_URL", url);
        }
        let out = cli
            .arg(command)
            .arg("--data")
            .arg(&self.data)
            .args(args)
            .output()
            .expect("the tessera binary runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .expect("UTF-8")
            .trim()
            .to_string()
    }

    /// The root key as `tessera root-key` prints it, for `tessera verify`.
    pub fn root_key(&self) -> String {
        self.cli("root-key", &[])
    }

    pub fn bank_url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.bank_port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.data);
        let _ = std::fs::remove_dir_all(&self.bank_data);
    }
}

/// Waits until `ready` holds; panics with `problem` after [`STEP_TIMEOUT`].
fn wait_until(problem: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + STEP_TIMEOUT;
    while !ready() {
        assert!(Instant::now() < deadline, "{problem}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A headless Chromium with its own chromedriver and a fresh profile.
pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: PathBuf,
}

/// Where a browser's downloads land: inside its own profile, so tests never share files.
fn downloads_of(profile: &Path) -> PathBuf {
    profile.join("downloads")
}

/// A host name the browsers resolve to 127.0.0.1; a page served under it over http is
/// not a secure context, so WebCrypto is not there.
pub const INSECURE_HOST: &str = "insecure.tessera.test";

impl Browser {
    pub async fn desktop() -> Browser {
        Self::open(1100, 800, false).await
    }

    /// A desktop whose system asks for dark colours (`prefers-color-scheme: dark`).
    pub async fn desktop_dark() -> Browser {
        Self::open(1100, 800, true).await
    }

    pub async fn phone() -> Browser {
        Self::open(400, 860, false).await
    }

    async fn open(width: u32, height: u32, dark: bool) -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (scripts/setup.sh installs it)");
        let profile = scratch_dir("profile");
        let mut args = serde_json::json!([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            // A name for 127.0.0.1 that is not a secure context (only localhost and
            // loopback addresses are, over http): pages that must refuse to run there.
            format!("--host-resolver-rules=MAP {INSECURE_HOST} 127.0.0.1"),
            format!("--user-data-dir={}", profile.display()),
            format!("--window-size={width},{height}"),
        ]);
        if dark {
            args.as_array_mut()
                .expect("a list")
                .push("--force-dark-mode".into());
        }
        let prefs = serde_json::json!({
            "download.default_directory": downloads_of(&profile),
            "download.prompt_for_download": false,
        });
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "args": args, "prefs": prefs }),
        );
        let deadline = Instant::now() + STEP_TIMEOUT;
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(error) if Instant::now() > deadline => panic!("cannot start Chromium: {error}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Browser {
            client,
            driver,
            profile,
        }
    }

    /// Opens `url` and starts collecting Content-Security-Policy violations, which
    /// `close` then refuses: the pages are served with a strict policy.
    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
        let watch = "document.addEventListener('securitypolicyviolation', (e) => \
            (window.__cspViolations ||= []).push(e.violatedDirective + ' ' + e.blockedURI));";
        self.client
            .execute(watch, vec![])
            .await
            .expect("the CSP watch installs");
    }

    /// Waits until `css` matches a displayed element.
    pub async fn find(&self, css: &str) -> Element {
        let deadline = Instant::now() + STEP_TIMEOUT;
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && element.is_displayed().await.unwrap_or(false)
            {
                return element;
            }
            if Instant::now() > deadline {
                let text = self.page_text().await;
                panic!("{css} did not appear; the page says:\n{text}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        element
            .clear()
            .await
            .unwrap_or_else(|e| panic!("cannot clear {css}: {e}"));
        element
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("cannot type into {css}: {e}"));
    }

    /// Sets a field's value as a paste would (any characters, including invisible and
    /// bidirectional ones that keyboards cannot type) and tells the page.
    pub async fn set_value(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        let script = "const [el, value] = arguments; el.value = value; \
            el.dispatchEvent(new Event('input', {bubbles: true})); \
            el.dispatchEvent(new Event('change', {bubbles: true}));";
        self.client
            .execute(
                script,
                vec![
                    serde_json::to_value(&element).expect("an element"),
                    text.into(),
                ],
            )
            .await
            .unwrap_or_else(|e| panic!("cannot set {css}: {e}"));
    }

    /// Clicks the download link `css`, as a person would, and returns the file Chromium
    /// saved: its name and its bytes.
    pub async fn download(&self, css: &str) -> (String, Vec<u8>) {
        let dir = downloads_of(&self.profile);
        let before: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        self.click(css).await;
        let deadline = Instant::now() + STEP_TIMEOUT;
        loop {
            let files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map(|d| d.flatten().map(|e| e.path()).collect())
                .unwrap_or_default();
            // Chromium writes to a `.crdownload` and may show the final name, empty,
            // before it renames: done means no partial file left and bytes in the new one.
            let partial = files.iter().any(|p| {
                p.extension()
                    .is_some_and(|e| e == "crdownload" || e == "tmp")
                    || p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            });
            let new = files.iter().find(|p| !before.contains(p));
            if let (false, Some(path)) = (partial, new) {
                let bytes = std::fs::read(path).unwrap_or_default();
                if !bytes.is_empty() {
                    let name = path
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned();
                    return (name, bytes);
                }
            }
            assert!(Instant::now() < deadline, "{css} downloaded nothing");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn attr(&self, css: &str, attribute: &str) -> Option<String> {
        let element = self.client.find(Locator::Css(css)).await.ok()?;
        element.attr(attribute).await.ok().flatten()
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap_or_default()
    }

    pub async fn page_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Waits until the text of `css` contains `needle`; fails with the last text seen.
    pub async fn wait_text(&self, css: &str, needle: &str) {
        let deadline = Instant::now() + STEP_TIMEOUT;
        loop {
            let seen = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if seen.contains(needle) {
                return;
            }
            if Instant::now() > deadline {
                panic!("{css} never said {needle:?}; last it said {seen:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until `attribute` of `css` equals `wanted`; fails with the last value seen.
    pub async fn wait_attr(&self, css: &str, attribute: &str, wanted: &str) {
        let deadline = Instant::now() + STEP_TIMEOUT;
        loop {
            let seen = self.attr(css, attribute).await;
            if seen.as_deref() == Some(wanted) {
                return;
            }
            if Instant::now() > deadline {
                let text = self.page_text().await;
                panic!(
                    "{css}[{attribute}] stayed {seen:?}, wanted {wanted:?}; the page says:\n{text}"
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// POSTs JSON from inside the page (its origin, its cookies) and returns the HTTP
    /// status and the error code of the answer, if any.
    pub async fn post_json(&self, path: &str, body: serde_json::Value) -> (u64, String) {
        let script = r#"
            const [path, body, done] = arguments;
            fetch(path, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)})
              .then(async (r) => done([r.status, (await r.json()).code || '']), (e) => done([0, String(e)]));"#;
        let answer = self
            .client
            .execute_async(script, vec![path.into(), body])
            .await
            .expect("the script runs");
        (
            answer[0].as_u64().unwrap_or(0),
            answer[1].as_str().unwrap_or_default().to_string(),
        )
    }

    pub async fn screenshot(&self, name: &str) {
        let dir = workspace().join("target").join("screenshots");
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
    }

    pub async fn close(mut self) {
        let violations = self
            .client
            .execute("return window.__cspViolations || []", vec![])
            .await;
        if let Ok(violations) = violations {
            assert_eq!(
                violations,
                serde_json::json!([]),
                "the page broke its Content-Security-Policy"
            );
        }
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Runs axe-core on the page and formats what it finds, one violation a line: rule id,
/// impact, the elements' selectors, and what the rule asks for. Injected through
/// WebDriver, as DevTools would: it is not the page's script and the page's CSP does not
/// apply to it (and no `securitypolicyviolation` is raised).
const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, {
  resultTypes: ['violations'],
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
}).then(
  (r) => done(r.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}: ${v.help}`)),
  (e) => done([`axe failed: ${e}`]),
);
"#;

/// axe-core's browser build, from the tools dir where scripts/setup.sh installs it.
fn axe_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        let tools = std::env::var("TESSERA_TOOLS_DIR").map_or_else(
            |_| {
                PathBuf::from(std::env::var("HOME").expect("HOME is set"))
                    .join(".cache/tessera-tools")
            },
            PathBuf::from,
        );
        let path = tools.join("node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run scripts/setup.sh, which installs axe-core",
                path.display()
            )
        })
    })
}

impl Browser {
    /// What axe-core finds against WCAG 2.1 A and AA on the page as it is now, one line a
    /// violated rule.
    pub async fn axe_violations(&self) -> Vec<String> {
        // The source as the script itself: an eval would be the page's and fall under
        // its CSP.
        let load = format!("if (!window.axe) {{\n{}\n}}", axe_source());
        self.client
            .execute(&load, vec![])
            .await
            .unwrap_or_else(|e| panic!("axe-core does not load: {e}"));
        let found = self
            .client
            .execute_async(AXE_RUN, vec![])
            .await
            .unwrap_or_else(|e| panic!("axe-core does not run: {e}"));
        serde_json::from_value(found).expect("a list of strings")
    }

    /// Checks the page as it is now with [`Browser::axe_violations`]; panics with the
    /// list, naming `screen`, if there is anything in it.
    pub async fn axe(&self, screen: &str) {
        let found = self.axe_violations().await;
        assert!(
            found.is_empty(),
            "accessibility violations on {screen}:\n  {}",
            found.join("\n  ")
        );
    }
}

// --- the keyboard alone ------------------------------------------------------------------

pub use fantoccini::key::Key;

/// How many Tab presses may lead to a control: more means it is out of reach in practice.
const MAX_TABS: usize = 40;

impl Browser {
    /// Presses and releases each key in turn on whatever has the focus, as a keyboard
    /// does: characters, or [`Key`] codes such as `Key::Tab`, `Key::Enter`.
    pub async fn keys(&self, keys: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".into());
        for value in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value })
                .then(KeyAction::Up { value });
        }
        self.client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("cannot press {keys:?}: {e}"));
    }

    pub async fn press(&self, key: Key) {
        self.keys(&char::from(key).to_string()).await;
    }

    /// The focused element's id ("" for none or one without id).
    pub async fn focused_id(&self) -> String {
        let id = self
            .client
            .execute(
                "return document.activeElement ? document.activeElement.id : ''",
                vec![],
            )
            .await
            .expect("the focus is readable");
        id.as_str().unwrap_or_default().to_owned()
    }

    /// Presses Tab until the element with `id` has the focus, and checks the focus is
    /// visible on it; fails if it is not reached within [`MAX_TABS`] presses.
    pub async fn tab_to(&self, id: &str) {
        // A control that is not there yet is not a keyboard problem: wait for it first.
        self.find(&format!("#{id}")).await;
        let mut seen = Vec::new();
        for _ in 0..MAX_TABS {
            self.press(Key::Tab).await;
            let focused = self.focused_id().await;
            if focused == id {
                assert!(
                    self.focus_is_visible().await,
                    "#{id} has the focus but shows no focus indicator"
                );
                return;
            }
            seen.push(focused);
        }
        panic!("Tab never reached #{id}; the focus went through {seen:?}");
    }

    /// Whether the focused element matches `:focus-visible` and draws an outline or a
    /// ring (a box-shadow) there.
    pub async fn focus_is_visible(&self) -> bool {
        let script = "const el = document.activeElement; if (!el) return false; \
            const style = getComputedStyle(el); \
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0; \
            return el.matches(':focus-visible') && (outline || style.boxShadow !== 'none');";
        self.client
            .execute(script, vec![])
            .await
            .expect("the focus style is readable")
            .as_bool()
            .unwrap_or(false)
    }
}

impl Browser {
    /// Photographs the QR the widget shows and decodes it with zbarimg, as a phone's
    /// camera would; returns what it encodes and the link the widget said it shows
    /// just before and just after (the code changes every second).
    pub async fn scan_qr(&self) -> (String, [String; 2]) {
        let before = self
            .attr("#tessera-qr", "data-qr-link")
            .await
            .unwrap_or_default();
        let decoded = self.read_qr("#tessera-qr").await;
        let after = self
            .attr("#tessera-qr", "data-qr-link")
            .await
            .unwrap_or_default();
        (decoded, [before, after])
    }

    /// Photographs the element `css` and decodes the QR code in it with zbarimg.
    pub async fn read_qr(&self, css: &str) -> String {
        let png = self
            .find(css)
            .await
            .screenshot()
            .await
            .expect("a screenshot of the QR");
        let path = scratch_dir("qr").join("qr.png");
        std::fs::write(&path, png).expect("the QR image is written");
        let output = Command::new("zbarimg")
            .args(["--quiet", "--raw"])
            .arg(&path)
            .output()
            .expect("zbarimg is installed (scripts/setup.sh installs zbar-tools)");
        let _ = std::fs::remove_dir_all(path.parent().expect("a scratch dir"));
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }
}

// --- the user's steps, shared by the tests ---------------------------------------------

/// Flow: activate the companion as `user`, ending on the home screen.
pub async fn activate(phone: &Browser, server: &Server, user: &DemoUser) {
    phone.goto(&format!("{}/companion/", server.url())).await;
    phone.click("#btn-activate").await;
    phone.type_into("#act-user-id", user.id).await;
    phone.type_into("#act-password", user.password).await;
    phone.type_into("#act-code", user.activation_code).await;
    phone.type_into("#act-pin", PIN).await;
    phone.type_into("#act-pin-confirm", PIN).await;
    phone.type_into("#act-device-name", "Test phone").await;
    phone.click("#act-submit").await;
    phone.find("#cert-details").await;
}

/// What most tests start from: a server (with its Demo Bank), a desktop browser, and a
/// phone whose companion is activated as `user`.
pub async fn desktop_and_phone_of(user: &DemoUser) -> (Server, Browser, Browser) {
    let server = Server::start(180);
    let (desktop, phone) = (Browser::desktop().await, Browser::phone().await);
    activate(&phone, &server, user).await;
    (server, desktop, phone)
}

/// On the Demo Bank page: press "Log in with Tessera" and read the QR's link.
pub async fn show_qr(desktop: &Browser, url: &str) -> String {
    desktop.goto(url).await;
    desktop.click("#tessera-start").await;
    desktop.find("#tessera-qr").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "pending")
        .await;
    desktop
        .attr("#tessera-qr", "data-qr-link")
        .await
        .expect("the QR carries its link")
}

/// On the phone: open the scanned link and wait for the request screen.
pub async fn open_scanned(phone: &Browser, link: &str) {
    phone.goto(link).await;
    phone.find("#request").await;
}

pub async fn approve_with_pin(phone: &Browser, pin: &str) {
    phone.type_into("#req-pin", pin).await;
    phone.click("#btn-approve").await;
}

/// A pushed request on the phone: picks the number the widget shows.
pub async fn pick_number(desktop: &Browser, phone: &Browser) {
    let number = desktop.text("#tessera-number").await;
    phone.click(&format!("#number-{}", number.trim())).await;
    phone.find("#req-pin").await;
}

/// Approves with the right PIN and waits until the phone confirms.
pub async fn approve_on_phone(phone: &Browser) {
    approve_with_pin(phone, PIN).await;
    phone.wait_attr("#result", "data-result", "approved").await;
}

/// The widget verified the approval and the bank's backend logged `user` in.
pub async fn expect_logged_in(desktop: &Browser, user: &str) {
    desktop
        .wait_attr("#tessera-status", "data-state", "verified")
        .await;
    assert!(desktop.text("#tessera-status").await.contains(user));
    // The bank's answer comes after the widget's verdict ("Demo Bank is checking…").
    desktop.wait_text("#bank-result", user).await;
}

/// Wraps `window.EventSource` in the page to play the relay's part: `record` keeps each
/// delivered result in `window.__tesseraResult`; `tamper` also rewrites one claim of the
/// approval without re-signing it, as a malicious relay would, before the widget sees it.
const RELAY_INTERCEPTOR: &str = r#"
const mode = arguments[0];
const Original = window.EventSource;
window.EventSource = function (url, init) {
  const source = new Original(url, init);
  const listen = source.addEventListener.bind(source);
  source.addEventListener = (type, listener, options) => listen(type, (event) => {
    const data = JSON.parse(event.data);
    if (data.result) {
      window.__tesseraResult = structuredClone(data.result);
      if (mode === 'tamper') {
        const [header, payload, signature] = data.result.approval.split('.');
        const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
        claims.iat -= 1;
        const forged = btoa(JSON.stringify(claims)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        data.result.approval = [header, forged, signature].join('.');
      }
    }
    listener.call(source, new MessageEvent(type, { data: JSON.stringify(data) }));
  }, options);
  return source;
};
window.EventSource.prototype = Original.prototype;
"#;

impl Browser {
    /// Records ([`record_metric`]) the widget's times on `page`, in the page's own clock,
    /// from its User Timing marks: navigation start → widget ready (its start button
    /// drawn), and the click on start → the first QR on screen.
    pub async fn record_timings(&self, page: &str) {
        let script = "const at = n => (performance.getEntriesByName(n)[0] || {}).startTime || 0;
            return [at('tessera-ready'), at('tessera-qr') - at('tessera-start')];";
        let t = self
            .client
            .execute(script, vec![])
            .await
            .expect("the timings");
        let (ready, qr) = (t[0].as_f64().unwrap_or(0.0), t[1].as_f64().unwrap_or(0.0));
        record_metric(&format!(
            "{page}: widget ready {ready:.0} ms after navigation start; QR {qr:.0} ms after the click"
        ));
    }
}

pub enum Relay {
    Record,
    Tamper,
}

impl Browser {
    pub async fn intercept_relay(&self, relay: Relay) {
        let mode = match relay {
            Relay::Record => "record",
            Relay::Tamper => "tamper",
        };
        self.client
            .execute(RELAY_INTERCEPTOR, vec![mode.into()])
            .await
            .expect("the interceptor installs");
    }
}

/// A chromedriver command fantoccini has no method for: `POST /session/{id}/{path}`. A
/// Chrome DevTools Protocol command goes through `goog/cdp/execute` to the session's
/// current page; the WebAuthn extension lives under `webauthn/`.
#[derive(Debug)]
struct Extension {
    path: String,
    body: serde_json::Value,
}

impl WebDriverCompatibleCommand for Extension {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/{}", self.path))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

impl Browser {
    async fn extension(&self, path: String, body: serde_json::Value) -> serde_json::Value {
        self.client
            .issue_cmd(Extension {
                path: path.clone(),
                body,
            })
            .await
            .unwrap_or_else(|e| panic!("{path} failed: {e}"))
    }

    async fn cdp(&self, cmd: &'static str, params: serde_json::Value) {
        let body = serde_json::json!({ "cmd": cmd, "params": params });
        self.extension("goog/cdp/execute".into(), body).await;
    }

    /// The phone is at `latitude`, `longitude` (degrees, accurate to 100 m) and `origin`
    /// may read it, as if the user allowed the browser's prompt.
    pub async fn place_at(&self, origin: &str, latitude: f64, longitude: f64) {
        let permissions = serde_json::json!({ "permissions": ["geolocation"], "origin": origin });
        self.cdp("Browser.grantPermissions", permissions).await;
        let position =
            serde_json::json!({ "latitude": latitude, "longitude": longitude, "accuracy": 100 });
        self.cdp("Emulation.setGeolocationOverride", position).await;
    }

    /// `origin` may no longer read the position, as if the user blocked it.
    pub async fn deny_location(&self, origin: &str) {
        let denied = serde_json::json!({
            "permission": { "name": "geolocation" }, "setting": "denied", "origin": origin,
        });
        self.cdp("Browser.setPermission", denied).await;
    }

    /// Adds a platform authenticator with user verification (a phone's fingerprint
    /// reader, Chromium's virtual authenticator) that verifies the user; returns its id.
    pub async fn add_platform_authenticator(&self) -> String {
        let options = serde_json::json!({
            "protocol": "ctap2", "transport": "internal", "hasResidentKey": true,
            "hasUserVerification": true, "isUserVerified": true,
        });
        let answer = self
            .extension("webauthn/authenticator".into(), options)
            .await;
        answer
            .as_str()
            .or_else(|| answer["authenticatorId"].as_str())
            .expect("an authenticator id")
            .to_string()
    }

    /// Whether the virtual authenticator's "biometric" check passes from now on.
    pub async fn set_user_verified(&self, authenticator: &str, verified: bool) {
        let path = format!("webauthn/authenticator/{authenticator}/uv");
        let body = serde_json::json!({ "isUserVerified": verified });
        self.extension(path, body).await;
    }
}
