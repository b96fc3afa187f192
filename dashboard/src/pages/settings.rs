//! Settings: the payment policy of the sign-in's mode (what the session
//! engine accepts by itself when a payment does not fit exactly), and where
//! the other settings are.
//!
//! The form sends what was typed, as text: the API validates every value and
//! names the field at fault (422, or 400 for minutes that are not a whole
//! number), and the page shows that message on its input. The page itself
//! only refuses an empty input, which the API would read as 0 without a word.

use checkout_api::dashboard::PaymentPolicyForm;
use checkout_core::policy::{
    PaymentPolicy, MAX_LATE_WINDOW_MINUTES, MAX_RATE_CHANGE_PERCENT, MAX_TOLERANCE_PERCENT,
};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::client;
use crate::ui::{
    self, link_to, remote_view, ActionButton, FieldErrors, FormError, Remote, Said, TextField,
};

/// The form's inputs, by the API's field names.
const FIELDS: &[&str] = &[
    "underpayment_tolerance_percent",
    "late_window_minutes",
    "late_max_rate_change_percent",
];

/// What the form sends for three inputs as typed (trimmed), or the first
/// empty one's field and what to say there.
pub fn policy_form(
    tolerance: &str,
    minutes: &str,
    rate: &str,
) -> Result<PaymentPolicyForm, (&'static str, String)> {
    let values = [tolerance, minutes, rate].map(|v| v.trim().to_owned());
    let maxima = [
        i64::from(MAX_TOLERANCE_PERCENT),
        MAX_LATE_WINDOW_MINUTES,
        i64::from(MAX_RATE_CHANGE_PERCENT),
    ];
    for ((&field, value), max) in FIELDS.iter().zip(&values).zip(maxima) {
        if value.is_empty() {
            return Err((
                field,
                format!("Enter a number from 0 to {max}; 0 turns it off."),
            ));
        }
    }
    let [tolerance, minutes, rate] = values;
    Ok(PaymentPolicyForm {
        underpayment_tolerance_percent: Some(tolerance),
        late_window_minutes: Some(minutes),
        late_max_rate_change_percent: Some(rate),
    })
}

/// `/dashboard/settings`
#[component]
pub fn Settings() -> impl IntoView {
    ui::enter_page("Settings");
    view! {
        <h1 tabindex="-1">"Settings"</h1>
        <PolicyForm/>
        <section class="card wide" aria-labelledby="more-h">
            <h2 id="more-h">"More settings"</h2>
            <ul>
                <li><A href=link_to("/webhooks")>"Webhooks"</A>": your endpoint, its signing secret and the event log"</li>
                <li><A href=link_to("/keys")>"API keys"</A>": the keys your backend calls the API with"</li>
            </ul>
        </section>
    }
}

/// The payment policy form, filled from the stored policy.
#[component]
fn PolicyForm() -> impl IntoView {
    let policy: Remote<PaymentPolicy> = Remote::new();
    let tolerance = RwSignal::new(String::new());
    let minutes = RwSignal::new(String::new());
    let rate = RwSignal::new(String::new());
    let fill = move |p: &PaymentPolicy| {
        tolerance.set(p.underpayment_tolerance_percent.to_string());
        minutes.set(p.late_window_minutes.to_string());
        rate.set(p.late_max_rate_change_percent.to_string());
    };
    let load = move || {
        policy.load(async move {
            let answer = client::payment_policy().await;
            if let Ok(p) = &answer {
                fill(p);
            }
            answer
        })
    };
    load();
    let save = ui::Act::new();
    let saved = RwSignal::new(String::new());
    let errors = FieldErrors::new(save.error);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(String::new());
        save.error.set(None);
        let form = match policy_form(
            &tolerance.get_untracked(),
            &minutes.get_untracked(),
            &rate.get_untracked(),
        ) {
            Ok(form) => form,
            Err((field, message)) => {
                errors.refuse(field, &message);
                return;
            }
        };
        errors.clear();
        save.run(
            async move { client::save_payment_policy(&form).await },
            // The fields only: the form stays as it is (focus, the live
            // region that announces the save).
            move |p: PaymentPolicy| {
                fill(&p);
                saved.set("Payment policy saved.".into());
            },
        );
    };
    let mode = ui::mode_word();
    view! {
        <section class="card wide" aria-labelledby="policy-h">
            <h2 id="policy-h">"Payment policy"</h2>
            <p class="lead">
                {format!("What your {mode} sessions accept by themselves when a payment does not fit exactly. ")}
                "Anything else waits for you under "<A href=link_to("/attention")>"Needs attention"</A>". "
                "A session keeps the policy in force when it was created: a change applies to sessions created from now on."
            </p>
            {remote_view(policy, "the payment policy", load, move |_| view! {
                <form class="stack" aria-labelledby="policy-h" on:submit=submit novalidate>
                    <TextField id="pp-tolerance" label="Underpayment tolerance (%)" field="underpayment_tolerance_percent"
                        value=tolerance errors=errors inputmode="decimal"
                        help="A payment short of the amount due by at most this share still pays the session; the shortfall is recorded. From 0 to 10, at most two decimals (2.5). 0: a short payment leaves the session partly paid until the rest arrives."/>
                    <TextField id="pp-late-window" label="Late window (minutes)" field="late_window_minutes"
                        value=minutes errors=errors inputmode="numeric"
                        help="How long after a session expired a payment still pays it (shown as paid late). A whole number from 0 to 1440 (a day). 0: every late payment waits for your review."/>
                    <TextField id="pp-rate-change" label="Largest rate change for late payments (%)" field="late_max_rate_change_percent"
                        value=rate errors=errors inputmode="decimal"
                        help="A late payment in ETN pays only if the ETN rate of the session's currency moved no more than this since the session was created; otherwise it waits for your review. From 0 to 100, at most two decimals."/>
                    <FormError errors=errors fields=FIELDS/>
                    <div class="actions">
                        <ActionButton label="Save" busy_label="Saving…" busy=save.busy submit=true/>
                        <Said text=saved class="saved"/>
                    </div>
                </form>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_sends_what_was_typed_and_refuses_only_empty_inputs() {
        let form = policy_form(" 2.5 ", "30", "5").unwrap();
        assert_eq!(form.underpayment_tolerance_percent.as_deref(), Some("2.5"));
        assert_eq!(form.late_window_minutes.as_deref(), Some("30"));
        assert_eq!(form.late_max_rate_change_percent.as_deref(), Some("5"));
        // Out of range or malformed: the API's to refuse, on its field.
        assert!(policy_form("12", "x", "101").is_ok());
        let (field, message) = policy_form("1", " ", "0").unwrap_err();
        assert_eq!(field, "late_window_minutes");
        assert_eq!(message, "Enter a number from 0 to 1440; 0 turns it off.");
        assert_eq!(
            policy_form("", "", "").unwrap_err().0,
            "underpayment_tolerance_percent"
        );
        assert_eq!(
            policy_form("0", "0", "").unwrap_err().0,
            "late_max_rate_change_percent"
        );
    }
}
