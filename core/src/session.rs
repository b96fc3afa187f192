//! The checkout session: one model under every API dialect.
//!
//! A dialect (native API, gateway, ewallet orders, payment links) turns its wire
//! request into a [`SessionRequest`]; [`Session::open`] validates it, prices it in
//! ETN and returns the session to store. State only moves forward:
//! `pending → paid | expired | cancelled`; [`crate::lifecycle::transition`] is
//! the one place where it moves.

use core::fmt;

use serde::{Deserialize, Serialize};

use rust_decimal::Decimal;

use crate::ids::{LinkId, MerchantId, PublicOrderId, SessionId, WalletId};
use crate::policy::PaymentPolicy;
use crate::provider::Provider;
use crate::time::UnixSeconds;
use crate::validate::{self, FieldError, UrlPolicy};
use crate::{
    Currency, EtnAmount, Money, OutletId, PaymentId, PaymentString, Rates, RatesError,
    VendorAddress,
};

/// Default lifetime of a session, in seconds.
pub const DEFAULT_EXPIRES_IN: i64 = 30 * 60;
/// Shortest and longest lifetime a merchant may ask for, in seconds.
pub const EXPIRES_IN_RANGE: core::ops::RangeInclusive<i64> = 60..=24 * 60 * 60;
/// Most line items per session.
pub const MAX_ITEMS: usize = 100;

pub use crate::mode::Mode;

/// How long a shopper's page follows an expired session at least (seconds):
/// a payment sent just before the expiry may arrive just after it.
pub const FOLLOW_AFTER_EXPIRY: i64 = 30 * 60;

/// Where a session is in its life (see [`crate::lifecycle`] for how it moves).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Waiting for a verified payment.
    Pending,
    /// Money received, less than due (less the policy's tolerance): open for
    /// the rest, under a new payment id, until it expires.
    PartiallyPaid,
    /// Paid in full (or within the tolerance, or late within the window, or
    /// accepted by the merchant).
    Paid,
    /// Money arrived that the payment policy does not accept by itself: the
    /// merchant decides.
    NeedsReview,
    /// The expiry passed before payment.
    Expired,
    /// The merchant cancelled it.
    Cancelled,
}

impl State {
    /// Every state, in the order of a session's life.
    pub const ALL: [State; 6] = [
        State::Pending,
        State::PartiallyPaid,
        State::Paid,
        State::NeedsReview,
        State::Expired,
        State::Cancelled,
    ];

    /// The state's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::PartiallyPaid => "partially_paid",
            State::Paid => "paid",
            State::NeedsReview => "needs_review",
            State::Expired => "expired",
            State::Cancelled => "cancelled",
        }
    }

    /// The state a wire name names (`as_str` backwards), without formatting or
    /// serde, for the widget reading the public view; `None` for any other text.
    pub fn from_wire(text: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether the session still waits for the shopper's payment (what is
    /// due may change, a QR code is shown).
    pub fn is_open(self) -> bool {
        matches!(self, State::Pending | State::PartiallyPaid)
    }

    /// Whether the state is an end: paid, expired or cancelled (an expired
    /// session may still receive a late payment: see `Session::settled_at`).
    pub fn is_final(self) -> bool {
        matches!(self, State::Paid | State::Expired | State::Cancelled)
    }
}

#[cfg(test)]
mod state_wire_tests {
    use super::{Mode, State};

    #[test]
    fn mode_names_are_serdes_and_read_back() {
        for mode in [Mode::Test, Mode::Live] {
            assert_eq!(
                serde_json::to_value(mode).unwrap(),
                serde_json::Value::from(mode.as_str())
            );
            assert_eq!(Mode::from_wire(mode.as_str()), Some(mode));
        }
        for other in ["", "Test", "dev", "live "] {
            assert_eq!(Mode::from_wire(other), None, "{other:?}");
        }
    }

