//! Kubernetes manifests as the NATS charts render them (`helm template`, `kubectl get -o yaml`):
//! the `nats.conf` of each ConfigMap, the StatefulSet that mounts it (replicas, container
//! environment) and the values of Secrets given alongside.
//!
//! Pure: text in, data out. The environment a pod gets is computed the way the kubelet does it:
//! `fieldRef` for the pod's name and namespace, `secretKeyRef` from the given secrets, and
//! `$(NAME)` references to variables defined earlier in the list expanded.

use serde_yaml::Value;
use std::collections::BTreeMap;

/// Where one environment variable of the NATS container comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvSource {
    /// `value:`, possibly with `$(NAME)` references.
    Value(String),
    /// `valueFrom.fieldRef.fieldPath`, e.g. `metadata.name`.
    Field(String),
    /// `valueFrom.secretKeyRef`.
    Secret { name: String, key: String },
    /// Anything else (`configMapKeyRef`, `resourceFieldRef`): left unset.
    Other,
}

/// One environment variable of the NATS container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvVar {
    pub name: String,
    pub source: EnvSource,
}

/// A NATS StatefulSet with the configuration it mounts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NatsPod {
    /// The StatefulSet's name: pods are `<name>-0`, `<name>-1`, ...
    pub statefulset: String,
    pub replicas: u8,
    /// The ConfigMap holding `nats.conf`.
    pub config_map: String,
    /// The text of `nats.conf`.
    pub conf: String,
    /// The NATS container's environment, in order.
    pub env: Vec<EnvVar>,
}

/// The documents of a manifest stream; documents that are not mappings are skipped.
fn documents(manifests: &str) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    for document in serde_yaml::Deserializer::from_str(manifests) {
        let value = <Value as serde::Deserialize>::deserialize(document).map_err(|e| e.to_string())?;
        if value.is_mapping() {
            out.push(value);
        }
    }
    Ok(out)
}

