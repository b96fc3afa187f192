//! Every formula of the seeds, checked against independent implementations run
//! here: PHP's `hash_hmac` / `number_format` (the seeds' own language), Python's
//! `hmac`, and the Standard Webhooks reference library for Python.
//!
//! `cargo xtask test` installs php-cli and the Python package; run bare, these
//! tests fail with a message naming what is missing rather than pass vacuously.

use std::io::Write;
use std::process::{Command, Stdio};

use checkout_core::signature::{
    etn, forwarding, gateway, link, order, standard, SignatureError, Tolerance,
};
use checkout_core::time::UnixSeconds;
use checkout_core::{Currency, Money, Rates};

/// Runs a program with a script, feeding `stdin`, and returns its stdout.
fn oracle(program: &str, args: &[&str], stdin: &[u8]) -> String {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("the {program} oracle is not installed ({e}); run `cargo xtask test`")
        });
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{program} failed");
    String::from_utf8(out.stdout).unwrap()
}

fn php(code: &str, stdin: &[u8]) -> String {
    oracle("php", &["-r", code], stdin)
}

const SECRET: &str = "sec_live_zxyxwvutsrqponmlkjihgfedcba0987654321zxyxwvutsrqponmlkj";

fn etn_payload() -> Vec<u8> {
    br#"{"event":"payment","payment_id":"7ce25b4dc0","amount":1234.56,"key":"key_live_1234567890abcdefghijklm","timestamp":"2018-06-11T11:02:31+01:00","customer":"customer@example.com","ref":"1234567890abc"}"#.to_vec()
}

/// A 1 KiB body with every byte value, to show that signing covers raw bytes.
fn binary_body() -> Vec<u8> {
    (0..1024u32).map(|i| (i * 7 % 256) as u8).collect()
}

#[test]
fn etn_signature_matches_php_hash_hmac() {
    for body in [etn_payload(), binary_body(), Vec::new()] {
        let php_sig = oracle(
            "php",
            &[
                "-r",
                "echo hash_hmac('sha256', file_get_contents('php://stdin'), $argv[1]);",
                SECRET,
            ],
            &body,
        );
        assert_eq!(etn::sign(SECRET, &body), php_sig);
        assert_eq!(etn::verify(SECRET, &body, &php_sig), Ok(()));
        assert_eq!(etn::verify(SECRET, &body, &php_sig.to_uppercase()), Ok(()));
    }
}

#[test]
fn hex_schemes_match_python_hmac() {
    let body = binary_body();
    let py = oracle(
        "python3",
        &["-c", "import hmac,hashlib,sys;print(hmac.new(sys.argv[1].encode(),sys.stdin.buffer.read(),hashlib.sha256).hexdigest(),end='')", "whsec_c2VjcmV0LXNpZ25pbmcta2V5LWJ5dGVz"],
        &body,
    );
    assert_eq!(
        forwarding::sign("whsec_c2VjcmV0LXNpZ25pbmcta2V5LWJ5dGVz", &body),
        py
    );
    assert_eq!(
        gateway::sign("whsec_c2VjcmV0LXNpZ25pbmcta2V5LWJ5dGVz", &body),
        py
    );
    assert_eq!(
        forwarding::verify("whsec_c2VjcmV0LXNpZ25pbmcta2V5LWJ5dGVz", &body, &py),
        Ok(())
    );
}

