//! The branded PDF receipt of an ewallet-orders-api order (pending or paid).
//!
//! One A4 page written with pdf-writer: the merchant's name on a coloured band,
//! the order id, status and date, the line items, the total in fiat and ETN and
//! the payment string. Helvetica is one of the 14 standard PDF fonts, so nothing
//! is embedded; text is WinAnsi-encoded (characters outside it print as `?`).

use checkout_core::session::{Session, State};
use checkout_core::time::UnixSeconds;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;

/// Text as WinAnsi bytes: Latin-1 covers it for everything but a few symbols.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '–' => 0x96,
            '—' => 0x97,
            c if (c as u32) < 0x80 || (0xa0..=0xff).contains(&(c as u32)) => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

struct Writer {
    content: Content,
    y: f32,
}

impl Writer {
    fn text(&mut self, x: f32, size: f32, font: &[u8], text: &str) {
        self.content.begin_text();
        self.content.set_font(Name(font), size);
        self.content.next_line(x, self.y);
        self.content.show(Str(&win_ansi(text)));
        self.content.end_text();
    }

    fn line(&mut self, size: f32, font: &[u8], text: &str) {
        self.text(MARGIN, size, font, text);
        self.y -= size * 1.6;
    }
}

/// The receipt PDF of an order.
pub fn render(session: &Session, merchant_name: &str, now: UnixSeconds) -> Vec<u8> {
    let (catalog, tree, page_id, regular, bold, content_id) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
        Ref::new(6),
    );
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page_id]).count(1);
    let mut page = pdf.page(page_id);
    page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
    page.parent(tree);
    page.contents(content_id);
    let mut resources = page.resources();
    let mut fonts = resources.fonts();
    fonts.pair(Name(b"F1"), regular);
    fonts.pair(Name(b"F2"), bold);
    fonts.finish();
    resources.finish();
    page.finish();
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));

    let mut w = Writer {
        content: Content::new(),
        y: HEIGHT - 70.0,
    };
    // The brand band.
    w.content.set_fill_rgb(0.043, 0.341, 0.816);
    w.content.rect(0.0, HEIGHT - 100.0, WIDTH, 100.0);
    w.content.fill_nonzero();
    w.content.set_fill_rgb(1.0, 1.0, 1.0);
    w.text(MARGIN, 24.0, b"F2", merchant_name);
    w.content.set_fill_rgb(0.07, 0.07, 0.07);
    w.y = HEIGHT - 140.0;

    let order_id = session
        .public_order_id
        .as_ref()
        .map(|id| id.to_string())
        .unwrap_or_else(|| session.id.to_string());
    let status = match session.state_at(now) {
        State::Paid => "Paid",
        State::Pending => "Pending payment",
        State::PartiallyPaid => "Partially paid",
        State::NeedsReview => "Payment under review",
        State::Expired => "Expired",
        State::Cancelled => "Cancelled",
    };
    w.line(18.0, b"F2", "Receipt");
    w.line(11.0, b"F1", &format!("Order: {order_id}"));
    w.line(11.0, b"F1", &format!("Status: {status}"));
    w.line(
        11.0,
        b"F1",
        &format!("Date: {}", session.created_at.to_display_utc()),
    );
    if let Some(c) = &session.customer {
        let name = [c.name.as_deref(), c.surname.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !name.is_empty() {
            w.line(11.0, b"F1", &format!("Customer: {name}"));
        }
        if let Some(email) = &c.email {
            w.line(11.0, b"F1", &format!("Email: {email}"));
        }
    }
    w.y -= 12.0;
    let currency = session.price.currency().code();
    if !session.items.is_empty() {
        w.text(MARGIN, 11.0, b"F2", "Item");
        w.text(360.0, 11.0, b"F2", "Qty");
        w.text(430.0, 11.0, b"F2", "Price");
        w.y -= 18.0;
        for item in session.items.iter().take(30) {
            let name: String = item.name.chars().take(50).collect();
            w.text(MARGIN, 11.0, b"F1", &name);
            w.text(360.0, 11.0, b"F1", &item.quantity.to_string());
            w.text(430.0, 11.0, b"F1", &format!("{} {currency}", item.price));
            w.y -= 16.0;
        }
        w.y -= 8.0;
    }
    w.line(14.0, b"F2", &format!("Total: {} {currency}", session.price));
    w.line(
        11.0,
        b"F1",
        &format!("Paid in ETN: {} ETN", session.payment_string.amount()),
    );
    w.line(
        9.0,
        b"F1",
        &format!("Payment code: {}", session.payment_string),
    );
    w.y = 60.0;
    w.line(
        8.0,
        b"F1",
        &format!(
            "Issued {} by Edge Checkout for {merchant_name}.",
            now.to_display_utc()
        ),
    );

    pdf.stream(content_id, &w.content.finish());
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_win_ansi() {
        assert_eq!(
            win_ansi("Zoë €5 ✓"),
            vec![b'Z', b'o', 0xeb, b' ', 0x80, b'5', b' ', b'?']
        );
    }
}
