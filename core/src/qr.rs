//! QR codes for payment strings and links, as compact SVG or terminal text.
//!
//! Encoded at error-correction level M: it survives a scuffed screen or a glare
//! spot. The ETN widget uses level L; for an ETN deep link (83 to 94 bytes) level M
//! needs the same version 5 symbol for amounts under 100 ETN and version 6 (41
//! instead of 37 modules per side) from 100 ETN up, a cost the viewBox-scaled SVG
//! absorbs. The symbol always carries a 4-module quiet
//! zone and is drawn dark on light, whatever the page's theme, because many phone
//! scanners cannot read inverted codes.
//!
//! The encoder is our own, after ISO/IEC 18004 (and the structure of Project
//! Nayuki's reference generator): byte mode only, versions 1 to 40, the smallest
//! version that holds the text, and the mask with the lowest penalty. A deep link
//! is lower-case text, so byte mode is what a segment optimiser would pick for
//! it too. Being our own is a size decision: the widget links this file, and the
//! `qrcode` crate with its tables cost the widget about 20 KB of wasm; this costs
//! under 5 KB. Tests decode every version and level back with an independent
//! decoder (rqrr) and compare versions with the `qrcode` crate.

use core::fmt;

use crate::payment::push_decimal;

mod ecc;

use ecc::{data_codewords, raw_data_modules, rs_divisor, rs_remainder, BLOCKS, ECC_PER_BLOCK};

/// Modules of light margin around the symbol, as ISO/IEC 18004 requires.
pub const QUIET_ZONE: usize = 4;

/// Error-correction level: how much of the symbol may be lost (7, 15, 25, 30 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    L,
    M,
    Q,
    H,
}

impl Level {
    pub(super) fn index(self) -> usize {
        self as usize
    }

    /// The two level bits of the format information.
    fn format_bits(self) -> u32 {
        match self {
            Level::L => 1,
            Level::M => 0,
            Level::Q => 3,
            Level::H => 2,
        }
    }
}

/// Why a text could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrError {
    /// The text is longer than the largest QR code holds at the level asked for.
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

/// Rows and columns of the alignment patterns' centres.
fn alignment_positions(version: usize) -> Vec<usize> {
    if version == 1 {
        return Vec::new();
    }
    let size = 17 + 4 * version;
    let count = version / 7 + 2;
    let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2;
    let mut positions: Vec<usize> = (0..count - 1).map(|i| size - 7 - i * step).collect();
    positions.push(6);
    positions.reverse();
    positions
}

/// A symbol being drawn: modules and which of them are function patterns.
struct Canvas {
    size: usize,
    dark: Vec<bool>,
    function: Vec<bool>,
}

impl Canvas {
    fn set(&mut self, x: usize, y: usize, dark: bool) {
        let i = y * self.size + x;
        self.dark[i] = dark;
        self.function[i] = true;
    }

