//! A merchant's brand on the hosted checkout (per mode): the name shoppers
//! see, a logo and an accent colour.
//!
//! - `display_name` (1 to 80 characters) replaces the merchant's account name
//!   on the page.
//! - `logo_url`: an https URL to a public host (the URL policy every merchant
//!   URL follows); the page's Content-Security-Policy allows images from
//!   exactly that origin, and nothing else of it.
//! - `accent_color`: `#rrggbb`, the pay button's background behind white
//!   text: refused unless white text on it passes WCAG AA (a contrast ratio of
//!   at least 4.5:1), so that no brand makes the pay button unreadable.

use serde::{Deserialize, Serialize};

use crate::validate::{self, FieldError, UrlPolicy};

/// The contrast white text needs on the accent colour (WCAG 2.x AA, normal text).
pub const MIN_CONTRAST: f64 = 4.5;

/// A merchant's brand, validated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Brand {
    /// The name the checkout shows (the account's name when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// An https URL of the logo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// `#rrggbb`, lower case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accent_color: Option<String>,
    /// An uploaded logo's version (a hash of its bytes), when there is one:
    /// the page shows it, from this deployment, in preference to `logo_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_version: Option<String>,
}

/// The largest logo that may be uploaded (bytes).
pub const MAX_LOGO_BYTES: usize = 48 * 1024;

/// The media type of an uploaded logo, read from its bytes (never from what
/// the client says): PNG, JPEG, GIF or WebP. Anything else (SVG above all,
/// which can carry script) is refused: `logo_type_unsupported`; more than
/// [`MAX_LOGO_BYTES`], `logo_too_large`; nothing, `missing_field`.
pub fn logo_type(bytes: &[u8]) -> Result<&'static str, FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::missing("logo"));
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(FieldError::new(
            "logo",
            "logo_too_large",
            format!("a logo may be at most {} KB", MAX_LOGO_BYTES / 1024),
        ));
    }
    let kind = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        "image/jpeg"
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        "image/gif"
    } else if bytes.len() > 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else {
        return Err(FieldError::new(
            "logo",
            "logo_type_unsupported",
            "a logo is a PNG, JPEG, GIF or WebP image (not SVG)",
        ));
    };
    Ok(kind)
}

/// A brand as a client writes it; absent fields are unset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrandRequest {
    pub display_name: Option<String>,
    pub logo_url: Option<String>,
    pub accent_color: Option<String>,
}

impl Brand {
    /// Validates a request: each field refused with its own name and code.
    ///
    /// Codes: `too_long` / `missing_field` (display name), the URL policy's
    /// codes (logo URL), `color_invalid` (not `#rrggbb`),
    /// `color_contrast_too_low` (white text on it is below [`MIN_CONTRAST`]).
    pub fn from_request(request: BrandRequest, policy: UrlPolicy) -> Result<Brand, FieldError> {
        let display_name = request
            .display_name
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty());
        validate::text("display_name", display_name.as_deref(), false, 80)?;
        if let Some(url) = &request.logo_url {
            validate::url("logo_url", url, policy)?;
        }
        let accent_color = match request.accent_color {
            None => None,
            Some(text) => {
                let rgb = parse_hex(&text).ok_or_else(|| {
                    FieldError::new(
                        "accent_color",
                        "color_invalid",
                        "accent_color must be a colour like #0b57d0",
                    )
                })?;
                let ratio = contrast_with_white(rgb);
                if ratio < MIN_CONTRAST {
                    return Err(FieldError::new(
                        "accent_color",
                        "color_contrast_too_low",
                        format!(
                            "white text on {text} has a contrast of {ratio:.2}:1; WCAG AA needs {MIN_CONTRAST}:1 (choose a darker colour)"
                        ),
                    ));
                }
                Some(text.to_ascii_lowercase())
            }
        };
        Ok(Brand {
            display_name,
            logo_url: request.logo_url,
            accent_color,
            logo_version: None,
        })
    }

    /// The origin of the logo (`https://cdn.shop.example`), for the page's CSP.
    pub fn logo_origin(&self) -> Option<String> {
        let url = url::Url::parse(self.logo_url.as_deref()?).ok()?;
        let origin = url.origin();
        origin.is_tuple().then(|| origin.ascii_serialization())
    }
}