    #[test]
    fn from_wire_reads_exactly_the_names_as_str_writes() {
        for state in State::ALL {
            assert_eq!(State::from_wire(state.as_str()), Some(state));
            assert_eq!(
                serde_json::to_value(state).unwrap(),
                serde_json::Value::from(state.as_str())
            );
        }
        // The payment-links seed's webhook words are not states of the public view.
        for other in ["fulfilled", "timed_out", "Paid", "", "pending "] {
            assert_eq!(State::from_wire(other), None, "{other:?}");
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which API created the session; decides the shape of its answers and webhooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// `/v1/sessions`
    Native,
    /// hosted-checkout-gateway-api
    Gateway,
    /// ewallet-orders-api
    Ewallet,
    /// payment-links-api
    Link,
}

impl Dialect {
    /// The dialect's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Native => "native",
            Dialect::Gateway => "gateway",
            Dialect::Ewallet => "ewallet",
            Dialect::Link => "link",
        }
    }

    /// The dialect a wire name names (`as_str` backwards).
    pub fn from_wire(text: &str) -> Option<Dialect> {
        [
            Dialect::Native,
            Dialect::Gateway,
            Dialect::Ewallet,
            Dialect::Link,
        ]
        .into_iter()
        .find(|d| d.as_str() == text)
    }

    /// What this dialect calls a state: payment links call an expired link
    /// `timed_out` and a paid one `fulfilled`, as their webhook does.
    pub fn status(self, state: State) -> &'static str {
        match (self, state) {
            (Dialect::Link, State::Expired) => "timed_out",
            (Dialect::Link, State::Paid) => "fulfilled",
            (_, state) => state.as_str(),
        }
    }
}

/// The buyer, as the ewallet-orders-api `customer_details` describes them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    /// First name.
    pub name: Option<String>,
    /// Last name.
    pub surname: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Street address.
    pub address_line1: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<String>,
}

/// A line item as requested: the price is text, parsed in the session's currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRequest {
    /// What was bought.
    pub name: Option<String>,
    /// Unit price text.
    pub price: Option<String>,
    /// How many (1 if absent).
    pub quantity: Option<i64>,
}

/// A validated line item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// What was bought.
    pub name: String,
    /// Unit price, in the session's currency.
    pub price: Money,
    /// How many.
    pub quantity: u32,
}

/// What a dialect asks for, before validation. Field names in errors are the
/// native API's; a dialect renames them to its own wire names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionRequest {
    /// Price text (`"149.98"`).
    pub amount: Option<String>,
    /// ISO 4217 code.
    pub currency: Option<String>,
    /// The merchant's own order reference.
    pub order_id: Option<String>,
    /// Where the buyer's receipt goes.
    pub customer_email: Option<String>,
    /// Buyer details.
    pub customer: Option<Customer>,
    /// Line items.
    pub items: Vec<ItemRequest>,
    /// Where the buyer goes after paying.
    pub return_url: Option<String>,
    /// Where the buyer goes to abandon the payment.
    pub cancel_url: Option<String>,
    /// Lifetime in seconds.
    pub expires_in: Option<i64>,
    /// A smart-routing payment method.
    pub method: Option<String>,
    /// Where this session's own webhooks go (ewallet orders).
    pub webhook_url: Option<String>,
    /// The merchant's free-form reference (payment links' `ref`).
    pub reference: Option<String>,
    /// The shopper's language for the hosted checkout (`de`, `pt-BR`, `ja`...):
    /// one of `words`' languages, kept as its tag.
    pub locale: Option<String>,
}

/// A verified payment a session received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payment {
    /// Who confirmed it.
    pub provider: Provider,
    /// What identifies it: the provider's own reference (ETN's `ref`, the
    /// gateway's `reference`), or, without one, what it named and its amount.
    pub reference: String,
    /// What it named: the ETN payment id it paid, or the session (gateway).
    pub paid_to: String,
    /// The amount as the provider wrote it, in ETN or the session's currency.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
    /// `ETN` or the session's currency.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub currency: Currency,
    /// Its worth in ETN (two decimals), at the session's rate.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub etn: Decimal,
    /// Its worth in the session's currency, at the session's rate.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub fiat: Decimal,
    /// Unix seconds when it was recorded.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub at: UnixSeconds,
}

