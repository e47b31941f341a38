//! `--print-config`: the merged settings, one dotted key a line, each with
//! the layer that set it; tokens are masked.

use std::collections::BTreeMap;

use config::{Config, Source};

use super::{Loaded, flatten};

/// `--print-config`: every merged value with its origin; secrets masked.
pub fn describe(loaded: &Loaded) -> String {
    let mut out = String::new();
    if let Some(file) = &loaded.file {
        let state = if file.exists() { "" } else { " (not found)" };
        out.push_str(&format!("# config file: {}{state}\n", file.display()));
    }
    let merged = match Config::try_from(&loaded.settings).and_then(|c| c.collect()) {
        Ok(table) => table,
        Err(error) => return format!("cannot describe the configuration: {error}\n"),
    };
    let mut flat = BTreeMap::new();
    flatten("", &merged, &mut flat);
    for (key, value) in flat {
        let shown = if key == "token" || key.ends_with(".token") {
            "\"********\"".to_string()
        } else {
            value
        };
        let origin = loaded
            .origins
            .get(&key)
            .map(String::as_str)
            .unwrap_or("default");
        out.push_str(&format!("{key} = {shown}    # {origin}\n"));
    }
    out
}
