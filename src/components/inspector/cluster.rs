//! The inspector of one cluster: a shell over its sections (identity, leafnodes, gateway and
//! placement tags, TLS, accounts),
//! each in its own file and each editing the cluster through [`ClusterForm`].

use super::cluster_accounts::ClusterAccounts;
use super::cluster_gateway::ClusterGateway;
use super::cluster_identity::ClusterIdentity;
use super::cluster_leafnodes::ClusterLeafnodes;
use super::cluster_tls::ClusterTlsSection;
use super::fields::Problems;
use super::{field_problems, ElementProblems};
use crate::model::cluster::Cluster;
use crate::model::command::Command;
use crate::model::validate::Target;
use crate::model::ClusterId;
use crate::state::{use_editor, Editor};
use leptos::prelude::*;

const FIELDS: &[&str] =
    &["name", "role", "domain", "servers", "server_name_prefix", "system_account", "gateway", "gateway.tls"];

/// The cluster a section edits: read it (tracked), and commit a changed copy as one command.
#[derive(Clone, Copy)]
pub struct ClusterForm {
    pub id: ClusterId,
    pub cluster: Memo<Option<Cluster>>,
    pub editor: Editor,
}

impl ClusterForm {
    /// A text property of the cluster.
    pub fn read(self, f: fn(&Cluster) -> String) -> Signal<String> {
        let cluster = self.cluster;
        Signal::derive(move || cluster.with(|c| c.as_ref().map(f).unwrap_or_default()))
    }

    /// One field edit: a changed copy of the cluster, committed as one command.
    pub fn edit(self, change: Box<dyn FnOnce(&mut Cluster)>) {
        if let Some(mut c) = self.cluster.get_untracked() {
            change(&mut c);
            self.editor.dispatch(Command::SetCluster { cluster: self.id, value: Box::new(c) });
        }
    }

    /// The problems of one field of the cluster.
    pub fn problems(self, field: &'static str) -> Problems {
        field_problems(Target::Cluster(self.id), field)
    }
}

#[component]
pub fn ClusterInspector(id: ClusterId) -> impl IntoView {
    let editor = use_editor();
    let cluster = Memo::new(move |_| editor.with_design(|d| d.cluster(id).cloned()));
    let form = ClusterForm { id, cluster, editor };
    let target = Target::Cluster(id);
    view! {
        <section class="inspector-body" aria-label="Cluster properties">
            <h2>
                <span class="kind">"Cluster"</span>
                {move || cluster.with(|c| c.as_ref().map(|c| c.name.clone()).unwrap_or_default())}
            </h2>
            <ElementProblems target shown_fields=FIELDS />
            <ClusterIdentity form />
            <ClusterLeafnodes form />
            <ClusterGateway form />
            <ClusterTlsSection form />
            <ClusterAccounts form />
        </section>
    }
}
