//! The `checkout` binary as a merchant runs it, checked against independent
//! oracles: Python's hmac, PHP's json_encode and hash_hmac, and a real SVG
//! renderer (rsvg-convert) feeding a real QR decoder (zbarimg).

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn checkout(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_checkout"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn tool(program: &str, args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} is not installed ({e}); run `cargo xtask test`"));
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{program} failed");
    out.stdout
}

#[test]
fn sign_etn_matches_python_hmac_over_the_exact_bytes() {
    let body = b"{\"event\":\"payment\",\"amount\":\"1234.56\"}\n";
    let out = checkout(&["sign", "--scheme", "etn", "--secret", "sec_live_x"], body);
    assert!(out.status.success());
    let expected = tool(
        "python3",
        &["-c", "import hmac,hashlib,sys;print(hmac.new(b'sec_live_x',sys.stdin.buffer.read(),hashlib.sha256).hexdigest())"],
        body,
    );
    assert_eq!(stdout(&out), String::from_utf8(expected).unwrap());
}

#[test]
fn sign_standard_prints_three_headers_that_verify() {
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let body = br#"{"test": 2432232314}"#;
    let out = checkout(
        &[
            "sign",
            "--scheme",
            "standard",
            "--secret",
            secret,
            "--id",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            "--timestamp",
            "1614265330",
        ],
        body,
    );
    assert_eq!(
        stdout(&out),
        "webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek\nwebhook-timestamp: 1614265330\nwebhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=\n"
    );
    let args = |now: &'static str| {
        vec![
            "verify",
            "--scheme",
            "standard",
            "--secret",
            secret,
            "--id",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            "--timestamp",
            "1614265330",
            "--signature",
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            "--now",
            now,
        ]
    };
    let ok = checkout(&args("1614265400"), body);
    assert_eq!(
        (ok.status.code(), stdout(&ok).as_str()),
        (Some(0), "valid\n")
    );
    let stale = checkout(&args("1614266000"), body);
    assert_eq!(stale.status.code(), Some(1));
    assert!(stderr(&stale).contains("old"), "{}", stderr(&stale));
}

#[test]
fn verify_reencode_accepts_a_pretty_printed_etn_test_webhook() {
    let pretty = b"{\n    \"event\": \"payment\",\n    \"payment_id\": \"7ce25b4dc0\",\n    \"amount\": 1234.56,\n    \"timestamp\": \"2018-06-11T11:02:31+01:00\",\n    \"customer\": \"customer@example.com\"\n}";
    // The dashboard signs the compact form, as PHP would encode it.
    let signature = String::from_utf8(tool(
        "php",
        &["-r", "echo hash_hmac('sha256', json_encode(json_decode(file_get_contents('php://stdin'), true)), 'sec_test');"],
        pretty,
    ))
    .unwrap();
    let plain = checkout(
        &[
            "verify",
            "--scheme",
            "etn",
            "--secret",
            "sec_test",
            "--signature",
            &signature,
        ],
        pretty,
    );
    assert_eq!(plain.status.code(), Some(1));
    assert!(stderr(&plain).contains("mismatch"));
    let reencoded = checkout(
        &[
            "verify",
            "--scheme",
            "etn",
            "--secret",
            "sec_test",
            "--signature",
            &signature,
            "--reencode",
        ],
        pretty,
    );
    assert_eq!(
        (reencoded.status.code(), stdout(&reencoded).as_str()),
        (Some(0), "valid\n")
    );
}

