//! The cards: markup built as one escaped string of our own words and
//! validated parts, set at once (the QR code, the pay link, the amount, the
//! copy button, the status line, the countdown, the error).

use checkout_core::qr::Qr;
use checkout_core::time::{UnixMillis, UnixSeconds};
use checkout_core::{EtnAmount, PaymentString};

use crate::i18n::{self, Lang, Text};
use crate::{style, Widget, SHOWN_ATTRIBUTE};

pub(crate) fn console_error(what: &str, detail: &str) {
    let mut text = String::from("Edge Checkout: ");
    text.push_str(what);
    text.push_str(detail);
    web_sys::console::error_1(&text.into());
}

/// Appends `text` escaped for HTML text and attribute values. Bytes, not
/// chars: the four specials are ASCII, so the pieces between them are whole
/// UTF-8, and no char decoding is linked for this.
pub(crate) fn esc(out: &mut String, text: &str) {
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        out.push_str(text.get(start..i).unwrap_or(""));
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(text.get(start..).unwrap_or(""));
}

/// The start of every card: the style, then the card in the widget's language.
pub(crate) fn open_card(lang: Lang, class: &str, extra: &str) -> String {
    let mut html = String::with_capacity(6000);
    html.push_str("<style>");
    html.push_str(style::CSS);
    html.push_str("</style><div class=\"");
    html.push_str(class);
    html.push_str("\" lang=\"");
    html.push_str(lang.tag());
    html.push_str(if lang.rtl() {
        "\" dir=\"rtl\""
    } else {
        "\" dir=\"ltr\""
    });
    html.push_str(extra);
    html.push('>');
    html
}

pub(crate) fn push_status(html: &mut String, state: &str, sentence: &str) {
    html.push_str("<p class=\"status\" role=\"status\" data-state=\"");
    html.push_str(state);
    html.push_str("\">");
    esc(html, sentence);
    html.push_str("</p>");
}

/// A card with only a status line (retrying, in review, ended).
pub(crate) fn render_status(widget: &Widget, state: &str, sentence: &str) {
    render_placeholder(widget, state, sentence);
    shown(widget);
}

/// The status card a live widget shows until its session's first view
/// arrives: it does not count as shown (see [`SHOWN_ATTRIBUTE`]).
pub(crate) fn render_placeholder(widget: &Widget, state: &str, sentence: &str) {
    let mut html = open_card(widget.lang, "card", "");
    push_status(&mut html, state, sentence);
    html.push_str("</div>");
    widget.root.set_inner_html(&html);
}

/// Tells the page the widget now shows what it is for.
fn shown(widget: &Widget) {
    let _ = widget.host.set_attribute(SHOWN_ATTRIBUTE, "");
}

/// An accessible error instead of a QR code. Text only: what the page wrote in
/// the attribute never reaches the markup.
pub(crate) fn render_error(widget: &Widget, detail: &str) {
    let mut html = open_card(widget.lang, "error", " role=\"alert\"");
    esc(&mut html, widget.lang.text(Text::Invalid));
    html.push_str(" (");
    esc(&mut html, detail);
    html.push_str(")</div>");
    widget.root.set_inner_html(&html);
    shown(widget);
}

/// `template` with each `{name}` slot replaced by the value `slots` pairs with
/// that name (a name it lacks is left bare; the i18n tests check that every
/// language has exactly its English sentence's slots).
pub(crate) fn fill(template: &str, slots: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 40);
    // The braces are ASCII, so every piece between them is whole UTF-8.
    let (mut text, mut slot) = (0, None);
    for (i, b) in template.bytes().enumerate() {
        match (b, slot) {
            (b'{', _) => {
                out.push_str(template.get(text..i).unwrap_or(""));
                text = i;
                slot = Some(i + 1);
            }
            (b'}', Some(start)) => {
                let name = template.get(start..i).unwrap_or("");
                out.push_str(
                    slots
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map_or(name, |(_, value)| value),
                );
                slot = None;
                text = i + 1;
            }
            _ => {}
        }
    }
    out.push_str(template.get(text..).unwrap_or(""));
    out
}

/// An ETN amount written the way `lang` writes numbers (CLDR's separators
/// and grouping, as the hosted page writes them), from its cents: no decimal
/// arithmetic is linked for this (`Decimal` would cost the download
/// kilobytes).
pub(crate) fn local(lang: Lang, amount: EtnAmount) -> String {
    checkout_core::localized::number_cents(lang.tag(), amount.cents())
}

/// The QR code's accessible name: the sentence with its slots filled.
pub(crate) fn qr_label(lang: Lang, payment: &PaymentString) -> String {
    let amount = checkout_core::localized::number_cents(lang.tag(), payment.amount().cents());
    fill(
        lang.text(Text::QrLabel),
        &[
            ("amount", &amount),
            ("outlet", payment.vendor().outlet().as_str()),
            ("id", payment.payment_id().as_str()),
        ],
    )
}

