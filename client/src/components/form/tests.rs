use crossterm::event::{KeyCode, KeyEvent};
use serde_json::json;

use super::*;
use crate::screens::customers;

fn record(value: serde_json::Value) -> Record {
    value.as_object().cloned().expect("an object")
}

fn type_text(form: &mut Form, text: &str) {
    for c in text.chars() {
        form.key(&KeyEvent::from(KeyCode::Char(c)));
    }
}

fn mof() -> Record {
    record(
        json!({"id": "c1", "version": 3, "name": "Ministry of Finance", "code": "MOF",
        "kind": "ministry", "description": null, "status": "active", "team_id": null, "purchaser_contact_id": null}),
    )
}

#[test]
fn shared_validation_marks_fields_before_sending() {
    let defaults = record(json!({"status": "active"}));
    let mut form = Form::create(
        crate::screens::record_type(Collection::Customers),
        customers::fields(),
        &defaults,
        &Lookup::default(),
        "k1".into(),
    );
    assert!(!form.is_dirty());
    form.focus = 1;
    type_text(&mut form, "mof");
    assert!(form.is_dirty());
    assert_eq!(form.submission(), None);
    assert_eq!(
        form.errors.get("name").map(String::as_str),
        Some("is required")
    );
    assert!(form.errors.get("code").is_some_and(|m| m.contains("A-Z")));
    assert_eq!(form.focus, 0, "the first field at fault gets the focus");
    type_text(&mut form, "Ministry of Finance");
    form.focus = 1;
    for _ in 0..3 {
        form.key(&KeyEvent::from(KeyCode::Backspace));
    }
    type_text(&mut form, "MOF");
    let Some(Submission::Create {
        body,
        idempotency_key,
    }) = form.submission()
    else {
        panic!("valid now");
    };
    assert_eq!(idempotency_key, "k1");
    assert_eq!(body.get("code"), Some(&json!("MOF")));
    assert_eq!(body.get("status"), Some(&json!("active")));
    assert!(
        !body.contains_key("kind"),
        "blank fields are left out of a create"
    );
}

#[test]
fn an_edit_sends_only_changed_fields() {
    let mut form = Form::edit(
        crate::screens::record_type(Collection::Customers),
        customers::fields(),
        &mof(),
        &Lookup::default(),
    );
    assert_eq!(form.submission(), None, "nothing changed");
    // The kind, one of its vocabulary, back to none.
    form.focus = 2;
    form.key(&KeyEvent::from(KeyCode::Left));
    form.focus = 3;
    form.key(&KeyEvent::from(KeyCode::Right));
    let Some(Submission::Update { id, version, patch }) = form.submission() else {
        panic!("an update");
    };
    assert_eq!((id.as_str(), version), ("c1", 3));
    assert_eq!(
        patch.get("kind"),
        Some(&json!(null)),
        "a cleared field is removed"
    );
    assert_eq!(patch.get("status"), Some(&json!("inactive")));
    assert_eq!(patch.len(), 2);
}

#[test]
fn a_conflict_keeps_the_edit_and_reapplies_it_on_the_server_version() {
    let mut form = Form::edit(
        crate::screens::record_type(Collection::Customers),
        customers::fields(),
        &mof(),
        &Lookup::default(),
    );
    form.focus = 0;
    type_text(&mut form, " (HQ)");
    let server = record(
        json!({"id": "c1", "version": 4, "name": "Ministry of Finance", "code": "MOF",
        "kind": "ministry", "description": "Changed by a colleague", "status": "active"}),
    );
    form.conflict_arrived(Some(server));
    let conflict = form.conflict.clone().expect("a conflict");
    assert_eq!(
        conflict.changes,
        vec![(
            "description".to_string(),
            "(empty)".to_string(),
            "Changed by a colleague".to_string()
        )]
    );
    form.reapply(&Lookup::default());
    assert!(form.conflict.is_none());
    let object = form.object();
    assert_eq!(object.get("name"), Some(&json!("Ministry of Finance (HQ)")));
    assert_eq!(
        object.get("description"),
        Some(&json!("Changed by a colleague"))
    );
    let Some(Submission::Update { version, patch, .. }) = form.submission() else {
        panic!("an update");
    };
    assert_eq!(version, 4);
    assert_eq!(patch.len(), 1, "only my change: {patch:?}");
}

#[test]
fn overwrite_bases_the_edit_on_the_new_version() {
    let mut form = Form::edit(
        crate::screens::record_type(Collection::Customers),
        customers::fields(),
        &mof(),
        &Lookup::default(),
    );
    type_text(&mut form, "!");
    let mut server = mof();
    server.insert("version".into(), json!(5));
    server.insert("kind".into(), json!("agency"));
    form.conflict_arrived(Some(server));
    let Some(Submission::Update { version, patch, .. }) = form.overwrite() else {
        panic!("an update");
    };
    assert_eq!(version, 5);
    assert_eq!(patch.get("kind"), Some(&json!("ministry")), "my value wins");
    assert_eq!(patch.get("name"), Some(&json!("Ministry of Finance!")));
}

