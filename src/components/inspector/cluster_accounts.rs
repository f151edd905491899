//! The cluster inspector's accounts section: the system account, each account's users,
//! JetStream, exports and imports, adding accounts, and "Wire accounts" for an import its
//! exporter does not export.

use super::account_shares::AccountShares;
use super::cluster::ClusterForm;
use super::fields::TextField;
use super::wire_accounts::{WireAccounts, ACCOUNT_RULES};
use crate::model::cluster::Account;
use crate::model::validate::Target;
use leptos::prelude::*;

#[component]
pub fn ClusterAccounts(form: ClusterForm) -> impl IntoView {
    let ClusterForm { id, cluster, .. } = form;
    let read = move |f| form.read(f);
    let edit = move |change| form.edit(change);
    let problems = move |field| form.problems(field);
    // Keyed by name: editing an account's exports keeps its row (and the focus in it).
    let accounts = Memo::new(move |_| {
        cluster.with(|c| c.as_ref().map(|c| c.accounts.keys().cloned().collect::<Vec<_>>()).unwrap_or_default())
    });
    let account = move |name: String| {
        Memo::new(move |_| {
            cluster.with(|c| {
                c.as_ref()
                    .and_then(|c| c.accounts.get(&name))
                    .map(|a| (a.users.iter().map(|u| u.name.clone()).collect::<Vec<_>>().join(", "), a.jetstream))
                    .unwrap_or_default()
            })
        })
    };
    let new_account = RwSignal::new(String::new());
    view! {
            <fieldset>
                <legend>"Accounts"</legend>
                <TextField label="System account" value=read(|c| c.system_account.clone().unwrap_or_default()) problems=problems("system_account")
                    on_commit=Callback::new(move |v: String| edit(Box::new(move |c| {
                        let v = v.trim().to_owned();
                        c.system_account = (!v.is_empty()).then_some(v);
                    }))) />
                <WireAccounts target=Target::Cluster(id) rules=ACCOUNT_RULES />
                <ul class="accounts" aria-label="Accounts">
                    <For each=move || accounts.get() key=|a| a.clone() let:name>
                        {
                            let details = account(name.clone());
                            view! {
                                <li>
                                    <div class="account-head">
                                        <span class="account-name">{name.clone()}</span>
                                        <span class="users">{move || details.get().0}</span>
                                        <label class="inline">
                                            <input type="checkbox" prop:checked=move || details.get().1
                                                aria-label=format!("JetStream for account {name}")
                                                on:change={
                                                    let name = name.clone();
                                                    move |e| {
                                                        let on = event_target_checked(&e);
                                                        let name = name.clone();
                                                        edit(Box::new(move |c| { if let Some(a) = c.accounts.get_mut(&name) { a.jetstream = on } }))
                                                    }
                                                } />
                                            "JetStream"
                                        </label>
                                    </div>
                                    <AccountShares form account=name.clone() />
                                </li>
                            }
                        }
                    </For>
                </ul>
                <div class="add-row">
                    <input type="text" aria-label="New account name" placeholder="new account" prop:value=move || new_account.get()
                        on:input=move |e| new_account.set(event_target_value(&e)) />
                    <button type="button" class="small" on:click=move |_| {
                        let name = new_account.get_untracked().trim().to_owned();
                        if !name.is_empty() {
                            new_account.set(String::new());
                            edit(Box::new(move |c| { c.accounts.entry(name).or_insert_with(Account::default); }))
                        }
                    }>"Add account"</button>
                </div>
            </fieldset>
    }
}
