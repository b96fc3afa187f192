//! What shoppers and the widget see: the public session view and the hosted page.

use checkout_api::endpoint::{GET_BRAND, PUT_BRAND};
use checkout_e2e::{call, get, merchant, post, request, unique};
use serde_json::json;

fn session(key: &str) -> serde_json::Value {
    let res = post(
        "/v1/sessions",
        key,
        &json!({
            "amount": "10.00", "currency": "EUR", "order_id": format!("P-{}", unique()),
            "customer_email": "private@example.com",
            "customer": {"name": "Inga", "surname": "Berzina", "phone": "+3712000000"},
            "return_url": "https://shop.example/thanks", "cancel_url": "https://shop.example/cart",
        }),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()
}

#[test]
fn the_public_view_has_no_secrets_or_customer_data_and_is_cors_open() {
    let m = merchant("hosted_checkout");
    let s = session(&m.key);
    let id = s["id"].as_str().unwrap();
    let res = get(&format!("/v1/sessions/{id}/public"), None);
    assert_eq!(res.status, 200);
    assert_eq!(res.header("access-control-allow-origin"), "*");
    let v = res.json();
    assert_eq!(v["status"], "pending");
    assert_eq!(v["etn_amount"], "5000.00");
    assert_eq!(v["payment_string"], s["payment_string"]);
    assert_eq!(v["merchant_name"], "Test Shop <b>&</b>");
    for private in [
        "private@example.com",
        "Inga",
        "Berzina",
        "+3712000000",
        "sec_live",
        "key_live",
        "whsec_",
        "gw-secret",
    ] {
        assert!(
            !res.text.contains(private),
            "{private} leaked into {}",
            res.text
        );
    }
    // Not paid yet: no return URL to jump to.
    assert!(v["return_url"].is_null());
}

#[test]
fn the_public_view_supports_conditional_requests() {
    let m = merchant("hosted_checkout");
    let id = session(&m.key)["id"].as_str().unwrap().to_owned();
    let first = get(&format!("/v1/sessions/{id}/public"), None);
    let etag = first.header("etag");
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
    let again = request(
        "GET",
        &format!("/v1/sessions/{id}/public"),
        &[("If-None-Match", &etag)],
        None,
    );
    assert_eq!(again.status, 304);
    assert!(again.text.is_empty());
    assert_eq!(again.header("access-control-allow-origin"), "*");
    // A change of state changes the ETag.
    post(&format!("/v1/sessions/{id}/cancel"), &m.key, &json!({}));
    let after = request(
        "GET",
        &format!("/v1/sessions/{id}/public"),
        &[("If-None-Match", &etag)],
        None,
    );
    assert_eq!(after.status, 200);
    assert_eq!(after.json()["status"], "cancelled");
    let preflight = request(
        "OPTIONS",
        &format!("/v1/sessions/{id}/public"),
        &[("Origin", "https://elsewhere.example")],
        None,
    );
    assert_eq!(
        (
            preflight.status,
            preflight.header("access-control-allow-origin").as_str()
        ),
        (204, "*")
    );
    assert_eq!(
        get("/v1/sessions/cs_aaaaaaaaaaaaaaaaaaaaaaaa/public", None).status,
        404
    );
}

#[test]
fn the_hosted_page_shows_merchant_amounts_qr_and_cancel_link_escaped() {
    let m = merchant("hosted_checkout");
    let s = session(&m.key);
    let page = get(&format!("/pay/{}", s["id"].as_str().unwrap()), None);
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").starts_with("text/html"));
    let html = page.text;
    assert!(
        html.contains("Test Shop &lt;b&gt;&amp;&lt;/b&gt;"),
        "merchant name must be escaped"
    );
    assert!(!html.contains("<b>&</b>"));
    assert!(
        html.contains("€10.00") && html.contains("ETN\u{a0}5,000.00"),
        "{html}"
    );
    assert!(html.contains("<svg role=\"img\""));
    assert!(html.contains(&format!("href=\"{}\"", s["deep_link"].as_str().unwrap())));
    assert!(html.contains("href=\"https://shop.example/cart\""));
    assert!(!html.contains("private@example.com"));
    // The rule that keeps the widget's place is the page's own CSS, in the
    // head (a `<style>` in the body is not valid HTML).
    assert!(css_of(&html).contains(".widget:not([data-edge-checkout-shown]){min-height:32rem}"));
    let missing = get("/pay/cs_aaaaaaaaaaaaaaaaaaaaaaaa", None);
    assert_eq!(missing.status, 404);
    assert!(missing.text.contains("Checkout not found"));
}

/// A page's CSS: its one `<style>`, which must be in the head.
fn css_of(html: &str) -> &str {
    assert_eq!(html.matches("<style>").count(), 1, "one <style>: {html}");
    let (head, _) = html.split_once("</head>").expect("a head");
    let (_, css) = head.split_once("<style>").expect("the <style> in the head");
    css.split_once("</style>").expect("a closed <style>").0
}

/// The page in one language, as a browser asking with `accept` gets it.
fn page_in(path: &str, accept: &str) -> checkout_e2e::Reply {
    let res = request("GET", path, &[("Accept-Language", accept)], None);
    assert_eq!(res.status, 200, "{}", res.text);
    res
}

/// The gzip size of a text, by Python's gzip (level 9, as a CDN would).
fn gzip_size(text: &str) -> usize {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("python3")
        .args([
            "-c",
            "import gzip,sys;print(len(gzip.compress(sys.stdin.buffer.read(),9)))",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 is installed");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn the_page_speaks_one_language_chosen_by_lang_then_locale_then_the_browser() {
    let m = merchant("hosted_checkout");
    let id = session(&m.key)["id"].as_str().unwrap().to_owned();
    let path = format!("/pay/{id}");
    // The browser's language: every word of the page, the prices, the widget.
    let de = page_in(&path, "de-DE,de;q=0.9,en;q=0.8");
    assert!(de
        .text
        .starts_with("<!doctype html><html lang=\"de\" dir=\"ltr\">"));
    assert_eq!(de.header("content-language"), "de");
    assert!(de.header("vary").contains("Accept-Language"));
    for words in [
        "10,00\u{a0}€",
        "5.000,00\u{a0}ETN",
        "Testmodus",
        "Zahlung simulieren",
        "Abbrechen und zurück zu",
        "Warte auf Zahlung",
        "data-etn-lang=\"de\"",
    ] {
        assert!(de.text.contains(words), "{words} not in {}", de.text);
    }
    for english in [
        "Simulate payment",
        "Cancel and return",
        "Waiting for payment",
        "test mode",
    ] {
        assert!(!de.text.contains(english), "{english} on the German page");
    }
    // ?lang= wins over the browser; an unknown one is ignored.
    let ja = page_in(&format!("{path}?lang=ja"), "de");
    assert!(ja.text.contains("<html lang=\"ja\" dir=\"ltr\">"));
    assert!(ja.text.contains("€10.00"), "{}", ja.text);
    let unknown = page_in(&format!("{path}?lang=xx"), "fr-CH, en;q=0.5");
    assert!(unknown.text.contains("<html lang=\"fr\""));
    // Nothing the page knows: English.
    let en = page_in(&path, "xx-YY");
    assert!(en.text.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(en.text.contains("€10.00") && en.text.contains("ETN\u{a0}5,000.00"));
    // The page links to the page of every language, in its own; there every
    // language has a link to the checkout in it, named in itself.
    assert!(
        en.text.contains(&format!(
            "<a href=\"{path}/languages?lang=en\">Language</a>"
        )),
        "{}",
        en.text
    );
    let languages = page_in(&format!("{path}/languages?lang=de"), "fr");
    assert_eq!(languages.status, 200);
    assert!(languages.text.contains("<html lang=\"de\" dir=\"ltr\">"));
    assert!(
        languages.text.contains("<h1>Sprache</h1>"),
        "{}",
        languages.text
    );
    for (tag, name) in [
        ("ja", "日本語"),
        ("ur", "اردو"),
        ("pt-BR", "Português (Brasil)"),
    ] {
        assert!(
            languages.text.contains(&format!(
                "<a href=\"{path}?lang={tag}\" lang=\"{tag}\" hreflang=\"{tag}\">{name}</a>"
            )),
            "{tag}"
        );
    }
    // The one it speaks is marked, and leads back unchanged.
    assert!(languages.text.contains(&format!(
        "<a href=\"{path}?lang=de\" lang=\"de\" hreflang=\"de\" aria-current=\"true\">Deutsch</a>"
    )));
    // An unknown session has no such page.
    let unknown_languages = request(
        "GET",
        "/pay/cs_test_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/languages",
        &[("Accept-Language", "de")],
        None,
    );
    assert_eq!(unknown_languages.status, 404, "{}", unknown_languages.text);
    // A locale given at creation, over the browser's; right to left for Urdu.
    let res = post(
        "/v1/sessions",
        &m.key,
        &json!({"amount": "10.00", "currency": "EUR", "locale": "ur"}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.json()["locale"], "ur");
    let ur = page_in(
        &format!("/pay/{}", res.json()["id"].as_str().unwrap()),
        "de",
    );
    assert!(
        ur.text.contains("<html lang=\"ur\" dir=\"rtl\">"),
        "{}",
        ur.text
    );
    // The not-found page too.
    let missing = request(
        "GET",
        "/pay/cs_aaaaaaaaaaaaaaaaaaaaaaaa",
        &[("Accept-Language", "es")],
        None,
    );
    assert_eq!(missing.status, 404);
    assert!(missing.text.contains("<html lang=\"es\""));
    assert!(
        !missing.text.contains("Checkout not found"),
        "{}",
        missing.text
    );
}

#[test]
fn a_locale_the_checkout_does_not_speak_is_refused_naming_the_field() {
    let m = merchant("hosted_checkout");
    for bad in [
        "xx",
        "",
        "de_DE_XX_extra_too_long_for_any_tag_at_all",
        "<b>",
    ] {
        let res = post(
            "/v1/sessions",
            &m.key,
            &json!({"amount": "10.00", "currency": "EUR", "locale": bad}),
        );
        assert_eq!(
            (res.status, res.code().as_str(), res.field().as_str()),
            (422, "locale_unsupported", "locale"),
            "{bad:?}: {}",
            res.text
        );
    }
    // Spellings of a known language are kept as its tag.
    let res = post(
        "/v1/sessions",
        &m.key,
        &json!({"amount": "10.00", "currency": "EUR", "locale": "pt_br"}),
    );
    assert_eq!(res.json()["locale"], "pt-BR", "{}", res.text);
}

#[test]
fn the_page_shows_what_is_bought_and_once_paid_the_receipt() {
    let m = merchant("hosted_checkout");
    let order = format!("ORD-{}", unique());
    let res = post(
        "/v1/sessions",
        &m.key,
        &json!({
            "amount": "249.90", "currency": "GBP", "order_id": order,
            "items": [
                {"name": "Walnut desk <oak>", "price": "200.00", "quantity": 1},
                {"name": "Cable tray", "price": "24.975", "quantity": 2},
            ],
        }),
    );
    // 24.975 has three decimals: GBP has two.
    assert_eq!(res.status, 422, "{}", res.text);
    let res = post(
        "/v1/sessions",
        &m.key,
        &json!({
            "amount": "249.90", "currency": "GBP", "order_id": order,
            "items": [
                {"name": "Walnut desk <oak>", "price": "200.00", "quantity": 1},
                {"name": "Cable tray", "price": "24.95", "quantity": 2},
            ],
            "return_url": "https://shop.example/thanks",
        }),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let de = page_in(&format!("/pay/{id}"), "de");
    for words in [
        "Walnut desk &lt;oak&gt;",
        "200,00\u{a0}£",
        "×\u{a0}2",
        "49,90\u{a0}£",
        "249,90\u{a0}£",
        &order,
    ] {
        assert!(de.text.contains(words), "{words} not in {}", de.text);
    }
    assert!(
        !de.text.contains("receipt.pdf"),
        "no receipt before it is paid"
    );
    let early = get(&format!("/pay/{id}/receipt.pdf"), None);
    assert_eq!(
        (early.status, early.code().as_str()),
        (409, "receipt_unavailable")
    );
    let paid = request(
        "POST",
        &format!("/v1/sessions/{id}/sandbox?scenario=payment"),
        &[],
        None,
    );
    assert_eq!(paid.status, 200, "{}", paid.text);
    let after = page_in(&format!("/pay/{id}"), "en");
    assert!(after
        .text
        .contains(&format!("href=\"/pay/{id}/receipt.pdf\"")));
    assert!(after.text.contains("Return to Test Shop"), "{}", after.text);
    let pdf = get(&format!("/pay/{id}/receipt.pdf"), None);
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("content-type"), "application/pdf");
    assert!(pdf.header("content-disposition").contains(".pdf"));
    assert_eq!(
        get("/pay/cs_aaaaaaaaaaaaaaaaaaaaaaaa/receipt.pdf", None).status,
        404
    );
}

/// The page's HTML, CSS and QR code fit in the first round trip (14 KB
/// gzip), in every language, with twenty items.
#[test]
fn the_page_fits_the_first_round_trip_in_every_language() {
    let m = merchant("hosted_checkout");
    let items: Vec<_> = (0..20)
        .map(|i| json!({"name": format!("Item number {i} with a longer name"), "price": "1.00", "quantity": 1}))
        .collect();
    let res = post(
        "/v1/sessions",
        &m.key,
        &json!({"amount": "20.00", "currency": "EUR", "order_id": format!("O-{}", unique()),
                "items": items, "cancel_url": "https://shop.example/cart"}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let languages = get(&format!("/pay/{id}/languages"), None).text;
    let mut largest = (0, String::new());
    for tag in languages
        .split("hreflang=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .chain(["en"])
    {
        let page = get(&format!("/pay/{id}?lang={tag}"), None);
        assert_eq!(page.status, 200);
        let size = gzip_size(&page.text);
        if size > largest.0 {
            largest = (size, tag.to_owned());
        }
    }
    assert!(largest.0 > 0);
    assert!(
        largest.0 <= 14 * 1024,
        "the {} page is {} bytes gzip",
        largest.1,
        largest.0
    );
    println!(
        "largest hosted page: {} bytes gzip ({})",
        largest.0, largest.1
    );
}

#[test]
fn the_brand_names_colours_and_shows_the_logo_and_bad_values_are_refused_by_field() {
    let m = merchant("hosted_checkout");
    let put = |key: &str, body: serde_json::Value| call(PUT_BRAND, &[], Some(key), Some(&body));
    for (body, field, code) in [
        (
            json!({"accent_color": "#ffff00"}),
            "accent_color",
            "color_contrast_too_low",
        ),
        (
            json!({"accent_color": "#777777"}),
            "accent_color",
            "color_contrast_too_low",
        ),
        (
            json!({"accent_color": "blue"}),
            "accent_color",
            "color_invalid",
        ),
        (
            json!({"logo_url": "http://cdn.example.com/logo.png"}),
            "logo_url",
            "url_not_https",
        ),
        (
            json!({"logo_url": "https://10.0.0.1/logo.png"}),
            "logo_url",
            "url_not_public",
        ),
        (
            json!({"logo_url": "javascript:alert(1)"}),
            "logo_url",
            "url_invalid",
        ),
        (
            json!({"display_name": "x".repeat(81)}),
            "display_name",
            "too_long",
        ),
    ] {
        let res = put(&m.key, body.clone());
        assert_eq!(
            (res.status, res.field().as_str(), res.code().as_str()),
            (422, field, code),
            "{body}: {}",
            res.text
        );
    }
    let res = put(
        &m.key,
        json!({"display_name": "Nordic Oak", "logo_url": "https://cdn.nordic-oak.example/logo.png", "accent_color": "#1B5E20"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["accent_color"], "#1b5e20");
    assert_eq!(call(GET_BRAND, &[], Some(&m.key), None).json(), res.json());
    let id = session(&m.key)["id"].as_str().unwrap().to_owned();
    let page = get(&format!("/pay/{id}"), None);
    assert!(page.text.contains("<h1>Nordic Oak"), "{}", page.text);
    assert!(page.text.contains(
        "<img class=\"logo\" src=\"https://cdn.nordic-oak.example/logo.png\" alt=\"Nordic Oak\""
    ));
    assert!(css_of(&page.text).contains(".pay{background:#1b5e20}"));
    let csp = page.header("content-security-policy");
    assert!(
        csp.contains("img-src 'self' data: https://cdn.nordic-oak.example;"),
        "{csp}"
    );
    // Test's brand is not live's: a test key cannot dress the live checkout.
    let live = checkout_e2e::issue_key(&m.id, "live");
    let live_id = session(&live)["id"].as_str().unwrap().to_owned();
    let live_page = get(&format!("/pay/{live_id}"), None);
    assert!(!live_page.text.contains("Nordic Oak"));
    assert!(!live_page
        .header("content-security-policy")
        .contains("nordic-oak"));
    // The admin sets both.
    let admin = request(
        "PUT",
        &format!("/v1/admin/merchants/{}/brand", m.id),
        &[
            (
                "Authorization",
                &format!("Bearer {}", checkout_e2e::admin_key()),
            ),
            ("Content-Type", "application/json"),
        ],
        Some(
            json!({"display_name": "Nordic Oak Ltd"})
                .to_string()
                .as_bytes(),
        ),
    );
    assert_eq!(admin.status, 200, "{}", admin.text);
    assert!(get(&format!("/pay/{live_id}"), None)
        .text
        .contains("<h1>Nordic Oak Ltd"));
}

#[test]
fn an_uploaded_logo_is_checked_by_its_bytes_and_served_as_an_image_only() {
    let m = merchant("hosted_checkout");
    let upload = |body: &[u8], content_type: &str| {
        request(
            "PUT",
            "/v1/brand/logo",
            &[
                ("Authorization", &format!("Bearer {}", m.key)),
                ("Content-Type", content_type),
            ],
            Some(body),
        )
    };
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
    for (body, claimed, status, code) in [
        (&svg[..], "image/svg+xml", 415, "logo_type_unsupported"),
        (&svg[..], "image/png", 415, "logo_type_unsupported"),
        (
            &b"<html><script>alert(1)</script>"[..],
            "image/png",
            415,
            "logo_type_unsupported",
        ),
    ] {
        let res = upload(body, claimed);
        assert_eq!(
            (res.status, res.code().as_str(), res.field().as_str()),
            (status, code, "logo"),
            "{}",
            res.text
        );
    }
    let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
    big.resize(50 * 1024, 0);
    let res = upload(&big, "image/png");
    assert_eq!(
        (res.status, res.code().as_str()),
        (413, "logo_too_large"),
        "{}",
        res.text
    );
    // A PNG (a 1x1 one): stored, shown on the page, served as itself.
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xff\xff?\0\x05\xfe\x02\xfe\xa7\x35\x81\x84\0\0\0\0IEND\xaeB`\x82";
    let res = upload(png, "application/octet-stream");
    assert_eq!(res.status, 200, "{}", res.text);
    let version = res.json()["logo_version"].as_str().unwrap().to_owned();
    let id = session(&m.key)["id"].as_str().unwrap().to_owned();
    let page = get(&format!("/pay/{id}"), None);
    let src = format!("/pay/{id}/logo?v={version}");
    assert!(
        page.text.contains(&format!("src=\"{src}\"")),
        "{}",
        page.text
    );
    let image = get(&src, None);
    assert_eq!(image.status, 200);
    assert_eq!(image.header("content-type"), "image/png");
    assert_eq!(image.header("x-content-type-options"), "nosniff");
    assert!(image.header("content-security-policy").contains("sandbox"));
    // Removed: no logo, a 404.
    let gone = request(
        "DELETE",
        "/v1/brand/logo",
        &[("Authorization", &format!("Bearer {}", m.key))],
        None,
    );
    assert_eq!(gone.status, 200, "{}", gone.text);
    assert!(gone.json()["logo_version"].is_null());
    assert_eq!(get(&src, None).status, 404);
    assert!(!get(&format!("/pay/{id}"), None).text.contains("/logo?v="));
}
