//! The cluster inspector's accounts section: the system account, each account's users and
//! JetStream, adding accounts.

use super::cluster::ClusterForm;
use super::fields::TextField;
use crate::model::cluster::Account;
use leptos::prelude::*;

#[component]
pub fn ClusterAccounts(form: ClusterForm) -> impl IntoView {
    let ClusterForm { cluster, .. } = form;
    let read = move |f| form.read(f);
    let edit = move |change| form.edit(change);
    let problems = move |field| form.problems(field);
    let accounts = Memo::new(move |_| {
        cluster.with(|c| {
            c.as_ref()
                .map(|c| c.accounts.iter().map(|(n, a)| (n.clone(), a.clone())).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let new_account = RwSignal::new(String::new());
    view! {
            <fieldset>
                <legend>"Accounts"</legend>
                <TextField label="System account" value=read(|c| c.system_account.clone().unwrap_or_default()) problems=problems("system_account")
                    on_commit=Callback::new(move |v: String| edit(Box::new(move |c| {
                        let v = v.trim().to_owned();
                        c.system_account = (!v.is_empty()).then_some(v);
                    }))) />
                <ul class="accounts" aria-label="Accounts">
                    <For each=move || accounts.get() key=|a| format!("{a:?}") let:account>
                        <li>
                            <span class="account-name">{account.0.clone()}</span>
                            <span class="users">{account.1.users.iter().map(|u| u.name.clone()).collect::<Vec<_>>().join(", ")}</span>
                            <label class="inline">
                                <input type="checkbox" prop:checked=account.1.jetstream
                                    on:change={
                                        let name = account.0.clone();
                                        move |e| {
                                            let on = event_target_checked(&e);
                                            let name = name.clone();
                                            edit(Box::new(move |c| { if let Some(a) = c.accounts.get_mut(&name) { a.jetstream = on } }))
                                        }
                                    } />
                                "JetStream"
                            </label>
                        </li>
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