/// Who accepted a session as paid, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Acceptance {
    /// `key_...` (an API key) or `dashboard` (a dashboard sign-in).
    pub by: String,
    /// When the dashboard sign-in that accepted began (unix seconds).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub signed_in_at: Option<UnixSeconds>,
    /// Unix seconds.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub at: UnixSeconds,
}

/// What a session's payments add up to, exactly.
///
/// ETN payments are summed in ETN, gateway payments in the session's
/// currency, and the two compared with what is due by cross-multiplying
/// (`etn × price + fiat × etn_due` against `etn_due × price`): no conversion
/// is rounded before the decision, so a payment a cent short never looks
/// paid. Amounts shown to people ([`Tally::received`], [`Tally::excess`],
/// [`Tally::short`]) are rounded to each currency's minor units afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Σ ETN × price + Σ fiat × ETN due.
    received: Decimal,
    /// ETN due × price.
    due: Decimal,
    etn_due: Decimal,
    price: Decimal,
    currency: Currency,
}

impl Tally {
    /// Zero in ETN and in `currency`, written with each one's minor units.
    pub fn zero(currency: Currency) -> (Decimal, Decimal) {
        let mut etn = Decimal::ZERO;
        etn.rescale(Currency::ETN.minor_units());
        let mut fiat = Decimal::ZERO;
        fiat.rescale(currency.minor_units());
        (etn, fiat)
    }

    /// Whether what was received covers what is due.
    pub fn in_full(&self) -> bool {
        self.received >= self.due
    }

    /// Whether what was received is at least `100 − tolerance` percent of
    /// what is due.
    pub fn within(&self, tolerance_percent: Decimal) -> bool {
        let threshold = (Decimal::ONE_HUNDRED - tolerance_percent).saturating_mul(self.due);
        self.received.saturating_mul(Decimal::ONE_HUNDRED) >= threshold
    }

    /// A part of the tally expressed in ETN and in the session's currency,
    /// rounded to each one's minor units.
    fn in_units(&self, part: Decimal) -> (Decimal, Decimal) {
        let round = |value: Option<Decimal>, currency: Currency| {
            let mut value = value.unwrap_or(Decimal::ZERO).round_dp_with_strategy(
                currency.minor_units(),
                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
            );
            // Written with all its minor units ("2.00").
            value.rescale(currency.minor_units());
            value
        };
        (
            round(part.checked_div(self.price), Currency::ETN),
            round(part.checked_div(self.etn_due), self.currency),
        )
    }

    /// What was received, in ETN and in the session's currency.
    pub fn received(&self) -> (Decimal, Decimal) {
        self.in_units(self.received)
    }

    /// What was received beyond what is due (to give back); zero if less,
    /// or if less than one minor unit of the session's currency (the half
    /// cent a gateway rounds a remainder up by is no overpayment).
    pub fn excess(&self) -> (Decimal, Decimal) {
        let over = (self.received - self.due).max(Decimal::ZERO);
        let unit = Decimal::new(1, self.currency.minor_units());
        // over / etn_due is the excess in the session's currency.
        let dust = over < unit.saturating_mul(self.etn_due);
        self.in_units(if dust { Decimal::ZERO } else { over })
    }

    /// What is missing of what is due; zero if it is covered.
    pub fn short(&self) -> (Decimal, Decimal) {
        self.in_units((self.due - self.received).max(Decimal::ZERO))
    }
}

/// Why a session could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// A field of the request is wrong: the client's to fix.
    Field(FieldError),
    /// No usable rates: nobody's fault, try again later.
    RatesUnavailable(RatesError),
}

impl From<FieldError> for OpenError {
    fn from(e: FieldError) -> Self {
        OpenError::Field(e)
    }
}

