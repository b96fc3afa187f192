//! A real HTTP receiver on loopback, for the webhooks the worker sends: it keeps
//! every request it gets and answers as a test tells it to (fail a few times,
//! 410, redirect, hang past the worker's timeout).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How the receiver answers its n-th request (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Status(u16),
    /// A 302 to elsewhere (redirects must not be followed).
    Redirect,
    /// Answers `status` only after `Duration` (past the worker's 10 s timeout).
    Slow(Duration, u16),
}

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Received {
    /// A header's value (names are case-insensitive), or "".
    pub fn header(&self, name: &str) -> String {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

type Plan = Box<dyn Fn(usize) -> Answer + Send>;

/// A receiver listening on 127.0.0.1 until the test ends.
pub struct Receiver {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
    plan: Arc<Mutex<Plan>>,
}

impl Receiver {
    /// A receiver that answers 200 until told otherwise.
    pub fn start() -> Receiver {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("a free port");
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let plan: Arc<Mutex<Plan>> = Arc::new(Mutex::new(Box::new(|_| Answer::Status(200))));
        let (r, p) = (received.clone(), plan.clone());
        std::thread::spawn(move || {
            for mut request in server.incoming_requests() {
                let mut body = Vec::new();
                let _ = request.as_reader().read_to_end(&mut body);
                let headers = request
                    .headers()
                    .iter()
                    .map(|h| (h.field.to_string(), h.value.to_string()))
                    .collect();
                let n = {
                    let mut all = r.lock().unwrap();
                    all.push(Received {
                        headers,
                        body,
                        at: Instant::now(),
                    });
                    all.len() - 1
                };
                let answer = (p.lock().unwrap())(n);
                // Each answer on its own thread, so a slow one blocks nothing.
                std::thread::spawn(move || {
                    let response = match answer {
                        Answer::Status(s) => {
                            tiny_http::Response::from_string(format!("answer {s}"))
                                .with_status_code(s)
                        }
                        Answer::Redirect => tiny_http::Response::from_string("moved")
                            .with_status_code(302)
                            .with_header(
                                tiny_http::Header::from_bytes(
                                    "Location",
                                    "https://elsewhere.example/",
                                )
                                .unwrap(),
                            ),
                        Answer::Slow(wait, s) => {
                            std::thread::sleep(wait);
                            tiny_http::Response::from_string("late").with_status_code(s)
                        }
                    };
                    let _ = request.respond(response);
                });
            }
        });
        Receiver {
            url: format!("http://127.0.0.1:{port}/hooks"),
            received,
            plan,
        }
    }

    /// How to answer from now on, by request number (0-based, counting all).
    pub fn answer(&self, plan: impl Fn(usize) -> Answer + Send + 'static) {
        *self.plan.lock().unwrap() = Box::new(plan);
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until at least `n` requests arrived (panics after `within`).
    pub fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            assert!(
                started.elapsed() < within,
                "the receiver got {} requests, not {n}, within {within:?}: {:?}",
                got.len(),
                got.iter()
                    .map(|r| String::from_utf8_lossy(&r.body).into_owned())
                    .collect::<Vec<_>>()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Requests whose JSON body has `type` (or `event`, or `status`) equal to `kind`.
    /// The first request of `kind` (see [`Receiver::of_kind`]), waiting for
    /// it up to `within` (panics after). Checks what arrived on every turn,
    /// so a request arriving between two looks is never missed.
    pub fn first_of_kind(&self, kind: &str, within: Duration) -> Received {
        let started = Instant::now();
        loop {
            if let Some(first) = self.of_kind(kind).into_iter().next() {
                return first;
            }
            assert!(
                started.elapsed() < within,
                "no {kind} request within {within:?}; got: {:?}",
                self.received()
                    .iter()
                    .map(|r| String::from_utf8_lossy(&r.body).into_owned())
                    .collect::<Vec<_>>()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn of_kind(&self, kind: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| {
                let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
                v["type"] == kind || v["event"] == kind || v["status"] == kind
            })
            .collect()
    }
}

/// Verifies a received webhook's Standard Webhooks headers with the reference
/// library (Python's `standardwebhooks`): an independent oracle.
pub fn standard_webhooks_verify(secret: &str, received: &Received) -> Result<(), String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let headers = serde_json::json!({
        "webhook-id": received.header("webhook-id"),
        "webhook-timestamp": received.header("webhook-timestamp"),
        "webhook-signature": received.header("webhook-signature"),
    });
    let mut child = Command::new("python3")
        .args([
            "-c",
            "import sys,json\nfrom standardwebhooks.webhooks import Webhook\nheaders=json.loads(sys.argv[2])\ntry:\n  Webhook(sys.argv[1]).verify(sys.stdin.buffer.read(), headers)\n  print('valid')\nexcept Exception as e:\n  print('invalid', e)",
            secret,
            &headers.to_string(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 with standardwebhooks is installed");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&received.body)
        .unwrap();
    let out = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    if out.trim() == "valid" {
        Ok(())
    } else {
        Err(out)
    }
}

/// Runs a PHP snippet (`php -r`) with arguments; its output, trimmed.
pub fn php(code: &str, args: &[&str]) -> String {
    let out = std::process::Command::new("php")
        .arg("-r")
        .arg(code)
        .arg("--")
        .args(args)
        .output()
        .expect("php is installed");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}
