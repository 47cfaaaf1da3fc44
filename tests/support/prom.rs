//! Real Prometheus daemons for the Pushgateway tests: a `prometheus-pushgateway` and a
//! `prometheus` scraping it, on 127.0.0.1 ephemeral ports, killed on drop. Absent
//! binaries make the tests skip with a printed reason.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub(crate) const PUSHGATEWAY: &str = "/usr/bin/prometheus-pushgateway";
pub(crate) const PROMETHEUS: &str = "/usr/bin/prometheus";
pub(crate) const PROMTOOL: &str = "/usr/bin/promtool";

/// The missing binaries among `bins`, as a skip reason.
pub(crate) fn missing(bins: &[&str]) -> Option<String> {
    let absent: Vec<&str> = bins
        .iter()
        .copied()
        .filter(|b| !Path::new(b).exists())
        .collect();
    (!absent.is_empty()).then(|| {
        format!(
            "{} not installed (run scripts/test-deps/prometheus.sh)",
            absent.join(", ")
        )
    })
}

/// A free port on 127.0.0.1 (bind :0, read it, release it).
pub(crate) fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

fn scratch_dir(what: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "telemetra-{what}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A daemon we started; killed (by its own pid) and reaped on drop.
#[derive(Debug)]
pub(crate) struct Daemon {
    child: Option<Child>,
    pub(crate) port: u16,
    dir: PathBuf,
    name: &'static str,
    /// A Prometheus's command line, for [`Daemon::restart_prometheus`].
    args: Vec<String>,
}

impl Daemon {
    pub(crate) fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Kills the daemon now (an outage); `restart` brings it back on the same port.
    pub(crate) fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
    }

    fn wait_ready(&mut self) {
        let url = format!("{}/-/ready", self.base_url());
        let client = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some(c) = self.child.as_mut() {
                if let Ok(Some(status)) = c.try_wait() {
                    panic!("{} exited with {status}: {}", self.name, self.log());
                }
            }
            if client
                .get(&url)
                .send()
                .is_ok_and(|r| r.status().is_success())
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("{} not ready after 60 s: {}", self.name, self.log());
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn spawn(bin: &str, args: &[String], dir: &Path) -> Child {
    let log = std::fs::File::create(dir.join("log")).unwrap();
    Command::new(bin)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap()
}

/// A Pushgateway with persistence off, on `port` (0: a free one).
pub(crate) fn pushgateway(port: u16) -> Daemon {
    let port = if port == 0 { free_port() } else { port };
    let dir = scratch_dir("pushgateway");
    let mut d = Daemon {
        child: None,
        port,
        dir,
        name: "pushgateway",
        args: Vec::new(),
    };
    d.restart();
    d
}

impl Daemon {
    /// (Re)starts a stopped Pushgateway on the same port.
    pub(crate) fn restart(&mut self) {
        assert_eq!(self.name, "pushgateway");
        self.args = vec![
            format!("--web.listen-address=127.0.0.1:{}", self.port),
            "--persistence.file=".to_owned(),
        ];
        self.respawn(PUSHGATEWAY);
    }

    /// (Re)starts a stopped Prometheus on the same port and data directory.
    pub(crate) fn restart_prometheus(&mut self) {
        assert_eq!(self.name, "prometheus");
        self.respawn(PROMETHEUS);
    }

    fn respawn(&mut self, bin: &str) {
        self.stop();
        // The old socket may linger for a moment after a kill: retry a few times.
        for attempt in 0..20 {
            self.child = Some(spawn(bin, &self.args, &self.dir));
            std::thread::sleep(Duration::from_millis(200));
            match self.child.as_mut().unwrap().try_wait() {
                Ok(Some(_)) if attempt < 19 => {
                    self.child = None;
                    std::thread::sleep(Duration::from_millis(250));
                }
                _ => break,
            }
        }
        self.wait_ready();
    }
}

/// A Prometheus scraping `target` (host:port) every second with `honor_labels: true`.
pub(crate) fn prometheus(target: &str) -> Daemon {
    prometheus_with(target, &[])
}

/// [`prometheus`] with extra command-line flags (e.g. `--enable-feature=…`).
pub(crate) fn prometheus_with(target: &str, extra: &[&str]) -> Daemon {
    let port = free_port();
    let dir = scratch_dir("prometheus");
    let config = format!(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n    static_configs:\n      - targets: ['{target}']\n"
    );
    std::fs::write(dir.join("prometheus.yml"), config).unwrap();
    let mut args = vec![
        format!("--config.file={}", dir.join("prometheus.yml").display()),
        format!("--storage.tsdb.path={}", dir.join("data").display()),
        format!("--web.listen-address=127.0.0.1:{port}"),
    ];
    args.extend(extra.iter().map(|a| (*a).to_owned()));
    let child = spawn(PROMETHEUS, &args, &dir);
    let mut d = Daemon {
        child: Some(child),
        port,
        dir,
        name: "prometheus",
        args,
    };
    d.wait_ready();
    d
}

/// Runs an instant PromQL query; the first result's value, if any.
pub(crate) fn query(prometheus: &Daemon, promql: &str) -> Option<f64> {
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let resp = client
        .get(format!("{}/api/v1/query", prometheus.base_url()))
        .query(&[("query", promql)])
        .send()
        .ok()?;
    let v: serde_json::Value = resp.json().ok()?;
    assert_eq!(v["status"], "success", "{promql}: {v}");
    v["data"]["result"][0]["value"][1].as_str()?.parse().ok()
}

/// The trace ids of the exemplars Prometheus stores for `promql` over the last hour.
pub(crate) fn exemplar_trace_ids(prometheus: &Daemon, promql: &str) -> Vec<String> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let Ok(resp) = reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/query_exemplars", prometheus.base_url()))
        .query(&[
            ("query", promql.to_owned()),
            ("start", (now - 3600).to_string()),
            ("end", (now + 60).to_string()),
        ])
        .send()
    else {
        return Vec::new();
    };
    let v: serde_json::Value = resp.json().unwrap_or_default();
    let mut ids = Vec::new();
    for series in v["data"].as_array().into_iter().flatten() {
        for e in series["exemplars"].as_array().into_iter().flatten() {
            if let Some(id) = e["labels"]["trace_id"].as_str() {
                ids.push(id.to_owned());
            }
        }
    }
    ids
}

/// Polls `promql` until `accept` holds (at most `limit`); the last value seen.
pub(crate) fn query_until(
    prometheus: &Daemon,
    promql: &str,
    limit: Duration,
    accept: impl Fn(f64) -> bool,
) -> Option<f64> {
    let deadline = Instant::now() + limit;
    let mut last = None;
    while Instant::now() < deadline {
        last = query(prometheus, promql);
        if last.is_some_and(&accept) {
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    last
}

/// The value of the sample line `name{…job="<job>"…}` on the gateway's `/metrics`.
pub(crate) fn gateway_value(gateway: &Daemon, name: &str, job: &str) -> Option<f64> {
    let text = reqwest::blocking::get(format!("{}/metrics", gateway.base_url()))
        .ok()?
        .text()
        .ok()?;
    let job = format!("job=\"{job}\"");
    text.lines()
        .filter(|l| l.starts_with(&format!("{name}{{")) && l.contains(&job))
        .find_map(|l| l.rsplit(' ').next()?.parse().ok())
}

/// Runs `promtool check metrics` on `text`: (exit code, output).
pub(crate) fn promtool_check(text: &str) -> (i32, String) {
    use std::io::Write;
    let mut child = Command::new(PROMTOOL)
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// Writes `files` (name, content) into a scratch directory and runs
/// `promtool <args…> <files named by args>` there; the exit code and the output.
pub(crate) fn promtool_in_dir(args: &[&str], files: &[(&str, &str)]) -> (i32, String) {
    let dir = scratch_dir("promtool");
    for (name, content) in files {
        std::fs::write(dir.join(name), content).unwrap();
    }
    let out = Command::new(PROMTOOL)
        .args(args)
        .current_dir(&dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}