/// Everything [`Session::open`] needs besides the request: ids and randomness
/// drawn by the caller, the merchant's outlet, rates and the time.
pub struct Opening<'a> {
    /// The new session's id.
    pub id: SessionId,
    /// The owner.
    pub merchant_id: MerchantId,
    /// Test or live, from the API key.
    pub mode: Mode,
    /// The merchant's ETN outlet.
    pub outlet: &'a OutletId,
    /// A fresh payment id.
    pub payment_id: PaymentId,
    /// Current rates.
    pub rates: &'a Rates,
    /// The time.
    pub now: UnixSeconds,
    /// Whether http://localhost URLs are allowed (local dev).
    pub url_policy: UrlPolicy,
    /// Which API is asking.
    pub dialect: Dialect,
    /// The ewallet alias, when the ewallet dialect opens the session.
    pub public_order_id: Option<PublicOrderId>,
    /// The payment link alias, when the payment-links dialect opens it.
    pub link_id: Option<LinkId>,
    /// The wallet a paid ewallet order credits.
    pub wallet_id: Option<WalletId>,
}

/// A checkout session as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Canonical id.
    pub id: SessionId,
    /// Owner.
    pub merchant_id: MerchantId,
    /// Test or live.
    pub mode: Mode,
    /// Which API created it.
    pub dialect: Dialect,
    /// The price, exactly as requested.
    pub price: Money,
    /// What the buyer pays, in ETN.
    pub payment_string: PaymentString,
    /// The merchant's order reference.
    pub order_id: Option<String>,
    /// The ewallet-orders-api alias.
    pub public_order_id: Option<PublicOrderId>,
    /// Receipt address.
    pub customer_email: Option<String>,
    /// Buyer details.
    pub customer: Option<Customer>,
    /// Line items.
    pub items: Vec<Item>,
    /// After payment.
    pub return_url: Option<String>,
    /// To abandon.
    pub cancel_url: Option<String>,
    /// Smart-routing method.
    pub method: Option<String>,
    /// Where this session's own webhooks go (ewallet orders).
    #[serde(default)]
    pub webhook_url: Option<String>,
    /// The merchant's reference (payment links' `ref`).
    #[serde(default)]
    pub reference: Option<String>,
    /// The payment-links alias.
    #[serde(default)]
    pub link_id: Option<LinkId>,
    /// The payment-links webhook `secret`, computed at creation while the merchant's
    /// API key was in hand (it is stored only as a hash).
    #[serde(default)]
    pub link_signature: Option<String>,
    /// The wallet a paid ewallet order credits.
    #[serde(default)]
    pub wallet_id: Option<WalletId>,
    /// The shopper's language, as given at creation (a `words` tag): the
    /// hosted page speaks it unless `?lang=` asks for another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// What the session asked in ETN when it opened (its payment string asks
    /// what is left); `None` in records made before split payments, where the
    /// payment string's amount is it.
    #[serde(default)]
    pub etn_total: Option<EtnAmount>,
    /// The payment ids that pay this session besides its payment string's own
    /// (the first one, and those of earlier remainders).
    #[serde(default)]
    pub earlier_payment_ids: Vec<PaymentId>,
    /// Every verified payment it received, in order.
    #[serde(default)]
    pub payments: Vec<Payment>,
    /// The merchant's payment policy when the session opened (set by the
    /// account object that stores it: the policy lives there).
    #[serde(default)]
    pub policy: PaymentPolicy,
    /// Paid after it expired (within the policy's late window).
    #[serde(default)]
    pub late: bool,
    /// The merchant accepted it as paid (a needs-review or partially paid session).
    #[serde(default)]
    pub accepted: Option<Acceptance>,
    /// When it was made.
    pub created_at: UnixSeconds,
    /// Pending sessions expire at this instant.
    pub expires_at: UnixSeconds,
    /// As last written; see [`Session::state_at`] for the state at a given time.
    pub state: State,
    /// The last change of state.
    pub updated_at: UnixSeconds,
}

fn field<T>(value: Option<T>, name: &str) -> Result<T, FieldError> {
    value.ok_or_else(|| FieldError::missing(name))
}

impl Session {
    /// What the session expects in all from a provider: its ETN amount from
    /// ETN, its own price from the gateway.
    pub fn expected(&self, provider: Provider) -> Money {
        match provider {
            Provider::Etn => self.etn_due().to_money(),
            Provider::Gateway => self.price,
        }
    }

