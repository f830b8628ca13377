//! PostgreSQL for the end-to-end tests: the one the test command started
//! (`TESSERA_TEST_DATABASE_URL`, set by scripts/postgres.sh), or, for a test that needs it
//! either way (several instances), a throw-away cluster of its own, made the same way:
//! initdb into a scratch directory, a free port on 127.0.0.1, stopped when dropped.
//! Each server then gets a schema of its own, so tests running side by side share nothing.
use std::{
    path::PathBuf,
    process::{Command, Stdio},
    sync::atomic::{AtomicU32, Ordering},
    time::{SystemTime, UNIX_EPOCH},
};

use super::free_port;

/// The variable the API tests read too (crates/server/tests/common): set, every `Server`
/// of the end-to-end tests keeps its data in PostgreSQL instead of SQLite.
pub const DATABASE_VARIABLE: &str = "TESSERA_TEST_DATABASE_URL";

/// How long pg_ctl may take to start or stop the cluster (its `-t`, seconds).
const PG_CTL_TIMEOUT: &str = "60";

pub struct Postgres {
    url: String,
    /// The cluster this started, stopped and removed when dropped; None for the
    /// test command's.
    own: Option<Cluster>,
}

struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    /// `runuser -u postgres --` as root: initdb refuses to run as root.
    run_as: Vec<String>,
}

impl Postgres {
    /// The test command's PostgreSQL, if it started one.
    pub fn configured() -> Option<Postgres> {
        let url = std::env::var(DATABASE_VARIABLE).ok()?;
        Some(Postgres { url, own: None })
    }

    /// The test command's PostgreSQL, or else a cluster of this test's own.
    pub fn configured_or_started() -> Postgres {
        Self::configured().unwrap_or_else(Self::start)
    }

    fn start() -> Postgres {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL is installed (scripts/setup.sh installs it)")
            .filter_map(|entry| Some(entry.ok()?.path().join("bin")))
            .filter(|bin| bin.join("initdb").exists())
            .max_by_key(|bin| {
                let version = bin.parent().and_then(|v| v.file_name()).unwrap_or_default();
                version.to_string_lossy().parse::<u32>().unwrap_or(0)
            })
            .expect("PostgreSQL's initdb (scripts/setup.sh installs it)");
        // Short: the server's socket path in it must fit in 107 bytes.
        let dir =
            std::env::temp_dir().join(format!("tessera-pg-{}-{}", std::process::id(), next()));
        std::fs::create_dir_all(&dir).expect("a directory for PostgreSQL");
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|out| out.stdout.trim_ascii() == b"0");
        let run_as: Vec<String> = if root {
            let owned = Command::new("chown")
                .arg("postgres:")
                .arg(&dir)
                .status()
                .is_ok_and(|s| s.success());
            assert!(owned, "cannot give {} to the postgres user", dir.display());
            ["runuser", "-u", "postgres", "--"].map(String::from).into()
        } else {
            Vec::new()
        };
        let cluster = Cluster { bin, dir, run_as };
        let data = cluster.dir.join("data");
        cluster.run(
            "initdb",
            &[
                "-D",
                &data.to_string_lossy(),
                "-A",
                "trust",
                "-U",
                "postgres",
            ],
        );
        let port = free_port();
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c max_connections=100",
            cluster.dir.display()
        );
        let log = cluster.dir.join("log");
        cluster.run(
            "pg_ctl",
            &[
                "-D",
                &data.to_string_lossy(),
                "-l",
                &log.to_string_lossy(),
                "-w",
                "-t",
                PG_CTL_TIMEOUT,
                "start",
                "-o",
                &options,
            ],
        );
        Postgres {
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            own: Some(cluster),
        }
    }

    /// A URL for a fresh, empty schema of its own on this PostgreSQL.
    pub fn new_schema(&self) -> String {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let schema = format!("e2e_{}_{nanos}_{}", std::process::id(), next());
        let url = self.url.clone();
        let create = format!("CREATE SCHEMA {schema}");
        // The synchronous client must not run on a thread that drives async tasks.
        std::thread::spawn(move || {
            let mut client = postgres::Client::connect(&url, postgres::NoTls)
                .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {url}: {e}"));
            client.batch_execute(&create).expect("a schema of its own");
        })
        .join()
        .expect("the schema is created");
        let separator = if self.url.contains('?') { '&' } else { '?' };
        format!("{}{separator}options=-csearch_path%3D{schema}", self.url)
    }
}

/// A number not given before in this process.
fn next() -> u32 {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Cluster {
    /// `program` of PostgreSQL's, run as the cluster's owner.
    fn command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        match self.run_as.split_first() {
            Some((runuser, rest)) => {
                let mut command = Command::new(runuser);
                command.args(rest).arg(program);
                command
            }
            None => Command::new(program),
        }
    }

    fn run(&self, program: &str, args: &[&str]) {
        let status = self
            .command(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .status()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
        assert!(status.success(), "{program} {args:?} failed");
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Some(cluster) = &self.own {
            let _ = cluster
                .command("pg_ctl")
                .arg("-D")
                .arg(cluster.dir.join("data"))
                .args(["-m", "immediate", "-w", "-t", PG_CTL_TIMEOUT, "stop"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let _ = std::fs::remove_dir_all(&cluster.dir);
        }
    }
}
