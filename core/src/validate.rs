//! Field validation shared by every dialect: URLs, emails, domains, countries,
//! free text. Each failure names its field and a stable code, so that an API can
//! answer `{"error": {"code", "message", "field"}}` without guessing.

use core::fmt;

/// A request field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field as the client wrote it (`"customer_details.email"`).
    pub field: String,
    /// A stable machine-readable code (`"url_not_https"`).
    pub code: &'static str,
    /// A sentence for the developer reading the response.
    pub message: String,
}

impl FieldError {
    /// A new error for `field`.
    pub fn new(
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> FieldError {
        FieldError {
            field: field.into(),
            code,
            message: message.into(),
        }
    }

    /// The field is required and absent (or empty).
    pub fn missing(field: &str) -> FieldError {
        FieldError::new(field, "missing_field", format!("{field} is required"))
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

/// Where the URLs merchants give (return, cancel and webhook URLs) may point.
///
/// One policy for every URL a merchant gives, because the worker fetches some of
/// them (webhooks): https to a public host only. Hosts are read the way `fetch()`
/// reads them (the WHATWG URL standard, via the `url` crate), so an address in
/// another spelling (`0x7f.1`, `2130706433`, `0177.0.0.1`, `[::ffff:7f00:1]`) is
/// refused like the dotted one. Workers have no DNS API, so a public name that
/// resolves to a private address cannot be caught here; Cloudflare's edge does
/// not route to private networks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlPolicy {
    /// https to a public host only.
    HttpsOnly,
    /// Local development: also `http://localhost` and `http://127.0.0.1` (with any
    /// port), in exactly those spellings, so that tests can use a loopback server.
    AllowLocalHttp,
}

const MAX_URL: usize = 2048;

/// Checks a merchant-supplied URL: absolute, https to a public host (see
/// [`UrlPolicy`]), no credentials, no whitespace.
///
/// Codes: `missing_field`, `too_long`, `url_invalid` (not an absolute http(s)
/// URL, credentials, a malformed host), `url_not_https`, `url_not_public`
/// (loopback, private, link-local, CGNAT, ULA and other non-public addresses;
/// The largest integer a JavaScript number (and so a Worker's SQLite binding,
/// or a browser reading our JSON) holds exactly: 2^53 - 1. Integers a client
/// sends are refused above it, as a 4xx naming the field, before they reach
/// storage.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// The last second of year 9999: the largest instant a request may name.
pub const MAX_UNIX_SECONDS: i64 = 253_402_300_799;

/// `localhost`, `.local`, `.internal`, single-label names).
pub fn url(field: &str, value: &str, policy: UrlPolicy) -> Result<(), FieldError> {
    let bad = |code, message: &str| Err(FieldError::new(field, code, message.to_owned()));
    if value.is_empty() {
        return Err(FieldError::missing(field));
    }
    if value.len() > MAX_URL {
        return bad("too_long", "URL is longer than 2048 characters");
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad(
            "url_invalid",
            "URL must not contain spaces or control characters",
        );
    }
    if policy == UrlPolicy::AllowLocalHttp && is_local_dev_url(value) {
        return Ok(());
    }
    let Ok(parsed) = url::Url::parse(value) else {
        return bad(
            "url_invalid",
            "URL must be absolute, like https://shop.example/thanks",
        );
    };
    match parsed.scheme() {
        "https" => {}
        "http" => return bad("url_not_https", "URL must use https"),
        _ => return bad("url_invalid", "URL must use https"),
    }
    let authority = value.split_once("://").map_or("", |(_, rest)| {
        rest.split(['/', '?', '#', '\\']).next().unwrap_or("")
    });
    if authority.is_empty() {
        return bad("url_invalid", "URL has no host");
    }
    if authority.contains('@') || !parsed.username().is_empty() || parsed.password().is_some() {
        return bad("url_invalid", "URL must not contain credentials");
    }
    let not_public = || {
        bad(
            "url_not_public",
            "URL must point to a public host, not a loopback, private or link-local address",
        )
    };
    match parsed.host() {
        None => bad("url_invalid", "URL has no host"),
        Some(url::Host::Ipv4(ip)) if !is_public_v4(ip) => not_public(),
        Some(url::Host::Ipv6(ip)) if !is_public_v6(ip) => not_public(),
        Some(url::Host::Domain(host)) => {
            let host = host.trim_end_matches('.');
            let private_name = host == "localhost"
                || [".localhost", ".local", ".internal", ".home.arpa"]
                    .iter()
                    .any(|suffix| host.ends_with(suffix));
            if private_name || !host.contains('.') {
                not_public()
            } else if !is_hostname(host) {
                bad("url_invalid", "URL host is not a valid domain name")
            } else {
                Ok(())
            }
        }
        Some(_) => Ok(()),
    }
}

/// `http(s)://localhost` or `http(s)://127.0.0.1`, with an optional port, exactly.
fn is_local_dev_url(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    matches!(scheme, "http" | "https")
        && matches!(host, "localhost" | "127.0.0.1")
        && port
            .is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether an IPv4 address is globally routable: not unspecified, private
/// (10/8, 172.16/12, 192.168/16), loopback, link-local, CGNAT (100.64/10),
/// IETF, documentation or benchmarking, multicast, reserved or broadcast.
fn is_public_v4(ip: std::net::Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0
        || a == 10
        || a == 127
        || (a == 100 && (64..128).contains(&b))
        || (a == 169 && b == 254)
        || (a == 172 && (16..32).contains(&b))
        || (a == 192 && b == 168)
        || (a == 192 && b == 0 && (c == 0 || c == 2))
        || (a == 198 && (b == 18 || b == 19))
        || (a == 198 && b == 51 && c == 100)
        || (a == 203 && b == 0 && c == 113)
        || a >= 224)
}

/// Whether an IPv6 address is globally routable. Addresses that embed an IPv4
/// address (mapped `::ffff:0:0/96`, compatible `::/96`, NAT64 `64:ff9b::/96`,
/// 6to4 `2002::/16`) are judged by that address; unspecified, loopback, ULA
/// (`fc00::/7`), link-local, site-local, multicast, Teredo, discard and
/// documentation ranges are not public.
fn is_public_v6(ip: std::net::Ipv6Addr) -> bool {
    let s = ip.segments();
    let embedded = |hi: u16, lo: u16| {
        std::net::Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8)
    };
    if s[..5] == [0; 5] && (s[5] == 0xffff || s[5] == 0) {
        // ::ffff:a.b.c.d and ::a.b.c.d (which also covers :: and ::1).
        return is_public_v4(embedded(s[6], s[7]));
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_v4(embedded(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        return is_public_v4(embedded(s[1], s[2]));
    }
    !((s[0] & 0xfe00) == 0xfc00
        || (s[0] & 0xffc0) == 0xfe80
        || (s[0] & 0xffc0) == 0xfec0
        || (s[0] & 0xff00) == 0xff00
        || (s[0] == 0x2001 && s[1] == 0)
        || (s[0] == 0x2001 && s[1] == 0x0db8)
        || s[..4] == [0x100, 0, 0, 0])
}

/// A DNS host name: dot-separated labels of letters, digits and inner hyphens.
pub fn is_hostname(host: &str) -> bool {
    host.len() <= 253
        && host.contains('.')
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// Checks an approved merchant domain as entered by an admin: a lower-case host
/// name, no scheme, no path, no port.
pub fn domain(field: &str, value: &str) -> Result<(), FieldError> {
    if value.is_empty() {
        return Err(FieldError::missing(field));
    }
    if value != value.to_ascii_lowercase() || !is_hostname(value) {
        return Err(FieldError::new(
            field,
            "domain_invalid",
            "domain must be a lower-case host name like shop.example",
        ));
    }
    Ok(())
}

/// Checks an email address: one `@`, a non-empty local part, a domain with a dot.
/// Deliberately simple: the mailbox decides the rest.
pub fn email(field: &str, value: &str) -> Result<(), FieldError> {
    if value.is_empty() {
        return Err(FieldError::missing(field));
    }
    let invalid = || FieldError::new(field, "email_invalid", "not a valid email address");
    if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid());
    }
    match value.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && local.len() <= 64
                && !domain.contains('@')
                && is_hostname(domain) =>
        {
            Ok(())
        }
        _ => Err(invalid()),
    }
}

/// Checks a free-text field: present if `required`, at most `max` characters, no
/// control characters.
pub fn text(
    field: &str,
    value: Option<&str>,
    required: bool,
    max: usize,
) -> Result<(), FieldError> {
    match value {
        None | Some("") if required => Err(FieldError::missing(field)),
        None => Ok(()),
        Some(v) if v.chars().count() > max => Err(FieldError::new(
            field,
            "too_long",
            format!("{field} is longer than {max} characters"),
        )),
        Some(v) if v.chars().any(|c| c.is_control()) => Err(FieldError::new(
            field,
            "invalid_characters",
            format!("{field} must not contain control characters"),
        )),
        Some(_) => Ok(()),
    }
}

/// ISO 3166-1 alpha-2 country codes, sorted.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Checks an ISO 3166-1 alpha-2 country code (upper case).
pub fn country(field: &str, value: &str) -> Result<(), FieldError> {
    if value.len() == 2 && COUNTRIES.split(' ').any(|c| c == value) {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            "country_invalid",
            "country must be an ISO 3166-1 alpha-2 code like LV",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let ok = |v| url("u", v, UrlPolicy::HttpsOnly).is_ok();
        let code = |v, p| url("u", v, p).unwrap_err().code;
        assert!(ok("https://shop.example/thanks?x=1#y"));
        assert!(ok("https://shop.example:8443/"));
        assert_eq!(
            code("http://shop.example/", UrlPolicy::HttpsOnly),
            "url_not_https"
        );
        assert_eq!(
            code("http://shop.example/", UrlPolicy::AllowLocalHttp),
            "url_not_https"
        );
        assert!(url("u", "http://localhost:8787/x", UrlPolicy::AllowLocalHttp).is_ok());
        assert!(url("u", "http://127.0.0.1/x", UrlPolicy::AllowLocalHttp).is_ok());
        assert!(url("u", "http://127.0.0.1:9/?a=b", UrlPolicy::AllowLocalHttp).is_ok());
        assert_eq!(
            code("http://localhost/x", UrlPolicy::HttpsOnly),
            "url_not_https"
        );
        assert_eq!(
            code("javascript:alert(1)", UrlPolicy::HttpsOnly),
            "url_invalid"
        );
        assert_eq!(
            code("ftp://shop.example/", UrlPolicy::HttpsOnly),
            "url_invalid"
        );
        assert_eq!(
            code("https://user:pw@shop.example/", UrlPolicy::HttpsOnly),
            "url_invalid"
        );
        assert_eq!(
            code("https://shop .example/", UrlPolicy::HttpsOnly),
            "url_invalid"
        );
        assert_eq!(code("https:///path", UrlPolicy::HttpsOnly), "url_invalid");
        assert_eq!(code("/relative", UrlPolicy::HttpsOnly), "url_invalid");
        assert_eq!(code("", UrlPolicy::HttpsOnly), "missing_field");
        assert_eq!(
            code(
                &format!("https://a.example/{}", "x".repeat(2100)),
                UrlPolicy::HttpsOnly
            ),
            "too_long"
        );
    }

    /// Every spelling of a non-public address is refused, in production and in
    /// dev alike (dev accepts only the two exact loopback spellings).
    #[test]
    fn private_addresses_in_every_spelling_are_refused() {
        for policy in [UrlPolicy::HttpsOnly, UrlPolicy::AllowLocalHttp] {
            for bad in [
                "https://127.1/",
                "https://2130706433/",
                "https://0x7f000001/",
                "https://0x7f.0.0.1/",
                "https://0177.0.0.1/",
                "https://017700000001/",
                "https://169.254.169.254/latest/meta-data",
                "https://10.0.0.1/",
                "https://172.16.5.4/",
                "https://172.31.255.255/",
                "https://192.168.1.1:8443/",
                "https://100.64.0.1/",
                "https://100.127.255.254/",
                "https://0.0.0.0/",
                "https://224.0.0.1/",
                "https://255.255.255.255/",
                "https://[::1]/",
                "https://[::]/",
                "https://[::ffff:127.0.0.1]/",
                "https://[::ffff:7f00:1]/",
                "https://[::ffff:a9fe:a9fe]/",
                "https://[64:ff9b::a9fe:a9fe]/",
                "https://[2002:c0a8:0101::1]/",
                "https://[fc00::1]/",
                "https://[fd12:3456::1]/",
                "https://[fe80::1]/",
                "https://[ff02::1]/",
                "https://LOCALHOST./",
                "https://shop.localhost/",
                "https://printer.local/",
                "https://metadata.google.internal/",
                "https://intranet/",
                "https://127.0.0.2/",
                "https://[::1]:8787/",
            ] {
                assert_eq!(
                    url("u", bad, policy).unwrap_err().code,
                    "url_not_public",
                    "{bad} {policy:?}"
                );
            }
        }
        // Production refuses the loopback spellings dev accepts.
        for bad in [
            "https://127.0.0.1/",
            "https://localhost/",
            "https://localhost:8787/",
        ] {
            assert_eq!(
                url("u", bad, UrlPolicy::HttpsOnly).unwrap_err().code,
                "url_not_public",
                "{bad}"
            );
        }
        for bad in [
            "http://0x7f.1/",
            "http://[::1]/",
            "http://localhost.:80/",
            "http://127.1/",
        ] {
            assert_eq!(
                url("u", bad, UrlPolicy::AllowLocalHttp).unwrap_err().code,
                "url_not_https",
                "{bad}"
            );
        }
        for good in [
            "https://8.8.8.8/hook",
            "https://[2606:4700::1111]/",
            "https://[::ffff:8.8.8.8]/",
            "https://hooks.shop.example:8443/in",
            "https://bücher.example/",
            "https://172.32.0.1/",
            "https://100.128.0.1/",
        ] {
            assert!(url("u", good, UrlPolicy::HttpsOnly).is_ok(), "{good}");
        }
        for (bad, policy) in [
            ("https://@shop.example/", UrlPolicy::HttpsOnly),
            ("gopher://shop.example/", UrlPolicy::HttpsOnly),
            ("file:///etc/passwd", UrlPolicy::AllowLocalHttp),
        ] {
            assert_eq!(
                url("u", bad, policy).unwrap_err().code,
                "url_invalid",
                "{bad}"
            );
        }
    }

    #[test]
    fn emails_domains_countries() {
        assert!(email("e", "inga@inbox.lv").is_ok());
        for bad in [
            "inga",
            "inga@",
            "@inbox.lv",
            "inga@inbox",
            "a b@c.d",
            "a@b@c.d",
        ] {
            assert_eq!(email("e", bad).unwrap_err().code, "email_invalid", "{bad}");
        }
        assert!(domain("d", "merchant-store.example").is_ok());
        for bad in [
            "Merchant-store.example",
            "https://x.example",
            "x.example/",
            "x.example:443",
            "localhost",
        ] {
            assert!(domain("d", bad).is_err(), "{bad}");
        }
        assert!(country("c", "LV").is_ok());
        assert!(country("c", "lv").is_err());
        assert!(country("c", "XX").is_err());
        assert!(COUNTRIES
            .split(' ')
            .collect::<Vec<_>>()
            .windows(2)
            .all(|w| w[0] < w[1]));
    }

    #[test]
    fn text_fields() {
        assert_eq!(
            text("name", None, true, 10).unwrap_err().code,
            "missing_field"
        );
        assert_eq!(
            text("name", Some(""), true, 10).unwrap_err().code,
            "missing_field"
        );
        assert_eq!(
            text("name", Some("x".repeat(11).as_str()), true, 10)
                .unwrap_err()
                .code,
            "too_long"
        );
        assert_eq!(
            text("name", Some("a\u{0}b"), true, 10).unwrap_err().code,
            "invalid_characters"
        );
        assert!(text("name", Some("Zoë"), true, 3).is_ok());
    }
}
