//! QR codes decoded back by an independent decoder (rqrr), from the module grid and
//! from the SVG as a browser would rasterise it.

use checkout_core::qr::{Level, Qr, QUIET_ZONE};
use checkout_core::PaymentString;

/// Rasterises the symbol (with its quiet zone) at `scale` pixels per module.
fn raster(qr: &Qr, scale: usize) -> (usize, Vec<u8>) {
    let size = (qr.width() + 2 * QUIET_ZONE) * scale;
    let mut pixels = vec![255u8; size * size];
    for y in 0..size {
        for x in 0..size {
            let (mx, my) = (x / scale, y / scale);
            if mx >= QUIET_ZONE && my >= QUIET_ZONE && qr.is_dark(mx - QUIET_ZONE, my - QUIET_ZONE)
            {
                pixels[y * size + x] = 0;
            }
        }
    }
    (size, pixels)
}

fn decode(size: usize, pixels: &[u8]) -> String {
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| pixels[y * size + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "exactly one QR code");
    grids[0].decode().expect("decodable").1
}

/// Paints the SVG's path (`M x y h w v 1 H x z` runs) the way a renderer fills it.
fn raster_svg(svg: &str, scale: usize) -> (usize, Vec<u8>) {
    let view = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
    let modules: usize = view.split(' ').next().unwrap().parse().unwrap();
    let size = modules * scale;
    let mut pixels = vec![255u8; size * size];
    let d = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    for run in d.split('M').filter(|r| !r.is_empty()) {
        let nums: Vec<usize> = run
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap())
            .collect();
        let [x, y, w, _one, x_back] = nums[..] else {
            panic!("unexpected path run {run:?}")
        };
        assert_eq!(x, x_back);
        for py in y * scale..(y + 1) * scale {
            for px in x * scale..(x + w) * scale {
                pixels[py * size + px] = 0;
            }
        }
    }
    (size, pixels)
}

#[test]
fn etn_deep_links_decode_exactly() {
    for text in [
        "etn-it-0abc123def456/7ce25b4dc0/1234.56",
        "etn-it-fffffffffffff/ffffffffff/99999999.99",
        "etn-it-0000000000000/0000000000/0.01",
    ] {
        let link = text.parse::<PaymentString>().unwrap().deep_link();
        let qr = Qr::encode(&link).unwrap();
        let (size, pixels) = raster(&qr, 4);
        assert_eq!(decode(size, &pixels), link);
        let (size, pixels) = raster_svg(&qr.to_svg(), 4);
        assert_eq!(decode(size, &pixels), link, "from the SVG");
    }
}

#[test]
fn level_m_costs_at_most_one_version_over_level_l_for_a_deep_link() {
    // The ETN widget encodes at level L. A deep link is 83 to 94 bytes: at level M
    // amounts under 100 ETN (at most 84 bytes) fit version 5 like L; larger ones
    // need version 6 (41 modules instead of 37), which the SVG absorbs by scaling.
    let width = |text: &str, level| {
        Qr::encode_at(&text.parse::<PaymentString>().unwrap().deep_link(), level)
            .unwrap()
            .width()
    };
    for short in [
        "etn-it-0abc123def456/7ce25b4dc0/1.00",
        "etn-it-0abc123def456/7ce25b4dc0/99.99",
    ] {
        assert_eq!(width(short, Level::M), width(short, Level::L), "{short}");
    }
    for text in [
        "etn-it-0abc123def456/7ce25b4dc0/1234.56",
        "etn-it-fffffffffffff/ffffffffff/999999999998.99",
    ] {
        assert!(width(text, Level::M) <= width(text, Level::L) + 4, "{text}");
    }
}

#[test]
fn arbitrary_text_decodes_too() {
    let text = "Zoë pays 12,50 € — ünïcödé & <tags>";
    let qr = Qr::encode(text).unwrap();
    let (size, pixels) = raster_svg(&qr.to_svg(), 3);
    assert_eq!(decode(size, &pixels), text);
}
