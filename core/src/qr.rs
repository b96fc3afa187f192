//! QR codes for payment strings and links, as compact SVG or terminal text.
//!
//! Encoded at error-correction level M: it survives a scuffed screen or a glare
//! spot. The ETN widget uses level L; for an ETN deep link (83 to 94 bytes) level M
//! needs the same version 5 symbol for amounts under 100 ETN and version 6 (41
//! instead of 37 modules per side) from 100 ETN up, a cost the viewBox-scaled SVG
//! absorbs. The symbol always carries a 4-module quiet
//! zone and is drawn dark on light, whatever the page's theme, because many phone
//! scanners cannot read inverted codes.

use core::fmt;

use qrcode::{Color, EcLevel};

use crate::payment::push_decimal;

/// Modules of light margin around the symbol, as ISO/IEC 18004 requires.
pub const QUIET_ZONE: usize = 4;

/// Why a text could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrError {
    /// The text is longer than the largest QR code holds at level M.
    TooLong,
}

impl fmt::Display for QrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QrError::TooLong => f.write_str("text is too long for a QR code"),
        }
    }
}

impl std::error::Error for QrError {}

/// An encoded QR symbol: a square of dark and light modules, without quiet zone.
#[derive(Clone, PartialEq, Eq)]
pub struct Qr {
    width: usize,
    dark: Vec<bool>,
}

impl Qr {
    /// Encodes text at error-correction level M.
    pub fn encode(text: &str) -> Result<Qr, QrError> {
        Qr::encode_at(text, EcLevel::M)
    }

    /// Encodes text at a chosen level; for comparisons with other encoders.
    pub fn encode_at(text: &str, level: EcLevel) -> Result<Qr, QrError> {
        let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), level)
            .map_err(|_| QrError::TooLong)?;
        let width = code.width();
        let dark = code
            .into_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Ok(Qr { width, dark })
    }

    /// Modules per side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Whether the module at column `x`, row `y` is dark (outside the symbol: light).
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// A self-contained SVG: one light square and one path of dark runs, sized by
    /// its `viewBox` only so that CSS decides how big it is. `crispEdges` keeps the
    /// modules sharp at any scale. Written into one buffer, without `core::fmt`.
    pub fn to_svg(&self) -> String {
        self.svg_with("")
    }

    /// [`Qr::to_svg`] with extra attributes on the `<svg>` element (`attributes`
    /// is inserted as it is, after a space: the caller escapes what it puts there).
    pub fn svg_with(&self, attributes: &str) -> String {
        let mut svg = String::with_capacity(230 + attributes.len() + self.width * self.width);
        svg.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
        let size = (self.width + 2 * QUIET_ZONE) as u64;
        push_decimal(&mut svg, size);
        svg.push(' ');
        push_decimal(&mut svg, size);
        svg.push_str("\" shape-rendering=\"crispEdges\"");
        if !attributes.is_empty() {
            svg.push(' ');
            svg.push_str(attributes);
        }
        svg.push_str("><rect width=\"");
        push_decimal(&mut svg, size);
        svg.push_str("\" height=\"");
        push_decimal(&mut svg, size);
        svg.push_str("\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
        self.write_path(&mut svg);
        svg.push_str("\"/></svg>");
        svg
    }

    /// Appends the path data of the dark modules: one `M x y h n v1 H x z` per
    /// horizontal run, offset by the quiet zone.
    pub fn write_path(&self, out: &mut String) {
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.width && self.is_dark(x, y) {
                    x += 1;
                }
                out.push('M');
                push_decimal(out, (start + QUIET_ZONE) as u64);
                out.push(' ');
                push_decimal(out, (y + QUIET_ZONE) as u64);
                out.push('h');
                push_decimal(out, (x - start) as u64);
                out.push_str("v1H");
                push_decimal(out, (start + QUIET_ZONE) as u64);
                out.push('z');
            }
        }
    }

    /// The symbol for a terminal, two module rows per line with half blocks.
    ///
    /// Light modules are drawn (`█`, `▀`, `▄`) and dark ones left blank, as
    /// `qrencode -t UTF8` does, so the code reads dark on light on the usual
    /// light-on-dark terminal.
    pub fn to_text(&self) -> String {
        let size = self.width + 2 * QUIET_ZONE;
        let light = |x: usize, y: usize| {
            let inside = |v: usize| (QUIET_ZONE..QUIET_ZONE + self.width).contains(&v);
            !(inside(x) && inside(y) && self.is_dark(x - QUIET_ZONE, y - QUIET_ZONE))
        };
        let mut out = String::new();
        for y in (0..size).step_by(2) {
            for x in 0..size {
                let top = light(x, y);
                let bottom = y + 1 < size && light(x, y + 1);
                out.push(match (top, bottom) {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (false, false) => ' ',
                });
            }
            out.push('\n');
        }
        out
    }
}

impl fmt::Debug for Qr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Qr({}x{})", self.width, self.width)
    }
}

pub use qrcode::EcLevel as Level;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_has_a_viewbox_quiet_zone_and_no_fixed_size() {
        let qr = Qr::encode("hello").unwrap();
        let svg = qr.to_svg();
        let size = qr.width() + 8;
        assert!(svg.contains(&format!("viewBox=\"0 0 {size} {size}\"")));
        assert!(svg.contains("shape-rendering=\"crispEdges\""));
        assert!(!svg.contains(" width=\"") || svg.contains(&format!("<rect width=\"{size}\"")));
        assert!(!svg.starts_with("<svg width"));
        // The first dark module is the finder pattern's corner, just inside the quiet zone.
        assert!(svg.contains("d=\"M4 4h7"));
    }

    #[test]
    fn svg_text_is_unchanged_by_the_fmt_free_writer() {
        // The SVG the formatting version wrote for "hello" (version 1, 21 modules).
        let qr = Qr::encode("hello").unwrap();
        let svg = qr.to_svg();
        assert!(svg.starts_with(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 29 29\" shape-rendering=\"crispEdges\">\
             <rect width=\"29\" height=\"29\" fill=\"#fff\"/><path fill=\"#000\" d=\"M4 4h7v1H4z"
        ));
        assert!(svg.ends_with("z\"/></svg>"));
        let with = qr.svg_with("role=\"img\"");
        assert!(with.contains("crispEdges\" role=\"img\"><rect"));
    }

    #[test]
    fn too_long_text_is_an_error() {
        assert_eq!(Qr::encode(&"x".repeat(4000)), Err(QrError::TooLong));
    }

    #[test]
    fn text_rows_cover_the_quiet_zone() {
        let qr = Qr::encode("hello").unwrap();
        let text = qr.to_text();
        let size = qr.width() + 8;
        assert_eq!(text.lines().count(), size.div_ceil(2));
        assert!(text.lines().all(|l| l.chars().count() == size));
        assert!(text.lines().next().unwrap().chars().all(|c| c == '█'));
    }
}
