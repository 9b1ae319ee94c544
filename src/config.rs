//! Loads the configuration: the built-in `config/default.yaml`, then an optional file, then
//! `FERROTUBE_<SECTION>__<KEY>` environment variables.

use std::path::Path;

use anyhow::{Context, bail};
use ferrotube_federation::config::Config;
use figment::Figment;
use figment::providers::{Env, Format, Yaml};

pub const DEFAULT_YAML: &str = include_str!("../config/default.yaml");

pub fn load(extra: Option<&Path>) -> anyhow::Result<Config> {
    let mut figment = Figment::from(Yaml::string(DEFAULT_YAML));
    if let Some(path) = extra {
        if !path.is_file() {
            bail!("configuration file {} does not exist", path.display());
        }
        figment = figment.merge(Yaml::file(path));
    }
    // Only keys with a section (`__`) are configuration; FERROTUBE_CONFIG and friends are not.
    figment = figment.merge(
        Env::prefixed("FERROTUBE_")
            .filter(|key| key.as_str().contains("__"))
            // Lower-cased so that errors name the key as the YAML file spells it.
            .map(|key| key.as_str().to_ascii_lowercase().replace("__", ".").into()),
    );
    let config: Config = figment.extract().map_err(describe)?;
    config
        .validate()
        .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))
        .context("checking the configuration")?;
    Ok(config)
}

/// Names each faulty key in lower case, as the YAML spells it, and where its value came from.
fn describe(errors: figment::Error) -> anyhow::Error {
    let lines: Vec<String> = errors
        .into_iter()
        .map(|e| {
            let source = e
                .metadata
                .as_ref()
                .map(|m| format!(" (from {})", m.name))
                .unwrap_or_default();
            format!(
                "key {}: {}{source}",
                e.path.join(".").to_ascii_lowercase(),
                e.kind
            )
        })
        .collect();
    anyhow::anyhow!("invalid configuration: {}", lines.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_loads() {
        let config = load(None);
        assert!(config.is_ok(), "{config:?}");
    }
}
