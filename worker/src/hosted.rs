//! The hosted checkout page, `/pay/{id}`: one small page, in the shopper's
//! language from the first byte to the last.
//!
//! - **One language**: `?lang=`, then the session's `locale` (given at
//!   creation), then the browser's `Accept-Language`, then English; `<html
//!   lang dir>` follow it (right to left for Arabic, Hebrew, Persian and
//!   Urdu), and so does the widget inside (`data-etn-lang`). Every word comes
//!   from core's one table (`checkout_core::words`), the widget's too.
//! - **Prices the local way**: CLDR's separators, grouping and currency
//!   symbols (`checkout_core::localized`), ETN amounts too.
//! - **What is bought**: the items, the merchant's order reference and, once
//!   paid, the receipt (`/pay/{id}/receipt.pdf`).
//! - **How to pay**, in three steps; on a phone the pay button comes first.
//! - **Every language** on a page of its own (`/pay/{id}/languages`), linked
//!   from the foot of the checkout, so that the checkout need not lay out
//!   forty-odd names in as many scripts before its first paint.
//! - **Without script** the page still pays: the QR code, the link and the
//!   status are in `<noscript>`; with it, the widget follows the session live.
//! - **Small**: HTML, CSS and QR code within the first round trip (14 KB
//!   gzip, asserted by the end-to-end tests).

use checkout_core::brand::Brand;
use checkout_core::embed::{LANG_ATTRIBUTE, SESSION_ATTRIBUTE, SHOWN_ATTRIBUTE};
use checkout_core::ids::SessionId;
use checkout_core::localized;
use checkout_core::qr::Qr;
use checkout_core::session::{Mode, Session, State};
use checkout_core::time::UnixSeconds;
use checkout_core::words::{self, fill, Lang, PageText, Text, ENGLISH};
use rust_decimal::Decimal;
use worker::Response;

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::http::{self, escape};
use crate::route::{Call, CheckoutRef, Path};
use crate::sessions;

/// `GET /pay/{id}`: the hosted checkout page. An alias (`EX-O...`, `pl_...`)
/// redirects to the canonical `/pay/cs_...` (with its query).
pub async fn page(call: Call, Path(id): Path<CheckoutRef>) -> ApiResult<Response> {
    let ctx = &call.ctx;
    let (asked, accepted) = languages_asked(&call)?;
    // An alias is its session's id in a dialect's spelling; one made before
    // the account objects is found through its KV record.
    let alias = match &id {
        CheckoutRef::Order(order) => Some(order.session_id().ok_or(order.as_str())),
        CheckoutRef::Link(link) => Some(link.session_id().ok_or(link.as_str())),
        CheckoutRef::Session(_) | CheckoutRef::Unknown => None,
    };
    let canonical = match alias {
        Some(Ok(session)) => Some(session),
        Some(Err(legacy)) => ctx.store.alias(legacy).await?,
        None => None,
    };
    if let Some(canonical) = canonical {
        let mut target = ctx.checkout_url(&canonical);
        if let Some(lang) = asked {
            target = format!("{target}?lang={}", lang.tag());
        }
        let target = worker::Url::parse(&target).map_err(|e| ApiError::internal("url", e))?;
        return Ok(Response::redirect_with_status(target, 302)?);
    }
    let found = match &id {
        CheckoutRef::Session(id) => sessions::find(ctx, id).await,
        _ => Err(ApiError::not_found("session")),
    };
    let read = match found {
        Ok(read) => read,
        Err(e) if e.status == 404 => {
            let lang = page_language(asked, None, &accepted);
            return http::html(404, not_found_page(lang));
        }
        Err(e) => return Err(e),
    };
    let s = &read.session;
    let lang = page_language(asked, s.locale.as_deref(), &accepted);
    let brand = read.brand.clone().unwrap_or_default();
    let name = brand.display_name.as_deref().unwrap_or(&read.merchant_name);
    // The page's CSP allows images from the logo's origin, and no other.
    let csp = match brand.logo_origin() {
        Some(origin) => http::PAGE_CSP.replace(
            "img-src 'self' data:",
            &format!("img-src 'self' data: {origin}"),
        ),
        None => http::PAGE_CSP.to_owned(),
    };
    let response = http::html_with(200, render(ctx, s, name, &brand, lang)?, &csp)?;
    // The same address answers in other languages.
    response.headers().set("vary", "Accept-Language")?;
    response.headers().set("content-language", lang.tag())?;
    Ok(response)
}

