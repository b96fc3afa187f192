//! Settings: the payment policy of the sign-in's mode (what the session
//! engine accepts by itself when a payment does not fit exactly), the brand
//! of its hosted checkout (display name, logo URL, accent colour), and where
//! the other settings are.
//!
//! The form sends what was typed, as text: the API validates every value and
//! names the field at fault (422, or 400 for minutes that are not a whole
//! number), and the page shows that message on its input. The page itself
//! only refuses an empty input, which the API would read as 0 without a word.
//! The brand form sends an empty input as an absent field (unset), and the
//! API's refusals (a logo URL that is not https, an accent colour too light
//! for white text) likewise land on their inputs.

use checkout_api::brand::{Brand, PutBrand};
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

/// The brand form's inputs, by the API's field names.
const BRAND_FIELDS: &[&str] = &["display_name", "logo_url", "accent_color"];

/// What the brand form sends: each input trimmed, an empty one absent (which
/// unsets it); the API judges the rest.
pub fn brand_form(name: &str, logo: &str, accent: &str) -> PutBrand {
    let [display_name, logo_url, accent_color] =
        [name, logo, accent].map(|v| Some(v.trim()).filter(|v| !v.is_empty()).map(str::to_owned));
    PutBrand {
        display_name,
        logo_url,
        accent_color,
    }
}

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
        <BrandForm/>
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

/// The hosted checkout's brand in this mode, filled from the stored one.
#[component]
fn BrandForm() -> impl IntoView {
    let brand: Remote<Brand> = Remote::new();
    let name = RwSignal::new(String::new());
    let logo = RwSignal::new(String::new());
    let accent = RwSignal::new(String::new());
    let fill = move |b: &Brand| {
        name.set(b.display_name.clone().unwrap_or_default());
        logo.set(b.logo_url.clone().unwrap_or_default());
        accent.set(b.accent_color.clone().unwrap_or_default());
    };
    let load = move || {
        brand.load(async move {
            let answer = client::brand().await;
            if let Ok(b) = &answer {
                fill(b);
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
        let form = brand_form(
            &name.get_untracked(),
            &logo.get_untracked(),
            &accent.get_untracked(),
        );
        save.run(
            async move { client::save_brand(&form).await },
            move |b: Brand| {
                fill(&b);
                saved.set("Checkout brand saved.".into());
            },
        );
    };
    view! {
        <section class="card wide" aria-labelledby="brand-h">
            <h2 id="brand-h">"Checkout brand"</h2>
            <p class="lead">"How your hosted checkout looks to shoppers in this mode."</p>
            {remote_view(brand, "the checkout brand", load, move |_| view! {
                <form class="stack" aria-labelledby="brand-h" on:submit=submit novalidate>
                    <TextField id="brand-name" label="Display name" field="display_name"
                        value=name errors=errors/>
                    <TextField id="brand-logo" label="Logo URL" field="logo_url"
                        value=logo errors=errors kind="url"
                        help="An https URL; the checkout page allows images from its site only."/>
                    <TextField id="brand-accent" label="Accent colour" field="accent_color"
                        value=accent errors=errors
                        help="The pay button's colour, behind white text: it must reach a 4.5:1 contrast."/>
                    <FormError errors=errors fields=BRAND_FIELDS/>
                    <div class="actions">
                        <ActionButton label="Save brand" busy_label="Saving…" busy=save.busy submit=true/>
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

    #[test]
    fn the_brand_form_trims_and_sends_empty_inputs_as_absent() {
        let form = brand_form(" Nordic Oak ", "", " #1B5E20");
        assert_eq!(form.display_name.as_deref(), Some("Nordic Oak"));
        assert_eq!(form.logo_url, None);
        // Case and contrast are the API's to judge.
        assert_eq!(form.accent_color.as_deref(), Some("#1B5E20"));
        assert_eq!(brand_form(" ", "", "\t"), PutBrand::default());
        assert_eq!(
            brand_form("", "https://cdn.shop.example/logo.svg", "#ffff00"),
            PutBrand {
                display_name: None,
                logo_url: Some("https://cdn.shop.example/logo.svg".into()),
                accent_color: Some("#ffff00".into()),
            }
        );
    }
}
