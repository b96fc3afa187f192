//! API keys of this merchant, in this sign-in's mode: the list (masked, when
//! created, when last used), a new key (shown once, with a copy button), and
//! revoking one after a confirmation (a revoked key is refused at once: 401).

use checkout_api::keys::{IssuedKey, KeyList, KeyMeta};
use leptos::prelude::*;

use crate::client::{self, ApiError};
use crate::format;
use crate::ui::{self, remote_view, ActionButton, CopyButton, ErrorSlot, Remote};

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
                <table class="rows">
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
    }
}

/// One key, with its revoke button and the confirmation step.
#[component]
fn KeyRow(k: KeyMeta, list: Remote<KeyList>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let id = k.id.to_string();
    let preview = k.preview.clone();
    let revoke = {
        let id = id.clone();
        Callback::new(move |()| {
            let id = id.clone();
            busy.set(true);
            error.set(None);
            leptos::task::spawn_local(async move {
                match client::revoke_key(&id).await {
                    Ok(revoked) => {
                        confirming.set(false);
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
    let confirm_id = format!("confirm-{id}");
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
                {revoked.is_none().then(|| {
                    let confirm_id = confirm_id.clone();
                    let preview = preview.clone();
                    let aria = format!("Revoke key {}", k.preview);
                    view! {
                        <Show when=move || confirming.get() fallback=move || {
                            let confirm_id = confirm_id.clone();
                            view! {
                                <button type="button" class="danger small"
                                    aria-label=aria.clone()
                                    on:click=move |_| {
                                        confirming.set(true);
                                        ui::focus_soon(&confirm_id);
                                    }>
                                    "Revoke"
                                </button>
                            }
                        }>
                            <div class="confirm" role="group" aria-label="Confirm revoking">
                                <p>{format!("Revoke {preview}? Requests with it are refused at once; this cannot be undone.")}</p>
                                <ActionButton label="Yes, revoke" busy_label="Revoking…" busy=busy class="danger small"
                                    id=format!("confirm-{}", id.clone()) on_click=revoke/>
                                <button type="button" class="secondary small" on:click=move |_| confirming.set(false)>"Cancel"</button>
                            </div>
                        </Show>
                    }
                })}
                <ErrorSlot error=error/>
            </td>
        </tr>
    }
}