/// The language a request asks for (`?lang=`, if one we speak), and those
/// its browser accepts, best first.
fn languages_asked(call: &Call) -> ApiResult<(Option<Lang>, Vec<Lang>)> {
    let asked = call
        .req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| words::find(&v));
    let accepted = words::accepted(&call.header("accept-language")?.unwrap_or_default());
    Ok((asked, accepted))
}

/// The language a session's pages speak: `?lang=`, then the session's
/// `locale` (none when there is no session), then the browser's languages,
/// then English.
fn page_language(asked: Option<Lang>, locale: Option<&str>, accepted: &[Lang]) -> Lang {
    asked
        .or_else(|| locale.and_then(words::find))
        .or(accepted.first().copied())
        .unwrap_or(ENGLISH)
}

/// `GET /pay/{id}/languages`: every language the checkout speaks, each named
/// in itself and a link to the checkout in it. A page of its own rather than
/// a menu in the checkout: the checkout paints sooner on a slow phone without
/// forty-odd names in as many scripts to lay out, and few shoppers change the
/// language they were given.
pub async fn languages(call: Call, Path(id): Path<SessionId>) -> ApiResult<Response> {
    let ctx = &call.ctx;
    let (asked, accepted) = languages_asked(&call)?;
    let read = match sessions::find(ctx, &id).await {
        Ok(read) => read,
        Err(e) if e.status == 404 => {
            let lang = page_language(asked, None, &accepted);
            return http::html(404, not_found_page(lang));
        }
        Err(e) => return Err(e),
    };
    let lang = page_language(asked, read.session.locale.as_deref(), &accepted);
    let mut links = String::new();
    for other in Lang::all() {
        links.push_str(&format!(
            "<li><a href=\"/pay/{id}?lang={tag}\" lang=\"{tag}\" hreflang=\"{tag}\"{current}>{name}</a></li>",
            tag = other.tag(),
            current = if other == lang { " aria-current=\"true\"" } else { "" },
            name = words::native_name(other),
        ));
    }
    let title = escape(lang.page(PageText::Language));
    let body = format!("<h1>{title}</h1><ul class=\"langs\">{links}</ul>");
    let response = http::html(200, shell(lang, &title, "", &body))?;
    response.headers().set("vary", "Accept-Language")?;
    response.headers().set("content-language", lang.tag())?;
    Ok(response)
}

/// `GET /pay/{id}/receipt.pdf`: the receipt of a paid session, for the
/// shopper (the session id is the page's own key: whoever may see the page
/// may see its receipt). 409 before it is paid.
pub async fn receipt(call: Call, Path(id): Path<SessionId>) -> ApiResult<Response> {
    let ctx = &call.ctx;
    let read = sessions::find(ctx, &id).await?;
    let s = &read.session;
    if s.state_at(ctx.now) != State::Paid {
        return Err(ApiError::new(
            409,
            "receipt_unavailable",
            "the receipt exists once the checkout is paid",
        ));
    }
    let pdf = crate::receipt::render(s, &read.merchant_name, ctx.now);
    let r = Response::from_bytes(pdf)?;
    r.headers().set("content-type", "application/pdf")?;
    r.headers().set(
        "content-disposition",
        &format!("inline; filename=\"receipt-{}.pdf\"", s.id),
    )?;
    r.headers().set("cache-control", "no-store")?;
    r.headers().set("x-content-type-options", "nosniff")?;
    Ok(r)
}

/// `GET /pay/{id}/logo`: the logo the session's merchant uploaded, with
/// its type as read from its bytes, never sniffed, never run (a CSP that
/// allows nothing), cached as long as its version (in the page's URL) lasts.
pub async fn logo(call: Call, Path(id): Path<SessionId>) -> ApiResult<Response> {
    use base64::Engine;
    let ctx = &call.ctx;
    let located = sessions::locate(ctx, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("session"))?;
    let logo = ctx
        .account(located.owner())
        .call(crate::account::protocol::GetLogo)
        .await?
        .ok_or_else(|| ApiError::not_found("logo"))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&logo.base64)
        .map_err(|e| ApiError::internal("logo", e))?;
    let r = Response::from_bytes(bytes)?;
    r.headers().set("content-type", &logo.content_type)?;
    r.headers().set("x-content-type-options", "nosniff")?;
    r.headers()
        .set("content-security-policy", "default-src 'none'; sandbox")?;
    r.headers().set("cache-control", "public, max-age=86400")?;
    r.headers().set("etag", &format!("\"{}\"", logo.version))?;
    Ok(r)
}