    fn get(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.size + x]
    }

    /// A square pattern centred on (x, y): dark where `dark(distance)` says.
    fn pattern(&mut self, x: usize, y: usize, radius: isize, dark: fn(isize) -> bool) {
        for dy in -radius..=radius {
            for dx in -radius..=radius {
                let (xx, yy) = (x as isize + dx, y as isize + dy);
                if (0..self.size as isize).contains(&xx) && (0..self.size as isize).contains(&yy) {
                    self.set(xx as usize, yy as usize, dark(dx.abs().max(dy.abs())));
                }
            }
        }
    }

    fn function_patterns(&mut self, version: usize) {
        let size = self.size;
        for i in 0..size {
            self.set(6, i, i % 2 == 0);
            self.set(i, 6, i % 2 == 0);
        }
        for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            self.pattern(x, y, 4, |d| d != 2 && d != 4);
        }
        let positions = alignment_positions(version);
        let last = positions.len().saturating_sub(1);
        for (i, &x) in positions.iter().enumerate() {
            for (j, &y) in positions.iter().enumerate() {
                // Not over the three finder patterns.
                let corner = (i == 0 || j == 0) && (i + j == 0 || i + j == last);
                if !corner {
                    self.pattern(x, y, 2, |d| d != 1);
                }
            }
        }
        // Reserve the format areas (drawn for real once the mask is chosen).
        self.format(0);
        if version >= 7 {
            let mut rem = version as u32;
            for _ in 0..12 {
                rem = (rem << 1) ^ ((rem >> 11) * 0x1f25);
            }
            let bits = (version as u32) << 12 | rem;
            for i in 0..18 {
                let dark = (bits >> i) & 1 != 0;
                let (a, b) = (size - 11 + i % 3, i / 3);
                self.set(a, b, dark);
                self.set(b, a, dark);
            }
        }
    }

    /// The 15 format bits (level and mask, BCH-protected), both copies, and the
    /// dark module.
    fn format(&mut self, data: u32) {
        let mut rem = data;
        for _ in 0..10 {
            rem = (rem << 1) ^ ((rem >> 9) * 0x537);
        }
        let bits = (data << 10 | rem) ^ 0x5412;
        let bit = |i: usize| (bits >> i) & 1 != 0;
        let size = self.size;
        for i in 0..6 {
            self.set(8, i, bit(i));
        }
        self.set(8, 7, bit(6));
        self.set(8, 8, bit(7));
        self.set(7, 8, bit(8));
        for i in 9..15 {
            self.set(14 - i, 8, bit(i));
        }
        for i in 0..8 {
            self.set(size - 1 - i, 8, bit(i));
        }
        for i in 8..15 {
            self.set(8, size - 15 + i, bit(i));
        }
        self.set(8, size - 8, true);
    }

    /// Places the codewords in the zigzag order of the standard.
    fn codewords(&mut self, data: &[u8]) {
        let size = self.size;
        let mut i = 0;
        let mut right = size - 1;
        loop {
            if right == 6 {
                right = 5;
            }
            for vert in 0..size {
                for j in 0..2 {
                    let x = right - j;
                    let upward = (right + 1) & 2 == 0;
                    let y = if upward { size - 1 - vert } else { vert };
                    let k = y * size + x;
                    if !self.function[k] && i < data.len() * 8 {
                        self.dark[k] = (data[i >> 3] >> (7 - (i & 7))) & 1 != 0;
                        i += 1;
                    }
                }
            }
            if right < 2 {
                break;
            }
            right -= 2;
        }
    }

    /// XORs mask `mask` over the data modules (twice undoes it).
    fn mask(&mut self, mask: u8) {
        for y in 0..self.size {
            for x in 0..self.size {
                let invert = match mask {
                    0 => (x + y) % 2 == 0,
                    1 => y % 2 == 0,
                    2 => x % 3 == 0,
                    3 => (x + y) % 3 == 0,
                    4 => (x / 3 + y / 2) % 2 == 0,
                    5 => x * y % 2 + x * y % 3 == 0,
                    6 => (x * y % 2 + x * y % 3) % 2 == 0,
                    _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
                };
                let k = y * self.size + x;
                self.dark[k] ^= invert && !self.function[k];
            }
        }
    }

    /// The standard's penalty score: long runs, 2x2 blocks, finder-like
    /// patterns, and imbalance between dark and light.
    fn penalty(&self) -> usize {
        let size = self.size;
        let mut score = 0;
        for transpose in [false, true] {
            for a in 0..size {
                let mut history = [0usize; 7];
                let mut color = false;
                let mut run = 0;
                for b in 0..size {
                    let dark = if transpose {
                        self.get(a, b)
                    } else {
                        self.get(b, a)
                    };
                    if dark == color {
                        run += 1;
                        if run == 5 {
                            score += 3;
                        } else if run > 5 {
                            score += 1;
                        }
                    } else {
                        push_run(&mut history, run, size);
                        if !color {
                            score += finder_like(&history) * 40;
                        }
                        color = dark;
                        run = 1;
                    }
                }
                if color {
                    push_run(&mut history, run, size);
                    run = 0;
                }
                push_run(&mut history, run + size, size);
                score += finder_like(&history) * 40;
            }
        }
        for y in 0..size - 1 {
            for x in 0..size - 1 {
                let c = self.get(x, y);
                if c == self.get(x + 1, y) && c == self.get(x, y + 1) && c == self.get(x + 1, y + 1)
                {
                    score += 3;
                }
            }
        }
        let total = size * size;
        let dark = self.dark.iter().filter(|&&d| d).count();
        // The smallest k with (45 - 5k)% <= dark share <= (55 + 5k)% (size is odd,
        // so the difference is never zero).
        let k = (dark * 20)
            .abs_diff(total * 10)
            .div_ceil(total)
            .saturating_sub(1);
        score + k * 10
    }
}

