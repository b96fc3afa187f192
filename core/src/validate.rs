//! Field validation shared by every dialect: URLs, emails, domains, countries,
//! free text. Each failure names its field and a stable code, so that an API can
//! answer `{"error": {"code", "message", "field"}}` without guessing.

use core::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

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
/// refused like the dotted one. An address in any special-purpose block (the
/// IANA IPv4 and IPv6 Special-Purpose Address Registries, and multicast) is
/// refused; an IPv6 address that embeds an IPv4 one (mapped, NAT64, 6to4) is
/// refused whatever that IPv4 address is. Workers have no DNS API, so a public
/// name that resolves to a private address cannot be caught here; Cloudflare's
/// edge does not route to private networks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlPolicy {
    /// https to a public host only.
    HttpsOnly,
    /// Local development: also `http://localhost` and `http://127.0.0.1` (with any
    /// port), in exactly those spellings, so that tests can use a loopback server.
    AllowLocalHttp,
}

const MAX_URL: usize = 2048;

/// The largest integer a JavaScript number (and so a Worker's SQLite binding,
/// or a browser reading our JSON) holds exactly: 2^53 - 1. Integers a client
/// sends are refused above it, as a 4xx naming the field, before they reach
/// storage.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// The last second of year 9999: the largest instant a request may name.
pub const MAX_UNIX_SECONDS: i64 = 253_402_300_799;

/// Checks a merchant-supplied URL: absolute, https to a public host (see
/// [`UrlPolicy`]), no credentials, no whitespace.
///
/// Codes: `missing_field`, `too_long`, `url_invalid` (not an absolute http(s)
/// URL, credentials, a malformed host), `url_not_https`, `url_not_public` (an
/// IP address in any block of the IANA IPv4 or IPv6 Special-Purpose Address
/// Registry, or multicast: loopback, private, link-local, CGNAT, ULA,
/// documentation, NAT64, 6to4, Teredo and the rest; or a private name:
/// `localhost`, `.local`, `.internal`, `.home.arpa`, single-label names).
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

