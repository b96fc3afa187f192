//! Criterion benchmarks of core, with peer crates measured in the same run.
//! `cargo xtask bench` runs them and prints ours/peer ratios.

use std::hint::black_box;

use checkout_core::qr::Qr;
use checkout_core::signature::{etn, forwarding, gateway, link, order, standard, Tolerance};
use checkout_core::time::UnixSeconds;
use checkout_core::{Currency, Money, PaymentString, Rates};
use criterion::{criterion_group, criterion_main, Criterion};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const DEEP_LINK: &str =
    "https://link.electroneum.com/jWEpM5HcxP?vendor=etn-it-0abc123def456/7ce25b4dc0/1234.56";

fn body() -> Vec<u8> {
    let mut body =
        br#"{"event":"payment","payment_id":"7ce25b4dc0","amount":"1234.56","pad":""#.to_vec();
    body.resize(1022, b'x');
    body.extend_from_slice(b"\"}");
    body
}

fn verify(c: &mut Criterion) {
    let body = body();
    let mut g = c.benchmark_group("verify");
    let sig = etn::sign("sec", &body);
    g.bench_function("etn", |b| {
        b.iter(|| etn::verify("sec", black_box(&body), black_box(&sig)))
    });
    let sig = format!("sha256={}", gateway::sign("sec", &body));
    g.bench_function("gateway", |b| {
        b.iter(|| gateway::verify("sec", black_box(&body), black_box(&sig)))
    });
    let sig = forwarding::sign("sec", &body);
    g.bench_function("forwarding", |b| {
        b.iter(|| forwarding::verify("sec", black_box(&body), black_box(&sig)))
    });
    let sig = order::sign("app", "EX-SVUGY4KYEF", "149.98");
    g.bench_function("order", |b| {
        b.iter(|| order::verify("app", black_box("EX-SVUGY4KYEF"), "149.98", black_box(&sig)))
    });
    let sig = link::sign("sec", "key", "pl_1", "149.98");
    g.bench_function("link", |b| {
        b.iter(|| link::verify("sec", "key", black_box("pl_1"), "149.98", black_box(&sig)))
    });

    let ts = UnixSeconds(1_777_297_199);
    let key = standard::Secret::parse(SECRET).unwrap();
    let sig = standard::sign(&key, "msg_1", ts, &body);
    g.bench_function("standard", |b| {
        b.iter(|| {
            standard::verify(
                &key,
                "msg_1",
                "1777297199",
                black_box(&sig),
                black_box(&body),
                ts,
                Tolerance::DEFAULT,
            )
        })
    });
    // The peer checks its timestamp against the real clock: sign "now" for it.
    let peer = standardwebhooks::Webhook::new(SECRET).unwrap();
    let now = UnixSeconds(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64,
    );
    let sig = standard::sign(&key, "msg_1", now, &body);
    let mut headers = http::HeaderMap::new();
    headers.insert("webhook-id", "msg_1".parse().unwrap());
    headers.insert("webhook-timestamp", now.0.to_string().parse().unwrap());
    headers.insert("webhook-signature", sig.parse().unwrap());
    g.bench_function("standardwebhooks crate", |b| {
        b.iter(|| peer.verify(black_box(&body), black_box(&headers)).unwrap())
    });
    g.finish();
}

fn qr(c: &mut Criterion) {
    let mut g = c.benchmark_group("qr");
    g.bench_function("checkout-core", |b| {
        b.iter(|| Qr::encode(black_box(DEEP_LINK)).unwrap().to_svg())
    });
    g.bench_function("fast_qr crate", |b| {
        b.iter(|| {
            let code = fast_qr::QRBuilder::new(black_box(DEEP_LINK))
                .ecl(fast_qr::ECL::M)
                .build()
                .unwrap();
            fast_qr::convert::svg::SvgBuilder::default().to_str(&code)
        })
    });
    g.finish();
}

fn parse_and_convert(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    g.bench_function("payment string", |b| {
        b.iter(|| {
            black_box("etn-it-0abc123def456/7ce25b4dc0/1234.56")
                .parse::<PaymentString>()
                .unwrap()
        })
    });
    g.finish();
    let rates =
        Rates::parse(r#"{"price_eur": "0.0021", "price_gbp": 0.0018, "price_usd": "0.0024"}"#)
            .unwrap();
    let price = Money::parse("9.95", Currency::from_code("GBP").unwrap()).unwrap();
    let mut g = c.benchmark_group("convert");
    g.bench_function("fiat to etn", |b| {
        b.iter(|| rates.to_etn(black_box(&price)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, verify, qr, parse_and_convert);
criterion_main!(benches);
