//! Property tests: every parse/format pair round-trips exactly, and every
//! signature scheme accepts what it signed and refuses any single-byte change.

use checkout_core::signature::{
    etn, forwarding, gateway, link, order, standard, SignatureError, Tolerance,
};
use checkout_core::time::UnixSeconds;
use checkout_core::{Currency, EtnAmount, Money, PaymentId, PaymentString};
use proptest::prelude::*;

fn outlet() -> impl Strategy<Value = String> {
    "[0-9a-f]{13}"
}

fn etn_amount() -> impl Strategy<Value = String> {
    (0u64..100_000_000, 0u32..100)
        .prop_filter("positive", |(i, f)| *i > 0 || *f > 0)
        .prop_map(|(i, f)| format!("{i}.{f:02}"))
}

proptest! {
    #[test]
    fn payment_strings_round_trip(outlet in outlet(), id in "[0-9a-f]{10}", amount in etn_amount()) {
        let text = format!("etn-it-{outlet}/{id}/{amount}");
        let parsed: PaymentString = text.parse().unwrap();
        prop_assert_eq!(parsed.to_string(), text.clone());
        prop_assert_eq!(parsed.deep_link(), format!("https://link.electroneum.com/jWEpM5HcxP?vendor={text}"));
    }

    #[test]
    fn payment_ids_from_bytes_parse_back(bytes in any::<[u8; 5]>()) {
        let id = PaymentId::from_bytes(bytes);
        prop_assert_eq!(id.as_str().parse::<PaymentId>().unwrap(), id);
    }

    #[test]
    fn money_round_trips_in_every_currency(int in 1u64..999_999_999, frac in "[0-9]{0,8}", index in 0usize..64) {
        let currencies: Vec<Currency> = Currency::all().collect();
        let currency = currencies[index % currencies.len()];
        let frac = &frac[..frac.len().min(currency.minor_units() as usize)];
        let text = if frac.is_empty() { int.to_string() } else { format!("{int}.{frac}") };
        let money = Money::parse(&text, currency).unwrap();
        prop_assert_eq!(money.to_string(), text);
    }

    #[test]
    fn etn_amounts_round_trip(amount in etn_amount()) {
        prop_assert_eq!(amount.parse::<EtnAmount>().unwrap().to_string(), amount);
    }

    #[test]
    fn arbitrary_text_never_panics_the_parsers(text in ".{0,64}") {
        let _ = text.parse::<PaymentString>();
        let _ = Money::parse(&text, Currency::ETN);
        let _ = Currency::from_code(&text);
    }

    #[test]
    fn hex_schemes_accept_their_own_and_refuse_a_flipped_byte(
        secret in "[ -~]{1,40}", body in proptest::collection::vec(any::<u8>(), 0..300), flip in any::<prop::sample::Index>()
    ) {
        for (sign, verify) in [
            (etn::sign as fn(&str, &[u8]) -> String, etn::verify as fn(&str, &[u8], &str) -> Result<(), SignatureError>),
            (gateway::sign, gateway::verify),
            (forwarding::sign, forwarding::verify),
        ] {
            let sig = sign(&secret, &body);
            prop_assert_eq!(verify(&secret, &body, &sig), Ok(()));
            prop_assert_eq!(verify(&secret, &body, &sig.to_uppercase()), Ok(()));
            if !body.is_empty() {
                let mut changed = body.clone();
                let i = flip.index(changed.len());
                changed[i] ^= 0x01;
                prop_assert_eq!(verify(&secret, &changed, &sig), Err(SignatureError::Mismatch));
            }
        }
    }

    #[test]
    fn order_and_link_cover_every_field(key in "[ -~]{1,30}", id in "[A-Z0-9-]{1,20}", amount in etn_amount()) {
        let sig = order::sign(&key, &id, &amount);
        prop_assert_eq!(order::verify(&key, &id, &amount, &sig), Ok(()));
        prop_assert_eq!(order::verify(&key, &format!("{id}X"), &amount, &sig), Err(SignatureError::Mismatch));
        let secret = link::sign(&key, "api-key", &id, &amount);
        prop_assert_eq!(link::verify(&key, "api-key", &id, &amount, &secret), Ok(()));
        prop_assert_eq!(link::verify(&key, "api-kez", &id, &amount, &secret), Err(SignatureError::Mismatch));
    }

    #[test]
    fn standard_signatures_round_trip(bytes in any::<[u8; 32]>(), id in "msg_[A-Za-z0-9]{1,20}", ts in 0i64..4_000_000_000, body in ".{0,200}") {
        let secret = standard::Secret::from_bytes(bytes);
        let again = standard::Secret::parse(&secret.expose()).unwrap();
        let sig = standard::sign(&again, &id, UnixSeconds(ts), body.as_bytes());
        prop_assert_eq!(standard::verify(&secret, &id, &ts.to_string(), &sig, body.as_bytes(), UnixSeconds(ts), Tolerance::DEFAULT), Ok(()));
        prop_assert_eq!(
            standard::verify(&secret, &format!("{id}x"), &ts.to_string(), &sig, body.as_bytes(), UnixSeconds(ts), Tolerance::DEFAULT),
            Err(SignatureError::Mismatch)
        );
    }
}