/// A special-purpose address block: its first address, its prefix length, and
/// what it is, with the RFC that reserves it.
type Block<A> = (A, u8, &'static str);

/// Every block of the IANA IPv4 Special-Purpose Address Registry (as of 2025),
/// plus multicast. Blocks the registry marks "globally reachable" (AS112, AMT,
/// the PCP and TURN anycast addresses) are refused too: a merchant's webhook has
/// no business pointing at any of them. More specific rows inside a wider one
/// (`192.0.0.0/29` in `192.0.0.0/24`) are kept so that the table reads like the
/// registry.
#[rustfmt::skip]
const SPECIAL_V4: &[Block<Ipv4Addr>] = &[
    (Ipv4Addr::new(0, 0, 0, 0),         8,  "\"This network\" (RFC 791 §3.2)"),
    (Ipv4Addr::new(0, 0, 0, 0),         32, "\"This host on this network\" (RFC 1122 §3.2.1.3)"),
    (Ipv4Addr::new(10, 0, 0, 0),        8,  "Private-Use (RFC 1918)"),
    (Ipv4Addr::new(100, 64, 0, 0),      10, "Shared Address Space, CGNAT (RFC 6598)"),
    (Ipv4Addr::new(127, 0, 0, 0),       8,  "Loopback (RFC 1122 §3.2.1.3)"),
    (Ipv4Addr::new(169, 254, 0, 0),     16, "Link Local (RFC 3927)"),
    (Ipv4Addr::new(172, 16, 0, 0),      12, "Private-Use (RFC 1918)"),
    (Ipv4Addr::new(192, 0, 0, 0),       24, "IETF Protocol Assignments (RFC 6890 §2.1)"),
    (Ipv4Addr::new(192, 0, 0, 0),       29, "IPv4 Service Continuity Prefix (RFC 7335)"),
    (Ipv4Addr::new(192, 0, 0, 8),       32, "IPv4 dummy address (RFC 7600)"),
    (Ipv4Addr::new(192, 0, 0, 9),       32, "Port Control Protocol Anycast (RFC 7723)"),
    (Ipv4Addr::new(192, 0, 0, 10),      32, "TURN Anycast (RFC 8155)"),
    (Ipv4Addr::new(192, 0, 0, 170),     32, "NAT64/DNS64 Discovery (RFC 8880, RFC 7050 §2.2)"),
    (Ipv4Addr::new(192, 0, 0, 171),     32, "NAT64/DNS64 Discovery (RFC 8880, RFC 7050 §2.2)"),
    (Ipv4Addr::new(192, 0, 2, 0),       24, "Documentation, TEST-NET-1 (RFC 5737)"),
    (Ipv4Addr::new(192, 31, 196, 0),    24, "AS112-v4 (RFC 7535)"),
    (Ipv4Addr::new(192, 52, 193, 0),    24, "AMT (RFC 7450)"),
    (Ipv4Addr::new(192, 88, 99, 0),     24, "Deprecated 6to4 Relay Anycast (RFC 7526)"),
    (Ipv4Addr::new(192, 88, 99, 2),     32, "6a44-relay anycast address (RFC 6751)"),
    (Ipv4Addr::new(192, 168, 0, 0),     16, "Private-Use (RFC 1918)"),
    (Ipv4Addr::new(192, 175, 48, 0),    24, "Direct Delegation AS112 Service (RFC 7534)"),
    (Ipv4Addr::new(198, 18, 0, 0),      15, "Benchmarking (RFC 2544)"),
    (Ipv4Addr::new(198, 51, 100, 0),    24, "Documentation, TEST-NET-2 (RFC 5737)"),
    (Ipv4Addr::new(203, 0, 113, 0),     24, "Documentation, TEST-NET-3 (RFC 5737)"),
    (Ipv4Addr::new(224, 0, 0, 0),       4,  "Multicast (RFC 5771; not in the registry)"),
    (Ipv4Addr::new(240, 0, 0, 0),       4,  "Reserved (RFC 1112 §4)"),
    (Ipv4Addr::new(255, 255, 255, 255), 32, "Limited Broadcast (RFC 8190, RFC 919 §7)"),
];

/// Every block of the IANA IPv6 Special-Purpose Address Registry (as of 2025),
/// plus four blocks it does not list: IPv4-compatible `::/96`, SIIT's
/// IPv4-translated `::ffff:0:0:0/96`, site-local `fec0::/10` and multicast
/// `ff00::/8`. Every block is refused whole, whatever IPv4 address it may embed
/// (mapped, NAT64, 6to4, Teredo): there is no reason for a merchant's URL to
/// name a public host that way, and judging the embedded address is how
/// translation prefixes slip through. As in [`SPECIAL_V4`], "globally
/// reachable" blocks (AS112, ORCHIDv2, AMT, the anycast addresses) are refused
/// too, and more specific rows inside `2001::/23` are kept.
#[rustfmt::skip]
const SPECIAL_V6: &[Block<Ipv6Addr>] = &[
    (Ipv6Addr::new(0, 0, 0, 0, 0, 0, 0, 0),              128, "Unspecified (RFC 4291)"),
    (Ipv6Addr::new(0, 0, 0, 0, 0, 0, 0, 1),              128, "Loopback (RFC 4291)"),
    (Ipv6Addr::new(0, 0, 0, 0, 0, 0, 0, 0),              96,  "IPv4-compatible, deprecated (RFC 4291 §2.5.5.1; not in the registry)"),
    (Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0),         96,  "IPv4-mapped (RFC 4291)"),
    (Ipv6Addr::new(0, 0, 0, 0, 0xffff, 0, 0, 0),         96,  "IPv4-translated, SIIT (RFC 2765; not in the registry)"),
    (Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0),      96,  "IPv4-IPv6 Translation, NAT64 well-known prefix (RFC 6052)"),
    (Ipv6Addr::new(0x64, 0xff9b, 1, 0, 0, 0, 0, 0),      48,  "IPv4-IPv6 Translation, local use (RFC 8215)"),
    (Ipv6Addr::new(0x100, 0, 0, 0, 0, 0, 0, 0),          64,  "Discard-Only Address Block (RFC 6666)"),
    (Ipv6Addr::new(0x100, 0, 0, 1, 0, 0, 0, 0),          64,  "Dummy IPv6 Prefix (RFC 9780)"),
    (Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0),         23,  "IETF Protocol Assignments (RFC 2928)"),
    (Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0),         32,  "TEREDO (RFC 4380, RFC 8190)"),
    (Ipv6Addr::new(0x2001, 1, 0, 0, 0, 0, 0, 1),         128, "Port Control Protocol Anycast (RFC 7723)"),
    (Ipv6Addr::new(0x2001, 1, 0, 0, 0, 0, 0, 2),         128, "TURN Anycast (RFC 8155)"),
    (Ipv6Addr::new(0x2001, 1, 0, 0, 0, 0, 0, 3),         128, "DNS-SD Service Registration Protocol Anycast (RFC 9665)"),
    (Ipv6Addr::new(0x2001, 2, 0, 0, 0, 0, 0, 0),         48,  "Benchmarking (RFC 5180)"),
    (Ipv6Addr::new(0x2001, 3, 0, 0, 0, 0, 0, 0),         32,  "AMT (RFC 7450)"),
    (Ipv6Addr::new(0x2001, 4, 0x112, 0, 0, 0, 0, 0),     48,  "AS112-v6 (RFC 7535)"),
    (Ipv6Addr::new(0x2001, 0x10, 0, 0, 0, 0, 0, 0),      28,  "Deprecated, previously ORCHID (RFC 4843)"),
    (Ipv6Addr::new(0x2001, 0x20, 0, 0, 0, 0, 0, 0),      28,  "ORCHIDv2 (RFC 7343)"),
    (Ipv6Addr::new(0x2001, 0x30, 0, 0, 0, 0, 0, 0),      28,  "Drone Remote ID Protocol Entity Tags (RFC 9374)"),
    (Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0),     32,  "Documentation (RFC 3849)"),
    (Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0),         16,  "6to4 (RFC 3056)"),
    (Ipv6Addr::new(0x2620, 0x4f, 0x8000, 0, 0, 0, 0, 0), 48,  "Direct Delegation AS112 Service (RFC 7534)"),
    (Ipv6Addr::new(0x3fff, 0, 0, 0, 0, 0, 0, 0),         20,  "Documentation (RFC 9637)"),
    (Ipv6Addr::new(0x5f00, 0, 0, 0, 0, 0, 0, 0),         16,  "Segment Routing (SRv6) SIDs (RFC 9602)"),
    (Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0),         7,   "Unique-Local (RFC 4193, RFC 8190)"),
    (Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0),         10,  "Link-Local Unicast (RFC 4291)"),
    (Ipv6Addr::new(0xfec0, 0, 0, 0, 0, 0, 0, 0),         10,  "Site-Local, deprecated (RFC 3879; not in the registry)"),
    (Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0),         8,   "Multicast (RFC 4291 §2.7; not in the registry)"),
];

