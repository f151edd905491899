//! Runs the real `helm template` on exported values: what a chart really makes of them.
//!
//! The chart folder is given (the repository's `../shared/reference/helm/charts/nats-<version>`
//! or a chart the user unpacked); nothing is downloaded. The values go to a temporary file,
//! removed afterwards, and helm's standard error is returned with the manifests so that callers
//! can insist that helm said nothing.

use super::sandbox::process::TempDir;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What `helm template` printed.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// The manifests, `---`-separated YAML documents.
    pub manifests: String,
    /// Everything helm wrote to standard error (warnings), usually empty.
    pub stderr: String,
}

/// The helm binary: `explicit`, else `$HELM`, else `helm` on `PATH`, else the one
/// `scripts/setup.sh test` installs under `~/.cache/nats-topology/bin`.
pub fn find_helm(explicit: Option<&Path>) -> Result<PathBuf, String> {
    find_tool("helm", "HELM", explicit)
}

/// The nats CLI, found like [`find_helm`] (`$NATS_CLI`).
pub fn find_nats_cli(explicit: Option<&Path>) -> Result<PathBuf, String> {
    find_tool("nats", "NATS_CLI", explicit)
}

fn find_tool(name: &str, env_var: &str, explicit: Option<&Path>) -> Result<PathBuf, String> {
    let given = explicit.map(Path::to_owned).or_else(|| std::env::var_os(env_var).map(PathBuf::from));
    if let Some(path) = given {
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("no {name} at {} (`make test` installs one: scripts/setup.sh test)", path.display()))
        };
    }
    let cached = std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache/nats-topology/bin").join(name));
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).map(|dir| dir.join(name)).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path.into_iter().chain(cached).find(|p| p.is_file()).ok_or_else(|| {
        format!("no {name} found: set {env_var} or put it on PATH (`make test` installs one: scripts/setup.sh test)")
    })
}

/// `helm template <release> <chart> -f <values>`; an error when helm fails, with its output.
pub fn template(helm: &Path, chart: &Path, release: &str, values: &str) -> Result<Rendered, String> {
    let dir = TempDir::new("nats-topology-helm").map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    let file = dir.path().join("values.yaml");
    std::fs::write(&file, values).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let output = Command::new(helm)
        .arg("template")
        .arg(release)
        .arg(chart)
        .arg("--values")
        .arg(&file)
        .env("HELM_CACHE_HOME", dir.path().join("cache"))
        .env("HELM_CONFIG_HOME", dir.path().join("config"))
        .env("HELM_DATA_HOME", dir.path().join("data"))
        .output()
        .map_err(|e| format!("cannot run {}: {e}", helm.display()))?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        return Err(format!("helm template {} failed ({}): {stderr}", chart.display(), output.status));
    }
    let manifests =
        String::from_utf8(output.stdout).map_err(|_| "helm printed something that is not UTF-8".to_owned())?;
    Ok(Rendered { manifests, stderr })
}
