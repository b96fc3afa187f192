//! API keys of this merchant, in this sign-in's mode: the list (masked, when
//! created, when last used), a new key (shown once, with a copy button), and
//! revoking one after a confirmation (a revoked key is refused at once: 401).
//!
//! Below them, the open dashboard sign-ins of this mode, with the key whose link
//! opened each: revoking a key ends its sign-ins, and a merchant who finds one
//! left open on another computer (or does not know it) ends it here, or all of
//! them at once.

use checkout_api::dashboard::{SignInList, SignInView};
use checkout_api::keys::{IssuedKey, KeyList, KeyMeta};
use checkout_core::ids::KeyId;
use leptos::prelude::*;

use crate::client::{self, ApiError};
use crate::format;
use crate::ui::{
    self, remote_view, ActionButton, ConfirmButton, CopyButton, ErrorSlot, Remote, Said,
};

/// `/dashboard/keys`
#[component]
pub fn Keys() -> impl IntoView {
    ui::enter_page("API keys");
    let list: Remote<KeyList> = Remote::new();
    let load = move || list.load(client::keys());
    load();
    let issued = RwSignal::new(None::<IssuedKey>);
    let creating = RwSignal::new(false);
    let create_error = RwSignal::new(None::<ApiError>);
    let create = Callback::new(move |()| {
        creating.set(true);
        create_error.set(None);
        issued.set(None);
        leptos::task::spawn_local(async move {
            match client::create_key().await {
                Ok(key) => {
                    issued.set(Some(key));
                    load();
                }
                Err(e) => create_error.set(Some(e)),
            }
            creating.set(false);
        });
    });
    view! {
        <h1 tabindex="-1">"API keys"</h1>
        <p class="lead">
            "Keys authenticate your backend's calls ("<code>"Authorization: Bearer sk_…"</code>
            "). A new key is shown once: store it in your secrets manager."
        </p>
        <div class="actions">
            <ActionButton label="Create key" busy_label="Creating key…" busy=creating on_click=create/>
        </div>
        <ErrorSlot error=create_error/>
        {move || issued.get().map(|k| view! {
            <div class="issued" role="status">
                <p><strong>"Your new key. Copy it now: it will not be shown again."</strong></p>
                <p class="mono-line"><code id="new-key">{k.key.clone()}</code></p>
                <CopyButton text=k.key.clone() label="the new key"/>
                <button type="button" class="secondary small" on:click=move |_| issued.set(None)>"I have stored it"</button>
            </div>
        })}
        {remote_view(list, "API keys", load, move |l| {
            if l.data.is_empty() {
                return view! { <div class="empty"><p>"No keys in this mode. Create one above."</p></div> }.into_any();
            }
            view! {
                <table class="rows keys">
                    <thead>
                        <tr>
                            <th scope="col">"Key"</th>
                            <th scope="col">"Mode"</th>
                            <th scope="col">"Created (UTC)"</th>
                            <th scope="col">"Last used (UTC)"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col"><span class="sr-only">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {l.data.into_iter().map(|k| view! { <KeyRow k=k list=list/> }).collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        })}
        <SignIns/>
    }
}

/// One key, with its revoke button and the confirmation step.
#[component]
fn KeyRow(k: KeyMeta, list: Remote<KeyList>) -> impl IntoView {
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let id = k.id.to_string();
    let revoke = {
        let id = id.clone();
        Callback::new(move |()| {
            let id = id.clone();
            busy.set(true);
            error.set(None);
            leptos::task::spawn_local(async move {
                match client::revoke_key(&id).await {
                    Ok(revoked) => {
                        list.state.update(|state| {
                            if let ui::Load::Ready(l) = state {
                                for key in l.data.iter_mut().filter(|k| k.id == revoked.id) {
                                    *key = revoked.clone();
                                }
                            }
                        });
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let mode = k.mode.as_str();
    let revoked = k.revoked_at;
    view! {
        <tr class:revoked=revoked.is_some()>
            <td data-label="Key"><code>{k.preview.clone()}</code></td>
            <td data-label="Mode">{mode}</td>
            <td data-label="Created">{format::utc(k.created_at)}</td>
            <td data-label="Last used">{k.last_used_at.map(format::utc).unwrap_or_else(|| "never".into())}</td>
            <td data-label="Status">
                {match revoked {
                    Some(at) => view! { <ui::Badge status="revoked"/>" "{format::utc(at)} }.into_any(),
                    None => view! { <ui::Badge status="active"/> }.into_any(),
                }}
            </td>
            <td class="row-actions">
                {revoked.is_none().then(|| view! {
                    <ConfirmButton id=format!("revoke-{id}") label="Revoke" aria_label=Some(format!("Revoke key {}", k.preview))
                        class="danger small" group="Confirm revoking"
                        question=format!("Revoke {}? Requests with it are refused at once; this cannot be undone.", k.preview)
                        yes="Yes, revoke" busy_label="Revoking…" busy=busy error=error on_yes=revoke/>
                })}
            </td>
        </tr>
    }
}

/// What the row of the browser asking says after its sign-in's time.
const THIS_BROWSER: &str = " (this browser)";

/// Where the sentence after ending a sign-in is, to move focus there once the
/// row (and the button that had it) is gone.
const ENDED_ID: &str = "signin-ended";

/// Where a sign-in came from when no key's link opened it: the admin key made
/// the link, and no key's revocation ends it.
const ADMIN_LINK: &str = "an admin link";

/// Who opened a sign-in, in words: the id of the key whose link it was, or
/// [`ADMIN_LINK`].
fn opened_by(key_id: Option<&KeyId>) -> String {
    key_id.map_or_else(|| ADMIN_LINK.to_owned(), |k| k.to_string())
}

/// The accessible name of a sign-in's End button: the row's "End" alone would
/// not say which of several sign-ins it ends.
fn end_label(s: &SignInView) -> String {
    format!(
        "End sign-in from {}, signed in {}",
        opened_by(s.key_id.as_ref()),
        format::utc(s.created_at)
    )
}

/// The open sign-ins of this mode, newest first, each with a way to end it,
/// and a way to end them all.
#[component]
fn SignIns() -> impl IntoView {
    let list: Remote<SignInList> = Remote::new();
    let load = move || list.load(client::sign_ins());
    load();
    let said = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let end_all = Callback::new(move |()| end(None, list, said, busy, error));
    let question = format!(
        "End every sign-in in {} mode, this browser's too? Each browser has to sign in again with a new link.",
        ui::mode_word()
    );
    view! {
        <section class="page-section" aria-labelledby="signins-h">
            <h2 id="signins-h">"Dashboard sign-ins"</h2>
            <p class="lead">"Each sign-in ends when the key whose link opened it is revoked."</p>
            <div id=ENDED_ID tabindex="-1"><Said text=said class="saved"/></div>
            {remote_view(list, "dashboard sign-ins", load, move |l| {
                if l.data.is_empty() {
                    return view! { <div class="empty"><p>"No open sign-ins in this mode."</p></div> }.into_any();
                }
                view! {
                    <table class="rows signins">
                        <thead>
                            <tr>
                                <th scope="col">"Signed in (UTC)"</th>
                                <th scope="col">"From"</th>
                                <th scope="col">"Last seen (UTC)"</th>
                                <th scope="col">"Ends (UTC)"</th>
                                <th scope="col"><span class="sr-only">"Actions"</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            {l.data.into_iter().map(|s| view! { <SignInRow s=s list=list said=said/> }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            })}
            <div class="actions">
                <ConfirmButton id="end-all" label="End all sign-ins" class="danger" group="Confirm ending every sign-in"
                    question=question yes="Yes, end all" busy_label="Ending all…" busy=busy error=error on_yes=end_all/>
            </div>
        </section>
    }
}

/// One sign-in, with its button. Another browser's leaves the list once ended;
/// this browser's ("Sign out here") ends on the sign-in page.
#[component]
fn SignInRow(s: SignInView, list: Remote<SignInList>, said: RwSignal<String>) -> impl IntoView {
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let when = format::utc(s.created_at);
    let (label, group, question, yes) = if s.current {
        (
            "Sign out here",
            "Confirm signing out",
            "Sign out of this browser? A new link signs you in again.".to_owned(),
            "Yes, sign out",
        )
    } else {
        (
            "End",
            "Confirm ending the sign-in",
            format!(
                "End the sign-in from {}, signed in {when}? That browser is signed out at once.",
                opened_by(s.key_id.as_ref())
            ),
            "Yes, end it",
        )
    };
    let aria_label = (!s.current).then(|| end_label(&s));
    let id = format!("end-{}", s.id);
    let current = s.current;
    let (key_id, last_seen, expires) = (s.key_id.clone(), s.last_seen_at, s.expires_at);
    let on_yes = Callback::new(move |()| end(Some(s.clone()), list, said, busy, error));
    view! {
        <tr>
            <td data-label="Signed in">{when}{current.then_some(THIS_BROWSER)}</td>
            <td data-label="From">
                {key_id.as_ref().map(|k| view! { <code>{k.to_string()}</code> })}
                {key_id.is_none().then_some(ADMIN_LINK)}
            </td>
            <td data-label="Last seen">{format::utc(last_seen)}</td>
            <td data-label="Ends">{format::utc(expires)}</td>
            <td class="row-actions">
                <ConfirmButton id=id label=label aria_label=aria_label class="danger small" group=group
                    question=question yes=yes busy_label="Ending…" busy=busy error=error on_yes=on_yes/>
            </td>
        </tr>
    }
}

/// Ends `one` sign-in, or every one (`None`), with `busy` while it runs and a
/// failure in `error`. Once this browser's has ended, the sign-in page replaces
/// this one; after another browser's, `said` says so and the list is read
/// again (the worker's list, not a guess at it). One function for every button
/// of the section: each costs the wasm only its words.
fn end(
    one: Option<SignInView>,
    list: Remote<SignInList>,
    said: RwSignal<String>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
) {
    busy.set(true);
    error.set(None);
    leptos::task::spawn_local(async move {
        match client::end_sign_ins(one.as_ref().map(|s| s.id.as_str())).await {
            // Not found: it ended meanwhile (expired, signed out, ended from
            // another browser), which is what was asked.
            Ok(_) => {}
            Err(e) if e.is_not_found() => {}
            Err(e) => {
                busy.set(false);
                error.set(Some(e));
                return;
            }
        }
        match one {
            Some(s) if !s.current => {
                busy.set(false);
                said.set(format!(
                    "Ended the sign-in of {}: that browser is signed out.",
                    format::utc(s.created_at)
                ));
                list.load(client::sign_ins());
                ui::focus_soon(ENDED_ID);
            }
            // This browser's ended too: busy until the sign-in page replaces
            // this one.
            _ => client::go_to_sign_in(),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkout_core::time::UnixSeconds;

    fn sign_in(key_id: Option<KeyId>) -> SignInView {
        SignInView {
            id: "si_0011223344556677".into(),
            key_id,
            created_at: UnixSeconds(1_709_251_199),
            last_seen_at: UnixSeconds(1_709_251_199),
            expires_at: UnixSeconds(1_709_294_399),
            current: false,
        }
    }

    #[test]
    fn a_sign_in_is_named_by_its_key_or_the_admin_link() {
        let key = KeyId::from_random([0; 10]);
        assert_eq!(opened_by(Some(&key)), "key_aaaaaaaaaaaaaaaa");
        assert_eq!(opened_by(None), "an admin link");
        assert_eq!(
            end_label(&sign_in(Some(key))),
            "End sign-in from key_aaaaaaaaaaaaaaaa, signed in 2024-02-29 23:59:59 UTC"
        );
        assert_eq!(
            end_label(&sign_in(None)),
            "End sign-in from an admin link, signed in 2024-02-29 23:59:59 UTC"
        );
    }
}