/// Whether `addr` lies in the block that starts at `base` and fixes its first
/// `prefix` bits, both read as `width`-bit numbers (32 for IPv4, 128 for IPv6).
fn in_block(addr: u128, base: u128, prefix: u8, width: u32) -> bool {
    let host_bits = width - u32::from(prefix);
    addr.checked_shr(host_bits).unwrap_or(0) == base.checked_shr(host_bits).unwrap_or(0)
}

/// Whether an IPv4 address is public: in no block of [`SPECIAL_V4`].
fn is_public_v4(ip: Ipv4Addr) -> bool {
    let addr = u32::from(ip).into();
    !SPECIAL_V4
        .iter()
        .any(|&(base, prefix, _)| in_block(addr, u32::from(base).into(), prefix, 32))
}

/// Whether an IPv6 address is public: in no block of [`SPECIAL_V6`]. An address
/// that embeds an IPv4 one (`::ffff:a.b.c.d`, `64:ff9b::a.b.c.d`, 6to4, Teredo)
/// is in such a block, so it is refused whatever the IPv4 address.
fn is_public_v6(ip: Ipv6Addr) -> bool {
    let addr = u128::from(ip);
    !SPECIAL_V6
        .iter()
        .any(|&(base, prefix, _)| in_block(addr, u128::from(base), prefix, 128))
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
                // Embedded IPv4 addresses are refused whole, public or not.
                "https://[::ffff:8.8.8.8]/",
                "https://[64:ff9b::808:808]/",
                "https://[2002:808:808::1]/",
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

    /// The refusal `url` gives an IP host, or `Ok` (IPv6 in brackets).
    fn judge(host: impl fmt::Display, v6: bool) -> Result<(), &'static str> {
        let value = if v6 {
            format!("https://[{host}]/")
        } else {
            format!("https://{host}/")
        };
        url("u", &value, UrlPolicy::HttpsOnly).map_err(|e| e.code)
    }

    fn special_v4(addr: u32) -> bool {
        SPECIAL_V4
            .iter()
            .any(|&(base, prefix, _)| in_block(addr.into(), u32::from(base).into(), prefix, 32))
    }

    fn special_v6(addr: u128) -> bool {
        SPECIAL_V6
            .iter()
            .any(|&(base, prefix, _)| in_block(addr, u128::from(base), prefix, 128))
    }

    /// Every row is a well-formed block: a prefix no longer than the address,
    /// a base with no host bits set, a name that cites its RFC.
    #[test]
    fn special_purpose_tables_are_well_formed() {
        for &(base, prefix, name) in SPECIAL_V4 {
            assert!(prefix <= 32, "{base}/{prefix}");
            let host_mask = u32::MAX.checked_shr(prefix.into()).unwrap_or(0);
            assert_eq!(u32::from(base) & host_mask, 0, "{base}/{prefix}");
            assert!(name.contains("RFC "), "{base}/{prefix}");
        }
        for &(base, prefix, name) in SPECIAL_V6 {
            assert!(prefix <= 128, "{base}/{prefix}");
            let host_mask = u128::MAX.checked_shr(prefix.into()).unwrap_or(0);
            assert_eq!(u128::from(base) & host_mask, 0, "{base}/{prefix}");
            assert!(name.contains("RFC "), "{base}/{prefix}");
        }
    }

    /// For every block: its first, last and a middle address are refused; the
    /// addresses just outside its edges are accepted unless another block holds
    /// them.
    #[test]
    fn every_special_purpose_block_is_refused_edge_to_edge() {
        for &(base, prefix, name) in SPECIAL_V4 {
            let first = u32::from(base);
            let host_mask = u32::MAX.checked_shr(prefix.into()).unwrap_or(0);
            let last = first | host_mask;
            let mut inside = vec![first, last];
            if prefix < 32 {
                inside.push(first + host_mask / 2 + 1);
            }
            for addr in inside {
                let ip = Ipv4Addr::from(addr);
                assert_eq!(judge(ip, false), Err("url_not_public"), "{ip} in {name}");
            }
            for addr in [first.checked_sub(1), last.checked_add(1)]
                .into_iter()
                .flatten()
                .filter(|&a| !special_v4(a))
            {
                let ip = Ipv4Addr::from(addr);
                assert_eq!(judge(ip, false), Ok(()), "{ip} next to {name}");
            }
        }
        for &(base, prefix, name) in SPECIAL_V6 {
            let first = u128::from(base);
            let host_mask = u128::MAX.checked_shr(prefix.into()).unwrap_or(0);
            let last = first | host_mask;
            let mut inside = vec![first, last];
            if prefix < 128 {
                inside.push(first + host_mask / 2 + 1);
            }
            for addr in inside {
                let ip = Ipv6Addr::from(addr);
                assert_eq!(judge(ip, true), Err("url_not_public"), "{ip} in {name}");
            }
            for addr in [first.checked_sub(1), last.checked_add(1)]
                .into_iter()
                .flatten()
                .filter(|&a| !special_v6(a))
            {
                let ip = Ipv6Addr::from(addr);
                assert_eq!(judge(ip, true), Ok(()), "{ip} next to {name}");
            }
        }
    }

    /// Addresses that embed loopback in a translation prefix the old checks did
    /// not know, and ordinary public addresses.
    #[test]
    fn translation_bypasses_are_refused_and_public_addresses_accepted() {
        for bad in ["https://[64:ff9b:1::7f00:1]/", "https://[::ffff:0:7f00:1]/"] {
            assert_eq!(
                url("u", bad, UrlPolicy::HttpsOnly).unwrap_err().code,
                "url_not_public",
                "{bad}"
            );
        }
        for good in ["1.1.1.1", "8.8.8.8"] {
            assert_eq!(judge(good, false), Ok(()), "{good}");
        }
        for good in ["2606:4700:4700::1111", "2a00:1450:4001::1"] {
            assert_eq!(judge(good, true), Ok(()), "{good}");
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
