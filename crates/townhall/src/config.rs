//! The optional settings file. Its values sit below flags and environment variables: each one becomes
//! the environment variable of its setting unless that variable is set already, and clap reads flags first,
//! then the environment.

use anyhow::Context;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Settings a file may give (all optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    pub data: Option<PathBuf>,
    pub addr: Option<String>,
    pub secure_cookies: Option<bool>,
    pub admin: Option<String>,
    pub log_format: Option<String>,
}

impl FileSettings {
    pub fn read(path: &Path) -> anyhow::Result<FileSettings> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the settings file {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("in the settings file {}", path.display()))
    }

    /// (environment variable, value) for every setting the file gives.
    pub fn as_environment(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(data) = &self.data {
            pairs.push(("TOWNHALL_DATA", data.display().to_string()));
        }
        if let Some(addr) = &self.addr {
            pairs.push(("TOWNHALL_ADDR", addr.clone()));
        }
        if let Some(secure) = self.secure_cookies {
            pairs.push(("TOWNHALL_SECURE_COOKIES", secure.to_string()));
        }
        if let Some(admin) = &self.admin {
            pairs.push(("TOWNHALL_ADMIN", admin.clone()));
        }
        if let Some(format) = &self.log_format {
            pairs.push(("TOWNHALL_LOG_FORMAT", format.clone()));
        }
        pairs
    }
}

/// The settings file named by `--config FILE` (or `--config=FILE`) in `args`, or by `TOWNHALL_CONFIG`.
pub fn config_path(args: &[String]) -> Option<PathBuf> {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--config" {
            return iter.next().map(PathBuf::from);
        }
        if let Some(value) = arg.strip_prefix("--config=") {
            return Some(PathBuf::from(value));
        }
    }
    std::env::var_os("TOWNHALL_CONFIG").map(PathBuf::from)
}

/// Apply the settings file (if any) below the environment, before the command line is parsed.
pub fn apply(args: &[String]) -> anyhow::Result<()> {
    let Some(path) = config_path(args) else {
        return Ok(());
    };
    let settings = FileSettings::read(&path)?;
    for (name, value) in settings.as_environment() {
        if std::env::var_os(name).is_none() {
            std::env::set_var(name, value);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_names_settings_and_refuses_unknown_keys() {
        let settings: FileSettings =
            toml::from_str("addr = \"0.0.0.0:9000\"\nsecure_cookies = true\n").expect("valid");
        assert_eq!(
            settings.as_environment(),
            vec![
                ("TOWNHALL_ADDR", "0.0.0.0:9000".to_string()),
                ("TOWNHALL_SECURE_COOKIES", "true".to_string())
            ]
        );
        let unknown = toml::from_str::<FileSettings>("adress = \"x\"");
        assert!(unknown.is_err());
    }

    #[test]
    fn the_config_flag_is_found_in_either_spelling() {
        let args: Vec<String> = ["townhall", "--config", "a.toml", "serve"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(config_path(&args), Some(PathBuf::from("a.toml")));
        let args: Vec<String> = ["townhall", "serve", "--config=b.toml"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(config_path(&args), Some(PathBuf::from("b.toml")));
    }
}
