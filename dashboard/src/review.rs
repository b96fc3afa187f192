//! Payments that do not fit, in the merchant's words: why a session needs
//! attention, what to give back, who accepted it, which policy it keeps.
//! Pure, so that the sentences are tested natively; the pages only place them.
//!
//! A session needs attention when a payment waits for the merchant's decision
//! (`needs_review`), when it is partly paid (`partially_paid`), or when money
//! should go back to the buyer (an overpayment or a second payment of a paid
//! session; anything an expired or cancelled session received). Only the first
//! two can be accepted as paid: the API answers 409 for any other state.

use checkout_api::dashboard::{GiveBack, SessionSummary};
use checkout_core::policy::PaymentPolicy;
use checkout_core::session::{Acceptance, State};

use crate::format;

/// Whether the merchant can accept a session in `state` as paid.
pub fn can_accept(state: State) -> bool {
    matches!(state, State::NeedsReview | State::PartiallyPaid)
}

/// Why a session is on the "Needs attention" list, and what to do about it.
pub fn reason(s: &SessionSummary) -> Option<&'static str> {
    match s.state {
        State::NeedsReview => Some(
            "Your payment policy does not accept this payment: accept it as paid, or give it back.",
        ),
        State::PartiallyPaid => Some("Partly paid; the rest can still come until it expires."),
        State::Paid if s.give_back.is_some() => {
            Some("Paid more than due: give back the difference.")
        }
        State::Expired | State::Cancelled if s.give_back.is_some() => {
            Some("Paid after it ended: give it back.")
        }
        _ => None,
    }
}

/// What a button and a message call a session: its order id if it has one
/// (what the merchant's shop knows it by), else its id.
pub fn subject(order_id: Option<&str>, id: &str) -> String {
    match order_id {
        Some(order) => format!("order {order}"),
        None => format!("session {id}"),
    }
}

/// `Order 1042 accepted as paid.`
pub fn accepted_text(subject: &str) -> String {
    let mut chars = subject.chars();
    let capital: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    format!("{capital} accepted as paid.")
}

/// `0.45 ETN (0.10 EUR)`, or `—` when nothing is to be given back.
pub fn give_back_text(give_back: Option<&GiveBack>, currency: &str) -> String {
    match give_back {
        Some(g) => format!("{} ETN ({} {currency})", g.etn, g.amount),
        None => "—".into(),
    }
}

/// Who accepted a session as paid, and when.
pub fn acceptance_text(a: &Acceptance) -> String {
    let when = format::utc(a.at);
    if a.by == "dashboard" {
        match a.signed_in_at {
            Some(t) => format!(
                "In the dashboard on {when} (a sign-in of {})",
                format::utc(t)
            ),
            None => format!("In the dashboard on {when}"),
        }
    } else {
        format!("With API key {} on {when}", a.by)
    }
}

/// A session's payment policy in one line.
pub fn policy_text(p: &PaymentPolicy) -> String {
    let tolerance = if p.underpayment_tolerance_percent.is_zero() {
        "No underpayment tolerance".to_owned()
    } else {
        format!(
            "Underpayment tolerance {} %",
            p.underpayment_tolerance_percent
        )
    };
    let late = if p.late_window_minutes == 0 {
        "no late window".to_owned()
    } else {
        format!(
            "late window {} (if the rate moved at most {} %)",
            format::plural(u64::from(p.late_window_minutes), "minute", "minutes"),
            p.late_max_rate_change_percent
        )
    };
    format!("{tolerance}, {late}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkout_core::ids::SessionId;
    use checkout_core::session::Dialect;
    use checkout_core::time::UnixSeconds;

    fn summary(state: State, give_back: Option<GiveBack>) -> SessionSummary {
        SessionSummary {
            id: SessionId::legacy([1; 15]),
            dialect: Dialect::Native,
            state,
            status: state.as_str().into(),
            amount: "10.00".into(),
            currency: "EUR".into(),
            etn_amount: "500.00".into(),
            order_id: None,
            payment_id: "0123456789abcdef".into(),
            alias: None,
            created_at: UnixSeconds(0),
            expires_at: UnixSeconds(0),
            paid_at: None,
            notification_failing: false,
            etn_received: None,
            give_back,
            late: false,
            accepted_by: None,
        }
    }

    fn back() -> GiveBack {
        GiveBack {
            etn: "50.00".into(),
            amount: "1.00".into(),
        }
    }

    #[test]
    fn only_a_session_to_review_or_partly_paid_can_be_accepted() {
        let acceptable: Vec<State> = State::ALL.into_iter().filter(|s| can_accept(*s)).collect();
        assert_eq!(acceptable, [State::PartiallyPaid, State::NeedsReview]);
    }

    #[test]
    fn each_reason_to_look_has_its_sentence() {
        assert!(reason(&summary(State::NeedsReview, None))
            .unwrap()
            .contains("accept it as paid"));
        assert!(reason(&summary(State::PartiallyPaid, None))
            .unwrap()
            .contains("the rest"));
        assert!(reason(&summary(State::Paid, Some(back())))
            .unwrap()
            .contains("give back"));
        assert!(reason(&summary(State::Expired, Some(back())))
            .unwrap()
            .contains("give it back"));
        // Nothing to look at: no sentence.
        assert_eq!(reason(&summary(State::Paid, None)), None);
        assert_eq!(reason(&summary(State::Pending, None)), None);
    }

    #[test]
    fn a_session_is_named_by_its_order_when_it_has_one() {
        assert_eq!(subject(Some("1042"), "cs_1"), "order 1042");
        assert_eq!(subject(None, "cs_1"), "session cs_1");
        assert_eq!(accepted_text("order 1042"), "Order 1042 accepted as paid.");
        assert_eq!(accepted_text(""), " accepted as paid.");
    }

    #[test]
    fn what_to_give_back_reads_in_both_units() {
        assert_eq!(give_back_text(Some(&back()), "EUR"), "50.00 ETN (1.00 EUR)");
        assert_eq!(give_back_text(None, "EUR"), "—");
    }

    #[test]
    fn an_acceptance_says_who_and_when() {
        let by_dashboard = Acceptance {
            by: "dashboard".into(),
            signed_in_at: Some(UnixSeconds(0)),
            at: UnixSeconds(3600),
        };
        assert_eq!(
            acceptance_text(&by_dashboard),
            "In the dashboard on 1970-01-01 01:00:00 UTC (a sign-in of 1970-01-01 00:00:00 UTC)"
        );
        let by_key = Acceptance {
            by: "key_abc".into(),
            signed_in_at: None,
            at: UnixSeconds(0),
        };
        assert_eq!(
            acceptance_text(&by_key),
            "With API key key_abc on 1970-01-01 00:00:00 UTC"
        );
    }

    #[test]
    fn a_policy_reads_in_one_line() {
        assert_eq!(
            policy_text(&PaymentPolicy::default()),
            "No underpayment tolerance, no late window"
        );
        let p: PaymentPolicy = serde_json::from_str(
            r#"{"underpayment_tolerance_percent":"2.5","late_window_minutes":30,"late_max_rate_change_percent":"5"}"#,
        )
        .unwrap();
        assert_eq!(
            policy_text(&p),
            "Underpayment tolerance 2.5 %, late window 30 minutes (if the rate moved at most 5 %)"
        );
    }
}
