//! A webhook receiver on loopback for xtask's own phases and benchmarks (no
//! dependencies: a few lines of HTTP/1.1). The end-to-end tests have a richer one.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::util::Result;

/// A receiver that answers 503 to its first `failures` requests, then 200, and
/// keeps when each body arrived.
pub struct Receiver {
    pub url: String,
    received: Arc<Mutex<Vec<(Instant, String)>>>,
}

impl Receiver {
    pub fn start(failures: usize) -> Result<Receiver> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let seen = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let seen = seen.clone();
                std::thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                    let body = read_request(&mut stream);
                    let n = {
                        let mut all = seen.lock().unwrap_or_else(|e| e.into_inner());
                        all.push((Instant::now(), body));
                        all.len()
                    };
                    let status = if n <= failures {
                        "503 Service Unavailable"
                    } else {
                        "200 OK"
                    };
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    );
                });
            }
        });
        Ok(Receiver {
            url: format!("http://127.0.0.1:{port}/hooks"),
            received,
        })
    }

    /// How many requests arrived.
    pub fn count(&self) -> usize {
        self.received.lock().map(|r| r.len()).unwrap_or(0)
    }

    /// When the first body containing `needle` arrived.
    pub fn arrival_of(&self, needle: &str) -> Option<Instant> {
        self.received
            .lock()
            .ok()?
            .iter()
            .find(|(_, body)| body.contains(needle))
            .map(|(at, _)| *at)
    }

    /// When the last request arrived.
    pub fn last_arrival(&self) -> Option<Instant> {
        self.received.lock().ok()?.last().map(|(at, _)| *at)
    }
}

/// Reads one request: the headers, then the body its Content-Length announces.
fn read_request(stream: &mut std::net::TcpStream) -> String {
    let mut request = Vec::new();
    let mut buf = [0u8; 8192];
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            break;
        }
        request.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&request);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if body.len() >= length {
                return body.to_owned();
            }
        }
    }
    String::from_utf8_lossy(&request).into_owned()
}