#[test]
fn reference_picker_searches_and_picks() {
    let defaults = record(json!({}));
    let mut form = Form::create(
        crate::screens::record_type(Collection::Contacts),
        crate::screens::contacts::fields(),
        &defaults,
        &Lookup::default(),
        "k".into(),
    );
    let FormOutcome::Pick {
        field, collection, ..
    } = form.picker_query(0)
    else {
        panic!("a reference field");
    };
    assert_eq!((field, collection), (0, Collection::Customers));
    let FormOutcome::Pick { query, .. } = form.key(&KeyEvent::from(KeyCode::Char('f'))) else {
        panic!("typing searches");
    };
    assert_eq!(query.q.as_deref(), Some("f"));
    form.picking(0, 7);
    form.picker_arrived(0, 6, Ok(vec![("old".into(), "stale".into())]));
    assert!(
        form.fields[0]
            .value
            .picker()
            .is_some_and(|p| p.results.is_empty()),
        "stale results dropped"
    );
    form.picker_arrived(
        0,
        7,
        Ok(vec![("c1".into(), "MOF Ministry of Finance".into())]),
    );
    form.key(&KeyEvent::from(KeyCode::Enter));
    assert_eq!(form.object().get("customer_id"), Some(&json!("c1")));
}

#[test]
fn leaving_a_changed_field_checks_it_at_once() {
    let defaults = record(json!({"status": "active"}));
    let mut form = Form::create(
        crate::screens::record_type(Collection::Customers),
        customers::fields(),
        &defaults,
        &Lookup::default(),
        "k".into(),
    );
    // Leaving the untouched name says nothing yet.
    form.move_focus(true);
    assert!(form.errors.is_empty());
    type_text(&mut form, "bad code");
    form.move_focus(true);
    assert!(form.errors.get("code").is_some_and(|m| m.contains("A-Z")));
    assert!(!form.errors.contains_key("name"), "only the field left");
}

/// The first choices a reference picker shows when its field gets the
/// focus: every customer, MOF first.
fn first_choices(form: &mut Form, field: usize) {
    form.picking(field, 1);
    form.picker_arrived(
        field,
        1,
        Ok(vec![
            ("c1".into(), "MOF Ministry of Finance".into()),
            ("c2".into(), "MOH Ministry of Health".into()),
        ]),
    );
}

#[test]
fn enter_on_an_untouched_lookup_keeps_its_value_and_moves_on() {
    let rfc = record(json!({"id": "r1", "version": 4, "customer_id": "c2",
        "title": "Replace the screens", "priority": "medium"}));
    let mut form = Form::edit(
        crate::screens::record_type(Collection::Rfcs),
        crate::screens::rfcs::fields(),
        &rfc,
        &Lookup::default(),
    );
    first_choices(&mut form, 0);
    form.key(&KeyEvent::from(KeyCode::Enter));
    assert_eq!(
        form.object().get("customer_id"),
        Some(&json!("c2")),
        "the customer is kept, not replaced by the first result"
    );
    assert_eq!(form.focus, 1, "Enter moves on to the title");
    assert!(!form.is_dirty());
    // Moving through the results (or typing) and Enter still picks.
    form.focus = 0;
    first_choices(&mut form, 0);
    form.key(&KeyEvent::from(KeyCode::Down));
    form.key(&KeyEvent::from(KeyCode::Up));
    form.key(&KeyEvent::from(KeyCode::Enter));
    assert_eq!(form.object().get("customer_id"), Some(&json!("c1")));
}

#[test]
fn a_new_contact_from_a_customer_keeps_that_customer_on_enter() {
    use crate::app::Msg;
    use rapport_shared::enums::Permission;
    let mut app = crate::fixtures::app(Permission::Admin, 120, 40);
    // The second customer, then `:new contact`: its picker shows every
    // customer, MOF first.
    for c in "j:new contact".chars() {
        let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Char(c))));
        crate::fixtures::answer_all(&mut app, commands, Permission::Admin);
    }
    let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Enter)));
    crate::fixtures::answer_all(&mut app, commands, Permission::Admin);
    let form = app.form.as_ref().expect("the contact form opens");
    assert_eq!(form.object().get("customer_id"), Some(&json!("c2")));
    assert_eq!(form.focus, 0);
    let commands = app.update(Msg::Key(KeyEvent::from(KeyCode::Enter)));
    crate::fixtures::answer_all(&mut app, commands, Permission::Admin);
    let form = app.form.as_ref().expect("still open");
    assert_eq!(form.object().get("customer_id"), Some(&json!("c2")));
    assert_eq!(form.focus, 1);
}
