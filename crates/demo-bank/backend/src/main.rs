//! `tessera-demo-bank`: the Demo Bank, a partner site of Tessera on its own origin. It
//! needs what a partner gets at onboarding, the API key and Tessera's root key (`tessera
//! serve --demo` writes both into its data folder), and it must never start without them:
//! no key, no pinned root, no bank.
use std::{path::PathBuf, process::ExitCode, sync::Arc};

use tessera_demo_bank::{
    Bank, app,
    bank::{http_client, parse_root, read_api_key},
    store::Store,
};
use tessera_httpkit::{bind, finished, stop_signal};

const USAGE: &str = "usage: tessera-demo-bank --api-key-file FILE (--root-file FILE | --root KEY)
                         [--tessera URL] [--tessera-public-url URL] [--host ADDR]
                         [--port N] [--origin URL] [--data DIR] [--web DIR]

  --api-key-file FILE  the bank's partner API key (tessera serve --demo writes it to
                       its data folder as demo-bank-api-key)
  --root-file FILE     Tessera's root key, base64url, as pinned at onboarding (tessera
                       serve --demo writes demo-bank-root-key); during a root rotation
                       the roots to pin, one a line (tessera root-key --all)
  --root KEY           the same, given directly (what `tessera root-key` prints)
  --tessera URL        where the bank's backend reaches Tessera (default
                       http://127.0.0.1:8080)
  --tessera-public-url URL  where the bank's visitors' browsers reach Tessera (default:
                       the --tessera URL)
  --host ADDR          address to listen on (default 127.0.0.1)
  --port N             port (default 8081; 0 picks a free one)
  --origin URL         the bank's origin, as registered with Tessera (default
                       http://HOST:PORT)
  --data DIR           where the bank's SQLite database lives (default ./demo-bank-data)
  --web DIR            the built pages (default ./dist-demo-bank)";

struct Options {
    api_key_file: Option<PathBuf>,
    root: Option<String>,
    root_file: Option<PathBuf>,
    tessera: String,
    tessera_public_url: Option<String>,
    host: String,
    port: u16,
    origin: Option<String>,
    data: PathBuf,
    web: PathBuf,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        api_key_file: None,
        root: None,
        root_file: None,
        tessera: "http://127.0.0.1:8080".into(),
        tessera_public_url: None,
        host: "127.0.0.1".into(),
        port: 8081,
        origin: None,
        data: "demo-bank-data".into(),
        web: "dist-demo-bank".into(),
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        if matches!(flag.as_str(), "help" | "--help" | "-h") {
            return Err(String::new());
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let url = || value.trim_end_matches('/').to_owned();
        match flag.as_str() {
            "--api-key-file" => options.api_key_file = Some(value.into()),
            "--root" => options.root = Some(value.clone()),
            "--root-file" => options.root_file = Some(value.into()),
            "--tessera" => options.tessera = url(),
            "--tessera-public-url" => options.tessera_public_url = Some(url()),
            "--host" => options.host = value.clone(),
            "--port" => {
                options.port = value
                    .parse()
                    .map_err(|_| format!("--port: a port expected, got {value:?}"))?
            }
            "--origin" => options.origin = Some(url()),
            "--data" => options.data = value.into(),
            "--web" => options.web = value.into(),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("tessera-demo-bank: no tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match parse(&args) {
        Ok(options) => runtime.block_on(serve(options)),
        Err(problem) if problem.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(problem) => Err(problem),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("tessera-demo-bank: {problem}\n\n{USAGE}");
            ExitCode::FAILURE
        }
    }
}

/// The pinned root from `--root` or `--root-file`: exactly one of them.
fn pinned_root(options: &Options) -> Result<String, String> {
    match (&options.root, &options.root_file) {
        (Some(root), None) => Ok(root.clone()),
        (None, Some(file)) => std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read the pinned root {}: {e}", file.display())),
        (None, None) => Err("the pinned root is missing: --root-file FILE or --root KEY".into()),
        (Some(_), Some(_)) => Err("give --root or --root-file, not both".into()),
    }
}

async fn serve(options: Options) -> Result<(), String> {
    let stopped = stop_signal()?;
    let api_key_file = options
        .api_key_file
        .as_ref()
        .ok_or("the API key is missing: --api-key-file FILE")?;
    let api_key = read_api_key(api_key_file).map_err(|e| e.to_string())?;
    let (pinned_root, pinned_root_b64) =
        parse_root(&pinned_root(&options)?).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&options.data)
        .map_err(|e| format!("cannot create {}: {e}", options.data.display()))?;
    let store = Store::open(&options.data.join("demo-bank.sqlite3")).map_err(|e| e.to_string())?;
    let (listener, address) = bind(&options.host, options.port).await?;
    let origin = options
        .origin
        .clone()
        .unwrap_or_else(|| format!("http://{address}"));
    let bank = Arc::new(Bank {
        store,
        tessera_public_url: options
            .tessera_public_url
            .clone()
            .unwrap_or_else(|| options.tessera.clone()),
        tessera_url: options.tessera.clone(),
        api_key,
        pinned_root,
        pinned_root_b64,
        origin: origin.clone(),
        client: http_client(),
    });
    let server =
        axum::serve(listener, finished(app(bank, &options.web))).with_graceful_shutdown(stopped());
    println!("  Demo Bank (partner site):  {origin}/");
    println!("Press Ctrl+C to stop.");
    server.await.map_err(|e| e.to_string())
}