    /// Validates a request and prices it: the only way to make a session.
    pub fn open(request: SessionRequest, at: Opening<'_>) -> Result<Session, OpenError> {
        let currency_text = field(
            request.currency.as_deref().filter(|c| !c.is_empty()),
            "currency",
        )?;
        let currency = Currency::from_code(currency_text)
            .map_err(|e| FieldError::new("currency", e.code(), e.to_string()))?;
        let amount_text = field(request.amount.as_deref(), "amount")?;
        let price = Money::parse(amount_text, currency)
            .map_err(|e| FieldError::new("amount", e.code(), e.to_string()))?;

        validate::text("order_id", request.order_id.as_deref(), false, 128)?;
        if let Some(email) = &request.customer_email {
            validate::email("customer_email", email)?;
        }
        if let Some(customer) = &request.customer {
            validate_customer(customer)?;
        }
        let items = validate_items(&request.items, currency)?;
        for (name, url) in [
            ("return_url", &request.return_url),
            ("cancel_url", &request.cancel_url),
        ] {
            if let Some(url) = url {
                validate::url(name, url, at.url_policy)?;
            }
        }
        validate::text("method", request.method.as_deref(), false, 64)?;
        validate::text("reference", request.reference.as_deref(), false, 128)?;
        if let Some(url) = &request.webhook_url {
            validate::url("webhook_url", url, at.url_policy)?;
        }
        let locale = match request.locale.as_deref() {
            None => None,
            Some(code) => Some(
                crate::words::find(code)
                    .ok_or_else(|| {
                        FieldError::new(
                            "locale",
                            "locale_unsupported",
                            "locale must be a language the checkout speaks, like de, pt-BR or ja",
                        )
                    })?
                    .tag()
                    .to_owned(),
            ),
        };
        let expires_in = request.expires_in.unwrap_or(DEFAULT_EXPIRES_IN);
        if !EXPIRES_IN_RANGE.contains(&expires_in) {
            return Err(FieldError::new(
                "expires_in",
                "expires_in_out_of_range",
                "expires_in must be between 60 and 86400 seconds",
            )
            .into());
        }

        let etn = price_in_etn(at.rates, &price)?;
        let payment_string =
            PaymentString::new(VendorAddress::new(at.outlet.clone()), at.payment_id, etn);
        Ok(Session {
            id: at.id,
            merchant_id: at.merchant_id,
            mode: at.mode,
            dialect: at.dialect,
            price,
            payment_string,
            order_id: request.order_id,
            public_order_id: at.public_order_id,
            customer_email: request.customer_email,
            customer: request.customer,
            items,
            return_url: request.return_url,
            cancel_url: request.cancel_url,
            method: request.method,
            webhook_url: request.webhook_url,
            reference: request.reference,
            link_id: at.link_id,
            link_signature: None,
            wallet_id: at.wallet_id,
            locale,
            etn_total: Some(etn),
            earlier_payment_ids: Vec::new(),
            payments: Vec::new(),
            policy: PaymentPolicy::default(),
            late: false,
            accepted: None,
            created_at: at.now,
            expires_at: at.now.plus(expires_in),
            state: State::Pending,
            updated_at: at.now,
        })
    }

    /// Gives a session just opened the id its account object numbered it by
    /// (see [`crate::ids::Numbering`]): its payment id and its dialect's alias
    /// are spellings of the id, so they follow it.
    pub fn renumber(&mut self, id: SessionId) {
        if let Some(payment_id) = id.payment_id() {
            self.payment_string = PaymentString::new(
                self.payment_string.vendor().clone(),
                payment_id,
                self.payment_string.amount(),
            );
        }
        if self.public_order_id.is_some() {
            self.public_order_id = id.order_alias();
        }
        if self.link_id.is_some() {
            self.link_id = id.link_alias();
        }
        self.id = id;
    }

    /// The state at `now`: an open session past its expiry is expired,
    /// whether or not that has been written yet.
    pub fn state_at(&self, now: UnixSeconds) -> State {
        if self.state.is_open() && now >= self.expires_at {
            State::Expired
        } else {
            self.state
        }
    }

    /// What the session asks in ETN in all (its payment string asks what is
    /// left of it).
    pub fn etn_due(&self) -> EtnAmount {
        self.etn_total.unwrap_or(self.payment_string.amount())
    }

