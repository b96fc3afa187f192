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

/// Where URLs may point. Local development may use plain http to loopback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlPolicy {
    /// https only.
    HttpsOnly,
    /// https, or http to `localhost` / `127.0.0.1` / `[::1]` (local dev only).
    AllowLocalHttp,
}

const MAX_URL: usize = 2048;

/// Checks a merchant-supplied URL: absolute, https (see [`UrlPolicy`]), a real
/// host, no credentials, no whitespace.
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
    let (scheme, rest) = match value.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => {
            return bad(
                "url_invalid",
                "URL must be absolute, like https://shop.example/thanks",
            )
        }
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return bad("url_invalid", "URL must not contain credentials");
    }
    let host = host_of(authority);
    if host.is_empty() {
        return bad("url_invalid", "URL has no host");
    }
    let local = matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]");
    match (scheme.as_str(), policy, local) {
        ("https", _, _) => {}
        ("http", UrlPolicy::AllowLocalHttp, true) => {}
        ("http", _, _) => return bad("url_not_https", "URL must use https"),
        _ => return bad("url_invalid", "URL must use https"),
    }
    if !local && !is_hostname(&host) {
        return bad("url_invalid", "URL host is not a valid domain name");
    }
    Ok(())
}

fn host_of(authority: &str) -> String {
    if authority.starts_with('[') {
        return authority
            .split(']')
            .next()
            .map(|h| format!("{h}]"))
            .unwrap_or_default();
    }
    authority
        .split(':')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
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
