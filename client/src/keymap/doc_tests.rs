//! The README stays true to the key map: its key table names every
//! action, and its `[keys]` example binds nothing another action takes.

use super::Action;

/// The README's `[keys]` example: every key it binds means its action
/// wherever that action applies (no board action takes it first).
#[test]
fn readme_keys_example_has_no_collisions() {
    use super::{Context, KeyMap, KeySpec};
    use crossterm::event::KeyEvent;
    let readme = include_str!("../../../README.md");
    let mut overrides = std::collections::BTreeMap::new();
    let table = readme
        .split("\n[keys]")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap_or_default();
    for line in table.lines().filter(|l| l.contains('=')) {
        let (name, keys) = line.split_once('=').unwrap_or_default();
        let keys: Vec<String> = keys
            .split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        overrides.insert(name.trim().to_string(), keys);
    }
    assert!(overrides.contains_key("new"), "{table}");
    let map = KeyMap::with_overrides(&overrides).expect("the example is valid");
    for (name, keys) in &overrides {
        let action = Action::parse(name).expect("known action");
        let contexts: &[Context] = match action.context() {
            Context::Global => &[Context::Board, Context::Teams, Context::Rfcs],
            Context::Board => &[Context::Board, Context::Teams, Context::Rfcs],
            other => &[other],
        };
        for key in keys {
            let spec = KeySpec::parse(key).expect("valid key");
            let event = KeyEvent::new(spec.code, spec.modifiers);
            for context in contexts {
                assert_eq!(
                    map.action(*context, &event),
                    Some(action),
                    "README [keys]: {key} for {name} means something else in {context:?}"
                );
            }
        }
    }
}

/// The README's key table names every action, so it cannot drift either.
#[test]
fn readme_lists_every_action() {
    let readme = include_str!("../../../README.md");
    for action in Action::ALL {
        assert!(
            readme.contains(&format!("`{}`", action.name())),
            "README.md misses {}",
            action.name()
        );
    }
}
