//! The benchmark's processes: the fakes and `switchboard serve` (SQLite in a scratch
//! directory, no workers), started with the open-file limit raised, killed when dropped; the
//! benchmark's user, token and ConnectWise source; the server's resident memory from /proc.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use super::Args;

/// Re-runs this process with its open-file limit raised to the hard limit when it is lower
/// than `files`; true when it did (the caller then exits: the re-run did the work).
pub fn raise_open_files(files: u64) -> Result<bool> {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let soft = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(files);
    if soft >= files || std::env::var_os("BENCH_EVENTS_RAISED").is_some() {
        return Ok(false);
    }
    let exe = std::env::current_exe()?;
    let status = Command::new("sh")
        .arg("-c")
        .arg("ulimit -n \"$(ulimit -Hn)\" && exec \"$0\" \"$@\"")
        .arg(exe)
        .args(std::env::args().skip(1))
        .env("BENCH_EVENTS_RAISED", "1")
        .status()?;
    if !status.success() {
        bail!("the benchmark failed (or the open-file limit could not be raised to {files})");
    }
    Ok(true)
}

/// The fakes and the server, with what the runs need.
pub struct Running {
    pub addr: SocketAddr,
    pub token: String,
    pub source: String,
    pub webhook_url: String,
    pub fake_origin: String,
    server: Child,
    _fake: Child,
    client: reqwest::Client,
    _dir: tests::TempDir,
}

impl Drop for Running {
    fn drop(&mut self) {
        for child in [&mut self.server, &mut self._fake] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Running {
    pub async fn start(args: &Args) -> Result<Running> {
        let dir = tests::TempDir::new();
        let fake_port = free_port()?;
        let fake = Command::new(&args.fake)
            .args(["--listen", &format!("127.0.0.1:{fake_port}")])
            .stdout(Stdio::null())
            .spawn()
            .context("starting the fakes")?;
        let port = free_port()?;
        let database_url = format!("sqlite://{}?mode=rwc", dir.path.join("bench.db").display());
        let env = |cmd: &mut Command| {
            cmd.env("DATABASE_URL", &database_url)
                .env("SWITCHBOARD_WORKERS", "0")
                .env("SWITCHBOARD_LISTEN", format!("127.0.0.1:{port}"))
                .env(
                    "RUST_LOG",
                    std::env::var("BENCH_SERVER_LOG").unwrap_or_else(|_| "warn".into()),
                )
                .current_dir(&dir.path);
        };
        let (program, prefix) = match &args.switchboard {
            Some(path) => (path.clone(), None),
            None => (std::env::current_exe()?, Some("as-switchboard")),
        };
        let mut create = Command::new(&program);
        create.args(prefix);
        create.args([
            "user",
            "create",
            "--org",
            "Bench",
            "--email",
            "bench@example.com",
            "--password",
            "bench-password-1",
            "--role",
            "admin",
        ]);
        env(&mut create);
        if !create.status()?.success() {
            bail!("switchboard user create failed");
        }
        // The server gets the raised limit through the shell that starts it.
        let mut serve = Command::new("sh");
        serve
            .arg("-c")
            .arg(format!(
                "ulimit -n \"$(ulimit -Hn)\" && exec \"$0\" {} serve",
                prefix.unwrap_or_default()
            ))
            .arg(&program)
            .stdout(Stdio::null());
        env(&mut serve);
        let server = serve.spawn().context("starting the server")?;
        wait_for_port(fake_port).await?;
        wait_for_port(port).await?;
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse()?;
        let client = reqwest::Client::new();
        let token = call(&client, addr, None, "mutation { login(email: \"bench@example.com\", password: \"bench-password-1\") { token } }", json!({})).await?["login"]["token"]
            .as_str()
            .context("no token")?
            .to_owned();
        let base = format!("http://127.0.0.1:{fake_port}/v4_6_release/apis/3.0");
        let credentials = tests::fakes::connectwise::Config::default().credentials();
        let created = call(
            &client,
            addr,
            Some(&token),
            "mutation($input: CreateSourceInput!) { createSource(input: $input) { id webhookUrl } }",
            json!({"input": {"name": "Bench", "provider": "CONNECTWISE_MANAGE", "baseUrl": base, "credentials": credentials}}),
        )
        .await?;
        let created = &created["createSource"];
        Ok(Running {
            addr,
            token,
            source: created["id"].as_str().context("no source id")?.to_owned(),
            webhook_url: created["webhookUrl"]
                .as_str()
                .context("no webhook URL")?
                .to_owned(),
            fake_origin: format!("http://127.0.0.1:{fake_port}"),
            server,
            _fake: fake,
            client,
            _dir: dir,
        })
    }

    /// A GraphQL operation as the benchmark's user.
    pub async fn call(&self, query: &str, variables: Value) -> Result<Value> {
        call(&self.client, self.addr, Some(&self.token), query, variables).await
    }

    /// The server's resident set now, in KB.
    pub fn server_rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.server.id()))
            .unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }
}

async fn call(
    client: &reqwest::Client,
    addr: SocketAddr,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> Result<Value> {
    let mut request = client
        .post(format!("http://{addr}/graphql"))
        .json(&json!({"query": query, "variables": variables}));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let body: Value = request.send().await?.json().await?;
    if let Some(errors) = body.get("errors") {
        bail!("GraphQL errors: {errors}");
    }
    Ok(body["data"].clone())
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

async fn wait_for_port(port: u16) -> Result<()> {
    for _ in 0..600 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("nothing listens on port {port} after a minute")
}
