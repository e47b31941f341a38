//! The key map's parsing, labels, contexts and overrides.

use super::*;

fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

#[test]
fn parses_and_labels_keys() {
    for text in [
        "ctrl-d",
        "G",
        "enter",
        "esc",
        "f1",
        "space",
        "shift-tab",
        "alt-x",
    ] {
        let spec = KeySpec::parse(text).expect("parses");
        assert_eq!(spec.label(), text);
    }
    assert_eq!(
        KeySpec::parse("backtab").map(|k| k.code),
        Some(KeyCode::BackTab)
    );
    assert!(KeySpec::parse("nonsense").is_none());
}

#[test]
fn default_bindings_resolve_per_context() {
    let map = KeyMap::default();
    let y = key(KeyCode::Char('y'), KeyModifiers::NONE);
    assert_eq!(map.action(Context::Board, &y), Some(Action::Copy));
    assert_eq!(map.action(Context::Dialog, &y), Some(Action::Yes));
    let shift_g = key(KeyCode::Char('G'), KeyModifiers::SHIFT);
    assert_eq!(map.action(Context::Board, &shift_g), Some(Action::Bottom));
    let ctrl_d = key(KeyCode::Char('d'), KeyModifiers::CONTROL);
    assert_eq!(
        map.action(Context::Board, &ctrl_d),
        Some(Action::HalfPageDown)
    );
    let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(map.action(Context::Teams, &q), Some(Action::Quit));
    assert_eq!(map.action(Context::Form, &q), None);
}

#[test]
fn overrides_replace_and_errors_name_the_culprit() {
    let mut overrides = BTreeMap::new();
    overrides.insert("down".to_string(), vec!["n".to_string()]);
    overrides.insert("new".to_string(), vec!["ctrl-n".to_string()]);
    let map = KeyMap::with_overrides(&overrides).expect("valid");
    let n = key(KeyCode::Char('n'), KeyModifiers::NONE);
    assert_eq!(map.action(Context::Board, &n), Some(Action::Down));
    assert_eq!(map.label(Action::New), "ctrl-n");

    overrides.insert("fly".to_string(), vec![]);
    assert_eq!(
        KeyMap::with_overrides(&overrides).err(),
        Some(KeyMapError::UnknownAction("fly".to_string()))
    );
}

#[test]
fn every_action_has_a_default_key() {
    let map = KeyMap::default();
    for action in Action::ALL {
        assert!(!map.keys(*action).is_empty(), "{action:?} unbound");
    }
}