    /// What its payments add up to against what is due (see [`Tally`]).
    pub fn tally(&self) -> Tally {
        let (mut etn, mut fiat) = (Decimal::ZERO, Decimal::ZERO);
        for p in &self.payments {
            match p.provider {
                Provider::Etn => etn = etn.saturating_add(p.amount),
                Provider::Gateway => fiat = fiat.saturating_add(p.amount),
            }
        }
        let (etn_due, price) = (self.etn_due().value(), self.price.amount());
        Tally {
            received: etn
                .saturating_mul(price)
                .saturating_add(fiat.saturating_mul(etn_due)),
            due: etn_due.saturating_mul(price),
            etn_due,
            price,
            currency: self.price.currency(),
        }
    }

    /// Until when a shopper's page keeps following an expired
    /// session: a payment may still arrive (paid late within the policy's
    /// window, or held for the merchant), at least [`FOLLOW_AFTER_EXPIRY`]
    /// after the expiry.
    pub fn followed_until(&self) -> UnixSeconds {
        let least = self.expires_at.plus(FOLLOW_AFTER_EXPIRY);
        self.policy
            .late_until(self.expires_at)
            .map_or(least, |late| late.max(least))
    }

    /// Whether a shopper's page has nothing more to wait for at `now`: paid,
    /// cancelled, or expired and past [`Session::followed_until`]. A session
    /// that needs review is followed until the merchant decides.
    pub fn settled_at(&self, now: UnixSeconds) -> bool {
        match self.state_at(now) {
            State::Paid | State::Cancelled => true,
            State::Expired => now >= self.followed_until(),
            _ => false,
        }
    }

    /// What is still to pay at `now`, in ETN and in the session's currency:
    /// nothing once paid (also when paid within the tolerance or accepted).
    pub fn still_due(&self, now: UnixSeconds) -> (Decimal, Decimal) {
        if self.state_at(now) == State::Paid {
            Tally::zero(self.price.currency())
        } else {
            self.tally().short()
        }
    }

    /// What the merchant should give back at `now`, in ETN and in the
    /// session's currency: a paid session's excess (overpayments and
    /// duplicate payments alike), everything an expired or cancelled one
    /// received. An open session or one that needs review gives nothing
    /// back yet.
    pub fn to_give_back(&self, now: UnixSeconds) -> (Decimal, Decimal) {
        let tally = self.tally();
        match self.state_at(now) {
            State::Paid => tally.excess(),
            State::Expired | State::Cancelled => tally.received(),
            _ => (Decimal::ZERO, Decimal::ZERO),
        }
    }

    /// Whether the merchant has something to look at: a payment that needs
    /// review, a session partially paid, or money to give back.
    pub fn needs_attention(&self, now: UnixSeconds) -> bool {
        matches!(
            self.state_at(now),
            State::NeedsReview | State::PartiallyPaid
        ) || self.to_give_back(now) != (Decimal::ZERO, Decimal::ZERO)
    }

    /// Whether an ETN payment id pays this session (its current one or an
    /// earlier one).
    pub fn holds_payment_id(&self, id: PaymentId) -> bool {
        self.payment_string.payment_id() == id || self.earlier_payment_ids.contains(&id)
    }

    /// The same, for a payment id's text.
    pub fn holds_payment_id_text(&self, text: &str) -> bool {
        text.parse().is_ok_and(|id| self.holds_payment_id(id))
    }

    /// The status the session's dialect shows at `now` (see [`Dialect::status`]).
    pub fn status_at(&self, now: UnixSeconds) -> &'static str {
        self.dialect.status(self.state_at(now))
    }
}

fn price_in_etn(rates: &Rates, price: &Money) -> Result<EtnAmount, OpenError> {
    rates.to_etn(price).map_err(|e| match e {
        RatesError::OverCap { .. } | RatesError::TooSmall => {
            OpenError::Field(FieldError::new("amount", e.code(), e.to_string()))
        }
        // A currency we support but the feed does not price is the feed's problem.
        other => OpenError::RatesUnavailable(other),
    })
}