/// The payment card; live widgets pass their status line (its `data-state`
/// and sentence) and the expiry, and get a countdown line.
pub(crate) fn render_payment(
    widget: &mut Widget,
    payment: &PaymentString,
    status: Option<(&str, &str, UnixSeconds)>,
) {
    let lang = widget.lang;
    let link = payment.deep_link();
    let Ok(qr) = Qr::encode(&link) else {
        return render_error(widget, "too long for a QR code");
    };
    let mut attributes = String::from("role=\"img\" aria-label=\"");
    esc(&mut attributes, &qr_label(lang, payment));
    attributes.push('"');
    let mut html = open_card(lang, "card", "");
    if let Some((state, sentence, expires_at)) = status {
        push_status(&mut html, state, sentence);
        html.push_str("<p class=\"countdown\">");
        push_countdown_text(&mut html, lang, expires_at);
        html.push_str("</p>");
    }
    html.push_str("<a class=\"qr\" tabindex=\"-1\" href=\"");
    esc(&mut html, &link);
    html.push_str("\">");
    html.push_str(&qr.svg_with(&attributes));
    html.push_str("</a><p class=\"caption\">");
    esc(&mut html, lang.text(Text::Caption));
    html.push_str("</p><p class=\"amount\">");
    // Written the way the language writes ETN amounts (the hosted page's way).
    esc(
        &mut html,
        &checkout_core::localized::etn_cents(lang.tag(), payment.amount().cents()),
    );
    html.push_str("</p><a class=\"pay\" href=\"");
    esc(&mut html, &link);
    html.push_str("\">");
    esc(&mut html, lang.text(Text::Pay));
    html.push_str("</a><button class=\"copy\" type=\"button\">");
    esc(&mut html, lang.text(Text::Copy));
    html.push_str("</button><p class=\"sr\" aria-live=\"polite\"></p></div>");
    widget.root.set_inner_html(&html);
    shown(widget);
    widget.payment.clear();
    payment.write_to(&mut widget.payment);
}

pub(crate) fn push_countdown_text(out: &mut String, lang: Lang, expires_at: UnixSeconds) {
    esc(out, lang.text(Text::ExpiresIn));
    out.push(' ');
    // Whole seconds left, rounded up: counted from the start of the second
    // now falls in.
    let now = UnixMillis(js_sys::Date::now() as i64).to_seconds();
    let remaining = expires_at.since(now);
    i18n::push_countdown(out, remaining);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n;

    #[test]
    fn escaping_leaves_no_markup() {
        let mut out = String::new();
        esc(&mut out, "<img src=x onerror=\"a&b\">");
        assert_eq!(out, "&lt;img src=x onerror=&quot;a&amp;b&quot;&gt;");
    }

    #[test]
    fn qr_labels_fill_every_slot() {
        let payment: PaymentString = "etn-it-0abc123def456/7ce25b4dc0/1234.56".parse().unwrap();
        assert_eq!(
            qr_label(i18n::ENGLISH, &payment),
            "QR code to pay 1,234.56 ETN to outlet 0abc123def456, payment 7ce25b4dc0"
        );
        // Written the way each language writes numbers (CLDR).
        assert!(qr_label(i18n::find("de").unwrap(), &payment).contains("1.234,56"));
        let ur = i18n::find("ur").unwrap();
        let label = qr_label(ur, &payment);
        assert!(
            label.contains("1,234.56") && label.contains("0abc123def456") && !label.contains('{')
        );
    }

    #[test]
    fn slots_are_filled_by_name_wherever_they_are() {
        let slots = [
            ("received", "8000.00"),
            ("total", "19980.00"),
            ("due", "11980.00"),
        ];
        assert_eq!(
            fill(i18n::ENGLISH.text(Text::PartiallyPaid), &slots),
            "Received 8000.00 of 19980.00 ETN. Still due: 11980.00 ETN."
        );
        // Another language's order, the slot at either end, twice, or alone.
        assert_eq!(fill("{due}/{received}", &slots), "11980.00/8000.00");
        assert_eq!(fill("{due}{due}", &slots), "11980.0011980.00");
        assert_eq!(fill("{total}", &slots), "19980.00");
        assert_eq!(fill("", &slots), "");
        assert_eq!(fill("no slot", &[]), "no slot");
        // Non-ASCII text around slots stays whole.
        assert_eq!(
            fill("已收到 {total} ETN 中的 {received} ETN。", &slots),
            "已收到 19980.00 ETN 中的 8000.00 ETN。"
        );
        // A slot without a value keeps its bare name; stray braces stay text.
        assert_eq!(fill("a {other} b", &slots), "a other b");
        assert_eq!(fill("a } b {due", &slots), "a } b {due");
        assert_eq!(fill("a{b{due}", &slots), "a{b11980.00");
        // Values are put in as they are: the markup escapes them later.
        assert_eq!(fill("{x}", &[("x", "<b>")]), "<b>");
        let excess = fill(i18n::ENGLISH.text(Text::PaidOver), &[("excess", "0.05")]);
        assert_eq!(
            excess,
            "Paid. You paid 0.05 ETN more than was due: the merchant will refund it."
        );
        let refund = fill(
            i18n::ENGLISH.text(Text::EndedRefund),
            &[("received", "8000.00")],
        );
        assert_eq!(
            refund,
            "This checkout has ended. The merchant will refund the 8000.00 ETN received."
        );
    }

    #[test]
    fn amounts_of_the_view_are_whole_cents_or_absent() {
        for good in ["8000.00", "11980.00", "0.05"] {
            assert!(good.parse::<EtnAmount>().is_ok(), "{good}");
        }
        for bad in [
            "", ".", "1.", ".5", "1.2.3", "-1.00", "+1", "1e3", "1,000.00", " 1.00", "1.00 ",
            "NaN", "١٢", "1.0<b>", "0x10", "12", "0.5",
            // Nothing is no amount to tell of: absent, like a malformed one.
            "0.00",
        ] {
            assert!(bad.parse::<EtnAmount>().is_err(), "{bad:?}");
        }
    }
}