/// A page: its language, title, the CSS of this page alone (after the
/// shared [`STYLE`], in the one `<style>` of the head) and its body.
fn shell(lang: Lang, title: &str, style: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{tag}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"icon\" href=\"data:,\">\
         <title>{title}</title><style>{STYLE}{style}</style></head><body><main>{body}</main></body></html>",
        tag = lang.tag(),
        dir = if lang.rtl() { "rtl" } else { "ltr" },
    )
}

/// The page's CSS: logical properties (`margin-inline`, `text-align: start`),
/// so that a right-to-left page mirrors by itself; on a narrow screen the pay
/// button comes before the QR code (the widget orders its own; without script,
/// `order` in the `<noscript>` block's flex column). Before the widget, the
/// page's text is in three sizes and weights only (16 px, the name's 20 px
/// bold, the amount's 24 px bold): each other one made the browser measure
/// its glyphs again before the first paint (a bold 16 px for the headings and
/// the total, 12.8 px for the test-mode badge, 14.4 px for the language link
/// cost a slow phone about 30 ms of it; `cargo xtask bench page`).
const STYLE: &str = "body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#f4f5f7;color:#111}\
main{max-width:420px;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px #0002}\
.nojs{display:flex;flex-direction:column}\
h1{font-size:1.25rem;margin:0 0 .25rem}.logo{display:block;max-height:40px;width:auto;margin:0 0 .75rem}.badge{font-size:1rem;font-weight:400;background:#fff1c2;color:#5f3b00;border-radius:4px;padding:0 .4rem;margin-inline-start:.5rem;vertical-align:middle}\
.amount{font-size:1.5rem;font-weight:700;margin:.5rem 0 0}.etn{color:#444;margin:0 0 1rem}\
.qr{display:block;max-width:300px;margin:0 auto}.qr svg{width:100%;height:auto;display:block}\
.pay{display:block;text-align:center;margin:1rem 0;padding:.75rem;border-radius:8px;background:#0b57d0;color:#fff;text-decoration:none;font-weight:600}\
.status{padding:.5rem .75rem;border-radius:6px;background:#eef;margin:0 0 1rem}.cancel,.back{color:#444}\
code{word-break:break-all;font-size:.85rem}table{width:100%;border-collapse:collapse;margin:0 0 1rem}\
td{padding:.2rem 0;vertical-align:top}td:last-child{text-align:end;white-space:nowrap}tfoot td{border-top:1px solid #ccc}\
h2{font-size:1rem;font-weight:400;color:#555;border-bottom:1px solid #ddd;margin:1rem 0 .25rem}ol{margin:0 0 1rem;padding-inline-start:1.25rem}.ref{color:#444;margin:0 0 .5rem}\
nav{margin-top:1rem}nav a,.langs a{color:#0b57d0}.langs{list-style:none;padding:0;margin:.5rem 0 0;columns:2;line-height:2}\
.sandbox{font:inherit;width:100%;padding:.6rem;border:2px dashed #b06000;border-radius:8px;background:#fff8e1;color:#5f3b00;cursor:pointer}\
@media (max-width:600px){main{margin:0;border-radius:0}.nojs .qr,.nojs .code{order:1}}";

/// A price in the session's currency, written the way `lang` writes it.
fn price(lang: Lang, amount: Decimal, s: &Session) -> String {
    localized::money(lang.tag(), amount, s.price.currency())
}

/// An ETN amount with its unit, written the way `lang` writes it.
fn etn(lang: Lang, amount: Decimal) -> String {
    localized::etn(lang.tag(), amount)
}

/// An ETN amount without its unit, for sentences that name the unit
/// themselves (`Received {received} of {total} ETN`).
fn etn_number(lang: Lang, amount: Decimal) -> String {
    localized::number(lang.tag(), amount, 2)
}