fn text(value: &Value, path: &[&str]) -> Option<String> {
    let mut at = value;
    for key in path {
        at = at.get(*key)?;
    }
    match at {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn kind(value: &Value) -> Option<String> {
    text(value, &["kind"])
}

/// Whether a YAML text is a stream of Kubernetes manifests (every mapping document has
/// `apiVersion` and `kind`) with at least one of them.
pub fn is_manifests(manifests: &str) -> bool {
    match documents(manifests) {
        Ok(docs) => !docs.is_empty() && docs.iter().all(|d| kind(d).is_some() && text(d, &["apiVersion"]).is_some()),
        Err(_) => false,
    }
}

/// The NATS StatefulSets of the manifests (those whose containers mount a ConfigMap holding
/// `nats.conf`), in document order.
pub fn nats_pods(manifests: &str) -> Result<Vec<NatsPod>, String> {
    let docs = documents(manifests)?;
    let config_maps: BTreeMap<String, String> = docs
        .iter()
        .filter(|d| kind(d).as_deref() == Some("ConfigMap"))
        .filter_map(|d| Some((text(d, &["metadata", "name"])?, text(d, &["data", "nats.conf"])?)))
        .collect();
    let mut pods = Vec::new();
    for doc in docs.iter().filter(|d| kind(d).as_deref() == Some("StatefulSet")) {
        let spec = &doc["spec"]["template"]["spec"];
        let mounted = spec["volumes"]
            .as_sequence()
            .into_iter()
            .flatten()
            .filter_map(|v| text(v, &["configMap", "name"]))
            .find(|name| config_maps.contains_key(name));
        let Some(config_map) = mounted else { continue };
        let containers = spec["containers"].as_sequence().cloned().unwrap_or_default();
        let container = containers
            .iter()
            .find(|c| text(c, &["name"]).as_deref() == Some("nats"))
            .or_else(|| containers.first())
            .cloned()
            .unwrap_or(Value::Null);
        let env = container["env"]
            .as_sequence()
            .into_iter()
            .flatten()
            .filter_map(|e| {
                let name = text(e, &["name"])?;
                let source = if let Some(value) = text(e, &["value"]) {
                    EnvSource::Value(value)
                } else if let Some(path) = text(e, &["valueFrom", "fieldRef", "fieldPath"]) {
                    EnvSource::Field(path)
                } else if let (Some(name), Some(key)) =
                    (text(e, &["valueFrom", "secretKeyRef", "name"]), text(e, &["valueFrom", "secretKeyRef", "key"]))
                {
                    EnvSource::Secret { name, key }
                } else if e.get("value").is_some() || e.get("valueFrom").is_none() {
                    EnvSource::Value(String::new())
                } else {
                    EnvSource::Other
                };
                Some(EnvVar { name, source })
            })
            .collect();
        let replicas = doc["spec"]["replicas"].as_u64().unwrap_or(1).clamp(1, u64::from(u8::MAX)) as u8;
        pods.push(NatsPod {
            statefulset: text(doc, &["metadata", "name"]).unwrap_or_default(),
            replicas,
            conf: config_maps[&config_map].clone(),
            config_map,
            env,
        });
    }
    Ok(pods)
}

/// The values of every Secret in the manifests, by (secret, key): `stringData` as it is,
/// `data` decoded from base64 (keys that do not decode to UTF-8 are left out).
pub fn secrets(manifests: &str) -> Result<BTreeMap<(String, String), String>, String> {
    let mut out = BTreeMap::new();
    for doc in documents(manifests)?.iter().filter(|d| kind(d).as_deref() == Some("Secret")) {
        let Some(name) = text(doc, &["metadata", "name"]) else { continue };
        for (field, encoded) in [("data", true), ("stringData", false)] {
            let Some(map) = doc.get(field).and_then(Value::as_mapping) else { continue };
            for (key, value) in map {
                let (Some(key), Some(value)) = (key.as_str(), value.as_str()) else { continue };
                let value = if encoded { base64_decode(value) } else { Some(value.to_owned()) };
                if let Some(value) = value {
                    out.insert((name.clone(), key.to_owned()), value);
                }
            }
        }
    }
    Ok(out)
}

/// Standard base64 (with or without padding, whitespace ignored) to UTF-8 text.
fn base64_decode(text: &str) -> Option<String> {
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    String::from_utf8(bytes).ok()
}

/// The environment of pod `ordinal` of `pod` in `namespace`, as the kubelet sets it; a secret
/// key that `secret` does not know leaves its variable out (the pod would not start).
pub fn pod_env(
    pod: &NatsPod,
    ordinal: usize,
    namespace: &str,
    secret: &dyn Fn(&str, &str) -> Option<String>,
) -> Vec<(String, String)> {
    let pod_name = format!("{}-{ordinal}", pod.statefulset);
    let mut env: Vec<(String, String)> = Vec::new();
    for var in &pod.env {
        let value = match &var.source {
            EnvSource::Value(text) => Some(expand(text, &env)),
            EnvSource::Field(path) => match path.as_str() {
                "metadata.name" => Some(pod_name.clone()),
                "metadata.namespace" => Some(namespace.to_owned()),
                _ => None,
            },
            EnvSource::Secret { name, key } => secret(name, key),
            EnvSource::Other => None,
        };
        if let Some(value) = value {
            env.retain(|(n, _)| *n != var.name);
            env.push((var.name.clone(), value));
        }
    }
    env
}

/// `$(NAME)` replaced by the value of an earlier variable; `$$` stands for `$`; an unknown
/// reference stays as it is (Kubernetes' rules for `value`).
fn expand(text: &str, env: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some((name, tail)) = after.strip_prefix('(').and_then(|a| a.split_once(')')) {
            match env.iter().rev().find(|(n, _)| n == name) {
                Some((_, value)) => out.push_str(value),
                None => {
                    out.push_str("$(");
                    out.push_str(name);
                    out.push(')');
                }
            }
            rest = tail;
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFESTS: &str = "\
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: nats-config
data:
  nats.conf: |
    port: 4222
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: nats
spec:
  replicas: 3
  template:
    spec:
      containers:
      - name: nats
        env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: SERVER_NAME
          value: hq-$(POD_NAME)
        - name: ADVERTISE
          value: $(POD_NAME).nats.$(POD_NAMESPACE).svc
        - name: POD_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        - name: PASS
          valueFrom:
            secretKeyRef:
              name: nats-passwords
              key: acc
      volumes:
      - name: config
        configMap:
          name: nats-config
---
apiVersion: v1
kind: Secret
metadata:
  name: nats-passwords
data:
  acc: cyQzY3IzdA==
stringData:
  sys: plain
";

    #[test]
    fn a_statefulset_is_read_with_its_conf_and_environment() {
        assert!(is_manifests(MANIFESTS));
        assert!(!is_manifests("config:\n  cluster: {}\n"));
        let pods = nats_pods(MANIFESTS).unwrap();
        assert_eq!(pods.len(), 1);
        let pod = &pods[0];
        assert_eq!((pod.statefulset.as_str(), pod.replicas), ("nats", 3));
        assert_eq!(pod.conf, "port: 4222\n");
        assert_eq!(pod.env[2].source, EnvSource::Value("$(POD_NAME).nats.$(POD_NAMESPACE).svc".into()));
        let secrets = secrets(MANIFESTS).unwrap();
        assert_eq!(secrets[&("nats-passwords".to_owned(), "acc".to_owned())], "s$3cr3t");
        assert_eq!(secrets[&("nats-passwords".to_owned(), "sys".to_owned())], "plain");
        let env = pod_env(pod, 2, "default", &|n, k| secrets.get(&(n.to_owned(), k.to_owned())).cloned());
        let get = |name: &str| env.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        assert_eq!(get("SERVER_NAME"), Some("hq-nats-2"));
        // Defined after ADVERTISE: Kubernetes leaves the reference as written.
        assert_eq!(get("ADVERTISE"), Some("nats-2.nats.$(POD_NAMESPACE).svc"));
        assert_eq!(get("PASS"), Some("s$3cr3t"));
    }

    #[test]
    fn dollar_references_expand_like_kubernetes() {
        let env = vec![("A".to_owned(), "x".to_owned())];
        assert_eq!(expand("$(A)-$$(A)-$(B)-$", &env), "x-$(A)-$(B)-$");
    }
}