/// A bit string, most significant bit first.
struct Bits(Vec<bool>);

impl Bits {
    fn push(&mut self, value: u32, count: usize) {
        for i in (0..count).rev() {
            self.0.push((value >> i) & 1 != 0);
        }
    }
}

/// Records a run in the last seven (the first run gets the light border added).
fn push_run(history: &mut [usize; 7], mut run: usize, size: usize) {
    if history[0] == 0 {
        run += size;
    }
    history.copy_within(0..6, 1);
    history[0] = run;
}

/// How many finder-like patterns (1:1:3:1:1 with light space around) end here.
fn finder_like(h: &[usize; 7]) -> usize {
    let n = h[1];
    let core = n > 0 && h[2] == n && h[3] == n * 3 && h[4] == n && h[5] == n;
    usize::from(core && h[0] >= n * 4 && h[6] >= n)
        + usize::from(core && h[6] >= n * 4 && h[0] >= n)
}

impl Qr {
    /// Encodes text at error-correction level M.
    pub fn encode(text: &str) -> Result<Qr, QrError> {
        Qr::encode_at(text, Level::M)
    }

    /// Encodes text at a chosen level; for comparisons with other encoders.
    pub fn encode_at(text: &str, level: Level) -> Result<Qr, QrError> {
        let bytes = text.as_bytes();
        let count_bits = |version: usize| if version < 10 { 8 } else { 16 };
        let version = (1..=40)
            .find(|&v| 4 + count_bits(v) + 8 * bytes.len() <= data_codewords(v, level) * 8)
            .ok_or(QrError::TooLong)?;
        let capacity = data_codewords(version, level);

        // Mode (byte), count, the bytes, a terminator, then the pad codewords.
        let mut bits = Bits(Vec::with_capacity(capacity * 8));
        bits.push(0b0100, 4);
        bits.push(bytes.len() as u32, count_bits(version));
        for &b in bytes {
            bits.push(u32::from(b), 8);
        }
        // Up to four zero bits, then zeros to the byte boundary.
        bits.push(0, (capacity * 8 - bits.0.len()).min(4));
        bits.push(0, (8 - bits.0.len() % 8) % 8);
        let mut data: Vec<u8> = bits
            .0
            .chunks(8)
            .map(|byte| byte.iter().fold(0, |acc, &b| acc << 1 | u8::from(b)))
            .collect();
        for pad in [0xec, 0x11].into_iter().cycle() {
            if data.len() >= capacity {
                break;
            }
            data.push(pad);
        }

        // Split into blocks, add each block's error correction, interleave.
        let l = level.index();
        let blocks = usize::from(BLOCKS[l][version - 1]);
        let ecc_len = usize::from(ECC_PER_BLOCK[l][version - 1]);
        let raw = raw_data_modules(version) / 8;
        let short_blocks = blocks - raw % blocks;
        let short_len = raw / blocks;
        let divisor = rs_divisor(ecc_len);
        let mut all: Vec<Vec<u8>> = Vec::with_capacity(blocks);
        let mut k = 0;
        for i in 0..blocks {
            let len = short_len - ecc_len + usize::from(i >= short_blocks);
            let chunk = &data[k..k + len];
            k += len;
            let mut block = chunk.to_vec();
            if i < short_blocks {
                block.push(0);
            }
            block.extend(rs_remainder(chunk, &divisor));
            all.push(block);
        }
        let mut codewords = Vec::with_capacity(raw);
        for i in 0..=short_len {
            for (j, block) in all.iter().enumerate() {
                if i != short_len - ecc_len || j >= short_blocks {
                    codewords.push(block[i]);
                }
            }
        }

        let size = 17 + 4 * version;
        let mut canvas = Canvas {
            size,
            dark: vec![false; size * size],
            function: vec![false; size * size],
        };
        canvas.function_patterns(version);
        canvas.codewords(&codewords);
        let format = |mask: u8| level.format_bits() << 3 | u32::from(mask);
        let mut best = (usize::MAX, 0);
        for mask in 0..8 {
            canvas.mask(mask);
            canvas.format(format(mask));
            let penalty = canvas.penalty();
            if penalty < best.0 {
                best = (penalty, mask);
            }
            canvas.mask(mask);
        }
        canvas.mask(best.1);
        canvas.format(format(best.1));
        Ok(Qr {
            width: size,
            dark: canvas.dark,
        })
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

    /// Decodes a symbol with rqrr, an independent decoder.
    fn decode(qr: &Qr) -> String {
        let scale = 3;
        let size = (qr.width() + 2 * QUIET_ZONE) * scale;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
            let (mx, my) = (x / scale, y / scale);
            let inside = |v: usize| (QUIET_ZONE..QUIET_ZONE + qr.width()).contains(&v);
            if inside(mx) && inside(my) && qr.is_dark(mx - QUIET_ZONE, my - QUIET_ZONE) {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code of width {}", qr.width());
        grids[0].decode().expect("decodable").1
    }

    #[test]
    fn every_version_and_level_decodes_with_an_independent_decoder() {
        for level in [Level::L, Level::M, Level::Q, Level::H] {
            // Every version at M (the level used), every third one at the others.
            let step = if level == Level::M { 1 } else { 3 };
            for version in (1..=40).step_by(step) {
                // The longest text that fits this version, so that it is chosen.
                let count_bits = if version < 10 { 8 } else { 16 };
                let len = (data_codewords(version, level) * 8 - 4 - count_bits) / 8;
                let text: String = (0..len)
                    .map(|i| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789/-."[i * 7 % 39]))
                    .collect();
                let qr = Qr::encode_at(&text, level).unwrap();
                assert_eq!(qr.width(), 17 + 4 * version, "{level:?} v{version}");
                assert_eq!(decode(&qr), text, "{level:?} v{version}");
            }
        }
    }

    #[test]
    fn versions_match_the_qrcode_crate_for_bytes() {
        use qrcode::bits::Bits as TheirBits;
        use qrcode::types::{EcLevel, Version};
        for (level, theirs) in [
            (Level::L, EcLevel::L),
            (Level::M, EcLevel::M),
            (Level::Q, EcLevel::Q),
            (Level::H, EcLevel::H),
        ] {
            for len in [1, 17, 83, 84, 85, 94, 106, 107, 300, 1000, 2331] {
                let text = "x".repeat(len);
                let ours = Qr::encode_at(&text, level).map(|q| q.width());
                // Their smallest version that holds the text as one byte segment.
                let fits = (1..=40).find(|&v| {
                    let mut bits = TheirBits::new(Version::Normal(v));
                    bits.push_byte_data(text.as_bytes()).is_ok()
                        && bits.push_terminator(theirs).is_ok()
                });
                assert_eq!(
                    ours.ok(),
                    fits.map(|v| 17 + 4 * v as usize),
                    "{level:?} {len}"
                );
            }
        }
    }

    #[test]
    fn alignment_patterns_sit_where_the_standard_puts_them() {
        assert_eq!(alignment_positions(1), Vec::<usize>::new());
        assert_eq!(alignment_positions(2), [6, 18]);
        assert_eq!(alignment_positions(7), [6, 22, 38]);
        assert_eq!(alignment_positions(14), [6, 26, 46, 66]);
        assert_eq!(alignment_positions(32), [6, 34, 60, 86, 112, 138]);
        assert_eq!(alignment_positions(40), [6, 30, 58, 86, 114, 142, 170]);
    }

    #[test]
    fn data_capacities_match_the_standard_table() {
        // Byte-mode capacities of ISO/IEC 18004 table 7 for a few versions.
        let bytes = |v, l| (data_codewords(v, l) * 8 - 4 - if v < 10 { 8 } else { 16 }) / 8;
        assert_eq!(bytes(1, Level::L), 17);
        assert_eq!(bytes(1, Level::H), 7);
        assert_eq!(bytes(5, Level::M), 84);
        assert_eq!(bytes(6, Level::M), 106);
        assert_eq!(bytes(10, Level::Q), 151);
        assert_eq!(bytes(40, Level::L), 2953);
        assert_eq!(bytes(40, Level::H), 1273);
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