fn render(
    ctx: &Ctx,
    s: &Session,
    merchant_name: &str,
    brand: &Brand,
    lang: Lang,
) -> ApiResult<String> {
    let state = s.state_at(ctx.now);
    let merchant = escape(merchant_name);
    let link = s.payment_string.deep_link();
    let qr = Qr::encode(&link)
        .map_err(|e| ApiError::internal("qr", e))?
        .to_svg();
    let label = fill(
        lang.text(Text::QrLabel),
        &[
            (
                "amount",
                &etn_number(lang, s.payment_string.amount().value()),
            ),
            ("outlet", s.payment_string.vendor().outlet().as_str()),
            ("id", s.payment_string.payment_id().as_str()),
        ],
    );
    let qr = qr.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{}\" ", escape(&label)),
        1,
    );
    // Until a session settles (open, needing review, or expired recently
    // enough that a late payment may still come) the widget tells its state:
    // it follows it live (status, what is still due, the QR code of the
    // remainder, the countdown, the redirect once paid). Without JavaScript
    // the same words, QR code and link still work.
    let sentence = status_sentence(s, state, lang, ctx.now);
    let status = format!(
        "<p class=\"status\" role=\"status\" data-state=\"{state}\">{}</p>",
        escape(&sentence)
    );
    let followed = !s.settled_at(ctx.now);
    // Until the widget shows the session, an open one keeps its place (its
    // payment card's height), so that the steps and links below do not jump
    // when the QR code arrives. Without script there is no widget, and
    // nothing to keep.
    let keep = if state.is_open() {
        format!(
            "@media (scripting:enabled){{.widget:not([{SHOWN_ATTRIBUTE}]){{min-height:32rem}}}}"
        )
    } else {
        String::new()
    };
    let payment = if followed {
        let qr = if state.is_open() {
            format!(
                "<a class=\"qr\" href=\"{link}\" tabindex=\"-1\">{qr}</a>\
                 <a class=\"pay\" href=\"{link}\">{pay}</a>\
                 <p class=\"code\">{code_label}: <code>{code}</code></p>",
                link = escape(&link),
                pay = escape(lang.text(Text::Pay)),
                code_label = escape(lang.page(PageText::PaymentCode)),
                code = escape(&s.payment_string.to_string()),
            )
        } else {
            String::new()
        };
        format!(
            "<div class=\"widget\" {SESSION_ATTRIBUTE}=\"{id}\" {LANG_ATTRIBUTE}=\"{tag}\"></div>\
             <noscript><div class=\"nojs\">{status}{qr}</div></noscript>\
             <script src=\"/widget.js\" defer></script>",
            id = s.id,
            tag = lang.tag(),
        )
    } else {
        status
    };
    let steps = if state.is_open() {
        format!(
            "<h2>{}</h2><ol><li>{}</li><li>{}</li><li>{}</li></ol>",
            escape(lang.page(PageText::HowToPay)),
            escape(lang.page(PageText::StepOpen)),
            escape(lang.page(PageText::StepScan)),
            escape(lang.page(PageText::StepConfirm)),
        )
    } else {
        String::new()
    };
    let leave = match (state, &s.cancel_url, &s.return_url) {
        (state, Some(url), _) if state.is_open() => Some((url, PageText::CancelReturn, "cancel")),
        (State::Paid, _, Some(url)) => Some((url, PageText::BackToShop, "back")),
        _ => None,
    };
    let leave = leave.map_or(String::new(), |(url, text, class)| {
        format!(
            "<p><a class=\"{class}\" href=\"{}\">{}</a></p>",
            escape(url),
            escape(&fill(lang.page(text), &[("merchant", merchant_name)])),
        )
    });
    let receipt = if state == State::Paid {
        format!(
            "<p><a href=\"/pay/{}/receipt.pdf\">{}</a></p>",
            s.id,
            escape(lang.page(PageText::Receipt))
        )
    } else {
        String::new()
    };
    // The sandbox pays test sessions only; live sessions never show this control.
    let sandbox = if s.mode == Mode::Test && state.is_open() {
        format!(
            "<form method=\"post\" action=\"/v1/sessions/{}/sandbox?scenario=payment&amp;redirect=1\">\
             <button class=\"sandbox\" type=\"submit\">{}</button></form>",
            s.id,
            escape(lang.page(PageText::Simulate)),
        )
    } else {
        String::new()
    };
    let test_badge = if s.mode == Mode::Test {
        format!(
            "<span class=\"badge\">{}</span>",
            escape(lang.page(PageText::TestMode))
        )
    } else {
        String::new()
    };
    let total = price(lang, s.price.amount(), s);
    // An uploaded logo (from this deployment), else the merchant's URL.
    let uploaded = brand
        .logo_version
        .as_ref()
        .map(|v| format!("/pay/{}/logo?v={v}", s.id));
    let logo = uploaded
        .as_deref()
        .or(brand.logo_url.as_deref())
        .map_or(String::new(), |url| {
            format!(
                "<img class=\"logo\" src=\"{}\" alt=\"{merchant}\" height=\"40\">",
                escape(url)
            )
        });
    // The accent colour (checked for contrast with white text when it was
    // set) colours the pay buttons, the widget's too (a custom property
    // the widget's shadow root inherits).
    let accent = brand.accent_color.as_deref().map_or(String::new(), |c| {
        format!(".pay{{background:{c}}}.widget{{--accent:{c}}}")
    });
    let body = format!(
        "{logo}<h1>{merchant}{test_badge}</h1>{reference}\
         <p class=\"amount\" data-testid=\"fiat\">{total}</p>\
         <p class=\"etn\" data-testid=\"etn\">{etn_total}</p>\
         {order}{payment}{steps}{sandbox}{receipt}{leave}{languages}",
        reference = order_reference(s, lang),
        etn_total = escape(&etn(lang, s.etn_due().value())),
        total = escape(&total),
        order = items(s, lang),
        languages = language_link(s, lang),
    );
    let title = fill(
        lang.page(PageText::Title),
        &[("amount", &total), ("merchant", merchant_name)],
    );
    Ok(shell(
        lang,
        &escape(&title),
        &format!("{accent}{keep}"),
        &body,
    ))
}