#[test]
fn gateway_accepts_the_prefix_and_either_case_from_php() {
    let body = br#"{"event":"payment.succeeded","session_id":"cs_1","amount":"49.95","currency":"USD","reference":"ORDER-10001","timestamp":1777297199}"#;
    let secret = "gw_secret_123";
    let sig = oracle(
        "php",
        &[
            "-r",
            "echo hash_hmac('sha256', file_get_contents('php://stdin'), $argv[1]);",
            secret,
        ],
        body,
    );
    for header in [
        sig.clone(),
        format!("sha256={sig}"),
        format!("SHA256={}", sig.to_uppercase()),
        format!("  sha256={sig} "),
    ] {
        assert_eq!(gateway::verify(secret, body, &header), Ok(()), "{header}");
    }
    assert_eq!(
        gateway::verify(secret, body, "sha256="),
        Err(SignatureError::Malformed)
    );
    assert_eq!(
        gateway::verify(secret, body, ""),
        Err(SignatureError::Missing)
    );
    assert_eq!(
        gateway::verify(secret, body, &sig[..63]),
        Err(SignatureError::Malformed)
    );
    assert_eq!(
        gateway::verify(secret, body, &format!("{}g", &sig[..63])),
        Err(SignatureError::Malformed)
    );
    let mut wrong = sig.into_bytes();
    wrong[0] = if wrong[0] == b'0' { b'1' } else { b'0' };
    assert_eq!(
        gateway::verify(secret, body, std::str::from_utf8(&wrong).unwrap()),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        gateway::verify("other secret", body, &gateway::sign(secret, body)),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn order_signature_matches_the_seed_php_formula_on_the_exact_amount_text() {
    let app_key = "whsec_YXBwLWtleS1mb3ItZXdhbGxldC1vcmRlcnM=";
    for (order_id, amount) in [
        ("EX-SVUGY4KYEF", "149.98"),
        ("EX-OAAMVPLML", "150.00"),
        ("EX-OAAMVPLML", "150"),
    ] {
        let expected = oracle(
            "php",
            &[
                "-r",
                "echo hash_hmac('sha256', $argv[1] . $argv[2], $argv[3]);",
                order_id,
                amount,
                app_key,
            ],
            b"",
        );
        assert_eq!(order::sign(app_key, order_id, amount), expected);
        assert_eq!(order::verify(app_key, order_id, amount, &expected), Ok(()));
    }
    // "150.00" and "150" are different amounts to a signature.
    assert_ne!(
        order::sign(app_key, "EX-1", "150.00"),
        order::sign(app_key, "EX-1", "150")
    );
}

#[test]
fn link_secret_matches_the_seed_php_code() {
    let script = "$secretString = $argv[1] . ':::' . $argv[2] . ':::' . $argv[3];\
        $hashDigest = hash('sha256', $secretString, true);\
        $hmacDigest = hash_hmac('sha512', $hashDigest, $argv[4], true);\
        echo base64_encode($hmacDigest);";
    for (amount, order_id, api_key, api_secret) in [
        (
            "100.00",
            "pl_9f8e7d6c5b",
            "kw_api_key_123",
            "kw_api_secret_456",
        ),
        ("49.95", "123456", "XXXXXXXXXX", "s3cr3t"),
    ] {
        let expected = oracle(
            "php",
            &["-r", script, amount, order_id, api_key, api_secret],
            b"",
        );
        assert_eq!(link::sign(api_secret, api_key, order_id, amount), expected);
        assert_eq!(
            link::verify(api_secret, api_key, order_id, amount, &expected),
            Ok(())
        );
        assert_eq!(
            link::verify(api_secret, api_key, order_id, "100.0", &expected),
            Err(SignatureError::Mismatch)
        );
    }
    assert_eq!(
        link::verify("s", "k", "o", "1", "not base64!"),
        Err(SignatureError::Malformed)
    );
    assert_eq!(
        link::verify("s", "k", "o", "1", "YWJj"),
        Err(SignatureError::Malformed)
    );
}

#[test]
fn standard_webhooks_interoperate_with_the_reference_library() {
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let key = standard::Secret::parse(secret).unwrap();
    let body = br#"{"type":"checkout.session.paid","data":{"id":"cs_123","amount":"149.98"}}"#;
    let (id, ts) = ("msg_2b9Pj1T8n0", 1_777_297_199_i64);
    // Theirs signs, ours verifies.
    let theirs = oracle(
        "python3",
        &["-c", "import sys,datetime;from standardwebhooks import Webhook;\
            print(Webhook(sys.argv[1]).sign(sys.argv[2], datetime.datetime.fromtimestamp(int(sys.argv[3]), tz=datetime.timezone.utc), sys.stdin.read()), end='')",
            secret, id, &ts.to_string()],
        body,
    );
    assert_eq!(
        standard::verify(
            &key,
            id,
            &ts.to_string(),
            &theirs,
            body,
            UnixSeconds(ts).plus(10),
            Tolerance::DEFAULT
        ),
        Ok(())
    );
    // Ours signs, theirs verifies (with the clock at `ts`: the library checks it too).
    let ours = standard::sign(&key, id, UnixSeconds(ts), body);
    assert_eq!(ours, theirs);
    let verdict = oracle(
        "python3",
        &["-c", "import sys,json;from unittest import mock;import standardwebhooks.webhooks as w;\
            from standardwebhooks import Webhook;\
            body=sys.stdin.read();\
            fake=mock.patch.object(w,'datetime',wraps=w.datetime);\
            m=fake.start();m.now=lambda tz=None: w.datetime.fromtimestamp(int(sys.argv[3]),tz=w.timezone.utc);\
            Webhook(sys.argv[1]).verify(body,{'webhook-id':sys.argv[2],'webhook-timestamp':sys.argv[3],'webhook-signature':sys.argv[4]});print('ok',end='')",
            secret, id, &ts.to_string(), &ours],
        body,
    );
    assert_eq!(verdict, "ok");
}

#[test]
fn fiat_to_etn_matches_php_number_format_at_halfway_cases() {
    let cases = [
        ("0.05", "2"),
        ("0.07", "2"),
        ("0.01", "2"),
        ("1", "8"),
        ("3", "8"),
        ("9.95", "0.0018"),
        ("10.00", "0.0025"),
        ("1.25", "0.5"),
        ("2.675", "1"),
        ("0.125", "1"),
        ("100", "0.0032"),
        ("49.95", "0.00212"),
        ("123.45", "0.004"),
    ];
    let rates_json = |rate: &str| format!(r#"{{"price_eur": "0.00001", "price_kwd": "{rate}"}}"#);
    for (amount, rate) in cases {
        let expected = oracle(
            "php",
            &[
                "-r",
                "echo number_format(floatval($argv[1]) / floatval($argv[2]), 2, '.', '');",
                amount,
                rate,
            ],
            b"",
        );
        let rates = Rates::parse(&rates_json(rate)).unwrap();
        let price = Money::parse(amount, Currency::from_code("KWD").unwrap()).unwrap();
        assert_eq!(
            rates.to_etn(&price).unwrap().to_string(),
            expected,
            "{amount} / {rate}"
        );
    }
}

#[test]
fn reencoding_matches_php_json_encode() {
    let pretty = "{\n    \"event\": \"payment\",\n    \"payment_id\": \"7ce25b4dc0\",\n    \"amount\": 1234.50,\n    \"key\": \"key_live_1234567890abcdefghijklm\",\n    \"timestamp\": \"2018-06-11T11:02:31+01:00\",\n    \"customer\": \"zoë/customer@example.com\",\n    \"ref\": \"1234567890abc\",\n    \"n\": 7,\n    \"whole\": 2.0\n}";
    let expected = php(
        "echo json_encode(json_decode(file_get_contents('php://stdin'), true));",
        pretty.as_bytes(),
    );
    assert_eq!(etn::reencode_like_php(pretty).unwrap(), expected);
}
