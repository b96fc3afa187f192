//! A session's payment id from its number in its account, and back.
//!
//! An account object numbers its sessions 1, 2, 3... (the row's place in its
//! table). A session's first payment id is that number under a keyed
//! permutation of the 40-bit payment ids, so that the object finds the session
//! a payment names by computing its row, with no index to write: an index
//! entry is a SQLite row written, and rows written are what a paid session
//! spends most of on the free plan. The permutation is keyed per deployment,
//! merchant and mode, so payment ids still look random and tell nobody how
//! many sessions an account has made, or in what order.
//!
//! The permutation is a balanced Feistel network over two 20-bit halves with
//! HMAC-SHA256 as its round function (eight rounds): a bijection by
//! construction, on the `hmac` and `sha2` core already uses (a format-preserving
//! encryption crate would bring a block cipher for one 40-bit domain).

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::routed::{Home, IdKey, SessionId};
use crate::PaymentId;

/// Payment ids are 40 bits: numbers from 0 to 2^40 - 1 have one each.
pub const NUMBERS: u64 = 1 << 40;

const HALF_BITS: u32 = 20;
const HALF_MASK: u64 = (1 << HALF_BITS) - 1;
const ROUNDS: u8 = 8;

/// The ids of one account's numbered sessions.
#[derive(Clone)]
pub struct Numbering {
    permutation: [u8; 32],
    key: IdKey,
    home: Home,
}

impl Numbering {
    /// The numbering of the account `home`, under the deployment's id key.
    pub fn new(key: &IdKey, home: &Home) -> Numbering {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC accepts keys of any length");
        for part in [
            "edge-checkout/numbering/v1:",
            home.mode.as_str(),
            ":",
            home.merchant.as_str(),
        ] {
            mac.update(part.as_bytes());
        }
        Numbering {
            permutation: mac.finalize().into_bytes().into(),
            key: key.clone(),
            home: home.clone(),
        }
    }

    fn round(&self, round: u8, half: u64) -> u64 {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.permutation)
            .expect("HMAC accepts keys of any length");
        mac.update(&[round]);
        mac.update(&half.to_be_bytes()[5..]);
        let out = mac.finalize().into_bytes();
        u64::from_be_bytes([0, 0, 0, 0, 0, out[0], out[1], out[2]]) & HALF_MASK
    }

    /// The id of session number `number` (its payment id is
    /// [`Numbering::payment_id`]'s), its other five bytes `random`, drawn by
    /// the caller; `None` past 2^40 - 1.
    pub fn session_id(&self, number: u64, random: [u8; 5]) -> Option<SessionId> {
        let permuted = self.permute(number)?;
        let mut bytes = [0u8; 10];
        bytes[..5].copy_from_slice(&permuted);
        bytes[5..].copy_from_slice(&random);
        Some(SessionId::new(&self.key, &self.home, bytes))
    }

    /// The payment id of session number `number`; `None` past 2^40 - 1.
    pub fn payment_id(&self, number: u64) -> Option<PaymentId> {
        self.permute(number).map(PaymentId::from_bytes)
    }

    fn permute(&self, number: u64) -> Option<[u8; 5]> {
        if number >= NUMBERS {
            return None;
        }
        let (mut left, mut right) = (number >> HALF_BITS, number & HALF_MASK);
        for i in 0..ROUNDS {
            let next = left ^ self.round(i, right);
            left = right;
            right = next;
        }
        let value = (left << HALF_BITS) | right;
        let mut bytes = [0u8; 5];
        bytes.copy_from_slice(&value.to_be_bytes()[3..]);
        Some(bytes)
    }

    /// The number whose payment id `payment_id` is (every payment id is one
    /// number's: whether a session has that number is the table's to say).
    pub fn number(&self, payment_id: &PaymentId) -> u64 {
        let value = u64::from_str_radix(payment_id.as_str(), 16).unwrap_or(0) & (NUMBERS - 1);
        let (mut left, mut right) = (value >> HALF_BITS, value & HALF_MASK);
        for i in (0..ROUNDS).rev() {
            let previous = right ^ self.round(i, left);
            right = left;
            left = previous;
        }
        (left << HALF_BITS) | right
    }
}

impl core::fmt::Debug for Numbering {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Numbering(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::MerchantId;
    use crate::mode::Mode;
    use std::collections::HashSet;

    fn numbering(merchant: &str, mode: Mode) -> Numbering {
        let home = Home {
            merchant: merchant.parse::<MerchantId>().unwrap(),
            mode,
        };
        Numbering::new(&IdKey::derive(b"deployment secret"), &home)
    }

    const MERCHANT: &str = "mer_aaaaaaaaaaaaaaaa";

    #[test]
    fn every_number_comes_back_from_its_payment_id() {
        let n = numbering(MERCHANT, Mode::Test);
        for number in (0..5_000).chain([NUMBERS - 1, NUMBERS / 2, 123_456_789_012]) {
            let id = n.payment_id(number).unwrap();
            assert_eq!(id.as_str().len(), 10);
            assert_eq!(n.number(&id), number, "{}", id.as_str());
        }
        assert!(n.payment_id(NUMBERS).is_none());
    }

    #[test]
    fn consecutive_numbers_get_unrelated_distinct_payment_ids() {
        let n = numbering(MERCHANT, Mode::Test);
        let ids: Vec<String> = (1..=20_000)
            .map(|i| n.payment_id(i).unwrap().as_str().to_owned())
            .collect();
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
        // Not in order, and no shared prefix between neighbours beyond chance.
        let ascending = ids.windows(2).filter(|w| w[0] < w[1]).count();
        assert!((8_000..12_000).contains(&ascending), "{ascending}");
        let same_first_char = ids.windows(2).filter(|w| w[0][..1] == w[1][..1]).count();
        assert!(same_first_char < 2_000, "{same_first_char}");
    }

    #[test]
    fn a_numbered_session_id_carries_its_numbers_payment_id() {
        let n = numbering(MERCHANT, Mode::Live);
        let id = n.session_id(42, [7; 5]).unwrap();
        assert!(id.as_str().starts_with("cs_live_"));
        assert_eq!(id.payment_id(), n.payment_id(42));
        assert_eq!(n.number(&id.payment_id().unwrap()), 42);
        assert!(n.session_id(NUMBERS, [7; 5]).is_none());
    }

    #[test]
    fn each_account_and_mode_has_its_own_permutation() {
        let a = numbering(MERCHANT, Mode::Test).payment_id(1).unwrap();
        let b = numbering(MERCHANT, Mode::Live).payment_id(1).unwrap();
        let c = numbering("mer_bbbbbbbbbbbbbbbb", Mode::Test)
            .payment_id(1)
            .unwrap();
        assert!(a != b && a != c && b != c);
    }
}
