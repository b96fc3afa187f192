//! The pure heart of Edge Checkout, shared by the browser widget, the Cloudflare
//! Worker and the `checkout` CLI.
//!
//! Nothing here performs I/O, reads a clock or draws random numbers: callers pass
//! `now` (a [`time::UnixSeconds`]) and random bytes in. That keeps every decision testable
//! and identical on all three targets.
//!
//! ```
//! use checkout_core::{Currency, Money, PaymentId, Rates, VendorAddress};
//!
//! let rates = Rates::parse(r#"{"price_eur": "0.0021", "price_gbp": 0.0018}"#).unwrap();
//! let price = Money::parse("9.95", Currency::from_code("GBP").unwrap()).unwrap();
//! let etn = rates.to_etn(&price).unwrap();
//! let vendor: VendorAddress = "etn-it-0abc123def456".parse().unwrap();
//! let string = checkout_core::PaymentString::new(vendor, PaymentId::from_bytes([0x7c, 0xe2, 0x5b, 0x4d, 0xc0]), etn);
//! assert_eq!(string.to_string(), "etn-it-0abc123def456/7ce25b4dc0/5527.78");
//! ```

pub mod brand;
pub mod confirmation;
mod currency;
pub mod embed;
pub mod event;
pub mod ids;
pub mod ledger;
pub mod lifecycle;
pub mod localized;
mod mode;
mod money;
mod payment;
pub mod policy;
mod provider;
pub mod qr;
mod rates;
pub mod session;
pub mod signature;
pub mod time;
pub mod validate;
pub mod webhook;
pub mod words;

pub use currency::{Currency, CurrencyError};
pub use money::{AmountError, Money, MAX_AMOUNT};
pub use payment::{
    push_decimal, EtnAmount, OutletId, PaymentId, PaymentString, PaymentStringError, VendorAddress,
    ETN_DEEP_LINK_PREFIX,
};
pub use rates::{Rates, RatesError, ETN_CAP_EUR};
/// The decimal type of every amount (re-exported so that the widget needs no
/// dependency of its own).
pub use rust_decimal::Decimal;