/// `#rrggbb` as three bytes.
fn parse_hex(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// WCAG 2.x relative luminance of an sRGB colour.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// The contrast ratio of white against a colour (1 to 21).
fn contrast_with_white(rgb: [u8; 3]) -> f64 {
    1.05 / (luminance(rgb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn color(c: &str) -> Result<Brand, FieldError> {
        Brand::from_request(
            BrandRequest {
                accent_color: Some(c.to_owned()),
                ..BrandRequest::default()
            },
            UrlPolicy::HttpsOnly,
        )
    }

    #[test]
    fn logos_are_raster_images_read_by_their_bytes() {
        assert_eq!(logo_type(b"\x89PNG\r\n\x1a\n....").unwrap(), "image/png");
        assert_eq!(logo_type(&[0xff, 0xd8, 0xff, 0xe0]).unwrap(), "image/jpeg");
        assert_eq!(logo_type(b"GIF89a...").unwrap(), "image/gif");
        assert_eq!(logo_type(b"RIFF\0\0\0\0WEBPVP8 ").unwrap(), "image/webp");
        for (bad, code) in [
            (
                &b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"[..],
                "logo_type_unsupported",
            ),
            (&b"<html>"[..], "logo_type_unsupported"),
            (&b""[..], "missing_field"),
        ] {
            assert_eq!(logo_type(bad).unwrap_err().code, code);
        }
        let big = [&b"\x89PNG\r\n\x1a\n"[..], &vec![0; MAX_LOGO_BYTES]].concat();
        assert_eq!(logo_type(&big).unwrap_err().code, "logo_too_large");
    }

    #[test]
    fn contrast_ratios_match_wcag_examples() {
        // WebAIM's checker: #767676 on white is 4.54:1, #777777 4.48:1.
        assert!((contrast_with_white([0x76; 3]) - 4.54).abs() < 0.01);
        assert!((contrast_with_white([0x77; 3]) - 4.48).abs() < 0.01);
        assert!((contrast_with_white([0, 0, 0]) - 21.0).abs() < 1e-9);
        assert!((contrast_with_white([255; 3]) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn accent_colours_need_aa_contrast_with_white_text() {
        assert_eq!(
            color("#0B57D0").unwrap().accent_color.as_deref(),
            Some("#0b57d0")
        );
        assert!(color("#767676").is_ok());
        for (bad, code) in [
            ("#777777", "color_contrast_too_low"),
            ("#ffff00", "color_contrast_too_low"),
            ("#fff", "color_invalid"),
            ("0b57d0", "color_invalid"),
            ("#0b57dz", "color_invalid"),
            ("red", "color_invalid"),
            ("", "color_invalid"),
        ] {
            let e = color(bad).unwrap_err();
            assert_eq!((e.field.as_str(), e.code), ("accent_color", code), "{bad}");
        }
    }

    #[test]
    fn logos_are_public_https_urls_and_names_are_short() {
        let with = |name: Option<&str>, logo: Option<&str>| {
            Brand::from_request(
                BrandRequest {
                    display_name: name.map(str::to_owned),
                    logo_url: logo.map(str::to_owned),
                    accent_color: None,
                },
                UrlPolicy::HttpsOnly,
            )
        };
        let ok = with(
            Some("  Demo Shop "),
            Some("https://cdn.shop.example/logo.png"),
        )
        .unwrap();
        assert_eq!(ok.display_name.as_deref(), Some("Demo Shop"));
        assert_eq!(
            ok.logo_origin().as_deref(),
            Some("https://cdn.shop.example")
        );
        for (logo, code) in [
            ("http://cdn.shop.example/logo.png", "url_not_https"),
            ("https://127.0.0.1/logo.png", "url_not_public"),
            ("javascript:alert(1)", "url_invalid"),
            ("logo.png", "url_invalid"),
        ] {
            let e = with(None, Some(logo)).unwrap_err();
            assert_eq!((e.field.as_str(), e.code), ("logo_url", code), "{logo}");
        }
        let e = with(Some(&"x".repeat(81)), None).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("display_name", "too_long"));
        assert_eq!(with(Some("   "), None).unwrap().display_name, None);
    }
}