#[test]
fn sign_order_and_link_take_their_fields_from_flags() {
    let out = checkout(
        &[
            "sign",
            "--scheme",
            "order",
            "--secret",
            "app",
            "--order-id",
            "EX-SVUGY4KYEF",
            "--amount",
            "149.98",
        ],
        b"",
    );
    let expected = tool(
        "php",
        &[
            "-r",
            "echo hash_hmac('sha256', 'EX-SVUGY4KYEF' . '149.98', 'app'), \"\\n\";",
        ],
        b"",
    );
    assert_eq!(stdout(&out).as_bytes(), expected.as_slice());
    let out = checkout(
        &[
            "sign",
            "--scheme",
            "link",
            "--secret",
            "s",
            "--api-key",
            "k",
            "--order-id",
            "1",
            "--amount",
            "5.00",
        ],
        b"",
    );
    assert!(out.status.success());
    let verify = checkout(
        &[
            "verify",
            "--scheme",
            "link",
            "--secret",
            "s",
            "--api-key",
            "k",
            "--order-id",
            "1",
            "--amount",
            "5.00",
            "--signature",
            stdout(&out).trim(),
        ],
        b"",
    );
    assert_eq!(stdout(&verify), "valid\n");
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    for args in [
        &["sign", "--scheme", "nope", "--secret", "x"][..],
        &[
            "sign", "--scheme", "order", "--secret", "x", "--amount", "1",
        ],
        &[
            "sign",
            "--scheme",
            "etn",
            "--secret",
            "x",
            "--order-id",
            "1",
        ],
        &[
            "sign",
            "--scheme",
            "standard",
            "--secret",
            "not-whsec",
            "--id",
            "1",
            "--timestamp",
            "1",
        ],
        &[
            "verify",
            "--scheme",
            "gateway",
            "--secret",
            "x",
            "--signature",
            "y",
            "--reencode",
        ],
        &[
            "payment-string",
            "--outlet",
            "0abc123def456",
            "--amount",
            "1,00",
            "--currency",
            "EUR",
            "--rates",
            "/nonexistent",
        ],
        &["frobnicate"],
        &[],
    ] {
        let out = checkout(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            stderr(&out).trim_end().lines().count(),
            1,
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn payment_string_converts_and_enforces_the_cap() {
    let dir = std::env::temp_dir().join(format!("checkout-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rates = dir.join("rates.json");
    std::fs::write(&rates, r#"{"price_eur": "0.0021", "price_gbp": 0.0018}"#).unwrap();
    let rates = rates.to_str().unwrap();
    let out = checkout(
        &[
            "payment-string",
            "--outlet",
            "0abc123def456",
            "--amount",
            "9.95",
            "--currency",
            "GBP",
            "--rates",
            rates,
            "--payment-id",
            "7ce25b4dc0",
        ],
        b"",
    );
    assert_eq!(stdout(&out), "etn-it-0abc123def456/7ce25b4dc0/5527.78\n");
    let random = checkout(
        &[
            "payment-string",
            "--outlet",
            "0abc123def456",
            "--amount",
            "9.95",
            "--currency",
            "GBP",
            "--rates",
            rates,
        ],
        b"",
    );
    let random_id = stdout(&random).split('/').nth(1).unwrap().to_owned();
    assert_eq!(random_id.len(), 10);
    assert_ne!(random_id, "7ce25b4dc0");
    let capped = checkout(
        &[
            "payment-string",
            "--outlet",
            "0abc123def456",
            "--amount",
            "600",
            "--currency",
            "GBP",
            "--rates",
            rates,
        ],
        b"",
    );
    assert_eq!(capped.status.code(), Some(1));
    assert!(stderr(&capped).contains("€500"), "{}", stderr(&capped));
    let bad_outlet = checkout(
        &[
            "payment-string",
            "--outlet",
            "short",
            "--amount",
            "1",
            "--currency",
            "GBP",
            "--rates",
            rates,
        ],
        b"",
    );
    assert_eq!(bad_outlet.status.code(), Some(2));
    let no_rate = checkout(
        &[
            "payment-string",
            "--outlet",
            "0abc123def456",
            "--amount",
            "1",
            "--currency",
            "USD",
            "--rates",
            rates,
        ],
        b"",
    );
    assert_eq!(no_rate.status.code(), Some(1));
    assert!(stderr(&no_rate).contains("no ETN rate for USD"));
}

#[test]
fn qr_svg_renders_and_decodes_to_the_deep_link() {
    let out = checkout(
        &["qr", "--etn", "etn-it-0abc123def456/7ce25b4dc0/1234.56"],
        b"",
    );
    assert!(out.status.success());
    let png = tool(
        "rsvg-convert",
        &["--width", "400", "--format", "png"],
        &out.stdout,
    );
    let decoded = tool("zbarimg", &["--quiet", "--raw", "-Sbinary", "-"], &png);
    assert_eq!(
        String::from_utf8(decoded).unwrap().trim_end(),
        "https://link.electroneum.com/jWEpM5HcxP?vendor=etn-it-0abc123def456/7ce25b4dc0/1234.56"
    );
}

#[test]
fn qr_refuses_an_invalid_payment_string_and_prints_text_codes() {
    let bad = checkout(
        &["qr", "--etn", "etn-it-0abc123def456/7ce25b4dc0/1234.567"],
        b"",
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(bad.stdout.is_empty());
    assert!(stderr(&bad).contains("decimals"));
    let text = checkout(&["qr", "hello", "--format", "text"], b"");
    assert!(stdout(&text)
        .lines()
        .all(|l| l.chars().all(|c| " ▀▄█".contains(c))));
}

/// Standard Webhooks headers for `body`, made by the reference library (Python's
/// `standardwebhooks`): (webhook-id, webhook-timestamp, webhook-signature).
fn python_standard_headers(secret: &str, id: &str, body: &[u8]) -> (String, String, String) {
    let script = "import sys,time\nfrom standardwebhooks.webhooks import Webhook\nfrom datetime import datetime,timezone\nts=int(time.time())\nsig=Webhook(sys.argv[1]).sign(sys.argv[2], datetime.fromtimestamp(ts, tz=timezone.utc), sys.stdin.read())\nprint(ts)\nprint(sig)";
    let out = tool("python3", &["-c", script, secret, id], body);
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    let ts = lines.next().unwrap().to_owned();
    let sig = lines.next().unwrap().to_owned();
    (id.to_owned(), ts, sig)
}

/// Starts `checkout listen --once` on a free port; returns the child and the port.
fn listen(args: &[&str]) -> (std::process::Child, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let port_text = port.to_string();
    let mut all = vec!["listen", "--once", "--port", &port_text];
    all.extend_from_slice(args);
    let child = Command::new(env!("CARGO_BIN_EXE_checkout"))
        .args(&all)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it listens.
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    (child, port)
}

/// A raw HTTP/1.1 POST; the status line the listener answered.
fn post_raw(port: u16, headers: &[(&str, &str)], body: &[u8]) -> String {
    use std::io::Read;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut head = format!(
        "POST /hooks HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.lines().next().unwrap_or_default().to_owned()
}

const LISTEN_SECRET: &str = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

#[test]
fn listen_checks_every_signature_and_answers_the_chosen_status() {
    let body =
        br#"{"id":"evt_1","type":"session.paid","created_at":1,"sequence":2,"data":{"id":"cs_x"}}"#;
    let (id, ts, sig) = python_standard_headers(LISTEN_SECRET, "evt_1", body);
    let hex = String::from_utf8(tool(
        "python3",
        &["-c", "import hmac,hashlib,sys;print(hmac.new(sys.argv[1].encode(),sys.stdin.buffer.read(),hashlib.sha256).hexdigest(),end='')", LISTEN_SECRET],
        body,
    ))
    .unwrap();
    let (child, port) = listen(&["--secret", LISTEN_SECRET, "--status", "500"]);
    let status = post_raw(
        port,
        &[
            ("webhook-id", &id),
            ("webhook-timestamp", &ts),
            ("webhook-signature", &sig),
            ("x-webhook-signature", &hex),
            ("x-ecomtrade24-signature", &format!("sha256={hex}")),
        ],
        body,
    );
    assert!(status.contains("500"), "{status}");
    let out = child.wait_with_output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("webhook-signature (Standard Webhooks): valid"),
        "{text}"
    );
    assert!(text.contains("x-webhook-signature: valid"), "{text}");
    assert!(text.contains("x-ecomtrade24-signature: valid"), "{text}");
    assert!(text.contains("\"type\": \"session.paid\""), "{text}");
}

#[test]
fn listen_explains_a_body_that_was_re_serialised_on_its_way() {
    // Signed compactly, delivered pretty-printed (as a framework re-encodes it).
    let compact = br#"{"id":"evt_2","type":"session.paid","data":{"amount":"10.00"}}"#;
    let (id, ts, sig) = python_standard_headers(LISTEN_SECRET, "evt_2", compact);
    let hex = String::from_utf8(tool(
        "python3",
        &["-c", "import hmac,hashlib,sys;print(hmac.new(sys.argv[1].encode(),sys.stdin.buffer.read(),hashlib.sha256).hexdigest(),end='')", LISTEN_SECRET],
        compact,
    ))
    .unwrap();
    let pretty = serde_json::to_string_pretty(
        &serde_json::from_slice::<serde_json::Value>(compact).unwrap(),
    )
    .unwrap();
    let (child, port) = listen(&["--secret", LISTEN_SECRET]);
    post_raw(
        port,
        &[
            ("webhook-id", &id),
            ("webhook-timestamp", &ts),
            ("webhook-signature", &sig),
            ("x-webhook-signature", &hex),
        ],
        pretty.as_bytes(),
    );
    let out = child.wait_with_output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("webhook-signature (Standard Webhooks): INVALID"),
        "{text}"
    );
    assert!(text.contains("signed: \"evt_2."), "{text}");
    assert!(text.contains("sha256 of the body received"), "{text}");
    assert!(
        text.contains("sha256 of the body compact")
            && text.contains("<- the signature matches THIS form"),
        "{text}"
    );
}

#[test]
fn listen_checks_an_order_paid_body_signature_like_php() {
    let order_id = "EX-OAAAAAAAAAAAAAAAA";
    let signature = String::from_utf8(tool(
        "php",
        &[
            "-r",
            "echo hash_hmac('sha256', $argv[1] . $argv[2], $argv[3]);",
            "--",
            order_id,
            "149.98",
            LISTEN_SECRET,
        ],
        b"",
    ))
    .unwrap();
    let body = format!(
        r#"{{"event":"order.paid","order_id":"{order_id}","amount":"149.98","currency":"USD","status":"success","timestamp":1,"signature":"{signature}"}}"#
    );
    let (child, port) = listen(&["--secret", LISTEN_SECRET]);
    post_raw(port, &[], body.as_bytes());
    let text = stdout(&child.wait_with_output().unwrap());
    assert!(
        text.contains("order.paid signature (body): valid"),
        "{text}"
    );
}