fn validate_customer(c: &Customer) -> Result<(), FieldError> {
    for (name, value, max) in [
        ("customer.name", &c.name, 100),
        ("customer.surname", &c.surname, 100),
        ("customer.phone", &c.phone, 32),
        ("customer.address_line1", &c.address_line1, 200),
        ("customer.city", &c.city, 100),
        ("customer.postal_code", &c.postal_code, 20),
    ] {
        validate::text(name, value.as_deref(), false, max)?;
    }
    if let Some(email) = &c.email {
        validate::email("customer.email", email)?;
    }
    if let Some(country) = &c.country {
        validate::country("customer.country", country)?;
    }
    Ok(())
}

fn validate_items(items: &[ItemRequest], currency: Currency) -> Result<Vec<Item>, FieldError> {
    if items.len() > MAX_ITEMS {
        return Err(FieldError::new(
            "items",
            "too_many_items",
            format!("at most {MAX_ITEMS} items"),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let name = field(item.name.clone(), &format!("items[{i}].name"))?;
            validate::text(&format!("items[{i}].name"), Some(&name), true, 200)?;
            let price_text = field(item.price.as_deref(), &format!("items[{i}].price"))?;
            let price = Money::parse(price_text, currency).map_err(|e| {
                FieldError::new(format!("items[{i}].price"), e.code(), e.to_string())
            })?;
            let quantity = item.quantity.unwrap_or(1);
            if !(1..=10_000).contains(&quantity) {
                return Err(FieldError::new(
                    format!("items[{i}].quantity"),
                    "quantity_out_of_range",
                    "quantity must be between 1 and 10000",
                ));
            }
            Ok(Item {
                name,
                price,
                quantity: quantity as u32,
            })
        })
        .collect()
}

#[cfg(test)]
mod follow_tests {
    use super::tests::{open, request};
    use super::*;

    #[test]
    fn an_expired_session_is_followed_for_the_late_window_or_half_an_hour() {
        let mut s = open(request()).unwrap();
        let expired = s.expires_at;
        assert!(!s.settled_at(expired.minus(1)));
        assert!(!s.settled_at(expired.plus(FOLLOW_AFTER_EXPIRY - 1)));
        assert!(s.settled_at(expired.plus(FOLLOW_AFTER_EXPIRY)));
        s.policy.late_window_minutes = 120;
        assert!(!s.settled_at(expired.plus(119 * 60)));
        assert!(s.settled_at(expired.plus(120 * 60)));
        s.state = State::NeedsReview;
        assert!(!s.settled_at(expired.plus(10 * crate::time::DAY)));
        s.state = State::Paid;
        assert!(s.settled_at(UnixSeconds(0)));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn rates() -> Rates {
        Rates::parse(r#"{"price_eur": "0.002", "price_usd": "0.0025", "price_gbp": "0.0018"}"#)
            .unwrap()
    }

    /// A session of 49.95 USD (19980.00 ETN), payment id 7ce25b4dc0, opened at 1000.
    pub(crate) fn open(request: SessionRequest) -> Result<Session, OpenError> {
        let outlet: OutletId = "0abc123def456".parse().unwrap();
        let rates = rates();
        Session::open(
            request,
            Opening {
                id: SessionId::legacy([1; 15]),
                merchant_id: MerchantId::from_random([2; 10]),
                mode: Mode::Test,
                outlet: &outlet,
                payment_id: PaymentId::from_bytes([0x7c, 0xe2, 0x5b, 0x4d, 0xc0]),
                rates: &rates,
                now: UnixSeconds(1_000),
                url_policy: UrlPolicy::HttpsOnly,
                dialect: Dialect::Native,
                public_order_id: None,
                link_id: None,
                wallet_id: None,
            },
        )
    }

    pub(crate) fn request() -> SessionRequest {
        SessionRequest {
            amount: Some("49.95".into()),
            currency: Some("USD".into()),
            order_id: Some("ORDER-10001".into()),
            return_url: Some("https://merchant-store.example/success".into()),
            ..SessionRequest::default()
        }
    }

    fn field_code(r: Result<Session, OpenError>) -> (String, &'static str) {
        match r {
            Err(OpenError::Field(e)) => (e.field, e.code),
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn opens_a_priced_pending_session() {
        let s = open(request()).unwrap();
        assert_eq!(
            s.payment_string.to_string(),
            "etn-it-0abc123def456/7ce25b4dc0/19980.00"
        );
        assert_eq!(s.state, State::Pending);
        assert_eq!(s.expires_at, UnixSeconds(1_000 + DEFAULT_EXPIRES_IN));
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Session>(&json).unwrap(), s);
    }

    #[test]
    fn names_the_bad_field() {
        let with = |f: fn(&mut SessionRequest)| {
            let mut r = request();
            f(&mut r);
            field_code(open(r))
        };
        assert_eq!(
            with(|r| r.amount = None),
            ("amount".into(), "missing_field")
        );
        assert_eq!(
            with(|r| r.amount = Some("1,000".into())),
            ("amount".into(), "amount_thousands_separator")
        );
        assert_eq!(
            with(|r| r.amount = Some("1000".into())),
            ("amount".into(), "amount_over_cap")
        );
        assert_eq!(
            with(|r| r.currency = Some("XYZ".into())),
            ("currency".into(), "currency_unsupported")
        );
        assert_eq!(
            with(|r| r.return_url = Some("http://x.example/".into())),
            ("return_url".into(), "url_not_https")
        );
        assert_eq!(
            with(|r| r.customer_email = Some("nope".into())),
            ("customer_email".into(), "email_invalid")
        );
        assert_eq!(
            with(|r| r.expires_in = Some(59)),
            ("expires_in".into(), "expires_in_out_of_range")
        );
        assert_eq!(
            with(|r| r.expires_in = Some(86_401)),
            ("expires_in".into(), "expires_in_out_of_range")
        );
        assert_eq!(
            with(|r| r.order_id = Some("x".repeat(129))),
            ("order_id".into(), "too_long")
        );
        assert_eq!(
            with(|r| r.items = vec![ItemRequest {
                name: Some("Kit".into()),
                price: Some("9.999".into()),
                quantity: None
            }]),
            ("items[0].price".into(), "amount_too_many_decimals")
        );
        assert_eq!(
            with(|r| r.customer = Some(Customer {
                country: Some("Latvia".into()),
                ..Customer::default()
            })),
            ("customer.country".into(), "country_invalid")
        );
    }

    #[test]
    fn a_currency_the_feed_lacks_is_a_rates_problem() {
        let mut r = request();
        r.currency = Some("JPY".into());
        r.amount = Some("4995".into());
        assert!(matches!(
            open(r),
            Err(OpenError::RatesUnavailable(RatesError::Missing(_)))
        ));
    }

    #[test]
    fn payment_links_speak_of_fulfilled_and_timed_out() {
        let mut s = open(request()).unwrap();
        s.dialect = Dialect::Link;
        assert_eq!(s.status_at(UnixSeconds(1_001)), "pending");
        assert_eq!(s.status_at(s.expires_at), "timed_out");
        s.state = State::Paid;
        assert_eq!(s.status_at(s.expires_at), "fulfilled");
        s.dialect = Dialect::Native;
        assert_eq!(s.status_at(s.expires_at), "paid");
    }
}

#[cfg(test)]
mod dialect_wire_tests {
    use super::{Dialect, State};

    #[test]
    fn dialect_names_round_trip_and_serde_agrees() {
        for d in [
            Dialect::Native,
            Dialect::Gateway,
            Dialect::Ewallet,
            Dialect::Link,
        ] {
            assert_eq!(Dialect::from_wire(d.as_str()), Some(d));
            assert_eq!(
                serde_json::to_value(d).unwrap(),
                serde_json::Value::from(d.as_str())
            );
        }
        assert_eq!(Dialect::from_wire("links"), None);
    }

    #[test]
    fn only_payment_links_rename_states() {
        assert_eq!(Dialect::Link.status(State::Paid), "fulfilled");
        assert_eq!(Dialect::Link.status(State::Expired), "timed_out");
        assert_eq!(Dialect::Link.status(State::Pending), "pending");
        assert_eq!(Dialect::Native.status(State::Paid), "paid");
        assert_eq!(Dialect::Ewallet.status(State::Expired), "expired");
    }
}