/// The merchant's order reference, if the session has one.
fn order_reference(s: &Session, lang: Lang) -> String {
    let reference = s
        .public_order_id
        .as_ref()
        .map(|o| o.to_string())
        .or_else(|| s.order_id.clone())
        .or_else(|| s.reference.clone());
    reference.map_or(String::new(), |r| {
        format!(
            "<p class=\"ref\">{}</p>",
            escape(&fill(lang.page(PageText::OrderRef), &[("reference", &r)]))
        )
    })
}

/// The items bought: name, quantity, line price, and the total.
fn items(s: &Session, lang: Lang) -> String {
    if s.items.is_empty() {
        return String::new();
    }
    let mut rows = String::new();
    for item in &s.items {
        let line = item
            .price
            .amount()
            .checked_mul(Decimal::from(item.quantity))
            .unwrap_or(Decimal::ZERO);
        rows.push_str(&format!(
            "<tr><td>{name}</td><td>×\u{a0}{quantity}</td><td>{price}</td></tr>",
            name = escape(&item.name),
            quantity = item.quantity,
            price = escape(&price(lang, line, s)),
        ));
    }
    format!(
        "<h2>{heading}</h2><table><tbody>{rows}</tbody><tfoot><tr><td colspan=\"2\">{total}</td><td>{sum}</td></tr></tfoot></table>",
        heading = escape(lang.page(PageText::YourOrder)),
        total = escape(lang.page(PageText::Total)),
        sum = escape(&price(lang, s.price.amount(), s)),
    )
}

/// The way to the page of every language (`languages`), in this one.
fn language_link(s: &Session, current: Lang) -> String {
    format!(
        "<nav><a href=\"/pay/{id}/languages?lang={tag}\">{label}</a></nav>",
        id = s.id,
        tag = current.tag(),
        label = escape(current.page(PageText::Language))
    )
}

/// What the hosted page says of a session in `state`, in words: what is
/// still due, that a late payment waits for the merchant, that an excess or
/// what an unpaid session received will be refunded.
fn status_sentence(s: &Session, state: State, lang: Lang, now: UnixSeconds) -> String {
    let tally = s.tally();
    let (received, _) = tally.received();
    match state {
        State::Pending => lang.text(Text::Waiting).to_owned(),
        State::PartiallyPaid => fill(
            lang.text(Text::PartiallyPaid),
            &[
                ("received", &etn_number(lang, received)),
                ("total", &etn_number(lang, s.etn_due().value())),
                ("due", &etn_number(lang, s.still_due(now).0)),
            ],
        ),
        State::NeedsReview => lang.text(Text::NeedsReview).to_owned(),
        State::Paid => {
            let (excess, _) = tally.excess();
            if excess > Decimal::ZERO {
                fill(
                    lang.text(Text::PaidOver),
                    &[("excess", &etn_number(lang, excess))],
                )
            } else {
                lang.text(Text::Paid).to_owned()
            }
        }
        State::Expired | State::Cancelled if !s.payments.is_empty() => fill(
            lang.text(Text::EndedRefund),
            &[("received", &etn_number(lang, received))],
        ),
        State::Expired => lang.text(Text::Expired).to_owned(),
        State::Cancelled => lang.page(PageText::Cancelled).to_owned(),
    }
}

fn not_found_page(lang: Lang) -> String {
    shell(
        lang,
        &escape(lang.page(PageText::NotFound)),
        "",
        &format!(
            "<h1>{}</h1><p>{}</p>",
            escape(lang.page(PageText::NotFound)),
            escape(lang.page(PageText::NotFoundBody))
        ),
    )
}
