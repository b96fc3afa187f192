//! The widget's markup contract: the attributes a page writes on a widget's
//! element and the ones the widget writes back. The hosted checkout page
//! (worker) and the widget both name them from here.

/// A live checkout session to follow (`cs_...`).
pub const SESSION_ATTRIBUTE: &str = "data-checkout-session";
/// The language to speak (a tag of `words`), before the browser's.
pub const LANG_ATTRIBUTE: &str = "data-etn-lang";
/// Written by the widget once it shows what it is for (the session's state,
/// its QR code, or an error), not just its first placeholder: until then a
/// page may keep the widget's place, so that nothing below it jumps.
pub const SHOWN_ATTRIBUTE: &str = "data-edge-checkout-shown";
